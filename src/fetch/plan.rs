//! One date of a run: what is already cached (resume), which of the ways of asking for the
//! day TI answers (the summary decides, the districts follow it), the order (summary first,
//! then per district club → division → district, districts spread over `concurrency`
//! workers), each file fetched, verified against its request and stored, and the publish
//! of what is complete.

use super::checks::{Good, check};
use super::client::{Answer, Client};
use super::partial::{self, DISTRICT_REPORTS, DateDirs, FileEntry, rel_in_date};
use super::report::{DateReport, Progress, Status, UnitReport};
use super::urls::Target;
use super::{FetchOptions, Selection};
use crate::cache::eras::Report;
use crate::cache::footer::{self, data_period, last_day_of_month};
use crate::cache::records;
use crate::cache::table::Table;
use crate::fsx;
use crate::hash::sha256_hex;
use crate::model::district_sort_key;
use anyhow::Result;
use chrono::NaiveDate;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

fn unit(district: Option<&str>, status: Status, reason: Option<String>) -> UnitReport {
    UnitReport {
        district: district.map(str::to_string),
        status,
        reason,
        urls: Vec::new(),
    }
}

/// What fetching one file came to.
enum FileOutcome {
    Stored,
    Bad(Status, String),
}

fn fetch_file(
    opts: &FetchOptions,
    client: &Client,
    dirs: &DateDirs,
    target: &Target,
    report: Report,
    district: &str,
) -> Result<FileOutcome> {
    let url = target.url(&opts.base_url, report, district);
    let rel = rel_in_date(report, district);
    let shown = format!("{}/{rel}", dirs.rel());
    match client.fetch(&url, |b| check(target, report, district, &shown, b)) {
        Answer::Good {
            status,
            bytes,
            value,
        } => {
            store(dirs, rel, url, status, &bytes, &value)?;
            Ok(FileOutcome::Stored)
        }
        Answer::NoData(reason) => Ok(FileOutcome::Bad(Status::Unavailable, reason)),
        Answer::ErrorPage { status, location } => Ok(FileOutcome::Bad(
            Status::Unavailable,
            format!(
                "HTTP {status} redirect to {location}: program year {} is not published (yet)",
                target.program_year()
            ),
        )),
        Answer::Failed { reason, .. } => {
            Ok(FileOutcome::Bad(Status::Failed, format!("{url}: {reason}")))
        }
        Answer::Stopped => Ok(FileOutcome::Bad(
            Status::Failed,
            "not attempted: the run was stopped".to_string(),
        )),
    }
}

/// Writes a verified body into the partial folder with what metadata.json records of it.
fn store(
    dirs: &DateDirs,
    rel: String,
    url: String,
    status: u16,
    bytes: &[u8],
    good: &Good,
) -> Result<()> {
    let entry = FileEntry {
        path: rel,
        url,
        status,
        bytes: bytes.len() as u64,
        sha256: sha256_hex(bytes),
        as_of: good.as_of,
        data_month: format!(
            "{:04}-{:02}",
            good.period.data_month.0, good.period.data_month.1
        ),
        closing: good.period.closing,
        fetched_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    };
    dirs.store(entry, bytes)
}

/// One date to fetch: the ways of asking for it, most likely first, and the summary
/// already in hand when this is the newest day (the live-year question's answer).
pub(super) struct DateJob {
    pub date: NaiveDate,
    pub targets: Vec<Target>,
    pub summary: Option<Prefetched>,
}

pub(super) struct Prefetched {
    pub url: String,
    pub status: u16,
    pub bytes: Vec<u8>,
}

/// Of the ways of asking, the one a cached summary was answered by: the month-end slot of
/// its data month.
fn target_of_cached(dirs: &DateDirs, targets: &[Target]) -> Option<Target> {
    let month = cached_summary_month(dirs)?;
    let period = data_period(dirs.date, month);
    let end = last_day_of_month(period.data_month.0, period.data_month.1);
    targets
        .iter()
        .find(|t| t.month_end.is_none_or(|me| me == end))
        .copied()
}

