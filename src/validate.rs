//! Checks on the parsed records. Errors block a district (or, for the summary, the build);
//! warnings are kept in the snapshot and shown. After the checks pass, [`join`] builds
//! the district's clubs from its reports.

use crate::cache::cells::Cells;
use crate::cache::eras::Col;
use crate::cache::footer;
use crate::cache::load::DistrictRecords;
use crate::cache::records::{DivisionRow, PaymentRow};
use crate::diag::Diag;
use crate::model::{Club, RecognitionReport, SummaryRow, club_key};
use crate::recognition::dcp;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// Counts above these are not a real club's and point at a broken file.
const ABSURD_MEMBERS: i64 = 1_000;
const ABSURD_OFFICERS: i64 = 50;

/// Range checks on single club-report cells, run while the cell is read so the error can
/// name its column: implausible sizes and a district id that is not the folder's.
pub fn check_club_cells(c: &Cells, folder_district: &str) -> Result<(), Diag> {
    let district = c.text(Col::District)?;
    if !crate::model::same_district(district, folder_district) {
        return Err(c.error(
            Col::District,
            format!("the row belongs to district {district}, but the file is in district-{folder_district}"),
        ));
    }
    for (col, limit) in [
        (Col::ActiveMembers, ABSURD_MEMBERS),
        (Col::MembershipBase, ABSURD_MEMBERS),
        (Col::OfficersTrainedRound1, ABSURD_OFFICERS),
        (Col::OfficersTrainedRound2, ABSURD_OFFICERS),
    ] {
        let v = c.int(col)?;
        if v > limit {
            return Err(c.error(
                col,
                format!("{v} is not a plausible value for one club (more than {limit})"),
            ));
        }
    }
    Ok(())
}

/// A district after validation, ready for computing.
#[derive(Debug)]
pub struct District {
    pub id: String,
    /// TI's as-of stamp of this district's club report, when it has a footer.
    pub as_of_date: Option<NaiveDate>,
    pub clubs: Vec<Club>,
    pub has_payments: bool,
    pub has_division_report: bool,
    /// TI's area figures by (division, area), when the division report is present.
    pub area_reports: BTreeMap<(String, String), RecognitionReport>,
    pub division_reports: BTreeMap<String, RecognitionReport>,
}

/// Every check on one district's records. `data_date` decides the program year for the
/// new-club goal-9 exception.
pub fn check_district(rec: &DistrictRecords, data_date: NaiveDate) -> Vec<Diag> {
    let mut out = Vec::new();
    let club_lines = unique_keys(
        &rec.club_path,
        rec.clubs.iter().map(|c| (c.club_number.as_str(), c.line)),
        &mut out,
    );
    for club in &rec.clubs {
        check_club(rec, club, &mut out);
    }
    let mut charters: HashMap<&str, Option<NaiveDate>> = HashMap::new();
    if let Some((path, rows)) = &rec.payments {
        let lines = unique_keys(
            path,
            rows.iter().map(|r| (r.club_number.as_str(), r.line)),
            &mut out,
        );
        same_clubs(&rec.club_path, &club_lines, path, &lines, &mut out);
        for row in rows {
            check_payment_row(path, row, &mut out);
            charters.insert(club_key(&row.club_number), row.charter.charter);
        }
    }
    if let Some((path, rows)) = &rec.divisions {
        let lines = unique_keys(
            path,
            rows.iter().map(|r| (r.club_number.as_str(), r.line)),
            &mut out,
        );
        same_clubs(&rec.club_path, &club_lines, path, &lines, &mut out);
        check_division_rows(path, rows, &rec.clubs, &mut out);
    }
    let py_start = NaiveDate::from_ymd_opt(footer::program_year_start(data_date), 7, 1);
    for club in &rec.clubs {
        let charter = charters.get(club_key(&club.club_number));
        check_goals_met(
            rec,
            club,
            charter.map(|c| c.zip(py_start).is_some_and(|(c, s)| c >= s)),
            &mut out,
        );
    }
    out.into_iter().map(|d| d.for_district(&rec.id)).collect()
}

