//! What a district's leaders must do, club by club (issue 22): one line per step, naming
//! the club, who acts, the concrete step and its deadline, sorted by deadline. The district
//! page, its division and area pages, the actions CSV and `actions.json` all read this one
//! list. Each rule reads the recognition rule it comes from (the deadlines table, the
//! visit rounds, club health, the level rules, the officer-training count), so an action
//! never disagrees with the figure it is about.
//!
//! Which steps are due when is our reading of TI's calendar, stated per kind below; a kind
//! the snapshot's reports cannot decide (visits without the division report, renewals
//! without the district report) is listed as unknown with its reason, never as "nothing
//! to do".

use super::club::{CLOSE_MAX_MEMBERS_SHORT, Context};
use super::deadlines::{Deadline, program_year};
use super::health::{HEALTHY_MEMBERS, HealthStatus};
use super::{dcp::OFFICERS_TRAINED, units::visit_deadline};
use crate::model::Club;
use crate::validate::District;
use chrono::{Days, NaiveDate};
use serde::Serialize;

/// A kind of action, in the order lines of the same deadline are listed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// The Club Success Plan is not submitted (2025-26 on; a club without it cannot be
    /// distinguished).
    CspMissing,
    /// The club has no visit report in the current visit round.
    VisitNeeded,
    /// The club's members have not renewed for the next dues deadline.
    DuesRenewal,
    /// Fewer than four officers trained in the training window now open (DCP goal 9).
    OfficerTraining,
    /// Club health says intervention required (under 12 members without growth of 3).
    Intervention,
    /// Fewer members than charter strength (20), intervention aside.
    BelowCharterStrength,
    /// One or two goals and a few members from its next level.
    CloseToNextLevel,
}

impl ActionKind {
    pub const ALL: [ActionKind; 7] = [
        ActionKind::CspMissing,
        ActionKind::VisitNeeded,
        ActionKind::DuesRenewal,
        ActionKind::OfficerTraining,
        ActionKind::Intervention,
        ActionKind::BelowCharterStrength,
        ActionKind::CloseToNextLevel,
    ];

    /// The kind in words, for headings and the CSV.
    pub fn words(self) -> &'static str {
        match self {
            ActionKind::CspMissing => "Club Success Plan not submitted",
            ActionKind::VisitNeeded => "Club visit still needed",
            ActionKind::DuesRenewal => "Dues renewal due",
            ActionKind::OfficerTraining => "Officer training missing",
            ActionKind::Intervention => "Club needs intervention",
            ActionKind::BelowCharterStrength => "Below charter strength",
            ActionKind::CloseToNextLevel => "Close to the next level",
        }
    }
}

/// One step one leader must take for one club.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Action {
    pub kind: ActionKind,
    pub club_number: String,
    pub club_name: String,
    pub division: String,
    pub area: String,
    /// Who acts: `area director`, `club president`, `club treasurer`, `club vice
    /// president membership`.
    pub who: &'static str,
    /// The step, in one sentence without the club's name.
    pub step: String,
    /// The last day the step counts for.
    #[schemars(with = "String")]
    pub due: NaiveDate,
    /// The deadline has passed and the step is still open (TI may still accept it late).
    pub overdue: bool,
}

/// A kind of action the snapshot cannot decide, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct UnknownKind {
    pub kind: ActionKind,
    pub reason: &'static str,
}

/// A district's actions on one date.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ActionList {
    /// Sorted by deadline, then kind, division, area and club number.
    pub actions: Vec<Action>,
    pub unknown: Vec<UnknownKind>,
}

