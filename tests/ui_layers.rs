#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The shape of `src/ui`, checked: every file is read, the modules it names
//! (`super::x`, `self::x`, `crate::ui::x`, `use` trees with braces, and the
//! child modules a file declares) become edges of a module graph, and the
//! test fails on
//!
//! - an import cycle between files (`a` → `b` → `a`, however long),
//! - an arrow that runs up or sideways between the UI's top-level modules
//!   (the layers below: `state` ← `update` ← `runtime`, `view` reading
//!   `state` and leaf helpers only),
//! - a `pub use` re-export (import a thing from where it is defined),
//! - a file over [`MAX_LINES`] lines.
//!
//! Comments and string literals are skipped, so a doc comment that names
//! a module is not an import. An inline `mod tests { … }` is its own
//! module: its `super::*` is the file it sits in.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const MAX_LINES: usize = 400;

/// The top-level modules of `src/ui`, lowest layer first. A module may
/// import modules of lower layers only; a new module must be placed here.
const LAYERS: &[&[&str]] = &[
    // Leaves: no import from the UI at all.
    &[
        "action", "ages", "items", "layout", "stats", "theme", "wrap",
    ],
    // Helpers over the leaves.
    &["keymap", "text"],
    // Plain data.
    &["state"],
    // Read the state: messages and effects, the detail pane's lines, the
    // screens.
    &["msg", "detail", "view"],
    // Every state change, pure.
    &["update"],
    // Threads, channels, the terminal and files.
    &["runtime"],
];

/// A file of `src/ui` as a module path (`update::filter`; `update` for
/// `update/mod.rs`) and its text.
struct File {
    module: Vec<String>,
    text: String,
}

fn read_ui() -> Vec<File> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    let mut out = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let rel = path.strip_prefix(&root).unwrap().with_extension("");
            let mut module: Vec<String> = rel
                .iter()
                .map(|c| c.to_string_lossy().into_owned())
                .collect();
            if module.last().map(String::as_str) == Some("mod") {
                module.pop();
            }
            out.push(File {
                module,
                text: std::fs::read_to_string(&path).unwrap(),
            });
        }
    }
    out.sort_by(|a, b| a.module.cmp(&b.module));
    out
}

