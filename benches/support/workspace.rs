//! The synthetic workspace behind the benchmarks, shared by
//! `examples/generate.rs` (the command) and the criterion benches (which
//! generate 10k cases into a temporary folder). Deterministic: the same
//! arguments give the same bytes, and with git the same commit ids.
//!
//! Cases arrive in time order over 24 month folders (ids grow with
//! `occurred_at`, as production failures do), each 1–4 KB: a conversation of
//! three to seven messages, an output, an expected answer and sometimes notes.
//!
//! With git, the workspace is committed as it is written, through one `git
//! fast-import` stream (a commit per `batch` cases): objects go straight into
//! a pack, so a million cases take one pass and a few GB, not a million loose
//! objects. The index is then built from HEAD (`git reset`), so `git status`
//! is clean and fast.

#![allow(clippy::cast_possible_truncation)] // random numbers reduced modulo small array lengths

use std::fmt::Write as _;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::{ChildStdin, Command, Stdio};

const TAGS: &[&str] = &[
    "hallucinated-promise",
    "policy-violation",
    "pii-leak",
    "tone",
    "wrong-tool",
];
const AGENTS: &[&str] = &["support-triage", "ci-triage", "dependency-bump"];
const SOURCES: &[&str] = &[
    "production",
    "production",
    "offline-eval",
    "red-team",
    "user-report",
];
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
    "renewal",
    "seat",
    "plan",
    "charge",
    "card",
    "runner",
    "deploy",
    "rollback",
    "changelog",
    "dependency",
    "annual",
    "support",
    "order",
    "shipment",
    "address",
    "password",
    "reset",
    "export",
    "report",
    "quota",
];
const FILLER: &[&str] = &[
    "the",
    "a",
    "my",
    "our",
    "your",
    "this",
    "that",
    "with",
    "after",
    "before",
    "since",
    "and",
    "but",
    "for",
    "on",
    "in",
    "was",
    "is",
    "not",
    "still",
    "again",
    "today",
    "yesterday",
    "last",
    "week",
    "month",
    "please",
    "can",
    "you",
    "check",
    "why",
    "it",
    "failed",
    "shows",
];
/// Fixed commit time of the first batch (2026-01-01T00:00:00Z); each later
/// batch is an hour on.
const EPOCH: u64 = 1_767_225_600;

/// xorshift64: tiny, fast and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    /// `words` words of text, a domain word every third one.
    fn sentence(&mut self, out: &mut String, words: usize) {
        for k in 0..words {
            if k > 0 {
                out.push(' ');
            }
            let w = if k % 3 == 1 {
                self.pick(WORDS)
            } else {
                self.pick(FILLER)
            };
            out.push_str(w);
        }
        out.push('.');
    }
}

/// The files every workspace has: config, runbooks, one set.
fn fixed_files() -> Vec<(String, String)> {
    let mut cfg = String::from("[workspace]\nname = \"bench\"\n\n[review]\ncadence_days = 14\n");
    for t in TAGS {
        let _ = write!(cfg, "\n[[tags]]\nname = \"{t}\"\ndescription = \"{t}\"\n");
    }
    let mut files = vec![("docket.toml".to_owned(), cfg)];
    for a in AGENTS {
        files.push((
            format!("runbooks/{a}.md"),
            format!(
                "+++\nid = \"{a}\"\ntitle = \"{a}\"\nstatus = \"draft\"\nautonomy = \"observe\"\neval_sets = [\"bench-set\"]\n+++\n## Purpose\n"
            ),
        ));
    }
    files.push((
        "evals/sets/bench-set/set.toml".to_owned(),
        "id = \"bench-set\"\ntitle = \"Bench\"\nowner = \"bench@example.com\"\nrunbook = \"support-triage\"\nversion = 1\nmin_pass_rate = 0.99\n".to_owned(),
    ));
    files
}

