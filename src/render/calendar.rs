//! Deadline calendars (issue 24): an iCalendar file (RFC 5545) per built district and per
//! division and area, `districts/<id>/calendar.ics`, `.../divisions/<division>/calendar.ics`
//! and `.../areas/<area>/calendar.ics`, holding the program year's deadlines of
//! [`crate::recognition::deadlines`] as all-day events that calendar apps can subscribe to.
//!
//! The bytes depend only on the presented data date, the unit and the site address: UIDs
//! name the deadline, program year and unit, and DTSTAMP is the program year's first day,
//! never the clock, so a rebuild of the same cache gives the same file and subscribers see
//! no churn.

use super::BuildModel;
use super::html::SiteAddress;
use super::html::format::{id_part, year_range};
use crate::recognition::deadlines::{self, Deadline};
use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The file name of every calendar.
pub const FILE: &str = "calendar.ics";

/// RFC 5545 §3.1: lines longer than 75 octets are folded.
const MAX_LINE_OCTETS: usize = 75;

/// A district, or one of its divisions or areas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit<'a> {
    District,
    Division(&'a str),
    /// An area with its division (the district page's anchor names both).
    Area {
        division: &'a str,
        area: &'a str,
    },
}

impl Unit<'_> {
    /// The unit's folder from the district's folder (`divisions/A/`, `areas/01/`; empty
    /// for the district itself): the one rule for where a unit's files sit, its calendar,
    /// page (`render::html` unit pages), clubs CSV and change feed.
    pub fn folder(&self) -> String {
        match self {
            Unit::District => String::new(),
            Unit::Division(d) => format!("divisions/{}/", id_part(d)),
            Unit::Area { area, .. } => format!("areas/{}/", id_part(area)),
        }
    }

    /// The calendar's path from the district's folder (`districts/<id>/`).
    pub fn href(&self) -> String {
        format!("{}{FILE}", self.folder())
    }

    /// Whether a club of `division` and `area` belongs to the unit.
    pub fn contains(&self, division: &str, area: &str) -> bool {
        match *self {
            Unit::District => true,
            Unit::Division(d) => division == d,
            Unit::Area {
                division: d,
                area: a,
            } => division == d && area == a,
        }
    }

    /// `Division A`, `Area 01`; `None` for the district itself.
    pub fn name(&self) -> Option<String> {
        match self {
            Unit::District => None,
            Unit::Division(d) => Some(format!("Division {d}")),
            Unit::Area { area, .. } => Some(format!("Area {area}")),
        }
    }

    fn uid_part(&self) -> String {
        match self {
            Unit::District => String::new(),
            Unit::Division(d) => format!("-division-{}", id_part(d)),
            Unit::Area { area, .. } => format!("-area-{}", id_part(area)),
        }
    }

    /// The unit's page from the district's folder: its row on the divisions page.
    fn page(&self) -> String {
        match self {
            Unit::District => "index.html".into(),
            Unit::Division(d) => {
                format!("divisions/index.html#{}", super::html::division_anchor(d))
            }
            Unit::Area { division, area } => format!(
                "divisions/index.html#{}",
                super::html::area_anchor(division, area)
            ),
        }
    }
}

/// The calendar path of a unit from the snapshot root.
pub fn path(district: &str, unit: Unit) -> String {
    format!("districts/{district}/{}", unit.href())
}

/// Every division and area of a built district, divisions first in TI's order, each
/// followed by its areas; TI numbers areas across the whole district, so should two
/// divisions ever share an area code, the first keeps the folder rather than a silent
/// overwrite. Calendars, unit pages, CSVs and feeds are all made for these.
pub fn units(b: &super::BuiltDistrict) -> Vec<Unit<'_>> {
    let mut out: Vec<Unit> = Vec::new();
    for dv in &b.stats.divisions {
        out.push(Unit::Division(&dv.division_id));
        for a in &dv.areas {
            let unit = Unit::Area {
                division: &dv.division_id,
                area: &a.area_id,
            };
            if !out.iter().any(|u| u.folder() == unit.folder()) {
                out.push(unit);
            }
        }
    }
    out
}

/// The `webcal://` address of a unit's calendar under the site's public address (`https://`
/// or `http://`, ending in `/`): calendar apps subscribe to it and fetch it again.
pub fn webcal(site_url: &str, district: &str, unit: Unit) -> Option<String> {
    let rest = site_url
        .strip_prefix("https://")
        .or_else(|| site_url.strip_prefix("http://"))?;
    Some(format!("webcal://{rest}{}", path(district, unit)))
}

