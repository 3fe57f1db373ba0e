//! Alternative fix: keeps the helper shape, with a conditional `adjust_if` that checks the
//! balance and changes it under one acquisition of the lock.
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
        self.adjust_if(-amount, |balance| balance >= amount)
            .map_err(|balance| Declined {
                balance,
                requested: amount,
            })
    }

    fn adjust(&self, delta: i64) -> i64 {
        let mut cents = self.cents.lock().unwrap();
        *cents += delta;
        *cents
    }

    /// Applies `delta` if `allowed` holds for the balance, deciding and changing under one
    /// lock; on refusal, returns the balance it saw.
    fn adjust_if(&self, delta: i64, allowed: impl FnOnce(i64) -> bool) -> Result<i64, i64> {
        let mut cents = self.cents.lock().unwrap();
        if !allowed(*cents) {
            return Err(*cents);
        }
        *cents += delta;
        Ok(*cents)
    }
}
