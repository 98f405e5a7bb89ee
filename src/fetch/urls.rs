//! TI's export URLs (DOMAIN.md §3.2): which URL form a requested date uses, the
//! `report=` value with its `~` slots, and unpadded `M/D/YYYY` dates. This is the contract
//! with TI; nothing else in the tool builds an export URL.

use crate::cache::eras::Report;
use crate::cache::footer::{last_day_of_month, program_year};
use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

/// The public dashboard the exports come from.
pub const DEFAULT_BASE_URL: &str = "https://dashboards.toastmasters.org";

/// Days after 30 June by which every June close is final (the longest on record took 25
/// days, DOMAIN.md §3.3); from then on a program year is served as an archive.
const JUNE_CLOSE_DAYS: u64 = 31;

/// Which row of DOMAIN.md §3.2's table a date is fetched with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// Month-end slot empty, as-of the date: TI's latest data, which must carry that as-of.
    Daily,
    /// Month-end slot = last day of the month before the date, as-of the date.
    Historical,
    /// A month's final figures: month-end slot = the month's last day, as-of empty.
    MonthEnd,
    /// A closed program year's June close: both slots empty.
    Archived,
}

/// One date to fetch: the folder it lands in and how its URLs are formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// The folder date `raw-csv/<date>/`.
    pub date: NaiveDate,
    pub form: Form,
    /// Asked of the previous program year's dashboard: a July day whose new year TI has
    /// not published yet, while the old one still serves the June close (DOMAIN.md §3.1).
    pub june_close: bool,
}

impl Target {
    /// A daily collection of `date` (`--date`).
    pub fn daily(date: NaiveDate) -> Target {
        Target {
            date,
            form: Form::Daily,
            june_close: false,
        }
    }

    /// A backfilled past day (`--from/--to`).
    pub fn historical(date: NaiveDate) -> Target {
        Target {
            date,
            form: Form::Historical,
            june_close: false,
        }
    }

    /// The final figures of the month ending on `month_end` (`--month-ends`), as an archive
    /// when that is the June close of a program year that is closed on `today`.
    pub fn month_end(month_end: NaiveDate, today: NaiveDate) -> Target {
        let archived = month_end.month() == 6
            && month_end
                .checked_add_days(Days::new(JUNE_CLOSE_DAYS))
                .is_some_and(|final_day| today > final_day);
        Target {
            date: month_end,
            form: if archived {
                Form::Archived
            } else {
                Form::MonthEnd
            },
            june_close: false,
        }
    }

    /// The program year whose dashboard serves this date: that of the data month, which is
    /// the folder date's own month for every form (DOMAIN.md §3.1: never the collection date
    /// of a June close), except for a July day asked of the June close.
    pub fn program_year(&self) -> String {
        if self.june_close {
            program_year(last_day_of_month(self.date.year(), 6))
        } else {
            program_year(self.date)
        }
    }

    /// The same July day asked of the previous program year, when this is a daily
    /// collection in July (TI publishes a new year weeks after 1 July, §3.1).
    pub fn june_close_fallback(&self) -> Option<Target> {
        (self.form == Form::Daily && self.date.month() == 7 && !self.june_close).then_some(Target {
            june_close: true,
            ..*self
        })
    }

    /// The `(monthEnd, asOf)` slots.
    fn slots(&self) -> (String, String) {
        match self.form {
            Form::Daily => (String::new(), us_date(self.date)),
            Form::Historical => {
                let first = self.date.with_day(1).unwrap_or(self.date);
                let prev = first.pred_opt().unwrap_or(first);
                (us_date(prev), us_date(self.date))
            }
            Form::MonthEnd => (us_date(self.date), String::new()),
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
        format!(
            "{}/{}/export.aspx?type=CSV&report={}",
            base.trim_end_matches('/'),
            self.program_year(),
            self.report_value(report, district)
        )
    }

    /// The first day whose data TI must have published for this download: the date itself
    /// for daily and historical forms; for final figures, any as-of on or after the month end.
    pub fn as_of_rule(&self) -> AsOfRule {
        match self.form {
            Form::Daily | Form::Historical => AsOfRule::Exactly(self.date),
            Form::MonthEnd | Form::Archived => AsOfRule::OnOrAfter(self.date),
        }
    }
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
    fn daily_leaves_the_month_end_slot_empty() {
        // DOMAIN.md §3.2: `clubperformance~109~~6/30/2025~2024-2025`
        let t = Target::daily(d(2025, 6, 30));
        assert_eq!(
            t.report_value(Report::Club, "109"),
            "clubperformance~109~~6/30/2025~2024-2025"
        );
        assert_eq!(
            t.url("https://x.test/", Report::Summary, ""),
            "https://x.test/2024-2025/export.aspx?type=CSV&report=districtsummary~~6/30/2025~2024-2025"
        );
    }

    #[test]
    fn historical_uses_the_previous_month_end_unpadded() {
        // DOMAIN.md §3.2: `clubperformance~61~8/31/2025~9/8/2025~2025-2026`
        let t = Target::historical(d(2025, 9, 8));
        assert_eq!(
            t.report_value(Report::Club, "61"),
            "clubperformance~61~8/31/2025~9/8/2025~2025-2026"
        );
        let jan = Target::historical(d(2026, 1, 5));
        assert_eq!(
            jan.report_value(Report::Division, "F"),
            "divisionperformance~F~12/31/2025~1/5/2026~2025-2026"
        );
    }

    #[test]
    fn month_ends_take_the_data_months_program_year_and_archive_closed_junes() {
        let today = d(2026, 11, 30);
        let june = Target::month_end(d(2025, 6, 30), today);
        assert_eq!(june.form, Form::Archived);
        assert_eq!(
            june.report_value(Report::District, "91"),
            "districtperformance~91~~~2024-2025"
        );
        let march = Target::month_end(d(2026, 3, 31), today);
        assert_eq!(
            march.report_value(Report::Summary, ""),
            "districtsummary~3/31/2026~~2025-2026"
        );
        // A June close still being finalised is not an archive yet.
        let open = Target::month_end(d(2026, 6, 30), d(2026, 7, 20));
        assert_eq!(open.form, Form::MonthEnd);
        assert_eq!(
            open.report_value(Report::Club, "61"),
            "clubperformance~61~6/30/2026~~2025-2026"
        );
    }

    #[test]
    fn a_july_day_can_be_asked_of_the_june_close() {
        let t = Target::daily(d(2026, 7, 10));
        assert_eq!(t.program_year(), "2026-2027");
        let june = t.june_close_fallback().unwrap();
        assert_eq!(
            june.url("http://ti", Report::Club, "61"),
            "http://ti/2025-2026/export.aspx?type=CSV&report=clubperformance~61~~7/10/2026~2025-2026"
        );
        assert!(june.june_close_fallback().is_none());
        assert!(Target::daily(d(2026, 8, 1)).june_close_fallback().is_none());
        assert!(
            Target::historical(d(2026, 7, 10))
                .june_close_fallback()
                .is_none()
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
