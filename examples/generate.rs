//! Generates a large synthetic workspace for benchmarks:
//!
//! ```text
//! cargo run --release --example generate -- DIR [CASES] [--git] [--batch CASES]
//! ```
//!
//! CASES defaults to 100000. `--git` commits the workspace (fixed author,
//! committer and dates: the same commit ids on every machine), a commit per
//! `--batch` cases (default 10000). What the cases look like:
//! `benches/support/workspace.rs`.

#[path = "../benches/support/workspace.rs"]
mod workspace;

use std::path::PathBuf;

struct Args {
    dir: PathBuf,
    cases: usize,
    git: bool,
    batch: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        dir: PathBuf::from("bench-workspace"),
        cases: 100_000,
        git: false,
        batch: 10_000,
    };
    let mut positional = 0;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--git" => args.git = true,
            "--batch" => {
                let v = it.next().ok_or("--batch needs a number")?;
                args.batch = v
                    .parse()
                    .map_err(|_| format!("--batch {v}: not a number"))?;
                args.batch = args.batch.max(1);
            }
            _ if positional == 0 => {
                args.dir = PathBuf::from(&a);
                positional += 1;
            }
            _ if positional == 1 => {
                args.cases = a
                    .parse()
                    .map_err(|_| format!("{a}: not a number of cases"))?;
                positional += 1;
            }
            _ => return Err(format!("unexpected argument {a}")),
        }
    }
    Ok(args)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args()?;
    let bytes = workspace::generate(&args.dir, args.cases, args.git, args.batch)?;
    println!(
        "generated {} cases ({} MB, {} B a case on average) in {}{}",
        args.cases,
        bytes / 1_000_000,
        bytes / args.cases.max(1),
        args.dir.display(),
        if args.git { ", committed" } else { "" }
    );
    Ok(())
}
