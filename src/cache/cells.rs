//! Typed reading of one cell: whole numbers, percentages, Y/N and 0/1 flags, distinguished
//! codes and `Charter MM/DD/YY` / `Susp MM/DD/YY` cells. One parser per kind, used by every
//! report, so `"1,234"` means the same everywhere; each failure names file, line, column.

use super::eras::Col;
use super::table::{Row, Table};
use crate::diag::Diag;
use crate::model::{CLUB_NUMBER_DIGITS, Level};
use chrono::NaiveDate;

/// Club numbers of one file that had lost their leading zeros (see [`Cells::club_number`]).
#[derive(Default)]
pub struct PaddedClubNumbers {
    first: Option<(String, u64)>,
    count: usize,
}

impl PaddedClubNumbers {
    /// The one warning of a file whose club numbers were padded, naming the first.
    pub fn warning(&self, path: &str) -> Option<Diag> {
        let (number, line) = self.first.as_ref()?;
        let more = match self.count {
            1 => String::new(),
            n => format!(" ({n} in this file)"),
        };
        Some(
            Diag::warning(
                path,
                format!(
                    "club number {number} has fewer than TI's {CLUB_NUMBER_DIGITS} digits{more}: leading zeros were lost, probably by re-saving the file in a spreadsheet; read as {number:0>CLUB_NUMBER_DIGITS$}"
                ),
            )
            .at_line(*line),
        )
    }
}

/// A row of a table, for typed access by logical column.
pub struct Cells<'a> {
    pub table: &'a Table,
    pub row: &'a Row,
}

impl<'a> Cells<'a> {
    pub fn new(table: &'a Table, row: &'a Row) -> Self {
        Cells { table, row }
    }

