//! Signed commits: with `commit.gpgsign`, docket signs its commits as git
//! would (ssh-keygen or gpg, throwaway keys made here), `git verify-commit`
//! accepts them; a signer that fails refuses the commit and changes
//! nothing; `[review] require_signed` refuses unsigned commits.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::signing::have;
use common::{EMAIL, NAME, Run, Sandbox, Workspace};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The sandbox's gpg home (its `HOME/.gnupg`).
fn gnupg_home(sb: &Sandbox) -> PathBuf {
    sb.path().join("home/.gnupg")
}

/// Runs `program` in `dir` with the sandbox's environment, gpg's home in
/// the sandbox, and no ssh-agent but `agent`.
fn run_in(sb: &Sandbox, dir: &Path, program: &str, args: &[&str], agent: Option<&Path>) -> Run {
    let mut cmd = sb.command(program, dir);
    cmd.env("GNUPGHOME", gnupg_home(sb))
        .env_remove("SSH_AUTH_SOCK")
        .env_remove("SSH_AGENT_PID")
        .args(args);
    if let Some(sock) = agent {
        cmd.env("SSH_AUTH_SOCK", sock);
    }
    Sandbox::run(&mut cmd)
}

fn docket(ws: &Workspace, args: &[&str]) -> Run {
    run_in(&ws.sb, &ws.root, env!("CARGO_BIN_EXE_docket"), args, None)
}

fn git(ws: &Workspace, args: &[&str]) -> Run {
    run_in(&ws.sb, &ws.root, "git", args, None)
}

/// A throwaway ed25519 key, allowed to sign for the test identity, with
/// `gpg.format ssh` and `commit.gpgsign` set. Returns the private key's
/// path.
fn ssh_setup(sb: &Sandbox) -> PathBuf {
    common::signing::ssh_signing(sb, &[])
}

/// Asserts HEAD is signed as git checks it: `verify-commit`, a "Good"
/// signature in `log --show-signature`, clean status and fsck.
#[track_caller]
fn assert_signed_head(ws: &Workspace) {
    git(ws, &["verify-commit", "HEAD"]).ok();
    let log = git(ws, &["log", "-1", "--show-signature"]).ok();
    assert!(log.stdout.contains("Good"), "{}", log.stdout);
    assert_eq!(ws.status(), "", "git status is clean after a signed commit");
    ws.assert_fsck_clean();
}

/// A note on `case`, left pending (no `--commit`).
fn note(ws: &Workspace, case: &str, text: &str) {
    docket(ws, &["note", case, text]).ok();
}

fn first_case(ws: &Workspace) -> String {
    ws.cases().remove(0).id
}

#[test]
fn ssh_signs_with_the_private_or_the_public_key_file() {
    if !have("ssh-keygen") {
        return;
    }
    let ws = Workspace::example();
    let key = ssh_setup(&ws.sb);
    let case = first_case(&ws);

    // The private key's path, a mutating command with --commit.
    ws.sb
        .git_config(&["user.signingKey", key.to_str().unwrap()]);
    docket(
        &ws,
        &["note", &case, "signed with the private key", "--commit"],
    )
    .ok();
    assert_signed_head(&ws);
    let store = docket::store::Store::open(&ws.root).unwrap();
    let (format, sig) = store.signature_of(&ws.head()).unwrap().unwrap();
    assert_eq!(format, docket::store::SigFormat::Ssh);
    assert!(sig.starts_with(b"-----BEGIN SSH SIGNATURE-----"));
    assert!(
        store
            .signature_of(&ws.git_out(&["rev-parse", "HEAD~1"]))
            .unwrap()
            .is_none(),
        "the example's commit was not signed"
    );

    // The public key's path (ssh-keygen finds the private half beside it),
    // `docket commit`.
    ws.sb
        .git_config(&["user.signingKey", &format!("{}.pub", key.display())]);
    let before = ws.head();
    note(&ws, &case, "signed with the public key file");
    docket(&ws, &["commit"]).ok();
    assert_eq!(ws.git_out(&["rev-parse", "HEAD~1"]), before);
    assert_signed_head(&ws);
}

