//! What changed in a district (`api/v1/districts/<id>/changes.json` and its Atom feed):
//! between two of its data dates, the clubs that reached a new level, met new goals, were
//! chartered, suspended, reinstated or moved, or whose membership changed by at least
//! [`MEMBERSHIP_CHANGE_MIN`]; and the change of the district's totals.

use super::Timeline;
use super::clubs::ClubIndex;
use super::digest::{ClubPoint, DateDigest};
use crate::model::{Level, club_key, same_district};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeSet;

/// The smallest change in a club's active members that is reported.
pub const MEMBERSHIP_CHANGE_MIN: i64 = 3;

const SUSPENDED: &str = "Suspended";

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DistrictChanges {
    pub district_id: String,
    pub data_date: Option<NaiveDate>,
    /// Since the district's previous data date.
    pub since_previous_date: Option<Changes>,
    /// Since the last data date of the district's previous month.
    pub since_previous_month_end: Option<Changes>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Changes {
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub totals: TotalsDelta,
    pub clubs: Vec<ClubChange>,
}

/// Change of the district's totals; `None` where either side is unknown.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TotalsDelta {
    pub clubs: i64,
    pub paid_clubs: i64,
    pub active_members: i64,
    pub payments: Option<i64>,
    pub distinguished_clubs: i64,
    pub education_awards: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ClubChange {
    pub club_number: String,
    pub club_name: String,
    pub division_id: String,
    pub area_id: String,
    #[serde(flatten)]
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// Reached a higher level (ours; a projection when `provisional`).
    Level {
        from: Option<Level>,
        to: Level,
        provisional: bool,
    },
    /// DCP goals (1 to 10) met now and not before.
    Goals {
        goals: Vec<u8>,
    },
    /// New in the data (not in any district before).
    Chartered {
        charter_date: Option<NaiveDate>,
    },
    Suspended {
        suspend_date: Option<NaiveDate>,
    },
    Reinstated {
        status: Option<String>,
    },
    /// Its district, division or area changed.
    Moved {
        from_district: String,
        from_division: String,
        from_area: String,
        to_district: String,
        to_division: String,
        to_area: String,
    },
    /// Left the data (closed, or no longer listed).
    Removed,
    Membership {
        from: i64,
        to: i64,
        change: i64,
    },
}

impl Change {
    /// Short name of the kind, for sorting and for feed titles.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::Level { .. } => "level",
            Change::Goals { .. } => "goals",
            Change::Chartered { .. } => "chartered",
            Change::Suspended { .. } => "suspended",
            Change::Reinstated { .. } => "reinstated",
            Change::Moved { .. } => "moved",
            Change::Removed => "removed",
            Change::Membership { .. } => "membership",
        }
    }
}

/// The changes of `id` since its previous date and since its previous month's last date.
pub fn district(timeline: &Timeline, index: &ClubIndex, id: &str) -> DistrictChanges {
    let dates: Vec<&DateDigest> = timeline.district_dates(id).collect();
    let now = dates.last().copied();
    let previous = dates.len().checked_sub(2).map(|i| dates[i]);
    let previous_month_end = now.and_then(|n| {
        let month = n.data_month();
        super::month_lasts(dates.iter().copied())
            .into_iter()
            .rev()
            .find(|d| (chrono::Datelike::year(d), chrono::Datelike::month(d)) < month)
            .and_then(|d| dates.iter().copied().find(|x| x.data_date == d))
    });
    DistrictChanges {
        district_id: id.to_string(),
        data_date: now.map(|n| n.data_date),
        since_previous_date: now
            .zip(previous)
            .and_then(|(n, p)| between(timeline, index, id, p, n)),
        since_previous_month_end: now
            .zip(previous_month_end)
            .and_then(|(n, p)| between(timeline, index, id, p, n)),
    }
}

/// The district's date-to-date changes for its newest `count` dates, newest first (for the
/// feed).
pub fn recent(timeline: &Timeline, index: &ClubIndex, id: &str, count: usize) -> Vec<Changes> {
    let dates: Vec<&DateDigest> = timeline.district_dates(id).collect();
    dates
        .windows(2)
        .rev()
        .take(count)
        .filter_map(|w| between(timeline, index, id, w[0], w[1]))
        .collect()
}

/// Changes of district `id` from one of its dates to a later one; `None` when the club
/// data of either date is not loaded.
pub fn between(
    timeline: &Timeline,
    index: &ClubIndex,
    id: &str,
    from: &DateDigest,
    to: &DateDigest,
) -> Option<Changes> {
    let before_all = index.get(&from.data_date)?;
    let after_all = index.get(&to.data_date)?;
    let in_district = |date: NaiveDate| -> BTreeSet<&str> {
        timeline
            .clubs_on(date)
            .into_iter()
            .flat_map(|c| c.districts.iter())
            .filter(|(d, _)| same_district(d, id))
            .flat_map(|(_, points)| points.iter().map(|p| club_key(&p.club_number)))
            .collect()
    };
    let keys: BTreeSet<&str> = in_district(from.data_date)
        .union(&in_district(to.data_date))
        .copied()
        .collect();
    // Goals and levels start again from nothing each July (DOMAIN.md §5): across a
    // program-year boundary, what a club has met is all new, not a change from June.
    let new_year = from.program_year != to.program_year;
    let mut clubs = Vec::new();
    for key in keys {
        club_changes(
            before_all.get(key).copied(),
            after_all.get(key).copied(),
            new_year,
            &mut clubs,
        );
    }
    clubs.sort_by(|a, b| (a.change.kind(), &a.club_number).cmp(&(b.change.kind(), &b.club_number)));
    let (f, t) = (&from.district(id)?.totals, &to.district(id)?.totals);
    Some(Changes {
        from_date: from.data_date,
        to_date: to.data_date,
        totals: TotalsDelta {
            clubs: t.clubs - f.clubs,
            paid_clubs: t.paid_clubs - f.paid_clubs,
            active_members: t.active_members - f.active_members,
            payments: t.payments.zip(f.payments).map(|(a, b)| a - b),
            distinguished_clubs: t.distinguished_total - f.distinguished_total,
            education_awards: t.education_awards - f.education_awards,
        },
        clubs,
    })
}

