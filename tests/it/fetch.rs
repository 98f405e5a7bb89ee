//! `toaststats fetch` against the fake TI server (`fake_ti.rs`): byte-identical files,
//! exact request counts, resume, politeness (rate, backoff, Retry-After, circuit breaker),
//! every way TI misbehaves, kill -9 at any instant, and fetch → build round trips.

use crate::fake_ti::{FakeTi, Fault, Form, py, report_value};
use crate::support::{self, Fixture, run, stderr, stdout};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Runs `fetch` into `cache` from `ti`, with short timeouts and backoff for tests.
fn fetch(cache: &Path, ti: &FakeTi, args: &[&str]) -> Output {
    let mut all = vec![
        "fetch".to_string(),
        "--cache".into(),
        cache.display().to_string(),
        "--base-url".into(),
        ti.base.clone(),
        "--backoff-ms".into(),
        "50".into(),
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

/// A generated cache: `toaststats sample` into `dir`.
fn sample(dir: &Path, districts: usize, clubs: usize, dates: usize) -> PathBuf {
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
    dir.to_path_buf()
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

/// Asserts every CSV of the listed districts (and the summary) is byte-identical.
fn assert_same(src: &Path, dst: &Path, districts: &[String]) {
    let mut rels = vec!["all-districts.csv".to_string()];
    for dd in districts {
        for r in ["club", "division", "district"] {
            rels.push(format!("district-{dd}/{r}-performance.csv"));
        }
    }
    for rel in rels {
        let (a, b) = (src.join(&rel), dst.join(&rel));
        if !a.exists() {
            continue;
        }
        assert_eq!(
            std::fs::read(&a).unwrap(),
            std::fs::read(&b).unwrap_or_else(|e| panic!("{}: {e}", b.display())),
            "{rel} differs"
        );
    }
}

/// A summary of one district for `as_of` (TI's PY 2025-26 layout).
fn summary_for(districts: &[&str], month: &str, as_of: &str) -> Vec<u8> {
    let mut lines = vec![support::SUMMARY_HEADER.to_string()];
    lines.extend(
        districts
            .iter()
            .map(|dd| support::summary_row("05", dd, "0%")),
    );
    let mut s = lines.join("\r\n");
    s.push_str(&format!("\r\nMonth of {month}, As of {as_of}\r\n"));
    s.into_bytes()
}

/// The sample's newest folder date and a fake TI serving it in the daily form.
fn sample_ti(dir: &Path, districts: usize) -> (PathBuf, NaiveDate, FakeTi) {
    let src = sample(&dir.join("src"), districts, 6, 1);
    let ti = FakeTi::start();
    ti.serve_cache_daily(&src);
    (src, d(2026, 11, 8), ti)
}

#[test]
fn realdata_daily_fetch_is_byte_identical_and_a_resumed_run_sends_nothing() {
    let Some(real) = support::realdata() else {
        return;
    };
    let folder = real.join("cache/raw-csv/2026-06-09");
    let ti = FakeTi::start();
    assert_eq!(ti.serve_folder(&folder, d(2026, 6, 9), Form::Daily), 3);
    let summary = summary_for(&["61"], "Jun", "06/09/2026");
    ti.put(
        &report_value(d(2026, 6, 9), Form::Daily, "all-districts.csv", ""),
        summary.clone(),
    );
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let o = fetch(
        &cache,
        &ti,
        &["--date", "2026-06-09", "--districts", "61", "--json"],
    );
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
    assert_eq!(ti.requests(), 4, "summary + club, division, district");
    let hits = ti.hits();
    assert!(
        hits[0].url.contains("districtsummary~~6/9/2026~2025-2026"),
        "{}",
        hits[0].url
    );
    assert!(hits[1].url.starts_with(
        "/2025-2026/export.aspx?type=CSV&report=clubperformance~61~~6/9/2026~2025-2026"
    ));
    assert!(hits[2].url.contains("divisionperformance~61"));
    assert!(hits[3].url.contains("districtperformance~61"));
    assert!(hits.iter().all(|h| h.user_agent.starts_with("toaststats/")));
    let out = cache.join("raw-csv/2026-06-09");
    assert_same(&folder, &out, &["61".to_string()]);
    assert_eq!(
        std::fs::read(out.join("all-districts.csv")).unwrap(),
        summary
    );
    let r = json(&o);
    assert_eq!(r["requests"], 4);
    assert_eq!(r["totals"]["fetched"], 2);
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("metadata.json")).unwrap()).unwrap();
    let club = &meta["files"]["district-61/club-performance.csv"];
    assert_eq!(club["status"], 200);
    assert_eq!(club["as_of"], "2026-06-09");
    assert_eq!(club["data_month"], "2026-06");
    assert_eq!(club["closing"], false);
    assert_eq!(
        club["bytes"],
        std::fs::metadata(folder.join("district-61/club-performance.csv"))
            .unwrap()
            .len()
    );
    assert!(
        club["url"]
            .as_str()
            .unwrap()
            .ends_with("clubperformance~61~~6/9/2026~2025-2026")
    );
    assert_eq!(meta["date"], "2026-06-09");
    assert_eq!(meta["isClosingPeriod"], false);
    assert!(meta["tool"].as_str().unwrap().starts_with("toaststats "));

    // Resumed: the date is complete for district 61, so nothing is sent.
    ti.clear_hits();
    let again = fetch(
        &cache,
        &ti,
        &["--date", "2026-06-09", "--districts", "61", "--json"],
    );
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert_eq!(ti.requests(), 0);
    assert_eq!(json(&again)["totals"]["skipped"], 2);
    let log = std::fs::read_to_string(cache.join("fetch-log.jsonl")).unwrap();
    assert_eq!(log.lines().count(), 2);
    let last: serde_json::Value = serde_json::from_str(log.lines().last().unwrap()).unwrap();
    assert_eq!(
        (last["requests"].as_u64(), last["exit_code"].as_i64()),
        (Some(0), Some(0))
    );

    // The fetched cache builds.
    let site = tmp.path().join("site");
    let b = run(&[
        "build",
        "--cache",
        &cache.display().to_string(),
        "--site",
        &site.display().to_string(),
        "--snapshot-time",
        "2026-06-10T06:00:00Z",
    ]);
    assert!(b.status.success(), "{}", stderr(&b));
}

#[test]
fn dry_run_prints_the_plan_and_sends_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, _, ti) = sample_ti(tmp.path(), 3);
    let cache = tmp.path().join("cache");
    let o = fetch(
        &cache,
        &ti,
        &["--date", "2026-11-08", "--districts", "1,2", "--dry-run"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(ti.requests(), 0);
    let text = stdout(&o);
    assert_eq!(text.lines().count(), 7, "{text}");
    assert!(
        text.contains(
            "/2026-2027/export.aspx?type=CSV&report=districtsummary~~11/8/2026~2026-2027"
        )
    );
    assert!(text.contains("divisionperformance~2~~11/8/2026~2026-2027"));
    assert!(!cache.exists(), "a dry run writes nothing");
}

#[test]
fn all_discovers_districts_from_the_summary_and_resume_reads_the_cached_one() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, date, ti) = sample_ti(tmp.path(), 3);
    let src_date = src.join("raw-csv/2026-11-08");
    // Serve a summary that lists only the districts TI has all reports for.
    let full = full_districts(&src_date);
    assert!(!full.is_empty());
    let ids: Vec<&str> = full.iter().map(String::as_str).collect();
    let summary = summary_for(&ids, "Nov", "11/08/2026");
    std::fs::write(src_date.join("all-districts.csv"), &summary).unwrap();
    ti.put(
        &report_value(date, Form::Daily, "all-districts.csv", ""),
        summary,
    );
    let cache = tmp.path().join("cache");
    let o = fetch(&cache, &ti, &["--date", "2026-11-08", "--all", "--json"]);
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
    assert_eq!(ti.requests(), 1 + 3 * full.len());
    assert_same(&src_date, &cache.join("raw-csv/2026-11-08"), &full);
    ti.clear_hits();
    let again = fetch(&cache, &ti, &["--date", "2026-11-08", "--all"]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert_eq!(ti.requests(), 0, "the cached summary lists the districts");
}

