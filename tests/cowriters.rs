//! docket and git as co-writers of one repository: a user who follows
//! `init`'s advice (`git add` + `git commit`), commits made elsewhere on top
//! of a pending docket change, true conflicts and how out of them, and
//! `discard`'s confirmation. Every scenario is checked with the git command
//! line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Sandbox, Workspace, trailers};

fn toml_at(ws: &Workspace, rev: &str, rel: &str) -> toml::Table {
    ws.git_out(&["show", &format!("{rev}:{rel}")])
        .parse()
        .unwrap()
}

fn tags_of(t: &toml::Table) -> Vec<String> {
    t["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// The measured data loss: `init --example` without `--commit`, the user's
/// own `git add -A && git commit`, then tag, note and promote from the CLI,
/// then `docket commit`. Nothing may be lost and the commit must go through.
#[test]
fn init_then_git_commit_then_triage_loses_nothing() {
    let sb = Sandbox::new();
    let root = sb.path().join("ws");
    let run = sb
        .docket(&sb.path(), &["init", root.to_str().unwrap(), "--example"])
        .ok();
    assert!(
        run.stdout.contains("or `git add` them yourself"),
        "{}",
        run.stdout
    );
    let ws = Workspace { sb, root };
    let init = ws.git_commit_all("initial import");

    let cases = ws.promotable(2);
    let (set, version) = ws.a_set();
    let tag = ws.new_tag_for(&cases[0]);
    let run = ws.docket(&["tag", &cases[0].id, &tag]).ok();
    assert!(
        run.stderr.contains(&format!(
            "1 pending change(s) were committed outside docket in {}",
            &init[..7]
        )),
        "the init change is reported as committed by the user: {}",
        run.stderr
    );
    ws.docket(&["note", &cases[0].id, "seen twice this week"])
        .ok();
    ws.docket(&["promote", &cases[1].id, &set]).ok();

    let run = ws.docket(&["commit"]).ok();
    assert!(
        !run.stderr.contains("outside docket"),
        "said once: {}",
        run.stderr
    );
    assert_eq!(ws.git_out(&["rev-parse", "HEAD~1"]), init);
    assert_eq!(
        trailers(&ws.last_message()),
        vec![
            format!("tag {} +{tag}", cases[0].id),
            format!("note {}", cases[0].id),
            format!("promote {} -> {set}@v{}", cases[1].id, version + 1),
        ]
    );
    let t = toml_at(&ws, "HEAD", &cases[0].path);
    assert!(tags_of(&t).contains(&tag));
    let notes = t["notes"].as_array().unwrap();
    assert_eq!(
        notes.last().unwrap()["text"].as_str(),
        Some("seen twice this week")
    );
    let p = toml_at(&ws, "HEAD", &cases[1].path);
    assert_eq!(p["status"].as_str(), Some("promoted"));
    ws.git_out(&[
        "cat-file",
        "-e",
        &format!("HEAD:evals/sets/{set}/cases/{}.toml", cases[1].id),
    ]);
    assert_eq!(ws.status(), "");
    ws.assert_fsck_clean();
}

/// The same user commits docket's pending files with git between docket
/// commands: each command picks up where git left off.
#[test]
fn git_commit_between_docket_commands() {
    let ws = Workspace::example();
    let c = ws.promotable(1).remove(0);
    let tags = ws.taxonomy();
    let fresh: Vec<&String> = tags.iter().filter(|t| !c.tags.contains(t)).collect();
    ws.docket(&["tag", &c.id, fresh[0]]).ok();
    // Staged, then docket changes the file again, then git commits the
    // staged version only.
    ws.git(&["add", &c.path]).ok();
    ws.docket(&["note", &c.id, "after the add"]).ok();
    ws.git(&["commit", "-q", "-m", "the tag, by hand"]).ok();
    let by_hand = ws.head();
    assert!(tags_of(&toml_at(&ws, "HEAD", &c.path)).contains(fresh[0]));

    ws.docket(&["commit"]).ok();
    assert_eq!(ws.git_out(&["rev-parse", "HEAD~1"]), by_hand);
    assert_eq!(
        trailers(&ws.last_message()),
        vec![format!("note {}", c.id)],
        "the tag is in the user's commit already"
    );
    assert_eq!(ws.status(), "");
}

/// A tag added on each side gives both tags; notes from both sides are kept.
#[test]
fn tags_and_notes_from_both_sides_are_merged() {
    let ws = Workspace::example();
    let c = ws.promotable(1).remove(0);
    let tags = ws.taxonomy();
    let fresh: Vec<String> = tags
        .iter()
        .filter(|t| !c.tags.contains(t))
        .cloned()
        .collect();
    ws.docket(&["tag", &c.id, &fresh[0]]).ok();
    ws.docket(&["note", &c.id, "ours"]).ok();

    let head_text = ws.git_out(&["show", &format!("HEAD:{}", c.path)]) + "\n";
    let theirs = head_text.replacen("tags = [", &format!("tags = [\"{}\", ", fresh[1]), 1)
        + "\n[[notes]]\nauthor = \"lee@example.com\"\nat = 2026-11-20T09:00:00Z\ntext = \"theirs\"\n";
    let other = ws.commit_elsewhere(&c.path, &theirs, "a teammate's triage");

    ws.docket(&["commit"]).ok();
    assert_eq!(ws.git_out(&["rev-parse", "HEAD~1"]), other);
    let t = toml_at(&ws, "HEAD", &c.path);
    let got = tags_of(&t);
    assert!(
        got.contains(&fresh[0]) && got.contains(&fresh[1]),
        "{got:?}"
    );
    let texts: Vec<&str> = t["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    let (i, j) = (
        texts.iter().position(|x| *x == "theirs").unwrap(),
        texts.iter().position(|x| *x == "ours").unwrap(),
    );
    assert!(i < j, "notes in time order: {texts:?}");
    assert_eq!(ws.status(), "");
    ws.assert_fsck_clean();
}

/// A set bumped on the other side: our promotion goes into the next version
/// and every file that names the version agrees.
#[test]
fn promotion_is_renumbered_when_the_set_moved() {
    let ws = Workspace::example();
    let c = ws.promotable(1).remove(0);
    let (set, version) = ws.a_set();
    ws.docket(&["promote", &c.id, &set]).ok();
    let set_path = format!("evals/sets/{set}/set.toml");
    let theirs = ws.git_out(&["show", &format!("HEAD:{set_path}")]).replace(
        &format!("version = {version}"),
        &format!("version = {}", version + 1),
    ) + "\n";
    ws.commit_elsewhere(&set_path, &theirs, "another promotion elsewhere");

    ws.docket(&["commit"]).ok();
    let v = version + 2;
    assert_eq!(
        toml_at(&ws, "HEAD", &set_path)["version"].as_integer(),
        Some(v)
    );
    let f = toml_at(&ws, "HEAD", &c.path);
    assert_eq!(f["promotion"]["version"].as_integer(), Some(v));
    let sc = toml_at(
        &ws,
        "HEAD",
        &format!("evals/sets/{set}/cases/{}.toml", c.id),
    );
    assert_eq!(sc["provenance"]["added_in_version"].as_integer(), Some(v));
    assert_eq!(
        trailers(&ws.last_message()),
        vec![format!("promote {} -> {set}@v{v}", c.id)]
    );
    assert_eq!(ws.status(), "");
    ws.assert_fsck_clean();
}

/// Dismissed on the other side, promoted here: a true conflict. The commit
/// is refused naming both sides and changes nothing; both ways out that the
/// message names work.
#[test]
fn dismissed_there_promoted_here_is_a_conflict_with_two_ways_out() {
    let ws = Workspace::example();
    let c = ws.promotable(1).remove(0);
    let (set, _) = ws.a_set();
    ws.docket(&["promote", &c.id, &set]).ok();
    let theirs = ws
        .git_out(&["show", &format!("HEAD:{}", c.path)])
        .replace("status = \"new\"", "status = \"dismissed\"")
        + "\n[dismissal]\nreason = \"duplicate\"\nby = \"lee@example.com\"\nat = 2026-11-20T09:00:00Z\n";
    let other = ws.commit_elsewhere(&c.path, &theirs, "dismissed elsewhere");

    let before = ws.snapshot();
    let msg = ws.docket(&["commit"]).refused(&[
        &c.id,
        "promoted into",
        "dismissed (duplicate)",
        "docket discard",
        "commit --all",
    ]);
    assert!(msg.contains(&c.path), "{msg}");
    ws.assert_unchanged(&before, "a conflicted commit");
    assert_eq!(ws.head(), other);

    // Way out 1: keep HEAD's side. discard names what it drops and, with no
    // terminal to ask on, wants --yes.
    ws.docket(&["discard"])
        .refused(&["promote", &c.id, "--yes"]);
    ws.assert_unchanged(&before, "discard without --yes");
    let run = ws.docket(&["discard", "--yes"]).ok();
    assert!(
        run.stderr.contains(&format!("promote {}", c.id)),
        "{}",
        run.stderr
    );
    assert_eq!(ws.status(), "");

    // Way out 2 (a fresh conflict): keep ours by editing the file to say
    // what was decided, then `commit --all`.
    let ws = Workspace::example();
    let c = ws.promotable(1).remove(0);
    ws.docket(&["promote", &c.id, &set]).ok();
    let ours = ws.read(&c.path);
    let theirs = ws
        .git_out(&["show", &format!("HEAD:{}", c.path)])
        .replace("status = \"new\"", "status = \"dismissed\"")
        + "\n[dismissal]\nreason = \"duplicate\"\nby = \"lee@example.com\"\nat = 2026-11-20T09:00:00Z\n";
    ws.commit_elsewhere(&c.path, &theirs, "dismissed elsewhere");
    ws.docket(&["commit"]).refused(&["conflict"]);
    ws.write(
        &c.path,
        format!("{ours}# kept promoted: reviewed with lee\n"),
    );
    ws.docket(&["commit", "--all"]).ok();
    let f = toml_at(&ws, "HEAD", &c.path);
    assert_eq!(f["status"].as_str(), Some("promoted"));
    assert_eq!(ws.status(), "");
    ws.assert_fsck_clean();
}

/// The case deleted on the other side while a tag is pending: a conflict,
/// never a silent resurrection or loss.
#[test]
fn deleted_there_tagged_here_is_a_conflict() {
    let ws = Workspace::example();
    let c = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&c);
    ws.docket(&["tag", &c.id, &tag]).ok();
    let index = ws.sb.path().join("idx");
    let mut cmd = ws.sb.command("git", &ws.root);
    cmd.env("GIT_INDEX_FILE", &index)
        .args(["read-tree", "HEAD"]);
    Sandbox::run(&mut cmd).ok();
    let mut cmd = ws.sb.command("git", &ws.root);
    cmd.env("GIT_INDEX_FILE", &index)
        .args(["rm", "-q", "--cached", &c.path]);
    Sandbox::run(&mut cmd).ok();
    let mut cmd = ws.sb.command("git", &ws.root);
    cmd.env("GIT_INDEX_FILE", &index).args(["write-tree"]);
    let tree = Sandbox::run(&mut cmd).ok().out();
    let commit = ws.git_out(&["commit-tree", &tree, "-p", "HEAD", "-m", "removed"]);
    ws.git(&["update-ref", "HEAD", &commit]).ok();
    ws.docket(&["commit"]).refused(&["deleted", &c.id]);
    assert_eq!(ws.head(), commit);
    assert!(ws.read(&c.path).contains(&tag), "the pending tag is kept");
}

/// `undo` refuses to drop an edit made by hand after docket's change.
#[test]
fn undo_keeps_a_later_hand_edit() {
    let ws = Workspace::example();
    let c = ws.promotable(1).remove(0);
    ws.docket(&["note", &c.id, "pending"]).ok();
    let edited = format!("{}# by hand\n", ws.read(&c.path));
    ws.write(&c.path, &edited);
    ws.docket(&["undo"]).refused(&["edited since", &c.path]);
    assert_eq!(ws.read(&c.path), edited);
}

/// A hand edit made between two docket changes, with a `git commit -a` in
/// between: the edit survives and commits with the later change.
#[test]
fn a_hand_edit_between_docket_changes_survives() {
    let ws = Workspace::example();
    let c = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&c);
    ws.docket(&["tag", &c.id, &tag]).ok();
    ws.git(&["commit", "-qam", "the tag, by hand"]).ok();
    let edited = ws
        .read(&c.path)
        .replacen("summary = \"", "summary = \"EDITED ", 1);
    ws.write(&c.path, &edited);
    ws.docket(&["note", &c.id, "after the edit"]).ok();
    assert!(
        ws.read(&c.path).contains("EDITED "),
        "the edit is kept on disk"
    );
    ws.docket(&["commit", "--all"]).ok();
    let head = ws.git_out(&["show", &format!("HEAD:{}", c.path)]);
    assert!(
        head.contains("EDITED ") && head.contains("after the edit"),
        "{head}"
    );
    assert_eq!(ws.status(), "");
}

