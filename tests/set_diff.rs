//! `docket set diff` on a real history: the example committed by `init`,
//! promotions committed by docket (versions), a case removed and one
//! changed by hand with git, a review tag; text, `--json` and the refusals.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Workspace;
use serde_json::Value;

/// The repository the tests read, and the ids they expect.
struct History {
    ws: Workspace,
    set: String,
    /// Promoted into v6, v7 (before the review tag) and v8 (after).
    promoted: [String; 3],
    /// Removed with `git rm` after the review.
    removed: String,
    /// Changed with an editor and `git commit` after the review.
    changed: String,
    /// The commits that removed and changed them.
    removed_in: String,
    changed_in: String,
    /// The commit `init` made (v5 of the set).
    init: String,
}

const REVIEW: &str = "review/2026-11-20";

fn cases_of(ws: &Workspace, set: &str) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(ws.root.join(format!("evals/sets/{set}/cases")))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".toml").map(str::to_owned))
        .collect();
    ids.sort();
    ids
}

/// init (v5) → promote (v6) → promote (v7) → tag review → git rm a case →
/// hand edit of a case → promote (v8).
fn history() -> History {
    let ws = Workspace::example();
    let init = ws.head();
    let set = ws
        .list("sets")
        .iter()
        .find(|s| s["version"] == 5)
        .expect("an example set at version 5")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = cases_of(&ws, &set);
    let p = ws.promotable(3);
    for (c, v) in p.iter().zip(6..) {
        if v == 8 {
            continue;
        }
        let out = ws.docket(&["promote", &c.id, &set, "--commit"]).ok().stdout;
        assert!(out.contains(&format!("{set}@v{v}")), "{out}");
    }
    ws.git(&["tag", REVIEW]).ok();
    let removed = before[0].clone();
    ws.git(&[
        "rm",
        "-q",
        &format!("evals/sets/{set}/cases/{removed}.toml"),
    ])
    .ok();
    ws.git(&["commit", "-q", "-m", &format!("drop {removed}: flaky")])
        .ok();
    let removed_in = ws.head();
    let changed = before[1].clone();
    let rel = format!("evals/sets/{set}/cases/{changed}.toml");
    ws.write(&rel, ws.read(&rel) + "# reviewed by hand\n");
    let changed_in = ws.git_commit_all(&format!("note on {changed}"));
    ws.docket(&["promote", &p[2].id, &set, "--commit"]).ok();
    assert_eq!(ws.set_version(&set), 8);
    History {
        set,
        promoted: [p[0].id.clone(), p[1].id.clone(), p[2].id.clone()],
        removed,
        changed,
        removed_in,
        changed_in,
        init,
        ws,
    }
}

