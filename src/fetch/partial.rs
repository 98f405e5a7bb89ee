//! The `.partial-<date>` protocol: files are downloaded into `raw-csv/.partial-<date>/`
//! (each written atomically, each recorded in an append-only state file once checked), and
//! only complete units move into `raw-csv/<date>/`: a new date folder by one rename, a
//! district added to an existing folder by one rename of its folder. `build` skips
//! dot-names, so it never sees a partial download; a killed fetch resumes from the state
//! file without asking TI again.

use super::metadata::metadata;
use crate::cache::eras::Report;
use crate::fsx;
use crate::hash::sha256_hex;
use anyhow::Result;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The three reports of a district, in the order they are fetched (DOMAIN.md §3.2).
pub const DISTRICT_REPORTS: [Report; 3] = [Report::Club, Report::Division, Report::District];

const STATE_FILE: &str = ".fetch-state.jsonl";
const METADATA: &str = "metadata.json";

/// What metadata.json records of one downloaded file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Path inside the date folder: `all-districts.csv`, `district-61/club-performance.csv`.
    pub path: String,
    pub url: String,
    pub status: u16,
    pub bytes: u64,
    pub sha256: String,
    pub as_of: NaiveDate,
    /// `YYYY-MM`.
    pub data_month: String,
    pub closing: bool,
    pub fetched_at: String,
}

/// The path of a report inside its date folder.
pub fn rel_in_date(report: Report, district: &str) -> String {
    match report {
        Report::Summary => report.file_name().to_string(),
        _ => format!("district-{district}/{}", report.file_name()),
    }
}

/// One date's final folder and its partial download.
pub struct DateDirs {
    pub date: NaiveDate,
    pub raw: PathBuf,
    pub final_dir: PathBuf,
    pub partial_dir: PathBuf,
    entries: Mutex<BTreeMap<String, FileEntry>>,
    /// Entries whose files an earlier, killed publish already moved into the date folder:
    /// merged into its metadata.json by the next publish.
    moved: BTreeMap<String, FileEntry>,
    /// `--force`: the date folder's contents count for nothing; it is replaced whole.
    force: bool,
}

/// Where a forced re-download sets the old date folder aside during its swap.
fn whole_aside(raw: &Path, date: NaiveDate) -> PathBuf {
    raw.join(format!(".replaced-whole-{date}"))
}

impl DateDirs {
    /// Opens the folders of `date` under `cache/raw-csv`, reading what an earlier
    /// (possibly killed) run left in the partial folder.
    pub fn open(cache: &Path, date: NaiveDate, force: bool) -> Result<DateDirs> {
        let raw = cache.join("raw-csv");
        let partial_dir = raw.join(format!(".partial-{date}"));
        let final_dir = raw.join(date.to_string());
        // Nothing fetch writes may follow a link out of the cache (issue 19).
        for p in [&raw, &partial_dir, &final_dir] {
            fsx::refuse_symlink(p)?;
        }
        // A forced swap killed between its two renames: the old folder goes back (the
        // partial download stays for the next run); killed after them: the old one goes.
        let aside_whole = whole_aside(&raw, date);
        if aside_whole.is_dir() {
            if final_dir.exists() {
                fsx::remove_dir_all(&aside_whole)?;
            } else {
                fsx::rename(&aside_whole, &final_dir)?;
            }
        }
        // A district folder set aside by a publish that was killed before removing it.
        let aside = format!(".replaced-{date}-");
        if raw.is_dir() {
            for e in fsx::read_dir_sorted(&raw)? {
                if e.file_name().to_string_lossy().starts_with(&aside) {
                    fsx::remove_dir_all(&e.path())?;
                }
            }
        }
        // A metadata.json rewrite killed before its rename leaves a temp file (a dot-name,
        // so `build` never reads it); the next run clears it.
        if final_dir.is_dir() {
            for e in fsx::read_dir_sorted(&final_dir)? {
                if e.file_name()
                    .to_string_lossy()
                    .starts_with(fsx::TEMP_PREFIX)
                {
                    fsx::remove_file(&e.path())?;
                }
            }
        }
        let (mut entries, mut moved) = (BTreeMap::new(), BTreeMap::new());
        if partial_dir.is_dir() {
            // An entry counts only while its file holds exactly the recorded bytes (a crash
            // of the machine, not just of the process, can leave a named file empty).
            let holds = |p: PathBuf, e: &FileEntry| {
                p.is_file() && fsx::read(&p).is_ok_and(|b| sha256_hex(&b) == e.sha256)
            };
            for e in read_entries(&partial_dir)? {
                if holds(partial_dir.join(&e.path), &e) {
                    entries.insert(e.path.clone(), e);
                } else if holds(final_dir.join(&e.path), &e) {
                    moved.insert(e.path.clone(), e);
                }
            }
        }
        Ok(DateDirs {
            date,
            final_dir,
            raw,
            partial_dir,
            entries: Mutex::new(entries),
            moved,
            force,
        })
    }

