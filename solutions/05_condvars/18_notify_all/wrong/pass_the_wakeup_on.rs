//! Tries: one wakeup at a time, passed along. Each append wakes one waiter with
//! `notify_one`, and a woken thread whose turn has not come wakes another before it goes
//! back to sleep, so the wakeup travels until it reaches the thread that is due. That works
//! only if the wakeups go round the waiters in turn, and a condition variable promises no
//! order: two waiters with later chunks can hand the wakeup back and forth between them
//! for ever while the thread that is due sleeps on.
//!
//! Puts compressed chunks back in order for the archive writer.
//!
//! The archiver cuts a file into numbered chunks and compresses them on a pool of threads.
//! Chunks finish in any order, but the archive must hold them in chunk order, so each
//! thread hands its result to `append`, which waits until every earlier chunk is in. With
//! two compressing threads this never went wrong. Since the pool grew, some archive jobs
//! hang for ever: every thread of the pool sits in `append`, though one of them holds
//! exactly the chunk that is due.
//!
//! (The workbook's condition variables wake now and then on their own, as real ones may,
//! so in the stress runs the hang shows only as a job that crawls; the loom check, whose
//! normal pass has no such wakeups, reports it as the deadlock it is.)
//!
//! Fixed means: when chunks 0 to n are each handed to `append` once, by threads that arrive
//! in any order (a thread may append several chunks, one after another), the archive holds
//! every chunk once, in chunk order; and no call to `append(i, …)` stays blocked once chunks
//! 0 to i − 1 are all in, even while threads with later chunks are still waiting.

use racelings_sync::{Condvar, Mutex};

struct Archive {
    bytes: Vec<u8>,
    next_chunk: usize,
}

/// Collects chunks, appending each one only after all the chunks before it.
pub struct ChunkSequencer {
    archive: Mutex<Archive>,
    chunk_written: Condvar,
}

impl Default for ChunkSequencer {
    fn default() -> Self {
        Self::new()
    }
}

impl ChunkSequencer {
    pub fn new() -> Self {
        ChunkSequencer {
            archive: Mutex::new(Archive {
                bytes: Vec::new(),
                next_chunk: 0,
            }),
            chunk_written: Condvar::new(),
        }
    }

    /// Appends chunk number `index` (counted from 0), waiting for its turn.
    pub fn append(&self, index: usize, data: &[u8]) {
        let mut archive = self.archive.lock().unwrap();
        while archive.next_chunk != index {
            archive = self.chunk_written.wait(archive).unwrap();
            if archive.next_chunk != index {
                // Not our turn: the wakeup was meant for another waiter, so pass it on.
                self.chunk_written.notify_one();
            }
        }
        archive.bytes.extend_from_slice(data);
        archive.next_chunk += 1;
        // Every waiter waits for a different chunk number, and a single wakeup may go to
        // one whose turn has not come; it passes the wakeup on, so it reaches the thread
        // whose turn it is without waking every thread at once.
        self.chunk_written.notify_one();
    }

    /// The archive so far: every chunk appended, in order.
    pub fn into_bytes(self) -> Vec<u8> {
        self.archive.into_inner().unwrap().bytes
    }
}
