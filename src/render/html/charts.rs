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

/// Month labels of a program year, July first.
pub const PROGRAM_MONTHS: [&str; 12] = [
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun",
];

/// One figure month by month through a program year (index 0 is July): this year's values
/// and last year's, `None` where the cache has no data for that month.
pub struct YearLines {
    pub now: [Option<i64>; 12],
    pub then: [Option<i64>; 12],
}

/// Three rounded y-axis ticks spanning `lo..=hi` (the middle one halfway).
fn ticks(lo: i64, hi: i64) -> [i64; 3] {
    let (lo, hi) = if lo == hi { (lo - 1, hi + 1) } else { (lo, hi) };
    [lo, lo + (hi - lo) / 2, hi]
}

/// This program year (solid line) against last year (dashed), months July to June on the
/// x axis, the figure on the y axis with its lowest, middle and highest values labelled.
/// A month with one value shows as a dot, so a single data date is still visible.
pub fn year_lines(lines: &YearLines, labelled_by: &str) -> String {
    const LEFT: f64 = 64.0;
    const RIGHT: f64 = 8.0;
    const TOP: f64 = 30.0;
    const PLOT_H: f64 = 96.0;
    let known = lines.now.iter().chain(&lines.then).flatten().copied();
    let (lo, hi) = known.fold((i64::MAX, i64::MIN), |(a, b), v| (a.min(v), b.max(v)));
    let [t0, t1, t2] = if lo > hi { [0, 1, 2] } else { ticks(lo, hi) };
    let step = (WIDTH - LEFT - RIGHT) / 11.0;
    let x = |i: usize| LEFT + step * i as f64;
    let y = |v: i64| TOP + PLOT_H * (1.0 - (v - t0) as f64 / (t2 - t0) as f64);
    let mut body = String::new();
    // legend: a short line of each style, then its name
    for (i, (class, name)) in [("ln-now", "This year"), ("ln-then", "Last year")]
        .into_iter()
        .enumerate()
    {
        let x0 = i as f64 * 140.0;
        let _ = write!(
            body,
            r#"<path class="{class}" d="M{x0} 10h24"/><text x="{:.1}" y="15">{name}</text>"#,
            x0 + 30.0
        );
    }
    for t in [t0, t1, t2] {
        let _ = write!(
            body,
            r#"<path class="grid" d="M{LEFT} {:.1}H{:.1}"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            y(t),
            WIDTH - RIGHT,
            LEFT - 6.0,
            y(t) + 5.0,
            int(t)
        );
    }
    for (i, m) in PROGRAM_MONTHS.iter().enumerate() {
        // every other month on the axis keeps the labels apart on a phone
        if i % 2 == 0 {
            let _ = write!(
                body,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{m}</text>"#,
                x(i),
                TOP + PLOT_H + 20.0
            );
        }
    }
    for (class, values) in [("ln-then", &lines.then), ("ln-now", &lines.now)] {
        let mut d = String::new();
        let mut pen_down = false;
        for (i, v) in values.iter().enumerate() {
            match v {
                Some(v) => {
                    let _ = write!(
                        d,
                        "{}{:.1} {:.1}",
                        if pen_down { "L" } else { "M" },
                        x(i),
                        y(*v)
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        if !d.is_empty() {
            let _ = write!(body, r#"<path class="{class}" d="{d}"/>"#);
        }
        for (i, v) in values.iter().enumerate() {
            if let Some(v) = v {
                let _ = write!(
                    body,
                    r#"<circle class="{class}" cx="{:.1}" cy="{:.1}" r="3"/>"#,
                    x(i),
                    y(*v)
                );
            }
        }
    }
    svg(TOP + PLOT_H + 26.0, labelled_by, &body)
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

    #[test]
    fn year_lines_break_at_gaps_and_label_the_axis() {
        let mut now = [None; 12];
        now[0] = Some(100);
        now[1] = Some(110);
        now[3] = Some(120);
        let svg = year_lines(
            &YearLines {
                now,
                then: [None; 12],
            },
            "cap",
        );
        assert_eq!(
            svg.matches(r#"<path class="ln-now" d="M"#).count(),
            2,
            "legend and a run"
        );
        assert!(
            svg.contains("M64.0 126.0L"),
            "July at the left, lowest value at the bottom"
        );
        assert_eq!(svg.matches(r#"<circle class="ln-now""#).count(), 3);
        assert!(svg.contains(">100<") && svg.contains(">110<") && svg.contains(">120<"));
        assert!(svg.contains(">Jul<") && svg.contains(">May<"));
    }

    #[test]
    fn year_lines_with_one_value_or_none_draw_without_dividing_by_zero() {
        let mut now = [None; 12];
        now[2] = Some(5);
        let one = year_lines(
            &YearLines {
                now,
                then: [None; 12],
            },
            "c",
        );
        assert!(one.contains(">4<") && one.contains(">6<") && !one.contains("NaN"));
        let none = year_lines(
            &YearLines {
                now: [None; 12],
                then: [None; 12],
            },
            "c",
        );
        assert!(!none.contains("NaN") && !none.contains("circle"));
    }
}
