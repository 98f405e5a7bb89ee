//! How a command's outcome reaches the user when it goes wrong: the exit codes (0 ok,
//! 1 failed build or check, 2 usage error), the `error:` line on stderr (coloured on a
//! terminal), and under `--json` an `{"error": {...}}` object on stdout with the same code,
//! so scripts never have to parse prose.

use super::out;
use crate::diag;
use std::fmt;

/// A build, check or store operation failed (or the data is bad).
pub const EXIT_FAILED: u8 = 1;
/// The command line cannot be carried out as given; nothing was touched.
pub const EXIT_USAGE: u8 = 2;

/// A usage error: a flag, a path or a combination that cannot work. Returned before
/// anything is written (no site folder created, no build logged), and exits 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// A usage error as an `anyhow::Error`, for `?` and `bail!`-like use.
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(message.into()))
}

/// The value of the `error` key every command prints under `--json` when it fails
/// (`kind` is `usage` or `failed`).
pub(crate) fn error_value(kind: &str, message: &str, exit_code: u8) -> serde_json::Value {
    serde_json::json!({ "kind": kind, "message": message, "exit_code": exit_code })
}

fn json_error(kind: &str, message: &str, exit_code: u8) -> String {
    let value = serde_json::json!({ "error": error_value(kind, message, exit_code) });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// Reports a command's error and returns the exit code: 2 for a [`UsageError`] anywhere
/// in the chain, else 1.
pub fn error(e: &anyhow::Error, json: bool) -> u8 {
    let (kind, code) = if e.downcast_ref::<UsageError>().is_some() {
        ("usage", EXIT_USAGE)
    } else {
        ("failed", EXIT_FAILED)
    };
    let message = format!("{e:#}");
    diag::eprint(&format!("error: {message}"));
    if json {
        out(&json_error(kind, &message, code));
    }
    code
}

/// Reports a command line clap could not parse (exit 2), or prints the help or version
/// it asked for (exit 0). `--json` anywhere on the line asks for the JSON error too.
pub fn clap_error(e: clap::Error) -> u8 {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            EXIT_USAGE
        } else {
            0
        };
    }
    let _ = e.print();
    if std::env::args_os().any(|a| a == "--json") {
        let rendered = e.render().to_string();
        let first = rendered.lines().next().unwrap_or_default();
        let message = first.strip_prefix("error: ").unwrap_or(first);
        out(&json_error("usage", message, EXIT_USAGE));
    }
    EXIT_USAGE
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn usage_errors_exit_2_even_under_context_and_others_exit_1() {
        let e = Err::<(), _>(usage("bad flag"))
            .context("while building")
            .unwrap_err();
        assert_eq!(error(&e, false), EXIT_USAGE);
        assert_eq!(error(&anyhow::anyhow!("disk full"), false), EXIT_FAILED);
    }
}
