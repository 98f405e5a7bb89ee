//! One club's recognition: our DCP goal count, level, provisional flag and next-level needs
//! (with the era's rules), its health, and whether each agrees with TI's own figures.

use super::{dcp, health, level};
use crate::model::{Club, Level};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// Everything a club's recognition depends on besides the club itself.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub data_date: NaiveDate,
    pub py_start: i32,
}

impl Context {
    pub fn new(data_date: NaiveDate) -> Context {
        Context {
            data_date,
            py_start: crate::cache::footer::program_year_start(data_date),
        }
    }

    fn py_start_date(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.py_start, 7, 1).unwrap_or(self.data_date)
    }
}

/// The confirmed (renewal-based) level of a provisional club.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Confirmed {
    /// False without the district report, which alone carries April renewals.
    pub known: bool,
    pub level: Option<Level>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ClubDcp {
    /// The ten goals, in TI's order; `None` where the era's columns cannot decide them.
    pub goals: Option<[bool; 10]>,
    /// Our count (TI's own count stays in the club's `goals_met`).
    pub goals_met: Option<i64>,
    /// Our level on the club's current figures ("on track"): `D`, `S`, `P`, `M` or null.
    pub level: Option<Level>,
    /// True when `level` is a projection (DOMAIN.md §5.3): before April, and not also
    /// reached with confirmed figures (April renewals). Never from April, and never without
    /// a level (a year without level rules has no level, not a provisional one).
    pub provisional: bool,
    /// Before April: the level reached with April renewals in place of members
    /// (DOMAIN.md §5.3). Absent from April on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<Confirmed>,
    pub next_level: Option<level::Needs>,
    /// Our goal count equals TI's `Goals Met` (`None` when we cannot count).
    pub goals_agree_with_ti: Option<bool>,
    /// Our level equals TI's code (`None` before April, when TI shows no code).
    pub level_agrees_with_ti: Option<bool>,
}

/// Whether the club was chartered in the data's program year; `None` when no report with
/// the charter cell is in the cache.
fn chartered_this_year(club: &Club, ctx: &Context) -> Option<bool> {
    if club.payments.is_none() && club.visits.is_none() {
        return None;
    }
    Some(club.charter_date.is_some_and(|d| d >= ctx.py_start_date()))
}

/// Our goals. Where the charter date is unknown, goal 9's new-club exception cannot be
/// decided from our data; TI's own count then chooses between the two readings.
fn our_goals(club: &Club, ctx: &Context) -> Option<[bool; 10]> {
    match chartered_this_year(club, ctx) {
        Some(new) => dcp::goals(&club.goal_columns, new),
        None => {
            let old = dcp::goals(&club.goal_columns, false)?;
            let new = dcp::goals(&club.goal_columns, true)?;
            let count = |g: &[bool; 10]| g.iter().filter(|m| **m).count() as i64;
            Some(
                if count(&new) == club.goals_met && count(&old) != club.goals_met {
                    new
                } else {
                    old
                },
            )
        }
    }
}

pub fn assess(club: &Club, ctx: &Context) -> ClubDcp {
    let goals = our_goals(club, ctx);
    let goals_met = goals.map(|g| g.iter().filter(|m| **m).count() as i64);
    let Some(era) = level::era(ctx.py_start) else {
        return ClubDcp {
            goals,
            goals_met,
            level: None,
            provisional: false,
            confirmed: None,
            next_level: None,
            goals_agree_with_ti: goals_met.map(|g| g == club.goals_met),
            level_agrees_with_ti: None,
        };
    };
    let standing = level::Standing {
        goals: goals_met.unwrap_or(club.goals_met),
        members: club.active_members,
        net_growth: club.net_growth,
        csp: club.csp,
    };
    let ours = level::level(era, &standing);
    let before_april = level::is_provisional_month(ctx.data_date.month());
    let confirmed = before_april.then(|| {
        let c = level::confirmed_level(
            era,
            &standing,
            club.payments.as_ref().map(|p| p.april_renewals),
            club.membership_base,
        );
        Confirmed {
            known: c.is_some(),
            level: c.flatten(),
        }
    });
    // a level already reached on April renewals is confirmed, not provisional
    let provisional =
        before_april && ours.is_some() && confirmed.is_none_or(|c| !c.known || c.level < ours);
    ClubDcp {
        goals,
        goals_met,
        level: ours,
        provisional,
        confirmed,
        next_level: level::next_level(era, ours, &standing),
        goals_agree_with_ti: goals_met.map(|g| g == club.goals_met),
        level_agrees_with_ti: (!before_april).then_some(ours == club.distinguished_status),
    }
}

impl ClubDcp {
    /// The level the club has reached with confirmed figures ("reached"): from April its
    /// level; before April the level reached on April renewals, never above the current
    /// one. Outer `None` = unknown (before April without the district report).
    pub fn reached(&self) -> Option<Option<Level>> {
        match self.confirmed {
            None => Some(self.level),
            Some(c) if c.known => Some(c.level.min(self.level)),
            Some(_) => None,
        }
    }
}

/// Health from our goal count (TI's where we cannot count).
pub fn club_health(club: &Club, dcp: &ClubDcp, ctx: &Context) -> health::Health {
    health::classify(
        club.active_members,
        club.net_growth,
        dcp.goals_met.unwrap_or(club.goals_met),
        club.csp,
        ctx.data_date.month(),
    )
}

/// Close to Distinguished needs at least this many goals ...
pub const CLOSE_MIN_GOALS: i64 = 3;
/// ... and at most this many members (or net growth) short of Distinguished.
pub const CLOSE_MAX_MEMBERS_SHORT: i64 = 3;

/// Close to Distinguished (DOMAIN.md §5.9): no level yet, at most 3 members short of
/// Distinguished, at least 3 goals, CSP submitted or unknown.
pub fn close_to_distinguished(club: &Club, dcp: &ClubDcp, ctx: &Context) -> bool {
    let Some(era) = level::era(ctx.py_start) else {
        return false;
    };
    if dcp.level.is_some() || club.csp == Some(false) {
        return false;
    }
    let goals = dcp.goals_met.unwrap_or(club.goals_met);
    let standing = level::Standing {
        goals,
        members: club.active_members,
        net_growth: club.net_growth,
        csp: club.csp,
    };
    goals >= CLOSE_MIN_GOALS
        && level::needs_for(era, Level::D, &standing)
            .is_some_and(|n| n.members_needed <= CLOSE_MAX_MEMBERS_SHORT)
}