pub(super) fn fetch_date(
    opts: &FetchOptions,
    client: &Client,
    progress: &Progress,
    job: &DateJob,
) -> Result<DateReport> {
    let dirs = DateDirs::open(&opts.cache, job.date, opts.force)?;
    let date = job.date.to_string();
    let Some(&first) = job.targets.first() else {
        anyhow::bail!("no way to ask TI for {date}");
    };
    let mut out = DateReport {
        date: date.clone(),
        form: first.form,
        dashboard: first.dashboard,
        folder: dirs.rel(),
        program_year: first.program_year(),
        summary: unit(None, Status::Skipped, None),
        districts: Vec::new(),
        gap: None,
    };

    // The summary first: it is the date's district list and its period, and which way of
    // asking TI answers for this day.
    let summary_cached = dirs.in_final(Report::Summary, "") || dirs.in_partial(Report::Summary, "");
    let mut target = first;
    if summary_cached {
        target = target_of_cached(&dirs, &job.targets).unwrap_or(first);
    } else if opts.dry_run {
        out.summary = unit(None, Status::Planned, None);
        out.summary
            .urls
            .push(first.url(&opts.base_url, Report::Summary, ""));
    } else if let Some(pre) = &job.summary {
        let shown = format!("{}/{}", dirs.rel(), Report::Summary.file_name());
        match check(&first, Report::Summary, "", &shown, &pre.bytes) {
            Ok(good) => {
                store(
                    &dirs,
                    rel_in_date(Report::Summary, ""),
                    pre.url.clone(),
                    pre.status,
                    &pre.bytes,
                    &good,
                )?;
                out.summary = unit(None, Status::Fetched, None);
            }
            Err(bad) => {
                out.summary = unit(None, Status::Failed, Some(bad.reason().to_string()));
            }
        }
        out.summary.urls.push(pre.url.clone());
        progress.unit(&date, &out.summary);
    } else {
        let mut reasons = Vec::new();
        let mut answered_nothing = true;
        for t in &job.targets {
            let u = fetch_summary(opts, client, progress, &dirs, t)?;
            if u.status == Status::Fetched {
                target = *t;
                out.summary = u;
                break;
            }
            answered_nothing &= u.status == Status::Unavailable;
            reasons.push(u.reason.clone().unwrap_or_default());
            out.summary.urls.extend(u.urls.clone());
            out.summary.status = u.status;
            if u.status == Status::Failed {
                break;
            }
        }
        if out.summary.status != Status::Fetched {
            let why = reasons.join("; ");
            if answered_nothing {
                out.gap = Some(format!("TI serves nothing for {date}: {why}"));
            }
            out.summary.reason = Some(why);
        }
        progress.unit(&date, &out.summary);
    }
    out.form = target.form;
    out.dashboard = target.dashboard;
    out.program_year = target.program_year();
    let target = &target;

    let requested: Vec<String> = match &opts.selection {
        Selection::List(ids) => ids.clone(),
        Selection::All => match discover(&dirs) {
            Some(ids) => ids,
            None => {
                // Nothing to discover from: the summary is not here (dry run, unpublished
                // or failed); its status says why.
                finish(&dirs, opts, &[])?;
                return Ok(out);
            }
        },
    };

    // A summary TI has not published means the date is not published: asking for its
    // districts would only cost TI requests.
    if out.summary.status == Status::Unavailable {
        for d in &requested {
            let u = if dirs.district_in_final(d) {
                unit(Some(d), Status::Skipped, None)
            } else {
                unit(
                    Some(d),
                    Status::Unavailable,
                    Some("the date's summary is not published (yet)".to_string()),
                )
            };
            out.districts.push(u);
        }
        finish(&dirs, opts, &requested)?;
        return Ok(out);
    }

    let todo: Vec<&String> = requested
        .iter()
        .filter(|d| !dirs.district_in_final(d))
        .collect();
    let results: Mutex<Vec<(usize, UnitReport)>> = Mutex::new(Vec::new());
    if opts.dry_run {
        for (i, d) in todo.iter().enumerate() {
            let mut u = unit(Some(d), Status::Planned, None);
            u.urls = DISTRICT_REPORTS
                .iter()
                .filter(|r| !dirs.in_partial(**r, d))
                .map(|r| target.url(&opts.base_url, *r, d))
                .collect();
            results
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((i, u));
        }
    } else {
        progress.plan(
            todo.iter()
                .map(|d| {
                    DISTRICT_REPORTS
                        .iter()
                        .filter(|r| !dirs.in_partial(**r, d))
                        .count() as u64
                })
                .sum(),
        );
        let next = AtomicUsize::new(0);
        let failure: Mutex<Option<anyhow::Error>> = Mutex::new(None);
        std::thread::scope(|s| {
            for _ in 0..opts.concurrency.max(1).min(todo.len().max(1)) {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(d) = todo.get(i) else { break };
                        match fetch_district(opts, client, progress, &dirs, target, d) {
                            Ok(u) => {
                                progress.unit(&date, &u);
                                results
                                    .lock()
                                    .unwrap_or_else(|e| e.into_inner())
                                    .push((i, u));
                            }
                            Err(e) => {
                                *failure.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
                                break;
                            }
                        }
                    }
                });
            }
        });
        if let Some(e) = failure.into_inner().unwrap_or_else(|e| e.into_inner()) {
            return Err(e);
        }
    }
    let mut done = results.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_by_key(|(i, _)| *i);
    let mut done = done.into_iter().map(|(_, u)| u);
    for d in &requested {
        if dirs.district_in_final(d) {
            out.districts.push(unit(Some(d), Status::Skipped, None));
        } else if let Some(u) = done.next() {
            out.districts.push(u);
        }
    }
    let published = finish(&dirs, opts, &requested)?;
    if let Some(p) = published {
        // A district reported fetched must be in the date folder now.
        for u in &mut out.districts {
            if u.status == Status::Fetched
                && !p.districts.iter().any(|d| Some(d) == u.district.as_ref())
            {
                u.status = Status::Failed;
                u.reason = Some("not all three reports were stored".to_string());
            }
        }
    }
    Ok(out)
}

