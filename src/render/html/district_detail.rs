//! The district's detail pages, one folder below its summary page (issue 22): the
//! divisions-and-areas table with the level and membership charts and the clubs close to
//! Distinguished (`districts/<id>/divisions/index.html`), and every club that changed
//! (`districts/<id>/changes/index.html`). The summary links each; these pages hold the
//! long lists a phone reader should not have to scroll past.

use super::changed::ChangesView;
use super::common::{Link, Page, Status};
use super::district_charts::{ChartsView, charts_view};
use super::district_units::{DivisionView, UnitColumns, UnitContext, division_view};
use super::format::int;
use super::templates::Templates;
use crate::recognition::assess::DistrictReport;
use crate::render::{BuildModel, BuiltDistrict};
use anyhow::Result;
use serde::Serialize;

/// The detail pages, by path from the district's folder.
pub const DIVISIONS: &str = "divisions/index.html";
pub const CHANGES: &str = "changes/index.html";

#[derive(Serialize)]
struct DivisionsView<'a> {
    page: Page,
    status: &'a Status,
    id: &'a str,
    #[serde(flatten)]
    charts: ChartsView,
    divisions: Vec<DivisionView>,
    unit_columns: UnitColumns,
    has_division_report: bool,
    /// Before April every unit status counts the levels clubs are on track for.
    provisional: bool,
    close: Vec<CloseRow>,
}

fn page_of(id: &str, file: &str, title: String, description: String) -> Page {
    Page {
        title,
        root: "../../../".into(),
        path: format!("districts/{id}/{file}"),
        nav: "districts",
        data: vec![Link {
            href: format!("../../../{}", crate::render::json::district_path(id)),
            text: format!("{id}.json"),
        }],
        sortable: true,
        description,
    }
}

/// `districts/<id>/divisions/index.html`.
pub fn divisions_page(
    model: &BuildModel,
    b: &BuiltDistrict,
    status: &Status,
    t: &Templates,
) -> Result<String> {
    let id = b.district.id.as_str();
    let d = &b.district;
    let date = crate::render::downloads::district_date(model, b);
    let py_start = crate::cache::footer::program_year_start(date);
    let how = UnitContext {
        comparable: !b.recognition.provisional,
        has_division_report: d.has_division_report,
    };
    // calendars and unit pages sit in the district's folder, one up from this page; an
    // archived month keeps no calendars and links the current ones
    let prefix = match status.archive {
        Some(_) => format!("../../../{}districts/{id}/", status.snapshot_up),
        None => "../".to_string(),
    };
    let mut divisions: Vec<DivisionView> = b
        .stats
        .divisions
        .iter()
        .map(|dv| division_view(dv, how))
        .collect();
    for dv in &mut divisions {
        dv.prefix_calendars(&prefix);
        // the unit pages are in every render, archives too
        dv.prefix_pages("../");
    }
    let close = close_rows(&b.recognition);
    let view = DivisionsView {
        page: page_of(
            id,
            DIVISIONS,
            format!("Divisions and areas of District {id}"),
            format!(
                "Toastmasters District {id}: every division and area against the Distinguished Area and Division programs, {}",
                status.data_month
            ),
        ),
        status,
        id,
        charts: charts_view(b, py_start),
        unit_columns: UnitColumns::of(&divisions),
        divisions,
        has_division_report: d.has_division_report,
        provisional: b.recognition.provisional,
        close,
    };
    t.render("district_divisions.html", &view)
}

#[derive(Serialize)]
struct ChangesPage<'a> {
    page: Page,
    status: &'a Status,
    id: &'a str,
    what_changed: Vec<ChangesView>,
    feed_href: String,
}

/// `districts/<id>/changes/index.html`: `what_changed` as the summary computed it (club
/// links relative to the district's folder).
pub fn changes_page(
    b: &BuiltDistrict,
    mut what_changed: Vec<ChangesView>,
    feed_href: &str,
    status: &Status,
    t: &Templates,
) -> Result<String> {
    let id = b.district.id.as_str();
    for item in what_changed
        .iter_mut()
        .flat_map(|w| w.groups.iter_mut())
        .flat_map(|g| g.items.iter_mut())
    {
        if let Some(h) = &mut item.href {
            *h = format!("../{h}");
        }
    }
    let view = ChangesPage {
        page: page_of(
            id,
            CHANGES,
            format!("What changed in District {id}"),
            format!(
                "Every club of Toastmasters District {id} that changed since the previous date and month end, {}",
                status.data_month
            ),
        ),
        status,
        id,
        what_changed,
        // relative to the district's folder, one up from this page
        feed_href: format!("../{feed_href}"),
    };
    t.render("district_changes.html", &view)
}

/// A row of the close-to-Distinguished table.
#[derive(Debug, Serialize)]
struct CloseRow {
    name: String,
    href: String,
    unit: String,
    goals_met: String,
    goals_needed: String,
    members_needed: String,
}

fn close_rows(r: &DistrictReport) -> Vec<CloseRow> {
    r.close_to_distinguished
        .iter()
        .map(|c| CloseRow {
            name: c.club_name.clone(),
            // the club pages are one folder up from this page
            href: format!("../{}", super::club_page::club_page_href(&c.club_number)),
            unit: format!("{} {}", c.division_id, c.area_id),
            goals_met: int(c.goals_met),
            goals_needed: int(c.goals_needed),
            members_needed: int(c.members_needed),
        })
        .collect()
}
