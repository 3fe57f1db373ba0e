//! Payments and deposits racing on one account, under every interleaving loom explores: two
//! payments only one of which fits, with and without an auditor reading the balance meanwhile;
//! three payments that all fit (the fewest for which one payment can be beaten twice); a
//! payment too large beside one that fits; and a deposit landing between two payments.
#![cfg(loom)]

use check_then_act::{Account, Declined};
use racelings_sync::{Arc, model, thread};

/// Starts a thread that withdraws `amount` from `account`.
fn pay(account: &Arc<Account>, amount: i64) -> thread::JoinHandle<Result<i64, Declined>> {
    let account = Arc::clone(account);
    thread::spawn(move || account.withdraw(amount))
}

#[test]
fn only_one_of_two_payments_is_approved() {
    model(|| {
        let account = Arc::new(Account::with_balance(100));
        let other = pay(&account, 60);
        let here = account.withdraw(60);
        let there = other.join().unwrap();
        let balance = account.balance();
        assert!(
            balance >= 0,
            "the balance never goes below zero (it is {balance})"
        );
        let mut outcomes = [here, there];
        outcomes.sort_by_key(|o| o.is_err());
        assert_eq!(
            outcomes,
            [
                Ok(40),
                Err(Declined {
                    balance: 40,
                    requested: 60
                })
            ],
            "of two 60-cent payments from 100 cents, one is approved and leaves 40, and the \
             other is declined against those 40"
        );
        assert_eq!(balance, 40, "100 cents less one 60-cent payment leaves 40");
    });
}

#[test]
fn an_auditor_never_sees_a_negative_balance() {
    model(|| {
        let account = Arc::new(Account::with_balance(100));
        let other = pay(&account, 60);
        let auditor = {
            let account = Arc::clone(&account);
            thread::spawn(move || account.balance())
        };
        let here = account.withdraw(60);
        let there = other.join().unwrap();
        let seen = auditor.join().unwrap();
        assert!(
            seen >= 0,
            "an auditor reading the balance during two payments saw {seen} cents"
        );
        assert!(
            [100, 40].contains(&seen),
            "the auditor saw the balance before or after the approved payment, not {seen}"
        );
        assert!(
            here.is_ok() != there.is_ok(),
            "exactly one of two 60-cent payments from 100 cents is approved ({here:?}, {there:?})"
        );
        assert_eq!(
            account.balance(),
            40,
            "one approved payment leaves 40 cents"
        );
    });
}

#[test]
fn payments_the_balance_covers_are_all_approved() {
    model(|| {
        let account = Arc::new(Account::with_balance(90));
        let others = [pay(&account, 30), pay(&account, 30)];
        let here = account.withdraw(30);
        let mut outcomes = vec![here];
        outcomes.extend(others.map(|other| other.join().unwrap()));
        outcomes.sort_by_key(|o| o.map_err(|declined| declined.balance));
        assert_eq!(
            outcomes,
            [Ok(0), Ok(30), Ok(60)],
            "three 30-cent payments from 90 cents are all approved, each leaving 30 less"
        );
        assert_eq!(account.balance(), 0, "90 cents less three payments of 30");
    });
}

#[test]
fn a_payment_too_large_does_not_block_one_that_fits() {
    model(|| {
        let account = Arc::new(Account::with_balance(100));
        let too_large = pay(&account, 120);
        let fits = account.withdraw(50);
        let too_large = too_large.join().unwrap();
        assert_eq!(fits, Ok(50), "a 50-cent payment from 100 cents is approved");
        assert!(
            matches!(
                too_large,
                Err(Declined {
                    balance: 100 | 50,
                    requested: 120
                })
            ),
            "a 120-cent payment is declined against the 100 or 50 cents there were ({too_large:?})"
        );
        assert_eq!(account.balance(), 50, "100 cents less the 50-cent payment");
    });
}

#[test]
fn a_deposit_between_payments_is_kept() {
    model(|| {
        let account = Arc::new(Account::with_balance(100));
        let depositor = {
            let account = Arc::clone(&account);
            thread::spawn(move || account.deposit(30))
        };
        let first = account.withdraw(60);
        let second = account.withdraw(60);
        let deposited = depositor.join().unwrap();
        let outcome = (first, second, deposited, account.balance());
        let declined = Err(Declined {
            balance: 40,
            requested: 60,
        });
        let possible = [
            // The deposit came first, between the payments, or last.
            (Ok(70), Ok(10), 130, 10),
            (Ok(40), Ok(10), 70, 10),
            (Ok(40), declined, 70, 70),
        ];
        assert!(
            possible.contains(&outcome),
            "a 30-cent deposit and two 60-cent payments from 100 cents gave (first payment, \
             second payment, balance after the deposit, closing balance) = {outcome:?}; each \
             step sees the one before it, so it is one of {possible:?}"
        );
    });
}