/// Duplicate club numbers are errors; returns club key → line. (Numbers that lost their
/// leading zeros are padded, with a warning, where they are read: `Cells::club_number`.)
fn unique_keys<'a>(
    path: &str,
    numbers: impl Iterator<Item = (&'a str, u64)>,
    out: &mut Vec<Diag>,
) -> HashMap<&'a str, u64> {
    let mut seen = HashMap::new();
    for (number, line) in numbers {
        if let Some(first) = seen.insert(club_key(number), line) {
            out.push(
                Diag::error(
                    path,
                    format!("duplicate club number {number} (also on line {first})"),
                )
                .at_line(line),
            );
        }
    }
    seen
}

fn same_clubs(
    club_path: &str,
    clubs: &HashMap<&str, u64>,
    other_path: &str,
    other: &HashMap<&str, u64>,
    out: &mut Vec<Diag>,
) {
    let mut missing: Vec<_> = clubs
        .iter()
        .filter(|(k, _)| !other.contains_key(*k))
        .collect();
    missing.sort_by_key(|(_, line)| **line);
    for (key, line) in missing {
        out.push(
            Diag::error(club_path, format!("club {key} is not in {other_path}; the two reports must come from the same download"))
                .at_line(*line),
        );
    }
    let mut extra: Vec<_> = other
        .iter()
        .filter(|(k, _)| !clubs.contains_key(*k))
        .collect();
    extra.sort_by_key(|(_, line)| **line);
    for (key, line) in extra {
        out.push(
            Diag::error(other_path, format!("club {key} is not in {club_path}; the two reports must come from the same download"))
                .at_line(*line),
        );
    }
}

fn check_club(rec: &DistrictRecords, club: &Club, out: &mut Vec<Diag>) {
    if club.net_growth != club.active_members - club.membership_base {
        out.push(
            Diag::warning(
                &rec.club_path,
                format!(
                    "club {}: Net Growth {} is not Active Members {} minus Mem. Base {}",
                    club.club_number, club.net_growth, club.active_members, club.membership_base
                ),
            )
            .at_line(club.line),
        );
    }
}

fn check_goals_met(
    rec: &DistrictRecords,
    club: &Club,
    chartered_this_year: Option<bool>,
    out: &mut Vec<Diag>,
) {
    let plain = dcp::goals_met(&club.goal_columns, chartered_this_year.unwrap_or(false));
    let Some(plain) = plain else { return };
    // Without a district report the charter date is unknown: accept the new-club reading too.
    let alt = match chartered_this_year {
        None => dcp::goals_met(&club.goal_columns, true),
        Some(_) => None,
    };
    if plain != club.goals_met && alt != Some(club.goals_met) {
        out.push(
            Diag::warning(
                &rec.club_path,
                format!(
                    "club {} ({}): TI's Goals Met is {} but its goal columns give {plain}",
                    club.club_number,
                    club.club_name.trim(),
                    club.goals_met
                ),
            )
            .at_line(club.line),
        );
    }
}

fn check_payment_row(path: &str, row: &PaymentRow, out: &mut Vec<Diag>) {
    let p = &row.payments;
    let sum_ren = p.late_renewals + p.october_renewals + p.april_renewals;
    if p.total_renewals != sum_ren {
        out.push(
            Diag::warning(
                path,
                format!(
                    "club {}: Total Ren. {} is not Late + Oct. + Apr. Ren. ({sum_ren})",
                    row.club_number, p.total_renewals
                ),
            )
            .at_line(row.line),
        );
    }
    let sum_total = p.new + p.total_renewals + p.charter;
    if p.total_to_date != sum_total {
        out.push(
            Diag::warning(
                path,
                format!(
                    "club {}: Total to Date {} is not New + Total Ren. + Total Chart ({sum_total})",
                    row.club_number, p.total_to_date
                ),
            )
            .at_line(row.line),
        );
    }
}

