//! TI's export URLs (DOMAIN.md §3.2): which dashboard path serves a program year, the
//! `report=` value with its `~` slots, and unpadded `M/D/YYYY` dates. This is the contract
//! with TI; nothing else in the tool builds an export URL.
//!
//! Two paths, not interchangeable (§3.2, toast-stats #1342): the **live** program year is
//! served only at the bare `/export.aspx` (its `/{PY}/` path answers HTTP 500), every closed
//! year only at `/{PY}/export.aspx` (the bare path ignores the `~{PY}` token and would
//! answer with the live year). Which year is live is learned per run ([`super::live`]).

use crate::cache::eras::Report;
use crate::cache::footer::{last_day_of_month, program_year_start};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// The public dashboard the exports come from.
pub const DEFAULT_BASE_URL: &str = "https://dashboards.toastmasters.org";

/// Which row of DOMAIN.md §3.2's table a request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// Month-end slot empty: TI's newest data of the live year, whatever the as-of slot
    /// says; the footer tells which day it is (the nightly collection).
    Latest,
    /// Month-end slot filled with the data month's last day, as-of the day: that day.
    Day,
    /// A month's final figures: month-end slot = the month's last day, as-of empty.
    MonthEnd,
    /// A closed program year's June close: both slots empty.
    Archived,
}

/// Which dashboard path a request goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dashboard {
    /// The bare `/export.aspx`: the live program year only.
    Live,
    /// `/{PY}/export.aspx`: a closed program year.
    Closed,
}

/// One way of asking TI for one date: the folder it lands in and the URL's parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// The folder date `raw-csv/<date>/`.
    pub date: NaiveDate,
    pub form: Form,
    pub dashboard: Dashboard,
    /// Start year of the program year asked for (and that the footer must name).
    pub py_start: i32,
    /// The month-end slot, when filled.
    pub month_end: Option<NaiveDate>,
}

impl Target {
    /// The live year's newest data, expected as of `date` (the footer of the summary that
    /// resolved the live year).
    pub fn latest(date: NaiveDate, live_start: i32) -> Target {
        Target {
            date,
            form: Form::Latest,
            dashboard: Dashboard::Live,
            py_start: live_start,
            month_end: None,
        }
    }

    /// One day asked with the month-end slot `month_end` (the last day of the month whose
    /// figures the day shows), of the live dashboard or a closed one.
    pub fn day(date: NaiveDate, month_end: NaiveDate, py_start: i32, live_start: i32) -> Target {
        Target {
            date,
            form: Form::Day,
            dashboard: dashboard_of(py_start, live_start),
            py_start,
            month_end: Some(month_end),
        }
    }

    /// The final figures of the month ending on `month_end`: a closed year's June close is
    /// its archive (both slots empty, §3.2 "whole closed year"); any other month end asks
    /// with the month-end slot filled and the as-of slot empty.
    pub fn month_end(month_end: NaiveDate, live_start: i32) -> Target {
        let py_start = program_year_start(month_end);
        let archived = month_end.month() == 6 && py_start < live_start;
        Target {
            date: month_end,
            form: if archived {
                Form::Archived
            } else {
                Form::MonthEnd
            },
            dashboard: dashboard_of(py_start, live_start),
            py_start,
            month_end: (!archived).then_some(month_end),
        }
    }

    /// `"2025-2026"`.
    pub fn program_year(&self) -> String {
        format!("{}-{}", self.py_start, self.py_start + 1)
    }

    /// The `(monthEnd, asOf)` slots.
    fn slots(&self) -> (String, String) {
        let me = self.month_end.map(us_date).unwrap_or_default();
        match self.form {
            Form::Latest | Form::Day => (me, us_date(self.date)),
            Form::MonthEnd => (me, String::new()),
            Form::Archived => (String::new(), String::new()),
        }
    }