/// `ssh-agent -D` on a socket in the sandbox, stopped on drop.
struct Agent(Child, PathBuf);

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn ssh_signs_with_a_literal_key_through_the_agent() {
    if !have("ssh-keygen") || !have("ssh-agent") || !have("ssh-add") {
        return;
    }
    let ws = Workspace::example();
    let key = ssh_setup(&ws.sb);
    let sock = ws.sb.path().join("agent.sock");
    let child = Command::new("ssh-agent")
        .args(["-D", "-a"])
        .arg(&sock)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let agent = Agent(child, sock);
    for _ in 0..200 {
        if agent.1.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let k = key.to_str().unwrap();
    run_in(&ws.sb, &ws.root, "ssh-add", &["-q", k], Some(&agent.1)).ok();
    // The private key goes: only the agent can sign now.
    std::fs::remove_file(&key).unwrap();
    let public = std::fs::read_to_string(format!("{k}.pub")).unwrap();
    ws.sb
        .git_config(&["user.signingKey", &format!("key::{}", public.trim())]);
    let case = first_case(&ws);
    note(&ws, &case, "signed by the agent");
    let dk = env!("CARGO_BIN_EXE_docket");
    run_in(&ws.sb, &ws.root, dk, &["commit"], Some(&agent.1)).ok();
    assert_signed_head(&ws);

    // The same key without `key::`, as git also reads it.
    ws.sb.git_config(&["user.signingKey", public.trim()]);
    note(&ws, &case, "signed by the agent again");
    run_in(&ws.sb, &ws.root, dk, &["commit"], Some(&agent.1)).ok();
    assert_signed_head(&ws);
}

/// Stops the sandbox's gpg-agent (gpg starts one per home).
struct GpgHome(PathBuf);

impl Drop for GpgHome {
    fn drop(&mut self) {
        let _ = Command::new("gpgconf")
            .args(["--kill", "all"])
            .env("GNUPGHOME", &self.0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

#[test]
fn openpgp_signs_with_the_committer_or_the_signing_key() {
    if !have("gpg") {
        return;
    }
    let ws = Workspace::example();
    let home = gnupg_home(&ws.sb);
    std::fs::create_dir_all(&home).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let _agent = GpgHome(home.clone());
    let uid = format!("{NAME} <{EMAIL}>");
    run_in(
        &ws.sb,
        &ws.root,
        "gpg",
        &[
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            &uid,
            "ed25519",
            "sign",
            "never",
        ],
        None,
    )
    .ok();
    ws.sb.git_config(&["commit.gpgsign", "true"]);
    let case = first_case(&ws);

    // No user.signingKey: git's default, the committer's ident.
    docket(
        &ws,
        &["note", &case, "signed by the committer's key", "--commit"],
    )
    .ok();
    assert_signed_head(&ws);
    let (format, _) = docket::store::Store::open(&ws.root)
        .unwrap()
        .signature_of(&ws.head())
        .unwrap()
        .unwrap();
    assert_eq!(format, docket::store::SigFormat::OpenPgp);

    // A named key, through gpg.program.
    let listed = run_in(
        &ws.sb,
        &ws.root,
        "gpg",
        &["--batch", "--with-colons", "--list-secret-keys"],
        None,
    )
    .ok();
    let fpr = listed
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("fpr:"))
        .unwrap()
        .trim_matches(':')
        .to_owned();
    ws.sb.git_config(&["user.signingKey", &fpr]);
    ws.sb.git_config(&["gpg.program", "gpg"]);
    note(&ws, &case, "signed by the named key");
    docket(&ws, &["commit"]).ok();
    assert_signed_head(&ws);
}

#[test]
fn init_example_commits_its_whole_history_signed() {
    if !have("ssh-keygen") {
        return;
    }
    let sb = Sandbox::new();
    let key = ssh_setup(&sb);
    sb.git_config(&["user.signingKey", key.to_str().unwrap()]);
    let root = sb.path().join("ws");
    let dk = env!("CARGO_BIN_EXE_docket");
    run_in(
        &sb,
        &sb.path(),
        dk,
        &["init", root.to_str().unwrap(), "--example", "--commit"],
        None,
    )
    .ok();
    let ws = Workspace { sb, root };
    assert!(
        ws.commit_count() > 1,
        "the example's story is several commits"
    );
    let marks = git(&ws, &["log", "--format=%G?"]).ok().stdout;
    assert!(
        marks.lines().all(|m| m == "G"),
        "every commit has a good signature: {marks}"
    );
    assert_signed_head(&ws);
}

#[test]
fn a_failing_signer_refuses_and_changes_nothing() {
    if !have("ssh-keygen") {
        return;
    }
    let ws = Workspace::example();
    let key = ssh_setup(&ws.sb);
    let case = first_case(&ws);
    let missing = ws.sb.path().join("no-such-key");
    ws.sb
        .git_config(&["user.signingKey", missing.to_str().unwrap()]);

    // Refused up front: --commit writes nothing.
    let before = ws.snapshot();
    let msg = docket(&ws, &["note", &case, "not yet", "--commit"]).refused(&[
        "cannot sign",
        "user.signingKey",
        "no-such-key",
    ]);
    assert!(msg.contains("no such key file"), "{msg}");
    ws.assert_unchanged(&before, "note --commit with a missing key");

    // The key file is there but is no key: ssh-keygen itself fails, after
    // the note was written and the tree and index staged; the note is taken
    // back.
    let bogus = ws.sb.path().join("bogus-key");
    std::fs::write(&bogus, "not a key\n").unwrap();
    ws.sb
        .git_config(&["user.signingKey", bogus.to_str().unwrap()]);
    docket(&ws, &["note", &case, "not yet", "--commit"])
        .refused(&["cannot sign", "gpg.ssh.program ssh-keygen failed"]);
    ws.assert_unchanged(&before, "note --commit with a bad key");

    // A pending change stays pending through refused commits.
    ws.sb
        .git_config(&["user.signingKey", missing.to_str().unwrap()]);
    note(&ws, &case, "pending until signed");
    let pending = ws.snapshot();
    docket(&ws, &["commit"]).refused(&["cannot sign", "user.signingKey"]);
    ws.assert_unchanged(&pending, "commit with a missing key");
    ws.sb
        .git_config(&["user.signingKey", bogus.to_str().unwrap()]);
    docket(&ws, &["commit"]).refused(&[
        "cannot sign",
        "gpg.ssh.program ssh-keygen failed",
        "bogus-key",
    ]);
    ws.assert_unchanged(&pending, "commit with a bad key");
    assert!(
        !ws.root.join(".git/index.lock").exists(),
        "index.lock is released"
    );

    // No signing program.
    ws.sb
        .git_config(&["user.signingKey", key.to_str().unwrap()]);
    ws.sb
        .git_config(&["gpg.ssh.program", "/nonexistent/ssh-keygen"]);
    docket(&ws, &["commit"]).refused(&["cannot sign", "gpg.ssh.program", "not found"]);
    ws.assert_unchanged(&pending, "commit without the signing program");

    // x509 is git's, not docket's.
    ws.sb.git_config(&["gpg.format", "x509"]);
    docket(&ws, &["commit"]).refused(&["cannot sign", "x509", "not supported"]);
    ws.assert_unchanged(&pending, "commit with gpg.format x509");

    // Fixed: the same pending change commits, signed.
    ws.sb.git_config(&["gpg.format", "ssh"]);
    ws.sb.git_config(&["--unset", "gpg.ssh.program"]);
    docket(&ws, &["commit"]).ok();
    assert_eq!(ws.git_out(&["rev-parse", "HEAD~1"]), pending.head);
    assert!(
        ws.last_message()
            .contains(&format!("Docket-Action: note {case}"))
    );
    assert_signed_head(&ws);
}

#[test]
fn require_signed_refuses_unsigned_commits() {
    if !have("ssh-keygen") {
        return;
    }
    let ws = Workspace::example();
    let config = ws.read("docket.toml");
    ws.write(
        "docket.toml",
        config.replace("[review]\n", "[review]\nrequire_signed = true\n"),
    );
    ws.git_commit_all("Require signed docket commits");
    let case = first_case(&ws);

    let before = ws.snapshot();
    docket(&ws, &["note", &case, "unsigned", "--commit"]).refused(&[
        "require_signed",
        "commit.gpgsign",
        "user.signingKey",
    ]);
    ws.assert_unchanged(&before, "note --commit without signing");

    note(&ws, &case, "pending until signed");
    let pending = ws.snapshot();
    docket(&ws, &["commit"]).refused(&["require_signed", "commit.gpgsign"]);
    ws.assert_unchanged(&pending, "commit without signing");
    // gpgsign off says no, even with a key configured.
    let key = ssh_setup(&ws.sb);
    ws.sb
        .git_config(&["user.signingKey", key.to_str().unwrap()]);
    ws.sb.git_config(&["commit.gpgsign", "false"]);
    docket(&ws, &["commit"]).refused(&["require_signed"]);
    ws.assert_unchanged(&pending, "commit with commit.gpgsign false");

    ws.sb.git_config(&["commit.gpgsign", "true"]);
    docket(&ws, &["commit"]).ok();
    assert_eq!(ws.git_out(&["rev-parse", "HEAD~1"]), pending.head);
    assert_signed_head(&ws);
}
