//! The rules `docket check` enforces, registered once: a stable `snake_case`
//! name, a default level, whether `[check]` may lower it, and a one-line
//! description. Every [`Diagnostic`](super::Diagnostic) carries its rule, so a
//! team can raise or silence a rule by name in `docket.toml` and scripts can
//! match on it in `--json`. The names are a public interface: rename none.

use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// Whether a problem fails `docket check` (error) or is only reported (warning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

/// What the registry knows of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    pub rule: Rule,
    pub name: &'static str,
    pub default: Level,
    /// A fixed rule stays an error whatever `[check]` says: it reports a file
    /// docket could not load or that breaks the format, and hiding it would
    /// hide that everything else was judged on an incomplete workspace.
    pub fixed: bool,
    pub description: &'static str,
}

/// Declares the `Rule` enum and the `RULES` table from one list, so a rule
/// cannot exist without a name, a level and a description.
macro_rules! rules {
    ($($variant:ident $name:literal $level:ident $fixed:literal $desc:literal;)+) => {
        /// One rule of `docket check`; see [`RULES`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $($variant,)+
        }

        /// Every rule, in the order the docs list them.
        pub const RULES: &[RuleInfo] = &[
            $(RuleInfo {
                rule: Rule::$variant,
                name: $name,
                default: Level::$level,
                fixed: $fixed,
                description: $desc,
            },)+
        ];
    };
}

rules! {
    Parse "parse" Error true
        "a file cannot be read or parsed (TOML, front matter, UTF-8, an id that is not its file name); it is skipped";
    Schema "schema" Error true
        "a field holds a value the format does not allow (unknown status, autonomy or approval; no [input]; no [promotion] or [dismissal] for its status; min_pass_rate outside 0..1; a bad tag in docket.toml)";
    DuplicateId "duplicate_id" Error true
        "two files claim one id; the later one is skipped";
    OrphanSetCase "orphan_set_case" Error true
        "an eval case in a set folder without set.toml; it is skipped";
    CheckConfig "check_config" Error true
        "[check] in docket.toml names an unknown rule or level, or lowers a rule that cannot be lowered";
    Layout "layout" Warning false
        "a file in docket's folders that is not part of the layout, or a symlink; it is ignored";
    Misfiled "misfiled" Error false
        "a failure case filed under another month than its occurred_at, or a run under another set's folder";
    BrokenReference "broken_reference" Error false
        "names a runbook, eval set, memo or tag that does not exist, or a promoted case missing from its set";
    VersionOrder "version_order" Error false
        "an eval case or run names a set version later than the set's own";
    MissingExpected "missing_expected" Error false
        "an eval case has no [expected] content";
    Provenance "provenance" Warning false
        "an eval case has no [provenance], or its provenance names a failure case that is not loaded";
    RunCounts "run_counts" Warning false
        "a run's failed count differs from the failures it lists";
    LaunchReadiness "launch_readiness" Error false
        "an active runbook fails one of the five launch controls";
    MemoSections "memo_sections" Error false
        "a memo past draft lacks one of the six sections, or leaves it empty";
    FrozenMemo "frozen_memo" Error false
        "an accepted memo's frozen content changed after the commit that accepted it";
    IncidentCoverage "incident_coverage" Warning false
        "an incident has no promoted eval case a review cadence after its first failure";
    MemoReviewDue "memo_review_due" Warning false
        "an accepted or proposed memo is past its review_by date";
    DrillOverdue "drill_overdue" Warning false
        "the kill switch of a runbook that is not active was last drilled more than 90 days ago";
    RedTeamOverdue "red_team_overdue" Warning false
        "a runbook's last red-team exercise is older than its promotion window";
    SetNotRun "set_not_run" Warning false
        "an eval set has no run within its runbook's promotion window";
}

