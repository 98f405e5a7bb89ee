//! `toaststats export`: the pages and cdn layouts of the current snapshot, the checks on
//! `--out`, and a snapshot that no longer matches its manifest (never exported).

use crate::support::{Fixture, run, stderr, stdout};
use std::path::Path;

fn export(f: &Fixture, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "export".to_string(),
        "--site".into(),
        f.site().display().to_string(),
        "--out".into(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    run(&args)
}

fn built() -> Fixture {
    let f = Fixture::new();
    f.valid();
    let o = f.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    f
}

/// Every path under `dir`, relative, with symlinks reported as such.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let ft = e.file_type().unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            assert!(!ft.is_symlink(), "symlink in the export: {rel}");
            if ft.is_dir() {
                stack.push(e.path());
            } else {
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn pages_layout_is_a_dereferenced_copy_with_nojekyll_and_a_404_that_works_at_any_depth() {
    let f = built();
    let out = f.dir.path().join("public");
    let o = export(&f, &out, &["--site-url", "https://someone.github.io/d61/"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = tree(&out);
    for must in [
        ".nojekyll",
        "404.html",
        "index.html",
        "snapshot.json",
        "api/v1/rankings.json",
    ] {
        assert!(files.iter().any(|p| p == must), "{must} missing: {files:?}");
    }
    for never in [
        "manifest.json",
        "_headers",
        "nginx-headers.conf",
        "builds.jsonl",
        "current.json",
    ] {
        assert!(!files.iter().any(|p| p == never), "{never} exported");
    }
    let current = f.site().join("current");
    assert_eq!(
        std::fs::read(out.join("index.html")).unwrap(),
        std::fs::read(current.join("index.html")).unwrap()
    );
    let page = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert!(page.contains(r#"href="/d61/index.html""#), "{page}");
    assert!(
        page.contains(r#"href="/d61/districts/index.html""#),
        "{page}"
    );
    assert!(page.contains(r##"href="#main""##), "{page}");
    assert!(
        !page.contains(r#"href="index.html""#),
        "a relative link is left: {page}"
    );
}

/// Without a site URL the exported 404 page is the snapshot's own, whose script finds the
/// site root at any depth and under a project sub-path ("/" links would break the latter).
#[test]
fn pages_layout_without_a_site_url_keeps_the_404_page_that_finds_its_root() {
    let f = built();
    let out = f.dir.path().join("public");
    let o = export(&f, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(out.join("404.html")).unwrap(),
        std::fs::read(f.site().join("current/404.html")).unwrap()
    );
}

#[test]
fn pages_layout_keeps_host_files_only_when_asked_and_uses_site_url_from_the_config() {
    let f = built();
    let config = f.dir.path().join("t.toml");
    std::fs::write(&config, "site_url = \"https://example.org/stats\"\n").unwrap();
    let out = f.dir.path().join("public");
    let mut args = vec![
        "--config".to_string(),
        config.display().to_string(),
        "--host-files".into(),
    ];
    args.push("--json".into());
    let o = export(
        &f,
        &out,
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["base_path"], "/stats/");
    assert_eq!(v["snapshot_id"].as_str(), f.current().as_deref());
    assert!(out.join("_headers").is_file() && out.join("nginx-headers.conf").is_file());
}

#[test]
fn cdn_layout_has_the_snapshot_the_pointer_last_and_a_headers_manifest() {
    let f = built();
    let id = f.current().unwrap();
    let out = f.dir.path().join("bucket");
    let o = export(&f, &out, &["--layout", "cdn", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let order: Vec<&str> = v["upload_order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        [
            format!("snapshots/{id}/").as_str(),
            "current.json",
            "index.html"
        ]
    );
    assert_eq!(
        v["upload_order"][0]["cache_control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(v["upload_order"][1]["cache_control"], "no-cache");
    let files = tree(&out);
    let snap = tree(&f.site().join("snapshots").join(&id));
    for p in &snap {
        assert!(
            files.contains(&format!("snapshots/{id}/{p}")),
            "{p} missing"
        );
    }
    let pointer: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("current.json")).unwrap()).unwrap();
    assert_eq!(pointer["snapshot_id"], id.as_str());
    let headers: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("headers.json")).unwrap()).unwrap();
    assert_eq!(headers["upload_order"][1], "current.json");
    assert_eq!(headers["cache_control"][1]["value"], "no-cache");
    assert!(
        std::fs::read_to_string(out.join("index.html"))
            .unwrap()
            .contains(&format!("snapshots/{id}/"))
    );
}

#[test]
fn out_must_be_empty_or_an_earlier_export() {
    let f = built();
    let out = f.dir.path().join("mine");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("thesis.txt"), "keep me").unwrap();
    let o = export(&f, &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not empty"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(out.join("thesis.txt")).unwrap(),
        "keep me"
    );

    // An earlier export is replaced whole, even across layouts.
    let out = f.dir.path().join("public");
    assert!(export(&f, &out, &["--layout", "cdn"]).status.success());
    let o = export(&f, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("snapshots").exists() && out.join(".nojekyll").is_file());
    assert!(stdout(&o).contains("exported"));
}

#[test]
fn out_inside_the_site_is_refused() {
    let f = built();
    for out in [f.site().join("current/x"), f.site().join("export")] {
        let o = export(&f, &out, &[]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("overlap"), "{}", stderr(&o));
        assert!(!out.exists());
    }
}

#[test]
fn a_tampered_snapshot_is_not_exported() {
    let f = built();
    let snap = f.site().join("snapshots").join(f.current().unwrap());
    std::fs::write(snap.join("index.html"), "defaced").unwrap();
    let out = f.dir.path().join("public");
    let o = export(&f, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("does not match its manifest"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists() || tree(&out).is_empty());
}

#[test]
fn a_symlink_out_of_the_snapshot_is_never_followed() {
    let f = built();
    let snap = f.site().join("snapshots").join(f.current().unwrap());
    let secret = f.dir.path().join("secret.txt");
    std::fs::write(&secret, "password").unwrap();
    // Replace a listed file with a link to a file outside the store.
    std::fs::remove_file(snap.join("snapshot.json")).unwrap();
    std::os::unix::fs::symlink(&secret, snap.join("snapshot.json")).unwrap();
    let out = f.dir.path().join("public");
    let o = export(&f, &out, &["--layout", "cdn"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!out.exists() || tree(&out).is_empty());
}

#[test]
fn nothing_published_is_an_error() {
    let f = Fixture::new();
    std::fs::create_dir_all(f.site()).unwrap();
    let o = export(&f, &f.dir.path().join("public"), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("nothing is published"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_export_stopped_at_any_step_leaves_a_folder_the_next_export_replaces() {
    let f = built();
    let out = f.dir.path().join("public");
    assert!(export(&f, &out, &[]).status.success());
    let expected = tree(&out);
    let args = [
        "export".to_string(),
        "--site".into(),
        f.site().display().to_string(),
        "--out".into(),
        out.display().to_string(),
    ];
    // Every 5th mutating step, until an export gets through untouched.
    let mut n = 1;
    loop {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_toaststats"))
            .args(&args)
            .env("TOASTSTATS_FAULT_AT", n.to_string())
            .output()
            .unwrap();
        if o.status.success() {
            break;
        }
        assert_eq!(o.status.code(), Some(1), "step {n}: {}", stderr(&o));
        assert!(stderr(&o).contains("injected fault"), "{}", stderr(&o));
        let again = export(&f, &out, &[]);
        assert!(
            again.status.success(),
            "after a fault at step {n}: {}",
            stderr(&again)
        );
        assert_eq!(tree(&out), expected, "after a fault at step {n}");
        n += 5;
        assert!(n < 2000, "the export never finished");
    }
    // No staging folder is left beside the output.
    let left: Vec<_> = std::fs::read_dir(f.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".export-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
