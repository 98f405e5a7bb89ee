//! Cross-file consistency of generated caches: club rows follow the project's DCP and
//! club-level rules and agree across the three per-district reports, area totals match their
//! clubs, cumulative figures only grow within a program year and bases stay fixed, and
//! `all-districts.csv` rows add up and match the district files.

use super::{all_dates, generate, read};
use crate::cache::eras::{Col, Report};
use crate::fsx;
use crate::model::GoalColumns;
use crate::recognition::dcp;
use std::collections::{HashMap, HashSet};

/// The award columns of goals 1–8, which only grow from one date to the next.
const AWARDS: [Col; 8] = [
    Col::Level1s,
    Col::Level2s,
    Col::AddLevel2s,
    Col::Level3s,
    Col::Level4sPathDtm,
    Col::AddLevel4sPathDtm,
    Col::NewMembers,
    Col::AddNewMembers,
];

/// A club row's goal columns, read back from its cells.
/// The first club number of each program year's charters (the generator numbers them so).
fn chartered_this_year(number: &str, py: i32) -> bool {
    match py {
        2025 => ("28670000".."28690000").contains(&number),
        _ => number >= "28690000",
    }
}

fn goal_columns(n: &dyn Fn(Col) -> i64) -> GoalColumns {
    GoalColumns {
        level_1s: n(Col::Level1s),
        level_2s: n(Col::Level2s),
        add_level_2s: n(Col::AddLevel2s),
        level_3s: n(Col::Level3s),
        level_4s_path_dtm: Some(n(Col::Level4sPathDtm)),
        add_level_4s_path_dtm: Some(n(Col::AddLevel4sPathDtm)),
        new_members: n(Col::NewMembers),
        add_new_members: n(Col::AddNewMembers),
        officers_trained_round_1: n(Col::OfficersTrainedRound1),
        officers_trained_round_2: n(Col::OfficersTrainedRound2),
        dues_on_time_oct: Some(n(Col::DuesOnTimeOct)),
        dues_on_time_apr: Some(n(Col::DuesOnTimeApr)),
        officer_list_on_time: n(Col::OfficerListOnTime),
        ..GoalColumns::default()
    }
}

