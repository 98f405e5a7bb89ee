//! What every writer does on start: remove staging folders and temp links a crash left
//! behind, re-point a dangling or missing `current` at the most recently published
//! snapshot that verifies, finish a rollback interrupted between its pin and its swap, and
//! rewrite a `current.json` that disagrees with `current`, and clear the digest cache of
//! entries that are not regular files (a FIFO, a device, a symlink, a folder), or replace
//! a `.digests` that is not a folder. A damaged current snapshot is
//! reported by [`crate::store::catalog::current_problem`]; only a build can replace it.

use super::{Site, manifest, pin, publish, published, rollback};
use crate::fsx;
use anyhow::Result;

/// Repairs the store; returns a line per action taken. Call with the writer lock held.
pub fn repair(site: &Site) -> Result<Vec<String>> {
    let mut actions = crate::history::cache::tidy(&site.root)?;
    if fsx::symlink_metadata(&site.staging()).is_ok_and(|m| m.is_dir()) {
        for entry in fsx::read_dir_sorted(&site.staging())? {
            let path = entry.path();
            fsx::remove_entry(&path)?;
            actions.push(format!("removed stale staging {}", path.display()));
        }
    }
    for dir in [site.root.clone(), site.snapshots()] {
        if !dir.is_dir() {
            continue;
        }
        for entry in fsx::read_dir_sorted(&dir)? {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(fsx::TEMP_PREFIX) {
                let path = entry.path();
                if fsx::symlink_metadata(&path)?.is_dir() {
                    fsx::remove_dir_all(&path)?;
                } else {
                    fsx::remove_file(&path)?;
                }
                actions.push(format!("removed leftover temp {}", path.display()));
            }
        }
    }
    let current = match site.current_id() {
        Some(id) => Some(id),
        None => {
            // The snapshot live most recently (publication order), not the newest build.
            let mut found = None;
            for id in published::restore_order(site)? {
                if manifest::verify(&site.snapshot(&id)).is_ok_and(|r| r.is_ok()) {
                    found = Some(id);
                    break;
                }
            }
            if let Some(id) = &found {
                let had_link = fsx::symlink_metadata(&site.current_link()).is_ok();
                let data_date = snapshot_data_date(site, id).unwrap_or_default();
                let warnings = publish::swap_current(site, id, &data_date)?;
                actions.push(format!(
                    "{} current pointed at {id}, the most recently published snapshot that verifies",
                    if had_link { "dangling" } else { "missing" }
                ));
                actions.extend(warnings);
            }
            found
        }
    };
    let current = match (current, pin::read(site)) {
        (Some(cur), Some(p)) if p.from.as_deref() == Some(cur.as_str()) && p.snapshot_id != cur => {
            // A rollback wrote its pin and stopped before the swap: finish it, so the
            // site ends in the state the operator asked for, never half of it.
            let target = p.snapshot_id;
            if manifest::verify(&site.snapshot(&target)).is_ok_and(|r| r.is_ok()) {
                let started = chrono::Utc::now();
                let data_date = snapshot_data_date(site, &target).unwrap_or_default();
                let warnings = publish::swap_current(site, &target, &data_date)?;
                rollback::log_rollback(site, &target, Some(&cur), started)?;
                actions.push(format!(
                    "finished an interrupted rollback: current pointed at {target} (was {cur}), as pin.json asks"
                ));
                actions.extend(warnings);
                Some(target)
            } else {
                actions.push(format!(
                    "pin.json names {target}, which does not verify: an interrupted rollback cannot be finished; `current` stays on {cur}"
                ));
                Some(cur)
            }
        }
        (current, _) => current,
    };
    if let Some(id) = current {
        let pointer = publish::read_current_json(site);
        if pointer.as_ref().map(|p| p.snapshot_id.as_str()) != Some(id.as_str()) {
            let data_date = snapshot_data_date(site, &id).unwrap_or_default();
            publish::write_current_json(site, &id, &data_date)?;
            actions.push(format!("rewrote current.json to name {id}"));
        }
    }
    Ok(actions)
}

/// The data date recorded in a snapshot's metadata.
pub fn snapshot_data_date(site: &Site, id: &str) -> Option<String> {
    let bytes =
        crate::fsx::read_regular(&site.snapshot(id).join("snapshot.json"), 16 << 20).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    v.get("data_date")?.as_str().map(str::to_string)
}
