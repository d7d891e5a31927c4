//! git's cache tree (the index's `TREE` extension): the tree id of each
//! folder whose index entries have not changed since it was computed, so
//! `git commit` and `git status` skip them. When docket splices entries into
//! the index, the folders above each changed path no longer match their
//! recorded tree; they are marked invalid, as git does when it adds a path,
//! and every other folder keeps its id.

use super::gitindex::{HASH_LEN, IndexError};

/// Copies the `TREE` extension `ext` (header included) into `out`, with the
/// ancestors of `changed` (repository-relative paths) invalidated.
pub(crate) fn invalidate(
    ext: &[u8],
    changed: &[&str],
    out: &mut Vec<u8>,
) -> Result<(), IndexError> {
    let data = ext.get(8..).ok_or_else(bad)?;
    let header = out.len();
    out.extend_from_slice(b"TREE\0\0\0\0");
    let mut pos = 0;
    node(data, &mut pos, "", changed, out)?;
    if pos != data.len() {
        return Err(bad());
    }
    let size = u32::try_from(out.len() - header - 8).map_err(|_| bad())?;
    out[header + 4..header + 8].copy_from_slice(&size.to_be_bytes());
    Ok(())
}

fn bad() -> IndexError {
    IndexError::Corrupt("bad cache tree".to_owned())
}

/// One folder and, recursively, its subfolders. `dir` is its path with a
/// trailing `/` (empty for the root); `changed` holds the changed paths
/// below it, so the search narrows on the way down.
fn node(
    data: &[u8],
    pos: &mut usize,
    dir: &str,
    changed: &[&str],
    out: &mut Vec<u8>,
) -> Result<(), IndexError> {
    let field = |pos: &mut usize, end: u8| -> Result<&[u8], IndexError> {
        let rest = data.get(*pos..).ok_or_else(bad)?;
        let n = rest.iter().position(|&c| c == end).ok_or_else(bad)?;
        *pos += n + 1;
        Ok(&rest[..n])
    };
    let name = field(pos, 0)?;
    let count = field(pos, b' ')?;
    let subtrees = field(pos, b'\n')?;
    let number = |b: &[u8]| std::str::from_utf8(b).ok()?.parse::<i64>().ok();
    let valid = number(count).ok_or_else(bad)? >= 0;
    let subtrees = usize::try_from(number(subtrees).ok_or_else(bad)?).map_err(|_| bad())?;
    let oid = if valid {
        let o = data.get(*pos..*pos + HASH_LEN).ok_or_else(bad)?;
        *pos += HASH_LEN;
        Some(o)
    } else {
        None
    };
    let path = if dir.is_empty() && name.is_empty() {
        String::new()
    } else {
        format!("{dir}{}/", String::from_utf8_lossy(name))
    };
    let below: Vec<&str> = changed
        .iter()
        .copied()
        .filter(|c| c.starts_with(&path))
        .collect();
    out.extend_from_slice(name);
    out.push(0);
    match oid {
        Some(oid) if below.is_empty() => {
            out.extend_from_slice(count);
            out.push(b' ');
            out.extend_from_slice(subtrees.to_string().as_bytes());
            out.push(b'\n');
            out.extend_from_slice(oid);
        }
        _ => {
            out.extend_from_slice(format!("-1 {subtrees}\n").as_bytes());
        }
    }
    for _ in 0..subtrees {
        node(data, pos, &path, &below, out)?;
    }
    Ok(())
}
