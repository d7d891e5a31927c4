//! The review meeting as the UI holds it: the meeting itself (the store
//! keeps it in `.git/docket/meeting.json`, so a dropped connection resumes
//! it) and whether the window shows it. Its keys are `update/meeting.rs`'s.

use crate::ops::meeting::Meeting;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingState {
    pub meeting: Meeting,
    /// The Inbox shows the agenda (meeting mode); `false` while the
    /// reviewer browses elsewhere with the meeting still open.
    pub active: bool,
    /// `F` was pressed once: the next `F` finishes, any other key not.
    pub finish_armed: bool,
}

impl MeetingState {
    /// The case under review, by id.
    #[must_use]
    pub fn current(&self) -> Option<&str> {
        self.meeting
            .agenda
            .get(self.meeting.position)
            .map(String::as_str)
    }
}
