//! Regression tests for the reader defects of issue 10 (items 1–5, and the UTF-16 part of
//! 18), each named after the defect it pins. Every failing case checks the exact location
//! and that the published site is untouched (through [`fails`]); every tolerated case
//! checks the warning and the published result.

use super::*;

const CLUB62: &str = "2026-04-20/district-62/club-performance.csv";
const DIST62: &str = "2026-04-20/district-62/district-performance.csv";

/// `text` with TI's standard footer replaced by `footer`.
fn with_footer(text: &str, footer: &str) -> String {
    text.replace(FOOTER, footer)
}

/// Rewrites the footer of one file of the valid fixture.
fn set_footer(fx: &Fixture, rel: &str, footer: &str) {
    let path = fx.cache().join("raw-csv").join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    fx.write(rel, with_footer(&text, footer));
}

/// Copies the date folder `from` to `to` (both `YYYY-MM-DD` under raw-csv/).
fn copy_folder(fx: &Fixture, from: &str, to: &str) {
    let raw = fx.cache().join("raw-csv");
    copy_dir(&raw.join(from), &raw.join(to));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Runs a second build with extra environment variables; returns its output.
fn build_with_env(fx: &Fixture, env: &[(&str, &str)]) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_toaststats"));
    cmd.args(["build", "--cache"])
        .arg(fx.cache())
        .arg("--site")
        .arg(fx.site())
        .args(["--snapshot-time", SECOND_TIME])
        .env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run toaststats")
}

/// Like [`fails`] for a build needing environment variables: exit 1, an error line at
/// `location` with `phrase`, and the published site untouched.
fn fails_with_env(
    breaks: impl FnOnce(&Fixture),
    env: &[(&str, &str)],
    location: &str,
    phrase: &str,
) -> String {
    let p = Published::new();
    breaks(&p.fx);
    let out = build_with_env(&p.fx, env);
    let err = support::stderr(&out);
    assert_eq!(code(&out), Some(1), "stderr:\n{err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with(&format!("{location}: error: ")) && l.contains(phrase)),
        "expected an error at {location} containing {phrase:?}\nstderr:\n{err}"
    );
    p.assert_untouched();
    err
}

// ---------------------------------------------------------------------------------------
// Item 1: a date folder from the future poisons the store
// ---------------------------------------------------------------------------------------

#[test]
fn date_folder_from_the_future_9999_12_31() {
    let err = fails(
        |fx| copy_folder(fx, "2026-04-20", "9999-12-31"),
        "raw-csv/9999-12-31",
        &["folder date 9999-12-31 is outside the years 2000 to 2100"],
    );
    assert!(err.contains("raw-csv/9999-12-31: error: folder date 9999-12-31 is after the build clock (2026-04-22)"), "{err}");
    assert!(
        err.contains("build failed: date folder raw-csv/9999-12-31 is unusable"),
        "{err}"
    );
}

#[test]
fn date_folder_after_the_build_clock() {
    fails(
        |fx| copy_folder(fx, "2026-04-20", "2026-04-23"),
        "raw-csv/2026-04-23",
        &["folder date 2026-04-23 is after the build clock (2026-04-22)"],
    );
}

#[test]
fn date_folder_from_the_future_given_as_date_fails_too() {
    let p = Published::new();
    copy_folder(&p.fx, "2026-04-20", "2026-05-01");
    let out = support::run(&[
        "build".into(),
        "--cache".into(),
        p.fx.cache().into_os_string(),
        "--site".into(),
        p.fx.site().into_os_string(),
        "--snapshot-time".into(),
        SECOND_TIME.into(),
        "--date".into(),
        "2026-05-01".into(),
    ]);
    let err = support::stderr(&out);
    assert_eq!(code(&out), Some(1), "{err}");
    assert!(
        err.contains("raw-csv/2026-05-01: error: folder date 2026-05-01 is after the build clock"),
        "{err}"
    );
    p.assert_untouched();
}

