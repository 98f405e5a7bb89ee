//! The archive of closed months (issue 24): every month of the sample whose final figures
//! are in the cache is under `archive/<YYYY-MM>/`, made by the same code path as a build
//! of that month end, linked from the history tables, without the live-only files.

use super::support::{Fixture, build_into, sample_cache, tree};
use std::collections::BTreeMap;
use std::path::Path;

fn snapshot_tree(fx: &Fixture) -> BTreeMap<String, Vec<u8>> {
    let current = fx.site().join("current");
    tree(&std::fs::canonicalize(current).unwrap())
}

#[test]
fn every_closed_month_of_the_sample_is_archived_and_the_presented_month_is_not() {
    let fx = Fixture::sample_site(&[]);
    let files = snapshot_tree(&fx);
    let months: std::collections::BTreeSet<&str> = files
        .keys()
        .filter_map(|p| p.strip_prefix("archive/"))
        .filter_map(|p| p.split_once('/').map(|(m, _)| m))
        .collect();
    // the sample: month ends from July 2025 to October 2026; November is presented
    assert_eq!(months.len(), 16, "{months:?}");
    assert!(months.contains("2025-07") && months.contains("2026-10"));
    assert!(!months.contains("2026-11"));
    // live-only files and club pages are not archived; district pages and JSON are
    let m = "archive/2026-10";
    for absent in [
        "_headers",
        "404.html",
        "snapshot.json",
        "api/v1/snapshot.json",
    ] {
        assert!(!files.contains_key(&format!("{m}/{absent}")), "{absent}");
    }
    assert!(
        !files
            .keys()
            .any(|p| p.starts_with(&format!("{m}/districts/02/clubs/")))
    );
    for present in [
        "index.html",
        "districts/index.html",
        "districts/02/index.html",
        "api/v1/districts/02.json",
        "api/v1/districts/02/history.json",
        "api/v1/rankings.json",
    ] {
        assert!(files.contains_key(&format!("{m}/{present}")), "{present}");
    }
    // the archive's index lists every month; the district page's month table links them
    let index = String::from_utf8(files["archive/index.html"].clone()).unwrap();
    assert!(index.contains("href=\"2026-10/index.html\">October 2026</a>"));
    let page = String::from_utf8(files["districts/02/index.html"].clone()).unwrap();
    assert!(
        page.contains("href=\"../../archive/2026-10/districts/02/index.html\">Oct</a>"),
        "month table links its archive"
    );
    // and an archived page names itself, links its siblings and the newest figures
    let archived =
        String::from_utf8(files[&format!("{m}/districts/02/index.html")].clone()).unwrap();
    assert!(
        archived.contains("<strong>Archived page:</strong> the site as it was for October 2026")
    );
    assert!(archived.contains("href=\"../../../2026-09/districts/02/index.html\">Sep</a>"));
    assert!(archived.contains(
        "href=\"../../../../districts/02/index.html\">This page with the newest figures</a>"
    ));
    // a closed month is final, not provisional, though its last collection was closing
    assert!(!archived.contains("id=\"closing\""));
    // clubs are named without links to pages the archive does not have
    assert!(!archived.contains("href=\"clubs/"));
}

/// What a page of `archive/<month>/` at `path` differs in from the same page of a build
/// of that month end, by design: its banner, and its links to the snapshot metadata and
/// to the other archived months, which sit one folder up from its own root.
fn as_built(path: &str, archived: &str) -> String {
    let root = "../".repeat(path.matches('/').count());
    let kept: Vec<&str> = archived
        .lines()
        .filter(|l| !l.starts_with("<p class=\"banner\" id=\"archived\">"))
        .collect();
    kept.join("\n")
        .replace(
            &format!("{root}../../snapshot.json"),
            &format!("{root}snapshot.json"),
        )
        .replace(
            &format!("{root}../../snapshot.json\">snapshot.json</a> lists"),
            &format!("{root}snapshot.json\">snapshot.json</a> lists"),
        )
        .replace(
            &format!("href=\"{root}../index.html\">Archive of closed months"),
            &format!("href=\"{root}archive/index.html\">Archive of closed months"),
        )
        .replace(
            &format!("href=\"{root}../20"),
            &format!("href=\"{root}archive/20"),
        )
}

