//! `docket note`: append a note to a failure case. Notes are appended, never
//! rewritten.

use super::{Action, ChangeSet, FileWrite, Intent, OpError, SourceFile, edit};
use crate::model::FailureCase;
use toml::value::Datetime;
use toml_edit::{ArrayOfTables, Item, Table, Value};

pub fn note(
    file: &SourceFile,
    author: &str,
    at: &Datetime,
    text: &str,
) -> Result<ChangeSet, OpError> {
    if text.trim().is_empty() {
        return Err(OpError::Empty("the note"));
    }
    let (case, _) = FailureCase::parse(&file.path, &file.text)?;
    let mut doc = edit::parse(&file.path, &file.text)?;
    let mut t = Table::new();
    t["author"] = Item::Value(Value::from(author));
    t["at"] = Item::Value(edit::datetime(at));
    t["text"] = Item::Value(Value::from(text));
    match doc.get_mut("notes") {
        Some(Item::ArrayOfTables(notes)) => notes.push(t),
        // `notes = [ { ... } ]` is valid too: append in the same style.
        Some(Item::Value(Value::Array(notes))) => {
            let multiline = notes.iter().any(|v| {
                v.decor()
                    .prefix()
                    .and_then(|p| p.as_str())
                    .is_some_and(|p| p.contains('\n'))
            });
            let v = Value::InlineTable(t.into_inline_table());
            if multiline {
                notes.push_formatted(v.decorated("\n  ", ""));
                notes.set_trailing("\n");
            } else {
                notes.push(v);
            }
        }
        Some(other) => {
            return Err(OpError::Invalid {
                path: file.path.clone(),
                line: crate::model::diag::key_line(&file.text, "notes"),
                message: format!("notes must be a list of notes, found {}", other.type_name()),
            });
        }
        None => {
            let mut notes = ArrayOfTables::new();
            notes.push(t);
            doc["notes"] = Item::ArrayOfTables(notes);
        }
    }
    Ok(ChangeSet {
        writes: vec![FileWrite {
            path: file.path.clone(),
            contents: doc.to_string(),
        }],
        intents: vec![Intent::Note {
            case: case.id.clone(),
            path: file.path.clone(),
            author: author.to_owned(),
            at: at.to_string(),
            text: text.to_owned(),
        }],
        actions: vec![Action::Note { case: case.id }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::case::tests::{PATH, SAMPLE};

    #[test]
    fn appends_to_inline_note_arrays() {
        let at = crate::model::time::parse("2026-11-10T10:00:00Z").unwrap();
        let text = SAMPLE.replace(
            "[input]",
            "notes = [ { author = \"o@x\", at = 2026-11-01T00:00:00Z, text = \"precious\" } ]\n\n[input]",
        );
        let f = SourceFile {
            path: PATH.into(),
            text,
        };
        let cs = note(&f, "a@x", &at, "new").unwrap();
        let (c, d) = FailureCase::parse(PATH, &cs.writes[0].contents).unwrap();
        assert!(d.is_empty(), "{d:?}");
        let texts: Vec<&str> = c.notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(texts, vec!["precious", "new"]);
    }

    #[test]
    fn appends_notes() {
        let at = crate::model::time::parse("2026-11-10T10:00:00Z").unwrap();
        let f = SourceFile {
            path: PATH.into(),
            text: SAMPLE.into(),
        };
        let cs = note(
            &f,
            "ana@example.com",
            &at,
            "Same pattern as INC-1980.\nSecond line \"quoted\".",
        )
        .unwrap();
        let out = &cs.writes[0].contents;
        assert!(out.starts_with(SAMPLE), "{out}");
        let f2 = SourceFile {
            path: PATH.into(),
            text: out.clone(),
        };
        let cs2 = note(&f2, "lee@example.com", &at, "again").unwrap();
        let (c, _) = FailureCase::parse(PATH, &cs2.writes[0].contents).unwrap();
        assert_eq!(c.notes.len(), 2);
        assert_eq!(
            c.notes[0].text,
            "Same pattern as INC-1980.\nSecond line \"quoted\"."
        );
        assert_eq!(c.notes[1].author, "lee@example.com");
        assert!(cs2.writes[0].contents.starts_with(out.as_str()));
        assert!(note(&f, "a", &at, "  ").is_err());
    }
}
