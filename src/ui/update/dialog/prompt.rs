//! The one-line text prompts (a note, a dismissal reason, the case a
//! duplicate repeats, a new memo's title): typing edits, submit hands the
//! worker the typed operation. Submit and cancel are the registry's prompt
//! commands.

use super::component::{Ctx, Outcome};
use crate::ui::action::{Action, Scope};
use crate::ui::msg::OpRequest;
use crate::ui::state::dialog::PromptKind;
use crate::ui::update::keys::typed;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// A prompt's fields, borrowed in place from the state.
pub(super) struct PromptKeys<'a> {
    pub kind: &'a PromptKind,
    pub text: &'a mut String,
}

impl PromptKeys<'_> {
    /// A key in a prompt. An empty (or blank) text cannot be submitted.
    pub(super) fn on_key(self, k: &KeyEvent, ctx: &Ctx) -> Outcome {
        let Self { kind, text } = self;
        let action = ctx.keymap.dialog_action(Scope::Prompt, k);
        match k.code {
            _ if action == Some(Action::PromptCancel) => return Outcome::Close,
            _ if action == Some(Action::PromptSubmit) && !text.trim().is_empty() => {
                // A duplicate names a case that exists and is another one;
                // otherwise Enter waits (the prompt says what is wrong).
                if let PromptKind::Duplicate { case } = kind {
                    return match PromptKind::duplicate_problem(ctx.ws, case, text) {
                        Some(_) => Outcome::Stay,
                        None => Outcome::Apply(OpRequest::Dismiss {
                            case: case.clone(),
                            reason: format!("duplicate of {}", std::mem::take(text).trim()),
                        }),
                    };
                }
                let text = std::mem::take(text);
                return Outcome::Apply(match kind {
                    PromptKind::Note { case } => OpRequest::Note {
                        case: case.clone(),
                        text,
                    },
                    PromptKind::Dismiss { case } => OpRequest::Dismiss {
                        case: case.clone(),
                        reason: text,
                    },
                    PromptKind::NewMemo => OpRequest::NewMemo { title: text },
                    PromptKind::Duplicate { .. } => return Outcome::Stay,
                });
            }
            KeyCode::Backspace => {
                text.pop();
            }
            _ => {
                if let Some(c) = typed(k) {
                    text.push(c);
                }
            }
        }
        Outcome::Stay
    }

    /// Pasted text (one line) goes into the prompt's text.
    pub(super) fn on_paste(self, pasted: &str) -> Outcome {
        self.text.push_str(pasted);
        Outcome::Stay
    }
}
