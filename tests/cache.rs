//! The load cache (`.git/docket/cache`) against the truth. After hand
//! edits, git moving HEAD, a second worktree, malformed files and a damaged
//! cache, every answer docket gives through a warm (stale) cache must equal,
//! byte for byte, the answer of a fresh load with no cache, reflect the
//! change, leave `git status` alone and leave a complete cache behind.
//!
//! How a scenario is checked ([`verify`]): the cache as it was before the
//! change is put back before *each* read command (`list failures --json`,
//! `check`, `check --json`, `search --json`, `show ID --json`), so every
//! command meets the stale cache; then the same commands run with the cache
//! deleted before each one, and the outputs are compared.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Sandbox, Workspace};
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// A work tree docket runs in (the main one or a linked worktree).
struct At<'a> {
    sb: &'a Sandbox,
    root: PathBuf,
}

impl<'a> At<'a> {
    fn main(ws: &'a Workspace) -> Self {
        Self {
            sb: &ws.sb,
            root: ws.root.clone(),
        }
    }

    fn git(&self, args: &[&str]) -> String {
        self.sb.git(&self.root, args).ok().stdout
    }

    fn cache(&self) -> PathBuf {
        let dir = self.git(&["rev-parse", "--absolute-git-dir"]);
        Path::new(dir.trim()).join("docket/cache")
    }

    fn status(&self) -> String {
        self.git(&["status", "--porcelain", "--untracked-files=all"])
    }

    fn list(&self) -> Vec<serde_json::Value> {
        let r = self
            .sb
            .docket(&self.root, &["list", "failures", "--json"])
            .ok();
        r.json().as_array().unwrap().clone()
    }

    fn path_of(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path_of(rel)).unwrap()
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path_of(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    /// Runs a docket command so that the cache exists and is complete;
    /// returns its bytes (the "warm" cache a later change makes stale).
    fn warm(&self) -> Vec<u8> {
        self.list();
        let bytes = fs::read(self.cache()).expect("a docket load writes the cache");
        assert_eq!(&bytes[..8], b"DKTCACHE");
        bytes
    }
}

/// What to show and search besides the listings and the check.
struct Probe<'a> {
    ids: &'a [&'a str],
    query: &'a str,
}

/// Every read command's exit code, stdout and stderr, `prep` run before each.
fn answers(at: &At<'_>, probe: &Probe<'_>, prep: &dyn Fn()) -> Vec<String> {
    let mut cmds: Vec<Vec<&str>> = vec![
        vec!["list", "failures", "--json"],
        vec!["check"],
        vec!["check", "--json"],
        vec!["search", probe.query, "--json", "--limit", "100"],
    ];
    for id in probe.ids {
        cmds.push(vec!["show", id, "--json"]);
    }
    cmds.iter()
        .map(|args| {
            prep();
            let r = at.sb.docket(&at.root, args);
            format!(
                "$ docket {}\nexit {:?}\n--- stdout\n{}--- stderr\n{}",
                args.join(" "),
                r.code,
                r.stdout,
                r.stderr
            )
        })
        .collect()
}

#[track_caller]
fn assert_same(what: &str, cached: &[String], fresh: &[String]) {
    for (c, f) in cached.iter().zip(fresh) {
        assert!(
            c == f,
            "{what}: through the cache docket answered\n{c}\n\nbut a fresh load with no cache answers\n{f}"
        );
    }
    assert_eq!(cached.len(), fresh.len());
}

/// Removes whatever is at the cache's path.
fn remove_cache(at: &At<'_>) {
    let p = at.cache();
    let _ = fs::remove_file(&p);
    let _ = fs::remove_dir_all(&p);
}

/// What a scenario must leave at the cache's path.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Leaves {
    /// A valid cache holding every case: the next load does not rewrite it.
    Complete,
    /// A valid cache (magic and version); the next load may still parse.
    Valid,
    /// Nothing in particular (the path is not writable).
    Anything,
}