    /// The `report=` value for `report` (the summary ignores `district`).
    pub fn report_value(&self, report: Report, district: &str) -> String {
        let (month_end, as_of) = self.slots();
        let py = self.program_year();
        match report {
            Report::Summary => format!("districtsummary~{month_end}~{as_of}~{py}"),
            _ => format!(
                "{}~{district}~{month_end}~{as_of}~{py}",
                report_name(report)
            ),
        }
    }

    /// The full export URL under `base` (no trailing slash needed).
    pub fn url(&self, base: &str, report: Report, district: &str) -> String {
        let base = base.trim_end_matches('/');
        let value = self.report_value(report, district);
        match self.dashboard {
            Dashboard::Live => format!("{base}/export.aspx?type=CSV&report={value}"),
            Dashboard::Closed => format!(
                "{base}/{}/export.aspx?type=CSV&report={value}",
                self.program_year()
            ),
        }
    }

    /// What the footer's as-of stamp must be for a download to count as the requested date:
    /// the day itself, except for final figures, which any as-of on or after the month end
    /// carries (archived closes are stamped with the download date, §3.3).
    pub fn as_of_rule(&self) -> AsOfRule {
        match self.form {
            Form::Latest | Form::Day => AsOfRule::Exactly(self.date),
            Form::MonthEnd | Form::Archived => AsOfRule::OnOrAfter(self.date),
        }
    }
}

fn dashboard_of(py_start: i32, live_start: i32) -> Dashboard {
    if py_start >= live_start {
        Dashboard::Live
    } else {
        Dashboard::Closed
    }
}

/// The ways of asking for day `date` of TI's history, most likely first, given the live
/// year. TI answers a day only when the month-end slot names the last day of the month the
/// day's figures belong to (§3.2: `7/31/2026~7/26/2026` for an ordinary day, the previous
/// month's end during a closing period, e.g. `8/31/2025~9/8/2025`), and a day's figures can
/// belong to the previous program year: the first weeks of July show the June close (§3.1).
/// Which of these it is shows only in the answer, so the caller tries them in order.
pub fn day_targets(date: NaiveDate, live_start: i32) -> Vec<Target> {
    let own_end = last_day_of_month(date.year(), date.month());
    let first = date.with_day(1).unwrap_or(date);
    let prev_end = first.pred_opt().unwrap_or(first);
    let cal_start = program_year_start(date);
    // A day of a year after the live one is only reachable through the live dashboard,
    // which is still showing its predecessor's June close (§3.1, the July dark window).
    let own_py = cal_start.min(live_start);
    let mut out = Vec::new();
    if cal_start <= live_start {
        out.push(Target::day(date, own_end, own_py, live_start));
    }
    let prev_py = program_year_start(prev_end);
    out.push(Target::day(
        date,
        prev_end,
        prev_py.min(live_start),
        live_start,
    ));
    out.dedup();
    out
}

/// What the footer's as-of stamp must be for a download to count as the requested date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOfRule {
    Exactly(NaiveDate),
    OnOrAfter(NaiveDate),
}

/// The report name TI's export takes.
pub fn report_name(report: Report) -> &'static str {
    match report {
        Report::Summary => "districtsummary",
        Report::Club => "clubperformance",
        Report::District => "districtperformance",
        Report::Division => "divisionperformance",
    }
}

/// `M/D/YYYY` without zero padding, as TI's dashboard writes it.
pub fn us_date(d: NaiveDate) -> String {
    format!("{}/{}/{}", d.month(), d.day(), d.year())
}

