//! The network half of `docket sync`: the branch's upstream, fetching it
//! and pushing to it with git2, over `file://` (or a path), `ssh://` and
//! `https://`.
//!
//! Credentials are tried the way git's users expect them to be, each once:
//! for ssh, the ssh-agent, then `~/.ssh/id_ed25519` and `~/.ssh/id_rsa`;
//! for https, git's credential helpers (`credential.helper` in the
//! repository's and the user's config). Certificates are checked as libgit2
//! does by default. Whatever fails is reported in one line that names the
//! URL and what was tried: authentication failed, cannot reach, or the push
//! was rejected (and why) — never a bare libgit2 error code.

use super::StoreError;
use git2::{Cred, CredentialType, ErrorClass, ErrorCode, FetchOptions, Oid, PushOptions};
use git2::{RemoteCallbacks, Repository};
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

/// Where the current branch syncs to (`branch.<name>.remote`/`merge`).
#[derive(Debug, Clone)]
pub(super) struct Upstream {
    /// The local branch (`main`).
    pub branch: String,
    /// The remote's name (`origin`) or URL.
    pub remote: String,
    /// The branch on the remote (`refs/heads/main`).
    pub merge: String,
    /// Where the fetched tip is kept (`refs/remotes/origin/main`).
    pub tracking: String,
    pub url: String,
}

/// The current branch's upstream, or a refusal that says how to set one.
pub(super) fn upstream(repo: &Repository) -> Result<Upstream, StoreError> {
    let head = repo.find_reference("HEAD")?;
    let Some(full) = head.symbolic_target()?.map(str::to_owned) else {
        return Err(StoreError::DetachedHead);
    };
    let branch = full.trim_start_matches("refs/heads/").to_owned();
    let cfg = repo.config()?;
    let get = |k: &str| cfg.get_string(&format!("branch.{branch}.{k}")).ok();
    let (Some(remote), Some(merge)) = (get("remote"), get("merge")) else {
        return Err(StoreError::NoUpstream(branch));
    };
    if remote == "." {
        return Err(StoreError::NoUpstream(branch));
    }
    let url = match repo.find_remote(&remote) {
        Ok(r) => r.url().unwrap_or_default().to_owned(),
        Err(_) => remote.clone(),
    };
    let short = merge.trim_start_matches("refs/heads/");
    let tracking = format!("refs/remotes/{remote}/{short}");
    Ok(Upstream {
        branch,
        remote,
        merge,
        tracking,
        url,
    })
}

/// What the credential callback tried, for the message when all failed.
#[derive(Debug, Default)]
struct Tried {
    steps: Vec<String>,
    agent: bool,
    keys: usize,
    helper: bool,
    exhausted: bool,
    /// A push the remote refused (`push_update_reference` status).
    rejected: Option<String>,
}

/// The ssh key files tried after the agent, those that exist.
fn key_files() -> Vec<PathBuf> {
    let Some(home) = std::env::var_os("HOME") else {
        return Vec::new();
    };
    let ssh = PathBuf::from(home).join(".ssh");
    ["id_ed25519", "id_rsa"]
        .iter()
        .map(|k| ssh.join(k))
        .filter(|p| p.is_file())
        .collect()
}

fn callbacks<'a>(config: git2::Config, tried: &Rc<RefCell<Tried>>) -> RemoteCallbacks<'a> {
    let mut cb = RemoteCallbacks::new();
    let keys = key_files();
    let t = Rc::clone(tried);
    cb.credentials(move |url, user, allowed| {
        let mut t = t.borrow_mut();
        let local = std::env::var("USER").unwrap_or_else(|_| "git".to_owned());
        let user = user.unwrap_or(&local);
        if allowed.contains(CredentialType::USERNAME) {
            return Cred::username(user);
        }
        if allowed.contains(CredentialType::SSH_KEY) {
            if !t.agent {
                t.agent = true;
                if std::env::var_os("SSH_AUTH_SOCK").is_some() {
                    t.steps.push("ssh-agent".into());
                    return Cred::ssh_key_from_agent(user);
                }
                t.steps.push("ssh-agent (not running)".into());
            }
            if let Some(key) = keys.get(t.keys) {
                t.keys += 1;
                t.steps.push(format!("key {}", key.display()));
                return Cred::ssh_key(user, None, key, None);
            }
            if keys.is_empty() && t.keys == 0 {
                t.keys = 1;
                t.steps
                    .push("~/.ssh/id_ed25519 and ~/.ssh/id_rsa (neither exists)".into());
            }
        }
        if allowed.contains(CredentialType::USER_PASS_PLAINTEXT) && !t.helper {
            t.helper = true;
            t.steps.push("git credential helpers".into());
            let found = Cred::credential_helper(&config, url, None);
            if found.is_err() {
                t.exhausted = true;
            }
            return found;
        }
        t.exhausted = true;
        Err(git2::Error::from_str("no more credentials to try"))
    });
    let t = Rc::clone(tried);
    cb.push_update_reference(move |_, status| {
        if let Some(s) = status {
            t.borrow_mut().rejected = Some(s.to_owned());
        }
        Ok(())
    });
    cb
}

