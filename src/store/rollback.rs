//! Rolling the site back: point `current` at the snapshot that was live before it (in
//! publication order, see `published`) or a chosen one, only after it verifies, with the
//! same atomic swap as publishing, logged in `builds.jsonl`, and pinned so the next
//! nightly build does not publish over it.
//!
//! The pin is written before the swap, so a rollback interrupted at any point leaves
//! either the old state (a failure before the swap puts the old pin file back) or the
//! whole new one: once `current` moved, later failures are warnings, and a crash between
//! the pin and the swap is finished by the next writer's `repair`.

use super::log::{self, BuildRecord};
use super::pin::{self, Pin};
use super::{Site, catalog, manifest, publish, published};
use anyhow::{Result, bail};
use chrono::Utc;

/// What a rollback did.
#[derive(Debug, Clone)]
pub struct RolledBack {
    /// The snapshot now current.
    pub id: String,
    /// Steps after the swap that failed (the rollback happened all the same).
    pub warnings: Vec<String>,
}

/// Swaps `current` to `target` (or the snapshot live before the current one that
/// verifies). Call with the writer lock held.
pub fn rollback(site: &Site, target: Option<&str>) -> Result<RolledBack> {
    let current = site.current_id();
    let id = match target {
        Some(t) => {
            if !site.snapshot_ids()?.iter().any(|i| i == t) {
                bail!("no snapshot {t} in {}", site.snapshots().display());
            }
            t.to_string()
        }
        None => {
            let found = published::earlier(site, current.as_deref())?
                .into_iter()
                .find(|i| manifest::verify(&site.snapshot(i)).is_ok_and(|r| r.is_ok()));
            match found {
                Some(i) => i,
                None => bail!(
                    "no snapshot that was published before {} verifies; nothing to roll back to",
                    current.as_deref().unwrap_or("the current one")
                ),
            }
        }
    };
    let report = manifest::verify(&site.snapshot(&id))?;
    if !report.is_ok() {
        bail!(
            "snapshot {id} does not verify ({}); refusing to publish it",
            report.summary()
        );
    }
    let reason = match &current {
        Some(c) => format!("rolled back from {c}"),
        None => "rolled back".to_string(),
    };
    let started = Utc::now();
    let saved = pin::saved(site);
    let pin = Pin {
        snapshot_id: id.clone(),
        pinned_at: started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        reason,
        from: current.clone(),
    };
    let swapped = pin::write(site, &pin).and_then(|()| {
        let data_date = catalog::metadata(site, &id)
            .and_then(|m| m["data_date"].as_str().map(str::to_string))
            .unwrap_or_default();
        publish::swap_current(site, &id, &data_date)
    });
    let mut warnings = match swapped {
        Ok(w) => w,
        Err(e) => {
            // `current` did not move: the old pin (or none) goes back, so nothing changed.
            if let Err(r) = pin::restore(site, saved.as_deref()) {
                return Err(e.context(format!(
                    "the rollback failed before the swap, and the previous pin could not be put back ({r:#}); `current` did not move: run `toaststats snapshots unpin` if no pin should hold the site"
                )));
            }
            return Err(e.context("the rollback failed before the swap; nothing changed"));
        }
    };
    if let Err(e) = log_rollback(site, &id, current.as_deref(), started) {
        warnings.push(format!(
            "rolled back to {id}, but builds.jsonl could not record it ({e:#})"
        ));
    }
    Ok(RolledBack { id, warnings })
}

/// The `builds.jsonl` line of a rollback (publication order is replayed from these).
pub fn log_rollback(
    site: &Site,
    id: &str,
    from: Option<&str>,
    started: chrono::DateTime<Utc>,
) -> Result<()> {
    let finished = Utc::now();
    log::append(
        site,
        &BuildRecord {
            id: id.to_string(),
            status: "rollback".into(),
            started_at: started.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            finished_at: finished.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            duration_seconds: (finished - started).num_milliseconds() as f64 / 1000.0,
            data_date: catalog::metadata(site, id)
                .and_then(|m| m["data_date"].as_str().map(str::to_string)),
            became_current: true,
            note: from.map(|c| format!("rolled back from {c}")),
            ..BuildRecord::default()
        },
    )
}
