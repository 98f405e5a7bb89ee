//! Size bounds on input, in one place: rows per file, bytes per cell and bytes per date
//! folder. The defaults sit far above any real export (the largest district has a few
//! hundred clubs, the world summary about 130 rows, a whole world date about 6 MB), so
//! only broken or hostile input meets them; each can be raised by an environment variable
//! for an unusual cache.

use std::sync::OnceLock;

/// The bounds a build applies to its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Data rows in one export file (so per district and report).
    pub max_rows: usize,
    /// Bytes in one cell.
    pub max_cell_bytes: usize,
    /// Bytes of all export files of one date folder together.
    pub max_folder_bytes: u64,
}

pub const DEFAULTS: Limits = Limits {
    max_rows: 20_000,
    max_cell_bytes: 4_096,
    max_folder_bytes: 512 * 1024 * 1024,
};

pub const MAX_ROWS_ENV: &str = "TOASTSTATS_MAX_ROWS";
pub const MAX_CELL_BYTES_ENV: &str = "TOASTSTATS_MAX_CELL_BYTES";
pub const MAX_FOLDER_BYTES_ENV: &str = "TOASTSTATS_MAX_FOLDER_BYTES";

static LIMITS: OnceLock<Result<Limits, String>> = OnceLock::new();

/// The limits of this process: the defaults, overridden by the environment. A malformed
/// variable is an error naming it, never silently the default.
pub fn get() -> Result<Limits, String> {
    LIMITS
        .get_or_init(|| from_lookup(|k| std::env::var(k).ok()))
        .clone()
}

fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Result<Limits, String> {
    let read = |name: &str, default: u64| -> Result<u64, String> {
        match var(name) {
            None => Ok(default),
            Some(v) => match v.trim().parse::<u64>() {
                Ok(n) if n > 0 => Ok(n),
                _ => Err(format!(
                    "{name}={v:?} is not a whole number above zero (default {default})"
                )),
            },
        }
    };
    Ok(Limits {
        max_rows: read(MAX_ROWS_ENV, DEFAULTS.max_rows as u64)? as usize,
        max_cell_bytes: read(MAX_CELL_BYTES_ENV, DEFAULTS.max_cell_bytes as u64)? as usize,
        max_folder_bytes: read(MAX_FOLDER_BYTES_ENV, DEFAULTS.max_folder_bytes)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_and_rejects_nonsense() {
        assert_eq!(from_lookup(|_| None), Ok(DEFAULTS));
        let raised = from_lookup(|k| (k == MAX_ROWS_ENV).then(|| "50000".to_string())).unwrap();
        assert_eq!(raised.max_rows, 50_000);
        assert_eq!(raised.max_cell_bytes, DEFAULTS.max_cell_bytes);
        for bad in ["", "0", "-1", "lots"] {
            let e =
                from_lookup(|k| (k == MAX_CELL_BYTES_ENV).then(|| bad.to_string())).unwrap_err();
            assert!(e.contains(MAX_CELL_BYTES_ENV), "{e}");
        }
    }
}
