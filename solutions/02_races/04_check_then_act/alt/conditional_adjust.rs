//! Alternative fix: keeps the helper shape, with a conditional `adjust_if` that checks the
//! balance and changes it under one acquisition of the lock.

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
