//! The replay engine: re-applies a reviewer's pending actions to a newer
//! version of the files they touched.
//!
//! docket shares its repository with other writers. When someone else
//! commits a new version of a file that holds an uncommitted docket change
//! (their own `git commit`, a teammate's pushed work, a sync), docket must
//! neither refuse nor overwrite: tag, note, dismiss and promote are actions,
//! not text, so they are done again on the new content. A tag added on each
//! side gives both tags, notes from both sides are kept in time order, and a
//! set version bumped on the other side is bumped once more for ours. Only a
//! true conflict — the case deleted, or dismissed on one side and promoted on
//! the other — is refused, naming both sides.
//!
//! Everything here is a plain function of (base, ours, theirs, intents): no
//! git, no disk, so the store's reconciliation and the team sync use the
//! same code and tests can state every case directly.

use super::promote::{mark_promoted, version_value};
use super::{OpError, SourceFile, edit};
use crate::model::case::{Status, Verdict, VerdictKind};
use crate::model::{EvalSet, FailureCase};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// One action as data that can be applied again. Times are RFC 3339 text so
/// the journal stays plain JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Intent {
    Tag {
        case: String,
        path: String,
        add: Vec<String>,
        remove: Vec<String>,
    },
    Note {
        case: String,
        path: String,
        author: String,
        at: String,
        text: String,
    },
    Dismiss {
        case: String,
        path: String,
        reason: String,
        by: String,
        at: String,
    },
    /// Touches three files: the failure (`path`), the set's `set.toml`
    /// (`set_path`, version bumped once per commit) and the set's copy of
    /// the case.
    Promote {
        case: String,
        path: String,
        set: String,
        set_path: String,
        by: String,
        at: String,
    },
    /// A verdict recorded under double review (`ops::verdict`).
    Verdict {
        case: String,
        path: String,
        by: String,
        verdict: VerdictKind,
        set: Option<String>,
        reason: Option<String>,
        at: String,
    },
}

impl Intent {
    /// The case the intent is about.
    #[must_use]
    pub fn case(&self) -> &str {
        match self {
            Self::Tag { case, .. }
            | Self::Note { case, .. }
            | Self::Dismiss { case, .. }
            | Self::Promote { case, .. }
            | Self::Verdict { case, .. } => case,
        }
    }

    /// Every workspace path the intent writes.
    #[must_use]
    pub fn paths(&self) -> Vec<String> {
        match self {
            Self::Tag { path, .. }
            | Self::Note { path, .. }
            | Self::Dismiss { path, .. }
            | Self::Verdict { path, .. } => {
                vec![path.clone()]
            }
            Self::Promote {
                path,
                set,
                set_path,
                case,
                ..
            } => vec![path.clone(), set_path.clone(), set_case_path(set, case)],
        }
    }

    /// Whether the intent writes `path`.
    #[must_use]
    pub fn touches(&self, path: &str) -> bool {
        self.paths().iter().any(|p| p == path)
    }

    /// What the intent does, for a conflict message.
    fn describe(&self) -> String {
        match self {
            Self::Tag { add, remove, .. } => {
                let mut parts: Vec<String> = add.iter().map(|t| format!("+{t}")).collect();
                parts.extend(remove.iter().map(|t| format!("-{t}")));
                format!("tagged {}", parts.join(" "))
            }
            Self::Note { author, .. } => format!("noted by {author}"),
            Self::Dismiss { reason, by, .. } => format!("dismissed by {by} ({reason})"),
            Self::Promote { set, by, .. } => format!("promoted into {set} by {by}"),
            Self::Verdict {
                by, verdict, set, ..
            } => match (verdict, set) {
                (VerdictKind::Promote, Some(set)) => format!("{by}'s verdict: promote into {set}"),
                _ => format!("{by}'s verdict: dismiss"),
            },
        }
    }
}

/// Where a promotion puts the set's copy of a case.
#[must_use]
pub fn set_case_path(set: &str, case: &str) -> String {
    format!("evals/sets/{set}/cases/{case}.toml")
}

