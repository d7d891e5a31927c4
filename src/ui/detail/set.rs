//! The detail of an eval set: its fields, the pass-rate chart of its runs
//! against the gate, its description, what changed since the last review
//! (the cases added, removed and changed, with the reasons and patches the
//! worker read from git — the same data as `docket set diff SET`), its runs
//! and its cases. Pure: lines from the model and the state's answers.

use super::chart;
use super::doc::Doc;
use crate::model::{EvalRun, EvalSet, Workspace, time};
use crate::store::{CaseDiff, Change, Chosen, Point, short};
use crate::ui::state::set_diffs::SetDiffEntry;
use crate::ui::theme::Theme;
use crate::ui::wrap::{truncate, wrap};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Patch lines shown per changed case; the rest is one command away.
const PATCH_LINES: usize = 30;

pub(super) fn set(
    ws: &Workspace,
    s: &EvalSet,
    diff: Option<&SetDiffEntry>,
    width: usize,
    t: &Theme,
) -> Vec<Line<'static>> {
    let mut d = Doc {
        out: Vec::new(),
        width,
        t,
    };
    d.title(&s.title);
    d.out.push(Line::default());
    d.field("id", &s.id);
    d.field("version", &format!("v{}", s.version));
    d.field("gate", &format!("{} pass rate", pct(s.min_pass_rate)));
    d.field("owner", &s.owner);
    d.field("gates", &s.runbook);
    d.field("cases", &s.cases.len().to_string());
    let runs = runs_by_time(ws, &s.id);
    let points: Vec<(i64, f64)> = runs
        .iter()
        .filter_map(|(at, r)| Some((*at, r.pass_rate()?)))
        .collect();
    let plot = chart::pass_rate(&points, s.min_pass_rate, width, t);
    if !plot.is_empty() {
        d.section(&format!(
            "pass rate · {} gate {}",
            chart::GATE,
            pct(s.min_pass_rate)
        ));
        d.out.extend(plot);
    }
    if !s.description.trim().is_empty() {
        d.out.push(Line::default());
        d.text(&s.description, 0);
    }
    since_review(&mut d, &s.id, diff);
    if !runs.is_empty() {
        d.section("runs");
        for (_, r) in &runs {
            run_line(&mut d, r, s.min_pass_rate);
        }
    }
    d.section("cases");
    for c in &s.cases {
        let prov = c.provenance.as_ref().map_or_else(String::new, |p| {
            format!(
                "  v{} · {}{}",
                p.added_in_version,
                p.promoted_by,
                p.incident
                    .as_ref()
                    .map(|i| format!(" · {i}"))
                    .unwrap_or_default()
            )
        });
        d.out.extend(wrap(
            &[
                Span::styled(c.id.clone(), t.label),
                Span::styled(prov, t.dim),
            ],
            width,
            &[Span::raw("• ")],
            &[Span::raw("  ")],
        ));
    }
    d.out
}

fn pct(rate: f64) -> String {
    format!("{:.2}%", rate * 100.0)
}

/// A set's runs ordered by `at` (their ids need not sort by time), with
/// the Unix time of each.
fn runs_by_time<'w>(ws: &'w Workspace, set: &'w str) -> Vec<(i64, &'w EvalRun)> {
    let mut runs: Vec<(i64, &EvalRun)> = ws
        .runs_of(set)
        .map(|r| (time::unix_from_datetime(&r.at).unwrap_or(0), r))
        .collect();
    runs.sort_by_key(|(at, _)| *at);
    runs
}