impl ActionList {
    /// The actions of one division, or of one area of it.
    pub fn of_unit<'a>(
        &'a self,
        division: &'a str,
        area: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Action> + 'a {
        self.actions
            .iter()
            .filter(move |a| a.division == division && area.is_none_or(|x| a.area == x))
    }

    /// How many actions of each kind, in [`ActionKind::ALL`] order, kinds with none left out.
    pub fn counts<'a>(actions: impl Iterator<Item = &'a Action>) -> Vec<(ActionKind, usize)> {
        let mut n = [0usize; ActionKind::ALL.len()];
        for a in actions {
            n[a.kind as usize] += 1;
        }
        ActionKind::ALL
            .into_iter()
            .zip(n)
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// A new club has this many days from its charter for its Club Success Plan (TI's DCP
/// page, as in the deadlines table's entry for the plan).
const CSP_DAYS_AFTER_CHARTER: u64 = 90;

/// Dues reminders start this many days before a renewal deadline and run until this many
/// days after it (our choice: a treasurer needs a month's notice, and TI takes renewals
/// late until it suspends the club at the end of the following month).
const DUES_NOTICE_DAYS: u64 = 61;
const DUES_LATE_DAYS: u64 = 30;

/// The thresholds the rules use, for the methodology page (read from the constants, so
/// the page never states another number than the rule applies).
#[derive(Debug, Serialize)]
pub struct Thresholds {
    pub csp_days_after_charter: u64,
    pub dues_notice_days: u64,
    pub dues_late_days: u64,
    pub officers_trained: i64,
    pub charter_strength: i64,
    pub close_goals: i64,
    pub close_members: i64,
}

pub fn thresholds() -> Thresholds {
    Thresholds {
        csp_days_after_charter: CSP_DAYS_AFTER_CHARTER,
        dues_notice_days: DUES_NOTICE_DAYS,
        dues_late_days: DUES_LATE_DAYS,
        officers_trained: OFFICERS_TRAINED,
        charter_strength: HEALTHY_MEMBERS,
        close_goals: CLOSE_GOALS,
        close_members: CLOSE_MAX_MEMBERS_SHORT,
    }
}

/// A club this many goals (or fewer) from its next level is close to it.
const CLOSE_GOALS: i64 = 2;

/// The actions of `d` on `data_date`.
pub fn district(d: &District, data_date: NaiveDate) -> ActionList {
    let ctx = Context::new(data_date);
    let year = program_year(ctx.py_start);
    let find = |kind: &str| year.iter().find(|e| e.kind == kind);
    let mut actions = Vec::new();
    for c in d.clubs.iter().filter(|c| !c.is_suspended()) {
        let mut push = |kind, who, step: String, due: NaiveDate| {
            actions.push(Action {
                kind,
                club_number: c.club_number.clone(),
                club_name: c.club_name.trim().to_string(),
                division: c.division_id.clone(),
                area: c.area_id.clone(),
                who,
                step,
                due,
                overdue: data_date > due,
            });
        };
        if let Some((step, due)) = csp(c, find("club-success-plan"), &ctx) {
            push(ActionKind::CspMissing, "club president", step, due);
        }
        if let Some((step, due)) = visit(c, data_date, ctx.py_start) {
            push(ActionKind::VisitNeeded, "area director", step, due);
        }
        for e in ["dues-october", "dues-april"]
            .iter()
            .filter_map(|k| find(k))
        {
            if let Some((step, due)) = dues(c, e, data_date) {
                push(ActionKind::DuesRenewal, "club treasurer", step, due);
            }
        }
        for (e, round) in [("officer-training-1", 1), ("officer-training-2", 2)] {
            if let Some((step, due)) = find(e).and_then(|e| training(c, e, round, data_date)) {
                push(ActionKind::OfficerTraining, "club president", step, due);
            }
        }
        let renewal = next_renewal(&year, data_date);
        if let Some((kind, who, step)) = membership(c) {
            push(kind, who, step, renewal);
        }
        if let Some((step, due)) = close(c, find("program-year-end")) {
            push(ActionKind::CloseToNextLevel, "club president", step, due);
        }
    }
    actions.sort_by(|a, b| {
        (a.due, a.kind, &a.division, &a.area, &a.club_number).cmp(&(
            b.due,
            b.kind,
            &b.division,
            &b.area,
            &b.club_number,
        ))
    });
    let mut unknown = Vec::new();
    if !d.has_division_report {
        unknown.push(UnknownKind {
            kind: ActionKind::VisitNeeded,
            reason: "TI's division report is not in this snapshot",
        });
    }
    if !d.has_payments {
        unknown.push(UnknownKind {
            kind: ActionKind::DuesRenewal,
            reason: "TI's district report is not in this snapshot",
        });
    }
    ActionList { actions, unknown }
}

/// CSP: from the plan's first program year, a club whose CSP cell says not submitted, due
/// 30 September, or 90 days after a charter of this program year.
fn csp(c: &Club, rule: Option<&Deadline>, ctx: &Context) -> Option<(String, NaiveDate)> {
    let rule = rule?;
    if c.csp != Some(false) {
        return None;
    }
    let chartered_after = c
        .charter_date
        .filter(|d| crate::cache::footer::program_year_start(*d) == ctx.py_start)
        .and_then(|d| d.checked_add_days(Days::new(CSP_DAYS_AFTER_CHARTER)));
    let due = chartered_after.map_or(rule.start, |d| d.max(rule.start));
    Some(("Submit the Club Success Plan in Club Central.".into(), due))
}

/// Visits: the round whose deadline is the first not yet passed; a club without that
/// round's visit award needs a visit (the division report's 0/1 flag, DOMAIN.md §2.4).
fn visit(c: &Club, data_date: NaiveDate, py_start: i32) -> Option<(String, NaiveDate)> {
    let v = c.visits.as_ref()?;
    let (round, due) = (1..=2)
        .filter_map(|r| visit_deadline(r, py_start).map(|d| (r, d)))
        .find(|(_, d)| data_date <= *d)?;
    let done = if round == 1 {
        v.nov_visit_award
    } else {
        v.may_visit_award
    };
    (done == 0).then(|| {
        (
            format!("Visit the club; file the round {round} visit report."),
            due,
        )
    })
}

/// Dues: from two months before a renewal deadline to a month after it, a club of which
/// no member has renewed for that deadline yet (the district report's counts).
fn dues(c: &Club, rule: &Deadline, data_date: NaiveDate) -> Option<(String, NaiveDate)> {
    let p = c.payments.as_ref()?;
    let due = rule.start;
    let opens = due.checked_sub_days(Days::new(DUES_NOTICE_DAYS))?;
    let closes = due.checked_add_days(Days::new(DUES_LATE_DAYS))?;
    if !(opens..=closes).contains(&data_date) {
        return None;
    }
    let renewed = if rule.kind == "dues-october" {
        p.october_renewals
    } else {
        p.april_renewals
    };
    (renewed == 0).then(|| {
        (
            "Pay the members' renewal dues: TI has received none yet.".into(),
            due,
        )
    })
}

/// Officer training: while a training window is open, a club with fewer than four
/// officers trained in it (goal 9 needs four in each round).
fn training(
    c: &Club,
    window: &Deadline,
    round: u8,
    data_date: NaiveDate,
) -> Option<(String, NaiveDate)> {
    if !(window.start..=window.end).contains(&data_date) {
        return None;
    }
    let g = &c.goal_columns;
    let trained = if round == 1 {
        g.officers_trained_round_1
    } else {
        g.officers_trained_round_2
    };
    let more = OFFICERS_TRAINED - trained;
    (more > 0).then(|| {
        (
            format!(
                "Train {more} more {} in round {round} ({trained} of {OFFICERS_TRAINED} so far).",
                if more == 1 { "officer" } else { "officers" }
            ),
            window.end,
        )
    })
}

/// Intervention or fewer members than charter strength: due by the next renewal
/// deadline, when members who do not renew leave the club's count.
fn membership(c: &Club) -> Option<(ActionKind, &'static str, String)> {
    if !c.is_paid() {
        return None;
    }
    let h = c.health.as_ref()?;
    if h.status == HealthStatus::InterventionRequired {
        return Some((
            ActionKind::Intervention,
            "area director",
            format!(
                "Agree a plan to grow with the officers ({} members, net growth {}).",
                c.active_members,
                // a minus sign, not a hyphen, as on every page
                match c.net_growth {
                    0 => "0".to_string(),
                    n if n < 0 => format!("\u{2212}{}", -n),
                    n => format!("+{n}"),
                }
            ),
        ));
    }
    // charter strength is the 20 members club health counts as healthy
    let short = HEALTHY_MEMBERS - c.active_members;
    (short > 0).then(|| {
        (
            ActionKind::BelowCharterStrength,
            "club vice president membership",
            format!(
                "Find {short} more {} to reach charter strength ({} now).",
                if short == 1 { "member" } else { "members" },
                c.active_members
            ),
        )
    })
}

/// The next renewal deadline after `data_date` (1 October, 1 April), else the year's end.
fn next_renewal(year: &[Deadline], data_date: NaiveDate) -> NaiveDate {
    let due = |kind: &str| {
        year.iter()
            .find(|e| e.kind == kind)
            .map(|e| e.start)
            .filter(|d| *d >= data_date)
    };
    due("dues-october")
        .or_else(|| due("dues-april"))
        .or_else(|| due("program-year-end"))
        .unwrap_or(data_date)
}

/// Close: a club whose next level needs at most two goals and at most the "close to
/// Distinguished" members, due at the year's end, when levels are decided.
fn close(c: &Club, end: Option<&Deadline>) -> Option<(String, NaiveDate)> {
    let n = c.dcp.as_ref()?.next_level.as_ref()?;
    let due = end?.start;
    if n.goals_needed > CLOSE_GOALS || n.members_needed > CLOSE_MAX_MEMBERS_SHORT {
        return None;
    }
    let mut parts = Vec::new();
    if n.goals_needed > 0 {
        parts.push(count(n.goals_needed, "more goal", "more goals"));
    }
    if n.members_needed > 0 {
        parts.push(count(n.members_needed, "more member", "more members"));
    }
    // a club that lacks only its plan has the CSP action already
    if parts.is_empty() {
        return None;
    }
    if n.csp_needed {
        parts.push("the Club Success Plan".to_string());
    }
    let last = parts.pop().unwrap_or_default();
    let all = match parts.is_empty() {
        true => last,
        false => format!("{} and {last}", parts.join(", ")),
    };
    Some((format!("{all} for {}.", n.level.name()), due))
}

fn count(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
#[path = "actions_tests.rs"]
mod tests;