#[test]
fn month_ends_use_the_archived_export_of_a_closed_year() {
    let Some(real) = support::realdata() else {
        return;
    };
    let folder = real.join("cache/raw-csv/2024-06-30");
    let ti = FakeTi::start();
    let june = d(2024, 6, 30);
    for f in ["club-performance.csv", "district-performance.csv"] {
        ti.put(
            &report_value(june, Form::Archived, f, "91"),
            std::fs::read(folder.join("district-91").join(f)).unwrap(),
        );
    }
    // Real archives carry the download date as their as-of (DOMAIN.md §3.3); no division
    // sample of that year exists, so a real division file is re-stamped like one.
    let division = std::fs::read_to_string(
        real.join("cache/raw-csv/2026-06-09/district-61/division-performance.csv"),
    )
    .unwrap()
    .replace("As of 06/09/2026", "As of 09/13/2025");
    ti.put(
        &report_value(june, Form::Archived, "division-performance.csv", "91"),
        division.into_bytes(),
    );
    ti.put(
        &report_value(june, Form::Archived, "all-districts.csv", ""),
        summary_for(&["91"], "Jun", "09/13/2025"),
    );
    // May 2024 is served with the month-end slot filled and as-of empty.
    let may = d(2024, 5, 31);
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let o = fetch(
        &cache,
        &ti,
        &[
            "--from",
            "2024-05-15",
            "--to",
            "2024-06-30",
            "--month-ends",
            "--districts",
            "91",
            "--json",
        ],
    );
    let urls: Vec<String> = ti.hits().into_iter().map(|h| h.url).collect();
    assert!(
        urls[0].ends_with(&format!("report=districtsummary~5/31/2024~~{}", py(may))),
        "{urls:?}"
    );
    assert!(
        urls.iter()
            .any(|u| u == "/2023-2024/export.aspx?type=CSV&report=clubperformance~91~~~2023-2024"),
        "{urls:?}"
    );
    // May is not served by this fake: 404, a failure; June is complete.
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let r = json(&o);
    assert_eq!(r["dates"][0]["summary"]["status"], "failed");
    assert_eq!(r["dates"][1]["form"], "archived");
    assert_eq!(r["dates"][1]["districts"][0]["status"], "fetched");
    let out = cache.join("raw-csv/2024-06-30/district-91");
    assert_eq!(
        std::fs::read(out.join("club-performance.csv")).unwrap(),
        std::fs::read(folder.join("district-91/club-performance.csv")).unwrap()
    );
    assert!(!cache.join("raw-csv/2024-05-31").exists());
}

