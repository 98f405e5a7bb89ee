//! `toaststats serve`: a preview server that behaves like the production static host, plus
//! the admin API (DESIGN.md §6). tiny_http (patched, see `vendor/tiny_http/PATCHES.md`)
//! parses requests; a small pool of worker threads answers them.
//!
//! Every request resolves `current` once and is answered entirely from that snapshot
//! folder, so a publish during a request never mixes versions and a new snapshot shows up
//! without a restart. URL paths: `/snapshots/<id>/...` (immutable), `/current.json` (the
//! pointer), `/api/health`, `/api/admin/...`, and everything else inside the current
//! snapshot.

mod admin;
pub mod audit;
mod files;
mod guard;
pub mod headers;
mod health;
mod integrity;
pub mod paths;
mod send;

pub use admin::RefreshOptions;

use crate::hosting::{self, PathClass};
use crate::store::{Site, catalog};
use anyhow::{Context, Result, anyhow};
use files::{Indexes, Lookup, SnapshotIndex};
use headers::{Body, FileReply, Reply};
use paths::{Rejection, Target};
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;

/// How the server runs.
pub struct Config {
    pub site: PathBuf,
    pub bind: String,
    pub workers: usize,
    /// `ADMIN_TOKEN`; the admin API is off without it.
    pub admin_token: Option<String>,
    pub admin_calls_per_minute: u32,
    /// The build options of a refresh (the CLI's defaults).
    pub refresh: RefreshOptions,
}

/// A request as the handlers see it.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub method: String,
    /// The raw request target (`/a%20b?x`).
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub remote: String,
}

impl Incoming {
    fn from_request(rq: &tiny_http::Request) -> Incoming {
        Incoming {
            method: rq.method().as_str().to_string(),
            url: rq.url().to_string(),
            headers: rq
                .headers()
                .iter()
                .map(|h| (h.field.as_str().to_string(), h.value.as_str().to_string()))
                .collect(),
            remote: rq
                .remote_addr()
                .map_or_else(|| "-".to_string(), |a| a.to_string()),
        }
    }

    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn is_read(&self) -> bool {
        matches!(self.method.as_str(), "GET" | "HEAD")
    }
}

struct State {
    site: Site,
    indexes: Indexes,
    admin: admin::Admin,
    health: health::Health,
    senders: send::Senders,
}

/// A started server.
pub struct Running {
    pub addr: SocketAddr,
    pub admin_enabled: bool,
    pub audit_log: PathBuf,
    workers: Vec<JoinHandle<()>>,
    _server: Arc<tiny_http::Server>,
}

impl Running {
    /// Blocks while the server runs (until the process is stopped).
    pub fn wait(self) {
        for w in self.workers {
            let _ = w.join();
        }
    }
}

/// Binds and starts the workers.
pub fn start(config: Config) -> Result<Running> {
    let listener = TcpListener::bind(&config.bind)
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    let addr = listener.local_addr()?;
    let server = Arc::new(
        tiny_http::Server::from_listener(listener, None)
            .map_err(|e| anyhow!("cannot start the server on {addr}: {e}"))?,
    );
    let site = Site::new(&config.site);
    let token = config.admin_token.as_deref().and_then(guard::Token::new);
    if token.is_some() {
        // The admin API writes into the root (audit log, builds): it must be ours, and a
        // fresh one gets its marker now, before the audit log makes it look foreign.
        site.prepare_for_writing()
            .context("the admin API writes its audit log and builds into the site root")?;
    }
    let admin = admin::Admin::new(&site, token, config.admin_calls_per_minute, config.refresh);
    let state = Arc::new(State {
        health: health::Health::new(&site),
        site,
        indexes: Indexes::default(),
        admin,
        senders: send::Senders::default(),
    });
    let workers = (0..config.workers.max(1))
        .map(|i| {
            let (server, state) = (server.clone(), state.clone());
            std::thread::Builder::new()
                .name(format!("serve-{i}"))
                .spawn(move || worker(&server, &state))
                .context("cannot start a worker thread")
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Running {
        addr,
        admin_enabled: state.admin.enabled(),
        audit_log: state.admin.audit_path().to_path_buf(),
        workers,
        _server: server,
    })
}

fn worker(server: &tiny_http::Server, state: &State) {
    loop {
        let Ok(rq) = server.recv() else {
            continue;
        };
        let incoming = Incoming::from_request(&rq);
        let reply =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handle(state, &incoming)))
                .unwrap_or_else(|_| Reply::text(500, None, PathClass::NoStore));
        state.senders.send(rq, reply, incoming.method == "HEAD");
    }
}

