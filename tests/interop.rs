//! docket and the eval runners, end to end through the binary: import of
//! promptfoo results, Inspect logs (JSON and `.eval`) and JSON Lines;
//! export of a set in every format; `run import` as a CI gate.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;

use common::{Sandbox, Workspace};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The failure case files under evals/failures whose name starts with
/// `prefix`, leaving out those the bundled example imported itself.
fn imported(ws: &Workspace, prefix: &str) -> Vec<(String, toml::Table)> {
    let mut out = Vec::new();
    for month in std::fs::read_dir(ws.root.join("evals/failures")).unwrap() {
        let month = month.unwrap().path();
        for f in std::fs::read_dir(&month).unwrap() {
            let f = f.unwrap().path();
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with(prefix) && name.ends_with(".toml") {
                let t: toml::Table = toml::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
                if t.get("origin")
                    .and_then(|o| o.get("file"))
                    .and_then(toml::Value::as_str)
                    == Some("promptfoo-2026-11-21.json")
                {
                    continue;
                }
                out.push((name.trim_end_matches(".toml").to_owned(), t));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// `docket export SET --format F -o FILE`, its lines parsed.
fn exported(ws: &Workspace, set: &str, format: &str) -> Vec<Value> {
    let out = ws.sb.path().join(format!("{set}.{format}.jsonl"));
    ws.docket(&["export", set, "--format", format, "-o", s(&out)])
        .ok();
    std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The run files of a set.
fn run_files(ws: &Workspace, set: &str) -> Vec<String> {
    std::fs::read_dir(ws.root.join("evals/runs").join(set))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

fn promptfoo_results() -> Value {
    json!({
        "evalId": "eval-abc-2026-11-20T10:00:00",
        "results": {
            "version": 3,
            "timestamp": "2026-11-20T10:00:00.000Z",
            "results": [
                {"id": "r0", "testIdx": 0, "promptIdx": 0, "success": true,
                 "vars": {"input": "hello"}, "prompt": {"raw": "hello"},
                 "response": {"output": "hello"}, "testCase": {"description": "greets"},
                 "provider": {"id": "echo"}},
                {"id": "r1", "testIdx": 1, "promptIdx": 0, "success": false, "failureReason": 1,
                 "vars": {"input": "Refund my March order"}, "prompt": {"raw": "Refund my March order"},
                 "response": {"output": "Refunded!"},
                 "testCase": {"description": "Refund outside the window", "metadata": {"incident": "INC-4100", "severity": "sev2", "team": "billing"},
                              "assert": [{"type": "contains", "value": "30 days"}]},
                 "gradingResult": {"pass": false, "reason": "Expected output to contain \"30 days\""},
                 "provider": {"id": "echo"}},
                {"id": "r2", "testIdx": 2, "promptIdx": 0, "success": false, "failureReason": 1,
                 "vars": {}, "prompt": {"raw": "[{\"role\":\"system\",\"content\":\"be kind\"},{\"role\":\"user\",\"content\":\"hi\"}]"},
                 "response": {"output": "go away"},
                 "testCase": {"assert": [{"type": "llm-rubric", "value": "Is polite"}]},
                 "gradingResult": {"pass": false, "reason": "Not polite"},
                 "provider": {"id": "echo"}}
            ]
        }
    })
}

#[test]
fn promptfoo_failures_become_cases_once() {
    let ws = Workspace::example();
    let f = write(
        &ws.sb.path(),
        "results.json",
        &promptfoo_results().to_string(),
    );
    let run = ws
        .docket(&["import", "promptfoo", s(&f), "--agent", "support-triage"])
        .ok();
    assert!(
        run.stdout.contains("created 2 failure case(s)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("ignored 1 passing"), "{}", run.stdout);
    let cases = imported(&ws, "promptfoo-");
    assert_eq!(cases.len(), 2);
    let refund = cases
        .iter()
        .map(|(_, t)| t)
        .find(|t| t["summary"].as_str() == Some("Refund outside the window"))
        .expect("the described row");
    assert_eq!(refund["status"].as_str(), Some("new"));
    assert_eq!(refund["source"].as_str(), Some("offline-eval"));
    assert_eq!(refund["incident"].as_str(), Some("INC-4100"));
    assert_eq!(refund["severity"].as_str(), Some("sev2"));
    assert_eq!(refund["occurred_at"].to_string(), "2026-11-20T10:00:00Z");
    assert_eq!(refund["origin"]["tool"].as_str(), Some("promptfoo"));
    assert_eq!(refund["origin"]["file"].as_str(), Some("results.json"));
    assert_eq!(refund["origin"]["sample"].as_str(), Some("1"));
    assert_eq!(
        refund["expected"]["content"].as_str(),
        Some("contains: 30 days")
    );
    assert_eq!(refund["metadata"]["team"].as_str(), Some("billing"));
    let note = &refund["notes"].as_array().unwrap()[0];
    assert_eq!(note["author"].as_str(), Some("promptfoo"));
    assert!(note["text"].as_str().unwrap().contains("30 days"));
    let chat = cases
        .iter()
        .map(|(_, t)| t)
        .find(|t| t["input"].get("messages").is_some())
        .expect("the chat row");
    assert_eq!(chat["input"]["messages"].as_array().unwrap().len(), 2);
    // The new cases load cleanly.
    let check = ws.docket(&["check", "--json"]);
    let text = check.stdout.clone();
    assert!(!text.contains("promptfoo-"), "{text}");

    // Importing the same file again creates nothing.
    ws.docket(&["commit"]).ok();
    let head = ws.head();
    let again = ws
        .docket(&["import", "promptfoo", s(&f), "--agent", "support-triage"])
        .ok();
    assert!(
        again
            .stdout
            .contains("created 0 failure case(s); skipped 2 duplicate(s)"),
        "{}",
        again.stdout
    );
    assert_eq!(ws.status(), "");
    assert_eq!(ws.head(), head);
    let msg = ws.git_out(&["log", "-1", "--format=%B"]);
    assert!(
        msg.contains("Docket-Action: import promptfoo results.json +2"),
        "{msg}"
    );
}

#[test]
fn without_an_agent_the_import_is_refused_and_changes_nothing() {
    let ws = Workspace::example();
    let f = write(
        &ws.sb.path(),
        "results.json",
        &promptfoo_results().to_string(),
    );
    let before = ws.snapshot();
    let run = ws.docket(&["import", "promptfoo", s(&f)]).code(2);
    assert!(run.stderr.contains("--agent"), "{}", run.stderr);
    ws.assert_unchanged(&before, "import without an agent");
}

#[test]
fn malformed_and_truncated_input_is_refused_with_a_position() {
    let ws = Workspace::example();
    let dir = ws.sb.path();
    let jsonl = write(
        &dir,
        "log.jsonl",
        "{\"input\": \"a\", \"output\": \"b\", \"agent\": \"support-triage\"}\n\n{\"input\": \"a\"}\n{\"input\": \"c\", \"output\": \"d\", \"agent\": \"support-triage\"}\n{\"input\": \"e\", \"outp",
    );
    let before = ws.snapshot();
    let run = ws.docket(&["import", "jsonl", s(&jsonl)]).code(2);
    assert!(
        run.stderr.contains("log.jsonl:3: missing field `output`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("log.jsonl:5: truncated record"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing imported"), "{}", run.stderr);
    ws.assert_unchanged(&before, "a malformed JSON Lines import");

    let run = ws
        .docket(&["import", "jsonl", s(&jsonl), "--keep-going"])
        .ok();
    assert!(
        run.stdout
            .contains("created 2 failure case(s); skipped 0 duplicate(s); refused 2"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("log.jsonl:3:"), "{}", run.stderr);

    // A promptfoo file cut short: the line where it ends.
    let full = serde_json::to_string_pretty(&promptfoo_results()).unwrap();
    let cut = write(&dir, "cut.json", &full[..full.len() / 2]);
    let run = ws
        .docket(&["import", "promptfoo", s(&cut), "--agent", "a"])
        .code(2);
    assert!(
        run.stderr.contains("cut.json:") && run.stderr.contains("truncated"),
        "{}",
        run.stderr
    );
    // A row without its verdict: the row's index.
    let mut bad = promptfoo_results();
    bad["results"]["results"][2]
        .as_object_mut()
        .unwrap()
        .remove("success");
    let bad = write(&dir, "bad.json", &bad.to_string());
    let run = ws
        .docket(&["import", "promptfoo", s(&bad), "--agent", "support-triage"])
        .code(2);
    assert!(
        run.stderr
            .contains("bad.json: results.results[2]: missing `success`"),
        "{}",
        run.stderr
    );
    // An Inspect JSON log cut short: the line where it ends.
    let log = std::fs::read_to_string(fixture("inspect/log.json")).unwrap();
    let cut = write(&dir, "cut-log.json", &log[..log.len() / 3]);
    let run = ws
        .docket(&["import", "inspect", s(&cut), "--agent", "a"])
        .code(2);
    assert!(
        run.stderr.contains("cut-log.json:") && run.stderr.contains("truncated"),
        "{}",
        run.stderr
    );
    // Not a promptfoo file at all.
    let other = write(&dir, "other.json", "{\"a\": 1}");
    let run = ws
        .docket(&["import", "promptfoo", s(&other), "--agent", "a"])
        .code(2);
    assert!(
        run.stderr.contains("not a promptfoo results file"),
        "{}",
        run.stderr
    );
}

fn inspect_log() -> Value {
    json!({
        "version": 2, "status": "success",
        "eval": {"run_id": "RUN123", "task": "refunds", "created": "2026-11-21T08:30:00+00:00", "model": "mockllm/model"},
        "samples": [
            {"id": 1, "epoch": 1, "input": "What is 2+2?", "target": "4",
             "output": {"choices": [{"message": {"role": "assistant", "content": "4"}}]},
             "scores": {"match": {"value": "C", "answer": "4"}}},
            {"id": "two", "epoch": 1, "input": [{"role": "user", "content": "Refund me"}], "target": ["Explain the policy"],
             "output": {"choices": [{"message": {"role": "assistant", "content": [{"type": "text", "text": "Done!"}]}}]},
             "scores": {"match": {"value": "I", "answer": "Done!", "explanation": "no policy"}},
             "metadata": {"incident": "INC-4200", "agent": "support-triage"}}
        ]
    })
}

/// Writes an Inspect `.eval` archive holding the same run as `log`.
fn eval_archive(path: &Path, log: &Value) {
    let f = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("_journal/start.json", opts).unwrap();
    z.write_all(
        json!({"version": 2, "eval": log["eval"]})
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    for smp in log["samples"].as_array().unwrap() {
        z.start_file(
            format!(
                "samples/{}_epoch_{}.json",
                smp["id"]
                    .as_str()
                    .map_or_else(|| smp["id"].to_string(), str::to_owned),
                smp["epoch"]
            ),
            opts,
        )
        .unwrap();
        z.write_all(smp.to_string().as_bytes()).unwrap();
    }
    let mut header = log.clone();
    header.as_object_mut().unwrap().remove("samples");
    z.start_file("header.json", opts).unwrap();
    z.write_all(header.to_string().as_bytes()).unwrap();
    z.finish().unwrap();
}

#[test]
fn inspect_json_and_eval_logs_import_the_same_cases() {
    let a = Workspace::example();
    let b = Sandbox::new().example_workspace("other");
    let log = inspect_log();
    let json_log = write(&a.sb.path(), "log.json", &log.to_string());
    let eval_log = b.sb.path().join("log.eval");
    eval_archive(&eval_log, &log);
    let ra = a.docket(&["import", "inspect", s(&json_log)]).ok();
    let rb = b.docket(&["import", "inspect", s(&eval_log)]).ok();
    assert!(
        ra.stdout.contains("created 1 failure case(s)"),
        "{}",
        ra.stdout
    );
    assert!(
        rb.stdout.contains("created 1 failure case(s)"),
        "{}",
        rb.stdout
    );
    let ca = imported(&a, "inspect-");
    let cb = imported(&b, "inspect-");
    assert_eq!(ca.len(), 1);
    assert_eq!(ca[0].0, cb[0].0, "the same stable id from either format");
    let t = &ca[0].1;
    assert_eq!(t["output"]["content"].as_str(), Some("Done!"));
    assert_eq!(
        t["expected"]["content"].as_str(),
        Some("Explain the policy")
    );
    assert_eq!(t["incident"].as_str(), Some("INC-4200"));
    assert_eq!(t["origin"]["sample"].as_str(), Some("two"));
    assert_eq!(t["origin"]["run"].as_str(), Some("RUN123"));
    assert_eq!(t["occurred_at"].to_string(), "2026-11-21T08:30:00Z");
    assert!(
        t["notes"][0]["text"]
            .as_str()
            .unwrap()
            .contains("no policy")
    );
    // The other file's cases differ only in origin.file.
    let strip = |t: &toml::Table| {
        let mut t = t.clone();
        t["origin"].as_table_mut().unwrap().remove("file");
        t
    };
    assert_eq!(strip(&ca[0].1), strip(&cb[0].1));

    // A truncated archive is refused, naming the archive.
    let bytes = std::fs::read(&eval_log).unwrap();
    let cut = b.sb.path().join("cut.eval");
    std::fs::write(&cut, &bytes[..bytes.len() - 30]).unwrap();
    let run = b.docket(&["import", "inspect", s(&cut)]).code(2);
    assert!(run.stderr.contains("cut.eval: archive:"), "{}", run.stderr);
}

#[test]
fn export_is_deterministic_and_jsonl_round_trips_every_case() {
    let a = Workspace::example();
    let dir = a.sb.path();
    let set = "billing-refunds";
    for format in ["openai-evals", "promptfoo", "inspect", "jsonl"] {
        let one = a.docket(&["export", set, "--format", format]).ok().stdout;
        let out = dir.join(format!("{format}.jsonl"));
        a.docket(&["export", set, "--format", format, "-o", s(&out)])
            .ok();
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            one,
            "{format}: -o and stdout agree"
        );
        let two = a.docket(&["export", set, "--format", format]).ok().stdout;
        assert_eq!(one, two, "{format}: byte for byte the same");
        let cases = std::fs::read_dir(a.root.join("evals/sets").join(set).join("cases"))
            .unwrap()
            .count();
        assert_eq!(one.lines().count(), cases, "{format}");
        for line in one.lines() {
            let v: Value = serde_json::from_str(line).unwrap();
            match format {
                "openai-evals" => {
                    assert!(
                        v["input"]
                            .as_array()
                            .is_some_and(|m| m.iter().all(|m| m["role"].is_string()))
                    );
                    assert!(v["ideal"].is_string());
                }
                "promptfoo" => {
                    assert!(v["vars"]["input"].is_string());
                    assert_eq!(v["assert"][0]["type"], "llm-rubric");
                    assert!(v["metadata"]["docket_case"].is_string());
                }
                "inspect" => {
                    assert_eq!(v["id"], v["metadata"]["docket_case"]);
                    assert!(v["target"].is_string());
                }
                _ => assert!(v["output"].is_string()),
            }
        }
    }
    assert!(
        a.status().is_empty(),
        "export writes nothing in the workspace"
    );

    // Lossless: import the JSON Lines export into an empty workspace with
    // the same taxonomy, and every field of every case comes back.
    let b = Sandbox::new();
    let root = b.path().join("fresh");
    b.docket(&b.path(), &["init", s(&root)]).ok();
    std::fs::copy(a.root.join("docket.toml"), root.join("docket.toml")).unwrap();
    let export = dir.join("jsonl.jsonl");
    b.docket(&root, &["import", "jsonl", s(&export)]).ok();
    for line in std::fs::read_to_string(&export).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let id = v["id"].as_str().unwrap();
        let set_case: toml::Table = toml::from_str(
            &std::fs::read_to_string(a.root.join(format!("evals/sets/{set}/cases/{id}.toml")))
                .unwrap(),
        )
        .unwrap();
        let prov = set_case["provenance"].as_table().unwrap();
        let failure: toml::Table = toml::from_str(
            &std::fs::read_to_string(a.root.join(prov["failure"].as_str().unwrap())).unwrap(),
        )
        .unwrap();
        let month = &failure["occurred_at"].to_string()[..7];
        let got: toml::Table = toml::from_str(
            &std::fs::read_to_string(root.join(format!("evals/failures/{month}/{id}.toml")))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(got["input"], set_case["input"], "{id}: input");
        assert_eq!(got["expected"], set_case["expected"], "{id}: expected");
        assert_eq!(got.get("tags"), set_case.get("tags"), "{id}: tags");
        assert_eq!(
            got["metadata"]["provenance"].as_table(),
            Some(prov),
            "{id}: provenance"
        );
        for key in [
            "notes",
            "agent",
            "summary",
            "severity",
            "incident",
            "occurred_at",
            "source",
            "output",
        ] {
            assert_eq!(got.get(key), failure.get(key), "{id}: {key}");
        }
        assert_eq!(got["status"].as_str(), Some("new"));
    }
    // And exporting that import's cases says the same again: nothing lost.
    let check = b.docket(&root, &["check"]);
    assert!(!check.stdout.contains("error:"), "{}", check.stdout);
}

#[test]
fn a_run_below_the_gate_fails_ci_and_names_the_cases() {
    let ws = Workspace::example();
    let dir = ws.sb.path();
    let set = "billing-refunds";
    let tests = exported(&ws, set, "promptfoo");
    // What promptfoo writes after running those tests: one row per test,
    // its metadata carried through; the first case fails.
    let rows: Vec<Value> = tests
        .iter()
        .enumerate()
        .map(|(i, t)| {
            json!({"id": format!("row{i}"), "testIdx": i, "promptIdx": 0, "success": i != 0,
                   "vars": t["vars"], "prompt": {"raw": t["vars"]["input"]},
                   "response": {"output": "an answer"}, "testCase": t,
                   "gradingResult": {"pass": i != 0, "reason": if i == 0 { "promised a refund" } else { "ok" }},
                   "provider": {"id": "file://agent.js"}})
        })
        .collect();
    let n = rows.len();
    let results = json!({"evalId": "eval-run-1", "results": {"timestamp": "2026-11-22T03:00:00Z", "results": rows}});
    let rf = write(&dir, "results.json", &results.to_string());
    let runs_before = run_files(&ws, set);
    let run = ws
        .docket(&[
            "run",
            "import",
            set,
            "promptfoo",
            s(&rf),
            "--import-failures",
        ])
        .code(1);
    let first = tests[0]["metadata"]["docket_case"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        run.stderr.contains("gate failed") && run.stderr.contains(&first),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains(&format!("{} passed, 1 failed", n - 1)),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("new failure case evals/failures/2026-11/promptfoo-"),
        "{}",
        run.stdout
    );
    let runs: Vec<_> = run_files(&ws, set)
        .into_iter()
        .filter(|n| !runs_before.contains(n))
        .collect();
    assert_eq!(runs.len(), 1, "{runs:?}");
    let text =
        std::fs::read_to_string(ws.root.join("evals/runs").join(set).join(&runs[0])).unwrap();
    assert!(
        text.contains(&format!("failures = [\"{first}\"]")),
        "{text}"
    );
    assert!(
        text.contains("agent_version = \"file://agent.js\""),
        "{text}"
    );
    let regression = imported(&ws, "promptfoo-");
    assert_eq!(regression.len(), 1);
    assert_eq!(
        regression[0].1["metadata"]["regression_of"].as_str(),
        Some(first.as_str())
    );
    assert_eq!(regression[0].1["agent"].as_str(), Some("support-triage"));
    // Recorded once: a second import of the same results adds nothing, and
    // still fails the gate.
    let again = ws
        .docket(&[
            "run",
            "import",
            set,
            "promptfoo",
            s(&rf),
            "--import-failures",
            "--commit",
        ])
        .code(1);
    assert!(
        again.stdout.contains("already recorded"),
        "{}",
        again.stdout
    );
    // The run shows in the workspace: check is still clean of errors.
    let check = ws.docket(&["check"]);
    assert!(!check.stdout.contains(": error"), "{}", check.stdout);

    // All passing: exit 0.
    let mut good = results.clone();
    good["evalId"] = json!("eval-run-2");
    for r in good["results"]["results"].as_array_mut().unwrap() {
        r["success"] = json!(true);
    }
    let gf = write(&dir, "good.json", &good.to_string());
    let ok = ws
        .docket(&["run", "import", set, "promptfoo", s(&gf), "--commit"])
        .ok();
    assert!(
        ok.stdout.contains(&format!("{n} passed, 0 failed")),
        "{}",
        ok.stdout
    );
    assert_eq!(ws.status(), "");
    let msg = ws.git_out(&["log", "-1", "--format=%B"]);
    assert!(msg.contains(&format!("Docket-Action: run {set} ")), "{msg}");
}

/// The files the real runners wrote (`scripts/runners.sh fixtures`:
/// promptfoo 0.123, Inspect 0.3.285 with zstd entries, Inspect 0.3.170 with
/// deflate entries).
fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

#[test]
fn files_written_by_the_real_runners_import() {
    let ws = Workspace::example();
    let pf = fixture("promptfoo/results.json");
    let run = ws
        .docket(&["import", "promptfoo", s(&pf), "--agent", "support-triage"])
        .ok();
    // 12 rows: 5 pass, 5 fail an assertion, 2 are provider errors.
    assert!(
        run.stdout.contains("created 7 failure case(s)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("ignored 5 passing"), "{}", run.stdout);
    let cases = imported(&ws, "promptfoo-");
    assert_eq!(cases.len(), 7);
    for (id, t) in &cases {
        assert_eq!(t["origin"]["tool"].as_str(), Some("promptfoo"), "{id}");
        assert!(
            t["origin"]["run"].as_str().unwrap().starts_with("eval-"),
            "{id}"
        );
        assert!(
            t["notes"][0]["text"]
                .as_str()
                .is_some_and(|n| !n.is_empty()),
            "{id}: the grader's reason"
        );
        assert!(
            t.get("incident").is_some(),
            "{id}: incident from testCase.metadata"
        );
        assert!(
            t.get("metadata")
                .is_none_or(|m| m.get("_promptfooFileMetadata").is_none()),
            "{id}"
        );
    }
    assert!(
        cases
            .iter()
            .any(|(_, t)| t["input"].get("messages").is_some()),
        "the chat prompt"
    );
    for (file, expect) in [
        ("inspect/log.json", 3),
        ("inspect/log.eval", 3),
        ("inspect/log-0.3.170-deflate.eval", 3),
    ] {
        let f = fixture(file);
        let run = ws
            .docket(&["import", "inspect", s(&f), "--agent", "support-triage"])
            .ok();
        assert!(
            run.stdout
                .contains(&format!("created {expect} failure case(s)")),
            "{file}: {}",
            run.stdout
        );
        let again = ws
            .docket(&["import", "inspect", s(&f), "--agent", "support-triage"])
            .ok();
        assert!(
            again.stdout.contains(&format!(
                "created 0 failure case(s); skipped {expect} duplicate(s)"
            )),
            "{file}: {}",
            again.stdout
        );
    }
    let check = ws.docket(&["check", "--json"]);
    assert!(
        !check.stdout.contains("promptfoo-") && !check.stdout.contains("inspect-"),
        "{}",
        check.stdout
    );
    ws.docket(&["commit"]).ok();
    assert_eq!(ws.status(), "");
}

#[test]
fn import_with_commit_leaves_everything_in_head() {
    let ws = Workspace::example();
    // More than one batch of 2,000: still one import trailer, one commit.
    let mut lines = String::new();
    for i in 0..2100 {
        let day = 20 + i % 3;
        let _ = writeln!(
            lines,
            "{{\"id\": \"prod-{i:04}\", \"agent\": \"support-triage\", \"input\": \"q{i}\", \"output\": \"a{i}\", \"occurred_at\": \"2026-11-{day}T10:00:00Z\"}}"
        );
    }
    let f = write(&ws.sb.path(), "prod.jsonl", &lines);
    let head = ws.head();
    let run = ws.docket(&["import", "jsonl", s(&f), "--commit"]).ok();
    assert!(
        run.stdout.contains("created 2100 failure case(s)"),
        "{}",
        run.stdout
    );
    assert_eq!(ws.status(), "", "every imported case is committed");
    assert_eq!(
        ws.git_out(&["rev-list", "--count", &format!("{head}..HEAD")]),
        "1"
    );
    let msg = ws.git_out(&["log", "-1", "--format=%B"]);
    assert!(
        msg.matches("Docket-Action:").count() == 1
            && msg.contains("Docket-Action: import jsonl prod.jsonl +2100"),
        "{msg}"
    );
    assert_eq!(
        ws.git_out(&["ls-files", "evals/failures/2026-11/prod-2099.toml"]),
        "evals/failures/2026-11/prod-2099.toml"
    );
    ws.git(&["fsck", "--strict"]).ok();
}

#[test]
fn pipes_directories_and_odd_input() {
    let ws = Workspace::example();
    let dir = ws.sb.path();
    // Piped input (`<(zcat ...)`, /dev/stdin) is read twice like a file.
    let line = "\u{feff}{\"input\": \"q\", \"output\": \"a\", \"agent\": \"support-triage\", \"occurred_at\": 1764000000}\n";
    let mut cmd = ws.sb.command(env!("CARGO_BIN_EXE_docket"), &dir);
    cmd.args(["-C", s(&ws.root), "import", "jsonl", "/dev/stdin"]);
    cmd.stdin(std::process::Stdio::piped());
    cmd.stdout(std::process::Stdio::piped());
    cmd.stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(line.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("created 1 failure case(s)"), "{stdout}");
    // Epoch seconds are seconds, and a byte-order mark is no error.
    let cases = imported(&ws, "jsonl-");
    assert_eq!(
        cases[0].1["occurred_at"].to_string(),
        "2025-11-24T16:00:00Z"
    );
    // A directory is refused at once, not read forever.
    let run = ws.docket(&["import", "jsonl", s(&dir)]).code(2);
    assert!(run.stderr.contains("is a directory"), "{}", run.stderr);
}

#[test]
fn an_id_that_names_a_different_case_is_refused_not_skipped() {
    let ws = Workspace::example();
    let dir = ws.sb.path();
    let f = write(
        &dir,
        "ids.jsonl",
        "{\"id\": \"billing-tier1-0042\", \"input\": \"q\", \"output\": \"a\", \"agent\": \"support-triage\"}\n{\"id\": \"p-1\", \"input\": \"q\", \"output\": \"a\", \"agent\": \"support-triage\"}\n{\"id\": \"p-1\", \"input\": \"other\", \"output\": \"b\", \"agent\": \"support-triage\"}\n",
    );
    let before = ws.snapshot();
    let run = ws.docket(&["import", "jsonl", s(&f)]).code(2);
    assert!(
        run.stderr
            .contains("ids.jsonl:1: case billing-tier1-0042 already exists"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("ids.jsonl:3: id p-1 appears twice"),
        "{}",
        run.stderr
    );
    ws.assert_unchanged(&before, "an import with colliding ids");
    // The same record imported again is a duplicate, not a refusal.
    let same = write(
        &dir,
        "same.jsonl",
        "{\"id\": \"p-2\", \"input\": \"q\", \"output\": \"a\", \"agent\": \"support-triage\"}\n",
    );
    ws.docket(&["import", "jsonl", s(&same)]).ok();
    let again = ws.docket(&["import", "jsonl", s(&same)]).ok();
    assert!(
        again.stdout.contains("skipped 1 duplicate(s); refused 0"),
        "{}",
        again.stdout
    );
}

#[test]
fn a_partial_or_unscored_run_does_not_pass_the_gate() {
    let ws = Workspace::example();
    let dir = ws.sb.path();
    let set = "billing-refunds";
    let ids: Vec<String> = exported(&ws, set, "inspect")
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_owned())
        .collect();
    // A cancelled log with one sample, passing.
    let log = json!({"status": "cancelled", "eval": {"eval_id": "E1", "run_id": "R", "created": "2026-11-22T01:00:00+00:00", "model": "mockllm/model"},
        "samples": [{"id": ids[0], "epoch": 1, "input": "x", "target": "y", "output": {"choices": [{"message": {"content": "y"}}]},
                     "scores": {"match": {"value": "C"}}}]});
    let f = write(&dir, "partial.json", &log.to_string());
    let run = ws.docket(&["run", "import", set, "inspect", s(&f)]).code(1);
    assert!(
        run.stderr.contains("status is \"cancelled\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("{} case(s) of {set}@v", ids.len() - 1)),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(&ids[1]), "{}", run.stderr);
    // Unscored samples count neither way; as failures to import they are skipped.
    let mut log2 = log.clone();
    log2["eval"]["eval_id"] = json!("E2");
    log2["status"] = json!("success");
    log2["samples"] = ids.iter().map(|id| json!({"id": id, "epoch": 1, "input": "x", "target": "y", "output": {"choices": [{"message": {"content": "z"}}]}})).collect();
    let f2 = write(&dir, "unscored.json", &log2.to_string());
    let run = ws
        .docket(&["import", "inspect", s(&f2), "--agent", "support-triage"])
        .ok();
    assert!(run.stdout.contains(&format!("created 0 failure case(s); skipped 0 duplicate(s); refused 0; ignored 0 passing sample(s); ignored {} unscored", ids.len())), "{}", run.stdout);
}

#[test]
fn export_writes_through_a_symlink_and_dash_is_stdout() {
    let ws = Workspace::example();
    let dir = ws.sb.path();
    let target = dir.join("real.jsonl");
    std::fs::write(&target, "old").unwrap();
    let link = dir.join("link.jsonl");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    ws.docket(&[
        "export",
        "billing-refunds",
        "--format",
        "inspect",
        "-o",
        s(&link),
    ])
    .ok();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with("{\"id\":"), "{text}");
    let stdout = ws
        .docket(&[
            "export",
            "billing-refunds",
            "--format",
            "inspect",
            "-o",
            "-",
        ])
        .ok()
        .stdout;
    assert_eq!(stdout, text);
}

#[test]
fn runner_to_docket_to_runner_from_the_cli() {
    // Import a real promptfoo run, triage and promote one of its failures,
    // export the set, record a run of it: the loop a reviewer drives.
    let ws = Workspace::example();
    let dir = ws.sb.path();
    let pf = fixture("promptfoo/results.json");
    ws.docket(&[
        "import",
        "promptfoo",
        s(&pf),
        "--agent",
        "support-triage",
        "--commit",
    ])
    .ok();
    let (id, case) = imported(&ws, "promptfoo-")
        .into_iter()
        .find(|(_, t)| t["summary"].as_str() == Some("Refund requested outside the 30-day window"))
        .unwrap();
    assert_eq!(case["status"].as_str(), Some("new"));
    ws.docket(&["tag", &id, "hallucinated-promise"]).ok();
    ws.docket(&["note", &id, "Same pattern as INC-2041."]).ok();
    let out = ws
        .docket(&["promote", &id, "billing-refunds", "--commit"])
        .ok()
        .stdout;
    assert!(out.contains("billing-refunds@v7"), "{out}");
    let lines = exported(&ws, "billing-refunds", "promptfoo");
    let promoted = lines
        .iter()
        .find(|l| l["metadata"]["docket_case"] == id.as_str())
        .expect("the promoted case is exported");
    assert_eq!(promoted["metadata"]["docket_set_version"], 7);
    // The runner's results: the promoted case fails again.
    let rows: Vec<Value> = lines
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let pass = t["metadata"]["docket_case"] != id.as_str();
            json!({"testIdx": i, "promptIdx": 0, "success": pass, "vars": t["vars"], "prompt": {"raw": t["vars"]["input"]},
                   "response": {"output": "ok"}, "testCase": t, "gradingResult": {"pass": pass, "reason": "r"}, "provider": {"id": "p", "label": "support-triage@3.5.0"}})
        })
        .collect();
    let results = write(&dir, "results.json", &json!({"evalId": "eval-x", "results": {"timestamp": "2026-11-23T09:00:00Z", "results": rows}}).to_string());
    let run = ws
        .docket(&[
            "run",
            "import",
            "billing-refunds",
            "promptfoo",
            s(&results),
            "--commit",
        ])
        .code(1);
    assert!(run.stderr.contains(&id), "{}", run.stderr);
    let show = ws.docket(&["show", "billing-refunds"]).ok().stdout;
    assert!(
        show.contains("2026-11-23  v7"),
        "the run is listed with the set: {show}"
    );
    assert_eq!(ws.status(), "");
}

#[test]
fn the_ways_out_the_messages_suggest_work() {
    let ws = Workspace::example();
    let dir = ws.sb.path();
    // "add it to the taxonomy in docket.toml first"
    let f = write(
        &dir,
        "tagged.jsonl",
        "{\"id\": \"p-9\", \"input\": \"q\", \"output\": \"a\", \"agent\": \"support-triage\", \"tags\": [\"brand-new\"]}\n",
    );
    let run = ws.docket(&["import", "jsonl", s(&f)]).code(2);
    assert!(
        run.stderr.contains(
            "tagged.jsonl:1: unknown tag \"brand-new\": add it to the taxonomy in docket.toml first"
        ),
        "{}",
        run.stderr
    );
    let config = ws.read("docket.toml");
    ws.write("docket.toml", format!("{config}\n[[tags]]\nname = \"brand-new\"\ndescription = \"A tag added for the import\"\n"));
    ws.docket(&["import", "jsonl", s(&f)]).ok();
    // "was the set exported with `docket export SET --format ...`?"
    let stray = write(&dir, "stray.json", &promptfoo_results().to_string());
    let run = ws
        .docket(&["run", "import", "billing-refunds", "promptfoo", s(&stray)])
        .code(2);
    assert!(
        run.stderr
            .contains("docket export billing-refunds --format"),
        "{}",
        run.stderr
    );
    let rows: Vec<Value> = exported(&ws, "billing-refunds", "promptfoo")
        .iter()
        .enumerate()
        .map(|(i, t)| {
            json!({"testIdx": i, "success": true, "vars": t["vars"], "prompt": {"raw": "x"}, "response": {"output": "y"}, "testCase": t})
        })
        .collect();
    let ok = write(
        &dir,
        "ok.json",
        &json!({"evalId": "e", "results": {"timestamp": "2026-11-23T01:00:00Z", "results": rows}})
            .to_string(),
    );
    ws.docket(&["run", "import", "billing-refunds", "promptfoo", s(&ok)])
        .ok();
}
