//! Memo lifecycle (docs/format.md, "Memo"): drafting a memo from the template and
//! moving it `draft → proposed → accepted | rejected`, `accepted →
//! deprecated | superseded`, with the checks each step needs.

use super::{Action, ChangeSet, FileWrite, OpError, SourceFile};
use crate::model::Memo;
use crate::model::frontmatter;
use crate::model::memo::{MemoStatus, SECTIONS};
use std::fmt::Write as _;
use toml::value::Datetime;
use toml_edit::{DocumentMut, Value};

/// One line per section, saying what belongs there. HTML comments: they do
/// not show in rendered markdown and do not count as content.
const PROMPTS: &[&str] = &[
    "What is happening, and why does it need a decision now?",
    "What must be true for this decision to be right?",
    "Limits the decision must respect: policy, budget, data, people.",
    "What we decided, stated so an agent's owner can act on it.",
    "The numbers that will tell us it worked, with thresholds.",
    "The eval sets, datasets and thresholds that gate it, and when we re-check.",
];

/// A memo file name's slug: lowercase words joined by `-`, at most 50
/// characters.
#[must_use]
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if out.len() + word.len() + 1 > 50 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    if out.is_empty() {
        "memo".to_owned()
    } else {
        out
    }
}

/// The id after the highest of `existing` (`0007` after `0006`).
pub fn next_id(existing: &[String]) -> Result<String, OpError> {
    let next = existing
        .iter()
        .filter_map(|id| id.parse::<u32>().ok())
        .max()
        .unwrap_or(0)
        + 1;
    if next > 9999 {
        return Err(OpError::Lifecycle(
            "memo numbers are exhausted (9999)".into(),
        ));
    }
    Ok(format!("{next:04}"))
}

/// Drafts a new memo numbered after the highest existing id.
pub fn new_memo(
    existing: &[String],
    title: &str,
    author: &str,
    today: &Datetime,
) -> Result<ChangeSet, OpError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(OpError::Empty("the title"));
    }
    let id = next_id(existing)?;
    let date = today
        .date
        .map_or_else(|| today.to_string(), |d| d.to_string());
    let mut text = format!(
        "+++\nid = \"{id}\"\ntitle = {}\nstatus = \"draft\"\ndate = {date}\nowner = {}\ndeciders = []\nagents = []\ndata_sources = []\n+++\n",
        Value::from(title),
        Value::from(author),
    );
    for (s, p) in SECTIONS.iter().zip(PROMPTS) {
        let _ = write!(text, "## {s}\n\n<!-- {p} -->\n\n");
    }
    let path = format!("memos/{id}-{}.md", slug(title));
    Ok(ChangeSet {
        writes: vec![FileWrite {
            path,
            contents: text,
        }],
        actions: vec![Action::MemoNew { id }],
        intents: Vec::new(),
    })
}

/// The moves the lifecycle allows from `from`.
#[must_use]
pub fn allowed(from: MemoStatus) -> &'static [MemoStatus] {
    match from {
        MemoStatus::Draft => &[MemoStatus::Proposed],
        MemoStatus::Proposed => &[MemoStatus::Accepted, MemoStatus::Rejected],
        MemoStatus::Accepted => &[MemoStatus::Deprecated, MemoStatus::Superseded],
        MemoStatus::Rejected | MemoStatus::Deprecated | MemoStatus::Superseded => &[],
    }
}

/// Rewrites front matter keys of a memo file, leaving the body untouched.
fn edit_front(file: &SourceFile, f: impl FnOnce(&mut DocumentMut)) -> Result<String, OpError> {
    let split = frontmatter::split(&file.path, &file.text)?;
    let mut doc = super::edit::parse(&file.path, split.front)?;
    f(&mut doc);
    Ok(format!("+++\n{doc}+++\n{}", split.body))
}

/// Moves memo `file` to `to`. Proposing and accepting need all six sections
/// filled; accepting a memo that supersedes others marks each of them
/// `superseded` with `superseded_by`, in the same change.
pub fn set_status(
    file: &SourceFile,
    to: MemoStatus,
    superseded: &[SourceFile],
) -> Result<ChangeSet, OpError> {
    let (memo, _) = Memo::parse(&file.path, &file.text)?;
    if !allowed(memo.status).contains(&to) {
        let moves: Vec<&str> = allowed(memo.status).iter().map(|s| s.as_str()).collect();
        let can = if moves.is_empty() {
            "it is final".to_owned()
        } else {
            format!("it can move to {}", moves.join(" or "))
        };
        return Err(OpError::Lifecycle(format!(
            "memo {} is {}; {can}",
            memo.id, memo.status
        )));
    }
    if matches!(to, MemoStatus::Proposed | MemoStatus::Accepted) {
        let sections = memo.sections();
        let missing: Vec<&str> = SECTIONS
            .iter()
            .filter(|name| {
                !sections
                    .iter()
                    .any(|s| s.title.eq_ignore_ascii_case(name) && !s.empty)
            })
            .copied()
            .collect();
        if !missing.is_empty() {
            return Err(OpError::Lifecycle(format!(
                "{}: memo {} cannot be {to} until these sections are written: {}",
                file.path,
                memo.id,
                missing.join(", ")
            )));
        }
    }
    let mut writes = vec![FileWrite {
        path: file.path.clone(),
        contents: edit_front(file, |d| super::edit::set_str(d, "status", to.as_str()))?,
    }];
    let mut actions = vec![Action::MemoStatus {
        id: memo.id.clone(),
        from: memo.status.to_string(),
        to: to.to_string(),
    }];
    if to == MemoStatus::Accepted {
        for old_id in &memo.supersedes {
            let Some(old) = superseded
                .iter()
                .find(|f| Memo::parse(&f.path, &f.text).is_ok_and(|(m, _)| &m.id == old_id))
            else {
                return Err(OpError::Lifecycle(format!(
                    "memo {} supersedes {old_id}, which does not exist",
                    memo.id
                )));
            };
            let (m, _) = Memo::parse(&old.path, &old.text)?;
            if m.status != MemoStatus::Accepted {
                return Err(OpError::Lifecycle(format!(
                    "memo {} supersedes {old_id}, which is {} (only an accepted memo can be superseded)",
                    memo.id, m.status
                )));
            }
            writes.push(FileWrite {
                path: old.path.clone(),
                contents: edit_front(old, |d| {
                    super::edit::set_str(d, "status", MemoStatus::Superseded.as_str());
                    super::edit::set_str(d, "superseded_by", &memo.id);
                })?,
            });
            actions.push(Action::MemoStatus {
                id: m.id,
                from: m.status.to_string(),
                to: MemoStatus::Superseded.to_string(),
            });
        }
    }
    Ok(ChangeSet {
        writes,
        actions,
        intents: Vec::new(),
    })
}

