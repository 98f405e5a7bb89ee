//! Health of a site for monitoring: what is served, how old it is, how old its data is,
//! whether it is intact, and how recent builds went. `fresh` means the site was built or
//! re-checked within the freshness window; `data_freshness` judges the data itself, since
//! a build that finds nothing new re-confirms the site without making its data newer.

use super::log::BuildRecord;
use super::{Site, catalog};
use crate::freshness;
use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// How many recent build attempts the statistics cover.
const RECENT_BUILDS: usize = 30;

#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    /// Older than this many hours is `stale`.
    pub max_age_hours: f64,
    /// Older than this many hours is `very_stale`.
    pub very_stale_hours: f64,
    /// Data whose newest date (data date or as-of date) is more days old than this is stale.
    pub max_data_age_days: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            max_age_hours: 36.0,
            very_stale_hours: 72.0,
            max_data_age_days: freshness::MAX_DATA_AGE_DAYS,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub current_id: Option<String>,
    pub data_date: Option<String>,
    pub as_of_date: Option<String>,
    pub closing: Option<bool>,
    pub created_at: Option<String>,
    /// When the served content was last built or confirmed unchanged.
    pub last_confirmed_at: Option<String>,
    pub age_hours: Option<f64>,
    /// `fresh`, `stale`, `very_stale`, or `none` when nothing is published.
    pub freshness: &'static str,
    /// Whole days from the later of the data date and the as-of date to today (UTC).
    pub data_age_days: Option<i64>,
    /// `fresh`, `stale` (older than the data-age limit), `synthetic` (the bundled or a
    /// generated sample: its dates are invented, so their age says nothing) or `none`.
    pub data_freshness: &'static str,
    /// The current snapshot was built from synthetic sample data (`raw-csv/SYNTHETIC`).
    pub synthetic: bool,
    /// What is wrong with the current snapshot's files, if anything.
    pub current_problem: Option<String>,
    /// How the current snapshot was checked: `quick` (sizes, key pages hashed) or `full`.
    pub current_check: &'static str,
    /// Set when `current.json` disagrees with the `current` link (the link is served).
    pub pointer_problem: Option<String>,
    pub last_build: Option<LastBuild>,
    pub consecutive_failures: usize,
    /// Share of the last builds that did not fail, 0 to 1.
    pub success_rate: Option<f64>,
    pub median_build_seconds: Option<f64>,
    pub builds_counted: usize,
    /// True when fresh, the data is fresh, the current snapshot and its pointer are sound,
    /// and the last build did not fail: the exit code is 0 exactly then.
    pub healthy: bool,
    /// Set while a rollback holds the site (builds are stored, not published).
    pub pinned: Option<super::pin::Pin>,
    /// Free space of the store's file system; `critical` (below 5%) makes the site
    /// unhealthy, `low` (below 20%) is a warning. `None` when it cannot be asked.
    pub disk: Option<super::disk::Disk>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LastBuild {
    pub id: String,
    pub status: String,
    pub finished_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

fn is_build(r: &BuildRecord) -> bool {
    r.status != "rollback"
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// [`status_with`] and a quick check of the current snapshot: for callers that ask often
/// (the preview server's `/api/health`), where re-hashing every file each time costs too much.
pub fn status(site: &Site, thresholds: Thresholds, now: DateTime<Utc>) -> Result<Status> {
    status_with(site, thresholds, now, catalog::Check::Quick)
}

/// The date the data's age counts from ([`freshness::newest_date`]), from the snapshot
/// metadata's `data_date` and `as_of_date` (YYYY-MM-DD).
fn newest_date(data_date: Option<&str>, as_of_date: Option<&str>) -> Option<NaiveDate> {
    let parse = |d: Option<&str>| d.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    match (parse(data_date), parse(as_of_date)) {
        (Some(data), as_of) => Some(freshness::newest_date(data, as_of)),
        (None, as_of) => as_of,
    }
}

pub fn status_with(
    site: &Site,
    thresholds: Thresholds,
    now: DateTime<Utc>,
    check: catalog::Check,
) -> Result<Status> {
    let current = catalog::current_id(site);
    let meta = current.as_ref().and_then(|id| catalog::metadata(site, id));
    let text = |k: &str| {
        meta.as_ref()
            .and_then(|m| m[k].as_str())
            .map(str::to_string)
    };
    let builds: Vec<BuildRecord> = catalog::builds(site)?
        .into_iter()
        .filter(is_build)
        .collect();
    let recent = &builds[builds.len().saturating_sub(RECENT_BUILDS)..];

    // The site is as fresh as its last build that published or found nothing new; a build
    // stored without publishing (pinned, older data, --no-publish) does not refresh it.
    let confirmed = builds
        .iter()
        .rev()
        .filter(|b| b.became_current)
        .find_map(|b| parse_time(&b.finished_at));
    let created = text("created_at").as_deref().and_then(parse_time);
    let last_confirmed = match (confirmed, created) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let age_hours = last_confirmed.map(|t| (now - t).num_seconds() as f64 / 3600.0);
    let freshness = match (current.as_ref(), age_hours) {
        (None, _) | (_, None) => "none",
        (_, Some(h)) if h <= thresholds.max_age_hours => "fresh",
        (_, Some(h)) if h <= thresholds.very_stale_hours => "stale",
        _ => "very_stale",
    };
    let newest = newest_date(text("data_date").as_deref(), text("as_of_date").as_deref());
    let today = now.date_naive();
    let data_age_days = newest.map(|n| today.signed_duration_since(n).num_days());
    let synthetic = meta
        .as_ref()
        .and_then(|m| m["synthetic"].as_bool())
        .unwrap_or(false);
    let data_freshness = match (current.as_ref(), newest) {
        (None, _) | (_, None) => "none",
        // The README's first build is the bundled sample, a month old by design: `status`
        // right after it must not report a stale site.
        _ if synthetic => "synthetic",
        (_, Some(n)) if freshness::is_stale(n, today, thresholds.max_data_age_days) => "stale",
        _ => "fresh",
    };
    let current_problem = catalog::current_problem(site, check);
    let pointer_problem = catalog::pointer_disagreement(site);
    let consecutive_failures = builds
        .iter()
        .rev()
        .take_while(|b| b.status == "failed")
        .count();
    let success_rate = (!recent.is_empty()).then(|| {
        recent.iter().filter(|b| b.status != "failed").count() as f64 / recent.len() as f64
    });
    let mut durations: Vec<f64> = recent.iter().map(|b| b.duration_seconds).collect();
    durations.sort_by(f64::total_cmp);
    let median_build_seconds = match durations.len() {
        0 => None,
        n if n % 2 == 1 => Some(durations[n / 2]),
        n => Some((durations[n / 2 - 1] + durations[n / 2]) / 2.0),
    };
    let last_build = builds.last().map(|b| LastBuild {
        id: b.id.clone(),
        status: b.status.clone(),
        finished_at: b.finished_at.clone(),
        error: b.error.clone(),
    });
    let disk = super::disk::of(&site.root);
    let healthy = freshness == "fresh"
        && disk.as_ref().is_none_or(|d| d.state != "critical")
        && matches!(data_freshness, "fresh" | "synthetic")
        && current_problem.is_none()
        && pointer_problem.is_none()
        && last_build.as_ref().is_none_or(|b| b.status != "failed");
    Ok(Status {
        data_date: text("data_date"),
        as_of_date: text("as_of_date"),
        closing: meta.as_ref().and_then(|m| m["closing"].as_bool()),
        created_at: text("created_at"),
        current_id: current,
        last_confirmed_at: last_confirmed
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        age_hours: age_hours.map(|h| (h * 10.0).round() / 10.0),
        freshness,
        data_age_days,
        data_freshness,
        synthetic,
        current_problem,
        current_check: match check {
            catalog::Check::Quick => "quick",
            catalog::Check::Full => "full",
        },
        pointer_problem,
        last_build,
        consecutive_failures,
        success_rate,
        median_build_seconds,
        builds_counted: recent.len(),
        healthy,
        pinned: super::pin::read(site),
        disk,
    })
}
