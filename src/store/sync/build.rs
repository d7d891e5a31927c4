//! The local commits rebuilt, one by one, on the upstream's tip: docket's
//! through [`crate::ops::sync::rebuild`] (actions, never text), the others
//! by a git2 cherry-pick that must be conflict-free and leave docket's
//! files to identity (a file is taken whole only where the upstream left
//! it alone).

use super::{CommitInfo, Conflicted, info, summary};
use crate::model::workspace::classify;
use crate::ops::sync::{self, Changed, Commit, Side};
use crate::ops::{Action, summary_line};
use crate::store::git::{self, Edit, Identity};
use crate::store::sign::Signing;
use crate::store::{Store, StoreError};
use git2::{Oid, Repository, Tree};
use std::collections::BTreeMap;
use std::path::Path;

pub(super) struct Builder<'a> {
    pub store: &'a Store,
    pub repo: &'a Repository,
    pub who: &'a Identity,
    pub signing: &'a Signing,
    pub choices: &'a BTreeMap<String, Side>,
}

/// The rebuilt range.
pub(super) struct Built {
    pub tip: Oid,
    pub pushed: Vec<CommitInfo>,
    pub dropped: Vec<CommitInfo>,
    pub resolved: Vec<(String, Side)>,
    /// Each local commit and the commit it was rebuilt as.
    pub rebuilt: Vec<(Oid, Oid)>,
}

/// A docket commit rebuilt: its tree, message and the choices applied.
type Replayed = (Oid, String, Vec<(String, Side)>);

const TRAILER: &str = "Docket-Action: ";
const VERDICT: &str = "Docket-Verdict: ";

