//! Build behaviour end to end: publishing, no empty churn, determinism, partial builds,
//! rankings without a summary, summary-only caches, never-backwards, the site marker.

use crate::support::{self, CLUB_HEADER, Fixture, club_row, csv, tree};

#[test]
fn publishes_then_reports_unchanged_on_the_same_cache() {
    let fx = Fixture::new();
    fx.valid();
    let first = fx.build(&[]);
    assert!(first.status.success(), "{}", support::stderr(&first));
    assert!(support::stdout(&first).starts_with("published "));
    let id = fx.current().unwrap();
    assert!(id.starts_with("20261109T060000Z-"), "{id}");

    let second = fx.build(&["--snapshot-time", "2026-11-10T06:00:00Z"]);
    assert!(second.status.success());
    assert!(
        support::stdout(&second).contains("unchanged"),
        "{}",
        support::stdout(&second)
    );
    assert_eq!(fx.current().unwrap(), id);
    assert_eq!(
        std::fs::read_dir(fx.site().join("snapshots"))
            .unwrap()
            .count(),
        1
    );
    let log = std::fs::read_to_string(fx.site().join("builds.jsonl")).unwrap();
    assert_eq!(log.lines().count(), 2);
    assert!(
        log.lines()
            .nth(1)
            .unwrap()
            .contains("\"status\":\"unchanged\"")
    );
    assert_eq!(fx.pointer().as_deref(), Some(id.as_str()));
}

#[test]
fn same_cache_and_time_give_identical_trees_and_other_times_differ_only_in_ids() {
    let a = Fixture::new();
    a.valid();
    let b = Fixture::new();
    b.valid();
    assert!(a.build(&[]).status.success());
    assert!(b.build(&[]).status.success());
    let ta = tree(&a.site().join("current/"));
    let tb = tree(&b.site().join("current/"));
    assert_eq!(
        ta, tb,
        "same cache and --snapshot-time must give byte-identical snapshots"
    );

    let c = Fixture::new();
    c.valid();
    let out = c.build(&["--snapshot-time", "2026-06-01T00:00:00Z"]);
    assert!(out.status.success());
    let tc = tree(&c.site().join("current/"));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tc.keys().collect::<Vec<_>>());
    let id_fields = ["snapshot.json", "api/v1/snapshot.json", "manifest.json"];
    for (path, bytes) in &ta {
        if !id_fields.contains(&path.as_str()) {
            assert_eq!(bytes, &tc[path], "{path} differs between build times");
        }
    }
    // the metadata differs only in the id and the time
    let strip = |bytes: &[u8]| {
        let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        v["snapshot_id"] = serde_json::Value::Null;
        v["created_at"] = serde_json::Value::Null;
        v
    };
    assert_eq!(strip(&ta["snapshot.json"]), strip(&tc["snapshot.json"]));
    let ma: serde_json::Value = serde_json::from_slice(&ta["manifest.json"]).unwrap();
    let mc: serde_json::Value = serde_json::from_slice(&tc["manifest.json"]).unwrap();
    assert_eq!(ma["content_digest"], mc["content_digest"]);
}

