//! Tries: an atomic balance instead of a locked one, with the strongest ordering. Every
//! single load and subtraction is atomic, but the check and the withdrawal are still two
//! separate steps, and another payment can take the money between them.
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
        self.adjust(amount)
    }

    /// Takes `amount` cents out if the balance covers it; returns the new balance.
    pub fn withdraw(&self, amount: i64) -> Result<i64, Declined> {
        let balance = self.cents.load(Ordering::SeqCst);
        if balance < amount {
            return Err(Declined {
                balance,
                requested: amount,
            });
        }
        Ok(self.cents.fetch_sub(amount, Ordering::SeqCst) - amount)
    }

    fn adjust(&self, delta: i64) -> i64 {
        self.cents.fetch_add(delta, Ordering::SeqCst) + delta
    }
}
