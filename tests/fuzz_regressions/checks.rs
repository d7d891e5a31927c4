//! The properties the fuzz targets in `fuzz/` check, shared with
//! `tests/fuzz_regressions.rs` so that every saved input runs exactly as the
//! fuzzer ran it. Each function takes the raw fuzz input and panics when a
//! property does not hold.
//!
//! - [`parse`]: any bytes as any workspace file: no panic, errors come back as
//!   one-line diagnostics on the file's path and within its lines.
//! - [`markdown`]: the detail pane's markdown and plain-text renderers at a
//!   few widths: no panic, no unsafe character in any span, `truncate` keeps
//!   to its width.
//! - [`sanitize`]: `line` and `block` leave no unsafe character (`block` keeps
//!   `\n`) and are idempotent.
//! - [`edit_ops`]: a failure case (a real one, a reformatted one, or raw
//!   text) through a sequence of tag, note, dismiss and promote: every
//!   successful op leaves a file that parses, changes only the keys the op
//!   owns, and changes them as documented.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)]

use docket::model::workspace::{self, Kind, Parsed};
use docket::model::{
    Config, Diagnostic, EvalSet, FailureCase, SetCase, ids, parse as mparse, time,
};
use docket::ops::{self, PromoteInput, SourceFile};
use docket::sanitize::{self, is_unsafe};
use docket::ui::theme::Theme;
use docket::ui::{text, wrap};
use ratatui::style::Style;
use std::fmt::Write as _;
use std::sync::OnceLock;
use toml::value::Datetime;
use toml::{Table, Value};
use unicode_width::UnicodeWidthStr;

// ---------------------------------------------------------------- parse

