//! Signed commits in `docket log` and `docket audit`: `require_signed` with
//! unsigned commits, an SSH-signed commit unverified, verified by an
//! allowed-signers file and rejected by one, and an OpenPGP-signed commit's
//! signer. The keys are throwaway ones made in the sandbox; git signs, since
//! docket's own signing is built elsewhere.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/history.rs"]
mod history;

use common::{Sandbox, Workspace};
use history::{ANA, Clock, have, review_settings, short};
use std::process::Command;

#[test]
fn require_signed_flags_unsigned_commits_and_log_names_the_ssh_signer() {
    if !have("ssh-keygen") {
        eprintln!("skipped: no ssh-keygen (.ci/run installs openssh-client)");
        return;
    }
    let ws = Workspace::example();
    let mut clock = Clock::new(&ws);
    let base = ws.head();
    let case = ws.promotable(1).remove(0);
    // Unsigned, made before signing was required (docket now refuses an
    // unsigned commit once it is); the audit judges by today's rules.
    clock
        .docket(ANA, &["note", &case.id, "unsigned", "--commit"])
        .ok();
    let unsigned = ws.head();
    review_settings(&ws, &mut clock, "require_signed = true");
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
