//! The build's input side: scan and date every folder of the cache, choose the presented
//! date, compute it in full and every earlier date as a history digest, and gather the
//! districts the presented folder lacks at their own newest date: cache in, model out.

use super::{BuildOptions, Failure, timed};
use crate::cache::facts::FileFacts;
use crate::cache::load::{self, DatedFolder};
use crate::cache::{dating, layout};
use crate::diag::Diag;
use crate::history::revisions::MonthCollections;
use crate::render::BuildModel;
use crate::store::{Site, log};
use crate::{compute, history};
use anyhow::Result;
use chrono::NaiveDate;
use rayon::prelude::*;

/// What the presented date's model was computed from, kept to compute the archive's
/// months (issue 24) by the same path: every dated folder, the month ends collected
/// several times, and the site's digest cache.
pub(super) struct Source {
    pub dates: Vec<DatedFolder>,
    months: Vec<MonthCollections>,
    digests: history::cache::Cache,
    facts: FileFacts,
    pub seal: crate::seal::Seal,
    max_failed_share: f64,
}

/// Reads the cache and computes the model: the presented date in full, every earlier
/// date as a digest for history, and the districts the presented folder lacks at their
/// own newest date. A fatal problem is a failure with its errors.
pub(super) fn read_and_compute(
    opts: &BuildOptions,
    site: &Site,
    phases: &mut log::Phases,
) -> Result<(BuildModel, Source), Failure> {
    let mut warnings = Vec::new();
    // The seal's key is made on a site's first build; the disk is the site's disk, so a
    // failure to make it fails the build (nothing is published).
    let seal = crate::seal::Seal::for_site(&site.root)
        .map_err(|e| (format!("{e:#}"), Vec::new(), warnings.clone()))?;
    let digests = history::cache::Cache::new(&site.root, seal.clone());
    let facts = FileFacts::open(&history::cache::dir(&site.root), seal.clone());
    let (dates, months, chosen) =
        timed(&mut phases.read, || read_cache(opts, &facts, &mut warnings))?;
    let source = Source {
        dates,
        months,
        digests,
        facts,
        seal,
        max_failed_share: opts.max_failed_share,
    };
    let (model, used) = model_at(&source, chosen, warnings, phases)?;
    // Only the presented build tidies the digest cache: an archive month's history is a
    // part of the presented one's, and must not remove the digests of later dates.
    source
        .digests
        .retain(&used)
        .map_err(|e| (format!("{e:#}"), Vec::new(), model.warnings.clone()))?;
    Ok((model, source))
}

impl Source {
    /// Everything a model is computed from, as dated lines: the cache key of every date
    /// folder and of every earlier collection of a month end, and when each month end
    /// became final. A model of date D depends on the lines dated up to D (and the
    /// failure limit, [`Source::max_failed_share`]).
    pub(super) fn input_lines(&self) -> Result<Vec<(NaiveDate, String)>> {
        let mut lines = Vec::new();
        for d in &self.dates {
            let key = history::cache::key(&d.folder, &self.facts)?;
            lines.push((d.period.data_date, format!("date {} {key}\n", d.folder.rel)));
        }
        for m in &self.months {
            lines.push((
                m.data_date,
                format!("month {} final {:?}\n", m.data_date, m.final_on),
            ));
            for d in &m.earlier {
                let key = history::cache::key(&d.folder, &self.facts)?;
                lines.push((m.data_date, format!("collection {} {key}\n", d.folder.rel)));
            }
        }
        Ok(lines)
    }

    pub(super) fn max_failed_share(&self) -> f64 {
        self.max_failed_share
    }

    /// Keeps what was learnt of the cache's files (their hashes) for the next build.
    pub(super) fn finish(self) -> Result<()> {
        self.facts.save()
    }
}

