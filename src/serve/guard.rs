//! What stands before the admin API: the bearer token, compared in constant time (both
//! sides are hashed first, so neither the content nor the length leaks through timing),
//! a sliding-window limit on failed authentications per client address (so guessing is
//! slow, and one client's failures never lock out another), and a sliding-window limit on
//! authorized calls per minute (so a wrong token never uses up the right one's budget).

use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// The admin token, kept only as its SHA-256.
pub struct Token {
    digest: [u8; 32],
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Why a call is not authorized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// No `Authorization: Bearer ...` header (401).
    Missing,
    /// A token that is not the one (403).
    Wrong,
}

impl Token {
    /// The token from the environment value; an empty one is no token.
    pub fn new(secret: &str) -> Option<Token> {
        (!secret.is_empty()).then(|| Token {
            digest: digest(secret.as_bytes()),
        })
    }

    /// Checks an `Authorization` header value.
    pub fn check(&self, authorization: Option<&str>) -> Result<(), Denied> {
        let value = authorization.ok_or(Denied::Missing)?.trim();
        let (scheme, given) = value.split_once(' ').ok_or(Denied::Missing)?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(Denied::Missing);
        }
        let given = digest(given.trim().as_bytes());
        let mut diff = 0u8;
        for (a, b) in given.iter().zip(self.digest.iter()) {
            diff |= a ^ b;
        }
        if std::hint::black_box(diff) == 0 {
            Ok(())
        } else {
            Err(Denied::Wrong)
        }
    }
}

/// At most `limit` calls in any 60 seconds; refused calls do not count.
#[derive(Debug)]
pub struct RateLimit {
    limit: usize,
    window: Duration,
    calls: VecDeque<Instant>,
}

impl RateLimit {
    pub fn per_minute(limit: u32) -> RateLimit {
        RateLimit {
            limit: limit.max(1) as usize,
            window: Duration::from_secs(60),
            calls: VecDeque::new(),
        }
    }

    /// Counts a call at `now`, or says in how many whole seconds one will be allowed.
    pub fn check(&mut self, now: Instant) -> Result<(), u64> {
        self.full(now)?;
        self.calls.push_back(now);
        Ok(())
    }

    /// Whether the window is full at `now` (then: in how many whole seconds it is not),
    /// without counting anything.
    fn full(&mut self, now: Instant) -> Result<(), u64> {
        while self
            .calls
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            self.calls.pop_front();
        }
        if self.calls.len() < self.limit {
            return Ok(());
        }
        let oldest = self.calls.front().copied().unwrap_or(now);
        let wait = self.window.saturating_sub(now.duration_since(oldest));
        Err(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
    }
}

/// Failed authentications allowed per client address in any 60 seconds; past them the
/// address gets 429 without its token being looked at, until the window frees up.
pub const AUTH_FAILURES_PER_MINUTE: u32 = 10;

/// Addresses tracked at most; past this, addresses whose window is empty are forgotten
/// first, then the whole table (an attacker with many addresses cannot grow memory).
const TRACKED_CLIENTS: usize = 4096;

/// [`AUTH_FAILURES_PER_MINUTE`] per client address.
#[derive(Debug, Default)]
pub struct AuthFailures {
    clients: HashMap<IpAddr, RateLimit>,
}

impl AuthFailures {
    /// `Err(seconds)` while `client` has used up its failures.
    pub fn blocked(&mut self, client: IpAddr, now: Instant) -> Result<(), u64> {
        match self.clients.get_mut(&client) {
            Some(limit) => limit.full(now),
            None => Ok(()),
        }
    }

    /// Counts a failed authentication of `client` at `now`.
    pub fn failed(&mut self, client: IpAddr, now: Instant) {
        if self.clients.len() >= TRACKED_CLIENTS && !self.clients.contains_key(&client) {
            self.clients.retain(|_, l| l.full(now).is_err());
            if self.clients.len() >= TRACKED_CLIENTS {
                self.clients.clear();
            }
        }
        self.clients
            .entry(client)
            .or_insert_with(|| RateLimit::per_minute(AUTH_FAILURES_PER_MINUTE))
            .calls
            .push_back(now);
    }

    /// A client that authenticated starts afresh.
    pub fn succeeded(&mut self, client: IpAddr) {
        self.clients.remove(&client);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_tokens() {
        let t = Token::new("s3cret-token").unwrap();
        assert_eq!(t.check(Some("Bearer s3cret-token")), Ok(()));
        assert_eq!(t.check(Some("bearer  s3cret-token ")), Ok(()));
        assert_eq!(t.check(None), Err(Denied::Missing));
        assert_eq!(t.check(Some("s3cret-token")), Err(Denied::Missing));
        assert_eq!(t.check(Some("Basic czNjcmV0")), Err(Denied::Missing));
        assert_eq!(t.check(Some("Bearer s3cret-toke")), Err(Denied::Wrong));
        assert_eq!(t.check(Some("Bearer ")), Err(Denied::Missing));
        assert!(Token::new("").is_none());
        assert_eq!(format!("{t:?}"), "Token(<redacted>)");
    }

    #[test]
    fn auth_failures_are_per_client() {
        let (a, b): (IpAddr, IpAddr) = ("127.0.0.2".parse().unwrap(), "::1".parse().unwrap());
        let mut f = AuthFailures::default();
        let t0 = Instant::now();
        for _ in 0..AUTH_FAILURES_PER_MINUTE {
            assert!(f.blocked(a, t0).is_ok());
            f.failed(a, t0);
        }
        assert_eq!(f.blocked(a, t0 + Duration::from_secs(1)), Err(59));
        assert!(f.blocked(b, t0).is_ok(), "another client is not affected");
        assert!(f.blocked(a, t0 + Duration::from_secs(60)).is_ok());
        f.failed(a, t0);
        f.succeeded(a);
        assert!(f.clients.is_empty());
    }

    #[test]
    fn sliding_window() {
        let mut r = RateLimit::per_minute(2);
        let t0 = Instant::now();
        assert!(r.check(t0).is_ok());
        assert!(r.check(t0 + Duration::from_secs(10)).is_ok());
        assert_eq!(r.check(t0 + Duration::from_secs(20)), Err(40));
        assert_eq!(r.check(t0 + Duration::from_millis(59_500)), Err(1));
        assert!(r.check(t0 + Duration::from_secs(60)).is_ok());
        assert_eq!(r.check(t0 + Duration::from_secs(61)), Err(9));
    }
}
