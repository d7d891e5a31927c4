//! The bundled example workspace, embedded in the binary so `docket init
//! --example` and `docket demo` work from any directory, and `docket init`.
//! The example is copied with its dates anchored to the day of copying
//! ([`anchor`]), and committed as the history it tells ([`story`],
//! [`record`]).

mod anchor;
mod record;
mod story;

use super::{RepoKind, Store, StoreError, discover};
use crate::ops::{Action, ChangeSet, FileWrite};
use include_dir::{Dir, include_dir};
use std::path::Path;

static CONFIG: &str = include_str!("../../../docket.toml");
static RUNBOOKS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/runbooks");
static MEMOS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/memos");
static EVALS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/evals");

/// Every file of the example workspace, workspace-relative, sorted.
#[must_use]
pub fn files() -> Vec<FileWrite> {
    let mut out = vec![FileWrite {
        path: "docket.toml".to_owned(),
        contents: CONFIG.to_owned(),
    }];
    for (prefix, dir) in [
        ("runbooks", &RUNBOOKS),
        ("memos", &MEMOS),
        ("evals", &EVALS),
    ] {
        collect(prefix, dir, &mut out);
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn collect(prefix: &str, dir: &Dir<'_>, out: &mut Vec<FileWrite>) {
    for f in dir.files() {
        if let Some(text) = f.contents_utf8() {
            let rel = f.path().to_string_lossy().replace('\\', "/");
            out.push(FileWrite {
                path: format!("{prefix}/{rel}"),
                contents: text.to_owned(),
            });
        }
    }
    for d in dir.dirs() {
        collect(prefix, d, out);
    }
}

/// The example with its dates moved so that its newest falls on today (the
/// clock docket writes notes with, so `DOCKET_NOW` pins it).
fn as_of_today() -> Result<Vec<FileWrite>, StoreError> {
    let today = super::now()
        .date
        .map(|d| {
            crate::model::time::days_from_civil(
                i64::from(d.year),
                u32::from(d.month),
                u32::from(d.day),
            )
        })
        .unwrap_or_default();
    anchor::anchored(&files(), today).map_err(StoreError::Invalid)
}

/// A fresh `docket.toml` with the taxonomy and reviewers sketched in
/// comments.
fn template(name: &str) -> String {
    let name = toml_edit::Value::from(name).to_string();
    format!(
        "[workspace]\nname = {}\n# incident_url = \"https://incidents.example.com/{{id}}\"\n\n[review]\ncadence_days = 14\n\n# The tag taxonomy: only these tags may be applied to failure cases.\n# [[tags]]\n# name = \"hallucinated-promise\"\n# description = \"Promised something that policy does not allow\"\n# key = \"h\"\n\n# [[reviewers]]\n# name = \"Ana Ruiz\"\n# email = \"ana@example.com\"\n",
        name.trim()
    )
}

/// Creates a workspace in `dir` (and a git repository if there is none),
/// leaving its files as a pending `init` action for `docket commit`. Refuses
/// to overwrite any existing file; with `commit`, checks first that the
/// commit will be accepted.
pub fn init(dir: &Path, example: bool, commit: bool) -> Result<(Store, Vec<String>), StoreError> {
    // Without a repository to read it from, check the identity before
    // creating anything; inside one, `ready_to_commit` checks it below.
    if commit && !(dir.exists() && git2::Repository::discover(dir).is_ok()) {
        super::git::default_identity()?;
    }
    std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
    let root = dir.canonicalize().map_err(|e| StoreError::io(dir, e))?;
    if root.join(crate::model::config::FILE).exists() {
        return Err(StoreError::AlreadyInitialised(root));
    }
    match discover::repo_kind(&root)? {
        RepoKind::Bare => return Err(StoreError::BareRepository),
        RepoKind::None => {
            git2::Repository::init(&root)?;
        }
        RepoKind::Work { .. } => {}
    }
    let writes = if example {
        as_of_today()?
    } else {
        let name = root.file_name().map_or_else(
            || "workspace".to_owned(),
            |n| n.to_string_lossy().into_owned(),
        );
        for d in [
            "runbooks",
            "memos",
            "evals/failures",
            "evals/sets",
            "evals/runs",
        ] {
            std::fs::create_dir_all(root.join(d)).map_err(|e| StoreError::io(root.join(d), e))?;
        }
        vec![FileWrite {
            path: crate::model::config::FILE.to_owned(),
            contents: template(&name),
        }]
    };
    for w in &writes {
        if root.join(&w.path).symlink_metadata().is_ok() {
            return Err(StoreError::Exists(w.path.clone()));
        }
    }
    let store = Store {
        repo: discover::repo_kind(&root)?,
        root,
    };
    if commit {
        store.ready_to_commit()?;
    }
    let paths = writes.iter().map(|w| w.path.clone()).collect();
    store.apply(&ChangeSet {
        writes,
        actions: vec![Action::Init],
        intents: Vec::new(),
    })?;
    Ok((store, paths))
}
