//! Command-line definitions (clap derive). Doc comments are the help text.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Toastmasters dashboard exports in, a versioned static site and JSON API out.
#[derive(Debug, Parser)]
#[command(name = "toaststats", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read the cache, validate, compute, and publish a new snapshot atomically.
    Build(BuildArgs),
    /// Write a deterministic synthetic cache in TI's exact export formats.
    Sample(SampleArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Folder holding raw-csv/ [default: ./cache if present, else the bundled sample]
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Site root that holds snapshots/ and the current link.
    #[arg(long, value_name = "DIR", default_value = "site")]
    pub site: PathBuf,
    /// Present this data date (YYYY-MM-DD) instead of the newest one.
    #[arg(long, value_name = "DATE")]
    pub date: Option<chrono::NaiveDate>,
    /// Store the snapshot but leave `current` where it is.
    #[arg(long)]
    pub no_publish: bool,
    /// Publish even when the data is older than the current snapshot's (backfills).
    #[arg(long)]
    pub allow_older: bool,
    /// Build time for the snapshot id (RFC 3339 or Unix seconds) [default: SOURCE_DATE_EPOCH, else now]
    #[arg(long, value_name = "TIME")]
    pub snapshot_time: Option<String>,
    /// Wait up to this many seconds for another writer to finish.
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    pub wait: u64,
    /// Fail the build when more than this share of districts fail (0 to 1).
    #[arg(long, value_name = "SHARE", default_value_t = 0.10)]
    pub max_failed_share: f64,
    /// Print the result as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Output folder; raw-csv/ is written inside it.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Number of districts.
    #[arg(long, default_value_t = 12)]
    pub districts: usize,
    /// Average clubs per district.
    #[arg(long, default_value_t = 40)]
    pub clubs_per_district: usize,
    /// Number of collection dates (newest last).
    #[arg(long, default_value_t = 3)]
    pub dates: usize,
    /// Random seed; the same seed gives byte-identical files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}
