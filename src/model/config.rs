//! `docket.toml`: workspace settings, the tag taxonomy and the reviewers.

use super::diag::Diagnostic;
use super::rule::Rule;
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
}

impl Default for Review {
    fn default() -> Self {
        Self {
            cadence_days: default_cadence(),
        }
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
    fn missing_workspace_is_an_error() {
        let e = Config::parse("[review]\ncadence_days = 7\n").unwrap_err();
        assert!(e.message.contains("workspace"), "{e}");
    }
}
