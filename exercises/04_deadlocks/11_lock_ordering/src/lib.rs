//! The ledger behind a small payments service: accounts and transfers between them.
//!
//! Each request thread calls `transfer` to move money from one account to another; a nightly
//! job checks that `total` never changes. In testing everything passed, but in production the
//! service froze now and then under load: a few request threads stopped making progress
//! and never came back, always while customers were paying each other back and forth.
//!
//! Fixed means: any number of threads can transfer between any accounts, in any direction, at
//! the same time, and every call returns. A transfer that goes through moves `amount` from
//! `from` to `to` exactly once, and on both accounts at once: after a `balance` call has seen
//! it on one of the two accounts, every later `balance` call sees it on the other too. A
//! transfer to the same account returns `Ok` and one with an unknown account
//! `UnknownAccount`; one of more than `from` holds (a transfer of exactly the balance goes
//! through) returns `InsufficientFunds`; neither changes any balance.

use racelings_sync::Mutex;

/// Why a transfer was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferError {
    UnknownAccount,
    InsufficientFunds,
}

/// Every account's balance, in cents, indexed by account id.
#[derive(Debug)]
pub struct Bank {
    accounts: Vec<Mutex<u64>>,
}

impl Bank {
    /// A bank whose account `i` opens with `balances[i]`.
    pub fn new(balances: &[u64]) -> Self {
        Bank {
            accounts: balances.iter().map(|&b| Mutex::new(b)).collect(),
        }
    }

    /// Moves `amount` from account `from` to account `to`, or changes nothing.
    pub fn transfer(&self, from: usize, to: usize, amount: u64) -> Result<(), TransferError> {
        if from >= self.accounts.len() || to >= self.accounts.len() {
            return Err(TransferError::UnknownAccount);
        }
        if from == to {
            return Ok(());
        }
        let mut source = self.accounts[from].lock().unwrap();
        let mut target = self.accounts[to].lock().unwrap();
        if *source < amount {
            return Err(TransferError::InsufficientFunds);
        }
        *source -= amount;
        *target += amount;
        Ok(())
    }

    /// The balance of account `id`.
    pub fn balance(&self, id: usize) -> u64 {
        *self.accounts[id].lock().unwrap()
    }

    /// The sum of every balance; only meaningful while no transfer is running.
    pub fn total(&self) -> u64 {
        (0..self.accounts.len()).map(|id| self.balance(id)).sum()
    }
}
