//! The division and area pages (issue 22): every division and area of a built district has
//! a page in its folder (`districts/<id>/divisions/<d>/`, `.../areas/<a>/`) whose clubs,
//! sums and visits are read here from the sample's CSV exports, not from our own output;
//! its clubs CSV holds those clubs; club pages and the units table link the pages; every
//! link of a unit page resolves, in the current pages and the archive; a 400-club district
//! keeps each page within 40 KB.

use crate::support::{self, Fixture};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The sample's newest date, which the build presents.
const NEWEST: &str = "2026-11-08";
const BUDGET: usize = 40 * 1024;

/// The fields of one CSV line (TI's exports quote every field; no quote inside one).
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for ch in line.trim_end_matches(['\r', '\n']).chars() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// The rows of an export by header name (the footer line "Month of ..." is left out).
fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let head = fields(lines.next().unwrap());
    lines
        .map(fields)
        .filter(|f| f.len() == head.len())
        .map(|f| head.iter().cloned().zip(f).collect())
        .collect()
}

/// One club of the club report.
#[derive(Debug, Clone)]
struct CsvClub {
    number: String,
    division: String,
    area: String,
    status: String,
    members: i64,
}

fn csv_clubs(district: &str) -> Vec<CsvClub> {
    let path = Path::new(&support::sample_cache()).join(format!(
        "raw-csv/{NEWEST}/district-{district}/club-performance.csv"
    ));
    rows(&path)
        .into_iter()
        .map(|r| CsvClub {
            number: r["Club Number"].clone(),
            division: r["Division"].clone(),
            area: r["Area"].clone(),
            status: r["Club Status"].clone(),
            members: r["Active Members"].parse().unwrap(),
        })
        .collect()
}

/// The district ids the sample builds on its newest date with a division report.
fn districts() -> Vec<String> {
    let dir = Path::new(&support::sample_cache()).join(format!("raw-csv/{NEWEST}"));
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_prefix("district-").map(String::from)
        })
        .collect();
    out.sort();
    out
}

/// The club numbers in the cards table of a page (`<small>NUMBER` after each name).
fn card_numbers(html: &str) -> BTreeSet<String> {
    let Some(start) = html.find(r#"<table class="data club-list" id="unit-clubs">"#) else {
        return BTreeSet::new();
    };
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    numbers_after(table, r#"<th scope="row">"#)
}

/// Every 8-digit number that follows `<small>` after an occurrence of `marker`.
fn numbers_after(text: &str, marker: &str) -> BTreeSet<String> {
    text.split(marker)
        .skip(1)
        .filter_map(|part| {
            let i = part.find("<small>")? + "<small>".len();
            let n: String = part[i..].chars().take_while(char::is_ascii_digit).collect();
            (n.len() == 8).then_some(n)
        })
        .collect()
}

/// The big figure of a card (`<dt>label</dt><dd class="big">value</dd>`), commas removed.
fn figure(html: &str, label: &str) -> i64 {
    let key = format!("<dt>{label}</dt><dd class=\"big\">");
    let i = html.find(&key).unwrap_or_else(|| panic!("no card {label}")) + key.len();
    let v: String = html[i..].chars().take_while(|c| *c != '<').collect();
    v.replace(',', "").replace('\u{2212}', "-").parse().unwrap()
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn current(fx: &Fixture) -> PathBuf {
    std::fs::canonicalize(fx.site().join("current")).unwrap()
}

#[test]
fn every_unit_has_a_page_with_its_csv_clubs_and_their_sums() {
    let fx = Fixture::sample_site(&[]);
    let root = current(&fx);
    let mut checked = 0;
    for d in districts() {
        let clubs = csv_clubs(&d);
        let mut units: BTreeMap<String, Vec<&CsvClub>> = BTreeMap::new();
        for c in &clubs {
            units
                .entry(format!("divisions/{}", c.division))
                .or_default()
                .push(c);
            units
                .entry(format!("areas/{}", c.area))
                .or_default()
                .push(c);
        }
        for (folder, mine) in &units {
            let rel = format!("districts/{d}/{folder}/index.html");
            let html = read(&root, &rel);
            let want: BTreeSet<String> = mine.iter().map(|c| c.number.clone()).collect();
            let shown = card_numbers(&html);
            assert_eq!(shown, want, "{rel}: the clubs listed");
            assert_eq!(figure(&html, "Clubs"), mine.len() as i64, "{rel}");
            let paid = mine.iter().filter(|c| c.status == "Active").count() as i64;
            assert_eq!(figure(&html, "Paid clubs"), paid, "{rel}");
            let members: i64 = mine.iter().map(|c| c.members).sum();
            assert_eq!(figure(&html, "Active members"), members, "{rel}");
            // the clubs CSV beside the page holds the same clubs, under the district's header
            let dir = root.join(format!("districts/{d}/{folder}"));
            let csv = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.extension().is_some_and(|x| x == "csv"))
                .unwrap_or_else(|| panic!("{rel}: no CSV beside it"));
            let text = std::fs::read_to_string(&csv).unwrap();
            assert!(
                html.contains(&format!(
                    "href=\"{}\"",
                    csv.file_name().unwrap().to_string_lossy()
                )),
                "{rel} links its CSV"
            );
            let district_csv = std::fs::read_dir(root.join(format!("districts/{d}")))
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().contains("-clubs-"))
                })
                .unwrap();
            let district_text = std::fs::read_to_string(district_csv).unwrap();
            assert_eq!(
                text.lines().next(),
                district_text.lines().next(),
                "{rel}: the district CSV's columns"
            );
            let in_csv: BTreeSet<String> = text
                .lines()
                .skip(1)
                .map(|l| fields(l)[4].trim_start_matches('=').to_string())
                .collect();
            assert_eq!(in_csv, want, "{}", csv.display());
            checked += 1;
        }
        // the district's divisions-and-areas table (its divisions page) links every unit
        let page = read(&root, &format!("districts/{d}/divisions/index.html"));
        for folder in units.keys() {
            assert!(
                page.contains(&format!("href=\"../{folder}/index.html\"")),
                "district {d}'s divisions page links {folder}"
            );
        }
    }
    assert!(checked >= 10, "{checked} unit pages checked");
}