#[test]
fn club_rows_follow_the_dcp_rules_and_agree_across_files() {
    let (dir, summary) = generate(&all_dates(9));
    let (mut coded, mut words) = (0, 0);
    // Per program year and club: award counts and goals, then the membership base.
    let mut history = HashMap::<(i32, String), (Vec<i64>, i64)>::new();
    let mut paid = HashMap::<(i32, String), i64>::new();
    for date in &summary.dates {
        let day = dir.path().join("raw-csv").join(date);
        let mut numbers = HashSet::new();
        for sub in fsx::read_dir_sorted(&day)
            .unwrap()
            .iter()
            .filter(|e| e.path().is_dir())
        {
            let club = read(&sub.path().join("club-performance.csv"), Report::Club);
            let april = ["Apr", "May", "Jun"]
                .iter()
                .any(|m| club.footer.contains(m));
            let mut keys = Vec::new();
            for r in &club.rows {
                let (number, members) = (club.s(r, Col::ClubNumber), club.n(r, Col::ActiveMembers));
                assert!(
                    number.len() == 8 && numbers.insert(number.to_string()),
                    "{number}"
                );
                let net = members - club.n(r, Col::MembershipBase);
                assert_eq!(club.n(r, Col::NetGrowth), net);
                let n = |c| club.n(r, c);
                let new_club = chartered_this_year(number, club.py);
                let goals = dcp::goals_met(&goal_columns(&n), new_club).unwrap();
                assert_eq!(n(Col::GoalsMet), goals, "{number} on {date}");
                let csp = club.s(r, Col::Csp) == "Y";
                let tiers = [
                    ("M", goals >= 10 && members >= 25),
                    ("P", goals >= 9 && members >= 20),
                    ("S", goals >= 7 && (members >= 20 || net >= 5)),
                    ("D", goals >= 5 && (members >= 20 || net >= 3)),
                ];
                let want = tiers
                    .iter()
                    .find(|t| t.1 && april && csp)
                    .map_or("", |t| t.0);
                assert_eq!(
                    club.s(r, Col::ClubDistinguishedStatus),
                    want,
                    "{number} on {date}"
                );
                coded += usize::from(!want.is_empty());
                let status = club.s(r, Col::ClubStatus);
                assert!(status != "Low" || (4..=7).contains(&members));
                assert!(status != "Suspended" || (0..=9).contains(&members));
                let seen = history.entry((club.py, number.to_string())).or_default();
                let now: Vec<i64> = AWARDS.iter().map(|&c| n(c)).chain([goals]).collect();
                assert!(
                    seen.0.is_empty() || seen.0.iter().zip(&now).all(|(a, b)| a <= b),
                    "{number} on {date}: awards and goals only grow within a year"
                );
                let base = n(Col::MembershipBase);
                assert!(
                    seen.0.is_empty() || seen.1 == base,
                    "{number}: base fixed for the year"
                );
                *seen = (now, base);
                keys.push((club.s(r, Col::Division), club.s(r, Col::Area), number));
            }
            assert!(keys.windows(2).all(|w| w[0] < w[1]), "club order");
            let dist_path = sub.path().join("district-performance.csv");
            if !dist_path.exists() {
                continue;
            }
            let dist = read(&dist_path, Report::District);
            let div = read(
                &sub.path().join("division-performance.csv"),
                Report::Division,
            );
            assert_eq!(
                (dist.rows.len(), div.rows.len()),
                (club.rows.len(), club.rows.len())
            );
            let mut areas: HashMap<(&str, &str), (i64, i64)> = HashMap::new();
            for (c, v) in club.rows.iter().zip(&div.rows) {
                let entry = areas.entry((div.s(v, Col::Division), div.s(v, Col::Area)));
                let counts = entry.or_default();
                counts.0 += i64::from(club.s(c, Col::ClubStatus) == "Active");
                counts.1 += i64::from(!club.s(c, Col::ClubDistinguishedStatus).is_empty());
            }
            for ((c, d), v) in club.rows.iter().zip(&dist.rows).zip(&div.rows) {
                let number = club.s(c, Col::ClubNumber);
                let numbers = (dist.s(d, Col::ClubNumber), div.s(v, Col::ClubNumber));
                assert_eq!(
                    numbers,
                    (number, number),
                    "same club order in the three files"
                );
                let ren = [Col::LateRenewals, Col::OctoberRenewals, Col::AprilRenewals];
                let total_ren: i64 = ren.iter().map(|&col| dist.n(d, col)).sum();
                assert_eq!(dist.n(d, Col::TotalRenewals), total_ren);
                let new_and_charter = dist.n(d, Col::NewPayments) + dist.n(d, Col::CharterPayments);
                assert_eq!(dist.n(d, Col::TotalToDate), new_and_charter + total_ren);
                let cell = dist.s(d, Col::CharterSuspend);
                assert_eq!(cell, div.s(v, Col::CharterSuspend));
                assert_eq!(
                    cell.starts_with("Charter "),
                    chartered_this_year(number, club.py),
                    "{cell}"
                );
                let to_date = dist.n(d, Col::TotalToDate);
                let before = paid.insert((club.py, number.to_string()), to_date);
                assert!(
                    before.is_none_or(|b| b <= to_date),
                    "{number} on {date}: payments only grow within a year"
                );
                let suspended = club.s(c, Col::ClubStatus) == "Suspended";
                assert_eq!(cell.contains("Susp "), suspended, "{cell}");
                assert!(!suspended || cell.starts_with("Charter ") || cell.starts_with(" Susp "));
                assert_eq!(
                    div.n(v, Col::MembershipToDate),
                    club.n(c, Col::ActiveMembers)
                );
                assert_eq!(div.n(v, Col::ClubGoalsMet), club.n(c, Col::GoalsMet));
                let code = club.s(c, Col::ClubDistinguishedStatus);
                let codes = (
                    dist.s(d, Col::DistinguishedStatus),
                    div.s(v, Col::DistinguishedClub),
                );
                assert_eq!(codes, (code, code));
                let area = areas[&(div.s(v, Col::Division), div.s(v, Col::Area))];
                let totals = (
                    div.n(v, Col::AreaPaidClubs),
                    div.n(v, Col::AreaDistinguishedClubs),
                );
                assert_eq!(totals, area);
                words += usize::from(!div.s(v, Col::DistinguishedArea).is_empty());
            }
        }
    }
    assert!(
        coded > 0 && words > 0,
        "April data has codes ({coded}) and area words ({words})"
    );
}

