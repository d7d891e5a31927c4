#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The terminal UI as *state in, keys, state and effects out*: `update` is
//! fed the example workspace and key events, with no terminal and no worker.
//! Effects are asserted on, never run.

mod common;

use docket::model::case::Status;
use docket::model::time;
use docket::model::workspace::{Kind, parse_file};
use docket::ui::action::{Action, COMMANDS};
use docket::ui::items::{Sort, View};
use docket::ui::keymap::Keymap;
use docket::ui::layout;
use docket::ui::msg::{Effect, Msg, OpRequest};
use docket::ui::state::changes::ChangeRow;
use docket::ui::state::changes::Reparsed;
use docket::ui::state::dialog::{Dialog, PaletteHit, PickerKind, PromptKind};
use docket::ui::state::{AppState, Focus, StatusKind};
use docket::ui::theme::Theme;
use docket::ui::update::{filter::SYNC_LIMIT, update};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// 2026-11-23T10:00:00Z, the `DOCKET_NOW` of the end-to-end tests.
const NOW: i64 = 1_795_428_000;

/// The example workspace, loaded once through the store, and its files.
struct Fixture {
    model: docket::model::Workspace,
    files: BTreeMap<String, Vec<u8>>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let ws = common::Workspace::example();
        let model = docket::store::Store::open(&ws.root)
            .unwrap()
            .load()
            .unwrap();
        Fixture {
            model,
            files: common::tree_files(&ws.root),
        }
    })
}

fn model() -> docket::model::Workspace {
    fixture().model.clone()
}

/// A fresh state at 80×24 with `ws` loaded; asserts the load needed no worker.
fn state_with(ws: docket::model::Workspace) -> (AppState, Vec<Effect>) {
    let mut s = AppState::new(Keymap::default(), Theme::new(false), 80, 24);
    s.now = NOW;
    // The message the runtime's loader sends.
    let now = s.now;
    let fx = update(
        &mut s,
        docket::ui::runtime::loads::indexed(ws, false, now, None),
    );
    settle(&mut s);
    (s, fx)
}

/// Reads the selected case's body as the runtime does after each update
/// (from the fixture's files; edits bring their own).
fn settle(s: &mut AppState) {
    while let Some(path) = s.wants_body() {
        let body = match fixture().files.get(&path) {
            Some(bytes) => match parse_file(Kind::Failure, &path, bytes).0 {
                Some(docket::model::workspace::Parsed::Failure(c)) => Ok(Arc::new(c)),
                _ => Err(anyhow::anyhow!("{path}: does not parse").into()),
            },
            None => Err(anyhow::anyhow!("{path}: not in the fixture").into()),
        };
        update(s, Msg::Body(path, body));
    }
}

fn loaded() -> AppState {
    let (s, fx) = state_with(model());
    assert!(
        fx.is_empty(),
        "a small workspace is filtered inline: {fx:?}"
    );
    assert!(!s.loading);
    assert!(s.ws.is_some());
    s
}

fn press_mod(s: &mut AppState, code: KeyCode, m: KeyModifiers) -> Vec<Effect> {
    let fx = update(s, Msg::Key(KeyEvent::new(code, m)));
    settle(s);
    fx
}

fn press(s: &mut AppState, code: KeyCode) -> Vec<Effect> {
    press_mod(s, code, KeyModifiers::NONE)
}

fn ch(s: &mut AppState, c: char) -> Vec<Effect> {
    let m = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    press_mod(s, KeyCode::Char(c), m)
}

fn ctrl(s: &mut AppState, c: char) -> Vec<Effect> {
    press_mod(s, KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Types `text` one key at a time; returns every effect.
fn typ(s: &mut AppState, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| ch(s, c)).collect()
}

/// What the tests read of a listed case (the workspace holds rows).
#[derive(Debug, Clone)]
struct Case {
    id: String,
    path: String,
    summary: String,
    status: Status,
    severity: Option<docket::model::case::Severity>,
    tags: Vec<String>,
    occurred_at: toml::value::Datetime,
}

impl From<docket::model::CaseRef<'_>> for Case {
    fn from(c: docket::model::CaseRef<'_>) -> Self {
        Self {
            id: c.id.to_owned(),
            path: c.path(),
            summary: c.summary.to_owned(),
            status: c.status,
            severity: c.severity,
            tags: c.tags.to_vec(),
            occurred_at: c.occurred_at,
        }
    }
}

fn case_at(s: &AppState, pos: usize) -> Case {
    let i = s.lists[View::Inbox.index()].visible[pos] as usize;
    s.ws.as_ref().unwrap().cases.get(i).unwrap().into()
}

fn selected(s: &AppState) -> Case {
    s.selected_case().expect("a selected case").into()
}

/// A copy of the case file at `path` of the fixture, as case `id` filed in
/// the same folder and occurring `at`, parsed.
fn copy_case(path: &str, id: &str, at: Option<&str>) -> docket::model::workspace::Parsed {
    let old = path.rsplit('/').next().unwrap().trim_end_matches(".toml");
    let mut text = String::from_utf8(fixture().files[path].clone())
        .unwrap()
        .replace(&format!("id = \"{old}\""), &format!("id = \"{id}\""));
    if let Some(at) = at {
        let line = text
            .lines()
            .find(|l| l.starts_with("occurred_at"))
            .unwrap()
            .to_owned();
        text = text.replace(&line, &format!("occurred_at = {at}"));
    }
    let new = format!("{}/{id}.toml", path.rsplit_once('/').unwrap().0);
    parse_file(Kind::Failure, &new, text.as_bytes()).0.unwrap()
}

fn status_text(s: &AppState) -> String {
    s.status
        .as_ref()
        .map(|(_, m)| m.clone())
        .unwrap_or_default()
}

/// The detail pane's lines as plain text.
fn detail_text(s: &AppState) -> String {
    s.detail
        .lines
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|sp| sp.content.as_ref())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text with every run of whitespace (line breaks of wrapping included)
/// made one space.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn pending_row(action: &str, path: &str) -> ChangeRow {
    ChangeRow {
        commit: None,
        title: action.to_owned(),
        when: "2026-11-23T10:00:00Z".to_owned(),
        author: String::new(),
        actions: vec![action.to_owned()],
        paths: vec![path.to_owned()],
    }
}

fn feed_pending(s: &mut AppState, rows: Vec<ChangeRow>) -> Vec<Effect> {
    update(
        s,
        Msg::Changes {
            pending: rows,
            history: Vec::new(),
            hand_edits: Vec::new(),
            message: "docket: review 2026-11-23 — 1 tagged".to_owned(),
        },
    )
}

fn occurred(c: &Case) -> i64 {
    time::unix_from_datetime(&c.occurred_at).unwrap()
}