/// The page with its calendar links left out: an archived month links the current
/// calendars (it keeps none of its own); the same page of a build links its own.
fn without_calendar_links(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("href=\"") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 6..];
        let end = after.find('"').unwrap_or(after.len());
        if after[..end].ends_with("calendar.ics") {
            out.push_str("href=\"CALENDAR");
        } else {
            out.push_str(&rest[i..i + 6 + end]);
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The first line where two texts differ (a whole page in a failure message is unreadable).
fn first_difference(a: &str, b: &str) -> Option<(usize, String, String)> {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    (0..la.len().max(lb.len())).find_map(|i| {
        let (x, y) = (
            la.get(i).copied().unwrap_or(""),
            lb.get(i).copied().unwrap_or(""),
        );
        (x != y).then(|| {
            (
                i + 1,
                x.chars().take(300).collect(),
                y.chars().take(300).collect(),
            )
        })
    })
}

#[test]
fn an_archived_month_is_what_a_build_of_its_month_end_makes() {
    let cache = sample_cache();
    let now = Fixture::new();
    let out = build_into(Path::new(&cache), &now.site(), &["--archive-clubs"]);
    assert!(out.status.success(), "{}", super::support::stderr(&out));
    let then = Fixture::new();
    let out = build_into(Path::new(&cache), &then.site(), &["--date", "2026-10-31"]);
    assert!(out.status.success(), "{}", super::support::stderr(&out));
    let archive = snapshot_tree(&now);
    let built = snapshot_tree(&then);
    let mut compared = 0;
    for (path, bytes) in &built {
        let Some(copy) = archive.get(&format!("archive/2026-10/{path}")) else {
            // what the archive leaves out: live-only files, the build's own metadata and
            // the build's own archive
            assert!(
                [
                    "_headers",
                    "_redirects",
                    "nginx-headers.conf",
                    "404.html",
                    "snapshot.json",
                    "api/v1/snapshot.json",
                    "manifest.json"
                ]
                .contains(&path.as_str())
                    || path.starts_with("archive/")
                    || path.ends_with(".ics"),
                "archive/2026-10 lacks {path}"
            );
            continue;
        };
        if path.ends_with(".html") {
            let built = String::from_utf8(bytes.clone()).unwrap();
            let copy = String::from_utf8(copy.clone()).unwrap();
            // the API page names snapshot.json, which only the snapshot's root has
            let plain = |t: &str| {
                without_calendar_links(t)
                    .lines()
                    .filter(|l| !l.contains("snapshot.schema.json"))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            let diff = first_difference(
                &plain(&as_built(path, &copy)),
                &plain(built.trim_end_matches('\n')),
            );
            assert_eq!(diff, None, "{path}: line, archive, build");
        } else {
            // the JSON API, downloads, feeds: byte for byte
            assert!(copy == bytes, "{path} differs");
        }
        compared += 1;
    }
    assert!(compared > 100, "{compared}");
}

#[test]
fn a_second_build_of_the_same_cache_gives_the_same_archive() {
    let fx = Fixture::sample_site(&[]);
    let first = snapshot_tree(&fx);
    let cache = sample_cache();
    let out = build_into(
        Path::new(&cache),
        &fx.site(),
        &["--snapshot-time", "2026-11-09T07:00:00Z"],
    );
    assert!(out.status.success(), "{}", super::support::stderr(&out));
    let second = snapshot_tree(&fx);
    let archive = |t: &BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        t.iter()
            .filter(|(p, _)| p.starts_with("archive/"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect()
    };
    let (a, b) = (archive(&first), archive(&second));
    let differ: Vec<&String> = a.keys().filter(|p| a.get(*p) != b.get(*p)).collect();
    assert!(
        differ.is_empty() && a.len() == b.len(),
        "{} files differ: {:?}",
        differ.len(),
        &differ[..differ.len().min(5)]
    );
}
