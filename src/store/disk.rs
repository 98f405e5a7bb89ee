//! Free space of the file system that holds the site store, for `status` (issue 24): a
//! build writes a whole snapshot before it publishes, so a full disk fails every night
//! until someone notices. Below [`LOW_SHARE`] free is a warning, below [`CRITICAL_SHARE`]
//! a failure (the site is not healthy).

use serde::Serialize;
use std::path::Path;

/// Free space below this share of the file system is reported as low (a warning).
pub const LOW_SHARE: f64 = 0.20;
/// Free space below this share fails `status`: the next snapshot may not fit.
pub const CRITICAL_SHARE: f64 = 0.05;

#[derive(Debug, Clone, Serialize)]
pub struct Disk {
    /// Bytes an unprivileged writer may still use.
    pub free_bytes: u64,
    pub total_bytes: u64,
    /// `free_bytes / total_bytes`, rounded to 0.001.
    pub free_share: f64,
    /// `ok`, `low` (below 20% free) or `critical` (below 5% free).
    pub state: &'static str,
}

/// The state for a free share, one rule for text, JSON and the exit code.
pub fn state(free_share: f64) -> &'static str {
    if free_share < CRITICAL_SHARE {
        "critical"
    } else if free_share < LOW_SHARE {
        "low"
    } else {
        "ok"
    }
}

/// The free space of the file system of `path` (the site root, or its nearest existing
/// parent); `None` when it cannot be asked.
pub fn of(path: &Path) -> Option<Disk> {
    let existing = path.ancestors().find(|p| p.exists())?;
    let (free, total) = statvfs(existing)?;
    if total == 0 {
        return None;
    }
    let share = free as f64 / total as f64;
    Some(Disk {
        free_bytes: free,
        total_bytes: total,
        free_share: (share * 1000.0).round() / 1000.0,
        state: state(share),
    })
}

/// `statvfs(3)`: std has no call for free space. Available blocks (what a non-root writer
/// may use) and total blocks, times the fragment size.
fn statvfs(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    let mut s = std::mem::MaybeUninit::<libc::statvfs>::zeroed();
    // SAFETY: `c` is a NUL-terminated path and `s` a writable statvfs the call fills in;
    // it is read only when the call succeeded.
    let rc = unsafe { libc::statvfs(c.as_ptr(), s.as_mut_ptr()) };
    if rc != 0 {
        return None;
    }
    // SAFETY: the call returned 0, so it initialised `s`.
    let s = unsafe { s.assume_init() };
    // the field types differ between platforms (u64 on 64-bit Linux)
    #[allow(clippy::useless_conversion)]
    let (unit, avail, blocks) = (
        u64::from(s.f_frsize),
        u64::from(s.f_bavail),
        u64::from(s.f_blocks),
    );
    Some((avail * unit, blocks * unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_at_and_around_20_and_5_percent() {
        assert_eq!(state(0.50), "ok");
        assert_eq!(state(0.20), "ok");
        assert_eq!(state(0.199), "low");
        assert_eq!(state(0.05), "low");
        assert_eq!(state(0.049), "critical");
        assert_eq!(state(0.0), "critical");
    }

    #[test]
    fn the_file_system_of_a_folder_and_of_a_path_not_made_yet() {
        let dir = tempfile::tempdir().unwrap();
        let d = of(dir.path()).expect("statvfs of a temp folder");
        assert!(d.total_bytes > 0 && d.free_bytes <= d.total_bytes);
        assert!((0.0..=1.0).contains(&d.free_share));
        let later = of(&dir.path().join("site/not/yet")).unwrap();
        assert_eq!(
            later.total_bytes, d.total_bytes,
            "its nearest existing parent"
        );
    }
}
