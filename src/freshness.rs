//! When TI's figures are due and when they are overdue: the one home of these rules, read
//! by `status` (the store's health check) and by `api/v1/status.json` (what a static
//! site tells monitors), so the two never disagree about a site's age.
//!
//! TI publishes new figures every day, closing periods included: the dashboard shows the
//! previous day's figures (DOMAIN.md §1.2), and while a month closes the data date stays
//! on the month end as the as-of date moves on (§3.3). A snapshot's age therefore counts
//! from the later of its data date and its as-of date.

use crate::cache::footer::{DataPeriod, last_day_of_month};
use chrono::{Days, NaiveDate};
use serde::Serialize;

/// The default data-age limit. A week tolerates TI outages and a few missed nightly runs
/// and still flags a stuck fetch within one week.
pub const MAX_DATA_AGE_DAYS: u32 = 7;

/// The date a snapshot's age counts from: the later of its data date and TI's as-of date.
pub fn newest_date(data_date: NaiveDate, as_of_date: Option<NaiveDate>) -> NaiveDate {
    as_of_date.map_or(data_date, |a| a.max(data_date))
}

/// TI's next figures are as of the day after the newest ones. While a month closes they
/// may still be that month's (the data date stays on its last day); on 1 July they are
/// the June close of the program year that just ended, not the new year's.
pub fn next_data_expected(newest: NaiveDate) -> NaiveDate {
    next_day(newest)
}

/// The day the nightly run collects the figures as of `as_of`: TI's newest figures are
/// always yesterday's, so figures as of a date can be fetched from the day after.
pub fn collection_day(as_of: NaiveDate) -> NaiveDate {
    next_day(as_of)
}

/// The last day on which data whose age counts from `newest` is still fresh; from the
/// day after it, `status` reports the data as stale.
pub fn stale_after(newest: NaiveDate, max_data_age_days: u32) -> NaiveDate {
    newest
        .checked_add_days(Days::new(max_data_age_days.into()))
        .unwrap_or(NaiveDate::MAX)
}

/// Data whose age counts from `newest` is stale on `today`.
pub fn is_stale(newest: NaiveDate, today: NaiveDate, max_data_age_days: u32) -> bool {
    today > stale_after(newest, max_data_age_days)
}

fn next_day(d: NaiveDate) -> NaiveDate {
    d.succ_opt().unwrap_or(NaiveDate::MAX)
}

/// What kind of figures a snapshot presents (`state` in `status.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FigureState {
    /// A day of the running month, as TI published it that day. The last day of a month
    /// is `daily` too until TI's closing figures replace it.
    Daily,
    /// The previous month's figures that TI keeps publishing into the new month while it
    /// closes that month: dated on the month's last day, they may still change.
    Closing,
    /// A month's last day as TI finally left it: the export was taken after the month
    /// ended (its as-of date is later than its data date) and is not a closing-period
    /// download, which is what archived and month-end re-downloads are.
    MonthEndFinal,
}

