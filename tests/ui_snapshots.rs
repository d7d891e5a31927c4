#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Screen snapshots of every view and dialog, drawn by the pure
//! `ui::view::render` into a buffer at 80×24 and 120×40 (and the
//! "terminal too small" screen at 40×10). Each snapshot is the screen as
//! text, one line per row, trailing spaces trimmed; review them like code.
//!
//! The state is reached through `update` with key events, as a user would,
//! from the example workspace; ages count from a fixed `now`.

mod common;

use docket::ui::keymap::Keymap;
use docket::ui::msg::Msg;
use docket::ui::state::AppState;
use docket::ui::state::changes::ChangeRow;
use docket::ui::state::changes::Reparsed;
use docket::ui::theme::Theme;
use docket::ui::update::update;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::{Arc, OnceLock};

/// 2026-11-23T10:00:00Z, the `DOCKET_NOW` of the end-to-end tests.
const NOW: i64 = 1_795_428_000;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// The example workspace (kept on disk: case bodies are read from it, as
/// the runtime reads them) and its model.
fn example() -> &'static (common::Workspace, docket::model::Workspace) {
    static MODEL: OnceLock<(common::Workspace, docket::model::Workspace)> = OnceLock::new();
    MODEL.get_or_init(|| {
        let ws = common::Workspace::example();
        let model = docket::store::Store::open(&ws.root)
            .unwrap()
            .load()
            .unwrap();
        (ws, model)
    })
}

fn model() -> docket::model::Workspace {
    example().1.clone()
}

/// Reads the selected case's body as the runtime does after each update.
fn settle(s: &mut AppState) {
    let store = docket::store::Store::open(&example().0.root).unwrap();
    while let Some(path) = s.wants_body() {
        let body = store.case_at(&path).map(Arc::new).map_err(Into::into);
        update(s, Msg::Body(path, body));
    }
}

fn loaded(w: u16, h: u16) -> AppState {
    let mut s = AppState::new(Keymap::default(), Theme::new(true), w, h);
    s.now = NOW;
    // The message the runtime's loader sends.
    let now = s.now;
    update(
        &mut s,
        docket::ui::runtime::loads::indexed(model(), false, now, None),
    );
    settle(&mut s);
    s
}

fn press(s: &mut AppState, code: KeyCode, m: KeyModifiers) {
    update(s, Msg::Key(KeyEvent::new(code, m)));
    settle(s);
}

fn key(s: &mut AppState, code: KeyCode) {
    press(s, code, KeyModifiers::NONE);
}

fn typ(s: &mut AppState, text: &str) {
    for c in text.chars() {
        key(s, KeyCode::Char(c));
    }
}

fn selected_id(s: &AppState) -> String {
    s.selected_case().unwrap().id.to_owned()
}

/// Draws the state and returns the screen as text: wide characters once,
/// the cells they cover skipped, trailing spaces trimmed.
fn screen(s: &AppState) -> String {
    common::screen_of(s)
}

/// Snapshots the scene at both sizes.
fn snap(name: &str, scene: impl Fn(&mut AppState)) {
    for (w, h) in SIZES {
        let mut s = loaded(w, h);
        scene(&mut s);
        assert_eq!((s.width, s.height), (w, h));
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(&s));
    }
}

/// Pending rows as the store worker reports them after a tag and a note,
/// with two commits of history.
fn changes(s: &mut AppState) {
    let (a, b) = {
        let ws = s.ws.as_ref().unwrap();
        let c = |i| -> (String, String) {
            let c = ws.cases.get(i).unwrap();
            (c.id.to_owned(), c.path())
        };
        (c(0), c(1))
    };
    let row = |action: String, path: &str| ChangeRow {
        commit: None,
        title: action.clone(),
        when: "2026-11-23T10:00:00Z".into(),
        author: String::new(),
        actions: vec![action],
        paths: vec![path.to_owned()],
    };
    let pending = vec![
        row(format!("note {}", b.0), &b.1),
        row(format!("tag {} +tone -pii-leak", a.0), &a.1),
    ];
    let history = vec![
        ChangeRow {
            commit: Some("4f2a9c1d0b7e6a5f4c3b2a1908f7e6d5c4b3a291".into()),
            title: "docket: review 2026-11-09 — 2 tagged, 1 promoted".into(),
            when: "2026-11-09T11:30:00Z".into(),
            author: "Ana Ruiz <ana@northwind.example>".into(),
            actions: vec![
                format!("tag {} +hallucinated-promise", a.0),
                format!("tag {} +tone", b.0),
                format!("promote {} -> billing-refunds@v6", b.0),
            ],
            paths: Vec::new(),
        },
        ChangeRow {
            commit: Some("9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d".into()),
            title: "docket: init northwind-agents".into(),
            when: "2026-11-01T09:00:00Z".into(),
            author: "Lee Okafor <lee@northwind.example>".into(),
            actions: vec!["init".into()],
            paths: Vec::new(),
        },
    ];
    update(
        s,
        Msg::Changes {
            pending,
            history,
            hand_edits: vec!["runbooks/support-triage.md".into()],
            message: "docket: review 2026-11-23 — 1 tagged, 1 noted".into(),
        },
    );
}