/// Copies a date folder with every footer replaced by `footer`.
pub(crate) fn refooter(src: &Path, dst: &Path, footer: &str) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.path().is_dir() {
            refooter(&e.path(), &to, footer);
        } else if e.file_name().to_string_lossy().ends_with(".csv") {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let body = text.trim_end().rsplit_once("\r\n").unwrap().0;
            std::fs::write(to, format!("{body}\r\n{footer}\r\n")).unwrap();
        }
    }
}

#[test]
fn backfill_uses_historical_urls_and_month_end_final_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let src = sample(&tmp.path().join("src"), 3, 6, 1);
    let day = src.join("raw-csv/2026-11-08");
    let full = full_districts(&day);
    let ti = FakeTi::start();
    ti.serve_folder(&day, d(2026, 11, 8), Form::Historical);
    // March's final figures, published (closed) on 8 April.
    let march = tmp.path().join("march");
    refooter(&day, &march, "Month of Oct, As of 11/03/2026");
    ti.serve_folder(&march, d(2026, 10, 31), Form::MonthEnd);
    let cache = tmp.path().join("cache");
    let o = fetch(
        &cache,
        &ti,
        &[
            "--from",
            "2026-11-08",
            "--to",
            "2026-11-08",
            "--districts",
            &full[0],
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let urls: Vec<String> = ti.hits().into_iter().map(|h| h.url).collect();
    assert!(
        urls[0].ends_with("report=districtsummary~10/31/2026~11/8/2026~2026-2027"),
        "{urls:?}"
    );
    assert_same(&day, &cache.join("raw-csv/2026-11-08"), &full[..1]);

    ti.clear_hits();
    let o = fetch(
        &cache,
        &ti,
        &[
            "--from",
            "2026-10-01",
            "--to",
            "2026-11-07",
            "--month-ends",
            "--districts",
            &full[0],
            "--json",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let urls: Vec<String> = ti.hits().into_iter().map(|h| h.url).collect();
    assert_eq!(urls.len(), 4, "one month end in range: {urls:?}");
    assert!(urls[1].ends_with(&format!(
        "report=clubperformance~{}~10/31/2026~~2026-2027",
        full[0]
    )));
    assert_same(&march, &cache.join("raw-csv/2026-10-31"), &full[..1]);
    let meta: serde_json::Value = serde_json::from_slice(
        &std::fs::read(cache.join("raw-csv/2026-10-31/metadata.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        meta["isClosingPeriod"], false,
        "final figures of March, not a closing download"
    );
    assert_eq!(meta["dataMonth"], "2026-10");
}

#[test]
fn server_errors_resets_cut_and_slow_bodies_are_retried_with_backoff() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, _, ti) = sample_ti(tmp.path(), 3);
    let src_date = src.join("raw-csv/2026-11-08");
    let full = full_districts(&src_date);
    let dd = full[0].clone();
    ti.fault("districtsummary", Fault::Status(500), 2);
    ti.fault(&format!("clubperformance~{dd}~"), Fault::Reset, 1);
    ti.fault(&format!("divisionperformance~{dd}~"), Fault::Cut, 1);
    ti.fault(
        &format!("districtperformance~{dd}~"),
        Fault::Slow(Duration::from_secs(4)),
        1,
    );
    let cache = tmp.path().join("cache");
    let o = fetch(
        &cache,
        &ti,
        &[
            "--date",
            "2026-11-08",
            "--districts",
            &dd,
            "--timeout",
            "1",
            "--json",
        ],
    );
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
    assert_same(
        &src_date,
        &cache.join("raw-csv/2026-11-08"),
        std::slice::from_ref(&dd),
    );
    let r = json(&o);
    assert_eq!(r["requests"], 4 + 5);
    assert_eq!(r["retries"], 5);
    // Backoff: the summary's retries wait at least 50 ms, then 100 ms (plus jitter).
    let hits = ti.hits();
    let gap = |i: usize| hits[i + 1].at - hits[i].at;
    assert!(gap(0) >= Duration::from_millis(50), "{:?}", gap(0));
    assert!(gap(1) >= Duration::from_millis(100), "{:?}", gap(1));
    assert!(gap(1) < Duration::from_millis(1000), "{:?}", gap(1));
}

#[test]
fn too_many_requests_honours_retry_after() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, _, ti) = sample_ti(tmp.path(), 3);
    ti.fault("districtsummary", Fault::TooMany(1), 1);
    let cache = tmp.path().join("cache");
    let o = fetch(
        &cache,
        &ti,
        &["--date", "2026-11-08", "--districts", "1", "--dry-run"],
    );
    assert_eq!(ti.requests(), 0, "{}", stderr(&o));
    let o = fetch(&cache, &ti, &["--date", "2026-11-08", "--districts", "1"]);
    let hits = ti.hits();
    assert!(hits.len() >= 2, "{}", stderr(&o));
    let gap = hits[1].at - hits[0].at;
    assert!(
        gap >= Duration::from_millis(950),
        "Retry-After: 1 honoured, got {gap:?}"
    );
    assert!(hits[0].url == hits[1].url);
}

#[test]
fn not_found_is_not_retried() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, _, ti) = sample_ti(tmp.path(), 3);
    let cache = tmp.path().join("cache");
    // District 999 is not on the server: one 404, no retry, a failure.
    let o = fetch(
        &cache,
        &ti,
        &["--date", "2026-11-08", "--districts", "999", "--json"],
    );
    assert_eq!(code(&o), 1);
    assert_eq!(ti.requests(), 2, "summary, then one club request");
    let r = json(&o);
    let reason = r["dates"][0]["districts"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("HTTP 404 (not retried)"), "{reason}");
    // The summary was stored: the date folder exists, without district 999.
    assert!(cache.join("raw-csv/2026-11-08/all-districts.csv").is_file());
    assert!(!cache.join("raw-csv/2026-11-08/district-999").exists());
}

