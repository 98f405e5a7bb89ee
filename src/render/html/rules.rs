//! The recognition rules as the methodology page shows them, read from the rule tables of
//! `crate::recognition` (one source of truth: the template never repeats a threshold).
//! The visit deadlines, close-to-Distinguished limits and official months are constants
//! of the recognition modules, so the page cannot drift from what the build computes.

use super::club_cells::GOAL_NAMES;
use super::format::{int, signed, year_range};
use super::recognition::tier_name;
use super::words::level_word;
use crate::cache::footer::month_name;
use crate::recognition::club;
use crate::recognition::units::{self, Unit, VISIT_PCT, ceil_pct, targets};
use crate::recognition::{dcp, district, health, level};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct GoalRule {
    number: usize,
    name: &'static str,
    rule: String,
}

#[derive(Debug, Serialize)]
pub struct LevelRuleRow {
    level: &'static str,
    goals: String,
    membership: String,
}

#[derive(Debug, Serialize)]
pub struct LevelEraView {
    years: String,
    current: bool,
    csp_required: bool,
    has_growth_route: bool,
    rows: Vec<LevelRuleRow>,
}

#[derive(Debug, Serialize)]
pub struct Checkpoint {
    month: &'static str,
    goals: i64,
}

#[derive(Debug, Serialize)]
pub struct HealthRules {
    critical: i64,
    healthy: i64,
    growth: i64,
    /// July first: the program year's order.
    checkpoints: Vec<Checkpoint>,
}

#[derive(Debug, Serialize)]
pub struct TargetFormula {
    level: &'static str,
    paid: String,
    distinguished: String,
}

#[derive(Debug, Serialize)]
pub struct TargetExample {
    base: String,
    area: Vec<String>,
    division: Vec<String>,
    visits: String,
}

#[derive(Debug, Serialize)]
pub struct UnitRules {
    area: Vec<TargetFormula>,
    division: Vec<TargetFormula>,
    level_names: Vec<&'static str>,
    examples: Vec<TargetExample>,
    visit_pct: i64,
    round_1_due: String,
    round_2_due: String,
}

#[derive(Debug, Serialize)]
pub struct TierRow {
    tier: &'static str,
    payment_growth: String,
    club_growth: String,
    distinguished: String,
    net_clubs: String,
}

#[derive(Debug, Serialize)]
pub struct DistrictEraView {
    years: String,
    current: bool,
    prerequisites: Vec<&'static str>,
    tiers: Vec<TierRow>,
}

#[derive(Debug, Serialize)]
pub struct CloseRule {
    min_goals: i64,
    max_members: i64,
}

/// Every rule table of the methodology page.
#[derive(Debug, Serialize)]
pub struct Rules {
    goals: Vec<GoalRule>,
    officers_trained: i64,
    level_eras: Vec<LevelEraView>,
    /// The first program year whose level rules are encoded: `2020–2021`.
    level_from: String,
    /// The first program year that requires a Club Success Plan.
    csp_from: String,
    /// `April to June`: the months whose levels are TI's official codes.
    official_months: String,
    health: HealthRules,
    units: UnitRules,
    district_eras: Vec<DistrictEraView>,
    close: Option<CloseRule>,
}

/// `program year 2025–2026`, `program years 2020–2021 to 2024–2025`,
/// `program years from 2026–2027`.
fn era_years(from: i32, next_from: Option<i32>) -> String {
    let py = |y: i32| year_range(&format!("{y}-{}", y + 1));
    match next_from {
        Some(n) if n - 1 == from => format!("program year {}", py(from)),
        Some(n) => format!("program years {} to {}", py(from), py(n - 1)),
        None => format!("program years from {}", py(from)),
    }
}

fn py_label(from: i32) -> String {
    year_range(&format!("{from}-{}", from + 1))
}

fn goal_rules() -> Vec<GoalRule> {
    // What goals 1–8 count; their thresholds come from the rule table.
    const COUNTS: [&str; 8] = [
        "Level 1 awards",
        "Level 2 awards",
        "more Level 2 awards, beyond goal 2",
        "Level 3 awards",
        "Level 4, path completion or DTM award",
        "more Level 4, path completion or DTM award, beyond goal 5",
        "new members",
        "more new members, beyond goal 7",
    ];
    let mut out: Vec<GoalRule> = COUNTS
        .iter()
        .zip(dcp::AWARD_THRESHOLDS)
        .enumerate()
        .map(|(i, (what, n))| GoalRule {
            number: i + 1,
            name: GOAL_NAMES[i],
            rule: format!("at least {n} {what}"),
        })
        .collect();
    out.push(GoalRule {
        number: 9,
        name: GOAL_NAMES[8],
        rule: format!(
            "at least {} club officers trained in each of the two training rounds; a club chartered this program year needs the second round only",
            dcp::OFFICERS_TRAINED
        ),
    });
    out.push(GoalRule {
        number: 10,
        name: GOAL_NAMES[9],
        rule: "the officer list submitted on time, and membership dues paid on time for October or for April".into(),
    });
    out
}

