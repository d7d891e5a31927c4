//! `docket sync`'s pure half: one local commit rebuilt on top of the
//! upstream's files, as actions, never as a text merge.
//!
//! The store hands over a commit as its trailers and the files it changed
//! (parent and commit text), and a reader of the new parent's files. Each
//! replayable action is derived from the commit ([`derive`]) and done again
//! on the upstream's version with the replay engine
//! ([`crate::ops::replay`]): a tag added on each side gives both tags, notes
//! stay in time order, a promotion into a set the upstream bumped takes the
//! next version (trailer, failure file and the set's copy renumbered, the
//! copy's `failure_blob` pointed at the failure file as rebuilt). A file the
//! commit changed without an action (a memo, an import, a hand edit riding
//! along) is taken whole only when the upstream left it alone.
//!
//! A true conflict (dismissed on one side and promoted on the other, a case
//! deleted upstream) is returned, not guessed: the reviewer chooses per case.
//! [`Side::Theirs`] drops this commit's decision on the case (and all of its
//! actions on a case deleted upstream); [`Side::Ours`] takes back the
//! upstream's dismissal (the case returns to its earlier status, notes and
//! tags from both sides kept) and applies ours. Taking a case back out of a
//! set the upstream promoted it into is not offered: docket has no action
//! that removes a case from a set, so that choice is the upstream's.

mod derive;
mod resolve;

pub use derive::{Changed, Trailer};

use super::replay::{self, Context, Intent, set_case_path};
use super::{SourceFile, set_failure_blob};
use crate::model::EvalSet;
use crate::model::workspace::{Kind, classify};
use std::collections::{BTreeMap, BTreeSet};

/// Whose decision stands on a conflicting case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The local commit's (the reviewer running sync).
    Ours,
    /// The upstream's.
    Theirs,
}

/// One local commit, as sync needs it.
#[derive(Debug, Clone)]
pub struct Commit<'a> {
    /// The text after each `Docket-Action: `, in order.
    pub trailers: &'a [String],
    pub changed: &'a [Changed],
}

/// A commit rebuilt on the upstream's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    /// Every file whose text differs from the upstream's (`None`: removed).
    pub files: BTreeMap<String, Option<String>>,
    /// The trailers to commit: promotions renumbered, dropped actions gone.
    pub trailers: Vec<String>,
    /// The cases a choice was applied to.
    pub resolved: Vec<(String, Side)>,
}

/// A change that cannot be done again on the upstream's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncConflict {
    pub path: String,
    pub case: Option<String>,
    /// What the local commit did.
    pub ours: String,
    /// What the upstream holds.
    pub theirs: String,
    /// Whether `--ours CASE` can resolve it (see the module comment).
    pub can_take_ours: bool,
}

/// Rebuilds `commit` on the files `theirs` reads (workspace-relative path
/// to text; `None`: absent). A conflict on a case named in `choices` is
/// resolved that way; the others are returned, all of them.
/// `blob_id` is git's blob id of a text (ops stay free of git2).
pub fn rebuild(
    commit: &Commit<'_>,
    theirs: &dyn Fn(&str) -> Option<String>,
    choices: &BTreeMap<String, Side>,
    blob_id: &dyn Fn(&str) -> String,
) -> Result<Rebuilt, Vec<SyncConflict>> {
    let trailers: Vec<Trailer> = commit.trailers.iter().map(|t| Trailer::parse(t)).collect();
    let intents = derive::intents(&trailers, commit.changed);
    let mut chosen: BTreeMap<String, Side> = BTreeMap::new();
    loop {
        let attempt = Attempt {
            commit,
            intents: intents.as_deref(),
            chosen: &chosen,
            theirs,
        };
        match attempt.run(blob_id) {
            Ok(mut r) => {
                r.resolved = chosen.into_iter().collect();
                return Ok(r);
            }
            Err(conflicts) => {
                let before = chosen.len();
                for c in &conflicts {
                    let Some(case) = &c.case else { continue };
                    match choices.get(case) {
                        Some(Side::Ours) if c.can_take_ours => {
                            chosen.insert(case.clone(), Side::Ours);
                        }
                        Some(Side::Theirs) => {
                            chosen.insert(case.clone(), Side::Theirs);
                        }
                        _ => {}
                    }
                }
                if chosen.len() == before {
                    return Err(conflicts);
                }
            }
        }
    }
}