    /// The raw cell of a column the file has; `None` when the file lacks the column.
    pub fn raw(&self, col: Col) -> Option<&'a str> {
        self.table.index(col).map(|i| &self.row.cells[i])
    }

    /// A column the header check guaranteed; absent only through a bug, reported as an error.
    fn required(&self, col: Col) -> Result<&'a str, Diag> {
        self.raw(col).ok_or_else(|| {
            Diag::error(
                &self.table.path,
                format!("internal: column {col:?} not mapped"),
            )
            .at_line(self.row.line)
        })
    }

    pub fn error(&self, col: Col, message: impl Into<String>) -> Diag {
        let idx = self.table.index(col).unwrap_or(0);
        let name = self.table.header.get(idx).map_or("", |h| h.trim());
        Diag::error(&self.table.path, message)
            .at_line(self.row.line)
            .at_column(idx + 1, name)
    }

    pub fn warning(&self, col: Col, message: impl Into<String>) -> Diag {
        Diag {
            severity: crate::diag::Severity::Warning,
            ..self.error(col, message)
        }
    }

    /// Text with surrounding whitespace removed (raw text is kept separately where it matters).
    pub fn text(&self, col: Col) -> Result<&'a str, Diag> {
        Ok(self.required(col)?.trim())
    }

    pub fn opt_text(&self, col: Col) -> Option<&'a str> {
        self.raw(col).map(str::trim)
    }

    /// A number cell that held a control character (stripped from text cells) is an
    /// error: `"1\u{0}2"` is no more a number than `"1x2"`.
    fn no_controls(&self, col: Col) -> Result<(), Diag> {
        let Some(idx) = self.table.index(col) else {
            return Ok(());
        };
        match self.row.controls.iter().find(|(i, _)| *i == idx) {
            None => Ok(()),
            Some((_, c)) => Err(self.error(
                col,
                format!(
                    "expected a number, found a control character (U+{:04X}) inside the cell",
                    u32::from(*c)
                ),
            )),
        }
    }

    /// A club number as TI writes it: digits padded to [`CLUB_NUMBER_DIGITS`]. A number
    /// that lost its leading zeros in a spreadsheet (`3045`) is padded (`00003045`), so its
    /// pages stay at the same address; `padded` counts them for one warning per file.
    pub fn club_number(&self, padded: &mut PaddedClubNumbers) -> Result<String, Diag> {
        let number = self.text(Col::ClubNumber)?;
        self.no_controls(Col::ClubNumber)?;
        if !number.is_empty()
            && number.len() < CLUB_NUMBER_DIGITS
            && number.bytes().all(|b| b.is_ascii_digit())
        {
            padded
                .first
                .get_or_insert((number.to_string(), self.row.line));
            padded.count += 1;
            return Ok(format!("{number:0>CLUB_NUMBER_DIGITS$}"));
        }
        Ok(number.to_string())
    }

    pub fn int(&self, col: Col) -> Result<i64, Diag> {
        let cell = self.required(col)?;
        self.no_controls(col)?;
        parse_int(cell).map_err(|m| self.error(col, m))
    }

    /// A whole number from a column that some eras lack: `None` when absent.
    pub fn opt_int(&self, col: Col) -> Result<Option<i64>, Diag> {
        match self.raw(col) {
            None => Ok(None),
            Some(cell) => {
                self.no_controls(col)?;
                parse_int(cell).map(Some).map_err(|m| self.error(col, m))
            }
        }
    }

    /// A count that must not be negative.
    pub fn count(&self, col: Col) -> Result<i64, Diag> {
        let v = self.int(col)?;
        if v < 0 {
            return Err(self.error(col, format!("expected a count of zero or more, found {v}")));
        }
        Ok(v)
    }

    pub fn opt_count(&self, col: Col) -> Result<Option<i64>, Diag> {
        if self.raw(col).is_none() {
            return Ok(None);
        }
        self.count(col).map(Some)
    }

    /// `"-8.29%"` → -8.29; `"N/A"` or empty → `None` (unknown, not zero).
    pub fn pct(&self, col: Col) -> Result<Option<f64>, Diag> {
        let cell = self.required(col)?.trim();
        self.no_controls(col)?;
        if cell.is_empty() || cell.eq_ignore_ascii_case("n/a") {
            return Ok(None);
        }
        let number = without_thousands(cell.strip_suffix('%').unwrap_or(cell).trim());
        match number.as_deref().map(str::parse::<f64>) {
            Some(Ok(v)) if v.is_finite() => Ok(Some(v)),
            _ => Err(self.error(
                col,
                format!("expected a percentage like \"-8.29%\", found \"{cell}\""),
            )),
        }
    }

    /// Y/N flags of the summary and `CSP`; a missing column or empty cell is unknown.
    pub fn yes_no(&self, col: Col) -> Result<Option<bool>, Diag> {
        let Some(cell) = self.raw(col) else {
            return Ok(None);
        };
        match cell.trim().to_lowercase().as_str() {
            "" => Ok(None),
            "y" | "yes" | "true" | "1" | "submitted" => Ok(Some(true)),
            "n" | "no" | "false" | "0" | "not submitted" => Ok(Some(false)),
            _ => Err(self.error(col, format!("expected Y or N, found \"{}\"", cell.trim()))),
        }
    }

    /// A distinguished code: letters `D`/`S`/`P`/`M` first, TI's words as a fallback.
    /// An unknown code is a warning and reads as no code.
    pub fn level(&self, col: Col, warnings: &mut Vec<Diag>) -> Result<Option<Level>, Diag> {
        let cell = self.required(col)?.trim();
        match Level::parse(cell) {
            Ok(level) => Ok(level),
            Err(_) => {
                warnings.push(self.warning(
                    col,
                    format!("unknown distinguished code \"{cell}\" (expected D, S, P, M or blank); treated as none"),
                ));
                Ok(None)
            }
        }
    }

    /// `Charter 01/11/24`, ` Susp 03/31/25`, both, or blank.
    pub fn charter_suspend(&self, col: Col) -> Result<CharterSuspend, Diag> {
        let cell = self.required(col)?;
        parse_charter_suspend(cell).map_err(|m| self.error(col, m))
    }
}

/// Whole number: surrounding spaces are ignored, and thousands separators when they are
/// well formed (`1,234`, never `2,7` or `,,2,,7,`, which would otherwise read as 27).
pub fn parse_int(cell: &str) -> Result<i64, String> {
    let t = cell.trim();
    if t.is_empty() {
        return Err("expected a whole number, found an empty cell".into());
    }
    let Some(number) = without_thousands(t) else {
        return Err(format!(
            "expected a whole number, found \"{t}\" (commas may only separate groups of three digits, as in 1,234)"
        ));
    };
    number
        .parse::<i64>()
        .map_err(|_| format!("expected a whole number, found \"{t}\""))
}

