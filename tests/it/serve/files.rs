//! Serving files like the production host: GET and HEAD, content types from the table,
//! strong ETags from the manifest and 304, cache classes (current paths revalidate,
//! `/snapshots/<id>/` immutable), CORS on JSON, folder redirects, 404.html, 405, 500 on a
//! file that no longer matches its manifest, 503 with nothing published, and the header
//! files written into every snapshot.

use super::{Server, Site, sha256_hex};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

#[test]
fn files_head_etags_and_cache_classes() {
    let site = Site::built();
    let id = site.current_id();
    let manifest = site.manifest(&id);
    let server = Server::start(&site, None, &[]);

    for (path, file, content_type) in [
        ("/", "index.html", "text/html; charset=utf-8"),
        (
            "/api/v1/rankings.json",
            "api/v1/rankings.json",
            "application/json",
        ),
        (
            "/districts/02/",
            "districts/02/index.html",
            "text/html; charset=utf-8",
        ),
        (
            "/districts/02/D02-clubs-2026-11-08.csv",
            "districts/02/D02-clubs-2026-11-08.csv",
            "text/csv; charset=utf-8",
        ),
        (
            "/assets/site.css",
            "assets/site.css",
            "text/css; charset=utf-8",
        ),
        (
            "/assets/sort.js",
            "assets/sort.js",
            "text/javascript; charset=utf-8",
        ),
        ("/_headers", "_headers", "application/octet-stream"),
    ] {
        let get = server.get(path);
        assert_eq!(get.status, 200, "{path}");
        let on_disk = std::fs::read(site.snapshot_dir(&id).join(file)).unwrap();
        assert_eq!(get.body, on_disk, "{path}");
        assert_eq!(get.header("Content-Type"), Some(content_type), "{path}");
        assert_eq!(
            get.etag().as_deref(),
            Some(manifest[file].as_str()),
            "{path}"
        );
        assert_eq!(get.etag(), Some(sha256_hex(&get.body)));
        assert_eq!(get.header("Cache-Control"), Some("no-cache"), "{path}");
        assert_eq!(get.header("X-Content-Type-Options"), Some("nosniff"));
        assert_eq!(
            get.header("Content-Length"),
            Some(on_disk.len().to_string().as_str())
        );
        assert!(
            get.header("Last-Modified")
                .is_some_and(|d| d.ends_with(" GMT"))
        );
        assert_eq!(get.header("X-Toaststats-Snapshot"), Some(id.as_str()));
        let cors = get.header("Access-Control-Allow-Origin");
        assert_eq!(cors.is_some(), file.ends_with(".json"), "{path}");

        let head = server.send("HEAD", path, &[]);
        assert_eq!(head.status, 200);
        assert!(head.body.is_empty(), "HEAD sends no body");
        let strip = |r: &super::Response| -> Vec<(String, String)> {
            r.headers
                .iter()
                .filter(|(k, _)| k != "Date")
                .cloned()
                .collect()
        };
        assert_eq!(
            strip(&head),
            strip(&get),
            "HEAD and GET headers differ for {path}"
        );

        let tag = get.header("ETag").unwrap().to_string();
        for inm in [tag.clone(), format!("\"0000\", W/{tag}"), "*".to_string()] {
            let r = server.send("GET", path, &[("If-None-Match", &inm)]);
            assert_eq!(r.status, 304, "{path} If-None-Match: {inm}");
            assert!(r.body.is_empty());
            assert_eq!(r.header("ETag"), Some(tag.as_str()));
            assert_eq!(r.header("Cache-Control"), Some("no-cache"));
        }
        let r = server.send("GET", path, &[("If-None-Match", "\"0000\"")]);
        assert_eq!(r.status, 200);
    }

    // The same file under its immutable path.
    let r = server.get(&format!("/snapshots/{id}/api/v1/rankings.json"));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("Cache-Control"), Some(IMMUTABLE));
    assert_eq!(
        r.etag().as_deref(),
        Some(manifest["api/v1/rankings.json"].as_str())
    );
    assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"));
    let r = server.get(&format!("/snapshots/{id}/"));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("Cache-Control"), Some(IMMUTABLE));
    let r = server.get(&format!("/snapshots/{id}"));
    assert_eq!(r.status, 301);
    assert_eq!(
        r.header("Location"),
        Some(format!("/snapshots/{id}/").as_str())
    );
    let r = server.get(&format!("/snapshots/{id}/no-such-file"));
    assert_eq!(r.status, 404);
    assert_eq!(
        r.header("Cache-Control"),
        Some("no-cache"),
        "a 404 is never immutable"
    );
    assert_eq!(
        server.get("/snapshots/20990101T000000Z-deadbeef/").status,
        404
    );

    // The manifest itself and the pointer.
    let r = server.get("/manifest.json");
    assert_eq!(r.status, 200);
    assert_eq!(r.etag(), Some(sha256_hex(&r.body)));
    let r = server.get("/current.json");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["snapshot_id"], id.as_str());
    assert_eq!(r.header("Cache-Control"), Some("no-cache"));
    assert_eq!(r.etag(), Some(sha256_hex(&r.body)));
    assert!(r.header("X-Toaststats-Snapshot").is_none());
    let tag = r.header("ETag").unwrap().to_string();
    assert_eq!(
        server
            .send("GET", "/current.json", &[("If-None-Match", &tag)])
            .status,
        304
    );

    // Folders: redirect to the trailing slash (query kept), then index.html; no listings.
    let r = server.get("/districts/02?sort=name");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("Location"), Some("/districts/02/?sort=name"));
    let r = server.get("/api");
    assert_eq!((r.status, r.header("Location")), (301, Some("/api/")));
    let r = server.get("/api/v1/");
    assert_eq!(r.status, 404, "a folder without index.html is not listed");
    // under /api/ a miss is a JSON error (issue 15), not the HTML page
    assert_eq!(r.json()["error"]["code"], "NOT_FOUND");
    let page = std::fs::read(site.snapshot_dir(&id).join("404.html")).unwrap();
    let r = server.get("/no/such/page");
    assert_eq!(r.status, 404);
    assert_eq!(r.body, page, "404 answers with the snapshot's 404.html");
    assert_eq!(r.header("Content-Type"), Some("text/html; charset=utf-8"));
    let r = server.send("HEAD", "/no/such/page", &[]);
    assert_eq!((r.status, r.body.len()), (404, 0));

    // Methods other than GET and HEAD.
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"] {
        let r = server.send(method, "/index.html", &[]);
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("Allow"), Some("GET, HEAD"));
    }

    // Keep-alive with pipelining: two requests in one write, two answers in order.
    let both = b"GET /api/v1/dates.json HTTP/1.1\r\nHost: x\r\n\r\nGET /api/v1/snapshot.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    let r = server.raw(both);
    let text = String::from_utf8_lossy(&r.raw);
    assert_eq!(text.matches("HTTP/1.1 200 OK").count(), 2, "{text}");
    let first = text.find(&manifest["api/v1/dates.json"]).unwrap();
    let second = text.find(&manifest["api/v1/snapshot.json"]).unwrap();
    assert!(first < second);

    // A file changed after publishing no longer matches its manifest: 500, never served.
    std::fs::write(site.snapshot_dir(&id).join("api/v1/districts.json"), b"{}").unwrap();
    let r = server.get("/api/v1/districts.json");
    assert_eq!(r.status, 500);
    assert!(server.stderr().contains("does not match its manifest"));
}

