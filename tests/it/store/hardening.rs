//! Regression tests for the store defects of issue 10 (items 6, 7, 8, 9, 10, 17, 18), each
//! named after the defect it pins.

use super::{cli, json, site_arg, snapshot_ids, two_snapshots};
use crate::support::{self, Fixture};
use std::path::Path;
use std::process::Output;

fn sample() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample")
        .display()
        .to_string()
}

fn build_sample(fx: &Fixture, extra: &[&str]) -> Output {
    let (cache, site) = (sample(), site_arg(fx));
    let mut args = vec!["build", "--cache", &cache, "--site", &site];
    args.extend(extra);
    cli(&args)
}

fn last_log_line(fx: &Fixture) -> serde_json::Value {
    let log = std::fs::read_to_string(fx.site().join("builds.jsonl")).unwrap();
    serde_json::from_str(log.lines().last().unwrap()).unwrap()
}

fn pin_bytes(fx: &Fixture) -> Option<Vec<u8>> {
    std::fs::read(fx.site().join("pin.json")).ok()
}

/// Item 7: a rollback failing at any step leaves the old state (link and pin as before) or
/// the whole new one (link moved and pinned), never a moved link without a pin.
#[test]
fn a_failed_rollback_leaves_the_old_state_or_the_whole_new_one() {
    let fx = two_snapshots();
    let ids = snapshot_ids(&fx);
    let site = site_arg(&fx);
    let mut n = 1;
    let mut new_states = 0;
    loop {
        // start each attempt from the same state: newest current, no pin
        assert!(
            cli(&["snapshots", "rollback", &ids[1], "--site", &site])
                .status
                .success()
        );
        assert!(
            cli(&["snapshots", "unpin", "--site", &site])
                .status
                .success()
        );
        let pin_before = pin_bytes(&fx);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_toaststats"))
            .args(["snapshots", "rollback", "--site", &site])
            .env(toaststats::fsx::FAULT_ENV, n.to_string())
            .output()
            .unwrap();
        let err = support::stderr(&out);
        let current = fx.current().unwrap();
        if current == ids[1] {
            assert_eq!(out.status.code(), Some(1), "fault {n}: {err}");
            assert_eq!(pin_bytes(&fx), pin_before, "fault {n}: pin changed: {err}");
            assert!(err.contains("nothing changed"), "fault {n}: {err}");
        } else {
            assert_eq!(current, ids[0], "fault {n}");
            assert!(out.status.success(), "fault {n}: moved but failed: {err}");
            let pin: serde_json::Value = serde_json::from_slice(&pin_bytes(&fx).unwrap()).unwrap();
            assert_eq!(pin["snapshot_id"], ids[0].as_str(), "fault {n}");
            if !err.contains("injected fault") {
                break;
            }
            new_states += 1;
        }
        n += 1;
        assert!(n < 100, "never reached the end");
    }
    assert!(n >= 6, "expected several fault points, got {n}");
    assert!(new_states >= 3, "faults after the swap: {new_states}");
}

