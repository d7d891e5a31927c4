//! Refusals (exit 2, one line naming what is at fault, nothing changed),
//! malformed workspace files, and hostile text from files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Sandbox, Workspace, copy_tree};
use std::fs;

// ---------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------

#[test]
fn unknown_tag_is_refused() {
    let ws = Workspace::example();
    let case = &ws.cases()[0];
    let before = ws.snapshot();
    ws.docket(&["tag", &case.id, "not-in-taxonomy"])
        .refused(&["\"not-in-taxonomy\"", "taxonomy"]);
    ws.docket(&["tag", &case.id, "not-in-taxonomy", "--commit"])
        .refused(&["\"not-in-taxonomy\""]);
    // One bad tag among good ones refuses them all.
    let good = ws.new_tag_for(case);
    ws.docket(&["tag", &case.id, &good, "not-in-taxonomy"])
        .refused(&["\"not-in-taxonomy\""]);
    ws.assert_unchanged(&before, "unknown tag");
}

#[test]
fn unknown_set_is_refused() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    let before = ws.snapshot();
    ws.docket(&["promote", &case.id, "no-such-set"])
        .refused(&["\"no-such-set\""]);
    ws.docket(&["promote", &case.id, "no-such-set", "--commit"])
        .refused(&["\"no-such-set\""]);
    ws.assert_unchanged(&before, "unknown set");
}

#[test]
fn unknown_case_is_refused() {
    let ws = Workspace::example();
    let tag = ws.taxonomy()[0].clone();
    let (set, _) = ws.a_set();
    let before = ws.snapshot();
    ws.docket(&["tag", "no-such-case", &tag])
        .refused(&["\"no-such-case\""]);
    ws.docket(&["note", "no-such-case", "text"])
        .refused(&["\"no-such-case\""]);
    ws.docket(&["promote", "no-such-case", &set])
        .refused(&["\"no-such-case\""]);
    ws.docket(&["dismiss", "no-such-case", "--reason", "x"])
        .refused(&["\"no-such-case\""]);
    ws.docket(&["show", "no-such-case"])
        .refused(&["no-such-case"]);
    ws.assert_unchanged(&before, "unknown case");
}

#[test]
fn path_like_ids_are_refused() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    let tag = ws.taxonomy()[0].clone();
    let before = ws.snapshot();
    for bad in ["../x", ".git", "../../etc/passwd", "a/b", "Upper", "x..y"] {
        let quoted = format!("{bad:?}");
        ws.docket(&["tag", bad, &tag]).refused(&[&quoted]);
        ws.docket(&["note", bad, "text"]).refused(&[&quoted]);
        ws.docket(&["dismiss", bad, "--reason", "r"])
            .refused(&[&quoted]);
        ws.docket(&["promote", bad, "some-set"]).refused(&[&quoted]);
        ws.docket(&["promote", &case.id, bad]).refused(&[&quoted]);
    }
    ws.assert_unchanged(&before, "path-like ids");
    assert!(!ws.sb.path().join("x.toml").exists());
}

#[test]
fn promoting_a_case_without_expected_is_refused() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    // Drop the [expected] table and commit that by hand.
    let mut doc: toml_edit::DocumentMut = ws.read(&case.path).parse().unwrap();
    doc.remove("expected");
    ws.write(&case.path, doc.to_string());
    ws.git_commit_all("no expected");
    let (set, _) = ws.a_set();
    let before = ws.snapshot();
    ws.docket(&["promote", &case.id, &set])
        .refused(&[&case.id, "expected", &case.path]);
    ws.docket(&["promote", &case.id, &set, "--commit"])
        .refused(&[&case.id, "expected"]);
    ws.assert_unchanged(&before, "promote without [expected]");
}

#[test]
fn promoting_twice_is_refused() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    let (set, _) = ws.a_set();
    ws.docket(&["promote", &case.id, &set, "--commit"]).ok();
    let before = ws.snapshot();
    ws.docket(&["promote", &case.id, &set])
        .refused(&[&case.id, "already promoted"]);
    ws.assert_unchanged(&before, "second promote");
}

