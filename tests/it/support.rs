//! Fixture builder and CLI driver shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch folder holding a cache (`cache/raw-csv/...`) and a site root (`site/`).
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

/// The TI club-performance header of PY 2025-26, verbatim.
pub const CLUB_HEADER: &str = r#""District","Division","Area","Club Number","Club Name","Club Status","CSP","Mem. Base","Active Members","Net Growth","Goals Met","Level 1s","Level 2s","Add. Level 2s","Level 3s","Level 4s, Path Completions, or DTM Awards","Add. Level 4s, Path Completions, or DTM award","New Members","Add. New Members","Off. Trained Round 1","Off. Trained Round 2","Mem. dues on time Oct","Mem. dues on time Apr","Off. List On Time","Club Distinguished Status""#;

/// The TI district-performance header, verbatim.
pub const DISTRICT_HEADER: &str = r#""District","Division","Area","Club","Club Name","New","Late Ren.","Oct. Ren.","Apr. Ren.","Total Ren.","Total Chart","Total to Date","Distinguished Status","Charter Date/Suspend Date""#;

/// The all-districts header of PY 2025-26, verbatim.
pub const SUMMARY_HEADER: &str = r#""REGION","DISTRICT","DSP","Training","Market Analysis","Communication Plan","Region Advisor Visit","New Payments","April Payments","October Payments","Late Payments","Charter Payments","Total YTD Payments","Payment Base","% Payment Growth","Paid Club Base","Paid Clubs","% Club Growth","Active Clubs","Distinguished Clubs","Select Distinguished Clubs","Presidents Distinguished Clubs","Smedley Distinguished Clubs","Total Distinguished Clubs","% Distinguished Clubs""#;

/// A valid club row of district `d`, club number `n` (13 members, 4 goals met).
pub fn club_row(d: &str, n: &str) -> String {
    format!(
        r#""{d}","A","01","{n}","Club {n}","Active","Y","13","13","0","4","1","1","0","1","1","1","4","1","2","1","1","1","1","""#
    )
}

