//! Collecting the timeline: a digest for every usable date folder up to the presented one,
//! from the digest cache when its key matches, else by loading and computing the date
//! exactly as a single-date build does. Also computes, at their own newest date, the
//! districts that the presented date folder lacks.

use super::digest::{self, ClubsDigest, DateDigest};
use super::revisions::{self, FirstSeen, MonthCollections, MonthRevision};
use super::{Timeline, cache};
use crate::cache::facts::FileFacts;
use crate::cache::load::{self, DatedFolder};
use crate::compute::{self, BuiltDistrict, DateModel, StaleSource};
use crate::diag::Diag;
use anyhow::Result;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// What collecting found besides the timeline.
#[derive(Debug, Default)]
pub struct Collected {
    pub timeline: Timeline,
    /// Digests read from the cache, and computed anew.
    pub digests_reused: usize,
    pub digests_computed: usize,
    /// The digest-cache entries of every date used (the caller keeps only these).
    pub used: BTreeSet<String>,
}

enum DateResult {
    Ok(Box<DateDigest>, Option<ClubsDigest>, bool),
    Dropped(Diag),
}

/// Builds the timeline of `history` (every dated folder before the presented one, oldest
/// first) followed by the presented date, whose digest comes from its computed model.
/// A date that cannot be computed drops out with one warning naming its folder and its
/// first error. Digest writes that fail are errors: the disk is the site's disk. The
/// caller tidies the cache to `Collected::used`.
pub fn timeline(
    digests: &cache::Cache,
    history: &[DatedFolder],
    presented: &DateModel,
    months: &[MonthCollections],
    facts: &FileFacts,
    warnings: &mut Vec<Diag>,
) -> Result<Collected> {
    // Club parts kept in memory on a cold build: every month's last date and the newest
    // dates (the usual needs); any other is read back from the cache when asked for.
    let mut likely: BTreeSet<NaiveDate> = BTreeSet::new();
    let mut last_of_month: BTreeMap<(i32, u32), NaiveDate> = BTreeMap::new();
    for d in history {
        last_of_month.insert(d.period.data_month, d.period.data_date);
    }
    likely.extend(last_of_month.values());
    likely.extend(
        history
            .iter()
            .rev()
            .take(super::FEED_ENTRIES + 1)
            .map(|d| d.period.data_date),
    );
    let results: Vec<Result<(DateResult, String)>> = history
        .par_iter()
        .map(|dated| {
            let key = cache::key(&dated.folder, facts)?;
            if let Some(d) = digests.read_date(&dated.folder, &key) {
                return Ok((DateResult::Ok(Box::new(d), None, true), key));
            }
            Ok((compute_date(digests, dated, &key, &likely)?, key))
        })
        .collect();
    let mut collected = Collected::default();
    let mut used = BTreeSet::new();
    let mut folders: BTreeMap<NaiveDate, (&DatedFolder, String)> = BTreeMap::new();
    for (dated, result) in history.iter().zip(results) {
        let (result, key) = result?;
        used.insert(cache::stem(&dated.folder, &key));
        match result {
            DateResult::Ok(d, clubs, reused) => {
                if reused {
                    collected.digests_reused += 1;
                } else {
                    collected.digests_computed += 1;
                }
                if let Some(c) = clubs {
                    collected.timeline.clubs.insert(d.data_date, c);
                }
                warnings.extend(parity_warning(&dated.folder.rel, &d));
                folders.insert(d.data_date, (dated, key));
                collected.timeline.dates.push(*d);
            }
            DateResult::Dropped(w) => warnings.push(w),
        }
    }
    // The presented date: its digest is made from the model the snapshot renders.
    let key = cache::key(&presented.dated.folder, facts)?;
    let (d, c) = digest::of(presented);
    if digests.read_date(&presented.dated.folder, &key).as_ref() != Some(&d) {
        digests.write(&presented.dated.folder, &key, &d, Some(&c))?;
    }
    used.insert(cache::stem(&presented.dated.folder, &key));
    collected.timeline.clubs.insert(d.data_date, c);
    collected.timeline.dates.push(d);

    // Club parts history needs that are not in memory yet.
    let needed = super::club_dates_needed(&collected.timeline);
    let missing: Vec<NaiveDate> = needed
        .into_iter()
        .filter(|d| !collected.timeline.clubs.contains_key(d))
        .collect();
    let loaded: Vec<Result<Option<(NaiveDate, ClubsDigest)>>> = missing
        .par_iter()
        .map(|date| {
            let Some((dated, key)) = folders.get(date) else {
                return Ok(None);
            };
            if let Some(c) = digests.read_clubs(&dated.folder, key) {
                return Ok(Some((*date, c)));
            }
            // A missing or corrupt club part: recompute the whole date.
            let all = BTreeSet::from([*date]);
            match compute_date(digests, dated, key, &all)? {
                DateResult::Ok(_, Some(c), _) => Ok(Some((*date, c))),
                _ => Ok(None),
            }
        })
        .collect();
    for r in loaded {
        if let Some((date, c)) = r? {
            collected.timeline.clubs.insert(date, c);
        }
    }
    let mut all: Vec<&DatedFolder> = history.iter().collect();
    all.push(&presented.dated);
    warnings.extend(super::renamed::warnings(&collected.timeline, &all));
    collected.timeline.revisions =
        reconcile_months(digests, months, &collected.timeline, facts, &mut used)?;
    collected.used = used;
    Ok(collected)
}

