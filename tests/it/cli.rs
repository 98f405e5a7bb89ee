//! A new user's first hour (issue 10, items 14–16, 18, 19): which cache a build uses and
//! the synthetic label, usage errors that touch nothing, the warnings a build prints,
//! `sample --out` guards, JSON errors, `--version`, completions, the man page and help.

use crate::support::{self, CLUB_HEADER, Fixture, club_row, csv};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sample_cache() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample")
        .display()
        .to_string()
}

/// Runs the CLI with `args` in the folder `cwd` (for the default cache choice).
fn run_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_toaststats"))
        .args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("NO_COLOR")
        .output()
        .expect("run toaststats")
}

fn snapshot_json(site: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(site.join("current/snapshot.json")).unwrap()).unwrap()
}

fn log_lines(site: &Path) -> usize {
    std::fs::read_to_string(site.join("builds.jsonl")).map_or(0, |s| s.lines().count())
}

fn snapshot_count(site: &Path) -> usize {
    std::fs::read_dir(site.join("snapshots")).map_or(0, |d| d.count())
}

fn stdout_json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", support::stdout(o)))
}

#[test]
fn build_without_cache_publishes_the_sample_labelled_synthetic_and_says_which_cache() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let err = support::stderr(&out);
    assert!(
        err.contains("the bundled SYNTHETIC sample, because no --cache was given and there is no ./cache here"),
        "{err}"
    );
    let site = dir.path().join("site");
    let meta = snapshot_json(&site);
    assert_eq!(meta["synthetic"], true);
    assert_eq!(meta["cache_origin"], "bundled_sample");
    for page in ["index.html", "404.html", "districts/01/index.html"] {
        let html = std::fs::read_to_string(site.join("current").join(page)).unwrap();
        assert!(
            html.contains(r#"id="synthetic""#)
                && html.contains("not Toastmasters International data"),
            "{page} has no synthetic banner"
        );
    }

    // ./cache, when present, is the default and says so; it is real data here
    let fx = Fixture::new();
    fx.valid();
    let out = run_in(
        fx.dir.path(),
        &["build", "--snapshot-time", "2026-11-09T06:00:00Z"],
    );
    assert!(out.status.success(), "{}", support::stderr(&out));
    assert!(
        support::stderr(&out).contains("cache ./cache (no --cache given, and ./cache exists)"),
        "{}",
        support::stderr(&out)
    );
    let meta = snapshot_json(&fx.site());
    assert_eq!(meta["synthetic"], false);
    assert_eq!(meta["cache_origin"], "working_directory");
    let home = std::fs::read_to_string(fx.site().join("current/index.html")).unwrap();
    assert!(!home.contains(r#"id="synthetic""#));
}

#[test]
fn a_sample_written_by_the_tool_is_synthetic_wherever_it_lives() {
    let fx = Fixture::new();
    let cache = fx.cache().display().to_string();
    let out = support::run(&["sample", "--out", &cache, "--districts", "2"]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    assert!(fx.cache().join("raw-csv/SYNTHETIC").is_file());
    let out = fx.build(&["--json"]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let result = stdout_json(&out);
    assert_eq!(result["action"], "published");
    assert_eq!(
        (&result["cache"]["synthetic"], &result["cache"]["origin"]),
        (&Value::Bool(true), &Value::from("cache_option"))
    );
    assert!(
        support::stderr(&out)
            .contains("it is synthetic sample data (raw-csv/SYNTHETIC is present)"),
        "{}",
        support::stderr(&out)
    );
    let meta = snapshot_json(&fx.site());
    assert_eq!(
        (&meta["synthetic"], &meta["cache_origin"]),
        (&Value::Bool(true), &Value::from("cache_option"))
    );
}

#[test]
fn sample_is_refused_into_a_real_site_and_real_data_into_a_sample_site() {
    let fx = Fixture::new();
    fx.valid();
    assert!(fx.build(&[]).status.success());
    let site = fx.site().display().to_string();
    let (lines, snaps, current) = (
        log_lines(&fx.site()),
        snapshot_count(&fx.site()),
        fx.current(),
    );
    let out = support::run(&["build", "--cache", &sample_cache(), "--site", &site]);
    assert_eq!(out.status.code(), Some(2), "{}", support::stderr(&out));
    let err = support::stderr(&out);
    assert!(
        err.contains("refusing to build the synthetic sample")
            && err.contains("--site sample-site"),
        "{err}"
    );
    assert_eq!(
        (
            log_lines(&fx.site()),
            snapshot_count(&fx.site()),
            fx.current()
        ),
        (lines, snaps, current),
        "nothing touched"
    );

    let sample_site = Fixture::new();
    let s = sample_site.site().display().to_string();
    let out = support::run(&["build", "--cache", &sample_cache(), "--site", &s]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let lines = log_lines(&sample_site.site());
    let cache = fx.cache().display().to_string();
    let out = support::run(&["build", "--cache", &cache, "--site", &s, "--no-publish"]);
    assert_eq!(out.status.code(), Some(2), "{}", support::stderr(&out));
    assert!(
        support::stderr(&out).contains("refusing to build real data"),
        "{}",
        support::stderr(&out)
    );
    assert_eq!(log_lines(&sample_site.site()), lines);
}

#[test]
fn build_prints_the_warnings_of_the_snapshot_it_built_not_of_current() {
    let fx = Fixture::new();
    fx.valid();
    assert!(fx.build(&[]).status.success());
    let newest = fx.current().unwrap();
    let older = csv(&[CLUB_HEADER, &club_row("61", "61000001")]).replace(
        "Month of Apr, As of 04/20/2026",
        "Month of Mar, As of 03/20/2026",
    );
    fx.write("2026-03-20/district-61/club-performance.csv", older);
    let out = fx.build(&[
        "--date",
        "2026-03-20",
        "--snapshot-time",
        "2026-11-10T00:00:00Z",
    ]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    assert!(support::stdout(&out).contains("older data"));
    assert_eq!(fx.current().unwrap(), newest, "stored, not published");
    let warnings: Vec<String> = support::stderr(&out)
        .lines()
        .filter(|l| l.contains(": warning: "))
        .map(str::to_string)
        .collect();
    assert!(!warnings.is_empty(), "{}", support::stderr(&out));
    assert!(
        warnings
            .iter()
            .all(|w| w.starts_with("raw-csv/2026-03-20/")),
        "warnings of the current (2026-04-20) snapshot were printed: {warnings:#?}"
    );
}

#[test]
fn usage_errors_exit_2_and_touch_nothing() {
    let fx = Fixture::new();
    fx.valid();
    let cache = fx.cache().display().to_string();
    let missing = fx.dir.path().join("nope").display().to_string();
    let cases: [(&[&str], &str); 7] = [
        (&["--cache", &missing], "no such folder"),
        (
            &["--cache", &cache, "--date", "2020-01-01"],
            "no data for --date 2020-01-01",
        ),
        (&["--cache", &cache, "--templates", &missing], "--templates"),
        (
            &["--cache", &cache, "--max-failed-share", "2"],
            "--max-failed-share",
        ),
        (
            &["--cache", &cache, "--max-failed-share", "NaN"],
            "--max-failed-share",
        ),
        (
            &["--cache", &cache, "--snapshot-time", "yesterday"],
            "--snapshot-time",
        ),
        (
            &["--cache", &cache, "--max-failed-share", "inf"],
            "--max-failed-share",
        ),
    ];
    let check = |site: &Path, expect_site: bool| {
        let lines = log_lines(site);
        for (args, needle) in &cases {
            let s = site.display().to_string();
            let mut all = vec!["build", "--site", &s];
            all.extend_from_slice(args);
            let out = support::run(&all);
            let err = support::stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert!(err.contains(needle), "{args:?}: {err}");
            assert_eq!(err.matches("error:").count(), 1, "said once: {err}");
            assert_eq!(site.exists(), expect_site, "{args:?}: site folder");
            assert_eq!(log_lines(site), lines, "{args:?}: no build logged");
        }
    };
    check(&fx.dir.path().join("fresh-site"), false);
    assert!(fx.build(&[]).status.success());
    check(&fx.site(), true);
}

#[test]
fn cache_messages_tell_missing_empty_and_loose_csv_apart_and_accept_raw_csv_itself() {
    let fx = Fixture::new();
    fx.valid();
    let root = fx.dir.path();
    std::fs::create_dir_all(root.join("empty")).unwrap();
    std::fs::create_dir_all(root.join("loose")).unwrap();
    std::fs::write(root.join("loose/club-performance.csv"), "x").unwrap();
    std::fs::create_dir_all(root.join("other/notes")).unwrap();
    let site = root.join("s").display().to_string();
    let expect = [
        ("missing", "no such folder"),
        ("empty", "is an empty folder"),
        ("loose", "holds CSV files directly (club-performance.csv)"),
        ("other", "has no raw-csv/ folder (it holds notes)"),
    ];
    let mut seen = Vec::new();
    for (name, needle) in expect {
        let cache = root.join(name).display().to_string();
        let out = support::run(&["build", "--cache", &cache, "--site", &site]);
        let err = support::stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(needle), "{name}: {err}");
        assert!(
            err.contains("raw-csv/YYYY-MM-DD/"),
            "{name} says what to do: {err}"
        );
        seen.push(err);
    }
    seen.dedup();
    assert_eq!(seen.len(), 4, "four different messages");
    assert!(!root.join("s").exists());

    let raw: PathBuf = fx.cache().join("raw-csv");
    let out = support::run(&[
        "build",
        "--cache",
        &raw.display().to_string(),
        "--site",
        &site,
    ]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    assert!(
        support::stderr(&out).contains("is the raw-csv folder itself, so its parent is the cache")
    );
}

#[test]
fn sample_out_refuses_a_used_folder_and_replaces_an_earlier_sample_whole() {
    let fx = Fixture::new();
    let out_dir = fx.dir.path().join("s");
    let s = out_dir.display().to_string();
    assert!(
        support::run(&["sample", "--out", &s, "--districts", "5"])
            .status
            .success()
    );
    let out = support::run(&["sample", "--out", &s, "--districts", "2"]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let newest = std::fs::read_dir(out_dir.join("raw-csv"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .max()
        .unwrap();
    let districts: Vec<String> = std::fs::read_dir(newest)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("district-"))
        .collect();
    assert_eq!(
        districts.len(),
        2,
        "no district of the earlier sample left: {districts:?}"
    );

    // a real cache (no marker) and a folder with other files are refused, untouched
    fx.valid();
    let cache = fx.cache().display().to_string();
    let before = std::fs::read(fx.cache().join("raw-csv/2026-04-20/all-districts.csv")).unwrap();
    let out = support::run(&["sample", "--out", &cache]);
    assert_eq!(out.status.code(), Some(2), "{}", support::stderr(&out));
    assert!(support::stderr(&out).contains("no SYNTHETIC marker"));
    assert_eq!(
        std::fs::read(fx.cache().join("raw-csv/2026-04-20/all-districts.csv")).unwrap(),
        before
    );
    std::fs::write(out_dir.join("notes.txt"), "mine").unwrap();
    let out = support::run(&["sample", "--out", &s]);
    assert_eq!(out.status.code(), Some(2));
    assert!(support::stderr(&out).contains("is not empty and holds notes.txt, so"));
}

#[test]
fn sample_districts_0_is_a_usage_error_not_internals() {
    let fx = Fixture::new();
    let s = fx.dir.path().join("s").display().to_string();
    for (flag, value) in [
        ("--districts", "0"),
        ("--dates", "0"),
        ("--clubs-per-district", "x"),
    ] {
        let out = support::run(&["sample", "--out", &s, flag, value]);
        let err = support::stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}: {err}");
        assert!(
            err.contains(flag) && !err.contains("SampleOptions"),
            "{err}"
        );
    }
    assert!(!fx.dir.path().join("s").exists());
}

#[test]
fn errors_are_json_under_json_with_the_same_exit_codes() {
    let fx = Fixture::new();
    let site = fx.site().display().to_string();
    let missing = fx.dir.path().join("nope").display().to_string();
    let out = support::run(&["build", "--json", "--cache", &missing, "--site", &site]);
    assert_eq!(out.status.code(), Some(2));
    let v = stdout_json(&out);
    assert_eq!(v["error"]["kind"], "usage");
    assert_eq!(v["error"]["exit_code"], 2);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no such folder")
    );

    // clap's own errors too
    let out = support::run(&["build", "--json", "--max-failed-share", "2"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout_json(&out)["error"]["kind"], "usage");

    // a failed build: its report, with the same error object
    fx.write("2026-04-20/district-61/club-performance.csv", "<html>");
    let out = fx.build(&["--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", support::stderr(&out));
    let v = stdout_json(&out);
    assert_eq!(v["error"]["kind"], "failed");
    assert_eq!(v["action"], "failed");

    // a failing store command exits 1 with a JSON error
    let nowhere = fx.dir.path().join("no-site").display().to_string();
    let out = support::run(&["snapshots", "show", "--json", "--site", &nowhere]);
    assert_eq!(out.status.code(), Some(1), "{}", support::stderr(&out));
    let v = stdout_json(&out);
    assert_eq!(
        (
            v["error"]["kind"].as_str(),
            v["error"]["exit_code"].as_u64()
        ),
        (Some("failed"), Some(1))
    );

    let out = support::run(&[
        "sample",
        "--json",
        "--out",
        &fx.dir.path().join("s").display().to_string(),
        "--districts",
        "1",
        "--dates",
        "1",
    ]);
    assert!(out.status.success());
    assert_eq!(stdout_json(&out)["districts"], 1);
}

#[test]
fn version_names_the_commit_rules_and_schema() {
    let out = support::run(&["--version"]);
    assert!(out.status.success());
    let text = support::stdout(&out);
    assert!(text.starts_with("toaststats 0."), "{text}");
    assert!(text.contains("(commit "), "{text}");
    assert!(
        text.contains(&format!("rules {}", toaststats::RULES_VERSION)),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "JSON schema {}",
            toaststats::render::json::SCHEMA_VERSION
        )),
        "{text}"
    );
}

#[test]
fn completions_man_page_and_help_with_examples_and_exit_codes() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = support::run(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        assert!(support::stdout(&out).contains("snapshots"), "{shell}");
    }
    let man = support::run(&["man"]);
    assert!(man.status.success());
    assert!(support::stdout(&man).contains(".TH toaststats"));
    let help = support::stdout(&support::run(&["--help"]));
    assert!(
        help.contains("Examples:") && help.contains("Exit codes:"),
        "{help}"
    );
    assert!(help.contains("2  usage error"), "{help}");
    let build_help = support::stdout(&support::run(&["build", "--help"]));
    assert!(
        build_help.contains("Examples:") && build_help.contains("2  usage error"),
        "{build_help}"
    );
}

#[test]
fn no_colour_when_stderr_is_not_a_terminal() {
    let fx = Fixture::new();
    let missing = fx.dir.path().join("nope").display().to_string();
    let out = support::run(&["build", "--cache", &missing]);
    assert_eq!(out.status.code(), Some(2));
    assert!(support::stderr(&out).starts_with("error: "));
    assert!(!support::stderr(&out).contains('\u{1b}'));
}

/// On a terminal (util-linux `script` gives the command one) `error:` is bold red, and
/// NO_COLOR turns that off.
#[test]
fn colour_on_a_terminal_unless_no_color() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED: no `script` command to run the CLI on a terminal");
        return;
    }
    let line = format!(
        "{} build --cache /nonexistent-cache",
        env!("CARGO_BIN_EXE_toaststats")
    );
    let on_tty = |no_color: bool| {
        let mut cmd = Command::new("script");
        cmd.args(["-qec", &line, "/dev/null"])
            .env_remove("NO_COLOR");
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        let out = cmd.output().expect("run script");
        assert_eq!(out.status.code(), Some(2), "{}", support::stdout(&out));
        support::stdout(&out)
    };
    assert!(on_tty(false).contains("\u{1b}[1;31merror:\u{1b}[0m"));
    let plain = on_tty(true);
    assert!(
        plain.starts_with("error: ") && !plain.contains('\u{1b}'),
        "{plain:?}"
    );
}
