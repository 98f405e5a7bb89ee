//! Hostile request targets and requests: traversal in every encoding, absolute and
//! protocol-relative targets, NUL and control characters, symlinks planted inside the
//! served snapshot, oversized lines, headers and bodies. None may leak a byte from outside
//! the snapshot, and the server must keep answering.

use super::{SECRET, Server, Site};

/// Plants symlinks inside the current snapshot pointing outside it, and returns the
/// manifest-listed paths that now lead through a symlink.
fn plant_symlinks(site: &Site) -> Vec<String> {
    let snap = site.snapshot_dir(&site.current_id());
    let secret = site.dir.path().join("secret.txt");
    let outside = site.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    // A new name (not in the manifest) pointing at the secret file.
    std::os::unix::fs::symlink(&secret, snap.join("api/v1/leak.json")).unwrap();
    // A folder symlink to the scratch folder holding the secret.
    std::os::unix::fs::symlink(site.dir.path(), snap.join("evil")).unwrap();
    // A listed file replaced by a symlink to the secret.
    std::fs::remove_file(snap.join("api/v1/dates.json")).unwrap();
    std::os::unix::fs::symlink(&secret, snap.join("api/v1/dates.json")).unwrap();
    // A listed folder replaced by a symlink to a folder of look-alike files.
    for name in ["index.html", "D02-clubs-2026-11-08.csv"] {
        std::fs::write(outside.join(name), SECRET).unwrap();
    }
    std::fs::rename(snap.join("districts/02"), site.dir.path().join("moved-02")).unwrap();
    std::os::unix::fs::symlink(&outside, snap.join("districts/02")).unwrap();
    vec![
        "/api/v1/dates.json".into(),
        "/districts/02/".into(),
        "/districts/02/index.html".into(),
        "/districts/02/D02-clubs-2026-11-08.csv".into(),
    ]
}

