//! Makes untrusted text safe to print: text from workspace files never reaches
//! a terminal as escape sequences.
//!
//! Control characters (C0, DEL, C1) become visible placeholders, and so do the
//! bidi overrides and isolates that can make a line read differently from what
//! it contains (Trojan Source). Both the CLI and the terminal UI print through
//! this.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must not be written raw to a terminal.
#[must_use]
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}' | '\u{200e}' | '\u{200f}')
}

/// The visible stand-in for an unsafe character: the Unicode control pictures
/// for C0 and DEL (`␛` for ESC), `<U+XXXX>` for the rest.
fn placeholder(c: char, out: &mut String) {
    let code = u32::from(c);
    if code < 0x20 {
        out.push(char::from_u32(0x2400 + code).unwrap_or('?'));
    } else if code == 0x7f {
        out.push('\u{2421}');
    } else {
        let _ = write!(out, "<U+{code:04X}>");
    }
}

/// One line of text: every control character, newlines included, is made
/// visible; tabs become a space.
#[must_use]
pub fn line(s: &str) -> Cow<'_, str> {
    clean(s, false)
}

/// Multi-line text: newlines are kept, tabs expand to the next multiple of
/// four columns, `\r\n` counts as a newline, every other control character is
/// made visible.
#[must_use]
pub fn block(s: &str) -> Cow<'_, str> {
    clean(s, true)
}

fn clean(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut col = 0usize;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' if keep_newlines => {
                out.push('\n');
                col = 0;
                continue;
            }
            '\r' if keep_newlines && chars.peek() == Some(&'\n') => continue,
            '\t' => {
                let n = if keep_newlines { 4 - col % 4 } else { 1 };
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
                continue;
            }
            c if is_unsafe(c) => placeholder(c, &mut out),
            c => out.push(c),
        }
        col += 1;
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_plain_text_alone() {
        assert!(matches!(line("héllo 世界"), Cow::Borrowed(_)));
    }

    #[test]
    fn neutralises_escapes() {
        let hostile = "a\u{1b}]0;pwned\u{7}b\u{9b}2Jc\u{1b}P1$r\u{1b}\\d\u{202e}e\rf\u{8}";
        let out = line(hostile);
        assert!(!out.chars().any(is_unsafe), "{out}");
        assert_eq!(out, "a␛]0;pwned␇b<U+009B>2Jc␛P1$r␛\\d<U+202E>e␍f␈");
    }

    #[test]
    fn blocks_keep_lines_and_expand_tabs() {
        assert_eq!(block("a\tb\r\nc\u{1b}"), "a   b\nc␛");
        assert_eq!(line("a\nb"), "a␊b");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Whatever a file holds, the sanitized text has no C0 or C1
        /// control, no DEL and no bidi control (a block keeps newlines),
        /// and sanitizing again changes nothing.
        #[test]
        fn output_is_inert_and_idempotent(s in "(?s).{0,200}", t in proptest::collection::vec(proptest::char::any(), 0..64)) {
            let raw: String = s.chars().chain(t).collect();
            let l = line(&raw);
            proptest::prop_assert!(!l.chars().any(is_unsafe), "{:?}", l);
            proptest::prop_assert_eq!(line(&l), l.clone());
            let b = block(&raw);
            proptest::prop_assert!(!b.chars().any(|c| is_unsafe(c) && c != '\n'), "{:?}", b);
            proptest::prop_assert_eq!(block(&b), b.clone());
            for c in l.chars().chain(b.chars()) {
                let code = u32::from(c);
                proptest::prop_assert!(
                    c == '\n' || !(code < 0x20 || (0x7f..=0x9f).contains(&code)),
                    "control {:?}", c
                );
            }
        }
    }
}
