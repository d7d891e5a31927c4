//! The review meeting's effects, run on the store worker: read, start,
//! save and finish the meeting the store keeps.

use crate::store::Store;
use crate::ui::msg::{Effect, Msg};
use crate::ui::state::error::UiError;

/// Runs a meeting effect; `None` for any other.
pub(super) fn run(store: &Store, job: Effect) -> Option<Msg> {
    match job {
        Effect::LoadMeeting { show } => Some(Msg::Meeting {
            result: store.meeting().map_err(UiError::from),
            show,
        }),
        Effect::StartMeeting(attendees) => Some(Msg::Meeting {
            result: store
                .open_meeting(&attendees, &crate::store::now())
                .map(|(m, _)| Some(m))
                .map_err(UiError::from),
            show: true,
        }),
        // The meeting as the store has it now; gone (finished elsewhere)
        // is `None`.
        Effect::MeetingStep(m, step) => Some(Msg::Meeting {
            result: match store.meeting_step(&m, &step) {
                Ok(m) => Ok(Some(m)),
                Err(crate::store::StoreError::NoMeeting) => Ok(None),
                Err(e) => Err(e.into()),
            },
            show: false,
        }),
        Effect::FinishMeeting => Some(Msg::MeetingFinished(
            store.finish_meeting().map_err(UiError::from),
        )),
        _ => None,
    }
}
