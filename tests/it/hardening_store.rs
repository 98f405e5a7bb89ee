//! Regression tests for issue 21, items 1–3 (the site store's digest cache), 6–7 (export)
//! and 8–9 (fetch's files and usage errors), each named after its item. Hostile entries
//! are made for real (FIFOs with `mkfifo`, symlinks to `/dev/zero`, folders, forged
//! digests); a build that could hang runs under a timeout.

use crate::support::{Fixture, sample_cache, stderr};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod export_items;
mod fetch_items;

/// Runs the CLI, killed after `limit`: a hang fails the test instead of the suite.
pub fn run_limited(args: &[&str], envs: &[(&str, &str)], limit: Duration) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_toaststats"));
    cmd.args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run toaststats");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("toaststats {args:?} still ran after {limit:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

fn build(site: &Path) -> Output {
    let (cache, site) = (sample_cache(), site.display().to_string());
    run_limited(
        &[
            "build",
            "--cache",
            &cache,
            "--site",
            &site,
            "--no-publish",
            "--snapshot-time",
            "2026-11-09T06:00:00Z",
        ],
        &[],
        Duration::from_secs(240),
    )
}

fn built(site: &Path) {
    let o = build(site);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Every file of the one snapshot under `site`, by relative path.
fn snapshot(site: &Path) -> BTreeMap<String, Vec<u8>> {
    let snaps = site.join("snapshots");
    let dir = std::fs::read_dir(&snaps)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(&dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The district parts of the digests under `site`, sorted.
fn digest_files(site: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(site.join(".digests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.ends_with(".json") && !n.ends_with(".clubs.json")
        })
        .collect();
    v.sort();
    v
}

pub fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

/// A cold build of the sample (the reference snapshot) and a copy of its site without
/// snapshots, whose digests the caller damages before a rebuild.
fn reference_and_copy(fx: &Fixture) -> (BTreeMap<String, Vec<u8>>, PathBuf) {
    let cold = fx.dir.path().join("cold");
    built(&cold);
    let copy = fx.dir.path().join("copy");
    let ok = Command::new("cp")
        .args([
            "-a",
            &cold.display().to_string(),
            &copy.display().to_string(),
        ])
        .status()
        .unwrap()
        .success();
    assert!(ok);
    std::fs::remove_dir_all(copy.join("snapshots")).unwrap();
    (snapshot(&cold), copy)
}

#[test]
fn issue21_item1_digest_fifo_device_link_or_folder_is_discarded_and_recomputed() {
    let fx = Fixture::new();
    let (reference, site) = reference_and_copy(&fx);
    let digests = digest_files(&site);
    assert!(digests.len() >= 4, "{digests:?}");
    let memo = site.join(".digests/files.memo");
    for p in [&digests[0], &digests[1], &digests[2], &digests[3], &memo] {
        std::fs::remove_file(p).unwrap();
    }
    mkfifo(&digests[0]);
    std::os::unix::fs::symlink("/dev/zero", &digests[1]).unwrap();
    std::fs::create_dir(&digests[2]).unwrap();
    std::fs::write(digests[2].join("x"), b"x").unwrap();
    std::os::unix::fs::symlink("/dev/urandom", &digests[3]).unwrap();
    mkfifo(&memo);

    built(&site);
    assert_eq!(
        snapshot(&site),
        reference,
        "a hostile digest changed the site"
    );
    for p in [&digests[0], &digests[1], &digests[2], &digests[3], &memo] {
        let m = std::fs::symlink_metadata(p).unwrap();
        assert!(m.is_file(), "{} was not recomputed as a file", p.display());
    }
}

#[test]
fn issue21_item1_digests_that_is_a_file_fifo_or_link_is_replaced_by_a_folder() {
    let fx = Fixture::new();
    let (reference, site) = reference_and_copy(&fx);
    let outside = fx.dir.path().join("zero-target");
    for plant in ["file", "fifo", "dev-zero-link"] {
        let d = site.join(".digests");
        std::fs::remove_dir_all(&d)
            .or_else(|_| std::fs::remove_file(&d))
            .unwrap();
        match plant {
            "file" => std::fs::write(&d, b"not a folder").unwrap(),
            "fifo" => mkfifo(&d),
            _ => std::os::unix::fs::symlink("/dev/zero", &d).unwrap(),
        }
        let o = build(&site);
        assert!(o.status.success(), "{plant}: {}", stderr(&o));
        assert!(
            std::fs::symlink_metadata(&d).unwrap().is_dir(),
            "{plant}: .digests is not a folder after the build"
        );
        assert!(
            !digest_files(&site).is_empty(),
            "{plant}: no digests written"
        );
        assert_eq!(snapshot(&site), reference, "{plant}");
        std::fs::remove_dir_all(site.join("snapshots")).unwrap();
    }
    assert!(!outside.exists());
}

#[test]
fn issue21_item1_repair_reports_and_removes_what_is_not_a_regular_file() {
    let fx = Fixture::new();
    let site = fx.dir.path().join("site");
    built(&site);
    let d = site.join(".digests");
    mkfifo(&d.join("fifo.json"));
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.json")).unwrap();
    std::fs::create_dir(d.join("folder.json")).unwrap();
    let s = site.display().to_string();
    let o = run_limited(
        &["snapshots", "repair", "--site", &s],
        &[],
        Duration::from_secs(60),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let said = format!("{}{}", crate::support::stdout(&o), stderr(&o));
    for (name, kind) in [
        ("fifo.json", "a FIFO"),
        ("zero.json", "a symbolic link"),
        ("folder.json", "a folder"),
    ] {
        assert!(
            said.contains(name) && said.contains(kind),
            "repair did not report {name}: {said}"
        );
        assert!(
            std::fs::symlink_metadata(d.join(name)).is_err(),
            "{name} kept"
        );
    }
}

#[test]
fn issue21_item2_digests_symlinked_out_of_the_site_gets_nothing_written_there() {
    let fx = Fixture::new();
    let site = fx.dir.path().join("site");
    built(&site);
    let outside = fx.dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::remove_dir_all(site.join(".digests")).unwrap();
    std::os::unix::fs::symlink(&outside, site.join(".digests")).unwrap();
    std::fs::remove_dir_all(site.join("snapshots")).unwrap();
    built(&site);
    assert_eq!(
        std::fs::read_dir(&outside).unwrap().count(),
        0,
        "the build wrote through the .digests link"
    );
    assert!(
        std::fs::symlink_metadata(site.join(".digests"))
            .unwrap()
            .is_dir()
    );
}

#[test]
fn issue21_item2_store_files_and_folders_symlinked_out_are_refused_and_untouched() {
    for name in ["builds.jsonl", ".lock", "failed", ".staging", "snapshots"] {
        let fx = Fixture::new();
        fx.valid();
        assert!(fx.build(&[]).status.success());
        let site = fx.site();
        let outside = fx.dir.path().join("outside");
        let p = site.join(name);
        let is_dir = std::fs::symlink_metadata(&p).unwrap().is_dir();
        if is_dir {
            std::fs::create_dir(&outside).unwrap();
            std::fs::remove_dir_all(&p).unwrap();
        } else {
            std::fs::write(&outside, b"keep me\n").unwrap();
            std::fs::remove_file(&p).unwrap();
        }
        std::os::unix::fs::symlink(&outside, &p).unwrap();
        let o = fx.build(&["--snapshot-time", "2026-11-10T06:00:00Z"]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&p.display().to_string()),
            "{name}: the refusal does not name the path: {}",
            stderr(&o)
        );
        if is_dir {
            assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0, "{name}");
        } else {
            assert_eq!(std::fs::read(&outside).unwrap(), b"keep me\n", "{name}");
        }
    }
}

#[test]
fn issue21_item3_forged_or_foreign_digest_is_recomputed_never_published() {
    let fx = Fixture::new();
    let (reference, site) = reference_and_copy(&fx);
    let digests = digest_files(&site);
    // Forged in place with a header consistent as far as a forger can make it: the old
    // format (key, sha256 of the body) and the new one with a sha256 for a seal.
    let forge = |p: &Path, new_format: bool| {
        let text = std::fs::read_to_string(p).unwrap();
        let (_, body) = text.split_once('\n').unwrap();
        let forged = body.replace("\"paid_clubs\":", "\"paid_clubs\":99999");
        assert_ne!(forged, body);
        let sha = toaststats::hash::sha256_hex(forged.as_bytes());
        let header = if new_format {
            format!(
                "toaststats-digest {} {sha}",
                toaststats::history::cache::DIGEST_FORMAT
            )
        } else {
            let key = p.file_name().unwrap().to_string_lossy().into_owned();
            format!("toaststats-digest {key} {sha}")
        };
        std::fs::write(p, format!("{header}\n{forged}")).unwrap();
    };
    forge(&digests[0], true);
    forge(&digests[1], false);
    // A digest sealed by another site's key, moved in under this site's name.
    let other = fx.dir.path().join("other");
    built(&other);
    let theirs = digest_files(&other);
    let text = std::fs::read_to_string(&theirs[2]).unwrap();
    let (header, body) = text.split_once('\n').unwrap();
    let forged = body.replace("\"paid_clubs\":", "\"paid_clubs\":99999");
    std::fs::write(&digests[2], format!("{header}\n{forged}")).unwrap();
    // A sealed digest moved to another date's name.
    std::fs::copy(&digests[4], &digests[3]).unwrap();

    built(&site);
    let snap = snapshot(&site);
    assert!(
        !snap
            .values()
            .any(|b| String::from_utf8_lossy(b).contains("99999")),
        "a forged figure was published"
    );
    assert_eq!(snap, reference, "a forged digest changed the site");
}
