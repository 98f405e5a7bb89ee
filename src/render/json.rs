//! The static JSON API under `api/v1/` (DESIGN.md §5), rendered from the in-memory model:
//! snake_case keys in a stable order, ISO dates, no NaN, unknown values as `null`.

use super::BuildModel;
use crate::cache::load::DatedFolder;
use crate::cache::table::InputFile;
use crate::compute::BuiltDistrict;
use crate::diag::Diag;
use crate::model::{Club, SummaryRow};
use crate::rank::Ranking;
use crate::recognition::assess::DistrictReport;
use crate::stats::{DivisionStats, Totals};
use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeMap;

/// Version of the JSON layout, semver (API-CHANGELOG.md): a new field is a minor bump, a
/// removed or renamed one a major bump served beside the old one under `api/v2/`. Pinned to
/// a fingerprint of the published schemas in `schema.rs`.
pub const SCHEMA_VERSION: &str = "1.4.0";

pub const API: &str = "api/v1";

pub use super::snapshot_meta::{
    CacheOrigin, DistrictErrors, Provenance, SnapshotMeta, StaleDistrict, snapshot_meta,
    snapshot_meta_bytes,
};

/// Where a file's data came from, the same object in every API file. Nothing build-specific
/// (no build time, no snapshot id): identical data gives byte-identical files.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ApiProvenance<'a> {
    /// The date TI's figures are for (the district's own when it is shown stale).
    pub data_date: String,
    /// TI's "as of" date of the figures, when the export states one.
    pub as_of_date: Option<String>,
    /// The figures are TI's closing figures of a month.
    pub closing: bool,
    pub program_year: &'a str,
    /// The program that wrote the file (`toaststats`) and its version.
    pub tool: &'static str,
    pub tool_version: &'static str,
    pub rules_version: &'static str,
    pub schema_version: &'static str,
    /// The export files of the one district the file is about (path relative to the cache,
    /// size, sha256); absent in files about several districts. History files also draw on
    /// the earlier date folders listed in `dates.json`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inputs: Option<Vec<&'a InputFile>>,
}

/// Every API file: its schema (a path relative to the file, so it resolves on any host and
/// in any snapshot), its provenance, then its own fields.
#[derive(Serialize, schemars::JsonSchema)]
pub(super) struct ApiFile<'a, T> {
    #[serde(rename = "$schema")]
    pub schema: String,
    pub provenance: ApiProvenance<'a>,
    #[serde(flatten)]
    pub body: T,
}

impl<'a> ApiProvenance<'a> {
    /// The provenance of the snapshot's presented date, for files about several districts.
    pub(super) fn of(model: &'a BuildModel) -> Self {
        ApiProvenance {
            data_date: model.dated.period.data_date.to_string(),
            as_of_date: model.dated.as_of_date.map(|d| d.to_string()),
            closing: model.dated.period.closing,
            program_year: &model.program_year,
            tool: "toaststats",
            tool_version: env!("CARGO_PKG_VERSION"),
            rules_version: crate::RULES_VERSION,
            schema_version: SCHEMA_VERSION,
            inputs: None,
        }
    }

    /// The provenance of one district: its own date when shown stale, and its input files.
    fn district(model: &'a BuildModel, built: &'a BuiltDistrict) -> Self {
        let base = Self::of(model);
        let folder = format!("/district-{}/", built.district.id);
        let all = built.stale.as_ref().map_or(&model.inputs, |s| &s.inputs);
        let inputs = all.iter().filter(|i| i.path.contains(&folder)).collect();
        match &built.stale {
            None => ApiProvenance {
                as_of_date: built
                    .district
                    .as_of_date
                    .map(|d| d.to_string())
                    .or(base.as_of_date.clone()),
                inputs: Some(inputs),
                ..base
            },
            Some(s) => ApiProvenance {
                data_date: s.data_date.to_string(),
                as_of_date: built
                    .district
                    .as_of_date
                    .or(s.as_of_date)
                    .map(|d| d.to_string()),
                closing: s.closing,
                program_year: &s.program_year,
                inputs: Some(inputs),
                ..base
            },
        }
    }
}

/// Wraps `body` as the API file at `path`, naming the schema `name`.
pub(super) fn api_file<'a, T>(
    path: &str,
    name: &str,
    provenance: ApiProvenance<'a>,
    body: T,
) -> ApiFile<'a, T> {
    ApiFile {
        schema: super::schema::reference(path, name),
        provenance,
        body,
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(value)?;
    out.push(b'\n');
    Ok(out)
}

