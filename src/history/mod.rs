//! History across every cached date: per-date digests and their cache, each district's
//! series with year over year, club timelines, rank history and what changed. History
//! reads digests only; it knows nothing of rendering.

pub mod cache;
pub mod changes;
pub mod clubs;
pub mod collect;
pub mod digest;
pub mod rankings;
pub mod renamed;
pub mod revisions;
pub mod series;

use chrono::NaiveDate;
use digest::{ClubsDigest, DateDigest};
use std::collections::{BTreeMap, BTreeSet};

/// How many date-to-date changes the Atom feed of a district carries.
pub const FEED_ENTRIES: usize = 10;

/// Every usable data date up to the presented one, oldest first, with the club-level part
/// of the dates that history needs it for.
#[derive(Debug, Default)]
pub struct Timeline {
    pub dates: Vec<DateDigest>,
    pub clubs: BTreeMap<NaiveDate, ClubsDigest>,
    /// Each district's month-end reconciliations, oldest month first.
    pub revisions: BTreeMap<String, Vec<revisions::MonthRevision>>,
}

impl Timeline {
    pub fn presented(&self) -> Option<&DateDigest> {
        self.dates.last()
    }

    /// The dates (oldest first) on which `district` was built.
    pub fn district_dates<'a>(&'a self, district: &'a str) -> impl Iterator<Item = &'a DateDigest> {
        self.dates
            .iter()
            .filter(move |d| d.district(district).is_some())
    }

    /// Every district id built on any date, in TI order.
    pub fn district_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .dates
            .iter()
            .flat_map(|d| d.districts.iter().map(|x| x.district_id.clone()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        ids.sort_by_key(|id| crate::model::district_sort_key(id));
        ids
    }

    pub fn clubs_on(&self, date: NaiveDate) -> Option<&ClubsDigest> {
        self.clubs.get(&date)
    }
}

/// The last data date of every data month among `dates` (oldest first): the month's final
/// figures where the cache has the close, else its newest figures.
pub fn month_lasts<'a>(dates: impl Iterator<Item = &'a DateDigest>) -> Vec<NaiveDate> {
    let mut out: Vec<(i32, u32, NaiveDate)> = Vec::new();
    for d in dates {
        let (y, m) = d.data_month();
        match out.last_mut() {
            Some(last) if (last.0, last.1) == (y, m) => last.2 = d.data_date,
            _ => out.push((y, m, d.data_date)),
        }
    }
    out.into_iter().map(|(_, _, d)| d).collect()
}

/// The dates whose club-level digests history needs: for every district, the last date of
/// each month it has data for and its newest dates that the feed describes (and the one
/// before them); the presented date is among those.
pub fn club_dates_needed(timeline: &Timeline) -> BTreeSet<NaiveDate> {
    let mut needed = BTreeSet::new();
    for id in timeline.district_ids() {
        let dates: Vec<&DateDigest> = timeline.district_dates(&id).collect();
        needed.extend(month_lasts(dates.iter().copied()));
        needed.extend(
            dates
                .iter()
                .rev()
                .take(FEED_ENTRIES + 1)
                .map(|d| d.data_date),
        );
    }
    needed
}

/// Everything history publishes for one district.
#[derive(Debug)]
pub struct DistrictProducts {
    pub series: series::DistrictHistory,
    pub clubs: clubs::ClubsHistory,
    pub changes: changes::DistrictChanges,
    /// Date-to-date changes of the newest dates, newest first (the Atom feed).
    pub feed: Vec<changes::Changes>,
    /// Month-end reconciliations (several collections of one month end), oldest first.
    pub revisions: Vec<revisions::MonthRevision>,
}

/// Everything history publishes.
#[derive(Debug, Default)]
pub struct History {
    pub districts: BTreeMap<String, DistrictProducts>,
    pub rankings: rankings::RankingsHistory,
    /// Rank movement since the previous month, by district.
    pub movement: BTreeMap<String, rankings::Movement>,
    /// Every data date of the timeline (usable dates up to the presented one), oldest
    /// first.
    pub dates: Vec<NaiveDate>,
}

/// Assembles every district's products from the timeline, districts in parallel.
pub fn assemble(timeline: &Timeline) -> History {
    use rayon::prelude::*;
    let index = clubs::club_index(timeline);
    let first = clubs::first_reached_index(timeline);
    let districts = timeline
        .district_ids()
        .into_par_iter()
        .map(|id| {
            let products = DistrictProducts {
                series: series::district(timeline, &id),
                clubs: clubs::district(timeline, &index, &first, &id),
                changes: changes::district(timeline, &index, &id),
                feed: changes::recent(timeline, &index, &id, FEED_ENTRIES),
                revisions: timeline.revisions.get(&id).cloned().unwrap_or_default(),
            };
            (id, products)
        })
        .collect();
    let rankings = rankings::history(timeline);
    let movement = timeline
        .presented()
        .map(|p| rankings::movement(&rankings, p.data_date))
        .unwrap_or_default();
    History {
        districts,
        rankings,
        movement,
        dates: timeline.dates.iter().map(|d| d.data_date).collect(),
    }
}
