//! `docket export SET --format F [-o FILE]`: the set in a runner's format,
//! on stdout or written atomically to FILE.

use crate::interop::export::{ExportCase, Format, export};
use crate::store::Store;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(cwd: &Path, set: &str, format: Format, out: Option<&Path>) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    store.find_set(set)?;
    let ws = store.load()?;
    let Some(s) = ws.sets.iter().find(|s| s.id == set) else {
        anyhow::bail!("evals/sets/{set}/set.toml does not load: run `docket check`");
    };
    let failures: HashMap<&str, &crate::model::FailureCase> =
        ws.cases.iter().map(|c| (c.path.as_str(), c)).collect();
    let mut cases = Vec::with_capacity(s.cases.len());
    for c in &s.cases {
        let text = store.read(&c.path)?.text;
        let raw: toml::Table =
            toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", c.path))?;
        let failure = c
            .provenance
            .as_ref()
            .and_then(|p| failures.get(p.failure.as_str()).copied());
        cases.push(ExportCase {
            case: c,
            raw,
            failure,
        });
    }
    if cases.is_empty() {
        eprintln!("docket: warning: set {set} has no cases");
    }
    let text = export(format, s, &mut cases);
    match out {
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
        Some(p) => write_atomic(p, text.as_bytes())?,
    }
    if let Some(p) = out {
        eprintln!(
            "wrote {} case(s) of {set}@v{} to {}",
            cases.len(),
            s.version,
            p.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes beside the target and renames over it: a reader never sees half
/// an export.
fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| anyhow::anyhow!("{}: not a file name", path.display()))?;
    let mut tmp = PathBuf::from(path);
    tmp.set_file_name(format!(
        ".{}.docket-tmp.{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        anyhow::bail!("{}: cannot write: {e}", path.display());
    }
    Ok(())
}
