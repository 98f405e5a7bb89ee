//! What every page carries (where the snapshot root is, the data month, the as-of date,
//! the closing flag, links to its JSON) and the figures several pages share: headline
//! cards of a district and region ranks.

use super::format::{self, UNKNOWN, int, long_date, ordinal, signed, signed_pct};
use super::words::level_word;
use crate::model::{Level, SummaryRow};
use crate::rank::Ranking;
use crate::recognition::level::level_exists;
use crate::render::BuildModel;
use crate::render::BuiltDistrict;
use crate::stats::Totals;
use chrono::Datelike;
use serde::Serialize;
use std::collections::HashMap;

/// The dates and flags every page states (issue 4: "Every page").
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// `April 2026`.
    pub data_month: String,
    /// The data date in words, `22 September 2026` (the month's last day while closing).
    pub data_date: String,
    /// The same date as `YYYY-MM-DD`, for the age script (`assets/age.js`).
    pub data_date_iso: String,
    /// The snapshot's own data date, `YYYY-MM-DD`: a page shown at an older date of its
    /// own (a stale district) still belongs to it, so the age script announces newer
    /// figures only when the site's are newer than this.
    pub site_data_date_iso: String,
    /// `20 April 2026`; `None` when the exports had no footer.
    pub as_of: Option<String>,
    pub collection_date: String,
    pub closing: bool,
    /// `2025–2026`.
    pub program_year: String,
    /// The program year is over and its figures are final (the data is of its last day
    /// and TI has finished closing it): pages say "final" instead of "provisional".
    pub year_final: bool,
    pub tool_version: &'static str,
    pub rules_version: &'static str,
    pub schema_version: &'static str,
    /// True from July to March, when TI publishes no distinguished codes yet.
    pub before_april: bool,
    /// Districts whose files failed validation: the snapshot is partial.
    pub failed_districts: Vec<String>,
    /// Built from the synthetic sample, not TI's data: every page says so in a banner.
    pub synthetic: bool,
    /// The site's public address ending in `/` (`site_url`), when configured: pages
    /// state their `og:url` under it.
    pub site_url: Option<String>,
    /// Its path (`/d61/`): the 404 page links under it, as it is shown at any depth.
    pub base_path: Option<String>,
    /// The page is an archive copy of a closed month (its banner says so).
    pub archive: Option<ArchiveNote>,
    /// From a page's own root (`page.root`) to the snapshot's: `""` for the current
    /// pages, `"../../"` in `archive/<month>/` (the snapshot metadata is only there).
    pub snapshot_up: &'static str,
    /// Club pages are in this render: pages link club names only then.
    pub club_pages: bool,
    /// The snapshot archives closed months (the footer links the archive's index).
    pub placement_archived: bool,
    /// Where the render's pages sit and which months they can link in the archive.
    #[serde(skip)]
    pub placement: crate::render::archive::Placement,
}

/// What an archive page states about itself.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveNote {
    /// `October 2026`.
    pub month: String,
    /// `archive/2026-10/`: the page's address under the site URL starts with it.
    pub prefix: String,
}

impl Status {
    pub fn of(
        model: &BuildModel,
        provenance: crate::render::json::Provenance,
        site: Option<&SiteAddress>,
        placement: &crate::render::archive::Placement,
    ) -> Status {
        let d = &model.dated;
        let (year, month) = d.period.data_month;
        Status {
            data_month: format::month(year, month),
            data_date: long_date(d.period.data_date),
            data_date_iso: d.period.data_date.to_string(),
            site_data_date_iso: d.period.data_date.to_string(),
            as_of: d.as_of_date.map(long_date),
            collection_date: long_date(d.collection_date),
            // A closed month's last collection holds TI's final figures, even one made
            // during the close (a build of an earlier date, an archived month).
            closing: d.period.closing && !model.month_closed,
            program_year: format::year_range(&model.program_year),
            year_final: year_final(d.period.data_date, d.period.closing && !model.month_closed),
            tool_version: env!("CARGO_PKG_VERSION"),
            rules_version: crate::RULES_VERSION,
            schema_version: crate::render::json::SCHEMA_VERSION,
            before_april: before_april(month),
            failed_districts: model.failed.iter().map(|(id, _)| id.clone()).collect(),
            synthetic: provenance.synthetic,
            site_url: site.map(|s| s.url.clone()),
            base_path: site.map(|s| s.base_path.clone()),
            archive: placement.archive_of.map(|m| ArchiveNote {
                month: format::month(m.year(), m.month()),
                prefix: format!("{}/", crate::render::archive::month_dir(m)),
            }),
            snapshot_up: placement.snapshot_up(),
            club_pages: placement.club_pages,
            placement_archived: !placement.archived.is_empty(),
            placement: placement.clone(),
        }
    }
}

