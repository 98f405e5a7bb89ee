//! The archive of closed months (issue 24): `archive/<YYYY-MM>/` in every snapshot holds,
//! for every month whose final figures are in the cache, the site as it was on that
//! month's last day: the same render of the same model a `build --date <month end>`
//! makes, less the files only a live site has (hosting rules, the 404 page), the files it
//! shares with the current pages ([`shared_with_current`]: cumulative series, feeds,
//! calendars) and, unless asked (`--archive-clubs`), the club pages. So a history point and
//! its archive page agree by construction, and a past month has a citable address.
//!
//! This module owns which months are archived, where their files go and how pages link
//! to them and to what they share; `build` computes each month's model and renders it.

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

    /// Whether this render writes `rel` (a path from its root): the current pages write
    /// everything; an archive copy leaves out what [`keeps`] does not keep.
    pub fn holds(&self, rel: &str) -> bool {
        self.archive_of.is_none() || keeps(rel, self.club_pages)
    }

    /// From this render's root to the snapshot's: `""` for the current pages, `"../../"`
    /// in `archive/<month>/`.
    pub fn snapshot_up(&self) -> &'static str {
        if self.archive_of.is_some() {
            "../../"
        } else {
            ""
        }
    }

    /// The link from a page whose prefix to its render's root is `root` to `rel` (a path
    /// from that root): the render's own file, or for one an archive shares with the
    /// current pages ([`shared_with_current`]), the current one at the snapshot root.
    pub fn href(&self, root: &str, rel: &str) -> String {
        let up = if shared_with_current(rel) {
            self.snapshot_up()
        } else {
            ""
        };
        format!("{root}{up}{rel}")
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
/// 404 page (only the live site answers for the host), not what it shares with the
/// current pages, and club pages only when asked.
pub fn keeps(path: &str, club_pages: bool) -> bool {
    const LIVE_ONLY: [&str; 4] = [
        crate::render::hosting::HEADERS_FILE,
        crate::render::hosting::REDIRECTS_FILE,
        crate::render::hosting::NGINX_FILE,
        "404.html",
    ];
    if LIVE_ONLY.contains(&path)
        || path.starts_with(&format!("{DIR}/"))
        || shared_with_current(path)
    {
        return false;
    }
    club_pages || !is_club_page(path)
}

/// The files an archived month links at the snapshot root instead of holding its own:
/// - the cumulative series (a district's `history.json` and `clubs-history.json`,
///   `rankings-history.json`): a month's copy would be the start of the current one,
///   whose points of every closed month are the same final figures (by construction, and
///   checked in `tests/it/archive.rs`); holding them made the archive grow with the
///   square of the months (464 of 1,250 MB for a world cache of 16 closed months);
/// - what readers subscribe to for what comes next: the change feeds (`.atom`) and the
///   deadline calendars (`.ics`);
/// - the snapshot metadata (`snapshot.json`, also under `api/v1/`), written once at the
///   snapshot root.
pub fn shared_with_current(path: &str) -> bool {
    const API: &str = crate::render::json::API;
    let district_series = path
        .strip_prefix(&format!("{API}/districts/"))
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(_, name)| name == "history.json" || name == "clubs-history.json");
    district_series
        || path == format!("{API}/rankings-history.json")
        || path == "snapshot.json"
        || path == format!("{API}/snapshot.json")
        || path.ends_with(".atom")
        || path.ends_with(".ics")
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
