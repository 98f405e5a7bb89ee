//! What a run reports: per date and district fetched / skipped / unavailable / failed with
//! the reason, request counters, the `--json` document, the one line per run appended to
//! `<cache>/fetch-log.jsonl`, the exit code, and progress on stderr (a bar on a terminal,
//! plain lines in CI logs).

use super::live::LiveYear;
use super::urls::{Dashboard, Form};
use crate::fsx;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::io::IsTerminal;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Downloaded, checked and moved into the date folder by this run.
    Fetched,
    /// Already in the cache: no request sent.
    Skipped,
    /// TI has not published it (yet): not a failure.
    Unavailable,
    Failed,
    /// `--dry-run`: would be fetched.
    Planned,
}

/// The summary (`district` absent) or one district of one date.
#[derive(Debug, Clone, Serialize)]
pub struct UnitReport {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The URLs this run requested (or, for a dry run, would request).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DateReport {
    pub date: String,
    pub form: Form,
    /// The path asked: the bare one of the live year, or a closed year's own.
    pub dashboard: Dashboard,
    /// The program year the date was asked of.
    pub program_year: String,
    pub folder: String,
    pub summary: UnitReport,
    pub districts: Vec<UnitReport>,
    /// Set when TI answered every way of asking for this date with nothing (zero rows, an
    /// error page): recorded in `raw-csv/.fetch-gaps.json`, so catch-up does not ask again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Totals {
    pub fetched: usize,
    pub skipped: usize,
    pub unavailable: usize,
    pub failed: usize,
    pub planned: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub tool: String,
    pub started_at: String,
    pub dry_run: bool,
    pub base_url: String,
    pub requests: u64,
    pub retries: u64,
    pub bytes: u64,
    pub seconds: f64,
    pub requests_per_second: f64,
    /// Which program year is live and how that was learned (null on a dry run, or when TI
    /// could not be asked).
    pub live_year: Option<LiveYear>,
    /// Set when TI could not be asked at all (5xx, timeouts, an outage longer than the
    /// patience): never reported as "not published".
    pub unreachable: Option<String>,
    /// Set when TI answered the live-year question with nothing (zero rows, an error page).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nothing_served: Option<String>,
    /// Dates of the catch-up window TI is known not to serve (asked once, not again).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub known_gaps: Vec<String>,
    /// Set when the circuit breaker stopped the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    /// Counts over districts and summaries of every date.
    pub totals: Totals,
    pub exit_code: i32,
    pub dates: Vec<DateReport>,
}

impl RunReport {
    pub fn totals(dates: &[DateReport]) -> Totals {
        let mut t = Totals::default();
        for u in dates
            .iter()
            .flat_map(|d| std::iter::once(&d.summary).chain(&d.districts))
        {
            match u.status {
                Status::Fetched => t.fetched += 1,
                Status::Skipped => t.skipped += 1,
                Status::Unavailable => t.unavailable += 1,
                Status::Failed => t.failed += 1,
                Status::Planned => t.planned += 1,
            }
        }
        t
    }

    /// 1 on any failure (or a stopped run), else 3 when something is not published yet,
    /// else 0: everything requested is in the cache.
    pub fn exit_code(totals: &Totals, stopped: bool) -> i32 {
        if stopped || totals.failed > 0 {
            1
        } else if totals.unavailable > 0 {
            3
        } else {
            0
        }
    }

    /// The closing lines for people (stderr).
    pub fn summary_lines(&self) -> Vec<String> {
        let t = &self.totals;
        let mut lines = Vec::new();
        for d in &self.dates {
            for u in std::iter::once(&d.summary).chain(&d.districts) {
                if matches!(u.status, Status::Failed | Status::Unavailable) {
                    lines.push(format!(
                        "{} {}: {}: {}",
                        d.date,
                        unit_name(u),
                        status_word(u.status),
                        u.reason.as_deref().unwrap_or("")
                    ));
                }
            }
        }
        if let Some(n) = &self.nothing_served {
            lines.push(format!("TI serves nothing at the moment: {n}"));
        }
        if let Some(u) = &self.unreachable {
            lines.push(u.clone());
        } else if let Some(s) = &self.stopped {
            lines.push(s.clone());
        }
        if let Some(l) = &self.live_year {
            lines.insert(
                0,
                format!(
                    "live program year {}, TI's newest data as of {} (month {})",
                    l.program_year, l.as_of, l.data_month
                ),
            );
        }
        lines.push(format!(
            "{} date{}: {} fetched, {} skipped (already cached), {} not published yet, {} failed{}; {} requests ({} retries), {} bytes in {:.1}s ({:.1} requests/s)",
            self.dates.len(),
            if self.dates.len() == 1 { "" } else { "s" },
            t.fetched,
            t.skipped,
            t.unavailable,
            t.failed,
            if self.dry_run {
                format!(", {} planned (dry run: nothing sent)", t.planned)
            } else {
                String::new()
            },
            self.requests,
            self.retries,
            self.bytes,
            self.seconds,
            self.requests_per_second
        ));
        lines
    }

    /// Appends this run's line to `<cache>/fetch-log.jsonl` (without the per-district detail).
    pub fn append_log(&self, cache: &Path) -> Result<()> {
        let dates: Vec<&str> = self.dates.iter().map(|d| d.date.as_str()).collect();
        let line = serde_json::json!({
            "tool": self.tool, "started_at": self.started_at, "dry_run": self.dry_run,
            "base_url": self.base_url, "dates": dates, "requests": self.requests,
            "retries": self.retries, "bytes": self.bytes, "seconds": self.seconds,
            "totals": self.totals, "stopped": self.stopped, "exit_code": self.exit_code,
        });
        fsx::create_dir_all(cache)?;
        fsx::append_line(&cache.join("fetch-log.jsonl"), &line.to_string())
    }
}

pub fn unit_name(u: &UnitReport) -> String {
    match &u.district {
        Some(d) => format!("district {d}"),
        None => "summary".to_string(),
    }
}

pub fn status_word(s: Status) -> &'static str {
    match s {
        Status::Fetched => "fetched",
        Status::Skipped => "skipped",
        Status::Unavailable => "not published",
        Status::Failed => "failed",
        Status::Planned => "planned",
    }
}

/// Progress on stderr: an indicatif bar over requests on a terminal, else one plain line
/// per finished unit; nothing when quiet (a dry run prints its plan instead).
pub struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl Progress {
    pub fn new(quiet: bool) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        Progress { bar, quiet }
    }

    /// More files are planned.
    pub fn plan(&self, files: u64) {
        if let Some(b) = &self.bar {
            b.inc_length(files);
        }
    }

    /// A file was handled (fetched or given up).
    pub fn file_done(&self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }

    /// A unit of a date is finished.
    pub fn unit(&self, date: &str, u: &UnitReport) {
        let line = format!(
            "{date} {}: {}{}",
            unit_name(u),
            status_word(u.status),
            u.reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        );
        match &self.bar {
            Some(b) => b.set_message(line),
            None if !self.quiet => eprintln!("{line}"),
            None => {}
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_rank_failure_over_unpublished() {
        let t = |unavailable, failed| Totals {
            unavailable,
            failed,
            ..Totals::default()
        };
        assert_eq!(RunReport::exit_code(&t(0, 0), false), 0);
        assert_eq!(RunReport::exit_code(&t(2, 0), false), 3);
        assert_eq!(RunReport::exit_code(&t(2, 1), false), 1);
        assert_eq!(RunReport::exit_code(&t(0, 0), true), 1);
    }
}
