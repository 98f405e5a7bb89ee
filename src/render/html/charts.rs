//! Inline SVG charts, drawn in Rust at build time so pages need no JavaScript and make no
//! requests. Colours come from CSS classes so the page's light, dark and print styles
//! apply to the charts too: the levels use the one level palette of `templates/site.css`
//! (`--lv0` not distinguished … `--lv4` Smedley, class `lvN`), the other series its `--c-*`
//! colours. Every chart is paired on the page with a table of the same figures; the SVG
//! itself is only a picture of them. Scales are honest: bars start at zero (a share from
//! 0 %, a change from "no change"), and every axis has labelled ticks.

use super::format::{escape, int, signed, signed_pct};
use std::fmt::Write;

/// The drawing's coordinate width. Small on purpose: scaled to a 360 px phone the text
/// stays about 11 px; on wide screens CSS caps the width.
pub(super) const WIDTH: f64 = 440.0;
const LABEL_W: f64 = 40.0;
/// The least room for the direct labels at the end of the bars; more when a label is
/// longer, so none is cut off at the chart's edge.
const VALUE_W: f64 = 112.0;
const BAR_X: f64 = LABEL_W;
const FONT: &str = r#"font-size="14""#;
/// Roughly the advance of one digit at the charts' 14 px, to decide whether a direct
/// label fits inside its bar.
const DIGIT_W: f64 = 8.5;
/// A generous advance per character of a label (digits and signs of a sans-serif face at
/// 14 px are at most about 9 px).
pub(super) const CHAR_W: f64 = 9.0;

/// The bars' length for end labels `labels`: the width left when the longest fits.
fn bar_width<'a>(labels: impl Iterator<Item = &'a String>) -> f64 {
    let longest = labels.map(|l| l.chars().count()).max().unwrap_or(0);
    WIDTH - LABEL_W - VALUE_W.max(8.0 + CHAR_W * longest as f64)
}

/// One row of the level chart: clubs at each distinguished level, then clubs with none.
pub struct LevelRow {
    pub label: String,
    /// D, S, P, M, not distinguished.
    pub counts: [i64; 5],
}

/// The palette class of each entry of `LevelRow::counts`: `lvN` is level N in the order
/// none (0) < Distinguished (1) < Select < President's < Smedley (4), the order of
/// `model::Level` (see `level_key`).
pub const LEVEL_CLASSES: [&str; 5] = ["lv1", "lv2", "lv3", "lv4", "lv0"];
pub const LEVEL_NAMES: [&str; 5] = [
    "Distinguished",
    "Select",
    "President's",
    "Smedley",
    "Not distinguished",
];
/// Left to right: highest level first, so the distinguished share starts at the axis's
/// zero, and each segment touches the level next to it in the palette (whose neighbours
/// are at least 3:1 apart).
const DRAW_ORDER: [usize; 5] = [3, 2, 1, 0, 4];

/// A club level's place in the one level order, as a number pages can sort and colour by:
/// 0 not distinguished, then `model::Level` in its declared (and `Ord`) order, 1 to 4.
pub fn level_key(level: Option<crate::model::Level>) -> u8 {
    level.map_or(0, |l| l as u8 + 1)
}

fn svg_open(out: &mut String, height: f64, labelled_by: &str) {
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-labelledby="{labelled_by}" {FONT}>"#
    );
}

/// A whole chart: the `<svg>` element around `body`.
pub(super) fn svg(height: f64, labelled_by: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 200);
    svg_open(&mut out, height, labelled_by);
    out.push_str(&without_zero_decimals(body));
    out.push_str("</svg>");
    out
}

/// Drops the ".0" of whole coordinates (`48.0` → `48`): coordinates are written with one
/// decimal, and on a district of 25 divisions the zeros alone weigh about a kilobyte.
fn without_zero_decimals(body: &str) -> String {
    let bytes = body.as_bytes();
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    while i < bytes.len() {
        let whole = bytes[i] == b'.'
            && bytes.get(i + 1) == Some(&b'0')
            && i > 0
            && bytes[i - 1].is_ascii_digit()
            && !bytes.get(i + 2).is_some_and(u8::is_ascii_digit);
        if whole {
            i += 2;
            continue;
        }
        let next = body[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&body[i..i + next]);
        i += next;
    }
    out
}

/// A legend line of coloured squares; wraps to a second line when the first is full.
fn legend(out: &mut String, items: &[(&str, &str)], y: f64) -> f64 {
    let (mut x, mut y) = (0.0, y);
    for (class, name) in items {
        let w = 18.0 + 7.6 * name.len() as f64 + 14.0;
        if x + w > WIDTH && x > 0.0 {
            x = 0.0;
            y += 20.0;
        }
        let _ = write!(
            out,
            r#"<rect class="{class}" x="{x:.1}" y="{:.1}" width="12" height="12"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            y - 11.0,
            x + 17.0,
            y,
            escape(name)
        );
        x += w;
    }
    y
}

