//! The one table of CSV columns: every header variant TI has used for each report and
//! program-year era, which logical column it means, and whether a file must have it.
//!
//! Readers find columns by header name through [`COLUMNS`] (in `columns.rs`); the sample
//! generator writes the canonical header rows in [`CANONICAL_HEADERS`] (in `headers.rs`).
//! No other module names a header.

mod columns;
mod headers;

pub use columns::COLUMNS;
pub use headers::{CANONICAL_HEADERS, HeaderEra};

/// The four dashboard exports of the cache (DOMAIN.md §1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Report {
    /// `all-districts.csv`, one row per district.
    Summary,
    /// `club-performance.csv`: membership, DCP goals, status.
    Club,
    /// `district-performance.csv`: payments per club.
    District,
    /// `division-performance.csv`: area and division recognition per club.
    Division,
}

impl Report {
    /// The file name of this report inside a date or district folder.
    pub fn file_name(self) -> &'static str {
        match self {
            Report::Summary => "all-districts.csv",
            Report::Club => "club-performance.csv",
            Report::District => "district-performance.csv",
            Report::Division => "division-performance.csv",
        }
    }
}

/// A logical column, whatever TI called it in a given year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Col {
    // identity, shared by the three per-district reports
    District,
    Division,
    Area,
    ClubNumber,
    ClubName,
    CharterSuspend,
    // club report
    ClubStatus,
    Csp,
    MembershipBase,
    ActiveMembers,
    NetGrowth,
    GoalsMet,
    Ccs,
    AddCcs,
    Acs,
    AddAcs,
    ClAlDtms,
    AddClAlDtms,
    Level1s,
    Level2s,
    AddLevel2s,
    Level3s,
    Level4s,
    Level5s,
    Level4sPathDtm,
    AddLevel4sPathDtm,
    NewMembers,
    AddNewMembers,
    OfficersTrainedRound1,
    OfficersTrainedRound2,
    DuesOnTimeOct,
    DuesOnTimeApr,
    DuesOnTimeOctApr,
    OfficerListOnTime,
    ClubDistinguishedStatus,
    // district report
    NewPayments,
    LateRenewals,
    OctoberRenewals,
    AprilRenewals,
    TotalRenewals,
    CharterPayments,
    TotalToDate,
    DistinguishedStatus,
    // division report (club level)
    OctoberRenewedFlag,
    AprilRenewedFlag,
    NovVisitAward,
    MayVisitAward,
    MembershipToDate,
    ClubGoalsMet,
    DistinguishedClub,
    // division report (area level)
    AreaClubBase,
    AreaPaidGoalDistinguished,
    AreaPaidGoalSelect,
    AreaPaidGoalPresidents,
    AreaPaidClubs,
    AreaDistGoalDistinguished,
    AreaDistGoalSelect,
    AreaDistGoalPresidents,
    AreaDistinguishedClubs,
    DistinguishedArea,
    // division report (division level)
    DivisionClubBase,
    DivisionPaidGoalDistinguished,
    DivisionPaidGoalSelect,
    DivisionPaidGoalPresidents,
    DivisionPaidClubs,
    DivisionDistGoalDistinguished,
    DivisionDistGoalSelect,
    DivisionDistGoalPresidents,
    DivisionDistinguishedClubs,
    DistinguishedDivision,
    // summary
    Region,
    SummaryDistrict,
    Dsp,
    Training,
    MarketAnalysis,
    CommunicationPlan,
    RegionAdvisorVisit,
    SummaryNewPayments,
    SummaryAprilPayments,
    SummaryOctoberPayments,
    SummaryLatePayments,
    SummaryCharterPayments,
    TotalYtdPayments,
    PaymentBase,
    PaymentGrowthPct,
    PaidClubBase,
    PaidClubs,
    ClubGrowthPct,
    ActiveClubs,
    DistinguishedClubs,
    SelectDistinguishedClubs,
    PresidentsDistinguishedClubs,
    SmedleyDistinguishedClubs,
    TotalDistinguishedClubs,
    DistinguishedClubsPct,
}

impl Col {
    /// Number of variants, for tables indexed by `Col as usize`.
    pub const COUNT: usize = Col::DistinguishedClubsPct as usize + 1;
}

