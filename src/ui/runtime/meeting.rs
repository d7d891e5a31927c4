//! The review meeting's effects, run on the store worker: read, start,
//! save and finish the meeting the store keeps.

use crate::store::Store;
use crate::ui::msg::{Effect, Msg};
use crate::ui::state::error::UiError;

/// Runs a meeting effect; `None` for any other (and for a save that
/// worked: nothing to say).
pub(super) fn run(store: &Store, job: Effect) -> Option<Msg> {
    match job {
        Effect::LoadMeeting { show } => Some(Msg::Meeting {
            result: store.meeting().map_err(UiError::from),
            show,
        }),
        Effect::StartMeeting(m) => Some(Msg::Meeting {
            result: store
                .start_meeting(m)
                .map(|(m, _)| Some(m))
                .map_err(UiError::from),
            show: true,
        }),
        Effect::SaveMeeting(m) => store
            .save_meeting(&m)
            .err()
            .map(|e| Msg::Notice(format!("the meeting's place could not be saved: {e}"))),
        Effect::FinishMeeting => Some(Msg::MeetingFinished(
            store.finish_meeting().map_err(UiError::from),
        )),
        _ => None,
    }
}
