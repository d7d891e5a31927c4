#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The README's key table, checked against the registry
//! (`src/ui/action.rs`): every key the table names is a default key of a
//! browsing command, and every browsing command has a key in the table. The
//! table keeps its own words (it groups related keys in one row); on a
//! mismatch the test prints the registry's table to write it from.

use docket::ui::action::COMMANDS;
use docket::ui::keymap::Key;
use std::collections::BTreeSet;
use std::fmt::Write;

/// The key column of each row of the README's key table.
fn readme_key_cells() -> Vec<String> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let rows: Vec<&str> = readme
        .lines()
        .skip_while(|l| *l != "| key | action |")
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert!(!rows.is_empty(), "README.md has a `| key | action |` table");
    rows.iter()
        .map(|r| r.split('|').nth(1).unwrap().trim().to_owned())
        .collect()
}

/// The keys a cell names: `` `j`/`k`, arrows, PgUp/PgDn `` or
/// `` `0`..`5` ``.
fn keys_of(cell: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut prev_quoted: Option<String> = None;
    for (i, part) in cell.split('`').enumerate() {
        if i % 2 == 1 {
            if let Some(from) = prev_quoted
                .take()
                .filter(|_| out.last() == Some(&"..".to_owned()))
            {
                out.pop();
                let (a, b) = (from.chars().next().unwrap(), part.chars().next().unwrap());
                out.extend((a..=b).skip(1).map(String::from));
            } else {
                out.push(part.to_owned());
            }
            prev_quoted = Some(part.to_owned());
            continue;
        }
        if part.trim() == ".." {
            out.push("..".to_owned());
            continue;
        }
        for word in part.split(|c: char| c == '/' || c == ',' || c.is_whitespace()) {
            match word {
                "" => {}
                "arrows" => out.extend(["up", "down", "left", "right"].map(String::from)),
                w => out.push(w.to_owned()),
            }
        }
    }
    out
}

/// A README key as the keymap reads it (`Ctrl-p` is `ctrl-p`).
fn parse(k: &str) -> Option<Key> {
    Key::parse(&k.replace("Ctrl-", "ctrl-").replace("Alt-", "alt-"))
}

/// The table the registry would write: one row per browsing command.
fn expected_table() -> String {
    let mut t = String::from("| key | action |\n|---|---|\n");
    for c in COMMANDS.iter().filter(|c| c.scope.is_browsing()) {
        let keys: Vec<String> = c.keys.iter().map(|k| format!("`{k}`")).collect();
        writeln!(t, "| {} | {} |", keys.join("/"), c.description).unwrap();
    }
    t
}

#[test]
fn readme_key_table_matches_the_registry() {
    let defaults: BTreeSet<Key> = COMMANDS
        .iter()
        .filter(|c| c.scope.is_browsing())
        .flat_map(|c| c.keys.iter().map(|k| Key::parse(k).unwrap()))
        .collect();
    let mut named = BTreeSet::new();
    let mut problems = Vec::new();
    for cell in readme_key_cells() {
        for k in keys_of(&cell) {
            match parse(&k) {
                Some(key) if defaults.contains(&key) => {
                    named.insert(key);
                }
                Some(_) => {
                    problems.push(format!("{k:?} (in {cell:?}) is no command's default key"));
                }
                None => problems.push(format!("{k:?} (in {cell:?}) is not a key")),
            }
        }
    }
    for c in COMMANDS.iter().filter(|c| c.scope.is_browsing()) {
        if !c
            .keys
            .iter()
            .any(|k| named.contains(&Key::parse(k).unwrap()))
        {
            problems.push(format!(
                "{} ({}) has none of its keys in the table",
                c.name,
                c.keys.join(", ")
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "README.md's key table is out of date with src/ui/action.rs:\n  {}\n\nThe registry's table:\n{}",
        problems.join("\n  "),
        expected_table()
    );
}

#[test]
fn the_cell_reader_reads_ranges_and_words() {
    assert_eq!(keys_of("`0`..`3`, `Tab`"), ["0", "1", "2", "3", "Tab"]);
    assert_eq!(
        keys_of("`j`/`k`, arrows, PgUp/PgDn"),
        ["j", "k", "up", "down", "left", "right", "PgUp", "PgDn"]
    );
    assert_eq!(parse("Ctrl-p").unwrap().to_string(), "ctrl-p");
}
