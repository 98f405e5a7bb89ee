//! Applies every recognition rule to one district: each club's DCP and health, each area's
//! and division's DAP/DDP status, the district tier, the close-to-Distinguished lists, and
//! the parity of our results with TI's own codes (each disagreement a warning).

use super::club::{self, Context};
use super::district::{self, DistrictRecognition};
use super::health::HealthStatus;
use super::units::{self, Unit, UnitInput, UnitRecognition};
use crate::diag::Diag;
use crate::model::{Club, Level, LevelCounts, RecognitionReport, SummaryRow};
use crate::stats::{DistrictStats, Totals};
use crate::validate::District;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct HealthCounts {
    pub thriving: i64,
    pub vulnerable: i64,
    pub intervention_required: i64,
}

/// A club close to Distinguished (DOMAIN.md §5.9).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CloseClub {
    pub club_number: String,
    pub club_name: String,
    pub division_id: String,
    pub area_id: String,
    pub goals_met: i64,
    pub goals_needed: i64,
    pub members_needed: i64,
}

/// How our results compare with the figures TI publishes.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Parity {
    pub clubs_checked: u64,
    pub goals_agree: u64,
    /// Levels are compared from April, when TI publishes codes.
    pub levels_checked: u64,
    pub levels_agree: u64,
    pub areas_checked: u64,
    pub areas_agree: u64,
    pub divisions_checked: u64,
    pub divisions_agree: u64,
}

impl Parity {
    pub fn add(&mut self, o: &Parity) {
        self.clubs_checked += o.clubs_checked;
        self.goals_agree += o.goals_agree;
        self.levels_checked += o.levels_checked;
        self.levels_agree += o.levels_agree;
        self.areas_checked += o.areas_checked;
        self.areas_agree += o.areas_agree;
        self.divisions_checked += o.divisions_checked;
        self.divisions_agree += o.divisions_agree;
    }
}

/// The district-level recognition section of `districts/<id>.json`.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DistrictReport {
    /// Clubs by our level (TI's codes are counted in `totals.distinguished`).
    pub levels: LevelCounts,
    /// True before April: our levels are projections, TI publishes no codes yet.
    pub provisional: bool,
    pub health: HealthCounts,
    pub close_to_distinguished: Vec<CloseClub>,
    /// The Distinguished District Program tier, from the summary; null without one.
    pub district: Option<DistrictRecognition>,
    pub parity: Parity,
}

/// Fills in `club.dcp`, `club.health`, the units' recognition and returns the district's
/// report with its warnings.
pub fn district(
    d: &mut District,
    stats: &mut DistrictStats,
    summary: Option<&SummaryRow>,
    ctx: &Context,
    club_path: &str,
) -> (DistrictReport, Vec<Diag>) {
    let mut warnings = Vec::new();
    let mut report = DistrictReport {
        levels: LevelCounts::default(),
        provisional: super::level::is_provisional_month(chrono::Datelike::month(&ctx.data_date)),
        health: HealthCounts::default(),
        close_to_distinguished: Vec::new(),
        district: summary.map(|r| district::assess(r, ctx.py_start)),
        parity: Parity::default(),
    };
    for c in &mut d.clubs {
        let dcp = club::assess(c, ctx);
        let health = club::club_health(c, &dcp, ctx);
        match health.status {
            HealthStatus::Thriving => report.health.thriving += 1,
            HealthStatus::Vulnerable => report.health.vulnerable += 1,
            HealthStatus::InterventionRequired => report.health.intervention_required += 1,
        }
        if let Some(l) = dcp.level {
            report.levels.add(l);
        }
        if club::close_to_distinguished(c, &dcp, ctx) {
            let needs = dcp.next_level.filter(|n| n.level == Level::D);
            report.close_to_distinguished.push(CloseClub {
                club_number: c.club_number.clone(),
                club_name: c.club_name.clone(),
                division_id: c.division_id.clone(),
                area_id: c.area_id.clone(),
                goals_met: dcp.goals_met.unwrap_or(c.goals_met),
                goals_needed: needs.map_or(0, |n| n.goals_needed),
                members_needed: needs.map_or(0, |n| n.members_needed),
            });
        }
        parity_of_club(c, &dcp, &mut report.parity, club_path, &mut warnings);
        c.dcp = Some(dcp);
        c.health = Some(health);
    }
    stats.set_recognised(d);
    // TI's area and division words come from the division report beside the club report.
    let division_path = match club_path.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{}", crate::cache::eras::Report::Division.file_name()),
        None => crate::cache::eras::Report::Division.file_name().to_string(),
    };
    units_of(
        d,
        stats,
        ctx,
        &division_path,
        &report.close_to_distinguished,
        &mut report.parity,
        &mut warnings,
    );
    (
        report,
        warnings
            .into_iter()
            .map(|w| w.for_district(&d.id))
            .collect(),
    )
}

