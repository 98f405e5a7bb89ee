//! The recognition parts of a district page (issue 7): the district tier with its gap to
//! the next tier, clubs by level (ours next to TI's codes) and by health, each area's and
//! division's status and the clubs close to Distinguished (per-club cells are in
//! `club_cells.rs`). Everything here only words figures that `crate::recognition`
//! computed; no rule is decided or repeated here.

use super::common::Card;
use super::format::{UNKNOWN, int, long_date, pct, signed, signed_pct};
use super::words::level_word;
use crate::model::{Level, LevelCounts};
use crate::recognition::assess::DistrictReport;
use crate::recognition::district::{DISTRICT_ERAS, DistrictRecognition, Tier};
use crate::recognition::level::level_exists;
use crate::recognition::units::{UnitRecognition, VISITS_UNKNOWN};
use crate::render::BuiltDistrict;
use chrono::NaiveDate;
use serde::Serialize;

pub fn tier_name(t: Tier) -> &'static str {
    match t {
        Tier::Distinguished => "Distinguished District",
        Tier::Select => "Select Distinguished District",
        Tier::Presidents => "President's Distinguished District",
        Tier::Smedley => "Smedley Distinguished District",
    }
}

pub(super) fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{} {}", int(n), if n == 1 { one } else { many })
}

/// One measure of the gap to the next district tier.
#[derive(Debug, Serialize)]
pub struct GapRow {
    measure: &'static str,
    ours: String,
    needed: String,
    short: String,
}

/// A row of the clubs-by-level table.
#[derive(Debug, Serialize)]
pub struct LevelCountRow {
    label: String,
    ours: String,
    ti: String,
    differs: bool,
}

/// A row of the club-health table.
#[derive(Debug, Serialize)]
pub struct HealthRow {
    label: &'static str,
    clubs: String,
    share: String,
}

/// The recognition summary near the district's headline.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// Before April: our levels are projections ("on track for").
    provisional: bool,
    /// `reached`, `not_reached` or `unknown`.
    tier_state: &'static str,
    tier: String,
    tier_notes: Vec<String>,
    gap_tier: String,
    gap: Vec<GapRow>,
    levels: Vec<LevelCountRow>,
    health: Vec<HealthRow>,
    parity: Vec<String>,
    /// Clubs with a level by our rules, and by TI's codes.
    distinguished: String,
    distinguished_ti: String,
    thriving: String,
    /// From April thriving is the distinguished test itself: the card says so when the
    /// counts are equal, so a reader does not take it for a slip.
    thriving_is_distinguished: bool,
    clubs: String,
    /// The next tier's gap as counts: `President's Distinguished District needs 18 more
    /// payments, 1 more paid club and 4 more distinguished clubs`.
    #[serde(skip)]
    gap_counts: Option<String>,
    /// The last day of the program year, while the tier is provisional.
    #[serde(skip)]
    final_on: Option<NaiveDate>,
}

impl Summary {
    /// The tier as a headline card: the tier, the next one's gap as counts, unmet or
    /// unknown prerequisites, and until when it is provisional.
    pub fn tier_card(&self) -> Card {
        let mut details: Vec<String> = self.gap_counts.iter().cloned().collect();
        details.extend(
            self.tier_notes
                .iter()
                .filter(|n| n.as_str() != MEASURES_SHORT && !n.starts_with("provisional"))
                .cloned(),
        );
        if let (Some(end), true) = (self.final_on, self.tier_state != "unknown") {
            details.push(format!("final on {}", long_date(end)));
        }
        Card {
            label: "District tier",
            value: self.tier.clone(),
            details,
            unknown: self.tier_state == "unknown",
        }
    }
}

