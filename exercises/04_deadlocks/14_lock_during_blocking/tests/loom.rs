//! Lines recorded, then a shutdown, under every interleaving loom explores.
#![cfg(loom)]

use lock_during_blocking::AuditLog;
use racelings_sync::{Arc, model, thread};

#[test]
fn close_returns_every_recorded_line() {
    model(|| {
        let log = Arc::new(AuditLog::start());
        let request = {
            let log = Arc::clone(&log);
            thread::spawn(move || log.record("payment accepted"))
        };
        log.record("login");
        request.join().unwrap();
        let mut written = log.close();
        written.sort();
        assert_eq!(
            written,
            ["login", "payment accepted"],
            "close returned both recorded lines"
        );
    });
}

/// One request thread records two lines and closes the log at once, while the writer may be
/// anywhere: not started yet, woken by the first line, or still waiting.
#[test]
fn close_returns_one_threads_lines_in_order() {
    model(|| {
        let log = AuditLog::start();
        log.record("opened");
        log.record("approved");
        assert_eq!(
            log.close(),
            ["opened", "approved"],
            "close returned both lines, in the order they were recorded"
        );
    });
}
