//! Club visits on a division's or an area's page: each round with its deadline
//! (`recognition::units::visit_deadline`), the clubs visited against the ⌈75 %⌉ of the club
//! base an area needs, and which clubs still need a visit this round, area by area. The
//! flags are TI's (`Nov Visit award`, `May Visit award` of the division report); a
//! suspended club is not visited, so it is never listed as needing one.

use super::format::{UNKNOWN, int, long_date};
use crate::model::Club;
use crate::recognition::units::{UnitRecognition, visit_deadline};
use chrono::NaiveDate;
use serde::Serialize;

/// One round of visits.
#[derive(Debug, Serialize)]
pub struct Round {
    pub round: usize,
    pub deadline: String,
    pub passed: bool,
    /// The round the page lists clubs for: the open one, else the last.
    pub current: bool,
    /// Per area: visited against needed, and the clubs still to visit this round.
    pub areas: Vec<AreaVisits>,
}

#[derive(Debug, Serialize)]
pub struct AreaVisits {
    pub area: String,
    /// The area's page from this page; `None` on the area's own page.
    pub href: Option<String>,
    /// `3 of 4 needed`, or unknown with why.
    pub count: String,
    /// Met: at least the clubs needed were visited.
    pub met: bool,
    /// The clubs that still need a visit in this round (only in the current round).
    pub to_visit: Vec<ToVisit>,
    /// How many, when the page summarises instead of listing.
    pub to_visit_count: usize,
}

#[derive(Debug, Serialize)]
pub struct ToVisit {
    pub name: String,
    pub number: String,
    pub href: Option<String>,
}

/// One area of the unit: its name, its page (from this page), its recognition and clubs.
pub struct AreaInput<'a> {
    pub name: String,
    pub href: Option<String>,
    pub recognition: Option<&'a UnitRecognition>,
    pub clubs: Vec<&'a Club>,
}

/// Whether the club is still to be visited in `round` (1 or 2); `None` when unknown.
pub fn needs_visit(c: &Club, round: usize) -> Option<bool> {
    let v = c.visits.as_ref()?;
    let award = if round == 1 {
        v.nov_visit_award
    } else {
        v.may_visit_award
    };
    Some(award == 0 && c.status.as_deref() != Some("Suspended"))
}

/// The visit rounds of the program year starting `py_start`, measured on `date`;
/// `list` says whether the clubs to visit are named (else only counted); `club_href`
/// gives a club's page from this page, when the render has club pages.
pub fn rounds(
    areas: &[AreaInput],
    date: NaiveDate,
    py_start: i32,
    list: bool,
    club_href: &dyn Fn(&Club) -> Option<String>,
) -> Vec<Round> {
    let deadline = |r| visit_deadline(r, py_start);
    let current = if deadline(1).is_some_and(|d| date > d) {
        2
    } else {
        1
    };
    (1..=2)
        .map(|round| Round {
            round,
            deadline: deadline(round).map_or(UNKNOWN.to_string(), long_date),
            passed: deadline(round).is_some_and(|d| date > d),
            current: round == current,
            areas: areas
                .iter()
                .map(|a| {
                    let v = a.recognition.and_then(|r| r.visits);
                    let (count, met) = match v {
                        Some(v) => {
                            let done = if round == 1 { v.round_1 } else { v.round_2 };
                            (
                                format!("{} of {} needed", int(done), int(v.needed)),
                                done >= v.needed,
                            )
                        }
                        None => (
                            format!("{UNKNOWN}: the area is not in TI's division report"),
                            false,
                        ),
                    };
                    let todo: Vec<&Club> = if round == current && v.is_some() {
                        a.clubs
                            .iter()
                            .copied()
                            .filter(|c| needs_visit(c, round) == Some(true))
                            .collect()
                    } else {
                        Vec::new()
                    };
                    AreaVisits {
                        area: a.name.clone(),
                        href: a.href.clone(),
                        count,
                        met,
                        to_visit_count: todo.len(),
                        to_visit: if list {
                            todo.iter()
                                .map(|c| ToVisit {
                                    name: c.club_name.trim().to_string(),
                                    number: c.club_number.clone(),
                                    href: club_href(c),
                                })
                                .collect()
                        } else {
                            Vec::new()
                        },
                    }
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suspended_club_never_needs_a_visit() {
        let club = |status: &str, nov: i64| {
            let mut c = Club {
                line: 0,
                club_number: "00000001".into(),
                club_name: "X".into(),
                district_id: "01".into(),
                division_id: "A".into(),
                area_id: "01".into(),
                status: Some(status.into()),
                csp: None,
                membership_base: 20,
                active_members: 20,
                net_growth: 0,
                goals_met: 0,
                distinguished_status: None,
                goal_columns: Default::default(),
                payments: None,
                visits: None,
                charter_date: None,
                suspend_date: None,
                extra: Default::default(),
                dcp: None,
                health: None,
            };
            c.visits = Some(crate::model::ClubVisits {
                october_renewed: 0,
                april_renewed: 0,
                nov_visit_award: nov,
                may_visit_award: 0,
            });
            c
        };
        assert_eq!(needs_visit(&club("Active", 0), 1), Some(true));
        assert_eq!(needs_visit(&club("Active", 1), 1), Some(false));
        assert_eq!(needs_visit(&club("Active", 1), 2), Some(true));
        assert_eq!(needs_visit(&club("Suspended", 0), 1), Some(false));
        let mut unknown = club("Active", 0);
        unknown.visits = None;
        assert_eq!(needs_visit(&unknown, 1), None);
    }
}
