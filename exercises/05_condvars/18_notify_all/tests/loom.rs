//! Two compressing threads waiting with chunks 1 and 2 while the main thread appends
//! chunk 0, under every interleaving loom explores.
#![cfg(loom)]

use notify_all::ChunkSequencer;
use racelings_sync::{Arc, model, thread};

#[test]
fn chunks_are_appended_whatever_order_threads_arrive_in() {
    model(|| {
        let sequencer = Arc::new(ChunkSequencer::new());
        let compressors: Vec<_> = [(1, b"b"), (2, b"c")]
            .into_iter()
            .map(|(index, data)| {
                let sequencer = Arc::clone(&sequencer);
                thread::spawn(move || sequencer.append(index, data))
            })
            .collect();
        sequencer.append(0, b"a");
        for compressor in compressors {
            compressor.join().unwrap();
        }
        let archive = Arc::try_unwrap(sequencer)
            .ok()
            .expect("every compressing thread has finished")
            .into_bytes();
        assert_eq!(
            archive, b"abc",
            "the archive holds every chunk once, in order"
        );
    });
}
