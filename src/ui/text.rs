//! Markdown for the detail pane, rendered to styled lines with every piece
//! of untrusted text passed through the sanitizer first, so nothing from a
//! file can change the terminal. Fitting text to a width is `ui::wrap`.

use crate::sanitize;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::ui::theme::Theme;
use crate::ui::wrap::{truncate, wrap};

struct Renderer<'t> {
    theme: &'t Theme,
    width: usize,
    out: Vec<Line<'static>>,
    cur: Vec<Span<'static>>,
    styles: Vec<Style>,
    /// Prefixes of enclosing blocks: (first line, following lines).
    prefixes: Vec<(String, String)>,
    lists: Vec<Option<u64>>,
    links: Vec<String>,
    code: Option<String>,
    table: Option<Vec<Vec<String>>>,
    heading: Option<HeadingLevel>,
}

impl Renderer<'_> {
    fn style(&self) -> Style {
        self.styles.last().copied().unwrap_or_default()
    }

    fn push_style(&mut self, f: impl FnOnce(Style) -> Style) {
        let s = f(self.style());
        self.styles.push(s);
    }

    fn prefix(&mut self) -> (Vec<Span<'static>>, Vec<Span<'static>>) {
        let dim = self.theme.dim;
        let first: String = self.prefixes.iter().map(|(f, _)| f.as_str()).collect();
        let rest: String = self.prefixes.iter().map(|(_, r)| r.as_str()).collect();
        // A bullet is shown once; later lines of the item get its indent.
        for p in &mut self.prefixes {
            p.0.clone_from(&p.1);
        }
        (
            vec![Span::styled(first, dim)],
            vec![Span::styled(rest, dim)],
        )
    }

    fn flush(&mut self) {
        if self.cur.is_empty() {
            return;
        }
        let spans = std::mem::take(&mut self.cur);
        let (first, rest) = self.prefix();
        self.out.extend(wrap(&spans, self.width, &first, &rest));
    }

    fn blank(&mut self) {
        if self.out.last().is_some_and(|l| l.width() > 0) {
            self.out.push(Line::default());
        }
    }

    fn text(&mut self, t: &str) {
        if let Some(code) = &mut self.code {
            code.push_str(t);
        } else if let Some(rows) = &mut self.table {
            if let Some(cell) = rows.last_mut().and_then(|r| r.last_mut()) {
                cell.push_str(t);
            }
        } else {
            let st = self.style();
            self.cur.push(Span::styled(t.to_owned(), st));
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush();
                self.blank();
                self.heading = Some(level);
                let h = self.theme.heading;
                self.push_style(|_| h);
                let hashes = "#".repeat(level as usize);
                self.cur
                    .push(Span::styled(format!("{hashes} "), self.theme.dim));
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.prefixes.push(("│ ".into(), "│ ".into()));
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                self.code = Some(String::new());
                if let CodeBlockKind::Fenced(lang) = kind
                    && !lang.is_empty()
                {
                    let l = sanitize::line(&lang).into_owned();
                    self.out
                        .push(Line::from(Span::styled(format!("  ┌ {l}"), self.theme.dim)));
                }
            }
            Tag::List(start) => {
                self.flush();
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                let bullet = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "• ".to_owned(),
                };
                let indent = " ".repeat(bullet.chars().count());
                self.prefixes.push((bullet, indent));
            }
            Tag::Emphasis => self.push_style(|s| s.add_modifier(Modifier::ITALIC)),
            Tag::Strong => self.push_style(|s| s.add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => self.push_style(|s| s.add_modifier(Modifier::CROSSED_OUT)),
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                self.links.push(dest_url.to_string());
                let l = self.theme.link;
                self.push_style(|s| s.patch(l));
            }
            Tag::Table(_) => {
                self.flush();
                self.table = Some(Vec::new());
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.push(Vec::new());
                }
            }
            Tag::TableCell => {
                if let Some(r) = self.table.as_mut().and_then(|t| t.last_mut()) {
                    r.push(String::new());
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.flush();
                self.blank();
            }
            TagEnd::Heading(_) => {
                self.flush();
                self.styles.pop();
                self.heading = None;
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.prefixes.pop();
                self.blank();
            }
            TagEnd::CodeBlock => {
                let code = self.code.take().unwrap_or_default();
                for l in sanitize::block(code.trim_end_matches('\n')).split('\n') {
                    let (first, _) = self.prefix();
                    let mut spans = first;
                    spans.push(Span::styled("  │ ", self.theme.dim));
                    spans.push(Span::styled(l.to_owned(), self.theme.code));
                    self.out.push(Line::from(spans));
                }
                self.blank();
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                self.blank();
            }
            TagEnd::Item => {
                self.flush();
                self.prefixes.pop();
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                self.styles.pop();
            }
            TagEnd::Link | TagEnd::Image => {
                self.styles.pop();
                if let Some(url) = self.links.pop() {
                    if self.table.is_some() {
                        self.text(&format!(" <{url}>"));
                    } else {
                        self.cur
                            .push(Span::styled(format!(" <{url}>"), self.theme.dim));
                    }
                }
            }
            TagEnd::Table => {
                let rows = self.table.take().unwrap_or_default();
                self.table_lines(&rows);
                self.blank();
            }
            _ => {}
        }
    }

    /// Tables become aligned columns, the header underlined; cells are cut
    /// to share the width rather than wrapped.
    fn table_lines(&mut self, rows: &[Vec<String>]) {
        let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
        let clean: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| sanitize::line(c.trim()).into_owned())
                    .collect()
            })
            .collect();
        let mut widths = vec![0usize; cols];
        for r in &clean {
            for (i, c) in r.iter().enumerate() {
                widths[i] = widths[i].max(unicode_width::UnicodeWidthStr::width(c.as_str()));
            }
        }
        let budget = self
            .width
            .saturating_sub(3 * cols.saturating_sub(1))
            .max(cols);
        while widths.iter().sum::<usize>() > budget {
            if let Some(w) = widths.iter_mut().max() {
                *w -= 1;
            }
        }
        for (n, r) in clean.iter().enumerate() {
            let mut spans = Vec::new();
            for (i, w) in widths.iter().enumerate() {
                let cell = r.get(i).map_or("", String::as_str);
                let cut = truncate(cell, *w);
                let pad = w.saturating_sub(unicode_width::UnicodeWidthStr::width(cut.as_str()));
                let st = if n == 0 {
                    self.theme.table_head
                } else {
                    Style::default()
                };
                spans.push(Span::styled(format!("{cut}{}", " ".repeat(pad)), st));
                if i + 1 < cols {
                    spans.push(Span::styled(" │ ", self.theme.dim));
                }
            }
            self.out.push(Line::from(spans));
        }
    }
}

