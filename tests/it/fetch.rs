//! `toaststats fetch` against the model of TI's dashboard as measured (`ti_model.rs`,
//! DOMAIN.md §3.2): the live year learned from the bare path and never asked at its
//! `/{PY}/` path, the nightly collection filed under TI's newest as-of (yesterday), missed
//! nights caught up through closing periods, the July rollover, every body verified against
//! its request, outages ridden out up to the patience, `--force`, and links refused.

use crate::support::{Fixture, run, stderr, stdout};
use crate::ti_model::{Fault, TiModel, make_cache};
use chrono::NaiveDate;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Runs `fetch` into `cache` from TI at `base`, with short timeouts and backoff for tests.
fn fetch(cache: &Path, base: &str, args: &[&str]) -> Output {
    let mut all = vec![
        "fetch".to_string(),
        "--cache".into(),
        cache.display().to_string(),
        "--base-url".into(),
        base.to_string(),
        "--backoff-ms".into(),
        "20".into(),
        "--rate".into(),
        "0".into(),
        "--json".into(),
    ];
    all.extend(args.iter().map(|s| s.to_string()));
    run(&all)
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(o), stderr(o)))
}

/// Districts of a date folder that have all three reports.
fn full_districts(date_dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(date_dir)
        .unwrap()
        .filter_map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            let id = name.strip_prefix("district-")?.to_string();
            let p = e.path();
            ["club", "division", "district"]
                .iter()
                .all(|r| p.join(format!("{r}-performance.csv")).is_file())
                .then_some(id)
        })
        .collect();
    out.sort();
    out
}

/// TI as measured, serving the sample's history; the districts it has whole on `day`.
fn ti(dir: &Path, today: NaiveDate) -> (TiModel, Vec<String>) {
    let src = make_cache(&dir.join("ti"));
    let model = TiModel::start(&src);
    model.set_today(today);
    let ids = full_districts(&src.join("raw-csv/2026-11-08"));
    assert!(!ids.is_empty());
    (model, ids)
}

/// Every stored file of `date` is the bytes TI served for that day.
fn assert_as_served(ti: &TiModel, cache: &Path, date: NaiveDate, ids: &[String]) {
    let dir = cache.join(format!("raw-csv/{date}"));
    let mut rels = vec!["all-districts.csv".to_string()];
    for id in ids {
        for r in ["club", "division", "district"] {
            rels.push(format!("district-{id}/{r}-performance.csv"));
        }
    }
    for rel in rels {
        let got = std::fs::read(dir.join(&rel)).unwrap_or_else(|e| panic!("{date}/{rel}: {e}"));
        assert!(
            got == ti.served_bytes(date, &rel),
            "{date}/{rel} differs from what TI served"
        );
    }
}

/// No request went to the live year's `/{PY}/` path (§3.2: it answers 500 there).
fn assert_live_path_only(ti: &TiModel, live: &str) {
    let bad: Vec<String> = ti
        .hits()
        .into_iter()
        .map(|h| h.url)
        .filter(|u| u.starts_with(&format!("/{live}/")))
        .collect();
    assert!(
        bad.is_empty(),
        "asked the live year at its /{{PY}}/ path: {bad:?}"
    );
}

