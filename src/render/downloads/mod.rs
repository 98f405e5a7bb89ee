//! The spreadsheet downloads of a snapshot: per built district a clubs CSV and an Excel
//! workbook (clubs, areas, divisions), and for the world the rankings (CSV and workbook)
//! and every club (CSV). Each table is defined once, as typed cells, and written by both
//! writers, so the CSV and the workbook never disagree.
//!
//! Files are named after what they hold (`districts/91/D91-clubs-2026-11-08.csv`), so a
//! reader's downloads folder keeps them apart. The CSV is made for spreadsheets first:
//! UTF-8 with a BOM (without it Excel reads UTF-8 as the ANSI code page and garbles
//! "Bogotá"), CRLF line ends (RFC 4180), readable headers, and identifiers written as
//! `="00003045"`: Excel and LibreOffice both evaluate that on opening and keep the text
//! with its leading zeros, whereas a plain or quoted `00003045` becomes the number 3045.
//! (Programs should read the JSON API or the workbook, whose cells are typed.) Every other
//! text cell goes through [`spreadsheet_safe`]. The workbook carries no build time: its
//! creation date is the data date and the zip entries have fixed times, so the same cache
//! gives the same bytes.

use super::calendar::Unit;
use super::html::club_cells::club_cells;
use super::html::words::level_word;
use super::{BuildModel, BuiltDistrict};
use crate::model::{Club, RecognitionReport};
use crate::rank::Ranking;
use crate::recognition::units::UnitRecognition;
use crate::stats::Totals;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::BTreeMap;

mod units;
mod write;
pub use units::{clubs_table_of, unit_csv};
pub use write::{csv, spreadsheet_safe, workbook};

/// Folder of the world downloads, from the snapshot root.
pub const WORLD_DIR: &str = "downloads";

/// One typed cell of a download table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// An identifier (club number, area, district): text that must keep leading zeros.
    Code(String),
    Int(i64),
    /// A number shown with two decimals (percentages).
    Num(f64),
    Date(NaiveDate),
    /// Unknown: an empty cell, never 0.
    Empty,
}

/// A sheet: its name, headers and rows (every row as long as the headers).
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// The files of one district's downloads, by path from the snapshot root.
#[derive(Debug, Clone)]
pub struct DistrictFiles {
    pub csv: String,
    pub xlsx: String,
    /// The district's action list (issue 22).
    pub actions_csv: String,
}

/// Where district `id`'s downloads for `date` live (both beside its page).
pub fn district_files(id: &str, date: NaiveDate) -> DistrictFiles {
    DistrictFiles {
        csv: format!("districts/{id}/D{id}-clubs-{date}.csv"),
        xlsx: format!("districts/{id}/D{id}-{date}.xlsx"),
        actions_csv: format!("districts/{id}/D{id}-actions-{date}.csv"),
    }
}

/// The world downloads for `date`: (rankings CSV, rankings workbook, all clubs CSV).
pub fn world_files(date: NaiveDate) -> [String; 3] {
    [
        format!("{WORLD_DIR}/rankings-{date}.csv"),
        format!("{WORLD_DIR}/rankings-{date}.xlsx"),
        format!("{WORLD_DIR}/all-clubs-{date}.csv"),
    ]
}

/// The data date a built district is shown at (its own, when older than the snapshot's).
pub fn district_date(model: &BuildModel, b: &BuiltDistrict) -> NaiveDate {
    b.stale
        .as_ref()
        .map_or(model.dated.period.data_date, |s| s.data_date)
}

/// Adds every download of the snapshot to `files`.
pub fn render(model: &BuildModel, files: &mut BTreeMap<String, Vec<u8>>) -> Result<()> {
    // Districts in parallel; collecting keeps their order.
    let per_district: Vec<Vec<(String, Vec<u8>)>> = model
        .districts
        .par_iter()
        .map(|b| -> Result<_> {
            let id = &b.district.id;
            let date = district_date(model, b);
            let names = district_files(id, date);
            let clubs = clubs_table(b, date);
            let title = format!("District {id} clubs, areas and divisions, data date {date}");
            let xlsx = workbook(
                &[clubs_table(b, date), areas_table(b), divisions_table(b)],
                &title,
                date,
            )
            .with_context(|| format!("the workbook of district {id}"))?;
            let actions = actions_table(&super::actions_of(model, b));
            let mut out = vec![
                (names.csv, csv(&clubs)),
                (names.xlsx, xlsx),
                (names.actions_csv, csv(&actions)),
            ];
            for unit in super::calendar::units(b) {
                out.push((
                    unit_csv(id, unit, date),
                    csv(&clubs_table_of(b, date, unit)),
                ));
            }
            Ok(out)
        })
        .collect::<Result<_>>()?;
    let mut all_rows = Vec::new();
    for (b, written) in model.districts.iter().zip(per_district) {
        files.extend(written);
        if b.stale.as_ref().is_none_or(|s| !s.former) {
            all_rows.extend(clubs_table(b, district_date(model, b)).rows);
        }
    }
    let date = model.dated.period.data_date;
    let [rankings_csv, rankings_xlsx, all_clubs] = world_files(date);
    if let Ok(rankings) = &model.rankings {
        let table = rankings_table(rankings, date);
        let title = format!("World district rankings, data date {date}");
        files.insert(rankings_csv, csv(&table));
        files.insert(
            rankings_xlsx,
            workbook(&[table], &title, date).context("the rankings workbook")?,
        );
    }
    if !model.districts.is_empty() {
        let table = Table {
            name: "Clubs",
            headers: CLUB_HEADERS.to_vec(),
            rows: all_rows,
        };
        files.insert(all_clubs, csv(&table));
    }
    Ok(())
}

