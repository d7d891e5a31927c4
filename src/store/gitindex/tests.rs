//! The reader against what git itself reports (`git ls-files -s`, `--debug`)
//! on real repositories, in every index version, and against broken files.

use super::*;
use proptest::prelude::*;
use std::fmt::Write as _;
use std::fs;
use std::process::Command;

/// A repository made with the git command line, with a sandboxed config.
pub(crate) struct Repo {
    pub tmp: tempfile::TempDir,
}

impl Repo {
    pub fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir(tmp.path().join("home")).unwrap();
        fs::create_dir(tmp.path().join("w")).unwrap();
        let me = Self { tmp };
        me.git(&["init", "-q"]);
        me
    }

    pub fn work(&self) -> std::path::PathBuf {
        self.tmp.path().join("w")
    }

    pub fn git_dir(&self) -> std::path::PathBuf {
        self.work().join(".git")
    }

    /// Runs git, whatever its exit status.
    pub fn try_git(&self, args: &[&str]) -> std::process::Output {
        let mut cmd = Command::new("git");
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("GIT_") {
                cmd.env_remove(k);
            }
        }
        let home = self.tmp.path().join("home");
        cmd.args(args)
            .current_dir(self.work())
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
            .env("GIT_AUTHOR_NAME", "T")
            .env("GIT_AUTHOR_EMAIL", "t@e")
            .env("GIT_COMMITTER_NAME", "T")
            .env("GIT_COMMITTER_EMAIL", "t@e")
            .env("LC_ALL", "C")
            .output()
            .unwrap()
    }

    pub fn git(&self, args: &[&str]) -> String {
        let out = self.try_git(args);
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.work().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    /// A small tree: nested folders, an executable, a symlink, an empty file.
    pub fn populate(&self) {
        self.write("a.txt", "a\n");
        self.write("evals/failures/2026-11/x-1.toml", "id = \"x-1\"\n");
        self.write("evals/failures/2026-11/x-2.toml", "id = \"x-2\"\n");
        self.write("evals/failures/2026-12/y.toml", "");
        self.write("run.sh", "#!/bin/sh\n");
        self.write("deep/er/still/z.txt", "z\n");
        let sh = self.work().join("run.sh");
        let mut perm = fs::metadata(&sh).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o755);
        fs::set_permissions(&sh, perm).unwrap();
        std::os::unix::fs::symlink("a.txt", self.work().join("link")).unwrap();
        self.git(&["add", "-A"]);
    }
}

/// What `git ls-files -s` prints, from our entries.
fn stage_listing(s: &IndexSnapshot) -> String {
    s.entries.iter().fold(String::new(), |mut out, e| {
        let _ = writeln!(out, "{:o} {} 0\t{}", e.stat.mode, e.oid, e.path);
        out
    })
}

/// What `git ls-files --debug` prints, from our entries, without the flags
/// (git prints its in-memory flags there, not the file's).
fn debug_listing(s: &IndexSnapshot) -> String {
    s.entries.iter().fold(String::new(), |mut out, e| {
        let st = &e.stat;
        let _ = write!(
            out,
            "{}\n  ctime: {}:{}\n  mtime: {}:{}\n  dev: {}\tino: {}\n  uid: {}\tgid: {}\n  size: {}\n",
            e.path, st.ctime.0, st.ctime.1, st.mtime.0, st.mtime.1, st.dev, st.ino, st.uid, st.gid, st.size
        );
        out
    })
}

fn git_debug(repo: &Repo) -> String {
    let text = repo.git(&["ls-files", "--debug"]);
    text.lines().fold(String::new(), |mut out, l| {
        let l = l.split("\tflags:").next().unwrap_or(l);
        let _ = writeln!(out, "{l}");
        out
    })
}

fn version(repo: &Repo) -> u32 {
    let bytes = fs::read(repo.git_dir().join("index")).unwrap();
    be32(&bytes, 4).unwrap()
}

fn same_as_git(repo: &Repo) -> IndexSnapshot {
    let snap = read(&repo.git_dir()).unwrap();
    assert_eq!(stage_listing(&snap), repo.git(&["ls-files", "-s"]));
    assert_eq!(debug_listing(&snap), git_debug(repo));
    assert!(!snap.unmerged);
    snap
}

#[test]
fn version_2_matches_git() {
    let repo = Repo::new();
    assert!(
        read(&repo.git_dir()).unwrap().entries.is_empty(),
        "no index yet"
    );
    repo.populate();
    repo.git(&["commit", "-qm", "one"]);
    // A cache tree (TREE) is written by commit; also untracked cache.
    repo.git(&["update-index", "--untracked-cache"]);
    repo.git(&["status", "--porcelain"]);
    assert_eq!(version(&repo), 2);
    let snap = same_as_git(&repo);
    assert_eq!(snap.entries.len(), 7);
    assert!(snap.mtime.is_some());
    let sub = read_filtered(&repo.git_dir(), "evals/failures/").unwrap();
    let paths: Vec<_> = sub.entries.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths.len(), 3);
    assert!(paths.iter().all(|p| p.starts_with("evals/failures/")));
}