/// Whether a file must carry a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Missing is an error naming the file and the column.
    Required,
    /// Era-dependent: absent means unknown (`null`), never zero or false.
    Optional,
    /// Required unless the file has the other column (an older era's replacement).
    RequiredUnless(Col),
}

/// One logical column of one report.
#[derive(Debug)]
pub struct ColumnSpec {
    pub report: Report,
    pub col: Col,
    /// Accepted header texts; the first is TI's current spelling. Matched case-insensitively
    /// after trimming and collapsing inner whitespace.
    pub headers: &'static [&'static str],
    pub need: Need,
}

/// The canonical header of `report` for the program year starting in `start_year`: the
/// newest layout whose `from_year` is not after it.
pub fn canonical_headers(report: Report, start_year: i32) -> &'static HeaderEra {
    CANONICAL_HEADERS
        .iter()
        .rev()
        .find(|era| era.report == report && era.from_year.is_none_or(|y| y <= start_year))
        .or_else(|| CANONICAL_HEADERS.iter().find(|era| era.report == report))
        .expect("every report has at least one canonical header")
}

/// Normalizes a header cell for matching: trimmed, lower case, inner whitespace collapsed.
pub fn normalize_header(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The column spec of `report` whose header variants include `header`.
pub fn lookup(report: Report, header: &str) -> Option<&'static ColumnSpec> {
    let wanted = normalize_header(header);
    COLUMNS.iter().find(|spec| {
        spec.report == report && spec.headers.iter().any(|h| normalize_header(h) == wanted)
    })
}

/// The name of the canonical layout that exactly matches `headers`, if any.
pub fn identify_era(report: Report, headers: &[String]) -> Option<&'static str> {
    CANONICAL_HEADERS
        .iter()
        .find(|era| {
            era.report == report
                && era.headers.len() == headers.len()
                && era
                    .headers
                    .iter()
                    .zip(headers)
                    .all(|(a, b)| normalize_header(a) == normalize_header(b))
        })
        .map(|era| era.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_canonical_header_maps_to_a_known_column_once() {
        for era in CANONICAL_HEADERS {
            let mut seen = std::collections::HashSet::new();
            for h in era.headers {
                let spec = lookup(era.report, h)
                    .unwrap_or_else(|| panic!("{}: header {h:?} has no column", era.name));
                assert!(
                    seen.insert(spec.col),
                    "{}: {h:?} maps to a column twice",
                    era.name
                );
            }
        }
    }

    #[test]
    fn every_required_column_is_in_each_canonical_header() {
        for era in CANONICAL_HEADERS {
            let cols: Vec<Col> = era
                .headers
                .iter()
                .map(|h| lookup(era.report, h).unwrap().col)
                .collect();
            for spec in COLUMNS.iter().filter(|s| s.report == era.report) {
                let ok = match spec.need {
                    Need::Required => cols.contains(&spec.col),
                    Need::RequiredUnless(other) => {
                        cols.contains(&spec.col) || cols.contains(&other)
                    }
                    Need::Optional => true,
                };
                assert!(ok, "{} lacks required {:?}", era.name, spec.col);
            }
        }
    }

    #[test]
    fn col_count_covers_every_column() {
        assert!(COLUMNS.iter().all(|s| (s.col as usize) < Col::COUNT));
    }

    #[test]
    fn header_matching_ignores_case_and_spacing() {
        assert_eq!(
            lookup(Report::Division, "May visit award").unwrap().col,
            Col::MayVisitAward
        );
        assert_eq!(
            lookup(Report::Club, "  Level 2s  or EOM ").unwrap().col,
            Col::Level2s
        );
        assert!(lookup(Report::Club, "Favourite Colour").is_none());
    }

    #[test]
    fn canonical_header_follows_program_year() {
        assert_eq!(canonical_headers(Report::Club, 2024).name, "club-B-2020-25");
        assert_eq!(canonical_headers(Report::Club, 2025).name, "club-C-2025-26");
        assert_eq!(canonical_headers(Report::Club, 2027).name, "club-D-2026-27");
        assert_eq!(
            canonical_headers(Report::Summary, 2025).name,
            "summary-2025-26"
        );
    }
}
