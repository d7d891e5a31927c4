//! Shared parsing steps: bytes to UTF-8 text, text to a typed value, each
//! failure turned into a [`Diagnostic`] that points at the right line.

use super::diag::{Diagnostic, line_of};
use serde::de::DeserializeOwned;

/// Decodes file bytes, reporting the line of the first invalid byte.
pub fn utf8<'a>(path: &str, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
        Diagnostic::parse(path, line, format!("invalid UTF-8 at byte {valid}"))
    })
}

/// Parses TOML into `T`. `line_offset` is the number of lines that precede
/// `text` in the file (front matter starts after its `+++` line).
pub fn toml<T: DeserializeOwned>(
    path: &str,
    text: &str,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        Diagnostic::parse(path, line + line_offset, clean_message(e.message()))
    })
}

/// toml's messages may span lines; a diagnostic is one line.
fn clean_message(msg: &str) -> String {
    msg.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The file stem of a workspace-relative path (`a/b/c.toml` -> `c`).
#[must_use]
pub fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct T {
        #[allow(dead_code)]
        a: u32,
    }

    #[test]
    fn reports_lines() {
        let e = toml::<T>("f.toml", "\n\na = \"x\"\n", 0).unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        let e = toml::<T>("f.md", "a = [\n", 1).unwrap_err();
        assert!(e.line >= 2, "{e}");
        let e = toml::<T>("f.toml", "b = 1\n", 0).unwrap_err();
        assert!(e.message.contains("missing field `a`"), "{e}");
    }

    #[test]
    fn bad_utf8() {
        let e = utf8("f", b"ok\nok\n\xff").unwrap_err();
        assert_eq!(e.to_string(), "f:3: invalid UTF-8 at byte 6");
    }

    #[test]
    fn stems() {
        assert_eq!(stem("evals/failures/2026-11/a-1.toml"), "a-1");
        assert_eq!(stem("memos/0007-x.y.md"), "0007-x.y");
    }
}