/// The text with comments, string and character literals blanked out
/// (newlines kept, so line numbers and braces stay where they were).
fn code_only(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let blank = |out: &mut String, ch: char| out.push(if ch == '\n' { '\n' } else { ' ' });
    while i < c.len() {
        let next = c.get(i + 1).copied();
        if c[i] == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                blank(&mut out, c[i]);
                i += 1;
            }
        } else if c[i] == '/' && next == Some('*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    blank(&mut out, c[i]);
                    i += 1;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    blank(&mut out, c[i]);
                    i += 1;
                    if depth == 0 {
                        blank(&mut out, c[i]);
                        i += 1;
                        break;
                    }
                }
                blank(&mut out, c[i]);
                i += 1;
            }
        } else if c[i] == 'r'
            && (next == Some('"') || next == Some('#'))
            && !c[..i]
                .last()
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while c.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if c.get(j) != Some(&'"') {
                out.push(c[i]);
                i += 1;
                continue;
            }
            j += 1;
            while j < c.len() {
                if c[j] == '"' && (1..=hashes).all(|h| c.get(j + h) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            for &ch in &c[i..j.min(c.len())] {
                blank(&mut out, ch);
            }
            i = j;
        } else if c[i] == '"' {
            blank(&mut out, c[i]);
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    blank(&mut out, c[i]);
                    i += 1;
                }
                if i < c.len() {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
            if i < c.len() {
                blank(&mut out, c[i]);
                i += 1;
            }
        } else if c[i] == '\''
            && (next == Some('\\') || (c.get(i + 2) == Some(&'\'') && next != Some('\'')))
        {
            // A character literal ('{', '\n'); a lifetime ('a) is code.
            let end = (i + 1..c.len())
                .find(|&j| c[j] == '\'' && (c[j - 1] != '\\' || c[j - 2] == '\\'))
                .unwrap_or(c.len() - 1);
            for &ch in &c[i..=end] {
                blank(&mut out, ch);
            }
            i = end + 1;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

fn is_ident(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_'
}

/// Parses a path tree at `i` (`a::b::{c, d::e}`) into its full paths;
/// returns them and where the tree ends.
fn path_tree(c: &[char], mut i: usize) -> (Vec<Vec<String>>, usize) {
    let skip_ws = |i: &mut usize| {
        while *i < c.len() && c[*i].is_whitespace() {
            *i += 1;
        }
    };
    let mut prefix: Vec<String> = Vec::new();
    loop {
        skip_ws(&mut i);
        if c.get(i) == Some(&'{') {
            i += 1;
            let mut out = Vec::new();
            loop {
                skip_ws(&mut i);
                match c.get(i) {
                    Some('}') => {
                        i += 1;
                        break;
                    }
                    Some(',') => i += 1,
                    None => break,
                    _ => {
                        let (paths, end) = path_tree(c, i);
                        if end == i {
                            i += 1;
                        }
                        i = end.max(i);
                        for p in paths {
                            let mut full = prefix.clone();
                            // `{self, …}` names the prefix itself.
                            if p != ["self"] {
                                full.extend(p);
                            }
                            out.push(full);
                        }
                    }
                }
            }
            return (out, i);
        }
        let start = i;
        while i < c.len() && (is_ident(c[i]) || c[i] == '*') {
            i += 1;
        }
        if i == start {
            return (
                vec![prefix].into_iter().filter(|p| !p.is_empty()).collect(),
                i,
            );
        }
        prefix.push(c[start..i].iter().collect());
        let mut j = i;
        skip_ws(&mut j);
        if c.get(j) == Some(&':') && c.get(j + 1) == Some(&':') {
            i = j + 2;
        } else {
            return (vec![prefix], i);
        }
    }
}

/// Every module path a file names, as written, each with the module it is
/// written in (an inline `mod tests` is a module of its own).
fn named_paths(file: &File) -> Vec<(Vec<String>, Vec<String>)> {
    let code = code_only(&file.text);
    let c: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    // The inline modules open at this point: (name, brace depth inside).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let word_at = |i: usize, w: &str| {
        let w: Vec<char> = w.chars().collect();
        c[i..].starts_with(&w) && c.get(i + w.len()).is_none_or(|ch| !is_ident(*ch))
    };
    while i < c.len() {
        match c[i] {
            '{' => {
                depth += 1;
                i += 1;
                continue;
            }
            '}' => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
                i += 1;
                continue;
            }
            _ => {}
        }
        let starts_word = is_ident(c[i])
            && !c[..i].last().is_some_and(|p| is_ident(*p))
            && !(i >= 2 && c[i - 1] == ':' && c[i - 2] == ':');
        if !starts_word {
            i += 1;
            continue;
        }
        if word_at(i, "mod") {
            // `mod name {` opens an inline module; `mod name;` declares a
            // child file (an edge only where the child is used).
            let (name, end) = path_tree(&c, i + 3);
            let mut j = end;
            while j < c.len() && c[j].is_whitespace() {
                j += 1;
            }
            if c.get(j) == Some(&'{')
                && let Some(n) = name.first().and_then(|p| p.first())
            {
                inline.push((n.clone(), depth + 1));
            }
            i = end.max(i + 3);
            continue;
        }
        let (paths, end) = path_tree(&c, i);
        let mut here = file.module.clone();
        here.extend(inline.iter().map(|(n, _)| n.clone()));
        for p in paths.into_iter().filter(|p| p.len() > 1) {
            out.push((here.clone(), p));
        }
        i = end.max(i + 1);
    }
    out
}