/// Input: a header line `K PATH` (K: `c` config, `r` runbook, `m` memo, `f`
/// failure, `s` set, `k` set case, `u` run; any other byte picks one by its
/// value), then the file's bytes.
pub fn parse(data: &[u8]) {
    let (header, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let kind_byte = header.first().copied().unwrap_or(0);
    let path = String::from_utf8_lossy(header.get(2..).unwrap_or_default()).into_owned();
    let lines = body.iter().filter(|&&b| b == b'\n').count() + 1;
    let kinds = [
        None,
        Some(Kind::Runbook),
        Some(Kind::Memo),
        Some(Kind::Failure),
        Some(Kind::Set),
        Some(Kind::SetCase),
        Some(Kind::Run),
    ];
    let kind = match kind_byte {
        b'c' => None,
        b'r' => Some(Kind::Runbook),
        b'm' => Some(Kind::Memo),
        b'f' => Some(Kind::Failure),
        b's' => Some(Kind::Set),
        b'k' => Some(Kind::SetCase),
        b'u' => Some(Kind::Run),
        b => kinds[usize::from(b) % kinds.len()],
    };
    let Some(kind) = kind else {
        let diags = match mparse::utf8(docket::model::config::FILE, body) {
            Err(d) => vec![d],
            Ok(text) => match Config::parse(text) {
                Ok((cfg, diags)) => {
                    for t in &cfg.tags {
                        assert!(ids::is_valid(&t.name), "kept a bad tag {:?}", t.name);
                    }
                    diags
                }
                Err(d) => vec![d],
            },
        };
        for d in &diags {
            check_diag(d, docket::model::config::FILE, lines);
        }
        return;
    };
    let (parsed, diags) = workspace::parse_file(kind, &path, body);
    for d in &diags {
        check_diag(d, &path, lines);
    }
    match parsed {
        None => assert!(!diags.is_empty(), "a refused file needs a diagnostic"),
        Some(Parsed::Failure(c)) => {
            assert_eq!(c.path, path);
            assert!(ids::is_valid(&c.id));
            let _ = c.haystack();
            let _ = time::unix_from_datetime(&c.occurred_at);
            let _ = time::day(&c.occurred_at);
        }
        Some(Parsed::Memo(m)) => {
            assert_eq!(m.path, path);
            for s in m.sections() {
                assert!(
                    s.line >= m.body_line && s.line <= lines,
                    "section {s:?} outside the file ({lines} lines)"
                );
            }
            let _ = m.haystack();
        }
        Some(Parsed::Runbook(r)) => {
            assert_eq!(r.path, path);
            let _ = r.haystack();
        }
        Some(Parsed::Set(s)) => {
            assert_eq!(s.path, path);
            let _ = s.haystack();
        }
        Some(Parsed::SetCase(c)) => assert_eq!(c.path, path),
        Some(Parsed::Run(r)) => {
            assert_eq!(r.path, path);
            let _ = r.pass_rate();
            let _ = time::unix_from_datetime(&r.at);
        }
    }
}

fn check_diag(d: &Diagnostic, path: &str, lines: usize) {
    assert_eq!(d.path, path, "{d:?}");
    assert!(
        d.line >= 1 && d.line <= lines,
        "line {} outside the file ({lines} lines): {d:?}",
        d.line
    );
    assert!(!d.message.trim().is_empty(), "empty message: {d:?}");
    assert!(
        !d.message.contains(['\n', '\r']),
        "a diagnostic is one line: {d:?}"
    );
}

// ---------------------------------------------------------------- markdown

/// Widths the detail pane may have, including ones below the renderer's
/// minimum of 8.
const WIDTHS: [usize; 6] = [0, 1, 9, 24, 80, 200];

/// Input: UTF-8 markdown (anything else is skipped).
pub fn markdown(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let theme = Theme::new(false);
    for width in WIDTHS {
        let lines = text::markdown(src, width, &theme);
        let spans = lines
            .iter()
            .flat_map(|l| l.spans.iter().map(|s| s.content.as_ref()));
        assert_safe(spans, "markdown", width);
        for indent in [0, 2] {
            let plain = wrap::plain(src, width, Style::default(), indent);
            let spans = plain
                .iter()
                .flat_map(|l| l.spans.iter().map(|s| s.content.as_ref()));
            assert_safe(spans, "plain", width);
        }
        for l in &lines {
            let s: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            let cut = wrap::truncate(&s, width);
            assert!(
                cut.width() <= width,
                "truncate({s:?}, {width}) = {cut:?} is {} columns",
                cut.width()
            );
        }
    }
}

fn assert_safe<'a>(spans: impl Iterator<Item = &'a str>, what: &str, width: usize) {
    for s in spans {
        assert!(
            !s.chars().any(is_unsafe),
            "{what} at width {width}: unsafe character in span {s:?}"
        );
    }
}

// ---------------------------------------------------------------- sanitize

/// Input: any bytes, decoded lossily as UTF-8.
pub fn sanitize(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let l = sanitize::line(&s);
    assert!(!l.chars().any(is_unsafe), "line({s:?}) = {l:?}");
    assert_eq!(sanitize::line(&l), l, "line is not idempotent on {s:?}");
    if !s.chars().any(is_unsafe) {
        assert_eq!(l, s, "line changed safe text");
    }
    let b = sanitize::block(&s);
    assert!(
        !b.chars().any(|c| c != '\n' && is_unsafe(c)),
        "block({s:?}) = {b:?}"
    );
    assert_eq!(sanitize::block(&b), b, "block is not idempotent on {s:?}");
    assert_eq!(
        b.matches('\n').count(),
        s.matches('\n').count(),
        "block must keep every line break of {s:?}"
    );
}

// ---------------------------------------------------------------- edit_ops

/// Real failure cases of the example workspace: new, triaged, promoted and
/// dismissed, with and without tags, notes and `[expected]`.
const BASES: [&str; 8] = [
    include_str!("../../evals/failures/2026-11/billing-tier1-0048.toml"),
    include_str!("../../evals/failures/2026-11/fpa-0022.toml"),
    include_str!("../../evals/failures/2026-11/billing-tier1-0054.toml"),
    include_str!("../../evals/failures/2026-10/ci-0084.toml"),
    include_str!("../../evals/failures/2026-11/fpa-0025.toml"),
    include_str!("../../evals/failures/2026-09/outbound-0024.toml"),
    include_str!("../../evals/failures/2026-10/fpa-0018.toml"),
    include_str!("../../evals/failures/2026-10/billing-tier1-0035.toml"),
];