#[test]
fn loads_into_the_inbox_newest_first() {
    let s = loaded();
    let ws = s.ws.as_ref().unwrap();
    assert_eq!(s.view, View::Inbox);
    assert_eq!(s.workspace_name, ws.config.workspace.name);
    let l = s.list();
    assert_eq!(l.visible.len(), ws.cases.len());
    assert_eq!((l.selected, l.offset), (0, 0));
    let times: Vec<i64> = (0..l.visible.len())
        .map(|p| occurred(&case_at(&s, p)))
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {times:?}"
    );
    // The detail pane shows the case under the cursor.
    let top = case_at(&s, 0);
    assert_eq!(s.detail.key, format!("case:{}", top.id));
    assert!(flat(&detail_text(&s)).contains(&flat(&top.summary)));
    for v in View::ALL {
        if v != View::Changes {
            assert!(
                !s.lists[v.index()].index.is_empty(),
                "{v:?} has nothing indexed"
            );
        }
    }
}

#[test]
fn moves_with_j_k_g_bottom_and_pages() {
    let mut s = loaded();
    let n = s.list().visible.len();
    let rows = layout::list_rows(80, 24);
    assert!(n > rows, "the example should fill more than a page");

    assert!(ch(&mut s, 'j').is_empty());
    assert_eq!(s.list().selected, 1);
    assert_eq!(s.detail.key, format!("case:{}", case_at(&s, 1).id));
    press(&mut s, KeyCode::Down);
    assert_eq!(s.list().selected, 2);
    ch(&mut s, 'k');
    press(&mut s, KeyCode::Up);
    assert_eq!(s.list().selected, 0);
    ch(&mut s, 'k');
    assert_eq!(s.list().selected, 0, "k at the top stays");

    ch(&mut s, 'G');
    assert_eq!(s.list().selected, n - 1);
    assert_eq!(s.list().offset, n - rows, "the last row is on screen");
    assert_eq!(s.detail.key, format!("case:{}", case_at(&s, n - 1).id));
    ch(&mut s, 'j');
    assert_eq!(s.list().selected, n - 1, "j at the bottom stays");
    ch(&mut s, 'g');
    assert_eq!((s.list().selected, s.list().offset), (0, 0));

    press(&mut s, KeyCode::PageDown);
    assert_eq!(s.list().selected, rows);
    assert!(s.list().offset <= rows && rows < s.list().offset + rows);
    press(&mut s, KeyCode::PageUp);
    assert_eq!(s.list().selected, 0);
    ctrl(&mut s, 'd');
    assert_eq!(s.list().selected, rows, "ctrl-d pages down too");
    press(&mut s, KeyCode::End);
    assert_eq!(s.list().selected, n - 1);
    press(&mut s, KeyCode::Home);
    assert_eq!(s.list().selected, 0);
}

#[test]
fn enter_focuses_the_text_and_movement_scrolls_it() {
    let mut s = loaded();
    assert!(s.detail.lines.len() > 3);
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.focus, Focus::Detail);
    ch(&mut s, 'j');
    assert_eq!(s.list().selected, 0, "the cursor stays put");
    assert_eq!(s.detail.scroll, 1);
    ch(&mut s, 'G');
    let rows = usize::from(layout::panes(80, 24).detail.height) - 1;
    assert_eq!(
        s.detail.scroll,
        s.detail.lines.len() - rows,
        "G scrolls until the last line is at the bottom"
    );
    ch(&mut s, 'g');
    assert_eq!(s.detail.scroll, 0);
    press(&mut s, KeyCode::Esc);
    assert_eq!(s.focus, Focus::List);
    // J scrolls the text from the list.
    ch(&mut s, 'J');
    assert_eq!(s.detail.scroll, 3);
    ch(&mut s, 'K');
    assert_eq!(s.detail.scroll, 0);
    // Moving to another item resets the scroll.
    ch(&mut s, 'J');
    ch(&mut s, 'j');
    assert_eq!(s.detail.scroll, 0);
}

