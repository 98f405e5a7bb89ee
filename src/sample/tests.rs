//! Unit tests of the generator: determinism, the documented layout of the default cache,
//! option bounds and world size, plus the shared helpers (a strict reader of TI's physical
//! CSV format) used by the cross-file checks in [`consistency`].

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
fn committed_timeline_has_two_program_years_closes_and_daily_dates() {
    let (dir, summary) = generate(&COMMITTED);
    let month_ends = [
        "2025-07-31",
        "2025-08-31",
        "2025-09-30",
        "2025-10-31",
        "2025-11-30",
        "2025-12-31",
        "2026-01-31",
        "2026-02-28",
        "2026-03-31",
        "2026-04-30",
        "2026-05-31",
        "2026-06-30",
        "2026-07-31",
        "2026-08-31",
        "2026-09-30",
        "2026-10-31",
    ];
    let daily = [
        "2026-11-01",
        "2026-11-02",
        "2026-11-03",
        "2026-11-04",
        "2026-11-05",
        "2026-11-06",
        "2026-11-07",
        "2026-11-08",
    ];
    let want: Vec<&str> = month_ends.iter().chain(&daily).copied().collect();
    assert_eq!(summary.dates, want);
    assert_eq!(summary.districts, 10);
    let raw = dir.path().join("raw-csv");
    let footer =
        |date: &str| read(&raw.join(date).join("all-districts.csv"), Report::Summary).footer;
    // Final closes: as of TI's closing date in the next month; June 2026 archived weeks later.
    assert_eq!(footer("2025-12-31"), "Month of Dec, As of 01/08/2026");
    assert_eq!(footer("2026-01-31"), "Month of Jan, As of 02/13/2026");
    assert_eq!(footer("2026-06-30"), "Month of Jun, As of 08/14/2026");
    assert_eq!(footer("2026-10-31"), "Month of Oct, As of 10/31/2026");
    assert_eq!(footer("2026-11-02"), "Month of Oct, As of 11/02/2026");
    assert_eq!(footer("2026-11-08"), "Month of Nov, As of 11/08/2026");
    for date in &month_ends[..15] {
        assert!(!raw.join(date).join("metadata.json").exists(), "{date}");
    }
    let meta = |date: &str| -> serde_json::Value {
        serde_json::from_str(&fsx::read_to_string(&raw.join(date).join("metadata.json")).unwrap())
            .unwrap()
    };
    let closing = meta("2026-11-03");
    assert_eq!(closing["isClosingPeriod"], true);
    assert_eq!(closing["dataMonth"], "2026-10");
    assert_eq!(closing["programYear"], "2026-2027");
    assert_eq!(meta("2026-11-04")["isClosingPeriod"], false);
    assert_eq!(
        meta("2026-11-08")["csvFiles"]["districts"]["05"]["divisionPerformance"],
        false
    );
    // Each year in its own header era: 25 summary columns in 2025-26, 24 in 2026-27.
    let header = |date: &str, file: &str| {
        let text = fsx::read_to_string(&raw.join(date).join(file)).unwrap();
        text.lines().next().unwrap().to_string()
    };
    assert!(header("2026-06-30", "all-districts.csv").contains("Region Advisor Visit"));
    assert!(!header("2026-07-31", "all-districts.csv").contains("Region Advisor Visit"));
    assert!(header("2026-06-30", "district-01/club-performance.csv").contains("\"Level 2s\""));
    assert!(
        header("2026-07-31", "district-01/club-performance.csv").contains("\"Level 2s or EOM\"")
    );

    let all = read(&raw.join("2026-11-08/all-districts.csv"), Report::Summary);
    let ids: Vec<&str> = all
        .rows
        .iter()
        .map(|r| all.s(r, Col::SummaryDistrict))
        .collect();
    assert_eq!(
        ids,
        ["01", "02", "03", "04", "05", "06", "F", "07", "08", "U"]
    );
    let region = |id: &str| all.rows.iter().find(|r| r[1] == id).map(|r| r[0].clone());
    assert_eq!(
        (region("F").unwrap(), region("U").unwrap()),
        ("02".into(), "DNAR".into())
    );
    for date in &summary.dates {
        let collected: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| raw.join(format!("{date}/district-{id}")).exists())
            .collect();
        assert_eq!(
            collected.len(),
            9,
            "exactly one district is not collected on {date}"
        );
        assert!(!collected.contains(&"06"));
        for id in collected {
            let only_club = !raw
                .join(format!("{date}/district-{id}/district-performance.csv"))
                .exists();
            assert_eq!(
                only_club,
                id == "05" || id == "U",
                "district {id} on {date}"
            );
        }
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

    // District 02's events: last year's charter-and-suspension and unassigned charter, this
    // year's move between divisions, suspension and unassigned charter.
    let d02 = |date: &str| {
        read(
            &raw.join(date).join("district-02/district-performance.csv"),
            Report::District,
        )
    };
    let last_year = d02("2026-04-30");
    let cells: Vec<&str> = last_year
        .rows
        .iter()
        .map(|r| last_year.s(r, Col::CharterSuspend))
        .collect();
    assert!(
        cells.contains(&"Charter 08/14/25 Susp 02/28/26"),
        "{cells:?}"
    );
    assert!(
        last_year
            .rows
            .iter()
            .any(|r| last_year.s(r, Col::Division) == "0D")
    );
    let (aug, sep, nov) = (d02("2026-08-31"), d02("2026-09-30"), d02("2026-11-08"));
    let place = |t: &Table| -> HashMap<String, (String, String, String)> {
        t.rows
            .iter()
            .map(|r| {
                let at = (
                    t.s(r, Col::Division).into(),
                    t.s(r, Col::Area).into(),
                    t.s(r, Col::CharterSuspend).into(),
                );
                (t.s(r, Col::ClubNumber).to_string(), at)
            })
            .collect()
    };
    let (before, after) = (place(&aug), place(&sep));
    let moved: Vec<&String> = before
        .iter()
        .filter(|(n, b)| after.get(*n).is_some_and(|a| a.0 != b.0 && a.1 != b.1))
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        moved.len(),
        1,
        "one club changes division and area: {moved:?}"
    );
    let suspended: Vec<&String> = after
        .iter()
        .filter(|(n, a)| a.2 == " Susp 09/30/26" && before[*n].2.is_empty())
        .map(|(n, _)| n)
        .collect();
    assert_eq!(suspended.len(), 1, "one club suspended in September 2026");
    let charters = place(&nov)
        .into_values()
        .filter(|a| a.2.starts_with("Charter "))
        .count();
    assert!(charters >= 2, "this year's charters, one unassigned");
    assert!(nov.rows.iter().any(|r| nov.s(r, Col::Division) == "0D"));
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
        1 + 127 + 2 * 102 + 1,
        "files and metadata.json"
    );
}
