//! Splits a markdown file into its TOML front matter (between two lines that
//! are exactly `+++`) and its body.

use super::diag::Diagnostic;

/// A markdown file cut in two. `body_line` is the 1-based line the body starts
/// on, so diagnostics about sections can point into the file.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    pub front: &'a str,
    pub body: &'a str,
    pub body_line: usize,
}

/// Front matter always starts on line 2 (line 1 is the opening `+++`).
pub const FRONT_LINE_OFFSET: usize = 1;

pub fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end_matches(['\n', '\r']) != "+++" {
        return Err(Diagnostic::parse(
            path,
            1,
            "missing front matter: the file must start with a line that is exactly +++",
        ));
    }
    let start = first.len();
    let mut pos = start;
    let mut line = 1;
    for l in lines {
        line += 1;
        if l.trim_end_matches(['\n', '\r']) == "+++" {
            return Ok(Split {
                front: &text[start..pos],
                body: &text[pos + l.len()..],
                body_line: line + 1,
            });
        }
        pos += l.len();
    }
    Err(Diagnostic::parse(
        path,
        1,
        "unterminated front matter: no closing +++ line",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        let s = split("a.md", "+++\nid = \"x\"\n+++\n## Body\n").unwrap();
        assert_eq!(s.front, "id = \"x\"\n");
        assert_eq!(s.body, "## Body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn refuses_missing_or_open() {
        assert_eq!(split("a.md", "# hi\n").unwrap_err().line, 1);
        assert!(
            split("a.md", "+++\nid = 1\n")
                .unwrap_err()
                .message
                .contains("unterminated")
        );
        assert!(split("a.md", "++++\n+++\n").is_err());
    }
}
