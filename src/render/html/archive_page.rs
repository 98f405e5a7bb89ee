//! The archive's index page, `archive/index.html`: every closed month of the snapshot,
//! newest first, with links to its pages as they were (the months' own pages are the
//! ordinary pages rendered with the archive placement, see `render::archive`).

use super::common::{Page, Status};
use super::format::{long_date, month};
use super::templates::Templates;
use crate::render::archive;
use anyhow::Result;
use chrono::Datelike;
use serde::Serialize;

pub const PATH: &str = "archive/index.html";

#[derive(Serialize)]
struct MonthLine {
    month: String,
    data_date: String,
    /// The month's folder from this page, ending in `/`.
    href: String,
}

#[derive(Serialize)]
struct View<'a> {
    page: Page,
    status: &'a Status,
    months: Vec<MonthLine>,
    clubs: bool,
}

pub fn page(status: &Status, t: &Templates) -> Result<String> {
    let p = &status.placement;
    let view = View {
        page: Page {
            title: "Archive of closed months".into(),
            root: "../".into(),
            path: PATH.into(),
            nav: "",
            data: Vec::new(),
            sortable: false,
            description:
                "Every closed month of this site, as it was with that month's final figures".into(),
        },
        status,
        months: p
            .archived
            .iter()
            .rev()
            .map(|d| MonthLine {
                month: month(d.year(), d.month()),
                data_date: long_date(*d),
                href: format!("{}/", archive::month_name(*d)),
            })
            .collect(),
        clubs: p.archive_clubs,
    };
    t.render("archive.html", &view)
}
