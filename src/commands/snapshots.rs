//! `snapshots list/show/verify/rollback/prune/repair`: store operations as tables for
//! people or JSON for scripts. Readers never take the writer lock. `status` is in status.rs.

use super::out;
use crate::cli::{SnapshotsCommand, StoreArgs, WriterArgs};
use crate::store::lock::WriterLock;
use crate::store::prune::{self, Retention};
use crate::store::{Site, catalog, manifest, repair, rollback};
use anyhow::{Context, Result, bail};
use serde::Serialize;
use std::time::Duration;

pub fn run(command: SnapshotsCommand) -> Result<i32> {
    match command {
        SnapshotsCommand::List {
            store,
            status,
            since,
            limit,
        } => list(&store, status, since, limit),
        SnapshotsCommand::Show { store, id } => show(&store, id),
        SnapshotsCommand::Verify { store, id, all } => verify(&store, id, all),
        SnapshotsCommand::Rollback { store, writer, id } => run_rollback(&store, &writer, id),
        SnapshotsCommand::Prune {
            store,
            writer,
            keep,
            max_age_days,
            dry_run,
        } => run_prune(&store, &writer, Retention { keep, max_age_days }, dry_run),
        SnapshotsCommand::Repair { store, writer } => run_repair(&store, &writer),
        SnapshotsCommand::Unpin { store, writer } => run_unpin(&store, &writer),
    }
}

fn existing_site(store: &StoreArgs) -> Result<Site> {
    let site = Site::new(&store.site);
    if !store.site.join(crate::store::MARKER).exists() {
        bail!(
            "{} is not a toaststats site root (no {} marker)",
            store.site.display(),
            crate::store::MARKER
        );
    }
    Ok(site)
}

pub(super) fn print_json<T: Serialize>(value: &T) -> Result<()> {
    out(&serde_json::to_string_pretty(value)?);
    Ok(())
}

pub(super) fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GiB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}

fn list(
    store: &StoreArgs,
    status: Option<String>,
    since: Option<chrono::NaiveDate>,
    limit: Option<usize>,
) -> Result<i32> {
    let site = existing_site(store)?;
    report_pointer(&site);
    let mut entries = catalog::snapshots(&site)?;
    entries.extend(catalog::failed(&site)?);
    entries.sort_by(|a, b| b.id.cmp(&a.id));
    entries.retain(|e| status.as_deref().is_none_or(|s| e.status == s));
    if let Some(since) = since {
        let from = since.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
        entries.retain(|e| match (catalog::id_time(&e.id), from) {
            (Some(t), Some(f)) => t >= f,
            _ => true,
        });
    }
    if let Some(n) = limit
        && entries.len() > n
    {
        // The current snapshot is always listed: `--limit` trims history, it must not
        // hide what is live.
        let current = entries.iter().skip(n).position(|e| e.current);
        let current = current.map(|at| entries.remove(n + at));
        entries.truncate(n);
        entries.extend(current);
    }
    if store.json {
        print_json(&entries)?;
        return Ok(0);
    }
    let rows: Vec<[String; 5]> = entries
        .iter()
        .map(|e| {
            [
                e.id.clone(),
                e.status.clone(),
                e.data_date.clone().unwrap_or_else(|| "-".into()),
                e.created_at
                    .as_deref()
                    .map_or_else(|| "-".into(), whole_seconds),
                if e.status == "failed" {
                    "-".to_string()
                } else {
                    human_bytes(e.bytes)
                },
            ]
        })
        .collect();
    let header = ["ID", "STATUS", "DATA DATE", "CREATED", "SIZE"].map(String::from);
    let width = |col: usize| {
        rows.iter()
            .chain(std::iter::once(&header))
            .map(|r| r[col].chars().count())
            .max()
            .unwrap_or(0)
    };
    let w: Vec<usize> = (0..5).map(width).collect();
    let line = |mark: &str, r: &[String; 5]| {
        format!(
            "{mark} {:<w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {:>w4$}",
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            w0 = w[0],
            w1 = w[1],
            w2 = w[2],
            w3 = w[3],
            w4 = w[4]
        )
    };
    out(line(" ", &header).trim_end());
    for (e, r) in entries.iter().zip(&rows) {
        out(&line(if e.current { "*" } else { " " }, r));
    }
    Ok(0)
}

