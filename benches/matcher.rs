//! nucleo-matcher against fuzzy-matcher's skim v2 on the same haystack, each
//! returning the best 20: nucleo-matcher over haystacks converted once (as
//! the UI's index holds them) on one thread — the matcher against the
//! matcher — and, beside it, as docket runs it (`rank_converted` on every
//! core) and converting each haystack per call (`search::rank`). The haystack is one line per case (id, summary,
//! agent, tags): the file named by `DOCKET_BENCH_HAYSTACK` (benches/compare.sh
//! prepares it from a generated workspace), else 100,000 synthetic lines.

#![allow(clippy::expect_used)] // a benchmark with a broken fixture should stop loudly

#[path = "support/haystack.rs"]
mod haystack;

use criterion::{Criterion, criterion_group, criterion_main};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32String};
use std::hint::black_box;

const QUERY: &str = "refund escalation";
const LIMIT: usize = 20;

fn haystack() -> Vec<String> {
    if let Some(path) = std::env::var_os("DOCKET_BENCH_HAYSTACK") {
        let text = std::fs::read_to_string(&path).expect("DOCKET_BENCH_HAYSTACK is readable");
        return text.lines().map(str::to_owned).collect();
    }
    haystack::synthetic(100_000)
}

/// The best `LIMIT` of pre-converted `hay` by nucleo-matcher, one thread.
fn nucleo_top(hay: &[Utf32String]) -> Vec<(usize, u32)> {
    let pattern = Pattern::parse(QUERY, CaseMatching::Smart, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut hits: Vec<(usize, u32)> = hay
        .iter()
        .enumerate()
        .filter_map(|(i, h)| pattern.score(h.slice(..), &mut matcher).map(|s| (i, s)))
        .collect();
    hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    hits.truncate(LIMIT);
    hits
}

/// The best `LIMIT` of `hay` by skim v2, ties in input order (as `rank`).
fn skim_top(matcher: &SkimMatcherV2, hay: &[String]) -> Vec<(usize, i64)> {
    let mut hits: Vec<(usize, i64)> = hay
        .iter()
        .enumerate()
        .filter_map(|(i, h)| matcher.fuzzy_match(h, QUERY).map(|s| (i, s)))
        .collect();
    hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    hits.truncate(LIMIT);
    hits
}

fn benches(c: &mut Criterion) {
    let hay = haystack();
    let skim = SkimMatcherV2::default().smart_case();
    let mut g = c.benchmark_group("matcher");
    g.sample_size(10);
    let converted: Vec<Utf32String> = hay.iter().map(|h| h.as_str().into()).collect();
    g.bench_function("nucleo-matcher", |b| {
        b.iter(|| nucleo_top(black_box(&converted)));
    });
    let all: Vec<usize> = (0..converted.len()).collect();
    g.bench_function("nucleo-matcher, all cores (docket)", |b| {
        b.iter(|| {
            let mut hits = docket::search::rank_converted(black_box(QUERY), &converted, &all);
            hits.truncate(LIMIT);
            hits
        });
    });
    g.bench_function("nucleo-matcher, converting per call", |b| {
        b.iter(|| docket::search::rank(black_box(QUERY), &hay, LIMIT));
    });
    g.bench_function("fuzzy-matcher", |b| {
        b.iter(|| skim_top(&skim, black_box(&hay)));
    });
    g.finish();
}

criterion_group!(matcher, benches);
criterion_main!(matcher);
