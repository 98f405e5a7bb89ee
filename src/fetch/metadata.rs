//! `metadata.json` of a date folder that fetch writes: DOMAIN.md §1.3's field names (so
//! every reader of that shape, `build`'s cross-check included, understands it), the folder's
//! period from the summary's footer, and a `files` map with what was downloaded for each
//! file. An existing metadata.json (another collector's) is merged into, not replaced.

use super::partial::FileEntry;
use crate::cache::eras::Report;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// metadata.json of a date folder (DOMAIN.md §1.3 field names, so every reader of that
/// shape understands it), with a `files` map of what this tool downloaded. `old` is an
/// existing metadata.json to merge into: its other fields are kept.
pub(super) fn metadata(
    date: NaiveDate,
    old: Option<Value>,
    entries: &BTreeMap<String, FileEntry>,
) -> Result<String> {
    let mut root = match old {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let mut files = root
        .get("files")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (rel, e) in entries {
        files.insert(rel.clone(), serde_json::to_value(e)?);
    }
    let all: Vec<FileEntry> = files
        .values()
        .filter_map(|v| serde_json::from_value(v.clone()).ok())
        .collect();
    let summary_name = Report::Summary.file_name();
    // The period of the folder: the summary's footer, else any club report's (§3.4).
    let lead = all.iter().find(|e| e.path == summary_name).or_else(|| {
        all.iter()
            .find(|e| e.path.ends_with(Report::Club.file_name()))
    });
    root.insert("date".into(), json!(date.to_string()));
    if let Some(e) = lead {
        let (y, m) = e
            .data_month
            .split_once('-')
            .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)))
            .context("data month of a metadata entry")?;
        let first = NaiveDate::from_ymd_opt(y, m, 1).context("data month of a metadata entry")?;
        root.insert(
            "programYear".into(),
            json!(crate::cache::footer::program_year(first)),
        );
        root.insert("isClosingPeriod".into(), json!(e.closing));
        root.insert("dataMonth".into(), json!(e.data_month));
    }
    let mut csv = root
        .get("csvFiles")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut districts = csv
        .get("districts")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for e in &all {
        if e.path == summary_name {
            csv.insert("allDistricts".into(), json!(true));
        } else if let Some((dir, file)) = e.path.split_once('/')
            && let Some(d) = dir.strip_prefix("district-")
        {
            let key = match file {
                f if f == Report::Club.file_name() => "clubPerformance",
                f if f == Report::Division.file_name() => "divisionPerformance",
                _ => "districtPerformance",
            };
            let slot = districts.entry(d.to_string()).or_insert_with(|| json!({}));
            if let Some(obj) = slot.as_object_mut() {
                obj.insert(key.into(), json!(true));
            }
        }
    }
    csv.insert("districts".into(), Value::Object(districts));
    csv.entry("allDistricts").or_insert(json!(false));
    root.insert("csvFiles".into(), Value::Object(csv));
    root.entry("source").or_insert(json!("toaststats-fetch"));
    root.entry("cacheVersion").or_insert(json!(1));
    root.insert(
        "tool".into(),
        json!(format!("toaststats {}", env!("CARGO_PKG_VERSION"))),
    );
    root.insert("files".into(), Value::Object(files));
    Ok(serde_json::to_string_pretty(&Value::Object(root))? + "\n")
}
