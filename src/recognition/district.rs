//! District recognition tiers (Distinguished District Program, DOMAIN.md §5.7) from the
//! all-districts summary: five prerequisites, then growth and distinguished-club tiers
//! checked from the top. Unknown prerequisites or eras give an unknown tier, not "none".

use crate::model::SummaryRow;
use crate::rank::distinguished_pct;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub enum Tier {
    Distinguished,
    Select,
    Presidents,
    Smedley,
}

/// One tier's thresholds. Percentages are TI's growth figures and distinguished clubs
/// over the paid club base.
#[derive(Debug, Clone, Copy)]
pub struct TierRule {
    pub tier: Tier,
    pub payment_growth: f64,
    pub club_growth: f64,
    pub distinguished_pct: f64,
    /// Minimum `Paid Clubs − Paid Club Base`, where the tier has one.
    pub net_clubs: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Prerequisite {
    Dsp,
    Training,
    MarketAnalysis,
    CommunicationPlan,
    RegionAdvisorVisit,
}

impl Prerequisite {
    pub fn name(self) -> &'static str {
        match self {
            Prerequisite::Dsp => "District Success Plan",
            Prerequisite::Training => "85% of division and area directors trained",
            Prerequisite::MarketAnalysis => "Market analysis plan",
            Prerequisite::CommunicationPlan => "Communication plan",
            Prerequisite::RegionAdvisorVisit => "Region advisor visits",
        }
    }

    fn value(self, r: &SummaryRow) -> Option<bool> {
        match self {
            Prerequisite::Dsp => r.dsp,
            Prerequisite::Training => r.training,
            Prerequisite::MarketAnalysis => r.market_analysis,
            Prerequisite::CommunicationPlan => r.communication_plan,
            Prerequisite::RegionAdvisorVisit => r.region_advisor_visit,
        }
    }
}

#[derive(Debug)]
pub struct DistrictEra {
    pub from_year: i32,
    pub prerequisites: &'static [Prerequisite],
    /// Highest tier first.
    pub tiers: &'static [TierRule],
}

const TIERS_2025: &[TierRule] = &[
    TierRule {
        tier: Tier::Smedley,
        payment_growth: 8.0,
        club_growth: 8.0,
        distinguished_pct: 60.0,
        net_clubs: None,
    },
    TierRule {
        tier: Tier::Presidents,
        payment_growth: 5.0,
        club_growth: 5.0,
        distinguished_pct: 55.0,
        net_clubs: None,
    },
    TierRule {
        tier: Tier::Select,
        payment_growth: 3.0,
        club_growth: 3.0,
        distinguished_pct: 50.0,
        net_clubs: Some(1),
    },
    TierRule {
        tier: Tier::Distinguished,
        payment_growth: 1.0,
        club_growth: 1.0,
        distinguished_pct: 45.0,
        net_clubs: Some(0),
    },
];

/// TI item 1490 rev. 04/2025. Before 2025-26 the rules differ and are not encoded. For
/// 2026-27 TI dropped the `Region Advisor Visit` column; we assume the prerequisite went
/// with it and keep the 2025-26 thresholds until TI publishes otherwise.
pub static DISTRICT_ERAS: &[DistrictEra] = &[
    DistrictEra {
        from_year: 2025,
        prerequisites: &[
            Prerequisite::Dsp,
            Prerequisite::Training,
            Prerequisite::MarketAnalysis,
            Prerequisite::CommunicationPlan,
            Prerequisite::RegionAdvisorVisit,
        ],
        tiers: TIERS_2025,
    },
    DistrictEra {
        from_year: 2026,
        prerequisites: &[
            Prerequisite::Dsp,
            Prerequisite::Training,
            Prerequisite::MarketAnalysis,
            Prerequisite::CommunicationPlan,
        ],
        tiers: TIERS_2025,
    },
];

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Gap {
    pub tier: Tier,
    pub payment_growth: f64,
    pub club_growth: f64,
    pub distinguished_pct: f64,
    pub net_clubs: i64,
    /// The same gap as counts (issue 22): payments, paid clubs (for club growth and net
    /// clubs together) and distinguished clubs still needed, 0 where the measure is met.
    pub more_payments: i64,
    pub more_paid_clubs: i64,
    pub more_distinguished_clubs: i64,
}

