//! The archive of closed months (issue 24): `archive/<YYYY-MM>/` in every snapshot holds,
//! for every month whose final figures are in the cache, the site as it was on that
//! month's last day: the same render of the same model a `build --date <month end>`
//! makes, less the files only a live site has (hosting rules, the 404 page) and, unless
//! asked (`--archive-clubs`), the club pages. So a history point and its archive page
//! agree by construction, and a past month has a citable address.
//!
//! This module owns which months are archived, where their files go and how pages link
//! to them; `build` computes each month's model and renders it.

use crate::history::digest::is_month_end;
use chrono::{Datelike, NaiveDate};

/// The archive's folder at the snapshot root.
pub const DIR: &str = "archive";

/// Where one render's pages sit, and what they may link to.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    /// The month end this render is the archive of; `None` for the current pages.
    pub archive_of: Option<NaiveDate>,
    /// The month ends the snapshot archives, oldest first (the history tables link them).
    pub archived: Vec<NaiveDate>,
    /// The render includes the club pages (district pages link them only then).
    pub club_pages: bool,
    /// The archived months include their club pages (`--archive-clubs`).
    pub archive_clubs: bool,
}

impl Placement {
    /// The current pages of a snapshot that archives the month ends `archived`.
    pub fn current(archived: Vec<NaiveDate>, archive_clubs: bool) -> Placement {
        Placement {
            archive_of: None,
            archived,
            club_pages: true,
            archive_clubs,
        }
    }

    /// The archive copy of the month ending `month_end` in a snapshot archiving
    /// `archived`: it links the months archived before it.
    pub fn archive(archived: &[NaiveDate], month_end: NaiveDate, club_pages: bool) -> Placement {
        Placement {
            archive_of: Some(month_end),
            archived: archived
                .iter()
                .copied()
                .filter(|m| *m < month_end)
                .collect(),
            club_pages,
            archive_clubs: club_pages,
        }
    }

    /// The link from a page whose prefix to its own render's root is `root` to `rel` in
    /// the archive of `month_end`; `None` when that month is not archived.
    pub fn archive_href(&self, root: &str, month_end: NaiveDate, rel: &str) -> Option<String> {
        if !self.archived.contains(&month_end) {
            return None;
        }
        let month = month_name(month_end);
        Some(match self.archive_of {
            // an archive's root is `archive/<month>/`: its siblings are one level up
            Some(_) => format!("{root}../{month}/{rel}"),
            None => format!("{root}{DIR}/{month}/{rel}"),
        })
    }
}

/// `2026-10`.
pub fn month_name(month_end: NaiveDate) -> String {
    format!("{:04}-{:02}", month_end.year(), month_end.month())
}

/// The folder of a month's archive from the snapshot root: `archive/2026-10`.
pub fn month_dir(month_end: NaiveDate) -> String {
    format!("{DIR}/{}", month_name(month_end))
}

/// The closed months of a snapshot presenting `presented`: every month-end date of its
/// history (`dates`, the usable data dates) in an earlier month. The cache holds data of
/// a later month, so TI has finished the month and its newest figures are final
/// (DOMAIN.md §3.3).
pub fn archived_months(dates: &[NaiveDate], presented: NaiveDate) -> Vec<NaiveDate> {
    let presented_month = (presented.year(), presented.month());
    let mut out: Vec<NaiveDate> = dates
        .iter()
        .copied()
        .filter(|d| is_month_end(*d) && (d.year(), d.month()) < presented_month)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether a month's archive keeps `path` of its render: not the hosting rules and the
/// 404 page (only the live site answers for the host), and club pages only when asked.
pub fn keeps(path: &str, club_pages: bool) -> bool {
    const LIVE_ONLY: [&str; 4] = [
        crate::render::hosting::HEADERS_FILE,
        crate::render::hosting::REDIRECTS_FILE,
        crate::render::hosting::NGINX_FILE,
        "404.html",
    ];
    // A calendar is for subscribing to the year ahead: the current one is the one to use.
    if LIVE_ONLY.contains(&path) || path.starts_with(&format!("{DIR}/")) || path.ends_with(".ics") {
        return false;
    }
    club_pages || !is_club_page(path)
}

/// `districts/<id>/clubs/<number>/index.html`.
fn is_club_page(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    parts.len() == 5 && parts[0] == "districts" && parts[2] == "clubs"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn links_reach_a_months_archive_from_the_current_pages_and_from_another_archive() {
        let current = Placement {
            archive_of: None,
            archived: vec![d("2026-09-30"), d("2026-10-31")],
            club_pages: true,
            archive_clubs: false,
        };
        assert_eq!(
            current.archive_href("../../", d("2026-09-30"), "districts/02/index.html"),
            Some("../../archive/2026-09/districts/02/index.html".into())
        );
        assert_eq!(current.archive_href("../../", d("2026-08-31"), "x"), None);
        let archived = Placement {
            archive_of: Some(d("2026-10-31")),
            ..current
        };
        // from archive/2026-10/districts/02/index.html
        assert_eq!(
            archived.archive_href("../../", d("2026-09-30"), "districts/02/index.html"),
            Some("../../../2026-09/districts/02/index.html".into())
        );
    }

    #[test]
    fn the_archive_leaves_out_live_only_files_and_club_pages_unless_asked() {
        assert!(keeps("districts/02/index.html", false));
        assert!(keeps("api/v1/districts/02.json", false));
        assert!(!keeps("districts/02/clubs/01578717/index.html", false));
        assert!(keeps("districts/02/clubs/01578717/index.html", true));
        assert!(!keeps("_headers", true));
        assert!(!keeps("404.html", true));
        assert!(!keeps("archive/2026-09/index.html", true));
        assert!(!keeps("districts/02/calendar.ics", true));
    }
}
