//! insta snapshots of the JSON API built from the committed sample cache. Ids and build
//! times are redacted; everything else is deterministic.

use crate::support::{self, Fixture};
use serde_json::Value;

fn built_sample() -> Fixture {
    let fx = Fixture::new();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample");
    let out = support::run(&[
        "build",
        "--cache",
        &sample.display().to_string(),
        "--site",
        &fx.site().display().to_string(),
        "--snapshot-time",
        "2026-11-09T06:00:00Z",
    ]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    fx
}

#[test]
fn sample_snapshot_metadata() {
    let fx = built_sample();
    insta::assert_json_snapshot!("snapshot_json", fx.read_json("snapshot.json"), {
        ".snapshot_id" => "[snapshot_id]",
        ".created_at" => "[created_at]",
    });
}

#[test]
fn sample_rankings() {
    let fx = built_sample();
    insta::assert_json_snapshot!("rankings_json", fx.read_json("api/v1/rankings.json"));
}

#[test]
fn sample_districts_index_and_dates() {
    let fx = built_sample();
    insta::assert_json_snapshot!("districts_json", fx.read_json("api/v1/districts.json"));
    insta::assert_json_snapshot!("dates_json", fx.read_json("api/v1/dates.json"));
}

/// One district, trimmed to what a reviewer can read: the header fields, totals, its first
/// division, its first three clubs and the unassigned new club.
#[test]
fn sample_district_02_excerpt() {
    let fx = built_sample();
    let mut d = fx.read_json("api/v1/districts/02.json");
    let clubs = d["clubs"].as_array().unwrap().clone();
    assert!(clubs.len() > 10);
    // TI lists unassigned new clubs (division 0D) first, as the sample does
    let (new, assigned): (Vec<&Value>, Vec<&Value>) =
        clubs.iter().partition(|c| c["division_id"] == "0D");
    assert_eq!(new.len(), 1);
    let keep: Vec<Value> = new
        .into_iter()
        .chain(assigned.into_iter().take(3))
        .cloned()
        .collect();
    d["clubs"] = Value::Array(keep);
    let first_division = d["divisions"][0].clone();
    d["divisions"] = Value::Array(vec![first_division]);
    insta::assert_json_snapshot!("district_02_excerpt", d);
}