#[test]
fn hostile_paths_never_leak() {
    let site = Site::built();
    std::fs::write(site.root().join("SECRET-in-root.txt"), SECRET).unwrap();
    let id = site.current_id();
    let through_symlinks = plant_symlinks(&site);
    let server = Server::start(&site, Some("admin-token-0123456789abcdef0123456789"), &[]);
    let long = format!("/{}", "a".repeat(5000));
    let very_long = format!("/{}", "b".repeat(20_000));
    let deep = "/a".repeat(100);
    let snap_up = format!("/snapshots/{id}/../../secret.txt");
    let snap_up_encoded = format!("/snapshots/{id}/%2e%2e/%2e%2e/secret.txt");
    let cases: Vec<(&str, u16)> = vec![
        ("/../secret.txt", 400),
        ("/../../../../../../etc/passwd", 400),
        ("/%2e%2e/secret.txt", 400),
        ("/%2E%2E/%2E%2E/etc/passwd", 400),
        ("/.%2e/secret.txt", 400),
        ("/%2e./secret.txt", 400),
        ("/./index.html", 400),
        ("/api/v1/%2e%2e/%2e%2e/%2e%2e/secret.txt", 400),
        ("/%2e%2e%2fsecret.txt", 400),
        ("/..%2f..%2fsecret.txt", 400),
        ("/%2fetc%2fpasswd", 400),
        ("/..%5csecret.txt", 400),
        ("/%5c..%5c..%5csecret.txt", 400),
        ("/..\\..\\secret.txt", 400),
        ("/%252e%252e/secret.txt", 404),
        ("/%252e%252e%252fsecret.txt", 404),
        ("/%25%32%65%25%32%65/secret.txt", 404),
        ("/%c0%ae%c0%ae/secret.txt", 400),
        ("/%c0%ae%c0%ae%c0%afsecret.txt", 400),
        ("/%e0%80%ae%e0%80%ae/secret.txt", 400),
        ("/%c1%9c..%c1%9csecret.txt", 400),
        ("/%ff%fe", 400),
        ("//etc/passwd", 400),
        ("//evil.example/", 400),
        ("/%2f%2fevil.example/", 400),
        ("/etc/passwd", 404),
        ("/tmp/", 404),
        ("http://127.0.0.1/../secret.txt", 400),
        ("http://evil.example/index.html", 400),
        ("*", 400),
        ("secret.txt", 400),
        ("/index.html%00", 400),
        ("/%00../secret.txt", 400),
        ("/api/v1/rankings.json%00.html", 400),
        ("/a%0d%0aSet-Cookie:%20x=1", 400),
        ("/districts%0d%0aLocation:%20//evil.example", 400),
        ("/%", 400),
        ("/%zz", 400),
        ("/current/../secret.txt", 400),
        ("/current.json/../builds.jsonl", 400),
        ("/snapshots/../secret.txt", 400),
        ("/snapshots/%2e%2e/secret.txt", 400),
        ("/snapshots/..%2f..%2fsecret.txt", 400),
        (&snap_up, 400),
        (&snap_up_encoded, 400),
        ("/snapshots/", 404),
        ("/snapshots", 404),
        ("/snapshots/.staging/", 404),
        ("/current/index.html", 404),
        ("/builds.jsonl", 404),
        ("/admin-audit.jsonl", 404),
        ("/SECRET-in-root.txt", 404),
        ("/.lock", 404),
        ("/.toaststats-site", 404),
        ("/failed/", 404),
        ("/api/v1/leak.json", 404),
        ("/evil/secret.txt", 404),
        ("/evil/site/current.json", 404),
        ("/index.html/", 404),
        ("/index.html/..", 400),
        (&long, 414),
        (&very_long, 414),
        (&deep, 414),
    ];
    assert!(cases.len() >= 30);
    let mut responses = Vec::new();
    for (target, want) in &cases {
        for method in ["GET", "HEAD"] {
            let r = server.send(method, target, &[]);
            assert_eq!(
                r.status,
                *want,
                "{method} {target}: {}",
                String::from_utf8_lossy(&r.raw[..r.raw.len().min(300)])
            );
            if let Some(loc) = r.header("Location") {
                assert!(
                    loc.starts_with('/') && !loc.starts_with("//"),
                    "{target}: {loc}"
                );
            }
            responses.push(r);
        }
    }
    for path in &through_symlinks {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path} leads through a planted symlink");
        responses.push(r);
    }
    // The query is not part of the path: these serve the page itself, nothing else.
    let r = server.get("/index.html?../../secret.txt");
    assert_eq!(r.status, 200);
    responses.push(r);
    // Raw requests tiny_http refuses before we see them: non-ASCII, bare LF in the target.
    for raw in [
        &b"GET /\xc0\xae\xc0\xae/secret.txt HTTP/1.1\r\nHost: x\r\n\r\n"[..],
        b"GET /a\nb/../../secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"GET /../secret.txt HTTP/1.0\r\n\r\n",
        b"GET ../secret.txt\r\n\r\n",
    ] {
        let r = server.raw(raw);
        assert!(
            matches!(r.status, 0 | 400),
            "{:?}: {}",
            String::from_utf8_lossy(raw),
            String::from_utf8_lossy(&r.raw)
        );
        responses.push(r);
    }
    let builds_log = std::fs::read_to_string(site.root().join("builds.jsonl")).unwrap();
    for r in &responses {
        let raw = String::from_utf8_lossy(&r.raw);
        assert!(!raw.contains(SECRET), "leaked the secret: {raw}");
        assert!(!raw.contains("root:x:0:0"), "leaked /etc/passwd");
        assert!(
            !raw.contains(builds_log.lines().next().unwrap()),
            "leaked builds.jsonl"
        );
        assert!(!raw.contains("Set-Cookie"), "header injection: {raw}");
    }
    assert_eq!(server.get("/").status, 200, "the server still answers");
}

#[test]
fn oversized_and_malformed_requests_are_refused_and_survived() {
    let site = Site::built();
    let server = Server::start(&site, Some("admin-token-0123456789abcdef0123456789"), &[]);
    let big_header = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "h".repeat(20_000)
    );
    assert_eq!(server.raw(big_header.as_bytes()).status, 431);
    let mut many = String::from("GET / HTTP/1.1\r\nHost: x\r\n");
    for i in 0..300 {
        many.push_str(&format!("X-H{i}: v\r\n"));
    }
    many.push_str("\r\n");
    assert_eq!(server.raw(many.as_bytes()).status, 431);
    // A declared body far beyond memory: upstream tiny_http 0.12 aborted the process here.
    for target in ["/", "/api/admin/refresh"] {
        let req = format!(
            "POST {target} HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999\r\n\r\nabc"
        );
        assert_eq!(server.raw(req.as_bytes()).status, 413);
    }
    let req =
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\nExpect: 100-continue\r\n\r\n";
    assert_eq!(server.raw(req.as_bytes()).status, 413);
    // A small body is read and ignored; the method is still not allowed on a file.
    let req = "PUT /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
    let r = server.raw(req.as_bytes());
    assert_eq!(r.status, 405);
    assert_eq!(r.header("Allow"), Some("GET, HEAD"));
    assert_eq!(server.raw(b"GET / HTTP/2.0\r\nHost: x\r\n\r\n").status, 505);
    assert_eq!(
        server
            .raw(b"BREW / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .status,
        405
    );
    assert_eq!(server.raw(b"\r\n\r\n").status, 400);
    // Half a request, then the client goes away: nothing to answer, nothing breaks.
    let _ = server.raw(b"GET /index.ht");
    for _ in 0..3 {
        assert_eq!(server.get("/").status, 200, "the server still answers");
    }
}
