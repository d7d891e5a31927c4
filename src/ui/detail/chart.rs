//! The pass-rate chart of an eval set: its runs over time as a braille line,
//! the gate (`min_pass_rate`) as a dashed horizontal line. ratatui's `Chart`
//! draws into a scratch buffer that is handed back as detail-pane lines, so
//! the chart scrolls and is cached with the rest of the set's detail, and
//! views stay slicers of lines.
//!
//! Without colour (`NO_COLOR`) the two lines still differ by glyph:
//! braille dots for the runs, `┄` for the gate.

use crate::model::time;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Widget};

/// Rows the chart takes: six of plot, the x axis and its labels. Fits an
/// 80×24 detail pane under the set's fields.
pub const HEIGHT: u16 = 8;

/// Widest the chart gets; beyond this a trend reads no better.
const MAX_WIDTH: usize = 72;

/// The glyph of the gate line (named in the section heading).
pub const GATE: char = '┄';

/// The chart of `points` (Unix time, pass rate in 0..=1; oldest first)
/// against `gate`, `width` columns wide. Empty with fewer than two points:
/// one run is not a trend, and the runs list shows it.
#[must_use]
pub fn pass_rate(points: &[(i64, f64)], gate: f64, width: usize, t: &Theme) -> Vec<Line<'static>> {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Vec::new();
    };
    if points.len() < 2 || width < 20 {
        return Vec::new();
    }
    #[allow(clippy::cast_precision_loss)] // Unix seconds fit an f64 exactly
    let data: Vec<(f64, f64)> = points.iter().map(|(x, y)| (*x as f64, *y)).collect();
    let (x0, x1) = (data[0].0, data[data.len() - 1].0);
    let x1 = if x1 > x0 { x1 } else { x0 + 86_400.0 };
    let (lo, hi) = bounds(points.iter().map(|p| p.1), gate);
    let gate_line = [(x0, gate), (x1, gate)];
    let day = |secs: i64| time::day(&time::datetime_from_unix(secs)).unwrap_or_default();
    let chart = Chart::new(vec![
        Dataset::default()
            .marker(Marker::Custom(GATE))
            .graph_type(GraphType::Line)
            .style(t.warning)
            .data(&gate_line),
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(t.added)
            .data(&data),
    ])
    .legend_position(None)
    .x_axis(
        Axis::default()
            .bounds([x0, x1])
            .style(t.dim)
            .labels_alignment(Alignment::Right)
            .labels([day(first.0), day(last.0)].map(|d| Span::styled(d, t.dim))),
    )
    .y_axis(
        Axis::default()
            .bounds([lo, hi])
            .style(t.dim)
            .labels(percent_labels(lo, hi).map(|d| Span::styled(d, t.dim))),
    );
    let w = u16::try_from(width.min(MAX_WIDTH)).unwrap_or(20);
    let area = Rect::new(0, 0, w, HEIGHT);
    let mut buf = Buffer::empty(area);
    chart.render(area, &mut buf);
    lines(&buf, t.color)
}

/// The y range: the runs and the gate with a margin, inside 0..=1, never
/// flat. A gate of 99.5% on a 0–100% axis would hide every difference that
/// matters.
fn bounds(rates: impl Iterator<Item = f64>, gate: f64) -> (f64, f64) {
    let (lo, hi) = rates.fold((gate, gate), |(lo, hi), r| (lo.min(r), hi.max(r)));
    let pad = ((hi - lo) * 0.15).max(0.001);
    ((lo - pad).max(0.0), (hi + pad).min(1.0))
}

/// Bottom and top labels with as many decimals as the span needs to tell
/// them apart.
fn percent_labels(lo: f64, hi: f64) -> [String; 2] {
    // In tenths of a point, rounded: 1.0 - 0.9 is 9.999…, not 10.
    let span = ((hi - lo) * 1000.0).round() / 10.0;
    let digits = if span >= 10.0 {
        0
    } else if span >= 1.0 {
        1
    } else {
        2
    };
    [lo, hi].map(|v| format!("{:.*}%", digits, v * 100.0))
}

/// The buffer's rows as lines of styled spans, trailing blanks dropped.
/// The default colour (`Reset`) is no colour; without colour, none at all.
fn lines(buf: &Buffer, color: bool) -> Vec<Line<'static>> {
    let area = buf.area;
    let keep = |c: Option<Color>| c.filter(|c| color && *c != Color::Reset);
    (area.top()..area.bottom())
        .map(|y| {
            let mut spans: Vec<Span<'static>> = Vec::new();
            for x in area.left()..area.right() {
                let cell = &buf[(x, y)];
                let mut style = cell.style();
                style.fg = keep(style.fg);
                style.bg = keep(style.bg);
                style.underline_color = None;
                match spans.last_mut() {
                    Some(s) if s.style == style => s.content.to_mut().push_str(cell.symbol()),
                    _ => spans.push(Span::styled(cell.symbol().to_owned(), style)),
                }
            }
            if let Some(s) = spans.last_mut()
                && s.style == Style::default()
            {
                let trimmed = s.content.trim_end().to_owned();
                s.content = trimmed.into();
            }
            Line::from(spans)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::ui::wrap::line_texts as text;

    #[test]
    fn draws_runs_and_the_gate_without_colour() {
        let day = 86_400;
        let points = [
            (0, 1.0),
            (7 * day, 0.99),
            (14 * day, 0.996),
            (21 * day, 1.0),
        ];
        let lines = pass_rate(&points, 0.995, 37, &Theme::new(false));
        assert_eq!(lines.len(), usize::from(HEIGHT));
        let all = text(&lines).join("\n");
        assert!(all.contains(GATE), "the gate line: {all}");
        assert!(
            all.chars().any(|c| ('\u{2801}'..='\u{28ff}').contains(&c)),
            "the runs in braille: {all}"
        );
        assert!(
            all.contains("1970-01-01") && all.contains("1970-01-22"),
            "{all}"
        );
        assert!(all.contains("100.0%"), "{all}");
        for l in &lines {
            for s in &l.spans {
                assert_eq!((s.style.fg, s.style.bg), (None, None), "no colour: {s:?}");
            }
        }
        let coloured = pass_rate(&points, 0.995, 37, &Theme::new(true));
        assert!(
            coloured
                .iter()
                .flat_map(|l| &l.spans)
                .any(|s| s.style.fg == Some(Color::Green)),
            "runs in colour"
        );
    }

    #[test]
    fn no_chart_for_one_run_or_a_narrow_pane() {
        let t = Theme::new(true);
        assert!(pass_rate(&[(0, 1.0)], 0.9, 40, &t).is_empty());
        assert!(pass_rate(&[(0, 1.0), (1, 0.5)], 0.9, 10, &t).is_empty());
        // Runs on one day still draw.
        assert_eq!(pass_rate(&[(5, 1.0), (5, 0.5)], 0.9, 40, &t).len(), 8);
    }

    #[test]
    fn the_y_range_frames_the_gate() {
        let (lo, hi) = bounds([0.999, 1.0].into_iter(), 0.995);
        assert!(lo < 0.995 && hi <= 1.0 && hi > lo, "{lo} {hi}");
        assert!(bounds([1.0].into_iter(), 1.0).1 >= 1.0);
        assert_eq!(
            percent_labels(0.9, 1.0),
            ["90%".to_owned(), "100%".to_owned()]
        );
        assert_eq!(
            percent_labels(0.99, 1.0),
            ["99.0%".to_owned(), "100.0%".to_owned()]
        );
    }
}
