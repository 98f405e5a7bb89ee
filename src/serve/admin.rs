//! The admin API of the data-refresh design: `POST /api/admin/refresh` runs the one build path (`build::run`, as the CLI does) in a
//! background thread and answers 202 with an id; `GET /api/admin/builds/<id>` reports its
//! progress and result (or a build-log record by id); `GET /api/admin/snapshots` lists the
//! store.
//!
//! Admin calls need `ADMIN_TOKEN` on the server (else every admin path is 404). A client
//! address past its failed authentications gets 429 at once; otherwise the bearer token
//! is checked (401 missing, 403 wrong, each counted as a failure of that address), and
//! only then does an authorized call count against the calls-per-minute limit (429 +
//! `Retry-After`), so wrong tokens never lock out the right one. Every call is written to
//! the audit log.

use super::Incoming;
use super::audit::{AuditLog, Entry};
use super::guard::{AuthFailures, Denied, RateLimit, Token};
use super::headers::Reply;
use crate::build::{self, BuildFailure, BuildOptions, BuildOutcome};
use crate::store::lock::WriterLock;
use crate::store::{MARKER, Site, catalog};
use anyhow::Result;
use serde::Serialize;
use serde_json::json;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Builds the options of a refresh, at the moment it is asked for (CLI defaults).
pub type RefreshOptions = Arc<dyn Fn() -> Result<BuildOptions> + Send + Sync>;

/// How many refreshes `GET /api/admin/builds/<id>` remembers.
const TRACKED: usize = 50;
/// How many errors of a failed build the API shows (the report has them all).
const ERRORS_SHOWN: usize = 20;

#[derive(Debug, Clone, Serialize)]
struct FailureView {
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    record_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<String>,
    errors_count: usize,
    errors: Vec<String>,
}

/// A refresh as the API shows it.
#[derive(Debug, Clone, Serialize)]
struct BuildView {
    id: String,
    /// `running`, `succeeded` or `failed`.
    state: &'static str,
    requested_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    finished_at: Option<String>,
    elapsed_seconds: f64,
    cache: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<BuildOutcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    failure: Option<FailureView>,
}

struct Tracked {
    view: BuildView,
    started: Instant,
}

pub struct Admin {
    token: Option<Token>,
    limit: Mutex<RateLimit>,
    failures: Mutex<AuthFailures>,
    audit: AuditLog,
    site: Site,
    refresh: RefreshOptions,
    builds: Mutex<VecDeque<Arc<Mutex<Tracked>>>>,
    running: Arc<AtomicBool>,
    seq: AtomicU64,
}

fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn outcome_of(status: u16) -> &'static str {
    match status {
        200 => "ok",
        202 => "accepted",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        429 => "rate_limited",
        _ => "error",
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn method_not_allowed(allow: &str) -> Reply {
    Reply::json_error(
        405,
        "METHOD_NOT_ALLOWED",
        &format!("this endpoint answers {allow}"),
    )
    .header("Allow", allow)
}

impl Admin {
    pub fn new(
        site: &Site,
        token: Option<Token>,
        calls_per_minute: u32,
        refresh: RefreshOptions,
    ) -> Admin {
        Admin {
            token,
            limit: Mutex::new(RateLimit::per_minute(calls_per_minute)),
            failures: Mutex::new(AuthFailures::default()),
            audit: AuditLog::new(&site.root),
            site: site.clone(),
            refresh,
            builds: Mutex::new(VecDeque::new()),
            running: Arc::new(AtomicBool::new(false)),
            seq: AtomicU64::new(0),
        }
    }

    pub fn enabled(&self) -> bool {
        self.token.is_some()
    }

    /// Whether a refresh is building now.
    pub fn refresh_running(&self) -> bool {
        self.running.load(Ordering::SeqCst)
    }

    pub fn audit_path(&self) -> &std::path::Path {
        self.audit.path()
    }

    /// An admin path (`rest` follows `/api/admin/`).
    pub fn handle(&self, rq: &Incoming, path: &str, rest: &[String]) -> Reply {
        let Some(token) = &self.token else {
            return Reply::json_error(
                404,
                "ADMIN_DISABLED",
                "the admin API is off: the server was started without ADMIN_TOKEN",
            );
        };
        let (reply, build_id) = self.dispatch(token, rq, rest);
        let mut entry = Entry::new(&rq.remote, &rq.method, path);
        entry.status = reply.status;
        entry.outcome = outcome_of(reply.status);
        entry.build_id = build_id;
        self.audit.record(entry);
        reply
    }

    fn dispatch(&self, token: &Token, rq: &Incoming, rest: &[String]) -> (Reply, Option<String>) {
        let rate_limited = |code: &str, what: &str, seconds: u64| {
            let reply = Reply::json_error(429, code, &format!("{what}; try again in {seconds} s"))
                .header("Retry-After", seconds.to_string());
            (reply, None)
        };
        // The address, not the port: a client opens a new port per connection.
        let client = rq
            .remote
            .parse::<std::net::SocketAddr>()
            .ok()
            .map(|a| a.ip());
        if let Some(ip) = client
            && let Err(seconds) = lock(&self.failures).blocked(ip, Instant::now())
        {
            return rate_limited(
                "TOO_MANY_AUTH_FAILURES",
                "too many failed authentications from this address",
                seconds,
            );
        }
        let denied = token.check(rq.header("authorization"));
        if let Some(ip) = client {
            let mut failures = lock(&self.failures);
            match denied {
                Ok(()) => failures.succeeded(ip),
                Err(_) => failures.failed(ip, Instant::now()),
            }
        }
        match denied {
            Ok(()) => {}
            Err(Denied::Missing) => {
                let reply = Reply::json_error(
                    401,
                    "UNAUTHORIZED",
                    "send the admin token as Authorization: Bearer <token>",
                )
                .header("WWW-Authenticate", "Bearer realm=\"toaststats-admin\"");
                return (reply, None);
            }
            Err(Denied::Wrong) => {
                return (
                    Reply::json_error(403, "FORBIDDEN", "the admin token is wrong"),
                    None,
                );
            }
        }
        if let Err(seconds) = lock(&self.limit).check(Instant::now()) {
            return rate_limited("RATE_LIMITED", "too many admin calls", seconds);
        }
        let read = matches!(rq.method.as_str(), "GET" | "HEAD");
        let parts: Vec<&str> = rest.iter().map(String::as_str).collect();
        match parts.as_slice() {
            ["refresh"] if rq.method == "POST" => self.refresh(),
            ["refresh"] => (method_not_allowed("POST"), None),
            ["snapshots"] if read => (self.snapshots(), None),
            ["builds", id] if read => (self.build(id), Some(id.to_string())),
            ["snapshots"] | ["builds", _] => (method_not_allowed("GET, HEAD"), None),
            _ => (
                Reply::json_error(404, "NOT_FOUND", "no such admin endpoint"),
                None,
            ),
        }
    }

    fn refresh(&self) -> (Reply, Option<String>) {
        if self
            .running
            .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
            .is_err()
        {
            let current = lock(&self.builds)
                .iter()
                .rev()
                .map(|t| lock(t).view.clone())
                .find(|v| v.state == "running")
                .map(|v| v.id);
            let reply = Reply::json(
                409,
                &json!({"error": {"code": "BUILD_RUNNING", "message": "a refresh is already running"}, "build_id": current}),
            );
            return (reply, current);
        }
        let release = || self.running.store(false, Ordering::SeqCst);
        // A CLI build (or prune, rollback) holding the store: say so now rather than
        // accept a refresh that fails at once.
        if self.site.root.join(MARKER).exists()
            && let Err(e) = WriterLock::acquire(&self.site, Duration::ZERO)
        {
            let message = format!("{e:#}");
            if message.contains("another writer") {
                release();
                return (Reply::json_error(409, "STORE_LOCKED", &message), None);
            }
        }
        let opts = match (self.refresh)() {
            Ok(o) => o,
            Err(e) => {
                release();
                return (
                    Reply::json_error(500, "REFRESH_UNAVAILABLE", &format!("{e:#}")),
                    None,
                );
            }
        };
        let id = format!(
            "{}-refresh{}",
            chrono::Utc::now().format("%Y%m%dT%H%M%SZ"),
            self.seq.fetch_add(1, Ordering::SeqCst) + 1
        );
        let tracked = Arc::new(Mutex::new(Tracked {
            view: BuildView {
                id: id.clone(),
                state: "running",
                requested_at: now_text(),
                finished_at: None,
                elapsed_seconds: 0.0,
                cache: opts.cache.display().to_string(),
                outcome: None,
                failure: None,
            },
            started: Instant::now(),
        }));
        {
            let mut builds = lock(&self.builds);
            if builds.len() >= TRACKED {
                builds.pop_front();
            }
            builds.push_back(tracked.clone());
        }
        let running = self.running.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("refresh {id}"))
            .spawn(move || run_refresh(&opts, &tracked, &running));
        if let Err(e) = spawned {
            release();
            return (
                Reply::json_error(
                    500,
                    "REFRESH_UNAVAILABLE",
                    &format!("cannot start the build: {e}"),
                ),
                Some(id),
            );
        }
        eprintln!("refresh {id}: build started");
        let reply = Reply::json(
            202,
            &json!({"build_id": id, "state": "running", "status_url": format!("/api/admin/builds/{id}")}),
        )
        .header("Location", format!("/api/admin/builds/{id}"));
        (reply, Some(id))
    }

    fn build(&self, id: &str) -> Reply {
        let tracked = lock(&self.builds)
            .iter()
            .find(|t| lock(t).view.id == id)
            .cloned();
        if let Some(t) = tracked {
            let t = lock(&t);
            let mut view = t.view.clone();
            if view.state == "running" {
                view.elapsed_seconds = t.started.elapsed().as_secs_f64();
            }
            return Reply::json(200, &json!(view));
        }
        // Any build of the log, by its record id (snapshot id or `<stamp>-failed`).
        let logged = catalog::builds(&self.site)
            .ok()
            .and_then(|b| b.into_iter().rev().find(|r| r.id == id));
        match logged {
            Some(record) => {
                Reply::json(200, &json!({"id": id, "state": "logged", "record": record}))
            }
            None => Reply::json_error(404, "NOT_FOUND", "no build with this id"),
        }
    }

    fn snapshots(&self) -> Reply {
        let listing =
            catalog::snapshots(&self.site).and_then(|s| Ok((s, catalog::failed(&self.site)?)));
        match listing {
            Ok((snapshots, failed)) => Reply::json(
                200,
                &json!({"current": catalog::current_id(&self.site), "snapshots": snapshots, "failed": failed}),
            ),
            Err(e) => Reply::json_error(500, "STORE_UNREADABLE", &format!("{e:#}")),
        }
    }
}

