//! `toaststats serve` driven over raw `std::net::TcpStream` requests (curl and browsers
//! normalise paths, so they cannot send the hostile ones). Every server is the real binary
//! on 127.0.0.1 with a port it picks itself, killed when its guard drops; every read and
//! loop is bounded.

mod admin;
mod files;
mod hostile;
mod integrity;
mod publish;
mod slow_readers;
pub(crate) mod slowloris;
mod smuggling;

use crate::support;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The committed sample cache.
pub fn sample() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample")
        .display()
        .to_string()
}

/// A scratch folder with a site root built from the sample, and a secret planted beside
/// the site root that no response may ever contain.
pub struct Site {
    pub dir: tempfile::TempDir,
}

pub const SECRET: &str = "TOP-SECRET-7f3a9c-never-served";

impl Site {
    /// A site root with nothing built yet.
    pub fn empty() -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("secret.txt"), SECRET).unwrap();
        std::fs::create_dir_all(dir.path().join("site")).unwrap();
        Site { dir }
    }

    /// A site root with the sample's newest date published.
    pub fn built() -> Site {
        let site = Site::empty();
        site.build(&[
            "--date",
            "2026-11-08",
            "--snapshot-time",
            "2026-11-09T06:00:00Z",
        ]);
        site
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    /// Runs `toaststats build` on the sample into this site root.
    pub fn build(&self, extra: &[&str]) -> std::process::Output {
        let (cache, root) = (sample(), self.root().display().to_string());
        let mut args = vec!["build", "--cache", &cache, "--site", &root];
        args.extend_from_slice(extra);
        let out = support::run(&args);
        assert!(out.status.success(), "{}", support::stderr(&out));
        out
    }

    pub fn current_id(&self) -> String {
        let target = std::fs::read_link(self.root().join("current")).unwrap();
        target.file_name().unwrap().to_string_lossy().into_owned()
    }

    pub fn snapshot_dir(&self, id: &str) -> PathBuf {
        self.root().join("snapshots").join(id)
    }

    /// `path → sha256` of a snapshot's manifest.
    pub fn manifest(&self, id: &str) -> std::collections::HashMap<String, String> {
        let bytes = std::fs::read(self.snapshot_dir(id).join("manifest.json")).unwrap();
        let m: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        m["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    f["sha256"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }
}

pub fn support_run(args: &[&str]) -> std::process::Output {
    support::run(args)
}

/// A running `toaststats serve`; killed on drop.
pub struct Server {
    child: Child,
    pub addr: String,
    pub stderr_path: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts the server on `site` (port picked by the OS) with `ADMIN_TOKEN` set to
    /// `token` or unset.
    pub fn start(site: &Site, token: Option<&str>, extra: &[&str]) -> Server {
        let stderr_path = site
            .dir
            .path()
            .join(format!("serve-stderr-{}.txt", rand_suffix()));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_toaststats"));
        cmd.args(["serve", "--site"])
            .arg(site.root())
            .args(["--bind", "127.0.0.1:0", "--workers", "4"])
            .args(extra)
            .env_remove("SOURCE_DATE_EPOCH")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr_path).unwrap());
        match token {
            Some(t) => cmd.env("ADMIN_TOKEN", t),
            None => cmd.env_remove("ADMIN_TOKEN"),
        };
        let mut child = cmd.spawn().expect("start toaststats serve");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let mut server = Server {
            child,
            addr: String::new(),
            stderr_path,
        };
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("serve printed no address: {}", server.stderr()));
        server.addr = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}: {}", server.stderr()))
            .to_string();
        assert!(server.addr.starts_with("127.0.0.1:"), "{}", server.addr);
        server
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    /// A connection from another loopback address: see [`connect_from`].
    pub fn connect_from(&self, local: std::net::Ipv4Addr) -> std::io::Result<TcpStream> {
        connect_from(&self.addr, local)
    }

    /// Sends raw bytes on a fresh connection and reads until the server closes it.
    pub fn raw(&self, request: &[u8]) -> Response {
        let stream = TcpStream::connect(&self.addr).expect("connect");
        Self::exchange(stream, request)
    }

    /// [`Server::raw`] from another loopback address.
    pub fn raw_from(&self, local: std::net::Ipv4Addr, request: &[u8]) -> Response {
        Self::exchange(self.connect_from(local).expect("connect"), request)
    }

    fn exchange(mut stream: TcpStream, request: &[u8]) -> Response {
        stream
            .set_read_timeout(Some(Duration::from_secs(15)))
            .unwrap();
        stream
            .set_write_timeout(Some(Duration::from_secs(15)))
            .unwrap();
        // The server may answer (and close) before it has read everything we send. Our
        // side is closed after the request so a half request ends at once.
        let _ = stream.write_all(request);
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let mut raw = Vec::new();
        let _ = stream.take(16 << 20).read_to_end(&mut raw);
        Response::parse(raw)
    }

    /// `METHOD target` with extra header lines, `Connection: close`.
    pub fn send(&self, method: &str, target: &str, headers: &[(&str, &str)]) -> Response {
        self.raw(request(method, target, headers).as_bytes())
    }

    /// [`Server::send`] from another loopback address.
    pub fn send_from(
        &self,
        local: std::net::Ipv4Addr,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
    ) -> Response {
        self.raw_from(local, request(method, target, headers).as_bytes())
    }

    pub fn get(&self, target: &str) -> Response {
        self.send("GET", target, &[])
    }
}

/// A connection to `addr` from another loopback address (`127.0.0.2`), which the server
/// sees as another client: per-client limits are tested with it. Loopback only.
pub fn connect_from(addr: &str, local: std::net::Ipv4Addr) -> std::io::Result<TcpStream> {
    assert!(local.is_loopback());
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)?;
    socket.bind(&std::net::SocketAddr::from((local, 0)).into())?;
    let server: std::net::SocketAddr = addr.parse().expect("server address");
    socket.connect_timeout(&server.into(), Duration::from_secs(5))?;
    Ok(socket.into())
}

/// `METHOD target HTTP/1.1` with `Host`, the given headers and `Connection: close`.
pub fn request(method: &str, target: &str, headers: &[(&str, &str)]) -> String {
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::SeqCst)
}

/// A parsed response; `status` is 0 when the server closed without answering.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub raw: Vec<u8>,
}

impl Response {
    fn parse(raw: Vec<u8>) -> Response {
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n");
        let Some(split) = split else {
            return Response {
                status: 0,
                headers: Vec::new(),
                body: Vec::new(),
                raw,
            };
        };
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let body = raw[split + 4..].to_vec();
        Response {
            status,
            headers,
            body,
            raw,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.raw)))
    }

    /// The ETag without its quotes.
    pub fn etag(&self) -> Option<String> {
        self.header("ETag").map(|t| t.trim_matches('"').to_string())
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}
