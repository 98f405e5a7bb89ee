//! The dates of a program year that district, division and area leaders plan around
//! (issue 24): officer training windows, the Club Success Plan, the two dues renewals,
//! the two club-visit rounds, the District Club Growth Achievement checkpoints and the
//! year's end, as one table. The deadline calendars and the methodology page both read it;
//! the visit rounds come from [`units::visit_deadline`], the one place their dates live.
//!
//! A date TI does not publish as a rule is marked as such beside its entry, and where
//! sources disagree the entry takes the date a club cannot miss by following it.

use super::units::{self, VISIT_PCT};
use chrono::{Datelike, NaiveDate};

/// A day of a program year starting 1 July of `py_start`: `year` 0 is `py_start`, 1 the
/// year after. A day past the month's end is its last day (29 February in a common year
/// is 28 February).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearDay {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl YearDay {
    const fn new(year: i32, month: u32, day: u32) -> YearDay {
        YearDay { year, month, day }
    }

    fn date(self, py_start: i32) -> Option<NaiveDate> {
        let year = py_start.checked_add(self.year)?;
        (self.day.saturating_sub(3)..=self.day)
            .rev()
            .find_map(|d| NaiveDate::from_ymd_opt(year, self.month, d))
    }
}

/// When a deadline falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// One day.
    On(YearDay),
    /// A window, both days included.
    Window(YearDay, YearDay),
    /// The last day of club-visit round 1 or 2 ([`units::visit_deadline`]).
    VisitRound(usize),
}

/// One deadline of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineRule {
    /// Stable key: calendar UIDs and page anchors are built from it, so it never changes.
    pub kind: &'static str,
    pub title: &'static str,
    /// What is due and who does it, in one line; `{visit_pct}` stands for [`VISIT_PCT`].
    pub description: &'static str,
    pub due: Due,
    /// The first program year (its start year) the deadline exists in.
    pub from_py: Option<i32>,
    /// Where the date comes from, for readers of the methodology page (the code comment
    /// above each entry names the exact source).
    pub source: &'static str,
}

