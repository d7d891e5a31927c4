//! The history the example tells, as commits: a reviewer who opens a copy
//! and runs `git log`, `git log -- evals/sets/<id>/set.toml` or opens the
//! Changes view should find the sets growing version by version, not one
//! commit that dropped everything in at once.
//!
//! Reconstructed from what the files record, and no more: the first commit
//! holds the workspace as it stood before the earliest promotion — every
//! set at version 0 with none of its promoted cases, every promoted failure
//! still `triaged` without its `[promotion]` — then one commit per set
//! version in the order of `promoted_at`, by the reviewer who promoted
//! (`promoted_by`), adding that version's cases, the set at that version and
//! the failures as promoted. Whatever the files do not date that precisely
//! (eval runs, which would reference versions the first commit lacks) is
//! left to the final commit, which makes the tree exactly the example.
//! Failures, memos and runbooks are in the first commit as the example
//! holds them: their earlier states are not recorded anywhere.
//!
//! Pure: the example's files in, the commits before the last out.

use crate::model::case::FailureCase;
use crate::model::workspace::{Kind, classify};
use crate::model::{Config, Diagnostic, SetCase, set, time};
use crate::ops::{Action, FileWrite};
use crate::store::Identity;
use std::collections::{BTreeMap, BTreeSet};
use toml_edit::{DocumentMut, Item, Value};

/// One commit of the story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The files this commit adds or changes, whole, workspace-relative.
    pub files: Vec<FileWrite>,
    pub actions: Vec<Action>,
    /// Author and committer.
    pub who: Identity,
    /// Author and committer time, Unix seconds, UTC.
    pub at: i64,
}

/// The first commit comes this long before the earliest promotion.
const SETUP_SECS: i64 = 3600;

/// One promoted set case.
struct Promoted<'a> {
    file: &'a FileWrite,
    id: String,
    set: String,
    version: u64,
    at: i64,
    by: String,
    failure: String,
}

/// The commits that lead up to `files` (the example as it will be
/// committed), all but the last; empty when no set case records a
/// promotion, so there is no story to tell.
pub fn story(files: &[FileWrite]) -> Result<Vec<Step>, Diagnostic> {
    let promoted = promotions(files)?;
    if promoted.is_empty() {
        return Ok(Vec::new());
    }
    let people = reviewers(files);
    let who = |email: &str| Identity {
        name: people
            .iter()
            .find(|r| r.email == email)
            .map_or_else(|| email.split('@').next().unwrap_or(email), |r| &r.name)
            .to_owned(),
        email: email.to_owned(),
    };
    let (versions, order) = in_order(&promoted)?;
    let (first, promoted_failures) = before_the_first(files, &promoted)?;
    let start = order.first().map_or(0, |o| o.0) - SETUP_SECS;
    // Who set the workspace up: the first reviewer it lists.
    let founder = people.first().map_or_else(
        || who(&promoted[0].by),
        |r| Identity {
            name: r.name.clone(),
            email: r.email.clone(),
        },
    );
    let mut steps = vec![Step {
        files: first,
        actions: vec![Action::Init],
        who: founder,
        at: start,
    }];
    for (at, s, v) in order {
        let cases = &versions[&(s, v)];
        let mut changed = Vec::new();
        let mut actions = Vec::new();
        for p in cases {
            changed.push(p.file.clone());
            if let Some(f) = promoted_failures.get(p.failure.as_str()) {
                changed.push((*f).clone());
            }
            actions.push(Action::Promote {
                case: p.id.clone(),
                set: s.to_owned(),
                version: v,
            });
        }
        if let Some(f) = files
            .iter()
            .find(|f| f.path == format!("evals/sets/{s}/set.toml"))
        {
            changed.push(with_version(f, v)?);
        }
        changed.sort_by(|a, b| a.path.cmp(&b.path));
        changed.dedup();
        let by = cases.iter().max_by_key(|p| p.at).map_or("", |p| &p.by);
        steps.push(Step {
            files: changed,
            actions,
            who: who(by),
            at,
        });
    }
    Ok(steps)
}

/// A set version: its set and number.
type Version<'a> = (&'a str, u64);

