//! The sample's calendar: two program years (2025-26 in era C, 2026-27 in era D), the folder
//! dates a collector leaves behind, day numbers counted from 1 July of each program year,
//! TI's short date cells, and [`Ctx`], everything one folder date decides (program year and
//! month of its data, closing period, footer line, collector timestamp).
//!
//! The timeline a cache of `K` dates holds, oldest first (DOMAIN.md §1.2, §3.3–§3.5):
//! - the final close of every month before the collector ran daily, in a folder dated at the
//!   month's last day whose footer carries TI's closing date (`Month of Mar, As of
//!   04/09/2026`); the June 2026 close is an archived download (as-of weeks later);
//! - then one folder a day up to [`NEWEST`]: the last day of a month is a daily download, the
//!   first days of the next month are closing-period downloads (footer of the previous month)
//!   until the close ends, and the days between the June close and TI's first publication of
//!   the new program year (26 July) have no folder, as TI serves nothing usable then.
//!
//! The daily stretch grows backwards from [`NEWEST`] until the cache holds `K` dates, so a
//! long cache (`--dates 180`) is what a nightly collector leaves after half a year.

use super::rng::mix;
use crate::cache::footer::{last_day_of_month, program_year_start};
use anyhow::{Result, bail};
use chrono::{Datelike, Days, NaiveDate};

/// Start years of the sample's program years, oldest first.
pub(super) const PYS: [i32; 2] = [2025, 2026];
/// The newest folder date: the collector's last run.
const NEWEST: (i32, u32, u32) = (2026, 11, 8);
/// Day of July on which TI first publishes a new program year (DOMAIN.md §3.1).
const FIRST_PUBLISHED: u32 = 26;
/// Program month (July = 0) of April data: club codes and area/division words start here.
pub(super) const APRIL: i64 = 9;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Index in [`PYS`] of the program year starting in `start`.
pub(super) fn py_index(start: i32) -> usize {
    PYS.iter().position(|&p| p == start).unwrap_or(0)
}

/// Days since 1 July of program year `py` (its start year).
pub(super) fn day_of(py: i32, y: i32, m: u32, d: u32) -> i64 {
    (ymd(y, m, d) - ymd(py, 7, 1)).num_days()
}

/// `MM/DD/YY` of day `day` of program year `py`, as in TI's charter/suspend cells.
pub(super) fn short_date(py: i32, day: i64) -> String {
    let date = ymd(py, 7, 1) + Days::new(day as u64);
    date.format("%m/%d/%y").to_string()
}

/// The day of program year `py` of the newest data date: nothing later is ever shown.
pub(super) fn horizon(py: i32) -> i64 {
    let (y, m, d) = NEWEST;
    day_of(py, y, m, d).min(day_of(py, py + 1, 6, 30))
}

/// Days into the next month that TI keeps closing `month` of `year`: the two months the
/// closing-date registry of DOMAIN.md §3.3 gives, about three weeks for June, a short close
/// of October 2026 (so the committed sample stays small), 5–10 days otherwise.
fn close_days(year: i32, month: u32) -> u32 {
    match (year, month) {
        (2025, 12) => 8,
        (2026, 1) => 13,
        (2026, 10) => 3,
        (_, 6) => 19,
        _ => 5 + (mix(year as u64 * 12 + u64::from(month)) % 6) as u32,
    }
}

use crate::cache::footer::next_month;

fn prev_month(year: i32, month: u32) -> (i32, u32) {
    if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    }
}

/// What kind of download a folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The final figures of a month, downloaded after the close (as-of later than the folder).
    Close,
    /// The collector's nightly download of the current month.
    Daily,
    /// A download during the close of the previous month.
    Closing,
}

pub(super) struct Ctx {
    pub(super) folder: String,
    /// Start year of the program year of the data.
    pub(super) py: i32,
    /// Day of the data within its program year (the month end for closes and closing
    /// downloads).
    pub(super) day: i64,
    /// Program month of the data month (July = 0 … June = 11).
    pub(super) pm: i64,
    pub(super) closing: bool,
    /// A nightly collector's download, which writes `metadata.json`; backfilled closes do not.
    pub(super) collected: bool,
    pub(super) data_month: String,
    pub(super) footer: String,
    pub(super) timestamp: i64,
}

