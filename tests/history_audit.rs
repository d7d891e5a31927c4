//! `docket log ID` and `docket audit`, end to end with the real binary on
//! the example workspace: commits by two listed reviewers, a hand edit made
//! with git, an author nobody listed, `require_signed` with unsigned and
//! SSH-signed commits (a throwaway key, signed by git since docket's own
//! signing is built elsewhere), a case removed from a set, and the
//! double-review rule.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Case, Run, Sandbox, Workspace};
use std::process::Command;

const ANA: &str = "ana@northwind.example";
const LEE: &str = "lee@northwind.example";

/// Makes the repository's commits from now on come from `email`, dated
/// `secs` seconds after the sandbox's fixed date (so time order is known).
struct Clock<'a> {
    ws: &'a Workspace,
    secs: i64,
}

impl<'a> Clock<'a> {
    fn new(ws: &'a Workspace) -> Self {
        Self { ws, secs: 0 }
    }

    fn date(&mut self) -> String {
        self.secs += 60;
        format!("@{} +0000", 1_795_428_000 + self.secs)
    }

    /// Runs `docket ARGS` as `email`.
    fn docket(&mut self, email: &str, args: &[&str]) -> Run {
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
    fn git(&mut self, email: &str, args: &[&str]) -> Run {
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
fn review_settings(ws: &Workspace, clock: &mut Clock<'_>, lines: &str) {
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

fn short(id: &str) -> &str {
    &id[..10]
}

/// A case of the given severity that can be promoted.
fn promotable_of(ws: &Workspace, severity: &str) -> Case {
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

#[test]
fn log_shows_each_reviewers_commits_with_their_actions() {
    let ws = Workspace::example();
    let mut clock = Clock::new(&ws);
    let case = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&case);
    let (set, version) = ws.a_set();
    clock.docket(ANA, &["tag", &case.id, &tag, "--commit"]).ok();
    let tagged = ws.head();
    clock
        .docket(LEE, &["note", &case.id, "seen before", "--commit"])
        .ok();
    let noted = ws.head();
    clock
        .docket(ANA, &["promote", &case.id, &set, "--commit"])
        .ok();
    let promoted = ws.head();

    let out = ws.docket(&["log", &case.id]).ok().stdout;
    let promote = format!("promote {} -> {set}@v{}", case.id, version + 1);
    for needle in [
        format!("{} ", short(&tagged)),
        format!("{} ", short(&noted)),
        format!("<{ANA}>"),
        format!("<{LEE}>"),
        format!("Docket-Action: tag {} +{tag}", case.id),
        format!("Docket-Action: note {}", case.id),
        format!("Docket-Action: {promote}"),
        "unsigned".to_owned(),
    ] {
        assert!(out.contains(&needle), "{needle:?} missing in:\n{out}");
    }
    assert!(!out.contains("hand edit"), "{out}");

    let json = ws.docket(&["log", &case.id, "--json"]).ok().json();
    let entries = json.as_array().unwrap();
    // Newest first, like git log; the init commit that created the case last.
    let ids: Vec<&str> = entries
        .iter()
        .map(|e| e["commit"].as_str().unwrap())
        .collect();
    assert_eq!(
        &ids[..3],
        &[promoted.as_str(), noted.as_str(), tagged.as_str()]
    );
    assert_eq!(entries[1]["author"]["email"], LEE);
    assert_eq!(entries[2]["author"]["email"], ANA);
    assert_eq!(entries[0]["actions"][0]["trailer"], promote.as_str());
    assert_eq!(entries[0]["actions"][0]["action"]["kind"], "promote");
    assert_eq!(entries[0]["hand_edit"], false);
    assert_eq!(entries[0]["signature"]["signed"], false);

    // The set's log has the promotion too.
    let set_log = ws.docket(&["log", &set, "--json"]).ok().json();
    assert_eq!(set_log[0]["commit"], promoted.as_str());

    let bad = ws.docket(&["log", "no-such-thing"]).code(2);
    assert!(
        bad.stderr.contains("no case, set, runbook or memo"),
        "{}",
        bad.stderr
    );
}

#[test]
fn audit_is_clean_for_listed_reviewers_and_flags_a_hand_edit() {
    let ws = Workspace::example();
    let mut clock = Clock::new(&ws);
    let case = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&case);
    clock.docket(ANA, &["tag", &case.id, &tag, "--commit"]).ok();
    clock
        .docket(LEE, &["note", &case.id, "looks real", "--commit"])
        .ok();
    let clean = ws.docket(&["audit"]).ok();
    assert!(clean.stdout.contains(", 0 findings"), "{}", clean.stdout);
    let before = ws.head();

    // An edit by hand, committed with git: no trailer.
    let text = ws.read(&case.path);
    ws.write(&case.path, format!("{text}# checked by hand\n"));
    clock.git(ANA, &["commit", "-q", "-am", "quick fix"]).ok();
    let hand = ws.head();
    let found = ws.docket(&["audit"]).code(1);
    let line = found
        .stdout
        .lines()
        .find(|l| l.contains("[hand-edit]"))
        .unwrap_or_else(|| panic!("no hand-edit finding:\n{}", found.stdout));
    assert!(
        line.starts_with(&format!("{} quick fix: ", short(&hand))),
        "{line}"
    );
    assert!(line.contains(&case.path), "{line}");
    assert!(found.stdout.ends_with("1 finding\n"), "{}", found.stdout);

    // The log marks it too.
    let log = ws.docket(&["log", &case.id]).ok().stdout;
    assert!(log.contains(&format!("hand edit: {}", case.path)), "{log}");

    // --json: an array of {commit, rule, message}; the summary on stderr.
    let json = ws.docket(&["audit", "--json"]).code(1);
    let v = json.json();
    let all = v.as_array().unwrap();
    assert_eq!(all.len(), 1, "{v}");
    assert_eq!(all[0]["commit"], hand.as_str());
    assert_eq!(all[0]["rule"], "hand-edit");
    assert!(all[0]["message"].as_str().unwrap().contains(&case.path));
    assert!(json.stderr.contains("audit: "), "{}", json.stderr);

    // --since limits the walk: only the hand edit's commit is after `before`.
    let since = ws.docket(&["audit", "--since", &before]).code(1);
    assert!(
        since.stdout.contains("audit: 1 commit checked, 1 finding"),
        "{}",
        since.stdout
    );
    let head_only = ws.docket(&["audit", "--since", "HEAD"]).ok();
    assert!(
        head_only.stdout.contains("0 commits checked"),
        "{}",
        head_only.stdout
    );
    ws.docket(&["audit", "--since", "no-such-rev"]).code(2);
}

#[test]
fn audit_flags_an_author_nobody_listed() {
    let ws = Workspace::example();
    let mut clock = Clock::new(&ws);
    let case = ws.promotable(1).remove(0);
    clock
        .docket("mallory@example.com", &["note", &case.id, "hi", "--commit"])
        .ok();
    let head = ws.head();
    let out = ws.docket(&["audit"]).code(1).stdout;
    assert!(
        out.contains(&format!("{} docket: review", short(&head)))
            && out.contains("[unknown-author] author mallory@example.com"),
        "{out}"
    );
}

fn have(program: &str) -> bool {
    Command::new(program).arg("-?").output().is_ok()
}

#[test]
fn require_signed_flags_unsigned_commits_and_log_names_the_ssh_signer() {
    if !have("ssh-keygen") {
        eprintln!("skipped: no ssh-keygen (.ci/run installs openssh-client)");
        return;
    }
    let ws = Workspace::example();
    let mut clock = Clock::new(&ws);
    review_settings(&ws, &mut clock, "require_signed = true");
    let base = ws.head();
    let case = ws.promotable(1).remove(0);
    clock
        .docket(ANA, &["note", &case.id, "unsigned", "--commit"])
        .ok();
    let unsigned = ws.head();
    let out = ws.docket(&["audit", "--since", &base]).code(1).stdout;
    assert!(
        out.contains(&format!("{} ", short(&unsigned))) && out.contains("[unsigned] not signed"),
        "{out}"
    );

    // A throwaway key; git signs a docket change (the trailer is docket's).
    let key = ws.sb.path().join("key");
    let made = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "test", "-f"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    clock.docket(ANA, &["note", &case.id, "signed"]).ok();
    let message = format!("docket: review\n\nDocket-Action: note {}", case.id);
    clock
        .git(
            ANA,
            &[
                "-c",
                "gpg.format=ssh",
                "-c",
                &format!("user.signingKey={}", key.display()),
                "commit",
                "-q",
                "-S",
                "-am",
                &message,
            ],
        )
        .ok();
    let signed = ws.head();
    let log = ws.docket(&["log", &case.id]).ok().stdout;
    let first = log.lines().next().unwrap_or("");
    assert!(
        first.starts_with(short(&signed))
            && first.ends_with("signed (ssh, not verified: no gpg.ssh.allowedSignersFile)"),
        "{log}"
    );
    // Unverifiable (no allowed signers): not a finding, as git config
    // names no keys to trust.
    let since = ws.docket(&["audit", "--since", &unsigned]).ok();
    assert!(
        since.stdout.contains("1 commit checked, 0 findings"),
        "{}",
        since.stdout
    );

    let pubkey = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let allowed = ws.sb.path().join("allowed_signers");
    std::fs::write(&allowed, format!("{ANA} {pubkey}")).unwrap();
    ws.git(&[
        "config",
        "gpg.ssh.allowedSignersFile",
        allowed.to_str().unwrap(),
    ])
    .ok();
    let log = ws.docket(&["log", &case.id, "--json"]).ok().json();
    assert_eq!(log[0]["commit"], signed.as_str());
    assert_eq!(log[0]["signature"]["format"], "ssh");
    assert_eq!(log[0]["signature"]["verified"], "good");
    assert_eq!(log[0]["signature"]["signer"], ANA);
    let text = ws.docket(&["log", &case.id]).ok().stdout;
    assert!(text.contains(&format!("signed (ssh) by {ANA}")), "{text}");
    ws.docket(&["audit", "--since", &unsigned]).ok();

    // A key nobody allowed: the signature does not verify, a finding.
    let other = ws.sb.path().join("other");
    Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "other", "-f"])
        .arg(&other)
        .output()
        .unwrap();
    let other_pub = std::fs::read_to_string(other.with_extension("pub")).unwrap();
    std::fs::write(&allowed, format!("{ANA} {other_pub}")).unwrap();
    let bad = ws.docket(&["audit", "--since", &unsigned]).code(1).stdout;
    assert!(
        bad.contains("[unsigned] ssh signature does not verify"),
        "{bad}"
    );
}

#[test]
fn removal_from_a_set_and_single_review_are_flagged() {
    let ws = Workspace::example();
    let mut clock = Clock::new(&ws);
    let (set, _) = ws.a_set();
    review_settings(&ws, &mut clock, "double_review = [\"sev1\"]");
    let base = ws.head();

    // A case taken out of a set with git.
    let dir = ws.root.join(format!("evals/sets/{set}/cases"));
    let victim = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().into_string().unwrap())
        .find(|n| n.ends_with(".toml"))
        .expect("the example set has cases");
    let rel = format!("evals/sets/{set}/cases/{victim}");
    clock.git(ANA, &["rm", "-q", &rel]).ok();
    clock.git(ANA, &["commit", "-q", "-m", "drop a case"]).ok();
    let out = ws.docket(&["audit", "--since", &base]).code(1).stdout;
    assert!(
        out.contains("[removed-without-reason]") && out.contains(&rel),
        "{out}"
    );
    let after_removal = ws.head();