const SETS: [(&str, &str); 2] = [
    (
        "evals/sets/billing-refunds/set.toml",
        include_str!("../../evals/sets/billing-refunds/set.toml"),
    ),
    (
        "evals/sets/outbound-compliance/set.toml",
        include_str!("../../evals/sets/outbound-compliance/set.toml"),
    ),
];

/// Set versions to try besides the file's own, up to the largest TOML
/// integer.
const VERSIONS: [i64; 4] = [0, 41, i64::MAX - 1, i64::MAX];

/// A tag that is not in the taxonomy (removing it is allowed).
const RETIRED: &str = "retired-tag";

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        Config::parse(include_str!("../../docket.toml"))
            .expect("the example docket.toml parses")
            .0
    })
}

/// Reads fuzz bytes as choices; past the end every read is zero.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }

    fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n
    }

    fn flag(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    fn bytes(&mut self, n: usize) -> &[u8] {
        let (a, b) = self.0.split_at(n.min(self.0.len()));
        self.0 = b;
        a
    }

    /// A string of up to 255 bytes.
    fn text(&mut self) -> String {
        let n = usize::from(self.byte());
        String::from_utf8_lossy(self.bytes(n)).into_owned()
    }

    /// A string of up to 64 KiB.
    fn long_text(&mut self) -> String {
        let n = usize::from(u16::from_le_bytes([self.byte(), self.byte()]));
        String::from_utf8_lossy(self.bytes(n)).into_owned()
    }

    /// "Now", as the store's clock gives it: the system time (a UTC datetime
    /// in years 1970-9999) or whatever `DOCKET_NOW` parses as.
    fn now(&mut self) -> Datetime {
        match self.below(3) {
            0 => {
                let b = self.bytes(5);
                let mut secs = 0_i64;
                for &x in b {
                    secs = secs << 8 | i64::from(x);
                }
                time::datetime_from_unix(secs % 253_402_300_800)
            }
            1 => time::parse(&self.text())
                .unwrap_or_else(|| time::parse("2026-11-10T10:05:00Z").unwrap()),
            _ => time::parse("2026-11-10T10:05:00Z").unwrap(),
        }
    }
}

/// Input: a choice of base case (a real one, a reformatting of one, or raw
/// text), then up to 8 ops, each a kind byte and its arguments.
pub fn edit_ops(data: &[u8]) {
    let mut r = Reader(data);
    let mode = r.below(BASES.len() + 2);
    let mut text = match BASES.get(mode) {
        Some(base) => (*base).to_owned(),
        None if mode == BASES.len() => {
            let base = BASES[r.below(BASES.len())];
            reformat(&vary(&toml::from_str(base).unwrap(), &mut r), &mut r)
        }
        None => r.long_text(),
    };
    let path = case_path(&text);
    for _ in 0..8 {
        if r.0.is_empty() {
            break;
        }
        if let Some(next) = one_op(&path, &text, &mut r) {
            text = next;
        }
    }
}

/// The path the case would be filed under: `id` and the month of
/// `occurred_at` when the text has them.
fn case_path(text: &str) -> String {
    let table: Option<Table> = toml::from_str(text).ok();
    let get = |k: &str| table.as_ref().and_then(|t| t.get(k));
    let id = get("id")
        .and_then(Value::as_str)
        .filter(|id| ids::is_valid(id))
        .unwrap_or("x");
    let month = get("occurred_at")
        .and_then(Value::as_datetime)
        .and_then(time::month_folder)
        .unwrap_or_else(|| "2026-11".to_owned());
    format!("evals/failures/{month}/{id}.toml")
}

