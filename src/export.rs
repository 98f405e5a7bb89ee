//! `toaststats export`: a deployable copy of the current snapshot, for hosts that cannot
//! follow the store's `current` symlink.
//!
//! - `pages` (GitHub Pages): the snapshot's files dereferenced into the output root, a
//!   `.nojekyll`, and a `404.html` whose links are absolute under the site's path (GitHub
//!   serves it for a missing URL at any depth). No symlinks, no store files (`manifest.json`,
//!   `builds.jsonl`, ...), no host header files unless asked.
//! - `cdn` (S3, GCS, R2 behind a CDN): `snapshots/<id>/...` as stored, plus the pointer
//!   files (`current.json` and a root `index.html` that forwards to the snapshot), a headers
//!   manifest from the one header table ([`crate::hosting`]) and the upload order: every
//!   snapshot file first, the pointer files last, so a reader never follows a pointer to a
//!   snapshot that is not fully uploaded.
//!
//! The snapshot is verified against its manifest before anything is written, every copied
//! file is re-hashed as it is read, and no symlink is ever followed: the copy holds exactly
//! what the manifest lists. An `--out` folder must be empty or an earlier export (it holds
//! [`MARKER`]); anything else is refused, so an export never deletes someone's files.

use crate::fsx;
use crate::hash::sha256_hex;
use crate::hosting::{self, PathClass};
use crate::store::manifest::{self, MANIFEST, Manifest};
use crate::store::{Site, catalog, publish::CurrentPointer};
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::path::{Component, Path};

mod place;
use place::{replace_contents, staging_dir};

/// Marks a folder as an export, so a later export may replace its contents.
pub const MARKER: &str = ".toaststats-export";
/// The headers manifest of the cdn layout.
pub const HEADERS_MANIFEST: &str = "headers.json";
/// Snapshot files that belong to the store and are not part of the pages layout.
const STORE_FILES: &[&str] = &[MANIFEST];
/// Header files for other hosts, left out of the pages layout unless asked for.
const HOST_FILES: &[&str] = &[
    crate::render::hosting::HEADERS_FILE,
    crate::render::hosting::NGINX_FILE,
];
/// The page GitHub Pages serves for any missing URL.
const NOT_FOUND: &str = "404.html";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// The current snapshot at the root, for GitHub Pages.
    Pages,
    /// snapshots/<id>/ plus current.json, for a bucket behind a CDN.
    Cdn,
}

#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub layout: Layout,
    /// The site's public address (`site_url`); its path is where the pages layout lives.
    pub site_url: Option<String>,
    /// Keep `_headers` and `nginx-headers.conf` in the pages layout.
    pub host_files: bool,
}

/// What an export wrote; also the content of [`MARKER`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExportSummary {
    pub layout: Layout,
    pub snapshot_id: String,
    pub data_date: String,
    pub files: usize,
    pub bytes: u64,
    /// The path prefix the pages layout's 404 page links under (pages only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_path: Option<String>,
    /// Upload steps in order, paths relative to the output folder (cdn only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upload_order: Vec<UploadStep>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UploadStep {
    pub path: String,
    pub cache_control: String,
}

/// Checks `out` before anything is read or written: missing, empty, or an earlier export.
pub fn check_out(out: &Path) -> Result<(), String> {
    match std::fs::symlink_metadata(out) {
        Err(_) => Ok(()),
        Ok(m) if m.file_type().is_symlink() => Err(format!(
            "--out {} is a symbolic link; give the folder itself",
            out.display()
        )),
        Ok(m) if !m.is_dir() => Err(format!("--out {} is not a folder", out.display())),
        Ok(_) => {
            let mut entries = std::fs::read_dir(out)
                .map_err(|e| format!("cannot list --out {}: {e}", out.display()))?;
            if entries.next().is_none() {
                Ok(())
            } else {
                place::check_marker(out)
            }
        }
    }
}

/// The path prefix of a site address: `https://x.github.io/d61/` gives `/d61/`, none `/`.
pub fn base_path(site_url: Option<&str>) -> Result<String> {
    crate::config::base_path(site_url)
}

