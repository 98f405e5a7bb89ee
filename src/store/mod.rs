//! The snapshot store under the site root (DESIGN.md §4): marker, single-writer lock,
//! immutable `snapshots/<id>/`, the `current` symlink and `current.json`, the build log.

pub mod catalog;
pub mod lock;
pub mod log;
pub mod manifest;
pub mod pin;
pub mod prune;
pub mod publish;
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
    pub fn prepare_for_writing(&self) -> Result<()> {
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
        for dir in [self.snapshots(), self.staging(), self.failed()] {
            fsx::create_dir_all(&dir)?;
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
