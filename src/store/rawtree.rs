//! Git tree objects read from their bytes (`<mode> <name>\0<20-byte id>`
//! per entry, in git's order): walking a long history compares the same
//! large folders again and again, and libgit2's parse of each entry (its
//! mode as a number, an allocation per entry) was most of that time.
//! Entries borrow the object's bytes; nothing is allocated per entry, and
//! malformed bytes end the listing rather than panic.

use git2::Oid;
use std::cmp::Ordering;

/// One entry of a tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    pub name: &'a [u8],
    /// A folder (mode `40000`); submodules and files are not.
    pub folder: bool,
    pub id: &'a [u8],
}

impl Entry<'_> {
    /// The entry's object id (`None` for a malformed one).
    pub fn oid(&self) -> Option<Oid> {
        Oid::from_bytes(self.id).ok()
    }

    /// git's tree order: names bytewise, a folder as if it ended in `/`.
    pub fn order(&self, other: &Self) -> Ordering {
        let key = |e: &Self| e.name.iter().copied().chain(e.folder.then_some(b'/'));
        key(self).cmp(key(other))
    }
}

/// The entries of a tree object's bytes, in order.
pub fn entries(data: &[u8]) -> Entries<'_> {
    Entries { rest: data }
}

pub struct Entries<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Entries<'a> {
    type Item = Entry<'a>;

    fn next(&mut self) -> Option<Entry<'a>> {
        let space = self.rest.iter().position(|&b| b == b' ')?;
        let nul = space + 1 + self.rest.get(space + 1..)?.iter().position(|&b| b == 0)?;
        let entry = Entry {
            folder: self.rest.get(..space)? == b"40000",
            name: self.rest.get(space + 1..nul)?,
            id: self.rest.get(nul + 1..nul + 21)?,
        };
        self.rest = self.rest.get(nul + 21..)?;
        Some(entry)
    }
}

/// The entry called `name` in a tree's bytes.
pub fn find<'a>(data: &'a [u8], name: &[u8]) -> Option<Entry<'a>> {
    entries(data).find(|e| e.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(items: &[(&str, &str, u8)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (mode, name, id) in items {
            out.extend_from_slice(format!("{mode} {name}\0").as_bytes());
            out.extend_from_slice(&[*id; 20]);
        }
        out
    }

    #[test]
    fn reads_entries_in_order_and_stops_at_garbage() {
        let data = raw(&[("100644", "a.b", 1), ("40000", "a", 2), ("100644", "b", 3)]);
        let all: Vec<Entry<'_>> = entries(&data).collect();
        assert_eq!(all.len(), 3);
        assert!(all[1].folder && !all[0].folder);
        assert_eq!(all[2].oid(), Oid::from_bytes(&[3; 20]).ok());
        // "a.b" sorts before the folder "a" ('.' < '/'), as git stores them.
        assert_eq!(all[0].order(&all[1]), Ordering::Less);
        assert_eq!(find(&data, b"b").map(|e| e.id[0]), Some(3));
        assert_eq!(find(&data, b"c"), None);
        let mut cut = data.clone();
        cut.truncate(data.len() - 5);
        assert_eq!(entries(&cut).count(), 2);
    }
}