    /// The folder name relative to the cache root, for messages.
    pub fn rel(&self) -> String {
        format!("raw-csv/{}", self.date)
    }

    /// The file is already in the date folder: the summary, or a district's club report,
    /// which is what makes a district collected for `build` (DOMAIN.md §1.2).
    pub fn in_final(&self, report: Report, district: &str) -> bool {
        !self.force && self.final_dir.join(rel_in_date(report, district)).is_file()
    }

    pub fn district_in_final(&self, district: &str) -> bool {
        self.in_final(Report::Club, district)
    }

    /// The file was downloaded and checked by an earlier run into the partial folder.
    pub fn in_partial(&self, report: Report, district: &str) -> bool {
        self.lock().contains_key(&rel_in_date(report, district))
    }

    /// Where a stored file is (final folder first), for reading the summary back.
    pub fn stored_path(&self, report: Report, district: &str) -> Option<PathBuf> {
        let rel = rel_in_date(report, district);
        [&self.final_dir, &self.partial_dir]
            .into_iter()
            .map(|d| d.join(&rel))
            .find(|p| p.is_file())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, FileEntry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes a checked file into the partial folder and records it.
    pub fn store(&self, entry: FileEntry, bytes: &[u8]) -> Result<()> {
        let path = self.partial_dir.join(&entry.path);
        if let Some(parent) = path.parent() {
            fsx::create_dir_all(parent)?;
        }
        fsx::atomic_write(&path, bytes)?;
        let line = serde_json::to_string(&entry)?;
        let mut entries = self.lock();
        fsx::append_line(&self.partial_dir.join(STATE_FILE), &line)?;
        entries.insert(entry.path.clone(), entry);
        Ok(())
    }

    /// `--force`: when the summary and every district of `required` are complete, the
    /// partial folder replaces the date folder whole (old folder set aside, new one renamed
    /// in, old one removed; `open` finishes or undoes a swap a kill interrupted). Otherwise
    /// nothing moves and the partial download waits for the next forced run.
    pub fn publish_whole(&self, required: &[String]) -> Result<Published> {
        let entries = self.lock().clone();
        let has = |rel: &str| entries.contains_key(rel);
        let complete = |d: &String| DISTRICT_REPORTS.iter().all(|r| has(&rel_in_date(*r, d)));
        let summary = has(&rel_in_date(Report::Summary, ""));
        if !self.partial_dir.is_dir() || !summary || !required.iter().all(complete) {
            return Ok(Published::default());
        }
        let kept: BTreeMap<String, FileEntry> = entries
            .into_iter()
            .filter(|(rel, _)| {
                rel == Report::Summary.file_name()
                    || rel
                        .split_once('/')
                        .and_then(|(dir, _)| dir.strip_prefix("district-"))
                        .is_some_and(|d| required.iter().any(|r| r == d))
            })
            .collect();
        for entry in fsx::read_dir_sorted(&self.partial_dir)? {
            let name = entry.file_name().to_string_lossy().into_owned();
            let keep = name == Report::Summary.file_name()
                || name
                    .strip_prefix("district-")
                    .is_some_and(|d| required.iter().any(|r| r == d));
            if !keep {
                remove_entry(&entry.path())?;
            }
        }
        let meta = metadata(self.date, None, &kept)?;
        fsx::atomic_write(&self.partial_dir.join(METADATA), meta.as_bytes())?;
        sync_tree(&self.partial_dir)?;
        let aside = whole_aside(&self.raw, self.date);
        if self.final_dir.is_dir() {
            fsx::rename(&self.final_dir, &aside)?;
        }
        fsx::rename(&self.partial_dir, &self.final_dir)?;
        fsx::fsync_dir(&self.raw)?;
        if aside.is_dir() {
            fsx::remove_dir_all(&aside)?;
        }
        Ok(Published {
            summary: true,
            districts: required.to_vec(),
        })
    }

    /// Moves every complete unit of the partial folder into place and removes the partial
    /// folder. Returns the districts (and whether the summary) that moved.
    pub fn publish(&self) -> Result<Published> {
        let mut out = Published::default();
        if !self.partial_dir.is_dir() {
            return Ok(out);
        }
        let entries = self.lock().clone();
        let has = |rel: &str| entries.contains_key(rel);
        let complete: Vec<String> = districts_of(&entries)
            .into_iter()
            .filter(|d| DISTRICT_REPORTS.iter().all(|r| has(&rel_in_date(*r, d))))
            .collect();
        let summary = has(&rel_in_date(Report::Summary, ""));
        // Incomplete districts and temp files stay out of the date folder: they go.
        for entry in fsx::read_dir_sorted(&self.partial_dir)? {
            let name = entry.file_name().to_string_lossy().into_owned();
            let keep = name == STATE_FILE
                || name == METADATA
                || (name == Report::Summary.file_name() && summary)
                || name
                    .strip_prefix("district-")
                    .is_some_and(|d| complete.iter().any(|c| c == d));
            if !keep {
                remove_entry(&entry.path())?;
            } else if entry.path().is_dir() {
                // Inside a complete district only its three reports stay (a kill can leave
                // an atomic write's temp file behind).
                for inner in fsx::read_dir_sorted(&entry.path())? {
                    let file = inner.file_name();
                    if !DISTRICT_REPORTS
                        .iter()
                        .any(|r| file.as_os_str() == r.file_name())
                    {
                        remove_entry(&inner.path())?;
                    }
                }
            }
        }
        let kept: BTreeMap<String, FileEntry> = entries
            .into_iter()
            .filter(|(rel, _)| {
                (summary && rel == Report::Summary.file_name())
                    || rel
                        .split_once('/')
                        .and_then(|(dir, _)| dir.strip_prefix("district-"))
                        .is_some_and(|d| complete.iter().any(|c| c == d))
            })
            .collect();
        if self.final_dir.is_dir() {
            self.publish_into_existing(&kept, &complete, summary)?;
        } else if !kept.is_empty() {
            let meta = metadata(self.date, None, &kept)?;
            fsx::atomic_write(&self.partial_dir.join(METADATA), meta.as_bytes())?;
            fsx::remove_file_if_exists(&self.partial_dir.join(STATE_FILE))?;
            sync_tree(&self.partial_dir)?;
            fsx::rename(&self.partial_dir, &self.final_dir)?;
            fsx::fsync_dir(&self.raw)?;
        }
        if self.partial_dir.is_dir() {
            fsx::remove_dir_all(&self.partial_dir)?;
        }
        out.summary = summary;
        out.districts = complete;
        Ok(out)
    }

    /// Adds complete districts (and a missing summary) to a date folder that exists, one
    /// rename each, then rewrites its metadata.json with the new files merged in.
    fn publish_into_existing(
        &self,
        kept: &BTreeMap<String, FileEntry>,
        complete: &[String],
        summary: bool,
    ) -> Result<()> {
        for d in complete {
            let name = format!("district-{d}");
            let to = self.final_dir.join(&name);
            if to.exists() {
                // An incomplete district folder (no club report) is replaced as a whole.
                let aside = self.raw.join(format!(".replaced-{}-{name}", self.date)); // see `open`
                fsx::rename(&to, &aside)?;
                fsx::rename(&self.partial_dir.join(&name), &to)?;
                fsx::remove_dir_all(&aside)?;
            } else {
                fsx::rename(&self.partial_dir.join(&name), &to)?;
            }
        }
        let summary_name = Report::Summary.file_name();
        if summary && !self.final_dir.join(summary_name).exists() {
            fsx::rename(
                &self.partial_dir.join(summary_name),
                &self.final_dir.join(summary_name),
            )?;
        }
        fsx::fsync_dir(&self.final_dir)?;
        let existing = self.final_dir.join(METADATA);
        let old = if existing.is_file() {
            serde_json::from_slice::<Value>(&fsx::read(&existing)?).ok()
        } else {
            None
        };
        // Entries of files that are now in the folder with those very bytes (an earlier run
        // may have moved them and been killed before this rewrite).
        let present: BTreeMap<String, FileEntry> = kept
            .iter()
            .chain(&self.moved)
            .filter(|(rel, e)| {
                fsx::read(&self.final_dir.join(rel)).is_ok_and(|b| sha256_hex(&b) == e.sha256)
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if present.is_empty() {
            return Ok(());
        }
        let meta = metadata(self.date, old, &present)?;
        fsx::atomic_write(&existing, meta.as_bytes())
    }
}

fn remove_entry(p: &Path) -> Result<()> {
    if p.is_dir() {
        fsx::remove_dir_all(p)
    } else {
        fsx::remove_file(p)
    }
}

/// What a publish moved into the date folder.
#[derive(Debug, Default)]
pub struct Published {
    pub summary: bool,
    pub districts: Vec<String>,
}

fn read_entries(partial: &Path) -> Result<Vec<FileEntry>> {
    let mut out = Vec::new();
    let meta = partial.join(METADATA);
    if meta.is_file()
        && let Ok(v) = serde_json::from_slice::<Value>(&fsx::read(&meta)?)
        && let Some(files) = v.get("files").and_then(Value::as_object)
    {
        out.extend(
            files
                .values()
                .filter_map(|f| serde_json::from_value::<FileEntry>(f.clone()).ok()),
        );
    }
    let state = partial.join(STATE_FILE);
    if state.is_file() {
        // A kill can cut the last line short: such a line is ignored (its file is fetched again).
        let text = fsx::read_to_string(&state)?;
        out.extend(text.lines().filter_map(|l| serde_json::from_str(l).ok()));
    }
    Ok(out)
}

fn districts_of(entries: &BTreeMap<String, FileEntry>) -> Vec<String> {
    let mut ids: Vec<String> = entries
        .keys()
        .filter_map(|rel| rel.split_once('/'))
        .filter_map(|(dir, _)| dir.strip_prefix("district-"))
        .map(str::to_string)
        .collect();
    ids.dedup();
    ids
}

/// fsyncs every file and folder under `dir`, so the rename publishes durable content.
fn sync_tree(dir: &Path) -> Result<()> {
    for entry in fsx::read_dir_sorted(dir)? {
        let p = entry.path();
        if p.is_dir() {
            sync_tree(&p)?;
        } else {
            fsx::fsync_file(&p)?;
        }
    }
    fsx::fsync_dir(dir)
}

#[cfg(test)]
#[path = "partial_tests.rs"]
mod tests;
