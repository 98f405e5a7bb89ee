//! Rendering: everything a snapshot contains, produced from one in-memory [`BuildModel`]
//! into a map of relative path → bytes. Nothing here touches the disk.

pub mod json;

use crate::cache::load::DatedFolder;
use crate::cache::table::InputFile;
use crate::diag::Diag;
use crate::model::SummaryRow;
use crate::rank::Ranking;
use crate::stats::DistrictStats;
use crate::validate::District;
use anyhow::Result;
use std::collections::BTreeMap;

/// A district that passed validation, with its computed figures and its warnings.
#[derive(Debug)]
pub struct BuiltDistrict {
    pub district: District,
    pub stats: DistrictStats,
    pub warnings: Vec<Diag>,
}

/// Everything computed for the date a snapshot presents.
#[derive(Debug)]
pub struct BuildModel {
    pub dated: DatedFolder,
    pub program_year: String,
    /// Every dated folder of the cache, oldest first.
    pub dates: Vec<DatedFolder>,
    pub summary: Option<Vec<SummaryRow>>,
    /// The ranking, or why it is unavailable.
    pub rankings: Result<Vec<Ranking>, String>,
    pub districts: Vec<BuiltDistrict>,
    /// Districts whose files were present but invalid, with their errors.
    pub failed: Vec<(String, Vec<Diag>)>,
    /// Warnings not tied to one built district.
    pub warnings: Vec<Diag>,
    pub inputs: Vec<InputFile>,
}

impl BuildModel {
    pub fn summary_row(&self, id: &str) -> Option<&SummaryRow> {
        self.summary.as_ref()?.iter().find(|r| r.district_id == id)
    }

    pub fn ranking(&self, id: &str) -> Option<&Ranking> {
        self.rankings
            .as_ref()
            .ok()?
            .iter()
            .find(|r| r.district_id == id)
    }
}

/// Renders every content file of a snapshot (all but the snapshot metadata).
pub fn render_all(model: &BuildModel) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    json::render(model, &mut files)?;
    Ok(files)
}
