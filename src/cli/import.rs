//! `docket import promptfoo|inspect|jsonl FILE...`: one failure case per
//! failing sample. Without `--keep-going` every record is checked before
//! anything is written, so a malformed record refuses the whole import
//! (nothing changes); records are then written in bounded batches, each one
//! journalled change set, so a file of any size imports in bounded memory.

use super::output::safe;
use super::progress::Progress;
use crate::interop::{Records, Tool, results};
use crate::model::case::Source;
use crate::model::workspace::Kind;
use crate::ops::import::{ImportContext, case_file, case_id};
use crate::ops::{Action, ChangeSet, FileWrite};
use crate::store::{CommitOptions, Store};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A batch is written once it holds this many files or bytes.
/// Small enough that the progress bar moves while files are written, large
/// enough that the journal and (with `--commit`) the history stay short.
const BATCH_FILES: usize = 2_000;
const BATCH_BYTES: usize = 8 * 1024 * 1024;
/// With `--commit`, a commit once this many cases are pending: the journal
/// stays bounded however large the import, and the history short.
const COMMIT_EVERY: usize = 50_000;

pub struct Options {
    pub tool: Tool,
    pub files: Vec<PathBuf>,
    pub agent: Option<String>,
    pub source: Option<String>,
    pub dry_run: bool,
    pub keep_going: bool,
    pub commit: bool,
}

#[derive(Default)]
struct Tally {
    created: usize,
    duplicates: usize,
    refused: usize,
    passed: usize,
}