/// What the next tier still needs, as counts, in a sentence.
fn gap_counts(rec: &DistrictRecognition) -> Option<String> {
    let g = rec.gap_to_next.as_ref()?;
    let mut parts = Vec::new();
    for (n, one, many) in [
        (
            g.more_distinguished_clubs,
            "more distinguished club",
            "more distinguished clubs",
        ),
        (g.more_paid_clubs, "more paid club", "more paid clubs"),
        (g.more_payments, "more payment", "more payments"),
    ] {
        if n > 0 {
            parts.push(super::words::count(n, one, many));
        }
    }
    let last = parts.pop()?;
    let all = if parts.is_empty() {
        last
    } else {
        format!("{} and {last}", parts.join(", "))
    };
    Some(format!("{} needs {all}", tier_name(g.tier)))
}

/// The note of a tier not reached on its measures (the gap table below says by how much).
const MEASURES_SHORT: &str = "the growth and distinguished-club measures are short (below)";

/// The tier of `rec`, measured on `data_date` of the program year starting `py_start`.
fn tier_lines(
    rec: Option<&DistrictRecognition>,
    data_date: NaiveDate,
    py_start: i32,
    closing: bool,
) -> (&'static str, String, Vec<String>) {
    let Some(r) = rec else {
        return (
            "unknown",
            UNKNOWN.into(),
            vec!["needs TI's district summary".into()],
        );
    };
    let mut notes = Vec::new();
    let names = |ps: &[crate::recognition::district::Prerequisite]| {
        ps.iter().map(|p| p.name()).collect::<Vec<_>>().join("; ")
    };
    if !r.prerequisites_unmet.is_empty() {
        notes.push(format!(
            "prerequisites not met: {}",
            names(&r.prerequisites_unmet)
        ));
    }
    if !r.prerequisites_unknown.is_empty() {
        notes.push(format!(
            "prerequisites not in the summary: {}",
            names(&r.prerequisites_unknown)
        ));
    }
    let year_end = NaiveDate::from_ymd_opt(py_start + 1, 6, 30);
    let provisional = closing || year_end.is_some_and(|e| data_date < e);
    let (state, tier) = match (r.determined, r.tier) {
        (false, _) => {
            if let Some(why) = &r.unknown_reason {
                notes.insert(0, why.clone());
            }
            ("unknown", UNKNOWN.to_string())
        }
        (true, Some(t)) => ("reached", tier_name(t).to_string()),
        (true, None) => {
            if r.prerequisites_unmet.is_empty() {
                notes.insert(0, MEASURES_SHORT.into());
            }
            ("not_reached", "not reached".to_string())
        }
    };
    if provisional && state != "unknown" {
        notes.push(match year_end {
            Some(e) => format!(
                "provisional: measured on {}; final when the program year ends on {}",
                long_date(data_date),
                long_date(e)
            ),
            None => "provisional".into(),
        });
    }
    (state, tier, notes)
}

fn gap_rows(rec: &DistrictRecognition, py_start: i32) -> (String, Vec<GapRow>) {
    let Some(g) = &rec.gap_to_next else {
        return (String::new(), Vec::new());
    };
    let rule = DISTRICT_ERAS
        .iter()
        .rev()
        .find(|e| e.from_year <= py_start)
        .and_then(|e| e.tiers.iter().find(|t| t.tier == g.tier));
    // the gap between two percentages is in percentage points, not percent
    let points = |v: f64| {
        if v > 0.0 {
            format!("{v:.2} percentage points")
        } else {
            "met".into()
        }
    };
    let opt = |v: Option<f64>, f: fn(f64) -> String| v.map_or(UNKNOWN.to_string(), f);
    let rows = vec![
        GapRow {
            measure: "Payment growth",
            ours: opt(rec.payment_growth_pct, signed_pct),
            needed: rule.map_or(UNKNOWN.into(), |t| signed_pct(t.payment_growth)),
            short: points(g.payment_growth),
        },
        GapRow {
            measure: "Club growth",
            ours: opt(rec.club_growth_pct, signed_pct),
            needed: rule.map_or(UNKNOWN.into(), |t| signed_pct(t.club_growth)),
            short: points(g.club_growth),
        },
        GapRow {
            measure: "Distinguished clubs (of the paid club base)",
            ours: opt(rec.distinguished_pct, pct),
            needed: rule.map_or(UNKNOWN.into(), |t| pct(t.distinguished_pct)),
            short: points(g.distinguished_pct),
        },
        GapRow {
            measure: "Net clubs (paid clubs minus the base)",
            ours: signed(rec.net_clubs),
            needed: rule.map_or(UNKNOWN.into(), |t| {
                t.net_clubs.map_or("no condition".into(), signed)
            }),
            short: if g.net_clubs > 0 {
                plural(g.net_clubs, "club", "clubs")
            } else {
                "met".into()
            },
        },
    ];
    (tier_name(g.tier).to_string(), rows)
}