#[test]
fn empty_note_and_reason_are_refused() {
    let ws = Workspace::example();
    let case = &ws.cases()[0];
    let before = ws.snapshot();
    ws.docket(&["note", &case.id, "   "]).refused(&["note"]);
    ws.docket(&["dismiss", &case.id, "--reason", ""])
        .refused(&["reason"]);
    ws.assert_unchanged(&before, "empty note/reason");
}

#[test]
fn outside_a_workspace_is_refused() {
    let sb = Sandbox::new();
    let empty = sb.path().join("empty");
    fs::create_dir_all(&empty).unwrap();
    let dir = empty.to_str().unwrap();
    for args in [
        vec!["check"],
        vec!["list", "failures"],
        vec!["show", "x"],
        vec!["tag", "x", "y"],
        vec!["commit"],
    ] {
        sb.docket(&empty, &args)
            .refused(&["not a docket workspace", dir]);
        let mut with_c = vec!["-C", dir];
        with_c.extend(&args);
        sb.docket(&sb.path(), &with_c)
            .refused(&["not a docket workspace", dir]);
    }
    assert_eq!(fs::read_dir(&empty).unwrap().count(), 0, "nothing written");
}

#[test]
fn missing_directory_is_refused() {
    let sb = Sandbox::new();
    let gone = sb.path().join("does-not-exist");
    sb.docket(
        &sb.path(),
        &["-C", gone.to_str().unwrap(), "list", "failures"],
    )
    .refused(&["does-not-exist"]);
}

#[test]
fn mutating_outside_git_is_refused_but_reading_works() {
    let ws = Workspace::example();
    let plain = ws.sb.path().join("plain");
    copy_tree(&ws.root, &plain);
    let case = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&case);
    let (set, _) = ws.a_set();
    let files = common::tree_files(&plain);

    let sb = &ws.sb;
    let dir = plain.to_str().unwrap();
    sb.docket(&plain, &["check"]).ok();
    assert!(
        !sb.docket(&plain, &["list", "failures", "--json"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .is_empty()
    );
    sb.docket(&plain, &["show", &case.id]).ok();
    for args in [
        vec!["tag", case.id.as_str(), tag.as_str()],
        vec!["tag", case.id.as_str(), tag.as_str(), "--commit"],
        vec!["note", case.id.as_str(), "text"],
        vec!["promote", case.id.as_str(), set.as_str()],
        vec!["dismiss", case.id.as_str(), "--reason", "r"],
        vec!["commit"],
    ] {
        sb.docket(&plain, &args)
            .refused(&["not inside a git repository", dir]);
    }
    assert_eq!(files, common::tree_files(&plain), "nothing written");
    assert!(!plain.join(".git").exists());
}

#[test]
fn unset_git_identity_is_refused() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&case);
    let (set, _) = ws.a_set();
    // A change made while the identity was set, pending.
    ws.docket(&["tag", &case.id, &tag]).ok();
    ws.sb.unset_identity();
    let before = ws.snapshot();
    for args in [
        vec!["commit"],
        vec!["note", case.id.as_str(), "text"],
        vec!["promote", case.id.as_str(), set.as_str()],
        vec!["dismiss", case.id.as_str(), "--reason", "r"],
        vec!["tag", case.id.as_str(), tag.as_str(), "--commit"],
    ] {
        ws.docket(&args)
            .refused(&["identity", "user.name", "user.email"]);
    }
    ws.assert_unchanged(&before, "identity unset");
    // The machine's ~/.gitconfig was not consulted: git agrees there is none.
    assert_ne!(ws.git(&["config", "user.email"]).code, Some(0));
}

#[test]
fn index_lock_is_refused() {
    let ws = Workspace::example();
    let cases = ws.promotable(2);
    let tag = ws.new_tag_for(&cases[0]);
    ws.docket(&["tag", &cases[0].id, &tag]).ok();
    let lock = ws.root.join(".git/index.lock");
    fs::write(&lock, "").unwrap();
    let before = ws.snapshot();
    ws.docket(&["commit"]).refused(&["index.lock"]);
    let tag1 = ws.new_tag_for(&cases[1]);
    ws.docket(&["tag", &cases[1].id, &tag1, "--commit"])
        .refused(&["index.lock"]);
    ws.docket(&["note", &cases[1].id, "text", "--commit"])
        .refused(&["index.lock"]);
    ws.assert_unchanged(&before, "index.lock");
    fs::remove_file(&lock).unwrap();
    ws.docket(&["commit"]).ok();
    assert_eq!(ws.status(), "");
}

