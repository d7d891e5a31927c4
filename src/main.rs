//! The `docket` binary: parse arguments, run the command, map errors to exit
//! codes (0 success, 1 `check` found problems, 2 bad usage or bad input).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // `docket commit | head`: a reader that went away makes `println!`
    // panic. What was asked is done (the commit landed); end quietly, as
    // a program killed by SIGPIPE would, instead of a panic message.
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let text = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if text.contains("failed printing to stdout") && text.contains("Broken pipe") {
            std::process::exit(0);
        }
        prev(info);
    }));
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
