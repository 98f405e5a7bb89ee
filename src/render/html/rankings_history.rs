//! Rank history in pages: the rankings-history page (`rankings/history/index.html`, each
//! district's overall rank at every month's last ranked date and the presented date) and
//! the movement column of the home page. No chart: with a hundred districts crossing each
//! other, lines read worse than the table.

use super::common::{Link, Page, Status};
use super::format::long_date;
use super::templates::Templates;
use crate::history::rankings::{Movement, RankingsHistory};
use crate::render::BuildModel;
use crate::render::json::API;
use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeMap;

/// Where the page sits, from the snapshot root.
pub const PATH: &str = "rankings/history/index.html";

/// A rank movement as the home page shows it.
#[derive(Debug, Default, Serialize)]
pub struct MovementCell {
    /// `▲ 2`, `▼ 1`, `=`; empty when there is nothing to compare.
    pub mark: String,
    /// The same in words for screen readers.
    pub words: String,
    /// `up`, `down` or empty (for the colour).
    pub class: &'static str,
    /// Places gained (negative: lost), the cell's `data-sort` key; `None` when there is
    /// nothing to compare, so it sorts last.
    pub sort: Option<i64>,
}

pub fn movement_cell(m: Option<&Movement>) -> MovementCell {
    match m {
        None => MovementCell::default(),
        Some(m) if m.places > 0 => MovementCell {
            mark: format!("▲ {}", m.places),
            words: format!("up {} from {}", m.places, m.previous_rank),
            class: "up",
            sort: Some(m.places),
        },
        Some(m) if m.places < 0 => MovementCell {
            mark: format!("▼ {}", -m.places),
            words: format!("down {} from {}", -m.places, m.previous_rank),
            class: "down",
            sort: Some(m.places),
        },
        Some(_) => MovementCell {
            mark: "=".into(),
            words: "unchanged".into(),
            class: "",
            sort: Some(0),
        },
    }
}

/// The date movement is measured from (the same for every district).
pub fn movement_since(movement: &BTreeMap<String, Movement>) -> Option<String> {
    movement.values().next().map(|m| long_date(m.previous_date))
}

#[derive(Debug, Serialize)]
struct DateHead {
    date: String,
    note: &'static str,
}

#[derive(Debug, Serialize)]
struct Row {
    id: String,
    href: String,
    ranks: Vec<String>,
}

#[derive(Serialize)]
struct View<'a> {
    page: Page,
    status: &'a Status,
    dates: Vec<DateHead>,
    rows: Vec<Row>,
}

pub fn page(model: &BuildModel, status: &Status, t: &Templates) -> Result<String> {
    let h: &RankingsHistory = &model.history.rankings;
    let root = "../../";
    // rows in the newest ranking's order; districts no longer ranked follow, by TI order
    let mut ids: Vec<String> = Vec::new();
    for d in h.dates.iter().rev() {
        let mut ranked: Vec<_> = d.rankings.iter().collect();
        ranked.sort_by_key(|r| r.overall_rank);
        for r in ranked {
            if !ids
                .iter()
                .any(|i| crate::model::same_district(i, &r.district_id))
            {
                ids.push(r.district_id.clone());
            }
        }
    }
    let rows = ids
        .into_iter()
        .map(|id| Row {
            // newest first: a phone shows the current rank without scrolling sideways
            ranks: h
                .dates
                .iter()
                .rev()
                .map(|d| {
                    d.rankings
                        .iter()
                        .find(|r| crate::model::same_district(&r.district_id, &id))
                        .map_or(String::new(), |r| r.overall_rank.to_string())
                })
                .collect(),
            href: format!("{root}districts/{id}/index.html"),
            id,
        })
        .collect();
    let view = View {
        page: Page {
            title: "Rankings history".into(),
            root: root.into(),
            path: PATH.into(),
            nav: "rankings",
            data: vec![Link {
                href: status
                    .placement
                    .href(root, &format!("{API}/rankings-history.json")),
                text: "rankings-history.json".into(),
            }],
            sortable: true,
            description: "Every district's overall rank at each month end".into(),
        },
        status,
        dates: h
            .dates
            .iter()
            .rev()
            .enumerate()
            .map(|(i, d)| DateHead {
                date: d.data_date.to_string(),
                // an earlier month end is final once the cache holds a later month's
                // data (BuildModel::month_closed): only the newest date can be closing
                note: if d.closing && i == 0 && !model.month_closed {
                    "closing"
                } else if d.month_end {
                    ""
                } else {
                    "to date"
                },
            })
            .collect(),
        rows,
    };
    t.render("rankings_history.html", &view)
}