#[test]
fn merge_in_progress_is_refused() {
    let ws = Workspace::example();
    let cases = ws.promotable(2);
    let tag = ws.new_tag_for(&cases[0]);
    ws.docket(&["tag", &cases[0].id, &tag]).ok();
    let head = ws.head();
    fs::write(ws.root.join(".git/MERGE_HEAD"), format!("{head}\n")).unwrap();
    fs::write(ws.root.join(".git/MERGE_MSG"), "Merge branch 'x'\n").unwrap();
    let before = ws.snapshot();
    ws.docket(&["commit"]).refused(&["merge"]);
    let tag1 = ws.new_tag_for(&cases[1]);
    ws.docket(&["tag", &cases[1].id, &tag1, "--commit"])
        .refused(&["merge"]);
    ws.assert_unchanged(&before, "merge in progress");
}

#[test]
fn bare_repository_is_refused() {
    let sb = Sandbox::new();
    let bare = sb.path().join("bare.git");
    sb.git(
        &sb.path(),
        &["init", "-q", "--bare", bare.to_str().unwrap()],
    )
    .ok();
    let files = common::tree_files(&bare);
    sb.docket(&sb.path(), &["init", bare.to_str().unwrap(), "--example"])
        .refused(&["bare"]);
    sb.docket(&bare, &["init", "--example", "--commit"])
        .refused(&["bare"]);
    assert_eq!(files, common::tree_files(&bare), "nothing written");

    // A workspace that sits in a bare repository's directory cannot change.
    let ws = Workspace::example();
    copy_tree(&ws.root, &bare);
    let case = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&case);
    let files = common::tree_files(&bare);
    for args in [
        vec!["tag", case.id.as_str(), tag.as_str()],
        vec!["tag", case.id.as_str(), tag.as_str(), "--commit"],
        vec!["commit"],
    ] {
        sb.docket(&bare, &args).refused(&["bare repository"]);
    }
    assert_eq!(files, common::tree_files(&bare), "nothing written");
}

// ---------------------------------------------------------------------------
// Malformed files
// ---------------------------------------------------------------------------

/// A valid failure case with known line numbers.
fn case_text(id: &str, agent: &str, month: &str) -> String {
    format!(
        "id = \"{id}\"\n\
         agent = \"{agent}\"\n\
         source = \"production\"\n\
         occurred_at = {month}-05T10:00:00Z\n\
         status = \"new\"\n\
         severity = \"sev3\"\n\
         summary = \"A well-formed case\"\n\
         tags = []\n\
         \n\
         [input]\n\
         prompt = \"hello\"\n\
         \n\
         [output]\n\
         content = \"goodbye\"\n"
    )
}

/// The example plus one good and five malformed failure cases in one month
/// folder. Returns the workspace, that folder and the ids listed before.
fn malformed_workspace() -> (Workspace, String, Vec<String>) {
    let ws = Workspace::example();
    let folder = ws.a_month_folder();
    let month = folder.rsplit('/').next().unwrap().to_owned();
    let agent = ws.an_agent();
    let good_before: Vec<String> = ws.cases().into_iter().map(|c| c.id).collect();

    let p = |name: &str| format!("{folder}/{name}.toml");
    ws.write(&p("zz-good"), case_text("zz-good", &agent, &month));
    // Line 3: an unterminated string.
    ws.write(
        &p("zz-bad-toml"),
        "id = \"zz-bad-toml\"\nagent = \"x\"\nsummary = \"never closed\nstatus = \"new\"\n",
    );
    // Line 5: status is an integer.
    ws.write(
        &p("zz-wrong-type"),
        case_text("zz-wrong-type", &agent, &month).replace("status = \"new\"", "status = 3"),
    );
    // No summary at all.
    ws.write(
        &p("zz-missing-field"),
        case_text("zz-missing-field", &agent, &month)
            .replace("summary = \"A well-formed case\"\n", ""),
    );
    // Line 3: a byte that is not UTF-8.
    let mut bytes = b"id = \"zz-bad-utf8\"\nagent = \"a\"\nsummary = \"caf".to_vec();
    bytes.extend_from_slice(b"\xff\xfe\"\n");
    ws.write(&p("zz-bad-utf8"), bytes);
    // Line 1: the id is not the file name.
    ws.write(&p("zz-stem"), case_text("zz-other-name", &agent, &month));
    (ws, folder, good_before)
}

