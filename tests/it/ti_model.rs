//! A model of TI's dashboard export server as measured (DOMAIN.md §3.1–§3.3), serving the
//! folders of a sample cache. The friendly stand-in it replaced answered `/{PY}/export.aspx`
//! for every year, which the real server refuses for the live year (§3.2 table); this one
//! answers only what TI answers, so a fetch that passes here asks the way the live
//! dashboard needs.
//!
//! Every cache folder is taken as what TI served on its date: its footer (§2.6) says the
//! data month. The clock ([`TiModel::set_today`]) decides what is published. URLs are parsed
//! here by hand, independently of the tool's URL code, so a shared mistake cannot hide.
//!
//! HTTP is spoken over `std::net`, one thread per connection and `Connection: close`: a
//! keep-alive server could not reset a connection or cut a body short, and both are faults
//! under test.

use chrono::{Datelike, Days, NaiveDate};
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A misbehaviour for the next requests whose URL contains a pattern.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer with this HTTP status.
    Status(u16),
    /// 429 with `Retry-After: seconds`.
    TooMany(u64),
    /// Headers and a tenth of the body, then a pause this long before the rest.
    Slow(Duration),
    /// Close the connection without answering.
    Reset,
    /// Promise the whole body, send half, close.
    Cut,
    /// A complete HTTP answer whose body is the first 60% of the real one.
    Truncated,
    /// An ASP.NET error page with status 200 (§2.1 "Bad bodies").
    Html200,
    /// Status 200, empty body.
    Empty,
    /// Header and footer, no data rows (§3.2).
    ZeroRows,
    /// The body with its footer line removed (§3.2: such a body cannot be attributed).
    NoFooter,
    /// Another district's file, whose rows carry that id (§3.2 "verify the District column");
    /// the summary has no district and is served unchanged.
    WrongDistrict(&'static str),
    /// The body with its footer re-stamped `As of` this date.
    AsOf(NaiveDate),
    /// The previous program year's data for the same report (§3.1, lesson #205).
    WrongYear,
}

#[derive(Debug, Clone)]
pub struct Hit {
    pub at: Instant,
    pub url: String,
    pub user_agent: String,
}

struct Rule {
    pattern: String,
    fault: Fault,
    times: usize,
}

/// One cache folder: what TI served for one collection (§1.2).
struct Folder {
    date: NaiveDate,
    path: PathBuf,
    /// (year, month) of the data, from the summary footer (§3.4). A folder counts as
    /// published from its date on, even a final close whose as-of is later: close enough
    /// for a clock that only matters around the newest days.
    month: (i32, u32),
    /// `all-districts.csv` or `district-<id>/<report>.csv` → bytes.
    files: BTreeMap<String, Vec<u8>>,
}

struct State {
    today: NaiveDate,
    late: u64,
    keeps_daily: bool,
    rules: Vec<Rule>,
    outage: Option<(Instant, u16)>,
    hits: Vec<Hit>,
}

struct Shared {
    /// Oldest first.
    folders: Vec<Folder>,
    state: Mutex<State>,
}

/// What the clock says, copied out of the lock for one request.
#[derive(Clone, Copy)]
struct Clock {
    today: NaiveDate,
    newest: NaiveDate,
    keeps_daily: bool,
}

/// An export request: its `report=` value split into slots (§3.2).
#[derive(Clone)]
struct Req {
    /// Cache file name of the report, `club-performance.csv` etc.
    file: &'static str,
    district: Option<String>,
    month_end: Option<NaiveDate>,
    as_of: Option<NaiveDate>,
    py_token: String,
}

impl Req {
    fn rel(&self) -> String {
        match &self.district {
            Some(d) => format!("district-{d}/{}", self.file),
            None => self.file.to_string(),
        }
    }
}

/// Which data an export request gets.
#[derive(Clone, Copy)]
enum Pick {
    /// Folder `i`'s file, its footer re-stamped `As of` the date when one is given.
    Data(usize, Option<NaiveDate>),
    /// Header and footer, no data rows (§3.2).
    Zero,
}

