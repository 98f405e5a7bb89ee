//! Club timelines (`api/v1/districts/<id>/clubs-history.json`): every club that belonged to
//! the district, followed by club number across program years, areas, divisions and
//! districts, at the last data date of each month and the presented date, with the date it
//! first reached each level in each program year.

use super::Timeline;
use super::digest::{ClubPoint, DateDigest};
use crate::model::{Level, club_key};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ClubsHistory {
    pub district_id: String,
    pub program_years: Vec<ProgramYearClubs>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ProgramYearClubs {
    pub program_year: String,
    /// The dates of the points: each month's last data date, and the presented date.
    pub dates: Vec<NaiveDate>,
    pub clubs: Vec<ClubTimeline>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ClubTimeline {
    pub club_number: String,
    /// The newest name the club had in this program year.
    pub club_name: String,
    /// Our level: the first data date of the program year on which the club stood at that
    /// level or higher (a projection before April), from every cached date of the year.
    pub first_reached: BTreeMap<Level, NaiveDate>,
    pub points: Vec<ClubHistoryPoint>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ClubHistoryPoint {
    pub data_date: NaiveDate,
    /// Where the club was on that date (it may have moved since).
    pub district_id: String,
    pub division_id: String,
    pub area_id: String,
    pub status: Option<String>,
    pub membership_base: i64,
    pub active_members: i64,
    pub goals_met: Option<i64>,
    pub ti_goals_met: i64,
    pub level: Option<Level>,
    pub ti_level: Option<Level>,
    pub provisional: bool,
}

impl ClubHistoryPoint {
    fn of(date: NaiveDate, p: &ClubPoint) -> ClubHistoryPoint {
        ClubHistoryPoint {
            data_date: date,
            district_id: p.district_id.clone(),
            division_id: p.division_id.clone(),
            area_id: p.area_id.clone(),
            status: p.status.clone(),
            membership_base: p.membership_base,
            active_members: p.active_members,
            goals_met: p.goals_met,
            ti_goals_met: p.ti_goals_met,
            level: p.level,
            ti_level: p.ti_level,
            provisional: p.provisional,
        }
    }
}

/// Every club point of each club-level date, by club key across all districts: built once,
/// shared by every district's timeline.
pub type ClubIndex<'a> = BTreeMap<NaiveDate, HashMap<&'a str, &'a ClubPoint>>;

pub fn club_index(timeline: &Timeline) -> ClubIndex<'_> {
    timeline
        .clubs
        .iter()
        .map(|(date, c)| {
            let by_key = c
                .districts
                .values()
                .flatten()
                .map(|p| (club_key(&p.club_number), p))
                .collect();
            (*date, by_key)
        })
        .collect()
}

/// For each program year and club key, the first data date on which the club (in whichever
/// district) stood at each level or higher. Computed once for all districts.
pub type FirstReached = BTreeMap<String, HashMap<String, BTreeMap<Level, NaiveDate>>>;

pub fn first_reached_index(timeline: &Timeline) -> FirstReached {
    let mut out: FirstReached = BTreeMap::new();
    for d in &timeline.dates {
        let year = out.entry(d.program_year.clone()).or_default();
        for dd in &d.districts {
            for (number, level) in &dd.levels {
                let club = year.entry(club_key(number).to_string()).or_default();
                for l in Level::ALL.into_iter().filter(|l| l <= level) {
                    club.entry(l).or_insert(d.data_date);
                }
            }
        }
    }
    out
}

pub fn district(
    timeline: &Timeline,
    index: &ClubIndex,
    first: &FirstReached,
    id: &str,
) -> ClubsHistory {
    let own: Vec<&DateDigest> = timeline.district_dates(id).collect();
    let mut by_year: BTreeMap<String, Vec<NaiveDate>> = BTreeMap::new();
    for date in super::month_lasts(own.iter().copied())
        .into_iter()
        .chain(own.last().map(|d| d.data_date))
    {
        let py = crate::cache::footer::program_year(date);
        let dates = by_year.entry(py).or_default();
        if !dates.contains(&date) && timeline.clubs_on(date).is_some() {
            dates.push(date);
        }
    }
    let program_years = by_year
        .into_iter()
        .map(|(program_year, dates)| {
            let snapshots: Vec<(NaiveDate, &HashMap<&str, &ClubPoint>)> = dates
                .iter()
                .filter_map(|d| Some((*d, index.get(d)?)))
                .collect();
            // Clubs that were in this district on any of the year's dates.
            let members: BTreeSet<&str> = dates
                .iter()
                .filter_map(|d| timeline.clubs_on(*d))
                .flat_map(|c| {
                    c.districts
                        .iter()
                        .filter(|(d, _)| crate::model::same_district(d, id))
                        .flat_map(|(_, points)| points.iter().map(|p| club_key(&p.club_number)))
                })
                .collect();
            let year_first = first.get(&program_year);
            let mut clubs: Vec<ClubTimeline> = members
                .into_iter()
                .map(|key| {
                    let points: Vec<ClubHistoryPoint> = snapshots
                        .iter()
                        .filter_map(|(d, m)| m.get(key).map(|p| ClubHistoryPoint::of(*d, p)))
                        .collect();
                    let newest = snapshots.iter().rev().find_map(|(_, m)| m.get(key));
                    ClubTimeline {
                        club_number: newest.map(|p| p.club_number.clone()).unwrap_or_default(),
                        club_name: newest.map(|p| p.club_name.clone()).unwrap_or_default(),
                        first_reached: year_first
                            .and_then(|y| y.get(key))
                            .cloned()
                            .unwrap_or_default(),
                        points,
                    }
                })
                .collect();
            clubs.sort_by(|a, b| a.club_number.cmp(&b.club_number));
            ProgramYearClubs {
                program_year,
                dates,
                clubs,
            }
        })
        .collect();
    ClubsHistory {
        district_id: id.to_string(),
        program_years,
    }
}
