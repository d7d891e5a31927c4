//! Fitting text to a width: wrapping styled spans at spaces (hard inside
//! long words), plain multi-line text sanitized and wrapped, and cutting a
//! line to a width with `…`. Widths are terminal columns, not bytes.

use crate::sanitize;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// Wraps styled spans to `width` columns, greedily at spaces and hard
/// inside words longer than a line. `first` and `rest` are prefixes for the
/// first and following lines (bullets, quote bars, indents). Linear in the
/// text, so a 200 KB line costs one pass.
#[must_use]
pub fn wrap(
    spans: &[Span<'static>],
    width: usize,
    first: &[Span<'static>],
    rest: &[Span<'static>],
) -> Vec<Line<'static>> {
    let pw = |p: &[Span<'static>]| p.iter().map(Span::width).sum::<usize>();
    let mut lines = Vec::new();
    let mut line: Vec<Span<'static>> = first.to_vec();
    let mut col = pw(first);
    let mut limit = width.max(pw(first) + 1);
    let mut pending_space: Option<Style> = None;
    let start_line = |lines: &mut Vec<Line<'static>>,
                      line: &mut Vec<Span<'static>>,
                      col: &mut usize,
                      limit: &mut usize| {
        lines.push(Line::from(std::mem::take(line)));
        line.extend_from_slice(rest);
        *col = pw(rest);
        *limit = width.max(*col + 1);
    };
    for span in spans {
        let text = sanitize::line(&span.content).into_owned();
        for word in split_keep(&text) {
            if word == " " {
                pending_space = Some(span.style);
                continue;
            }
            let w: usize = word.chars().map(|c| c.width().unwrap_or(0)).sum();
            let space = usize::from(pending_space.is_some() && col > pw(rest).min(col));
            if col + space + w > limit && col > pw(rest) {
                start_line(&mut lines, &mut line, &mut col, &mut limit);
                pending_space = None;
            }
            if let Some(st) = pending_space.take()
                && col > 0
            {
                line.push(Span::styled(" ", st));
                col += 1;
            }
            if col + w <= limit {
                line.push(Span::styled(word.to_owned(), span.style));
                col += w;
                continue;
            }
            // A word longer than the line: break it by characters.
            let mut chunk = String::new();
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if col + cw > limit && col > pw(rest) {
                    line.push(Span::styled(std::mem::take(&mut chunk), span.style));
                    start_line(&mut lines, &mut line, &mut col, &mut limit);
                }
                chunk.push(c);
                col += cw;
            }
            line.push(Span::styled(chunk, span.style));
        }
    }
    lines.push(Line::from(line));
    lines
}

/// Splits into words and single-space separators (runs of spaces collapse).
fn split_keep(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if rest.starts_with(' ') {
            rest = rest.trim_start_matches(' ');
            return Some(" ");
        }
        let end = rest.find(' ').unwrap_or(rest.len());
        let (w, r) = rest.split_at(end);
        rest = r;
        Some(w)
    })
}

/// Plain multi-line text, sanitized and wrapped, each line indented.
#[must_use]
pub fn plain(text: &str, width: usize, style: Style, indent: usize) -> Vec<Line<'static>> {
    let pad = vec![Span::raw(" ".repeat(indent))];
    let clean = sanitize::block(text);
    let mut out = Vec::new();
    for l in clean.trim_end_matches('\n').split('\n') {
        out.extend(wrap(
            &[Span::styled(l.to_owned(), style)],
            width,
            &pad,
            &pad,
        ));
    }
    out
}

/// Cuts `s` to at most `w` columns, marking the cut with `…`.
#[must_use]
pub fn truncate(s: &str, w: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if s.width() <= w {
        return s.to_owned();
    }
    if w == 0 {
        return String::new();
    }
    let mut end = 0;
    let mut col = 0;
    for (i, c) in s.char_indices() {
        let cw = c.width().unwrap_or(0);
        if col + cw + 1 > w {
            break;
        }
        end = i + c.len_utf8();
        col += cw;
    }
    // A sequence can be wider than its characters (`*` and U+FE0F are one
    // emoji, two columns): keep the longest prefix that fits, found by
    // bisecting the character boundaries (the empty prefix always fits).
    let bounds: Vec<usize> = s[..end]
        .char_indices()
        .map(|(i, _)| i)
        .chain([end])
        .collect();
    let (mut lo, mut hi) = (0, bounds.len() - 1);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if s[..bounds[mid]].width() < w {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let mut out = s[..bounds[lo]].to_owned();
    out.push('…');
    out
}

/// Each line's text, for tests.
#[cfg(test)]
pub(crate) fn line_texts(lines: &[Line<'_>]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::line_texts as text;

    #[test]
    fn wraps_words_and_long_lines() {
        let l = wrap(&[Span::raw("the quick brown fox jumps")], 10, &[], &[]);
        assert_eq!(text(&l), vec!["the quick", "brown fox", "jumps"]);
        let long = "x".repeat(200_000);
        let l = wrap(&[Span::raw(long)], 80, &[], &[]);
        assert_eq!(l.len(), 2500);
        assert!(l.iter().all(|l| l.width() <= 80));
    }
}
