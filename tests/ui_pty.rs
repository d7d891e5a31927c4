#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The real `docket` binary in a pseudo-terminal (80×24), its output read
//! through a terminal emulator (vt100): a whole triage session by keys,
//! ending in one commit checked with the git command line; the terminal
//! restored on SIGTERM; the process gone when the terminal goes; and text
//! from a hostile file that must never reach the terminal as escapes.
//!
//! Every wait polls the parsed screen for expected text (10 s at most);
//! nothing sleeps for a fixed long time. The harness is `common::pty`.

mod common;

use common::pty::{ReadUntil, TIMEOUT, Term, id_field, select_case, tail};
use common::{Workspace, trailers};
use std::time::{Duration, Instant};

/// A taxonomy tag with a key that `tags` lacks: `(name, key)`.
fn keyed_tag_not_in(ws: &Workspace, tags: &[String]) -> (String, char) {
    let cfg: toml::Table = ws.read("docket.toml").parse().unwrap();
    cfg["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|t| {
            let name = t.get("name")?.as_str()?;
            let key = t.get("key")?.as_str()?.chars().next()?;
            (!tags.iter().any(|x| x == name)).then(|| (name.to_owned(), key))
        })
        .expect("a keyed tag the case lacks")
}

fn triage_session(extra_env: &[(&str, &str)]) -> Vec<u8> {
    let ws = Workspace::example();
    let cases = ws.promotable(2);
    let (a, b) = (&cases[0], &cases[1]);
    let (tag, tag_key) = keyed_tag_not_in(&ws, &a.tags);
    let (set, version) = ws.a_set();
    let commits = ws.commit_count();
    let base = ws.head();

    let mut t = Term::spawn(&ws, extra_env);
    t.wait_loaded();

    select_case(&mut t, &a.id);

    t.send("t");
    t.wait_for(&format!("Tags of {}", a.id));
    t.send(tag_key.to_string());
    t.wait_for(&format!("[x] ({tag_key}) {tag}"));
    t.send("\r");
    t.wait_for(" 1 pending");

    t.send("n");
    t.wait_for(&format!("Note on {}", a.id));
    t.send("Same pattern as INC-1980.");
    t.wait_for("> Same pattern as INC-1980.");
    t.send("\r");
    t.wait_for(" 2 pending");

    t.send("p");
    t.wait_for(&format!("Promote {} into", a.id));
    t.wait_for(&format!("▶ {set}"));
    t.send("\r");
    t.wait_for(" 3 pending");

    // Esc in the list clears the filter.
    t.send("\x1b");
    t.wait_for("S SEV AGE");
    select_case(&mut t, &b.id);
    t.send("x");
    t.wait_for(&format!("Dismiss {}: why?", b.id));
    t.send("duplicate of an older case");
    t.wait_for("> duplicate of an older case");
    t.send("\r");
    t.wait_for(" 4 pending");

    t.send("c");
    t.wait_for("message: docket: review");
    t.wait_for("Docket-Action: dismiss");
    t.send("\r");
    t.wait("the commit", |s| {
        s.contains(" 0 pending") && s.contains("committed: ")
    });

    t.send("q");
    assert_eq!(t.wait_exit(TIMEOUT), 0, "docket exits with status 0");
    t.drain();

    assert_eq!(ws.commit_count(), commits + 1, "one new commit");
    assert_eq!(ws.git_out(&["rev-parse", "HEAD~1"]), base);
    let msg = ws.last_message();
    assert!(msg.starts_with("docket: review "), "{msg}");
    assert_eq!(
        trailers(&msg),
        vec![
            format!("tag {} +{tag}", a.id),
            format!("note {}", a.id),
            format!("promote {} -> {set}@v{}", a.id, version + 1),
            format!("dismiss {}", b.id),
        ],
        "{msg}"
    );
    assert_eq!(ws.status(), "", "git status is clean after the commit");
    ws.assert_fsck_clean();
    t.raw()
}

#[test]
fn a_whole_triage_session_by_keys() {
    let raw = triage_session(&[]);
    let text = String::from_utf8_lossy(&raw);
    assert!(
        text.contains("\x1b[38;5;"),
        "colours are used without NO_COLOR"
    );
    assert!(text.contains("\x1b[?1049h"), "the alternate screen is used");
    assert!(
        text.ends_with("\x1b[?1049l\x1b[?25h"),
        "the terminal is restored at the end: {:?}",
        tail(&text)
    );
}