#[test]
fn inbox() {
    snap("inbox", |_| {});
}

#[test]
fn inbox_filtered() {
    snap("inbox_filtered", |s| {
        key(s, KeyCode::Char('/'));
        typ(s, "status:new refund");
    });
}

#[test]
fn inbox_text_focused() {
    snap("inbox_text_focused", |s| {
        key(s, KeyCode::Char('j'));
        key(s, KeyCode::Enter);
        key(s, KeyCode::Char('j'));
        key(s, KeyCode::Char('j'));
    });
}

#[test]
fn sets() {
    snap("sets", |s| key(s, KeyCode::Char('2')));
}

/// What the store worker answers for the first set, in the shape of
/// `docket set diff`: one promotion, one hand removal, one hand edit.
fn since_review(s: &mut AppState) {
    use docket::store::{CaseDiff, Change, Chosen, Point, SetDiff, Touch};
    let set = s.ws.as_ref().unwrap().sets[0].id.clone();
    let touch = |commit: &str, summary: &str, actions: Vec<String>| Touch {
        commit: commit.into(),
        summary: summary.into(),
        author: "Ana Ruiz <ana@northwind.example>".into(),
        time: NOW,
        actions,
    };
    let case = |id: &str, change, commits, patch: &[&str]| CaseDiff {
        id: id.into(),
        path: format!("evals/sets/{set}/cases/{id}.toml"),
        change,
        commits,
        patch: patch.iter().map(|l| (*l).to_owned()).collect(),
    };
    let diff = SetDiff {
        set: set.clone(),
        from: Point {
            label: "review/2026-11-09".into(),
            commit: "4f2a9c1d0b7e6a5f4c3b2a1908f7e6d5c4b3a291".into(),
            version: Some(5),
            chosen: Chosen::LastReview,
        },
        to: Point {
            label: "HEAD".into(),
            commit: "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d".into(),
            version: Some(6),
            chosen: Chosen::Head,
        },
        cases: vec![
            case(
                "billing-tier1-0042",
                Change::Added,
                vec![touch(
                    "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
                    "docket: review 2026-11-23 — 1 promoted",
                    vec![format!("promote billing-tier1-0042 -> {set}@v6")],
                )],
                &[],
            ),
            case(
                "billing-tier1-0011",
                Change::Removed,
                vec![touch(
                    "7b6a5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b",
                    "drop a duplicate of 0017",
                    Vec::new(),
                )],
                &[],
            ),
            case(
                "billing-tier1-0017",
                Change::Changed,
                vec![touch(
                    "3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b",
                    "tighten the expected answer",
                    Vec::new(),
                )],
                &[
                    "diff --git a/x b/x",
                    "--- a/x",
                    "+++ b/x",
                    "@@ -12,3 +12,3 @@ [expected]",
                    " [expected]",
                    "-content = \"Explain the policy.\"",
                    "+content = \"Explain the 30-day window and offer a human.\"",
                ],
            ),
        ],
    };
    let generation = s.set_diffs.generation;
    update(
        s,
        Msg::SetDiff {
            set,
            generation,
            result: Ok(diff),
        },
    );
    // Scroll the text to the section, as a reader would.
    key(s, KeyCode::Enter);
    let at = s
        .detail
        .lines
        .iter()
        .position(|l| {
            l.spans
                .iter()
                .any(|x| x.content.contains("since the last review"))
        })
        .unwrap();
    for _ in 0..at {
        key(s, KeyCode::Down);
    }
}

#[test]
fn sets_since_review() {
    snap("sets_since_review", |s| {
        key(s, KeyCode::Char('2'));
        since_review(s);
    });
}

