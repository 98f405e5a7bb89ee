//! The build log: one JSON line per build attempt in `builds.jsonl`, and the full error
//! report of a failed build in `failed/<id>.json` (never served).

use super::Site;
use crate::diag::Diag;
use crate::fsx;
use anyhow::Result;
use serde::{Deserialize, Serialize};

/// Seconds spent in each phase of a build.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Phases {
    pub read: f64,
    pub validate: f64,
    pub compute: f64,
    /// Digests of the earlier dates and the history assembled from them.
    #[serde(default)]
    pub history: f64,
    pub render: f64,
    /// Computing and rendering the archive of closed months.
    #[serde(default)]
    pub archive: f64,
    pub write: f64,
    pub fsync: f64,
    pub publish: f64,
}

/// One line of `builds.jsonl`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BuildRecord {
    pub id: String,
    /// `success`, `partial`, `failed`, `unchanged`, or `rollback` for a rollback.
    pub status: String,
    pub started_at: String,
    pub finished_at: String,
    pub duration_seconds: f64,
    pub phases: Phases,
    pub files_written: u64,
    /// Of `files_written`, those hard-linked from the previous snapshot (same content).
    #[serde(default)]
    pub files_linked: u64,
    /// Closed months of the archive rendered by this build, and carried over unchanged
    /// from the current snapshot.
    #[serde(default)]
    pub archive_months_rendered: u64,
    #[serde(default)]
    pub archive_months_carried: u64,
    pub bytes_written: u64,
    pub districts_built: u64,
    pub districts_failed: u64,
    pub warnings: u64,
    pub errors: u64,
    pub data_date: Option<String>,
    pub became_current: bool,
    /// Why the snapshot did not become current: `failed`, `older data`, `unchanged`,
    /// `no-publish`, `pinned`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_current_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Free text for operations that are not builds (`rolled back from <id>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

pub fn append(site: &Site, record: &BuildRecord) -> Result<()> {
    let line = serde_json::to_string(record)?;
    fsx::append_line(&site.builds_log(), &line)
}

/// The report written for a failed build.
#[derive(Debug, Serialize)]
pub struct FailedReport<'a> {
    pub id: &'a str,
    pub status: &'static str,
    pub error: &'a str,
    pub errors: &'a [Diag],
    pub warnings: &'a [Diag],
}

pub fn write_failed(site: &Site, report: &FailedReport) -> Result<()> {
    fsx::create_own_dir(&site.failed())?;
    let mut bytes = serde_json::to_vec_pretty(report)?;
    bytes.push(b'\n');
    fsx::atomic_write(&site.failed_report(report.id), &bytes)
}
