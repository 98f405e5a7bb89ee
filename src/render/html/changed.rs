//! "What changed" on a district page, in words: each change's heading (what it is measured
//! from, its span, a long span named), the totals line, and every club grouped by kind of
//! change in the order a reader wants them, long groups collapsed. The changes themselves
//! are computed in `crate::history::changes`.

use super::club_page::club_page_href;
use super::format::{UNKNOWN, long_date, signed};
use crate::history::DistrictProducts;
use crate::history::changes::{Change, Changes, ClubChange, Since};
use crate::model::club_key;
use crate::render::feed::describe;
use serde::Serialize;
use std::collections::HashSet;

/// A kind of change with more clubs than this is listed collapsed (every club is on the
/// page; the list opens on a click).
const OPEN_LIST_MAX: usize = 8;

/// One club of a "What changed" list.
#[derive(Debug, Serialize)]
pub struct ChangeItem {
    pub name: String,
    /// The club's page, when the club is in this district now.
    pub href: Option<String>,
    pub unit: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct ChangeGroup {
    #[serde(skip)]
    order: usize,
    pub label: &'static str,
    /// How many clubs (the items, unless a page too long for them leaves them out).
    pub count: usize,
    pub items: Vec<ChangeItem>,
    /// Longer than [`OPEN_LIST_MAX`]: shown collapsed.
    pub collapsed: bool,
}

#[derive(Debug, Serialize)]
pub struct ChangesView {
    pub title: String,
    pub totals: String,
    pub groups: Vec<ChangeGroup>,
}

/// The kinds of change in the order a reader wants them (levels first, the many small
/// changes last), with their headings.
const KINDS: [(&str, &str); 11] = [
    ("level", "Reached a level"),
    ("level_dropped", "Dropped a level"),
    ("became_paid", "Became paid clubs"),
    ("became_unpaid", "No longer paid clubs"),
    ("chartered", "New in the list"),
    ("suspended", "Suspended"),
    ("reinstated", "Reinstated"),
    ("removed", "No longer listed"),
    ("moved", "Moved"),
    ("goals", "Met new DCP goals"),
    ("membership", "Membership changed by 3 or more"),
];

/// Position and heading of a kind of change; an unknown kind goes last under its name.
fn kind_order(kind: &str) -> (usize, &'static str) {
    KINDS
        .iter()
        .position(|(k, _)| *k == kind)
        .map_or((KINDS.len(), "Other changes"), |i| (i, KINDS[i].1))
}

/// Which clubs' changes a view shows: `None`, the whole district's (with its totals).
pub type Scope<'a> = Option<&'a dyn Fn(&ClubChange) -> bool>;

fn changes_view(title: String, c: &Changes, here: &HashSet<&str>, scope: Scope) -> ChangesView {
    let clubs: Vec<&ClubChange> = c
        .clubs
        .iter()
        .filter(|x| scope.is_none_or(|f| f(x)))
        .collect();
    let totals = if scope.is_some() && clubs.is_empty() {
        String::new()
    } else if scope.is_some() {
        // the totals are the district's: a unit counts its own clubs' changes
        let changed: HashSet<&str> = clubs.iter().map(|x| club_key(&x.club_number)).collect();
        format!(
            "{} changed ({} of the district's {} club changes).",
            super::words::count(changed.len() as i64, "club", "clubs"),
            clubs.len(),
            c.clubs.len()
        )
    } else {
        district_totals(c)
    };
    let mut groups: Vec<ChangeGroup> = Vec::new();
    // the list is sorted by kind, so each kind is one run
    for chunk in clubs.chunk_by(|a, b| a.change.kind() == b.change.kind()) {
        let (order, label) = kind_order(chunk[0].change.kind());
        groups.push(ChangeGroup {
            order,
            label,
            count: chunk.len(),
            collapsed: chunk.len() > OPEN_LIST_MAX,
            items: chunk
                .iter()
                .map(|x| ChangeItem {
                    name: x.club_name.trim().to_string(),
                    href: here
                        .contains(club_key(&x.club_number))
                        .then(|| club_page_href(&x.club_number)),
                    unit: format!("{} {}", x.division_id, x.area_id),
                    text: match &x.change {
                        // the group label already says it
                        Change::Chartered { charter_date: None } | Change::Removed => String::new(),
                        other => describe(other),
                    },
                })
                .collect(),
        });
    }
    groups.sort_by_key(|g| g.order);
    ChangesView {
        title,
        totals,
        groups,
    }
}

/// The totals line of a district's changes.
fn district_totals(c: &Changes) -> String {
    let t = &c.totals;
    format!(
        "Clubs {}, paid clubs {}, active members {}, payments {}, distinguished clubs on track {}, education awards {}.",
        t.clubs.map_or(UNKNOWN.to_string(), signed),
        t.paid_clubs.map_or(UNKNOWN.to_string(), signed),
        signed(t.active_members),
        t.payments.map_or(UNKNOWN.to_string(), signed),
        signed(t.distinguished_on_track),
        signed(t.education_awards)
    )
}

/// The heading of a change: what it is measured from and over how long, a long span named.
fn change_title(what: &str, c: &Changes) -> String {
    let span = span_words(c.span_days, c.long_span);
    match (c.since, c.previous_date) {
        (Since::ProgramYearStart, previous) => format!(
            "Since the start of the program year, {} (to {}{span}){}",
            long_date(c.from_date),
            long_date(c.to_date),
            previous.map_or(String::new(), |p| format!(
                ": the {what}, {}, is of the previous program year",
                long_date(p)
            ))
        ),
        (Since::Date, _) => format!(
            "Since the {what}, {} (to {}{span})",
            long_date(c.from_date),
            long_date(c.to_date)
        ),
    }
}

/// `, 3 days` or `, a long span of 11 months`.
fn span_words(days: i64, long: bool) -> String {
    match days {
        1 => ", 1 day".into(),
        d if !long => format!(", {d} days"),
        d if d < 60 => format!(", a long span of {d} days"),
        d => format!(", a long span of {} months", (d + 15) / 30),
    }
}

/// "What changed" in the whole district (see [`what_changed_in`]).
pub fn what_changed(p: &DistrictProducts, here: &HashSet<&str>) -> Vec<ChangesView> {
    what_changed_in(p, here, None)
}

/// "What changed": since the previous data date, and since the previous month's last date
/// when that is a different date. `here` holds the club keys that have a page; `scope`
/// keeps the changes of a division's or an area's clubs.
pub fn what_changed_in(
    p: &DistrictProducts,
    here: &HashSet<&str>,
    scope: Scope,
) -> Vec<ChangesView> {
    let mut out = Vec::new();
    let c = &p.changes;
    if let Some(d) = &c.since_previous_date {
        out.push(changes_view(
            change_title("previous data date", d),
            d,
            here,
            scope,
        ));
    }
    if let Some(m) = &c.since_previous_month_end
        && c.since_previous_date
            .as_ref()
            .is_none_or(|d| d.from_date != m.from_date)
    {
        out.push(changes_view(
            change_title("end of the previous month", m),
            m,
            here,
            scope,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_change_has_a_heading() {
        for kind in [
            "level",
            "level_dropped",
            "became_paid",
            "became_unpaid",
            "goals",
            "chartered",
            "suspended",
            "reinstated",
            "moved",
            "removed",
            "membership",
        ] {
            assert!(kind_order(kind).0 < KINDS.len(), "{kind}");
        }
        assert!(kind_order("level").0 < kind_order("membership").0);
    }
}
