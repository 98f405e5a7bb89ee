//! History across every cached date (issue 11): a history point for date D equals what
//! `build --date D` presents; year over year; changes against an independent diff of the
//! club files; the digest cache never changes a byte of the snapshot.

use crate::support::{self, Fixture, build_into, tree};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn json(site: &Path, rel: &str) -> Value {
    let p = site.join("current").join(rel);
    serde_json::from_slice(&std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .unwrap()
}

fn sample_cache() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample")
}

/// Every file of a snapshot tree by relative path (snapshot.json and manifest.json carry
/// the id and build time; both builds use one time, so they compare too).
/// The property of the issue: for every data date D and every district of the newest
/// build's history, the point at D has the totals and ranking `build --date D` presents.
fn history_points_equal_single_date_builds(cache: &Path) {
    let fx = Fixture::new();
    let newest = fx.dir.path().join("newest");
    build_into(cache, &newest, &[]);
    let dates = json(&newest, "api/v1/dates.json");
    let mut checked = 0;
    for date in dates["dates"].as_array().unwrap() {
        let d = date["data_date"].as_str().unwrap();
        let single = fx.dir.path().join(format!("single-{d}"));
        build_into(cache, &single, &["--date", d]);
        let meta = json(&single, "snapshot.json");
        for id in meta["districts_built"].as_array().unwrap() {
            let id = id.as_str().unwrap();
            let presented = json(&single, &format!("api/v1/districts/{id}.json"));
            let history = json(&newest, &format!("api/v1/districts/{id}/history.json"));
            let point = history["points"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["data_date"] == d)
                .unwrap_or_else(|| panic!("district {id} has no history point at {d}"));
            assert_eq!(point["totals"], presented["totals"], "district {id} at {d}");
            assert_eq!(point["closing"], presented["closing"], "{id} {d}");
            assert_eq!(point["program_year"], presented["program_year"], "{id} {d}");
            assert_eq!(point["collection_date"], presented["collection_date"]);
            match presented["ranking"].as_object() {
                Some(r) => {
                    assert_eq!(point["ranking"]["overall_rank"], r["overall_rank"]);
                    assert_eq!(point["ranking"]["borda_points"], r["borda_points"]);
                }
                None => assert!(point["ranking"].is_null(), "{id} {d}"),
            }
            // The same keys as the district file's totals, exactly.
            let keys = |v: &Value| -> BTreeSet<String> {
                v.as_object().unwrap().keys().cloned().collect()
            };
            assert_eq!(keys(&point["totals"]), keys(&presented["totals"]));
            checked += 1;
        }
    }
    assert!(checked > 0, "no history point was checked");
}

#[test]
fn history_points_equal_single_date_builds_on_the_sample() {
    history_points_equal_single_date_builds(&sample_cache());
}

#[test]
fn history_points_equal_single_date_builds_on_the_real_exports() {
    let Some(root) = support::realdata() else {
        return;
    };
    history_points_equal_single_date_builds(&root.join("cache"));
}