#[test]
fn footer_as_of_after_the_folder_date() {
    // club report: header, two rows, footer on line 4
    fails(
        |fx| set_footer(fx, CLUB61, "Month of Apr, As of 04/25/2026"),
        &at(CLUB61, "4:1"),
        &["footer is stamped as of 2026-04-25, after the folder date 2026-04-20"],
    );
}

#[test]
fn footer_as_of_a_year_before_its_data_month() {
    fails(
        |fx| set_footer(fx, CLUB61, "Month of Apr, As of 04/20/2025"),
        &at(CLUB61, "4:1"),
        &["stamped as of 2025-04-20, before its data month April 2026 began"],
    );
}

#[test]
fn older_undatable_folder_is_skipped_with_a_warning_naming_its_first_error() {
    let p = warns(
        |fx| {
            copy_folder(fx, "2026-04-20", "2026-03-10");
        },
        Warning {
            file: "raw-csv/2026-03-10".into(),
            line: None,
            column: None,
            // April footers in a March folder: April of the year before, far past closing
            phrase: "date folder skipped (10 problem(s)), first: raw-csv/2026-03-10/all-districts.csv:4:1: footer says data month April 2025",
        },
    );
    let meta = p.fx.read_json("snapshot.json");
    assert_eq!(meta["data_date"], "2026-04-20", "{meta:#}");
}

// ---------------------------------------------------------------------------------------
// Item 2: the newest folder silently reinterpreted
// ---------------------------------------------------------------------------------------

#[test]
fn january_footer_in_the_april_summary() {
    let err = fails(
        |fx| set_footer(fx, SUMMARY, "Month of Jan, As of 04/20/2026"),
        &at(SUMMARY, "4:1"),
        &[
            "footer says data month January 2026, but the folder is dated 2026-04-20, 79 days after that month ended",
        ],
    );
    // judged against the month the other files agree on
    assert!(
        err.contains(&format!(
            "{}:4:1: error: footer says data month January 2026, but {}:4 says April 2026",
            at(SUMMARY, ""),
            at(CLUB61, "")
        )),
        "{err}"
    );
}

#[test]
fn june_footer_in_a_september_folder() {
    // The published April site, then a September folder (built in September) in which
    // district 61's club report says June: before, it turned the folder into a June
    // "closing period" and published the wrong month.
    let p = Published::new();
    copy_folder(&p.fx, "2026-04-20", "2026-09-10");
    for rel in [SUMMARY, CLUB61, DIST61, CLUB62, DIST62] {
        let rel = rel.replace("2026-04-20", "2026-09-10");
        set_footer(&p.fx, &rel, "Month of Sep, As of 09/10/2026");
    }
    let club = CLUB61.replace("2026-04-20", "2026-09-10");
    let path = p.fx.cache().join("raw-csv").join(&club);
    let text = std::fs::read_to_string(&path).unwrap();
    p.fx.write(&club, text.replace("Month of Sep", "Month of Jun"));
    let out = build_at(&p.fx, "2026-09-11T06:00:00Z");
    let err = support::stderr(&out);
    assert_eq!(code(&out), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "{}:4:1: error: footer says data month June 2026, but the folder is dated 2026-09-10, 72 days after that month ended",
            at(&club, "")
        )),
        "{err}"
    );
    p.assert_untouched();
}