    // A sev1 case promoted on one reviewer's word.
    let one = promotable_of(&ws, "sev1");
    clock
        .docket(ANA, &["promote", &one.id, &set, "--commit"])
        .ok();
    let promoted = ws.head();
    let out = ws
        .docket(&["audit", "--since", &after_removal])
        .code(1)
        .stdout;
    assert!(
        out.contains(&format!("{} ", short(&promoted)))
            && out.contains(&format!("[single-review] promoted sev1 case {}", one.id)),
        "{out}"
    );

    // Another reviewer's verdict first, then the promotion: clean.
    let two = promotable_of(&ws, "sev1");
    assert_ne!(one.id, two.id);
    let start = ws.head();
    clock
        .git(
            LEE,
            &[
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                &format!("verdict\n\nDocket-Verdict: {} promote", two.id),
            ],
        )
        .ok();
    let verdict = ws.head();
    clock
        .docket(ANA, &["promote", &two.id, &set, "--commit"])
        .ok();
    let out = ws.docket(&["audit", "--since", &start]).ok().stdout;
    assert!(out.contains("1 commit checked, 0 findings"), "{out}");
    // A verdict older than --since still counts.
    let out = ws.docket(&["audit", "--since", &verdict]).ok().stdout;
    assert!(out.contains("1 commit checked, 0 findings"), "{out}");
    // The verdict shows in the case's log though it changed no file.
    let log = ws.docket(&["log", &two.id]).ok().stdout;
    assert!(
        log.contains(&format!("Docket-Verdict: {} promote", two.id)),
        "{log}"
    );
}

