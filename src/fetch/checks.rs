//! Judges a downloaded body with the reader `build` uses ([`Table::parse`]: header era,
//! rows, footer) and the as-of rule of the URL form. Each way TI fails is named for what
//! it is: an HTML page served with 200, an empty body, a header-only body (not published),
//! a truncated file, a footer for another date.

use super::urls::{AsOfRule, Target};
use crate::cache::eras::Report;
use crate::cache::footer::{DataPeriod, data_period};
use crate::cache::table::Table;
use crate::diag::Diag;
use chrono::NaiveDate;

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
    /// TI has not published this date (or program year) yet: reported, not a failure.
    NotPublished(String),
    /// Anything else: a failed download.
    Failed(String),
}

/// Checks `bytes`, downloaded for `target` as `report`; `rel` names the file in messages.
pub fn check(target: &Target, report: Report, rel: &str, bytes: &[u8]) -> Result<Good, Bad> {
    let mut warnings = Vec::new();
    let table = Table::parse(report, rel, bytes, &mut warnings).map_err(|d| classify(&d, bytes))?;
    let Some((_, footer)) = table.footer else {
        return Err(Bad::Failed(format!(
            "{rel}: truncated: no footer line (`Month of Mmm, As of MM/DD/YYYY`) after {} rows",
            table.rows.len()
        )));
    };
    let period = data_period(target.date, footer.month);
    let as_of = footer.as_of;
    let final_figures = !period.closing;
    match target.as_of_rule() {
        AsOfRule::Exactly(want) if as_of != want => {
            return Err(Bad::NotPublished(format!(
                "TI served data as of {as_of}, not {want}: {want} is not published (yet)"
            )));
        }
        AsOfRule::OnOrAfter(month_end) if !final_figures || as_of < month_end => {
            return Err(Bad::NotPublished(format!(
                "TI served month {:04}-{:02} as of {as_of}, not the final figures of {month_end}",
                period.data_month.0, period.data_month.1
            )));
        }
        _ => {}
    }
    Ok(Good {
        as_of,
        period,
        rows: table.rows.len(),
    })
}

/// Names a reader error: the reader's own wording decides HTML, empty and header-only
/// (pinned by the tests below, so a change there shows up here); an error on a body that
/// does not end with a newline is a cut-off download.
fn classify(d: &Diag, bytes: &[u8]) -> Bad {
    let m = d.message.as_str();
    let at = d.to_string();
    if m.contains("HTML page") {
        Bad::Failed(format!("HTML page served instead of CSV: {at}"))
    } else if m.contains("file is empty") {
        Bad::Failed(format!("empty body: {at}"))
    } else if m.contains("no data rows") || m.contains("no CSV header") {
        Bad::NotPublished(format!("header-only body (no data rows): {at}"))
    } else if !bytes.ends_with(b"\n") {
        Bad::Failed(format!("truncated: {at}"))
    } else {
        Bad::Failed(format!("not a valid export: {at}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::urls::Target;

    const HEADER: &str = r#""District","Division","Area","Club","Club Name","New","Late Ren.","Oct. Ren.","Apr. Ren.","Total Ren.","Total Chart","Total to Date","Distinguished Status","Charter Date/Suspend Date""#;
    const ROW: &str = r#""61","A","01","00000001","Club","5","0","9","9","18","0","23","","""#;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn body(footer: &str) -> Vec<u8> {
        format!("{HEADER}\r\n{ROW}\r\n{footer}\r\n").into_bytes()
    }

    fn run(target: Target, bytes: &[u8]) -> Result<Good, Bad> {
        check(&target, Report::District, "raw-csv/x/d.csv", bytes)
    }

    fn failed_with(r: Result<Good, Bad>, what: &str) {
        match r {
            Err(Bad::Failed(m)) => assert!(m.starts_with(what), "{m}"),
            other => panic!("expected a failure starting {what}: {other:?}"),
        }
    }

    #[test]
    fn a_daily_export_with_the_requested_as_of_is_good() {
        let g = run(
            Target::daily(d(2026, 4, 20)),
            &body("Month of Apr, As of 04/20/2026"),
        )
        .unwrap();
        assert_eq!(
            (g.as_of, g.rows, g.period.closing),
            (d(2026, 4, 20), 1, false)
        );
        let closing = run(
            Target::daily(d(2026, 4, 5)),
            &body("Month of Mar, As of 04/05/2026"),
        )
        .unwrap();
        assert!(closing.period.closing);
    }

    #[test]
    fn another_as_of_means_not_published() {
        let r = run(
            Target::daily(d(2026, 4, 20)),
            &body("Month of Apr, As of 04/19/2026"),
        );
        assert!(matches!(r, Err(Bad::NotPublished(m)) if m.contains("2026-04-19")));
    }

    #[test]
    fn archived_june_close_accepts_a_later_download_date() {
        let t = Target::month_end(d(2023, 6, 30), d(2026, 1, 1));
        assert!(run(t, &body("Month of Jun, As of 09/13/2025")).is_ok());
        // A month end whose close is still running is not final.
        let open = Target::month_end(d(2026, 3, 31), d(2026, 4, 5));
        assert!(matches!(
            run(open, &body("Month of Apr, As of 04/05/2026")),
            Err(Bad::NotPublished(_))
        ));
    }

    #[test]
    fn html_empty_header_only_and_truncated_are_named() {
        let t = Target::daily(d(2026, 4, 20));
        failed_with(run(t, b"<!DOCTYPE html><html>error</html>"), "HTML page");
        failed_with(run(t, b""), "empty body");
        let header_only = format!("{HEADER}\r\nMonth of Apr, As of 04/20/2026\r\n");
        assert!(matches!(
            run(t, header_only.as_bytes()),
            Err(Bad::NotPublished(m)) if m.starts_with("header-only")
        ));
        let full = body("Month of Apr, As of 04/20/2026");
        failed_with(run(t, &full[..HEADER.len() + 30]), "truncated");
        let cut_at_row_end = format!("{HEADER}\r\n{ROW}\r\n");
        failed_with(
            run(t, cut_at_row_end.as_bytes()),
            "raw-csv/x/d.csv: truncated",
        );
    }
}