#[test]
fn html_with_200_and_truncated_bodies_fail_their_district_only() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, _, ti) = sample_ti(tmp.path(), 5);
    let src_date = src.join("raw-csv/2026-11-08");
    let full = full_districts(&src_date);
    assert!(full.len() >= 3, "{full:?}");
    let (a, b, c) = (&full[0], &full[1], &full[2]);
    ti.fault(&format!("clubperformance~{a}~"), Fault::Html, 1);
    ti.fault(&format!("divisionperformance~{b}~"), Fault::Truncated, 1);
    let list = format!("{a},{b},{c}");
    let cache = tmp.path().join("cache");
    let o = fetch(
        &cache,
        &ti,
        &["--date", "2026-11-08", "--districts", &list, "--json"],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let r = json(&o);
    let units = &r["dates"][0]["districts"];
    assert_eq!(units[0]["status"], "failed");
    assert!(
        units[0]["reason"]
            .as_str()
            .unwrap()
            .contains("HTML page served instead of CSV")
    );
    assert_eq!(units[1]["status"], "failed");
    assert!(
        units[1]["reason"].as_str().unwrap().contains("truncated"),
        "{}",
        units[1]
    );
    assert_eq!(units[2]["status"], "fetched");
    assert_eq!(
        r["requests"],
        1 + 1 + 2 + 3,
        "a failed district stops at its bad file"
    );
    let out = cache.join("raw-csv/2026-11-08");
    assert!(!out.join(format!("district-{a}")).exists());
    assert!(
        !out.join(format!("district-{b}")).exists(),
        "no half district"
    );
    assert_same(&src_date, &out, std::slice::from_ref(c));
    // The next run fetches only what is missing.
    ti.clear_hits();
    let again = fetch(&cache, &ti, &["--date", "2026-11-08", "--districts", &list]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert_eq!(ti.requests(), 6);
    assert_same(&src_date, &out, &full[..3]);
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("metadata.json")).unwrap()).unwrap();
    assert_eq!(meta["files"].as_object().unwrap().len(), 10);
}

