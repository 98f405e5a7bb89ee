//! The response-header table, the one source of truth for every host: `toaststats serve`
//! answers with it, and every snapshot carries it for production hosts as `_headers`
//! (Netlify, Cloudflare Pages) and `nginx-headers.conf`, rendered by `render::hosting`.
//!
//! Paths here are URL paths from the site root without the leading `/`: `snapshots/<id>/...`
//! never changes once written, so it is cached for a year; everything else (the current
//! snapshot's pages and JSON, and the `current.json` pointer) changes at the same URL with
//! each publish, so it is revalidated on every use (a strong ETag makes that a 304).

/// Content type by file extension (compared ASCII case-insensitively): the one table that
/// `serve`, `_headers`, `nginx-headers.conf` and the cdn export's `headers.json` all carry
/// (a test walks every extension a built site has and checks the four agree).
pub const CONTENT_TYPES: &[(&str, &str)] = &[
    ("html", "text/html; charset=utf-8"),
    ("json", "application/json"),
    ("css", "text/css; charset=utf-8"),
    ("js", "text/javascript; charset=utf-8"),
    ("svg", "image/svg+xml"),
    ("csv", "text/csv; charset=utf-8"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("txt", "text/plain; charset=utf-8"),
    // The snapshot's own `nginx-headers.conf`, readable as text.
    ("conf", "text/plain; charset=utf-8"),
    ("xml", "application/xml"),
    // The districts' change feeds (`changes.atom`); the XML names its own encoding.
    ("atom", "application/atom+xml"),
    // The deadline calendars (`calendar.ics`, RFC 5545: UTF-8 text).
    ("ics", "text/calendar; charset=utf-8"),
    ("ico", "image/x-icon"),
    ("png", "image/png"),
    ("woff2", "font/woff2"),
];

/// Content type of any other file: never sniffed into something executable.
pub const DEFAULT_CONTENT_TYPE: &str = "application/octet-stream";

/// Sent with every response: browsers must not guess a type the table did not give.
pub const NOSNIFF: (&str, &str) = ("X-Content-Type-Options", "nosniff");

/// Extensions whose files any origin may read (the JSON API is public data).
pub const CORS_EXTENSIONS: &[&str] = &["json"];

/// Sent with the files of [`CORS_EXTENSIONS`].
pub const CORS: (&str, &str) = ("Access-Control-Allow-Origin", "*");

/// The first segment of the immutable paths.
pub const SNAPSHOTS_PREFIX: &str = "snapshots/";

/// The pointer file at the site root, served beside the current snapshot's paths.
pub const POINTER: &str = "current.json";

/// How long a response may be reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathClass {
    /// `snapshots/<id>/...`: written once, never changed.
    Immutable,
    /// Current paths and the pointer: the content changes with each publish.
    Revalidate,
    /// Answers computed per request (admin API, health, "nothing published").
    NoStore,
}

impl PathClass {
    pub fn cache_control(self) -> &'static str {
        match self {
            PathClass::Immutable => "public, max-age=31536000, immutable",
            PathClass::Revalidate => "no-cache",
            PathClass::NoStore => "no-store",
        }
    }
}

/// The class of a file's URL path (from the site root, without the leading `/`).
pub fn class_of(path: &str) -> PathClass {
    match path.strip_prefix(SNAPSHOTS_PREFIX) {
        Some(rest) if rest.split_once('/').is_some_and(|(id, _)| !id.is_empty()) => {
            PathClass::Immutable
        }
        _ => PathClass::Revalidate,
    }
}

fn extension(path: &str) -> Option<&str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map(|(_, ext)| ext)
}

/// The content type of a file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    extension(path)
        .and_then(|ext| {
            CONTENT_TYPES
                .iter()
                .find(|(e, _)| e.eq_ignore_ascii_case(ext))
        })
        .map_or(DEFAULT_CONTENT_TYPE, |(_, t)| t)
}

/// Whether any origin may read the file.
pub fn is_cors(path: &str) -> bool {
    extension(path).is_some_and(|ext| CORS_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext)))
}

/// Where an API error body is published in each snapshot, for static hosts to answer a
/// miss under `/api/` with it (`toaststats serve` writes the same shape per request).
pub const API_ERROR_FILE: &str = "api/v1/404.json";

/// The body of every API error (404, 405, 503 and the admin API's errors):
/// `{"error":{"code":"NOT_FOUND","message":"..."}}`.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct ApiError {
    pub error: ApiErrorBody,
}

#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct ApiErrorBody {
    /// A stable upper-case code (`NOT_FOUND`, `METHOD_NOT_ALLOWED`,
    /// `NO_SNAPSHOT_AVAILABLE`, ...) for programs.
    pub code: String,
    /// What went wrong, for people.
    pub message: String,
}

impl ApiError {
    pub fn new(code: &str, message: &str) -> ApiError {
        ApiError {
            error: ApiErrorBody {
                code: code.into(),
                message: message.into(),
            },
        }
    }
}

/// Every header the table gives a file served with status 200, in a fixed order.
pub fn headers_for(path: &str) -> Vec<(&'static str, &'static str)> {
    let mut out = vec![
        ("Content-Type", content_type(path)),
        ("Cache-Control", class_of(path).cache_control()),
        NOSNIFF,
    ];
    if is_cors(path) {
        out.push(CORS);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_by_path() {
        assert_eq!(
            class_of("snapshots/20260421T060000Z-1a2b3c4d/index.html"),
            PathClass::Immutable
        );
        assert_eq!(class_of("snapshots/x/api/v1/a.json"), PathClass::Immutable);
        for p in [
            "index.html",
            "api/v1/rankings.json",
            "current.json",
            "snapshots/",
            "snapshots//a",
        ] {
            assert_eq!(class_of(p), PathClass::Revalidate, "{p}");
        }
    }

    #[test]
    fn content_types_and_cors() {
        assert_eq!(content_type("a/b/index.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type("api/v1/rankings.json"), "application/json");
        assert_eq!(
            content_type("districts/02/D02-clubs-2026-11-08.csv"),
            "text/csv; charset=utf-8"
        );
        assert_eq!(
            content_type("districts/02/D02-2026-11-08.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert_eq!(content_type("favicon.ico"), "image/x-icon");
        assert_eq!(content_type("_headers"), DEFAULT_CONTENT_TYPE);
        assert_eq!(content_type("a.json/x"), DEFAULT_CONTENT_TYPE);
        assert_eq!(content_type("evil.exe"), DEFAULT_CONTENT_TYPE);
        assert!(is_cors("api/v1/districts/02.json"));
        assert!(!is_cors("index.html"));
        let h = headers_for("snapshots/x/api/v1/rankings.json");
        assert!(h.contains(&CORS) && h.contains(&NOSNIFF));
        assert!(h.contains(&("Cache-Control", "public, max-age=31536000, immutable")));
    }
}
