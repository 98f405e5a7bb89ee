//! Club distinguished levels by program year (DOMAIN.md §5.2–§5.3, §5.9): the era table of
//! goal and membership thresholds, the CSP gate from 2025-26, the provisional (pre-April)
//! reading confirmed with April renewals, and what a club still needs for the next level.

use crate::model::Level;
use serde::Serialize;

/// One level's conditions: goals, and members or (where the era allows) net growth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelRule {
    pub level: Level,
    pub goals: i64,
    pub members: i64,
    /// Net growth that substitutes for the membership threshold; `None` = no growth route.
    pub growth: Option<i64>,
}

/// The rules of one range of program years.
#[derive(Debug)]
pub struct LevelEra {
    /// First program year (start year) the era applies to.
    pub from_year: i32,
    /// Highest level first: the first rule met wins.
    pub rules: &'static [LevelRule],
    /// From 2025-26 a club without a submitted Club Success Plan gets no level.
    pub csp_required: bool,
}

const fn rule(level: Level, goals: i64, members: i64, growth: Option<i64>) -> LevelRule {
    LevelRule {
        level,
        goals,
        members,
        growth,
    }
}

/// Every era, oldest first. PY 2026-27 has no published codes yet (they appear from April);
/// it is assumed to keep the 2025-26 rules (DOMAIN.md §5.2).
///
/// The growth route was net growth ≥ 5 until 2021-22 and ≥ 3 from 2022-23: TI's own codes
/// in District 91's monthly club data (`realdata/rorygraves__tm_data/.../club_data_91.csv`)
/// are reproduced by these rules on every April–June club-month from 2014-15 to 2023-24
/// (`tests/it/eras.rs`); with ≥ 3 before 2022-23, 26 club-months get a level TI did not
/// give. Before 2014-15 no club data has been checked, so no level is computed.
pub static LEVEL_ERAS: &[LevelEra] = &[
    LevelEra {
        from_year: 2014,
        rules: &[
            rule(Level::P, 9, 20, Some(5)),
            rule(Level::S, 7, 20, Some(5)),
            rule(Level::D, 5, 20, Some(5)),
        ],
        csp_required: false,
    },
    LevelEra {
        from_year: 2022,
        rules: &[
            rule(Level::P, 9, 20, Some(3)),
            rule(Level::S, 7, 20, Some(3)),
            rule(Level::D, 5, 20, Some(3)),
        ],
        csp_required: false,
    },
    LevelEra {
        from_year: 2025,
        rules: &[
            rule(Level::M, 10, 25, None),
            rule(Level::P, 9, 20, None),
            rule(Level::S, 7, 20, Some(5)),
            rule(Level::D, 5, 20, Some(3)),
        ],
        csp_required: true,
    },
];

/// The era of the program year starting in `py_start`; `None` before 2014-15, whose rules
/// no real data has confirmed (no level is computed for those years).
pub fn era(py_start: i32) -> Option<&'static LevelEra> {
    LEVEL_ERAS.iter().rev().find(|e| e.from_year <= py_start)
}

/// Whether clubs can reach `level` in the program year starting in `py_start`: Smedley
/// Distinguished exists from 2025-26 (before 2014-15, whose rules are not encoded, the
/// three older levels).
pub fn level_exists(py_start: i32, level: Level) -> bool {
    era(py_start).map_or(level != Level::M, |e| {
        e.rules.iter().any(|r| r.level == level)
    })
}

/// The figures a level is decided on.
#[derive(Debug, Clone, Copy)]
pub struct Standing {
    pub goals: i64,
    pub members: i64,
    pub net_growth: i64,
    /// `None` where the export has no CSP column (before 2025-26) or the cell is blank.
    pub csp: Option<bool>,
}

fn meets(rule: &LevelRule, s: &Standing) -> bool {
    s.goals >= rule.goals
        && (s.members >= rule.members || rule.growth.is_some_and(|g| s.net_growth >= g))
}

/// The highest level `s` reaches under `era`, or `None`. A club whose CSP is not `Y` gets
/// no level where the era requires it; an absent CSP column cannot occur in those eras.
pub fn level(era: &LevelEra, s: &Standing) -> Option<Level> {
    if era.csp_required && s.csp != Some(true) {
        return None;
    }
    era.rules.iter().find(|r| meets(r, s)).map(|r| r.level)
}

/// What a club still needs for a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Needs {
    pub level: Level,
    pub goals_needed: i64,
    /// The fewer of the members needed and the net growth needed (where growth counts).
    pub members_needed: i64,
    /// True when the level also needs a Club Success Plan that is not submitted.
    pub csp_needed: bool,
}

/// Needs for one level (DOMAIN.md §5.9).
pub fn needs_for(era: &LevelEra, level: Level, s: &Standing) -> Option<Needs> {
    let rule = era.rules.iter().find(|r| r.level == level)?;
    let by_members = (rule.members - s.members).max(0);
    let members_needed = match rule.growth {
        Some(g) => by_members.min((g - s.net_growth).max(0)),
        None => by_members,
    };
    Some(Needs {
        level,
        goals_needed: (rule.goals - s.goals).max(0),
        members_needed,
        csp_needed: era.csp_required && s.csp != Some(true),
    })
}

/// Needs for the lowest level above `current` (none at the top level).
pub fn next_level(era: &LevelEra, current: Option<Level>, s: &Standing) -> Option<Needs> {
    let next = era
        .rules
        .iter()
        .rev()
        .find(|r| current.is_none_or(|c| r.level > c))?;
    needs_for(era, next.level, s)
}

