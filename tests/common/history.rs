//! Helpers for the history tests (`history_audit.rs`, `history_signatures.rs`):
//! commits by a chosen reviewer at known times, review settings in
//! docket.toml, and the example's cases by severity.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use crate::common::{Case, Run, Sandbox, Workspace};
use std::process::Command;

pub const ANA: &str = "ana@northwind.example";
pub const LEE: &str = "lee@northwind.example";

/// Makes the repository's commits from now on come from `email`, dated
/// `secs` seconds after the sandbox's fixed date (so time order is known).
pub struct Clock<'a> {
    ws: &'a Workspace,
    secs: i64,
}

impl<'a> Clock<'a> {
    pub fn new(ws: &'a Workspace) -> Self {
        Self { ws, secs: 0 }
    }

    fn date(&mut self) -> String {
        self.secs += 60;
        format!("@{} +0000", 1_795_428_000 + self.secs)
    }

    /// Runs `docket ARGS` as `email`.
    pub fn docket(&mut self, email: &str, args: &[&str]) -> Run {
        self.ws.git(&["config", "user.email", email]).ok();
        let date = self.date();
        let mut cmd = self
            .ws
            .sb
            .command(env!("CARGO_BIN_EXE_docket"), &self.ws.root);
        cmd.args(args)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date);
        Sandbox::run(&mut cmd)
    }

    /// Runs `git ARGS` as `email`.
    pub fn git(&mut self, email: &str, args: &[&str]) -> Run {
        self.ws.git(&["config", "user.email", email]).ok();
        let date = self.date();
        let mut cmd = self.ws.sb.command("git", &self.ws.root);
        cmd.args(args)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date);
        Sandbox::run(&mut cmd)
    }
}

/// Adds lines under `[review]` in docket.toml and commits it with git (a
/// change outside evals/, which the audit does not judge).
pub fn review_settings(ws: &Workspace, clock: &mut Clock<'_>, lines: &str) {
    let text = ws.read("docket.toml");
    assert!(text.contains("[review]\n"), "{text}");
    ws.write(
        "docket.toml",
        text.replacen("[review]\n", &format!("[review]\n{lines}\n"), 1),
    );
    clock
        .git(ANA, &["commit", "-q", "-am", "review settings"])
        .ok();
}

pub fn short(id: &str) -> &str {
    &id[..10]
}

/// A case of the given severity that can be promoted.
pub fn promotable_of(ws: &Workspace, severity: &str) -> Case {
    let list = ws.list("failures");
    ws.cases()
        .into_iter()
        .filter(|c| c.status == "new" && c.has_expected)
        .find(|c| {
            list.iter()
                .any(|v| v["id"] == c.id.as_str() && v["severity"] == severity)
        })
        .unwrap_or_else(|| panic!("the example should have a promotable {severity} case"))
}

/// Whether `program` can be started.
pub fn have(program: &str) -> bool {
    Command::new(program).arg("-?").output().is_ok()
}