fn tag_name(r: &mut Reader<'_>) -> String {
    let tags = &config().tags;
    let i = r.below(tags.len() + 1);
    tags.get(i)
        .map_or_else(|| RETIRED.to_owned(), |t| t.name.clone())
}

/// Runs one op on `text`; the new text when it succeeded and wrote.
fn one_op(path: &str, text: &str, r: &mut Reader<'_>) -> Option<String> {
    let file = SourceFile {
        path: path.to_owned(),
        text: text.to_owned(),
    };
    let before = FailureCase::parse(path, text).ok().map(|(c, _)| c);
    match r.below(4) {
        0 => {
            let add: Vec<String> = (0..r.below(4)).map(|_| tag_name(r)).collect();
            let remove: Vec<String> = (0..r.below(4)).map(|_| tag_name(r)).collect();
            let cs = ops::tag(config(), &file, &add, &remove).ok()?;
            let before = before.expect("tag succeeded on a case that does not parse");
            let mut want = before.tags.clone();
            want.retain(|t| !remove.contains(t));
            let removed: Vec<&String> = remove.iter().filter(|t| before.tags.contains(t)).collect();
            let mut added = false;
            for t in &add {
                if !want.contains(t) && !removed.contains(&t) {
                    want.push(t.clone());
                    added = true;
                }
            }
            if cs.writes.is_empty() {
                assert_eq!(want, before.tags, "tag wrote nothing but should have");
                return None;
            }
            let after = written(path, text, &cs.writes, &["tags", "status"]);
            assert_eq!(after.0.tags, want, "tags after +{add:?} -{remove:?}");
            let status = if added && before.status == docket::model::case::Status::New {
                docket::model::case::Status::Triaged
            } else {
                before.status
            };
            assert_eq!(after.0.status, status);
            Some(after.1)
        }
        1 => {
            let (author, note, at) = (r.text(), r.text(), r.now());
            let cs = ops::note(&file, &author, &at, &note).ok()?;
            let before = before.expect("note succeeded on a case that does not parse");
            let (after, out) = written(path, text, &cs.writes, &["notes"]);
            assert_eq!(after.notes.len(), before.notes.len() + 1, "{out}");
            for (a, b) in before.notes.iter().zip(&after.notes) {
                assert_eq!(
                    (&a.author, &a.at, &a.text),
                    (&b.author, &b.at, &b.text),
                    "a note was rewritten:\n{out}"
                );
            }
            let last = after.notes.last().unwrap();
            assert_eq!((&last.author, &last.at, &last.text), (&author, &at, &note));
            Some(out)
        }
        2 => {
            let (by, reason, at) = (r.text(), r.text(), r.now());
            let cs = ops::dismiss(&file, &by, &at, &reason).ok()?;
            let (after, out) = written(path, text, &cs.writes, &["status", "dismissal"]);
            assert_eq!(after.status, docket::model::case::Status::Dismissed);
            let d = after.dismissal.expect("a dismissal table");
            assert_eq!((&d.reason, &d.by, &d.at), (&reason, &by, &at), "{out}");
            Some(out)
        }
        _ => promote_op(&file, r),
    }
}

