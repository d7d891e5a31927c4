//! `docket tag`: add or remove taxonomy tags on a failure case.

use super::{Action, ChangeSet, FileWrite, Intent, OpError, SourceFile, edit};
use crate::model::case::Status;
use crate::model::{Config, FailureCase};
use toml_edit::{Array, Value};

/// Adds `add` and removes `remove` on the case in `file`, as one action.
/// Added tags must be in the taxonomy; any tag may be removed (so a tag
/// dropped from the taxonomy can be cleaned up). Tagging a `new` case marks
/// it `triaged`: a reviewer has looked at it. Returns an empty change set
/// when nothing would change.
pub fn tag(
    config: &Config,
    file: &SourceFile,
    add: &[String],
    remove: &[String],
) -> Result<ChangeSet, OpError> {
    if add.is_empty() && remove.is_empty() {
        return Err(OpError::NoTags);
    }
    for t in add {
        if config.tag(t).is_none() {
            let known: Vec<&str> = config.tags.iter().map(|t| t.name.as_str()).collect();
            let known = if known.is_empty() {
                "no tags".to_owned()
            } else {
                known.join(", ")
            };
            return Err(OpError::UnknownTag {
                tag: t.clone(),
                known,
            });
        }
    }
    retag(file, add, remove)
}

/// Adds and removes tags without checking the taxonomy: replaying a tag
/// that was valid when the reviewer applied it must not fail because the
/// taxonomy changed since.
pub(crate) fn retag(
    file: &SourceFile,
    add: &[String],
    remove: &[String],
) -> Result<ChangeSet, OpError> {
    let (case, _) = FailureCase::parse(&file.path, &file.text)?;
    let mut doc = edit::parse(&file.path, &file.text)?;
    let mut current: Vec<String> = case.tags.clone();
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    for t in remove {
        if current.contains(t) && !removed.contains(t) {
            current.retain(|c| c != t);
            removed.push(t.clone());
        }
    }
    for t in add {
        if !current.contains(t) && !added.contains(t) && !removed.contains(t) {
            current.push(t.clone());
            added.push(t.clone());
        }
    }
    if added.is_empty() && removed.is_empty() {
        return Ok(ChangeSet::default());
    }
    if let Some(arr) = doc.get_mut("tags").and_then(|i| i.as_array_mut()) {
        arr.retain(|v| v.as_str().is_none_or(|s| !removed.iter().any(|r| r == s)));
        // In a multi-line array, a new tag goes on its own line, indented
        // like the last one.
        let indent = arr
            .iter()
            .last()
            .and_then(|v| {
                v.decor()
                    .prefix()
                    .and_then(|p| p.as_str())
                    .map(str::to_owned)
            })
            .filter(|p| p.contains('\n'))
            .map(|p| format!("\n{}", p.rsplit('\n').next().unwrap_or("")));
        for t in &added {
            match &indent {
                Some(prefix) => {
                    arr.push_formatted(Value::from(t.as_str()).decorated(prefix.as_str(), ""));
                }
                None => arr.push(t.as_str()),
            }
        }
    } else {
        let arr: Array = current.iter().map(String::as_str).collect();
        edit::set_value(&mut doc, "tags", Value::Array(arr));
    }
    if case.status == Status::New && !added.is_empty() {
        edit::set_str(&mut doc, "status", Status::Triaged.as_str());
    }
    Ok(ChangeSet {
        writes: vec![FileWrite {
            path: file.path.clone(),
            contents: doc.to_string(),
        }],
        intents: vec![Intent::Tag {
            case: case.id.clone(),
            path: file.path.clone(),
            add: added.clone(),
            remove: removed.clone(),
        }],
        actions: vec![Action::Tag {
            case: case.id,
            added,
            removed,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::case::tests::{PATH, SAMPLE};

    fn config() -> Config {
        Config::parse("[workspace]\nname = \"w\"\n[[tags]]\nname = \"hallucinated-promise\"\n[[tags]]\nname = \"tone\"\n").unwrap().0
    }

    fn file() -> SourceFile {
        SourceFile {
            path: PATH.into(),
            text: SAMPLE.into(),
        }
    }

    #[test]
    fn adds_changing_only_those_lines() {
        let cs = tag(&config(), &file(), &["tone".into()], &[]).unwrap();
        let out = &cs.writes[0].contents;
        let changed: Vec<_> = SAMPLE
            .lines()
            .zip(out.lines())
            .filter(|(a, b)| a != b)
            .collect();
        assert_eq!(changed.len(), 2, "{out}");
        assert!(
            out.contains("tags = [\"hallucinated-promise\", \"tone\"]"),
            "{out}"
        );
        assert!(out.contains("status = \"triaged\""));
        assert!(out.contains("trace_url = \"https://traces.example/1\"   # unknown keys survive"));
        assert_eq!(out.lines().count(), SAMPLE.lines().count());
        assert_eq!(cs.actions[0].to_string(), "tag billing-tier1-0042 +tone");
    }

    #[test]
    fn removes_and_noops() {
        let cs = tag(&config(), &file(), &[], &["hallucinated-promise".into()]).unwrap();
        assert!(
            cs.writes[0].contents.contains("tags = []"),
            "{}",
            cs.writes[0].contents
        );
        assert!(cs.writes[0].contents.contains("status = \"new\""));
        assert!(
            tag(&config(), &file(), &["hallucinated-promise".into()], &[])
                .unwrap()
                .is_empty()
        );
        assert!(
            tag(&config(), &file(), &[], &["tone".into()])
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn refuses_unknown_tags() {
        let e = tag(&config(), &file(), &["nope".into()], &[]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown tag \"nope\": the taxonomy in docket.toml has hallucinated-promise, tone"
        );
    }

    #[test]
    fn multiline_arrays_keep_their_shape() {
        let text = SAMPLE.replace(
            "tags = [\"hallucinated-promise\"]",
            "tags = [\n  # why\n  \"hallucinated-promise\",\n]",
        );
        let f = SourceFile {
            path: PATH.into(),
            text,
        };
        let cs = tag(&config(), &f, &["tone".into()], &[]).unwrap();
        let out = &cs.writes[0].contents;
        assert!(
            out.contains("tags = [\n  # why\n  \"hallucinated-promise\",\n  \"tone\",\n]"),
            "{out}"
        );
    }

    #[test]
    fn removes_tags_outside_the_taxonomy() {
        let text = SAMPLE.replace("[\"hallucinated-promise\"]", "[\"retired-tag\"]");
        let f = SourceFile {
            path: PATH.into(),
            text,
        };
        let cs = tag(&config(), &f, &[], &["retired-tag".into()]).unwrap();
        assert!(cs.writes[0].contents.contains("tags = []"));
    }

    #[test]
    fn creates_missing_tags_key() {
        let text = SAMPLE.replace("tags = [\"hallucinated-promise\"]\n", "");
        let cs = tag(
            &config(),
            &SourceFile {
                path: PATH.into(),
                text,
            },
            &["tone".into()],
            &[],
        )
        .unwrap();
        let (c, _) = FailureCase::parse(PATH, &cs.writes[0].contents).unwrap();
        assert_eq!(c.tags, vec!["tone"]);
    }
}
