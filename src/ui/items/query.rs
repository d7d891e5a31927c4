//! How a filter query narrows a view: the query syntax
//! (`status:new tag:tone refund`) and the ranking, inline for short lists
//! and on the matcher thread at scale. Pure; imports the index types only.

use super::{Facets, SearchIndex, Sort};

/// A parsed filter: exact facet terms and the fuzzy rest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<(String, String)>,
    pub fuzzy: String,
}

/// The facet names a query understands.
pub const FACETS: &[&str] = &["status", "tag", "agent", "source", "sev"];

impl Query {
    #[must_use]
    pub fn parse(q: &str) -> Self {
        let mut out = Self::default();
        let mut rest = Vec::new();
        for word in q.split_whitespace() {
            match word.split_once(':') {
                Some((k, v)) if FACETS.contains(&k) && !v.is_empty() => {
                    out.terms.push((k.to_owned(), v.to_ascii_lowercase()));
                }
                _ => rest.push(word),
            }
        }
        out.fuzzy = rest.join(" ");
        out
    }

    fn admits(&self, f: &Facets) -> bool {
        self.terms.iter().all(|(k, v)| match k.as_str() {
            "status" => f.status.starts_with(v.as_str()),
            "tag" => f.tags.iter().any(|t| t.starts_with(v.as_str())),
            "agent" => f.agent.starts_with(v.as_str()),
            "source" => f.source.starts_with(v.as_str()),
            "sev" => *f.severity == **v || f.severity.strip_prefix("sev") == Some(v.as_str()),
            _ => true,
        })
    }
}

/// The visible items of a view for `query` and `sort`: indices into the
/// view's items, best match first when there is fuzzy text, else in sort
/// order. Pure; runs inline for small lists and on a worker at scale.
#[must_use]
pub fn select(idx: &SearchIndex, query: &str, sort: Sort) -> Vec<u32> {
    select_among(idx, query, sort, None)
}

/// [`select`] among `among` only: the items a shorter query matched, when
/// the new query only [`narrows`] it (typing on), so each keystroke costs
/// the previous matches, not the whole list.
#[must_use]
pub fn select_among(idx: &SearchIndex, query: &str, sort: Sort, among: Option<&[u32]>) -> Vec<u32> {
    select_streaming(idx, query, sort, among, |_| true).unwrap_or_default()
}

/// Fuzzy matches are ranked this many items at a time by
/// [`select_streaming`]: about 5 ms of matching on two cores.
pub const CHUNK: usize = 16_384;

/// The first chunk of a streamed ranking is smaller, and any ranking longer
/// than it streams: scoring 12k–48k matching items (typing `billing` on)
/// took 9–11 ms, and with the threads' wake-ups the matches came a frame
/// late; the best of 4,096 items are ready in 1–3 ms.
pub const FIRST_CHUNK: usize = 4_096;

/// [`select_among`], ranked a [`CHUNK`] at a time when there is fuzzy text
/// and more than [`FIRST_CHUNK`] items to rank: `step` is given the ranking of a first,
/// smaller chunk (`Some`, to be shown at once, as fzf shows results while it reads)
/// and called again between chunks (`None`); returning `false` stops the
/// work (a newer query is waiting), and the result is then `None`.
pub fn select_streaming(
    idx: &SearchIndex,
    query: &str,
    sort: Sort,
    among: Option<&[u32]>,
    mut step: impl FnMut(Option<&[u32]>) -> bool,
) -> Option<Vec<u32>> {
    let q = Query::parse(query);
    let admitted: Vec<usize> = match among {
        Some(among) => {
            let mut v: Vec<usize> = among.iter().map(|&i| i as usize).collect();
            v.sort_unstable();
            v.retain(|&i| idx.facets.get(i).is_some_and(|f| q.admits(f)));
            v
        }
        None => (0..idx.len())
            .filter(|&i| q.admits(&idx.facets[i]))
            .collect(),
    };
    if !q.fuzzy.is_empty() {
        let ids = |hits: &[crate::search::Hit]| -> Vec<u32> {
            hits.iter()
                .filter_map(|h| u32::try_from(h.index).ok())
                .collect()
        };
        if admitted.len() <= FIRST_CHUNK {
            let mut hits = crate::search::rank_converted(&q.fuzzy, &idx.hay, &admitted);
            crate::search::best_first(&mut hits);
            return Some(ids(&hits));
        }
        let (first, rest) = admitted.split_at(FIRST_CHUNK);
        let mut hits = crate::search::rank_converted(&q.fuzzy, &idx.hay, first);
        if !step(Some(&ids(&hits))) {
            return None;
        }
        for part in rest.chunks(CHUNK) {
            hits.extend(crate::search::rank_converted(&q.fuzzy, &idx.hay, part));
            if !step(None) {
                return None;
            }
        }
        crate::search::best_first(&mut hits);
        return Some(ids(&hits));
    }
    let mut out: Vec<u32> = admitted
        .into_iter()
        .filter_map(|i| u32::try_from(i).ok())
        .collect();
    let f = |i: &u32| &idx.facets[*i as usize];
    match sort {
        Sort::Id => {}
        Sort::Newest => out.sort_by_key(|i| std::cmp::Reverse(f(i).time)),
        Sort::Oldest => out.sort_by_key(|i| f(i).time),
        Sort::Severity => out.sort_by_key(|i| (f(i).rank, std::cmp::Reverse(f(i).time))),
    }
    Some(out)
}

