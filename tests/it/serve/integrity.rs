//! Bytes that do not match the manifest are never sent (issue 10 item 9, server part), and
//! `/api/health` fails while the current snapshot cannot be served.

use super::{Server, Site};
use std::time::{Duration, Instant};

/// `/api/health` until `want` (its answer is cached for a second), at most 10 s.
fn health_until(server: &Server, want: u16) -> super::Response {
    let start = Instant::now();
    loop {
        let r = server.get("/api/health");
        if r.status == want || start.elapsed() > Duration::from_secs(10) {
            return r;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn one_changed_byte_in_index_html_is_never_served_and_fails_health() {
    let site = Site::built();
    let id = site.current_id();
    let server = Server::start(&site, None, &[]);
    let page = site.snapshot_dir(&id).join("index.html");
    let good = std::fs::read(&page).unwrap();
    assert_eq!(server.get("/").status, 200);
    assert_eq!(health_until(&server, 200).status, 200);

    // One byte changed, same size (the old size check let this through with 200).
    let mut bad = good.clone();
    let at = bad.len() / 2;
    bad[at] = if bad[at] == b'x' { b'y' } else { b'x' };
    std::fs::write(&page, &bad).unwrap();
    for target in ["/", "/index.html", &format!("/snapshots/{id}/index.html")] {
        let r = server.get(target);
        assert_eq!(r.status, 500, "{target}");
        assert!(
            r.etag().is_none(),
            "{target}: no manifest ETag on wrong bytes"
        );
        assert!(
            r.text().contains("does not match the snapshot's manifest"),
            "{}",
            r.text()
        );
        assert!(r.body.len() < 500, "{target}: the damaged page is not sent");
    }
    let h = health_until(&server, 503);
    assert_eq!(h.status, 503, "{}", h.text());
    assert_eq!(h.json()["error"]["code"], "SNAPSHOT_DAMAGED");
    assert_eq!(h.json()["healthy"], false);
    assert!(
        h.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("index.html does not match"),
        "{}",
        h.text()
    );
    assert!(server.stderr().contains("does not match its manifest"));

    // Repaired in place: served and healthy again, without a restart.
    std::fs::write(&page, &good).unwrap();
    assert_eq!(server.get("/").body, good);
    assert_eq!(health_until(&server, 200).status, 200);

    // Any other damaged file is remembered by health until it is repaired too.
    let json = site.snapshot_dir(&id).join("api/v1/dates.json");
    let original = std::fs::read(&json).unwrap();
    let mut changed = original.clone();
    changed[0] = b' ';
    std::fs::write(&json, &changed).unwrap();
    assert_eq!(server.get("/api/v1/dates.json").status, 500);
    let h = health_until(&server, 503);
    assert!(h.text().contains("api/v1/dates.json"), "{}", h.text());
    std::fs::write(&json, &original).unwrap();
    assert_eq!(health_until(&server, 200).status, 200);
}

#[test]
fn a_missing_manifest_gives_503_not_nothing_published() {
    let site = Site::built();
    let id = site.current_id();
    let manifest = site.snapshot_dir(&id).join("manifest.json");
    std::fs::remove_file(&manifest).unwrap();
    // A server started now cannot read the manifest at all.
    let server = Server::start(&site, None, &[]);
    let r = server.get("/api/v1/dates.json");
    assert_eq!(r.status, 503);
    assert_eq!(r.json()["error"]["code"], "SNAPSHOT_UNREADABLE");
    let r = server.get("/");
    assert_eq!(r.status, 503);
    assert!(r.text().contains(&id), "{}", r.text());
    let h = server.get("/api/health");
    assert_eq!(h.status, 503);
    assert_eq!(h.json()["error"]["code"], "SNAPSHOT_DAMAGED");
}

#[test]
fn a_manifest_removed_while_serving_fails_health() {
    let site = Site::built();
    let id = site.current_id();
    let server = Server::start(&site, None, &[]);
    assert_eq!(health_until(&server, 200).status, 200);
    std::fs::remove_file(site.snapshot_dir(&id).join("manifest.json")).unwrap();
    let h = health_until(&server, 503);
    assert_eq!(h.status, 503);
    assert!(
        h.text().contains("manifest.json is missing"),
        "{}",
        h.text()
    );
}
