//! `docket import`: a runner's failing sample (or a log pipeline's record)
//! as a new failure case file, `status = "new"`, linked to the run it came
//! from by `[origin]`. Ids are derived from the run and the sample, so
//! importing the same file twice names the same cases and creates nothing.

use super::{FileWrite, edit};
use crate::interop::{RunInfo, Sample, Tool, stable_hash};
use crate::model::case::{Severity, Source};
use crate::model::{Config, FailureCase, ids, time};
use serde_json::{Map, Value as Json};
use toml::value::Datetime;
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

/// What applies to every record of one file.
pub struct ImportContext<'a> {
    pub tool: Tool,
    /// The file as named on the command line (`[origin] file`).
    pub file: &'a str,
    pub run: &'a RunInfo,
    /// `--agent`: wins over the record's own.
    pub agent: Option<&'a str>,
    /// `--source`: wins over the record's own.
    pub source: Option<Source>,
    /// When the record and the run carry no time.
    pub now: &'a Datetime,
    pub config: &'a Config,
}

/// The case id a sample gets: the record's own id when it is a valid one
/// (a docket export, a pipeline's ids), else `<tool>-<hash>` of the run and
/// the sample, with the content when the run has no id of its own.
#[must_use]
pub fn case_id(ctx: &ImportContext<'_>, s: &Sample) -> String {
    if let Some(id) = &s.id {
        if ids::is_valid(id) {
            return id.clone();
        }
        return format!("{}-{}", ctx.tool.as_str(), stable_hash(&[id]));
    }
    let content;
    let run = if let Some(r) = &ctx.run.id {
        r.as_str()
    } else {
        content = digest(s);
        content.as_str()
    };
    format!(
        "{}-{}",
        ctx.tool.as_str(),
        stable_hash(&[ctx.tool.as_str(), run, &s.sample, &s.key])
    )
}

/// A fingerprint of everything a record says, kept in `[origin] digest`:
/// a record whose id names an existing case is a duplicate only when it
/// says the same.
#[must_use]
pub fn digest(s: &Sample) -> String {
    let msgs: Vec<String> = s
        .messages
        .iter()
        .map(|m| format!("{}\u{1}{}", m.role, m.content))
        .collect();
    let notes: Vec<String> = s
        .notes
        .iter()
        .map(|n| format!("{}\u{1}{}\u{1}{}", n.author, n.at, n.text))
        .collect();
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    stable_hash(&[
        &msgs.join("\u{2}"),
        &opt(&s.prompt),
        &s.output,
        &opt(&s.expected),
        &opt(&s.summary),
        &opt(&s.agent),
        &opt(&s.source),
        &opt(&s.incident),
        &opt(&s.severity),
        &s.tags.join("\u{2}"),
        &s.occurred_at.map(|d| d.to_string()).unwrap_or_default(),
        &notes.join("\u{2}"),
        &serde_json::Value::Object(s.metadata.clone()).to_string(),
    ])
}

