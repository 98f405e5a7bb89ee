//! The HTML site (issue 4), built by the real CLI from the committed sample cache:
//! insta snapshots of rendered fragments, a broken-link check over the whole snapshot,
//! the page rules that a test can see in the markup, and `--templates`.

use crate::support::{self, Fixture};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Builds the sample (with `extra` arguments) and returns the fixture.
fn built(extra: &[&str]) -> Fixture {
    Fixture::sample_site(extra)
}

fn read(fx: &Fixture, rel: &str) -> String {
    fx.read_text(rel)
}

/// The element that starts with `start` (e.g. `<tr id="rank-04"`), up to its matching
/// closing tag (no nesting of the same tag inside, which holds for rows and paragraphs).
/// The table of a district's clubs page (`districts/<id>/clubs/index.html`).
fn clubs_table(html: &str) -> String {
    fragment(html, r#"<table class="data club-list""#, "table")
}

/// The clubs page's row of club `number`.
fn club_row(html: &str, number: &str) -> String {
    let at = html
        .find(&format!(r#"<a href="{number}/index.html">"#))
        .unwrap_or_else(|| panic!("club {number} not found"));
    let from = html[..at].rfind("<tr ").expect("its row");
    let len = html[from..].find("</tr>").expect("closing tag") + "</tr>".len();
    html[from..from + len].to_string()
}

/// The number of club rows of a clubs page.
fn club_rows(html: &str) -> usize {
    clubs_table(html).matches("<tr data-need=").count()
}

fn fragment(html: &str, start: &str, tag: &str) -> String {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} not found"));
    let close = format!("</{tag}>");
    let len = html[from..].find(&close).expect("closing tag") + close.len();
    html[from..from + len].to_string()
}

#[test]
fn fragment_rankings_row() {
    let fx = built(&[]);
    let html = read(&fx, "index.html");
    insta::assert_snapshot!("rankings_row", fragment(&html, r#"<tr id="rank-04""#, "tr"));
}

#[test]
fn fragment_club_row() {
    let fx = built(&[]);
    let html = read(&fx, "districts/02/clubs/index.html");
    // the unassigned new club: division 0D, a charter date
    insta::assert_snapshot!("club_row", club_row(&html, "28690231"));
}

/// The text from `start` up to (not including) `end`, for fragments that nest.
fn between(html: &str, start: &str, end: &str) -> String {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} not found"));
    let len = html[from..]
        .find(end)
        .unwrap_or_else(|| panic!("{end} not found after {start}"));
    html[from..from + len].to_string()
}

#[test]
fn fragment_recognition() {
    // the April close of 2025-26: TI's codes are out, the May visit round is still open
    let fx = built(&["--date", "2026-04-30"]);
    let html = read(&fx, "districts/02/index.html");
    insta::assert_snapshot!(
        "recognition_summary",
        between(
            &html,
            r#"<section aria-labelledby="h-recognition">"#,
            r#"<section aria-labelledby="h-ranking">"#
        )
    );
    // an area whose second visit round is still open (April data): provisional
    let units = read(&fx, "districts/02/divisions/index.html");
    insta::assert_snapshot!("unit_row", fragment(&units, r#"<tr id="area-A-02""#, "tr"));
    insta::assert_snapshot!(
        "close_to_distinguished",
        fragment(&units, r#"<table class="data sortable close""#, "table")
    );
    // the goal grid of every club is on its page, in words too (issue 14: per-club
    // detail left the clubs table), and every close club links to its page
    let rows = club_rows(&read(&fx, "districts/02/clubs/index.html"));
    let clubs = fx.site().join("current/districts/02/clubs");
    let mut described = 0;
    for page in pages(&clubs) {
        let club = std::fs::read_to_string(&page).unwrap();
        // the coloured strip of the ten goals and its text equivalent, met and not met
        if club.contains(r#"<svg class="chart goals""#) && club.contains(r#"<p id="goals-words">"#)
        {
            described += 1;
        }
    }
    assert_eq!(described, rows);
    for href in attrs(
        &fragment(&units, r#"<table class="data sortable close""#, "table"),
        "href",
    ) {
        // a club close to Distinguished links to its own page
        assert!(
            href.starts_with("../clubs/") && href.ends_with("/index.html"),
            "{href}"
        );
    }
}

#[test]
fn fragment_club_row_before_april() {
    let fx = built(&["--date", "2026-03-31"]);
    let list = read(&fx, "districts/02/clubs/index.html");
    insta::assert_snapshot!("club_row_before_april", club_row(&list, "06442091"));
    let html = read(&fx, "districts/02/index.html");
    assert!(html.contains("provisional until TI publishes its codes in April"));
    assert!(
        html.contains(r#"<td class="n">not yet</td>"#),
        "TI's codes column"
    );
}

#[test]
fn methodology_tables_are_the_rule_tables() {
    let fx = built(&[]);
    let html = read(&fx, "methodology/index.html");
    insta::assert_snapshot!(
        "methodology_levels",
        between(
            &html,
            r#"<section class="scroll" tabindex="0" aria-labelledby="levels-caption-1">"#,
            "<p>Program years before"
        )
    );
    insta::assert_snapshot!(
        "methodology_checkpoints",
        fragment(&html, r#"<table class="data checkpoints""#, "table")
    );
    insta::assert_snapshot!(
        "methodology_units",
        between(
            &html,
            r#"<table class="data">
<caption id="area-caption">"#,
            "<p><strong>Distinguished clubs</strong>"
        )
    );
    for id in [
        "goals",
        "levels",
        "health",
        "close",
        "units",
        "district-tiers",
    ] {
        assert!(
            html.contains(&format!(r##"<a href="#{id}">"##)),
            "{id} in the contents"
        );
    }
}

#[test]
fn disagreements_with_ti_are_flagged() {
    let fx = Fixture::new();
    fx.valid();
    // TI says 6 goals and Distinguished; the goal columns give 4 goals and no level
    let row = support::club_row("61", "61000001");
    let odd = row.replacen(r#""13","13","0","4","#, r#""13","13","0","6","#, 1);
    let odd = format!("{}\"D\"", odd.strip_suffix("\"\"").unwrap());
    assert_ne!(odd, row);
    let other = support::club_row("61", "61000002");
    fx.write(
        "2026-04-20/district-61/club-performance.csv",
        support::csv(&[support::CLUB_HEADER, &odd, &other]),
    );
    let out = fx.build(&[]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let html = std::fs::read_to_string(fx.site().join("current/districts/61/index.html")).unwrap();
    let list =
        std::fs::read_to_string(fx.site().join("current/districts/61/clubs/index.html")).unwrap();
    let club = club_row(&list, "61000001");
    assert!(
        club.contains(
            r#"<td class="n" data-label="Goals">6 <strong class="flag">computed here: 4</strong></td>"#
        ),
        "{club}"
    );
    assert!(
        club.contains(
            r#"<td data-label="Level">Distinguished <strong class="flag">computed here: none</strong></td>"#
        ),
        "{club}"
    );
    assert!(html.contains(r#"<td class="n">1 <strong class="flag">differs</strong></td>"#));
    assert!(html.contains("the goal counts computed here agree with TI&#39;s for 1 of 2 clubs"));
}

#[test]
fn a_district_page_states_its_own_as_of_date() {
    let fx = Fixture::new();
    fx.valid();
    // district 62's files were downloaded two days earlier (an archived download)
    for report in ["club-performance.csv", "district-performance.csv"] {
        let path = fx
            .cache()
            .join("raw-csv/2026-04-20/district-62")
            .join(report);
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("As of 04/20/2026", "As of 04/18/2026");
        std::fs::write(&path, text).unwrap();
    }
    let out = fx.build(&[]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let page = |id: &str| {
        std::fs::read_to_string(fx.site().join(format!("current/districts/{id}/index.html")))
            .unwrap()
    };
    assert!(page("61").contains("as of 20 April 2026"));
    assert!(page("62").contains("as of 18 April 2026"), "{}", page("62"));
}

#[test]
fn fragment_closing_banner() {
    // October 2026 is still closing in the newest download that carries it (3 November),
    // in a cache that ends there (with November's data it is final: tests/it/archive.rs)
    let fx = support::sample_in_octobers_close();
    assert!(fx.build(&[]).status.success());
    let html = read(&fx, "index.html");
    insta::assert_snapshot!(
        "closing_banner",
        fragment(&html, r#"<p class="banner" id="closing""#, "p")
    );
    // every page carries it while closing (an archived month is closed), none otherwise
    let root = fx.site().join("current");
    for page in pages(&root) {
        if page
            .strip_prefix(&root)
            .is_ok_and(|r| r.starts_with("archive/"))
        {
            continue;
        }
        let text = std::fs::read_to_string(&page).unwrap();
        assert!(text.contains(r#"id="closing""#), "{}", page.display());
    }
    let fx = built(&[]);
    assert!(!read(&fx, "index.html").contains(r#"id="closing""#));
}

fn pages(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Values of every `name="..."` attribute in `html`.
fn attrs<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        let end = rest.find('"').expect("closing quote");
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

/// Lexically resolves `rel` against the folder `base` (both relative to the snapshot).
fn resolve(base: &Path, rel: &str) -> Option<PathBuf> {
    let mut parts: Vec<String> = base
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s.to_string()),
        }
    }
    Some(parts.iter().collect())
}

#[test]
fn every_relative_link_and_anchor_resolves() {
    let fx = built(&[]);
    let root = std::fs::canonicalize(fx.site().join("current")).unwrap();
    let files = pages(&root);
    assert!(files.len() >= 14, "{} pages", files.len());
    let mut ids: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let html = std::fs::read_to_string(f).unwrap();
        let rel = f.strip_prefix(&root).unwrap().to_path_buf();
        let set: BTreeSet<String> = attrs(&html, "id").into_iter().map(String::from).collect();
        assert_eq!(
            set.len(),
            attrs(&html, "id").len(),
            "{}: duplicate ids",
            rel.display()
        );
        ids.insert(rel, set);
    }
    let mut checked = 0;
    for f in &files {
        let html = std::fs::read_to_string(f).unwrap();
        let rel = f.strip_prefix(&root).unwrap();
        let dir = rel.parent().unwrap_or(Path::new(""));
        for link in attrs(&html, "href").into_iter().chain(attrs(&html, "src")) {
            let where_ = format!("{}: {link}", rel.display());
            // the one way out: the source of the data (issue 14), and the 404 page's
            // inlined icon (it cannot rely on relative links)
            if link == "https://dashboards.toastmasters.org/"
                || (rel == Path::new("404.html") && link.starts_with("data:image/svg+xml,"))
            {
                continue;
            }
            assert!(
                !link.contains("://") && !link.starts_with("//") && !link.starts_with('/'),
                "{where_}: links must be relative and stay in the snapshot"
            );
            let (path, anchor) = link.split_once('#').unwrap_or((link, ""));
            let target = if path.is_empty() {
                rel.to_path_buf()
            } else {
                resolve(dir, path).unwrap_or_else(|| panic!("{where_}: leaves the snapshot"))
            };
            assert!(root.join(&target).is_file(), "{where_}: no such file");
            if !anchor.is_empty() {
                let known = ids
                    .get(&target)
                    .unwrap_or_else(|| panic!("{where_}: anchor into a non-page"));
                assert!(known.contains(anchor), "{where_}: no id {anchor}");
            }
            checked += 1;
        }
    }
    // the sample has about 200 clubs on its newest date
    assert!(checked > 400, "only {checked} links checked");
}

#[test]
fn pages_follow_the_rules_a_test_can_see() {
    let fx = built(&[]);
    let root = fx.site().join("current");
    for page in pages(&root) {
        let html = std::fs::read_to_string(&page).unwrap();
        let name = page.display().to_string();
        // an archived month states its own month and dates (tests/it/archive.rs)
        let archived = page
            .strip_prefix(&root)
            .is_ok_and(|r| r.starts_with("archive/") && r != Path::new("archive/index.html"));
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
            "{name}"
        );
        assert_eq!(html.matches("<h1").count(), 1, "{name}: one h1");
        assert!(
            html.contains(r##"<a class="skip" href="#main">"##),
            "{name}"
        );
        assert!(html.contains(r#"<main id="main">"#), "{name}");
        if !archived {
            assert!(
                html.contains("Figures for <strong>November 2026</strong>"),
                "{name}"
            );
            assert!(html.contains("as of 8 November 2026"), "{name}");
        }
        if !name.ends_with("archive/index.html") {
            assert!(html.contains(".json\">"), "{name}: links to its JSON");
        }
        assert_eq!(
            html.matches("<table").count(),
            html.matches("<caption").count(),
            "{name}: every table has a caption"
        );
        assert!(
            !html.contains("20261109T06"),
            "{name}: no snapshot id or build time"
        );
    }
}

#[test]
fn unknown_values_read_unknown_never_zero() {
    let fx = built(&[]);
    // district 05 has only its club report: payments per division are unknown
    let html = read(&fx, "districts/05/index.html");
    let divisions = read(&fx, "districts/05/divisions/index.html");
    // unknown in every row: the column is left out and the page says why, once
    let units = fragment(&divisions, r#"<table class="data units">"#, "table");
    assert!(!units.contains(">Payments</th>"), "{units}");
    assert!(!units.contains(">unknown<"), "{units}");
    let missing = fragment(&html, r#"<p class="note" id="missing-reports">"#, "p");
    assert!(
        missing.contains("TI&#39;s district report") && missing.contains("payments"),
        "said once, at the top: {missing}"
    );
    assert!(divisions.contains("Payments are unknown and left out."));
    // district 06 is only in the summary: a page with the summary's figures
    let html = read(&fx, "districts/06/index.html");
    assert!(html.contains("only the summary"));
    assert!(html.contains("<dt>Active members</dt><dd class=\"big\">unknown</dd>"));
    assert!(
        !html.contains(".csv\""),
        "no clubs download without the club report"
    );
}

#[test]
fn rankings_unavailable_say_why() {
    let fx = Fixture::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample/raw-csv/2026-11-08");
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            for f in std::fs::read_dir(e.path()).unwrap() {
                let f = f.unwrap();
                let rel = format!(
                    "2026-11-08/{}/{}",
                    e.file_name().to_string_lossy(),
                    f.file_name().to_string_lossy()
                );
                fx.write(&rel, std::fs::read(f.path()).unwrap());
            }
        }
    }
    let out = fx.build(&[]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let html = std::fs::read_to_string(fx.site().join("current/index.html")).unwrap();
    // issue 14 item 6: without TI's summary the home page lists the districts it has,
    // with their headline figures, and no ranking text about "r of 0" or file names
    assert!(html.contains("<title>Districts"), "no ranking title");
    assert!(html.contains("There is no world ranking: TI's district summary"));
    let list = fragment(
        &html,
        r#"<table class="data" id="home-districts">"#,
        "table",
    );
    let rows = list.matches("<tr id=\"district-").count();
    let folders = std::fs::read_dir(&src)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_type().unwrap().is_dir())
        .count();
    assert_eq!(rows, folders, "every district of the sample: {list}");
    assert!(list.contains(r#"<a href="districts/02/index.html">02</a>"#));
    assert!(
        list.contains("on track"),
        "November: provisional levels, {list}"
    );
    for bad in [
        "of 0",
        "all-districts.csv",
        "rankings are unavailable",
        "Rank</th>",
    ] {
        assert!(!html.contains(bad), "{bad}");
    }
    let district =
        std::fs::read_to_string(fx.site().join("current/districts/02/index.html")).unwrap();
    assert!(district.contains("<dt>World rank</dt><dd class=\"big\">unknown</dd>"));
    assert!(district.contains("not ranked: districts are ranked from TI&#39;s district summary"));
    let missing = fragment(&district, r#"<p class="note" id="missing-reports">"#, "p");
    assert!(
        missing.contains("TI&#39;s district summary for this date was not collected"),
        "said once, at the top: {missing}"
    );
    assert!(!reader_text(&district).contains("all-districts.csv"));
}

#[test]
fn templates_override_and_a_broken_one_fails_before_writing() {
    let fx = built(&[]);
    let before = fx.current();
    let dir = fx.dir.path().join("tpl");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("404.html"),
        "{% extends \"base.html\" %}{% block content %}{{ nope(\n{% endblock content %}",
    )
    .unwrap();
    let cache = support::sample_cache();
    let site = fx.site().display().to_string();
    let tpl = dir.display().to_string();
    let args = [
        "build",
        "--cache",
        &cache,
        "--site",
        &site,
        "--templates",
        &tpl,
        "--snapshot-time",
        "2026-11-10T06:00:00Z",
    ];
    let out = support::run(&args);
    // a template that does not compile is a usage error, found before the site is touched
    assert_eq!(out.status.code(), Some(2), "{}", support::stdout(&out));
    let err = support::stderr(&out);
    assert!(
        err.contains("invalid template in") && err.contains("404.html"),
        "{err}"
    );
    assert_eq!(fx.current(), before, "current did not move");

    std::fs::write(
        dir.join("404.html"),
        "{% extends \"base.html\" %}{% block content %}<p>Custom lost page.</p>{% endblock content %}",
    )
    .unwrap();
    std::fs::write(dir.join("site.css"), "body{color:#000}\n").unwrap();
    let out = support::run(&args);
    assert!(out.status.success(), "{}", support::stderr(&out));
    assert!(read(&fx, "404.html").contains("<p>Custom lost page.</p>"));
    assert_eq!(read(&fx, "assets/site.css"), "body{color:#000}\n");
    assert!(
        read(&fx, "index.html").contains("World district rankings"),
        "the rest is embedded"
    );
}

#[test]
fn partial_snapshot_pages_say_which_district_failed() {
    let fx = Fixture::new();
    fx.valid();
    let dup = support::club_row("62", "62000001");
    fx.write(
        "2026-04-20/district-62/club-performance.csv",
        support::csv(&[support::CLUB_HEADER, &dup, &dup]),
    );
    let out = fx.build(&["--max-failed-share", "0.5"]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let home = std::fs::read_to_string(fx.site().join("current/index.html")).unwrap();
    assert!(
        home.contains(r#"district <a href="districts/62/index.html">62</a> failed validation"#),
        "{home}"
    );
    let page = std::fs::read_to_string(fx.site().join("current/districts/62/index.html")).unwrap();
    assert!(
        page.contains("This district's files failed validation"),
        "{page}"
    );
    assert!(page.contains("duplicate club number 62000001"), "{page}");
}

// ---- history pages (issue 11) ----

/// Builds the real exports (every date folder) and returns the fixture, or `None` when
/// `../shared/realdata` is absent.
fn built_realdata() -> Option<Fixture> {
    let root = support::realdata()?;
    let fx = Fixture::new();
    let out = support::run(&[
        "build".to_string(),
        "--cache".into(),
        root.join("cache").display().to_string(),
        "--site".into(),
        fx.site().display().to_string(),
        "--snapshot-time".into(),
        "2026-09-23T06:00:00Z".into(),
    ]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    Some(fx)
}

/// The `<main>` element of a page: what a page adds to the common frame.
fn main_of(html: &str) -> String {
    between(html, "<main", "</main>")
}

#[test]
fn fragment_program_year_table_and_what_changed() {
    let fx = built(&[]);
    let html = read(&fx, "districts/02/index.html");
    insta::assert_snapshot!(
        "program_year_table",
        fragment(&html, r#"<table class="data year">"#, "table")
    );
    let changes = read(&fx, "districts/02/changes/index.html");
    insta::assert_snapshot!(
        "what_changed",
        between(
            &changes,
            r#"<section aria-labelledby="h-changed" id="what-changed">"#,
            "</main>"
        )
    );
    // four charts, each labelled by its caption, with axes and both years' legend
    for id in ["paid", "members", "payments", "distinguished"] {
        let caption = format!(r#"aria-labelledby="py-{id}-caption""#);
        assert_eq!(html.matches(&caption).count(), 1, "{id}");
        assert!(html.contains(&format!(r#"<figcaption id="py-{id}-caption">"#)));
    }
    assert_eq!(html.matches(">This year</text>").count(), 4);
    assert!(
        html.contains(
            r#"<link rel="alternate" type="application/atom+xml" title="District 02: what changed" href="changes.atom">"#
        ),
        "the feed is announced in the head"
    );
}

#[test]
fn fragment_club_page() {
    let fx = built(&[]);
    let html = read(&fx, "districts/02/clubs/07779086/index.html");
    insta::assert_snapshot!("club_page", main_of(&html));
    // the clubs table links every club to its page, and every club has one
    let rows = club_rows(&read(&fx, "districts/02/clubs/index.html"));
    assert!(rows > 0);
    // (one folder per club page; the clubs page itself is a file beside them)
    let pages = std::fs::read_dir(fx.site().join("current/districts/02/clubs"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert_eq!(pages, rows);
}

/// Issue 14: "Keep every district page under 150 KB of HTML at 400 clubs": a generated
/// district of 400 clubs (and its areas) stays under the limit, the per-club detail being
/// on the club pages.
#[test]
fn issue_14_a_district_of_400_clubs_is_under_150_kb() {
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
    let clubs = club_rows(&read(&fx, "districts/01/clubs/index.html"));
    assert!(clubs >= 400, "{clubs} clubs");
    // issue 22: the district page is a summary, its long lists on their own pages; the
    // divisions page holds the ~100 division and area rows
    let page = read(&fx, "districts/01/index.html");
    assert!(page.len() <= 60_000, "{} bytes", page.len());
    let units = read(&fx, "districts/01/divisions/index.html");
    assert!(units.len() < 150_000, "{} bytes", units.len());
}

/// Issue 14: a table wrapper is a tab stop only when it can scroll. In the markup only the
/// wrappers of tables that may scroll on a phone (`wide`) are, so a keyboard reaches them
/// without JavaScript; tables.js (on every page) keeps them tab stops only while they scroll.
#[test]
fn issue_14_only_wide_table_wrappers_are_tab_stops() {
    let fx = built(&[]);
    for rel in [
        "index.html",
        "districts/index.html",
        "districts/02/index.html",
        "districts/02/clubs/07779086/index.html",
    ] {
        let html = read(&fx, rel);
        assert!(
            !html.contains(r#"<section class="scroll" tabindex"#),
            "{rel}"
        );
        assert!(
            html.contains(r#"assets/tables.js" defer></script>"#),
            "{rel}"
        );
    }
    assert!(read(&fx, "assets/tables.js").contains("scrollWidth > w.clientWidth"));
}

/// Issue 11: "Keep each [club page] under 8 KB of HTML".
#[test]
fn every_club_page_is_under_8_kb() {
    let mut fixtures = vec![built(&[])];
    fixtures.extend(built_realdata());
    for fx in &fixtures {
        let root = std::fs::canonicalize(fx.site().join("current")).unwrap();
        let clubs: Vec<PathBuf> = pages(&root)
            .into_iter()
            // a club page is clubs/<number>/index.html, not the clubs page beside them
            .filter(|p| {
                p.parent()
                    .and_then(|d| d.parent())
                    .and_then(|d| d.file_name())
                    == Some(std::ffi::OsStr::new("clubs"))
            })
            .collect();
        assert!(clubs.len() > 100, "{} club pages", clubs.len());
        let (largest, path) = clubs
            .iter()
            .map(|p| (std::fs::metadata(p).unwrap().len(), p))
            .max()
            .unwrap();
        assert!(largest < 8 * 1024, "{}: {largest} bytes", path.display());
    }
}

#[test]
fn rankings_history_page_and_movement() {
    let fx = built(&[]);
    let home = read(&fx, "index.html");
    assert!(home.contains(r#"<a href="rankings/history/index.html">Rankings history</a>"#));
    assert!(home.contains(r#"<th scope="col" class="n secondary">Move</th>"#));
    insta::assert_snapshot!(
        "rankings_row_with_movement",
        fragment(&home, r#"<tr id="rank-04""#, "tr")
    );
    let page = read(&fx, "rankings/history/index.html");
    insta::assert_snapshot!("rankings_history_head", fragment(&page, "<thead>", "thead"));
    // every ranked district has a row, linked to its page
    assert_eq!(
        page.matches(r#"<th scope="row"><a href="../../districts/"#)
            .count(),
        10
    );
    let district = read(&fx, "districts/04/index.html");
    assert!(district.contains(r#"<p id="rank-movement">Overall rank "#));
}

/// Without TI's summary nothing says a district is gone: District 61 and 91, whose newest
/// files are of earlier program years, are current districts with "no data since" their
/// own date (issue 20 item 1); a club that moved shows where it was.
#[test]
fn stale_districts_and_moved_clubs_on_real_exports() {
    let Some(fx) = built_realdata() else {
        return;
    };
    let page = read(&fx, "districts/91/index.html");
    assert!(page.contains(
        r#"<p class="banner" id="stale">No data since 30 June 2025 (program year 2024–2025): this district is shown as of that date, while the newest data of this site is of 22 September 2026.</p>"#
    ));
    assert!(!page.contains("former"), "never former without a summary");
    assert!(
        page.contains("(data date 30 June 2025)"),
        "states its own date"
    );
    assert!(
        page.contains("Program year 2024–2025 (closed: these figures are final)"),
        "a closed program year is labelled final"
    );
    // no Smedley level before 2025-26 (DOMAIN.md §5.2)
    // (the chart's legend is drawn by charts.rs and still names all five levels)
    assert!(
        !page.contains(">Smedley</th>"),
        "no Smedley row or column in 2024-25"
    );
    assert!(
        !page.contains(" Smedley</dd>"),
        "no Smedley count on the card"
    );
    assert!(page.contains("<dd>last year 175: −2</dd>"));
    assert!(page.contains("Last year: the figures of 30 June 2024"));
    let directory = read(&fx, "districts/index.html");
    assert!(
        !directory.contains(r#"<h2 id="former">"#),
        "no former districts"
    );
    for (id, since) in [("61", "9 June 2026"), ("91", "30 June 2025")] {
        let row = between(&directory, &format!("District </span>{id}<"), "</tr>");
        assert!(
            row.contains(&format!("no data since {since}")),
            "{id}: {row}"
        );
    }
    let row = between(&directory, "District </span>21<", "</tr>");
    assert!(row.contains("data of 22 September 2026"), "{row}");
    // the home page states each row's own date
    let home = read(&fx, "index.html");
    assert!(home.contains("<strong>no data since 9 June 2026</strong>"));
    assert!(home.contains("<td>22 September 2026</td>"));
    // District 21 has no data a year back: unknown, never 0, and says why
    let d21 = read(&fx, "districts/21/index.html");
    assert!(d21.contains("<dd>last year unknown</dd>"));
    assert!(d21.contains("Last year is unknown: no figures of last year up to 22 September 2025."));
    assert!(d21.contains(
        "Year over year is unknown: there are no figures from last program year up to 22 September 2025 for this district."
    ));
    assert!(!d21.contains("the cache has"), "reader terms");
    // Club 2587 of District 61 moved from Division G to H between the two program years
    let club = read(&fx, "districts/61/clubs/00002587/index.html");
    insta::assert_snapshot!(
        "moved_club_history",
        fragment(&club, r#"<table class="data hist">"#, "table")
    );
    assert!(club.contains("(moved)"));
    // Club 2390 was in B 09 in 2022-23, a year no longer shown: its first row still says
    // it moved
    let club = read(&fx, "districts/91/clubs/00002390/index.html");
    assert!(club.contains("<td><strong>91 L 16</strong> (moved)</td>"));
}

/// A district missing from the newest date folder is shown at its own newest date: its
/// page says so in a banner and states that date; the directory says since when.
#[test]
fn a_district_missing_from_the_newest_date_says_since_when() {
    let fx = support::sample_copy(&["2026-11-08/district-03"], &[]);
    let out = fx.build(&["--snapshot-time", "2026-11-09T06:00:00Z"]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let page = read(&fx, "districts/03/index.html");
    assert!(
        page.contains(
            r#"<p class="banner" id="stale">No data since 7 November 2026 (program year 2026–2027): this district is shown as of that date, while the newest data of this site is of 8 November 2026.</p>"#
        ),
        "banner"
    );
    assert!(
        page.contains("(data date 7 November 2026)"),
        "states its own date"
    );
    let directory = read(&fx, "districts/index.html");
    assert!(directory.contains("no data since 7 November 2026"));
    assert!(
        !directory.contains(r#"<h2 id="former">"#),
        "in TI's summary, so not former"
    );

    // Once the newest summary no longer lists it, it is a former district.
    let summary = "2026-11-08/all-districts.csv";
    let text = String::from_utf8(std::fs::read(fx.cache().join("raw-csv").join(summary)).unwrap())
        .unwrap();
    let without: String = text
        .split_inclusive('\n')
        .filter(|l| !l.starts_with(r#""01","03","#))
        .collect();
    assert_ne!(without.len(), text.len(), "district 03's summary row");
    fx.write(summary, without.into_bytes());
    let out = fx.build(&["--snapshot-time", "2026-11-09T07:00:00Z"]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let page = read(&fx, "districts/03/index.html");
    assert!(
        page.contains(
            r#"<p class="banner" id="stale">District 03 is a former district: TI&#39;s summary of 8 November 2026 no longer lists it."#
        ),
        "{}\n{}",
        support::stderr(&out),
        between(&page, "<main", "</h1>")
    );
    let directory = read(&fx, "districts/index.html");
    let former = between(&directory, r#"<h2 id="former">"#, "</section>\n</section>");
    assert!(former.contains("District </span>03<"));
}

// ---- plain language (issue 14 items 6-9) ----

/// The text a reader sees in `html`'s main part: tags dropped, `<code>` (raw file paths
/// and build messages, kept in "About this data") left out.
fn reader_text(html: &str) -> String {
    let main = main_of(html);
    let mut out = String::with_capacity(main.len());
    let mut rest = main.as_str();
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with("<code>") {
            rest = rest.split_once("</code>").map_or("", |(_, r)| r);
        } else if rest.starts_with("<th scope=\"row\">") {
            // a row header names a thing in TI's own words (a real club is named
            // "-06719640"); figures are in the cells
            rest = rest.split_once("</th>").map_or("", |(_, r)| r);
        } else {
            rest = rest.split_once('>').map_or("", |(_, r)| r);
        }
        out.push(' ');
    }
    out.push_str(rest);
    out.replace("&#39;", "'")
}

/// Where `text` uses an ASCII hyphen as a minus sign: `-` right before a digit, after a
/// space or an opening bracket (dates such as 2026-11-08 and ranges are not signs).
fn hyphen_minus(text: &str) -> Option<String> {
    let b = text.as_bytes();
    (1..b.len().saturating_sub(1))
        .find(|&i| {
            b[i] == b'-' && b[i + 1].is_ascii_digit() && matches!(b[i - 1], b' ' | b'(' | b'\n')
        })
        .map(|i| text[i.saturating_sub(40)..(i + 20).min(text.len())].to_string())
}

fn assert_plain(root: &Path) {
    for page in pages(root) {
        let name = page.display().to_string();
        let text = reader_text(&std::fs::read_to_string(&page).unwrap());
        for slip in [
            " 1 districts",
            " 1 clubs",
            "Districts in Region unknown",
            "(no division-performance.csv)",
            "the cache has neither",
            "the cache has no TI district summary",
            "rankings are unavailable",
            "of 0 scores",
            " points</td>",
            "Ours",
            "TI's codes",
        ] {
            if let Some(at) = text.find(slip) {
                let from = text[..at]
                    .char_indices()
                    .rev()
                    .nth(60)
                    .map_or(0, |(i, _)| i);
                panic!("{name}: {slip:?} in {:?}", &text[from..at + slip.len()]);
            }
        }
        // TI's own junk club name "-06719640" (DOMAIN.md §2.1) is text, not a number
        if let Some(at) = hyphen_minus(&text.replace("-06719640", "06719640")) {
            panic!("{name}: ASCII hyphen as a minus sign in {at:?}");
        }
    }
}

#[test]
fn issue_14_pages_speak_plainly_on_the_sample() {
    let fx = built(&[]);
    assert_plain(&fx.site().join("current"));
    let page = read(&fx, "districts/02/index.html");
    // file-level notes sit in the collapsed section at the end
    let about = between(&page, r#"<h2 id="h-about">"#, "</section>");
    assert!(about.contains(r#"<details id="h-warnings">"#), "{about}");
    assert!(
        !reader_text(&page).contains(".csv:"),
        "no raw file paths outside it"
    );
}

#[test]
fn issue_14_pages_speak_plainly_on_real_exports() {
    let Some(fx) = built_realdata() else {
        return;
    };
    assert_plain(&fx.site().join("current"));
    // District 21 has only its club report: visits unknown is said once, not per area
    let d21 = read(&fx, "districts/21/index.html");
    let body = between(&d21, "<main", r#"<h2 id="h-about">"#);
    assert_eq!(body.matches("club visits").count(), 1, "said once");
    let units = fragment(
        &read(&fx, "districts/21/divisions/index.html"),
        r#"<table class="data units">"#,
        "table",
    );
    for hidden in [
        ">Club base</th>",
        ">Payments</th>",
        ">TI&#39;s published status</th>",
    ] {
        assert!(!units.contains(hidden), "{hidden} is unknown in every row");
    }
    // before April the level chart counts the levels clubs are on track for, as the cards
    let chart = between(
        &read(&fx, "districts/21/divisions/index.html"),
        r#"<figcaption id="levels-caption">"#,
        "</figure>",
    );
    assert!(chart.contains("on track for (provisional)"), "{chart}");
    assert!(!chart.contains(">0 of 184<"), "not all grey: {chart}");
    // from April thriving is the Distinguished test: equal counts, explained on the card
    // (checked on every real April-June export; DOMAIN.md §5.5 with §5.2)
    for id in ["61", "91"] {
        let page = read(&fx, &format!("districts/{id}/index.html"));
        assert!(
            page.contains("(from April thriving asks what Distinguished asks: "),
            "district {id}"
        );
    }
    // lettered districts are explained where they are listed
    let directory = read(&fx, "districts/index.html");
    assert!(directory.contains(
        "<caption id=\"region-unknown-caption\">The districts of this snapshot</caption>"
    ));
}

/// Issue 14 item 10: the district charts (on its divisions page since issue 22) have
/// labelled axes, direct labels, the level palette's classes in level order, and a table
/// of the same figures each.
#[test]
fn issue_14_charts_have_axes_direct_labels_and_tables() {
    let fx = built(&["--date", "2026-06-30"]);
    let html = read(&fx, "districts/02/divisions/index.html");
    let charts = between(
        &html,
        r#"<section aria-labelledby="h-charts">"#,
        r#"<section aria-labelledby="h-units">"#,
    );
    for caption in ["levels-caption", "members-caption"] {
        assert_eq!(
            charts
                .matches(&format!(r#"aria-labelledby="{caption}""#))
                .count(),
            1,
            "{caption}"
        );
    }
    // the level bars: a 0–100 % axis, and the legend in the bars' order (highest first)
    for tick in [">0%<", ">25%<", ">50%<", ">75%<", ">100%<"] {
        assert!(charts.contains(tick), "{tick}");
    }
    let legend: Vec<usize> = [
        "Smedley",
        "President&#39;s",
        "Select",
        "Distinguished<",
        "Not distinguished",
    ]
    .iter()
    .map(|n| charts.find(n).unwrap_or_else(|| panic!("{n}")))
    .collect();
    assert!(legend.windows(2).all(|w| w[0] < w[1]), "{legend:?}");
    assert!(charts.contains(r#"class="lv1 seg""#) && charts.contains(r#"class="lv0 seg""#));
    assert!(
        charts.contains(r#"<text class="ink-lv0""#),
        "counts inside the bars"
    );
    // membership: a zero line, signed ticks, each bar's change labelled
    assert!(charts.contains(r#"<path class="zero""#));
    assert!(charts.contains(">0</text>") && charts.contains("%</text>"));
    assert!(
        charts.contains(">\u{2212}3 (\u{2212}11.54%)<"),
        "division 0D's change"
    );
    // a table equivalent for each chart
    for table in ["levels-table-caption", "members-table-caption"] {
        assert!(
            charts.contains(&format!(r#"<caption id="{table}">"#)),
            "{table}"
        );
    }
    assert!(charts.contains(
        r#"<tr><th scope="row">New clubs not yet assigned to an area</th><td>26</td><td>23</td><td>−3</td><td>−11.54%</td></tr>"#
    ));
}

/// The regions leaderboard (issue 22): each numbered region's sums of its districts' rows
/// of the newest summary, computed here from the CSV, and its standing by a Borda count
/// over the three categories of those sums, counted here too; district U (DNAR) is left
/// out by name; each region's page states its standing and totals.
#[test]
fn regions_leaderboard_sums_the_summary_and_stands_by_the_borda_count() {
    let fx = built(&[]);
    let page = read(&fx, "rankings/regions/index.html");
    let summary = Path::new(&support::sample_cache()).join("raw-csv/2026-11-08/all-districts.csv");
    let mut reader = csv::Reader::from_path(&summary).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (region, paid, base, pay, pay_base, dist) = (
        col("REGION"),
        col("Paid Clubs"),
        col("Paid Club Base"),
        col("Total YTD Payments"),
        col("Payment Base"),
        col("Total Distinguished Clubs"),
    );
    // region → [paid, base, payments, payment base, distinguished, districts]
    let mut sums: BTreeMap<String, [i64; 6]> = BTreeMap::new();
    // the footer ("Month of Nov, As of 11/08/2026") is a record of its own length
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(&summary)
        .unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        if row.len() != headers.len() {
            continue;
        }
        let r = row[region].trim().to_string();
        if r.is_empty() || !r.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let n = |i: usize| row[i].trim().parse::<i64>().unwrap();
        let s = sums.entry(r).or_default();
        for (k, v) in [n(paid), n(base), n(pay), n(pay_base), n(dist), 1]
            .into_iter()
            .enumerate()
        {
            s[k] += v;
        }
    }
    assert!(sums.len() >= 2);
    let growth = |now: i64, b: i64| (now - b) as f64 / b as f64 * 100.0;
    let metrics: Vec<(String, [f64; 3])> = sums
        .iter()
        .map(|(r, s)| {
            (
                r.clone(),
                [
                    growth(s[0], s[1]),
                    growth(s[2], s[3]),
                    s[4] as f64 / s[1] as f64 * 100.0,
                ],
            )
        })
        .collect();
    let n = metrics.len() as u32;
    let points = |r: &str| -> u32 {
        (0..3)
            .map(|k| {
                let all: Vec<f64> = metrics.iter().map(|(_, m)| m[k]).collect();
                if all.iter().all(|v| *v == all[0]) {
                    return 0;
                }
                let mine = metrics.iter().find(|(x, _)| x == r).unwrap().1[k];
                let rank = 1 + all.iter().filter(|v| **v > mine).count() as u32;
                n - rank + 1
            })
            .sum()
    };
    // the sample's few regions: first to third, then "th" (no 21st to spell)
    let ordinal = |n: usize| match n {
        1 => "1st".to_string(),
        2 => "2nd".to_string(),
        3 => "3rd".to_string(),
        n => format!("{n}th"),
    };
    for (r, s) in &sums {
        let p = points(r);
        let standing = 1 + sums.keys().filter(|o| points(o) > p).count();
        let line = page
            .lines()
            .find(|l| l.contains(&format!(">Region&nbsp;{r}</a>")))
            .unwrap_or_else(|| panic!("region {r} has a row"));
        let cells = format!(
            "<td class=\"n\">{}</td><td class=\"n\">{p}</td><td class=\"n\">{} of {}</td>",
            s[5], s[0], s[1]
        );
        assert!(line.contains(&cells), "{r}: {cells} in {line}");
        assert!(
            line.starts_with(&format!("<tr><td class=\"n\">{standing}</td>"))
                || line.starts_with(&format!("<tr><td class=\"n\">={standing}</td>")),
            "{r} stands {standing}: {line}"
        );
        let own = read(&fx, &format!("rankings/regions/{r}/index.html"));
        assert!(
            own.contains(&format!(
                "Region {r} stands {} of {} regions with {p} Borda points.",
                ordinal(standing),
                sums.len()
            )),
            "{r}'s page states its standing"
        );
    }
    assert!(page.contains("district U (DNAR)</a>"), "U is named apart");
    let home = read(&fx, "index.html");
    assert!(home.contains(r#"<a href="rankings/regions/index.html">Regions leaderboard</a>"#));
}

/// The clubs page (issue 22): every club of the district once, grouped by area, the
/// areas in order, and "Club Success Plan not submitted" exactly where the club file's CSP
/// column says N (read here from the CSV); the filter form is hidden until clubs.js shows
/// it, and the district page links the page.
#[test]
fn clubs_page_lists_every_club_by_area_with_its_needs() {
    let fx = built(&[]);
    let page = read(&fx, "districts/02/clubs/index.html");
    let file = Path::new(&support::sample_cache())
        .join("raw-csv/2026-11-08/district-02/club-performance.csv");
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(&file)
        .unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (number, csp, division, area) =
        (col("Club Number"), col("CSP"), col("Division"), col("Area"));
    let mut clubs = Vec::new();
    for row in reader.records() {
        let row = row.unwrap();
        if row.len() == headers.len() {
            clubs.push((
                row[number].to_string(),
                row[csp].trim() == "N",
                format!("{} {}", &row[division], &row[area]),
            ));
        }
    }
    assert!(clubs.len() > 5);
    let rows: Vec<&str> = page
        .lines()
        .filter(|l| l.starts_with("<tr data-need="))
        .collect();
    assert_eq!(rows.len(), clubs.len(), "one row per club");
    for (n, csp_missing, unit) in &clubs {
        let row = rows
            .iter()
            .find(|r| r.contains(&format!("<small>{n}")))
            .unwrap_or_else(|| panic!("club {n} listed"));
        assert_eq!(
            row.contains("Club Success Plan not submitted"),
            *csp_missing,
            "{n}: {row}"
        );
        assert!(
            row.contains(&format!(" {unit}\">")),
            "{n} searchable by area {unit}"
        );
    }
    // areas in order, each a group with its heading
    let groups: Vec<&str> = page
        .lines()
        .filter_map(|l| l.strip_prefix("<tbody data-division=\""))
        .collect();
    let mut sorted = groups.clone();
    sorted.sort();
    assert_eq!(groups, sorted);
    assert!(page.contains("New clubs not yet assigned to an area: 1 club"));
    assert!(!page.contains("Division 0D"));
    assert!(page.contains(r#"id="club-filters" role="search" aria-label="Filter the clubs" data-table="club-list" hidden>"#));
    assert!(page.contains("assets/clubs.js"));
    assert!(
        read(&fx, "districts/02/index.html")
            .contains(r#"<a href="clubs/index.html">All 15 clubs</a>"#)
    );
}
