//! Working with the team from the UI: `L` shows the selected item's
//! history (every commit that changed it, who, when, its docket actions,
//! signed by whom — what `docket log` prints), `S` syncs with the team's
//! remote as `docket sync` does and says what came and went, or why it
//! stopped: a conflict shows both sides of each case to choose from, and
//! syncs again with the choice (as `docket sync --ours/--theirs CASE`).

use crate::ops::sync::Side;
use crate::ui::msg::Effect;
use crate::ui::state::dialog::{Dialog, PickItem, PickerKind};
use crate::ui::state::error::UiError;
use crate::ui::state::{AppState, StatusKind};

/// `L`: asks for the selected item's history.
pub(super) fn open_history(s: &mut AppState, fx: &mut Vec<Effect>) {
    let Some(id) = s.current_item().map(|i| i.id().into_owned()) else {
        s.status = Some((StatusKind::Info, "no item selected".into()));
        return;
    };
    s.busy += 1;
    fx.push(Effect::LoadHistory { id });
}

/// The history arrived: shown in a panel to scroll.
pub(super) fn history(s: &mut AppState, id: &str, r: Result<crate::store::Timeline, UiError>) {
    s.busy = s.busy.saturating_sub(1);
    match r {
        Ok(t) => {
            s.dialog = Some(Dialog::Text {
                title: format!("History of {}", crate::sanitize::line(id)),
                lines: t.lines(),
                scroll: 0,
            });
        }
        Err(e) => s.status = Some((StatusKind::Error, e.to_string())),
    }
}

/// `S`: sync with the team's remote.
pub(super) fn sync(s: &mut AppState, fx: &mut Vec<Effect>) {
    s.busy += 1;
    s.status = Some((StatusKind::Info, "syncing…".into()));
    fx.push(Effect::Sync {
        choices: Vec::new(),
    });
}

/// The sync ended: what it did, then everything it may have changed is
/// read again; a conflict shows both sides.
pub(super) fn synced(
    s: &mut AppState,
    r: Result<crate::store::SyncOutcome, UiError>,
    fx: &mut Vec<Effect>,
) {
    s.busy = s.busy.saturating_sub(1);
    match r {
        Ok(out) => {
            let text = if out.up_to_date {
                format!("up to date with {}", out.url)
            } else {
                let mut parts = vec![format!(
                    "synced with {}: fetched {}, pushed {}",
                    out.url,
                    out.fetched,
                    out.pushed.len()
                )];
                if !out.tags.is_empty() {
                    parts.push(format!("tags {}", out.tags.join(", ")));
                }
                parts.extend(out.warnings.iter().cloned());
                parts.join("; ")
            };
            s.status = Some((StatusKind::Info, crate::sanitize::line(&text).into_owned()));
            fx.push(Effect::Load);
            fx.push(Effect::RefreshChanges);
            fx.push(Effect::LoadMeeting { show: false });
        }
        Err(UiError::Store(e)) if matches!(*e, crate::store::StoreError::SyncConflict(_)) => {
            if let crate::store::StoreError::SyncConflict(list) = &*e {
                choose(s, list);
            }
        }
        Err(e) => s.status = Some((StatusKind::Error, e.to_string())),
    }
}

/// A sync stopped on cases decided differently on each side: a row per
/// side of each case, showing what each did (and who, in which commit);
/// the reviewer marks one per case and syncs again. The upstream's
/// promotion is never taken back out of its set, so there only its side
/// is offered.
fn choose(s: &mut AppState, list: &[crate::store::Conflicted]) {
    let line = |t: &str| crate::sanitize::line(t).into_owned();
    let mut items = Vec::new();
    let mut choices = Vec::new();
    for c in list {
        let k = &c.conflict;
        let case = k.case.clone().unwrap_or_else(|| k.path.clone());
        if k.can_take_ours {
            items.push(PickItem {
                id: format!("keep yours on {}", line(&case)),
                detail: format!(
                    "{} ({} by {})",
                    line(&k.ours),
                    c.ours.id,
                    line(&c.ours.author)
                ),
                key: None,
                checked: false,
            });
            choices.push((case.clone(), Side::Ours));
        }
        let by = c
            .theirs
            .as_ref()
            .map(|t| format!(" ({} by {})", t.id, line(&t.author)))
            .unwrap_or_default();
        items.push(PickItem {
            id: format!("keep upstream on {}", line(&case)),
            detail: format!("{}{by}", line(&k.theirs)),
            key: None,
            checked: false,
        });
        choices.push((case, Side::Theirs));
    }
    s.dialog = Some(Dialog::picker(PickerKind::SyncChoices { choices }, items));
    s.status = Some((
        StatusKind::Error,
        "sync stopped: both sides decided; nothing changed yet".into(),
    ));
}
