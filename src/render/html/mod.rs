//! The static website of a snapshot, rendered with tera from the same [`BuildModel`] as
//! the JSON API (never by re-reading the JSON). Pages link to each other and to their JSON
//! with relative links only, so a snapshot works from a sub-path and from `file://`; they
//! need no JavaScript (`assets/sort.js` only adds table sorting) and make no requests
//! outside the snapshot.
//!
//! Layout: `index.html` (world rankings), `districts/index.html` (by region),
//! `districts/<id>/index.html` and `clubs.csv`, `methodology/index.html`, `404.html`,
//! `assets/`.

mod charts;
mod club_cells;
mod common;
pub mod district;
pub mod format;
mod pages;
mod recognition;
mod rules;
mod templates;

pub use templates::Templates;

use super::BuildModel;
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Renders every page and asset into `files` (path → bytes).
pub fn render(
    model: &BuildModel,
    provenance: crate::render::json::Provenance,
    templates: &Templates,
    files: &mut BTreeMap<String, Vec<u8>>,
) -> Result<()> {
    let status = common::Status::of(model, provenance);
    let css = templates
        .assets
        .iter()
        .find(|(n, _)| *n == "site.css")
        .map_or("", |(_, s)| s.as_str());
    files.insert(
        "index.html".into(),
        pages::home(model, &status, templates)?.into_bytes(),
    );
    files.insert(
        "districts/index.html".into(),
        pages::directory(model, &status, templates)?.into_bytes(),
    );
    files.insert(
        "methodology/index.html".into(),
        pages::methodology(model, &status, templates)?.into_bytes(),
    );
    files.insert(
        "404.html".into(),
        pages::not_found(&status, templates, css)?.into_bytes(),
    );
    for (name, content) in &templates.assets {
        files.insert(format!("assets/{name}"), content.clone().into_bytes());
    }

    let ranks = model
        .rankings
        .as_ref()
        .map(|r| common::region_ranks(r))
        .unwrap_or_default();
    let ids = model.district_ids();
    // Districts render in parallel; collecting keeps their order, so output never
    // depends on thread timing.
    let rendered: Vec<(String, Vec<u8>, Option<Vec<u8>>)> = ids
        .par_iter()
        .map(|id| -> Result<_> {
            let html = district::page(model, id, &status, &ranks, templates)
                .with_context(|| format!("district {id}"))?;
            let csv = match model.districts.iter().find(|b| b.district.id == *id) {
                Some(b) => Some(district::clubs_csv(b)?),
                None => None,
            };
            Ok((id.to_string(), html.into_bytes(), csv))
        })
        .collect::<Result<_>>()?;
    for (id, html, csv) in rendered {
        files.insert(format!("districts/{id}/index.html"), html);
        if let Some(csv) = csv {
            files.insert(format!("districts/{id}/clubs.csv"), csv);
        }
    }
    Ok(())
}
