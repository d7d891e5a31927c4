//! The range of `docket set diff`: parsing `A..B` and resolving each end to
//! a commit. A version (`5`, `v5`) is the oldest commit of HEAD's history
//! whose set.toml has it — the commit that made that version; anything else
//! goes through git's revision syntax (`abc123`, `HEAD~2`,
//! `review/2026-11-20`).

use super::{Chosen, Point};
use crate::store::StoreError;
use git2::{Oid, Repository};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// One end as written.
#[derive(Debug, Clone, PartialEq, Eq)]
enum End {
    Version(u64),
    Rev(String),
}

/// Splits a range into its ends, `None` for an end left out. `A` alone
/// means `A..` (up to HEAD).
fn parse(range: &str) -> Result<(Option<End>, Option<End>), String> {
    if range.contains("...") {
        return Err("A...B is not a set range; write A..B".into());
    }
    let (a, b) = match range.split_once("..") {
        Some((a, b)) => (a, b),
        None => (range, ""),
    };
    Ok((end(a)?, end(b)?))
}

fn end(s: &str) -> Result<Option<End>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let digits = s.strip_prefix('v').unwrap_or(s);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return digits
            .parse()
            .map(|v| Some(End::Version(v)))
            .map_err(|_| format!("version {s} is too large"));
    }
    Ok(Some(End::Rev(s.to_owned())))
}

/// The set's versions in HEAD's history: the oldest commit of each, and
/// the oldest commit that has the set at all.
#[derive(Debug, Default)]
struct History {
    versions: BTreeMap<u64, Oid>,
    first: Option<(Oid, Option<u64>)>,
}

/// Walks HEAD's history oldest first, reading set.toml where it changed.
fn history(repo: &Repository, head: Oid, path: &str) -> Result<History, StoreError> {
    let mut walk = repo.revwalk()?;
    walk.push(head)?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    let mut seen: HashMap<Oid, Option<u64>> = HashMap::new();
    let mut out = History::default();
    for oid in walk {
        let oid = oid?;
        let Some(blob) = blob_at(repo, oid, path)? else {
            continue;
        };
        let version = *seen.entry(blob).or_insert_with(|| version_of(repo, blob));
        out.first.get_or_insert((oid, version));
        if let Some(v) = version {
            out.versions.entry(v).or_insert(oid);
        }
    }
    Ok(out)
}

