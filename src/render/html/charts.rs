//! Inline SVG charts, drawn in Rust at build time so pages need no JavaScript and make no
//! requests. Colours come from CSS classes (`.k-d`, `.k-base`, ...) so the page's light,
//! dark and print styles apply to the charts too. Every chart is paired on the page with a
//! table of the same figures; the SVG itself is only a picture of them.

use super::format::{escape, int};
use std::fmt::Write;

/// The drawing's coordinate width. Small on purpose: scaled to a 360 px phone the text
/// stays about 11 px; on wide screens CSS caps the width.
const WIDTH: f64 = 440.0;
const LABEL_W: f64 = 40.0;
const VALUE_W: f64 = 136.0;
const BAR_X: f64 = LABEL_W;
const BAR_W: f64 = WIDTH - LABEL_W - VALUE_W;
const FONT: &str = r#"font-size="14""#;

/// One row of the level chart: clubs at each distinguished level, then clubs with none.
pub struct LevelRow {
    pub label: String,
    /// D, S, P, M, not distinguished.
    pub counts: [i64; 5],
}

/// CSS classes of the five level segments, in `LevelRow::counts` order.
pub const LEVEL_CLASSES: [&str; 5] = ["k-d", "k-s", "k-p", "k-m", "k-none"];
pub const LEVEL_NAMES: [&str; 5] = [
    "Distinguished",
    "Select",
    "President's",
    "Smedley",
    "Not distinguished",
];

fn svg_open(out: &mut String, height: f64, labelled_by: &str) {
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-labelledby="{labelled_by}" {FONT}>"#
    );
}

/// A whole chart: the `<svg>` element around `body`.
fn svg(height: f64, labelled_by: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 200);
    svg_open(&mut out, height, labelled_by);
    out.push_str(body);
    out.push_str("</svg>");
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
            r#"<rect class="{class}" x="{x}" y="{:.1}" width="12" height="12"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            y - 11.0,
            x + 17.0,
            y,
            escape(name)
        );
        x += w;
    }
    y
}

/// 100 % stacked bars: the distinguished-level composition of the clubs of each row.
pub fn level_bars(rows: &[LevelRow], labelled_by: &str) -> String {
    let row_h = 24.0;
    let items: Vec<(&str, &str)> = LEVEL_CLASSES
        .iter()
        .copied()
        .zip(LEVEL_NAMES.iter().copied())
        .collect();
    let mut body = String::new();
    let legend_end = legend(&mut body, &items, 14.0);
    let top = legend_end + 14.0;
    for (i, row) in rows.iter().enumerate() {
        let y = top + i as f64 * row_h;
        let total: i64 = row.counts.iter().sum();
        let _ = write!(
            body,
            r#"<text x="0" y="{:.1}">{}</text>"#,
            y + 14.0,
            escape(&row.label)
        );
        let mut x = BAR_X;
        for (class, &n) in LEVEL_CLASSES.iter().zip(&row.counts) {
            if n <= 0 || total <= 0 {
                continue;
            }
            let w = BAR_W * n as f64 / total as f64;
            let _ = write!(
                body,
                r#"<rect class="{class}" x="{x:.1}" y="{:.1}" width="{w:.1}" height="18"/>"#,
                y + 1.0
            );
            x += w;
        }
        let distinguished: i64 = row.counts[..4].iter().sum();
        let _ = write!(
            body,
            r#"<text x="{:.1}" y="{:.1}">{} of {}</text>"#,
            BAR_X + BAR_W + 6.0,
            y + 14.0,
            int(distinguished),
            int(total)
        );
    }
    let height = top + rows.len() as f64 * row_h + 2.0;
    svg(height, labelled_by, &body)
}

/// One row of the membership chart.
pub struct PairRow {
    pub label: String,
    pub base: i64,
    pub value: i64,
}

/// Paired bars per row: membership base (outline) above active members (filled).
pub fn membership_bars(rows: &[PairRow], labelled_by: &str) -> String {
    let row_h = 30.0;
    let max = rows
        .iter()
        .map(|r| r.base.max(r.value))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut body = String::new();
    let legend_end = legend(
        &mut body,
        &[
            ("k-base", "Membership base"),
            ("k-members", "Active members"),
        ],
        14.0,
    );
    let top = legend_end + 14.0;
    for (i, row) in rows.iter().enumerate() {
        let y = top + i as f64 * row_h;
        let _ = write!(
            body,
            r#"<text x="0" y="{:.1}">{}</text>"#,
            y + 17.0,
            escape(&row.label)
        );
        let wb = BAR_W * row.base.max(0) as f64 / max;
        let wv = BAR_W * row.value.max(0) as f64 / max;
        let _ = write!(
            body,
            r#"<rect class="k-base" x="{BAR_X}" y="{:.1}" width="{wb:.1}" height="10"/><rect class="k-members" x="{BAR_X}" y="{:.1}" width="{wv:.1}" height="12"/>"#,
            y + 2.0,
            y + 13.0
        );
        let _ = write!(
            body,
            r#"<text x="{:.1}" y="{:.1}">{} (base {})</text>"#,
            BAR_X + BAR_W + 6.0,
            y + 17.0,
            int(row.value),
            int(row.base)
        );
    }
    let height = top + rows.len() as f64 * row_h + 2.0;
    svg(height, labelled_by, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_segments_fill_the_bar_and_skip_zeros() {
        let svg = level_bars(
            &[LevelRow {
                label: "A".into(),
                counts: [1, 0, 1, 0, 2],
            }],
            "cap",
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches(r#"class="k-s" x"#).count(), 1, "legend only");
        assert!(svg.contains(r#"width="66.0""#), "quarter of 264");
        assert!(svg.contains(">2 of 4<"));
    }

    #[test]
    fn labels_are_escaped() {
        let svg = membership_bars(
            &[PairRow {
                label: "<A&>".into(),
                base: 10,
                value: 12,
            }],
            "cap",
        );
        assert!(svg.contains("&lt;A&amp;&gt;"));
        assert!(svg.contains(">12 (base 10)<"));
    }
}
