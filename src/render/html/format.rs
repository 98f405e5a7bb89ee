//! Formatting of numbers, dates and identifiers for the pages. One place decides how a
//! figure reads (thousands separators, a true minus sign, two-decimal percentages), so
//! every page and every template override shows the same figure the same way.

use chrono::{Datelike, NaiveDate};

/// What a page shows for a value the exports do not give (never `0`).
pub const UNKNOWN: &str = "unknown";

/// U+2212: a hyphen reads as a dash, and screen readers say "minus" for this one.
const MINUS: char = '\u{2212}';

/// `14956` → `14,956`; negatives with a true minus sign.
pub fn int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push(MINUS);
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A change: `+12`, `−3`, `0`.
pub fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{}", int(n))
    } else {
        int(n)
    }
}

/// A share, two decimals as TI prints them: `29.55%`.
pub fn pct(v: f64) -> String {
    let s = format!("{:.2}%", v.abs());
    if v < 0.0 && s != "0.00%" {
        format!("{MINUS}{s}")
    } else {
        s
    }
}

/// A growth rate: `+4.55%`, `−7.69%`, `0.00%`.
pub fn signed_pct(v: f64) -> String {
    let s = pct(v);
    if v > 0.0 && s != "0.00%" {
        format!("+{s}")
    } else {
        s
    }
}

/// A sentence made outside the pages (a rule's risk text, kept exact in the JSON) with
/// its ASCII minus signs (`: -1`, `(-3`) made true minus signs for the page.
pub fn minus_signs(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut prev = ' ';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let signs = c == '-'
            && matches!(prev, ' ' | '(' | ':')
            && chars.peek().is_some_and(char::is_ascii_digit);
        out.push(if signs { MINUS } else { c });
        prev = c;
    }
    out
}

/// `(2026, 4)` → `April 2026`.
pub fn month(year: i32, month: u32) -> String {
    format!("{} {year}", crate::cache::footer::month_name(month))
}

/// `2026-04-20` → `20 April 2026`: day-month-year words cannot be misread in any country.
pub fn long_date(d: NaiveDate) -> String {
    format!("{} {}", d.day(), month(d.year(), d.month()))
}

/// `2025-2026` → `2025–2026` (an en dash for a range).
pub fn year_range(py: &str) -> String {
    py.replacen('-', "\u{2013}", 1)
}

/// A fragment of an HTML id from a TI code (`A`, `0D`, `01`). Letters, digits and `-`
/// pass; anything else becomes `_XX` (hex), so two different codes never share an id.
pub fn id_part(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    for b in code.trim().bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            out.push(b as char);
        } else {
            out.push_str(&format!("_{b:02X}"));
        }
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

/// Escapes text for HTML or SVG markup built in Rust (templates escape on their own).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `1` → `1st`, `12` → `12th`, `22` → `22nd`.
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(1000), "1,000");
        assert_eq!(int(14956), "14,956");
        assert_eq!(int(-1234567), "\u{2212}1,234,567");
        assert_eq!(signed(3), "+3");
        assert_eq!(signed(-3), "\u{2212}3");
        assert_eq!(signed(0), "0");
        assert_eq!(
            minus_signs("Net growth since July: -1 (need 3+); 2026-11-08 (-3)"),
            "Net growth since July: \u{2212}1 (need 3+); 2026-11-08 (\u{2212}3)"
        );
    }

    #[test]
    fn percentages() {
        assert_eq!(pct(29.545454545454547), "29.55%");
        assert_eq!(signed_pct(4.55), "+4.55%");
        assert_eq!(signed_pct(-7.69), "\u{2212}7.69%");
        assert_eq!(signed_pct(0.0), "0.00%");
        assert_eq!(signed_pct(-0.001), "0.00%");
    }

    #[test]
    fn dates_and_ids() {
        let d = NaiveDate::from_ymd_opt(2026, 4, 5).unwrap();
        assert_eq!(long_date(d), "5 April 2026");
        assert_eq!(month(2026, 3), "March 2026");
        assert_eq!(year_range("2025-2026"), "2025\u{2013}2026");
        assert_eq!(id_part("0D"), "0D");
        assert_eq!(id_part("A 1"), "A_201");
        assert_eq!(id_part(""), "_");
        assert_eq!(ordinal(1), "1st");
        assert_eq!(ordinal(12), "12th");
        assert_eq!(ordinal(22), "22nd");
        assert_eq!(ordinal(113), "113th");
    }
}
