//! The formats of other tools: the results eval runners write (promptfoo,
//! Inspect AI) and the JSON Lines a production log pipeline emits, read into
//! [`Sample`]s; and eval sets written out in the formats those runners load.
//! Pure over readers and strings: opening files is the caller's business,
//! and nothing here knows git or the workspace on disk.

pub mod export;
pub mod inspect;
mod json;
pub mod jsonl;
pub mod promptfoo;
pub mod results;

use crate::model::case::{Message, Note};
use serde_json::{Map, Value};
use std::fmt;
use toml::value::Datetime;

/// Which tool wrote a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Tool {
    Promptfoo,
    Inspect,
    Jsonl,
}

impl Tool {
    /// The spelling in `[origin] tool` and on the command line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Promptfoo => "promptfoo",
            Self::Inspect => "inspect",
            Self::Jsonl => "jsonl",
        }
    }
}

/// One result a runner recorded (or one line of a log pipeline), with what
/// docket maps into a failure case. Fields a format does not carry are
/// empty.
#[derive(Debug, Clone, Default)]
pub struct Sample {
    /// The runner's own id of the sample or row (`[origin] sample`).
    pub sample: String,
    /// An explicit case id (JSON Lines `id`).
    pub id: Option<String>,
    pub passed: bool,
    pub messages: Vec<Message>,
    pub prompt: Option<String>,
    pub output: String,
    pub expected: Option<String>,
    pub summary: Option<String>,
    pub agent: Option<String>,
    pub source: Option<String>,
    pub incident: Option<String>,
    pub severity: Option<String>,
    pub tags: Vec<String>,
    pub occurred_at: Option<Datetime>,
    /// Why the grader failed it, and who said so (`promptfoo`,
    /// `inspect:match`): becomes a note at the run's time.
    pub reason: Option<(String, String)>,
    /// Notes carried by the record itself (a docket JSON Lines export).
    pub notes: Vec<Note>,
    /// Everything else the record carried, kept in the case's `[metadata]`.
    pub metadata: Map<String, Value>,
    /// The docket case an exported set's result belongs to (the
    /// `docket_case` the export wrote into the runner's metadata).
    pub case_ref: Option<String>,
    /// Extra words for the run's stable id (an epoch, a prompt index).
    pub key: String,
    /// The grader gave no verdict (Inspect `--no-score`): neither a pass
    /// nor a failure.
    pub unscored: bool,
    /// Where the record is in its file, for errors about its content.
    pub at: Option<Position>,
}

/// What a results file says about the run as a whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunInfo {
    /// The runner's id of the run (promptfoo's eval id, Inspect's run id).
    pub id: Option<String>,
    /// When the run happened.
    pub at: Option<Datetime>,
    /// The model or provider that ran (becomes a run's `agent_version`).
    pub model: Option<String>,
    /// Why the run may not have finished (Inspect's `status` when it is not
    /// `success`).
    pub unfinished: Option<String>,
}

/// Where in a file a record is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// 1-based line (JSON Lines, or a syntax error in a JSON document).
    Line(usize),
    /// A path into a JSON document or an archive, e.g. `results.results[3]`.
    At(String),
}

/// A record that cannot be imported; the others still can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    pub position: Position,
    pub message: String,
}

impl RecordError {
    pub(crate) fn at(at: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            position: Position::At(at.into()),
            message: message.into(),
        }
    }

    /// `path:line: message` or `path: where: message`.
    #[must_use]
    pub fn show(&self, path: &str) -> String {
        match &self.position {
            Position::Line(l) => format!("{path}:{l}: {}", self.message),
            Position::At(a) => format!("{path}: {a}: {}", self.message),
        }
    }
}

/// A record read at `at` (an index, an archive entry): the sample knows
/// where it came from, for errors about its content later, and an error
/// names the place.
pub(crate) fn locate(at: String, read: Result<Sample, String>) -> Result<Sample, RecordError> {
    match read {
        Ok(mut s) => {
            s.at = Some(Position::At(at));
            Ok(s)
        }
        Err(m) => Err(RecordError::at(at, m)),
    }
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.show("<input>"))
    }
}

/// The records of one file, read lazily where the format allows.
pub struct Records {
    pub info: RunInfo,
    pub iter: Box<dyn Iterator<Item = Result<Sample, RecordError>>>,
}

/// A stable 64-bit FNV-1a hash of `parts`, as 16 hex digits: the same run
/// and sample always give the same case id, so importing a file twice
/// creates nothing new. Defined here (not a library hash) because the ids
/// it makes are stored in workspaces and must never change.
#[must_use]
pub fn stable_hash(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_hash_is_fixed_and_separates_parts() {
        // Stored in workspaces: this value must never change.
        assert_eq!(stable_hash(&[]), "cbf29ce484222325");
        assert_ne!(stable_hash(&["ab", "c"]), stable_hash(&["a", "bc"]));
        assert_eq!(stable_hash(&["a"]), stable_hash(&["a"]));
    }
}
