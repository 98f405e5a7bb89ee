//! Command-line definitions (clap derive). Doc comments are the help text.

use clap::{Args, Parser, Subcommand};

pub mod values;
use std::ops::RangeInclusive;
use std::path::PathBuf;

/// `--version`: the crate version, the commit it was built from (see build.rs) and the
/// versions of the rules and of the JSON schema, which decide what a snapshot contains.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("TOASTSTATS_COMMIT"),
    ")"
);

/// Shown after the main help: how to start, and what the exit codes mean.
const AFTER_HELP: &str = "\
Examples:
  toaststats build                         build the bundled synthetic sample into ./site
  toaststats build --cache cache --site site
  toaststats serve                         preview ./site at http://127.0.0.1:8080
  toaststats sample --out my-sample --districts 3
  toaststats status --json                 for monitoring

Exit codes:
  0  success
  1  a build, check or store operation failed (the published site was left as it was)
  2  usage error: a flag, path or value that cannot work; nothing was touched

Under --json, errors are an {\"error\": {...}} object on stdout, with the same exit codes.
Set NO_COLOR to turn off coloured error:/warning: labels.";

/// Shown after `build --help`.
const BUILD_AFTER_HELP: &str = "\
Examples:
  toaststats build                          the bundled synthetic sample, or ./cache if present
  toaststats build --cache cache --site site
  toaststats build --cache cache --date 2026-03-31 --no-publish
  SOURCE_DATE_EPOCH=1776751200 toaststats build --cache cache   reproducible snapshot id

Exit codes:
  0  published, stored without publishing, or unchanged
  1  the build failed: the live site is untouched, see SITE/failed/<id>.json
  2  usage error (missing --cache, a --date the cache lacks, ...): nothing was touched";

/// Toastmasters dashboard exports in, a versioned static site and JSON API out.
#[derive(Debug, Parser)]
#[command(
    name = "toaststats",
    version = VERSION,
    long_version = LONG_VERSION.as_str(),
    about,
    long_about = None,
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Settings file [default: ./toaststats.toml when present]
    #[arg(long, value_name = "FILE", global = true, value_parser = values::path)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read the cache, validate, compute, and publish a new snapshot atomically.
    #[command(after_help = BUILD_AFTER_HELP)]
    Build(BuildArgs),
    /// Write a deterministic synthetic cache in TI's exact export formats.
    Sample(SampleArgs),
    /// Inspect and maintain the snapshot store.
    Snapshots {
        #[command(subcommand)]
        command: SnapshotsCommand,
    },
    /// Health of the published site for monitoring; exits 1 when stale or the last build failed.
    Status(StatusArgs),
    /// Preview server over `current`, plus the admin API when ADMIN_TOKEN is set.
    Serve(ServeArgs),
    /// Download TI's dashboard exports into the cache, politely and resumably; a date
    /// folder appears complete or not at all. Exit 0: all present; 3: some dates not
    /// published yet; 1: failures; 2: usage error.
    Fetch(FetchArgs),
    /// Copy the current snapshot into a folder ready to deploy: GitHub Pages, or
    /// snapshot-then-pointer for S3/GCS/R2 behind a CDN.
    Export(ExportArgs),
    /// Print a shell completion script (e.g. `toaststats completions bash > ~/.local/share/bash-completion/completions/toaststats`).
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on stdout (e.g. `toaststats man > toaststats.1`).
    Man,
}

impl Cli {
    /// Whether the command asked for JSON output, so its errors are JSON too.
    pub fn json(&self) -> bool {
        match &self.command {
            Command::Build(a) => a.json,
            Command::Sample(a) => a.json,
            Command::Fetch(a) => a.json,
            Command::Export(a) => a.json,
            Command::Status(a) => a.store.json,
            Command::Snapshots { command } => match command {
                SnapshotsCommand::List { store, .. }
                | SnapshotsCommand::Show { store, .. }
                | SnapshotsCommand::Verify { store, .. }
                | SnapshotsCommand::Rollback { store, .. }
                | SnapshotsCommand::Prune { store, .. }
                | SnapshotsCommand::Unpin { store, .. }
                | SnapshotsCommand::Repair { store, .. } => store.json,
            },
            Command::Serve(_) | Command::Completions { .. } | Command::Man => false,
        }
    }
}

