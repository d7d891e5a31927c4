//! Failure cases (docs/format.md, "Failure case"): `evals/failures/<YYYY-MM>/<case-id>.toml`.

use super::diag::{Diagnostic, key_line};
use super::rule::Rule;
use super::{ids, parse, time};
use serde::{Deserialize, Serialize};
use toml::value::Datetime;

/// Where a failure was observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    Production,
    OfflineEval,
    RedTeam,
    UserReport,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Sev1,
    Sev2,
    Sev3,
    Sev4,
}

/// The triage state of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    New,
    Triaged,
    Promoted,
    Dismissed,
}

macro_rules! names {
    ($ty:ty { $($var:ident => $s:literal),* $(,)? }) => {
        impl $ty {
            /// The spelling used in files and on the command line.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$var => $s),* }
            }
            /// Every value, in file order.
            pub const ALL: &'static [Self] = &[$(Self::$var),*];
            /// Parses the file spelling.
            #[must_use]
            pub fn from_name(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use names;

names!(Source { Production => "production", OfflineEval => "offline-eval", RedTeam => "red-team", UserReport => "user-report" });
names!(Severity { Sev1 => "sev1", Sev2 => "sev2", Sev3 => "sev3", Sev4 => "sev4" });
names!(Status { New => "new", Triaged => "triaged", Promoted => "promoted", Dismissed => "dismissed" });

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Message {
    pub role: String,
    pub content: String,
}

/// What the agent was given: a conversation, a prompt, or both.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Input {
    #[serde(default)]
    pub messages: Vec<Message>,
    pub prompt: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Content {
    pub content: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Note {
    pub author: String,
    pub at: Datetime,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Promotion {
    pub set: String,
    pub version: u64,
    pub by: String,
    pub at: Datetime,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Dismissal {
    pub reason: String,
    pub by: String,
    pub at: Datetime,
}

/// One reviewer's verdict on a case under double review (`[review]
/// double_review`): recorded until a second, different reviewer gives the
/// same one, which then takes effect as the promotion or dismissal.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Verdict {
    pub by: String,
    pub verdict: VerdictKind,
    /// The set a `promote` verdict names.
    pub set: Option<String>,
    /// The reason a `dismiss` verdict gives.
    pub reason: Option<String>,
    pub at: Datetime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VerdictKind {
    Promote,
    Dismiss,
}

impl Verdict {
    /// `by`'s verdict to promote into `set`.
    #[must_use]
    pub fn promote(by: &str, set: &str, at: &Datetime) -> Self {
        Self {
            by: by.to_owned(),
            verdict: VerdictKind::Promote,
            set: Some(set.to_owned()),
            reason: None,
            at: *at,
        }
    }

    /// `by`'s verdict to dismiss, for `reason`.
    #[must_use]
    pub fn dismiss(by: &str, reason: &str, at: &Datetime) -> Self {
        Self {
            by: by.to_owned(),
            verdict: VerdictKind::Dismiss,
            set: None,
            reason: Some(reason.to_owned()),
            at: *at,
        }
    }

    /// Whether two verdicts decide the same: both dismiss, or both promote
    /// into the same set.
    #[must_use]
    pub fn agrees(&self, other: &Self) -> bool {
        self.verdict == other.verdict
            && (self.verdict == VerdictKind::Dismiss || self.set == other.set)
    }

    /// `promote SET` or `dismiss`, as trailers and agendas say it.
    #[must_use]
    pub fn decision(&self) -> String {
        match (self.verdict, &self.set) {
            (VerdictKind::Promote, Some(set)) => format!("promote {set}"),
            (VerdictKind::Promote, None) => "promote".to_owned(),
            (VerdictKind::Dismiss, _) => "dismiss".to_owned(),
        }
    }
}

/// Where an imported failure came from, so it stays linked to the run that
/// produced it (`docket import`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Origin {
    /// `promptfoo`, `inspect` or `jsonl`.
    pub tool: String,
    /// The file it was imported from, as named on the command line.
    pub file: String,
    /// The runner's own sample or row id.
    pub sample: String,
    /// The runner's id of the run (promptfoo's eval id, Inspect's run id).
    pub run: Option<String>,
}

/// `promptfoo results.json #4 (run eval-abc)`: where an imported case came
/// from, in one line.
#[must_use]
pub fn origin_line(o: &Origin) -> String {
    let run = o
        .run
        .as_deref()
        .map(|r| format!(" (run {r})"))
        .unwrap_or_default();
    format!("{} {} #{}{run}", o.tool, o.file, o.sample)
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct FailureCase {
    /// Workspace-relative path of the file; set by the loader.
    #[serde(skip_deserializing)]
    pub path: String,
    pub id: String,
    pub agent: String,
    pub source: Source,
    pub occurred_at: Datetime,
    pub incident: Option<String>,
    pub severity: Option<Severity>,
    pub status: Status,
    pub summary: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub input: Input,
    pub output: Content,
    pub expected: Option<Content>,
    #[serde(default)]
    pub notes: Vec<Note>,
    pub promotion: Option<Promotion>,
    pub dismissal: Option<Dismissal>,
    pub origin: Option<Origin>,
    /// Verdicts waiting for (or split from) a second reviewer's.
    #[serde(default)]
    pub verdicts: Vec<Verdict>,
    /// How many verdicts [`FailureCase::blind_for`] took out: shown as a
    /// count, never as what they say.
    #[serde(skip)]
    pub hidden_verdicts: usize,
}

impl FailureCase {
    /// Double review is blind: while the case is undecided, a reviewer who
    /// has not given a verdict (`me`; `None` when git has no identity) must
    /// not see the others', or the second opinion is no longer independent.
    /// Takes them out of what is shown, keeping their count.
    pub fn blind_for(&mut self, me: Option<&str>) {
        let undecided = matches!(self.status, Status::New | Status::Triaged);
        if undecided && !self.verdicts.iter().any(|v| Some(v.by.as_str()) == me) {
            self.hidden_verdicts = self.verdicts.len();
            self.verdicts.clear();
        }
    }

    /// Two reviewers gave verdicts that disagree and nothing was decided:
    /// the case goes on the next meeting's agenda.
    #[must_use]
    pub fn split(&self) -> bool {
        matches!(self.status, Status::New | Status::Triaged)
            && self
                .verdicts
                .iter()
                .any(|a| self.verdicts.iter().any(|b| a.by != b.by && !a.agrees(b)))
    }
}

impl FailureCase {
    /// Parses a failure case file. `Err` means the file is unusable and is
    /// skipped; the returned diagnostics are problems worth reporting in a
    /// case that is still loaded.
    pub fn parse(path: &str, text: &str) -> Result<(Self, Vec<Diagnostic>), Diagnostic> {
        let mut case: Self = parse::toml(path, text, 0)?;
        case.path = path.to_owned();
        let id_line = key_line(text, "id");
        ids::check("case", &case.id)
            .map_err(|e| Diagnostic::parse(path, id_line, e.to_string()))?;
        if case.id != parse::stem(path) {
            return Err(Diagnostic::parse(
                path,
                id_line,
                format!(
                    "id {:?} does not match the file name (expected {:?})",
                    case.id,
                    parse::stem(path)
                ),
            ));
        }
        let mut diags = Vec::new();
        let folder = path.rsplit('/').nth(1).unwrap_or("");
        if let Some(month) = time::month_folder(&case.occurred_at)
            && month != folder
        {
            // The folder name is escaped: a diagnostic is one line of text.
            let folder = folder.escape_debug();
            diags.push(Diagnostic::new(Rule::Misfiled, path, key_line(text, "occurred_at"), format!("occurred_at is in {month}, but the case is filed under {folder}/ (move it to evals/failures/{month}/)")));
        }
        if case.input.messages.is_empty() && case.input.prompt.is_none() {
            diags.push(Diagnostic::new(
                Rule::Schema,
                path,
                1,
                "[input] needs messages, a prompt, or both",
            ));
        }
        match (case.status, &case.promotion, &case.dismissal) {
            (Status::Promoted, None, _) => diags.push(Diagnostic::new(
                Rule::Schema,
                path,
                key_line(text, "status"),
                "status is promoted but there is no [promotion] table",
            )),
            (Status::Dismissed, _, None) => diags.push(Diagnostic::new(
                Rule::Schema,
                path,
                key_line(text, "status"),
                "status is dismissed but there is no [dismissal] table",
            )),
            _ => {}
        }
        Ok((case, diags))
    }

    /// The text a fuzzy finder matches against.
    #[must_use]
    pub fn haystack(&self) -> String {
        let mut s = String::new();
        let head = [self.id.as_str(), &self.summary, &self.agent];
        super::table::write_haystack(&mut s, head, self.tags.iter().map(String::as_str));
        s
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub const SAMPLE: &str = r#"id = "billing-tier1-0042"
agent = "support-triage"
source = "production"
occurred_at = 2026-11-02T14:03:00Z
incident = "INC-2041"
severity = "sev2"
status = "new"
summary = "Promised a refund outside the 30-day policy window"
tags = ["hallucinated-promise"]
trace_url = "https://traces.example/1"   # unknown keys survive

[input]
messages = [
  { role = "system", content = "You are Northwind's billing assistant." },
  { role = "user", content = "Can I get a refund for last March?" },
]

[output]
content = """Of course! I've issued a full refund."""

[expected]
content = "Explain the 30-day window and offer escalation to a human."
"#;

    pub const PATH: &str = "evals/failures/2026-11/billing-tier1-0042.toml";

    #[test]
    fn parses_the_product_example() {
        let (c, d) = FailureCase::parse(PATH, SAMPLE).unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.status, Status::New);
        assert_eq!(c.severity, Some(Severity::Sev2));
        assert_eq!(c.input.messages.len(), 2);
        assert_eq!(c.path, PATH);
    }

    #[test]
    fn skips_bad_files_with_lines() {
        let e = FailureCase::parse(PATH, &SAMPLE.replace("status = \"new\"", "status = 3"))
            .unwrap_err();
        assert_eq!(e.line, 7, "{e}");
        let e = FailureCase::parse(PATH, &SAMPLE.replace("summary = ", "sumary = ")).unwrap_err();
        assert!(e.message.contains("summary"), "{e}");
        let e = FailureCase::parse("evals/failures/2026-11/other.toml", SAMPLE).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("does not match the file name"), "{e}");
        let e =
            FailureCase::parse(PATH, &SAMPLE.replace("billing-tier1-0042", "../x")).unwrap_err();
        assert!(e.message.contains("invalid case id"), "{e}");
    }

    #[test]
    fn reports_wrong_month_but_loads() {
        let p = "evals/failures/2026-10/billing-tier1-0042.toml";
        let (_, d) = FailureCase::parse(p, SAMPLE).unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 4);
    }
}
