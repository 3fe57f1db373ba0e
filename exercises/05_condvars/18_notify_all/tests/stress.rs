//! A pool of compressing threads finishing chunks in any order, on real threads.
#![cfg(not(loom))]

use notify_all::ChunkSequencer;
use racelings_sync::atomic::{AtomicUsize, Ordering};
use racelings_sync::{Arc, Barrier, stress, thread};

const THREADS: usize = 4;
const CHUNKS: usize = 64;

#[derive(Debug, PartialEq)]
struct Round {
    /// Chunks in the archive.
    chunks: usize,
    /// The first position in the archive that does not hold the chunk with that number.
    first_out_of_place: Option<usize>,
}

/// What a chunk compresses to in this test: its number, twice.
fn compressed(index: usize) -> [u8; 2] {
    [index as u8, index as u8]
}

#[test]
fn archive_holds_every_chunk_in_order() {
    stress(
        30,
        |_round| {
            let sequencer = Arc::new(ChunkSequencer::new());
            let next_to_compress = Arc::new(AtomicUsize::new(0));
            let start = Arc::new(Barrier::new(THREADS));
            let pool: Vec<_> = (0..THREADS)
                .map(|_| {
                    let sequencer = Arc::clone(&sequencer);
                    let next_to_compress = Arc::clone(&next_to_compress);
                    let start = Arc::clone(&start);
                    thread::spawn(move || {
                        start.wait();
                        loop {
                            let index = next_to_compress.fetch_add(1, Ordering::Relaxed);
                            if index >= CHUNKS {
                                break;
                            }
                            // Chunks take uneven time to compress.
                            for _ in 0..(index * 7919) % 500 {
                                std::hint::black_box(index);
                            }
                            sequencer.append(index, &compressed(index));
                        }
                    })
                })
                .collect();
            for thread in pool {
                thread.join().unwrap();
            }
            let archive = Arc::try_unwrap(sequencer)
                .ok()
                .expect("every compressing thread has finished")
                .into_bytes();
            let chunks: Vec<usize> = archive.chunks(2).map(|c| usize::from(c[0])).collect();
            Round {
                chunks: chunks.len(),
                first_out_of_place: chunks.iter().enumerate().position(|(at, &c)| at != c),
            }
        },
        |round| {
            *round
                == Round {
                    chunks: CHUNKS,
                    first_out_of_place: None,
                }
        },
    );
}