fn check_division_rows(path: &str, rows: &[DivisionRow], clubs: &[Club], out: &mut Vec<Diag>) {
    let by_key: HashMap<&str, &Club> = clubs
        .iter()
        .map(|c| (club_key(&c.club_number), c))
        .collect();
    let mut areas: BTreeMap<(&str, &str), (&RecognitionReport, i64)> = BTreeMap::new();
    let mut divisions: BTreeMap<&str, (&RecognitionReport, i64, i64)> = BTreeMap::new();
    for row in rows {
        if let Some(club) = by_key.get(club_key(&row.club_number))
            && (row.membership_to_date != club.active_members
                || row.club_goals_met != club.goals_met)
        {
            out.push(Diag::warning(path, format!(
                "club {}: Membership to date {} / Club Goals Met {} disagree with the club report ({} / {})",
                row.club_number, row.membership_to_date, row.club_goals_met, club.active_members, club.goals_met)).at_line(row.line));
        }
        let coded = i64::from(row.distinguished_status.is_some());
        let area = areas
            .entry((&row.division_id, &row.area_id))
            .or_insert((&row.area, 0));
        if *area.0 != row.area {
            out.push(
                Diag::warning(
                    path,
                    format!(
                        "area {} {}: area figures differ between the rows of one area",
                        row.division_id, row.area_id
                    ),
                )
                .at_line(row.line),
            );
        }
        area.1 += coded;
        let div = divisions
            .entry(&row.division_id)
            .or_insert((&row.division, 0, 0));
        if *div.0 != row.division {
            out.push(
                Diag::warning(
                    path,
                    format!(
                        "division {}: division figures differ between the rows of one division",
                        row.division_id
                    ),
                )
                .at_line(row.line),
            );
        }
        div.1 += coded;
    }
    for ((div, area), (report, coded)) in &areas {
        if report.distinguished_clubs != *coded {
            out.push(Diag::warning(path, format!(
                "area {div} {area}: Total Dist. Area Clubs is {} but {coded} of its clubs carry a distinguished code", report.distinguished_clubs)));
        }
        if let Some(d) = divisions.get_mut(div) {
            d.2 += report.club_base;
        }
    }
    for (div, (report, coded, area_bases)) in &divisions {
        if report.distinguished_clubs != *coded {
            out.push(Diag::warning(path, format!(
                "division {div}: Total Dist. Division Clubs is {} but {coded} of its clubs carry a distinguished code", report.distinguished_clubs)));
        }
        if report.club_base != *area_bases {
            out.push(Diag::warning(path, format!(
                "division {div}: Division Club Base {} is not the sum of its Area Club Base values ({area_bases})", report.club_base)));
        }
    }
}

/// Joins the three reports into clubs; call only when [`check_district`] found no errors.
pub fn join(rec: DistrictRecords) -> District {
    let payments: HashMap<String, PaymentRow> = rec
        .payments
        .as_ref()
        .map(|(_, rows)| {
            rows.iter()
                .map(|r| (club_key(&r.club_number).to_string(), r.clone()))
                .collect()
        })
        .unwrap_or_default();
    let mut division_rows: HashMap<String, &DivisionRow> = HashMap::new();
    let mut area_reports = BTreeMap::new();
    let mut division_reports = BTreeMap::new();
    if let Some((_, rows)) = &rec.divisions {
        for r in rows {
            division_rows.insert(club_key(&r.club_number).to_string(), r);
            area_reports
                .entry((r.division_id.clone(), r.area_id.clone()))
                .or_insert_with(|| r.area.clone());
            division_reports
                .entry(r.division_id.clone())
                .or_insert_with(|| r.division.clone());
        }
    }
    let clubs = rec
        .clubs
        .iter()
        .cloned()
        .map(|mut club| {
            let key = club_key(&club.club_number).to_string();
            let charter = if let Some(p) = payments.get(&key) {
                club.payments = Some(p.payments.clone());
                Some(p.charter)
            } else {
                None
            };
            let div = division_rows.get(&key);
            if let Some(d) = div {
                club.visits = Some(d.visits.clone());
            }
            if let Some(c) = charter.or(div.map(|d| d.charter)) {
                club.charter_date = c.charter;
                club.suspend_date = c.suspend;
            }
            club
        })
        .collect();
    District {
        id: rec.id.clone(),
        as_of_date: rec.as_of_date,
        clubs,
        has_payments: rec.payments.is_some(),
        has_division_report: rec.divisions.is_some(),
        area_reports,
        division_reports,
    }
}

