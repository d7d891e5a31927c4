//! Shared helpers for the end-to-end tests: a sandboxed home and git config,
//! the real `docket` binary, the git command line, and ways to pick case ids
//! and tags from the example workspace without hard-coding them.
//!
//! Every docket and git process gets `HOME`, `XDG_CONFIG_HOME` and
//! `GIT_CONFIG_GLOBAL` inside the test's temporary directory, `GIT_CONFIG_NOSYSTEM=1`,
//! fixed dates, and no inherited `GIT_*` or `DOCKET_*` variables, so the tests
//! never read the machine's git configuration.
//!
//! [`pty`] runs the real binary in a pseudo-terminal for the end-to-end UI
//! tests (the lint allowances below cover it too).

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

pub mod signing;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub mod pty;

/// What docket writes as "now" (`DOCKET_NOW`).
pub const NOW: &str = "2026-11-23T10:00:00Z";
/// The same instant as git's internal date, for author and committer.
pub const GIT_DATE: &str = "@1795428000 +0000";
/// The day of [`GIT_DATE`], as the commit summary line shows it.
pub const DAY: &str = "2026-11-23";
pub const NAME: &str = "Test Reviewer";
pub const EMAIL: &str = "reviewer@example.com";

/// The outcome of one process.
#[derive(Debug, Clone)]
pub struct Run {
    pub what: String,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub raw_stdout: Vec<u8>,
    pub raw_stderr: Vec<u8>,
}

impl Run {
    /// Asserts exit code 0 and returns self.
    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(
            self.code,
            Some(0),
            "`{}` failed\nstdout:\n{}\nstderr:\n{}",
            self.what,
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts the given exit code and returns self.
    #[track_caller]
    pub fn code(self, code: i32) -> Self {
        assert_eq!(
            self.code,
            Some(code),
            "`{}`: expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.what,
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts a refusal: exit 2 and one `docket: ...` line on stderr that
    /// contains every one of `needles`. Returns the message.
    #[track_caller]
    pub fn refused(self, needles: &[&str]) -> String {
        let run = self.code(2);
        let msg = run.stderr.trim_end().to_owned();
        assert!(
            msg.starts_with("docket: "),
            "`{}`: stderr should start with `docket: `: {msg:?}",
            run.what
        );
        assert_eq!(
            msg.lines().count(),
            1,
            "`{}`: the error should be one line: {msg:?}",
            run.what
        );
        for n in needles {
            assert!(
                msg.contains(n),
                "`{}`: the error should name {n:?}: {msg:?}",
                run.what
            );
        }
        msg
    }

    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "`{}`: stdout is not JSON ({e}):\n{}",
                self.what, self.stdout
            )
        })
    }

    /// The trimmed stdout.
    #[must_use]
    pub fn out(&self) -> String {
        self.stdout.trim().to_owned()
    }
}

/// A temporary directory with a sandboxed home and git configuration.
pub struct Sandbox {
    tmp: tempfile::TempDir,
    home: PathBuf,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    /// A sandbox whose global git config holds the test identity.
    #[must_use]
    pub fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        fs::create_dir_all(home.join(".config")).unwrap();
        fs::write(home.join(".gitconfig"), "").unwrap();
        let sb = Self { tmp, home };
        sb.git_config(&["user.name", NAME]);
        sb.git_config(&["user.email", EMAIL]);
        sb
    }

    /// The root of the temporary directory (canonical).
    #[must_use]
    pub fn path(&self) -> PathBuf {
        self.tmp.path().canonicalize().unwrap()
    }

    /// The sandboxed global git config file.
    #[must_use]
    pub fn gitconfig(&self) -> PathBuf {
        self.home.join(".gitconfig")
    }

    /// Runs `git config --file <sandbox gitconfig> ARGS...`.
    pub fn git_config(&self, args: &[&str]) {
        let file = self.gitconfig();
        let mut all = vec!["config", "--file", file.to_str().unwrap()];
        all.extend_from_slice(args);
        self.git(self.tmp.path(), &all).ok();
    }

    /// Removes `user.name` and `user.email` from the sandboxed git config.
    pub fn unset_identity(&self) {
        fs::write(self.gitconfig(), "").unwrap();
    }

    /// A command with the sandboxed environment, run in `dir`.
    #[must_use]
    pub fn command(&self, program: impl AsRef<OsStr>, dir: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(dir);
        for (k, _) in std::env::vars_os() {
            let k = k.to_string_lossy();
            if k.starts_with("GIT_") || k.starts_with("DOCKET_") {
                cmd.env_remove(k.as_ref());
            }
        }
        cmd.env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", self.gitconfig())
            .env("GIT_AUTHOR_DATE", GIT_DATE)
            .env("GIT_COMMITTER_DATE", GIT_DATE)
            .env("GIT_OPTIONAL_LOCKS", "0")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("DOCKET_NOW", NOW)
            .env("LC_ALL", "C")
            .stdin(Stdio::null());
        cmd
    }

    /// Runs a prepared command and collects its output.
    pub fn run(cmd: &mut Command) -> Run {
        let what = format!(
            "{} {}",
            Path::new(cmd.get_program())
                .file_name()
                .unwrap_or_default()
                .to_string_lossy(),
            cmd.get_args()
                .map(|a| a.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        );
        let out = cmd.output().unwrap();
        Run {
            what,
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            raw_stdout: out.stdout,
            raw_stderr: out.stderr,
        }
    }

    /// Runs the docket binary in `dir`.
    pub fn docket<S: AsRef<OsStr>>(&self, dir: &Path, args: &[S]) -> Run {
        let mut cmd = self.command(env!("CARGO_BIN_EXE_docket"), dir);
        cmd.args(args);
        Self::run(&mut cmd)
    }

    /// Runs the git command line in `dir`.
    pub fn git<S: AsRef<OsStr>>(&self, dir: &Path, args: &[S]) -> Run {
        let mut cmd = self.command("git", dir);
        cmd.args(args);
        Self::run(&mut cmd)
    }

    /// `docket init DIR --example --commit` in a fresh directory `name`.
    pub fn example_workspace(self, name: &str) -> Workspace {
        let root = self.path().join(name);
        self.docket(
            &self.path(),
            &["init", root.to_str().unwrap(), "--example", "--commit"],
        )
        .ok();
        Workspace { sb: self, root }
    }
}

