#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Strict gates end to end (docs/format.md, "Checks: rules and levels"): `[check]` in docket.toml
//! raises, lowers or silences a rule by name, a mistake there is reported at
//! its line, and `docket check --strict` fails on warnings. The example
//! workspace, as of the tests' fixed day, passes with three warnings: one
//! uncovered production incident (INC-2017) and two red-team exercises older
//! than their window.

mod common;

use common::{Sandbox, Workspace};
use docket::model::rule::RULES;
use serde_json::Value;

/// The oldest failure of INC-2017, where its coverage is reported.
const INCIDENT_CASE: &str = "evals/failures/2026-10/ci-0084.toml";

/// Puts a `[check]` table holding `entries` at the end of docket.toml (in
/// place of the one an earlier call put there) and returns the 1-based line
/// of each entry.
fn set_levels(ws: &Workspace, entries: &[&str]) -> Vec<usize> {
    let mut text = ws.read("docket.toml");
    if let Some(i) = text.find("\n[check]\n") {
        text.truncate(i);
    }
    text.push_str("\n[check]\n");
    let first = text.lines().count() + 1;
    for e in entries {
        text.push_str(e);
        text.push('\n');
    }
    ws.write("docket.toml", text);
    (first..first + entries.len()).collect()
}

/// `docket check ARGS` and `docket check --json ARGS`, both expecting
/// `code`: the text lines and the JSON problems.
#[track_caller]
fn check(ws: &Workspace, args: &[&str], code: i32) -> (Vec<String>, Vec<Value>) {
    let text = ws.docket(&[&["check"], args].concat()).code(code);
    let json = ws.docket(&[&["check", "--json"], args].concat()).code(code);
    let lines = text.stdout.lines().map(str::to_owned).collect();
    let diags = json.json().as_array().unwrap().clone();
    (lines, diags)
}

fn with_rule<'a>(diags: &'a [Value], rule: &str) -> Vec<&'a Value> {
    diags.iter().filter(|d| d["rule"] == rule).collect()
}

/// The line of `rel` that starts with `prefix`.
#[track_caller]
fn line_of(ws: &Workspace, rel: &str, prefix: &str) -> usize {
    let text = ws.read(rel);
    let i = text.lines().position(|l| l.starts_with(prefix));
    i.unwrap_or_else(|| panic!("{rel}: no line starts with {prefix:?}")) + 1
}

#[test]
fn incident_coverage_as_error_makes_an_uncovered_production_incident_fail() {
    let ws = Workspace::example();
    let case = ws.read(INCIDENT_CASE);
    assert!(case.contains("source = \"production\""), "{case}");
    assert!(case.contains("incident = \"INC-2017\""), "{case}");
    let at = line_of(&ws, INCIDENT_CASE, "incident =");

    // By default an uncovered incident is a warning.
    let (_, diags) = check(&ws, &[], 0);
    let hit = with_rule(&diags, "incident_coverage");
    assert_eq!(hit.len(), 1, "{diags:#?}");
    assert_eq!(hit[0]["level"], "warning");

    set_levels(&ws, &["incident_coverage = \"error\""]);
    let (lines, diags) = check(&ws, &[], 1);
    let want = format!("{INCIDENT_CASE}:{at}: error[incident_coverage]: incident INC-2017 has no");
    assert!(lines.iter().any(|l| l.starts_with(&want)), "{lines:#?}");
    let hit = with_rule(&diags, "incident_coverage");
    assert_eq!(hit.len(), 1, "{diags:#?}");
    assert_eq!(
        (&hit[0]["path"], &hit[0]["line"], &hit[0]["level"]),
        (
            &Value::from(INCIDENT_CASE),
            &Value::from(at),
            &Value::from("error")
        )
    );
    // The other rules keep their levels.
    let others: Vec<&Value> = diags
        .iter()
        .filter(|d| d["rule"] != "incident_coverage")
        .collect();
    assert!(
        !others.is_empty() && others.iter().all(|d| d["level"] == "warning"),
        "{others:#?}"
    );
    let r = ws.docket(&["check"]).code(1);
    assert!(
        r.stderr.contains("1 error(s), 2 warning(s)"),
        "{}",
        r.stderr
    );

    // Promoting one of its failures into a set satisfies the gate.
    let promote = ws.cases().into_iter().find(|c| {
        ws.read(&c.path).contains("incident = \"INC-2017\"")
            && c.has_expected
            && matches!(c.status.as_str(), "new" | "triaged")
    });
    let promote = promote.expect("an open INC-2017 case with [expected]");
    ws.docket(&["promote", &promote.id, "ci-root-cause"]).ok();
    let (_, diags) = check(&ws, &[], 0);
    assert!(
        with_rule(&diags, "incident_coverage").is_empty(),
        "{diags:#?}"
    );
}