/// The table, in the order of the program year.
pub const DEADLINES: &[DeadlineRule] = &[
    // DOMAIN.md §2.5 (round 1 is June–August); district pages give the same window, e.g.
    // District 56 (toastmastershouston.com/club-officer-training) and District 64: 1 June
    // to 31 August. It opens before the program year does, with the new officers.
    DeadlineRule {
        kind: "officer-training-1",
        title: "Club officer training, round 1",
        description: "Club officers: at least four officers of each club trained in this window, and four again in round 2, meet DCP goal 9.",
        due: Due::Window(YearDay::new(0, 6, 1), YearDay::new(0, 8, 31)),
        from_py: None,
        source: "Club officer training periods as districts publish them: 1 June to 31 August",
    },
    // TI's dashboard (dashboards.toastmasters.org, Distinguished Club Program page): the
    // plan is "submitted by September 30" for every level; a club chartered later has 90
    // days from its charter. The CSP column and gate exist from 2025-26 (DOMAIN.md §5.2).
    DeadlineRule {
        kind: "club-success-plan",
        title: "Club Success Plan due",
        description: "Club executive committees: submit the Club Success Plan in Club Central; a club without it cannot be distinguished (new clubs: 90 days after charter).",
        due: Due::On(YearDay::new(0, 9, 30)),
        from_py: Some(2025),
        source: "TI's Distinguished Club Program requirements on its dashboard: submitted by 30 September",
    },
    // Issue 23 states the 2026-27 checkpoints as clubs chartered by 30 September and by
    // 31 March. No TI document we could search confirms them: the dates are the issue's.
    DeadlineRule {
        kind: "growth-checkpoint-1",
        title: "District Club Growth Achievement, first checkpoint",
        description: "District, division and area leaders: clubs chartered by this day count toward the first checkpoint of the District Club Growth Achievement.",
        due: Due::On(YearDay::new(0, 9, 30)),
        from_py: Some(2026),
        source: "The 2026–2027 District Club Growth Achievement as given to toaststats; not confirmed in a published TI document",
    },
    // TI: renewal dues are due 1 October and 1 April and must be received by World
    // Headquarters on or before the due date (club pages quoting TI, e.g. District 50 and
    // South County Toastmasters). DOMAIN.md §5.1: the on-time flags feed DCP goal 10.
    // Base Camp access lapses after 30 September / 31 March, so earlier is safer.
    DeadlineRule {
        kind: "dues-october",
        title: "October dues renewal due",
        description: "Club treasurers: pay the members' renewal dues so TI receives them by 1 October; dues on time in October or April count toward DCP goal 10.",
        due: Due::On(YearDay::new(0, 10, 1)),
        from_py: None,
        source: "TI's membership dues, due 1 October and 1 April, as districts and clubs quote TI",
    },
    DeadlineRule {
        kind: "officer-training-2",
        title: "Club officer training, round 2",
        // DOMAIN.md §2.5 (November–February), District 56: 1 November to the end of
        // February. Older years' pages give 1 December as the start; November is the
        // current one, and the end, which matters for the goal, is the same in both.
        description: "Club officers: at least four officers of each club trained in this window, after four in round 1, meet DCP goal 9.",
        due: Due::Window(YearDay::new(0, 11, 1), YearDay::new(1, 2, 29)),
        from_py: None,
        source: "Club officer training periods as districts publish them: 1 November to the end of February",
    },
    // DOMAIN.md §5.6: round 1 is the "Nov Visit award", due 30 November.
    DeadlineRule {
        kind: "visit-round-1",
        title: "Club visits, round 1 due",
        description: "Area directors: submit club visit reports for at least {visit_pct}% of the area's club base; Distinguished Area needs this in each round.",
        due: Due::VisitRound(1),
        from_py: None,
        source: "TI's Distinguished Area Program: club visit reports in two rounds",
    },
    DeadlineRule {
        kind: "growth-checkpoint-2",
        title: "District Club Growth Achievement, second checkpoint",
        description: "District, division and area leaders: clubs chartered by this day count toward the second checkpoint of the District Club Growth Achievement.",
        due: Due::On(YearDay::new(1, 3, 31)),
        from_py: Some(2026),
        source: "The 2026–2027 District Club Growth Achievement as given to toaststats; not confirmed in a published TI document",
    },
    DeadlineRule {
        kind: "dues-april",
        title: "April dues renewal due",
        description: "Club treasurers: pay the members' renewal dues so TI receives them by 1 April; dues on time in October or April count toward DCP goal 10.",
        due: Due::On(YearDay::new(1, 4, 1)),
        from_py: None,
        source: "TI's membership dues, due 1 October and 1 April, as districts and clubs quote TI",
    },
    // DOMAIN.md §5.6: round 2 is the "May Visit award", due 31 May.
    DeadlineRule {
        kind: "visit-round-2",
        title: "Club visits, round 2 due",
        description: "Area directors: submit club visit reports for at least {visit_pct}% of the area's club base; Distinguished Area needs this in each round.",
        due: Due::VisitRound(2),
        from_py: None,
        source: "TI's Distinguished Area Program: club visit reports in two rounds",
    },
    // DOMAIN.md §3.1 and §5.2: the program year ends 30 June, when recognition is final.
    DeadlineRule {
        kind: "program-year-end",
        title: "Program year ends",
        description: "Everyone: the figures of 30 June decide the year's club, area, division and district recognition.",
        due: Due::On(YearDay::new(1, 6, 30)),
        from_py: None,
        source: "TI's program year, 1 July to 30 June",
    },
];

/// A deadline of one program year, with its dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub kind: &'static str,
    pub title: &'static str,
    pub description: String,
    /// The day, or a window's first day.
    pub start: NaiveDate,
    /// A window's last day (included); the same as `start` for a single day.
    pub end: NaiveDate,
    pub source: &'static str,
    /// The program year (its start year) the deadline belongs to.
    pub py_start: i32,
}

impl Deadline {
    pub fn is_window(&self) -> bool {
        self.start != self.end
    }
}

impl DeadlineRule {
    /// Whether the deadline exists in the program year starting `py_start`.
    pub fn applies(&self, py_start: i32) -> bool {
        self.from_py.is_none_or(|from| py_start >= from)
    }