fn level_eras(py_start: i32) -> Vec<LevelEraView> {
    let eras = level::LEVEL_ERAS;
    eras.iter()
        .enumerate()
        .map(|(i, e)| {
            let next = eras.get(i + 1).map(|n| n.from_year);
            LevelEraView {
                years: era_years(e.from_year, next),
                current: level::era(py_start).is_some_and(|c| std::ptr::eq(c, e)),
                csp_required: e.csp_required,
                has_growth_route: e.rules.iter().any(|r| r.growth.is_some()),
                rows: e
                    .rules
                    .iter()
                    .map(|r| LevelRuleRow {
                        level: level_word(r.level),
                        goals: if r.goals as usize == GOAL_NAMES.len() {
                            format!("all {}", r.goals)
                        } else {
                            format!("at least {}", r.goals)
                        },
                        membership: match r.growth {
                            Some(g) => format!(
                                "at least {} members, or net growth of {g} or more",
                                r.members
                            ),
                            None => format!("at least {} members", r.members),
                        },
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The calendar months in which levels are official (not provisional): `April to June`.
fn official_months() -> String {
    format!(
        "{} to {}",
        month_name(*level::OFFICIAL_MONTHS.start()),
        month_name(*level::OFFICIAL_MONTHS.end())
    )
}

fn health_rules() -> HealthRules {
    HealthRules {
        critical: health::CRITICAL_MEMBERS,
        healthy: health::HEALTHY_MEMBERS,
        growth: health::GROWTH_OVERRIDE,
        checkpoints: (7..=12)
            .chain(1..=6)
            .map(|m| Checkpoint {
                month: month_name(m),
                goals: health::checkpoint(m),
            })
            .collect(),
    }
}

/// ` + 1`, ` − 1` or nothing, after a base.
fn plus(k: i64) -> String {
    match k {
        0 => String::new(),
        k if k > 0 => format!(" + {k}"),
        k => format!(" \u{2212} {}", -k),
    }
}

/// The formula behind `targets(unit, base)`, read back from the function: a paid-club
/// target is `base + k`; a distinguished target is `⌈p % of base⌉ + k`, and bases 100
/// and 200 give p and k exactly.
fn formulas(unit: Unit) -> Vec<TargetFormula> {
    let (a, b) = (targets(unit, 100), targets(unit, 200));
    a.iter()
        .zip(b.iter())
        .map(|(x, y)| {
            let paid_k = x.paid_clubs - 100;
            let p = y.distinguished_clubs - x.distinguished_clubs;
            let k = 2 * x.distinguished_clubs - y.distinguished_clubs;
            TargetFormula {
                level: level_word(x.level),
                paid: format!("the club base{}", plus(paid_k)),
                distinguished: format!("⌈{p}% of the club base⌉{}", plus(k)),
            }
        })
        .collect()
}

fn day_month(d: Option<NaiveDate>) -> String {
    use chrono::Datelike;
    d.map_or("the end of the program year".into(), |d| {
        format!("{} {}", d.day(), month_name(d.month()))
    })
}

fn unit_rules(py_start: i32) -> UnitRules {
    let examples = [4, 5, 8, 18, 25]
        .into_iter()
        .map(|base| {
            let show = |t: [units::Target; 3]| {
                t.iter()
                    .map(|t| {
                        format!(
                            "{} paid, {} distinguished",
                            t.paid_clubs, t.distinguished_clubs
                        )
                    })
                    .collect()
            };
            TargetExample {
                base: int(base),
                area: show(targets(Unit::Area, base)),
                division: show(targets(Unit::Division, base)),
                visits: int(ceil_pct(base, VISIT_PCT)),
            }
        })
        .collect();
    UnitRules {
        area: formulas(Unit::Area),
        division: formulas(Unit::Division),
        level_names: targets(Unit::Area, 1)
            .iter()
            .map(|t| level_word(t.level))
            .collect(),
        examples,
        visit_pct: VISIT_PCT,
        round_1_due: day_month(units::visit_deadline(1, py_start)),
        round_2_due: day_month(units::visit_deadline(2, py_start)),
    }
}

/// `5`, `2.5`: a threshold without trailing zeros.
fn number(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn district_eras(py_start: i32) -> Vec<DistrictEraView> {
    let eras = district::DISTRICT_ERAS;
    let current = eras.iter().rev().find(|e| e.from_year <= py_start);
    eras.iter()
        .enumerate()
        .map(|(i, e)| DistrictEraView {
            years: era_years(e.from_year, eras.get(i + 1).map(|n| n.from_year)),
            current: current.is_some_and(|c| std::ptr::eq(c, e)),
            prerequisites: e.prerequisites.iter().map(|p| p.name()).collect(),
            tiers: e
                .tiers
                .iter()
                .map(|t| TierRow {
                    tier: tier_name(t.tier),
                    payment_growth: format!("at least {}%", number(t.payment_growth)),
                    club_growth: format!("at least {}%", number(t.club_growth)),
                    distinguished: format!("at least {}%", number(t.distinguished_pct)),
                    net_clubs: match t.net_clubs {
                        None => "no condition".into(),
                        Some(0) => "no net loss (at least 0)".into(),
                        Some(n) => format!("at least {}", signed(n)),
                    },
                })
                .collect(),
        })
        .collect()
}

/// The close-to-Distinguished limits of `recognition::club`.
fn close_rule() -> Option<CloseRule> {
    Some(CloseRule {
        min_goals: club::CLOSE_MIN_GOALS,
        max_members: club::CLOSE_MAX_MEMBERS_SHORT,
    })
}

pub fn rules(data_date: NaiveDate) -> Rules {
    let py_start = crate::cache::footer::program_year_start(data_date);
    Rules {
        goals: goal_rules(),
        officers_trained: dcp::OFFICERS_TRAINED,
        level_eras: level_eras(py_start),
        level_from: level::LEVEL_ERAS
            .first()
            .map_or(String::new(), |e| py_label(e.from_year)),
        csp_from: level::LEVEL_ERAS
            .iter()
            .find(|e| e.csp_required)
            .map_or(String::new(), |e| py_label(e.from_year)),
        official_months: official_months(),
        health: health_rules(),
        units: unit_rules(py_start),
        district_eras: district_eras(py_start),
        close: close_rule(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_reproduce_the_targets_for_every_base() {
        for unit in [Unit::Area, Unit::Division] {
            let (a, b) = (targets(unit, 100), targets(unit, 200));
            for base in 0..=80 {
                for (i, t) in targets(unit, base).iter().enumerate() {
                    let p = b[i].distinguished_clubs - a[i].distinguished_clubs;
                    let k = 2 * a[i].distinguished_clubs - b[i].distinguished_clubs;
                    assert_eq!(
                        t.distinguished_clubs,
                        ceil_pct(base, p) + k,
                        "{unit:?} {base}"
                    );
                    assert_eq!(
                        t.paid_clubs,
                        base + a[i].paid_clubs - 100,
                        "{unit:?} {base}"
                    );
                }
            }
        }
        let f = formulas(Unit::Division);
        assert_eq!(f[0].distinguished, "⌈45% of the club base⌉");
        assert_eq!(f[2].paid, "the club base + 2");
        assert_eq!(
            formulas(Unit::Area)[1].distinguished,
            "⌈50% of the club base⌉ + 1"
        );
    }

    #[test]
    fn literals_read_back_from_the_rules() {
        assert_eq!(official_months(), "April to June");
        assert_eq!(day_month(units::visit_deadline(1, 2025)), "30 November");
        assert_eq!(day_month(units::visit_deadline(2, 2025)), "31 May");
        let c = close_rule().unwrap();
        assert_eq!((c.min_goals, c.max_members), (3, 3));
        assert_eq!(health_rules().checkpoints[0].month, "July");
    }

    #[test]
    fn level_eras_read_from_the_table() {
        let eras = level_eras(2025);
        assert_eq!(
            eras[0].years,
            "program years 2014\u{2013}2015 to 2021\u{2013}2022"
        );
        assert_eq!(
            eras[1].years,
            "program years 2022\u{2013}2023 to 2024\u{2013}2025"
        );
        assert_eq!(eras[2].years, "program years from 2025\u{2013}2026");
        assert_eq!(
            district_eras(2025)[0].years,
            "program year 2025\u{2013}2026"
        );
        assert!(eras[2].current && !eras[1].current && !eras[0].current);
        assert_eq!(eras[2].rows[0].level, "Smedley");
        assert_eq!(eras[2].rows[0].goals, "all 10");
        assert_eq!(
            eras[0].rows[2].membership, "at least 20 members, or net growth of 5 or more",
            "the growth route was 5 until 2021-22"
        );
        assert_eq!(
            eras[2].rows[2].membership,
            "at least 20 members, or net growth of 5 or more"
        );
        assert_eq!(
            district_eras(2025)[0].tiers[3].net_clubs,
            "no net loss (at least 0)"
        );
    }
}
