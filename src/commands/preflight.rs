//! Pre-flight of `build` (and of the admin refresh, which builds the same way): everything
//! about a command line that can be found wrong before the site is touched. Which cache is
//! used and why, whether it is synthetic, a `--date` the cache lacks, a `--templates`
//! folder that does not load, a sample build into a site of real snapshots or real data into
//! a sample site. Each is a usage error (exit 2) raised here, so no site folder is created
//! and no failed build is logged for a typo. Problems with the data itself stay the build's.

use super::report::usage;
use crate::build;
use crate::cache::facts::FileFacts;
use crate::cache::{layout, load};
use crate::fsx;
use crate::render::json::{CacheOrigin, Provenance};
use crate::sample;
use crate::store::{self, Site};
use anyhow::Result;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// The cache a build reads, and how it was chosen.
#[derive(Debug, Clone)]
pub struct CacheChoice {
    /// The folder holding `raw-csv/`.
    pub root: PathBuf,
    pub provenance: Provenance,
    /// One line for stderr: which cache, and why this one.
    pub why: String,
}

/// The folder the bundled sample was committed in; fixed when the tool was compiled.
fn bundled_sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample")
}

/// `--cache`, else `./cache` when it exists, else the bundled sample; each checked, with a
/// message telling a missing folder, an empty one, loose CSV files and a folder without
/// `raw-csv/` apart. A path to `raw-csv/` itself is taken to mean its parent.
pub fn resolve_cache(arg: Option<&Path>) -> Result<CacheChoice> {
    let (root, origin, mut why) = if let Some(given) = arg {
        let (root, note) = cache_root(given, "--cache")?;
        let why = format!("using cache {} (from --cache){note}", root.display());
        (root, CacheOrigin::CacheOption, why)
    } else if Path::new("cache").exists() {
        let (root, note) = cache_root(Path::new("cache"), "./cache (the default cache)")?;
        let why = format!("using cache ./cache (no --cache given, and ./cache exists){note}");
        (root, CacheOrigin::WorkingDirectory, why)
    } else {
        let root = bundled_sample();
        if !root.join("raw-csv").is_dir() {
            return Err(usage(format!(
                "no cache: pass --cache DIR (the folder holding raw-csv/), or create ./cache; the sample bundled at {} is not there (the tool was built on another machine). `toaststats sample --out cache` writes a synthetic one",
                root.display()
            )));
        }
        let why = format!(
            "using cache {}: the bundled SYNTHETIC sample, because no --cache was given and there is no ./cache here; pass --cache DIR to build TI's exports",
            root.display()
        );
        (root, CacheOrigin::BundledSample, why)
    };
    // The marker decides; the bundled sample is synthetic even if a checkout lost it.
    let synthetic = sample::is_synthetic(&root) || origin == CacheOrigin::BundledSample;
    if synthetic && origin != CacheOrigin::BundledSample {
        why.push_str(&format!(
            "; it is synthetic sample data (raw-csv/{} is present), so the site is labelled synthetic",
            sample::MARKER
        ));
    }
    Ok(CacheChoice {
        root,
        provenance: Provenance {
            synthetic,
            cache_origin: origin,
        },
        why,
    })
}

/// The cache root `path` names, plus a note for stderr when it was adjusted.
fn cache_root(path: &Path, given: &str) -> Result<(PathBuf, String)> {
    let shown = path.display();
    let layout_hint = "a cache is a folder holding raw-csv/YYYY-MM-DD/ folders of TI's exports (all-districts.csv, district-<id>/club-performance.csv)";
    if !path.exists() {
        return Err(usage(format!(
            "{given} {shown}: no such folder; {layout_hint}. Check the path, or write a synthetic cache with `toaststats sample --out {shown}`"
        )));
    }
    if !path.is_dir() {
        return Err(usage(format!(
            "{given} {shown} is a file, not a folder; {layout_hint}"
        )));
    }
    if path.join("raw-csv").is_dir() {
        return Ok((path.to_path_buf(), String::new()));
    }
    if path.file_name().is_some_and(|n| n == "raw-csv") {
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let note = format!("; {shown} is the raw-csv folder itself, so its parent is the cache");
        return Ok((parent, note));
    }
    let names: Vec<String> = fsx::read_dir_sorted(path)
        .map_err(|e| usage(format!("{given} {shown}: {e:#}")))?
        .iter()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    let listed = |names: &[&String]| {
        let mut text: Vec<&str> = names.iter().take(3).map(|s| s.as_str()).collect();
        if names.len() > 3 {
            text.push("…");
        }
        text.join(", ")
    };
    if names.is_empty() {
        return Err(usage(format!(
            "{given} {shown} is an empty folder; {layout_hint}. Put TI's exports there, or run `toaststats sample --out {shown}` for synthetic data"
        )));
    }
    let csvs: Vec<&String> = names
        .iter()
        .filter(|n| n.to_ascii_lowercase().ends_with(".csv"))
        .collect();
    if !csvs.is_empty() {
        return Err(usage(format!(
            "{given} {shown} holds CSV files directly ({}); {layout_hint}. Move them into {shown}/raw-csv/<collection date YYYY-MM-DD>/",
            listed(&csvs)
        )));
    }
    let dates: Vec<&String> = names
        .iter()
        .filter(|n| NaiveDate::parse_from_str(n, "%Y-%m-%d").is_ok())
        .collect();
    if !dates.is_empty() {
        return Err(usage(format!(
            "{given} {shown} holds date folders ({}) but no raw-csv/ folder; move them into {shown}/raw-csv/, or rename {shown} to raw-csv",
            listed(&dates)
        )));
    }
    let all: Vec<&String> = names.iter().collect();
    Err(usage(format!(
        "{given} {shown} has no raw-csv/ folder (it holds {}); {layout_hint}. Name the folder that holds raw-csv/",
        listed(&all)
    )))
}

