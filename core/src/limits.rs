//! Rate limits: how often an address or an account may sign in, register, write and be mailed
//! (GCRA buckets kept by `governor`, one keyed limiter per kind), and how long a login waits after
//! wrong passwords (a count of failures whose wait doubles).
//!
//! The limiters read the installation's clock, so the tests that move it move the buckets too.
//! Neither ever forgets a key that still limits someone: `governor` drops only the keys that
//! have refilled to where a new one would start, and the failure counts drop only those quiet
//! for an hour, then the stalest tenth, never all at once.

use std::{
    collections::HashMap,
    num::NonZeroU32,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use governor::{
    clock::Clock as GovernorClock, middleware::NoOpMiddleware,
    state::keyed::DefaultKeyedStateStore, Quota,
};

use crate::auth::Clock;

/// Keys a limiter holds before it looks for ones it can forget.
const MAX_KEYS: usize = 100_000;

/// How many checks pass between two looks at a limiter's size.
const SWEEP_EVERY: usize = 4_096;

/// Wrong passwords for one login let through before the waits begin.
const FREE_FAILURES: u32 = 10;

/// The wait after the tenth wrong password; each further one doubles it.
const FIRST_WAIT_SECS: i64 = 30;

/// The longest wait for one login: half an hour.
const LONGEST_WAIT_SECS: i64 = 1_800;

/// A quiet hour forgives a login's wrong passwords.
const FORGIVEN_AFTER_SECS: i64 = 3_600;

/// The rate-limited kinds of request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limited {
    Login,
    Register,
    Write,
    /// Searches, each of which reads every document.
    Search,
}

impl Limited {
    /// The kind of request, as a refusal names it.
    pub fn key(self) -> &'static str {
        match self {
            Limited::Login => "login",
            Limited::Register => "register",
            Limited::Write => "write",
            Limited::Search => "search",
        }
    }

    /// At once, then so many a minute.
    fn quota(self) -> Quota {
        match self {
            Limited::Login => per_minute(10, 10),
            Limited::Register => per_minute(5, 5),
            Limited::Write => per_minute(60, 120),
            Limited::Search => per_minute(20, 30),
        }
    }
}

/// `burst` at once, refilled at `per_minute`.
fn per_minute(burst: u32, per_minute: u32) -> Quota {
    let one = NonZeroU32::MIN;
    Quota::with_period(Duration::from_secs(60) / per_minute.max(1))
        .unwrap_or_else(|| Quota::per_second(one))
        .allow_burst(NonZeroU32::new(burst).unwrap_or(one))
}

/// The installation's clock as `governor` reads it: whole seconds since the epoch.
#[derive(Clone)]
struct Seconds(Clock);

impl GovernorClock for Seconds {
    type Instant = Duration;

    fn now(&self) -> Duration {
        Duration::from_secs(u64::try_from((self.0)()).unwrap_or(0))
    }
}

/// One keyed limiter and the count that says when to sweep it.
struct Keyed {
    limiter: governor::RateLimiter<
        String,
        DefaultKeyedStateStore<String>,
        Seconds,
        NoOpMiddleware<Duration>,
    >,
    checks: AtomicUsize,
}

impl Keyed {
    fn new(quota: Quota, clock: &Clock) -> Self {
        Self {
            limiter: governor::RateLimiter::dashmap_with_clock(quota, Seconds(clock.clone())),
            checks: AtomicUsize::new(0),
        }
    }

    fn allows(&self, key: &str) -> bool {
        let allowed = self.limiter.check_key(&bounded(key)).is_ok();
        if self
            .checks
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(SWEEP_EVERY)
            && self.limiter.len() > MAX_KEYS
        {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        allowed
    }
}

/// A key as stored: at most 300 characters, whatever a client sent.
fn bounded(key: &str) -> String {
    key.chars().take(300).collect()
}

/// Wrong passwords for one login, and when the last came.
#[derive(Clone, Copy)]
struct Failures {
    count: u32,
    last: i64,
}

impl Failures {
    /// Until when the next attempt waits (seconds), if it does.
    fn wait_until(self) -> Option<i64> {
        let over = self.count.checked_sub(FREE_FAILURES)?;
        let wait = FIRST_WAIT_SECS
            .saturating_mul(1 << over.min(16))
            .min(LONGEST_WAIT_SECS);
        Some(self.last + wait)
    }
}

struct Limiters {
    clock: Clock,
    login: Keyed,
    register: Keyed,
    write: Keyed,
    search: Keyed,
    /// Links mailed to confirm one account's address: 3 at once, then one every ten minutes.
    mail: Keyed,
    failures: Mutex<HashMap<String, Failures>>,
}

/// Every rate limit of the installation; clones share them.
#[derive(Clone)]
pub struct RateLimits(Arc<Limiters>);

impl RateLimits {
    pub fn new(clock: Clock) -> Self {
        let mail = Quota::with_period(Duration::from_secs(600))
            .unwrap_or_else(|| Quota::per_hour(NonZeroU32::MIN))
            .allow_burst(NonZeroU32::new(3).unwrap_or(NonZeroU32::MIN));
        Self(Arc::new(Limiters {
            login: Keyed::new(Limited::Login.quota(), &clock),
            register: Keyed::new(Limited::Register.quota(), &clock),
            write: Keyed::new(Limited::Write.quota(), &clock),
            search: Keyed::new(Limited::Search.quota(), &clock),
            mail: Keyed::new(mail, &clock),
            failures: Mutex::default(),
            clock,
        }))
    }

