//! The history parts of a district page, in words and pictures, from what `crate::history`
//! computed: the "This program year" section (four figures month by month against last
//! year, each a chart with a table of the same figures), year over year on the headline
//! cards, rank movement, and the banner of a district shown at an older date than the
//! snapshot's. "What changed" is in `changed.rs`.

use super::common::Card;
use super::format::{UNKNOWN, int, long_date, ordinal, signed, year_range};
use super::year_chart::{self, PROGRAM_MONTHS, YearLines};
use crate::cache::footer::program_year_start;
use crate::history::rankings::Movement;
use crate::history::series::{Comparison, DistrictHistory, YearOverYear};
use crate::render::StaleSource;
use crate::stats::Totals;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// A figure of the program-year section: card label, chart id, how to read it.
type Figure = (&'static str, &'static str, fn(&Totals) -> Option<i64>);

/// The four figures of the program-year section.
const FIGURES: [Figure; 4] = [
    ("Paid clubs", "paid", |t| Some(t.paid_clubs)),
    ("Active members", "members", |t| Some(t.active_members)),
    ("Payments", "payments", |t| t.payments),
    (
        super::common::DISTINGUISHED_ON_TRACK,
        "distinguished",
        |t| Some(t.distinguished_on_track),
    ),
];

#[derive(Debug, Serialize)]
pub struct YearChart {
    pub label: &'static str,
    pub caption_id: String,
    pub svg: String,
}

/// One month of the table under the charts: this year and last year of each figure.
#[derive(Debug, Serialize)]
pub struct MonthRow {
    pub month: String,
    /// The month's archive page (its final figures), when the snapshot has it.
    pub href: Option<String>,
    pub cells: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ArchivedMonth {
    /// `October 2026`.
    pub month: String,
    pub href: String,
}

#[derive(Debug, Serialize)]
pub struct ProgramYearView {
    pub this_year: String,
    pub last_year: String,
    /// The cache has some data of last program year for the district.
    pub has_last_year: bool,
    pub labels: Vec<&'static str>,
    pub charts: Vec<YearChart>,
    pub months: Vec<MonthRow>,
    /// The months of the charts that have an archive page, in order (the charts' links).
    pub archived: Vec<ArchivedMonth>,
    /// Year over year in one sentence: what is compared with what, or why it cannot be.
    pub year_over_year: String,
    pub last_year_final: Option<String>,
}

/// The month slot (0 = July) of a date in its program year.
fn slot(d: NaiveDate) -> usize {
    (d.month() as usize + 5) % 12
}

/// Each figure's value on the last data date of each month, for the program year of the
/// district's newest date and the one before.
fn year_lines(series: &DistrictHistory) -> Option<(i32, Vec<YearLines>)> {
    let newest = series.points.last()?;
    let start = program_year_start(newest.data_date);
    let mut lines: Vec<YearLines> = FIGURES
        .iter()
        .map(|_| YearLines {
            now: [None; 12],
            then: [None; 12],
        })
        .collect();
    // points are oldest first: a later date of the same month overwrites an earlier one
    for p in &series.points {
        let py = program_year_start(p.data_date);
        for ((_, _, f), l) in FIGURES.iter().zip(&mut lines) {
            let row = if py == start {
                &mut l.now
            } else if py == start - 1 {
                &mut l.then
            } else {
                continue;
            };
            row[slot(p.data_date)] = f(&p.totals);
        }
    }
    // The newest month compares as the cards do: with the year-over-year date (the same
    // point of last year), not last year's whole month.
    let yoy = &series.year_over_year;
    let then_point = yoy
        .compared_date
        .and_then(|d| series.points.iter().find(|p| p.data_date == d));
    let newest_slot = slot(newest.data_date);
    for ((_, _, f), l) in FIGURES.iter().zip(&mut lines) {
        l.then[newest_slot] = then_point.and_then(|p| f(&p.totals));
    }
    Some((start, lines))
}

/// The program-year view of a district's series; `archive_link` gives the link to a
/// month end's archive page, when the snapshot archives it.
pub fn program_year(
    series: &DistrictHistory,
    still_closing: bool,
    archive_link: &dyn Fn(NaiveDate) -> Option<String>,
) -> Option<ProgramYearView> {
    let (start, lines) = year_lines(series)?;
    // This year's last date of each month: the month's row links its archive page.
    let mut month_last: [Option<NaiveDate>; 12] = [None; 12];
    for p in &series.points {
        if program_year_start(p.data_date) == start {
            month_last[slot(p.data_date)] = Some(p.data_date);
        }
    }
    let charts = FIGURES
        .iter()
        .zip(&lines)
        .map(|((label, id, _), l)| {
            let caption_id = format!("py-{id}-caption");
            YearChart {
                label,
                svg: year_chart::year_lines(l, &caption_id),
                caption_id,
            }
        })
        .collect();
    let cell = |v: Option<i64>| v.map_or(String::new(), int);
    // A month end TI is still closing (only the newest can be) is provisional here too;
    // not in an archive, whose newest month is closed.
    let closing_slot = series
        .points
        .last()
        .filter(|p| p.closing && still_closing)
        .map(|p| slot(p.data_date));
    let months = PROGRAM_MONTHS
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            lines
                .iter()
                .any(|l| l.now[*i].is_some() || l.then[*i].is_some())
        })
        .map(|(i, m)| MonthRow {
            month: if closing_slot == Some(i) {
                format!("{m} (provisional: TI is still closing it)")
            } else {
                m.to_string()
            },
            href: month_last[i].and_then(archive_link),
            cells: lines
                .iter()
                .flat_map(|l| [cell(l.now[i]), cell(l.then[i])])
                .collect(),
        })
        .collect();
    let archived = month_last
        .into_iter()
        .flatten()
        .filter_map(|last| {
            Some(ArchivedMonth {
                month: super::format::month(last.year(), last.month()),
                href: archive_link(last)?,
            })
        })
        .collect();
    let yoy = &series.year_over_year;
    Some(ProgramYearView {
        archived,
        this_year: year_range(&format!("{}-{}", start, start + 1)),
        last_year: year_range(&format!("{}-{}", start - 1, start)),
        has_last_year: lines.iter().any(|l| l.then.iter().any(Option::is_some)),
        labels: FIGURES.iter().map(|(l, _, _)| *l).collect(),
        charts,
        months,
        year_over_year: yoy_sentence(yoy),
        last_year_final: yoy.last_year_final.as_ref().map(|h| {
            format!(
                "Last program year ({}) ended with {} paid clubs, {} active members, {} payments and {} distinguished clubs on track (data date {}).",
                year_range(&h.program_year),
                int(h.paid_clubs),
                int(h.active_members),
                h.payments.map_or(UNKNOWN.to_string(), int),
                int(h.distinguished_on_track),
                long_date(h.data_date)
            )
        }),
    })
}

