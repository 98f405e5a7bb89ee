//! A pin holds the site on a snapshot an operator chose: `snapshots rollback` writes
//! `site/pin.json`, and builds then store their snapshots without publishing them until
//! `snapshots unpin`, so a nightly build does not undo a rollback.

use super::Site;
use crate::fsx;
use anyhow::Result;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pin {
    pub snapshot_id: String,
    pub pinned_at: String,
    pub reason: String,
    /// The snapshot that was current when the pin was set: a pin naming another snapshot
    /// than `current` while `current` is still this one marks a rollback a crash
    /// interrupted between writing the pin and the swap (`repair` finishes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

/// The pin's file name in the site root.
pub const FILE: &str = "pin.json";

fn path(site: &Site) -> std::path::PathBuf {
    site.root.join(FILE)
}

/// The pin in force, if any (an unreadable pin file counts as a pin, to fail safe).
pub fn read(site: &Site) -> Option<Pin> {
    let p = path(site);
    // bounded and never a FIFO or a link: a reader of the store must not hang
    let bytes = crate::fsx::read_regular(&p, 1 << 20).ok()?;
    Some(serde_json::from_slice(&bytes).unwrap_or_else(|_| Pin {
        snapshot_id: String::new(),
        pinned_at: String::new(),
        reason: format!("{} is unreadable", p.display()),
        from: None,
    }))
}

pub fn write(site: &Site, pin: &Pin) -> Result<()> {
    let mut bytes = serde_json::to_vec_pretty(pin)?;
    bytes.push(b'\n');
    fsx::atomic_write(&path(site), &bytes)
}

/// The pin file's bytes as they are, to put back with [`restore`] if a change fails.
pub fn saved(site: &Site) -> Option<Vec<u8>> {
    std::fs::read(path(site)).ok()
}

/// Puts back the pin file [`saved`] returned (or removes it when there was none).
pub fn restore(site: &Site, saved: Option<&[u8]>) -> Result<()> {
    match saved {
        Some(bytes) => fsx::atomic_write(&path(site), bytes),
        None => {
            fsx::remove_file_if_exists(&path(site))?;
            fsx::fsync_dir(&site.root)
        }
    }
}

/// Removes the pin; returns the one removed.
pub fn remove(site: &Site) -> Result<Option<Pin>> {
    let pin = read(site);
    if pin.is_some() {
        fsx::remove_file_if_exists(&path(site))?;
        fsx::fsync_dir(&site.root)?;
    }
    Ok(pin)
}
