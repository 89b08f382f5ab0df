//! Rate limits: how often an address or an account may sign in, register, write and be mailed
//! (GCRA buckets, one keyed limiter per kind), and how long a login waits after wrong passwords
//! (a count of failures whose wait doubles).
//!
//! One process keeps them in memory (`governor`'s keyed limiters); processes that share a
//! PostgreSQL database keep them there (`store::limits`, one statement per check), so that an
//! allowance spent on one is spent on all, wherever the load balancer sends the next request.
//! Both read the installation's clock, so the tests that move it move the buckets too.
//! Neither ever forgets a key that still limits someone: only the keys that have refilled to
//! where a new one would start, and the failure counts quiet for an hour (in memory, when a
//! flood fills it, the stalest tenth), never all at once.

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

use crate::{
    auth::Clock,
    store::{Store, StoreError},
};

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
    fn allowance(self) -> Allowance {
        match self {
            Limited::Login => Allowance::per_minute(10, 10),
            Limited::Register => Allowance::per_minute(5, 5),
            Limited::Write => Allowance::per_minute(60, 120),
            Limited::Search => Allowance::per_minute(20, 30),
        }
    }
}

/// `burst` requests at once, then one every `every`.
#[derive(Clone, Copy)]
struct Allowance {
    burst: u32,
    every: Duration,
}

impl Allowance {
    fn per_minute(burst: u32, per_minute: u32) -> Self {
        Self {
            burst,
            every: Duration::from_secs(60) / per_minute.max(1),
        }
    }

    /// Links mailed to confirm one account's address: 3 at once, then one every ten minutes.
    const MAIL: Allowance = Allowance {
        burst: 3,
        every: Duration::from_secs(600),
    };