/// A district's actions, in the list's order (by deadline): one row per step.
pub fn actions_table(list: &crate::recognition::actions::ActionList) -> Table {
    Table {
        name: "Actions",
        headers: vec![
            "Deadline",
            "Overdue",
            "Action",
            "Who",
            "Division",
            "Area",
            "Club number",
            "Club name",
            "Step",
        ],
        rows: list
            .actions
            .iter()
            .map(|a| {
                vec![
                    Cell::Date(a.due),
                    Cell::Text(yes_no(a.overdue)),
                    Cell::Text(a.kind.words().into()),
                    Cell::Text(a.who.into()),
                    Cell::Text(a.division.clone()),
                    Cell::Code(a.area.clone()),
                    Cell::Code(a.club_number.clone()),
                    Cell::Text(a.club_name.clone()),
                    Cell::Text(a.step.clone()),
                ]
            })
            .collect(),
    }
}

const CLUB_HEADERS: &[&str] = &[
    "District",
    "Data date",
    "Division",
    "Area",
    "Club number",
    "Club name",
    "Status",
    "Club Success Plan",
    "Membership base",
    "Active members",
    "Net growth",
    "Goals met (TI)",
    "Goals met (computed here)",
    "Level (TI's published status)",
    "Level (computed here)",
    "Level provisional",
    "Next level needs",
    "Health",
    "Health risk factors",
    "Payments to date",
    "Charter date",
    "Suspend date",
];

fn opt_text(v: Option<String>) -> Cell {
    v.map_or(Cell::Empty, Cell::Text)
}

fn yes_no(v: bool) -> String {
    if v { "yes" } else { "no" }.to_string()
}

/// One club's row: TI's values as published, then what this tool computed.
fn club_row(c: &Club, date: NaiveDate) -> Vec<Cell> {
    let cells = club_cells(c);
    let dcp = c.dcp.as_ref();
    let nonempty = |s: String| if s.is_empty() { None } else { Some(s) };
    vec![
        Cell::Code(c.district_id.clone()),
        Cell::Date(date),
        Cell::Text(c.division_id.clone()),
        Cell::Code(c.area_id.clone()),
        Cell::Code(c.club_number.clone()),
        Cell::Text(c.club_name.clone()),
        opt_text(c.status.clone()),
        opt_text(c.csp.map(yes_no)),
        Cell::Int(c.membership_base),
        Cell::Int(c.active_members),
        Cell::Int(c.net_growth),
        Cell::Int(c.goals_met),
        dcp.and_then(|d| d.goals_met).map_or(Cell::Empty, Cell::Int),
        opt_text(c.distinguished_status.map(|l| level_word(l).to_string())),
        opt_text(dcp.map(|d| d.level.map_or("none", level_word).to_string())),
        opt_text(dcp.map(|d| yes_no(d.provisional))),
        opt_text(dcp.map(|_| cells.next.clone())),
        opt_text(nonempty(cells.health.clone())),
        opt_text(c.health.as_ref().map(|_| cells.risks.join("; "))),
        c.payments
            .as_ref()
            .map_or(Cell::Empty, |p| Cell::Int(p.total_to_date)),
        c.charter_date.map_or(Cell::Empty, Cell::Date),
        c.suspend_date.map_or(Cell::Empty, Cell::Date),
    ]
}

/// Every club of a built district, in TI's order.
pub fn clubs_table(b: &BuiltDistrict, date: NaiveDate) -> Table {
    clubs_table_of(b, date, Unit::District)
}

const UNIT_HEADERS: &[&str] = &[
    "Clubs",
    "Paid clubs",
    "Club base (TI)",
    "Membership base",
    "Active members",
    "Net growth",
    "Payments",
    "Distinguished clubs on track",
    "Distinguished clubs reached",
    "Distinguished clubs (TI's codes)",
    "Status (TI's published status)",
    "Status (computed here)",
    "Still needed",
];