/// A case file with a hand edit staged and committed with git, another
/// left unstaged, and a docket tag on top. Returns the workspace, the case,
/// the tag and the user's own text (both edits, no tag).
fn partly_staged() -> (Workspace, common::Case, String, String) {
    let ws = Workspace::example();
    let c = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&c);
    let text = ws.read(&c.path);
    let staged = text.replacen("summary = \"", "summary = \"STAGED ", 1);
    ws.write(&c.path, &staged);
    ws.git(&["add", &c.path]).ok();
    let both = staged.replacen("id = \"", "# UNSTAGED\nid = \"", 1);
    ws.write(&c.path, &both);
    ws.docket(&["tag", &c.id, &tag]).ok();
    ws.git(&["commit", "-qm", "the staged part"]).ok();
    (ws, c, tag, both)
}

/// Part of a file staged and committed with git, another hand edit left
/// unstaged, a docket change on top: never silently dropped. The commit is
/// refused as a conflict; `commit --all` (one of the ways out it names)
/// commits everything, and `discard` would keep the hand edit too.
#[test]
fn partial_staging_under_a_docket_change_loses_nothing() {
    let (ws, c, tag, _) = partly_staged();
    ws.docket(&["commit"])
        .refused(&["conflict", "edited by hand"]);
    let now = ws.read(&c.path);
    assert!(now.contains("# UNSTAGED") && now.contains(&format!("\"{tag}\"")));
    ws.docket(&["commit", "--all"]).ok();
    let head = ws.git_out(&["show", &format!("HEAD:{}", c.path)]);
    assert!(
        head.contains("# UNSTAGED")
            && head.contains("STAGED ")
            && head.contains(&format!("\"{tag}\""))
    );
    assert_eq!(ws.status(), "");
}

