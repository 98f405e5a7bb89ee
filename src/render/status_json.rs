//! `api/v1/status.json` (issue 24): how fresh a snapshot's figures are, for monitors of a
//! static site that has no server to ask (an uptime checker fetches it and alerts on
//! age) and for the pages' age script. Dates only, from the rules of [`crate::freshness`]
//! that `status` applies too: no build time and no snapshot id, so identical data gives
//! an identical file (`snapshot.json` has those).

use super::BuildModel;
use super::json::{API, ApiProvenance, Provenance, api_file, pretty};
use crate::freshness::{self, FigureState};
use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeMap;

pub const PATH: &str = "status.json";

/// The body of `status.json`; every date is `YYYY-MM-DD`.
#[derive(Serialize, schemars::JsonSchema)]
pub(super) struct StatusFile<'a> {
    /// The date TI's figures are for (the month's last day while TI closes it).
    data_date: String,
    /// TI's "as of" date of the figures, when the exports state one.
    as_of_date: Option<String>,
    /// The date folder the figures were collected into (the date the collector asked
    /// TI for).
    collection_date: String,
    /// The month the figures belong to, `YYYY-MM`.
    data_month: String,
    /// The program year of the figures (July to June), `2026-2027`.
    program_year: &'a str,
    /// `daily` (a day of the running month), `closing` (the previous month's figures,
    /// still being closed by TI: they may change) or `month_end_final` (a month's last
    /// day as TI finally left it).
    state: FigureState,
    /// Built from synthetic sample data: the dates are invented, and `toaststats status`
    /// does not judge their age.
    synthetic: bool,
    /// The as-of date of the next figures TI is expected to publish: the day after the
    /// later of `data_date` and `as_of_date` (TI publishes daily, closing periods too).
    next_data_expected: String,
    /// The day a nightly run can collect them: TI's newest figures are yesterday's.
    next_collection_expected: String,
    /// The last day these figures count as fresh; alert when today is later.
    /// `toaststats status` reports the data as stale from the day after.
    stale_after: String,
    /// The data-age limit `stale_after` is counted with (the default of `toaststats
    /// status --max-data-age-days`).
    max_data_age_days: u32,
}

/// Adds `api/v1/status.json` to `files`.
pub fn render(
    model: &BuildModel,
    provenance: Provenance,
    files: &mut BTreeMap<String, Vec<u8>>,
) -> Result<()> {
    let dated = &model.dated;
    let newest = freshness::newest_date(dated.period.data_date, dated.as_of_date);
    let next = freshness::next_data_expected(newest);
    let (year, month) = dated.period.data_month;
    let body = StatusFile {
        data_date: dated.period.data_date.to_string(),
        as_of_date: dated.as_of_date.map(|d| d.to_string()),
        collection_date: dated.collection_date.to_string(),
        data_month: format!("{year:04}-{month:02}"),
        program_year: &model.program_year,
        state: freshness::figure_state(&dated.period, dated.as_of_date, model.month_closed),
        synthetic: provenance.synthetic,
        next_data_expected: next.to_string(),
        next_collection_expected: freshness::collection_day(next).to_string(),
        stale_after: freshness::stale_after(newest, freshness::MAX_DATA_AGE_DAYS).to_string(),
        max_data_age_days: freshness::MAX_DATA_AGE_DAYS,
    };
    let path = format!("{API}/{PATH}");
    let file = api_file(&path, "status", ApiProvenance::of(model), body);
    files.insert(path, pretty(&file)?);
    Ok(())
}