#[test]
fn a_whole_triage_session_with_no_color() {
    let raw = triage_session(&[("NO_COLOR", "1")]);
    let text = String::from_utf8_lossy(&raw);
    // crossterm writes every colour as an extended SGR (`38;5;N`, `48;5;N`,
    // `58;5;N` or `38;2;R;G;B`); resets (`39`, `49`) carry no colour.
    for sgr in ["\x1b[38;", "\x1b[48;", "\x1b[58;"] {
        assert!(!text.contains(sgr), "NO_COLOR output contains {sgr:?}");
    }
    assert!(
        text.contains("\x1b[7m"),
        "the selection still shows, by reverse video"
    );
}

#[test]
fn sigterm_restores_the_terminal() {
    let ws = Workspace::example();
    let mut t = Term::spawn(&ws, &[]);
    t.wait_loaded();
    t.send("?");
    t.wait_for("Help");
    let pid = t.child.process_id().unwrap();
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    t.wait_exit(TIMEOUT);
    t.drain();
    let raw = t.raw();
    let text = String::from_utf8_lossy(&raw);
    let tail = tail(&text);
    let leave = text
        .rfind("\x1b[?1049l")
        .expect("leaves the alternate screen");
    let show = text.rfind("\x1b[?25h").expect("shows the cursor again");
    assert!(
        leave > text.rfind("\x1b[?1049h").unwrap(),
        "left after entering: {tail:?}"
    );
    assert!(
        show > text.rfind("\x1b[?25l").unwrap(),
        "shown after hiding: {tail:?}"
    );
    assert!(
        text.trim_end_matches(['\r', '\n'])
            .ends_with("\x1b[?1049l\x1b[?25h"),
        "the restore sequences come last: {tail:?}"
    );
    let screen = t.out.lock().unwrap().parser.screen().alternate_screen();
    assert!(!screen, "the emulator is back on the main screen");
}

#[test]
fn hangup_restores_the_terminal() {
    let ws = Workspace::example();
    let mut t = Term::spawn(&ws, &[]);
    t.wait_loaded();
    // portable-pty's kill() sends SIGHUP first.
    let pid = t.child.process_id().unwrap();
    let hup = std::process::Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .unwrap();
    assert!(hup.success());
    t.wait_exit(TIMEOUT);
    t.drain();
    let text = String::from_utf8_lossy(&t.raw()).into_owned();
    assert!(
        text.trim_end_matches(['\r', '\n'])
            .ends_with("\x1b[?1049l\x1b[?25h"),
        "restored on SIGHUP: {:?}",
        tail(&text)
    );
}

#[test]
fn closing_the_terminal_ends_the_process() {
    let ws = Workspace::example();
    let mut t = Term::spawn_reading(
        &ws,
        &[],
        ReadUntil::Screen("Incidents without an eval".into()),
    );
    // The reader stops (and drops its handle) once the overview is drawn.
    t.drain();
    assert!(
        t.screen().contains("Incidents without an eval"),
        "{}",
        t.screen()
    );
    t.writer.take();
    t.master.take();
    let start = Instant::now();
    t.wait_exit(Duration::from_secs(2));
    assert!(start.elapsed() < Duration::from_secs(2));
}

/// `docket > file` and `docket demo > where.txt`: the UI draws on the
/// terminal (`/dev/tty`, as fzf does), and the file gets only what the
/// command prints — for demo, where the workspace is.
#[test]
fn with_stdout_redirected_the_ui_draws_on_the_terminal() {
    let ws = Workspace::example();
    let out = ws.sb.path().join("out.txt");
    let line = format!(
        "{} -C {} > {}",
        env!("CARGO_BIN_EXE_docket"),
        ws.root.display(),
        out.display()
    );
    let mut t = Term::spawn_argv(&ws, &[], ReadUntil::Eof, &["sh", "-c", &line]);
    t.wait_loaded();
    t.send("q");
    assert_eq!(t.wait_exit(TIMEOUT), 0);
    assert_eq!(
        std::fs::read(&out).unwrap(),
        b"",
        "no frame went to the redirected stdout"
    );

    let line = format!("{} demo > {}", env!("CARGO_BIN_EXE_docket"), out.display());
    let mut t = Term::spawn_argv(
        &ws,
        &[("TMPDIR", ws.sb.path().to_str().unwrap())],
        ReadUntil::Eof,
        &["sh", "-c", &line],
    );
    t.wait_for("Incidents without an eval");
    t.send("q");
    assert_eq!(t.wait_exit(TIMEOUT), 0);
    let printed = std::fs::read_to_string(&out).unwrap();
    assert!(
        printed.starts_with("The demo workspace is in "),
        "{printed:?}"
    );
    assert!(!printed.contains('\x1b'), "{printed:?}");
}