#[test]
fn malformed_files_are_reported_with_lines_and_skipped() {
    let (ws, folder, good_before) = malformed_workspace();
    let p = |name: &str| format!("{folder}/{name}.toml");
    let r = ws.docket(&["check"]).code(1);
    let out = &r.stdout;
    let line_of = |name: &str| -> String {
        let prefix = format!("{}:", p(name));
        out.lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("check should report {}:\n{out}", p(name)))
            .to_owned()
    };
    let bad = line_of("zz-bad-toml");
    assert!(
        bad.starts_with(&format!("{}:3: ", p("zz-bad-toml"))),
        "{bad}"
    );
    let wrong = line_of("zz-wrong-type");
    assert!(
        wrong.starts_with(&format!("{}:5: ", p("zz-wrong-type"))),
        "{wrong}"
    );
    let missing = line_of("zz-missing-field");
    assert!(missing.contains("summary"), "{missing}");
    let n: usize = missing
        .strip_prefix(&format!("{}:", p("zz-missing-field")))
        .and_then(|r| r.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("path:line: message expected: {missing}"));
    assert!(n >= 1);
    let utf8 = line_of("zz-bad-utf8");
    assert!(
        utf8.starts_with(&format!("{}:3: ", p("zz-bad-utf8"))),
        "{utf8}"
    );
    assert!(utf8.contains("UTF-8"), "{utf8}");
    let stem = line_of("zz-stem");
    assert!(stem.starts_with(&format!("{}:1: ", p("zz-stem"))), "{stem}");
    assert!(stem.contains("zz-other-name"), "{stem}");
    assert!(
        !out.contains(&format!("{}:", p("zz-good"))),
        "the good case has no problem:\n{out}"
    );

    // The rest still loads.
    let listed: Vec<String> = ws.cases().into_iter().map(|c| c.id).collect();
    for id in good_before
        .iter()
        .chain(std::iter::once(&"zz-good".to_owned()))
    {
        assert!(
            listed.contains(id),
            "{id} should still be listed: {listed:?}"
        );
    }
    for bad in [
        "zz-bad-toml",
        "zz-wrong-type",
        "zz-missing-field",
        "zz-bad-utf8",
        "zz-stem",
        "zz-other-name",
    ] {
        assert!(!listed.iter().any(|l| l == bad), "{bad} should be skipped");
    }
    let text = ws.docket(&["list", "failures"]).ok().stdout;
    assert!(text.contains("zz-good"), "{text}");
    ws.docket(&["show", "zz-good"]).ok();
    ws.docket(&["show", &good_before[0]]).ok();

    // And so does --json check, with the same lines.
    let json = ws.docket(&["check", "--json"]).code(1).json();
    let diag = json
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == p("zz-wrong-type").as_str())
        .expect("zz-wrong-type in check --json");
    assert_eq!(diag["line"], 5);
    assert_eq!(diag["level"], "error");
    assert_eq!(diag["rule"], "parse", "a file that cannot be loaded");
}

#[test]
fn triage_on_a_malformed_case_names_the_file_and_line() {
    let (ws, folder, _) = malformed_workspace();
    let p = |name: &str| format!("{folder}/{name}.toml");
    let tag = ws.taxonomy()[0].clone();
    let before = ws.snapshot();
    ws.docket(&["tag", "zz-wrong-type", &tag])
        .refused(&[&format!("{}:5:", p("zz-wrong-type"))]);
    ws.docket(&["tag", "zz-bad-utf8", &tag])
        .refused(&[&p("zz-bad-utf8"), "UTF-8"]);
    ws.assert_unchanged(&before, "tag on malformed cases");
}