/// Ticks at a round step (1, 2 or 5 times a power of ten) covering `lo..=hi` with at most
/// about `max` intervals; the first tick is at or below `lo`, the last at or above `hi`.
pub(super) fn nice_ticks(lo: f64, hi: f64, max: usize, min_step: f64) -> Vec<f64> {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - min_step, hi + min_step)
    };
    let rough = (hi - lo) / max.max(1) as f64;
    let pow = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * pow)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * pow)
        .max(min_step);
    let first = (lo / step).floor() as i64;
    let last = (hi / step).ceil() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

/// The x axis under a bar chart: a grid line per tick across the rows, and its label.
fn x_axis(out: &mut String, ticks: &[f64], x: impl Fn(f64) -> f64, top: f64, bottom: f64) {
    for &t in ticks {
        let _ = write!(
            out,
            r#"<path class="grid" d="M{:.1} {top:.1}V{:.1}"/>"#,
            x(t),
            bottom + 4.0
        );
    }
}

fn x_labels(
    out: &mut String,
    ticks: &[f64],
    x: impl Fn(f64) -> f64,
    y: f64,
    text: impl Fn(f64) -> String,
) {
    for &t in ticks {
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{y:.1}" text-anchor="middle">{}</text>"#,
            x(t),
            text(t)
        );
    }
}

/// 100 % stacked bars: the distinguished-level composition of the clubs of each row, on
/// an axis of the share of its clubs (0 to 100 %), each segment labelled with its count
/// where the count fits, and the row's distinguished clubs of all clubs at its end.
pub fn level_bars(rows: &[LevelRow], labelled_by: &str) -> String {
    let row_h = 26.0;
    let items: Vec<(&str, &str)> = DRAW_ORDER
        .iter()
        .map(|&i| (LEVEL_CLASSES[i], LEVEL_NAMES[i]))
        .collect();
    let mut body = String::new();
    let legend_end = legend(&mut body, &items, 14.0);
    let top = legend_end + 12.0;
    let bottom = top + rows.len() as f64 * row_h;
    let ends: Vec<String> = rows
        .iter()
        .map(|r| {
            let total: i64 = r.counts.iter().map(|n| n.max(&0)).sum();
            format!("{} of {}", int(r.counts[..4].iter().sum()), int(total))
        })
        .collect();
    let bar_w = bar_width(ends.iter());
    let ticks = [0.0, 25.0, 50.0, 75.0, 100.0];
    let x = |share: f64| BAR_X + bar_w * share / 100.0;
    x_axis(&mut body, &ticks, x, top, bottom);
    for ((i, row), end) in rows.iter().enumerate().zip(&ends) {
        let y = top + i as f64 * row_h;
        let total: i64 = row.counts.iter().map(|n| n.max(&0)).sum();
        let _ = write!(
            body,
            r#"<text x="0" y="{:.1}">{}</text>"#,
            y + 17.0,
            escape(&row.label)
        );
        let mut left = BAR_X;
        for &k in &DRAW_ORDER {
            let n = row.counts[k];
            if n <= 0 || total <= 0 {
                continue;
            }
            let w = bar_w * n as f64 / total as f64;
            let class = LEVEL_CLASSES[k];
            let _ = write!(
                body,
                r#"<rect class="{class} seg" x="{left:.1}" y="{:.1}" width="{w:.1}" height="20"/>"#,
                y + 2.0
            );
            let label = int(n);
            if w >= DIGIT_W * label.len() as f64 + 6.0 {
                let _ = write!(
                    body,
                    r#"<text class="ink-{class}" x="{:.1}" y="{:.1}">{label}</text>"#,
                    left + w / 2.0,
                    y + 17.0
                );
            }
            left += w;
        }
        let _ = write!(
            body,
            r#"<text x="{:.1}" y="{:.1}">{end}</text>"#,
            BAR_X + bar_w + 6.0,
            y + 17.0
        );
    }
    x_labels(&mut body, &ticks, x, bottom + 18.0, |t| format!("{t}%"));
    svg(bottom + 24.0, labelled_by, &body)
}

/// One row of the membership chart.
pub struct PairRow {
    pub label: String,
    pub base: i64,
    pub value: i64,
}

/// Active members against the membership base, as a change in percent of the base.
/// `None` where the base is not positive (a change of nothing cannot be a share).
pub fn change_pct(row: &PairRow) -> Option<f64> {
    (row.base > 0).then(|| 100.0 * (row.value - row.base) as f64 / row.base as f64)
}

