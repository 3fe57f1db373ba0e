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

/// The environment variable through which the checker asks for progress lines while a test
/// runs; without it (a plain `cargo test`) the facade writes none.
pub const PROGRESS_ENV: &str = "RACELINGS_PROGRESS";

/// How far apart progress lines are: often enough for a live screen, rare enough that a
/// model of a million schedules writes a few hundred lines, not a million.
const PROGRESS_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

/// Spaces out progress lines: the first one at once, then at most one per
/// [`PROGRESS_EVERY`]; none at all unless the checker asked for them.
pub struct Pacer {
    wanted: bool,
    start: std::time::Instant,
    /// Milliseconds after `start` at which the next line is due.
    next_ms: std::sync::atomic::AtomicU64,
}

impl Pacer {
    pub fn new() -> Self {
        Pacer {
            wanted: std::env::var_os(PROGRESS_ENV).is_some(),
            start: std::time::Instant::now(),
            next_ms: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Whether a progress line is due now (and if so, the next one is not before
    /// [`PROGRESS_EVERY`] from now).
    pub fn due(&self) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        if !self.wanted {
            return false;
        }
        let now = self.start.elapsed().as_millis() as u64;
        let next = self.next_ms.load(Relaxed);
        now >= next
            && self
                .next_ms
                .compare_exchange(
                    next,
                    now + PROGRESS_EVERY.as_millis() as u64,
                    Relaxed,
                    Relaxed,
                )
                .is_ok()
    }
}

impl Default for Pacer {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pacer_lets_the_first_line_through_and_holds_the_next() {
        let pacer = Pacer {
            wanted: true,
            ..Pacer::new()
        };
        assert!(pacer.due());
        assert!(!pacer.due(), "a second line at once");
        std::thread::sleep(PROGRESS_EVERY + std::time::Duration::from_millis(20));
        assert!(pacer.due(), "due again after the interval");
    }

    #[test]
    fn a_pacer_is_silent_unless_progress_was_asked_for() {
        let pacer = Pacer {
            wanted: false,
            ..Pacer::new()
        };
        assert!(!pacer.due());
    }

    #[test]
    fn json_strings_escape_quotes_and_control_characters() {
        assert_eq!(json_string("a\"b\\c\n\u{1}"), r#""a\"b\\c\n\u0001""#);
    }
}