#[test]
fn switches_views_by_number_and_tab() {
    let mut s = loaded();
    ch(&mut s, 'j');
    for (c, v) in [
        ('2', View::Sets),
        ('3', View::Runbooks),
        ('4', View::Memos),
        ('5', View::Changes),
        ('1', View::Inbox),
    ] {
        let fx = ch(&mut s, c);
        if v == View::Sets {
            // Showing a set asks the worker, once, what changed in it
            // since the last review.
            let set = s.ws.as_ref().unwrap().sets[0].id.clone();
            let generation = s.set_diffs.generation;
            assert_eq!(fx, vec![Effect::LoadSetDiff { set, generation }]);
        } else {
            assert!(fx.is_empty(), "key {c}: {fx:?}");
        }
        assert_eq!(s.view, v, "key {c}");
    }
    assert_eq!(s.list().selected, 1, "each view keeps its cursor");
    for v in [
        View::Sets,
        View::Runbooks,
        View::Memos,
        View::Changes,
        View::Overview,
        View::Inbox,
    ] {
        press(&mut s, KeyCode::Tab);
        assert_eq!(s.view, v);
    }
    press_mod(&mut s, KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(s.view, View::Overview);
    press_mod(&mut s, KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(s.view, View::Changes);
    ch(&mut s, '0');
    assert_eq!(s.view, View::Overview);

    ch(&mut s, '2');
    let ws = s.ws.as_ref().unwrap();
    assert_eq!(s.list().visible.len(), ws.sets.len());
    assert_eq!(s.detail.key, format!("set:{}", ws.sets[0].id));
    ch(&mut s, '3');
    let ws = s.ws.as_ref().unwrap();
    assert_eq!(s.detail.key, format!("runbook:{}", ws.runbooks[0].id));
    ch(&mut s, '4');
    let ws = s.ws.as_ref().unwrap();
    assert_eq!(s.detail.key, format!("memo:{}", ws.memos[0].id));
    ch(&mut s, '5');
    assert!(s.list().visible.is_empty(), "no changes yet");
    assert_eq!(s.detail.key, "none");
}

#[test]
fn filter_by_facet_then_fuzzy_text_then_clear() {
    let mut s = loaded();
    let all = s.list().visible.len();
    let new =
        s.ws.as_ref()
            .unwrap()
            .cases
            .iter()
            .filter(|c| c.status == Status::New)
            .count();
    assert!(0 < new && new < all);
    for _ in 0..5 {
        ch(&mut s, 'j');
    }
    assert_eq!(s.list().selected, 5);

    assert!(ch(&mut s, '/').is_empty());
    assert!(s.filter_editing);
    let fx = typ(&mut s, "status:new");
    assert!(fx.is_empty(), "inline filtering asks no worker: {fx:?}");
    assert_eq!(s.list().query, "status:new");
    assert_eq!(s.list().visible.len(), new);
    assert_eq!(
        (s.list().selected, s.list().offset),
        (0, 0),
        "a new query puts the cursor on the best match"
    );
    for p in 0..new {
        assert_eq!(case_at(&s, p).status, Status::New);
    }
    // j while typing is text, not movement; arrows still move.
    press(&mut s, KeyCode::Down);
    assert_eq!(s.list().selected, 1);

    typ(&mut s, " refund");
    let narrowed = s.list().visible.len();
    assert!(
        0 < narrowed && narrowed < new,
        "fuzzy text narrows: {narrowed} of {new}"
    );
    assert_eq!(s.list().selected, 0, "the cursor goes back to the top");
    for p in 0..narrowed {
        assert_eq!(case_at(&s, p).status, Status::New);
    }
    let best = case_at(&s, 0).clone();
    assert!(
        best.summary.to_lowercase().contains("refund"),
        "the best match mentions a refund: {}",
        best.summary
    );
    assert_eq!(s.detail.key, format!("case:{}", best.id));

    press(&mut s, KeyCode::Backspace);
    assert_eq!(s.list().query, "status:new refun");

    // Enter leaves the field and keeps the filter.
    press(&mut s, KeyCode::Enter);
    assert!(!s.filter_editing);
    assert_eq!(s.list().query, "status:new refun");
    ch(&mut s, 'j');
    assert_eq!(s.list().selected, 1, "j moves again once the field is left");

    // Esc in the list clears the filter.
    press(&mut s, KeyCode::Esc);
    assert!(s.list().query.is_empty());
    assert_eq!(s.list().visible.len(), all);

    // Esc while typing clears it too.
    ch(&mut s, '/');
    typ(&mut s, "zzzzqqqq");
    assert!(s.list().visible.is_empty(), "no match");
    press(&mut s, KeyCode::Esc);
    assert!(!s.filter_editing);
    assert!(s.list().query.is_empty());
    assert_eq!(s.list().visible.len(), all);
}

#[test]
fn o_cycles_the_sort_and_keeps_the_cursor_on_its_case() {
    let mut s = loaded();
    ch(&mut s, 'j');
    ch(&mut s, 'j');
    let before = selected(&s).id;
    assert_eq!(s.sort, Sort::Newest);

    assert!(ch(&mut s, 'o').is_empty());
    assert_eq!(s.sort, Sort::Oldest);
    assert_eq!(status_text(&s), "sorted by oldest first");
    let n = s.list().visible.len();
    let times: Vec<i64> = (0..n).map(|p| occurred(&case_at(&s, p))).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    assert_eq!(selected(&s).id, before, "the cursor follows its case");

    ch(&mut s, 'o');
    assert_eq!(s.sort, Sort::Severity);
    let ranks: Vec<u8> = (0..n)
        .map(|p| case_at(&s, p).severity.map_or(9, |x| x as u8))
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "worst first");
    ch(&mut s, 'o');
    assert_eq!(s.sort, Sort::Id);
    let ids: Vec<String> = (0..n).map(|p| case_at(&s, p).id.clone()).collect();
    assert!(ids.windows(2).all(|w| w[0] <= w[1]), "by id");
    ch(&mut s, 'o');
    assert_eq!(s.sort, Sort::Newest);

    // Only the Inbox sorts.
    ch(&mut s, '2');
    s.status = None;
    ch(&mut s, 'o');
    assert_eq!(s.sort, Sort::Newest);
    assert!(s.status.is_none());
}

#[test]
fn tag_picker_keys_toggle_and_enter_applies() {
    let mut s = loaded();
    let tags = s.ws.as_ref().unwrap().config.tags.clone();
    // The newest case carrying a keyed tag (the newest of all are fresh
    // imports, untagged).
    let keyed = |c: &Case| {
        tags.iter()
            .any(|t| t.key.is_some() && c.tags.contains(&t.name))
    };
    for _ in 0..100 {
        if keyed(&selected(&s)) {
            break;
        }
        ch(&mut s, 'j');
    }
    let case = selected(&s);
    let add = tags
        .iter()
        .find(|t| t.key.is_some() && !case.tags.contains(&t.name))
        .expect("a keyed tag the case lacks");
    let remove = tags
        .iter()
        .find(|t| t.key.is_some() && case.tags.contains(&t.name))
        .expect("an example case carries a keyed tag");
    let key_of = |t: &docket::model::config::Tag| t.key.as_ref().unwrap().chars().next().unwrap();

    assert!(ch(&mut s, 't').is_empty());
    let Some(Dialog::Picker {
        kind,
        items,
        searching,
        ..
    }) = &s.dialog
    else {
        panic!("t opens the tag picker: {:?}", s.dialog);
    };
    assert_eq!(
        kind,
        &PickerKind::Tag {
            case: case.id.clone()
        }
    );
    assert!(!searching);
    assert_eq!(items.len(), tags.len(), "every taxonomy tag is offered");
    for it in items {
        assert_eq!(
            it.checked,
            case.tags.contains(&it.id),
            "{} starts as on the case",
            it.id
        );
    }

    assert!(ch(&mut s, key_of(add)).is_empty());
    assert!(ch(&mut s, key_of(remove)).is_empty());
    let Some(Dialog::Picker { items, query, .. }) = &s.dialog else {
        panic!("the picker stays open while toggling");
    };
    assert!(query.is_empty(), "a tag key is not search text");
    assert!(items.iter().find(|i| i.id == add.name).unwrap().checked);
    assert!(!items.iter().find(|i| i.id == remove.name).unwrap().checked);

    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::Apply(OpRequest::Tag {
            case: case.id.clone(),
            add: vec![add.name.clone()],
            remove: vec![remove.name.clone()],
        })]
    );
    assert!(s.dialog.is_none());
    assert_eq!(s.busy, 1, "a spinner shows until the worker answers");
}

#[test]
fn tag_picker_searches_and_enter_toggles_the_match() {
    let mut s = loaded();
    let case = selected(&s);
    let tags = s.ws.as_ref().unwrap().config.tags.clone();
    let target = tags
        .iter()
        .find(|t| !case.tags.contains(&t.name) && t.name.len() > 5)
        .unwrap();
    ch(&mut s, 't');
    ch(&mut s, '/');
    typ(&mut s, &target.name);
    let Some(Dialog::Picker {
        query,
        visible,
        items,
        selected,
        searching,
        ..
    }) = &s.dialog
    else {
        panic!("picker");
    };
    assert!(searching);
    assert_eq!(query, &target.name);
    assert!(visible.len() < items.len(), "the search narrows the tags");
    assert_eq!(items[visible[*selected]].id, target.name);
    // Nothing toggled: Enter toggles the tag under the cursor.
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::Apply(OpRequest::Tag {
            case: case.id,
            add: vec![target.name.clone()],
            remove: vec![],
        })]
    );

    // Esc cancels without an effect; toggling twice is no change.
    ch(&mut s, 't');
    let k = tags
        .iter()
        .find_map(|t| t.key.as_ref())
        .unwrap()
        .chars()
        .next()
        .unwrap();
    ch(&mut s, k);
    ch(&mut s, k);
    ch(&mut s, ' ');
    ch(&mut s, ' ');
    assert!(press(&mut s, KeyCode::Esc).is_empty());
    assert!(s.dialog.is_none());
}

