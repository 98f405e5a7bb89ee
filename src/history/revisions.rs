//! Month-end reconciliation (issue 24): during a closing period TI revises a month's
//! figures for days (June for up to 25, DOMAIN.md §3.3), and the newest collection of a
//! month end replaces the earlier ones in every other product. This module keeps what
//! was replaced: for every month end the cache holds several collections of, the first
//! figures seen of each district, division, area and club, the final ones, the
//! difference, the date of every collection, and the date the month became final (the
//! first collection of the next month's data). It reads digests only, made by the same
//! computation as every other date.

use super::digest::{ClubPoint, ClubsDigest, DateDigest, is_month_end};
use crate::cache::load::DatedFolder;
use crate::model::Level;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// One collection of a month end: when it was made and what its footer said.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CollectionRef {
    pub collection_date: NaiveDate,
    /// TI's as-of stamp of the collection, when its export states one.
    pub as_of_date: Option<NaiveDate>,
    /// Made while TI was still closing the month (a closing-period download).
    pub closing: bool,
}

/// The collections the cache holds of one month end, when there are several.
#[derive(Debug, Clone)]
pub struct MonthCollections {
    pub data_date: NaiveDate,
    /// Every collection, oldest first; the last one is the final figures the site shows.
    pub collections: Vec<CollectionRef>,
    /// The first collection of the next month's data: from then TI publishes no more
    /// revisions of this month. `None` while the month is still closing.
    pub final_on: Option<NaiveDate>,
    /// Every collection but the newest, oldest first (the newest is the timeline's).
    pub earlier: Vec<DatedFolder>,
}

/// The month ends of `folders` (every dated collection of the cache, before one is
/// chosen per data date) that have several collections, oldest first.
pub fn month_collections(folders: &[DatedFolder]) -> Vec<MonthCollections> {
    let mut by_date: BTreeMap<NaiveDate, Vec<&DatedFolder>> = BTreeMap::new();
    for f in folders.iter().filter(|f| is_month_end(f.period.data_date)) {
        by_date.entry(f.period.data_date).or_default().push(f);
    }
    by_date
        .into_iter()
        .filter(|(_, c)| c.len() > 1)
        .map(|(data_date, mut found)| {
            found.sort_by_key(|f| f.collection_date);
            let next = crate::cache::footer::next_month(data_date.year(), data_date.month());
            let final_on = folders
                .iter()
                .filter(|f| f.period.data_month == next)
                .map(|f| f.collection_date)
                .min();
            let collections = found
                .iter()
                .map(|f| CollectionRef {
                    collection_date: f.collection_date,
                    as_of_date: f.as_of_date,
                    closing: f.period.closing,
                })
                .collect();
            let earlier = found[..found.len() - 1]
                .iter()
                .map(|f| (*f).clone())
                .collect();
            MonthCollections {
                data_date,
                collections,
                final_on,
                earlier,
            }
        })
        .collect()
}

/// Whether TI may still revise the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MonthState {
    /// TI is still closing the month: its figures are provisional.
    Closing,
    /// The next month's data has been published: these figures are final.
    Final,
}

/// One figure as first seen and as final; `None` where a collection cannot state it
/// (payments without the district report).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FigureRevision {
    pub first: Option<i64>,
    #[serde(rename = "final")]
    pub last: Option<i64>,
    /// Final minus first; `None` when either is unknown.
    pub difference: Option<i64>,
}

impl FigureRevision {
    fn new(first: Option<i64>, last: Option<i64>) -> FigureRevision {
        let difference = first.zip(last).map(|(a, b)| b - a);
        FigureRevision {
            first,
            last,
            difference,
        }
    }

    /// Changed: a known difference other than zero, or a figure known only once.
    pub fn revised(&self) -> bool {
        self.first != self.last
    }
}

/// The revised figures of a district, division or area.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct UnitFigures {
    pub payments: FigureRevision,
    pub active_members: FigureRevision,
    pub paid_clubs: FigureRevision,
    /// DCP goals met, summed over the clubs (our count).
    pub goals_met: FigureRevision,
    /// Distinguished clubs on track (clubs with a level on our rules).
    pub distinguished_on_track: FigureRevision,
}

impl UnitFigures {
    pub fn revised(&self) -> bool {
        [
            &self.payments,
            &self.active_members,
            &self.paid_clubs,
            &self.goals_met,
            &self.distinguished_on_track,
        ]
        .iter()
        .any(|f| f.revised())
    }
}