/// The failure case file for `s` under id `id`. `Err` names what is wrong
/// with the record.
pub fn case_file(ctx: &ImportContext<'_>, id: &str, s: &Sample) -> Result<FileWrite, String> {
    let agent = ctx
        .agent
        .or(s.agent.as_deref())
        .ok_or("no agent: pass --agent RUNBOOK (or give the record an `agent`)")?;
    ids::check("agent", agent).map_err(|e| e.to_string())?;
    let source = match (ctx.source, &s.source) {
        (Some(src), _) => src,
        (None, Some(name)) => Source::from_name(name).ok_or_else(|| {
            format!("source {name:?} is not one of production, offline-eval, red-team, user-report")
        })?,
        (None, None) if ctx.tool == Tool::Jsonl => Source::Production,
        (None, None) => Source::OfflineEval,
    };
    let severity = s
        .severity
        .as_deref()
        .map(|x| {
            Severity::from_name(&x.to_ascii_lowercase())
                .ok_or_else(|| format!("severity {x:?} is not one of sev1, sev2, sev3, sev4"))
        })
        .transpose()?;
    for t in &s.tags {
        if ctx.config.tag(t).is_none() {
            return Err(format!(
                "unknown tag {t:?}: add it to the taxonomy in docket.toml first"
            ));
        }
    }
    if s.messages.is_empty() && s.prompt.is_none() {
        return Err("the sample has no input".into());
    }
    let at = s.occurred_at.or(ctx.run.at).unwrap_or(*ctx.now);
    let month = time::month_folder(&at).ok_or("occurred_at has no date")?;

    let mut doc = DocumentMut::new();
    doc["id"] = toml_edit::value(id);
    doc["agent"] = toml_edit::value(agent);
    doc["source"] = toml_edit::value(source.as_str());
    doc["occurred_at"] = Item::Value(edit::datetime(&at));
    if let Some(i) = s.incident.as_deref().filter(|i| !i.is_empty()) {
        doc["incident"] = toml_edit::value(i);
    }
    if let Some(sev) = severity {
        doc["severity"] = toml_edit::value(sev.as_str());
    }
    doc["status"] = toml_edit::value("new");
    doc["summary"] = toml_edit::value(summary(s));
    doc["tags"] = toml_edit::value(s.tags.iter().map(String::as_str).collect::<Array>());

    doc["input"] = Item::Table(input_table(s));
    doc["output"] = edit::table(&[("content", s.output.as_str().into())]);
    if let Some(e) = &s.expected {
        doc["expected"] = edit::table(&[("content", e.as_str().into())]);
    }
    let notes = notes_of(s, ctx.run.at.unwrap_or(at));
    if !notes.is_empty() {
        doc["notes"] = Item::ArrayOfTables(notes);
    }
    let mut origin = vec![
        ("tool", Value::from(ctx.tool.as_str())),
        ("file", ctx.file.into()),
        ("sample", s.sample.as_str().into()),
    ];
    if let Some(r) = &ctx.run.id {
        origin.push(("run", r.as_str().into()));
    }
    origin.push(("digest", digest(s).into()));
    doc["origin"] = edit::table(&origin);
    if !s.metadata.is_empty() {
        doc["metadata"] = Item::Table(table_of(&s.metadata));
    }
    let path = format!("evals/failures/{month}/{id}.toml");
    let contents = doc.to_string();
    // What docket writes it must be able to read back.
    FailureCase::parse(&path, &contents)
        .map_err(|d| format!("the case would not load: {}", d.message))?;
    Ok(FileWrite { path, contents })
}

/// `[input]`: the messages one per line, as people write them, and the
/// prompt.
fn input_table(s: &Sample) -> Table {
    let mut input = Table::new();
    if !s.messages.is_empty() {
        let mut arr = Array::new();
        for m in &s.messages {
            let mut t = InlineTable::new();
            t.insert("role", m.role.as_str().into());
            t.insert("content", m.content.as_str().into());
            let mut v = Value::InlineTable(t);
            v.decor_mut().set_prefix("\n  ");
            arr.push_formatted(v);
        }
        arr.set_trailing_comma(true);
        arr.set_trailing("\n");
        input["messages"] = toml_edit::value(arr);
    }
    if let Some(p) = &s.prompt {
        input["prompt"] = toml_edit::value(p.as_str());
    }
    input
}

/// The record's own notes, then the grader's reason at the run's time.
fn notes_of(s: &Sample, at: Datetime) -> ArrayOfTables {
    let mut notes = ArrayOfTables::new();
    let reason = s
        .reason
        .as_ref()
        .map(|(author, text)| crate::model::case::Note {
            author: author.clone(),
            at,
            text: text.clone(),
        });
    for n in s.notes.iter().chain(reason.as_ref()) {
        let mut t = Table::new();
        t["author"] = toml_edit::value(n.author.as_str());
        t["at"] = Item::Value(edit::datetime(&n.at));
        t["text"] = toml_edit::value(n.text.as_str());
        notes.push(t);
    }
    notes
}

/// One line: the record's summary, else the grader's reason, else the
/// start of the input.
fn summary(s: &Sample) -> String {
    let from = s
        .summary
        .clone()
        .or_else(|| s.reason.as_ref().map(|r| format!("Failed: {}", r.1)))
        .or_else(|| s.prompt.clone())
        .or_else(|| {
            s.messages
                .iter()
                .rev()
                .find(|m| m.role == "user")
                .map(|m| m.content.clone())
        })
        .unwrap_or_default();
    let line = from
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let mut out: String = line.chars().take(120).collect();
    if line.chars().count() > 120 {
        out.push('…');
    }
    if out.is_empty() {
        "Imported failure".into()
    } else {
        out
    }
}

