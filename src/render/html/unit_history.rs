//! A division's or an area's figures over time, from the district's history: at each month
//! end (and the newest date) its clubs, paid clubs, members, payments and distinguished
//! clubs on track. Divisions read the division totals the series keeps at month ends;
//! areas sum their clubs' points in the club timelines (the series keeps no area totals).
//! From these: the same point last year, and the month-by-month table of the page.

use super::format::{UNKNOWN, int, long_date, signed, year_range};
use super::year_chart::PROGRAM_MONTHS;
use crate::cache::footer::program_year_start;
use crate::history::DistrictProducts;
use crate::history::series::{YEAR_OVER_YEAR_WINDOW_DAYS, compared_date, year_before};
use crate::render::calendar::Unit;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// A unit's figures on one date of its history.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct UnitPoint {
    pub clubs: i64,
    pub paid_clubs: i64,
    pub active_members: i64,
    /// `None` for areas (the club timelines carry no payments) and without the report.
    pub payments: Option<i64>,
    pub distinguished_on_track: i64,
}

/// Every date of the unit's history, oldest first.
pub fn points(p: &DistrictProducts, district: &str, unit: Unit) -> Vec<(NaiveDate, UnitPoint)> {
    match unit {
        Unit::District => Vec::new(),
        Unit::Division(d) => p
            .series
            .division_totals
            .iter()
            .filter_map(|at| {
                let t = &at.divisions.iter().find(|x| x.division_id == d)?.totals;
                Some((
                    at.data_date,
                    UnitPoint {
                        clubs: t.clubs,
                        paid_clubs: t.paid_clubs,
                        active_members: t.active_members,
                        payments: t.payments,
                        distinguished_on_track: t.distinguished_on_track,
                    },
                ))
            })
            .collect(),
        Unit::Area { .. } => {
            let mut by_date: BTreeMap<NaiveDate, UnitPoint> = BTreeMap::new();
            for year in &p.clubs.program_years {
                for c in &year.clubs {
                    for x in &c.points {
                        if !crate::model::same_district(&x.district_id, district)
                            || !unit.contains(&x.division_id, &x.area_id)
                        {
                            continue;
                        }
                        let e = by_date.entry(x.data_date).or_default();
                        e.clubs += 1;
                        e.paid_clubs += i64::from(x.status.as_deref() == Some("Active"));
                        e.active_members += x.active_members;
                        e.distinguished_on_track += i64::from(x.level.is_some());
                    }
                }
            }
            by_date.into_iter().collect()
        }
    }
}

/// The unit at the same point last year, or why it is unknown.
#[derive(Debug)]
pub struct LastYear {
    pub then: Option<(NaiveDate, UnitPoint)>,
    /// With `then`: how the date was chosen; without: why there is none.
    pub words: String,
}

/// The unit's figures at the same point last year (the one rule of
/// [`compared_date`]); `now` is the presented date.
pub fn last_year(points: &[(NaiveDate, UnitPoint)], now: NaiveDate, what: &str) -> LastYear {
    let Some(target) = year_before(now) else {
        return LastYear {
            then: None,
            words: "the date a year earlier does not exist".into(),
        };
    };
    let date = compared_date(points.iter().map(|(d, _)| *d), target);
    match date.and_then(|d| points.iter().find(|(x, _)| *x == d)) {
        Some(&(d, p)) => LastYear {
            then: Some((d, p)),
            words: if d == target {
                format!("of {}, the same day last year", long_date(d))
            } else {
                format!(
                    "of {}, the nearest date of the history before {}",
                    long_date(d),
                    long_date(target)
                )
            },
        },
        None => {
            let py = program_year_start(target);
            let nearest = points
                .iter()
                .map(|(d, _)| *d)
                .filter(|d| program_year_start(*d) == py && *d <= target)
                .max();
            LastYear {
                then: None,
                words: match nearest {
                    Some(n) => format!(
                        "the history's nearest figures of {what} before {} are of {}, more than {YEAR_OVER_YEAR_WINDOW_DAYS} days earlier",
                        long_date(target),
                        long_date(n)
                    ),
                    None => format!(
                        "the history has no figures of {what} from last program year up to {}",
                        long_date(target)
                    ),
                },
            }
        }
    }
}

