//! Writing a snapshot and publishing it (DESIGN.md §4): files into `.staging/<id>/`,
//! made durable (one `syncfs`, or an fsync of every file and folder), rename into `snapshots/<id>/`, then `current` swapped
//! by renaming a temp symlink over it, and `current.json` rewritten atomically after.
//! A crash at any instant leaves `current` on a complete snapshot.

use super::{Site, manifest};
use crate::fsx;
use anyhow::Result;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The files of an earlier snapshot that a new one may share by hard link, by path with
/// their manifest sha256.
#[derive(Debug, Default)]
pub struct Reusable {
    dir: PathBuf,
    files: HashMap<String, String>,
}

impl Reusable {
    /// The files of snapshot `id`, from its manifest; nothing when it cannot be read.
    pub fn of(site: &Site, id: &str) -> Reusable {
        let dir = site.snapshot(id);
        let files = super::manifest::Manifest::read(&dir)
            .map(|m| m.files.into_iter().map(|e| (e.path, e.sha256)).collect())
            .unwrap_or_default();
        Reusable { dir, files }
    }

    /// The earlier file to link for `rel` with content hash `sha256`: only when its manifest
    /// lists the same hash and the bytes on disk still have it (a damaged file is never
    /// spread to a new snapshot).
    fn source(&self, rel: &str, sha256: &str) -> Option<PathBuf> {
        if self.files.get(rel).map(String::as_str) != Some(sha256) {
            return None;
        }
        let path = self.dir.join(rel);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if !meta.is_file() {
            return None;
        }
        let bytes = std::fs::read(&path).ok()?;
        (crate::hash::sha256_hex(&bytes) == sha256).then_some(path)
    }
}

/// Writes `files` under a fresh `.staging/<id>/` and returns that folder and how many files
/// were hard-linked from `reuse` (same path, same content) instead of written.
pub fn write_staging(
    site: &Site,
    id: &str,
    files: &BTreeMap<String, Vec<u8>>,
    hashes: &HashMap<&str, &str>,
    reuse: &Reusable,
) -> Result<(PathBuf, usize)> {
    let dir = site.staging().join(id);
    fsx::create_own_dir(&site.staging())?;
    if fsx::symlink_metadata(&dir).is_ok() {
        fsx::remove_entry(&dir)?;
    }
    fsx::create_own_dir(&dir)?;
    for sub in folders_of(&dir, files) {
        fsx::create_dir_all(&sub)?;
    }
    let linked: Vec<bool> = files
        .par_iter()
        .map(|(rel, bytes)| {
            let target = dir.join(rel);
            match hashes.get(rel.as_str()).and_then(|h| reuse.source(rel, h)) {
                Some(source) => fsx::hard_link(&source, &target).map(|()| true),
                None => fsx::write(&target, bytes).map(|()| false),
            }
        })
        .collect::<Result<_>>()?;
    Ok((dir, linked.into_iter().filter(|l| *l).count()))
}

/// Makes a staged snapshot durable before it is renamed into place: on Linux one
/// `syncfs` of its file system; elsewhere every file, then every folder (deepest first).
#[cfg(target_os = "linux")]
pub fn fsync_staging(dir: &Path, _files: &BTreeMap<String, Vec<u8>>) -> Result<()> {
    fsx::sync_file_system(dir)
}

