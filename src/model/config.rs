//! `docket.toml`: workspace settings, the tag taxonomy, the reviewers and the
//! levels `[check]` gives rules.

use super::diag::{Diagnostic, line_of};
use super::rule::{Levels, Rule};
use super::{ids, parse};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Workspace-relative path of the settings file that marks a workspace root.
pub const FILE: &str = "docket.toml";

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Config {
    pub workspace: WorkspaceSection,
    #[serde(default)]
    pub review: Review,
    #[serde(default)]
    pub tags: Vec<Tag>,
    #[serde(default)]
    pub reviewers: Vec<Reviewer>,
    /// Read by [`check_levels`] rather than serde, so that a mistake in
    /// `[check]` is one diagnostic at its line instead of a broken config.
    #[serde(skip)]
    pub check: Levels,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct WorkspaceSection {
    pub name: String,
    pub incident_url: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Review {
    #[serde(default = "default_cadence")]
    pub cadence_days: u32,
    /// Severities (`sev1`, …) whose promote or dismiss needs the same
    /// verdict from two different reviewers before it takes effect.
    #[serde(default)]
    pub double_review: Vec<String>,
    /// docket's commits must be signed (`commit.gpgsign` and a key): an
    /// unsigned docket commit is refused, and `docket audit` flags one.
    #[serde(default)]
    pub require_signed: bool,
}

impl Default for Review {
    fn default() -> Self {
        Self {
            cadence_days: default_cadence(),
            double_review: Vec::new(),
            require_signed: false,
        }
    }
}

impl Review {
    /// Whether a case of `severity` needs two reviewers' verdicts.
    #[must_use]
    pub fn needs_double_review(&self, severity: &str) -> bool {
        self.double_review.iter().any(|s| s == severity)
    }
}

fn default_cadence() -> u32 {
    14
}

/// One tag of the taxonomy. Only these may be applied to a case.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Tag {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// A single-key shortcut that toggles the tag in the triage UI.
    pub key: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Reviewer {
    pub name: String,
    pub email: String,
}

impl Config {
    /// Parses `docket.toml`. Errors in individual tags are reported and the
    /// offending tag dropped, so one typo does not disable the taxonomy.
    pub fn parse(text: &str) -> Result<(Self, Vec<Diagnostic>), Diagnostic> {
        let mut cfg: Self = parse::toml(FILE, text, 0)?;
        let mut diags = Vec::new();
        let mut seen_keys: HashMap<String, String> = HashMap::new();
        let mut names = std::collections::HashSet::new();
        cfg.tags.retain(|t| {
            let line = tag_line(text, &t.name);
            if !ids::is_valid(&t.name) {
                diags.push(Diagnostic::new(
                    Rule::Schema,
                    FILE,
                    line,
                    format!(
                        "tag name {:?} is not a valid id (a-z, 0-9, '.', '_', '-')",
                        t.name
                    ),
                ));
                return false;
            }
            if !names.insert(t.name.clone()) {
                diags.push(Diagnostic::new(
                    Rule::Schema,
                    FILE,
                    line,
                    format!("tag {:?} is defined twice", t.name),
                ));
                return false;
            }
            if let Some(key) = &t.key {
                if key.chars().count() != 1 || key.chars().any(char::is_control) {
                    diags.push(Diagnostic::new(
                        Rule::Schema,
                        FILE,
                        line,
                        format!(
                            "tag {:?}: key must be a single printable character, found {key:?}",
                            t.name
                        ),
                    ));
                } else if let Some(other) = seen_keys.insert(key.clone(), t.name.clone()) {
                    diags.push(Diagnostic::new(
                        Rule::Schema,
                        FILE,
                        line,
                        format!(
                            "tag {:?}: key {key:?} is already used by tag {other:?}",
                            t.name
                        ),
                    ));
                }
            }
            true
        });
        cfg.check = check_levels(text, &mut diags);
        Ok((cfg, diags))
    }

    /// The stand-in used when `docket.toml` cannot be parsed, so the rest of
    /// the workspace still loads.
    #[must_use]
    pub fn fallback() -> Self {
        Self {
            workspace: WorkspaceSection {
                name: String::new(),
                incident_url: None,
            },
            review: Review::default(),
            tags: Vec::new(),
            reviewers: Vec::new(),
            check: Levels::default(),
        }
    }

    #[must_use]
    pub fn tag(&self, name: &str) -> Option<&Tag> {
        self.tags.iter().find(|t| t.name == name)
    }

    /// The link for an incident id, from `workspace.incident_url`.
    #[must_use]
    pub fn incident_link(&self, incident: &str) -> Option<String> {
        self.workspace
            .incident_url
            .as_ref()
            .map(|u| u.replace("{id}", incident))
    }
}

/// The `[check]` table, with the place of each value for diagnostics.
#[derive(Deserialize)]
struct CheckSection {
    #[serde(default)]
    check: std::collections::BTreeMap<String, toml::Spanned<toml::Value>>,
}

/// Reads `[check]` (`rule = "error" | "warning" | "off"`). Each entry docket
/// cannot honour is reported at its line and ignored; the rest still apply.
fn check_levels(text: &str, diags: &mut Vec<Diagnostic>) -> Levels {
    let mut levels = Levels::default();
    let section = match toml::from_str::<CheckSection>(text) {
        Ok(s) => s,
        Err(e) => {
            let line = e.span().map_or(1, |s| line_of(text, s.start));
            let msg = format!(
                "[check] must be a table of rule = \"error\" | \"warning\" | \"off\": {}",
                e.message().split_whitespace().collect::<Vec<_>>().join(" ")
            );
            diags.push(Diagnostic::new(Rule::CheckConfig, FILE, line, msg));
            return levels;
        }
    };
    for (name, value) in section.check {
        let line = line_of(text, value.span().start);
        let result = match value.get_ref() {
            toml::Value::String(v) => levels.set(&name, v),
            other => levels.set(&name, &other.to_string()),
        };
        if let Err(msg) = result {
            diags.push(Diagnostic::new(Rule::CheckConfig, FILE, line, msg));
        }
    }
    levels
}

/// Best-effort line of a tag's `name = "..."` entry.
fn tag_line(text: &str, name: &str) -> usize {
    let needle = format!("\"{name}\"");
    text.lines()
        .position(|l| l.trim_start().starts_with("name") && l.contains(&needle))
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Level;

    #[test]
    fn parses_and_reports_bad_tags() {
        let text = r#"
[workspace]
name = "w"

[[tags]]
name = "tone"
key = "t"

[[tags]]
name = "Bad Tag"

[[tags]]
name = "other"
key = "t"
"#;
        let (cfg, diags) = Config::parse(text).unwrap();
        assert_eq!(cfg.review.cadence_days, 14);
        assert_eq!(cfg.tags.len(), 2);
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert_eq!(diags[0].line, 10);
        assert!(diags[1].message.contains("already used"));
    }

    #[test]
    fn review_reads_double_review_and_require_signed() {
        let text = "[workspace]\nname = \"w\"\n[review]\ndouble_review = [\"sev1\", \"sev2\"]\nrequire_signed = true\n";
        let (cfg, _) = Config::parse(text).unwrap();
        assert!(cfg.review.needs_double_review("sev1"));
        assert!(!cfg.review.needs_double_review("sev3"));
        assert!(cfg.review.require_signed);
        let (plain, _) = Config::parse("[workspace]\nname = \"w\"\n").unwrap();
        assert!(!plain.review.require_signed && plain.review.double_review.is_empty());
    }

    #[test]
    fn check_levels_are_read_and_mistakes_reported_at_their_line() {
        let text = r#"[workspace]
name = "w"
future_setting = 1

[check]
incident_coverage = "error"
set_not_run = "off"
incident_covrage = "error"
parse = "warning"
provenance = "loud"
layout = 3
"#;
        let (cfg, diags) = Config::parse(text).unwrap();
        assert_eq!(cfg.check.level(Rule::IncidentCoverage), Some(Level::Error));
        assert_eq!(cfg.check.level(Rule::SetNotRun), None);
        assert_eq!(cfg.check.level(Rule::Parse), Some(Level::Error));
        assert_eq!(cfg.check.level(Rule::Provenance), Some(Level::Warning));
        let got: Vec<(usize, Rule, Level)> =
            diags.iter().map(|d| (d.line, d.rule, d.level)).collect();
        let bad = |line| (line, Rule::CheckConfig, Level::Error);
        // Sorted by name, as the table is read.
        assert_eq!(got, [bad(8), bad(11), bad(9), bad(10)], "{diags:?}");
        assert!(diags.iter().all(|d| d.path == FILE));
        assert!(
            diags[0]
                .message
                .contains("unknown rule \"incident_covrage\""),
            "{}",
            diags[0]
        );
        assert!(
            diags[2].message.contains("cannot be lowered"),
            "{}",
            diags[2]
        );
    }

    #[test]
    fn a_check_that_is_not_a_table_breaks_only_itself() {
        let text = "\n\ncheck = 5\n[workspace]\nname = \"w\"\n\n[[tags]]\nname = \"tone\"\n";
        let (cfg, diags) = Config::parse(text).unwrap();
        assert_eq!(cfg.tags.len(), 1);
        assert_eq!(cfg.check, Levels::default());
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!((diags[0].line, diags[0].rule), (3, Rule::CheckConfig));
    }

    #[test]
    fn missing_workspace_is_an_error() {
        let e = Config::parse("[review]\ncadence_days = 7\n").unwrap_err();
        assert!(e.message.contains("workspace"), "{e}");
    }
}
