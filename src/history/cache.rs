//! The digest cache under the site root (`.digests/`): one digest per date folder, keyed
//! by the content of the files the build reads from that folder plus the tool, rules and
//! digest-format versions. A file that is missing, stale (another key) or corrupt (its
//! recorded sha256 does not match) is recomputed, never trusted.
//!
//! File format: a header line `toaststats-digest <key> <sha256 of the rest>` then JSON.

use super::digest::{ClubsDigest, DateDigest};
use crate::cache::facts::{self, FileFacts};
use crate::cache::layout::DateFolder;
use crate::fsx;
use anyhow::{Context, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Bumped whenever the digest's shape or meaning changes.
pub const DIGEST_FORMAT: u32 = 2;

const MAGIC: &str = "toaststats-digest";

/// The folder of digests under a site root.
pub fn dir(site_root: &Path) -> PathBuf {
    site_root.join(".digests")
}

/// The cache key of a date folder: every input file's relative path and content, and the
/// versions whose change could change what is computed from them.
pub fn key(folder: &DateFolder, facts: &FileFacts) -> Result<String> {
    let mut files: Vec<(String, &Path)> = Vec::new();
    if let Some(p) = &folder.summary {
        files.push((folder.rel_path("all-districts.csv"), p));
    }
    if let Some(p) = &folder.metadata {
        files.push((folder.rel_path("metadata.json"), p));
    }
    for d in &folder.districts {
        for p in [&d.club, &d.district, &d.division].into_iter().flatten() {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            files.push((format!("{}/{}", d.rel, name.unwrap_or_default()), p));
        }
        // A district folder without files still changes what the date holds.
        files.push((d.rel.clone(), Path::new("")));
    }
    files.sort();
    let mut h = Sha256::new();
    h.update(format!(
        "{MAGIC} {DIGEST_FORMAT} tool {} rules {}\n{}\n",
        env!("CARGO_PKG_VERSION"),
        crate::RULES_VERSION,
        folder.rel
    ));
    for (rel, path) in files {
        h.update(rel.as_bytes());
        h.update([0]);
        if !path.as_os_str().is_empty() {
            h.update(facts.of(path)?.sha256.as_bytes());
        }
        h.update([b'\n']);
    }
    Ok(crate::hash::hex(&h.finalize()))
}

/// Paths of the two parts of a digest.
fn paths(site_root: &Path, folder: &DateFolder, key: &str) -> (PathBuf, PathBuf) {
    let base = format!("{}-{}", folder.collection_date, &key[..16]);
    let dir = dir(site_root);
    (
        dir.join(format!("{base}.json")),
        dir.join(format!("{base}.clubs.json")),
    )
}

/// A digest's district part, read if present and intact.
pub fn read_date(site_root: &Path, folder: &DateFolder, key: &str) -> Option<DateDigest> {
    read_part(&paths(site_root, folder, key).0, key)
}

/// A digest's club part, read if present and intact.
pub fn read_clubs(site_root: &Path, folder: &DateFolder, key: &str) -> Option<ClubsDigest> {
    read_part(&paths(site_root, folder, key).1, key)
}

fn read_part<T: DeserializeOwned>(path: &Path, key: &str) -> Option<T> {
    let bytes = std::fs::read(path).ok()?;
    let newline = bytes.iter().position(|b| *b == b'\n')?;
    let header = std::str::from_utf8(&bytes[..newline]).ok()?;
    let body = &bytes[newline + 1..];
    let mut words = header.split(' ');
    if words.next() != Some(MAGIC) || words.next() != Some(key) {
        return None;
    }
    let recorded = words.next()?;
    if crate::hash::sha256_hex(body) != recorded {
        return None;
    }
    serde_json::from_slice(body).ok()
}

/// Writes a digest (temp file and rename each part: a reader never sees a torn file, and a
/// lost write costs only a recomputation). The club part is written only when given: most
/// dates never need it again, and one asked for later is recomputed.
pub fn write(
    site_root: &Path,
    folder: &DateFolder,
    key: &str,
    date: &DateDigest,
    clubs: Option<&ClubsDigest>,
) -> Result<()> {
    fsx::create_dir_all(&dir(site_root))?;
    let (date_path, clubs_path) = paths(site_root, folder, key);
    if let Some(clubs) = clubs {
        write_part(&clubs_path, key, clubs)?;
    }
    write_part(&date_path, key, date)
}

fn write_part<T: Serialize>(path: &Path, key: &str, value: &T) -> Result<()> {
    let body = serde_json::to_vec(value).context("cannot serialise a digest")?;
    let mut bytes = format!("{MAGIC} {key} {}\n", crate::hash::sha256_hex(&body)).into_bytes();
    bytes.extend_from_slice(&body);
    fsx::replace_unsynced(path, &bytes)
}

/// Removes digests no date folder uses any more (keys of folders that changed or went).
pub fn retain(site_root: &Path, used: &BTreeSet<String>) -> Result<usize> {
    let dir = dir(site_root);
    if !dir.is_dir() {
        return Ok(0);
    }
    let mut removed = 0;
    for entry in fsx::read_dir_sorted(&dir)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        let stem = name
            .strip_suffix(".clubs.json")
            .or_else(|| name.strip_suffix(".json"))
            .unwrap_or(&name);
        if !used.contains(stem) && name != facts::MEMO_FILE {
            fsx::remove_file(&entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// The file stem a folder's digest uses, for [`retain`].
pub fn stem(folder: &DateFolder, key: &str) -> String {
    format!("{}-{}", folder.collection_date, &key[..16])
}
