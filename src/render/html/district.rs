//! A district's page (`districts/<id>/index.html`). Every district id
//! of the snapshot gets a page: a built district shows everything; one whose files failed
//! validation lists its errors; one that is only in TI's summary shows the summary's
//! figures. Divisions and areas have stable anchors (`#division-A`, `#area-A-01`) so a
//! reader can link straight to them; a club's link is its own page (no anchor on its row:
//! 22 bytes a club that a 400-club page cannot spare).

use super::common::{self, Card, Link, Page, RegionRank, Status};
use super::district_about::{district_warnings, reports};
pub use super::district_units::area_anchor;
use super::district_units::{Glance, UnitContext, division_view};
use super::format::{UNKNOWN, long_date, pct, signed_pct};
use super::recognition::{self, Summary};
use super::templates::Templates;
use super::{changed, history};
use crate::render::json::district_path;
use crate::render::{BuildModel, BuiltDistrict};
use anyhow::Result;
use serde::Serialize;

/// One category of the district's ranking.
#[derive(Debug, Serialize)]
struct RankLine {
    category: &'static str,
    value: String,
    world_rank: u32,
    region_rank: String,
    points: u32,
}

#[derive(Serialize)]
struct DistrictView<'a> {
    page: Page,
    status: &'a Status,
    id: &'a str,
    /// `built`, `failed` or `summary_only`.
    kind: &'static str,
    region: Option<&'a str>,
    cards: Vec<Card>,
    ranking: Vec<RankLine>,
    ranking_note: String,
    errors: Vec<String>,
    /// Which of TI's reports the page is built from, and what a missing one leaves
    /// unknown: the "About this data" section.
    reports: Vec<String>,
    warnings: Vec<String>,
    /// The sections of the page, for the jump links: (anchor, words).
    jump: Vec<(&'static str, &'static str)>,
    /// One line per division: its status and what it still needs.
    glance: Vec<Glance>,
    /// Which date "last year" on the cards is, or why it is unknown.
    last_year_line: Option<String>,
    /// Which of TI's reports were not collected and what that leaves unknown: said once.
    missing_reports: Option<String>,
    /// The district's club count (the clubs themselves are on the clubs page).
    club_count: usize,
    recognition: Option<Summary>,
    close_count: usize,
    /// Why the district is shown at an older date than the snapshot's.
    stale_banner: Option<String>,
    /// History was published for the district (its JSON and Atom feed exist).
    has_history: bool,
    /// The change feed (the current one, from an archived month).
    feed_href: String,
    program_year: Option<history::ProgramYearView>,
    what_changed: Vec<changed::ChangesView>,
    movement: Option<String>,
    /// The newest month end's revisions, when it is still closing or was revised.
    revisions: Option<super::revisions::MonthView>,
    /// The district's spreadsheet downloads, relative to the page (built districts).
    downloads: Option<Downloads>,
    /// The nearest steps of the district's action list (built districts).
    actions: Option<super::actions::ActionsView>,
}

/// The steps the district page lists before linking the full action list.
const SHOWN_ACTIONS: usize = 3;

/// File names of a built district's downloads, beside its page.
#[derive(Debug, Serialize)]
struct Downloads {
    csv: String,
    xlsx: String,
    /// Every club of the site, relative to the page; `None` when this is the only
    /// district (the file would be this district's again).
    all_clubs: Option<String>,
    /// The world rankings exist (their downloads are on the home page).
    rankings: bool,
    /// The district's deadline calendar, beside the page.
    calendar: String,
    /// The action list as CSV, beside the page.
    actions_csv: String,
    /// The same calendar as a `webcal://` address, which calendar apps subscribe to;
    /// only with `site_url`, as it must be absolute.
    calendar_webcal: Option<String>,
}

