//! The committed sample's timeline and events: two program years of month-end closes (an
//! archived June close among them), the closing period and daily dates of the newest month,
//! each year's header era, the district roles, and district 02's charters, suspensions and
//! move between divisions.

use super::{COMMITTED, Table, generate, read};
use crate::cache::eras::{Col, Report};
use crate::fsx;
use std::collections::HashMap;

#[test]
fn committed_timeline_has_two_program_years_closes_and_daily_dates() {
    let (dir, summary) = generate(&COMMITTED);
    let month_ends = [
        "2025-07-31",
        "2025-08-31",
        "2025-09-30",
        "2025-10-31",
        "2025-11-30",
        "2025-12-31",
        "2026-01-31",
        "2026-02-28",
        "2026-03-31",
        "2026-04-30",
        "2026-05-31",
        "2026-06-30",
        "2026-07-31",
        "2026-08-31",
        "2026-09-30",
        "2026-10-31",
    ];
    let daily = [
        "2026-11-01",
        "2026-11-02",
        "2026-11-03",
        "2026-11-04",
        "2026-11-05",
        "2026-11-06",
        "2026-11-07",
        "2026-11-08",
    ];
    let want: Vec<&str> = month_ends.iter().chain(&daily).copied().collect();
    assert_eq!(summary.dates, want);
    assert_eq!(summary.districts, 10);
    let raw = dir.path().join("raw-csv");
    let footer =
        |date: &str| read(&raw.join(date).join("all-districts.csv"), Report::Summary).footer;
    // Final closes: as of TI's closing date in the next month; June 2026 archived weeks later.
    assert_eq!(footer("2025-12-31"), "Month of Dec, As of 01/08/2026");
    assert_eq!(footer("2026-01-31"), "Month of Jan, As of 02/13/2026");
    assert_eq!(footer("2026-06-30"), "Month of Jun, As of 08/14/2026");
    assert_eq!(footer("2026-10-31"), "Month of Oct, As of 10/31/2026");
    assert_eq!(footer("2026-11-02"), "Month of Oct, As of 11/02/2026");
    assert_eq!(footer("2026-11-08"), "Month of Nov, As of 11/08/2026");
    for date in &month_ends[..15] {
        assert!(!raw.join(date).join("metadata.json").exists(), "{date}");
    }
    let meta = |date: &str| -> serde_json::Value {
        serde_json::from_str(&fsx::read_to_string(&raw.join(date).join("metadata.json")).unwrap())
            .unwrap()
    };
    let closing = meta("2026-11-03");
    assert_eq!(closing["isClosingPeriod"], true);
    assert_eq!(closing["dataMonth"], "2026-10");
    assert_eq!(closing["programYear"], "2026-2027");
    assert_eq!(meta("2026-11-04")["isClosingPeriod"], false);
    assert_eq!(
        meta("2026-11-08")["csvFiles"]["districts"]["05"]["divisionPerformance"],
        false
    );
    // Each year in its own header era: 25 summary columns in 2025-26, 24 in 2026-27.
    let header = |date: &str, file: &str| {
        let text = fsx::read_to_string(&raw.join(date).join(file)).unwrap();
        text.lines().next().unwrap().to_string()
    };
    assert!(header("2026-06-30", "all-districts.csv").contains("Region Advisor Visit"));
    assert!(!header("2026-07-31", "all-districts.csv").contains("Region Advisor Visit"));
    assert!(header("2026-06-30", "district-01/club-performance.csv").contains("\"Level 2s\""));
    assert!(
        header("2026-07-31", "district-01/club-performance.csv").contains("\"Level 2s or EOM\"")
    );

    let all = read(&raw.join("2026-11-08/all-districts.csv"), Report::Summary);
    let ids: Vec<&str> = all
        .rows
        .iter()
        .map(|r| all.s(r, Col::SummaryDistrict))
        .collect();
    assert_eq!(
        ids,
        ["01", "02", "03", "04", "05", "06", "F", "07", "08", "U"]
    );
    let region = |id: &str| all.rows.iter().find(|r| r[1] == id).map(|r| r[0].clone());
    assert_eq!(
        (region("F").unwrap(), region("U").unwrap()),
        ("02".into(), "DNAR".into())
    );
    for date in &summary.dates {
        let collected: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| raw.join(format!("{date}/district-{id}")).exists())
            .collect();
        assert_eq!(
            collected.len(),
            9,
            "exactly one district is not collected on {date}"
        );
        assert!(!collected.contains(&"06"));
        for id in collected {
            let only_club = !raw
                .join(format!("{date}/district-{id}/district-performance.csv"))
                .exists();
            assert_eq!(
                only_club,
                id == "05" || id == "U",
                "district {id} on {date}"
            );
        }
    }
    let growth: Vec<&str> = all
        .rows
        .iter()
        .map(|r| all.s(r, Col::ClubGrowthPct))
        .collect();
    assert_eq!(
        growth[0], growth[2],
        "districts 01 and 03 tie on % Club Growth"
    );

    // District 02's events: last year's charter-and-suspension and unassigned charter, this
    // year's move between divisions, suspension and unassigned charter.
    let d02 = |date: &str| {
        read(
            &raw.join(date).join("district-02/district-performance.csv"),
            Report::District,
        )
    };
    let last_year = d02("2026-04-30");
    let cells: Vec<&str> = last_year
        .rows
        .iter()
        .map(|r| last_year.s(r, Col::CharterSuspend))
        .collect();
    assert!(
        cells.contains(&"Charter 08/14/25 Susp 02/28/26"),
        "{cells:?}"
    );
    assert!(
        last_year
            .rows
            .iter()
            .any(|r| last_year.s(r, Col::Division) == "0D")
    );
    let (aug, sep, nov) = (d02("2026-08-31"), d02("2026-09-30"), d02("2026-11-08"));
    let place = |t: &Table| -> HashMap<String, (String, String, String)> {
        t.rows
            .iter()
            .map(|r| {
                let at = (
                    t.s(r, Col::Division).into(),
                    t.s(r, Col::Area).into(),
                    t.s(r, Col::CharterSuspend).into(),
                );
                (t.s(r, Col::ClubNumber).to_string(), at)
            })
            .collect()
    };
    let (before, after) = (place(&aug), place(&sep));
    let moved: Vec<&String> = before
        .iter()
        .filter(|(n, b)| after.get(*n).is_some_and(|a| a.0 != b.0 && a.1 != b.1))
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        moved.len(),
        1,
        "one club changes division and area: {moved:?}"
    );
    let suspended: Vec<&String> = after
        .iter()
        .filter(|(n, a)| a.2 == " Susp 09/30/26" && before[*n].2.is_empty())
        .map(|(n, _)| n)
        .collect();
    assert_eq!(suspended.len(), 1, "one club suspended in September 2026");
    let charters = place(&nov)
        .into_values()
        .filter(|a| a.2.starts_with("Charter "))
        .count();
    assert!(charters >= 2, "this year's charters, one unassigned");
    assert!(nov.rows.iter().any(|r| nov.s(r, Col::Division) == "0D"));
}
