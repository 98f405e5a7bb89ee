use ascii::AsciiString;

use std::io::Error as IoError;
use std::io::Result as IoResult;
use std::io::{BufReader, BufWriter, ErrorKind, Read};

use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use crate::common::{HTTPVersion, Method};
use crate::util::{RefinedTcpStream, RequestClock};
use crate::util::{SequentialReader, SequentialReaderBuilder, SequentialWriterBuilder};
use crate::Request;

/// A ClientConnection is an object that will store a socket to a client
/// and return Request objects.
pub struct ClientConnection {
    // address of the client
    remote_addr: IoResult<Option<SocketAddr>>,

    // sequence of Readers to the stream, so that the data is not read in
    //  the wrong order
    source: SequentialReaderBuilder<BufReader<RefinedTcpStream>>,

    // sequence of Writers to the stream, to avoid writing response #2 before
    //  response #1
    sink: SequentialWriterBuilder<BufWriter<RefinedTcpStream>>,

    // Reader to read the next header from
    next_header_source: SequentialReader<BufReader<RefinedTcpStream>>,

    // set to true if we know that the previous request is the last one
    no_more_requests: bool,

    // true if the connection goes through SSL
    secure: bool,

    /// Patched: the deadline of the request being read (shared with the socket's read
    /// half), and how long a request may take from its first byte.
    clock: Arc<RequestClock>,
    deadline: Duration,
}