/// `toaststats --version`: [`VERSION`] plus the rules and JSON schema versions (`-V` prints
/// the short form).
static LONG_VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{VERSION}\nrules {}\nJSON schema {}",
        crate::RULES_VERSION,
        crate::render::json::SCHEMA_VERSION
    )
});

/// A clap parser for a count within `range` (the sample's bounds live in `sample`).
fn count_in(range: RangeInclusive<usize>) -> impl Fn(&str) -> Result<usize, String> + Clone {
    move |text| {
        let n: usize = text
            .parse()
            .map_err(|_| format!("\"{text}\" is not a whole number"))?;
        if range.contains(&n) {
            Ok(n)
        } else {
            Err(format!(
                "{n} is out of range: expected {} to {}",
                range.start(),
                range.end()
            ))
        }
    }
}

/// A share between 0 and 1 (NaN and infinities are not shares).
/// A date flag: `YYYY-MM-DD` only, and a message that names that form (chrono's own says
/// "invalid characters" for `06/09/2026`, which is ambiguous between locales anyway).
pub fn iso_date(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        format!("\"{text}\" is not a date in the form YYYY-MM-DD (for example 2026-09-06)")
    })
}

/// A `--site` flag: the site root is a folder (it need not exist yet); a file there is a
/// usage error with a sentence, not an OS error from deep inside a command.
pub fn site_dir(text: &str) -> Result<PathBuf, String> {
    let path = values::path(text)?;
    match std::fs::metadata(&path) {
        Ok(m) if !m.is_dir() => Err(format!(
            "{text} is a file, not a folder: --site names the site root folder (the one that holds snapshots/ and current)"
        )),
        _ => Ok(path),
    }
}

fn share(text: &str) -> Result<f64, String> {
    let v: f64 = text
        .parse()
        .map_err(|_| format!("\"{text}\" is not a number"))?;
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!(
            "{text} is not a share: expected a number from 0 to 1 (0.1 is 10%)"
        ))
    }
}

/// Options every store command takes.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// Site root that holds snapshots/ and the current link.
    #[arg(long, value_name = "DIR", default_value = "site", value_parser = site_dir)]
    pub site: PathBuf,
    /// Print the result as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Options of the store commands that write (they take the writer lock).
#[derive(Debug, Args)]
pub struct WriterArgs {
    /// Wait up to this many seconds for another writer to finish.
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    pub wait: u64,
}

