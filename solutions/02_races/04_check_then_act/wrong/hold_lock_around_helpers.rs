//! Tries: holding the account's lock for the whole of `withdraw`, around the calls to
//! `balance` and `adjust`. Those helpers take the same lock again, and a `Mutex` is not
//! re-entrant: the first withdrawal waits for itself forever.
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
        let _held = self.cents.lock().unwrap();
        let balance = self.balance();
        if balance < amount {
            return Err(Declined {
                balance,
                requested: amount,
            });
        }
        Ok(self.adjust(-amount))
    }

    fn adjust(&self, delta: i64) -> i64 {
        let mut cents = self.cents.lock().unwrap();
        *cents += delta;
        *cents
    }
}
