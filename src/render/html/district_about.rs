//! "About this data" on a district page: which of TI's four reports the page is built
//! from and what a missing one leaves unknown, and the warnings about the district.

use crate::diag::Diag;
use crate::render::{BuildModel, BuiltDistrict};

/// One line per TI report: collected (and what it gives), or not (and what is unknown).
pub(super) fn reports(
    model: &BuildModel,
    id: &str,
    built: Option<&BuiltDistrict>,
    failed: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    let club = "TI's club report (club performance)";
    match built {
        Some(b) => {
            out.push(format!(
                "{club}: collected; every club's members, goals and status, summed for the divisions, areas and district."
            ));
            let d = &b.district;
            out.push(if d.has_payments {
                "TI's district report (district performance): collected; payments, April renewals and charter dates."
            } else {
                "TI's district report (district performance): not collected for this date, so payments, April renewals (which confirm a level before April) and charter dates are unknown."
            }.to_string());
            out.push(if d.has_division_report {
                "TI's division report (division performance): collected; each area's and division's club base, the area directors' club visits and TI's published area and division status."
            } else {
                "TI's division report (division performance): not collected for this date, so the club base, club visits and TI's published area and division status are unknown."
            }.to_string());
        }
        None if failed => out.push(format!(
            "{club}: collected, but this district's files failed validation (the errors are listed at the top of the page)."
        )),
        None => out.push(format!("{club}: not collected for this date, so only the district summary's figures are shown.")),
    }
    out.push(match (&model.summary, model.summary_row(id)) {
        (Some(_), Some(_)) => "TI's district summary: collected; the paid club and payment bases, growth percentages, the district tier's prerequisites and the world ranking.".to_string(),
        (Some(_), None) => "TI's district summary: collected, but it does not list this district, so the district is not ranked and its bases and tier are unknown.".to_string(),
        (None, _) => "TI's district summary: not collected for this date, so the paid club and payment bases, the district tier and the world ranking are unknown.".to_string(),
    });
    out
}

pub(super) fn district_warnings(
    model: &BuildModel,
    id: &str,
    built: Option<&BuiltDistrict>,
) -> Vec<String> {
    let own = built.map(|b| b.warnings.as_slice()).unwrap_or(&[]);
    let global = model
        .warnings
        .iter()
        .filter(|w| w.district.as_deref() == Some(id));
    own.iter()
        .chain(global)
        .map(Diag::to_string)
        .collect::<Vec<_>>()
}