fn ranking_lines(model: &BuildModel, id: &str, rr: Option<RegionRank>) -> Vec<RankLine> {
    let Some(r) = model.ranking(id) else {
        return Vec::new();
    };
    let region = |f: fn(&RegionRank) -> u32| {
        rr.as_ref().map_or(UNKNOWN.to_string(), |x| {
            format!("{} of {}", f(x), x.districts)
        })
    };
    let value = |v: Option<f64>, growth: bool| match v {
        Some(v) if growth => signed_pct(v),
        Some(v) => pct(v),
        None => format!("{UNKNOWN} (ranked as 0)"),
    };
    vec![
        RankLine {
            category: "Club growth",
            value: value(r.club_growth_pct, true),
            world_rank: r.club_growth_rank,
            region_rank: region(|x| x.club_growth),
            points: r.club_growth_points,
        },
        RankLine {
            category: "Payment growth",
            value: value(r.payment_growth_pct, true),
            world_rank: r.payment_growth_rank,
            region_rank: region(|x| x.payment_growth),
            points: r.payment_growth_points,
        },
        RankLine {
            category: "Distinguished clubs",
            value: value(r.distinguished_pct, false),
            world_rank: r.distinguished_rank,
            region_rank: region(|x| x.distinguished),
            points: r.distinguished_points,
        },
    ]
}

/// The status a built district's page states: its own as-of date (archived downloads of
/// different districts carry different stamps), and its own data date when it is shown at
/// an older date than the snapshot's.
pub fn page_status(b: &BuiltDistrict, status: &Status) -> Status {
    match &b.stale {
        // shown at its own newest date: the page states that date, not the snapshot's
        Some(s) => Status {
            as_of: recognition::own_as_of(b, None),
            data_month: super::format::month(
                chrono::Datelike::year(&s.data_date),
                chrono::Datelike::month(&s.data_date),
            ),
            data_date: long_date(s.data_date),
            data_date_iso: s.data_date.to_string(),
            year_final: common::year_final(s.data_date, s.closing),
            collection_date: long_date(s.collection_date),
            closing: s.closing,
            program_year: super::format::year_range(&s.program_year),
            before_april: common::before_april(chrono::Datelike::month(&s.data_date)),
            ..status.clone()
        },
        None => Status {
            as_of: recognition::own_as_of(b, status.as_of.as_ref()),
            ..status.clone()
        },
    }
}

/// The data date a built district is shown at: its own when older than the snapshot's.
fn page_date(b: &BuiltDistrict, model: &BuildModel) -> chrono::NaiveDate {
    b.stale
        .as_ref()
        .map_or(model.dated.period.data_date, |s| s.data_date)
}

/// Whether the snapshot has a report of `b` that carries charter and suspend dates.
pub fn has_dates(b: &BuiltDistrict) -> bool {
    b.district.has_payments || b.district.has_division_report
}