#[test]
fn header_only_other_as_of_and_error_redirects_mean_not_published() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, _, ti) = sample_ti(tmp.path(), 5);
    let full = full_districts(&src.join("raw-csv/2026-11-08"));
    let (a, b, c) = (&full[0], &full[1], &full[2]);
    ti.fault(&format!("clubperformance~{a}~"), Fault::HeaderOnly, 1);
    ti.fault(
        &format!("clubperformance~{b}~"),
        Fault::AsOf("11/07/2026"),
        1,
    );
    ti.fault(&format!("clubperformance~{c}~"), Fault::ErrorRedirect, 1);
    let cache = tmp.path().join("cache");
    let list = format!("{a},{b},{c}");
    let o = fetch(
        &cache,
        &ti,
        &["--date", "2026-11-08", "--districts", &list, "--json"],
    );
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    let r = json(&o);
    let units = &r["dates"][0]["districts"];
    let reason = |i: usize| units[i]["reason"].as_str().unwrap().to_string();
    assert!(
        units
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["status"] == "unavailable")
    );
    assert!(reason(0).contains("header-only"), "{}", reason(0));
    assert!(
        reason(1).contains("as of 2026-11-07, not 2026-11-08"),
        "{}",
        reason(1)
    );
    assert!(
        reason(2).contains("error.aspx") && reason(2).contains("not published"),
        "{}",
        reason(2)
    );
    assert_eq!(
        r["requests"], 4,
        "no retries on answers that mean not published"
    );
    // A whole date not published: the summary says so, the districts are not asked for.
    ti.clear_hits();
    ti.fault("districtsummary", Fault::ErrorRedirect, 1);
    let fresh = tmp.path().join("cache2");
    let o = fetch(&fresh, &ti, &["--date", "2026-11-08", "--districts", &list]);
    assert_eq!(code(&o), 3);
    assert_eq!(ti.requests(), 1);
    assert!(!fresh.join("raw-csv/2026-11-08").exists());
    assert!(!fresh.join("raw-csv/.partial-2026-11-08").exists());
}

