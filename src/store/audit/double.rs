//! The single-review rule: a promote or dismiss of a case whose severity is
//! in `[review] double_review` needs the same verdict from two author emails
//! in its commit and that commit's ancestors (what a verdict is:
//! [`crate::ops::trailer`]).

use super::{AuditRule, Finding};
use crate::model::Config;
use crate::ops::trailer::{Decision, Trailers};
use crate::store::StoreError;
use git2::{Oid, Repository, Tree};
use std::collections::BTreeSet;
use std::path::Path;

/// One reviewer's verdict met in the history.
pub(super) struct Vote {
    pub(super) commit: Oid,
    pub(super) case: String,
    pub(super) decision: Decision,
    pub(super) email: String,
}

/// A promote or dismiss that may need two verdicts.
pub(super) struct Decided {
    pub(super) at: usize,
    pub(super) commit: Oid,
    pub(super) summary: String,
    pub(super) case: String,
    pub(super) decision: Decision,
}

/// Records the commit's promote and dismiss actions, which the rule may
/// have to judge once the whole walk is read.
pub(super) fn decided(
    out: &mut Vec<Decided>,
    at: usize,
    commit: &git2::Commit<'_>,
    summary: &str,
    trailers: &Trailers,
) {
    for a in &trailers.actions {
        let (case, decision) = match a {
            crate::ops::Action::Promote { case, .. } => (case, Decision::Promote),
            crate::ops::Action::Dismiss { case } => (case, Decision::Dismiss),
            _ => continue,
        };
        out.push(Decided {
            at,
            commit: commit.id(),
            summary: summary.to_owned(),
            case: case.clone(),
            decision,
        });
    }
}

pub(super) fn record_votes(votes: &mut Vec<Vote>, commit: Oid, trailers: &Trailers, email: &str) {
    for (case, decision) in trailers.decisions() {
        votes.push(Vote {
            commit,
            case: case.to_owned(),
            decision,
            email: email.to_owned(),
        });
    }
}

/// The case's `severity` in the failure file of `tree`.
fn severity(repo: &Repository, tree: &Tree<'_>, prefix: &str, case: &str) -> Option<String> {
    let months = tree
        .get_path(Path::new(&format!("{prefix}evals/failures")))
        .ok()?;
    let months = repo.find_tree(months.id()).ok()?;
    let name = format!("{case}.toml");
    months.iter().find_map(|m| {
        let dir = repo.find_tree(m.id()).ok()?;
        let blob = repo.find_blob(dir.get_name(&name)?.id()).ok()?;
        let table: toml::Table = std::str::from_utf8(blob.content()).ok()?.parse().ok()?;
        table.get("severity")?.as_str().map(str::to_owned)
    })
}

/// docket.toml as committed in `tree`, if it is there and parses.
fn rules_in(repo: &Repository, tree: &Tree<'_>, prefix: &str) -> Option<Config> {
    let entry = tree
        .get_path(Path::new(&format!(
            "{prefix}{}",
            crate::model::config::FILE
        )))
        .ok()?;
    let blob = repo.find_blob(entry.id()).ok()?;
    Config::parse(std::str::from_utf8(blob.content()).ok()?)
        .ok()
        .map(|(c, _)| c)
}

/// Flags each promote/dismiss of a double-review case that lacks the same
/// verdict from two author emails in its commit and the commit's
/// ancestors. Verdicts older than `--since` are read too (messages only).
pub(super) fn single_review(
    repo: &Repository,
    prefix: &str,
    cfg: &Config,
    hide: Option<Oid>,
    decided: &[Decided],
    votes: &mut Vec<Vote>,
    found: &mut Vec<(usize, Finding)>,
) -> Result<(), StoreError> {
    let mut older_read = hide.is_none();
    for d in decided {
        let tree = repo.find_commit(d.commit)?.tree()?;
        let Some(sev) = severity(repo, &tree, prefix, &d.case) else {
            continue;
        };
        // The rules in force where the decision was committed: a case
        // decided before the team asked for double review was no
        // double-review case then.
        let rules = rules_in(repo, &tree, prefix);
        if !rules
            .as_ref()
            .unwrap_or(cfg)
            .review
            .needs_double_review(&sev)
        {
            continue;
        }
        if !older_read && let Some(h) = hide {
            let mut walk = repo.revwalk()?;
            walk.push(h)?;
            for oid in walk {
                let c = repo.find_commit(oid?)?;
                let t = Trailers::parse(c.message().unwrap_or(""));
                let email = c.author().email().unwrap_or("").trim().to_lowercase();
                record_votes(votes, c.id(), &t, &email);
            }
            older_read = true;
        }
        let mut who = BTreeSet::new();
        for v in votes
            .iter()
            .filter(|v| v.case == d.case && v.decision == d.decision)
        {
            if v.commit == d.commit || repo.graph_descendant_of(d.commit, v.commit)? {
                who.insert(v.email.as_str());
            }
        }
        if who.len() < 2 {
            let by: Vec<&str> = who.into_iter().collect();
            found.push((
                d.at,
                Finding {
                    commit: d.commit.to_string(),
                    summary: d.summary.clone(),
                    rule: AuditRule::SingleReview,
                    message: format!(
                        "{}d {} case {} with the verdict of {} ({}); [review] double_review needs two reviewers' verdicts",
                        d.decision.as_str(),
                        sev,
                        d.case,
                        if by.len() == 1 { "one reviewer" } else { "no reviewer" },
                        by.join(", ")
                    ),
                },
            ));
        }
    }
    Ok(())
}