/// The one rule for thousands separators, used by every numeric cell: `t` without its
/// commas when they separate groups of three digits after a first group of one to three
/// (`-1,234,567.5`); `None` when a comma stands anywhere else. Text without a comma is
/// returned unchanged for the number parser to judge.
pub fn without_thousands(t: &str) -> Option<std::borrow::Cow<'_, str>> {
    if !t.contains(',') {
        return Some(std::borrow::Cow::Borrowed(t));
    }
    let (sign, unsigned) = match t.strip_prefix(['-', '+']) {
        Some(rest) => (&t[..1], rest),
        None => ("", t),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    let mut groups = whole.split(',');
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 || !digits(first) {
        return None;
    }
    let mut out = format!("{sign}{first}");
    for g in groups {
        if g.len() != 3 || !digits(g) {
            return None;
        }
        out.push_str(g);
    }
    if let Some(f) = fraction {
        if f.contains(',') {
            return None;
        }
        out.push('.');
        out.push_str(f);
    }
    Some(std::borrow::Cow::Owned(out))
}

/// Dates from a `Charter Date/Suspend Date` cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CharterSuspend {
    pub charter: Option<NaiveDate>,
    pub suspend: Option<NaiveDate>,
}

/// Finds every `Charter <date>` and `Susp <date>` token; dates are `M/D/YY` (20YY),
/// `M/D/YYYY` or `YYYY-MM-DD`.
pub fn parse_charter_suspend(cell: &str) -> Result<CharterSuspend, String> {
    let mut out = CharterSuspend::default();
    let words: Vec<&str> = cell.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let kind = words[i].trim_end_matches(':').to_lowercase();
        let slot = match kind.as_str() {
            "charter" | "chartered" => &mut out.charter,
            "susp" | "susp." | "suspended" => &mut out.suspend,
            _ => {
                return Err(format!(
                    "expected `Charter MM/DD/YY` and/or `Susp MM/DD/YY`, found \"{}\"",
                    cell.trim()
                ));
            }
        };
        let date = words
            .get(i + 1)
            .and_then(|w| parse_flexible_date(w))
            .ok_or_else(|| {
                format!(
                    "expected a date after \"{}\" in \"{}\"",
                    words[i],
                    cell.trim()
                )
            })?;
        *slot = Some(date);
        i += 2;
    }
    Ok(out)
}

fn parse_flexible_date(text: &str) -> Option<NaiveDate> {
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(d);
    }
    let mut parts = text.split('/');
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    let y_text = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    let y: i32 = match y_text.len() {
        2 => 2000 + y_text.parse::<i32>().ok()?,
        4 => y_text.parse().ok()?,
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn ints() {
        assert_eq!(parse_int(" 1,234 "), Ok(1234));
        assert_eq!(parse_int("-22"), Ok(-22));
        assert!(parse_int("").unwrap_err().contains("empty"));
        assert!(parse_int("12a").unwrap_err().contains("\"12a\""));
    }

    #[test]
    fn malformed_thousands_separators_are_not_digits_to_join() {
        assert_eq!(parse_int("1,234,567"), Ok(1_234_567));
        assert_eq!(parse_int("-22,000"), Ok(-22_000));
        for bad in [
            "2,7", ",,2,,7,", ",27", "27,", "1,23", "1234,567", "1,,234", "-,1", "1,2345",
        ] {
            let e = parse_int(bad).unwrap_err();
            assert!(e.contains("groups of three digits"), "{bad}: {e}");
        }
        assert_eq!(without_thousands("1,234.56").as_deref(), Some("1234.56"));
        assert_eq!(without_thousands("-8.29").as_deref(), Some("-8.29"));
        assert_eq!(without_thousands("1.2,3"), None);
    }

    #[test]
    fn charter_cells() {
        assert_eq!(
            parse_charter_suspend("").unwrap(),
            CharterSuspend::default()
        );
        assert_eq!(
            parse_charter_suspend("Charter 01/11/24").unwrap().charter,
            d("2024-01-11")
        );
        assert_eq!(
            parse_charter_suspend(" Susp 03/31/25").unwrap().suspend,
            d("2025-03-31")
        );
        let both = parse_charter_suspend("Charter 08/14/25 Susp 02/28/26").unwrap();
        assert_eq!(
            (both.charter, both.suspend),
            (d("2025-08-14"), d("2026-02-28"))
        );
        assert_eq!(
            parse_charter_suspend("Charter 2025-08-14").unwrap().charter,
            d("2025-08-14")
        );
        assert!(parse_charter_suspend("Charter").is_err());
        assert!(parse_charter_suspend("Charter 13/40/25").is_err());
        assert!(parse_charter_suspend("yesterday").is_err());
    }
}
