//! Reads one export file into a [`Table`]: bytes checked (UTF-8, BOM, HTML error pages,
//! empty bodies), header mapped through the era table, footer and junk rows set aside,
//! every data row kept with its line number for error messages.

use super::eras::{self, Col, Need, Report};
use super::footer::{self, Footer};
use super::quoting;
use super::text::{ControlChars, decode};
use crate::diag::Diag;
use crate::hash::sha256_hex;
use std::collections::HashMap;

/// One data row: its 1-based line in the file and its cells (one buffer per row, not
/// one allocation per cell: a world build reads over a million cells).
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    pub cells: csv::StringRecord,
    /// Cells whose control characters were stripped: (column index, first one).
    pub controls: Vec<(usize, char)>,
}

/// A parsed export: header map, data rows, footer, identity of the bytes.
#[derive(Debug)]
pub struct Table {
    pub report: Report,
    /// Path relative to the cache root, used in every message.
    pub path: String,
    pub header: Vec<String>,
    /// Column index by `Col as usize` (a lookup per cell, so no hashing).
    columns: Vec<Option<usize>>,
    /// Columns not in the era table: (index, header). Kept, never silently dropped.
    pub extra_columns: Vec<(usize, String)>,
    pub rows: Vec<Row>,
    pub footer: Option<(u64, Footer)>,
    /// The canonical layout the header matches exactly, if any.
    pub era: Option<&'static str>,
    pub bytes: u64,
    pub sha256: String,
}

/// An input file's identity as recorded in snapshot metadata.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema)]
pub struct InputFile {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<&'static str>,
}

impl Table {
    /// Parses `bytes` read from `path` as `report`. Warnings (unknown columns, missing
    /// footer) go to `warnings`; the first fatal problem is the error.
    pub fn parse(
        report: Report,
        path: &str,
        bytes: &[u8],
        warnings: &mut Vec<Diag>,
    ) -> Result<Table, Diag> {
        let limits = super::limits::get().map_err(|e| Diag::error(path, e))?;
        let text = decode(path, bytes)?;
        if text.trim().is_empty() {
            return Err(Diag::error(
                path,
                format!(
                    "file is empty; expected a CSV export starting with the {} header",
                    report_label(report)
                ),
            )
            .at_line(1));
        }
        let first = text.trim_start();
        if first.starts_with('<') {
            let mut d = Diag::error(
                path,
                "file is an HTML page, not a CSV export (TI answers some failed downloads with an error page); download it again",
            )
            .at_line(1);
            d.column = Some(1);
            return Err(d);
        }

        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let lines = LineIndex::new(text);
        let mut header: Option<Vec<String>> = None;
        let mut rows = Vec::new();
        let mut controls = ControlChars::default();
        let mut records = reader.records().peekable();
        while let Some(record) = records.next() {
            let record = record.map_err(|e| csv_error(path, &e, &lines))?;
            let start = lines.record_start(record.position().map_or(0, |p| p.byte()));
            let line = lines.line_of(start as u64);
            let end = match records.peek() {
                Some(Ok(next)) => next.position().map_or(text.len(), |p| p.byte() as usize),
                _ => text.len(),
            };
            let raw = &text.as_bytes()[start..end.max(start)];
            if header.is_none()
                && let Some(d) = semicolon_header(report, path, raw)
            {
                return Err(d);
            }
            if let Err((cell, problem)) = quoting::check_record(raw) {
                let mut d = Diag::error(path, problem).at_line(line);
                d.column = Some(cell + 1);
                d.column_name = header
                    .as_ref()
                    .and_then(|h| h.get(cell))
                    .map(|h| h.trim().to_string());
                return Err(d);
            }
            if record.iter().all(|c| c.trim().is_empty()) {
                continue; // blank lines are not records
            }
            if let Some(col) = record.iter().position(|c| c.len() > limits.max_cell_bytes) {
                let mut d = Diag::error(
                    path,
                    format!(
                        "cell holds {} bytes, more than the limit of {} (a real cell is a few dozen); raise {} if this is genuine",
                        record[col].len(),
                        limits.max_cell_bytes,
                        super::limits::MAX_CELL_BYTES_ENV
                    ),
                )
                .at_line(line);
                d.column = Some(col + 1);
                d.column_name = header
                    .as_ref()
                    .and_then(|h| h.get(col))
                    .map(|h| h.trim().to_string());
                return Err(d);
            }
            let (record, stripped) = controls.strip(record, line);
            match junk_row(&record) {
                Some(Junk::Footer) => continue,
                Some(Junk::AsOf(col)) => {
                    let text = record.get(col).unwrap_or_default().trim();
                    let mut d =
                        Diag::warning(path, format!("stray row `{text}` (not data); dropped"))
                            .at_line(line);
                    d.column = Some(col + 1);
                    d.column_name = header
                        .as_ref()
                        .and_then(|h| h.get(col))
                        .map(|h| h.trim().to_string());
                    warnings.push(d);
                    continue;
                }
                None => {}
            }
            if header.is_none() {
                header = Some(record.iter().map(str::to_string).collect());
            } else {
                if rows.len() == limits.max_rows {
                    return Err(Diag::error(
                        path,
                        format!(
                            "more than {} data rows (the largest real district has a few hundred clubs); raise {} if this is genuine",
                            limits.max_rows,
                            super::limits::MAX_ROWS_ENV
                        ),
                    )
                    .at_line(line));
                }
                rows.push(Row {
                    line,
                    cells: record,
                    controls: stripped,
                });
            }
        }
        let Some(header) = header else {
            return Err(Diag::error(path, "file holds no CSV header, only a footer").at_line(1));
        };
        if let Some(w) = controls.warning(path, &header) {
            warnings.push(w);
        }
        let (columns, extra_columns) = map_header(report, path, &header, warnings)?;
        let width = header.len();
        for row in &rows {
            if row.cells.len() != width {
                let col = row.cells.len().min(width) + 1;
                let name = header
                    .get(col - 1)
                    .map_or("(beyond header)", String::as_str);
                return Err(Diag::error(
                    path,
                    format!(
                        "row has {} cells but the header has {width} (a truncated or malformed row)",
                        row.cells.len()
                    ),
                )
                .at_line(row.line)
                .at_column(col, name));
            }
        }
        if rows.is_empty() {
            return Err(Diag::error(
                path,
                "file has a header but no data rows (a failed or empty download); download it again",
            )
            .at_line(2));
        }
        let footer = footer::find_footer(text);
        if footer.is_none() {
            warnings.push(Diag::warning(
                path,
                "no footer line (`Month of Mmm, As of MM/DD/YYYY`): the data month is taken from the folder date",
            ));
        }
        let era = eras::identify_era(report, &header);
        Ok(Table {
            report,
            path: path.to_string(),
            header,
            columns,
            extra_columns,
            rows,
            footer,
            era,
            bytes: bytes.len() as u64,
            // hashed last: a file refused above costs no hashing
            sha256: sha256_hex(bytes),
        })
    }

