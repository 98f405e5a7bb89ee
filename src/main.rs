use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = toaststats::cli::Cli::parse();
    match toaststats::commands::run(cli) {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
