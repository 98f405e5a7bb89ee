//! The one table of CSV columns: every header variant TI has used for each report and
//! program-year era, which logical column it means, and whether a file must have it.
//!
//! Readers find columns by header name through [`COLUMNS`]; the sample generator writes
//! the canonical header rows in [`CANONICAL_HEADERS`]. No other module names a header.

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

const fn spec(
    report: Report,
    col: Col,
    headers: &'static [&'static str],
    need: Need,
) -> ColumnSpec {
    ColumnSpec {
        report,
        col,
        headers,
        need,
    }
}

use Col as C;
use Need::{Optional as Opt, Required as Req, RequiredUnless as Unless};
use Report::{Club as CL, District as DI, Division as DV, Summary as SU};

/// Every column of every report, with every header variant seen in real files or tolerated
/// by earlier tools (DOMAIN.md §2.2–§2.5).
pub static COLUMNS: &[ColumnSpec] = &[
    // ---- club-performance.csv, eras A-D
    spec(CL, C::District, &["District"], Req),
    spec(CL, C::Division, &["Division", "Div"], Req),
    spec(CL, C::Area, &["Area"], Req),
    spec(
        CL,
        C::ClubNumber,
        &["Club Number", "Club ID", "ClubId", "ClubID", "Club"],
        Req,
    ),
    spec(CL, C::ClubName, &["Club Name", "ClubName", "Name"], Req),
    spec(CL, C::ClubStatus, &["Club Status", "Status"], Req),
    spec(
        CL,
        C::Csp,
        &[
            "CSP",
            "Club Success Plan",
            "CSP Submitted",
            "Club Success Plan Submitted",
        ],
        Opt,
    ),
    spec(
        CL,
        C::MembershipBase,
        &["Mem. Base", "Membership Base"],
        Req,
    ),
    spec(
        CL,
        C::ActiveMembers,
        &["Active Members", "Active Membership"],
        Req,
    ),
    spec(CL, C::NetGrowth, &["Net Growth"], Opt),
    spec(CL, C::GoalsMet, &["Goals Met", "DCP Goals"], Req),
    spec(CL, C::Ccs, &["CCs"], Opt),
    spec(CL, C::AddCcs, &["Add. CCs"], Opt),
    spec(CL, C::Acs, &["ACs"], Opt),
    spec(CL, C::AddAcs, &["Add. ACs"], Opt),
    spec(CL, C::ClAlDtms, &["CL/AL/DTMs"], Opt),
    spec(CL, C::AddClAlDtms, &["Add. CL/AL/DTMs"], Opt),
    spec(CL, C::Level1s, &["Level 1s"], Req),
    spec(CL, C::Level2s, &["Level 2s", "Level 2s or EOM"], Req),
    spec(
        CL,
        C::AddLevel2s,
        &["Add. Level 2s", "Add. Level 2s or EOM"],
        Req,
    ),
    spec(CL, C::Level3s, &["Level 3s"], Req),
    spec(CL, C::Level4s, &["Level 4s"], Opt),
    spec(CL, C::Level5s, &["Level 5s"], Opt),
    spec(
        CL,
        C::Level4sPathDtm,
        &[
            "Level 4s, Path Completions, or DTM Awards",
            "Level 4s, Level 5s, or DTM award",
        ],
        Unless(C::Level4s),
    ),
    spec(
        CL,
        C::AddLevel4sPathDtm,
        &[
            "Add. Level 4s, Path Completions, or DTM award",
            "Add. Level 4s, Level 5s, or DTM award",
        ],
        Unless(C::Level4s),
    ),
    spec(CL, C::NewMembers, &["New Members"], Req),
    spec(CL, C::AddNewMembers, &["Add. New Members"], Req),
    spec(CL, C::OfficersTrainedRound1, &["Off. Trained Round 1"], Req),
    spec(CL, C::OfficersTrainedRound2, &["Off. Trained Round 2"], Req),
    spec(
        CL,
        C::DuesOnTimeOct,
        &["Mem. dues on time Oct"],
        Unless(C::DuesOnTimeOctApr),
    ),
    spec(
        CL,
        C::DuesOnTimeApr,
        &["Mem. dues on time Apr"],
        Unless(C::DuesOnTimeOctApr),
    ),
    spec(
        CL,
        C::DuesOnTimeOctApr,
        &["Mem. dues on time Oct & Apr"],
        Opt,
    ),
    spec(CL, C::OfficerListOnTime, &["Off. List On Time"], Req),
    spec(
        CL,
        C::ClubDistinguishedStatus,
        &[
            "Club Distinguished Status",
            "Distinguished Status",
            "Distinguished",
        ],
        Req,
    ),
    // ---- district-performance.csv (payments per club)
    spec(DI, C::District, &["District"], Req),
    spec(DI, C::Division, &["Division", "Div"], Req),
    spec(DI, C::Area, &["Area"], Req),
    spec(DI, C::ClubNumber, &["Club", "Club Number", "Club ID"], Req),
    spec(DI, C::ClubName, &["Club Name"], Req),
    spec(DI, C::NewPayments, &["New", "New Members"], Req),
    spec(DI, C::LateRenewals, &["Late Ren.", "Late Ren"], Req),
    spec(
        DI,
        C::OctoberRenewals,
        &["Oct. Ren.", "Oct. Ren", "October Renewals", "Oct Ren"],
        Req,
    ),
    spec(
        DI,
        C::AprilRenewals,
        &["Apr. Ren.", "Apr. Ren", "April Renewals", "Apr Ren"],
        Req,
    ),
    spec(DI, C::TotalRenewals, &["Total Ren.", "Total Ren"], Req),
    spec(DI, C::CharterPayments, &["Total Chart"], Req),
    spec(
        DI,
        C::TotalToDate,
        &["Total to Date", "Payments", "Total"],
        Req,
    ),
    spec(DI, C::DistinguishedStatus, &["Distinguished Status"], Req),
    spec(DI, C::CharterSuspend, &["Charter Date/Suspend Date"], Req),
    // ---- division-performance.csv
    spec(DV, C::District, &["District"], Req),
    spec(DV, C::Division, &["Division", "Div"], Req),
    spec(DV, C::Area, &["Area"], Req),
    spec(DV, C::ClubNumber, &["Club", "Club Number", "Club ID"], Req),
    spec(DV, C::ClubName, &["Club Name"], Req),
    spec(DV, C::OctoberRenewedFlag, &["October Renewals"], Req),
    spec(DV, C::AprilRenewedFlag, &["April Renewals"], Req),
    spec(DV, C::NovVisitAward, &["Nov Visit award"], Req),
    spec(DV, C::MayVisitAward, &["May Visit award"], Req),
    spec(DV, C::MembershipToDate, &["Membership to date"], Req),
    spec(DV, C::ClubGoalsMet, &["Club Goals Met"], Req),
    spec(DV, C::DistinguishedClub, &["Distinguished Club"], Req),
    spec(DV, C::AreaClubBase, &["Area Club Base"], Req),
    spec(
        DV,
        C::AreaPaidGoalDistinguished,
        &["Area Paid Club Goal for Dist."],
        Req,
    ),
    spec(
        DV,
        C::AreaPaidGoalSelect,
        &["Area Paid Club Goal for Select Dist."],
        Req,
    ),
    spec(
        DV,
        C::AreaPaidGoalPresidents,
        &["Area Paid Club Goal for Pres. Dist."],
        Req,
    ),
    spec(DV, C::AreaPaidClubs, &["Total Paid Area Clubs"], Req),
    spec(
        DV,
        C::AreaDistGoalDistinguished,
        &["Area Dist. Club Goal for Dist."],
        Req,
    ),
    spec(
        DV,
        C::AreaDistGoalSelect,
        &["Area Dist. Club Goal for Select Dist."],
        Req,
    ),
    spec(
        DV,
        C::AreaDistGoalPresidents,
        &["Area Dist. Club Goal for Pres. Dist."],
        Req,
    ),
    spec(
        DV,
        C::AreaDistinguishedClubs,
        &["Total Dist. Area Clubs"],
        Req,
    ),
    spec(DV, C::DistinguishedArea, &["Distinguished Area"], Req),
    spec(DV, C::DivisionClubBase, &["Division Club Base"], Req),
    spec(
        DV,
        C::DivisionPaidGoalDistinguished,
        &["Division Paid Club Goal for Dist."],
        Req,
    ),
    spec(
        DV,
        C::DivisionPaidGoalSelect,
        &["Division Paid Club Goal for Select Dist."],
        Req,
    ),
    spec(
        DV,
        C::DivisionPaidGoalPresidents,
        &["Division Paid Club Goal for Pres. Dist."],
        Req,
    ),
    spec(
        DV,
        C::DivisionPaidClubs,
        &["Total Paid Division Clubs"],
        Req,
    ),
    spec(
        DV,
        C::DivisionDistGoalDistinguished,
        &["Division Dist. Club Goal for Dist."],
        Req,
    ),
    spec(
        DV,
        C::DivisionDistGoalSelect,
        &["Division Dist. Club Goal for Select Dist."],
        Req,
    ),
    spec(
        DV,
        C::DivisionDistGoalPresidents,
        &["Division Dist. Club Goal for Pres. Dist."],
        Req,
    ),
    spec(
        DV,
        C::DivisionDistinguishedClubs,
        &["Total Dist. Division Clubs"],
        Req,
    ),
    spec(
        DV,
        C::DistinguishedDivision,
        &["Distinguished Division"],
        Req,
    ),
    spec(DV, C::CharterSuspend, &["Charter Date/Suspend Date"], Req),
    // ---- all-districts.csv
    spec(SU, C::Region, &["REGION"], Req),
    spec(SU, C::SummaryDistrict, &["DISTRICT"], Req),
    spec(SU, C::Dsp, &["DSP"], Req),
    spec(SU, C::Training, &["Training", "DEC Training"], Req),
    spec(SU, C::MarketAnalysis, &["Market Analysis"], Opt),
    spec(SU, C::CommunicationPlan, &["Communication Plan"], Opt),
    spec(SU, C::RegionAdvisorVisit, &["Region Advisor Visit"], Opt),
    spec(SU, C::SummaryNewPayments, &["New Payments"], Req),
    spec(SU, C::SummaryAprilPayments, &["April Payments"], Req),
    spec(SU, C::SummaryOctoberPayments, &["October Payments"], Req),
    spec(SU, C::SummaryLatePayments, &["Late Payments"], Req),
    spec(SU, C::SummaryCharterPayments, &["Charter Payments"], Req),
    spec(SU, C::TotalYtdPayments, &["Total YTD Payments"], Req),
    spec(SU, C::PaymentBase, &["Payment Base"], Req),
    spec(SU, C::PaymentGrowthPct, &["% Payment Growth"], Req),
    spec(SU, C::PaidClubBase, &["Paid Club Base"], Req),
    spec(SU, C::PaidClubs, &["Paid Clubs"], Req),
    spec(SU, C::ClubGrowthPct, &["% Club Growth"], Req),
    spec(SU, C::ActiveClubs, &["Active Clubs"], Req),
    spec(SU, C::DistinguishedClubs, &["Distinguished Clubs"], Req),
    spec(
        SU,
        C::SelectDistinguishedClubs,
        &["Select Distinguished Clubs"],
        Req,
    ),
    spec(
        SU,
        C::PresidentsDistinguishedClubs,
        &[
            "Presidents Distinguished Clubs",
            "President's Distinguished Clubs",
        ],
        Req,
    ),
    spec(
        SU,
        C::SmedleyDistinguishedClubs,
        &["Smedley Distinguished Clubs"],
        Opt,
    ),
    spec(
        SU,
        C::TotalDistinguishedClubs,
        &["Total Distinguished Clubs"],
        Req,
    ),
    spec(
        SU,
        C::DistinguishedClubsPct,
        &["% Distinguished Clubs"],
        Req,
    ),
];