fn promote_op(file: &SourceFile, r: &mut Reader<'_>) -> Option<String> {
    let (set_path, set_text) = SETS[r.below(SETS.len())];
    let set_text = match r.below(VERSIONS.len() + 1) {
        0 => set_text.to_owned(),
        i => set_text
            .lines()
            .map(|l| {
                if l.starts_with("version") {
                    format!("version = {}\n", VERSIONS[i - 1])
                } else {
                    format!("{l}\n")
                }
            })
            .collect(),
    };
    let set = SourceFile {
        path: set_path.to_owned(),
        text: set_text,
    };
    let (set_case_exists, already_bumped) = (r.below(8) == 0, r.flag());
    let (by, at) = (r.text(), r.now());
    let blob_id = |t: &str| format!("{:040x}", t.len());
    let cs = ops::promote(&PromoteInput {
        case: file,
        set: &set,
        set_case_exists,
        blob_id: &blob_id,
        by: &by,
        at: &at,
        already_bumped,
    })
    .ok()?;
    let (before, _) = FailureCase::parse(&file.path, &file.text)
        .expect("promote succeeded on a case that does not parse");
    let (eval_set, _) = EvalSet::parse(&set.path, &set.text).unwrap();
    let version = if already_bumped {
        eval_set.version
    } else {
        eval_set.version + 1
    };
    let (after, out) = written(&file.path, &file.text, &cs.writes, &["status", "promotion"]);
    assert_eq!(after.status, docket::model::case::Status::Promoted);
    let p = after.promotion.expect("a promotion table");
    assert_eq!(
        (&p.set, p.version, &p.by, &p.at),
        (&eval_set.id, version, &by, &at),
        "{out}"
    );

    // The set's copy: the failure's input and expected as they were, tags,
    // provenance.
    let case_path = format!("evals/sets/{}/cases/{}.toml", eval_set.id, before.id);
    let copy = cs
        .writes
        .iter()
        .find(|w| w.path == case_path)
        .expect("promote writes the set's case");
    let (sc, _) = SetCase::parse(&copy.path, &copy.contents)
        .unwrap_or_else(|d| panic!("the set case does not parse: {d}\n{}", copy.contents));
    assert_eq!(sc.tags, before.tags);
    let old: Table = toml::from_str(&file.text).unwrap();
    let new: Table = toml::from_str(&copy.contents).unwrap();
    for key in ["input", "expected"] {
        assert!(
            same_opt(old.get(key), new.get(key)),
            "[{key}] differs in the set case:\n{}",
            copy.contents
        );
    }
    let prov = sc.provenance.expect("provenance");
    assert_eq!(prov.failure, file.path);
    assert_eq!(prov.failure_blob, blob_id(&out));
    assert_eq!(prov.incident, before.incident);
    assert_eq!((&prov.promoted_by, &prov.promoted_at), (&by, &at));
    assert_eq!(prov.added_in_version, version);

    // The set: only its version moves, and only once per commit.
    let set_write = cs.writes.iter().find(|w| w.path == set.path);
    assert_eq!(set_write.is_some(), !already_bumped);
    if let Some(w) = set_write {
        let (s, _) = EvalSet::parse(&w.path, &w.contents)
            .unwrap_or_else(|d| panic!("the set does not parse: {d}\n{}", w.contents));
        assert_eq!(s.version, version, "{}", w.contents);
        let old: Table = toml::from_str(&set.text).unwrap();
        let new: Table = toml::from_str(&w.contents).unwrap();
        assert!(same_table(&old, &new, &["version"]), "{}", w.contents);
    }
    Some(out)
}

/// The op's write of the case at `path`: it parses, and the file differs
/// from `before` only in `touched` top-level keys.
fn written(
    path: &str,
    before: &str,
    writes: &[ops::FileWrite],
    touched: &[&str],
) -> (FailureCase, String) {
    let w = writes
        .iter()
        .find(|w| w.path == path)
        .expect("the op writes the case");
    let (case, _) = FailureCase::parse(path, &w.contents).unwrap_or_else(|d| {
        panic!(
            "the written case does not parse: {d}\n--- before\n{before}\n--- after\n{}",
            w.contents
        )
    });
    let old: Table = toml::from_str(before).unwrap();
    let new: Table = toml::from_str(&w.contents).unwrap();
    assert!(
        same_table(&old, &new, touched),
        "keys other than {touched:?} changed:\n--- before\n{before}\n--- after\n{}",
        w.contents
    );
    (case, w.contents.clone())
}

/// Equality of TOML values, with every NaN equal to every NaN.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => {
            x.to_bits() == y.to_bits() || x.is_nan() && y.is_nan()
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Table(x), Value::Table(y)) => same_table(x, y, &[]),
        _ => a == b,
    }
}