/// Checks on the summary: duplicates are errors (the build fails), inconsistent totals warn.
pub fn check_summary(path: &str, rows: &[SummaryRow]) -> Vec<Diag> {
    let mut out = Vec::new();
    // Keyed as ids compare (`1` = `01`, `f` = `F`), so one district is never ranked twice.
    let mut seen: HashMap<String, (u64, &str)> = HashMap::new();
    for r in rows {
        let key = match r.district_id.parse::<u64>() {
            Ok(n) => n.to_string(),
            Err(_) => r.district_id.to_ascii_uppercase(),
        };
        if let Some((first, first_id)) = seen.insert(key, (r.line, &r.district_id)) {
            let spelled = if first_id == r.district_id {
                String::new()
            } else {
                format!(" as {first_id}")
            };
            out.push(
                Diag::error(
                    path,
                    format!(
                        "district {} is listed twice (also on line {first}{spelled})",
                        r.district_id
                    ),
                )
                .at_line(r.line),
            );
        }
        let warn = |msg: String| {
            Diag::warning(path, format!("district {}: {msg}", r.district_id)).at_line(r.line)
        };
        let pay_sum = r.new_payments
            + r.april_payments
            + r.october_payments
            + r.late_payments
            + r.charter_payments;
        if pay_sum != r.total_payments {
            out.push(warn(format!(
                "Total YTD Payments {} is not the sum of the five payment columns ({pay_sum})",
                r.total_payments
            )));
        }
        let tiers = r.distinguished_clubs_base_tier
            + r.select_distinguished_clubs
            + r.presidents_distinguished_clubs
            + r.smedley_distinguished_clubs.unwrap_or(0);
        if tiers != r.distinguished_clubs {
            out.push(warn(format!(
                "Total Distinguished Clubs {} is not the sum of the tiers ({tiers})",
                r.distinguished_clubs
            )));
        }
        for (what, ti, num, base) in [
            (
                "% Club Growth",
                r.club_growth_pct,
                r.paid_clubs,
                r.paid_club_base,
            ),
            (
                "% Payment Growth",
                r.payment_growth_pct,
                r.total_payments,
                r.payment_base,
            ),
        ] {
            if let Some(ti) = ti
                && base > 0
            {
                let ours = (num - base) as f64 / base as f64 * 100.0;
                if (ours - ti).abs() > 0.0051 {
                    out.push(warn(format!(
                        "{what} {ti}% disagrees with the counts ({ours:.2}%)"
                    )));
                }
            }
        }
    }
    out
}

/// Summary against the district files of the same date.
pub fn check_summary_against_districts(
    path: &str,
    rows: &[SummaryRow],
    districts: &[&District],
) -> Vec<Diag> {
    let mut out = Vec::new();
    let by_id: HashMap<&str, &SummaryRow> =
        rows.iter().map(|r| (r.district_id.as_str(), r)).collect();
    for d in districts {
        let Some(r) = by_id.get(d.id.as_str()) else {
            out.push(Diag::warning(path, format!("district {} has files but is not in the summary; it has a page but no ranking", d.id)).for_district(&d.id));
            continue;
        };
        let paid = d.clubs.iter().filter(|c| c.is_paid()).count() as i64;
        if paid != r.paid_clubs {
            out.push(Diag::warning(path, format!("district {}: summary Paid Clubs {} but its club report has {paid} Active clubs", d.id, r.paid_clubs)).at_line(r.line).for_district(&d.id));
        }
        if d.has_payments {
            let total: i64 = d
                .clubs
                .iter()
                .filter_map(|c| c.payments.as_ref())
                .map(|p| p.total_to_date)
                .sum();
            if total != r.total_payments {
                out.push(Diag::warning(path, format!("district {}: summary Total YTD Payments {} but its district report sums to {total}", d.id, r.total_payments)).at_line(r.line).for_district(&d.id));
            }
        }
    }
    out
}