#[test]
fn a_clean_merge_adds_nothing_to_judge() {
    let ws = Workspace::example();
    let mut clock = Clock::new(&ws);
    let base = ws.head();
    let branch = ws.git_out(&["branch", "--show-current"]);
    let case = ws.promotable(1).remove(0);
    clock.git(ANA, &["switch", "-q", "-c", "side"]).ok();
    clock
        .docket(LEE, &["note", &case.id, "on a branch", "--commit"])
        .ok();
    clock.git(ANA, &["switch", "-q", &branch]).ok();
    clock
        .git(ANA, &["merge", "-q", "--no-ff", "-m", "merge side", "side"])
        .ok();
    let out = ws.docket(&["audit", "--since", &base]).ok().stdout;
    // The branch's commit is judged; the merge brought nothing of its own.
    assert!(out.contains("audit: 1 commit checked, 0 findings"), "{out}");
    // log walks every branch merged in, not only the first parents.
    let log = ws.docket(&["log", &case.id]).ok().stdout;
    assert!(log.contains(&format!("<{LEE}>")), "{log}");
}

/// Stops the gpg-agent a test started, however the test ends.
struct Agent<'a>(&'a Workspace);

impl Drop for Agent<'_> {
    fn drop(&mut self) {
        let mut kill = self.0.sb.command("gpgconf", &self.0.root);
        kill.args(["--kill", "gpg-agent"]);
        let _ = Sandbox::run(&mut kill);
    }
}

