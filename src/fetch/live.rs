//! Which program year is live, learned from content, not the calendar (DOMAIN.md §3.2,
//! toast-stats #1284): the run's first request asks the bare path for the summary with the
//! month-end slot empty, which TI answers with its newest data whatever the dates say, and
//! reads the footer. Its data month names the live year (during the July rollover still the
//! prior year's June close), its as-of the newest day TI has (normally yesterday). The run
//! uses this one resolution for every request.

use super::checks::check_latest;
use super::client::{Answer, Client};
use super::urls::Target;
use crate::cache::eras::Report;
use crate::cache::footer::{month_name, program_year_start};
use chrono::NaiveDate;
use serde::Serialize;

/// What the run learned of TI's live year.
#[derive(Debug, Clone, Serialize)]
pub struct LiveYear {
    pub program_year: String,
    #[serde(skip)]
    pub start: i32,
    /// The newest day TI serves: the daily collection's folder date.
    pub as_of: NaiveDate,
    /// `YYYY-MM` of the newest data (the previous month during a closing period).
    pub data_month: String,
    pub url: String,
    pub learned_from: String,
    /// The summary body itself: it is the daily collection's summary, not asked twice.
    #[serde(skip)]
    pub summary: Vec<u8>,
    #[serde(skip)]
    pub status: u16,
}

/// How the question went.
pub enum Resolution {
    Live(LiveYear),
    /// TI answered, but with a zero-row body or an error page: it serves nothing now.
    NothingServed(String),
    /// TI could not be asked (5xx, timeouts, an outage longer than the patience).
    Unreachable(String),
}

/// The URL of the question: summary, bare path, month-end slot empty. The as-of slot holds
/// yesterday and the token yesterday's program year, as the dashboard's own page writes
/// them; TI ignores both on this path (§3.2).
pub fn question_url(base: &str, today: NaiveDate) -> String {
    let yesterday = today.pred_opt().unwrap_or(today);
    Target::latest(yesterday, program_year_start(yesterday)).url(base, Report::Summary, "")
}

pub fn resolve(base: &str, client: &Client, today: NaiveDate) -> Resolution {
    let url = question_url(base, today);
    let rel = "all-districts.csv (live year)";
    match client.fetch(&url, |b| check_latest(rel, b)) {
        Answer::Good {
            status,
            bytes,
            value: (good, (year, month)),
        } => {
            let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(good.as_of);
            let start = program_year_start(first);
            let footer = format!(
                "Month of {}, As of {}",
                &month_name(month)[..3],
                good.as_of.format("%m/%d/%Y")
            );
            Resolution::Live(LiveYear {
                program_year: format!("{start}-{}", start + 1),
                start,
                as_of: good.as_of,
                data_month: format!("{year:04}-{month:02}"),
                learned_from: format!(
                    "the footer \"{footer}\" of the summary at the bare /export.aspx (month-end slot empty: TI's newest data): {} data is program year {start}-{}",
                    first.format("%B %Y"),
                    start + 1
                ),
                url,
                summary: bytes,
                status,
            })
        }
        Answer::NoData(reason) => Resolution::NothingServed(format!("{url}: {reason}")),
        Answer::ErrorPage { status, location } => {
            Resolution::NothingServed(format!("{url}: HTTP {status} redirect to {location}"))
        }
        Answer::Failed { reason, .. } => Resolution::Unreachable(client.unreachable().unwrap_or_else(|| format!(
            "TI is unreachable: the question which program year is live ({url}) got no usable answer: {reason}"
        ))),
        Answer::Stopped => Resolution::Unreachable(
            client
                .stop_reason()
                .unwrap_or_else(|| "TI is unreachable".to_string()),
        ),
    }
}