/// A failure case whose text tries every trick to reach the terminal.
fn hostile_case(id: &str, agent: &str, month: &str) -> String {
    let big = "A".repeat(200 * 1024);
    format!(
        r#"id = "{id}"
agent = "{agent}"
source = "red-team"
occurred_at = {month}-20T10:00:00Z
severity = "sev1"
status = "new"
summary = "Title \u001b]0;pwned\u0007 clip \u001b]52;c;aGk=\u0007 clear \u001b[2J c1 \u009b31m dcs \u001bP1$r\u001b\\ cr\r bs\b bel\u0007 bidi \u202egnp.exe\u202c iso \u2066x\u2069 tab\tend 漢字 wide"
tags = []

[input]
prompt = "prompt \u001b]0;pwned\u0007 and \u001b[2J"

[output]
content = """
first line \u001b]0;pwned\u0007
second \u001b]52;c;aGk=\u0007 line
third \u001b[2J\u001b[H line
fourth \u009b2J \u009b31m red
fifth \u001bP1$r\u001b\\ dcs
sixth \r carriage \b back \u0007 bell
seventh \u202e desrever \u202c and \u2066 isolate \u2069
eighth	tab	separated	漢字	wide
{big}
last line"""

[[notes]]
author = "mallory@example.com"
at = {month}-20T11:00:00Z
text = "note \u001b]0;pwned\u0007 \u001b]52;c;aGk=\u0007 \u009b2J \u202e"
"#
    )
}

