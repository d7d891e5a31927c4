//! `docket run import`: a runner's results for an exported set, tallied
//! per case into an eval run file (docs/format.md, "Eval run"), and the gate verdict.

use super::FileWrite;
use crate::interop::{Sample, stable_hash};
use crate::model::{EvalRun, EvalSet, ids};
use std::collections::{BTreeMap, BTreeSet};
use toml::value::Datetime;
use toml_edit::{Array, DocumentMut};

/// The results of one run, matched to the set's cases.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
    /// Failing case ids, sorted, each once.
    pub failures: Vec<String>,
    /// Results naming no case of the set: `(sample, case named)`.
    pub unmatched: Vec<(String, String)>,
    /// The set version the export carried (the most common one), if any.
    pub version: Option<u64>,
    /// Cases of the set (as of that version) with no result: a run that
    /// stopped early or skipped them cannot pass the gate.
    pub missing: Vec<String>,
    /// Results the grader gave no verdict.
    pub unscored: u64,
}

/// Matches results to the set's cases through the `docket_case` the export
/// wrote (Inspect: the sample id). A case run several times (epochs,
/// prompts, providers) counts every result.
#[must_use]
pub fn tally(set: &EvalSet, results: &[Sample]) -> Tally {
    let known: BTreeSet<&str> = set.cases.iter().map(|c| c.id.as_str()).collect();
    let mut t = Tally {
        passed: 0,
        failed: 0,
        failures: Vec::new(),
        unmatched: Vec::new(),
        version: None,
        missing: Vec::new(),
        unscored: 0,
    };
    let mut seen = BTreeSet::new();
    let mut failures = BTreeSet::new();
    let mut versions: BTreeMap<u64, usize> = BTreeMap::new();
    for r in results {
        let case = r.case_ref.as_deref().unwrap_or(&r.sample);
        let other_set = r
            .metadata
            .get("docket_set")
            .and_then(serde_json::Value::as_str)
            .is_some_and(|s| s != set.id);
        if !known.contains(case) || other_set {
            t.unmatched.push((r.sample.clone(), case.to_owned()));
            continue;
        }
        if let Some(v) = r
            .metadata
            .get("docket_set_version")
            .and_then(serde_json::Value::as_u64)
        {
            *versions.entry(v).or_default() += 1;
        }
        seen.insert(case.to_owned());
        if r.unscored {
            t.unscored += 1;
        } else if r.passed {
            t.passed += 1;
        } else {
            t.failed += 1;
            failures.insert(case.to_owned());
        }
    }
    t.failures = failures.into_iter().collect();
    t.version = versions
        .into_iter()
        .max_by_key(|(v, n)| (*n, *v))
        .map(|(v, _)| v);
    let version = t.version.unwrap_or(set.version);
    t.missing = set
        .cases
        .iter()
        .filter(|c| {
            c.provenance
                .as_ref()
                .is_none_or(|p| p.added_in_version <= version)
        })
        .map(|c| c.id.clone())
        .filter(|id| !seen.contains(id))
        .collect();
    t.missing.sort();
    t
}

/// A run id that is the same for the same results: `<date>-<tool>-<hash>`
/// of the runner's run id (or of the results when it has none).
#[must_use]
pub fn run_id(tool: &str, at: &Datetime, runner_id: Option<&str>, t: &Tally) -> String {
    let day = at
        .date
        .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
        .unwrap_or_default();
    let content = format!("{} {} {}", t.passed, t.failed, t.failures.join(","));
    let h = stable_hash(&[tool, runner_id.unwrap_or(&content), &at.to_string()]);
    let id = format!("{day}-{tool}-{}", &h[..8]);
    if ids::is_valid(&id) {
        id
    } else {
        format!("{tool}-{}", &h[..8])
    }
}

