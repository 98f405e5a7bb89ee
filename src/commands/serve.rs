//! `serve`: starts the preview server. The first line on stdout is
//! `listening on http://ADDR:PORT` (so scripts and tests can find a port picked with
//! `--bind 127.0.0.1:0`); how the admin API stands goes to stderr. The admin token comes
//! from `ADMIN_TOKEN` only, never from a flag (flags show up in `ps`).

use super::{out, report};
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

/// Shortest `ADMIN_TOKEN` accepted: the admin API rebuilds the site, so its token must
/// not be guessable (32 characters of a random hex or base64 string carry 128 bits or
/// more; `openssl rand -hex 16` prints one).
pub const MIN_ADMIN_TOKEN: usize = 32;

/// The token from `ADMIN_TOKEN` (`None` when unset or empty: the admin API is off); a
/// short one is a usage error that says why, before anything starts.
fn admin_token(value: Option<String>) -> Result<Option<String>> {
    let Some(token) = value.filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let n = token.chars().count();
    if n < MIN_ADMIN_TOKEN {
        return Err(report::usage(format!(
            "ADMIN_TOKEN has {n} characters; it needs at least {MIN_ADMIN_TOKEN}, because \
             anyone who guesses it can rebuild this site through the admin API (make one with \
             `openssl rand -hex 16`, or unset ADMIN_TOKEN to turn the admin API off)"
        )));
    }
    Ok(Some(token))
}

pub fn run(args: ServeArgs, config: Option<&std::path::Path>) -> Result<i32> {
    let token = admin_token(std::env::var("ADMIN_TOKEN").ok())?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 21 item 15: a 3-character token was accepted.
    #[test]
    fn issue21_item15_admin_token_of_3_characters_is_refused() {
        let e = admin_token(Some("abc".into())).unwrap_err();
        assert!(e.downcast_ref::<report::UsageError>().is_some(), "exit 2");
        let text = format!("{e:#}");
        assert!(
            text.contains("3 characters") && text.contains("at least 32"),
            "{text}"
        );
        assert!(
            !text.contains("abc"),
            "the token itself is never printed: {text}"
        );
        assert!(admin_token(Some("a".repeat(31))).is_err());
        assert_eq!(
            admin_token(Some("a".repeat(32))).unwrap().unwrap().len(),
            32
        );
        assert_eq!(admin_token(Some(String::new())).unwrap(), None);
        assert_eq!(admin_token(None).unwrap(), None);
    }
}
