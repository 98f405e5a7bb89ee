//! One writer at a time: an OS lock (`flock`) on `site/.lock`, held for the life of a
//! [`WriterLock`]. The holder writes its pid and start time into the file so a second
//! writer can say who holds it. Readers never take the lock.

use super::Site;
use anyhow::{Context, Result, bail};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::time::{Duration, Instant};

/// Held while a build, prune, rollback or repair runs; released on drop (or process death).
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
}

impl WriterLock {
    /// Takes the lock, waiting up to `wait` for the holder to finish.
    pub fn acquire(site: &Site, wait: Duration) -> Result<WriterLock> {
        let path = site.lock_file();
        // Never through a symlink: the note below truncates the file it opens.
        let mut file = crate::fsx::open_nofollow(
            OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false),
            &path,
        )?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {
                    if started.elapsed() >= wait {
                        let mut holder = String::new();
                        let _ = file.read_to_string(&mut holder);
                        let holder = holder.trim();
                        let who = if holder.is_empty() {
                            "another process"
                        } else {
                            holder
                        };
                        bail!(
                            "another writer holds {} ({who}); try again when it finishes, or pass --wait SECONDS",
                            path.display()
                        );
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("cannot lock {}", path.display()));
                }
            }
        }
        let note = format!(
            "pid {} since {}\n",
            std::process::id(),
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
        );
        file.set_len(0)
            .and_then(|_| file.rewind())
            .and_then(|_| file.write_all(note.as_bytes()))
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(WriterLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_writer_is_refused_with_holder_named() {
        let dir = tempfile::tempdir().unwrap();
        let site = Site::new(dir.path());
        let _held = WriterLock::acquire(&site, Duration::ZERO).unwrap();
        let err = WriterLock::acquire(&site, Duration::from_millis(120)).unwrap_err();
        let msg = format!("{err:#}");
        assert!(
            msg.contains(&format!("pid {}", std::process::id())),
            "{msg}"
        );
        drop(_held);
        WriterLock::acquire(&site, Duration::ZERO).unwrap();
    }
}
