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
pub(crate) fn full_districts(date_dir: &Path) -> Vec<String> {
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

    // A week later 2026-27 is live. The days before its first publication still show
    // 2025-26's June close: an archive that no longer keeps a daily as-of serves them with
    // nothing, so they are asked once and recorded, and later nights do not ask again.
    ti.set_today(d(2026, 7, 27));
    ti.archive_keeps_daily(false);
    ti.clear_hits();
    let o = fetch(&cache, &ti.base, &["--districts", &list]);
    let v = json(&o);
    assert_eq!(v["live_year"]["program_year"], "2026-2027", "{v}");
    assert_as_served(&ti, &cache, d(2026, 7, 26), &ids);
    assert_live_path_only(&ti, "2026-2027");
    let gaps = std::fs::read_to_string(cache.join("raw-csv/.fetch-gaps.json")).unwrap();
    for dark in ["2026-07-20", "2026-07-25"] {
        assert!(gaps.contains(dark), "{gaps}");
        assert!(!cache.join(format!("raw-csv/{dark}")).exists());
    }
    ti.clear_hits();
    let again = fetch(&cache, &ti.base, &["--districts", &list]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    let v = json(&again);
    assert_eq!(v["known_gaps"].as_array().map_or(0, Vec::len), 6, "{v}");
    assert_eq!(
        ti.requests(),
        1,
        "a known gap is not asked again: {:?}",
        ti.hits()
    );

    // Asked by name, a day is fetched whatever the gaps file says: where the archive keeps
    // its days, such a July day comes from 2025-26's own path (the June close, §3.1).
    ti.archive_keeps_daily(true);
    ti.clear_hits();
    let o = fetch(
        &cache,
        &ti.base,
        &["--districts", &list, "--date", "2026-07-22"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_as_served(&ti, &cache, d(2026, 7, 22), &ids);
    assert!(
        ti.hits()
            .iter()
            .any(|h| h.url.starts_with("/2025-2026/export.aspx")
                && h.url.contains("~6/30/2026~7/22/2026~2025-2026")),
        "{:?}",
        ti.hits()
    );
    assert_live_path_only(&ti, "2026-2027");
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
    // The sample leaves some districts of the summary without all their files on purpose:
    // TI answers those with zero rows, so they are "not published" (exit 3), none failed.
    assert!(matches!(code(&o), 0 | 3), "{}", stderr(&o));
    assert_eq!(json(&o)["totals"]["failed"], 0, "{}", stdout(&o));
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
    assert_eq!(json(&o)["totals"]["failed"], 0, "{}", stdout(&o));
    println!(
        "world fetch: a night with nothing new: {} request(s)",
        ti.requests()
    );
}

/// A sample cache of `dates` days (ending 2026-11-08) under `dir`, without the districts
/// that have only some of their reports (TI serves every report of a district it lists).
fn whole_sample(dir: &Path, districts: usize, clubs: usize, dates: usize) -> std::path::PathBuf {
    let o = run(&[
        "sample",
        "--out",
        &dir.display().to_string(),
        "--districts",
        &districts.to_string(),
        "--clubs-per-district",
        &clubs.to_string(),
        "--dates",
        &dates.to_string(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for e in std::fs::read_dir(dir.join("raw-csv")).unwrap() {
        let date_dir = e.unwrap().path();
        if !date_dir.is_dir() {
            continue; // the SYNTHETIC marker
        }
        let full = full_districts(&date_dir);
        for f in std::fs::read_dir(&date_dir).unwrap() {
            let name = f.unwrap().file_name().to_string_lossy().into_owned();
            if let Some(id) = name.strip_prefix("district-")
                && !full.iter().any(|x| x == id)
            {
                std::fs::remove_dir_all(date_dir.join(&name)).unwrap();
            }
        }
    }
    dir.to_path_buf()
}

#[test]
fn rate_limit_spaces_requests() {
    let tmp = tempfile::tempdir().unwrap();
    let (ti, ids) = ti(tmp.path(), d(2026, 11, 9));
    let cache = tmp.path().join("cache");
    let started = std::time::Instant::now();
    let o = run(&[
        "fetch",
        "--cache",
        &cache.display().to_string(),
        "--base-url",
        &ti.base,
        "--districts",
        &ids.join(","),
        "--rate",
        "5",
        "--concurrency",
        "3",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_as_served(&ti, &cache, d(2026, 11, 8), &ids);
    let hits = ti.hits();
    assert_eq!(hits.len(), 1 + 3 * ids.len(), "{hits:?}");
    let mut at: Vec<std::time::Instant> = hits.iter().map(|h| h.at).collect();
    at.sort();
    // Request k after request i arrives at least (k - i) × 200 ms later at 5/s, less a
    // jitter allowance for one late start on a busy machine; the allowance does not grow
    // with k, so there is no drift.
    for i in 0..at.len() {
        for k in i + 1..at.len() {
            let want = Duration::from_millis(200 * (k - i) as u64 - 90);
            assert!(
                at[k] - at[i] >= want,
                "requests {i}..{k}: {:?}",
                at[k] - at[i]
            );
        }
    }
    let n = at.len() as u64 - 1;
    assert!(at[at.len() - 1] - at[0] >= Duration::from_millis(200 * n - 90));
    assert!(started.elapsed() >= Duration::from_millis(200 * n));
}

#[test]
fn kill_loop_never_shows_a_partial_date_to_build() {
    let tmp = tempfile::tempdir().unwrap();
    let src = whole_sample(&tmp.path().join("src"), 4, 6, 2);
    let ti = TiModel::start(&src);
    ti.set_today(d(2026, 11, 9));
    let dates = [d(2026, 11, 7), d(2026, 11, 8)];
    let full: Vec<Vec<String>> = dates
        .iter()
        .map(|dt| full_districts(&src.join(format!("raw-csv/{dt}"))))
        .collect();
    let cache = tmp.path().join("cache");
    let args = |cache: &Path, date: NaiveDate, ids: &[String]| -> Vec<String> {
        vec![
            "fetch".into(),
            "--cache".into(),
            cache.display().to_string(),
            "--base-url".into(),
            ti.base.clone(),
            "--rate".into(),
            "0".into(),
            "--concurrency".into(),
            "2".into(),
            "--date".into(),
            date.to_string(),
            "--districts".into(),
            ids.join(","),
        ]
    };
    // One whole run, to aim the kills across its length.
    let t0 = std::time::Instant::now();
    let probe = run(&args(&tmp.path().join("probe"), dates[0], &full[0]));
    assert_eq!(code(&probe), 0, "{}", stderr(&probe));
    let span = t0.elapsed().as_micros() as u64;
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let (mut kills, mut builds, mut visible_kills, mut i) = (0, 0, 0, 0);
    while kills < 50 {
        assert!(i < 400, "could not land 50 kills");
        i += 1;
        let k = i % 2;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_toaststats"))
            .args(args(&cache, dates[k], &full[k]))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_micros(seed % span.max(1)));
        let killed = child.try_wait().unwrap().is_none();
        if killed {
            child.kill().unwrap(); // SIGKILL
            kills += 1;
            child.wait().unwrap();
        } else {
            // Finished before the kill: take work away so later kills find some, either the
            // whole date (a new folder appears by one rename) or one district (it joins an
            // existing folder).
            let out = cache.join(format!("raw-csv/{}", dates[k]));
            if i % 3 == 0 {
                let _ = std::fs::remove_dir_all(&out);
            } else {
                let victim = &full[k][(seed % full[k].len() as u64) as usize];
                let _ = std::fs::remove_dir_all(out.join(format!("district-{victim}")));
            }
        }
        // Whatever is visible must be complete and what TI served.
        for (dt, ids) in dates.iter().zip(&full) {
            let out = cache.join(format!("raw-csv/{dt}"));
            if !out.exists() {
                continue;
            }
            for e in std::fs::read_dir(&out).unwrap() {
                let name = e.unwrap().file_name().to_string_lossy().into_owned();
                if name.starts_with('.') {
                    continue; // a killed metadata.json rewrite: a dot-name build skips
                }
                assert!(
                    name.starts_with("district-")
                        || name == "all-districts.csv"
                        || name == "metadata.json",
                    "stray {name} in {dt}"
                );
                if let Some(id) = name.strip_prefix("district-") {
                    assert!(ids.iter().any(|x| x == id));
                    let files = std::fs::read_dir(out.join(&name)).unwrap().count();
                    assert_eq!(files, 3, "{dt}/{name} holds exactly its three reports");
                    assert_as_served(&ti, &cache, *dt, &[id.to_string()]);
                }
            }
            assert!(out.join("metadata.json").is_file());
        }
        // And `build` reads whatever a kill left visible, every fifth time (a build costs).
        let visible = cache.join("raw-csv").read_dir().is_ok_and(|mut r| {
            r.any(|e| !e.unwrap().file_name().to_string_lossy().starts_with('.'))
        });
        if killed && visible {
            visible_kills += 1;
        }
        if killed && visible && visible_kills % 5 == 1 {
            let site = tmp.path().join("site");
            let b = run(&[
                "build",
                "--cache",
                &cache.display().to_string(),
                "--site",
                &site.display().to_string(),
                "--snapshot-time",
                "2026-11-09T06:00:00Z",
            ]);
            assert!(b.status.success(), "{}", stderr(&b));
            builds += 1;
        }
    }
    eprintln!("{kills} kills in {i} runs, {visible_kills} with a date visible, {builds} builds");
    assert!(builds > 0);
    // Finishing both dates from whatever the kills left.
    for (k, dt) in dates.iter().enumerate() {
        let o = run(&args(&cache, *dt, &full[k]));
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert_as_served(&ti, &cache, *dt, &full[k]);
        let names: Vec<String> = std::fs::read_dir(cache.join("raw-csv"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            !names.iter().any(|n| n == &format!(".partial-{dt}")),
            "{names:?}"
        );
        let inside: Vec<String> = std::fs::read_dir(cache.join(format!("raw-csv/{dt}")))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(inside.is_empty(), "leftovers cleared: {inside:?}");
    }
    // Complete dates cost no download: at most the question to TI, never a report.
    ti.clear_hits();
    for (k, dt) in dates.iter().enumerate() {
        assert_eq!(code(&run(&args(&cache, *dt, &full[k]))), 0);
    }
    assert!(
        ti.hits().iter().all(|h| h.url.contains("districtsummary~")),
        "complete dates download nothing: {:?}",
        ti.hits()
    );
    let meta: serde_json::Value = serde_json::from_slice(
        &std::fs::read(cache.join("raw-csv/2026-11-08/metadata.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        meta["files"].as_object().unwrap().len(),
        1 + 3 * full[1].len()
    );
}

#[test]
fn fetched_generated_cache_builds_the_same_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let src = whole_sample(&tmp.path().join("src"), 6, 8, 3);
    let mut dates: Vec<(String, Vec<String>)> = std::fs::read_dir(src.join("raw-csv"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, full_districts(&p))
        })
        .collect();
    dates.sort();
    let ti = TiModel::start(&src);
    let newest = NaiveDate::parse_from_str(&dates.last().unwrap().0, "%Y-%m-%d").unwrap();
    ti.set_today(newest + chrono::Days::new(1));
    let cache = tmp.path().join("cache");
    for (date, full) in &dates {
        let o = fetch(
            &cache,
            &ti.base,
            &["--date", date, "--districts", &full.join(",")],
        );
        assert_eq!(code(&o), 0, "{date}: {}", stderr(&o));
    }
    // The synthetic marker is the generator's, not TI's: carry it over so both builds are
    // labelled alike.
    std::fs::copy(
        src.join("raw-csv/SYNTHETIC"),
        cache.join("raw-csv/SYNTHETIC"),
    )
    .unwrap();
    let build = |c: &Path, site: &str| {
        let site = tmp.path().join(site);
        let o = run(&[
            "build",
            "--cache",
            &c.display().to_string(),
            "--site",
            &site.display().to_string(),
            "--snapshot-time",
            "2026-11-09T06:00:00Z",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        site.join("current")
    };
    let (a, b) = (build(&src, "site-a"), build(&cache, "site-b"));
    let manifest = |p: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(p.join("manifest.json")).unwrap()).unwrap()
    };
    // metadata.json is the collector's own record (the generator's and fetch's differ) and
    // snapshot.json lists it among the inputs with the id; everything else is identical.
    let snapshot = |p: &Path| {
        let mut v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(p.join("snapshot.json")).unwrap()).unwrap();
        strip_metadata_inputs(&mut v);
        v
    };
    assert_eq!(snapshot(&a), snapshot(&b));
    let pages = |p: &Path| -> Vec<serde_json::Value> {
        manifest(p)["files"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| !f["path"].as_str().unwrap().ends_with("snapshot.json"))
            .cloned()
            .collect()
    };
    assert_eq!(pages(&a), pages(&b), "same pages and API, byte for byte");
    assert!(pages(&a).len() > 20);
    // With the fetched metadata.json files in the original, the two caches are the same
    // bytes, and so is the snapshot, id included.
    for (date, _) in &dates {
        let rel = format!("raw-csv/{date}/metadata.json");
        std::fs::copy(cache.join(&rel), src.join(&rel)).unwrap();
    }
    let again = build(&src, "site-c");
    assert_eq!(
        std::fs::read_link(&again).unwrap(),
        std::fs::read_link(&b).unwrap(),
        "same snapshot id"
    );
    assert_eq!(manifest(&again), manifest(&b));
}

/// Drops ids and the `metadata.json` input entries from a snapshot.json.
fn strip_metadata_inputs(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            m.remove("snapshot_id");
            m.remove("id");
            m.values_mut().for_each(strip_metadata_inputs);
        }
        serde_json::Value::Array(items) => {
            items.retain(|i| {
                !i["path"]
                    .as_str()
                    .is_some_and(|p| p.ends_with("/metadata.json"))
            });
            items.iter_mut().for_each(strip_metadata_inputs);
        }
        _ => {}
    }
}