/// The figures of an area or division, after its id columns.
fn unit_cells(
    t: &Totals,
    report: Option<&RecognitionReport>,
    ours: Option<&UnitRecognition>,
) -> Vec<Cell> {
    vec![
        Cell::Int(t.clubs),
        Cell::Int(t.paid_clubs),
        report.map_or(Cell::Empty, |r| Cell::Int(r.club_base)),
        Cell::Int(t.membership_base),
        Cell::Int(t.active_members),
        Cell::Int(t.net_growth),
        t.payments.map_or(Cell::Empty, Cell::Int),
        Cell::Int(t.distinguished_on_track),
        t.distinguished_reached.map_or(Cell::Empty, Cell::Int),
        Cell::Int(t.distinguished_ti_code),
        // a report without a status means TI recognises nothing yet; no report, unknown
        report.map_or(Cell::Empty, |r| {
            Cell::Text(r.status.clone().unwrap_or_else(|| "none".into()))
        }),
        match ours {
            Some(u) if u.determined => {
                let word = u.level.map_or("none", level_word);
                Cell::Text(if u.provisional {
                    format!("{word} (provisional)")
                } else {
                    word.to_string()
                })
            }
            _ => Cell::Empty,
        },
        ours.map_or(Cell::Empty, |u| Cell::Text(u.missing.join("; "))),
    ]
}

fn areas_table(b: &BuiltDistrict) -> Table {
    let mut rows = Vec::new();
    for d in &b.stats.divisions {
        for a in &d.areas {
            let mut row = vec![
                Cell::Text(d.division_id.clone()),
                Cell::Code(a.area_id.clone()),
            ];
            row.extend(unit_cells(
                &a.totals,
                a.ti_recognition.as_ref(),
                a.recognition.as_ref(),
            ));
            rows.push(row);
        }
    }
    Table {
        name: "Areas",
        headers: [&["Division", "Area"], UNIT_HEADERS].concat(),
        rows,
    }
}

fn divisions_table(b: &BuiltDistrict) -> Table {
    let rows = b
        .stats
        .divisions
        .iter()
        .map(|d| {
            let mut row = vec![Cell::Text(d.division_id.clone())];
            row.extend(unit_cells(
                &d.totals,
                d.ti_recognition.as_ref(),
                d.recognition.as_ref(),
            ));
            row
        })
        .collect();
    Table {
        name: "Divisions",
        headers: [&["Division"], UNIT_HEADERS].concat(),
        rows,
    }
}

const RANKING_HEADERS: &[&str] = &[
    "Rank",
    "District",
    "Region",
    "Borda points",
    "Club growth (%)",
    "Club growth rank",
    "Payment growth (%)",
    "Payment growth rank",
    "Distinguished share (%)",
    "Distinguished rank",
    "Paid clubs",
    "Paid club base",
    "Payments",
    "Payment base",
    "Distinguished clubs",
    "Data date",
];

fn rankings_table(rankings: &[Ranking], date: NaiveDate) -> Table {
    let pct = |v: Option<f64>| v.map_or(Cell::Empty, Cell::Num);
    let rows = rankings
        .iter()
        .map(|r| {
            vec![
                Cell::Int(r.overall_rank.into()),
                Cell::Code(r.district_id.clone()),
                Cell::Code(r.region.clone()),
                Cell::Int(r.borda_points.into()),
                pct(r.club_growth_pct),
                Cell::Int(r.club_growth_rank.into()),
                pct(r.payment_growth_pct),
                Cell::Int(r.payment_growth_rank.into()),
                pct(r.distinguished_pct),
                Cell::Int(r.distinguished_rank.into()),
                Cell::Int(r.paid_clubs),
                Cell::Int(r.paid_club_base),
                Cell::Int(r.total_payments),
                Cell::Int(r.payment_base),
                Cell::Int(r.distinguished_clubs),
                Cell::Date(date),
            ]
        })
        .collect();
    Table {
        name: "Rankings",
        headers: RANKING_HEADERS.to_vec(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_numbers_kept() {
        for (cell, want) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+1+cmd", "'+1+cmd"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tTab", "'\tTab"),
            ("\rCR", "'\rCR"),
            ("-22", "-22"),
            ("+5", "+5"),
            ("-8.29", "-8.29"),
            ("-inf", "'-inf"),
            ("Club = fun", "Club = fun"),
            ("", ""),
        ] {
            assert_eq!(spreadsheet_safe(cell.to_string()), want, "{cell:?}");
        }
    }

    #[test]
    fn csv_keeps_leading_zeros_quotes_text_and_starts_with_a_bom() {
        let t = Table {
            name: "T",
            headers: vec![
                "Club number",
                "Club name",
                "Net growth",
                "Share (%)",
                "Area",
            ],
            rows: vec![vec![
                Cell::Code("00003045".into()),
                Cell::Text("Bogotá, \"Centro\"".into()),
                Cell::Int(-2),
                Cell::Num(12.5),
                Cell::Code("A1".into()),
            ]],
        };
        let text = String::from_utf8(csv(&t)).unwrap();
        assert_eq!(
            text,
            "\u{FEFF}Club number,Club name,Net growth,Share (%),Area\r\n\
             =\"00003045\",\"Bogotá, \"\"Centro\"\"\",-2,12.50,A1\r\n"
        );
    }

    #[test]
    fn file_names_carry_district_and_date() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 8).unwrap();
        let f = district_files("91", d);
        assert_eq!(f.csv, "districts/91/D91-clubs-2026-11-08.csv");
        assert_eq!(f.xlsx, "districts/91/D91-2026-11-08.xlsx");
        assert_eq!(world_files(d)[2], "downloads/all-clubs-2026-11-08.csv");
    }
}
