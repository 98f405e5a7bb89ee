//! `metadata.json` written by collectors (DOMAIN.md §1.3): optional, shaped differently by
//! each writer, and only a second opinion. The footer decides; disagreements are warnings.

use super::load::DatedFolder;
use crate::diag::Diag;
use crate::fsx;
use serde_json::Value;
use std::path::Path;

/// Compares the folder's metadata with what its footer says.
pub fn cross_check(path: &Path, rel: &str, dated: &DatedFolder) -> Vec<Diag> {
    let mut out = Vec::new();
    let value: Value = match fsx::read(path)
        .map_err(|e| format!("{e:#}"))
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
    {
        Ok(v) => v,
        Err(e) => {
            out.push(Diag::warning(
                rel,
                format!("metadata.json is unreadable and was ignored: {e}"),
            ));
            return out;
        }
    };
    let period = &dated.period;
    if let Some(date) = value.get("date").and_then(Value::as_str)
        && date != dated.collection_date.to_string()
    {
        out.push(Diag::warning(
            rel,
            format!(
                "metadata date {date} differs from the folder date {}",
                dated.collection_date
            ),
        ));
    }
    if let Some(closing) = value.get("isClosingPeriod").and_then(Value::as_bool)
        && closing != period.closing
    {
        out.push(Diag::warning(
            rel,
            format!(
                "metadata says isClosingPeriod {closing}, but the footer says {} (data month {:04}-{:02}); the footer is used",
                period.closing, period.data_month.0, period.data_month.1
            ),
        ));
    }
    if let Some(month) = value.get("dataMonth").and_then(Value::as_str) {
        let ours = format!("{:04}-{:02}", period.data_month.0, period.data_month.1);
        let theirs_matches = month == ours || month == &ours[5..];
        if !theirs_matches {
            out.push(Diag::warning(
                rel,
                format!("metadata dataMonth {month} differs from the footer's {ours}; the footer is used"),
            ));
        }
    }
    out
}
