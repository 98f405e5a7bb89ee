//! One figure, one definition (issue 20 items 4 and 6): on the real exports and the sample,
//! every built district's distinguished clubs on track, reached and TI's codes, and its paid
//! clubs, have one value across every page and file that shows them: `districts/<id>.json`,
//! `districts.json`, the newest point of `history.json`, the district page's card, the
//! directory and home page rows, and the clubs CSV (counted club by club). The expected
//! values come from the clubs CSV and TI's CSV files, read here.

use crate::support::{self, Fixture};
use serde_json::Value;
use std::path::Path;

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn json(root: &Path, rel: &str) -> Value {
    serde_json::from_str(&read(root, rel)).unwrap()
}

/// The text between `start` (after it) and the next `end`.
fn after<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = text.find(start)? + start.len();
    Some(&text[i..i + text[i..].find(end)?])
}

/// The cells (`<td>` contents, tags stripped) of the table row that starts at `marker`.
fn row_cells(page: &str, marker: &str) -> Vec<String> {
    let row = after(page, marker, "</tr>").unwrap_or_else(|| panic!("row {marker}"));
    row.split("<td")
        .skip(1)
        .map(|c| {
            let c = &c[c.find('>').unwrap() + 1..];
            let c = &c[..c.find("</td>").unwrap_or(c.len())];
            let mut out = String::new();
            let mut in_tag = false;
            for ch in c.chars() {
                match ch {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    _ if !in_tag => out.push(ch),
                    _ => {}
                }
            }
            out.trim().to_string()
        })
        .collect()
}

fn number(text: &str) -> i64 {
    let digits: String = text
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("a number: {text:?}"))
}

/// On track, reached (None = unknown) and TI's codes, counted from a clubs CSV.
fn from_clubs_csv(path: &Path) -> (i64, Option<i64>, i64) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).expect(n);
    let (ti, ours, prov) = (
        col("Level (TI's published status)"),
        col("Level (computed here)"),
        col("Level provisional"),
    );
    let (mut on_track, mut provisional, mut ti_code) = (0, 0, 0);
    for row in r.records() {
        let row = row.unwrap();
        on_track += i64::from(&row[ours] != "none" && !row[ours].is_empty());
        provisional += i64::from(&row[prov] == "yes");
        ti_code += i64::from(!row[ti].is_empty());
    }
    (on_track, Some(on_track - provisional), ti_code)
}

