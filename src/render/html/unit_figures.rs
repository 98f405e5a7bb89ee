//! The headline figures and the recognition of a division's or an area's page: clubs,
//! paid clubs, members, payments and distinguished clubs, each against its base and the
//! same point last year (`unit_history`), and the DAP/DDP status computed here beside
//! TI's, with each level's targets and what the next still needs, as counts. Words only:
//! the rules are `crate::recognition::units`'. [`Which`] is what a page is about.

use super::common::Card;
use super::district_units::UnitContext;
use super::format::{UNKNOWN, int, signed};
use super::recognition::{UnitStatus, unit_status};
use super::unit_history::{self, LastYear, UnitPoint};
use super::words::count as plural;
use crate::model::RecognitionReport;
use crate::recognition::units::UnitRecognition;
use crate::render::BuiltDistrict;
use crate::render::calendar::Unit;
use crate::stats::{AreaStats, DivisionStats, Totals};
use serde::Serialize;

/// A division with its areas, or one area with its division: what a page is about.
#[derive(Clone, Copy)]
pub enum Which<'a> {
    Division(&'a DivisionStats),
    Area(&'a DivisionStats, &'a AreaStats),
}

impl<'a> Which<'a> {
    pub fn unit(&self) -> Unit<'a> {
        match *self {
            Which::Division(d) => Unit::Division(&d.division_id),
            Which::Area(d, a) => Unit::Area {
                division: &d.division_id,
                area: &a.area_id,
            },
        }
    }
    pub fn totals(&self) -> &'a Totals {
        match *self {
            Which::Division(d) => &d.totals,
            Which::Area(_, a) => &a.totals,
        }
    }
    pub fn report(&self) -> Option<&'a RecognitionReport> {
        match *self {
            Which::Division(d) => d.ti_recognition.as_ref(),
            Which::Area(_, a) => a.ti_recognition.as_ref(),
        }
    }
    pub fn recognition(&self) -> Option<&'a UnitRecognition> {
        match *self {
            Which::Division(d) => d.recognition.as_ref(),
            Which::Area(_, a) => a.recognition.as_ref(),
        }
    }
    pub fn areas(&self) -> Vec<(&'a DivisionStats, &'a AreaStats)> {
        match *self {
            Which::Division(d) => d.areas.iter().map(|a| (d, a)).collect(),
            Which::Area(d, a) => vec![(d, a)],
        }
    }
}

#[derive(Serialize)]
pub struct RecognitionView {
    /// `Distinguished Area Program` or `Distinguished Division Program`.
    program: &'static str,
    ours: UnitStatus,
    ti: String,
    base: String,
    targets: Vec<TargetRow>,
}

#[derive(Serialize)]
pub struct TargetRow {
    level: &'static str,
    paid: String,
    distinguished: String,
    met: bool,
}

/// The headline figures, each against the base and the same point last year.
pub fn figures(
    t: &Totals,
    report: Option<&RecognitionReport>,
    rec: Option<&UnitRecognition>,
    ly: &LastYear,
    b: &BuiltDistrict,
    is_division: bool,
) -> Vec<Card> {
    let vs = |now: Option<i64>, f: fn(&UnitPoint) -> Option<i64>| {
        unit_history::against_last_year(now, ly, f)
    };
    let base = match report {
        Some(r) => format!(
            "club base {} (net {})",
            int(r.club_base),
            signed(t.clubs - r.club_base)
        ),
        None if b.district.has_division_report => {
            format!("club base {UNKNOWN}: the unit is not in TI's division report")
        }
        None => format!("club base {UNKNOWN}: TI's division report was not collected"),
    };
    let paid_base = match report {
        Some(r) => format!(
            "club base {} (net {})",
            int(r.club_base),
            signed(t.paid_clubs - r.club_base)
        ),
        None => base.clone(),
    };
    let known = |label, value: i64, details: Vec<String>| Card {
        label,
        value: int(value),
        details,
        unknown: false,
    };
    let mut out = vec![
        known(
            "Clubs",
            t.clubs,
            vec![base, vs(Some(t.clubs), |p| Some(p.clubs))],
        ),
        known(
            "Paid clubs",
            t.paid_clubs,
            vec![paid_base, vs(Some(t.paid_clubs), |p| Some(p.paid_clubs))],
        ),
        known(
            "Active members",
            t.active_members,
            vec![
                format!(
                    "base {} (net {})",
                    int(t.membership_base),
                    signed(t.net_growth)
                ),
                vs(Some(t.active_members), |p| Some(p.active_members)),
            ],
        ),
    ];
    out.push(match t.payments {
        Some(p) => known(
            "Payments",
            p,
            vec![if is_division {
                vs(Some(p), |p| p.payments)
            } else {
                format!(
                    "last year: {UNKNOWN} (the history keeps payments by division, not by area)"
                )
            }],
        ),
        None => Card {
            label: "Payments",
            value: UNKNOWN.into(),
            details: vec!["TI's district report for this date was not collected".into()],
            unknown: true,
        },
    });
    let counted = rec.map_or(t.distinguished_on_track, |r| r.distinguished_clubs);
    let mut details = Vec::new();
    if let Some(r) = rec.filter(|r| r.club_base > 0) {
        let first = &r.targets[0];
        details.push(format!(
            "{} needed for {}",
            int(first.distinguished_clubs),
            first.level.name()
        ));
    }
    details.push(vs(Some(t.distinguished_on_track), |p| {
        Some(p.distinguished_on_track)
    }));
    out.push(known(
        super::common::DISTINGUISHED_ON_TRACK,
        counted,
        details,
    ));
    out
}

pub fn recognition_view(
    is_division: bool,
    rec: Option<&UnitRecognition>,
    report: Option<&RecognitionReport>,
    how: UnitContext,
    b: &BuiltDistrict,
) -> RecognitionView {
    let ours = unit_status(
        rec,
        report.and_then(|r| r.status.as_deref()),
        how.comparable && report.is_some(),
        how.has_division_report,
    );
    let ti = match report {
        Some(r) => r.status.clone().unwrap_or_else(|| "none yet".into()),
        None if b.district.has_division_report => {
            format!("{UNKNOWN}: the unit is not in TI's division report")
        }
        None => format!("{UNKNOWN}: TI's division report was not collected"),
    };
    let (base, targets) = match rec.filter(|r| r.club_base > 0) {
        Some(r) => (
            format!(
                "{} club base {}",
                if r.club_base_source == "ti" {
                    "TI's"
                } else {
                    "An estimated"
                },
                int(r.club_base)
            ),
            r.targets
                .iter()
                .map(|x| TargetRow {
                    level: x.level.name(),
                    paid: plural(x.paid_clubs, "paid club", "paid clubs"),
                    distinguished: plural(
                        x.distinguished_clubs,
                        "distinguished club",
                        "distinguished clubs",
                    ),
                    met: r.paid_clubs >= x.paid_clubs
                        && r.distinguished_clubs >= x.distinguished_clubs,
                })
                .collect(),
        ),
        _ => (String::new(), Vec::new()),
    };
    RecognitionView {
        program: if is_division {
            "Distinguished Division Program"
        } else {
            "Distinguished Area Program"
        },
        ours,
        ti,
        base,
        targets,
    }
}