/// Renders markdown to lines `width` columns wide.
#[must_use]
pub fn markdown(src: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut r = Renderer {
        theme,
        width: width.max(8),
        out: Vec::new(),
        cur: Vec::new(),
        styles: Vec::new(),
        prefixes: Vec::new(),
        lists: Vec::new(),
        links: Vec::new(),
        code: None,
        table: None,
        heading: None,
    };
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    for ev in Parser::new_ext(src, opts) {
        match ev {
            Event::Start(tag) => r.start(tag),
            Event::End(tag) => r.end(tag),
            // Comments are invisible in rendered markdown (memo prompts).
            Event::Html(t) | Event::InlineHtml(t) if t.trim_start().starts_with("<!--") => {}
            Event::Html(t) => {
                for line in t.lines() {
                    r.text(line);
                    r.flush();
                }
            }
            Event::Text(t) | Event::InlineHtml(t) => r.text(&t),
            Event::Code(t) => {
                let st = theme.code;
                if r.table.is_some() {
                    r.text(&t);
                } else {
                    r.cur.push(Span::styled(t.to_string(), st));
                }
            }
            Event::SoftBreak => r.text(" "),
            Event::HardBreak => r.flush(),
            Event::Rule => {
                r.flush();
                r.out.push(Line::from(Span::styled(
                    "─".repeat(r.width.min(40)),
                    theme.dim,
                )));
            }
            Event::TaskListMarker(done) => r.text(if done { "[x] " } else { "[ ] " }),
            _ => {}
        }
    }
    r.flush();
    while r.out.last().is_some_and(|l| l.width() == 0) {
        r.out.pop();
    }
    r.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::wrap::plain;

    use crate::ui::wrap::line_texts as text;

    #[test]
    fn renders_markdown_blocks() {
        let md = "## Context\n\nSome *text* and `code`.\n\n- one\n- two\n\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```sh\nls\n```\n[link](https://x.example)\n";
        let out = text(&markdown(md, 40, &Theme::new(false)));
        assert!(out.contains(&"## Context".to_owned()), "{out:?}");
        assert!(out.contains(&"Some text and code.".to_owned()), "{out:?}");
        assert!(
            out.contains(&"• one".to_owned()) && out.contains(&"• two".to_owned()),
            "{out:?}"
        );
        assert!(out.contains(&"│ quoted".to_owned()), "{out:?}");
        assert!(
            out.iter().any(|l| l.starts_with('a') && l.contains('│')),
            "{out:?}"
        );
        assert!(out.contains(&"  │ ls".to_owned()), "{out:?}");
        assert!(
            out.iter().any(|l| l.contains("link <https://x.example>")),
            "{out:?}"
        );
    }

    #[test]
    fn hostile_text_is_neutralised() {
        let out = text(&markdown(
            "a\u{1b}]0;x\u{7}b \u{202e}c\tq",
            80,
            &Theme::new(false),
        ));
        let joined = out.join("\n");
        assert!(!joined.chars().any(sanitize::is_unsafe), "{joined:?}");
        let out = text(&plain("l1\u{1b}[2J\r\nl2\u{9b}", 80, Style::default(), 2));
        assert_eq!(out, vec!["  l1␛[2J", "  l2<U+009B>"]);
    }
}
