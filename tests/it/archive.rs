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
        // shared with the current pages: the cumulative series and the feeds
        "api/v1/districts/02/history.json",
        "api/v1/districts/02/clubs-history.json",
        "api/v1/rankings-history.json",
        "districts/02/changes.atom",
    ] {
        assert!(!files.contains_key(&format!("{m}/{absent}")), "{absent}");
    }
    assert!(
        !files
            .keys()
            .any(|p| p.starts_with(&format!("{m}/districts/02/clubs/"))
                && *p != format!("{m}/districts/02/clubs/index.html"))
    );
    for present in [
        "index.html",
        "districts/index.html",
        "districts/02/index.html",
        "api/v1/districts/02.json",
        "api/v1/districts/02/changes.json",
        "api/v1/districts/02/reconciliation.json",
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
    assert!(
        page.contains(
            "href=\"../../archive/2026-10/districts/02/index.html\">October 2026</a>.</p>"
        ),
        "the charts link every month they draw"
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
    // (the clubs page, which the archive has, is linked)
    assert!(!archived.contains("href=\"clubs/0") && !archived.contains("href=\"clubs/2"));
    assert!(files.contains_key(&format!("{m}/districts/02/clubs/index.html")));
    // what it shares is linked where the current pages have it
    for shared in [
        "../../../../api/v1/districts/02/history.json",
        "../../../../districts/02/changes.atom",
    ] {
        assert!(archived.contains(&format!("href=\"{shared}\"")), "{shared}");
        let target = shared.trim_start_matches("../../../../");
        assert!(files.contains_key(target), "{target}");
    }
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

/// Whether `path` is a cumulative series or feed the archive links in the current pages
/// instead of holding (`render::archive::shared_with_current`), and the current one holds
/// every point of the month's own (`built`, from a build of the month end), unchanged:
/// the same final figures at every date up to it.
fn shared_series_hold_the_month(
    path: &str,
    built: &[u8],
    snapshot: &BTreeMap<String, Vec<u8>>,
) -> bool {
    if path.ends_with(".atom") {
        return snapshot.contains_key(path);
    }
    let Some(current) = snapshot.get(path) else {
        return false;
    };
    let (built, current): (serde_json::Value, serde_json::Value) = (
        serde_json::from_slice(built).unwrap(),
        serde_json::from_slice(current).unwrap(),
    );
    // (the points of one list, each keyed by its date)
    let dated = |v: &serde_json::Value, list: &str| -> BTreeMap<String, serde_json::Value> {
        v[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["data_date"].as_str().unwrap().to_string(), p.clone()))
            .collect()
    };
    let within = |a: &BTreeMap<String, serde_json::Value>,
                  b: &BTreeMap<String, serde_json::Value>| {
        assert!(!a.is_empty(), "{path}: no points");
        a.iter().all(|(d, p)| {
            let same = b.get(d) == Some(p);
            assert!(
                same,
                "{path}: the point of {d} differs from the current one"
            );
            same
        })
    };
    if path.ends_with("/clubs-history.json") {
        let years = |v: &serde_json::Value| -> BTreeMap<String, serde_json::Value> {
            v["program_years"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|y| y["clubs"].as_array().unwrap().iter())
                .flat_map(|c| c["points"].as_array().unwrap().iter())
                .map(|p| {
                    let key = format!(
                        "{} {}",
                        p["data_date"],
                        p.get("club_number").unwrap_or(&serde_json::Value::Null)
                    );
                    (key, p.clone())
                })
                .collect()
        };
        return within(&years(&built), &years(&current));
    }
    if path.ends_with("/history.json") {
        return within(&dated(&built, "points"), &dated(&current, "points"));
    }
    if path.ends_with("rankings-history.json") {
        return within(&dated(&built, "dates"), &dated(&current, "dates"));
    }
    false
}

/// A page of the archive with its links to the files it shares with the current pages
/// (at the snapshot root, two folders above the archive's) read as the build's own.
fn shared_links_as_built(path: &str, html: &str) -> String {
    let root = "../".repeat(path.matches('/').count());
    let folder = path.rsplit_once('/').map_or("", |(f, _)| f);
    // the API page links (and names) its files relative to `api/`
    if path == "api/index.html" {
        // (the excerpts are of files compared on their own; the archive has none of
        // the files it shares)
        return without_excerpts(&html.replace(SHARED_FROM_INDEX, ""))
            .replace("../../../api/v1/", "v1/");
    }
    html.replace(
        &format!("href=\"{root}../../api/v1/"),
        &format!("href=\"{root}api/v1/"),
    )
    .replace(
        &format!("href=\"{root}../../{folder}/changes.atom\""),
        "href=\"changes.atom\"",
    )
    // a district's changes page links the feed one folder up
    .replace(
        &format!(
            "href=\"{root}../../{}/changes.atom\"",
            folder.rsplit_once('/').map_or("", |(f, _)| f)
        ),
        "href=\"../changes.atom\"",
    )
}

/// The API page without its `<details>` excerpts (and the blank lines left where a file
/// has none).
fn without_excerpts(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<details>") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find("</details>\n").expect("closed details") + i;
        rest = &rest[end + "</details>\n".len()..];
    }
    out.push_str(rest);
    out.lines()
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// How the archive's `api/v1/index.json` names a file it shares: from its folder up to
/// the snapshot root's API (the build's index names it in its own folder).
const SHARED_FROM_INDEX: &str = "../../../../api/v1/";

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
                    || path.ends_with(".ics")
                    || shared_series_hold_the_month(path, bytes, &archive),
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
            let built = match path.as_str() {
                "api/index.html" => without_excerpts(&built),
                _ => built,
            };
            let diff = first_difference(
                &plain(&shared_links_as_built(path, &as_built(path, &copy))),
                &plain(built.trim_end_matches('\n')),
            );
            assert_eq!(diff, None, "{path}: line, archive, build");
        } else if path == "api/v1/index.json" {
            let copy = String::from_utf8(copy.clone()).unwrap();
            assert_eq!(
                copy.replace(SHARED_FROM_INDEX, ""),
                String::from_utf8(bytes.clone()).unwrap(),
                "{path}"
            );
        } else {
            // the JSON API, downloads: byte for byte
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