#[test]
fn visits_name_the_clubs_still_to_visit_and_never_a_suspended_club() {
    let fx = Fixture::sample_site(&[]);
    let root = current(&fx);
    let mut listed = 0;
    let mut suspended_unvisited = 0;
    for d in districts() {
        let path = Path::new(&support::sample_cache()).join(format!(
            "raw-csv/{NEWEST}/district-{d}/division-performance.csv"
        ));
        if !path.exists() {
            continue;
        }
        let status: BTreeMap<String, String> = csv_clubs(&d)
            .into_iter()
            .map(|c| (c.number, c.status))
            .collect();
        // 8 November: round 1 (due 30 November) is the open round
        let mut want: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for r in rows(&path) {
            let n = r["Club"].clone();
            let suspended = status.get(&n).is_some_and(|s| s == "Suspended");
            let area = want.entry(r["Area"].clone()).or_default();
            if r["Nov Visit award"] == "0" {
                if suspended {
                    suspended_unvisited += 1;
                } else {
                    area.insert(n);
                }
            }
        }
        for (area, clubs) in &want {
            let rel = format!("districts/{d}/areas/{area}/index.html");
            let html = read(&root, &rel);
            let shown = html
                .split(r#"<span class="to-visit" data-round="1">"#)
                .nth(1)
                .map(|s| numbers_after(&s[..s.find("</span>").unwrap()], "</a> "))
                .unwrap_or_default();
            // (a club without a page link is named without </a>; the sample has pages)
            assert_eq!(&shown, clubs, "{rel}: clubs still to visit in round 1");
            if clubs.is_empty() {
                assert!(html.contains("every club visited"), "{rel}");
            }
            listed += clubs.len();
        }
    }
    assert!(listed > 0, "the sample has clubs to visit");
    eprintln!("{listed} clubs to visit; {suspended_unvisited} suspended clubs unvisited, left out");
}

/// Every relative link and anchor of the division and area pages under `root` resolves to
/// a file of the snapshot (`snapshot`); returns how many links were checked.
fn links_resolve(snapshot: &Path, root: &Path) -> usize {
    let mut pages = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "index.html")
                && p.parent()
                    .and_then(Path::parent)
                    .and_then(Path::file_name)
                    .is_some_and(|n| n == "divisions" || n == "areas")
            {
                pages.push(p);
            }
        }
    }
    let mut links = 0;
    for p in &pages {
        let html = std::fs::read_to_string(p).unwrap();
        let dir = p.parent().unwrap();
        for attr in [" href=\"", " src=\""] {
            for part in html.split(attr).skip(1) {
                let link = &part[..part.find('"').unwrap()];
                if link.starts_with("https://dashboards.toastmasters.org/") {
                    continue;
                }
                assert!(!link.contains("://"), "{}: {link}", p.display());
                let (path, anchor) = link.split_once('#').unwrap_or((link, ""));
                let target = if path.is_empty() {
                    p.clone()
                } else {
                    let mut t = dir.to_path_buf();
                    for seg in path.split('/') {
                        match seg {
                            ".." => {
                                t.pop();
                            }
                            "" | "." => {}
                            s => t.push(s),
                        }
                    }
                    t
                };
                assert!(
                    target.starts_with(snapshot) && target.is_file(),
                    "{}: {link} resolves to no file",
                    p.display()
                );
                if !anchor.is_empty() {
                    let page = std::fs::read_to_string(&target).unwrap();
                    assert!(
                        page.contains(&format!("id=\"{anchor}\"")),
                        "{}: {link}: no such anchor",
                        p.display()
                    );
                }
                links += 1;
            }
        }
    }
    assert!(!pages.is_empty(), "no unit pages under {}", root.display());
    links
}

