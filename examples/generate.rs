//! Generates a large synthetic workspace for benchmarks:
//! `cargo run --release --example generate -- DIR [CASES]` (default 100000).
//!
//! Cases are spread over 24 month folders, with a two-turn conversation, an
//! output and an expected answer each, so file sizes resemble real ones.

#![allow(clippy::cast_possible_truncation)] // random numbers reduced modulo small array lengths

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const TAGS: &[&str] = &[
    "hallucinated-promise",
    "policy-violation",
    "pii-leak",
    "tone",
    "wrong-tool",
];
const AGENTS: &[&str] = &["support-triage", "ci-triage", "dependency-bump"];
const WORDS: &[&str] = &[
    "refund",
    "invoice",
    "policy",
    "window",
    "escalation",
    "customer",
    "billing",
    "flaky",
    "timeout",
    "upgrade",
    "major",
    "version",
    "promise",
    "account",
    "credit",
    "ticket",
    "pipeline",
    "cache",
    "lockfile",
    "regression",
];

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "bench-workspace".to_owned());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let root = Path::new(&dir);
    fs::create_dir_all(root.join("runbooks"))?;
    fs::create_dir_all(root.join("memos"))?;
    fs::create_dir_all(root.join("evals/sets/bench-set/cases"))?;
    let mut cfg = String::from("[workspace]\nname = \"bench\"\n\n[review]\ncadence_days = 14\n");
    for t in TAGS {
        let _ = write!(cfg, "\n[[tags]]\nname = \"{t}\"\ndescription = \"{t}\"\n");
    }
    fs::write(root.join("docket.toml"), cfg)?;
    for a in AGENTS {
        fs::write(
            root.join(format!("runbooks/{a}.md")),
            format!(
                "+++\nid = \"{a}\"\ntitle = \"{a}\"\nstatus = \"draft\"\nautonomy = \"observe\"\neval_sets = [\"bench-set\"]\n+++\n## Purpose\n"
            ),
        )?;
    }
    fs::write(
        root.join("evals/sets/bench-set/set.toml"),
        "id = \"bench-set\"\ntitle = \"Bench\"\nowner = \"bench@example.com\"\nrunbook = \"support-triage\"\nversion = 1\nmin_pass_rate = 0.99\n",
    )?;
    for month in 0..24 {
        fs::create_dir_all(root.join(format!(
            "evals/failures/{}-{:02}",
            2025 + month / 12,
            month % 12 + 1
        )))?;
    }
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..n {
        let r = next();
        let month = (r % 24) as u32;
        let (year, m) = (2025 + month / 12, month % 12 + 1);
        let day = (r >> 8) % 28 + 1;
        let folder = format!("evals/failures/{year}-{m:02}");
        let agent = AGENTS[(r >> 16) as usize % AGENTS.len()];
        let tag = TAGS[(r >> 20) as usize % TAGS.len()];
        let w = |k: u64| WORDS[((r >> k) % WORDS.len() as u64) as usize];
        let id = format!("case-{i:07}");
        let text = format!(
            "id = \"{id}\"\nagent = \"{agent}\"\nsource = \"production\"\noccurred_at = {year}-{m:02}-{day:02}T10:00:00Z\nseverity = \"sev{}\"\nstatus = \"new\"\nsummary = \"{} {} {} after {} {}\"\ntags = [\"{tag}\"]\n\n[input]\nmessages = [\n  {{ role = \"system\", content = \"You are the {agent} agent.\" }},\n  {{ role = \"user\", content = \"My {} {} is wrong, can you fix the {}?\" }},\n]\n\n[output]\ncontent = \"\"\"Sure, I've applied a {} {} to your {}.\"\"\"\n\n[expected]\ncontent = \"Explain the {} and escalate to a human.\"\n",
            (r >> 24) % 4 + 1,
            w(28),
            w(32),
            w(36),
            w(40),
            w(44),
            w(30),
            w(34),
            w(38),
            w(42),
            w(46),
            w(48),
            w(50)
        );
        fs::write(root.join(format!("{folder}/{id}.toml")), text)?;
    }
    println!("generated {n} cases in {dir}");
    Ok(())
}
