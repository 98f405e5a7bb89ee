//! The committed sample cache date by date (issue 11): every data date builds with
//! `build --date D --no-publish`, and every date folder builds alone, superseded
//! closing-period downloads included. On each, our goal counts, levels and area/division
//! words agree with TI's, and the only warnings are the sample's intended ones (a
//! summary-only district, two districts with only their club report).

use crate::support::{self, Fixture};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn raw() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample/raw-csv")
}

/// The folder names of the committed sample, oldest first.
fn folders() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(raw())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

/// Builds `cache` (with `extra`) into a fresh site without publishing; returns the stored
/// snapshot's metadata after checking parity and warnings.
fn build_one(cache: &Path, extra: &[&str], what: &str) -> Value {
    let fx = Fixture::new();
    let (cache, site) = (cache.display().to_string(), fx.site().display().to_string());
    let mut args = vec!["build", "--cache", &cache, "--site", &site, "--no-publish"];
    args.extend_from_slice(extra);
    let out = support::run(&args);
    assert!(out.status.success(), "{what}: {}", support::stderr(&out));
    let snapshots: Vec<PathBuf> = std::fs::read_dir(fx.site().join("snapshots"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(snapshots.len(), 1, "{what}");
    let meta: Value =
        serde_json::from_slice(&std::fs::read(snapshots[0].join("snapshot.json")).unwrap())
            .unwrap();
    assert_eq!(meta["status"], "success", "{what}");
    assert_eq!(meta["errors"].as_array().unwrap().len(), 0, "{what}");
    let intended = [
        "is in the summary but has no files in this date folder",
        "not in the cache",
    ];
    for w in meta["warnings"].as_array().unwrap() {
        let message = w["message"].as_str().unwrap();
        assert!(
            intended.iter().any(|i| message.contains(i)),
            "{what}: unexpected warning {w}"
        );
    }
    let p = &meta["parity"];
    for (checked, agree) in [
        ("clubs_checked", "goals_agree"),
        ("levels_checked", "levels_agree"),
        ("areas_checked", "areas_agree"),
        ("divisions_checked", "divisions_agree"),
    ] {
        assert_eq!(p[checked], p[agree], "{what}: parity {p}");
    }
    assert!(p["clubs_checked"].as_u64().unwrap() > 150, "{what}: {p}");
    meta
}

#[test]
fn every_data_date_of_the_sample_builds_with_date() {
    let cache = raw().parent().unwrap().to_path_buf();
    let (mut dates, mut coded) = (0, 0);
    for folder in folders() {
        let summary = std::fs::read_to_string(raw().join(&folder).join("all-districts.csv"));
        let footer = summary.unwrap().lines().last().unwrap().to_string();
        let month = chrono::NaiveDate::parse_from_str(&folder, "%Y-%m-%d")
            .unwrap()
            .format("Month of %b,")
            .to_string();
        if !footer.starts_with(&month) {
            continue; // a closing-period download: its data date is the month end
        }
        let meta = build_one(&cache, &["--date", &folder], &folder);
        assert_eq!(meta["data_date"], folder.as_str());
        dates += 1;
        coded += usize::from(meta["parity"]["levels_checked"].as_u64().unwrap() > 0);
    }
    assert_eq!(
        dates, 21,
        "month ends of two years and the newest month's daily dates"
    );
    assert_eq!(coded, 3, "April, May and June 2026 carry TI's codes");
}

#[test]
fn every_date_folder_of_the_sample_builds_alone() {
    for folder in folders() {
        let fx = Fixture::new();
        let src = raw().join(&folder);
        copy_tree(&src, &fx.cache().join("raw-csv").join(&folder));
        let meta = build_one(&fx.cache(), &[], &folder);
        assert_eq!(meta["collection_date"], folder.as_str());
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}
