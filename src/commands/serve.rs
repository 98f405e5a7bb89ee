//! `serve`: starts the preview server. The first line on stdout is
//! `listening on http://ADDR:PORT` (so scripts and tests can find a port picked with
//! `--bind 127.0.0.1:0`); how the admin API stands goes to stderr. The admin token comes
//! from `ADMIN_TOKEN` only, never from a flag (flags show up in `ps`).

use super::out;
use crate::cli::{BuildArgs, Cli, Command, ServeArgs};
use crate::serve::{self, Config, RefreshOptions};
use anyhow::{Result, bail};
use clap::Parser;
use std::sync::Arc;

/// The `build` arguments with every default, exactly as `toaststats build` parses them.
fn default_build_args() -> Result<BuildArgs> {
    match Cli::try_parse_from(["toaststats", "build"])?.command {
        Command::Build(args) => Ok(args),
        _ => bail!("`build` did not parse as the build command"),
    }
}

pub fn run(args: ServeArgs, config: Option<&std::path::Path>) -> Result<i32> {
    let token = std::env::var("ADMIN_TOKEN").ok().filter(|t| !t.is_empty());
    let (cache, site) = (args.cache.clone(), args.site.clone());
    // the same site address as `toaststats build`, so a refresh gives the same pages
    let site_url = crate::config::load(config)?.site_url;
    let refresh: RefreshOptions = Arc::new(move || {
        let mut build = default_build_args()?;
        build.cache = cache.clone();
        build.site = site.clone();
        build.site_url = site_url.clone();
        super::build_options(&build)
    });
    let refresh_source = refresh().map(|o| o.cache.display().to_string());
    let running = serve::start(Config {
        site: args.site.clone(),
        bind: args.bind.clone(),
        workers: args.workers,
        admin_token: token,
        admin_calls_per_minute: args.admin_calls_per_minute,
        refresh,
    })?;
    eprintln!(
        "serving {} (the current snapshot, resolved per request)",
        args.site.display()
    );
    if running.admin_enabled {
        let source = match &refresh_source {
            Ok(cache) => format!("refresh builds from {cache}"),
            Err(e) => format!("refresh cannot build yet: {e:#}"),
        };
        eprintln!(
            "admin API on (ADMIN_TOKEN is set): {source}; at most {} calls per minute; audit log {}",
            args.admin_calls_per_minute,
            running.audit_log.display()
        );
    } else {
        eprintln!("admin API off: ADMIN_TOKEN is not set, so /api/admin/* answers 404");
    }
    if !running.addr.ip().is_loopback() {
        eprintln!(
            "warning: {} is not a loopback address: anyone who can reach this machine can read the site{}. This is a preview server; put a production web server in front of anything public.",
            running.addr,
            if running.admin_enabled {
                " and try the admin token"
            } else {
                ""
            }
        );
    }
    // Last: whoever waits for this line can rely on everything above being written.
    out(&format!("listening on http://{}", running.addr));
    running.wait();
    Ok(0)
}