#[test]
fn header_files_in_every_snapshot_match_the_server() {
    let site = Site::built();
    let snap = site.snapshot_dir(&site.current_id());
    let headers = std::fs::read_to_string(snap.join("_headers")).unwrap();
    assert!(headers.contains("/*\n  X-Content-Type-Options: nosniff\n  Cache-Control: no-cache\n"));
    assert!(
        headers.contains(
            "/*.json\n  Content-Type: application/json\n  Access-Control-Allow-Origin: *\n"
        )
    );
    assert!(headers.contains("/*.atom\n  Content-Type: application/atom+xml\n"));
    let nginx = std::fs::read_to_string(snap.join("nginx-headers.conf")).unwrap();
    assert!(nginx.contains(&format!("add_header Cache-Control \"{IMMUTABLE}\";")));
    assert!(nginx.contains("text/csv csv;"));
    assert!(nginx.contains("disable_symlinks on"));
    let server = Server::start(&site, None, &[]);
    // The server answers with exactly what the files promise.
    let r = server.get("/api/v1/rankings.json");
    assert_eq!(r.header("Cache-Control"), Some("no-cache"));
    assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"));
    assert_eq!(r.header("X-Content-Type-Options"), Some("nosniff"));
}

#[test]
fn nothing_published_answers_503() {
    let site = Site::empty();
    let server = Server::start(&site, None, &[]);
    for path in ["/api/v1/rankings.json", "/api/", "/current.json", "/x.json"] {
        let r = server.get(path);
        assert_eq!(r.status, 503, "{path}");
        assert_eq!(r.json()["error"]["code"], "NO_SNAPSHOT_AVAILABLE");
        assert!(
            r.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains("toaststats build")
        );
        assert_eq!(r.header("Cache-Control"), Some("no-store"));
        assert!(r.header("Retry-After").is_some());
    }
    for path in ["/", "/districts/02/", "/index.html"] {
        let r = server.get(path);
        assert_eq!(r.status, 503, "{path}");
        assert_eq!(r.header("Content-Type"), Some("text/html; charset=utf-8"));
        assert!(r.text().contains("No snapshot published yet"));
    }
    let health = server.get("/api/health");
    assert_eq!(health.status, 503);
    assert_eq!(health.json()["freshness"], "none");
    assert_eq!(health.json()["error"]["code"], "NO_SNAPSHOT_AVAILABLE");
    // Stored but not published: still nothing at current paths.
    site.build(&["--no-publish", "--snapshot-time", "2026-11-09T06:00:00Z"]);
    assert_eq!(server.get("/api/v1/rankings.json").status, 503);
    // Published later: served without a restart.
    site.build(&["--snapshot-time", "2026-11-10T06:00:00Z"]);
    let r = server.get("/api/v1/rankings.json");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("X-Toaststats-Snapshot"),
        Some(site.current_id().as_str())
    );
}