/// The state of figures of `period` stamped as of `as_of_date` (`None`: no footer);
/// `month_closed`: the cache holds data of a later month, so TI has finished this one and
/// even a collection made during its close holds the final figures.
pub fn figure_state(
    period: &DataPeriod,
    as_of_date: Option<NaiveDate>,
    month_closed: bool,
) -> FigureState {
    let (year, month) = period.data_month;
    let month_end = period.data_date == last_day_of_month(year, month);
    if period.closing && !month_closed {
        FigureState::Closing
    } else if month_end && (month_closed || as_of_date.is_some_and(|a| a > period.data_date)) {
        FigureState::MonthEndFinal
    } else {
        FigureState::Daily
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::footer::data_period;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// (data date, as-of) → (next data, its collection, stale after) with the default limit.
    fn expected(data: &str, as_of: Option<&str>) -> (NaiveDate, NaiveDate, NaiveDate) {
        let newest = newest_date(d(data), as_of.map(d));
        let next = next_data_expected(newest);
        (
            next,
            collection_day(next),
            stale_after(newest, MAX_DATA_AGE_DAYS),
        )
    }

    #[test]
    fn next_figures_across_a_month_end() {
        // 31 October's figures: TI's next are as of 1 November (October's closing
        // figures), fetched on 2 November.
        assert_eq!(
            expected("2026-10-31", Some("2026-10-31")),
            (d("2026-11-01"), d("2026-11-02"), d("2026-11-07"))
        );
        // year end and a leap day
        assert_eq!(
            expected("2026-12-31", Some("2026-12-31")).0,
            d("2027-01-01")
        );
        assert_eq!(
            expected("2028-02-28", Some("2028-02-28")).0,
            d("2028-02-29")
        );
    }

    #[test]
    fn next_figures_in_a_closing_period_count_from_the_as_of_date() {
        // October closing, collected 3 November: the data date stays on 31 October,
        // the next figures are as of 4 November.
        assert_eq!(
            expected("2026-10-31", Some("2026-11-03")),
            (d("2026-11-04"), d("2026-11-05"), d("2026-11-10"))
        );
        // no footer: only the data date is known
        assert_eq!(expected("2026-10-31", None).0, d("2026-11-01"));
    }

    #[test]
    fn next_figures_after_30_june_are_the_june_close_of_1_july() {
        assert_eq!(
            expected("2026-06-30", Some("2026-06-30")),
            (d("2026-07-01"), d("2026-07-02"), d("2026-07-07"))
        );
        // the folder of 1 July holds June's figures: closing, still the old year's
        let p = data_period(d("2026-07-01"), 6);
        assert_eq!(
            figure_state(&p, Some(d("2026-07-01")), false),
            FigureState::Closing
        );
        assert_eq!(crate::cache::footer::program_year(p.data_date), "2025-2026");
    }

    #[test]
    fn stale_from_the_day_after_stale_after() {
        let newest = d("2026-11-08");
        assert_eq!(stale_after(newest, 7), d("2026-11-15"));
        assert!(!is_stale(newest, d("2026-11-15"), 7));
        assert!(is_stale(newest, d("2026-11-16"), 7));
        assert!(!is_stale(newest, d("2026-11-08"), 0));
        assert!(is_stale(newest, d("2026-11-09"), 0));
    }

    #[test]
    fn figure_states() {
        // a day of the running month
        let p = data_period(d("2026-11-08"), 11);
        assert_eq!(
            figure_state(&p, Some(d("2026-11-08")), false),
            FigureState::Daily
        );
        // a month's last day before TI's close
        let p = data_period(d("2026-10-31"), 10);
        assert_eq!(
            figure_state(&p, Some(d("2026-10-31")), false),
            FigureState::Daily
        );
        assert_eq!(figure_state(&p, None, false), FigureState::Daily);
        // a later month's data is in the cache: the month is over
        assert_eq!(figure_state(&p, None, true), FigureState::MonthEndFinal);
        // October's figures collected in November
        let p = data_period(d("2026-11-03"), 10);
        assert_eq!(
            figure_state(&p, Some(d("2026-11-03")), false),
            FigureState::Closing
        );
        // ... and once November's own data is in the cache: final
        assert_eq!(
            figure_state(&p, Some(d("2026-11-03")), true),
            FigureState::MonthEndFinal
        );
        // a month end downloaded after the month (an archive or a month-end re-download)
        let p = data_period(d("2026-06-30"), 6);
        assert_eq!(
            figure_state(&p, Some(d("2026-08-14")), false),
            FigureState::MonthEndFinal
        );
        // a later as-of on a day that is not a month end is still a day's figures
        let p = data_period(d("2026-11-07"), 11);
        assert_eq!(
            figure_state(&p, Some(d("2026-11-08")), false),
            FigureState::Daily
        );
    }
}
