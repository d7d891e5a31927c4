//! The `docket` binary: parse arguments, run the command, map errors to exit
//! codes (0 success, 1 `check` found problems, 2 bad usage or bad input).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = docket::cli::Cli::parse();
    match docket::cli::run(cli) {
        Ok(code) => code,
        // A reader that went away (`docket list | head`) is not an error.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            let msg = docket::sanitize::line(&e.to_string()).into_owned();
            eprintln!("docket: {msg}");
            ExitCode::from(2)
        }
    }
}
