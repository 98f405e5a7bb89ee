//! One date of the sample, derived from the world: each club's members, status, awards,
//! training, DCP goals (by [`crate::recognition::dcp`]), club level, payments and visits
//! (`eval_club`), then each area's and division's paid and distinguished clubs and visits
//! with their Distinguished Area/Division words.

use super::calendar::{APRIL, Ctx, py_index, short_date};
use super::club::{Club, Fate, charter_pay};
use super::world::District;
use crate::model::GoalColumns;
use crate::model::Level;
use crate::recognition::units::{self, Unit};
use crate::recognition::{dcp, level};

// ---------------------------------------------------------------- one club on one date

pub(super) struct Eval {
    pub(super) club: usize,
    pub(super) members: i64,
    pub(super) status: &'static str,
    pub(super) csp: bool,
    pub(super) goals: i64,
    /// Level 1s, Level 2s, Add., Level 3s, Level 4s…, Add., New Members, Add.
    pub(super) aw: [i64; 8],
    pub(super) train: [i64; 2],
    pub(super) dues: [i64; 2],
    pub(super) list: i64,
    pub(super) code: &'static str,
    /// New, Late Ren., Oct. Ren., Apr. Ren., Total Chart.
    pub(super) pay: [i64; 5],
    /// October Renewals, April Renewals, Nov Visit award, May Visit award.
    pub(super) div: [i64; 4],
    pub(super) charter_cell: String,
}

fn eval_club(club: usize, c: &Club, ctx: &Ctx) -> Option<Eval> {
    let (k, day, pm) = (&c.core, ctx.day, ctx.pm);
    let start = k.charter.unwrap_or(0);
    if start > day {
        return None;
    }
    let suspended = k.suspended(day);
    let members = k.members(day);
    let status = match k.fate {
        _ if suspended => "Suspended",
        Fate::Ineligible => "Ineligible",
        Fate::Low | Fate::Suspended if members <= 7 => "Low",
        _ => "Active",
    };
    // Awards grow towards the year-end totals (frozen at a suspension); TI reports Level 2s,
    // Level 4s and new members up to the goal threshold and the rest under "Add.".
    let grown = (k.susp.map_or(day, |s| day.min(s)) - start).max(0);
    let t = c.finals.map(|f| f * (grown * c.speed).min(36_500) / 36_500);
    let split = |v: i64, cap: i64| [v.min(cap), v - v.min(cap)];
    let ([l2, al2], [l4, al4], [nm, anm]) = (split(t[1], 2), split(t[3], 1), split(t[4], 4));
    let aw = [t[0], l2, al2, t[2], l4, al4, nm, anm];
    let r1 = c.train[0] / (1 + i64::from(pm == 0));
    let r2 = c.train[1] * [0, 0, 0, 0, 2, 4, 5, 6, 6, 6, 6, 6][pm as usize] / 6;
    let dues = [pm >= 3 && c.flags[0], pm >= APRIL && c.flags[1]].map(i64::from);
    let train = [r1, r2];
    // The project's DCP rule; every club of the sample was chartered this program year or
    // before it started, so a charter day means "chartered this year" (goal 9 on round 2).
    let cols = goal_columns(&aw, train, dues, c.list);
    let goals = dcp::goals_met(&cols, k.charter.is_some()).expect("PY 2025-26 columns decide");
    let csp = c.csp_day.is_some_and(|d| d <= day);
    let code = if pm >= APRIL {
        club_code(ctx.py, goals, members, members - k.base, csp)
    } else {
        ""
    };
    let share = |v: i64, tenths: [i64; 12]| v * tenths[pm as usize] / 10;
    let pay = [
        t[4],
        c.renewals[2] * i64::from(pm >= 4),
        share(c.renewals[0], [0, 2, 6, 10, 10, 10, 10, 10, 10, 10, 10, 10]),
        share(c.renewals[1], [0, 0, 0, 0, 0, 0, 0, 0, 4, 8, 10, 10]),
        charter_pay(c),
    ];
    let nov_due = pm >= 5 || (pm == 4 && k.wob & 1 == 0);
    let (april, f) = (pm >= APRIL, &c.flags);
    let div = [
        pm >= 3 && f[2],
        april && f[3],
        nov_due && f[4],
        april && f[5],
    ]
    .map(i64::from);
    let cell_date = |d| short_date(ctx.py, d);
    let susp = k.susp.filter(|_| suspended).map(cell_date);
    let charter_cell = match (k.charter.map(cell_date), susp) {
        (Some(ch), Some(s)) => format!("Charter {ch} Susp {s}"),
        (Some(ch), None) => format!("Charter {ch}"),
        (None, Some(s)) => format!(" Susp {s}"),
        (None, None) => String::new(),
    };
    let list = c.list;
    Some(Eval {
        club,
        members,
        status,
        csp,
        goals,
        aw,
        train,
        dues,
        list,
        code,
        pay,
        div,
        charter_cell,
    })
}

