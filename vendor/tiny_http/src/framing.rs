//! Patched (toaststats): strict HTTP/1.1 message framing (RFC 9112), so that this server
//! and any proxy in front of it always agree on where a request ends. Upstream 0.12.0
//! ignored `Content-Length` when `Transfer-Encoding` was present, took the first of
//! several `Content-Length`s, treated any `Transfer-Encoding` as chunked, accepted
//! obs-folded and malformed header lines, and decoded chunk sizes leniently (`" 5 "`,
//! `"+5"`): each a way to smuggle a second request inside the first. Every such request is
//! now refused with 400 and the connection closed, before anything after it is parsed.

use std::convert::TryFrom;
use std::io::{ErrorKind, Read};

use crate::Header;

/// How a request's body is delimited.
#[derive(Debug, PartialEq, Eq)]
pub enum Framing {
    /// No body.
    Empty,
    /// `Content-Length: n`.
    Length(usize),
    /// `Transfer-Encoding: chunked`.
    Chunked,
}

/// Why a request cannot be framed; the connection is closed after the answer.
#[derive(Debug, PartialEq, Eq)]
pub enum FramingError {
    /// 400: the body's length cannot be determined reliably.
    BadRequest(&'static str),
    /// 501: a transfer coding this server does not implement (before a final `chunked`).
    NotImplemented,
    /// 413: larger than `limits::MAX_BODY_BYTES`.
    TooLarge,
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Checks one header line (without its CRLF) as RFC 9112 §5 requires of a server:
/// no obs-fold (a line starting with space or tab), a field name of token characters
/// directly followed by `:`, and a value without control characters (HTAB aside), so no
/// bare CR or LF that another parser could take as a line end.
pub fn check_header_line(line: &[u8]) -> Result<(), &'static str> {
    if matches!(line.first(), Some(b' ' | b'\t')) {
        return Err("obs-fold (a header line starting with whitespace)");
    }
    let colon = line
        .iter()
        .position(|&b| b == b':')
        .ok_or("a header line without a colon")?;
    if colon == 0 || !line[..colon].iter().all(|&b| is_tchar(b)) {
        return Err("a header name that is not a token (or whitespace before the colon)");
    }
    if line[colon + 1..]
        .iter()
        .any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f)
    {
        return Err("a control character in a header value");
    }
    Ok(())
}

/// Checks a request line (without its CRLF): exactly `method SP target SP version`, no
/// control characters, a token for the method.
pub fn check_request_line(line: &[u8]) -> bool {
    let mut parts = line.split(|&b| b == b' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    !method.is_empty()
        && method.iter().all(|&b| is_tchar(b))
        && !target.is_empty()
        && target.iter().all(|&b| b.is_ascii_graphic())
        && version.starts_with(b"HTTP/")
}

/// Decides the body framing from the request headers (RFC 9112 §6).
pub fn framing(headers: &[Header], http_1_0: bool) -> Result<Framing, FramingError> {
    let lengths: Vec<&str> = values(headers, "Content-Length");
    let codings: Vec<&str> = values(headers, "Transfer-Encoding");
    if !codings.is_empty() {
        if !lengths.is_empty() {
            return Err(FramingError::BadRequest(
                "both Content-Length and Transfer-Encoding",
            ));
        }
        if http_1_0 {
            // §6.1: HTTP/1.0 has no chunked coding; the framing is faulty.
            return Err(FramingError::BadRequest("Transfer-Encoding in HTTP/1.0"));
        }
        let list: Vec<String> = codings
            .iter()
            .flat_map(|v| v.split(','))
            .map(|c| c.trim().to_ascii_lowercase())
            .collect();
        let chunked = list.iter().filter(|c| *c == "chunked").count();
        if list.last().map(String::as_str) != Some("chunked") || chunked != 1 {
            return Err(FramingError::BadRequest(
                "a Transfer-Encoding whose final (and only) chunked is missing",
            ));
        }
        if list.len() > 1 {
            return Err(FramingError::NotImplemented);
        }
        return Ok(Framing::Chunked);
    }
    match lengths.as_slice() {
        [] => Ok(Framing::Empty),
        [one] => {
            let digits = one.as_bytes();
            if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
                return Err(FramingError::BadRequest("an invalid Content-Length"));
            }
            let n: u64 = one
                .parse()
                .map_err(|_| FramingError::BadRequest("an invalid Content-Length"))?;
            match usize::try_from(n) {
                Ok(0) => Ok(Framing::Empty),
                Ok(n) if n <= crate::limits::MAX_BODY_BYTES => Ok(Framing::Length(n)),
                _ => Err(FramingError::TooLarge),
            }
        }
        _ => Err(FramingError::BadRequest("more than one Content-Length")),
    }
}