/// Adds the calendar of every built district, division and area to `files`.
pub fn render(
    model: &BuildModel,
    site: Option<&SiteAddress>,
    files: &mut BTreeMap<String, Vec<u8>>,
) {
    let data_date = model.dated.period.data_date;
    let events = deadlines::for_calendar(data_date);
    let py_start = crate::cache::footer::program_year_start(data_date);
    for b in &model.districts {
        let id = b.district.id.as_str();
        for unit in std::iter::once(Unit::District).chain(units(b)) {
            files.insert(
                path(id, unit),
                calendar(id, unit, py_start, &events, site).into_bytes(),
            );
        }
    }
}

/// The whole calendar of one unit.
pub fn calendar(
    district: &str,
    unit: Unit,
    py_start: i32,
    events: &[Deadline],
    site: Option<&SiteAddress>,
) -> String {
    let who = match unit.name() {
        Some(name) => format!("District {district}, {name}"),
        None => format!("District {district}"),
    };
    let short = unit
        .name()
        .unwrap_or_else(|| format!("District {district}"));
    let years = year_range(&py_label(py_start));
    // the program year's first day: fixed for the year, so the bytes do not churn
    let stamp = format!("{py_start:04}0701T000000Z");
    let mut ics = Ics::default();
    ics.line("BEGIN:VCALENDAR");
    ics.line("VERSION:2.0");
    ics.line("PRODID:-//toaststats//deadline calendar//EN");
    ics.line("CALSCALE:GREGORIAN");
    ics.line("METHOD:PUBLISH");
    ics.text("X-WR-CALNAME", &format!("Toastmasters {who}: deadlines"));
    ics.text(
        "X-WR-CALDESC",
        &format!(
            "The deadlines of the Toastmasters program year {years} for {who}: officer training, the Club Success Plan, dues, club visits and the year's end. Generated by toaststats from its rule tables."
        ),
    );
    // subscribers look again once a day, the pace of the nightly build
    ics.line("REFRESH-INTERVAL;VALUE=DURATION:P1D");
    ics.line("X-PUBLISHED-TTL:P1D");
    for e in events {
        ics.line("BEGIN:VEVENT");
        ics.line(&format!(
            "UID:{}-{}-district-{}{}@toaststats",
            e.kind,
            py_label(e.py_start),
            id_part(district),
            unit.uid_part()
        ));
        ics.line(&format!("DTSTAMP:{stamp}"));
        ics.line(&format!("DTSTART;VALUE=DATE:{}", ymd(e.start)));
        // all-day events end the day after their last day (DTEND is exclusive)
        if let Some(end) = e.end.checked_add_days(Days::new(1)) {
            ics.line(&format!("DTEND;VALUE=DATE:{}", ymd(end)));
        }
        ics.text("SUMMARY", &format!("{} ({short})", e.title));
        let mut description = e.description.clone();
        let _ = write!(
            description,
            "\nProgram year {}, {who}.",
            year_range(&py_label(e.py_start))
        );
        ics.text("DESCRIPTION", &description);
        ics.line("TRANSP:TRANSPARENT");
        if let Some(site) = site {
            ics.line(&format!(
                "URL:{}districts/{district}/{}",
                site.url,
                unit.page()
            ));
        }
        // a week before the day, or before a window's last day
        ics.line("BEGIN:VALARM");
        ics.line("ACTION:DISPLAY");
        if e.is_window() {
            ics.line("TRIGGER;RELATED=END:-P8D");
            ics.text("DESCRIPTION", &format!("{} closes in a week", e.title));
        } else {
            ics.line("TRIGGER:-P7D");
            ics.text("DESCRIPTION", &format!("{} in a week", e.title));
        }
        ics.line("END:VALARM");
        ics.line("END:VEVENT");
    }
    ics.line("END:VCALENDAR");
    ics.out
}

