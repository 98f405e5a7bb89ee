//! A page per division and per area (issue 22): `districts/<id>/divisions/<division>/` and
//! `districts/<id>/areas/<area>/index.html`, in the unit's folder (`calendar::Unit::folder`)
//! beside its calendar, clubs CSV (`downloads::unit_csv`) and change feed (`feed::unit`):
//! figures against the base and last year; DAP/DDP status and what it still needs; its
//! actions (the district's list, filtered); club visits per round and the clubs still to
//! visit; its clubs (the clubs page's cards); its changes; month by month. A page stays
//! within [`MAX_BYTES`]: a division too big for its clubs' cards counts them per area and
//! links the area pages, which list them (then, if need be, counts the lists too).

use super::actions::{self, ActionsView, ClubLinks};
use super::changed::{self, ChangesView};
use super::club_cards::{self, CardsTable, NEEDS};
use super::common::{Card, Link, Page, Status};
use super::district_units::{
    DivisionView, UnitColumns, UnitContext, division_view, unit_href as href,
};
use super::format::UNKNOWN;
use super::templates::Templates;
use super::unit_figures::{RecognitionView, Which, figures, recognition_view};
use super::unit_history::{self, MonthsView};
use super::unit_visits::{self, AreaInput, Round};
use super::words;
use crate::history::changes::ClubChange;
use crate::model::{Club, is_unassigned_division};
use crate::recognition::actions::ActionList;
use crate::render::calendar::{self, Unit};
use crate::render::{BuildModel, BuiltDistrict};
use anyhow::Result;
use serde::Serialize;

/// The most a division or area page may weigh (issue 22).
pub const MAX_BYTES: usize = 40 * 1024;

/// The most actions a division page lists (the nearest; the rest are on the district's
/// full list): ten keep a division's printed handout near one sheet; an area page lists
/// all of its own.
const DIVISION_ACTIONS: usize = 10;

/// From a unit page to its district's folder, and to the render's root.
const TO_DISTRICT: &str = "../../";
const ROOT: &str = "../../../../";

/// How much a page lists: everything, or counts where the lists would break the budget.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Detail {
    Full,
    /// The clubs counted per area (their cards are on the area pages).
    NoCards,
    /// Also the clubs to visit and the changes counted, not named.
    Counts,
}

/// The name of a unit on its page: TI's holding of unassigned new clubs in words.
pub fn unit_name(unit: Unit) -> String {
    match unit {
        Unit::District => String::new(),
        Unit::Division(d) => words::division_name(d),
        Unit::Area { division, area } => words::area_name(division, area),
    }
}

#[derive(Serialize)]
struct View<'a> {
    page: Page,
    status: &'a Status,
    id: &'a str,
    /// `division` or `area`.
    kind: &'static str,
    name: String,
    /// TI's holding of unassigned new clubs (`0D`/`0A`): the page says what it is.
    held: bool,
    /// An area's division page, from this page.
    division: Option<Link>,
    figures: Vec<Card>,
    last_year: String,
    recognition: RecognitionView,
    rounds: Vec<Round>,
    /// Why visits are unknown, when they are for the whole unit.
    visits_unknown: Option<String>,
    /// A division's row and its areas' rows of the district's units table.
    units: Option<DivisionView>,
    unit_columns: UnitColumns,
    areas: Vec<Link>,
    cards: Option<CardsTable>,
    club_count: String,
    need_counts: Vec<String>,
    what_changed: Vec<ChangesView>,
    /// The changes are counted, not listed (the page's budget).
    changes_counted: bool,
    months: Option<MonthsView>,
    has_history: bool,
    files: Files,
    /// The unit's actions, from the district's list (`_actions.html`); a division shows
    /// the nearest and links the rest on the district's full list.
    actions: ActionsView,
    actions_more_href: String,
}

#[derive(Serialize)]
struct Files {
    csv: String,
    feed: String,
    calendar: String,
    calendar_webcal: Option<String>,
}

/// Every division and area page of a built district: (path from the district's folder,
/// bytes); an area code two divisions share keeps the first (as its calendar does).
pub fn pages(
    model: &BuildModel,
    b: &BuiltDistrict,
    status: &Status,
    t: &Templates,
) -> Result<Vec<(String, Vec<u8>)>> {
    let status = super::district::page_status(b, status);
    let actions_list = crate::render::actions_of(model, b);
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for dv in &b.stats.divisions {
        let whiches =
            std::iter::once(Which::Division(dv)).chain(dv.areas.iter().map(|a| Which::Area(dv, a)));
        for which in whiches {
            let path = href(which.unit());
            if out.iter().any(|(p, _)| *p == path) {
                continue;
            }
            let html = page(model, b, which, &status, &actions_list, t)?;
            out.push((path, html.into_bytes()));
        }
    }
    Ok(out)
}

