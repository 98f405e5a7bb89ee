//! Diagnostics about input data: an error or warning with the file, line and column it
//! concerns, printed as `file:line:column: message` so editors and people can jump to it.
//! Also owns how `error:` and `warning:` labels look on a terminal (colour, NO_COLOR).

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::io::IsTerminal;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Warning,
    Error,
}

/// One finding about the input. `file` is relative to the cache root, so snapshots do not
/// depend on where the cache lives.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
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

impl Diag {
    /// `file:line:column`, as far as known.
    pub fn location(&self) -> String {
        let mut s = self.file.clone();
        if let Some(line) = self.line {
            s.push_str(&format!(":{line}"));
            if let Some(col) = self.column {
                s.push_str(&format!(":{col}"));
            }
        }
        s
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.location())?;
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

/// At most this many diagnostics of one kind are listed in a failed report, a snapshot or
/// the output; the rest are counted (millions of bad rows must not make a report of
/// hundreds of megabytes).
pub const MAX_LISTED: usize = 100;

/// The first [`MAX_LISTED`] of `diags`, then one entry counting the rest, named after the
/// file of the first one left out.
pub fn capped(mut diags: Vec<Diag>) -> Vec<Diag> {
    if diags.len() <= MAX_LISTED {
        return diags;
    }
    let more = diags.len() - MAX_LISTED;
    let rest = diags.swap_remove(MAX_LISTED);
    diags.truncate(MAX_LISTED);
    let kind = match rest.severity {
        Severity::Error => "errors",
        Severity::Warning => "warnings",
    };
    diags.push(Diag {
        severity: rest.severity,
        district: None,
        file: rest.file,
        line: None,
        column: None,
        column_name: None,
        message: format!("... and {more} more {kind} (the first {MAX_LISTED} are listed)"),
    });
    diags
}

/// Splits diagnostics into (errors, warnings).
pub fn partition(diags: Vec<Diag>) -> (Vec<Diag>, Vec<Diag>) {
    diags.into_iter().partition(Diag::is_error)
}

/// Whether stderr gets coloured labels: only on a terminal, and never when `NO_COLOR` is
/// set to anything non-empty (https://no-color.org).
pub fn stderr_colour() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    !no_color && std::io::stderr().is_terminal()
}

/// Colours the `error:` / `warning:` label of each line of `text` (bold red / bold yellow,
/// as rustc and cargo do) when `colour` is on. The label is the first one that starts the
/// line or follows `": "`, so `file:1:2: error: ...` and `error: ...` both get it and a
/// message that merely mentions "error:" later on the line is left alone.
pub fn paint(text: &str, colour: bool) -> Cow<'_, str> {
    if !colour {
        return Cow::Borrowed(text);
    }
    const LABELS: [(&str, &str); 2] = [("error:", "\x1b[1;31m"), ("warning:", "\x1b[1;33m")];
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let found = LABELS
            .iter()
            .filter_map(|(label, code)| {
                let at = if line.starts_with(label) {
                    0
                } else {
                    line.find(&format!(": {label}"))? + 2
                };
                Some((at, *label, *code))
            })
            .min_by_key(|(at, _, _)| *at);
        match found {
            Some((at, label, code)) => {
                out.push_str(&line[..at]);
                out.push_str(code);
                out.push_str(label);
                out.push_str("\x1b[0m");
                out.push_str(&line[at + label.len()..]);
            }
            None => out.push_str(line),
        }
    }
    Cow::Owned(out)
}

/// Writes `text` and a newline to stderr, labels coloured when [`stderr_colour`] allows.
pub fn eprint(text: &str) {
    let text = paint(text, stderr_colour());
    // Unit tests go through `eprintln!`, which the test harness captures: passing tests
    // that report an error on purpose print no `error: ...` lines in `cargo test`.
    #[cfg(test)]
    eprintln!("{text}");
    #[cfg(not(test))]
    {
        use std::io::Write;
        // A closed stderr is no reason to fail (eprintln! would panic).
        let _ = writeln!(std::io::stderr(), "{text}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paint_colours_only_the_leading_label_of_each_line() {
        let text = "a.csv:5:9: warning: column \"x\": see error: y\nerror: build failed\nplain";
        assert_eq!(paint(text, false), text);
        assert_eq!(
            paint(text, true),
            "a.csv:5:9: \x1b[1;33mwarning:\x1b[0m column \"x\": see error: y\n\x1b[1;31merror:\x1b[0m build failed\nplain"
        );
    }

    #[test]
    fn two_million_errors_list_the_first_and_count_the_rest() {
        let many: Vec<Diag> = (0..2_000_026u64)
            .map(|i| Diag::error("f.csv", "bad").at_line(i + 1))
            .collect();
        let listed = capped(many);
        assert_eq!(listed.len(), MAX_LISTED + 1);
        assert_eq!(listed[MAX_LISTED - 1].line, Some(MAX_LISTED as u64));
        let last = listed.last().unwrap();
        assert_eq!(
            last.message,
            "... and 1999926 more errors (the first 100 are listed)"
        );
        assert!(last.is_error());
        let few = vec![Diag::warning("f.csv", "odd")];
        assert_eq!(capped(few.clone()), few);
    }

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
