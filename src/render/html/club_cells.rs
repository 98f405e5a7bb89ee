//! The recognition cells of one club's row on a district page: the ten goals as a grid
//! with words for screen readers, the level (TI's code, or ours before April), what the
//! next level needs, and health with its risk factors. Words only; the rules live in
//! `crate::recognition`.

use super::charts::level_key;
use super::format::{UNKNOWN, int, long_date, minus_signs, signed};
use super::recognition::plural;
use super::words::level_word;
use crate::model::{Club, Level};
use crate::recognition::club::ClubDcp;
use crate::recognition::health::{Health, HealthStatus};
use serde::Serialize;

/// The ten DCP goals by their short names (DOMAIN.md §5.1), in TI's order.
pub const GOAL_NAMES: [&str; 10] = [
    "Level 1s",
    "Level 2s",
    "More Level 2s",
    "Level 3s",
    "Level 4/Path/DTM",
    "One more Level 4/Path/DTM",
    "New members",
    "More new members",
    "Officer training",
    "Administration",
];

/// Where the goal grid puts a gap: after the education goals (1–6), the membership goals
/// (7–8) and training (9), as TI's DCP groups them.
pub const GRID_GAPS_AFTER: [usize; 3] = [6, 8, 9];

/// The recognition cells of one club's row.
#[derive(Debug, Default, Serialize)]
pub struct ClubCells {
    /// Our goal count where it differs from TI's.
    pub goals_ours: String,
    /// `✓✓✗✗✓✗ ✗✗ ✗ ✓`: goals 1–10, grouped; empty when unknown.
    pub grid: String,
    /// The grid in words, for screen readers.
    pub grid_text: String,
    /// Main level text: TI's code from April, ours ("on track for …") before.
    pub level: String,
    /// The level's word alone, for the clubs table, whose heading says "on track for"
    /// before April.
    pub level_word: String,
    /// `provisional`, `confirmed`, …: shown small.
    pub level_note: String,
    /// The note the clubs table shows: `level_note` unless it is plain `provisional`,
    /// which the table's heading and note already say of every row before April.
    pub row_note: String,
    /// Ours differs from TI's code: our level in words.
    pub level_flag: String,
    /// The level shown, as its place in the level order (`charts::level_key`), for
    /// sorting and the level badge; `None` when the club was not assessed.
    pub level_key: Option<u8>,
    pub next: String,
    pub health: String,
    /// Health for sorting, best first when sorted descending: 2 Thriving, 1 Vulnerable,
    /// 0 Intervention required; `None` when unknown.
    pub health_key: Option<u8>,
    pub risks: Vec<String>,
}

/// The grid (`<b>✓✓</b>✗✗<b>✓</b>✗ ✗✗ ✗ <b>✓</b>`, a space between TI's groups of goals)
/// and its words. Runs of met goals are in `<b>` so the page can colour them (one
/// element per run rather than per goal keeps a 400-club page small); the grid holds
/// only these fixed characters, so it is safe to write unescaped.
fn goal_grid(goals: &[bool; 10]) -> (String, String) {
    let mut grid = String::new();
    let mut in_run = false;
    for (i, met) in goals.iter().enumerate() {
        if in_run && !met {
            grid.push_str("</b>");
            in_run = false;
        }
        if GRID_GAPS_AFTER.contains(&i) {
            grid.push(' ');
        }
        if *met && !in_run {
            grid.push_str("<b>");
            in_run = true;
        }
        grid.push(if *met { '✓' } else { '✗' });
    }
    if in_run {
        grid.push_str("</b>");
    }
    let met: Vec<String> = (1..=10)
        .filter(|n| goals[n - 1])
        .map(|n| n.to_string())
        .collect();
    let text = match met.as_slice() {
        [] => "none met".to_string(),
        [one] => format!("met: {one}"),
        many => format!("met: {}", many.join(", ")),
    };
    (grid, text)
}

fn level_cells(club: &Club, d: &ClubDcp, cells: &mut ClubCells) {
    let word = |l: Option<Level>| l.map_or("none", level_word);
    // before April (TI shows no code) the level is ours: on track, or reached where April
    // renewals confirm it (DOMAIN.md §5.3)
    let before_april = d.confirmed.is_some();
    cells.level_key = Some(level_key(if before_april {
        d.level
    } else {
        club.distinguished_status
    }));
    if before_april {
        if let Some(l) = d.level {
            cells.level_word = level_word(l).to_string();
            if d.provisional {
                cells.level = format!("on track for {}", level_word(l));
                cells.level_note = match d.confirmed {
                    Some(c) if !c.known => "provisional; renewals unknown".into(),
                    _ => "provisional".into(),
                };
            } else {
                cells.level = format!("{} (reached)", level_word(l));
                cells.level_note = "confirmed on April renewals".into();
            }
            if cells.level_note != "provisional" {
                cells.row_note = cells.level_note.clone();
            }
        }
    } else {
        cells.level = club.distinguished_status.map_or("", level_word).to_string();
        cells.level_word = cells.level.clone();
        if d.level_agrees_with_ti == Some(false) {
            cells.level_flag = format!("computed here: {}", word(d.level));
        }
    }
    cells.next = match d.next_level {
        Some(n) => {
            let mut parts = Vec::new();
            if n.goals_needed > 0 {
                parts.push(plural(n.goals_needed, "goal", "goals"));
            }
            if n.members_needed > 0 {
                parts.push(plural(n.members_needed, "member", "members"));
            }
            if n.csp_needed {
                parts.push("CSP".into());
            }
            if parts.is_empty() {
                level_word(n.level).to_string()
            } else {
                format!("{}: {}", level_word(n.level), parts.join(", "))
            }
        }
        None if d.level.is_some() => "top level".into(),
        None => UNKNOWN.into(),
    };
}