/// One try at rebuilding with the choices made so far.
struct Attempt<'a> {
    commit: &'a Commit<'a>,
    /// `None`: the commit is not explained by its actions (opaque).
    intents: Option<&'a [(usize, Intent)]>,
    chosen: &'a BTreeMap<String, Side>,
    theirs: &'a dyn Fn(&str) -> Option<String>,
}

impl Attempt<'_> {
    /// Whether the chosen side drops this intent.
    fn dropped(&self, intent: &Intent) -> bool {
        if self.chosen.get(intent.case()) != Some(&Side::Theirs) {
            return false;
        }
        let deleted = (self.theirs)(&intent.paths()[0]).is_none();
        deleted || matches!(intent, Intent::Dismiss { .. } | Intent::Promote { .. })
    }

    fn run(&self, blob_id: &dyn Fn(&str) -> String) -> Result<Rebuilt, Vec<SyncConflict>> {
        let all = self.intents.unwrap_or_default();
        let kept: Vec<Intent> = all
            .iter()
            .filter(|(_, i)| !self.dropped(i))
            .map(|(_, i)| i.clone())
            .collect();
        let ctx = self.versions(&kept);
        let mut files = BTreeMap::new();
        let mut conflicts = Vec::new();
        for c in self.commit.changed {
            let t = (self.theirs)(&c.path);
            let touching: Vec<Intent> = kept
                .iter()
                .filter(|i| i.touches(&c.path))
                .cloned()
                .collect();
            let result = if !touching.is_empty() {
                self.replayed(c, t.as_deref(), &touching, &ctx)
            } else if all.iter().any(|(_, i)| i.touches(&c.path)) {
                // Only dropped actions wrote it: the upstream's stands.
                Ok(t.clone())
            } else {
                self.opaque(c, t.as_deref())
            };
            match result {
                Ok(text) if text != t => {
                    files.insert(c.path.clone(), text);
                }
                Ok(_) => {}
                Err(conflict) => conflicts.push(conflict),
            }
        }
        if !conflicts.is_empty() {
            return Err(conflicts);
        }
        refresh_blobs(&kept, &mut files, self.theirs, blob_id);
        let trailers = self.trailers(&ctx);
        Ok(Rebuilt {
            files,
            trailers,
            resolved: Vec::new(),
        })
    }

    /// The version each set this commit promotes into takes on the
    /// upstream: the commit's own when the upstream left the set alone,
    /// the upstream's when it already holds every one of these
    /// promotions, else one more than the upstream's.
    fn versions(&self, kept: &[Intent]) -> Context {
        let mut ctx = Context {
            // Double review as the upstream has it: a decision replayed on
            // it still needs its second reviewer there.
            rules: (self.theirs)(crate::model::config::FILE)
                .and_then(|t| crate::model::Config::parse(&t).ok().map(|(c, _)| c)),
            ..Context::default()
        };
        for i in kept {
            let Intent::Promote { set, set_path, .. } = i else {
                continue;
            };
            if ctx.versions.contains_key(set) {
                continue;
            }
            let Some(c) = self.commit.changed.iter().find(|c| &c.path == set_path) else {
                continue;
            };
            let version = |t: Option<&str>| {
                t.and_then(|t| EvalSet::parse(set_path, t).ok())
                    .map(|(s, _)| s.version)
            };
            let t = (self.theirs)(set_path);
            let v = if t == c.base {
                version(c.ours.as_deref())
            } else if kept.iter().all(|p| match p {
                Intent::Promote {
                    set: s, path, case, ..
                } if s == set => {
                    resolve::promoted_into(path, (self.theirs)(path), set)
                        && (self.theirs)(&set_case_path(set, case)).is_some()
                }
                _ => true,
            }) {
                version(t.as_deref())
            } else {
                version(t.as_deref()).and_then(|v| v.checked_add(1))
            };
            if let Some(v) = v {
                ctx.versions.insert(set.clone(), v);
            }
        }
        ctx
    }

    /// One file's actions done again on the upstream's text.
    fn replayed(
        &self,
        c: &Changed,
        t: Option<&str>,
        touching: &[Intent],
        ctx: &Context,
    ) -> Result<Option<String>, SyncConflict> {
        let on = if classify(&c.path) == Some(Kind::Failure)
            && self.chosen.get(touching[0].case()) == Some(&Side::Ours)
        {
            resolve::undecided(&c.path, t, c.base.as_deref())
        } else {
            t.map(str::to_owned)
        };
        replay::replay(
            &c.path,
            c.base.as_deref(),
            c.ours.as_deref(),
            on.as_deref(),
            &[touching],
            ctx,
        )
        .map(|r| r.steps.last().cloned().flatten())
        .map_err(|e| SyncConflict {
            can_take_ours: resolve::can_take_ours(&c.path, t),
            case: e.case.or_else(|| case_of(&c.path)),
            path: c.path.clone(),
            ours: e.ours,
            theirs: e.theirs,
        })
    }

    /// A change without an action: taken whole if the upstream left the
    /// file alone, else a conflict (no text merge of docket files).
    fn opaque(&self, c: &Changed, t: Option<&str>) -> Result<Option<String>, SyncConflict> {
        if t == c.base.as_deref() || t == c.ours.as_deref() {
            return Ok(c.ours.clone());
        }
        let case = case_of(&c.path);
        if case
            .as_ref()
            .is_some_and(|k| self.chosen.get(k) == Some(&Side::Theirs))
        {
            return Ok(t.map(str::to_owned));
        }
        Err(SyncConflict {
            path: c.path.clone(),
            case,
            ours: "changed by hand or by an action docket cannot redo".into(),
            theirs: if t.is_none() {
                "deleted".into()
            } else {
                "changed differently".into()
            },
            can_take_ours: false,
        })
    }

    /// The commit's trailers with dropped actions gone and promotions at
    /// their new version.
    fn trailers(&self, ctx: &Context) -> Vec<String> {
        let all = self.intents.unwrap_or_default();
        let mut out = Vec::new();
        for (k, text) in self.commit.trailers.iter().enumerate() {
            match all.iter().find(|(i, _)| *i == k).map(|(_, x)| x) {
                Some(i) if self.dropped(i) => {}
                Some(Intent::Promote { case, set, .. }) => match ctx.versions.get(set) {
                    Some(v) => out.push(format!("promote {case} -> {set}@v{v}")),
                    None => out.push(text.clone()),
                },
                _ => out.push(text.clone()),
            }
        }
        out
    }
}

