//! `docket dismiss`: close a failure case with a reason.

use super::{Action, ChangeSet, FileWrite, Intent, OpError, SourceFile, edit};
use crate::model::FailureCase;
use crate::model::case::Status;
use toml::value::Datetime;
use toml_edit::Value;

pub fn dismiss(
    file: &SourceFile,
    by: &str,
    at: &Datetime,
    reason: &str,
) -> Result<ChangeSet, OpError> {
    if reason.trim().is_empty() {
        return Err(OpError::Empty("the reason"));
    }
    let (case, _) = FailureCase::parse(&file.path, &file.text)?;
    match case.status {
        Status::Promoted => {
            let set = case.promotion.map(|p| p.set).unwrap_or_default();
            return Err(OpError::AlreadyPromoted { case: case.id, set });
        }
        Status::Dismissed => return Err(OpError::AlreadyDismissed(case.id)),
        Status::New | Status::Triaged => {}
    }
    let mut doc = edit::parse(&file.path, &file.text)?;
    edit::set_str(&mut doc, "status", Status::Dismissed.as_str());
    doc["dismissal"] = edit::table(&[
        ("reason", Value::from(reason)),
        ("by", Value::from(by)),
        ("at", edit::datetime(at)),
    ]);
    Ok(ChangeSet {
        writes: vec![FileWrite {
            path: file.path.clone(),
            contents: doc.to_string(),
        }],
        intents: vec![Intent::Dismiss {
            case: case.id.clone(),
            path: file.path.clone(),
            reason: reason.to_owned(),
            by: by.to_owned(),
            at: at.to_string(),
        }],
        actions: vec![Action::Dismiss { case: case.id }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::case::tests::{PATH, SAMPLE};

    #[test]
    fn dismisses_once() {
        let at = crate::model::time::parse("2026-11-10T10:06:00Z").unwrap();
        let f = SourceFile {
            path: PATH.into(),
            text: SAMPLE.into(),
        };
        let cs = dismiss(
            &f,
            "ana@example.com",
            &at,
            "duplicate of billing-tier1-0017",
        )
        .unwrap();
        let out = &cs.writes[0].contents;
        let (c, d) = FailureCase::parse(PATH, out).unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.status, Status::Dismissed);
        assert_eq!(
            c.dismissal.unwrap().reason,
            "duplicate of billing-tier1-0017"
        );
        let again = SourceFile {
            path: PATH.into(),
            text: out.clone(),
        };
        assert!(matches!(
            dismiss(&again, "a", &at, "x"),
            Err(OpError::AlreadyDismissed(_))
        ));
        assert!(matches!(dismiss(&f, "a", &at, ""), Err(OpError::Empty(_))));
    }
}
