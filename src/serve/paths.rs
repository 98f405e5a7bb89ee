//! Request targets into path segments, strictly: the query is split off, each segment is
//! percent-decoded exactly once, and anything that could name a file outside the folder
//! being served is refused before the file system is touched: `.` and `..` segments,
//! empty segments (`//`), an encoded `/`, backslash, NUL and other control characters,
//! invalid UTF-8 (overlong encodings such as `%c0%ae` included), absolute-form targets.

/// Longest path (before decoding) the server looks at; longer ones get 414.
pub const MAX_PATH_BYTES: usize = 2048;
/// Most segments in a path; more get 414.
pub const MAX_SEGMENTS: usize = 32;

/// A request target that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Decoded segments; none is empty, `.`, `..`, or holds `/`, `\` or a control char.
    pub segments: Vec<String>,
    /// The path ended with `/` (or was `/`).
    pub trailing_slash: bool,
    /// The raw query (visible ASCII), without the `?`.
    pub query: Option<String>,
}

/// Why a target was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// 400, with the reason.
    BadRequest(&'static str),
    /// 414.
    TooLong,
}

/// Checks and decodes a raw request target (`/a/b%20c?x=1`).
pub fn parse(raw: &str) -> Result<Target, Rejection> {
    if !raw.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Rejection::BadRequest(
            "the request target must be visible ASCII",
        ));
    }
    let (path, query) = match raw.split_once('?') {
        Some((p, q)) => (p, Some(q.to_string())),
        None => (raw, None),
    };
    if path.len() > MAX_PATH_BYTES {
        return Err(Rejection::TooLong);
    }
    let Some(path) = path.strip_prefix('/') else {
        return Err(Rejection::BadRequest(
            "the request target must be a path starting with /",
        ));
    };
    if path.contains('#') {
        return Err(Rejection::BadRequest(
            "a fragment (#) is never sent to a server",
        ));
    }
    let trailing_slash = path.is_empty() || path.ends_with('/');
    let body = path.strip_suffix('/').unwrap_or(path);
    let mut segments = Vec::new();
    if !body.is_empty() {
        for raw_segment in body.split('/') {
            if segments.len() == MAX_SEGMENTS {
                return Err(Rejection::TooLong);
            }
            segments.push(segment(raw_segment)?);
        }
    }
    Ok(Target {
        segments,
        trailing_slash,
        query,
    })
}

/// One segment: decoded once, then checked.
fn segment(raw: &str) -> Result<String, Rejection> {
    if raw.is_empty() {
        return Err(Rejection::BadRequest("empty path segment (//)"));
    }
    let bytes = percent_decode(raw)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Rejection::BadRequest("the path is not UTF-8 after percent-decoding"))?;
    if text == "." || text == ".." {
        return Err(Rejection::BadRequest(
            "dot segments (. and ..) are not allowed",
        ));
    }
    for c in text.chars() {
        let reason = match c {
            '\0' => "NUL in the path",
            '/' => "an encoded slash (%2f) in a path segment",
            '\\' => "backslash in the path",
            c if c.is_control() => "control character in the path",
            _ => continue,
        };
        return Err(Rejection::BadRequest(reason));
    }
    Ok(text)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn percent_decode(raw: &str) -> Result<Vec<u8>, Rejection> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let pair = bytes
                .get(i + 1)
                .copied()
                .and_then(hex)
                .zip(bytes.get(i + 2).copied().and_then(hex));
            let Some((hi, lo)) = pair else {
                return Err(Rejection::BadRequest(
                    "malformed percent-escape in the path",
                ));
            };
            out.push(hi << 4 | lo);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(out)
}

/// A segment as it goes into a `Location` header: everything but unreserved characters and
/// a few safe delimiters is percent-encoded, so the header can hold nothing unexpected.
pub fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(raw: &str) -> Vec<String> {
        parse(raw).unwrap().segments
    }

    fn bad(raw: &str) -> bool {
        matches!(parse(raw), Err(Rejection::BadRequest(_)))
    }

    #[test]
    fn plain_paths() {
        assert_eq!(segs("/"), Vec::<String>::new());
        assert!(parse("/").unwrap().trailing_slash);
        assert_eq!(
            segs("/api/v1/rankings.json"),
            ["api", "v1", "rankings.json"]
        );
        let t = parse("/districts/02/?sort=name").unwrap();
        assert_eq!(t.segments, ["districts", "02"]);
        assert!(t.trailing_slash);
        assert_eq!(t.query.as_deref(), Some("sort=name"));
        assert_eq!(segs("/a%20b"), ["a b"]);
    }

    #[test]
    fn decodes_exactly_once() {
        assert_eq!(segs("/%252e%252e/x"), ["%2e%2e", "x"]);
        assert_eq!(segs("/%2e%2e%2e"), ["..."]);
        assert_eq!(segs("/caf%C3%A9"), ["café"]);
    }

    #[test]
    fn refuses_traversal_in_every_spelling() {
        for raw in [
            "/..",
            "/../etc/passwd",
            "/a/../b",
            "/%2e%2e/x",
            "/%2E%2E",
            "/.%2e/x",
            "/./x",
            "/a%2f..%2fb",
            "/%2fetc/passwd",
            "/a%5c..%5cb",
            "/a\\b",
            "/%00",
            "/a%00.html",
            "//etc/passwd",
            "//host/x",
            "/a//b",
            "/%c0%ae%c0%ae/x",
            "/%e0%80%ae",
            "/%ff",
            "/%",
            "/%2",
            "/%zz",
            "/a%0d%0aSet-Cookie:x",
            "/%7f",
            "/%c2%85",
            "http://evil/x",
            "*",
            "",
            "../x",
            "/a#b",
        ] {
            assert!(bad(raw), "{raw:?} should be refused: {:?}", parse(raw));
        }
    }

    #[test]
    fn long_paths_are_too_long() {
        let long = format!("/{}", "a".repeat(MAX_PATH_BYTES + 1));
        assert_eq!(parse(&long), Err(Rejection::TooLong));
        let deep = "/a".repeat(MAX_SEGMENTS + 1);
        assert_eq!(parse(&deep), Err(Rejection::TooLong));
        assert!(parse(&"/a".repeat(MAX_SEGMENTS)).is_ok());
    }

    #[test]
    fn location_encoding_is_inert() {
        assert_eq!(encode_segment("a b"), "a%20b");
        assert_eq!(encode_segment("%2e"), "%252e");
        assert_eq!(encode_segment("café"), "caf%C3%A9");
        assert_eq!(encode_segment("02"), "02");
    }
}