    fn quota(self) -> Quota {
        let one = NonZeroU32::MIN;
        Quota::with_period(self.every)
            .unwrap_or_else(|| Quota::per_second(one))
            .allow_burst(NonZeroU32::new(self.burst).unwrap_or(one))
    }
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
    fn new(allowance: Allowance, clock: &Clock) -> Self {
        Self {
            limiter: governor::RateLimiter::dashmap_with_clock(
                allowance.quota(),
                Seconds(clock.clone()),
            ),
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

/// The limits one process keeps in memory.
struct Limiters {
    login: Keyed,
    register: Keyed,
    write: Keyed,
    search: Keyed,
    mail: Keyed,
    failures: Mutex<HashMap<String, Failures>>,
}

impl Limiters {
    fn new(clock: &Clock) -> Self {
        Self {
            login: Keyed::new(Limited::Login.allowance(), clock),
            register: Keyed::new(Limited::Register.allowance(), clock),
            write: Keyed::new(Limited::Write.allowance(), clock),
            search: Keyed::new(Limited::Search.allowance(), clock),
            mail: Keyed::new(Allowance::MAIL, clock),
            failures: Mutex::default(),
        }
    }

    fn keyed(&self, kind: Limited) -> &Keyed {
        match kind {
            Limited::Login => &self.login,
            Limited::Register => &self.register,
            Limited::Write => &self.write,
            Limited::Search => &self.search,
        }
    }

    fn failures(&self) -> std::sync::MutexGuard<'_, HashMap<String, Failures>> {
        self.failures.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn sign_in_failed(&self, key: String, now: i64) {
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
}

/// Where the buckets are kept.
enum Kept {
    /// In this process.
    Here(Box<Limiters>),
    /// In the database the processes share; `checks` says when this process sweeps it.
    Shared { store: Store, checks: AtomicUsize },
}

/// Every rate limit of the installation; clones share them.
#[derive(Clone)]
pub struct RateLimits(Arc<(Clock, Kept)>);

impl RateLimits {
    /// Limits kept in this process's memory.
    pub fn new(clock: Clock) -> Self {
        let here = Box::new(Limiters::new(&clock));
        Self(Arc::new((clock, Kept::Here(here))))
    }

    /// Limits kept in `store`, shared by every process that uses it.
    pub fn shared(clock: Clock, store: Store) -> Self {
        let checks = AtomicUsize::new(0);
        Self(Arc::new((clock, Kept::Shared { store, checks })))
    }

    fn now(&self) -> i64 {
        (self.0 .0)()
    }

    /// Takes one of `kind`'s allowance for `key` (an address or an account); false when spent.
    pub async fn allows(&self, kind: Limited, key: &str) -> Result<bool, StoreError> {
        match &self.0 .1 {
            Kept::Here(here) => Ok(here.keyed(kind).allows(key)),
            Kept::Shared { store, checks } => {
                self.take(store, checks, kind.key(), key, kind.allowance())
                    .await
            }
        }
    }

    /// Whether `account` may be mailed another link to confirm its address now (not when the
    /// database cannot say).
    pub async fn may_mail(&self, account: &str) -> bool {
        match &self.0 .1 {
            Kept::Here(here) => here.mail.allows(account),
            Kept::Shared { store, checks } => self
                .take(store, checks, "mail", account, Allowance::MAIL)
                .await
                .unwrap_or_else(|e| {
                    tracing::error!("the mail allowance: {e}");
                    false
                }),
        }
    }

    /// One request's share of the shared bucket `kind`/`key`; sweeps the whole buckets and
    /// the forgiven counts every [`SWEEP_EVERY`] checks.
    async fn take(
        &self,
        store: &Store,
        checks: &AtomicUsize,
        kind: &str,
        key: &str,
        allowance: Allowance,
    ) -> Result<bool, StoreError> {
        let now = self.now();
        let now_ms = now.saturating_mul(1000);
        if checks
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(SWEEP_EVERY)
        {
            store.forget_whole_buckets(now_ms).await?;
            store
                .forget_sign_in_failures(now - FORGIVEN_AFTER_SECS)
                .await?;
        }
        let every = i64::try_from(allowance.every.as_millis()).unwrap_or(i64::MAX);
        store
            .take_allowance(
                &bounded(&format!("{kind}:{key}")),
                now_ms,
                every,
                i64::from(allowance.burst),
            )
            .await
    }

    /// Whether `login` must still wait after its wrong passwords.
    pub async fn sign_in_waits(&self, login: &str) -> Result<bool, StoreError> {
        let now = self.now();
        let key = login_key(login);
        let failures = match &self.0 .1 {
            Kept::Here(here) => here.failures().get(&key).copied(),
            Kept::Shared { store, .. } => store.sign_in_failures(&key).await?.map(|row| Failures {
                count: u32::try_from(row.failures).unwrap_or(u32::MAX),
                last: row.last_at,
            }),
        };
        Ok(failures
            .filter(|f| now - f.last <= FORGIVEN_AFTER_SECS)
            .and_then(|f| f.wait_until())
            .is_some_and(|until| now < until))
    }

    /// A wrong password for `login`: past ten, each one doubles the wait before the next is
    /// checked (30 s, one minute, two, … half an hour at most), wherever the guesses come from.
    pub async fn sign_in_failed(&self, login: &str) {
        let now = self.now();
        let key = login_key(login);
        match &self.0 .1 {
            Kept::Here(here) => here.sign_in_failed(key, now),
            Kept::Shared { store, .. } => {
                if let Err(e) = store
                    .count_sign_in_failure(&key, now, FORGIVEN_AFTER_SECS)
                    .await
                {
                    tracing::error!("counting a wrong password: {e}");
                }
            }
        }
    }

    /// A right password for `login`: its count starts again.
    pub async fn signed_in(&self, login: &str) {
        let key = login_key(login);
        match &self.0 .1 {
            Kept::Here(here) => {
                here.failures().remove(&key);
            }
            Kept::Shared { store, .. } => {
                if let Err(e) = store.clear_sign_in_failures(&key).await {
                    tracing::error!("clearing the wrong passwords: {e}");
                }
            }
        }
    }
}

fn login_key(login: &str) -> String {
    bounded(&login.trim().to_lowercase())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicI64;

    use super::*;

    fn clock() -> (Clock, Arc<AtomicI64>) {
        let now = Arc::new(AtomicI64::new(1_000_000));
        let clock = now.clone();
        (Arc::new(move || clock.load(Ordering::SeqCst)), now)
    }

    /// Limits in memory, and limits in a database, on one clock each.
    async fn both() -> [(RateLimits, Arc<AtomicI64>); 2] {
        let (here, here_now) = clock();
        let (shared, shared_now) = clock();
        let store = Store::memory().await.expect("store");
        [
            (RateLimits::new(here), here_now),
            (RateLimits::shared(shared, store), shared_now),
        ]
    }

    async fn allows(limits: &RateLimits, kind: Limited, key: &str) -> bool {
        limits.allows(kind, key).await.expect("checked")
    }

    #[tokio::test]
    async fn a_burst_then_the_refill_rate() {
        for (limits, now) in both().await {
            for _ in 0..5 {
                assert!(allows(&limits, Limited::Register, "ip:192.0.2.1").await);
            }
            assert!(!allows(&limits, Limited::Register, "ip:192.0.2.1").await);
            assert!(
                allows(&limits, Limited::Register, "ip:192.0.2.2").await,
                "another address has its own allowance"
            );
            assert!(
                allows(&limits, Limited::Login, "ip:192.0.2.1").await,
                "another kind has its own allowance"
            );
            // Five a minute: one more after twelve seconds.
            now.fetch_add(11, Ordering::SeqCst);
            assert!(!allows(&limits, Limited::Register, "ip:192.0.2.1").await);
            now.fetch_add(1, Ordering::SeqCst);
            assert!(allows(&limits, Limited::Register, "ip:192.0.2.1").await);
            assert!(!allows(&limits, Limited::Register, "ip:192.0.2.1").await);
            for _ in 0..3 {
                assert!(limits.may_mail("a-1").await);
            }
            assert!(!limits.may_mail("a-1").await, "three links, then a wait");
        }
    }

    #[tokio::test]
    async fn spraying_keys_never_resets_a_spent_allowance() {
        let (limits, now) = {
            let (clock, now) = clock();
            (RateLimits::new(clock), now)
        };
        let Kept::Here(here) = &limits.0 .1 else {
            unreachable!("in memory")
        };
        for i in 0..MAX_KEYS {
            allows(&limits, Limited::Login, &format!("ip:sprayed-{i}")).await;
        }
        // A minute on, the sprayed allowances have refilled; one address spends its own.
        now.fetch_add(60, Ordering::SeqCst);
        while allows(&limits, Limited::Login, "ip:192.0.2.1").await {}
        for i in 0..2 * SWEEP_EVERY {
            allows(&limits, Limited::Login, &format!("ip:more-{i}")).await;
        }
        assert!(
            here.login.limiter.len() < MAX_KEYS,
            "the sweep forgot the refilled keys"
        );
        assert!(
            !allows(&limits, Limited::Login, "ip:192.0.2.1").await,
            "the spent allowance is still spent"
        );

        for i in 0..MAX_KEYS + 10 {
            limits
                .sign_in_failed(&format!("sprayed-{i}@example.org"))
                .await;
        }
        now.fetch_add(1, Ordering::SeqCst);
        for _ in 0..=FREE_FAILURES {
            limits.sign_in_failed("chair@example.org").await;
        }
        now.fetch_add(1, Ordering::SeqCst);
        for i in 0..MAX_KEYS / 2 {
            limits
                .sign_in_failed(&format!("more-{i}@example.org"))
                .await;
        }
        assert!(
            limits
                .sign_in_waits("chair@example.org")
                .await
                .expect("read"),
            "the stalest counts go first"
        );
        assert!(here.failures().len() <= MAX_KEYS);
    }

    #[tokio::test]
    async fn shared_counts_outlive_the_sweep() {
        let (clock, now) = clock();
        let store = Store::memory().await.expect("store");
        let limits = RateLimits::shared(clock, store.clone());
        while allows(&limits, Limited::Register, "ip:192.0.2.1").await {}
        for _ in 0..FREE_FAILURES {
            limits.sign_in_failed("chair@example.org").await;
        }
        now.fetch_add(20, Ordering::SeqCst);
        let now = now.load(Ordering::SeqCst);
        store.forget_whole_buckets(now * 1000).await.expect("sweep");
        store
            .forget_sign_in_failures(now - FORGIVEN_AFTER_SECS)
            .await
            .expect("sweep");
        // The spent bucket remembers: twenty seconds refill one request and a bit, not five.
        assert!(allows(&limits, Limited::Register, "ip:192.0.2.1").await);
        assert!(!allows(&limits, Limited::Register, "ip:192.0.2.1").await);
        assert!(limits
            .sign_in_waits("Chair@Example.org")
            .await
            .expect("read"));
        limits.signed_in("chair@example.org").await;
        assert!(!limits
            .sign_in_waits("chair@example.org")
            .await
            .expect("read"));
    }

    #[tokio::test]
    async fn a_quiet_hour_forgives_wrong_passwords() {
        for (limits, now) in both().await {
            for _ in 0..FREE_FAILURES {
                limits.sign_in_failed("Chair@Example.org ").await;
            }
            assert!(limits
                .sign_in_waits("chair@example.org")
                .await
                .expect("read"));
            now.fetch_add(FORGIVEN_AFTER_SECS + 1, Ordering::SeqCst);
            assert!(!limits
                .sign_in_waits("chair@example.org")
                .await
                .expect("read"));
            limits.sign_in_failed("chair@example.org").await;
            assert!(
                !limits
                    .sign_in_waits("chair@example.org")
                    .await
                    .expect("read"),
                "the count started again"
            );
        }
    }
}
