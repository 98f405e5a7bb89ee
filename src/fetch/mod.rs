//! `toaststats fetch`: downloads TI's dashboard exports into the cache (issue 12), politely
//! and resumably, never leaving a half-written date folder.
//!
//! This file owns the run: its options, the dates in order, the counters and the report.
//! The pieces:
//! - `plan`: one date: resume, order, workers, publish;
//! - `urls`: TI's URL forms (the contract with TI);
//! - `politeness` and `client`: rate limit, retries with backoff, circuit breaker, HTTP;
//! - `checks`: judging a body with the reader `build` uses;
//! - `partial` and `metadata`: the `.partial-<date>` folder, metadata.json, the rename;
//! - `report`: run report, fetch log, progress and exit code.

pub mod checks;
pub mod client;
mod gaps;
pub mod live;
mod lock;
mod metadata;
pub mod partial;
mod plan;
pub mod politeness;
pub mod report;
pub mod urls;

use anyhow::Result;
use chrono::{Datelike, Days, NaiveDate};
use client::{Client, ClientOptions};
use live::{LiveYear, Resolution};
use plan::{DateJob, Prefetched};
use report::{Progress, RunReport};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Instant;
use urls::Target;

/// Which districts a run fetches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    List(Vec<String>),
    /// Every district the date's summary lists (DOMAIN.md §3.2, district discovery).
    All,
}

/// Which dates a run fetches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dates {
    /// The nightly collection: TI's newest day (filed under its footer's as-of date), and
    /// the live year's missing dates of the last `catch_up_days` before it.
    Newest { catch_up_days: u32 },
    /// These days (`--date`, `--from/--to`).
    Days(Vec<NaiveDate>),
    /// These months' final figures (`--month-ends`).
    MonthEnds(Vec<NaiveDate>),
}

#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub cache: PathBuf,
    pub selection: Selection,
    pub dates: Dates,
    pub base_url: String,
    pub concurrency: usize,
    pub client: ClientOptions,
    pub dry_run: bool,
    /// Re-download dates that are already cached, replacing each folder whole.
    pub force: bool,
    /// TI's calendar day, UTC: the day the run happens.
    pub today: NaiveDate,
}

/// Runs a fetch. Errors are the tool's own (a cache it cannot write); everything TI does
/// is in the report.
pub fn run(opts: &FetchOptions, progress: &Progress) -> Result<RunReport> {
    let started_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let clock = Instant::now();
    let _lock = if opts.dry_run {
        None
    } else {
        Some(lock::FetchLock::acquire(&opts.cache)?)
    };
    let client = Client::new(opts.client.clone());
    let mut dates = Vec::new();
    let mut live_year = None;
    let mut unreachable = None;
    let mut nothing_served = None;
    let mut known_gaps = Vec::new();
    let live = if opts.dry_run {
        // Nothing is sent: plan as if the calendar's year were live and yesterday newest.
        let yesterday = opts.today.pred_opt().unwrap_or(opts.today);
        Some(assumed_live(opts, yesterday))
    } else {
        match live::resolve(&opts.base_url, &client, opts.today) {
            Resolution::Live(l) => Some(l),
            Resolution::NothingServed(why) => {
                nothing_served = Some(why);
                None
            }
            Resolution::Unreachable(why) => {
                unreachable = Some(why);
                None
            }
        }
    };
    if let Some(live) = &live {
        let gaps = gaps::Gaps::load(&opts.cache)?;
        let mut jobs = jobs(opts, live, &gaps, &mut known_gaps);
        if !opts.dry_run {
            live_year = Some(live.clone());
        }
        let mut found = Vec::new();
        for job in jobs.drain(..) {
            if client.breaker.is_open() {
                break;
            }
            if job.date > live.as_of {
                dates.push(plan::not_yet(opts, &job, live.as_of));
                continue;
            }
            let d = plan::fetch_date(opts, &client, progress, &job)?;
            if let Some(why) = &d.gap {
                found.push((job.date, why.clone()));
            }
            dates.push(d);
        }
        if !opts.dry_run && !found.is_empty() {
            gaps.record(&opts.cache, &found)?;
        }
    }
    progress.finish();
    let seconds = clock.elapsed().as_secs_f64();
    let requests = client.stats.requests.load(Ordering::Relaxed);
    let unreachable = unreachable.or_else(|| client.unreachable());
    let stopped = client.stop_reason().or_else(|| unreachable.clone());
    let mut totals = RunReport::totals(&dates);
    if nothing_served.is_some() {
        totals.unavailable += 1;
    }
    let report = RunReport {
        tool: format!("toaststats {}", env!("CARGO_PKG_VERSION")),
        started_at,
        dry_run: opts.dry_run,
        base_url: opts.base_url.clone(),
        requests,
        retries: client.stats.retries.load(Ordering::Relaxed),
        bytes: client.stats.bytes.load(Ordering::Relaxed),
        seconds,
        requests_per_second: if seconds > 0.0 {
            requests as f64 / seconds
        } else {
            0.0
        },
        exit_code: RunReport::exit_code(&totals, stopped.is_some()),
        live_year,
        unreachable,
        known_gaps,
        nothing_served,
        stopped,
        totals,
        dates,
    };
    if !opts.dry_run {
        report.append_log(&opts.cache)?;
    }
    Ok(report)
}

