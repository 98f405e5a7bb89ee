//! The archive of closed months in a build (issue 24): each archived month's model is
//! computed by the same path as a `build --date <month end>` (`input::model_at`), rendered
//! by the same `render_all` with the archive placement, and its files go under
//! `archive/<YYYY-MM>/` ([`crate::render::archive`] decides which).

use super::BuildOptions;
use super::input::{Source, model_at};
use crate::diag::Diag;
use crate::render::{self, archive};
use anyhow::Result;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Renders every month of `archived` into `files`. A month whose model cannot be
/// computed (its date folder dropped out since) is left out with a warning; the build
/// goes on, as it does for any history date.
pub(super) fn render_months(
    source: &Source,
    opts: &BuildOptions,
    archived: &[NaiveDate],
    files: &mut BTreeMap<String, Vec<u8>>,
) -> Result<Vec<Diag>> {
    let mut warnings = Vec::new();
    for &month_end in archived {
        let Some(chosen) = source
            .dates
            .iter()
            .find(|d| d.period.data_date == month_end)
            .cloned()
        else {
            continue;
        };
        let folder = chosen.folder.rel.clone();
        // The month's own phases are not the build's: only the total is recorded.
        let mut phases = crate::store::log::Phases::default();
        let model = match model_at(source, chosen, Vec::new(), &mut phases) {
            Ok((model, _)) => model,
            Err((message, _, _)) => {
                warnings.push(Diag::warning(
                    &folder,
                    format!(
                        "month {} left out of the archive: {message}",
                        archive::month_name(month_end)
                    ),
                ));
                continue;
            }
        };
        let placement = archive::Placement::archive(archived, month_end, opts.archive_clubs);
        let rendered = render::render_all(
            &model,
            opts.provenance,
            opts.templates.as_deref(),
            opts.site_url.as_ref(),
            &placement,
        )?;
        let dir = archive::month_dir(month_end);
        for (path, bytes) in rendered {
            if archive::keeps(&path, opts.archive_clubs) {
                files.insert(format!("{dir}/{path}"), bytes);
            }
        }
    }
    Ok(warnings)
}
