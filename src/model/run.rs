//! Eval runs (docs/format.md, "Eval run"): `evals/runs/<set-id>/<run-id>.toml`.

use super::diag::{Diagnostic, key_line};
use super::rule::Rule;
use super::{ids, parse};
use serde::{Deserialize, Serialize};
use toml::value::Datetime;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct EvalRun {
    #[serde(skip_deserializing)]
    pub path: String,
    /// The run id: the file stem.
    #[serde(skip_deserializing)]
    pub id: String,
    pub set: String,
    pub set_version: u64,
    pub at: Datetime,
    pub agent_version: Option<String>,
    pub passed: u64,
    pub failed: u64,
    #[serde(default)]
    pub failures: Vec<String>,
}

impl EvalRun {
    pub fn parse(path: &str, text: &str) -> Result<(Self, Vec<Diagnostic>), Diagnostic> {
        let mut run: Self = parse::toml(path, text, 0)?;
        run.path = path.to_owned();
        run.id = parse::stem(path).to_owned();
        ids::check("run", &run.id).map_err(|e| Diagnostic::parse(path, 1, e.to_string()))?;
        let folder = path
            .strip_prefix("evals/runs/")
            .and_then(|p| p.split('/').next())
            .unwrap_or("");
        let mut diags = Vec::new();
        if run.set != folder {
            diags.push(Diagnostic::new(
                Rule::Misfiled,
                path,
                key_line(text, "set"),
                format!(
                    "set {:?} does not match the folder evals/runs/{}/",
                    run.set,
                    folder.escape_debug()
                ),
            ));
        }
        // A case run several times (epochs, paraphrases) can fail more than
        // once: more failures counted than listed is fine, fewer is not.
        if usize::try_from(run.failed).is_ok_and(|f| f < run.failures.len()) {
            diags.push(Diagnostic::new(
                Rule::RunCounts,
                path,
                key_line(text, "failures"),
                format!(
                    "failed = {} but {} failures are listed",
                    run.failed,
                    run.failures.len()
                ),
            ));
        }
        Ok((run, diags))
    }

    /// Passed over total; `None` for an empty run.
    #[must_use]
    pub fn pass_rate(&self) -> Option<f64> {
        let total = self.passed + self.failed;
        #[allow(clippy::cast_precision_loss)] // counts far below 2^52
        (total > 0).then(|| self.passed as f64 / total as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rates() {
        let (r, d) = EvalRun::parse(
            "evals/runs/s/2026-11-12-nightly.toml",
            "set = \"s\"\nset_version = 5\nat = 2026-11-12T03:00:00Z\npassed = 3\nfailed = 1\nfailures = [\"a\"]\n",
        )
        .unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(r.id, "2026-11-12-nightly");
        assert_eq!(r.pass_rate(), Some(0.75));
    }
}