/// A program year's figures are final once its last day (30 June) is the data date and
/// TI has finished closing it.
pub fn year_final(data_date: chrono::NaiveDate, closing: bool) -> bool {
    let start = crate::cache::footer::program_year_start(data_date);
    !closing
        && chrono::NaiveDate::from_ymd_opt(start + 1, 6, 30).is_some_and(|end| data_date >= end)
}

/// Where the site is published, from `site_url` (checked when the build starts).
#[derive(Debug, Clone, PartialEq)]
pub struct SiteAddress {
    /// `https://x.github.io/d61/`.
    pub url: String,
    /// `/d61/`.
    pub base_path: String,
}

impl SiteAddress {
    pub fn parse(site_url: &str) -> anyhow::Result<SiteAddress> {
        Ok(SiteAddress {
            url: crate::config::site_root_url(site_url)?,
            base_path: crate::config::base_path(Some(site_url))?,
        })
    }
}

/// From July to March TI publishes no distinguished codes yet.
pub fn before_april(month: u32) -> bool {
    !(4..=6).contains(&month)
}

/// A link with its text; `href` is relative to the page.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub href: String,
    pub text: String,
}

/// The frame of a page: title, where the root is, which nav entry is current, its data.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub title: String,
    /// Prefix from this page to the snapshot root: `""`, `"../"`, `"../../"`; on the 404
    /// page the site's base path (`/d61/`) when one is configured.
    pub root: String,
    /// This page's path from the snapshot root (`districts/61/index.html`): its address
    /// under the configured site URL (`og:url`); empty on the 404 page, which has none.
    pub path: String,
    /// `rankings`, `districts`, `methodology` or empty.
    pub nav: &'static str,
    /// The JSON (and CSV) the page was built from.
    pub data: Vec<Link>,
    /// Load the optional table-sorting script.
    pub sortable: bool,
    pub description: String,
}

/// One headline figure of a district.
/// The label of the on-track figure wherever it is shown: cards, tables and charts.
pub const DISTINGUISHED_ON_TRACK: &str = "Distinguished clubs on track";

#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub label: &'static str,
    pub value: String,
    pub details: Vec<String>,
    pub unknown: bool,
}

impl Card {
    pub(super) fn known(label: &'static str, value: String, details: Vec<String>) -> Card {
        Card {
            label,
            value,
            details,
            unknown: false,
        }
    }

    pub(super) fn unknown(label: &'static str, why: String) -> Card {
        Card {
            label,
            value: UNKNOWN.to_string(),
            details: vec![why],
            unknown: true,
        }
    }
}

/// A district's rank among the districts of its region.
#[derive(Debug, Clone, Copy)]
pub struct RegionRank {
    pub overall: u32,
    pub club_growth: u32,
    pub payment_growth: u32,
    pub distinguished: u32,
    pub districts: usize,
}

/// Standard competition ranks (1, 1, 3) of `values`, higher first.
fn competition_ranks(values: &[f64]) -> Vec<u32> {
    values
        .iter()
        .map(|v| 1 + values.iter().filter(|o| *o > v).count() as u32)
        .collect()
}

