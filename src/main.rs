//! The `docket` binary: parse arguments, run the command, map errors to exit
//! codes (0 success, 1 `check` found problems, 2 bad usage or bad input).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = docket::cli::Cli::parse();
    match docket::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            let msg = docket::sanitize::line(&format!("{e:#}")).into_owned();
            eprintln!("docket: {msg}");
            ExitCode::from(2)
        }
    }
}
