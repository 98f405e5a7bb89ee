//! Verifies a downloaded body against its request before it can land (DOMAIN.md §3.2,
//! toast-stats #1384/#1669), with the reader `build` uses ([`Table::parse`]: header era,
//! rows, footer): the footer's as-of date is the one asked for (final figures excepted),
//! its program year is the one asked for, every data row's `District` is the requested
//! district, and there is at least one data row.
//!
//! Each way a body can be wrong is named for what it is, and sorted by what to do about it:
//! an HTML page served with 200, an empty or cut-off body, a body without a footer, or one
//! for another day, year or district is [`Bad::Retry`] (often transient, retried like a
//! 5xx); a body with a header, a footer and no rows is TI's answer for a period it has
//! nothing for, [`Bad::NoData`]: neither data nor an error.

use super::urls::{AsOfRule, Target};
use crate::cache::eras::{Col, Report};
use crate::cache::footer::{DataPeriod, data_period, program_year_start};
use crate::cache::table::Table;
use crate::diag::Diag;
use crate::model::same_district;
use chrono::{Datelike, NaiveDate};

/// A body that is a usable export of the requested date.
#[derive(Debug, Clone)]
pub struct Good {
    pub as_of: NaiveDate,
    pub period: DataPeriod,
    pub rows: usize,
}

/// Why a body is not stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bad {
    /// Not an export at all (an HTML page, an empty or cut-off body, no footer): asked
    /// again like a 5xx, and part of an outage when TI as a whole answers like this.
    Retry(String),
    /// A well-formed export of something else (another day, year or district): asked
    /// again `--retries` times (it is often transient), never waited out as an outage.
    Mismatch(String),
    /// Header and footer, no rows: TI has nothing for this period (not yet published, or
    /// no longer kept). Not retried.
    NoData(String),
}

impl Bad {
    pub fn reason(&self) -> &str {
        match self {
            Bad::Retry(r) | Bad::Mismatch(r) | Bad::NoData(r) => r,
        }
    }
}

/// Checks `bytes`, downloaded for `target` as `report` of `district` (empty for the
/// summary); `rel` names the file in messages.
pub fn check(
    target: &Target,
    report: Report,
    district: &str,
    rel: &str,
    bytes: &[u8],
) -> Result<Good, Bad> {
    let mut warnings = Vec::new();
    let table = Table::parse(report, rel, bytes, &mut warnings).map_err(|d| classify(&d, bytes))?;
    let Some((_, footer)) = table.footer else {
        // §3.2: a live-path body without a footer cannot be attributed to any period.
        return Err(Bad::Retry(format!(
            "{rel}: no footer line (`Month of Mmm, As of MM/DD/YYYY`) after {} rows: the body cannot be attributed to any period",
            table.rows.len()
        )));
    };
    let period = data_period(target.date, footer.month);
    let as_of = footer.as_of;
    let served = format!(
        "month {:04}-{:02} as of {as_of}",
        period.data_month.0, period.data_month.1
    );
    match target.as_of_rule() {
        AsOfRule::Exactly(want) if as_of != want => {
            return Err(Bad::Retry(format!("asked for {want}, TI served {served}")));
        }
        AsOfRule::OnOrAfter(month_end) if period.closing || as_of < month_end => {
            return Err(Bad::Mismatch(format!(
                "asked for the final figures of {month_end}, TI served {served}"
            )));
        }
        _ => {}
    }
    let first_of_month =
        NaiveDate::from_ymd_opt(period.data_month.0, period.data_month.1, 1).unwrap_or(target.date);
    let served_py = program_year_start(first_of_month);
    if served_py != target.py_start {
        return Err(Bad::Mismatch(format!(
            "asked for program year {}, TI served {served} of {}-{}",
            target.program_year(),
            served_py,
            served_py + 1
        )));
    }
    if report != Report::Summary
        && let Some(col) = table.index(Col::District)
        && let Some(row) = table
            .rows
            .iter()
            .find(|r| !same_district(r.cells.get(col).unwrap_or("").trim(), district))
    {
        return Err(Bad::Mismatch(format!(
            "{rel}:{}: asked for district {district}, TI served a row of district {}",
            row.line,
            row.cells.get(col).unwrap_or("").trim()
        )));
    }
    // A district report's month must be the month the summary was asked for; `data_period`
    // infers the year from the folder date, so a December answer to a January request
    // reads as the December before: compare the inferred month with the slot.
    if let Some(me) = target.month_end
        && matches!(
            target.form,
            super::urls::Form::Day | super::urls::Form::MonthEnd
        )
        && (period.data_month.0, period.data_month.1) != (me.year(), me.month())
    {
        // Deterministic, not transient: this slot does not serve the day.
        return Err(Bad::NoData(format!(
            "asked for month {:04}-{:02}, TI served {served}",
            me.year(),
            me.month()
        )));
    }
    Ok(Good {
        as_of,
        period,
        rows: table.rows.len(),
    })
}

/// Reads the summary that resolves the live year: any as-of and program year (they are
/// what it is asked to learn), but a footer and at least one row, as for every body.
pub fn check_latest(rel: &str, bytes: &[u8]) -> Result<(Good, (i32, u32)), Bad> {
    let mut warnings = Vec::new();
    let table = Table::parse(Report::Summary, rel, bytes, &mut warnings)
        .map_err(|d| classify(&d, bytes))?;
    let Some((_, footer)) = table.footer else {
        return Err(Bad::Retry(format!(
            "{rel}: no footer line (`Month of Mmm, As of MM/DD/YYYY`): the body cannot be attributed to any period"
        )));
    };
    // §3.4 step 4 with the as-of stamp as the reference: the newest data is as of
    // yesterday, and during a closing period its month is the one before.
    let period = data_period(footer.as_of, footer.month);
    Ok((
        Good {
            as_of: footer.as_of,
            period,
            rows: table.rows.len(),
        },
        period.data_month,
    ))
}