fn values<'a>(headers: &'a [Header], name: &'static str) -> Vec<&'a str> {
    headers
        .iter()
        .filter(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
        .collect()
}

/// Longest chunk-size line (size, extensions) and trailer section accepted.
const MAX_CHUNK_LINE: usize = 1024;
const MAX_TRAILERS: usize = 8 * 1024;

fn bad(why: &'static str) -> std::io::Error {
    std::io::Error::new(ErrorKind::InvalidData, why)
}

fn byte(source: &mut impl Read) -> std::io::Result<u8> {
    let mut b = [0u8];
    match source.read(&mut b)? {
        0 => Err(std::io::Error::new(
            ErrorKind::ConnectionAborted,
            "the connection closed inside a chunked body",
        )),
        _ => Ok(b[0]),
    }
}

/// One CRLF-terminated line of at most `limit` bytes (CR and LF only as its end).
fn line(source: &mut impl Read, limit: usize) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        match byte(source)? {
            b'\r' => {
                return if byte(source)? == b'\n' {
                    Ok(out)
                } else {
                    Err(bad("a bare CR in a chunked body"))
                };
            }
            b'\n' => return Err(bad("a bare LF in a chunked body")),
            _ if out.len() >= limit => return Err(bad("a chunk line or trailer too long")),
            b => out.push(b),
        }
    }
}

/// Reads a whole chunked body (RFC 9112 §7.1) strictly: hex sizes without sign or
/// spaces, extensions allowed but bounded, CRLF everywhere, trailer lines checked like
/// headers and dropped. A malformed body is an `InvalidData` error; a decoded body beyond
/// `limit` bytes is [`ChunkedError::TooLarge`].
pub fn read_chunked(source: &mut impl Read, limit: usize) -> Result<Vec<u8>, ChunkedError> {
    let mut body = Vec::new();
    loop {
        let size_line = line(source, MAX_CHUNK_LINE)?;
        let hex_end = size_line
            .iter()
            .position(|&b| b == b';')
            .unwrap_or(size_line.len());
        let hex = &size_line[..hex_end];
        if hex.is_empty() || hex.len() > 8 || !hex.iter().all(u8::is_ascii_hexdigit) {
            return Err(bad("an invalid chunk size").into());
        }
        if size_line[hex_end..]
            .iter()
            .any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f)
        {
            return Err(bad("a control character in a chunk extension").into());
        }
        let size = usize::from_str_radix(std::str::from_utf8(hex).unwrap_or("x"), 16)
            .map_err(|_| bad("an invalid chunk size"))?;
        if size == 0 {
            break;
        }
        if body.len() + size > limit {
            return Err(ChunkedError::TooLarge);
        }
        let start = body.len();
        body.resize(start + size, 0);
        source.read_exact(&mut body[start..]).map_err(|e| {
            if e.kind() == ErrorKind::UnexpectedEof {
                std::io::Error::new(
                    ErrorKind::ConnectionAborted,
                    "the connection closed inside a chunk",
                )
            } else {
                e
            }
        })?;
        if !line(source, 0)?.is_empty() {
            return Err(bad("chunk data longer than its size").into());
        }
    }
    let mut trailers = 0;
    loop {
        let trailer = line(source, MAX_TRAILERS)?;
        if trailer.is_empty() {
            return Ok(body);
        }
        trailers += trailer.len();
        if trailers > MAX_TRAILERS {
            return Err(bad("a trailer section too long").into());
        }
        check_header_line(&trailer).map_err(bad)?;
    }
}

/// Why a chunked body was not read.
#[derive(Debug)]
pub enum ChunkedError {
    /// Malformed (`InvalidData`) or the socket failed.
    Io(std::io::Error),
    /// Beyond the limit.
    TooLarge,
}

