//! The one build path, used by the CLI (and later the admin API): read the cache,
//! validate, compute, render, then stage, verify and publish a snapshot, logging every
//! attempt. Any error before the swap leaves the live site exactly as it was. The input
//! side (cache to model) is in `input`; this file renders, stages and publishes.

use crate::diag::Diag;
use crate::render::{self, json};
use crate::store::log::{self, BuildRecord, FailedReport};
use crate::store::{Site, lock::WriterLock, manifest, publish, repair};
use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

mod archive;
mod archive_keys;
mod input;
pub use archive_keys::FILE as ARCHIVE_KEYS_FILE;
pub use input::choose_date;
use input::read_and_compute;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub cache: PathBuf,
    pub site: PathBuf,
    /// Present this data date (or the data date of this collection folder).
    pub date: Option<NaiveDate>,
    pub publish: bool,
    pub allow_older: bool,
    /// The archive of closed months keeps their club pages too (`--archive-clubs`).
    pub archive_clubs: bool,
    /// Build time; from `--snapshot-time` or `SOURCE_DATE_EPOCH`, else now.
    pub snapshot_time: DateTime<Utc>,
    pub wait: Duration,
    /// Largest share of districts that may fail before the whole build fails.
    pub max_failed_share: f64,
    /// Folder of templates overriding the embedded ones (`--templates`).
    pub templates: Option<PathBuf>,
    /// Where the cache came from and whether it is synthetic (snapshot.json, every page).
    pub provenance: json::Provenance,
    /// Where the site is published (`--site-url`, else `site_url` of toaststats.toml):
    /// the 404 page links under its path, pages state their `og:url`.
    pub site_url: Option<render::html::SiteAddress>,
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
        // `errors` arrive capped (crate::diag::capped), the count of the rest included.
        for e in &self.errors {
            writeln!(f, "{e}")?;
        }
        write!(f, "build failed: {}", self.message)
    }
}

impl std::error::Error for BuildFailure {}

/// Time a phase and store its seconds.
pub(crate) fn timed<T>(slot: &mut f64, f: impl FnOnce() -> T) -> T {
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
            record.errors = errors.len() as u64;
            let (errors, warnings) = (crate::diag::capped(errors), crate::diag::capped(warnings));
            record.id = crate::store::id::failed_id(opts.snapshot_time, |id| {
                site.failed_report(id).exists()
            });
            record.status = "failed".into();
            record.not_current_reason = Some("failed".into());
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

/// A failed build's message, errors and warnings.
pub(crate) type Failure = (String, Vec<Diag>, Vec<Diag>);

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
    let model = read_and_compute(opts, site, &mut phases);
    record.phases = phases.clone();
    let (mut model, source) = model?;
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

    let archived =
        render::archive::archived_months(&model.history.dates, model.dated.period.data_date);
    let mut files = timed(&mut phases.render, || {
        render::render_all(
            &model,
            opts.provenance,
            opts.templates.as_deref(),
            opts.site_url.as_ref(),
            &render::archive::Placement::current(archived.clone(), opts.archive_clubs),
        )
    })
    .map_err(|e| fail(format!("{e:#}")))?;
    let archived_outcome = timed(&mut phases.archive, || {
        archive::render_months(&source, opts, site, &archived, &mut files)
    })
    .map_err(|e| fail(format!("{e:#}")))?;
    record.archive_months_rendered = archived_outcome.rendered as u64;
    record.archive_months_carried = archived_outcome.carried as u64;
    model.warnings.extend(archived_outcome.warnings);
    source.finish().map_err(|e| fail(format!("{e:#}")))?;
    let created_at = opts
        .snapshot_time
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let id_free = json::snapshot_meta_bytes(
        &json::snapshot_meta(&model, opts.provenance, "", ""),
        "snapshot.json",
    )
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
    let meta = json::snapshot_meta(&model, opts.provenance, &id, &created_at);
    let mut meta_files = BTreeMap::new();
    for path in [
        "snapshot.json".to_string(),
        format!("{}/snapshot.json", json::API),
    ] {
        let bytes = json::snapshot_meta_bytes(&meta, &path).map_err(|e| fail(format!("{e:#}")))?;
        meta_files.insert(path, bytes);
    }
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
    // Files equal to the current snapshot's are hard-linked, not written again.
    let reuse = current
        .as_ref()
        .map(|cur| publish::Reusable::of(site, cur))
        .unwrap_or_default();
    let hashes: std::collections::HashMap<&str, &str> = manifest
        .files
        .iter()
        .map(|e| (e.path.as_str(), e.sha256.as_str()))
        .collect();
    let (staged, linked) = timed(&mut phases.write, || {
        publish::write_staging(site, &id, &files, &hashes, &reuse)
    })
    .map_err(io)?;
    record.files_linked = linked as u64;
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
