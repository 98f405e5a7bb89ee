//! Turns the rows of a [`Table`] into typed records of each report. Cell errors are
//! collected (up to a cap) so one run shows a user every bad cell of a file.

use super::cells::{Cells, CharterSuspend, PaddedClubNumbers};
use super::eras::Col;
use super::table::{Table, is_as_of};
use crate::diag::Diag;
use crate::model::{
    Club, ClubPayments, ClubVisits, GoalColumns, Level, RecognitionReport, SummaryRow, unit_code,
};
use std::collections::BTreeMap;

/// At most this many cell errors are reported per file.
const MAX_ERRORS_PER_FILE: usize = 25;

/// One row of district-performance.csv.
#[derive(Debug, Clone)]
pub struct PaymentRow {
    pub line: u64,
    pub club_number: String,
    pub division_id: String,
    pub area_id: String,
    pub payments: ClubPayments,
    pub distinguished_status: Option<Level>,
    pub charter: CharterSuspend,
}

/// One row of division-performance.csv.
#[derive(Debug, Clone)]
pub struct DivisionRow {
    pub line: u64,
    pub club_number: String,
    pub division_id: String,
    pub area_id: String,
    pub membership_to_date: i64,
    pub club_goals_met: i64,
    pub distinguished_status: Option<Level>,
    pub visits: ClubVisits,
    pub area: RecognitionReport,
    pub division: RecognitionReport,
    pub charter: CharterSuspend,
}