#[test]
fn files_of_one_folder_disagree_on_the_data_month() {
    // March in an April-20 folder is a plausible closing period on its own (20 days), but
    // every other file says April.
    fails(
        |fx| set_footer(fx, CLUB61, "Month of Mar, As of 04/20/2026"),
        &at(CLUB61, "4:1"),
        &[
            "footer says data month March 2026, but raw-csv/2026-04-20/all-districts.csv:4 says April 2026: files of one date folder must hold the same month",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Item 3: malformed numbers, ids, files and links
// ---------------------------------------------------------------------------------------

#[test]
fn malformed_thousands_separator_2_7() {
    fails(
        |fx| club61_b_cell(fx, 8, "2,7"),
        &at(CLUB61, "3:9"),
        &[
            "column \"Active Members\"",
            "found \"2,7\"",
            "groups of three digits",
        ],
    );
}

#[test]
fn malformed_thousands_separators_around_digits() {
    fails(
        |fx| club61_b_cell(fx, 8, ",,2,,7,"),
        &at(CLUB61, "3:9"),
        &["found \",,2,,7,\"", "groups of three digits"],
    );
}

#[test]
fn well_formed_thousands_separator_reads_as_a_number() {
    let p = Published::new();
    summary(
        &p.fx,
        &[
            with_cell(&summary61(), 12, "1,046").replacen("\"10\",", "\"1,010\",", 1),
            summary62(),
        ],
    );
    let out = build_at(&p.fx, SECOND_TIME);
    assert_eq!(code(&out), Some(0), "{}", support::stderr(&out));
    let rankings = p.fx.read_json("api/v1/rankings.json");
    let d61 = rankings["rankings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["district_id"] == "61")
        .unwrap()
        .clone();
    assert!(d61.to_string().contains("1046"), "{d61:#}");
}

/// District 61's files again under `district-<id>`.
fn copy_district_61(fx: &Fixture, id: &str) {
    let raw = fx.cache().join("raw-csv/2026-04-20");
    copy_dir(
        &raw.join("district-61"),
        &raw.join(format!("district-{id}")),
    );
}

#[test]
fn district_1_beside_district_01() {
    fails(
        |fx| copy_district_61(fx, "061"),
        "raw-csv/2026-04-20/district-61",
        &["names the same district as raw-csv/2026-04-20/district-061"],
    );
}

#[test]
fn district_f_beside_district_capital_f() {
    fails(
        |fx| {
            for id in ["F", "f"] {
                fx.write(
                    &format!("2026-04-20/district-{id}/club-performance.csv"),
                    csv(&[CLUB_HEADER, &club_row("F", "00009901")]),
                );
            }
        },
        "raw-csv/2026-04-20/district-f",
        &["names the same district as raw-csv/2026-04-20/district-F"],
    );
}

#[test]
fn district_61_and_061_in_the_summary() {
    fails(
        |fx| {
            summary(
                fx,
                &[summary61(), summary62(), summary_row("05", "061", "0%")],
            )
        },
        &at(SUMMARY, "4"),
        &["district 061 is listed twice (also on line 2 as 61)"],
    );
}

#[test]
fn same_club_number_in_two_districts_on_one_date() {
    let err = fails(
        |fx| {
            // club A of district 61 appears again, as district 62's third club (line 4)
            let rows = [
                club_row("62", "62000001"),
                club_row("62", "62000002"),
                club_row("62", A),
            ];
            let mut lines = vec![CLUB_HEADER];
            lines.extend(rows.iter().map(String::as_str));
            fx.write(CLUB62, csv(&lines));
        },
        &at(CLUB61, "2"),
        &[&format!(
            "club {A} is also in {}:4; a club belongs to one district on one date",
            at(CLUB62, "")
        )],
    );
    assert!(
        err.contains(&format!(
            "{}:4: error: club {A} is also in {}:2",
            at(CLUB62, ""),
            at(CLUB61, "")
        )),
        "{err}"
    );
}

#[test]
fn all_districts_csv_that_is_a_folder() {
    fails(
        |fx| {
            let path = fx.cache().join("raw-csv").join(SUMMARY);
            std::fs::remove_file(&path).unwrap();
            std::fs::create_dir(&path).unwrap();
        },
        &at(SUMMARY, ""),
        &["is a folder, not a file"],
    );
}

#[test]
fn all_districts_csv_that_is_a_device() {
    // a named pipe: reading it would block the build forever
    let mkfifo = |fx: &Fixture| {
        let path = fx.cache().join("raw-csv").join(SUMMARY);
        std::fs::remove_file(&path).unwrap();
        let ok = std::process::Command::new("mkfifo").arg(&path).status();
        assert!(ok.is_ok_and(|s| s.success()), "mkfifo");
    };
    fails(
        mkfifo,
        &at(SUMMARY, ""),
        &["is not a regular file (a device, pipe or socket)"],
    );
}

#[test]
fn symlink_leading_out_of_the_cache() {
    fails(
        |fx| {
            let outside = fx.dir.path().join("elsewhere.csv");
            std::fs::write(&outside, valid_club61()).unwrap();
            let link = fx.cache().join("raw-csv").join(CLUB61);
            std::fs::remove_file(&link).unwrap();
            std::os::unix::fs::symlink(&outside, &link).unwrap();
        },
        &at(CLUB61, ""),
        &["symlink leads out of the cache"],
    );
}

#[test]
fn symlink_inside_the_cache_is_followed() {
    let p = Published::new();
    let raw = p.fx.cache().join("raw-csv");
    p.fx.write(".shared/club61.csv", valid_club61());
    let link = raw.join(CLUB61);
    std::fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink("../../.shared/club61.csv", &link).unwrap();
    let out = build_at(&p.fx, SECOND_TIME);
    let err = support::stderr(&out);
    assert_eq!(code(&out), Some(0), "{err}");
    assert!(!err.contains(": error: "), "{err}");
    // the same bytes through the link: the same content as the published snapshot
    assert_eq!(p.fx.current().as_deref(), Some(p.first.as_str()), "{err}");
}

#[test]
fn club_numbers_that_lost_their_leading_zeros() {
    let p = warns(
        |fx| {
            club61(fx, &[club("00009905"), club("00009906")]);
            dist61(
                fx,
                &[district_row("61", "9905"), district_row("61", "9906")],
            );
        },
        Warning {
            file: at(DIST61, ""),
            line: Some(2),
            column: None,
            phrase: "club number 9905 has fewer than TI's 8 digits (2 in this file): leading zeros were lost",
        },
    );
    // matched by value: both clubs carry their payments
    let district = p.fx.read_json("api/v1/districts/61.json");
    let clubs = district["clubs"].as_array().unwrap();
    assert_eq!(clubs.len(), 2);
    assert!(
        clubs.iter().all(|c| c["payments"]["total_to_date"] == 23),
        "{district:#}"
    );
}

// ---------------------------------------------------------------------------------------
// Item 4: size bounds and capped diagnostics
// ---------------------------------------------------------------------------------------

#[test]
fn fifty_kilobyte_club_name() {
    fails(
        |fx| club61_b_cell(fx, 4, &"x".repeat(50_000)),
        &at(CLUB61, "3:5"),
        &[
            "column \"Club Name\"",
            "cell holds 50000 bytes, more than the limit of 4096",
        ],
    );
}

#[test]
fn more_rows_than_the_row_limit() {
    fails_with_env(
        |_| {},
        &[("TOASTSTATS_MAX_ROWS", "1")],
        &at(SUMMARY, "3"),
        "more than 1 data rows",
    );
}

#[test]
fn date_folder_larger_than_the_size_limit() {
    fails_with_env(
        |_| {},
        &[("TOASTSTATS_MAX_FOLDER_BYTES", "1000")],
        "raw-csv/2026-04-20",
        "more than the limit of 1000",
    );
}

#[test]
fn malformed_limit_variable_is_an_error_naming_it() {
    fails_with_env(
        |_| {},
        &[("TOASTSTATS_MAX_ROWS", "lots")],
        "raw-csv/2026-04-20",
        "TOASTSTATS_MAX_ROWS=\"lots\" is not a whole number above zero",
    );
}

/// 299 duplicate-club errors in district 61 (its district report lists club A once).
fn three_hundred_copies_of_club_a(fx: &Fixture) {
    club61(fx, &vec![club(A); 300]);
    dist61(fx, &[district_row("61", A)]);
}

#[test]
fn three_hundred_errors_are_capped_in_the_report_and_the_output() {
    let err = fails(
        three_hundred_copies_of_club_a,
        &at(CLUB61, "3"),
        &["duplicate club number 61000001 (also on line 2)"],
    );
    assert!(
        err.contains("... and 199 more errors (the first 100 are listed)"),
        "{err}"
    );
    assert!(
        err.lines().filter(|l| l.contains(": error: ")).count() <= 101,
        "{err}"
    );
}

#[test]
fn failed_report_lists_at_most_the_cap() {
    let p = Published::new();
    three_hundred_copies_of_club_a(&p.fx);
    let out = build_at(&p.fx, SECOND_TIME);
    assert_eq!(code(&out), Some(1));
    let report_path = std::fs::read_dir(p.fx.site().join("failed"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|f| {
            f.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&format!("{SECOND_STAMP}-failed"))
        })
        .expect("the failed report");
    let report = json(&report_path);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 101, "{report:#}");
    assert_eq!(
        errors[100]["message"],
        "... and 199 more errors (the first 100 are listed)"
    );
    let log = log_lines(&p.fx);
    assert_eq!(
        log.last().unwrap()["errors"],
        299,
        "the log counts every error"
    );
}

// ---------------------------------------------------------------------------------------
// Item 5: control characters and formula injection
// ---------------------------------------------------------------------------------------

#[test]
fn nul_and_control_characters_in_a_club_name() {
    let p = warns(
        |fx| club61_b_cell(fx, 4, "Club\u{0} B\u{1b}[31m"),
        Warning {
            file: at(CLUB61, ""),
            line: Some(3),
            column: Some((5, "Club Name")),
            phrase: "control character U+0000 removed from 1 cell(s)",
        },
    );
    let csv = clubs_csv_of_61(&p.fx.site());
    for page in ["districts/61/index.html", &csv, "api/v1/districts/61.json"] {
        let bytes = read(&p.fx.site().join("current").join(page));
        assert!(
            !bytes.iter().any(|b| *b == 0 || *b == 0x1b),
            "{page} holds a control byte"
        );
        assert!(
            String::from_utf8_lossy(&bytes).contains("Club B[31m"),
            "{page}"
        );
    }
}

#[test]
fn formula_injection_in_clubs_csv() {
    let p = Published::new();
    let b = with_cell(&club(B), 4, "=HYPERLINK(A1)");
    // Mem. Base 15, Active 13: Net Growth -2 must stay a number
    let b = with_cell(&with_cell(&b, 7, "15"), 9, "-2");
    club61(&p.fx, &[club(A), b]);
    let out = build_at(&p.fx, SECOND_TIME);
    assert_eq!(code(&out), Some(0), "{}", support::stderr(&out));
    let csv = clubs_csv_of_61(&p.fx.site());
    let csv_text = String::from_utf8(read(&p.fx.site().join("current").join(csv))).unwrap();
    let row = csv_text
        .lines()
        .find(|l| l.contains(&format!("=\"{B}\"")))
        .unwrap();
    assert!(
        row.contains(&format!(",A,=\"01\",=\"{B}\",'=HYPERLINK(A1),")),
        "{row}"
    );
    assert!(row.contains(",15,13,-2,"), "{row}");
}

/// District 61's clubs CSV (named after its data date), from the current snapshot root.
fn clubs_csv_of_61(site: &std::path::Path) -> String {
    let dir = site.join("current/districts/61");
    let name = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("D61-clubs-") && n.ends_with(".csv"))
        .expect("a clubs CSV for district 61");
    format!("districts/61/{name}")
}

// ---------------------------------------------------------------------------------------
// Item 18: UTF-16 without a BOM
// ---------------------------------------------------------------------------------------

#[test]
fn utf16_le_without_bom_is_not_a_stray_quote() {
    let bytes: Vec<u8> = valid_club61()
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let err = fails(
        |fx| {
            fx.write(CLUB61, bytes);
        },
        &at(CLUB61, "1:1"),
        &["looks like UTF-16 (little-endian) without a byte-order mark"],
    );
    assert!(!err.contains("stray quote"), "{err}");
}
