//! `toaststats.toml`: what a site keeps between runs (districts, cache, site, site URL and
//! fetch politeness). Optional; read from the working directory or `--config FILE`. Flags
//! override it; an unknown key is an error naming the key, so a typo never goes unnoticed.

use crate::fsx;
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The file looked for in the working directory when `--config` is not given.
pub const FILE_NAME: &str = "toaststats.toml";

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// District ids, as strings (`"61"`, `"F"`) or numbers (`61`).
    #[serde(default, deserialize_with = "district_ids")]
    pub districts: Option<Vec<String>>,
    pub cache: Option<PathBuf>,
    pub site: Option<PathBuf>,
    pub site_url: Option<String>,
    /// Fetch: requests per second overall.
    pub rate: Option<f64>,
    /// Fetch: connections at once.
    pub concurrency: Option<usize>,
    /// Fetch: TI's dashboard address.
    pub base_url: Option<String>,
}

/// The path prefix of a site address: `https://x.github.io/d61/` gives `/d61/`, none `/`.
/// The build links the 404 page under it; `export` writes the pages layout for it.
pub fn base_path(site_url: Option<&str>) -> Result<String> {
    let Some(url) = site_url else {
        return Ok("/".into());
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .with_context(|| format!("site_url \"{url}\" must start with https:// or http://"))?;
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("");
    if path.contains(['"', '<', '>', '\'', ' ', '\\']) {
        bail!("site_url \"{url}\": its path may not contain quotes, spaces, < > or \\");
    }
    let trimmed = path.trim_matches('/');
    Ok(if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    })
}

/// The site's address as pages state it (`og:url`): scheme and host, then the base path
/// (so it ends in `/`), without query or fragment.
pub fn site_root_url(site_url: &str) -> Result<String> {
    let base = base_path(Some(site_url))?;
    let scheme = if site_url.starts_with("https://") {
        "https://"
    } else {
        "http://"
    };
    let rest = &site_url[scheme.len()..];
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.contains(['"', '<', '>', '\'', ' ', '\\']) {
        bail!("site_url \"{site_url}\": no valid host name");
    }
    Ok(format!("{scheme}{host}{base}"))
}

/// Reads `explicit` (which must exist), else `./toaststats.toml` when present, else the
/// empty config. Relative `cache`/`site` paths are taken relative to the file's folder.
pub fn load(explicit: Option<&Path>) -> Result<Config> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = PathBuf::from(FILE_NAME);
            if !p.is_file() {
                return Ok(Config::default());
            }
            p
        }
    };
    let text = fsx::read_to_string(&path)?;
    let mut config = parse(&text).with_context(|| format!("{}", path.display()))?;
    let base = path.parent().unwrap_or(Path::new(""));
    for p in [&mut config.cache, &mut config.site].into_iter().flatten() {
        if p.is_relative() {
            *p = base.join(&*p);
        }
    }
    Ok(config)
}

/// Parses the text of a config file (line and column in the error).
pub fn parse(text: &str) -> Result<Config> {
    let config: Config = toml::from_str(text).map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(ids) = &config.districts {
        for id in ids {
            if !crate::cache::records::is_district_id(id) {
                bail!("districts: \"{id}\" is not a district id (letters and digits only)");
            }
        }
    }
    if let Some(r) = config.rate
        && !(r >= 0.0 && r.is_finite())
    {
        bail!("rate: {r} must be a number of requests per second, 0 for no limit");
    }
    if config.concurrency == Some(0) {
        bail!("concurrency: must be at least 1");
    }
    Ok(config)
}

fn district_ids<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Text(String),
        Number(u64),
    }
    let ids = Vec::<Id>::deserialize(d)?;
    Ok(Some(
        ids.into_iter()
            .map(|i| match i {
                Id::Text(s) => s,
                Id::Number(n) => n.to_string(),
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_reads() {
        let c = parse(
            r#"
districts = [61, "91", "F"]
cache = "data/cache"
site = "public"
site_url = "https://d61.example.org/"
rate = 1.5
concurrency = 3
base_url = "http://127.0.0.1:9"
"#,
        )
        .unwrap();
        assert_eq!(c.districts.unwrap(), ["61", "91", "F"]);
        assert_eq!(c.rate, Some(1.5));
        assert_eq!(c.concurrency, Some(3));
        assert_eq!(c.cache, Some(PathBuf::from("data/cache")));
    }

    #[test]
    fn unknown_keys_are_named() {
        let e = format!("{:#}", parse("district = [61]\n").unwrap_err());
        assert!(e.contains("district"), "{e}");
        assert!(e.contains("line 1"), "{e}");
    }

    #[test]
    fn bad_values_are_errors() {
        assert!(parse("districts = [\"6 1\"]").is_err());
        assert!(parse("rate = -1.0").is_err());
        assert!(parse("concurrency = 0").is_err());
        assert!(parse("rate = \"fast\"").is_err());
    }

    #[test]
    fn a_missing_explicit_file_is_an_error_and_paths_are_relative_to_it() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(Some(&dir.path().join("nope.toml"))).is_err());
        let f = dir.path().join("t.toml");
        std::fs::write(&f, "cache = \"c\"\n").unwrap();
        assert_eq!(load(Some(&f)).unwrap().cache, Some(dir.path().join("c")));
    }
}
