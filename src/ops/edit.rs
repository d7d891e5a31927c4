//! Format-preserving edits with `toml_edit`: only the lines that change are
//! touched; comments, ordering and unknown keys survive.

use super::OpError;
use crate::model::diag::line_of;
use toml_edit::{DocumentMut, Item, Table, Value};

pub fn parse(path: &str, text: &str) -> Result<DocumentMut, OpError> {
    text.parse::<DocumentMut>().map_err(|e| OpError::Invalid {
        path: path.to_owned(),
        line: e.span().map_or(1, |s| line_of(text, s.start)),
        message: e.message().to_owned(),
    })
}

/// Sets a top-level string key, keeping its position and trailing comment.
pub fn set_str(doc: &mut DocumentMut, key: &str, value: &str) {
    set_value(doc, key, Value::from(value));
}

pub fn set_value(doc: &mut DocumentMut, key: &str, mut value: Value) {
    if let Some(Item::Value(old)) = doc.get_mut(key) {
        *value.decor_mut() = old.decor().clone();
        *old = value;
    } else {
        doc[key] = Item::Value(value);
    }
}

/// A new `[name]` table of string and datetime fields, placed after the
/// document's existing tables.
pub fn table(fields: &[(&str, Value)]) -> Item {
    let mut t = Table::new();
    for (k, v) in fields {
        t[*k] = Item::Value(v.clone());
    }
    Item::Table(t)
}

pub fn datetime(dt: &toml::value::Datetime) -> Value {
    // toml and toml_edit share toml_datetime; the string form round-trips.
    dt.to_string()
        .parse::<toml_edit::Datetime>()
        .map_or_else(|_| Value::from(dt.to_string()), Value::from)
}
