//! Issue 21, "Serve and input" and "The first hour": one regression test per item, named
//! after it. The server is the real binary (see `serve.rs`), builds run on the sample or on
//! small caches written here.

use crate::serve::slowloris::Attack;
use crate::serve::{Server, Site};
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

/// Item 11: 600 connections trickling header lines from 20 addresses (30 each, under the
/// per-client cap, but more than the server's 512 connections): the 13 normal requests
/// that follow must all be answered, each within 2 s. Before, 4 of 13 failed: the
/// attackers held every slot and new connections were closed on accept.
#[test]
fn issue21_item11_slowloris_from_20_addresses() {
    let site = Site::built();
    let server = Server::start(&site, None, &[]);
    assert_eq!(server.get("/").status, 200);
    let from: Vec<Ipv4Addr> = (2..22).map(|d| Ipv4Addr::new(127, 0, 0, d)).collect();
    let attack = Attack::start_from(&server, &from, 600, Duration::from_secs(1));
    // Let the attack fill the server's slots first.
    std::thread::sleep(Duration::from_millis(1500));
    let mut failures = Vec::new();
    let mut slowest = Duration::ZERO;
    for n in 0..13 {
        let t = Instant::now();
        let r = server.get("/api/v1/dates.json");
        let took = t.elapsed();
        slowest = slowest.max(took);
        if r.status != 200 || took > Duration::from_secs(2) {
            failures.push(format!("request {n}: status {} in {took:?}", r.status));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let connects = attack.stop();
    eprintln!("slowest of 13 normal requests {slowest:?}; {connects} attacker connections");
    assert!(failures.is_empty(), "{failures:?}");
}
