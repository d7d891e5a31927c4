#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The governance features end to end (docs/format.md, "Checks: rules and levels"; README.md): `docket check`'s
//! readiness, coverage, staleness, reference and frozen-memo rules, the memo
//! lifecycle from the command line, and the autonomy ledger. Each rule is made
//! to fire by a small edit of a real example file, after the example passed.

mod common;

use common::{DAY, EMAIL, GIT_DATE, Sandbox, Workspace, trailers};
use serde_json::Value;
use std::fmt::Write as _;

/// One problem reported by `docket check --json`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
struct Diag {
    path: String,
    line: u64,
    level: String,
    rule: String,
    message: String,
}

/// Runs `docket check` and `docket check --json`, expects `code` from both,
/// checks that the text output prints the JSON problems as
/// `path:line: level[rule]: message` lines with a summary, and returns them.
#[track_caller]
fn check(ws: &Workspace, code: i32) -> Vec<Diag> {
    let text = ws.docket(&["check"]).code(code);
    let json = ws.docket(&["check", "--json"]).code(code).json();
    let diags: Vec<Diag> = serde_json::from_value(json).unwrap();
    let lines: Vec<String> = diags
        .iter()
        .map(|d| match d.level.as_str() {
            "warning" | "error" => {
                format!(
                    "{}:{}: {}[{}]: {}",
                    d.path, d.line, d.level, d.rule, d.message
                )
            }
            other => panic!("unknown level {other:?}"),
        })
        .collect();
    assert_eq!(text.stdout.lines().collect::<Vec<_>>(), lines);
    for d in &diags {
        let rule = docket::model::Rule::by_name(&d.rule);
        assert!(rule.is_some(), "a rule of the registry: {d:?}");
    }
    let errors = errors(&diags);
    let summary = format!("{errors} error(s), {} warning(s)", diags.len() - errors);
    assert!(text.stderr.contains(&summary), "{}", text.stderr);
    diags
}

/// `check` passes (exit 0, warnings allowed) and says nothing about `not`.
#[track_caller]
fn passes_without(ws: &Workspace, not: &str) -> Vec<Diag> {
    let diags = check(ws, 0);
    let bad: Vec<&Diag> = diags.iter().filter(|d| d.message.contains(not)).collect();
    assert!(bad.is_empty(), "nothing about {not:?} expected: {bad:#?}");
    diags
}

fn errors(diags: &[Diag]) -> usize {
    diags.iter().filter(|d| d.level == "error").count()
}

/// Each `ARGS => TEXT` is refused (exit 2, one line holding TEXT) and changes
/// nothing. Returns the messages.
#[track_caller]
fn refused(ws: &Workspace, specs: &[&str]) -> Vec<String> {
    let one = |spec: &&str| {
        let (args, needle) = spec.split_once(" => ").unwrap();
        let before = ws.snapshot();
        let msg = dk(ws, args).refused(&[needle]);
        ws.assert_unchanged(&before, args);
        msg
    };
    specs.iter().map(one).collect()
}

/// Runs docket with the words of `args`.
fn dk(ws: &Workspace, args: &str) -> common::Run {
    ws.docket(&args.split(' ').collect::<Vec<_>>())
}

#[track_caller]
fn passes(ws: &Workspace) -> Vec<Diag> {
    check(ws, 0)
}

fn find<'a>(diags: &'a [Diag], level: &str, at: (&str, u64), needles: &[&str]) -> Option<&'a Diag> {
    diags.iter().find(|d| {
        (d.level.as_str(), d.path.as_str(), d.line) == (level, at.0, at.1)
            && needles.iter().all(|n| d.message.contains(n))
    })
}

/// `check` exits 1 (or 0 for a warning) with a problem of `level` at
/// `rel:line` whose message holds every one of `needles`.
#[track_caller]
fn reports(ws: &Workspace, level: &str, rel: &str, line: u64, needles: &[&str]) -> Vec<Diag> {
    let diags = check(ws, i32::from(level == "error"));
    let hit = find(&diags, level, (rel, line), needles);
    let want = format!("{level} at {rel}:{line} with {needles:?}");
    assert!(hit.is_some(), "no {want} in:\n{diags:#?}");
    diags
}

/// The rule of the problem [`find`] finds, which must exist.
#[track_caller]
fn rule_at(diags: &[Diag], level: &str, at: (&str, u64), needles: &[&str]) -> String {
    let hit = find(diags, level, at, needles);
    hit.unwrap_or_else(|| panic!("{level} at {at:?}: {diags:#?}"))
        .rule
        .clone()
}

