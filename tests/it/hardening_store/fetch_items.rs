//! Issue 21, items 8 and 9: fetch never follows a link planted among its files, and a
//! usage error of any command is found before anything is written.

use super::run_limited;
use crate::support::stderr;
use crate::ti_model::{TiModel, make_cache};
use std::path::Path;
use std::time::Duration;

fn fetch(cache: &Path, base: &str, id: &str) -> std::process::Output {
    let cache = cache.display().to_string();
    run_limited(
        &[
            "fetch",
            "--cache",
            &cache,
            "--base-url",
            base,
            "--rate",
            "0",
            "--backoff-ms",
            "20",
            "--retries",
            "1",
            "--patience",
            "1",
            "--districts",
            id,
        ],
        &[],
        Duration::from_secs(120),
    )
}

#[test]
fn issue21_item8_fetch_files_symlinked_out_of_the_cache_are_refused_naming_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    let src = make_cache(&tmp.path().join("ti"));
    let ti = TiModel::start(&src);
    ti.set_today(chrono::NaiveDate::from_ymd_opt(2026, 11, 6).unwrap());
    let id = crate::fetch::full_districts(&src.join("raw-csv/2026-11-08"))[0].clone();
    // (name under the cache, whether the link's target is a folder)
    let plants = [
        (".fetch.lock", false),
        ("fetch-log.jsonl", false),
        ("raw-csv/.partial-2026-11-05", true),
        ("raw-csv/2026-11-05", true),
        ("raw-csv/.fetch-gaps.json", false),
        ("raw-csv", true),
    ];
    for (i, (name, is_dir)) in plants.iter().enumerate() {
        let cache = tmp.path().join(format!("cache-{i}"));
        std::fs::create_dir_all(&cache).unwrap();
        if *name != "raw-csv" {
            std::fs::create_dir_all(cache.join("raw-csv")).unwrap();
        }
        let outside = tmp.path().join(format!("outside-{i}"));
        if *is_dir {
            std::fs::create_dir(&outside).unwrap();
        } else {
            std::fs::write(&outside, "keep\n").unwrap();
        }
        let link = cache.join(name);
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        let o = fetch(&cache, &ti.base, &id);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&link.display().to_string()),
            "{name}: the refusal does not name {}: {}",
            link.display(),
            stderr(&o)
        );
        if *is_dir {
            assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0, "{name}");
        } else {
            assert_eq!(
                std::fs::read_to_string(&outside).unwrap(),
                "keep\n",
                "{name}"
            );
        }
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "{name}: the link was replaced"
        );
    }
    // A cache root that is itself a link: refused, nothing written through it.
    let real = tmp.path().join("real-cache");
    std::fs::create_dir(&real).unwrap();
    let linked = tmp.path().join("linked-cache");
    std::os::unix::fs::symlink(&real, &linked).unwrap();
    let o = fetch(&linked, &ti.base, &id);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("linked-cache"), "{}", stderr(&o));
    assert_eq!(std::fs::read_dir(&real).unwrap().count(), 0);
}

#[test]
fn issue21_item9_usage_errors_exit_2_before_anything_is_written_for_every_flag() {
    let nl = "bad\nname";
    let url_nl = "https://example.org\n";
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("--config", vec!["status", "--config", nl]),
        ("--cache", vec!["build", "--cache", nl]),
        ("--site", vec!["build", "--site", nl]),
        ("--templates", vec!["build", "--templates", nl]),
        ("--site-url", vec!["build", "--site-url", url_nl]),
        (
            "--site-url",
            vec!["build", "--site-url", "https://exa mple.org"],
        ),
        ("--date", vec!["build", "--date", "06/09/2026"]),
        (
            "--snapshot-time",
            vec!["build", "--snapshot-time", "yesterday"],
        ),
        (
            "--max-failed-share",
            vec!["build", "--max-failed-share", "lots"],
        ),
        ("--wait", vec!["build", "--wait=-3"]),
        ("--out", vec!["sample", "--out", nl]),
        (
            "--districts",
            vec!["sample", "--out", "s", "--districts", "many"],
        ),
        ("--seed", vec!["sample", "--out", "s", "--seed", "1.5"]),
        ("--site", vec!["serve", "--site", nl]),
        ("--cache", vec!["serve", "--cache", nl]),
        ("--workers", vec!["serve", "--workers", "x"]),
        ("--bind", vec!["serve", "--bind", "nonsense"]),
        ("--cache", vec!["fetch", "--districts", "61", "--cache", nl]),
        (
            "--base-url",
            vec!["fetch", "--districts", "61", "--base-url", url_nl],
        ),
        (
            "--base-url",
            vec!["fetch", "--districts", "61", "--base-url", "ftp://x.org"],
        ),
        (
            "--date",
            vec!["fetch", "--districts", "61", "--date", "2026-13-01"],
        ),
        (
            "--from",
            vec![
                "fetch",
                "--districts",
                "61",
                "--from",
                "06/09/2026",
                "--to",
                "2026-09-07",
            ],
        ),
        (
            "--rate",
            vec!["fetch", "--districts", "61", "--rate", "fast"],
        ),
        (
            "--concurrency",
            vec!["fetch", "--districts", "61", "--concurrency", "0"],
        ),
        (
            "--timeout",
            vec!["fetch", "--districts", "61", "--timeout", "soon"],
        ),
        (
            "--patience",
            vec!["fetch", "--districts", "61", "--patience", "NaN"],
        ),
        (
            "--retries",
            vec!["fetch", "--districts", "61", "--retries=-1"],
        ),
        ("--districts", vec!["fetch", "--districts", "6\n1"]),
        ("--out", vec!["export", "--out", nl]),
        ("--site", vec!["export", "--out", "o", "--site", nl]),
        (
            "--site-url",
            vec!["export", "--out", "o", "--site-url", url_nl],
        ),
        ("--site", vec!["snapshots", "list", "--site", nl]),
        ("--site", vec!["status", "--site", nl]),
    ];
    for (flag, args) in cases {
        let cwd = tempfile::tempdir().unwrap();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_toaststats"))
            .args(&args)
            .current_dir(cwd.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(flag),
            "{args:?} does not name {flag}: {}",
            stderr(&o)
        );
        let left: Vec<_> = std::fs::read_dir(cwd.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(
            left.is_empty(),
            "{args:?} wrote {left:?} before its usage error"
        );
    }
}
