//! `docket log ID`: one case's, set's, runbook's or memo's timeline, one
//! compact block per commit, newest first — like `git log`, with docket's
//! reading of each commit: the trailers about the item, a hand edit, and
//! the signature. The walking and checking are the store's; this file
//! prints. Everything from a commit or a file is sanitized.

use super::output;
use crate::model::time;
use crate::store::{SigCheck, Signature, Store, Timeline};
use serde_json::{Value, json};
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

fn text(t: &Timeline) -> String {
    let mut o = t.lines().join("\n");
    o.push('\n');
    o
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
