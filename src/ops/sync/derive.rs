//! A docket commit's actions as replayable intents, derived from the commit
//! itself: its `Docket-Action:` trailers say what was done to which case,
//! and its own diff (each failure file parsed with the model, parent against
//! commit) supplies what the trailers leave out — a note's text and time, a
//! dismissal's reason, who promoted and when.
//!
//! Why the diff and not intents stored in the message: the commit format is
//! the product's (section 8) and other tools read it; commits made before
//! sync existed carry no such data; and a message can claim anything, while
//! the diff is what the commit did. The derivation is checked by replaying
//! the intents on the parent's files: unless that gives the commit's files
//! byte for byte, the commit is not explained by its actions (a hand edit
//! rode along) and is treated as opaque.

use crate::model::FailureCase;
use crate::model::workspace::{Kind, classify};
use crate::ops::replay::{self, Context, Intent};
use std::collections::BTreeMap;

/// One `Docket-Action:` trailer, as far as sync needs to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trailer {
    Tag {
        case: String,
        add: Vec<String>,
        remove: Vec<String>,
    },
    Note {
        case: String,
    },
    Dismiss {
        case: String,
    },
    Promote {
        case: String,
        set: String,
    },
    /// A double-review verdict (`Docket-Verdict:`, read as `verdict CASE
    /// DECISION`).
    Verdict {
        case: String,
    },
    /// Anything else (init, import, memo, run, edit): not replayable.
    Other,
}

impl Trailer {
    /// Reads the text after `Docket-Action: `.
    #[must_use]
    pub fn parse(text: &str) -> Self {
        let mut words = text.split_whitespace();
        let (Some(kind), Some(case)) = (words.next(), words.next()) else {
            return Self::Other;
        };
        let case = case.to_owned();
        match kind {
            "tag" => {
                let (mut add, mut remove) = (Vec::new(), Vec::new());
                for w in words {
                    if let Some(t) = w.strip_prefix('+') {
                        add.push(t.to_owned());
                    } else if let Some(t) = w.strip_prefix('-') {
                        remove.push(t.to_owned());
                    }
                }
                Self::Tag { case, add, remove }
            }
            "note" => Self::Note { case },
            "dismiss" => Self::Dismiss { case },
            "verdict" => Self::Verdict { case },
            "promote" => match (words.next(), words.next()) {
                (Some("->"), Some(target)) => {
                    let set = target.rsplit_once("@v").map_or(target, |(s, _)| s);
                    Self::Promote {
                        case,
                        set: set.to_owned(),
                    }
                }
                _ => Self::Other,
            },
            _ => Self::Other,
        }
    }

    /// The case a replayable trailer is about.
    #[must_use]
    pub fn case(&self) -> Option<&str> {
        match self {
            Self::Tag { case, .. }
            | Self::Note { case }
            | Self::Dismiss { case }
            | Self::Verdict { case }
            | Self::Promote { case, .. } => Some(case),
            Self::Other => None,
        }
    }
}

/// One file a commit changed: its text in the parent and in the commit
/// (`None`: absent). Paths are workspace-relative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub path: String,
    pub base: Option<String>,
    pub ours: Option<String>,
}

/// The intents of a commit, one per replayable trailer, in trailer order,
/// each with its trailer's index; `None` when the commit is not fully
/// explained by them.
#[must_use]
pub fn intents(trailers: &[Trailer], changed: &[Changed]) -> Option<Vec<(usize, Intent)>> {
    let failure = |case: &str| {
        changed.iter().find(|c| {
            classify(&c.path) == Some(Kind::Failure)
                && c.path.rsplit('/').next() == Some(&format!("{case}.toml"))
        })
    };
    let parse = |path: &str, text: Option<&String>| {
        text.and_then(|t| FailureCase::parse(path, t).ok().map(|(c, _)| c))
    };
    let mut notes_used: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for (k, t) in trailers.iter().enumerate() {
        let Some(case) = t.case() else { continue };
        let c = failure(case)?;
        let path = c.path.clone();
        let ours = parse(&path, c.ours.as_ref())?;
        let intent = match t {
            Trailer::Tag { add, remove, .. } => Intent::Tag {
                case: case.to_owned(),
                path,
                add: add.clone(),
                remove: remove.clone(),
            },
            Trailer::Note { .. } => {
                let base = parse(&path, c.base.as_ref())?;
                let k = notes_used.entry(case.to_owned()).or_default();
                let new: Vec<_> = ours
                    .notes
                    .iter()
                    .filter(|n| {
                        !base
                            .notes
                            .iter()
                            .any(|b| b.author == n.author && b.at == n.at && b.text == n.text)
                    })
                    .collect();
                let n = new.get(*k)?;
                *k += 1;
                Intent::Note {
                    case: case.to_owned(),
                    path,
                    author: n.author.clone(),
                    at: n.at.to_string(),
                    text: n.text.clone(),
                }
            }
            Trailer::Dismiss { .. } => {
                let d = ours.dismissal?;
                Intent::Dismiss {
                    case: case.to_owned(),
                    path,
                    reason: d.reason,
                    by: d.by,
                    at: d.at.to_string(),
                }
            }
            Trailer::Promote { set, .. } => {
                let p = ours.promotion.filter(|p| &p.set == set)?;
                Intent::Promote {
                    case: case.to_owned(),
                    path,
                    set: p.set,
                    set_path: format!("evals/sets/{set}/set.toml"),
                    by: p.by,
                    at: p.at.to_string(),
                }
            }
            Trailer::Verdict { .. } => {
                // The verdict this commit wrote: the one its file gained.
                let base = parse(&path, c.base.as_ref());
                let v = ours
                    .verdicts
                    .iter()
                    .find(|v| base.as_ref().is_none_or(|b| !b.verdicts.contains(v)))?;
                Intent::Verdict {
                    case: case.to_owned(),
                    path,
                    by: v.by.clone(),
                    verdict: v.verdict,
                    set: v.set.clone(),
                    reason: v.reason.clone(),
                    at: v.at.to_string(),
                }
            }
            Trailer::Other => continue,
        };
        out.push((k, intent));
    }
    let only: Vec<Intent> = out.iter().map(|(_, i)| i.clone()).collect();
    explains(&only, changed).then_some(out)
}

/// Whether replaying `intents` on the parent's files gives the commit's
/// files exactly, and touches only files the commit changed.
fn explains(intents: &[Intent], changed: &[Changed]) -> bool {
    let mut ctx = Context::default();
    for i in intents {
        if let Intent::Promote { path, set, .. } = i {
            let Some(c) = changed.iter().find(|c| &c.path == path) else {
                return false;
            };
            let version = c
                .ours
                .as_deref()
                .and_then(|t| FailureCase::parse(path, t).ok())
                .and_then(|(f, _)| f.promotion)
                .map(|p| p.version);
            let Some(v) = version else { return false };
            ctx.versions.insert(set.clone(), v);
        }
    }
    let touched: Vec<String> = intents.iter().flat_map(Intent::paths).collect();
    if touched
        .iter()
        .any(|p| !changed.iter().any(|c| &c.path == p))
    {
        return false;
    }
    changed
        .iter()
        .filter(|c| touched.contains(&c.path))
        .all(|c| {
            let mine: Vec<Intent> = intents
                .iter()
                .filter(|i| i.touches(&c.path))
                .cloned()
                .collect();
            replay::replay(
                &c.path,
                c.base.as_deref(),
                c.ours.as_deref(),
                c.base.as_deref(),
                &[&mine],
                &ctx,
            )
            .is_ok_and(|r| r.steps.last().cloned().flatten() == c.ours)
        })
}