#[test]
fn p_then_enter_promotes_into_the_selected_set() {
    let mut s = loaded();
    let case = selected(&s);
    let sets: Vec<String> =
        s.ws.as_ref()
            .unwrap()
            .sets
            .iter()
            .map(|x| x.id.clone())
            .collect();
    assert!(sets.len() >= 2);
    assert!(ch(&mut s, 'p').is_empty());
    let Some(Dialog::Picker { kind, items, .. }) = &s.dialog else {
        panic!("p opens the set picker: {:?}", s.dialog);
    };
    assert_eq!(
        kind,
        &PickerKind::Set {
            case: case.id.clone()
        }
    );
    assert_eq!(items.iter().map(|i| i.id.clone()).collect::<Vec<_>>(), sets);
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::Apply(OpRequest::Promote {
            case: case.id.clone(),
            set: sets[0].clone(),
        })]
    );
    assert!(s.dialog.is_none());

    // Down picks the next set; typing searches (letters are not keys here).
    ch(&mut s, 'p');
    press(&mut s, KeyCode::Down);
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::Apply(OpRequest::Promote {
            case: case.id.clone(),
            set: sets[1].clone(),
        })]
    );
    let last = sets.last().unwrap();
    ch(&mut s, 'p');
    typ(&mut s, last);
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::Apply(OpRequest::Promote {
            case: case.id,
            set: last.clone(),
        })]
    );
}

#[test]
fn x_asks_a_reason_then_dismisses() {
    let mut s = loaded();
    let case = selected(&s);
    assert!(ch(&mut s, 'x').is_empty());
    assert_eq!(
        s.dialog,
        Some(Dialog::Prompt {
            kind: PromptKind::Dismiss {
                case: case.id.clone()
            },
            text: String::new(),
        })
    );
    assert!(press(&mut s, KeyCode::Enter).is_empty(), "no empty reason");
    assert!(s.dialog.is_some());
    typ(&mut s, "duplicate of billing-tier1-0017x");
    press(&mut s, KeyCode::Backspace);
    // q, j and digits are text inside a prompt.
    typ(&mut s, " q j 1");
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::Apply(OpRequest::Dismiss {
            case: case.id,
            reason: "duplicate of billing-tier1-0017 q j 1".into(),
        })]
    );
    assert!(s.dialog.is_none());
    assert!(!s.quit);
    assert_eq!(s.view, View::Inbox);
}

#[test]
fn n_adds_a_note_and_esc_cancels() {
    let mut s = loaded();
    let case = selected(&s);
    ch(&mut s, 'n');
    assert!(matches!(
        &s.dialog,
        Some(Dialog::Prompt { kind: PromptKind::Note { case: c }, .. }) if *c == case.id
    ));
    typ(&mut s, "never sent");
    assert!(press(&mut s, KeyCode::Esc).is_empty());
    assert!(s.dialog.is_none());

    ch(&mut s, 'n');
    typ(&mut s, "Same pattern as INC-1980.");
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::Apply(OpRequest::Note {
            case: case.id,
            text: "Same pattern as INC-1980.".into(),
        })]
    );
}

#[test]
fn triage_keys_outside_the_inbox_explain_themselves() {
    let mut s = loaded();
    ch(&mut s, '2');
    for c in ['t', 'p', 'x', 'n'] {
        s.status = None;
        assert!(ch(&mut s, c).is_empty());
        assert!(s.dialog.is_none(), "{c} opens nothing in Sets");
        assert!(
            status_text(&s).contains("open the Inbox (1)"),
            "{c}: {:?}",
            s.status
        );
    }
}

#[test]
fn e_asks_to_edit_the_selected_file() {
    let mut s = loaded();
    let case = selected(&s);
    assert_eq!(ch(&mut s, 'e'), vec![Effect::Edit { path: case.path }]);
    ch(&mut s, '4');
    let memo = s.ws.as_ref().unwrap().memos[0].path.clone();
    assert_eq!(ch(&mut s, 'e'), vec![Effect::Edit { path: memo }]);
}

#[test]
fn u_and_c_with_nothing_pending_only_say_so() {
    let mut s = loaded();
    assert!(ch(&mut s, 'u').is_empty());
    assert_eq!(
        s.status,
        Some((StatusKind::Info, "nothing to undo".to_owned()))
    );
    assert_eq!(s.busy, 0);
    assert!(ch(&mut s, 'c').is_empty());
    assert_eq!(
        s.status,
        Some((StatusKind::Info, "nothing to commit".to_owned()))
    );
    assert!(s.dialog.is_none());
}

#[test]
fn u_and_c_with_pending_changes_ask_the_worker() {
    let mut s = loaded();
    let case = selected(&s);
    let action = format!("tag {} +tone", case.id);
    let fx = feed_pending(&mut s, vec![pending_row(&action, &case.path)]);
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(s.pending.len(), 1);
    // The Changes view lists it.
    assert_eq!(s.lists[View::Changes.index()].visible.len(), 1);

    assert_eq!(ch(&mut s, 'u'), vec![Effect::Undo]);
    assert_eq!(s.busy, 1);

    assert_eq!(ch(&mut s, 'c'), vec![Effect::LoadDiff]);
    let Some(Dialog::Commit { message, .. }) = &s.dialog else {
        panic!("c opens the commit dialog: {:?}", s.dialog);
    };
    assert_eq!(message, "docket: review 2026-11-23 — 1 tagged");
    typ(&mut s, "!");
    assert_eq!(
        press(&mut s, KeyCode::Enter),
        vec![Effect::Commit {
            message: "docket: review 2026-11-23 — 1 tagged!".into(),
            all: false,
        }]
    );
    assert!(s.dialog.is_none());
    assert_eq!(s.busy, 2);

    let fx = update(&mut s, Msg::Committed(Ok("docket: review".into())));
    assert_eq!(fx, vec![Effect::RefreshChanges]);
    assert_eq!(s.busy, 1);
    assert_eq!(status_text(&s), "committed: docket: review");
}

#[test]
fn q_quits_at_once_when_nothing_is_pending() {
    let mut s = loaded();
    assert!(ch(&mut s, 'q').is_empty());
    assert!(s.quit);
}