/// The background half of a refresh: the CLI's build, then the result recorded.
fn run_refresh(opts: &BuildOptions, tracked: &Mutex<Tracked>, running: &AtomicBool) {
    struct Release<'a>(&'a AtomicBool);
    impl Drop for Release<'_> {
        fn drop(&mut self) {
            self.0.store(false, Ordering::SeqCst);
        }
    }
    let _release = Release(running);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build::run(opts)));
    let mut t = lock(tracked);
    t.view.finished_at = Some(now_text());
    t.view.elapsed_seconds = t.started.elapsed().as_secs_f64();
    match result {
        Ok(Ok(outcome)) => {
            eprintln!(
                "refresh {}: {} {}",
                t.view.id, outcome.action, outcome.snapshot_id
            );
            t.view.state = "succeeded";
            t.view.outcome = Some(outcome);
        }
        Ok(Err(e)) => {
            let failure = match e.downcast_ref::<BuildFailure>() {
                Some(f) => FailureView {
                    message: f.message.clone(),
                    record_id: Some(f.record.id.clone()),
                    report: Some(format!("failed/{}.json", f.record.id)),
                    errors_count: f.errors.len(),
                    errors: f
                        .errors
                        .iter()
                        .take(ERRORS_SHOWN)
                        .map(|d| d.to_string())
                        .collect(),
                },
                None => FailureView {
                    message: format!("{e:#}"),
                    record_id: None,
                    report: None,
                    errors_count: 0,
                    errors: Vec::new(),
                },
            };
            eprintln!("refresh {}: failed: {}", t.view.id, failure.message);
            t.view.state = "failed";
            t.view.failure = Some(failure);
        }
        Err(_) => {
            t.view.state = "failed";
            t.view.failure = Some(FailureView {
                message: "the build panicked".into(),
                record_id: None,
                report: None,
                errors_count: 0,
                errors: Vec::new(),
            });
        }
    }
}
