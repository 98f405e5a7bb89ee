//! Rolling the site back: point `current` at the previous snapshot (or a chosen one), only
//! after it verifies, with the same atomic swap as publishing, logged in `builds.jsonl`,
//! and pinned so the next nightly build does not publish over it.

use super::log::{self, BuildRecord};
use super::{Site, catalog, manifest, publish};
use anyhow::{Result, bail};
use chrono::Utc;

/// Swaps `current` to `target` (or the newest snapshot older than current that verifies)
/// and returns the id now current. Call with the writer lock held.
pub fn rollback(site: &Site, target: Option<&str>) -> Result<String> {
    let current = site.current_id();
    let ids = site.snapshot_ids()?;
    let id = match target {
        Some(t) => {
            if !ids.iter().any(|i| i == t) {
                bail!("no snapshot {t} in {}", site.snapshots().display());
            }
            t.to_string()
        }
        None => {
            let older: Vec<&String> = match &current {
                Some(cur) => ids.iter().filter(|i| *i < cur).collect(),
                None => ids.iter().collect(),
            };
            let found = older
                .into_iter()
                .rev()
                .find(|i| manifest::verify(&site.snapshot(i)).is_ok_and(|r| r.is_ok()));
            match found {
                Some(i) => i.clone(),
                None => bail!("no earlier snapshot that verifies; nothing to roll back to"),
            }
        }
    };
    let report = manifest::verify(&site.snapshot(&id))?;
    if !report.is_ok() {
        bail!(
            "snapshot {id} does not verify ({} missing, {} changed, {} extra files); refusing to publish it",
            report.missing.len(),
            report.changed.len(),
            report.extra.len()
        );
    }
    let started = Utc::now();
    let data_date = catalog::metadata(site, &id)
        .and_then(|m| m["data_date"].as_str().map(str::to_string))
        .unwrap_or_default();
    publish::swap_current(site, &id, &data_date)?;
    super::pin::write(
        site,
        &super::pin::Pin {
            snapshot_id: id.clone(),
            pinned_at: started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            reason: match &current {
                Some(c) => format!("rolled back from {c}"),
                None => "rolled back".to_string(),
            },
        },
    )?;
    let finished = Utc::now();
    log::append(
        site,
        &BuildRecord {
            id: id.clone(),
            status: "rollback".into(),
            started_at: started.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            finished_at: finished.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            duration_seconds: (finished - started).num_milliseconds() as f64 / 1000.0,
            data_date: Some(data_date),
            became_current: true,
            note: current.map(|c| format!("rolled back from {c}")),
            ..BuildRecord::default()
        },
    )?;
    Ok(id)
}