#[test]
fn q_with_pending_changes_asks_first() {
    let mut s = loaded();
    let case = selected(&s);
    feed_pending(
        &mut s,
        vec![pending_row(&format!("note {}", case.id), &case.path)],
    );
    ch(&mut s, 'q');
    assert!(!s.quit);
    assert_eq!(s.dialog, Some(Dialog::ConfirmQuit));
    ch(&mut s, 'j');
    assert_eq!(s.dialog, Some(Dialog::ConfirmQuit), "other keys do nothing");
    ch(&mut s, 'n');
    assert!(s.dialog.is_none());
    assert!(!s.quit);

    ch(&mut s, 'q');
    press(&mut s, KeyCode::Esc);
    assert!(s.dialog.is_none());

    // c goes to the commit dialog instead.
    ch(&mut s, 'q');
    assert_eq!(ch(&mut s, 'c'), vec![Effect::LoadDiff]);
    assert!(matches!(s.dialog, Some(Dialog::Commit { .. })));
    press(&mut s, KeyCode::Esc);

    // ctrl-c is quit too.
    ctrl(&mut s, 'c');
    assert_eq!(s.dialog, Some(Dialog::ConfirmQuit));
    ch(&mut s, 'y');
    assert!(s.quit);
}

#[test]
fn help_opens_scrolls_and_closes() {
    let mut s = loaded();
    ch(&mut s, '?');
    assert_eq!(s.dialog, Some(Dialog::Help { scroll: 0 }));
    ch(&mut s, 'j');
    ch(&mut s, 'j');
    ch(&mut s, 'k');
    assert_eq!(s.dialog, Some(Dialog::Help { scroll: 1 }));
    ch(&mut s, 'x');
    assert_eq!(
        s.dialog,
        Some(Dialog::Help { scroll: 1 }),
        "keys do not leak through help"
    );
    assert!(press(&mut s, KeyCode::Esc).is_empty());
    assert!(s.dialog.is_none());
    ch(&mut s, '?');
    ch(&mut s, '?');
    assert!(s.dialog.is_none(), "? toggles");
}

#[test]
fn palette_jumps_to_a_set() {
    let mut s = loaded();
    let ws = s.ws.as_ref().unwrap();
    let target = ws.sets[1].id.clone();
    let target_index = 1usize;
    assert!(ctrl(&mut s, 'p').is_empty());
    let Some(Dialog::Palette { hits, .. }) = &s.dialog else {
        panic!("ctrl-p opens the palette: {:?}", s.dialog);
    };
    assert!(!hits.is_empty(), "an empty query lists targets");

    let fx = typ(&mut s, &target);
    assert!(fx.is_empty(), "a small palette matches inline: {fx:?}");
    let Some(Dialog::Palette {
        query,
        hits,
        selected,
    }) = &s.dialog
    else {
        panic!("palette");
    };
    assert_eq!(query, &target);
    assert_eq!(*selected, 0);
    let pos = hits
        .iter()
        .position(|h| h.view == View::Sets && h.id == target)
        .unwrap_or_else(|| panic!("the set is a hit: {hits:?}"));
    for _ in 0..pos {
        press(&mut s, KeyCode::Down);
    }
    assert_eq!(
        press(&mut s, KeyCode::Enter),
        vec![Effect::LoadSetDiff {
            set: target.clone(),
            generation: s.set_diffs.generation
        }],
        "the set's diff since the last review is asked for"
    );
    assert!(s.dialog.is_none());
    assert_eq!(s.view, View::Sets);
    assert_eq!(s.list().current(), Some(target_index));
    assert_eq!(s.detail.key, format!("set:{target}"));
    assert!(s.list().query.is_empty());
}

#[test]
fn palette_jumps_to_a_case_and_a_tag() {
    let mut s = loaded();
    ch(&mut s, '3');
    let (id, tag) = {
        let ws = s.ws.as_ref().unwrap();
        let c = ws.cases.get(ws.cases.len() / 2).unwrap();
        (c.id.to_owned(), ws.config.tags[0].name.clone())
    };
    ctrl(&mut s, 'p');
    typ(&mut s, &id);
    let Some(Dialog::Palette { hits, .. }) = &s.dialog else {
        panic!("palette");
    };
    let pos = hits.iter().position(|h| h.id == id).expect("case hit");
    for _ in 0..pos {
        ctrl(&mut s, 'n');
    }
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.view, View::Inbox);
    assert_eq!(selected(&s).id, id);
    let l = s.list();
    assert!(
        l.offset <= l.selected && l.selected < l.offset + layout::list_rows(80, 24),
        "the case is on screen"
    );

    ctrl(&mut s, 'p');
    typ(&mut s, &format!("tag {tag}"));
    let Some(Dialog::Palette { hits, .. }) = &s.dialog else {
        panic!("palette");
    };
    let want = format!("tag:{tag}");
    let pos = hits.iter().position(|h| h.id == want).expect("tag hit");
    for _ in 0..pos {
        press(&mut s, KeyCode::Down);
    }
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.view, View::Inbox);
    assert_eq!(s.list().query, want);
    let n = s.list().visible.len();
    assert!(n > 0);
    for p in 0..n {
        assert!(case_at(&s, p).tags.contains(&tag));
    }
}

#[test]
fn applied_files_update_the_case_shown() {
    let mut s = loaded();
    ch(&mut s, 'j');
    let case = selected(&s);
    let text = String::from_utf8(fixture().files[&case.path].clone()).unwrap();
    let mut doc: toml_edit::DocumentMut = text.parse().unwrap();
    let mut tags = toml_edit::Array::new();
    for t in &case.tags {
        tags.push(t.as_str());
    }
    tags.push("stale-data");
    doc["tags"] = toml_edit::value(tags);
    doc["summary"] = toml_edit::value("A summary the worker re-read");
    let (parsed, diagnostics) = parse_file(Kind::Failure, &case.path, doc.to_string().as_bytes());
    assert!(parsed.is_some(), "{diagnostics:?}");
    let action = format!("tag {} +stale-data", case.id);

    ch(&mut s, 'n');
    typ(&mut s, "x");
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.busy, 1);
    let fx = update(
        &mut s,
        Msg::Applied(Ok((
            vec![docket::ops::Action::Tag {
                case: case.id.clone(),
                added: vec!["stale-data".into()],
                removed: Vec::new(),
            }],
            vec![Reparsed {
                path: case.path.clone(),
                parsed,
                diagnostics,
            }],
        ))),
    );
    assert_eq!(fx, vec![Effect::RefreshChanges]);
    assert_eq!(s.busy, 0);
    assert_eq!(s.status, Some((StatusKind::Info, action)));
    assert_eq!(selected(&s).id, case.id, "the cursor stays on the case");
    let now = selected(&s);
    assert!(now.tags.contains(&"stale-data".to_owned()));
    assert_eq!(now.summary, "A summary the worker re-read");
    let shown = flat(&detail_text(&s));
    assert!(shown.contains("A summary the worker re-read"), "{shown}");
    assert!(shown.contains("stale-data"), "{shown}");
    assert_eq!(
        s.ws.as_ref().unwrap().cases.len(),
        fixture().model.cases.len(),
        "replaced, not added"
    );

    // An error becomes a status message, never a panic.
    let fx = update(
        &mut s,
        Msg::Applied(Err(anyhow::anyhow!("the case moved").into())),
    );
    assert_eq!(fx, vec![Effect::RefreshChanges]);
    assert_eq!(
        s.status,
        Some((StatusKind::Error, "the case moved".to_owned()))
    );
}

