//! Card terminals taking payments from one account and refunding them, on real threads.
#![cfg(not(loom))]

use check_then_act::Account;
use racelings_sync::{Arc, Barrier, stress, thread};

const TERMINALS: usize = 4;
const PAYMENTS_EACH: usize = 5_000;
const OPENING_BALANCE: i64 = 100;
const PAYMENT: i64 = 60;

/// What the nightly audit looks at.
#[derive(Debug, PartialEq, Eq)]
struct Audit {
    lowest_balance: i64,
    closing_balance: i64,
}

#[test]
fn no_account_is_overdrawn() {
    stress(
        30,
        |_round| {
            let account = Arc::new(Account::with_balance(OPENING_BALANCE));
            let start = Arc::new(Barrier::new(TERMINALS));
            let terminals: Vec<_> = (0..TERMINALS)
                .map(|_| {
                    let account = Arc::clone(&account);
                    let start = Arc::clone(&start);
                    thread::spawn(move || {
                        start.wait();
                        let mut lowest = i64::MAX;
                        for _ in 0..PAYMENTS_EACH {
                            // Approved payments are refunded, so the money keeps moving.
                            if let Ok(left) = account.withdraw(PAYMENT) {
                                lowest = lowest.min(left);
                                account.deposit(PAYMENT);
                            }
                        }
                        lowest
                    })
                })
                .collect();
            let lowest_balance = terminals
                .into_iter()
                .map(|t| t.join().unwrap())
                .min()
                .unwrap();
            Audit {
                lowest_balance,
                closing_balance: account.balance(),
            }
        },
        |audit| audit.lowest_balance >= 0 && audit.closing_balance == OPENING_BALANCE,
    );
}
