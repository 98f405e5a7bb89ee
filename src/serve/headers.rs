//! Responses: the [`Reply`] every handler returns, the header table of
//! [`crate::hosting`] applied to files, strong ETags and `If-None-Match`, `Last-Modified`,
//! and the error bodies (plain pages, and JSON `{"error":{"code","message"}}` for the API).

use crate::hosting::{self, NOSNIFF, PathClass};
use std::fs::File;
use std::io::{Cursor, Read};
use std::time::SystemTime;

/// What a response carries.
#[derive(Debug)]
pub enum Body {
    Bytes(Vec<u8>),
    /// An open file and its length.
    File(File, u64),
}

/// A response before it is written: status, headers, body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Body,
}

impl Reply {
    /// A reply with the headers every response carries.
    pub fn new(status: u16, body: Body) -> Reply {
        Reply {
            status,
            headers: vec![(NOSNIFF.0, NOSNIFF.1.to_string())],
            body,
        }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name, value.into()));
        self
    }

    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A small plain-text answer (errors, redirects): the status line's own words
    /// (`404 Not Found`), then `: detail` when there is one. The words come from the one
    /// table that also writes the status line, so the two can never disagree.
    pub fn text(status: u16, detail: Option<&str>, class: PathClass) -> Reply {
        let mut text = status_line(status);
        if let Some(detail) = detail {
            text.push_str(": ");
            text.push_str(detail);
        }
        text.push('\n');
        Reply::new(status, Body::Bytes(text.into_bytes()))
            .header("Content-Type", "text/plain; charset=utf-8")
            .header("Cache-Control", class.cache_control())
    }

    /// A JSON answer of the API (never cached, no CORS: the admin API is not for browsers).
    pub fn json(status: u16, value: &serde_json::Value) -> Reply {
        let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
        bytes.push(b'\n');
        Reply::new(status, Body::Bytes(bytes))
            .header("Content-Type", "application/json")
            .header("Cache-Control", PathClass::NoStore.cache_control())
    }

    /// `{"error":{"code":..,"message":..}}`.
    pub fn json_error(status: u16, code: &str, message: &str) -> Reply {
        let body = serde_json::to_value(hosting::ApiError::new(code, message)).unwrap_or_default();
        Reply::json(status, &body)
    }

    /// The body's length in bytes.
    pub fn body_len(&self) -> u64 {
        match &self.body {
            Body::Bytes(b) => b.len() as u64,
            Body::File(_, n) => *n,
        }
    }

    /// The tiny_http response; the length is always sent (never chunked), also for HEAD.
    pub fn into_response(self) -> tiny_http::ResponseBox {
        let length = self.body_len() as usize;
        let reader: Box<dyn Read + Send> = match self.body {
            Body::Bytes(b) => Box::new(Cursor::new(b)),
            Body::File(f, n) => Box::new(f.take(n)),
        };
        let mut headers =
            vec![tiny_http::Header::from_bytes("Server", "toaststats").expect("ascii")];
        for (name, value) in &self.headers {
            // Values are built from checked or encoded text; a non-ASCII one is dropped
            // rather than sent.
            if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                headers.push(h);
            }
        }
        tiny_http::Response::new(
            tiny_http::StatusCode(self.status),
            headers,
            reader,
            Some(length),
            None,
        )
        .with_chunked_threshold(usize::MAX)
    }
}

/// `404 Not Found`: the code and the reason phrase the status line carries.
pub fn status_line(status: u16) -> String {
    let reason = tiny_http::StatusCode(status).default_reason_phrase();
    format!("{status} {reason}")
}

/// The strong ETag of a file whose SHA-256 is `sha256` (hex).
pub fn etag(sha256: &str) -> String {
    format!("\"{sha256}\"")
}

/// Whether `If-None-Match` (a list of entity tags, or `*`) matches `etag`. The comparison
/// is the weak one RFC 9110 prescribes for this header: `W/"x"` matches `"x"`.
pub fn none_match(if_none_match: &str, etag: &str) -> bool {
    if_none_match
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn http_date(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t)
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

/// A file of a snapshot, with the table's headers for its URL path.
pub struct FileReply<'a> {
    /// URL path from the site root, without the leading `/` (decides the cache class).
    pub url_path: &'a str,
    pub sha256: &'a str,
    pub modified: Option<SystemTime>,
    pub snapshot_id: Option<&'a str>,
}

impl FileReply<'_> {
    /// 200 with the file, or 304 when `If-None-Match` matches: headers only, with the
    /// 200's Content-Length (RFC 9110 8.6 allows it when it is the true length).
    pub fn reply(&self, body: Body, if_none_match: Option<&str>) -> Reply {
        let tag = etag(self.sha256);
        let mut reply = match if_none_match {
            Some(v) if none_match(v, &tag) => {
                let len = Reply::new(200, body).body_len();
                Reply::new(304, Body::Bytes(Vec::new())).header("Content-Length", len.to_string())
            }
            _ => Reply::new(200, body),
        };
        for (name, value) in hosting::headers_for(self.url_path) {
            reply = reply.header(name, value);
        }
        reply = reply.header("ETag", tag);
        if let Some(t) = self.modified {
            reply = reply.header("Last-Modified", http_date(t));
        }
        if let Some(id) = self.snapshot_id {
            reply = reply.header(SNAPSHOT_HEADER, id);
        }
        reply
    }
}

/// Names the snapshot a response came from (for operators and tests).
pub const SNAPSHOT_HEADER: &str = "X-Toaststats-Snapshot";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_lists() {
        let tag = etag("ab12");
        assert!(none_match("\"ab12\"", &tag));
        assert!(none_match("\"zz\", W/\"ab12\"", &tag));
        assert!(none_match("*", &tag));
        assert!(!none_match("\"ab1\"", &tag));
        assert!(!none_match("ab12", &tag));
    }

    #[test]
    fn status_texts_use_the_status_lines_reason_phrase() {
        // Regression: `GET /snapshots` answered with the body "404 Not Lookup".
        let body = |r: Reply| match r.body {
            Body::Bytes(b) => String::from_utf8(b).unwrap(),
            Body::File(..) => unreachable!(),
        };
        assert_eq!(
            body(Reply::text(404, None, PathClass::Revalidate)),
            "404 Not Found\n"
        );
        assert_eq!(
            body(Reply::text(400, Some("why"), PathClass::NoStore)),
            "400 Bad Request: why\n"
        );
        for status in [
            301, 304, 400, 401, 403, 404, 405, 408, 409, 413, 414, 429, 431, 500, 501, 503, 505,
        ] {
            assert!(!status_line(status).ends_with("Unknown"), "{status}");
        }
    }

    #[test]
    fn http_dates() {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(784111777);
        assert_eq!(http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
    }
}