    /// The deadline in the program year starting `py_start`, when it exists then.
    pub fn resolve(&self, py_start: i32) -> Option<Deadline> {
        if !self.applies(py_start) {
            return None;
        }
        let (start, end) = match self.due {
            Due::On(day) => {
                let d = day.date(py_start)?;
                (d, d)
            }
            Due::Window(first, last) => (first.date(py_start)?, last.date(py_start)?),
            Due::VisitRound(round) => {
                let d = units::visit_deadline(round, py_start)?;
                (d, d)
            }
        };
        Some(Deadline {
            kind: self.kind,
            title: self.title,
            description: self
                .description
                .replace("{visit_pct}", &VISIT_PCT.to_string()),
            start,
            end,
            source: self.source,
            py_start,
        })
    }
}

/// Every deadline of the program year starting `py_start`, in date order.
pub fn program_year(py_start: i32) -> Vec<Deadline> {
    let mut out: Vec<Deadline> = DEADLINES
        .iter()
        .filter_map(|r| r.resolve(py_start))
        .collect();
    out.sort_by(|a, b| (a.start, a.end, a.kind).cmp(&(b.start, b.end, b.kind)));
    out
}

/// The deadlines a calendar shows on `data_date`: its program year's, and from May on the
/// next year's first ones (those starting by 1 October), so leaders see June's officer
/// training and September's plans before the new year's data exists.
pub fn for_calendar(data_date: NaiveDate) -> Vec<Deadline> {
    let py_start = crate::cache::footer::program_year_start(data_date);
    let mut out = program_year(py_start);
    if (5..=6).contains(&data_date.month()) {
        let cutoff = NaiveDate::from_ymd_opt(py_start + 1, 10, 1);
        out.extend(
            program_year(py_start + 1)
                .into_iter()
                .filter(|d| cutoff.is_some_and(|c| d.start <= c)),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn visit_rounds_are_the_units_deadlines() {
        for py in [2019, 2025, 2026] {
            let year = program_year(py);
            for (kind, round) in [("visit-round-1", 1), ("visit-round-2", 2)] {
                let e = year.iter().find(|e| e.kind == kind).unwrap();
                assert_eq!(Some(e.start), units::visit_deadline(round, py));
                assert!(e.description.contains(&format!("{VISIT_PCT}%")));
            }
        }
    }

    #[test]
    fn deadlines_exist_from_their_first_year_only() {
        let kinds = |py| -> Vec<&str> { program_year(py).iter().map(|e| e.kind).collect() };
        assert!(!kinds(2024).contains(&"club-success-plan"));
        assert!(kinds(2025).contains(&"club-success-plan"));
        assert!(!kinds(2025).contains(&"growth-checkpoint-1"));
        assert!(kinds(2026).contains(&"growth-checkpoint-2"));
        assert_eq!(kinds(2026).len(), DEADLINES.len());
    }

    #[test]
    fn windows_and_the_end_of_february() {
        let training = |py| {
            program_year(py)
                .into_iter()
                .find(|e| e.kind == "officer-training-2")
                .unwrap()
        };
        // 2028 is a leap year, 2027 is not
        assert_eq!(
            (training(2027).start, training(2027).end),
            (d(2027, 11, 1), d(2028, 2, 29))
        );
        assert_eq!(training(2026).end, d(2027, 2, 28));
        let round1 = program_year(2026).into_iter().next().unwrap();
        assert_eq!(
            (round1.kind, round1.start, round1.end),
            ("officer-training-1", d(2026, 6, 1), d(2026, 8, 31))
        );
        assert!(round1.is_window());
    }

    #[test]
    fn kinds_are_unique_and_the_year_is_in_order() {
        let mut kinds: Vec<&str> = DEADLINES.iter().map(|r| r.kind).collect();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds.len(), DEADLINES.len());
        let year = program_year(2026);
        assert!(year.windows(2).all(|w| w[0].start <= w[1].start));
        assert_eq!(year.last().unwrap().start, d(2027, 6, 30));
    }

    #[test]
    fn from_may_the_next_years_first_deadlines_join() {
        assert!(
            for_calendar(d(2027, 4, 30))
                .iter()
                .all(|e| e.py_start == 2026)
        );
        let may = for_calendar(d(2027, 5, 3));
        let next: Vec<&str> = may
            .iter()
            .filter(|e| e.py_start == 2027)
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            next,
            [
                "officer-training-1",
                "club-success-plan",
                "growth-checkpoint-1",
                "dues-october"
            ]
        );
    }
}
