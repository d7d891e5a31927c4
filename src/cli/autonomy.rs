//! `docket autonomy`: the autonomy ledger — for each runbook its tier, the
//! next tier, the pass rate of its gating sets over its window, red-team
//! recency, and whether it has earned the next tier (with reasons if not).

use super::output;
use crate::ops::governance;
use crate::store::Store;
use std::path::Path;
use std::process::ExitCode;

pub fn run(cwd: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    let ws = store.load()?;
    output::warn_skipped(&ws);
    let ledger = governance::autonomy(&ws, &crate::store::now());
    if json {
        output::print_json(&serde_json::to_value(&ledger)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let pct = |r: Option<f64>| r.map_or("-".to_owned(), |r| format!("{:.2}%", r * 100.0));
    let rows: Vec<Vec<String>> = ledger
        .iter()
        .map(|l| {
            vec![
                l.id.clone(),
                l.tier.clone(),
                l.next.clone().unwrap_or_else(|| "-".into()),
                format!("{} ({}d, {} runs)", pct(l.pass_rate), l.window_days, l.runs),
                pct(l.min_pass_rate),
                l.last_red_team.clone().unwrap_or_else(|| "-".into()),
                if l.eligible {
                    "yes".into()
                } else {
                    "no".into()
                },
                l.reasons.join("; "),
            ]
        })
        .collect();
    output::print_table(
        &[
            "ID",
            "TIER",
            "NEXT",
            "PASS RATE",
            "GATE",
            "RED TEAM",
            "ELIGIBLE",
            "WHY NOT",
        ],
        &rows,
    )?;
    Ok(ExitCode::SUCCESS)
}
