//! Tries: an atomic balance instead of a locked one, with the strongest ordering. Every
//! single load and subtraction is atomic, but the check and the withdrawal are still two
//! separate steps, and another payment can take the money between them.

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
