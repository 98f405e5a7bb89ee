//! Recognition eras against TI's own codes (issue 20 item 5): District 91's monthly club
//! data (`realdata/rorygraves__tm_data/.../club_data_91.csv`, TI's three district exports
//! joined month by month) carries TI's distinguished code for every club-month. The test
//! reads the file with its own code and asserts that our era table gives TI's code on every
//! April–June club-month (the months TI publishes codes), and that the older growth rule
//! (≥ 3 before 2022-23) would not.

use crate::support::realdata;
use toaststats::model::Level;
use toaststats::recognition::level::{self, Standing};

const CLUB_DATA: &str = "rorygraves__tm_data/derived/commit-75bbd6c/data/club_data_91.csv";

struct ClubMonth {
    py_start: i32,
    month: u32,
    goals: i64,
    members: i64,
    base: i64,
    ti_code: Option<Level>,
}

fn club_months() -> Option<Vec<ClubMonth>> {
    let root = realdata()?;
    let mut reader = csv::Reader::from_path(root.join(CLUB_DATA)).expect("club_data_91.csv");
    let headers = reader.headers().expect("header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (py, month, goals, members, base, code) = (
        col("ProgramYear"),
        col("Month"),
        col("GoalsMet"),
        col("ActiveMembers"),
        col("BaseMembers"),
        col("DistinguishedStatus"),
    );
    let int = |s: &str| s.trim().parse::<i64>().unwrap_or(0);
    Some(
        reader
            .records()
            .map(|r| {
                let r = r.expect("row");
                ClubMonth {
                    py_start: int(&r[py]) as i32,
                    month: int(&r[month]) as u32,
                    goals: int(&r[goals]),
                    members: int(&r[members]),
                    base: int(&r[base]),
                    ti_code: match &r[code] {
                        "D" => Some(Level::D),
                        "S" => Some(Level::S),
                        "P" => Some(Level::P),
                        "" => None,
                        other => panic!("unexpected code {other:?}"),
                    },
                }
            })
            .collect(),
    )
}

fn ours(m: &ClubMonth) -> Option<Level> {
    let era = level::era(m.py_start).expect("an era for every checked year");
    level::level(
        era,
        &Standing {
            goals: m.goals,
            members: m.members,
            net_growth: m.members - m.base,
            csp: None,
        },
    )
}

#[test]
fn d91_levels_2014_to_2024_match_tis_codes_on_every_april_to_june_club_month() {
    let Some(rows) = club_months() else { return };
    let official: Vec<&ClubMonth> = rows.iter().filter(|m| (4..=6).contains(&m.month)).collect();
    let mut per_year = std::collections::BTreeMap::<i32, (usize, usize)>::new();
    for m in &official {
        let e = per_year.entry(m.py_start).or_default();
        e.0 += 1;
        e.1 += usize::from(ours(m) == m.ti_code);
    }
    let checked: usize = per_year.values().map(|v| v.0).sum();
    let agree: usize = per_year.values().map(|v| v.1).sum();
    assert_eq!(agree, checked, "per year (checked, agree): {per_year:?}");
    // the ten program years 2014-15 … 2023-24, with 4,013 club-months up to 2021-22
    assert_eq!(
        per_year.keys().copied().collect::<Vec<_>>(),
        (2014..=2023).collect::<Vec<_>>()
    );
    let to_2021: usize = per_year.range(..=2021).map(|(_, v)| v.0).sum();
    assert_eq!(to_2021, 4013);
}

#[test]
fn d91_2020_22_growth_of_three_or_four_gives_no_level_before_2022_23() {
    let Some(rows) = club_months() else { return };
    // the club-months where ≥ 3 and ≥ 5 disagree: fewer than 20 members, growth 3 or 4,
    // at least 5 goals; TI gave them no level in 2020-21 and 2021-22, and ours gives none
    let edge: Vec<&ClubMonth> = rows
        .iter()
        .filter(|m| (4..=6).contains(&m.month) && (2020..=2021).contains(&m.py_start))
        .filter(|m| m.members < 20 && (3..=4).contains(&(m.members - m.base)) && m.goals >= 5)
        .collect();
    assert_eq!(
        edge.len(),
        14,
        "8 in 2020-21 and 6 in 2021-22 (DOMAIN.md §5.2)"
    );
    for m in edge {
        assert_eq!(m.ti_code, None);
        assert_eq!(ours(m), None);
    }
}