#[track_caller]
fn fires(ws: &Workspace, rel: &str, line: u64, needles: &[&str]) -> Vec<Diag> {
    reports(ws, "error", rel, line, needles)
}

#[track_caller]
fn warns(ws: &Workspace, rel: &str, line: u64, needles: &[&str]) -> Vec<Diag> {
    reports(ws, "warning", rel, line, needles)
}

/// The 1-based number and text of each line of `rel` starting with `prefix`.
fn lines_with(ws: &Workspace, rel: &str, prefix: &str) -> Vec<(u64, String)> {
    let text = ws.read(rel);
    let numbered = (1u64..).zip(text.lines());
    let hits = numbered.filter(|(_, l)| l.starts_with(prefix));
    hits.map(|(n, l)| (n, l.to_owned())).collect()
}

/// The number of the first line of `rel` starting with `prefix`.
#[track_caller]
fn line_no(ws: &Workspace, rel: &str, prefix: &str) -> u64 {
    let first = lines_with(ws, rel, prefix).first().map(|h| h.0);
    first.unwrap_or_else(|| panic!("{rel}: no line starts with {prefix:?}"))
}

/// Replaces the one line of `rel` that starts with `prefix` by `new` (which
/// may be empty, or hold two lines), and returns its 1-based number.
#[track_caller]
fn edit(ws: &Workspace, rel: &str, prefix: &str, new: &str) -> u64 {
    let hits = lines_with(ws, rel, prefix);
    assert_eq!(hits.len(), 1, "{rel}: lines starting with {prefix:?}");
    let text = ws.read(rel);
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let new = format!("{new}\n");
    lines[usize::try_from(hits[0].0).unwrap() - 1] = &new;
    ws.write(rel, lines.concat());
    hits[0].0
}

/// Adds `new` as a line just before the line starting with `prefix`; returns
/// the number of the new line.
#[track_caller]
fn insert_before(ws: &Workspace, rel: &str, prefix: &str, new: &str) -> u64 {
    let old = lines_with(ws, rel, prefix).remove(0).1;
    edit(ws, rel, prefix, &format!("{new}\n{old}"))
}

/// The path of memo `id` (`memos/<id>-<slug>.md`).
fn memo_path(ws: &Workspace, id: &str) -> String {
    let memos = ws.list("memos");
    let m = memos
        .iter()
        .find(|m| m["id"] == id)
        .expect("the memo exists");
    m["path"].as_str().unwrap().to_owned()
}

/// The 1-based line where a memo's body starts (after the closing `+++`).
fn body_line(ws: &Workspace, rel: &str) -> u64 {
    let text = ws.read(rel);
    let closing = text.lines().skip(1).position(|l| l == "+++");
    u64::try_from(closing.unwrap()).unwrap() + 3
}

/// The front matter of a memo.
fn front(ws: &Workspace, rel: &str) -> toml::Table {
    ws.read(rel).split("+++\n").nth(1).unwrap().parse().unwrap()
}

fn memo_status(ws: &Workspace, rel: &str) -> String {
    front(ws, rel)["status"].as_str().unwrap().to_owned()
}

/// `docket memo new TITLE`, expecting memo `id`; returns its path.
fn memo_new(ws: &Workspace, title: &str, id: &str) -> String {
    let r = ws.docket(&["memo", "new", title]).ok();
    let mut lines = r.stdout.lines();
    assert_eq!(lines.next(), Some(format!("memo new {id}").as_str()));
    let path = lines.next().unwrap().trim().to_owned();
    let named = path.starts_with(&format!("memos/{id}-")) && path.ends_with(".md");
    assert!(named, "{path}");
    path
}

/// The memo text with every template prompt (`<!-- ... -->`) replaced by a
/// sentence, except in the sections named in `except`.
fn fill(text: &str, except: &[&str]) -> String {
    let mut section = String::new();
    let mut out = String::new();
    for l in text.split_inclusive('\n') {
        if let Some(h) = l.strip_prefix("## ") {
            h.trim().clone_into(&mut section);
        }
        if l.starts_with("<!--") && !except.contains(&section.as_str()) {
            writeln!(out, "Written for the test: {section}.").unwrap();
        } else {
            out.push_str(l);
        }
    }
    out
}

/// The run files of a set, workspace-relative.
fn run_files(ws: &Workspace, set: &str) -> Vec<String> {
    let dir = ws.root.join("evals/runs").join(set);
    let names = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name());
    let name = |n: std::ffi::OsString| format!("evals/runs/{set}/{}", n.to_string_lossy());
    names.map(name).collect()
}

