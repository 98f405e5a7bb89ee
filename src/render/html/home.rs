//! The home page's list of districts for a site without TI's district summary (issue 14
//! item 6): the normal case for a single district. Without the summary there is no world
//! ranking, so the home page lists the districts the snapshot has, each with its headline
//! figures and links, instead of an empty ranking.

use super::format::{UNKNOWN, int, long_date, signed};
use crate::render::BuildModel;
use serde::Serialize;

/// One district of the home page's list.
#[derive(Debug, Serialize)]
pub struct HomeDistrict {
    pub id: String,
    pub href: String,
    pub paid_clubs: String,
    pub members: String,
    /// `+12` against the membership base; empty when unknown.
    pub net: String,
    /// Distinguished clubs on track (the levels the clubs' current figures meet), as on the
    /// district page's card; `on_track` is set before April, when they are provisional.
    pub distinguished: String,
    pub on_track: bool,
    /// `Distinguished 2, Select 1`: the levels behind the count; empty when none.
    pub by_level: String,
    /// Failed validation: the figures are left out, the page lists the errors.
    pub failed: bool,
    /// The older data date the district is shown at, when it is not in the newest data.
    pub stale_since: Option<String>,
    /// The date of the row's own figures: each row states it, since rows may differ.
    pub data_date: String,
}

/// Every district of the snapshot with its headline figures, in TI order.
pub fn districts(model: &BuildModel) -> Vec<HomeDistrict> {
    model
        .district_ids()
        .into_iter()
        .map(|id| {
            let built = model.districts.iter().find(|b| b.district.id == id);
            let unknown = || UNKNOWN.to_string();
            let Some(b) = built else {
                return HomeDistrict {
                    id: id.to_string(),
                    href: format!("districts/{id}/index.html"),
                    paid_clubs: unknown(),
                    members: unknown(),
                    net: String::new(),
                    distinguished: unknown(),
                    on_track: false,
                    by_level: String::new(),
                    failed: model.failed.iter().any(|(f, _)| f == id),
                    stale_since: None,
                    data_date: long_date(model.dated.period.data_date),
                };
            };
            let t = &b.stats.totals;
            let r = &b.recognition;
            // the on-track figure and its levels, as on the district page's card
            let levels = r.levels;
            let by_level = [
                ("Distinguished", levels.d),
                ("Select", levels.s),
                ("President's", levels.p),
                ("Smedley", levels.m),
            ]
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(name, n)| format!("{name} {}", int(*n)))
            .collect::<Vec<_>>()
            .join(", ");
            HomeDistrict {
                id: id.to_string(),
                href: format!("districts/{id}/index.html"),
                paid_clubs: crate::render::figures::paid_clubs(Some(b), model.summary_row(id))
                    .map_or(UNKNOWN.to_string(), |(n, _)| int(n)),
                members: int(t.active_members),
                net: signed(t.net_growth),
                distinguished: int(t.distinguished_on_track),
                on_track: r.provisional,
                by_level,
                failed: false,
                stale_since: b.stale.as_ref().map(|s| long_date(s.data_date)),
                data_date: long_date(
                    b.stale
                        .as_ref()
                        .map_or(model.dated.period.data_date, |s| s.data_date),
                ),
            }
        })
        .collect()
}