/// A date after TI's newest: reported as not published, nothing asked.
pub(super) fn not_yet(opts: &FetchOptions, job: &DateJob, newest: NaiveDate) -> DateReport {
    let t = job.targets.first();
    let reason = format!(
        "TI's newest data is as of {newest}: {} is not published yet",
        job.date
    );
    let districts = match &opts.selection {
        Selection::List(ids) => ids
            .iter()
            .map(|d| unit(Some(d), Status::Unavailable, Some(reason.clone())))
            .collect(),
        Selection::All => Vec::new(),
    };
    DateReport {
        date: job.date.to_string(),
        form: t.map_or(super::urls::Form::Day, |t| t.form),
        dashboard: t.map_or(super::urls::Dashboard::Live, |t| t.dashboard),
        program_year: t.map(Target::program_year).unwrap_or_default(),
        folder: format!("raw-csv/{}", job.date),
        summary: unit(None, Status::Unavailable, Some(reason)),
        districts,
        gap: None,
    }
}

/// The data month of the date's cached summary, from its footer.
fn cached_summary_month(dirs: &DateDirs) -> Option<u32> {
    let bytes = fsx::read(&dirs.stored_path(Report::Summary, "")?).ok()?;
    footer::find_footer(&String::from_utf8_lossy(&bytes)).map(|(_, f)| f.month)
}

/// Fetches the date's summary.
fn fetch_summary(
    opts: &FetchOptions,
    client: &Client,
    progress: &Progress,
    dirs: &DateDirs,
    target: &Target,
) -> Result<UnitReport> {
    progress.plan(1);
    let outcome = fetch_file(opts, client, dirs, target, Report::Summary, "")?;
    progress.file_done();
    let mut u = match outcome {
        FileOutcome::Stored => unit(None, Status::Fetched, None),
        FileOutcome::Bad(status, reason) => unit(None, status, Some(reason)),
    };
    u.urls.push(target.url(&opts.base_url, Report::Summary, ""));
    Ok(u)
}

/// Publishes what is complete (not in a dry run); a forced re-download only whole, when
/// the summary and every requested district are there.
fn finish(
    dirs: &DateDirs,
    opts: &FetchOptions,
    requested: &[String],
) -> Result<Option<partial::Published>> {
    if opts.dry_run {
        return Ok(None);
    }
    if opts.force {
        return dirs.publish_whole(requested).map(Some);
    }
    dirs.publish().map(Some)
}

/// The districts a date's cached summary lists, sorted as TI numbers them.
fn discover(dirs: &DateDirs) -> Option<Vec<String>> {
    let path = dirs.stored_path(Report::Summary, "")?;
    let bytes = fsx::read(&path).ok()?;
    let mut warnings = Vec::new();
    let rel = format!("{}/{}", dirs.rel(), Report::Summary.file_name());
    let table = Table::parse(Report::Summary, &rel, &bytes, &mut warnings).ok()?;
    let rows = records::summary(&table, &mut warnings).ok()?;
    let mut ids: Vec<String> = rows.into_iter().map(|r| r.district_id).collect();
    ids.sort_by_key(|i| district_sort_key(i));
    ids.dedup();
    Some(ids)
}

/// One district's three reports in order; the first one that is not stored ends it.
fn fetch_district(
    opts: &FetchOptions,
    client: &Client,
    progress: &Progress,
    dirs: &DateDirs,
    target: &Target,
    district: &str,
) -> Result<UnitReport> {
    let mut u = unit(Some(district), Status::Fetched, None);
    for report in DISTRICT_REPORTS {
        if dirs.in_partial(report, district) {
            continue;
        }
        u.urls.push(target.url(&opts.base_url, report, district));
        let outcome = fetch_file(opts, client, dirs, target, report, district)?;
        progress.file_done();
        match outcome {
            FileOutcome::Stored => {}
            FileOutcome::Bad(status, reason) => {
                u.status = status;
                u.reason = Some(format!("{}: {reason}", report.file_name()));
                return Ok(u);
            }
        }
    }
    Ok(u)
}
