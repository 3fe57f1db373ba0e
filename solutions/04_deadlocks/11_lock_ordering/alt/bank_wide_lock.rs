//! Alternative fix: one bank-wide lock instead of one lock per account.
//!
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
    accounts: Mutex<Vec<u64>>,
}

impl Bank {
    /// A bank whose account `i` opens with `balances[i]`.
    pub fn new(balances: &[u64]) -> Self {
        Bank {
            accounts: Mutex::new(balances.to_vec()),
        }
    }

    /// Moves `amount` from account `from` to account `to`, or changes nothing.
    pub fn transfer(&self, from: usize, to: usize, amount: u64) -> Result<(), TransferError> {
        // One lock for the whole bank: a thread never holds one lock while waiting for
        // another, so there is nothing to wait for in a circle. The price is that transfers
        // between unrelated accounts no longer run in parallel.
        let mut accounts = self.accounts.lock().unwrap();
        if from >= accounts.len() || to >= accounts.len() {
            return Err(TransferError::UnknownAccount);
        }
        if from == to {
            return Ok(());
        }
        if accounts[from] < amount {
            return Err(TransferError::InsufficientFunds);
        }
        accounts[from] -= amount;
        accounts[to] += amount;
        Ok(())
    }

    /// The balance of account `id`.
    pub fn balance(&self, id: usize) -> u64 {
        self.accounts.lock().unwrap()[id]
    }

    /// The sum of every balance; only meaningful while no transfer is running.
    pub fn total(&self) -> u64 {
        self.accounts.lock().unwrap().iter().sum()
    }
}