/// Names a reader error: the reader's own wording decides HTML, empty and header-only
/// (pinned by the tests below, so a change there shows up here); an error on a body that
/// does not end with a newline is a cut-off download.
fn classify(d: &Diag, bytes: &[u8]) -> Bad {
    let m = d.message.as_str();
    let at = d.to_string();
    if m.contains("HTML page") {
        Bad::Retry(format!("HTML page served instead of CSV: {at}"))
    } else if m.contains("file is empty") {
        Bad::Retry(format!("empty body: {at}"))
    } else if m.contains("no data rows") || m.contains("no CSV header") {
        Bad::NoData(format!(
            "zero data rows (TI has nothing for this period): {at}"
        ))
    } else if !bytes.ends_with(b"\n") {
        Bad::Retry(format!("truncated: {at}"))
    } else {
        Bad::Retry(format!("not a valid export: {at}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = r#""District","Division","Area","Club","Club Name","New","Late Ren.","Oct. Ren.","Apr. Ren.","Total Ren.","Total Chart","Total to Date","Distinguished Status","Charter Date/Suspend Date""#;
    const ROW: &str = r#""61","A","01","00000001","Club","5","0","9","9","18","0","23","","""#;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn body(footer: &str) -> Vec<u8> {
        format!("{HEADER}\r\n{ROW}\r\n{footer}\r\n").into_bytes()
    }

    fn run(target: Target, bytes: &[u8]) -> Result<Good, Bad> {
        check(&target, Report::District, "61", "raw-csv/x/d.csv", bytes)
    }

    fn retried_with(r: Result<Good, Bad>, what: &str) {
        match r {
            Err(Bad::Retry(m) | Bad::Mismatch(m)) => assert!(m.contains(what), "{m}"),
            other => panic!("expected a retry naming {what}: {other:?}"),
        }
    }

    fn latest(date: NaiveDate) -> Target {
        Target::latest(date, 2025)
    }

    #[test]
    fn a_body_with_the_requested_as_of_year_and_district_is_good() {
        let g = run(
            latest(d(2026, 4, 20)),
            &body("Month of Apr, As of 04/20/2026"),
        )
        .unwrap();
        assert_eq!(
            (g.as_of, g.rows, g.period.closing),
            (d(2026, 4, 20), 1, false)
        );
        let closing = run(
            latest(d(2026, 4, 5)),
            &body("Month of Mar, As of 04/05/2026"),
        )
        .unwrap();
        assert!(closing.period.closing);
    }

    #[test]
    fn another_as_of_year_or_district_is_retried_not_stored() {
        retried_with(
            run(
                latest(d(2026, 4, 20)),
                &body("Month of Apr, As of 04/19/2026"),
            ),
            "TI served month 2026-04 as of 2026-04-19",
        );
        // A July request of 2026-27 answered with 2025-26's June close (§3.2).
        let july = Target::latest(d(2026, 7, 10), 2026);
        retried_with(
            run(july, &body("Month of Jun, As of 07/10/2026")),
            "of 2025-2026",
        );
        let other = body("Month of Apr, As of 04/20/2026");
        let r = check(
            &latest(d(2026, 4, 20)),
            Report::District,
            "91",
            "x.csv",
            &other,
        );
        retried_with(r, "asked for district 91, TI served a row of district 61");
        // Zero-padded ids are the same district (`02` = `2`).
        assert!(
            check(
                &latest(d(2026, 4, 20)),
                Report::District,
                "061",
                "x.csv",
                &other
            )
            .is_ok()
        );
    }

    #[test]
    fn a_day_must_show_the_month_its_slot_names() {
        let t = Target::day(d(2026, 11, 2), d(2026, 11, 30), 2026, 2026);
        assert!(matches!(
            run(t, &body("Month of Oct, As of 11/02/2026")),
            Err(Bad::NoData(m)) if m.contains("asked for month 2026-11")
        ));
        let t = Target::day(d(2026, 11, 2), d(2026, 10, 31), 2026, 2026);
        assert!(run(t, &body("Month of Oct, As of 11/02/2026")).is_ok());
    }

    #[test]
    fn archived_june_close_accepts_a_later_download_date() {
        let t = Target::month_end(d(2023, 6, 30), 2026);
        assert!(run(t, &body("Month of Jun, As of 09/13/2025")).is_ok());
        // A month end whose close is still running is not final.
        let open = Target::month_end(d(2026, 3, 31), 2025);
        retried_with(
            run(open, &body("Month of Apr, As of 04/05/2026")),
            "final figures of 2026-03-31",
        );
    }

    #[test]
    fn html_empty_zero_rows_no_footer_and_truncated_are_named() {
        let t = latest(d(2026, 4, 20));
        retried_with(run(t, b"<!DOCTYPE html><html>error</html>"), "HTML page");
        retried_with(run(t, b""), "empty body");
        let header_only = format!("{HEADER}\r\nMonth of Apr, As of 04/20/2026\r\n");
        assert!(matches!(
            run(t, header_only.as_bytes()),
            Err(Bad::NoData(m)) if m.starts_with("zero data rows")
        ));
        let full = body("Month of Apr, As of 04/20/2026");
        retried_with(run(t, &full[..HEADER.len() + 30]), "truncated");
        let cut_at_row_end = format!("{HEADER}\r\n{ROW}\r\n");
        retried_with(run(t, cut_at_row_end.as_bytes()), "no footer line");
    }
}
