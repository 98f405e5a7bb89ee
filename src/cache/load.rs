//! Loading a cache: one dated folder per data date (dating itself is
//! [`super::dating`]), and the full parse of the presented date's files, districts in
//! parallel, with the checks that span districts.

use super::eras::Report;
use super::footer::DataPeriod;
use super::layout::{DateFolder, DistrictFolder};
use super::records::{self, DivisionRow, PaymentRow};
use super::table::{InputFile, Table};
use crate::diag::Diag;
use crate::fsx;
use crate::model::{Club, SummaryRow, club_key};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// A date folder with the period its data describes.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DatedFolder {
    pub collection_date: NaiveDate,
    #[serde(flatten)]
    pub period: DataPeriod,
    /// TI's as-of stamp from the footer, when there is one.
    pub as_of_date: Option<NaiveDate>,
    #[serde(skip)]
    pub folder: DateFolder,
}

/// One dated folder per data date, newer collection winning (DOMAIN.md §3.5), oldest first.
/// Winning is per district: a district that the newest collection of a data date lacks is
/// taken from its own newest collection of that date (issue 21 item 4), so a month-end
/// point never vanishes because a later closing-period download missed a district.
pub fn latest_per_data_date(mut folders: Vec<DatedFolder>) -> Vec<DatedFolder> {
    folders.sort_by_key(|f| (f.period.data_date, f.collection_date));
    let mut out: Vec<DatedFolder> = Vec::new();
    for f in folders {
        match out.last_mut() {
            Some(last) if last.period.data_date == f.period.data_date => {
                let older = std::mem::replace(last, f);
                let before = last.folder.districts.len();
                for d in older.folder.districts {
                    let has = |x: &crate::cache::layout::DistrictFolder| {
                        crate::model::same_district(&x.id, &d.id)
                    };
                    if !last.folder.districts.iter().any(has) {
                        last.folder.districts.push(d);
                    }
                }
                if last.folder.districts.len() != before {
                    last.folder
                        .districts
                        .sort_by_key(|d| crate::model::district_sort_key(&d.id));
                }
            }
            _ => out.push(f),
        }
    }
    out
}

/// The parsed records of one district, before validation.
#[derive(Debug)]
pub struct DistrictRecords {
    pub id: String,
    pub club_path: String,
    pub clubs: Vec<Club>,
    pub payments: Option<(String, Vec<PaymentRow>)>,
    pub divisions: Option<(String, Vec<DivisionRow>)>,
    /// TI's as-of stamp in the club report's footer: district files of one folder can come
    /// from different downloads (archived exports carry their download date).
    pub as_of_date: Option<NaiveDate>,
}

/// The outcome of loading one district folder.
#[derive(Debug)]
pub struct DistrictLoad {
    pub id: String,
    pub result: Result<DistrictRecords, Vec<Diag>>,
    pub warnings: Vec<Diag>,
    pub inputs: Vec<InputFile>,
}

/// Everything read for the presented date.
#[derive(Debug)]
pub struct LoadedDate {
    pub dated: DatedFolder,
    /// `None` when the cache has no summary for this date.
    pub summary: Option<Result<Vec<SummaryRow>, Vec<Diag>>>,
    pub districts: Vec<DistrictLoad>,
    pub inputs: Vec<InputFile>,
    pub warnings: Vec<Diag>,
}

