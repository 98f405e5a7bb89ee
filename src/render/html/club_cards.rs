//! The clubs table that becomes a card per club below 30rem (CSS only, `site.css`), grouped
//! by area: shared by the clubs page and the division and area pages
//! (`templates/_club_cards.html`). A club's needs (at risk, close to Distinguished, Club
//! Success Plan missing) come from the rules in `crate::recognition` and its CSP column.

use super::club_cells::{ClubRow, club_row};
use super::format::id_part;
use super::words::{unit_label, unit_short};
use crate::model::Club;
use crate::recognition::health::HealthStatus;
use crate::render::BuiltDistrict;
use serde::Serialize;
use std::collections::BTreeSet;

/// A club's need, as the filter and the card name it: (key, words).
const AT_RISK: (&str, &str) = ("at-risk", "at risk: intervention required");
const CLOSE: (&str, &str) = ("close", "close to Distinguished");
const CSP_MISSING: (&str, &str) = ("csp", "Club Success Plan not submitted");
pub const NEEDS: [(&str, &str); 3] = [AT_RISK, CLOSE, CSP_MISSING];

/// The table of `_club_cards.html`: its id, caption and area groups.
#[derive(Serialize)]
pub struct CardsTable {
    pub id: &'static str,
    pub caption: String,
    pub groups: Vec<AreaGroup>,
}

#[derive(Serialize)]
pub struct AreaGroup {
    /// `a-A-01`: the group's anchor.
    pub anchor: String,
    /// `Division A, area 01`, or `New clubs not yet assigned to an area` for TI's `0D`.
    pub label: String,
    /// `A 01`, or `not yet assigned`: the jump links and the area filter.
    pub short: String,
    pub division: String,
    pub area: String,
    pub clubs: Vec<Card>,
}

#[derive(Serialize)]
pub struct Card {
    row: ClubRow,
    /// The club's page from the page showing the card; `None` when the render has no club
    /// pages.
    href: Option<String>,
    /// Need keys, space-separated (the filter's `data-need`).
    need_keys: String,
    need_words: Vec<&'static str>,
}

/// The cards of a district's clubs, grouped by area, with how many clubs have each need
/// (in [`NEEDS`] order).
#[derive(Default)]
pub struct Cards {
    pub groups: Vec<AreaGroup>,
    pub need_counts: [usize; 3],
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

/// The cards of the clubs of `b` that `keep` keeps, grouped by division and area (TI's
/// order within an area); `to_clubs` leads from the page to the club pages' folder
/// (`districts/<id>/clubs/`), and `club_pages` says whether they are in this render.
pub fn cards(
    b: &BuiltDistrict,
    keep: &dyn Fn(&Club) -> bool,
    to_clubs: &str,
    club_pages: bool,
) -> Cards {
    let dated = super::district::has_dates(b);
    let close: BTreeSet<&str> = b
        .recognition
        .close_to_distinguished
        .iter()
        .map(|c| c.club_number.as_str())
        .collect();
    let mut clubs: Vec<&Club> = b.district.clubs.iter().filter(|c| keep(c)).collect();
    clubs.sort_by(|a, c| (&a.division_id, &a.area_id).cmp(&(&c.division_id, &c.area_id)));
    let mut out = Cards::default();
    for c in clubs {
        let needs = needs_of(c, &close);
        for (i, n) in NEEDS.iter().enumerate() {
            out.need_counts[i] += usize::from(needs.contains(n));
        }
        let card = Card {
            href: club_pages.then(|| format!("{to_clubs}{}/index.html", id_part(&c.club_number))),
            need_keys: needs.iter().map(|n| n.0).collect::<Vec<_>>().join(" "),
            need_words: needs.iter().map(|n| n.1).collect(),
            row: club_row(c, dated),
        };
        match out.groups.last_mut() {
            Some(g) if g.division == c.division_id && g.area == c.area_id => g.clubs.push(card),
            _ => out.groups.push(AreaGroup {
                anchor: format!("a-{}-{}", id_part(&c.division_id), id_part(&c.area_id)),
                label: unit_label(&c.division_id, &c.area_id),
                short: unit_short(&c.division_id, &c.area_id),
                division: c.division_id.clone(),
                area: c.area_id.clone(),
                clubs: vec![card],
            }),
        }
    }
    out
}