fn run_line(d: &mut Doc<'_>, r: &EvalRun, gate: f64) {
    let t = d.t;
    let rate = r.pass_rate().unwrap_or(0.0);
    let (mark, style) = if rate >= gate {
        ("✓", t.added)
    } else {
        ("✗", t.removed)
    };
    let bar_w = 20usize;
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )] // 0..=20
    let filled = ((rate * bar_w as f64).round() as usize).min(bar_w);
    d.out.push(Line::from(vec![
        Span::styled(format!("{mark} "), style),
        Span::raw(format!(
            "{}  v{:<3} ",
            time::day(&r.at).unwrap_or_default(),
            r.set_version
        )),
        Span::styled("█".repeat(filled), style),
        Span::styled("░".repeat(bar_w - filled), t.dim),
        Span::raw(format!(
            " {} ({}/{})",
            pct(rate),
            r.passed,
            r.passed + r.failed
        )),
    ]));
}

/// `review/2026-11-20 v7`, `HEAD v8`, `v5`.
fn point(p: &Point) -> String {
    match p.version {
        Some(v) if p.label != format!("v{v}") => format!("{} v{v}", p.label),
        _ => p.label.clone(),
    }
}

/// The section on what changed since the last review.
fn since_review(d: &mut Doc<'_>, set: &str, diff: Option<&SetDiffEntry>) {
    let t = d.t;
    let result = diff.and_then(|e| e.result.as_ref());
    let heading = match result {
        Some(Ok(x)) if x.from.chosen == Chosen::FirstVersion => "since the first version",
        _ => "since the last review",
    };
    d.section(heading);
    let x = match result {
        None => return d.out.push(Line::styled("  loading…", t.dim)),
        Some(Err(e)) => return d.text(&format!("cannot read the history: {e}"), 2),
        Some(Ok(x)) => x,
    };
    d.text(&format!("{} → {}", point(&x.from), point(&x.to)), 0);
    if x.cases.is_empty() {
        d.text("no case added, removed or changed", 0);
        return;
    }
    let n = |c| x.of(c).count();
    d.text(
        &format!(
            "{} added · {} removed · {} changed",
            n(Change::Added),
            n(Change::Removed),
            n(Change::Changed)
        ),
        0,
    );
    for c in &x.cases {
        case_lines(d, c);
    }
    if x.of(Change::Changed).next().is_some() {
        d.out.extend(wrap(
            &[Span::styled(
                format!("whole patches: docket set diff {set}"),
                t.dim,
            )],
            d.width,
            &[Span::raw("  ")],
            &[Span::raw("  ")],
        ));
    }
}

fn case_lines(d: &mut Doc<'_>, c: &CaseDiff) {
    let t = d.t;
    let (mark, style) = match c.change {
        Change::Added => ("+ ", t.added),
        Change::Removed => ("- ", t.removed),
        Change::Changed => ("~ ", t.warning),
    };
    d.out.push(Line::from(vec![
        Span::styled(mark, style),
        Span::styled(crate::sanitize::line(&c.id).into_owned(), t.label),
    ]));
    let pad = [Span::raw("    ")];
    for touch in &c.commits {
        let why = if touch.actions.is_empty() {
            format!(
                "{} by hand in {}: {}",
                c.change.as_str(),
                short(&touch.commit),
                touch.summary
            )
        } else {
            touch.actions.join("; ")
        };
        d.out.extend(wrap(&[Span::raw(why)], d.width, &pad, &pad));
    }
    // Hunks only: the file names are in the case line already.
    let hunks: Vec<&String> = c
        .patch
        .iter()
        .skip_while(|l| !l.starts_with("@@"))
        .collect();
    for l in hunks.iter().take(PATCH_LINES) {
        let st = if l.starts_with('+') {
            t.added
        } else if l.starts_with('-') {
            t.removed
        } else if l.starts_with("@@") {
            t.dim
        } else {
            Style::default()
        };
        // Cut, not wrapped: a patch line's leading column is its meaning.
        let cut = truncate(&crate::sanitize::line(l), d.width.saturating_sub(4));
        d.out
            .push(Line::from(vec![Span::raw("    "), Span::styled(cut, st)]));
    }
    if hunks.len() > PATCH_LINES {
        d.out.push(Line::styled(
            format!("    … {} more lines", hunks.len() - PATCH_LINES),
            t.dim,
        ));
    }
}