/// Parses every file of the chosen date folder.
pub fn load_date(dated: DatedFolder) -> LoadedDate {
    let folder = &dated.folder;
    let mut warnings = Vec::new();
    let mut inputs = Vec::new();
    let summary = folder.summary.as_ref().map(|path| {
        let rel = folder.rel_path(Report::Summary.file_name());
        let table = read_table(
            path,
            Report::Summary,
            &rel,
            None,
            dated.period.data_date,
            &mut warnings,
        )
        .map_err(|e| vec![e])?;
        inputs.push(table.input_file());
        records::summary(&table, &mut warnings)
    });
    if let Some(meta) = &folder.metadata {
        let rel = folder.rel_path("metadata.json");
        warnings.extend(super::metadata::cross_check(meta, &rel, &dated));
        if let Ok(bytes) = fsx::read(meta) {
            inputs.push(InputFile {
                path: rel,
                bytes: bytes.len() as u64,
                sha256: crate::hash::sha256_hex(&bytes),
                format: None,
            });
        }
    }
    let mut districts: Vec<DistrictLoad> = folder
        .districts
        .par_iter()
        .map(|d| load_district(d, &dated))
        .collect();
    clubs_in_two_districts(&mut districts);
    LoadedDate {
        summary,
        districts,
        inputs,
        warnings,
        dated,
    }
}