/// Makes a staged snapshot durable: every file, then every folder (deepest first).
#[cfg(not(target_os = "linux"))]
pub fn fsync_staging(dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<()> {
    files
        .par_iter()
        .try_for_each(|(rel, _)| fsx::fsync_file(&dir.join(rel)))?;
    let mut folders: Vec<PathBuf> = folders_of(dir, files).into_iter().collect();
    folders.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    for f in folders {
        fsx::fsync_dir(&f)?;
    }
    Ok(())
}

fn folders_of(dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::from([dir.to_path_buf()]);
    for rel in files.keys() {
        let mut p = dir.join(rel);
        while p.pop() && p.starts_with(dir) && out.insert(p.clone()) {}
    }
    out
}

/// Renames the staged folder to `snapshots/<id>/`; the snapshot is immutable from here.
/// A folder of that id already there (same build time, same content) is kept when it
/// verifies; when it does not (a corrupted copy), the fresh copy replaces it, so rebuilding
/// over a damaged snapshot repairs it instead of failing or keeping the damage.
pub fn move_into_place(site: &Site, staged: &Path, id: &str) -> Result<PathBuf> {
    let target = site.snapshot(id);
    fsx::create_own_dir(&site.snapshots())?;
    // A snapshot never is a symlink: one planted at this id is removed as a link, its
    // target untouched, and the fresh copy takes the name.
    if fsx::symlink_metadata(&target).is_ok_and(|m| !m.is_dir()) {
        fsx::remove_entry(&target)?;
    }
    if !target.exists() {
        fsx::rename(staged, &target)?;
    } else if manifest::verify(&target).is_ok_and(|r| r.is_ok()) {
        fsx::remove_dir_all(staged)?;
    } else {
        // Two renames: the damaged copy goes aside under a temp name (which `repair`
        // removes if a crash leaves it), the fresh one takes its name. Between them a
        // `current` naming this id dangles for an instant; `repair` handles a crash there.
        let aside = site.snapshots().join(format!(
            "{}{}-damaged-{id}",
            fsx::TEMP_PREFIX,
            std::process::id()
        ));
        fsx::rename(&target, &aside)?;
        if let Err(e) = fsx::rename(staged, &target) {
            let _ = fsx::rename(&aside, &target);
            return Err(e);
        }
        // Only a leftover if this fails: the next writer's repair removes temp names.
        let _ = fsx::remove_dir_all(&aside);
    }
    fsx::fsync_dir(&site.snapshots())?;
    fsx::fsync_dir(&site.staging())?;
    Ok(target)
}

/// The pointer for hosts without symlinks.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CurrentPointer {
    pub snapshot_id: String,
    pub path: String,
    pub data_date: String,
    pub published_at: String,
}

/// Swaps `current` to `snapshots/<id>` and then rewrites `current.json`.
///
/// An error means `current` did not move: nothing was published. Once the link has moved
/// the publication has happened, whatever fails after it (flushing the root folder,
/// rewriting `current.json`): those failures come back as warnings for the caller to show
/// and log, and the next writer's repair rewrites a `current.json` left behind.
pub fn swap_current(site: &Site, id: &str, data_date: &str) -> Result<Vec<String>> {
    let target = Path::new("snapshots").join(id);
    let mut warnings = Vec::new();
    if let Err(e) = fsx::replace_symlink(&target, &site.current_link()) {
        if std::fs::read_link(site.current_link()).ok().as_deref() != Some(target.as_path()) {
            return Err(e);
        }
        warnings.push(format!(
            "current now points at {id}, but flushing the site folder failed ({e:#}); the switch may not survive a power loss"
        ));
    }
    if let Err(e) = write_current_json(site, id, data_date) {
        let named = read_current_json(site).is_some_and(|p| p.snapshot_id == id);
        warnings.push(if named {
            format!("current.json names {id}, but flushing it failed ({e:#})")
        } else {
            format!(
                "current.json still names the previous snapshot ({e:#}); hosts that read it serve that one until the next writer (build, rollback, `snapshots repair`) rewrites it"
            )
        });
    }
    Ok(warnings)
}

pub fn write_current_json(site: &Site, id: &str, data_date: &str) -> Result<()> {
    let pointer = CurrentPointer {
        snapshot_id: id.to_string(),
        path: format!("snapshots/{id}/"),
        data_date: data_date.to_string(),
        published_at: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    };
    let mut bytes = serde_json::to_vec_pretty(&pointer)?;
    bytes.push(b'\n');
    fsx::atomic_write(&site.current_json(), &bytes)
}

pub fn read_current_json(site: &Site) -> Option<CurrentPointer> {
    let bytes = crate::fsx::read_regular(&site.current_json(), 1 << 20).ok()?;
    serde_json::from_slice(&bytes).ok()
}
