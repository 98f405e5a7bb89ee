//! The polite HTTP client: one ureq agent (rustls, no redirects followed, connect and read
//! timeouts), every request through the shared rate limiter, retries with backoff and
//! jitter on timeouts, resets, 5xx, 429 and bodies the caller's check calls transient,
//! none on other 4xx; outages ridden out up to the patience; and the circuit breaker,
//! which counts URLs that exhausted their tries, not attempts.

use super::checks::Bad;
use super::politeness::{
    BREAKER_LIMIT, Backoff, CircuitBreaker, MAX_RETRY_AFTER, RateLimiter, jitter, parse_retry_after,
};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The largest body accepted: the world summary is about 30 KB, a big district's club
/// report a few hundred KB.
const MAX_BODY: u64 = 64 << 20;

/// How a whole request may take at most, as a multiple of the read timeout: a server that
/// trickles a byte just inside each read timeout must not hold a worker forever.
const TIMEOUT_TOTAL_FACTOR: u32 = 4;

#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub rate: f64,
    pub retries: u32,
    pub timeout: Duration,
    pub backoff: Backoff,
    /// How long a run rides out TI not answering at all before it stops.
    pub patience: Duration,
    pub user_agent: String,
}

/// The `User-Agent`: the tool, its version and where to find the project.
pub fn user_agent(site_url: Option<&str>) -> String {
    let repo = env!("CARGO_PKG_REPOSITORY");
    let contact = if !repo.is_empty() {
        Some(repo)
    } else {
        site_url.filter(|s| !s.is_empty())
    };
    match contact {
        Some(url) => format!("toaststats/{} (+{url})", env!("CARGO_PKG_VERSION")),
        None => format!("toaststats/{}", env!("CARGO_PKG_VERSION")),
    }
}

/// What one URL came to, after any retries.
#[derive(Debug)]
pub enum Answer<T> {
    /// A 2xx body that passed the caller's check.
    Good {
        status: u16,
        bytes: Vec<u8>,
        value: T,
    },
    /// TI's answer for a period it has nothing for (a zero-row body): not retried.
    NoData(String),
    /// A redirect to TI's `/error.aspx`: the program year is not published (yet).
    ErrorPage { status: u16, location: String },
    /// Gave up: the reason says what the last attempt saw.
    Failed { status: Option<u16>, reason: String },
    /// The run was stopped (circuit breaker or outage); nothing was sent.
    Stopped,
}

/// Counters of a run, shared by all workers.
#[derive(Debug, Default)]
pub struct Stats {
    pub requests: AtomicU64,
    pub retries: AtomicU64,
    pub bytes: AtomicU64,
}

/// Whether TI has been answering: the instant of the last usable answer and the start of
/// the failures since then (an outage as this run sees it).
#[derive(Debug)]
struct Health {
    last_good: Option<Instant>,
    outage_since: Option<(Instant, chrono::DateTime<chrono::Utc>)>,
}

pub struct Client {
    agent: ureq::Agent,
    opts: ClientOptions,
    limiter: RateLimiter,
    pub breaker: CircuitBreaker,
    pub stats: Stats,
    health: Mutex<Health>,
    /// Why the run stopped: the breaker's count, or an outage longer than the patience.
    trip_reason: Mutex<Option<String>>,
    /// Set when the stop was an outage: TI could not be asked at all.
    unreachable: Mutex<Option<String>>,
}

/// One attempt's raw result before the retry decision.
enum Attempt {
    Body {
        status: u16,
        bytes: Vec<u8>,
    },
    ErrorPage {
        status: u16,
        location: String,
    },
    /// Not worth another try (a 4xx, a foreign redirect, a refused TLS handshake).
    Final {
        status: Option<u16>,
        reason: String,
    },
    Retry {
        status: Option<u16>,
        reason: String,
        retry_after: Option<Duration>,
    },
}

impl Client {
    pub fn new(opts: ClientOptions) -> Client {
        let config = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(opts.user_agent.as_str())
            .timeout_connect(Some(opts.timeout))
            .timeout_per_read(Some(opts.timeout))
            .timeout_global(Some(opts.timeout * TIMEOUT_TOTAL_FACTOR))
            .build();
        Client {
            agent: config.into(),
            limiter: RateLimiter::new(opts.rate),
            breaker: CircuitBreaker::new(BREAKER_LIMIT),
            stats: Stats::default(),
            health: Mutex::new(Health {
                last_good: None,
                outage_since: None,
            }),
            trip_reason: Mutex::new(None),
            unreachable: Mutex::new(None),
            opts,
        }
    }