#[test]
fn log_names_the_openpgp_signer() {
    if !have("gpg") {
        eprintln!("skipped: no gpg");
        return;
    }
    let ws = Workspace::example();
    let _agent = Agent(&ws);
    let mut clock = Clock::new(&ws);
    // gpg works in the sandbox's home (~/.gnupg), as docket's gpg will.
    let gpg = |args: &[&str]| {
        let mut cmd = ws.sb.command("gpg", &ws.root);
        cmd.args(args);
        Sandbox::run(&mut cmd)
    };
    gpg(&[
        "--batch",
        "--quiet",
        "--passphrase",
        "",
        "--quick-gen-key",
        "Ana Ruiz <ana@northwind.example>",
        "ed25519",
        "sign",
        "never",
    ])
    .ok();
    let case = ws.promotable(1).remove(0);
    clock.docket(ANA, &["note", &case.id, "signed"]).ok();
    let message = format!("docket: review\n\nDocket-Action: note {}", case.id);
    let signed = clock.git(
        ANA,
        &[
            "-c",
            "gpg.format=openpgp",
            "-c",
            "user.signingKey=ana@northwind.example",
            "commit",
            "-q",
            "-S",
            "-am",
            &message,
        ],
    );
    signed.ok();
    let v = ws.docket(&["log", &case.id, "--json"]).ok().json();
    assert_eq!(v[0]["commit"], ws.head().as_str());
    assert_eq!(v[0]["signature"]["format"], "openpgp", "{v}");
    assert_eq!(v[0]["signature"]["verified"], "good", "{v}");
    assert_eq!(
        v[0]["signature"]["signer"],
        "Ana Ruiz <ana@northwind.example>"
    );
}