impl Rule {
    #[must_use]
    pub fn info(self) -> &'static RuleInfo {
        // The table is declared in variant order by the macro above.
        &RULES[self as usize]
    }

    #[must_use]
    pub fn name(self) -> &'static str {
        self.info().name
    }

    #[must_use]
    pub fn by_name(name: &str) -> Option<Self> {
        RULES.iter().find(|r| r.name == name).map(|r| r.rule)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `--json` shows the rule by its name, the same word `[check]` takes.
impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// The levels `[check]` sets by rule; a rule it does not name keeps its
/// default. `None` is `off`: the rule's problems are not reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Levels(BTreeMap<Rule, Option<Level>>);

impl Levels {
    /// Applies one `name = "value"` of `[check]`. The error is the message
    /// for docket.toml's line: an unknown rule or level, or a fixed rule set
    /// below error (which is then left as it is).
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let Some(rule) = Rule::by_name(name) else {
            let names: Vec<&str> = RULES.iter().filter(|r| !r.fixed).map(|r| r.name).collect();
            return Err(format!(
                "[check]: unknown rule {name:?} (rules: {})",
                names.join(", ")
            ));
        };
        let level = match value {
            "error" => Some(Level::Error),
            "warning" => Some(Level::Warning),
            "off" => None,
            _ => {
                return Err(format!(
                    "[check]: {name} = {value:?}: the level is \"error\", \"warning\" or \"off\""
                ));
            }
        };
        if rule.info().fixed && level != Some(Level::Error) {
            return Err(format!(
                "[check]: {name} cannot be lowered to {value}: a file docket cannot load or that breaks the format is always an error"
            ));
        }
        self.0.insert(rule, level);
        Ok(())
    }

    /// The level `rule`'s problems are reported at, or `None` when `off`.
    #[must_use]
    pub fn level(&self, rule: Rule) -> Option<Level> {
        self.0
            .get(&rule)
            .copied()
            .unwrap_or(Some(rule.info().default))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_is_in_variant_order_with_unique_snake_case_names() {
        let mut seen = std::collections::HashSet::new();
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(r.rule as usize, i, "{}", r.name);
            assert_eq!(r.rule.info(), r);
            assert!(seen.insert(r.name), "{} twice", r.name);
            assert!(
                r.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{}",
                r.name
            );
            assert_eq!(Rule::by_name(r.name), Some(r.rule));
            assert!(!r.fixed || r.default == Level::Error, "{}", r.name);
            assert!(!r.description.is_empty() && !r.description.contains('\n'));
        }
        assert_eq!(Rule::by_name("nope"), None);
    }

    #[test]
    fn defaults_until_set() {
        let l = Levels::default();
        assert_eq!(l.level(Rule::IncidentCoverage), Some(Level::Warning));
        assert_eq!(l.level(Rule::BrokenReference), Some(Level::Error));
    }

    #[test]
    fn a_warning_raised_to_error() {
        let mut l = Levels::default();
        l.set("incident_coverage", "error").unwrap();
        assert_eq!(l.level(Rule::IncidentCoverage), Some(Level::Error));
    }

    #[test]
    fn an_error_lowered_to_warning() {
        let mut l = Levels::default();
        l.set("launch_readiness", "warning").unwrap();
        assert_eq!(l.level(Rule::LaunchReadiness), Some(Level::Warning));
    }

    #[test]
    fn off_silences_a_rule() {
        let mut l = Levels::default();
        l.set("set_not_run", "off").unwrap();
        assert_eq!(l.level(Rule::SetNotRun), None);
    }

    #[test]
    fn a_fixed_rule_cannot_be_lowered_but_may_be_named_as_error() {
        let mut l = Levels::default();
        for v in ["warning", "off"] {
            let e = l.set("parse", v).unwrap_err();
            assert!(e.contains("cannot be lowered"), "{e}");
        }
        assert_eq!(l.level(Rule::Parse), Some(Level::Error));
        l.set("parse", "error").unwrap();
        assert_eq!(l.level(Rule::Parse), Some(Level::Error));
    }

    #[test]
    fn unknown_rules_and_levels_are_refused() {
        let mut l = Levels::default();
        let e = l.set("incident_covrage", "error").unwrap_err();
        assert!(e.contains("unknown rule \"incident_covrage\""), "{e}");
        assert!(e.contains("incident_coverage"), "{e}");
        let e = l.set("incident_coverage", "fatal").unwrap_err();
        assert!(e.contains("\"off\""), "{e}");
        assert_eq!(l, Levels::default());
    }
}
