//! `docket audit`: judges every commit reachable from HEAD (or only those
//! not reachable from `--since REV`) that changed eval sets or failure cases
//! (`evals/sets/`, `evals/failures/`; runs are results, not review, and are
//! left out) against the workspace's review rules:
//!
//! - `unknown-author`: the author's email is not a `[[reviewers]]` email
//!   (case-insensitively). With no reviewers listed the rule is skipped and a
//!   note says so: every commit would otherwise be a finding, which tells
//!   nobody anything.
//! - `hand-edit`: the commit has no docket trailer, or changed an eval file
//!   none of its trailers accounts for (see [`crate::ops::trailer`]).
//! - `unsigned`: `[review] require_signed` is set and the commit is unsigned,
//!   or its signature was checked and rejected. A signature nothing could
//!   check (no allowed-signers file, no public key) passes: git config, not
//!   docket, says whose keys to trust.
//! - `removed-without-reason`: a case file left a set. docket has no action
//!   that removes a case with a reason, so every removal is flagged.
//! - `single-review`: a `promote`/`dismiss` action on a case whose severity
//!   (in the failure file at that commit) is in `[review] double_review`,
//!   without the same verdict from two different author emails in that
//!   commit and its ancestors (verdicts: [`crate::ops::trailer`]).
//!
//! The rules come from docket.toml as committed at HEAD — what the team
//! agreed to, not what a local edit says — and from the work tree's only
//! when HEAD has none (or it does not parse); except `single-review`, which
//! asks whether the case needed two reviewers by docket.toml as committed
//! where the decision was: a case decided before the team asked for double
//! review is not flagged, one decided around a rule in force is.
//!
//! Merge commits are judged only for what differs from every parent (see
//! [`super::changes::Differ::changed`]); a clean merge changes nothing of its own.

mod double;

use super::changes::{Differ, Dir, Kind, Scope};
use super::verify::{self, SigCheck, Signature, Verifier};
use super::{Store, StoreError, git};
use crate::model::Config;
use crate::ops::trailer::Trailers;
use git2::{Oid, Repository, Tree};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

/// The rule a finding breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AuditRule {
    UnknownAuthor,
    HandEdit,
    Unsigned,
    RemovedWithoutReason,
    SingleReview,
}

impl AuditRule {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnknownAuthor => "unknown-author",
            Self::HandEdit => "hand-edit",
            Self::Unsigned => "unsigned",
            Self::RemovedWithoutReason => "removed-without-reason",
            Self::SingleReview => "single-review",
        }
    }
}

/// One broken rule in one commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub commit: String,
    /// The commit's summary line.
    pub summary: String,
    pub rule: AuditRule,
    pub message: String,
}

/// The outcome of an audit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Audit {
    /// Commits that changed eval sets or failures, all checked.
    pub checked: usize,
    /// Newest commit first, as the walk met them.
    pub findings: Vec<Finding>,
    /// What the reader should know about how the audit ran (a rule skipped).
    pub notes: Vec<String>,
}

impl Store {
    /// Audits HEAD's history, or `since..HEAD`. A `since` git cannot
    /// resolve to a commit is [`StoreError::BadRevision`].
    pub fn audit(&self, since: Option<&str>) -> Result<Audit, StoreError> {
        let (_, _, prefix) = self.work()?;
        let repo = self.repository()?;
        let mut audit = Audit::default();
        let Some(head) = git::head_commit(&repo)? else {
            return Ok(audit);
        };
        let hide = since.map(|rev| resolve(&repo, rev)).transpose()?;
        let cfg = self.rules_at(&repo, &head.tree()?, prefix, &mut audit.notes);
        let reviewers = reviewer_emails(&cfg, &mut audit.notes);
        let verifier = cfg.review.require_signed.then(|| Verifier::new(&repo));
        let all = |path: &str| Dir {
            path: format!("{prefix}{path}"),
            leaf: None,
        };
        let scope = Scope {
            dirs: vec![all("evals/failures"), all("evals/sets")],
            keep: &|_| true,
        };
        let mut differ = Differ::new(&repo)?;
        // Signatures are checked after the walk, on every core.
        let mut signed = Vec::new();
        let mut signed_at: Vec<(usize, String, String)> = Vec::new();
        let mut found: Vec<(usize, Finding)> = Vec::new();
        let mut votes = Vec::new();
        let mut decided: Vec<double::Decided> = Vec::new();
        let mut walk = repo.revwalk()?;
        walk.push(head.id())?;
        if let Some(h) = hide {
            walk.hide(h)?;
        }
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)?;
        for (at, oid) in walk.enumerate() {
            let commit = repo.find_commit(oid?)?;
            let trailers = Trailers::parse(commit.message().unwrap_or(""));
            let email = commit.author().email().unwrap_or("").trim().to_lowercase();
            double::record_votes(&mut votes, commit.id(), &trailers, &email);
            let files: Vec<(String, Kind)> = differ
                .changed(&commit, &scope)?
                .into_iter()
                .filter_map(|(p, k)| Some((p.strip_prefix(prefix)?.to_owned(), k)))
                .collect();
            if files.is_empty() {
                continue;
            }
            audit.checked += 1;
            let summary = commit.summary().ok().flatten().unwrap_or("").to_owned();
            let before = signed.len();
            let broken = judge(
                &reviewers,
                verifier.is_some().then_some(&mut signed),
                &repo,
                &commit,
                &trailers,
                &files,
            );
            if signed.len() > before {
                signed_at.push((at, commit.id().to_string(), summary.clone()));
            }
            found.extend(broken.into_iter().map(|(rule, message)| {
                (
                    at,
                    Finding {
                        commit: commit.id().to_string(),
                        summary: summary.clone(),
                        rule,
                        message,
                    },
                )
            }));
            if !cfg.review.double_review.is_empty() {
                double::decided(&mut decided, at, &commit, &summary, &trailers);
            }
        }
        if let Some(v) = &verifier {
            for (sig, (at, commit, summary)) in v.verify_all(&signed).iter().zip(signed_at) {
                if let Some(message) = unsigned(sig) {
                    let rule = AuditRule::Unsigned;
                    found.push((
                        at,
                        Finding {
                            commit,
                            summary,
                            rule,
                            message,
                        },
                    ));
                }
            }
        }
        if !decided.is_empty() {
            double::single_review(&repo, prefix, &cfg, hide, &decided, &mut votes, &mut found)?;
        }
        found.sort_by_key(|(at, f)| (*at, f.rule));
        audit.findings = found.into_iter().map(|(_, f)| f).collect();
        Ok(audit)
    }

    /// docket.toml at HEAD, else the work tree's, else the defaults.
    fn rules_at(
        &self,
        repo: &Repository,
        tree: &Tree<'_>,
        prefix: &str,
        notes: &mut Vec<String>,
    ) -> Config {
        let file = crate::model::config::FILE;
        let committed = tree
            .get_path(Path::new(&format!("{prefix}{file}")))
            .ok()
            .and_then(|e| repo.find_blob(e.id()).ok())
            .and_then(|b| std::str::from_utf8(b.content()).ok().map(Config::parse));
        if let Some(Ok((cfg, _))) = committed {
            return cfg;
        }
        notes.push(format!(
            "HEAD has no readable {file}: the work tree's rules are used"
        ));
        self.config()
            .map_or_else(|_| Config::fallback(), |(c, _)| c)
    }
}

