//! Knowing that a snapshot file holds exactly the bytes its manifest lists, without
//! hashing it on every request: a file's SHA-256 is checked before it is first served, and
//! again whenever its inode, size, mtime or ctime change (the ctime cannot be set back by a
//! user, so an edit in place is always seen). A file that fails is remembered as damaged,
//! so `/api/health` can report it until it matches again.

use std::collections::{BTreeSet, HashMap};
use std::fs::{File, Metadata};
use std::io::{Read, Seek};
use std::os::unix::fs::MetadataExt;
use std::sync::Mutex;
use std::time::SystemTime;

/// What a file's content is known by without reading it: when any of these change, the
/// content is hashed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    dev: u64,
    ino: u64,
    len: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Stamp {
    fn of(meta: &Metadata) -> Stamp {
        Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.len(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }

    /// Last changed more than [`SETTLE`] ago.
    fn settled(&self) -> bool {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        now - self.ctime.0 > SETTLE.as_secs() as i64
    }
}

/// How long after its last change a file's stamp is trusted to identify its content
/// (well above any file system's timestamp granularity).
const SETTLE: std::time::Duration = std::time::Duration::from_secs(2);

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The SHA-256 (hex) of everything `file` holds from its start; leaves it at its start.
fn sha256_of(file: &mut File) -> Option<String> {
    use sha2::Digest;
    file.rewind().ok()?;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    file.rewind().ok()?;
    Some(
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    )
}

/// Per snapshot: the files verified (with their stamp then) and those found damaged.
#[derive(Debug, Default)]
pub struct Integrity {
    verified: Mutex<HashMap<String, Stamp>>,
    damaged: Mutex<BTreeSet<String>>,
}

impl Integrity {
    /// Whether the open `file` (at `rel`, looking like `meta`) holds exactly the bytes
    /// whose SHA-256 is `sha256`: from the cache while the file looks the same, else hashed.
    pub fn matches(&self, rel: &str, file: &mut File, meta: &Metadata, sha256: &str) -> bool {
        let stamp = Stamp::of(meta);
        if lock(&self.verified).get(rel) == Some(&stamp) {
            return true;
        }
        let ok = sha256_of(file).is_some_and(|h| h == sha256);
        if ok {
            // As git does with its index ("racy clean"): a file changed within the
            // timestamp granularity of its last change could change again unseen with the
            // same stamp, so only settled files are remembered.
            if stamp.settled() {
                lock(&self.verified).insert(rel.to_string(), stamp);
            }
            lock(&self.damaged).remove(rel);
        } else {
            self.damage(rel);
        }
        ok
    }

    /// `rel` does not match (found by its size, say).
    pub fn damage(&self, rel: &str) {
        lock(&self.verified).remove(rel);
        lock(&self.damaged).insert(rel.to_string());
    }

    /// The files found damaged, sorted.
    pub fn damaged(&self) -> Vec<String> {
        lock(&self.damaged).iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settled_files_are_cached_and_any_change_is_hashed_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"abc").unwrap();
        let sha = crate::hash::sha256_hex(b"abc");
        let integrity = Integrity::default();
        let mut file = File::open(&path).unwrap();
        let meta = file.metadata().unwrap();
        assert!(integrity.matches("f", &mut file, &meta, &sha));
        assert!(
            lock(&integrity.verified).is_empty(),
            "just written: not settled, not cached"
        );
        let mut old = Stamp::of(&meta);
        old.ctime.0 -= 10;
        assert!(old.settled());
        lock(&integrity.verified).insert("f".into(), old);
        // The file as it is now does not carry the cached stamp: hashed, and it is wrong.
        assert!(!integrity.matches("f", &mut file, &meta, &"0".repeat(64)));
        assert_eq!(integrity.damaged(), ["f"]);
        assert!(integrity.matches("f", &mut file, &meta, &sha));
        assert!(integrity.damaged().is_empty());
        // A cached stamp is trusted without reading.
        let stamp = Stamp::of(&meta);
        lock(&integrity.verified).insert("f".into(), stamp);
        assert!(integrity.matches("f", &mut file, &meta, &"0".repeat(64)));
    }
}
