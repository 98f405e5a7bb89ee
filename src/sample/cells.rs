//! Cell values: the value of every logical column of a club row of the per-district
//! reports (club, division and district performance) and of a district row of
//! `all-districts.csv`, from one date's evaluation. Columns not listed are left empty.

use super::calendar::Ctx;
use super::day::{DistrictDay, Eval, area_word, division_word};
use super::world::District;
use crate::cache::eras::Col;
use crate::recognition::units::{Unit, targets};

/// One cell value: text or a number (both written quoted).
pub(super) enum V<'a> {
    S(&'a str),
    N(i64),
}

fn yn(b: bool) -> &'static str {
    if b { "Y" } else { "N" }
}

/// The value of one logical column for one club row of a per-district report.
pub(super) fn club_cell<'a>(col: Col, day: &DistrictDay<'a>, e: &'a Eval) -> V<'a> {
    use V::{N, S};
    let (d, y) = (day.d, day.y);
    let c = &d.clubs[y][e.club];
    let a = c.core.area_on(day.day);
    let area = &d.areas[a];
    let (ab, ag) = (area.base[y], day.areas[a]);
    let (db, dg) = (d.divisions[area.div].1[y], day.divs[area.div]);
    let (area_t, div_t) = (targets(Unit::Area, ab), targets(Unit::Division, db));
    match col {
        Col::District => S(&d.id),
        Col::Division => S(&d.divisions[area.div].0),
        Col::Area => S(&area.code),
        Col::ClubNumber => S(&c.number),
        Col::ClubName => S(&c.name),
        Col::CharterSuspend => S(&e.charter_cell),
        Col::ClubStatus => S(e.status),
        Col::Csp => S(yn(e.csp)),
        Col::MembershipBase => N(c.core.base),
        Col::ActiveMembers | Col::MembershipToDate => N(e.members),
        Col::NetGrowth => N(e.members - c.core.base),
        Col::GoalsMet | Col::ClubGoalsMet => N(e.goals),
        Col::Level1s => N(e.aw[0]),
        Col::Level2s => N(e.aw[1]),
        Col::AddLevel2s => N(e.aw[2]),
        Col::Level3s => N(e.aw[3]),
        Col::Level4sPathDtm | Col::Level4s => N(e.aw[4]),
        Col::AddLevel4sPathDtm => N(e.aw[5]),
        Col::NewMembers => N(e.aw[6]),
        Col::AddNewMembers => N(e.aw[7]),
        Col::OfficersTrainedRound1 => N(e.train[0]),
        Col::OfficersTrainedRound2 => N(e.train[1]),
        Col::DuesOnTimeOct => N(e.dues[0]),
        Col::DuesOnTimeApr => N(e.dues[1]),
        Col::OfficerListOnTime => N(e.list),
        Col::ClubDistinguishedStatus | Col::DistinguishedStatus => S(e.code),
        Col::DistinguishedClub => S(e.code),
        Col::NewPayments => N(e.pay[0]),
        Col::LateRenewals => N(e.pay[1]),
        Col::OctoberRenewals => N(e.pay[2]),
        Col::AprilRenewals => N(e.pay[3]),
        Col::TotalRenewals => N(e.pay[1] + e.pay[2] + e.pay[3]),
        Col::CharterPayments => N(e.pay[4]),
        Col::TotalToDate => N(e.pay.iter().sum()),
        Col::OctoberRenewedFlag => N(e.div[0]),
        Col::AprilRenewedFlag => N(e.div[1]),
        Col::NovVisitAward => N(e.div[2]),
        Col::MayVisitAward => N(e.div[3]),
        Col::AreaClubBase => N(ab),
        Col::AreaPaidGoalDistinguished => N(area_t[0].paid_clubs),
        Col::AreaPaidGoalSelect => N(area_t[1].paid_clubs),
        Col::AreaPaidGoalPresidents => N(area_t[2].paid_clubs),
        Col::AreaPaidClubs => N(ag.paid),
        Col::AreaDistGoalDistinguished => N(area_t[0].distinguished_clubs),
        Col::AreaDistGoalSelect => N(area_t[1].distinguished_clubs),
        Col::AreaDistGoalPresidents => N(area_t[2].distinguished_clubs),
        Col::AreaDistinguishedClubs => N(ag.dist),
        Col::DistinguishedArea => S(area_word(day.pm, ab, ag)),
        Col::DivisionClubBase => N(db),
        Col::DivisionPaidGoalDistinguished => N(div_t[0].paid_clubs),
        Col::DivisionPaidGoalSelect => N(div_t[1].paid_clubs),
        Col::DivisionPaidGoalPresidents => N(div_t[2].paid_clubs),
        Col::DivisionPaidClubs => N(dg.paid),
        Col::DivisionDistGoalDistinguished => N(div_t[0].distinguished_clubs),
        Col::DivisionDistGoalSelect => N(div_t[1].distinguished_clubs),
        Col::DivisionDistGoalPresidents => N(div_t[2].distinguished_clubs),
        Col::DivisionDistinguishedClubs => N(dg.dist),
        Col::DistinguishedDivision => S(division_word(day.pm, db, dg)),
        _ => S(""),
    }
}

