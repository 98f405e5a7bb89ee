//! Month-end revisions in pages (issue 24): the "Month-end revisions" section of the
//! district page (when its newest month end is still closing or was revised) and the
//! page of every month's revisions, `districts/<id>/revisions/index.html`, both from
//! the district's reconciliations (`history::revisions`).

use super::common::{Link, Page, Status};
use super::format::{int, long_date, month, signed};
use super::templates::Templates;
use crate::history::revisions::{
    ClubRevision, FigureRevision, MonthRevision, MonthState, UnitFigures,
};
use anyhow::Result;
use chrono::Datelike;
use serde::Serialize;

/// Where a district's revisions page sits, from the snapshot root.
pub fn page_path(id: &str) -> String {
    format!("districts/{id}/revisions/index.html")
}

/// One month end's revisions as a page shows them.
#[derive(Debug, Serialize)]
pub struct MonthView {
    pub title: String,
    pub anchor: String,
    /// Still closing: the figures are provisional.
    pub closing: bool,
    pub revised: bool,
    /// "Final since 4 November 2026", or why the figures are still provisional.
    pub state: String,
    /// Every collection in words.
    pub collections: String,
    /// First seen, final and difference of the district's figures.
    pub rows: Vec<FigureRow>,
    /// Revised divisions and areas, one line each.
    pub units: Vec<String>,
    pub clubs: Vec<ClubLine>,
}

#[derive(Debug, Serialize)]
pub struct FigureRow {
    pub label: &'static str,
    pub first: String,
    pub last: String,
    pub difference: String,
    pub revised: bool,
}

#[derive(Debug, Serialize)]
pub struct ClubLine {
    pub name: String,
    /// The club's page, relative to the page showing the line.
    pub href: String,
    pub unit: String,
    pub text: String,
}

const FIGURES: [&str; 5] = [
    "Payments",
    "Members",
    "Paid clubs",
    "DCP goals met",
    super::common::DISTINGUISHED_ON_TRACK,
];

fn figures(f: &UnitFigures) -> [&FigureRevision; 5] {
    [
        &f.payments,
        &f.active_members,
        &f.paid_clubs,
        &f.goals_met,
        &f.distinguished_on_track,
    ]
}

fn known(v: Option<i64>) -> String {
    v.map_or_else(|| "unknown".to_string(), int)
}

/// "members 120 → 124 (+4)" for every revised figure.
fn revised_words(f: &UnitFigures) -> Vec<String> {
    FIGURES
        .iter()
        .zip(figures(f))
        .filter(|(_, r)| r.revised())
        .map(|(label, r)| {
            let diff = r
                .difference
                .map_or(String::new(), |d| format!(" ({})", signed(d)));
            format!(
                "{} {} → {}{diff}",
                label.to_lowercase(),
                known(r.first),
                known(r.last)
            )
        })
        .collect()
}

fn club_line(c: &ClubRevision, club_prefix: Option<&str>) -> ClubLine {
    let mut parts = Vec::new();
    if !c.in_first {
        parts.push("not in the first figures, listed in the final ones".to_string());
    } else if !c.in_final {
        parts.push("in the first figures, no longer listed in the final ones".to_string());
    } else {
        if c.active_members.revised() {
            parts.push(format!(
                "members {} → {}",
                known(c.active_members.first),
                known(c.active_members.last)
            ));
        }
        if c.goals_met.revised() {
            parts.push(format!(
                "goals {} → {}",
                known(c.goals_met.first),
                known(c.goals_met.last)
            ));
        }
        if c.status_first != c.status_final {
            let s = |v: &Option<String>| v.clone().unwrap_or_else(|| "no status".into());
            parts.push(format!(
                "status {} → {}",
                s(&c.status_first),
                s(&c.status_final)
            ));
        }
        if c.level_first != c.level_final {
            let l = |v: Option<crate::model::Level>| v.map_or("no level", |l| l.name());
            parts.push(format!("level {} → {}", l(c.level_first), l(c.level_final)));
        }
    }
    ClubLine {
        name: c.club_name.clone(),
        href: match club_prefix {
            Some(prefix) if c.in_final => {
                format!(
                    "{prefix}{}",
                    super::club_page::club_page_href(&c.club_number)
                )
            }
            _ => String::new(),
        },
        unit: format!("Division {}, Area {}", c.division_id, c.area_id),
        text: parts.join(", "),
    }
}