/// Renders the page of district `id`, whichever data the snapshot has for it.
pub fn page(
    model: &BuildModel,
    id: &str,
    status: &Status,
    region_ranks: &std::collections::HashMap<&str, RegionRank>,
    t: &Templates,
) -> Result<DistrictPages> {
    let built = model.districts.iter().find(|b| b.district.id == id);
    let failed = model.failed.iter().find(|(f, _)| f == id);
    let rr = region_ranks.get(id).copied();
    let own_status;
    let status = match built {
        Some(b) => {
            own_status = page_status(b, status);
            &own_status
        }
        None => status,
    };
    let kind = match (built, failed) {
        (Some(_), _) => "built",
        (None, Some(_)) => "failed",
        (None, None) => "summary_only",
    };
    let downloads = built.map(|b| {
        let date = crate::render::downloads::district_date(model, b);
        let files = crate::render::downloads::district_files(id, date);
        let name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
        Downloads {
            csv: name(&files.csv),
            xlsx: name(&files.xlsx),
            actions_csv: name(&files.actions_csv),
            all_clubs: (model.districts.len() > 1).then(|| {
                format!(
                    "../../{}",
                    crate::render::downloads::world_files(model.dated.period.data_date)[2]
                )
            }),
            rankings: model.rankings.is_ok(),
            calendar: crate::render::calendar::Unit::District.href(),
            calendar_webcal: status.site_url.as_deref().and_then(|url| {
                crate::render::calendar::webcal(url, id, crate::render::calendar::Unit::District)
            }),
        }
    });
    let mut data = Vec::new();
    if built.is_some() {
        data.push(Link {
            href: format!("../../{}", district_path(id)),
            text: format!("{id}.json"),
        });
        if let Some(d) = &downloads {
            for name in [&d.csv, &d.xlsx] {
                data.push(Link {
                    href: name.clone(),
                    text: name.clone(),
                });
            }
        }
    } else {
        data.push(Link {
            href: "../../api/v1/rankings.json".into(),
            text: "rankings.json".into(),
        });
        if failed.is_some() {
            data.push(Link {
                href: status.placement.href("../../", "snapshot.json"),
                text: "snapshot.json (errors)".into(),
            });
        }
    }
    let products = model.history.districts.get(id);
    let placement = &status.placement;
    // the feed sits beside the page; an archived month links the current one
    let feed_href = match status.archive {
        Some(_) => placement.href("../../", &format!("districts/{id}/changes.atom")),
        None => "changes.atom".to_string(),
    };
    if products.is_some() {
        for (name, text) in [
            ("history", "history.json"),
            ("clubs-history", "clubs-history.json"),
            ("changes", "changes.json"),
            ("reconciliation", "reconciliation.json"),
        ] {
            data.push(Link {
                href: placement.href(
                    "../../",
                    &crate::render::json::district_history_path(id, name),
                ),
                text: text.into(),
            });
        }
        data.push(Link {
            href: feed_href.clone(),
            text: "changes.atom (Atom feed)".into(),
        });
    }
    let mut cards = common::headline(model, id, built, rr);
    let last_year_line =
        products.map(|p| history::add_year_over_year(&mut cards, &p.series.year_over_year));
    let mut view = DistrictView {
        page: Page {
            title: format!("District {id}"),
            root: "../../".into(),
            path: format!("districts/{id}/index.html"),
            nav: "districts",
            data,
            // no table of the summary sorts (the divisions page's does)
            sortable: false,
            description: format!(
                "Toastmasters District {id}: clubs, divisions, areas and ranking, {}",
                status.data_month
            ),
        },
        status,
        id,
        kind,
        region: model.summary_row(id).map(|r| r.region.as_str()),
        cards,
        ranking: ranking_lines(model, id, rr),
        ranking_note: common::no_ranking_reason(model),
        errors: failed
            .map(|(_, e)| e.iter().map(ToString::to_string).collect())
            .unwrap_or_default(),
        reports: reports(model, id, built, failed.is_some()),
        warnings: district_warnings(model, id, built),
        jump: Vec::new(),
        glance: Vec::new(),
        last_year_line,
        missing_reports: common::missing_reports(
            model.summary_row(id).is_some(),
            built.is_none_or(|b| b.district.has_payments),
            built.is_none_or(|b| b.district.has_division_report),
        ),
        club_count: 0,
        recognition: None,
        close_count: 0,
        stale_banner: built
            .and_then(|b| b.stale.as_ref())
            .map(|s| history::stale_banner(id, s, model.dated.period.data_date)),
        has_history: products.is_some(),
        feed_href: feed_href.clone(),
        program_year: products.and_then(|p| {
            let page = format!("districts/{id}/index.html");
            history::program_year(&p.series, status.closing, &|d| {
                status.placement.archive_href("../../", d, &page)
            })
        }),
        what_changed: built.map_or_else(Vec::new, |b| what_changed_of(model, b, status)),
        movement: model
            .history
            .movement
            .get(id)
            .map(history::movement_sentence),
        revisions: products.and_then(|p| {
            let newest = p.series.points.iter().rev().find(|x| x.month_end);
            super::revisions::section(&p.revisions, newest.map(|x| x.data_date), status.club_pages)
        }),
        downloads,
        actions: built.map(|b| {
            let list = crate::render::actions_of(model, b);
            let links = super::actions::ClubLinks {
                to_district: "",
                club_pages: status.club_pages,
            };
            let date = crate::render::downloads::district_date(model, b);
            super::actions::view(&list, list.actions.iter(), date, Some(SHOWN_ACTIONS), links)
        }),
    };
    if let Some(b) = built {
        fill_built(&mut view, b, model);
        if status.archive.is_some()
            && let Some(d) = &mut view.downloads
        {
            // an archived month keeps no calendars: its pages link the current ones
            d.calendar = format!("../../{}districts/{id}/{}", status.snapshot_up, d.calendar);
        }
    }
    view.jump = jump_links(&view);
    let mut details = Vec::new();
    if let Some(b) = built {
        details.push((
            super::district_detail::DIVISIONS.to_string(),
            super::district_detail::divisions_page(model, b, status, t)?,
        ));
        if view.has_history {
            let changes = what_changed_of(model, b, status);
            details.push((
                super::district_detail::CHANGES.to_string(),
                super::district_detail::changes_page(b, changes, &feed_href, status, t)?,
            ));
        }
    }
    Ok(DistrictPages {
        summary: t.render("district.html", &view)?,
        details,
    })
}

