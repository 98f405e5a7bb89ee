//! Rendering: everything a snapshot contains, produced from one in-memory [`BuildModel`]
//! into a map of relative path → bytes. Nothing here touches the disk (except reading
//! `--templates DIR` when it is given).

pub mod archive;
pub mod calendar;
pub mod downloads;
pub mod feed;
pub mod figures;
pub mod hosting;
pub mod html;
pub mod json;
pub mod schema;
pub mod snapshot_meta;
pub mod status_json;

use crate::cache::load::DatedFolder;
use crate::cache::table::InputFile;
use crate::diag::Diag;
use crate::model::SummaryRow;
use crate::rank::Ranking;
use anyhow::Result;
use std::collections::BTreeMap;
use std::path::Path;

pub use crate::compute::{BuiltDistrict, StaleSource};

/// Everything computed for the date a snapshot presents.
#[derive(Debug)]
pub struct BuildModel {
    pub dated: DatedFolder,
    pub program_year: String,
    /// Every dated folder of the cache up to the presented one, oldest first.
    pub dates: Vec<DatedFolder>,
    /// TI has finished the presented month: the cache holds data of a later month (a
    /// build of an earlier date, an archived month). Its figures are final even when
    /// their collection was made during the close.
    pub month_closed: bool,
    pub summary: Option<Vec<SummaryRow>>,
    /// The ranking, or why it is unavailable.
    pub rankings: Result<Vec<Ranking>, String>,
    pub districts: Vec<BuiltDistrict>,
    /// Districts whose files were present but invalid, with their errors.
    pub failed: Vec<(String, Vec<Diag>)>,
    /// Warnings not tied to one built district.
    pub warnings: Vec<Diag>,
    pub inputs: Vec<InputFile>,
    /// History over every usable date up to the presented one.
    pub history: crate::history::History,
}

impl BuildModel {
    pub fn summary_row(&self, id: &str) -> Option<&SummaryRow> {
        self.summary.as_ref()?.iter().find(|r| r.district_id == id)
    }

    /// Every district id of the snapshot (built, failed, or only in the summary), in TI
    /// order: numeric ids by value, then lettered ids.
    pub fn district_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .districts
            .iter()
            .map(|b| b.district.id.as_str())
            .collect();
        ids.extend(self.failed.iter().map(|(id, _)| id.as_str()));
        if let Some(rows) = &self.summary {
            ids.extend(rows.iter().map(|r| r.district_id.as_str()));
        }
        ids.sort_by_key(|id| crate::model::district_sort_key(id));
        ids.dedup();
        ids
    }

    pub fn ranking(&self, id: &str) -> Option<&Ranking> {
        self.rankings
            .as_ref()
            .ok()?
            .iter()
            .find(|r| r.district_id == id)
    }
}

/// What a built district's leaders must do on the date it is shown at: the one list the
/// pages, the CSV and `actions.json` read.
pub fn actions_of(
    model: &BuildModel,
    b: &BuiltDistrict,
) -> crate::recognition::actions::ActionList {
    crate::recognition::actions::district(&b.district, downloads::district_date(model, b))
}

/// Renders every content file of a snapshot (all but the snapshot metadata): the JSON API
/// and the website, whose templates come from `templates` when given, else the binary;
/// `site` is where the site is published, when configured; `placement` says whether
/// this is the snapshot's current render or a closed month's archive copy.
pub fn render_all(
    model: &BuildModel,
    provenance: json::Provenance,
    templates: Option<&Path>,
    site: Option<&html::SiteAddress>,
    placement: &archive::Placement,
) -> Result<BTreeMap<String, Vec<u8>>> {
    // Templates first: a broken override fails before any rendering work is done.
    let templates = html::Templates::load(templates)?;
    let mut files = BTreeMap::new();
    status_json::render(model, provenance, &mut files)?;
    json::render(model, placement, &mut files)?;
    downloads::render(model, &mut files)?;
    calendar::render(model, site, &mut files);
    // the pages last: the 404 page's script knows the site's top folders from the files
    html::render(model, provenance, site, placement, &templates, &mut files)?;
    hosting::render(&mut files);
    Ok(files)
}
