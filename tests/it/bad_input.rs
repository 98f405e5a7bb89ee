//! The bad-input corpus: every case publishes a valid cache first, then breaks ONE thing and
//! rebuilds with a later snapshot time. A broken input must fail the build with the exact
//! `file:line:column` of the problem and leave the published site exactly as it was; the
//! tolerated oddities (DOMAIN.md §2.1, §2.6) must build and leave a warning in
//! `snapshot.json`.

use crate::support::{
    self, CLUB_HEADER, DISTRICT_HEADER, FOOTER, Fixture, SUMMARY_HEADER, club_row, csv,
    district_row, summary_row,
};
use serde_json::Value;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Output;

const FIRST_TIME: &str = "2026-04-21T06:00:00Z";
const SECOND_TIME: &str = "2026-04-22T06:00:00Z";
/// Snapshot ids start with the build time.
const FIRST_STAMP: &str = "20260421T060000Z";
const SECOND_STAMP: &str = "20260422T060000Z";

/// Paths under `raw-csv/`, as [`Fixture::write`] takes them.
const CLUB61: &str = "2026-04-20/district-61/club-performance.csv";
const DIST61: &str = "2026-04-20/district-61/district-performance.csv";
const SUMMARY: &str = "2026-04-20/all-districts.csv";
const A: &str = "61000001";
const B: &str = "61000002";

/// A diagnostic location: `raw-csv/<rel>` plus `:line` or `:line:column` (or nothing).
fn at(rel: &str, pos: &str) -> String {
    if pos.is_empty() {
        format!("raw-csv/{rel}")
    } else {
        format!("raw-csv/{rel}:{pos}")
    }
}

// ---------------------------------------------------------------------------------------
// Building rows and files
// ---------------------------------------------------------------------------------------

/// The cells of a line in which every cell is quoted and none holds a quote.
fn cells(line: &str) -> Vec<String> {
    let inner = line
        .strip_prefix('"')
        .and_then(|l| l.strip_suffix('"'))
        .expect("a fully quoted line");
    inner.split("\",\"").map(str::to_string).collect()
}

fn quoted<S: AsRef<str>>(cells: &[S]) -> String {
    cells
        .iter()
        .map(|c| format!("\"{}\"", c.as_ref()))
        .collect::<Vec<_>>()
        .join(",")
}

/// `line` with cell `index` (0-based) replaced by `value`.
fn with_cell(line: &str, index: usize, value: &str) -> String {
    let mut c = cells(line);
    c[index] = value.to_string();
    quoted(&c)
}

/// `line` with cell `index` (0-based) removed.
fn without_cell(line: &str, index: usize) -> String {
    let mut c = cells(line);
    c.remove(index);
    quoted(&c)
}

fn club(n: &str) -> String {
    club_row("61", n)
}

/// Writes district 61's club report: TI's header, `rows`, TI's footer.
fn club61(fx: &Fixture, rows: &[String]) {
    let mut lines = vec![CLUB_HEADER.to_string()];
    lines.extend(rows.iter().cloned());
    fx.write(
        CLUB61,
        csv(&lines.iter().map(String::as_str).collect::<Vec<_>>()),
    );
}

/// District 61's club report with cell `index` of club B (line 3) set to `value`.
fn club61_b_cell(fx: &Fixture, index: usize, value: &str) {
    club61(fx, &[club(A), with_cell(&club(B), index, value)]);
}

fn dist61(fx: &Fixture, rows: &[String]) {
    let mut lines = vec![DISTRICT_HEADER.to_string()];
    lines.extend(rows.iter().cloned());
    fx.write(
        DIST61,
        csv(&lines.iter().map(String::as_str).collect::<Vec<_>>()),
    );
}

fn summary(fx: &Fixture, rows: &[String]) {
    let mut lines = vec![SUMMARY_HEADER.to_string()];
    lines.extend(rows.iter().cloned());
    fx.write(
        SUMMARY,
        csv(&lines.iter().map(String::as_str).collect::<Vec<_>>()),
    );
}

fn summary61() -> String {
    summary_row("05", "61", "0%")
}

