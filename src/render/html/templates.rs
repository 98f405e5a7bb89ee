//! The tera templates and static assets of the site: compiled into the binary from
//! `templates/`, or read from a `--templates DIR` that overrides them file by file. Any
//! template error is returned here or at render time, both before anything is written.

use crate::fsx;
use anyhow::{Context as _, Result, anyhow};
use std::path::Path;
use tera::Tera;

/// Page templates, by the name templates use in `extends` and `include`.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../../templates/base.html")),
    (
        "_status.html",
        include_str!("../../../templates/_status.html"),
    ),
    ("_mark.html", include_str!("../../../templates/_mark.html")),
    ("_unit.html", include_str!("../../../templates/_unit.html")),
    ("index.html", include_str!("../../../templates/index.html")),
    (
        "districts.html",
        include_str!("../../../templates/districts.html"),
    ),
    (
        "district.html",
        include_str!("../../../templates/district.html"),
    ),
    (
        "methodology.html",
        include_str!("../../../templates/methodology.html"),
    ),
    ("api.html", include_str!("../../../templates/api.html")),
    ("404.html", include_str!("../../../templates/404.html")),
    (
        "_history.html",
        include_str!("../../../templates/_history.html"),
    ),
    ("club.html", include_str!("../../../templates/club.html")),
    (
        "_directory_data.html",
        include_str!("../../../templates/_directory_data.html"),
    ),
    (
        "_revisions.html",
        include_str!("../../../templates/_revisions.html"),
    ),
    (
        "archive.html",
        include_str!("../../../templates/archive.html"),
    ),
    (
        "revisions.html",
        include_str!("../../../templates/revisions.html"),
    ),
    (
        "rankings_history.html",
        include_str!("../../../templates/rankings_history.html"),
    ),
    (
        "regions.html",
        include_str!("../../../templates/regions.html"),
    ),
    ("clubs.html", include_str!("../../../templates/clubs.html")),
    (
        "_club_cards.html",
        include_str!("../../../templates/_club_cards.html"),
    ),
    ("unit.html", include_str!("../../../templates/unit.html")),
    (
        "_actions.html",
        include_str!("../../../templates/_actions.html"),
    ),
    (
        "actions.html",
        include_str!("../../../templates/actions.html"),
    ),
    (
        "_changes.html",
        include_str!("../../../templates/_changes.html"),
    ),
    (
        "district_divisions.html",
        include_str!("../../../templates/district_divisions.html"),
    ),
    (
        "district_changes.html",
        include_str!("../../../templates/district_changes.html"),
    ),
];

/// Static files copied into the snapshot's `assets/` folder (not run through tera).
const ASSETS: &[(&str, &str)] = &[
    ("site.css", include_str!("../../../templates/site.css")),
    ("sort.js", include_str!("../../../templates/sort.js")),
    ("tables.js", include_str!("../../../templates/tables.js")),
    ("clubs.js", include_str!("../../../templates/clubs.js")),
    ("age.js", include_str!("../../../templates/age.js")),
    (
        "favicon.svg",
        include_str!("../../../templates/favicon.svg"),
    ),
];

/// The site icon for browsers that ask for `/favicon.ico`: `favicon.svg` rendered at
/// 32 px into an ICO holding a PNG (made by `tools/pagecheck/favicon.mjs`).
const FAVICON_ICO: &[u8] = include_bytes!("../../../templates/favicon.ico");

/// Compiled templates and the assets to copy.
pub struct Templates {
    pub tera: Tera,
    /// (file name under `assets/`, content).
    pub assets: Vec<(&'static str, String)>,
    pub favicon_ico: &'static [u8],
    /// The sha256 of every template and asset as loaded: what else may change a page
    /// when the data did not (an archived month is rendered again when it changes).
    pub fingerprint: String,
}

impl Templates {
    /// The embedded templates, with every file of `dir` (when given) in place of the
    /// embedded file of the same name; extra `.html` files in `dir` are added as partials.
    pub fn load(dir: Option<&Path>) -> Result<Templates> {
        let mut sources: Vec<(String, String)> = TEMPLATES
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        let mut assets: Vec<(&'static str, String)> =
            ASSETS.iter().map(|(n, s)| (*n, s.to_string())).collect();
        if let Some(dir) = dir {
            if !dir.is_dir() {
                return Err(anyhow!(
                    "--templates {}: not a folder (it should hold files named like templates/*.html)",
                    dir.display()
                ));
            }
            for entry in fsx::read_dir_sorted(dir)? {
                let name = entry.file_name().to_string_lossy().into_owned();
                let path = entry.path();
                if let Some(asset) = assets.iter_mut().find(|(n, _)| *n == name) {
                    asset.1 = fsx::read_to_string(&path)?;
                } else if let Some(slot) = sources.iter_mut().find(|(n, _)| *n == name) {
                    slot.1 = fsx::read_to_string(&path)?;
                } else if name.ends_with(".html") {
                    sources.push((name, fsx::read_to_string(&path)?));
                }
            }
        }
        let mut all = String::new();
        let named = sources.iter().map(|(n, s)| (n.as_str(), s.as_str()));
        for (n, s) in named.chain(assets.iter().map(|(n, s)| (*n, s.as_str()))) {
            all.push_str(&format!("{n} {}\n{s}\n", s.len()));
        }
        let fingerprint = crate::hash::sha256_hex(all.as_bytes());
        let mut tera = Tera::new();
        // As Jinja does by default: drop one trailing newline, so an included partial
        // adds no line break where it is used.
        let trimmed = sources.iter().map(|(n, s)| {
            let s = s.strip_suffix('\n').unwrap_or(s);
            (n.as_str(), s.strip_suffix('\r').unwrap_or(s))
        });
        tera.add_raw_templates(trimmed)
            .map_err(|e| template_error(dir, e))?;
        Ok(Templates {
            tera,
            assets,
            favicon_ico: FAVICON_ICO,
            fingerprint,
        })
    }

    /// Renders one page; the error names the template and where in it things went wrong.
    pub fn render<T: serde::Serialize>(&self, name: &str, ctx: &T) -> Result<String> {
        let ctx = tera::Context::from_serialize(ctx)
            .map_err(|e| anyhow!("cannot prepare the data for template {name}: {e}"))?;
        self.tera
            .render(name, &ctx)
            .map_err(|e| anyhow!("{e}"))
            .with_context(|| format!("template {name} failed to render"))
    }
}

fn template_error(dir: Option<&Path>, e: tera::Error) -> anyhow::Error {
    match dir {
        Some(d) => anyhow!("{e}").context(format!("invalid template in {}", d.display())),
        None => anyhow!("{e}").context("invalid embedded template"),
    }
}