#[test]
fn without_a_summary_rankings_are_unavailable_with_the_reason() {
    let fx = Fixture::new();
    fx.valid();
    std::fs::remove_file(fx.cache().join("raw-csv/2026-04-20/all-districts.csv")).unwrap();
    let out = fx.build(&[]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let r = fx.read_json("api/v1/rankings.json");
    assert_eq!(r["available"], false);
    assert!(
        r["unavailable_reason"]
            .as_str()
            .unwrap()
            .contains("all-districts.csv")
    );
    assert_eq!(r["rankings"].as_array().unwrap().len(), 0);
    let d = fx.read_json("api/v1/districts/61.json");
    assert_eq!(d["totals"]["clubs"], 2);
    assert_eq!(d["totals"]["payments"], 46);
    assert!(d["ranking"].is_null());
}

#[test]
fn a_summary_alone_builds_the_rankings_and_uncollected_districts_are_not_failures() {
    let fx = Fixture::new();
    fx.valid();
    std::fs::remove_dir_all(fx.cache().join("raw-csv/2026-04-20/district-62")).unwrap();
    let out = fx.build(&[]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let meta = fx.read_json("snapshot.json");
    assert_eq!(meta["status"], "success");
    assert_eq!(meta["districts_built"], serde_json::json!(["61"]));
    let idx = fx.read_json("api/v1/districts.json");
    let d62 = &idx["districts"][1];
    assert_eq!(d62["district_id"], "62");
    assert_eq!(d62["status"], "not_collected");
    assert!(d62["href"].is_null());
    assert_eq!(d62["overall_rank"], 1);
    assert!(
        meta["warnings"]
            .to_string()
            .contains("district 62 is in the summary but has no files")
    );

    std::fs::remove_dir_all(fx.cache().join("raw-csv/2026-04-20/district-61")).unwrap();
    let out = fx.build(&["--snapshot-time", "2026-11-10T06:00:00Z"]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let r = fx.read_json("api/v1/rankings.json");
    assert_eq!(r["available"], true);
    assert_eq!(r["rankings"].as_array().unwrap().len(), 2);
}

#[test]
fn one_bad_district_in_many_gives_a_partial_snapshot() {
    let fx = Fixture::new();
    fx.valid();
    for i in 0..10 {
        let d = format!("{}", 70 + i);
        let n = format!("{d}000001");
        fx.write(
            &format!("2026-04-20/district-{d}/club-performance.csv"),
            csv(&[CLUB_HEADER, &club_row(&d, &n)]),
        );
    }
    let bad = club_row("62", "62000002").replace("\"13\",\"13\"", "\"13\",\"lots\"");
    fx.write(
        "2026-04-20/district-62/club-performance.csv",
        csv(&[CLUB_HEADER, &club_row("62", "62000001"), &bad]),
    );
    let out = fx.build(&[]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let meta = fx.read_json("snapshot.json");
    assert_eq!(meta["status"], "partial");
    assert_eq!(meta["districts_failed"], serde_json::json!(["62"]));
    let err = &meta["errors"][0];
    assert_eq!(err["district_id"], "62");
    assert_eq!(err["errors"][0]["line"], 3);
    assert_eq!(err["errors"][0]["column_name"], "Active Members");
    let idx = fx.read_json("api/v1/districts.json");
    let d62 = idx["districts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["district_id"] == "62")
        .unwrap()
        .clone();
    assert_eq!(d62["status"], "failed");

    // with a stricter threshold the same cache fails and nothing moves
    let before = fx.current();
    let out = fx.build(&[
        "--max-failed-share",
        "0.05",
        "--snapshot-time",
        "2026-04-23T00:00:00Z",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        support::stderr(&out).contains("more than the allowed 5%"),
        "{}",
        support::stderr(&out)
    );
    assert_eq!(fx.current(), before);
}

#[test]
fn older_data_is_stored_but_not_published_unless_allowed() {
    let fx = Fixture::new();
    fx.valid();
    assert!(fx.build(&[]).status.success());
    let newest = fx.current().unwrap();
    let older = csv(&[CLUB_HEADER, &club_row("61", "61000001")]).replace(
        "Month of Apr, As of 04/20/2026",
        "Month of Mar, As of 03/20/2026",
    );
    fx.write("2026-03-20/district-61/club-performance.csv", older);
    let out = fx.build(&[
        "--date",
        "2026-03-20",
        "--snapshot-time",
        "2026-11-10T00:00:00Z",
    ]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    assert!(
        support::stdout(&out).contains("older data"),
        "{}",
        support::stdout(&out)
    );
    assert_eq!(fx.current().unwrap(), newest);
    let out = fx.build(&[
        "--date",
        "2026-03-20",
        "--allow-older",
        "--snapshot-time",
        "2026-11-10T00:00:00Z",
    ]);
    assert!(out.status.success());
    assert_ne!(fx.current().unwrap(), newest);
    assert_eq!(fx.read_json("snapshot.json")["data_date"], "2026-03-20");
}

#[test]
fn a_closing_period_download_is_dated_at_the_month_end() {
    let fx = Fixture::new();
    let text = csv(&[CLUB_HEADER, &club_row("61", "61000001")]).replace(
        "Month of Apr, As of 04/20/2026",
        "Month of Mar, As of 04/05/2026",
    );
    fx.write("2026-04-05/district-61/club-performance.csv", text);
    fx.write(
        "2026-04-05/metadata.json",
        r#"{"date":"2026-04-05","isClosingPeriod":false,"source":"collector"}"#,
    );
    let out = fx.build(&[]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let meta = fx.read_json("snapshot.json");
    assert_eq!(meta["data_date"], "2026-03-31");
    assert_eq!(meta["collection_date"], "2026-04-05");
    assert_eq!(meta["as_of_date"], "2026-04-05");
    assert_eq!(meta["closing"], true);
    assert_eq!(meta["program_year"], "2025-2026");
    assert!(
        meta["warnings"]
            .to_string()
            .contains("isClosingPeriod false"),
        "metadata disagreement is a warning"
    );
    assert_eq!(fx.read_json("api/v1/districts/61.json")["closing"], true);
}

#[test]
fn refuses_a_site_root_that_is_not_ours_and_accepts_a_fresh_checkout_folder() {
    let fx = Fixture::new();
    fx.valid();
    std::fs::create_dir_all(fx.site()).unwrap();
    std::fs::write(fx.site().join("README.md"), "site root\n").unwrap();
    std::fs::write(fx.site().join(".gitignore"), "*\n").unwrap();
    assert!(
        fx.build(&[]).status.success(),
        "README and .gitignore are allowed"
    );

    let other = Fixture::new();
    other.valid();
    std::fs::create_dir_all(other.site()).unwrap();
    std::fs::write(other.site().join("thesis.docx"), "precious").unwrap();
    let out = other.build(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        support::stderr(&out).contains("refusing to write"),
        "{}",
        support::stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(other.site().join("thesis.docx")).unwrap(),
        "precious"
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = support::run(&["build", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn close_to_distinguished_lists_per_district_division_and_area_agree() {
    let fx = Fixture::new();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample")
        .display()
        .to_string();
    let out = support::run(&[
        "build",
        "--cache",
        &sample,
        "--site",
        &fx.site().display().to_string(),
    ]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let d = fx.read_json("api/v1/districts/02.json");
    let district: Vec<&str> = d["recognition"]["close_to_distinguished"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["club_number"].as_str().unwrap())
        .collect();
    assert!(!district.is_empty());
    let (mut in_divisions, mut in_areas) = (Vec::new(), Vec::new());
    for div in d["divisions"].as_array().unwrap() {
        in_divisions.extend(
            div["close_to_distinguished"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_str().unwrap()),
        );
        for area in div["areas"].as_array().unwrap() {
            in_areas.extend(
                area["close_to_distinguished"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n.as_str().unwrap()),
            );
        }
    }
    let mut sorted = district.clone();
    sorted.sort();
    in_divisions.sort();
    in_areas.sort();
    assert_eq!(in_divisions, sorted);
    assert_eq!(in_areas, sorted);
}