/// A failure case of the example, as the tests need it.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: String,
    pub path: String,
    pub status: String,
    pub tags: Vec<String>,
    pub has_expected: bool,
}

/// Everything a refused command must leave alone.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub head: String,
    pub status: String,
    pub files: BTreeMap<String, Vec<u8>>,
    pub journal: Option<Vec<u8>>,
}

/// A workspace in its own git repository inside a sandbox.
pub struct Workspace {
    pub sb: Sandbox,
    pub root: PathBuf,
}

impl Workspace {
    /// A fresh example workspace, committed (`docket init --example --commit`).
    #[must_use]
    pub fn example() -> Self {
        Sandbox::new().example_workspace("ws")
    }

    /// Runs `docket -C ROOT ARGS...` (from the sandbox root, not the workspace).
    pub fn docket<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        let mut all: Vec<&OsStr> = vec![OsStr::new("-C"), self.root.as_os_str()];
        all.extend(args.iter().map(AsRef::as_ref));
        self.sb.docket(&self.sb.path(), &all)
    }

    /// Runs git in the workspace root.
    pub fn git<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        self.sb.git(&self.root, args)
    }

    /// Runs git in the workspace root, asserts success, returns trimmed stdout.
    #[track_caller]
    pub fn git_out(&self, args: &[&str]) -> String {
        self.git(args).ok().out()
    }

    #[must_use]
    pub fn head(&self) -> String {
        self.git_out(&["rev-parse", "HEAD"])
    }

    #[must_use]
    pub fn commit_count(&self) -> usize {
        self.git_out(&["rev-list", "--count", "HEAD"])
            .parse()
            .unwrap()
    }

    /// `git status --porcelain --untracked-files=all`.
    #[must_use]
    pub fn status(&self) -> String {
        self.git(&["status", "--porcelain", "--untracked-files=all"])
            .ok()
            .stdout
    }

    /// The git blob id of a file in a revision (`git rev-parse REV:PATH`).
    #[must_use]
    pub fn blob_at(&self, rev: &str, path: &str) -> String {
        self.git_out(&["rev-parse", &format!("{rev}:{path}")])
    }

    /// HEAD, status, every work-tree file and the journal.
    #[must_use]
    pub fn snapshot(&self) -> Snapshot {
        let head = self.git(&["rev-parse", "--verify", "-q", "HEAD"]).out();
        let status = self
            .git(&["status", "--porcelain", "--untracked-files=all"])
            .stdout;
        Snapshot {
            head,
            status,
            files: tree_files(&self.root),
            journal: fs::read(self.root.join(".git/docket/journal.json")).ok(),
        }
    }

    /// Asserts nothing changed since `before`.
    #[track_caller]
    pub fn assert_unchanged(&self, before: &Snapshot, what: &str) {
        let after = self.snapshot();
        assert_eq!(before.head, after.head, "{what}: HEAD moved");
        assert_eq!(before.status, after.status, "{what}: git status changed");
        let changed: Vec<&String> = before
            .files
            .keys()
            .chain(after.files.keys())
            .filter(|k| before.files.get(*k) != after.files.get(*k))
            .collect();
        assert!(changed.is_empty(), "{what}: files changed: {changed:?}");
        assert_eq!(before.journal, after.journal, "{what}: journal changed");
    }

    #[must_use]
    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.root.join(rel)).unwrap()
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let p = self.root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, contents).unwrap();
    }

    /// Commits everything with the git command line.
    pub fn git_commit_all(&self, message: &str) -> String {
        self.git(&["add", "-A"]).ok();
        self.git(&["commit", "-q", "-m", message]).ok();
        self.head()
    }

    /// Someone else commits `contents` at `rel` on top of HEAD, built with
    /// plumbing in a separate index, so the work tree (and docket's pending
    /// edit in it) is left as it is. Returns the new commit.
    pub fn commit_elsewhere(&self, rel: &str, contents: &str, message: &str) -> String {
        let scratch = self.sb.path().join("theirs.blob");
        fs::write(&scratch, contents).unwrap();
        let blob = self.git_out(&["hash-object", "-w", scratch.to_str().unwrap()]);
        let index = self.sb.path().join("other-index");
        let _ = fs::remove_file(&index);
        let with_index = |args: &[&str]| {
            let mut cmd = self.sb.command("git", &self.root);
            cmd.env("GIT_INDEX_FILE", &index).args(args);
            Sandbox::run(&mut cmd).ok().out()
        };
        with_index(&["read-tree", "HEAD"]);
        with_index(&[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("100644,{blob},{rel}"),
        ]);
        let tree = with_index(&["write-tree"]);
        let commit = self.git_out(&["commit-tree", &tree, "-p", "HEAD", "-m", message]);
        self.git(&["update-ref", "HEAD", &commit]).ok();
        // As a pull would: the index follows HEAD, the work tree is kept.
        self.git(&["reset", "-q", "--", rel]).ok();
        commit
    }

    /// Adds `n` more failure cases (copies of a `new` case with `[expected]`,
    /// ids `extra-0000`…) and commits them with git. Returns `(id, path)`.
    pub fn add_cases(&self, n: usize) -> Vec<(String, String)> {
        let model = self.promotable(1).remove(0);
        let text = self.read(&model.path);
        let dir = model.path.rsplit_once('/').unwrap().0.to_owned();
        let mut out = Vec::new();
        for i in 0..n {
            let id = format!("extra-{i:04}");
            let path = format!("{dir}/{id}.toml");
            let body: String = text
                .lines()
                .map(|l| {
                    if l.starts_with("id = ") {
                        format!("id = \"{id}\"")
                    } else {
                        l.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            self.write(&path, body + "\n");
            out.push((id, path));
        }
        self.git_commit_all("more cases");
        out
    }

    /// The full message of the last commit.
    #[must_use]
    pub fn last_message(&self) -> String {
        self.git(&["log", "-1", "--format=%B"]).ok().stdout
    }

    /// Asserts `git fsck --strict` passes without errors or warnings.
    #[track_caller]
    pub fn assert_fsck_clean(&self) {
        let r = self.git(&["fsck", "--strict", "--no-progress"]).ok();
        let noise: Vec<&str> = r
            .stderr
            .lines()
            .chain(r.stdout.lines())
            .filter(|l| !l.trim().is_empty())
            // A dangling blob is an object no commit uses; it is not corruption.
            .filter(|l| !l.starts_with("dangling "))
            .collect();
        assert!(noise.is_empty(), "git fsck --strict reported: {noise:?}");
    }

    /// `docket list KIND --json` as an array.
    #[must_use]
    pub fn list(&self, kind: &str) -> Vec<serde_json::Value> {
        let v = self.docket(&["list", kind, "--json"]).ok().json();
        v.as_array()
            .unwrap_or_else(|| panic!("list {kind} --json is not an array: {v}"))
            .clone()
    }

    /// Every failure case of the workspace (from `list failures --json`,
    /// whether it has `[expected]` read from its file).
    #[must_use]
    pub fn cases(&self) -> Vec<Case> {
        self.list("failures")
            .iter()
            .map(|v| {
                let path = v["path"].as_str().unwrap().to_owned();
                let table: toml::Table = self.read(&path).parse().unwrap();
                Case {
                    id: v["id"].as_str().unwrap().to_owned(),
                    status: v["status"].as_str().unwrap().to_owned(),
                    tags: v["tags"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|t| t.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default(),
                    has_expected: table.contains_key("expected"),
                    path,
                }
            })
            .collect()
    }

    /// `n` distinct cases with status `new` and an `[expected]` table.
    #[track_caller]
    #[must_use]
    pub fn promotable(&self, n: usize) -> Vec<Case> {
        let found: Vec<Case> = self
            .cases()
            .into_iter()
            .filter(|c| c.status == "new" && c.has_expected)
            .take(n)
            .collect();
        assert_eq!(
            found.len(),
            n,
            "the example should have {n} `new` failure case(s) with [expected]"
        );
        found
    }

    /// The tag names of the taxonomy in docket.toml.
    #[must_use]
    pub fn taxonomy(&self) -> Vec<String> {
        let cfg: toml::Table = self.read("docket.toml").parse().unwrap();
        let tags: Vec<String> = cfg
            .get("tags")
            .and_then(toml::Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.get("name").and_then(toml::Value::as_str))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        assert!(!tags.is_empty(), "the example taxonomy has no tags");
        tags
    }

    /// A taxonomy tag the case does not carry yet.
    #[track_caller]
    #[must_use]
    pub fn new_tag_for(&self, case: &Case) -> String {
        self.taxonomy()
            .into_iter()
            .find(|t| !case.tags.contains(t))
            .expect("a taxonomy tag the case does not have")
    }

    /// An eval set of the example: `(id, version)`.
    #[track_caller]
    #[must_use]
    pub fn a_set(&self) -> (String, i64) {
        let sets = self.list("sets");
        let s = sets.first().expect("the example should have an eval set");
        (
            s["id"].as_str().unwrap().to_owned(),
            s["version"].as_i64().unwrap(),
        )
    }

    /// The `version` of a set as written in its set.toml.
    #[must_use]
    pub fn set_version(&self, set: &str) -> i64 {
        let t: toml::Table = self
            .read(&format!("evals/sets/{set}/set.toml"))
            .parse()
            .unwrap();
        t["version"].as_integer().unwrap()
    }

    /// The folder (`evals/failures/<YYYY-MM>`) of the first failure case.
    #[must_use]
    pub fn a_month_folder(&self) -> String {
        let c = self.cases().into_iter().next().expect("a failure case");
        c.path.rsplit_once('/').unwrap().0.to_owned()
    }

    /// An agent (runbook id) that exists in the workspace.
    #[must_use]
    pub fn an_agent(&self) -> String {
        self.list("runbooks")[0]["id"].as_str().unwrap().to_owned()
    }
}

/// Every file under `root` except inside `.git`, with its bytes.
#[must_use]
pub fn tree_files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = fs::read_dir(&dir) else { continue };
        for e in rd.filter_map(Result::ok) {
            let p = e.path();
            if p.file_name() == Some(OsStr::new(".git")) {
                continue;
            }
            let t = e.file_type().unwrap();
            if t.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, fs::read(&p).unwrap_or_default());
            }
        }
    }
    out
}

