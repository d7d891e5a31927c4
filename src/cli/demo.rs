//! `docket demo`: the example workspace in a fresh git repository in a
//! temporary directory, opened in the terminal UI; its path is printed on
//! exit so the user can look at what they committed.

use super::output::safe;
use std::process::ExitCode;

pub fn run() -> anyhow::Result<ExitCode> {
    crate::ui::runtime::terminal::ensure_terminal()?;
    let stamp = crate::store::now().to_string().replace([':', '-'], "");
    let base = std::env::temp_dir().join(format!("docket-demo-{}-{stamp}", std::process::id()));
    let store = super::init::example_committed(&base)?;
    let result = crate::ui::runtime::run(&store, false);
    let path = safe(&store.root().display().to_string());
    println!("The demo workspace is in {path}");
    println!("  git -C {path} log        shows what you committed");
    println!("  docket -C {path} check   validates it");
    result?;
    Ok(ExitCode::SUCCESS)
}
