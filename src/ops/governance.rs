//! Governance rules over a loaded workspace, as of a given day: runbook
//! launch readiness (the five controls), incident coverage, staleness, and
//! the autonomy ledger. Pure: `today` comes from the caller.

use crate::model::case::Status;
use crate::model::memo::MemoStatus;
use crate::model::{Rule, Runbook, Workspace, time};
use serde::Serialize;
use toml::value::Datetime;

/// A kill switch must have been drilled this recently.
pub const DRILL_DAYS: i64 = 90;
/// The window when a runbook names none.
pub const DEFAULT_WINDOW_DAYS: u32 = 30;

fn days_between(from: &Datetime, to: &Datetime) -> Option<i64> {
    Some((time::unix_from_datetime(to)? - time::unix_from_datetime(from)?).div_euclid(86_400))
}

/// One of the five controls AI-native teams require before launch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Control {
    pub name: &'static str,
    pub ok: bool,
    pub reason: String,
}

/// The five controls of a runbook: data access, evaluation, human
/// approvals, observability, rollback & kill switch.
#[must_use]
pub fn readiness(ws: &Workspace, rb: &Runbook, today: &Datetime) -> Vec<Control> {
    let memo = rb.memo.as_deref().and_then(|m| ws.memo(m));
    let data = match (&rb.owner, rb.memo.as_deref(), memo) {
        (None, ..) => Err("no owner".to_owned()),
        (_, None, _) => Err("no approving memo (memo = \"NNNN\")".to_owned()),
        (_, Some(id), None) => Err(format!("memo {id} does not exist")),
        (_, _, Some(m)) if m.status != MemoStatus::Accepted => {
            Err(format!("memo {} is {}, not accepted", m.id, m.status))
        }
        (Some(o), _, Some(m)) => Ok(format!(
            "owner {o}; memo {} accepted{}",
            m.id,
            if m.data_sources.is_empty() {
                String::new()
            } else {
                format!(", data: {}", m.data_sources.join(", "))
            }
        )),
    };
    let existing: Vec<&str> = rb
        .eval_sets
        .iter()
        .filter(|s| ws.set(s).is_some())
        .map(String::as_str)
        .collect();
    let missing: Vec<&str> = rb
        .eval_sets
        .iter()
        .filter(|s| ws.set(s).is_none())
        .map(String::as_str)
        .collect();
    let eval = if !missing.is_empty() {
        Err(format!("eval set {} does not exist", missing.join(", ")))
    } else if existing.is_empty() {
        Err("no gating eval set (eval_sets = [...])".to_owned())
    } else {
        Ok(format!("gated by {}", existing.join(", ")))
    };
    let unapproved: Vec<&str> = rb
        .actions
        .iter()
        .filter(|a| a.external && !matches!(a.approval.as_str(), "human" | "two-person"))
        .map(|a| a.name.as_str())
        .collect();
    let approvals = if unapproved.is_empty() {
        Ok(format!(
            "{} external action(s), each approved by a person",
            rb.actions.iter().filter(|a| a.external).count()
        ))
    } else {
        Err(format!(
            "external action(s) without human approval: {}",
            unapproved.join(", ")
        ))
    };
    let observe = if rb.audit.fields.is_empty() {
        Err("no audit fields ([audit] fields = [...])".to_owned())
    } else {
        Ok(format!("audits {}", rb.audit.fields.join(", ")))
    };
    let kill = match (&rb.kill_switch.how, &rb.kill_switch.last_drill) {
        (None, _) => Err("no kill switch ([kill_switch] how = ...)".to_owned()),
        (_, None) => Err("kill switch never drilled (last_drill)".to_owned()),
        (Some(_), Some(d)) => match days_between(d, today) {
            Some(n) if n > DRILL_DAYS => Err(format!(
                "kill switch last drilled {n} days ago (more than {DRILL_DAYS})"
            )),
            Some(n) => Ok(format!("drilled {n} days ago")),
            None => Err("kill switch drill date unreadable".to_owned()),
        },
    };
    [
        ("data access", data),
        ("evaluation", eval),
        ("human approvals", approvals),
        ("observability", observe),
        ("rollback & kill switch", kill),
    ]
    .into_iter()
    .map(|(name, r)| match r {
        Ok(reason) => Control {
            name,
            ok: true,
            reason,
        },
        Err(reason) => Control {
            name,
            ok: false,
            reason,
        },
    })
    .collect()
}

