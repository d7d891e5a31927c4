//! Reading docket's trailers back out of a commit message: the typed
//! [`Action`]s of `Docket-Action:` lines, the reviewers' verdicts, and which
//! workspace files a trailer accounts for. `docket log` and `docket audit`
//! judge a commit by these, so a hand edit is what no trailer explains.
//!
//! # Verdicts
//!
//! A *verdict* is one reviewer's decision on a failure case, for the
//! double-review rule (`[review] double_review` in docket.toml): promoting or
//! dismissing a case of such a severity needs the same verdict from two
//! reviewers with different author emails. A commit records a verdict, by its
//! author, with either
//!
//! - `Docket-Action: promote <case> -> <set>@v<N>` (a promote verdict) or
//!   `Docket-Action: dismiss <case>` (a dismiss verdict), or
//! - `Docket-Verdict: <case> promote|dismiss` — one line per reviewer verdict,
//!   what the double-review flow writes when a reviewer decides without (yet)
//!   changing the case.

use super::Action;
use std::str::FromStr;

/// The prefix of an action trailer line.
pub const ACTION: &str = "Docket-Action: ";
/// The prefix of a verdict trailer line.
pub const VERDICT: &str = "Docket-Verdict: ";

/// What a reviewer decided about a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Decision {
    Promote,
    Dismiss,
}

impl Decision {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Promote => "promote",
            Self::Dismiss => "dismiss",
        }
    }
}

/// One `Docket-Verdict: <case> promote|dismiss` trailer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub case: String,
    pub decision: Decision,
}

impl FromStr for Verdict {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let mut w = s.split_whitespace();
        let case = w.next().ok_or(())?.to_owned();
        let decision = match w.next() {
            Some("promote") => Decision::Promote,
            Some("dismiss") => Decision::Dismiss,
            _ => return Err(()),
        };
        Ok(Self { case, decision })
    }
}

/// The docket trailers of one commit message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trailers {
    /// Every `Docket-Action:` line's text, parsed or not, in order.
    pub texts: Vec<String>,
    /// The lines that parse, in order.
    pub actions: Vec<Action>,
    pub verdicts: Vec<Verdict>,
}

impl Trailers {
    /// Reads every `Docket-Action:` and `Docket-Verdict:` line. docket's
    /// commit drops such lines from a user's own message, so any of them in
    /// a message is docket's (or a forgery, which no check of a message can
    /// tell apart).
    #[must_use]
    pub fn parse(message: &str) -> Self {
        let mut out = Self::default();
        for line in message.lines() {
            if let Some(t) = line.strip_prefix(ACTION) {
                out.texts.push(t.to_owned());
                if let Ok(a) = t.parse() {
                    out.actions.push(a);
                }
            } else if let Some(v) = line.strip_prefix(VERDICT).and_then(|v| v.parse().ok()) {
                out.verdicts.push(v);
            }
        }
        out
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty() && self.verdicts.is_empty()
    }

    /// The verdicts this commit records: its promote and dismiss actions
    /// and its `Docket-Verdict:` lines, as `(case, decision)`.
    pub fn decisions(&self) -> impl Iterator<Item = (&str, Decision)> {
        let acted = self.actions.iter().filter_map(|a| match a {
            Action::Promote { case, .. } => Some((case.as_str(), Decision::Promote)),
            Action::Dismiss { case } => Some((case.as_str(), Decision::Dismiss)),
            _ => None,
        });
        acted.chain(self.verdicts.iter().map(|v| (v.case.as_str(), v.decision)))
    }

    /// Whether some trailer accounts for a change to `path` (workspace
    /// relative); `added` says the commit created the file, which is what
    /// an import's trailer explains (it names the file imported, not the
    /// cases).
    #[must_use]
    pub fn covers(&self, path: &str, added: bool) -> bool {
        self.actions.iter().any(|a| a.covers(path, added))
            || self
                .verdicts
                .iter()
                .any(|v| failure_of(path).is_some_and(|c| c == v.case))
    }
}