#[test]
fn runbooks() {
    snap("runbooks", |s| key(s, KeyCode::Char('3')));
}

#[test]
fn memos() {
    snap("memos", |s| key(s, KeyCode::Char('4')));
}

#[test]
fn changes_view() {
    snap("changes", |s| {
        changes(s);
        key(s, KeyCode::Char('5'));
    });
}

#[test]
fn tag_picker() {
    snap("tag_picker", |s| {
        key(s, KeyCode::Char('t'));
        // The first keyed tag the case lacks gets checked.
        let tags = s.selected_case().unwrap().tags.to_vec();
        let k =
            s.ws.as_ref()
                .unwrap()
                .config
                .tags
                .iter()
                .find(|t| !tags.contains(&t.name))
                .and_then(|t| t.key.as_ref())
                .and_then(|k| k.chars().next())
                .unwrap();
        key(s, KeyCode::Char(k));
        key(s, KeyCode::Down);
    });
}

#[test]
fn set_picker() {
    snap("set_picker", |s| {
        key(s, KeyCode::Char('p'));
        key(s, KeyCode::Down);
    });
}

#[test]
fn note_prompt() {
    snap("note_prompt", |s| {
        key(s, KeyCode::Char('n'));
        typ(
            s,
            "Same pattern as INC-1980; the bump ignored the Python pin.",
        );
    });
}

#[test]
fn dismiss_prompt() {
    snap("dismiss_prompt", |s| {
        key(s, KeyCode::Char('x'));
        typ(s, "duplicate of depbump-0097");
    });
}

#[test]
fn commit_dialog() {
    snap("commit", |s| {
        changes(s);
        key(s, KeyCode::Char('c'));
        update(
            s,
            Msg::Diff(
                [
                    "diff --git a/evals/failures/2026-11/depbump-0122.toml b/evals/failures/2026-11/depbump-0122.toml",
                    "--- a/evals/failures/2026-11/depbump-0122.toml",
                    "+++ b/evals/failures/2026-11/depbump-0122.toml",
                    "@@ -7,3 +7,3 @@",
                    " status = \"new\"",
                    "-tags = [\"unsafe-upgrade\"]",
                    "+tags = [\"unsafe-upgrade\", \"tone\"]",
                    " summary = \"Bumped numpy\"",
                ]
                .map(str::to_owned)
                .to_vec(),
            ),
        );
    });
}

#[test]
fn quit_confirmation() {
    snap("quit", |s| {
        changes(s);
        key(s, KeyCode::Char('q'));
    });
}

#[test]
fn help() {
    snap("help", |s| key(s, KeyCode::Char('?')));
}

#[test]
fn palette() {
    snap("palette", |s| {
        press(s, KeyCode::Char('p'), KeyModifiers::CONTROL);
        typ(s, "refund");
    });
}

#[test]
fn palette_commands() {
    snap("palette_commands", |s| {
        press(s, KeyCode::Char('p'), KeyModifiers::CONTROL);
        typ(s, "memo");
    });
}

#[test]
fn diagnostics() {
    snap("diagnostics", |s| {
        let path = s.selected_case().unwrap().path();
        let text = "id = \"not an id!\"\nagent = 7\n";
        let (parsed, diagnostics) = docket::model::workspace::parse_file(
            docket::model::workspace::Kind::Failure,
            &path,
            text.as_bytes(),
        );
        assert!(!diagnostics.is_empty());
        update(
            s,
            Msg::Edited(Ok(Reparsed {
                path,
                parsed,
                diagnostics,
            })),
        );
        settle(s);
    });
}

#[test]
fn terminal_too_small() {
    let mut s = loaded(40, 10);
    let before = selected_id(&s);
    key(&mut s, KeyCode::Char('j'));
    assert_eq!(selected_id(&s), before, "keys wait for a bigger terminal");
    insta::assert_snapshot!("too_small_40x10", screen(&s));
}

#[test]
fn the_set_picker_does_not_talk_about_tag_keys() {
    let mut s = loaded(80, 24);
    key(&mut s, KeyCode::Char('p'));
    let text = screen(&s);
    assert!(text.contains("Promote "), "{text}");
    assert!(!text.contains("tag's key"), "{text}");
}

#[test]
fn overview() {
    snap("overview", |s| key(s, KeyCode::Char('0')));
}
