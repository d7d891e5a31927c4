//! Eval sets written in the formats runners load, byte for byte the same
//! for the same set (cases sorted by id, keys sorted, one line each):
//! `OpenAI` evals `samples.jsonl`, promptfoo tests (`tests: file://…jsonl`),
//! Inspect samples (`json_dataset`), and docket's own lossless JSON Lines.
//! Every format carries the docket case id, so `docket run import` can match
//! a runner's results back to the cases.

use crate::model::case::{Input, Message};
use crate::model::{EvalSet, FailureCase};
use serde_json::{Map, Value, json};

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    OpenaiEvals,
    Promptfoo,
    Inspect,
    Jsonl,
}

/// One case of the set: its parsed fields, the whole file as TOML (so the
/// lossless export keeps keys docket does not know) and, when it still
/// exists, the failure it was promoted from.
pub struct ExportCase<'a> {
    pub case: &'a crate::model::set::SetCase,
    pub raw: toml::Table,
    pub failure: Option<&'a FailureCase>,
}

/// The set in `format`, one JSON object per line.
#[must_use]
pub fn export(format: Format, set: &EvalSet, cases: &mut [ExportCase<'_>]) -> String {
    cases.sort_by(|a, b| a.case.id.cmp(&b.case.id));
    let mut out = String::new();
    for c in cases.iter() {
        let v = match format {
            Format::OpenaiEvals => openai(c),
            Format::Promptfoo => promptfoo(set, c),
            Format::Inspect => inspect(set, c),
            Format::Jsonl => lossless(set, c),
        };
        out.push_str(&v.to_string());
        out.push('\n');
    }
    out
}

fn expected(c: &ExportCase<'_>) -> String {
    c.case
        .expected
        .as_ref()
        .map(|e| e.content.clone())
        .unwrap_or_default()
}

/// The conversation a runner replays: the messages, then the prompt as a
/// user turn when there are both.
fn chat(input: &Input) -> Vec<Message> {
    let mut m = input.messages.clone();
    if let Some(p) = &input.prompt {
        m.push(Message {
            role: "user".into(),
            content: p.clone(),
        });
    }
    m
}

fn chat_json(input: &Input) -> Value {
    Value::Array(
        chat(input)
            .into_iter()
            .map(|m| json!({"role": m.role, "content": m.content}))
            .collect(),
    )
}

/// What docket knows of the case, for the runners' metadata fields.
fn metadata(set: &EvalSet, c: &ExportCase<'_>) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("docket_case".into(), c.case.id.clone().into());
    m.insert("docket_set".into(), set.id.clone().into());
    m.insert("docket_set_version".into(), set.version.into());
    if let Some(i) = c.case.provenance.as_ref().and_then(|p| p.incident.clone()) {
        m.insert("incident".into(), i.into());
    }
    if !c.case.tags.is_empty() {
        m.insert("tags".into(), c.case.tags.clone().into());
    }
    m
}

fn openai(c: &ExportCase<'_>) -> Value {
    json!({"input": chat_json(&c.case.input), "ideal": expected(c)})
}

fn promptfoo(set: &EvalSet, c: &ExportCase<'_>) -> Value {
    let input = &c.case.input;
    let last_user = chat(input)
        .into_iter()
        .rev()
        .find(|m| m.role == "user")
        .map(|m| m.content)
        .unwrap_or_default();
    let mut vars = Map::new();
    vars.insert("input".into(), last_user.into());
    vars.insert("messages".into(), chat_json(input).to_string().into());
    vars.insert("expected".into(), expected(c).into());
    let description = match c.failure {
        Some(f) => format!("{}: {}", c.case.id, f.summary),
        None => c.case.id.clone(),
    };
    json!({
        "description": description,
        "vars": vars,
        "assert": [{"type": "llm-rubric", "value": expected(c)}],
        "metadata": metadata(set, c),
    })
}

fn inspect(set: &EvalSet, c: &ExportCase<'_>) -> Value {
    let input = &c.case.input;
    let input = match (&input.prompt, input.messages.is_empty()) {
        (Some(p), true) => Value::from(p.clone()),
        _ => chat_json(input),
    };
    json!({
        "id": c.case.id,
        "input": input,
        "target": expected(c),
        "metadata": metadata(set, c),
    })
}

/// Every key of the case file, plus what the failure it came from adds
/// (output, agent, summary, severity, occurrence), shaped as `docket import
/// jsonl` reads it: importing the export recreates each case.
fn lossless(set: &EvalSet, c: &ExportCase<'_>) -> Value {
    let mut raw = toml_to_json(&toml::Value::Table(c.raw.clone()));
    let Value::Object(o) = &mut raw else {
        return raw;
    };
    let mut meta = match o.remove("metadata") {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let mut line = Map::new();
    line.insert("id".into(), c.case.id.clone().into());
    let input = &c.case.input;
    line.insert(
        "input".into(),
        match (&input.prompt, input.messages.is_empty()) {
            (Some(p), true) => Value::from(p.clone()),
            (None, _) => chat_json(input),
            (Some(p), false) => json!({"messages": chat_json(&Input { messages: input.messages.clone(), prompt: None }), "prompt": p}),
        },
    );
    o.remove("input");
    o.remove("id");
    if let Some(e) = &c.case.expected {
        line.insert("expected".into(), e.content.clone().into());
    }
    o.remove("expected");
    if let Some(Value::Array(t)) = o.remove("tags") {
        line.insert("tags".into(), Value::Array(t));
    }
    if let Some(prov) = o.remove("provenance") {
        if let Some(i) = prov.get("incident") {
            line.insert("incident".into(), i.clone());
        }
        meta.insert("provenance".into(), prov);
    }
    let f = c.failure;
    line.insert(
        "output".into(),
        f.map(|f| f.output.content.clone())
            .unwrap_or_default()
            .into(),
    );
    line.insert(
        "agent".into(),
        f.map_or_else(|| set.runbook.clone(), |f| f.agent.clone())
            .into(),
    );
    if let Some(f) = f {
        line.insert("summary".into(), f.summary.clone().into());
        line.insert("source".into(), f.source.as_str().into());
        line.insert("occurred_at".into(), f.occurred_at.to_string().into());
        if let Some(s) = f.severity {
            line.insert("severity".into(), s.as_str().into());
        }
        // The reviewers' notes on the failure travel with the case.
        if !f.notes.is_empty() {
            let notes: Vec<Value> = f
                .notes
                .iter()
                .map(|n| json!({"author": n.author, "at": n.at.to_string(), "text": n.text}))
                .collect();
            line.insert("notes".into(), Value::Array(notes));
        }
        line.entry("incident")
            .or_insert_with(|| f.incident.clone().map_or(Value::Null, Value::from));
    }
    meta.insert("docket_set".into(), set.id.clone().into());
    meta.insert("docket_set_version".into(), set.version.into());
    // Keys of the case file docket does not know travel in metadata.
    meta.extend(std::mem::take(o));
    line.insert("metadata".into(), Value::Object(meta));
    line.retain(|_, v| !v.is_null());
    Value::Object(line)
}

/// A TOML value as JSON: datetimes as RFC 3339 strings.
#[must_use]
pub fn toml_to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => s.clone().into(),
        toml::Value::Integer(i) => (*i).into(),
        toml::Value::Float(f) => {
            serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
        }
        toml::Value::Boolean(b) => (*b).into(),
        toml::Value::Datetime(d) => d.to_string().into(),
        toml::Value::Array(a) => a.iter().map(toml_to_json).collect(),
        toml::Value::Table(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}
