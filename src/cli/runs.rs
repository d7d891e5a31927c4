//! `docket run import SET promptfoo|inspect FILE`: records a run of an
//! exported set and gates on it: exit 1 when the pass rate is below the
//! set's `min_pass_rate`, naming the failing cases — the regression gate a
//! CI pipeline runs. `--import-failures` turns each failing result into a
//! new failure case for the next review.

use super::output::safe;
use crate::interop::{Sample, Tool, results};
use crate::ops::import::{ImportContext, case_file, case_id};
use crate::ops::run::{below_gate, run_file, run_id, tally};
use crate::ops::{Action, ChangeSet, FileWrite};
use crate::store::{CommitOptions, Store};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub struct Options {
    pub set: String,
    pub tool: Tool,
    pub file: PathBuf,
    pub agent_version: Option<String>,
    pub import_failures: bool,
    pub commit: bool,
}

pub fn import(cwd: &Path, o: &Options) -> anyhow::Result<ExitCode> {
    if o.tool == Tool::Jsonl {
        anyhow::bail!("run import reads promptfoo results or an Inspect log, not jsonl");
    }
    let store = super::triage::open(cwd, o.commit)?;
    store.find_set(&o.set)?;
    let ws = store.load()?;
    let Some(set) = ws.sets.iter().find(|s| s.id == o.set) else {
        anyhow::bail!(
            "evals/sets/{}/set.toml does not load: run `docket check`",
            o.set
        );
    };
    let input = super::input::Input::open(&o.file)?;
    let shown = input.shown.clone();
    let (file, _) = input.reader()?;
    let records = results::read(o.tool, file).map_err(|e| anyhow::anyhow!(e.show(&shown)))?;
    let info = records.info;
    let mut samples: Vec<Sample> = Vec::new();
    for r in records.iter {
        samples.push(r.map_err(|e| anyhow::anyhow!(e.show(&shown)))?);
    }
    let t = tally(set, &samples);
    if let Some(why) = &info.unfinished {
        eprintln!("docket: warning: {shown}: {why}");
    }
    if t.unscored > 0 {
        eprintln!(
            "docket: warning: {shown}: {} result(s) have no score (not counted)",
            t.unscored
        );
    }
    for (sample, case) in &t.unmatched {
        eprintln!(
            "docket: warning: {shown}: sample {}: {} is not a case of {} (not counted)",
            safe(sample),
            safe(case),
            set.id
        );
    }
    if t.passed + t.failed == 0 {
        anyhow::bail!(
            "{shown}: no result matches a case of {}: was the set exported with `docket export {} --format ...`?",
            set.id,
            set.id
        );
    }
    let now = crate::store::now();
    let at = info.at.unwrap_or(now);
    let id = run_id(o.tool.as_str(), &at, info.id.as_deref(), &t);
    let version = t.version.unwrap_or(set.version);
    let agent_version = o.agent_version.clone().or_else(|| info.model.clone());
    let run = run_file(set, &id, version, &at, agent_version.as_deref(), &t)
        .map_err(|m| anyhow::anyhow!(m))?;

    let mut writes = vec![run];
    if o.import_failures {
        let ctx = ImportContext {
            tool: o.tool,
            file: &input.label,
            run: &info,
            agent: Some(&set.runbook),
            source: None,
            now: &now,
            config: &ws.config,
        };
        writes.extend(regressions(&ctx, &shown, set, &samples)?);
    }
    let label = input.label.clone();
    let (passed, failed) = (t.passed, t.failed);
    let changes = store.transact(|_| {
        let writes: Vec<FileWrite> = writes
            .into_iter()
            .filter(|w| !store.exists(&w.path))
            .collect();
        let mut actions = Vec::new();
        let cases = writes
            .iter()
            .filter(|w| w.path.starts_with("evals/failures/"))
            .count();
        if writes.iter().any(|w| w.path.starts_with("evals/runs/")) {
            actions.push(Action::Run {
                set: set.id.clone(),
                run: id.clone(),
                passed,
                failed,
            });
        }
        if cases > 0 {
            actions.push(Action::Import {
                tool: o.tool.as_str().to_owned(),
                file: label.clone(),
                cases,
            });
        }
        Ok::<_, anyhow::Error>(ChangeSet {
            writes,
            actions,
            intents: Vec::new(),
        })
    })?;
    report(&store, o.commit, set, &id, version, &t, &changes)
}