#[test]
fn july_rollover_unpublished_year_is_not_published_not_a_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let src = sample(&tmp.path().join("src"), 3, 6, 1);
    let day = src.join("raw-csv/2026-11-08");
    let full = full_districts(&day);
    let ti = FakeTi::start();
    // TI redirects every export of the new program year to its error page, and the old
    // year's dashboard has nothing for that day either.
    ti.serve_folder(&day, d(2026, 7, 10), Form::Daily);
    ti.fault("~2026-2027", Fault::ErrorRedirect, 1000);
    let cache = tmp.path().join("cache");
    let o = fetch(
        &cache,
        &ti,
        &["--date", "2026-07-10", "--districts", &full[0], "--json"],
    );
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    let urls: Vec<String> = ti.hits().into_iter().map(|h| h.url).collect();
    assert_eq!(
        urls.len(),
        2,
        "the districts of an unpublished date are not asked for"
    );
    assert!(urls[0].starts_with(
        "/2026-2027/export.aspx?type=CSV&report=districtsummary~~7/10/2026~2026-2027"
    ));
    assert!(urls[1].starts_with(
        "/2025-2026/export.aspx?type=CSV&report=districtsummary~~7/10/2026~2025-2026"
    ));
    let r = json(&o);
    let reason = r["dates"][0]["summary"]["reason"].as_str().unwrap();
    assert!(
        reason.contains("program year 2026-2027 is not published"),
        "{reason}"
    );
    assert_eq!(r["dates"][0]["districts"][0]["status"], "unavailable");
    assert_eq!(r["totals"]["failed"], 0);
}

#[test]
fn july_day_comes_from_the_june_close_while_the_new_year_is_unpublished() {
    let tmp = tempfile::tempdir().unwrap();
    let src = sample(&tmp.path().join("src"), 3, 6, 1);
    let day = src.join("raw-csv/2026-11-08");
    let full = full_districts(&day);
    // The old year's dashboard serves the June close, stamped with the July day.
    let june = tmp.path().join("june");
    refooter(&day, &june, "Month of Jun, As of 07/10/2026");
    let ti = FakeTi::start();
    ti.serve_folder(&june, d(2026, 7, 10), Form::Daily);
    ti.fault("~2026-2027", Fault::ErrorRedirect, 1000);
    let old = |v: String| v.replace("~2026-2027", "~2025-2026");
    for (file, dd) in [
        ("all-districts.csv", ""),
        ("club-performance.csv", full[0].as_str()),
        ("division-performance.csv", full[0].as_str()),
        ("district-performance.csv", full[0].as_str()),
    ] {
        let rel = if dd.is_empty() {
            file.to_string()
        } else {
            format!("district-{dd}/{file}")
        };
        ti.put(
            &old(report_value(d(2026, 7, 10), Form::Daily, file, dd)),
            std::fs::read(june.join(rel)).unwrap(),
        );
    }
    let cache = tmp.path().join("cache");
    let o = fetch(
        &cache,
        &ti,
        &["--date", "2026-07-10", "--districts", &full[0], "--json"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        ti.requests(),
        5,
        "new year once, then the June close: summary and 3 reports"
    );
    let r = json(&o);
    assert_eq!(r["dates"][0]["program_year"], "2025-2026");
    let out = cache.join("raw-csv/2026-07-10");
    assert_same(&june, &out, &full[..1]);
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("metadata.json")).unwrap()).unwrap();
    assert_eq!(meta["isClosingPeriod"], true);
    assert_eq!(meta["dataMonth"], "2026-06");
    assert_eq!(meta["programYear"], "2025-2026");
    // Resumed, a missing district is asked of the dashboard that served the summary.
    std::fs::remove_dir_all(out.join(format!("district-{}", full[0]))).unwrap();
    ti.clear_hits();
    let o = fetch(
        &cache,
        &ti,
        &["--date", "2026-07-10", "--districts", &full[0]],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let urls: Vec<String> = ti.hits().into_iter().map(|h| h.url).collect();
    assert_eq!(urls.len(), 3, "{urls:?}");
    assert!(
        urls.iter().all(|u| u.starts_with("/2025-2026/")),
        "{urls:?}"
    );
    assert_same(&june, &out, &full[..1]);
}