/// District files hold every club and are read by programs: compact, about a third of
/// the pretty size, which is most of a world build's output bytes.
fn to_compact_json<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut out = serde_json::to_vec(value)?;
    out.push(b'\n');
    Ok(out)
}

#[derive(Serialize, schemars::JsonSchema)]
pub(super) struct RankingsFile<'a> {
    data_date: String,
    as_of_date: Option<String>,
    closing: bool,
    available: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    unavailable_reason: Option<&'a str>,
    district_count: usize,
    rankings: &'a [Ranking],
}

#[derive(Serialize, schemars::JsonSchema)]
pub(super) struct DistrictIndexEntry<'a> {
    district_id: &'a str,
    region: Option<&'a str>,
    /// `built`, `failed` (files present but invalid), `not_collected` (summary only) or
    /// `former` (built from older data, and the snapshot's TI summary no longer lists it).
    status: &'static str,
    /// Relative link to the district's JSON, when it was built.
    href: Option<String>,
    /// The district's own newest data date when older than the snapshot's.
    stale_since: Option<String>,
    clubs: Option<i64>,
    paid_clubs: Option<i64>,
    active_members: Option<i64>,
    payments: Option<i64>,
    /// The three named distinguished figures of `Totals` (on track, reached, TI's codes).
    distinguished_on_track: Option<i64>,
    distinguished_reached: Option<i64>,
    distinguished_ti_code: Option<i64>,
    /// Deprecated (API 1.2): TI's codes; read the three named figures above.
    distinguished_clubs: Option<i64>,
    overall_rank: Option<u32>,
    borda_points: Option<u32>,
    warnings: usize,
}

#[derive(Serialize, schemars::JsonSchema)]
pub(super) struct DistrictsFile<'a> {
    data_date: String,
    districts: Vec<DistrictIndexEntry<'a>>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub(super) struct DistrictFile<'a> {
    district_id: &'a str,
    data_date: String,
    as_of_date: Option<String>,
    closing: bool,
    collection_date: String,
    program_year: &'a str,
    /// The district's newest data date when it is older than the snapshot's (the presented
    /// date folder lacks the district); null when current.
    stale_since: Option<String>,
    /// Seen only in earlier program years (e.g. before a realignment).
    former: bool,
    reports: Reports,
    /// TI's own summary row for the district, when the cache has a summary.
    summary: Option<&'a SummaryRow>,
    ranking: Option<&'a Ranking>,
    totals: &'a Totals,
    recognition: &'a DistrictReport,
    divisions: &'a [DivisionStats],
    clubs: &'a [Club],
    warnings: &'a [Diag],
}

#[derive(Serialize, schemars::JsonSchema)]
pub(super) struct Reports {
    club: bool,
    district: bool,
    division: bool,
}

/// Path of a district's JSON inside the snapshot.
pub fn district_path(id: &str) -> String {
    format!("{API}/districts/{id}.json")
}