/// Exports the current snapshot of `site` into `out`.
pub fn export(site: &Site, out: &Path, opts: &ExportOptions) -> Result<ExportSummary> {
    check_out(out).map_err(anyhow::Error::msg)?;
    check_apart(site, out)?;
    let base = base_path(opts.site_url.as_deref())?;
    let pointer_bytes = catalog::served_pointer(site).with_context(|| {
        format!(
            "nothing is published in {}: run `toaststats build` first",
            site.root.display()
        )
    })?;
    let pointer: CurrentPointer = serde_json::from_slice(&pointer_bytes)
        .with_context(|| format!("{} is not a valid pointer", site.current_json().display()))?;
    let id = pointer.snapshot_id.clone();
    if !crate::store::id::looks_like_id(&id) {
        bail!("the current pointer names \"{id}\", which is not a snapshot id");
    }
    let dir = site.snapshot(&id);
    let manifest = checked_manifest(&dir, &id)?;

    let staged = staging_dir(out)?;
    let result = (|| {
        let mut summary = ExportSummary {
            layout: opts.layout,
            snapshot_id: id.clone(),
            data_date: pointer.data_date.clone(),
            files: 0,
            bytes: 0,
            base_path: None,
            upload_order: Vec::new(),
        };
        match opts.layout {
            Layout::Pages => {
                summary.base_path = Some(base.clone());
                for entry in &manifest.files {
                    let skip = STORE_FILES.contains(&entry.path.as_str())
                        || (!opts.host_files && HOST_FILES.contains(&entry.path.as_str()));
                    if skip {
                        continue;
                    }
                    let mut bytes = read_checked(&dir, entry)?;
                    // With a site URL the 404 page's links become absolute under its path;
                    // without one the page finds the site root itself (its script), which
                    // "/"-absolute links would defeat on a project sub-path.
                    if entry.path == NOT_FOUND && opts.site_url.is_some() {
                        bytes = absolute_links(&String::from_utf8_lossy(&bytes), &base).into();
                    }
                    put(&staged, &entry.path, &bytes, &mut summary)?;
                }
                put(&staged, ".nojekyll", b"", &mut summary)?;
            }
            Layout::Cdn => {
                let prefix = format!("{}{id}/", hosting::SNAPSHOTS_PREFIX);
                for entry in &manifest.files {
                    let bytes = read_checked(&dir, entry)?;
                    put(
                        &staged,
                        &format!("{prefix}{}", entry.path),
                        &bytes,
                        &mut summary,
                    )?;
                }
                put(
                    &staged,
                    &format!("{prefix}{MANIFEST}"),
                    &fsx::read(&dir.join(MANIFEST))?,
                    &mut summary,
                )?;
                put(&staged, hosting::POINTER, &pointer_bytes, &mut summary)?;
                put(
                    &staged,
                    "index.html",
                    forward_page(&prefix).as_bytes(),
                    &mut summary,
                )?;
                summary.upload_order =
                    vec![step(&prefix), step(hosting::POINTER), step("index.html")];
                let headers = headers_manifest(&summary.upload_order);
                put(&staged, HEADERS_MANIFEST, &headers, &mut summary)?;
            }
        }
        let mut marker = serde_json::to_vec_pretty(&summary)?;
        marker.push(b'\n');
        fsx::write(&staged.join(MARKER), &marker)?;
        Ok(summary)
    })();
    let result = result.and_then(|summary| {
        replace_contents(out, &staged, &summary.upload_order).map(|()| summary)
    });
    if result.is_err() && staged.exists() {
        let _ = fsx::remove_dir_all(&staged);
    }
    result
}

/// Refuses an `--out` inside the site root (it would write into the store, or into an
/// immutable snapshot through `current`) or a site root inside `--out`.
pub fn check_apart(site: &Site, out: &Path) -> Result<()> {
    let site_root = fsx::canonicalize(&site.root)?;
    // `out` may not exist yet: compare its nearest existing ancestor, resolved.
    let mut existing = out.to_path_buf();
    let mut tail = Vec::new();
    while fsx::symlink_metadata(&existing).is_err() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                tail.push(name.to_os_string());
                existing = if parent.as_os_str().is_empty() {
                    ".".into()
                } else {
                    parent.to_path_buf()
                };
            }
            _ => break,
        }
    }
    let mut resolved = fsx::canonicalize(&existing)?;
    resolved.extend(tail.iter().rev());
    if resolved.starts_with(&site_root) || site_root.starts_with(&resolved) {
        bail!(
            "--out {} and the site root {} overlap; export into a folder outside the site",
            out.display(),
            site.root.display()
        );
    }
    Ok(())
}

/// The snapshot's manifest, after checking the folder is a real folder (not a symlink
/// out of the store), every listed path stays inside it, and the files match.
fn checked_manifest(dir: &Path, id: &str) -> Result<Manifest> {
    let meta = fsx::symlink_metadata(dir)?;
    if !meta.is_dir() {
        bail!(
            "{} is not a folder (a snapshot never is a symlink); run `toaststats snapshots verify {id}`",
            dir.display()
        );
    }
    let manifest = Manifest::read(dir)?;
    for entry in &manifest.files {
        if !is_inside(&entry.path) {
            bail!(
                "{}: lists \"{}\", a path outside the snapshot; refusing to export",
                dir.join(MANIFEST).display(),
                entry.path
            );
        }
    }
    let report = manifest::verify(dir)?;
    if !report.is_ok() {
        bail!(
            "snapshot {id} does not match its manifest ({}); nothing was exported. Run `toaststats snapshots verify {id}`, then `snapshots rollback` or a new build",
            report.summary()
        );
    }
    Ok(manifest)
}