#[test]
fn get_snapshots_says_404_not_found_not_lookup() {
    let site = Site::built();
    let server = Server::start(&site, None, &[]);
    for target in [
        "/snapshots",
        "/snapshots/",
        "/snapshots/no-such-id/index.html",
    ] {
        let r = server.get(target);
        assert_eq!(r.status, 404, "{target}");
        let status_line = String::from_utf8_lossy(&r.raw)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        assert_eq!(status_line, "HTTP/1.1 404 Not Found", "{target}");
        assert_eq!(r.text(), "404 Not Found\n", "{target}");
    }
    // Every plain-text answer starts with its own status line's words.
    let r = server.get("/a%2fb");
    assert!(r.text().starts_with("400 Bad Request: "), "{}", r.text());
    let r = server.send("DELETE", "/", &[]);
    assert_eq!(r.text(), "405 Method Not Allowed\n");
}

/// Issue 10 item 6: a crash between the swap and the `current.json` rewrite leaves the file
/// naming the old snapshot; the served pointer follows the `current` link.
#[test]
fn current_json_that_disagrees_with_the_link_is_served_from_the_link() {
    let site = Site::built();
    let id = site.current_id();
    let stale = br#"{"snapshot_id":"20000101T000000Z-00000000","path":"snapshots/20000101T000000Z-00000000/","data_date":"2000-01-01","published_at":"2000-01-01T00:00:00Z"}"#;
    std::fs::write(site.root().join("current.json"), stale).unwrap();
    let server = Server::start(&site, None, &[]);
    let r = server.get("/current.json");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["snapshot_id"], id.as_str());
    assert_eq!(r.etag(), Some(sha256_hex(&r.body)));
}

/// Issue 15: under `/api/` (and for any `.json` URL) the 404, 405 and 503 bodies are JSON
/// `{"error":{"code","message"}}`, readable cross-origin; pages keep their HTML/text.
#[test]
fn api_errors_are_json_not_html() {
    let site = Site::built();
    let server = Server::start(&site, None, &[]);
    let id = site.current_id();
    for target in [
        "/api/v1/no-such.json".to_string(),
        "/api/v1/districts/99999.json".to_string(),
        "/api/nothing-here".to_string(),
        format!("/snapshots/{id}/api/v1/no-such.json"),
        "/snapshots/20990101T000000Z-deadbeef/api/v1/rankings.json".to_string(),
    ] {
        let r = server.get(&target);
        assert_eq!(r.status, 404, "{target}");
        assert_eq!(
            r.header("Content-Type"),
            Some("application/json"),
            "{target}"
        );
        assert_eq!(
            r.header("Access-Control-Allow-Origin"),
            Some("*"),
            "{target}"
        );
        assert_eq!(r.json()["error"]["code"], "NOT_FOUND", "{target}");
        assert!(r.json()["error"]["message"].is_string(), "{target}");
    }
    let r = server.send("POST", "/api/v1/rankings.json", &[]);
    assert_eq!(r.status, 405);
    assert_eq!(r.header("Allow"), Some("GET, HEAD"));
    assert_eq!(r.json()["error"]["code"], "METHOD_NOT_ALLOWED");
    // pages are unchanged
    let r = server.get("/no/such/page");
    assert_eq!(r.header("Content-Type"), Some("text/html; charset=utf-8"));

    let empty = Site::empty();
    let server = Server::start(&empty, None, &[]);
    let r = server.get("/api/v1/rankings.json");
    assert_eq!(r.status, 503);
    assert_eq!(r.json()["error"]["code"], "NO_SNAPSHOT_AVAILABLE");
    assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"));
}