/// An earlier collection of a month end: its date, digests and digest-cache stem.
type Earlier = (NaiveDate, DateDigest, ClubsDigest, String);

/// Every district's reconciliation of every month end with several collections: the
/// earlier collections' digests (from the digest cache, else computed as any date is),
/// oldest first until every district of the final figures has its first figures.
fn reconcile_months(
    digests: &cache::Cache,
    months: &[MonthCollections],
    timeline: &super::Timeline,
    facts: &FileFacts,
    used: &mut BTreeSet<String>,
) -> Result<BTreeMap<String, Vec<MonthRevision>>> {
    let finals: Vec<(&MonthCollections, &DateDigest, &ClubsDigest)> = months
        .iter()
        .filter_map(|m| {
            let last = timeline.dates.iter().find(|d| d.data_date == m.data_date)?;
            Some((m, last, timeline.clubs_on(m.data_date)?))
        })
        .collect();
    let computed: Vec<Result<Vec<Earlier>>> = finals
        .par_iter()
        .map(|(month, last, _)| {
            let mut found = Vec::new();
            for dated in &month.earlier {
                let covered = |id: &str| {
                    found.iter().any(
                        |(_, d, _, _): &(NaiveDate, DateDigest, ClubsDigest, String)| {
                            d.district(id).is_some()
                        },
                    )
                };
                if last.districts.iter().all(|d| covered(&d.district_id)) {
                    break;
                }
                let key = cache::key(&dated.folder, facts)?;
                let stem = cache::stem(&dated.folder, &key);
                let cached = digests
                    .read_date(&dated.folder, &key)
                    .zip(digests.read_clubs(&dated.folder, &key));
                let pair = match cached {
                    Some(pair) => Some(pair),
                    None => match compute_date(
                        digests,
                        dated,
                        &key,
                        &BTreeSet::from([dated.period.data_date]),
                    )? {
                        DateResult::Ok(d, Some(c), _) => Some((*d, c)),
                        _ => None,
                    },
                };
                if let Some((d, c)) = pair {
                    found.push((dated.collection_date, d, c, stem));
                }
            }
            Ok(found)
        })
        .collect();
    let mut out: BTreeMap<String, Vec<MonthRevision>> = BTreeMap::new();
    for ((month, last, last_clubs), found) in finals.iter().zip(computed) {
        let found = found?;
        used.extend(found.iter().map(|(_, _, _, stem)| stem.clone()));
        let first = FirstSeen {
            month,
            digests: found.iter().map(|(date, d, c, _)| (*date, d, c)).collect(),
        };
        for (id, revision) in revisions::reconcile(&first, last, last_clubs) {
            out.entry(id).or_default().push(revision);
        }
    }
    Ok(out)
}