fn club_changes(
    before: Option<&ClubPoint>,
    after: Option<&ClubPoint>,
    new_year: bool,
    out: &mut Vec<ClubChange>,
) {
    let Some(now) = after.or(before) else { return };
    let mut push = |change: Change| {
        out.push(ClubChange {
            club_number: now.club_number.clone(),
            club_name: now.club_name.clone(),
            division_id: now.division_id.clone(),
            area_id: now.area_id.clone(),
            change,
        })
    };
    let (b, a) = match (before, after) {
        (None, Some(a)) => {
            push(Change::Chartered {
                charter_date: a.charter_date,
            });
            return;
        }
        (Some(_), None) => {
            push(Change::Removed);
            return;
        }
        (Some(b), Some(a)) => (b, a),
        (None, None) => return,
    };
    let (level_before, goals_before) = if new_year {
        (None, a.goals.map(|_| [false; 10]))
    } else {
        (b.level, b.goals)
    };
    if let Some(to) = a.level
        && level_before.is_none_or(|from| to > from)
    {
        push(Change::Level {
            from: level_before,
            to,
            provisional: a.provisional,
        });
    }
    if let (Some(gb), Some(ga)) = (goals_before, a.goals) {
        let goals: Vec<u8> = (0..10)
            .filter(|i| ga[*i] && !gb[*i])
            .map(|i| i as u8 + 1)
            .collect();
        if !goals.is_empty() {
            push(Change::Goals { goals });
        }
    }
    let suspended = |p: &ClubPoint| p.status.as_deref() == Some(SUSPENDED);
    if suspended(a) && !suspended(b) {
        push(Change::Suspended {
            suspend_date: a.suspend_date,
        });
    }
    if suspended(b) && !suspended(a) {
        push(Change::Reinstated {
            status: a.status.clone(),
        });
    }
    if (&b.district_id, &b.division_id, &b.area_id) != (&a.district_id, &a.division_id, &a.area_id)
    {
        push(Change::Moved {
            from_district: b.district_id.clone(),
            from_division: b.division_id.clone(),
            from_area: b.area_id.clone(),
            to_district: a.district_id.clone(),
            to_division: a.division_id.clone(),
            to_area: a.area_id.clone(),
        });
    }
    let change = a.active_members - b.active_members;
    if change.abs() >= MEMBERSHIP_CHANGE_MIN {
        push(Change::Membership {
            from: b.active_members,
            to: a.active_members,
            change,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Level;

    fn point(goals: [bool; 10], level: Option<Level>) -> ClubPoint {
        ClubPoint {
            club_number: "00001234".into(),
            club_name: "Test Club".into(),
            district_id: "21".into(),
            division_id: "A".into(),
            area_id: "01".into(),
            status: Some("Active".into()),
            membership_base: 20,
            active_members: 20,
            goals: Some(goals),
            goals_met: Some(goals.iter().filter(|g| **g).count() as i64),
            ti_goals_met: 0,
            level,
            ti_level: None,
            provisional: false,
            charter_date: None,
            suspend_date: None,
        }
    }

    fn kinds(out: &[ClubChange]) -> Vec<&'static str> {
        out.iter().map(|c| c.change.kind()).collect()
    }

    #[test]
    fn goals_met_again_after_july_are_new_goals_of_the_new_year() {
        let june = point([true; 10], Some(Level::P));
        let mut july_goals = [false; 10];
        july_goals[0] = true;
        july_goals[9] = true;
        let july = point(july_goals, None);
        let mut out = Vec::new();
        club_changes(Some(&june), Some(&july), true, &mut out);
        assert_eq!(kinds(&out), ["goals"]);
        match &out[0].change {
            Change::Goals { goals } => assert_eq!(goals, &[1, 10]),
            other => panic!("{other:?}"),
        }
        // within one program year the same two points change nothing
        let mut same_year = Vec::new();
        club_changes(Some(&june), Some(&july), false, &mut same_year);
        assert!(same_year.is_empty(), "{same_year:?}");
    }

    #[test]
    fn a_level_reached_in_the_new_year_is_a_new_level_even_below_last_june() {
        let june = point([true; 10], Some(Level::P));
        let august = point([true; 10], Some(Level::D));
        let mut out = Vec::new();
        club_changes(Some(&june), Some(&august), true, &mut out);
        assert!(out.iter().any(|c| matches!(
            c.change,
            Change::Level {
                from: None,
                to: Level::D,
                ..
            }
        )));
    }
}