impl Ctx {
    fn new(folder: NaiveDate, kind: Kind) -> Ctx {
        let data = match kind {
            Kind::Closing => {
                let (y, m) = prev_month(folder.year(), folder.month());
                last_day_of_month(y, m)
            }
            Kind::Close | Kind::Daily => folder,
        };
        let as_of = match kind {
            Kind::Close if (data.year(), data.month()) == (2026, 6) => ymd(2026, 8, 14),
            Kind::Close => {
                let (y, m) = next_month(data.year(), data.month());
                ymd(y, m, close_days(data.year(), data.month()))
            }
            Kind::Daily | Kind::Closing => folder,
        };
        let py = program_year_start(data);
        let collected = as_of.and_hms_opt(14, 40, 0).expect("valid time");
        Ctx {
            folder: folder.format("%Y-%m-%d").to_string(),
            py,
            day: day_of(py, data.year(), data.month(), data.day()),
            pm: (i64::from(data.month()) + 5) % 12,
            closing: kind == Kind::Closing,
            collected: kind != Kind::Close,
            data_month: data.format("%Y-%m").to_string(),
            footer: format!(
                "Month of {}, As of {}",
                data.format("%b"),
                as_of.format("%m/%d/%Y")
            ),
            timestamp: collected.and_utc().timestamp_millis(),
        }
    }

    pub(super) fn py_label(&self) -> String {
        format!("{}-{}", self.py, self.py + 1)
    }
}

/// The download a nightly collector stores on `date`, if TI served one.
fn daily_kind(date: NaiveDate) -> Option<Kind> {
    let (py, pm) = prev_month(date.year(), date.month());
    if date.day() <= close_days(py, pm) {
        return Some(Kind::Closing);
    }
    let unpublished = date.month() == 7 && date.day() < FIRST_PUBLISHED;
    (!unpublished).then_some(Kind::Daily)
}

/// The last day of every month of the sample's program years up to `before` (exclusive).
fn month_ends(before: NaiveDate) -> Vec<NaiveDate> {
    let (mut y, mut m) = (PYS[0], 7);
    let mut out = Vec::new();
    loop {
        let end = last_day_of_month(y, m);
        if end >= before {
            return out;
        }
        out.push(end);
        (y, m) = next_month(y, m);
    }
}

/// The folder dates of a cache of `k` dates, oldest first.
pub(super) fn timeline(k: usize) -> Result<Vec<Ctx>> {
    let newest = ymd(NEWEST.0, NEWEST.1, NEWEST.2);
    let first = ymd(PYS[0], 7, FIRST_PUBLISHED);
    // At least the newest month's daily dates and the close before them: a short cache is
    // the newest part of the standard timeline.
    let (y, m) = prev_month(newest.year(), newest.month());
    let mut start = last_day_of_month(y, m);
    loop {
        // A daily stretch never starts inside a close: it takes the month's last day with
        // it, so a closing download never competes with a final close of the same month.
        let mut from = start;
        while daily_kind(from) == Some(Kind::Closing) {
            from = from.pred_opt().expect("date in range");
        }
        let days: Vec<NaiveDate> = from.iter_days().take_while(|d| *d <= newest).collect();
        let daily: Vec<(NaiveDate, Kind)> = days
            .into_iter()
            .filter_map(|d| daily_kind(d).map(|kind| (d, kind)))
            .collect();
        let closes = month_ends(from);
        if closes.len() + daily.len() >= k {
            let all = closes
                .into_iter()
                .map(|d| (d, Kind::Close))
                .chain(daily)
                .collect::<Vec<_>>();
            let skip = all.len() - k;
            return Ok(all[skip..]
                .iter()
                .map(|&(d, kind)| Ctx::new(d, kind))
                .collect());
        }
        if from <= first {
            bail!(
                "a sample holds at most {} dates",
                closes.len() + daily.len()
            );
        }
        start = from.pred_opt().expect("date in range");
    }
}