/// The model of the date folder `chosen`, exactly as a build presenting it computes it
/// (`build --date`): its date in full, the history of every earlier date, the month ends
/// up to it. Also the digest-cache entries it used.
pub(super) fn model_at(
    source: &Source,
    chosen: DatedFolder,
    mut warnings: Vec<Diag>,
    phases: &mut log::Phases,
) -> Result<(BuildModel, std::collections::BTreeSet<String>), Failure> {
    let data_date = chosen.period.data_date;
    let presented = timed(&mut phases.compute, || {
        compute::date(load::load_date(chosen.clone()))
    })
    .map_err(|(m, e, mut w)| {
        w.extend(warnings.iter().cloned());
        (m, e, w)
    })?;
    let all_errors = || {
        presented
            .failed
            .iter()
            .flat_map(|(_, e)| e.iter().cloned())
            .collect::<Vec<_>>()
    };
    check_failed_share(
        presented.districts.len(),
        presented.failed.len(),
        source.max_failed_share,
    )
    .map_err(|m| (m, all_errors(), warnings.clone()))?;
    if presented.districts.is_empty() && presented.summary.is_none() {
        let msg = if presented.failed.is_empty() {
            "nothing to build: the date folder has neither all-districts.csv nor any district club report".to_string()
        } else {
            "every district failed and there is no summary".to_string()
        };
        return Err((msg, all_errors(), warnings.clone()));
    }
    // A snapshot knows the cache up to the date it presents.
    let dates: Vec<DatedFolder> = source
        .dates
        .iter()
        .filter(|d| d.period.data_date <= data_date)
        .cloned()
        .collect();
    let earlier: Vec<DatedFolder> = dates
        .iter()
        .filter(|d| d.period.data_date < data_date)
        .cloned()
        .collect();
    // Month ends up to the presented date only: a build of an earlier date shows that
    // date's history (what became final later is still known from the cache).
    let months: Vec<MonthCollections> = source
        .months
        .iter()
        .filter(|m| m.data_date <= data_date)
        .cloned()
        .collect();
    let (history, stale, used) = timed(&mut phases.history, || -> Result<_> {
        let collected = history::collect::timeline(
            &source.digests,
            &earlier,
            &presented,
            &months,
            &source.facts,
            &mut warnings,
        )?;
        let stale = history::collect::stale_districts(&collected.timeline, &earlier, &presented);
        Ok((
            history::assemble(&collected.timeline),
            stale,
            collected.used,
        ))
    })
    .map_err(|e| (format!("{e:#}"), Vec::new(), warnings.clone()))?;
    warnings.extend(presented.warnings);
    warnings.sort();
    warnings.dedup();
    let warnings = crate::diag::capped(warnings);
    let mut districts: Vec<_> = presented
        .districts
        .into_iter()
        .chain(stale)
        .map(|mut b| {
            b.warnings = crate::diag::capped(std::mem::take(&mut b.warnings));
            b
        })
        .collect();
    districts.sort_by_key(|b| crate::model::district_sort_key(&b.district.id));
    let month_closed = source
        .dates
        .iter()
        .any(|d| d.period.data_month > presented.dated.period.data_month);
    let model = BuildModel {
        month_closed,
        program_year: presented.program_year,
        dated: presented.dated,
        dates,
        summary: presented.summary,
        rankings: presented.rankings,
        districts,
        failed: presented.failed,
        warnings,
        inputs: presented.inputs,
        history,
    };
    Ok((model, used))
}

/// Scans and dates every folder of the cache and chooses the presented one.
fn read_cache(
    opts: &BuildOptions,
    facts: &FileFacts,
    warnings: &mut Vec<Diag>,
) -> Result<(Vec<DatedFolder>, Vec<MonthCollections>, DatedFolder), Failure> {
    let folders = layout::scan(&opts.cache, warnings)
        .map_err(|e| (e.to_string(), vec![e], warnings.clone()))?;
    let clock = opts.snapshot_time.date_naive();
    let results: Vec<_> = folders
        .par_iter()
        .map(|f| dating::date_folder(f, clock, facts))
        .collect();
    let (mut dated, mut refused) = (Vec::new(), Vec::new());
    for (f, r) in folders.iter().zip(results) {
        match r {
            Ok(Some(d)) => dated.push(d),
            Ok(None) => warnings.push(Diag::warning(
                &f.rel,
                "date folder holds no summary and no club report; skipped",
            )),
            Err(errors) => refused.push((f, errors)),
        }
    }
    let months = history::revisions::month_collections(&dated);
    let dates = load::latest_per_data_date(dated);
    let chosen = choose_date(&dates, opts.date);
    // A folder that cannot be dated fails the build only when it would be the one shown;
    // an older one is left out (of history too) with a warning naming its first error.
    for (
        f,
        dating::Refused {
            errors,
            likely_data_date,
        },
    ) in refused
    {
        if dating::would_present(
            f.collection_date,
            likely_data_date,
            chosen.as_ref().ok(),
            opts.date,
        ) {
            return Err((
                format!(
                    "date folder {} is unusable (see the errors above), and it is the one this build would present; fix or remove it",
                    f.rel
                ),
                errors,
                warnings.clone(),
            ));
        }
        if let Some(first) = errors.first() {
            warnings.push(Diag::warning(
                &f.rel,
                format!(
                    "date folder skipped ({} problem(s)), first: {}: {}",
                    errors.len(),
                    first.location(),
                    first.message
                ),
            ));
        }
    }
    let chosen = chosen.map_err(|m| (m, Vec::new(), warnings.clone()))?;
    Ok((dates, months, chosen))
}

/// The date folder a build presents: `wanted` as a data date or a collection date, else
/// the newest. The CLI's pre-flight asks it too, so a `--date` the cache lacks is a usage
/// error before the site is touched.
pub fn choose_date(
    dates: &[DatedFolder],
    wanted: Option<NaiveDate>,
) -> Result<DatedFolder, String> {
    let Some(wanted) = wanted else {
        return dates.last().cloned().ok_or_else(|| "the cache holds no date folder with data (raw-csv/YYYY-MM-DD/ with a summary or a club report)".to_string());
    };
    dates
        .iter()
        .find(|d| d.period.data_date == wanted)
        .or_else(|| dates.iter().find(|d| d.collection_date == wanted))
        .cloned()
        .ok_or_else(|| {
            let known: Vec<String> = dates
                .iter()
                .map(|d| d.period.data_date.to_string())
                .collect();
            format!(
                "no data for --date {wanted}; the cache has data dates {}",
                known.join(", ")
            )
        })
}

/// Fails the build when more than the allowed share of districts failed.
fn check_failed_share(built: usize, failed: usize, max_share: f64) -> Result<(), String> {
    let total = built + failed;
    if total == 0 {
        return Ok(());
    }
    let share = failed as f64 / total as f64;
    if share > max_share {
        return Err(format!(
            "{failed} of {total} districts failed ({:.0}%), more than the allowed {:.0}%",
            share * 100.0,
            max_share * 100.0
        ));
    }
    Ok(())
}
