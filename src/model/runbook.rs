//! Agent runbooks (docs/format.md, "Runbook"): `runbooks/<runbook-id>.md`, TOML front
//! matter and a markdown body.

use super::diag::{Diagnostic, key_line};
use super::frontmatter::{self, FRONT_LINE_OFFSET};
use super::rule::Rule;
use super::{ids, parse};
use serde::{Deserialize, Serialize};
use toml::value::Datetime;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Action {
    pub name: String,
    /// Touches customers, money or production.
    #[serde(default)]
    pub external: bool,
    /// `none`, `human` or `two-person`.
    #[serde(default = "default_approval")]
    pub approval: String,
}

fn default_approval() -> String {
    "none".to_owned()
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Escalation {
    pub to: Option<String>,
    #[serde(default)]
    pub when: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct KillSwitch {
    pub how: Option<String>,
    pub last_drill: Option<Datetime>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Audit {
    #[serde(default)]
    pub fields: Vec<String>,
}

/// Permissions budgeting: what the agent must show to earn its next tier.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct PromotionRule {
    pub next: Option<String>,
    pub min_pass_rate: Option<f64>,
    pub window_days: Option<u32>,
    #[serde(default)]
    pub requires_red_team: bool,
    pub last_red_team: Option<Datetime>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Runbook {
    #[serde(skip_deserializing)]
    pub path: String,
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    /// `draft`, `active`, `paused` or `retired`.
    pub status: String,
    /// `observe`, `suggest`, `supervised` or `autonomous`.
    pub autonomy: String,
    pub policy: Option<String>,
    pub environment: Option<String>,
    #[serde(default)]
    pub triggers: Vec<String>,
    pub max_actions: Option<u32>,
    #[serde(default)]
    pub eval_sets: Vec<String>,
    pub memo: Option<String>,
    #[serde(default)]
    pub actions: Vec<Action>,
    #[serde(default)]
    pub escalation: Escalation,
    #[serde(default)]
    pub kill_switch: KillSwitch,
    #[serde(default)]
    pub audit: Audit,
    pub promotion: Option<PromotionRule>,
    #[serde(skip_deserializing)]
    pub body: String,
}

pub const STATUSES: &[&str] = &["draft", "active", "paused", "retired"];
pub const TIERS: &[&str] = &["observe", "suggest", "supervised", "autonomous"];
pub const APPROVALS: &[&str] = &["none", "human", "two-person"];

impl Runbook {
    pub fn parse(path: &str, text: &str) -> Result<(Self, Vec<Diagnostic>), Diagnostic> {
        let split = frontmatter::split(path, text)?;
        let mut rb: Self = parse::toml(path, split.front, FRONT_LINE_OFFSET)?;
        rb.path = path.to_owned();
        rb.body = split.body.to_owned();
        let line = |key: &str| key_line(split.front, key) + FRONT_LINE_OFFSET;
        ids::check("runbook", &rb.id)
            .map_err(|e| Diagnostic::parse(path, line("id"), e.to_string()))?;
        if rb.id != parse::stem(path) {
            return Err(Diagnostic::parse(
                path,
                line("id"),
                format!(
                    "id {:?} does not match the file name (expected {:?})",
                    rb.id,
                    parse::stem(path)
                ),
            ));
        }
        let mut diags = Vec::new();
        if !STATUSES.contains(&rb.status.as_str()) {
            diags.push(Diagnostic::new(
                Rule::Schema,
                path,
                line("status"),
                format!(
                    "unknown status {:?} (expected one of {})",
                    rb.status,
                    STATUSES.join(", ")
                ),
            ));
        }
        if !TIERS.contains(&rb.autonomy.as_str()) {
            diags.push(Diagnostic::new(
                Rule::Schema,
                path,
                line("autonomy"),
                format!(
                    "unknown autonomy {:?} (expected one of {})",
                    rb.autonomy,
                    TIERS.join(", ")
                ),
            ));
        }
        for a in &rb.actions {
            if !APPROVALS.contains(&a.approval.as_str()) {
                diags.push(Diagnostic::new(
                    Rule::Schema,
                    path,
                    1,
                    format!(
                        "action {:?}: unknown approval {:?} (expected one of {})",
                        a.name,
                        a.approval,
                        APPROVALS.join(", ")
                    ),
                ));
            }
        }
        Ok((rb, diags))
    }

    #[must_use]
    pub fn haystack(&self) -> String {
        format!(
            "{} {} {}",
            self.id,
            self.title,
            self.owner.as_deref().unwrap_or("")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_front_matter_and_body() {
        let text = "+++\nid = \"support-triage\"\ntitle = \"T\"\nstatus = \"active\"\nautonomy = \"supervised\"\n\n[[actions]]\nname = \"send_email\"\nexternal = true\napproval = \"human\"\n\n[kill_switch]\nlast_drill = 2026-10-01\n+++\n## Purpose\n";
        let (rb, d) = Runbook::parse("runbooks/support-triage.md", text).unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(rb.actions[0].approval, "human");
        assert_eq!(rb.body, "## Purpose\n");
        let e = Runbook::parse(
            "runbooks/support-triage.md",
            &text.replace("status = \"active\"", "status = 3"),
        )
        .unwrap_err();
        assert_eq!(e.line, 4, "{e}");
    }
}
