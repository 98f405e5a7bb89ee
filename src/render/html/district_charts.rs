//! The charts of a district page and their table equivalents: clubs by distinguished
//! level (the whole district, then each division) and active members against the
//! membership base of each division.

use super::charts::{self, LevelRow, PairRow};
use super::format::{UNKNOWN, int, signed, signed_pct};
use crate::model::{Club, Level};
use crate::recognition::assess::counted_level;
use crate::recognition::level::level_exists;
use crate::render::BuiltDistrict;
use serde::Serialize;

/// What the charts section of a district page shows.
#[derive(Debug, Default, Serialize)]
pub(super) struct ChartsView {
    levels_chart: String,
    members_chart: String,
    /// The level names as column headings, with a soft hyphen where a long one may break.
    level_names: Vec<String>,
    /// The level chart and table count the levels clubs are on track for (before April).
    levels_provisional: bool,
    levels: Vec<LevelLine>,
    members: Vec<MemberLine>,
}

/// A row of the distinguished-levels table (the chart's text equivalent).
#[derive(Debug, Serialize)]
struct LevelLine {
    label: String,
    counts: Vec<String>,
    clubs: String,
}

/// A row of the membership chart's table: the division's figures and its change.
#[derive(Debug, Serialize)]
struct MemberLine {
    label: String,
    base: String,
    members: String,
    change: String,
    change_pct: String,
}

/// A heading that may break inside its long words ("Distin-guished", "Presi-dent's"), so
/// a table of the five levels fits a chart's column without a sideways scroll.
fn breakable_heading(name: &str) -> String {
    name.replace("guished", "\u{ad}guished")
        .replace("President", "Presi\u{ad}dent")
}

/// Clubs by level (D, S, P, M, none) counted as the units and cards count them: TI's
/// codes from April, before April the levels the clubs are on track for.
fn level_counts<'a>(clubs: impl Iterator<Item = &'a Club>, provisional: bool) -> [i64; 5] {
    let mut counts = [0; 5];
    for c in clubs {
        let slot = match counted_level(c, provisional) {
            Some(Level::D) => 0,
            Some(Level::S) => 1,
            Some(Level::P) => 2,
            Some(Level::M) => 3,
            None => 4,
        };
        counts[slot] += 1;
    }
    counts
}

/// The charts of built district `b`, whose program year starts in `py_start`.
pub(super) fn charts_view(b: &BuiltDistrict, py_start: i32) -> ChartsView {
    let d = &b.district;
    let s = &b.stats;
    let provisional = b.recognition.provisional;
    let mut out = ChartsView {
        levels_provisional: provisional,
        ..ChartsView::default()
    };
    let mut level_rows = vec![LevelRow {
        label: "All".into(),
        counts: level_counts(d.clubs.iter(), provisional),
    }];
    level_rows.extend(s.divisions.iter().map(|dv| LevelRow {
        label: dv.division_id.clone(),
        counts: level_counts(
            d.clubs.iter().filter(|c| c.division_id == dv.division_id),
            provisional,
        ),
    }));
    out.levels_chart = charts::level_bars(&level_rows, "levels-caption");
    // the table leaves out a level the program year does not have (Smedley before 2025-26)
    let shown: Vec<bool> = [Level::D, Level::S, Level::P, Level::M]
        .iter()
        .map(|&l| level_exists(py_start, l))
        .chain([true])
        .collect();
    out.level_names = charts::LEVEL_NAMES
        .iter()
        .zip(&shown)
        .filter(|(_, s)| **s)
        .map(|(n, _)| breakable_heading(n))
        .collect();
    out.levels = level_rows
        .iter()
        .map(|r| LevelLine {
            label: if r.label == "All" {
                "Whole district".to_string()
            } else {
                super::words::division_name(&r.label)
            },
            counts: r
                .counts
                .iter()
                .zip(&shown)
                .filter(|(_, s)| **s)
                .map(|(n, _)| int(*n))
                .collect(),
            clubs: int(r.counts.iter().sum()),
        })
        .collect();
    let pairs: Vec<PairRow> = s
        .divisions
        .iter()
        .map(|dv| PairRow {
            label: dv.division_id.clone(),
            base: dv.totals.membership_base,
            value: dv.totals.active_members,
        })
        .collect();
    out.members_chart = charts::membership_bars(&pairs, "members-caption");
    out.members = pairs
        .iter()
        .map(|p| MemberLine {
            label: super::words::division_name(&p.label),
            base: int(p.base),
            members: int(p.value),
            change: signed(p.value - p.base),
            change_pct: charts::change_pct(p).map_or(UNKNOWN.to_string(), signed_pct),
        })
        .collect();
    out
}
