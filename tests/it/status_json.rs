//! Freshness without a server (issue 24): `api/v1/status.json` in every snapshot, its
//! dates for daily, closing and final figures, its agreement with `toaststats status`,
//! and the age line every page carries for `assets/age.js`.

use crate::support::{self, Fixture, tree};
use serde_json::Value;
use std::path::Path;

const STATUS: &str = "api/v1/status.json";

/// The fields a monitor reads, as (name, value) pairs.
fn dates(v: &Value) -> Vec<(&'static str, Value)> {
    [
        "data_date",
        "as_of_date",
        "collection_date",
        "data_month",
        "program_year",
        "state",
        "synthetic",
        "next_data_expected",
        "next_collection_expected",
        "stale_after",
    ]
    .into_iter()
    .map(|k| (k, v[k].clone()))
    .collect()
}

fn expect(pairs: &[(&'static str, &str)], synthetic: bool) -> Vec<(&'static str, Value)> {
    let mut out: Vec<(&'static str, Value)> = pairs
        .iter()
        .map(|(k, v)| (*k, Value::String(v.to_string())))
        .collect();
    out.insert(6, ("synthetic", Value::Bool(synthetic)));
    out
}

#[test]
fn issue_24_status_json_of_the_sample_and_no_build_time() {
    let a = Fixture::sample_site(&[]);
    let v = a.read_json(STATUS);
    // the sample's newest folder is 2026-11-08, its footer "Month of Nov, As of 11/08/2026"
    assert_eq!(
        dates(&v),
        expect(
            &[
                ("data_date", "2026-11-08"),
                ("as_of_date", "2026-11-08"),
                ("collection_date", "2026-11-08"),
                ("data_month", "2026-11"),
                ("program_year", "2026-2027"),
                ("state", "daily"),
                ("next_data_expected", "2026-11-09"),
                ("next_collection_expected", "2026-11-10"),
                ("stale_after", "2026-11-15"),
            ],
            true
        )
    );
    assert_eq!(v["$schema"], "schemas/status.schema.json");
    assert_eq!(v["provenance"]["schema_version"], "1.4.0");
    // the file as written, in its own key order
    insta::assert_snapshot!("status_json", a.read_text(STATUS));

    // another build time: status.json and every page are the same bytes
    let b = Fixture::sample_site(&["--snapshot-time", "2026-11-10T03:04:05Z"]);
    assert_ne!(a.current(), b.current());
    let text = String::from_utf8(a.read_bytes(STATUS)).unwrap();
    assert!(!text.contains("T06:00") && !text.contains(&a.current().unwrap()[..8]));
    let (ta, tb) = (
        tree(&a.site().join("current/")),
        tree(&b.site().join("current/")),
    );
    for (path, bytes) in &ta {
        if path == STATUS || path.ends_with(".html") {
            assert_eq!(
                Some(bytes),
                tb.get(path),
                "{path} differs between build times"
            );
        }
    }
}

#[test]
fn issue_24_status_json_in_every_snapshot_closing_and_final() {
    // October 2026 closes in November: folders 2026-11-01..03 carry October's figures,
    // the newest collection (3 November) wins for 31 October. A cache that ends there
    // is still closing.
    let closing = support::sample_in_octobers_close();
    assert!(closing.build(&[]).status.success());
    assert_eq!(
        dates(&closing.read_json(STATUS)),
        expect(
            &[
                ("data_date", "2026-10-31"),
                ("as_of_date", "2026-11-03"),
                ("collection_date", "2026-11-03"),
                ("data_month", "2026-10"),
                ("program_year", "2026-2027"),
                ("state", "closing"),
                ("next_data_expected", "2026-11-04"),
                ("next_collection_expected", "2026-11-05"),
                ("stale_after", "2026-11-10"),
            ],
            true
        )
    );
    // The whole sample has November's data: TI finished October, so the same date built
    // from it is final (as its archive copy is).
    let fx = Fixture::new();
    let sample = support::sample_cache();
    support::build_into(Path::new(&sample), &fx.site(), &["--date", "2026-10-31"]);
    assert_eq!(
        dates(&fx.read_json(STATUS)),
        expect(
            &[
                ("data_date", "2026-10-31"),
                ("as_of_date", "2026-11-03"),
                ("collection_date", "2026-11-03"),
                ("data_month", "2026-10"),
                ("program_year", "2026-2027"),
                ("state", "month_end_final"),
                ("next_data_expected", "2026-11-04"),
                ("next_collection_expected", "2026-11-05"),
                ("stale_after", "2026-11-10"),
            ],
            true
        )
    );
    // 30 June 2026 was downloaded in August ("As of 08/14/2026"): the final close
    support::build_into(
        Path::new(&sample),
        &fx.site(),
        &[
            "--date",
            "2026-06-30",
            "--allow-older",
            "--snapshot-time",
            "2026-11-09T07:00:00Z",
        ],
    );
    let v = &fx.read_json(STATUS);
    assert_eq!(
        (&v["state"], &v["program_year"], &v["next_data_expected"]),
        (
            &Value::from("month_end_final"),
            &Value::from("2025-2026"),
            &Value::from("2026-08-15")
        )
    );
    support::build_into(
        Path::new(&sample),
        &fx.site(),
        &["--snapshot-time", "2026-11-09T08:00:00Z"],
    );
    let snapshots: Vec<_> = std::fs::read_dir(fx.site().join("snapshots"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(snapshots.len(), 3);
    for s in snapshots {
        assert!(s.join(STATUS).is_file(), "{}", s.display());
    }
}

/// `stale_after` is the last day `toaststats status` calls the data fresh: both come from
/// `freshness`. Without the sample marker the sample's dates count as real ones.
#[test]
fn issue_24_stale_after_agrees_with_status() {
    let fx = support::sample_copy(&["SYNTHETIC"], &[]);
    let out = fx.build(&[]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let v = fx.read_json(STATUS);
    assert_eq!(v["synthetic"], false);
    let out = support::run(&[
        "status",
        "--site",
        &fx.site().display().to_string(),
        "--json",
    ]);
    let status: Value = serde_json::from_slice(&out.stdout).unwrap();
    let today = chrono::Utc::now().date_naive().to_string();
    let stale_after = v["stale_after"].as_str().unwrap();
    assert_eq!(
        status["data_freshness"] == "stale",
        stale_after < today.as_str(),
        "status {status} against stale_after {stale_after} on {today}"
    );
}

fn pages(root: &Path) -> Vec<(String, String)> {
    tree(root)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

/// The age line: (its data attributes' values, its text without tags).
fn age_line(html: &str) -> Option<(String, String)> {
    let start = html.find(r#"<p class="age" id="age""#)?;
    let line = &html[start..start + html[start..].find("</p>")?];
    let (attrs, body) = line.split_once('>')?;
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    Some((attrs.to_string(), text))
}

#[test]
fn issue_24_every_page_names_its_data_age_and_loads_age_js() {
    let fx = Fixture::sample_site(&[]);
    let all = pages(&fx.site().join("current/"));
    assert!(all.len() > 100, "{} pages", all.len());
    for (path, html) in &all {
        let (attrs, text) = age_line(html).unwrap_or_else(|| panic!("{path}: no age line"));
        if path.starts_with("archive/2026-10/") {
            // an archived month's page states its own month's dates
            assert_eq!(
                text, "These figures are of 31 October 2026 and were collected on 3 November 2026.",
                "{path}"
            );
            continue;
        }
        if path.starts_with("archive/") && path != "archive/index.html" {
            continue;
        }
        assert_eq!(
            text, "These figures are of 8 November 2026 and were collected on 8 November 2026.",
            "{path}"
        );
        assert!(attrs.contains(r#"data-date="2026-11-08" data-site-date="2026-11-08""#));
        let depth = path.matches('/').count();
        let root = "../".repeat(depth);
        assert!(
            attrs.contains(&format!(r#"data-status="{root}api/v1/status.json""#)),
            "{path}: {attrs}"
        );
        // the 404 page is shown at any address and loads no site script (as tables.js)
        let script = format!(r#"<script src="{root}assets/age.js" defer></script>"#);
        assert_eq!(html.contains(&script), path != "404.html", "{path}");
        if path != "404.html" {
            assert!(
                attrs.contains(&format!(r#"data-current="{root}{path}""#)),
                "{path}: {attrs}"
            );
        }
    }
    assert!(fx.site().join("current/assets/age.js").is_file());
}

/// Closing figures name both dates; a district shown at its own older date names that
/// date, and says which build it belongs to, so the script does not call the site's
/// figures of the same build newer.
#[test]
fn issue_24_age_line_while_closing_and_for_a_stale_district() {
    let fx = Fixture::sample_site(&["--date", "2026-10-31"]);
    let (_, text) = age_line(&fx.read_text("districts/02/index.html")).unwrap();
    assert_eq!(
        text,
        "These figures are of 31 October 2026 and were collected on 3 November 2026."
    );
    let fx = support::sample_copy(&["2026-11-08/district-03"], &[]);
    assert!(fx.build(&[]).status.success());
    let (attrs, text) = age_line(&fx.read_text("districts/03/index.html")).unwrap();
    assert_eq!(
        text,
        "These figures are of 7 November 2026 and were collected on 7 November 2026."
    );
    assert!(
        attrs.contains(r#"data-date="2026-11-07" data-site-date="2026-11-08""#),
        "{attrs}"
    );
}
