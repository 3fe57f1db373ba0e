//! An audit log that writes in the background, so request threads never wait for storage.
//!
//! Request threads hand lines to `record` and carry on; a writer thread appends them to the
//! log (kept in memory here). At shutdown the service calls `close`, which stops the writer
//! once every recorded line is written and returns the whole log for the archive. Since the
//! audit log went in, the service no longer shuts down: it hangs in `close` until an
//! operator kills it, and the last day's lines never reach the archive.
//!
//! Fixed means: `close` returns, whatever the writer is doing when it is called, and returns
//! every line whose `record` returned before `close` was called, each exactly once, with the
//! lines of each request thread in the order that thread recorded them.

use racelings_sync::thread::{self, JoinHandle};
use racelings_sync::{Arc, Condvar, Mutex};
use std::collections::VecDeque;

#[derive(Debug, Default)]
struct Queue {
    pending: VecDeque<String>,
    written: Vec<String>,
    closed: bool,
}

#[derive(Debug, Default)]
struct Shared {
    queue: Mutex<Queue>,
    more: Condvar,
}

/// The handle request threads share; the writer runs until `close`.
#[derive(Debug)]
pub struct AuditLog {
    shared: Arc<Shared>,
    writer: Mutex<Option<JoinHandle<()>>>,
}

impl AuditLog {
    /// Starts the background writer.
    pub fn start() -> Self {
        let shared = Arc::new(Shared::default());
        let writer = {
            let shared = Arc::clone(&shared);
            thread::spawn(move || write_lines(&shared))
        };
        AuditLog {
            shared,
            writer: Mutex::new(Some(writer)),
        }
    }

    /// Queues `line` for the writer and returns at once.
    pub fn record(&self, line: impl Into<String>) {
        let mut queue = self.shared.queue.lock().unwrap();
        queue.pending.push_back(line.into());
        self.shared.more.notify_one();
    }

    /// Stops the writer after it has written every queued line; returns all lines written.
    pub fn close(&self) -> Vec<String> {
        {
            let mut queue = self.shared.queue.lock().unwrap();
            queue.closed = true;
            self.shared.more.notify_one();
        }
        // The queue is unlocked while we wait for the writer: it needs that lock to see
        // `closed`, to write what is still pending and to return. Holding it across `join`
        // would make us wait for a thread that waits for us.
        let writer = self.writer.lock().unwrap().take();
        if let Some(writer) = writer {
            writer.join().unwrap();
        }
        std::mem::take(&mut self.shared.queue.lock().unwrap().written)
    }
}

/// The writer thread: writes queued lines until the log is closed and nothing is pending.
fn write_lines(shared: &Shared) {
    let mut queue = shared.queue.lock().unwrap();
    loop {
        if let Some(line) = queue.pending.pop_front() {
            queue.written.push(line);
        } else if queue.closed {
            return;
        } else {
            queue = shared.more.wait(queue).unwrap();
        }
    }
}