fn ledger(ws: &Workspace) -> Vec<Value> {
    let json = ws.docket(&["autonomy", "--json"]).ok().json();
    json.as_array().unwrap().clone()
}

fn verdict(ledger: &[Value], id: &str) -> Value {
    let v = ledger.iter().find(|l| l["id"] == id).cloned();
    v.unwrap_or_else(|| panic!("no ledger line for {id}"))
}

fn short_head(ws: &Workspace) -> String {
    ws.git_out(&["rev-parse", "--short=10", "HEAD"])
}

/// The example's first commit: its memos are accepted there, and the rest
/// of its history (one commit per eval-set version) leaves them alone.
fn example_root(ws: &Workspace) -> String {
    let root = ws.git_out(&["rev-list", "--max-parents=0", "HEAD"]);
    ws.git_out(&["rev-parse", "--short=10", &root])
}

const TRIAGE: &str = "runbooks/support-triage.md";
const SECTIONS: [&str; 6] = [
    "Context",
    "Assumptions",
    "Constraints",
    "Decision",
    "Metrics for success",
    "Evaluation plan",
];

#[test]
fn the_example_passes_with_the_expected_warnings() {
    let ws = Workspace::example();
    let diags = passes(&ws);
    assert_eq!(errors(&diags), 0);
    let case = "evals/failures/2026-10/ci-0084.toml";
    let at = (case, line_no(&ws, case, "incident ="));
    let needles = ["incident INC-2017", "33 days", "cadence 14 days"];
    let inc = find(&diags, "warning", at, &needles).expect("INC-2017 is reported");
    assert_eq!(inc.rule, "incident_coverage");
    let what = "promote one of ci-0084, ci-0085, ci-0086";
    assert!(inc.message.ends_with(what), "{inc:?}");
    for rb in ["runbooks/ci-triage.md", "runbooks/outbound-research.md"] {
        let at = (rb, line_no(&ws, rb, "[promotion]"));
        let needles = ["last red-team exercise", "30-day promotion window"];
        let rule = rule_at(&diags, "warning", at, &needles);
        assert_eq!(rule, "red_team_overdue", "{rb}");
    }
    assert_eq!(diags.len(), 3, "only the expected warnings: {diags:#?}");
    // A draft runbook (copilot-refactor: no eval set, a proposed memo) is not
    // held to launch readiness.
    assert!(!diags.iter().any(|d| d.path.contains("copilot-refactor")));
}

#[test]
fn each_readiness_control_fires_on_an_active_runbook() {
    let ws = Workspace::example();
    let original = ws.read(TRIAGE);
    // line prefix | replacement | line of the error (`-`: 1) | what it must say
    let cases = [
        "owner = |  | - | (data access): no owner",
        "memo = | memo = \"0010\" | memo = | memo 0010 is proposed, not accepted",
        "memo = | memo = \"0009\" | memo = | memo 0009 is rejected, not accepted",
        "memo = |  | - | (data access): no approving memo (memo = \"NNNN\")",
        "eval_sets = | eval_sets = [] | eval_sets = | (evaluation): no gating eval set (eval_sets",
        "eval_sets = | eval_sets = [\"nope\"] | eval_sets = | (evaluation): eval set nope does",
        "approval = \"human\" | approval = \"none\" | [[actions]] | approval: send_reply",
        "fields = | fields = [] | [audit] | (observability): no audit fields ([audit] fields",
        "how = |  | [kill_switch] | switch): no kill switch ([kill_switch] how = ...)",
        "last_drill = |  | [kill_switch] | switch): kill switch never drilled (last_drill)",
        "last_drill = | last_drill = 2026-08-24 | [kill_switch] | 91 days ago (more than 90)",
    ];
    for case in cases {
        let f: Vec<&str> = case.split(" | ").collect();
        passes(&ws);
        let line = (f[2] != "-").then(|| line_no(&ws, TRIAGE, f[2]));
        edit(&ws, TRIAGE, f[0], f[1]);
        let what = "active runbook support-triage is not launch-ready (";
        let at = (TRIAGE, line.unwrap_or(1));
        let diags = fires(&ws, at.0, at.1, &[what, f[3]]);
        assert_eq!(
            rule_at(&diags, "error", at, &[what, f[3]]),
            "launch_readiness"
        );
        ws.write(TRIAGE, &original);
    }
    // Exactly 90 days is still inside the drill window.
    edit(&ws, TRIAGE, "last_drill =", "last_drill = 2026-08-25");
    passes(&ws);
}