    /// Why the run stopped, once the breaker is open.
    pub fn stop_reason(&self) -> Option<String> {
        lock(&self.trip_reason).clone()
    }

    /// Set when the run stopped because TI did not answer for longer than the patience.
    pub fn unreachable(&self) -> Option<String> {
        lock(&self.unreachable).clone()
    }

    fn answered(&self) {
        let mut h = lock(&self.health);
        h.last_good = Some(Instant::now());
        h.outage_since = None;
    }

    /// Records a failed attempt; returns when the current outage began.
    fn attempt_failed(&self) -> (Instant, chrono::DateTime<chrono::Utc>) {
        let mut h = lock(&self.health);
        *h.outage_since
            .get_or_insert_with(|| (Instant::now(), chrono::Utc::now()))
    }

    /// TI answered usably since `since` (another worker's request, say).
    fn answered_since(&self, since: Instant) -> bool {
        lock(&self.health).last_good.is_some_and(|t| t >= since)
    }

    /// A URL exhausted its tries: counts for the breaker.
    fn gave_up(&self, reason: &str) {
        if self.breaker.failure() {
            self.trip(format!(
                "stopped after {BREAKER_LIMIT} URLs in a row failed every try (last: {reason}); TI may be down or refusing us, try again later"
            ));
        }
    }

    fn trip(&self, reason: String) {
        let mut r = lock(&self.trip_reason);
        if r.is_none() {
            *r = Some(reason);
        }
        drop(r);
        self.breaker.open();
    }

    /// GETs `url` until `verify` accepts the body or the tries run out. A body `verify`
    /// calls [`Bad::Retry`] (an HTML page, a cut-off body, another day's or district's
    /// data) is retried like a 5xx. Past `retries`, a URL goes on being tried while TI as a
    /// whole is not answering, up to the patience: an outage is ridden out, not a reason to
    /// give each URL up after a minute.
    pub fn fetch<T>(&self, url: &str, verify: impl Fn(&[u8]) -> Result<T, Bad>) -> Answer<T> {
        let mut attempt = 0u32;
        let mut first_failure: Option<Instant> = None;
        loop {
            if self.breaker.is_open() {
                return Answer::Stopped;
            }
            self.limiter.wait();
            self.stats.requests.fetch_add(1, Ordering::Relaxed);
            let mut mismatch = false;
            let (status, reason, retry_after) = match self.attempt(url) {
                Attempt::Body { status, bytes } => match verify(&bytes) {
                    Ok(value) => {
                        self.answered();
                        self.breaker.success();
                        return Answer::Good {
                            status,
                            bytes,
                            value,
                        };
                    }
                    Err(Bad::NoData(reason)) => {
                        self.answered();
                        self.breaker.success();
                        return Answer::NoData(reason);
                    }
                    Err(Bad::Retry(reason)) => (Some(status), reason, None),
                    Err(Bad::Mismatch(reason)) => {
                        // TI answered, with a well-formed export of something else: it is
                        // up, so this is no outage.
                        self.answered();
                        mismatch = true;
                        (Some(status), reason, None)
                    }
                },
                Attempt::ErrorPage { status, location } => {
                    self.answered();
                    self.breaker.success();
                    return Answer::ErrorPage { status, location };
                }
                Attempt::Final { status, reason } => {
                    self.gave_up(&reason);
                    return Answer::Failed { status, reason };
                }
                Attempt::Retry {
                    status,
                    reason,
                    retry_after,
                } => (status, reason, retry_after),
            };
            let (outage_at, outage_utc) = if mismatch {
                (Instant::now(), chrono::Utc::now())
            } else {
                self.attempt_failed()
            };
            let first = *first_failure.get_or_insert_with(Instant::now);
            // An outage is TI as a whole not answering: nothing usable since this URL
            // started failing. One URL failing while others work is not ridden out.
            let outage = !mismatch && !self.answered_since(first);
            let waited = outage_at.elapsed();
            let patience_left = self.opts.patience.saturating_sub(waited);
            let tries = attempt + 1;
            let more = attempt < self.opts.retries || (outage && !patience_left.is_zero());
            let too_long = retry_after.is_some_and(|r| r > MAX_RETRY_AFTER.max(patience_left));
            if !more || too_long {
                let reason = if too_long {
                    format!(
                        "{reason}; Retry-After asks for more than {}s",
                        MAX_RETRY_AFTER.max(patience_left).as_secs()
                    )
                } else {
                    format!("{reason} (gave up after {tries} attempts)")
                };
                if outage && patience_left.is_zero() {
                    let message = format!(
                        "TI has not answered usably for {} (since {} UTC), longer than the patience of {}; last: {reason}",
                        minutes(waited),
                        outage_utc.format("%H:%M:%S"),
                        minutes(self.opts.patience)
                    );
                    *lock(&self.unreachable) = Some(message.clone());
                    self.trip(message);
                } else {
                    self.gave_up(&reason);
                }
                return Answer::Failed { status, reason };
            }
            let cap = Backoff::DEFAULT.cap.min(self.opts.backoff.base * 60);
            let backoff = Backoff {
                cap,
                ..self.opts.backoff
            };
            let mut pause = backoff.delay(attempt, jitter(), retry_after);
            if attempt >= self.opts.retries {
                // Riding out an outage: the last try falls at the end of the patience.
                pause = pause.min(patience_left.max(Duration::from_millis(1)));
            }
            sleep_unless_stopped(&self.breaker, pause);
            self.stats.retries.fetch_add(1, Ordering::Relaxed);
            attempt += 1;
        }
    }