fn parity_of_club(
    c: &Club,
    dcp: &club::ClubDcp,
    parity: &mut Parity,
    path: &str,
    warnings: &mut Vec<Diag>,
) {
    if let Some(agree) = dcp.goals_agree_with_ti {
        parity.clubs_checked += 1;
        if agree {
            parity.goals_agree += 1;
        } else {
            warnings.push(
                Diag::warning(
                    path,
                    format!(
                        "club {} ({}): our DCP goal count {} differs from TI's Goals Met {}",
                        c.club_number,
                        c.club_name.trim(),
                        dcp.goals_met.unwrap_or_default(),
                        c.goals_met
                    ),
                )
                .at_line(c.line),
            );
        }
    }
    if let Some(agree) = dcp.level_agrees_with_ti {
        parity.levels_checked += 1;
        if agree {
            parity.levels_agree += 1;
        } else {
            let show = |l: Option<Level>| l.map_or("none".to_string(), |l| format!("{l:?}"));
            warnings.push(
                Diag::warning(
                    path,
                    format!(
                        "club {} ({}): our level {} differs from TI's Club Distinguished Status {}",
                        c.club_number,
                        c.club_name.trim(),
                        show(dcp.level),
                        show(c.distinguished_status)
                    ),
                )
                .at_line(c.line),
            );
        }
    }
}

/// Club numbers of the close-to-Distinguished clubs of a division (or one of its areas).
fn close_in(close: &[CloseClub], division: &str, area: Option<&str>) -> Vec<String> {
    close
        .iter()
        .filter(|c| c.division_id == division && area.is_none_or(|a| c.area_id == a))
        .map(|c| c.club_number.clone())
        .collect()
}

/// The level a club counts with: TI's code from April, our (projected) level before.
/// Units, charts and headline figures all count clubs by this one rule.
pub fn counted_level(c: &Club, provisional: bool) -> Option<crate::model::Level> {
    if provisional {
        c.dcp.as_ref().and_then(|d| d.level)
    } else {
        c.distinguished_status
    }
}

/// The distinguished clubs a unit counts: TI's codes from April, our levels before.
fn distinguished_in<'a>(clubs: impl Iterator<Item = &'a Club>, provisional: bool) -> i64 {
    clubs
        .filter(|c| counted_level(c, provisional).is_some())
        .count() as i64
}

fn visits_in<'a>(clubs: impl Iterator<Item = &'a Club> + Clone) -> Option<(i64, i64)> {
    let all: Vec<&Club> = clubs.collect();
    if all.iter().any(|c| c.visits.is_none()) {
        return None;
    }
    let count = |f: fn(&Club) -> i64| all.iter().filter(|c| f(c) == 1).count() as i64;
    Some((
        count(|c| c.visits.as_ref().map_or(0, |v| v.nov_visit_award)),
        count(|c| c.visits.as_ref().map_or(0, |v| v.may_visit_award)),
    ))
}

