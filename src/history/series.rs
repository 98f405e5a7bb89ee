//! A district's series (`api/v1/districts/<id>/history.json`): one point per data date with
//! its totals and ranking, division totals at each month's last date, and year over year.

use super::digest::{DateDigest, DivisionPoint};
use super::{Timeline, month_lasts};
use crate::cache::footer::program_year_start;
use crate::stats::Totals;
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

/// How far before the same day last year a date may be to stand in for it (issue 20): the
/// previous program year at the same point, on the same calendar day when there are figures
/// for it, else the newest figures of last year on or before that day within this window.
pub const YEAR_OVER_YEAR_WINDOW_DAYS: i64 = 31;

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
    /// The date compared with: `target_date` itself when it has figures, else the newest
    /// date of last program year before it within 31 days; `None` with `reason`.
    pub compared_date: Option<NaiveDate>,
    /// Without a compared date: last program year's newest date before `target_date`
    /// (more than 31 days before it), or `None` when last year has none.
    pub last_year_nearest: Option<NaiveDate>,
    pub reason: Option<String>,
    pub paid_clubs: Comparison,
    pub active_members: Comparison,
    pub payments: Comparison,
    pub distinguished_on_track: Comparison,
    /// Deprecated (API 1.2): TI's codes, which are 0 before April; read
    /// `distinguished_on_track`.
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
    pub distinguished_on_track: i64,
    /// Deprecated (API 1.2): TI's codes; read `distinguished_on_track`.
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

/// The date year over year compares with for the same day a year earlier, `target`: that
/// day when it has figures, else the newest date before it within
/// [`YEAR_OVER_YEAR_WINDOW_DAYS`], never across the 1 July line (cumulative figures
/// restart then). One rule for the cards, the charts and the month table.
pub fn compared_date(
    dates: impl Iterator<Item = NaiveDate>,
    target: NaiveDate,
) -> Option<NaiveDate> {
    dates
        .filter(|d| {
            *d <= target
                && (target - *d).num_days() <= YEAR_OVER_YEAR_WINDOW_DAYS
                && program_year_start(*d) == program_year_start(target)
        })
        .max()
}

/// The newest date of last program year on or before `target` (beyond the window when
/// there is nothing to compare with): what the reader is told instead.
fn newest_last_year(dates: &[&DateDigest], target: NaiveDate) -> Option<NaiveDate> {
    let py = program_year_start(target);
    dates
        .iter()
        .map(|d| d.data_date)
        .filter(|d| program_year_start(*d) == py && *d <= target)
        .max()
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
            last_year_nearest: None,
            reason: Some("the district has no data".into()),
            paid_clubs: Comparison::default(),
            active_members: Comparison::default(),
            payments: Comparison::default(),
            distinguished_on_track: Comparison::default(),
            distinguished_clubs: Comparison::default(),
            last_year_final: None,
        };
    };
    let target = year_before(now.data_date);
    let then = target.and_then(|t| compared_date(dates.iter().map(|d| d.data_date), t));
    let then = then.and_then(|t| dates.iter().find(|d| d.data_date == t));
    let reason = match (target, then) {
        (None, _) => Some("the date a year earlier does not exist".to_string()),
        (Some(t), None) => Some(match newest_last_year(dates, t) {
            Some(d) => format!(
                "last program year's newest figures on or before {t} are of {d}, more than {YEAR_OVER_YEAR_WINDOW_DAYS} days earlier"
            ),
            None => format!("there are no figures of last program year on or before {t}"),
        }),
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
                distinguished_on_track: t.distinguished_on_track,
                distinguished_clubs: t.distinguished_ti_code,
            }
        });
    YearOverYear {
        data_date: Some(now.data_date),
        target_date: target,
        compared_date: then.map(|d| d.data_date),
        last_year_nearest: match (target, then) {
            (Some(t), None) => newest_last_year(dates, t),
            _ => None,
        },
        reason,
        paid_clubs: compare(|t| Some(t.paid_clubs)),
        active_members: compare(|t| Some(t.active_members)),
        payments: compare(|t| t.payments),
        distinguished_on_track: compare(|t| Some(t.distinguished_on_track)),
        distinguished_clubs: compare(|t| Some(t.distinguished_ti_code)),
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

    #[test]
    fn compared_date_is_the_day_or_the_newest_before_it_within_31_days_of_last_year() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let dates = [
            d("2025-06-30"),
            d("2025-10-31"),
            d("2025-11-08"),
            d("2025-11-30"),
        ];
        let pick = |t: &str| compared_date(dates.iter().copied(), d(t));
        assert_eq!(pick("2025-11-08"), Some(d("2025-11-08")), "the same day");
        assert_eq!(
            pick("2025-11-29"),
            Some(d("2025-11-08")),
            "never a later date"
        );
        assert_eq!(pick("2025-12-01"), Some(d("2025-11-30")));
        assert_eq!(pick("2025-12-31"), Some(d("2025-11-30")), "31 days");
        assert_eq!(pick("2026-01-01"), None, "32 days");
        assert_eq!(pick("2025-07-15"), None, "never across 1 July");
    }
}
