//! The tool's own files and folders inside a root it owns (the site store, the fetch
//! cache): read only regular files, with a size bound, never through a symlink and never
//! blocking on a FIFO; create folders only where no symlink or other file stands; remove
//! an entry as what it is (a link itself, never its target).
//!
//! Why: a cache file under `.digests/` that is a FIFO hangs a plain `read`, a symlink to
//! `/dev/zero` reads until memory runs out, and a folder symlinked out of the root gets
//! our writes outside it. Every rule about such entries lives here.

use super::{NOFOLLOW, mutation};
use anyhow::{Context, Result, bail};
use std::fs::{self, File, OpenOptions};
use std::io::Read;
use std::path::Path;

/// What an entry that is not a regular file is, for messages ("a FIFO", "a folder").
pub fn kind_of(meta: &fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_symlink() {
        "a symbolic link"
    } else if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

/// Reads `path` when it is a regular file of at most `max` bytes. The open neither follows
/// a final symlink (`O_NOFOLLOW`) nor waits for a FIFO's writer (`O_NONBLOCK`), the type
/// is checked on the open file (no window between check and read), and at most `max + 1`
/// bytes are read whatever the size claims. A missing file is an error too: callers of
/// caches treat every error as "recompute".
pub fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>> {
    use std::os::unix::fs::OpenOptionsExt;
    let file: File = OpenOptions::new()
        .read(true)
        .custom_flags(NOFOLLOW | NONBLOCK)
        .open(path)
        .with_context(|| {
            let what = fs::symlink_metadata(path)
                .map(|m| kind_of(&m))
                .unwrap_or("missing");
            format!(
                "cannot read {} ({what}; expected a regular file)",
                path.display()
            )
        })?;
    let meta = file
        .metadata()
        .with_context(|| format!("cannot inspect {}", path.display()))?;
    if !meta.is_file() {
        bail!(
            "{} is {}, not a regular file; it is not read",
            path.display(),
            kind_of(&meta)
        );
    }
    if meta.len() > max {
        bail!(
            "{} holds {} bytes, more than the {max} a file of this kind may hold; it is not read",
            path.display(),
            meta.len()
        );
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() as u64 > max {
        bail!(
            "{} grew past {max} bytes while it was read; it is not read",
            path.display()
        );
    }
    Ok(bytes)
}

/// Makes `path` a folder of ours: creates it (and missing parents) when absent, accepts a
/// real folder, and refuses a symlink (even to a folder) or any other file, naming it.
pub fn create_own_dir(path: &Path) -> Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(m) => bail!(
            "{} is {}, where toaststats keeps a folder of its own; it does not write through it. Remove it (or run `toaststats snapshots repair` for the site's caches)",
            path.display(),
            kind_of(&m)
        ),
        Err(_) => {
            mutation("create_dir", path)?;
            match fs::create_dir_all(path) {
                Ok(()) => {}
                // Another writer made it in between: fine when it is a folder.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("cannot create folder {}", path.display()));
                }
            }
            let m = fs::symlink_metadata(path)
                .with_context(|| format!("cannot inspect {}", path.display()))?;
            if !m.is_dir() {
                bail!("{} is {}, not a folder", path.display(), kind_of(&m));
            }
            Ok(())
        }
    }
}

/// Removes the entry at `path` as what it is: a folder with its contents, anything else
/// (a symlink, a FIFO, a file) by unlinking the name. A link's target is never touched.
pub fn remove_entry(path: &Path) -> Result<()> {
    let meta =
        fs::symlink_metadata(path).with_context(|| format!("cannot inspect {}", path.display()))?;
    if meta.is_dir() {
        super::remove_dir_all(path)
    } else {
        super::remove_file(path)
    }
}

/// Fails unless `path` is absent or a regular file (not a symlink, FIFO, folder...).
pub fn refuse_non_regular(path: &Path) -> Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if !m.is_file() => bail!(
            "{} is {}, where toaststats keeps a regular file of its own; it does not write through it: remove it",
            path.display(),
            kind_of(&m)
        ),
        _ => Ok(()),
    }
}

#[cfg(target_os = "linux")]
const NONBLOCK: i32 = rustix::fs::OFlags::NONBLOCK.bits() as i32;
#[cfg(not(target_os = "linux"))]
const NONBLOCK: i32 = 0; // the type check after the open is the guard there

#[cfg(test)]
mod tests {
    use super::*;

    fn mkfifo(path: &Path) {
        let ok = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }

    #[test]
    fn only_bounded_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("ok"), b"abc").unwrap();
        assert_eq!(read_regular(&d.join("ok"), 3).unwrap(), b"abc");
        let big = format!("{:#}", read_regular(&d.join("ok"), 2).unwrap_err());
        assert!(big.contains("more than the 2"), "{big}");
        mkfifo(&d.join("fifo"));
        let fifo = format!("{:#}", read_regular(&d.join("fifo"), 10).unwrap_err());
        assert!(fifo.contains("a FIFO"), "{fifo}");
        std::os::unix::fs::symlink("/dev/zero", d.join("zero")).unwrap();
        let zero = format!("{:#}", read_regular(&d.join("zero"), 10).unwrap_err());
        assert!(zero.contains("a symbolic link"), "{zero}");
        fs::create_dir(d.join("folder")).unwrap();
        let folder = format!("{:#}", read_regular(&d.join("folder"), 10).unwrap_err());
        assert!(folder.contains("a folder"), "{folder}");
        assert!(read_regular(Path::new("/dev/zero"), 10).is_err());
    }

    #[test]
    fn own_folders_are_never_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        create_own_dir(&d.join("a/b")).unwrap();
        create_own_dir(&d.join("a/b")).unwrap();
        std::os::unix::fs::symlink(d.join("a"), d.join("link")).unwrap();
        let err = format!("{:#}", create_own_dir(&d.join("link")).unwrap_err());
        assert!(
            err.contains("a symbolic link") && err.contains("link"),
            "{err}"
        );
        fs::write(d.join("file"), b"").unwrap();
        assert!(create_own_dir(&d.join("file")).is_err());
        remove_entry(&d.join("link")).unwrap();
        assert!(d.join("a/b").is_dir(), "the link's target was touched");
    }
}