/// A division or area whose figures TI revised.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct UnitRevision {
    pub division_id: String,
    /// The area's id within its division; absent for a division.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area_id: Option<String>,
    pub figures: UnitFigures,
}

/// A club whose figures TI revised (or that appeared or vanished in the close).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ClubRevision {
    pub club_number: String,
    pub club_name: String,
    pub division_id: String,
    pub area_id: String,
    /// Listed in the first collection, and in the final one.
    pub in_first: bool,
    pub in_final: bool,
    pub active_members: FigureRevision,
    pub goals_met: FigureRevision,
    /// TI's club status in each collection (`Active` is a paid club).
    pub status_first: Option<String>,
    pub status_final: Option<String>,
    pub level_first: Option<Level>,
    pub level_final: Option<Level>,
}

/// One district's reconciliation of one month end.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MonthRevision {
    /// `YYYY-MM` of the data.
    pub month: String,
    pub data_date: NaiveDate,
    pub state: MonthState,
    /// The collection date of the next month's first data; `None` while closing.
    pub final_on: Option<NaiveDate>,
    /// Every collection of the month end, oldest first.
    pub collections: Vec<CollectionRef>,
    /// The collection whose figures were first seen for this district, and the one the
    /// site shows (the newest).
    pub first_collection: NaiveDate,
    pub final_collection: NaiveDate,
    /// Any figure below differs between the two.
    pub revised: bool,
    pub district: UnitFigures,
    /// Only the divisions, areas and clubs with a revised figure.
    pub divisions: Vec<UnitRevision>,
    pub areas: Vec<UnitRevision>,
    pub clubs: Vec<ClubRevision>,
}

/// The first figures of one month end: the digests of its earlier collections, oldest
/// first (a district's first figures are those of the first collection that has it).
pub struct FirstSeen<'a> {
    pub month: &'a MonthCollections,
    pub digests: Vec<(NaiveDate, &'a DateDigest, &'a ClubsDigest)>,
}

/// Every district's reconciliation of one month end, against the final figures of the
/// timeline (`last` and `last_clubs`, the month end's digest).
pub fn reconcile(
    first: &FirstSeen,
    last: &DateDigest,
    last_clubs: &ClubsDigest,
) -> BTreeMap<String, MonthRevision> {
    let mut out = BTreeMap::new();
    for d in &last.districts {
        let id = &d.district_id;
        let Some((first_date, first_digest, first_clubs)) = first
            .digests
            .iter()
            .find(|(_, dd, _)| dd.district(id).is_some())
        else {
            continue;
        };
        let (Some(a), Some(b)) = (first_digest.district(id), last.district(id)) else {
            continue;
        };
        let empty = Vec::new();
        let clubs_a = first_clubs.districts.get(id).unwrap_or(&empty);
        let clubs_b = last_clubs.districts.get(id).unwrap_or(&empty);
        let division_payments = |digest: &super::digest::DistrictDigest, div: &str| {
            digest
                .divisions
                .iter()
                .find(|v| v.division_id == div)
                .and_then(|v| v.totals.payments)
        };
        let mut divisions = Vec::new();
        for div in unit_keys(clubs_a, clubs_b, |c| (c.division_id.clone(), None)) {
            let in_div = |c: &&ClubPoint| c.division_id == div.0;
            let figures = unit_figures(
                clubs_a.iter().filter(in_div),
                clubs_b.iter().filter(in_div),
                division_payments(a, &div.0),
                division_payments(b, &div.0),
            );
            if figures.revised() {
                divisions.push(UnitRevision {
                    division_id: div.0,
                    area_id: None,
                    figures,
                });
            }
        }
        let mut areas = Vec::new();
        for key in unit_keys(clubs_a, clubs_b, |c| {
            (c.division_id.clone(), Some(c.area_id.clone()))
        }) {
            let in_area = |c: &&ClubPoint| {
                c.division_id == key.0 && Some(c.area_id.as_str()) == key.1.as_deref()
            };
            // TI publishes no payments per area.
            let figures = unit_figures(
                clubs_a.iter().filter(in_area),
                clubs_b.iter().filter(in_area),
                None,
                None,
            );
            if figures.revised() {
                areas.push(UnitRevision {
                    division_id: key.0,
                    area_id: key.1,
                    figures,
                });
            }
        }
        let district = unit_figures(
            clubs_a.iter(),
            clubs_b.iter(),
            a.totals.payments,
            b.totals.payments,
        );
        let clubs = club_revisions(clubs_a, clubs_b);
        let revised = district.revised() || !clubs.is_empty();
        out.insert(
            id.clone(),
            MonthRevision {
                month: format!("{:04}-{:02}", last.data_date.year(), last.data_date.month()),
                data_date: last.data_date,
                state: if first.month.final_on.is_some() {
                    MonthState::Final
                } else {
                    MonthState::Closing
                },
                final_on: first.month.final_on,
                collections: first.month.collections.clone(),
                first_collection: *first_date,
                final_collection: last.collection_date,
                revised,
                district,
                divisions,
                areas,
                clubs,
            },
        );
    }
    out
}

