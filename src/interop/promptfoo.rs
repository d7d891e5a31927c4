//! promptfoo's results: the JSON `promptfoo eval -o results.json` writes.
//! Rows live in `results.results[]`; each has `success`, `vars`, `prompt`,
//! `response.output`, `testCase` (`description`, `metadata`, `assert`),
//! `gradingResult.reason` and `failureReason`.

use super::json::{content, datetime, messages, str_of, take_known, text};
use super::{RecordError, Records, RunInfo, Sample};
use serde_json::{Map, Value};

/// Reads a results document. `Err` when the file is not one at all (the
/// message carries serde's line and column for a syntax error); a row that
/// cannot be read is an error item naming its index.
pub fn read(bytes: &[u8]) -> Result<Records, RecordError> {
    let mut doc: Value = super::results::parse_json(bytes)?;
    let results = doc
        .get("results")
        .ok_or_else(|| RecordError::at("top level", "not a promptfoo results file: no `results` (write it with `promptfoo eval -o results.json`)"))?;
    let rows = results
        .get("results")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            RecordError::at(
                "results",
                "not a promptfoo results file: no `results.results` list",
            )
        })?;
    let run_id = doc.get("evalId").and_then(Value::as_str).map(str::to_owned);
    let at = results
        .get("timestamp")
        .or_else(|| doc.get("createdAt"))
        .or_else(|| doc.pointer("/metadata/evaluationCreatedAt"))
        .and_then(datetime);
    let models: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            r.pointer("/provider/label")
                .or_else(|| r.pointer("/provider/id"))
                .or_else(|| r.get("provider"))
                .and_then(Value::as_str)
        })
        .fold(Vec::new(), |mut acc, p| {
            if !acc.iter().any(|x| x == p) {
                acc.push(p.to_owned());
            }
            acc
        });
    let info = RunInfo {
        id: run_id,
        at,
        model: (!models.is_empty()).then(|| models.join(",")),
        unfinished: None,
    };
    // Moved out, not copied: a results file can be large.
    let rows = match doc.pointer_mut("/results/results").map(Value::take) {
        Some(Value::Array(rows)) => rows,
        _ => Vec::new(),
    };
    let iter = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| super::locate(format!("results.results[{i}]"), row(&r)));
    Ok(Records {
        info,
        iter: Box::new(iter),
    })
}

fn row(r: &Value) -> Result<Sample, String> {
    let o = r.as_object().ok_or("expected an object")?;
    let passed = o
        .get("success")
        .and_then(Value::as_bool)
        .ok_or("missing `success`")?;
    let test = o
        .get("testCase")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let vars = o
        .get("vars")
        .or_else(|| test.get("vars"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut s = Sample {
        passed,
        ..Sample::default()
    };
    let test_idx = o.get("testIdx").and_then(Value::as_u64);
    let prompt_idx = o.get("promptIdx").and_then(Value::as_u64).unwrap_or(0);
    s.sample = match (test_idx, o.get("id").and_then(Value::as_str)) {
        (Some(t), _) if prompt_idx == 0 => t.to_string(),
        (Some(t), _) => format!("{t}.{prompt_idx}"),
        (None, Some(id)) => id.to_owned(),
        (None, None) => return Err("no `testIdx` or `id`".into()),
    };
    // Several providers run the same test: each result is its own case.
    let provider = r
        .pointer("/provider/id")
        .or_else(|| o.get("provider"))
        .and_then(Value::as_str)
        .unwrap_or("");
    s.key = format!("prompt {prompt_idx} provider {provider}");
    let raw = r.pointer("/prompt/raw").map(text).unwrap_or_default();
    match serde_json::from_str::<Value>(&raw)
        .ok()
        .as_ref()
        .and_then(messages)
    {
        Some(m) if !m.is_empty() => s.messages = m,
        _ if raw.is_empty() => {
            s.prompt = Some(
                vars.get("input")
                    .or_else(|| vars.get("prompt"))
                    .map(text)
                    .ok_or("no `prompt.raw` and no `input` var")?,
            );
        }
        _ => s.prompt = Some(raw),
    }
    s.output = match r.pointer("/response/output").filter(|v| !v.is_null()) {
        Some(v) => content(v),
        None => r
            .pointer("/response/error")
            .or_else(|| o.get("error"))
            .map(|e| format!("error: {}", text(e)))
            .unwrap_or_default(),
    };
    s.expected = vars
        .get("expected")
        .map(text)
        .or_else(|| expected_of(test.get("assert")));
    s.summary = str_of(&test, "description").map(str::to_owned);
    let reason = failing_reasons(r)
        .or_else(|| r.pointer("/gradingResult/reason").map(text))
        .filter(|x| !x.is_empty())
        .or_else(|| o.get("error").map(text).filter(|x| !x.is_empty()));
    if !passed {
        s.reason = reason.map(|r| ("promptfoo".to_owned(), r));
    }
    let mut meta: Map<String, Value> = test
        .get("metadata")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    take_known(&mut meta, &mut s);
    // promptfoo's own bookkeeping (`_promptfooFileMetadata`) is not the
    // test's.
    meta.retain(|k, _| !k.starts_with("_promptfoo"));
    if !vars.is_empty() {
        meta.insert("vars".into(), Value::Object(vars));
    }
    s.metadata = meta;
    Ok(s)
}

/// Every failing assertion's reason, one per line: `gradingResult.reason`
/// holds only the last one.
fn failing_reasons(r: &Value) -> Option<String> {
    let lines: Vec<String> = r
        .pointer("/gradingResult/componentResults")?
        .as_array()?
        .iter()
        .filter(|c| c.get("pass").and_then(Value::as_bool) == Some(false))
        .filter_map(|c| c.get("reason").map(text))
        .filter(|x| !x.is_empty())
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// What the test's assertions asked for, one line each: the value of a
/// rubric as it is, others as `type: value`.
fn expected_of(asserts: Option<&Value>) -> Option<String> {
    let lines: Vec<String> = asserts?
        .as_array()?
        .iter()
        .filter_map(|a| {
            let kind = a.get("type").and_then(Value::as_str).unwrap_or("assert");
            let value = a.get("value").map(text)?;
            Some(match kind {
                "llm-rubric" | "model-graded-closedqa" | "factuality" | "g-eval" => value,
                _ => format!("{kind}: {value}"),
            })
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}
