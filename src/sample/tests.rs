//! Unit tests of the generator: determinism, the committed sample byte for byte, option
//! bounds, long timelines and world size, plus the shared helpers (a strict reader of TI's
//! physical CSV format) used by [`committed`] and the cross-file checks in [`consistency`].

mod committed;
mod consistency;

use super::{COMMITTED, SampleOptions, SampleSummary, write_sample};
use crate::cache::eras::{Col, Report, canonical_headers, lookup};
use crate::cache::footer::{data_period, parse_footer_line, program_year_start};
use crate::fsx;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A parsed file: columns by logical name, data rows, footer, program year of its data.
struct Table {
    cols: HashMap<Col, usize>,
    rows: Vec<Vec<String>>,
    footer: String,
    py: i32,
}

impl Table {
    fn s<'a>(&self, row: &'a [String], col: Col) -> &'a str {
        &row[self.cols[&col]]
    }
    fn n(&self, row: &[String], col: Col) -> i64 {
        self.s(row, col).parse().unwrap()
    }
}

/// The program year of a file's data: its footer's data month read against the date folder
/// it sits in (DOMAIN.md §3.4), as a reader does.
fn data_py(path: &Path, footer: &str) -> i32 {
    let folder = path
        .ancestors()
        .find_map(|p| NaiveDate::parse_from_str(p.file_name()?.to_str()?, "%Y-%m-%d").ok())
        .unwrap();
    let month = parse_footer_line(footer).unwrap().month;
    program_year_start(data_period(folder, month).data_date)
}

/// Reads a report checking the physical format: every cell quoted, the canonical header of
/// the data's program year, as many cells as that header, CRLF everywhere, unquoted footer
/// last.
fn read(path: &Path, report: Report) -> Table {
    let text = fsx::read_to_string(path).unwrap();
    let (body, footer) = text
        .strip_suffix("\r\n")
        .unwrap()
        .rsplit_once("\r\n")
        .unwrap();
    assert!(
        footer.starts_with("Month of ") && !footer.contains('"'),
        "{footer}"
    );
    let py = data_py(path, footer);
    let headers = canonical_headers(report, py).headers;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes());
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(records[0], headers.to_vec(), "{}", path.display());
    assert_eq!(body.split("\r\n").count(), records.len());
    for (line, rec) in body.split("\r\n").zip(&records) {
        assert!(line.starts_with('"') && line.ends_with('"') && !line.contains('\n'));
        assert_eq!(line.matches("\",\"").count() + 1, headers.len(), "{line}");
        assert_eq!(rec.len(), headers.len());
    }
    let cols = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (lookup(report, h).unwrap().col, i));
    let (cols, rows) = (cols.collect(), records[1..].to_vec());
    Table {
        cols,
        rows,
        footer: footer.to_string(),
        py,
    }
}

fn files(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in fsx::read_dir_sorted(root).unwrap() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push((path.clone(), fsx::read(&path).unwrap()));
        }
    }
    out
}

fn generate(opts: &SampleOptions) -> (tempfile::TempDir, SampleSummary) {
    let dir = tempfile::tempdir().unwrap();
    let summary = write_sample(dir.path(), opts).unwrap();
    (dir, summary)
}

/// Both program years, month end by month end, and the daily dates of the newest month.
fn all_dates(districts: usize) -> SampleOptions {
    SampleOptions {
        districts,
        clubs_per_district: 25,
        dates: COMMITTED.dates,
        seed: 7,
    }
}

#[test]
fn same_seed_gives_identical_bytes_and_another_seed_differs() {
    let opts = SampleOptions {
        districts: 7,
        ..SampleOptions::default()
    };
    let ((a, sa), (b, _)) = (generate(&opts), generate(&opts));
    let (fa, fb) = (files(a.path()), files(b.path()));
    assert_eq!(fa.len(), sa.files);
    assert_eq!(fa.iter().map(|f| f.1.len() as u64).sum::<u64>(), sa.bytes);
    for ((pa, ba), (pb, bb)) in fa.iter().zip(&fb) {
        assert_eq!(
            pa.strip_prefix(a.path()).unwrap(),
            pb.strip_prefix(b.path()).unwrap()
        );
        assert!(ba == bb, "{} differs", pa.display());
    }
    let (c, _) = generate(&SampleOptions { seed: 2, ..opts });
    let fc = files(c.path());
    assert!(fa.iter().zip(&fc).filter(|(x, y)| x.1 != y.1).count() > fa.len() / 2);
}

