//! The fuzzy matcher behind `/`, `Ctrl-p` and `docket search`: nucleo-matcher
//! (the matcher of helix and television) with fzf-style query syntax.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str, Utf32String};

/// One match: the item's index in the input and its score (higher is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub index: usize,
    pub score: u32,
}

/// Ranks `haystacks` against `query`, best first; ties keep input order. An
/// empty query matches everything in order.
#[must_use]
pub fn rank<S: AsRef<str>>(query: &str, haystacks: &[S], limit: usize) -> Vec<Hit> {
    let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut hits: Vec<Hit> = haystacks
        .iter()
        .enumerate()
        .filter_map(|(index, h)| {
            pattern
                .score(Utf32Str::new(h.as_ref(), &mut buf), &mut matcher)
                .map(|score| Hit { index, score })
        })
        .collect();
    best_first(&mut hits);
    hits.truncate(limit);
    hits
}

/// Ranks `n` items whose haystacks `fill` writes into a buffer, on every
/// core: nothing is kept per item, so 100k cases cost no allocations.
/// Results as [`rank`].
#[must_use]
pub fn rank_each(
    query: &str,
    n: usize,
    fill: impl Fn(usize, &mut String) + Sync,
    limit: usize,
) -> Vec<Hit> {
    let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
    let mut hits = on_cores(n, |range, out| {
        let mut matcher = Matcher::new(Config::DEFAULT);
        let (mut text, mut buf) = (String::new(), Vec::new());
        for index in range {
            text.clear();
            fill(index, &mut text);
            if let Some(score) = pattern.score(Utf32Str::new(&text, &mut buf), &mut matcher) {
                out.push(Hit { index, score });
            }
        }
    });
    best_first(&mut hits);
    hits.truncate(limit);
    hits
}

/// Ranks the haystacks at positions `among` (already in the matcher's
/// form, so nothing is converted per query), on every core; each hit's
/// `index` is the haystack's position. Results as [`rank`], unlimited.
#[must_use]
pub fn rank_converted(query: &str, hay: &[Utf32String], among: &[usize]) -> Vec<Hit> {
    let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
    let mut hits = on_cores(among.len(), |range, out| {
        let mut matcher = Matcher::new(Config::DEFAULT);
        for &index in &among[range] {
            if let Some(h) = hay.get(index)
                && let Some(score) = pattern.score(h.slice(..), &mut matcher)
            {
                out.push(Hit { index, score });
            }
        }
    });
    best_first(&mut hits);
    hits
}

/// Best score first; ties keep input order.
pub fn best_first(hits: &mut [Hit]) {
    hits.sort_unstable_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
}

/// Splits `0..n` over the machine's cores (at most 8; one below 4,096
/// items, where threads cost more than they save) and gathers what each
/// part pushed, in order.
pub fn on_cores<T: Send>(
    n: usize,
    work: impl Fn(std::ops::Range<usize>, &mut Vec<T>) + Sync,
) -> Vec<T> {
    let threads = if n < 4096 {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .clamp(1, 8)
    };
    let chunk = n.div_ceil(threads).max(1);
    if threads == 1 {
        let mut out = Vec::new();
        work(0..n, &mut out);
        return out;
    }
    let work = &work;
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .step_by(chunk)
            .map(|start| {
                s.spawn(move || {
                    let mut out = Vec::new();
                    work(start..(start + chunk).min(n), &mut out);
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// The character positions of `query`'s match in `haystack`, for
/// highlighting.
#[must_use]
pub fn indices(query: &str, haystack: &str) -> Vec<u32> {
    let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    pattern.indices(Utf32Str::new(haystack, &mut buf), &mut matcher, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_best_first() {
        let items = [
            "support-triage refund",
            "billing-tier1-0042 refund promised",
            "ci-triage flaky test",
        ];
        let hits = rank("refund", &items, 10);
        assert_eq!(hits.len(), 2);
        assert!(rank("btr42", &items, 10).iter().any(|h| h.index == 1));
        assert_eq!(rank("", &items, 2).len(), 2);
        assert!(rank("zzzz", &items, 10).is_empty());
        assert!(!indices("refund", items[0]).is_empty());
        let each = rank_each("triage", items.len(), |i, s| s.push_str(items[i]), 10);
        assert_eq!(each, rank("triage", &items, 10));
    }
}
