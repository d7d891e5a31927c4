//! What a reviewer's choice does to the upstream's version of a case.

use crate::model::FailureCase;
use crate::model::case::Status;
use crate::model::workspace::{Kind, classify};
use crate::ops::edit;

/// Whether the failure file `text` records a promotion into `set`.
pub(super) fn promoted_into(path: &str, text: Option<String>, set: &str) -> bool {
    text.and_then(|t| FailureCase::parse(path, &t).ok())
        .and_then(|(c, _)| c.promotion)
        .is_some_and(|p| p.set == set)
}

/// Whether `--ours` can resolve a conflict on `path`, the upstream holding
/// `theirs`: only on a failure file the upstream did not promote (a case
/// is never taken back out of a set).
pub(super) fn can_take_ours(path: &str, theirs: Option<&str>) -> bool {
    if classify(path) != Some(Kind::Failure) {
        return false;
    }
    match theirs {
        None => true,
        Some(t) => FailureCase::parse(path, t).is_ok_and(|(c, _)| c.status != Status::Promoted),
    }
}

/// The upstream's case with its dismissal taken back: status as the local
/// commit's parent had it (`triaged` if that was a decision too), the
/// `[dismissal]` table gone, every tag and note kept. A case the upstream
/// deleted comes back as the parent had it.
pub(super) fn undecided(path: &str, theirs: Option<&str>, base: Option<&str>) -> Option<String> {
    let Some(text) = theirs else {
        return base.map(str::to_owned);
    };
    let parsed = FailureCase::parse(path, text).ok();
    if parsed.as_ref().map(|(c, _)| c.status) != Some(Status::Dismissed) {
        return Some(text.to_owned());
    }
    let Ok(mut doc) = edit::parse(path, text) else {
        return Some(text.to_owned());
    };
    let before = base
        .and_then(|b| FailureCase::parse(path, b).ok())
        .map(|(c, _)| c.status)
        .filter(|s| matches!(s, Status::New | Status::Triaged))
        .unwrap_or(Status::Triaged);
    edit::set_str(&mut doc, "status", before.as_str());
    doc.remove("dismissal");
    Some(doc.to_string())
}