#[test]
fn a_proposed_memo_needs_its_six_sections() {
    let ws = Workspace::example();
    passes(&ws);
    // A draft may be incomplete; proposing it by hand makes each of its four
    // empty sections an error at its heading.
    let draft = memo_path(&ws, "0011");
    edit(&ws, &draft, "status =", "status = \"proposed\"");
    let diags = check(&ws, 1);
    assert_eq!(errors(&diags), 4, "{diags:#?}");
    for s in &SECTIONS[2..] {
        let at = (draft.as_str(), line_no(&ws, &draft, &format!("## {s}")));
        let what = format!("memo 0011 is proposed but its \"{s}\" section is empty");
        assert_eq!(rule_at(&diags, "error", at, &[&what]), "memo_sections");
    }
    ws.git(&["checkout", "--", &draft]).ok();
    // A missing section (a renamed heading) in a proposed memo.
    let proposed = memo_path(&ws, "0010");
    edit(&ws, &proposed, "## Decision", "## Outcome");
    let id = line_no(&ws, &proposed, "id =");
    let what = "memo 0010 is proposed but has no \"## Decision\" section";
    fires(&ws, &proposed, id, &[what]);
}

#[test]
fn incident_coverage() {
    let ws = Workspace::example();
    let failures = ws.list("failures");
    let of = |id: &str| failures.iter().find(|f| f["id"] == id).unwrap().clone();
    let open = |c: &common::Case| matches!(c.status.as_str(), "new" | "triaged");
    let cases = ws.cases();
    let inc = |c: &&common::Case| of(&c.id)["incident"] == "INC-2017" && c.has_expected;
    let case = cases.iter().find(inc).expect("an INC-2017 case to promote");
    assert!(open(case), "{case:?}");
    passes(&ws);
    // A set case that names the incident in its provenance covers it.
    let set_case = "evals/sets/ci-root-cause/cases/ci-0088.toml";
    let original = ws.read(set_case);
    insert_before(&ws, set_case, "failure =", "incident = \"INC-2017\"");
    passes_without(&ws, "INC-2017");
    ws.write(set_case, original);
    // So does promoting one of its failures.
    passes(&ws);
    ws.docket(&["promote", &case.id, "ci-root-cause"]).ok();
    passes_without(&ws, "INC-2017");

    // An open case without an incident, more than a cadence old, gets one.
    let since = |c: &common::Case, before: bool| {
        let f = of(&c.id);
        let at = f["occurred_at"].as_str().unwrap();
        open(c) && f["incident"].is_null() && (at < "2026-11-01") == before
    };
    let old = cases
        .iter()
        .find(|c| since(c, true))
        .expect("an old open case");
    let line = insert_before(&ws, &old.path, "status =", "incident = \"INC-9001\"");
    let what = "incident INC-9001 has no promoted eval case";
    warns(&ws, &old.path, line, &[what, "promote one of", &old.id]);
    // Dismissing its only failure settles it.
    dk(&ws, &format!("dismiss {} --reason duplicate", old.id)).ok();
    passes_without(&ws, "INC-9001");

    // A recent failure (inside the cadence) is not yet overdue.
    let at = |c: &&common::Case| of(&c.id)["occurred_at"].as_str().unwrap().to_owned();
    let recent = cases
        .iter()
        .filter(|c| since(c, false))
        .max_by_key(at)
        .unwrap();
    assert!(at(&recent).as_str() > "2026-11-10", "{recent:?}");
    insert_before(&ws, &recent.path, "status =", "incident = \"INC-9002\"");
    passes_without(&ws, "INC-9002");
}