/// Item 7: a crash between writing the pin and the swap is finished by the next writer.
#[test]
fn a_rollback_killed_between_pin_and_swap_is_finished_by_repair() {
    let fx = two_snapshots();
    let ids = snapshot_ids(&fx);
    let pin = serde_json::json!({
        "snapshot_id": ids[0], "pinned_at": "2026-11-10T00:00:00Z",
        "reason": format!("rolled back from {}", ids[1]), "from": ids[1],
    });
    std::fs::write(fx.site().join("pin.json"), pin.to_string()).unwrap();
    let out = cli(&["snapshots", "repair", "--site", &site_arg(&fx)]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    assert!(support::stdout(&out).contains("finished an interrupted rollback"));
    assert_eq!(fx.current().unwrap(), ids[0]);
    assert_eq!(fx.pointer().unwrap(), ids[0]);
    assert_eq!(last_log_line(&fx)["status"], "rollback");
}

/// Item 8: after a build with an older `--snapshot-time` is published, rollback goes to
/// what was live before it and prune keeps that snapshot.
#[test]
fn rollback_and_prune_follow_publication_order_not_the_build_clock() {
    let fx = Fixture::new();
    for (date, time) in [
        ("2026-10-31", "2026-11-10T06:00:00Z"),
        ("2026-11-08", "2026-11-09T06:00:00Z"),
    ] {
        let out = build_sample(&fx, &["--date", date, "--snapshot-time", time]);
        assert!(out.status.success(), "{}", support::stderr(&out));
    }
    let ids = snapshot_ids(&fx); // by id: the 11-08 data (older clock) first
    assert_eq!(fx.current().unwrap(), ids[0]);
    let site = site_arg(&fx);
    let pruned = json(&cli(&[
        "snapshots",
        "prune",
        "--site",
        &site,
        "--keep",
        "0",
        "--max-age-days",
        "0",
        "--json",
    ]));
    assert_eq!(pruned["removed"].as_array().unwrap().len(), 0, "{pruned}");
    assert_eq!(snapshot_ids(&fx), ids);
    let out = cli(&["snapshots", "rollback", "--site", &site]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    assert_eq!(fx.current().unwrap(), ids[1]);
    // nothing was live before the first publication
    let out = cli(&["snapshots", "rollback", "--site", &site]);
    assert_eq!(out.status.code(), Some(1));
    assert!(support::stderr(&out).contains("nothing to roll back to"));
}

/// Item 8: a build time before 2000, negative, or in the future is a usage error (exit 2)
/// before anything is touched, from the flag and from `SOURCE_DATE_EPOCH`.
#[test]
fn a_snapshot_time_before_2000_or_in_the_future_is_a_usage_error() {
    let fx = Fixture::new();
    fx.valid();
    for bad in [
        "-62198755200",
        "-1",
        "1999-12-31T23:59:59Z",
        "2999-01-01T00:00:00Z",
    ] {
        let out = fx.build(&[&format!("--snapshot-time={bad}")]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{bad}: {}",
            support::stderr(&out)
        );
        assert!(!fx.site().exists(), "{bad}: the site was created");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_toaststats"))
        .args(["build", "--cache"])
        .arg(fx.cache())
        .arg("--site")
        .arg(fx.site())
        .env("SOURCE_DATE_EPOCH", "-62198755200")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", support::stderr(&out));
    assert!(support::stderr(&out).contains("SOURCE_DATE_EPOCH"));
    assert!(!fx.site().exists());
}

/// Item 9: one changed byte in the current `index.html`: status and repair notice it and
/// exit 1, and a build publishes a fresh copy instead of calling it unchanged, also at the
/// same build time (item 10: the same id over a damaged folder).
#[test]
fn a_corrupted_current_snapshot_is_noticed_and_republished() {
    let fx = Fixture::new();
    fx.valid();
    assert!(fx.build(&[]).status.success());
    let id = fx.current().unwrap();
    let index = fx.site().join("current/index.html");
    let mut bytes = std::fs::read(&index).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x01;
    std::fs::write(&index, &bytes).unwrap();
    let site = site_arg(&fx);

    let status = cli(&[
        "status",
        "--site",
        &site,
        "--json",
        "--max-data-age-days",
        "100000",
    ]);
    assert_eq!(status.status.code(), Some(1));
    let problem = json(&status)["current_problem"].to_string();
    assert!(problem.contains("index.html"), "{problem}");
    // the quick check (sizes, key pages hashed) catches the same byte in index.html
    let quick = cli(&[
        "status",
        "--site",
        &site,
        "--json",
        "--max-data-age-days",
        "100000",
        "--quick-check",
    ]);
    assert_eq!(quick.status.code(), Some(1));
    assert!(
        json(&quick)["current_problem"]
            .to_string()
            .contains("index.html")
    );
    let repair = cli(&["snapshots", "repair", "--site", &site]);
    assert_eq!(repair.status.code(), Some(1));
    assert!(support::stderr(&repair).contains("does not match its manifest"));

    // the same cache at the same time: the same id, re-staged over the damaged copy
    let out = fx.build(&[]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    assert!(
        support::stdout(&out).starts_with("published"),
        "{}",
        support::stdout(&out)
    );
    assert_eq!(fx.current().unwrap(), id);
    assert!(
        cli(&["snapshots", "verify", "--site", &site])
            .status
            .success()
    );
    assert!(
        last_log_line(&fx)["note"]
            .as_str()
            .unwrap()
            .contains("fresh copy")
    );

    // at another time: a new id
    std::fs::write(&index, b"damaged").unwrap();
    let out = fx.build(&["--snapshot-time", "2026-11-10T06:00:00Z"]);
    assert!(support::stdout(&out).starts_with("published"));
    assert_ne!(fx.current().unwrap(), id);
    assert!(
        cli(&["snapshots", "verify", "--site", &site])
            .status
            .success()
    );
}

/// Item 10: a stored (not current) snapshot folder damaged, then rebuilt at the same time
/// and content, is replaced, not kept and failed on every retry.
#[test]
fn rebuilding_over_a_damaged_snapshot_folder_of_the_same_id_works() {
    let fx = Fixture::new();
    fx.valid();
    assert!(fx.build(&["--no-publish"]).status.success());
    let id = snapshot_ids(&fx).pop().unwrap();
    let dir = fx.site().join("snapshots").join(&id);
    std::fs::remove_file(dir.join("index.html")).unwrap();
    for _ in 0..2 {
        let out = fx.build(&["--no-publish"]);
        assert!(out.status.success(), "{}", support::stderr(&out));
    }
    assert_eq!(snapshot_ids(&fx), std::slice::from_ref(&id));
    assert!(
        cli(&["snapshots", "verify", &id, "--site", &site_arg(&fx)])
            .status
            .success()
    );
}

/// Item 10: an age limit past the calendar's end kept everything instead of panicking.
#[test]
fn prune_with_a_huge_max_age_does_not_panic() {
    let fx = two_snapshots();
    let site = site_arg(&fx);
    for days in ["100000000", &i64::MAX.to_string()] {
        let out = cli(&[
            "snapshots",
            "prune",
            "--site",
            &site,
            "--keep",
            "0",
            "--max-age-days",
            days,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", support::stderr(&out));
    }
    let out = cli(&[
        "snapshots",
        "prune",
        "--site",
        &site,
        "--max-age-days",
        "-1",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", support::stderr(&out));
    assert_eq!(snapshot_ids(&fx).len(), 2);
}

/// Item 10: `--site` inside `--cache`, or the cache inside the site, is a usage error
/// before anything is created.
#[test]
fn a_site_inside_the_cache_is_refused_before_anything_is_created() {
    let fx = Fixture::new();
    fx.valid();
    let cache = fx.cache();
    for site in [cache.join("site"), cache.join("raw-csv/../x/site")] {
        let out = cli(&[
            "build",
            "--cache",
            &cache.display().to_string(),
            "--site",
            &site.display().to_string(),
        ]);
        assert_eq!(out.status.code(), Some(2), "{}", support::stderr(&out));
        assert!(support::stderr(&out).contains("inside --cache"));
        assert!(!site.exists());
    }
    // the cache inside the site root
    let outer = fx.dir.path().join("outer");
    std::fs::create_dir_all(outer.join("cache")).unwrap();
    let copied = std::process::Command::new("cp")
        .arg("-r")
        .arg(cache.join("raw-csv"))
        .arg(outer.join("cache"))
        .status()
        .unwrap();
    assert!(copied.success());
    let out = cli(&[
        "build",
        "--cache",
        &outer.join("cache").display().to_string(),
        "--site",
        &outer.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", support::stderr(&out));
    assert!(support::stderr(&out).contains("inside --site"));
    assert!(!outer.join(toaststats::store::MARKER).exists());
}

/// Item 17: "unchanged" builds re-confirm the site but do not make its data newer: status
/// judges the data's age and exits 1 when it is older than the limit.
#[test]
fn status_is_stale_on_old_data_even_after_unchanged_builds() {
    let fx = Fixture::new();
    fx.valid(); // data of 2026-04-20
    assert!(fx.build(&[]).status.success());
    let out = fx.build(&["--snapshot-time", "2026-11-10T06:00:00Z"]);
    assert!(support::stdout(&out).starts_with("unchanged"));
    let site = site_arg(&fx);
    let stale = cli(&["status", "--site", &site, "--json"]);
    assert_eq!(stale.status.code(), Some(1));
    let s = json(&stale);
    assert_eq!(s["freshness"], "fresh", "a build confirmed it just now");
    assert_eq!(s["data_freshness"], "stale");
    assert!(s["data_age_days"].as_i64().unwrap() > 7);
    let human = cli(&["status", "--site", &site]);
    assert!(support::stdout(&human).contains("data age       stale"));
    let lenient = cli(&[
        "status",
        "--site",
        &site,
        "--json",
        "--max-data-age-days",
        "100000",
        "--quick-check",
    ]);
    assert_eq!(
        lenient.status.code(),
        Some(0),
        "{}",
        support::stdout(&lenient)
    );
    assert_eq!(json(&lenient)["current_check"], "quick");
}

/// Item 18: two failed builds in the same second (the same fixed time) keep two reports.
#[test]
fn failed_build_ids_do_not_collide_within_a_second() {
    let fx = Fixture::new();
    fx.valid();
    fx.write("2026-04-20/all-districts.csv", "<html>");
    let mut ids = Vec::new();
    for _ in 0..2 {
        let out = fx.build(&[]);
        assert_eq!(out.status.code(), Some(1));
        // nothing was ever published: the message says so, not "not changed"
        let err = support::stderr(&out);
        assert!(err.contains("nothing is published"), "{err}");
        assert!(!err.contains("was not changed"), "{err}");
        ids.push(last_log_line(&fx)["id"].as_str().unwrap().to_string());
    }
    assert_ne!(ids[0], ids[1]);
    for id in &ids {
        assert!(fx.site().join("failed").join(format!("{id}.json")).exists());
    }
}

/// Item 18: `snapshots list` keeps its columns aligned with failed rows, and `--limit`
/// never hides the current snapshot.
#[test]
fn list_columns_align_with_failed_rows_and_limit_keeps_current() {
    let fx = Fixture::new();
    fx.valid();
    assert!(fx.build(&[]).status.success());
    let first = fx.current().unwrap();
    fx.write(
        "2026-04-20/district-61/club-performance.csv",
        support::csv(&[
            support::CLUB_HEADER,
            &support::club_row("61", "61000001").replace("Club 61000001", "Renamed Club"),
            &support::club_row("61", "61000002"),
        ]),
    );
    let out = fx.build(&["--snapshot-time", "2026-11-10T06:00:00Z"]);
    assert!(
        support::stdout(&out).starts_with("published"),
        "{}",
        support::stderr(&out)
    );
    let site = site_arg(&fx);
    assert!(
        cli(&["snapshots", "rollback", "--site", &site])
            .status
            .success()
    );
    assert_eq!(fx.current().unwrap(), first);
    // a failed build, newest of all
    fx.write("2026-04-20/all-districts.csv", "<html>");
    let out = fx.build(&["--snapshot-time", "2026-11-11T06:00:00Z"]);
    assert_eq!(out.status.code(), Some(1));
    let text = support::stdout(&cli(&["snapshots", "list", "--site", &site]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    let status_col = lines[0].find("STATUS").unwrap();
    let width = lines[1].len();
    for l in &lines[1..] {
        assert!(
            ["failed ", "success "]
                .iter()
                .any(|w| l[status_col..].starts_with(w)),
            "{text}"
        );
        assert_eq!(l.len(), width, "{text}");
    }
    let limited = json(&cli(&[
        "snapshots",
        "list",
        "--site",
        &site,
        "--json",
        "--limit",
        "1",
    ]));
    let rows = limited.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{limited}");
    assert_eq!(rows[0]["status"], "failed");
    assert_eq!(rows[1]["id"], first.as_str());
    assert_eq!(rows[1]["current"], true);
}

/// Item 6: readers report a `current` link that does not resolve while `current.json`
/// still names a snapshot, instead of silently serving from the pointer.
#[test]
fn a_dangling_current_with_a_pointer_is_reported_by_status() {
    let fx = two_snapshots();
    let ids = snapshot_ids(&fx);
    std::fs::remove_file(fx.site().join("current")).unwrap();
    std::os::unix::fs::symlink("snapshots/gone", fx.site().join("current")).unwrap();
    let out = cli(&[
        "status",
        "--site",
        &site_arg(&fx),
        "--json",
        "--max-data-age-days",
        "100000",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let s = json(&out);
    assert_eq!(s["current_id"], ids[1].as_str());
    assert!(
        s["pointer_problem"]
            .as_str()
            .is_some_and(|p| p.contains("missing or dangling")),
        "{s}"
    );
}
