//! Computing one date: validate every district of a loaded date folder, join its reports,
//! sum its figures, apply the recognition rules and rank the summary. Every date of a
//! build, presented or history, goes through [`date`]: a history point for date D is by
//! construction what `build --date D` presents.

use crate::cache::footer;
use crate::cache::load::{DatedFolder, LoadedDate};
use crate::cache::table::InputFile;
use crate::diag::Diag;
use crate::model::SummaryRow;
use crate::rank::Ranking;
use crate::stats::DistrictStats;
use crate::validate::District;
use crate::{rank, recognition, stats, validate};
use rayon::prelude::*;

/// A district that passed validation, with its computed figures and its warnings.
#[derive(Debug)]
pub struct BuiltDistrict {
    pub district: District,
    pub stats: DistrictStats,
    pub warnings: Vec<Diag>,
    /// Recognition of the district, its units and clubs (club-level parts are on the clubs).
    pub recognition: crate::recognition::assess::DistrictReport,
    /// Set when the district is shown at an older date than the snapshot's (its newest).
    pub stale: Option<StaleSource>,
}

/// The older date a district is shown at when the presented date folder lacks it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StaleSource {
    pub data_date: chrono::NaiveDate,
    pub collection_date: chrono::NaiveDate,
    pub as_of_date: Option<chrono::NaiveDate>,
    pub closing: bool,
    pub program_year: String,
    /// The presented date's summary no longer lists the district (e.g. after a
    /// realignment): listed apart, outside the current lists. Never set without a summary.
    pub former: bool,
    /// The input files of that older date (the API files' provenance names them).
    #[serde(skip)]
    pub inputs: Vec<crate::cache::table::InputFile>,
}

/// Everything computed for one data date.
#[derive(Debug)]
pub struct DateModel {
    pub dated: DatedFolder,
    pub program_year: String,
    pub summary: Option<Vec<SummaryRow>>,
    /// The ranking, or why it is unavailable.
    pub rankings: Result<Vec<Ranking>, String>,
    pub districts: Vec<BuiltDistrict>,
    /// Districts whose files were present but invalid, with their errors.
    pub failed: Vec<(String, Vec<Diag>)>,
    /// Warnings not tied to one built district.
    pub warnings: Vec<Diag>,
    pub inputs: Vec<InputFile>,
}

/// Why a date cannot be computed at all: a message, its errors and the warnings so far.
pub type DateFailure = (String, Vec<Diag>, Vec<Diag>);

/// Validates and computes a loaded date. Only a bad summary fails the whole date; a bad
/// district is listed in `failed` with its errors.
pub fn date(loaded: LoadedDate) -> Result<DateModel, DateFailure> {
    let mut warnings = loaded.warnings;
    let mut inputs = loaded.inputs;
    for d in &loaded.districts {
        inputs.extend(d.inputs.iter().cloned());
    }
    let dated = loaded.dated;
    let summary_path = dated.folder.rel_path("all-districts.csv");
    let summary = match loaded.summary {
        None => None,
        Some(result) => {
            let rows = result.map_err(|errors| summary_failure(errors, &warnings))?;
            let (errors, warns) =
                crate::diag::partition(validate::check_summary(&summary_path, &rows));
            if !errors.is_empty() {
                return Err(summary_failure(errors, &warnings));
            }
            warnings.extend(warns);
            Some(rows)
        }
    };
    let data_date = dated.period.data_date;
    let ctx = recognition::club::Context::new(data_date);
    let results: Vec<Result<BuiltDistrict, (String, Vec<Diag>)>> = loaded
        .districts
        .into_par_iter()
        .map(|d| {
            let records = d.result.map_err(|e| (d.id.clone(), e))?;
            let (errors, warns) =
                crate::diag::partition(validate::check_district(&records, data_date));
            if !errors.is_empty() {
                return Err((d.id.clone(), errors));
            }
            let mut district_warnings = d.warnings;
            district_warnings.extend(warns);
            let club_path = records.club_path.clone();
            let mut district = validate::join(records);
            let mut stats = stats::district_stats(&district);
            let row = summary.as_ref().and_then(|rows| {
                rows.iter()
                    .find(|r| crate::model::same_district(&r.district_id, &district.id))
            });
            let (recognition, parity_warnings) =
                recognition::assess::district(&mut district, &mut stats, row, &ctx, &club_path);
            district_warnings.extend(parity_warnings);
            Ok(BuiltDistrict {
                stats,
                district,
                warnings: district_warnings,
                recognition,
                stale: None,
            })
        })
        .collect();
    let (mut districts, mut failed) = (Vec::new(), Vec::new());
    for r in results {
        match r {
            Ok(b) => districts.push(b),
            Err(f) => failed.push(f),
        }
    }
    let rankings = match &summary {
        Some(rows) => {
            let collected: Vec<&str> = dated
                .folder
                .districts
                .iter()
                .map(|d| d.id.as_str())
                .collect();
            for r in rows
                .iter()
                .filter(|r| !collected.contains(&r.district_id.as_str()))
            {
                warnings.push(Diag::warning(&summary_path, format!("district {} is in the summary but has no files in this date folder: ranked; its page shows the summary figures only", r.district_id)).at_line(r.line).for_district(&r.district_id));
            }
            let built: Vec<_> = districts.iter().map(|b| &b.district).collect();
            warnings.extend(validate::check_summary_against_districts(
                &summary_path,
                rows,
                &built,
            ));
            Ok(rank::rank(rows))
        }
        None => Err(format!(
            "rankings are unavailable: the cache has no all-districts.csv for {} (download TI's district summary to rank all districts)",
            dated.collection_date
        )),
    };
    warnings.sort();
    warnings.dedup();
    Ok(DateModel {
        program_year: footer::program_year(dated.period.data_date),
        dated,
        summary,
        rankings,
        districts,
        failed,
        warnings,
        inputs,
    })
}

fn summary_failure(errors: Vec<Diag>, warnings: &[Diag]) -> DateFailure {
    (
        "the all-districts summary is invalid, so no snapshot can be ranked".into(),
        errors,
        warnings.to_vec(),
    )
}
