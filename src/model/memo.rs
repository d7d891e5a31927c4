//! Decision memos (docs/format.md, "Memo"): `memos/<NNNN>-<slug>.md`.

use super::diag::{Diagnostic, key_line};
use super::frontmatter::{self, FRONT_LINE_OFFSET};
use super::{ids, parse};
use serde::{Deserialize, Serialize};
use toml::value::Datetime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MemoStatus {
    Draft,
    Proposed,
    Accepted,
    Rejected,
    Deprecated,
    Superseded,
}

super::case::names!(MemoStatus { Draft => "draft", Proposed => "proposed", Accepted => "accepted", Rejected => "rejected", Deprecated => "deprecated", Superseded => "superseded" });

/// The six sections every memo from `proposed` on must fill.
pub const SECTIONS: &[&str] = &[
    "Context",
    "Assumptions",
    "Constraints",
    "Decision",
    "Metrics for success",
    "Evaluation plan",
];

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Memo {
    #[serde(skip_deserializing)]
    pub path: String,
    pub id: String,
    pub title: String,
    pub status: MemoStatus,
    pub date: Option<Datetime>,
    pub owner: Option<String>,
    #[serde(default)]
    pub deciders: Vec<String>,
    #[serde(default)]
    pub supersedes: Vec<String>,
    pub superseded_by: Option<String>,
    #[serde(default)]
    pub agents: Vec<String>,
    #[serde(default)]
    pub data_sources: Vec<String>,
    pub review_by: Option<Datetime>,
    #[serde(skip_deserializing)]
    pub body: String,
    /// The 1-based line of the body's first line in the file.
    #[serde(skip_deserializing)]
    pub body_line: usize,
}

/// One `## Heading` section of a memo body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    pub line: usize,
    pub empty: bool,
}

impl Memo {
    pub fn parse(path: &str, text: &str) -> Result<(Self, Vec<Diagnostic>), Diagnostic> {
        let split = frontmatter::split(path, text)?;
        let mut memo: Self = parse::toml(path, split.front, FRONT_LINE_OFFSET)?;
        memo.path = path.to_owned();
        memo.body = split.body.to_owned();
        memo.body_line = split.body_line;
        let line = key_line(split.front, "id") + FRONT_LINE_OFFSET;
        ids::check_memo(&memo.id).map_err(|e| Diagnostic::parse(path, line, e.to_string()))?;
        let name = path.rsplit('/').next().unwrap_or(path);
        if name.get(..4) != Some(memo.id.as_str()) || name.as_bytes().get(4) != Some(&b'-') {
            return Err(Diagnostic::parse(
                path,
                line,
                format!(
                    "id {:?} does not match the file name (expected memos/{}-<slug>.md)",
                    memo.id, memo.id
                ),
            ));
        }
        Ok((memo, Vec::new()))
    }

    /// The `## ` sections of the body, with their lines and whether they hold
    /// any text.
    #[must_use]
    pub fn sections(&self) -> Vec<Section> {
        let mut out: Vec<Section> = Vec::new();
        let mut in_code = false;
        for (n, l) in self.body.lines().enumerate() {
            let t = l.trim_start();
            if t.starts_with("```") || t.starts_with("~~~") {
                in_code = !in_code;
            }
            // A section holding only its template prompt (an HTML comment)
            // is still empty.
            let prompt = t.starts_with("<!--") && t.ends_with("-->");
            if !in_code && let Some(h) = l.strip_prefix("## ") {
                out.push(Section {
                    title: h.trim().to_owned(),
                    line: self.body_line + n,
                    empty: true,
                });
            } else if !t.is_empty()
                && !prompt
                && let Some(s) = out.last_mut()
            {
                s.empty = false;
            }
        }
        out
    }

    #[must_use]
    pub fn haystack(&self) -> String {
        format!("{} {} {}", self.id, self.title, self.status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_finds_sections() {
        let text = "+++\nid = \"0007\"\ntitle = \"T\"\nstatus = \"accepted\"\n+++\n## Context\nWhy.\n## Assumptions\n\n## Decision\n```\n## not a heading\n```\n";
        let (m, _) = Memo::parse("memos/0007-t.md", text).unwrap();
        assert_eq!(m.status, MemoStatus::Accepted);
        let s = m.sections();
        assert_eq!(s.len(), 3);
        assert_eq!(
            s[0],
            Section {
                title: "Context".into(),
                line: 6,
                empty: false
            }
        );
        assert!(s[1].empty);
        assert!(!s[2].empty);
        assert!(Memo::parse("memos/0008-t.md", text).is_err());
        assert!(Memo::parse("memos/0007.md", text).is_err());
    }
}
