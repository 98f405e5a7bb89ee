//! District, division and area figures computed from the joined clubs. Sums are taken
//! only from columns that exist: without the district report, payments are `None`.

use crate::model::{Club, LevelCounts, RecognitionReport};
use crate::recognition::units::UnitRecognition;
use crate::validate::District;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Figures shared by a district, a division and an area.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Totals {
    pub clubs: i64,
    /// Clubs with status `Active` (TI's paid clubs).
    pub paid_clubs: i64,
    pub membership_base: i64,
    /// Sum of the club report's `Active Members`.
    pub active_members: i64,
    pub net_growth: i64,
    /// Sum of the district report's `Total to Date`; `None` without that report.
    pub payments: Option<i64>,
    /// Clubs by TI's own published distinguished code (blank before April).
    pub distinguished: LevelCounts,
    /// TI's code: clubs with a published distinguished code (0 before April).
    pub distinguished_ti_code: i64,
    /// Deprecated (API 1.2): the same figure as `distinguished_ti_code`, under its
    /// earlier, ambiguous name; kept for v1 readers.
    pub distinguished_total: i64,
    /// On track: clubs whose current figures meet a level's rules (ours, provisional or
    /// reached; filled by `recognition::assess`). One of three named figures (issue 20).
    pub distinguished_on_track: i64,
    /// Reached: clubs whose level is met with confirmed figures: from April the on-track
    /// level, before April the level reached on April renewals (DOMAIN.md §5.3). `None`
    /// when that cannot be decided (before April without the district report).
    pub distinguished_reached: Option<i64>,
    /// Education awards: the club report's level and path-completion columns summed
    /// (see [`Club::education_awards`]).
    pub education_awards: i64,
}

impl Totals {
    fn of<'a>(clubs: impl Iterator<Item = &'a Club>, has_payments: bool) -> Totals {
        let mut t = Totals {
            payments: has_payments.then_some(0),
            ..Totals::default()
        };
        for c in clubs {
            t.clubs += 1;
            t.paid_clubs += i64::from(c.is_paid());
            t.membership_base += c.membership_base;
            t.active_members += c.active_members;
            t.net_growth += c.net_growth;
            if let (Some(sum), Some(p)) = (t.payments.as_mut(), c.payments.as_ref()) {
                *sum += p.total_to_date;
            }
            t.education_awards += c.education_awards();
            if let Some(level) = c.distinguished_status {
                t.distinguished.add(level);
            }
        }
        t.distinguished_ti_code = t.distinguished.total();
        t.distinguished_total = t.distinguished_ti_code;
        t
    }

    /// Sets the on-track and reached counts from the clubs' assessed levels.
    fn set_recognised<'a>(&mut self, clubs: impl Iterator<Item = &'a Club>) {
        let mut on_track = 0;
        let mut reached = Some(0);
        for c in clubs {
            let Some(dcp) = &c.dcp else { continue };
            on_track += i64::from(dcp.level.is_some());
            reached = reached
                .zip(dcp.reached())
                .map(|(n, r)| n + i64::from(r.is_some()));
        }
        self.distinguished_on_track = on_track;
        self.distinguished_reached = reached;
    }
}

impl DistrictStats {
    /// Fills the on-track and reached counts of the district, its divisions and areas once
    /// every club has been assessed.
    pub fn set_recognised(&mut self, d: &District) {
        self.totals.set_recognised(d.clubs.iter());
        for v in &mut self.divisions {
            let in_div = |c: &&Club| c.division_id == v.division_id;
            v.totals.set_recognised(d.clubs.iter().filter(in_div));
            for a in &mut v.areas {
                a.totals.set_recognised(
                    d.clubs
                        .iter()
                        .filter(|c| c.division_id == v.division_id && c.area_id == a.area_id),
                );
            }
        }
    }
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AreaStats {
    pub area_id: String,
    #[serde(flatten)]
    pub totals: Totals,
    /// TI's own area recognition figures; `None` without the division report.
    pub ti_recognition: Option<RecognitionReport>,
    /// Our Distinguished Area status (filled by `recognition::assess`).
    pub recognition: Option<UnitRecognition>,
    /// Club numbers of its clubs close to Distinguished (filled by `recognition::assess`).
    pub close_to_distinguished: Vec<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DivisionStats {
    pub division_id: String,
    #[serde(flatten)]
    pub totals: Totals,
    pub ti_recognition: Option<RecognitionReport>,
    /// Our Distinguished Division status (filled by `recognition::assess`).
    pub recognition: Option<UnitRecognition>,
    /// Club numbers of its clubs close to Distinguished (filled by `recognition::assess`).
    pub close_to_distinguished: Vec<String>,
    pub areas: Vec<AreaStats>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DistrictStats {
    pub totals: Totals,
    pub divisions: Vec<DivisionStats>,
}

/// Groups the clubs by division and area (keyed by both: area ids can repeat across
/// divisions in principle) and sums each group.
pub fn district_stats(d: &District) -> DistrictStats {
    let mut groups: BTreeMap<&str, BTreeMap<&str, Vec<&Club>>> = BTreeMap::new();
    for c in &d.clubs {
        groups
            .entry(&c.division_id)
            .or_default()
            .entry(&c.area_id)
            .or_default()
            .push(c);
    }
    let divisions = groups
        .into_iter()
        .map(|(div, areas)| {
            let areas_out = areas
                .iter()
                .map(|(area, clubs)| AreaStats {
                    area_id: area.to_string(),
                    totals: Totals::of(clubs.iter().copied(), d.has_payments),
                    ti_recognition: d
                        .area_reports
                        .get(&(div.to_string(), area.to_string()))
                        .cloned(),
                    recognition: None,
                    close_to_distinguished: Vec::new(),
                })
                .collect();
            DivisionStats {
                division_id: div.to_string(),
                totals: Totals::of(areas.values().flatten().copied(), d.has_payments),
                ti_recognition: d.division_reports.get(div).cloned(),
                recognition: None,
                close_to_distinguished: Vec::new(),
                areas: areas_out,
            }
        })
        .collect();
    DistrictStats {
        totals: Totals::of(d.clubs.iter(), d.has_payments),
        divisions,
    }
}