#[test]
fn stale_reviews_runs_and_drills_are_warnings() {
    let ws = Workspace::example();
    passes(&ws);
    for (id, status) in [("0004", "accepted"), ("0010", "proposed")] {
        let memo = memo_path(&ws, id);
        assert_eq!(memo_status(&ws, &memo), status);
        let line = edit(&ws, &memo, "review_by =", "review_by = 2026-11-01");
        let what = format!("memo {id} was due for review on 2026-11-01");
        let diags = warns(&ws, &memo, line, &[&what]);
        let rule = rule_at(&diags, "warning", (&memo, line), &[&what]);
        assert_eq!(rule, "memo_review_due");
        // Due today is not yet late.
        edit(&ws, &memo, "review_by =", &format!("review_by = {DAY}"));
        passes_without(&ws, &what);
    }

    // A set whose runs are all older than its runbook's window.
    for rel in run_files(&ws, "billing-refunds") {
        edit(&ws, &rel, "at =", "at = 2026-10-01T03:00:00Z");
    }
    let set = "evals/sets/billing-refunds/set.toml";
    let what = "set billing-refunds has no run in the last 30 days";
    let at = (set, line_no(&ws, set, "id ="));
    let diags = warns(&ws, at.0, at.1, &[what]);
    assert_eq!(rule_at(&diags, "warning", at, &[what]), "set_not_run");
    let why = verdict(&ledger(&ws), "support-triage")["reasons"].to_string();
    assert!(why.contains(what), "{why}");

    // A paused runbook's old drill is a warning, not a readiness error.
    let paused = "runbooks/outbound-research.md";
    edit(&ws, paused, "last_drill =", "last_drill = 2026-08-01");
    let kill = line_no(&ws, paused, "[kill_switch]");
    let what = "kill switch last drilled on 2026-08-01, more than 90 days ago";
    let diags = warns(&ws, paused, kill, &[what]);
    assert_eq!(
        rule_at(&diags, "warning", (paused, kill), &[what]),
        "drill_overdue"
    );
}

#[test]
fn dangling_references_are_errors() {
    let ws = Workspace::example();
    let case = ws.cases().into_iter().find(|c| c.status == "new");
    let case = case.unwrap().path;
    let run = run_files(&ws, "billing-refunds").remove(0);
    // file | line prefix | replacement | what the error says
    let cases = [
        "runbook:support-triage | memo = | memo = \"9999\" | memo \"9999\" does not exist",
        "memo:0007 | supersedes = | supersedes = [\"9998\"] | memo \"9998\" does not exist",
        "memo:0003 | superseded_by = | superseded_by = \"9997\" | memo \"9997\" does not exist",
        "memo:0010 | agents = | agents = [\"nope\"] | agent \"nope\" is not a runbook",
        "case | agent = | agent = \"nope\" | agent \"nope\" is not a runbook in runbooks/",
        "set:ci-root-cause | runbook = | runbook = \"nope\" | runbook \"nope\" does not exist",
        "run | set = | set = \"nope\" | set \"nope\" does not exist",
        // Whatever the runbook's status.
        "runbook:outbound-research | eval_sets = | eval_sets = [\"x\"] | set \"x\" does not",
    ];
    for spec in cases {
        let f: Vec<&str> = spec.split(" | ").collect();
        let rel = match f[0].split_once(':') {
            Some(("memo", id)) => memo_path(&ws, id),
            Some(("runbook", id)) => format!("runbooks/{id}.md"),
            Some(("set", id)) => format!("evals/sets/{id}/set.toml"),
            _ if f[0] == "case" => case.clone(),
            _ => run.clone(),
        };
        passes(&ws);
        let original = ws.read(&rel);
        let line = edit(&ws, &rel, f[1], f[2]);
        let diags = fires(&ws, &rel, line, &[f[3]]);
        assert_eq!(
            rule_at(&diags, "error", (&rel, line), &[f[3]]),
            "broken_reference"
        );
        ws.write(&rel, original);
    }
    passes(&ws);
}

#[test]
fn memo_new_writes_the_template() {
    let ws = Workspace::example();
    let path = memo_new(&ws, "Let the triage agent refund up to $300", "0013");
    assert_eq!(path, "memos/0013-let-the-triage-agent-refund-up-to-300.md");
    let fm = front(&ws, &path);
    assert_eq!(fm["id"].as_str(), Some("0013"));
    assert_eq!(fm["status"].as_str(), Some("draft"));
    assert_eq!(fm["date"].to_string(), DAY);
    assert_eq!(fm["owner"].as_str(), Some(EMAIL));
    let text = ws.read(&path);
    let body = text.split("+++\n").nth(2).unwrap();
    let body: Vec<&str> = body.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(body.len(), 12, "{body:?}");
    for (pair, s) in body.chunks(2).zip(SECTIONS) {
        assert_eq!(pair[0], format!("## {s}"));
        let prompt = pair[1].starts_with("<!--") && pair[1].ends_with("-->");
        assert!(prompt, "{pair:?}");
    }
    passes(&ws); // a draft may be incomplete
    // Proposed by hand, its six prompt-only sections are six errors.
    let proposed = text.replace("status = \"draft\"", "status = \"proposed\"");
    ws.write(&path, proposed);
    let diags = check(&ws, 1);
    assert_eq!(errors(&diags), 6, "{diags:#?}");
    let errs = diags.iter().filter(|d| d.level == "error");
    for (d, s) in errs.zip(SECTIONS) {
        let line = line_no(&ws, &path, &format!("## {s}"));
        assert_eq!((d.path.as_str(), d.line), (path.as_str(), line));
        let what = format!("\"{s}\" section is empty");
        assert!(d.message.ends_with(&what), "{d:?}");
    }
    ws.write(&path, &text);
    ws.docket(&["commit"]).ok();
    assert_eq!(trailers(&ws.last_message()), ["memo new 0013"]);
    assert_eq!(ws.status(), "");
    assert_eq!(memo_new(&ws, "Another", "0014"), "memos/0014-another.md");
}

