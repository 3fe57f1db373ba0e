//! The test harness's side: which tests a test file defines, how to run one by its exact
//! name, and whether the harness itself reported it passed.
//!
//! Expected test names come from the test source (which the learner does not edit), never
//! from the binary, whose code the learner controls. A test passes only if the harness
//! printed its `test NAME ... ok` line, its one-test summary, and the process exited 0: a
//! `process::exit(0)` in the learner's code, or a line printed before `main`, is not a pass.

use crate::runner::{Exit, Finished};
use crate::workbook::{Exercise, Workbook};
use std::path::PathBuf;
use std::process::Command;

/// The `#[test]` functions a test file defines, in file order.
pub fn expected_tests(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut pending = false;
    for line in source.lines() {
        let line = line.trim();
        if line.starts_with("//") {
            continue;
        }
        if line == "#[test]" {
            pending = true;
            continue;
        }
        if pending {
            if line.starts_with("#[") {
                continue;
            }
            if let Some(rest) = line
                .strip_prefix("fn ")
                .or_else(|| line.strip_prefix("async fn "))
            {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    names.push(name);
                }
            }
            pending = false;
        }
    }
    names
}

/// How many tests the stress and loom checks of `exercises` will run, from their test files
/// (a missing file counts none): the length of a progress bar.
pub fn count_tests(workbook: &Workbook, exercises: &[&Exercise]) -> usize {
    exercises
        .iter()
        .flat_map(|e| {
            e.checks
                .iter()
                .filter_map(|c| c.test_file())
                .map(move |f| (e, f))
        })
        .map(|(e, f)| {
            let path = workbook.crate_dir(e).join(format!("tests/{f}.rs"));
            std::fs::read_to_string(path).map_or(0, |s| expected_tests(&s).len())
        })
        .sum()
}

/// The command that runs exactly one test of a test binary, its output uncaptured so a
/// crash cannot swallow it.
pub fn command_for(binary: &PathBuf, test: &str) -> Command {
    let mut cmd = Command::new(binary);
    cmd.args([
        test,
        "--exact",
        "--nocapture",
        "--test-threads=1",
        "--color=never",
    ]);
    cmd
}

/// Whether the harness reported `test` as passed in this run.
///
/// With `--nocapture` the test's own output may fall between the harness's `test NAME ... `
/// and its `ok`, so the evidence is that announcement at the start of a line, followed by
/// the harness's one-test summary, and a clean exit.
pub fn harness_passed(finished: &Finished, test: &str) -> bool {
    let announce = format!("test {test} ... ");
    let out = &finished.stdout;
    let Some(start) = out
        .match_indices(&announce)
        .map(|(i, _)| i)
        .find(|&i| i == 0 || out.as_bytes()[i - 1] == b'\n')
    else {
        return false;
    };
    finished.exit == Exit::Code(0)
        && !out.lines().any(|l| l.starts_with("test result: FAILED"))
        && out[start..]
            .lines()
            .any(|l| l.starts_with("test result: ok. 1 passed; 0 failed;"))
}

/// The file descriptor on which a sealed test process receives its result channel: the
/// write end of a pipe whose read end only the checker holds.
pub const SEAL_FD: i32 = 3;

/// The statement a sealed test starts with (on its `{` line, so no line number moves).
const SEAL_CALL: &str = "let _racelings_seal = __racelings_seal::Seal::new(";

