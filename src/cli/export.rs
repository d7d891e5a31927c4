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
    // The failures the set's cases came from, read whole (the loaded table
    // holds no bodies); a missing or broken one exports without them.
    let mut failures: HashMap<&str, crate::model::FailureCase> = HashMap::new();
    for p in s.cases.iter().filter_map(|c| c.provenance.as_ref()) {
        if ws.case_by_path(&p.failure).is_some()
            && let Ok(f) = store.case_at(&p.failure)
        {
            failures.insert(p.failure.as_str(), f);
        }
    }
    let mut cases = Vec::with_capacity(s.cases.len());
    for c in &s.cases {
        let text = store.read(&c.path)?.text;
        let raw: toml::Table =
            toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", c.path))?;
        let failure = c
            .provenance
            .as_ref()
            .and_then(|p| failures.get(p.failure.as_str()));
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
        Some(p) => write_out(p, text.as_bytes())?,
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

/// Writes `-o FILE`. A regular file (or a new one) is written beside the
/// target and renamed over it, so a reader never sees half an export; the
/// temporary file is created exclusively, never through a planted symlink.
/// Anything else — `/dev/stdout`, a FIFO, a symlink the user pointed at
/// something — is written to as it is, never replaced. `-` is stdout.
fn write_out(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let shown = path.display();
    if path.as_os_str() == "-" {
        std::io::stdout().lock().write_all(bytes)?;
        return Ok(());
    }
    match std::fs::symlink_metadata(path) {
        Ok(m) if !m.is_file() => {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(path)
                .map_err(|e| anyhow::anyhow!("{shown}: cannot write: {e}"))?;
            f.write_all(bytes)
                .map_err(|e| anyhow::anyhow!("{shown}: cannot write: {e}"))?;
            return Ok(());
        }
        _ => {}
    }
    let name = path
        .file_name()
        .ok_or_else(|| anyhow::anyhow!("{shown}: not a file name"))?;
    for n in 0u32..100 {
        let mut tmp = PathBuf::from(path);
        tmp.set_file_name(format!(
            ".{}.docket-tmp.{}.{n}",
            name.to_string_lossy(),
            std::process::id()
        ));
        let mut f = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => anyhow::bail!("{shown}: cannot write: {e}"),
        };
        let result = f
            .write_all(bytes)
            .and_then(|()| f.sync_all())
            .and_then(|()| std::fs::rename(&tmp, path));
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            anyhow::bail!("{shown}: cannot write: {e}");
        }
        return Ok(());
    }
    anyhow::bail!("{shown}: no free temporary file name beside it")
}