#[test]
fn memo_status_moves_through_the_lifecycle() {
    let ws = Workspace::example();
    let path = memo_new(&ws, "Refunds up to $300", "0013");
    let text = ws.read(&path);
    let all = SECTIONS.join(", ");
    let unwritten =
        format!("{path}: memo 0013 cannot be proposed until these sections are written: {all}");
    refused(
        &ws,
        &[
            "memo status 13 accepted => memo 0013 is draft; it can move to proposed",
            &format!("memo status 13 proposed => {unwritten}"),
        ],
    );
    ws.write(&path, fill(&text, &["Metrics for success"]));
    let msg = refused(
        &ws,
        &["memo status 13 proposed => written: Metrics for success"],
    );
    assert!(
        !msg[0].contains("Context") && !msg[0].contains("Evaluation"),
        "{msg:?}"
    );

    ws.write(&path, fill(&text, &[]));
    let out = dk(&ws, "memo status 13 proposed").ok().stdout;
    assert_eq!(out, format!("memo 0013 draft -> proposed\n  {path}\n"));
    assert_eq!(memo_status(&ws, &path), "proposed");
    passes(&ws);
    refused(
        &ws,
        &[
            "memo status 0013 proposed => 0013 is proposed; it can move to accepted or rejected",
            "memo status 13 draft => it can move to accepted or rejected",
        ],
    );
    dk(&ws, "memo status 0013 accepted").ok();
    assert_eq!(memo_status(&ws, &path), "accepted");
    refused(
        &ws,
        &[
            "memo status 13 proposed => 0013 is accepted; it can move to deprecated or superseded",
            "memo status 9 accepted => memo 0009 is rejected; it is final",
            "memo status 9 proposed => memo 0009 is rejected; it is final",
            "memo status 13 frozen => \"frozen\": expected one of draft, proposed, accepted",
            "memo status 9999 proposed => 9999",
        ],
    );
    passes(&ws);
    ws.docket(&["commit"]).ok();
    let t = trailers(&ws.last_message());
    let moves = [
        "memo 0013 draft -> proposed",
        "memo 0013 proposed -> accepted",
    ];
    assert_eq!(t, ["memo new 0013", moves[0], moves[1]]);
    assert_eq!(ws.status(), "");
    passes(&ws);
}

/// Drafts memo 0013 superseding 0007, fills it in, and proposes it with a
/// commit. Returns its path.
fn propose_successor(ws: &Workspace) -> String {
    let path = memo_new(ws, "Supervised refunds up to $300", "0013");
    let text = fill(&ws.read(&path), &[]);
    let agents = "agents = [\"support-triage\"]\nsupersedes = [\"0007\"]";
    ws.write(&path, text.replace("agents = []", agents));
    dk(ws, "memo status 13 proposed --commit").ok();
    assert_eq!(ws.status(), "");
    path
}

