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
    /// What makes the folder unusable as found while listing it (a symlink out of the
    /// cache, a report that is not a file, two folders naming one district). Dating the
    /// folder reports these, so a bad old folder drops out of history and a bad presented
    /// one fails the build.
    pub problems: Vec<Diag>,
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

    /// The reports present, with their paths relative to the cache root.
    pub fn reports(&self) -> impl Iterator<Item = (Report, &PathBuf, String)> {
        [Report::Club, Report::District, Report::Division]
            .into_iter()
            .filter_map(|r| self.report_path(r).map(|p| (r, p, self.rel_path(r))))
    }
}

impl DateFolder {
    pub fn rel_path(&self, file: &str) -> String {
        format!("{}/{}", self.rel, file)
    }

    /// Every export file of the folder, summary first: (path, path relative to the cache).
    pub fn export_files(&self) -> Vec<(&PathBuf, String)> {
        let summary = self
            .summary
            .iter()
            .map(|p| (p, self.rel_path(Report::Summary.file_name())));
        let districts = self
            .districts
            .iter()
            .flat_map(|d| d.reports().map(|(_, p, rel)| (p, rel)));
        summary.chain(districts).collect()
    }
}

/// Lists the date folders of a cache, oldest first. Problems that make the whole cache
/// unreadable are errors; problems of one folder are kept in its [`DateFolder::problems`];
/// ignorable oddities (a legacy `district-As of 03` folder) are warnings.
pub fn scan(cache_root: &Path, warnings: &mut Vec<Diag>) -> Result<Vec<DateFolder>, Diag> {
    let raw = cache_root.join("raw-csv");
    if !raw.is_dir() {
        return Err(Diag::error(
            &cache_root.display().to_string(),
            "no raw-csv folder here; --cache must name the folder that holds raw-csv/",
        ));
    }
    // Everything read must resolve inside raw-csv/ (which may itself be a link the user
    // chose): a link leading elsewhere would publish files nobody put in the cache.
    let root = fsx::canonicalize(&raw).map_err(|e| Diag::error("raw-csv", format!("{e:#}")))?;
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
        dates.push(scan_date(collection_date, path, rel, &root, warnings));
    }
    Ok(dates)
}

/// What an entry of the cache is, after checking where a symlink leads.
enum Entry {
    Absent,
    File(PathBuf),
    Dir(PathBuf),
    /// Present but unusable: the reason, naming the entry.
    Refused(Diag),
}

fn inspect(path: PathBuf, rel: &str, root: &Path) -> Entry {
    let meta = match fsx::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) =>
        {
            return Entry::Absent;
        }
        Err(e) => return Entry::Refused(Diag::error(rel, format!("{e:#}"))),
    };
    if meta.file_type().is_symlink() {
        match fsx::canonicalize(&path) {
            Ok(target) if !target.starts_with(root) => {
                return Entry::Refused(Diag::error(
                    rel,
                    format!(
                        "symlink leads out of the cache (to {}); refused: copy the file into the cache instead",
                        target.display()
                    ),
                ));
            }
            Ok(_) => {}
            Err(_) => {
                return Entry::Refused(Diag::error(
                    rel,
                    "symlink leads nowhere (its target is missing); remove it or restore the target",
                ));
            }
        }
    }
    match fsx::metadata(&path) {
        Ok(m) if m.is_file() => Entry::File(path),
        Ok(m) if m.is_dir() => Entry::Dir(path),
        Ok(_) => Entry::Refused(Diag::error(
            rel,
            "is not a regular file (a device, pipe or socket); refused",
        )),
        Err(e) => Entry::Refused(Diag::error(rel, format!("{e:#}"))),
    }
}

/// An export file or `metadata.json` that must be a regular file when present.
fn expect_file(
    path: PathBuf,
    rel: String,
    root: &Path,
    problems: &mut Vec<Diag>,
) -> Option<PathBuf> {
    match inspect(path, &rel, root) {
        Entry::Absent => None,
        Entry::File(p) => Some(p),
        Entry::Dir(_) => {
            problems.push(Diag::error(
                &rel,
                "is a folder, not a file; a report must be the downloaded CSV file",
            ));
            None
        }
        Entry::Refused(d) => {
            problems.push(d);
            None
        }
    }
}

fn scan_date(
    collection_date: NaiveDate,
    dir: PathBuf,
    rel: String,
    root: &Path,
    warnings: &mut Vec<Diag>,
) -> DateFolder {
    let mut folder = DateFolder {
        collection_date,
        summary: None,
        metadata: None,
        dir: dir.clone(),
        rel: rel.clone(),
        districts: Vec::new(),
        problems: Vec::new(),
    };
    if let Entry::Refused(d) = inspect(dir.clone(), &rel, root) {
        folder.problems.push(d);
        return folder;
    }
    let entries = match fsx::read_dir_sorted(&dir) {
        Ok(e) => e,
        Err(e) => {
            folder.problems.push(Diag::error(&rel, format!("{e:#}")));
            return folder;
        }
    };
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(id) = name.strip_prefix("district-") else {
            continue;
        };
        let drel = format!("{rel}/{name}");
        let path = match inspect(entry.path(), &drel, root) {
            Entry::Dir(p) => p,
            Entry::Refused(d) => {
                folder.problems.push(d);
                continue;
            }
            Entry::Absent | Entry::File(_) => continue,
        };
        if !super::records::is_district_id(id) {
            warnings.push(Diag::warning(
                &drel,
                format!("\"{id}\" is not a district id (letters and digits only); folder ignored"),
            ));
            continue;
        }
        let mut report = |r: Report| {
            let file_rel = format!("{drel}/{}", r.file_name());
            expect_file(
                path.join(r.file_name()),
                file_rel,
                root,
                &mut folder.problems,
            )
        };
        let district = DistrictFolder {
            id: id.to_string(),
            club: report(Report::Club),
            district: report(Report::District),
            division: report(Report::Division),
            rel: drel,
        };
        folder.districts.push(district);
    }
    folder.summary = expect_file(
        dir.join(Report::Summary.file_name()),
        folder.rel_path(Report::Summary.file_name()),
        root,
        &mut folder.problems,
    );
    folder.metadata = expect_file(
        dir.join("metadata.json"),
        folder.rel_path("metadata.json"),
        root,
        &mut folder.problems,
    );
    folder
        .problems
        .extend(same_district_twice(&folder.districts));
    folder
}

/// `district-f` beside `district-F`, or `district-1` beside `district-01`: two folders for
/// one district would publish it twice (ids compare as [`crate::model::same_district`]).
fn same_district_twice(districts: &[DistrictFolder]) -> Vec<Diag> {
    let mut out = Vec::new();
    for (i, a) in districts.iter().enumerate() {
        for b in &districts[i + 1..] {
            if crate::model::same_district(&a.id, &b.id) {
                out.push(Diag::error(
                    &b.rel,
                    format!(
                        "names the same district as {}; keep one folder per district (TI writes the id as in its DISTRICT column)",
                        a.rel
                    ),
                ));
            }
        }
    }
    out
}
