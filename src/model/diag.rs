//! Diagnostics: one problem in one file, printed as `path:line: message`.

use serde::Serialize;
use std::fmt;

/// Whether a problem fails `docket check` (error) or is only reported (warning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

/// A problem found in a workspace file. `line` is 1-based; line 1 is used when
/// the problem concerns the whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub path: String,
    pub line: usize,
    pub level: Level,
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: impl Into<String>, line: usize, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            line: line.max(1),
            level: Level::Error,
            message: message.into(),
        }
    }

    pub fn warning(path: impl Into<String>, line: usize, message: impl Into<String>) -> Self {
        Self {
            level: Level::Warning,
            ..Self::error(path, line, message)
        }
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
        let e = Diagnostic::error("a.toml", 3, "bad");
        assert_eq!(e.to_string(), "a.toml:3: bad");
        let w = Diagnostic::warning("a.toml", 0, "meh");
        assert_eq!(w.to_string(), "a.toml:1: warning: meh");
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