/// Every JSON file except the snapshot metadata, by path.
pub fn render(
    model: &BuildModel,
    placement: &super::archive::Placement,
    files: &mut BTreeMap<String, Vec<u8>>,
) -> Result<()> {
    let dated = &model.dated;
    let date = dated.period.data_date.to_string();
    let as_of = dated.as_of_date.map(|d| d.to_string());
    let empty: Vec<Ranking> = Vec::new();
    let path = format!("{API}/rankings.json");
    let body = RankingsFile {
        data_date: date.clone(),
        as_of_date: as_of.clone(),
        closing: dated.period.closing,
        available: model.rankings.is_ok(),
        unavailable_reason: model.rankings.as_ref().err().map(String::as_str),
        district_count: model.rankings.as_ref().map_or(0, Vec::len),
        rankings: model.rankings.as_ref().unwrap_or(&empty),
    };
    let file = api_file(&path, "rankings", ApiProvenance::of(model), body);
    files.insert(path, to_json(&file)?);
    let path = format!("{API}/districts.json");
    let file = api_file(
        &path,
        "districts",
        ApiProvenance::of(model),
        districts_index(model),
    );
    files.insert(path, to_json(&file)?);
    for built in &model.districts {
        let stale = built.stale.as_ref();
        let body = DistrictFile {
            district_id: &built.district.id,
            data_date: stale.map_or(date.clone(), |s| s.data_date.to_string()),
            as_of_date: built
                .district
                .as_of_date
                .map(|d| d.to_string())
                .or(match stale {
                    Some(s) => s.as_of_date.map(|d| d.to_string()),
                    None => as_of.clone(),
                }),
            closing: stale.map_or(dated.period.closing, |s| s.closing),
            collection_date: stale
                .map_or(dated.collection_date, |s| s.collection_date)
                .to_string(),
            program_year: stale.map_or(&model.program_year, |s| &s.program_year),
            stale_since: stale.map(|s| s.data_date.to_string()),
            former: stale.is_some_and(|s| s.former),
            reports: Reports {
                club: true,
                district: built.district.has_payments,
                division: built.district.has_division_report,
            },
            summary: stale
                .is_none()
                .then(|| model.summary_row(&built.district.id))
                .flatten(),
            ranking: model.ranking(&built.district.id),
            totals: &built.stats.totals,
            recognition: &built.recognition,
            divisions: &built.stats.divisions,
            clubs: &built.district.clubs,
            warnings: &built.warnings,
        };
        let path = district_path(&built.district.id);
        let file = api_file(
            &path,
            "district",
            ApiProvenance::district(model, built),
            body,
        );
        files.insert(path, to_compact_json(&file)?);
        let path = district_history_path(&built.district.id, "actions");
        let list = super::actions_of(model, built);
        let body = ActionsFile {
            district_id: &built.district.id,
            data_date: super::downloads::district_date(model, built).to_string(),
            actions: &list.actions,
            unknown: &list.unknown,
        };
        let file = api_file(
            &path,
            "actions",
            ApiProvenance::district(model, built),
            body,
        );
        files.insert(path, to_json(&file)?);
    }
    let path = format!("{API}/dates.json");
    let body = DatesFile {
        dates: model
            .dates
            .iter()
            .map(|d| DateEntry {
                dated: d,
                districts: d.folder.districts.iter().map(|x| x.id.as_str()).collect(),
            })
            .collect(),
    };
    let file = api_file(&path, "dates", ApiProvenance::of(model), body);
    files.insert(path, to_json(&file)?);
    render_history(model, placement, files)?;
    super::schema::render(model, placement, files)
}

#[derive(Serialize, schemars::JsonSchema)]
pub(super) struct DatesFile<'a> {
    /// Every date folder of the cache (newest collection per data date), oldest first.
    dates: Vec<DateEntry<'a>>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub(super) struct DateEntry<'a> {
    #[serde(flatten)]
    dated: &'a DatedFolder,
    /// The districts whose folders this date has.
    districts: Vec<&'a str>,
}

/// What a district's leaders must do, club by club, sorted by deadline (issue 22).
#[derive(Serialize, schemars::JsonSchema)]
pub(super) struct ActionsFile<'a> {
    pub district_id: &'a str,
    /// The date the actions are read on (the district's own when it is shown stale).
    pub data_date: String,
    /// Sorted by deadline, then kind, division, area and club number.
    pub actions: &'a [crate::recognition::actions::Action],
    /// Kinds of action this snapshot's reports cannot decide, with the reason: no line of
    /// such a kind means unknown, not nothing to do.
    pub unknown: &'a [crate::recognition::actions::UnknownKind],
}

/// A district's month-end reconciliation: every month end the cache holds several
/// collections of, with the first and final figures (issue 24).
#[derive(Serialize, schemars::JsonSchema)]
pub(super) struct ReconciliationFile<'a> {
    pub district_id: &'a str,
    /// Oldest month first; a month collected once has no entry (nothing to compare).
    pub months: &'a [crate::history::revisions::MonthRevision],
}

/// Path of a district's history file (`history`, `clubs-history`, `changes`).
pub fn district_history_path(id: &str, name: &str) -> String {
    format!("{API}/districts/{id}/{name}.json")
}

