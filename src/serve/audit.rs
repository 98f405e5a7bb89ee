//! The admin audit log: one JSON line per admin call in `site/admin-audit.jsonl` (time,
//! remote address, method, endpoint, status, outcome, build id), appended and synced
//! through `fsx::append_line`. Nothing from the request headers is ever written, so the
//! token cannot reach the log. Under a flood of rate-limited calls only the first refusal
//! is written; the others are counted into the next line (`suppressed_rate_limited`), so
//! an attacker cannot fill the disk or tie workers up in fsync.

use crate::fsx;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Mutex;

pub const AUDIT_FILE: &str = "admin-audit.jsonl";

/// Longest endpoint text written (the path is client-chosen).
const MAX_ENDPOINT: usize = 200;

/// One admin call.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub time: String,
    pub remote: String,
    pub method: String,
    pub endpoint: String,
    pub status: u16,
    /// `accepted`, `ok`, `unauthorized`, `forbidden`, `conflict`, `rate_limited`,
    /// `not_found`, `method_not_allowed`, `error`.
    pub outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_id: Option<String>,
    #[serde(skip_serializing_if = "is_zero")]
    pub suppressed_rate_limited: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Entry {
    pub fn new(remote: &str, method: &str, endpoint: &str) -> Entry {
        let mut endpoint = endpoint.to_string();
        if endpoint.len() > MAX_ENDPOINT {
            let mut cut = MAX_ENDPOINT;
            while !endpoint.is_char_boundary(cut) {
                cut -= 1;
            }
            endpoint.truncate(cut);
            endpoint.push('…');
        }
        Entry {
            time: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            remote: remote.to_string(),
            method: method.to_string(),
            endpoint,
            status: 0,
            outcome: "",
            build_id: None,
            suppressed_rate_limited: 0,
        }
    }
}

#[derive(Debug, Default)]
struct Suppression {
    /// The last line written was a rate-limit refusal.
    in_flood: bool,
    suppressed: u64,
}

/// The log file and its flood state.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    state: Mutex<Suppression>,
}

impl AuditLog {
    pub fn new(site_root: &std::path::Path) -> AuditLog {
        AuditLog {
            path: site_root.join(AUDIT_FILE),
            state: Mutex::new(Suppression::default()),
        }
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Writes the entry (or counts it, inside a flood of rate-limit refusals). A log that
    /// cannot be written is reported on stderr; the call itself is still answered.
    pub fn record(&self, mut entry: Entry) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let limited = entry.outcome == "rate_limited";
        if limited && state.in_flood {
            state.suppressed += 1;
            return;
        }
        state.in_flood = limited;
        entry.suppressed_rate_limited = std::mem::take(&mut state.suppressed);
        let line = serde_json::to_string(&entry).unwrap_or_default();
        if let Err(e) = fsx::append_line(&self.path, &line) {
            eprintln!("warning: audit log: {e:#}; the entry was: {line}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(outcome: &'static str) -> Entry {
        let mut e = Entry::new("127.0.0.1:1", "POST", "/api/admin/refresh");
        e.outcome = outcome;
        e
    }

    #[test]
    fn floods_of_refusals_are_counted_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::new(dir.path());
        log.record(entry("ok"));
        for _ in 0..5 {
            log.record(entry("rate_limited"));
        }
        log.record(entry("forbidden"));
        let text = std::fs::read_to_string(log.path()).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1]["outcome"], "rate_limited");
        assert_eq!(lines[2]["suppressed_rate_limited"], 4);
        assert!(lines[0].get("suppressed_rate_limited").is_none());
    }

    #[test]
    fn long_endpoints_are_cut() {
        let e = Entry::new("r", "GET", &"é".repeat(300));
        assert!(e.endpoint.len() <= MAX_ENDPOINT + 3);
    }
}
