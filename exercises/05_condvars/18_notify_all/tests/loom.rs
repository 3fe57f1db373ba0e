//! Compressing threads waiting with later chunks while the main thread appends the early
//! ones, under every interleaving loom explores, and once more with a wakeup nobody sent:
//! two threads with chunks 1 and 2 behind chunk 0; two threads with chunks 1 and 3 while
//! the main thread appends chunk 0 and then comes back with chunk 2; and three threads with
//! chunks 1, 2 and 3 (one of them empty) all waiting behind chunk 0.
#![cfg(loom)]

use notify_all::ChunkSequencer;
use racelings_sync::{Arc, model, thread};

/// Spawns a thread per `(index, data)` that appends that chunk.
fn compress_in_background<const N: usize>(
    sequencer: &Arc<ChunkSequencer>,
    chunks: [(usize, &'static [u8]); N],
) -> Vec<thread::JoinHandle<()>> {
    chunks
        .into_iter()
        .map(|(index, data)| {
            let sequencer = Arc::clone(sequencer);
            thread::spawn(move || sequencer.append(index, data))
        })
        .collect()
}

/// Waits for every thread, then returns the archive.
fn finish(sequencer: Arc<ChunkSequencer>, threads: Vec<thread::JoinHandle<()>>) -> Vec<u8> {
    for thread in threads {
        thread.join().unwrap();
    }
    Arc::try_unwrap(sequencer)
        .ok()
        .expect("every compressing thread has finished")
        .into_bytes()
}

#[test]
fn chunks_are_appended_whatever_order_threads_arrive_in() {
    model(|| {
        let sequencer = Arc::new(ChunkSequencer::new());
        let compressors = compress_in_background(&sequencer, [(1, b"b"), (2, b"c")]);
        sequencer.append(0, b"a");
        let archive = finish(sequencer, compressors);
        assert_eq!(
            archive, b"abc",
            "the archive holds every chunk once, in order"
        );
    });
}

/// Chunks 1 and 3 may wait at the same time: the same kind of wait, different chunks. The
/// main thread's second append is due only once chunk 1 is in.
#[test]
fn a_thread_comes_back_with_a_later_chunk() {
    model(|| {
        let sequencer = Arc::new(ChunkSequencer::new());
        let compressors = compress_in_background(&sequencer, [(1, b"b"), (3, b"d")]);
        sequencer.append(0, b"a");
        sequencer.append(2, b"c");
        let archive = finish(sequencer, compressors);
        assert_eq!(
            archive, b"abcd",
            "the archive holds every chunk once, in order"
        );
    });
}

/// Three threads may wait at once, in any order: waking two of them (or any fixed number
/// short of all) can miss the one that is due. A chunk may also compress to nothing; it
/// is still a chunk, and the one after it is due once it is in.
#[test]
fn three_threads_wait_behind_the_first_chunk() {
    model(|| {
        let sequencer = Arc::new(ChunkSequencer::new());
        let compressors = compress_in_background(&sequencer, [(1, b"b"), (2, b""), (3, b"d")]);
        sequencer.append(0, b"a");
        let archive = finish(sequencer, compressors);
        assert_eq!(
            archive, b"abd",
            "the archive holds every chunk once, in order (chunk 2 is empty)"
        );
    });
}