impl Builder<'_> {
    /// Rebuilds `upstream..head` on `upstream`, oldest first. Nothing is
    /// moved: the new commits are objects until the caller pushes them.
    pub fn range(&self, head: Oid, upstream: Oid) -> Result<Built, StoreError> {
        let base = self.repo.merge_base(head, upstream).ok();
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
        walk.push(head)?;
        walk.hide(upstream)?;
        let local: Vec<Oid> = walk.collect::<Result<_, _>>()?;
        let mut built = Built {
            tip: upstream,
            pushed: Vec::new(),
            dropped: Vec::new(),
            resolved: Vec::new(),
            rebuilt: Vec::new(),
        };
        for id in local {
            let c = self.repo.find_commit(id)?;
            let refuse = |why: &str| StoreError::CannotReplay {
                commit: info(&c).id,
                summary: summary(&c),
                why: why.to_owned(),
            };
            if base.is_none() {
                return Err(refuse("the branch shares no history with its upstream"));
            }
            if c.parent_count() != 1 {
                return Err(refuse(
                    "a merge commit cannot be replayed (`git pull --rebase`, then `docket sync`)",
                ));
            }
            let tip = self.repo.find_commit(built.tip)?;
            let onto = tip.tree()?;
            let message = c.message_bytes();
            let message = String::from_utf8_lossy(message);
            let trailers = trailers_of(&message);
            let (tree, message, resolved) = if trailers.is_empty() {
                (
                    self.cherry_pick(&c, &tip, &refuse)?,
                    message.into_owned(),
                    vec![],
                )
            } else {
                self.replay(&c, &onto, upstream, &trailers, &message)?
            };
            if tree == onto.id() {
                built.dropped.push(info(&c));
                continue;
            }
            let tree = self.repo.find_tree(tree)?;
            let committer = git::signature(&self.who.name, &self.who.email, "GIT_COMMITTER_DATE")?;
            // Signed as docket signs its own commits (`commit.gpgsign`):
            // a rebuilt commit is the reviewer's commit again.
            let new = self.signing.commit(
                self.repo,
                &c.author(),
                &committer,
                &message,
                &tree,
                &[&tip],
            )?;
            built.pushed.push(info(&self.repo.find_commit(new)?));
            built.rebuilt.push((id, new));
            built.resolved.extend(resolved);
            built.tip = new;
        }
        Ok(built)
    }

    /// A commit made without docket, picked by git2 onto `tip`.
    fn cherry_pick(
        &self,
        c: &git2::Commit<'_>,
        tip: &git2::Commit<'_>,
        refuse: &dyn Fn(&str) -> StoreError,
    ) -> Result<Oid, StoreError> {
        let parent = c.parent(0)?.tree()?;
        let ours = c.tree()?;
        let onto = tip.tree()?;
        let (_, prefix) = self.prefix()?;
        for (path, _, _) in changed_paths(self.repo, &parent, &ours)? {
            let Some(rel) = path.strip_prefix(prefix.as_str()) else {
                continue;
            };
            let (b, o, t) = (blob(&parent, &path), blob(&ours, &path), blob(&onto, &path));
            if classify(rel).is_some() && t != b && t != o {
                return Err(refuse(&format!(
                    "it was made without docket and changes {rel}, which the upstream changed too; docket does not text-merge its files (`git pull --rebase`, then `docket sync`)"
                )));
            }
        }
        let mut index = self.repo.cherrypick_commit(c, tip, 0, None)?;
        if index.has_conflicts() {
            return Err(refuse(
                "it was made without docket and does not apply cleanly on the upstream (`git pull --rebase`, then `docket sync`)",
            ));
        }
        Ok(index.write_tree_to(self.repo)?)
    }

    /// A docket commit, its actions done again on `onto`.
    fn replay(
        &self,
        c: &git2::Commit<'_>,
        onto: &Tree<'_>,
        upstream: Oid,
        trailers: &[String],
        message: &str,
    ) -> Result<Replayed, StoreError> {
        let parent = c.parent(0)?.tree()?;
        let ours = c.tree()?;
        let (_, prefix) = self.prefix()?;
        let text = |t: &Tree<'_>, p: &str| -> Option<String> {
            let id = blob(t, p)?;
            let b = self.repo.find_blob(id).ok()?;
            Some(String::from_utf8_lossy(b.content()).into_owned())
        };
        let mut changed = Vec::new();
        let mut outside = BTreeMap::new();
        for (path, _, mode) in changed_paths(self.repo, &parent, &ours)? {
            match path.strip_prefix(prefix.as_str()) {
                Some(rel) if classify(rel).is_some() => changed.push(Changed {
                    path: rel.to_owned(),
                    base: text(&parent, &path),
                    ours: text(&ours, &path),
                }),
                _ => {
                    let (b, o, t) = (blob(&parent, &path), blob(&ours, &path), blob(onto, &path));
                    if t != b && t != o {
                        return Err(StoreError::CannotReplay {
                            commit: info(c).id,
                            summary: summary(c),
                            why: format!("{path} was changed upstream too"),
                        });
                    }
                    outside.insert(path, o.map(|o| (o, mode)));
                }
            }
        }
        let theirs = |p: &str| text(onto, &format!("{prefix}{p}"));
        let blob_id = |t: &str| Store::blob_id(t.as_bytes()).unwrap_or_default();
        let commit = Commit {
            trailers,
            changed: &changed,
        };
        let rebuilt = match sync::rebuild(&commit, &theirs, self.choices, &blob_id) {
            Ok(r) => r,
            Err(conflicts) => {
                let ours_info = info(c);
                let list = conflicts
                    .into_iter()
                    .map(|conflict| Conflicted {
                        theirs: self.last_change(
                            upstream,
                            c.id(),
                            &format!("{prefix}{}", conflict.path),
                        ),
                        ours: ours_info.clone(),
                        conflict,
                    })
                    .collect();
                return Err(StoreError::SyncConflict(list));
            }
        };
        let mut edits: BTreeMap<String, Edit> = outside;
        for (rel, file) in &rebuilt.files {
            let edit = match file {
                Some(t) => Some((self.repo.blob(t.as_bytes())?, 0o100_644)),
                None => None,
            };
            edits.insert(format!("{prefix}{rel}"), edit);
        }
        let tree = match git::edit_tree(self.repo, Some(onto), &edits)? {
            Some(t) => t,
            None => self.repo.treebuilder(None)?.write()?,
        };
        Ok((
            tree,
            with_trailers(message, trailers, &rebuilt.trailers, &rebuilt.resolved),
            rebuilt.resolved,
        ))
    }

    /// The newest upstream commit (not in `local`'s history) that changed
    /// `path`.
    fn last_change(&self, upstream: Oid, local: Oid, path: &str) -> Option<CommitInfo> {
        let mut walk = self.repo.revwalk().ok()?;
        walk.push(upstream).ok()?;
        walk.hide(local).ok()?;
        walk.filter_map(Result::ok)
            .filter_map(|id| self.repo.find_commit(id).ok())
            .find(|c| {
                let now = c.tree().ok().and_then(|t| blob(&t, path));
                let before = c
                    .parent(0)
                    .ok()
                    .and_then(|p| p.tree().ok())
                    .and_then(|t| blob(&t, path));
                now != before
            })
            .map(|c| info(&c))
    }

    fn prefix(&self) -> Result<(&Path, String), StoreError> {
        let (workdir, _, prefix) = self.store.work()?;
        Ok((workdir, prefix.to_owned()))
    }
}