/// The other way out of that conflict: `discard` drops docket's tag and
/// keeps the user's own edits.
#[test]
fn discard_after_partial_staging_keeps_the_users_edits() {
    let (ws, c, _, both) = partly_staged();
    ws.docket(&["discard", "--yes"]).ok();
    assert_eq!(ws.read(&c.path), both, "exactly the user's own text");
}

/// `promote` then `git commit -am` (which leaves the new set case file
/// out): docket's own bump is recognised; every file agrees on one version.
#[test]
fn promote_then_git_commit_all_keeps_one_version() {
    let ws = Workspace::example();
    let c = ws.promotable(1).remove(0);
    let (set, version) = ws.a_set();
    ws.docket(&["promote", &c.id, &set]).ok();
    ws.git(&["commit", "-qam", "wip"]).ok();
    ws.docket(&["commit"]).ok();
    let v = version + 1;
    let set_path = format!("evals/sets/{set}/set.toml");
    assert_eq!(
        toml_at(&ws, "HEAD", &set_path)["version"].as_integer(),
        Some(v)
    );
    assert_eq!(
        toml_at(&ws, "HEAD", &c.path)["promotion"]["version"].as_integer(),
        Some(v)
    );
    let sc = toml_at(
        &ws,
        "HEAD",
        &format!("evals/sets/{set}/cases/{}.toml", c.id),
    );
    assert_eq!(sc["provenance"]["added_in_version"].as_integer(), Some(v));
    assert_eq!(ws.status(), "");
}

