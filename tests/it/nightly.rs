//! `scripts/nightly.sh` end to end: the fake TI server, a local bare repository as the
//! `data` remote and a stub `gh` that records its calls. Five nights: a first one, a second
//! that adds a date (history grows), one with TI down (site unchanged, alert raised),
//! one after the runner lost both the site cache and the raw cache checkout (a new store
//! from the data branch, deployed, alert closed), and one whose data stopped moving
//! (stale by data age although every build succeeds: alert again).

use crate::fake_ti::{FakeTi, Form};
use crate::fetch::refooter;
use crate::support::run;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Records every call; `issue list` prints the open issue's number, kept in a state file.
const GH_STUB: &str = r#"#!/bin/sh
printf '%s\n' "$*" >> "$GH_LOG"
case "$1 $2" in
  "issue list") cat "$GH_STATE" 2>/dev/null ;;
  "issue create") echo 7 > "$GH_STATE"; echo "https://github.com/o/r/issues/7" ;;
  "issue close") rm -f "$GH_STATE" ;;
esac
exit 0
"#;

struct Night {
    dir: PathBuf,
    remote: PathBuf,
    gh: PathBuf,
}

impl Night {
    fn new(dir: &Path) -> Night {
        let remote = dir.join("data.git");
        git(
            dir,
            &["init", "--quiet", "--bare", &remote.display().to_string()],
        );
        let gh = dir.join("gh");
        std::fs::write(&gh, GH_STUB).unwrap();
        let mut p = std::fs::metadata(&gh).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut p, 0o755);
        std::fs::set_permissions(&gh, p).unwrap();
        Night {
            dir: dir.to_path_buf(),
            remote,
            gh,
        }
    }

    fn site(&self) -> PathBuf {
        self.dir.join("site")
    }

    /// Runs the script for `date` against TI at `base`; returns its output and the
    /// GITHUB_OUTPUT lines.
    fn run(&self, date: &str, base: &str, districts: &str) -> (Output, String) {
        self.run_with(date, base, districts, "100000")
    }

    /// [`Night::run`] with data older than `max_data_age_days` counted as stale.
    fn run_with(
        &self,
        date: &str,
        base: &str,
        districts: &str,
        max_data_age_days: &str,
    ) -> (Output, String) {
        let outputs = self.dir.join("github-output");
        let _ = std::fs::remove_file(&outputs);
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/nightly.sh");
        let o = Command::new("bash")
            .arg(script)
            .current_dir(&self.dir)
            .env("TOASTSTATS", env!("CARGO_BIN_EXE_toaststats"))
            .env("CACHE_DIR", "cache")
            .env("SITE_DIR", "site")
            .env("PUBLIC_DIR", "public")
            .env("DATA_REPO", &self.remote)
            .env("FETCH_DATE", date)
            .env(
                "FETCH_ARGS",
                format!("--base-url {base} --districts {districts} --backoff-ms 20 --retries 1 --timeout 5"),
            )
            // The sample's dates are fixed; freshness by build time is still checked.
            .env("MAX_DATA_AGE_DAYS", max_data_age_days)
            .env("GH", &self.gh)
            .env("GH_LOG", self.dir.join("gh.log"))
            .env("GH_STATE", self.dir.join("gh.state"))
            .env("GITHUB_OUTPUT", &outputs)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("GITHUB_RUN_ID")
            .output()
            .unwrap();
        let out = std::fs::read_to_string(&outputs).unwrap_or_default();
        (o, out)
    }

    fn gh_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("gh.log")).unwrap_or_default()
    }

    fn data_commits(&self) -> Vec<String> {
        let o = git(
            &self.dir,
            &[
                "--git-dir",
                &self.remote.display().to_string(),
                "log",
                "--format=%s",
                "data",
            ],
        );
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    }

    fn current(&self) -> Option<String> {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(self.site().join("current.json")).ok()?).ok()?;
        v["snapshot_id"].as_str().map(str::to_string)
    }

    fn history_points(&self, district: &str) -> usize {
        let p = self
            .dir
            .join(format!("public/api/v1/districts/{district}/history.json"));
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        v["points"].as_array().map_or(0, Vec::len)
    }
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let o = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn text(o: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn five_nights_fetch_commit_build_deploy_alert_and_recover() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let o = run(&[
        "sample",
        "--out",
        &src.display().to_string(),
        "--districts",
        "2",
        "--clubs-per-district",
        "6",
        "--dates",
        "1",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let day1 = src.join("raw-csv/2026-11-08");
    let mut districts: Vec<String> = std::fs::read_dir(&day1)
        .unwrap()
        .filter_map(|e| {
            let e = e.unwrap();
            let id = e
                .file_name()
                .to_string_lossy()
                .strip_prefix("district-")?
                .to_string();
            (std::fs::read_dir(e.path()).unwrap().count() == 3).then_some(id)
        })
        .collect();
    districts.sort();
    assert!(!districts.is_empty());
    let list = districts.join(",");
    let day2 = tmp.path().join("day2");
    refooter(&day1, &day2, "Month of Nov, As of 11/09/2026");
    let ti = FakeTi::start();
    ti.serve_folder(&day1, d(2026, 11, 8), Form::Daily);
    ti.serve_folder(&day2, d(2026, 11, 9), Form::Daily);
    let work = tmp.path().join("runner");
    std::fs::create_dir_all(&work).unwrap();
    let night = Night::new(&work);

    // Night 1: the data branch is started, a snapshot is published and deployed.
    let (o, out) = night.run("2026-11-08", &ti.base, &list);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        out.contains("deploy=true") && out.contains("healthy=true"),
        "{out}"
    );
    assert_eq!(night.data_commits(), ["data: 2026-11-08"]);
    assert!(work.join("public/.nojekyll").is_file());
    assert_eq!(night.history_points(&districts[0]), 1);
    let first = night.current().unwrap();
    assert!(
        !night.gh_log().contains("issue create"),
        "{}",
        night.gh_log()
    );

    // Night 2: one more date, one more commit, history grows.
    let (o, out) = night.run("2026-11-09", &ti.base, &list);
    assert!(o.status.success(), "{}", text(&o));
    assert!(out.contains("deploy=true"), "{out}");
    assert_eq!(
        night.data_commits(),
        ["data: 2026-11-09", "data: 2026-11-08"]
    );
    assert_eq!(night.history_points(&districts[0]), 2);
    let second = night.current().unwrap();
    assert_ne!(first, second);

    // Night 3: TI is down. Nothing is committed or deployed, the site stays, an issue opens.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let down = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let (o, out) = night.run("2026-11-10", &down, &list);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        out.contains("deploy=false") && out.contains("healthy=false"),
        "{out}"
    );
    assert!(text(&o).contains("fetch failed"), "{}", text(&o));
    assert_eq!(night.current().as_deref(), Some(second.as_str()));
    assert_eq!(night.data_commits().len(), 2);
    let log = night.gh_log();
    assert!(
        log.contains("issue create --title") && log.contains("--label pipeline-stale"),
        "{log}"
    );

    // A second bad night comments on the same issue instead of opening another.
    let (o, _) = night.run("2026-11-10", &down, &list);
    assert_eq!(o.status.code(), Some(1));
    let log = night.gh_log();
    assert_eq!(log.matches("issue create").count(), 1, "{log}");
    assert!(log.contains("issue comment 7"), "{log}");

    // Night 4: the runner lost the site cache and the raw cache checkout. The data branch
    // brings the raw files back, a new store is built from all of them and deployed, and
    // the alert is closed.
    std::fs::remove_dir_all(work.join("site")).unwrap();
    std::fs::remove_dir_all(work.join("cache")).unwrap();
    let before = ti.requests();
    let (o, out) = night.run("2026-11-09", &ti.base, &list);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        ti.requests(),
        before,
        "a date already on the data branch is not fetched again"
    );
    assert!(out.contains("deploy=true"), "{out}");
    assert_eq!(night.history_points(&districts[0]), 2);
    assert!(
        night.gh_log().contains("issue close 7"),
        "{}",
        night.gh_log()
    );
    assert_eq!(night.data_commits().len(), 2);

    // Night 5: every build succeeds but the data stopped moving (the sample's dates are
    // long past): stale by data age, so the run fails and the alert opens again.
    let (o, out) = night.run_with("2026-11-09", &ti.base, &list, "7");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(out.contains("deploy=false"), "{out}");
    assert!(text(&o).contains("data stale"), "{}", text(&o));
    assert_eq!(night.gh_log().matches("issue create").count(), 2);
}
