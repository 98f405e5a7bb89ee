//! `scripts/nightly.sh` night after night exactly as the schedule runs it (issue 19): no
//! `FETCH_DATE`, the workflow's env, and the whole script's clock set to the schedule's
//! 06:17 UTC of each day with libfaketime, against the model of TI as measured
//! (`ti_model.rs`, DOMAIN.md §3.1–§3.3) whose calendar day is the same. The data remote is
//! a local bare repository, `gh` a stub that records its calls and the bodies it is given,
//! and "deploying" copies `public/` to `deployed/`, which the script reads back through
//! `DEPLOYED_URL` (file://) before it deploys the next night.
//!
//! Every night: the data lands on the data branch under TI's newest as-of date, byte for
//! byte what TI served; the deployed history grows by one date a night (a missed night is
//! caught up the next); nothing shorter is ever deployed; no token appears anywhere the
//! run writes.

use crate::fetch::full_districts;
use crate::ti_model::{Fault, TiModel, make_cache};
use chrono::{Datelike, Days, NaiveDate};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

/// The token the workflow hands the script (GH_TOKEN, and inside DATA_REPO's URL).
const TOKEN: &str = "ghs_SECRETTOKEN123";

/// Records every call and the body file it is given; `issue list` prints the open issue's
/// number, kept in a state file.
const GH_STUB: &str = r#"#!/bin/sh
printf '%s\n' "$*" >> "$GH_LOG"
prev=""
for a in "$@"; do
  if [ "$prev" = "--body-file" ]; then cat "$a" >> "$GH_LOG"; fi
  prev=$a
done
case "$1 $2" in
  "issue list") cat "$GH_STATE" 2>/dev/null ;;
  "issue create") echo 7 > "$GH_STATE"; echo "https://github.com/o/r/issues/7" ;;
  "issue close") rm -f "$GH_STATE" ;;
esac
exit 0
"#;

