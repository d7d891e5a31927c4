//! The writer that keeps terminal-unsafe characters out of printed JSON.

use crate::sanitize;
use std::borrow::Cow;
use std::io::{self, Write};

/// Escapes, in JSON text written through it, the characters `serde_json`
/// leaves raw but a terminal acts on (DEL, C1 controls, bidi overrides: see
/// [`escape_json_controls`]).
///
/// It is meant to sit behind a large buffer, so it sees 64 KB blocks rather
/// than each key, quote and comma: a block of printable ASCII (nearly all
/// output) is checked in one pass the compiler vectorizes and passed on
/// whole. A block may end inside a UTF-8 character, so a trailing incomplete
/// character waits in `pending` for the rest and is judged whole.
#[derive(Debug)]
pub struct Escaping<W: Write> {
    inner: W,
    pending: [u8; 4],
    pending_len: usize,
}

impl<W: Write> Escaping<W> {
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            pending: [0; 4],
            pending_len: 0,
        }
    }

    /// Writes what is still pending (bytes of a character the stream never
    /// completed, passed on raw as any invalid UTF-8 is), flushes, and
    /// returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        let n = self.pending_len;
        self.pending_len = 0;
        self.inner.write_all(&self.pending[..n])?;
        self.inner.flush()?;
        Ok(self.inner)
    }

    /// Completes the pending character from the front of `buf` and writes
    /// it; returns the rest of `buf` (empty if the character is still
    /// incomplete).
    fn complete_pending<'a>(&mut self, buf: &'a [u8]) -> io::Result<&'a [u8]> {
        let need = utf8_width(self.pending[0]);
        let mut used = 0;
        while self.pending_len < need {
            match buf.get(used) {
                Some(&b) if b & 0xc0 == 0x80 => {
                    self.pending[self.pending_len] = b;
                    self.pending_len += 1;
                    used += 1;
                }
                // Not a continuation byte: the pending bytes are invalid.
                Some(_) => break,
                None => return Ok(&[]),
            }
        }
        let (pending, n) = (self.pending, self.pending_len);
        self.pending_len = 0;
        // Only continuation bytes follow the lead, so nothing can be left
        // incomplete but the whole of a broken sequence: that goes out raw.
        let broken = self.escape(&pending[..n])?;
        self.inner.write_all(broken)?;
        Ok(buf.get(used..).unwrap_or_default())
    }

    /// Writes `bytes` escaped, invalid UTF-8 raw, and returns a trailing
    /// incomplete character unwritten.
    fn escape<'a>(&mut self, bytes: &'a [u8]) -> io::Result<&'a [u8]> {
        let mut rest = bytes;
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    self.inner
                        .write_all(escape_json_controls(text).as_bytes())?;
                    return Ok(&[]);
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    let text = std::str::from_utf8(valid).unwrap_or_default();
                    self.inner
                        .write_all(escape_json_controls(text).as_bytes())?;
                    let Some(bad) = e.error_len() else {
                        return Ok(after);
                    };
                    let (bad, next) = after.split_at(bad);
                    self.inner.write_all(bad)?;
                    rest = next;
                }
            }
        }
    }
}

impl<W: Write> Write for Escaping<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let buf = if self.pending_len > 0 {
            self.complete_pending(buf)?
        } else {
            buf
        };
        if is_plain(buf) {
            return self.inner.write_all(buf);
        }
        let tail = self.escape(buf)?;
        match self.pending.get_mut(..tail.len()) {
            Some(slot) if tail.len() < 4 => {
                slot.copy_from_slice(tail);
                self.pending_len = tail.len();
                Ok(())
            }
            _ => self.inner.write_all(tail),
        }
    }

    /// Flushes what is written; a pending partial character stays pending
    /// (it cannot be judged yet), [`Escaping::finish`] ends it.
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Whether every byte is printable ASCII or a newline: nothing to escape.
/// Folded without short-circuit, 64 bytes at a time, so it vectorizes.
fn is_plain(bytes: &[u8]) -> bool {
    bytes.chunks(64).all(|chunk| {
        chunk.iter().fold(true, |ok, &b| {
            ok & (b.wrapping_sub(0x20) < 0x5f || b == b'\n')
        })
    })
}

/// The length of the UTF-8 sequence that `lead` starts (1 for a byte that
/// cannot start one: it stands alone as invalid).
fn utf8_width(lead: u8) -> usize {
    match lead {
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => 1,
    }
}