fn blob_at(repo: &Repository, commit: Oid, path: &str) -> Result<Option<Oid>, StoreError> {
    let tree = repo.find_commit(commit)?.tree()?;
    match tree.get_path(Path::new(path)) {
        Ok(e) if e.kind() == Some(git2::ObjectType::Blob) => Ok(Some(e.id())),
        Ok(_) => Ok(None),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The `version` of a set.toml blob; `None` when it does not parse (a
/// broken file in some old commit is not this command's business).
fn version_of(repo: &Repository, blob: Oid) -> Option<u64> {
    let blob = repo.find_blob(blob).ok()?;
    let text = std::str::from_utf8(blob.content()).ok()?;
    let table: toml::Table = text.parse().ok()?;
    u64::try_from(table.get("version")?.as_integer()?).ok()
}

fn version_in(repo: &Repository, commit: Oid, path: &str) -> Result<Option<u64>, StoreError> {
    Ok(blob_at(repo, commit, path)?.and_then(|b| version_of(repo, b)))
}

/// Versions as the error says them: `5-7, 9`.
fn listed(versions: &BTreeMap<u64, Oid>) -> String {
    let mut runs: Vec<(u64, u64)> = Vec::new();
    for &v in versions.keys() {
        match runs.last_mut() {
            Some((_, hi)) if hi.checked_add(1) == Some(v) => *hi = v,
            _ => runs.push((v, v)),
        }
    }
    runs.iter()
        .map(|(lo, hi)| {
            if lo == hi {
                format!("v{lo}")
            } else {
                format!("v{lo}-v{hi}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The newest `review/*` tag whose commit is HEAD or an ancestor of it.
pub(in crate::store) fn last_review(
    repo: &Repository,
    head: Oid,
) -> Result<Option<(String, Oid)>, StoreError> {
    let mut best: Option<((i64, String), Oid)> = None;
    let names = repo.tag_names(Some("review/*"))?;
    for name in names.iter().filter_map(|n| n.ok().flatten()) {
        let Ok(commit) = repo
            .revparse_single(&format!("refs/tags/{name}"))
            .and_then(|o| o.peel_to_commit())
        else {
            continue;
        };
        let id = commit.id();
        if id != head && !repo.graph_descendant_of(head, id)? {
            continue;
        }
        let key = (commit.time().seconds(), name.to_owned());
        if best.as_ref().is_none_or(|(k, _)| key > *k) {
            best = Some((key, id));
        }
    }
    Ok(best.map(|((_, name), id)| (name, id)))
}

/// A commit as an end of the range, with the set's version in it.
fn at(
    repo: &Repository,
    id: Oid,
    label: String,
    path: &str,
    chosen: Chosen,
) -> Result<Point, StoreError> {
    Ok(Point {
        label,
        commit: id.to_string(),
        version: version_in(repo, id, path)?,
        chosen,
    })
}

/// Whether the start comes after the end: by number for two versions,
/// else by ancestry (as `git log B..A` would be the non-empty one).
fn reversed(
    repo: &Repository,
    ends: (&Option<End>, &Option<End>),
    from: &Point,
    to: &Point,
) -> Result<bool, StoreError> {
    if let (Some(End::Version(x)), Some(End::Version(y))) = ends {
        return Ok(x > y);
    }
    let (f, t) = (Oid::from_str(&from.commit)?, Oid::from_str(&to.commit)?);
    Ok(f != t && repo.graph_descendant_of(f, t)?)
}

/// Resolves `range` for set `set` (its folder `dir`, repository-relative)
/// into the two ends.
pub(super) fn resolve(
    repo: &Repository,
    head: Oid,
    dir: &str,
    set: &str,
    range: Option<&str>,
) -> Result<(Point, Point), StoreError> {
    let text = range.unwrap_or("");
    let bad = |why: String| StoreError::BadRange {
        range: text.to_owned(),
        why,
    };
    let (a, b) = parse(text).map_err(bad)?;
    let path = format!("{dir}/set.toml");
    let unknown = || StoreError::NotFound {
        kind: "committed eval set",
        id: set.to_owned(),
    };
    let review = match a {
        None => last_review(repo, head)?,
        Some(_) => None,
    };
    let at_head = blob_at(repo, head, &path)?.is_some();
    // The walk reads every commit: only when a version is named, when no
    // review tag gives the start, or to learn whether a set HEAD lacks
    // ever existed.
    let walk = matches!(a, Some(End::Version(_)))
        || matches!(b, Some(End::Version(_)))
        || (a.is_none() && review.is_none())
        || !at_head;
    let hist = if walk {
        history(repo, head, &path)?
    } else {
        History::default()
    };
    if !at_head && hist.first.is_none() {
        return Err(unknown());
    }
    let point = |e: &End| -> Result<Point, StoreError> {
        match e {
            End::Version(v) => {
                let commit = hist.versions.get(v).ok_or_else(|| {
                    bad(format!(
                        "set {set} has no version {v} in HEAD's history (it has {})",
                        listed(&hist.versions)
                    ))
                })?;
                Ok(Point {
                    label: format!("v{v}"),
                    commit: commit.to_string(),
                    version: Some(*v),
                    chosen: Chosen::Given,
                })
            }
            End::Rev(r) => {
                let commit = repo
                    .revparse_single(r)
                    .and_then(|o| o.peel_to_commit())
                    .map_err(|_| {
                        bad(format!(
                            "{r:?} is neither a version of set {set} nor a revision git knows"
                        ))
                    })?;
                at(repo, commit.id(), r.clone(), &path, Chosen::Given)
            }
        }
    };
    let from = match (&a, review, hist.first) {
        (Some(e), _, _) => point(e)?,
        (None, Some((tag, id)), _) => at(repo, id, tag, &path, Chosen::LastReview)?,
        (None, None, Some((id, version))) => Point {
            label: version.map_or_else(|| "first commit".into(), |v| format!("v{v}")),
            commit: id.to_string(),
            version,
            chosen: Chosen::FirstVersion,
        },
        (None, None, None) => return Err(unknown()),
    };
    let to = match &b {
        Some(e) => point(e)?,
        None => at(repo, head, "HEAD".into(), &path, Chosen::Head)?,
    };
    if reversed(repo, (&a, &b), &from, &to)? {
        return Err(bad(format!(
            "{} is newer than {}; write {}..{}",
            from.label, to.label, to.label, from.label
        )));
    }
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ranges() {
        let v = |n| Some(End::Version(n));
        let r = |s: &str| Some(End::Rev(s.to_owned()));
        assert_eq!(parse("3..5"), Ok((v(3), v(5))));
        assert_eq!(parse("v3..v5"), Ok((v(3), v(5))));
        assert_eq!(parse("abc123..HEAD"), Ok((r("abc123"), r("HEAD"))));
        assert_eq!(
            parse("review/2026-11-20.."),
            Ok((r("review/2026-11-20"), None))
        );
        assert_eq!(parse("..v7"), Ok((None, v(7))));
        assert_eq!(parse("5"), Ok((v(5), None)));
        assert_eq!(parse(""), Ok((None, None)));
        assert_eq!(parse("v"), Ok((r("v"), None)));
        assert!(parse("3...5").is_err());
        assert!(parse("99999999999999999999999..5").is_err());
    }

    #[test]
    fn lists_versions_as_runs() {
        let id = Oid::ZERO_SHA1;
        let m: BTreeMap<u64, Oid> = [5, 6, 7, 9].map(|v| (v, id)).into();
        assert_eq!(listed(&m), "v5-v7, v9");
    }
}
