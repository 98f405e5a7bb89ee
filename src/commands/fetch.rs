//! `toaststats fetch`: merges flags over toaststats.toml, checks the command line (usage
//! errors exit 2), runs the fetch and prints the plan, the report or its JSON.

use super::out;
use crate::cli::FetchArgs;
use crate::config;
use crate::fetch::client::{ClientOptions, user_agent};
use crate::fetch::politeness::Backoff;
use crate::fetch::report::{Progress, Status};
use crate::fetch::urls::{DEFAULT_BASE_URL, days, month_ends};
use crate::fetch::{self, Dates, FetchOptions, Selection};
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Politeness defaults (issue 12, DESIGN.md §9: about two requests a second).
const DEFAULT_RATE: f64 = 2.0;
const DEFAULT_CONCURRENCY: usize = 2;

/// Exit code of a usage error, as clap's own.
const USAGE: i32 = 2;

pub fn run(args: FetchArgs, config_path: Option<&Path>) -> Result<i32> {
    let opts = match options(&args, config_path) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e:#}");
            eprintln!("see `toaststats fetch --help`");
            return Ok(USAGE);
        }
    };
    let progress = Progress::new(args.dry_run);
    let report = fetch::run(&opts, &progress)?;
    if args.json {
        out(&serde_json::to_string_pretty(&report)?);
    } else if args.dry_run {
        for d in &report.dates {
            for u in std::iter::once(&d.summary).chain(&d.districts) {
                for url in &u.urls {
                    out(&format!("{} {url}", d.date));
                }
            }
            let skipped = d
                .districts
                .iter()
                .filter(|u| u.status == Status::Skipped)
                .count();
            if skipped > 0 {
                out(&format!(
                    "{} {skipped} districts already cached (no request)",
                    d.date
                ));
            }
            if matches!(opts.selection, Selection::All) && d.summary.status == Status::Planned {
                out(&format!(
                    "{} districts: read from the summary once it is downloaded",
                    d.date
                ));
            }
        }
        eprintln!("dry run: nothing was sent");
    } else {
        for line in report.summary_lines() {
            out(&line);
        }
    }
    Ok(report.exit_code)
}

/// The run's options: flags, then toaststats.toml, then defaults.
fn options(args: &FetchArgs, config_path: Option<&Path>) -> Result<FetchOptions> {
    let cfg = config::load(config_path)?;
    let selection = if args.all {
        Selection::All
    } else if !args.districts.is_empty() {
        Selection::List(checked_ids(&args.districts)?)
    } else if let Some(ids) = cfg.districts.clone().filter(|d| !d.is_empty()) {
        Selection::List(ids)
    } else {
        anyhow::bail!(
            "which districts? pass --districts 61,91 or --all, or set `districts` in {}",
            config::FILE_NAME
        );
    };
    let today = chrono::Utc::now().date_naive();
    let dates = match (args.date, args.from, args.to) {
        (_, Some(from), Some(to)) => {
            if from > to {
                anyhow::bail!("--from {from} is after --to {to}");
            }
            if to > today {
                anyhow::bail!("--to {to} is in the future (today is {today}, UTC)");
            }
            if args.month_ends {
                let ends = month_ends(from, to);
                if ends.is_empty() {
                    anyhow::bail!("no month ends from {from} to {to}");
                }
                Dates::MonthEnds(ends)
            } else {
                Dates::Days(days(from, to))
            }
        }
        (Some(date), _, _) => {
            if date > today {
                anyhow::bail!("--date {date} is in the future (today is {today}, UTC)");
            }
            Dates::Days(vec![date])
        }
        _ => Dates::Newest {
            catch_up_days: args.catch_up_days,
        },
    };
    if !(args.patience >= 0.0 && args.patience.is_finite()) {
        anyhow::bail!(
            "--patience {}: give a number of seconds, 0 or more",
            args.patience
        );
    }
    let rate = args.rate.or(cfg.rate).unwrap_or(DEFAULT_RATE);
    if !(rate >= 0.0 && rate.is_finite()) {
        anyhow::bail!("--rate {rate}: give requests per second, 0 for no limit");
    }
    let concurrency = args
        .concurrency
        .or(cfg.concurrency)
        .unwrap_or(DEFAULT_CONCURRENCY);
    if concurrency == 0 {
        anyhow::bail!("--concurrency must be at least 1");
    }
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        anyhow::bail!(
            "--timeout {}: give a number of seconds above 0",
            args.timeout
        );
    }
    let base_url = args
        .base_url
        .clone()
        .or(cfg.base_url.clone())
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
    // The flag was checked by clap; a value from toaststats.toml gets the same check.
    crate::cli::values::http_url(&base_url).map_err(|e| anyhow::anyhow!("--base-url {e}"))?;
    let cache = args
        .cache
        .clone()
        .or(cfg.cache.clone())
        .unwrap_or_else(|| PathBuf::from("cache"));
    Ok(FetchOptions {
        cache,
        selection,
        dates,
        base_url,
        concurrency,
        client: ClientOptions {
            rate,
            retries: args.retries,
            timeout: Duration::from_secs_f64(args.timeout),
            backoff: Backoff {
                base: Duration::from_millis(args.backoff_ms),
                ..Backoff::DEFAULT
            },
            patience: Duration::from_secs_f64(args.patience),
            user_agent: user_agent(cfg.site_url.as_deref()),
        },
        dry_run: args.dry_run,
        force: args.force,
        today,
    })
}

fn checked_ids(ids: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for id in ids.iter().map(|i| i.trim()) {
        if !crate::cache::records::is_district_id(id) {
            anyhow::bail!("--districts: \"{id}\" is not a district id (letters and digits only)");
        }
        if !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    }
    Ok(out)
}
