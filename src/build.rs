//! The one build path, used by the CLI (and later the admin API): read the cache,
//! validate, compute, render, then stage, verify and publish a snapshot, logging every
//! attempt. Any error before the swap leaves the live site exactly as it was.

use crate::cache::layout;
use crate::cache::load::{self, DatedFolder};
use crate::diag::Diag;
use crate::render::{self, BuildModel, BuiltDistrict, json};
use crate::store::log::{self, BuildRecord, FailedReport};
use crate::store::{Site, lock::WriterLock, manifest, publish, repair};
use crate::{rank, recognition, stats, validate};
use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, NaiveDate, Utc};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub cache: PathBuf,
    pub site: PathBuf,
    /// Present this data date (or the data date of this collection folder).
    pub date: Option<NaiveDate>,
    pub publish: bool,
    pub allow_older: bool,
    /// Build time; from `--snapshot-time` or `SOURCE_DATE_EPOCH`, else now.
    pub snapshot_time: DateTime<Utc>,
    pub wait: Duration,
    /// Largest share of districts that may fail before the whole build fails.
    pub max_failed_share: f64,
    /// Folder of templates overriding the embedded ones (`--templates`).
    pub templates: Option<PathBuf>,
}

/// What a successful build did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BuildOutcome {
    pub snapshot_id: String,
    /// `published`, `stored` (not made current) or `unchanged`.
    pub action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub record: BuildRecord,
    pub repairs: Vec<String>,
    /// Steps after the swap that failed: the build published, but these need attention
    /// (the next writer repairs `current.json`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// A failed build: the record that was logged and every error found.
#[derive(Debug)]
pub struct BuildFailure {
    pub record: BuildRecord,
    pub errors: Vec<Diag>,
    pub message: String,
}

impl std::fmt::Display for BuildFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for e in self.errors.iter().take(50) {
            writeln!(f, "{e}")?;
        }
        if self.errors.len() > 50 {
            writeln!(f, "... and {} more errors", self.errors.len() - 50)?;
        }
        write!(f, "build failed: {}", self.message)
    }
}

impl std::error::Error for BuildFailure {}

/// Time a phase and store its seconds.
fn timed<T>(slot: &mut f64, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    *slot = start.elapsed().as_secs_f64();
    out
}

pub fn run(opts: &BuildOptions) -> Result<BuildOutcome> {
    let site = Site::new(&opts.site);
    site.prepare_for_writing()?;
    let _lock = WriterLock::acquire(&site, opts.wait).map_err(|e| site.explain_unwritable(e))?;
    let repairs = repair::repair(&site)?;
    let started = Instant::now();
    let stamp = crate::store::id::stamp(opts.snapshot_time);
    let mut record = BuildRecord {
        started_at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        ..BuildRecord::default()
    };
    let result = build_and_publish(opts, &site, &stamp, &mut record);
    record.finished_at = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    record.duration_seconds = started.elapsed().as_secs_f64();
    match result {
        Ok((id, action, reason, mut warnings)) => {
            if let Err(e) = log::append(&site, &record) {
                // Once `current` moved the build has published: a log that cannot take
                // the line is worth a warning, not a "failed" that is not true.
                if action != "published" {
                    return Err(e);
                }
                warnings.push(format!(
                    "published {id}, but builds.jsonl could not record it ({e:#}); `status` does not count this build"
                ));
            }
            Ok(BuildOutcome {
                snapshot_id: id,
                action,
                reason,
                record,
                repairs,
                warnings,
            })
        }
        Err((message, errors, warnings)) => {
            record.id = crate::store::id::failed_id(opts.snapshot_time, |id| {
                site.failed_report(id).exists()
            });
            record.status = "failed".into();
            record.not_current_reason = Some("failed".into());
            record.errors = errors.len() as u64;
            record.error = Some(message.clone());
            let report = FailedReport {
                id: &record.id,
                status: "failed",
                error: &message,
                errors: &errors,
                warnings: &warnings,
            };
            // Logging a failure must not hide it: try both logs, and report both failures
            // if logging fails too.
            let report_written = log::write_failed(&site, &report);
            let logged = log::append(&site, &record).and(report_written);
            let failure = BuildFailure {
                record,
                errors,
                message,
            };
            match logged {
                Ok(()) => Err(anyhow!(failure)),
                Err(e) => {
                    Err(anyhow!(failure)
                        .context(format!("and the failure could not be logged: {e:#}")))
                }
            }
        }
    }
}

