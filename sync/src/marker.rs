//! Lines for the checker: `@racelings {json}` on stderr, written past the test harness's
//! output capture so they arrive even when a loom deadlock aborts the process.
//!
//! They are hints for the verdict's text (which pass failed, which outcomes a stress test
//! saw), never evidence of a pass: the checker trusts only the test harness's own result
//! lines for that.

use std::fmt::Write as _;
use std::io::Write as _;

/// The prefix of every marker line.
pub const PREFIX: &str = "@racelings ";

/// A JSON value small enough to write by hand (the facade stays dependency-free).
pub enum Field<'a> {
    Str(&'a str),
    Num(u64),
    Bool(bool),
    /// Already-encoded JSON.
    Raw(&'a str),
}

/// Encodes `s` as a JSON string literal.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Encodes fields as one JSON object.
pub fn json_object(fields: &[(&str, Field<'_>)]) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&json_string(key));
        out.push(':');
        match value {
            Field::Str(s) => out.push_str(&json_string(s)),
            Field::Num(n) => {
                let _ = write!(out, "{n}");
            }
            Field::Bool(b) => {
                let _ = write!(out, "{b}");
            }
            Field::Raw(r) => out.push_str(r),
        }
    }
    out.push('}');
    out
}

/// Writes one marker line, in one `write_all` so lines from threads do not interleave.
pub fn emit(fields: &[(&str, Field<'_>)]) {
    let line = format!("\n{PREFIX}{}\n", json_object(fields));
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}
