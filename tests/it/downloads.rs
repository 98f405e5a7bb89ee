//! Downloads (issue 14 item 11): the clubs CSV of each district and the world files open
//! right in a spreadsheet (BOM, readable headers, identifiers that keep leading zeros,
//! names with district and date), the Excel workbooks have typed sheets read back with
//! calamine, and the same cache gives byte-identical workbooks.

use crate::support::Fixture;
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

/// The sample's newest data date: every file name carries it.
const DATE: &str = "2026-11-08";

fn built(time: &str) -> Fixture {
    Fixture::sample_site(&["--snapshot-time", time])
}

fn bytes(fx: &Fixture, rel: &str) -> Vec<u8> {
    fx.read_bytes(rel)
}

fn text(fx: &Fixture, rel: &str) -> String {
    fx.read_text(rel)
}

#[test]
fn district_csv_opens_right_in_a_spreadsheet() {
    let fx = built("2026-11-09T06:00:00Z");
    let name = format!("D02-clubs-{DATE}.csv");
    let csv = text(&fx, &format!("districts/02/{name}"));
    let csv = csv.strip_prefix('\u{FEFF}').expect("a UTF-8 BOM for Excel");
    let mut lines = csv.split("\r\n");
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("District,Data date,Division,Area,Club number,Club name,Status,"),
        "{header}"
    );
    for column in [
        "Level (TI's published status)",
        "Level (computed here)",
        "Next level needs",
        "Health",
        "Payments to date",
    ] {
        assert!(header.contains(column), "{column} in {header}");
    }
    let rows: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
    // identifiers are written as ="…", which Excel and LibreOffice keep as text
    let first = rows[0];
    assert!(first.starts_with(&format!("=\"02\",{DATE},")), "{first}");
    let number = first.split(',').nth(4).unwrap();
    assert!(number.starts_with("=\"") && number.len() == 11, "{number}");
    // the sample's club 07779086 keeps its leading zero
    assert!(csv.contains(",=\"07779086\","), "leading zero kept");
    // one CSV row per club of the clubs page, which links every club's page
    let list = text(&fx, "districts/02/clubs/index.html");
    assert_eq!(
        rows.len(),
        list.matches(r#"<tr data-need="#).count(),
        "one CSV row per club row"
    );
    let page = text(&fx, "districts/02/index.html");
    assert!(
        page.contains(&format!(r#"href="{name}""#)),
        "the page links it"
    );
    assert!(page.contains(&format!(r#"href="D02-{DATE}.xlsx""#)));
    assert!(page.contains(r#"id="h-downloads""#));
    // no clubs.csv any more: every file is named after its district and date
    assert!(!fx.site().join("current/districts/02/clubs.csv").exists());
}

#[test]
fn unknown_payments_are_empty_cells_never_zero() {
    let fx = built("2026-11-09T06:00:00Z");
    // district 05 has only its club report
    let csv = text(&fx, &format!("districts/05/D05-clubs-{DATE}.csv"));
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "Payments to date")
        .unwrap();
    let row = csv.lines().nth(1).unwrap();
    // the club name may be quoted with commas inside: count from the end instead
    let from_end = header.len() - col;
    let cells: Vec<&str> = row.trim_end().split(',').collect();
    assert_eq!(cells[cells.len() - from_end], "", "{row}");
}

fn sheet(book: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> calamine::Range<Data> {
    book.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
}

#[test]
fn district_workbook_has_typed_sheets_and_is_byte_identical_across_builds() {
    let a = built("2026-11-09T06:00:00Z");
    let b = built("2026-11-10T07:30:00Z");
    let rel = format!("districts/02/D02-{DATE}.xlsx");
    let first = bytes(&a, &rel);
    assert_eq!(first, bytes(&b, &rel), "same cache, same workbook bytes");
    let world = format!("downloads/rankings-{DATE}.xlsx");
    assert_eq!(bytes(&a, &world), bytes(&b, &world));

    let mut book = Xlsx::new(Cursor::new(first)).unwrap();
    assert_eq!(book.sheet_names(), ["Clubs", "Areas", "Divisions"]);
    let clubs = sheet(&mut book, "Clubs");
    let header: Vec<String> = clubs
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = clubs.rows().nth(1).unwrap();
    match &row[col("Club number")] {
        Data::String(s) => assert_eq!(s.len(), 8, "{s}"),
        other => panic!("club number should be text, got {other:?}"),
    }
    let kept = clubs
        .rows()
        .any(|r| r[col("Club number")] == Data::String("07779086".into()));
    assert!(kept, "the leading zero of 07779086 is kept");
    assert!(
        matches!(row[col("Active members")], Data::Float(_)),
        "{:?}",
        row[col("Active members")]
    );
    assert!(
        matches!(row[col("Data date")], Data::DateTime(_)),
        "{:?}",
        row[col("Data date")]
    );
    assert_eq!(row[col("District")], Data::String("02".into()));
    let csv = text(&a, &format!("districts/02/D02-clubs-{DATE}.csv"));
    assert_eq!(
        clubs.height() - 1,
        csv.lines().count() - 1,
        "same clubs as the CSV"
    );
    let areas = sheet(&mut book, "Areas");
    assert_eq!(areas.rows().next().unwrap()[1], Data::String("Area".into()));
    assert!(areas.height() > 1);
    let divisions = sheet(&mut book, "Divisions");
    assert!(divisions.height() > 1);
}

#[test]
fn world_downloads_are_listed_and_linked_from_the_home_page() {
    let fx = built("2026-11-09T06:00:00Z");
    let home = text(&fx, "index.html");
    let manifest = text(&fx, "manifest.json");
    for rel in [
        format!("downloads/rankings-{DATE}.csv"),
        format!("downloads/rankings-{DATE}.xlsx"),
        format!("downloads/all-clubs-{DATE}.csv"),
    ] {
        assert!(home.contains(&format!(r#"href="{rel}""#)), "{rel} linked");
        assert!(
            manifest.contains(&format!("\"{rel}\"")),
            "{rel} in the manifest"
        );
    }
    let rankings = text(&fx, &format!("downloads/rankings-{DATE}.csv"));
    assert!(rankings.starts_with("\u{FEFF}Rank,District,Region,Borda points,"));
    let all = text(&fx, &format!("downloads/all-clubs-{DATE}.csv"));
    let mut per_district = 0;
    for d in std::fs::read_dir(fx.site().join("current/districts")).unwrap() {
        let d = d.unwrap().path();
        for f in std::fs::read_dir(&d).into_iter().flatten() {
            let f = f.unwrap().path();
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            if name.contains("-clubs-") && name.ends_with(".csv") {
                per_district += std::fs::read_to_string(&f).unwrap().lines().count() - 1;
            }
        }
    }
    assert_eq!(all.lines().count() - 1, per_district, "every club once");
    let book = Xlsx::new(Cursor::new(bytes(
        &fx,
        &format!("downloads/rankings-{DATE}.xlsx"),
    )));
    let mut book = book.unwrap();
    let r = sheet(&mut book, "Rankings");
    assert!(
        matches!(r.rows().nth(1).unwrap()[0], Data::Float(_)),
        "rank is a number"
    );
}