/// Region ranks (DOMAIN.md §4.7) of every ranked district whose region is known.
pub fn region_ranks(rankings: &[Ranking]) -> HashMap<&str, RegionRank> {
    let mut by_region: HashMap<&str, Vec<&Ranking>> = HashMap::new();
    for r in rankings {
        let region = r.region.trim();
        if !region.is_empty() && !region.eq_ignore_ascii_case("unknown") {
            by_region.entry(region).or_default().push(r);
        }
    }
    let mut out = HashMap::new();
    for members in by_region.values() {
        let col = |f: fn(&Ranking) -> f64| {
            competition_ranks(&members.iter().map(|r| f(r)).collect::<Vec<_>>())
        };
        let overall = col(|r| r.borda_points as f64);
        let club = col(|r| r.club_growth_pct.unwrap_or(0.0));
        let pay = col(|r| r.payment_growth_pct.unwrap_or(0.0));
        let dist = col(|r| r.distinguished_pct.unwrap_or(0.0));
        for (i, r) in members.iter().enumerate() {
            out.insert(
                r.district_id.as_str(),
                RegionRank {
                    overall: overall[i],
                    club_growth: club[i],
                    payment_growth: pay[i],
                    distinguished: dist[i],
                    districts: members.len(),
                },
            );
        }
    }
    out
}

/// The one sentence a district page opens with when some of TI's reports were not
/// collected: which, and what is unknown for it. The cards and tables then just say
/// "unknown" instead of repeating why; build messages and file names stay in the page's
/// "About this data" section.
pub fn missing_reports(
    has_summary: bool,
    has_district_report: bool,
    has_division_report: bool,
) -> Option<String> {
    let mut reports = Vec::new();
    let mut unknown = Vec::new();
    if !has_summary {
        reports.push("district summary");
        unknown.extend([
            "the paid club and payment bases",
            "the district tier",
            "the world ranking",
        ]);
    }
    if !has_district_report {
        reports.push("district report");
        unknown.extend([
            if has_summary {
                "the payments of each club, division and area"
            } else {
                "payments"
            },
            "April renewals",
        ]);
    }
    if !has_division_report {
        reports.push("division report");
        unknown.extend(["club visits", "TI's published area and division status"]);
    }
    let list = |items: &[&str]| match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    (!reports.is_empty()).then(|| {
        format!(
            "TI's {} for this date {} not collected, so {} are unknown.",
            list(&reports),
            if reports.len() == 1 { "was" } else { "were" },
            list(&unknown),
        )
    })
}

/// Why a district has no ranking: the ranking is unavailable, or the summary lacks it.
pub fn no_ranking_reason(model: &BuildModel) -> String {
    match &model.rankings {
        // the only reason a ranking is unavailable is a missing summary (a bad one fails
        // the build); the build's own message names the file and stays in the warnings
        Err(_) => "not ranked: districts are ranked from TI's district summary".into(),
        Ok(_) => "not ranked: the district is not in TI's district summary for this date".into(),
    }
}