fn load_district(folder: &DistrictFolder, dated: &DatedFolder) -> DistrictLoad {
    let mut warnings = Vec::new();
    let mut inputs = Vec::new();
    let result = (|| {
        let club_rel = folder.rel_path(Report::Club);
        if folder.club.is_none() {
            return Err(vec![Diag::error(
                &club_rel,
                "club-performance.csv is missing; a district folder needs at least its club report",
            )]);
        }
        let mut errors = Vec::new();
        // A summary's as-of stamp is the folder's; without one, each district's files are
        // compared only with each other (archived downloads carry their own dates).
        let summary_as_of = dated.folder.summary.as_ref().and(dated.as_of_date);
        let mut read = |report: Report,
                        expected_as_of: Option<NaiveDate>,
                        warnings: &mut Vec<Diag>|
         -> Option<Table> {
            let path = folder.report_path(report)?;
            let rel = folder.rel_path(report);
            match read_table(
                path,
                report,
                &rel,
                expected_as_of,
                dated.period.data_date,
                warnings,
            ) {
                Ok(t) => {
                    inputs.push(t.input_file());
                    Some(t)
                }
                Err(e) => {
                    errors.push(e);
                    None
                }
            }
        };
        let club_table = read(Report::Club, summary_as_of, &mut warnings);
        let as_of_date = club_table
            .as_ref()
            .and_then(|t| t.footer)
            .map(|(_, f)| f.as_of);
        let district_table = read(Report::District, as_of_date, &mut warnings);
        let division_table = read(Report::Division, as_of_date, &mut warnings);
        let clubs = club_table
            .as_ref()
            .map(|t| records::clubs(t, &folder.id, &mut warnings));
        let payments = district_table
            .as_ref()
            .map(|t| records::payments(t, &mut warnings).map(|r| (t.path.clone(), r)));
        let divisions = division_table
            .as_ref()
            .map(|t| records::divisions(t, &mut warnings).map(|r| (t.path.clone(), r)));
        let clubs = take(clubs, &mut errors);
        let payments = take(payments, &mut errors);
        let divisions = take(divisions, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        for (report, present) in [
            (Report::District, payments.is_some()),
            (Report::Division, divisions.is_some()),
        ] {
            if !present {
                let what = match report {
                    Report::District => "payments (and renewal counts, charter dates) are unknown",
                    _ => "club visits and TI's area/division recognition are unknown",
                };
                warnings.push(Diag::warning(
                    &folder.rel_path(report),
                    format!(
                        "{} not in the cache: {what} for this district",
                        report.file_name()
                    ),
                ));
            }
        }
        Ok(DistrictRecords {
            id: folder.id.clone(),
            club_path: club_rel,
            clubs: clubs.unwrap_or_default(),
            payments,
            divisions,
            as_of_date,
        })
    })();
    let result = result.map_err(|errs| tag(errs, &folder.id));
    DistrictLoad {
        id: folder.id.clone(),
        result,
        warnings: tag(warnings, &folder.id),
        inputs,
    }
}

/// The value of a parsed report, moving its errors into `errors`.
fn take<T>(parsed: Option<Result<T, Vec<Diag>>>, errors: &mut Vec<Diag>) -> Option<T> {
    match parsed? {
        Ok(v) => Some(v),
        Err(e) => {
            errors.extend(e);
            None
        }
    }
}

fn tag(diags: Vec<Diag>, district: &str) -> Vec<Diag> {
    diags
        .into_iter()
        .map(|d| d.for_district(district))
        .collect()
}

/// Reads and parses one file, checking its footer's as-of stamp, when given, against the
/// files it belongs with.
fn read_table(
    path: &Path,
    report: Report,
    rel: &str,
    expected_as_of: Option<NaiveDate>,
    data_date: NaiveDate,
    warnings: &mut Vec<Diag>,
) -> Result<Table, Diag> {
    let bytes = fsx::read(path).map_err(|e| Diag::error(rel, format!("{e:#}")))?;
    let table = Table::parse(report, rel, &bytes, warnings)?;
    warnings.extend(era_mismatch(&table, data_date));
    // The data month of every footer was checked when the folder was dated.
    if let Some((line, f)) = table.footer
        && let Some(expected) = expected_as_of.filter(|a| *a != f.as_of)
    {
        warnings.push(
            Diag::warning(
                rel,
                format!(
                    "footer as-of date {} differs from {expected} of the files it belongs with: they come from different downloads",
                    f.as_of
                ),
            )
            .at_line(line),
        );
    }
    Ok(table)
}

/// A header of another program year's layout than the data's (issue 21 item 5): a 2025-26
/// header in a 2026-27 folder is a download of the wrong year or a layout TI changed. The
/// columns are still read by name, so this is a warning naming both layouts.
fn era_mismatch(table: &Table, data_date: NaiveDate) -> Option<Diag> {
    let found = table.era?;
    let py = super::footer::program_year_start(data_date);
    let expected = super::eras::canonical_headers(table.report, py);
    (found != expected.name).then(|| {
        Diag::warning(
            &table.path,
            format!(
                "the header is TI's {found} layout, but the data is of program year {py}-{}, whose layout is {}: check that the file belongs to this date (its columns are read by name)",
                py + 1,
                expected.name
            ),
        )
        .at_line(1)
    })
}

/// A club belongs to one district on one date: a club number (compared by value, as the
/// reports are joined) in the club reports of two districts fails both, each error naming
/// the other file and line.
fn clubs_in_two_districts(districts: &mut [DistrictLoad]) {
    let mut first_seen: HashMap<String, (usize, String, u64)> = HashMap::new();
    let mut found: Vec<(usize, Diag)> = Vec::new();
    for (i, d) in districts.iter().enumerate() {
        let Ok(records) = &d.result else { continue };
        for club in &records.clubs {
            let key = club_key(&club.club_number).to_string();
            match first_seen.get(&key) {
                None => {
                    first_seen.insert(key, (i, records.club_path.clone(), club.line));
                }
                Some((j, path, line)) if *j != i => {
                    let (j, path, line) = (*j, path.clone(), *line);
                    let message = |other: &str, other_line: u64| {
                        format!(
                            "club {} is also in {other}:{other_line}; a club belongs to one district on one date",
                            club.club_number
                        )
                    };
                    found.push((
                        i,
                        Diag::error(&records.club_path, message(&path, line)).at_line(club.line),
                    ));
                    found.push((
                        j,
                        Diag::error(&path, message(&records.club_path, club.line)).at_line(line),
                    ));
                }
                Some(_) => {} // a duplicate within one file is validate's to report
            }
        }
    }
    let mut by_district: BTreeMap<usize, Vec<Diag>> = BTreeMap::new();
    for (i, d) in found {
        by_district.entry(i).or_default().push(d);
    }
    for (i, errors) in by_district {
        let d = &mut districts[i];
        d.result = Err(tag(errors, &d.id));
    }
}
