//! The example workspace (docket.toml, runbooks/, memos/, evals/) is
//! embedded with `include_dir!`, which cargo does not track: without this,
//! editing an example file leaves a stale copy in the binary until
//! something under src/ changes.

fn main() {
    for path in ["docket.toml", "runbooks", "memos", "evals"] {
        println!("cargo:rerun-if-changed={path}");
    }
}
