//! Action lists in pages (issue 22): the district's full list on its own page
//! (`districts/<id>/actions/index.html`), and the short view a district, division or area
//! page shows (counts by kind, the nearest deadlines, a link to the rest). Both read
//! [`crate::recognition::actions`], the one list the CSV and `actions.json` also write.

use super::common::{Link, Page, Status};
use super::format::long_date;
use super::templates::Templates;
use crate::recognition::actions::{Action, ActionList};
use crate::render::{BuildModel, BuiltDistrict};
use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

/// The full list's path from the snapshot root.
pub fn path(id: &str) -> String {
    format!("districts/{id}/actions/index.html")
}

/// One line: the club, who acts and the step.
#[derive(Debug, Serialize)]
pub struct ActionLine {
    pub club: String,
    /// The club's page from the page showing the line; `None` without club pages.
    pub href: Option<String>,
    /// `B 12`, or words for TI's holding of unassigned clubs.
    pub unit: String,
    pub who: &'static str,
    pub step: String,
    pub kind: &'static str,
}

/// The lines of one deadline.
#[derive(Debug, Serialize)]
pub struct DueGroup {
    /// `30 November 2026`.
    pub due: String,
    pub due_iso: String,
    /// `in 22 days`, `today`, `overdue by 5 days`.
    pub when: String,
    pub overdue: bool,
    pub lines: Vec<ActionLine>,
}

/// An action list as a page section shows it.
#[derive(Debug, Serialize)]
pub struct ActionsView {
    pub total: usize,
    pub overdue: usize,
    /// `Club visit still needed: 12` per kind, largest first.
    pub counts: Vec<String>,
    /// The shown lines, by deadline.
    pub groups: Vec<DueGroup>,
    /// Lines not shown (a short view).
    pub more: usize,
    /// Kinds the reports cannot decide, with the reason.
    pub unknown: Vec<String>,
}

/// How a view links clubs: the prefix from its page to the district folder, and whether
/// the render has club pages.
#[derive(Debug, Clone, Copy)]
pub struct ClubLinks<'a> {
    pub to_district: &'a str,
    pub club_pages: bool,
}

fn when(due: NaiveDate, date: NaiveDate) -> String {
    let days = (due - date).num_days();
    match days {
        0 => "today".into(),
        1 => "tomorrow".into(),
        d if d > 0 => format!("in {d} days"),
        -1 => "overdue by 1 day".into(),
        d => format!("overdue by {} days", -d),
    }
}

/// A view of `actions` (in the list's order) on `date`, showing at most `limit` lines.
pub fn view<'a>(
    list: &ActionList,
    actions: impl Iterator<Item = &'a Action>,
    date: NaiveDate,
    limit: Option<usize>,
    links: ClubLinks,
) -> ActionsView {
    let actions: Vec<&Action> = actions.collect();
    let mut counts = ActionList::counts(actions.iter().copied());
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    let shown = limit.unwrap_or(actions.len()).min(actions.len());
    let mut groups: Vec<DueGroup> = Vec::new();
    for a in &actions[..shown] {
        let line = ActionLine {
            club: a.club_name.clone(),
            href: links.club_pages.then(|| {
                format!(
                    "{}{}",
                    links.to_district,
                    super::club_page::club_page_href(&a.club_number)
                )
            }),
            unit: super::words::unit_short(&a.division, &a.area),
            who: a.who,
            step: a.step.clone(),
            kind: a.kind.words(),
        };
        match groups.last_mut() {
            Some(g) if g.due_iso == a.due.to_string() => g.lines.push(line),
            _ => groups.push(DueGroup {
                due: long_date(a.due),
                due_iso: a.due.to_string(),
                when: when(a.due, date),
                overdue: a.overdue,
                lines: vec![line],
            }),
        }
    }
    ActionsView {
        total: actions.len(),
        overdue: actions.iter().filter(|a| a.overdue).count(),
        counts: counts
            .into_iter()
            .map(|(k, n)| format!("{}: {n}", k.words()))
            .collect(),
        groups,
        more: actions.len() - shown,
        unknown: list
            .unknown
            .iter()
            .map(|u| format!("{}: unknown, because {}.", u.kind.words(), u.reason))
            .collect(),
    }
}

#[derive(Serialize)]
struct View<'a> {
    page: Page,
    status: &'a Status,
    id: &'a str,
    actions: ActionsView,
    csv_href: String,
    json_href: String,
}

/// The district's full action list.
pub fn page(
    model: &BuildModel,
    b: &BuiltDistrict,
    status: &Status,
    t: &Templates,
) -> Result<String> {
    let id = b.district.id.as_str();
    let status = super::district::page_status(b, status);
    let date = crate::render::downloads::district_date(model, b);
    let list = crate::render::actions_of(model, b);
    let links = ClubLinks {
        to_district: "../",
        club_pages: status.club_pages,
    };
    let json_href = format!(
        "../../../{}",
        crate::render::json::district_history_path(id, "actions")
    );
    let csv_href = format!(
        "../../../{}",
        crate::render::downloads::district_files(id, date).actions_csv
    );
    let view = View {
        page: Page {
            title: format!("Actions for District {id}"),
            root: "../../../".into(),
            path: path(id),
            nav: "districts",
            data: vec![
                Link {
                    href: json_href.clone(),
                    text: "actions.json".into(),
                },
                Link {
                    href: csv_href.clone(),
                    text: "actions CSV".into(),
                },
            ],
            sortable: false,
            description: format!(
                "What the leaders of Toastmasters District {id} must do, club by club, by deadline, {}",
                status.data_month
            ),
        },
        status: &status,
        id,
        actions: view(&list, list.actions.iter(), date, None, links),
        csv_href,
        json_href,
    };
    t.render("actions.html", &view)
}
