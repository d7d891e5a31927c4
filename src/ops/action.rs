//! The actions docket records: one commit trailer each, and the journal's
//! record of what is pending.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Action {
    /// A workspace created by `docket init`.
    Init,
    Tag {
        case: String,
        added: Vec<String>,
        removed: Vec<String>,
    },
    Note {
        case: String,
    },
    Promote {
        case: String,
        set: String,
        version: u64,
    },
    Dismiss {
        case: String,
    },
    /// A verdict under double review, waiting for a second reviewer's
    /// (`decision`: `promote SET` or `dismiss`). Its trailer is
    /// `Docket-Verdict:`, not `Docket-Action:`: nothing was decided yet.
    Verdict {
        case: String,
        decision: String,
    },
    /// A file changed by hand, committed because the user asked (`--all`).
    Edit {
        path: String,
    },
    /// A memo drafted by `docket memo new`.
    MemoNew {
        id: String,
    },
    /// A memo moved along its lifecycle.
    MemoStatus {
        id: String,
        from: String,
        to: String,
    },
    /// Failure cases created from a runner's results (`docket import`).
    Import {
        tool: String,
        file: String,
        cases: usize,
    },
    /// A run of an eval set recorded from a runner's results (`docket run
    /// import`).
    Run {
        set: String,
        run: String,
        passed: u64,
        failed: u64,
    },
}

impl fmt::Display for Action {
    /// The text after `Docket-Action: ` in a commit message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Init => f.write_str("init"),
            Self::Tag {
                case,
                added,
                removed,
            } => {
                write!(f, "tag {case}")?;
                for t in added {
                    write!(f, " +{t}")?;
                }
                for t in removed {
                    write!(f, " -{t}")?;
                }
                Ok(())
            }
            Self::Note { case } => write!(f, "note {case}"),
            Self::Promote { case, set, version } => write!(f, "promote {case} -> {set}@v{version}"),
            Self::Dismiss { case } => write!(f, "dismiss {case}"),
            Self::Verdict { case, decision } => write!(f, "verdict {case} {decision}"),
            Self::Edit { path } => write!(f, "edit {path}"),
            Self::MemoNew { id } => write!(f, "memo new {id}"),
            Self::MemoStatus { id, from, to } => write!(f, "memo {id} {from} -> {to}"),
            Self::Import { tool, file, cases } => write!(f, "import {tool} {file} +{cases}"),
            Self::Run {
                set,
                run,
                passed,
                failed,
            } => write!(f, "run {set} {run} {passed} passed {failed} failed"),
        }
    }
}

impl Action {
    /// The commit trailer that records the action: `Docket-Action: …`, or
    /// for a verdict `Docket-Verdict: CASE DECISION`.
    #[must_use]
    pub fn trailer(&self) -> String {
        match self {
            Self::Verdict { case, decision } => format!("Docket-Verdict: {case} {decision}"),
            _ => format!("Docket-Action: {self}"),
        }
    }
}

impl Action {
    /// Reads back a line of a commit message that [`Action::trailer`]
    /// wrote, or the text after its `Docket-Action: `; `None` for anything
    /// docket did not write.
    #[must_use]
    pub fn from_trailer(line: &str) -> Option<Self> {
        let verdict = |text: &str| {
            let (case, decision) = text.trim().split_once(' ')?;
            Some(Self::Verdict {
                case: case.to_owned(),
                decision: decision.trim().to_owned(),
            })
        };
        if let Some(rest) = line.strip_prefix("Docket-Verdict: ") {
            return verdict(rest);
        }
        // The whole line, or (as sync reads it) the text after the prefix.
        let rest = line.strip_prefix("Docket-Action: ").unwrap_or(line).trim();
        match rest.strip_prefix("verdict ") {
            Some(v) => verdict(v),
            // The text's own reading (`ops::trailer`'s `FromStr`).
            None => rest.parse().ok(),
        }
    }
}

/// Merges the imports of one file (written in batches) into one action,
/// at the place of the first.
pub fn coalesce(actions: impl IntoIterator<Item = Action>) -> Vec<Action> {
    let mut out: Vec<Action> = Vec::new();
    for a in actions {
        if let Action::Import { tool, file, cases } = &a
            && let Some(Action::Import { cases: total, .. }) = out.iter_mut().find(
                |x| matches!(x, Action::Import { tool: t, file: f, .. } if t == tool && f == file),
            )
        {
            *total += cases;
            continue;
        }
        out.push(a);
    }
    out
}

