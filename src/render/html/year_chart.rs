//! The program-year chart (issue 11, axes issue 22): one figure month by month, this
//! program year against the last, drawn as inline SVG with the shared pieces of
//! [`super::charts`] (its width, tick rule and `<svg>` frame).

use super::charts::{CHAR_W, WIDTH, nice_ticks, svg};
use super::format::int;
use std::fmt::Write;

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

/// The y ticks of a year's lines (counts, never negative): round ticks spanning the
/// values, since a line's slope is what the chart shows, when they are at least three
/// and span a tenth of the largest; otherwise from zero. One month or a flat year on a
/// fitted axis (190 to 192 members) would make one point or a level line look like news.
fn year_ticks(values: &[i64]) -> Vec<f64> {
    let (lo, hi) = values
        .iter()
        .fold((i64::MAX, i64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    if values.is_empty() {
        return vec![0.0, 1.0, 2.0];
    }
    let fitted = values.len() >= 3 && (hi - lo) * 10 >= hi.abs();
    let lo = if fitted { lo } else { lo.min(0) };
    // a range of at least one, so ticks never widen below a zero low
    nice_ticks(lo as f64, hi.max(lo + 1) as f64, 4, 1.0)
}

/// This program year (solid line) against last year (dashed), months July to June on the
/// x axis, the figure on the y axis ([`year_ticks`]), this year's newest value labelled at
/// its point, clear of the legend and inside the drawing. A month with one value shows as
/// a dot, so a single data date is still visible; the legend names last year only when it
/// is drawn.
pub fn year_lines(lines: &YearLines, labelled_by: &str) -> String {
    const LEFT: f64 = 56.0;
    const RIGHT: f64 = 44.0;
    const TOP: f64 = 30.0;
    const PLOT_H: f64 = 96.0;
    let known: Vec<i64> = lines
        .now
        .iter()
        .chain(&lines.then)
        .flatten()
        .copied()
        .collect();
    let ticks = year_ticks(&known);
    let (t0, t1) = (ticks[0], ticks[ticks.len() - 1]);
    let step = (WIDTH - LEFT - RIGHT) / 11.0;
    let x = |i: usize| LEFT + step * i as f64;
    let y = |v: f64| TOP + PLOT_H * (1.0 - (v - t0) / (t1 - t0));
    let mut body = String::new();
    // legend: a short line of each style, then its name
    let has_then = lines.then.iter().any(Option::is_some);
    for (i, (class, name)) in [("ln-now", "This year"), ("ln-then", "Last year")]
        .into_iter()
        .take(if has_then { 2 } else { 1 })
        .enumerate()
    {
        let x0 = i as f64 * 140.0;
        let _ = write!(
            body,
            r#"<path class="{class}" d="M{x0} 10h24"/><text x="{:.1}" y="15">{name}</text>"#,
            x0 + 30.0
        );
    }
    for &t in &ticks {
        let _ = write!(
            body,
            r#"<path class="grid" d="M{LEFT} {:.1}H{:.1}"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            y(t),
            WIDTH - RIGHT,
            LEFT - 6.0,
            y(t) + 5.0,
            int(t as i64)
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
                        y(*v as f64)
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
                    y(*v as f64)
                );
            }
        }
    }
    if let Some((i, v)) = lines
        .now
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, v)| v.map(|v| (i, v)))
    {
        let label = int(v);
        // above the point, or below it where the legend is above; leftwards near the end
        let (px, py) = (x(i), y(v as f64));
        let ly = if py - 6.0 < TOP { py + 18.0 } else { py - 6.0 };
        let fits_right = px + 6.0 + CHAR_W * label.chars().count() as f64 <= WIDTH;
        let (lx, anchor) = if fits_right {
            (px + 6.0, "")
        } else {
            (px - 6.0, r#" text-anchor="end""#)
        };
        let _ = write!(
            body,
            r#"<text class="direct" x="{lx:.1}" y="{ly:.1}"{anchor}>{label}</text>"#
        );
    }
    svg(TOP + PLOT_H + 26.0, labelled_by, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            svg.contains("M56 126L"),
            "July at the left, lowest value at the bottom"
        );
        assert_eq!(svg.matches(r#"<circle class="ln-now""#).count(), 3);
        assert!(svg.contains(">100<") && svg.contains(">110<") && svg.contains(">120<"));
        assert!(svg.contains(">Jul<") && svg.contains(">May<"));
        assert!(svg.contains(r#"class="direct""#) && svg.contains(">120</text></svg>"));
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
        // one value: the axis from zero, not a fitted 4 to 6
        assert!(one.contains(">0<") && one.contains(">6<") && !one.contains("NaN"));
        assert!(!one.contains("Last year"), "no last year drawn, none named");
        let mut zeros = [None; 12];
        zeros[0] = Some(0);
        zeros[1] = Some(0);
        zeros[2] = Some(0);
        let flat = year_lines(
            &YearLines {
                now: zeros,
                then: [None; 12],
            },
            "c",
        );
        assert!(
            !flat.contains("−1") && !flat.contains(">-1<"),
            "no negative count"
        );
        let none = year_lines(
            &YearLines {
                now: [None; 12],
                then: [None; 12],
            },
            "c",
        );
        assert!(!none.contains("NaN") && !none.contains("circle"));
    }
    #[test]
    fn year_lines_fit_a_moving_year_and_start_flat_ones_at_zero() {
        let ticks = |v: &[i64]| year_ticks(v);
        // three months moving: fitted (a slope is what the chart shows)
        let fitted = ticks(&[220, 250, 290]);
        assert!(fitted[0] > 0.0 && fitted[0] <= 220.0, "{fitted:?}");
        // one month, or a flat year: from zero
        assert_eq!(ticks(&[191]).first(), Some(&0.0));
        assert_eq!(ticks(&[191, 192, 191]).first(), Some(&0.0));
        // never below zero
        assert_eq!(ticks(&[0, 0, 0]).first(), Some(&0.0));
    }
    #[test]
    fn year_lines_keep_the_newest_label_clear_of_the_legend_and_the_edge() {
        let mut now = [None; 12];
        now[9] = Some(10);
        now[10] = Some(12);
        now[11] = Some(123_456);
        let svg = year_lines(
            &YearLines {
                now,
                then: [None; 12],
            },
            "c",
        );
        let label = svg.split(r#"<text class="direct""#).nth(1).unwrap();
        // at the top: below its point, not on the legend row; at June: anchored leftwards
        assert!(label.contains(r#"text-anchor="end""#), "{label}");
        let y: f64 = label
            .split("y=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .parse()
            .unwrap();
        assert!(y > 30.0, "{label}");
    }
}