/// The case id of `evals/failures/<month>/<id>.toml`.
fn failure_of(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("evals/failures/")?;
    let (_, file) = rest.split_once('/')?;
    file.strip_suffix(".toml").filter(|f| !f.contains('/'))
}

/// `(set, file stem)` of a file under `evals/sets/<set>/`: the case id for
/// `cases/<id>.toml`, `"set"` for `set.toml`.
fn set_file_of(path: &str) -> Option<(&str, Option<&str>)> {
    let rest = path.strip_prefix("evals/sets/")?;
    let (set, file) = rest.split_once('/')?;
    let case = file
        .strip_prefix("cases/")
        .and_then(|f| f.strip_suffix(".toml"));
    Some((set, case))
}

impl Action {
    /// Whether the action explains a change to `path` (workspace
    /// relative); `added`: the change created the file.
    #[must_use]
    pub fn covers(&self, path: &str, added: bool) -> bool {
        match self {
            Action::Init => true,
            Action::Edit { path: p } => p == path,
            Action::Tag { case, .. }
            | Action::Note { case }
            | Action::Dismiss { case }
            | Action::Verdict { case, .. } => failure_of(path) == Some(case),
            Action::Promote { case, set, .. } => {
                failure_of(path) == Some(case)
                    || path == format!("evals/sets/{set}/set.toml")
                    || set_file_of(path) == Some((set, Some(case)))
            }
            Action::Import { .. } => added && failure_of(path).is_some(),
            Action::Run { set, run, .. } => path == format!("evals/runs/{set}/{run}.toml"),
            Action::MemoNew { id } | Action::MemoStatus { id, .. } => path
                .strip_prefix("memos/")
                .is_some_and(|f| f.starts_with(&format!("{id}-")) && f.ends_with(".md")),
        }
    }

    /// Whether the action is about the item `id` (a case, set or memo id).
    #[must_use]
    pub fn names(&self, id: &str) -> bool {
        match self {
            Self::Init | Self::Import { .. } => false,
            Self::Tag { case, .. }
            | Self::Note { case }
            | Self::Dismiss { case }
            | Self::Verdict { case, .. } => case == id,
            Self::Promote { case, set, .. } => case == id || set == id,
            Self::Run { set, .. } => set == id,
            // `…/<id>.toml`, `runbooks/<id>.md`, `memos/<id>-<slug>.md`.
            Self::Edit { path } => {
                let file = path.rsplit('/').next().unwrap_or("");
                let stem = file.split_once('.').map_or(file, |(s, _)| s);
                stem == id || (path.starts_with("memos/") && stem.starts_with(&format!("{id}-")))
            }
            Self::MemoNew { id: m } | Self::MemoStatus { id: m, .. } => m == id,
        }
    }
}

/// Why a trailer's text is not an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAnAction(pub String);

impl std::fmt::Display for NotAnAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not a docket action: {:?}", self.0)
    }
}

impl FromStr for Action {
    type Err = NotAnAction;

