//! Typed records read from the exports: a club (joined from the three per-district
//! reports), TI's area and division recognition figures, and a summary row per district.
//! Field names are the JSON API's names; `None` means unknown, never zero.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A distinguished level, TI's one-letter codes.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub enum Level {
    /// Distinguished
    D,
    /// Select Distinguished
    S,
    /// President's Distinguished
    P,
    /// Smedley Distinguished (from 2025-26)
    M,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::D, Level::S, Level::P, Level::M];

    /// Letters first, words as a fallback (DOMAIN.md §7.25). Blank is `Ok(None)`.
    pub fn parse(text: &str) -> Result<Option<Level>, UnknownCode> {
        let t = text.trim().to_lowercase().replace('\u{2019}', "'");
        Ok(Some(match t.as_str() {
            "" => return Ok(None),
            "d" | "distinguished" => Level::D,
            "s" | "select distinguished" | "select" => Level::S,
            "p" | "president's distinguished" | "presidents distinguished" | "president's" => {
                Level::P
            }
            "m" | "smedley distinguished" | "smedley" => Level::M,
            _ => return Err(UnknownCode),
        }))
    }

    /// TI's one-letter code.
    pub fn code(self) -> &'static str {
        match self {
            Level::D => "D",
            Level::S => "S",
            Level::P => "P",
            Level::M => "M",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Level::D => "Distinguished",
            Level::S => "Select Distinguished",
            Level::P => "President's Distinguished",
            Level::M => "Smedley Distinguished",
        }
    }
}

/// A distinguished-status cell that is neither a known code nor a known word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownCode;

/// Counts per distinguished level, serialized as `{"D":..,"S":..,"P":..,"M":..}`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct LevelCounts {
    #[serde(rename = "D")]
    pub d: i64,
    #[serde(rename = "S")]
    pub s: i64,
    #[serde(rename = "P")]
    pub p: i64,
    #[serde(rename = "M")]
    pub m: i64,
}

impl LevelCounts {
    pub fn add(&mut self, level: Level) {
        match level {
            Level::D => self.d += 1,
            Level::S => self.s += 1,
            Level::P => self.p += 1,
            Level::M => self.m += 1,
        }
    }

    pub fn total(&self) -> i64 {
        self.d + self.s + self.p + self.m
    }
}

/// One club: the club report's row with the district and division reports joined on the
/// club number. Every CSV field is here, typed.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Club {
    #[serde(skip)]
    pub line: u64,
    /// As TI pads it (`00003045`).
    pub club_number: String,
    /// As TI typed it, odd whitespace included.
    pub club_name: String,
    pub district_id: String,
    pub division_id: String,
    pub area_id: String,
    /// `Active`, `Low`, `Suspended`, `Ineligible`; `None` when blank (unknown).
    pub status: Option<String>,
    /// Club Success Plan submitted; `None` before 2025-26 (no column) or blank.
    pub csp: Option<bool>,
    pub membership_base: i64,
    pub active_members: i64,
    /// TI's `Net Growth` where the export has it, else `active_members - membership_base`.
    pub net_growth: i64,
    /// TI's own count of DCP goals met.
    pub goals_met: i64,
    /// TI's own code; blank before April.
    pub distinguished_status: Option<Level>,
    pub goal_columns: GoalColumns,
    /// From district-performance.csv; `None` without that report.
    pub payments: Option<ClubPayments>,
    /// From division-performance.csv; `None` without that report.
    pub visits: Option<ClubVisits>,
    /// From the `Charter Date/Suspend Date` cell of the district or division report.
    pub charter_date: Option<NaiveDate>,
    pub suspend_date: Option<NaiveDate>,
    /// Columns the era table does not know, by header, as text.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
    /// Our DCP reading (filled by `recognition::assess`).
    pub dcp: Option<crate::recognition::club::ClubDcp>,
    pub health: Option<crate::recognition::health::Health>,
}

/// The club status of a paid club (DOMAIN.md §5.4).
pub const PAID_STATUS: &str = "Active";
/// The club status of a suspended club: it meets no more, so no leader visits or trains it.
pub const SUSPENDED_STATUS: &str = "Suspended";

impl Club {
    /// Paid club = status exactly `Active` (DOMAIN.md §5.4).
    pub fn is_paid(&self) -> bool {
        self.status.as_deref() == Some(PAID_STATUS)
    }

    pub fn is_suspended(&self) -> bool {
        self.status.as_deref() == Some(SUSPENDED_STATUS)
    }

    /// Education awards earned this program year: every level and path-completion column
    /// of the club report (the "Add." columns count awards beyond the first, so they are
    /// awards too). Columns an era lacks add nothing.
    pub fn education_awards(&self) -> i64 {
        let g = &self.goal_columns;
        g.level_1s
            + g.level_2s
            + g.add_level_2s
            + g.level_3s
            + [
                g.level_4s_path_dtm,
                g.add_level_4s_path_dtm,
                g.level_4s,
                g.level_5s,
                g.ccs,
                g.add_ccs,
                g.acs,
                g.add_acs,
                g.cl_al_dtms,
                g.add_cl_al_dtms,
            ]
            .into_iter()
            .flatten()
            .sum::<i64>()
    }
}

