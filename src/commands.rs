//! Runs a parsed command line: turns CLI arguments into library calls and prints results
//! (stdout for results, stderr for progress and diagnostics).

mod export;
mod fetch;
mod preflight;
pub mod report;
mod serve;
mod snapshots;
mod status;

use crate::build::{self, BuildOptions};
use crate::cli::{BuildArgs, Cli, Command, SampleArgs};
use crate::diag;
use crate::sample;
use anyhow::Result;
use chrono::{DateTime, Utc};
use report::usage;
use std::io::Write;
use std::time::Duration;

/// How many warnings a build prints to stderr before summarizing the rest.
const WARNINGS_SHOWN: usize = 10;

/// Runs the command and reports an error it returns (exit 2 for usage errors, else 1;
/// JSON on stdout under `--json`); the result is the process exit code.
pub fn run_and_report(cli: Cli) -> u8 {
    let json = cli.json();
    match run(cli) {
        Ok(code) => u8::try_from(code).unwrap_or(report::EXIT_FAILED),
        Err(e) => report::error(&e, json),
    }
}

/// Runs the command; the result is the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Build(mut args) => {
            // toaststats.toml's `cache` and `site_url` stand in for missing flags.
            let config = crate::config::load(cli.config.as_deref())?;
            if args.cache.is_none() {
                args.cache = config.cache;
            }
            if args.site_url.is_none() {
                args.site_url = config.site_url;
            }
            run_build(args)
        }
        Command::Sample(args) => run_sample(args),
        Command::Snapshots { command } => snapshots::run(command),
        Command::Status(args) => status::run_status(args),
        Command::Serve(args) => serve::run(args, cli.config.as_deref()),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "toaststats", &mut std::io::stdout());
            Ok(0)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut page)?;
            let _ = std::io::stdout().write_all(&page);
            Ok(0)
        }
        Command::Fetch(args) => fetch::run(args, cli.config.as_deref()),
        Command::Export(args) => export::run(args, cli.config.as_deref()),
    }
}

/// Prints to stdout, ignoring a closed pipe (`toaststats ... | head` is not an error).
pub(crate) fn out(text: &str) {
    let _ = writeln!(std::io::stdout(), "{text}");
}

/// The build options of a `build` command line; the admin refresh of `serve` uses it too,
/// so both build with the same defaults and the same pre-flight checks.
pub(crate) fn build_options(args: &BuildArgs) -> Result<BuildOptions> {
    preflight_build(args).map(|(opts, _)| opts)
}

/// Checks a `build` command line before anything is written (usage errors, exit 2) and
/// returns its options with the line saying which cache is used and why.
fn preflight_build(args: &BuildArgs) -> Result<(BuildOptions, String)> {
    let snapshot_time = snapshot_time(args.snapshot_time.as_deref())?;
    let cache = preflight::resolve_cache(args.cache.as_deref())?;
    preflight::check_templates(args.templates.as_deref())?;
    preflight::check_date(&cache.root, args.date, snapshot_time.date_naive())?;
    preflight::check_site(&args.site, cache.provenance, &cache.root)?;
    crate::store::Site::new(&args.site)
        .check_apart_from_cache(&cache.root)
        .map_err(usage)?;
    let opts = BuildOptions {
        cache: cache.root,
        site: args.site.clone(),
        date: args.date,
        publish: !args.no_publish,
        allow_older: args.allow_older,
        archive_clubs: args.archive_clubs,
        snapshot_time,
        wait: Duration::from_secs(args.wait),
        max_failed_share: args.max_failed_share,
        templates: args.templates.clone(),
        provenance: cache.provenance,
        site_url: args
            .site_url
            .as_deref()
            .map(crate::render::html::SiteAddress::parse)
            .transpose()
            .map_err(|e| usage(format!("--site-url: {e:#}")))?,
    };
    Ok((opts, cache.why))
}

