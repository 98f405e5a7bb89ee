//! The open-data contract (issue 15): every JSON file of a snapshot names its schema with a
//! relative `$schema`, and validates against it with an independent validator (the
//! `jsonschema` crate), for the sample, the real data and a world-size synthetic build.

use crate::support::{self, Fixture};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Files of a snapshot that are the store's, not the API's (the manifest is documented
/// with the store; it has no `$schema`).
const NOT_API: &[&str] = &["manifest.json"];

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

/// Validates every JSON file under `snapshot` against the schema its `$schema` names;
/// returns how many files were checked.
fn validate_snapshot(snapshot: &Path) -> usize {
    let root = snapshot.canonicalize().unwrap();
    let mut files = Vec::new();
    json_files(&root, &mut files);
    files.sort();
    let mut validators: HashMap<PathBuf, jsonschema::Validator> = HashMap::new();
    let mut checked = 0;
    for file in files {
        let rel = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if NOT_API.contains(&rel.as_str()) {
            continue;
        }
        let value: Value = serde_json::from_slice(&std::fs::read(&file).unwrap())
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        if rel.starts_with("api/v1/schemas/")
            || (rel.starts_with("archive/") && rel.contains("/api/v1/schemas/"))
        {
            // a schema: it must itself be a valid draft 2020-12 schema
            assert_eq!(
                value["$schema"], "https://json-schema.org/draft/2020-12/schema",
                "{rel}"
            );
            jsonschema::draft202012::new(&value).unwrap_or_else(|e| panic!("{rel}: {e}"));
            continue;
        }
        let reference = value["$schema"]
            .as_str()
            .unwrap_or_else(|| panic!("{rel} names no $schema"));
        assert!(
            !reference.contains("://") && !reference.starts_with('/'),
            "{rel}: $schema {reference} is not relative to the file"
        );
        let schema_path = file
            .parent()
            .unwrap()
            .join(reference)
            .canonicalize()
            .unwrap_or_else(|e| panic!("{rel}: $schema {reference}: {e}"));
        // an archived month's files name the schemas archived with them
        let schemas = match rel.strip_prefix("archive/") {
            Some(r) => root.join(format!("archive/{}/api/v1/schemas", &r[..7])),
            None => root.join("api/v1/schemas"),
        };
        assert!(schema_path.starts_with(&schemas), "{rel}");
        let validator = validators.entry(schema_path.clone()).or_insert_with(|| {
            let schema: Value =
                serde_json::from_slice(&std::fs::read(&schema_path).unwrap()).unwrap();
            jsonschema::draft202012::new(&schema).unwrap()
        });
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .take(5)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{rel} against {reference}: {errors:#?}");
        checked += 1;
    }
    checked
}

/// Every API file kind of the index is present in the build and was validated.
fn assert_index_examples_exist(snapshot: &Path) {
    let index: Value =
        serde_json::from_slice(&std::fs::read(snapshot.join("api/v1/index.json")).unwrap())
            .unwrap();
    for e in index["endpoints"].as_array().unwrap() {
        let example = e["example"].as_str().unwrap_or_else(|| panic!("{e}"));
        assert!(snapshot.join("api/v1").join(example).is_file(), "{example}");
        let schema = e["schema"].as_str().unwrap();
        assert!(snapshot.join("api/v1").join(schema).is_file(), "{schema}");
    }
}

fn build(cache: &Path, site: &Path, extra: &[&str]) {
    support::build_into(cache, site, extra);
}

#[test]
fn sample_build_validates_against_its_schemas() {
    let fx = Fixture::new();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample");
    build(&sample, &fx.site(), &[]);
    let current = fx.site().join("current");
    assert_index_examples_exist(&current);
    let n = validate_snapshot(&current);
    assert!(n > 20, "{n} files validated");
}

#[test]
fn real_data_build_validates_against_its_schemas() {
    let Some(root) = support::realdata() else {
        return;
    };
    let fx = Fixture::new();
    build(&root.join("cache"), &fx.site(), &[]);
    let current = fx.site().join("current");
    assert_index_examples_exist(&current);
    validate_snapshot(&current);
}

/// 128 districts of 100 clubs (about the world's size) over two dates.
#[test]
fn world_size_build_validates_against_its_schemas() {
    let fx = Fixture::new();
    let out = support::run(&[
        "sample",
        "--out",
        &fx.cache().display().to_string(),
        "--districts",
        "128",
        "--clubs-per-district",
        "100",
        "--dates",
        "2",
    ]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    build(&fx.cache(), &fx.site(), &[]);
    let n = validate_snapshot(&fx.site().join("current"));
    assert!(n > 128 * 4, "{n} files validated");
}

/// Identical data gives byte-identical content files: no build time or snapshot id leaks
/// into the API (only `snapshot.json` carries them).
#[test]
fn content_files_are_byte_identical_across_builds_of_the_same_data() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample");
    let (a, b) = (Fixture::new(), Fixture::new());
    build(&sample, &a.site(), &[]);
    let out = support::run(&[
        "build",
        "--cache",
        &sample.display().to_string(),
        "--site",
        &b.site().display().to_string(),
        "--snapshot-time",
        "2026-11-10T07:30:00Z",
    ]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let (ra, rb) = (a.site().join("current"), b.site().join("current"));
    let mut files = Vec::new();
    json_files(&ra.join("api/v1"), &mut files);
    for f in files {
        let rel = f.strip_prefix(&ra).unwrap();
        if rel.ends_with("snapshot.json") {
            continue;
        }
        assert_eq!(
            std::fs::read(&f).unwrap(),
            std::fs::read(rb.join(rel)).unwrap(),
            "{}",
            rel.display()
        );
    }
}
