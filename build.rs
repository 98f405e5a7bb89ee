//! Build script: records the git commit the binary is built from, for `toaststats --version`.
//! Outside a git checkout (a crates.io or release tarball) it falls back to the
//! `TOASTSTATS_COMMIT` environment variable, else to "unknown", and never fails the build.

use std::path::PathBuf;
use std::process::Command;

/// The crate folder (cargo sets it for build scripts).
fn crate_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| ".".into()))
}

/// Runs git with `args` in the crate folder; its trimmed stdout when it succeeds.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(crate_dir())
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// True when the crate folder is the top of its own git checkout. A tarball unpacked
/// inside some other repository (a vendor folder, `cargo package`'s target/package/) must
/// not report that repository's commit as ours.
fn own_checkout() -> bool {
    let top = git(&["rev-parse", "--show-toplevel"]).map(PathBuf::from);
    match (
        top.and_then(|t| t.canonicalize().ok()),
        crate_dir().canonicalize(),
    ) {
        (Some(top), Ok(dir)) => top == dir,
        _ => false,
    }
}

fn main() {
    println!("cargo:rerun-if-env-changed=TOASTSTATS_COMMIT");
    let own = own_checkout();
    let commit = std::env::var("TOASTSTATS_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| {
            own.then(|| git(&["rev-parse", "--short=12", "HEAD"]))
                .flatten()
        });
    // Re-run when HEAD moves: the HEAD file (a branch switch), the branch's ref (a commit)
    // and packed-refs. Worktrees keep HEAD in their own git dir and refs in the common one.
    if let (true, Some(git_dir), Some(common)) = (
        own,
        git(&["rev-parse", "--absolute-git-dir"]),
        git(&["rev-parse", "--path-format=absolute", "--git-common-dir"]),
    ) {
        let (git_dir, common) = (PathBuf::from(git_dir), PathBuf::from(common));
        let mut watched = vec![git_dir.join("HEAD"), common.join("packed-refs")];
        if let Some(head_ref) = git(&["symbolic-ref", "-q", "HEAD"]) {
            watched.push(common.join(head_ref));
        }
        // Only files that exist: cargo re-runs the script on every build for a missing one.
        for path in watched.iter().filter(|p| p.exists()) {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    } else {
        // Without git, only the environment variable above can change the answer.
        println!("cargo:rerun-if-changed=build.rs");
    }
    println!(
        "cargo:rustc-env=TOASTSTATS_COMMIT={}",
        commit.as_deref().unwrap_or("unknown")
    );
}
