//! `status`: the health of the published site for people (a table) or monitors (`--json`),
//! exiting 1 when it is not healthy.

use super::out;
use super::snapshots::{human_bytes, print_json};
use crate::cli::StatusArgs;
use crate::store::status::{self, Thresholds};
use crate::store::{Site, catalog};
use anyhow::Result;

pub fn run_status(args: StatusArgs) -> Result<i32> {
    let site = Site::new(&args.store.site);
    let thresholds = Thresholds {
        max_age_hours: args.max_age_hours,
        very_stale_hours: args.very_stale_hours,
        max_data_age_days: args.max_data_age_days,
    };
    let check = if args.quick_check {
        catalog::Check::Quick
    } else {
        catalog::Check::Full
    };
    let s = status::status_with(&site, thresholds, chrono::Utc::now(), check)?;
    if args.store.json {
        print_json(&s)?;
    } else {
        let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        out(&format!("current        {}", opt(&s.current_id)));
        out(&format!(
            "data date      {} (as of {}){}",
            opt(&s.data_date),
            opt(&s.as_of_date),
            if s.closing == Some(true) {
                ", closing period"
            } else {
                ""
            }
        ));
        out(&format!(
            "freshness      {} ({} h since last confirmed build)",
            s.freshness,
            s.age_hours.map_or("-".into(), |h| h.to_string())
        ));
        if s.synthetic {
            out(&format!(
                "data age       synthetic ({} days, not counted: sample data has invented dates)",
                s.data_age_days.map_or("-".into(), |d| d.to_string()),
            ));
        } else {
            out(&format!(
                "data age       {} ({} days since the data's newest date; limit {})",
                s.data_freshness,
                s.data_age_days.map_or("-".into(), |d| d.to_string()),
                args.max_data_age_days
            ));
        }
        out(&format!(
            "integrity      {} ({} check)",
            s.current_problem.as_deref().unwrap_or("ok"),
            s.current_check
        ));
        if let Some(p) = &s.pointer_problem {
            out(&format!("pointer        {p}"));
        }
        match &s.disk {
            Some(d) => out(&format!(
                "disk           {} ({:.1}% free: {} of {}{})",
                d.state,
                d.free_share * 100.0,
                human_bytes(d.free_bytes),
                human_bytes(d.total_bytes),
                match d.state {
                    "critical" => "; below 5% the next snapshot may not fit",
                    "low" => "; below 20%: prune old snapshots or add space",
                    _ => "",
                }
            )),
            None => out("disk           unknown (the file system could not be asked)"),
        }
        if let Some(b) = &s.last_build {
            out(&format!(
                "last build     {} {} at {}{}",
                b.status,
                b.id,
                b.finished_at,
                b.error.as_ref().map_or(String::new(), |e| format!(": {e}"))
            ));
        }
        if let Some(p) = &s.pinned {
            out(&format!(
                "pinned         on {} ({}) since {}; `snapshots unpin` resumes publishing",
                p.snapshot_id, p.reason, p.pinned_at
            ));
        }
        out(&format!(
            "failures       {} in a row",
            s.consecutive_failures
        ));
        if let (Some(rate), Some(median)) = (s.success_rate, s.median_build_seconds) {
            out(&format!(
                "last {} builds {:.0}% succeeded, median {:.3} s",
                s.builds_counted,
                rate * 100.0,
                median
            ));
        }
    }
    Ok(if s.healthy { 0 } else { 1 })
}