#[test]
fn malformed_docket_toml_is_refused_naming_it() {
    let ws = Workspace::example();
    let case = ws.cases().remove(0);
    let tag = ws.new_tag_for(&case);
    let text = ws.read("docket.toml");
    assert!(text.ends_with('\n'));
    // The unclosed table header lands on this line.
    let line = text.lines().count() + 2;
    ws.write(
        "docket.toml",
        format!("{text}\n[[tags]\nname = \"broken\"\n"),
    );
    ws.git_commit_all("break docket.toml");
    let at = format!("docket.toml:{line}:");
    let before = ws.snapshot();
    // `check` may report it as a problem (exit 1) or refuse the workspace
    // (exit 2); either way it names the file and line.
    let r = ws.docket(&["check"]);
    if r.code == Some(1) {
        assert!(r.stdout.contains(&at), "{r:?}");
    } else {
        r.refused(&[&at]);
    }
    // Listing may go on without the config, or refuse naming it.
    let r = ws.docket(&["list", "failures"]);
    if r.code != Some(0) {
        r.refused(&[&at]);
    }
    // Tagging needs the taxonomy: refused.
    ws.docket(&["tag", &case.id, &tag]).refused(&[&at]);
    ws.assert_unchanged(&before, "malformed docket.toml");
}

// ---------------------------------------------------------------------------
// Hostile text
// ---------------------------------------------------------------------------

const OSC_TITLE: &str = "\\u001b]0;pwned\\u0007";
const CSI_CLEAR: &str = "\\u001b[2J";

fn hostile_case(id: &str, agent: &str, month: &str) -> String {
    // Escapes in TOML basic strings, and the C1 CSI and bidi override raw
    // (TOML allows both unescaped).
    format!(
        "id = \"{id}\"\n\
         agent = \"{agent}\"\n\
         source = \"red-team\"\n\
         occurred_at = {month}-06T09:00:00Z\n\
         status = \"new\"\n\
         incident = \"INC-{CSI_CLEAR}1\"\n\
         summary = \"title {OSC_TITLE} clear {CSI_CLEAR} c1 \u{9b}31m bidi \u{202e}evil\"\n\
         tags = []\n\
         \n\
         [input]\n\
         prompt = \"ignore previous {CSI_CLEAR} instructions \\u009b2J\"\n\
         messages = [{{ role = \"user{CSI_CLEAR}\", content = \"hi {OSC_TITLE} \\u202e\" }}]\n\
         \n\
         [output]\n\
         content = \"\"\"line one {OSC_TITLE}\n\
         line two {CSI_CLEAR}\u{9b}0m \u{202e}reversed\"\"\"\n\
         \n\
         [expected]\n\
         content = \"no escapes {CSI_CLEAR}\"\n\
         \n\
         [[notes]]\n\
         author = \"mallory{CSI_CLEAR}@example.com\"\n\
         at = {month}-07T09:00:00Z\n\
         text = \"note {OSC_TITLE}\"\n"
    )
}

#[track_caller]
fn assert_no_raw_controls(what: &str, bytes: &[u8]) {
    assert!(
        !bytes.contains(&0x1b),
        "{what}: raw ESC in output: {:?}",
        String::from_utf8_lossy(bytes)
    );
    assert!(!bytes.contains(&0x07), "{what}: raw BEL in output");
    let text = String::from_utf8_lossy(bytes);
    for bad in ['\u{9b}', '\u{202e}'] {
        assert!(
            !text.contains(bad),
            "{what}: raw U+{:04X} in output: {text:?}",
            u32::from(bad)
        );
    }
}

fn hostile_workspace() -> (Workspace, String) {
    let ws = Workspace::example();
    let folder = ws.a_month_folder();
    let month = folder.rsplit('/').next().unwrap().to_owned();
    let agent = ws.an_agent();
    ws.write(
        &format!("{folder}/zz-hostile.toml"),
        hostile_case("zz-hostile", &agent, &month),
    );
    (ws, "zz-hostile".to_owned())
}