    fn attempt(&self, url: &str) -> Attempt {
        let retry = |status, reason: String, retry_after| Attempt::Retry {
            status,
            reason,
            retry_after,
        };
        let mut resp = match self.agent.get(url).call() {
            Ok(r) => r,
            Err(e) => {
                return transport_error(&e).map_or_else(
                    |reason| Attempt::Final {
                        status: None,
                        reason,
                    },
                    |reason| retry(None, reason, None),
                );
            }
        };
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        if (300..400).contains(&status) {
            let location = header("location").unwrap_or_default();
            if location.to_ascii_lowercase().contains("error.aspx") {
                return Attempt::ErrorPage { status, location };
            }
            return Attempt::Final {
                status: Some(status),
                reason: format!("HTTP {status} redirect to \"{location}\" (not TI's export)"),
            };
        }
        if status == 429 || status >= 500 {
            let retry_after =
                header("retry-after").and_then(|v| parse_retry_after(&v, chrono::Utc::now()));
            // §3.2: the live year's `/{PY}/` path answers 500 "URL Rewrite Module Error.";
            // keep TI's words so a wrong path is recognisable in the report.
            let detail = resp
                .body_mut()
                .with_config()
                .limit(4096)
                .read_to_string()
                .ok()
                .filter(|b| b.contains("URL Rewrite Module Error"))
                .map(|_| " \"URL Rewrite Module Error.\"")
                .unwrap_or("");
            return retry(Some(status), format!("HTTP {status}{detail}"), retry_after);
        }
        if status >= 400 {
            return Attempt::Final {
                status: Some(status),
                reason: format!("HTTP {status} (not retried)"),
            };
        }
        let started = Instant::now();
        match resp.body_mut().with_config().limit(MAX_BODY).read_to_vec() {
            Ok(bytes) => {
                self.stats
                    .bytes
                    .fetch_add(bytes.len() as u64, Ordering::Relaxed);
                Attempt::Body { status, bytes }
            }
            Err(e) => match transport_error(&e) {
                Ok(reason) => retry(
                    Some(status),
                    format!(
                        "body cut off after {:.1}s: {reason}",
                        started.elapsed().as_secs_f64()
                    ),
                    None,
                ),
                Err(reason) => Attempt::Final {
                    status: Some(status),
                    reason,
                },
            },
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// `4 min 10 s`, `35 s`.
fn minutes(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 60, s % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

/// Sleeps, waking early if another worker trips the breaker.
fn sleep_unless_stopped(breaker: &CircuitBreaker, pause: Duration) {
    let until = Instant::now() + pause;
    while !breaker.is_open() {
        let now = Instant::now();
        if now >= until {
            return;
        }
        std::thread::sleep((until - now).min(Duration::from_millis(100)));
    }
}

/// `Ok(reason)` for transport errors worth a retry (timeouts, resets, refused or dropped
/// connections, bodies cut short), `Err(reason)` for the rest (a bad URL, TLS refusal).
fn transport_error(e: &ureq::Error) -> Result<String, String> {
    use ureq::Error as E;
    match e {
        E::Timeout(t) => Ok(format!("timed out ({t})")),
        E::Io(io) => Ok(format!("connection error: {io}")),
        E::ConnectionFailed => Ok("connection failed".to_string()),
        E::HostNotFound => Ok("host not found".to_string()),
        E::Protocol(p) => Ok(format!("broken HTTP response: {p}")),
        E::BodyExceedsLimit(n) => Err(format!("body larger than {n} bytes")),
        other => Err(other.to_string()),
    }
}