/// The history files: per district its series, club timelines and changes (and the Atom
/// feed of its changes), and the rank history of the world; those an archived month
/// shares with the current pages are not serialized at all.
fn render_history(
    model: &BuildModel,
    placement: &super::archive::Placement,
    files: &mut BTreeMap<String, Vec<u8>>,
) -> Result<()> {
    let mut put = |path: String, bytes: &dyn Fn() -> Result<Vec<u8>>| -> Result<()> {
        if placement.holds(&path) {
            files.insert(path, bytes()?);
        }
        Ok(())
    };
    for (id, p) in &model.history.districts {
        let provenance = || match model.districts.iter().find(|b| &b.district.id == id) {
            Some(built) => ApiProvenance::district(model, built),
            None => ApiProvenance::of(model),
        };
        let path = district_history_path(id, "history");
        put(path.clone(), &|| {
            to_json(&api_file(
                &path,
                "district-history",
                provenance(),
                &p.series,
            ))
        })?;
        let path = district_history_path(id, "clubs-history");
        put(path.clone(), &|| {
            to_compact_json(&api_file(&path, "clubs-history", provenance(), &p.clubs))
        })?;
        let path = district_history_path(id, "changes");
        put(path.clone(), &|| {
            to_json(&api_file(&path, "changes", provenance(), &p.changes))
        })?;
        let path = district_history_path(id, "reconciliation");
        put(path.clone(), &|| {
            let body = ReconciliationFile {
                district_id: id,
                months: &p.revisions,
            };
            to_json(&api_file(&path, "reconciliation", provenance(), body))
        })?;
        put(format!("districts/{id}/changes.atom"), &|| {
            Ok(super::feed::district(id, &p.feed).into_bytes())
        })?;
        // each division's and area's, beside its page
        if let Some(b) = model.districts.iter().find(|b| &b.district.id == id) {
            for unit in super::calendar::units(b) {
                let path = format!("districts/{id}/{}{}", unit.folder(), super::feed::FILE);
                put(path, &|| {
                    Ok(super::feed::unit(id, unit, &p.feed).into_bytes())
                })?;
            }
        }
    }
    let path = format!("{API}/rankings-history.json");
    put(path.clone(), &|| {
        to_json(&api_file(
            &path,
            "rankings-history",
            ApiProvenance::of(model),
            &model.history.rankings,
        ))
    })?;
    Ok(())
}

fn districts_index(model: &BuildModel) -> DistrictsFile<'_> {
    let districts = model
        .district_ids()
        .into_iter()
        .map(|id| {
            let built = model.districts.iter().find(|b| b.district.id == id);
            let failed = model.failed.iter().any(|(f, _)| f == id);
            let ranking = model.ranking(id);
            let totals = built.map(|b| &b.stats.totals);
            DistrictIndexEntry {
                district_id: id,
                region: model.summary_row(id).map(|r| r.region.as_str()),
                status: if built.is_some_and(|b| b.stale.as_ref().is_some_and(|s| s.former)) {
                    "former"
                } else if built.is_some() {
                    "built"
                } else if failed {
                    "failed"
                } else {
                    "not_collected"
                },
                href: built.map(|_| format!("districts/{id}.json")),
                stale_since: built
                    .and_then(|b| b.stale.as_ref())
                    .map(|s| s.data_date.to_string()),
                clubs: totals.map(|t| t.clubs),
                paid_clubs: crate::render::figures::paid_clubs(built, model.summary_row(id))
                    .map(|(n, _)| n),
                active_members: totals.map(|t| t.active_members),
                payments: totals.and_then(|t| t.payments),
                distinguished_on_track: totals.map(|t| t.distinguished_on_track),
                distinguished_reached: totals.and_then(|t| t.distinguished_reached),
                distinguished_ti_code: totals.map(|t| t.distinguished_ti_code),
                distinguished_clubs: totals.map(|t| t.distinguished_ti_code),
                overall_rank: ranking.map(|r| r.overall_rank),
                borda_points: ranking.map(|r| r.borda_points),
                warnings: built.map_or(0, |b| b.warnings.len()),
            }
        })
        .collect();
    DistrictsFile {
        data_date: model.dated.period.data_date.to_string(),
        districts,
    }
}

/// A file that names its schema but carries no shared provenance (the snapshot metadata
/// has its own, plus the build time and id).
#[derive(Serialize, schemars::JsonSchema)]
pub(super) struct SchemaTagged<T> {
    #[serde(rename = "$schema")]
    pub schema: String,
    #[serde(flatten)]
    pub body: T,
}

/// Serializes an API file the way every pretty one is written (for `schema.rs`).
pub(super) fn pretty<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    to_json(value)
}