fn yoy_sentence(yoy: &YearOverYear) -> String {
    match (yoy.data_date, yoy.compared_date, yoy.target_date) {
        (Some(now), Some(then), Some(target)) if then == target => format!(
            "Year over year compares {} with the same day last program year, {}.",
            long_date(now),
            long_date(then)
        ),
        (Some(now), Some(then), Some(target)) => format!(
            "Year over year compares {} with {}, last program year's newest figures before {} (the same day a year earlier).",
            long_date(now),
            long_date(then),
            long_date(target)
        ),
        _ => format!("Year over year is unknown: {}.", yoy_unknown_reason(yoy)),
    }
}

/// Why year over year is unknown, short enough for a card.
fn yoy_unknown_short(yoy: &YearOverYear) -> String {
    match (yoy.target_date, yoy.last_year_nearest) {
        (Some(t), Some(n)) => format!(
            "last year's nearest figures before {} are of {}",
            long_date(t),
            long_date(n)
        ),
        (Some(t), None) => format!("no figures of last year up to {}", long_date(t)),
        (None, _) => yoy_unknown_reason(yoy),
    }
}

/// Why year over year is unknown, in a reader's words.
pub fn yoy_unknown_reason(yoy: &YearOverYear) -> String {
    match (yoy.target_date, yoy.last_year_nearest) {
        (Some(t), Some(n)) => format!(
            "last program year's nearest figures before {} are of {}, more than a month earlier",
            long_date(t),
            long_date(n)
        ),
        (Some(t), None) => format!(
            "there are no figures from last program year up to {} for this district",
            long_date(t)
        ),
        (None, _) => yoy
            .reason
            .clone()
            .unwrap_or_else(|| "no comparable date".into()),
    }
}

/// Adds the year-over-year change to the headline cards of the four figures; unknown
/// reads "unknown", never 0.
pub fn add_year_over_year(cards: &mut [Card], yoy: &YearOverYear) -> String {
    let comparisons: [(&str, &Comparison); 4] = [
        (FIGURES[0].0, &yoy.paid_clubs),
        (FIGURES[1].0, &yoy.active_members),
        (FIGURES[2].0, &yoy.payments),
        (FIGURES[3].0, &yoy.distinguished_on_track),
    ];
    for (label, c) in comparisons {
        if let Some(card) = cards.iter_mut().find(|c| c.label == label) {
            card.details
                .push(match (c.change, c.then, yoy.compared_date) {
                    (Some(change), Some(then), Some(_)) => {
                        format!("last year {}: {}", int(then), signed(change))
                    }
                    (_, _, Some(_)) => format!("last year {UNKNOWN}: not in that data"),
                    _ => format!("last year {UNKNOWN}"),
                });
        }
    }
    // the date compared, said once for the four cards
    match yoy.compared_date {
        Some(date) => format!(
            "Last year: the figures of {}, the same point of the previous program year.",
            long_date(date)
        ),
        None => format!("Last year is unknown: {}.", yoy_unknown_short(yoy)),
    }
}