/// Turns a transport error into what the user is told.
fn classify(e: git2::Error, url: &str, tried: &Tried) -> StoreError {
    let steps = if tried.steps.is_empty() {
        "the server asked for no credentials docket can give".to_owned()
    } else {
        tried.steps.join(", ")
    };
    if tried.exhausted || e.code() == ErrorCode::Auth {
        return StoreError::AuthFailed {
            url: url.to_owned(),
            tried: steps,
        };
    }
    let network = matches!(
        e.class(),
        ErrorClass::Net | ErrorClass::Os | ErrorClass::Ssh | ErrorClass::Http | ErrorClass::Ssl
    ) || e.code() == ErrorCode::NotFound;
    if network {
        let detail = e.message().trim_end_matches('.').to_owned();
        if detail.contains("authentication") || detail.contains("Permission denied") {
            return StoreError::AuthFailed {
                url: url.to_owned(),
                tried: steps,
            };
        }
        return StoreError::Unreachable {
            url: url.to_owned(),
            detail,
        };
    }
    StoreError::Git(e)
}

fn remote<'r>(repo: &'r Repository, up: &Upstream) -> Result<git2::Remote<'r>, StoreError> {
    match repo.find_remote(&up.remote) {
        Ok(r) => Ok(r),
        Err(_) => Ok(repo.remote_anonymous(&up.url)?),
    }
}

/// Fetches the upstream branch into its tracking ref; returns its tip
/// (`None`: the remote has no such branch yet).
pub(super) fn fetch(repo: &Repository, up: &Upstream) -> Result<Option<Oid>, StoreError> {
    let tried = Rc::new(RefCell::new(Tried::default()));
    let mut opts = FetchOptions::new();
    opts.remote_callbacks(callbacks(repo.config()?, &tried));
    // Tags on what is fetched come along (the review tags of meetings
    // held elsewhere); a local tag of the same name is never overwritten.
    opts.download_tags(git2::AutotagOption::Auto);
    let mut r = remote(repo, up)?;
    let spec = format!("+{}:{}", up.merge, up.tracking);
    if let Err(e) = r.fetch(
        &[spec.as_str()],
        Some(&mut opts),
        Some("docket sync: fetch"),
    ) {
        return Err(classify(e, &up.url, &tried.borrow()));
    }
    match repo.refname_to_id(&up.tracking) {
        Ok(id) => Ok(Some(id)),
        Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// How a push ended when it reached the remote.
#[derive(Debug)]
pub(super) enum Pushed {
    Done,
    /// The remote refused (someone pushed in between): the reason.
    Rejected(String),
}

/// Pushes `tip` to the upstream branch, never forced: the remote takes it
/// only as a fast-forward of what it holds.
pub(super) fn push(repo: &Repository, up: &Upstream, tip: Oid) -> Result<Pushed, StoreError> {
    const TEMP: &str = "refs/docket/sync";
    seam("DOCKET_TEST_BEFORE_PUSH");
    repo.reference(TEMP, tip, true, "docket sync: push")?;
    let tried = Rc::new(RefCell::new(Tried::default()));
    let mut opts = PushOptions::new();
    opts.remote_callbacks(callbacks(repo.config()?, &tried));
    let mut r = remote(repo, up)?;
    let spec = format!("{TEMP}:{}", up.merge);
    let result = r.push(&[spec.as_str()], Some(&mut opts));
    if let Ok(mut temp) = repo.find_reference(TEMP) {
        let _ = temp.delete();
    }
    match result {
        Ok(()) => {}
        Err(e) if e.code() == ErrorCode::NotFastForward => {
            return Ok(Pushed::Rejected(e.message().to_owned()));
        }
        Err(e) => return Err(classify(e, &up.url, &tried.borrow())),
    }
    if let Some(why) = tried.borrow().rejected.clone() {
        return Ok(Pushed::Rejected(why));
    }
    repo.reference(&up.tracking, tip, true, "docket sync: pushed")?;
    seam("DOCKET_TEST_AFTER_PUSH");
    Ok(Pushed::Done)
}

/// Pushes the tags `names` (`review/…`), never forced. Returns a warning
/// for each the remote refused (it has another tag of that name): the
/// branch is pushed either way.
pub(super) fn push_tags(
    repo: &Repository,
    up: &Upstream,
    names: &[String],
) -> Result<Vec<String>, StoreError> {
    let mut warnings = Vec::new();
    for name in names {
        let tried = Rc::new(RefCell::new(Tried::default()));
        let mut opts = PushOptions::new();
        opts.remote_callbacks(callbacks(repo.config()?, &tried));
        let mut r = remote(repo, up)?;
        let spec = format!("refs/tags/{name}:refs/tags/{name}");
        let refused = match r.push(&[spec.as_str()], Some(&mut opts)) {
            Ok(()) => tried.borrow().rejected.clone(),
            Err(e) if e.code() == ErrorCode::NotFastForward => Some(e.message().to_owned()),
            Err(e) => return Err(classify(e, &up.url, &tried.borrow())),
        };
        if let Some(why) = refused {
            warnings.push(format!(
                "tag {name} was not pushed: {why} (the remote has another tag of that name)"
            ));
        }
    }
    Ok(warnings)
}

/// Test seams, in debug builds only: `DOCKET_TEST_BEFORE_PUSH` is run by
/// `sh -c` before each push, so a test can push to the remote between
/// sync's fetch and its push (libgit2 runs no hooks on a local remote, so
/// there is no other way in without a server); `DOCKET_TEST_AFTER_PUSH`
/// after a push that succeeded.
#[cfg(debug_assertions)]
pub(super) fn seam(var: &str) {
    if let Ok(cmd) = std::env::var(var) {
        let _ = std::process::Command::new("sh").arg("-c").arg(cmd).status();
    }
}

#[cfg(not(debug_assertions))]
pub(super) fn seam(_: &str) {}
