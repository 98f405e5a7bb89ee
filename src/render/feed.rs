//! The Atom 1.0 feed of a district's changes (`districts/<id>/changes.atom`), and of each
//! of its divisions and areas (beside their pages, the district's entries filtered to the
//! unit's clubs): one entry per date-to-date change, newest first. Entry ids name the district and the two dates, so they
//! are the same in every build and feed readers never see an entry twice. Times are the data
//! dates at midnight UTC: the feed carries no build time and stays byte-identical.

use super::calendar::Unit;
use crate::history::changes::{Change, Changes, ClubChange, Since};
use std::fmt::Write;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 forbids most control characters even when escaped.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else if n < 0 {
        format!("\u{2212}{}", -n)
    } else {
        "0".into()
    }
}

/// `Low → Active`, with unknown statuses named.
fn statuses(from: &Option<String>, to: &Option<String>) -> String {
    let name = |s: &Option<String>| s.clone().unwrap_or_else(|| "status unknown".into());
    format!("{} \u{2192} {}", name(from), name(to))
}

/// One line per club change, in words.
pub fn describe(change: &Change) -> String {
    match change {
        Change::LevelReached {
            from,
            to,
            provisional,
        } => format!(
            "reached {}{}{}",
            to.name(),
            from.map_or(String::new(), |f| format!(" (from {})", f.name())),
            if *provisional { ", provisional" } else { "" }
        ),
        Change::LevelDropped { from, to } => format!(
            "dropped from {} to {}",
            from.name(),
            to.map_or("no level", |t| t.name())
        ),
        Change::BecamePaid {
            from_status,
            to_status,
        } => format!("became paid ({})", statuses(from_status, to_status)),
        Change::BecameUnpaid {
            from_status,
            to_status,
        } => format!("no longer paid ({})", statuses(from_status, to_status)),
        Change::Goals { goals } => {
            let list: Vec<String> = goals.iter().map(u8::to_string).collect();
            format!(
                "met DCP goal{} {}",
                if goals.len() == 1 { "" } else { "s" },
                list.join(", ")
            )
        }
        Change::Chartered { charter_date } => match charter_date {
            Some(d) => format!("new club, chartered {d}"),
            None => "new club".into(),
        },
        Change::Suspended { .. } => "suspended".into(),
        Change::Reinstated { .. } => "reinstated".into(),
        Change::Moved {
            from_district,
            from_division,
            from_area,
            to_district,
            to_division,
            to_area,
        } => format!(
            "moved from District {from_district}, Division {from_division}, Area {from_area} to District {to_district}, Division {to_division}, Area {to_area}"
        ),
        Change::Removed => "no longer listed".into(),
        Change::Membership { from, to, change } => {
            format!("active members {from} \u{2192} {to} ({})", signed(*change))
        }
    }
}

/// The file name of every change feed, beside its page.
pub const FILE: &str = "changes.atom";

/// The feed of a district's changes.
pub fn district(id: &str, entries: &[Changes]) -> String {
    feed(id, Unit::District, entries)
}

/// The feed of a division's or an area's changes: the district's entries with only the
/// unit's clubs, an entry without any left out. The totals of an entry are the
/// district's, so a unit's entry counts its clubs' changes instead.
pub fn unit(id: &str, unit: Unit, entries: &[Changes]) -> String {
    feed(id, unit, entries)
}