/// One `all-districts.csv` row; payments in the order New, April, October, Late, Charter.
pub(super) struct SummaryRow<'a> {
    d: &'a District,
    y: usize,
    flags: [bool; 5],
    pay: [i64; 5],
    paid: i64,
    active: i64,
    tiers: [i64; 4],
    pcts: [String; 3],
}

impl<'a> SummaryRow<'a> {
    pub(super) fn new(day: &DistrictDay<'a>, ctx: &Ctx) -> SummaryRow<'a> {
        let d = day.d;
        let (mut pay, mut paid, mut active, mut tiers) = ([0; 5], 0, 0, [0; 4]);
        for e in &day.evals {
            for (slot, k) in [0, 3, 2, 1, 4].into_iter().enumerate() {
                pay[slot] += e.pay[k];
            }
            paid += i64::from(e.status == "Active");
            active += i64::from(e.status != "Suspended");
            if let Some(t) = ["D", "S", "P", "M"].iter().position(|c| *c == e.code) {
                tiers[t] += 1;
            }
        }
        let (payment_base, club_base) = (d.payment_base[day.y], d.paid_club_base[day.y]);
        let pcts = [
            percent(pay.iter().sum::<i64>() - payment_base, payment_base),
            percent(paid - club_base, club_base),
            percent(tiers.iter().sum(), club_base),
        ];
        let flags = d.flag_days[day.y].map(|f| f <= ctx.day);
        SummaryRow {
            d,
            y: day.y,
            flags,
            pay,
            paid,
            active,
            tiers,
            pcts,
        }
    }
}

/// `num / den × 100` with two decimals, trailing zeros and dot trimmed: `-8.29%`, `1.5%`, `0%`.
fn percent(num: i64, den: i64) -> String {
    let text = format!("{:.2}", num as f64 / den.max(1) as f64 * 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0%".into()
    } else {
        format!("{text}%")
    }
}

pub(super) fn summary_cell<'a>(col: Col, r: &'a SummaryRow) -> V<'a> {
    use V::{N, S};
    match col {
        Col::Region => S(&r.d.region),
        Col::SummaryDistrict => S(&r.d.id),
        Col::Dsp => S(yn(r.flags[0])),
        Col::Training => S(yn(r.flags[1])),
        Col::MarketAnalysis => S(yn(r.flags[2])),
        Col::CommunicationPlan => S(yn(r.flags[3])),
        Col::RegionAdvisorVisit => S(yn(r.flags[4])),
        Col::SummaryNewPayments => N(r.pay[0]),
        Col::SummaryAprilPayments => N(r.pay[1]),
        Col::SummaryOctoberPayments => N(r.pay[2]),
        Col::SummaryLatePayments => N(r.pay[3]),
        Col::SummaryCharterPayments => N(r.pay[4]),
        Col::TotalYtdPayments => N(r.pay.iter().sum()),
        Col::PaymentBase => N(r.d.payment_base[r.y]),
        Col::PaymentGrowthPct => S(&r.pcts[0]),
        Col::PaidClubBase => N(r.d.paid_club_base[r.y]),
        Col::PaidClubs => N(r.paid),
        Col::ClubGrowthPct => S(&r.pcts[1]),
        Col::ActiveClubs => N(r.active),
        Col::DistinguishedClubs => N(r.tiers[0]),
        Col::SelectDistinguishedClubs => N(r.tiers[1]),
        Col::PresidentsDistinguishedClubs => N(r.tiers[2]),
        Col::SmedleyDistinguishedClubs => N(r.tiers[3]),
        Col::TotalDistinguishedClubs => N(r.tiers.iter().sum()),
        Col::DistinguishedClubsPct => S(&r.pcts[2]),
        _ => S(""),
    }
}