#[test]
fn unit_pages_link_within_the_snapshot_and_club_pages_link_them() {
    let fx = Fixture::sample_site(&[]);
    let root = current(&fx);
    let links = links_resolve(&root, &root.join("districts"));
    assert!(links > 200, "{links} links");
    // archived months render the pages too; their feeds and calendars are the current ones
    let archived = links_resolve(&root, &root.join("archive/2026-10/districts"));
    assert!(archived > 100, "{archived} links");
    let page = read(&root, "archive/2026-10/districts/02/areas/01/index.html");
    assert!(page.contains("href=\"../../../../../../districts/02/areas/01/changes.atom\""));
    // a club page links its division's and its area's pages (TI's holding of new clubs,
    // `0D`, only its area's: the division holds nothing else)
    for c in csv_clubs("02") {
        let html = read(
            &root,
            &format!("districts/02/clubs/{}/index.html", c.number),
        );
        let mut units = vec![format!("areas/{}", c.area)];
        if c.division != "0D" {
            units.push(format!("divisions/{}", c.division));
        }
        for unit in units {
            assert!(
                html.contains(&format!("href=\"../../{unit}/index.html\"")),
                "club {} links {unit}",
                c.number
            );
        }
    }
}

#[test]
fn a_400_club_district_keeps_every_unit_page_within_40_kb() {
    let fx = Fixture::new();
    let cache = fx.cache().display().to_string();
    let out = support::run(&[
        "sample",
        "--out",
        &cache,
        "--districts",
        "1",
        "--clubs-per-district",
        "400",
        "--dates",
        "3",
    ]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let out = fx.build(&[]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let root = current(&fx);
    let mut biggest: BTreeMap<&str, (usize, String)> = BTreeMap::new();
    for kind in ["divisions", "areas"] {
        let dir = root.join(format!("districts/01/{kind}"));
        // (the district's divisions-and-areas page is `divisions/index.html`)
        for e in std::fs::read_dir(&dir).unwrap() {
            let folder = e.unwrap().path();
            if !folder.is_dir() {
                continue;
            }
            let page = folder.join("index.html");
            let len = std::fs::metadata(&page).unwrap().len() as usize;
            assert!(len <= BUDGET, "{}: {len} bytes", page.display());
            let b = biggest.entry(kind).or_default();
            if len > b.0 {
                *b = (len, page.display().to_string());
            }
        }
    }
    eprintln!("biggest unit pages of a 400-club district: {biggest:?}");
    assert_eq!(biggest.len(), 2);
}
