//! Failed logins, counted per client address and per account: the sixth wrong
//! password in a row locks both (everyone at that address, and that account
//! from anywhere) for a while that doubles with each lockout. Kept in memory:
//! a restart forgets, which an attacker cannot trigger from outside.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Wrong passwords allowed in a row; the next attempt is refused.
pub const MAX_FAILURES: u32 = 5;
const FIRST_LOCK: Duration = Duration::from_secs(15 * 60);
const LONGEST_LOCK: Duration = Duration::from_secs(24 * 3600);
/// Failures older than this no longer count.
const FORGET_AFTER: Duration = Duration::from_secs(3600);
/// Addresses remembered at most (a flood of addresses cannot grow memory).
const MAX_ADDRESSES: usize = 10_000;

#[derive(Clone, Copy, Debug, Default)]
struct Record {
    failures: u32,
    lockouts: u32,
    last_failure: Option<Instant>,
    locked_until: Option<Instant>,
}

impl Record {
    fn locked_for(&self, now: Instant) -> Option<Duration> {
        self.locked_until
            .and_then(|until| until.checked_duration_since(now))
            .filter(|left| !left.is_zero())
    }

    fn fail(&mut self, now: Instant) {
        if self
            .last_failure
            .is_some_and(|at| now.duration_since(at) > FORGET_AFTER)
        {
            self.failures = 0;
        }
        self.failures += 1;
        self.last_failure = Some(now);
        if self.failures >= MAX_FAILURES {
            let factor = 1u32 << self.lockouts.min(10);
            self.locked_until = Some(now + (FIRST_LOCK * factor).min(LONGEST_LOCK));
            self.lockouts += 1;
            self.failures = 0;
        }
    }
}

#[derive(Default)]
pub struct Lockout {
    inner: Mutex<State>,
}

#[derive(Default)]
struct State {
    addresses: HashMap<IpAddr, Record>,
    account: Record,
}

impl Lockout {
    /// How long logins from `address` (and to the account) must still wait.
    pub fn locked_for(&self, address: IpAddr, now: Instant) -> Option<Duration> {
        let state = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let by_address = state
            .addresses
            .get(&address)
            .and_then(|r| r.locked_for(now));
        let by_account = state.account.locked_for(now);
        by_address.max(by_account)
    }

    pub fn failed(&self, address: IpAddr, now: Instant) {
        let mut state = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if state.addresses.len() >= MAX_ADDRESSES && !state.addresses.contains_key(&address) {
            state.addresses.retain(|_, r| {
                r.locked_for(now).is_some()
                    || r.last_failure
                        .is_some_and(|at| now.duration_since(at) < FORGET_AFTER)
            });
        }
        state.addresses.entry(address).or_default().fail(now);
        state.account.fail(now);
    }

    /// A right password: the address and the account start afresh (their
    /// lockout history stays, so the next lockout is longer).
    pub fn succeeded(&self, address: IpAddr) {
        let mut state = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(record) = state.addresses.get_mut(&address) {
            record.failures = 0;
        }
        state.account.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_attempt_is_locked_for_the_address_and_the_account() {
        let lockout = Lockout::default();
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let now = Instant::now();
        for _ in 0..MAX_FAILURES - 1 {
            lockout.failed(a, now);
            assert!(lockout.locked_for(a, now).is_none());
        }
        lockout.failed(a, now);
        assert_eq!(lockout.locked_for(a, now), Some(FIRST_LOCK));
        assert!(
            lockout.locked_for(b, now).is_some(),
            "the account is locked"
        );
        let later = now + FIRST_LOCK + Duration::from_secs(1);
        assert!(lockout.locked_for(a, later).is_none());
        for _ in 0..MAX_FAILURES {
            lockout.failed(a, later);
        }
        assert_eq!(
            lockout.locked_for(a, later),
            Some(FIRST_LOCK * 2),
            "doubles"
        );
    }

    #[test]
    fn a_success_clears_the_count() {
        let lockout = Lockout::default();
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let now = Instant::now();
        for _ in 0..MAX_FAILURES - 1 {
            lockout.failed(a, now);
        }
        lockout.succeeded(a);
        lockout.failed(a, now);
        assert!(lockout.locked_for(a, now).is_none());
    }
}