/// Answers one request.
fn handle(state: &State, rq: &Incoming) -> Reply {
    let target = match paths::parse(&rq.url) {
        Ok(t) => t,
        Err(Rejection::TooLong) => {
            return Reply::text(414, None, PathClass::NoStore);
        }
        Err(Rejection::BadRequest(why)) => {
            return Reply::text(400, Some(why), PathClass::NoStore);
        }
    };
    let path = rq.url.split('?').next().unwrap_or_default();
    let segments: Vec<&str> = target.segments.iter().map(String::as_str).collect();
    match segments.as_slice() {
        ["api", "health"] if !target.trailing_slash => {
            if !rq.is_read() {
                return method_not_allowed(&target);
            }
            let (enabled, running) = (state.admin.enabled(), state.admin.refresh_running());
            state
                .health
                .reply(|| current(state).serving(), enabled, running)
        }
        ["api", "admin", ..] => state.admin.handle(rq, path, &target.segments[2..]),
        _ if !rq.is_read() => method_not_allowed(&target),
        ["snapshots", id, ..] => match state.indexes.get(&state.site.snapshots(), id) {
            Some(index) => {
                let prefix = format!("{}{id}/", hosting::SNAPSHOTS_PREFIX);
                serve_from(&index, rq, &target, 2, &prefix)
            }
            None => not_found(None, &target, 2),
        },
        ["snapshots"] => not_found(None, &target, 0),
        [name] if *name == hosting::POINTER && !target.trailing_slash => pointer(state, rq),
        _ => match current(state) {
            Current::Index(index) => serve_from(&index, rq, &target, 0, ""),
            Current::Nothing => unavailable(&target, None, state.admin.enabled()),
            Current::Unreadable(id) => unavailable(&target, Some(&id), state.admin.enabled()),
        },
    }
}

/// What `current` names, resolved once for a request.
enum Current {
    Index(Arc<SnapshotIndex>),
    /// Nothing is published.
    Nothing,
    /// A snapshot is published, but its folder or manifest cannot be read or trusted.
    Unreadable(String),
}

fn current(state: &State) -> Current {
    match catalog::current_id(&state.site) {
        None => Current::Nothing,
        Some(id) => match state.indexes.get(&state.site.snapshots(), &id) {
            Some(index) => Current::Index(index),
            None => Current::Unreadable(id),
        },
    }
}

impl Current {
    /// How the current snapshot stands, for `/api/health`.
    fn serving(self) -> health::Serving {
        match self {
            Current::Nothing => health::Serving::Nothing,
            Current::Unreadable(id) => health::Serving::Damaged {
                problem: format!("the manifest of {id} is missing, unreadable or not its own"),
                id,
            },
            Current::Index(index) => match index.check() {
                Ok(()) => health::Serving::Snapshot(index.id.clone()),
                Err(problem) => health::Serving::Damaged {
                    id: index.id.clone(),
                    problem,
                },
            },
        }
    }
}

/// Whether an error about `target` (its segments from `skip`, past `/snapshots/<id>/`)
/// is answered in JSON: API paths and JSON files are read by programs.
fn wants_json(target: &Target, skip: usize) -> bool {
    let rest = target.segments.get(skip..).unwrap_or_default();
    rest.first().is_some_and(|s| s == "api") || rest.last().is_some_and(|s| hosting::is_cors(s))
}

/// A JSON error of the API, readable cross-origin like the API files themselves.
fn api_error(status: u16, code: &str, message: &str) -> Reply {
    Reply::json_error(status, code, message).header(hosting::CORS.0, hosting::CORS.1)
}

fn method_not_allowed(target: &Target) -> Reply {
    let reply = if wants_json(target, 0) {
        api_error(
            405,
            "METHOD_NOT_ALLOWED",
            "only GET and HEAD are allowed here",
        )
    } else {
        Reply::text(405, None, PathClass::NoStore)
    };
    reply.header("Allow", "GET, HEAD")
}

/// Serves `target.segments[skip..]` from one snapshot; `prefix` is its URL path prefix.
fn serve_from(
    index: &SnapshotIndex,
    rq: &Incoming,
    target: &Target,
    skip: usize,
    prefix: &str,
) -> Reply {
    match files::find(index, &target.segments[skip..], target.trailing_slash) {
        Lookup::File {
            rel,
            file,
            len,
            sha256,
            modified,
        } => FileReply {
            url_path: &format!("{prefix}{rel}"),
            sha256: &sha256,
            modified,
            snapshot_id: Some(&index.id),
        }
        .reply(Body::File(file, len), rq.header("if-none-match")),
        Lookup::Folder => redirect(target),
        Lookup::Missing => not_found(Some(index), target, skip),
        Lookup::Corrupt(rel) => {
            eprintln!(
                "error: snapshot {}: {rel} does not match its manifest, so it is not served; run `toaststats snapshots verify`",
                index.id
            );
            Reply::text(
                500,
                Some(
                    "this file does not match the snapshot's manifest (the snapshot is damaged), so it is not sent",
                ),
                PathClass::NoStore,
            )
        }
    }
}