/// What assessing every unit of a district shares.
struct UnitRun<'a> {
    ctx: &'a Context,
    /// The division report, named in parity warnings.
    path: &'a str,
    /// Before April: distinguished clubs are our levels and TI's words are not compared.
    provisional: bool,
    parity: &'a mut Parity,
    warnings: &'a mut Vec<Diag>,
}

impl UnitRun<'_> {
    /// Assesses one area or division and compares the result with TI's own word.
    fn assess<'c>(
        &mut self,
        unit: Unit,
        what: String,
        ti: Option<&RecognitionReport>,
        totals: &Totals,
        clubs: impl Iterator<Item = &'c Club> + Clone,
    ) -> UnitRecognition {
        let rec = units::assess(&UnitInput {
            unit,
            ti_base: ti.map(|t| t.club_base),
            clubs_listed: totals.clubs,
            paid_clubs: totals.paid_clubs,
            distinguished_clubs: distinguished_in(clubs.clone(), self.provisional),
            distinguished_provisional: self.provisional,
            visit_counts: match unit {
                Unit::Area => visits_in(clubs),
                Unit::Division => None,
            },
            data_date: self.ctx.data_date,
            py_start: self.ctx.py_start,
        });
        if let Some(ti) = ti.filter(|_| !self.provisional && rec.determined) {
            let (checked, agree) = match unit {
                Unit::Area => (&mut self.parity.areas_checked, &mut self.parity.areas_agree),
                Unit::Division => (
                    &mut self.parity.divisions_checked,
                    &mut self.parity.divisions_agree,
                ),
            };
            compare_unit(
                self.path,
                &rec,
                ti.status.as_deref(),
                &what,
                (checked, agree),
                self.warnings,
            );
        }
        rec
    }
}

fn units_of(
    d: &District,
    stats: &mut DistrictStats,
    ctx: &Context,
    path: &str,
    close: &[CloseClub],
    parity: &mut Parity,
    warnings: &mut Vec<Diag>,
) {
    let provisional = super::level::is_provisional_month(chrono::Datelike::month(&ctx.data_date));
    let mut run = UnitRun {
        ctx,
        path,
        provisional,
        parity,
        warnings,
    };
    for div in &mut stats.divisions {
        let div_id = div.division_id.clone();
        let div_clubs = || d.clubs.iter().filter(|c| c.division_id == div_id);
        for area in &mut div.areas {
            let area_clubs = div_clubs().filter(|c| c.area_id == area.area_id);
            let what = format!("area {div_id} {}", area.area_id);
            area.recognition = Some(run.assess(
                Unit::Area,
                what,
                area.ti_recognition.as_ref(),
                &area.totals,
                area_clubs,
            ));
            area.close_to_distinguished = close_in(close, &div_id, Some(&area.area_id));
        }
        let what = format!("division {div_id}");
        div.recognition = Some(run.assess(
            Unit::Division,
            what,
            div.ti_recognition.as_ref(),
            &div.totals,
            div_clubs(),
        ));
        div.close_to_distinguished = close_in(close, &div_id, None);
    }
}

/// Compares our unit status with TI's words (`Distinguished`, `Select Distinguished`, ...).
fn compare_unit(
    path: &str,
    rec: &UnitRecognition,
    ti: Option<&str>,
    what: &str,
    (checked, agree): (&mut u64, &mut u64),
    warnings: &mut Vec<Diag>,
) {
    let theirs = Level::parse(ti.unwrap_or("")).ok().flatten();
    *checked += 1;
    if theirs == rec.level {
        *agree += 1;
    } else {
        let show = |l: Option<Level>| l.map_or("not distinguished", |l| l.name());
        warnings.push(Diag::warning(
            path,
            format!(
                "{what}: our status {} differs from TI's {}",
                show(rec.level),
                show(theirs)
            ),
        ));
    }
}