/// One warning for a history date whose goals or levels differ from TI's own figures, with
/// the counts per district (the presented date warns club by club instead).
fn parity_warning(folder: &str, d: &DateDigest) -> Option<Diag> {
    let parts: Vec<String> = d
        .districts
        .iter()
        .filter_map(|x| {
            let p = &x.parity;
            let mut what = Vec::new();
            if p.levels_agree < p.levels_checked {
                what.push(format!(
                    "levels of {} of {} clubs",
                    p.levels_checked - p.levels_agree,
                    p.levels_checked
                ));
            }
            if p.goals_agree < p.clubs_checked {
                what.push(format!(
                    "goal counts of {} of {} clubs",
                    p.clubs_checked - p.goals_agree,
                    p.clubs_checked
                ));
            }
            (!what.is_empty()).then(|| format!("district {}: {}", x.district_id, what.join(", ")))
        })
        .collect();
    (!parts.is_empty()).then(|| {
        Diag::warning(
            folder,
            format!(
                "history date {}: our figures differ from TI's own ({})",
                d.data_date,
                parts.join("; ")
            ),
        )
    })
}

/// Loads and computes one date, writes its digest, and keeps the club part when `keep`
/// holds the date.
fn compute_date(
    digests: &cache::Cache,
    dated: &DatedFolder,
    key: &str,
    keep: &BTreeSet<NaiveDate>,
) -> Result<DateResult> {
    match compute::date(load::load_date(dated.clone())) {
        Ok(model) => {
            let (d, c) = digest::of(&model);
            let clubs = keep.contains(&d.data_date).then_some(c);
            digests.write(&dated.folder, key, &d, clubs.as_ref())?;
            Ok(DateResult::Ok(Box::new(d), clubs, false))
        }
        Err((message, errors, _)) => {
            let first = errors
                .first()
                .map(|e| e.to_string())
                .unwrap_or_else(|| message.clone());
            Ok(DateResult::Dropped(Diag::warning(
                &dated.folder.rel,
                format!("date folder left out of history ({message}): {first}"),
            )))
        }
    }
}

/// "Former" is a claim only TI's summary supports: the presented date's summary no
/// longer lists the district (e.g. after a realignment). Without a summary nothing says a
/// district is gone; it merely has no newer data.
fn is_former(presented: &DateModel, id: &str) -> bool {
    presented.summary.as_ref().is_some_and(|rows| {
        !rows
            .iter()
            .any(|r| crate::model::same_district(&r.district_id, id))
    })
}

/// Every district built on some date of the timeline but absent from the presented date
/// folder, computed at its own newest date (districts of one date together).
pub fn stale_districts(
    timeline: &Timeline,
    history: &[DatedFolder],
    presented: &DateModel,
) -> Vec<BuiltDistrict> {
    let present: BTreeSet<&str> = presented
        .dated
        .folder
        .districts
        .iter()
        .map(|d| d.id.as_str())
        .collect();
    let mut by_date: BTreeMap<NaiveDate, BTreeSet<String>> = BTreeMap::new();
    for id in timeline.district_ids() {
        if present.iter().any(|p| crate::model::same_district(p, &id)) {
            continue;
        }
        if let Some(newest) = timeline.district_dates(&id).last() {
            by_date.entry(newest.data_date).or_default().insert(id);
        }
    }
    let mut out: Vec<BuiltDistrict> = by_date
        .into_par_iter()
        .flat_map_iter(|(date, ids)| {
            let Some(dated) = history.iter().find(|d| d.period.data_date == date) else {
                return Vec::new();
            };
            let mut only = dated.clone();
            only.folder.districts.retain(|d| ids.contains(&d.id));
            let Ok(model) = compute::date(load::load_date(only)) else {
                return Vec::new();
            };
            let source = StaleSource {
                data_date: model.dated.period.data_date,
                collection_date: model.dated.collection_date,
                as_of_date: model.dated.as_of_date,
                closing: model.dated.period.closing,
                program_year: model.program_year.clone(),
                former: false,
                inputs: model.inputs.clone(),
            };
            model
                .districts
                .into_iter()
                .map(|mut b| {
                    let mut s = source.clone();
                    s.former = is_former(presented, &b.district.id);
                    b.stale = Some(s);
                    b
                })
                .collect()
        })
        .collect();
    out.sort_by_key(|b| crate::model::district_sort_key(&b.district.id));
    out
}
