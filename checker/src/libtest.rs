//! The test harness's side: which tests a test file defines, how to run one by its exact
//! name, and whether the harness itself reported it passed.
//!
//! Expected test names come from the test source (which the learner does not edit), never
//! from the binary, whose code the learner controls. A test passes only if the harness
//! printed its `test NAME ... ok` line, its one-test summary, and the process exited 0: a
//! `process::exit(0)` in the learner's code, or a line printed before `main`, is not a pass.

use crate::runner::{Exit, Finished};
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
        && out[start..]
            .lines()
            .any(|l| l.starts_with("test result: ok. 1 passed; 0 failed;"))
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
}
