//! The program year's deadlines as the methodology page lists them, read from
//! [`crate::recognition::deadlines`], the table the deadline calendars are written from.

use super::format::{long_date, year_range};
use crate::recognition::deadlines::{self, Deadline};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct DeadlineRow {
    title: &'static str,
    /// `30 November 2026`, or `1 June 2026 to 31 August 2026` for a window.
    when: String,
    description: String,
    source: &'static str,
}

/// The deadlines of the program year of `data_date`, with that year in words.
#[derive(Debug, Serialize)]
pub struct DeadlinesView {
    program_year: String,
    rows: Vec<DeadlineRow>,
}

fn row(d: Deadline) -> DeadlineRow {
    let when = if d.is_window() {
        format!("{} to {}", long_date(d.start), long_date(d.end))
    } else {
        long_date(d.start)
    };
    DeadlineRow {
        title: d.title,
        when,
        description: d.description,
        source: d.source,
    }
}

pub fn view(data_date: NaiveDate) -> DeadlinesView {
    let py_start = crate::cache::footer::program_year_start(data_date);
    DeadlinesView {
        program_year: year_range(&format!("{py_start}-{}", py_start + 1)),
        rows: deadlines::program_year(py_start)
            .into_iter()
            .map(row)
            .collect(),
    }
}
