//! `toaststats export`: merges flags over toaststats.toml, checks `--out` (usage errors
//! exit 2, nothing written), runs the export and prints what was written.

use super::out;
use super::report::usage;
use crate::cli::ExportArgs;
use crate::export::{self, ExportOptions, Layout};
use crate::store::Site;
use anyhow::Result;
use std::path::{Path, PathBuf};

pub fn run(args: ExportArgs, config_path: Option<&Path>) -> Result<i32> {
    let config = crate::config::load(config_path).map_err(|e| usage(format!("{e:#}")))?;
    let site = args
        .site
        .or(config.site)
        .unwrap_or_else(|| PathBuf::from("site"));
    let site_url = args.site_url.or(config.site_url);
    export::check_out(&args.out).map_err(usage)?;
    export::base_path(site_url.as_deref()).map_err(|e| usage(format!("{e:#}")))?;
    if !site.is_dir() {
        return Err(usage(format!(
            "--site {} does not exist: run `toaststats build` first",
            site.display()
        )));
    }
    export::check_apart(&Site::new(&site), &args.out).map_err(|e| usage(format!("{e:#}")))?;
    let opts = ExportOptions {
        layout: args.layout,
        site_url,
        host_files: args.host_files,
    };
    let summary = export::export(&Site::new(&site), &args.out, &opts)?;
    if args.json {
        out(&serde_json::to_string_pretty(&summary)?);
        return Ok(0);
    }
    out(&format!(
        "exported {} (data date {}): {} files, {} bytes -> {}",
        summary.snapshot_id,
        summary.data_date,
        summary.files,
        summary.bytes,
        args.out.display()
    ));
    match args.layout {
        Layout::Pages => out(&format!(
            "404.html links under {}",
            summary.base_path.as_deref().unwrap_or("/")
        )),
        Layout::Cdn => {
            out("upload in this order (each step complete before the next):");
            for (i, s) in summary.upload_order.iter().enumerate() {
                out(&format!(
                    "  {}. {}  (Cache-Control: {})",
                    i + 1,
                    s.path,
                    s.cache_control
                ));
            }
        }
    }
    Ok(0)
}