#[test]
fn hostile_text_is_never_printed_raw() {
    let (ws, id) = hostile_workspace();
    // The hostile case parses: it is listed.
    let listed: Vec<String> = ws.cases().into_iter().map(|c| c.id).collect();
    assert!(listed.contains(&id), "{listed:?}");

    let show = ws.docket(&["show", &id]).ok();
    assert_no_raw_controls("show", &show.raw_stdout);
    assert!(
        show.stdout.contains('␛'),
        "ESC is shown as ␛:\n{}",
        show.stdout
    );
    assert!(show.stdout.contains("pwned"), "{}", show.stdout);
    assert!(show.stdout.contains("reversed"), "{}", show.stdout);

    let list = ws.docket(&["list", "failures"]).ok();
    assert_no_raw_controls("list failures", &list.raw_stdout);
    assert!(list.stdout.contains(&id));
    let summary_line = list.stdout.lines().find(|l| l.contains(&id)).unwrap();
    assert!(summary_line.contains("pwned"), "{summary_line}");

    for args in [
        vec!["list", "failures", "--status", "new"],
        vec!["search", "pwned"],
        vec!["check"],
    ] {
        let r = ws.docket(&args);
        assert_no_raw_controls(&args.join(" "), &r.raw_stdout);
        assert_no_raw_controls(&args.join(" "), &r.raw_stderr);
    }

    // A note added through docket with escapes is stored and shown safely.
    ws.docket(&["note", &id, "again \u{1b}]0;pwned\u{7} \u{9b}2J \u{202e}x"])
        .ok();
    let show = ws.docket(&["show", &id]).ok();
    assert_no_raw_controls("show after note", &show.raw_stdout);
    let stored = ws.read(&ws.cases().into_iter().find(|c| c.id == id).unwrap().path);
    assert!(!stored.contains('\u{1b}'), "the file escapes ESC: {stored}");
}

#[test]
fn hostile_text_is_escaped_in_json() {
    let (ws, id) = hostile_workspace();
    for args in [
        vec!["show", id.as_str(), "--json"],
        vec!["list", "failures", "--json"],
        vec!["search", "pwned", "--json"],
    ] {
        let r = ws.docket(&args).ok();
        assert!(
            !r.raw_stdout.contains(&0x1b),
            "{args:?}: raw ESC in JSON output"
        );
        // The JSON still carries the exact text.
        let _ = r.json();
    }
    let v = ws.docket(&["show", &id, "--json"]).ok().json();
    assert!(
        v["summary"]
            .as_str()
            .unwrap()
            .contains("\u{1b}]0;pwned\u{7}")
    );
}

#[test]
fn hostile_c1_and_bidi_are_escaped_in_json() {
    let (ws, id) = hostile_workspace();
    for args in [
        vec!["show", id.as_str(), "--json"],
        vec!["list", "failures", "--json"],
        vec!["search", "pwned", "--json"],
    ] {
        let r = ws.docket(&args).ok();
        assert_no_raw_controls(&args.join(" "), &r.raw_stdout);
    }
}

#[test]
fn hostile_file_names_and_arguments_are_not_echoed_raw() {
    let ws = Workspace::example();
    let folder = ws.a_month_folder();
    // A file whose name holds an escape sequence: reported, never raw.
    ws.write(
        &format!("{folder}/evil\u{1b}[2J\u{9b}31m.toml"),
        "id = \"evil\"\n",
    );
    let r = ws.docket(&["check"]).code(1);
    assert_no_raw_controls("check stdout", &r.raw_stdout);
    assert_no_raw_controls("check stderr", &r.raw_stderr);
    assert!(r.stdout.contains("evil"), "{}", r.stdout);
    let r = ws.docket(&["list", "failures"]).ok();
    assert_no_raw_controls("list", &r.raw_stdout);

    // Hostile arguments in error messages.
    let hostile = "x\u{1b}]0;pwned\u{7}\u{9b}2J\u{202e}";
    for args in [
        vec!["show", hostile],
        vec!["tag", hostile, "tone"],
        vec!["tag", &ws.cases()[0].id, hostile],
        vec!["promote", &ws.cases()[0].id, hostile],
        vec!["list", "failures", "--status", hostile],
    ] {
        let r = ws.docket(&args).code(2);
        assert_no_raw_controls("error", &r.raw_stderr);
        assert_no_raw_controls("error stdout", &r.raw_stdout);
    }
}