/// Error that can happen when reading a request.
#[derive(Debug)]
enum ReadError {
    WrongRequestLine,
    /// Patched: with what is wrong with it.
    WrongHeader(HTTPVersion, &'static str),
    /// the client sent an unrecognized `Expect` header
    ExpectationFailed(HTTPVersion),
    ReadIoError(IoError),
    /// Patched: the request line is longer than `limits::MAX_REQUEST_LINE`.
    UriTooLong,
    /// Patched: a header line, or all of them, or their number, is beyond the limits.
    HeadTooLarge(HTTPVersion),
    /// Patched: the declared body is larger than `limits::MAX_BODY_BYTES`.
    PayloadTooLarge(HTTPVersion),
    /// Patched: the request cannot be framed reliably (400; see `framing.rs`).
    BadFraming(HTTPVersion, &'static str),
    /// Patched: a transfer coding this server does not implement (501).
    NotImplemented(HTTPVersion),
}

impl ClientConnection {
    /// Creates a new `ClientConnection` that takes ownership of the `TcpStream`.
    pub fn new(
        write_socket: RefinedTcpStream,
        mut read_socket: RefinedTcpStream,
    ) -> ClientConnection {
        let remote_addr = read_socket.peer_addr();
        let secure = read_socket.secure();
        let clock = Arc::new(RequestClock::default());
        read_socket.set_clock(clock.clone());
        // Patched: the first request's clock runs from the accept, not its first byte:
        // a connection that sends nothing is held no longer than a slow one.
        clock.start(crate::limits::REQUEST_DEADLINE);

        let mut source = SequentialReaderBuilder::new(BufReader::with_capacity(1024, read_socket));
        let first_header = source.next().unwrap();

        ClientConnection {
            source,
            sink: SequentialWriterBuilder::new(BufWriter::with_capacity(1024, write_socket)),
            remote_addr,
            next_header_source: first_header,
            no_more_requests: false,
            secure,
            clock,
            deadline: crate::limits::REQUEST_DEADLINE,
        }
    }

    /// Patched: the request clock, for the accept thread to see unfinished requests.
    pub(crate) fn clock(&self) -> Arc<RequestClock> {
        self.clock.clone()
    }

    /// true if the connection is HTTPS
    pub fn secure(&self) -> bool {
        self.secure
    }

    /// Reads the next line from self.next_header_source.
    ///
    /// Reads until `CRLF` is reached. The next read will start
    ///  at the first byte of the new line.
    ///
    /// Patched: `Ok(None)` when the line grows beyond `limit` bytes; the first byte of a
    /// request starts its clock (a `TimedOut` error from the socket once it has run out).
    fn read_next_line(&mut self, limit: usize) -> IoResult<Option<AsciiString>> {
        let mut buf = Vec::new();
        let mut prev_byte_was_cr = false;

        loop {
            if buf.len() > limit {
                return Ok(None);
            }
            let byte = self.next_header_source.by_ref().bytes().next();

            let byte = match byte {
                Some(b) => b?,
                None => return Err(IoError::new(ErrorKind::ConnectionAborted, "Unexpected EOF")),
            };
            self.clock.start(self.deadline);

            if byte == b'\n' && prev_byte_was_cr {
                buf.pop(); // removing the '\r'
                return AsciiString::from_ascii(buf)
                    .map(Some)
                    .map_err(|_| IoError::new(ErrorKind::InvalidInput, "Header is not in ASCII"));
            }

            prev_byte_was_cr = byte == b'\r';

            buf.push(byte);
        }
    }

    /// Reads a request from the stream.
    /// Blocks until the header has been read.
    fn read(&mut self) -> Result<Request, ReadError> {
        // Patched: the clock runs from the request's first byte until it is read whole.
        let request = self.read_request();
        self.clock.stop();
        request
    }

    fn read_request(&mut self) -> Result<Request, ReadError> {
        let (method, path, version, headers) = {
            use crate::limits;
            // reading the request line
            let (method, path, version) = {
                let line = self
                    .read_next_line(limits::MAX_REQUEST_LINE)
                    .map_err(ReadError::ReadIoError)?
                    .ok_or(ReadError::UriTooLong)?;

                // Patched: strictly `method SP target SP version`, nothing trimmed.
                if !crate::framing::check_request_line(line.as_bytes()) {
                    return Err(ReadError::WrongRequestLine);
                }
                parse_request_line(line.as_str())?
            };

            // getting all headers
            let headers = {
                let mut headers = Vec::new();
                let mut head_bytes = 0;
                loop {
                    let too_large = || ReadError::HeadTooLarge(version.clone());
                    let line = self
                        .read_next_line(limits::MAX_HEADER_LINE)
                        .map_err(ReadError::ReadIoError)?
                        .ok_or_else(too_large)?;

                    if line.is_empty() {
                        break;
                    };
                    // Patched: obs-fold, a space before the colon, a bare CR or LF
                    // inside a line: 400 and close (RFC 9112 §5), never a guess.
                    if let Err(why) = crate::framing::check_header_line(line.as_bytes()) {
                        return Err(ReadError::WrongHeader(version, why));
                    }
                    head_bytes += line.len();
                    if head_bytes > limits::MAX_HEAD_BYTES || headers.len() >= limits::MAX_HEADERS
                    {
                        return Err(too_large());
                    }
                    headers.push(match FromStr::from_str(line.as_str().trim()) {
                        // TODO: remove this conversion
                        Ok(h) => h,
                        _ => return Err(ReadError::WrongHeader(version, "a malformed header line")),
                    });
                }

                headers
            };

            (method, path, version, headers)
        };

        // building the writer for the request
        let writer = self.sink.next().unwrap();

        // follow-up for next potential request
        let mut data_source = self.source.next().unwrap();
        std::mem::swap(&mut self.next_header_source, &mut data_source);

        // building the next reader
        let request = crate::request::new_request(
            self.secure,
            method,
            path,
            version.clone(),
            headers,
            *self.remote_addr.as_ref().unwrap(),
            data_source,
            writer,
        )
        .map_err(|e| {
            use crate::request;
            match e {
                request::RequestCreationError::CreationIoError(e) => ReadError::ReadIoError(e),
                request::RequestCreationError::ExpectationFailed => {
                    ReadError::ExpectationFailed(version)
                }
                request::RequestCreationError::PayloadTooLarge => {
                    ReadError::PayloadTooLarge(version)
                }
                request::RequestCreationError::BadFraming(why) => {
                    ReadError::BadFraming(version, why)
                }
                request::RequestCreationError::NotImplemented => {
                    ReadError::NotImplemented(version)
                }
            }
        })?;

        // return the request
        Ok(request)
    }
}

impl Iterator for ClientConnection {
    type Item = Request;

    /// Blocks until the next Request is available.
    /// Returns None when no new Requests will come from the client.
    fn next(&mut self) -> Option<Request> {
        use crate::{Response, StatusCode};

        // the client sent a "connection: close" header in this previous request
        //  or is using HTTP 1.0, meaning that no new request will come
        if self.no_more_requests {
            return None;
        }

        loop {
            // Patched: every refusal closes the connection (where the next request would
            // start is unknown) and says so with `Connection: close`; the arms differ only
            // in their status.
            let refused = match self.read() {
                Ok(rq) => Ok(rq),
                // we don't know where the next request would start, so we have to close
                Err(ReadError::WrongRequestLine) => {
                    Err((400, HTTPVersion(1, 1), "a malformed request line"))
                }
                Err(ReadError::WrongHeader(ver, why)) => Err((400, ver, why)),
                // request timeout
                Err(ReadError::ReadIoError(ref err)) if err.kind() == ErrorKind::TimedOut => {
                    Err((408, HTTPVersion(1, 1), ""))
                }
                // TODO: should be recoverable, but needs handling in case of body
                Err(ReadError::ExpectationFailed(ver)) => Err((417, ver, "")),
                // Patched: oversized requests; the rest of the request is never read.
                Err(ReadError::UriTooLong) => Err((414, HTTPVersion(1, 1), "")),
                Err(ReadError::HeadTooLarge(ver)) => Err((431, ver, "")),
                Err(ReadError::PayloadTooLarge(ver)) => Err((413, ver, "")),
                // Patched: where this request ends is unknown (RFC 9112 §6.3).
                Err(ReadError::BadFraming(ver, why)) => Err((400, ver, why)),
                Err(ReadError::NotImplemented(ver)) => Err((501, ver, "")),
                Err(ReadError::ReadIoError(_)) => return None,
            };
            let rq = match refused {
                Err((status, ver, why)) => {
                    let writer = self.sink.next().unwrap();
                    let status = StatusCode(status);
                    // The body names the status, and why when there is more to say.
                    let mut text = format!("{} {}", status.0, status.default_reason_phrase());
                    if !why.is_empty() {
                        text.push_str(": ");
                        text.push_str(why);
                    }
                    text.push('\n');
                    let response = Response::from_string(text)
                        .with_status_code(status)
                        .with_connection_close();
                    response.raw_print(writer, ver, &[], false, None).ok();
                    return None;
                }
                Ok(rq) => rq,
            };

            // checking HTTP version
            if *rq.http_version() > (1, 1) {
                // Patched: answer through the request itself and close. Upstream printed
                // the 505 on a later writer, never flushed it, and dropping the request
                // queued a 500 ahead of it.
                let response = Response::from_string(
                    "This server only supports HTTP versions 1.0 and 1.1".to_owned(),
                )
                .with_status_code(StatusCode(505));
                rq.respond(response).ok();
                return None;
            }

            // updating the status of the connection
            let connection_header = rq
                .headers()
                .iter()
                .find(|h| h.field.equiv("Connection"))
                .map(|h| h.value.as_str());

            let lowercase = connection_header.map(|h| h.to_ascii_lowercase());

            match lowercase {
                Some(ref val) if val.contains("close") => self.no_more_requests = true,
                Some(ref val) if val.contains("upgrade") => self.no_more_requests = true,
                Some(ref val)
                    if !val.contains("keep-alive") && *rq.http_version() == HTTPVersion(1, 0) =>
                {
                    self.no_more_requests = true
                }
                None if *rq.http_version() == HTTPVersion(1, 0) => self.no_more_requests = true,
                _ => (),
            };

            // returning the request
            return Some(rq);
        }
    }
}

/// Parses a "HTTP/1.1" string.
fn parse_http_version(version: &str) -> Result<HTTPVersion, ReadError> {
    let (major, minor) = match version {
        "HTTP/0.9" => (0, 9),
        "HTTP/1.0" => (1, 0),
        "HTTP/1.1" => (1, 1),
        "HTTP/2.0" => (2, 0),
        "HTTP/3.0" => (3, 0),
        _ => return Err(ReadError::WrongRequestLine),
    };

    Ok(HTTPVersion(major, minor))
}

/// Parses the request line of the request.
/// eg. GET / HTTP/1.1
fn parse_request_line(line: &str) -> Result<(Method, String, HTTPVersion), ReadError> {
    let mut parts = line.split(' ');

    let method = parts.next().and_then(|w| w.parse().ok());
    let path = parts.next().map(ToOwned::to_owned);
    let version = parts.next().and_then(|w| parse_http_version(w).ok());

    method
        .and_then(|method| Some((method, path?, version?)))
        .ok_or(ReadError::WrongRequestLine)
}

#[cfg(test)]
mod test {
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};

    /// Sends a request head one line every `every`, reading between lines; returns what
    /// the server answered (once it answers, nothing more is sent).
    fn drip(addr: std::net::SocketAddr, every: Duration) -> String {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(every)).unwrap();
        let _ = s.write_all(b"GET / HTTP/1.1\r\n");
        let mut answer = Vec::new();
        for i in 0..40 {
            let mut buf = [0u8; 512];
            match s.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    answer.extend_from_slice(&buf[..n]);
                    continue;
                }
                Err(_) if answer.is_empty() => {}
                Err(_) => break,
            }
            if s.write_all(format!("X-{}: v\r\n", i).as_bytes()).is_err() {
                break;
            }
        }
        String::from_utf8_lossy(&answer).into_owned()
    }

    #[test]
    fn a_slowloris_head_gets_408_at_the_request_deadline() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let client = std::thread::spawn(move || drip(addr, Duration::from_millis(100)));
        let (sock, _) = listener.accept().unwrap();
        let (read, write) =
            crate::util::RefinedTcpStream::try_new(crate::connection::Connection::from(sock))
                .unwrap();
        let mut connection = super::ClientConnection::new(write, read);
        // Each line comes well within any per-read timeout; the whole head does not.
        connection.deadline = Duration::from_millis(600);
        // The clock started at the accept with the real deadline: restart it with this one.
        connection.clock.stop();
        connection.clock.start(connection.deadline);
        let start = Instant::now();
        assert!(connection.next().is_none());
        let took = start.elapsed();
        assert!(
            took >= Duration::from_millis(550) && took < Duration::from_millis(1500),
            "{:?}",
            took
        );
        drop(connection);
        let answer = client.join().unwrap();
        assert!(answer.starts_with("HTTP/1.1 408 Request Timeout"), "{}", answer);
        assert!(answer.contains("Connection: close"), "{}", answer);
    }

    /// Patched: a connection that sends nothing is bounded from its accept, as a slow one.
    #[test]
    fn a_silent_connection_gets_408_at_the_request_deadline() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let client = std::thread::spawn(move || {
            let mut s = std::net::TcpStream::connect(addr).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut answer = Vec::new();
            let _ = std::io::Read::read_to_end(&mut s, &mut answer);
            String::from_utf8_lossy(&answer).into_owned()
        });
        let (sock, _) = listener.accept().unwrap();
        let (read, write) =
            crate::util::RefinedTcpStream::try_new(crate::connection::Connection::from(sock))
                .unwrap();
        let mut connection = super::ClientConnection::new(write, read);
        connection.clock.stop();
        connection.clock.start(Duration::from_millis(300));
        let start = Instant::now();
        assert!(connection.next().is_none());
        assert!(start.elapsed() < Duration::from_millis(1500));
        drop(connection);
        let answer = client.join().unwrap();
        assert!(answer.starts_with("HTTP/1.1 408"), "{}", answer);
    }

    #[test]
    fn test_parse_request_line() {
        let (method, path, ver) = super::parse_request_line("GET /hello HTTP/1.1").unwrap();

        assert!(method == crate::Method::Get);
        assert!(path == "/hello");
        assert!(ver == crate::common::HTTPVersion(1, 1));

        assert!(super::parse_request_line("GET /hello").is_err());
        assert!(super::parse_request_line("qsd qsd qsd").is_err());
    }
}
