//! Two lines recorded from two threads, then a shutdown, under every interleaving loom explores.
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