fn same_opt(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// Equality of two tables ignoring the keys in `skip`.
fn same_table(a: &Table, b: &Table, skip: &[&str]) -> bool {
    let keys = |t: &Table| -> Vec<String> {
        let mut k: Vec<String> = t
            .keys()
            .filter(|k| !skip.contains(&k.as_str()))
            .cloned()
            .collect();
        k.sort();
        k
    };
    keys(a) == keys(b) && keys(a).iter().all(|k| same_opt(a.get(k), b.get(k)))
}

// ------------------------------------------------- reformatting a case

/// The case with its status possibly changed and optional keys gone or
/// added: tags, notes, expected, a promotion or a dismissal (valid or not
/// for the status), unknown keys and tables.
fn vary(case: &Table, r: &mut Reader<'_>) -> Table {
    let mut t = case.clone();
    if let Some(s) = ["new", "triaged", "promoted", "dismissed"].get(r.below(6)) {
        t.insert("status".into(), Value::String((*s).into()));
    }
    for key in [
        "tags",
        "notes",
        "expected",
        "promotion",
        "dismissal",
        "incident",
        "severity",
    ] {
        if r.below(5) == 0 {
            t.remove(key);
        }
    }
    let at = Value::Datetime(time::parse("2026-11-01T09:00:00Z").unwrap());
    let mut extra = |key: &str, fields: &[(&str, Value)], r: &mut Reader<'_>| {
        if !t.contains_key(key) && r.below(4) == 0 {
            let table: Table = fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect();
            t.insert(key.into(), Value::Table(table));
        }
    };
    extra(
        "promotion",
        &[
            ("set", Value::String("billing-refunds".into())),
            ("version", Value::Integer(3)),
            ("by", Value::String("a@x".into())),
            ("at", at.clone()),
        ],
        r,
    );
    extra(
        "dismissal",
        &[
            ("reason", Value::String("dup".into())),
            ("by", Value::String("a@x".into())),
            ("at", at.clone()),
            ("ticket", Value::Integer(7)),
        ],
        r,
    );
    extra(
        "trace",
        &[("url", Value::String("https://traces.example/1".into()))],
        r,
    );
    if r.below(4) == 0 {
        t.insert("tags".into(), Value::Array(Vec::new()));
    }
    if r.below(4) == 0 {
        t.insert("notes".into(), Value::Array(Vec::new()));
    }
    if r.below(4) == 0 {
        t.insert(
            "x_unknown".into(),
            Value::String("kept # not a comment".into()),
        );
    }
    t
}

/// Writes `case` back as TOML in one of the many shapes a person may give
/// it: keys bare or quoted, strings basic, literal or multi-line, arrays on
/// one line or many with comments, tables as headers, inline or dotted keys,
/// notes as `[[notes]]` or an inline array, keys in another order, CRLF
/// line ends, a BOM.
fn reformat(t: &Table, r: &mut Reader<'_>) -> String {
    let mut root: Vec<String> = Vec::new();
    let mut blocks: Vec<String> = Vec::new();
    for (k, v) in t {
        let key = key(k, r);
        match v {
            Value::Table(sub) => match r.below(3) {
                0 => blocks.push(header_table(&key, sub, r)),
                1 => root.push(format!("{key} = {}", inline_table(sub, r))),
                _ => {
                    for (sk, sv) in sub {
                        let sk = self::key(sk, r);
                        root.push(format!("{key}.{sk} = {}", value(sv, r)));
                    }
                }
            },
            Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_table) && r.flag() => {
                for item in a {
                    let Value::Table(item) = item else { continue };
                    blocks.push(header_table(&format!("[{key}]"), item, r));
                }
            }
            _ => root.push(format!("{key} = {}", value(v, r))),
        }
    }
    for lines in [&mut root, &mut blocks] {
        for _ in 0..r.below(4) {
            let (i, j) = (r.below(lines.len().max(1)), r.below(lines.len().max(1)));
            if i < lines.len() && j < lines.len() {
                lines.swap(i, j);
            }
        }
    }
    let mut out = String::new();
    if r.below(8) == 0 {
        out.push('\u{feff}');
    }
    if r.flag() {
        out.push_str("# A failure case.\n\n");
    }
    for l in &root {
        out.push_str(l);
        out.push_str(comment(r));
        out.push('\n');
    }
    for b in &blocks {
        out.push('\n');
        out.push_str(b);
    }
    if r.below(4) == 0 {
        out = out.replace('\n', "\r\n");
    }
    if r.below(4) == 0 {
        out.truncate(out.trim_end().len());
    }
    out
}

