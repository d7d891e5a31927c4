//! Two reviewers' clones of an example workspace published to a bare
//! remote, and the git views of the remote the tests check.

use crate::common::{Run, Sandbox, Workspace, trailers};
use std::path::{Path, PathBuf};

pub const ANA: (&str, &str) = ("Ana Reviewer", "ana@example.com");
pub const BO: (&str, &str) = ("Bo Reviewer", "bo@example.com");

/// An example workspace published to a bare remote and cloned twice.
pub struct Team {
    /// The workspace the remote was seeded from (ids and tags come from it).
    pub ws: Workspace,
    pub bare: PathBuf,
    pub a: PathBuf,
    pub b: PathBuf,
    pub branch: String,
}

impl Team {
    pub fn new() -> Self {
        Self::from(Workspace::example())
    }

    /// `ws` published to a fresh bare remote and cloned as Ana and Bo.
    pub fn from(ws: Workspace) -> Self {
        let branch = ws.git_out(&["symbolic-ref", "--short", "HEAD"]);
        let bare = ws.sb.path().join("remote.git");
        let sb = &ws.sb;
        sb.git(
            &sb.path(),
            &["init", "-q", "--bare", "-b", &branch, "remote.git"],
        )
        .ok();
        ws.git(&[
            "push",
            "-q",
            bare.to_str().unwrap(),
            &format!("HEAD:refs/heads/{branch}"),
        ])
        .ok();
        Self {
            a: Self::clone_as(&ws.sb, &bare, "a", ANA),
            b: Self::clone_as(&ws.sb, &bare, "b", BO),
            ws,
            bare,
            branch,
        }
    }

    /// `git clone file://BARE NAME` with a reviewer's identity.
    pub fn clone_as(sb: &Sandbox, bare: &Path, name: &str, who: (&str, &str)) -> PathBuf {
        let url = format!("file://{}", bare.display());
        sb.git(&sb.path(), &["clone", "-q", &url, name]).ok();
        let dir = sb.path().join(name);
        sb.git(&dir, &["config", "user.name", who.0]).ok();
        sb.git(&dir, &["config", "user.email", who.1]).ok();
        dir
    }

    pub fn docket(&self, dir: &Path, args: &[&str]) -> Run {
        self.ws.sb.docket(dir, args)
    }

    /// docket with another "now" (notes record it).
    pub fn docket_at(&self, dir: &Path, now: &str, args: &[&str]) -> Run {
        let mut cmd = self.ws.sb.command(env!("CARGO_BIN_EXE_docket"), dir);
        cmd.env("DOCKET_NOW", now).args(args);
        Sandbox::run(&mut cmd)
    }

    pub fn git(&self, dir: &Path, args: &[&str]) -> Run {
        self.ws.sb.git(dir, args)
    }

    pub fn out(&self, dir: &Path, args: &[&str]) -> String {
        self.git(dir, args).ok().out()
    }

    /// The remote branch's file at `rel`.
    pub fn remote_file(&self, rel: &str) -> toml::Table {
        let text = self.out(&self.bare, &["show", &format!("{}:{rel}", self.branch)]);
        text.parse().unwrap()
    }

    pub fn remote_tip(&self) -> String {
        self.out(&self.bare, &["rev-parse", &self.branch])
    }

    /// `git log` of the remote: one `author|trailers` line per commit, newest first.
    pub fn remote_log(&self, n: usize) -> Vec<(String, Vec<String>)> {
        let raw = self.out(
            &self.bare,
            &[
                "log",
                &format!("-{n}"),
                "--format=%an <%ae>%x00%B%x01",
                &self.branch,
            ],
        );
        raw.split('\u{1}')
            .filter(|c| !c.trim().is_empty())
            .map(|c| {
                let (who, msg) = c.trim_start().split_once('\0').unwrap();
                (who.to_owned(), trailers(msg))
            })
            .collect()
    }

    /// git status clean and fsck clean in both clones, and both at the remote's tip.
    pub fn assert_settled(&self) {
        for dir in [&self.a, &self.b] {
            let st = self.out(dir, &["status", "--porcelain", "--untracked-files=all"]);
            assert_eq!(st, "", "git status in {}", dir.display());
            let r = self.git(dir, &["fsck", "--strict", "--no-progress"]).ok();
            let noise: Vec<&str> = r
                .stderr
                .lines()
                .chain(r.stdout.lines())
                .filter(|l| !l.trim().is_empty() && !l.starts_with("dangling "))
                .collect();
            assert!(noise.is_empty(), "fsck in {}: {noise:?}", dir.display());
        }
        let r = self
            .git(&self.bare, &["fsck", "--strict", "--no-progress"])
            .ok();
        assert!(
            !r.stdout.contains("error") && !r.stderr.contains("error"),
            "{r:?}"
        );
    }

    pub fn tags_on_remote(&self, path: &str) -> Vec<String> {
        self.remote_file(path)["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_owned())
            .collect()
    }
}

pub fn who(p: (&str, &str)) -> String {
    format!("{} <{}>", p.0, p.1)
}
