//! A publish during a stream of requests: `current` swaps back and forth between two
//! snapshots (real `toaststats build` publishes) while clients keep reading. Every
//! response must come whole from one snapshot: its body hashes to its ETag, and that ETag
//! is the manifest entry of exactly one snapshot, the one the response names.

use super::{Server, Site, sha256_hex};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Paths whose content differs between the two snapshots.
const PATHS: &[(&str, &str)] = &[
    ("/api/v1/snapshot.json", "api/v1/snapshot.json"),
    ("/api/v1/rankings.json", "api/v1/rankings.json"),
    ("/snapshot.json", "snapshot.json"),
    ("/", "index.html"),
    ("/districts/02/", "districts/02/index.html"),
];

const OLD: [&str; 4] = [
    "--date",
    "2026-10-31",
    "--snapshot-time",
    "2026-11-04T06:00:00Z",
];
const NEW: [&str; 4] = [
    "--date",
    "2026-11-08",
    "--snapshot-time",
    "2026-11-09T06:00:00Z",
];

#[test]
fn publish_during_requests_never_mixes_snapshots() {
    let site = Site::empty();
    site.build(&OLD);
    let old = site.current_id();
    site.build(&NEW);
    let new = site.current_id();
    let manifests = [
        (old.clone(), site.manifest(&old)),
        (new.clone(), site.manifest(&new)),
    ];
    for (_, rel) in PATHS {
        assert_ne!(
            manifests[0].1[*rel], manifests[1].1[*rel],
            "{rel} must differ"
        );
    }
    let server = Arc::new(Server::start(&site, None, &[]));
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..3)
        .map(|t| {
            let (server, stop) = (server.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut seen = Vec::new();
                let started = Instant::now();
                // until the publishing stops (not a fixed count: a build's length varies
                // with what it renders, and the clients must outlast the swaps)
                for i in 0.. {
                    if stop.load(Ordering::SeqCst) || started.elapsed() > Duration::from_secs(120) {
                        break;
                    }
                    let (path, rel) = PATHS[(i + t) % PATHS.len()];
                    seen.push((rel, server.get(path)));
                }
                seen
            })
        })
        .collect();
    // Swap current back and forth through the real publish path.
    for round in 0..6 {
        let extra: Vec<&str> = if round % 2 == 0 {
            OLD.iter().copied().chain(["--allow-older"]).collect()
        } else {
            NEW.to_vec()
        };
        site.build(&extra);
        std::thread::sleep(Duration::from_millis(30));
    }
    stop.store(true, Ordering::SeqCst);
    let mut by_snapshot = [0usize; 2];
    let mut total = 0;
    for client in clients {
        for (rel, r) in client.join().unwrap() {
            total += 1;
            assert_eq!(r.status, 200, "{rel}: {}", String::from_utf8_lossy(&r.raw));
            let etag = r.etag().expect("an ETag");
            assert_eq!(
                sha256_hex(&r.body),
                etag,
                "{rel}: the body is not the file its ETag names"
            );
            let named = r.header("X-Toaststats-Snapshot").unwrap();
            let owners: Vec<usize> = (0..2).filter(|&k| manifests[k].1[rel] == etag).collect();
            assert_eq!(
                owners.len(),
                1,
                "{rel}: ETag {etag} in {} manifests",
                owners.len()
            );
            assert_eq!(
                manifests[owners[0]].0, named,
                "{rel}: header and body disagree"
            );
            by_snapshot[owners[0]] += 1;
        }
    }
    assert!(total > 50, "only {total} responses");
    assert!(
        by_snapshot[0] > 0 && by_snapshot[1] > 0,
        "both snapshots were served during the stream: {by_snapshot:?}"
    );
}
