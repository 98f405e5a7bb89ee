//! A district's clubs page (`districts/<id>/clubs/index.html`, issue 22): every club,
//! grouped by division and area so an area director finds their own, in one table that is
//! a table on a wide screen and a card per club below 30rem (CSS only, `site.css`).
//! Without JavaScript it is the whole list, area by area; with it (`assets/clubs.js`) a
//! form filters by division, area and need (at risk, close to the next level, Club Success
//! Plan missing) and searches name, number and area. The needs come from the rules in
//! `crate::recognition` (health, close to Distinguished) and the club's CSP column.

use super::common::{Link, Page, Status};
use super::district::{ClubRow, club_row, has_dates, page_status};
use super::templates::Templates;
use crate::model::Club;
use crate::recognition::health::HealthStatus;
use crate::render::{BuildModel, BuiltDistrict};
use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeSet;

/// The page's path from the snapshot root.
pub fn path(id: &str) -> String {
    format!("districts/{id}/clubs/index.html")
}

/// A club's need, as the filter and the card name it: (key, words).
const AT_RISK: (&str, &str) = ("at-risk", "at risk: intervention required");
const CLOSE: (&str, &str) = ("close", "close to Distinguished");
const CSP_MISSING: (&str, &str) = ("csp", "Club Success Plan not submitted");
const NEEDS: [(&str, &str); 3] = [AT_RISK, CLOSE, CSP_MISSING];

#[derive(Serialize)]
struct View<'a> {
    page: Page,
    status: &'a Status,
    id: &'a str,
    count: usize,
    groups: Vec<AreaGroup>,
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

#[derive(Serialize)]
struct AreaGroup {
    /// `a-A-01`: the group's anchor.
    anchor: String,
    /// `Division A, area 01`, or `New clubs not yet assigned to an area` for TI's `0D`.
    label: String,
    /// `A 01`, or `not yet assigned`: the jump links and the area filter.
    short: String,
    division: String,
    area: String,
    clubs: Vec<Card>,
}

#[derive(Serialize)]
struct Card {
    row: ClubRow,
    /// The club's page from this one; `None` when the render has no club pages.
    href: Option<String>,
    /// Need keys, space-separated (the filter's `data-need`).
    need_keys: String,
    need_words: Vec<&'static str>,
}

fn needs_of(c: &Club, close: &BTreeSet<&str>) -> Vec<(&'static str, &'static str)> {
    let at_risk = c
        .health
        .as_ref()
        .is_some_and(|h| h.status == HealthStatus::InterventionRequired);
    let mut out = Vec::new();
    if at_risk {
        out.push(AT_RISK);
    }
    if close.contains(c.club_number.as_str()) {
        out.push(CLOSE);
    }
    // unknown (an export without the column) is no need: never said without the data
    if c.csp == Some(false) {
        out.push(CSP_MISSING);
    }
    out
}

pub fn page(
    model: &BuildModel,
    b: &BuiltDistrict,
    status: &Status,
    t: &Templates,
) -> Result<String> {
    let id = b.district.id.as_str();
    let status = page_status(b, status);
    let dated = has_dates(b);
    let close: BTreeSet<&str> = b
        .recognition
        .close_to_distinguished
        .iter()
        .map(|c| c.club_number.as_str())
        .collect();
    let mut clubs: Vec<&Club> = b.district.clubs.iter().collect();
    // grouped by division and area; TI's order within an area
    clubs.sort_by(|a, c| (&a.division_id, &a.area_id).cmp(&(&c.division_id, &c.area_id)));
    let mut groups: Vec<AreaGroup> = Vec::new();
    let mut counts = [0usize; 3];
    for c in clubs {
        let needs = needs_of(c, &close);
        for (i, n) in NEEDS.iter().enumerate() {
            counts[i] += usize::from(needs.contains(n));
        }
        let card = Card {
            href: status
                .club_pages
                .then(|| format!("{}/index.html", c.club_number.trim())),
            need_keys: needs.iter().map(|n| n.0).collect::<Vec<_>>().join(" "),
            need_words: needs.iter().map(|n| n.1).collect(),
            row: club_row(c, dated),
        };
        match groups.last_mut() {
            Some(g) if g.division == c.division_id && g.area == c.area_id => g.clubs.push(card),
            _ => groups.push(AreaGroup {
                anchor: format!(
                    "a-{}-{}",
                    super::format::id_part(&c.division_id),
                    super::format::id_part(&c.area_id)
                ),
                label: super::words::unit_label(&c.division_id, &c.area_id),
                short: super::words::unit_short(&c.division_id, &c.area_id),
                division: c.division_id.clone(),
                area: c.area_id.clone(),
                clubs: vec![card],
            }),
        }
    }
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
        groups,
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