/// The district-performance row matching [`club_row`] (23 payments).
pub fn district_row(d: &str, n: &str) -> String {
    format!(r#""{d}","A","01","{n}","Club {n}","5","0","9","9","18","0","23","","""#)
}

/// A valid summary row for district `d`.
pub fn summary_row(region: &str, d: &str, club_growth: &str) -> String {
    format!(
        r#""{region}","{d}","Y","Y","Y","Y","Y","10","20","16","0","0","46","50","-8%","2","2","{club_growth}","2","0","0","0","0","0","0%""#
    )
}

pub const FOOTER: &str = "Month of Apr, As of 04/20/2026";

/// Joins lines with CRLF and ends with the footer line, as TI does.
pub fn csv(lines: &[&str]) -> String {
    let mut s = lines.join("\r\n");
    s.push_str("\r\n");
    s.push_str(FOOTER);
    s.push_str("\r\n");
    s
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn cache(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    pub fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    /// Writes `content` at `cache/raw-csv/<rel>`.
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> &Self {
        let path = self.cache().join("raw-csv").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
        self
    }

    /// A small valid cache: date 2026-04-20, districts 61 and 62 with club and district
    /// reports (two clubs each), and a summary listing both.
    pub fn valid(&self) -> &Self {
        for d in ["61", "62"] {
            let (a, b) = (format!("{d}000001"), format!("{d}000002"));
            self.write(
                &format!("2026-04-20/district-{d}/club-performance.csv"),
                csv(&[CLUB_HEADER, &club_row(d, &a), &club_row(d, &b)]),
            );
            self.write(
                &format!("2026-04-20/district-{d}/district-performance.csv"),
                csv(&[DISTRICT_HEADER, &district_row(d, &a), &district_row(d, &b)]),
            );
        }
        self.write(
            "2026-04-20/all-districts.csv",
            csv(&[
                SUMMARY_HEADER,
                &summary_row("05", "61", "0%"),
                &summary_row("05", "62", "0%"),
            ]),
        );
        self
    }

    /// Runs `toaststats build` on this fixture, at a fixed snapshot time unless `extra` sets one.
    pub fn build(&self, extra: &[&str]) -> Output {
        let mut args = vec![
            "build".to_string(),
            "--cache".into(),
            self.cache().display().to_string(),
            "--site".into(),
            self.site().display().to_string(),
        ];
        if !extra.contains(&"--snapshot-time") {
            args.extend(["--snapshot-time".into(), "2026-11-09T06:00:00Z".into()]);
        }
        args.extend(extra.iter().map(|s| s.to_string()));
        run(&args)
    }

    /// The snapshot id `current` points at, if any.
    pub fn current(&self) -> Option<String> {
        let target = std::fs::read_link(self.site().join("current")).ok()?;
        Some(target.file_name()?.to_string_lossy().into_owned())
    }

    /// The snapshot id `current.json` names, if any.
    pub fn pointer(&self) -> Option<String> {
        let bytes = std::fs::read(self.site().join("current.json")).ok()?;
        let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        v["snapshot_id"].as_str().map(str::to_string)
    }

    /// A file of the current snapshot, as bytes (panics naming the path when missing).
    pub fn read_bytes(&self, rel_in_current: &str) -> Vec<u8> {
        let p = self.site().join("current").join(rel_in_current);
        std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    /// A file of the current snapshot, as text.
    pub fn read_text(&self, rel_in_current: &str) -> String {
        String::from_utf8(self.read_bytes(rel_in_current)).unwrap()
    }

    /// A site built from the committed sample cache, at the default snapshot time unless
    /// `extra` sets one; the build must succeed.
    pub fn sample_site(extra: &[&str]) -> Fixture {
        let fx = Fixture::new();
        build_into(Path::new(&sample_cache()), &fx.site(), extra);
        fx
    }

    pub fn read_json(&self, rel_in_current: &str) -> serde_json::Value {
        let p = self.site().join("current").join(rel_in_current);
        serde_json::from_slice(
            &std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
        )
        .unwrap()
    }
}

/// Runs the CLI with `args`.
pub fn run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_toaststats"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run toaststats")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Set to `1` (`.ci/run` does unless it is set already; `ci.yml` sets `0`) to make a
/// missing `../shared/realdata` fail the real-export tests instead of skipping them.
pub const REQUIRE_REALDATA_ENV: &str = "TOASTSTATS_REQUIRE_REALDATA";

/// `../shared/realdata` beside the checkout, when present. Absent, the real-export tests
/// skip with a note, unless [`REQUIRE_REALDATA_ENV`] is `1`: then they fail, so CI cannot
/// pass without having run them.
pub fn realdata() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realdata");
    let found = realdata_at(
        &p,
        std::env::var(REQUIRE_REALDATA_ENV).as_deref() == Ok("1"),
    );
    if found.is_none() {
        // Straight to stderr, not `eprintln!`: the test harness captures that and shows it
        // only for failing tests, and a skip must be seen in every CI log (a fork's too).
        use std::io::Write as _;
        let test = std::thread::current()
            .name()
            .unwrap_or("a real-export test")
            .to_string();
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: the real TI exports are not here (../shared/realdata is \
             absent, as on GitHub's runners and on a fork), so this test did not run; \
             {REQUIRE_REALDATA_ENV}=1 makes that a failure"
        );
    }
    found
}

fn realdata_at(p: &Path, required: bool) -> Option<PathBuf> {
    if p.is_dir() {
        return Some(p.to_path_buf());
    }
    assert!(
        !required,
        "{} is absent and {REQUIRE_REALDATA_ENV}=1: the real-export tests must run here",
        p.display()
    );
    None
}

#[test]
fn missing_realdata_fails_when_required() {
    let absent = Path::new(env!("CARGO_MANIFEST_DIR")).join("no-such-realdata");
    assert!(realdata_at(&absent, false).is_none());
    let required = std::panic::catch_unwind(|| realdata_at(&absent, true));
    assert!(required.is_err(), "a required, absent realdata must fail");
}

/// The committed sample cache (`sample/` of the checkout).
pub fn sample_cache() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample")
        .display()
        .to_string()
}

/// Builds `cache` into `site`, at the default snapshot time unless `extra` sets one; the
/// build must succeed.
pub fn build_into(cache: &Path, site: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build".to_string(),
        "--cache".into(),
        cache.display().to_string(),
        "--site".into(),
        site.display().to_string(),
    ];
    if !extra.contains(&"--snapshot-time") {
        args.extend(["--snapshot-time".into(), "2026-11-09T06:00:00Z".into()]);
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    let out = run(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    out
}

/// Every file under `dir` by its path relative to `dir`, with its bytes.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// A copy of the bundled sample cache in a new fixture, leaving out the files and folders
/// under `skip` (paths below `raw-csv/`) and applying each edit to its file's text.
pub fn sample_copy(skip: &[&str], edits: &[(&str, &dyn Fn(String) -> String)]) -> Fixture {
    let fx = Fixture::new();
    let raw = Path::new(&sample_cache()).join("raw-csv");
    let mut stack = vec![raw.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(&raw)
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            if skip.contains(&rel.as_str()) {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            match edits.iter().find(|(r, _)| *r == rel) {
                Some((_, edit)) => fx.write(&rel, edit(String::from_utf8(bytes).unwrap())),
                None => fx.write(&rel, bytes),
            };
        }
    }
    fx
}

/// The bundled sample cut at the end of October 2026's close (its last folder is the
/// closing download of 3 November): the newest month is still closing.
pub fn sample_in_octobers_close() -> Fixture {
    const NOVEMBER: [&str; 5] = [
        "2026-11-04",
        "2026-11-05",
        "2026-11-06",
        "2026-11-07",
        "2026-11-08",
    ];
    sample_copy(&NOVEMBER, &[])
}