#[test]
fn district_91_june_closes_are_three_points_with_year_over_year() {
    let Some(root) = support::realdata() else {
        return;
    };
    let fx = Fixture::new();
    build_into(&root.join("cache"), &fx.site(), &[]);
    let h = fx.read_json("api/v1/districts/91/history.json");
    let points = h["points"].as_array().unwrap();
    let dates: Vec<&str> = points
        .iter()
        .map(|p| p["data_date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2023-06-30", "2024-06-30", "2025-06-30"]);
    assert!(points.iter().all(|p| p["month_end"] == true));
    // Independent figures of the three closes (sums of TI's club and district files).
    let paid: Vec<i64> = points
        .iter()
        .map(|p| p["totals"]["paid_clubs"].as_i64().unwrap())
        .collect();
    let payments: Vec<i64> = points
        .iter()
        .map(|p| p["totals"]["payments"].as_i64().unwrap())
        .collect();
    for (i, date) in dates.iter().enumerate() {
        let dir = root.join(format!("cache/raw-csv/{date}/district-91"));
        assert_eq!(
            paid[i],
            count_active(&dir.join("club-performance.csv")),
            "{date}"
        );
        assert_eq!(
            payments[i],
            sum_column(&dir.join("district-performance.csv"), "Total to Date"),
            "{date}"
        );
    }
    let yoy = &h["year_over_year"];
    assert_eq!(yoy["data_date"], "2025-06-30");
    assert_eq!(yoy["compared_date"], "2024-06-30");
    assert_eq!(yoy["paid_clubs"]["now"], paid[2]);
    assert_eq!(yoy["paid_clubs"]["then"], paid[1]);
    assert_eq!(yoy["paid_clubs"]["change"], paid[2] - paid[1]);
    assert_eq!(yoy["payments"]["change"], payments[2] - payments[1]);
    assert_eq!(yoy["last_year_final"]["data_date"], "2024-06-30");
    // D91's newest data is of an earlier program year than the presented 2026-27, but
    // without TI's summary nothing says it is gone: it is not former (issue 20 item 1).
    let d = fx.read_json("api/v1/districts/91.json");
    assert_eq!(d["former"], false);
    assert_eq!(d["stale_since"], "2025-06-30");
    let index = fx.read_json("api/v1/districts.json");
    let entry = index["districts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["district_id"] == "91")
        .unwrap();
    assert_eq!(entry["status"], "built");
    assert_eq!(entry["stale_since"], "2025-06-30");
}

/// Rows of a TI CSV as header → cell maps (footer and junk rows dropped).
pub(crate) fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .unwrap();
    let headers: Vec<String> = r
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    r.records()
        .map(|rec| rec.unwrap())
        .filter(|rec| rec.len() == headers.len())
        .map(|rec| {
            headers
                .iter()
                .cloned()
                .zip(rec.iter().map(|c| c.trim().to_string()))
                .collect()
        })
        .collect()
}

pub(crate) fn count_active(path: &Path) -> i64 {
    rows(path)
        .iter()
        .filter(|r| r.get("Club Status").map(String::as_str) == Some("Active"))
        .count() as i64
}

fn sum_column(path: &Path, column: &str) -> i64 {
    rows(path)
        .iter()
        .filter_map(|r| r.get(column)?.replace(',', "").parse::<i64>().ok())
        .sum()
}

#[test]
fn district_21_august_to_september_changes_equal_an_independent_diff() {
    let Some(root) = support::realdata() else {
        return;
    };
    let fx = Fixture::new();
    build_into(&root.join("cache"), &fx.site(), &[]);
    let changes = fx.read_json("api/v1/districts/21/changes.json");
    let since = &changes["since_previous_date"];
    assert_eq!(since["from_date"], "2026-08-20");
    assert_eq!(since["to_date"], "2026-09-22");

    let by_number = |date: &str| -> BTreeMap<String, BTreeMap<String, String>> {
        rows(&root.join(format!(
            "cache/raw-csv/{date}/district-21/club-performance.csv"
        )))
        .into_iter()
        .map(|r| (r["Club Number"].trim_start_matches('0').to_string(), r))
        .collect()
    };
    let (aug, sep) = (by_number("2026-08-20"), by_number("2026-09-22"));
    let mut expected: BTreeSet<(String, String)> = BTreeSet::new();
    for (n, s) in &sep {
        match aug.get(n) {
            None => {
                expected.insert(("chartered".into(), n.clone()));
            }
            Some(a) => {
                let members =
                    |r: &BTreeMap<String, String>| -> i64 { r["Active Members"].parse().unwrap() };
                if (members(s) - members(a)).abs() >= 3 {
                    expected.insert(("membership".into(), n.clone()));
                }
                if (&a["Division"], &a["Area"]) != (&s["Division"], &s["Area"]) {
                    expected.insert(("moved".into(), n.clone()));
                }
                let suspended = |r: &BTreeMap<String, String>| r["Club Status"] == "Suspended";
                if suspended(s) && !suspended(a) {
                    expected.insert(("suspended".into(), n.clone()));
                }
                if suspended(a) && !suspended(s) {
                    expected.insert(("reinstated".into(), n.clone()));
                }
            }
        }
    }
    for n in aug.keys().filter(|n| !sep.contains_key(*n)) {
        expected.insert(("removed".into(), n.clone()));
    }
    let kinds = [
        "chartered",
        "membership",
        "moved",
        "suspended",
        "reinstated",
        "removed",
    ];
    let reported: BTreeSet<(String, String)> = since["clubs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| kinds.contains(&c["kind"].as_str().unwrap()))
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_string(),
                c["club_number"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches('0')
                    .to_string(),
            )
        })
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(reported, expected);
    // Goals newly met: every reported goal is met in September and not in August by our
    // reading, and TI's own count of the club did not fall.
    for c in since["clubs"].as_array().unwrap() {
        if c["kind"] == "goals" {
            let n = c["club_number"].as_str().unwrap().trim_start_matches('0');
            let goals_met = |m: &BTreeMap<String, BTreeMap<String, String>>| -> i64 {
                m[n]["Goals Met"].parse().unwrap()
            };
            assert!(goals_met(&sep) >= goals_met(&aug), "club {n}");
        }
    }
    // The district delta equals the difference of the two files' sums.
    let members = |m: &BTreeMap<String, BTreeMap<String, String>>| -> i64 {
        m.values()
            .map(|r| r["Active Members"].parse::<i64>().unwrap())
            .sum()
    };
    assert_eq!(
        since["totals"]["active_members"],
        members(&sep) - members(&aug)
    );
    assert_eq!(
        since["totals"]["clubs"],
        sep.len() as i64 - aug.len() as i64
    );
    // The Atom feed names the same change with an id stable across builds.
    let atom =
        std::fs::read_to_string(fx.site().join("current/districts/21/changes.atom")).unwrap();
    assert!(atom.contains("<id>urn:toaststats:district:21:changes:2026-08-20:2026-09-22</id>"));
}