/// A `--date` the cache has no folder for is a usage error. Only a readable cache is
/// judged: when the scan itself fails, the build reports that with file and line.
pub fn check_date(cache: &Path, date: Option<NaiveDate>, clock: NaiveDate) -> Result<()> {
    let Some(date) = date else {
        return Ok(());
    };
    let mut ignored = Vec::new();
    let Ok(folders) = layout::scan(cache, &mut ignored) else {
        return Ok(());
    };
    // A folder of that date that cannot be dated is the build's to report, with file and
    // line; only a date the cache has no folder for is a usage error.
    if folders.iter().any(|f| f.collection_date == date) {
        return Ok(());
    }
    let dated = folders
        .iter()
        .filter_map(|f| {
            crate::cache::dating::date_folder(f, clock, &FileFacts::transient())
                .ok()
                .flatten()
        })
        .collect();
    let dates = load::latest_per_data_date(dated);
    if dates.is_empty() {
        return Ok(());
    }
    build::choose_date(&dates, Some(date))
        .map(|_| ())
        .map_err(usage)
}

/// A `--templates` folder that is missing or whose templates do not compile.
pub fn check_templates(dir: Option<&Path>) -> Result<()> {
    let Some(dir) = dir else {
        return Ok(());
    };
    match crate::render::html::Templates::load(Some(dir)) {
        Ok(_) => Ok(()),
        Err(e) => {
            let message = format!("{e:#}");
            Err(usage(if message.starts_with("--templates") {
                message
            } else {
                format!("--templates {}: {message}", dir.display())
            }))
        }
    }
}

/// Refuses a synthetic build into a site holding real snapshots, and a real build into a
/// site holding synthetic ones: a sample must never pass for TI's data, nor be a rollback
/// target of a real site. A snapshot without the `synthetic` field predates the label and
/// counts as real.
pub fn check_site(site_root: &Path, provenance: Provenance, cache: &Path) -> Result<()> {
    let site = Site::new(site_root);
    if !site_root.join(store::MARKER).exists() {
        return Ok(()); // not a site yet; `prepare_for_writing` decides whether it may become one
    }
    let (mut real, mut synthetic, mut unlabelled) = (Vec::new(), Vec::new(), 0);
    for id in site.snapshot_ids().unwrap_or_default() {
        let Ok(bytes) = fsx::read(&site.snapshot(&id).join("snapshot.json")) else {
            continue; // a broken snapshot is for `snapshots verify` and `repair` to report
        };
        let meta: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        match meta["synthetic"].as_bool() {
            Some(true) => synthetic.push(id),
            Some(false) => real.push(id),
            None => {
                unlabelled += 1;
                real.push(id);
            }
        }
    }
    let site_shown = site_root.display();
    if provenance.synthetic
        && let Some(newest) = real.last()
    {
        let legacy = if unlabelled > 0 {
            format!(
                " ({unlabelled} of them from before snapshots were labelled synthetic, which count as real; if {site_shown} only ever held the sample, remove it and build again)"
            )
        } else {
            String::new()
        };
        return Err(usage(format!(
            "refusing to build the synthetic sample in {} into {site_shown}: that site holds {} snapshot(s) of real data (newest {newest}){legacy}. Build the sample into another folder (--site sample-site), or pass --cache DIR with TI's exports",
            cache.display(),
            real.len()
        )));
    }
    if !provenance.synthetic
        && let Some(newest) = synthetic.last()
    {
        return Err(usage(format!(
            "refusing to build real data from {} into {site_shown}: that site holds {} synthetic sample snapshot(s) (newest {newest}). Build into another folder (--site DIR), or remove {site_shown} if the sample site is no longer needed",
            cache.display(),
            synthetic.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(r: Result<(PathBuf, String)>) -> String {
        let e = r.expect_err("a usage error");
        assert!(
            e.downcast_ref::<super::super::report::UsageError>()
                .is_some()
        );
        format!("{e:#}")
    }

    #[test]
    fn cache_root_accepts_raw_csv_itself_and_names_date_folders_without_it() {
        let dir = tempfile::tempdir().unwrap();
        let raw = dir.path().join("raw-csv");
        fsx::create_dir_all(&raw.join("2026-04-20")).unwrap();
        let (root, note) = cache_root(&raw, "--cache").unwrap();
        assert_eq!(root, dir.path());
        assert!(note.contains("is the raw-csv folder itself"), "{note}");
        let (root, note) = cache_root(dir.path(), "--cache").unwrap();
        assert_eq!((root.as_path(), note.as_str()), (dir.path(), ""));

        let dated = dir.path().join("exports");
        fsx::create_dir_all(&dated.join("2026-04-20")).unwrap();
        let m = message(cache_root(&dated, "--cache"));
        assert!(
            m.contains("holds date folders (2026-04-20) but no raw-csv/ folder"),
            "{m}"
        );
        let file = dir.path().join("notes.txt");
        fsx::write(&file, b"x").unwrap();
        assert!(message(cache_root(&file, "--cache")).contains("is a file, not a folder"));
    }
}
