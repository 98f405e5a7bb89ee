//! Politeness towards TI, as small testable units: a rate limiter shared by every worker,
//! exponential backoff with jitter that honours `Retry-After`, and the circuit breaker that
//! stops a run after consecutive URLs that failed every try.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// Spaces request starts at least `1 / rate` seconds apart across all workers. A rate of 0
/// (or less) lifts the limit.
#[derive(Debug)]
pub struct RateLimiter {
    interval: Option<Duration>,
    next: Mutex<Option<Instant>>,
}

impl RateLimiter {
    pub fn new(per_second: f64) -> RateLimiter {
        let interval = (per_second > 0.0).then(|| Duration::from_secs_f64(1.0 / per_second));
        RateLimiter {
            interval,
            next: Mutex::new(None),
        }
    }

    /// The instant the caller may start its request, reserving that slot. Callers sleep
    /// until then outside the lock, so reservations are handed out in order.
    pub fn reserve(&self, now: Instant) -> Instant {
        let Some(interval) = self.interval else {
            return now;
        };
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let slot = next.map_or(now, |n| n.max(now));
        *next = Some(slot + interval);
        slot
    }

    /// Blocks until this caller may send.
    pub fn wait(&self) {
        let slot = self.reserve(Instant::now());
        let now = Instant::now();
        if slot > now {
            std::thread::sleep(slot - now);
        }
    }
}

/// Exponential backoff: `base * 2^attempt`, capped, plus up to 50% random jitter so workers
/// that failed together do not retry together. `Retry-After` wins when it asks for longer.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
}

/// The longest `Retry-After` the tool will honour; a server asking for more ends the retries.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

impl Backoff {
    /// TI's collector used 1 s, 2 s, 4 s (DOMAIN.md §3.2); capped at a minute.
    pub const DEFAULT: Backoff = Backoff {
        base: Duration::from_secs(1),
        cap: Duration::from_secs(60),
    };

    /// The pause before retry number `attempt` (0 for the first retry). `jitter` is in
    /// [0, 1); `retry_after` is the server's request, if any.
    pub fn delay(&self, attempt: u32, jitter: f64, retry_after: Option<Duration>) -> Duration {
        let exp = self
            .base
            .saturating_mul(1u32 << attempt.min(20))
            .min(self.cap);
        let jittered = exp.mul_f64(1.0 + 0.5 * jitter.clamp(0.0, 1.0));
        match retry_after {
            Some(r) if r > jittered => r,
            _ => jittered,
        }
    }
}

/// Reads a `Retry-After` value: delay seconds, or an HTTP date (relative to `now`).
pub fn parse_retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let wait = when.with_timezone(&chrono::Utc) - now;
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// A small random number in [0, 1) for jitter, without a crate: the standard library's
/// randomly keyed hasher, fed a counter.
pub fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(COUNTER.fetch_add(1, Ordering::Relaxed));
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Trips after `limit` consecutive URLs that failed every try; any usable answer resets
/// the count. Attempts are not counted: five retries of one URL are one failure.
#[derive(Debug)]
pub struct CircuitBreaker {
    limit: u32,
    consecutive: AtomicU32,
    open: AtomicBool,
}

/// Consecutive URLs that exhausted their tries after which a run stops (issue 19).
pub const BREAKER_LIMIT: u32 = 5;

impl CircuitBreaker {
    pub fn new(limit: u32) -> CircuitBreaker {
        CircuitBreaker {
            limit,
            consecutive: AtomicU32::new(0),
            open: AtomicBool::new(false),
        }
    }

    pub fn success(&self) {
        self.consecutive.store(0, Ordering::SeqCst);
    }

    /// Records a failed request; true when this one trips the breaker.
    pub fn failure(&self) -> bool {
        let n = self.consecutive.fetch_add(1, Ordering::SeqCst) + 1;
        n >= self.limit && !self.open.swap(true, Ordering::SeqCst)
    }

    /// Opens the breaker at once (an outage longer than the run's patience).
    pub fn open(&self) {
        self.open.store(true, Ordering::SeqCst);
    }

    pub fn is_open(&self) -> bool {
        self.open.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limiter_spaces_reservations() {
        let rl = RateLimiter::new(2.0);
        let t0 = Instant::now();
        let slots: Vec<_> = (0..5).map(|_| rl.reserve(t0)).collect();
        for (i, s) in slots.iter().enumerate() {
            assert_eq!(*s - t0, Duration::from_millis(500 * i as u64));
        }
        // After idling, the next request may go at once.
        let later = t0 + Duration::from_secs(10);
        assert_eq!(rl.reserve(later), later);
    }

    #[test]
    fn rate_zero_is_unlimited() {
        let rl = RateLimiter::new(0.0);
        let t0 = Instant::now();
        assert!((0..100).all(|_| rl.reserve(t0) == t0));
    }

    #[test]
    fn backoff_doubles_caps_and_jitters_up_to_half() {
        let b = Backoff::DEFAULT;
        assert_eq!(b.delay(0, 0.0, None), Duration::from_secs(1));
        assert_eq!(b.delay(2, 0.0, None), Duration::from_secs(4));
        assert_eq!(b.delay(2, 0.999_999, None).as_millis(), 5999);
        assert_eq!(b.delay(30, 0.0, None), Duration::from_secs(60));
    }

    #[test]
    fn retry_after_wins_when_longer() {
        let b = Backoff::DEFAULT;
        let ra = Some(Duration::from_secs(7));
        assert_eq!(b.delay(0, 0.5, ra), Duration::from_secs(7));
        assert_eq!(b.delay(4, 0.0, ra), Duration::from_secs(16));
    }

    #[test]
    fn retry_after_seconds_and_http_dates() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-04-20T06:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(parse_retry_after(" 3 ", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Mon, 20 Apr 2026 06:00:10 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Mon, 20 Apr 2026 05:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn jitter_is_in_range_and_varies() {
        let v: Vec<f64> = (0..50).map(|_| jitter()).collect();
        assert!(v.iter().all(|j| (0.0..1.0).contains(j)));
        assert!(v.iter().any(|j| (j - v[0]).abs() > 1e-9));
    }

    #[test]
    fn breaker_trips_once_after_consecutive_failures() {
        let cb = CircuitBreaker::new(BREAKER_LIMIT);
        for _ in 0..4 {
            assert!(!cb.failure());
        }
        cb.success();
        for _ in 0..4 {
            assert!(!cb.failure());
        }
        assert!(!cb.is_open());
        assert!(cb.failure());
        assert!(cb.is_open());
        assert!(!cb.failure(), "trips only once");
    }
}