/// `2026` → `2026-2027`.
fn py_label(py_start: i32) -> String {
    format!("{py_start}-{}", py_start + 1)
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// Content lines, CRLF-terminated and folded.
#[derive(Default)]
struct Ics {
    out: String,
}

impl Ics {
    fn line(&mut self, line: &str) {
        fold_into(&mut self.out, line);
    }

    fn text(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{}", escape_text(value)));
    }
}

/// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newline escaped;
/// other control characters, which TEXT does not allow, are dropped.
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` with CRLF, folded so that no physical line exceeds 75 octets; a fold
/// never splits a UTF-8 character, and each continuation starts with one space.
pub fn fold_into(out: &mut String, line: &str) {
    let mut room = MAX_LINE_OCTETS;
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > room {
            out.push_str("\r\n ");
            // the leading space counts toward the continuation's 75 octets
            room = MAX_LINE_OCTETS - 1;
            used = 0;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "")
    }

    #[test]
    fn a_units_files_share_its_folder_and_it_holds_only_its_clubs() {
        let area = Unit::Area {
            division: "B",
            area: "03",
        };
        assert_eq!(area.folder(), "areas/03/");
        assert_eq!(area.href(), "areas/03/calendar.ics");
        assert_eq!(Unit::Division("0D").folder(), "divisions/0D/");
        assert_eq!(Unit::District.href(), FILE);
        assert!(area.contains("B", "03"));
        assert!(
            !area.contains("C", "03"),
            "the same code in another division"
        );
        assert!(Unit::Division("B").contains("B", "04"));
        assert!(!Unit::Division("B").contains("BB", "04"));
        assert!(Unit::District.contains("Z", "99"));
    }

    #[test]
    fn text_values_escape_the_four_specials() {
        assert_eq!(escape_text("a\\b;c,d\ne\u{7}f"), "a\\\\b\\;c\\,d\\nef");
    }

    #[test]
    fn folding_keeps_multibyte_characters_whole() {
        // 73 ASCII octets, then a 3-octet en dash straddling the 75-octet limit
        let line = format!("SUMMARY:{}\u{2013}{}", "x".repeat(65), "y".repeat(200));
        let mut out = String::new();
        fold_into(&mut out, &line);
        assert!(out.ends_with("\r\n"));
        let physical: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(physical.len() > 3);
        assert!(
            physical.iter().all(|l| l.len() <= MAX_LINE_OCTETS),
            "{physical:?}"
        );
        // the dash did not fit on the first line: it starts the continuation
        assert_eq!(physical[0].len(), 73);
        assert!(physical[1].starts_with(" \u{2013}"));
        assert!(physical[1..].iter().all(|l| l.starts_with(' ')));
        assert_eq!(unfold(&out), format!("{line}\r\n"));
        // a line of exactly 75 octets is not folded
        let mut exact = String::new();
        fold_into(&mut exact, &"z".repeat(75));
        assert_eq!(exact, format!("{}\r\n", "z".repeat(75)));
    }

    #[test]
    fn a_calendar_is_complete_and_deterministic() {
        let events = deadlines::program_year(2026);
        let site = SiteAddress {
            url: "https://x.github.io/d61/".into(),
            base_path: "/d61/".into(),
        };
        let unit = Unit::Area {
            division: "B",
            area: "03",
        };
        let ics = calendar("61", unit, 2026, &events, Some(&site));
        assert_eq!(ics, calendar("61", unit, 2026, &events, Some(&site)));
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'));
        let text = unfold(&ics);
        assert!(text.contains("X-WR-CALNAME:Toastmasters District 61\\, Area 03: deadlines\r\n"));
        assert!(text.contains("UID:visit-round-1-2026-2027-district-61-area-03@toaststats\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20261130\r\nDTEND;VALUE=DATE:20261201\r\n"));
        // the window of officer training round 1 ends the day after 31 August
        assert!(text.contains("DTSTART;VALUE=DATE:20260601\r\nDTEND;VALUE=DATE:20260901\r\n"));
        assert!(text.contains(
            "URL:https://x.github.io/d61/districts/61/divisions/index.html#area-B-03\r\n"
        ));
        assert_eq!(text.matches("BEGIN:VEVENT").count(), events.len());
        assert_eq!(
            text.matches("DTSTAMP:20260701T000000Z").count(),
            events.len()
        );
        assert_eq!(path("61", unit), "districts/61/areas/03/calendar.ics");
        assert_eq!(
            webcal(&site.url, "61", Unit::District).as_deref(),
            Some("webcal://x.github.io/d61/districts/61/calendar.ics")
        );
        assert_eq!(webcal("ftp://x/", "61", Unit::District), None);
    }
}
