//! `manifest.json`: every file of a snapshot with its size and SHA-256, sorted by path,
//! plus the content digest that names the snapshot and detects "nothing changed".

use crate::fsx;
use crate::hash::sha256_hex;
use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

pub const MANIFEST: &str = "manifest.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub snapshot_id: String,
    /// SHA-256 over every file's path and hash, with the snapshot metadata's id and time
    /// left out: equal digests mean equal content.
    pub content_digest: String,
    pub files: Vec<FileEntry>,
}

/// Hashes every file (in parallel), sorted by path.
pub fn entries(files: &BTreeMap<String, Vec<u8>>) -> Vec<FileEntry> {
    files
        .par_iter()
        .map(|(path, bytes)| FileEntry {
            path: path.clone(),
            bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        })
        .collect()
}

impl Manifest {
    /// A manifest over `entries` (re-sorted by path).
    pub fn new(snapshot_id: &str, content_digest: &str, mut entries: Vec<FileEntry>) -> Manifest {
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        Manifest {
            snapshot_id: snapshot_id.to_string(),
            content_digest: content_digest.to_string(),
            files: entries,
        }
    }

    pub fn read(snapshot_dir: &Path) -> Result<Manifest> {
        let path = snapshot_dir.join(MANIFEST);
        let bytes = fsx::read(&path)?;
        serde_json::from_slice(&bytes)
            .with_context(|| format!("{} is not a valid manifest", path.display()))
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).expect("manifest serializes");
        out.push(b'\n');
        out
    }
}

/// The digest of the content files' entries plus the id-free metadata.
pub fn content_digest(entries: &[FileEntry], metadata_without_id: &[u8]) -> String {
    let mut listing = String::new();
    for e in entries {
        listing.push_str(&e.path);
        listing.push('\t');
        listing.push_str(&e.sha256);
        listing.push('\n');
    }
    listing.push_str("metadata\t");
    listing.push_str(&sha256_hex(metadata_without_id));
    sha256_hex(listing.as_bytes())
}

/// Differences between a snapshot folder and its manifest.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub missing: Vec<String>,
    pub changed: Vec<String>,
    pub extra: Vec<String>,
}

impl VerifyReport {
    pub fn is_ok(&self) -> bool {
        self.missing.is_empty() && self.changed.is_empty() && self.extra.is_empty()
    }

    /// `1 changed (index.html), 0 missing, 0 extra`, naming up to three paths per kind.
    pub fn summary(&self) -> String {
        [
            ("changed", &self.changed),
            ("missing", &self.missing),
            ("extra", &self.extra),
        ]
        .iter()
        .map(|(label, paths)| {
            let mut text = format!("{} {label}", paths.len());
            if !paths.is_empty() {
                let shown: Vec<&str> = paths.iter().take(3).map(String::as_str).collect();
                let more = paths.len().saturating_sub(3);
                text.push_str(&format!(" ({}", shown.join(", ")));
                if more > 0 {
                    text.push_str(&format!(", and {more} more"));
                }
                text.push(')');
            }
            text
        })
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// Re-hashes every file of a snapshot against its manifest. Symlinks count as extra:
/// a snapshot never contains one.
pub fn verify(snapshot_dir: &Path) -> Result<VerifyReport> {
    let manifest = Manifest::read(snapshot_dir)?;
    let mut report = VerifyReport::default();
    let listed: std::collections::BTreeSet<&str> =
        manifest.files.iter().map(|e| e.path.as_str()).collect();
    enum State {
        Same,
        Changed,
        Missing,
    }
    let states: Vec<Result<State>> = manifest
        .files
        .par_iter()
        .map(|entry| {
            let path = snapshot_dir.join(&entry.path);
            Ok(match std::fs::symlink_metadata(&path) {
                Ok(m) if m.is_file() => {
                    let bytes = fsx::read(&path)?;
                    if bytes.len() as u64 == entry.bytes && sha256_hex(&bytes) == entry.sha256 {
                        State::Same
                    } else {
                        State::Changed
                    }
                }
                Ok(_) => State::Changed,
                Err(_) => State::Missing,
            })
        })
        .collect();
    for (entry, state) in manifest.files.iter().zip(states) {
        match state? {
            State::Same => {}
            State::Changed => report.changed.push(entry.path.clone()),
            State::Missing => report.missing.push(entry.path.clone()),
        }
    }
    for path in walk_files(snapshot_dir)? {
        if path != MANIFEST && !listed.contains(path.as_str()) {
            report.extra.push(path);
        }
    }
    Ok(report)
}

/// A cheap check of a snapshot against its manifest: every listed file present as a
/// regular file of its listed size, no unlisted files, and the files named in `hashed`
/// re-hashed in full. Catches missing, truncated, grown and added files, and any change to
/// the pages a visitor sees first, at the cost of one `stat` per file.
pub fn quick_verify(snapshot_dir: &Path, hashed: &[&str]) -> Result<VerifyReport> {
    let manifest = Manifest::read(snapshot_dir)?;
    let mut report = VerifyReport::default();
    for entry in &manifest.files {
        let path = snapshot_dir.join(&entry.path);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() && m.len() == entry.bytes => {
                if hashed.contains(&entry.path.as_str())
                    && sha256_hex(&fsx::read(&path)?) != entry.sha256
                {
                    report.changed.push(entry.path.clone());
                }
            }
            Ok(_) => report.changed.push(entry.path.clone()),
            Err(_) => report.missing.push(entry.path.clone()),
        }
    }
    let listed: std::collections::BTreeSet<&str> =
        manifest.files.iter().map(|e| e.path.as_str()).collect();
    for path in walk_files(snapshot_dir)? {
        if path != MANIFEST && !listed.contains(path.as_str()) {
            report.extra.push(path);
        }
    }
    Ok(report)
}

/// Relative paths (with `/`) of every non-directory entry under `dir`, sorted.
pub fn walk_files(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fsx::read_dir_sorted(&d)? {
            let path = entry.path();
            let ft = entry
                .file_type()
                .with_context(|| format!("cannot inspect {}", path.display()))?;
            if ft.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap_or(&path);
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    Ok(out)
}
