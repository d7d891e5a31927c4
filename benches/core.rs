//! Micro-benchmarks of the hot paths at scale: parsing a failure case,
//! tagging one (format-preserving edit), and fuzzy-ranking 100k haystacks.
//! Run with `cargo bench`; whole-program figures come from `bench/commit.sh`.

#![allow(clippy::expect_used)] // a benchmark with a broken fixture should stop loudly

use criterion::{Criterion, criterion_group, criterion_main};
use docket::model::{Config, FailureCase};
use docket::ops::{self, SourceFile};
use std::hint::black_box;

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
    let words = [
        "refund",
        "invoice",
        "policy",
        "window",
        "escalation",
        "customer",
        "billing",
        "flaky",
        "timeout",
        "upgrade",
    ];
    let hay: Vec<String> = (0..100_000)
        .map(|i| {
            format!(
                "case-{i:07} {} {} after {} support-triage tone",
                words[i % 10],
                words[(i / 10) % 10],
                words[(i / 100) % 10]
            )
        })
        .collect();
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

criterion_group!(core, benches);
criterion_main!(core);
