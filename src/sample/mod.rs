//! Deterministic synthetic raw cache in TI's exact export formats (DOMAIN.md §1–§2, §5).
//!
//! One club population is drawn from the seed with a hand-written SplitMix64 (so the committed
//! sample never changes with a crate upgrade) and every folder date is derived from it: over
//! two program years, award counts, goals and payments only grow within a year and start
//! again in July, membership bases are fixed per year, membership drifts. Header rows come
//! from [`crate::cache::eras`] by program year and every cell is placed by its logical column.
//!
//! The committed sample (`sample/raw-csv/`) is [`COMMITTED`]:
//! `toaststats sample --out sample --districts 10 --clubs-per-district 20 --dates 24`; a unit test
//! regenerates it and compares every byte.
//!
//! This file owns the public API ([`SampleOptions`], [`SampleSummary`], [`write_sample`]), the
//! file layout, the CSV writer, `metadata.json`, the synthetic marker `raw-csv/SYNTHETIC`
//! (how the build tells a sample cache from TI's data) and the guard that keeps a sample
//! from being mixed into a folder holding anything else. The pieces it drives:
//! - `rng`: the SplitMix64 generator;
//! - `calendar`: the timeline of folder dates (month-end closes, daily and closing-period
//!   downloads) and the per-date context;
//! - `world` and `club`: drawing the club population once per seed;
//! - `day`: each club's and area/division's figures on one date;
//! - `cells`: the value of every logical column of a club or summary row.

mod calendar;
mod cells;
mod club;
mod day;
mod rng;
mod world;

#[cfg(test)]
mod tests;

use crate::cache::eras::{Col, Report, canonical_headers, lookup};
use crate::fsx;
use anyhow::{Result, bail};
use calendar::{Ctx, timeline};
use cells::{SummaryRow, V, club_cell, summary_cell};
use day::evaluate;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use world::{District, Role, build_world, id_key};

/// Districts a sample may have.
pub const DISTRICTS: RangeInclusive<usize> = 1..=300;
/// Average clubs per district a sample may have.
pub const CLUBS_PER_DISTRICT: RangeInclusive<usize> = 1..=500;
/// Collection dates a sample may have (beyond the committed timeline, daily folders reach
/// further back: ten years at most).
pub const DATE_COUNT: RangeInclusive<usize> = 1..=3650;

/// The file inside `raw-csv/` that marks a cache as synthetic. Every sample carries it (the
/// committed `sample/` too); the build labels snapshots of such a cache as synthetic and
/// keeps them apart from real ones. The cache scan skips plain files in `raw-csv/`.
pub const MARKER: &str = "SYNTHETIC";

/// Where the synthetic marker of the cache at `cache_root` lives.
pub fn marker_path(cache_root: &Path) -> PathBuf {
    cache_root.join("raw-csv").join(MARKER)
}

/// True when the cache at `cache_root` was written by `toaststats sample`.
pub fn is_synthetic(cache_root: &Path) -> bool {
    marker_path(cache_root).is_file()
}

/// What an output folder holds before a sample is written into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutFolder {
    /// Missing or empty: the sample is written as is.
    Fresh,
    /// The output of an earlier `sample`: its `raw-csv/` is replaced whole, so districts
    /// and dates of the earlier sample cannot mix into the new one.
    EarlierSample,
}