/// The child modules a file declares (`mod list;`, `pub mod state;`).
fn children(file: &File) -> BTreeSet<String> {
    let code = code_only(&file.text);
    code.lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            let l = l.strip_prefix("pub(crate) ").unwrap_or(l);
            l.strip_prefix("mod ")?.strip_suffix(';').map(str::to_owned)
        })
        .collect()
}

/// The file a path written in module `here` names: the longest prefix that
/// is a file of `src/ui`, else the module it starts from.
fn resolve(
    files: &BTreeSet<Vec<String>>,
    file: &File,
    kids: &BTreeSet<String>,
    here: &[String],
    path: &[String],
) -> Option<Vec<String>> {
    let (mut base, rest): (Vec<String>, &[String]) = match path[0].as_str() {
        "crate" if path.get(1).map(String::as_str) == Some("ui") => (Vec::new(), &path[2..]),
        "self" => (here.to_vec(), &path[1..]),
        "super" => {
            let ups = path.iter().take_while(|s| *s == "super").count();
            let mut base = here.to_vec();
            for _ in 0..ups {
                base.pop()?;
            }
            (base, &path[ups..])
        }
        first if here == file.module && kids.contains(first) => (file.module.clone(), path),
        _ => return None,
    };
    // Inline modules are part of their file.
    while !base.is_empty() && !files.contains(&base) {
        base.pop();
    }
    let mut best = base.clone();
    for seg in rest {
        base.push(seg.clone());
        if files.contains(&base) {
            best = base.clone();
        }
    }
    (!best.is_empty()).then_some(best)
}

/// The module graph: file → the files it imports.
fn graph(files: &[File]) -> BTreeMap<String, BTreeSet<String>> {
    let known: BTreeSet<Vec<String>> = files.iter().map(|f| f.module.clone()).collect();
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let kids = children(f);
        let from = f.module.join("::");
        let edges = g.entry(from.clone()).or_default();
        for (here, path) in named_paths(f) {
            if let Some(to) = resolve(&known, f, &kids, &here, &path) {
                let to = to.join("::");
                if to != from {
                    edges.insert(to);
                }
            }
        }
    }
    g
}

/// Every cycle found by a depth-first walk, each as `a -> b -> a`.
fn cycles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    fn walk<'g>(
        n: &'g str,
        g: &'g BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'g str>,
        done: &mut BTreeSet<&'g str>,
        found: &mut Vec<String>,
    ) {
        if let Some(at) = path.iter().position(|p| *p == n) {
            let mut cycle = path[at..].to_vec();
            cycle.push(n);
            found.push(cycle.join(" -> "));
            return;
        }
        if done.contains(n) {
            return;
        }
        path.push(n);
        for m in g.get(n).into_iter().flatten() {
            walk(m, g, path, done, found);
        }
        path.pop();
        done.insert(n);
    }
    let mut found = Vec::new();
    let mut done = BTreeSet::new();
    for n in g.keys() {
        walk(n, g, &mut Vec::new(), &mut done, &mut found);
    }
    found
}

/// The arrows between top-level modules that do not point to a lower layer.
fn layer_breaks(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let rank = |m: &str| LAYERS.iter().position(|l| l.contains(&m));
    let top = |m: &str| m.split("::").next().unwrap_or_default().to_owned();
    let mut out = BTreeSet::new();
    for (from, tos) in g {
        let f = top(from);
        if f.is_empty() {
            continue;
        }
        let Some(rf) = rank(&f) else {
            out.insert(format!("{f} is in no layer: add it to LAYERS"));
            continue;
        };
        for to in tos {
            let t = top(to);
            if t == f || t.is_empty() {
                continue;
            }
            match rank(&t) {
                Some(rt) if rt < rf => {}
                _ => {
                    out.insert(format!("{from} imports {to}: {t} is not below {f}"));
                }
            }
        }
    }
    out.into_iter().collect()
}