/// The view of one month's revisions; `club_prefix` is the way from the page that shows
/// it to the district's folder, where the club pages are (`None`: no club pages to link).
fn month_view(r: &MonthRevision, club_prefix: Option<&str>) -> MonthView {
    let first = r.collections.first().map(|c| c.collection_date);
    let last = r.collections.last().map(|c| c.collection_date);
    let closing = r.collections.iter().filter(|c| c.closing).count();
    let collections = match (first, last) {
        (Some(a), Some(b)) => format!(
            "Collected {} times ({closing} of them while TI was closing the month), from {} to {}; the first figures seen here are of {}, the final ones of {}.",
            r.collections.len(),
            long_date(a),
            long_date(b),
            long_date(r.first_collection),
            long_date(r.final_collection)
        ),
        _ => String::new(),
    };
    let state = match (r.state, r.final_on) {
        (MonthState::Final, Some(on)) => format!(
            "Final: TI published the next month's first figures on {}, so it revises this month no more.",
            long_date(on)
        ),
        _ => "Still closing: TI may revise these figures until it publishes the next month's, so they are provisional.".to_string(),
    };
    let rows = FIGURES
        .iter()
        .zip(figures(&r.district))
        .map(|(label, f)| FigureRow {
            label,
            first: known(f.first),
            last: known(f.last),
            difference: f.difference.map_or_else(|| "unknown".into(), signed),
            revised: f.revised(),
        })
        .collect();
    let unit_line = |u: &crate::history::revisions::UnitRevision| {
        let name = match &u.area_id {
            Some(a) => format!("Division {}, Area {a}", u.division_id),
            None => format!("Division {}", u.division_id),
        };
        format!("{name}: {}", revised_words(&u.figures).join(", "))
    };
    MonthView {
        title: month(r.data_date.year(), r.data_date.month()),
        anchor: format!("m-{}", r.month),
        closing: r.state == MonthState::Closing,
        revised: r.revised,
        state,
        collections,
        rows,
        units: r.divisions.iter().chain(&r.areas).map(unit_line).collect(),
        clubs: r.clubs.iter().map(|c| club_line(c, club_prefix)).collect(),
    }
}

/// The district page's section: the newest month end's revisions when it is the newest
/// month of the district's data and it is still closing or was revised.
pub fn section(
    revisions: &[MonthRevision],
    newest_month_end: Option<chrono::NaiveDate>,
    club_pages: bool,
) -> Option<MonthView> {
    let r = revisions.last()?;
    let newest = Some(r.data_date) == newest_month_end;
    (newest && (r.revised || r.state == MonthState::Closing))
        .then(|| month_view(r, club_pages.then_some("")))
}

#[derive(Serialize)]
struct View<'a> {
    page: Page,
    status: &'a Status,
    id: &'a str,
    months: Vec<MonthView>,
}

/// The page of every month's revisions of district `id`, newest month first.
pub fn page(
    id: &str,
    revisions: &[MonthRevision],
    status: &Status,
    t: &Templates,
) -> Result<String> {
    let root = "../../../";
    let view = View {
        page: Page {
            title: format!("District {id}: month-end revisions"),
            root: root.into(),
            path: page_path(id),
            nav: "districts",
            data: vec![Link {
                href: format!(
                    "{root}{}",
                    crate::render::json::district_history_path(id, "reconciliation")
                ),
                text: "reconciliation.json".into(),
            }],
            sortable: false,
            description: format!(
                "Toastmasters District {id}: how TI revised each month's figures while closing the month"
            ),
        },
        status,
        id,
        months: revisions
            .iter()
            .rev()
            .map(|r| month_view(r, status.club_pages.then_some("../")))
            .collect(),
    };
    t.render("revisions.html", &view)
}