/// An RFC 3339 time cut to whole seconds (failed builds log milliseconds), so the
/// CREATED column has one width.
fn whole_seconds(t: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
        .unwrap_or_else(|_| t.to_string())
}

/// Readers take the `current` link as the truth; a `current.json` that disagrees is
/// reported on stderr.
fn report_pointer(site: &Site) {
    if let Some(problem) = catalog::pointer_disagreement(site) {
        eprintln!("warning: {problem}");
    }
}

fn show(store: &StoreArgs, id: Option<String>) -> Result<i32> {
    let site = existing_site(store)?;
    let id = match id {
        Some(id) => id,
        None => {
            report_pointer(&site);
            catalog::current_id(&site).context("no snapshot is published; pass an id")?
        }
    };
    let path = if site.snapshot(&id).is_dir() {
        site.snapshot(&id).join("snapshot.json")
    } else if site.failed_report(&id).exists() {
        site.failed_report(&id)
    } else {
        bail!(
            "no snapshot or failed build {id} in {}",
            site.root.display()
        );
    };
    let value: serde_json::Value = serde_json::from_slice(&crate::fsx::read(&path)?)
        .with_context(|| format!("{} is not valid JSON", path.display()))?;
    if store.json {
        print_json(&value)?;
        return Ok(0);
    }
    let field = |k: &str| match &value[k] {
        serde_json::Value::Null => "-".to_string(),
        serde_json::Value::String(s) => s.clone(),
        v => v.to_string(),
    };
    for k in [
        "snapshot_id",
        "id",
        "status",
        "data_date",
        "as_of_date",
        "collection_date",
        "closing",
        "program_year",
        "created_at",
        "rules_version",
        "tool_version",
        "error",
    ] {
        if !value[k].is_null() {
            out(&format!("{k:<16} {}", field(k)));
        }
    }
    if let Some(inputs) = value["inputs"].as_array() {
        out(&format!("inputs ({}):", inputs.len()));
        for i in inputs {
            out(&format!(
                "  {}  {} bytes  sha256 {}",
                i["path"].as_str().unwrap_or(""),
                i["bytes"],
                i["sha256"].as_str().unwrap_or("")
            ));
        }
    }
    for (key, label) in [("warnings", "warnings"), ("errors", "errors")] {
        if let Some(items) = value[key].as_array() {
            out(&format!("{label} ({}):", items.len()));
            for item in items {
                if let Some(errs) = item["errors"].as_array() {
                    for e in errs {
                        out(&format!(
                            "  district {}: {}",
                            item["district_id"].as_str().unwrap_or("?"),
                            diag_line(e)
                        ));
                    }
                } else {
                    out(&format!("  {}", diag_line(item)));
                }
            }
        }
    }
    Ok(0)
}

/// `file:line:column: severity: message` from a serialized diagnostic.
fn diag_line(d: &serde_json::Value) -> String {
    match serde_json::from_value::<crate::diag::Diag>(d.clone()) {
        Ok(diag) => diag.to_string(),
        Err(_) => d.to_string(),
    }
}

