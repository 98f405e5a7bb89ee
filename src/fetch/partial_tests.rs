//! Tests of the `.partial-<date>` protocol: complete units only, resume, merges into an
//! existing date folder, a killed publish finished by the next run.

use super::*;
use serde_json::json;

fn entry(path: &str, bytes: &[u8]) -> FileEntry {
    FileEntry {
        path: path.to_string(),
        url: format!("http://ti.test/{path}"),
        status: 200,
        bytes: bytes.len() as u64,
        sha256: crate::hash::sha256_hex(bytes),
        as_of: NaiveDate::from_ymd_opt(2026, 4, 5).unwrap(),
        data_month: "2026-03".into(),
        closing: true,
        fetched_at: "2026-04-06T06:00:00Z".into(),
    }
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 4, 5).unwrap()
}

fn store_district(dirs: &DateDirs, d: &str, reports: &[Report]) {
    for r in reports {
        let rel = rel_in_date(*r, d);
        dirs.store(entry(&rel, rel.as_bytes()), rel.as_bytes())
            .unwrap();
    }
}

#[test]
fn a_new_date_appears_whole_with_only_complete_districts() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = DateDirs::open(tmp.path(), date(), false).unwrap();
    dirs.store(entry("all-districts.csv", b"s"), b"s").unwrap();
    store_district(&dirs, "61", &DISTRICT_REPORTS);
    store_district(&dirs, "91", &[Report::Club]);
    // A temp file a killed write left behind does not travel into the date folder.
    std::fs::write(dirs.partial_dir.join("district-61/.tmp-1-x.csv"), b"t").unwrap();
    assert!(!dirs.final_dir.exists());
    let p = dirs.publish().unwrap();
    assert_eq!((p.summary, p.districts), (true, vec!["61".to_string()]));
    assert!(!dirs.partial_dir.exists());
    assert!(
        dirs.final_dir
            .join("district-61/division-performance.csv")
            .is_file()
    );
    assert!(!dirs.final_dir.join("district-91").exists());
    assert_eq!(
        std::fs::read_dir(dirs.final_dir.join("district-61"))
            .unwrap()
            .count(),
        3
    );
    assert!(!dirs.final_dir.join(STATE_FILE).exists());
    let meta: Value =
        serde_json::from_slice(&std::fs::read(dirs.final_dir.join(METADATA)).unwrap()).unwrap();
    assert_eq!(meta["isClosingPeriod"], json!(true));
    assert_eq!(meta["dataMonth"], json!("2026-03"));
    assert_eq!(meta["programYear"], json!("2025-2026"));
    assert_eq!(
        meta["csvFiles"]["districts"]["61"]["clubPerformance"],
        json!(true)
    );
    assert_eq!(meta["files"].as_object().unwrap().len(), 4);
}

#[test]
fn a_reopened_partial_remembers_checked_files_but_not_damaged_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = DateDirs::open(tmp.path(), date(), false).unwrap();
    store_district(&dirs, "61", &[Report::Club, Report::Division]);
    // A file whose bytes no longer match its entry (same size, other bytes) is fetched
    // again.
    let rel = "district-61/division-performance.csv";
    std::fs::write(dirs.partial_dir.join(rel), vec![b'x'; rel.len()]).unwrap();
    // A state line cut by a kill is ignored.
    fsx::append_line(&dirs.partial_dir.join(STATE_FILE), "{\"path\":\"dist").unwrap();
    let again = DateDirs::open(tmp.path(), date(), false).unwrap();
    assert!(again.in_partial(Report::Club, "61"));
    assert!(!again.in_partial(Report::Division, "61"));
}

#[test]
fn districts_join_an_existing_folder_and_metadata_is_merged() {
    let tmp = tempfile::tempdir().unwrap();
    let first = DateDirs::open(tmp.path(), date(), false).unwrap();
    first.store(entry("all-districts.csv", b"s"), b"s").unwrap();
    store_district(&first, "61", &DISTRICT_REPORTS);
    first.publish().unwrap();
    let meta_path = first.final_dir.join(METADATA);
    // A foreign field survives the merge.
    let mut v: Value = serde_json::from_slice(&std::fs::read(&meta_path).unwrap()).unwrap();
    v["timestamp"] = json!(1);
    std::fs::write(&meta_path, serde_json::to_vec(&v).unwrap()).unwrap();
    // A hand-made district folder without its club report is replaced whole.
    std::fs::create_dir_all(first.final_dir.join("district-91")).unwrap();
    std::fs::write(first.final_dir.join("district-91/junk.csv"), b"j").unwrap();

    let second = DateDirs::open(tmp.path(), date(), false).unwrap();
    assert!(second.district_in_final("61"));
    assert!(!second.district_in_final("91"));
    store_district(&second, "91", &DISTRICT_REPORTS);
    second.publish().unwrap();
    assert!(!second.partial_dir.exists());
    assert!(!second.final_dir.join("district-91/junk.csv").exists());
    assert!(second.district_in_final("91"));
    let v: Value = serde_json::from_slice(&std::fs::read(&meta_path).unwrap()).unwrap();
    assert_eq!(v["timestamp"], json!(1));
    assert_eq!(v["files"].as_object().unwrap().len(), 7);
    assert_eq!(
        v["csvFiles"]["districts"]["91"]["districtPerformance"],
        json!(true)
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path().join("raw-csv"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, [std::ffi::OsString::from("2026-04-05")]);
}
