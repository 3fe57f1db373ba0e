//! Which waiters of a condition variable a notification may wake, as std promises it: a
//! `notify_one` wakes *some* thread that was waiting when it was sent, not a chosen one.
//!
//! Each wait takes a ticket. A `notify_one` leaves a token that any thread waiting at that
//! moment may claim; under loom every waiter is woken and they race for the lock, so the
//! model explores each of them taking it (loom's own condition variable always wakes the
//! longest waiter). A `notify_all` wakes every ticket taken before it.
#![cfg_attr(not(loom), allow(dead_code))]

/// The waiters of one condition variable and the notifications not yet taken.
#[derive(Debug, Default)]
pub(crate) struct Tickets {
    next: u64,
    /// Tickets of the threads waiting now, oldest first.
    waiting: Vec<u64>,
    /// One per `notify_one` not yet taken: it wakes one waiter whose ticket is below it.
    tokens: Vec<u64>,
    /// A `notify_all` woke every ticket below this.
    all_below: u64,
    /// Timed waits whose time ran out.
    expired: Vec<u64>,
}

impl Tickets {
    /// A thread begins to wait: its ticket.
    pub(crate) fn enter(&mut self) -> u64 {
        let ticket = self.next;
        self.next += 1;
        self.waiting.push(ticket);
        ticket
    }

    /// A `notify_one`: whether it may wake anyone (no thread waits for it otherwise, and
    /// std's `notify_one` then does nothing).
    pub(crate) fn notify_one(&mut self) -> bool {
        if self.tokens.len() >= self.waiting.len() {
            return false;
        }
        self.tokens.push(self.next);
        true
    }

    /// A `notify_all`: every thread waiting now is woken.
    pub(crate) fn notify_all(&mut self) -> bool {
        self.all_below = self.next;
        self.tokens.clear();
        !self.waiting.is_empty()
    }

    /// Whether the waiter with `ticket` has been notified; if so, it takes the notification
    /// (the oldest one it may take, so a later one is left for the waiters only it can
    /// wake) and stops waiting.
    pub(crate) fn claim(&mut self, ticket: u64) -> bool {
        let woken = if ticket < self.all_below {
            true
        } else if let Some(i) = self.tokens.iter().position(|&t| ticket < t) {
            self.tokens.remove(i);
            true
        } else {
            false
        };
        if woken {
            self.leave(ticket);
        }
        woken
    }

    /// The time of the timed wait with `ticket` ran out.
    pub(crate) fn expire(&mut self, ticket: u64) {
        self.expired.push(ticket);
    }

    /// Whether the time of the wait with `ticket` ran out; if so, it stops waiting.
    pub(crate) fn timed_out(&mut self, ticket: u64) -> bool {
        let expired = self.expired.contains(&ticket);
        if expired {
            self.leave(ticket);
        }
        expired
    }

    /// The waiter with `ticket` stops waiting (notified, timed out or woken spuriously); a
    /// notification nobody still waiting could take is dropped, as std's would wake nobody.
    pub(crate) fn leave(&mut self, ticket: u64) {
        self.waiting.retain(|&w| w != ticket);
        self.expired.retain(|&w| w != ticket);
        let waiting = &self.waiting;
        self.tokens.retain(|&t| waiting.iter().any(|&w| w < t));
        self.tokens.truncate(self.waiting.len());
    }
}

#[cfg(test)]
mod tests {
    use super::Tickets;

    #[test]
    fn a_notify_one_wakes_whichever_waiter_claims_it_first() {
        for first in [0, 1] {
            let mut t = Tickets::default();
            let waiters = [t.enter(), t.enter()];
            assert!(t.notify_one());
            assert!(t.claim(waiters[first]));
            assert!(!t.claim(waiters[1 - first]), "one notification, one waiter");
        }
    }

    #[test]
    fn a_waiter_that_came_after_the_notification_cannot_take_it() {
        let mut t = Tickets::default();
        let early = t.enter();
        assert!(t.notify_one());
        let late = t.enter();
        assert!(!t.claim(late));
        assert!(t.claim(early));
    }

    #[test]
    fn notify_one_without_waiters_is_lost_and_notify_all_wakes_only_earlier_waiters() {
        let mut t = Tickets::default();
        assert!(!t.notify_one());
        let a = t.enter();
        assert!(!t.claim(a));
        let b = t.enter();
        assert!(t.notify_all());
        let c = t.enter();
        assert!(t.claim(b) && t.claim(a));
        assert!(!t.claim(c));
    }

    #[test]
    fn a_waiter_takes_the_oldest_notification_it_may_so_none_is_wasted() {
        let mut t = Tickets::default();
        let a = t.enter();
        assert!(t.notify_one());
        let b = t.enter();
        assert!(t.notify_one());
        // `a` may take either; taking the older leaves the newer one for `b`.
        assert!(t.claim(a));
        assert!(t.claim(b));
    }

    #[test]
    fn a_notification_for_a_waiter_that_timed_out_is_dropped() {
        let mut t = Tickets::default();
        let a = t.enter();
        assert!(t.notify_one());
        t.leave(a);
        let b = t.enter();
        assert!(!t.claim(b));
    }
}