/// Case `i` of `n`: its path and text.
fn case(rng: &mut Rng, i: usize, n: usize) -> (String, String) {
    let month = i * 24 / n.max(1);
    let (year, m) = (2025 + month / 12, month % 12 + 1);
    let day = (i * 24 * 28 / n.max(1)) % 28 + 1;
    let (hh, mm) = (rng.below(24), rng.below(60));
    let agent = rng.pick(AGENTS);
    let id = format!("case-{i:07}");
    let mut t = String::with_capacity(4096);
    let _ = write!(
        t,
        "id = \"{id}\"\nagent = \"{agent}\"\nsource = \"{}\"\noccurred_at = {year}-{m:02}-{day:02}T{hh:02}:{mm:02}:00Z\n",
        rng.pick(SOURCES)
    );
    if rng.below(3) == 0 {
        let _ = writeln!(t, "incident = \"INC-{}\"", 1000 + rng.below(9000));
    }
    let _ = write!(
        t,
        "severity = \"sev{}\"\nstatus = \"new\"\nsummary = \"{} {} {} after {} {}\"\ntags = [\"{}\"]\n\n[input]\nmessages = [\n",
        rng.below(4) + 1,
        rng.pick(WORDS),
        rng.pick(WORDS),
        rng.pick(WORDS),
        rng.pick(WORDS),
        rng.pick(WORDS),
        rng.pick(TAGS)
    );
    let _ = writeln!(
        t,
        "  {{ role = \"system\", content = \"You are the {agent} agent of Northwind. You draft replies that a desk agent reviews and sends. Never promise an outcome you cannot perform; escalate anything outside policy to the on-call team. Tools: lookup_invoice, tag_ticket, open_incident.\" }},"
    );
    let turns = 2 + rng.below(5);
    for k in 0..turns {
        let role = match k % 3 {
            0 => "user",
            1 => "tool",
            _ => "assistant",
        };
        t.push_str("  { role = \"");
        t.push_str(role);
        t.push_str("\", content = \"");
        if role == "tool" {
            let _ = write!(
                t,
                "lookup_invoice(customer=\\\"c{}@example.com\\\") -> {{\\\"id\\\": \\\"in_{:x}\\\", \\\"amount_usd\\\": {}.00, \\\"status\\\": \\\"paid\\\"}}",
                rng.below(100_000),
                rng.next() & 0xff_ffff,
                rng.below(5000)
            );
        } else {
            let words = 12 + rng.below(60);
            rng.sentence(&mut t, words);
        }
        t.push_str("\" },\n");
    }
    t.push_str("]\n\n[output]\ncontent = \"\"\"\n");
    for _ in 0..=rng.below(3) {
        let words = 20 + rng.below(70);
        rng.sentence(&mut t, words);
        t.push_str("\n\n");
    }
    t.push_str("\"\"\"\n\n[expected]\ncontent = \"");
    let words = 15 + rng.below(50);
    rng.sentence(&mut t, words);
    t.push_str("\"\n");
    for _ in 0..rng.below(3) {
        let _ = write!(
            t,
            "\n[[notes]]\nauthor = \"reviewer{}@example.com\"\nat = {year}-{m:02}-{day:02}T18:00:00Z\ntext = \"",
            rng.below(8)
        );
        let words = 10 + rng.below(40);
        rng.sentence(&mut t, words);
        t.push_str("\"\n");
    }
    (format!("evals/failures/{year}-{m:02}/{id}.toml"), t)
}

/// A `git fast-import` process fed one commit per batch.
struct Importer {
    child: std::process::Child,
    out: BufWriter<ChildStdin>,
    commits: u64,
}

impl Importer {
    fn start(root: &Path) -> io::Result<Self> {
        git(root, &["init", "-q", "-b", "main"])?;
        git(root, &["config", "user.name", "Bench"])?;
        git(root, &["config", "user.email", "bench@example.com"])?;
        let mut child = Command::new("git")
            .args(["fast-import", "--quiet", "--done"])
            .current_dir(root)
            .stdin(Stdio::piped())
            .spawn()?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| io::Error::other("no stdin"))?;
        Ok(Self {
            child,
            out: BufWriter::with_capacity(1 << 20, stdin),
            commits: 0,
        })
    }

    fn begin(&mut self, message: &str) -> io::Result<()> {
        let when = EPOCH + self.commits * 3600;
        writeln!(self.out, "commit refs/heads/main")?;
        writeln!(self.out, "author Bench <bench@example.com> {when} +0000")?;
        writeln!(self.out, "committer Bench <bench@example.com> {when} +0000")?;
        writeln!(self.out, "data {}\n{message}", message.len())?;
        self.commits += 1;
        Ok(())
    }

    fn file(&mut self, path: &str, text: &str) -> io::Result<()> {
        writeln!(self.out, "M 100644 inline {path}")?;
        writeln!(self.out, "data {}", text.len())?;
        self.out.write_all(text.as_bytes())?;
        writeln!(self.out)
    }

    fn finish(mut self, root: &Path) -> io::Result<()> {
        writeln!(self.out, "done")?;
        self.out.flush()?;
        drop(self.out);
        let status = self.child.wait()?;
        if !status.success() {
            return Err(io::Error::other(format!("git fast-import: {status}")));
        }
        // The index from HEAD, with the stat data of the files just written.
        git(root, &["reset", "-q"])
    }
}

fn git(root: &Path, args: &[&str]) -> io::Result<()> {
    let status = Command::new("git").args(args).current_dir(root).status()?;
    if status.success() {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "git {}: {status}",
            args.join(" ")
        )))
    }
}

fn write_file(root: &Path, rel: &str, text: &str) -> io::Result<()> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

/// Writes `cases` cases (and the config, runbooks and a set) under `root`;
/// with `git`, also commits them, a commit per `batch` cases. Returns the
/// bytes of case text written.
pub fn generate(root: &Path, cases: usize, git: bool, batch: usize) -> io::Result<usize> {
    fs::create_dir_all(root)?;
    let mut importer = if git {
        Some(Importer::start(root)?)
    } else {
        None
    };
    if let Some(g) = &mut importer {
        g.begin("Workspace configuration, runbooks and the bench set")?;
    }
    for (rel, text) in fixed_files() {
        write_file(root, &rel, &text)?;
        if let Some(g) = &mut importer {
            g.file(&rel, &text)?;
        }
    }
    for month in 0..24 {
        let (year, m) = (2025 + month / 12, month % 12 + 1);
        fs::create_dir_all(root.join(format!("evals/failures/{year}-{m:02}")))?;
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut bytes = 0usize;
    let batch = batch.max(1);
    for i in 0..cases {
        if let Some(g) = &mut importer
            && i % batch == 0
        {
            let end = (i + batch).min(cases);
            g.begin(&format!("Failure cases {i}..{end}"))?;
        }
        let (rel, text) = case(&mut rng, i, cases);
        bytes += text.len();
        fs::write(root.join(&rel), &text)?;
        if let Some(g) = &mut importer {
            g.file(&rel, &text)?;
        }
    }
    if let Some(g) = importer {
        g.finish(root)?;
    }
    Ok(bytes)
}
