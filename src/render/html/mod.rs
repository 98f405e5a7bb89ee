//! The static website of a snapshot, rendered with tera from the same [`BuildModel`] as
//! the JSON API (never by re-reading the JSON). Pages link to each other and to their JSON
//! with relative links only, so a snapshot works from a sub-path and from `file://`; they
//! need no JavaScript (`assets/sort.js` only adds table sorting, `assets/tables.js` only
//! keeps table wrappers that do not scroll out of the tab order) and make no requests
//! outside the snapshot.
//!
//! Layout: `index.html` (world rankings), `districts/index.html` (by region),
//! `districts/<id>/index.html`, `districts/<id>/clubs/<number>/index.html`
//! (a page per club), `districts/<id>/divisions/<d>/index.html` and
//! `districts/<id>/areas/<a>/index.html` (a page per division and area), `rankings/history/index.html`, `methodology/index.html`, `404.html`,
//! `assets/`.

mod actions;
mod api_page;
mod archive_page;
mod changed;
mod charts;
mod club_cards;
pub(crate) mod club_cells;
mod club_list;
mod club_page;
mod common;
mod deadlines;
mod directory;
pub mod district;
mod district_about;
mod district_charts;
mod district_detail;
mod district_units;
pub mod format;
mod history;
mod home;
mod pages;
mod rankings_history;
mod recognition;
mod regions;
mod revisions;
mod rules;
mod templates;
mod unit_figures;
mod unit_history;
mod unit_page;
mod unit_visits;
pub mod words;
mod year_chart;

pub use common::SiteAddress;
pub use district_units::{area_anchor, division_anchor};
pub use templates::Templates;

use super::BuildModel;
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Renders every page and asset into `files` (path → bytes).
pub fn render(
    model: &BuildModel,
    provenance: crate::render::json::Provenance,
    site: Option<&SiteAddress>,
    placement: &crate::render::archive::Placement,
    templates: &Templates,
    files: &mut BTreeMap<String, Vec<u8>>,
) -> Result<()> {
    let status = common::Status::of(model, provenance, site, placement);
    let css = templates
        .assets
        .iter()
        .find(|(n, _)| *n == "site.css")
        .map_or("", |(_, s)| s.as_str());
    files.insert(
        "index.html".into(),
        pages::home(model, &status, templates, None)?.into_bytes(),
    );
    for region in pages::ranked_regions(model) {
        files.insert(
            pages::region_path(&region),
            pages::home(model, &status, templates, Some(&region))?.into_bytes(),
        );
    }
    if regions::has_leaderboard(model) {
        files.insert(
            regions::PATH.into(),
            regions::page(model, &status, templates)?.into_bytes(),
        );
    }
    files.insert(
        "districts/index.html".into(),
        directory::directory(model, &status, templates)?.into_bytes(),
    );
    if placement.archive_of.is_none() {
        files.insert(
            archive_page::PATH.into(),
            archive_page::page(&status, templates)?.into_bytes(),
        );
    }
    files.insert(
        rankings_history::PATH.into(),
        rankings_history::page(model, &status, templates)?.into_bytes(),
    );
    files.insert(
        "methodology/index.html".into(),
        pages::methodology(model, &status, templates)?.into_bytes(),
    );
    let api_page = api_page::page(
        &status,
        templates,
        files,
        model.districts.first().map(|b| b.district.id.as_str()),
    )?;
    files.insert(api_page::PATH.into(), api_page.into_bytes());
    for (name, content) in &templates.assets {
        files.insert(format!("assets/{name}"), content.clone().into_bytes());
    }
    files.insert(FAVICON_ICO.into(), templates.favicon_ico.to_vec());

    let ranks = model
        .rankings
        .as_ref()
        .map(|r| common::region_ranks(r))
        .unwrap_or_default();
    let ids = model.district_ids();
    // Districts render in parallel; collecting keeps their order, so output never
    // depends on thread timing.
    type Rendered = (String, Vec<u8>, Vec<(String, Vec<u8>)>);
    let rendered: Vec<Rendered> = ids
        .par_iter()
        .map(|id| -> Result<_> {
            let pages = district::page(model, id, &status, &ranks, templates)
                .with_context(|| format!("district {id}"))?;
            let html = pages.summary;
            let built = model.districts.iter().find(|b| b.district.id == *id);
            let mut clubs = match built {
                // an archived month without its club pages does not render them
                Some(b) if status.club_pages => club_pages(model, b, &status, templates)
                    .with_context(|| format!("district {id}"))?,
                _ => Vec::new(),
            };
            for (href, page) in pages.details {
                clubs.push((href, page.into_bytes()));
            }
            if let Some(b) = built {
                let list = club_list::page(model, b, &status, templates)
                    .with_context(|| format!("district {id}: clubs page"))?;
                clubs.push(("clubs/index.html".into(), list.into_bytes()));
                clubs.extend(
                    unit_page::pages(model, b, &status, templates)
                        .with_context(|| format!("district {id}: division and area pages"))?,
                );
                let actions = actions::page(model, b, &status, templates)
                    .with_context(|| format!("district {id}: actions page"))?;
                clubs.push(("actions/index.html".into(), actions.into_bytes()));
            }
            Ok((id.to_string(), html.into_bytes(), clubs))
        })
        .collect::<Result<_>>()?;
    for (id, p) in &model.history.districts {
        let own = model.districts.iter().find(|b| &b.district.id == id);
        let status = own.map_or_else(|| status.clone(), |b| district::page_status(b, &status));
        files.insert(
            revisions::page_path(id),
            revisions::page(id, &p.revisions, &status, templates)?.into_bytes(),
        );
    }
    for (id, html, clubs) in rendered {
        files.insert(format!("districts/{id}/index.html"), html);
        for (href, page) in clubs {
            files.insert(format!("districts/{id}/{href}"), page);
        }
    }
    // last: the 404 page names every top folder of the snapshot
    let top_folders = top_folders(files);
    let icon = templates
        .assets
        .iter()
        .find(|(n, _)| *n == FAVICON_SVG)
        .map_or(String::new(), |(_, s)| svg_data_uri(s));
    files.insert(
        "404.html".into(),
        pages::not_found(&status, templates, css, &icon, &top_folders)?.into_bytes(),
    );
    Ok(())
}