/// Copies the files of `from` (without `.git`) into `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in tree_files(from) {
        let p = to.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }
}

/// The `Docket-Action:` trailers of a commit message, in order.
#[must_use]
pub fn trailers(message: &str) -> Vec<String> {
    message
        .lines()
        .filter_map(|l| l.strip_prefix("Docket-Action: "))
        .map(str::to_owned)
        .collect()
}

/// A drawn screen as text: one line per row, trailing spaces trimmed, a
/// wide character once (the cell it also covers skipped).
pub fn screen_text(buf: &ratatui::buffer::Buffer) -> String {
    use unicode_width::UnicodeWidthStr;
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0usize;
        for x in 0..buf.area.width {
            let sym = buf[(x, y)].symbol();
            if skip > 0 {
                skip -= 1;
                continue;
            }
            line.push_str(sym);
            skip = sym.width().saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The app's state drawn at its own size, as [`screen_text`].
pub fn screen_of(s: &docket::ui::state::AppState) -> String {
    let area = ratatui::layout::Rect::new(0, 0, s.width, s.height);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    docket::ui::view::render(s, area, &mut buf);
    screen_text(&buf)
}

/// The example workspace, loaded by the store, in a fresh UI state of
/// `width`×`height`, through the message the runtime's loader sends.
pub fn loaded_app(width: u16, height: u16) -> docket::ui::state::AppState {
    use docket::ui::state::AppState;
    let ws = Workspace::example();
    let model = docket::store::Store::open(&ws.root)
        .unwrap()
        .load()
        .unwrap();
    let mut s = AppState::new(
        docket::ui::keymap::Keymap::default(),
        docket::ui::theme::Theme::new(false),
        width,
        height,
    );
    let now = s.now;
    docket::ui::update::update(
        &mut s,
        docket::ui::runtime::loads::indexed(model, false, now, None),
    );
    s
}
