//! `cargo fuzz run sanitize`: see `tests/fuzz_regressions/checks.rs` for the
//! properties, shared with `cargo test --test fuzz_regressions`.

#![no_main]

#[allow(dead_code)]
#[path = "../../tests/fuzz_regressions/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::sanitize(data));