fn table_of(m: &Map<String, Json>) -> Table {
    let mut t = Table::new();
    for (k, v) in m {
        if let Some(v) = value_of(v) {
            t[k.as_str()] = Item::Value(v);
        }
    }
    t
}

/// JSON as a TOML value; `null`s (which TOML cannot say) are dropped.
fn value_of(v: &Json) -> Option<Value> {
    Some(match v {
        Json::Null => return None,
        Json::Bool(b) => (*b).into(),
        Json::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.into(),
            (None, Some(f)) if n.is_f64() => f.into(),
            _ => n.to_string().into(),
        },
        // JSON has no datetime: an RFC 3339 string goes back to being one,
        // so a TOML file exported to JSON Lines and imported is unchanged.
        // Only a string that is exactly how TOML writes a datetime: other
        // spellings ("2026-11-20 10:00:00") stay strings, as they were.
        Json::String(s) => match s.parse::<toml_edit::Datetime>() {
            Ok(d) if d.date.is_some() && d.time.is_some() && d.to_string() == *s => d.into(),
            _ => s.as_str().into(),
        },
        Json::Array(a) => Value::Array(a.iter().filter_map(value_of).collect()),
        Json::Object(o) => {
            let mut t = InlineTable::new();
            for (k, v) in o {
                if let Some(v) = value_of(v) {
                    t.insert(k, v);
                }
            }
            Value::InlineTable(t)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx<'a>(run: &'a RunInfo, now: &'a Datetime, config: &'a Config) -> ImportContext<'a> {
        ImportContext {
            tool: Tool::Promptfoo,
            file: "results.json",
            run,
            agent: Some("support-triage"),
            source: None,
            now,
            config,
        }
    }

    #[test]
    fn a_sample_becomes_a_loadable_case() {
        let run = RunInfo {
            id: Some("eval-1".into()),
            at: "2026-11-23T10:00:00Z".parse().ok(),
            model: None,
            unfinished: None,
        };
        let now: Datetime = "2026-12-01T00:00:00Z".parse().unwrap();
        let config = Config::fallback();
        let c = ctx(&run, &now, &config);
        let mut meta = Map::new();
        meta.insert("trace".into(), Json::from("t-1"));
        meta.insert("nothing".into(), Json::Null);
        let s = Sample {
            sample: "3".into(),
            prompt: Some("Refund me\n\"now\"".into()),
            output: "Sure! \u{1b}[31m".into(),
            expected: Some("Explain the window".into()),
            incident: Some("INC-1".into()),
            severity: Some("SEV2".into()),
            reason: Some(("promptfoo".into(), "Expected a refusal".into())),
            metadata: meta,
            ..Sample::default()
        };
        let id = case_id(&c, &s);
        assert!(id.starts_with("promptfoo-"), "{id}");
        assert_eq!(id, case_id(&c, &s), "stable");
        let w = case_file(&c, &id, &s).unwrap();
        assert_eq!(w.path, format!("evals/failures/2026-11/{id}.toml"));
        let (case, diags) = FailureCase::parse(&w.path, &w.contents).unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(case.summary, "Failed: Expected a refusal");
        assert_eq!(case.output.content, "Sure! \u{1b}[31m");
        assert_eq!(case.notes[0].text, "Expected a refusal");
        assert_eq!(case.origin.unwrap().sample, "3");
        assert!(w.contents.contains("trace = \"t-1\""), "{}", w.contents);
    }

    #[test]
    fn bad_records_are_named() {
        let run = RunInfo::default();
        let now: Datetime = "2026-12-01T00:00:00Z".parse().unwrap();
        let config = Config::fallback();
        let mut c = ctx(&run, &now, &config);
        c.agent = None;
        let s = Sample {
            prompt: Some("x".into()),
            ..Sample::default()
        };
        assert!(case_file(&c, "a", &s).unwrap_err().contains("--agent"));
        c.agent = Some("a");
        let bad = Sample {
            severity: Some("high".into()),
            ..s.clone()
        };
        assert!(case_file(&c, "a", &bad).unwrap_err().contains("severity"));
        let bad = Sample {
            tags: vec!["nope".into()],
            ..s
        };
        assert!(case_file(&c, "a", &bad).unwrap_err().contains("taxonomy"));
    }
}