/// A relative path of plain names: no root, no `..`, no `.`, no backslash.
fn is_inside(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// A file's bytes, read without following a symlink and checked against the manifest
/// (the verify pass and the copy are separate reads; this closes the gap between them).
fn read_checked(dir: &Path, entry: &manifest::FileEntry) -> Result<Vec<u8>> {
    let path = dir.join(&entry.path);
    if !fsx::symlink_metadata(&path)?.is_file() {
        bail!(
            "{} is not a regular file; refusing to export",
            path.display()
        );
    }
    let bytes = fsx::read(&path)?;
    if bytes.len() as u64 != entry.bytes || sha256_hex(&bytes) != entry.sha256 {
        bail!(
            "{} changed while exporting (it no longer matches the manifest)",
            path.display()
        );
    }
    Ok(bytes)
}

fn put(root: &Path, rel: &str, bytes: &[u8], summary: &mut ExportSummary) -> Result<()> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        fsx::create_dir_all(parent)?;
    }
    fsx::write(&path, bytes)?;
    summary.files += 1;
    summary.bytes += bytes.len() as u64;
    Ok(())
}

fn step(path: &str) -> UploadStep {
    UploadStep {
        path: path.to_string(),
        cache_control: hosting::class_of(path).cache_control().to_string(),
    }
}

/// The headers manifest: cache control per upload step (from [`hosting::class_of`]),
/// the content-type table and the headers every response carries.
fn headers_manifest(order: &[UploadStep]) -> Vec<u8> {
    let types: serde_json::Map<String, serde_json::Value> = hosting::CONTENT_TYPES
        .iter()
        .map(|(ext, t)| (ext.to_string(), (*t).into()))
        .collect();
    let value = serde_json::json!({
        "cache_control": order.iter().map(|s| serde_json::json!({
            "path": s.path,
            "match": if s.path.ends_with('/') { "prefix" } else { "exact" },
            "value": s.cache_control,
        })).collect::<Vec<_>>(),
        "immutable": PathClass::Immutable.cache_control(),
        "content_types": types,
        "default_content_type": hosting::DEFAULT_CONTENT_TYPE,
        "always": { hosting::NOSNIFF.0: hosting::NOSNIFF.1 },
        "cors": { "extensions": hosting::CORS_EXTENSIONS, "header": { hosting::CORS.0: hosting::CORS.1 } },
        "upload_order": order.iter().map(|s| &s.path).collect::<Vec<_>>(),
    });
    let mut bytes = serde_json::to_vec_pretty(&value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The bucket root's page: forwards to the current snapshot (a pointer like current.json).
fn forward_page(prefix: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={prefix}\">\n\
         <title>toaststats</title>\n</head>\n<body>\n\
         <p><a href=\"{prefix}\">Go to the current site</a>.</p>\n</body>\n</html>\n"
    )
}

/// Rewrites the relative `href`/`src` values of a page to absolute paths under `base`,
/// so the page works when a host serves it for a missing URL at any depth. Fragments,
/// absolute paths and URLs with a scheme are left alone.
pub fn absolute_links(html: &str, base: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    loop {
        let next = ["href=\"", "src=\""]
            .iter()
            .filter_map(|a| rest.find(a).map(|i| (i, a.len())))
            .min();
        let Some((i, len)) = next else {
            out.push_str(rest);
            return out;
        };
        let value_start = i + len;
        out.push_str(&rest[..value_start]);
        rest = &rest[value_start..];
        let relative = !(rest.starts_with('#')
            || rest.starts_with('/')
            || rest.starts_with('"')
            || rest[..rest.find('"').unwrap_or(rest.len())].contains(':'));
        if relative {
            out.push_str(base);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_from_site_urls() {
        assert_eq!(base_path(None).unwrap(), "/");
        assert_eq!(base_path(Some("https://d61.example.org")).unwrap(), "/");
        assert_eq!(base_path(Some("https://x.github.io/d61")).unwrap(), "/d61/");
        assert_eq!(
            base_path(Some("https://x.github.io/a/b/?q#f")).unwrap(),
            "/a/b/"
        );
        assert!(base_path(Some("x.github.io/d61")).is_err());
        assert!(base_path(Some("https://x.io/a\"b")).is_err());
    }

    #[test]
    fn links_become_absolute_under_the_base() {
        let html = r##"<a href="#main">s</a><a href="index.html">i</a><img src="assets/x.svg"><a href="https://e.org/a">e</a><a href="/abs">a</a><a href="">e</a>"##;
        assert_eq!(
            absolute_links(html, "/d61/"),
            r##"<a href="#main">s</a><a href="/d61/index.html">i</a><img src="/d61/assets/x.svg"><a href="https://e.org/a">e</a><a href="/abs">a</a><a href="">e</a>"##
        );
    }

    #[test]
    fn paths_outside_the_snapshot_are_refused() {
        for p in ["../x", "/etc/passwd", "a/../../b", "a\\b", "", "./a"] {
            assert!(!is_inside(p), "{p}");
        }
        assert!(is_inside("api/v1/rankings.json"));
    }
}
