//! Right across dates (issue 20 items 2 and 3), with expected values read from TI's CSV
//! files here: year over year on the sample's newest date compares with last program
//! year's newest figures before the same day, and District 61's change across its gap
//! (30 June 2025 → 9 June 2026) is measured from the start of the program year.

use crate::history::{count_active, rows};
use crate::support::{self, Fixture};
use std::path::Path;

#[test]
fn sample_year_over_year_on_its_newest_date_names_the_date_compared_with() {
    let fx = Fixture::new();
    let cache = Path::new(&support::sample_cache()).to_path_buf();
    support::build_into(&cache, &fx.site(), &[]);
    let raw = cache.join("raw-csv");
    // the sample's newest date is 8 November 2026; last year has 31 October and
    // 30 November 2025: the newest on or before 8 November 2025 is 31 October
    let h = fx.read_json("api/v1/districts/02/history.json");
    let yoy = &h["year_over_year"];
    assert_eq!(yoy["data_date"], "2026-11-08");
    assert_eq!(yoy["target_date"], "2025-11-08");
    assert_eq!(yoy["compared_date"], "2025-10-31");
    let now = count_active(&raw.join("2026-11-08/district-02/club-performance.csv"));
    let then = count_active(&raw.join("2025-10-31/district-02/club-performance.csv"));
    assert_eq!(yoy["paid_clubs"]["now"], now);
    assert_eq!(yoy["paid_clubs"]["then"], then);
    assert_eq!(yoy["paid_clubs"]["change"], now - then);
    // every headline card names the date, none is unknown
    let page = std::fs::read_to_string(fx.site().join("current/districts/02/index.html")).unwrap();
    let cards = &page[page.find("<dl class=\"cards headline\">").unwrap()..];
    let cards = &cards[..cards.find("</dl>").unwrap()];
    assert_eq!(cards.matches("<dd>last year ").count(), 4, "{cards}");
    assert!(!cards.contains("last year unknown"));
    // the date compared is named once, under the cards
    assert!(page.contains(
        "<p class=\"note\" id=\"last-year\">Last year: the figures of 31 October 2025, the same point of the previous program year.</p>"
    ));
    assert!(page.contains(
        "Year over year compares 8 November 2026 with 31 October 2025, last program year&#39;s newest figures before 8 November 2025"
    ));
}