/// `init`, the user's `git add -A && git commit`, then one hand edit: that
/// is an ordinary hand edit, not a conflict, and nothing docket does loses
/// it.
#[test]
fn a_hand_edit_after_committing_init_by_hand_is_just_a_hand_edit() {
    let sb = Sandbox::new();
    let root = sb.path().join("ws");
    sb.docket(&sb.path(), &["init", root.to_str().unwrap(), "--example"])
        .ok();
    let ws = Workspace { sb, root };
    ws.git_commit_all("init");
    let c = ws.promotable(1).remove(0);
    let edited = format!("{}# mine\n", ws.read(&c.path));
    ws.write(&c.path, &edited);
    let run = ws.docket(&["commit"]).code(2);
    assert!(run.stderr.contains("nothing to commit"), "{}", run.stderr);
    assert!(!run.stderr.contains("conflict"), "{}", run.stderr);
    ws.docket(&["discard", "--yes"]).ok();
    assert_eq!(ws.read(&c.path), edited);
    ws.docket(&["commit", "--all"]).ok();
    assert_eq!(ws.status(), "");
}

/// Two workspaces in one repository keep separate journals: committing one
/// never drops the other's pending changes.
#[test]
fn two_workspaces_in_one_repository_keep_their_own_pending_changes() {
    let sb = Sandbox::new();
    let repo = sb.path().join("repo");
    sb.git(&sb.path(), &["init", "-q", "repo"]).ok();
    for w in ["a", "b"] {
        sb.docket(&repo, &["init", w, "--example"]).ok();
    }
    sb.git(&repo, &["add", "-A"]).ok();
    sb.git(&repo, &["commit", "-qm", "two workspaces"]).ok();
    let a = Workspace {
        sb,
        root: repo.join("a"),
    };
    let c = a.promotable(1).remove(0);
    let tag = a.new_tag_for(&c);
    a.docket(&["tag", &c.id, &tag]).ok();
    let b = a.sb.docket(&repo.join("b"), &["commit"]);
    assert!(!b.stderr.contains("undone"), "{}", b.stderr);
    a.docket(&["commit"]).ok();
    assert_eq!(
        trailers(&a.last_message()),
        vec![format!("tag {} +{tag}", c.id)]
    );
    assert_eq!(a.status(), "");
}

