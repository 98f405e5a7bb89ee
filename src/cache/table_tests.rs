//! Tests of the export-file reader.

use super::*;

fn parse(text: &str) -> Result<Table, Diag> {
    Table::parse(Report::District, "f.csv", text.as_bytes(), &mut Vec::new())
}

const HEADER: &str = "\"District\",\"Division\",\"Area\",\"Club\",\"Club Name\",\"New\",\"Late Ren.\",\"Oct. Ren.\",\"Apr. Ren.\",\"Total Ren.\",\"Total Chart\",\"Total to Date\",\"Distinguished Status\",\"Charter Date/Suspend Date\"\r\n";
const ROW: &str = "\"61\",\"A\",\"01\",\"00003045\",\"Limestone City Club\",\"5\",\"0\",\"9\",\"9\",\"18\",\"0\",\"23\",\"\",\"\"\r\n";

#[test]
fn reads_rows_footer_and_bom() {
    let text = format!("\u{feff}{HEADER}{ROW}\r\n{ROW}Month of Jun, As of 06/09/2026\r\n\r\n");
    let t = parse(&text).unwrap();
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.rows[0].line, 2);
    assert_eq!(t.rows[1].line, 4);
    assert_eq!(t.footer.unwrap().0, 5);
    assert_eq!(t.era, Some("district-2022"));
    assert_eq!(t.index(Col::TotalToDate), Some(11));
    let crlf = parse(&format!("{HEADER}{ROW}{ROW}{ROW}")).unwrap();
    assert_eq!(
        crlf.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        [2, 3, 4]
    );
    let lf = parse(&format!("{HEADER}{ROW}{ROW}").replace("\r\n", "\n")).unwrap();
    assert_eq!(lf.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3]);
}

#[test]
fn rejects_bad_bodies_with_locations() {
    assert_eq!(parse("").unwrap_err().line, Some(1));
    assert!(
        parse("<!DOCTYPE html><html>")
            .unwrap_err()
            .message
            .contains("HTML")
    );
    let e = parse(&format!("{HEADER}Month of Jun, As of 06/09/2026\r\n")).unwrap_err();
    assert!(e.message.contains("no data rows"), "{e}");
    let truncated = "\"61\",\"A\",\"01\",\"00003045\",\"Limestone\"\r\n";
    let e = parse(&format!("{HEADER}{truncated}")).unwrap_err();
    assert_eq!((e.line, e.column), (Some(2), Some(6)), "{e}");
    let e = parse(&HEADER.replace("\"Apr. Ren.\",", "")).unwrap_err();
    assert!(e.message.contains("Apr. Ren."), "{e}");
    let e = parse(&HEADER.replace("\"Late Ren.\"", "\"New\"")).unwrap_err();
    assert_eq!(e.column, Some(7), "{e}");
    let e = Table::parse(Report::District, "f.csv", b"\"a\xff\"", &mut Vec::new()).unwrap_err();
    assert!(e.message.contains("UTF-8"), "{e}");
}

#[test]
fn utf16_without_a_bom_is_named_not_called_a_stray_quote() {
    for (bytes, order) in [
        (
            HEADER
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<u8>>(),
            "little-endian",
        ),
        (
            HEADER.encode_utf16().flat_map(u16::to_be_bytes).collect(),
            "big-endian",
        ),
    ] {
        let e = Table::parse(Report::District, "f.csv", &bytes, &mut Vec::new()).unwrap_err();
        assert!(e.message.contains(order), "{e}");
        assert!(e.message.contains("UTF-16"), "{e}");
        assert_eq!((e.line, e.column), (Some(1), Some(1)));
    }
}

#[test]
fn control_characters_are_stripped_with_one_warning() {
    let row = ROW.replace("Limestone City Club", "Lime\u{0}stone\u{202E} City\tClub");
    let mut w = Vec::new();
    let t = Table::parse(
        Report::District,
        "f.csv",
        format!("{HEADER}{ROW}{row}{row}").as_bytes(),
        &mut w,
    )
    .unwrap();
    assert_eq!(&t.rows[1].cells[4], "Limestone City Club");
    let d: Vec<_> = w.iter().filter(|d| d.message.contains("control")).collect();
    assert_eq!(d.len(), 1, "{w:?}");
    assert_eq!((d[0].line, d[0].column), (Some(3), Some(5)));
    assert!(
        d[0].message.contains("U+0000 removed from 2 cell(s)"),
        "{}",
        d[0]
    );
}

#[test]
fn unknown_columns_warn_and_are_kept() {
    let text = format!(
        "{}\"Colour\"\r\n{}\"red\"\r\n",
        HEADER.trim_end().to_owned() + ",",
        ROW.trim_end().to_owned() + ","
    );
    let mut w = Vec::new();
    let t = Table::parse(Report::District, "f.csv", text.as_bytes(), &mut w).unwrap();
    assert_eq!(t.extra_columns, vec![(14, "Colour".to_string())]);
    assert!(w.iter().any(|d| d.column_name.as_deref() == Some("Colour")));
    assert!(w.iter().any(|d| d.message.contains("no footer")));
}
