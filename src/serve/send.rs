//! Sending answers without letting a client that reads slowly, or not at all, hold one of
//! the few workers. A body small enough for the socket buffers is written by the worker
//! (the write returns at once); a larger one is written by a sender thread of its own, so
//! a stalled download ties up only that thread, until the socket's write timeout. Senders
//! are bounded in all and per client address; past either bound the client is told to come
//! back (503 with `Retry-After`) rather than a worker being blocked.

use super::headers::Reply;
use crate::hosting::PathClass;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Bodies up to this size are written by the worker itself.
pub const INLINE_BYTES: u64 = 256 * 1024;
/// Sender threads at once, in all and per client address.
pub const MAX_SENDERS: usize = 64;
pub const MAX_SENDERS_PER_CLIENT: usize = 8;

#[derive(Debug, Default)]
pub struct Senders {
    /// Running senders per client address (`None`: no address, a Unix socket).
    running: Arc<Mutex<HashMap<Option<IpAddr>, usize>>>,
}

/// A reserved sender slot; freed when dropped.
struct Slot {
    running: Arc<Mutex<HashMap<Option<IpAddr>, usize>>>,
    client: Option<IpAddr>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = running.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                running.remove(&self.client);
            }
        }
    }
}

impl Senders {
    fn reserve(&self, client: Option<IpAddr>) -> Option<Slot> {
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        let all: usize = running.values().sum();
        let mine = running.get(&client).copied().unwrap_or(0);
        if all >= MAX_SENDERS || mine >= MAX_SENDERS_PER_CLIENT {
            return None;
        }
        running.insert(client, mine + 1);
        Some(Slot {
            running: self.running.clone(),
            client,
        })
    }

    /// Answers `rq` with `reply`, from this thread or from a sender thread.
    pub fn send(&self, rq: tiny_http::Request, reply: Reply, head: bool) {
        if head || reply.body_len() <= INLINE_BYTES {
            let _ = rq.respond(reply.into_response());
            return;
        }
        let Some(slot) = self.reserve(rq.remote_addr().map(|a| a.ip())) else {
            let busy = Reply::text(
                503,
                Some("too many large downloads at once; try again shortly"),
                PathClass::NoStore,
            )
            .header("Retry-After", "5");
            let _ = rq.respond(busy.into_response());
            return;
        };
        // If the thread cannot start, the closure (and the request in it) is dropped:
        // tiny_http then answers 500, and the slot is freed with it.
        let _ = std::thread::Builder::new()
            .name("serve-send".into())
            .spawn(move || {
                let _slot = slot;
                let _ = rq.respond(reply.into_response());
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_bounded_per_client_and_in_all() {
        let senders = Senders::default();
        let a: Option<IpAddr> = Some("127.0.0.2".parse().unwrap());
        let held: Vec<Slot> = (0..MAX_SENDERS_PER_CLIENT)
            .map(|_| senders.reserve(a).unwrap())
            .collect();
        assert!(senders.reserve(a).is_none());
        let others: Vec<Slot> = (MAX_SENDERS_PER_CLIENT..MAX_SENDERS)
            .map(|i| {
                senders
                    .reserve(Some(IpAddr::from([10, 0, 0, i as u8])))
                    .unwrap()
            })
            .collect();
        assert!(senders.reserve(None).is_none(), "all taken");
        drop(held);
        assert!(senders.reserve(a).is_some());
        drop(others);
        assert!(senders.running.lock().unwrap().is_empty());
    }
}