/// `serde_json` escapes only C0 controls; DEL, C1 controls and bidi
/// overrides are escaped here too (`\u009b`), so the data is unchanged but a
/// terminal showing the output never acts on them.
pub fn escape_json_controls(json: &str) -> Cow<'_, str> {
    if !json.chars().any(sanitize::is_unsafe) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if sanitize::is_unsafe(c) && !matches!(c, '\n' | '\t' | '\r') {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                let _ = std::fmt::Write::write_fmt(&mut out, format_args!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the writer prints for `pieces` written one after another.
    fn through(pieces: &[&[u8]]) -> Vec<u8> {
        let mut w = Escaping::new(Vec::new());
        for p in pieces {
            w.write_all(p).unwrap();
        }
        w.finish().unwrap()
    }

    #[test]
    fn a_character_split_across_writes_passes_whole() {
        let text = "\"caf\u{e9} \u{6f22} \u{1f600}\"";
        let bytes = text.as_bytes();
        for cut in 0..=bytes.len() {
            let (a, b) = bytes.split_at(cut);
            assert_eq!(through(&[a, b]), bytes, "cut at {cut}");
        }
        let one_by_one: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(through(&one_by_one), bytes);
    }

    #[test]
    fn an_unsafe_character_split_across_writes_is_escaped() {
        // U+202E is E2 80 AE, U+009B is C2 9B: cut inside each.
        let text = "\"a\u{202e}b\u{9b}c\u{7f}\"";
        let want = b"\"a\\u202eb\\u009bc\\u007f\"";
        let bytes = text.as_bytes();
        for cut in 0..=bytes.len() {
            let (a, b) = bytes.split_at(cut);
            assert_eq!(through(&[a, b]), want, "cut at {cut}");
        }
        assert_eq!(
            through(&[b"\"a\xe2", b"\x80", b"\xaeb\xc2", b"\x9bc\x7f\""]),
            want
        );
    }

    #[test]
    fn any_split_prints_what_the_whole_text_escapes_to() {
        let v = serde_json::json!({ "s": "a\u{9b}2J\u{202e}b\u{1b}c\u{7f}", "t": ["\u{e9}\u{2066}x\u{1f600}\u{85}"] });
        let text = serde_json::to_string_pretty(&v).unwrap();
        let want = escape_json_controls(&text).into_owned().into_bytes();
        let bytes = text.as_bytes();
        for cut in 0..=bytes.len() {
            for cut2 in cut..=bytes.len() {
                let pieces = [&bytes[..cut], &bytes[cut..cut2], &bytes[cut2..]];
                assert_eq!(through(&pieces), want, "cuts at {cut}, {cut2}");
            }
        }
    }

    #[test]
    fn behind_a_small_buffer_serde_json_output_is_escaped_as_a_whole() {
        let v = serde_json::json!([{ "s": "\u{e9}\u{9b}x\u{202e}\u{1f600}" }, "\u{6f22}\u{2069}\u{85}"]);
        let want = escape_json_controls(&serde_json::to_string_pretty(&v).unwrap()).into_owned();
        for capacity in 1..24 {
            let mut out = std::io::BufWriter::with_capacity(capacity, Escaping::new(Vec::new()));
            serde_json::to_writer_pretty(&mut out, &v).unwrap();
            let got = out.into_inner().unwrap().finish().unwrap();
            assert_eq!(String::from_utf8(got).unwrap(), want, "capacity {capacity}");
        }
    }

    #[test]
    fn invalid_utf8_passes_raw_and_loses_nothing() {
        assert_eq!(through(&[b"a\xe2", b"Z\x9b"]), b"a\xe2Z\x9b");
        assert_eq!(through(&[b"a\xe0", b"\x80\x80b"]), b"a\xe0\x80\x80b");
        assert_eq!(through(&[b"x\xf0\x9f"]), b"x\xf0\x9f");
    }

    #[test]
    fn plain_is_printable_ascii_and_newlines() {
        assert!(is_plain(b"{\n  \"a\": [1, 2]\n}~ "));
        for bad in [0x7f, 0x1b, b'\t', b'\r', 0xc2, 0x80, 0xff] {
            let mut block = vec![b'a'; 200];
            block[137] = bad;
            assert!(!is_plain(&block), "{bad:#x}");
        }
    }

    #[test]
    fn json_escapes_c1_and_bidi_and_round_trips() {
        let v = serde_json::json!({ "s": "a\u{9b}2J\u{202e}b\u{1b}c\u{7f}" });
        let text = escape_json_controls(&serde_json::to_string_pretty(&v).unwrap()).into_owned();
        assert!(
            text.chars().all(|c| c == '\n' || !sanitize::is_unsafe(c)),
            "{text:?}"
        );
        assert!(
            text.contains("\\u009b") && text.contains("\\u202e"),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