/// A named header layout TI has published: used to label each input file with its era
/// and by the sample generator to write files exactly as TI does.
#[derive(Debug)]
pub struct HeaderEra {
    pub report: Report,
    /// Short name shown in snapshot metadata, e.g. `club-2025-26`.
    pub name: &'static str,
    /// First program year (start year) that uses this layout, when known.
    pub from_year: Option<i32>,
    pub headers: &'static [&'static str],
}

pub static CANONICAL_HEADERS: &[HeaderEra] = &[
    HeaderEra {
        report: CL,
        name: "club-A-2017-20",
        from_year: None,
        headers: &[
            "District",
            "Division",
            "Area",
            "Club Number",
            "Club Name",
            "Club Status",
            "Mem. Base",
            "Active Members",
            "Goals Met",
            "CCs",
            "Add. CCs",
            "ACs",
            "Add. ACs",
            "CL/AL/DTMs",
            "Add. CL/AL/DTMs",
            "Level 1s",
            "Level 2s",
            "Add. Level 2s",
            "Level 3s",
            "Level 4s",
            "Level 5s",
            "New Members",
            "Add. New Members",
            "Off. Trained Round 1",
            "Off. Trained Round 2",
            "Mem. dues on time Oct",
            "Mem. dues on time Apr",
            "Off. List On Time",
            "Club Distinguished Status",
        ],
    },
    HeaderEra {
        report: CL,
        name: "club-B-2020-25",
        from_year: Some(2020),
        headers: &[
            "District",
            "Division",
            "Area",
            "Club Number",
            "Club Name",
            "Club Status",
            "Mem. Base",
            "Active Members",
            "Goals Met",
            "Level 1s",
            "Level 2s",
            "Add. Level 2s",
            "Level 3s",
            "Level 4s, Level 5s, or DTM award",
            "Add. Level 4s, Level 5s, or DTM award",
            "New Members",
            "Add. New Members",
            "Off. Trained Round 1",
            "Off. Trained Round 2",
            "Mem. dues on time Oct",
            "Mem. dues on time Apr",
            "Off. List On Time",
            "Club Distinguished Status",
        ],
    },
    HeaderEra {
        report: CL,
        name: "club-C-2025-26",
        from_year: Some(2025),
        headers: &[
            "District",
            "Division",
            "Area",
            "Club Number",
            "Club Name",
            "Club Status",
            "CSP",
            "Mem. Base",
            "Active Members",
            "Net Growth",
            "Goals Met",
            "Level 1s",
            "Level 2s",
            "Add. Level 2s",
            "Level 3s",
            "Level 4s, Path Completions, or DTM Awards",
            "Add. Level 4s, Path Completions, or DTM award",
            "New Members",
            "Add. New Members",
            "Off. Trained Round 1",
            "Off. Trained Round 2",
            "Mem. dues on time Oct",
            "Mem. dues on time Apr",
            "Off. List On Time",
            "Club Distinguished Status",
        ],
    },
    HeaderEra {
        report: CL,
        name: "club-D-2026-27",
        from_year: Some(2026),
        headers: &[
            "District",
            "Division",
            "Area",
            "Club Number",
            "Club Name",
            "Club Status",
            "CSP",
            "Mem. Base",
            "Active Members",
            "Net Growth",
            "Goals Met",
            "Level 1s",
            "Level 2s or EOM",
            "Add. Level 2s or EOM",
            "Level 3s",
            "Level 4s, Path Completions, or DTM Awards",
            "Add. Level 4s, Path Completions, or DTM award",
            "New Members",
            "Add. New Members",
            "Off. Trained Round 1",
            "Off. Trained Round 2",
            "Mem. dues on time Oct",
            "Mem. dues on time Apr",
            "Off. List On Time",
            "Club Distinguished Status",
        ],
    },
    HeaderEra {
        report: DI,
        name: "district-2022",
        from_year: None,
        headers: &[
            "District",
            "Division",
            "Area",
            "Club",
            "Club Name",
            "New",
            "Late Ren.",
            "Oct. Ren.",
            "Apr. Ren.",
            "Total Ren.",
            "Total Chart",
            "Total to Date",
            "Distinguished Status",
            "Charter Date/Suspend Date",
        ],
    },
    HeaderEra {
        report: DV,
        name: "division-2025-26",
        from_year: Some(2025),
        headers: &[
            "District",
            "Division",
            "Area",
            "Club",
            "Club Name",
            "October Renewals",
            "April Renewals",
            "Nov Visit award",
            "May Visit award",
            "Membership to date",
            "Club Goals Met",
            "Distinguished Club",
            "Area Club Base",
            "Area Paid Club Goal for Dist.",
            "Area Paid Club Goal for Select Dist.",
            "Area Paid Club Goal for Pres. Dist.",
            "Total Paid Area Clubs",
            "Area Dist. Club Goal for Dist.",
            "Area Dist. Club Goal for Select Dist.",
            "Area Dist. Club Goal for Pres. Dist.",
            "Total Dist. Area Clubs",
            "Distinguished Area",
            "Division Club Base",
            "Division Paid Club Goal for Dist.",
            "Division Paid Club Goal for Select Dist.",
            "Division Paid Club Goal for Pres. Dist.",
            "Total Paid Division Clubs",
            "Division Dist. Club Goal for Dist.",
            "Division Dist. Club Goal for Select Dist.",
            "Division Dist. Club Goal for Pres. Dist.",
            "Total Dist. Division Clubs",
            "Distinguished Division",
            "Charter Date/Suspend Date",
        ],
    },
    HeaderEra {
        report: SU,
        name: "summary-2016-25",
        from_year: None,
        headers: &[
            "REGION",
            "DISTRICT",
            "DSP",
            "Training",
            "New Payments",
            "April Payments",
            "October Payments",
            "Late Payments",
            "Charter Payments",
            "Total YTD Payments",
            "Payment Base",
            "% Payment Growth",
            "Paid Club Base",
            "Paid Clubs",
            "% Club Growth",
            "Active Clubs",
            "Distinguished Clubs",
            "Select Distinguished Clubs",
            "Presidents Distinguished Clubs",
            "Total Distinguished Clubs",
            "% Distinguished Clubs",
        ],
    },
    HeaderEra {
        report: SU,
        name: "summary-2025-26",
        from_year: Some(2025),
        headers: &[
            "REGION",
            "DISTRICT",
            "DSP",
            "Training",
            "Market Analysis",
            "Communication Plan",
            "Region Advisor Visit",
            "New Payments",
            "April Payments",
            "October Payments",
            "Late Payments",
            "Charter Payments",
            "Total YTD Payments",
            "Payment Base",
            "% Payment Growth",
            "Paid Club Base",
            "Paid Clubs",
            "% Club Growth",
            "Active Clubs",
            "Distinguished Clubs",
            "Select Distinguished Clubs",
            "Presidents Distinguished Clubs",
            "Smedley Distinguished Clubs",
            "Total Distinguished Clubs",
            "% Distinguished Clubs",
        ],
    },
    HeaderEra {
        report: SU,
        name: "summary-2026-27",
        from_year: Some(2026),
        headers: &[
            "REGION",
            "DISTRICT",
            "DSP",
            "Training",
            "Market Analysis",
            "Communication Plan",
            "New Payments",
            "April Payments",
            "October Payments",
            "Late Payments",
            "Charter Payments",
            "Total YTD Payments",
            "Payment Base",
            "% Payment Growth",
            "Paid Club Base",
            "Paid Clubs",
            "% Club Growth",
            "Active Clubs",
            "Distinguished Clubs",
            "Select Distinguished Clubs",
            "Presidents Distinguished Clubs",
            "Smedley Distinguished Clubs",
            "Total Distinguished Clubs",
            "% Distinguished Clubs",
        ],
    },
];

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