#[test]
fn digests_missing_corrupt_or_present_give_a_byte_identical_snapshot() {
    let fx = Fixture::new();
    let cache = sample_cache();
    let cold = fx.dir.path().join("cold");
    build_into(&cache, &cold, &["--no-publish"]);
    let snapshot = |site: &Path| -> BTreeMap<String, Vec<u8>> {
        let snaps = site.join("snapshots");
        let id = std::fs::read_dir(&snaps)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        tree(&id)
    };
    let reference = snapshot(&cold);
    let digests = cold.join(".digests");
    let files: Vec<PathBuf> = std::fs::read_dir(&digests)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!files.is_empty(), "the build wrote no digest");

    // Warm: every digest reused.
    let warm = fx.dir.path().join("warm");
    copy_dir(&cold, &warm);
    std::fs::remove_dir_all(warm.join("snapshots")).unwrap();
    build_into(&cache, &warm, &["--no-publish"]);
    assert_eq!(snapshot(&warm), reference, "a warm build differs");

    // One digest corrupted (a figure changed, its checksum kept), one deleted.
    let damaged = fx.dir.path().join("damaged");
    copy_dir(&cold, &damaged);
    std::fs::remove_dir_all(damaged.join("snapshots")).unwrap();
    let mut names: Vec<PathBuf> = std::fs::read_dir(damaged.join(".digests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().ends_with(".clubs.json"))
        .collect();
    names.sort();
    let text = std::fs::read_to_string(&names[0]).unwrap();
    let corrupted = text.replacen("\"paid_clubs\":", "\"paid_clubs\":1", 1);
    assert_ne!(text, corrupted);
    std::fs::write(&names[0], corrupted).unwrap();
    if names.len() > 1 {
        std::fs::remove_file(&names[1]).unwrap();
    }
    build_into(&cache, &damaged, &["--no-publish"]);
    assert_eq!(
        snapshot(&damaged),
        reference,
        "a damaged digest was trusted"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let (src, dst) = (e.path(), to.join(e.file_name()));
        let kind = e.file_type().unwrap();
        if kind.is_dir() {
            copy_dir(&src, &dst);
        } else if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&src).unwrap(), &dst).unwrap();
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

#[test]
fn an_invalid_earlier_date_drops_out_of_history_with_one_warning() {
    let fx = Fixture::new();
    fx.valid();
    // An earlier date whose summary is broken (a text in a number column).
    fx.write(
        "2026-04-10/all-districts.csv",
        support::csv(&[
            support::SUMMARY_HEADER,
            &support::summary_row("05", "61", "0%").replace("\"46\"", "\"lots\""),
        ])
        .replace("04/20/2026", "04/10/2026"),
    );
    let out = fx.build(&[]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let err = support::stderr(&out);
    assert!(
        err.contains("raw-csv/2026-04-10") && err.contains("left out of history"),
        "{err}"
    );
    let h = fx.read_json("api/v1/districts/61/history.json");
    let dates: Vec<&str> = h["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["data_date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2026-04-20"]);
    // Presented, the same folder fails the build.
    let out = fx.build(&["--date", "2026-04-10"]);
    assert_eq!(out.status.code(), Some(1), "{}", support::stderr(&out));
}

#[test]
fn files_equal_to_the_previous_snapshot_are_hard_linked_and_the_store_stays_correct() {
    use std::os::unix::fs::MetadataExt;
    let fx = Fixture::new();
    fx.valid();
    let out = fx.build(&["--snapshot-time", "2026-11-09T06:00:00Z"]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let first = fx.current().unwrap();
    // A new date for district 61 only: 62 and the shared assets stay byte-identical.
    let d = "61";
    let (a, b) = (format!("{d}000001"), format!("{d}000002"));
    let footer = |s: String| s.replace("04/20/2026", "04/22/2026");
    fx.write(
        "2026-04-22/district-61/club-performance.csv",
        footer(support::csv(&[
            support::CLUB_HEADER,
            &support::club_row(d, &a),
            &support::club_row(d, &b).replace("\"13\",\"13\"", "\"13\",\"17\""),
        ])),
    );
    let out = fx.build(&["--snapshot-time", "2026-04-23T06:00:00Z"]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let second = fx.current().unwrap();
    assert_ne!(first, second);
    let snaps = fx.site().join("snapshots");
    let meta = |id: &str, rel: &str| std::fs::metadata(snaps.join(id).join(rel)).unwrap();
    let shared = meta(&second, "assets/site.css");
    assert_eq!(shared.ino(), meta(&first, "assets/site.css").ino());
    assert!(shared.nlink() >= 2);
    // Changed content is a file of its own.
    assert_ne!(
        meta(&second, "api/v1/districts/61/history.json").ino(),
        meta(&first, "api/v1/districts/61/history.json").ino()
    );
    let log = std::fs::read_to_string(fx.site().join("builds.jsonl")).unwrap();
    let last: Value = serde_json::from_str(log.lines().last().unwrap()).unwrap();
    assert!(last["files_linked"].as_u64().unwrap() > 0, "{last}");
    let site = fx.site().display().to_string();
    let ok = |args: &[&str]| {
        let out = support::run(args);
        assert!(out.status.success(), "{args:?}: {}", support::stderr(&out));
    };
    ok(&["snapshots", "verify", "--all", "--site", &site]);
    // Rolling back to the first and pruning keep both intact.
    ok(&["snapshots", "rollback", &first, "--site", &site]);
    ok(&["snapshots", "verify", "--all", "--site", &site]);
    ok(&["snapshots", "unpin", "--site", &site]);
    ok(&[
        "snapshots",
        "prune",
        "--keep",
        "0",
        "--max-age-days",
        "0",
        "--site",
        &site,
    ]);
    ok(&["snapshots", "verify", "--all", "--site", &site]);
}

#[test]
fn real_history_files_snapshot() {
    let Some(root) = support::realdata() else {
        return;
    };
    let fx = Fixture::new();
    build_into(&root.join("cache"), &fx.site(), &[]);
    insta::assert_json_snapshot!(
        "d91_history",
        fx.read_json("api/v1/districts/91/history.json")
    );
    let mut changes = fx.read_json("api/v1/districts/21/changes.json");
    // Counts by kind and the first clubs keep the snapshot readable.
    for since in ["since_previous_date", "since_previous_month_end"] {
        let clubs = changes[since]["clubs"].take();
        let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
        for c in clubs.as_array().unwrap() {
            *kinds
                .entry(c["kind"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        changes[since]["clubs"] = serde_json::to_value(&kinds).unwrap();
        changes[since]["first_clubs"] =
            Value::Array(clubs.as_array().unwrap().iter().take(8).cloned().collect());
    }
    insta::assert_json_snapshot!("d21_changes", changes);
    let mut clubs_history = fx.read_json("api/v1/districts/21/clubs-history.json");
    let years = clubs_history["program_years"].as_array_mut().unwrap();
    for y in years.iter_mut() {
        let all = y["clubs"].take();
        y["club_count"] = all.as_array().unwrap().len().into();
        y["first_clubs"] = Value::Array(all.as_array().unwrap().iter().take(3).cloned().collect());
    }
    insta::assert_json_snapshot!("d21_clubs_history", clubs_history);
}