#[derive(Serialize)]
struct VerifyResult {
    id: String,
    ok: bool,
    #[serde(flatten)]
    report: Option<manifest::VerifyReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

fn verify(store: &StoreArgs, id: Option<String>, all: bool) -> Result<i32> {
    let site = existing_site(store)?;
    let ids = if all {
        site.snapshot_ids()?
    } else {
        vec![match id {
            Some(id) => id,
            None => site
                .current_id()
                .context("no snapshot is published; pass an id or --all")?,
        }]
    };
    let mut results = Vec::new();
    for id in ids {
        if !site.snapshot(&id).is_dir() {
            results.push(VerifyResult {
                id: id.clone(),
                ok: false,
                report: None,
                error: Some(format!("no snapshot {id}")),
            });
            continue;
        }
        match manifest::verify(&site.snapshot(&id)) {
            Ok(r) => results.push(VerifyResult {
                id,
                ok: r.is_ok(),
                report: Some(r),
                error: None,
            }),
            Err(e) => results.push(VerifyResult {
                id,
                ok: false,
                report: None,
                error: Some(format!("{e:#}")),
            }),
        }
    }
    let bad = results.iter().filter(|r| !r.ok).count();
    if store.json {
        print_json(&results)?;
    } else {
        for r in &results {
            match (&r.report, &r.error) {
                (_, Some(e)) => out(&format!("{}: FAILED: {e}", r.id)),
                (Some(rep), None) if rep.is_ok() => out(&format!("{}: ok", r.id)),
                (Some(rep), None) => {
                    out(&format!("{}: FAILED", r.id));
                    for (label, paths) in [
                        ("missing", &rep.missing),
                        ("changed", &rep.changed),
                        ("extra", &rep.extra),
                    ] {
                        for p in paths {
                            out(&format!("  {label}: {p}"));
                        }
                    }
                }
                (None, None) => {}
            }
        }
    }
    Ok(if bad == 0 { 0 } else { 1 })
}

fn lock(site: &Site, writer: &WriterArgs) -> Result<WriterLock> {
    WriterLock::acquire(site, Duration::from_secs(writer.wait))
}

fn run_rollback(store: &StoreArgs, writer: &WriterArgs, id: Option<String>) -> Result<i32> {
    let site = existing_site(store)?;
    let _lock = lock(&site, writer)?;
    let repairs = repair::repair(&site)?;
    let before = site.current_id();
    let done = rollback::rollback(&site, id.as_deref())?;
    for w in &done.warnings {
        eprintln!("warning: {w}");
    }
    if store.json {
        print_json(
            &serde_json::json!({ "current": done.id, "previous": before, "repairs": repairs, "warnings": done.warnings }),
        )?;
    } else {
        out(&format!(
            "current -> {} (was {}); pinned: builds are stored, not published, until `toaststats snapshots unpin`",
            done.id,
            before.as_deref().unwrap_or("none")
        ));
    }
    Ok(0)
}

fn run_prune(
    store: &StoreArgs,
    writer: &WriterArgs,
    rules: Retention,
    dry_run: bool,
) -> Result<i32> {
    let site = existing_site(store)?;
    let _lock = lock(&site, writer)?;
    let removed = prune::prune(&site, rules, chrono::Utc::now(), dry_run)?;
    let freed: u64 = removed.iter().map(|r| r.bytes).sum();
    if store.json {
        print_json(
            &serde_json::json!({ "dry_run": dry_run, "removed": removed, "bytes_freed": freed }),
        )?;
    } else {
        let verb = if dry_run { "would remove" } else { "removed" };
        for r in &removed {
            out(&format!("{verb} {} ({})", r.path, human_bytes(r.bytes)));
        }
        out(&format!(
            "{verb} {} items, {} freed",
            removed.len(),
            human_bytes(freed)
        ));
    }
    Ok(0)
}

fn run_unpin(store: &StoreArgs, writer: &WriterArgs) -> Result<i32> {
    let site = existing_site(store)?;
    let _lock = lock(&site, writer)?;
    let removed = crate::store::pin::remove(&site)?;
    if store.json {
        print_json(&serde_json::json!({ "removed": removed }))?;
    } else {
        match removed {
            Some(p) => out(&format!(
                "unpinned {} ({}); builds publish again",
                p.snapshot_id, p.reason
            )),
            None => out("not pinned"),
        }
    }
    Ok(0)
}

fn run_repair(store: &StoreArgs, writer: &WriterArgs) -> Result<i32> {
    let site = existing_site(store)?;
    let _lock = lock(&site, writer)?;
    let actions = repair::repair(&site)?;
    // Repair cannot rebuild a damaged current snapshot, but it must not call the site
    // sound: it says what is wrong and exits 1.
    let unrepaired = catalog::current_problem(&site, catalog::Check::Full);
    if store.json {
        print_json(&serde_json::json!({ "actions": actions, "unrepaired": unrepaired }))?;
    } else {
        if actions.is_empty() && unrepaired.is_none() {
            out("nothing to repair");
        }
        for a in &actions {
            out(a);
        }
        if let Some(p) = &unrepaired {
            eprintln!("error: {p}");
        }
    }
    Ok(if unrepaired.is_none() { 0 } else { 1 })
}
