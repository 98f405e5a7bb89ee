//! The pages that are not about one district: world rankings (home, and a page per
//! region), the methodology and the 404 page (the directory of districts is in
//! `directory.rs`). Each builds its view from the model and hands it to its template.

use super::common::{Link, Page, Status};
use super::directory::code_notes;
use super::format::{UNKNOWN, pct, signed_pct};
use super::rankings_history::{self, MovementCell, movement_cell};
use super::templates::Templates;
use crate::history::rankings::Movement;
use crate::model::district_sort_key;
use crate::rank::Ranking;
use crate::render::BuildModel;
use crate::render::json::API;
use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeMap;

/// Rank marks: the first and last `EDGE` ranks of a category are highlighted.
const EDGE: u32 = 3;

/// One category value of a rankings row.
#[derive(Debug, Serialize)]
pub struct Metric {
    pub value: String,
    pub rank: u32,
    /// `top`, `bottom` or empty.
    pub mark: &'static str,
}

/// One row of the world rankings table.
#[derive(Debug, Serialize)]
pub struct RankRow {
    pub rank: u32,
    pub rank_mark: &'static str,
    pub id: String,
    pub href: String,
    pub region: String,
    pub points: u32,
    pub club_growth: Metric,
    pub payment_growth: Metric,
    pub distinguished: Metric,
    /// Overall rank movement since the previous month's last ranked date.
    pub movement: MovementCell,
}

#[derive(Serialize)]
struct HomeView<'a> {
    page: Page,
    status: &'a Status,
    available: bool,
    count: usize,
    rows: Vec<RankRow>,
    /// Categories in which every district has the same value (0 points each).
    equal_categories: Vec<&'static str>,
    any_unknown: bool,
    /// The date rank movement is measured from; `None` when there is none.
    movement_since: Option<String>,
    history_href: String,
    /// Without a ranking: every district of the snapshot with its headline figures.
    districts: Vec<super::home::HomeDistrict>,
    /// What lettered district and region codes mean.
    code_notes: Vec<&'static str>,
    /// Some district's distinguished count is the levels its clubs are on track for.
    any_on_track: bool,
    /// The world downloads (rankings CSV and workbook, all clubs CSV) that exist.
    downloads: Vec<Link>,
    /// The region filter: all regions, then one link per region (a page each).
    regions: Vec<RegionLink>,
    /// `Region 07` on a region's page; `None` on the world ranking.
    region: Option<String>,
    /// A region's page: its standing and totals, in a sentence.
    region_totals: Option<String>,
    /// The regions leaderboard, when the snapshot has one.
    leaderboard_href: Option<String>,
}

/// One entry of the rankings' region filter.
#[derive(Debug, Serialize)]
struct RegionLink {
    label: String,
    href: String,
    current: bool,
}

/// Where the rankings of one region are (from the snapshot root).
pub fn region_path(region: &str) -> String {
    format!(
        "rankings/regions/{}/index.html",
        super::format::id_part(region)
    )
}

/// The regions of the ranking, in TI's order (unknown and blank regions have no page).
pub fn ranked_regions(model: &BuildModel) -> Vec<String> {
    let mut regions: Vec<String> = model
        .rankings
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .map(|r| r.region.trim().to_string())
        .filter(|r| !r.is_empty() && !r.eq_ignore_ascii_case("unknown"))
        .collect();
    regions.sort_by_key(|r| district_sort_key(r));
    regions.dedup();
    // a filter with one region would filter nothing
    if regions.len() < 2 {
        regions.clear();
    }
    regions
}

/// Top or bottom mark of a rank among `n`, none when the whole category tied.
fn mark(rank: u32, n: usize, tied: bool) -> &'static str {
    let n = n as u32;
    if tied || n <= 2 * EDGE {
        // in a tiny field every rank would be top or bottom: mark only first and last
        return match rank {
            _ if tied => "",
            1 => "top",
            r if r == n && n > 1 => "bottom",
            _ => "",
        };
    }
    if rank <= EDGE {
        "top"
    } else if rank > n - EDGE {
        "bottom"
    } else {
        ""
    }
}

fn pct_or_unknown(v: Option<f64>, growth: bool) -> String {
    match v {
        Some(v) if growth => signed_pct(v),
        Some(v) => pct(v),
        None => UNKNOWN.to_string(),
    }
}