/// The fewest `n` whose share of `base`, in percent, is at least `pct`: ⌈pct × base / 100⌉,
/// with a hair of slack so a percentage that is exact in decimal (3.00) is not rounded up
/// by its binary form.
fn at_least_pct(base: i64, pct: f64) -> i64 {
    ((pct * base as f64) / 100.0 - 1e-9).ceil() as i64
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DistrictRecognition {
    /// Tier reached; null when none is reached or it cannot be decided.
    pub tier: Option<Tier>,
    pub determined: bool,
    /// Why the tier cannot be decided, when it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown_reason: Option<String>,
    pub prerequisites_unmet: Vec<Prerequisite>,
    pub prerequisites_unknown: Vec<Prerequisite>,
    pub payment_growth_pct: Option<f64>,
    pub club_growth_pct: Option<f64>,
    pub distinguished_pct: Option<f64>,
    pub net_clubs: i64,
    /// Shortfall per measure for the next tier up (none at Smedley).
    pub gap_to_next: Option<Gap>,
}

pub fn assess(row: &SummaryRow, py_start: i32) -> DistrictRecognition {
    let pay = row.payment_growth_pct;
    let club = row.club_growth_pct;
    let dist = distinguished_pct(row.distinguished_clubs, row.paid_club_base);
    let net = row.paid_clubs - row.paid_club_base;
    let mut out = DistrictRecognition {
        tier: None,
        determined: false,
        unknown_reason: None,
        prerequisites_unmet: Vec::new(),
        prerequisites_unknown: Vec::new(),
        payment_growth_pct: pay,
        club_growth_pct: club,
        distinguished_pct: dist,
        net_clubs: net,
        gap_to_next: None,
    };
    let Some(era) = DISTRICT_ERAS.iter().rev().find(|e| e.from_year <= py_start) else {
        out.unknown_reason = Some(format!(
            "district recognition rules before {}-{} are not encoded",
            DISTRICT_ERAS[0].from_year,
            DISTRICT_ERAS[0].from_year + 1
        ));
        return out;
    };
    for p in era.prerequisites {
        match p.value(row) {
            Some(true) => {}
            Some(false) => out.prerequisites_unmet.push(*p),
            None => out.prerequisites_unknown.push(*p),
        }
    }
    let (Some(pay), Some(club), Some(dist)) = (pay, club, dist) else {
        out.unknown_reason =
            Some("a growth or distinguished percentage is not available (N/A or zero base)".into());
        return out;
    };
    let meets = |t: &TierRule| {
        pay >= t.payment_growth
            && club >= t.club_growth
            && dist >= t.distinguished_pct
            && t.net_clubs.is_none_or(|n| net >= n)
    };
    let by_measures = era.tiers.iter().find(|t| meets(t)).map(|t| t.tier);
    out.determined = true;
    if by_measures.is_some() {
        if !out.prerequisites_unmet.is_empty() {
            out.tier = None;
        } else if !out.prerequisites_unknown.is_empty() {
            out.determined = false;
            out.unknown_reason = Some("a prerequisite column is missing from the summary".into());
        } else {
            out.tier = by_measures;
        }
    }
    let reached = by_measures.filter(|_| out.prerequisites_unmet.is_empty());
    let next = era
        .tiers
        .iter()
        .rev()
        .find(|t| reached.is_none_or(|r| position(era, t.tier) < position(era, r)));
    out.gap_to_next = next.map(|t| {
        let net_clubs = t.net_clubs.map_or(0, |n| (n - net).max(0));
        let for_growth =
            row.paid_club_base + at_least_pct(row.paid_club_base, t.club_growth) - row.paid_clubs;
        Gap {
            tier: t.tier,
            payment_growth: round2((t.payment_growth - pay).max(0.0)),
            club_growth: round2((t.club_growth - club).max(0.0)),
            distinguished_pct: round2((t.distinguished_pct - dist).max(0.0)),
            net_clubs,
            more_payments: (row.payment_base + at_least_pct(row.payment_base, t.payment_growth)
                - row.total_payments)
                .max(0),
            more_paid_clubs: for_growth.max(net_clubs).max(0),
            more_distinguished_clubs: (at_least_pct(row.paid_club_base, t.distinguished_pct)
                - row.distinguished_clubs)
                .max(0),
        }
    });
    out
}

/// Index in the era's list: 0 is the highest tier.
fn position(era: &DistrictEra, tier: Tier) -> usize {
    era.tiers
        .iter()
        .position(|t| t.tier == tier)
        .unwrap_or(usize::MAX)
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pay: f64, club: f64, dist: i64, base: i64, paid: i64) -> SummaryRow {
        let mut r = crate::rank::tests_support::row("61", club, pay, dist, base);
        r.paid_clubs = paid;
        for f in [
            &mut r.dsp,
            &mut r.training,
            &mut r.market_analysis,
            &mut r.communication_plan,
            &mut r.region_advisor_visit,
        ] {
            *f = Some(true);
        }
        r
    }

    #[test]
    fn domain_example_is_select_with_gaps_to_presidents() {
        // payments +3.2 %, clubs +3.5 %, distinguished 51 %, net clubs +2 → Select
        let r = assess(&row(3.2, 3.5, 51, 100, 102), 2025);
        assert_eq!(r.tier, Some(Tier::Select));
        let g = r.gap_to_next.unwrap();
        assert_eq!(
            (
                g.tier,
                g.payment_growth,
                g.club_growth,
                g.distinguished_pct,
                g.net_clubs
            ),
            (Tier::Presidents, 1.8, 1.5, 4.0, 0)
        );
    }

    #[test]
    fn gap_as_counts() {
        // Select → President's (2025-26): payments +5 %, clubs +5 %, 55 % distinguished
        let mut r = row(3.2, 4.0, 51, 100, 104);
        (r.payment_base, r.total_payments) = (1000, 1032);
        let g = assess(&r, 2025).gap_to_next.unwrap();
        assert_eq!(g.tier, Tier::Presidents);
        assert_eq!(
            (
                g.more_payments,
                g.more_paid_clubs,
                g.more_distinguished_clubs
            ),
            (18, 1, 4)
        );
        // a base whose percentage is not a whole club rounds up: 5 % of 61 is 3.05 clubs
        assert_eq!(at_least_pct(61, 5.0), 4);
        assert_eq!(at_least_pct(100, 3.0), 3);
        assert_eq!(at_least_pct(0, 3.0), 0);
    }

    #[test]
    fn prerequisites_unmet_or_unknown() {
        let mut r = row(9.0, 9.0, 70, 100, 110);
        r.dsp = Some(false);
        let a = assess(&r, 2025);
        assert_eq!((a.tier, a.determined), (None, true));
        assert_eq!(a.prerequisites_unmet, [Prerequisite::Dsp]);
        r.dsp = Some(true);
        r.region_advisor_visit = None;
        let a = assess(&r, 2025);
        assert_eq!((a.tier, a.determined), (None, false));
        assert_eq!(
            assess(&r, 2026).tier,
            Some(Tier::Smedley),
            "2026-27 has no region advisor column"
        );
        assert!(!assess(&r, 2024).determined, "older rules are not encoded");
    }

    #[test]
    fn thresholds_at_and_below() {
        assert_eq!(
            assess(&row(1.0, 1.0, 45, 100, 100), 2025).tier,
            Some(Tier::Distinguished)
        );
        assert_eq!(assess(&row(1.0, 1.0, 44, 100, 100), 2025).tier, None);
        assert_eq!(
            assess(&row(3.0, 3.0, 50, 100, 100), 2025).tier,
            Some(Tier::Distinguished),
            "Select needs +1 net club"
        );
        assert_eq!(assess(&row(0.99, 5.0, 60, 100, 105), 2025).tier, None);
    }
}
