//! The digest cache under the site root (`.digests/`): one digest per date folder, keyed
//! by the content of the files the build reads from that folder plus the tool, rules and
//! digest-format versions. A file that is missing, stale (another key), corrupt or forged
//! (its seal does not match) is recomputed, never trusted; one that is not a regular file
//! (a FIFO, a device, a symlink, a folder) is never opened for reading and is removed.
//!
//! File format: a header line `toaststats-digest <format> <seal>` then JSON, where the
//! seal is the site's HMAC ([`crate::seal`]) over the full input key and the JSON body.
//! The key itself is not in the file (only its first 16 hex digits, in the name): the
//! seal binds the body to the inputs it was computed from.

use super::digest::{ClubsDigest, DateDigest};
use crate::cache::facts::{self, FileFacts};
use crate::cache::layout::DateFolder;
use crate::fsx;
use crate::seal::Seal;
use anyhow::{Context, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Bumped whenever the digest's shape or meaning changes (2: sealed; 3: parity per district).
pub const DIGEST_FORMAT: u32 = 3;

/// The most a digest part may hold: a world-size club part is a few MB; anything larger
/// is not ours and is not read.
pub const MAX_DIGEST_BYTES: u64 = 256 << 20;

/// What the seal of a digest part is for (a club part cannot stand in for a district part).
const DATE_PART: &str = "digest-date";
const CLUBS_PART: &str = "digest-clubs";

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

/// The digest cache of one site: its folder and its sealing key.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    seal: Seal,
}

impl Cache {
    /// The cache of the site at `site_root`, with the site's seal.
    pub fn new(site_root: &Path, seal: Seal) -> Cache {
        Cache {
            dir: dir(site_root),
            seal,
        }
    }

    /// Paths of the two parts of a digest.
    fn paths(&self, folder: &DateFolder, key: &str) -> (PathBuf, PathBuf) {
        let base = stem(folder, key);
        (
            self.dir.join(format!("{base}.json")),
            self.dir.join(format!("{base}.clubs.json")),
        )
    }

    /// A digest's district part, read if present, a regular file, and sealed for `key`.
    pub fn read_date(&self, folder: &DateFolder, key: &str) -> Option<DateDigest> {
        self.read_part(&self.paths(folder, key).0, DATE_PART, key)
    }

    /// A digest's club part, read if present, a regular file, and sealed for `key`.
    pub fn read_clubs(&self, folder: &DateFolder, key: &str) -> Option<ClubsDigest> {
        self.read_part(&self.paths(folder, key).1, CLUBS_PART, key)
    }

    fn read_part<T: DeserializeOwned>(&self, path: &Path, kind: &str, key: &str) -> Option<T> {
        let bytes = fsx::read_regular(path, MAX_DIGEST_BYTES).ok()?;
        let (format, tag, body) = split_header(&bytes)?;
        if format != DIGEST_FORMAT.to_string() || !self.seal.verify(kind, key, body, tag) {
            return None;
        }
        serde_json::from_slice(body).ok()
    }

    /// Writes a digest (temp file and rename each part: a reader never sees a torn file,
    /// and a lost write costs only a recomputation). The club part is written only when
    /// given: most dates never need it again, and one asked for later is recomputed.
    /// The folder must be a real folder inside the site: a symlink there is refused
    /// (`repair`, run before every build, replaces it).
    pub fn write(
        &self,
        folder: &DateFolder,
        key: &str,
        date: &DateDigest,
        clubs: Option<&ClubsDigest>,
    ) -> Result<()> {
        fsx::create_own_dir(&self.dir)?;
        let (date_path, clubs_path) = self.paths(folder, key);
        if let Some(clubs) = clubs {
            self.write_part(&clubs_path, CLUBS_PART, key, clubs)?;
        }
        self.write_part(&date_path, DATE_PART, key, date)
    }

    fn write_part<T: Serialize>(
        &self,
        path: &Path,
        kind: &str,
        key: &str,
        value: &T,
    ) -> Result<()> {
        let body = serde_json::to_vec(value).context("cannot serialise a digest")?;
        let tag = self.seal.tag(kind, key, &body);
        let mut bytes = format!("{MAGIC} {DIGEST_FORMAT} {tag}\n").into_bytes();
        bytes.extend_from_slice(&body);
        fsx::replace_unsynced(path, &bytes)
    }

    /// Removes digests no date folder uses any more (keys of folders that changed or
    /// went), and any entry that is not a regular file.
    pub fn retain(&self, used: &BTreeSet<String>) -> Result<usize> {
        if !fsx::symlink_metadata(&self.dir).is_ok_and(|m| m.is_dir()) {
            return Ok(0);
        }
        let mut removed = 0;
        for entry in fsx::read_dir_sorted(&self.dir)? {
            let name = entry.file_name().to_string_lossy().into_owned();
            let stem = name
                .strip_suffix(".clubs.json")
                .or_else(|| name.strip_suffix(".json"))
                .unwrap_or(&name);
            let regular = fsx::symlink_metadata(&entry.path()).is_ok_and(|m| m.is_file());
            let kept = name == facts::MEMO_FILE || name == crate::build::ARCHIVE_KEYS_FILE;
            if !regular || (!used.contains(stem) && !kept) {
                fsx::remove_entry(&entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// The header's format word, seal, and the body after it.
fn split_header(bytes: &[u8]) -> Option<(&str, &str, &[u8])> {
    let newline = bytes.iter().position(|b| *b == b'\n')?;
    let header = std::str::from_utf8(&bytes[..newline]).ok()?;
    let mut words = header.split(' ');
    if words.next() != Some(MAGIC) {
        return None;
    }
    let (format, tag) = (words.next()?, words.next()?);
    words
        .next()
        .is_none()
        .then_some((format, tag, &bytes[newline + 1..]))
}

/// The file stem a folder's digest uses, for [`Cache::retain`].
pub fn stem(folder: &DateFolder, key: &str) -> String {
    format!("{}-{}", folder.collection_date, &key[..16])
}

/// Makes the digest folder safe to use before a build, and says what it removed: a
/// `.digests` that is not a real folder (a symlink, anywhere; a file; a FIFO) is removed
/// as the entry it is (a link's target is never touched) so the build makes a folder
/// anew, and every entry inside that is not a regular file is removed; the key file of
/// the seal likewise. Everything here is a cache: what goes is recomputed.
pub fn tidy(site_root: &Path) -> Result<Vec<String>> {
    let mut actions = Vec::new();
    let seal_key = crate::seal::key_path(site_root);
    if let Err(e) = crate::seal::check_key_file(site_root) {
        fsx::remove_entry(&seal_key)?;
        actions.push(format!("removed {e:#}: the digest key is made anew"));
    }
    let dir = dir(site_root);
    let Ok(meta) = std::fs::symlink_metadata(&dir) else {
        return Ok(actions);
    };
    if !meta.is_dir() {
        fsx::remove_entry(&dir)?;
        actions.push(format!(
            "removed {} ({}, where the digest cache keeps a folder); digests are recomputed",
            dir.display(),
            fsx::kind_of(&meta)
        ));
        return Ok(actions);
    }
    for entry in fsx::read_dir_sorted(&dir)? {
        let path = entry.path();
        let meta = fsx::symlink_metadata(&path)?;
        if !meta.is_file() {
            fsx::remove_entry(&path)?;
            actions.push(format!(
                "removed {} ({}, not a regular file) from the digest cache",
                path.display(),
                fsx::kind_of(&meta)
            ));
        }
    }
    Ok(actions)
}
