//! A fake TI dashboard for the fetch tests: answers TI's exact export URLs
//! (`/{PY}/export.aspx?type=CSV&report=...` with `~` slots and unpadded `M/D/YYYY` dates,
//! built here by hand, independently of the tool's own URL code) from files of a cache, and
//! misbehaves on demand. It records every request (arrival time, URL, User-Agent).
//!
//! It speaks HTTP/1.1 over `std::net` on 127.0.0.1:0, one thread per connection and
//! `Connection: close` on every answer, rather than through tiny_http: tiny_http keeps a
//! connection open after a response (keep-alive), so it cannot reset a connection or cut
//! a body short, and those are two of the misbehaviours under test.

use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How a date's URLs are formed (DOMAIN.md §3.2 table).
#[derive(Debug, Clone, Copy)]
pub enum Form {
    Daily,
    Historical,
    MonthEnd,
    Archived,
}

#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer with this HTTP status.
    Status(u16),
    /// 429 with `Retry-After: seconds`.
    TooMany(u64),
    /// Headers, then a pause this long before the body.
    Slow(Duration),
    /// Close the connection without answering.
    Reset,
    /// Promise the whole body, send half, close.
    Cut,
    /// A complete HTTP answer whose body is the first 60% of the file.
    Truncated,
    /// An ASP.NET error page with status 200.
    Html,
    /// The header line and the footer, no rows.
    HeaderOnly,
    /// The file with its footer's as-of replaced by this `MM/DD/YYYY`.
    AsOf(&'static str),
    /// 302 to `/error.aspx` (an unpublished program year).
    ErrorRedirect,
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

#[derive(Default)]
struct Shared {
    files: Mutex<HashMap<String, Vec<u8>>>,
    rules: Mutex<Vec<Rule>>,
    hits: Mutex<Vec<Hit>>,
    delay: Mutex<Duration>,
}

pub struct FakeTi {
    pub base: String,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
}

pub fn py(date: NaiveDate) -> String {
    let start = if date.month() >= 7 {
        date.year()
    } else {
        date.year() - 1
    };
    format!("{}-{}", start, start + 1)
}

fn us(d: NaiveDate) -> String {
    format!("{}/{}/{}", d.month(), d.day(), d.year())
}

/// The `(monthEnd, asOf)` slots of a date in a form.
fn slots(date: NaiveDate, form: Form) -> (String, String) {
    match form {
        Form::Daily => (String::new(), us(date)),
        Form::Historical => (us(date.with_day(1).unwrap().pred_opt().unwrap()), us(date)),
        Form::MonthEnd => (us(date), String::new()),
        Form::Archived => (String::new(), String::new()),
    }
}

/// The `report=` value TI expects for a file of a cache folder.
pub fn report_value(date: NaiveDate, form: Form, file: &str, district: &str) -> String {
    let (me, asof) = slots(date, form);
    let py = py(date);
    let name = match file {
        "all-districts.csv" => return format!("districtsummary~{me}~{asof}~{py}"),
        "club-performance.csv" => "clubperformance",
        "division-performance.csv" => "divisionperformance",
        "district-performance.csv" => "districtperformance",
        other => panic!("not an export: {other}"),
    };
    format!("{name}~{district}~{me}~{asof}~{py}")
}

impl FakeTi {
    pub fn start() -> FakeTi {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let shared = Arc::new(Shared::default());
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (shared.clone(), stop.clone());
        listener.set_nonblocking(true).unwrap();
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
        FakeTi { base, shared, stop }
    }

    /// Serves `bytes` at the export whose `report=` value is `value`.
    pub fn put(&self, value: &str, bytes: Vec<u8>) {
        self.shared
            .files
            .lock()
            .unwrap()
            .insert(value.to_string(), bytes);
    }

    /// Serves every export of the date folder `dir` (a `raw-csv/<date>` folder) for `date`
    /// in `form`; returns how many files.
    pub fn serve_folder(&self, dir: &Path, date: NaiveDate, form: Form) -> usize {
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(d) = name.strip_prefix("district-") {
                for f in std::fs::read_dir(entry.path()).unwrap() {
                    let f = f.unwrap();
                    let file = f.file_name().to_string_lossy().into_owned();
                    self.put(
                        &report_value(date, form, &file, d),
                        std::fs::read(f.path()).unwrap(),
                    );
                    n += 1;
                }
            } else if name == "all-districts.csv" {
                self.put(
                    &report_value(date, form, &name, ""),
                    std::fs::read(entry.path()).unwrap(),
                );
                n += 1;
            }
        }
        n
    }

    /// Serves every date folder of a cache in the daily form.
    pub fn serve_cache_daily(&self, cache: &Path) -> usize {
        let mut n = 0;
        for entry in std::fs::read_dir(cache.join("raw-csv")).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Ok(date) = NaiveDate::parse_from_str(&name, "%Y-%m-%d") {
                n += self.serve_folder(&entry.path(), date, Form::Daily);
            }
        }
        n
    }

    /// The next `times` requests whose URL contains `pattern` get `fault`.
    pub fn fault(&self, pattern: &str, fault: Fault, times: usize) {
        self.shared.rules.lock().unwrap().push(Rule {
            pattern: pattern.to_string(),
            fault,
            times,
        });
    }

    /// Every answer waits this long first (to give kill tests something to interrupt).
    pub fn set_delay(&self, d: Duration) {
        *self.shared.delay.lock().unwrap() = d;
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.shared.hits.lock().unwrap().clone()
    }

    pub fn requests(&self) -> usize {
        self.shared.hits.lock().unwrap().len()
    }

    pub fn clear_hits(&self) {
        self.shared.hits.lock().unwrap().clear();
    }
}

