//! A timeline as text lines, one compact block per commit, newest first —
//! like `git log`, with docket's reading of each commit: the trailers about
//! the item, a hand edit, and the signature. `docket log` prints them and
//! the UI's history panel shows them; every line is sanitized (commit
//! messages and names come from other people's repositories).

use super::{Timeline, TimelineEntry, short};
use crate::model::time;
use crate::sanitize;

impl Timeline {
    /// The timeline's lines; a blank line between commits.
    #[must_use]
    pub fn lines(&self) -> Vec<String> {
        let kinds: Vec<&str> = self.kinds.iter().map(|k| k.as_str()).collect();
        if self.entries.is_empty() {
            return vec![format!(
                "{} {}: no commit changed it yet",
                kinds.join("/"),
                sanitize::line(&self.id)
            )];
        }
        let mut out = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            if i > 0 {
                out.push(String::new());
            }
            entry(&mut out, e);
        }
        out
    }
}

/// `2026-11-23 10:00` (UTC).
fn when(secs: i64) -> String {
    let dt = time::datetime_from_unix(secs).to_string();
    dt.get(..16).unwrap_or(&dt).replace('T', " ")
}

fn entry(out: &mut Vec<String>, e: &TimelineEntry) {
    let s = |t: &str| sanitize::line(t).into_owned();
    out.push(format!(
        "{} {}  {} <{}>  {}",
        short(&e.commit),
        when(e.time),
        s(&e.author_name),
        s(&e.author_email),
        s(&e.signature.describe())
    ));
    out.push(format!("    {}", s(&e.summary)));
    for a in &e.actions {
        out.push(format!("    Docket-Action: {}", s(&a.to_string())));
    }
    for v in &e.verdicts {
        out.push(format!(
            "    Docket-Verdict: {} {}",
            s(&v.case),
            v.decision.as_str()
        ));
    }
    for p in &e.hand_edited {
        out.push(format!("    hand edit: {}", s(p)));
    }
}
