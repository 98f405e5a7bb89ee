//! Finding a file inside one snapshot folder without ever leaving it: every component is
//! checked with `symlink_metadata` (a symlink anywhere is "not found", as is anything but
//! a folder or a regular file), the opened file must be the very inode that was checked,
//! and only files the snapshot's manifest lists are served (the manifest also gives the
//! ETag). Manifests are read once per snapshot id: snapshots never change. Nor are bytes
//! ever served that do not match the manifest (see `integrity`).

use super::integrity::Integrity;
use crate::store::manifest::{MANIFEST, Manifest};
use std::collections::HashMap;
use std::fs::{File, Metadata};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// A snapshot's manifest as a lookup table.
#[derive(Debug)]
pub struct SnapshotIndex {
    pub id: String,
    pub root: PathBuf,
    /// Relative path → (sha256, bytes); `manifest.json` itself included.
    files: HashMap<String, (String, u64)>,
    /// Which files were found to match the manifest, or not.
    integrity: Integrity,
}

impl SnapshotIndex {
    /// Reads `manifest.json` of the snapshot folder `root` (itself checked to be a real
    /// folder, not a symlink).
    fn load(id: &str, root: &Path) -> Option<SnapshotIndex> {
        if !real_dir(root) {
            return None;
        }
        let manifest_path = root.join(MANIFEST);
        let (mut file, meta) = open_regular(&manifest_path)?;
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut bytes).ok()?;
        if bytes.len() as u64 != meta.len() {
            return None;
        }
        let manifest: Manifest = serde_json::from_slice(&bytes).ok()?;
        // A manifest of another snapshot, or one edited so that it no longer names its
        // own digest, is no manifest of this one.
        if manifest.snapshot_id != id
            || !manifest
                .content_digest
                .get(..8)
                .is_some_and(|d| id.ends_with(&format!("-{d}")))
        {
            return None;
        }
        let mut files: HashMap<String, (String, u64)> = manifest
            .files
            .into_iter()
            .map(|e| (e.path, (e.sha256, e.bytes)))
            .collect();
        files.insert(
            MANIFEST.to_string(),
            (crate::hash::sha256_hex(&bytes), bytes.len() as u64),
        );
        Some(SnapshotIndex {
            id: id.to_string(),
            root: root.to_path_buf(),
            files,
            integrity: Integrity::default(),
        })
    }

    pub fn entry(&self, rel: &str) -> Option<(&str, u64)> {
        self.files.get(rel).map(|(s, n)| (s.as_str(), *n))
    }

    /// Whether this snapshot can be served, cheaply: `manifest.json` is still the one
    /// read, its `index.html` matches it, and so does every file found damaged before
    /// (each is looked at again, so a repaired snapshot is healthy again). Hashes come from
    /// the cache while files look unchanged. `Err` names the first problem.
    pub fn check(&self) -> Result<(), String> {
        let mut suspects = vec![MANIFEST.to_string(), "index.html".to_string()];
        suspects.extend(self.integrity.damaged());
        for rel in suspects {
            let segments: Vec<String> = rel.split('/').map(str::to_string).collect();
            match find(self, &segments, false) {
                Lookup::File { .. } => {}
                Lookup::Corrupt(rel) => {
                    return Err(format!("{rel} does not match the snapshot's manifest"));
                }
                Lookup::Missing | Lookup::Folder => {
                    if self.entry(&rel).is_some() {
                        return Err(format!("{rel} is missing from the snapshot"));
                    }
                }
            }
        }
        Ok(())
    }
}

/// Manifests already read, by snapshot id (a few; a rollback or publish adds one).
#[derive(Debug, Default)]
pub struct Indexes {
    map: Mutex<HashMap<String, Arc<SnapshotIndex>>>,
}

/// How many snapshot manifests stay in memory.
const KEPT: usize = 16;

impl Indexes {
    /// The index of `snapshots/<id>/` under `snapshots`, if that is a real folder with a
    /// readable manifest.
    pub fn get(&self, snapshots: &Path, id: &str) -> Option<Arc<SnapshotIndex>> {
        if id.is_empty() || id.starts_with('.') || id.contains(['/', '\\', '\0']) {
            return None;
        }
        if let Some(hit) = self.map.lock().ok()?.get(id) {
            return Some(hit.clone());
        }
        let index = Arc::new(SnapshotIndex::load(id, &snapshots.join(id))?);
        let mut map = self.map.lock().ok()?;
        if map.len() >= KEPT {
            map.clear();
        }
        map.insert(id.to_string(), index.clone());
        Some(index)
    }
}

