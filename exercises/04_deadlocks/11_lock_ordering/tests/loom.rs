//! Customers paying each other at the same moment, under every interleaving loom explores.
#![cfg(loom)]

use lock_ordering::{Bank, TransferError};
use racelings_sync::{Arc, model, thread};

#[test]
fn opposite_transfers_both_finish() {
    model(|| {
        let bank = Arc::new(Bank::new(&[100, 100]));
        let other = {
            let bank = Arc::clone(&bank);
            thread::spawn(move || bank.transfer(1, 0, 30))
        };
        let mine = bank.transfer(0, 1, 10);
        let theirs = other.join().unwrap();
        assert_eq!(mine, Ok(()), "the transfer from account 0 went through");
        assert_eq!(theirs, Ok(()), "the transfer from account 1 went through");
        assert_eq!(bank.balance(0), 120, "account 0 paid 10 and received 30");
        assert_eq!(bank.balance(1), 80, "account 1 paid 30 and received 10");
    });
}

/// Three transfers round a circle of three accounts: a circle of waits needs no pair of
/// opposite transfers, only every transfer holding one account and reaching for the next.
#[test]
fn transfers_round_a_circle_all_finish() {
    model(|| {
        let bank = Arc::new(Bank::new(&[100, 100, 100]));
        let others: Vec<_> = [(1, 2, 20), (2, 0, 30)]
            .into_iter()
            .map(|(from, to, amount)| {
                let bank = Arc::clone(&bank);
                thread::spawn(move || bank.transfer(from, to, amount))
            })
            .collect();
        let mine = bank.transfer(0, 1, 10);
        let theirs: Vec<_> = others.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(mine, Ok(()), "the transfer from account 0 went through");
        assert_eq!(
            theirs,
            [Ok(()), Ok(())],
            "the other two transfers went through"
        );
        assert_eq!(bank.balance(0), 120, "account 0 paid 10 and received 30");
        assert_eq!(bank.balance(1), 90, "account 1 paid 20 and received 10");
        assert_eq!(bank.balance(2), 90, "account 2 paid 30 and received 20");
    });
}

/// A customer looks at both accounts while a transfer between them runs: source, target,
/// source again. Once one look shows the transfer, every later look must show it too.
#[test]
fn a_transfer_shows_on_both_accounts_at_once() {
    model(|| {
        let bank = Arc::new(Bank::new(&[100, 100]));
        let payer = {
            let bank = Arc::clone(&bank);
            thread::spawn(move || bank.transfer(0, 1, 10))
        };
        let looks = [bank.balance(0), bank.balance(1), bank.balance(0)];
        let shown = [looks[0] == 90, looks[1] == 110, looks[2] == 90];
        assert!(
            [looks[0], looks[2]].iter().all(|b| [100, 90].contains(b))
                && [100, 110].contains(&looks[1]),
            "each look shows account 0 with 100 or 90 and account 1 with 100 or 110, saw {looks:?}"
        );
        assert!(
            shown.windows(2).all(|w| w[0] <= w[1]),
            "a look after one that showed the transfer shows it too; balances of accounts \
             0, 1, 0 in turn were {looks:?}"
        );
        assert_eq!(payer.join().unwrap(), Ok(()), "the transfer went through");
    });
}

/// The calls that move nothing: to the same account, with an unknown account, and more than
/// the source holds; and the largest transfer that fits, exactly the balance.
#[test]
fn refused_and_same_account_transfers_change_nothing() {
    model(|| {
        let bank = Arc::new(Bank::new(&[50, 0]));
        let other = {
            let bank = Arc::clone(&bank);
            thread::spawn(move || bank.transfer(0, 0, 10))
        };
        assert_eq!(
            bank.transfer(1, 0, 1),
            Err(TransferError::InsufficientFunds),
            "account 1 holds nothing to pay with"
        );
        assert_eq!(
            other.join().unwrap(),
            Ok(()),
            "a transfer to the same account is Ok"
        );
        assert_eq!(bank.transfer(0, 2, 1), Err(TransferError::UnknownAccount));
        assert_eq!(bank.transfer(2, 0, 1), Err(TransferError::UnknownAccount));
        assert_eq!(
            (bank.balance(0), bank.balance(1)),
            (50, 0),
            "no balance changed"
        );
        assert_eq!(
            bank.transfer(0, 1, 50),
            Ok(()),
            "the whole balance can be paid"
        );
        assert_eq!(
            bank.transfer(0, 1, 1),
            Err(TransferError::InsufficientFunds)
        );
        assert_eq!((bank.balance(0), bank.balance(1)), (0, 50), "50 moved once");
    });
}