/// The message with its trailer lines replaced by `trailers`. A summary
/// docket generated from the old trailers is generated again from the new
/// ones (an action dropped by `--theirs` is no longer counted); a
/// reviewer's own summary is kept. A decision kept over the upstream's
/// (`--ours`) is said in the body, so history shows why the upstream's
/// dismissal went.
fn with_trailers(
    message: &str,
    old: &[String],
    trailers: &[String],
    resolved: &[(String, Side)],
) -> String {
    let mut kept: Vec<String> = message
        .lines()
        .filter(|l| !l.starts_with(TRAILER) && !l.starts_with(VERDICT))
        .map(str::to_owned)
        .collect();
    let parse = |t: &[String]| -> Option<Vec<Action>> {
        t.iter().map(|x| Action::from_trailer(x)).collect()
    };
    if let (Some(first), Some(before), Some(after)) =
        (kept.first_mut(), parse(old), parse(trailers))
        && let Some(day) = first
            .strip_prefix("docket: review ")
            .and_then(|r| r.split_whitespace().next())
            .map(str::to_owned)
        && *first == summary_line(&before, &day)
    {
        *first = summary_line(&after, &day);
    }
    let mut out = kept.join("\n").trim_end().to_owned();
    let ours: Vec<String> = resolved
        .iter()
        .filter(|(_, side)| *side == Side::Ours)
        .map(|(case, _)| crate::sanitize::line(case).into_owned())
        .collect();
    if !ours.is_empty() {
        out.push_str("\n\nKept over the upstream's decision (docket sync --ours): ");
        out.push_str(&ours.join(", "));
    }
    out.push_str("\n\n");
    for t in trailers {
        if let Some(v) = t.strip_prefix("verdict ") {
            out.push_str(VERDICT);
            out.push_str(v);
        } else {
            out.push_str(TRAILER);
            out.push_str(t);
        }
        out.push('\n');
    }
    out
}

/// A commit's trailers as sync reads them: the text of each
/// `Docket-Action:` line, and each `Docket-Verdict: CASE DECISION` as
/// `verdict CASE DECISION` (how the action reads), in message order.
fn trailers_of(message: &str) -> Vec<String> {
    message
        .lines()
        .filter_map(|l| {
            l.strip_prefix(TRAILER)
                .map(str::to_owned)
                .or_else(|| l.strip_prefix(VERDICT).map(|v| format!("verdict {v}")))
        })
        .collect()
}

/// The blob at a repository-relative path of a tree.
fn blob(tree: &Tree<'_>, path: &str) -> Option<Oid> {
    tree.get_path(Path::new(path))
        .ok()
        .filter(|e| e.kind() == Some(git2::ObjectType::Blob))
        .map(|e| e.id())
}

/// Every path that differs between two trees, with the new blob and mode.
fn changed_paths(
    repo: &Repository,
    a: &Tree<'_>,
    b: &Tree<'_>,
) -> Result<Vec<(String, Option<Oid>, i32)>, StoreError> {
    let diff = repo.diff_tree_to_tree(Some(a), Some(b), None)?;
    let mut out = Vec::new();
    for d in diff.deltas() {
        for f in [d.old_file(), d.new_file()] {
            let Some(p) = f.path().and_then(Path::to_str) else {
                continue;
            };
            if out.iter().any(|(x, _, _): &(String, _, _)| x == p) {
                continue;
            }
            let mode = match d.new_file().mode() {
                git2::FileMode::BlobExecutable => 0o100_755,
                _ => 0o100_644,
            };
            out.push((p.to_owned(), blob(b, p), mode));
        }
    }
    Ok(out)
}
