//! Identifier rules of docs/format.md ("Layout"). Every id from a user, a file or an import
//! passes through here before it becomes part of a path, so nothing is ever
//! written outside the workspace.

use thiserror::Error;

/// Why an id was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdError {
    #[error(
        "invalid {kind} id {id:?}: ids are 1-80 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit, without '..'"
    )]
    Invalid { kind: &'static str, id: String },
    #[error("invalid memo id {0:?}: a memo id is a 4-digit number such as \"0007\"")]
    Memo(String),
}

/// Checks `^[a-z0-9][a-z0-9._-]{0,79}$` and the absence of `..`.
#[must_use]
pub fn is_valid(id: &str) -> bool {
    let bytes = id.as_bytes();
    let Some(first) = bytes.first() else {
        return false;
    };
    bytes.len() <= 80
        && (first.is_ascii_lowercase() || first.is_ascii_digit())
        && bytes[1..].iter().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
        && !id.contains("..")
}

/// Validates an id of the given kind (`case`, `set`, `runbook`, `run`, `tag`).
pub fn check(kind: &'static str, id: &str) -> Result<(), IdError> {
    if is_valid(id) {
        Ok(())
    } else {
        Err(IdError::Invalid {
            kind,
            id: id.to_owned(),
        })
    }
}

/// Validates a memo id: exactly four ASCII digits.
pub fn check_memo(id: &str) -> Result<(), IdError> {
    if id.len() == 4 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(IdError::Memo(id.to_owned()))
    }
}

/// A memo id as a user may type it: `7` means `0007`. Anything that is not
/// a short number is returned unchanged (and validated by the caller).
#[must_use]
pub fn memo_from_user(id: &str) -> String {
    if !id.is_empty() && id.len() < 4 && id.bytes().all(|b| b.is_ascii_digit()) {
        format!("{id:0>4}")
    } else {
        id.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_product_examples() {
        for id in ["billing-tier1-0042", "a", "support-triage", "x.y_z-1", "0"] {
            assert!(is_valid(id), "{id}");
        }
        assert!(is_valid(&"a".repeat(80)));
    }

    #[test]
    fn refuses_escapes_and_junk() {
        for id in [
            "", "../x", "..", ".git", "a..b", "A", "-a", "_a", "a/b", "a\\b", "a b", "é", "a\n",
            "x\u{1b}",
        ] {
            assert!(!is_valid(id), "{id:?}");
        }
        assert!(!is_valid(&"a".repeat(81)));
        assert!(check("case", "../x").is_err());
    }

    #[test]
    fn memo_ids() {
        assert!(check_memo("0007").is_ok());
        assert!(check_memo("7").is_err());
        assert!(check_memo("00a7").is_err());
        assert!(check_memo("00007").is_err());
        assert_eq!(memo_from_user("7"), "0007");
        assert_eq!(memo_from_user("0012"), "0012");
        assert_eq!(memo_from_user("abc"), "abc");
    }
}
