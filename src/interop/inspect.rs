//! Inspect AI eval logs: the JSON log (`--log-format json`) and the `.eval`
//! archive (a zip: `header.json` with the run, one `samples/<id>_epoch_<n>.json`
//! entry per sample, read one at a time). A sample fails when any of its
//! scores is not correct.

use super::json::{content, datetime, messages, take_known, text};
use super::{RecordError, Records, RunInfo, Sample};
use serde_json::{Map, Value};
use std::fmt::Write as _;
use std::io::{Read, Seek};

/// The largest sample entry inflated from an archive.
const MAX_ENTRY: u64 = 64 * 1024 * 1024;

/// The run as the log's header (or the whole JSON log) tells it.
fn info(doc: &Value) -> RunInfo {
    let eval = doc.get("eval").and_then(Value::as_object);
    let get = |k: &str| eval.and_then(|e| e.get(k));
    RunInfo {
        // One log is one eval: `run_id` is shared by every task and model
        // of one `inspect eval` call, `eval_id` is this log's own.
        id: get("eval_id")
            .or_else(|| get("run_id"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        at: get("created").and_then(datetime),
        model: get("model").and_then(Value::as_str).map(str::to_owned),
        unfinished: doc
            .get("status")
            .and_then(Value::as_str)
            .filter(|s| *s != "success")
            .map(|s| format!("the log's status is {s:?}")),
    }
}

/// Reads a JSON log.
pub fn read_json(bytes: &[u8]) -> Result<Records, RecordError> {
    let mut doc: Value = super::results::parse_json(bytes)?;
    doc.get("eval").ok_or_else(|| {
        RecordError::at(
            "top level",
            "not an Inspect log: no `eval` (write it with `--log-format json`)",
        )
    })?;
    let info = info(&doc);
    // Moved out, not copied: a log can be large.
    let samples = match doc.get_mut("samples").map(Value::take) {
        Some(Value::Array(a)) => a,
        Some(Value::Null) | None => Vec::new(),
        Some(_) => return Err(RecordError::at("samples", "expected a list")),
    };
    let iter = samples
        .into_iter()
        .enumerate()
        .map(|(i, s)| super::locate(format!("samples[{i}]"), sample(&s)));
    Ok(Records {
        info,
        iter: Box::new(iter),
    })
}

/// Reads a `.eval` archive, inflating one sample entry at a time.
pub fn read_eval<R: Read + Seek + Send + 'static>(file: R) -> Result<Records, RecordError> {
    let mut zip = zip::ZipArchive::new(file).map_err(|e| {
        RecordError::at(
            "archive",
            format!("not a readable .eval archive (truncated?): {e}"),
        )
    })?;
    // A log still being written (or cancelled hard) has only its journal.
    let finished = entry(&mut zip, "header.json");
    let header: Value = finished
        .clone()
        .or_else(|_| entry(&mut zip, "_journal/start.json"))
        .map_err(|m| RecordError::at("header.json", m))?;
    let mut info = info(&header);
    if finished.is_err() {
        info.unfinished = Some("the archive has no header.json (the eval did not finish)".into());
    }
    let mut names: Vec<(usize, String)> = (0..zip.len())
        .filter_map(|i| {
            let name = zip.name_for_index(i)?.ok()?.into_owned();
            (name.starts_with("samples/") && name.ends_with(".json")).then_some((i, name))
        })
        .collect();
    names.sort_by_key(|a| natural(&a.1));
    let iter = names.into_iter().map(move |(_, name)| {
        let v: Value = entry(&mut zip, &name).map_err(|m| RecordError::at(name.clone(), m))?;
        super::locate(name, sample(&v))
    });
    Ok(Records {
        info,
        iter: Box::new(iter),
    })
}

/// Sorts `samples/10_epoch_1.json` after `samples/9_epoch_1.json`.
fn natural(name: &str) -> (Vec<u64>, String) {
    let nums = name
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|p| p.parse().ok())
        .collect();
    (nums, name.to_owned())
}

fn entry<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Result<Value, String> {
    let f = zip
        .by_name(name)
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    if f.size() > MAX_ENTRY {
        return Err(format!("{name} is larger than {} MiB", MAX_ENTRY >> 20));
    }
    let mut bytes = Vec::new();
    f.take(MAX_ENTRY)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot inflate {name} (truncated?): {e}"))?;
    super::results::parse_json(&bytes).map_err(|e| e.show(name))
}

/// Whether a score value means correct: `"C"`, `true`, or a number ≥ 1; a
/// dictionary of values is correct when every value is.
fn correct(v: &Value) -> bool {
    match v {
        Value::String(s) => s == "C",
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|x| x >= 1.0),
        Value::Object(o) => !o.is_empty() && o.values().all(correct),
        Value::Array(a) => !a.is_empty() && a.iter().all(correct),
        Value::Null => false,
    }
}