/// The faketime wrapper names its semaphore and shared memory after its own pid
/// (`/dev/shm/sem.faketime_sem_<pid>`, `/dev/shm/faketime_shm_<pid>`), creates them
/// exclusively and leaves them behind: once the machine's pids wrap (32768 here), a new
/// wrapper whose pid an earlier one had fails with "sem_open: File exists" before our
/// script runs. Entries of pids that no longer run are removed before each night; a live
/// wrapper's (another test's) are kept.
fn clear_leaked_faketime_state() {
    let Ok(entries) = std::fs::read_dir("/dev/shm") else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name
            .strip_prefix("sem.faketime_sem_")
            .or_else(|| name.strip_prefix("faketime_shm_"));
        if let Some(pid) = pid.filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
            && !Path::new("/proc").join(pid).exists()
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether the `faketime` wrapper (with libfaketime) runs here; without it the test cannot
/// set the script's clock and fails, unless TOASTSTATS_ALLOW_SKIP_FAKETIME is set.
fn have_faketime() -> bool {
    clear_leaked_faketime_state();
    let runs = Command::new("faketime")
        .args(["-f", "@2026-01-01 00:00:00", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if runs {
        return true;
    }
    if std::env::var_os("TOASTSTATS_ALLOW_SKIP_FAKETIME").is_some() {
        eprintln!("SKIPPED: faketime is missing (TOASTSTATS_ALLOW_SKIP_FAKETIME is set)");
        return false;
    }
    panic!(
        "faketime is missing: the nightly tests set the script's clock with it \
         (bash scripts/install-test-tools.sh); set TOASTSTATS_ALLOW_SKIP_FAKETIME=1 to skip them"
    );
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let o = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
}

/// Every file under `dir` (not in `.git` folders), as text.
fn all_text(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries {
        let e = e.unwrap();
        let p = e.path();
        let ft = e.file_type().unwrap();
        if ft.is_dir() {
            if e.file_name() != ".git" {
                all_text(&p, out);
            }
        } else if ft.is_file() {
            let bytes = std::fs::read(&p).unwrap();
            out.push((p, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
}

/// `(data_date, as_of_date)` of every date of a site's `api/v1/dates.json`, or none when
/// there is no such file.
fn dates_in(site: &Path) -> Vec<(String, String)> {
    let Ok(bytes) = std::fs::read(site.join("api/v1/dates.json")) else {
        return Vec::new();
    };
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let field = |e: &serde_json::Value, k: &str| e[k].as_str().unwrap_or_default().to_string();
    let mut out: Vec<(String, String)> = v["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (field(e, "data_date"), field(e, "as_of_date")))
        .collect();
    out.sort();
    out
}

/// The date TI's data for as-of day `as_of` belongs to, read from the footer of what TI
/// served (DOMAIN.md §3.4, §3.5): the as-of day itself, or during a closing period the last
/// day of the month still closing.
fn data_date(ti: &TiModel, as_of: NaiveDate) -> NaiveDate {
    let body = ti.served_bytes(as_of, "all-districts.csv");
    let text = String::from_utf8_lossy(&body);
    let footer = text.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
    let word = &footer.trim().strip_prefix("Month of ").unwrap()[..3];
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = months.iter().position(|&w| w == word).unwrap() as u32 + 1;
    if m == as_of.month() {
        return as_of;
    }
    let y = as_of.year() - i32::from(m > as_of.month());
    let next = if m == 12 {
        d(y + 1, 1, 1)
    } else {
        d(y, m + 1, 1)
    };
    next.pred_opt().unwrap()
}

/// The history a site should show: data date → the as-of date of its newest collection.
#[derive(Default)]
struct Expected(std::collections::BTreeMap<NaiveDate, NaiveDate>);

impl Expected {
    /// Adds the collection of `as_of`; true when it is a new point, false when it revises
    /// a month end still closing.
    fn land(&mut self, ti: &TiModel, as_of: NaiveDate) -> bool {
        self.0.insert(data_date(ti, as_of), as_of).is_none()
    }
    fn dates(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }
}

fn history_points(site: &Path, district: &str) -> usize {
    let p = site.join(format!("api/v1/districts/{district}/history.json"));
    let Ok(bytes) = std::fs::read(&p) else {
        return 0;
    };
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    v["points"].as_array().map_or(0, Vec::len)
}

/// One night's run: its exit code and everything it said.
struct Ran {
    code: Option<i32>,
    outputs: String,
    summary: String,
    all: String,
}

impl Ran {
    fn deploy(&self) -> bool {
        self.outputs.lines().any(|l| l == "deploy=true")
    }
    fn healthy(&self) -> bool {
        self.outputs.lines().any(|l| l == "healthy=true")
    }
}

/// The runner: a working directory, the data remote, the gh stub and the deployed site.
struct Runner {
    dir: PathBuf,
    remote: PathBuf,
    gh: PathBuf,
    districts: String,
    nights: std::cell::Cell<usize>,
}

impl Runner {
    fn new(dir: &Path, districts: &[String]) -> Runner {
        std::fs::create_dir_all(dir).unwrap();
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
        Runner {
            dir: dir.to_path_buf(),
            remote,
            gh,
            districts: districts.join(","),
            nights: std::cell::Cell::new(0),
        }
    }

    fn deployed(&self) -> PathBuf {
        self.dir.join("deployed")
    }

    fn gh_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("gh.log")).unwrap_or_default()
    }

    /// Runs the script as the schedule does at `hh:mm` UTC of `day`, with TI's clock on the
    /// same day; deploys `public/` when the run says so. `data_repo` stands in for the
    /// remote's URL (the bare repository when none).
    fn night(
        &self,
        ti: &TiModel,
        day: NaiveDate,
        at: &str,
        data_repo: Option<&str>,
        patience: u64,
    ) -> Ran {
        ti.set_today(day);
        let n = self.nights.get() + 1;
        self.nights.set(n);
        let outputs = self.dir.join(format!("logs/{n}-github-output"));
        let summary = self.dir.join(format!("logs/{n}-step-summary.md"));
        let work = self.dir.join(format!("logs/{n}-work"));
        std::fs::create_dir_all(self.dir.join("logs")).unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/nightly.sh");
        let remote = self.remote.display().to_string();
        let deployed = format!("file://{}/", self.deployed().display());
        // The faketime wrapper, not a bare LD_PRELOAD: libfaketime shares its state through
        // a semaphore that the first process of the tree creates, and a child that outlives
        // it (git's, the script's) then fails to start ("ft_shm_init(), sem_open failed");
        // the wrapper holds it for the whole run.
        clear_leaked_faketime_state();
        let mut cmd = Command::new("faketime");
        cmd.args(["-m", "-f", &format!("@{day} {at}:00"), "bash"])
            .arg(script)
            .current_dir(&self.dir)
            .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
            .env("FAKETIME_NO_CACHE", "1")
            // The workflow's env on a scheduled run: inputs and unset variables are empty.
            .env("TOASTSTATS", env!("CARGO_BIN_EXE_toaststats"))
            .env("CACHE_DIR", "cache")
            .env("SITE_DIR", "site")
            .env("PUBLIC_DIR", "public")
            .env("DATA_REPO", data_repo.unwrap_or(&remote))
            .env("DEPLOYED_URL", &deployed)
            .env("FETCH_DISTRICTS", &self.districts)
            .env("FETCH_DATE", "")
            .env("FETCH_FROM", "")
            .env("FETCH_TO", "")
            .env("FETCH_MONTH_ENDS", "")
            .env("DEPLOY", "")
            .env("ALLOW_SHORTER_HISTORY", "")
            .env("MAX_DATA_AGE_DAYS", "")
            .env("GH_TOKEN", TOKEN)
            .env("GH", &self.gh)
            .env("GITHUB_OUTPUT", &outputs)
            .env("GITHUB_STEP_SUMMARY", &summary)
            // The model's address and test-scale timings.
            .env(
                "FETCH_ARGS",
                format!(
                    "--base-url {} --backoff-ms 20 --retries 1 --patience {patience} --rate 0",
                    ti.base
                ),
            )
            .env("WORK_DIR", &work)
            .env("GH_LOG", self.dir.join("gh.log"))
            .env("GH_STATE", self.dir.join("gh.state"))
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1");
        for var in [
            "SOURCE_DATE_EPOCH",
            "GITHUB_RUN_ID",
            "GITHUB_TOKEN",
            "DATA_BRANCH",
            "STALE_LABEL",
        ] {
            cmd.env_remove(var);
        }
        let gh_before = self.gh_log().len();
        let o = cmd.output().unwrap();
        let outputs = std::fs::read_to_string(&outputs).unwrap_or_default();
        let summary = std::fs::read_to_string(&summary).unwrap_or_default();
        let mut all = format!(
            "night {n}, {day} {at} UTC\n--- stdout\n{}\n--- stderr\n{}\n--- GITHUB_OUTPUT\n{outputs}\n--- summary\n{summary}\n--- gh\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr),
            &self.gh_log()[gh_before..],
        );
        let mut files = Vec::new();
        all_text(&work, &mut files);
        for (p, t) in files {
            all.push_str(&format!("\n--- {}\n{t}", p.display()));
        }
        let ran = Ran {
            code: o.status.code(),
            outputs,
            summary,
            all,
        };
        if ran.deploy() {
            let public = self.dir.join("public");
            let (old, new) = (dates_in(&self.deployed()), dates_in(&public));
            let lost: Vec<_> = old
                .iter()
                .filter(|(data, _)| !new.iter().any(|(n, _)| n == data))
                .collect();
            assert!(
                new.len() >= old.len() && lost.is_empty(),
                "a shorter history was deployed ({} dates after {}, lost {lost:?}):\n{}",
                new.len(),
                old.len(),
                ran.all
            );
            let _ = std::fs::remove_dir_all(self.deployed());
            copy_dir(&public, &self.deployed());
        }
        ran
    }

    /// The bytes of `rel` under `date` on the remote's data branch.
    fn on_branch(&self, date: NaiveDate, rel: &str) -> Vec<u8> {
        git(
            &self.dir,
            &[
                "--git-dir",
                &self.remote.display().to_string(),
                "show",
                &format!("data:raw-csv/{date}/{rel}"),
            ],
        )
        .stdout
    }

    /// Every file of `date` on the data branch is what TI served for that day.
    fn assert_landed(&self, ti: &TiModel, date: NaiveDate, ids: &[String], ran: &Ran) {
        let mut rels = vec!["all-districts.csv".to_string()];
        for id in ids {
            for r in ["club", "division", "district"] {
                rels.push(format!("district-{id}/{r}-performance.csv"));
            }
        }
        for rel in rels {
            assert!(
                self.on_branch(date, &rel) == ti.served_bytes(date, &rel),
                "{date}/{rel} on the data branch differs from what TI served:\n{}",
                ran.all
            );
        }
    }

    /// No token in anything the runner holds outside git's own folders: reports, logs,
    /// the store, the export, the deployed copy, the gh calls.
    fn assert_no_secret_on_disk(&self) {
        let mut files = Vec::new();
        all_text(&self.dir, &mut files);
        for (p, t) in files {
            if p.starts_with(&self.remote) {
                continue;
            }
            assert!(!t.contains(TOKEN), "{} holds the token:\n{t}", p.display());
            assert!(
                !t.contains("SECRETTOKEN"),
                "{} holds the token",
                p.display()
            );
        }
    }
}

fn assert_no_secret(ran: &Ran) {
    assert!(
        !ran.all.contains(TOKEN) && !ran.all.contains("SECRETTOKEN"),
        "a secret in the run's output:\n{}",
        ran.all
    );
}

/// A URL carrying the token to a port nothing listens on.
fn unreachable_remote() -> String {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    format!("https://x-access-token:{TOKEN}@127.0.0.1:{port}/o/r.git")
}

/// TI as measured, serving the sample's history, and the districts it has whole.
fn ti(dir: &Path) -> (TiModel, Vec<String>) {
    let src = make_cache(&dir.join("ti"));
    let model = TiModel::start(&src);
    let ids = full_districts(&src.join("raw-csv/2026-11-08"));
    assert!(!ids.is_empty());
    (model, ids)
}

#[test]
fn thirteen_scheduled_nights_across_octobers_close() {
    if !have_faketime() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (ti, ids) = ti(tmp.path());
    let runner = Runner::new(&tmp.path().join("runner"), &ids);
    let first = d(2026, 10, 28);
    let last = d(2026, 11, 9);
    let mut expected = Expected::default();
    // As-of dates not yet on the data branch (the night the remote could not be reached).
    let mut missed: Vec<NaiveDate> = Vec::new();
    let (mut new_points, mut revisions) = (0, 0);
    let mut good_nights = Vec::new();
    let mut night = first;
    while night <= last {
        let as_of = night - Days::new(1);
        let mut patience = 5;
        let mut data_repo = None;
        match night.format("%m-%d").to_string().as_str() {
            // TI down for a few seconds at the start of the run: ridden out.
            "10-29" => {
                ti.outage(Duration::from_secs(3), 503);
                patience = 30;
            }
            // Another district's rows in one body: retried, the right one stored.
            "10-30" => {
                let other: &'static str = Box::leak(ids.last().unwrap().clone().into_boxed_str());
                ti.fault(
                    &format!("clubperformance~{}~", ids[0]),
                    Fault::WrongDistrict(other),
                    1,
                );
            }
            // The data remote cannot be reached, and its URL carries the token.
            "11-03" => data_repo = Some(unreachable_remote()),
            // The runner lost the Actions cache (the store) and the raw checkout: the
            // data branch brings the raw files back, the store is built anew.
            "11-06" => {
                std::fs::remove_dir_all(runner.dir.join("site")).unwrap();
                std::fs::remove_dir_all(runner.dir.join("cache")).unwrap();
            }
            _ => {}
        }
        let deployed_before = dates_in(&runner.deployed());
        ti.clear_hits();
        let ran = runner.night(&ti, night, "06:17", data_repo.as_deref(), patience);
        assert_no_secret(&ran);
        assert_eq!(ti.newest_as_of(), as_of);
        if data_repo.is_some() {
            assert_eq!(ran.code, Some(1), "{}", ran.all);
            assert!(!ran.deploy() && !ran.healthy(), "{}", ran.all);
            assert!(
                ran.all.contains("cannot reach the data repository"),
                "{}",
                ran.all
            );
            assert!(ran.summary.contains("Nothing was deployed"), "{}", ran.all);
            assert_eq!(ti.requests(), 0, "TI asked without a data branch");
            assert_eq!(dates_in(&runner.deployed()), deployed_before);
            let log = runner.gh_log();
            assert!(
                log.contains("issue create --title") && log.contains("--label pipeline-stale"),
                "{log}"
            );
            assert!(log.contains("cannot reach the data repository"), "{log}");
            // The URL was named, its credentials redacted.
            assert!(ran.all.contains("://***@127.0.0.1:"), "{}", ran.all);
            missed.push(as_of);
            good_nights.push(None);
        } else {
            assert_eq!(ran.code, Some(0), "{}", ran.all);
            assert!(ran.deploy() && ran.healthy(), "{}", ran.all);
            good_nights.push(Some(night));
            for day in missed.drain(..).chain([as_of]) {
                runner.assert_landed(&ti, day, &ids, &ran);
                if expected.land(&ti, day) {
                    new_points += 1;
                } else {
                    revisions += 1;
                }
            }
            // One point more a night; a closing-period night revises its month end's
            // point instead (DOMAIN.md §3.5), and a missed night comes back the next.
            let deployed = dates_in(&runner.deployed());
            assert_eq!(deployed, expected.dates(), "{}", ran.all);
            assert_eq!(
                history_points(&runner.deployed(), &ids[0]),
                expected.0.len(),
                "{}",
                ran.all
            );
        }
        match night.format("%m-%d").to_string().as_str() {
            "10-29" => assert!(ti.requests() > 1 + 3 * ids.len(), "{:?}", ti.hits()),
            "10-30" => assert!(
                ti.requests() > 1 + 3 * ids.len(),
                "the wrong-district body was not asked again: {:?}",
                ti.hits()
            ),
            "11-04" => assert!(
                runner.gh_log().contains("issue close 7"),
                "{}",
                runner.gh_log()
            ),
            // The schedule's second run of the day finds nothing new: the one question to
            // TI, nothing deployed, healthy.
            "11-05" => {
                ti.clear_hits();
                let again = runner.night(&ti, night, "10:17", None, patience);
                assert_no_secret(&again);
                assert_eq!(again.code, Some(0), "{}", again.all);
                assert!(!again.deploy() && again.healthy(), "{}", again.all);
                assert_eq!(ti.requests(), 1, "{:?}", ti.hits());
                assert_eq!(dates_in(&runner.deployed()), expected.dates());
            }
            _ => {}
        }
        night = night + Days::new(1);
    }
    assert!(runner.nights.get() >= 14);
    // The whole script ran at the schedule's time: each night's data commit is dated then.
    let o = git(
        &runner.dir,
        &[
            "--git-dir",
            &runner.remote.display().to_string(),
            "log",
            "--reverse",
            "--format=%cI",
            "data",
        ],
    );
    let commits: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    let nights: Vec<String> = good_nights
        .iter()
        .flatten()
        .map(|n| format!("{n}T06:17:00Z"))
        .collect();
    assert_eq!(
        commits.iter().map(|c| &c[..19]).collect::<Vec<_>>(),
        nights.iter().map(|c| &c[..19]).collect::<Vec<_>>(),
        "{commits:?}"
    );
    // 13 as-of days: October's three closing days (1-3 November) revise its 31st.
    assert_eq!((new_points, revisions), (10, 3));
    assert_eq!(
        expected.0.get(&d(2026, 10, 31)),
        Some(&d(2026, 11, 3)),
        "{:?}",
        expected.0
    );
    let meta: serde_json::Value =
        serde_json::from_slice(&runner.on_branch(d(2026, 11, 2), "metadata.json")).unwrap();
    assert_eq!(meta["isClosingPeriod"], true, "{meta}");

    // A night whose export would have less history than the deployed site is not
    // deployed: here the deployed site shows three dates the store never saw.
    let deployed_dates = runner.deployed().join("api/v1/dates.json");
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&deployed_dates).unwrap()).unwrap();
    let list = v["dates"].as_array_mut().unwrap();
    for day in ["2026-01-01", "2026-01-02", "2026-01-03"] {
        let mut e = list[0].clone();
        for key in ["data_date", "collection_date", "as_of_date"] {
            e[key] = serde_json::Value::from(day);
        }
        list.push(e);
    }
    std::fs::write(&deployed_dates, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    let before = dates_in(&runner.deployed());
    let ran = runner.night(&ti, last + Days::new(1), "06:17", None, 5);
    assert_no_secret(&ran);
    assert_eq!(ran.code, Some(1), "{}", ran.all);
    assert!(!ran.deploy(), "{}", ran.all);
    assert!(ran.all.contains("not deployed"), "{}", ran.all);
    assert!(ran.summary.contains("fewer than"), "{}", ran.summary);
    assert_eq!(dates_in(&runner.deployed()), before);
    runner.assert_landed(&ti, last, &ids, &ran);
    runner.assert_no_secret_on_disk();
}

#[test]
fn scheduled_nights_through_the_july_rollover() {
    if !have_faketime() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (ti, ids) = ti(tmp.path());
    let runner = Runner::new(&tmp.path().join("runner"), &ids);
    let mut expected = Expected::default();
    let mut night = d(2026, 7, 22);
    while night <= d(2026, 7, 28) {
        let as_of = night - Days::new(1);
        ti.clear_hits();
        let ran = runner.night(&ti, night, "06:17", None, 5);
        assert_no_secret(&ran);
        // TI publishes 2026-27 on 26 July: until then the bare path serves 2025-26's June
        // close, stamped with the day (§3.1), which revises June's last day (§3.5).
        let live = if as_of >= d(2026, 7, 26) {
            "2026-2027"
        } else {
            "2025-2026"
        };
        assert_eq!(ti.live_py(), live);
        assert_eq!(ran.code, Some(0), "{}", ran.all);
        assert!(ran.deploy() && ran.healthy(), "{}", ran.all);
        runner.assert_landed(&ti, as_of, &ids, &ran);
        let new = expected.land(&ti, as_of);
        assert_eq!(new, as_of == d(2026, 7, 21) || as_of >= d(2026, 7, 26));
        assert_eq!(
            dates_in(&runner.deployed()),
            expected.dates(),
            "{}",
            ran.all
        );
        assert!(
            !ti.hits()
                .iter()
                .any(|h| h.url.starts_with(&format!("/{live}/"))),
            "asked the live year at its /{{PY}}/ path: {:?}",
            ti.hits()
        );
        night = night + Days::new(1);
    }
    assert_eq!(
        expected.dates().first().unwrap(),
        &("2026-06-30".to_string(), "2026-07-25".to_string())
    );
    assert_eq!(expected.0.len(), 3);
    runner.assert_no_secret_on_disk();
}