fn run_build(args: BuildArgs) -> Result<i32> {
    let (opts, why) = preflight_build(&args)?;
    eprintln!("{why}");
    let served_before = crate::store::Site::new(&opts.site).current_id();
    match build::run(&opts) {
        Ok(outcome) => {
            for r in &outcome.repairs {
                eprintln!("repaired: {r}");
            }
            for w in &outcome.warnings {
                eprintln!("warning: {w}");
            }
            let rec = &outcome.record;
            eprintln!(
                "{} districts built, {} failed, {} warnings, {:.3}s",
                rec.districts_built, rec.districts_failed, rec.warnings, rec.duration_seconds
            );
            if args.json {
                // The outcome plus which cache was read, so scripts can tell a sample build.
                let mut value = serde_json::to_value(&outcome)?;
                value["cache"] = serde_json::json!({
                    "path": opts.cache.display().to_string(),
                    "origin": opts.provenance.cache_origin,
                    "synthetic": opts.provenance.synthetic,
                });
                out(&serde_json::to_string_pretty(&value)?);
            } else {
                let line = match outcome.action {
                    "published" => format!(
                        "published {} ({}, data date {}) -> {}/current",
                        outcome.snapshot_id,
                        rec.status,
                        rec.data_date.as_deref().unwrap_or("?"),
                        opts.site.display()
                    ),
                    "unchanged" => format!(
                        "unchanged: {}; nothing new published",
                        outcome.reason.as_deref().unwrap_or("")
                    ),
                    _ => format!(
                        "stored {} without publishing: {}",
                        outcome.snapshot_id,
                        outcome.reason.as_deref().unwrap_or("")
                    ),
                };
                out(&line);
            }
            print_warnings(&opts, &outcome.snapshot_id);
            Ok(0)
        }
        Err(e) => {
            if let Some(f) = e.downcast_ref::<build::BuildFailure>() {
                diag::eprint(&f.to_string());
                let served_after = crate::store::Site::new(&opts.site).current_id();
                if served_after.is_none() && served_before.is_none() {
                    eprintln!("nothing is published in {} yet", opts.site.display());
                } else if served_after == served_before {
                    eprintln!("the published site was not changed");
                }
                eprintln!(
                    "report: {}/failed/{}.json",
                    opts.site.display(),
                    f.record.id
                );
                if args.json {
                    out(&serde_json::to_string_pretty(&serde_json::json!({
                        "error": report::error_value("failed", &f.message, report::EXIT_FAILED),
                        "action": "failed", "record": f.record, "errors": f.errors,
                    }))?);
                }
                Ok(report::EXIT_FAILED.into())
            } else {
                Err(e)
            }
        }
    }
}

/// Shows the first error of each failed district, and the first warnings, of the snapshot
/// this build made (or found unchanged) on stderr: not those of `current`, which is another
/// snapshot after `--date`, on a pinned site, or whenever the build is stored without being
/// published.
fn print_warnings(opts: &BuildOptions, snapshot_id: &str) {
    let site = crate::store::Site::new(&opts.site);
    let Ok(bytes) = crate::fsx::read(&site.snapshot(snapshot_id).join("snapshot.json")) else {
        return;
    };
    let Ok(meta) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return;
    };
    // A partial build: the first error of each failed district, as a failed build
    // shows its errors (the count alone did not say what to fix).
    for failed in meta["errors"].as_array().into_iter().flatten() {
        let district = failed["district_id"].as_str().unwrap_or("?");
        let errors = failed["errors"].as_array().cloned().unwrap_or_default();
        if let Some(d) = errors
            .first()
            .and_then(|e| serde_json::from_value::<crate::diag::Diag>(e.clone()).ok())
        {
            diag::eprint(&d.to_string());
        }
        eprintln!(
            "district {district} failed ({} error{}; all in {}/snapshot.json) and is left out of this snapshot",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" },
            site.snapshot(snapshot_id).display()
        );
    }
    let warnings = meta["warnings"].as_array().cloned().unwrap_or_default();
    for w in warnings.iter().take(WARNINGS_SHOWN) {
        if let Ok(d) = serde_json::from_value::<crate::diag::Diag>(w.clone()) {
            diag::eprint(&d.to_string());
        }
    }
    if warnings.len() > WARNINGS_SHOWN {
        eprintln!(
            "... {} more warnings in {}/snapshot.json",
            warnings.len() - WARNINGS_SHOWN,
            site.snapshot(snapshot_id).display()
        );
    }
}

/// `--snapshot-time`, else `SOURCE_DATE_EPOCH`, else now (whole seconds). A value that does
/// not parse or lies outside the range `store::id` allows is a usage error, named with
/// where it came from.
fn snapshot_time(arg: Option<&str>) -> Result<DateTime<Utc>> {
    let now = Utc::now();
    let (text, source) = match arg {
        Some(t) => (t.to_string(), "--snapshot-time"),
        None => match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(t) => (t, "SOURCE_DATE_EPOCH"),
            Err(_) => return Ok(DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now)),
        },
    };
    crate::store::id::parse_build_time(&text, now).map_err(|why| usage(format!("{source}: {why}")))
}

fn run_sample(args: SampleArgs) -> Result<i32> {
    let opts = sample::SampleOptions {
        districts: args.districts,
        clubs_per_district: args.clubs_per_district,
        dates: args.dates,
        seed: args.seed,
    };
    sample::check_out(&args.out).map_err(usage)?;
    let summary = sample::write_sample(&args.out, &opts)?;
    if args.json {
        out(&serde_json::to_string_pretty(&summary)?);
        return Ok(0);
    }
    out(&format!(
        "wrote {} files ({} bytes): {} districts, {} clubs, dates {} -> {}",
        summary.files,
        summary.bytes,
        summary.districts,
        summary.clubs,
        summary.dates.join(", "),
        args.out.display()
    ));
    Ok(0)
}
