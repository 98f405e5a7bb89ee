//! Seals on the site's caches (`.digests/`: the per-date digests and the file-facts memo):
//! an HMAC-SHA256, under a random key kept in the site root, over what a cache entry is
//! for (its kind and the hash of its inputs) and its whole body.
//!
//! Why a keyed seal and not a plain checksum in the header: a checksum proves only that a
//! file is self-consistent, and anyone who edits a digest can recompute it (a forged
//! "99999 members" digest with a consistent header was published). The seal can be made
//! only with the site's key, and it binds the body to the inputs it was computed from, so
//! a body changed, forged, copied from another site or moved to another date's name is
//! recomputed, never published. The key is a cache's key, not a credential: a missing or
//! damaged key file is replaced by a new one, which only costs recomputing every digest.

use crate::fsx;
use anyhow::{Context, Result, bail};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The key file's name in the site root (outside `.digests/`, so a digest folder brought
/// from elsewhere does not bring a key that vouches for it).
pub const KEY_FILE: &str = ".digests.key";

const KEY_BYTES: usize = 32;

/// The site's sealing key.
#[derive(Clone)]
pub struct Seal {
    key: [u8; KEY_BYTES],
}

impl std::fmt::Debug for Seal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Seal(..)")
    }
}

/// Where the key of the site rooted at `site_root` lives.
pub fn key_path(site_root: &Path) -> PathBuf {
    site_root.join(KEY_FILE)
}

impl Seal {
    /// The key of the site at `site_root`, made (random, mode 0600) when it has none or
    /// the file is not one this tool wrote (not a regular file, wrong length). Call with
    /// the writer lock held.
    pub fn for_site(site_root: &Path) -> Result<Seal> {
        let path = key_path(site_root);
        if let Some(seal) = Self::read(&path) {
            return Ok(seal);
        }
        if fsx::symlink_metadata(&path).is_ok() {
            // Ours to replace: a name in the site root the store owns; a link is removed
            // as a link, its target untouched.
            fsx::remove_entry(&path)?;
        }
        let mut key = [0u8; KEY_BYTES];
        std::fs::File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(&mut key))
            .context("cannot read /dev/urandom for the digest cache's key")?;
        let text = format!("{}\n", crate::hash::hex(&key));
        fsx::atomic_write_private(&path, text.as_bytes())?;
        Ok(Seal { key })
    }

    fn read(path: &Path) -> Option<Seal> {
        let bytes = fsx::read_regular(path, 2 * KEY_BYTES as u64 + 1).ok()?;
        let text = std::str::from_utf8(&bytes).ok()?.trim_end_matches('\n');
        Some(Seal {
            key: unhex(text)?.try_into().ok()?,
        })
    }

    /// A fixed key, for tests.
    #[cfg(test)]
    pub fn fixed(byte: u8) -> Seal {
        Seal {
            key: [byte; KEY_BYTES],
        }
    }

    /// The seal (hex) of a cache entry of `kind` computed from inputs hashed `inputs`.
    pub fn tag(&self, kind: &str, inputs: &str, body: &[u8]) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key)
            .expect("HMAC takes a key of any length");
        // Lengths first: no two (kind, inputs, body) triples feed the same bytes.
        for part in [kind.as_bytes(), inputs.as_bytes(), body] {
            mac.update(&(part.len() as u64).to_le_bytes());
            mac.update(part);
        }
        crate::hash::hex(&mac.finalize().into_bytes())
    }

    /// Whether `tag` is the seal of this entry. A plain comparison is enough: the
    /// attacker this guards against edits files, and has no oracle to time.
    pub fn verify(&self, kind: &str, inputs: &str, body: &[u8], tag: &str) -> bool {
        self.tag(kind, inputs, body) == tag
    }
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Fails unless the seal's key file is absent or a regular file (for `repair`'s report).
pub fn check_key_file(site_root: &Path) -> Result<()> {
    let path = key_path(site_root);
    match std::fs::symlink_metadata(&path) {
        Ok(m) if !m.is_file() => bail!("{} is {}", path.display(), fsx::kind_of(&m)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seal_binds_kind_inputs_and_body() {
        let s = Seal::fixed(7);
        let t = s.tag("digest", "abc", b"{}");
        assert!(s.verify("digest", "abc", b"{}", &t));
        assert!(!s.verify("digest", "abd", b"{}", &t));
        assert!(!s.verify("memo", "abc", b"{}", &t));
        assert!(!s.verify("digest", "abc", b"{ }", &t));
        assert!(!Seal::fixed(8).verify("digest", "abc", b"{}", &t));
    }

    #[test]
    fn the_key_is_made_once_and_a_bad_key_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let a = Seal::for_site(dir.path()).unwrap();
        let b = Seal::for_site(dir.path()).unwrap();
        assert_eq!(a.key, b.key);
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(key_path(dir.path()))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the key is readable by others: {mode:o}");
        let outside = dir.path().join("outside");
        std::fs::write(&outside, "x").unwrap();
        std::fs::remove_file(key_path(dir.path())).unwrap();
        std::os::unix::fs::symlink(&outside, key_path(dir.path())).unwrap();
        let c = Seal::for_site(dir.path()).unwrap();
        assert_ne!(a.key, c.key);
        assert_eq!(
            std::fs::read(&outside).unwrap(),
            b"x",
            "the link was followed"
        );
        assert!(
            std::fs::symlink_metadata(key_path(dir.path()))
                .unwrap()
                .is_file()
        );
    }
}