pub fn run(cwd: &Path, o: &Options) -> anyhow::Result<ExitCode> {
    let store = super::triage::open(cwd, o.commit && !o.dry_run)?;
    let (config, _) = store.config()?;
    let source = o
        .source
        .as_deref()
        .map(|s| {
            Source::from_name(s).ok_or_else(|| {
                anyhow::anyhow!(
                    "--source {s:?} is not one of production, offline-eval, red-team, user-report"
                )
            })
        })
        .transpose()?;
    if let Some(a) = &o.agent {
        crate::model::ids::check("agent", a)?;
    }
    let now = crate::store::now();
    // Without --keep-going, a first pass reads everything and writes
    // nothing: one bad record refuses the import before any file changes.
    if !o.keep_going && !o.dry_run {
        let mut t = Tally::default();
        let errors = pass(&store, o, &config, source, &now, &mut t, None)?;
        if !errors.is_empty() {
            report(&errors);
            anyhow::bail!(
                "refused: {} malformed record(s), nothing imported (fix them, or pass --keep-going to import the rest)",
                errors.len()
            );
        }
    }
    let mut t = Tally::default();
    let mut sink = Sink {
        store: &store,
        batch: Vec::new(),
        bytes: 0,
        tool: o.tool,
        label: String::new(),
        dry_run: o.dry_run,
        commit: o.commit,
        written: 0,
    };
    let errors = pass(&store, o, &config, source, &now, &mut t, Some(&mut sink))?;
    sink.flush()?;
    if o.commit && !o.dry_run {
        sink.commit_now()?;
    }
    report(&errors);
    let verb = if o.dry_run { "would create" } else { "created" };
    println!(
        "{verb} {} failure case(s); skipped {} duplicate(s); refused {}; ignored {} passing sample(s)",
        t.created, t.duplicates, t.refused, t.passed
    );
    if o.dry_run || t.created == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    if !o.commit {
        let n = store.pending()?.entries.len();
        println!("{n} pending change(s); `docket commit` records them");
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the refused records on stderr, the first few hundred of them.
fn report(errors: &[String]) {
    const SHOWN: usize = 200;
    for e in errors.iter().take(SHOWN) {
        eprintln!("docket: {}", safe(e));
    }
    if errors.len() > SHOWN {
        eprintln!("docket: … and {} more", errors.len() - SHOWN);
    }
}

/// Where the cases of a pass go: nowhere (the checking pass), or batches
/// written through the store.
struct Sink<'a> {
    store: &'a Store,
    batch: Vec<FileWrite>,
    bytes: usize,
    tool: Tool,
    label: String,
    dry_run: bool,
    /// `--commit`: commit every [`COMMIT_EVERY`] cases and at the end.
    commit: bool,
    written: usize,
}

impl Sink<'_> {
    fn push(&mut self, w: FileWrite) -> anyhow::Result<()> {
        if self.dry_run {
            println!("{}", safe(&w.path));
            return Ok(());
        }
        self.bytes += w.contents.len();
        self.batch.push(w);
        if self.batch.len() >= BATCH_FILES || self.bytes >= BATCH_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        self.bytes = 0;
        let store = self.store;
        let (tool, file) = (self.tool.as_str().to_owned(), self.label.clone());
        let make = move |_: &crate::store::Journal| {
            // Under the lock: a case another writer created meanwhile is
            // not overwritten.
            let writes: Vec<FileWrite> = batch
                .into_iter()
                .filter(|w| !store.exists(&w.path))
                .collect();
            let cases = writes.len();
            Ok::<_, anyhow::Error>(ChangeSet {
                actions: if cases > 0 {
                    vec![Action::Import { tool, file, cases }]
                } else {
                    Vec::new()
                },
                writes,
                intents: Vec::new(),
            })
        };
        let changes = store.transact(make)?;
        self.written += changes.writes.len();
        if self.commit && self.written >= COMMIT_EVERY {
            self.commit_now()?;
        }
        Ok(())
    }

    /// Commits what this import wrote so far (`--commit`).
    fn commit_now(&mut self) -> anyhow::Result<()> {
        self.written = 0;
        match self.store.commit(&CommitOptions::default()) {
            Ok(out) => {
                println!(
                    "[{}] {}",
                    out.id.get(..10).unwrap_or(&out.id),
                    safe(&out.summary)
                );
                Ok(())
            }
            Err(crate::store::StoreError::NothingToCommit) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

/// Reads every file; hands each new case to `sink` (none: just checks).
/// Returns the refused records' messages.
fn pass(
    store: &Store,
    o: &Options,
    config: &crate::model::Config,
    source: Option<Source>,
    now: &toml::value::Datetime,
    t: &mut Tally,
    mut sink: Option<&mut Sink<'_>>,
) -> anyhow::Result<Vec<String>> {
    let mut known = existing_cases(store);
    let mut errors = Vec::new();
    // Only a writing pass without --keep-going stops at the first refusal
    // (the checking pass before it found none; this is a race with another
    // writer); the others report every malformed record.
    let go_on = o.keep_going || o.dry_run || sink.is_none();
    for path in &o.files {
        let shown = path.display().to_string();
        let label = path
            .file_name()
            .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
        let file =
            std::fs::File::open(path).map_err(|e| anyhow::anyhow!("{shown}: cannot open: {e}"))?;
        let size = file.metadata().map_or(0, |m| m.len());
        let phase = if sink.is_some() {
            "importing"
        } else {
            "checking"
        };
        let progress = Progress::new(size, &format!("{phase} {label}"));
        let Records { info, iter } = match results::read(o.tool, progress.reader(file)) {
            Ok(r) => r,
            Err(e) => {
                t.refused += 1;
                errors.push(e.show(&shown));
                if go_on {
                    continue;
                }
                return Ok(errors);
            }
        };
        if let Some(s) = sink.as_deref_mut() {
            s.flush()?;
            s.label.clone_from(&label);
        }
        let ctx = ImportContext {
            tool: o.tool,
            file: &label,
            run: &info,
            agent: o.agent.as_deref(),
            source,
            now,
            config,
        };
        for rec in iter {
            progress.tick();
            let sample = match rec {
                Ok(s) => s,
                Err(e) => {
                    t.refused += 1;
                    errors.push(e.show(&shown));
                    if go_on {
                        continue;
                    }
                    return Ok(errors);
                }
            };
            if sample.passed {
                t.passed += 1;
                continue;
            }
            let id = case_id(&ctx, &sample);
            if known.contains(&id) {
                t.duplicates += 1;
                continue;
            }
            match case_file(&ctx, &id, &sample) {
                Ok(w) => {
                    known.insert(id);
                    t.created += 1;
                    if let Some(s) = sink.as_deref_mut() {
                        s.push(w)?;
                    }
                }
                Err(m) => {
                    t.refused += 1;
                    errors.push(format!("{shown}: sample {}: {m}", sample.sample));
                    if !go_on {
                        return Ok(errors);
                    }
                }
            }
        }
        progress.finish();
    }
    Ok(errors)
}

/// The ids of the failure cases already in the workspace, from file names
/// (nothing is parsed).
fn existing_cases(store: &Store) -> HashSet<String> {
    store
        .files()
        .0
        .into_iter()
        .filter(|(k, _)| *k == Kind::Failure)
        .filter_map(|(_, p)| {
            p.rsplit('/')
                .next()
                .and_then(|n| n.strip_suffix(".toml"))
                .map(str::to_owned)
        })
        .collect()
}