/// An incident whose failures have produced no promoted eval case after a
/// review cadence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Uncovered {
    pub incident: String,
    pub days: i64,
    pub cases: Vec<String>,
    /// The path of its oldest failure, where the problem is reported.
    pub path: String,
}

#[must_use]
pub fn uncovered_incidents(ws: &Workspace, today: &Datetime) -> Vec<Uncovered> {
    let cadence = i64::from(ws.config.review.cadence_days);
    let mut by: std::collections::BTreeMap<&str, Vec<crate::model::CaseRef<'_>>> =
        std::collections::BTreeMap::new();
    for c in &ws.cases {
        if let Some(i) = c.incident {
            by.entry(i).or_default().push(c);
        }
    }
    let covered_by_sets = |inc: &str| {
        ws.sets
            .iter()
            .flat_map(|s| &s.cases)
            .any(|c| c.provenance.as_ref().and_then(|p| p.incident.as_deref()) == Some(inc))
    };
    let mut out = Vec::new();
    for (inc, cases) in by {
        if cases.iter().any(|c| c.status == Status::Promoted) || covered_by_sets(inc) {
            continue;
        }
        let Some(oldest) = cases
            .iter()
            .min_by_key(|c| time::unix_from_datetime(&c.occurred_at))
        else {
            continue;
        };
        let days = days_between(&oldest.occurred_at, today).unwrap_or(0);
        if days > cadence && cases.iter().any(|c| c.status != Status::Dismissed) {
            out.push(Uncovered {
                incident: inc.to_owned(),
                days,
                cases: cases.iter().map(|c| c.id.to_owned()).collect(),
                path: oldest.path(),
            });
        }
    }
    out
}

/// One line of the autonomy ledger: may this runbook move to its next tier?
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ledger {
    pub id: String,
    pub tier: String,
    pub next: Option<String>,
    pub window_days: u32,
    pub pass_rate: Option<f64>,
    pub min_pass_rate: Option<f64>,
    pub runs: usize,
    pub last_red_team: Option<String>,
    pub eligible: bool,
    pub reasons: Vec<String>,
}

/// The autonomy ledger (permissions budgeting) for every runbook.
#[must_use]
pub fn autonomy(ws: &Workspace, today: &Datetime) -> Vec<Ledger> {
    ws.runbooks.iter().map(|rb| ledger(ws, rb, today)).collect()
}

