//! Diagnostics: one problem in one file, printed as `path:line: message`,
//! each tagged with the [`Rule`] that found it.

use super::rule::{Level, Levels, Rule};
use serde::Serialize;
use std::fmt;

/// A problem found in a workspace file. `line` is 1-based; line 1 is used when
/// the problem concerns the whole file. `level` starts as the rule's default;
/// [`relevel`] applies `[check]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub path: String,
    pub line: usize,
    pub level: Level,
    pub rule: Rule,
    pub message: String,
}

impl Diagnostic {
    /// A problem found by `rule`, at the rule's default level.
    pub fn new(
        rule: Rule,
        path: impl Into<String>,
        line: usize,
        message: impl Into<String>,
    ) -> Self {
        Self {
            path: path.into(),
            line: line.max(1),
            level: rule.info().default,
            rule,
            message: message.into(),
        }
    }

    /// A file that cannot be loaded: the commonest diagnostic, so it gets a
    /// short name.
    pub fn parse(path: impl Into<String>, line: usize, message: impl Into<String>) -> Self {
        Self::new(Rule::Parse, path, line, message)
    }

    /// `docket check`'s line: the level and rule name between location and
    /// message (`a.toml:3: warning[provenance]: ...`), so a reader knows the
    /// name `[check]` takes. Other places (refusals, the UI) keep the short
    /// [`Display`](fmt::Display) form.
    #[must_use]
    pub fn report(&self) -> impl fmt::Display + '_ {
        Report(self)
    }
}

impl fmt::Display for Diagnostic {
    /// Errors print as `path:line: message` (the format editors and CI
    /// annotators understand); warnings add a `warning:` marker.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.level {
            Level::Error => write!(f, "{}:{}: {}", self.path, self.line, self.message),
            Level::Warning => write!(f, "{}:{}: warning: {}", self.path, self.line, self.message),
        }
    }
}

struct Report<'a>(&'a Diagnostic);

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        let level = match d.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(
            f,
            "{}:{}: {level}[{}]: {}",
            d.path, d.line, d.rule, d.message
        )
    }
}

/// Applies `[check]` after the rules ran: each problem takes its rule's
/// configured level, and the problems of rules set to `off` are dropped.
#[must_use]
pub fn relevel(diags: Vec<Diagnostic>, levels: &Levels) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .filter_map(|mut d| {
            d.level = levels.level(d.rule)?;
            Some(d)
        })
        .collect()
}

/// The 1-based line of a byte offset in `text`.
#[must_use]
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The line of a top-level `key = ...` (before the first table header) or
/// of a `[key]` / `[[key]]` table header in a TOML text, or 1 when absent.
/// Used to point a diagnostic at a field after serde has parsed the file.
#[must_use]
pub fn key_line(text: &str, key: &str) -> usize {
    let headers = [format!("[{key}]"), format!("[[{key}]]")];
    let mut in_root = true;
    for (n, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with('[') {
            in_root = false;
            let h: String = t
                .split('#')
                .next()
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if headers.contains(&h) {
                return n + 1;
            }
            continue;
        }
        if in_root
            && let Some(rest) = t.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return n + 1;
        }
    }
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_formats() {
        let e = Diagnostic::parse("a.toml", 3, "bad");
        assert_eq!(e.to_string(), "a.toml:3: bad");
        assert_eq!(e.report().to_string(), "a.toml:3: error[parse]: bad");
        let w = Diagnostic::new(Rule::Provenance, "a.toml", 0, "meh");
        assert_eq!(w.to_string(), "a.toml:1: warning: meh");
        assert_eq!(w.report().to_string(), "a.toml:1: warning[provenance]: meh");
    }

    #[test]
    fn json_names_the_rule() {
        let d = Diagnostic::new(Rule::IncidentCoverage, "f.toml", 2, "m");
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(v["rule"], "incident_coverage");
        assert_eq!(v["level"], "warning");
    }

    #[test]
    fn relevel_raises_lowers_and_drops() {
        let diags = vec![
            Diagnostic::new(Rule::IncidentCoverage, "a", 1, "uncovered"),
            Diagnostic::new(Rule::LaunchReadiness, "b", 1, "not ready"),
            Diagnostic::new(Rule::SetNotRun, "c", 1, "no run"),
            Diagnostic::new(Rule::Provenance, "d", 1, "untouched"),
        ];
        let mut levels = Levels::default();
        levels.set("incident_coverage", "error").unwrap();
        levels.set("launch_readiness", "warning").unwrap();
        levels.set("set_not_run", "off").unwrap();
        let out = relevel(diags, &levels);
        let got: Vec<(&str, Level)> = out.iter().map(|d| (d.path.as_str(), d.level)).collect();
        assert_eq!(
            got,
            [
                ("a", Level::Error),
                ("b", Level::Warning),
                ("d", Level::Warning)
            ]
        );
    }

    #[test]
    fn lines() {
        let t = "a = 1\nid = \"x\"\n[t]\nid = 2\n";
        assert_eq!(line_of(t, 0), 1);
        assert_eq!(line_of(t, 6), 2);
        assert_eq!(key_line(t, "id"), 2);
        assert_eq!(key_line(t, "zz"), 1);
        assert_eq!(key_line(t, "t"), 3);
        assert_eq!(key_line("a = 1\n[[ notes ]] # x\n", "notes"), 2);
    }
}