/// A change that cannot be re-applied: both sides decided differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub path: String,
    pub case: Option<String>,
    /// What the pending docket change does.
    pub ours: String,
    /// What the other side did.
    pub theirs: String,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.path)?;
        if let Some(c) = &self.case {
            write!(f, "case {c}: ")?;
        }
        write!(f, "pending here: {}; in HEAD: {}", self.ours, self.theirs)
    }
}

/// What a replay produced for one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    /// The file after each entry, in order (`None`: absent).
    pub steps: Vec<Option<String>>,
    /// For each entry, whether it changed anything on top of `theirs`
    /// (`false`: the other side already has it).
    pub applied: Vec<bool>,
}

/// What the replay needs to know beyond one file: the version each set's
/// pending promotions go into (recomputed from the other side's set.toml).
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub versions: BTreeMap<String, u64>,
    /// The other side's docket.toml, for double review: a promote or
    /// dismiss done again must still have a second reviewer's agreeing
    /// verdict on that side (`None`: not checked).
    pub rules: Option<crate::model::Config>,
}

/// Re-applies the pending `entries` (each the intents one change set made on
/// `path`; an empty one is a change docket cannot redo, like a memo edit) to
/// `theirs`, the other side's version of `path`. `base` is the version both
/// sides started from and `ours` the pending version, used where an action
/// is not re-applicable: then only `theirs == ours` is accepted.
pub fn replay(
    path: &str,
    base: Option<&str>,
    ours: Option<&str>,
    theirs: Option<&str>,
    entries: &[&[Intent]],
    ctx: &Context,
) -> Result<Replay, Conflict> {
    let mut cur = theirs.map(str::to_owned);
    let mut out = Replay {
        steps: Vec::with_capacity(entries.len()),
        applied: Vec::with_capacity(entries.len()),
    };
    for intents in entries {
        let mut applied = false;
        if intents.is_empty() && theirs != ours {
            return Err(Conflict {
                path: path.to_owned(),
                case: None,
                ours: "changed by docket (not a tag, note, dismissal or promotion)".into(),
                theirs: if theirs == base {
                    "unchanged".into()
                } else {
                    "changed differently".into()
                },
            });
        }
        for intent in intents.iter().filter(|i| i.touches(path)) {
            if let Some(next) = apply(path, ours, cur.as_deref(), intent, ctx)? {
                cur = Some(next);
                applied = true;
            }
        }
        out.steps.push(cur.clone());
        out.applied.push(applied);
    }
    Ok(out)
}

