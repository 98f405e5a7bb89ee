//! Every file-system call of the tool goes through here, so each error names its path
//! (`anyhow::Context`) and the publish path gets durable primitives: fsync of files and
//! directories, atomic write (temp + fsync + rename) and atomic symlink replacement.
//!
//! Fault injection for tests: with `TOASTSTATS_FAULT_AT=N` in the environment, the Nth
//! mutating operation of the process (write, create folder, rename, remove, fsync,
//! symlink, append) fails with an injected error. Unset, it costs one atomic load.

use anyhow::{Context, Result, bail};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

mod own;
pub use own::{create_own_dir, kind_of, read_regular, refuse_non_regular, remove_entry};

/// The environment variable that arms fault injection.
pub const FAULT_ENV: &str = "TOASTSTATS_FAULT_AT";
/// With this set to `kill` as well, the targeted operation ends the process at once
/// (SIGKILL-like: no error path, no cleanup runs), for crash tests of the publish orders.
pub const FAULT_MODE_ENV: &str = "TOASTSTATS_FAULT_MODE";

static FAULT_AT: OnceLock<Option<u64>> = OnceLock::new();
static MUTATIONS: AtomicU64 = AtomicU64::new(0);

/// Counts a mutating operation and fails it when it is the one fault injection targets.
fn mutation(op: &str, path: &Path) -> Result<()> {
    let target =
        *FAULT_AT.get_or_init(|| std::env::var(FAULT_ENV).ok().and_then(|v| v.parse().ok()));
    if let Some(n) = target {
        let k = MUTATIONS.fetch_add(1, Ordering::SeqCst) + 1;
        if k == n {
            if std::env::var(FAULT_MODE_ENV).is_ok_and(|m| m == "kill") {
                eprintln!("injected kill: operation {k} ({op} {})", path.display());
                // Exit at once: no error path, no cleanup, no unwinding (and no core file).
                std::process::exit(137);
            }
            bail!(
                "injected fault: operation {k} ({op} {}) failed",
                path.display()
            );
        }
    }
    Ok(())
}

pub fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

