//! One fetch at a time per cache: an OS lock (`flock`) on `<cache>/.fetch.lock`, held for
//! the run and released on drop or process death. Two fetches into the same partial
//! folder would each rename the other's files away; `build` and other readers never lock.

use anyhow::{Context, Result, bail};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;

#[derive(Debug)]
pub struct FetchLock {
    _file: File,
}

impl FetchLock {
    /// Takes the lock or says who holds it.
    pub fn acquire(cache: &Path) -> Result<FetchLock> {
        crate::fsx::create_dir_all(cache)?;
        let path = cache.join(".fetch.lock");
        crate::fsx::refuse_symlink(cache)?;
        let mut file = crate::fsx::open_nofollow(
            OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false),
            &path,
        )?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                bail!(
                    "another fetch is writing into {} ({}); try again when it finishes",
                    cache.display(),
                    holder.trim()
                );
            }
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
        let note = format!("pid {}\n", std::process::id());
        file.set_len(0)
            .and_then(|_| file.rewind())
            .and_then(|_| file.write_all(note.as_bytes()))
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(FetchLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_fetch_is_refused_and_told_who_holds_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let held = FetchLock::acquire(dir.path()).unwrap();
        let err = format!("{:#}", FetchLock::acquire(dir.path()).unwrap_err());
        assert!(
            err.contains(&format!("pid {}", std::process::id())),
            "{err}"
        );
        drop(held);
        assert!(FetchLock::acquire(dir.path()).is_ok());
    }
}