impl Drop for FakeTi {
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
    shared.hits.lock().unwrap().push(Hit {
        at: Instant::now(),
        url: url.clone(),
        user_agent,
    });
    let delay = *shared.delay.lock().unwrap();
    if !delay.is_zero() {
        std::thread::sleep(delay);
    }
    let fault = {
        let mut rules = shared.rules.lock().unwrap();
        rules
            .iter_mut()
            .find(|r| r.times > 0 && url.contains(&r.pattern))
            .map(|r| {
                r.times -= 1;
                r.fault.clone()
            })
    };
    let file = lookup(shared, &url);
    let mut out = stream;
    let Some(body) = file else {
        return answer(&mut out, 404, &[], b"not found");
    };
    match fault {
        None => answer(&mut out, 200, &[], &body),
        Some(Fault::Status(code)) => answer(&mut out, code, &[], b"server error"),
        Some(Fault::TooMany(secs)) => answer(
            &mut out,
            429,
            &[("Retry-After", secs.to_string())],
            b"slow down",
        ),
        Some(Fault::Slow(pause)) => {
            head(&mut out, 200, &[], body.len())?;
            out.write_all(&body[..body.len() / 10])?;
            out.flush()?;
            std::thread::sleep(pause);
            out.write_all(&body[body.len() / 10..])
        }
        Some(Fault::Reset) => out.shutdown(std::net::Shutdown::Both),
        Some(Fault::Cut) => {
            head(&mut out, 200, &[], body.len())?;
            out.write_all(&body[..body.len() / 2])?;
            out.flush()?;
            out.shutdown(std::net::Shutdown::Both)
        }
        Some(Fault::Truncated) => answer(&mut out, 200, &[], &body[..body.len() * 6 / 10]),
        Some(Fault::Html) => answer(
            &mut out,
            200,
            &[("Content-Type", "text/html; charset=utf-8".into())],
            b"\r\n<!DOCTYPE html>\r\n<html><head><title>Runtime Error</title></head><body><h1>Server Error in '/' Application.</h1></body></html>\r\n",
        ),
        Some(Fault::HeaderOnly) => {
            let text = String::from_utf8_lossy(&body).into_owned();
            let lines: Vec<&str> = text.lines().collect();
            let short = format!("{}\r\n{}\r\n", lines[0], lines[lines.len() - 1]);
            answer(&mut out, 200, &[], short.as_bytes())
        }
        Some(Fault::AsOf(other)) => {
            let text = String::from_utf8_lossy(&body).into_owned();
            let at = text.rfind("As of ").expect("a footer") + "As of ".len();
            let changed = format!("{}{other}{}", &text[..at], &text[at + 10..]);
            answer(&mut out, 200, &[], changed.as_bytes())
        }
        Some(Fault::ErrorRedirect) => answer(
            &mut out,
            302,
            &[(
                "Location",
                "/error.aspx?aspxerrorpath=/export.aspx".to_string(),
            )],
            b"",
        ),
    }
}

/// The file for a request URL, only when it has TI's exact shape.
fn lookup(shared: &Shared, url: &str) -> Option<Vec<u8>> {
    let (path, query) = url.split_once('?')?;
    let py = path.strip_prefix('/')?.strip_suffix("/export.aspx")?;
    let value = query.strip_prefix("type=CSV&report=")?;
    if !value.ends_with(&format!("~{py}")) {
        return None;
    }
    shared.files.lock().unwrap().get(value).cloned()
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

fn answer(
    out: &mut TcpStream,
    code: u16,
    headers: &[(&str, String)],
    body: &[u8],
) -> std::io::Result<()> {
    head(out, code, headers, body.len())?;
    out.write_all(body)?;
    out.flush()
}