/// The word and the sort key of a health status: the one place that orders them.
/// The health words from worst to best: a word's place is its sort key. The clubs table
/// gives this list once in its heading (`data-order`), not a key on every row.
pub const HEALTH_ORDER: [&str; 3] = ["Intervention required", "Vulnerable", "Thriving"];

fn health_word(h: &Health) -> (&'static str, u8) {
    let key = match h.status {
        HealthStatus::InterventionRequired => 0,
        HealthStatus::Vulnerable => 1,
        HealthStatus::Thriving => 2,
    };
    (HEALTH_ORDER[key], key as u8)
}

/// The recognition cells of `club` (empty when the club was not assessed).
pub fn club_cells(club: &Club) -> ClubCells {
    let mut cells = ClubCells::default();
    if let Some(d) = &club.dcp {
        match &d.goals {
            Some(g) => (cells.grid, cells.grid_text) = goal_grid(g),
            None => {
                cells.grid_text = "goals unknown: this export's columns cannot decide them".into()
            }
        }
        if d.goals_agree_with_ti == Some(false) {
            cells.goals_ours =
                format!("computed here: {}", d.goals_met.map_or(UNKNOWN.into(), int));
        }
        level_cells(club, d, &mut cells);
    }
    if let Some(h) = &club.health {
        let (word, key) = health_word(h);
        cells.health = word.to_string();
        cells.health_key = Some(key);
        cells.risks = h.risk_factors.iter().map(|r| minus_signs(r)).collect();
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_and_its_words() {
        let mut g = [false; 10];
        assert_eq!(goal_grid(&g).1, "none met");
        g[9] = true;
        assert_eq!(goal_grid(&g).1, "met: 10");
        g[0] = true;
        g[4] = true;
        let (grid, text) = goal_grid(&g);
        assert_eq!(text, "met: 1, 5, 10");
        assert_eq!(grid, "<b>✓</b>✗✗✗<b>✓</b>✗ ✗✗ ✗ <b>✓</b>");
        // a run of met goals goes on across TI's groups
        assert_eq!(goal_grid(&[true; 10]).0, "<b>✓✓✓✓✓✓ ✓✓ ✓ ✓</b>");
    }
}

/// One club of the clubs table.
#[derive(Debug, Serialize)]
pub struct ClubRow {
    pub number: String,
    pub name: String,
    pub unit: String,
    pub status: String,
    /// The status beside the club's name in the clubs table: empty for a paid (`Active`)
    /// club, the usual case, so only the clubs that need a look carry a word.
    pub status_note: String,
    pub base: String,
    pub members: String,
    pub net: String,
    pub goals: String,
    pub level: String,
    pub dates: String,
    /// Our goals, level, next-level needs and health.
    pub dcp: ClubCells,
    /// The club's own page, relative to the district page.
    pub page_href: String,
}

/// The row of the clubs table for one club; `dated` says whether a report that carries
/// charter and suspend dates is in the snapshot (else the dates are unknown, not blank).
pub fn club_row(c: &Club, dated: bool) -> ClubRow {
    let dates = if !dated {
        UNKNOWN.to_string()
    } else {
        let mut parts = Vec::new();
        if let Some(d) = c.charter_date {
            parts.push(format!("chartered {}", long_date(d)));
        }
        if let Some(d) = c.suspend_date {
            parts.push(format!("suspended {}", long_date(d)));
        }
        parts.join("; ")
    };
    ClubRow {
        number: c.club_number.clone(),
        name: c.club_name.clone(),
        unit: format!("{} {}", c.division_id, c.area_id),
        status: c.status.clone().unwrap_or_else(|| UNKNOWN.to_string()),
        status_note: if c.is_paid() {
            String::new()
        } else {
            format!("status {}", c.status.as_deref().unwrap_or(UNKNOWN))
        },
        base: int(c.membership_base),
        members: int(c.active_members),
        net: signed(c.net_growth),
        goals: c.goals_met.to_string(),
        level: c.distinguished_status.map_or("", level_word).to_string(),
        dates,
        dcp: club_cells(c),
        page_href: super::club_page::club_page_href(&c.club_number),
    }
}