#[test]
fn summary_rows_add_up_and_match_the_district_files() {
    let (dir, summary) = generate(&all_dates(9));
    for date in &summary.dates {
        let day = dir.path().join("raw-csv").join(date);
        let all = read(&day.join("all-districts.csv"), Report::Summary);
        let april = ["Apr", "May", "Jun"].iter().any(|m| all.footer.contains(m));
        for r in &all.rows {
            let n = |c| all.n(r, c);
            let five = [
                (Col::SummaryNewPayments, Col::NewPayments),
                (Col::SummaryAprilPayments, Col::AprilRenewals),
                (Col::SummaryOctoberPayments, Col::OctoberRenewals),
                (Col::SummaryLatePayments, Col::LateRenewals),
                (Col::SummaryCharterPayments, Col::CharterPayments),
            ];
            let total: i64 = five.iter().map(|(c, _)| n(*c)).sum();
            assert_eq!(n(Col::TotalYtdPayments), total);
            let pct = |num: i64, den: i64, col| {
                let text = all.s(r, col);
                let value: f64 = text.strip_suffix('%').unwrap().parse().unwrap();
                assert!(
                    (value - num as f64 * 100.0 / den as f64).abs() <= 0.0051,
                    "{text}"
                );
                let t = text.trim_end_matches('%');
                let bad = t.ends_with('.') || (t.contains('.') && t.ends_with('0'));
                assert!(!bad, "{text}");
            };
            pct(
                total - n(Col::PaymentBase),
                n(Col::PaymentBase),
                Col::PaymentGrowthPct,
            );
            pct(
                n(Col::PaidClubs) - n(Col::PaidClubBase),
                n(Col::PaidClubBase),
                Col::ClubGrowthPct,
            );
            let tiers = [
                Col::DistinguishedClubs,
                Col::SelectDistinguishedClubs,
                Col::PresidentsDistinguishedClubs,
                Col::SmedleyDistinguishedClubs,
            ];
            let distinguished: i64 = tiers.iter().map(|&c| n(c)).sum();
            assert_eq!(n(Col::TotalDistinguishedClubs), distinguished);
            pct(
                distinguished,
                n(Col::PaidClubBase),
                Col::DistinguishedClubsPct,
            );
            assert!(april || distinguished == 0);
            let sub = day.join(format!("district-{}", all.s(r, Col::SummaryDistrict)));
            if !sub.exists() {
                continue;
            }
            let club = read(&sub.join("club-performance.csv"), Report::Club);
            let count =
                |f: &dyn Fn(&[String]) -> bool| club.rows.iter().filter(|c| f(c)).count() as i64;
            assert_eq!(
                n(Col::PaidClubs),
                count(&|c| club.s(c, Col::ClubStatus) == "Active")
            );
            assert_eq!(
                n(Col::ActiveClubs),
                count(&|c| club.s(c, Col::ClubStatus) != "Suspended")
            );
            for (col, code) in tiers.iter().zip(["D", "S", "P", "M"]) {
                let coded = count(&|c| club.s(c, Col::ClubDistinguishedStatus) == code);
                assert_eq!(n(*col), coded);
            }
            if sub.join("district-performance.csv").exists() {
                let dist = read(&sub.join("district-performance.csv"), Report::District);
                for (sum_col, club_col) in five {
                    let sum: i64 = dist.rows.iter().map(|d| dist.n(d, club_col)).sum();
                    assert_eq!(n(sum_col), sum, "{date} {sum_col:?}");
                }
            }
        }
    }
}