#[test]
fn circuit_breaker_stops_after_five_failed_requests() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, _, ti) = sample_ti(tmp.path(), 3);
    let full = full_districts(&src.join("raw-csv/2026-11-08"));
    ti.fault("export.aspx", Fault::Status(503), 1000);
    let cache = tmp.path().join("cache");
    let o = fetch(
        &cache,
        &ti,
        &[
            "--date",
            "2026-11-08",
            "--districts",
            &full.join(","),
            "--retries",
            "20",
            "--json",
        ],
    );
    assert_eq!(code(&o), 1);
    assert_eq!(ti.requests(), 5);
    let r = json(&o);
    let stopped = r["stopped"].as_str().unwrap();
    assert!(
        stopped.contains("5 consecutive failed requests") && stopped.contains("HTTP 503"),
        "{stopped}"
    );
    assert!(!cache.join("raw-csv/2026-11-08").exists());
}

#[test]
fn rate_limit_spaces_requests() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, _, ti) = sample_ti(tmp.path(), 5);
    let full = full_districts(&src.join("raw-csv/2026-11-08"));
    let cache = tmp.path().join("cache");
    let started = Instant::now();
    let o = fetch(
        &cache,
        &ti,
        &[
            "--date",
            "2026-11-08",
            "--districts",
            &full[..3].join(","),
            "--rate",
            "5",
            "--concurrency",
            "3",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let hits = ti.hits();
    assert_eq!(hits.len(), 10);
    let mut at: Vec<Instant> = hits.iter().map(|h| h.at).collect();
    at.sort();
    // Request k after request i arrives at least (k - i) × 200 ms later at 5/s, less a
    // jitter allowance for one late start on a busy machine (measured up to ~70 ms with
    // other builds running); the allowance does not grow with k, so there is no drift.
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
    assert!(at[at.len() - 1] - at[0] >= Duration::from_millis(1800 - 90));
    assert!(started.elapsed() >= Duration::from_millis(1800));
}

#[test]
fn kill_loop_never_shows_a_partial_date_to_build() {
    let tmp = tempfile::tempdir().unwrap();
    let src = sample(&tmp.path().join("src"), 4, 6, 2);
    let ti = FakeTi::start();
    ti.serve_cache_daily(&src);
    ti.set_delay(Duration::from_millis(3));
    let dates = ["2026-11-07", "2026-11-08"];
    let full: Vec<Vec<String>> = dates
        .iter()
        .map(|dt| full_districts(&src.join("raw-csv").join(dt)))
        .collect();
    let cache = tmp.path().join("cache");
    let args = |date: &str, ids: &[String]| -> Vec<String> {
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
    let probe = tmp.path().join("probe");
    let t0 = Instant::now();
    let mut a = args(dates[0], &full[0]);
    a[2] = probe.display().to_string();
    assert!(run(&a).status.success());
    let span = t0.elapsed().as_micros() as u64;
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let (mut kills, mut builds, mut visible_kills, mut i) = (0, 0, 0, 0);
    while kills < 50 {
        assert!(i < 400, "could not land 50 kills");
        i += 1;
        let k = i % 2;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_toaststats"))
            .args(args(dates[k], &full[k]))
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
            child.kill().unwrap();
            kills += 1;
            child.wait().unwrap();
        } else {
            // Finished before the kill: take work away so later kills find some, either the
            // whole date (a new folder appears by one rename) or one district (it joins an
            // existing folder).
            let out = cache.join("raw-csv").join(dates[k]);
            if i % 3 == 0 {
                let _ = std::fs::remove_dir_all(&out);
            } else {
                let victim = &full[k][(seed % full[k].len() as u64) as usize];
                let _ = std::fs::remove_dir_all(out.join(format!("district-{victim}")));
            }
        }
        // Whatever is visible must be complete and byte-identical.
        for (dt, ids) in dates.iter().zip(&full) {
            let out = cache.join("raw-csv").join(dt);
            if !out.exists() {
                continue;
            }
            for e in std::fs::read_dir(&out).unwrap() {
                let name = e.unwrap().file_name().to_string_lossy().into_owned();
                if name.starts_with(".tmp-") {
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
                    assert_same(&src.join("raw-csv").join(dt), &out, &[id.to_string()]);
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
        let o = run(&args(dt, &full[k]));
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert_same(
            &src.join("raw-csv").join(dt),
            &cache.join("raw-csv").join(dt),
            &full[k],
        );
        let names: Vec<String> = std::fs::read_dir(cache.join("raw-csv"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            !names.iter().any(|n| n == &format!(".partial-{dt}")),
            "{names:?}"
        );
        let inside: Vec<String> = std::fs::read_dir(cache.join("raw-csv").join(dt))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(inside.is_empty(), "leftovers cleared: {inside:?}");
    }
    ti.clear_hits();
    for (k, dt) in dates.iter().enumerate() {
        assert_eq!(code(&run(&args(dt, &full[k]))), 0);
    }
    assert_eq!(ti.requests(), 0, "complete dates cost no request");
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
    let src = sample(&tmp.path().join("src"), 6, 8, 3);
    // TI serves every report of every district it lists; the generator also makes
    // districts with only a club report, which a fetch cannot reproduce: drop them.
    let mut dates = Vec::new();
    for e in std::fs::read_dir(src.join("raw-csv")).unwrap() {
        let e = e.unwrap();
        let date_dir = e.path();
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
        dates.push((e.file_name().to_string_lossy().into_owned(), full));
    }
    dates.sort();
    let ti = FakeTi::start();
    ti.serve_cache_daily(&src);
    let cache = tmp.path().join("cache");
    for (date, full) in &dates {
        let o = fetch(
            &cache,
            &ti,
            &[
                "--date",
                date,
                "--districts",
                &full.join(","),
                "--rate",
                "0",
            ],
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

#[test]
fn usage_errors_exit_2_and_the_config_file_fills_in() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, _, ti) = sample_ti(tmp.path(), 3);
    let cache = tmp.path().join("cache");
    let o = fetch(&cache, &ti, &["--date", "2026-11-08"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--districts"), "{}", stderr(&o));
    let o = fetch(
        &cache,
        &ti,
        &["--from", "2026-11-08", "--to", "2026-04-01", "--all"],
    );
    assert_eq!(code(&o), 2);
    let o = run(&[
        "fetch",
        "--all",
        "--date",
        "2026-11-08",
        "--from",
        "2026-04-01",
    ]);
    assert_eq!(code(&o), 2, "clap's own usage errors");
    let bad = tmp.path().join("bad.toml");
    std::fs::write(&bad, "districts = [1]\nrat = 3\n").unwrap();
    let o = run(&[
        "fetch",
        "--config",
        &bad.display().to_string(),
        "--date",
        "2026-11-08",
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("rat"), "{}", stderr(&o));
    assert_eq!(ti.requests(), 0);

    // toaststats.toml in the working directory: districts, cache, base_url.
    let full = full_districts(&src.join("raw-csv/2026-11-08"));
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(
        work.join("toaststats.toml"),
        format!(
            "districts = [\"{}\"]\ncache = \"c\"\nbase_url = \"{}\"\nrate = 0\nconcurrency = 1\n",
            full[0], ti.base
        ),
    )
    .unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_toaststats"))
        .current_dir(&work)
        .args(["fetch", "--date", "2026-11-08"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        work.join(format!(
            "c/raw-csv/2026-11-08/district-{}/club-performance.csv",
            full[0]
        ))
        .is_file()
    );
}

/// World size (128 districts × 117 clubs) through the fake TI with the rate lifted;
/// `bench/fetch.sh` runs it and prints the figures.
#[test]
#[ignore]
fn world_size_fetch() {
    let tmp = tempfile::tempdir().unwrap();
    let src = sample(&tmp.path().join("src"), 128, 117, 1);
    let ti = FakeTi::start();
    let files = ti.serve_cache_daily(&src);
    let date_dir = src.join("raw-csv/2026-11-08");
    let full = full_districts(&date_dir);
    let cache = tmp.path().join("cache");
    let concurrency = std::env::var("FETCH_CONCURRENCY").unwrap_or_else(|_| "4".into());
    let o = fetch(
        &cache,
        &ti,
        &[
            "--date",
            "2026-11-08",
            "--districts",
            &full.join(","),
            "--rate",
            "0",
            "--concurrency",
            &concurrency,
            "--json",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let r = json(&o);
    assert_same(&date_dir, &cache.join("raw-csv/2026-11-08"), &full);
    println!(
        "world fetch: {} districts ({} files served), {} requests, {} bytes in {:.2}s = {:.0} requests/s (concurrency {concurrency})",
        full.len(),
        files,
        r["requests"],
        r["bytes"],
        r["seconds"].as_f64().unwrap(),
        r["requests_per_second"].as_f64().unwrap()
    );
}