/// What a path names inside a snapshot.
#[derive(Debug)]
pub enum Lookup {
    File {
        /// Path relative to the snapshot root (`districts/02/index.html`).
        rel: String,
        file: File,
        len: u64,
        sha256: String,
        modified: Option<SystemTime>,
    },
    /// A folder asked for without its trailing slash.
    Folder,
    Missing,
    /// The file on disk does not hold the bytes its manifest lists: not served.
    Corrupt(String),
}

fn real_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_dir())
}

/// Opens a regular file that is not a symlink, and makes sure the file opened is the one
/// inspected (nothing was swapped in between).
fn open_regular(path: &Path) -> Option<(File, Metadata)> {
    let before = std::fs::symlink_metadata(path).ok()?;
    if !before.file_type().is_file() {
        return None;
    }
    let file = File::open(path).ok()?;
    let after = file.metadata().ok()?;
    (after.is_file() && after.dev() == before.dev() && after.ino() == before.ino())
        .then_some((file, after))
}

/// Largest file [`read_small`] reads.
const SMALL: u64 = 64 * 1024;

/// A small regular file (not a symlink) and its time, read whole.
pub fn read_small(path: &Path) -> Option<(Vec<u8>, Option<SystemTime>)> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > SMALL {
        return None;
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::Read::take(file, SMALL), &mut bytes).ok()?;
    Some((bytes, meta.modified().ok()))
}