#[test]
fn the_nightly_collection_files_tis_newest_day_under_its_as_of_date() {
    let tmp = tempfile::tempdir().unwrap();
    // TI's calendar day is 6 November: its newest data is as of the 5th (§3.2).
    let (ti, ids) = ti(tmp.path(), d(2026, 11, 6));
    let cache = tmp.path().join("cache");
    let list = ids.join(",");
    let o = fetch(&cache, &ti.base, &["--districts", &list]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["live_year"]["program_year"], "2026-2027", "{v}");
    assert_eq!(v["live_year"]["as_of"], "2026-11-05", "{v}");
    assert!(
        v["live_year"]["learned_from"]
            .as_str()
            .unwrap()
            .contains("As of 11/05/2026"),
        "{v}"
    );
    assert_as_served(&ti, &cache, d(2026, 11, 5), &ids);
    // One question (which is also the day's summary), three reports a district.
    assert_eq!(ti.requests(), 1 + 3 * ids.len());
    assert_live_path_only(&ti, "2026-2027");
    assert!(
        ti.hits()[0]
            .url
            .starts_with("/export.aspx?type=CSV&report=districtsummary~~")
    );

    // A date already complete costs that one request and nothing more.
    ti.clear_hits();
    let o = fetch(&cache, &ti.base, &["--districts", &list]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(ti.requests(), 1);

    // A day after TI's newest is not published yet, and asking costs only the question.
    ti.clear_hits();
    let o = fetch(
        &cache,
        &ti.base,
        &["--districts", &list, "--date", "2026-11-06"],
    );
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert_eq!(ti.requests(), 1);
    assert!(stdout(&o).contains("not published yet"), "{}", stdout(&o));

    // --force downloads the day again and replaces the folder whole.
    let club = cache.join(format!(
        "raw-csv/2026-11-05/district-{}/club-performance.csv",
        ids[0]
    ));
    std::fs::write(&club, "damaged").unwrap();
    ti.clear_hits();
    let o = fetch(&cache, &ti.base, &["--districts", &list, "--force"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(ti.requests(), 1 + 3 * ids.len());
    assert_as_served(&ti, &cache, d(2026, 11, 5), &ids);
}

#[test]
fn missed_nights_are_caught_up_through_a_closing_period() {
    let tmp = tempfile::tempdir().unwrap();
    let (ti, ids) = ti(tmp.path(), d(2026, 10, 31));
    let cache = tmp.path().join("cache");
    let list = ids.join(",");
    let o = fetch(&cache, &ti.base, &["--districts", &list]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(cache.join("raw-csv/2026-10-30").is_dir());
    // Three nights missed; on 4 November TI's newest is the 3rd, still closing October.
    ti.set_today(d(2026, 11, 4));
    let o = fetch(&cache, &ti.base, &["--districts", &list]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    for day in [
        d(2026, 10, 31),
        d(2026, 11, 1),
        d(2026, 11, 2),
        d(2026, 11, 3),
    ] {
        assert_as_served(&ti, &cache, day, &ids);
    }
    let meta: serde_json::Value = serde_json::from_slice(
        &std::fs::read(cache.join("raw-csv/2026-11-02/metadata.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(meta["isClosingPeriod"], true, "{meta}");
    assert_eq!(meta["dataMonth"], "2026-10", "{meta}");
    assert_live_path_only(&ti, "2026-2027");
    // The closing days were asked with October's month end, the 31st with its own (§3.2).
    let urls: Vec<String> = ti.hits().into_iter().map(|h| h.url).collect();
    assert!(
        urls.iter().any(|u| u.contains("~10/31/2026~11/2/2026~")),
        "{urls:?}"
    );
    assert!(
        urls.iter().any(|u| u.contains("~10/31/2026~10/31/2026~")),
        "{urls:?}"
    );
}

#[test]
fn the_july_rollover_learns_the_live_year_from_content() {
    let tmp = tempfile::tempdir().unwrap();
    let (ti, ids) = ti(tmp.path(), d(2026, 7, 20));
    let cache = tmp.path().join("cache");
    let list = ids.join(",");
    // Before TI publishes 2026-27 the bare path serves 2025-26's June close (§3.1).
    let o = fetch(&cache, &ti.base, &["--districts", &list]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["live_year"]["program_year"], "2025-2026", "{v}");
    assert_eq!(v["live_year"]["data_month"], "2026-06", "{v}");
    assert_as_served(&ti, &cache, d(2026, 7, 19), &ids);
    assert_live_path_only(&ti, "2025-2026");
    assert!(!ti.hits().iter().any(|h| h.url.starts_with("/2026-2027/")));

    // A week later 2026-27 is live; the dark days before its first publication are asked
    // once, found not served, and recorded so later nights do not ask again.
    ti.set_today(d(2026, 7, 27));
    ti.clear_hits();
    let o = fetch(&cache, &ti.base, &["--districts", &list]);
    let v = json(&o);
    assert_eq!(v["live_year"]["program_year"], "2026-2027", "{v}");
    assert_as_served(&ti, &cache, d(2026, 7, 26), &ids);
    assert_live_path_only(&ti, "2026-2027");
    assert!(
        cache.join("raw-csv/.fetch-gaps.json").is_file() || code(&o) == 0,
        "{v}"
    );
    ti.clear_hits();
    let again = fetch(&cache, &ti.base, &["--districts", &list]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert_eq!(
        ti.requests(),
        1,
        "a known gap is not asked again: {:?}",
        ti.hits()
    );
}

#[test]
fn every_body_is_verified_against_its_request_before_it_lands() {
    let tmp = tempfile::tempdir().unwrap();
    let (ti, ids) = ti(tmp.path(), d(2026, 11, 6));
    let cache = tmp.path().join("cache");
    let one = ids[0].clone();
    let other: &'static str = Box::leak(ids.last().unwrap().clone().into_boxed_str());
    // Transient: a wrong district, an HTML page with 200, another day: retried, then right.
    ti.fault(
        &format!("clubperformance~{one}~"),
        Fault::WrongDistrict(other),
        1,
    );
    ti.fault(&format!("divisionperformance~{one}~"), Fault::Html200, 1);
    ti.fault(
        &format!("districtperformance~{one}~"),
        Fault::AsOf(d(2026, 11, 4)),
        1,
    );
    let o = fetch(&cache, &ti.base, &["--districts", &one]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_as_served(&ti, &cache, d(2026, 11, 5), std::slice::from_ref(&one));
    assert!(json(&o)["retries"].as_u64().unwrap() >= 3);

    // Persistent: never stored, reported with what was asked and what came back.
    if ids.len() > 1 {
        let cache2 = tmp.path().join("cache2");
        ti.fault(
            &format!("clubperformance~{one}~"),
            Fault::WrongDistrict(other),
            100,
        );
        let o = fetch(&cache2, &ti.base, &["--districts", &one, "--retries", "2"]);
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        assert!(
            stdout(&o).contains(&format!("asked for district {one}")),
            "{}",
            stderr(&o)
        );
        assert!(
            !cache2
                .join(format!("raw-csv/2026-11-05/district-{one}"))
                .exists()
        );
    }
}

#[test]
fn an_outage_is_ridden_out_up_to_the_patience_and_then_named() {
    let tmp = tempfile::tempdir().unwrap();
    let (ti, ids) = ti(tmp.path(), d(2026, 11, 6));
    let one = ids[0].clone();
    ti.outage(Duration::from_secs(3), 503);
    let cache = tmp.path().join("cache");
    let o = fetch(
        &cache,
        &ti.base,
        &["--districts", &one, "--retries", "1", "--patience", "30"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_as_served(&ti, &cache, d(2026, 11, 5), std::slice::from_ref(&one));

    ti.outage(Duration::from_secs(60), 503);
    let cache = tmp.path().join("cache2");
    let o = fetch(
        &cache,
        &ti.base,
        &["--districts", &one, "--retries", "1", "--patience", "2"],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let v = json(&o);
    let why = v["unreachable"].as_str().unwrap_or_default();
    assert!(why.contains("TI has not answered usably"), "{v}");
    assert_eq!(
        v["totals"]["unavailable"], 0,
        "an outage is not 'not published': {v}"
    );
    assert!(!stdout(&o).contains("not published"), "{}", stdout(&o));

    // Nothing listening at all: unreachable, never "not published".
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let down = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let o = fetch(
        &cache,
        &down,
        &["--districts", &one, "--retries", "1", "--patience", "1"],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(json(&o)["unreachable"].is_string(), "{}", stdout(&o));
}

#[test]
fn links_planted_in_the_cache_are_refused_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let (ti, ids) = ti(tmp.path(), d(2026, 11, 6));
    let cache = tmp.path().join("cache");
    std::fs::create_dir_all(cache.join("raw-csv")).unwrap();
    let outside = tmp.path().join("outside.txt");
    std::fs::write(&outside, "keep").unwrap();
    std::os::unix::fs::symlink(&outside, cache.join("fetch-log.jsonl")).unwrap();
    let o = fetch(&cache, &ti.base, &["--districts", &ids[0]]);
    assert_ne!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("fetch-log.jsonl"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep");
    std::fs::remove_file(cache.join("fetch-log.jsonl")).unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, cache.join("raw-csv/.partial-2026-11-05")).unwrap();
    let o = fetch(&cache, &ti.base, &["--districts", &ids[0]]);
    assert_ne!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains(".partial-2026-11-05"), "{}", stderr(&o));
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
}

#[test]
fn a_closed_years_month_end_is_asked_at_its_own_path() {
    let tmp = tempfile::tempdir().unwrap();
    let (ti, ids) = ti(tmp.path(), d(2026, 11, 6));
    let cache = tmp.path().join("cache");
    let o = fetch(
        &cache,
        &ti.base,
        &[
            "--districts",
            &ids[0],
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "--month-ends",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        ti.hits().iter().any(|h| h.url.starts_with(
            "/2025-2026/export.aspx?type=CSV&report=districtsummary~3/31/2026~~2025-2026"
        )),
        "{:?}",
        ti.hits()
    );
    assert!(
        cache
            .join(format!(
                "raw-csv/2026-03-31/district-{}/club-performance.csv",
                ids[0]
            ))
            .is_file()
    );
    assert_live_path_only(&ti, "2026-2027");
}

#[test]
fn usage_errors_exit_2_before_anything_is_sent() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let o = run(&[
        "fetch",
        "--cache",
        &cache.display().to_string(),
        "--date",
        "2026-11-08",
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--districts"), "{}", stderr(&o));
    let o = run(&[
        "fetch",
        "--all",
        "--from",
        "2026-11-08",
        "--to",
        "2026-04-01",
    ]);
    assert_eq!(code(&o), 2);
    let o = run(&["fetch", "--all", "--patience", "-1"]);
    assert_eq!(code(&o), 2);
    assert!(!cache.exists());
}

#[test]
fn build_ignores_partial_folders() {
    let f = Fixture::new();
    f.valid();
    f.write(
        ".partial-2026-04-21/all-districts.csv",
        "<html>half a download</html>",
    );
    f.write(
        ".partial-2026-04-21/district-61/club-performance.csv",
        "\"District\"",
    );
    let o = f.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let snap = f.read_json("snapshot.json");
    assert_eq!(snap["data_date"], "2026-04-20", "{snap}");
}

/// World size (128 districts × 117 clubs) through the model of TI with the rate lifted;
/// `bench/fetch.sh` runs it and prints the figures (a nightly run at the default
/// politeness costs the same requests at 2 a second).
#[test]
#[ignore]
fn world_size_fetch() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("world");
    let o = run(&[
        "sample",
        "--out",
        &src.display().to_string(),
        "--districts",
        "128",
        "--clubs-per-district",
        "117",
        "--dates",
        "1",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let ti = TiModel::start(&src);
    ti.set_today(d(2026, 11, 9));
    let ids = full_districts(&src.join("raw-csv/2026-11-08"));
    let cache = tmp.path().join("cache");
    let concurrency = std::env::var("FETCH_CONCURRENCY").unwrap_or_else(|_| "4".into());
    let t0 = std::time::Instant::now();
    let o = fetch(&cache, &ti.base, &["--all", "--concurrency", &concurrency]);
    let secs = t0.elapsed().as_secs_f64();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_as_served(&ti, &cache, d(2026, 11, 8), &ids);
    let v = json(&o);
    let requests = v["requests"].as_u64().unwrap();
    println!(
        "world fetch: {} districts, {requests} requests, {} bytes in {secs:.1}s ({:.0} requests/s unthrottled); at the default 2 requests/s: {:.0}s",
        ids.len(),
        v["bytes"],
        requests as f64 / secs,
        requests as f64 / 2.0
    );
    // The next night, nothing new: the one question.
    ti.clear_hits();
    let o = fetch(&cache, &ti.base, &["--all"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    println!(
        "world fetch: a night with nothing new: {} request(s)",
        ti.requests()
    );
}