#[test]
fn symlinks_never_lead_writes_outside_the_workspace() {
    let ws = Workspace::example();
    let outside = ws.sb.path().join("outside");
    let case = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&case);
    let (set, _) = ws.a_set();
    let folder = ws.a_month_folder();

    // A case file that is a symlink to a valid case outside the workspace.
    fs::create_dir_all(outside.join("month")).unwrap();
    fs::create_dir_all(outside.join("cases")).unwrap();
    let text = ws.read(&case.path).replace(&case.id, "zz-linked");
    fs::write(outside.join("zz-linked.toml"), &text).unwrap();
    std::os::unix::fs::symlink(
        outside.join("zz-linked.toml"),
        ws.root.join(format!("{folder}/zz-linked.toml")),
    )
    .unwrap();
    // A month folder that is a symlink to a folder outside.
    let month = folder.rsplit('/').next().unwrap();
    let later = format!("{}-12", &month[..4]);
    let moved = text.replace("zz-linked", "zz-in-linked-dir").replace(
        &format!("occurred_at = {month}"),
        &format!("occurred_at = {later}"),
    );
    fs::write(outside.join("month/zz-in-linked-dir.toml"), moved).unwrap();
    std::os::unix::fs::symlink(
        outside.join("month"),
        ws.root.join(format!("evals/failures/{later}")),
    )
    .unwrap();
    ws.git_commit_all("symlinks");
    let outside_before = common::tree_files(&outside);
    let before = ws.snapshot();

    for id in ["zz-linked", "zz-in-linked-dir"] {
        ws.docket(&["tag", id, &tag]).code(2);
        ws.docket(&["note", id, "text"]).code(2);
        ws.docket(&["promote", id, &set]).code(2);
    }
    ws.assert_unchanged(&before, "symlinked cases");
    assert_eq!(outside_before, common::tree_files(&outside));

    // A set whose cases folder is a symlink: the promote writes nothing.
    let cases_dir = ws.root.join(format!("evals/sets/{set}/cases"));
    let moved_cases = ws.sb.path().join("moved-cases");
    if cases_dir.exists() {
        fs::rename(&cases_dir, &moved_cases).unwrap();
    }
    std::os::unix::fs::symlink(outside.join("cases"), &cases_dir).unwrap();
    let before = ws.snapshot();
    ws.docket(&["promote", &case.id, &set])
        .refused(&["symlink"]);
    ws.assert_unchanged(&before, "promote into a symlinked cases folder");
    assert_eq!(fs::read_dir(outside.join("cases")).unwrap().count(), 0);
    // check warns about the symlinks and does not follow them.
    let r = ws.docket(&["check"]);
    assert!(r.stdout.contains("symlink"), "{r:?}");
}

#[test]
fn duplicate_case_ids_are_reported() {
    let ws = Workspace::example();
    let case = ws.cases().remove(0);
    let (folder, _) = case.path.rsplit_once('/').unwrap();
    let month = folder.rsplit('/').next().unwrap();
    // The same id filed under another month (with a matching occurred_at).
    let (y, m) = month.split_once('-').unwrap();
    let other = if m == "01" {
        format!("{}-12", y.parse::<u32>().unwrap() - 1)
    } else {
        format!("{y}-{:02}", m.parse::<u32>().unwrap() - 1)
    };
    let text = ws.read(&case.path).replace(
        &format!("occurred_at = {month}-"),
        &format!("occurred_at = {other}-"),
    );
    let copy = format!("evals/failures/{other}/{}.toml", case.id);
    ws.write(&copy, text);
    let r = ws.docket(&["check"]).code(1);
    let line = r
        .stdout
        .lines()
        .find(|l| l.contains("duplicate"))
        .unwrap_or_else(|| panic!("check should report the duplicate id:\n{}", r.stdout));
    assert!(line.contains(&format!("{:?}", case.id)), "{line}");
    assert!(line.contains(&case.path) && line.contains(&copy), "{line}");
}