    /// The index of a column, if the file has it.
    pub fn index(&self, col: Col) -> Option<usize> {
        self.columns.get(col as usize).copied().flatten()
    }

    pub fn has(&self, col: Col) -> bool {
        self.index(col).is_some()
    }

    pub fn input_file(&self) -> InputFile {
        InputFile {
            path: self.path.clone(),
            bytes: self.bytes,
            sha256: self.sha256.clone(),
            format: self.era,
        }
    }
}

enum Junk {
    /// A footer or a row leaking one (`Month of ...`).
    Footer,
    /// A stray `As of MM/DD/YYYY` row (DOMAIN.md §2.6), with the cell holding it.
    AsOf(usize),
}

/// Rows that are not data: footers anywhere, and rows whose only text is an `As of` date.
fn junk_row(record: &csv::StringRecord) -> Option<Junk> {
    let month_of = |c: &str| {
        c.as_bytes()
            .windows(8)
            .any(|w| w.eq_ignore_ascii_case(b"month of"))
    };
    if record.iter().any(month_of) {
        return Some(Junk::Footer);
    }
    let filled: Vec<(usize, &str)> = record
        .iter()
        .map(str::trim)
        .enumerate()
        .filter(|(_, c)| !c.is_empty())
        .collect();
    match filled.as_slice() {
        [(i, cell)] if is_as_of(cell) => Some(Junk::AsOf(*i)),
        _ => None,
    }
}

/// `As of 03/19/2026`, any case.
pub fn is_as_of(cell: &str) -> bool {
    let lower = cell.trim().to_lowercase();
    lower
        .strip_prefix("as of ")
        .is_some_and(|d| footer::parse_us_date(d.trim()).is_some())
}

fn report_label(report: Report) -> &'static str {
    match report {
        Report::Summary => "all-districts summary",
        Report::Club => "club performance",
        Report::District => "district performance",
        Report::Division => "division performance",
    }
}

