//! Snapshot and failed-build ids, and the build time they start with: the one place that
//! says which build times are acceptable (`--snapshot-time`, `SOURCE_DATE_EPOCH`) and how a
//! time becomes the `YYYYMMDDTHHMMSSZ` stamp every id sorts by.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

/// The earliest acceptable build time. TI's dashboard exports start long after it, and
/// before year 1000 the stamp would lose its fixed width (a negative year even starts the
/// id with `-`, which reads as a flag on every later command line).
pub fn earliest_build_time() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2000, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// How far ahead of this machine's clock a build time may be: clock skew between the
/// machine that set `SOURCE_DATE_EPOCH` and this one. Anything later is a typo or a wrong
/// clock, and would make the snapshot look fresh, and sort as newest, for years.
pub const FUTURE_SLACK: TimeDelta = TimeDelta::days(1);

/// The stamp that starts every id built at `time`.
pub fn stamp(time: DateTime<Utc>) -> String {
    time.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Reads a build time given as Unix seconds or RFC 3339 and checks it lies between
/// [`earliest_build_time`] and `now` plus [`FUTURE_SLACK`]; the error says what was expected.
pub fn parse_build_time(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    let time = match text.parse::<i64>() {
        Ok(secs) => DateTime::from_timestamp(secs, 0)
            .ok_or_else(|| format!("{secs} seconds is out of range for a build time"))?,
        Err(_) => DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| {
                format!("\"{text}\" is neither RFC 3339 (2026-04-20T06:00:00Z) nor Unix seconds")
            })?,
    };
    let earliest = earliest_build_time();
    if time < earliest {
        return Err(format!(
            "{} is before {}; a build time must lie between then and now",
            time.to_rfc3339(),
            earliest.format("%Y-%m-%d")
        ));
    }
    let latest = now.checked_add_signed(FUTURE_SLACK).unwrap_or(now);
    if time > latest {
        return Err(format!(
            "{} is in the future (this machine's clock says {}); a build time may be at most {} hour(s) ahead",
            time.to_rfc3339(),
            now.format("%Y-%m-%dT%H:%M:%SZ"),
            FUTURE_SLACK.num_hours()
        ));
    }
    Ok(time)
}

/// The clap check of `--snapshot-time`: a bad time is a usage error (exit 2) before
/// anything is touched. Returns the text unchanged; [`parse_build_time`] reads it later.
pub fn check_build_time_arg(text: &str) -> Result<String, String> {
    parse_build_time(text, Utc::now()).map(|_| text.to_string())
}

/// The id of a failed build started at `time`: the stamp, `-failed-`, and eight hex digits
/// unique to this attempt (process, clock and a counter), so two failures in one second, or
/// at one fixed `--snapshot-time`, never share a report. `taken` says whether a report of
/// that id already exists.
pub fn failed_id(time: DateTime<Utc>, taken: impl Fn(&str) -> bool) -> String {
    let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
    let base = format!("{}:{}:{nanos}", std::process::id(), time.timestamp());
    (0u32..)
        .map(|n| {
            let hash = crate::hash::sha256_hex(format!("{base}:{n}").as_bytes());
            format!("{}-failed-{}", stamp(time), &hash[..8])
        })
        .find(|id| !taken(id))
        .expect("an unbounded counter finds a free id")
}

/// Whether `name` has the shape of a snapshot or failed-build id (it starts with a stamp);
/// used to keep foreign folders out of the store's listings.
pub fn looks_like_id(name: &str) -> bool {
    name.get(..16)
        .is_some_and(|s| chrono::NaiveDateTime::parse_from_str(s, "%Y%m%dT%H%M%SZ").is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-30T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn snapshot_time_before_2000_or_negative_is_refused() {
        for bad in ["-62198755200", "-1", "0", "1999-12-31T23:59:59Z"] {
            let err = parse_build_time(bad, now()).unwrap_err();
            assert!(err.contains("before 2000-01-01"), "{bad}: {err}");
        }
        assert!(parse_build_time("946684800", now()).is_ok());
    }

    #[test]
    fn snapshot_time_far_in_the_future_is_refused() {
        let err = parse_build_time("2030-01-01T00:00:00Z", now()).unwrap_err();
        assert!(err.contains("in the future"), "{err}");
        assert!(parse_build_time("2026-11-30T23:00:00Z", now()).is_ok());
        let err = parse_build_time(&i64::MAX.to_string(), now()).unwrap_err();
        assert!(err.contains("out of range"), "{err}");
    }

    #[test]
    fn snapshot_time_must_be_a_time() {
        let err = parse_build_time("yesterday", now()).unwrap_err();
        assert!(err.contains("neither RFC 3339"), "{err}");
    }

    #[test]
    fn failed_build_ids_are_unique_within_a_second() {
        let t = now();
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..50 {
            let id = failed_id(t, |id| seen.contains(id));
            assert!(id.starts_with("20261130T000000Z-failed-"), "{id}");
            assert!(looks_like_id(&id));
            seen.insert(id);
        }
        assert_eq!(seen.len(), 50);
    }
}
