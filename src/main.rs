use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = toaststats::cli::Cli::parse();
    match toaststats::commands::run(cli) {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("error: {e:#}");
            let usage = e
                .downcast_ref::<toaststats::commands::UsageError>()
                .is_some();
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}