/// What changed in a built district, with links to the clubs that have a page in this
/// render (none in an archive without them).
fn what_changed_of(
    model: &BuildModel,
    b: &BuiltDistrict,
    status: &Status,
) -> Vec<changed::ChangesView> {
    let Some(p) = model.history.districts.get(b.district.id.as_str()) else {
        return Vec::new();
    };
    let here = b
        .district
        .clubs
        .iter()
        .filter(|_| status.club_pages)
        .map(|c| crate::model::club_key(&c.club_number))
        .collect();
    changed::what_changed(p, &here)
}

/// A district's page and its detail pages (path from the district's folder, HTML).
pub struct DistrictPages {
    pub summary: String,
    pub details: Vec<(String, String)>,
}

/// The sections the page has, in its order, for the jump links.
fn jump_links(view: &DistrictView) -> Vec<(&'static str, &'static str)> {
    let built = view.kind == "built";
    [
        (view.actions.is_some(), "h-actions", "Actions"),
        (view.has_history && built, "h-changed", "Changes"),
        (view.program_year.is_some(), "h-year", "Year"),
        (!view.glance.is_empty(), "h-divisions", "Divisions"),
        (view.recognition.is_some(), "h-recognition", "Recognition"),
        (true, "h-ranking", "Ranking"),
        (built, "h-clubs", "Clubs"),
        (true, "h-about", "About"),
    ]
    .into_iter()
    .filter(|(has, _, _)| *has)
    .map(|(_, anchor, words)| (anchor, words))
    .collect()
}

fn fill_built(view: &mut DistrictView, b: &BuiltDistrict, model: &BuildModel) {
    let d = &b.district;
    let how = UnitContext {
        comparable: !b.recognition.provisional,
        has_division_report: d.has_division_report,
    };
    view.glance = b
        .stats
        .divisions
        .iter()
        // TI's holding of unassigned new clubs is no division of the program
        .filter(|dv| !crate::model::is_unassigned_division(&dv.division_id))
        .map(|dv| division_view(dv, how).glance(dv.recognition.as_ref()))
        .collect();
    // a district shown at an older date is measured on that date (its program year)
    let summary = recognition::summary(
        b,
        page_date(b, model),
        b.stale
            .as_ref()
            .map_or(model.dated.period.closing, |s| s.closing),
    );
    // the tier beside the other headline figures, after the distinguished clubs
    let at = view
        .cards
        .iter()
        .position(|c| c.label == common::DISTINGUISHED_ON_TRACK)
        .map_or(view.cards.len(), |i| i + 1);
    view.cards.insert(at, summary.tier_card());
    view.recognition = Some(summary);
    view.close_count = b.recognition.close_to_distinguished.len();
    view.club_count = d.clubs.len();
}