/// The module a sealed test file ends with. When the test function starts (before any of
/// the learner's code can run in this process) the seal reads the run's parameters from
/// stdin to its end, and takes the result channel: it keeps a copy of [`SEAL_FD`] that no
/// program the process starts inherits, and closes [`SEAL_FD`] itself. Only if the
/// function returns without panicking does it write `returned NAME` on that copy. The
/// learner's code holds no secret to show and cannot name the channel: safe Rust reaches a
/// descriptor by number only through /proc or /dev/fd, which the sandbox keeps out of
/// reach, and grading refuses the unsafe ways (`from_raw_fd`, `transmute`, pointer casts)
/// even where an exercise allows `unsafe`.
const SEAL_MODULE: &str = r#"
#[doc(hidden)]
#[allow(dead_code, unused_unsafe)]
mod __racelings_seal {
    use std::io::Write;
    use std::os::fd::{BorrowedFd, OwnedFd};
    static PARAMETERS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    unsafe extern "C" {
        fn close(fd: i32) -> i32;
    }
    pub struct Seal(&'static str, Option<std::fs::File>);
    impl Seal {
        pub fn new(test: &'static str) -> Seal {
            let mut input = String::new();
            let _ = std::io::Read::read_to_string(&mut std::io::stdin(), &mut input);
            let _ = PARAMETERS.set(input);
            // SAFETY: the grader opened this descriptor for this process alone; the copy is
            // close-on-exec, the original is closed here and never used again.
            let kept: Option<OwnedFd> = unsafe { BorrowedFd::borrow_raw(3) }
                .try_clone_to_owned()
                .ok();
            if kept.is_some() {
                unsafe { close(3) };
            }
            Seal(test, kept.map(std::fs::File::from))
        }
    }
    impl Drop for Seal {
        fn drop(&mut self) {
            if let (false, Some(channel)) = (std::thread::panicking(), &mut self.1) {
                let _ = writeln!(channel, "returned {}", self.0);
            }
        }
    }
    /// A parameter of this grading run (`seed`, …), as the grader handed it.
    pub fn parameter(name: &str) -> Option<&'static str> {
        PARAMETERS.get()?.lines().find_map(|l| {
            let (key, value) = l.split_once('=')?;
            (key.trim() == name).then(|| value.trim())
        })
    }
}

/// What a grader-only test may ask of the grading run it is part of.
#[doc(hidden)]
#[allow(dead_code)]
mod racelings_grading {
    /// This grading run's seed: the same for every test process of the run, unknown before
    /// it starts (`RACELINGS_GRADE_SEED` fixes it, to grade again alike).
    pub fn seed() -> u64 {
        super::__racelings_seal::parameter("seed")
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    }
    /// A value in `lo..=hi` drawn from the seed for `what`: one test's thread count, item
    /// count or values, different per run and per `what`.
    pub fn pick(what: &str, lo: u64, hi: u64) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed();
        for b in what.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        lo + h % (hi - lo + 1)
    }
}
"#;

/// Seals a test file: each `#[test]` function (but `#[should_panic]` ones) starts with a
/// seal whose line [`sealed_pass`] then asks for. An error names a test whose body could
/// not be found.
pub fn seal_tests(source: &str) -> Result<String, String> {
    let mut out = String::with_capacity(source.len() + SEAL_MODULE.len() + 256);
    let mut attrs_seen = false;
    let mut should_panic = false;
    // A test whose `{` is still to come: its name.
    let mut open: Option<String> = None;
    for line in source.lines() {
        let t = line.trim();
        out.push_str(line);
        if let Some(name) = &open {
            if t.ends_with('{') {
                out.push_str(&format!(" {SEAL_CALL}\"{name}\");"));
                open = None;
            }
        } else if t == "#[test]" {
            attrs_seen = true;
        } else if attrs_seen && t.starts_with("#[") {
            should_panic |= t.starts_with("#[should_panic");
        } else if attrs_seen && !t.starts_with("//") && !t.is_empty() {
            let name = t
                .strip_prefix("fn ")
                .map(|r| r.chars().take_while(|c| c.is_alphanumeric() || *c == '_'))
                .map(String::from_iter);
            match name {
                Some(name) if !name.is_empty() && !should_panic => {
                    if t.ends_with('{') {
                        out.push_str(&format!(" {SEAL_CALL}\"{name}\");"));
                    } else {
                        open = Some(name);
                    }
                }
                Some(_) => {}
                None => return Err(format!("`{t}` follows #[test]: expected `fn name() {{`")),
            }
            attrs_seen = false;
            should_panic = false;
        }
        out.push('\n');
    }
    if let Some(name) = open {
        return Err(format!("the body of test `{name}` has no `{{`"));
    }
    out.push_str(SEAL_MODULE);
    Ok(out)
}

