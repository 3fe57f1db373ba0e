//! Two customers paying each other at the same moment, under every interleaving loom explores.
#![cfg(loom)]

use lock_ordering::Bank;
use racelings_sync::{Arc, model, thread};

#[test]
fn opposite_transfers_both_finish() {
    model(|| {
        let bank = Arc::new(Bank::new(&[100, 100]));
        let other = {
            let bank = Arc::clone(&bank);
            thread::spawn(move || bank.transfer(1, 0, 30))
        };
        let mine = bank.transfer(0, 1, 10);
        let theirs = other.join().unwrap();
        assert_eq!(mine, Ok(()), "the transfer from account 0 went through");
        assert_eq!(theirs, Ok(()), "the transfer from account 1 went through");
        assert_eq!(bank.balance(0), 120, "account 0 paid 10 and received 30");
        assert_eq!(bank.balance(1), 80, "account 1 paid 30 and received 10");
    });
}