/// Bars from zero ("no change") to each row's change of active members against its
/// membership base, in percent of the base: gains to the right, losses to the left, so a
/// 2 % gap reads as 2 % of the axis and never as two nearly equal long bars. Each bar is
/// labelled with the change in members and in percent.
pub fn membership_bars(rows: &[PairRow], labelled_by: &str) -> String {
    let row_h = 26.0;
    let changes: Vec<Option<f64>> = rows.iter().map(change_pct).collect();
    let known = changes.iter().flatten().copied();
    let (lo, hi) = known.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let ticks = nice_ticks(lo, hi, 4, 1.0);
    let (t0, t1) = (ticks[0], ticks[ticks.len() - 1]);
    let ends: Vec<String> = rows
        .iter()
        .zip(&changes)
        .map(|(row, change)| match change {
            Some(c) => format!("{} ({})", signed(row.value - row.base), signed_pct(*c)),
            None => "base unknown".to_string(),
        })
        .collect();
    let bar_w = bar_width(ends.iter());
    let x = |v: f64| BAR_X + bar_w * (v - t0) / (t1 - t0);
    let mut body = String::new();
    let legend_end = legend(
        &mut body,
        &[("gain", "More members than the base"), ("loss", "Fewer")],
        14.0,
    );
    let top = legend_end + 12.0;
    let bottom = top + rows.len() as f64 * row_h;
    x_axis(&mut body, &ticks, x, top, bottom);
    let _ = write!(
        body,
        r#"<path class="zero" d="M{:.1} {top:.1}V{:.1}"/>"#,
        x(0.0),
        bottom + 4.0
    );
    for (((i, row), change), label) in rows.iter().enumerate().zip(&changes).zip(&ends) {
        let y = top + i as f64 * row_h;
        let _ = write!(
            body,
            r#"<text x="0" y="{:.1}">{}</text>"#,
            y + 17.0,
            escape(&row.label)
        );
        if let Some(c) = change {
            let (a, b) = (x(0.0_f64.min(*c)), x(0.0_f64.max(*c)));
            let class = if *c < 0.0 { "loss" } else { "gain" };
            let _ = write!(
                body,
                r#"<rect class="{class}" x="{a:.1}" y="{:.1}" width="{:.1}" height="16"/>"#,
                y + 4.0,
                (b - a).max(1.0)
            );
        }
        let _ = write!(
            body,
            r#"<text x="{:.1}" y="{:.1}">{label}</text>"#,
            BAR_X + bar_w + 6.0,
            y + 17.0
        );
    }
    x_labels(&mut body, &ticks, x, bottom + 18.0, |t| {
        if t == 0.0 {
            "0".into()
        } else {
            signed_pct(t).replace(".00", "")
        }
    });
    svg(bottom + 24.0, labelled_by, &body)
}

/// The ten DCP goals as a strip of numbered cells, filled and ticked where met, outlined
/// and crossed where not, grouped as TI groups them (the gaps of the goals grid). The goal names, met and not met, are
/// written beside it on the page.
/// `gaps_after`: the goals (0-based) after which TI's next group starts.
pub fn goals_strip(goals: &[bool; 10], gaps_after: &[usize], labelled_by: &str) -> String {
    const CELL: f64 = 30.0;
    const GAP: f64 = 12.0;
    // One met and one unmet cell drawn once and placed ten times: a club page is held
    // under 8 KB, and 15,000 of them make most of a world snapshot.
    let mut body = String::new();
    for (id, class, mark) in [("gm", "met", "✓"), ("gu", "unmet", "✗")] {
        if goals.iter().any(|m| *m == (class == "met")) {
            let _ = write!(
                body,
                r#"<g id="{id}"><rect class="{class}" width="{:.0}" height="{:.0}" rx="3"/><text class="ink-{class}" x="{:.0}" y="21">{mark}</text></g>"#,
                CELL - 4.0,
                CELL - 2.0,
                (CELL - 4.0) / 2.0,
            );
        }
    }
    let mut uses = String::new();
    let mut x = 1.0;
    for (i, met) in goals.iter().enumerate() {
        if gaps_after.contains(&i) {
            x += GAP;
        }
        let id = if *met { "gm" } else { "gu" };
        let _ = write!(
            uses,
            r##"<use href="#{id}" x="{x:.0}" y="1"/><text class="n" x="{:.0}" y="48">{}</text>"##,
            x + (CELL - 4.0) / 2.0,
            i + 1
        );
        x += CELL;
    }
    let width = x;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="chart goals" viewBox="0 0 {width:.0} 54" width="{width:.0}" height="54" role="img" aria-labelledby="{labelled_by}" font-size="16"><defs>{body}</defs>{uses}</svg>"#
    );
    out
}

#[cfg(test)]
#[path = "charts_tests.rs"]
mod tests;
