//! Keys to actions: the registry's default keys ([`COMMANDS`]), plus the
//! user's `$XDG_CONFIG_HOME/docket/config.toml`:
//!
//! ```toml
//! [keys]
//! down = ["j", "down", "ctrl-n"]
//! tag = "T"
//! ```

use crate::ui::action::{Action, COMMANDS, Scope};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// A key with its modifiers, as written in config files (`ctrl-p`, `G`,
/// `pagedown`, `?`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCodeOrd,
    pub ctrl: bool,
    pub alt: bool,
}

/// `KeyCode` restricted to what a keymap binds, ordered for stable help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCodeOrd {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    F(u8),
}

const NAMED: &[(&str, KeyCodeOrd)] = &[
    ("enter", KeyCodeOrd::Enter),
    ("esc", KeyCodeOrd::Esc),
    ("tab", KeyCodeOrd::Tab),
    ("backtab", KeyCodeOrd::BackTab),
    ("shift-tab", KeyCodeOrd::BackTab),
    ("backspace", KeyCodeOrd::Backspace),
    ("up", KeyCodeOrd::Up),
    ("down", KeyCodeOrd::Down),
    ("left", KeyCodeOrd::Left),
    ("right", KeyCodeOrd::Right),
    ("pageup", KeyCodeOrd::PageUp),
    ("pgup", KeyCodeOrd::PageUp),
    ("pagedown", KeyCodeOrd::PageDown),
    ("pgdn", KeyCodeOrd::PageDown),
    ("home", KeyCodeOrd::Home),
    ("end", KeyCodeOrd::End),
    ("space", KeyCodeOrd::Char(' ')),
];

impl Key {
    /// Parses `j`, `G`, `ctrl-p`, `alt-x`, `pagedown`, `f5`, `space`.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        let (mut ctrl, mut alt) = (false, false);
        let mut rest = s;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-").filter(|r| !r.is_empty()) {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-").filter(|r| !r.is_empty()) {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let lower = rest.to_ascii_lowercase();
        let code = if let Some((_, c)) = NAMED.iter().find(|(n, _)| *n == lower) {
            *c
        } else if let Some(n) = lower
            .strip_prefix('f')
            .and_then(|n| n.parse::<u8>().ok())
            .filter(|n| (1..=12).contains(n))
        {
            KeyCodeOrd::F(n)
        } else {
            let mut chars = rest.chars();
            let c = chars.next()?;
            if chars.next().is_some() || c.is_control() {
                return None;
            }
            KeyCodeOrd::Char(if ctrl { c.to_ascii_lowercase() } else { c })
        };
        Some(Self { code, ctrl, alt })
    }

    /// The key of a terminal event, `None` for keys no keymap binds.
    #[must_use]
    pub fn from_event(ev: &KeyEvent) -> Option<Self> {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let code = match code_of(ev.code)? {
            KeyCodeOrd::Char(c) if ctrl => KeyCodeOrd::Char(c.to_ascii_lowercase()),
            code => code,
        };
        Some(Self {
            code,
            ctrl,
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        })
    }

    /// Whether a dialog takes `ev` as this key: the same code and at least
    /// the key's modifiers. Dialogs have always read keys this loosely
    /// (`y` quits with Ctrl held too), and they keep doing so.
    #[must_use]
    pub fn loosely_matches(&self, ev: &KeyEvent) -> bool {
        code_of(ev.code) == Some(self.code)
            && (!self.ctrl || ev.modifiers.contains(KeyModifiers::CONTROL))
            && (!self.alt || ev.modifiers.contains(KeyModifiers::ALT))
    }
}

