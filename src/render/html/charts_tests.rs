//! Tests of the SVG charts, and of the palette in `templates/site.css` they draw with:
//! the WCAG contrast ratios are computed from that one definition.

use super::*;
use std::collections::HashMap;

#[test]
fn level_segments_fill_the_bar_highest_first_and_skip_zeros() {
    let svg = level_bars(
        &[LevelRow {
            label: "A".into(),
            counts: [1, 0, 1, 0, 2],
        }],
        "cap",
    );
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    assert_eq!(
        svg.matches(r#"class="lv2 seg""#).count(),
        0,
        "no Select clubs"
    );
    // President's (1 of 4) from the axis's zero, then Distinguished, then none
    let p = svg.find(r#"class="lv3 seg" x="40""#).expect("P at zero");
    let d = svg.find(r#"class="lv1 seg" x="112""#).expect("D after P");
    let none = svg.find(r#"class="lv0 seg" x="184""#).expect("none last");
    assert!(p < d && d < none);
    assert!(svg.contains(r#"width="72""#), "a quarter of 288");
    assert!(svg.contains(">2 of 4<"));
    for tick in ["0%", "25%", "50%", "75%", "100%"] {
        assert!(svg.contains(&format!(">{tick}<")), "{tick}");
    }
    // direct labels inside the segments, in the ink of each colour
    assert!(svg.contains(r#"class="ink-lv3""#) && svg.contains(r#"class="ink-lv0""#));
}

#[test]
fn level_key_follows_the_level_order() {
    use crate::model::Level;
    let keys: Vec<u8> = [
        None,
        Some(Level::D),
        Some(Level::S),
        Some(Level::P),
        Some(Level::M),
    ]
    .into_iter()
    .map(level_key)
    .collect();
    assert_eq!(keys, [0, 1, 2, 3, 4]);
    assert_eq!(LEVEL_CLASSES[2], format!("lv{}", level_key(Some(Level::P))));
}

#[test]
fn a_two_percent_gap_reads_as_two_percent_from_zero() {
    let svg = membership_bars(
        &[
            PairRow {
                label: "A".into(),
                base: 100,
                value: 102,
            },
            PairRow {
                label: "B".into(),
                base: 100,
                value: 90,
            },
            PairRow {
                label: "<C&>".into(),
                base: 0,
                value: 3,
            },
        ],
        "cap",
    );
    assert!(svg.contains("&lt;C&amp;&gt;") && svg.contains(">base unknown<"));
    assert!(svg.contains(">+2 (+2.00%)<") && svg.contains(">\u{2212}10 (\u{2212}10.00%)<"));
    // the longest end label (13 characters, 125 px) leaves 275 px of bars; ticks −10 % …
    // +5 % at a step of 5, so 2 % is 36.7 px from the zero line and −10 % 183.3 px
    for tick in [">\u{2212}10%<", ">\u{2212}5%<", ">0<", ">+5%<"] {
        assert!(svg.contains(tick), "{tick}");
    }
    assert!(svg.contains(r#"<path class="zero" d="M223.3 "#), "{svg}");
    assert!(svg.contains(r#"class="gain" x="223.3" y="30" width="36.7""#));
    assert!(svg.contains(r#"class="loss" x="40" y="56" width="183.3""#));
    assert!(
        svg.contains(r#"<text x="321" y="69">"#),
        "labels start 6 px after the bars"
    );
}

#[test]
fn nice_ticks_are_round_and_cover_the_values() {
    assert_eq!(
        nice_ticks(191.0, 222.0, 4, 1.0),
        [190.0, 200.0, 210.0, 220.0, 230.0]
    );
    assert_eq!(nice_ticks(0.0, 4.0, 4, 1.0), [0.0, 1.0, 2.0, 3.0, 4.0]);
    assert_eq!(nice_ticks(5.0, 5.0, 4, 1.0), [4.0, 5.0, 6.0]);
    assert_eq!(nice_ticks(-0.5, 0.0, 4, 1.0), [-1.0, 0.0]);
}

#[test]
fn goals_strip_marks_and_numbers_each_goal_in_groups() {
    let mut g = [false; 10];
    g[0] = true;
    g[9] = true;
    let svg = goals_strip(
        &g,
        &super::super::club_cells::GRID_GAPS_AFTER,
        "goals-caption",
    );
    // one met and one unmet cell drawn once, placed ten times in TI's groups
    assert_eq!(svg.matches(r#"class="met""#).count(), 1);
    assert_eq!(svg.matches(r#"class="unmet""#).count(), 1);
    assert_eq!(svg.matches(r##"<use href="#gm""##).count(), 2);
    assert_eq!(svg.matches(r##"<use href="#gu""##).count(), 8);
    let places: Vec<&str> = svg
        .split(r#"<use href="#)
        .skip(1)
        .map(|u| {
            u.split(r#" x=""#)
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(
        places,
        [
            "1", "31", "61", "91", "121", "151", "193", "223", "265", "307"
        ],
        "gaps after goals 6, 8 and 9"
    );
    // every goal met: no unmet cell is defined
    assert!(!goals_strip(&[true; 10], &[], "c").contains("unmet"));
    assert!(svg.contains(">10</text>") && svg.contains(r#"aria-labelledby="goals-caption""#));
}

// ---- the palette, from templates/site.css ----

const CSS: &str = include_str!("../../../templates/site.css");

/// The custom properties of every `:root` rule, with the `@media` prelude around it ("" at
/// the top level).
fn root_rules(css: &str) -> Vec<(String, HashMap<String, String>)> {
    let mut text = String::new();
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        text.push_str(&rest[..i]);
        rest = rest[i..].split_once("*/").map_or("", |(_, r)| r);
    }
    text.push_str(rest);
    let mut out = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut start = 0;
    for (i, ch) in text.char_indices() {
        match ch {
            '{' => {
                let prelude = text[start..i].trim().to_string();
                if prelude == ":root" {
                    let body = &text[i + 1..i + text[i..].find('}').unwrap()];
                    let vars = body
                        .split(';')
                        .filter_map(|d| d.split_once(':'))
                        .filter(|(k, _)| k.trim().starts_with("--"))
                        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                        .collect();
                    let media = stack.iter().find(|p| p.starts_with("@media"));
                    out.push((media.cloned().unwrap_or_default(), vars));
                }
                stack.push(prelude);
                start = i + 1;
            }
            '}' => {
                stack.pop();
                start = i + 1;
            }
            ';' => start = i + 1,
            _ => {}
        }
    }
    out
}

/// The variables in force for a scheme: the top-level ones, then those of the `@media`
/// rules whose prelude `applies`.
fn scheme(applies: impl Fn(&str) -> bool) -> HashMap<String, String> {
    let mut vars = HashMap::new();
    for (media, v) in root_rules(CSS) {
        if media.is_empty() || applies(&media) {
            vars.extend(v);
        }
    }
    vars
}

fn luminance(hex: &str) -> f64 {
    let hex = hex.trim_start_matches('#');
    let hex: String = if hex.len() == 3 {
        hex.chars().flat_map(|c| [c, c]).collect()
    } else {
        hex.to_string()
    };
    assert_eq!(hex.len(), 6, "a #rgb or #rrggbb colour: {hex}");
    let channel = |i: usize| {
        let c = u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

/// WCAG 2 contrast ratio of two colours.
fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn wcag_contrast_of_known_pairs() {
    assert!((contrast("#000", "#fff") - 21.0).abs() < 1e-9);
    assert!((contrast("#767676", "#ffffff") - 4.54).abs() < 0.01);
}

#[test]
fn the_level_palette_is_ordered_and_contrasted_in_every_scheme() {
    let schemes = [
        ("light", scheme(|_| false)),
        (
            "dark",
            scheme(|m| m.contains("prefers-color-scheme:dark") && !m.contains("print")),
        ),
        ("print", scheme(|m| m.contains("print"))),
    ];
    for (name, vars) in &schemes {
        let get = |k: &str| {
            vars.get(k)
                .unwrap_or_else(|| panic!("{name}: {k} is not defined"))
                .as_str()
        };
        let bg = get("--bg");
        let levels: Vec<&str> = (0..5).map(|i| get(&format!("--lv{i}"))).collect();
        for (i, c) in levels.iter().enumerate() {
            let r = contrast(c, bg);
            assert!(r >= 3.0, "{name}: --lv{i} {c} on the page {bg}: {r:.2}");
            let ink = get(&format!("--lv{i}-ink"));
            let r = contrast(c, ink);
            assert!(r >= 4.5, "{name}: text {ink} on --lv{i} {c}: {r:.2}");
        }
        for (i, pair) in levels.windows(2).enumerate() {
            let r = contrast(pair[0], pair[1]);
            assert!(
                r >= 3.0,
                "{name}: --lv{i} and --lv{} {pair:?}: {r:.2}",
                i + 1
            );
        }
        for k in ["--c-now", "--c-then", "--c-loss"] {
            let r = contrast(get(k), bg);
            assert!(r >= 3.0, "{name}: {k} on the page: {r:.2}");
        }
        let r = contrast(get("--c-now"), get("--c-now-ink"));
        assert!(r >= 4.5, "{name}: the tick on a met goal: {r:.2}");
    }
    // dark differs from light, and print keeps the light palette
    assert_ne!(schemes[0].1["--lv1"], schemes[1].1["--lv1"]);
    assert_eq!(schemes[0].1["--lv1"], schemes[2].1["--lv1"]);
}

#[test]
fn every_level_class_the_charts_use_has_its_colour_rules() {
    for class in LEVEL_CLASSES {
        assert!(
            CSS.contains(&format!(".{class}{{fill:var(--{class})}}")),
            "{class}"
        );
        assert!(
            CSS.contains(&format!(".ink-{class}{{fill:var(--{class}-ink)}}")),
            "{class}"
        );
    }
}

#[test]
fn whole_coordinates_lose_their_zero_decimal_and_nothing_else_changes() {
    assert_eq!(
        super::without_zero_decimals(
            r#"<rect x="40.0" y="48.5" width="280.0"/><text>10.05 −3.0% 7.0</text>"#
        ),
        r#"<rect x="40" y="48.5" width="280"/><text>10.05 −3% 7</text>"#
    );
}