/// The site icon at the root, where browsers look when a page names none (a JSON or CSV
/// file opened in the browser).
const FAVICON_ICO: &str = "favicon.ico";
/// The icon pages link (under `assets/`).
const FAVICON_SVG: &str = "favicon.svg";

/// The folders at the top of the snapshot (`api`, `districts`, ...), sorted.
fn top_folders(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut out: Vec<String> = files
        .keys()
        .filter_map(|p| p.split_once('/').map(|(top, _)| top.to_string()))
        .collect();
    out.dedup();
    out
}

/// An SVG as a `data:` URI for an attribute (the 404 page cannot rely on relative links).
fn svg_data_uri(svg: &str) -> String {
    let mut out = String::from("data:image/svg+xml,");
    for c in svg.trim().chars() {
        match c {
            '"' => out.push('\''),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '#' => out.push_str("%23"),
            '%' => out.push_str("%25"),
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The page of every club of a built district: (path from the district folder, bytes).
fn club_pages(
    model: &BuildModel,
    b: &super::BuiltDistrict,
    status: &common::Status,
    templates: &Templates,
) -> Result<Vec<(String, Vec<u8>)>> {
    let id = b.district.id.as_str();
    let status = district::page_status(b, status);
    let empty = crate::history::clubs::ClubsHistory {
        district_id: id.to_string(),
        program_years: Vec::new(),
    };
    let history = model.history.districts.get(id).map_or(&empty, |p| &p.clubs);
    let timelines = club_page::timeline_index(history);
    let dated = district::has_dates(b);
    b.district
        .clubs
        .iter()
        .map(|c| {
            let html = club_page::page(id, c, dated, &timelines, &status, templates)
                .with_context(|| format!("club {}", c.club_number))?;
            Ok((club_page::club_page_href(&c.club_number), html.into_bytes()))
        })
        .collect()
}
