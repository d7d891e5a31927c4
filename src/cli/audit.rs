//! `docket audit [--since REV] [--json]`: one `COMMIT: message` line per
//! finding (newest commit first), then a summary; exit 1 on any finding, 0
//! when clean. With `--json`, standard output is only the array of
//! `{commit, rule, message}` and the summary goes to standard error. The
//! rules are the store's (`store/audit.rs`).

use super::output::{self, safe};
use crate::store::{Audit, Store, short};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

pub fn run(cwd: &Path, since: Option<&str>, json: bool) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    let audit = store.audit(since)?;
    for n in &audit.notes {
        eprintln!("docket audit: note: {}", safe(n));
    }
    let summary = format!(
        "audit: {} commit{} checked, {} finding{}",
        audit.checked,
        if audit.checked == 1 { "" } else { "s" },
        audit.findings.len(),
        if audit.findings.len() == 1 { "" } else { "s" },
    );
    if json {
        output::print_json(&to_json(&audit))?;
        eprintln!("{summary}");
    } else {
        let mut o = String::new();
        for f in &audit.findings {
            let _ = writeln!(
                o,
                "{} {}: [{}] {}",
                short(&f.commit),
                safe(&f.summary),
                f.rule.as_str(),
                safe(&f.message)
            );
        }
        let _ = writeln!(o, "{summary}");
        std::io::Write::write_all(&mut std::io::stdout().lock(), o.as_bytes())?;
    }
    Ok(if audit.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn to_json(a: &Audit) -> Value {
    Value::Array(
        a.findings
            .iter()
            .map(|f| {
                json!({
                    "commit": f.commit,
                    "summary": f.summary,
                    "rule": f.rule.as_str(),
                    "message": f.message,
                })
            })
            .collect(),
    )
}
