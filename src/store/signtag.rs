//! Annotated tags signed as `git tag -s` signs them: the tag object's text
//! with the signature appended after the message, so `git verify-tag`
//! accepts it. docket signs its review tags whenever it signs its commits
//! (`commit.gpgsign`): the tag is what an auditor checks a meeting by.

use super::StoreError;
use super::sign::Signing;
use std::fmt::Write as _;

impl Signing {
    /// Creates the annotated tag `refs/tags/<name>` on `target` (a
    /// commit), signed when git config signs. An existing tag of that name
    /// is an error, unless `replace` (sync moving a tag to the commit it
    /// rebuilt).
    pub(super) fn tag(
        &self,
        repo: &git2::Repository,
        name: &str,
        target: &git2::Commit<'_>,
        tagger: &git2::Signature<'_>,
        message: &str,
        replace: bool,
    ) -> Result<git2::Oid, StoreError> {
        if !self.signs() {
            return Ok(repo.tag(name, target.as_object(), tagger, message, replace)?);
        }
        let mut text = format!(
            "object {}\ntype commit\ntag {name}\ntagger {}\n\n{message}",
            target.id(),
            ident(tagger)
        );
        if !text.ends_with('\n') {
            text.push('\n');
        }
        let signature = self.sign(text.as_bytes())?;
        text.push_str(&signature);
        let id = repo.odb()?.write(git2::ObjectType::Tag, text.as_bytes())?;
        repo.reference(
            &format!("refs/tags/{name}"),
            id,
            replace,
            &format!("tag: {name}"),
        )?;
        Ok(id)
    }
}

/// `Name <email> 1700000000 +0100`, as git writes an ident in an object.
fn ident(s: &git2::Signature<'_>) -> String {
    let when = s.when();
    let offset = when.offset_minutes();
    let mut out = format!(
        "{} <{}> {} ",
        s.name().unwrap_or(""),
        s.email().unwrap_or(""),
        when.seconds()
    );
    let _ = write!(
        out,
        "{}{:02}{:02}",
        if offset < 0 { '-' } else { '+' },
        offset.abs() / 60,
        offset.abs() % 60
    );
    out
}