/// The check described in the module comment. `prep` sets up the cache as
/// the scenario wants it before each command. Returns `list failures --json`.
#[track_caller]
fn verify(
    at: &At<'_>,
    what: &str,
    probe: &Probe<'_>,
    prep: &dyn Fn(),
    leaves: Leaves,
) -> Vec<serde_json::Value> {
    let status = at.status();
    let cached = answers(at, probe, prep);
    assert_eq!(at.status(), status, "{what}: the cache shows in git status");
    let cache = at.cache();
    let left = if leaves == Leaves::Anything {
        None
    } else {
        let meta =
            fs::metadata(&cache).unwrap_or_else(|e| panic!("{what}: no cache left behind: {e}"));
        assert!(meta.is_file(), "{what}: the cache is not a file");
        let bytes = fs::read(&cache).unwrap();
        // Complete and valid: the next load finds every case in it, so it
        // parses nothing and does not rewrite it.
        let list = at.sb.docket(&at.root, &["list", "failures", "--json"]).ok();
        if leaves == Leaves::Complete {
            assert_eq!(
                fs::metadata(&cache).unwrap().ino(),
                meta.ino(),
                "{what}: the cache left behind was rewritten by the next load (incomplete or invalid)"
            );
            assert_eq!(fs::read(&cache).unwrap(), bytes, "{what}");
        }
        assert!(
            cached[0].contains(&list.stdout),
            "{what}: the next load through the left cache answers differently"
        );
        Some(bytes)
    };
    let fresh = answers(at, probe, &|| remove_cache(at));
    assert_same(what, &cached, &fresh);
    assert_eq!(at.status(), status, "{what}: the cache shows in git status");
    if let Some(left) = left {
        let rebuilt = fs::read(&cache).unwrap();
        assert_eq!(
            left[..12],
            rebuilt[..12],
            "{what}: the cache left behind has another magic or version"
        );
    }
    at.list()
}

/// [`verify`] with the warm cache `warm` put back before each command.
#[track_caller]
fn verify_stale(at: &At<'_>, what: &str, probe: &Probe<'_>, warm: &[u8]) -> Vec<serde_json::Value> {
    let cache = at.cache();
    let put_back = || fs::write(&cache, warm).unwrap();
    verify(at, what, probe, &put_back, Leaves::Complete)
}

fn find<'v>(list: &'v [serde_json::Value], id: &str) -> Option<&'v serde_json::Value> {
    list.iter().find(|c| c["id"] == id)
}

