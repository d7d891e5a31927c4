//! The overview (`0`): what the eval review looks at first — failures by
//! status and severity, what is new since the last review, uncovered
//! incidents, runbooks not ready, memos due — and, where a picture reads
//! faster, failures per week, each set's pass-rate trend and tags by count.
//! Everything judged here was computed when the data changed
//! (`AppState::stats`, `AppState::findings`): drawing runs no governance
//! check and walks no cases.

use crate::model::case::{Severity, Status};
use crate::model::{Level, Rule};
use crate::sanitize;
use crate::ui::state::AppState;
use crate::ui::wrap::truncate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Sparkline, Widget};

use crate::ui::stats::WEEKS;

pub fn render(s: &AppState, area: Rect, buf: &mut Buffer) {
    let t = &s.theme;
    let Some(ws) = &s.ws else {
        buf.set_line(
            area.x + 1,
            area.y + 1,
            &Line::styled("loading the workspace…", t.dim),
            area.width,
        );
        return;
    };
    let half = area.width / 2;
    let (left, right) = (
        Rect::new(area.x, area.y, half, area.height),
        Rect::new(area.x + half, area.y, area.width - half, area.height),
    );
    let lines = summary(s, ws);
    for (n, l) in lines.iter().take(usize::from(left.height)).enumerate() {
        let text: String = l.spans.iter().map(|sp| sp.content.as_ref()).collect();
        let line = Line::styled(
            truncate(&sanitize::line(&text), usize::from(left.width)),
            l.style
                .patch(l.spans.first().map(|sp| sp.style).unwrap_or_default()),
        );
        buf.set_line(
            left.x,
            left.y + u16::try_from(n).unwrap_or(0),
            &line,
            left.width,
        );
    }
    charts(s, right, buf);
}

/// The left column: counts, uncovered incidents, readiness, memos due.
fn summary(s: &AppState, ws: &crate::model::Workspace) -> Vec<Line<'static>> {
    let t = &s.theme;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let stats = &s.stats;
    let count = |st: Status| stats.status(st);
    lines.push(Line::styled(" Failures", t.heading));
    lines.push(Line::raw(format!(
        "  {} new · {} triaged · {} promoted · {} dismissed",
        count(Status::New),
        count(Status::Triaged),
        count(Status::Promoted),
        count(Status::Dismissed)
    )));
    let sev = |sv: Severity| stats.open(sv);
    lines.push(Line::raw(format!(
        "  open: {} sev1 · {} sev2 · {} sev3 · {} sev4",
        sev(Severity::Sev1),
        sev(Severity::Sev2),
        sev(Severity::Sev3),
        sev(Severity::Sev4)
    )));
    let cadence = i64::from(ws.config.review.cadence_days);
    let recent = stats.recent;
    lines.push(Line::raw(format!(
        "  {recent} new since the last review ({cadence} days)"
    )));
    lines.push(Line::default());
    if let Some(style) = rule_style(s, ws, Rule::IncidentCoverage) {
        let uncovered = &stats.uncovered;
        lines.push(Line::styled(
            format!(" Incidents without an eval ({})", uncovered.len()),
            t.heading,
        ));
        for u in uncovered {
            lines.push(Line::styled(
                format!(
                    "  ✗ {} · {} days · {}",
                    u.incident,
                    u.days,
                    u.cases.join(", ")
                ),
                style,
            ));
        }
        lines.push(Line::default());
    }
    if let Some(style) = rule_style(s, ws, Rule::LaunchReadiness) {
        lines.extend(not_ready(s, style));
    }
    let eligible = &s.findings.eligible;
    if !eligible.is_empty() {
        lines.push(Line::styled(
            format!("  ✓ eligible for the next tier: {}", eligible.join(", ")),
            t.added,
        ));
    }
    lines.push(Line::default());
    if ws.config.check.level(Rule::MemoReviewDue).is_some() {
        lines.extend(memos_due(s));
    }
    lines
}

/// Active runbooks that fail a launch control, in `style` (the level
/// `[check]` gives `launch_readiness`).
fn not_ready(s: &AppState, style: Style) -> Vec<Line<'static>> {
    let not_ready = &s.findings.not_ready;
    let mut lines = vec![Line::styled(
        format!(" Active runbooks not ready ({})", not_ready.len()),
        s.theme.heading,
    )];
    for (id, failing) in not_ready {
        lines.push(Line::styled(
            format!("  ✗ {id}: {}", failing.join(", ")),
            style,
        ));
    }
    lines
}

