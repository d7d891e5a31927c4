//! Review tags travel with sync: a meeting finished on one clone tags its
//! minutes' commit `review/<day>`, and the team's remote must hold that tag
//! on the commit it holds. When sync rebuilt the tagged commit on the
//! upstream, the tag is made again on the rebuilt commit (same name,
//! message and tagger; signed as docket signs); then every local review
//! tag on the newly pushed commits is pushed.

use crate::store::StoreError;
use crate::store::sign::Signing;
use git2::{Oid, Repository};

/// The local `review/*` tags, with the commit each marks.
fn review_tags(repo: &Repository) -> Result<Vec<(String, Oid)>, StoreError> {
    let names = repo.tag_names(Some("review/*"))?;
    Ok(names
        .iter()
        .filter_map(|n| n.ok().flatten())
        .filter_map(|name| {
            let id = repo
                .revparse_single(&format!("refs/tags/{name}"))
                .and_then(|o| o.peel_to_commit())
                .ok()?
                .id();
            Some((name.to_owned(), id))
        })
        .collect())
}

/// Makes each review tag on a commit of `rebuilt` (old, new) again on the
/// new commit.
pub(super) fn carry(
    repo: &Repository,
    rebuilt: &[(Oid, Oid)],
    signing: &Signing,
) -> Result<(), StoreError> {
    if rebuilt.is_empty() {
        return Ok(());
    }
    for (name, on) in review_tags(repo)? {
        let Some((_, new)) = rebuilt.iter().find(|(old, _)| *old == on) else {
            continue;
        };
        let Ok(tag) = repo
            .revparse_single(&format!("refs/tags/{name}"))
            .and_then(|o| o.peel_to_tag())
        else {
            continue;
        };
        let Some(tagger) = tag.tagger() else { continue };
        let tagger = tagger.to_owned();
        let message = tag.message().ok().flatten().unwrap_or("").to_owned();
        let commit = repo.find_commit(*new)?;
        signing.tag(repo, &name, &commit, &tagger, &message, true)?;
    }
    Ok(())
}

/// The review tags on commits in `tip`'s history that the upstream's old
/// tip `theirs` did not hold: those the remote cannot have yet.
pub(super) fn new_on(
    repo: &Repository,
    tip: Oid,
    theirs: Option<Oid>,
) -> Result<Vec<String>, StoreError> {
    let mut out = Vec::new();
    for (name, on) in review_tags(repo)? {
        let in_tip = on == tip || repo.graph_descendant_of(tip, on)?;
        let known =
            theirs.is_some_and(|t| on == t || repo.graph_descendant_of(t, on).unwrap_or(false));
        if in_tip && !known {
            out.push(name);
        }
    }
    Ok(out)
}
