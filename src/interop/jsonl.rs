//! JSON Lines: one object per line, the format a production log pipeline
//! can emit and docket's own lossless export. Read line by line, so a file
//! of any size imports in bounded memory.

use super::json::{content, datetime, messages, str_of, take_known, text};
use super::{Position, RecordError, Sample};
use crate::model::case::Note;
use serde_json::{Map, Value};
use std::io::BufRead;

/// The longest line read; longer ones are refused (a case file has the same
/// bound).
pub const MAX_LINE: u64 = 64 * 1024 * 1024;

/// The records of a JSON Lines stream, one per non-blank line.
pub fn records<R: BufRead + 'static>(
    reader: R,
) -> impl Iterator<Item = Result<Sample, RecordError>> {
    let mut reader = reader;
    let mut line_no = 0usize;
    let mut buf = Vec::new();
    let mut done = false;
    std::iter::from_fn(move || {
        loop {
            if done {
                return None;
            }
            buf.clear();
            line_no += 1;
            let read = std::io::Read::take(&mut reader, MAX_LINE + 1).read_until(b'\n', &mut buf);
            let err = |m: String| {
                Some(Err(RecordError {
                    position: Position::Line(line_no),
                    message: m,
                }))
            };
            match read {
                Ok(0) => return None,
                Err(e) => {
                    // A read error does not go away on retry (a directory,
                    // a dropped mount): one error, then the end.
                    done = true;
                    return err(format!("cannot read: {e}"));
                }
                Ok(_) => {}
            }
            if buf.len() as u64 > MAX_LINE {
                // Skip the rest of the oversized line.
                let _ = skip_line(&mut reader);
                return err(format!("line longer than {} MiB", MAX_LINE >> 20));
            }
            let bytes = if line_no == 1 {
                buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf)
            } else {
                &buf
            };
            let Ok(line) = std::str::from_utf8(bytes) else {
                return err("not UTF-8".into());
            };
            if line.trim().is_empty() {
                continue;
            }
            let r = match serde_json::from_str::<Value>(line) {
                Ok(Value::Object(o)) => record(o),
                Ok(_) => Err("expected a JSON object".to_owned()),
                Err(e) if e.is_eof() => Err(format!("truncated record: {e}")),
                Err(e) => Err(format!("not valid JSON: {e}")),
            };
            let r = r.map(|mut s| {
                s.at = Some(Position::Line(line_no));
                s
            });
            return Some(r.map_err(|m| RecordError {
                position: Position::Line(line_no),
                message: m,
            }));
        }
    })
}

fn skip_line<R: BufRead>(r: &mut R) -> std::io::Result<()> {
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        if let Some(i) = buf.iter().position(|b| *b == b'\n') {
            r.consume(i + 1);
            return Ok(());
        }
        let n = buf.len();
        r.consume(n);
    }
}

/// One object to a sample. Every record is a failure (a pipeline emits
/// failures); `passed: true` marks one that is not.
fn record(mut o: Map<String, Value>) -> Result<Sample, String> {
    let mut s = Sample::default();
    match o.remove("input") {
        Some(Value::String(p)) => s.prompt = Some(p),
        Some(v @ Value::Array(_)) => {
            s.messages = messages(&v)
                .ok_or("input: expected a string or a list of {role, content} messages")?;
        }
        Some(Value::Object(mut io)) => {
            if let Some(m) = io.remove("messages") {
                s.messages =
                    messages(&m).ok_or("input.messages: expected a list of {role, content}")?;
            }
            s.prompt = str_of(&io, "prompt").map(str::to_owned);
        }
        Some(_) => return Err("input: expected a string or a list of messages".into()),
        None => return Err("missing field `input`".into()),
    }
    if s.messages.is_empty() && s.prompt.is_none() {
        return Err("input is empty".into());
    }
    s.output = match o.remove("output") {
        Some(Value::Object(oo)) => oo.get("content").map(content).unwrap_or_default(),
        Some(v) => content(&v),
        None => return Err("missing field `output`".into()),
    };
    s.expected = o.remove("expected").map(|v| match v {
        Value::Object(eo) => eo.get("content").map(content).unwrap_or_default(),
        v => content(&v),
    });
    if let Some(v) = o.remove("id") {
        let id = text(&v);
        s.sample.clone_from(&id);
        s.id = Some(id);
    }
    if let Some(v) = o.remove("occurred_at") {
        s.occurred_at =
            Some(datetime(&v).ok_or_else(|| format!("occurred_at: not a timestamp: {v}"))?);
    }
    if let Some(v) = o.remove("notes") {
        s.notes = notes(&v)?;
    }
    s.passed = o
        .remove("passed")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let mut meta = match o.remove("metadata") {
        Some(Value::Object(m)) => m,
        Some(Value::Null) | None => Map::new(),
        Some(_) => return Err("metadata: expected an object".into()),
    };
    // Top-level fields docket maps win over the same keys in metadata.
    take_known(&mut meta, &mut s);
    take_known(&mut o, &mut s);
    // Anything else on the line is kept, not lost.
    meta.extend(o);
    s.metadata = meta;
    Ok(s)
}

fn notes(v: &Value) -> Result<Vec<Note>, String> {
    let bad = || "notes: expected a list of {author, at, text}".to_owned();
    v.as_array()
        .ok_or_else(bad)?
        .iter()
        .map(|n| {
            let o = n.as_object().ok_or_else(bad)?;
            Ok(Note {
                author: str_of(o, "author").ok_or_else(bad)?.to_owned(),
                at: o.get("at").and_then(datetime).ok_or_else(bad)?,
                text: str_of(o, "text").ok_or_else(bad)?.to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &'static str) -> Vec<Result<Sample, RecordError>> {
        records(std::io::Cursor::new(s.as_bytes())).collect()
    }

    #[test]
    fn reads_records_and_positions() {
        let r = read(
            "{\"input\": \"hi\", \"output\": \"no\", \"incident\": \"INC-1\", \"trace\": \"t1\"}\n\n{\"input\": [{\"role\": \"user\", \"content\": \"x\"}], \"output\": \"y\", \"metadata\": {\"severity\": \"sev2\"}}\n{\"input\": \"a\"}\n{\"input\": \"a\", \"out",
        );
        assert_eq!(r.len(), 4);
        let a = r[0].as_ref().unwrap();
        assert_eq!(a.prompt.as_deref(), Some("hi"));
        assert_eq!(a.incident.as_deref(), Some("INC-1"));
        assert_eq!(a.metadata.get("trace"), Some(&Value::from("t1")));
        let b = r[1].as_ref().unwrap();
        assert_eq!(b.messages.len(), 1);
        assert_eq!(b.severity.as_deref(), Some("sev2"));
        let e = r[2].as_ref().unwrap_err();
        assert_eq!(e.position, Position::Line(4));
        assert!(e.message.contains("output"), "{e}");
        let e = r[3].as_ref().unwrap_err();
        assert_eq!(e.position, Position::Line(5));
        assert!(e.message.contains("truncated"), "{e}");
    }
}
