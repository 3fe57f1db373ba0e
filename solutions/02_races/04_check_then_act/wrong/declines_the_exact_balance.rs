//! Tries: an atomic balance and `fetch_update`, which retries its compare-and-swap until it
//! sticks, as in a correct fix, with the rule written on the balance left: take the money only
//! if something is left afterwards. A payment of exactly the balance leaves zero, which is not
//! below zero, so it is covered; this version declines it, and the customer's last payment of
//! the month bounces.
//!
//! Customer accounts for the card-payments service.
//!
//! A balance is kept in cents and must never go below zero: `withdraw` declines any
//! payment the balance cannot cover. Every step takes the account's lock, and no test
//! ever found a problem. Yet the nightly audit keeps finding accounts in the red, always
//! ones where two card payments were approved within the same few microseconds.
//!
//! Fixed means: however many payments and deposits hit one account at once, every change is
//! kept, and a withdrawal is approved exactly when the balance at that moment is at least the
//! amount: an approved one returns the balance it leaves, a declined one the balance that
//! could not cover it. Nobody, not even a reader of `balance` in the middle of a payment,
//! ever sees the balance below zero.

use racelings_sync::atomic::{AtomicI64, Ordering};

/// Why a withdrawal was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Declined {
    pub balance: i64,
    pub requested: i64,
}

/// One customer's account, shared by every thread that handles its payments.
#[derive(Debug, Default)]
pub struct Account {
    cents: AtomicI64,
}

impl Account {
    pub fn with_balance(cents: i64) -> Self {
        Account {
            cents: AtomicI64::new(cents),
        }
    }

    /// The balance right now, in cents.
    pub fn balance(&self) -> i64 {
        self.cents.load(Ordering::SeqCst)
    }

    /// Pays `amount` cents in; returns the new balance.
    pub fn deposit(&self, amount: i64) -> i64 {
        self.cents.fetch_add(amount, Ordering::SeqCst) + amount
    }

    /// Takes `amount` cents out if the balance covers it; returns the new balance.
    pub fn withdraw(&self, amount: i64) -> Result<i64, Declined> {
        self.cents
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |balance| {
                let left = balance - amount;
                (left > 0).then_some(left)
            })
            .map(|before| before - amount)
            .map_err(|balance| Declined {
                balance,
                requested: amount,
            })
    }
}
