//! Patched (toaststats): one deadline for reading a whole request, head and body, counted
//! from its first byte. Upstream only had per-read socket timeouts, so a client sending one
//! byte (or one header line) just before each timeout held its connection, and its thread,
//! for ever; 600 such clients starved everyone. The clock is shared by the connection's
//! parser, which starts and stops it, and by the read half of its socket, which before
//! every socket read sets the read timeout to the time left (at most the idle timeout),
//! and past the deadline fails with `TimedOut` (answered 408, then closed). The first
//! request's clock starts when the connection is accepted, so a connection that sends
//! nothing at all is bounded the same way. While the clock runs the connection is
//! unfinished, and the accept thread may shed it for a new client (`lib.rs`).

use std::io::{Error as IoError, ErrorKind, Result as IoResult};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Default)]
pub(crate) struct RequestClock {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// While a request is being read: when it must have arrived.
    deadline: Option<Instant>,
    /// While a request is being read: when its clock started.
    began: Option<Instant>,
    /// The read timeout last set on the socket (to skip setting the same one again).
    applied: Option<Duration>,
}

fn too_slow() -> IoError {
    IoError::new(ErrorKind::TimedOut, "the request took too long to arrive")
}

impl RequestClock {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A request's first byte arrived: it must be whole within `within` (a clock already
    /// running is left as it is).
    pub(crate) fn start(&self, within: Duration) {
        let mut state = self.state();
        if state.deadline.is_none() {
            let now = Instant::now();
            state.deadline = Some(now + within);
            state.began = Some(now);
        }
    }

    /// The request is read; the next one's clock starts at its own first byte.
    pub(crate) fn stop(&self) {
        let mut state = self.state();
        state.deadline = None;
        state.began = None;
    }

    /// Since when the request being read has been arriving; `None` when no request is
    /// being read (idle between requests, or one being answered).
    pub(crate) fn unfinished_since(&self) -> Option<Instant> {
        self.state().began
    }

    /// Before a socket read: the read timeout it must run with (`Some` when it differs
    /// from the one last set), or `TimedOut` when the deadline has passed.
    pub(crate) fn before_read(&self, idle: Duration) -> IoResult<Option<Duration>> {
        let mut state = self.state();
        let timeout = match state.deadline {
            None => idle,
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(too_slow());
                }
                left.min(idle)
            }
        };
        if state.applied == Some(timeout) {
            return Ok(None);
        }
        state.applied = Some(timeout);
        Ok(Some(timeout))
    }

    /// After a failed socket read: a timeout past the deadline is the request's.
    pub(crate) fn after_error(&self, e: IoError) -> IoError {
        let late = self
            .state()
            .deadline
            .is_some_and(|d| Instant::now() >= d);
        if late && matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) {
            too_slow()
        } else {
            e
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_shrink_to_the_deadline() {
        let clock = RequestClock::default();
        let idle = Duration::from_secs(20);
        assert_eq!(clock.before_read(idle).unwrap(), Some(idle));
        assert_eq!(clock.before_read(idle).unwrap(), None, "already set");
        assert_eq!(clock.unfinished_since(), None);
        clock.start(Duration::from_millis(200));
        assert!(clock.unfinished_since().is_some());
        let t = clock.before_read(idle).unwrap().unwrap();
        assert!(t <= Duration::from_millis(200) && t > Duration::ZERO, "{t:?}");
        std::thread::sleep(Duration::from_millis(250));
        assert_eq!(
            clock.before_read(idle).unwrap_err().kind(),
            ErrorKind::TimedOut
        );
        let e = clock.after_error(IoError::from(ErrorKind::WouldBlock));
        assert_eq!(e.kind(), ErrorKind::TimedOut);
        clock.stop();
        assert_eq!(clock.unfinished_since(), None);
        assert_eq!(clock.before_read(idle).unwrap(), Some(idle));
        let e = clock.after_error(IoError::from(ErrorKind::WouldBlock));
        assert_eq!(e.kind(), ErrorKind::WouldBlock, "idle, not too slow");
    }
}
