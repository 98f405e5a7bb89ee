//! What changed in a district (`api/v1/districts/<id>/changes.json` and its Atom feed):
//! between two of its data dates of one program year, the clubs that reached or dropped a
//! level (from → to), met new goals, became paid or unpaid, were chartered, suspended,
//! reinstated or moved, or whose membership changed by at least [`MEMBERSHIP_CHANGE_MIN`];
//! and the change of the district's totals. Goals, levels and payments start again each
//! July, so a change is never computed across that line: when the earlier date is of
//! another program year, the change is "since the start of the program year" (issue 20).

use super::Timeline;
use super::clubs::ClubIndex;
use super::digest::{ClubPoint, DateDigest};
use crate::model::{Level, club_key, same_district};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeSet;

/// The smallest change in a club's active members that is reported.
pub const MEMBERSHIP_CHANGE_MIN: i64 = 3;

/// A change spanning more than this many days is named as a long span on the page.
pub const LONG_SPAN_DAYS: i64 = 45;

use crate::model::{PAID_STATUS as PAID, SUSPENDED_STATUS as SUSPENDED};

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
    /// The earlier data date, or 1 July when `since` is `program_year_start`.
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub since: Since,
    /// With `since` = `program_year_start`: the district's previous data date, which is of
    /// an earlier program year and so is not compared with.
    pub previous_date: Option<NaiveDate>,
    /// Days from `from_date` to `to_date`.
    pub span_days: i64,
    /// More than [`LONG_SPAN_DAYS`]: the page names the span as long.
    pub long_span: bool,
    pub totals: TotalsDelta,
    pub clubs: Vec<ClubChange>,
}

/// What a change is measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Since {
    /// An earlier data date of the same program year.
    Date,
    /// The start of `to_date`'s program year (1 July): goals, levels and payments from
    /// nothing, members from the membership base; clubs chartered or suspended since.
    ProgramYearStart,
}

