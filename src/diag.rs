//! Diagnostics about input data: an error or warning with the file, line and column it
//! concerns, printed as `file:line:column: message` so editors and people can jump to it.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Warning,
    Error,
}

/// One finding about the input. `file` is relative to the cache root, so snapshots do not
/// depend on where the cache lives.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Diag {
    pub severity: Severity,
    /// The district the finding belongs to, when it belongs to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The header of the column, when the finding is about a cell or a column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column_name: Option<String>,
    pub message: String,
}

impl Diag {
    pub fn error(file: &str, message: impl Into<String>) -> Self {
        Diag {
            severity: Severity::Error,
            district: None,
            file: file.to_string(),
            line: None,
            column: None,
            column_name: None,
            message: message.into(),
        }
    }

    pub fn warning(file: &str, message: impl Into<String>) -> Self {
        Diag {
            severity: Severity::Warning,
            ..Diag::error(file, message)
        }
    }

    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    /// Column number (1-based) and its header text.
    pub fn at_column(mut self, column: usize, name: &str) -> Self {
        self.column = Some(column);
        self.column_name = Some(name.to_string());
        self
    }

    pub fn for_district(mut self, district: &str) -> Self {
        self.district = Some(district.to_string());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {kind}: ")?;
        if let Some(name) = &self.column_name {
            write!(f, "column \"{name}\": ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for Diag {}

/// Splits diagnostics into (errors, warnings).
pub fn partition(diags: Vec<Diag>) -> (Vec<Diag>, Vec<Diag>) {
    diags.into_iter().partition(Diag::is_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_column_and_header() {
        let d = Diag::error(
            "raw-csv/2026-04-20/district-61/club-performance.csv",
            "expected a whole number, found \"abc\"",
        )
        .at_line(5)
        .at_column(9, "Active Members");
        assert_eq!(
            d.to_string(),
            "raw-csv/2026-04-20/district-61/club-performance.csv:5:9: error: column \"Active Members\": expected a whole number, found \"abc\""
        );
    }
}
