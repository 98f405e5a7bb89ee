//! Putting a staged export in place of what `--out` holds, and the marker that says a
//! folder is an earlier export (so its files may be replaced).
//!
//! The order is the point (issue 21, item 6): in the cdn layout every snapshot folder is
//! in place before any pointer (`current.json`, the forwarding `index.html`) names it, the
//! pointers move in last in the upload order, and only then does anything old go. So a
//! run killed at any rename leaves the old pointer on the old snapshot or the new pointer
//! on the new one, both complete; the next run finishes the job.

use super::{ExportSummary, MARKER, UploadStep};
use crate::fsx;
use crate::store::manifest;
use anyhow::Result;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The most a marker may hold (it is a small JSON summary).
const MAX_MARKER_BYTES: u64 = 1 << 20;

/// Whether `out` (an existing folder) holds a marker an export of ours wrote: a regular
/// file, not a symlink (a link to any file would otherwise pass, and the folder's files
/// would be deleted), that parses as an export summary. `Err` says what is wrong.
pub fn check_marker(out: &Path) -> Result<(), String> {
    let path = out.join(MARKER);
    let meta = std::fs::symlink_metadata(&path).map_err(|_| {
        format!(
            "--out {} is not empty and is not an earlier export (no {MARKER}); give an empty or new folder",
            out.display()
        )
    })?;
    if !meta.is_file() {
        return Err(format!(
            "--out {}: {} is {}, not the marker an export writes; nothing was deleted. Give an empty or new folder",
            out.display(),
            path.display(),
            fsx::kind_of(&meta)
        ));
    }
    let ours = fsx::read_regular(&path, MAX_MARKER_BYTES)
        .ok()
        .and_then(|b| serde_json::from_slice::<ExportSummary>(&b).ok())
        .is_some();
    if !ours {
        return Err(format!(
            "--out {}: {} is not a marker written by toaststats export; nothing was deleted. Give an empty or new folder",
            out.display(),
            path.display()
        ));
    }
    Ok(())
}

/// A fresh folder beside `out` to build the export in (same filesystem, so the final
/// moves are renames).
pub fn staging_dir(out: &Path) -> Result<PathBuf> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => Path::new(".").to_path_buf(),
    };
    fsx::create_dir_all(&parent)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    // A fixed name: what a stopped export left is cleared by the next one.
    let staged = parent.join(format!(".{name}.export-staging"));
    if fsx::symlink_metadata(&staged).is_ok() {
        fsx::remove_entry(&staged)?;
    }
    fsx::create_own_dir(&staged)?;
    Ok(staged)
}

/// Replaces what `out` holds with `staged`'s entries. `out` itself stays (it may be a
/// mount point or a folder a workflow refers to). The marker goes in first and stays
/// throughout, so a run stopped half-way leaves a folder the next export may replace.
/// With an upload order (cdn), its steps are the move order: snapshot folders, then the
/// pointers, and the old entries go only after; without one (pages), the old entries go
/// and the new ones move in.
pub fn replace_contents(out: &Path, staged: &Path, order: &[UploadStep]) -> Result<()> {
    fsx::create_dir_all(out)?;
    fsx::rename(&staged.join(MARKER), &out.join(MARKER))?;
    if order.is_empty() {
        remove_all_but(out, &BTreeSet::from([MARKER.to_string()]))?;
        for entry in fsx::read_dir_sorted(staged)? {
            fsx::rename(&entry.path(), &out.join(entry.file_name()))?;
        }
        return fsx::remove_dir_all(staged);
    }
    let in_order: Vec<&str> = order.iter().map(|s| s.path.trim_end_matches('/')).collect();
    // Entries the order does not name (the headers manifest) are no pointer: first.
    let mut steps: Vec<String> = fsx::read_dir_sorted(staged)?
        .iter()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !in_order.contains(&n.as_str()) && !is_prefix_of_any(n, &in_order))
        .collect();
    steps.extend(in_order.iter().map(|s| s.to_string()));
    let mut kept = BTreeSet::from([MARKER.to_string()]);
    for rel in &steps {
        put_in_place(&staged.join(rel), &out.join(rel))?;
        kept.insert(rel.split('/').next().unwrap_or(rel).to_string());
    }
    // Old entries, now that the pointers name the new snapshot: other top-level names,
    // and other snapshot folders beside the new one.
    remove_all_but(out, &kept)?;
    for rel in &in_order {
        if let Some((parent, name)) = rel.rsplit_once('/') {
            remove_all_but(&out.join(parent), &BTreeSet::from([name.to_string()]))?;
        }
    }
    fsx::remove_dir_all(staged)
}

/// `name` is the first component of a step (`snapshots` of `snapshots/<id>`).
fn is_prefix_of_any(name: &str, steps: &[&str]) -> bool {
    steps
        .iter()
        .any(|s| s.split_once('/').is_some_and(|(first, _)| first == name))
}

/// Moves one staged entry to `to`. A file is renamed over what is there (atomic). A
/// folder (a snapshot) already there is kept when it verifies against its manifest, as
/// the same snapshot an earlier, stopped run put in place; one that does not is set aside
/// and replaced.
fn put_in_place(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        fsx::create_own_dir(parent)?;
    }
    let from_is_dir = fsx::symlink_metadata(from)?.is_dir();
    match std::fs::symlink_metadata(to) {
        Ok(m) if from_is_dir && m.is_dir() => {
            if manifest::verify(to).is_ok_and(|r| r.is_ok()) {
                return fsx::remove_dir_all(from);
            }
            let aside = to.with_file_name(format!(
                "{}{}-damaged",
                fsx::TEMP_PREFIX,
                std::process::id()
            ));
            fsx::rename(to, &aside)?;
            fsx::rename(from, to)?;
            fsx::remove_dir_all(&aside)
        }
        Ok(m) if from_is_dir || m.is_dir() => {
            fsx::remove_entry(to)?;
            fsx::rename(from, to)
        }
        _ => fsx::rename(from, to),
    }
}

/// Removes every entry of `dir` whose name is not in `keep`.
fn remove_all_but(dir: &Path, keep: &BTreeSet<String>) -> Result<()> {
    if !fsx::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        return Ok(());
    }
    for entry in fsx::read_dir_sorted(dir)? {
        if !keep.contains(entry.file_name().to_string_lossy().as_ref()) {
            fsx::remove_entry(&entry.path())?;
        }
    }
    Ok(())
}