fn comment(r: &mut Reader<'_>) -> &'static str {
    ["", "", " # why", "\t#", " # ]\"'"][r.below(5)]
}

fn key(k: &str, r: &mut Reader<'_>) -> String {
    let bare = !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    match r.below(4) {
        1 => basic(k),
        2 if !k.contains(['\'', '\n', '\r']) => format!("'{k}'"),
        _ if bare => k.to_owned(),
        _ => basic(k),
    }
}

/// A `[key]` (or `[[key]]`, `key` given as `[key]`) section.
fn header_table(key: &str, t: &Table, r: &mut Reader<'_>) -> String {
    let mut out = format!("[{key}]{}\n", comment(r));
    let mut subs = Vec::new();
    for (k, v) in t {
        let k = self::key(k, r);
        match v {
            Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_table) && r.flag() => {
                for item in a {
                    let Value::Table(item) = item else { continue };
                    subs.push(header_table(&format!("[{key}.{k}]"), item, r));
                }
            }
            _ => {
                let _ = writeln!(out, "{k} = {}{}", value(v, r), comment(r));
            }
        }
    }
    for s in subs {
        out.push('\n');
        out.push_str(&s);
    }
    out.push('\n');
    out
}

fn inline_table(t: &Table, r: &mut Reader<'_>) -> String {
    let fields: Vec<String> = t
        .iter()
        .map(|(k, v)| format!("{} = {}", key(k, r), value(v, r)))
        .collect();
    if fields.is_empty() {
        "{}".to_owned()
    } else {
        format!("{{ {} }}", fields.join(", "))
    }
}

fn value(v: &Value, r: &mut Reader<'_>) -> String {
    match v {
        Value::String(s) => string(s, r),
        Value::Table(t) => inline_table(t, r),
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(|v| value(v, r)).collect();
            match r.below(3) {
                0 => format!("[{}]", items.join(", ")),
                1 => {
                    let mut out = String::from("[\n");
                    for i in &items {
                        let _ = writeln!(out, "  {i},{}", comment(r));
                    }
                    out.push(']');
                    out
                }
                _ => {
                    let mut out = String::from("[");
                    for (n, i) in items.iter().enumerate() {
                        let sep = if n + 1 == items.len() { "" } else { "," };
                        let _ = write!(out, "\n    # item {n}\n    {i}{sep}");
                    }
                    out.push_str("\n]");
                    out
                }
            }
        }
        other => other.to_string(),
    }
}

fn string(s: &str, r: &mut Reader<'_>) -> String {
    let plain = |c: char| c == '\t' || !c.is_control();
    match r.below(4) {
        1 if !s.contains('\'') && s.chars().all(plain) => format!("'{s}'"),
        2 if !s.contains('\'') && s.chars().all(|c| c == '\n' || plain(c)) => {
            format!("'''\n{s}'''")
        }
        3 => {
            let mut out = String::from("\"\"\"\n");
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push('\n'),
                    c if plain(c) => out.push(c),
                    c => {
                        let _ = write!(out, "\\u{:04X}", u32::from(c));
                    }
                }
            }
            out.push_str("\"\"\"");
            out
        }
        _ => basic(s),
    }
}

fn basic(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c == '\t' || !c.is_control() => out.push(c),
            c => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
        }
    }
    out.push('"');
    out
}
