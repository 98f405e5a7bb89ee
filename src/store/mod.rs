//! The snapshot store under the site root (DESIGN.md §4): marker, single-writer lock,
//! immutable `snapshots/<id>/`, the `current` symlink and `current.json`, the build log.

pub mod catalog;
pub mod disk;
pub mod id;
pub mod lock;
pub mod log;
pub mod manifest;
pub mod pin;
pub mod prune;
pub mod publish;
pub mod published;
pub mod repair;
pub mod rollback;
pub mod status;

use crate::fsx;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// Marks a folder as a toaststats site root; the tool refuses to write elsewhere.
pub const MARKER: &str = ".toaststats-site";
/// Files a fresh root may already hold (the repository commits them in `site/`).
const ALLOWED_IN_NEW_ROOT: &[&str] = &["README.md", ".gitignore", MARKER];

/// Paths of one site root.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
}

impl Site {
    pub fn new(root: &Path) -> Site {
        Site {
            root: root.to_path_buf(),
        }
    }

    pub fn snapshots(&self) -> PathBuf {
        self.root.join("snapshots")
    }
    pub fn snapshot(&self, id: &str) -> PathBuf {
        self.snapshots().join(id)
    }
    pub fn staging(&self) -> PathBuf {
        self.root.join(".staging")
    }
    pub fn failed(&self) -> PathBuf {
        self.root.join("failed")
    }
    /// The full error report of failed build `id`.
    pub fn failed_report(&self, id: &str) -> PathBuf {
        self.failed().join(format!("{id}.json"))
    }
    pub fn current_link(&self) -> PathBuf {
        self.root.join("current")
    }
    pub fn current_json(&self) -> PathBuf {
        self.root.join("current.json")
    }
    pub fn builds_log(&self) -> PathBuf {
        self.root.join("builds.jsonl")
    }
    pub fn lock_file(&self) -> PathBuf {
        self.root.join(".lock")
    }

    /// Makes sure the root exists and is ours: creates it (and the marker) when new or
    /// holding only a README/.gitignore, refuses any other non-empty folder.
    /// An error for a read-only or not-permitted root names the root and what to do, not
    /// the temp file that happened to fail first.
    pub fn prepare_for_writing(&self) -> Result<()> {
        self.prepare().map_err(|e| self.explain_unwritable(e))
    }

    /// Rewrites a permission or read-only file-system error into one that names the site
    /// root; other errors pass through.
    pub fn explain_unwritable(&self, e: anyhow::Error) -> anyhow::Error {
        let denied = e.chain().any(|c| {
            c.downcast_ref::<std::io::Error>().is_some_and(|io| {
                matches!(
                    io.kind(),
                    std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
                )
            })
        });
        if !denied {
            return e;
        }
        let cause = e
            .chain()
            .find_map(|c| c.downcast_ref::<std::io::Error>())
            .map(|io| io.to_string())
            .unwrap_or_default();
        anyhow::anyhow!(
            "cannot write into the site folder {} ({cause}): make it writable for this user, or choose another folder with --site",
            self.root.display()
        )
    }

    fn prepare(&self) -> Result<()> {
        if !self.root.exists() {
            fsx::create_dir_all(&self.root)?;
        }
        if !self.root.join(MARKER).exists() {
            let foreign: Vec<String> = fsx::read_dir_sorted(&self.root)?
                .iter()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !ALLOWED_IN_NEW_ROOT.contains(&n.as_str()))
                .collect();
            if !foreign.is_empty() {
                bail!(
                    "refusing to write into {}: it is not empty ({}) and has no {MARKER} marker, so it is not a toaststats site root; choose an empty folder with --site",
                    self.root.display(),
                    foreign.join(", ")
                );
            }
            fsx::atomic_write(&self.root.join(MARKER), b"toaststats site root\n")?;
        }
        // The store's own folders and files are never symlinks: a link planted at one
        // would carry the writes that follow out of the site root.
        for dir in [self.snapshots(), self.staging(), self.failed()] {
            fsx::create_own_dir(&dir)?;
        }
        for file in self.own_files() {
            fsx::refuse_non_regular(&file)?;
        }
        Ok(())
    }

    /// The regular files the store writes in its root (`current` is a symlink by design;
    /// the digest cache is checked by `repair`, which replaces what is not ours).
    pub fn own_files(&self) -> [PathBuf; 5] {
        [
            self.root.join(MARKER),
            self.lock_file(),
            self.builds_log(),
            self.current_json(),
            self.root.join(pin::FILE),
        ]
    }

    /// Refuses a site root and a cache that lie inside one another: a site inside the cache
    /// is read back as cache input by the next build, and a cache inside the site is
    /// removed or served by the store. Paths that do not exist yet are resolved through
    /// their nearest existing parent, so the check runs before anything is created.
    pub fn check_apart_from_cache(&self, cache: &Path) -> Result<(), String> {
        let site = resolve(&self.root);
        let cache_dir = resolve(cache);
        if site.starts_with(&cache_dir) {
            return Err(format!(
                "--site {} lies inside --cache {}: the next build would read the site as input; choose a site folder outside the cache",
                self.root.display(),
                cache.display()
            ));
        }
        if cache_dir.starts_with(&site) {
            return Err(format!(
                "--cache {} lies inside --site {}: the store owns everything under the site root; keep the cache outside it",
                cache.display(),
                self.root.display()
            ));
        }
        Ok(())
    }

    /// The id of the snapshot `current` points at, if it resolves to a folder.
    pub fn current_id(&self) -> Option<String> {
        let target = std::fs::read_link(self.current_link()).ok()?;
        let id = target.file_name()?.to_string_lossy().into_owned();
        self.snapshot(&id).is_dir().then_some(id)
    }

    /// Snapshot ids on disk, oldest first (ids sort by build time).
    pub fn snapshot_ids(&self) -> Result<Vec<String>> {
        if !self.snapshots().is_dir() {
            return Ok(Vec::new());
        }
        Ok(fsx::read_dir_sorted(&self.snapshots())?
            .iter()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect())
    }
}

/// `path` made absolute with symlinks resolved, through its nearest existing ancestor
/// (the rest appended as given, `.` and `..` folded).
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    std::path::Component::CurDir => {}
                    other => out.push(other),
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_only_site_error_names_the_site_folder_not_a_temp_file() {
        let site = Site::new(Path::new("/srv/site"));
        let io = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let err =
            anyhow::Error::new(io).context("cannot create /srv/site/.tmp-42-.toaststats-site");
        let msg = format!("{:#}", site.explain_unwritable(err));
        assert!(
            msg.contains("cannot write into the site folder /srv/site"),
            "{msg}"
        );
        assert!(msg.contains("--site"), "{msg}");
        assert!(!msg.contains(".tmp-"), "{msg}");
        // other errors pass through unchanged
        let other = anyhow::anyhow!("disk on fire");
        assert_eq!(
            format!("{:#}", site.explain_unwritable(other)),
            "disk on fire"
        );
    }

    #[test]
    fn site_and_cache_nesting_is_found_through_missing_folders_and_dot_dot() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache");
        std::fs::create_dir_all(cache.join("raw-csv")).unwrap();
        let inside = Site::new(&cache.join("raw-csv/../new/site"));
        assert!(inside.check_apart_from_cache(&cache).is_err());
        let around = Site::new(dir.path());
        assert!(around.check_apart_from_cache(&cache).is_err());
        let beside = Site::new(&dir.path().join("site"));
        assert!(beside.check_apart_from_cache(&cache).is_ok());
    }
}
