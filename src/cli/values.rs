//! Checks of free-text flag values (addresses and paths), run by clap while it parses, so
//! a bad value is a usage error (exit 2, a sentence naming the flag) found before anything
//! is created or logged. Dates and numbers are typed flags that clap parses itself. The
//! same checks apply to values from toaststats.toml (one rule for each kind of value).

use std::path::PathBuf;

/// An `http://` or `https://` address: no whitespace or control characters (a newline
/// would end up in logs and request lines), a host of letters, digits, `.`, `-` and an
/// optional `:port` (or a bracketed IPv6 address), and no characters a URL may not hold.
pub fn http_url(value: &str) -> Result<String, String> {
    if let Some(c) = value.chars().find(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!(
            "\"{}\" holds {}; give an address such as https://example.org/path",
            value.escape_debug(),
            describe(c)
        ));
    }
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or_else(|| format!("\"{value}\": expected an http:// or https:// address"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..end];
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        && !host.starts_with([':', '.', '-']);
    if !host_ok {
        return Err(format!(
            "\"{value}\": \"{host}\" is not a host name (letters, digits, dots and dashes, an optional :port)"
        ));
    }
    if let Some(c) = rest[end..]
        .chars()
        .find(|c| "\"<>\\^`{|}'".contains(*c) || !c.is_ascii())
    {
        return Err(format!(
            "\"{value}\": the character {c:?} may not appear in an address (percent-encode it)"
        ));
    }
    Ok(value.to_string())
}

/// A path: not empty, and no control characters (a newline or NUL in a folder name is a
/// pasting mistake, and would split the log lines that name the path).
pub fn path(value: &str) -> Result<PathBuf, String> {
    if value.is_empty() {
        return Err("an empty path; give a file or folder name".to_string());
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(format!(
            "\"{}\" holds {}; give a file or folder name without control characters",
            value.escape_debug(),
            describe(c)
        ));
    }
    Ok(PathBuf::from(value))
}

/// A listening address `ADDR:PORT`: an IP address (IPv6 in brackets) or a host name of
/// letters, digits, dots and dashes, then a port number.
pub fn listen_addr(value: &str) -> Result<String, String> {
    if value.parse::<std::net::SocketAddr>().is_ok() {
        return Ok(value.to_string());
    }
    let (host, port) = value.rsplit_once(':').ok_or_else(|| {
        format!(
            "\"{}\": expected ADDR:PORT, such as 127.0.0.1:8080",
            value.escape_debug()
        )
    })?;
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-".contains(c));
    if !host_ok || port.parse::<u16>().is_err() {
        return Err(format!(
            "\"{}\": expected ADDR:PORT, such as 127.0.0.1:8080",
            value.escape_debug()
        ));
    }
    Ok(value.to_string())
}

fn describe(c: char) -> String {
    match c {
        '\n' => "a newline".into(),
        '\r' => "a carriage return".into(),
        '\t' => "a tab".into(),
        ' ' => "a space".into(),
        '\0' => "a NUL character".into(),
        c => format!("the character {c:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        for ok in [
            "https://dashboards.toastmasters.org",
            "http://127.0.0.1:8080/x/",
            "https://x.github.io/d61/?q=1#f",
            "http://[::1]:9000",
        ] {
            assert!(http_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "https://x.org\n",
            "https://x.org/a b",
            "https://x.org/\u{7}",
            "ftp://x.org",
            "https://",
            "https://exa mple.org",
            "https://x.org/a\"b",
            "https://user@x.org/",
            "x.org",
        ] {
            assert!(http_url(bad).is_err(), "{bad:?}");
        }
        assert!(
            http_url("https://x.org\n")
                .unwrap_err()
                .contains("a newline")
        );
    }

    #[test]
    fn listen_addresses() {
        for ok in ["127.0.0.1:8080", "[::1]:80", "localhost:8080"] {
            assert!(listen_addr(ok).is_ok(), "{ok}");
        }
        for bad in [
            "nonsense",
            "127.0.0.1",
            "host:99999",
            ":80",
            "a b:80",
            "x\n:80",
        ] {
            assert!(listen_addr(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn paths() {
        assert!(path("site").is_ok());
        assert!(path("my site/ü").is_ok());
        assert!(path("").is_err());
        assert!(path("site\n").unwrap_err().contains("a newline"));
        assert!(path("a\0b").is_err());
    }
}
