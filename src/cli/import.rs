//! `docket import promptfoo|inspect|jsonl FILE...`: one failure case per
//! failing sample. Without `--keep-going` every record is checked before
//! anything is written, so a malformed record refuses the whole import
//! (nothing changes); records are then written in bounded batches, each one
//! journalled change set, so a file of any size imports in bounded memory.

use super::input::Input;
use super::output::safe;
use super::progress::Progress;
use crate::interop::{RecordError, Records, Sample, Tool, results};
use crate::model::case::Source;
use crate::model::workspace::Kind;
use crate::ops::import::{ImportContext, case_file, case_id, digest};
use crate::ops::{Action, ChangeSet, FileWrite};
use crate::store::{CommitOptions, Store};
use std::collections::HashMap;
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
    unscored: usize,
}

impl Tally {
    /// Counts a refused record and keeps its message.
    fn refuse(&mut self, errors: &mut Vec<String>, message: String) {
        self.refused += 1;
        errors.push(message);
    }
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
    let inputs = o
        .files
        .iter()
        .map(|p| Input::open(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let env = Env {
        config: &config,
        source,
        now: &now,
    };
    // Without --keep-going, a first pass reads everything and writes
    // nothing: one bad record refuses the import before any file changes.
    if !o.keep_going && !o.dry_run {
        let mut t = Tally::default();
        let errors = pass(&store, o, &inputs, &env, &mut t, None)?;
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
    let errors = pass(&store, o, &inputs, &env, &mut t, Some(&mut sink))?;
    sink.flush()?;
    if o.commit && !o.dry_run {
        sink.commit_now()?;
    }
    report(&errors);
    let verb = if o.dry_run { "would create" } else { "created" };
    let unscored = if t.unscored > 0 {
        format!("; ignored {} unscored sample(s)", t.unscored)
    } else {
        String::new()
    };
    println!(
        "{verb} {} failure case(s); skipped {} duplicate(s); refused {}; ignored {} passing sample(s){unscored}",
        t.created, t.duplicates, t.refused, t.passed
    );
    if o.dry_run && !o.keep_going && !errors.is_empty() {
        anyhow::bail!(
            "refused: {} malformed record(s); the import would change nothing",
            errors.len()
        );
    }
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

/// What to do with one record.
enum Verdict {
    Create(String, FileWrite),
    Duplicate,
    Refuse(String),
}

/// What is known of an id: a case already in the workspace (its path), or
/// one this import creates (its record's digest).
/// Keyed by a 64-bit hash of the id and holding a hash of the digest: an
/// import of a million records keeps a few bytes per record, not strings.
enum Known {
    Existing(String),
    Created(u64),
}

/// The in-memory key of an id or a digest.
fn key(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Decides one failing record: a new case, a duplicate of a case already
/// imported from the same record, or refused — an id that names a different
/// case is never reused, and its record is not silently dropped.
fn verdict(
    store: &Store,
    ctx: &ImportContext<'_>,
    s: &Sample,
    known: &HashMap<u64, Known>,
) -> Verdict {
    let id = case_id(ctx, s);
    let same = |d: u64| d == key(&digest(s));
    match known.get(&key(&id)) {
        Some(Known::Created(d)) if same(*d) => Verdict::Duplicate,
        Some(Known::Created(_)) => Verdict::Refuse(format!(
            "id {id} appears twice in this import with different content"
        )),
        // A derived id names this run's sample: already imported.
        Some(Known::Existing(_)) if s.id.is_none() => Verdict::Duplicate,
        Some(Known::Existing(path)) => match origin_digest(store, path) {
            Some(d) if same(key(&d)) => Verdict::Duplicate,
            _ => Verdict::Refuse(format!(
                "case {id} already exists ({path}) and is a different case: give the record another id"
            )),
        },
        None => match case_file(ctx, &id, s) {
            Ok(w) => Verdict::Create(id, w),
            Err(m) => Verdict::Refuse(m),
        },
    }
}

/// The `[origin] digest` of an existing case file.
fn origin_digest(store: &Store, path: &str) -> Option<String> {
    let text = store.read(path).ok()?.text;
    let t: toml::Table = toml::from_str(&text).ok()?;
    t.get("origin")?.get("digest")?.as_str().map(str::to_owned)
}

/// Reads every file; hands each new case to `sink` (none: just checks).
/// Returns the refused records' messages.
/// What every record of an import shares.
struct Env<'a> {
    config: &'a crate::model::Config,
    source: Option<Source>,
    now: &'a toml::value::Datetime,
}

fn pass(
    store: &Store,
    o: &Options,
    inputs: &[Input],
    env: &Env<'_>,
    t: &mut Tally,
    mut sink: Option<&mut Sink<'_>>,
) -> anyhow::Result<Vec<String>> {
    let mut known: HashMap<u64, Known> = existing_cases(store)
        .into_iter()
        .map(|(id, path)| (key(&id), Known::Existing(path)))
        .collect();
    let mut errors = Vec::new();
    // Only a writing pass without --keep-going stops at the first refusal
    // (the checking pass before it found none; this is a race with another
    // writer); the others report every malformed record.
    let go_on = o.keep_going || o.dry_run || sink.is_none();
    for input in inputs {
        let (file, size) = input.reader()?;
        let phase = if sink.is_some() {
            "importing"
        } else {
            "checking"
        };
        let progress = Progress::new(size, &format!("{phase} {}", input.label));
        let Records { info, iter } = match results::read(o.tool, progress.reader(file)) {
            Ok(r) => r,
            Err(e) => {
                t.refuse(&mut errors, e.show(&input.shown));
                if go_on {
                    continue;
                }
                return Ok(errors);
            }
        };
        if let Some(s) = sink.as_deref_mut() {
            s.flush()?;
            s.label.clone_from(&input.label);
        }
        let ctx = ImportContext {
            tool: o.tool,
            file: &input.label,
            run: &info,
            agent: o.agent.as_deref(),
            source: env.source,
            now: env.now,
            config: env.config,
        };
        for rec in iter {
            progress.tick();
            let sample = match rec {
                Ok(s) if s.passed => {
                    t.passed += 1;
                    continue;
                }
                Ok(s) if s.unscored => {
                    t.unscored += 1;
                    continue;
                }
                Ok(s) => s,
                Err(e) => {
                    t.refuse(&mut errors, e.show(&input.shown));
                    if go_on {
                        continue;
                    }
                    return Ok(errors);
                }
            };
            match verdict(store, &ctx, &sample, &known) {
                Verdict::Duplicate => t.duplicates += 1,
                Verdict::Create(id, w) => {
                    known.insert(key(&id), Known::Created(key(&digest(&sample))));
                    t.created += 1;
                    if let Some(s) = sink.as_deref_mut() {
                        s.push(w)?;
                    }
                }
                Verdict::Refuse(m) => {
                    let position = sample.at.clone().unwrap_or_else(|| {
                        crate::interop::Position::At(format!("sample {}", sample.sample))
                    });
                    let e = RecordError {
                        position,
                        message: m,
                    };
                    t.refuse(&mut errors, e.show(&input.shown));
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

/// The failure cases already in the workspace, id to path, from file names
/// (nothing is parsed).
fn existing_cases(store: &Store) -> HashMap<String, String> {
    store
        .files()
        .0
        .into_iter()
        .filter(|(k, _)| *k == Kind::Failure)
        .filter_map(|(_, p)| {
            let id = p.rsplit('/').next()?.strip_suffix(".toml")?.to_owned();
            Some((id, p))
        })
        .collect()
}
