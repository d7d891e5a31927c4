use super::splice::splice;
use super::*;
use crate::store::gitindex;
use crate::store::gitindex::tests::Repo;

/// Sizes of the entries of an index, by path.
fn sizes(bytes: &[u8]) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    gitindex::walk(bytes, |raw| {
        let size = gitindex::be32(raw.stat, 36).unwrap_or(u32::MAX);
        out.push((String::from_utf8_lossy(raw.path).into_owned(), size));
    })
    .unwrap();
    out
}

#[test]
fn kept_entries_not_older_than_the_index_are_smudged() {
    let r = Repo::new();
    r.populate();
    r.git(&["add", "-A"]);
    let bytes = std::fs::read(r.git_dir().join("index")).unwrap();
    let before = sizes(&bytes);
    assert!(before.iter().any(|(_, s)| *s > 0));
    // An index read long after its entries: nothing racy, bytes kept.
    let same = splice(&bytes, &mut BTreeMap::new(), (u32::MAX, 0)).unwrap();
    assert_eq!(sizes(&same.to_vec()), before);
    // Every entry as new as the index: each is written with size 0, so
    // git and libgit2 compare the content, not the stat data.
    let smudged = splice(&bytes, &mut BTreeMap::new(), (0, 0))
        .unwrap()
        .to_vec();
    let after = sizes(&smudged);
    assert_eq!(after.len(), before.len());
    assert!(after.iter().all(|(_, s)| *s == 0), "{after:?}");
    std::fs::write(r.git_dir().join("index"), &smudged).unwrap();
    // git compares the smudged entries' content: all unchanged.
    r.git(&["update-index", "-q", "--refresh"]);
    assert_eq!(
        r.git(&["diff-files", "--name-only"]),
        "",
        "git reads it: unchanged"
    );
}

/// A path's entry as `git add` would make it, from the work tree (its
/// blob written, as `stage` does).
fn new_entry(r: &Repo, rel: &str) -> Option<New> {
    let full = r.work().join(rel);
    let meta = full.symlink_metadata().ok()?;
    Some(New {
        oid: git2::Oid::from_str(r.git(&["hash-object", "-w", rel]).trim()).unwrap(),
        mode: Some(file_mode(&meta)),
        stat: stat_bytes(&meta),
    })
}

#[test]
fn an_unchanged_index_is_its_own_bytes_borrowed_not_copied() {
    let r = Repo::new();
    r.populate();
    r.git(&["read-tree", "--empty"]);
    r.git(&["add", "-A"]);
    r.git(&["commit", "-qm", "one"]);
    // A cache tree, and an extension splicing cannot keep (EOIE).
    r.git(&["read-tree", "HEAD"]);
    let bytes = std::fs::read(r.git_dir().join("index")).unwrap();
    let spliced = splice(&bytes, &mut BTreeMap::new(), (u32::MAX, 0)).unwrap();
    let pieces: Vec<&[u8]> = spliced.pieces().collect();
    // The header (its count set again), every entry in one run, the cache
    // tree rewritten.
    assert_eq!(pieces.len(), 3, "{} pieces", pieces.len());
    assert_eq!(spliced.to_vec(), bytes);
}

/// Replacing, inserting and removing entries, in each index version: git
/// reads the result as if `git add` had made it.
#[test]
fn replaced_inserted_and_removed_entries_read_as_git_adds_them() {
    for version in ["2", "3", "4"] {
        let r = Repo::new();
        r.populate();
        r.git(&["update-index", "--index-version", version]);
        // The commit leaves a cache tree in the index.
        r.git(&["commit", "-qm", "one"]);
        if version == "3" {
            // An extended flag on a kept entry.
            r.git(&["update-index", "--skip-worktree", "deep/er/still/z.txt"]);
        }
        r.write(
            "evals/failures/2026-11/x-1.toml",
            "id = \"x-1\"\ntags = []\n",
        );
        r.write("evals/failures/2026-11/x-15.toml", "id = \"x-15\"\n");
        r.write("zz/last.toml", "last\n");
        std::fs::remove_file(r.work().join("evals/failures/2026-11/x-2.toml")).unwrap();
        let mut changes: BTreeMap<String, Option<New>> = [
            "evals/failures/2026-11/x-1.toml",
            "evals/failures/2026-11/x-15.toml",
            "evals/failures/2026-11/x-2.toml",
            "zz/last.toml",
        ]
        .iter()
        .map(|p| ((*p).to_owned(), new_entry(&r, p)))
        .collect();
        let index = r.git_dir().join("index");
        let bytes = std::fs::read(&index).unwrap();
        let mut spliced = splice(&bytes, &mut changes, (u32::MAX, 0)).unwrap();
        spliced.set_oids(&changes);
        assert!(
            spliced.pieces().count() > 3,
            "v{version}: kept runs between the changes"
        );
        std::fs::write(&index, spliced.to_vec()).unwrap();
        let ours = r.git(&["ls-files", "-s", "-t"]);
        // `write-tree` trusts the kept cache-tree entries: none may lie.
        let tree = r.git(&["write-tree"]);
        // The stat data is the files': nothing differs from the work tree.
        assert_eq!(r.git(&["diff-files", "--name-only"]), "", "v{version}");
        assert_eq!(
            r.git(&["diff-index", "--cached", "--name-only", "HEAD"])
                .lines()
                .count(),
            4
        );
        r.git(&["add", "-A"]);
        assert_eq!(r.git(&["ls-files", "-s", "-t"]), ours, "v{version}");
        assert_eq!(r.git(&["write-tree"]), tree, "v{version}");
        r.git(&["fsck", "--strict", "--no-progress"]);
    }
}

/// The walk that splices also finds the `.gitattributes` entries the new
/// blobs are hashed with (libgit2 reads them from the index when the work
/// tree lacks them).
#[test]
fn the_splice_walk_finds_the_attributes_files() {
    let r = Repo::new();
    r.populate();
    r.write(".gitattributes", "*.toml text\n");
    r.write("deep/.gitattributes", "*.txt -text\n");
    r.write("deep/not.gitattributes", "");
    r.git(&["add", "-A"]);
    let bytes = std::fs::read(r.git_dir().join("index")).unwrap();
    let spliced = splice(&bytes, &mut BTreeMap::new(), (u32::MAX, 0)).unwrap();
    let found: Vec<String> = spliced
        .attrs
        .iter()
        .map(|e| String::from_utf8_lossy(&e.path).into_owned())
        .collect();
    assert_eq!(found, [".gitattributes", "deep/.gitattributes"]);
    let blob = r.git(&["rev-parse", ":.gitattributes"]);
    assert_eq!(spliced.attrs[0].id.to_string(), blob.trim());
}