/// Checks that `out` may receive a sample; the error says why not and what to do. Only a
/// missing or empty folder, or one holding nothing but an earlier sample's `raw-csv/`
/// (marker, date folders), is accepted: anything else may be someone's real cache.
pub fn check_out(out: &Path) -> Result<OutFolder, String> {
    let names = |dir: &Path| -> Result<Vec<String>, String> {
        Ok(fsx::read_dir_sorted(dir)
            .map_err(|e| format!("{e:#}"))?
            .iter()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect())
    };
    if !out.exists() {
        return Ok(OutFolder::Fresh);
    }
    if !out.is_dir() {
        return Err(format!(
            "--out {}: is a file, not a folder; name a new or empty folder",
            out.display()
        ));
    }
    let top = names(out)?;
    if top.is_empty() {
        return Ok(OutFolder::Fresh);
    }
    let refuse = |what: String| {
        Err(format!(
            "--out {} is not empty and {what}, so writing a sample there could mix its files with others; name a new or empty folder",
            out.display()
        ))
    };
    let others: Vec<&str> = top
        .iter()
        .map(String::as_str)
        .filter(|n| *n != "raw-csv")
        .collect();
    if !others.is_empty() {
        return refuse(format!("holds {}", others.join(", ")));
    }
    if !is_synthetic(out) {
        return refuse(format!(
            "its raw-csv/ has no {MARKER} marker (it is not an earlier sample's output)"
        ));
    }
    let raw = names(&out.join("raw-csv"))?;
    let odd: Vec<&String> = raw
        .iter()
        .filter(|n| *n != MARKER && chrono::NaiveDate::parse_from_str(n, "%Y-%m-%d").is_err())
        .collect();
    if !odd.is_empty() {
        let odd: Vec<&str> = odd.iter().map(|s| s.as_str()).collect();
        return refuse(format!(
            "its raw-csv/ holds {} besides date folders",
            odd.join(", ")
        ));
    }
    Ok(OutFolder::EarlierSample)
}

#[derive(Debug, Clone)]
pub struct SampleOptions {
    pub districts: usize,
    pub clubs_per_district: usize,
    pub dates: usize,
    pub seed: u64,
}

/// The options of the committed sample (`sample/`): 10 districts with the full timeline of
/// two program years, small enough to commit (under 3 MB).
pub const COMMITTED: SampleOptions = SampleOptions {
    districts: 10,
    clubs_per_district: 20,
    dates: 24,
    seed: 1,
};

impl Default for SampleOptions {
    fn default() -> Self {
        let (districts, clubs_per_district, dates, seed) = (12, 40, 3, 1);
        SampleOptions {
            districts,
            clubs_per_district,
            dates,
            seed,
        }
    }
}

/// What [`write_sample`] produced. `clubs` counts the world's clubs on the newest date,
/// including those of the district listed in the summary but not collected.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SampleSummary {
    pub dates: Vec<String>,
    pub districts: usize,
    pub clubs: usize,
    pub files: usize,
    pub bytes: u64,
}

/// Writes `out/raw-csv/<date>/…` for the newest `opts.dates` dates of the sample's timeline,
/// and the marker.
/// `out` must pass [`check_out`]; an earlier sample there is replaced, not added to.
pub fn write_sample(out: &Path, opts: &SampleOptions) -> Result<SampleSummary> {
    let (n, k, cpd) = (opts.districts, opts.dates, opts.clubs_per_district);
    if !DISTRICTS.contains(&n) || !DATE_COUNT.contains(&k) || !CLUBS_PER_DISTRICT.contains(&cpd) {
        bail!(
            "a sample needs {}-{} districts, {}-{} clubs per district and {}-{} dates: {opts:?}",
            DISTRICTS.start(),
            DISTRICTS.end(),
            CLUBS_PER_DISTRICT.start(),
            CLUBS_PER_DISTRICT.end(),
            DATE_COUNT.start(),
            DATE_COUNT.end()
        );
    }
    match check_out(out) {
        Err(why) => bail!(why),
        Ok(OutFolder::EarlierSample) => fsx::remove_dir_all(&out.join("raw-csv"))?,
        Ok(OutFolder::Fresh) => {}
    }
    let ctxs = timeline(k)?;
    let world = build_world(opts);
    let mut order: Vec<&District> = world.iter().collect();
    order.sort_by_key(|d| (d.region.clone(), id_key(&d.id)));
    let dates = ctxs.iter().map(|c| c.folder.clone()).collect();
    let mut sum = SampleSummary {
        dates,
        districts: n,
        clubs: 0,
        files: 0,
        bytes: 0,
    };
    for ctx in &ctxs {
        let dir = out.join("raw-csv").join(&ctx.folder);
        fsx::create_dir_all(&dir)?;
        let mut all = Csv::new(Report::Summary, ctx.py);
        sum.clubs = 0;
        for d in &order {
            let day = evaluate(d, ctx);
            sum.clubs += day.evals.len();
            let sub = dir.join(format!("district-{}", d.id));
            for &report in d.reports() {
                fsx::create_dir_all(&sub)?;
                let mut csv = Csv::new(report, ctx.py);
                for e in &day.evals {
                    csv.row(|col| club_cell(col, &day, e));
                }
                put(&mut sum, &sub.join(report.file_name()), csv.finish(ctx))?;
            }
            let row = SummaryRow::new(&day, ctx);
            all.row(|col| summary_cell(col, &row));
        }
        put(
            &mut sum,
            &dir.join(Report::Summary.file_name()),
            all.finish(ctx),
        )?;
        if ctx.collected {
            let json = serde_json::to_string_pretty(&Metadata::new(ctx, &world))? + "\n";
            put(&mut sum, &dir.join("metadata.json"), json)?;
        }
    }
    let marker = format!(
        "Synthetic data written by `toaststats sample` (seed {}, {} districts, {} clubs per district, {} dates).\nNot Toastmasters International data: builds from this cache are labelled synthetic.\n",
        opts.seed, n, cpd, k
    );
    put(&mut sum, &marker_path(out), marker)?;
    Ok(sum)
}

