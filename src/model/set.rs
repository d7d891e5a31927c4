//! Eval sets (docs/format.md, "Eval set"): `evals/sets/<set-id>/set.toml` and one file per
//! case under `cases/`.

use super::case::{Content, Input};
use super::diag::{Diagnostic, key_line};
use super::rule::Rule;
use super::{ids, parse};
use serde::{Deserialize, Serialize};
use toml::value::Datetime;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct EvalSet {
    #[serde(skip_deserializing)]
    pub path: String,
    pub id: String,
    pub title: String,
    pub owner: String,
    /// The agent (runbook id) this set gates.
    pub runbook: String,
    /// Bumped once for every commit that changes the set's cases.
    pub version: u64,
    pub min_pass_rate: f64,
    #[serde(default)]
    pub description: String,
    /// The set's cases; filled by the loader from `cases/`.
    #[serde(skip_deserializing)]
    pub cases: Vec<SetCase>,
}

/// Where a set case came from: the failure, its blob at promotion, who and when.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Provenance {
    pub failure: String,
    pub failure_blob: String,
    pub incident: Option<String>,
    pub promoted_by: String,
    pub promoted_at: Datetime,
    pub added_in_version: u64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct SetCase {
    #[serde(skip_deserializing)]
    pub path: String,
    pub id: String,
    #[serde(default)]
    pub input: Input,
    pub expected: Option<Content>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub provenance: Option<Provenance>,
}

/// The id of the set a `evals/sets/<set-id>/...` path belongs to.
#[must_use]
pub fn set_id_of(path: &str) -> Option<&str> {
    path.strip_prefix("evals/sets/")?.split('/').next()
}

impl EvalSet {
    pub fn parse(path: &str, text: &str) -> Result<(Self, Vec<Diagnostic>), Diagnostic> {
        let mut set: Self = parse::toml(path, text, 0)?;
        set.path = path.to_owned();
        let line = key_line(text, "id");
        ids::check("set", &set.id).map_err(|e| Diagnostic::parse(path, line, e.to_string()))?;
        if Some(set.id.as_str()) != set_id_of(path) {
            return Err(Diagnostic::parse(
                path,
                line,
                format!(
                    "id {:?} does not match the set folder {:?}",
                    set.id,
                    set_id_of(path).unwrap_or("")
                ),
            ));
        }
        let mut diags = Vec::new();
        if !(0.0..=1.0).contains(&set.min_pass_rate) {
            diags.push(Diagnostic::new(
                Rule::Schema,
                path,
                key_line(text, "min_pass_rate"),
                format!(
                    "min_pass_rate must be between 0 and 1, found {}",
                    set.min_pass_rate
                ),
            ));
        }
        Ok((set, diags))
    }

    #[must_use]
    pub fn haystack(&self) -> String {
        format!("{} {} {}", self.id, self.title, self.runbook)
    }
}

impl SetCase {
    pub fn parse(path: &str, text: &str) -> Result<(Self, Vec<Diagnostic>), Diagnostic> {
        let mut case: Self = parse::toml(path, text, 0)?;
        case.path = path.to_owned();
        let line = key_line(text, "id");
        ids::check("case", &case.id).map_err(|e| Diagnostic::parse(path, line, e.to_string()))?;
        if case.id != parse::stem(path) {
            return Err(Diagnostic::parse(
                path,
                line,
                format!(
                    "id {:?} does not match the file name (expected {:?})",
                    case.id,
                    parse::stem(path)
                ),
            ));
        }
        let mut diags = Vec::new();
        if case.provenance.is_none() {
            diags.push(Diagnostic::new(
                Rule::Provenance,
                path,
                1,
                "no [provenance]: an eval case should name the failure or incident it came from",
            ));
        }
        Ok((case, diags))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_set_and_case() {
        let (s, d) = EvalSet::parse(
            "evals/sets/billing-refunds/set.toml",
            "id = \"billing-refunds\"\ntitle = \"t\"\nowner = \"a@x\"\nrunbook = \"r\"\nversion = 5\nmin_pass_rate = 0.995\n",
        )
        .unwrap();
        assert!(d.is_empty());
        assert_eq!(s.version, 5);
        let e = EvalSet::parse("evals/sets/other/set.toml", "id = \"billing-refunds\"\ntitle = \"t\"\nowner = \"a\"\nrunbook = \"r\"\nversion = 5\nmin_pass_rate = 1.0\n").unwrap_err();
        assert!(e.message.contains("set folder"));
        let (c, d) = SetCase::parse(
            "evals/sets/s/cases/c-1.toml",
            "id = \"c-1\"\n[input]\nprompt = \"p\"\n",
        )
        .unwrap();
        assert_eq!(c.input.prompt.as_deref(), Some("p"));
        assert_eq!(d.len(), 1);
    }
}