/// Runs `parse` on every row, collecting errors; returns the records or all errors.
fn collect<T>(
    table: &Table,
    mut parse: impl FnMut(&Cells) -> Result<Option<T>, Diag>,
) -> Result<Vec<T>, Vec<Diag>> {
    let mut out = Vec::with_capacity(table.rows.len());
    let mut errors = Vec::new();
    for row in &table.rows {
        match parse(&Cells::new(table, row)) {
            Ok(Some(record)) => out.push(record),
            Ok(None) => {}
            Err(e) => {
                errors.push(e);
                if errors.len() == MAX_ERRORS_PER_FILE {
                    errors.push(Diag::error(
                        &table.path,
                        "too many errors; stopped reading this file",
                    ));
                    break;
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Club-report rows of the folder of district `folder_district`.
pub fn clubs(
    table: &Table,
    folder_district: &str,
    warnings: &mut Vec<Diag>,
) -> Result<Vec<Club>, Vec<Diag>> {
    let mut padded = PaddedClubNumbers::default();
    let clubs = collect(table, |c| {
        crate::validate::check_club_cells(c, folder_district)?;
        let membership_base = c.count(Col::MembershipBase)?;
        let active_members = c.count(Col::ActiveMembers)?;
        let net_growth = c
            .opt_int(Col::NetGrowth)?
            .unwrap_or(active_members - membership_base);
        let goals_met = c.count(Col::GoalsMet)?;
        if goals_met > 10 {
            return Err(c.error(
                Col::GoalsMet,
                format!("expected 0 to 10 goals, found {goals_met}"),
            ));
        }
        let status = c.text(Col::ClubStatus)?;
        let extra: BTreeMap<String, String> = table
            .extra_columns
            .iter()
            .map(|(i, name)| (name.clone(), c.row.cells[*i].to_string()))
            .collect();
        Ok(Some(Club {
            line: c.row.line,
            club_number: c.club_number(&mut padded)?,
            club_name: c.raw(Col::ClubName).unwrap_or_default().to_string(),
            district_id: c.text(Col::District)?.to_string(),
            division_id: unit_code(c.text(Col::Division)?).to_string(),
            area_id: unit_code(c.text(Col::Area)?).to_string(),
            status: (!status.is_empty()).then(|| status.to_string()),
            csp: c.yes_no(Col::Csp)?,
            membership_base,
            active_members,
            net_growth,
            goals_met,
            distinguished_status: c.level(Col::ClubDistinguishedStatus, warnings)?,
            goal_columns: goal_columns(c)?,
            payments: None,
            visits: None,
            charter_date: None,
            suspend_date: None,
            extra,
            dcp: None,
            health: None,
        }))
    });
    warnings.extend(padded.warning(&table.path));
    clubs
}

fn goal_columns(c: &Cells) -> Result<GoalColumns, Diag> {
    Ok(GoalColumns {
        level_1s: c.count(Col::Level1s)?,
        level_2s: c.count(Col::Level2s)?,
        add_level_2s: c.count(Col::AddLevel2s)?,
        level_3s: c.count(Col::Level3s)?,
        level_4s_path_dtm: c.opt_count(Col::Level4sPathDtm)?,
        add_level_4s_path_dtm: c.opt_count(Col::AddLevel4sPathDtm)?,
        new_members: c.count(Col::NewMembers)?,
        add_new_members: c.count(Col::AddNewMembers)?,
        officers_trained_round_1: c.count(Col::OfficersTrainedRound1)?,
        officers_trained_round_2: c.count(Col::OfficersTrainedRound2)?,
        dues_on_time_oct: c.opt_count(Col::DuesOnTimeOct)?,
        dues_on_time_apr: c.opt_count(Col::DuesOnTimeApr)?,
        dues_on_time_oct_apr: c.opt_count(Col::DuesOnTimeOctApr)?,
        officer_list_on_time: c.count(Col::OfficerListOnTime)?,
        level_4s: c.opt_count(Col::Level4s)?,
        level_5s: c.opt_count(Col::Level5s)?,
        ccs: c.opt_count(Col::Ccs)?,
        add_ccs: c.opt_count(Col::AddCcs)?,
        acs: c.opt_count(Col::Acs)?,
        add_acs: c.opt_count(Col::AddAcs)?,
        cl_al_dtms: c.opt_count(Col::ClAlDtms)?,
        add_cl_al_dtms: c.opt_count(Col::AddClAlDtms)?,
    })
}

pub fn payments(table: &Table, warnings: &mut Vec<Diag>) -> Result<Vec<PaymentRow>, Vec<Diag>> {
    let mut padded = PaddedClubNumbers::default();
    let rows = collect(table, |c| {
        Ok(Some(PaymentRow {
            line: c.row.line,
            club_number: c.club_number(&mut padded)?,
            division_id: unit_code(c.text(Col::Division)?).to_string(),
            area_id: unit_code(c.text(Col::Area)?).to_string(),
            payments: ClubPayments {
                new: c.count(Col::NewPayments)?,
                late_renewals: c.count(Col::LateRenewals)?,
                october_renewals: c.count(Col::OctoberRenewals)?,
                april_renewals: c.count(Col::AprilRenewals)?,
                total_renewals: c.count(Col::TotalRenewals)?,
                charter: c.count(Col::CharterPayments)?,
                total_to_date: c.count(Col::TotalToDate)?,
            },
            distinguished_status: c.level(Col::DistinguishedStatus, warnings)?,
            charter: c.charter_suspend(Col::CharterSuspend)?,
        }))
    });
    warnings.extend(padded.warning(&table.path));
    rows
}

pub fn divisions(table: &Table, warnings: &mut Vec<Diag>) -> Result<Vec<DivisionRow>, Vec<Diag>> {
    let mut padded = PaddedClubNumbers::default();
    let rows = collect(table, |c| {
        let words = |col| {
            c.opt_text(col)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Ok(Some(DivisionRow {
            line: c.row.line,
            club_number: c.club_number(&mut padded)?,
            division_id: unit_code(c.text(Col::Division)?).to_string(),
            area_id: unit_code(c.text(Col::Area)?).to_string(),
            membership_to_date: c.count(Col::MembershipToDate)?,
            club_goals_met: c.count(Col::ClubGoalsMet)?,
            distinguished_status: c.level(Col::DistinguishedClub, warnings)?,
            visits: ClubVisits {
                october_renewed: c.count(Col::OctoberRenewedFlag)?,
                april_renewed: c.count(Col::AprilRenewedFlag)?,
                nov_visit_award: c.count(Col::NovVisitAward)?,
                may_visit_award: c.count(Col::MayVisitAward)?,
            },
            area: RecognitionReport {
                club_base: c.count(Col::AreaClubBase)?,
                paid_club_goals: [
                    c.count(Col::AreaPaidGoalDistinguished)?,
                    c.count(Col::AreaPaidGoalSelect)?,
                    c.count(Col::AreaPaidGoalPresidents)?,
                ],
                paid_clubs: c.count(Col::AreaPaidClubs)?,
                distinguished_club_goals: [
                    c.count(Col::AreaDistGoalDistinguished)?,
                    c.count(Col::AreaDistGoalSelect)?,
                    c.count(Col::AreaDistGoalPresidents)?,
                ],
                distinguished_clubs: c.count(Col::AreaDistinguishedClubs)?,
                status: words(Col::DistinguishedArea),
            },
            division: RecognitionReport {
                club_base: c.count(Col::DivisionClubBase)?,
                paid_club_goals: [
                    c.count(Col::DivisionPaidGoalDistinguished)?,
                    c.count(Col::DivisionPaidGoalSelect)?,
                    c.count(Col::DivisionPaidGoalPresidents)?,
                ],
                paid_clubs: c.count(Col::DivisionPaidClubs)?,
                distinguished_club_goals: [
                    c.count(Col::DivisionDistGoalDistinguished)?,
                    c.count(Col::DivisionDistGoalSelect)?,
                    c.count(Col::DivisionDistGoalPresidents)?,
                ],
                distinguished_clubs: c.count(Col::DivisionDistinguishedClubs)?,
                status: words(Col::DistinguishedDivision),
            },
            charter: c.charter_suspend(Col::CharterSuspend)?,
        }))
    });
    warnings.extend(padded.warning(&table.path));
    rows
}

/// Summary rows, with stray `As of` rows and ids that are not district ids dropped
/// (DOMAIN.md §2.6) and reported as warnings.
pub fn summary(table: &Table, warnings: &mut Vec<Diag>) -> Result<Vec<SummaryRow>, Vec<Diag>> {
    collect(table, |c| {
        let district_id = c.text(Col::SummaryDistrict)?;
        let region_cell = c.text(Col::Region)?;
        if !is_district_id(district_id) || is_as_of(region_cell) {
            let message = if is_as_of(district_id) || is_as_of(region_cell) {
                format!(
                    "stray row `{}` (not data); dropped",
                    if is_as_of(district_id) {
                        district_id
                    } else {
                        region_cell
                    }
                )
            } else {
                format!("\"{district_id}\" is not a district id; row dropped")
            };
            warnings.push(c.warning(Col::SummaryDistrict, message));
            return Ok(None);
        }
        let region = if region_cell.is_empty() {
            "Unknown"
        } else {
            region_cell
        };
        Ok(Some(SummaryRow {
            line: c.row.line,
            district_id: district_id.to_string(),
            region: region.to_string(),
            dsp: c.yes_no(Col::Dsp)?,
            training: c.yes_no(Col::Training)?,
            market_analysis: c.yes_no(Col::MarketAnalysis)?,
            communication_plan: c.yes_no(Col::CommunicationPlan)?,
            region_advisor_visit: c.yes_no(Col::RegionAdvisorVisit)?,
            new_payments: c.count(Col::SummaryNewPayments)?,
            april_payments: c.count(Col::SummaryAprilPayments)?,
            october_payments: c.count(Col::SummaryOctoberPayments)?,
            late_payments: c.count(Col::SummaryLatePayments)?,
            charter_payments: c.count(Col::SummaryCharterPayments)?,
            total_payments: c.count(Col::TotalYtdPayments)?,
            payment_base: c.count(Col::PaymentBase)?,
            payment_growth_pct: c.pct(Col::PaymentGrowthPct)?,
            paid_club_base: c.count(Col::PaidClubBase)?,
            paid_clubs: c.count(Col::PaidClubs)?,
            club_growth_pct: c.pct(Col::ClubGrowthPct)?,
            active_clubs: c.count(Col::ActiveClubs)?,
            distinguished_clubs_base_tier: c.count(Col::DistinguishedClubs)?,
            select_distinguished_clubs: c.count(Col::SelectDistinguishedClubs)?,
            presidents_distinguished_clubs: c.count(Col::PresidentsDistinguishedClubs)?,
            smedley_distinguished_clubs: c.opt_count(Col::SmedleyDistinguishedClubs)?,
            distinguished_clubs: c.count(Col::TotalDistinguishedClubs)?,
            ti_distinguished_pct: c.pct(Col::DistinguishedClubsPct)?,
        }))
    })
}

/// District ids are letters and digits only (`61`, `02`, `F`, `U`).
pub fn is_district_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric())
}
