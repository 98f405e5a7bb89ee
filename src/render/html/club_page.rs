//! A page per club (`districts/<id>/clubs/<club_number>/index.html`): its figures, the ten
//! goals, its level and what the next one needs (the same cells as its row on the district
//! page), and its month-by-month history across program years from the club timelines,
//! with where it was on each date, so a club that moved shows its old division, area or
//! district. Kept small (under 8 KB): the full timeline is in `clubs-history.json`.

use super::club_cells::{ClubCells, GOAL_NAMES, GRID_GAPS_AFTER, club_cells};
use super::common::{Link, Page, Status};
use super::district_units::unit_href;
use super::format::{UNKNOWN, id_part, int, signed, year_range};
use super::templates::Templates;
use super::words::level_word;
use crate::history::clubs::{ClubHistoryPoint, ClubTimeline, ClubsHistory, ProgramYearClubs};
use crate::model::{Club, Level, club_key};
use crate::render::calendar::Unit;
use crate::render::json::{district_history_path, district_path};
use anyhow::Result;
use serde::Serialize;
use std::collections::HashMap;

/// Program years of history shown on a club page (this year and last); older ones are in
/// `clubs-history.json`. Two years of monthly points keep a page under [`MAX_BYTES`].
const YEARS_SHOWN: usize = 2;

/// A club page stays under this weight (issue 11). A page that would not (a very long
/// name and many risk factors on top of two full years) shows this year only.
pub const MAX_BYTES: usize = 8 * 1024;

/// Path of a club's page from its district's folder.
pub fn club_page_href(number: &str) -> String {
    format!("clubs/{}/index.html", id_part(number))
}

/// One month-end (or the presented date) of a club's history.
#[derive(Debug, Serialize)]
struct HistoryRow {
    date: String,
    /// District, division and area on that date.
    place: String,
    /// The place differs from the row before: the club moved.
    moved: bool,
    status: String,
    members: String,
    base: String,
    goals: String,
    level: String,
}

#[derive(Debug, Serialize)]
struct YearRows {
    program_year: String,
    first_reached: String,
    rows: Vec<HistoryRow>,
}

/// The ten goals by name, met and not met.
#[derive(Debug, Default, Serialize)]
struct Goals {
    met: Vec<&'static str>,
    not_met: Vec<&'static str>,
    /// The goals strip (`charts::goals_strip`), labelled by the lists of names.
    strip: String,
}

#[derive(Serialize)]
struct ClubView<'a> {
    page: Page,
    status: &'a Status,
    district_id: &'a str,
    name: &'a str,
    number: &'a str,
    /// The club's division and area, and their pages; `held` for TI's holding of new
    /// clubs not yet assigned (`0D`/`0A`), named in words.
    held: bool,
    division: &'a str,
    area: &'a str,
    division_href: String,
    area_href: String,
    club_status: String,
    members: String,
    base: String,
    net: String,
    goals_met: String,
    dates: String,
    dcp: ClubCells,
    goals: Option<Goals>,
    years: Vec<YearRows>,
    older_years: usize,
}

/// Each club's timelines in a district's club history, by club key, newest year first.
pub type TimelineIndex<'a> = HashMap<&'a str, Vec<(&'a ProgramYearClubs, &'a ClubTimeline)>>;

pub fn timeline_index(h: &ClubsHistory) -> TimelineIndex<'_> {
    let mut out: TimelineIndex = HashMap::new();
    for year in h.program_years.iter().rev() {
        for c in &year.clubs {
            out.entry(club_key(&c.club_number))
                .or_default()
                .push((year, c));
        }
    }
    out
}