/// Applies one intent to the current text of `path`: the new text, or
/// `None` when the text already has it.
fn apply(
    path: &str,
    ours: Option<&str>,
    cur: Option<&str>,
    intent: &Intent,
    ctx: &Context,
) -> Result<Option<String>, Conflict> {
    let conflict = |theirs: String| Conflict {
        path: path.to_owned(),
        case: Some(intent.case().to_owned()),
        ours: intent.describe(),
        theirs,
    };
    let invalid = |e: OpError| conflict(format!("not a valid file ({e})"));
    if let Intent::Promote { set, set_path, .. } = intent {
        if path == set_path {
            return bump(path, cur, set, ctx).map_err(|e| conflict(e.clone()));
        }
        if path != intent.paths()[0] {
            return set_case(path, ours, cur, set, ctx).map_err(conflict);
        }
    }
    let Some(text) = cur else {
        return Err(conflict("the case was deleted".into()));
    };
    let file = SourceFile {
        path: path.to_owned(),
        text: text.to_owned(),
    };
    let (case, _) = FailureCase::parse(path, text).map_err(|d| invalid(d.into()))?;
    if needs_second(intent, &case, ctx) {
        return Err(conflict(second_gone()));
    }
    let changed = match intent {
        Intent::Tag { add, remove, .. } => super::tag::retag(&file, add, remove),
        Intent::Note {
            author, at, text, ..
        } => {
            if case
                .notes
                .iter()
                .any(|n| &n.author == author && &n.at.to_string() == at && &n.text == text)
            {
                return Ok(None);
            }
            let when = datetime(at);
            return super::note(&file, author, &when, text)
                .map(|cs| {
                    cs.writes
                        .into_iter()
                        .next()
                        .map(|w| in_time_order(path, w.contents, &when))
                })
                .map_err(invalid);
        }
        Intent::Dismiss { reason, by, at, .. } => match case.status {
            Status::Dismissed => return Ok(None),
            Status::Promoted => {
                let set = case.promotion.map(|p| p.set).unwrap_or_default();
                return Err(conflict(format!("promoted into {set}")));
            }
            Status::New | Status::Triaged => super::dismiss(&file, by, &datetime(at), reason),
        },
        Intent::Verdict {
            by,
            verdict,
            set,
            reason,
            at,
            ..
        } => {
            let v = Verdict {
                by: by.clone(),
                verdict: *verdict,
                set: set.clone(),
                reason: reason.clone(),
                at: datetime(at),
            };
            match decided_otherwise(case, &v) {
                Ok(true) => return Ok(None),
                Ok(false) => super::verdict::record(&file, &v),
                Err(theirs) => return Err(conflict(theirs)),
            }
        }
        Intent::Promote { set, by, at, .. } => match (case.status, case.promotion) {
            (Status::Dismissed, _) => {
                let reason = case.dismissal.map(|d| d.reason).unwrap_or_default();
                return Err(conflict(format!("dismissed ({reason})")));
            }
            (Status::Promoted, Some(p)) if &p.set == set => return Ok(None),
            (Status::Promoted, p) => {
                let other = p.map(|p| p.set).unwrap_or_default();
                return Err(conflict(format!("promoted into {other}")));
            }
            _ => {
                let mut doc = edit::parse(path, text).map_err(invalid)?;
                let version = ctx.versions.get(set).copied().unwrap_or(1);
                mark_promoted(&mut doc, set, version, by, &datetime(at));
                return Ok(Some(doc.to_string()));
            }
        },
    }
    .map_err(invalid)?;
    Ok(changed.writes.into_iter().next().map(|w| w.contents))
}

/// Whether `intent`, a promote or dismiss of an undecided case, would now
/// be one reviewer's: under double review (as the other side's docket.toml
/// says) with no other reviewer's agreeing verdict in the other side's file.
fn needs_second(intent: &Intent, case: &FailureCase, ctx: &Context) -> bool {
    let Some(rules) = &ctx.rules else {
        return false;
    };
    let v = match intent {
        Intent::Promote { set, by, at, .. } => Verdict::promote(by, set, &datetime(at)),
        Intent::Dismiss { reason, by, at, .. } => Verdict::dismiss(by, reason, &datetime(at)),
        _ => return false,
    };
    matches!(case.status, Status::New | Status::Triaged)
        && super::verdict::waits(rules, case, Some(case), &v)
}

/// Why a double-review decision cannot be done again: the second
/// reviewer's agreeing verdict it relied on is not on the other side.
fn second_gone() -> String {
    "no second reviewer's agreeing verdict there any more (double review): the decision would be one reviewer's".to_owned()
}

/// Whether the other side already decided the case a verdict is about:
/// `Ok(true)` the same way (the verdict needs nothing more), `Ok(false)`
/// not at all (record it), `Err` another way (what it decided).
fn decided_otherwise(case: FailureCase, v: &Verdict) -> Result<bool, String> {
    match (case.status, case.promotion, case.dismissal) {
        (Status::New | Status::Triaged, _, _) => Ok(false),
        (Status::Promoted, Some(p), _)
            if v.verdict == VerdictKind::Promote && v.set.as_ref() == Some(&p.set) =>
        {
            Ok(true)
        }
        (Status::Dismissed, _, _) if v.verdict == VerdictKind::Dismiss => Ok(true),
        (Status::Promoted, p, _) => Err(format!(
            "promoted into {}",
            p.map(|p| p.set).unwrap_or_default()
        )),
        (Status::Dismissed, _, d) => Err(format!(
            "dismissed ({})",
            d.map(|d| d.reason).unwrap_or_default()
        )),
    }
}

