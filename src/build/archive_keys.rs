//! Carrying archived months over (issue 24): a closed month's archive changes only when
//! its inputs do, so a build does not compute and render it again when the current
//! snapshot holds it from the same inputs. Each month's inputs are one key (the cache
//! keys of every date folder up to the month end, the month ends' collections, the
//! versions, the templates and the options that shape a page); the site remembers, in
//! `.digests/archive-keys.json` (sealed like the digests), each month's key and a digest
//! of the files it gave. A month is carried over only when both match the current
//! snapshot's manifest, and every file is read back and checked against its hash.

use crate::hash::sha256_hex;
use crate::seal::Seal;
use crate::store::{Site, manifest::Manifest};
use crate::{fsx, history};
use anyhow::Result;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The file under the digest folder (`history::cache::retain` keeps it).
pub const FILE: &str = "archive-keys.json";
const KIND: &str = "archive-keys";
const FORMAT: u32 = 1;
/// Far above any real map (a few hundred months of two hashes).
const MAX_BYTES: u64 = 4 << 20;

/// What a month's archive was built from and what it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthKey {
    pub key: String,
    /// The digest of its files: every (path, sha256), sorted.
    pub content: String,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    format: u32,
    months: BTreeMap<String, MonthKey>,
}

/// The digest of a month's files from (path under the month's folder, sha256) pairs.
pub fn content_digest<'a>(files: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut lines: Vec<String> = files.map(|(p, h)| format!("{p} {h}\n")).collect();
    lines.sort();
    sha256_hex(lines.concat().as_bytes())
}

/// The months remembered by the site's last build; nothing when the file is missing,
/// unsealed or unreadable (every month is rendered then).
pub fn read(site: &Site, seal: &Seal) -> BTreeMap<String, MonthKey> {
    let path = history::cache::dir(&site.root).join(FILE);
    let Ok(bytes) = fsx::read_regular(&path, MAX_BYTES) else {
        return BTreeMap::new();
    };
    let Some(newline) = bytes.iter().position(|b| *b == b'\n') else {
        return BTreeMap::new();
    };
    let (tag, body) = (&bytes[..newline], &bytes[newline + 1..]);
    let tag = String::from_utf8_lossy(tag);
    if !seal.verify(KIND, &FORMAT.to_string(), body, &tag) {
        return BTreeMap::new();
    }
    serde_json::from_slice::<Stored>(body)
        .ok()
        .filter(|s| s.format == FORMAT)
        .map(|s| s.months)
        .unwrap_or_default()
}

/// Remembers the months of this build (a lost write costs only a rendering).
pub fn write(site: &Site, seal: &Seal, months: BTreeMap<String, MonthKey>) -> Result<()> {
    let dir = history::cache::dir(&site.root);
    fsx::create_own_dir(&dir)?;
    let body = serde_json::to_vec(&Stored {
        format: FORMAT,
        months,
    })?;
    let mut bytes = seal.tag(KIND, &FORMAT.to_string(), &body).into_bytes();
    bytes.push(b'\n');
    bytes.extend_from_slice(&body);
    fsx::replace_unsynced(&dir.join(FILE), &bytes)
}

/// The files of `month_dir` (`archive/2026-10`) in the current snapshot, by path under
/// it, when their digest is `content` and each file on disk still has its hash.
pub fn carried(
    site: &Site,
    current: Option<&(String, Manifest)>,
    month_dir: &str,
    content: &str,
) -> Option<BTreeMap<String, Vec<u8>>> {
    let (id, manifest) = current?;
    let prefix = format!("{month_dir}/");
    let entries: Vec<_> = manifest
        .files
        .iter()
        .filter_map(|e| Some((e.path.strip_prefix(&prefix)?, e)))
        .collect();
    if entries.is_empty()
        || content_digest(entries.iter().map(|(p, e)| (*p, e.sha256.as_str()))) != content
    {
        return None;
    }
    let dir = site.snapshot(id);
    let mut out = BTreeMap::new();
    for (rel, e) in entries {
        let bytes = fsx::read_regular(&dir.join(&e.path), e.bytes.saturating_add(1)).ok()?;
        if sha256_hex(&bytes) != e.sha256 {
            return None;
        }
        out.insert(rel.to_string(), bytes);
    }
    Some(out)
}
