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
        .filter(|b| site.failed().join(format!("{}.json", b.id)).exists())
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