/// The rules one commit breaks, but single review (which needs the whole
/// history): `(rule, message)`.
fn judge(
    reviewers: &BTreeSet<String>,
    signatures: Option<&mut Vec<verify::Signed>>,
    repo: &Repository,
    commit: &git2::Commit<'_>,
    trailers: &Trailers,
    files: &[(String, Kind)],
) -> Vec<(AuditRule, String)> {
    let mut out = Vec::new();
    let email = commit.author().email().unwrap_or("").trim().to_lowercase();
    if !reviewers.is_empty() && !reviewers.contains(&email) {
        out.push((
            AuditRule::UnknownAuthor,
            format!("author {email} is not a listed reviewer ([[reviewers]] in docket.toml)"),
        ));
    }
    if let Some(m) = hand_edit(trailers, files) {
        out.push((AuditRule::HandEdit, m));
    }
    if let Some(sigs) = signatures {
        match verify::extract(repo, commit.id()) {
            Some(s) => sigs.push(s),
            None => out.push((
                AuditRule::Unsigned,
                "not signed ([review] require_signed is set in docket.toml)".to_owned(),
            )),
        }
    }
    for (path, kind) in files {
        if let (Kind::Removed, Some((set, case))) = (kind, set_case(path)) {
            out.push((
                AuditRule::RemovedWithoutReason,
                format!("case {case} removed from set {set} without a recorded reason ({path})"),
            ));
        }
    }
    out
}

/// The `[[reviewers]]` emails, lowercased; a note when there are none.
fn reviewer_emails(cfg: &Config, notes: &mut Vec<String>) -> BTreeSet<String> {
    let emails: BTreeSet<String> = cfg
        .reviewers
        .iter()
        .map(|r| r.email.trim().to_lowercase())
        .collect();
    if emails.is_empty() {
        notes
            .push("no [[reviewers]] in docket.toml: the unknown-author rule is skipped".to_owned());
    }
    emails
}

/// `REV` as a commit.
fn resolve(repo: &Repository, rev: &str) -> Result<Oid, StoreError> {
    let bad = |e: git2::Error| StoreError::BadRevision {
        rev: rev.to_owned(),
        why: e.message().to_owned(),
    };
    Ok(repo
        .revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map_err(bad)?
        .id())
}

/// The hand-edit finding's message, if the commit has one.
fn hand_edit(trailers: &Trailers, files: &[(String, Kind)]) -> Option<String> {
    let list = |paths: &[&str]| {
        let mut s = paths.iter().take(3).copied().collect::<Vec<_>>().join(", ");
        if paths.len() > 3 {
            let _ = write!(s, " and {} more", paths.len() - 3);
        }
        s
    };
    if trailers.is_empty() {
        let all: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        return Some(format!(
            "hand edit: no docket trailer; changed {} eval file(s): {}",
            all.len(),
            list(&all)
        ));
    }
    let loose: Vec<&str> = files
        .iter()
        .filter(|(p, k)| !trailers.covers(p, *k == Kind::Added))
        .map(|(p, _)| p.as_str())
        .collect();
    (!loose.is_empty()).then(|| {
        format!(
            "hand edit: {} eval file(s) changed that no trailer names: {}",
            loose.len(),
            list(&loose)
        )
    })
}

fn unsigned(sig: &Signature) -> Option<String> {
    match sig {
        Signature::Unsigned => {
            Some("not signed ([review] require_signed is set in docket.toml)".to_owned())
        }
        Signature::Signed {
            check: SigCheck::Bad { why },
            format,
        } => Some(format!(
            "{} signature does not verify: {why}",
            format.as_str()
        )),
        Signature::Signed { .. } => None,
    }
}

/// `(set, case)` of `evals/sets/<set>/cases/<case>.toml`.
fn set_case(path: &str) -> Option<(&str, &str)> {
    let (set, file) = path.strip_prefix("evals/sets/")?.split_once("/cases/")?;
    Some((set, file.strip_suffix(".toml")?)).filter(|(s, c)| !s.contains('/') && !c.contains('/'))
}