/// The goal columns of a club row, as the club reports of PY 2025-26 and 2026-27 carry them.
fn goal_columns(aw: &[i64; 8], train: [i64; 2], dues: [i64; 2], list: i64) -> GoalColumns {
    GoalColumns {
        level_1s: aw[0],
        level_2s: aw[1],
        add_level_2s: aw[2],
        level_3s: aw[3],
        level_4s_path_dtm: Some(aw[4]),
        add_level_4s_path_dtm: Some(aw[5]),
        new_members: aw[6],
        add_new_members: aw[7],
        officers_trained_round_1: train[0],
        officers_trained_round_2: train[1],
        dues_on_time_oct: Some(dues[0]),
        dues_on_time_apr: Some(dues[1]),
        officer_list_on_time: list,
        ..GoalColumns::default()
    }
}

/// TI's code for a club, by the project's level rule for program year `py`.
fn club_code(py: i32, goals: i64, members: i64, net: i64, csp: bool) -> &'static str {
    let era = level::era(py).expect("the sample's program years have level rules");
    let standing = level::Standing {
        goals,
        members,
        net_growth: net,
        csp: Some(csp),
    };
    level::level(era, &standing).map_or("", Level::code)
}

// ---------------------------------------------------------------- one district on one date

#[derive(Default, Clone, Copy)]
pub(super) struct Agg {
    pub(super) paid: i64,
    pub(super) dist: i64,
    pub(super) nov: i64,
    pub(super) may: i64,
}

pub(super) struct DistrictDay<'a> {
    pub(super) d: &'a District,
    /// Index of the program year of the data (into the district's per-year figures).
    pub(super) y: usize,
    /// Day of the data within its program year.
    pub(super) day: i64,
    pub(super) pm: i64,
    pub(super) evals: Vec<Eval>,
    pub(super) areas: Vec<Agg>,
    pub(super) divs: Vec<Agg>,
}

pub(super) fn evaluate<'a>(d: &'a District, ctx: &Ctx) -> DistrictDay<'a> {
    let y = py_index(ctx.py);
    let clubs = &d.clubs[y];
    let mut evals: Vec<Eval> = clubs
        .iter()
        .enumerate()
        .filter_map(|(i, c)| eval_club(i, c, ctx))
        .collect();
    // TI lists clubs by division and area; a club that moved is listed in its new area.
    evals.sort_by_key(|e| (clubs[e.club].core.area_on(ctx.day), &clubs[e.club].number));
    let mut areas = vec![Agg::default(); d.areas.len()];
    let mut divs = vec![Agg::default(); d.divisions.len()];
    for e in &evals {
        let a = clubs[e.club].core.area_on(ctx.day);
        for agg in [&mut areas[a], &mut divs[d.areas[a].div]] {
            agg.paid += i64::from(e.status == "Active");
            agg.dist += i64::from(!e.code.is_empty());
            agg.nov += e.div[2];
            agg.may += e.div[3];
        }
    }
    DistrictDay {
        d,
        y,
        day: ctx.day,
        pm: ctx.pm,
        evals,
        areas,
        divs,
    }
}

/// ⌈base × pct / 100⌉ in integers.
/// Distinguished Area words (§5.6), by the project's targets, with the ⌈75 %⌉ visit rule
/// in both rounds (the sample's April data already has both rounds complete).
pub(super) fn area_word(pm: i64, base: i64, a: Agg) -> &'static str {
    let visits = units::ceil_pct(base, units::VISIT_PCT);
    if pm < APRIL || base == 0 || a.nov < visits || a.may < visits {
        return "";
    }
    unit_word(units::targets(Unit::Area, base), a)
}

/// The highest level whose paid and distinguished targets `a` meets, in TI's words.
fn unit_word(targets: [units::Target; 3], a: Agg) -> &'static str {
    targets
        .iter()
        .rev()
        .find(|t| a.paid >= t.paid_clubs && a.dist >= t.distinguished_clubs)
        .map_or("", |t| t.level.name())
}

/// Distinguished Division words (§5.6), no visit condition.
pub(super) fn division_word(pm: i64, base: i64, a: Agg) -> &'static str {
    if pm < APRIL || base == 0 {
        return "";
    }
    unit_word(units::targets(Unit::Division, base), a)
}