fn first_reached(t: &ClubTimeline) -> String {
    // the highest level names the others: list each level once, lowest first
    let parts: Vec<String> = Level::ALL
        .into_iter()
        .filter_map(|l| Some(format!("{} {}", level_word(l), t.first_reached.get(&l)?)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("First reached: {}.", parts.join(", "))
    }
}

/// Page titles stay within what validators and browser tabs take (70 characters with
/// what base.html adds: ` · September 2026 · toaststats`, at most 30); the heading
/// carries the full name.
const TITLE_CHARS: usize = 40;

fn short_title(name: &str) -> String {
    if name.chars().count() <= TITLE_CHARS {
        return name.to_string();
    }
    let cut: String = name.chars().take(TITLE_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// District, division and area of a point, as the history table shows them.
fn place_of(p: &ClubHistoryPoint) -> String {
    format!("{} {} {}", p.district_id, p.division_id, p.area_id)
}

fn year_rows(year: &ProgramYearClubs, t: &ClubTimeline, last_place: &mut String) -> YearRows {
    let rows = t
        .points
        .iter()
        .map(|p| {
            let place = place_of(p);
            let moved = !last_place.is_empty() && *last_place != place;
            last_place.clone_from(&place);
            HistoryRow {
                date: p.data_date.to_string(),
                place,
                moved,
                status: p.status.clone().unwrap_or_else(|| UNKNOWN.into()),
                members: int(p.active_members),
                base: int(p.membership_base),
                goals: p.goals_met.unwrap_or(p.ti_goals_met).to_string(),
                level: match p.level {
                    Some(l) if p.provisional => format!("{} (on track)", level_word(l)),
                    Some(l) => level_word(l).to_string(),
                    None => String::new(),
                },
            }
        })
        .collect();
    YearRows {
        program_year: year_range(&year.program_year),
        first_reached: first_reached(t),
        rows,
    }
}

/// Renders the page of one club of district `id`, within [`MAX_BYTES`] where fewer years
/// of history allow it.
pub fn page(
    id: &str,
    club: &Club,
    dated: bool,
    timelines: &TimelineIndex,
    status: &Status,
    t: &Templates,
) -> Result<String> {
    // The years shown are decided on the page as the build of its month end makes it
    // (without an archive copy's banner and its longer links up to the snapshot root), so
    // the copy shows the years that build showed, even for a page within a few bytes of
    // the limit.
    let plain = Status {
        archive: None,
        snapshot_up: "",
        placement: crate::render::archive::Placement {
            archive_of: None,
            ..status.placement.clone()
        },
        ..status.clone()
    };
    let mut html = page_with(id, club, dated, timelines, &plain, t, YEARS_SHOWN)?;
    let mut years = YEARS_SHOWN;
    while html.len() >= MAX_BYTES && years > 1 {
        years -= 1;
        html = page_with(id, club, dated, timelines, &plain, t, years)?;
    }
    if status.archive.is_some() {
        html = page_with(id, club, dated, timelines, status, t, years)?;
    }
    Ok(html)
}

fn page_with(
    id: &str,
    club: &Club,
    dated: bool,
    timelines: &TimelineIndex,
    status: &Status,
    t: &Templates,
    years_shown: usize,
) -> Result<String> {
    let row = super::club_cells::club_row(club, dated);
    let years_all = timelines
        .get(club_key(&club.club_number))
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let shown = &years_all[..years_all.len().min(years_shown)];
    // oldest first, so a move shows on the first row at the new place; a year left out
    // still tells where the club was before the first row shown
    let mut last_place = years_all
        .get(years_shown)
        .and_then(|(_, c)| c.points.last())
        .map(place_of)
        .unwrap_or_default();
    let years: Vec<YearRows> = shown
        .iter()
        .rev()
        .map(|(y, c)| year_rows(y, c, &mut last_place))
        .collect();
    let root = "../../../../";
    let view = ClubView {
        page: Page {
            title: short_title(club.club_name.trim()),
            root: root.into(),
            path: format!("districts/{id}/{}", club_page_href(&club.club_number)),
            nav: "districts",
            data: vec![
                Link {
                    href: format!("{root}{}", district_path(id)),
                    text: format!("{id}.json"),
                },
                Link {
                    href: status
                        .placement
                        .href(root, &district_history_path(id, "clubs-history")),
                    text: "clubs-history.json".into(),
                },
            ],
            sortable: false,
            description: format!(
                "Toastmasters club {} of District {id}: figures, goals and history",
                club.club_number
            ),
        },
        status,
        district_id: id,
        name: club.club_name.trim(),
        number: &club.club_number,
        held: crate::model::is_unassigned_division(&club.division_id),
        area_href: format!(
            "../../{}",
            unit_href(Unit::Area {
                division: &club.division_id,
                area: &club.area_id
            })
        ),
        division_href: format!("../../{}", unit_href(Unit::Division(&club.division_id))),
        division: &club.division_id,
        area: &club.area_id,
        club_status: row.status,
        members: row.members,
        base: row.base,
        net: signed(club.net_growth),
        goals_met: row.goals,
        dates: row.dates,
        goals: club.dcp.as_ref().and_then(|d| d.goals).map(|g| {
            let mut goals = Goals {
                strip: super::charts::goals_strip(&g, &GRID_GAPS_AFTER, "goals-words"),
                ..Goals::default()
            };
            for (name, met) in GOAL_NAMES.iter().zip(g) {
                if met {
                    goals.met.push(name);
                } else {
                    goals.not_met.push(name);
                }
            }
            goals
        }),
        dcp: club_cells(club),
        years,
        older_years: years_all.len().saturating_sub(years_shown),
    };
    t.render("club.html", &view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_club_names_are_shortened_in_the_title_only() {
        assert_eq!(short_title("Thame Speakers"), "Thame Speakers");
        let long = "Ö".repeat(80);
        let t = short_title(&long);
        assert_eq!(t.chars().count(), TITLE_CHARS);
        assert!(t.ends_with('…'));
    }
}