#[test]
fn off_drops_a_rule_and_nothing_else() {
    let ws = Workspace::example();
    set_levels(&ws, &["incident_coverage = \"off\""]);
    let (lines, diags) = check(&ws, &[], 0);
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("incident_coverage") || l.contains("INC-2017")),
        "{lines:#?}"
    );
    assert!(
        with_rule(&diags, "incident_coverage").is_empty(),
        "{diags:#?}"
    );
    let red_team = with_rule(&diags, "red_team_overdue");
    assert_eq!(red_team.len(), 2, "{diags:#?}");
    assert_eq!(diags.len(), 2, "{diags:#?}");
    assert!(
        lines
            .iter()
            .all(|l| l.contains(": warning[red_team_overdue]: ")),
        "{lines:#?}"
    );

    // An error can be lowered too: a warning no longer fails the gate.
    ws.write(
        INCIDENT_CASE,
        ws.read(INCIDENT_CASE)
            .replace("agent = ", "agent = \"nope\"\n#"),
    );
    let (_, diags) = check(&ws, &[], 1);
    assert_eq!(with_rule(&diags, "broken_reference")[0]["level"], "error");
    set_levels(&ws, &["broken_reference = \"warning\""]);
    let (lines, diags) = check(&ws, &[], 0);
    assert_eq!(with_rule(&diags, "broken_reference")[0]["level"], "warning");
    let want = format!("{INCIDENT_CASE}:");
    let hit = lines
        .iter()
        .find(|l| l.starts_with(&want) && l.contains("agent \"nope\""));
    assert!(
        hit.is_some_and(|l| l.contains(": warning[broken_reference]: ")),
        "{lines:#?}"
    );
}

#[test]
fn a_mistake_in_check_is_an_error_at_its_line_of_docket_toml() {
    let ws = Workspace::example();
    let at = set_levels(
        &ws,
        &[
            "incident_covrage = \"error\"",
            "parse = \"off\"",
            "red_team_overdue = \"off\"",
            "incident_coverage = \"fatal\"",
        ],
    );
    let (lines, diags) = check(&ws, &[], 1);
    let expect = [
        (at[0], "[check]: unknown rule \"incident_covrage\" (rules: "),
        (at[1], "[check]: parse cannot be lowered to off: "),
        (
            at[3],
            "[check]: incident_coverage = \"fatal\": the level is ",
        ),
    ];
    for (line, what) in expect {
        let want = format!("docket.toml:{line}: error[check_config]: {what}");
        assert!(
            lines.iter().any(|l| l.starts_with(&want)),
            "{want}\n{lines:#?}"
        );
        let hit = diags
            .iter()
            .find(|d| d["path"] == "docket.toml" && d["line"] == line);
        let hit = hit.unwrap_or_else(|| panic!("docket.toml:{line} in {diags:#?}"));
        assert_eq!(
            (&hit["rule"], &hit["level"]),
            (&"check_config".into(), &"error".into())
        );
    }
    assert_eq!(with_rule(&diags, "check_config").len(), 3, "{diags:#?}");
    // The entries docket can honour still apply; the others are ignored.
    assert!(
        with_rule(&diags, "red_team_overdue").is_empty(),
        "{diags:#?}"
    );
    assert_eq!(
        with_rule(&diags, "incident_coverage")[0]["level"],
        "warning"
    );
    // And the rest of docket works on.
    assert!(!ws.list("failures").is_empty());
}

#[test]
fn strict_fails_on_warnings_and_passes_a_clean_workspace() {
    let ws = Workspace::example();
    let (lines, diags) = check(&ws, &[], 0);
    assert!(
        !diags.is_empty() && diags.iter().all(|d| d["level"] == "warning"),
        "{diags:#?}"
    );
    let (strict, _) = check(&ws, &["--strict"], 1);
    assert_eq!(
        strict, lines,
        "--strict changes the exit code, not the report"
    );
    let r = ws.docket(&["check", "--strict"]).code(1);
    assert!(
        r.stderr.contains("0 error(s), 3 warning(s)") && r.stderr.contains("--strict"),
        "{}",
        r.stderr
    );

    // With the rules behind those warnings off, the same workspace is clean.
    set_levels(
        &ws,
        &["incident_coverage = \"off\"", "red_team_overdue = \"off\""],
    );
    let (lines, diags) = check(&ws, &["--strict"], 0);
    assert!(lines.is_empty() && diags.is_empty(), "{lines:#?}");

    // A fresh workspace is clean too.
    let sb = Sandbox::new();
    let root = sb.path().join("fresh");
    sb.docket(&sb.path(), &["init", root.to_str().unwrap()])
        .ok();
    let fresh = Workspace { sb, root };
    check(&fresh, &["--strict"], 0);
}

#[test]
fn the_docs_list_every_rule_with_its_default_level() {
    let root = env!("CARGO_MANIFEST_DIR");
    let format = std::fs::read_to_string(format!("{root}/docs/format.md")).unwrap();
    for r in RULES {
        let row = if r.fixed {
            format!("| `{}` | {} |", r.name, r.description)
        } else {
            let level = format!("{:?}", r.default).to_lowercase();
            format!("| `{}` | {level} | {} |", r.name, r.description)
        };
        assert!(format.contains(&row), "docs/format.md lacks the row {row}");
    }
    // And no rule that does not exist.
    let section = format.split("## Checks: rules and levels").nth(1).unwrap();
    let section = section.split("\n## ").next().unwrap();
    let named: Vec<&str> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| `")?.split('`').next())
        .collect();
    assert_eq!(named.len(), RULES.len(), "{named:?}");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    assert!(readme.contains("docket check [--json] [--strict]"));
}
