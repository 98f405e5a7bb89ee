//! The sample's calendar: program year 2025-26, its folder dates, day numbers counted from
//! 1 July, TI's short date cells, and [`Ctx`], everything one folder date decides (program
//! month of its data, closing period, footer line, collector timestamp).

use chrono::{Datelike, Days, NaiveDate};

pub(super) const PY_START: i32 = 2025;
/// Folder dates (YYYYMMDD), oldest first; `dates: K` takes the last K. A folder in the first
/// week of a month is a closing-period download still carrying the previous month's data.
pub(super) const DATES: [u32; 12] = [
    20250726, 20250820, 20250920, 20251020, 20251120, 20251220, 20260120, 20260220, 20260305,
    20260322, 20260405, 20260420,
];
/// Program month (July = 0) of April data: club codes and area/division words start here.
pub(super) const APRIL: i64 = 9;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Days since 1 July of the program year.
pub(super) fn day_of(y: i32, m: u32, d: u32) -> i64 {
    (ymd(y, m, d) - ymd(PY_START, 7, 1)).num_days()
}

/// `MM/DD/YY`, as in TI's charter/suspend cells.
pub(super) fn short_date(day: i64) -> String {
    let date = ymd(PY_START, 7, 1) + Days::new(day as u64);
    date.format("%m/%d/%y").to_string()
}

pub(super) struct Ctx {
    pub(super) folder: String,
    pub(super) day: i64,
    /// Program month of the data month (July = 0 … June = 11).
    pub(super) pm: i64,
    pub(super) closing: bool,
    pub(super) data_month: String,
    pub(super) footer: String,
    pub(super) timestamp: i64,
}

impl Ctx {
    pub(super) fn new(code: u32) -> Ctx {
        let date = ymd((code / 10_000) as i32, code / 100 % 100, code % 100);
        let closing = date.day() <= 7;
        let data = if closing { date - Days::new(10) } else { date };
        let (month, as_of) = (data.format("%b"), date.format("%m/%d/%Y"));
        let noon = date.and_hms_opt(14, 40, 0).expect("valid time");
        Ctx {
            folder: date.format("%Y-%m-%d").to_string(),
            day: day_of(date.year(), date.month(), date.day()),
            pm: (i64::from(data.month()) + 5) % 12,
            closing,
            data_month: data.format("%Y-%m").to_string(),
            footer: format!("Month of {month}, As of {as_of}"),
            timestamp: noon.and_utc().timestamp_millis(),
        }
    }
}