/// The headline figures of a district from whatever this snapshot has: the club totals
/// (when its club report was built) and TI's summary row and ranking (when present).
pub fn headline(
    model: &BuildModel,
    id: &str,
    built: Option<&BuiltDistrict>,
    region_rank: Option<RegionRank>,
) -> Vec<Card> {
    let totals: Option<&Totals> = built.map(|b| &b.stats.totals);
    let summary: Option<&SummaryRow> = model.summary_row(id);
    let ranking = model.ranking(id);
    let no_clubs = "TI's club report of this district was not collected for this date";
    let mut cards = Vec::with_capacity(6);

    let paid = crate::render::figures::paid_clubs(built, summary);
    cards.push(match paid {
        None => Card::unknown("Paid clubs", no_clubs.to_string()),
        Some((paid, note)) => {
            let mut details = vec![match summary {
                Some(s) => format!(
                    "base {}: {} ({})",
                    int(s.paid_club_base),
                    signed(paid - s.paid_club_base),
                    s.club_growth_pct
                        .map_or("growth N/A from TI".to_string(), signed_pct)
                ),
                None => "base unknown: it is in TI's district summary".to_string(),
            }];
            details.extend(note);
            Card::known("Paid clubs", int(paid), details)
        }
    });

    cards.push(match totals {
        Some(t) => Card::known(
            "Active members",
            int(t.active_members),
            vec![format!(
                "base {}: {}",
                int(t.membership_base),
                signed(t.net_growth)
            )],
        ),
        None => Card::unknown("Active members", no_clubs.to_string()),
    });

    let payments = totals
        .and_then(|t| t.payments)
        .or(summary.map(|s| s.total_payments));
    cards.push(match payments {
        None => Card::unknown("Payments", "not in the reports collected".into()),
        Some(p) => Card::known(
            "Payments",
            int(p),
            vec![match summary {
                Some(s) => format!(
                    "base {}: {} ({})",
                    int(s.payment_base),
                    signed(p - s.payment_base),
                    s.payment_growth_pct
                        .map_or("growth N/A from TI".to_string(), signed_pct)
                ),
                None => "base unknown: it is in TI's district summary".to_string(),
            }],
        ),
    });

    // Three named figures (issue 20 item 4): on track (the levels the clubs' current
    // figures meet: the card's value, as in every table and chart), reached (confirmed)
    // and TI's own codes. A summary-only district has TI's summary figure, named so.
    let date = built
        .and_then(|b| b.stale.as_ref())
        .map_or(model.dated.period.data_date, |s| s.data_date);
    let py_start = crate::cache::footer::program_year_start(date);
    let by_level = |l: [i64; 4]| {
        let words = [Level::D, Level::S, Level::P, Level::M]
            .iter()
            .zip(l)
            .filter(|(level, n)| level_exists(py_start, **level) && *n > 0)
            .map(|(level, n)| format!("{} {}", int(n), level_word(*level)))
            .collect::<Vec<_>>()
            .join(", ");
        if words.is_empty() {
            "none".to_string()
        } else {
            words
        }
    };
    cards.push(match (built, summary) {
        (Some(b), _) => {
            let t = &b.stats.totals;
            // by level: in the recognition section's table
            let mut details = vec![match t.distinguished_reached {
                Some(n) => format!("reached (confirmed): {}", int(n)),
                None => format!(
                    "reached (confirmed): {UNKNOWN}, the April renewals are in the district report, not collected"
                ),
            }];
            details.push(if b.recognition.provisional {
                format!(
                    "published by TI: {} (from April)",
                    int(t.distinguished_ti_code)
                )
            } else {
                format!("published by TI: {}", int(t.distinguished_ti_code))
            });
            Card::known(
                DISTINGUISHED_ON_TRACK,
                int(t.distinguished_on_track),
                details,
            )
        }
        (None, Some(s)) => {
            let l = [
                s.distinguished_clubs_base_tier,
                s.select_distinguished_clubs,
                s.presidents_distinguished_clubs,
                s.smedley_distinguished_clubs.unwrap_or(0),
            ];
            Card::known(
                "Distinguished clubs (TI's summary)",
                int(s.distinguished_clubs),
                vec![by_level(l)],
            )
        }
        (None, None) => Card::unknown(DISTINGUISHED_ON_TRACK, no_clubs.to_string()),
    });

    let count = model.rankings.as_ref().map_or(0, Vec::len);
    // one card for both ranks: the world rank, then the region's
    cards.push(match ranking {
        Some(r) => Card::known(
            "World rank",
            format!("{} of {}", ordinal(r.overall_rank), count),
            vec![
                match region_rank {
                    Some(rr) => format!(
                        "region {}: {} of {}",
                        r.region,
                        ordinal(rr.overall),
                        rr.districts
                    ),
                    None => "region rank unknown: TI gives no region for this district".into(),
                },
                format!("{} Borda points", r.borda_points),
            ],
        ),
        None => Card::unknown("World rank", no_ranking_reason(model)),
    });
    cards
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn competition_ranking_in_a_region() {
        assert_eq!(competition_ranks(&[5.0, 7.0, 7.0, 1.0]), vec![3, 1, 1, 4]);
    }
}