fn summary(list: &[serde_json::Value], id: &str) -> String {
    find(list, id).unwrap_or_else(|| panic!("{id} is not listed"))["summary"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// `(id, path)` of the first `n` failure cases.
fn some_cases(at: &At<'_>, n: usize) -> Vec<(String, String)> {
    let list = at.list();
    assert!(list.len() >= n);
    list.iter()
        .take(n)
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_owned(),
                c["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The file's text with one letter of its summary changed (same length);
/// returns the text and the new summary.
fn flip_summary_letter(text: &str) -> (String, String) {
    let mut out = String::new();
    let mut new = None;
    for line in text.split_inclusive('\n') {
        if new.is_none()
            && let Some(rest) = line.strip_prefix("summary = \"")
        {
            let i = rest.find(|c: char| c.is_ascii_lowercase()).unwrap();
            let c = rest.as_bytes()[i];
            let swapped = char::from(if c == b'x' { b'y' } else { b'x' });
            let rest = format!("{}{swapped}{}", &rest[..i], &rest[i + 1..]);
            new = Some(rest.trim_end().trim_end_matches('"').to_owned());
            out.push_str("summary = \"");
            out.push_str(&rest);
        } else {
            out.push_str(line);
        }
    }
    assert_eq!(out.len(), text.len());
    (out, new.unwrap())
}

/// The case file at `rel` with its summary replaced.
fn with_summary(text: &str, summary: &str) -> String {
    text.lines()
        .map(|l| {
            if l.starts_with("summary = ") {
                format!("summary = {summary:?}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect()
}

/// A copy of the case text under another id.
fn with_id(text: &str, id: &str) -> String {
    text.lines()
        .map(|l| {
            if l.starts_with("id = ") {
                format!("id = \"{id}\"\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect()
}

/// Edits `rel` in place (same inode, same size) and gives it back its old
/// mtime, as `touch -r`, `cp -p` or `rsync -t` would: only the content and
/// the ctime tell.
fn edit_in_place_keeping_mtime(at: &At<'_>, rel: &str, text: &str) {
    let p = at.path_of(rel);
    let mtime = fs::metadata(&p).unwrap().modified().unwrap();
    let ino = fs::metadata(&p).unwrap().ino();
    fs::write(&p, text).unwrap();
    fs::File::options()
        .write(true)
        .open(&p)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    assert_eq!(fs::metadata(&p).unwrap().ino(), ino);
}

// 1. Hand edits

#[test]
fn an_in_place_same_size_edit_is_seen() {
    let ws = Workspace::example();
    let at = At::main(&ws);
    let cases = some_cases(&at, 2);
    let (id, rel) = &cases[0];
    let warm = at.warm();
    let (text, new) = flip_summary_letter(&at.read(rel));
    at.write(rel, &text);
    let probe = Probe {
        ids: &[id, &cases[1].0],
        query: &new,
    };
    let list = verify_stale(&at, "same-size edit in place", &probe, &warm);
    assert_eq!(summary(&list, id), new);

    // The same again, with the old mtime put back: size, mtime and inode
    // all match git's index; only the ctime differs.
    let warm = at.warm();
    let (text, new) = flip_summary_letter(&at.read(rel));
    at.git(&["add", rel]);
    at.warm();
    let warm2 = fs::read(at.cache()).unwrap();
    assert_eq!(warm.len(), warm2.len());
    edit_in_place_keeping_mtime(&at, rel, &text);
    let list = verify_stale(&at, "same-size edit, mtime kept", &probe, &warm2);
    assert_eq!(summary(&list, id), new);
}

/// The racy case: the edit lands right after git wrote the index, possibly
/// within the same timestamp tick. Tried a few times.
#[test]
fn an_edit_right_after_the_index_write_is_seen() {
    let ws = Workspace::example();
    let at = At::main(&ws);
    let cases = some_cases(&at, 1);
    let (id, rel) = &cases[0];
    for round in 0..4 {
        let (text, new) = flip_summary_letter(&at.read(rel));
        at.warm();
        at.git(&["add", rel]);
        // Straight after git's index write: same size, same inode.
        fs::write(at.path_of(rel), &text).unwrap();
        let warm = fs::read(at.cache()).unwrap();
        let probe = Probe {
            ids: &[id],
            query: &new,
        };
        let list = verify_stale(&at, &format!("racy edit, round {round}"), &probe, &warm);
        assert_eq!(summary(&list, id), new, "round {round}");
    }
}

#[test]
fn an_editor_that_writes_a_new_file_and_renames_it_is_seen() {
    let ws = Workspace::example();
    let at = At::main(&ws);
    let cases = some_cases(&at, 2);
    let (id, rel) = &cases[0];
    let warm = at.warm();
    let p = at.path_of(rel);
    let mtime = fs::metadata(&p).unwrap().modified().unwrap();
    let (text, new) = flip_summary_letter(&at.read(rel));
    let tmp = ws.sb.path().join("editor-save.tmp");
    fs::write(&tmp, &text).unwrap();
    fs::File::options()
        .write(true)
        .open(&tmp)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    fs::rename(&tmp, &p).unwrap();
    let probe = Probe {
        ids: &[id, &cases[1].0],
        query: &new,
    };
    let list = verify_stale(&at, "editor rename", &probe, &warm);
    assert_eq!(summary(&list, id), new);
}

// 2. Files deleted, added, staged, moved

#[test]
fn deleted_added_staged_and_moved_files_are_seen() {
    let ws = Workspace::example();
    let at = At::main(&ws);
    let cases = some_cases(&at, 4);

    // Deleted.
    let warm = at.warm();
    fs::remove_file(at.path_of(&cases[0].1)).unwrap();
    let probe = Probe {
        ids: &[&cases[0].0, &cases[1].0],
        query: "refund",
    };
    let list = verify_stale(&at, "deleted", &probe, &warm);
    assert!(find(&list, &cases[0].0).is_none());

    // Added by hand, untracked.
    let warm = at.warm();
    let folder = cases[1].1.rsplit_once('/').unwrap().0;
    let added = format!("{folder}/hand-added-0001.toml");
    let text = with_summary(
        &with_id(&at.read(&cases[1].1), "hand-added-0001"),
        "Zebra crossing handed over",
    );
    at.write(&added, &text);
    let probe = Probe {
        ids: &["hand-added-0001", &cases[1].0],
        query: "zebra",
    };
    let list = verify_stale(&at, "untracked", &probe, &warm);
    assert_eq!(
        summary(&list, "hand-added-0001"),
        "Zebra crossing handed over"
    );

    // Staged, not committed: the new file, and an edit of a tracked one.
    let warm = at.warm();
    let (text, new) = flip_summary_letter(&at.read(&cases[2].1));
    at.write(&cases[2].1, &text);
    at.git(&["add", &added, &cases[2].1]);
    let probe = Probe {
        ids: &["hand-added-0001", &cases[2].0],
        query: &new,
    };
    let list = verify_stale(&at, "staged", &probe, &warm);
    assert_eq!(summary(&list, &cases[2].0), new);
    assert!(find(&list, "hand-added-0001").is_some());

    // Moved to another month folder: the misfiled warning follows the path.
    let warm = at.warm();
    let (id, rel) = &cases[3];
    let moved = format!("evals/failures/2019-01/{id}.toml");
    fs::create_dir_all(at.path_of("evals/failures/2019-01")).unwrap();
    fs::rename(at.path_of(rel), at.path_of(&moved)).unwrap();
    let probe = Probe {
        ids: &[id],
        query: id,
    };
    let list = verify_stale(&at, "moved to another month", &probe, &warm);
    assert_eq!(find(&list, id).unwrap()["path"], moved.as_str());
    let check = ws.docket(&["check"]);
    assert!(
        check
            .stdout
            .lines()
            .any(|l| l.starts_with(&format!("{moved}:")) && l.contains("filed under 2019-01/")),
        "{}",
        check.stdout
    );
    assert!(!check.stdout.contains(rel.as_str()), "{}", check.stdout);

    // And moved back with git mv's help, staged.
    let warm = at.warm();
    fs::rename(at.path_of(&moved), at.path_of(rel)).unwrap();
    at.git(&["add", "-A", "evals"]);
    let list = verify_stale(&at, "moved back", &probe, &warm);
    assert_eq!(find(&list, id).unwrap()["path"], rel.as_str());
}

/// The same blob at two paths: a case copied into a second month folder
/// (a duplicate id, misfiled there).
#[test]
fn the_same_blob_at_two_paths() {
    let ws = Workspace::example();
    let at = At::main(&ws);
    let cases = some_cases(&at, 1);
    let (id, rel) = &cases[0];
    let warm = at.warm();
    let copy = format!("evals/failures/2019-02/{id}.toml");
    at.write(&copy, &at.read(rel));
    let probe = Probe {
        ids: &[id],
        query: id,
    };
    let cache = at.cache();
    let put_back = || fs::write(&cache, &warm).unwrap();
    // One record per blob id, parsed at one path: the copy's record is not
    // kept, so every load parses it again and rewrites the cache (slower,
    // not wrong): only a valid cache is required here.
    verify(
        &at,
        "same blob at two paths",
        &probe,
        &put_back,
        Leaves::Valid,
    );
    let check = ws.docket(&["check"]);
    assert!(check.stdout.contains(&copy), "{}", check.stdout);
    at.git(&["add", &copy]);
    let warm = at.warm();
    let put_back = || fs::write(&cache, &warm).unwrap();
    let what = "same blob at two paths, staged";
    verify(&at, what, &probe, &put_back, Leaves::Valid);
}

// 3. HEAD moved by another tool

fn branch(at: &At<'_>) -> String {
    at.git(&["rev-parse", "--abbrev-ref", "HEAD"])
        .trim()
        .to_owned()
}

#[test]
fn commit_and_reset_by_git_are_seen() {
    let ws = Workspace::example();
    let at = At::main(&ws);
    let cases = some_cases(&at, 2);
    let (id, rel) = &cases[0];
    let old = summary(&at.list(), id);
    let probe = Probe {
        ids: &[id, &cases[1].0],
        query: &old,
    };
    let warm = at.warm();
    let (text, new) = flip_summary_letter(&at.read(rel));
    at.write(rel, &text);
    at.git(&["commit", "-q", "-am", "hand edit"]);
    let list = verify_stale(&at, "git commit of a hand edit", &probe, &warm);
    assert_eq!(summary(&list, id), new);

    let warm = at.warm();
    at.git(&["reset", "-q", "--hard", "HEAD~1"]);
    let list = verify_stale(&at, "git reset --hard HEAD~1", &probe, &warm);
    assert_eq!(summary(&list, id), old);
}

#[test]
fn checkout_of_another_branch_and_back_is_seen() {
    let ws = Workspace::example();
    let at = At::main(&ws);
    let main = branch(&at);
    let cases = some_cases(&at, 6);
    at.git(&["checkout", "-q", "-b", "other"]);
    let mut changed = Vec::new();
    for (id, rel) in &cases[..2] {
        let (text, new) = flip_summary_letter(&at.read(rel));
        at.write(rel, &text);
        changed.push((id.clone(), new));
    }
    for (_, rel) in &cases[2..4] {
        fs::remove_file(at.path_of(rel)).unwrap();
    }
    let folder = cases[4].1.rsplit_once('/').unwrap().0;
    for n in 0..2 {
        let id = format!("other-only-{n}");
        let text = with_id(&at.read(&cases[4].1), &id);
        at.write(&format!("{folder}/{id}.toml"), &text);
    }
    // A case that is misfiled on this branch only.
    let (mid, mrel) = &cases[5];
    let mtext = at.read(mrel);
    fs::remove_file(at.path_of(mrel)).unwrap();
    at.write(&format!("evals/failures/2019-03/{mid}.toml"), &mtext);
    at.git(&["add", "-A"]);
    at.git(&["commit", "-q", "-m", "other"]);
    at.git(&["checkout", "-q", &main]);
    let main_list = at.list();

    let ids: Vec<&str> = cases
        .iter()
        .map(|c| c.0.as_str())
        .chain(["other-only-0"])
        .collect();
    let probe = Probe {
        ids: &ids,
        query: "other",
    };
    let warm = at.warm();
    at.git(&["checkout", "-q", "other"]);
    let list = verify_stale(&at, "checkout other", &probe, &warm);
    for (id, new) in &changed {
        assert_eq!(&summary(&list, id), new);
    }
    assert!(find(&list, &cases[2].0).is_none());
    assert!(find(&list, "other-only-1").is_some());

    let warm = at.warm();
    at.git(&["checkout", "-q", &main]);
    let list = verify_stale(&at, "checkout back", &probe, &warm);
    assert_eq!(list, main_list);

    // Back and forth once more with the cache that knows both sides.
    at.git(&["checkout", "-q", "other"]);
    let warm = at.warm();
    at.git(&["checkout", "-q", &main]);
    let list = verify_stale(&at, "checkout back again", &probe, &warm);
    assert_eq!(list, main_list);
}

#[test]
fn a_rebase_is_seen() {
    let ws = Workspace::example();
    let at = At::main(&ws);
    let main = branch(&at);
    let cases = some_cases(&at, 3);
    at.git(&["checkout", "-q", "-b", "topic"]);
    let (a_text, a_new) = flip_summary_letter(&at.read(&cases[0].1));
    at.write(&cases[0].1, &a_text);
    at.git(&["commit", "-q", "-am", "topic edit"]);
    at.git(&["checkout", "-q", &main]);
    let (b_text, b_new) = flip_summary_letter(&at.read(&cases[1].1));
    at.write(&cases[1].1, &b_text);
    fs::remove_file(at.path_of(&cases[2].1)).unwrap();
    at.git(&["commit", "-q", "-am", "main edit"]);
    at.git(&["checkout", "-q", "topic"]);
    let warm = at.warm();
    at.git(&["rebase", "-q", &main]);
    let probe = Probe {
        ids: &[&cases[0].0, &cases[1].0, &cases[2].0],
        query: &a_new,
    };
    let list = verify_stale(&at, "rebase", &probe, &warm);
    assert_eq!(summary(&list, &cases[0].0), a_new);
    assert_eq!(summary(&list, &cases[1].0), b_new);
    assert!(find(&list, &cases[2].0).is_none());
}

#[test]
fn stash_and_stash_pop_are_seen() {
    let ws = Workspace::example();
    let at = At::main(&ws);
    let cases = some_cases(&at, 2);
    let before = at.list();
    let (a_text, a_new) = flip_summary_letter(&at.read(&cases[0].1));
    at.write(&cases[0].1, &a_text);
    let (b_text, b_new) = flip_summary_letter(&at.read(&cases[1].1));
    at.write(&cases[1].1, &b_text);
    at.git(&["add", &cases[1].1]);
    let probe = Probe {
        ids: &[&cases[0].0, &cases[1].0],
        query: &a_new,
    };
    let warm = at.warm();
    at.git(&["stash", "-q"]);
    let list = verify_stale(&at, "git stash", &probe, &warm);
    assert_eq!(list, before);

    let warm = at.warm();
    at.git(&["stash", "pop", "-q"]);
    let list = verify_stale(&at, "git stash pop", &probe, &warm);
    assert_eq!(summary(&list, &cases[0].0), a_new);
    assert_eq!(summary(&list, &cases[1].0), b_new);
}

// 4. The cache itself

/// Each way the cache can be damaged, set up before every command.
#[test]
fn a_damaged_or_foreign_cache_is_rebuilt() {
    let ws = Workspace::example();
    let at = At::main(&ws);
    let cases = some_cases(&at, 2);
    // A change on top, so a cache read as if valid would show the old row.
    let (text, new) = flip_summary_letter(&at.read(&cases[0].1));
    let good = at.warm();
    at.write(&cases[0].1, &text);
    let probe = Probe {
        ids: &[&cases[0].0, &cases[1].0],
        query: &new,
    };
    let cache = at.cache();
    let mid = good.len() / 2;
    let mut flipped = good.clone();
    flipped[mid] ^= 0x01;
    let mut foreign = good.clone();
    let v = u32::from_le_bytes(foreign[8..12].try_into().unwrap());
    foreign[8..12].copy_from_slice(&(v + 1).to_le_bytes());
    let mut older = good.clone();
    older[8..12].copy_from_slice(&(v - 1).to_le_bytes());
    let garbage: Vec<u8> = (0..good.len())
        .map(|i| u8::try_from((i * 7 + 3) % 251).unwrap())
        .collect();
    let mut magic_garbage = b"DKTCACHE".to_vec();
    magic_garbage.extend_from_slice(&garbage[8..]);
    let bytes_variants: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", good[..mid].to_vec()),
        ("truncated to the header", good[..28].to_vec()),
        ("one byte flipped in the middle", flipped),
        ("garbage", garbage),
        ("garbage after the magic", magic_garbage),
        ("empty", Vec::new()),
        ("another format version", foreign),
        ("an older format version", older),
    ];
    for (what, bytes) in &bytes_variants {
        let list = verify(
            &at,
            what,
            &probe,
            &|| fs::write(&cache, bytes).unwrap(),
            Leaves::Complete,
        );
        assert_eq!(summary(&list, &cases[0].0), new, "{what}");
    }

    let list = verify(
        &at,
        "deleted",
        &probe,
        &|| remove_cache(&at),
        Leaves::Complete,
    );
    assert_eq!(summary(&list, &cases[0].0), new);

    let dir = || {
        remove_cache(&at);
        fs::create_dir_all(cache.join("sub")).unwrap();
    };
    let list = verify(
        &at,
        "a directory in its place",
        &probe,
        &dir,
        Leaves::Anything,
    );
    assert_eq!(summary(&list, &cases[0].0), new);

    let unreadable = || {
        remove_cache(&at);
        fs::write(&cache, &good).unwrap();
        fs::set_permissions(&cache, fs::Permissions::from_mode(0o000)).unwrap();
    };
    unreadable();
    if fs::read(&cache).is_ok() {
        eprintln!("running as root: chmod 000 does not make the cache unreadable; skipped");
    } else {
        let list = verify(
            &at,
            "unreadable (chmod 000)",
            &probe,
            &unreadable,
            Leaves::Complete,
        );
        assert_eq!(summary(&list, &cases[0].0), new);
    }
    remove_cache(&at);
}

/// A cache from another repository, where the same paths hold other
/// contents, is only ever used by blob id.
#[test]
fn a_cache_copied_from_another_repository_gives_the_right_answer() {
    let ws = Workspace::example();
    let at = At::main(&ws);
    let cases = some_cases(&at, 2);
    for (_, rel) in &cases {
        let (text, _) = flip_summary_letter(&at.read(rel));
        at.write(rel, &text);
    }
    at.git(&["commit", "-q", "-am", "ours"]);
    let other = Workspace::example();
    let theirs = At::main(&other).warm();
    let probe = Probe {
        ids: &[&cases[0].0, &cases[1].0],
        query: "refund",
    };
    verify_stale(&at, "a cache from another repository", &probe, &theirs);
}

// 5. Malformed files

#[test]
fn a_malformed_file_reports_the_same_from_the_cache_and_when_fixed() {
    let ws = Workspace::example();
    let at = At::main(&ws);
    let cases = some_cases(&at, 3);
    let warm = at.warm();
    let (sid, srel) = &cases[0];
    let (bid, brel) = &cases[1];
    let good_s = at.read(srel);
    let good_b = at.read(brel);
    // A syntax error, and a value the schema refuses.
    at.write(srel, &good_s.replacen("summary = \"", "summary = ", 1));
    let bad_b: String = good_b
        .lines()
        .map(|l| {
            if l.starts_with("status = ") {
                "status = \"bogus\"\n".to_owned()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    at.write(brel, &bad_b);
    let probe = Probe {
        ids: &[sid, bid, &cases[2].0],
        query: "refund",
    };
    verify_stale(&at, "malformed", &probe, &warm);
    let first = ws.docket(&["check"]).code(1);
    for rel in [srel, brel] {
        assert!(
            first.stdout.lines().any(|l| {
                l.strip_prefix(&format!("{rel}:"))
                    .and_then(|r| r.split_once(':'))
                    .is_some_and(|(line, _)| line.parse::<usize>().is_ok())
            }),
            "no `{rel}:LINE:` diagnostic:\n{}",
            first.stdout
        );
    }
    // From the cache, identically.
    let second = ws.docket(&["check"]).code(1);
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(first.stderr, second.stderr);
    let json1 = ws.docket(&["check", "--json"]).stdout;
    let json2 = ws.docket(&["check", "--json"]).stdout;
    assert_eq!(json1, json2);

    let warm = at.warm();
    at.write(srel, &good_s);
    at.write(brel, &good_b);
    verify_stale(&at, "fixed", &probe, &warm);
    let fixed = ws.docket(&["check"]).ok();
    assert!(!fixed.stdout.contains(srel.as_str()), "{}", fixed.stdout);
    assert!(!fixed.stdout.contains(brel.as_str()), "{}", fixed.stdout);
    assert!(at.status().is_empty(), "{}", at.status());
}

// 6. Two worktrees of one repository

#[test]
fn each_worktree_lists_its_own_cases() {
    let ws = Workspace::example();
    let at = At::main(&ws);
    let cases = some_cases(&at, 3);
    let wt2 = ws.sb.path().join("wt2");
    at.git(&["worktree", "add", "-q", "-b", "side", wt2.to_str().unwrap()]);
    let side = At {
        sb: &ws.sb,
        root: wt2,
    };
    assert_ne!(side.cache(), at.cache());
    let main_warm = at.warm();
    let side_warm = side.warm();
    // The side worktree commits an edit and a deletion; the main one has an
    // uncommitted edit of another case.
    let (a_text, a_new) = flip_summary_letter(&side.read(&cases[0].1));
    side.write(&cases[0].1, &a_text);
    fs::remove_file(side.path_of(&cases[2].1)).unwrap();
    side.git(&["commit", "-q", "-am", "side"]);
    let (b_text, b_new) = flip_summary_letter(&at.read(&cases[1].1));
    at.write(&cases[1].1, &b_text);
    let probe = Probe {
        ids: &[&cases[0].0, &cases[1].0, &cases[2].0],
        query: "refund",
    };
    let side_list = verify_stale(&side, "side worktree", &probe, &side_warm);
    let main_list = verify_stale(&at, "main worktree", &probe, &main_warm);
    assert_eq!(summary(&side_list, &cases[0].0), a_new);
    assert_ne!(summary(&main_list, &cases[0].0), a_new);
    assert_eq!(summary(&main_list, &cases[1].0), b_new);
    assert_ne!(summary(&side_list, &cases[1].0), b_new);
    assert!(find(&side_list, &cases[2].0).is_none());
    assert!(find(&main_list, &cases[2].0).is_some());

    // Each worktree's cache handed to the other (same blobs, other paths
    // and contents) still gives each its own answer.
    let main_cache = fs::read(at.cache()).unwrap();
    let side_cache = fs::read(side.cache()).unwrap();
    let l = verify_stale(&side, "side with main's cache", &probe, &main_cache);
    assert_eq!(l, side_list);
    let l = verify_stale(&at, "main with side's cache", &probe, &side_cache);
    assert_eq!(l, main_list);
}

// 7. Files whose work-tree bytes are not their blob's bytes (git filters)

/// Lets the clock move past the last write, then has git write its index
/// again (as any later `git add`, `git commit` or `git status` with its
/// optional lock does): the entries just checked out are no longer racy,
/// so their stat data vouch for them.
fn settle_index(at: &At<'_>) {
    std::thread::sleep(std::time::Duration::from_millis(50));
    at.git(&["update-index", "-q", "--force-write-index"]);
}

/// `ident`: the work tree holds `$Id: <blob id> $` where the blob holds
/// `$Id$`. The cache, keyed by the index's blob id, returns the row parsed
/// from the unexpanded bytes seen before the attribute was set.
#[test]

fn an_ident_attribute_added_later_is_seen() {
    let ws = Workspace::example();
    let at = At::main(&ws);
    let cases = some_cases(&at, 1);
    let (id, rel) = &cases[0];
    at.write(rel, &with_summary(&at.read(rel), "Build $Id$ marked flaky"));
    at.git(&["commit", "-q", "-am", "an $Id$ in a summary"]);
    let warm = at.warm();
    at.write(".gitattributes", "*.toml ident\n");
    at.git(&["add", ".gitattributes"]);
    at.git(&["commit", "-q", "-m", "ident"]);
    fs::remove_file(at.path_of(rel)).unwrap();
    at.git(&["checkout", "--", rel]);
    assert!(at.read(rel).contains("$Id: "), "git expanded the ident");
    settle_index(&at);
    let probe = Probe {
        ids: &[id],
        query: "marked flaky",
    };
    let list = verify_stale(&at, "ident attribute", &probe, &warm);
    assert!(summary(&list, id).starts_with("Build $Id: "));
}

/// Like git-crypt's lock and unlock: a clean/smudge filter whose blob is
/// not the work-tree text. Locked (no filter configured), the work tree
/// holds the blob's bytes and docket caches what they parse to; unlocked,
/// the same index entry (same blob id, fresh stat data) stands for the
/// readable file, and the cache answers with the locked file's row.
#[test]

fn a_filter_unlocked_after_a_load_is_seen() {
    let ws = Workspace::example();
    let at = At::main(&ws);
    let cases = some_cases(&at, 2);
    let (id, rel) = &cases[0];
    let rot13 = "tr A-Za-z N-ZA-Mn-za-m";
    let unlock = || {
        ws.sb.git_config(&["filter.rot13.clean", rot13]);
        ws.sb.git_config(&["filter.rot13.smudge", rot13]);
    };
    let lock = || {
        ws.sb.git_config(&["--unset", "filter.rot13.clean"]);
        ws.sb.git_config(&["--unset", "filter.rot13.smudge"]);
    };
    let checkout_again = || {
        fs::remove_file(at.path_of(rel)).unwrap();
        at.git(&["checkout", "--", rel]);
    };
    unlock();
    at.write(".gitattributes", &format!("{rel} filter=rot13\n"));
    at.git(&["add", ".gitattributes"]);
    at.git(&["add", "--renormalize", rel]);
    at.git(&["commit", "-q", "-m", "encrypt one case"]);
    assert!(at.status().is_empty(), "{}", at.status());
    let plain = at.list();

    lock();
    checkout_again();
    assert!(!at.read(rel).contains("summary = "), "locked: ciphertext");
    settle_index(&at);
    at.warm();
    let probe = Probe {
        ids: &[id, &cases[1].0],
        query: "refund",
    };
    let warm = at.warm();

    unlock();
    checkout_again();
    assert!(at.read(rel).contains("summary = "), "unlocked: plain text");
    settle_index(&at);
    let list = verify_stale(&at, "filter unlocked", &probe, &warm);
    assert_eq!(list, plain);
}

/// Line endings: `core.autocrlf` set after a load, and the files checked
/// out again with CRLF. Their rows parse the same, so the answer holds.
#[test]
fn autocrlf_set_after_a_load_gives_the_right_answer() {
    let ws = Workspace::example();
    let at = At::main(&ws);
    let cases = some_cases(&at, 2);
    let warm = at.warm();
    ws.sb.git_config(&["core.autocrlf", "true"]);
    for (_, rel) in &cases {
        fs::remove_file(at.path_of(rel)).unwrap();
        at.git(&["checkout", "--", rel]);
        assert!(at.read(rel).contains("\r\n"));
    }
    settle_index(&at);
    let probe = Probe {
        ids: &[&cases[0].0, &cases[1].0],
        query: "refund",
    };
    verify_stale(&at, "autocrlf", &probe, &warm);
}
