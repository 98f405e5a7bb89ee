//! Month-end reconciliation (issue 24): the sample's October 2026 close (collected on 31
//! October and three closing days, final from 4 November), a constructed revision in
//! the last closing collection, and a cache whose newest month is still closing.

use super::support::{Fixture, sample_copy};
use serde_json::Value;

const CLUB_FILE: &str = "2026-11-03/district-02/club-performance.csv";
const DISTRICT_FILE: &str = "2026-11-03/district-02/district-performance.csv";
const EVENING: &str = "\"02\",\"A\",\"01\",\"01578717\",\"Evening Riverside Speakers\",\"Active\"";

/// TI revises October on its last closing day: Evening Riverside Speakers gains three
/// members and five payments (as a late close does: DOMAIN.md §3.3, district 44's June).
fn revised_sample() -> Fixture {
    let members = |text: String| {
        text.lines()
            .map(|l| {
                if l.starts_with(EVENING) {
                    // Mem. Base, Active Members, Net Growth: 21, 19, -2 → 21, 22, +1
                    l.replacen("\"21\",\"19\",\"-2\"", "\"21\",\"22\",\"1\"", 1)
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    };
    let payments = |text: String| {
        text.replace(
            "\"01578717\",\"Evening Riverside Speakers\",\"5\",\"0\",\"12\",\"0\",\"12\",\"0\",\"17\"",
            "\"01578717\",\"Evening Riverside Speakers\",\"5\",\"5\",\"12\",\"0\",\"17\",\"0\",\"22\"",
        )
    };
    let fx = sample_copy(&[], &[(CLUB_FILE, &members), (DISTRICT_FILE, &payments)]);
    let out = fx.build(&[]);
    assert!(out.status.success(), "{}", super::support::stderr(&out));
    fx
}

fn october(file: &Value) -> &Value {
    file["months"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["month"] == "2026-10")
        .expect("October 2026 is reconciled")
}

#[test]
fn the_samples_october_close_lists_every_collection_and_when_it_became_final() {
    let fx = Fixture::sample_site(&[]);
    let file = fx.read_json("api/v1/districts/02/reconciliation.json");
    assert_eq!(file["district_id"], "02");
    let m = october(&file);
    let dates: Vec<&str> = m["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["collection_date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        ["2026-10-31", "2026-11-01", "2026-11-02", "2026-11-03"]
    );
    assert_eq!(m["collections"][0]["closing"], false);
    assert_eq!(m["collections"][3]["closing"], true);
    assert_eq!(m["state"], "final");
    // the first collection of November's data
    assert_eq!(m["final_on"], "2026-11-04");
    assert_eq!(m["first_collection"], "2026-10-31");
    assert_eq!(m["final_collection"], "2026-11-03");
    // the sample's closing days repeat the month's rows: nothing was revised
    assert_eq!(m["revised"], false);
    assert_eq!(m["district"]["active_members"]["difference"], 0);
    assert!(m["clubs"].as_array().unwrap().is_empty());
    // months collected once are not listed
    assert_eq!(file["months"].as_array().unwrap().len(), 1);
    // nothing revised and not closing: no section on the district page, the month on
    // the revisions page says so
    let page = fx.read_text("districts/02/index.html");
    assert!(!page.contains("h-revisions"));
    let revisions = fx.read_text("districts/02/revisions/index.html");
    assert!(revisions.contains("October 2026"), "{revisions}");
    assert!(
        revisions
            .contains("Final: TI published the next month&#39;s first figures on 4 November 2026")
    );
    assert!(revisions.contains("No figure of the district"));
}

#[test]
fn a_revision_in_the_close_shows_first_final_and_difference_for_district_division_area_and_club() {
    let fx = revised_sample();
    let file = fx.read_json("api/v1/districts/02/reconciliation.json");
    let m = october(&file);
    assert_eq!(m["revised"], true);
    let d = &m["district"];
    let members = &d["active_members"];
    assert_eq!(
        members["final"].as_i64().unwrap() - members["first"].as_i64().unwrap(),
        3
    );
    assert_eq!(members["difference"], 3);
    assert_eq!(d["payments"]["difference"], 5);
    assert_eq!(d["paid_clubs"]["difference"], 0);
    // the division and the area of the club, with their own figures
    let divisions = m["divisions"].as_array().unwrap();
    assert_eq!(divisions.len(), 1);
    assert_eq!(divisions[0]["division_id"], "A");
    assert_eq!(divisions[0]["figures"]["active_members"]["difference"], 3);
    assert_eq!(divisions[0]["figures"]["payments"]["difference"], 5);
    let areas = m["areas"].as_array().unwrap();
    assert_eq!(areas.len(), 1);
    assert_eq!(
        (&areas[0]["division_id"], &areas[0]["area_id"]),
        (&"A".into(), &"01".into())
    );
    // TI publishes no payments per area: unknown, not 0
    assert!(areas[0]["figures"]["payments"]["first"].is_null());
    let clubs = m["clubs"].as_array().unwrap();
    assert_eq!(clubs.len(), 1);
    assert_eq!(clubs[0]["club_number"], "01578717");
    assert_eq!(clubs[0]["active_members"]["first"], 19);
    assert_eq!(clubs[0]["active_members"]["final"], 22);
    // the history point of 31 October is the final figures
    let history = fx.read_json("api/v1/districts/02/history.json");
    let point = history["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["data_date"] == "2026-10-31")
        .unwrap();
    assert_eq!(point["totals"]["active_members"], members["final"]);
    // the newest month end was revised: the district page says so, with the club
    let page = fx.read_text("districts/02/index.html");
    assert!(page.contains("id=\"h-revisions\""), "no revisions section");
    assert!(page.contains("Month-end revisions: October 2026"));
    assert!(page.contains("Evening Riverside Speakers</a> <span class=\"muted\">Division A, Area 01</span>: members 19 → 22"));
    assert!(page.contains("href=\"revisions/index.html\""));
    // other districts were not revised
    let other = fx.read_json("api/v1/districts/03/reconciliation.json");
    assert_eq!(october(&other)["revised"], false);
}

#[test]
fn a_month_still_closing_is_provisional_and_says_so() {
    // the cache ends in October's close: November's first data is not in it yet
    let fx = super::support::sample_in_octobers_close();
    let out = fx.build(&[]);
    assert!(out.status.success(), "{}", super::support::stderr(&out));
    let file = fx.read_json("api/v1/districts/02/reconciliation.json");
    let m = october(&file);
    assert_eq!(m["state"], "closing");
    assert!(m["final_on"].is_null());
    let page = fx.read_text("districts/02/index.html");
    assert!(page.contains("id=\"h-revisions\""));
    assert!(page.contains("<strong>Provisional:</strong> Still closing"));
}

#[test]
fn an_earlier_date_reconciles_only_the_month_ends_up_to_it() {
    let fx = Fixture::sample_site(&["--date", "2026-09-30"]);
    let file = fx.read_json("api/v1/districts/02/reconciliation.json");
    assert!(file["months"].as_array().unwrap().is_empty());
}
