//! Loading the whole workspace: walk the layout, read and parse every file on
//! all cores, gather items and diagnostics.

use super::{Store, StoreError, fsio};
use crate::model::workspace::{Kind, Parsed, classify, parse_file};
use crate::model::{Diagnostic, Rule, Workspace};
use std::path::PathBuf;

impl Store {
    /// Every docket file of the workspace, workspace-relative, plus warnings
    /// for files that sit in docket's folders but are not part of the layout.
    #[must_use]
    pub fn files(&self) -> (Vec<(Kind, String)>, Vec<Diagnostic>) {
        let mut files = Vec::new();
        let mut diags = Vec::new();
        let mut links: Vec<PathBuf> = Vec::new();
        let mut add = |rel: String, files: &mut Vec<(Kind, String)>| match classify(&rel) {
            Some(k) => files.push((k, rel)),
            None => diags.push(Diagnostic::new(
                Rule::Layout,
                &rel,
                1,
                "not part of the workspace layout (PRODUCT.md §1); ignored",
            )),
        };
        let root = &self.root;
        for dir in ["runbooks", "memos"] {
            for (name, is_dir) in fsio::list_dir(&root.join(dir), &mut links) {
                if !is_dir {
                    add(format!("{dir}/{name}"), &mut files);
                }
            }
        }
        for (month, is_dir) in fsio::list_dir(&root.join("evals/failures"), &mut links) {
            if !is_dir {
                add(format!("evals/failures/{month}"), &mut files);
                continue;
            }
            for (name, is_dir) in
                fsio::list_dir(&root.join("evals/failures").join(&month), &mut links)
            {
                if !is_dir {
                    add(format!("evals/failures/{month}/{name}"), &mut files);
                }
            }
        }
        for (set, is_dir) in fsio::list_dir(&root.join("evals/sets"), &mut links) {
            if !is_dir {
                continue;
            }
            let base = root.join("evals/sets").join(&set);
            for (name, is_dir) in fsio::list_dir(&base, &mut links) {
                if name == "cases" && is_dir {
                    for (c, is_dir) in fsio::list_dir(&base.join("cases"), &mut links) {
                        if !is_dir {
                            add(format!("evals/sets/{set}/cases/{c}"), &mut files);
                        }
                    }
                } else if !is_dir {
                    add(format!("evals/sets/{set}/{name}"), &mut files);
                }
            }
        }
        for (set, is_dir) in fsio::list_dir(&root.join("evals/runs"), &mut links) {
            if is_dir {
                for (name, is_dir) in
                    fsio::list_dir(&root.join("evals/runs").join(&set), &mut links)
                {
                    if !is_dir {
                        add(format!("evals/runs/{set}/{name}"), &mut files);
                    }
                }
            }
        }
        for l in links {
            let rel = l
                .strip_prefix(root)
                .map_or_else(|_| l.display().to_string(), |p| p.display().to_string());
            diags.push(Diagnostic::new(
                Rule::Layout,
                rel,
                1,
                "is a symlink; docket does not follow symlinks, ignored",
            ));
        }
        (files, diags)
    }

    /// Loads and parses the whole workspace. Malformed files are reported in
    /// `Workspace::diagnostics` and skipped; a malformed `docket.toml` is
    /// reported too and replaced by an empty stand-in. Only a missing or
    /// unreadable `docket.toml` is an error.
    pub fn load(&self) -> Result<Workspace, StoreError> {
        let (mut ws, broken) = match self.config() {
            Ok((config, diags)) => (Workspace::new(config, diags), false),
            Err(StoreError::Config(d)) => (
                Workspace::new(crate::model::Config::fallback(), vec![d]),
                true,
            ),
            Err(e) => return Err(e),
        };
        ws.config_broken = broken;
        let (files, walk_diags) = self.files();
        ws.diagnostics.extend(walk_diags);
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .clamp(1, 8);
        let chunk = files.len().div_ceil(threads).max(1);
        let results: Vec<Vec<(Option<Parsed>, Vec<Diagnostic>)>> = std::thread::scope(|s| {
            let handles: Vec<_> = files
                .chunks(chunk)
                .map(|part| {
                    s.spawn(move || {
                        part.iter()
                            .map(|(kind, rel)| self.parse_one(*kind, rel))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        let msg =
                            "internal error: a loader thread failed; some files were not loaded";
                        vec![(
                            None,
                            vec![Diagnostic::parse(crate::model::config::FILE, 1, msg)],
                        )]
                    })
                })
                .collect()
        });
        for (parsed, diags) in results.into_iter().flatten() {
            ws.add(parsed, diags);
        }
        ws.finish();
        Ok(ws)
    }

    fn parse_one(&self, kind: Kind, rel: &str) -> (Option<Parsed>, Vec<Diagnostic>) {
        match fsio::read(&self.root, rel) {
            Ok(bytes) => parse_file(kind, rel, &bytes),
            Err(e) => (
                None,
                vec![Diagnostic::parse(rel, 1, format!("cannot read: {e}"))],
            ),
        }
    }
}

impl Store {
    /// Reads and parses the failure case filed at `rel`: its body, which the
    /// loaded workspace's table does not hold.
    pub fn case_at(&self, rel: &str) -> Result<crate::model::FailureCase, StoreError> {
        let bytes = fsio::read(&self.root, rel)?;
        let text = crate::model::parse::utf8(rel, &bytes).map_err(StoreError::Invalid)?;
        crate::model::FailureCase::parse(rel, text)
            .map(|(c, _)| c)
            .map_err(StoreError::Invalid)
    }
}