/// Points each promoted copy's `failure_blob` at its failure file as
/// rebuilt, so provenance names a blob the pushed history holds.
fn refresh_blobs(
    kept: &[Intent],
    files: &mut BTreeMap<String, Option<String>>,
    theirs: &dyn Fn(&str) -> Option<String>,
    blob_id: &dyn Fn(&str) -> String,
) {
    for i in kept {
        let Intent::Promote {
            case, set, path, ..
        } = i
        else {
            continue;
        };
        let copy = set_case_path(set, case);
        let Some(Some(text)) = files.get(&copy) else {
            continue;
        };
        let failure = match files.get(path) {
            Some(f) => f.clone(),
            None => theirs(path),
        };
        let Some(failure) = failure else { continue };
        let file = SourceFile {
            path: copy.clone(),
            text: text.clone(),
        };
        if let Ok(Some(w)) = set_failure_blob(&file, &blob_id(&failure)) {
            files.insert(copy, Some(w.contents));
        }
    }
}

/// The case a failure file holds, by its name.
fn case_of(path: &str) -> Option<String> {
    (classify(path) == Some(Kind::Failure))
        .then(|| path.rsplit('/').next())
        .flatten()
        .and_then(|f| f.strip_suffix(".toml"))
        .map(str::to_owned)
}

/// The cases a set of conflicts names, once each, in order.
#[must_use]
pub fn cases(conflicts: &[SyncConflict]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    conflicts
        .iter()
        .filter_map(|c| c.case.clone())
        .filter(|c| seen.insert(c.clone()))
        .collect()
}

#[cfg(test)]
mod tests;