#[derive(Debug, Subcommand)]
pub enum SnapshotsCommand {
    /// List snapshots (and failed builds), newest first; `*` marks the current one.
    List {
        #[command(flatten)]
        store: StoreArgs,
        /// Only entries with this status.
        #[arg(long, value_parser = ["success", "partial", "failed", "broken"])]
        status: Option<String>,
        /// Only entries built on or after this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = iso_date)]
        since: Option<chrono::NaiveDate>,
        /// At most this many entries.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
    },
    /// Show a snapshot's metadata, inputs, warnings and errors (or a failed build's report).
    Show {
        #[command(flatten)]
        store: StoreArgs,
        /// Snapshot id (or failed build id); default: the current snapshot.
        id: Option<String>,
    },
    /// Re-hash every file against manifest.json; exit 1 on any difference.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
        /// Snapshot id; default: the current snapshot.
        id: Option<String>,
        /// Verify every snapshot.
        #[arg(long, conflicts_with = "id")]
        all: bool,
    },
    /// Point `current` at the previous snapshot (or ID), after verifying it, and pin it
    /// there until `snapshots unpin`.
    Rollback {
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        writer: WriterArgs,
        /// Snapshot to publish; default: the newest one older than current that verifies.
        id: Option<String>,
    },
    /// Remove old snapshots, failed-build reports and stale staging.
    Prune {
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        writer: WriterArgs,
        /// Always keep this many newest snapshots.
        #[arg(long, value_name = "N", default_value_t = 100)]
        keep: usize,
        /// Always keep snapshots younger than this many days.
        #[arg(long, value_name = "DAYS", default_value_t = 30, value_parser = clap::value_parser!(i64).range(0..))]
        max_age_days: i64,
        /// Print what would be removed without removing anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// Release the pin a rollback set, so builds publish again.
    Unpin {
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        writer: WriterArgs,
    },
    /// Remove crash leftovers and fix a dangling `current` (every writer also does this).
    Repair {
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        writer: WriterArgs,
    },
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Older than this many hours is `stale`.
    #[arg(long, value_name = "HOURS", default_value_t = 36.0)]
    pub max_age_hours: f64,
    /// Older than this many hours is `very_stale`.
    #[arg(long, value_name = "HOURS", default_value_t = 72.0)]
    pub very_stale_hours: f64,
    /// Data more than this many days old (from the later of its data date and as-of date)
    /// is stale, however recently a build confirmed it.
    #[arg(long, value_name = "DAYS", default_value_t = crate::freshness::MAX_DATA_AGE_DAYS)]
    pub max_data_age_days: u32,
    /// Check the current snapshot by file sizes and a re-hash of its key pages only,
    /// instead of re-hashing every file (measured on a world-size site, 531 files and
    /// 33 MB: 0.02-0.13 s for every file, under 0.02 s quick).
    #[arg(long)]
    pub quick_check: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Folder holding raw-csv/ [default: ./cache if present, else the bundled sample]
    #[arg(long, value_name = "DIR", value_parser = values::path)]
    pub cache: Option<PathBuf>,
    /// Site root that holds snapshots/ and the current link.
    #[arg(long, value_name = "DIR", default_value = "site", value_parser = site_dir)]
    pub site: PathBuf,
    /// Present this data date (YYYY-MM-DD) instead of the newest one.
    #[arg(long, value_name = "DATE", value_parser = iso_date)]
    pub date: Option<chrono::NaiveDate>,
    /// Store the snapshot but leave `current` where it is.
    #[arg(long)]
    pub no_publish: bool,
    /// Publish even when the data is older than the current snapshot's (backfills).
    #[arg(long)]
    pub allow_older: bool,
    /// Keep the club pages in the archive of closed months too (archive/<YYYY-MM>/); by default an archived month has its district, division and world pages and its JSON, and names clubs without linking them.
    #[arg(long)]
    pub archive_clubs: bool,
    /// Build time for the snapshot id (RFC 3339 or Unix seconds, from 2000 to now) [default: SOURCE_DATE_EPOCH, else now]
    #[arg(long, value_name = "TIME", value_parser = crate::store::id::check_build_time_arg)]
    pub snapshot_time: Option<String>,
    /// Wait up to this many seconds for another writer to finish.
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    pub wait: u64,
    /// Fail the build when more than this share of districts fail (0 to 1).
    #[arg(long, value_name = "SHARE", default_value_t = 0.10, value_parser = share)]
    pub max_failed_share: f64,
    /// The site's public address (https://you.github.io/repo/): the 404 page links under its path and pages give their og:url [default: `site_url` of toaststats.toml]
    #[arg(long, value_name = "URL", value_parser = values::http_url)]
    pub site_url: Option<String>,
    /// Use the site templates in DIR (files named like templates/*.html, site.css) instead of the embedded ones.
    #[arg(long, value_name = "DIR", value_parser = values::path)]
    pub templates: Option<PathBuf>,
    /// Print the result as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Output folder; raw-csv/ is written inside it.
    #[arg(long, value_name = "DIR", value_parser = values::path)]
    pub out: PathBuf,
    /// Number of districts.
    #[arg(long, default_value_t = 12, value_parser = count_in(crate::sample::DISTRICTS))]
    pub districts: usize,
    /// Average clubs per district.
    #[arg(long, default_value_t = 40, value_parser = count_in(crate::sample::CLUBS_PER_DISTRICT))]
    pub clubs_per_district: usize,
    /// Number of collection dates (newest last).
    #[arg(long, default_value_t = 3, value_parser = count_in(crate::sample::DATE_COUNT))]
    pub dates: usize,
    /// Random seed; the same seed gives byte-identical files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Site root that holds snapshots/ and the current link.
    #[arg(long, value_name = "DIR", default_value = "site", value_parser = site_dir)]
    pub site: PathBuf,
    /// Address to listen on; port 0 picks a free port (the address is printed on stdout).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080", value_parser = values::listen_addr)]
    pub bind: String,
    /// Cache the admin refresh builds from, as `build --cache` [default: ./cache if present, else the bundled sample]
    #[arg(long, value_name = "DIR", value_parser = values::path)]
    pub cache: Option<PathBuf>,
    /// Threads answering requests.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub workers: usize,
    /// Admin API calls allowed per minute (more get 429).
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub admin_calls_per_minute: u32,
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Folder holding raw-csv/ [default: `cache` of toaststats.toml, else ./cache]
    #[arg(long, value_name = "DIR", value_parser = values::path)]
    pub cache: Option<PathBuf>,
    /// Districts to fetch, comma-separated [default: `districts` of toaststats.toml]
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        conflicts_with = "all"
    )]
    pub districts: Vec<String>,
    /// Every district the date's summary lists.
    #[arg(long)]
    pub all: bool,
    /// Fetch this one day (YYYY-MM-DD) of TI's history [default: TI's newest day, filed
    /// under its footer's as-of date (normally yesterday), plus the missing days before it]
    #[arg(long, value_name = "DATE", conflicts_with_all = ["from", "to"], value_parser = iso_date)]
    pub date: Option<chrono::NaiveDate>,
    /// Without --date: also fetch the live program year's days of this many days before
    /// TI's newest that the cache lacks, so a missed night leaves no hole.
    #[arg(long, value_name = "DAYS", default_value_t = 14)]
    pub catch_up_days: u32,
    /// Ride out TI not answering at all for this many seconds (backoff with jitter,
    /// Retry-After honoured) before the run stops and names the outage.
    #[arg(long, value_name = "SECONDS", default_value_t = 600.0)]
    pub patience: f64,
    /// Download dates again even when cached; each folder is replaced whole, and only once
    /// the new download is complete and verified.
    #[arg(long)]
    pub force: bool,
    /// Backfill past dates from this one (with --to), with TI's historical URLs.
    #[arg(long, value_name = "DATE", requires = "to", value_parser = iso_date)]
    pub from: Option<chrono::NaiveDate>,
    /// Last date of a backfill (inclusive).
    #[arg(long, value_name = "DATE", requires = "from", value_parser = iso_date)]
    pub to: Option<chrono::NaiveDate>,
    /// Backfill each month's final figures (one folder per month end) instead of every day.
    #[arg(long, requires = "from")]
    pub month_ends: bool,
    /// TI's dashboard address [default: `base_url` of toaststats.toml, else https://dashboards.toastmasters.org]
    #[arg(long, value_name = "URL", value_parser = values::http_url)]
    pub base_url: Option<String>,
    /// At most this many requests per second overall; 0 lifts the limit [default: 2]
    #[arg(long, value_name = "N")]
    pub rate: Option<f64>,
    /// At most this many connections at once [default: 2]
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    /// Retries of a request after a timeout, reset, 5xx or 429.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub retries: u32,
    /// Connect and read timeout in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub timeout: f64,
    /// First retry pause in milliseconds, doubling per retry (tests shorten it).
    #[arg(long, value_name = "MS", hide = true,
        default_value_t = crate::fetch::politeness::Backoff::DEFAULT.base.as_millis() as u64)]
    pub backoff_ms: u64,
    /// Print the plan (the URLs that would be requested) and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the run report as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Folder to write the export into: new, empty, or an earlier export.
    #[arg(long, value_name = "DIR", value_parser = values::path)]
    pub out: PathBuf,
    /// `pages`: the current snapshot at the root, for GitHub Pages; `cdn`:
    /// snapshots/<id>/ plus current.json and a headers manifest, for a bucket behind a CDN.
    #[arg(long, value_enum, default_value_t = crate::export::Layout::Pages)]
    pub layout: crate::export::Layout,
    /// Site root that holds snapshots/ and the current link [default: `site` of toaststats.toml, else ./site]
    #[arg(long, value_name = "DIR", value_parser = site_dir)]
    pub site: Option<PathBuf>,
    /// The site's public address; its path is where the pages layout's 404 page links
    /// under [default: `site_url` of toaststats.toml, else the host root]
    #[arg(long, value_name = "URL", value_parser = values::http_url)]
    pub site_url: Option<String>,
    /// Keep `_headers` and `nginx-headers.conf` in the pages layout.
    #[arg(long)]
    pub host_files: bool,
    /// Print what was written as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}