/// Change of the district's totals; `None` where either side is unknown (the club and
/// paid-club counts on 1 July are not in the club reports).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TotalsDelta {
    pub clubs: Option<i64>,
    pub paid_clubs: Option<i64>,
    pub active_members: i64,
    pub payments: Option<i64>,
    pub distinguished_on_track: i64,
    /// Deprecated (API 1.2): the change of TI's codes; read `distinguished_on_track`.
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
    /// Reached a higher level (ours; a projection when `provisional`). Kind `level`.
    #[serde(rename = "level")]
    LevelReached {
        from: Option<Level>,
        to: Level,
        provisional: bool,
    },
    /// Its level fell (figures that reached it fell back, before April); `to` null = none.
    LevelDropped {
        from: Level,
        to: Option<Level>,
    },
    /// Its status became `Active`: it counts as a paid club now.
    BecamePaid {
        from_status: Option<String>,
        to_status: Option<String>,
    },
    /// Its status is no longer `Active`: it no longer counts as a paid club.
    BecameUnpaid {
        from_status: Option<String>,
        to_status: Option<String>,
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
            Change::LevelReached { .. } => "level",
            Change::LevelDropped { .. } => "level_dropped",
            Change::BecamePaid { .. } => "became_paid",
            Change::BecameUnpaid { .. } => "became_unpaid",
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
/// data of either date is not loaded. When `from` is of an earlier program year than
/// `to`, the change is measured from the start of `to`'s program year instead.
pub fn between(
    timeline: &Timeline,
    index: &ClubIndex,
    id: &str,
    from: &DateDigest,
    to: &DateDigest,
) -> Option<Changes> {
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
    let t = &to.district(id)?.totals;
    let mut clubs = Vec::new();
    let (from_date, since, previous_date, totals) = if from.program_year == to.program_year {
        let before_all = index.get(&from.data_date)?;
        let keys: BTreeSet<&str> = in_district(from.data_date)
            .union(&in_district(to.data_date))
            .copied()
            .collect();
        for key in keys {
            club_changes(
                before_all.get(key).copied(),
                after_all.get(key).copied(),
                &mut clubs,
            );
        }
        let f = &from.district(id)?.totals;
        let totals = TotalsDelta {
            clubs: Some(t.clubs - f.clubs),
            paid_clubs: Some(t.paid_clubs - f.paid_clubs),
            active_members: t.active_members - f.active_members,
            payments: t.payments.zip(f.payments).map(|(a, b)| a - b),
            distinguished_on_track: t.distinguished_on_track - f.distinguished_on_track,
            distinguished_clubs: t.distinguished_ti_code - f.distinguished_ti_code,
            education_awards: t.education_awards - f.education_awards,
        };
        (from.data_date, Since::Date, None, totals)
    } else {
        let start = program_year_start_date(to.data_date);
        for key in in_district(to.data_date) {
            if let Some(a) = after_all.get(key) {
                since_year_start(a, start, &mut clubs);
            }
        }
        // on 1 July goals, levels, payments and awards are nothing, members the base
        let totals = TotalsDelta {
            clubs: None,
            paid_clubs: None,
            active_members: t.active_members - t.membership_base,
            payments: t.payments,
            distinguished_on_track: t.distinguished_on_track,
            distinguished_clubs: t.distinguished_ti_code,
            education_awards: t.education_awards,
        };
        (start, Since::ProgramYearStart, Some(from.data_date), totals)
    };
    clubs.sort_by(|a, b| (a.change.kind(), &a.club_number).cmp(&(b.change.kind(), &b.club_number)));
    let span_days = (to.data_date - from_date).num_days();
    Some(Changes {
        from_date,
        to_date: to.data_date,
        since,
        previous_date,
        span_days,
        long_span: span_days > LONG_SPAN_DAYS,
        totals,
        clubs,
    })
}

/// 1 July of the program year of `date`.
fn program_year_start_date(date: NaiveDate) -> NaiveDate {
    let y = crate::cache::footer::program_year_start(date);
    NaiveDate::from_ymd_opt(y, 7, 1).unwrap_or(date)
}

fn change_of(now: &ClubPoint, change: Change) -> ClubChange {
    ClubChange {
        club_number: now.club_number.clone(),
        club_name: now.club_name.clone(),
        division_id: now.division_id.clone(),
        area_id: now.area_id.clone(),
        change,
    }
}

/// A club's changes since 1 July (`start`): what it has reached and met this year, its
/// membership against its base, and a charter or suspension dated this year.
fn since_year_start(a: &ClubPoint, start: NaiveDate, out: &mut Vec<ClubChange>) {
    let mut push = |change: Change| out.push(change_of(a, change));
    if a.charter_date.is_some_and(|d| d >= start) {
        push(Change::Chartered {
            charter_date: a.charter_date,
        });
    }
    if let Some(to) = a.level {
        push(Change::LevelReached {
            from: None,
            to,
            provisional: a.provisional,
        });
    }
    if let Some(g) = a.goals {
        let goals: Vec<u8> = (0..10).filter(|i| g[*i]).map(|i| i as u8 + 1).collect();
        if !goals.is_empty() {
            push(Change::Goals { goals });
        }
    }
    if a.status.as_deref() == Some(SUSPENDED) && a.suspend_date.is_some_and(|d| d >= start) {
        push(Change::Suspended {
            suspend_date: a.suspend_date,
        });
    }
    let change = a.active_members - a.membership_base;
    if change.abs() >= MEMBERSHIP_CHANGE_MIN {
        push(Change::Membership {
            from: a.membership_base,
            to: a.active_members,
            change,
        });
    }
}

/// A club's changes between two dates of one program year.
fn club_changes(before: Option<&ClubPoint>, after: Option<&ClubPoint>, out: &mut Vec<ClubChange>) {
    let Some(now) = after.or(before) else { return };
    let mut push = |change: Change| out.push(change_of(now, change));
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
    match (b.level, a.level) {
        (from, Some(to)) if from.is_none_or(|f| to > f) => push(Change::LevelReached {
            from,
            to,
            provisional: a.provisional,
        }),
        (Some(from), to) if to.is_none_or(|t| t < from) => push(Change::LevelDropped { from, to }),
        _ => {}
    }
    if let (Some(gb), Some(ga)) = (b.goals, a.goals) {
        let goals: Vec<u8> = (0..10)
            .filter(|i| ga[*i] && !gb[*i])
            .map(|i| i as u8 + 1)
            .collect();
        if !goals.is_empty() {
            push(Change::Goals { goals });
        }
    }
    let paid = |p: &ClubPoint| p.status.as_deref().map(|s| s == PAID);
    match (paid(b), paid(a)) {
        (Some(false), Some(true)) => push(Change::BecamePaid {
            from_status: b.status.clone(),
            to_status: a.status.clone(),
        }),
        (Some(true), Some(false)) => push(Change::BecameUnpaid {
            from_status: b.status.clone(),
            to_status: a.status.clone(),
        }),
        _ => {}
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
#[path = "changes_tests.rs"]
mod tests;
