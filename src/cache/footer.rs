//! The one footer parser (`Month of Mar, As of 04/05/2026`) and the closing-period rule
//! that maps a download to the month-end date it describes (DOMAIN.md §3.4–§3.5).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// What a footer line says: the data month (1–12) and TI's as-of stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Footer {
    pub month: u32,
    pub as_of: NaiveDate,
}

/// How many lines from the end are searched for a footer.
const FOOTER_SCAN_LINES: usize = 20;

/// Finds the footer among the last lines of a file's text; returns it with its 1-based line.
/// Walks back from the end, so a huge file costs a line count, not a list of its lines.
pub fn find_footer(text: &str) -> Option<(u64, Footer)> {
    let (from_end, footer) = text
        .lines()
        .rev()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .take(FOOTER_SCAN_LINES)
        .find_map(|(i, l)| parse_footer_line(l).map(|f| (i, f)))?;
    let lines = text.lines().count();
    Some(((lines - from_end) as u64, footer))
}

/// Parses one footer line, ignoring case, quotes, trailing empty cells and extra spaces.
/// An unknown month word (or any other text) gives `None`.
pub fn parse_footer_line(line: &str) -> Option<Footer> {
    let cleaned: String = line.replace('"', " ").to_lowercase();
    let words = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let rest = words.strip_prefix("month of ")?;
    let (month_word, rest) = rest.split_once(',')?;
    let month = month_number(month_word.trim())?;
    let rest = rest.trim().strip_prefix("as of ")?;
    let date_text = rest.split(|c: char| c == ',' || c.is_whitespace()).next()?;
    let as_of = parse_us_date(date_text)?;
    // Anything after the date must be empty cells only.
    let tail = rest[date_text.len()..].replace(',', "");
    if !tail.trim().is_empty() {
        return None;
    }
    Some(Footer { month, as_of })
}

/// `M/D/YYYY` with one- or two-digit month and day.
pub fn parse_us_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.trim().split('/');
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    let y_text = parts.next()?;
    if parts.next().is_some() || y_text.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y_text.parse().ok()?, m, d)
}

/// English month names, January first: the one list for parsing footers and for display.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The name of month 1..=12.
pub fn month_name(month: u32) -> &'static str {
    MONTH_NAMES[(month as usize + 11) % 12]
}

fn month_number(word: &str) -> Option<u32> {
    if word == "sept" {
        return Some(9);
    }
    MONTH_NAMES
        .iter()
        .map(|name| name.to_lowercase())
        .position(|name| name == word || (word.len() == 3 && name.starts_with(word)))
        .map(|i| i as u32 + 1)
}

/// The most days after a month end that TI still publishes that month's figures (DOMAIN.md
/// §3.3: the last closing-period collection falls on day 1 to 25 of the next month, June
/// closes being the longest). A folder dated later than this after its footer's month is
/// not a closing period but a file in the wrong folder.
pub const MAX_CLOSING_DAYS: i64 = 25;

/// The month a download's figures belong to and the date its derived output carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DataPeriod {
    /// Year and month of the data (`YYYY-MM` in JSON).
    #[serde(serialize_with = "serialize_month")]
    #[schemars(with = "String", regex(pattern = r"^[0-9]{4}-[0-9]{2}$"))]
    pub data_month: (i32, u32),
    /// The folder date for current-month data; the last day of the data month when closing.
    pub data_date: NaiveDate,
    /// True while TI is still closing the previous month.
    pub closing: bool,
}

fn serialize_month<S: serde::Serializer>(m: &(i32, u32), s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("{:04}-{:02}", m.0, m.1))
}

/// Applies DOMAIN.md §3.4 steps 4–5 and §3.5: the data year comes from the reference
/// (folder) date, never from the as-of stamp, which is the download date for archives.
pub fn data_period(reference: NaiveDate, data_month: u32) -> DataPeriod {
    let year = if data_month > reference.month() {
        reference.year() - 1
    } else {
        reference.year()
    };
    let closing = (year, data_month) != (reference.year(), reference.month());
    let data_date = if closing {
        last_day_of_month(year, data_month)
    } else {
        reference
    };
    DataPeriod {
        data_month: (year, data_month),
        data_date,
        closing,
    }
}

/// The calendar month after `(year, month)`.
pub fn next_month(year: i32, month: u32) -> (i32, u32) {
    if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    }
}

pub fn last_day_of_month(year: i32, month: u32) -> NaiveDate {
    let (ny, nm) = next_month(year, month);
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .expect("month arithmetic on a valid month stays in range")
}

/// The program year of a date, `"2025-2026"`: July starts a new one (DOMAIN.md §3.1).
pub fn program_year(date: NaiveDate) -> String {
    let start = program_year_start(date);
    format!("{}-{}", start, start + 1)
}

/// The calendar year in which the program year of `date` began.
pub fn program_year_start(date: NaiveDate) -> i32 {
    if date.month() >= 7 {
        date.year()
    } else {
        date.year() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn footer_variants() {
        let want = Footer {
            month: 6,
            as_of: d("2026-07-01"),
        };
        for line in [
            "Month of Jun, As of 07/01/2026",
            "\"Month of Jun, As of 07/01/2026\"",
            "\"Month of June, As of 07/01/2026\",\"\",\"\"",
            "month of JUN,  as of 7/1/2026",
            "Month of Jun, As of 07/01/2026\r",
        ] {
            assert_eq!(parse_footer_line(line), Some(want), "{line}");
        }
        assert_eq!(
            parse_footer_line("Month of Sept, As of 10/01/2025")
                .unwrap()
                .month,
            9
        );
        assert_eq!(
            parse_footer_line("Month of Nothing, As of 07/01/2026"),
            None
        );
        assert_eq!(parse_footer_line("\"61\",\"A\""), None);
        assert_eq!(parse_footer_line("Month of Jun, As of 13/01/2026"), None);
    }

    #[test]
    fn footer_found_among_trailing_lines() {
        let text = "\"a\",\"b\"\r\n\"1\",\"2\"\r\nMonth of Mar, As of 04/05/2026\r\n\r\n";
        assert_eq!(find_footer(text).unwrap().0, 3);
        assert!(find_footer("\"a\"\r\n\"1\"\r\n").is_none());
    }

    #[test]
    fn closing_period_worked_examples() {
        let p = data_period(d("2026-04-05"), 3);
        assert_eq!((p.data_date, p.closing), (d("2026-03-31"), true));
        let p = data_period(d("2026-01-05"), 12);
        assert_eq!((p.data_date, p.closing), (d("2025-12-31"), true));
        assert_eq!(program_year(p.data_date), "2025-2026");
        let p = data_period(d("2025-07-20"), 6);
        assert_eq!((p.data_date, p.closing), (d("2025-06-30"), true));
        assert_eq!(program_year(p.data_date), "2024-2025");
        let p = data_period(d("2026-04-12"), 4);
        assert_eq!((p.data_date, p.closing), (d("2026-04-12"), false));
        // archived download: as-of years later, folder month = data month, not closing
        let p = data_period(d("2023-06-30"), 6);
        assert_eq!((p.data_date, p.closing), (d("2023-06-30"), false));
        assert_eq!(data_period(d("2024-03-03"), 2).data_date, d("2024-02-29"));
    }

    #[test]
    fn program_year_boundaries() {
        assert_eq!(program_year(d("2024-08-15")), "2024-2025");
        assert_eq!(program_year(d("2025-03-10")), "2024-2025");
        assert_eq!(program_year(d("2025-07-01")), "2025-2026");
        assert_eq!(program_year(d("2025-06-30")), "2024-2025");
    }
}