fn page(
    model: &BuildModel,
    b: &BuiltDistrict,
    which: Which,
    status: &Status,
    actions_list: &ActionList,
    t: &Templates,
) -> Result<String> {
    let mut html = String::new();
    for detail in [Detail::Full, Detail::NoCards, Detail::Counts] {
        html = t.render(
            "unit.html",
            &view(model, b, which, status, actions_list, detail),
        )?;
        if html.len() <= MAX_BYTES {
            break;
        }
    }
    Ok(html)
}

fn view<'a>(
    model: &BuildModel,
    b: &'a BuiltDistrict,
    which: Which<'a>,
    status: &'a Status,
    actions_list: &ActionList,
    detail: Detail,
) -> View<'a> {
    let id = b.district.id.as_str();
    let unit = which.unit();
    let name = unit_name(unit);
    let t = which.totals();
    let rec = which.recognition();
    let date = crate::render::downloads::district_date(model, b);
    let py_start = crate::cache::footer::program_year_start(date);
    let keep = |c: &Club| unit.contains(&c.division_id, &c.area_id);
    let clubs: Vec<&Club> = b.district.clubs.iter().filter(|c| keep(c)).collect();
    let products = model.history.districts.get(id);
    let points = products.map_or_else(Vec::new, |p| unit_history::points(p, id, unit));
    let what = if matches!(which, Which::Division(_)) {
        "this division"
    } else {
        "this area"
    };
    let last_year = unit_history::last_year(&points, date, what);
    let here = status.club_pages;
    let to_clubs = format!("{TO_DISTRICT}clubs/");
    let club_href = |c: &Club| {
        here.then(|| {
            format!(
                "{to_clubs}{}/index.html",
                super::format::id_part(&c.club_number)
            )
        })
    };
    let is_division = matches!(which, Which::Division(_));
    // the units table's rows, their names linking the pages from this one
    let how = UnitContext {
        comparable: !b.recognition.provisional,
        has_division_report: b.district.has_division_report,
    };
    let archived = status.archive.is_some();
    let calendars_prefix = if archived {
        format!("{ROOT}{}districts/{id}/", status.snapshot_up)
    } else {
        TO_DISTRICT.to_string()
    };
    let units = match which {
        Which::Division(dv) => {
            let mut v = division_view(dv, how);
            v.prefix_calendars(&calendars_prefix);
            v.prefix_pages(TO_DISTRICT);
            Some(v)
        }
        Which::Area(..) => None,
    };
    let unit_columns = units.as_ref().map_or_else(UnitColumns::default, |u| {
        UnitColumns::of(std::slice::from_ref(u))
    });
    let area_inputs: Vec<AreaInput> = which
        .areas()
        .into_iter()
        .map(|(d, a)| {
            let au = Unit::Area {
                division: &d.division_id,
                area: &a.area_id,
            };
            AreaInput {
                name: unit_name(au),
                href: is_division.then(|| format!("{TO_DISTRICT}{}", href(au))),
                recognition: a.recognition.as_ref(),
                clubs: clubs
                    .iter()
                    .copied()
                    .filter(|c| au.contains(&c.division_id, &c.area_id))
                    .collect(),
            }
        })
        .collect();
    let visits_unknown = (!b.district.has_division_report).then(|| {
        "Club visits are unknown: TI's division report for this date was not collected.".to_string()
    });
    let rounds = if visits_unknown.is_some() {
        Vec::new()
    } else {
        unit_visits::rounds(
            &area_inputs,
            date,
            py_start,
            detail != Detail::Counts,
            &club_href,
        )
    };
    let cards = club_cards::cards(b, &keep, &to_clubs, here);
    let what_changed = match products {
        Some(p) => {
            let ids = b
                .district
                .clubs
                .iter()
                .filter(|_| here)
                .map(|c| crate::model::club_key(&c.club_number))
                .collect();
            let mut v = changed::what_changed_in(
                p,
                &ids,
                Some(&|c: &ClubChange| unit.contains(&c.division_id, &c.area_id)),
            );
            for w in &mut v {
                for g in &mut w.groups {
                    if detail == Detail::Counts {
                        g.items.clear();
                    }
                    for i in &mut g.items {
                        if let Some(h) = &mut i.href {
                            *h = format!("{TO_DISTRICT}{h}");
                        }
                    }
                }
            }
            v
        }
        None => Vec::new(),
    };
    let folder_path = |file: &str| format!("districts/{id}/{}{file}", unit.folder());
    let csv = crate::render::downloads::unit_csv(id, unit, date);
    let csv_name = csv.rsplit('/').next().unwrap_or(&csv).to_string();
    let feed = if archived {
        status
            .placement
            .href(ROOT, &folder_path(crate::render::feed::FILE))
    } else {
        crate::render::feed::FILE.to_string()
    };
    let calendar = if archived {
        status.placement.href(ROOT, &calendar::path(id, unit))
    } else {
        calendar::FILE.to_string()
    };
    let division = match which {
        // TI's holding of new clubs: its division holds nothing else
        Which::Area(d, _) if is_unassigned_division(&d.division_id) => None,
        Which::Area(d, _) => {
            let du = Unit::Division(&d.division_id);
            Some(Link {
                href: format!("{TO_DISTRICT}{}", href(du)),
                text: unit_name(du),
            })
        }
        Which::Division(_) => None,
    };
    let areas: Vec<Link> = area_inputs
        .iter()
        .filter_map(|a| {
            Some(Link {
                href: a.href.clone()?,
                text: a.name.clone(),
            })
        })
        .collect();
    View {
        page: Page {
            // a title stays within 70 characters: the holding by its short name
            title: format!(
                "{}, District {id}",
                if name == words::UNASSIGNED {
                    words::UNASSIGNED_SHORT
                } else {
                    &name
                }
            ),
            root: ROOT.into(),
            path: folder_path("index.html"),
            nav: "districts",
            data: vec![
                Link {
                    href: format!("{ROOT}{}", crate::render::json::district_path(id)),
                    text: format!("{id}.json"),
                },
                Link {
                    href: csv_name.clone(),
                    text: csv_name.clone(),
                },
            ],
            sortable: false,
            description: format!(
                "Toastmasters District {id}, {name}: figures, recognition, club visits, clubs and changes, {}",
                status.data_month
            ),
        },
        status,
        id,
        kind: if is_division { "division" } else { "area" },
        name: name.clone(),
        held: is_unassigned_division(match unit {
            Unit::Division(d) | Unit::Area { division: d, .. } => d,
            Unit::District => "",
        }),
        division,
        figures: figures(t, which.report(), rec, &last_year, b, is_division),
        last_year: match &last_year.then {
            Some(_) => format!("Last year's figures are {}.", last_year.words),
            None => format!("Last year: {UNKNOWN} ({}).", last_year.words),
        },
        recognition: recognition_view(is_division, rec, which.report(), how, b),
        rounds,
        visits_unknown,
        units,
        unit_columns,
        areas,
        club_count: words::count(clubs.len() as i64, "club", "clubs"),
        need_counts: NEEDS
            .iter()
            .zip(cards.need_counts)
            .map(|((_, words), n)| format!("{n} {words}"))
            .collect(),
        cards: (detail == Detail::Full).then(|| CardsTable {
            id: "unit-clubs",
            caption: format!("Clubs of {name}, {}", status.data_month),
            groups: cards.groups,
        }),
        what_changed,
        changes_counted: detail == Detail::Counts,
        months: unit_history::months(&points, date),
        has_history: products.is_some(),
        files: Files {
            csv: csv_name,
            feed,
            calendar,
            calendar_webcal: status
                .site_url
                .as_deref()
                .and_then(|url| calendar::webcal(url, id, unit)),
        },
        actions: actions::view(
            actions_list,
            match unit {
                Unit::Area { division, area } => actions_list.of_unit(division, Some(area)),
                Unit::Division(d) => actions_list.of_unit(d, None),
                Unit::District => actions_list.of_unit("", Some("")),
            },
            date,
            match (detail, is_division) {
                (Detail::Full, false) => None,
                (Detail::Full, true) => Some(DIVISION_ACTIONS),
                _ => Some(DIVISION_ACTIONS / 2),
            },
            ClubLinks {
                to_district: TO_DISTRICT,
                club_pages: here,
            },
        ),
        actions_more_href: format!("{ROOT}{}", actions::path(id)),
    }
}