/// A club is provisional before April: TI has published no code, and the figures can
/// still fall. Calendar month of the data date, 4..=6 is official (DOMAIN.md §5.3).
pub fn is_provisional_month(month: u32) -> bool {
    !OFFICIAL_MONTHS.contains(&month)
}

/// Calendar months in which TI publishes distinguished codes: levels are official.
pub const OFFICIAL_MONTHS: std::ops::RangeInclusive<u32> = 4..=6;

/// The level reached with confirmed figures: April renewals in place of members
/// (DOMAIN.md §5.3). `None` inside `Some` = no level; outer `None` = unknown (no
/// district report, so no renewal counts).
pub fn confirmed_level(
    era: &LevelEra,
    s: &Standing,
    april_renewals: Option<i64>,
    membership_base: i64,
) -> Option<Option<Level>> {
    let renewals = april_renewals?;
    let confirmed = Standing {
        members: renewals,
        net_growth: renewals - membership_base,
        ..*s
    };
    Some(level(era, &confirmed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(goals: i64, members: i64, net_growth: i64, csp: Option<bool>) -> Standing {
        Standing {
            goals,
            members,
            net_growth,
            csp,
        }
    }

    #[test]
    fn era_switches_with_program_year() {
        assert!(era(2013).is_none());
        assert_eq!(
            era(2021).unwrap().rules[2].growth,
            Some(5),
            "≥ 5 until 2021-22"
        );
        assert_eq!(
            era(2022).unwrap().rules[2].growth,
            Some(3),
            "≥ 3 from 2022-23"
        );
        assert!(!era(2024).unwrap().csp_required);
        assert!(era(2025).unwrap().csp_required);
        assert!(
            era(2026).unwrap().csp_required,
            "2026-27 keeps the 2025-26 rules"
        );
    }

    #[test]
    fn older_rules_thresholds_at_and_one_below() {
        let e = era(2024).unwrap();
        assert_eq!(level(e, &st(5, 20, 0, None)), Some(Level::D));
        assert_eq!(level(e, &st(4, 20, 0, None)), None);
        assert_eq!(level(e, &st(5, 19, 2, None)), None);
        assert_eq!(
            level(e, &st(5, 10, 3, None)),
            Some(Level::D),
            "growth route"
        );
        assert_eq!(level(e, &st(7, 12, 3, None)), Some(Level::S));
        assert_eq!(
            level(e, &st(9, 12, 3, None)),
            Some(Level::P),
            "P had a growth route"
        );
        assert_eq!(
            level(e, &st(10, 30, 0, None)),
            Some(Level::P),
            "no Smedley before 2025-26"
        );
    }

    #[test]
    fn rules_from_2025_26() {
        let e = era(2025).unwrap();
        let y = Some(true);
        assert_eq!(level(e, &st(10, 25, 0, y)), Some(Level::M));
        assert_eq!(
            level(e, &st(10, 24, 9, y)),
            Some(Level::P),
            "Smedley has no growth route"
        );
        assert_eq!(level(e, &st(9, 20, 0, y)), Some(Level::P));
        assert_eq!(
            level(e, &st(9, 19, 9, y)),
            Some(Level::S),
            "President's has no growth route"
        );
        assert_eq!(level(e, &st(7, 12, 5, y)), Some(Level::S));
        assert_eq!(
            level(e, &st(7, 12, 4, y)),
            Some(Level::D),
            "Select needs growth 5"
        );
        assert_eq!(level(e, &st(5, 12, 3, y)), Some(Level::D));
        assert_eq!(level(e, &st(5, 12, 2, y)), None);
    }

    #[test]
    fn csp_gate_from_2025_26() {
        let e = era(2025).unwrap();
        assert_eq!(
            level(e, &st(7, 12, 4, Some(false))),
            None,
            "DOMAIN sample club: 7 goals, +4, CSP N"
        );
        assert_eq!(level(e, &st(7, 30, 4, None)), None);
    }

    #[test]
    fn next_level_needs() {
        let e = era(2025).unwrap();
        let s = st(4, 16, 4, Some(true));
        let n = next_level(e, None, &s).unwrap();
        assert_eq!(
            (n.level, n.goals_needed, n.members_needed),
            (Level::D, 1, 0)
        );
        let n = next_level(e, Some(Level::D), &st(6, 16, 4, Some(true))).unwrap();
        assert_eq!(
            (n.level, n.goals_needed, n.members_needed),
            (Level::S, 1, 1)
        );
        let n = next_level(e, Some(Level::S), &st(8, 16, 4, Some(true))).unwrap();
        assert_eq!(
            (n.level, n.goals_needed, n.members_needed),
            (Level::P, 1, 4)
        );
        assert!(next_level(e, Some(Level::M), &s).is_none());
        assert!(
            next_level(e, None, &st(5, 20, 0, Some(false)))
                .unwrap()
                .csp_needed
        );
    }

    #[test]
    fn april_boundary_and_confirmed_level() {
        assert!(is_provisional_month(3));
        assert!(!is_provisional_month(4));
        assert!(!is_provisional_month(6));
        assert!(is_provisional_month(7));
        let e = era(2025).unwrap();
        // DOMAIN §5.5 worked example: 16 members, base 12, 5 goals, CSP Y; no April renewals
        let s = st(5, 16, 4, Some(true));
        assert_eq!(level(e, &s), Some(Level::D));
        assert_eq!(confirmed_level(e, &s, Some(0), 12), Some(None));
        assert_eq!(confirmed_level(e, &s, Some(20), 12), Some(Some(Level::D)));
        assert_eq!(
            confirmed_level(e, &s, None, 12),
            None,
            "unknown without the district report"
        );
    }
}
