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
    /// Clubs by TI's distinguished code.
    pub distinguished: LevelCounts,
    pub distinguished_total: i64,
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
        t.distinguished_total = t.distinguished.total();
        t
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
