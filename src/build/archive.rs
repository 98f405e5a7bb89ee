//! The archive of closed months in a build (issue 24): each archived month's model is
//! computed by the same path as a `build --date <month end>` (`input::model_at`), rendered
//! by the same `render_all` with the archive placement, and its files go under
//! `archive/<YYYY-MM>/` ([`crate::render::archive`] decides which). A month whose inputs
//! did not change since the current snapshot is carried over from it instead
//! ([`super::archive_keys`]).

use super::BuildOptions;
use super::archive_keys::{self, MonthKey};
use super::input::{Source, model_at};
use crate::diag::Diag;
use crate::hash::sha256_hex;
use crate::render::{self, archive};
use crate::store::{Site, manifest::Manifest};
use anyhow::Result;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// What the archive step did.
#[derive(Debug, Default)]
pub(super) struct ArchiveOutcome {
    pub warnings: Vec<Diag>,
    /// Months rendered, and carried over unchanged from the current snapshot.
    pub rendered: usize,
    pub carried: usize,
}

/// Puts every month of `archived` into `files`. A month whose model cannot be computed
/// (its date folder dropped out since) is left out with a warning; the build goes on, as
/// it does for any history date.
pub(super) fn render_months(
    source: &Source,
    opts: &BuildOptions,
    site: &Site,
    archived: &[NaiveDate],
    files: &mut BTreeMap<String, Vec<u8>>,
) -> Result<ArchiveOutcome> {
    let mut outcome = ArchiveOutcome::default();
    let templates = render::html::Templates::load(opts.templates.as_deref())?;
    let remembered = archive_keys::read(site, &source.seal);
    let current = site
        .current_id()
        .and_then(|id| Some((id.clone(), Manifest::read(&site.snapshot(&id)).ok()?)));
    let inputs = source.input_lines()?;
    let mut keys = BTreeMap::new();
    for &month_end in archived {
        let month = archive::month_name(month_end);
        let dir = archive::month_dir(month_end);
        let key = month_key(
            source,
            &inputs,
            opts,
            &templates.fingerprint,
            archived,
            month_end,
        );
        let carried = remembered
            .get(&month)
            .filter(|m| m.key == key)
            .and_then(|m| archive_keys::carried(site, current.as_ref(), &dir, &m.content));
        let month_files = match carried {
            Some(found) => {
                outcome.carried += 1;
                found
            }
            None => match render_month(source, opts, archived, month_end)? {
                Ok(rendered) => {
                    outcome.rendered += 1;
                    rendered
                }
                Err(warning) => {
                    outcome.warnings.push(warning);
                    continue;
                }
            },
        };
        let hashes: Vec<(String, String)> = month_files
            .iter()
            .map(|(p, b)| (p.clone(), sha256_hex(b)))
            .collect();
        let content =
            archive_keys::content_digest(hashes.iter().map(|(p, h)| (p.as_str(), h.as_str())));
        keys.insert(month, MonthKey { key, content });
        for (path, bytes) in month_files {
            files.insert(format!("{dir}/{path}"), bytes);
        }
    }
    archive_keys::write(site, &source.seal, keys)?;
    Ok(outcome)
}

/// One month's files (paths under its folder), or the warning why it is left out.
fn render_month(
    source: &Source,
    opts: &BuildOptions,
    archived: &[NaiveDate],
    month_end: NaiveDate,
) -> Result<Result<BTreeMap<String, Vec<u8>>, Diag>> {
    let Some(chosen) = source
        .dates
        .iter()
        .find(|d| d.period.data_date == month_end)
        .cloned()
    else {
        return Ok(Err(Diag::warning(
            "raw-csv",
            format!(
                "month {} left out of the archive: no date folder",
                archive::month_name(month_end)
            ),
        )));
    };
    let folder = chosen.folder.rel.clone();
    // The month's own phases are not the build's: only the total is recorded.
    let mut phases = crate::store::log::Phases::default();
    let model = match model_at(source, chosen, Vec::new(), &mut phases) {
        Ok((model, _)) => model,
        Err((message, _, _)) => {
            return Ok(Err(Diag::warning(
                &folder,
                format!(
                    "month {} left out of the archive: {message}",
                    archive::month_name(month_end)
                ),
            )));
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
    Ok(Ok(rendered
        .into_iter()
        .filter(|(path, _)| archive::keeps(path, opts.archive_clubs))
        .collect()))
}

/// Everything a month's archive depends on, in one hash: its inputs, the versions of
/// the rules, layout and tool, the templates, and the options that shape its pages.
fn month_key(
    source: &Source,
    inputs: &[(NaiveDate, String)],
    opts: &BuildOptions,
    templates: &str,
    archived: &[NaiveDate],
    month_end: NaiveDate,
) -> String {
    let siblings: Vec<&NaiveDate> = archived.iter().filter(|m| **m < month_end).collect();
    let mut text = format!(
        "archive {month_end}\ntool {} rules {} schema {}\ntemplates {templates}\nprovenance {:?}\nsite {:?}\nclubs {}\nmax_failed_share {}\nsiblings {siblings:?}\n",
        env!("CARGO_PKG_VERSION"),
        crate::RULES_VERSION,
        render::json::SCHEMA_VERSION,
        opts.provenance,
        opts.site_url,
        opts.archive_clubs,
        source.max_failed_share(),
    );
    for (_, line) in inputs.iter().filter(|(d, _)| *d <= month_end) {
        text.push_str(line);
    }
    sha256_hex(text.as_bytes())
}