fn sample(v: &Value) -> Result<Sample, String> {
    let o = v.as_object().ok_or("expected an object")?;
    let id = o
        .get("id")
        .map(text)
        .filter(|x| !x.is_empty())
        .ok_or("missing `id`")?;
    let epoch = o.get("epoch").and_then(Value::as_u64).unwrap_or(1);
    let mut s = Sample {
        sample: if epoch == 1 {
            id.clone()
        } else {
            format!("{id}:{epoch}")
        },
        key: format!("epoch {epoch}"),
        ..Sample::default()
    };
    match o.get("input") {
        Some(Value::String(p)) => s.prompt = Some(p.clone()),
        Some(m @ Value::Array(_)) => {
            s.messages = messages(m).ok_or("input: expected a string or chat messages")?;
        }
        _ => match o.get("messages").and_then(messages) {
            Some(m) => s.messages = m.into_iter().filter(|m| m.role != "assistant").collect(),
            None => return Err("missing `input`".into()),
        },
    }
    s.output = o
        .get("output")
        .and_then(|out| {
            out.pointer("/choices/0/message/content")
                .or_else(|| out.get("completion"))
        })
        .map(content)
        .unwrap_or_default();
    if s.output.is_empty()
        && let Some(e) = o.get("error").filter(|e| !e.is_null())
    {
        s.output = format!("error: {}", e.get("message").map_or_else(|| text(e), text));
    }
    s.expected = match o.get("target") {
        Some(Value::Array(t)) => Some(t.iter().map(text).collect::<Vec<_>>().join("\n")),
        Some(Value::Null) | None => None,
        Some(t) => Some(text(t)),
    }
    .filter(|t| !t.is_empty());
    if let Some(calls) = o
        .get("output")
        .and_then(|out| out.pointer("/choices/0/message/tool_calls"))
        .filter(|c| c.as_array().is_some_and(|a| !a.is_empty()))
    {
        if !s.output.is_empty() {
            s.output.push('\n');
        }
        let _ = write!(s.output, "tool_calls: {calls}");
    }
    let scores = o.get("scores").and_then(Value::as_object);
    let errored = o.get("error").is_some_and(|e| !e.is_null());
    s.unscored = !errored && scores.is_none_or(Map::is_empty);
    s.passed = !errored
        && scores.is_some_and(|sc| {
            !sc.is_empty() && sc.values().all(|x| x.get("value").is_some_and(correct))
        });
    if !s.passed {
        s.reason = reason(scores).or_else(|| {
            errored.then(|| {
                let e = &o["error"];
                (
                    "inspect".to_owned(),
                    format!("error: {}", e.get("message").map_or_else(|| text(e), text)),
                )
            })
        });
    }
    let mut meta: Map<String, Value> = o
        .get("metadata")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    take_known(&mut meta, &mut s);
    s.case_ref = s.case_ref.or_else(|| Some(id.clone()));
    if epoch != 1 {
        meta.insert("epoch".into(), epoch.into());
    }
    s.metadata = meta;
    Ok(s)
}

/// The failing scores' explanations, one line each: `match: I (answered
/// "4"): explanation`.
fn reason(scores: Option<&Map<String, Value>>) -> Option<(String, String)> {
    let scores = scores?;
    let mut names = Vec::new();
    let mut lines = Vec::new();
    for (name, sc) in scores {
        let value = sc.get("value").cloned().unwrap_or(Value::Null);
        if correct(&value) {
            continue;
        }
        names.push(name.as_str());
        let mut line = format!("{name}: {}", text(&value));
        if let Some(a) = sc.get("answer").map(text).filter(|a| !a.is_empty()) {
            let _ = write!(line, " (answered {a:?})");
        }
        if let Some(e) = sc.get("explanation").map(text).filter(|e| !e.is_empty()) {
            line.push_str(": ");
            line.push_str(&e);
        }
        lines.push(line);
    }
    (!lines.is_empty()).then(|| (format!("inspect:{}", names.join(",")), lines.join("\n")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scores_decide_pass() {
        assert!(correct(&json!("C")));
        assert!(!correct(&json!("I")));
        assert!(!correct(&json!("P")));
        assert!(correct(&json!(1.0)));
        assert!(!correct(&json!(0.5)));
        assert!(correct(&json!({"a": "C", "b": true})));
        assert!(!correct(&json!({"a": "C", "b": 0})));
    }

    #[test]
    fn reads_a_sample() {
        let s = sample(&json!({
            "id": 3, "epoch": 2, "input": "2+2?", "target": ["4"],
            "output": {"choices": [{"message": {"role": "assistant", "content": [{"type": "text", "text": "5"}]}}]},
            "scores": {"match": {"value": "I", "answer": "5", "explanation": "5 is not 4"}},
            "metadata": {"incident": "INC-9", "team": "x"}
        }))
        .unwrap();
        assert_eq!(s.sample, "3:2");
        assert!(!s.passed);
        assert_eq!(s.output, "5");
        assert_eq!(s.expected.as_deref(), Some("4"));
        assert_eq!(s.incident.as_deref(), Some("INC-9"));
        assert_eq!(
            s.reason.as_ref().map(|r| r.0.as_str()),
            Some("inspect:match")
        );
        assert!(s.reason.unwrap().1.contains("5 is not 4"));
        assert_eq!(s.metadata.get("team"), Some(&json!("x")));
    }
}