/// "last year 12: +2" (the card's format on the district page too), or "last year unknown"
/// (the page says why once, under the cards).
pub fn against_last_year(
    now: Option<i64>,
    ly: &LastYear,
    f: fn(&UnitPoint) -> Option<i64>,
) -> String {
    match (&ly.then, now) {
        (Some((_, p)), Some(n)) => match f(p) {
            Some(then) => format!("last year {}: {}", int(then), signed(n - then)),
            None => format!("last year: {UNKNOWN} (not in the history of that date)"),
        },
        (Some(_), None) => format!("last year: {UNKNOWN} (not known now)"),
        (None, _) => format!("last year {UNKNOWN}"),
    }
}

/// The month-by-month table: each figure this program year and last.
#[derive(Debug, Serialize)]
pub struct MonthsView {
    pub this_year: String,
    pub last_year: String,
    pub labels: [&'static str; 3],
    pub rows: Vec<MonthRow>,
}

#[derive(Debug, Serialize)]
pub struct MonthRow {
    pub month: &'static str,
    pub cells: Vec<String>,
}

/// The month slot (0 = July) of a date in its program year.
fn slot(d: NaiveDate) -> usize {
    (d.month() as usize + 5) % 12
}

pub fn months(points: &[(NaiveDate, UnitPoint)], now: NaiveDate) -> Option<MonthsView> {
    let start = program_year_start(now);
    let mut grid = [[None::<UnitPoint>; 2]; 12];
    // oldest first: a later date of a month overwrites an earlier one
    for (d, p) in points {
        let py = program_year_start(*d);
        if *d > now || py < start - 1 || py > start {
            continue;
        }
        grid[slot(*d)][usize::from(py == start - 1)] = Some(*p);
    }
    let figures: [fn(&UnitPoint) -> i64; 3] = [
        |p| p.paid_clubs,
        |p| p.active_members,
        |p| p.distinguished_on_track,
    ];
    let rows: Vec<MonthRow> = grid
        .iter()
        .enumerate()
        .filter(|(_, g)| g.iter().any(Option::is_some))
        .map(|(i, g)| MonthRow {
            month: PROGRAM_MONTHS[i],
            cells: figures
                .iter()
                .flat_map(|f| g.map(|p| p.map_or(String::new(), |p| int(f(&p)))))
                .collect(),
        })
        .collect();
    (!rows.is_empty()).then(|| MonthsView {
        this_year: year_range(&format!("{}-{}", start, start + 1)),
        last_year: year_range(&format!("{}-{}", start - 1, start)),
        labels: [
            "Paid clubs",
            "Active members",
            super::common::DISTINGUISHED_ON_TRACK,
        ],
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn at(date: &str, paid: i64) -> (NaiveDate, UnitPoint) {
        (
            d(date),
            UnitPoint {
                paid_clubs: paid,
                ..UnitPoint::default()
            },
        )
    }

    #[test]
    fn last_year_is_the_nearest_month_end_before_the_same_day_or_unknown_with_why() {
        let points = [
            at("2025-10-31", 7),
            at("2025-11-30", 8),
            at("2026-10-31", 9),
        ];
        let ly = last_year(&points, d("2026-11-08"), "this area");
        assert_eq!(
            ly.then.map(|(d, p)| (d, p.paid_clubs)),
            Some((d("2025-10-31"), 7))
        );
        assert!(ly.words.contains("nearest date"), "{}", ly.words);
        assert_eq!(
            against_last_year(Some(9), &ly, |p| Some(p.paid_clubs)),
            "last year 7: +2"
        );
        let none = last_year(&points[2..], d("2026-11-08"), "this area");
        assert!(none.then.is_none());
        // the card says unknown; the page gives the reason once, from `words`
        assert_eq!(
            against_last_year(Some(9), &none, |p| Some(p.paid_clubs)),
            "last year unknown"
        );
        assert!(
            none.words
                .starts_with("the history has no figures of this area"),
            "{}",
            none.words
        );
    }

    #[test]
    fn months_put_each_year_in_its_column() {
        let points = [
            at("2025-07-31", 5),
            at("2026-07-31", 6),
            at("2026-08-31", 7),
        ];
        let m = months(&points, d("2026-08-31")).unwrap();
        assert_eq!(m.rows.len(), 2);
        assert_eq!(m.rows[0].month, "Jul");
        assert_eq!(m.rows[0].cells[..2], ["6".to_string(), "5".to_string()]);
        assert_eq!(m.rows[1].cells[..2], ["7".to_string(), String::new()]);
    }
}
