//! Signing docket's commits as git signs its own, so `git verify-commit`
//! accepts them: `commit.gpgsign` turns it on, `gpg.format` picks `openpgp`
//! (`gpg.program`) or SSH (`gpg.ssh.program`), `user.signingKey` names the
//! key. The commit is built as a buffer, signed by the same program with the
//! arguments git passes (gpg-interface.c), and written with the signature in
//! its `gpgsig` header. `[review] require_signed` in docket.toml refuses
//! unsigned commits. Nothing here moves a ref: a refused signature leaves
//! the repository as it was.

use super::git::Identity;
use super::{Store, StoreError};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// How docket's commits are made, resolved from git config once per commit.
#[derive(Debug, Clone)]
pub(super) struct Signing {
    how: How,
    /// Where the signer runs, as git runs it: the top of the work tree (a
    /// relative `user.signingKey` path is read from there).
    cwd: PathBuf,
}

#[derive(Debug, Clone)]
enum How {
    Off,
    Gpg { program: String, key: String },
    Ssh { program: String, key: SshKey },
}

#[derive(Debug, Clone)]
enum SshKey {
    /// A private key, or a public key whose private half is in the agent.
    File(PathBuf),
    /// `key::ssh-ed25519 AAAA…` or `ssh-ed25519 AAAA…`: signed by the agent.
    Literal(String),
}

impl Store {
    /// Whether docket.toml asks for signed commits. A docket.toml that does
    /// not parse asks for nothing (the workspace loads on a fallback too);
    /// git's own `commit.gpgsign` still signs.
    pub(super) fn require_signed(&self) -> bool {
        self.config()
            .is_ok_and(|(config, _)| config.review.require_signed)
    }