/// Says what was recorded, commits with `--commit`, and gives the gate's
/// verdict as the exit code.
fn report(
    store: &Store,
    commit: bool,
    set: &crate::model::EvalSet,
    id: &str,
    version: u64,
    t: &crate::ops::run::Tally,
    changes: &ChangeSet,
) -> anyhow::Result<ExitCode> {
    let total = t.passed + t.failed;
    #[allow(clippy::cast_precision_loss)]
    let rate = t.passed as f64 / total as f64 * 100.0;
    let recorded = changes
        .writes
        .iter()
        .any(|w| w.path.starts_with("evals/runs/"));
    println!(
        "{} run {id} of {}@v{version}: {} passed, {} failed ({rate:.1}%; gate {:.1}%)",
        if recorded {
            "recorded"
        } else {
            "already recorded:"
        },
        set.id,
        t.passed,
        t.failed,
        set.min_pass_rate * 100.0
    );
    let new_cases: Vec<&FileWrite> = changes
        .writes
        .iter()
        .filter(|w| w.path.starts_with("evals/failures/"))
        .collect();
    for w in &new_cases {
        println!("new failure case {}", safe(&w.path));
    }
    if !changes.writes.is_empty() {
        if commit {
            let out = store.commit(&CommitOptions::default())?;
            println!(
                "[{}] {}",
                out.id.get(..10).unwrap_or(&out.id),
                safe(&out.summary)
            );
        } else {
            let n = store.pending()?.entries.len();
            println!("{n} pending change(s); `docket commit` records them");
        }
    }
    if let Some(rate) = below_gate(set, t) {
        if !t.missing.is_empty() {
            eprintln!(
                "docket: gate failed: {} case(s) of {}@v{version} have no result in this run (stopped early, or exported from another version?): {}",
                t.missing.len(),
                set.id,
                t.missing.join(", ")
            );
        }
        if rate >= set.min_pass_rate {
            return Ok(ExitCode::from(1));
        }
        eprintln!(
            "docket: gate failed: {} passes {:.1}% of {} results, below its min_pass_rate {:.1}%; failing cases: {}",
            set.id,
            rate * 100.0,
            total,
            set.min_pass_rate * 100.0,
            t.failures.join(", ")
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// A new failure case for each failing result: a regression becomes an
/// item for the next review, linked to the run and to the set case.
fn regressions(
    ctx: &ImportContext<'_>,
    shown: &str,
    set: &crate::model::EvalSet,
    samples: &[Sample],
) -> anyhow::Result<Vec<FileWrite>> {
    let mut out = Vec::new();
    // An unscored result is no failure (the gate does not count it either).
    for s in samples.iter().filter(|s| !s.passed && !s.unscored) {
        let Some(case) = s
            .case_ref
            .as_deref()
            .and_then(|c| set.cases.iter().find(|x| x.id == c))
        else {
            continue;
        };
        let mut s = s.clone();
        s.summary = Some(format!("Regression: {} fails again in {}", case.id, set.id));
        if s.incident.is_none() {
            s.incident = case.provenance.as_ref().and_then(|p| p.incident.clone());
        }
        // The set case's tags are the taxonomy's already.
        s.tags.clone_from(&case.tags);
        s.metadata
            .insert("regression_of".into(), case.id.clone().into());
        // One already recorded (the same run imported before) is left out
        // where the run file is: under the lock, by path.
        let id = case_id(ctx, &s);
        let w = case_file(ctx, &id, &s)
            .map_err(|m| anyhow::anyhow!("{shown}: sample {}: {m}", s.sample))?;
        out.push(w);
    }
    Ok(out)
}