#[test]
fn accepting_a_successor_supersedes_in_one_commit() {
    let ws = Workspace::example();
    let m7 = memo_path(&ws, "0007");
    let new = propose_successor(&ws);
    // Only an accepted memo can be superseded: 0009 is rejected.
    let text = ws.read(&new);
    ws.write(&new, text.replace("[\"0007\"]", "[\"0009\"]"));
    let why = "memo 0013 supersedes 0009, which is rejected";
    refused(
        &ws,
        &[&format!("memo status 13 accepted --commit => {why}")],
    );
    ws.write(&new, &text);

    let count = ws.commit_count();
    dk(&ws, "memo status 13 accepted --commit").ok();
    assert_eq!(ws.commit_count(), count + 1);
    let names = ws.git_out(&["show", "--name-only", "--format=", "HEAD"]);
    let mut touched: Vec<&str> = names.lines().collect();
    touched.sort_unstable();
    assert_eq!(touched, [m7.as_str(), new.as_str()]);
    let stat = ws.git_out(&["show", "--stat", "--format=", "HEAD"]);
    assert!(stat.contains("2 files changed"), "{stat}");
    let t = trailers(&ws.last_message());
    let moves = [
        "memo 0013 proposed -> accepted",
        "memo 0007 accepted -> superseded",
    ];
    assert_eq!(t, moves);
    assert_eq!(ws.status(), "");
    ws.assert_fsck_clean();
    let old = front(&ws, &m7);
    assert_eq!(old["status"].as_str(), Some("superseded"));
    assert_eq!(old["superseded_by"].as_str(), Some("0013"));
    assert_eq!(memo_status(&ws, &new), "accepted");

    // Neither body changed (no frozen-memo error); the one problem is that
    // support-triage is still approved by 0007, now superseded.
    let memo = line_no(&ws, TRIAGE, "memo =");
    let what = "memo 0007 is superseded, not accepted";
    assert_eq!(errors(&fires(&ws, TRIAGE, memo, &[what])), 1);
    edit(&ws, TRIAGE, "memo =", "memo = \"0013\"");
    passes(&ws);
}

#[test]
fn an_accepted_memo_body_is_frozen() {
    let ws = Workspace::example();
    let init = example_root(&ws);
    let m7 = memo_path(&ws, "0007");
    let original = ws.read(&m7);
    let body = body_line(&ws, &m7);
    let changed = original.replacen("the agent drafted", "the agent wrote", 1);
    assert_ne!(changed, original);
    ws.write(&m7, &changed);
    let what = "memo 0007 is accepted and its body is frozen";
    let needles = [what, &init, "supersedes it"];
    let diags = fires(&ws, &m7, body, &needles);
    assert_eq!(
        rule_at(&diags, "error", (&m7, body), &needles),
        "frozen_memo"
    );
    ws.git_commit_all("reword memo 0007");
    fires(&ws, &m7, body, &needles);
    ws.write(&m7, &original);
    ws.git_commit_all("restore memo 0007");
    passes(&ws);

    // Status and review_by may change.
    edit(&ws, &m7, "review_by =", "review_by = 2027-06-30");
    passes(&ws);
    ws.git_commit_all("push back the review of 0007");
    passes(&ws);
    let m1 = memo_path(&ws, "0001");
    dk(&ws, "memo status 1 deprecated --commit").ok();
    passes(&ws);
    // A deprecated memo stays frozen since its acceptance (the example's first commit).
    let text = ws.read(&m1);
    ws.write(&m1, format!("{text}\nOne more paragraph.\n"));
    let what = "memo 0001 is deprecated and its body is frozen";
    fires(&ws, &m1, body_line(&ws, &m1), &[what, &init]);
}

#[test]
fn the_commit_named_is_the_one_that_accepted_the_memo() {
    let ws = Workspace::example();
    let new = propose_successor(&ws);
    edit(&ws, TRIAGE, "memo =", "memo = \"0013\"");
    ws.git_commit_all("support-triage is approved by 0013");
    dk(&ws, "memo status 13 accepted --commit").ok();
    let accepted = short_head(&ws);
    passes(&ws);
    insert_before(&ws, &new, "deciders =", "review_by = 2027-03-01");
    ws.git_commit_all("review 0013 in March");
    assert_ne!(short_head(&ws), accepted);
    passes(&ws);
    edit(&ws, &new, "Written for the test: Dec", "Something else.");
    let needles = ["memo 0013 is accepted", &accepted];
    let diags = fires(&ws, &new, body_line(&ws, &new), &needles);
    assert_eq!(errors(&diags), 1, "{diags:#?}");
}

#[test]
fn an_accepted_memo_front_matter_is_frozen_too() {
    let ws = Workspace::example();
    let m7 = memo_path(&ws, "0007");
    let wider = "data_sources = [\"stripe:all\"]";
    edit(&ws, &m7, "data_sources =", wider);
    ws.git_commit_all("widen the data 0007 approved");
    let diags = check(&ws, 1);
    assert!(diags.iter().any(|d| d.path == m7), "{diags:#?}");
}

#[test]
fn renaming_an_accepted_memo_hides_no_edit() {
    let ws = Workspace::example();
    let init = example_root(&ws);
    let (m7, renamed) = (memo_path(&ws, "0007"), "memos/0007-renamed.md");
    ws.git(&["mv", &m7, renamed]).ok();
    let added = "## Context\n\nA new first paragraph.";
    edit(&ws, renamed, "## Context", added);
    ws.git_commit_all("rename and edit 0007");
    let what = "memo 0007 is accepted and its body is frozen";
    fires(&ws, renamed, body_line(&ws, renamed), &[what, &init]);
}

