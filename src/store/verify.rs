//! Who signed a commit: the signature git2 extracts from the commit header,
//! checked the way `git verify-commit` checks it — `ssh-keygen -Y
//! find-principals` / `-Y verify` against `gpg.ssh.allowedSignersFile` for
//! SSH, `gpg --status-fd` for `OpenPGP` (`gpgsm` for X.509) — running the
//! programs git config names (`gpg.ssh.program`, `gpg.program`,
//! `gpg.openpgp.program`, `gpg.x509.program`). docket links no crypto of its
//! own: trusting the same tools and files as git means `docket log` and `git
//! log --show-signature` agree.

use super::sign::SigFormat;
use git2::{Oid, Repository};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

impl SigFormat {
    /// The format's name as git config spells it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ssh => "ssh",
            Self::OpenPgp => "openpgp",
            Self::X509 => "x509",
            Self::Unknown => "unknown",
        }
    }
}

/// What checking a signature found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SigCheck {
    /// The verifier accepted it: the SSH principal or the `OpenPGP` uid.
    Good { signer: String },
    /// The verifier ran and rejected it (a bad signature, or a key no
    /// allowed signer holds).
    Bad { why: String },
    /// Nothing could check it: no allowed-signers file, no program, no key.
    Unchecked { why: String },
}

/// A commit's signature status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signature {
    Unsigned,
    Signed { format: SigFormat, check: SigCheck },
}

impl Signature {
    /// Whether it is signed and the signature was accepted.
    #[must_use]
    pub fn is_good(&self) -> bool {
        matches!(
            self,
            Self::Signed {
                check: SigCheck::Good { .. },
                ..
            }
        )
    }

    /// `unsigned`, `signed (ssh) by ana@example.com`, `signed (ssh, not
    /// verified: no gpg.ssh.allowedSignersFile)`, `signed (openpgp, BAD: …)`.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::Unsigned => "unsigned".to_owned(),
            Self::Signed { format, check } => match check {
                SigCheck::Good { signer } => format!("signed ({}) by {signer}", format.as_str()),
                SigCheck::Bad { why } => format!("signed ({}, BAD: {why})", format.as_str()),
                SigCheck::Unchecked { why } => {
                    format!("signed ({}, not verified: {why})", format.as_str())
                }
            },
        }
    }
}

/// The verifying programs and files, read once from git config.
#[derive(Debug, Clone)]
pub struct Verifier {
    ssh: String,
    openpgp: String,
    x509: String,
    allowed_signers: Option<PathBuf>,
    revocations: Option<PathBuf>,
}

impl Verifier {
    /// Reads git config as git does: the repository's, then the user's.
    /// Relative files are taken from the work tree.
    #[must_use]
    pub fn new(repo: &Repository) -> Self {
        let cfg = repo.config().ok();
        let get = |k: &str| {
            cfg.as_ref()
                .and_then(|c| c.get_string(k).ok())
                .filter(|s| !s.trim().is_empty())
        };
        let file = |k: &str| {
            get(k).map(|p| {
                let p = match (p.strip_prefix("~/"), std::env::var_os("HOME")) {
                    (Some(rest), Some(home)) => Path::new(&home).join(rest),
                    _ => PathBuf::from(p),
                };
                match repo.workdir() {
                    Some(w) if p.is_relative() => w.join(p),
                    _ => p,
                }
            })
        };
        Self {
            ssh: get("gpg.ssh.program").unwrap_or_else(|| "ssh-keygen".to_owned()),
            openpgp: get("gpg.openpgp.program")
                .or_else(|| get("gpg.program"))
                .unwrap_or_else(|| "gpg".to_owned()),
            x509: get("gpg.x509.program").unwrap_or_else(|| "gpgsm".to_owned()),
            allowed_signers: file("gpg.ssh.allowedSignersFile"),
            revocations: file("gpg.ssh.revocationFile"),
        }
    }

    /// The commit's signature, checked.
    #[must_use]
    pub fn check(&self, repo: &Repository, commit: Oid) -> Signature {
        extract(repo, commit).map_or(Signature::Unsigned, |s| self.verify(&s))
    }

    /// Checks one extracted signature.
    #[must_use]
    pub fn verify(&self, signed: &Signed) -> Signature {
        let (sig, data) = (&signed.sig, &signed.data);
        let format = format_of(sig);
        let check = match format {
            SigFormat::Ssh => self.ssh(sig, data),
            SigFormat::X509 => gpg(&self.x509, sig, data),
            // Unknown armour too: gpg says what it makes of it.
            SigFormat::OpenPgp | SigFormat::Unknown => gpg(&self.openpgp, sig, data),
        };
        Signature::Signed { format, check }
    }

