//! The list pane: a header (column names, or the filter being typed) and one
//! row per visible item, matched characters highlighted, the cursor shown
//! by a marker and reverse video (never by colour alone).

use crate::model::CaseRef;
use crate::model::case::Status;
use crate::sanitize;
use crate::ui::ages;
use crate::ui::items::View;
use crate::ui::items::query::Query;
use crate::ui::state::AppState;
use crate::ui::state::item::Item;
use crate::ui::wrap::truncate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

pub fn render(s: &AppState, area: Rect, buf: &mut Buffer) {
    let t = &s.theme;
    let list = s.list();
    let width = usize::from(area.width);
    let header = if s.filter_editing || !list.query.is_empty() {
        let cursor = if s.filter_editing { "▏" } else { "" };
        let count = format!(" {}/{}", list.visible.len(), list.index.len());
        Line::from(vec![
            Span::styled("/", t.key),
            Span::raw(truncate(
                &sanitize::line(&list.query),
                width.saturating_sub(count.len() + 2),
            )),
            Span::styled(cursor, t.key),
            Span::styled(count, t.dim),
        ])
    } else {
        Line::styled(header_text(s.view, width), t.dim)
    };
    buf.set_line(area.x, area.y, &header, area.width);
    if s.loading && s.ws.is_none() {
        buf.set_line(
            area.x + 1,
            area.y + 1,
            &Line::styled("loading the workspace…", t.dim),
            area.width,
        );
        return;
    }
    if list.visible.is_empty() {
        let msg = if list.matching {
            "matching…"
        } else if list.query.is_empty() {
            "nothing here"
        } else {
            "no match"
        };
        buf.set_line(
            area.x + 1,
            area.y + 1,
            &Line::styled(msg, t.dim),
            area.width,
        );
        return;
    }
    let fuzzy = Query::parse(&list.query).fuzzy;
    let rows = usize::from(area.height.saturating_sub(1));
    for (n, &item) in list.visible.iter().skip(list.offset).take(rows).enumerate() {
        let selected = list.offset + n == list.selected;
        let text = row_text(s, item as usize, width.saturating_sub(2));
        let mut spans = vec![Span::raw(if selected { "▶ " } else { "  " })];
        spans.extend(highlight(&text, &fuzzy, t.matched));
        let mut line = Line::from(spans);
        if selected {
            line = line.style(if s.focus == crate::ui::state::Focus::List {
                t.selected
            } else {
                Style::default().add_modifier(ratatui::style::Modifier::BOLD)
            });
        }
        let y = area.y + 1 + u16::try_from(n).unwrap_or(0);
        if selected {
            buf.set_style(Rect::new(area.x, y, area.width, 1), line.style);
        }
        buf.set_line(area.x, y, &line, area.width);
    }
}

fn header_text(view: View, w: usize) -> String {
    let h = match view {
        View::Inbox if w >= 70 => "  S SEV AGE AGENT         TAGS           SUMMARY",
        View::Inbox if w >= 56 => "  S SEV AGE AGENT         SUMMARY",
        View::Inbox => "  S SEV AGE SUMMARY",
        View::Sets => "  SET                 VER CASES",
        View::Runbooks => "  RUNBOOK             STATUS  TIER",
        View::Memos => "  MEMO STATUS     TITLE",
        View::Overview => "",
        View::Changes => "  CHANGE",
    };
    truncate(h, w)
}

/// The text of one row, fitted to `w` columns.
fn row_text(s: &AppState, i: usize, w: usize) -> String {
    if s.ws.is_none() {
        return String::new();
    }
    let Some(item) = s.item(s.view, i) else {
        return String::new();
    };
    let text = match item {
        Item::Case(c) => case_row(c, s.now, w),
        Item::Set(x) => format!("{:<19} v{:<3} {}", x.id, x.version, x.cases.len()),
        Item::Runbook(x) => format!("{:<19} {:<7} {}", x.id, x.status, x.autonomy),
        Item::Memo(x) => format!("{} {:<10} {}", x.id, x.status.as_str(), x.title),
        Item::Change(c) => {
            let mark = if c.commit.is_some() { "✓" } else { "●" };
            format!("{mark} {}", c.title)
        }
    };
    truncate(&sanitize::line(&text), w)
}

fn case_row(c: CaseRef<'_>, now: i64, w: usize) -> String {
    let status = match c.status {
        Status::New => 'N',
        Status::Triaged => 'T',
        Status::Promoted => 'P',
        Status::Dismissed => 'D',
    };
    let sev = c.severity.map_or("-".to_owned(), |s| {
        s.as_str().trim_start_matches("sev").to_owned()
    });
    let age = ages::case_age(c, now);
    let tags = if c.tags.is_empty() {
        String::new()
    } else {
        format!(" [{}]", c.tags.join(","))
    };
    if w >= 68 {
        let agent = truncate(c.agent, 13);
        let tags = truncate(&c.tags.join(","), 14);
        format!(
            "{status}  {sev:<2} {age:>3} {agent:<13} {tags:<14} {}",
            c.summary
        )
    } else if w >= 54 {
        let agent = truncate(c.agent, 13);
        format!(
            "{status}  {sev:<2} {age:>3} {agent:<13} {}{tags}",
            c.summary
        )
    } else {
        format!("{status}  {sev:<2} {age:>3} {}{tags}", c.summary)
    }
}

/// Splits `text` into spans with the characters the fuzzy query matched
/// styled.
pub(super) fn highlight(text: &str, fuzzy: &str, style: Style) -> Vec<Span<'static>> {
    if fuzzy.is_empty() {
        return vec![Span::raw(text.to_owned())];
    }
    let hits = crate::search::indices(fuzzy, text);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_hit = false;
    for (i, c) in text.chars().enumerate() {
        let hit = u32::try_from(i).is_ok_and(|i| hits.binary_search(&i).is_ok());
        if hit != cur_hit && !cur.is_empty() {
            out.push(if cur_hit {
                Span::styled(std::mem::take(&mut cur), style)
            } else {
                Span::raw(std::mem::take(&mut cur))
            });
        }
        cur_hit = hit;
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(if cur_hit {
            Span::styled(cur, style)
        } else {
            Span::raw(cur)
        });
    }
    out
}