/// Resolves checked segments inside `index`'s snapshot; a folder serves its `index.html`
/// when asked for with a trailing slash.
pub fn find(index: &SnapshotIndex, segments: &[String], trailing_slash: bool) -> Lookup {
    if segments.is_empty() && !trailing_slash {
        return Lookup::Folder;
    }
    let mut path = index.root.clone();
    let mut rel: Vec<&str> = Vec::with_capacity(segments.len() + 1);
    for (i, segment) in segments.iter().enumerate() {
        path.push(segment);
        rel.push(segment);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            return Lookup::Missing;
        };
        let last = i + 1 == segments.len();
        let kind = meta.file_type();
        if kind.is_dir() {
            if last && !trailing_slash {
                return Lookup::Folder;
            }
        } else if !(last && kind.is_file() && !trailing_slash) {
            // A symlink, a socket or fifo, or a file asked for as a folder.
            return Lookup::Missing;
        }
    }
    if trailing_slash {
        path.push("index.html");
        rel.push("index.html");
    }
    let rel = rel.join("/");
    let Some((sha256, bytes)) = index.entry(&rel) else {
        return Lookup::Missing;
    };
    let Some((mut file, meta)) = open_regular(&path) else {
        return Lookup::Missing;
    };
    if meta.len() != bytes {
        index.integrity.damage(&rel);
        return Lookup::Corrupt(rel);
    }
    if !index.integrity.matches(&rel, &mut file, &meta, sha256) {
        return Lookup::Corrupt(rel);
    }
    Lookup::File {
        rel,
        file,
        len: bytes,
        sha256: sha256.to_string(),
        modified: meta.modified().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "20260101T000000Z-d1e2f3a4";

    fn entry(path: &str, bytes: &[u8]) -> crate::store::manifest::FileEntry {
        crate::store::manifest::FileEntry {
            path: path.into(),
            bytes: bytes.len() as u64,
            sha256: crate::hash::sha256_hex(bytes),
        }
    }

    fn snapshot(dir: &Path) -> SnapshotIndex {
        let root = dir.join(ID);
        std::fs::create_dir_all(root.join("d")).unwrap();
        std::fs::write(root.join("a.json"), b"{}").unwrap();
        std::fs::write(root.join("d/index.html"), b"<p>").unwrap();
        std::fs::write(root.join("index.html"), b"<h1>").unwrap();
        std::fs::write(root.join("unlisted.txt"), b"x").unwrap();
        let m = Manifest::new(
            ID,
            "d1e2f3a4ffff",
            vec![
                entry("a.json", b"{}"),
                entry("d/index.html", b"<p>"),
                entry("index.html", b"<h1>"),
            ],
        );
        std::fs::write(root.join(MANIFEST), m.to_bytes()).unwrap();
        SnapshotIndex::load(ID, &root).unwrap()
    }

    fn s(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn files_folders_and_refusals() {
        let dir = tempfile::tempdir().unwrap();
        let index = snapshot(dir.path());
        assert!(matches!(
            find(&index, &s(&["a.json"]), false),
            Lookup::File { len: 2, .. }
        ));
        assert!(matches!(
            find(&index, &s(&["a.json"]), true),
            Lookup::Missing
        ));
        assert!(matches!(find(&index, &s(&["d"]), false), Lookup::Folder));
        assert!(
            matches!(find(&index, &s(&["d"]), true), Lookup::File { ref rel, .. } if rel == "d/index.html")
        );
        assert!(matches!(
            find(&index, &s(&["unlisted.txt"]), false),
            Lookup::Missing
        ));
        assert!(matches!(
            find(&index, &s(&["manifest.json"]), false),
            Lookup::File { .. }
        ));
        assert!(
            matches!(find(&index, &s(&[]), true), Lookup::File { ref rel, .. } if rel == "index.html")
        );

        let outside = dir.path().join("secret");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("index.html"), b"<p>").unwrap();
        std::fs::remove_dir_all(index.root.join("d")).unwrap();
        std::os::unix::fs::symlink(&outside, index.root.join("d")).unwrap();
        assert!(matches!(find(&index, &s(&["d"]), true), Lookup::Missing));
        std::fs::remove_file(index.root.join("a.json")).unwrap();
        std::os::unix::fs::symlink(outside.join("index.html"), index.root.join("a.json")).unwrap();
        assert!(matches!(
            find(&index, &s(&["a.json"]), false),
            Lookup::Missing
        ));
    }

    #[test]
    fn size_mismatch_is_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let index = snapshot(dir.path());
        std::fs::write(index.root.join("a.json"), b"{\"x\":1}").unwrap();
        assert!(matches!(
            find(&index, &s(&["a.json"]), false),
            Lookup::Corrupt(_)
        ));
    }

    #[test]
    fn one_changed_byte_of_the_same_size_is_corrupt_until_repaired() {
        let dir = tempfile::tempdir().unwrap();
        let index = snapshot(dir.path());
        assert_eq!(index.check(), Ok(()));
        assert!(matches!(
            find(&index, &s(&["d"]), true),
            Lookup::File { .. }
        ));
        // Served once (verified and cached), then changed in place, same size: the
        // ctime moves, so the cache is not trusted and the file is hashed again.
        std::fs::write(index.root.join("d/index.html"), b"<b>").unwrap();
        assert!(matches!(find(&index, &s(&["d"]), true), Lookup::Corrupt(_)));
        assert_eq!(
            index.check(),
            Err("d/index.html does not match the snapshot's manifest".into())
        );
        std::fs::write(index.root.join("index.html"), b"<h2>").unwrap();
        assert_eq!(
            index.check(),
            Err("index.html does not match the snapshot's manifest".into())
        );
        std::fs::write(index.root.join("index.html"), b"<h1>").unwrap();
        std::fs::write(index.root.join("d/index.html"), b"<p>").unwrap();
        assert_eq!(index.check(), Ok(()), "repaired in place: healthy again");
        std::fs::remove_file(index.root.join("index.html")).unwrap();
        assert_eq!(
            index.check(),
            Err("index.html is missing from the snapshot".into())
        );
    }

    #[test]
    fn a_manifest_of_another_snapshot_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let index = snapshot(dir.path());
        let other = dir.path().join("20260101T000000Z-00000000");
        std::fs::rename(&index.root, &other).unwrap();
        assert!(SnapshotIndex::load("20260101T000000Z-00000000", &other).is_none());
        std::fs::rename(&other, &index.root).unwrap();
        assert!(SnapshotIndex::load(ID, &index.root).is_some());
    }

    #[test]
    fn bad_ids_and_symlinked_snapshots_have_no_index() {
        let dir = tempfile::tempdir().unwrap();
        snapshot(dir.path());
        let indexes = Indexes::default();
        assert!(indexes.get(dir.path(), ID).is_some());
        for id in ["", ".", "..", ".staging", "a/b"] {
            assert!(indexes.get(dir.path(), id).is_none(), "{id}");
        }
        std::os::unix::fs::symlink(dir.path().join(ID), dir.path().join("link")).unwrap();
        assert!(indexes.get(dir.path(), "link").is_none());
    }
}
