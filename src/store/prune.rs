//! Retention: keep the newest N snapshots and every snapshot younger than D days, and
//! never the current snapshot, the one live before it (publication order, the rollback
//! target) or a pinned one; old failed-build reports go by the same rule, and stale
//! staging goes always.

use super::{Site, catalog, pin, published, repair};
use crate::fsx;
use anyhow::Result;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Copy)]
pub struct Retention {
    pub keep: usize,
    pub max_age_days: i64,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            keep: 100,
            max_age_days: 30,
        }
    }
}

/// One thing prune removed (or, in a dry run, would remove).
#[derive(Debug, Clone, Serialize)]
pub struct Removal {
    /// `snapshot`, `failed_report` or `staging`.
    pub kind: &'static str,
    pub path: String,
    pub bytes: u64,
}

/// Applies retention; with `dry_run` only reports. Call with the writer lock held.
pub fn prune(
    site: &Site,
    rules: Retention,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<Vec<Removal>> {
    let mut out = Vec::new();
    // Checked: an age limit past the calendar's range keeps everything, never panics.
    let cutoff = TimeDelta::try_days(rules.max_age_days)
        .and_then(|age| now.checked_sub_signed(age))
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let ids = site.snapshot_ids()?; // oldest first
    let current = catalog::current_id(site);
    let previous = published::earlier(site, current.as_deref())?
        .into_iter()
        .next();
    let protected = [
        current.clone(),
        previous,
        pin::read(site).map(|p| p.snapshot_id),
    ];
    for (rank, id) in ids.iter().rev().enumerate() {
        if rank < rules.keep || protected.iter().any(|p| p.as_deref() == Some(id.as_str())) {
            continue;
        }
        // A snapshot whose id carries no time is treated as old: it is not ours to keep.
        if catalog::id_time(id).is_some_and(|t| t >= cutoff) {
            continue;
        }
        let path = site.snapshot(id);
        out.push(Removal {
            kind: "snapshot",
            bytes: tree_bytes(&path),
            path: format!("snapshots/{id}"),
        });
        if !dry_run {
            fsx::remove_dir_all(&path)?;
        }
    }
    if !dry_run && !out.is_empty() {
        fsx::fsync_dir(&site.snapshots())?;
    }
    let mut reports: Vec<String> = if site.failed().is_dir() {
        fsx::read_dir_sorted(&site.failed())?
            .iter()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json"))
            .collect()
    } else {
        Vec::new()
    };
    reports.reverse(); // newest first: names start with the build time
    for (rank, name) in reports.iter().enumerate() {
        if rank < rules.keep || catalog::id_time(name).is_some_and(|t| t >= cutoff) {
            continue;
        }
        let path = site.failed().join(name);
        out.push(Removal {
            kind: "failed_report",
            bytes: tree_bytes(&path),
            path: format!("failed/{name}"),
        });
        if !dry_run {
            fsx::remove_file(&path)?;
        }
    }
    if site.staging().is_dir() {
        for entry in fsx::read_dir_sorted(&site.staging())? {
            let name = entry.file_name().to_string_lossy().into_owned();
            out.push(Removal {
                kind: "staging",
                bytes: tree_bytes(&entry.path()),
                path: format!(".staging/{name}"),
            });
        }
        if !dry_run {
            repair::repair(site)?;
        }
    }
    Ok(out)
}

/// Bytes of a file or of every file under a folder (symlinks not followed).
pub fn tree_bytes(path: &Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if !meta.is_dir() {
        return meta.len();
    }
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| tree_bytes(&e.path()))
                .sum()
        })
        .unwrap_or(0)
}
