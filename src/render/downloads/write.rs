//! The two writers of a download [`Table`]: CSV made for spreadsheets (BOM, CRLF,
//! `="…"` identifiers, formula-like text neutralised) and the Excel workbook (typed cells,
//! text identifiers, frozen header, the data date as its creation date).

use super::{Cell, Table};
use anyhow::{Context, Result};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

/// A CSV field, quoted when it holds a separator, quote or line break (RFC 4180).
fn field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// The table as spreadsheet-friendly CSV (see the module header).
pub fn csv(t: &Table) -> Vec<u8> {
    let mut out = String::from("\u{FEFF}");
    let mut line = |cells: &mut dyn Iterator<Item = String>| {
        for (i, c) in cells.enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&c);
        }
        out.push_str("\r\n");
    };
    line(&mut t.headers.iter().map(|h| {
        let mut s = String::new();
        field(&mut s, h);
        s
    }));
    for row in &t.rows {
        line(&mut row.iter().map(csv_cell));
    }
    out.into_bytes()
}

fn csv_cell(c: &Cell) -> String {
    let mut s = String::new();
    match c {
        // digits only, so the formula is safe and needs no quoting
        Cell::Code(v) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => {
            s = format!("=\"{v}\"");
        }
        Cell::Code(v) | Cell::Text(v) => field(&mut s, &spreadsheet_safe(v.clone())),
        Cell::Int(n) => s = n.to_string(),
        Cell::Num(x) => s = format!("{x:.2}"),
        Cell::Date(d) => s = d.to_string(),
        Cell::Empty => {}
    }
    s
}

/// A CSV cell that a spreadsheet will not run as a formula (OWASP "CSV Injection"): text
/// starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`. Numbers are left as
/// they are, so a Net Growth of `-22` stays a number people can sum: a spreadsheet reads
/// a plain number as a value, never as a formula, so it carries no risk. Every text cell
/// of a CSV download goes through this.
pub fn spreadsheet_safe(cell: String) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = cell.parse::<f64>().is_ok_and(f64::is_finite);
    if risky && !number {
        format!("'{cell}")
    } else {
        cell
    }
}

/// The tables as an Excel workbook, one sheet each: bold frozen header row with filters,
/// typed cells (identifiers as text), and `date` as the creation date.
pub fn workbook(tables: &[Table], title: &str, date: NaiveDate) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    book.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_author("toaststats")
            .set_comment("Built by toaststats from Toastmasters International dashboard exports")
            .set_creation_datetime(&created),
    );
    for t in tables {
        sheet(book.add_worksheet(), t).with_context(|| format!("sheet {}", t.name))?;
    }
    book.save_to_buffer().map_err(|e| anyhow::anyhow!("{e}"))
}

fn sheet(ws: &mut Worksheet, t: &Table) -> Result<(), rust_xlsxwriter::XlsxError> {
    let bold = Format::new().set_bold().set_text_wrap();
    let text = Format::new().set_num_format("@");
    let num = Format::new().set_num_format("0.00");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    ws.set_name(t.name)?;
    for (c, h) in t.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => ws.write_string(r, c, s)?,
                Cell::Code(s) => ws.write_string_with_format(r, c, s, &text)?,
                Cell::Int(n) => ws.write_number(r, c, *n as f64)?,
                Cell::Num(x) => ws.write_number_with_format(r, c, *x, &num)?,
                Cell::Date(d) => {
                    let dt =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    ws.write_datetime_with_format(r, c, &dt, &date)?
                }
                Cell::Empty => ws,
            };
        }
    }
    ws.set_freeze_panes(1, 0)?;
    let last_col = t.headers.len().saturating_sub(1) as u16;
    ws.autofilter(0, 0, t.rows.len() as u32, last_col)?;
    ws.set_autofit_max_width(320);
    ws.autofit();
    Ok(())
}