/// The run file.
pub fn run_file(
    set: &EvalSet,
    id: &str,
    version: u64,
    at: &Datetime,
    agent_version: Option<&str>,
    t: &Tally,
) -> Result<FileWrite, String> {
    let mut doc = DocumentMut::new();
    doc["set"] = toml_edit::value(set.id.as_str());
    doc["set_version"] =
        toml_edit::value(i64::try_from(version).map_err(|_| "set version too large")?);
    doc["at"] = toml_edit::Item::Value(super::edit::datetime(at));
    if let Some(a) = agent_version {
        doc["agent_version"] = toml_edit::value(a);
    }
    doc["passed"] = toml_edit::value(i64::try_from(t.passed).unwrap_or(i64::MAX));
    doc["failed"] = toml_edit::value(i64::try_from(t.failed).unwrap_or(i64::MAX));
    doc["failures"] = toml_edit::value(t.failures.iter().map(String::as_str).collect::<Array>());
    let path = format!("evals/runs/{}/{id}.toml", set.id);
    let contents = doc.to_string();
    EvalRun::parse(&path, &contents).map_err(|d| d.message)?;
    Ok(FileWrite { path, contents })
}

/// Below the gate: the pass rate and the gate, when the run fails it.
#[must_use]
pub fn below_gate(set: &EvalSet, t: &Tally) -> Option<f64> {
    let total = t.passed + t.failed;
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let rate = if total == 0 {
        0.0
    } else {
        t.passed as f64 / total as f64
    };
    (rate < set.min_pass_rate || !t.missing.is_empty()).then_some(rate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::set::SetCase;

    fn set() -> EvalSet {
        let (mut s, _) = EvalSet::parse(
            "evals/sets/s/set.toml",
            "id = \"s\"\ntitle = \"t\"\nowner = \"o\"\nrunbook = \"r\"\nversion = 3\nmin_pass_rate = 0.9\n",
        )
        .unwrap();
        for id in ["a", "b"] {
            s.cases.push(SetCase {
                path: format!("evals/sets/s/cases/{id}.toml"),
                id: id.into(),
                input: crate::model::case::Input::default(),
                expected: None,
                tags: vec![],
                provenance: None,
            });
        }
        s
    }

    fn result(case: &str, passed: bool) -> Sample {
        let mut s = Sample {
            sample: format!("{case}-x"),
            case_ref: Some(case.into()),
            passed,
            ..Sample::default()
        };
        s.metadata.insert("docket_set_version".into(), 3.into());
        s
    }

    #[test]
    fn tallies_and_gates() {
        let s = set();
        let t = tally(
            &s,
            &[
                result("a", true),
                result("b", false),
                result("b", false),
                result("zz", false),
            ],
        );
        assert_eq!((t.passed, t.failed), (1, 2));
        assert_eq!(t.failures, vec!["b"]);
        assert_eq!(t.unmatched, vec![("zz-x".to_owned(), "zz".to_owned())]);
        assert_eq!(t.version, Some(3));
        assert!(t.missing.is_empty());
        assert!(below_gate(&s, &t).is_some());
        // A run that skipped a case cannot pass the gate.
        let partial = tally(&s, &[result("a", true)]);
        assert_eq!(partial.missing, vec!["b"]);
        assert!(below_gate(&s, &partial).is_some());
        let mut other = result("b", true);
        other
            .metadata
            .insert("docket_set".into(), "elsewhere".into());
        assert_eq!(tally(&s, &[result("a", true), other]).unmatched.len(), 1);
        let at: Datetime = "2026-11-23T03:00:00Z".parse().unwrap();
        let id = run_id("promptfoo", &at, Some("eval-1"), &t);
        assert!(id.starts_with("2026-11-23-promptfoo-"), "{id}");
        let w = run_file(&s, &id, 3, &at, Some("echo"), &t).unwrap();
        let (run, d) = EvalRun::parse(&w.path, &w.contents).unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(run.failures, vec!["b"]);
        let good = tally(&s, &[result("a", true), result("b", true)]);
        assert!(below_gate(&s, &good).is_none());
    }
}