/// How a governance rule's items are drawn, following `[check]` as
/// `docket check` does: red for an error, yellow for a warning, and not at
/// all when the team turned the rule off.
fn rule_style(s: &AppState, ws: &crate::model::Workspace, rule: Rule) -> Option<Style> {
    match ws.config.check.level(rule)? {
        Level::Error => Some(s.theme.error),
        Level::Warning => Some(s.theme.warning),
    }
}

/// Accepted and proposed memos past their `review_by`.
fn memos_due(s: &AppState) -> Vec<Line<'static>> {
    let due = &s.findings.memos_due;
    let mut lines = vec![Line::styled(
        format!(" Memos due for review ({})", due.len()),
        s.theme.heading,
    )];
    for d in due {
        lines.push(Line::raw(format!("  • {d}")));
    }
    lines
}

/// Failures per week, each set's pass-rate trend, tags by count.
fn charts(s: &AppState, area: Rect, buf: &mut Buffer) {
    let t = &s.theme;
    let mut y = area.y;
    let bottom = area.y + area.height;
    let put = |y: &mut u16, line: Line<'_>, buf: &mut Buffer| {
        if *y < bottom {
            buf.set_line(area.x, *y, &line, area.width);
            *y += 1;
        }
    };
    // Failures per week, oldest to newest.
    let weeks = s.stats.weeks;
    put(
        &mut y,
        Line::styled(
            format!(
                " Failures per week (last {WEEKS}, max {})",
                weeks.iter().max().unwrap_or(&0)
            ),
            t.heading,
        ),
        buf,
    );
    if y + 3 <= bottom {
        Sparkline::default().data(weeks).style(t.key).render(
            Rect::new(
                area.x + 1,
                y,
                u16::try_from(WEEKS * 2)
                    .unwrap_or(24)
                    .min(area.width.saturating_sub(2)),
                3,
            ),
            buf,
        );
        y += 4;
    }
    put(
        &mut y,
        Line::styled(" Pass rate per set (runs, oldest → newest)", t.heading),
        buf,
    );
    let name_w = 20usize;
    for set in &s.findings.sets {
        let bars: String = set.rates.iter().map(|r| bar(*r)).collect();
        let last = set
            .rates
            .last()
            .map_or("-".to_owned(), |r| format!("{:.2}%", r * 100.0));
        let style = if set.passes { t.added } else { t.removed };
        put(
            &mut y,
            Line::from(vec![
                Span::raw(format!("  {:<name_w$} ", truncate(&set.id, name_w))),
                Span::styled(bars, style),
                Span::raw(format!(" {last}")),
            ]),
            buf,
        );
    }
    y += 1;
    tag_chart(s, area, y, buf);
}

/// Tags by count, as horizontal bars, from row `y` down.
fn tag_chart(s: &AppState, area: Rect, mut y: u16, buf: &mut Buffer) {
    let t = &s.theme;
    let bottom = area.y + area.height;
    let name_w = 20usize;
    let put = |y: &mut u16, line: Line<'_>, buf: &mut Buffer| {
        if *y < bottom {
            buf.set_line(area.x, *y, &line, area.width);
            *y += 1;
        }
    };
    put(&mut y, Line::styled(" Tags by count", t.heading), buf);
    let tags = &s.findings.tags;
    let max = tags.first().map_or(1, |x| x.1.max(1));
    let bar_w = usize::from(area.width).saturating_sub(name_w + 10).max(4);
    for (name, n) in tags.iter().filter(|x| x.1 > 0) {
        let len = (n * bar_w).div_ceil(max);
        put(
            &mut y,
            Line::from(vec![
                Span::raw(format!("  {:<name_w$} ", truncate(name, name_w))),
                Span::styled("█".repeat(len), t.key),
                Span::raw(format!(" {n}")),
            ]),
            buf,
        );
    }
}

/// One run as a bar character: its height shows the pass rate between 80%
/// and 100% (the colour of the row says whether the latest run passes).
fn bar(rate: f64) -> char {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let scaled = ((rate - 0.8) / 0.2).clamp(0.0, 1.0) * 7.0;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 0..=7
    BARS[scaled.round() as usize]
}
