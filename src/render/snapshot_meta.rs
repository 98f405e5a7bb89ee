//! `snapshot.json` (at the snapshot root and under `api/v1/`): what a snapshot is (id,
//! build time, data date, program year, where its cache came from), its districts, the
//! stale and failed ones, and the inputs it was built from. The only API file with a build
//! time and an id; every other file is identical for identical data.

use super::BuildModel;
use super::json::{SCHEMA_VERSION, SchemaTagged, pretty};
use crate::cache::table::InputFile;
use crate::diag::Diag;
use crate::recognition::assess::Parity;
use anyhow::Result;
use serde::Serialize;

/// Where the cache of a build came from; `build` says so on stderr as well.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CacheOrigin {
    /// `--cache DIR`.
    CacheOption,
    /// `./cache` in the working folder (no `--cache` given).
    WorkingDirectory,
    /// The sample cache bundled with the tool (no `--cache`, no `./cache`).
    BundledSample,
}

/// What a snapshot was built from: recorded in `snapshot.json` and stated on every page,
/// so a synthetic sample can never pass for TI's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Provenance {
    /// The cache was written by `toaststats sample` (it carries the sample marker).
    pub synthetic: bool,
    pub cache_origin: CacheOrigin,
}

/// `snapshot.json` (also served as `api/v1/snapshot.json`).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SnapshotMeta<'a> {
    pub snapshot_id: &'a str,
    /// Built from synthetic sample data, not from TI's exports.
    pub synthetic: bool,
    pub cache_origin: CacheOrigin,
    /// `success` or `partial`.
    pub status: &'static str,
    pub data_date: String,
    pub as_of_date: Option<String>,
    pub collection_date: String,
    pub closing: bool,
    pub program_year: &'a str,
    pub created_at: &'a str,
    pub schema_version: &'static str,
    pub rules_version: &'static str,
    pub tool_version: &'static str,
    pub rankings_available: bool,
    /// Districts built from the presented date folder.
    pub districts_built: Vec<&'a str>,
    pub districts_failed: Vec<&'a str>,
    /// Districts the presented folder lacks, shown at their own newest (older) date.
    pub districts_stale: Vec<StaleDistrict<'a>>,
    /// Our DCP goals and levels and area/division statuses against TI's own, summed over
    /// the built districts; each disagreement is also a warning.
    pub parity: Parity,
    pub inputs: &'a [InputFile],
    pub warnings: Vec<&'a Diag>,
    pub errors: Vec<DistrictErrors<'a>>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct StaleDistrict<'a> {
    pub district_id: &'a str,
    pub data_date: String,
    pub former: bool,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DistrictErrors<'a> {
    pub district_id: &'a str,
    pub errors: &'a [Diag],
}

pub fn snapshot_meta<'a>(
    model: &'a BuildModel,
    provenance: Provenance,
    id: &'a str,
    created_at: &'a str,
) -> SnapshotMeta<'a> {
    let mut warnings: Vec<&Diag> = model.warnings.iter().collect();
    for b in &model.districts {
        warnings.extend(b.warnings.iter());
    }
    SnapshotMeta {
        snapshot_id: id,
        synthetic: provenance.synthetic,
        cache_origin: provenance.cache_origin,
        status: if model.failed.is_empty() {
            "success"
        } else {
            "partial"
        },
        data_date: model.dated.period.data_date.to_string(),
        as_of_date: model.dated.as_of_date.map(|d| d.to_string()),
        collection_date: model.dated.collection_date.to_string(),
        closing: model.dated.period.closing,
        program_year: &model.program_year,
        created_at,
        schema_version: SCHEMA_VERSION,
        rules_version: crate::RULES_VERSION,
        tool_version: env!("CARGO_PKG_VERSION"),
        rankings_available: model.rankings.is_ok(),
        districts_built: model
            .districts
            .iter()
            .filter(|b| b.stale.is_none())
            .map(|b| b.district.id.as_str())
            .collect(),
        districts_stale: model
            .districts
            .iter()
            .filter_map(|b| {
                b.stale.as_ref().map(|s| StaleDistrict {
                    district_id: &b.district.id,
                    data_date: s.data_date.to_string(),
                    former: s.former,
                })
            })
            .collect(),
        districts_failed: model.failed.iter().map(|(id, _)| id.as_str()).collect(),
        parity: model.districts.iter().filter(|b| b.stale.is_none()).fold(
            Parity::default(),
            |mut p, b| {
                p.add(&b.recognition.parity);
                p
            },
        ),
        inputs: &model.inputs,
        warnings,
        errors: model
            .failed
            .iter()
            .map(|(id, errors)| DistrictErrors {
                district_id: id,
                errors,
            })
            .collect(),
    }
}

/// `snapshot.json` as written at `path` (the snapshot root or `api/v1/`): the `$schema`
/// reference is relative to the file, so the two copies differ only in it.
pub fn snapshot_meta_bytes(meta: &SnapshotMeta, path: &str) -> Result<Vec<u8>> {
    pretty(&SchemaTagged {
        schema: super::schema::reference(path, "snapshot"),
        body: meta,
    })
}