fn level_rows(
    ours: &LevelCounts,
    ti: &LevelCounts,
    provisional: bool,
    py_start: i32,
) -> Vec<LevelCountRow> {
    let get = |c: &LevelCounts, l: Level| match l {
        Level::D => c.d,
        Level::S => c.s,
        Level::P => c.p,
        Level::M => c.m,
    };
    Level::ALL
        .iter()
        .filter(|&&l| level_exists(py_start, l))
        .map(|&l| (level_word(l).to_string(), get(ours, l), get(ti, l)))
        .chain([("All levels".to_string(), ours.total(), ti.total())])
        .map(|(label, o, t)| LevelCountRow {
            label,
            ours: int(o),
            ti: if provisional {
                "not yet".into()
            } else {
                int(t)
            },
            differs: !provisional && o != t,
        })
        .collect()
}

fn health_rows(r: &DistrictReport, clubs: i64) -> Vec<HealthRow> {
    let h = &r.health;
    let share = |n: i64| {
        if clubs > 0 {
            format!("{:.0}%", n as f64 * 100.0 / clubs as f64)
        } else {
            UNKNOWN.into()
        }
    };
    [
        ("Thriving", h.thriving),
        ("Vulnerable", h.vulnerable),
        ("Intervention required", h.intervention_required),
    ]
    .into_iter()
    .map(|(label, n)| HealthRow {
        label,
        clubs: int(n),
        share: share(n),
    })
    .collect()
}

fn parity_lines(r: &DistrictReport) -> Vec<String> {
    let p = &r.parity;
    let mut out = Vec::new();
    let mut line = |checked: u64, agree: u64, what: &str, unit: (&str, &str)| {
        if checked > 0 {
            let unit = if checked == 1 { unit.0 } else { unit.1 };
            out.push(format!("{what} for {agree} of {checked} {unit}"));
        }
    };
    let clubs = ("club", "clubs");
    line(
        p.clubs_checked,
        p.goals_agree,
        "the goal counts computed here agree with TI's",
        clubs,
    );
    line(
        p.levels_checked,
        p.levels_agree,
        "the levels computed here with TI's published codes",
        clubs,
    );
    line(
        p.areas_checked,
        p.areas_agree,
        "the area status computed here with TI's published status",
        ("area", "areas"),
    );
    line(
        p.divisions_checked,
        p.divisions_agree,
        "the division status computed here with TI's published status",
        ("division", "divisions"),
    );
    out
}

/// The recognition summary of a built district.
pub fn summary(b: &BuiltDistrict, data_date: NaiveDate, closing: bool) -> Summary {
    let r = &b.recognition;
    let py_start = crate::cache::footer::program_year_start(data_date);
    let (tier_state, tier, tier_notes) =
        tier_lines(r.district.as_ref(), data_date, py_start, closing);
    let (gap_tier, gap) = match &r.district {
        Some(d) if d.determined || d.gap_to_next.is_some() => gap_rows(d, py_start),
        _ => (String::new(), Vec::new()),
    };
    Summary {
        provisional: r.provisional,
        tier_state,
        tier,
        tier_notes,
        gap_tier,
        gap,
        levels: level_rows(
            &r.levels,
            &b.stats.totals.distinguished,
            r.provisional,
            py_start,
        ),
        health: health_rows(r, b.stats.totals.clubs),
        parity: parity_lines(r),
        distinguished: int(r.levels.total()),
        distinguished_ti: int(b.stats.totals.distinguished.total()),
        thriving: int(r.health.thriving),
        thriving_is_distinguished: !r.provisional && r.health.thriving == r.levels.total(),
        clubs: int(b.stats.totals.clubs),
        gap_counts: r.district.as_ref().and_then(gap_counts),
        final_on: NaiveDate::from_ymd_opt(py_start + 1, 6, 30)
            .filter(|e| closing || data_date < *e),
    }
}