    /// The inverse of `Display`: the text after `Docket-Action: `.
    fn from_str(s: &str) -> Result<Self, NotAnAction> {
        let bad = || NotAnAction(s.to_owned());
        let (verb, rest) = s.split_once(' ').unwrap_or((s, ""));
        let words: Vec<&str> = rest.split_whitespace().collect();
        let owned = |w: &str| w.to_owned();
        Ok(match (verb, words.as_slice()) {
            ("init", []) => Self::Init,
            ("tag", [case, tags @ ..]) if !tags.is_empty() => {
                let pick = |sign: char| -> Vec<String> {
                    tags.iter()
                        .filter_map(|t| t.strip_prefix(sign))
                        .map(owned)
                        .collect()
                };
                if tags.iter().any(|t| !t.starts_with(['+', '-'])) {
                    return Err(bad());
                }
                Self::Tag {
                    case: owned(case),
                    added: pick('+'),
                    removed: pick('-'),
                }
            }
            ("note", [case]) => Self::Note { case: owned(case) },
            ("dismiss", [case]) => Self::Dismiss { case: owned(case) },
            ("promote", [case, "->", target]) => {
                let (set, v) = target.rsplit_once("@v").ok_or_else(bad)?;
                Self::Promote {
                    case: owned(case),
                    set: owned(set),
                    version: v.parse().map_err(|_| bad())?,
                }
            }
            ("edit", [_, ..]) => Self::Edit {
                path: rest.to_owned(),
            },
            ("memo", ["new", id]) => Self::MemoNew { id: owned(id) },
            ("memo", [id, from, "->", to]) => Self::MemoStatus {
                id: owned(id),
                from: owned(from),
                to: owned(to),
            },
            ("import", [tool, .., last]) if words.len() >= 3 => {
                let cases = last.strip_prefix('+').ok_or_else(bad)?;
                // The file name may hold spaces: everything between.
                let file = rest
                    .strip_prefix(tool)
                    .and_then(|r| r.trim().strip_suffix(last))
                    .map_or("", str::trim);
                Self::Import {
                    tool: owned(tool),
                    file: file.to_owned(),
                    cases: cases.parse().map_err(|_| bad())?,
                }
            }
            ("run", [set, run, passed, "passed", failed, "failed"]) => Self::Run {
                set: owned(set),
                run: owned(run),
                passed: passed.parse().map_err(|_| bad())?,
                failed: failed.parse().map_err(|_| bad())?,
            },
            _ => return Err(bad()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_back() {
        let all = vec![
            Action::Init,
            Action::Tag {
                case: "c-1".into(),
                added: vec!["tone".into(), "x".into()],
                removed: vec!["old".into()],
            },
            Action::Note { case: "c-1".into() },
            Action::Promote {
                case: "c-1".into(),
                set: "s".into(),
                version: 5,
            },
            Action::Dismiss { case: "c-1".into() },
            Action::Edit {
                path: "evals/failures/2026-11/a b.toml".into(),
            },
            Action::MemoNew { id: "0007".into() },
            Action::MemoStatus {
                id: "0007".into(),
                from: "draft".into(),
                to: "proposed".into(),
            },
            Action::Import {
                tool: "promptfoo".into(),
                file: "my results.json".into(),
                cases: 3,
            },
            Action::Run {
                set: "s".into(),
                run: "r1".into(),
                passed: 9,
                failed: 1,
            },
        ];
        for a in all {
            assert_eq!(a.to_string().parse::<Action>(), Ok(a.clone()), "{a}");
        }
        assert!("tag c-1".parse::<Action>().is_err());
        assert!("promote c-1 s".parse::<Action>().is_err());
        assert!("frobnicate".parse::<Action>().is_err());
    }

    #[test]
    fn trailers_cover_their_files() {
        let t = Trailers::parse(
            "docket: review\n\nDocket-Action: promote c-1 -> s@v2\nDocket-Action: tag c-2 +x\nDocket-Verdict: c-3 dismiss\nDocket-Action: bogus\n",
        );
        assert_eq!(t.texts.len(), 3);
        assert_eq!(t.actions.len(), 2);
        assert!(t.covers("evals/failures/2026-11/c-1.toml", false));
        assert!(t.covers("evals/sets/s/cases/c-1.toml", true));
        assert!(t.covers("evals/sets/s/set.toml", false));
        assert!(!t.covers("evals/sets/t/cases/c-1.toml", true));
        assert!(t.covers("evals/failures/2026-10/c-2.toml", false));
        assert!(t.covers("evals/failures/2026-10/c-3.toml", false));
        assert!(!t.covers("evals/failures/2026-10/c-4.toml", false));
        assert_eq!(
            t.decisions().collect::<Vec<_>>(),
            vec![("c-1", Decision::Promote), ("c-3", Decision::Dismiss)]
        );
        let import = Trailers::parse("Docket-Action: import jsonl f.jsonl +2");
        assert!(import.covers("evals/failures/2026-11/new.toml", true));
        assert!(!import.covers("evals/failures/2026-11/old.toml", false));
        assert!(Trailers::parse("fix typo").is_empty());
    }
}