pub fn read_to_string(path: &Path) -> Result<String> {
    fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Creates (or truncates) `path` and writes `bytes`, without syncing: staging files are
/// synced in one pass before they are published.
/// A symlink at `path` fails the open (`O_NOFOLLOW`) instead of redirecting the write.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    mutation("write", path)?;
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .custom_flags(NOFOLLOW)
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Creates `path` anew (`O_CREAT|O_EXCL`: never through a symlink or over a file planted
/// at the name) and writes `bytes`; for temp files, whose names are predictable.
fn write_new(path: &Path, bytes: &[u8], sync: bool, mode: u32) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    mutation("write", path)?;
    let _ = fs::remove_file(path); // a leftover of a crashed run with our pid
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(bytes)
        .and_then(|_| if sync { file.sync_all() } else { Ok(()) })
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Makes `link` a second name of the file `original` (same inode, no bytes copied).
pub fn hard_link(original: &Path, link: &Path) -> Result<()> {
    mutation("hard_link", link)?;
    fs::hard_link(original, link)
        .with_context(|| format!("cannot link {} to {}", link.display(), original.display()))
}

pub fn create_dir_all(path: &Path) -> Result<()> {
    if path.is_dir() {
        return Ok(());
    }
    mutation("create_dir", path)?;
    fs::create_dir_all(path).with_context(|| format!("cannot create folder {}", path.display()))
}

pub fn rename(from: &Path, to: &Path) -> Result<()> {
    mutation("rename", to)?;
    fs::rename(from, to)
        .with_context(|| format!("cannot rename {} to {}", from.display(), to.display()))
}

pub fn remove_dir_all(path: &Path) -> Result<()> {
    mutation("remove", path)?;
    fs::remove_dir_all(path).with_context(|| format!("cannot remove {}", path.display()))
}

pub fn remove_file(path: &Path) -> Result<()> {
    mutation("remove", path)?;
    fs::remove_file(path).with_context(|| format!("cannot remove {}", path.display()))
}

/// Removes a file or symlink if it exists; a missing path is fine.
pub fn remove_file_if_exists(path: &Path) -> Result<()> {
    mutation("remove", path)?;
    match fs::remove_file(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other.with_context(|| format!("cannot remove {}", path.display())),
    }
}

/// The entries of a folder, sorted by file name so every caller is deterministic.
pub fn read_dir_sorted(path: &Path) -> Result<Vec<fs::DirEntry>> {
    let mut entries = fs::read_dir(path)
        .with_context(|| format!("cannot list folder {}", path.display()))?
        .collect::<std::io::Result<Vec<_>>>()
        .with_context(|| format!("cannot list folder {}", path.display()))?;
    entries.sort_by_key(|e| e.file_name());
    Ok(entries)
}

/// Metadata without following a final symlink.
pub fn symlink_metadata(path: &Path) -> Result<fs::Metadata> {
    fs::symlink_metadata(path).with_context(|| format!("cannot inspect {}", path.display()))
}

/// Metadata, following symlinks (what the path finally names).
pub fn metadata(path: &Path) -> Result<fs::Metadata> {
    fs::metadata(path).with_context(|| format!("cannot inspect {}", path.display()))
}

/// The absolute path with every symlink resolved.
pub fn canonicalize(path: &Path) -> Result<PathBuf> {
    fs::canonicalize(path).with_context(|| format!("cannot resolve {}", path.display()))
}

pub fn read_link(path: &Path) -> Result<PathBuf> {
    fs::read_link(path).with_context(|| format!("cannot read link {}", path.display()))
}

/// Flushes a file's contents to stable storage.
pub fn fsync_file(path: &Path) -> Result<()> {
    mutation("fsync", path)?;
    File::open(path)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot fsync {}", path.display()))
}

/// Flushes a folder's entries (new names, renames) to stable storage.
pub fn fsync_dir(path: &Path) -> Result<()> {
    mutation("fsync", path)?;
    File::open(path)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot fsync folder {}", path.display()))
}

/// Flushes everything written to the file system that holds `dir`, names and folders
/// included (Linux `syncfs(2)`). One call makes a staged snapshot of thousands of files
/// durable in one journal commit, where an fsync per file costs a commit each (seconds
/// on a world-size site). Since Linux 5.8 it reports write-back errors of that file system.
#[cfg(target_os = "linux")]
pub fn sync_file_system(dir: &Path) -> Result<()> {
    mutation("syncfs", dir)?;
    File::open(dir)
        .and_then(|f| rustix::fs::syncfs(&f).map_err(std::io::Error::from))
        .with_context(|| format!("cannot sync the file system of {}", dir.display()))
}

/// Writes `bytes` to `path` so that a reader sees either the old or the new content:
/// temp file in the same folder, fsync, rename over, fsync the folder.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<()> {
    atomic_write_mode(path, bytes, 0o666)
}

/// [`atomic_write`] of a file only its owner may read or write (mode 0600 from its
/// creation, so it is never readable by others, not even as a temp file).
pub fn atomic_write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    atomic_write_mode(path, bytes, 0o600)
}