/// Line numbers from byte offsets. The csv crate's own line counter lags by one on CRLF
/// files (the `\n` of a record's terminator is consumed with the next record), so the
/// line is derived from the record's byte offset instead.
struct LineIndex<'a> {
    text: &'a [u8],
    newlines: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let text = text.as_bytes();
        let newlines = text
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i)
            .collect();
        LineIndex { text, newlines }
    }

    /// The first byte of a record the csv crate says starts at `byte` (it may point at
    /// the line break ending the previous record).
    fn record_start(&self, byte: u64) -> usize {
        let mut at = byte as usize;
        while at < self.text.len() && (self.text[at] == b'\r' || self.text[at] == b'\n') {
            at += 1;
        }
        at
    }

    /// The 1-based line of a record the csv crate says starts at `byte`.
    fn line_of(&self, byte: u64) -> u64 {
        let at = self.record_start(byte);
        self.newlines.partition_point(|&nl| nl < at) as u64 + 1
    }
}

fn csv_error(path: &str, e: &csv::Error, lines: &LineIndex) -> Diag {
    let line = e.position().map_or(0, |p| lines.line_of(p.byte()));
    Diag::error(path, format!("unreadable CSV: {e}")).at_line(line)
}

/// A spreadsheet in a French or German locale saves CSV with semicolons: the first line is
/// then known column names joined by `;`. Said so, rather than "stray quote" or "not a
/// header".
fn semicolon_header(report: Report, path: &str, line: &[u8]) -> Option<Diag> {
    let line = String::from_utf8_lossy(line);
    let cells: Vec<&str> = line
        .trim_end()
        .split(';')
        .map(|c| c.trim().trim_matches('"'))
        .collect();
    let known = cells
        .iter()
        .filter(|c| eras::lookup(report, c).is_some())
        .count();
    (cells.len() > 2 && known >= 2).then(|| {
        Diag::error(
            path,
            format!(
                "the {} header is separated by semicolons (;), not commas: the file was saved by a spreadsheet set to a locale that writes CSV with semicolons (French, German, ...); download it from TI again, or save it as CSV with commas",
                report_label(report)
            ),
        )
        .at_line(1)
    })
}

type HeaderMap = (Vec<Option<usize>>, Vec<(usize, String)>);

fn map_header(
    report: Report,
    path: &str,
    header: &[String],
    warnings: &mut Vec<Diag>,
) -> Result<HeaderMap, Diag> {
    if header.iter().all(|h| eras::lookup(report, h).is_none()) {
        return Err(Diag::error(
            path,
            format!(
                "the first line is not a {} header: none of its cells is a known column (is the header row missing?)",
                report_label(report)
            ),
        )
        .at_line(1));
    }
    let mut columns = HashMap::new();
    let mut extra = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let norm = eras::normalize_header(name);
        if let Some(first) = seen.insert(norm, i) {
            return Err(Diag::error(
                path,
                format!(
                    "duplicate header: \"{}\" also names column {}",
                    name.trim(),
                    first + 1
                ),
            )
            .at_line(1)
            .at_column(i + 1, name.trim()));
        }
        match eras::lookup(report, name) {
            Some(spec) => {
                if let Some(first) = columns.insert(spec.col, i) {
                    return Err(Diag::error(
                        path,
                        format!(
                            "duplicate column: \"{}\" means the same as column {} (\"{}\")",
                            name.trim(),
                            first + 1,
                            header[first].trim()
                        ),
                    )
                    .at_line(1)
                    .at_column(i + 1, name.trim()));
                }
            }
            None => {
                warnings.push(
                    Diag::warning(
                        path,
                        "unknown column: kept as text in the club's `extra` fields",
                    )
                    .at_line(1)
                    .at_column(i + 1, name.trim()),
                );
                extra.push((i, name.trim().to_string()));
            }
        }
    }
    let mut by_col = vec![None; Col::COUNT];
    for (col, i) in &columns {
        by_col[*col as usize] = Some(*i);
    }
    for spec in eras::COLUMNS.iter().filter(|s| s.report == report) {
        let missing = match spec.need {
            Need::Required => !columns.contains_key(&spec.col),
            Need::RequiredUnless(other) => {
                !columns.contains_key(&spec.col) && !columns.contains_key(&other)
            }
            Need::Optional => false,
        };
        if missing {
            return Err(Diag::error(
                path,
                format!(
                    "missing required column \"{}\" in the {} header",
                    spec.headers[0],
                    report_label(report)
                ),
            )
            .at_line(1));
        }
    }
    Ok((by_col, extra))
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