/// `git reset HEAD~1` after a docket commit keeps the work tree: what the
/// files hold is the user's to keep, never rebuilt from the older commit.
#[test]
fn git_reset_after_a_docket_commit_keeps_the_work_tree() {
    let ws = Workspace::example();
    let c = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&c);
    ws.docket(&["tag", &c.id, &tag, "--commit"]).ok();
    ws.docket(&["note", &c.id, "after"]).ok();
    ws.git(&["reset", "-q", "HEAD~1"]).ok();
    let kept = ws.read(&c.path);
    assert!(kept.contains(&format!("\"{tag}\"")));
    ws.docket(&["commit", "--all"]).ok();
    let head = ws.git_out(&["show", &format!("HEAD:{}", c.path)]);
    assert!(
        head.contains(&format!("\"{tag}\"")) && head.contains("after"),
        "{head}"
    );
    assert_eq!(ws.status(), "");
}

/// A hand edit made between two docket changes survives `discard` and two
/// `undo`s: neither takes back more than docket wrote.
#[test]
fn a_hand_edit_between_docket_changes_survives_discard_and_undo() {
    for how in ["discard", "undo"] {
        let ws = Workspace::example();
        let c = ws.promotable(1).remove(0);
        let tag = ws.new_tag_for(&c);
        ws.docket(&["tag", &c.id, &tag]).ok();
        let edited = ws
            .read(&c.path)
            .replacen("summary = \"", "summary = \"MINE ", 1);
        ws.write(&c.path, &edited);
        ws.docket(&["note", &c.id, "n1"]).ok();
        if how == "discard" {
            ws.docket(&["discard", "--yes"]).ok();
        } else {
            ws.docket(&["undo"]).ok();
            ws.docket(&["undo"]).refused(&["edited since"]);
        }
        assert!(
            ws.read(&c.path).contains("MINE "),
            "{how} kept the hand edit"
        );
    }
}

/// A promotion half committed by hand (`git add` of the failure only, then
/// commit), then a teammate's commit to that failure: no false conflict;
/// the rest of the promotion commits on top of both.
#[test]
fn a_promotion_half_committed_by_hand_then_a_teammate() {
    let ws = Workspace::example();
    let c = ws.promotable(1).remove(0);
    let (set, version) = ws.a_set();
    ws.docket(&["promote", &c.id, &set]).ok();
    ws.git(&["add", &c.path]).ok();
    ws.git(&["commit", "-qm", "the failure only"]).ok();
    let theirs = ws.git_out(&["show", &format!("HEAD:{}", c.path)]).replacen(
        "summary = \"",
        "summary = \"THEIRS ",
        1,
    ) + "\n";
    ws.commit_elsewhere(&c.path, &theirs, "a teammate's edit");
    ws.docket(&["commit"]).ok();
    let head = ws.git_out(&["show", &format!("HEAD:{}", c.path)]);
    assert!(head.contains("THEIRS ") && head.contains("status = \"promoted\""));
    let sc = toml_at(
        &ws,
        "HEAD",
        &format!("evals/sets/{set}/cases/{}.toml", c.id),
    );
    assert_eq!(
        sc["provenance"]["added_in_version"].as_integer(),
        Some(version + 1)
    );
    assert_eq!(ws.status(), "");
}

/// A promotion partly undone by hand (`git checkout -- FAILURE`) is a
/// conflict, never half a promotion committed under the whole trailer.
#[test]
fn a_promotion_partly_undone_by_hand_is_not_half_committed() {
    let ws = Workspace::example();
    let c = ws.promotable(1).remove(0);
    let (set, _) = ws.a_set();
    ws.docket(&["promote", &c.id, &set]).ok();
    ws.git(&["checkout", "--", &c.path]).ok();
    let head = ws.head();
    ws.docket(&["commit"]).refused(&["partly undone"]);
    assert_eq!(ws.head(), head);
    ws.docket(&["discard", "--yes"]).ok();
    assert_eq!(ws.status(), "");
}
