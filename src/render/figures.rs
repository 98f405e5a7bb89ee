//! Figures that more than one output shows, each decided once: pages, JSON and downloads
//! all take a district's headline paid-club count from here.

use crate::compute::BuiltDistrict;
use crate::model::SummaryRow;

/// A district's paid clubs, one rule for every page and file (issue 20 item 6): TI's summary figure
/// when the summary of the district's own date lists it, else the club report's count of
/// `Active` clubs. Where the two differ, the note says once what the club report counts.
pub fn paid_clubs(
    built: Option<&BuiltDistrict>,
    summary: Option<&SummaryRow>,
) -> Option<(i64, Option<String>)> {
    let stale = built.is_some_and(|b| b.stale.is_some());
    let from_clubs = built.map(|b| b.stats.totals.paid_clubs);
    match (summary.filter(|_| !stale), from_clubs) {
        (Some(s), Some(c)) if c != s.paid_clubs => Some((
            s.paid_clubs,
            Some(format!(
                "TI's summary figure; the club report lists {} Active clubs",
                crate::render::html::format::int(c)
            )),
        )),
        (Some(s), _) => Some((s.paid_clubs, None)),
        (None, c) => c.map(|c| (c, None)),
    }
}