/// A terminal key code as a keymap writes it, letters as typed.
fn code_of(code: KeyCode) -> Option<KeyCodeOrd> {
    Some(match code {
        KeyCode::Char(c) => KeyCodeOrd::Char(c),
        KeyCode::Enter => KeyCodeOrd::Enter,
        KeyCode::Esc => KeyCodeOrd::Esc,
        KeyCode::Tab => KeyCodeOrd::Tab,
        KeyCode::BackTab => KeyCodeOrd::BackTab,
        KeyCode::Backspace => KeyCodeOrd::Backspace,
        KeyCode::Up => KeyCodeOrd::Up,
        KeyCode::Down => KeyCodeOrd::Down,
        KeyCode::Left => KeyCodeOrd::Left,
        KeyCode::Right => KeyCodeOrd::Right,
        KeyCode::PageUp => KeyCodeOrd::PageUp,
        KeyCode::PageDown => KeyCodeOrd::PageDown,
        KeyCode::Home => KeyCodeOrd::Home,
        KeyCode::End => KeyCodeOrd::End,
        KeyCode::F(n) => KeyCodeOrd::F(n),
        _ => return None,
    })
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCodeOrd::Char(' ') => f.write_str("space"),
            KeyCodeOrd::Char(c) => write!(f, "{c}"),
            KeyCodeOrd::F(n) => write!(f, "f{n}"),
            KeyCodeOrd::Enter => f.write_str("enter"),
            KeyCodeOrd::Esc => f.write_str("esc"),
            KeyCodeOrd::Tab => f.write_str("tab"),
            KeyCodeOrd::BackTab => f.write_str("shift-tab"),
            KeyCodeOrd::Backspace => f.write_str("backspace"),
            KeyCodeOrd::Up => f.write_str("↑"),
            KeyCodeOrd::Down => f.write_str("↓"),
            KeyCodeOrd::Left => f.write_str("←"),
            KeyCodeOrd::Right => f.write_str("→"),
            KeyCodeOrd::PageUp => f.write_str("pgup"),
            KeyCodeOrd::PageDown => f.write_str("pgdn"),
            KeyCodeOrd::Home => f.write_str("home"),
            KeyCodeOrd::End => f.write_str("end"),
        }
    }
}

/// Keys to actions, per key space: the browsing mode's, and each dialog's
/// fixed keys (typing and Backspace in a text field are not commands).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: BTreeMap<(Scope, Key), Action>,
}

#[derive(Debug, Deserialize)]
struct ConfigFile {
    #[serde(default)]
    keys: BTreeMap<String, toml::Spanned<OneOrMany>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl Default for Keymap {
    fn default() -> Self {
        let mut bindings = BTreeMap::new();
        for c in COMMANDS {
            for k in c.keys {
                if let Some(key) = Key::parse(k) {
                    bindings.insert((c.scope.keyspace(), key), c.action);
                }
            }
        }
        Self { bindings }
    }
}

impl Keymap {
    /// The defaults with a config file's `[keys]` applied: each action named
    /// there gets exactly the keys given. Errors name the file and line.
    pub fn with_config(path: &str, text: &str) -> Result<Self, String> {
        let line_of = |span: std::ops::Range<usize>| crate::model::diag::line_of(text, span.start);
        let cfg: ConfigFile = toml::from_str(text).map_err(|e| {
            format!(
                "{path}:{}: {}",
                e.span().map_or(1, line_of),
                e.message().trim()
            )
        })?;
        let mut map = Self::default();
        for (name, spanned) in cfg.keys {
            let line = line_of(spanned.span());
            let action = Action::from_name(&name).ok_or_else(|| {
                let known: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
                format!(
                    "{path}:{line}: unknown action {name:?} (actions: {})",
                    known.join(", ")
                )
            })?;
            let keys = match spanned.into_inner() {
                OneOrMany::One(k) => vec![k],
                OneOrMany::Many(ks) => ks,
            };
            map.bindings.retain(|_, a| *a != action);
            for k in keys {
                let key = Key::parse(&k).ok_or_else(|| format!("{path}:{line}: {name}: cannot read key {k:?} (examples: \"j\", \"G\", \"ctrl-p\", \"pagedown\")"))?;
                map.bindings
                    .insert((action.scope().keyspace(), key), action);
            }
        }
        Ok(map)
    }

    /// The browsing-mode action of a key.
    #[must_use]
    pub fn action(&self, key: &Key) -> Option<Action> {
        self.bindings.get(&(Scope::Global, *key)).copied()
    }

    /// The action a dialog of `scope` takes `ev` for, matched as dialogs
    /// always have ([`Key::loosely_matches`]).
    #[must_use]
    pub fn dialog_action(&self, scope: Scope, ev: &KeyEvent) -> Option<Action> {
        self.bindings
            .iter()
            .find(|((s, k), _)| *s == scope && k.loosely_matches(ev))
            .map(|(_, a)| *a)
    }

    /// Every key bound to `action`, in a stable order.
    #[must_use]
    pub fn keys(&self, action: Action) -> Vec<Key> {
        self.bindings
            .iter()
            .filter(|(_, a)| **a == action)
            .map(|((_, k), _)| *k)
            .collect()
    }

