//! Promote and dismiss as the command line and the UI both make them: the
//! case (and set) read from the workspace, the decision checked, and under
//! double review recorded as a verdict unless a second reviewer's committed
//! verdict agrees (`ops::verdict`). One place, so the two front ends cannot
//! drift apart on who may decide.

use super::{Journal, Store, StoreError};
use crate::model::Config;
use crate::model::case::Verdict;
use crate::ops::{self, ChangeSet, PromoteInput};

impl Store {
    /// `by` dismisses `case` for `reason` (or records that verdict).
    pub fn decide_dismiss(
        &self,
        config: &Config,
        case: &str,
        by: &str,
        reason: &str,
    ) -> Result<ChangeSet, StoreError> {
        let file = self.find_case(case)?;
        let at = super::now();
        let v = Verdict::dismiss(by, reason, &at);
        let committed = self.committed(&file.path)?;
        Ok(ops::verdict::gated(
            config,
            &file,
            committed.as_deref(),
            &v,
            || ops::dismiss(&file, by, &at, reason),
        )?)
    }

    /// `by` promotes `case` into `set` (or records that verdict); the set's
    /// version goes up once per commit (`journal`).
    pub fn decide_promote(
        &self,
        config: &Config,
        journal: &Journal,
        case: &str,
        set: &str,
        by: &str,
    ) -> Result<ChangeSet, StoreError> {
        let file = self.find_case(case)?;
        let set_file = self.find_set(set)?;
        let at = super::now();
        let v = Verdict::promote(by, set, &at);
        let committed = self.committed(&file.path)?;
        Ok(ops::verdict::gated(
            config,
            &file,
            committed.as_deref(),
            &v,
            || {
                ops::promote(&PromoteInput {
                    case: &file,
                    set: &set_file,
                    set_case_exists: self.exists(&format!("evals/sets/{set}/cases/{case}.toml")),
                    blob_id: &|t| Self::blob_id(t.as_bytes()).unwrap_or_default(),
                    by,
                    at: &at,
                    already_bumped: journal.bumped(set),
                })
            },
        )?)
    }
}