fn check_site(root: &Path, with_summary: bool) -> usize {
    let index = json(root, "api/v1/districts.json");
    let home = read(root, "index.html");
    let directory = read(root, "districts/index.html");
    let mut checked = 0;
    for e in index["districts"].as_array().unwrap() {
        if e["status"] != "built" {
            continue;
        }
        let id = e["district_id"].as_str().unwrap();
        let d = json(root, &format!("api/v1/districts/{id}.json"));
        let t = &d["totals"];
        let (on_track, reached, ti_code) = (
            t["distinguished_on_track"].as_i64().unwrap(),
            t["distinguished_reached"].as_i64(),
            t["distinguished_ti_code"].as_i64().unwrap(),
        );
        let what = format!("district {id}");
        // the clubs CSV, club by club
        let date = d["data_date"].as_str().unwrap();
        let csv = root.join(format!("districts/{id}/D{id}-clubs-{date}.csv"));
        let (c_on, c_reached, c_ti) = from_clubs_csv(&csv);
        assert_eq!((c_on, c_ti), (on_track, ti_code), "{what}: clubs CSV");
        if reached.is_some() {
            assert_eq!(c_reached, reached, "{what}: reached, clubs CSV");
        }
        // districts.json
        assert_eq!(
            e["distinguished_on_track"], on_track,
            "{what}: districts.json"
        );
        assert_eq!(
            e["distinguished_reached"], t["distinguished_reached"],
            "{what}"
        );
        assert_eq!(
            e["distinguished_ti_code"], ti_code,
            "{what}: districts.json"
        );
        // the newest history point
        let h = json(root, &format!("api/v1/districts/{id}/history.json"));
        let p = &h["points"].as_array().unwrap().last().unwrap()["totals"];
        for k in [
            "distinguished_on_track",
            "distinguished_reached",
            "distinguished_ti_code",
        ] {
            assert_eq!(p[k], t[k], "{what}: history.json {k}");
        }
        // the district page's card
        let page = read(root, &format!("districts/{id}/index.html"));
        let card = after(&page, "<dt>Distinguished clubs on track</dt>", "</div>")
            .unwrap_or_else(|| panic!("{what}: card"));
        assert_eq!(
            number(after(card, "<dd class=\"big\">", "</dd>").unwrap()),
            on_track,
            "{what}: card"
        );
        let card_reached = after(card, "reached (confirmed): ", "</dd>").unwrap();
        match reached {
            Some(n) => assert_eq!(number(card_reached), n, "{what}: card reached"),
            None => assert!(
                card_reached.starts_with("unknown"),
                "{what}: {card_reached}"
            ),
        }
        assert_eq!(
            number(after(card, "published by TI: ", "</dd>").unwrap()),
            ti_code,
            "{what}: card, published by TI"
        );
        // the directory row: clubs, paid clubs, members, distinguished on track, …
        let cells = row_cells(&directory, &format!("District </span>{id}</a>"));
        assert_eq!(number(&cells[3]), on_track, "{what}: directory");
        // paid clubs: one figure on the card, in the directory and in districts.json
        let paid = e["paid_clubs"].as_i64().unwrap();
        assert_eq!(number(&cells[1]), paid, "{what}: directory paid clubs");
        let paid_card = after(&page, "<dt>Paid clubs</dt><dd class=\"big\">", "</dd>").unwrap();
        assert_eq!(number(paid_card), paid, "{what}: paid clubs card");
        if !with_summary {
            // the home page lists the districts: data date, paid, members, on track
            let cells = row_cells(&home, &format!("<tr id=\"district-{id}\">"));
            assert_eq!(number(&cells[1]), paid, "{what}: home paid clubs");
            assert_eq!(number(&cells[3]), on_track, "{what}: home");
        }
        checked += 1;
    }
    checked
}

#[test]
fn each_named_figure_has_one_value_on_every_page_and_file_of_the_sample() {
    let fx = Fixture::new();
    support::build_into(Path::new(&support::sample_cache()), &fx.site(), &[]);
    let root = fx.site().join("current");
    assert_eq!(
        check_site(&root, true),
        9,
        "every built district of the sample"
    );
}

#[test]
fn each_named_figure_has_one_value_on_every_page_and_file_of_the_real_exports() {
    let Some(real) = support::realdata() else {
        return;
    };
    let fx = Fixture::new();
    support::build_into(&real.join("cache"), &fx.site(), &[]);
    let root = fx.site().join("current");
    assert_eq!(check_site(&root, false), 3, "districts 21, 61 and 91");
    // District 21 on 22 September 2026 (era D, before April), counted from TI's file here:
    // TI shows no codes; on track are the clubs meeting the 2025-26 rules on current
    // figures; reached is unknown without the district report (its April renewals).
    let d = json(&root, "api/v1/districts/21.json");
    let t = &d["totals"];
    assert_eq!(t["distinguished_ti_code"], 0);
    assert!(t["distinguished_reached"].is_null());
    let expected =
        d21_on_track(&real.join("cache/raw-csv/2026-09-22/district-21/club-performance.csv"));
    assert_eq!(t["distinguished_on_track"], expected);
}

/// District 21's clubs meeting a level on their current figures under the 2025-26 rules
/// (DOMAIN.md §5.2), read from TI's club report with this test's own code.
fn d21_on_track(path: &Path) -> i64 {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x.trim() == n).expect(n);
    let (goals, members, base, csp) = (
        col("Goals Met"),
        col("Active Members"),
        col("Mem. Base"),
        col("CSP"),
    );
    let mut n = 0;
    for row in r.records() {
        let row = row.unwrap();
        if row.len() < h.len() {
            continue; // the footer
        }
        let int = |i: usize| row[i].trim().parse::<i64>().unwrap_or(0);
        let (g, m, growth) = (int(goals), int(members), int(members) - int(base));
        let level = row[csp].trim() == "Y"
            && ((g >= 10 && m >= 25)
                || (g >= 9 && m >= 20)
                || (g >= 7 && (m >= 20 || growth >= 5))
                || (g >= 5 && (m >= 20 || growth >= 3)));
        n += i64::from(level);
    }
    n
}