fn feed(id: &str, unit: Unit, entries: &[Changes]) -> String {
    let mine = |c: &&ClubChange| unit.contains(&c.division_id, &c.area_id);
    let entries: Vec<(&Changes, Vec<&ClubChange>)> = entries
        .iter()
        .map(|e| (e, e.clubs.iter().filter(mine).collect::<Vec<_>>()))
        .filter(|(_, clubs)| unit == Unit::District || !clubs.is_empty())
        .collect();
    let updated = entries
        .first()
        .map_or_else(|| "1970-01-01".to_string(), |(e, _)| e.to_date.to_string());
    // `:division:A`, `:area:01`: ids of a unit's feed and entries never meet the district's
    let scope = match unit {
        Unit::District => String::new(),
        Unit::Division(d) => format!(":division:{}", escape(d.trim())),
        Unit::Area { area, .. } => format!(":area:{}", escape(area.trim())),
    };
    let who = match unit.name() {
        Some(name) => format!("District {}, {}", escape(id), escape(&name)),
        None => format!("District {}", escape(id)),
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <id>urn:toaststats:district:{id}{scope}:changes</id>\n  <title>{who}: what changed</title>\n  <updated>{updated}T00:00:00Z</updated>\n  <author><name>toaststats</name></author>\n  <link rel=\"alternate\" type=\"text/html\" href=\"index.html\"/>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{FILE}\"/>\n",
        id = escape(id)
    );
    for (e, clubs) in entries {
        let t = &e.totals;
        let mut body = String::new();
        if e.since == Since::ProgramYearStart {
            let _ = write!(
                body,
                "Since the start of the program year ({}): ",
                e.from_date
            );
        }
        if unit == Unit::District {
            let _ = write!(
                body,
                "Paid clubs {}, active members {}, distinguished clubs on track {}, education awards {}",
                t.paid_clubs.map_or_else(|| "unknown".to_string(), signed),
                signed(t.active_members),
                signed(t.distinguished_on_track),
                signed(t.education_awards)
            );
            if let Some(p) = t.payments {
                let _ = write!(body, ", payments {}", signed(p));
            }
        } else {
            let _ = write!(
                body,
                "{} change{} of the clubs of {who}",
                clubs.len(),
                if clubs.len() == 1 { "" } else { "s" }
            );
        }
        body.push('.');
        let mut items = String::new();
        for c in &clubs {
            let _ = write!(
                items,
                "<li>{} ({}), Area {}{}: {}</li>",
                escape(c.club_name.trim()),
                escape(&c.club_number),
                escape(&c.division_id),
                escape(&c.area_id),
                escape(&describe(&c.change))
            );
        }
        let html = if items.is_empty() {
            format!("<p>{}</p><p>No club changes.</p>", escape(&body))
        } else {
            format!("<p>{}</p><ul>{items}</ul>", escape(&body))
        };
        let _ = write!(
            out,
            "  <entry>\n    <id>urn:toaststats:district:{id}{scope}:changes:{from}:{to}</id>\n    <title>{who}: changes from {from} to {to} ({n} club{s})</title>\n    <updated>{to}T00:00:00Z</updated>\n    <link rel=\"alternate\" type=\"text/html\" href=\"index.html#what-changed\"/>\n    <content type=\"html\">{content}</content>\n  </entry>\n",
            id = escape(id),
            from = e.from_date,
            to = e.to_date,
            n = clubs.len(),
            s = if clubs.len() == 1 { "" } else { "s" },
            content = escape(&html)
        );
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::changes::{ClubChange, TotalsDelta};
    use chrono::NaiveDate;

    #[test]
    fn feed_escapes_names_and_keeps_stable_ids() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let changes = Changes {
            from_date: d("2026-08-20"),
            to_date: d("2026-09-22"),
            since: Since::Date,
            previous_date: None,
            span_days: 33,
            long_span: false,
            totals: TotalsDelta {
                clubs: Some(0),
                paid_clubs: Some(1),
                active_members: -4,
                payments: None,
                distinguished_on_track: 0,
                distinguished_clubs: 0,
                education_awards: 3,
            },
            clubs: vec![ClubChange {
                club_number: "00001234".into(),
                club_name: "Tom & Jerry <Speakers>\u{1}".into(),
                division_id: "A".into(),
                area_id: "01".into(),
                change: Change::Membership {
                    from: 20,
                    to: 16,
                    change: -4,
                },
            }],
        };
        let unit_feed = unit(
            "21",
            Unit::Area {
                division: "A",
                area: "01",
            },
            std::slice::from_ref(&changes),
        );
        assert!(unit_feed.contains("<id>urn:toaststats:district:21:area:01:changes</id>"));
        assert!(unit_feed.contains("<title>District 21, Area 01: what changed</title>"));
        assert!(unit_feed.contains("1 change of the clubs of District 21, Area 01."));
        // another area's feed has no entry: the district's one change is not its club's
        let other = unit(
            "21",
            Unit::Area {
                division: "A",
                area: "02",
            },
            std::slice::from_ref(&changes),
        );
        assert!(!other.contains("<entry>"), "{other}");
        let xml = district("21", &[changes]);
        assert!(xml.contains("<id>urn:toaststats:district:21:changes:2026-08-20:2026-09-22</id>"));
        assert!(xml.contains("Tom &amp;amp; Jerry &amp;lt;Speakers&amp;gt;"));
        assert!(!xml.contains('\u{1}'));
        assert!(xml.contains("active members \u{2212}4"));
        assert!(xml.contains("<updated>2026-09-22T00:00:00Z</updated>"));
    }
}
