//! The polite HTTP client: one ureq agent (rustls, no redirects followed, connect and read
//! timeouts), every request through the shared rate limiter, retries with backoff and
//! jitter on timeouts, resets, 5xx and 429, none on other 4xx, and the circuit breaker.
//! It answers what the server did; whether a body is a usable export is `checks`' call.

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
pub enum Answer {
    /// A 2xx body (its content not yet checked).
    Body { status: u16, bytes: Vec<u8> },
    /// A redirect to TI's `/error.aspx`: the program year is not published (yet).
    ErrorPage { status: u16, location: String },
    /// Gave up: the reason says what the last attempt saw.
    Failed { status: Option<u16>, reason: String },
    /// The circuit breaker is open; nothing was sent.
    Stopped,
}

/// Counters of a run, shared by all workers.
#[derive(Debug, Default)]
pub struct Stats {
    pub requests: AtomicU64,
    pub retries: AtomicU64,
    pub bytes: AtomicU64,
}

pub struct Client {
    agent: ureq::Agent,
    opts: ClientOptions,
    limiter: RateLimiter,
    pub breaker: CircuitBreaker,
    pub stats: Stats,
    /// Why the breaker tripped: the failures that led to it.
    trip_reason: Mutex<Option<String>>,
}

/// One attempt's result before the retry decision.
enum Attempt {
    Done(Answer),
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
            trip_reason: Mutex::new(None),
            opts,
        }
    }

    /// Why the run stopped, once the breaker is open.
    pub fn stop_reason(&self) -> Option<String> {
        self.trip_reason
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The caller's verdict on a 2xx body: a body that is no usable export (an HTML error
    /// page, empty, truncated) is a failed request for the breaker.
    pub fn verdict(&self, usable: bool, reason: &str) {
        if usable {
            self.breaker.success();
        } else {
            self.failed(reason);
        }
    }

    fn failed(&self, reason: &str) {
        if self.breaker.failure() {
            *self.trip_reason.lock().unwrap_or_else(|e| e.into_inner()) = Some(format!(
                "stopped after {BREAKER_LIMIT} consecutive failed requests (last: {reason}); TI may be down or refusing us, try again later"
            ));
        }
    }

    /// GETs `url` with retries. 2xx bodies are returned unjudged.
    pub fn get(&self, url: &str) -> Answer {
        let mut attempt = 0u32;
        loop {
            if self.breaker.is_open() {
                return Answer::Stopped;
            }
            self.limiter.wait();
            self.stats.requests.fetch_add(1, Ordering::Relaxed);
            match self.attempt(url) {
                Attempt::Done(answer) => return answer,
                Attempt::Retry {
                    status,
                    reason,
                    retry_after,
                } => {
                    self.failed(&reason);
                    if attempt >= self.opts.retries {
                        let tries = attempt + 1;
                        return Answer::Failed {
                            status,
                            reason: format!("{reason} (gave up after {tries} attempts)"),
                        };
                    }
                    if retry_after.is_some_and(|r| r > MAX_RETRY_AFTER) {
                        return Answer::Failed {
                            status,
                            reason: format!(
                                "{reason}; Retry-After asks for more than {}s",
                                MAX_RETRY_AFTER.as_secs()
                            ),
                        };
                    }
                    let pause = self.opts.backoff.delay(attempt, jitter(), retry_after);
                    sleep_unless_stopped(&self.breaker, pause);
                    self.stats.retries.fetch_add(1, Ordering::Relaxed);
                    attempt += 1;
                }
            }
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
                    |reason| {
                        self.failed(&reason);
                        Attempt::Done(Answer::Failed {
                            status: None,
                            reason,
                        })
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
                self.breaker.success();
                return Attempt::Done(Answer::ErrorPage { status, location });
            }
            let reason = format!("HTTP {status} redirect to \"{location}\" (not TI's export)");
            self.failed(&reason);
            return Attempt::Done(Answer::Failed {
                status: Some(status),
                reason,
            });
        }
        if status == 429 || status >= 500 {
            let retry_after =
                header("retry-after").and_then(|v| parse_retry_after(&v, chrono::Utc::now()));
            return retry(Some(status), format!("HTTP {status}"), retry_after);
        }
        if status >= 400 {
            let reason = format!("HTTP {status} (not retried)");
            self.failed(&reason);
            return Attempt::Done(Answer::Failed {
                status: Some(status),
                reason,
            });
        }
        let started = Instant::now();
        match resp.body_mut().with_config().limit(MAX_BODY).read_to_vec() {
            Ok(bytes) => {
                self.stats
                    .bytes
                    .fetch_add(bytes.len() as u64, Ordering::Relaxed);
                Attempt::Done(Answer::Body { status, bytes })
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
                Err(reason) => {
                    self.failed(&reason);
                    Attempt::Done(Answer::Failed {
                        status: Some(status),
                        reason,
                    })
                }
            },
        }
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