fn put(sum: &mut SampleSummary, path: &Path, text: String) -> Result<()> {
    fsx::write(path, text.as_bytes())?;
    sum.files += 1;
    sum.bytes += text.len() as u64;
    Ok(())
}

// ---------------------------------------------------------------- CSV and metadata output

/// One file in one buffer, in the layout of its program year: every cell quoted, CRLF, and
/// the unquoted footer line.
struct Csv {
    cols: Vec<Option<Col>>,
    buf: String,
}

impl Csv {
    fn new(report: Report, py: i32) -> Csv {
        let headers = canonical_headers(report, py).headers;
        let cols = headers
            .iter()
            .map(|h| lookup(report, h).map(|s| s.col))
            .collect();
        let mut csv = Csv {
            cols,
            buf: String::with_capacity(1 << 16),
        };
        csv.line(headers.iter().map(|h| V::S(h)));
        csv
    }
    fn line<'a>(&mut self, cells: impl Iterator<Item = V<'a>>) {
        for (i, v) in cells.enumerate() {
            let sep = if i == 0 { "" } else { "," };
            let done = match v {
                V::S(s) => {
                    debug_assert!(!s.contains('"'), "cell {s:?} holds a quote");
                    write!(self.buf, "{sep}\"{s}\"")
                }
                V::N(n) => write!(self.buf, "{sep}\"{n}\""),
            };
            done.expect("write to a String");
        }
        self.buf.push_str("\r\n");
    }
    fn row<'a>(&mut self, cell: impl Fn(Col) -> V<'a>) {
        let cols = std::mem::take(&mut self.cols);
        self.line(cols.iter().map(|c| c.map_or(V::S(""), &cell)));
        self.cols = cols;
    }
    fn finish(mut self, ctx: &Ctx) -> String {
        self.buf.push_str(&ctx.footer);
        self.buf.push_str("\r\n");
        self.buf
    }
}

/// `metadata.json` in the daily collector's shape (DOMAIN.md §1.3).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Metadata<'a> {
    date: &'a str,
    timestamp: i64,
    program_year: String,
    is_closing_period: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_month: Option<&'a str>,
    csv_files: CsvFiles<'a>,
    source: &'static str,
    cache_version: u32,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct CsvFiles<'a> {
    all_districts: bool,
    districts: BTreeMap<&'a str, FileFlags>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct FileFlags {
    district_performance: bool,
    division_performance: bool,
    club_performance: bool,
}

impl<'a> Metadata<'a> {
    fn new(ctx: &'a Ctx, world: &'a [District]) -> Metadata<'a> {
        let collected = world.iter().filter(|d| d.role != Role::Uncollected);
        let files = |full| FileFlags {
            district_performance: full,
            division_performance: full,
            club_performance: true,
        };
        let districts = collected
            .map(|d| (d.id.as_str(), files(d.role == Role::Full)))
            .collect();
        Metadata {
            date: &ctx.folder,
            timestamp: ctx.timestamp,
            program_year: ctx.py_label(),
            is_closing_period: ctx.closing,
            data_month: ctx.closing.then_some(ctx.data_month.as_str()),
            csv_files: CsvFiles {
                all_districts: true,
                districts,
            },
            source: "collector-http",
            cache_version: 1,
        }
    }
}
