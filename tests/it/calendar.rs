//! Issue 24: the deadline calendars of a sample build: one per built district, division
//! and area, RFC 5545 line rules, stable UIDs and bytes across builds, the visit deadlines
//! of the recognition rules, and the subscribe links of the district page.

use crate::support::{Fixture, build_into, sample_cache, tree};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use toaststats::recognition::units;

/// The sample's snapshot folder of `fx`, as path → bytes of every `.ics` file.
fn calendars(fx: &Fixture) -> BTreeMap<String, Vec<u8>> {
    tree(&fx.site().join("current").canonicalize().unwrap())
        .into_iter()
        .filter(|(p, _)| p.ends_with(".ics"))
        .collect()
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap()
}

/// Content lines with the folds undone (RFC 5545 §3.1).
fn unfold(ics: &str) -> Vec<String> {
    ics.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn uids(ics: &str) -> Vec<String> {
    unfold(ics)
        .into_iter()
        .filter_map(|l| l.strip_prefix("UID:").map(str::to_string))
        .collect()
}

#[test]
fn every_district_division_and_area_has_a_calendar() {
    let fx = Fixture::sample_site(&[]);
    let index = fx.read_json("api/v1/districts.json");
    let mut want = BTreeSet::new();
    for d in index["districts"].as_array().unwrap() {
        if d["status"] != "built" {
            continue;
        }
        let id = d["district_id"].as_str().unwrap();
        want.insert(format!("districts/{id}/calendar.ics"));
        let district = fx.read_json(&format!("api/v1/districts/{id}.json"));
        for dv in district["divisions"].as_array().unwrap() {
            let division = dv["division_id"].as_str().unwrap();
            want.insert(format!("districts/{id}/divisions/{division}/calendar.ics"));
            for a in dv["areas"].as_array().unwrap() {
                let area = a["area_id"].as_str().unwrap();
                want.insert(format!("districts/{id}/areas/{area}/calendar.ics"));
            }
        }
    }
    let got: BTreeSet<String> = calendars(&fx).into_keys().collect();
    assert!(want.len() > 20, "{want:?}");
    assert_eq!(got, want);
}

#[test]
fn calendars_keep_the_line_rules_and_fold_losslessly() {
    let fx = Fixture::sample_site(&[]);
    for (path, bytes) in calendars(&fx) {
        let ics = text(&bytes);
        assert!(ics.ends_with("\r\n"), "{path}");
        let physical: Vec<&str> = ics.trim_end_matches("\r\n").split("\r\n").collect();
        for line in &physical {
            assert!(
                !line.contains('\n') && !line.contains('\r'),
                "{path}: bare LF or CR"
            );
            assert!(line.len() <= 75, "{path}: {} octets: {line}", line.len());
        }
        // folds only ever add CRLF + space: joining the continuations gives the lines back
        let rejoined: String = physical
            .iter()
            .enumerate()
            .map(|(i, l)| match (i, l.strip_prefix(' ')) {
                (0, _) | (_, None) => format!("\n{l}"),
                (_, Some(rest)) => rest.to_string(),
            })
            .collect();
        let logical: Vec<&str> = rejoined.trim_start_matches('\n').split('\n').collect();
        assert_eq!(logical, unfold(ics), "{path}");
        assert_eq!(logical.first(), Some(&"BEGIN:VCALENDAR"), "{path}");
        assert_eq!(logical.last(), Some(&"END:VCALENDAR"), "{path}");
        for required in ["VERSION:2.0", "CALSCALE:GREGORIAN"] {
            assert!(logical.contains(&required), "{path}: {required}");
        }
        for prefix in ["PRODID:", "X-WR-CALNAME:", "X-WR-CALDESC:"] {
            assert!(
                logical.iter().any(|l| l.starts_with(prefix)),
                "{path}: {prefix}"
            );
        }
        let events = logical.iter().filter(|l| **l == "BEGIN:VEVENT").count();
        for prefix in [
            "UID:",
            "DTSTAMP:",
            "DTSTART;VALUE=DATE:",
            "DTEND;VALUE=DATE:",
            "SUMMARY:",
        ] {
            let n = logical.iter().filter(|l| l.starts_with(prefix)).count();
            assert_eq!(n, events, "{path}: {prefix}");
        }
        let ids = uids(ics);
        let unique: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{path}: a UID twice");
    }
}

#[test]
fn calendars_are_the_same_bytes_and_uids_in_every_build() {
    let first = Fixture::sample_site(&[]);
    // another build time: the calendars carry none
    let second = Fixture::new();
    build_into(
        Path::new(&sample_cache()),
        &second.site(),
        &["--snapshot-time", "2026-12-01T05:00:00Z"],
    );
    let (a, b) = (calendars(&first), calendars(&second));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert_eq!(uids(text(bytes)), uids(text(&b[path])), "{path}");
        assert!(bytes == &b[path], "{path} differs between builds");
    }
    // and UIDs never repeat across units either: a subscriber to several sees each once
    let all: Vec<String> = a.values().flat_map(|b| uids(text(b))).collect();
    let unique: BTreeSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len());
}

#[test]
fn visit_deadlines_are_the_recognition_rules() {
    let fx = Fixture::sample_site(&[]);
    let ics = fx.read_text("districts/02/areas/01/calendar.ics");
    let lines = unfold(&ics);
    // the sample presents 2026-11-08: program year 2026-27
    for round in [1, 2] {
        let due = units::visit_deadline(round, 2026).unwrap();
        let uid = format!("UID:visit-round-{round}-2026-2027-district-02-area-01@toaststats");
        let at = lines.iter().position(|l| *l == uid).expect(&uid);
        let start = lines[at..]
            .iter()
            .find_map(|l| l.strip_prefix("DTSTART;VALUE=DATE:"))
            .unwrap();
        assert_eq!(start, due.format("%Y%m%d").to_string(), "round {round}");
    }
}

#[test]
fn area_calendar_snapshot() {
    let fx = Fixture::sample_site(&[]);
    let ics = fx.read_text("districts/02/areas/01/calendar.ics");
    // the snapshot shows the lines as calendar apps read them; the CRLF test is above
    insta::assert_snapshot!("area_calendar", ics.replace("\r\n", "\n"));
}

#[test]
fn pages_link_the_calendars_and_webcal_needs_the_site_url() {
    let plain = Fixture::sample_site(&[]);
    let page = plain.read_text("districts/02/index.html");
    assert!(
        page.contains(r#"<a href="calendar.ics">"#),
        "district calendar link"
    );
    assert!(!page.contains("webcal://"), "webcal without a site URL");
    // each division's and area's calendar, beside its row on the divisions page
    let units = plain.read_text("districts/02/divisions/index.html");
    assert!(units.contains(
        r#"<a class="cal" href="../divisions/A/calendar.ics">Calendar<span class="vh"> of Division A</span></a>"#
    ));
    assert!(units.contains(
        r#"<a class="cal" href="../areas/01/calendar.ics">Calendar<span class="vh"> of Area 01</span></a>"#
    ));
    let hosted = Fixture::sample_site(&["--site-url", "https://example.github.io/d61/"]);
    let page = hosted.read_text("districts/02/index.html");
    assert!(page.contains(
        r#"<a href="webcal://example.github.io/d61/districts/02/calendar.ics">subscribe</a>"#
    ));
    let ics = hosted.read_text("districts/02/areas/01/calendar.ics");
    assert!(
        unfold(&ics).iter().any(|l| l
            == "URL:https://example.github.io/d61/districts/02/divisions/index.html#area-A-01"),
        "{ics}"
    );
}