type Failure = (String, Vec<Diag>, Vec<Diag>);

/// Snapshot id, action (`published`, `stored`, `unchanged`), why it was not published, and
/// warnings from after the swap.
type Published = (String, &'static str, Option<String>, Vec<String>);

fn build_and_publish(
    opts: &BuildOptions,
    site: &Site,
    stamp: &str,
    record: &mut BuildRecord,
) -> Result<Published, Failure> {
    let fail = |m: String| (m, Vec::new(), Vec::new());
    let mut phases = std::mem::take(&mut record.phases);
    let model = read_and_compute(opts, &mut phases);
    record.phases = phases.clone();
    let model = model?;
    record.data_date = Some(model.dated.period.data_date.to_string());
    record.districts_built = model.districts.len() as u64;
    record.districts_failed = model.failed.len() as u64;
    record.warnings = (model.warnings.len()
        + model
            .districts
            .iter()
            .map(|d| d.warnings.len())
            .sum::<usize>()) as u64;
    record.errors = model.failed.iter().map(|(_, e)| e.len() as u64).sum();

    let mut files = timed(&mut phases.render, || {
        render::render_all(&model, opts.templates.as_deref())
    })
    .map_err(|e| fail(format!("{e:#}")))?;
    let created_at = opts
        .snapshot_time
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let id_free = json::snapshot_meta_bytes(&json::snapshot_meta(&model, "", ""))
        .map_err(|e| fail(format!("{e:#}")))?;
    let mut entries = manifest::entries(&files);
    let digest = manifest::content_digest(&entries, &id_free);
    let id = format!("{stamp}-{}", &digest[..8]);
    record.id = id.clone();
    record.status = if model.failed.is_empty() {
        "success"
    } else {
        "partial"
    }
    .into();
    let meta = json::snapshot_meta_bytes(&json::snapshot_meta(&model, &id, &created_at))
        .map_err(|e| fail(format!("{e:#}")))?;
    let meta_files = BTreeMap::from([
        ("snapshot.json".to_string(), meta.clone()),
        (format!("{}/snapshot.json", json::API), meta),
    ]);
    entries.extend(manifest::entries(&meta_files));
    files.extend(meta_files);
    let manifest = manifest::Manifest::new(&id, &digest, entries);
    files.insert(manifest::MANIFEST.into(), manifest.to_bytes());
    record.files_written = files.len() as u64;
    record.bytes_written = files.values().map(|b| b.len() as u64).sum();

    let current = site.current_id();
    if let Some(cur) = &current
        && manifest::Manifest::read(&site.snapshot(cur)).is_ok_and(|m| m.content_digest == digest)
    {
        // "Unchanged" promises the live site holds this content: only true when the
        // current snapshot still matches its manifest. A damaged one gets a fresh copy.
        match manifest::verify(&site.snapshot(cur)) {
            Ok(check) if check.is_ok() => {
                record.id = cur.clone();
                record.status = "unchanged".into();
                record.not_current_reason = Some("unchanged".into());
                record.became_current = true;
                record.phases = phases;
                return Ok((
                    cur.clone(),
                    "unchanged",
                    Some(format!("current snapshot {cur} already has this content")),
                    Vec::new(),
                ));
            }
            check => {
                let what = match check {
                    Ok(c) => c.summary(),
                    Err(e) => format!("{e:#}"),
                };
                record.note = Some(format!(
                    "current snapshot {cur} has this content but does not verify ({what}); published a fresh copy"
                ));
            }
        }
    }

    let io = |e: anyhow::Error| fail(format!("{e:#}"));
    let staged = timed(&mut phases.write, || {
        publish::write_staging(site, &id, &files)
    })
    .map_err(io)?;
    timed(&mut phases.fsync, || {
        publish::fsync_staging(&staged, &files)
    })
    .map_err(io)?;
    let data_date = model.dated.period.data_date.to_string();
    let newer_current = current
        .as_ref()
        .and_then(|cur| repair::snapshot_data_date(site, cur))
        .filter(|d| *d > data_date);
    let outcome = timed(&mut phases.publish, || -> Result<_> {
        let snapshot = publish::move_into_place(site, &staged, &id)?;
        let check = manifest::verify(&snapshot)?;
        if !check.is_ok() {
            bail!("snapshot {id} does not match its manifest after writing: {check:?}");
        }
        if !opts.publish {
            return Ok(("stored", Some("--no-publish".to_string()), Vec::new()));
        }
        if let Some(pin) = crate::store::pin::read(site) {
            return Ok((
                "stored",
                Some(format!(
                    "pinned: the site is held on {} ({}); run `toaststats snapshots unpin` to publish builds again",
                    pin.snapshot_id, pin.reason
                )),
                Vec::new(),
            ));
        }
        if let Some(newer) = &newer_current
            && !opts.allow_older
        {
            return Ok(("stored", Some(format!("older data: current shows {newer}, this build {data_date}; pass --allow-older to publish it")), Vec::new()));
        }
        let warnings = publish::swap_current(site, &id, &data_date)?;
        Ok(("published", None, warnings))
    })
    .map_err(io)?;
    record.became_current = outcome.0 == "published";
    record.not_current_reason = outcome.1.as_ref().map(|r| {
        if r.starts_with("older") {
            "older data".to_string()
        } else if r.starts_with("pinned") {
            "pinned".to_string()
        } else {
            "no-publish".to_string()
        }
    });
    if !outcome.2.is_empty() {
        let note = outcome.2.join("; ");
        record.note = Some(match record.note.take() {
            Some(n) => format!("{n}; {note}"),
            None => note,
        });
    }
    record.phases = phases;
    Ok((id, outcome.0, outcome.1, outcome.2))
}

/// Reads the cache and computes the model; a fatal problem is a failure with its errors.
fn read_and_compute(opts: &BuildOptions, phases: &mut log::Phases) -> Result<BuildModel, Failure> {
    let mut warnings = Vec::new();
    let (dates, loaded) = timed(&mut phases.read, || read_cache(opts, &mut warnings))?;
    warnings.extend(loaded.warnings.iter().cloned());
    let mut inputs = loaded.inputs.clone();
    for d in &loaded.districts {
        inputs.extend(d.inputs.iter().cloned());
    }
    let dated = loaded.dated.clone();
    let summary_path = dated.folder.rel_path("all-districts.csv");

    let (summary, districts, failed) = timed(&mut phases.validate, || -> Result<_, Failure> {
        let summary = match loaded.summary {
            None => None,
            Some(result) => {
                let rows = result.map_err(|errors| summary_failure(errors, &warnings))?;
                let (errors, warns) =
                    crate::diag::partition(validate::check_summary(&summary_path, &rows));
                if !errors.is_empty() {
                    return Err(summary_failure(errors, &warnings));
                }
                warnings.extend(warns);
                Some(rows)
            }
        };
        let data_date = dated.period.data_date;
        let ctx = recognition::club::Context::new(data_date);
        let results: Vec<Result<BuiltDistrict, (String, Vec<Diag>)>> = loaded
            .districts
            .into_par_iter()
            .map(|d| {
                let records = d.result.map_err(|e| (d.id.clone(), e))?;
                let (errors, warns) =
                    crate::diag::partition(validate::check_district(&records, data_date));
                if !errors.is_empty() {
                    return Err((d.id.clone(), errors));
                }
                let mut district_warnings = d.warnings;
                district_warnings.extend(warns);
                let club_path = records.club_path.clone();
                let mut district = validate::join(records);
                let mut stats = stats::district_stats(&district);
                let row = summary.as_ref().and_then(|rows| {
                    rows.iter()
                        .find(|r| crate::model::same_district(&r.district_id, &district.id))
                });
                let (recognition, parity_warnings) =
                    recognition::assess::district(&mut district, &mut stats, row, &ctx, &club_path);
                district_warnings.extend(parity_warnings);
                Ok(BuiltDistrict {
                    stats,
                    district,
                    warnings: district_warnings,
                    recognition,
                })
            })
            .collect();
        let (mut built, mut failed) = (Vec::new(), Vec::new());
        for r in results {
            match r {
                Ok(b) => built.push(b),
                Err(f) => failed.push(f),
            }
        }
        Ok((summary, built, failed))
    })?;

    let all_errors = || {
        failed
            .iter()
            .flat_map(|(_, e)| e.iter().cloned())
            .collect::<Vec<_>>()
    };
    check_failed_share(districts.len(), failed.len(), opts.max_failed_share)
        .map_err(|m| (m, all_errors(), warnings.clone()))?;
    if districts.is_empty() && summary.is_none() {
        let msg = if failed.is_empty() {
            "nothing to build: the date folder has neither all-districts.csv nor any district club report".to_string()
        } else {
            "every district failed and there is no summary".to_string()
        };
        return Err((msg, all_errors(), warnings.clone()));
    }

    let rankings = timed(&mut phases.compute, || match &summary {
        Some(rows) => {
            let collected: Vec<&str> = dated
                .folder
                .districts
                .iter()
                .map(|d| d.id.as_str())
                .collect();
            for r in rows
                .iter()
                .filter(|r| !collected.contains(&r.district_id.as_str()))
            {
                warnings.push(Diag::warning(&summary_path, format!("district {} is in the summary but has no files in this date folder: ranked; its page shows the summary figures only", r.district_id)).at_line(r.line).for_district(&r.district_id));
            }
            let built: Vec<_> = districts.iter().map(|b| &b.district).collect();
            warnings.extend(validate::check_summary_against_districts(
                &summary_path,
                rows,
                &built,
            ));
            Ok(rank::rank(rows))
        }
        None => Err(format!(
            "rankings are unavailable: the cache has no all-districts.csv for {} (download TI's district summary to rank all districts)",
            dated.collection_date
        )),
    });
    warnings.sort();
    warnings.dedup();
    Ok(BuildModel {
        program_year: crate::cache::footer::program_year(dated.period.data_date),
        dated,
        dates,
        summary,
        rankings,
        districts,
        failed,
        warnings,
        inputs,
    })
}

fn summary_failure(errors: Vec<Diag>, warnings: &[Diag]) -> Failure {
    (
        "the all-districts summary is invalid, so no snapshot can be ranked".into(),
        errors,
        warnings.to_vec(),
    )
}

fn read_cache(
    opts: &BuildOptions,
    warnings: &mut Vec<Diag>,
) -> Result<(Vec<DatedFolder>, load::LoadedDate), Failure> {
    let folders = layout::scan(&opts.cache, warnings)
        .map_err(|e| (e.to_string(), vec![e], warnings.clone()))?;
    let dated: Vec<DatedFolder> = folders
        .par_iter()
        .filter_map(load::date_folder_period)
        .collect();
    for f in &folders {
        if !dated.iter().any(|d| d.collection_date == f.collection_date) {
            warnings.push(Diag::warning(
                &f.rel,
                "date folder holds no summary and no club report; skipped",
            ));
        }
    }
    let dates = load::latest_per_data_date(dated);
    let chosen = choose_date(&dates, opts.date).map_err(|m| (m, Vec::new(), warnings.clone()))?;
    Ok((dates, load::load_date(chosen)))
}

fn choose_date(dates: &[DatedFolder], wanted: Option<NaiveDate>) -> Result<DatedFolder, String> {
    let Some(wanted) = wanted else {
        return dates.last().cloned().ok_or_else(|| "the cache holds no date folder with data (raw-csv/YYYY-MM-DD/ with a summary or a club report)".to_string());
    };
    dates
        .iter()
        .find(|d| d.period.data_date == wanted)
        .or_else(|| dates.iter().find(|d| d.collection_date == wanted))
        .cloned()
        .ok_or_else(|| {
            let known: Vec<String> = dates
                .iter()
                .map(|d| d.period.data_date.to_string())
                .collect();
            format!(
                "no data for --date {wanted}; the cache has data dates {}",
                known.join(", ")
            )
        })
}

/// Fails the build when more than the allowed share of districts failed.
fn check_failed_share(built: usize, failed: usize, max_share: f64) -> Result<(), String> {
    let total = built + failed;
    if total == 0 {
        return Ok(());
    }
    let share = failed as f64 / total as f64;
    if share > max_share {
        return Err(format!(
            "{failed} of {total} districts failed ({:.0}%), more than the allowed {:.0}%",
            share * 100.0,
            max_share * 100.0
        ));
    }
    Ok(())
}