    /// The signature on commit `id` and its format, `None` when it is
    /// unsigned; for checks that docket's history is signed.
    pub fn signature_of(&self, id: &str) -> Result<Option<(SigFormat, Vec<u8>)>, StoreError> {
        let repo = self.repository()?;
        let id = repo.find_commit(git2::Oid::from_str(id)?)?.id();
        match repo.extract_signature(&id, None) {
            Ok((sig, _)) => Ok(Some((SigFormat::of(&sig), sig.to_vec()))),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

/// The kind of a commit signature, told by its armour as git tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigFormat {
    OpenPgp,
    X509,
    Ssh,
    Unknown,
}

impl SigFormat {
    fn of(sig: &[u8]) -> Self {
        [
            (&b"-----BEGIN PGP SIGNATURE-----"[..], Self::OpenPgp),
            (b"-----BEGIN PGP MESSAGE-----", Self::OpenPgp),
            (b"-----BEGIN SSH SIGNATURE-----", Self::Ssh),
            (b"-----BEGIN SIGNED MESSAGE-----", Self::X509),
        ]
        .into_iter()
        .find_map(|(armour, format)| sig.starts_with(armour).then_some(format))
        .unwrap_or(Self::Unknown)
    }
}

impl Signing {
    /// Reads git config the way git does when it commits. Refused up front,
    /// before anything is written: `require_signed` without
    /// `commit.gpgsign`, an unsupported `gpg.format`, an ssh key that is
    /// not set or not there.
    pub(super) fn resolve(
        repo: &git2::Repository,
        who: &Identity,
        required: bool,
        cwd: &Path,
    ) -> Result<Self, StoreError> {
        let cfg = repo.config()?;
        let get = |k: &str| cfg.get_string(k).ok().filter(|v| !v.is_empty());
        let on = match cfg.get_bool("commit.gpgsign") {
            Ok(on) => on,
            Err(e) if e.code() == git2::ErrorCode::NotFound => false,
            Err(e) => return Err(StoreError::Sign(format!("commit.gpgsign: {}", e.message()))),
        };
        let cwd = cwd.to_path_buf();
        if !on {
            if required {
                return Err(StoreError::UnsignedRefused);
            }
            return Ok(Self { how: How::Off, cwd });
        }
        let key = get("user.signingkey");
        let how = match get("gpg.format").as_deref().unwrap_or("openpgp") {
            "openpgp" => How::Gpg {
                program: get("gpg.openpgp.program")
                    .or_else(|| get("gpg.program"))
                    .unwrap_or_else(|| "gpg".to_owned()),
                // git's default: the committer's ident.
                key: key.unwrap_or_else(|| format!("{} <{}>", who.name, who.email)),
            },
            "ssh" => How::Ssh {
                program: get("gpg.ssh.program").unwrap_or_else(|| "ssh-keygen".to_owned()),
                key: ssh_key(key.as_deref(), &cwd)?,
            },
            "x509" => {
                return Err(StoreError::Sign(
                    "gpg.format x509 is not supported by docket (use openpgp or ssh, or commit with git)"
                        .to_owned(),
                ));
            }
            other => {
                return Err(StoreError::Sign(format!(
                    "invalid value for gpg.format: {other:?} (openpgp, ssh)"
                )));
            }
        };
        Ok(Self { how, cwd })
    }

    /// Writes the commit `repo.commit(None, …)` would, signed when git
    /// config says so. Only the object is written; no ref moves.
    pub(super) fn commit(
        &self,
        repo: &git2::Repository,
        author: &git2::Signature<'_>,
        committer: &git2::Signature<'_>,
        message: &str,
        tree: &git2::Tree<'_>,
        parents: &[&git2::Commit<'_>],
    ) -> Result<git2::Oid, StoreError> {
        if matches!(self.how, How::Off) {
            return Ok(repo.commit(None, author, committer, message, tree, parents)?);
        }
        let buf = repo.commit_create_buffer(author, committer, message, tree, parents)?;
        let content = std::str::from_utf8(&buf)
            .map_err(|_| StoreError::Sign("the commit is not UTF-8".to_owned()))?;
        let sig = self.sign(content.as_bytes())?;
        // libgit2 ends the header itself: a trailing newline would become a
        // blank continuation line git does not write.
        let sig = sig.trim_end_matches('\n');
        Ok(repo.commit_signed(content, sig, Some("gpgsig"))?)
    }

    /// Whether git config asks for signatures.
    pub(super) fn signs(&self) -> bool {
        !matches!(self.how, How::Off)
    }

    pub(super) fn sign(&self, payload: &[u8]) -> Result<String, StoreError> {
        match &self.how {
            How::Off => Ok(String::new()),
            How::Gpg { program, key } => sign_gpg(program, key, payload, &self.cwd),
            How::Ssh { program, key } => sign_ssh(program, key, payload, &self.cwd),
        }
    }
}

/// `user.signingKey` for ssh: a literal public key, or a key file (`~/`
/// expanded, relative to the work tree), which must exist.
fn ssh_key(key: Option<&str>, cwd: &Path) -> Result<SshKey, StoreError> {
    let Some(key) = key else {
        return Err(StoreError::Sign(
            "user.signingKey needs to be set for ssh signing (gpg.format = ssh)".to_owned(),
        ));
    };
    if let Some(literal) = key.strip_prefix("key::") {
        return Ok(SshKey::Literal(literal.to_owned()));
    }
    if key.starts_with("ssh-") {
        return Ok(SshKey::Literal(key.to_owned()));
    }
    let path = match key.strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME")
            .map_or_else(|| PathBuf::from(key), |h| Path::new(&h).join(rest)),
        None => PathBuf::from(key),
    };
    if cwd.join(&path).exists() {
        Ok(SshKey::File(path))
    } else {
        Err(StoreError::Sign(format!(
            "user.signingKey {}: no such key file",
            path.display()
        )))
    }
}

/// `gpg --status-fd=2 -bsau KEY`, the payload on stdin, the armoured
/// signature on stdout; signed only when the status says `SIG_CREATED`.
fn sign_gpg(program: &str, key: &str, payload: &[u8], cwd: &Path) -> Result<String, StoreError> {
    let mut child = Command::new(program)
        .args(["--status-fd=2", "-bsau", key])
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| cannot_run("gpg.program", program, &e))?;
    // Fed from a thread: gpg may write before it has read everything.
    let stdin = child.stdin.take();
    let data = payload.to_vec();
    let feeder = std::thread::spawn(move || {
        if let Some(mut s) = stdin {
            // A gpg that exits early (bad key) closes the pipe: its status
            // says why, not this write.
            let _ = s.write_all(&data);
        }
    });
    let out = child
        .wait_with_output()
        .map_err(|e| cannot_run("gpg.program", program, &e))?;
    let _ = feeder.join();
    let status = String::from_utf8_lossy(&out.stderr);
    let created = status
        .lines()
        .any(|l| l.starts_with("[GNUPG:] SIG_CREATED "));
    if !out.status.success() || !created || out.stdout.is_empty() {
        return Err(StoreError::Sign(format!(
            "gpg.program {program} failed to sign with user.signingKey {key:?}: {}",
            said(&status)
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).replace('\r', ""))
}

/// `ssh-keygen -Y sign -n git -f KEYFILE [-U] FILE`, reading `FILE.sig`;
/// a literal key is written to a file first and signed by the agent (`-U`).
fn sign_ssh(program: &str, key: &SshKey, payload: &[u8], cwd: &Path) -> Result<String, StoreError> {
    let mut temps = Temps::default();
    let (key_file, literal) = match key {
        SshKey::File(p) => (p.clone(), false),
        SshKey::Literal(k) => (temps.create("key", k.as_bytes())?, true),
    };
    let buffer = temps.create("buffer", payload)?;
    let mut sig_path = buffer.clone().into_os_string();
    sig_path.push(".sig");
    let sig_path = PathBuf::from(sig_path);
    temps.0.push(sig_path.clone());
    let mut cmd = Command::new(program);
    cmd.args(["-Y", "sign", "-n", "git", "-f"]).arg(&key_file);
    if literal {
        cmd.arg("-U");
    }
    let out = cmd
        .arg(&buffer)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| cannot_run("gpg.ssh.program", program, &e))?;
    let what = match key {
        SshKey::File(p) => p.display().to_string(),
        SshKey::Literal(k) => format!("{:?}", k.get(..30).unwrap_or(k)),
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        let hint = if stderr.contains("usage:") {
            " (ssh signing needs `ssh-keygen -Y sign`, OpenSSH 8.2p1 or later)"
        } else {
            ""
        };
        return Err(StoreError::Sign(format!(
            "gpg.ssh.program {program} failed with user.signingKey {what}: {}{hint}",
            said(&stderr)
        )));
    }
    let sig = std::fs::read(&sig_path).map_err(|e| {
        StoreError::Sign(format!(
            "gpg.ssh.program {program} wrote no signature ({}: {e})",
            sig_path.display()
        ))
    })?;
    Ok(String::from_utf8_lossy(&sig).replace('\r', ""))
}

fn cannot_run(setting: &str, program: &str, e: &std::io::Error) -> StoreError {
    if e.kind() == std::io::ErrorKind::NotFound {
        StoreError::Sign(format!(
            "{setting} {program} not found (install it, or set {setting})"
        ))
    } else {
        StoreError::Sign(format!("{setting} {program} failed to run: {e}"))
    }
}

/// What a signer said, on one line, without gpg's status lines (unless
/// there is nothing else).
fn said(stderr: &str) -> String {
    let lines = || stderr.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut text: Vec<&str> = lines().filter(|l| !l.starts_with("[GNUPG:]")).collect();
    if text.is_empty() {
        text = lines().collect();
    }
    if text.is_empty() {
        "no output".to_owned()
    } else {
        text.join("; ")
    }
}

/// Files in the temporary folder (as git makes them), removed on drop.
#[derive(Default)]
struct Temps(Vec<PathBuf>);

impl Temps {
    /// Creates a new file only this user reads, named so no other process
    /// could have made it first.
    fn create(&mut self, what: &str, contents: &[u8]) -> Result<PathBuf, StoreError> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        for _ in 0..16 {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!(
                ".docket_signing_{what}_{}_{nanos:x}_{n}",
                std::process::id()
            ));
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
            match opts.open(&path) {
                Ok(mut f) => {
                    self.0.push(path.clone());
                    f.write_all(contents)
                        .map_err(|e| StoreError::io(&path, e))?;
                    return Ok(path);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(StoreError::io(&path, e)),
            }
        }
        let taken = std::io::Error::from(std::io::ErrorKind::AlreadyExists);
        Err(StoreError::io(dir, taken))
    }
}

impl Drop for Temps {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{SigFormat, said};

    #[test]
    fn formats_and_messages() {
        assert_eq!(
            SigFormat::of(b"-----BEGIN PGP SIGNATURE-----\n"),
            SigFormat::OpenPgp
        );
        assert_eq!(
            SigFormat::of(b"-----BEGIN SSH SIGNATURE-----\n"),
            SigFormat::Ssh
        );
        assert_eq!(
            SigFormat::of(b"-----BEGIN SIGNED MESSAGE-----\n"),
            SigFormat::X509
        );
        assert_eq!(SigFormat::of(b"junk"), SigFormat::Unknown);
        // gpg's status lines give way to what it says to people.
        let gpg = "[GNUPG:] KEY_CONSIDERED X 2\ngpg: skipped \"k\": No secret key\n[GNUPG:] FAILURE sign 17\ngpg: signing failed: No secret key\n";
        assert_eq!(
            said(gpg),
            "gpg: skipped \"k\": No secret key; gpg: signing failed: No secret key"
        );
        assert_eq!(
            said("[GNUPG:] FAILURE sign 17\n"),
            "[GNUPG:] FAILURE sign 17"
        );
        assert_eq!(said("\n"), "no output");
    }
}
