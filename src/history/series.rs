//! A district's series (`api/v1/districts/<id>/history.json`): one point per data date with
//! its totals and ranking, division totals at each month's last date, and year over year.

use super::digest::{DateDigest, DivisionPoint};
use super::{Timeline, month_lasts};
use crate::cache::footer::program_year_start;
use crate::stats::Totals;
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

/// How far from the same day last year a cached date may be to stand in for it.
pub const YEAR_OVER_YEAR_WINDOW_DAYS: i64 = 7;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DistrictHistory {
    pub district_id: String,
    pub points: Vec<HistoryPoint>,
    /// Division totals on the last data date of every month.
    pub division_totals: Vec<DivisionTotalsAt>,
    pub year_over_year: YearOverYear,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct HistoryPoint {
    pub data_date: NaiveDate,
    pub collection_date: NaiveDate,
    pub as_of_date: Option<NaiveDate>,
    pub program_year: String,
    pub closing: bool,
    /// The data date is the last day of its month.
    pub month_end: bool,
    pub totals: Totals,
    /// `None` when the date has no summary to rank from.
    pub ranking: Option<RankRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RankRef {
    pub overall_rank: u32,
    pub borda_points: u32,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DivisionTotalsAt {
    pub data_date: NaiveDate,
    pub divisions: Vec<DivisionPoint>,
}

/// The district's newest date against the same day of the previous program year.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct YearOverYear {
    pub data_date: Option<NaiveDate>,
    /// The same day one year earlier.
    pub target_date: Option<NaiveDate>,
    /// The cached date used for it (within the window), or `None` with `reason`.
    pub compared_date: Option<NaiveDate>,
    pub reason: Option<String>,
    pub paid_clubs: Comparison,
    pub active_members: Comparison,
    pub payments: Comparison,
    pub distinguished_clubs: Comparison,
    /// The previous program year's final (June) figures, when cached.
    pub last_year_final: Option<Headline>,
}

/// Now, then and the change; `None` where a side is unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Comparison {
    pub now: Option<i64>,
    pub then: Option<i64>,
    pub change: Option<i64>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Headline {
    pub data_date: NaiveDate,
    pub program_year: String,
    pub paid_clubs: i64,
    pub active_members: i64,
    pub payments: Option<i64>,
    pub distinguished_clubs: i64,
}

pub fn district(timeline: &Timeline, id: &str) -> DistrictHistory {
    let dates: Vec<&DateDigest> = timeline.district_dates(id).collect();
    let points = dates
        .iter()
        .map(|d| {
            let dd = d.district(id).expect("filtered on presence");
            HistoryPoint {
                data_date: d.data_date,
                collection_date: d.collection_date,
                as_of_date: dd.as_of_date,
                program_year: d.program_year.clone(),
                closing: d.closing,
                month_end: d.month_end(),
                totals: dd.totals.clone(),
                ranking: d.rank(id).map(|r| RankRef {
                    overall_rank: r.overall_rank,
                    borda_points: r.borda_points,
                }),
            }
        })
        .collect();
    let division_totals = month_lasts(dates.iter().copied())
        .into_iter()
        .filter_map(|date| {
            let d = dates.iter().find(|d| d.data_date == date)?;
            Some(DivisionTotalsAt {
                data_date: date,
                divisions: d.district(id)?.divisions.clone(),
            })
        })
        .collect();
    DistrictHistory {
        district_id: id.to_string(),
        points,
        division_totals,
        year_over_year: year_over_year(&dates, id),
    }
}

/// The same day a year earlier (28 February for 29 February).
pub fn year_before(date: NaiveDate) -> Option<NaiveDate> {
    date.checked_sub_months(Months::new(12))
}

fn year_over_year(dates: &[&DateDigest], id: &str) -> YearOverYear {
    let Some(now) = dates.last() else {
        return YearOverYear {
            data_date: None,
            target_date: None,
            compared_date: None,
            reason: Some("the district has no data".into()),
            paid_clubs: Comparison::default(),
            active_members: Comparison::default(),
            payments: Comparison::default(),
            distinguished_clubs: Comparison::default(),
            last_year_final: None,
        };
    };
    let target = year_before(now.data_date);
    let then = target.and_then(|t| {
        dates
            .iter()
            // Cumulative figures restart on 1 July: never compare across that line.
            .filter(|d| {
                (d.data_date - t).num_days().abs() <= YEAR_OVER_YEAR_WINDOW_DAYS
                    && program_year_start(d.data_date) == program_year_start(t)
            })
            // Nearest first; on equal distance the earlier date (deterministic).
            .min_by_key(|d| ((d.data_date - t).num_days().abs(), d.data_date))
    });
    let reason = match (target, then) {
        (None, _) => Some("the date a year earlier does not exist".to_string()),
        (Some(t), None) => Some(format!(
            "the cache has no data for this district within {YEAR_OVER_YEAR_WINDOW_DAYS} days of {t} in the same program year"
        )),
        _ => None,
    };
    let now_t = &now.district(id).expect("filtered on presence").totals;
    let then_t = then.and_then(|d| d.district(id)).map(|d| &d.totals);
    let compare = |f: fn(&Totals) -> Option<i64>| {
        let n = f(now_t);
        let t = then_t.and_then(f);
        Comparison {
            now: n,
            then: t,
            change: n.zip(t).map(|(a, b)| a - b),
        }
    };
    let py_start = program_year_start(now.data_date);
    let last_year_final = dates
        .iter()
        .rev()
        .find(|d| program_year_start(d.data_date) == py_start - 1 && d.data_date.month() == 6)
        .map(|d| {
            let t = &d.district(id).expect("filtered on presence").totals;
            Headline {
                data_date: d.data_date,
                program_year: d.program_year.clone(),
                paid_clubs: t.paid_clubs,
                active_members: t.active_members,
                payments: t.payments,
                distinguished_clubs: t.distinguished_total,
            }
        });
    YearOverYear {
        data_date: Some(now.data_date),
        target_date: target,
        compared_date: then.map(|d| d.data_date),
        reason,
        paid_clubs: compare(|t| Some(t.paid_clubs)),
        active_members: compare(|t| Some(t.active_members)),
        payments: compare(|t| t.payments),
        distinguished_clubs: compare(|t| Some(t.distinguished_total)),
        last_year_final,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_before_handles_leap_days() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(year_before(d("2024-02-29")), Some(d("2023-02-28")));
        assert_eq!(year_before(d("2026-09-22")), Some(d("2025-09-22")));
    }
}
