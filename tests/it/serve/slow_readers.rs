//! Slow readers: clients that ask for a large file and then do not read it must not hold
//! the few workers, so everyone else is still answered at once. (The read side of
//! slowloris, issue 10 item 11; loopback only, bounded.)

use super::{Server, Site, sha256_hex};
use std::io::Write;
use std::net::{Ipv4Addr, TcpStream};
use std::time::{Duration, Instant};

/// Adds `big.json` (`bytes` long) to the current snapshot and its manifest.
fn plant_big_file(site: &Site, bytes: usize) {
    let dir = site.snapshot_dir(&site.current_id());
    let body: Vec<u8> = (0..bytes).map(|i| b"0123456789abcdef"[i % 16]).collect();
    std::fs::write(dir.join("big.json"), &body).unwrap();
    let path = dir.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    manifest["files"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "path": "big.json", "bytes": bytes, "sha256": sha256_hex(&body)
        }));
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
}

#[test]
fn clients_that_do_not_read_large_files_do_not_hold_the_workers() {
    let site = Site::built();
    plant_big_file(&site, 16 << 20);
    let server = Server::start(&site, None, &[]);
    // Once the file has settled, one look hashes it for good (this test is about writing,
    // not about the first hash of a fresh file, which a debug build takes seconds over).
    std::thread::sleep(Duration::from_millis(3100));
    assert_eq!(server.send("HEAD", "/big.json", &[]).status, 200);
    // Twice as many stalled downloads as the server has workers (4), from one address.
    let stalled: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut s = server
                .connect_from(Ipv4Addr::new(127, 0, 0, 2))
                .expect("connect");
            s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
            s.write_all(b"GET /big.json HTTP/1.1\r\nHost: x\r\n\r\n")
                .unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    for i in 0..10 {
        let t = Instant::now();
        let r = server.get("/api/v1/dates.json");
        let took = t.elapsed();
        assert_eq!(r.status, 200, "request {i}");
        assert!(took < Duration::from_secs(1), "request {i} took {took:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(stalled);
}
