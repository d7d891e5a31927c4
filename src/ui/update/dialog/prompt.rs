//! The one-line text prompts (a note, a dismissal reason, a new memo's
//! title, and the case commands' own prompts such as the case a duplicate
//! repeats): typing edits, submit hands the worker the typed operation.
//! Submit and cancel are the registry's prompt commands.

use super::component::{Ctx, Outcome};
use crate::ui::action::{Action, Scope};
use crate::ui::msg::OpRequest;
use crate::ui::state::dialog::PromptKind;
use crate::ui::update::keys::typed;
use crate::ui::update::triage::case_prompt;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// A prompt's fields, borrowed in place from the state.
pub(super) struct PromptKeys<'a> {
    pub kind: &'a mut PromptKind,
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
                let op = match kind {
                    PromptKind::Note { case } => OpRequest::Note {
                        case: case.clone(),
                        text: std::mem::take(text),
                    },
                    PromptKind::Dismiss { case } => OpRequest::Dismiss {
                        case: case.clone(),
                        reason: std::mem::take(text),
                    },
                    PromptKind::NewMemo => OpRequest::NewMemo {
                        title: std::mem::take(text),
                    },
                    PromptKind::Case { case, command, .. } => {
                        match case_prompt(*command, ctx.ws, case, text) {
                            Some(Ok(op)) => op,
                            // Enter waits; the problem is already shown.
                            Some(Err(_)) => return Outcome::Stay,
                            None => return Outcome::Close,
                        }
                    }
                };
                return Outcome::Apply(op);
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
        recheck(kind, text, ctx);
        Outcome::Stay
    }

    /// Pasted text (one line) goes into the prompt's text.
    pub(super) fn on_paste(self, pasted: &str, ctx: &Ctx) -> Outcome {
        self.text.push_str(pasted);
        recheck(self.kind, self.text, ctx);
        Outcome::Stay
    }
}

/// A case command's prompt says what is wrong with its text as it is
/// typed (nothing while the text is blank).
fn recheck(kind: &mut PromptKind, text: &str, ctx: &Ctx) {
    if let PromptKind::Case {
        case,
        command,
        problem,
    } = kind
    {
        *problem = if text.trim().is_empty() {
            None
        } else {
            case_prompt(*command, ctx.ws, case, text).and_then(Result::err)
        };
    }
}
