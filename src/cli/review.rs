//! `docket review`: the eval-review meeting from the command line — start
//! it (attendees from `[[reviewers]]`), see its agenda, skip a case to the
//! next meeting, finish it (minutes memo, one commit, an annotated
//! `review/YYYY-MM-DD` tag), and the reviewers' agreement. `docket review`
//! alone opens the UI in meeting mode.

use super::output::{self, safe};
use super::triage::notices;
use crate::model::case::Status;
use crate::ops::meeting::{self, Meeting, Step};
use crate::store::Store;
use anyhow::bail;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// The meeting in progress, or a new one with `attendees` (emails or
/// names of `[[reviewers]]`). A meeting in progress is resumed as it was.
pub fn start(store: &Store, attendees: &[String]) -> anyhow::Result<(Meeting, bool)> {
    Ok(store.open_meeting(attendees, &crate::store::now())?)
}

/// `docket review start [--attendee A]...`.
pub fn run_start(cwd: &Path, attendees: &[String]) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    notices(&store, true)?;
    let (m, resumed) = start(&store, attendees)?;
    let now = crate::model::time::unix_from_datetime(&crate::store::now()).unwrap_or(0);
    if resumed {
        println!(
            "resuming the review meeting of {} ({})",
            m.day,
            m.progress(now)
        );
    } else {
        println!(
            "review meeting of {} started: {} case(s) on the agenda{}",
            m.day,
            m.agenda.len(),
            m.since
                .as_ref()
                .map(|t| format!(" (last meeting: {t})"))
                .unwrap_or_default()
        );
    }
    println!(
        "`docket review agenda` lists them; `docket review finish` writes the minutes and tags the review"
    );
    Ok(ExitCode::SUCCESS)
}

/// `docket review agenda [--json]`: the meeting's agenda (or, with none in
/// progress, what one starting now would review).
pub fn agenda(cwd: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    let ws = store.load()?;
    let m = store.meeting()?;
    let ids = m.as_ref().map_or_else(
        || meeting::agenda(&ws, &store.meeting_start().unwrap_or_default().carried),
        |m| m.agenda.clone(),
    );
    let skipped = |id: &str| {
        m.as_ref()
            .is_some_and(|m| m.skipped.iter().any(|s| s == id))
    };
    if json {
        let rows: Vec<serde_json::Value> = ids
            .iter()
            .filter_map(|id| ws.case(id))
            .map(|c| {
                serde_json::json!({
                    "id": c.id,
                    "severity": c.severity.map(crate::model::case::Severity::as_str),
                    "status": c.status.as_str(),
                    "occurred_at": c.occurred_at.to_string(),
                    "split": c.review.split,
                    "skipped": skipped(c.id),
                    "summary": c.summary,
                })
            })
            .collect();
        output::print_json(&serde_json::Value::Array(rows))?;
        return Ok(ExitCode::SUCCESS);
    }
    // Written as it is read: a 100k-case agenda is a stream, not a value.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if let Some(m) = &m {
        let now = crate::model::time::unix_from_datetime(&crate::store::now()).unwrap_or(0);
        writeln!(
            out,
            "review meeting of {} · {}",
            safe(&m.day),
            m.progress(now)
        )?;
    }
    // Numbered by agenda position, as the meeting counts (a case gone
    // since keeps its number).
    for (i, id) in ids.iter().enumerate() {
        let Some(c) = ws.case(id) else { continue };
        let here = m.as_ref().is_some_and(|m| m.position == i);
        writeln!(
            out,
            "{} {:>4}  {:<5} {:<9} {}{}  {}",
            if here { ">" } else { " " },
            i + 1,
            c.severity.map_or("-", crate::model::case::Severity::as_str),
            c.status.as_str(),
            safe(c.id),
            if c.review.split {
                " (split verdicts)"
            } else if skipped(c.id) {
                " (skipped)"
            } else {
                ""
            },
            safe(c.summary),
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `docket review skip CASE`: to the next meeting.
pub fn skip(cwd: &Path, case: &str) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    let Some(m) = store.meeting()? else {
        return Err(crate::store::StoreError::NoMeeting.into());
    };
    let Some(i) = m.agenda.iter().position(|c| c == case) else {
        bail!(
            "{} is not on the agenda of the meeting of {}",
            safe(case),
            m.day
        );
    };
    let next = if m.position == i { i + 1 } else { m.position };
    store.meeting_step(
        &m,
        &Step::Skip {
            case: case.to_owned(),
            next,
        },
    )?;
    println!("{} skipped to the next meeting", safe(case));
    Ok(ExitCode::SUCCESS)
}

/// `docket review finish`: the minutes as a memo, committed with every
/// pending change, then the `review/<day>` tag on that commit.
pub fn finish(cwd: &Path) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    notices(&store, false)?;
    let done = store.finish_meeting()?;
    println!(
        "[{}] {}",
        crate::store::short(&done.commit),
        safe(&done.summary)
    );
    println!("minutes: {}", safe(&done.minutes));
    println!("tagged {}", safe(&done.tag));
    if let Some(w) = &done.warning {
        eprintln!("docket: warning: {}", safe(w));
    }
    Ok(ExitCode::SUCCESS)
}

/// `docket review stats [--json]`: agreement per reviewer pair over every
/// case that carries verdicts.
pub fn stats(cwd: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    let ws = store.load()?;
    let cases: Vec<_> = ws
        .cases
        .iter()
        .filter(|c| c.review.verdicts > 0)
        .filter_map(|c| store.case_at(&c.path()).ok())
        .collect();
    let pairs = meeting::agreement(&cases);
    if json {
        output::print_json(&serde_json::to_value(&pairs)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    if pairs.is_empty() {
        println!("no case has verdicts from two reviewers yet");
    }
    for p in &pairs {
        println!(
            "{} · {}: {} case(s), {} agreed ({:.0}%), kappa {}",
            safe(&p.a),
            safe(&p.b),
            p.cases,
            p.agreed,
            p.percent,
            p.kappa
                .map_or_else(|| "n/a".to_owned(), |k| format!("{k:.2}"))
        );
    }
    let open = ws
        .cases
        .iter()
        .filter(|c| c.review.split && matches!(c.status, Status::New | Status::Triaged))
        .count();
    if open > 0 {
        println!("{open} split case(s) wait for the next meeting");
    }
    Ok(ExitCode::SUCCESS)
}