/// [`set_status`] with the superseded memos fetched through `lookup` (by
/// id), so the CLI and the UI share one way of doing it.
pub fn change_status(
    file: &SourceFile,
    to: MemoStatus,
    lookup: &dyn Fn(&str) -> Option<SourceFile>,
) -> Result<ChangeSet, OpError> {
    let (memo, _) = Memo::parse(&file.path, &file.text)?;
    let others: Vec<SourceFile> = if to == MemoStatus::Accepted {
        memo.supersedes.iter().filter_map(|id| lookup(id)).collect()
    } else {
        Vec::new()
    };
    set_status(file, to, &others)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memo(id: &str, status: &str, extra: &str, body: &str) -> SourceFile {
        SourceFile {
            path: format!("memos/{id}-x.md"),
            text: format!(
                "+++\nid = \"{id}\"\ntitle = \"T\"\nstatus = \"{status}\"   # keep\n{extra}+++\n{body}"
            ),
        }
    }

    fn full_body() -> String {
        let mut out = String::new();
        for s in SECTIONS {
            let _ = write!(out, "## {s}\n\nSomething real.\n\n");
        }
        out
    }

    #[test]
    fn drafts_from_the_template() {
        let today = crate::model::time::parse("2026-11-23").unwrap();
        let cs = new_memo(
            &["0007".into(), "0012".into()],
            "Let the triage agent \"tag\" tickets!",
            "lee@x",
            &today,
        )
        .unwrap();
        let w = &cs.writes[0];
        assert_eq!(w.path, "memos/0013-let-the-triage-agent-tag-tickets.md");
        let (m, _) = Memo::parse(&w.path, &w.contents).unwrap();
        assert_eq!(m.status, MemoStatus::Draft);
        assert_eq!(m.title, "Let the triage agent \"tag\" tickets!");
        assert_eq!(m.sections().len(), 6);
        assert!(
            m.sections().iter().all(|s| s.empty),
            "prompts do not count as content"
        );
    }

    #[test]
    fn enforces_the_lifecycle() {
        let draft = memo("0013", "draft", "", &full_body());
        let e = set_status(&draft, MemoStatus::Accepted, &[]).unwrap_err();
        assert_eq!(e.to_string(), "memo 0013 is draft; it can move to proposed");
        let cs = set_status(&draft, MemoStatus::Proposed, &[]).unwrap();
        assert!(
            cs.writes[0]
                .contents
                .contains("status = \"proposed\"   # keep")
        );
        assert!(cs.writes[0].contents.ends_with(&full_body()));
        let thin = memo(
            "0013",
            "draft",
            "",
            "## Context\n\nWhy.\n\n## Decision\n\n<!-- prompt -->\n",
        );
        let e = set_status(&thin, MemoStatus::Proposed, &[])
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("Assumptions, Constraints, Decision, Metrics for success, Evaluation plan"),
            "{e}"
        );
        let rejected = memo("0013", "rejected", "", "");
        assert!(
            set_status(&rejected, MemoStatus::Accepted, &[])
                .unwrap_err()
                .to_string()
                .contains("it is final")
        );
    }

    #[test]
    fn accepting_supersedes_in_the_same_change() {
        let new = memo(
            "0007",
            "proposed",
            "supersedes = [\"0003\"]\n",
            &full_body(),
        );
        let old = memo("0003", "accepted", "", &full_body());
        let cs = set_status(&new, MemoStatus::Accepted, std::slice::from_ref(&old)).unwrap();
        assert_eq!(cs.writes.len(), 2);
        let (m, _) = Memo::parse(&cs.writes[1].path, &cs.writes[1].contents).unwrap();
        assert_eq!(m.status, MemoStatus::Superseded);
        assert_eq!(m.superseded_by.as_deref(), Some("0007"));
        assert_eq!(
            cs.actions[1].to_string(),
            "memo 0003 accepted -> superseded"
        );
        let draft_old = memo("0003", "draft", "", "");
        assert!(set_status(&new, MemoStatus::Accepted, &[draft_old]).is_err());
        assert!(set_status(&new, MemoStatus::Accepted, &[]).is_err());
    }
}
