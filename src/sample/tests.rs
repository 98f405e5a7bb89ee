//! Unit tests of the generator: determinism, the documented layout of the default cache,
//! option bounds and world size, plus the shared helpers (a strict reader of TI's physical
//! CSV format) used by the cross-file checks in [`consistency`].

mod consistency;

use super::calendar::PY_START;
use super::{SampleOptions, SampleSummary, write_sample};
use crate::cache::eras::{Col, Report, canonical_headers, lookup};
use crate::fsx;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A parsed file: columns by logical name, data rows, footer.
struct Table {
    cols: HashMap<Col, usize>,
    rows: Vec<Vec<String>>,
    footer: String,
}

impl Table {
    fn s<'a>(&self, row: &'a [String], col: Col) -> &'a str {
        &row[self.cols[&col]]
    }
    fn n(&self, row: &[String], col: Col) -> i64 {
        self.s(row, col).parse().unwrap()
    }
}

/// Reads a report checking the physical format: every cell quoted, as many cells as
/// the canonical header, CRLF everywhere, unquoted footer last.
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
    let headers = canonical_headers(report, PY_START).headers;
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

fn all_dates(districts: usize) -> SampleOptions {
    SampleOptions {
        districts,
        clubs_per_district: 25,
        dates: 12,
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
fn default_cache_has_the_documented_layout() {
    let (dir, summary) = generate(&SampleOptions::default());
    assert_eq!(summary.dates, ["2026-03-22", "2026-04-05", "2026-04-20"]);
    assert_eq!(summary.districts, 12);
    let raw = dir.path().join("raw-csv");
    let footers = [
        "Month of Mar, As of 03/22/2026",
        "Month of Mar, As of 04/05/2026",
    ];
    for (date, footer) in summary.dates.iter().zip(footers) {
        let all = read(&raw.join(date).join("all-districts.csv"), Report::Summary);
        assert_eq!(all.footer, footer);
    }
    assert!(!raw.join("2026-03-22/metadata.json").exists());
    let meta: serde_json::Value =
        serde_json::from_str(&fsx::read_to_string(&raw.join("2026-04-05/metadata.json")).unwrap())
            .unwrap();
    assert_eq!(meta["isClosingPeriod"], true);
    assert_eq!(meta["dataMonth"], "2026-03");
    assert_eq!(meta["timestamp"], 1_775_400_000_000_i64);
    assert_eq!(
        meta["csvFiles"]["districts"]["05"]["divisionPerformance"],
        false
    );
    let all = read(&raw.join("2026-04-20/all-districts.csv"), Report::Summary);
    let ids: Vec<&str> = all
        .rows
        .iter()
        .map(|r| all.s(r, Col::SummaryDistrict))
        .collect();
    assert_eq!(
        ids,
        [
            "01", "02", "03", "04", "05", "F", "06", "07", "08", "09", "10", "U"
        ]
    );
    let region = |id: &str| all.rows.iter().find(|r| r[1] == id).map(|r| r[0].clone());
    assert_eq!(
        (region("F").unwrap(), region("U").unwrap()),
        ("02".into(), "DNAR".into())
    );
    let collected: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| raw.join(format!("2026-04-20/district-{id}")).exists())
        .collect();
    assert_eq!(collected.len(), 11, "exactly one district is not collected");
    assert!(!collected.contains(&"07"));
    for id in collected {
        let only_club = !raw
            .join(format!("2026-04-20/district-{id}/district-performance.csv"))
            .exists();
        assert_eq!(only_club, id == "05" || id == "10", "district {id}");
    }
    let growth: Vec<&str> = all
        .rows
        .iter()
        .map(|r| all.s(r, Col::ClubGrowthPct))
        .collect();
    assert_eq!(
        growth[0], growth[2],
        "districts 01 and 03 tie on % Club Growth"
    );
    let d02 = fsx::read_to_string(&raw.join("2026-04-20/district-02/district-performance.csv"));
    let d02 = d02.unwrap();
    assert!(d02.contains("\"0D\",\"0A\"") && d02.contains("\"Charter 08/14/25 Susp 02/28/26\""));
}

#[test]
fn nonsense_options_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    for (districts, clubs_per_district, dates) in
        [(0, 9, 3), (301, 9, 3), (5, 0, 3), (5, 9, 0), (5, 9, 13)]
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
        (12, "2025-07-26")
    );
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
        1 + 127 + 2 * 102 + 1,
        "summary, club and district reports, marker"
    );
}
