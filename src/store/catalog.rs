//! What the store holds, for readers: every snapshot with its metadata and size, failed
//! builds from the build log, and the build log itself. Never takes the writer lock and
//! never writes.

use super::log::BuildRecord;
use super::manifest::Manifest;
use super::{Site, publish};
use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;

/// One row of `snapshots list`.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: String,
    /// `success`, `partial`, `failed`, or `broken` (a snapshot folder without a readable
    /// manifest or metadata).
    pub status: String,
    pub data_date: Option<String>,
    pub as_of_date: Option<String>,
    pub closing: Option<bool>,
    pub created_at: Option<String>,
    pub bytes: u64,
    pub files: u64,
    pub current: bool,
    /// Where the details live, relative to the site root.
    pub path: String,
}

/// The build time encoded in a snapshot id (`YYYYMMDDTHHMMSSZ-...`).
pub fn id_time(id: &str) -> Option<DateTime<Utc>> {
    let stamp = id.get(..16)?;
    NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%SZ")
        .ok()
        .map(|t| t.and_utc())
}

/// A snapshot's `snapshot.json`, if readable.
pub fn metadata(site: &Site, id: &str) -> Option<serde_json::Value> {
    let bytes = std::fs::read(site.snapshot(id).join("snapshot.json")).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Every stored snapshot, newest first.
pub fn snapshots(site: &Site) -> Result<Vec<Entry>> {
    let current = site.current_id();
    let mut out = Vec::new();
    for id in site.snapshot_ids()?.into_iter().rev() {
        let meta = metadata(site, &id);
        let manifest = Manifest::read(&site.snapshot(&id)).ok();
        let text = |k: &str| {
            meta.as_ref()
                .and_then(|m| m[k].as_str())
                .map(str::to_string)
        };
        let status = match (&meta, &manifest) {
            (Some(m), Some(_)) => m["status"].as_str().unwrap_or("success").to_string(),
            _ => "broken".to_string(),
        };
        out.push(Entry {
            status,
            data_date: text("data_date"),
            as_of_date: text("as_of_date"),
            closing: meta.as_ref().and_then(|m| m["closing"].as_bool()),
            created_at: text("created_at"),
            bytes: manifest
                .as_ref()
                .map_or(0, |m| m.files.iter().map(|f| f.bytes).sum()),
            files: manifest.as_ref().map_or(0, |m| m.files.len() as u64),
            current: current.as_deref() == Some(id.as_str()),
            path: format!("snapshots/{id}/"),
            id,
        });
    }
    Ok(out)
}

/// Every line of `builds.jsonl`, oldest first; unreadable lines are skipped (a crash can
/// leave a torn last line).
pub fn builds(site: &Site) -> Result<Vec<BuildRecord>> {
    let path = site.builds_log();
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect())
}

/// Failed builds from the build log whose report is still in `failed/`, newest first.
pub fn failed(site: &Site) -> Result<Vec<Entry>> {
    let mut out: Vec<Entry> = builds(site)?
        .into_iter()
        .filter(|b| b.status == "failed")
        .filter(|b| site.failed_report(&b.id).exists())
        .map(|b| Entry {
            path: format!("failed/{}.json", b.id),
            id: b.id,
            status: "failed".into(),
            data_date: b.data_date,
            as_of_date: None,
            closing: None,
            created_at: Some(b.started_at),
            bytes: 0,
            files: 0,
            current: false,
        })
        .collect();
    out.reverse();
    out.dedup_by(|a, b| a.id == b.id);
    Ok(out)
}

/// The id the store currently serves, from the symlink, else from `current.json`.
pub fn current_id(site: &Site) -> Option<String> {
    site.current_id()
        .or_else(|| publish::read_current_json(site).map(|p| p.snapshot_id))
}

/// When `current.json` does not name the snapshot `current` links to, a sentence saying
/// so: readers take the link as the truth (it is what the pages come from) and report the
/// pointer, which hosts without symlinks read, as out of date.
pub fn pointer_disagreement(site: &Site) -> Option<String> {
    let named = publish::read_current_json(site).map(|p| p.snapshot_id);
    let Some(linked) = site.current_id() else {
        // No usable link: readers fall back to current.json, but say so.
        return named.map(|n| {
            format!(
                "current is missing or dangling; readers fall back to current.json, which names {n}; run `toaststats snapshots repair`"
            )
        });
    };
    if named.as_deref() == Some(linked.as_str()) {
        return None;
    }
    Some(format!(
        "current.json names {} but current links to {linked}; the link is what is served; run `toaststats snapshots repair` to rewrite current.json",
        named
            .as_deref()
            .unwrap_or("nothing (missing or unreadable)")
    ))
}

/// The bytes to serve as `/current.json`: the file when it agrees with the `current` link,
/// else a pointer made from the link (the file is rewritten by the next writer).
pub fn served_pointer(site: &Site) -> Option<Vec<u8>> {
    let Some(linked) = site.current_id() else {
        // No usable link: the pointer is all there is (as for `current_id`).
        return std::fs::read(site.current_json()).ok();
    };
    let bytes = std::fs::read(site.current_json()).ok();
    let agrees = bytes
        .as_deref()
        .and_then(|b| serde_json::from_slice::<publish::CurrentPointer>(b).ok())
        .is_some_and(|p| p.snapshot_id == linked);
    if agrees {
        return bytes;
    }
    let meta = metadata(site, &linked);
    let text = |k: &str| {
        meta.as_ref()
            .and_then(|m| m[k].as_str())
            .unwrap_or_default()
            .to_string()
    };
    let pointer = publish::CurrentPointer {
        path: format!("snapshots/{linked}/"),
        data_date: text("data_date"),
        published_at: text("created_at"),
        snapshot_id: linked,
    };
    let mut out = serde_json::to_vec_pretty(&pointer).ok()?;
    out.push(b'\n');
    Some(out)
}

/// How thoroughly [`current_problem`] checks the current snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Every file present with its manifest size, and the pages a visitor sees first
    /// (`index.html`, the metadata) re-hashed: a stat per file.
    Quick,
    /// Every file re-hashed (`snapshots verify`).
    Full,
}

/// The files [`Check::Quick`] re-hashes in full.
const QUICK_HASHED: &[&str] = &["index.html", "snapshot.json", "api/v1/snapshot.json"];

/// What is wrong with the current snapshot, if anything: it does not resolve, its manifest
/// is unreadable, or its files do not match the manifest.
pub fn current_problem(site: &Site, check: Check) -> Option<String> {
    let id = site.current_id()?;
    let dir = site.snapshot(&id);
    let problem = match check {
        Check::Full => match super::manifest::verify(&dir) {
            Ok(r) if r.is_ok() => return None,
            Ok(r) => r.summary(),
            Err(e) => format!("{e:#}"),
        },
        Check::Quick => match super::manifest::quick_verify(&dir, QUICK_HASHED) {
            Ok(r) if r.is_ok() => return None,
            Ok(r) => r.summary(),
            Err(e) => format!("{e:#}"),
        },
    };
    Some(format!(
        "the current snapshot {id} does not match its manifest: {problem}; run a build (it publishes a fresh copy) or `toaststats snapshots rollback`"
    ))
}