#[test]
fn an_edited_file_with_problems_opens_diagnostics() {
    let mut s = loaded();
    let case = selected(&s);
    let (parsed, diagnostics) = parse_file(Kind::Failure, &case.path, b"id = 3\n");
    assert!(parsed.is_none());
    assert!(!diagnostics.is_empty());
    let fx = update(
        &mut s,
        Msg::Edited(Ok(Reparsed {
            path: case.path.clone(),
            parsed,
            diagnostics,
        })),
    );
    assert_eq!(fx, vec![Effect::RefreshChanges]);
    let Some(Dialog::Diagnostics { title, lines }) = &s.dialog else {
        panic!("diagnostics dialog: {:?}", s.dialog);
    };
    assert!(title.contains(&case.path));
    assert!(!lines.is_empty());
    press(&mut s, KeyCode::Esc);
    assert!(s.dialog.is_none());
}

#[test]
fn release_events_are_ignored() {
    let mut s = loaded();
    let mut k = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    k.kind = KeyEventKind::Release;
    update(&mut s, Msg::Key(k));
    assert_eq!(s.list().selected, 0);
}

#[test]
fn a_terminal_too_small_takes_only_quit() {
    let mut s = loaded();
    update(&mut s, Msg::Resize(40, 10));
    assert_eq!((s.width, s.height), (40, 10));
    ch(&mut s, 'j');
    ch(&mut s, 't');
    assert_eq!(s.list().selected, 0);
    assert!(s.dialog.is_none());
    ch(&mut s, 'q');
    assert!(s.quit);
}

/// The example's cases plus enough copies to pass [`SYNC_LIMIT`].
fn big_model() -> docket::model::Workspace {
    let mut ws = model();
    let template = ws.cases.get(0).unwrap().path();
    for n in 0..=SYNC_LIMIT {
        ws.add(
            Some(copy_case(&template, &format!("syn-{n:05}"), None)),
            Vec::new(),
        );
    }
    ws.finish();
    ws
}

#[test]
fn a_large_list_is_matched_on_the_worker() {
    let ws = big_model();
    let total = ws.cases.len();
    assert!(total > SYNC_LIMIT);
    let (mut s, fx) = state_with(ws);
    let inbox = View::Inbox.index();
    let index = Arc::clone(&s.lists[inbox].index);
    assert_eq!(index.len(), total);
    let g0 = s.lists[inbox].generation;
    assert_eq!(
        fx,
        vec![Effect::Match {
            view: View::Inbox,
            generation: g0,
            query: String::new(),
            sort: Sort::Newest,
            index: Arc::clone(&index),
        }],
        "only the big Inbox goes to the worker"
    );
    assert!(s.lists[inbox].matching);
    assert!(s.lists[inbox].visible.is_empty());

    let all: Vec<u32> = (0..u32::try_from(total).unwrap()).collect();
    assert!(
        update(
            &mut s,
            Msg::Matched {
                view: View::Inbox,
                generation: g0,
                visible: all.clone(),
                partial: false,
            },
        )
        .is_empty()
    );
    assert!(!s.lists[inbox].matching);
    assert_eq!(s.lists[inbox].visible.len(), total);

    ch(&mut s, '/');
    let fx = ch(&mut s, 's');
    assert_eq!(
        fx,
        vec![Effect::Match {
            view: View::Inbox,
            generation: g0 + 1,
            query: "s".into(),
            sort: Sort::Newest,
            index: Arc::clone(&index),
        }]
    );
    assert!(s.lists[inbox].matching);
    assert_eq!(
        s.lists[inbox].visible.len(),
        total,
        "the old rows stay until the worker answers"
    );
    let fx = ch(&mut s, 'y');
    assert_eq!(
        fx,
        vec![Effect::Match {
            view: View::Inbox,
            generation: g0 + 2,
            query: "sy".into(),
            sort: Sort::Newest,
            index: Arc::clone(&index),
        }]
    );

    // The answer to the older query is dropped.
    update(
        &mut s,
        Msg::Matched {
            view: View::Inbox,
            generation: g0 + 1,
            visible: vec![7],
            partial: false,
        },
    );
    assert!(s.lists[inbox].matching);
    assert_eq!(s.lists[inbox].visible.len(), total);

    // The newest is taken, with the cursor on the best match.
    update(
        &mut s,
        Msg::Matched {
            view: View::Inbox,
            generation: g0 + 2,
            visible: vec![9, 4, 2],
            partial: false,
        },
    );
    let l = &s.lists[inbox];
    assert!(!l.matching);
    assert_eq!(l.visible, vec![9, 4, 2]);
    assert_eq!((l.selected, l.offset), (0, 0));
    let id = s.ws.as_ref().unwrap().cases.get(9).unwrap().id.to_owned();
    assert_eq!(s.detail.key, format!("case:{id}"));

    // Sorting goes to the worker too.
    press(&mut s, KeyCode::Enter);
    let fx = ch(&mut s, 'o');
    assert!(
        matches!(&fx[..], [Effect::Match { generation, sort: Sort::Oldest, .. }] if *generation == g0 + 3),
        "{fx:?}"
    );
}

#[test]
fn a_large_palette_is_matched_on_the_worker() {
    let (mut s, _) = state_with(big_model());
    assert!(ctrl(&mut s, 'p').is_empty(), "the empty query lists inline");
    let g = s.palette_generation;
    let fx = ch(&mut s, 'z');
    let index = Arc::clone(&s.palette_index);
    assert_eq!(
        fx,
        vec![Effect::PaletteMatch {
            generation: g + 1,
            query: "z".into(),
            index,
        }]
    );
    ch(&mut s, 'q');
    let hits_before = match &s.dialog {
        Some(Dialog::Palette { hits, .. }) => hits.clone(),
        d => panic!("palette: {d:?}"),
    };
    update(
        &mut s,
        Msg::PaletteMatched {
            generation: g + 1,
            visible: vec![0],
        },
    );
    let Some(Dialog::Palette { hits, .. }) = &s.dialog else {
        panic!("palette");
    };
    assert_eq!(hits, &hits_before, "an old answer is dropped");
    update(
        &mut s,
        Msg::PaletteMatched {
            generation: g + 2,
            visible: vec![1, 0],
        },
    );
    let Some(Dialog::Palette { hits, .. }) = &s.dialog else {
        panic!("palette");
    };
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0], s.palette_targets[1]);
}