/// The month ends from `from` to `to` inclusive (each month whose last day is in range).
pub fn month_ends(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    loop {
        let end = last_day_of_month(y, m);
        if end > to {
            break;
        }
        if end >= from {
            out.push(end);
        }
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// Every day from `from` to `to` inclusive.
pub fn days(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days().take_while(|d| *d <= to).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_live_year_is_asked_at_the_bare_path_and_closed_years_under_their_own() {
        // DOMAIN.md §3.2: `/{livePY}/export.aspx` answers HTTP 500; only the bare path
        // serves the live year.
        let t = Target::latest(d(2026, 10, 5), 2026);
        assert_eq!(
            t.url("https://x.test/", Report::Summary, ""),
            "https://x.test/export.aspx?type=CSV&report=districtsummary~~10/5/2026~2026-2027"
        );
        assert_eq!(
            t.report_value(Report::Club, "109"),
            "clubperformance~109~~10/5/2026~2026-2027"
        );
        let closed = Target::day(d(2025, 9, 8), d(2025, 8, 31), 2025, 2026);
        assert_eq!(
            closed.url("http://ti", Report::Club, "61"),
            "http://ti/2025-2026/export.aspx?type=CSV&report=clubperformance~61~8/31/2025~9/8/2025~2025-2026"
        );
    }

    #[test]
    fn a_day_is_asked_with_its_own_month_end_then_the_previous_one() {
        // §3.2 #1384: `districtsummary~7/31/2026~7/26/2026~2026-2027` → as of 07/26/2026.
        let ts = day_targets(d(2026, 7, 26), 2026);
        assert_eq!(
            ts[0].report_value(Report::Summary, ""),
            "districtsummary~7/31/2026~7/26/2026~2026-2027"
        );
        assert_eq!(ts[0].dashboard, Dashboard::Live);
        // The same July day may show the June close of 2025-26, now a closed year.
        assert_eq!(
            ts[1].url("http://ti", Report::Division, "F"),
            "http://ti/2025-2026/export.aspx?type=CSV&report=divisionperformance~F~6/30/2026~7/26/2026~2025-2026"
        );
        // During a closing period (January showing December) both are the live year.
        let jan = day_targets(d(2026, 1, 5), 2025);
        assert_eq!(
            jan[1].report_value(Report::Club, "61"),
            "clubperformance~61~12/31/2025~1/5/2026~2025-2026"
        );
        assert!(jan.iter().all(|t| t.dashboard == Dashboard::Live));
    }

    #[test]
    fn in_the_july_dark_window_a_new_years_day_is_the_live_june_close() {
        // §3.1: until TI publishes 2026-27, the bare path serves 2025-26's June close.
        let ts = day_targets(d(2026, 7, 10), 2025);
        assert_eq!(ts.len(), 1);
        assert_eq!(
            ts[0].url("http://ti", Report::Summary, ""),
            "http://ti/export.aspx?type=CSV&report=districtsummary~6/30/2026~7/10/2026~2025-2026"
        );
    }

    #[test]
    fn month_ends_take_the_data_months_program_year_and_archive_closed_junes() {
        let june = Target::month_end(d(2025, 6, 30), 2026);
        assert_eq!(june.form, Form::Archived);
        assert_eq!(
            june.url("http://ti", Report::District, "91"),
            "http://ti/2024-2025/export.aspx?type=CSV&report=districtsummary~~~2024-2025"
                .replace("districtsummary~", "districtperformance~91~")
        );
        let march = Target::month_end(d(2026, 3, 31), 2026);
        assert_eq!(
            march.url("http://ti", Report::Summary, ""),
            "http://ti/2025-2026/export.aspx?type=CSV&report=districtsummary~3/31/2026~~2025-2026"
        );
        let live = Target::month_end(d(2026, 10, 31), 2026);
        assert_eq!(
            live.url("http://ti", Report::Summary, ""),
            "http://ti/export.aspx?type=CSV&report=districtsummary~10/31/2026~~2026-2027"
        );
        // The live year's June (dark window) is not an archive yet.
        let open = Target::month_end(d(2026, 6, 30), 2025);
        assert_eq!(
            (open.form, open.dashboard),
            (Form::MonthEnd, Dashboard::Live)
        );
    }

    #[test]
    fn month_end_and_day_ranges() {
        assert_eq!(
            month_ends(d(2024, 1, 15), d(2024, 3, 31)),
            [d(2024, 1, 31), d(2024, 2, 29), d(2024, 3, 31)]
        );
        assert_eq!(month_ends(d(2024, 1, 1), d(2024, 1, 30)), []);
        assert_eq!(days(d(2025, 12, 30), d(2026, 1, 1)).len(), 3);
    }
}
