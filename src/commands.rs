//! Runs a parsed command line: turns CLI arguments into library calls and prints results
//! (stdout for results, stderr for progress and diagnostics).

mod fetch;
mod serve;
mod snapshots;

use crate::build::{self, BuildOptions};
use crate::cli::{BuildArgs, Cli, Command, SampleArgs};
use crate::sample;
use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// How many warnings a build prints to stderr before summarizing the rest.
const WARNINGS_SHOWN: usize = 10;

/// Runs the command; the result is the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Build(mut args) => {
            // toaststats.toml's `cache` stands in for a missing --cache.
            if args.cache.is_none() {
                args.cache = crate::config::load(cli.config.as_deref())?.cache;
            }
            run_build(args)
        }
        Command::Sample(args) => run_sample(args),
        Command::Snapshots { command } => snapshots::run(command),
        Command::Status(args) => snapshots::run_status(args),
        Command::Serve(args) => serve::run(args),
        Command::Fetch(args) => fetch::run(args, cli.config.as_deref()),
    }
}

/// Prints to stdout, ignoring a closed pipe (`toaststats ... | head` is not an error).
pub(crate) fn out(text: &str) {
    let _ = writeln!(std::io::stdout(), "{text}");
}

/// The build options of a `build` command line; the admin refresh of `serve` uses it too,
/// so both build with the same defaults.
pub(crate) fn build_options(args: &BuildArgs) -> Result<BuildOptions> {
    if !(0.0..=1.0).contains(&args.max_failed_share) {
        bail!("--max-failed-share must be between 0 and 1");
    }
    Ok(BuildOptions {
        cache: resolve_cache(args.cache.clone())?,
        site: args.site.clone(),
        date: args.date,
        publish: !args.no_publish,
        allow_older: args.allow_older,
        snapshot_time: snapshot_time(args.snapshot_time.as_deref())?,
        wait: Duration::from_secs(args.wait),
        max_failed_share: args.max_failed_share,
        templates: args.templates.clone(),
    })
}

fn run_build(args: BuildArgs) -> Result<i32> {
    let opts = build_options(&args)?;
    eprintln!("reading {}", opts.cache.display());
    let served_before = crate::store::Site::new(&opts.site).current_id();
    match build::run(&opts) {
        Ok(outcome) => {
            for r in &outcome.repairs {
                eprintln!("repaired: {r}");
            }
            let rec = &outcome.record;
            eprintln!(
                "{} districts built, {} failed, {} warnings, {:.3}s",
                rec.districts_built, rec.districts_failed, rec.warnings, rec.duration_seconds
            );
            if args.json {
                out(&serde_json::to_string_pretty(&outcome)?);
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
            print_warnings(&opts);
            Ok(0)
        }
        Err(e) => {
            if let Some(f) = e.downcast_ref::<build::BuildFailure>() {
                eprintln!("{f}");
                if crate::store::Site::new(&opts.site).current_id() == served_before {
                    eprintln!("the published site was not changed");
                }
                eprintln!(
                    "report: {}/failed/{}.json",
                    opts.site.display(),
                    f.record.id
                );
                if args.json {
                    out(&serde_json::to_string_pretty(&serde_json::json!({
                        "action": "failed", "record": f.record, "errors": f.errors,
                    }))?);
                }
                Ok(1)
            } else {
                Err(e)
            }
        }
    }
}

/// Shows the first warnings of the current snapshot on stderr.
fn print_warnings(opts: &BuildOptions) {
    let path = opts.site.join("current/snapshot.json");
    let Ok(bytes) = std::fs::read(path) else {
        return;
    };
    let Ok(meta) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return;
    };
    let warnings = meta["warnings"].as_array().cloned().unwrap_or_default();
    for w in warnings.iter().take(WARNINGS_SHOWN) {
        if let Ok(d) = serde_json::from_value::<crate::diag::Diag>(w.clone()) {
            eprintln!("{d}");
        }
    }
    if warnings.len() > WARNINGS_SHOWN {
        eprintln!(
            "... {} more warnings in snapshot.json",
            warnings.len() - WARNINGS_SHOWN
        );
    }
}

/// `--cache`, else `./cache`, else the sample cache that ships with the source.
fn resolve_cache(arg: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(p) = arg {
        return Ok(p);
    }
    let local = PathBuf::from("cache");
    if local.join("raw-csv").is_dir() {
        return Ok(local);
    }
    let bundled = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample");
    if bundled.join("raw-csv").is_dir() {
        return Ok(bundled);
    }
    bail!("no cache: pass --cache DIR (the folder holding raw-csv/), or create ./cache")
}

/// `--snapshot-time`, else `SOURCE_DATE_EPOCH`, else now (whole seconds).
fn snapshot_time(arg: Option<&str>) -> Result<DateTime<Utc>> {
    let text = match arg {
        Some(t) => Some(t.to_string()),
        None => std::env::var("SOURCE_DATE_EPOCH").ok(),
    };
    let Some(text) = text else {
        let now = Utc::now();
        return Ok(DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now));
    };
    if let Ok(secs) = text.trim().parse::<i64>() {
        return DateTime::from_timestamp(secs, 0).context("snapshot time out of range");
    }
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .with_context(|| format!("snapshot time \"{text}\" is neither RFC 3339 (2026-04-20T06:00:00Z) nor Unix seconds"))
}

fn run_sample(args: SampleArgs) -> Result<i32> {
    let opts = sample::SampleOptions {
        districts: args.districts,
        clubs_per_district: args.clubs_per_district,
        dates: args.dates,
        seed: args.seed,
    };
    let summary = sample::write_sample(&args.out, &opts)?;
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