#[test]
fn version_3_flags_match_git() {
    let repo = Repo::new();
    repo.populate();
    repo.git(&["commit", "-qm", "one"]);
    repo.git(&["update-index", "--skip-worktree", "a.txt"]);
    repo.write("new.txt", "new\n");
    repo.git(&["add", "-N", "new.txt"]);
    repo.git(&["update-index", "--assume-unchanged", "run.sh"]);
    assert_eq!(version(&repo), 3);
    let snap = same_as_git(&repo);
    let get = |p: &str| snap.entries.iter().find(|e| e.path == p).unwrap();
    assert!(get("a.txt").skip_worktree && !get("a.txt").intent_to_add);
    assert!(get("new.txt").intent_to_add && !get("new.txt").skip_worktree);
    assert!(get("run.sh").assume_valid);
    let flagged = snap
        .entries
        .iter()
        .filter(|e| e.skip_worktree || e.intent_to_add || e.assume_valid);
    assert_eq!(flagged.count(), 3);
}

#[test]
fn version_4_matches_git() {
    let repo = Repo::new();
    repo.populate();
    repo.git(&["update-index", "--skip-worktree", "a.txt"]);
    repo.git(&["update-index", "--index-version", "4"]);
    assert_eq!(version(&repo), 4);
    let snap = same_as_git(&repo);
    assert!(snap.entries.iter().any(|e| e.skip_worktree));
}

#[test]
fn unmerged_entries_are_flagged_and_skipped() {
    let repo = Repo::new();
    repo.write("f", "base\n");
    repo.git(&["add", "f"]);
    repo.git(&["commit", "-qm", "base"]);
    repo.git(&["checkout", "-qb", "other"]);
    repo.write("f", "other\n");
    repo.git(&["commit", "-qam", "other"]);
    repo.git(&["checkout", "-q", "-"]);
    repo.write("f", "mine\n");
    repo.write("g", "g\n");
    repo.git(&["add", "f", "g"]);
    repo.git(&["commit", "-qm", "mine"]);
    assert!(!repo.try_git(&["merge", "-q", "other"]).status.success());
    let snap = read(&repo.git_dir()).unwrap();
    assert!(snap.unmerged);
    let paths: Vec<_> = snap.entries.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["g"]);
}

#[test]
fn split_and_sparse_indexes_are_unsupported() {
    let repo = Repo::new();
    repo.populate();
    repo.git(&["update-index", "--split-index"]);
    assert!(matches!(
        read(&repo.git_dir()),
        Err(IndexError::Unsupported(_))
    ));

    let repo = Repo::new();
    repo.populate();
    repo.git(&["commit", "-qm", "one"]);
    repo.git(&[
        "sparse-checkout",
        "set",
        "--cone",
        "--sparse-index",
        "evals",
    ]);
    assert!(matches!(
        read(&repo.git_dir()),
        Err(IndexError::Unsupported(_))
    ));
}

#[test]
fn truncated_or_garbled_indexes_are_errors() {
    for v in ["2", "4"] {
        let repo = Repo::new();
        repo.populate();
        repo.git(&["commit", "-qm", "one"]);
        repo.git(&["update-index", "--index-version", v]);
        let bytes = fs::read(repo.git_dir().join("index")).unwrap();
        let layout = walk(&bytes, |_| {}).unwrap();
        for n in 0..bytes.len() {
            // Cut right after its entries, an index reads as one without
            // extensions: only the unchecked checksum could tell.
            if n == layout.entries_end + HASH_LEN {
                continue;
            }
            assert!(walk(&bytes[..n], |_| {}).is_err(), "v{v} cut at {n}");
        }
        // A count larger than the entries present.
        let mut more = bytes.clone();
        more[11] += 1;
        assert!(walk(&more, |_| {}).is_err());
        // Garbage where an extension should be.
        let mut junk = bytes.clone();
        let at = walk(&bytes, |_| {}).unwrap().entries_end;
        junk[at] = b'x';
        assert!(matches!(
            walk(&junk, |_| {}),
            Err(IndexError::Unsupported(_))
        ));
        fs::write(repo.git_dir().join("index"), b"DIRC\0\0\0\x09").unwrap();
        assert!(matches!(read(&repo.git_dir()), Err(IndexError::Corrupt(_))));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// No input makes the reader panic, however it is garbled.
    #[test]
    fn garbage_never_panics(version in 2u8..5, count in 0u8..4, body in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut bytes = b"DIRC\0\0\0".to_vec();
        bytes.push(version);
        bytes.extend_from_slice(&[0, 0, 0, count]);
        bytes.extend_from_slice(&body);
        let _ = walk(&bytes, |r| { let _ = r.to_entry(); });
    }
}

#[test]
fn flipped_bytes_of_a_real_index_never_panic() {
    let repo = Repo::new();
    repo.populate();
    repo.git(&["commit", "-qm", "one"]);
    repo.git(&["update-index", "--index-version", "4"]);
    let bytes = fs::read(repo.git_dir().join("index")).unwrap();
    for i in 0..bytes.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut b = bytes.clone();
            b[i] ^= flip;
            let _ = walk(&b, |r| {
                let _ = r.to_entry();
            });
        }
    }
}

