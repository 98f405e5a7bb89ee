//! One date of a run: what is already cached (resume), the order (summary first, then per
//! district club → division → district, districts spread over `concurrency` workers), each
//! file fetched, checked and stored, and the publish of what is complete.

use super::checks::{Bad, check};
use super::client::{Answer, Client};
use super::partial::{self, DISTRICT_REPORTS, DateDirs, FileEntry, rel_in_date};
use super::report::{DateReport, Progress, Status, UnitReport};
use super::urls::Target;
use super::{FetchOptions, Selection};
use crate::cache::eras::Report;
use crate::cache::footer;
use crate::cache::records;
use crate::cache::table::Table;
use crate::fsx;
use crate::hash::sha256_hex;
use crate::model::district_sort_key;
use anyhow::Result;
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
    let answer = client.get(&url);
    let (status, bytes) = match answer {
        Answer::Body { status, bytes } => (status, bytes),
        Answer::ErrorPage { status, location } => {
            return Ok(FileOutcome::Bad(
                Status::Unavailable,
                format!(
                    "HTTP {status} redirect to {location}: program year {} is not published (yet)",
                    target.program_year()
                ),
            ));
        }
        Answer::Failed { reason, .. } => {
            return Ok(FileOutcome::Bad(Status::Failed, format!("{url}: {reason}")));
        }
        Answer::Stopped => {
            return Ok(FileOutcome::Bad(
                Status::Failed,
                "not attempted: the run was stopped".to_string(),
            ));
        }
    };
    match check(target, report, &shown, &bytes) {
        Ok(good) => {
            client.verdict(true, "");
            let entry = FileEntry {
                path: rel,
                url,
                status,
                bytes: bytes.len() as u64,
                sha256: sha256_hex(&bytes),
                as_of: good.as_of,
                data_month: format!(
                    "{:04}-{:02}",
                    good.period.data_month.0, good.period.data_month.1
                ),
                closing: good.period.closing,
                fetched_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            };
            dirs.store(entry, &bytes)?;
            Ok(FileOutcome::Stored)
        }
        Err(Bad::NotPublished(reason)) => {
            client.verdict(true, "");
            Ok(FileOutcome::Bad(Status::Unavailable, reason))
        }
        Err(Bad::Failed(reason)) => {
            client.verdict(false, &reason);
            Ok(FileOutcome::Bad(Status::Failed, format!("{url}: {reason}")))
        }
    }
}

pub(super) fn fetch_date(
    opts: &FetchOptions,
    client: &Client,
    progress: &Progress,
    target: &Target,
) -> Result<DateReport> {
    let dirs = DateDirs::open(&opts.cache, target.date)?;
    let date = target.date.to_string();
    let mut out = DateReport {
        date: date.clone(),
        form: target.form,
        folder: dirs.rel(),
        program_year: target.program_year(),
        summary: unit(None, Status::Skipped, None),
        districts: Vec::new(),
    };

    // The summary first: it is the date's district list and its period.
    let mut target = *target;
    let summary_cached = dirs.in_final(Report::Summary, "") || dirs.in_partial(Report::Summary, "");
    if !summary_cached {
        let url = target.url(&opts.base_url, Report::Summary, "");
        if opts.dry_run {
            out.summary = unit(None, Status::Planned, None);
            out.summary.urls.push(url);
        } else {
            out.summary = fetch_summary(opts, client, progress, &dirs, &target)?;
            // Early July: the new year may not be published while the old one still serves
            // the June close for this day; the rest of the date then follows it.
            if out.summary.status == Status::Unavailable
                && let Some(june) = target.june_close_fallback()
            {
                let second = fetch_summary(opts, client, progress, &dirs, &june)?;
                if second.status == Status::Fetched {
                    target = june;
                    out.summary = second;
                } else if let Some(r) = &mut out.summary.reason {
                    r.push_str(&format!(
                        "; the {} dashboard did not serve it either ({})",
                        june.program_year(),
                        second.reason.as_deref().unwrap_or("")
                    ));
                    out.summary.urls.extend(second.urls);
                }
            }
        }
        progress.unit(&date, &out.summary);
    }
    // A resumed July date whose cached summary is the June close goes on asking the
    // dashboard that served it.
    if summary_cached
        && let Some(june) = target.june_close_fallback()
        && cached_summary_month(&dirs) == Some(6)
    {
        target = june;
    }
    out.program_year = target.program_year();
    let target = &target;

    let requested: Vec<String> = match &opts.selection {
        Selection::List(ids) => ids.clone(),
        Selection::All => match discover(&dirs) {
            Some(ids) => ids,
            None => {
                // Nothing to discover from: the summary is not here (dry run, unpublished
                // or failed); its status says why.
                finish(&dirs, opts)?;
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
        finish(&dirs, opts)?;
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
    let published = finish(&dirs, opts)?;
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

/// Publishes what is complete (not in a dry run).
fn finish(dirs: &DateDirs, opts: &FetchOptions) -> Result<Option<partial::Published>> {
    if opts.dry_run {
        return Ok(None);
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