impl From<std::io::Error> for ChunkedError {
    fn from(e: std::io::Error) -> Self {
        ChunkedError::Io(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[(&str, &str)]) -> Vec<Header> {
        list.iter()
            .map(|(k, v)| Header::from_bytes(k.as_bytes(), v.as_bytes()).unwrap())
            .collect()
    }

    fn frame(list: &[(&str, &str)]) -> Result<Framing, FramingError> {
        framing(&headers(list), false)
    }

    #[test]
    fn framings() {
        assert_eq!(frame(&[]), Ok(Framing::Empty));
        assert_eq!(frame(&[("Content-Length", "0")]), Ok(Framing::Empty));
        assert_eq!(frame(&[("content-length", "12")]), Ok(Framing::Length(12)));
        assert_eq!(
            frame(&[("Transfer-Encoding", "Chunked")]),
            Ok(Framing::Chunked)
        );
        assert_eq!(
            frame(&[("Transfer-Encoding", "gzip, chunked")]),
            Err(FramingError::NotImplemented)
        );
        assert_eq!(
            frame(&[("Content-Length", "99999999999")]),
            Err(FramingError::TooLarge)
        );
        for bad in [
            vec![("Content-Length", "5"), ("Transfer-Encoding", "chunked")],
            vec![("Content-Length", "5"), ("Content-Length", "5")],
            vec![("Content-Length", "5, 5")],
            vec![("Content-Length", "+5")],
            vec![("Content-Length", "-1")],
            vec![("Content-Length", "5a")],
            vec![("Content-Length", "0x5")],
            vec![("Content-Length", "")],
            vec![("Content-Length", "99999999999999999999999")],
            vec![("Transfer-Encoding", "gzip")],
            vec![("Transfer-Encoding", "chunked, gzip")],
            vec![("Transfer-Encoding", "chunked, chunked")],
            vec![("Transfer-Encoding", "chunked"), ("Transfer-Encoding", "chunked")],
            vec![("Transfer-Encoding", "xchunked")],
            vec![("Transfer-Encoding", "")],
        ] {
            assert!(
                matches!(frame(&bad), Err(FramingError::BadRequest(_))),
                "{:?}",
                bad
            );
        }
        assert!(matches!(
            framing(&headers(&[("Transfer-Encoding", "chunked")]), true),
            Err(FramingError::BadRequest(_))
        ));
    }

    #[test]
    fn header_lines() {
        assert!(check_header_line(b"Host: x").is_ok());
        assert!(check_header_line(b"X-A:\tv v").is_ok());
        for bad in [
            &b" folded: x"[..],
            b"\tfolded",
            b"Content-Length : 5",
            b"Content Length: 5",
            b": x",
            b"no colon",
            b"X: a\rb",
            b"X: a\nContent-Length: 5",
            b"X: a\0",
        ] {
            assert!(check_header_line(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn request_lines() {
        assert!(check_request_line(b"GET / HTTP/1.1"));
        assert!(!check_request_line(b"GET  / HTTP/1.1"));
        assert!(!check_request_line(b"GET / HTTP/1.1 x"));
        assert!(!check_request_line(b"GET /\ta HTTP/1.1"));
        assert!(!check_request_line(b"G(T / HTTP/1.1"));
    }

    fn chunked(raw: &[u8]) -> Result<Vec<u8>, ChunkedError> {
        read_chunked(&mut std::io::Cursor::new(raw), 16)
    }

    #[test]
    fn chunked_bodies() {
        assert_eq!(chunked(b"5\r\nhello\r\n0\r\n\r\n").unwrap(), b"hello");
        assert_eq!(
            chunked(b"2;x=1\r\nab\r\n1\r\nc\r\n0\r\nT: v\r\n\r\nGET").unwrap(),
            b"abc"
        );
        assert!(matches!(
            chunked(b"11\r\n01234567890123456\r\n0\r\n\r\n"),
            Err(ChunkedError::TooLarge)
        ));
        for bad in [
            &b" 5\r\nhello\r\n0\r\n\r\n"[..],
            b"+5\r\nhello\r\n0\r\n\r\n",
            b"5 \r\nhello\r\n0\r\n\r\n",
            b"0x5\r\nhello\r\n0\r\n\r\n",
            b"5\nhello\r\n0\r\n\r\n",
            b"3\r\nhello\r\n0\r\n\r\n",
            b"5\r\nhello\r\n0\r\n folded: t\r\n\r\n",
            b"5\r\nhel",
            b"",
        ] {
            assert!(chunked(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
