//! The divisions-and-areas table of a district page: one row per division and area with
//! its sums, the status computed here against TI's, and what the next level still needs;
//! columns unknown in every row are left out. Each name links the unit's page, each row
//! its calendar. The division pages show their own rows.

use super::format::{UNKNOWN, id_part, int, signed};
use super::recognition::{self, UnitStatus};
use super::words::level_word;
use crate::model::RecognitionReport;
use crate::recognition::units::UnitRecognition;
use crate::render::calendar;
use crate::stats::{DivisionStats, Totals};
use serde::Serialize;

/// A division or area row of the divisions-and-areas table.
#[derive(Debug, Serialize)]
pub(super) struct UnitRow {
    label: String,
    anchor: String,
    clubs: String,
    club_base: String,
    paid: String,
    member_base: String,
    members: String,
    net: String,
    payments: String,
    distinguished: String,
    ti_status: String,
    /// The unit's deadline calendar, relative to the district page.
    calendar: String,
    /// The unit's page, relative to the district's folder (`divisions/A/index.html`).
    href: String,
    /// Our DAP/DDP status, its notes, what is missing and whether TI disagrees.
    status: UnitStatus,
}

/// The columns of the divisions-and-areas table that some row knows: a column unknown in
/// every row is left out, and the note above the table says why once.
#[derive(Debug, Default, Serialize)]
pub(super) struct UnitColumns {
    club_base: bool,
    payments: bool,
    ti_status: bool,
}

impl UnitColumns {
    pub(super) fn of(divisions: &[DivisionView]) -> UnitColumns {
        let rows = || {
            divisions
                .iter()
                .flat_map(|d| std::iter::once(&d.total).chain(&d.areas))
        };
        let known = |f: fn(&UnitRow) -> &str| rows().any(|u| f(u) != UNKNOWN);
        UnitColumns {
            club_base: known(|u| &u.club_base),
            payments: known(|u| &u.payments),
            ti_status: known(|u| &u.ti_status),
        }
    }
}

#[derive(Debug, Serialize)]
pub(super) struct DivisionView {
    total: UnitRow,
    areas: Vec<UnitRow>,
}

/// One row of "Divisions at a glance" on the district page.
#[derive(Debug, Serialize)]
pub(super) struct Glance {
    name: String,
    /// The division's details, relative to the district page.
    href: String,
    /// Our status with its notes: `Distinguished (provisional)`.
    status: String,
    /// The next level, and the paid and distinguished clubs it still needs (`UNKNOWN`
    /// when our status is unknown; empty outside the program or at the top).
    next: String,
    more_paid: String,
    more_distinguished: String,
}

impl DivisionView {
    pub(super) fn glance(&self, rec: Option<&UnitRecognition>) -> Glance {
        let u = &self.total;
        // the short level words: a row of the glance fits a phone's width
        let mut status = match rec {
            Some(r) if r.determined => r.level.map_or("none", level_word).to_string(),
            _ => UNKNOWN.to_string(),
        };
        if !u.status.notes.is_empty() {
            status = format!("{status} ({})", u.status.notes.join(", "));
        }
        let (next, paid, dist) = match rec.map(|r| r.next_needs()) {
            None => (
                UNKNOWN.to_string(),
                UNKNOWN.to_string(),
                UNKNOWN.to_string(),
            ),
            Some(None) => Default::default(),
            Some(Some((level, paid, dist))) => {
                (level_word(level).to_string(), int(paid), int(dist))
            }
        };
        Glance {
            name: u.label.trim_start_matches("Division ").to_string(),
            // the division's own page, relative to the district page
            href: u.href.clone(),
            status,
            next,
            more_paid: paid,
            more_distinguished: dist,
        }
    }

    /// Makes the calendar links start with `prefix` (an archived month links the current
    /// calendars: it keeps none of its own).
    pub(super) fn prefix_calendars(&mut self, prefix: &str) {
        for row in std::iter::once(&mut self.total).chain(self.areas.iter_mut()) {
            row.calendar = format!("{prefix}{}", row.calendar);
        }
    }

    /// Makes the links to the unit pages start with `prefix` (a page outside the
    /// district's folder).
    pub(super) fn prefix_pages(&mut self, prefix: &str) {
        for row in std::iter::once(&mut self.total).chain(self.areas.iter_mut()) {
            row.href = format!("{prefix}{}", row.href);
        }
    }
}

/// A division's or an area's page from its district's folder: in the unit's folder, beside
/// its calendar.
pub fn unit_href(unit: calendar::Unit) -> String {
    format!("{}index.html", unit.folder())
}

pub fn division_anchor(division: &str) -> String {
    format!("division-{}", id_part(division))
}

pub fn area_anchor(division: &str, area: &str) -> String {
    format!("area-{}-{}", id_part(division), id_part(area))
}

fn unit_row(
    label: String,
    anchor: String,
    calendar: calendar::Unit,
    t: &Totals,
    report: Option<&RecognitionReport>,
    ours: Option<&UnitRecognition>,
    how: UnitContext,
) -> UnitRow {
    let mut status = recognition::unit_status(
        ours,
        report.and_then(|r| r.status.as_deref()),
        how.comparable && report.is_some(),
        how.has_division_report,
    );
    if !how.comparable {
        // before April the note above the table says every status is provisional; the
        // word on each of a hundred rows would only add weight
        status.notes.retain(|n| n != recognition::PROVISIONAL);
    }
    UnitRow {
        status,
        label,
        anchor,
        calendar: calendar.href(),
        href: unit_href(calendar),
        clubs: int(t.clubs),
        club_base: report.map_or(UNKNOWN.to_string(), |r| int(r.club_base)),
        paid: int(t.paid_clubs),
        member_base: int(t.membership_base),
        members: int(t.active_members),
        net: signed(t.net_growth),
        payments: t.payments.map_or(UNKNOWN.to_string(), int),
        // the count the status is decided on: before April the clubs on track
        distinguished: ours.map_or(int(t.distinguished_ti_code), |r| int(r.distinguished_clubs)),
        // a report without a status means TI recognises nothing yet; no report, unknown
        ti_status: report.map_or(UNKNOWN.to_string(), |r| {
            r.status.clone().unwrap_or_else(|| "none".to_string())
        }),
    }
}

/// What the status of every unit of a district is read against.
#[derive(Debug, Clone, Copy)]
pub(super) struct UnitContext {
    /// TI's unit words can be compared with ours (from April).
    pub(super) comparable: bool,
    pub(super) has_division_report: bool,
}

pub(super) fn division_view(d: &DivisionStats, how: UnitContext) -> DivisionView {
    DivisionView {
        total: unit_row(
            super::words::division_name(&d.division_id),
            division_anchor(&d.division_id),
            calendar::Unit::Division(&d.division_id),
            &d.totals,
            d.ti_recognition.as_ref(),
            d.recognition.as_ref(),
            how,
        ),
        areas: d
            .areas
            .iter()
            .map(|a| {
                unit_row(
                    super::words::area_name(&d.division_id, &a.area_id),
                    area_anchor(&d.division_id, &a.area_id),
                    calendar::Unit::Area {
                        division: &d.division_id,
                        area: &a.area_id,
                    },
                    &a.totals,
                    a.ti_recognition.as_ref(),
                    a.recognition.as_ref(),
                    how,
                )
            })
            .collect(),
    }
}