    /// Checks many signatures, on every core: each check runs a program or
    /// two (a few milliseconds each), which on a long signed history is
    /// most of an audit's time. Results are in the order given.
    #[must_use]
    pub fn verify_all(&self, all: &[Signed]) -> Vec<Signature> {
        use std::sync::Mutex;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let next = AtomicUsize::new(0);
        let out: Mutex<Vec<Option<Signature>>> = Mutex::new(vec![None; all.len()]);
        let workers = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .min(all.len().max(1));
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(s) = all.get(i) else { break };
                        let v = self.verify(s);
                        if let Ok(mut o) = out.lock()
                            && let Some(slot) = o.get_mut(i)
                        {
                            *slot = Some(v);
                        }
                    }
                });
            }
        });
        out.into_inner()
            .unwrap_or_default()
            .into_iter()
            .map(|v| {
                v.unwrap_or(Signature::Signed {
                    format: SigFormat::Ssh,
                    check: SigCheck::Unchecked {
                        why: "the check did not finish".to_owned(),
                    },
                })
            })
            .collect()
    }

    fn ssh(&self, sig: &[u8], data: &[u8]) -> SigCheck {
        let Some(allowed) = &self.allowed_signers else {
            return SigCheck::Unchecked {
                why: "no gpg.ssh.allowedSignersFile".to_owned(),
            };
        };
        let file = match TempSig::write(sig) {
            Ok(f) => f,
            Err(e) => {
                return SigCheck::Unchecked {
                    why: format!("cannot write a temporary file: {e}"),
                };
            }
        };
        let allowed = allowed.as_os_str();
        let found = run(
            Command::new(&self.ssh)
                .args(["-Y", "find-principals", "-f"])
                .arg(allowed)
                .arg("-s")
                .arg(&file.0),
            None,
        );
        let principals = match found {
            Err(why) => return SigCheck::Unchecked { why },
            Ok((false, _)) => {
                return SigCheck::Bad {
                    why: "no principal in gpg.ssh.allowedSignersFile holds the key".to_owned(),
                };
            }
            Ok((true, out)) => out,
        };
        let mut last = String::new();
        for p in principals.lines().map(str::trim).filter(|p| !p.is_empty()) {
            let mut cmd = Command::new(&self.ssh);
            cmd.args(["-Y", "verify", "-n", "git", "-f"])
                .arg(allowed)
                .args(["-I", p, "-s"])
                .arg(&file.0);
            if let Some(r) = &self.revocations {
                cmd.arg("-r").arg(r);
            }
            match run(&mut cmd, Some(data)) {
                Ok((true, _)) => {
                    return SigCheck::Good {
                        signer: p.to_owned(),
                    };
                }
                Ok((false, out)) => last = out.trim().to_owned(),
                Err(why) => return SigCheck::Unchecked { why },
            }
        }
        SigCheck::Bad {
            why: if last.is_empty() {
                "ssh-keygen rejected the signature".to_owned()
            } else {
                last
            },
        }
    }
}

/// `gpg --status-fd=1 --verify SIG -`: a `GOODSIG <key> <uid>` line names
/// the signer; `BADSIG` is a bad signature; `ERRSIG`/`NO_PUBKEY` mean the
/// key is not in the keyring, which leaves the signature unchecked.
fn gpg(program: &str, sig: &[u8], data: &[u8]) -> SigCheck {
    let file = match TempSig::write(sig) {
        Ok(f) => f,
        Err(e) => {
            return SigCheck::Unchecked {
                why: format!("cannot write a temporary file: {e}"),
            };
        }
    };
    let out = run(
        Command::new(program)
            .args(["--status-fd=1", "--keyid-format=long", "--verify"])
            .arg(&file.0)
            .arg("-"),
        Some(data),
    );
    let status = match out {
        Ok((_, s)) => s,
        Err(why) => return SigCheck::Unchecked { why },
    };
    let field = |tag: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix("[GNUPG:] ")?.strip_prefix(tag))
            .map(str::trim)
    };
    if let Some(rest) = field("GOODSIG ") {
        let uid = rest.split_once(' ').map_or(rest, |(_, uid)| uid);
        return SigCheck::Good {
            signer: uid.to_owned(),
        };
    }
    if let Some(rest) = field("BADSIG ") {
        return SigCheck::Bad {
            why: format!("bad signature ({rest})"),
        };
    }
    if let Some(rest) = field("ERRSIG ") {
        let key = rest.split_whitespace().next().unwrap_or("");
        return SigCheck::Unchecked {
            why: format!("no public key {key}"),
        };
    }
    SigCheck::Bad {
        why: format!("{program} did not accept the signature"),
    }
}

/// A commit's signature and the bytes it signs, as git2 extracts them.
#[derive(Debug, Clone)]
pub struct Signed {
    sig: Vec<u8>,
    data: Vec<u8>,
}

/// The commit's signature, if it is signed.
#[must_use]
pub fn extract(repo: &Repository, commit: Oid) -> Option<Signed> {
    let (sig, data) = repo.extract_signature(&commit, None).ok()?;
    Some(Signed {
        sig: sig.to_vec(),
        data: data.to_vec(),
    })
}

fn format_of(sig: &[u8]) -> SigFormat {
    if sig.starts_with(b"-----BEGIN SSH SIGNATURE-----") {
        SigFormat::Ssh
    } else if sig.starts_with(b"-----BEGIN SIGNED MESSAGE-----") {
        SigFormat::X509
    } else {
        SigFormat::OpenPgp
    }
}

/// Runs a verifier, feeding `stdin`; `(success, stdout)`, or why it could
/// not run.
fn run(cmd: &mut Command, stdin: Option<&[u8]>) -> Result<(bool, String), String> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if let (Some(data), Some(mut pipe)) = (stdin, child.stdin.take()) {
        // A verifier that exits early closes the pipe; its exit status
        // tells what happened.
        let _ = pipe.write_all(data);
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("{program}: {e}"))?;
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        text.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    Ok((out.status.success(), text))
}

/// The signature in a private temporary file, removed when dropped: the
/// verifiers read it by name.
struct TempSig(PathBuf);

impl TempSig {
    fn write(sig: &[u8]) -> std::io::Result<Self> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let path = std::env::temp_dir().join(format!(
            "docket-sig-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        let me = Self(path);
        f.write_all(sig)?;
        Ok(me)
    }
}

impl Drop for TempSig {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