/// Runs git with author and committer dates `secs` after the sandbox's.
fn git_later(ws: &Workspace, secs: i64, args: &[&str]) {
    let (at, zone) = GIT_DATE.trim_start_matches('@').split_once(' ').unwrap();
    let later = format!("@{} {zone}", at.parse::<i64>().unwrap() + secs);
    let mut cmd = ws.sb.command("git", &ws.root);
    cmd.args(args).env("GIT_AUTHOR_DATE", &later);
    Sandbox::run(cmd.env("GIT_COMMITTER_DATE", &later)).ok();
}

#[test]
fn a_merged_branch_from_before_the_acceptance_hides_no_edit() {
    let ws = Workspace::example();
    let (base, main) = (ws.head(), ws.git_out(&["branch", "--show-current"]));
    let m10 = memo_path(&ws, "0010");
    dk(&ws, "memo status 10 accepted --commit").ok();
    let accepted = short_head(&ws);
    let edited = "## Context\n\nEdited after acceptance.";
    edit(&ws, &m10, "## Context", edited);
    ws.git_commit_all("edit 0010 after its acceptance");
    let needles = ["memo 0010 is accepted and its body is frozen", &accepted];
    fires(&ws, &m10, body_line(&ws, &m10), &needles);
    // A teammate's branch from before the acceptance, merged afterwards.
    ws.git(&["checkout", "-q", "-b", "side", &base]).ok();
    let cfg = ws.read("docket.toml");
    ws.write("docket.toml", format!("{cfg}\n# a side change\n"));
    ws.git(&["add", "-A"]).ok();
    git_later(&ws, 3600, &["commit", "-q", "-m", "side work"]);
    ws.git(&["checkout", "-q", &main]).ok();
    git_later(&ws, 7200, &["merge", "-q", "--no-edit", "side"]);
    assert!(ws.read(&m10).contains("Edited after acceptance."));
    fires(&ws, &m10, body_line(&ws, &m10), &needles);
}

#[test]
fn the_autonomy_ledger() {
    let ws = Workspace::example();
    let all = ledger(&ws);
    for l in &all {
        for key in ["id", "tier", "next", "pass_rate", "eligible", "reasons"] {
            assert!(l.get(key).is_some(), "{key} missing in {l}");
        }
        let reasons = l["reasons"].as_array().unwrap();
        assert_eq!(l["eligible"].as_bool().unwrap(), reasons.is_empty(), "{l}");
    }
    let says = |v: &Value, what: &str| v["reasons"].to_string().contains(what);
    let dep = verdict(&all, "dependency-bump");
    assert_eq!(dep["eligible"], true, "{dep}");
    assert!(dep["tier"] == "supervised" && dep["next"] == "autonomous");
    let st = verdict(&all, "support-triage");
    assert_eq!(st["eligible"], false);
    let (rate, gate) = (st["pass_rate"].as_f64(), st["min_pass_rate"].as_f64());
    assert!(rate.unwrap() < gate.unwrap(), "{st}");
    assert!(says(&st, "below the gate 99.50%"), "{st}");
    let ci = verdict(&all, "ci-triage");
    assert_eq!(ci["eligible"], false);
    assert!(says(&ci, "outside the 30-day window"), "{ci}");
    for (id, status) in [
        ("copilot-refactor", "draft"),
        ("outbound-research", "paused"),
    ] {
        let v = verdict(&all, id);
        assert_eq!(v["eligible"], false, "{v}");
        assert!(says(&v, &format!("runbook is {status}, not active")), "{v}");
    }
    let table = ws.docket(&["autonomy"]).ok().stdout;
    let row = table.lines().find(|l| l.starts_with("support-triage"));
    assert!(row.unwrap().contains("below the gate"), "{table}");

    // support-triage's runs all pass: it has earned its next tier.
    for rel in run_files(&ws, "billing-refunds") {
        edit(&ws, &rel, "failed =", "failed = 0");
        edit(&ws, &rel, "failures =", "failures = []");
    }
    passes(&ws);
    let st = verdict(&ledger(&ws), "support-triage");
    assert_eq!(st["eligible"], true, "{st}");
    assert_eq!(st["pass_rate"].as_f64(), Some(1.0));
    assert_eq!(st["reasons"], serde_json::json!([]));
}