fn ids(v: &Value, key: &str) -> Vec<String> {
    let mut out: Vec<String> = v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is an array: {v}"))
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

fn sorted(v: &[&String]) -> Vec<String> {
    let mut out: Vec<String> = v.iter().map(|s| (*s).clone()).collect();
    out.sort();
    out
}

fn short(sha: &str) -> &str {
    &sha[..10]
}

#[test]
fn set_diff_between_two_versions() {
    let h = history();
    let (ws, set) = (&h.ws, h.set.as_str());
    let [p6, p7, _] = &h.promoted;

    // Two versions: what the promotions added, with their trailers.
    let out = ws.docket(&["set", "diff", set, "5..7"]).ok().stdout;
    assert!(out.starts_with(&format!("set {set}: v5 (")), "{out}");
    assert!(out.contains(" .. v7 ("), "{out}");
    assert!(out.contains("2 added, 0 removed, 0 changed"), "{out}");
    for (case, v) in [(p6, 6), (p7, 7)] {
        assert!(out.contains(&format!("\n+ {case}  ")), "{out}");
        assert!(
            out.contains(&format!("Docket-Action: promote {case} -> {set}@v{v}")),
            "{out}"
        );
    }
    assert!(!out.contains(&h.removed), "{out}");
    assert_eq!(
        ws.docket(&["set", "diff", set, "v5..v7"]).ok().stdout,
        out,
        "v5..v7 is 5..7"
    );
}

#[test]
fn set_diff_since_the_last_review_flags_hand_changes() {
    let h = history();
    let (ws, set) = (&h.ws, h.set.as_str());
    let [p6, p7, p8] = &h.promoted;
    // The default: since the review tag, to HEAD.
    let out = ws.docket(&["set", "diff", set]).ok().stdout;
    assert!(
        out.contains(&format!("since the last review ({REVIEW})")),
        "{out}"
    );
    assert!(out.contains("1 added, 1 removed, 1 changed"), "{out}");
    assert!(
        out.contains(&format!("Docket-Action: promote {p8} -> {set}@v8")),
        "{out}"
    );
    assert!(
        !out.contains(p6.as_str()) && !out.contains(p7.as_str()),
        "{out}"
    );
    assert!(out.contains(&format!("\n- {}  ", h.removed)), "{out}");
    assert!(
        out.contains(&format!(
            "removed by hand in {}: drop {}: flaky",
            short(&h.removed_in),
            h.removed
        )),
        "the hand removal is flagged: {out}"
    );
    assert!(out.contains(&format!("\n~ {}  ", h.changed)), "{out}");
    assert!(
        out.contains(&format!(
            "changed by hand in {}: note on {}",
            short(&h.changed_in),
            h.changed
        )),
        "{out}"
    );
    assert!(
        out.contains("    +# reviewed by hand\n"),
        "the patch: {out}"
    );
    assert!(out.contains("    @@ "), "a hunk header: {out}");
    // The tag named as a revision is the same range.
    let by_rev = ws
        .docket(&["set", "diff", set, &format!("{REVIEW}..")])
        .ok()
        .stdout;
    let body = |s: &str| s.split_once("1 added").unwrap().1.to_owned();
    assert_eq!(body(&by_rev), body(&out));
    assert!(!by_rev.contains("since the last review"), "{by_rev}");
}

#[test]
fn set_diff_as_json() {
    let h = history();
    let (ws, set) = (&h.ws, h.set.as_str());
    let [p6, p7, p8] = &h.promoted;
    // --json: the same, as data.
    let j = ws.docket(&["set", "diff", set, "--json"]).ok().json();
    assert_eq!(j["set"], set);
    assert_eq!(j["from"]["label"], REVIEW);
    assert_eq!(j["from"]["chosen"], "last-review");
    assert_eq!(j["from"]["version"], 7);
    assert_eq!(j["to"]["label"], "HEAD");
    assert_eq!(j["to"]["version"], 8);
    assert_eq!(j["to"]["commit"], ws.head());
    assert_eq!(ids(&j, "added"), vec![p8.clone()]);
    assert_eq!(ids(&j, "removed"), vec![h.removed.clone()]);
    assert_eq!(ids(&j, "changed"), vec![h.changed.clone()]);
    let removed = &j["removed"][0];
    assert_eq!(removed["by_hand"], true);
    assert_eq!(removed["commits"][0]["commit"], h.removed_in);
    assert_eq!(removed["commits"][0]["actions"], serde_json::json!([]));
    let added = &j["added"][0];
    assert_eq!(added["by_hand"], false);
    assert_eq!(
        added["commits"][0]["actions"],
        serde_json::json!([format!("promote {p8} -> {set}@v8")])
    );
    assert_eq!(added["commits"][0]["at"], common::NOW);
    let patch = j["changed"][0]["patch"].as_str().unwrap();
    assert!(patch.contains("\n+# reviewed by hand"), "{patch}");

    // From a commit id to HEAD, and the set's versions by commit.
    let j = ws
        .docket(&[
            "set",
            "diff",
            set,
            &format!("{}..HEAD", short(&h.init)),
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(j["from"]["commit"], h.init);
    assert_eq!(j["from"]["version"], 5);
    assert_eq!(ids(&j, "added"), sorted(&[p6, p7, p8]));
    let j = ws
        .docket(&["set", "diff", set, "5..7", "--json"])
        .ok()
        .json();
    // The example's history made v5 before init's last commit.
    let v5 = j["from"]["commit"].as_str().unwrap();
    assert_eq!(j["from"]["version"], 5);
    ws.git(&["merge-base", "--is-ancestor", v5, &h.init]).ok();
    let made = ws.git_out(&["show", &format!("{v5}:evals/sets/{set}/set.toml")]);
    assert!(
        made.contains("version = 5"),
        "v5 is the commit that made it: {made}"
    );
    let parent = ws
        .git(&["show", &format!("{v5}~1:evals/sets/{set}/set.toml")])
        .out();
    assert!(
        !parent.contains("version = 5"),
        "and not an older one: {parent}"
    );
    assert_eq!(j["to"]["version"], 7);
}

#[test]
fn without_a_review_tag_the_diff_starts_at_the_first_version() {
    let h = history();
    let (ws, set) = (&h.ws, h.set.as_str());
    ws.git(&["tag", "-d", REVIEW]).ok();
    let out = ws.docket(&["set", "diff", set]).ok().stdout;
    assert!(out.contains("since the set's first version"), "{out}");
    // The example's history starts every set empty (v0): since then, every
    // case now in the set was added (the removed one came and went).
    let now = cases_of(ws, set).len();
    assert!(
        out.contains(&format!("{now} added, 0 removed, 0 changed")),
        "{out}"
    );
    let j = ws.docket(&["set", "diff", set, "--json"]).ok().json();
    assert_eq!(j["from"]["chosen"], "first-version");
    assert_eq!(j["from"]["version"], 0);
    let root = ws.git_out(&["rev-list", "--max-parents=0", "HEAD"]);
    assert_eq!(j["from"]["commit"], root);
    // A tag on a commit HEAD does not contain is not "the last review".
    ws.git(&["tag", "review/2099-01-01", "HEAD"]).ok();
    ws.git(&["reset", "-q", "--hard", "HEAD~1"]).ok();
    let j = ws.docket(&["set", "diff", set, "--json"]).ok().json();
    assert_eq!(j["from"]["chosen"], "first-version");
    assert_eq!(j["to"]["version"], 7);
}

#[test]
fn bad_ranges_and_unknown_sets_are_refused() {
    let h = history();
    let (ws, set) = (&h.ws, h.set.as_str());
    let msg =
        ws.docket(&["set", "diff", set, "12..14"])
            .refused(&["12..14", "no version 12", "v0-v8"]);
    assert!(msg.contains(set), "{msg}");
    ws.docket(&["set", "diff", set, "5..9"])
        .refused(&["no version 9", "v0-v8"]);
    ws.docket(&["set", "diff", set, "7..5"])
        .refused(&["v7 is newer than v5", "v5..v7"]);
    ws.docket(&["set", "diff", set, "HEAD..HEAD~2"])
        .refused(&["newer"]);
    ws.docket(&["set", "diff", set, "no-such-rev..HEAD"])
        .refused(&["\"no-such-rev\"", "revision"]);
    ws.docket(&["set", "diff", set, "5...7"]).refused(&["A..B"]);
    ws.docket(&["set", "diff", "no-such-set"])
        .refused(&["no-such-set"]);
    ws.docket(&["set", "diff", "../evil"]).refused(&["../evil"]);
    ws.docket(&["set", "diff", "no-such-set", "--json"])
        .refused(&["no-such-set"]);
    // A set written but never committed has no versions to compare yet.
    let text = ws.read(&format!("evals/sets/{set}/set.toml"));
    ws.write(
        "evals/sets/fresh-set/set.toml",
        text.replace(&format!("id = \"{set}\""), "id = \"fresh-set\""),
    );
    ws.docket(&["set", "diff", "fresh-set"])
        .refused(&["no committed eval set", "fresh-set"]);
}

#[test]
fn a_workspace_in_a_subfolder_of_its_repository() {
    let sb = common::Sandbox::new();
    let repo = sb.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    sb.git(&repo, &["init", "-q"]).ok();
    sb.docket(&repo, &["init", "sub", "--example", "--commit"])
        .ok();
    let ws = Workspace {
        sb,
        root: repo.join("sub"),
    };
    let set = ws.list("sets").iter().find(|s| s["version"] == 5).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let c = ws.promotable(1).remove(0);
    ws.docket(&["promote", &c.id, &set, "--commit"]).ok();
    let j = ws
        .docket(&["set", "diff", &set, "5..6", "--json"])
        .ok()
        .json();
    assert_eq!(ids(&j, "added"), vec![c.id.clone()]);
    assert_eq!(
        j["added"][0]["path"],
        format!("evals/sets/{set}/cases/{}.toml", c.id)
    );
}