/// Our status of an area or division, in words, with its notes and TI's disagreement.
#[derive(Debug, Default, Serialize)]
pub struct UnitStatus {
    pub ours: String,
    /// `provisional`, `club base estimated`: shown small after the status.
    pub notes: Vec<String>,
    pub missing: String,
    /// Ours and TI's differ (both known and comparable).
    pub differs: bool,
}

/// The note on a unit status that may still change (a visit round open, or before April).
pub const PROVISIONAL: &str = "provisional";

/// `ti` is TI's word when the division report gives one, `comparable` whether TI's
/// recognition can be compared (report present, April or later). With
/// `has_division_report`, a row says when its club base is estimated or its visits are
/// unknown (the report lacks this unit); without the report the page says it once for all.
pub fn unit_status(
    rec: Option<&UnitRecognition>,
    ti: Option<&str>,
    comparable: bool,
    has_division_report: bool,
) -> UnitStatus {
    let Some(r) = rec else {
        return UnitStatus {
            ours: UNKNOWN.into(),
            ..UnitStatus::default()
        };
    };
    let ours = match (r.determined, r.level) {
        (false, _) => UNKNOWN.to_string(),
        (true, Some(l)) => l.name().to_string(),
        (true, None) if r.club_base == 0 => "not in the program".to_string(),
        (true, None) => "not distinguished".to_string(),
    };
    let mut notes = Vec::new();
    if r.provisional {
        notes.push(PROVISIONAL.to_string());
    }
    if has_division_report && r.club_base_source != "ti" && r.club_base > 0 {
        notes.push(format!("club base {} estimated", int(r.club_base)));
    }
    let theirs = Level::parse(ti.unwrap_or("")).ok().flatten();
    // without the division report the page says once that visits are unknown; with it,
    // an area the report lacks says so on its row
    let missing = r
        .missing
        .iter()
        .filter_map(|m| match m.as_str() {
            VISITS_UNKNOWN if has_division_report => {
                Some("club visits unknown: the area is not in TI's division report")
            }
            VISITS_UNKNOWN => None,
            m => Some(m),
        })
        .collect::<Vec<_>>();
    UnitStatus {
        ours,
        notes,
        missing: missing.join("; "),
        differs: comparable && r.determined && theirs != r.level,
    }
}

/// The as-of date of a district's own files, else the snapshot's.
pub fn own_as_of(b: &BuiltDistrict, fallback: Option<&String>) -> Option<String> {
    b.district
        .as_of_date
        .map(long_date)
        .or_else(|| fallback.cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tier_is_provisional_until_the_year_end() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(tier_lines(None, d("2026-04-20"), 2025, false).0, "unknown");
        let rec = DistrictRecognition {
            tier: Some(Tier::Select),
            determined: true,
            unknown_reason: None,
            prerequisites_unmet: Vec::new(),
            prerequisites_unknown: Vec::new(),
            payment_growth_pct: Some(3.2),
            club_growth_pct: Some(3.5),
            distinguished_pct: Some(51.0),
            net_clubs: 2,
            gap_to_next: None,
        };
        let (state, tier, notes) = tier_lines(Some(&rec), d("2026-04-20"), 2025, false);
        assert_eq!(
            (state, tier.as_str()),
            ("reached", "Select Distinguished District")
        );
        assert!(
            notes[0].starts_with("provisional: measured on 20 April 2026"),
            "{notes:?}"
        );
        assert!(
            tier_lines(Some(&rec), d("2026-06-30"), 2025, false)
                .2
                .is_empty()
        );
        assert_eq!(
            tier_lines(Some(&rec), d("2026-06-30"), 2025, true).2.len(),
            1,
            "closing"
        );
    }
}
