//! Two payments racing for one account's money, under every interleaving loom explores.
#![cfg(loom)]

use check_then_act::Account;
use racelings_sync::{Arc, model, thread};

#[test]
fn only_one_of_two_payments_is_approved() {
    model(|| {
        let account = Arc::new(Account::with_balance(100));
        let other = {
            let account = Arc::clone(&account);
            thread::spawn(move || account.withdraw(60).is_ok())
        };
        let here = account.withdraw(60).is_ok();
        let there = other.join().unwrap();
        let balance = account.balance();
        assert!(
            balance >= 0,
            "the balance never goes below zero (it is {balance})"
        );
        assert!(
            here != there,
            "exactly one of two 60-cent payments from 100 cents is approved"
        );
        assert_eq!(balance, 40, "100 cents less one 60-cent payment leaves 40");
    });
}