/// The rankings rows, in ranking order, with links relative to the snapshot root.
pub fn rank_rows(rankings: &[Ranking], movement: &BTreeMap<String, Movement>) -> Vec<RankRow> {
    let n = rankings.len();
    let tied = |f: fn(&Ranking) -> u32| rankings.iter().all(|r| f(r) == 0);
    let (club_tied, pay_tied, dist_tied) = (
        tied(|r| r.club_growth_points),
        tied(|r| r.payment_growth_points),
        tied(|r| r.distinguished_points),
    );
    let overall_tied = tied(|r| r.borda_points);
    rankings
        .iter()
        .map(|r| RankRow {
            rank: r.overall_rank,
            rank_mark: mark(r.overall_rank, n, overall_tied),
            id: r.district_id.clone(),
            href: format!("districts/{}/index.html", r.district_id),
            region: r.region.clone(),
            points: r.borda_points,
            club_growth: Metric {
                value: pct_or_unknown(r.club_growth_pct, true),
                rank: r.club_growth_rank,
                mark: mark(r.club_growth_rank, n, club_tied),
            },
            payment_growth: Metric {
                value: pct_or_unknown(r.payment_growth_pct, true),
                rank: r.payment_growth_rank,
                mark: mark(r.payment_growth_rank, n, pay_tied),
            },
            distinguished: Metric {
                value: pct_or_unknown(r.distinguished_pct, false),
                rank: r.distinguished_rank,
                mark: mark(r.distinguished_rank, n, dist_tied),
            },
            movement: movement_cell(movement.get(&r.district_id)),
        })
        .collect()
}

/// The world ranking (home page, `region` `None`) or the districts of one region in world
/// rank order, on a page of their own so the filter works without JavaScript.
pub fn home(
    model: &BuildModel,
    status: &Status,
    t: &Templates,
    region: Option<&str>,
) -> Result<String> {
    let rankings: &[Ranking] = model.rankings.as_deref().unwrap_or(&[]);
    let root = if region.is_some() { "../../../" } else { "" };
    let mut regions: Vec<RegionLink> = ranked_regions(model)
        .into_iter()
        .map(|r| RegionLink {
            href: format!("{root}{}", region_path(&r)),
            current: region == Some(r.as_str()),
            label: format!("Region {r}"),
        })
        .collect();
    if !regions.is_empty() {
        regions.insert(
            0,
            RegionLink {
                label: "All regions".into(),
                href: format!("{root}index.html"),
                current: region.is_none(),
            },
        );
    }
    let mut equal_categories = Vec::new();
    if !rankings.is_empty() {
        for (name, f) in [
            (
                "club growth",
                (|r: &Ranking| r.club_growth_points) as fn(&Ranking) -> u32,
            ),
            ("payment growth", |r| r.payment_growth_points),
            ("distinguished clubs", |r| r.distinguished_points),
        ] {
            if rankings.iter().all(|r| f(r) == 0) {
                equal_categories.push(name);
            }
        }
    }
    let [rankings_csv, rankings_xlsx, all_clubs] =
        crate::render::downloads::world_files(model.dated.period.data_date);
    let mut downloads = Vec::new();
    if model.rankings.is_ok() {
        downloads.push(Link {
            text: format!("Rankings as CSV ({})", file_name(&rankings_csv)),
            href: format!("{root}{rankings_csv}"),
        });
        downloads.push(Link {
            text: format!(
                "Rankings as an Excel workbook ({})",
                file_name(&rankings_xlsx)
            ),
            href: format!("{root}{rankings_xlsx}"),
        });
    }
    if !model.districts.is_empty() {
        downloads.push(Link {
            text: format!(
                "Every club of the {} as CSV ({})",
                if model.districts.len() == 1 {
                    "district"
                } else {
                    "districts"
                },
                file_name(&all_clubs)
            ),
            href: format!("{root}{all_clubs}"),
        });
    }
    let mut rows = rank_rows(rankings, &model.history.movement);
    if let Some(region) = region {
        rows.retain(|r| r.region.trim() == region);
        for r in &mut rows {
            r.href = format!("{root}{}", r.href);
        }
    }
    // Without TI's summary the home page lists the districts it has (issue 14 item 6).
    let available = model.rankings.is_ok();
    let districts = if available {
        Vec::new()
    } else {
        super::home::districts(model)
    };
    let view = HomeView {
        page: Page {
            title: match region {
                Some(r) => format!("Rankings of region {r}"),
                None if available => "World district rankings".into(),
                None => "Districts".into(),
            },
            root: root.into(),
            path: region.map_or("index.html".into(), region_path),
            nav: "rankings",
            data: vec![if available {
                Link {
                    href: format!("{root}{API}/rankings.json"),
                    text: "rankings.json".into(),
                }
            } else {
                Link {
                    href: format!("{root}{API}/districts.json"),
                    text: "districts.json".into(),
                }
            }],
            sortable: available,
            description: match region {
                Some(r) => format!(
                    "Toastmasters districts of region {r} by world rank (Borda count), {}",
                    status.data_month
                ),
                None if available => format!(
                    "Toastmasters districts ranked by Borda count, {}",
                    status.data_month
                ),
                None => format!(
                    "Toastmasters districts: clubs, members and distinguished clubs, {}",
                    status.data_month
                ),
            },
        },
        status,
        available,
        count: rankings.len(),
        rows,
        regions,
        region: region.map(|r| format!("Region {r}")),
        region_totals: region.and_then(|r| super::regions::totals_line(model, r)),
        leaderboard_href: super::regions::has_leaderboard(model)
            .then(|| format!("{root}{}", super::regions::PATH)),
        movement_since: rankings_history::movement_since(&model.history.movement),
        history_href: format!("{root}{}", rankings_history::PATH),
        downloads,
        equal_categories,
        any_unknown: rankings
            .iter()
            .any(|r| r.club_growth_pct.is_none() || r.payment_growth_pct.is_none()),
        any_on_track: districts.iter().any(|d| d.on_track),
        code_notes: code_notes(model),
        districts,
    };
    t.render("index.html", &view)
}

