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
mod lock;
mod metadata;
pub mod partial;
mod plan;
pub mod politeness;
pub mod report;
pub mod urls;

use anyhow::Result;
use client::{Client, ClientOptions};
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

#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub cache: PathBuf,
    pub selection: Selection,
    pub targets: Vec<Target>,
    pub base_url: String,
    pub concurrency: usize,
    pub client: ClientOptions,
    pub dry_run: bool,
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
    for target in &opts.targets {
        dates.push(plan::fetch_date(opts, &client, progress, target)?);
    }
    progress.finish();
    let seconds = clock.elapsed().as_secs_f64();
    let requests = client.stats.requests.load(Ordering::Relaxed);
    let stopped = client.stop_reason();
    let totals = RunReport::totals(&dates);
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
        stopped,
        totals,
        dates,
    };
    if !opts.dry_run {
        report.append_log(&opts.cache)?;
    }
    Ok(report)
}