#[test]
fn committed_sample_is_what_the_generator_writes() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample");
    let (dir, _) = generate(&COMMITTED);
    let (want, have) = (files(dir.path()), files(&committed));
    let rel = |root: &Path, f: &[(PathBuf, Vec<u8>)]| -> Vec<PathBuf> {
        f.iter()
            .map(|(p, _)| p.strip_prefix(root).unwrap().to_path_buf())
            .collect()
    };
    assert_eq!(
        rel(dir.path(), &want),
        rel(&committed, &have),
        "regenerate sample/ (see src/sample/mod.rs)"
    );
    for ((path, a), (_, b)) in want.iter().zip(&have) {
        assert!(
            a == b,
            "{} differs from the generator's output",
            path.display()
        );
    }
}

#[test]
fn nonsense_options_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    for (districts, clubs_per_district, dates) in
        [(0, 9, 3), (301, 9, 3), (5, 0, 3), (5, 9, 0), (5, 9, 10_000)]
    {
        let bad = SampleOptions {
            districts,
            clubs_per_district,
            dates,
            seed: 1,
        };
        assert!(write_sample(dir.path(), &bad).is_err(), "{bad:?}");
    }
    let tiny = SampleOptions {
        districts: 1,
        clubs_per_district: 1,
        dates: 12,
        seed: 3,
    };
    let summary = write_sample(dir.path(), &tiny).unwrap();
    assert_eq!(
        (summary.dates.len(), summary.dates[0].as_str()),
        (12, "2026-07-31")
    );
}

/// A nightly collector's half year: closes before it, then one folder a day, with closing
/// downloads at each month start and no folder while TI has not published the new year.
#[test]
fn long_timelines_are_daily_with_closing_periods() {
    let ctxs = super::calendar::timeline(180).unwrap();
    assert_eq!(ctxs.len(), 180);
    assert!(ctxs.windows(2).all(|w| w[0].folder < w[1].folder));
    let folders: Vec<&str> = ctxs.iter().map(|c| c.folder.as_str()).collect();
    assert_eq!(folders[179], "2026-11-08");
    let june_close: Vec<&str> = ctxs
        .iter()
        .filter(|c| c.closing && c.data_month == "2026-06")
        .map(|c| c.folder.as_str())
        .collect();
    assert_eq!(june_close.first().copied(), Some("2026-07-01"));
    assert_eq!(june_close.last().copied(), Some("2026-07-19"));
    assert!(
        !folders
            .iter()
            .any(|f| ("2026-07-20".."2026-07-26").contains(f))
    );
    assert!(folders.contains(&"2026-07-26") && folders.contains(&"2026-02-28"));
    for c in &ctxs {
        assert_eq!(c.closing, c.data_month != c.folder[..7], "{}", c.folder);
    }
    assert!(super::calendar::timeline(5000).is_err());
}

#[test]
fn world_size_generates_about_fifteen_thousand_clubs() {
    let started = std::time::Instant::now();
    let opts = SampleOptions {
        districts: 128,
        clubs_per_district: 117,
        dates: 1,
        seed: 1,
    };
    let (_dir, summary) = generate(&opts);
    println!("world sample: {summary:?} in {:?}", started.elapsed());
    assert!(
        (14_000..=16_000).contains(&summary.clubs),
        "{}",
        summary.clubs
    );
    assert_eq!(
        summary.files,
        1 + 127 + 2 * 102 + 1 + 1,
        "summary, club and district reports, metadata.json, marker"
    );
}