/// Opens case `id` in the UI, focuses its text and scrolls through it;
/// returns the screens seen and every byte written.
fn browse(ws: &Workspace, id: &str) -> (Vec<String>, Vec<u8>) {
    let mut t = Term::spawn(ws, &[]);
    t.wait_loaded();
    select_case(&mut t, id);
    let mut screens = vec![t.screen()];
    t.send("\r");
    screens.push(t.wait("the text focused", |s| s.contains("┃")));
    for key in ["j", "J", "\x1b[6~", "J", "G"] {
        let before = t.screen();
        t.send(key);
        screens.push(t.wait(&format!("the text scrolled by {key:?}"), |s| s != before));
    }
    t.send("g");
    screens.push(t.wait("back at the top", |s| s.contains(&id_field(id))));
    t.send("\x1b");
    t.wait("the list focused", |s| !s.contains('┃'));
    t.send("q");
    assert_eq!(t.wait_exit(TIMEOUT), 0);
    t.drain();
    (screens, t.raw())
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

#[test]
fn hostile_text_is_shown_never_obeyed() {
    let ws = Workspace::example();
    // A clean case with text long enough to scroll (not a short import).
    let clean = ws
        .promotable(10)
        .into_iter()
        .find(|c| !c.id.starts_with("promptfoo-"))
        .unwrap();
    let month = ws.a_month_folder();
    let agent = ws.an_agent();
    let id = "hostile-0001";
    let m = month.rsplit('/').next().unwrap();
    ws.write(&format!("{month}/{id}.toml"), hostile_case(id, &agent, m));
    // The case must load: `docket show` finds it.
    ws.docket(&["show", id]).ok();
    ws.git_commit_all("add a hostile case");

    let (screens, raw) = browse(&ws, id);
    let (_, clean_raw) = browse(&ws, &clean.id);

    for (name, seq) in [
        ("OSC", &b"\x1b]"[..]),
        ("DCS", b"\x1bP"),
        ("C1 CSI", "\u{9b}".as_bytes()),
        ("bidi override", "\u{202e}".as_bytes()),
        ("bidi isolate", "\u{2066}".as_bytes()),
        ("BEL", b"\x07"),
        ("BS", b"\x08"),
        ("pwned title", b"\x1b]0;pwned"),
    ] {
        assert!(
            !contains(&raw, seq),
            "{name} ({seq:?}) reached the terminal"
        );
    }
    // Clear-screen: no more than a run on a clean case emits.
    assert_eq!(
        count(&raw, b"\x1b[2J"),
        count(&clean_raw, b"\x1b[2J"),
        "the file's clear-screen reached the terminal"
    );
    assert!(!contains(&raw, b"\x1b[31m"), "the C1 colour was obeyed");

    let all = screens.join("\n");
    assert!(all.contains('␛'), "ESC shows as ␛:\n{all}");
    assert!(all.contains("<U+202E>"), "bidi overrides show:\n{all}");
    assert!(all.contains("<U+009B>"), "C1 shows:\n{all}");
    assert!(all.contains("pwned"), "the payload is shown as text");
    assert!(all.contains("漢字"), "wide characters show");
    // The layout survives: the tab bar, the status line and the key bar.
    for s in &screens {
        let rows: Vec<&str> = s.lines().collect();
        assert!(rows[0].starts_with(" docket"), "tab bar intact:\n{s}");
        assert!(
            rows.iter().any(|r| r.contains("pending")),
            "status line intact:\n{s}"
        );
        assert!(
            rows.last().is_some_and(|r| r.contains("q quit")),
            "key bar intact:\n{s}"
        );
    }
}

/// Two writers on one workspace: the UI open while the CLI tags and notes
/// a case and the user commits by hand. The UI notices within seconds,
/// shows the new content, and its own edit on the same case (made on what
/// was a stale view) is applied to the fresh file: nothing is lost.
#[test]
fn the_ui_notices_other_writers_and_never_overwrites_their_work() {
    let ws = Workspace::example();
    let cases = ws.promotable(1);
    let a = &cases[0];
    let (tag, tag_key) = keyed_tag_not_in(&ws, &a.tags);
    let other_tag = ws
        .taxonomy()
        .into_iter()
        .find(|t| *t != tag && !a.tags.contains(t))
        .unwrap();

    let mut t = Term::spawn(&ws, &[]);
    t.wait_loaded();
    select_case(&mut t, &a.id);

    // A second writer: the CLI, committed at once, then a note left pending.
    ws.docket(&["tag", &a.id, &other_tag, "--commit"]).ok();
    ws.docket(&["note", &a.id, "written from the CLI"]).ok();
    t.wait_for("changed outside this window");
    t.wait_for(&other_tag);
    // The note is at the end of the case's text.
    t.send("\r");
    t.send("G");
    t.wait_for("written from the CLI");
    t.send("\x1b");
    // Apart, so the terminal does not read Esc and the next key as Alt-key.
    std::thread::sleep(Duration::from_millis(150));

    // The UI's own edit on that case goes onto the fresh file.
    t.send("t");
    t.wait_for(&format!("Tags of {}", a.id));
    t.send(tag_key.to_string());
    t.send("\r");
    t.wait_for(" 2 pending");
    t.send("c");
    t.wait_for("Docket-Action: tag");
    t.send("\r");
    t.wait("the commit", |s| {
        s.contains(" 0 pending") && s.contains("committed: ")
    });
    t.send("q");
    assert_eq!(t.wait_exit(TIMEOUT), 0);

    let head: toml::Table = ws
        .git_out(&["show", &format!("HEAD:{}", a.path)])
        .parse()
        .unwrap();
    let tags: Vec<&str> = head["tags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(
        tags.contains(&tag.as_str()) && tags.contains(&other_tag.as_str()),
        "{tags:?}"
    );
    let notes = head["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n["text"].as_str() == Some("written from the CLI"))
    );
    assert_eq!(ws.status(), "");
}

/// The path `init` suggests, then the UI: `init --example` without
/// `--commit`, the user's own `git add -A && git commit`, a tag from the
/// CLI, then a note and `c` in the UI. The commit goes through and holds
/// both; nothing was lost on the way.
#[test]
fn init_then_git_commit_then_the_ui_commits_everything() {
    let sb = common::Sandbox::new();
    let root = sb.path().join("ws");
    sb.docket(&sb.path(), &["init", root.to_str().unwrap(), "--example"])
        .ok();
    let ws = Workspace { sb, root };
    let init = ws.git_commit_all("my own initial commit");
    let a = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&a);
    ws.docket(&["tag", &a.id, &tag]).ok();

    let mut t = Term::spawn(&ws, &[]);
    t.wait_loaded();
    select_case(&mut t, &a.id);
    t.send("n");
    t.wait_for(&format!("Note on {}", a.id));
    t.send("noted in the UI");
    t.wait_for("> noted in the UI");
    t.send("\r");
    t.wait_for(" 2 pending");
    t.send("c");
    t.wait_for("Docket-Action: note");
    t.send("\r");
    t.wait("the commit", |s| {
        s.contains(" 0 pending") && s.contains("committed: ")
    });
    t.send("q");
    assert_eq!(t.wait_exit(TIMEOUT), 0);

    assert_eq!(ws.git_out(&["rev-parse", "HEAD~1"]), init);
    assert_eq!(
        trailers(&ws.last_message()),
        vec![format!("tag {} +{tag}", a.id), format!("note {}", a.id)]
    );
    assert_eq!(ws.status(), "");
    ws.assert_fsck_clean();
}