/// Whether every item `new` matches is matched by `old` as well: `new` is
/// `old` typed on with plain characters, and `old` holds no operator whose
/// meaning widens as it grows (`!` negates; `^ $ ' \\ |` anchor, quote or
/// escape; `:` makes a facet term).
#[must_use]
pub fn narrows(old: &str, new: &str) -> bool {
    let plain = |c: char| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '/');
    !old.trim().is_empty()
        && new.len() > old.len()
        && new.starts_with(old)
        && old.chars().all(plain)
        && new[old.len()..].chars().all(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx() -> SearchIndex {
        let mk = |status: &str, tag: &str, sev: &str, time: i64| Facets {
            status: status.into(),
            tags: vec![tag.into()].into(),
            agent: "support-triage".into(),
            source: "production".into(),
            severity: sev.into(),
            time,
            rank: sev.trim_start_matches("sev").parse().unwrap_or(9),
        };
        SearchIndex {
            hay: vec![
                "a refund promise".into(),
                "b flaky test".into(),
                "c refund tone".into(),
            ],
            facets: vec![
                mk("new", "tone", "sev2", 3),
                mk("triaged", "flaky", "sev1", 1),
                mk("new", "tone", "sev3", 2),
            ],
        }
    }

    #[test]
    fn parses_facets() {
        let q = Query::parse("status:new refund tag:to oops:x");
        assert_eq!(
            q.terms,
            vec![("status".into(), "new".into()), ("tag".into(), "to".into())]
        );
        assert_eq!(q.fuzzy, "refund oops:x");
    }

    #[test]
    fn filters_sorts_and_ranks() {
        let i = idx();
        assert_eq!(select(&i, "", Sort::Newest), vec![0, 2, 1]);
        assert_eq!(select(&i, "", Sort::Oldest), vec![1, 2, 0]);
        assert_eq!(select(&i, "", Sort::Severity), vec![1, 0, 2]);
        assert_eq!(select(&i, "status:new", Sort::Id), vec![0, 2]);
        assert_eq!(select(&i, "sev:1", Sort::Id), vec![1]);
        let r = select(&i, "refund", Sort::Newest);
        assert_eq!(r.len(), 2);
        assert_eq!(select(&i, "tag:tone refund tone", Sort::Id), vec![2]);
    }

    #[test]
    fn a_long_ranking_streams_its_first_chunk_and_gives_way() {
        let words = ["refund", "flaky", "tone", "billing", "promise"];
        let n = CHUNK * 2 + 100;
        let hay: Vec<String> = (0..n)
            .map(|i| format!("case-{i:06} {} {}", words[i % 5], words[(i / 7) % 5]))
            .collect();
        let idx = SearchIndex {
            hay: hay.iter().map(|h| h.as_str().into()).collect(),
            facets: vec![Facets::default(); n],
        };
        let all: Vec<usize> = (0..n).collect();
        let whole: Vec<u32> = crate::search::rank_converted("rfnd", &idx.hay, &all)
            .into_iter()
            .map(|h| u32::try_from(h.index).unwrap())
            .collect();
        let mut firsts = Vec::new();
        let got = select_streaming(&idx, "rfnd", Sort::Newest, None, |p| {
            if let Some(p) = p {
                firsts.push(p.to_vec());
            }
            true
        });
        assert_eq!(got.as_deref(), Some(whole.as_slice()));
        assert_eq!(firsts.len(), 1, "one early answer");
        assert!(firsts[0].iter().all(|&i| (i as usize) < FIRST_CHUNK));
        assert_eq!(select(&idx, "rfnd", Sort::Newest), whole);
        // A newer query waiting: the ranking stops after its first chunk.
        let mut calls = 0;
        let stopped = select_streaming(&idx, "rfnd", Sort::Newest, None, |_| {
            calls += 1;
            calls < 2
        });
        assert_eq!((stopped, calls), (None, 2));
    }

    #[test]
    fn typing_on_narrows_the_previous_matches() {
        let i = idx();
        assert!(narrows("ref", "refu"));
        assert!(narrows("refund", "refund t"));
        for (old, new) in [
            ("", "a"),
            ("!re", "!ref"),
            ("re", "re:"),
            ("re", "re!"),
            ("ab", "ab"),
        ] {
            assert!(!narrows(old, new), "{old:?} -> {new:?}");
        }
        let prev = select(&i, "re", Sort::Newest);
        for q in ["ref", "refund", "refund t", "refund to"] {
            let whole = select(&i, q, Sort::Newest);
            assert_eq!(select_among(&i, q, Sort::Newest, Some(&prev)), whole, "{q}");
        }
    }
}