/// The award, training and administration columns behind the ten DCP goals. Columns an
/// era lacks are `None` (and omitted from JSON for the older, pre-Pathways ones).
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct GoalColumns {
    pub level_1s: i64,
    /// `Level 2s` (`Level 2s or EOM` from 2026-27).
    pub level_2s: i64,
    pub add_level_2s: i64,
    pub level_3s: i64,
    /// Goal 5 column: `Level 4s, Path Completions, or DTM Awards` (named differently by era).
    pub level_4s_path_dtm: Option<i64>,
    pub add_level_4s_path_dtm: Option<i64>,
    pub new_members: i64,
    pub add_new_members: i64,
    pub officers_trained_round_1: i64,
    pub officers_trained_round_2: i64,
    pub dues_on_time_oct: Option<i64>,
    pub dues_on_time_apr: Option<i64>,
    /// Single combined column of some older years.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dues_on_time_oct_apr: Option<i64>,
    pub officer_list_on_time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_4s: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_5s: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ccs: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add_ccs: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acs: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add_acs: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cl_al_dtms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add_cl_al_dtms: Option<i64>,
}

/// Payment counts of one club (district-performance.csv).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ClubPayments {
    pub new: i64,
    pub late_renewals: i64,
    pub october_renewals: i64,
    pub april_renewals: i64,
    pub total_renewals: i64,
    pub charter: i64,
    pub total_to_date: i64,
}

/// Club-level cells of division-performance.csv.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ClubVisits {
    /// 0/1 flags, not counts (DOMAIN.md §2.4).
    pub october_renewed: i64,
    pub april_renewed: i64,
    pub nov_visit_award: i64,
    pub may_visit_award: i64,
}

/// TI's own area or division figures from division-performance.csv, repeated on each
/// club row of the area or division.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RecognitionReport {
    pub club_base: i64,
    pub paid_club_goals: [i64; 3],
    pub paid_clubs: i64,
    pub distinguished_club_goals: [i64; 3],
    pub distinguished_clubs: i64,
    /// TI's words: `Distinguished`, `Select Distinguished`, `President's Distinguished`.
    pub status: Option<String>,
}

/// One row of all-districts.csv.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SummaryRow {
    #[serde(skip)]
    pub line: u64,
    pub district_id: String,
    pub region: String,
    pub dsp: Option<bool>,
    pub training: Option<bool>,
    pub market_analysis: Option<bool>,
    pub communication_plan: Option<bool>,
    pub region_advisor_visit: Option<bool>,
    pub new_payments: i64,
    pub april_payments: i64,
    pub october_payments: i64,
    pub late_payments: i64,
    pub charter_payments: i64,
    pub total_payments: i64,
    pub payment_base: i64,
    pub payment_growth_pct: Option<f64>,
    pub paid_club_base: i64,
    pub paid_clubs: i64,
    pub club_growth_pct: Option<f64>,
    pub active_clubs: i64,
    pub distinguished_clubs_base_tier: i64,
    pub select_distinguished_clubs: i64,
    pub presidents_distinguished_clubs: i64,
    pub smedley_distinguished_clubs: Option<i64>,
    pub distinguished_clubs: i64,
    /// TI's own `% Distinguished Clubs`.
    pub ti_distinguished_pct: Option<f64>,
}

/// Orders district ids as TI people expect: numeric ids by value, then lettered ids.
pub fn district_sort_key(id: &str) -> (u8, u64, String) {
    match id.parse::<u64>() {
        Ok(n) => (0, n, id.to_string()),
        Err(_) => (1, 0, id.to_string()),
    }
}

/// District ids compare numerically where numeric (`02` = `2`), verbatim otherwise.
pub fn same_district(a: &str, b: &str) -> bool {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a.eq_ignore_ascii_case(b),
    }
}

/// Division and area codes as TI writes them (`A`, `01`, `0D`); the `Division A` and
/// `Area 12` spellings some tools write are reduced to the code.
pub fn unit_code(text: &str) -> &str {
    let t = text.trim();
    for prefix in ["Division ", "Area ", "Div "] {
        if let Some(rest) = t.strip_prefix(prefix) {
            return rest.trim();
        }
    }
    t
}

/// TI's division code of new clubs not yet assigned to a division and area (DOMAIN.md
/// §2.6 item 23: division `0D`, area `0A`).
pub const UNASSIGNED_DIVISION: &str = "0D";

/// Whether `division` is TI's holding of unassigned new clubs.
pub fn is_unassigned_division(division: &str) -> bool {
    unit_code(division).eq_ignore_ascii_case(UNASSIGNED_DIVISION)
}

/// TI writes club numbers zero-padded to this many digits in every per-district report.
pub const CLUB_NUMBER_DIGITS: usize = 8;

/// Join key of a club number: leading zeros stripped, but never to nothing.
pub fn club_key(number: &str) -> &str {
    let t = number.trim();
    let stripped = t.trim_start_matches('0');
    if stripped.is_empty() { t } else { stripped }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn club_keys() {
        assert_eq!(club_key("00009905"), "9905");
        assert_eq!(club_key("9905"), "9905");
        assert_eq!(club_key("0000"), "0000");
        assert_eq!(club_key("0100"), "100");
    }

    #[test]
    fn identifiers() {
        assert!(same_district("02", "2"));
        assert!(same_district("F", "F"));
        assert!(!same_district("F", "U"));
        assert_eq!(unit_code("Division A"), "A");
        assert_eq!(unit_code(" Area 12"), "12");
        assert_eq!(unit_code("0D"), "0D");
    }

    #[test]
    fn district_order() {
        let mut ids = vec!["F", "42", "09", "U", "02", "128"];
        ids.sort_by_key(|i| district_sort_key(i));
        assert_eq!(ids, ["02", "09", "42", "128", "F", "U"]);
    }

    #[test]
    fn level_codes_and_words() {
        assert_eq!(Level::parse("S"), Ok(Some(Level::S)));
        assert_eq!(
            Level::parse("President's Distinguished"),
            Ok(Some(Level::P))
        );
        assert_eq!(Level::parse(" "), Ok(None));
        assert_eq!(Level::parse("H"), Err(UnknownCode));
    }
}
