//! `docket log ID`: one case's, set's, runbook's or memo's timeline, one
//! compact block per commit, newest first — like `git log`, with docket's
//! reading of each commit: the trailers about the item, a hand edit, and
//! the signature. The walking and checking are the store's; this file
//! prints. Everything from a commit or a file is sanitized.

use super::output::{self, safe};
use crate::model::time;
use crate::store::{SigCheck, Signature, Store, Timeline, TimelineEntry, short};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

pub fn run(cwd: &Path, id: &str, json: bool) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    let timeline = store.timeline(id)?;
    if json {
        output::print_json(&to_json(&timeline))?;
    } else {
        std::io::Write::write_all(&mut std::io::stdout().lock(), text(&timeline).as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `2026-11-23 10:00` (UTC).
fn when(secs: i64) -> String {
    let dt = time::datetime_from_unix(secs).to_string();
    dt.get(..16).unwrap_or(&dt).replace('T', " ")
}

fn text(t: &Timeline) -> String {
    let mut o = String::new();
    let kinds: Vec<&str> = t.kinds.iter().map(|k| k.as_str()).collect();
    if t.entries.is_empty() {
        let _ = writeln!(
            o,
            "{} {}: no commit changed it yet",
            kinds.join("/"),
            safe(&t.id)
        );
        return o;
    }
    for (i, e) in t.entries.iter().enumerate() {
        if i > 0 {
            o.push('\n');
        }
        entry(&mut o, e);
    }
    o
}

fn entry(o: &mut String, e: &TimelineEntry) {
    let _ = writeln!(
        o,
        "{} {}  {} <{}>  {}",
        short(&e.commit),
        when(e.time),
        safe(&e.author_name),
        safe(&e.author_email),
        safe(&e.signature.describe())
    );
    let _ = writeln!(o, "    {}", safe(&e.summary));
    for a in &e.actions {
        let _ = writeln!(o, "    Docket-Action: {}", safe(&a.to_string()));
    }
    for v in &e.verdicts {
        let _ = writeln!(
            o,
            "    Docket-Verdict: {} {}",
            safe(&v.case),
            v.decision.as_str()
        );
    }
    for p in &e.hand_edited {
        let _ = writeln!(o, "    hand edit: {}", safe(p));
    }
}

fn signature_json(s: &Signature) -> Value {
    match s {
        Signature::Unsigned => json!({ "signed": false }),
        Signature::Signed { format, check } => {
            let (verified, signer, note) = match check {
                SigCheck::Good { signer } => ("good", Some(signer.as_str()), None),
                SigCheck::Bad { why } => ("bad", None, Some(why.as_str())),
                SigCheck::Unchecked { why } => ("unchecked", None, Some(why.as_str())),
            };
            json!({
                "signed": true,
                "format": format.as_str(),
                "verified": verified,
                "signer": signer,
                "note": note,
            })
        }
    }
}

fn to_json(t: &Timeline) -> Value {
    Value::Array(
        t.entries
            .iter()
            .map(|e| {
                json!({
                    "commit": e.commit,
                    "author": { "name": e.author_name, "email": e.author_email },
                    "at": time::datetime_from_unix(e.time).to_string(),
                    "summary": e.summary,
                    "actions": e.actions.iter().map(|a| json!({
                        "trailer": a.to_string(),
                        "action": a,
                    })).collect::<Vec<_>>(),
                    "verdicts": e.verdicts.iter().map(|v| json!({
                        "case": v.case,
                        "decision": v.decision.as_str(),
                    })).collect::<Vec<_>>(),
                    "files": e.files.iter().map(|(p, k)| json!({
                        "path": p,
                        "change": k.as_str(),
                    })).collect::<Vec<_>>(),
                    "hand_edit": !e.hand_edited.is_empty(),
                    "hand_edited": e.hand_edited,
                    "signature": signature_json(&e.signature),
                })
            })
            .collect(),
    )
}