enum Reply {
    /// A CSV of program year `py` (start year; it picks the header era of a zero-row body).
    Csv {
        py: i32,
        req: Req,
        pick: Pick,
    },
    Page(u16, Vec<(&'static str, String)>, Vec<u8>),
}

pub struct TiModel {
    pub base: String,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
}

/// Makes the cache the model is meant for (`toaststats sample`, brief of this module) under
/// `dir` and returns its root.
pub fn make_cache(dir: &Path) -> PathBuf {
    let out = dir.join("cache");
    let out_arg = out.display().to_string();
    let o = crate::support::run(&[
        "sample",
        "--out",
        &out_arg,
        "--districts",
        "3",
        "--clubs-per-district",
        "6",
        "--dates",
        "180",
    ]);
    assert!(o.status.success(), "{}", crate::support::stderr(&o));
    out
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn last_day(month: (i32, u32)) -> NaiveDate {
    let (y, m) = if month.1 == 12 {
        (month.0 + 1, 1)
    } else {
        (month.0, month.1 + 1)
    };
    ymd(y, m, 1).pred_opt().expect("valid date")
}

/// Start year of the program year of a data month (§3.1: month >= 7 starts a year).
fn py_of(month: (i32, u32)) -> i32 {
    if month.1 >= 7 { month.0 } else { month.0 - 1 }
}

fn py_label(start: i32) -> String {
    format!("{start}-{}", start + 1)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The data month of a file served on `date` (§3.4 steps 2–4: the data year is the folder's
/// year, minus one when the data month is later than the folder's month).
fn data_month(bytes: &[u8], date: NaiveDate) -> Option<(i32, u32)> {
    let text = String::from_utf8_lossy(bytes);
    let footer = text.lines().rev().find(|l| !l.trim().is_empty())?;
    let word = footer.trim().strip_prefix("Month of ")?.get(..3)?;
    let m = MONTHS.iter().position(|&w| w == word)? as u32 + 1;
    Some((date.year() - i32::from(m > date.month()), m))
}

/// `bytes` with the date after the last `As of ` replaced; everything else byte-identical.
fn restamp(bytes: &[u8], date: NaiveDate) -> Vec<u8> {
    let Some(at) = bytes.windows(6).rposition(|w| w == b"As of ") else {
        return bytes.to_vec();
    };
    let start = at + 6;
    let mut out = bytes[..start].to_vec();
    out.extend_from_slice(date.format("%m/%d/%Y").to_string().as_bytes());
    out.extend_from_slice(&bytes[(start + 10).min(bytes.len())..]);
    out
}

/// `bytes` without their last non-empty line (the footer).
fn strip_footer(bytes: &[u8]) -> Vec<u8> {
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b'\r' | b'\n') {
        end -= 1;
    }
    let cut = bytes[..end]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    bytes[..cut].to_vec()
}

fn first_line(bytes: &[u8]) -> &[u8] {
    let end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| i + 1);
    &bytes[..end]
}

/// A date slot: unpadded `M/D/YYYY` (§3.2). Padded or other forms are refused, so a tool that
/// builds them fails here; TI's own tolerance for them is not measured.
fn slot_date(s: &str) -> Result<Option<NaiveDate>, ()> {
    if s.is_empty() {
        return Ok(None);
    }
    let parts: Vec<&str> = s.split('/').collect();
    let plain = |p: &str, max: usize| {
        !p.is_empty()
            && p.len() <= max
            && !p.starts_with('0')
            && p.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.len() != 3 || !plain(parts[0], 2) || !plain(parts[1], 2) || !plain(parts[2], 4) {
        return Err(());
    }
    let n = |p: &str| p.parse::<u32>().map_err(|_| ());
    NaiveDate::from_ymd_opt(n(parts[2])? as i32, n(parts[0])?, n(parts[1])?)
        .map(Some)
        .ok_or(())
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (b[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `type=CSV&report=<value>` (§3.2), in either order, percent-escapes decoded.
fn parse_query(query: &str) -> Option<Req> {
    let mut params = HashMap::new();
    for pair in query.split('&') {
        let (k, v) = pair.split_once('=')?;
        params.insert(k.to_ascii_lowercase(), percent_decode(v));
    }
    if params.get("type")? != "CSV" {
        return None;
    }
    let slots: Vec<&str> = params.get("report")?.split('~').collect();
    let (file, district, rest) = match slots.as_slice() {
        ["districtsummary", rest @ ..] => ("all-districts.csv", None, rest),
        [name, d, rest @ ..] => {
            let file = match *name {
                "clubperformance" => "club-performance.csv",
                "divisionperformance" => "division-performance.csv",
                "districtperformance" => "district-performance.csv",
                _ => return None,
            };
            (file, Some(d.to_string()), rest)
        }
        _ => return None,
    };
    let [me, asof, py] = rest else { return None };
    Some(Req {
        file,
        district,
        month_end: slot_date(me).ok()?,
        as_of: slot_date(asof).ok()?,
        py_token: py.to_string(),
    })
}

/// `YYYY-YYYY` with consecutive years → start year.
fn parse_py(s: &str) -> Option<i32> {
    let (a, b) = s.split_once('-')?;
    let (a, b) = (a.parse::<i32>().ok()?, b.parse::<i32>().ok()?);
    (a.to_string().len() == 4 && b == a + 1).then_some(a)
}

fn html(code: u16, body: &str) -> Reply {
    let ct = ("Content-Type", "text/html; charset=utf-8".to_string());
    Reply::Page(code, vec![ct], body.as_bytes().to_vec())
}

const ASPNET_ERROR: &str = "\r\n<!DOCTYPE html>\r\n<html><head><title>Runtime Error</title></head>\
<body><h1>Server Error in '/' Application.</h1></body></html>\r\n";

impl Shared {
    fn clock(&self) -> Clock {
        let s = self.state.lock().unwrap();
        Clock {
            today: s.today,
            // §3.2 "The latest as-of is yesterday", later on days TI publishes late.
            newest: s.today - Days::new(1 + s.late),
            keeps_daily: s.keeps_daily,
        }
    }

    /// The folder whose data TI serves for as-of day `x`: the newest dated on or before it.
    /// On a day without new data TI keeps serving the last data under the current stamp
    /// (§3.1: the prior year still serves the June close until the new year publishes).
    fn day(&self, x: NaiveDate) -> Option<usize> {
        self.folders.iter().rposition(|f| f.date <= x)
    }

    /// Start year of the live program year: that of the data served at the newest as-of
    /// (§3.2 "learned from content, not the calendar").
    fn live(&self, c: Clock) -> Option<i32> {
        self.day(c.newest).map(|i| py_of(self.folders[i].month))
    }

    /// The newest published collection whose data satisfies `keep`.
    fn newest_where(&self, c: Clock, keep: impl Fn(&Folder) -> bool) -> Option<usize> {
        self.folders
            .iter()
            .rposition(|f| f.date <= c.newest && keep(f))
    }

    /// Day `x` for month-end slot `me` in year `py`: the day's data only when it is
    /// published, belongs to `py`, and `me` ends its data month (§3.2, #1384 example).
    fn day_in(&self, c: Clock, py: i32, me: NaiveDate, x: NaiveDate) -> Pick {
        match self.day(x) {
            Some(i) if x <= c.newest => {
                let m = self.folders[i].month;
                if py_of(m) == py && me == last_day(m) {
                    Pick::Data(i, Some(x))
                } else {
                    Pick::Zero
                }
            }
            _ => Pick::Zero,
        }
    }

    /// A month's final figures: the newest collection of that data month, once a later
    /// month's data exists; before that zero rows (§3.2 "has not closed yet").
    fn month_final(&self, c: Clock, py: i32, me: NaiveDate, stamp: Option<NaiveDate>) -> Pick {
        let m = (me.year(), me.month());
        let closed = self.newest_where(c, |f| f.month > m).is_some();
        if me != last_day(m) || py_of(m) != py || !closed {
            return Pick::Zero;
        }
        self.newest_where(c, |f| f.month == m)
            .map_or(Pick::Zero, |i| Pick::Data(i, stamp))
    }

    /// The bare path: only the live year, whatever the `~{PY}` token says (§3.2 table).
    fn bare(&self, c: Clock, live: i32, req: &Req) -> Pick {
        match (req.month_end, req.as_of) {
            // §3.2 "an empty month-end slot ignores the as-of date".
            (None, _) => self
                .day(c.newest)
                .map_or(Pick::Zero, |i| Pick::Data(i, Some(c.newest))),
            (Some(me), Some(x)) => self.day_in(c, live, me, x),
            (Some(me), None) => self.month_final(c, live, me, None),
        }
    }

    /// `/{PY}/` of a closed year. Archived answers without an as-of slot carry the download
    /// date in their footer (§3.3 "Archived exports").
    fn archive(&self, c: Clock, py: i32, req: &Req) -> Pick {
        // An archive site knows only its own year; unmeasured, chosen strict.
        if req.py_token != py_label(py) {
            return Pick::Zero;
        }
        match (req.month_end, req.as_of) {
            // §3.2 observed: an empty month-end slot returns the latest data, i.e. the
            // year's close ("four quarter downloads per PY are byte-identical June closes").
            (None, _) => self
                .newest_where(c, |f| py_of(f.month) == py)
                .map_or(Pick::Zero, |i| Pick::Data(i, Some(c.today))),
            (Some(me), None) => self.month_final(c, py, me, Some(c.today)),
            (Some(me), Some(x)) if c.keeps_daily => self.day_in(c, py, me, x),
            // §3.2 "archives that no longer keep a daily as-of".
            (Some(_), Some(_)) => Pick::Zero,
        }
    }

    fn route(&self, c: Clock, url: &str) -> Reply {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        if path.eq_ignore_ascii_case("/error.aspx") {
            return html(
                200,
                "<html><body><h1>An error has occurred.</h1></body></html>",
            );
        }
        let site = if path == "/export.aspx" {
            None
        } else {
            match path
                .strip_prefix('/')
                .and_then(|p| p.strip_suffix("/export.aspx"))
                .and_then(parse_py)
            {
                Some(py) => Some(py),
                None => return html(404, "<html><body>404 - File not found.</body></html>"),
            }
        };
        let redirect = || {
            let loc = ("Location", format!("/error.aspx?aspxerrorpath={path}"));
            Reply::Page(302, vec![loc], Vec::new())
        };
        let Some(live) = self.live(c) else {
            return redirect();
        };
        // The year's site is chosen before the query is read: both answers come from in
        // front of the export page (the rewrite rule, the unpublished-year redirect).
        match site {
            // §3.2 table: the live year's own path is a rewrite error.
            Some(py) if py == live => {
                let body = "<html><body><h1>URL Rewrite Module Error.</h1></body></html>";
                return html(500, body);
            }
            // §3.1/§3.2: a year not published (or not in the cache) redirects.
            Some(py) if py > live || self.newest_where(c, |f| py_of(f.month) == py).is_none() => {
                return redirect();
            }
            _ => {}
        }
        // A request TI's page would never embed: unmeasured, answered like ASP.NET does a
        // bad argument.
        let Some(req) = parse_query(query) else {
            return html(500, ASPNET_ERROR);
        };
        match site {
            None => Reply::Csv {
                py: live,
                pick: self.bare(c, live, &req),
                req,
            },
            Some(py) => Reply::Csv {
                py,
                pick: self.archive(c, py, &req),
                req,
            },
        }
    }

    /// Header of `rel`'s report from a file of program year `py`'s era (any district), then
    /// the newest day's footer, CRLF: TI's "nothing for that period" (§3.2).
    fn zero_rows<'a>(&'a self, c: Clock, rel: &str, py: i32) -> Vec<u8> {
        let report = rel.rsplit('/').next().unwrap_or(rel);
        let matching = |f: &'a Folder| {
            f.files
                .iter()
                .find(|(k, _)| k.rsplit('/').next() == Some(report))
                .map(|(_, v)| v)
        };
        let header = self
            .folders
            .iter()
            .filter(|f| py_of(f.month) == py)
            .find_map(matching)
            .or_else(|| self.folders.iter().rev().find_map(matching))
            .map_or(&[][..], |b| first_line(b));
        let month = self
            .day(c.newest)
            .map_or(c.newest.month(), |i| self.folders[i].month.1);
        let mut out = header.to_vec();
        let footer = format!(
            "Month of {}, As of {}\r\n",
            MONTHS[month as usize - 1],
            c.newest.format("%m/%d/%Y")
        );
        out.extend_from_slice(footer.as_bytes());
        out
    }

    fn render(&self, c: Clock, py: i32, rel: &str, pick: Pick) -> Vec<u8> {
        match pick {
            Pick::Data(i, stamp) => match self.folders[i].files.get(rel) {
                Some(b) => stamp.map_or_else(|| b.clone(), |d| restamp(b, d)),
                // §3.2 brief: an unknown district gets header + footer too.
                None => self.zero_rows(c, rel, py),
            },
            Pick::Zero => self.zero_rows(c, rel, py),
        }
    }

    /// Status, headers and body of `url`, with a content fault applied.
    fn answer(
        &self,
        url: &str,
        fault: Option<&Fault>,
    ) -> (u16, Vec<(&'static str, String)>, Vec<u8>) {
        let c = self.clock();
        let (py, mut req, mut pick) = match self.route(c, url) {
            Reply::Page(code, h, b) => return (code, h, b),
            Reply::Csv { py, req, pick } => (py, req, pick),
        };
        let mut era = py;
        match fault {
            Some(Fault::ZeroRows) => pick = Pick::Zero,
            Some(Fault::WrongDistrict(d)) if req.district.is_some() => {
                req.district = Some(d.to_string())
            }
            Some(Fault::WrongYear) => {
                era = py - 1;
                pick = self
                    .newest_where(c, |f| py_of(f.month) == era)
                    .map_or(Pick::Zero, |i| Pick::Data(i, None));
            }
            _ => {}
        }
        // The real Content-Type of a CSV export is not measured.
        let ct = ("Content-Type", "text/csv; charset=utf-8".to_string());
        (200, vec![ct], self.render(c, era, &req.rel(), pick))
    }
}

impl TiModel {
    /// Reads every date folder of `cache` (`raw-csv/<YYYY-MM-DD>/...`) and starts serving
    /// on 127.0.0.1, with today the day after the newest folder.
    pub fn start(cache: &Path) -> TiModel {
        let mut folders = Vec::new();
        for entry in std::fs::read_dir(cache.join("raw-csv")).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let Ok(date) = NaiveDate::parse_from_str(&name, "%Y-%m-%d") else {
                continue;
            };
            let mut files = BTreeMap::new();
            for e in std::fs::read_dir(&path).unwrap() {
                let p = e.unwrap().path();
                let n = p.file_name().unwrap().to_string_lossy().into_owned();
                if n.starts_with("district-") && p.is_dir() {
                    for f in std::fs::read_dir(&p).unwrap() {
                        let f = f.unwrap().path();
                        let fname = f.file_name().unwrap().to_string_lossy().into_owned();
                        files.insert(format!("{n}/{fname}"), std::fs::read(&f).unwrap());
                    }
                } else if n == "all-districts.csv" {
                    files.insert(n, std::fs::read(&p).unwrap());
                }
            }
            let month = files
                .get("all-districts.csv")
                .or_else(|| files.values().next())
                .and_then(|b| data_month(b, date))
                .unwrap_or_else(|| panic!("{}: no footer to read", path.display()));
            folders.push(Folder {
                date,
                path,
                month,
                files,
            });
        }
        folders.sort_by_key(|f| f.date);
        let today = folders.last().expect("a cache with folders").date + Days::new(1);
        let state = Mutex::new(State {
            today,
            late: 0,
            keeps_daily: true,
            rules: Vec::new(),
            outage: None,
            hits: Vec::new(),
        });
        let shared = Arc::new(Shared { folders, state });
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (shared.clone(), stop.clone());
        std::thread::spawn(move || {
            while !st.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let _ = stream.set_nonblocking(false);
                        let s = s.clone();
                        std::thread::spawn(move || {
                            let _ = serve(&s, stream);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        TiModel { base, shared, stop }
    }

    /// Sets TI's calendar day (UTC).
    pub fn set_today(&self, date: NaiveDate) {
        self.shared.state.lock().unwrap().today = date;
    }

    /// TI publishes `days` later than usual (§3.2 "on some days TI publishes late").
    pub fn publish_late(&self, days: u64) {
        self.shared.state.lock().unwrap().late = days;
    }

    /// Whether closed years still answer a month-end + as-of request with that day (§3.2).
    pub fn archive_keeps_daily(&self, keeps: bool) {
        self.shared.state.lock().unwrap().keeps_daily = keeps;
    }

    /// The newest as-of date TI serves now.
    pub fn newest_as_of(&self) -> NaiveDate {
        self.shared.clock().newest
    }

    /// The live program year (`2026-2027`), as the bare path's content says.
    pub fn live_py(&self) -> String {
        py_label(
            self.shared
                .live(self.shared.clock())
                .expect("something published"),
        )
    }

    /// The cache folder whose data TI serves for as-of day `date`.
    pub fn published_folder(&self, date: NaiveDate) -> Option<PathBuf> {
        self.shared
            .day(date)
            .map(|i| self.shared.folders[i].path.clone())
    }

    /// The bytes TI serves for as-of day `date` of file `rel` (`all-districts.csv`,
    /// `district-01/club-performance.csv`): the folder's file stamped `As of date`.
    pub fn served_bytes(&self, date: NaiveDate, rel: &str) -> Vec<u8> {
        let i = self
            .shared
            .day(date)
            .expect("a folder on or before the date");
        let b = self.shared.folders[i]
            .files
            .get(rel)
            .expect("a file of the folder");
        restamp(b, date)
    }

    /// The next `times` requests whose URL contains `pattern` get `fault`.
    pub fn fault(&self, pattern: &str, fault: Fault, times: usize) {
        self.shared.state.lock().unwrap().rules.push(Rule {
            pattern: pattern.to_string(),
            fault,
            times,
        });
    }

    /// From now, for `length` of wall-clock time, every request gets `status`.
    pub fn outage(&self, length: Duration, status: u16) {
        self.shared.state.lock().unwrap().outage = Some((Instant::now() + length, status));
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.shared.state.lock().unwrap().hits.clone()
    }

    pub fn requests(&self) -> usize {
        self.shared.state.lock().unwrap().hits.len()
    }

    pub fn clear_hits(&self) {
        self.shared.state.lock().unwrap().hits.clear();
    }
}

impl Drop for TiModel {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn serve(shared: &Shared, stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut user_agent = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("user-agent")
        {
            user_agent = v.trim().to_string();
        }
    }
    let url = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_string();
    let (outage, fault) = {
        let mut s = shared.state.lock().unwrap();
        s.hits.push(Hit {
            at: Instant::now(),
            url: url.clone(),
            user_agent,
        });
        let outage = s.outage.filter(|(until, _)| Instant::now() < *until);
        let fault = s
            .rules
            .iter_mut()
            .find(|r| r.times > 0 && url.contains(&r.pattern))
            .map(|r| {
                r.times -= 1;
                r.fault.clone()
            });
        (outage, fault)
    };
    let mut out = stream;
    if let Some((_, code)) = outage {
        return send(
            &mut out,
            code,
            &[],
            b"<html><body>Service Unavailable</body></html>",
        );
    }
    let (code, headers, body) = shared.answer(&url, fault.as_ref());
    match fault {
        Some(Fault::Status(c)) => send(&mut out, c, &[], b"server error"),
        Some(Fault::TooMany(secs)) => send(
            &mut out,
            429,
            &[("Retry-After", secs.to_string())],
            b"slow down",
        ),
        Some(Fault::Slow(pause)) => {
            head(&mut out, code, &headers, body.len())?;
            out.write_all(&body[..body.len() / 10])?;
            out.flush()?;
            std::thread::sleep(pause);
            out.write_all(&body[body.len() / 10..])
        }
        Some(Fault::Reset) => out.shutdown(Shutdown::Both),
        Some(Fault::Cut) => {
            head(&mut out, code, &headers, body.len())?;
            out.write_all(&body[..body.len() / 2])?;
            out.flush()?;
            out.shutdown(Shutdown::Both)
        }
        Some(Fault::Truncated) => send(&mut out, code, &headers, &body[..body.len() * 6 / 10]),
        Some(Fault::Html200) => send(
            &mut out,
            200,
            &[("Content-Type", "text/html; charset=utf-8".into())],
            ASPNET_ERROR.as_bytes(),
        ),
        Some(Fault::Empty) => send(&mut out, 200, &headers, b""),
        Some(Fault::NoFooter) => send(&mut out, code, &headers, &strip_footer(&body)),
        Some(Fault::AsOf(d)) => send(&mut out, code, &headers, &restamp(&body, d)),
        // Content faults were applied by `answer`.
        Some(Fault::ZeroRows | Fault::WrongDistrict(_) | Fault::WrongYear) | None => {
            send(&mut out, code, &headers, &body)
        }
    }
}

fn head(
    out: &mut TcpStream,
    code: u16,
    headers: &[(&str, String)],
    len: usize,
) -> std::io::Result<()> {
    let mut h = format!("HTTP/1.1 {code} X\r\nContent-Length: {len}\r\nConnection: close\r\n");
    for (k, v) in headers {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    h.push_str("\r\n");
    out.write_all(h.as_bytes())
}

fn send(
    out: &mut TcpStream,
    code: u16,
    headers: &[(&str, String)],
    body: &[u8],
) -> std::io::Result<()> {
    head(out, code, headers, body.len())?;
    out.write_all(body)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        ymd(y, m, day)
    }

    /// A model of a fresh sample cache; the folder must outlive it (`published_folder`).
    fn model() -> (tempfile::TempDir, TiModel) {
        let dir = tempfile::tempdir().unwrap();
        let cache = make_cache(dir.path());
        let m = TiModel::start(&cache);
        (dir, m)
    }

    struct Resp {
        status: u16,
        location: Option<String>,
        content_type: Option<String>,
        retry_after: Option<String>,
        body: Vec<u8>,
    }

    fn try_get(m: &TiModel, path_query: &str) -> Result<Resp, ureq::Error> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .build()
            .into();
        let mut r = agent
            .get(format!("{}{path_query}", m.base))
            .header("User-Agent", "ti-model-test/1")
            .call()?;
        let h = |n: &str| {
            r.headers()
                .get(n)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let (location, content_type, retry_after) =
            (h("location"), h("content-type"), h("retry-after"));
        Ok(Resp {
            status: r.status().as_u16(),
            location,
            content_type,
            retry_after,
            body: r.body_mut().read_to_vec()?,
        })
    }

    fn get(m: &TiModel, path_query: &str) -> Resp {
        try_get(m, path_query).unwrap_or_else(|e| panic!("{path_query}: {e}"))
    }

    fn bare(report: &str) -> String {
        format!("/export.aspx?type=CSV&report={report}")
    }

    fn at(py: &str, report: &str) -> String {
        format!("/{py}/export.aspx?type=CSV&report={report}")
    }

    /// The file as stored in the folder dated `date`.
    fn file(m: &TiModel, date: NaiveDate, rel: &str) -> Vec<u8> {
        let folder = m.published_folder(date).unwrap();
        assert_eq!(
            folder.file_name().unwrap().to_str(),
            Some(&*date.to_string())
        );
        std::fs::read(folder.join(rel)).unwrap()
    }

    fn lines(b: &[u8]) -> Vec<String> {
        String::from_utf8_lossy(b)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect()
    }

    fn footer(b: &[u8]) -> String {
        lines(b).pop().unwrap_or_default()
    }

    fn rows(b: &[u8]) -> usize {
        lines(b).len().saturating_sub(2)
    }

    const SUMMARY: &str = "all-districts.csv";
    const CLUB01: &str = "district-01/club-performance.csv";

    #[test]
    fn bare_empty_slot_is_yesterday_whatever_was_asked() {
        let (_dir, m) = model();
        assert_eq!(m.newest_as_of(), d(2026, 11, 8));
        assert_eq!(m.live_py(), "2026-2027");
        let r = get(&m, &bare("districtsummary~~11/8/2026~2026-2027"));
        assert_eq!(r.status, 200);
        assert_eq!(r.body, file(&m, d(2026, 11, 8), SUMMARY));
        // Another as-of and another year's token: still the live year's newest day.
        let r = get(&m, &bare("clubperformance~01~~1/5/2019~2018-2019"));
        assert_eq!(r.body, file(&m, d(2026, 11, 8), CLUB01));

        m.set_today(d(2026, 11, 5));
        let r = get(&m, &bare("districtsummary~~11/5/2026~2026-2027"));
        assert_eq!(footer(&r.body), "Month of Nov, As of 11/04/2026");
        assert_eq!(r.body, file(&m, d(2026, 11, 4), SUMMARY));
        assert_eq!(r.body, m.served_bytes(d(2026, 11, 4), SUMMARY));

        m.publish_late(2);
        assert_eq!(m.newest_as_of(), d(2026, 11, 2));
        let r = get(&m, &bare("districtsummary~~~2026-2027"));
        assert_eq!(footer(&r.body), "Month of Oct, As of 11/02/2026");

        // Past the newest folder TI re-stamps its last data.
        m.publish_late(0);
        m.set_today(d(2026, 11, 20));
        let r = get(&m, &bare("districtsummary~~~2026-2027"));
        assert_eq!(footer(&r.body), "Month of Nov, As of 11/19/2026");
        let stored = file(&m, d(2026, 11, 8), SUMMARY);
        assert_eq!(strip_footer(&r.body), strip_footer(&stored));
        assert_eq!(r.body.len(), stored.len(), "only the date changed");
    }

    #[test]
    fn live_year_path_is_a_rewrite_error() {
        let (_dir, m) = model();
        for report in [
            "districtsummary~~11/8/2026~2026-2027",
            "clubperformance~01~~~2026-2027",
        ] {
            let r = get(&m, &at("2026-2027", report));
            assert_eq!(r.status, 500);
            assert!(r.content_type.unwrap().starts_with("text/html"));
            assert!(String::from_utf8_lossy(&r.body).contains("URL Rewrite Module Error."));
        }
    }

    #[test]
    fn filled_slot_serves_that_day_of_the_live_year_only() {
        let (_dir, m) = model();
        let r = get(&m, &bare("districtsummary~10/31/2026~11/2/2026~2026-2027"));
        assert_eq!(r.body, file(&m, d(2026, 11, 2), SUMMARY));
        let r = get(
            &m,
            &bare("clubperformance~01~11/30/2026~11/5/2026~2026-2027"),
        );
        assert_eq!(r.body, file(&m, d(2026, 11, 5), CLUB01));
        let r = get(&m, &bare("districtsummary~7/31/2026~7/26/2026~2026-2027"));
        assert_eq!(footer(&r.body), "Month of Jul, As of 07/26/2026");
        assert!(rows(&r.body) > 0);
        for wrong in [
            "districtsummary~11/30/2026~11/2/2026~2026-2027", // closing day: slot is Oct 31
            "districtsummary~10/31/2026~11/5/2026~2026-2027", // ordinary day: slot is Nov 30
            "districtsummary~11/30/2026~11/9/2026~2026-2027", // not published yet
            "districtsummary~6/30/2026~6/15/2026~2025-2026",  // a closed year's day
        ] {
            let r = get(&m, &bare(wrong));
            assert_eq!((r.status, rows(&r.body)), (200, 0), "{wrong}");
        }
        // Padded dates are not TI's form (§3.2).
        let r = get(&m, &bare("districtsummary~10/31/2026~11/02/2026~2026-2027"));
        assert_eq!(r.status, 500);
    }

    #[test]
    fn month_end_slot_alone_is_a_closed_months_final() {
        let (_dir, m) = model();
        // October 2026 closes on 3 November in the sample.
        let r = get(&m, &bare("districtsummary~10/31/2026~~2026-2027"));
        assert_eq!(r.body, file(&m, d(2026, 11, 3), SUMMARY));
        let r = get(&m, &bare("clubperformance~01~9/30/2026~~2026-2027"));
        assert!(
            footer(&r.body).starts_with("Month of Sep, As of 10/"),
            "{}",
            footer(&r.body)
        );
        assert!(rows(&r.body) > 0);
        // November has not closed.
        let r = get(&m, &bare("districtsummary~11/30/2026~~2026-2027"));
        assert_eq!((r.status, rows(&r.body)), (200, 0));
    }

    #[test]
    fn before_the_new_year_publishes_the_prior_year_is_live() {
        let (_dir, m) = model();
        m.set_today(d(2026, 7, 24));
        assert_eq!(m.live_py(), "2025-2026");
        let r = get(&m, &bare("districtsummary~~7/23/2026~2026-2027"));
        assert_eq!(footer(&r.body), "Month of Jun, As of 07/23/2026");
        assert_eq!(r.body, m.served_bytes(d(2026, 7, 23), SUMMARY));
        let folder = m.published_folder(d(2026, 7, 23)).unwrap();
        assert!(folder.ends_with("2026-07-19"), "{}", folder.display());
        let june = file(&m, d(2026, 7, 19), SUMMARY);
        assert_eq!(strip_footer(&r.body), strip_footer(&june));

        let r = get(&m, &at("2026-2027", "districtsummary~~7/23/2026~2026-2027"));
        assert_eq!(r.status, 302);
        let loc = r.location.unwrap();
        assert_eq!(loc, "/error.aspx?aspxerrorpath=/2026-2027/export.aspx");
        let page = get(&m, &loc);
        assert_eq!(page.status, 200);
        assert!(page.content_type.unwrap().starts_with("text/html"));
        assert_eq!(
            get(&m, &at("2025-2026", "districtsummary~~~2025-2026")).status,
            500
        );

        m.set_today(d(2026, 7, 27));
        assert_eq!(m.live_py(), "2026-2027");
        let r = get(&m, &bare("districtsummary~~~2026-2027"));
        assert_eq!(footer(&r.body), "Month of Jul, As of 07/26/2026");
        let r = get(&m, &at("2025-2026", "districtsummary~~~2025-2026"));
        assert_eq!(r.status, 200);
        assert_eq!(footer(&r.body), "Month of Jun, As of 07/27/2026");
    }

    #[test]
    fn archived_year_answers_on_its_own_path() {
        let (_dir, m) = model();
        let june = file(&m, d(2026, 7, 19), SUMMARY);
        let r = get(&m, &at("2025-2026", "districtsummary~~~2025-2026"));
        assert_eq!(footer(&r.body), "Month of Jun, As of 11/09/2026");
        assert_eq!(r.body, restamp(&june, d(2026, 11, 9)));
        // The as-of of an archived export is the download date (§3.3).
        m.set_today(d(2026, 12, 1));
        let r = get(&m, &at("2025-2026", "districtsummary~~~2025-2026"));
        assert_eq!(footer(&r.body), "Month of Jun, As of 12/01/2026");
        m.set_today(d(2026, 11, 9));

        let r = get(
            &m,
            &at("2025-2026", "clubperformance~01~3/31/2026~~2025-2026"),
        );
        assert_eq!(
            r.body,
            restamp(&file(&m, d(2026, 3, 31), CLUB01), d(2026, 11, 9))
        );
        let daily = "clubperformance~01~5/31/2026~6/1/2026~2025-2026";
        let r = get(&m, &at("2025-2026", daily));
        assert_eq!(r.body, file(&m, d(2026, 6, 1), CLUB01));
        for zero in [
            "clubperformance~01~6/30/2026~6/1/2026~2025-2026",
            "districtsummary~~~2026-2027",
        ] {
            assert_eq!(rows(&get(&m, &at("2025-2026", zero)).body), 0, "{zero}");
        }
        m.archive_keeps_daily(false);
        assert_eq!(rows(&get(&m, &at("2025-2026", daily)).body), 0);

        for py in ["2027-2028", "2019-2020"] {
            let r = get(&m, &at(py, &format!("districtsummary~~~{py}")));
            assert_eq!(r.status, 302, "{py}");
        }
    }

    #[test]
    fn zero_row_body_is_header_and_newest_footer() {
        let (_dir, m) = model();
        let header = |date, rel| first_line(&file(&m, date, rel)).to_vec();
        let with_footer = |mut h: Vec<u8>| {
            h.extend_from_slice(b"Month of Nov, As of 11/08/2026\r\n");
            h
        };
        let r = get(&m, &bare("districtsummary~11/30/2026~~2026-2027"));
        assert_eq!(r.body, with_footer(header(d(2026, 11, 8), SUMMARY)));
        let r = get(&m, &bare("clubperformance~99~~~2026-2027"));
        assert_eq!(r.body, with_footer(header(d(2026, 11, 8), CLUB01)));
        // A closed year's zero rows carry that year's header, which differs (§2.5 eras).
        let old = header(d(2026, 6, 1), CLUB01);
        assert_ne!(old, header(d(2026, 11, 8), CLUB01));
        let r = get(&m, &at("2025-2026", "clubperformance~99~~~2025-2026"));
        assert_eq!(r.body, with_footer(old));
    }

    #[test]
    fn other_paths() {
        let (_dir, m) = model();
        let r = get(&m, "/error.aspx?aspxerrorpath=/2027-2028/export.aspx");
        assert_eq!(r.status, 200);
        assert_eq!(get(&m, "/Default.aspx").status, 404);
        assert_eq!(
            get(&m, &at("2026-27", "districtsummary~~~2026-27")).status,
            404
        );
        let r = get(
            &m,
            "/export.aspx?type=XLS&report=districtsummary~~~2026-2027",
        );
        assert_eq!(r.status, 500);
    }

    #[test]
    fn transport_faults() {
        let (_dir, m) = model();
        let url = bare("districtsummary~~~2026-2027");
        let good = file(&m, d(2026, 11, 8), SUMMARY);
        // Only matching URLs take a fault, `times` of them.
        m.fault("districtsummary", Fault::Status(503), 2);
        assert_eq!(get(&m, &bare("clubperformance~01~~~2026-2027")).status, 200);
        assert_eq!(get(&m, &url).status, 503);
        assert_eq!(get(&m, &url).status, 503);
        assert_eq!(get(&m, &url).body, good);

        m.fault("districtsummary", Fault::TooMany(7), 1);
        let r = get(&m, &url);
        assert_eq!((r.status, r.retry_after.as_deref()), (429, Some("7")));

        m.fault(
            "districtsummary",
            Fault::Slow(Duration::from_millis(300)),
            1,
        );
        let t = Instant::now();
        assert_eq!(get(&m, &url).body, good);
        assert!(t.elapsed() >= Duration::from_millis(300));

        m.fault("districtsummary", Fault::Reset, 1);
        assert!(try_get(&m, &url).is_err());
        m.fault("districtsummary", Fault::Cut, 1);
        assert!(try_get(&m, &url).is_err());

        m.fault("districtsummary", Fault::Truncated, 1);
        assert_eq!(get(&m, &url).body, good[..good.len() * 6 / 10]);
        m.fault("districtsummary", Fault::Html200, 1);
        let r = get(&m, &url);
        assert_eq!(r.status, 200);
        assert!(String::from_utf8_lossy(&r.body).contains("<html>"));
        m.fault("districtsummary", Fault::Empty, 1);
        let r = get(&m, &url);
        assert_eq!((r.status, r.body.len()), (200, 0));
        assert_eq!(get(&m, &url).body, good);
    }

    #[test]
    fn content_faults() {
        let (_dir, m) = model();
        let club = bare("clubperformance~01~~~2026-2027");
        let good = file(&m, d(2026, 11, 8), CLUB01);

        m.fault("clubperformance~01", Fault::ZeroRows, 1);
        let r = get(&m, &club);
        assert_eq!(rows(&r.body), 0);
        assert_eq!(first_line(&r.body), first_line(&good));

        m.fault("clubperformance~01", Fault::NoFooter, 1);
        let r = get(&m, &club);
        assert_eq!(r.body, strip_footer(&good));
        assert!(footer(&r.body).starts_with("\"01\""));

        m.fault("clubperformance~01", Fault::WrongDistrict("03"), 1);
        let r = get(&m, &club);
        assert_eq!(
            r.body,
            file(&m, d(2026, 11, 8), "district-03/club-performance.csv")
        );
        let body = lines(&r.body);
        assert!(
            body[1..body.len() - 1]
                .iter()
                .all(|l| l.starts_with("\"03\""))
        );

        m.fault("clubperformance~01", Fault::AsOf(d(2026, 11, 1)), 1);
        assert_eq!(
            footer(&get(&m, &club).body),
            "Month of Nov, As of 11/01/2026"
        );

        m.fault("districtsummary", Fault::WrongYear, 1);
        let r = get(&m, &bare("districtsummary~~~2026-2027"));
        assert_eq!(r.body, file(&m, d(2026, 7, 19), SUMMARY));
        assert_eq!(get(&m, &club).body, good);
    }

    #[test]
    fn outage_then_recovery() {
        let (_dir, m) = model();
        let url = bare("districtsummary~~~2026-2027");
        m.outage(Duration::from_millis(400), 503);
        assert_eq!(get(&m, &url).status, 503);
        assert_eq!(get(&m, "/error.aspx").status, 503);
        std::thread::sleep(Duration::from_millis(450));
        assert_eq!(get(&m, &url).status, 200);
    }

    #[test]
    fn hits_record_every_request() {
        let (_dir, m) = model();
        let urls = [bare("districtsummary~~~2026-2027"), "/nothing".to_string()];
        m.fault("districtsummary", Fault::Status(500), 1);
        for u in &urls {
            get(&m, u);
        }
        let hits = m.hits();
        assert_eq!(m.requests(), 2);
        assert_eq!(hits.iter().map(|h| h.url.clone()).collect::<Vec<_>>(), urls);
        assert!(hits.iter().all(|h| h.user_agent == "ti-model-test/1"));
        assert!(hits[0].at <= hits[1].at);
        m.clear_hits();
        assert_eq!(m.requests(), 0);
    }
}
