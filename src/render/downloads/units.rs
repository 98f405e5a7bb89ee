//! A division's or an area's clubs CSV, beside its page: the district's clubs table (the
//! same columns and rows) filtered to the unit's clubs, so the two never disagree.

use super::{CLUB_HEADERS, Table, club_row};
use crate::render::BuiltDistrict;
use crate::render::calendar::Unit;
use crate::render::html::format::id_part;
use chrono::NaiveDate;

/// The clubs of one unit of a built district (all of them for the district), in TI's
/// order, with the district table's columns.
pub fn clubs_table_of(b: &BuiltDistrict, date: NaiveDate, unit: Unit) -> Table {
    Table {
        name: "Clubs",
        headers: CLUB_HEADERS.to_vec(),
        rows: b
            .district
            .clubs
            .iter()
            .filter(|c| unit.contains(&c.division_id, &c.area_id))
            .map(|c| club_row(c, date))
            .collect(),
    }
}

/// Where a division's or an area's clubs CSV for `date` lives, beside its page
/// (`districts/61/divisions/B/D61-division-B-clubs-2026-11-08.csv`).
pub fn unit_csv(id: &str, unit: Unit, date: NaiveDate) -> String {
    let what = match unit {
        Unit::District => String::new(),
        Unit::Division(d) => format!("-division-{}", id_part(d)),
        Unit::Area { area, .. } => format!("-area-{}", id_part(area)),
    };
    format!(
        "districts/{id}/{}D{id}{what}-clubs-{date}.csv",
        unit.folder()
    )
}