#[test]
fn reload_keeps_the_cursor_on_its_case() {
    let mut s = loaded();
    for _ in 0..3 {
        ch(&mut s, 'j');
    }
    let before = selected(&s).id;
    let pos = s.list().selected;
    // Someone added a case whose id sorts first and which is older than
    // every other: the display order of the rest does not change.
    let mut ws = model();
    let first = ws.cases.get(0).unwrap().path();
    ws.add(
        Some(copy_case(&first, "aaa-0001", Some("2020-01-01T00:00:00Z"))),
        Vec::new(),
    );
    ws.finish();
    ctrl(&mut s, 'r');
    // The message the runtime's loader sends.
    let now = s.now;
    update(
        &mut s,
        docket::ui::runtime::loads::indexed(ws, false, now, None),
    );
    assert_eq!(
        selected(&s).id,
        before,
        "the cursor was on {before} at row {pos}; now on row {}",
        s.list().selected
    );
}

#[test]
fn long_field_names_are_separated_from_their_values() {
    let mut s = loaded();
    ch(&mut s, '3');
    let runbooks = s.ws.as_ref().unwrap().runbooks.clone();
    let mut checked = 0;
    for (n, r) in runbooks.iter().enumerate() {
        assert_eq!(s.detail.key, format!("runbook:{}", r.id), "runbook {n}");
        let text = detail_text(&s);
        for a in &r.actions {
            let line = text
                .lines()
                .find(|l| l.starts_with(&a.name))
                .unwrap_or_else(|| panic!("{}: no line for action {}", r.id, a.name));
            let after = line[a.name.len()..].chars().next();
            assert!(
                after.is_some_and(char::is_whitespace),
                "{}: action {:?} runs into its value: {line:?}",
                r.id,
                a.name
            );
            checked += 1;
        }
        ch(&mut s, 'j');
    }
    assert!(checked > 0, "the example runbooks have actions");
}

#[test]
fn the_end_of_the_text_fills_the_pane() {
    let mut s = loaded();
    let rows = usize::from(layout::panes(80, 24).detail.height);
    let total = s.detail.lines.len();
    assert!(total > rows, "the top case's text is longer than the pane");
    press(&mut s, KeyCode::Enter);
    ch(&mut s, 'G');
    let shown = total - s.detail.scroll;
    // The pane's last row shows the position (`57/57`) once text overflows.
    assert_eq!(
        shown,
        rows - 1,
        "after G, {shown} of {rows} rows show text ({total} lines in all)"
    );
}

/// The workspace as the runtime's loader sends it.
fn indexed(ws: docket::model::Workspace, provisional: bool) -> Msg {
    docket::ui::runtime::loads::indexed(ws, provisional, NOW, None)
}

#[test]
fn an_edit_made_on_the_first_look_survives_the_full_load() {
    let mut s = AppState::new(Keymap::default(), Theme::new(false), 80, 24);
    s.now = NOW;
    update(&mut s, indexed(model(), true));
    settle(&mut s);
    let case = selected(&s);
    // The reviewer edits the case in $EDITOR while the full load is on its
    // way; that load read the file before the save.
    let text = String::from_utf8(fixture().files[&case.path].clone()).unwrap();
    let edited = text.replacen(&case.summary, "Edited while loading", 1);
    let (parsed, diagnostics) = parse_file(Kind::Failure, &case.path, edited.as_bytes());
    update(
        &mut s,
        Msg::Edited(Ok(Reparsed {
            path: case.path.clone(),
            parsed,
            diagnostics,
        })),
    );
    assert_eq!(selected(&s).summary, "Edited while loading");
    update(&mut s, indexed(model(), false));
    settle(&mut s);
    let row = s.ws.as_ref().unwrap().case(&case.id).unwrap();
    assert_eq!(row.summary, "Edited while loading", "the edit is kept");
    assert!(s.provisional.is_none());
    // A later full load (another writer) is taken as it is.
    update(&mut s, indexed(model(), false));
    let row = s.ws.as_ref().unwrap().case(&case.id).unwrap();
    assert_eq!(row.summary, case.summary);
}

#[test]
fn a_verified_load_that_kept_the_inbox_index_keeps_its_matches() {
    let mut s = AppState::new(Keymap::default(), Theme::new(false), 80, 24);
    s.now = NOW;
    let first = indexed(model(), true);
    let Msg::LoadedIndexed(l) = &first else {
        unreachable!()
    };
    let inbox = Arc::clone(&l.indexes[0].1);
    update(&mut s, first);
    settle(&mut s);
    ch(&mut s, '/');
    for c in "refund".chars() {
        ch(&mut s, c);
    }
    settle(&mut s);
    let (generation, visible) = (s.lists[0].generation, s.lists[0].visible.clone());
    // The worker found the cases the first look showed and sent its index.
    let Msg::LoadedIndexed(mut l) = indexed(model(), false) else {
        unreachable!()
    };
    l.indexes[0].1 = Arc::clone(&inbox);
    update(&mut s, Msg::LoadedIndexed(l));
    assert_eq!(s.lists[0].generation, generation, "not matched again");
    assert_eq!(s.lists[0].visible, visible);
    // A load with a new index is matched again.
    update(&mut s, indexed(model(), false));
    assert!(s.lists[0].generation > generation);
    assert!(!Arc::ptr_eq(&s.lists[0].index, &inbox));
}

/// What a command changed, to compare a key with the palette.
fn outcome(s: &AppState, fx: Vec<Effect>) -> impl std::fmt::Debug + PartialEq + use<> {
    (
        fx,
        s.dialog.clone(),
        s.status.clone(),
        s.view,
        s.focus,
        s.filter_editing,
        s.quit,
        s.sort,
        s.list().query.clone(),
        s.list().selected,
    )
}

/// Runs `query`'s first palette hit with Enter, after `prepare`; checks the
/// hit is `want`'s command.
fn run_from_palette(s: &mut AppState, query: &str, want: Action) -> Vec<Effect> {
    assert!(ctrl(s, 'p').is_empty());
    assert!(typ(s, query).is_empty(), "commands match inline");
    let Some(Dialog::Palette { hits, selected, .. }) = &s.dialog else {
        panic!("palette: {:?}", s.dialog);
    };
    assert_eq!(*selected, 0);
    assert_eq!(
        hits[0].action(),
        Some(want),
        "{query:?} names {want:?}: {hits:?}"
    );
    press(s, KeyCode::Enter)
}