/// Rank movement in words: "up 2 places since 31 March 2026 (was 5th)".
pub fn movement_sentence(m: &Movement) -> String {
    let how = match m.places {
        0 => "unchanged".to_string(),
        n if n > 0 => format!("up {}", places(n)),
        n => format!("down {}", places(-n)),
    };
    format!(
        "Overall rank {how} since {} (was {}).",
        long_date(m.previous_date),
        ordinal(m.previous_rank)
    )
}

fn places(n: i64) -> String {
    if n == 1 {
        "1 place".into()
    } else {
        format!("{n} places")
    }
}

/// The banner of a district shown at an older date than the snapshot's.
pub fn stale_banner(id: &str, s: &StaleSource, snapshot_date: NaiveDate) -> String {
    if s.former {
        format!(
            "District {id} is a former district: TI's summary of {} no longer lists it. It is shown as of its newest data, {} (program year {}), and is left out of the current rankings and lists.",
            long_date(snapshot_date),
            long_date(s.data_date),
            year_range(&s.program_year)
        )
    } else {
        format!(
            "No data since {} (program year {}): this district is shown as of that date, while the newest data of this site is of {}.",
            long_date(s.data_date),
            year_range(&s.program_year),
            long_date(snapshot_date)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_fall_in_program_year_slots() {
        let d = |m| NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
        assert_eq!(slot(d(7)), 0);
        assert_eq!(slot(d(12)), 5);
        assert_eq!(slot(d(1)), 6);
        assert_eq!(slot(d(6)), 11);
    }

    fn point(date: &str, paid: i64) -> crate::history::series::HistoryPoint {
        let data_date = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
        crate::history::series::HistoryPoint {
            data_date,
            collection_date: data_date,
            as_of_date: None,
            program_year: crate::cache::footer::program_year(data_date),
            closing: false,
            month_end: false,
            totals: Totals {
                paid_clubs: paid,
                ..Totals::default()
            },
            ranking: None,
        }
    }

    fn series(points: Vec<crate::history::series::HistoryPoint>) -> DistrictHistory {
        let none = Comparison::default();
        DistrictHistory {
            district_id: "9".into(),
            points,
            division_totals: Vec::new(),
            year_over_year: YearOverYear {
                data_date: None,
                target_date: None,
                compared_date: None,
                last_year_nearest: None,
                reason: Some("the test has no year before".into()),
                paid_clubs: none,
                active_members: none,
                payments: none,
                distinguished_on_track: none,
                distinguished_clubs: none,
                last_year_final: None,
            },
        }
    }

    #[test]
    fn each_month_takes_its_last_date_and_years_split_on_1_july() {
        let s = series(vec![
            point("2023-09-30", 1), // two program years back: left out
            point("2025-06-30", 2),
            point("2025-07-20", 3),
            point("2025-07-31", 4),
            point("2026-01-15", 5),
        ]);
        let (start, lines) = year_lines(&s).unwrap();
        assert_eq!(start, 2025);
        let paid = &lines[0];
        assert_eq!(paid.now[0], Some(4), "July: its last date");
        assert_eq!(paid.now[6], Some(5), "January");
        assert_eq!(paid.then[11], Some(2), "last June");
        assert_eq!(
            paid.then[2], None,
            "September two years back is not last year"
        );
        assert_eq!(lines[2].now[0], None, "payments unknown stay unknown");
        let view = program_year(&s, true, &|_| None).unwrap();
        assert_eq!(
            view.months.len(),
            3,
            "only months with data get a table row"
        );
        assert!(view.has_last_year);
        assert_eq!(
            view.year_over_year,
            "Year over year is unknown: the test has no year before."
        );
    }

    #[test]
    fn movement_reads_in_words() {
        let m = |places, previous_rank| Movement {
            previous_date: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
            previous_rank,
            places,
        };
        assert_eq!(
            movement_sentence(&m(2, 5)),
            "Overall rank up 2 places since 31 March 2026 (was 5th)."
        );
        assert!(movement_sentence(&m(-1, 1)).contains("down 1 place since"));
        assert!(movement_sentence(&m(0, 4)).contains("unchanged"));
    }
}
