//! What every build needs from every input file of every date folder (its content sha256
//! and its footer), remembered between builds in `files.memo` of the site's digest folder
//! (`<site>/.digests/`, given by the caller), so a warm build of a cache of 180 dates reads
//! only the files that changed instead of 1 GB twice.
//!
//! A remembered entry is used only when the file's identity and change stamps are those it
//! was read with: device, inode, size, mtime and ctime. Any write to a file moves its ctime
//! (which no user tool can set back), so a changed file never matches. The one race left,
//! a write within the same clock tick as our read, is closed as git closes its "racy
//! clean" case: an entry is remembered only when the file's ctime is at least
//! [`fsx::STAMP_SETTLE`] older than the moment it was read. A missing or damaged memo only
//! means the files are read again.
//!
//! The memo is sealed with the site's key ([`crate::seal`]): an entry decides which
//! digest a date folder uses, so a forged entry (an old hash for a changed file) would
//! publish stale figures. A memo that is not a regular file, is too large, or whose seal
//! does not match is not used.

use super::footer::{self, Footer};
use crate::fsx::{self, FileStamp as Stamp};
use crate::seal::Seal;
use anyhow::Result;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

/// The memo's file name inside the digest folder.
pub const MEMO_FILE: &str = "files.memo";

/// Bumped when the entry's shape or the footer rule changes (2: sealed).
const MEMO_FORMAT: u32 = 2;

/// The header word of the memo file, followed by the format and the seal.
const MEMO_MAGIC: &str = "toaststats-memo";
/// What the memo's seal is for.
const MEMO_KIND: &str = "files-memo";
/// The most a memo may hold (a world cache of 180 dates needs about 20 MB).
const MAX_MEMO_BYTES: u64 = 256 << 20;

/// The facts of one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// sha256 of the file's bytes, hex.
    pub sha256: String,
    /// Its footer and the footer's 1-based line, when it has one.
    pub footer: Option<(u64, u32, chrono::NaiveDate)>,
}

impl Facts {
    fn of_bytes(bytes: &[u8]) -> Facts {
        let footer = footer::find_footer(&String::from_utf8_lossy(bytes))
            .map(|(line, f)| (line, f.month, f.as_of));
        Facts {
            sha256: crate::hash::hex(&Sha256::digest(bytes)),
            footer,
        }
    }

