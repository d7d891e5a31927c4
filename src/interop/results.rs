//! Opening a runner's file: which reader, and JSON errors with positions.

use super::{Position, RecordError, Records, Tool, inspect, jsonl, promptfoo};
use std::io::{BufReader, Read, Seek};

/// The largest JSON document read whole (promptfoo results, Inspect's JSON
/// log); bigger runs come as JSON Lines or `.eval` archives, read in pieces.
pub const MAX_DOCUMENT: u64 = 1024 * 1024 * 1024;

/// Reads `file` as `tool` wrote it. An Inspect log may be JSON or a `.eval`
/// archive: told apart by its first bytes, not its name.
pub fn read<R: Read + Seek + Send + 'static>(
    tool: Tool,
    mut file: R,
) -> Result<Records, RecordError> {
    let io = |e: std::io::Error| RecordError::at("file", format!("cannot read: {e}"));
    match tool {
        Tool::Jsonl => Ok(Records {
            info: super::RunInfo::default(),
            iter: Box::new(jsonl::records(BufReader::new(file))),
        }),
        Tool::Promptfoo => promptfoo::read(&whole(&mut file).map_err(io)?),
        Tool::Inspect => {
            let mut magic = [0u8; 4];
            let n = file.read(&mut magic).map_err(io)?;
            file.rewind().map_err(io)?;
            if n == 4 && magic == *b"PK\x03\x04" {
                inspect::read_eval(file)
            } else {
                inspect::read_json(&whole(&mut file).map_err(io)?)
            }
        }
    }
}

fn whole<R: Read>(file: &mut R) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    file.take(MAX_DOCUMENT + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_DOCUMENT {
        return Err(std::io::Error::other(format!(
            "larger than {} MiB: export the run as JSON Lines",
            MAX_DOCUMENT >> 20
        )));
    }
    Ok(bytes)
}

/// Parses a JSON document; a syntax error or a truncated file names its
/// line (and column).
pub fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, RecordError> {
    // A byte-order mark (Windows tools write one) is not JSON.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice(bytes).map_err(|e| {
        let what = if e.is_eof() {
            "the file ends early (truncated?)"
        } else {
            "not valid JSON"
        };
        RecordError {
            position: Position::Line(e.line()),
            message: format!("{what}: {e}"),
        }
    })
}
