//! The API page (`api/index.html`, issue 15): every endpoint of [`crate::render::schema`]
//! with its schema and a short excerpt of this snapshot's own file, the caching rules and
//! CORS from [`crate::hosting`], and how to find the newest snapshot via `current.json`.

use super::common::{Link, Page, Status};
use super::templates::Templates;
use crate::hosting::{self, PathClass};
use crate::render::json::{API, SCHEMA_VERSION};
use crate::render::schema::{DISTRICT_ID, ENDPOINTS};
use anyhow::Result;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

pub const PATH: &str = "api/index.html";

/// Array items and object keys an excerpt keeps at each level: enough to show the shape.
const EXCERPT_ITEMS: usize = 2;
const EXCERPT_KEYS: usize = 12;

#[derive(Serialize)]
struct View<'a> {
    page: Page,
    status: &'a Status,
    inline_css: &'static str,
    schema_version: &'static str,
    api: &'static str,
    pointer: &'static str,
    cors: String,
    current_cache: &'static str,
    snapshot_cache: &'static str,
    endpoints: Vec<EndpointView>,
}

#[derive(Serialize)]
struct EndpointView {
    name: &'static str,
    path: String,
    description: &'static str,
    /// Links from the page (relative to `api/`).
    schema_href: String,
    example_href: Option<String>,
    excerpt: Option<String>,
}

pub fn page(
    status: &Status,
    t: &Templates,
    files: &BTreeMap<String, Vec<u8>>,
    district: Option<&str>,
) -> Result<String> {
    let endpoints = ENDPOINTS
        .iter()
        .map(|e| {
            let example = district.map_or(e.path.to_string(), |id| e.path.replace(DISTRICT_ID, id));
            let full = format!("{API}/{example}");
            // snapshot.json is written after the content files, always; an archived month
            // links what it shares with the current pages (the snapshot's metadata, the
            // cumulative series) at the snapshot root.
            let shared =
                status.archive.is_some() && crate::render::archive::shared_with_current(&full);
            let found = files.contains_key(&full) || e.name == "snapshot" || shared;
            EndpointView {
                name: e.name,
                path: format!("{API}/{}", e.path),
                description: e.description,
                schema_href: format!("v1/schemas/{}.schema.json", e.name),
                example_href: found.then(|| {
                    if shared {
                        status.placement.href("../", &full)
                    } else {
                        format!("v1/{example}")
                    }
                }),
                excerpt: files
                    .get(&full)
                    .and_then(|b| serde_json::from_slice::<Value>(b).ok())
                    .map(|v| serde_json::to_string_pretty(&excerpt(v)).unwrap_or_default()),
            }
        })
        .collect();
    let view = View {
        page: Page {
            title: "Open data API".into(),
            root: "../".into(),
            path: PATH.into(),
            nav: "api",
            data: vec![Link {
                href: "v1/index.json".into(),
                text: "index.json".into(),
            }],
            sortable: false,
            description:
                "The JSON files of every toaststats snapshot, their schemas and how to fetch them"
                    .into(),
        },
        status,
        inline_css: "",
        schema_version: SCHEMA_VERSION,
        api: API,
        pointer: hosting::POINTER,
        cors: format!("{}: {}", hosting::CORS.0, hosting::CORS.1),
        current_cache: PathClass::Revalidate.cache_control(),
        snapshot_cache: PathClass::Immutable.cache_control(),
        endpoints,
    };
    t.render("api.html", &view)
}

/// A short excerpt of a file: the first items of each array and the first keys of each
/// object, with a marker saying how many more there are.
fn excerpt(v: Value) -> Value {
    match v {
        Value::Array(items) => {
            let more = items.len().saturating_sub(EXCERPT_ITEMS);
            let mut out: Vec<Value> = items.into_iter().take(EXCERPT_ITEMS).map(excerpt).collect();
            if more > 0 {
                out.push(Value::String(format!("… {more} more")));
            }
            Value::Array(out)
        }
        Value::Object(map) => {
            let more = map.len().saturating_sub(EXCERPT_KEYS);
            let mut out: serde_json::Map<String, Value> = map
                .into_iter()
                .take(EXCERPT_KEYS)
                .map(|(k, v)| (k, excerpt(v)))
                .collect();
            if more > 0 {
                out.insert("…".into(), Value::String(format!("{more} more fields")));
            }
            Value::Object(out)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_keep_the_shape_and_say_what_they_cut() {
        let v = serde_json::json!({"a": [1, 2, 3, 4], "b": {"c": true}});
        let e = excerpt(v);
        assert_eq!(e["a"], serde_json::json!([1, 2, "… 2 more"]));
        assert_eq!(e["b"]["c"], true);
    }
}
