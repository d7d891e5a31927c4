//! Working with the team from the UI: `L` shows the selected item's
//! history (every commit that changed it, who, when, its docket actions,
//! signed by whom — what `docket log` prints), `S` syncs with the team's
//! remote as `docket sync` does and says what came and went, or why it
//! stopped (a conflict shows both sides and the commands that choose).

use crate::ui::msg::Effect;
use crate::ui::state::dialog::Dialog;
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
    fx.push(Effect::Sync);
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
            let crate::store::StoreError::SyncConflict(list) = &*e else {
                return;
            };
            let mut lines = Vec::new();
            for c in list {
                let k = &c.conflict;
                let case = k.case.clone().unwrap_or_else(|| k.path.clone());
                let line = |t: &str| crate::sanitize::line(t).into_owned();
                lines.push(format!("case {}", line(&case)));
                lines.push(format!(
                    "  yours:    {} ({} by {}: {})",
                    line(&k.ours),
                    c.ours.id,
                    line(&c.ours.author),
                    line(&c.ours.summary)
                ));
                lines.push(format!("  upstream: {}", line(&k.theirs)));
                lines.push(format!(
                    "  keep yours:    docket sync --ours {}",
                    line(&case)
                ));
                lines.push(format!(
                    "  keep upstream: docket sync --theirs {}",
                    line(&case)
                ));
                lines.push(String::new());
            }
            lines.push(
                "Nothing was changed. Choose per case from the command line, then sync again."
                    .into(),
            );
            s.dialog = Some(Dialog::Text {
                title: "Sync stopped: both sides decided".into(),
                lines,
                scroll: 0,
            });
            s.status = Some((
                StatusKind::Error,
                "sync stopped on a conflict; nothing changed".into(),
            ));
        }
        Err(e) => s.status = Some((StatusKind::Error, e.to_string())),
    }
}
