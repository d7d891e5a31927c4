//! Double review (`[review] double_review = ["sev1"]`): a promote or dismiss
//! of a case of such a severity takes effect only when a second, different
//! reviewer gives the same verdict. Until then it is recorded as the
//! reviewer's verdict in the case's `[[verdicts]]`, so the second reviewer's
//! docket (after a sync) can see that one is waiting — and, because the
//! review is blind, not what it says (see `docket show` and the UI).
//! Verdicts that disagree leave the case split: it goes on the next
//! meeting's agenda, where a third verdict agreeing with either decides.
//!
//! Each recorded verdict is one `Docket-Verdict: CASE promote SET` (or
//! `dismiss`) trailer, so `docket audit` can check from history alone that
//! a decided double-review case had two reviewers.

use super::{Action, ChangeSet, FileWrite, Intent, OpError, SourceFile, edit};
use crate::model::Config;
use crate::model::FailureCase;
use crate::model::case::{Status, Verdict, VerdictKind};
use toml_edit::{ArrayOfTables, Item, Table, Value};

/// Whether `v` must wait for a second reviewer: the case's severity is
/// under double review and no other reviewer gave a verdict agreeing with
/// it. Only verdicts in `committed` (the case as HEAD has it) count, each
/// by a listed reviewer (when docket.toml lists any), emails compared
/// without case: a verdict typed into the file by hand is no second
/// reviewer, nor is one reviewer under two spellings.
#[must_use]
pub fn waits(
    config: &Config,
    case: &FailureCase,
    committed: Option<&FailureCase>,
    v: &Verdict,
) -> bool {
    let Some(sev) = case.severity else {
        return false;
    };
    if !config.review.needs_double_review(sev.as_str()) {
        return false;
    }
    let listed = |by: &str| {
        config.reviewers.is_empty()
            || config
                .reviewers
                .iter()
                .any(|r| r.email.eq_ignore_ascii_case(by))
    };
    !committed.is_some_and(|c| {
        c.verdicts
            .iter()
            .any(|o| !o.by.eq_ignore_ascii_case(&v.by) && listed(&o.by) && o.agrees(v))
    })
}

/// A promote or dismiss under double review. `decide` is the operation
/// itself; it runs first either way, so a verdict is refused for exactly
/// what the decision would be (no `[expected]`, already dismissed …). When
/// the verdict must wait, the decision's files are dropped and the verdict
/// is recorded instead. `committed` is the case file's text in HEAD.
pub fn gated(
    config: &Config,
    file: &SourceFile,
    committed: Option<&str>,
    v: &Verdict,
    decide: impl FnOnce() -> Result<ChangeSet, OpError>,
) -> Result<ChangeSet, OpError> {
    let decided = decide()?;
    let (case, _) = FailureCase::parse(&file.path, &file.text)?;
    let head = committed.and_then(|t| FailureCase::parse(&file.path, t).ok().map(|(c, _)| c));
    if waits(config, &case, head.as_ref(), v) {
        record(file, v)
    } else {
        Ok(decided)
    }
}

/// Records `v` in the case's `[[verdicts]]`, replacing the reviewer's own
/// earlier verdict (a reviewer changes their mind; they never count
/// twice).
pub fn record(file: &SourceFile, v: &Verdict) -> Result<ChangeSet, OpError> {
    let (case, _) = FailureCase::parse(&file.path, &file.text)?;
    match case.status {
        Status::Promoted => {
            let set = case.promotion.map(|p| p.set).unwrap_or_default();
            return Err(OpError::AlreadyPromoted { case: case.id, set });
        }
        Status::Dismissed => return Err(OpError::AlreadyDismissed(case.id)),
        Status::New | Status::Triaged => {}
    }
    if case.verdicts.iter().any(|o| o == v) {
        return Ok(ChangeSet::default());
    }
    let mut doc = edit::parse(&file.path, &file.text)?;
    let mut t = Table::new();
    t["by"] = Item::Value(Value::from(v.by.as_str()));
    t["verdict"] = Item::Value(Value::from(match v.verdict {
        VerdictKind::Promote => "promote",
        VerdictKind::Dismiss => "dismiss",
    }));
    if let Some(set) = &v.set {
        t["set"] = Item::Value(Value::from(set.as_str()));
    }
    if let Some(reason) = &v.reason {
        t["reason"] = Item::Value(Value::from(reason.as_str()));
    }
    t["at"] = Item::Value(edit::datetime(&v.at));
    if let Some(list) = doc
        .get_mut("verdicts")
        .and_then(Item::as_array_of_tables_mut)
    {
        list.retain(|o| o.get("by").and_then(Item::as_str) != Some(v.by.as_str()));
        list.push(t);
    } else {
        let mut list = ArrayOfTables::new();
        list.push(t);
        doc["verdicts"] = Item::ArrayOfTables(list);
    }
    Ok(ChangeSet {
        writes: vec![FileWrite {
            path: file.path.clone(),
            contents: doc.to_string(),
        }],
        intents: vec![Intent::Verdict {
            case: case.id.clone(),
            path: file.path.clone(),
            by: v.by.clone(),
            verdict: v.verdict,
            set: v.set.clone(),
            reason: v.reason.clone(),
            at: v.at.to_string(),
        }],
        actions: vec![Action::Verdict {
            case: case.id,
            decision: v.decision(),
        }],
    })
}

#[cfg(test)]
mod tests;