/// The promoted cases of each set version, and the versions in the order
/// they were made (the time of their latest case). Refuses a set whose
/// versions do not grow with time.
#[allow(clippy::type_complexity)]
fn in_order<'a>(
    promoted: &'a [Promoted<'a>],
) -> Result<
    (
        BTreeMap<Version<'a>, Vec<&'a Promoted<'a>>>,
        Vec<(i64, &'a str, u64)>,
    ),
    Diagnostic,
> {
    let mut versions: BTreeMap<Version<'a>, Vec<&'a Promoted<'a>>> = BTreeMap::new();
    for p in promoted {
        versions.entry((&p.set, p.version)).or_default().push(p);
    }
    let mut order: Vec<(i64, &str, u64)> = versions
        .iter()
        .map(|((s, v), ps)| (ps.iter().map(|p| p.at).max().unwrap_or(0), *s, *v))
        .collect();
    order.sort_unstable();
    let mut last: BTreeMap<&str, u64> = BTreeMap::new();
    for (_, s, v) in &order {
        if let Some(before) = last.insert(s, *v).filter(|before| before >= v) {
            return Err(Diagnostic::new(
                crate::model::rule::Rule::Parse,
                format!("evals/sets/{s}/set.toml"),
                1,
                format!("version {v} of set {s} was promoted after version {before}"),
            ));
        }
    }
    Ok((versions, order))
}

/// The files of the first commit: no runs, no promoted set cases, their
/// sets at version 0, their failures as they were before; and the promoted
/// failures as they are, by path, for the commits that promote them.
#[allow(clippy::type_complexity)]
fn before_the_first<'a>(
    files: &'a [FileWrite],
    promoted: &[Promoted<'_>],
) -> Result<(Vec<FileWrite>, BTreeMap<&'a str, &'a FileWrite>), Diagnostic> {
    let failures: BTreeSet<&str> = promoted.iter().map(|p| p.failure.as_str()).collect();
    let sets: BTreeSet<&str> = promoted.iter().map(|p| p.set.as_str()).collect();
    let later: BTreeSet<&str> = promoted.iter().map(|p| p.file.path.as_str()).collect();
    let mut first = Vec::new();
    let mut promoted_failures = BTreeMap::new();
    for f in files {
        match classify(&f.path) {
            Some(Kind::Run) => {}
            Some(Kind::SetCase) if later.contains(f.path.as_str()) => {}
            Some(Kind::Set) if set::set_id_of(&f.path).is_some_and(|s| sets.contains(s)) => {
                first.push(with_version(f, 0)?);
            }
            Some(Kind::Failure) if failures.contains(f.path.as_str()) => {
                match before_promotion(f)? {
                    Some(earlier) => {
                        promoted_failures.insert(f.path.as_str(), f);
                        first.push(earlier);
                    }
                    None => first.push(f.clone()),
                }
            }
            _ => first.push(f.clone()),
        }
    }
    Ok((first, promoted_failures))
}

/// Every set case that records its promotion.
fn promotions(files: &[FileWrite]) -> Result<Vec<Promoted<'_>>, Diagnostic> {
    let mut out = Vec::new();
    for f in files {
        if classify(&f.path) != Some(Kind::SetCase) {
            continue;
        }
        let (case, _) = SetCase::parse(&f.path, &f.contents)?;
        let (Some(p), Some(s)) = (case.provenance, set::set_id_of(&f.path)) else {
            continue;
        };
        out.push(Promoted {
            file: f,
            id: case.id,
            set: s.to_owned(),
            version: p.added_in_version,
            at: time::unix_from_datetime(&p.promoted_at).unwrap_or(0),
            by: p.promoted_by,
            failure: p.failure,
        });
    }
    Ok(out)
}

/// The reviewers `docket.toml` lists, in order.
fn reviewers(files: &[FileWrite]) -> Vec<crate::model::config::Reviewer> {
    files
        .iter()
        .find(|f| f.path == crate::model::config::FILE)
        .and_then(|f| Config::parse(&f.contents).ok())
        .map(|(c, _)| c.reviewers)
        .unwrap_or_default()
}

fn parse_mut(f: &FileWrite) -> Result<DocumentMut, Diagnostic> {
    f.contents.parse().map_err(|e: toml_edit::TomlError| {
        Diagnostic::new(
            crate::model::rule::Rule::Parse,
            &f.path,
            1,
            e.message().to_owned(),
        )
    })
}

/// Replaces a top-level value, keeping its decor.
fn replace(doc: &mut DocumentMut, key: &str, value: Value) {
    match doc.get_mut(key) {
        Some(Item::Value(v)) => {
            let decor = v.decor().clone();
            *v = value;
            *v.decor_mut() = decor;
        }
        _ => {
            doc.insert(key, Item::Value(value));
        }
    }
}

/// A set.toml at another `version`.
fn with_version(f: &FileWrite, version: u64) -> Result<FileWrite, Diagnostic> {
    let mut doc = parse_mut(f)?;
    replace(
        &mut doc,
        "version",
        Value::from(i64::try_from(version).unwrap_or(i64::MAX)),
    );
    Ok(FileWrite {
        path: f.path.clone(),
        contents: doc.to_string(),
    })
}

/// A promoted failure as it was the moment before: triaged, no
/// `[promotion]`. `None` when the file does not say it was promoted.
fn before_promotion(f: &FileWrite) -> Result<Option<FileWrite>, Diagnostic> {
    let (case, _) = FailureCase::parse(&f.path, &f.contents)?;
    if case.promotion.is_none() {
        return Ok(None);
    }
    let mut doc = parse_mut(f)?;
    doc.remove("promotion");
    replace(&mut doc, "status", Value::from("triaged"));
    Ok(Some(FileWrite {
        path: f.path.clone(),
        contents: doc.to_string(),
    }))
}

#[cfg(test)]
#[path = "story_tests.rs"]
mod tests;