fn atomic_write_mode(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    let dir = parent_of(path);
    let tmp = temp_sibling(path);
    let result = (|| {
        write_new(&tmp, bytes, true, mode)?;
        rename(&tmp, path)?;
        fsync_dir(&dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Replaces `path` by `bytes` through a temp file and a rename, without fsync: for caches
/// whose content is checked on every read, where a lost write only costs a recomputation
/// but a torn file must never be seen.
pub fn replace_unsynced(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = temp_sibling(path);
    if let Err(e) = write_new(&tmp, bytes, false, 0o666).and_then(|()| rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(())
}

/// Points the symlink `link` at `target` atomically: a temp link beside it, renamed over.
pub fn replace_symlink(target: &Path, link: &Path) -> Result<()> {
    let dir = parent_of(link);
    let tmp = temp_sibling(link);
    let _ = fs::remove_file(&tmp);
    mutation("symlink", &tmp)?;
    std::os::unix::fs::symlink(target, &tmp).with_context(|| {
        format!(
            "cannot create link {} -> {}",
            tmp.display(),
            target.display()
        )
    })?;
    if let Err(e) = rename(&tmp, link) {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    fsync_dir(&dir)
}

/// Fails when `path` is a symbolic link: the tool writes only inside its own folders and
/// never follows a link planted there out of them. A missing path is fine.
pub fn refuse_symlink(path: &Path) -> Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => bail!(
            "{} is a symbolic link; toaststats writes only inside its own folders and does not follow links out of them: remove the link",
            path.display()
        ),
        _ => Ok(()),
    }
}

/// Opens for writing without following a symlink at the last component (`O_NOFOLLOW`):
/// a link planted at a log or lock path fails the open instead of redirecting the write.
pub fn open_nofollow(options: &mut OpenOptions, path: &Path) -> Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    refuse_symlink(path)?;
    options
        .custom_flags(NOFOLLOW)
        .open(path)
        .with_context(|| format!("cannot open {}", path.display()))
}

#[cfg(target_os = "linux")]
const NOFOLLOW: i32 = rustix::fs::OFlags::NOFOLLOW.bits() as i32;
#[cfg(not(target_os = "linux"))]
const NOFOLLOW: i32 = 0; // refuse_symlink above is the check there

/// Appends one line (a newline is added) and syncs, for append-only logs.
pub fn append_line(path: &Path, line: &str) -> Result<()> {
    mutation("append", path)?;
    let mut file = open_nofollow(OpenOptions::new().create(true).append(true), path)?;
    let mut buf = line.as_bytes().to_vec();
    buf.push(b'\n');
    file.write_all(&buf)
        .and_then(|_| file.sync_data())
        .with_context(|| format!("cannot append to {}", path.display()))
}

/// The prefix of temp names this module creates; `repair` removes leftovers with it.
pub const TEMP_PREFIX: &str = ".tmp-";

fn temp_sibling(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent_of(path).join(format!("{TEMP_PREFIX}{}-{name}", std::process::id()))
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_content_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        atomic_write(&p, b"one").unwrap();
        atomic_write(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn replace_symlink_swaps_target() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("current");
        replace_symlink(Path::new("snapshots/a"), &link).unwrap();
        replace_symlink(Path::new("snapshots/b"), &link).unwrap();
        assert_eq!(fs::read_link(&link).unwrap(), Path::new("snapshots/b"));
    }

    #[test]
    fn errors_name_the_path() {
        let err = read(Path::new("/nonexistent/toaststats")).unwrap_err();
        assert!(format!("{err:#}").contains("/nonexistent/toaststats"));
    }
}

/// What a file's content is known by without reading it: device, inode, size, mtime and
/// ctime. Any write moves the ctime, which no user tool can set back, so a stamp that is
/// unchanged names unchanged content, provided the file had settled when it was read
/// ([`FileStamp::settled_before`]): a write within the same clock tick as the read would
/// otherwise go unseen (git's "racy clean" case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileStamp {
    dev: u64,
    ino: u64,
    len: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

/// How long after its last change a file's stamp is trusted to name its content (well
/// above any file system's timestamp granularity).
pub const STAMP_SETTLE: std::time::Duration = std::time::Duration::from_secs(2);

impl FileStamp {
    pub fn of(meta: &fs::Metadata) -> FileStamp {
        use std::os::unix::fs::MetadataExt;
        FileStamp {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.len(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }

    /// Whether the file was last changed at least [`STAMP_SETTLE`] before `read_at`.
    pub fn settled_before(&self, read_at: std::time::SystemTime) -> bool {
        let changed = std::time::UNIX_EPOCH
            + std::time::Duration::new(
                self.ctime.0.max(0) as u64,
                self.ctime.1.clamp(0, 999_999_999) as u32,
            );
        changed + STAMP_SETTLE <= read_at
    }

    /// The same stamp, changed `seconds` earlier (tests of settling).
    #[cfg(test)]
    pub fn aged(mut self, seconds: i64) -> FileStamp {
        self.ctime.0 -= seconds;
        self
    }
}