/// The last part of a path.
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[derive(Serialize)]
struct PlainView<'a> {
    page: Page,
    status: &'a Status,
    district_count: usize,
    /// The stylesheet and icon, inlined where relative links cannot be trusted (404).
    inline_css: &'a str,
    inline_icon: &'a str,
    /// The snapshot's top folders as a JSON array, for the 404 page's script.
    top_folders: String,
}

/// The methodology page: prose in the template, every rule table from `super::rules`.
#[derive(Serialize)]
struct MethodologyView<'a> {
    #[serde(flatten)]
    plain: PlainView<'a>,
    rules: super::rules::Rules,
    deadlines: super::deadlines::DeadlinesView,
    actions: crate::recognition::actions::Thresholds,
}

pub fn methodology(model: &BuildModel, status: &Status, t: &Templates) -> Result<String> {
    let plain = PlainView {
        page: Page {
            title: "How the figures are computed".into(),
            root: "../".into(),
            path: "methodology/index.html".into(),
            nav: "methodology",
            data: vec![Link {
                href: status.placement.href("../", "snapshot.json"),
                text: "snapshot.json".into(),
            }],
            sortable: false,
            description: "How toaststats ranks districts and computes every figure".into(),
        },
        status,
        district_count: model.rankings.as_ref().map_or(0, Vec::len),
        inline_css: "",
        inline_icon: "",
        top_folders: String::new(),
    };
    let view = MethodologyView {
        plain,
        rules: super::rules::rules(model.dated.period.data_date),
        deadlines: super::deadlines::view(model.dated.period.data_date),
        actions: crate::recognition::actions::thresholds(),
    };
    t.render("methodology.html", &view)
}

/// The page hosts show for any missing address, at any depth: its links lead under the
/// configured base path, else (relative to the root) a small script in the template
/// finds the root from the address.
pub fn not_found(
    status: &Status,
    t: &Templates,
    css: &str,
    icon: &str,
    top_folders: &[String],
) -> Result<String> {
    let root = status.base_path.clone().unwrap_or_default();
    let view = PlainView {
        page: Page {
            title: "Page not found".into(),
            path: String::new(),
            nav: "",
            data: vec![Link {
                href: format!("{root}snapshot.json"),
                text: "snapshot.json".into(),
            }],
            sortable: false,
            description: "This page does not exist in this snapshot".into(),
            root,
        },
        status,
        district_count: 0,
        inline_css: css,
        inline_icon: icon,
        // folder names are plain ids (`api`, `districts`): no `<` to escape
        top_folders: serde_json::to_string(top_folders)?,
    };
    t.render("404.html", &view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_top_and_bottom_three() {
        assert_eq!(mark(1, 12, false), "top");
        assert_eq!(mark(3, 12, false), "top");
        assert_eq!(mark(4, 12, false), "");
        assert_eq!(mark(10, 12, false), "bottom");
        assert_eq!(mark(9, 12, false), "");
        assert_eq!(mark(1, 12, true), "");
        assert_eq!(mark(1, 4, false), "top");
        assert_eq!(mark(4, 4, false), "bottom");
        assert_eq!(mark(2, 4, false), "");
    }
}