/// Moves the note just appended (the last one) to its place in time among
/// the notes: a note written here before the other side's notes goes
/// before them, as if both had been committed in the order they were made.
fn in_time_order(path: &str, text: String, when: &toml::value::Datetime) -> String {
    let Ok(mut doc) = edit::parse(path, &text) else {
        return text;
    };
    let at = |t: &toml_edit::Table| {
        t.get("at")
            .and_then(|v| v.as_datetime())
            .and_then(|d| d.to_string().parse::<toml::value::Datetime>().ok())
            .and_then(|d| crate::model::time::unix_from_datetime(&d))
    };
    let Some(mine) = crate::model::time::unix_from_datetime(when) else {
        return text;
    };
    let Some(notes) = doc
        .get_mut("notes")
        .and_then(toml_edit::Item::as_array_of_tables_mut)
    else {
        return text;
    };
    let n = notes.len();
    let place = notes
        .iter()
        .take(n.saturating_sub(1))
        .position(|t| at(t).is_some_and(|t| t > mine));
    let Some(place) = place else {
        return text;
    };
    // Positions order tables in the document: the notes keep the slots
    // they had, filled in their new order.
    let positions: Vec<Option<isize>> = notes.iter().map(toml_edit::Table::position).collect();
    let moved = notes.remove(n - 1);
    notes.insert(place, moved);
    for (i, t) in notes.iter_mut().enumerate().skip(place) {
        t.set_position(positions[i]);
    }
    doc.to_string()
}

/// A set.toml with its version at what the pending promotions go into.
fn bump(path: &str, cur: Option<&str>, set: &str, ctx: &Context) -> Result<Option<String>, String> {
    let text = cur.ok_or("the set was deleted")?;
    let (parsed, _) = EvalSet::parse(path, text).map_err(|d| d.to_string())?;
    let Some(&version) = ctx.versions.get(set) else {
        return Ok(None);
    };
    if parsed.version == version {
        return Ok(None);
    }
    let mut doc = edit::parse(path, text).map_err(|e| e.to_string())?;
    edit::set_value(&mut doc, "version", version_value(version));
    Ok(Some(doc.to_string()))
}

/// The set's copy of a promoted case: ours, with the version it enters in.
fn set_case(
    path: &str,
    ours: Option<&str>,
    cur: Option<&str>,
    set: &str,
    ctx: &Context,
) -> Result<Option<String>, String> {
    let ours = ours.ok_or("the set's copy of the case was removed by hand")?;
    let mut doc = edit::parse(path, ours).map_err(|e| e.to_string())?;
    if let (Some(v), Some(prov)) = (
        ctx.versions.get(set),
        doc.get_mut("provenance")
            .and_then(toml_edit::Item::as_table_like_mut),
    ) {
        prov.insert(
            "added_in_version",
            toml_edit::Item::Value(version_value(*v)),
        );
    }
    let want = doc.to_string();
    match cur {
        None => Ok(Some(want)),
        Some(c) if c == want => Ok(None),
        // Our own copy, to be renumbered.
        Some(c) if c == ours => Ok(Some(want)),
        // The other side promoted the same case: its copy stands.
        Some(c) if same_case(c, &want) => Ok(None),
        Some(_) => Err(format!(
            "set {set} already has a different copy of this case"
        )),
    }
}

/// Whether two set-case files differ only in provenance bookkeeping (the
/// failure blob and the version), which docket recomputes anyway.
fn same_case(a: &str, b: &str) -> bool {
    let strip = |t: &str| {
        t.parse::<toml_edit::DocumentMut>().ok().map(|mut d| {
            if let Some(p) = d
                .get_mut("provenance")
                .and_then(toml_edit::Item::as_table_like_mut)
            {
                p.remove("failure_blob");
                p.remove("added_in_version");
            }
            d.to_string()
        })
    };
    strip(a).is_some() && strip(a) == strip(b)
}

fn datetime(s: &str) -> toml::value::Datetime {
    crate::model::time::parse(s).unwrap_or_else(|| crate::model::time::datetime_from_unix(0))
}

#[cfg(test)]
#[path = "replay_tests.rs"]
mod tests;