/// A key pressed on a state.
type KeyPress = fn(&mut AppState) -> Vec<Effect>;

#[test]
fn the_palette_runs_a_command_as_its_key_would() {
    let cases: &[(&str, Action, KeyPress)] = &[
        ("tag", Action::Tag, |s| ch(s, 't')),
        ("promote", Action::Promote, |s| ch(s, 'p')),
        ("dismiss", Action::Dismiss, |s| ch(s, 'x')),
        ("view sets", Action::ViewSets, |s| ch(s, '2')),
        ("new memo", Action::NewMemo, |s| ch(s, 'N')),
        ("undo", Action::Undo, |s| ch(s, 'u')),
        ("commit", Action::Commit, |s| ch(s, 'c')),
        ("sort", Action::Sort, |s| ch(s, 'o')),
        ("filter", Action::Filter, |s| ch(s, '/')),
        ("reload", Action::Reload, |s| ctrl(s, 'r')),
        ("help", Action::Help, |s| ch(s, '?')),
        ("quit", Action::Quit, |s| ch(s, 'q')),
    ];
    for (query, action, by_key) in cases {
        let mut keyed = loaded();
        let fx = by_key(&mut keyed);
        let want = outcome(&keyed, fx);
        let mut run = loaded();
        let fx = run_from_palette(&mut run, query, *action);
        assert_eq!(outcome(&run, fx), want, "{query:?} from the palette");
    }
}

#[test]
fn the_palette_keeps_a_commands_scope() {
    // In the Memos view a case command is refused, from the palette as by
    // its key; a memo command works.
    for (query, action, c) in [
        ("tag", Action::Tag, 't'),
        ("memo status", Action::MemoStatus, 's'),
    ] {
        let mut keyed = loaded();
        ch(&mut keyed, '4');
        let fx = ch(&mut keyed, c);
        let want = outcome(&keyed, fx);
        let mut run = loaded();
        ch(&mut run, '4');
        let fx = run_from_palette(&mut run, query, action);
        assert_eq!(outcome(&run, fx), want, "{query:?} in Memos");
    }
    let mut s = loaded();
    ch(&mut s, '4');
    run_from_palette(&mut s, "tag", Action::Tag);
    assert!(s.dialog.is_none());
    assert!(
        matches!(&s.status, Some((StatusKind::Info, m)) if m.contains("works on a failure case")),
        "{:?}",
        s.status
    );
}

#[test]
fn the_palette_lists_commands_with_their_keys() {
    let mut s = loaded();
    ctrl(&mut s, 'p');
    let Some(Dialog::Palette { hits, .. }) = &s.dialog else {
        panic!("palette");
    };
    assert!(
        hits[0].action().is_none(),
        "an empty query opens on the workspace"
    );
    let offered: Vec<Action> = hits.iter().filter_map(PaletteHit::action).collect();
    let want: Vec<Action> = COMMANDS
        .iter()
        .filter(|c| c.palette)
        .map(|c| c.action)
        .collect();
    assert_eq!(offered, want, "every palette command, after the items");
    assert!(!offered.contains(&Action::Down) && !offered.contains(&Action::PickerApply));
    let tag = hits
        .iter()
        .find(|h| h.action() == Some(Action::Tag))
        .unwrap();
    assert!(
        tag.label.contains("tag the case") && tag.label.ends_with("[t]"),
        "{}",
        tag.label
    );

    // A rebound key is the one shown, and Enter still runs the command.
    let mut s = loaded();
    s.keymap = Keymap::with_config("c.toml", "[keys]\ntag = \"T\"\n").unwrap();
    ctrl(&mut s, 'p');
    typ(&mut s, "tag");
    let Some(Dialog::Palette { hits, .. }) = &s.dialog else {
        panic!("palette");
    };
    assert!(hits[0].label.ends_with("[T]"), "{}", hits[0].label);
    press(&mut s, KeyCode::Enter);
    assert!(matches!(
        s.dialog,
        Some(Dialog::Picker {
            kind: PickerKind::Tag { .. },
            ..
        })
    ));
}

#[test]
fn every_item_is_found_again_by_its_id_in_every_view() {
    let s = loaded();
    for view in [View::Inbox, View::Sets, View::Runbooks, View::Memos] {
        let mut n = 0;
        while let Some(item) = s.item(view, n) {
            assert_eq!(s.position(view, &item.id()), Some(n), "{view:?} {n}");
            n += 1;
        }
        assert!(n > 0, "{view:?} lists something");
    }
    assert!(s.item(View::Overview, 0).is_none());
    assert_eq!(
        s.item(View::Inbox, 0).and_then(|i| i.path()),
        s.ws.as_ref().unwrap().cases.get(0).map(|c| c.path())
    );
}

#[test]
fn a_case_is_dismissed_as_a_duplicate_of_another_named_by_id() {
    let mut s = loaded();
    let case = selected(&s);
    let other = s.ws.as_ref().unwrap().cases.get(1).unwrap().id.to_owned();
    assert_ne!(other, case.id);
    ch(&mut s, 'D');
    assert_eq!(
        s.dialog,
        Some(Dialog::Prompt {
            kind: PromptKind::Case {
                case: case.id.clone(),
                command: Action::Duplicate,
                problem: None,
            },
            text: String::new(),
        })
    );
    // Enter waits while the id names no case, or the case itself, and the
    // prompt says why.
    typ(&mut s, "case-that-does-not-exist");
    assert!(press(&mut s, KeyCode::Enter).is_empty());
    assert!(screen(&s).contains("no case case-that-does-not-exist"));
    for _ in 0.."case-that-does-not-exist".len() {
        press(&mut s, KeyCode::Backspace);
    }
    typ(&mut s, &case.id);
    assert!(press(&mut s, KeyCode::Enter).is_empty());
    assert!(screen(&s).contains("a case cannot duplicate itself"));
    for _ in 0..case.id.len() {
        press(&mut s, KeyCode::Backspace);
    }
    typ(&mut s, &other);
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::Apply(OpRequest::Dismiss {
            case: case.id.clone(),
            reason: format!("duplicate of {other}"),
        })]
    );
    assert!(s.dialog.is_none());
}

/// The state drawn at its size, as text.
fn screen(s: &AppState) -> String {
    common::screen_of(s)
}

#[test]
fn a_failed_load_says_why_in_the_status_line() {
    let mut s = AppState::new(Keymap::default(), Theme::new(false), 80, 24);
    assert!(s.loading);
    update(
        &mut s,
        Msg::LoadFailed(anyhow::anyhow!("docket.toml:3: expected `=`").into()),
    );
    assert!(!s.loading);
    assert_eq!(
        s.status,
        Some((StatusKind::Error, "docket.toml:3: expected `=`".into()))
    );
}
