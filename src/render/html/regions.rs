//! The regions leaderboard page (`rankings/regions/index.html`, issue 22): every numbered
//! region with its totals and standing ([`crate::regions`]), and the totals line of each
//! region's own rankings page.

use super::common::{Link, Page, Status};
use super::format::{UNKNOWN, int, ordinal, pct, signed_pct};
use super::pages::region_path;
use super::templates::Templates;
use crate::regions::{RegionStanding, standings};
use crate::render::BuildModel;
use crate::render::json::API;
use anyhow::Result;
use serde::Serialize;

/// Where the leaderboard sits, from the snapshot root.
pub const PATH: &str = "rankings/regions/index.html";

#[derive(Serialize)]
struct View<'a> {
    page: Page,
    status: &'a Status,
    rows: Vec<Row>,
    /// Districts in no numbered region (district U's `DNAR`, blank regions).
    outside: Vec<Link>,
}

#[derive(Serialize)]
struct Row {
    standing: String,
    region: String,
    href: String,
    districts: usize,
    paid_clubs: String,
    club_growth: String,
    payments: String,
    payment_growth: String,
    distinguished: String,
    distinguished_share: String,
    points: u32,
    best: Link,
}

fn share(v: Option<f64>, signed: bool) -> String {
    v.map_or(UNKNOWN.to_string(), |v| {
        if signed { signed_pct(v) } else { pct(v) }
    })
}

/// Whether the snapshot has a leaderboard: TI's summary ranks districts of two or more
/// numbered regions.
pub fn has_leaderboard(model: &BuildModel) -> bool {
    model
        .rankings
        .as_ref()
        .is_ok_and(|r| standings(r).len() >= 2)
}

pub fn page(model: &BuildModel, status: &Status, t: &Templates) -> Result<String> {
    let root = "../../";
    let rankings = model.rankings.as_deref().unwrap_or(&[]);
    let all = standings(rankings);
    let rows = all
        .iter()
        .map(|r| Row {
            standing: tied(r, &all),
            region: r.region.clone(),
            href: format!("{root}{}", region_path(&r.region)),
            districts: r.districts,
            paid_clubs: format!("{} of {}", int(r.paid_clubs), int(r.paid_club_base)),
            club_growth: share(r.club_growth_pct, true),
            payments: format!("{} of {}", int(r.total_payments), int(r.payment_base)),
            payment_growth: share(r.payment_growth_pct, true),
            distinguished: int(r.distinguished_clubs),
            distinguished_share: share(r.distinguished_pct, false),
            points: r.borda_points,
            best: Link {
                href: format!("{root}districts/{}/index.html", r.best_district.0),
                text: format!("{} ({})", r.best_district.0, ordinal(r.best_district.1)),
            },
        })
        .collect();
    let outside = rankings
        .iter()
        .filter(|r| !crate::regions::is_numbered(&r.region))
        .map(|r| Link {
            href: format!("{root}districts/{}/index.html", r.district_id),
            text: format!("{} ({})", r.district_id, r.region.trim()),
        })
        .collect();
    let view = View {
        page: Page {
            title: "Regions".into(),
            root: root.into(),
            path: PATH.into(),
            nav: "rankings",
            data: vec![Link {
                href: format!("{root}{API}/rankings.json"),
                text: "rankings.json".into(),
            }],
            sortable: true,
            description: format!(
                "Toastmasters regions: their districts' totals and standing, {}",
                status.data_month
            ),
        },
        status,
        rows,
        outside,
    };
    t.render("regions.html", &view)
}

/// `2`, or `=2` when another region has the same standing.
fn tied(r: &RegionStanding, all: &[RegionStanding]) -> String {
    let shared = all.iter().filter(|o| o.standing == r.standing).count() > 1;
    format!("{}{}", if shared { "=" } else { "" }, r.standing)
}

/// The totals line of a region's rankings page: its standing and sums; `None` for a
/// region outside the leaderboard.
pub fn totals_line(model: &BuildModel, region: &str) -> Option<String> {
    let all = standings(model.rankings.as_deref().ok()?);
    let r = all.iter().find(|r| r.region == region)?;
    Some(format!(
        "Region {} stands {} of {} regions with {} Borda points. Its {} {} have {} paid clubs of a base of {} ({}), {} payments of a base of {} ({}) and {} distinguished clubs ({} of the base). Its best district is {}, {} in the world.",
        r.region,
        ordinal(r.standing),
        all.len(),
        r.borda_points,
        r.districts,
        if r.districts == 1 {
            "district"
        } else {
            "districts"
        },
        int(r.paid_clubs),
        int(r.paid_club_base),
        share(r.club_growth_pct, true),
        int(r.total_payments),
        int(r.payment_base),
        share(r.payment_growth_pct, true),
        int(r.distinguished_clubs),
        share(r.distinguished_pct, false),
        r.best_district.0,
        ordinal(r.best_district.1),
    ))
}