/// A dry run's stand-in for the live-year question: the calendar's year, yesterday newest.
fn assumed_live(opts: &FetchOptions, yesterday: NaiveDate) -> LiveYear {
    let start = crate::cache::footer::program_year_start(yesterday);
    LiveYear {
        program_year: format!("{start}-{}", start + 1),
        start,
        as_of: yesterday,
        data_month: format!("{:04}-{:02}", yesterday.year(), yesterday.month()),
        url: live::question_url(&opts.base_url, opts.today),
        learned_from: "assumed (dry run: nothing sent)".to_string(),
        summary: Vec::new(),
        status: 0,
    }
}

/// The dates of the run, each with its ways of asking, in order.
fn jobs(
    opts: &FetchOptions,
    live: &LiveYear,
    gaps: &gaps::Gaps,
    known_gaps: &mut Vec<String>,
) -> Vec<DateJob> {
    let day_job = |date: NaiveDate| DateJob {
        date,
        targets: if date == live.as_of {
            vec![Target::latest(date, live.start)]
        } else {
            urls::day_targets(date, live.start)
        },
        summary: (date == live.as_of && !opts.dry_run).then(|| Prefetched {
            url: live.url.clone(),
            status: live.status,
            bytes: live.summary.clone(),
        }),
    };
    match &opts.dates {
        Dates::Newest { catch_up_days } => {
            let mut out = vec![day_job(live.as_of)];
            for date in catch_up(opts, live, *catch_up_days) {
                if gaps.contains(date) {
                    known_gaps.push(date.to_string());
                } else {
                    out.push(day_job(date));
                }
            }
            out
        }
        // A day after TI's newest is not asked: it is reported as not published.
        Dates::Days(days) => days.iter().map(|d| day_job(*d)).collect(),
        Dates::MonthEnds(ends) => ends
            .iter()
            .map(|d| DateJob {
                date: *d,
                targets: vec![Target::month_end(*d, live.start)],
                summary: None,
            })
            .collect(),
    }
}

/// The live year's dates of the `days` before TI's newest that the cache lacks (whole or
/// for a configured district), oldest first. A cache with no date folder yet starts with
/// tonight's date alone: filling the weeks before is a backfill (`--from/--to`), not a
/// missed night.
fn catch_up(opts: &FetchOptions, live: &LiveYear, days: u32) -> Vec<NaiveDate> {
    let raw = opts.cache.join("raw-csv");
    let cached: Vec<NaiveDate> = crate::fsx::read_dir_sorted(&raw)
        .map(|entries| {
            entries
                .iter()
                .filter_map(|e| {
                    NaiveDate::parse_from_str(&e.file_name().to_string_lossy(), "%Y-%m-%d").ok()
                })
                .collect()
        })
        .unwrap_or_default();
    let Some(oldest) = cached.iter().min().copied() else {
        return Vec::new();
    };
    let live_start = NaiveDate::from_ymd_opt(live.start, 7, 1).unwrap_or(live.as_of);
    let from = live
        .as_of
        .checked_sub_days(Days::new(u64::from(days)))
        .unwrap_or(live.as_of)
        .max(live_start)
        .max(oldest);
    urls::days(from, live.as_of.pred_opt().unwrap_or(live.as_of))
        .into_iter()
        .filter(|d| !complete(&raw.join(d.to_string()), &opts.selection))
        .collect()
}

/// A date folder holds the summary and every configured district's club report (with
/// `--all`: every district its own summary lists is judged when fetched, so the summary
/// alone counts here).
fn complete(dir: &std::path::Path, selection: &Selection) -> bool {
    use crate::cache::eras::Report;
    use partial::rel_in_date;
    if !dir.join(rel_in_date(Report::Summary, "")).is_file() {
        return false;
    }
    match selection {
        Selection::All => true,
        Selection::List(ids) => ids
            .iter()
            .all(|d| dir.join(rel_in_date(Report::Club, d)).is_file()),
    }
}