fn summary62() -> String {
    summary_row("05", "62", "0%")
}

/// The valid club report of district 61 (the text `Fixture::valid` writes).
fn valid_club61() -> String {
    csv(&[CLUB_HEADER, &club(A), &club(B)])
}

// ---------------------------------------------------------------------------------------
// Running builds and checking the site
// ---------------------------------------------------------------------------------------

/// `toaststats build` with an explicit snapshot time (`Fixture::build` fixes the first one).
fn build_at(fx: &Fixture, time: &str) -> Output {
    let args: Vec<OsString> = vec![
        "build".into(),
        "--cache".into(),
        fx.cache().into(),
        "--site".into(),
        fx.site().into(),
        "--snapshot-time".into(),
        time.into(),
    ];
    support::run(&args)
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

fn log_lines(fx: &Fixture) -> Vec<Value> {
    let path = fx.site().join("builds.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("builds.jsonl line {l}: {e}")))
        .collect()
}

/// A site with one published snapshot of the valid cache, and what it looked like.
struct Published {
    fx: Fixture,
    first: String,
    manifest: Vec<u8>,
    current_json: Vec<u8>,
    failed_reports: Vec<String>,
    log: Vec<Value>,
}

impl Published {
    fn new() -> Published {
        let fx = Fixture::new();
        fx.valid();
        let out = build_at(&fx, FIRST_TIME);
        assert_eq!(
            code(&out),
            Some(0),
            "the valid fixture must build:\n{}",
            support::stderr(&out)
        );
        let first = fx.current().expect("current after the first build");
        assert!(first.starts_with(FIRST_STAMP), "{first}");
        let manifest = read(&Self::snapshot_dir(&fx, &first).join("manifest.json"));
        Published {
            current_json: read(&fx.site().join("current.json")),
            failed_reports: entries(&fx.site().join("failed")),
            log: log_lines(&fx),
            manifest,
            first,
            fx,
        }
    }

    fn snapshot_dir(fx: &Fixture, id: &str) -> PathBuf {
        fx.site().join("snapshots").join(id)
    }

    fn first_dir(&self) -> PathBuf {
        Self::snapshot_dir(&self.fx, &self.first)
    }

    /// `current` still names the first snapshot, which is byte-for-byte as it was, and no
    /// other snapshot was stored.
    fn assert_untouched(&self) {
        let fx = &self.fx;
        assert_eq!(
            fx.current().as_deref(),
            Some(self.first.as_str()),
            "current moved"
        );
        assert_eq!(
            read(&self.first_dir().join("manifest.json")),
            self.manifest,
            "the first snapshot's manifest changed"
        );
        let manifest = json(&self.first_dir().join("manifest.json"));
        for f in manifest["files"].as_array().expect("manifest files") {
            let path = f["path"].as_str().unwrap();
            let bytes = read(&self.first_dir().join(path));
            assert_eq!(
                toaststats::hash::sha256_hex(&bytes),
                f["sha256"].as_str().unwrap(),
                "{path} of the first snapshot changed"
            );
        }
        assert_eq!(
            entries(&fx.site().join("snapshots")),
            vec![self.first.clone()],
            "a failed build must not store a snapshot"
        );
        assert_eq!(
            read(&fx.site().join("current.json")),
            self.current_json,
            "current.json changed"
        );
    }
}

/// Splits `file:line:column` into its parts (the file names no colon).
fn parse_location(location: &str) -> (&str, Option<u64>, Option<u64>) {
    let mut parts = location.split(':');
    let file = parts.next().unwrap();
    let line = parts.next().map(|l| l.parse().unwrap());
    let column = parts.next().map(|c| c.parse().unwrap());
    (file, line, column)
}

/// The corpus driver: publishes the valid cache, applies `breaks`, rebuilds later and
/// checks that the build failed at `location` (exactly: `file`, `file:line` or
/// `file:line:column`) with every phrase of `phrases` on that error line, that the failure
/// was logged with the same location, and that the published site is untouched. Returns
/// stderr for case-specific checks.
fn fails(breaks: impl FnOnce(&Fixture), location: &str, phrases: &[&str]) -> String {
    let (file, line, column) = parse_location(location);
    check_failure(
        breaks,
        &[format!("{location}: error: ")],
        (file, line, Some(column)),
        phrases,
    )
}

/// Like [`fails`], but only the file and line are checked (`file:line`, any column).
/// Used beside an ignored exact-location test where the product's column is a finding.
fn fails_on_line(breaks: impl FnOnce(&Fixture), file_line: &str, phrases: &[&str]) -> String {
    let (file, line, column) = parse_location(file_line);
    assert!(line.is_some() && column.is_none(), "{file_line}");
    check_failure(
        breaks,
        &[format!("{file_line}: error: "), format!("{file_line}:")],
        (file, line, None),
        phrases,
    )
}

/// A location in a failed report: file, line, and the column (`None`: any column).
type ReportLocation<'a> = (&'a str, Option<u64>, Option<Option<u64>>);

fn check_failure(
    breaks: impl FnOnce(&Fixture),
    prefixes: &[String],
    (file, line, column): ReportLocation,
    phrases: &[&str],
) -> String {
    let p = Published::new();
    breaks(&p.fx);
    let out = build_at(&p.fx, SECOND_TIME);
    let err = support::stderr(&out);
    assert_eq!(
        code(&out),
        Some(1),
        "the broken cache must fail the build\nstderr:\n{err}"
    );
    assert!(
        err.lines()
            .any(|l| prefixes.iter().any(|pre| l.starts_with(pre.as_str()))
                && l.contains(": error: ")
                && phrases.iter().all(|ph| l.contains(ph))),
        "expected an error line starting with one of {prefixes:?} and containing {phrases:?}\nstderr:\n{err}"
    );
    assert!(err.contains("build failed: "), "stderr:\n{err}");
    p.assert_untouched();

    // site/failed/ gained exactly one report, holding the same error.
    let reports = entries(&p.fx.site().join("failed"));
    let new: Vec<&String> = reports
        .iter()
        .filter(|r| !p.failed_reports.contains(r))
        .collect();
    // failed-build ids are `<stamp>-failed-<8 hex>`, unique per attempt
    assert_eq!(new.len(), 1, "failed reports: {reports:?}");
    let expected_report = new[0].clone();
    assert!(
        expected_report.starts_with(&format!("{SECOND_STAMP}-failed-"))
            && expected_report.ends_with(".json"),
        "failed reports: {reports:?}"
    );
    let report = json(&p.fx.site().join("failed").join(&expected_report));
    assert_eq!(report["status"], "failed");
    let errors = report["errors"].as_array().expect("errors array");
    let matches = |e: &Value| {
        let text = match e["column_name"].as_str() {
            Some(name) => format!("column \"{name}\": {}", e["message"].as_str().unwrap_or("")),
            None => e["message"].as_str().unwrap_or("").to_string(),
        };
        e["file"] == file
            && e["line"].as_u64() == line
            && column.is_none_or(|c| e["column"].as_u64() == c)
            && phrases.iter().all(|ph| text.contains(ph))
    };
    assert!(
        errors.iter().any(matches),
        "the failed report must hold the error at {file}:{line:?}:{column:?}: {report:#}"
    );

    // builds.jsonl gained one failed line.
    let log = log_lines(&p.fx);
    assert_eq!(log.len(), p.log.len() + 1, "builds.jsonl: {log:?}");
    let last = log.last().unwrap();
    assert_eq!(last["status"], "failed", "{last}");
    assert_eq!(last["became_current"], false, "{last}");
    assert_eq!(
        last["id"].as_str().map(|id| format!("{id}.json")),
        Some(expected_report),
        "{last}"
    );
    err
}

/// One warning expected in `snapshot.json`.
struct Warning<'a> {
    file: String,
    line: Option<u64>,
    column: Option<(u64, &'a str)>,
    phrase: &'a str,
}

/// Publishes the valid cache, applies `breaks`, rebuilds later and checks the build
/// succeeded, published a new snapshot, and recorded `want` among its warnings.
fn warns(breaks: impl FnOnce(&Fixture), want: Warning) -> Published {
    let p = Published::new();
    breaks(&p.fx);
    let out = build_at(&p.fx, SECOND_TIME);
    let err = support::stderr(&out);
    assert_eq!(
        code(&out),
        Some(0),
        "the build must succeed\nstderr:\n{err}"
    );
    assert!(
        !err.contains(": error: "),
        "no error expected\nstderr:\n{err}"
    );
    let current = p.fx.current().expect("current");
    assert!(current.starts_with(SECOND_STAMP), "current is {current}");
    let meta = p.fx.read_json("snapshot.json");
    assert_eq!(meta["status"], "success", "{meta:#}");
    let warnings = meta["warnings"].as_array().expect("warnings array");
    let found = warnings.iter().any(|w| {
        w["file"] == want.file.as_str()
            && w["line"].as_u64() == want.line
            && w["column"].as_u64() == want.column.map(|c| c.0)
            && w["column_name"].as_str() == want.column.map(|c| c.1)
            && w["message"].as_str().unwrap_or("").contains(want.phrase)
    });
    assert!(
        found,
        "expected a warning for {}:{:?}:{:?} containing {:?}; warnings: {warnings:#?}",
        want.file, want.line, want.column, want.phrase
    );
    p
}

/// Publishes the valid cache, applies `breaks` (a harmless variation of `rel`), rebuilds
/// and checks: success, no warning about `rel`, and district 61's clubs exactly as before.
fn builds_clean(breaks: impl FnOnce(&Fixture), rel: &str) {
    let p = Published::new();
    breaks(&p.fx);
    let out = build_at(&p.fx, SECOND_TIME);
    let err = support::stderr(&out);
    assert_eq!(
        code(&out),
        Some(0),
        "the build must succeed\nstderr:\n{err}"
    );
    let current = p.fx.current().expect("current");
    assert!(current.starts_with(SECOND_STAMP), "current is {current}");
    let meta = p.fx.read_json("snapshot.json");
    assert_eq!(meta["status"], "success", "{meta:#}");
    let file = at(rel, "");
    let about: Vec<&Value> = meta["warnings"]
        .as_array()
        .expect("warnings array")
        .iter()
        .filter(|w| w["file"] == file.as_str())
        .collect();
    assert!(
        about.is_empty(),
        "no warning expected for {file}: {about:#?}"
    );
    let district = "api/v1/districts/61.json";
    let before = json(&p.first_dir().join(district));
    let after = p.fx.read_json(district);
    assert_eq!(
        before["clubs"], after["clubs"],
        "district 61's clubs changed"
    );
    assert_eq!(after["clubs"].as_array().map(Vec::len), Some(2));
}

// ---------------------------------------------------------------------------------------
// Bad bodies (DOMAIN.md §2.1 "Bad bodies", §6 trap 7)
// ---------------------------------------------------------------------------------------

const HTML_PAGE: &str = "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\">\r\n<html>\r\n<head><title>Runtime Error</title></head>\r\n<body><h1>Server Error in '/' Application.</h1></body>\r\n</html>\r\n";

#[test]
fn html_error_page_saved_as_club_report() {
    fails(
        |fx| {
            fx.write(CLUB61, HTML_PAGE);
        },
        &at(CLUB61, "1:1"),
        &["file is an HTML page, not a CSV export"],
    );
}

#[test]
fn empty_club_report() {
    fails(
        |fx| {
            fx.write(CLUB61, "");
        },
        &at(CLUB61, "1"),
        &["file is empty", "club performance header"],
    );
}

#[test]
fn header_and_footer_without_rows() {
    fails(
        |fx| club61(fx, &[]),
        &at(CLUB61, "2"),
        &["header but no data rows"],
    );
}

/// The header line lost: the first club row is taken as the header.
fn club61_without_header(fx: &Fixture) {
    fx.write(CLUB61, csv(&[&club(A), &club(B)]));
}

#[test]
fn data_without_header_row_fails_on_line_1() {
    fails_on_line(club61_without_header, &at(CLUB61, "1"), &["header"]);
}

#[test]
fn data_without_header_row() {
    fails(
        club61_without_header,
        &at(CLUB61, "1"),
        &["is the header row missing?"],
    );
}

// ---------------------------------------------------------------------------------------
// Row shape
// ---------------------------------------------------------------------------------------

#[test]
fn truncated_row() {
    fails(
        |fx| club61(fx, &[club(A), quoted(&cells(&club(B))[..5])]),
        &at(CLUB61, "3:6"),
        &[
            "column \"Club Status\"",
            "row has 5 cells but the header has 25",
        ],
    );
}

#[test]
fn row_with_too_many_cells() {
    fails(
        |fx| club61(fx, &[club(A), format!("{},\"x\"", club(B))]),
        &at(CLUB61, "3:26"),
        &["row has 26 cells but the header has 25"],
    );
}

/// Club A's name (line 2, column 5) lost its closing quote: `"Club 61000001,"Active",...`;
/// club B follows on line 3.
fn club61_unclosed_quote_mid_row(fx: &Fixture) {
    let broken = club(A).replacen("\"Club 61000001\"", "\"Club 61000001", 1);
    club61(fx, &[broken, club(B)]);
}

/// Club A's last cell (line 2, column 25) opens a quote that never closes on its line:
/// `...,"1","` followed by club B's line.
fn club61_unclosed_quote_end_of_row(fx: &Fixture) {
    let broken = format!("{}\"", club(A).strip_suffix("\"\"").unwrap());
    club61(fx, &[broken, club(B)]);
}

#[test]
fn unclosed_quote_mid_row() {
    fails(
        club61_unclosed_quote_mid_row,
        &at(CLUB61, "2:5"),
        &["quote"],
    );
}

#[test]
fn unclosed_quote_at_end_of_row() {
    fails(
        club61_unclosed_quote_end_of_row,
        &at(CLUB61, "2:25"),
        &["quote"],
    );
}

#[test]
fn unescaped_quote_inside_a_cell() {
    // TI never writes a quote inside a cell; the csv crate would silently alter the name.
    fails(
        |fx| {
            let odd = club(A).replacen("\"Club 61000001\"", "\"Club \"Best\" 61000001\"", 1);
            club61(fx, &[odd, club(B)]);
        },
        &at(CLUB61, "2:5"),
        &["column \"Club Name\"", "stray quote"],
    );
}

// ---------------------------------------------------------------------------------------
// Cell values of the club report
// ---------------------------------------------------------------------------------------

#[test]
fn non_numeric_member_count() {
    fails(
        |fx| club61_b_cell(fx, 8, "abc"),
        &at(CLUB61, "3:9"),
        &[
            "column \"Active Members\"",
            "expected a whole number, found \"abc\"",
        ],
    );
}

#[test]
fn empty_member_count() {
    fails(
        |fx| club61_b_cell(fx, 8, ""),
        &at(CLUB61, "3:9"),
        &["column \"Active Members\"", "found an empty cell"],
    );
}

#[test]
fn negative_membership_base() {
    fails(
        |fx| club61_b_cell(fx, 7, "-3"),
        &at(CLUB61, "3:8"),
        &[
            "column \"Mem. Base\"",
            "expected a count of zero or more, found -3",
        ],
    );
}

#[test]
fn eleven_goals_met() {
    fails(
        |fx| club61_b_cell(fx, 10, "11"),
        &at(CLUB61, "3:11"),
        &["column \"Goals Met\"", "expected 0 to 10 goals, found 11"],
    );
}

#[test]
fn absurd_member_count() {
    fails(
        |fx| club61_b_cell(fx, 8, "5000"),
        &at(CLUB61, "3:9"),
        &[
            "column \"Active Members\"",
            "5000 is not a plausible value for one club",
        ],
    );
}

#[test]
fn bad_yes_no_flag() {
    fails(
        |fx| club61_b_cell(fx, 6, "maybe"),
        &at(CLUB61, "3:7"),
        &["column \"CSP\"", "expected Y or N, found \"maybe\""],
    );
}

#[test]
fn row_of_another_district() {
    fails(
        |fx| club61_b_cell(fx, 0, "62"),
        &at(CLUB61, "3:1"),
        &[
            "column \"District\"",
            "the row belongs to district 62, but the file is in district-61",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Charter cells of the district report
// ---------------------------------------------------------------------------------------

#[test]
fn impossible_charter_date() {
    fails(
        |fx| {
            dist61(
                fx,
                &[
                    district_row("61", A),
                    with_cell(&district_row("61", B), 13, "Charter 13/45/25"),
                ],
            )
        },
        &at(DIST61, "3:14"),
        &[
            "column \"Charter Date/Suspend Date\"",
            "expected a date after \"Charter\" in \"Charter 13/45/25\"",
        ],
    );
}

#[test]
fn charter_cell_in_words() {
    fails(
        |fx| {
            dist61(
                fx,
                &[
                    district_row("61", A),
                    with_cell(&district_row("61", B), 13, "yesterday"),
                ],
            )
        },
        &at(DIST61, "3:14"),
        &[
            "column \"Charter Date/Suspend Date\"",
            "found \"yesterday\"",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------------------

#[test]
fn missing_required_column() {
    fails(
        |fx| {
            fx.write(
                CLUB61,
                csv(&[
                    &without_cell(CLUB_HEADER, 8),
                    &without_cell(&club(A), 8),
                    &without_cell(&club(B), 8),
                ]),
            );
        },
        &at(CLUB61, "1"),
        &["missing required column \"Active Members\" in the club performance header"],
    );
}

/// Adds a column at the end of the header and of every club row of district 61.
fn club61_with_extra_column(fx: &Fixture, header: &str, value: &str) {
    fx.write(
        CLUB61,
        csv(&[
            &format!("{CLUB_HEADER},\"{header}\""),
            &format!("{},\"{value}\"", club(A)),
            &format!("{},\"{value}\"", club(B)),
        ]),
    );
}

#[test]
fn duplicate_header() {
    fails(
        |fx| club61_with_extra_column(fx, "Active Members", "13"),
        &at(CLUB61, "1:26"),
        &[
            "column \"Active Members\"",
            "duplicate header: \"Active Members\" also names column 9",
        ],
    );
}

#[test]
fn two_headers_for_one_column() {
    fails(
        |fx| club61_with_extra_column(fx, "Level 2s or EOM", "1"),
        &at(CLUB61, "1:26"),
        &["duplicate column: \"Level 2s or EOM\" means the same as column 13 (\"Level 2s\")"],
    );
}

// ---------------------------------------------------------------------------------------
// Encodings
// ---------------------------------------------------------------------------------------

#[test]
fn latin1_club_name() {
    // `"61","A","01","61000002","Club Qu` is 33 bytes: the 0xE9 of `Québec` is column 34.
    let row = with_cell(&club(B), 4, "Club Qu@bec");
    assert_eq!(row.find('@'), Some(33));
    let mut bytes = csv(&[CLUB_HEADER, &club(A), &row]).into_bytes();
    for b in bytes.iter_mut().filter(|b| **b == b'@') {
        *b = 0xE9;
    }
    fails(
        |fx| {
            fx.write(CLUB61, bytes);
        },
        &at(CLUB61, "3:34"),
        &["not valid UTF-8", "Latin-1"],
    );
}

#[test]
fn utf16_le_with_bom() {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(valid_club61().encode_utf16().flat_map(u16::to_le_bytes));
    fails(
        |fx| {
            fx.write(CLUB61, bytes);
        },
        &at(CLUB61, "1:1"),
        &["not valid UTF-8", "looks like UTF-16"],
    );
}

// ---------------------------------------------------------------------------------------
// Clubs across and within reports
// ---------------------------------------------------------------------------------------

#[test]
fn duplicate_club_number() {
    fails(
        |fx| club61(fx, &[club(A), club(B), club(A)]),
        &at(CLUB61, "4"),
        &["duplicate club number 61000001 (also on line 2)"],
    );
}

#[test]
fn club_missing_from_district_report() {
    fails(
        |fx| dist61(fx, &[district_row("61", A)]),
        &at(CLUB61, "3"),
        &["club 61000002 is not in raw-csv/2026-04-20/district-61/district-performance.csv"],
    );
}

#[test]
fn club_missing_from_club_report() {
    fails(
        |fx| club61(fx, &[club(A)]),
        &at(DIST61, "3"),
        &["club 61000002 is not in raw-csv/2026-04-20/district-61/club-performance.csv"],
    );
}

// ---------------------------------------------------------------------------------------
// Folders
// ---------------------------------------------------------------------------------------

#[test]
fn district_folder_without_club_report() {
    fails(
        |fx| {
            std::fs::remove_file(fx.cache().join("raw-csv").join(CLUB61)).unwrap();
        },
        &at(CLUB61, ""),
        &["club-performance.csv is missing"],
    );
}

#[test]
fn date_folder_with_impossible_date() {
    fails(
        |fx| {
            let raw = fx.cache().join("raw-csv");
            std::fs::rename(raw.join("2026-04-20"), raw.join("2026-13-45")).unwrap();
        },
        "raw-csv/2026-13-45",
        &["folder name \"2026-13-45\" is not a date"],
    );
}

#[test]
fn date_folder_named_latest() {
    fails(
        |fx| {
            fx.write("latest/all-districts.csv", "");
        },
        "raw-csv/latest",
        &["folder name \"latest\" is not a date"],
    );
}

// ---------------------------------------------------------------------------------------
// The all-districts summary: any error fails the whole build
// ---------------------------------------------------------------------------------------

#[test]
fn non_numeric_paid_clubs_in_summary() {
    let err = fails(
        |fx| summary(fx, &[with_cell(&summary61(), 16, "abc"), summary62()]),
        &at(SUMMARY, "2:17"),
        &[
            "column \"Paid Clubs\"",
            "expected a whole number, found \"abc\"",
        ],
    );
    assert!(
        err.contains("build failed: the all-districts summary is invalid"),
        "{err}"
    );
}

#[test]
fn duplicate_district_in_summary() {
    let err = fails(
        |fx| summary(fx, &[summary61(), summary62(), summary61()]),
        &at(SUMMARY, "4"),
        &["district 61 is listed twice (also on line 2)"],
    );
    assert!(
        err.contains("build failed: the all-districts summary is invalid"),
        "{err}"
    );
}

#[test]
fn malformed_percentage_in_summary() {
    let err = fails(
        |fx| summary(fx, &[summary_row("05", "61", "12.5x%"), summary62()]),
        &at(SUMMARY, "2:18"),
        &[
            "column \"% Club Growth\"",
            "expected a percentage like \"-8.29%\", found \"12.5x%\"",
        ],
    );
    assert!(
        err.contains("build failed: the all-districts summary is invalid"),
        "{err}"
    );
}

#[test]
fn html_error_page_saved_as_summary() {
    let err = fails(
        |fx| {
            fx.write(SUMMARY, HTML_PAGE);
        },
        &at(SUMMARY, "1:1"),
        &["file is an HTML page, not a CSV export"],
    );
    assert!(
        err.contains("build failed: the all-districts summary is invalid"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------
// Tolerated oddities: the build succeeds and says what it saw
// ---------------------------------------------------------------------------------------

#[test]
fn unknown_extra_column_warns() {
    let p = warns(
        |fx| club61_with_extra_column(fx, "Colour", "red"),
        Warning {
            file: at(CLUB61, ""),
            line: Some(1),
            column: Some((26, "Colour")),
            phrase: "unknown column",
        },
    );
    // kept, not dropped
    let district = p.fx.read_json("api/v1/districts/61.json");
    assert_eq!(
        district["clubs"][0]["extra"]["Colour"], "red",
        "{district:#}"
    );
}

#[test]
fn missing_footer_warns() {
    warns(
        |fx| {
            let text = valid_club61();
            let body = text.strip_suffix(&format!("{FOOTER}\r\n")).unwrap();
            fx.write(CLUB61, body);
        },
        Warning {
            file: at(CLUB61, ""),
            line: None,
            column: None,
            phrase: "no footer line",
        },
    );
}

#[test]
fn utf8_bom_builds_clean() {
    builds_clean(
        |fx| {
            fx.write(CLUB61, format!("\u{feff}{}", valid_club61()));
        },
        CLUB61,
    );
}

#[test]
fn blank_trailing_lines_build_clean() {
    builds_clean(
        |fx| {
            fx.write(CLUB61, format!("{}\r\n\r\n  \r\n", valid_club61()));
        },
        CLUB61,
    );
}

#[test]
fn lf_line_endings_build_clean() {
    builds_clean(
        |fx| {
            fx.write(CLUB61, valid_club61().replace("\r\n", "\n"));
        },
        CLUB61,
    );
}

/// A stray `As of` row of the summary (DOMAIN.md §2.6): a full-width row whose DISTRICT
/// cell is the stamp and whose other cells are empty.
fn stray_as_of_row() -> String {
    let mut c = vec![String::new(); cells(SUMMARY_HEADER).len()];
    c[1] = "As of 03/19/2026".into();
    quoted(&c)
}

/// Checks that the rankings list exactly districts 61 and 62.
fn assert_ranked_61_62(fx: &Fixture) {
    let rankings = fx.read_json("api/v1/rankings.json");
    let mut ids: Vec<&str> = rankings["rankings"]
        .as_array()
        .expect("rankings")
        .iter()
        .map(|r| r["district_id"].as_str().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, ["61", "62"], "{rankings:#}");
}

#[test]
fn stray_as_of_row_in_summary_is_dropped() {
    let p = Published::new();
    summary(&p.fx, &[summary61(), stray_as_of_row(), summary62()]);
    let out = build_at(&p.fx, SECOND_TIME);
    assert_eq!(code(&out), Some(0), "{}", support::stderr(&out));
    assert_ranked_61_62(&p.fx);
}

#[test]
fn stray_as_of_row_in_summary_warns() {
    let p = warns(
        |fx| summary(fx, &[summary61(), stray_as_of_row(), summary62()]),
        Warning {
            file: at(SUMMARY, ""),
            line: Some(3),
            column: Some((2, "DISTRICT")),
            phrase: "As of 03/19/2026",
        },
    );
    assert_ranked_61_62(&p.fx);
}

/// Builds after writing `summary_text` and checks the stray row was dropped, not fatal.
fn stray_row_is_dropped(summary_text: String) {
    let p = Published::new();
    p.fx.write(SUMMARY, summary_text);
    let out = build_at(&p.fx, SECOND_TIME);
    assert_eq!(
        code(&out),
        Some(0),
        "a stray `As of` row must be dropped (DOMAIN.md §2.6)\nstderr:\n{}",
        support::stderr(&out)
    );
    assert!(p.fx.current().unwrap().starts_with(SECOND_STAMP));
    assert_ranked_61_62(&p.fx);
}

#[test]
fn short_stray_as_of_row_in_summary_is_dropped() {
    let short = quoted(&["", "As of 03/19/2026"]);
    stray_row_is_dropped(csv(&[SUMMARY_HEADER, &summary61(), &short, &summary62()]));
}

#[test]
fn bare_as_of_line_in_summary_is_dropped() {
    stray_row_is_dropped(csv(&[
        SUMMARY_HEADER,
        &summary61(),
        &summary62(),
        "As of 03/19/2026",
    ]));
}

#[test]
fn legacy_district_folder_is_ignored_with_a_warning() {
    let p = warns(
        |fx| {
            fx.write(
                "2026-04-20/district-As of 03/club-performance.csv",
                valid_club61(),
            );
        },
        Warning {
            file: "raw-csv/2026-04-20/district-As of 03".into(),
            line: None,
            column: None,
            phrase: "is not a district id",
        },
    );
    let meta = p.fx.read_json("snapshot.json");
    assert_eq!(
        meta["districts_built"],
        serde_json::json!(["61", "62"]),
        "{meta:#}"
    );
}

/// Issue 10 items 1–5 and 18 (reader hardening), through the same corpus drivers.
mod reader_hardening;
