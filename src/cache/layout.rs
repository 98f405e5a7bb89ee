//! The folder layout of a cache (DOMAIN.md §1): `raw-csv/<date>/all-districts.csv`,
//! `metadata.json` and `district-<id>/<report>.csv`. Scanning only lists what is there;
//! nothing is parsed here.

use super::eras::Report;
use crate::diag::Diag;
use crate::fsx;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// One collection folder `raw-csv/<date>/`.
#[derive(Debug, Clone)]
pub struct DateFolder {
    pub collection_date: NaiveDate,
    pub dir: PathBuf,
    /// `raw-csv/<date>`, relative to the cache root.
    pub rel: String,
    pub summary: Option<PathBuf>,
    pub metadata: Option<PathBuf>,
    pub districts: Vec<DistrictFolder>,
}

/// One `district-<id>/` folder and which of its three reports exist.
#[derive(Debug, Clone)]
pub struct DistrictFolder {
    pub id: String,
    pub rel: String,
    pub club: Option<PathBuf>,
    pub district: Option<PathBuf>,
    pub division: Option<PathBuf>,
}

impl DistrictFolder {
    pub fn report_path(&self, report: Report) -> Option<&PathBuf> {
        match report {
            Report::Club => self.club.as_ref(),
            Report::District => self.district.as_ref(),
            Report::Division => self.division.as_ref(),
            Report::Summary => None,
        }
    }

    pub fn rel_path(&self, report: Report) -> String {
        format!("{}/{}", self.rel, report.file_name())
    }
}

impl DateFolder {
    pub fn rel_path(&self, file: &str) -> String {
        format!("{}/{}", self.rel, file)
    }
}

/// Lists the date folders of a cache, oldest first. Problems that make a folder unusable
/// are errors; ignorable oddities (a legacy `district-As of 03` folder) are warnings.
pub fn scan(cache_root: &Path, warnings: &mut Vec<Diag>) -> Result<Vec<DateFolder>, Diag> {
    let raw = cache_root.join("raw-csv");
    if !raw.is_dir() {
        return Err(Diag::error(
            &cache_root.display().to_string(),
            "no raw-csv folder here; --cache must name the folder that holds raw-csv/",
        ));
    }
    let entries =
        fsx::read_dir_sorted(&raw).map_err(|e| Diag::error("raw-csv", format!("{e:#}")))?;
    let mut dates = Vec::new();
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with('.') || !path.is_dir() {
            continue; // dotfiles, README files and the like
        }
        let rel = format!("raw-csv/{name}");
        let Ok(collection_date) = NaiveDate::parse_from_str(&name, "%Y-%m-%d") else {
            return Err(Diag::error(
                &rel,
                format!(
                    "folder name \"{name}\" is not a date; expected raw-csv/YYYY-MM-DD/ (rename or remove it)"
                ),
            ));
        };
        if name.len() != 10 {
            return Err(Diag::error(
                &rel,
                format!("folder name \"{name}\" is not a YYYY-MM-DD date"),
            ));
        }
        dates.push(scan_date(collection_date, path, rel, warnings)?);
    }
    Ok(dates)
}

fn scan_date(
    collection_date: NaiveDate,
    dir: PathBuf,
    rel: String,
    warnings: &mut Vec<Diag>,
) -> Result<DateFolder, Diag> {
    let existing = |p: PathBuf| p.is_file().then_some(p);
    let mut districts = Vec::new();
    let entries = fsx::read_dir_sorted(&dir).map_err(|e| Diag::error(&rel, format!("{e:#}")))?;
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let Some(id) = name.strip_prefix("district-") else {
            continue;
        };
        if !path.is_dir() {
            continue;
        }
        let drel = format!("{rel}/{name}");
        if !super::records::is_district_id(id) {
            warnings.push(Diag::warning(
                &drel,
                format!("\"{id}\" is not a district id (letters and digits only); folder ignored"),
            ));
            continue;
        }
        districts.push(DistrictFolder {
            id: id.to_string(),
            club: existing(path.join(Report::Club.file_name())),
            district: existing(path.join(Report::District.file_name())),
            division: existing(path.join(Report::Division.file_name())),
            rel: drel,
        });
    }
    Ok(DateFolder {
        collection_date,
        summary: existing(dir.join(Report::Summary.file_name())),
        metadata: existing(dir.join("metadata.json")),
        dir,
        rel,
        districts,
    })
}