#[test]
fn the_ui_imports_one_way() {
    let files = read_ui();
    assert!(files.len() > 20, "read src/ui");
    let g = graph(&files);
    let found = cycles(&g);
    assert!(
        found.is_empty(),
        "import cycles in src/ui:\n  {}",
        found.join("\n  ")
    );
    let breaks = layer_breaks(&g);
    assert!(
        breaks.is_empty(),
        "arrows against the layers of src/ui:\n  {}",
        breaks.join("\n  ")
    );
}

#[test]
fn no_file_of_the_ui_is_over_the_limit() {
    let long: Vec<String> = read_ui()
        .iter()
        .map(|f| (f.module.join("::"), f.text.lines().count()))
        .filter(|(_, n)| *n > MAX_LINES)
        .map(|(m, n)| format!("{m}: {n} lines"))
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines:\n  {}",
        long.join("\n  ")
    );
}

#[test]
fn the_ui_re_exports_nothing() {
    let found: Vec<String> = read_ui()
        .iter()
        .filter(|f| {
            code_only(&f.text)
                .lines()
                .any(|l| l.trim_start().starts_with("pub use ") || l.contains(") use "))
        })
        .map(|f| f.module.join("::"))
        .collect();
    assert!(found.is_empty(), "re-exports in: {found:?}");
}

/// The checker itself can fail: a cycle through a `use` tree, a child used
/// by its parent that uses the parent back, and an arrow up a layer.
#[test]
fn the_checker_sees_cycles_and_arrows_up() {
    let file = |m: &str, text: &str| File {
        module: m.split("::").map(str::to_owned).collect(),
        text: text.to_owned(),
    };
    let files = [
        file("state", "use super::{items::View, update};\n"),
        file("items", "// super::state in a comment is no import\n"),
        file(
            "update",
            "mod filter;\nfn f() { filter::refilter(); }\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n",
        ),
        file(
            "update::filter",
            "use super::super::state::AppState;\nuse super::f;\n",
        ),
        file("view", "use crate::ui::{state, update::filter};\n"),
    ];
    let g = graph(&files);
    assert_eq!(
        g["state"],
        BTreeSet::from(["items".to_owned(), "update".to_owned()])
    );
    assert!(g["items"].is_empty());
    assert_eq!(g["update"], BTreeSet::from(["update::filter".to_owned()]));
    let found = cycles(&g);
    assert!(
        found.contains(&"update -> update::filter -> update".to_owned()),
        "{found:?}"
    );
    assert!(
        found.iter().any(|c| c.contains("state -> update")),
        "{found:?}"
    );
    let breaks = layer_breaks(&g);
    assert!(
        breaks.contains(&"state imports update: update is not below state".to_owned()),
        "{breaks:?}"
    );
    assert!(
        breaks.contains(&"view imports update::filter: update is not below view".to_owned()),
        "{breaks:?}"
    );
}

/// `cargo test --test ui_layers -- --ignored --nocapture`: the graph, by
/// top-level module and by file, for a reader (or a review) to see.
#[test]
#[ignore = "prints the module graph; asserts nothing"]
fn print_the_module_graph() {
    let g = graph(&read_ui());
    let top = |m: &str| m.split("::").next().unwrap_or_default().to_owned();
    let mut tops: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in &g {
        let e = tops.entry(top(from)).or_default();
        e.extend(tos.iter().map(|t| top(t)).filter(|t| *t != top(from)));
    }
    println!("by module:");
    for (from, tos) in tops.iter().filter(|(f, _)| !f.is_empty()) {
        println!(
            "  {from} -> {}",
            tos.iter().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    println!("by file:");
    for (from, tos) in g.iter().filter(|(f, _)| !f.is_empty()) {
        println!(
            "  {from} -> {}",
            tos.iter().cloned().collect::<Vec<_>>().join(", ")
        );
    }
}
