//! Rank history (`api/v1/rankings-history.json`): every district's overall rank, points and
//! the three metrics at the last data date of each month and at the presented date, and
//! each district's movement since the previous month's last date.

use super::Timeline;
use super::digest::RankPoint;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct RankingsHistory {
    pub dates: Vec<RankedDate>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RankedDate {
    pub data_date: NaiveDate,
    pub program_year: String,
    pub closing: bool,
    pub month_end: bool,
    pub rankings: Vec<RankPoint>,
}

pub fn history(timeline: &Timeline) -> RankingsHistory {
    let ranked: Vec<_> = timeline
        .dates
        .iter()
        .filter(|d| d.rankings.is_some())
        .collect();
    let mut wanted = super::month_lasts(ranked.iter().copied());
    if let Some(last) = ranked.last()
        && !wanted.contains(&last.data_date)
    {
        wanted.push(last.data_date);
    }
    RankingsHistory {
        dates: ranked
            .into_iter()
            .filter(|d| wanted.contains(&d.data_date))
            .map(|d| RankedDate {
                data_date: d.data_date,
                program_year: d.program_year.clone(),
                closing: d.closing,
                month_end: d.month_end(),
                rankings: d.rankings.clone().unwrap_or_default(),
            })
            .collect(),
    }
}

/// A district's rank now and on the previous month's last ranked date.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Movement {
    pub previous_date: NaiveDate,
    pub previous_rank: u32,
    /// Places gained (positive) or lost (negative).
    pub places: i64,
}

/// Movement of every district ranked on the presented date (none when that date is not
/// ranked) since the last ranked date of
/// an earlier month.
pub fn movement(history: &RankingsHistory, presented: NaiveDate) -> BTreeMap<String, Movement> {
    let Some(now) = history.dates.last().filter(|d| d.data_date == presented) else {
        return BTreeMap::new();
    };
    let now_month = month_of(now.data_date);
    let Some(before) = history
        .dates
        .iter()
        .rev()
        .find(|d| month_of(d.data_date) < now_month)
    else {
        return BTreeMap::new();
    };
    now.rankings
        .iter()
        .filter_map(|r| {
            let prev = before
                .rankings
                .iter()
                .find(|p| crate::model::same_district(&p.district_id, &r.district_id))?;
            Some((
                r.district_id.clone(),
                Movement {
                    previous_date: before.data_date,
                    previous_rank: prev.overall_rank,
                    places: i64::from(prev.overall_rank) - i64::from(r.overall_rank),
                },
            ))
        })
        .collect()
}

fn month_of(d: NaiveDate) -> (i32, u32) {
    use chrono::Datelike;
    (d.year(), d.month())
}