#[test]
fn district_61_across_its_gap_counts_since_the_start_of_the_program_year() {
    let Some(real) = support::realdata() else {
        return;
    };
    let fx = Fixture::new();
    support::build_into(&real.join("cache"), &fx.site(), &[]);
    let c = fx.read_json("api/v1/districts/61/changes.json");
    let d = &c["since_previous_date"];
    assert_eq!(d["since"], "program_year_start");
    assert_eq!(d["from_date"], "2025-07-01");
    assert_eq!(d["to_date"], "2026-06-09");
    assert_eq!(d["previous_date"], "2025-06-30");
    assert_eq!(d["span_days"], 343);
    assert_eq!(d["long_span"], true);
    // From TI's 9 June 2026 file: clubs with TI's code reached a level this year (June:
    // levels are official and ours agree with TI's), clubs with goals met them this year.
    let file = real.join("cache/raw-csv/2026-06-09/district-61/club-performance.csv");
    let clubs = rows(&file);
    let coded = clubs
        .iter()
        .filter(|r| !r["Club Distinguished Status"].trim().is_empty())
        .count();
    let with_goals = clubs
        .iter()
        .filter(|r| r["Goals Met"].trim().parse::<i64>().unwrap_or(0) > 0)
        .count();
    let kind = |k: &str| {
        d["clubs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["kind"] == k)
            .count()
    };
    assert_eq!(kind("level"), coded);
    assert_eq!(coded, 57);
    assert_eq!(kind("level_dropped"), 0, "nothing to drop from on 1 July");
    assert_eq!(kind("goals"), with_goals);
    assert_eq!(
        kind("moved"),
        0,
        "no comparison with the other program year"
    );
    // totals against 1 July: members against the base, on track from nothing
    let members: i64 = clubs
        .iter()
        .map(|r| r["Active Members"].trim().parse::<i64>().unwrap())
        .sum();
    let base: i64 = clubs
        .iter()
        .map(|r| r["Mem. Base"].trim().parse::<i64>().unwrap())
        .sum();
    assert_eq!(d["totals"]["active_members"], members - base);
    assert_eq!(d["totals"]["distinguished_on_track"], coded as i64);
    assert!(
        d["totals"]["paid_clubs"].is_null(),
        "unknown on 1 July, never 0"
    );
    // the changes page names the span and lists every club, the long list collapsed; the
    // summary page names the span and counts them
    let summary =
        std::fs::read_to_string(fx.site().join("current/districts/61/index.html")).unwrap();
    assert!(
        summary.contains("Reached a level: 57"),
        "the summary counts"
    );
    let page =
        std::fs::read_to_string(fx.site().join("current/districts/61/changes/index.html")).unwrap();
    assert!(page.contains(
        "<h3>Since the start of the program year, 1 July 2025 (to 9 June 2026, a long span of 11 months): the previous data date, 30 June 2025, is of the previous program year</h3>"
    ));
    let start = page
        .find("<details><summary><strong>Reached a level</strong> (57)</summary>")
        .expect("collapsed list of 57");
    let list = &page[start..start + page[start..].find("</details>").unwrap()];
    assert_eq!(list.matches("<li>").count(), 57);
    assert!(
        !page.contains("more in <a"),
        "never cut with a link to raw JSON"
    );
}

/// Issue 21 item 4: the closing-period downloads of 1–3 November 2026 all stand for 31
/// October. When the later ones lack District 02, its October point is its own newest
/// collection of that month (31 October), not gone.
#[test]
fn issue21_item4_month_end_point_is_each_districts_own_newest_collection() {
    let raw = Path::new(&support::sample_cache()).join("raw-csv");
    let skip = [
        "2026-11-01/district-02",
        "2026-11-02/district-02",
        "2026-11-03/district-02",
    ];
    let fx = support::sample_copy(&skip, &[]);
    let out = fx.build(&[]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let h = fx.read_json("api/v1/districts/02/history.json");
    let october = h["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["data_date"] == "2026-10-31")
        .expect("District 02's October point");
    assert_eq!(
        october["collection_date"], "2026-11-03",
        "the date's folder"
    );
    let paid = count_active(&raw.join("2026-10-31/district-02/club-performance.csv"));
    assert_eq!(october["totals"]["paid_clubs"], paid);
    // District 01 still comes from the newest collection
    let h = fx.read_json("api/v1/districts/01/history.json");
    let october = h["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["data_date"] == "2026-10-31")
        .unwrap();
    let paid = count_active(&raw.join("2026-11-03/district-01/club-performance.csv"));
    assert_eq!(october["totals"]["paid_clubs"], paid);
}

/// Issue 21 item 5: a 2025-26 header (before the `or EOM` rename) in a 2026-27 folder is
/// read, with a warning naming the file and both layouts.
#[test]
fn issue21_item5_another_years_header_is_a_warning_naming_both_layouts() {
    let club = "2026-11-08/district-02/club-performance.csv";
    let to_2025_26 = |t: String| t.replacen(" or EOM\"", "\"", 2);
    let fx = support::sample_copy(&[], &[(club, &to_2025_26)]);
    let out = fx.build(&[]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let err = support::stderr(&out);
    assert!(
        err.contains(&format!(
            "raw-csv/{club}:1: warning: the header is TI's club-C-2025-26 layout, but the data is of program year 2026-2027, whose layout is club-D-2026-27"
        )),
        "{err}"
    );
}

/// Issue 21 item 5: a club listed under an old number with a new name and a new charter
/// date is warned about once, naming the newer file and what differs.
#[test]
fn issue21_item5_a_renamed_club_with_a_new_charter_date_is_a_warning() {
    let dir = "2026-11-08/district-01";
    let rename = |t: String| t.replace("Perth Corporate Orators", "Perth New Speakers");
    let recharter = |t: String| {
        t.replace("Perth Corporate Orators", "Perth New Speakers")
            .replace("\"Charter 08/30/26\"", "\"Charter 11/02/26\"")
    };
    let (club, district) = (
        format!("{dir}/club-performance.csv"),
        format!("{dir}/district-performance.csv"),
    );
    let fx = support::sample_copy(&[], &[(&club, &rename), (&district, &recharter)]);
    let out = fx.build(&[]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let err = support::stderr(&out);
    let warning = format!(
        "raw-csv/{club}: warning: club 28690219 is \"Perth New Speakers\", chartered 2026-11-02, but on 2026-11-07 it was \"Perth Corporate Orators\", chartered 2026-08-30"
    );
    assert_eq!(err.matches(&warning).count(), 1, "{err}");
    // a rename alone (same charter date) is not a new club
    let fx = support::sample_copy(&[], &[(&club, &rename), (&district, &rename)]);
    let err = support::stderr(&fx.build(&[]));
    assert!(!err.contains("old number"), "{err}");
}
