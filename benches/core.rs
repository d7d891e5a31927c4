//! Micro-benchmarks of the hot paths at scale: parsing a failure case,
//! tagging one (format-preserving edit), fuzzy-ranking 100k haystacks, and
//! on a generated, committed 10k-case workspace: load, search and commit,
//! through the public API only (`Store::open` + `load`, `search::rank`,
//! `ops::tag` + `Store::apply` + `Store::commit`), so the benches survive
//! changes behind it. Run with `cargo bench`; whole-program figures beside
//! git, fzf and tig come from `benches/compare.sh`.

#![allow(clippy::expect_used)] // a benchmark with a broken fixture should stop loudly

#[path = "support/haystack.rs"]
mod haystack;
#[path = "support/workspace.rs"]
mod workspace;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use docket::model::{Config, FailureCase};
use docket::ops::{self, SourceFile};
use docket::store::{CommitOptions, Store};
use std::hint::black_box;

const WORKSPACE_CASES: usize = 10_000;

const CASE: &str = r#"id = "billing-tier1-0042"
agent = "support-triage"
source = "production"
occurred_at = 2026-11-02T14:03:00Z
incident = "INC-2041"
severity = "sev2"
status = "new"
summary = "Promised a refund outside the 30-day policy window"
tags = ["hallucinated-promise"]

[input]
messages = [
  { role = "system", content = "You are Northwind's billing assistant." },
  { role = "user", content = "Can I get a refund for last March?" },
]

[output]
content = """Of course! I've issued a full refund."""

[expected]
content = "Explain the 30-day window and offer escalation to a human."
"#;
const PATH: &str = "evals/failures/2026-11/billing-tier1-0042.toml";

fn benches(c: &mut Criterion) {
    c.bench_function("parse failure case", |b| {
        b.iter(|| FailureCase::parse(black_box(PATH), black_box(CASE)));
    });
    let (config, _) =
        Config::parse("[workspace]\nname = \"w\"\n[[tags]]\nname = \"tone\"\n").expect("config");
    let file = SourceFile {
        path: PATH.to_owned(),
        text: CASE.to_owned(),
    };
    c.bench_function("tag one case", |b| {
        b.iter(|| ops::tag(&config, black_box(&file), &["tone".to_owned()], &[]));
    });
    let hay = haystack::synthetic(100_000);
    let mut g = c.benchmark_group("search 100k");
    g.sample_size(10);
    g.bench_function("rank 'refund escalation'", |b| {
        b.iter(|| docket::search::rank(black_box("refund escalation"), &hay, 50));
    });
    g.bench_function("rank 'c42'", |b| {
        b.iter(|| docket::search::rank(black_box("c42"), &hay, 50));
    });
    g.finish();
    git_index(c);
}

/// Reading git's index of a real repository (e.g. the 100k workspace made
/// by `examples/generate` and `git add -A`): ours against libgit2's. Runs
/// only when `DOCKET_BENCH_GIT_DIR` names the repository's `.git`.
fn git_index(c: &mut Criterion) {
    let Some(git_dir) = std::env::var_os("DOCKET_BENCH_GIT_DIR") else {
        return;
    };
    let git_dir = std::path::PathBuf::from(git_dir);
    let mut g = c.benchmark_group("git index");
    g.sample_size(20);
    g.bench_function("gitindex::read", |b| {
        b.iter(|| docket::store::gitindex::read(black_box(&git_dir)).expect("index"));
    });
    // `Repository::index()` caches its index; opening the file is what a
    // fresh process pays.
    g.bench_function("libgit2 Index::open", |b| {
        let path = git_dir.join("index");
        b.iter(|| git2::Index::open(black_box(&path)).expect("index").len());
    });
    g.finish();
}

/// Load, search and commit on a generated workspace of 10k committed cases.
fn workspace_benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("ws");
    workspace::generate(&root, WORKSPACE_CASES, true, WORKSPACE_CASES).expect("generate");
    let store = Store::open(&root).expect("open");
    let mut g = c.benchmark_group("workspace 10k");
    g.sample_size(10);
    g.bench_function("open + load (warm cache)", |b| {
        b.iter(|| Store::open(&root).expect("open").load().expect("load"));
    });
    let cache = root.join(".git/docket/cache");
    g.bench_function("open + load (no cache: parse every case)", |b| {
        b.iter_batched(
            || {
                let _ = std::fs::remove_file(&cache);
            },
            |()| Store::open(&root).expect("open").load().expect("load"),
            BatchSize::PerIteration,
        );
    });
    g.bench_function("open + quick load (UI's first frame)", |b| {
        b.iter(|| {
            Store::open(&root)
                .expect("open")
                .load_quick()
                .expect("warm")
        });
    });
    let ws = store.load().expect("load");
    let hay: Vec<String> = ws.cases.iter().map(|c| c.haystack()).collect();
    g.bench_function("search 'refund escalation' (strings)", |b| {
        b.iter(|| docket::search::rank(black_box("refund escalation"), &hay, 20));
    });
    let converted: Vec<nucleo_matcher::Utf32String> =
        hay.iter().map(|h| h.as_str().into()).collect();
    let all: Vec<usize> = (0..converted.len()).collect();
    g.bench_function(
        "filter 'refund escalation' (pre-converted, all cores)",
        |b| {
            b.iter(|| {
                docket::search::rank_converted(black_box("refund escalation"), &converted, &all)
            });
        },
    );
    g.bench_function("open + load + search", |b| {
        b.iter(|| {
            let ws = Store::open(&root).expect("open").load().expect("load");
            let n = ws.cases.len();
            docket::search::rank_each(
                "refund escalation",
                n,
                |i, out| {
                    if let Some(c) = ws.cases.get(i) {
                        c.write_haystack(out);
                    }
                },
                20,
            )
        });
    });
    // Each commit records one tag change, alternately added and removed
    // (the edit is made in the untimed setup).
    let (config, _) = store.config().expect("config");
    let first = ws.cases.get(0).expect("a case");
    let id = first.id.to_owned();
    let tag = ["tone", "pii-leak"]
        .into_iter()
        .find(|t| !first.tags.contains(t))
        .expect("a tag the case lacks")
        .to_owned();
    let mut on = false;
    g.bench_function("commit one tag change", |b| {
        b.iter_batched(
            || {
                let file = store.find_case(&id).expect("case");
                let tags = std::slice::from_ref(&tag);
                let changes = if on {
                    ops::tag(&config, &file, &[], tags)
                } else {
                    ops::tag(&config, &file, tags, &[])
                }
                .expect("tag");
                on = !on;
                store.apply(&changes).expect("apply");
            },
            |()| store.commit(&CommitOptions::default()).expect("commit"),
            BatchSize::PerIteration,
        );
    });
    g.finish();
}

criterion_group!(core, benches, workspace_benches);
criterion_main!(core);