/// A folder asked for without its trailing slash: 301 to the same local path with one.
fn redirect(target: &Target) -> Reply {
    let mut location = String::from("/");
    for s in &target.segments {
        location.push_str(&paths::encode_segment(s));
        location.push('/');
    }
    if let Some(q) = target.query.as_deref().filter(|q| !q.is_empty()) {
        location.push('?');
        location.push_str(q);
    }
    Reply::text(301, Some(&location), PathClass::Revalidate).header("Location", location)
}

/// 404: JSON for API paths, else the snapshot's own `404.html` when it has one.
fn not_found(index: Option<&SnapshotIndex>, target: &Target, skip: usize) -> Reply {
    if wants_json(target, skip) {
        let reply = api_error(
            404,
            "NOT_FOUND",
            &match index {
                Some(index) => format!("snapshot {} has no such file", index.id),
                None => "no such snapshot".to_string(),
            },
        );
        // Cached like other misses (a later snapshot may add the file), not for a year.
        return reply.header("Cache-Control", PathClass::Revalidate.cache_control());
    }
    if let Some(index) = index
        && let Lookup::File { file, len, .. } = files::find(index, &["404.html".to_string()], false)
    {
        return Reply::new(404, Body::File(file, len))
            .header("Content-Type", hosting::content_type("404.html"))
            .header("Cache-Control", PathClass::Revalidate.cache_control())
            .header(headers::SNAPSHOT_HEADER, index.id.clone());
    }
    Reply::text(404, None, PathClass::Revalidate)
}

/// `/current.json`: the pointer for hosts without symlinks. The `current` link is the
/// truth: a file that disagrees with it (a crash between the swap and the rewrite) is
/// answered with a pointer made from the link until the next writer repairs the file.
fn pointer(state: &State, rq: &Incoming) -> Reply {
    let path = state.site.current_json();
    let on_disk = files::read_small(&path);
    let served = crate::store::catalog::served_pointer(&state.site);
    let Some((bytes, modified)) = served.map(|bytes| match &on_disk {
        Some((disk, modified)) if *disk == bytes => (bytes, *modified),
        _ => (bytes, None),
    }) else {
        return unavailable(
            &Target {
                segments: vec![hosting::POINTER.to_string()],
                trailing_slash: false,
                query: None,
            },
            None,
            state.admin.enabled(),
        );
    };
    let sha256 = crate::hash::sha256_hex(&bytes);
    FileReply {
        url_path: hosting::POINTER,
        sha256: &sha256,
        modified,
        snapshot_id: None,
    }
    .reply(Body::Bytes(bytes), rq.header("if-none-match"))
}

/// 503 when nothing is published, or when the snapshot `damaged` names cannot be served:
/// JSON for API paths, a short page otherwise. The admin refresh is offered only when the
/// admin API is on (`admin`): otherwise that path answers 404.
fn unavailable(target: &Target, damaged: Option<&str>, admin: bool) -> Reply {
    let api = wants_json(target, 0);
    let (code, title, message) = match damaged {
        None => (
            "NO_SNAPSHOT_AVAILABLE",
            "No snapshot published yet",
            if admin {
                "nothing is published yet: run `toaststats build`, or POST /api/admin/refresh"
            } else {
                "nothing is published yet: run `toaststats build --site` with this folder"
            }
            .to_string(),
        ),
        Some(id) => (
            "SNAPSHOT_UNREADABLE",
            "The published snapshot cannot be served",
            format!(
                "the manifest of the current snapshot {id} is missing or damaged: run `toaststats snapshots verify`, then build or roll back"
            ),
        ),
    };
    let reply = if api {
        api_error(503, code, &message)
    } else {
        let page = format!(
            "<!doctype html>\n<html lang=\"en\"><meta charset=\"utf-8\"><title>{title}</title>\n<h1>{title}</h1>\n<p>This toaststats site cannot show a snapshot: {message}.</p>\n</html>\n"
        );
        Reply::new(503, Body::Bytes(page.into_bytes()))
            .header("Content-Type", hosting::content_type("index.html"))
            .header("Cache-Control", PathClass::NoStore.cache_control())
    };
    reply.header("Retry-After", "30")
}