/// The tests of a sealed test file that carry a seal.
pub fn sealed_tests(source: &str) -> Vec<String> {
    source
        .match_indices(SEAL_CALL)
        .filter_map(|(i, _)| {
            let rest = source[i + SEAL_CALL.len()..].strip_prefix('"')?;
            Some(rest[..rest.find('"')?].to_string())
        })
        .collect()
}

/// Why a sealed test that looked passed is not.
pub const NO_SEAL: &str = "the test function never returned (its seal is missing): the process \
     ended, or printed the harness's lines itself, before the test's checks were done";

/// Whether a sealed test's result channel says its function returned.
pub fn sealed_pass(channel: &str, test: &str) -> bool {
    let line = format!("returned {test}");
    channel.lines().any(|l| l == line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn finds_test_functions_and_skips_helpers() {
        let src = "#![cfg(loom)]\nuse x;\n\n#[test]\nfn two_handlers() {\n}\n\nfn helper() {}\n\n\
                   #[test]\n#[should_panic]\nfn other_one() {}\n// #[test]\n// fn commented() {}\n";
        assert_eq!(expected_tests(src), vec!["two_handlers", "other_one"]);
    }

    fn finished(exit: Exit, stdout: &str) -> Finished {
        Finished {
            exit,
            stdout: stdout.to_string(),
            stderr: String::new(),
            truncated: false,
            duration: Duration::ZERO,
        }
    }

    const REAL_PASS: &str = "\nrunning 1 test\ntest counts ... ok\n\n\
        test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 2 filtered out; finished in 0.01s\n";

    #[test]
    fn a_real_pass_is_a_pass() {
        assert!(harness_passed(
            &finished(Exit::Code(0), REAL_PASS),
            "counts"
        ));
        let chatty = "\nrunning 1 test\ntest counts ... hello from the code\nok\n\n\
            test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n";
        assert!(harness_passed(&finished(Exit::Code(0), chatty), "counts"));
    }

    #[test]
    fn exit_zero_without_the_harness_lines_is_not_a_pass() {
        // process::exit(0) in the middle of the test.
        let early = "\nrunning 1 test\ntest counts ... ";
        assert!(!harness_passed(&finished(Exit::Code(0), early), "counts"));
        // A summary printed before main, for a test that never ran.
        let fake = "test result: ok. 9 passed; 0 failed; 0 ignored\n";
        assert!(!harness_passed(&finished(Exit::Code(0), fake), "counts"));
        // The summary printed before the harness announced the test.
        let fake = "test result: ok. 1 passed; 0 failed;\ntest counts ... ";
        assert!(!harness_passed(&finished(Exit::Code(0), fake), "counts"));
        // The right lines but a failing exit.
        assert!(!harness_passed(
            &finished(Exit::Signal(6), REAL_PASS),
            "counts"
        ));
        // Another test's ok line.
        assert!(!harness_passed(
            &finished(Exit::Code(0), REAL_PASS),
            "count"
        ));
    }

    #[test]
    fn sealing_marks_each_test_on_its_own_line() {
        let src = "#![cfg(not(loom))]\nuse x;\n\n#[test]\nfn counts() {\n    a();\n}\n\n\
                   #[test]\n#[should_panic]\nfn panics() {}\n\n#[test]\nfn long(\n) {\n}\n";
        let sealed = seal_tests(src).unwrap();
        let lines: Vec<&str> = sealed.lines().collect();
        assert!(
            lines[4].starts_with("fn counts() { let _racelings_seal"),
            "{sealed}"
        );
        assert_eq!(lines[10], "fn panics() {}");
        assert!(lines[14].starts_with(") { let _racelings_seal"), "{sealed}");
        assert_eq!(sealed_tests(&sealed), vec!["counts", "long"]);
        assert!(sealed_pass("returned counts\n", "counts"));
        assert!(!sealed_pass("returned counts_more\n", "counts"));
        assert!(!sealed_pass("", "counts"));
    }
}
