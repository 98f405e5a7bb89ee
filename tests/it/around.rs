//! Around the pages (issue 14 items 13 and 14): the 404 page's links at any depth, the
//! frame of every page (data month in the title, the "updated" line from the data's
//! dates, the source link, the favicon, Open Graph tags), the rankings' region pages and
//! the district pages' club filter. The 404 page is also opened in Chromium by
//! scripts/check-pages.sh (tools/pagecheck/notfound.mjs).

use crate::support::{self, Fixture};
use std::path::{Path, PathBuf};

fn built(extra: &[&str]) -> Fixture {
    Fixture::sample_site(extra)
}

fn read(fx: &Fixture, rel: &str) -> String {
    fx.read_text(rel)
}

fn html_pages(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            html_pages(&p, out);
        } else if p.extension().is_some_and(|x| x == "html") {
            out.push(p);
        }
    }
}

#[test]
fn every_page_names_the_month_the_update_the_source_and_its_icon() {
    let fx = built(&[]);
    let root = std::fs::canonicalize(fx.site().join("current")).unwrap();
    let mut pages = Vec::new();
    html_pages(&root, &mut pages);
    assert!(pages.len() > 100);
    for p in &pages {
        let html = std::fs::read_to_string(p).unwrap();
        let rel = p.strip_prefix(&root).unwrap().display().to_string();
        if rel.starts_with("archive/") && rel != "archive/index.html" {
            // an archived month names its own month (tests/it/archive.rs)
            continue;
        }
        let title = html
            .split("<title>")
            .nth(1)
            .unwrap()
            .split("</title>")
            .next()
            .unwrap();
        assert!(
            title.contains(" · November 2026 · toaststats"),
            "{rel}: {title}"
        );
        assert!(
            html.contains(r#"<p class="updated">Updated 8 November 2026"#),
            "{rel}"
        );
        assert!(
            html.contains(r#"<a href="https://dashboards.toastmasters.org/">"#),
            "{rel}"
        );
        assert!(html.contains(r#"<link rel="icon""#), "{rel}: a favicon");
        assert!(
            html.contains(r#"<meta property="og:title" content=""#),
            "{rel}"
        );
        assert!(html.contains(r#"<meta property="og:description""#), "{rel}");
        assert!(
            html.contains(r#"<meta property="og:type" content="website">"#),
            "{rel}"
        );
        // no site_url configured: no og:url, and never the build time in a page
        assert!(!html.contains("og:url"), "{rel}");
        assert!(
            !html.contains("2026-11-09T06"),
            "{rel}: the build time is in a page"
        );
    }
    let district = read(&fx, "districts/02/index.html");
    assert!(district.contains(r#"<link rel="icon" href="../../favicon.ico" sizes="32x32">"#));
    assert!(district.contains(r#"href="../../assets/favicon.svg" type="image/svg+xml">"#));
    // the icons are files of the snapshot, listed in the manifest
    let manifest = read(&fx, "manifest.json");
    for f in [
        "\"favicon.ico\"",
        "\"assets/favicon.svg\"",
        "\"assets/clubs.js\"",
    ] {
        assert!(manifest.contains(f), "{f} in the manifest");
    }
    let ico = std::fs::read(root.join("favicon.ico")).unwrap();
    assert_eq!(&ico[..4], &[0, 0, 1, 0], "an ICO file");
}

#[test]
fn site_url_gives_og_url_and_an_absolute_404_page_without_script() {
    let fx = built(&["--site-url", "https://example.github.io/d61"]);
    assert!(
        read(&fx, "index.html")
            .contains(r#"<meta property="og:url" content="https://example.github.io/d61/">"#)
    );
    assert!(read(&fx, "districts/02/index.html").contains(
        r#"<meta property="og:url" content="https://example.github.io/d61/districts/02/">"#
    ));
    let nf = read(&fx, "404.html");
    assert!(
        !nf.contains("og:url"),
        "a missing page has no address of its own"
    );
    assert!(
        !nf.contains("<script"),
        "links are absolute: no script needed"
    );
    for link in [
        r#"href="/d61/index.html""#,
        r#"href="/d61/districts/index.html""#,
        r#"href="/d61/methodology/index.html""#,
        r#"href="/d61/snapshot.json""#,
    ] {
        assert!(nf.contains(link), "{link}");
    }
    // every link of the 404 page is absolute, the source link or the inlined icon
    for (i, _) in nf.match_indices("href=\"") {
        let v = &nf[i + 6..];
        assert!(
            v.starts_with("/d61/")
                || v.starts_with('#')
                || v.starts_with("https://")
                || v.starts_with("data:"),
            "{}",
            &v[..v.find('"').unwrap()]
        );
    }
    // a bad address is a usage error before anything is built
    let out = support::run(&[
        "build",
        "--site-url",
        "d61.example.org",
        "--site",
        &fx.site().display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", support::stderr(&out));
}

#[test]
fn without_a_base_path_the_404_page_finds_the_root_with_a_script() {
    let fx = built(&[]);
    let nf = read(&fx, "404.html");
    assert!(nf.contains(r#"<li><a href="index.html">World district rankings</a></li>"#));
    assert!(nf.contains("<script>"));
    // the script knows the snapshot's top folders, so /repo/districts/99/ gives /repo/
    assert!(
        nf.contains(
            r#"var top = ["api","archive","assets","districts","downloads","methodology","rankings"];"#
        ),
        "{nf}"
    );
    // the stylesheet and icon are inlined: nothing relative to load before the script
    assert!(nf.contains("<style>"));
    assert!(nf.contains(r#"<link rel="icon" href="data:image/svg+xml,"#));
}

#[test]
fn rankings_have_a_page_per_region_that_works_without_javascript() {
    let fx = built(&[]);
    let home = read(&fx, "index.html");
    assert!(home.contains(r#"<nav class="region-filter" aria-label="Rankings by region">"#));
    assert!(home.contains(r#"<a href="index.html" aria-current="page">All regions</a>"#));
    assert!(home.contains(r#"<a href="rankings/regions/02/index.html">Region 02</a>"#));
    let page = read(&fx, "rankings/regions/02/index.html");
    assert!(page.contains(
        r#"<a href="../../../rankings/regions/02/index.html" aria-current="page">Region 02</a>"#
    ));
    let rows = page.matches(r#"<tr id="rank-"#).count();
    assert!(rows > 0 && rows < home.matches(r#"<tr id="rank-"#).count());
    // each row is a district of the region, linked from the region page's depth
    for row in page.split(r#"<tr id="rank-"#).skip(1) {
        assert!(row.contains(r#"<td class="secondary">02</td>"#), "{row}");
        assert!(row.contains(r#"href="../../../districts/"#), "{row}");
    }
    assert!(page.contains("<caption id=\"rankings-caption\">Region 02: "));
}
