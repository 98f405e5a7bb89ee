//! Issue 21, items 6 and 7: the export's pointer is always the last thing in place, and a
//! marker that is not our regular file never makes a folder an earlier export.

use super::run_limited;
use crate::support::{CLUB_HEADER, Fixture, club_row, csv, stderr};
use std::path::Path;
use std::time::Duration;

fn export(f: &Fixture, out: &Path, envs: &[(&str, &str)]) -> std::process::Output {
    let (site, out) = (f.site().display().to_string(), out.display().to_string());
    run_limited(
        &["export", "--site", &site, "--out", &out, "--layout", "cdn"],
        envs,
        Duration::from_secs(60),
    )
}

/// What the pointer names must be there whole: `current.json`'s snapshot folder holds
/// every file its manifest lists, with the listed hash; the forwarding page's too.
fn assert_pointer_complete(out: &Path, step: &str) -> Option<String> {
    let Ok(bytes) = std::fs::read(out.join("current.json")) else {
        return None;
    };
    let v: serde_json::Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{step}: current.json is torn: {e}"));
    let id = v["snapshot_id"].as_str().unwrap().to_string();
    let dir = out.join("snapshots").join(&id);
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("manifest.json"))
            .unwrap_or_else(|e| panic!("{step}: current.json names {id}, not there: {e}")),
    )
    .unwrap();
    for f in manifest["files"].as_array().unwrap() {
        let p = dir.join(f["path"].as_str().unwrap());
        let b =
            std::fs::read(&p).unwrap_or_else(|e| panic!("{step}: {} missing: {e}", p.display()));
        assert_eq!(
            toaststats::hash::sha256_hex(&b),
            f["sha256"].as_str().unwrap(),
            "{step}: {} incomplete",
            p.display()
        );
    }
    if let Ok(page) = std::fs::read_to_string(out.join("index.html")) {
        let named = page
            .split("url=")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert!(
            out.join(named).is_dir(),
            "{step}: index.html forwards to {named}, absent"
        );
    }
    Some(id)
}

fn copy(from: &Path, to: &Path) {
    if to.exists() {
        std::fs::remove_dir_all(to).unwrap();
    }
    let ok = std::process::Command::new("cp")
        .args(["-a", &from.display().to_string(), &to.display().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

#[test]
fn issue21_item6_cdn_pointer_never_names_a_missing_snapshot_at_any_rename() {
    let f = Fixture::new();
    f.valid();
    assert!(f.build(&[]).status.success());
    let earlier = f.dir.path().join("earlier");
    assert!(export(&f, &earlier, &[]).status.success());
    let old_id = assert_pointer_complete(&earlier, "first export").unwrap();
    // A second snapshot with other content: the export moves from old_id to new_id.
    let rel = "2026-04-20/district-61/club-performance.csv";
    let (a, b) = ("61000001", "61000002");
    let renamed = club_row("61", b).replace("Club 61000002", "Club Renamed");
    f.write(rel, csv(&[CLUB_HEADER, &club_row("61", a), &renamed]));
    let o = f.build(&["--snapshot-time", "2026-11-10T06:00:00Z"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = f.dir.path().join("out");
    let mut points = 0;
    for mode in ["kill", "error"] {
        let mut n = 1;
        loop {
            copy(&earlier, &out);
            let o = export(
                &f,
                &out,
                &[
                    ("TOASTSTATS_FAULT_AT", &n.to_string()),
                    ("TOASTSTATS_FAULT_MODE", mode),
                ],
            );
            let step = format!("{mode} at operation {n}");
            let pointed = assert_pointer_complete(&out, &step);
            if o.status.success() {
                break;
            }
            assert!(pointed.is_some(), "{step}: no pointer left at all");
            let again = export(&f, &out, &[]);
            assert!(
                again.status.success(),
                "{step}: the rerun failed: {}",
                stderr(&again)
            );
            let new_id = assert_pointer_complete(&out, &format!("rerun after {step}")).unwrap();
            assert_ne!(
                new_id, old_id,
                "{step}: the rerun did not export the new snapshot"
            );
            assert_eq!(
                std::fs::read_dir(out.join("snapshots")).unwrap().count(),
                1,
                "{step}: the old snapshot was not removed after the rerun"
            );
            n += 1;
            points += 1;
            assert!(n < 5000, "the export never finished");
        }
    }
    assert!(points > 20, "only {points} operations were tried");
}

#[test]
fn issue21_item7_export_marker_that_is_not_our_regular_file_deletes_nothing() {
    let f = Fixture::new();
    f.valid();
    assert!(f.build(&[]).status.success());
    // A real marker elsewhere, so a symlink to it has our content.
    let real = f.dir.path().join("real");
    assert!(export(&f, &real, &[]).status.success());
    let marker = ".toaststats-export";
    for plant in ["symlink", "folder", "foreign"] {
        let out = f.dir.path().join(format!("out-{plant}"));
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("precious.txt"), b"mine").unwrap();
        match plant {
            "symlink" => std::os::unix::fs::symlink(real.join(marker), out.join(marker)).unwrap(),
            "folder" => std::fs::create_dir(out.join(marker)).unwrap(),
            _ => std::fs::write(out.join(marker), b"I am not an export\n").unwrap(),
        }
        let o = export(&f, &out, &[]);
        assert_eq!(o.status.code(), Some(2), "{plant}: {}", stderr(&o));
        assert!(stderr(&o).contains(marker), "{plant}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("nothing was deleted"),
            "{plant}: {}",
            stderr(&o)
        );
        assert_eq!(
            std::fs::read(out.join("precious.txt")).unwrap(),
            b"mine",
            "{plant}"
        );
        assert!(
            std::fs::symlink_metadata(out.join(marker)).is_ok(),
            "{plant}"
        );
    }
}