fn entry<'a>(snap: &'a IndexSnapshot, path: &str) -> &'a IndexEntry {
    snap.entries.iter().find(|e| e.path == path).unwrap()
}

#[test]
fn clean_after_add_dirty_after_append() {
    let repo = Repo::new();
    repo.write("f.txt", "one\n");
    repo.write("g.txt", "two\n");
    // Files older than the index: not racy.
    let touch = Command::new("touch")
        .args(["-d", "2020-01-01 00:00:00", "f.txt", "g.txt"])
        .current_dir(repo.work())
        .status()
        .unwrap();
    assert!(touch.success());
    repo.git(&["add", "-A"]);
    let snap = read(&repo.git_dir()).unwrap();
    let meta = |p: &str| fs::symlink_metadata(repo.work().join(p)).unwrap();
    assert!(is_clean(entry(&snap, "f.txt"), &meta("f.txt"), snap.mtime));
    {
        use std::io::Write as _;
        let mut f = fs::OpenOptions::new()
            .append(true)
            .open(repo.work().join("f.txt"))
            .unwrap();
        f.write_all(b"more\n").unwrap();
    }
    assert!(!is_clean(entry(&snap, "f.txt"), &meta("f.txt"), snap.mtime));
    assert!(is_clean(entry(&snap, "g.txt"), &meta("g.txt"), snap.mtime));
    // A changed exec bit is a change, as git sees it (core.filemode).
    let g = repo.work().join("g.txt");
    let mut perm = fs::metadata(&g).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o755);
    fs::set_permissions(&g, perm).unwrap();
    assert!(!is_clean(entry(&snap, "g.txt"), &meta("g.txt"), snap.mtime));
    // No index time, no judgement.
    assert!(!is_clean(entry(&snap, "g.txt"), &meta("g.txt"), None));
}

#[test]
fn racy_entries_are_not_clean() {
    let repo = Repo::new();
    repo.write("f.txt", "one\n");
    // A file modified "after" the index was written (clock skew, or the
    // same tick): stat data cannot prove it unchanged.
    let touch = Command::new("touch")
        .args(["-d", "2099-01-01 00:00:00", "f.txt"])
        .current_dir(repo.work())
        .status()
        .unwrap();
    assert!(touch.success());
    repo.git(&["add", "f.txt"]);
    let snap = read(&repo.git_dir()).unwrap();
    let e = entry(&snap, "f.txt");
    let meta = fs::symlink_metadata(repo.work().join("f.txt")).unwrap();
    assert!(!is_clean(e, &meta, snap.mtime));
    // The same entry is clean once the index is newer than it.
    let later =
        SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(u64::from(e.stat.mtime.0) + 1);
    assert!(is_clean(e, &meta, Some(later)));
    // Same second, same nanosecond: still racy.
    let same = SystemTime::UNIX_EPOCH
        + std::time::Duration::new(u64::from(e.stat.mtime.0), e.stat.mtime.1);
    assert!(!is_clean(e, &meta, Some(same)));
}

#[test]
fn intent_to_add_is_never_clean() {
    let repo = Repo::new();
    repo.write("f.txt", "one\n");
    repo.git(&["add", "-N", "f.txt"]);
    let snap = read(&repo.git_dir()).unwrap();
    let meta = fs::symlink_metadata(repo.work().join("f.txt")).unwrap();
    let far = SystemTime::now() + std::time::Duration::from_secs(3600);
    assert!(!is_clean(entry(&snap, "f.txt"), &meta, Some(far)));
}

/// A path too long for the flags' 12-bit length field (no file system here
/// takes one): git writes 0xfff and the reader looks for the NUL.
#[test]
fn long_paths_are_read_to_their_nul() {
    let path = "n/".repeat(2500) + "x";
    let mut b = b"DIRC\0\0\0\x02\0\0\0\x01".to_vec();
    b.extend_from_slice(&[0; 24]);
    b.extend_from_slice(&0o100_644u32.to_be_bytes());
    b.extend_from_slice(&[0; 12]);
    b.extend_from_slice(&[0xab; 20]);
    b.extend_from_slice(&0x0fffu16.to_be_bytes());
    b.extend_from_slice(path.as_bytes());
    b.push(0);
    while !(b.len() - 12).is_multiple_of(8) {
        b.push(0);
    }
    b.extend_from_slice(&[0; 20]);
    let mut seen = Vec::new();
    walk(&b, |r| seen.push(r.to_entry().unwrap())).unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, path);
    assert_eq!(seen[0].stat.mode, 0o100_644);
}

#[test]
fn varint_matches_git() {
    assert_eq!(varint(&[0x00]), Some((0, 1)));
    assert_eq!(varint(&[0x7f]), Some((127, 1)));
    assert_eq!(varint(&[0x80, 0x00]), Some((128, 2)));
    assert_eq!(varint(&[0x80, 0x7f]), Some((255, 2)));
    assert_eq!(varint(&[0x80]), None);
    assert_eq!(varint(&[0xff; 20]), None, "overflow is an error");
}
