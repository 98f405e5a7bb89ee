//! The per-date digest: the part of one computed date that history needs (district and
//! division totals, ranking points, every club's figures and level), small enough to keep
//! for every date of the cache. A digest is made only from a [`DateModel`], the same
//! computation a single-date build presents.

use crate::compute::DateModel;
use crate::model::Level;
use crate::stats::Totals;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What history keeps of one data date (the district-level part).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateDigest {
    pub data_date: NaiveDate,
    pub collection_date: NaiveDate,
    pub as_of_date: Option<NaiveDate>,
    pub program_year: String,
    pub closing: bool,
    /// Every ranked district of the date's summary; `None` without a summary.
    pub rankings: Option<Vec<RankPoint>>,
    pub districts: Vec<DistrictDigest>,
    /// Districts whose files were present but invalid on this date, with the first error.
    pub failed: Vec<(String, String)>,
}

/// One district's ranking on one date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RankPoint {
    pub district_id: String,
    pub overall_rank: u32,
    pub borda_points: u32,
    pub club_growth_pct: Option<f64>,
    pub payment_growth_pct: Option<f64>,
    pub distinguished_pct: Option<f64>,
}

/// One built district on one date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistrictDigest {
    pub district_id: String,
    /// The district's own as-of stamp (archived downloads carry their download date).
    pub as_of_date: Option<NaiveDate>,
    pub totals: Totals,
    pub divisions: Vec<DivisionPoint>,
    /// Our level of every club that has one: enough to date when a level was first reached
    /// without keeping every club of every date in memory.
    pub levels: BTreeMap<String, Level>,
    /// Our goals and levels against TI's own figures on this date: history dates are
    /// checked against TI's codes as the presented date is (one warning per date).
    pub parity: crate::recognition::assess::Parity,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DivisionPoint {
    pub division_id: String,
    pub totals: Totals,
}

/// Every club of every built district on one date (the larger, club-level part).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClubsDigest {
    pub districts: BTreeMap<String, Vec<ClubPoint>>,
}

/// One club on one date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClubPoint {
    pub club_number: String,
    pub club_name: String,
    pub district_id: String,
    pub division_id: String,
    pub area_id: String,
    pub status: Option<String>,
    pub membership_base: i64,
    pub active_members: i64,
    /// Our DCP goals (TI's order); `None` where the era's columns cannot decide them.
    pub goals: Option<[bool; 10]>,
    /// Our goal count, and TI's own.
    pub goals_met: Option<i64>,
    pub ti_goals_met: i64,
    /// Our level (a projection before April, see `provisional`) and TI's code.
    pub level: Option<Level>,
    pub ti_level: Option<Level>,
    pub provisional: bool,
    pub charter_date: Option<NaiveDate>,
    pub suspend_date: Option<NaiveDate>,
}

impl DateDigest {
    /// True when the data date is the last calendar day of its month.
    pub fn month_end(&self) -> bool {
        is_month_end(self.data_date)
    }

    pub fn district(&self, id: &str) -> Option<&DistrictDigest> {
        self.districts.iter().find(|d| d.district_id == id)
    }

    pub fn rank(&self, id: &str) -> Option<&RankPoint> {
        self.rankings.as_ref()?.iter().find(|r| r.district_id == id)
    }

    /// `YYYY-MM` of the data.
    pub fn data_month(&self) -> (i32, u32) {
        (self.data_date.year(), self.data_date.month())
    }
}

pub fn is_month_end(date: NaiveDate) -> bool {
    date.succ_opt()
        .is_none_or(|next| next.month() != date.month())
}

/// The digest of a computed date: its district-level part and its club-level part.
pub fn of(model: &DateModel) -> (DateDigest, ClubsDigest) {
    let dated = &model.dated;
    let mut clubs = ClubsDigest::default();
    let districts = model
        .districts
        .iter()
        .map(|b| {
            let d = &b.district;
            let points: Vec<ClubPoint> = d
                .clubs
                .iter()
                .map(|c| {
                    let dcp = c.dcp.as_ref();
                    ClubPoint {
                        club_number: c.club_number.clone(),
                        club_name: c.club_name.clone(),
                        district_id: c.district_id.clone(),
                        division_id: c.division_id.clone(),
                        area_id: c.area_id.clone(),
                        status: c.status.clone(),
                        membership_base: c.membership_base,
                        active_members: c.active_members,
                        goals: dcp.and_then(|p| p.goals),
                        goals_met: dcp.and_then(|p| p.goals_met),
                        ti_goals_met: c.goals_met,
                        level: dcp.and_then(|p| p.level),
                        ti_level: c.distinguished_status,
                        provisional: dcp.is_some_and(|p| p.provisional),
                        charter_date: c.charter_date,
                        suspend_date: c.suspend_date,
                    }
                })
                .collect();
            let levels = points
                .iter()
                .filter_map(|p| p.level.map(|l| (p.club_number.clone(), l)))
                .collect();
            clubs.districts.insert(d.id.clone(), points);
            DistrictDigest {
                district_id: d.id.clone(),
                as_of_date: d.as_of_date.or(dated.as_of_date),
                totals: b.stats.totals.clone(),
                divisions: b
                    .stats
                    .divisions
                    .iter()
                    .map(|v| DivisionPoint {
                        division_id: v.division_id.clone(),
                        totals: v.totals.clone(),
                    })
                    .collect(),
                levels,
                parity: b.recognition.parity,
            }
        })
        .collect();
    let digest = DateDigest {
        data_date: dated.period.data_date,
        collection_date: dated.collection_date,
        as_of_date: dated.as_of_date,
        program_year: model.program_year.clone(),
        closing: dated.period.closing,
        rankings: model.rankings.as_ref().ok().map(|rows| {
            rows.iter()
                .map(|r| RankPoint {
                    district_id: r.district_id.clone(),
                    overall_rank: r.overall_rank,
                    borda_points: r.borda_points,
                    club_growth_pct: r.club_growth_pct,
                    payment_growth_pct: r.payment_growth_pct,
                    distinguished_pct: r.distinguished_pct,
                })
                .collect()
        }),
        districts,
        failed: model
            .failed
            .iter()
            .map(|(id, errors)| {
                (
                    id.clone(),
                    errors.first().map(|e| e.to_string()).unwrap_or_default(),
                )
            })
            .collect(),
    };
    (digest, clubs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_ends_include_leap_days() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(is_month_end(d("2024-02-29")));
        assert!(!is_month_end(d("2024-02-28")));
        assert!(is_month_end(d("2025-02-28")));
        assert!(is_month_end(d("2025-12-31")));
        assert!(!is_month_end(d("2025-12-30")));
    }
}
