//! Throwaway signing keys for tests that check docket's signatures with
//! git's own verifiers (`git verify-commit`, `git verify-tag`).

use super::{EMAIL, Sandbox};
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Whether `tool` can be run; the test says why it is skipped otherwise
/// (.ci/run installs ssh-keygen and gpg).
#[must_use]
pub fn have(tool: &str) -> bool {
    let ok = Command::new("sh")
        .args(["-c", "command -v \"$1\"", "sh", tool])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipped: {tool} is not installed");
    }
    ok
}

/// A throwaway ed25519 key `<sandbox>/key` (and `key.pub`) that signs for
/// each of `emails` (the test identity when empty), with `gpg.format ssh`,
/// `user.signingKey`, `commit.gpgsign` and an allowed-signers file set in
/// the sandbox's git config. Returns the private key's path.
pub fn ssh_signing(sb: &Sandbox, emails: &[&str]) -> PathBuf {
    let key = sb.path().join("key");
    let k = key.to_str().unwrap();
    let mut cmd = sb.command("ssh-keygen", &sb.path());
    cmd.env_remove("SSH_AUTH_SOCK")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "t", "-f", k]);
    Sandbox::run(&mut cmd).ok();
    let public = std::fs::read_to_string(format!("{k}.pub")).unwrap();
    let who = if emails.is_empty() {
        &[EMAIL][..]
    } else {
        emails
    };
    let allowed = sb.path().join("allowed_signers");
    let lines: Vec<String> = who.iter().map(|e| format!("{e} {public}")).collect();
    let lines = lines.concat();
    std::fs::write(&allowed, lines).unwrap();
    sb.git_config(&["gpg.format", "ssh"]);
    sb.git_config(&["gpg.ssh.allowedSignersFile", allowed.to_str().unwrap()]);
    sb.git_config(&["user.signingKey", k]);
    sb.git_config(&["commit.gpgsign", "true"]);
    key
}
