//! A district's clubs page (`districts/<id>/clubs/index.html`, issue 22): every club,
//! grouped by division and area so an area director finds their own, in one table that is
//! a table on a wide screen and a card per club below 30rem (CSS only, `site.css`).
//! Without JavaScript it is the whole list, area by area; with it (`assets/clubs.js`) a
//! form filters by division, area and need (at risk, close to the next level, Club Success
//! Plan missing) and searches name, number and area. The needs come from the rules in
//! `crate::recognition` (health, close to Distinguished) and the club's CSP column.

use super::club_cards::{self, Cards, CardsTable, NEEDS};
use super::common::{Link, Page, Status};
use super::district::page_status;
use super::templates::Templates;
use crate::render::{BuildModel, BuiltDistrict};
use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeSet;

/// The page's path from the snapshot root.
pub fn path(id: &str) -> String {
    format!("districts/{id}/clubs/index.html")
}

#[derive(Serialize)]
struct View<'a> {
    page: Page,
    status: &'a Status,
    id: &'a str,
    count: usize,
    /// The table (`_club_cards.html`).
    cards: CardsTable,
    divisions: Vec<String>,
    /// The area filter's options: (value `A 01`, label), in order.
    areas: Vec<(String, String)>,
    needs: Vec<NeedOption>,
    /// The need counts in a sentence, for readers without the filter.
    need_counts: Vec<String>,
    /// The district page, its clubs CSV (relative to this page).
    district_href: String,
    csv_href: String,
}

#[derive(Serialize)]
struct NeedOption {
    key: &'static str,
    words: &'static str,
}

pub fn page(
    model: &BuildModel,
    b: &BuiltDistrict,
    status: &Status,
    t: &Templates,
) -> Result<String> {
    let id = b.district.id.as_str();
    let status = page_status(b, status);
    let Cards {
        groups,
        need_counts: counts,
    } = club_cards::cards(b, &|_| true, "", status.club_pages);
    let divisions: Vec<String> = groups
        .iter()
        .map(|g| g.division.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let areas = groups
        .iter()
        .map(|g| (format!("{} {}", g.division, g.area), g.short.clone()))
        .collect();
    let need_counts = NEEDS
        .iter()
        .zip(counts)
        .map(|((_, words), n)| format!("{n} {words}"))
        .collect();
    let downloads = crate::render::downloads::district_files(
        id,
        crate::render::downloads::district_date(model, b),
    );
    let csv_href = format!("../../../{}", downloads.csv);
    let view = View {
        page: Page {
            title: format!("Clubs of District {id}"),
            root: "../../../".into(),
            path: path(id),
            nav: "districts",
            data: vec![Link {
                href: format!("../../../{}", crate::render::json::district_path(id)),
                text: format!("{id}.json"),
            }],
            sortable: false,
            description: format!(
                "Every club of Toastmasters District {id} by division and area: members, goals, level, health, {}",
                status.data_month
            ),
        },
        status: &status,
        id,
        count: b.district.clubs.len(),
        cards: CardsTable {
            id: "club-list",
            caption: format!(
                "Clubs of District {id} by division and area, {}",
                status.data_month
            ),
            groups,
        },
        divisions,
        areas,
        needs: NEEDS
            .iter()
            .map(|&(key, words)| NeedOption { key, words })
            .collect(),
        need_counts,
        district_href: "../index.html".into(),
        csv_href,
    };
    t.render("clubs.html", &view)
}
