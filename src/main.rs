use clap::Parser;
use std::process::ExitCode;
use toaststats::commands::{self, report};

fn main() -> ExitCode {
    let code = match toaststats::cli::Cli::try_parse() {
        Ok(cli) => commands::run_and_report(cli),
        Err(e) => report::clap_error(e),
    };
    ExitCode::from(code)
}
