//! Every input the fuzz targets in `fuzz/` found a problem with, plus a few
//! seeds, run through the same checks as the fuzz targets
//! (`tests/fuzz_regressions/checks.rs`) on plain `cargo test`, no nightly
//! needed. One folder per target under `tests/fuzz_regressions/`; the file
//! names say what each input caught (see `fuzz/RESULTS.md`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "fuzz_regressions/checks.rs"]
mod checks;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

/// Runs `check` on every file of the target's folder, and reports every
/// failing file by name.
fn run(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{}: too few inputs", dir.display());
    let failed: Vec<String> = files
        .iter()
        .filter(|f| {
            let data = std::fs::read(f).unwrap();
            catch_unwind(AssertUnwindSafe(|| check(&data))).is_err()
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(failed.is_empty(), "failing inputs: {failed:#?}");
}

#[test]
fn parse() {
    run("parse", checks::parse);
}

#[test]
fn markdown() {
    run("markdown", checks::markdown);
}

#[test]
fn sanitize() {
    run("sanitize", checks::sanitize);
}

#[test]
fn edit_ops() {
    run("edit_ops", checks::edit_ops);
}
