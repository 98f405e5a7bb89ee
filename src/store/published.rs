//! Publication order: which snapshots were made current, and in what order, replayed from
//! `builds.jsonl`. Rollback's default target, prune's protected "previous" and repair's
//! choice for a lost `current` follow it, never the build clock in the ids: a build with
//! an older `--snapshot-time` that was published later is the newer publication.
//!
//! The replay keeps a stack: a publishing build pushes its snapshot, a rollback pops back
//! to its target (or pushes it when the target is not on the stack), so repeated rollbacks
//! walk back through what was live, and a snapshot rolled away from is not offered again.

use super::log::BuildRecord;
use super::{Site, catalog};
use anyhow::Result;
use std::collections::BTreeSet;

/// The publication stack, oldest at the bottom; the top is what the log says is current.
pub fn stack(builds: &[BuildRecord]) -> Vec<String> {
    let mut stack: Vec<String> = Vec::new();
    for b in builds {
        match b.status.as_str() {
            "rollback" => match stack.iter().rposition(|i| *i == b.id) {
                Some(at) => stack.truncate(at + 1),
                None => stack.push(b.id.clone()),
            },
            _ if b.became_current && !b.id.is_empty() && stack.last() != Some(&b.id) => {
                stack.push(b.id.clone());
            }
            _ => {}
        }
    }
    stack
}

/// Snapshots that were live before `current`, most recent first, then (for sites whose log
/// was lost or started late) snapshots the log never mentions whose ids are older than
/// `current`. Only snapshots still on disk; snapshots that were only stored (pinned, older
/// data, `--no-publish`) are never offered.
pub fn earlier(site: &Site, current: Option<&str>) -> Result<Vec<String>> {
    let builds = catalog::builds(site)?;
    let on_disk: BTreeSet<String> = site.snapshot_ids()?.into_iter().collect();
    let stack = stack(&builds);
    let mut out: Vec<String> = Vec::new();
    let below: &[String] = match current {
        Some(cur) => match stack.iter().rposition(|i| i == cur) {
            Some(at) => &stack[..at],
            None => &[],
        },
        None => &stack,
    };
    for id in below.iter().rev() {
        if Some(id.as_str()) != current && on_disk.contains(id) && !out.contains(id) {
            out.push(id.clone());
        }
    }
    let logged: BTreeSet<&str> = builds.iter().map(|b| b.id.as_str()).collect();
    for id in on_disk.iter().rev() {
        let older = current.is_none_or(|cur| id.as_str() < cur);
        if older && !logged.contains(id.as_str()) && !out.contains(id) {
            out.push(id.clone());
        }
    }
    Ok(out)
}

/// Every snapshot on disk in the order a lost `current` should be restored from: the
/// publication stack from its top, then the rest by id, newest first.
pub fn restore_order(site: &Site) -> Result<Vec<String>> {
    let on_disk = site.snapshot_ids()?;
    let stack = stack(&catalog::builds(site)?);
    let mut out: Vec<String> = Vec::new();
    for id in stack.iter().rev().chain(on_disk.iter().rev()) {
        if on_disk.contains(id) && !out.contains(id) {
            out.push(id.clone());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, status: &str, current: bool) -> BuildRecord {
        BuildRecord {
            id: id.into(),
            status: status.into(),
            became_current: current,
            ..BuildRecord::default()
        }
    }

    #[test]
    fn publication_order_follows_the_log_not_the_ids() {
        // B was built with an older --snapshot-time than A but published after it
        let log = [
            rec("2026-b", "success", true),
            rec("2025-a", "success", true),
            rec("2027-stored", "success", false),
            rec("2025-a", "unchanged", true),
        ];
        assert_eq!(stack(&log), ["2026-b", "2025-a"]);
    }

    #[test]
    fn rollbacks_pop_back_through_what_was_live() {
        let mut log = vec![
            rec("a", "success", true),
            rec("b", "success", true),
            rec("c", "success", true),
            rec("b", "rollback", true),
        ];
        assert_eq!(stack(&log), ["a", "b"]);
        log.push(rec("a", "rollback", true));
        assert_eq!(stack(&log), ["a"]);
        log.push(rec("d", "partial", true));
        log.push(rec("c", "rollback", true)); // an explicit target rolled away from before
        assert_eq!(stack(&log), ["a", "d", "c"]);
    }
}