/// The one-line summary of a commit: `docket: review 2026-11-23 — 3 tagged, 1
/// promoted, 1 dismissed`.
#[must_use]
pub fn summary_line(actions: &[Action], day: &str) -> String {
    if actions.iter().all(|a| matches!(a, Action::Init)) && !actions.is_empty() {
        return "docket: init workspace".to_owned();
    }
    let count = |f: fn(&Action) -> bool| actions.iter().filter(|a| f(a)).count();
    let parts: Vec<String> = [
        (count(|a| matches!(a, Action::Tag { .. })), "tagged"),
        (count(|a| matches!(a, Action::Note { .. })), "noted"),
        (count(|a| matches!(a, Action::Promote { .. })), "promoted"),
        (count(|a| matches!(a, Action::Dismiss { .. })), "dismissed"),
        (
            count(|a| matches!(a, Action::Verdict { .. })),
            "verdicts awaiting a second reviewer",
        ),
        (count(|a| matches!(a, Action::Edit { .. })), "edited"),
        (
            count(|a| matches!(a, Action::MemoNew { .. } | Action::MemoStatus { .. })),
            "memo changes",
        ),
        (
            actions
                .iter()
                .map(|a| match a {
                    Action::Import { cases, .. } => *cases,
                    _ => 0,
                })
                .sum(),
            "imported",
        ),
        (count(|a| matches!(a, Action::Run { .. })), "runs recorded"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, w)| format!("{n} {w}"))
    .collect();
    if parts.is_empty() {
        format!("docket: review {day}")
    } else {
        format!("docket: review {day} — {}", parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The verdict forms and the prefixes; every action's own text is
    /// `ops::trailer`'s round trip.
    #[test]
    fn trailers_read_back_with_or_without_their_prefix() {
        let all = vec![
            Action::Promote {
                case: "b".into(),
                set: "billing-refunds".into(),
                version: 12,
            },
            Action::Verdict {
                case: "c".into(),
                decision: "promote billing-refunds".into(),
            },
            Action::Verdict {
                case: "c".into(),
                decision: "dismiss".into(),
            },
        ];
        for a in all {
            assert_eq!(Action::from_trailer(&a.trailer()), Some(a.clone()), "{a}");
            // As sync reads it: the action's own text.
            assert_eq!(Action::from_trailer(&a.to_string()), Some(a.clone()), "{a}");
        }
        assert_eq!(Action::from_trailer("Signed-off-by: x"), None);
        assert_eq!(
            Action::from_trailer("Docket-Action: promote b -> nowhere"),
            None
        );
    }

    #[test]
    fn trailers_and_summary() {
        let actions = vec![
            Action::Tag {
                case: "a".into(),
                added: vec!["tone".into()],
                removed: vec!["x".into()],
            },
            Action::Promote {
                case: "b".into(),
                set: "s".into(),
                version: 5,
            },
            Action::Dismiss { case: "c".into() },
            Action::Tag {
                case: "d".into(),
                added: vec!["tone".into()],
                removed: vec![],
            },
        ];
        assert_eq!(actions[0].to_string(), "tag a +tone -x");
        assert_eq!(actions[1].to_string(), "promote b -> s@v5");
        assert_eq!(
            summary_line(&actions, "2026-11-23"),
            "docket: review 2026-11-23 — 2 tagged, 1 promoted, 1 dismissed"
        );
        assert_eq!(summary_line(&[Action::Init], "x"), "docket: init workspace");
        for a in &actions {
            assert_eq!(Action::from_trailer(&a.to_string()).as_ref(), Some(a));
        }
        for a in [
            Action::Init,
            Action::Note { case: "a".into() },
            Action::Edit {
                path: "memos/0001-a b.md".into(),
            },
            Action::MemoNew { id: "0002".into() },
            Action::MemoStatus {
                id: "0002".into(),
                from: "draft".into(),
                to: "proposed".into(),
            },
            Action::Import {
                tool: "jsonl".into(),
                file: "my results.jsonl".into(),
                cases: 3,
            },
            Action::Run {
                set: "s".into(),
                run: "r1".into(),
                passed: 9,
                failed: 1,
            },
        ] {
            assert_eq!(Action::from_trailer(&a.to_string()), Some(a));
        }
        assert_eq!(Action::from_trailer("shrug"), None);
        let json = serde_json::to_string(&actions[1]).unwrap();
        assert_eq!(serde_json::from_str::<Action>(&json).unwrap(), actions[1]);
    }
}