    /// The footer and its line.
    pub fn footer(&self) -> Option<(u64, Footer)> {
        self.footer
            .map(|(line, month, as_of)| (line, Footer { month, as_of }))
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Memo {
    format: u32,
    files: HashMap<PathBuf, (Stamp, Facts)>,
}

/// The facts of input files, from the memo when a file is unchanged, else read.
#[derive(Debug, Default)]
pub struct FileFacts {
    /// Where the memo lives and its seal; `None` keeps nothing between runs.
    path: Option<(PathBuf, Seal)>,
    known: HashMap<PathBuf, (Stamp, Facts)>,
    /// Entries used or learnt this run: what the memo keeps.
    used: Mutex<HashMap<PathBuf, (Stamp, Facts)>>,
    changed: AtomicBool,
}

impl FileFacts {
    /// Facts remembered in folder `dir` (the site's digest folder; empty when the memo is
    /// missing or unreadable).
    pub fn open(dir: &Path, seal: Seal) -> FileFacts {
        let path = dir.join(MEMO_FILE);
        let known = fsx::read_regular(&path, MAX_MEMO_BYTES)
            .ok()
            .and_then(|b| {
                unseal(&b, &seal).and_then(|body| serde_json::from_slice::<Memo>(body).ok())
            })
            .filter(|m| m.format == MEMO_FORMAT)
            .map(|m| m.files)
            .unwrap_or_default();
        FileFacts {
            path: Some((path, seal)),
            known,
            ..FileFacts::default()
        }
    }

    /// Facts read afresh every time, nothing remembered.
    pub fn transient() -> FileFacts {
        FileFacts::default()
    }

    /// The facts of the file at `path`.
    pub fn of(&self, path: &Path) -> Result<Facts> {
        // Dating and the digest key both ask for every file: the second ask is answered
        // from this run's answers, without another stat.
        if let Ok(used) = self.used.lock()
            && let Some((_, facts)) = used.get(path)
        {
            return Ok(facts.clone());
        }
        let before = Stamp::of(&fsx::metadata(path)?);
        if let Some((stamp, facts)) = self.known.get(path)
            && *stamp == before
        {
            self.remember(path, before, facts.clone());
            return Ok(facts.clone());
        }
        let bytes = fsx::read(path)?;
        let read_at = SystemTime::now();
        let facts = Facts::of_bytes(&bytes);
        // Remembered only when nothing changed while it was read and it had settled.
        let after = Stamp::of(&fsx::metadata(path)?);
        if after == before && before.settled_before(read_at) {
            self.remember(path, before, facts.clone());
            self.changed.store(true, Ordering::Relaxed);
        }
        Ok(facts)
    }

    fn remember(&self, path: &Path, stamp: Stamp, facts: Facts) {
        if self.path.is_some()
            && let Ok(mut used) = self.used.lock()
        {
            used.insert(path.to_path_buf(), (stamp, facts));
        }
    }

    /// Writes the memo when it learnt something or holds entries no longer used. A lost
    /// write only costs reading the files again, so it is replaced without fsync.
    pub fn save(self) -> Result<()> {
        let Some((path, seal)) = self.path else {
            return Ok(());
        };
        let used = self.used.into_inner().unwrap_or_default();
        let dropped = self.known.keys().any(|k| !used.contains_key(k));
        if !self.changed.into_inner() && !dropped {
            return Ok(());
        }
        if let Some(dir) = path.parent() {
            fsx::create_own_dir(dir)?;
        }
        let memo = Memo {
            format: MEMO_FORMAT,
            files: used,
        };
        let body = serde_json::to_vec(&memo)?;
        let tag = seal.tag(MEMO_KIND, &MEMO_FORMAT.to_string(), &body);
        let mut bytes = format!("{MEMO_MAGIC} {MEMO_FORMAT} {tag}\n").into_bytes();
        bytes.extend_from_slice(&body);
        fsx::replace_unsynced(&path, &bytes)
    }
}

/// The memo's body when its header names this format and its seal matches.
fn unseal<'a>(bytes: &'a [u8], seal: &Seal) -> Option<&'a [u8]> {
    let newline = bytes.iter().position(|b| *b == b'\n')?;
    let header = std::str::from_utf8(&bytes[..newline]).ok()?;
    let body = &bytes[newline + 1..];
    let format = MEMO_FORMAT.to_string();
    match header.split(' ').collect::<Vec<_>>()[..] {
        [MEMO_MAGIC, f, tag] if f == format && seal.verify(MEMO_KIND, &format, body, tag) => {
            Some(body)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn footer_file(dir: &Path, name: &str, body: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        p
    }

    /// Sets a file's ctime well in the past is impossible, so these tests move the read
    /// moment instead: a file written just now is racy and never remembered.
    #[test]
    fn a_file_changed_just_before_it_was_read_is_not_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let p = footer_file(dir.path(), "a.csv", "x\nMonth of Oct, As of 11/05/2026\n");
        let site = dir.path().join("site");
        let facts = FileFacts::open(&site, Seal::fixed(1));
        let f = facts.of(&p).unwrap();
        assert_eq!(f.footer().unwrap().0, 2);
        facts.save().unwrap();
        // nothing settled was learnt, so the memo holds nothing
        let again = FileFacts::open(&site, Seal::fixed(1));
        assert!(again.known.is_empty());
    }

    #[test]
    fn a_remembered_file_that_changes_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let p = footer_file(dir.path(), "a.csv", "x\nMonth of Oct, As of 11/05/2026\n");
        let stamp = Stamp::of(&std::fs::metadata(&p).unwrap());
        let stale = Facts {
            sha256: "0".repeat(64),
            footer: None,
        };
        let facts = FileFacts {
            known: HashMap::from([(p.clone(), (stamp, stale.clone()))]),
            ..FileFacts::default()
        };
        // unchanged: the remembered facts are used as they are
        assert_eq!(facts.of(&p).unwrap(), stale);
        // same size, new content: ctime moves, so the file is read
        std::thread::sleep(std::time::Duration::from_millis(50));
        std::fs::write(&p, "y\nMonth of Oct, As of 11/05/2026\n").unwrap();
        let fresh = facts.of(&p).unwrap();
        assert_ne!(fresh, stale);
        assert_eq!(
            fresh.sha256,
            crate::hash::sha256_hex(&std::fs::read(&p).unwrap())
        );
    }

    #[test]
    fn a_damaged_memo_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(MEMO_FILE), b"{not json").unwrap();
        assert!(FileFacts::open(dir.path(), Seal::fixed(1)).known.is_empty());
    }
}
