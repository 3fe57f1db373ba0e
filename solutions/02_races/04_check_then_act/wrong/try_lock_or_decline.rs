//! Tries: a payment that finds the account busy is declined instead of waiting: `try_lock`
//! the account, and if another payment holds it, decline, since a card terminal should not
//! hang. The balance never goes below zero, but a payment the balance covers is declined
//! whenever another payment or a deposit happens to hold the lock at that moment.
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

use racelings_sync::Mutex;

/// Why a withdrawal was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Declined {
    pub balance: i64,
    pub requested: i64,
}

/// One customer's account, shared by every thread that handles its payments.
#[derive(Debug, Default)]
pub struct Account {
    cents: Mutex<i64>,
}

impl Account {
    pub fn with_balance(cents: i64) -> Self {
        Account {
            cents: Mutex::new(cents),
        }
    }

    /// The balance right now, in cents.
    pub fn balance(&self) -> i64 {
        *self.cents.lock().unwrap()
    }

    /// Pays `amount` cents in; returns the new balance.
    pub fn deposit(&self, amount: i64) -> i64 {
        self.adjust(amount)
    }

    /// Takes `amount` cents out if the balance covers it; returns the new balance.
    pub fn withdraw(&self, amount: i64) -> Result<i64, Declined> {
        // The check and the withdrawal happen under one acquisition of the lock. If another
        // payment holds the account right now, decline rather than keep the terminal waiting.
        let Ok(mut cents) = self.cents.try_lock() else {
            return Err(Declined {
                balance: self.balance(),
                requested: amount,
            });
        };
        if *cents < amount {
            return Err(Declined {
                balance: *cents,
                requested: amount,
            });
        }
        *cents -= amount;
        Ok(*cents)
    }

    fn adjust(&self, delta: i64) -> i64 {
        let mut cents = self.cents.lock().unwrap();
        *cents += delta;
        *cents
    }
}