/// The units of either collection, in order.
fn unit_keys(
    a: &[ClubPoint],
    b: &[ClubPoint],
    key: impl Fn(&ClubPoint) -> (String, Option<String>),
) -> Vec<(String, Option<String>)> {
    let mut keys: Vec<_> = a.iter().chain(b).map(key).collect();
    keys.sort();
    keys.dedup();
    keys
}

fn unit_figures<'a>(
    a: impl Iterator<Item = &'a ClubPoint> + Clone,
    b: impl Iterator<Item = &'a ClubPoint> + Clone,
    payments_a: Option<i64>,
    payments_b: Option<i64>,
) -> UnitFigures {
    let members = |it: &mut dyn Iterator<Item = &'a ClubPoint>| it.map(|c| c.active_members).sum();
    let paid = |it: &mut dyn Iterator<Item = &'a ClubPoint>| {
        it.filter(|c| c.status.as_deref() == Some("Active")).count() as i64
    };
    // A goal count the era's columns cannot decide makes the sum unknown, not smaller.
    let goals =
        |it: &mut dyn Iterator<Item = &'a ClubPoint>| it.map(|c| c.goals_met).sum::<Option<i64>>();
    let on_track = |it: &mut dyn Iterator<Item = &'a ClubPoint>| {
        it.filter(|c| c.level.is_some()).count() as i64
    };
    UnitFigures {
        payments: FigureRevision::new(payments_a, payments_b),
        active_members: FigureRevision::new(
            Some(members(&mut a.clone())),
            Some(members(&mut b.clone())),
        ),
        paid_clubs: FigureRevision::new(Some(paid(&mut a.clone())), Some(paid(&mut b.clone()))),
        goals_met: FigureRevision::new(goals(&mut a.clone()), goals(&mut b.clone())),
        distinguished_on_track: FigureRevision::new(
            Some(on_track(&mut a.clone())),
            Some(on_track(&mut b.clone())),
        ),
    }
}

/// The clubs whose members, goals, status or level differ, or that only one collection
/// lists, in club-number order.
fn club_revisions(a: &[ClubPoint], b: &[ClubPoint]) -> Vec<ClubRevision> {
    let index = |clubs: &'_ [ClubPoint]| -> BTreeMap<String, usize> {
        clubs
            .iter()
            .enumerate()
            .map(|(i, c)| (c.club_number.clone(), i))
            .collect()
    };
    let (ia, ib) = (index(a), index(b));
    let mut numbers: Vec<&String> = ia.keys().chain(ib.keys()).collect();
    numbers.sort();
    numbers.dedup();
    numbers
        .into_iter()
        .filter_map(|n| {
            let ca = ia.get(n).map(|&i| &a[i]);
            let cb = ib.get(n).map(|&i| &b[i]);
            let shown = cb.or(ca)?;
            let members =
                FigureRevision::new(ca.map(|c| c.active_members), cb.map(|c| c.active_members));
            let goals =
                FigureRevision::new(ca.and_then(|c| c.goals_met), cb.and_then(|c| c.goals_met));
            let status = |c: Option<&ClubPoint>| c.and_then(|c| c.status.clone());
            let level = |c: Option<&ClubPoint>| c.and_then(|c| c.level);
            let changed = ca.is_none()
                || cb.is_none()
                || members.revised()
                || goals.revised()
                || status(ca) != status(cb)
                || level(ca) != level(cb);
            changed.then(|| ClubRevision {
                club_number: shown.club_number.clone(),
                club_name: shown.club_name.clone(),
                division_id: shown.division_id.clone(),
                area_id: shown.area_id.clone(),
                in_first: ca.is_some(),
                in_final: cb.is_some(),
                active_members: members,
                goals_met: goals,
                status_first: status(ca),
                status_final: status(cb),
                level_first: level(ca),
                level_final: level(cb),
            })
        })
        .collect()
}
