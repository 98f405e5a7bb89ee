//! `raw-csv/.fetch-gaps.json`: the dates TI answered with nothing, every way it was asked
//! (zero-row bodies, error pages), so catch-up reports each once and does not ask again
//! every night. It lives in the cache (a dot-name `build` skips), so a nightly run that
//! keeps the cache on a data branch carries it from night to night.

use crate::fsx;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const FILE: &str = ".fetch-gaps.json";

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Gaps {
    /// Date → why TI was found not to serve it, and when.
    dates: BTreeMap<NaiveDate, Gap>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Gap {
    reason: String,
    found_at: String,
}

fn path(cache: &Path) -> PathBuf {
    cache.join("raw-csv").join(FILE)
}

impl Gaps {
    /// Reads the file; a missing or unreadable one is empty (it only saves requests).
    pub fn load(cache: &Path) -> Result<Gaps> {
        let p = path(cache);
        fsx::refuse_symlink(&p)?;
        if !p.is_file() {
            return Ok(Gaps::default());
        }
        Ok(serde_json::from_slice(&fsx::read(&p)?).unwrap_or_default())
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.dates.contains_key(&date)
    }

    /// Adds `found` and writes the file.
    pub fn record(mut self, cache: &Path, found: &[(NaiveDate, String)]) -> Result<()> {
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        for (date, reason) in found {
            self.dates.insert(
                *date,
                Gap {
                    reason: reason.clone(),
                    found_at: at.clone(),
                },
            );
        }
        let p = path(cache);
        fsx::refuse_symlink(&p)?;
        fsx::create_dir_all(&cache.join("raw-csv"))?;
        let text = serde_json::to_string_pretty(&self).context("gaps file")? + "\n";
        fsx::atomic_write(&p, text.as_bytes())
    }
}