    /// Takes one of `kind`'s allowance for `key` (an address or an account); false when spent.
    pub fn allows(&self, kind: Limited, key: &str) -> bool {
        let keyed = match kind {
            Limited::Login => &self.0.login,
            Limited::Register => &self.0.register,
            Limited::Write => &self.0.write,
            Limited::Search => &self.0.search,
        };
        keyed.allows(key)
    }

    /// Whether `account` may be mailed another link to confirm its address now.
    pub fn may_mail(&self, account: &str) -> bool {
        self.0.mail.allows(account)
    }

    /// Whether `login` must still wait after its wrong passwords.
    pub fn sign_in_waits(&self, login: &str) -> bool {
        let now = (self.0.clock)();
        let failures = self.failures();
        failures
            .get(&login_key(login))
            .filter(|f| now - f.last <= FORGIVEN_AFTER_SECS)
            .and_then(|f| f.wait_until())
            .is_some_and(|until| now < until)
    }

    /// A wrong password for `login`: past ten, each one doubles the wait before the next is
    /// checked (30 s, one minute, two, … half an hour at most), wherever the guesses come from.
    pub fn sign_in_failed(&self, login: &str) {
        let now = (self.0.clock)();
        let key = login_key(login);
        let mut failures = self.failures();
        if failures.len() >= MAX_KEYS && !failures.contains_key(&key) {
            // A flood of logins: forget the quiet ones, then the stalest tenth.
            failures.retain(|_, f| now - f.last <= FORGIVEN_AFTER_SECS);
            if failures.len() >= MAX_KEYS {
                let mut by_age: Vec<(i64, String)> =
                    failures.iter().map(|(k, f)| (f.last, k.clone())).collect();
                by_age.sort_unstable();
                let stalest = by_age.len() / 10;
                for (_, key) in by_age.into_iter().take(stalest) {
                    failures.remove(&key);
                }
            }
        }
        let entry = failures.entry(key).or_insert(Failures {
            count: 0,
            last: now,
        });
        if now - entry.last > FORGIVEN_AFTER_SECS {
            entry.count = 0;
        }
        entry.count = entry.count.saturating_add(1);
        entry.last = now;
    }

    /// A right password for `login`: its count starts again.
    pub fn signed_in(&self, login: &str) {
        self.failures().remove(&login_key(login));
    }

    fn failures(&self) -> std::sync::MutexGuard<'_, HashMap<String, Failures>> {
        self.0.failures.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn login_key(login: &str) -> String {
    bounded(&login.trim().to_lowercase())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicI64;

    use super::*;

    fn limits() -> (RateLimits, Arc<AtomicI64>) {
        let now = Arc::new(AtomicI64::new(1_000_000));
        let clock = now.clone();
        (
            RateLimits::new(Arc::new(move || clock.load(Ordering::SeqCst))),
            now,
        )
    }

    #[test]
    fn a_burst_then_the_refill_rate() {
        let (limits, now) = limits();
        for _ in 0..5 {
            assert!(limits.allows(Limited::Register, "ip:192.0.2.1"));
        }
        assert!(!limits.allows(Limited::Register, "ip:192.0.2.1"));
        assert!(
            limits.allows(Limited::Register, "ip:192.0.2.2"),
            "another address has its own allowance"
        );
        // Five a minute: one more after twelve seconds.
        now.fetch_add(11, Ordering::SeqCst);
        assert!(!limits.allows(Limited::Register, "ip:192.0.2.1"));
        now.fetch_add(1, Ordering::SeqCst);
        assert!(limits.allows(Limited::Register, "ip:192.0.2.1"));
    }

    #[test]
    fn spraying_keys_never_resets_a_spent_allowance() {
        let (limits, now) = limits();
        for i in 0..MAX_KEYS {
            limits.allows(Limited::Login, &format!("ip:sprayed-{i}"));
        }
        // A minute on, the sprayed allowances have refilled; one address spends its own.
        now.fetch_add(60, Ordering::SeqCst);
        while limits.allows(Limited::Login, "ip:192.0.2.1") {}
        for i in 0..2 * SWEEP_EVERY {
            limits.allows(Limited::Login, &format!("ip:more-{i}"));
        }
        assert!(
            limits.0.login.limiter.len() < MAX_KEYS,
            "the sweep forgot the refilled keys"
        );
        assert!(
            !limits.allows(Limited::Login, "ip:192.0.2.1"),
            "the spent allowance is still spent"
        );

        for i in 0..MAX_KEYS + 10 {
            limits.sign_in_failed(&format!("sprayed-{i}@example.org"));
        }
        now.fetch_add(1, Ordering::SeqCst);
        for _ in 0..=FREE_FAILURES {
            limits.sign_in_failed("chair@example.org");
        }
        now.fetch_add(1, Ordering::SeqCst);
        for i in 0..MAX_KEYS / 2 {
            limits.sign_in_failed(&format!("more-{i}@example.org"));
        }
        assert!(
            limits.sign_in_waits("chair@example.org"),
            "the stalest counts go first"
        );
        assert!(limits.failures().len() <= MAX_KEYS);
    }

    #[test]
    fn a_quiet_hour_forgives_wrong_passwords() {
        let (limits, now) = limits();
        for _ in 0..FREE_FAILURES {
            limits.sign_in_failed("Chair@Example.org ");
        }
        assert!(limits.sign_in_waits("chair@example.org"));
        now.fetch_add(FORGIVEN_AFTER_SECS + 1, Ordering::SeqCst);
        assert!(!limits.sign_in_waits("chair@example.org"));
        limits.sign_in_failed("chair@example.org");
        assert!(
            !limits.sign_in_waits("chair@example.org"),
            "the count started again"
        );
    }
}
