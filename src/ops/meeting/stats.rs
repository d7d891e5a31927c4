//! `docket review stats`: how often reviewers agree, per pair, in percent
//! and as Cohen's kappa (agreement beyond what two reviewers with the same
//! habits would reach by chance), over the cases both gave a verdict on.

use crate::model::FailureCase;
use crate::model::case::{Status, Verdict, VerdictKind};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Two reviewers' agreement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    pub a: String,
    pub b: String,
    /// Cases both gave a verdict on.
    pub cases: usize,
    pub agreed: usize,
    pub percent: f64,
    /// `None` when chance agreement is certain (both always gave the same
    /// single verdict), where kappa is undefined.
    pub kappa: Option<f64>,
}

/// Every reviewer's verdict on a case: the verdicts it carries, and the
/// decision itself as its decider's verdict (a reviewer who decided and
/// also left a verdict counts once, by the decision).
fn verdicts(c: &FailureCase) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = c
        .verdicts
        .iter()
        .map(|v| (v.by.clone(), v.decision()))
        .collect();
    let decided = match (c.status, &c.promotion, &c.dismissal) {
        (Status::Promoted, Some(p), _) => Some(Verdict {
            by: p.by.clone(),
            verdict: VerdictKind::Promote,
            set: Some(p.set.clone()),
            reason: None,
            at: p.at,
        }),
        (Status::Dismissed, _, Some(d)) => Some(Verdict::dismiss(&d.by, &d.reason, &d.at)),
        _ => None,
    };
    if let Some(v) = decided {
        out.insert(v.by.clone(), v.decision());
    }
    out
}

/// Agreement per pair of reviewers, pairs in name order.
#[must_use]
pub fn agreement(cases: &[FailureCase]) -> Vec<Agreement> {
    // (a, b) -> the pairs of decisions on each case both reviewed.
    let mut pairs: BTreeMap<(String, String), Vec<(String, String)>> = BTreeMap::new();
    for c in cases {
        let v = verdicts(c);
        let who: Vec<&String> = v.keys().collect();
        for (i, a) in who.iter().enumerate() {
            for b in &who[i + 1..] {
                pairs
                    .entry(((*a).clone(), (*b).clone()))
                    .or_default()
                    .push((v[*a].clone(), v[*b].clone()));
            }
        }
    }
    pairs
        .into_iter()
        .map(|((a, b), ds)| {
            let n = ds.len();
            let agreed = ds.iter().filter(|(x, y)| x == y).count();
            Agreement {
                a,
                b,
                cases: n,
                agreed,
                percent: ratio(agreed, n) * 100.0,
                kappa: kappa(&ds),
            }
        })
        .collect()
}

#[allow(clippy::cast_precision_loss)] // counts far below 2^52
fn ratio(x: usize, n: usize) -> f64 {
    if n == 0 { 0.0 } else { x as f64 / n as f64 }
}

/// Cohen's kappa: `(p_o − p_e) / (1 − p_e)`, with `p_e` from each reviewer's
/// own share of each decision.
fn kappa(ds: &[(String, String)]) -> Option<f64> {
    let n = ds.len();
    if n == 0 {
        return None;
    }
    let cats: BTreeSet<&String> = ds.iter().flat_map(|(x, y)| [x, y]).collect();
    let p_o = ratio(ds.iter().filter(|(x, y)| x == y).count(), n);
    let p_e: f64 = cats
        .iter()
        .map(|k| {
            ratio(ds.iter().filter(|(x, _)| x == *k).count(), n)
                * ratio(ds.iter().filter(|(_, y)| y == *k).count(), n)
        })
        .sum();
    ((1.0 - p_e).abs() > f64::EPSILON).then(|| (p_o - p_e) / (1.0 - p_e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn kappa_matches_the_textbook_example() {
        // Cohen's classic 2×2: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no:
        // p_o = 0.7, p_e = 0.5, kappa = 0.4.
        let mut ds = Vec::new();
        for (pair, n) in [
            (("yes", "yes"), 20),
            (("yes", "no"), 5),
            (("no", "yes"), 10),
            (("no", "no"), 15),
        ] {
            ds.extend(std::iter::repeat_n(pair, n).map(|(a, b)| (a.to_owned(), b.to_owned())));
        }
        let k = kappa(&ds).unwrap();
        assert!((k - 0.4).abs() < 1e-9, "{k}");
        assert_eq!(kappa(&d(&[("a", "a"), ("a", "a")])), None);
        assert!((kappa(&d(&[("a", "a"), ("b", "b")])).unwrap() - 1.0).abs() < 1e-9);
    }
}