    /// A dialog footer's hint for `action`: its keys, a capital left out
    /// beside its small letter (`y quit anyway`, `n/esc stay`), then
    /// `label` or the registry's.
    #[must_use]
    pub fn hint(&self, action: Action, label: Option<&str>) -> String {
        let keys = self.keys(action);
        let shown: Vec<String> = keys
            .iter()
            .filter(|k| match k.code {
                KeyCodeOrd::Char(c) if c.is_uppercase() => !keys.iter().any(|o| {
                    o.code == KeyCodeOrd::Char(c.to_ascii_lowercase())
                        && (o.ctrl, o.alt) == (k.ctrl, k.alt)
                }),
                _ => true,
            })
            .map(ToString::to_string)
            .collect();
        let label = label.or(action.label()).unwrap_or(action.describe());
        format!("{} {label}", shown.join("/"))
    }

    /// The keys of `action` joined for display (`j/↓`).
    #[must_use]
    pub fn keys_label(&self, action: Action) -> String {
        self.keys(action)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_keys() {
        assert_eq!(Key::parse("ctrl-p").unwrap().to_string(), "ctrl-p");
        assert_eq!(Key::parse("G").unwrap().code, KeyCodeOrd::Char('G'));
        assert_eq!(Key::parse("pgdn").unwrap().code, KeyCodeOrd::PageDown);
        assert_eq!(Key::parse("f5").unwrap().code, KeyCodeOrd::F(5));
        assert_eq!(Key::parse("-").unwrap().code, KeyCodeOrd::Char('-'));
        assert!(Key::parse("nope").is_none());
        assert!(Key::parse("").is_none());
    }

    #[test]
    fn defaults_and_events() {
        let m = Keymap::default();
        let ev = KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL);
        assert_eq!(
            m.action(&Key::from_event(&ev).unwrap()),
            Some(Action::Palette)
        );
        let ev = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(
            m.action(&Key::from_event(&ev).unwrap()),
            Some(Action::Bottom)
        );
        assert_eq!(m.keys_label(Action::Down), "j/↓");
        for a in Action::ALL {
            assert!(!m.keys(*a).is_empty(), "{a:?} has no default key");
        }
    }

    #[test]
    fn config_rebinds_and_reports_lines() {
        let m = Keymap::with_config(
            "c.toml",
            "[keys]\ntag = \"T\"\ndown = [\"j\", \"ctrl-n\"]\n",
        )
        .unwrap();
        assert_eq!(m.action(&Key::parse("T").unwrap()), Some(Action::Tag));
        assert_eq!(m.action(&Key::parse("t").unwrap()), None);
        assert_eq!(m.action(&Key::parse("ctrl-n").unwrap()), Some(Action::Down));
        let e = Keymap::with_config("c.toml", "[keys]\n\ntagg = \"T\"\n").unwrap_err();
        assert!(e.starts_with("c.toml:3: unknown action \"tagg\""), "{e}");
        let e = Keymap::with_config("c.toml", "[keys]\ntag = \"meta-x\"\n").unwrap_err();
        assert!(e.starts_with("c.toml:2: tag: cannot read key"), "{e}");
        let e = Keymap::with_config("c.toml", "[keys\n").unwrap_err();
        assert!(e.starts_with("c.toml:1:"), "{e}");
    }

    #[test]
    fn dialog_keys_come_from_the_registry() {
        let m = Keymap::default();
        let ev = |code, mods| KeyEvent::new(code, mods);
        let confirm = |e: KeyEvent| m.dialog_action(Scope::Confirm, &e);
        assert_eq!(
            confirm(ev(KeyCode::Char('Y'), KeyModifiers::SHIFT)),
            Some(Action::ConfirmQuit)
        );
        // As before the registry: a held Ctrl does not stop `y`.
        assert_eq!(
            confirm(ev(KeyCode::Char('y'), KeyModifiers::CONTROL)),
            Some(Action::ConfirmQuit)
        );
        assert_eq!(confirm(ev(KeyCode::Char('C'), KeyModifiers::SHIFT)), None);
        assert_eq!(
            m.dialog_action(
                Scope::Picker,
                &ev(KeyCode::Char('n'), KeyModifiers::CONTROL)
            ),
            Some(Action::PickerDown)
        );
        assert_eq!(
            m.dialog_action(Scope::Picker, &ev(KeyCode::Char('n'), KeyModifiers::NONE)),
            None,
            "a plain letter is typed"
        );
        assert_eq!(
            m.action(&Key::parse("y").unwrap()),
            None,
            "dialog keys stay in dialogs"
        );
        assert_eq!(m.hint(Action::ConfirmStay, None), "n/esc stay");
        assert_eq!(m.hint(Action::PickerApply, Some("go")), "enter go");
    }
}