fn ledger(ws: &Workspace, rb: &Runbook, today: &Datetime) -> Ledger {
    let promo = rb.promotion.as_ref();
    let window = promo
        .and_then(|p| p.window_days)
        .unwrap_or(DEFAULT_WINDOW_DAYS);
    let mut reasons = Vec::new();
    let next = promo.and_then(|p| p.next.clone());
    if rb.status != "active" {
        reasons.push(format!("runbook is {}, not active", rb.status));
    }
    if next.is_none() {
        reasons.push("no next tier ([promotion] next)".to_owned());
    }
    let (mut passed, mut total, mut runs) = (0u64, 0u64, 0usize);
    for s in &rb.eval_sets {
        let in_window: Vec<_> = ws
            .runs_of(s)
            .filter(|r| {
                days_between(&r.at, today).is_some_and(|d| (0..=i64::from(window)).contains(&d))
            })
            .collect();
        if in_window.is_empty() {
            reasons.push(format!("set {s} has no run in the last {window} days"));
        }
        for r in in_window {
            passed += r.passed;
            total += r.passed + r.failed;
            runs += 1;
        }
    }
    if rb.eval_sets.is_empty() {
        reasons.push("no gating eval set".to_owned());
    }
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let pass_rate = (total > 0).then(|| passed as f64 / total as f64);
    let gate = promo.and_then(|p| p.min_pass_rate).or_else(|| {
        rb.eval_sets
            .iter()
            .filter_map(|s| ws.set(s))
            .map(|s| s.min_pass_rate)
            .reduce(f64::max)
    });
    match (pass_rate, gate) {
        (Some(r), Some(g)) if r < g => reasons.push(format!(
            "pass rate {:.2}% over {window} days is below the gate {:.2}%",
            r * 100.0,
            g * 100.0
        )),
        (None, _) if !rb.eval_sets.is_empty() => {
            reasons.push(format!("no eval results in the last {window} days"));
        }
        _ => {}
    }
    let last_red_team = promo.and_then(|p| p.last_red_team);
    if promo.is_some_and(|p| p.requires_red_team) {
        match last_red_team.as_ref().and_then(|d| days_between(d, today)) {
            None => reasons.push("requires a red-team exercise; none recorded".to_owned()),
            Some(d) if d > i64::from(window) => reasons.push(format!(
                "last red team was {d} days ago, outside the {window}-day window"
            )),
            Some(_) => {}
        }
    }
    let failing: Vec<&str> = readiness(ws, rb, today)
        .into_iter()
        .filter(|c| !c.ok)
        .map(|c| c.name)
        .collect();
    if rb.status == "active" && !failing.is_empty() {
        reasons.push(format!("not launch-ready: {}", failing.join(", ")));
    }
    Ledger {
        id: rb.id.clone(),
        tier: rb.autonomy.clone(),
        next,
        window_days: window,
        pass_rate,
        min_pass_rate: gate,
        runs,
        last_red_team: last_red_team.map(|d| d.to_string()),
        eligible: reasons.is_empty(),
        reasons,
    }
}

/// One thing past its date, with the rule that reports it and the key of
/// the file the report points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub rule: Rule,
    pub path: String,
    pub key: &'static str,
    pub message: String,
}

/// Things past their date: memos due for review, red-team exercises older
/// than the promotion window, sets with no run inside their window. (Stale
/// kill-switch drills are a readiness failure of active runbooks.)
#[must_use]
pub fn stale(ws: &Workspace, today: &Datetime) -> Vec<Stale> {
    let mut out = Vec::new();
    for m in &ws.memos {
        if let Some(r) = &m.review_by
            && matches!(m.status, MemoStatus::Accepted | MemoStatus::Proposed)
            && days_between(r, today).is_some_and(|d| d > 0)
        {
            out.push(Stale {
                rule: Rule::MemoReviewDue,
                path: m.path.clone(),
                key: "review_by",
                message: format!("memo {} was due for review on {r}", m.id),
            });
        }
    }
    for rb in &ws.runbooks {
        if rb.status == "retired" {
            continue;
        }
        if let Some(d) = &rb.kill_switch.last_drill
            && rb.status != "active"
            && days_between(d, today).is_some_and(|n| n > DRILL_DAYS)
        {
            out.push(Stale {
                rule: Rule::DrillOverdue,
                path: rb.path.clone(),
                key: "kill_switch",
                message: format!(
                    "kill switch last drilled on {d}, more than {DRILL_DAYS} days ago"
                ),
            });
        }
        let Some(p) = &rb.promotion else { continue };
        let window = i64::from(p.window_days.unwrap_or(DEFAULT_WINDOW_DAYS));
        if p.requires_red_team
            && let Some(d) = &p.last_red_team
            && days_between(d, today).is_some_and(|n| n > window)
        {
            out.push(Stale {
                rule: Rule::RedTeamOverdue,
                path: rb.path.clone(),
                key: "promotion",
                message: format!(
                    "last red-team exercise {d} is older than the {window}-day promotion window"
                ),
            });
        }
    }
    for s in &ws.sets {
        let window = ws
            .runbook(&s.runbook)
            .and_then(|r| r.promotion.as_ref())
            .and_then(|p| p.window_days)
            .unwrap_or(DEFAULT_WINDOW_DAYS);
        let recent = ws
            .runs_of(&s.id)
            .any(|r| days_between(&r.at, today).is_some_and(|d| d <= i64::from(window)));
        if !recent {
            out.push(Stale {
                rule: Rule::SetNotRun,
                path: s.path.clone(),
                key: "id",
                message: format!("set {} has no run in the last {window} days", s.id),
            });
        }
    }
    out
}
