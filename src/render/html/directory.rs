//! The directory of districts (`districts/index.html`): every district of the snapshot
//! by region, with its headline figures and data state, former districts apart.

use super::common::{Link, Page, Status};
use super::format::{UNKNOWN, int};
use super::templates::Templates;
use crate::model::district_sort_key;
use crate::render::BuildModel;
use crate::render::json::API;
use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
struct DirectoryEntry {
    id: String,
    href: String,
    /// `built`, `failed` or `summary_only`.
    kind: &'static str,
    clubs: String,
    paid_clubs: String,
    members: String,
    distinguished: String,
    rank: String,
    /// The older data date the district is shown at, when it is not in the newest data.
    stale_since: Option<String>,
    /// The date of the row's own figures (each row states it: a table may mix dates).
    data_date: String,
}

#[derive(Debug, Serialize)]
struct RegionGroup {
    label: String,
    caption: String,
    anchor: String,
    districts: Vec<DirectoryEntry>,
}

#[derive(Serialize)]
struct DirectoryView<'a> {
    page: Page,
    status: &'a Status,
    regions: Vec<RegionGroup>,
    /// Districts seen only in earlier program years (e.g. before a realignment).
    former: Vec<DirectoryEntry>,
    current_count: usize,
    has_summary: bool,
    warnings: Vec<String>,
    district_count: usize,
    /// What lettered district and region codes mean.
    code_notes: Vec<&'static str>,
}

/// The heading of the districts without a region: all of them when the snapshot has no
/// summary (regions come from it), else those the summary does not list.
fn no_region_label(has_summary: bool) -> &'static str {
    if has_summary {
        "Districts not in TI's district summary"
    } else {
        "All districts"
    }
}

/// What TI's lettered codes mean, for the pages that list them (DOMAIN.md §2.2, §2.7):
/// one note per code the snapshot has.
pub fn code_notes(model: &BuildModel) -> Vec<&'static str> {
    let ids = model.district_ids();
    let mut notes = Vec::new();
    if ids.contains(&"F") {
        notes.push("District F is Founder's District, which has a letter instead of a number.");
    }
    if ids.contains(&"U") {
        notes.push("District U holds the clubs that belong to no district.");
    }
    let dnar = model
        .summary
        .iter()
        .flatten()
        .any(|r| r.region.eq_ignore_ascii_case("DNAR"));
    if dnar {
        notes.push(
            "Region DNAR is TI's region code for district U, which is in no numbered region.",
        );
    }
    notes
}

/// Regions sort as TI numbers them (`01` … `14`), then lettered ones (`DNAR`), unknown last.
fn region_key(region: Option<&str>) -> (u8, (u8, u64, String)) {
    match region {
        Some(r) => (0, district_sort_key(r)),
        None => (1, (0, 0, String::new())),
    }
}

pub fn directory(model: &BuildModel, status: &Status, t: &Templates) -> Result<String> {
    let mut groups: BTreeMap<(u8, (u8, u64, String)), RegionGroup> = BTreeMap::new();
    let ids = model.district_ids();
    let mut former = Vec::new();
    for id in &ids {
        let region = model.summary_row(id).map(|r| r.region.as_str());
        let built = model.districts.iter().find(|b| b.district.id == *id);
        let summary = model.summary_row(id);
        let totals = built.map(|b| &b.stats.totals);
        let entry = DirectoryEntry {
            id: id.to_string(),
            href: format!("{id}/index.html"),
            kind: if built.is_some() {
                "built"
            } else if model.failed.iter().any(|(f, _)| f == id) {
                "failed"
            } else {
                "summary_only"
            },
            clubs: totals.map_or(UNKNOWN.to_string(), |t| int(t.clubs)),
            paid_clubs: crate::render::figures::paid_clubs(built, summary)
                .map_or(UNKNOWN.to_string(), |(n, _)| int(n)),
            members: totals.map_or(UNKNOWN.to_string(), |t| int(t.active_members)),
            // on track where the district was built; TI's summary figure, named, otherwise
            distinguished: match (totals, summary) {
                (Some(t), _) => int(t.distinguished_on_track),
                (None, Some(s)) => format!("{} (TI)", int(s.distinguished_clubs)),
                (None, None) => UNKNOWN.to_string(),
            },
            rank: model
                .ranking(id)
                .map_or("not ranked".to_string(), |r| r.overall_rank.to_string()),
            stale_since: built
                .and_then(|b| b.stale.as_ref())
                .map(|s| super::format::long_date(s.data_date)),
            data_date: super::format::long_date(
                built
                    .and_then(|b| b.stale.as_ref())
                    .map_or(model.dated.period.data_date, |s| s.data_date),
            ),
        };
        // former districts are listed apart, outside the current lists
        if built.is_some_and(|b| b.stale.as_ref().is_some_and(|s| s.former)) {
            former.push(entry);
            continue;
        }
        groups
            .entry(region_key(region))
            .or_insert_with(|| RegionGroup {
                label: region.map_or_else(
                    || no_region_label(model.summary.is_some()).to_string(),
                    |r| format!("Region {r}"),
                ),
                // a caption unlike the heading: both name a landmark
                caption: region.map_or_else(
                    || {
                        if model.summary.is_some() {
                            "Districts that TI's summary does not list".to_string()
                        } else {
                            "The districts of this snapshot".to_string()
                        }
                    },
                    |r| format!("Districts in region {r}"),
                ),
                anchor: format!(
                    "region-{}",
                    super::format::id_part(region.unwrap_or("unknown"))
                ),
                districts: Vec::new(),
            })
            .districts
            .push(entry);
    }
    let view = DirectoryView {
        page: Page {
            title: "Districts by region".into(),
            root: "../".into(),
            path: "districts/index.html".into(),
            nav: "districts",
            data: vec![Link {
                href: format!("../{API}/districts.json"),
                text: "districts.json".into(),
            }],
            sortable: false,
            description: format!(
                "Every Toastmasters district by region, {}",
                status.data_month
            ),
        },
        status,
        regions: groups.into_values().collect(),
        current_count: ids.len() - former.len(),
        former,
        has_summary: model.summary.is_some(),
        warnings: model.warnings.iter().map(ToString::to_string).collect(),
        district_count: ids.len(),
        code_notes: code_notes(model),
    };
    t.render("districts.html", &view)
}
