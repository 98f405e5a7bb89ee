//! Request smuggling (issue 10 item 12): every request whose end a proxy and this server
//! could see differently (RFC 9112 §5 and §6) gets 400 and the connection closed, so the
//! request hidden behind it is never parsed.

use super::{Server, Site};

/// What follows each hostile request on the same connection: were it parsed, a second
/// response would come back.
const SMUGGLED: &str = "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n";

/// The status lines in a raw answer.
fn status_lines(raw: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(raw)
        .lines()
        .filter(|l| l.starts_with("HTTP/1."))
        .map(|l| l.trim_end().to_string())
        .collect()
}

#[test]
fn request_smuggling_gets_400_and_the_connection_closed() {
    let site = Site::built();
    let server = Server::start(&site, None, &[]);
    let cases: [(&str, &str); 14] = [
        (
            "CL and TE",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        ),
        (
            "TE and CL",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
        ),
        (
            "duplicate CL",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 40\r\n\r\n",
        ),
        (
            "same CL twice",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
        ),
        (
            "CL list",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0, 0\r\n\r\n",
        ),
        (
            "signed CL",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +0\r\n\r\n",
        ),
        (
            "hex CL",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x0\r\n\r\n",
        ),
        (
            "TE not chunked",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
        ),
        (
            "TE chunked not final",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
        ),
        (
            "TE twice",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        ),
        (
            "obs-fold",
            "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n Content-Length: 40\r\n\r\n",
        ),
        (
            "space before colon",
            "GET / HTTP/1.1\r\nHost: x\r\nContent-Length : 40\r\n\r\n",
        ),
        (
            "bare LF in a header",
            "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\nContent-Length: 40\r\n\r\n",
        ),
        (
            "lenient chunk size",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n 0\r\n\r\n",
        ),
    ];
    for (name, hostile) in cases {
        let r = server.raw(format!("{hostile}{SMUGGLED}").as_bytes());
        let lines = status_lines(&r.raw);
        assert_eq!(
            lines,
            ["HTTP/1.1 400 Bad Request"],
            "{name}: {}",
            String::from_utf8_lossy(&r.raw)
        );
        assert_eq!(r.header("Connection"), Some("close"), "{name}");
        assert!(
            r.text().starts_with("400 Bad Request: "),
            "{name}: {}",
            r.text()
        );
    }
    let r = server.raw(b"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n");
    assert_eq!(
        r.text(),
        "400 Bad Request: obs-fold (a header line starting with whitespace)\n"
    );
    // Codings before a final chunked are framed correctly but not implemented: 501, closed.
    let r = server.raw(
        format!("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n{SMUGGLED}")
            .as_bytes(),
    );
    assert_eq!(status_lines(&r.raw), ["HTTP/1.1 501 Not Implemented"]);
    // HTTP/1.0 has no chunked coding.
    let r = server.raw(
        format!("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n{SMUGGLED}")
            .as_bytes(),
    );
    assert_eq!(status_lines(&r.raw), ["HTTP/1.0 400 Bad Request"]);
}

#[test]
fn well_framed_bodies_keep_the_connection_in_step() {
    let site = Site::built();
    let server = Server::start(&site, None, &[]);
    // A chunked body (with an extension and a trailer) and a Content-Length body are read
    // whole, so the pipelined request after each is parsed where it really starts.
    let raw = "PUT /index.html HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;e=1\r\nGET /\r\n0\r\nT: v\r\n\r\n\
         PUT /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nGET /\
         GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    let r = server.raw(raw.as_bytes());
    let lines = status_lines(&r.raw);
    assert_eq!(lines.len(), 3, "{}", String::from_utf8_lossy(&r.raw));
    assert!(lines[0].contains(" 405 "), "{lines:?}");
    assert!(lines[1].contains(" 405 "), "{lines:?}");
    assert!(lines[2].contains(" 200 "), "{lines:?}");
}
