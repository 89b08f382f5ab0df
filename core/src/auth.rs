//! Who is asking: passwords (argon2id), sessions (an HttpOnly cookie holding a random token of
//! which only a hash is stored), the request's principal, cross-site request forgery checks, and
//! rate limits.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use argon2::{
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use domain::{
    phase::Phase,
    policy::{self, Action, Role, Standing},
    refusal::Refusal,
};
use http::{header, request::Parts, HeaderMap};
use sha2::{Digest, Sha256};

use crate::{error::Error, store::Account, Accord};

pub const SESSION_COOKIE: &str = "accord_session";

/// A clock in unix seconds; tests inject their own.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    })
}

/// Settings and shared state for authentication.
#[derive(Clone)]
pub struct Auth {
    pub clock: Clock,
    /// Seconds without a request after which a session ends.
    pub idle: i64,
    /// Seconds after which a session ends however busy it is.
    pub lifetime: i64,
    /// Mark cookies `Secure` (serve behind TLS); set by `ACCORD_SECURE_COOKIES=1`.
    pub secure_cookies: bool,
    /// How many proxies of ours stand in front (`ACCORD_TRUST_PROXY`): the client's address is
    /// the one the outermost of them appended to `X-Forwarded-For`; 0 reads the peer address.
    pub trust_proxy: usize,
    /// The origin people reach this installation at (`https://accord.example.org`), from
    /// `ACCORD_PUBLIC_URL`; without it, a request's own `Host` stands for it.
    pub public_origin: Option<String>,
    pub limits: RateLimits,
}

impl Auth {
    pub fn new(clock: Clock) -> Self {
        Self {
            clock,
            idle: 8 * 3600,
            lifetime: 30 * 86_400,
            secure_cookies: false,
            trust_proxy: 0,
            public_origin: None,
            limits: RateLimits::default(),
        }
    }

    pub fn now(&self) -> i64 {
        (self.clock)()
    }

    pub fn session_cookie(&self, token: &str) -> String {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        format!(
            "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            self.idle
        )
    }

    pub fn clear_cookie(&self) -> String {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
    }
}

/// How many password hashes are computed at once: one core fewer than the machine has (at
/// least one), `ACCORD_HASHING_AT_ONCE` to say otherwise. The others wait their turn, off the
/// runtime's threads, so that a burst of sign-ins leaves a core to the sync rooms (the
/// `signins` benchmark measures typing during such a burst with this and with every core).
fn hashing_at_once() -> usize {
    std::env::var("ACCORD_HASHING_AT_ONCE")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get().saturating_sub(1))
                .unwrap_or(1)
        })
        .max(1)
}

fn hashing() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    PERMITS.get_or_init(|| tokio::sync::Semaphore::new(hashing_at_once()))
}

/// Runs argon2 work on a blocking thread, a bounded number at a time.
async fn off_the_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Error> {
    let _permit = hashing()
        .acquire()
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Internal(e.to_string()))
}

/// [`hash_password`] off the runtime.
pub async fn hash_password_off(password: String) -> Result<String, Error> {
    off_the_runtime(move || hash_password(&password)).await?
}

/// [`verify_password`] off the runtime.
pub async fn verify_password_off(password: String, hash: String) -> Result<bool, Error> {
    off_the_runtime(move || verify_password(&password, &hash)).await
}

pub fn hash_password(password: &str) -> Result<String, Error> {
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| Error::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(e.to_string()))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A fresh secret token (256 bits, hex).
pub fn new_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// What is stored in place of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The client's address, as the server's edge read it (the peer's address, or with a trusted
/// proxy the first `X-Forwarded-For` entry). The edge puts it in every request's extensions;
/// a request without one (a test calling the router directly) counts as `local`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub String);

/// Who sent a request: an account (via the session cookie), or nobody.
#[derive(Clone, Debug)]
pub struct Principal {
    pub account: Option<Account>,
    pub session: Option<String>,
    pub address: String,
}

impl Principal {
    pub fn account_id(&self) -> Option<&str> {
        self.account.as_ref().map(|a| a.id.as_str())
    }

    /// The account's id, or 401: for actions whose policy already demands an account, where
    /// the caller needs the id itself.
    pub fn signed_in(&self) -> Result<&str, Error> {
        self.account_id().ok_or(Error::Refused(Refusal::SignIn))
    }

    /// Standing on a group's things (`None`: nothing group-specific).
    pub async fn standing(&self, state: &Accord, group: Option<&str>) -> Result<Standing, Error> {
        let Some(a) = &self.account else {
            return Ok(Standing::ANONYMOUS);
        };
        let role = match group {
            Some(g) => state.rooms.store().role_in(&a.id, g).await?,
            None => Role::Reader,
        };
        Ok(Standing {
            signed_in: true,
            admin: a.admin,
            role,
        })
    }

    /// Fails with 401 or 403 (and an audit entry) unless the policy allows `action`.
    pub async fn require(
        &self,
        state: &Accord,
        group: Option<&str>,
        action: Action,
    ) -> Result<Standing, Error> {
        let standing = self.standing(state, group).await?;
        if policy::allows(standing, action) {
            return Ok(standing);
        }
        self.refuse(state, group, standing, action).await
    }

    /// The same for an action on a document in `phase`: a refusal the phase alone causes
    /// says so.
    pub async fn require_in(
        &self,
        state: &Accord,
        group: &str,
        phase: Phase,
        action: Action,
    ) -> Result<Standing, Error> {
        let standing = self.standing(state, Some(group)).await?;
        if policy::allows_in(standing, phase, action) {
            return Ok(standing);
        }
        if policy::phase_is_why(standing, phase, action) {
            return Err(Refusal::PhaseForbids { phase }.into());
        }
        if policy::needs_sign_in_in(standing, phase, action) {
            return Err(Refusal::SignIn.into());
        }
        self.refuse(state, Some(group), standing, action).await
    }

    async fn refuse(
        &self,
        state: &Accord,
        group: Option<&str>,
        standing: Standing,
        action: Action,
    ) -> Result<Standing, Error> {
        let what = format!("{action:?}").to_lowercase();
        state
            .rooms
            .store()
            .audit(
                "refused",
                self.account_id(),
                Some(&self.address),
                &format!("{what} on {}", group.unwrap_or("-")),
            )
            .await?;
        Err(match policy::needs_sign_in(standing, action) {
            true => Refusal::SignIn.into(),
            false => Refusal::RoleForbids { action }.into(),
        })
    }
}

impl Principal {
    /// The principal a request names: its session cookie and the address its edge stamped.
    pub async fn from_parts(state: &Accord, parts: &Parts) -> Result<Self, Error> {
        let address = parts
            .extensions
            .get::<ClientAddress>()
            .map(|a| a.0.clone())
            .unwrap_or_else(|| "local".into());
        Self::from_headers(state, &parts.headers, address).await
    }

    /// The principal a request's headers name (through the session cookie).
    pub async fn from_headers(
        state: &Accord,
        headers: &HeaderMap,
        address: String,
    ) -> Result<Self, Error> {
        let Some(token) = cookie_token(headers) else {
            return Ok(Principal {
                account: None,
                session: None,
                address,
            });
        };
        let hash = token_hash(&token);
        let account = state
            .rooms
            .store()
            .session_account(
                &hash,
                state.auth.now(),
                domain::rules::SessionLimits {
                    idle: state.auth.idle,
                    lifetime: state.auth.lifetime,
                },
            )
            .await?;
        Ok(Principal {
            session: account.as_ref().map(|_| hash),
            account,
            address,
        })
    }
}

/// Whether `Origin` (or `Referer`) names this installation: its public origin when one is
/// configured, else the host the request was sent to.
pub fn same_origin(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    let Some(source) = source else {
        return false;
    };
    match public_origin {
        // Scheme, host and port, exactly: a Referer is a whole address, so only its origin.
        Some(origin) => {
            let origin = origin.trim_end_matches('/');
            source == origin
                || source
                    .strip_prefix(origin)
                    .is_some_and(|r| r.starts_with('/'))
        }
        None => {
            let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
                return false;
            };
            source
                .split_once("://")
                .map(|(_, rest)| rest.split('/').next() == Some(host))
                .unwrap_or(false)
        }
    }
}

/// Whether a state-changing request may have come from a page of another site, as far as the
/// browser tells: `Sec-Fetch-Site` where it is sent (only `same-origin` and a typed address,
/// `none`, pass), else `Origin` (or `Referer`) against the public origin. A request that names
/// neither comes from no browser page (a script, a command-line client) and passes unless it
/// carries a session cookie, which a browser would have sent with an `Origin`. Sign-in and
/// registration are covered like every other form: a foreign page cannot sign a visitor into
/// the attacker's account.
pub fn from_another_site(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let named = headers.contains_key(header::ORIGIN) || headers.contains_key(header::REFERER);
    if named {
        return !same_origin(headers, public_origin);
    }
    cookie_token(headers).is_some()
}

/// Buckets the limiter keeps before it forgets the least useful.
const MAX_BUCKETS: usize = 100_000;

/// Token buckets per key ("login:ip:…", "write:acct:…"): `burst` at once, refilled at `per_min`.
#[derive(Clone, Default)]
pub struct RateLimits {
    buckets: Arc<Mutex<HashMap<String, (f64, i64)>>>,
}

impl RateLimits {
    /// Takes one token from `key`'s bucket; false when it is empty.
    pub fn take(&self, key: &str, burst: f64, per_min: f64, now_ms: i64) -> bool {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= MAX_BUCKETS && !buckets.contains_key(key) {
            // A flood of keys (sprayed addresses): forget the buckets that have filled up again
            // (they know nothing a new one would not), then the stalest ones, never all at once.
            buckets.retain(|_, (tokens, at)| {
                let refill = (now_ms - *at).max(0) as f64 / 60_000.0 * per_min;
                *tokens + refill < burst
            });
            if buckets.len() >= MAX_BUCKETS {
                let mut ages: Vec<i64> = buckets.values().map(|(_, at)| *at).collect();
                ages.sort_unstable();
                let cut = ages[ages.len() / 10];
                buckets.retain(|_, (_, at)| *at > cut);
            }
        }
        let (tokens, at) = buckets.entry(key.to_string()).or_insert((burst, now_ms));
        let refill = (now_ms - *at).max(0) as f64 / 60_000.0 * per_min;
        *tokens = (*tokens + refill).min(burst);
        *at = now_ms;
        // Refills summed over several calls fall a rounding short of a whole token.
        if *tokens >= 1.0 - 1e-9 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// A failed attempt against `key`, whose bucket [`Self::take`] just used (the count is kept
    /// under `failures:` and the key, which no bucket's key begins with, so that no login can
    /// name another's count): after `free`
    /// failures in a row, each one puts the bucket in debt, twice as deep as the last (1, 3, 7,
    /// … tokens, at most [`MAX_DEBT`]), so the wait before the next attempt doubles.
    pub fn penalise(&self, key: &str, free: u32, now_ms: i64) {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let failures = buckets
            .entry(format!("failures:{key}"))
            .or_insert((0.0, now_ms));
        // A quiet hour forgives the count.
        if now_ms - failures.1 > 3_600_000 {
            failures.0 = 0.0;
        }
        failures.0 += 1.0;
        failures.1 = now_ms;
        let over = failures.0 - f64::from(free);
        if over > 0.0 {
            let debt = (2f64.powf(over) - 1.0).min(MAX_DEBT);
            if let Some((tokens, _)) = buckets.get_mut(key) {
                *tokens = tokens.min(-debt);
            }
        }
    }

    /// Forgets `key`'s bucket and failures: a success starts afresh.
    pub fn forgive(&self, key: &str) {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        buckets.remove(key);
        buckets.remove(&format!("failures:{key}"));
    }
}

/// The deepest debt a bucket falls into: 60 tokens, half an hour of sign-in attempts.
const MAX_DEBT: f64 = 60.0;

/// The rate-limited kinds of request and their limits (burst, per minute).
#[derive(Clone, Copy, Debug)]
pub enum Limited {
    Login,
    Register,
    Write,
}

impl Limited {
    /// The kind of request, as a refusal names it.
    fn key(self) -> &'static str {
        match self {
            Limited::Login => "login",
            Limited::Register => "register",
            Limited::Write => "write",
        }
    }

    fn limits(self) -> (f64, f64) {
        match self {
            Limited::Login => (10.0, 10.0),
            Limited::Register => (5.0, 5.0),
            Limited::Write => (60.0, 120.0),
        }
    }
}

/// Sign-in attempts against one login, from wherever they come: a botnet guessing one
/// account's password meets this whatever its addresses (10 at once, then 2 a minute).
pub fn limit_sign_in_to(state: &Accord, login: &str) -> Result<(), Error> {
    match state
        .auth
        .limits
        .take(&sign_in_key(login), 10.0, 2.0, now_ms(state))
    {
        true => Ok(()),
        false => Err(Refusal::TooManyRequests {
            kind: Limited::Login.key(),
        }
        .into()),
    }
}

/// A wrong password for `login`: past its ten free tries the wait for the next one doubles
/// with each failure (one minute, two, four, … half an hour at most).
pub fn sign_in_failed(state: &Accord, login: &str) {
    state
        .auth
        .limits
        .penalise(&sign_in_key(login), 10, now_ms(state));
}

/// Whether `account` may be mailed another link to confirm its address now: 3 at once, then
/// one every ten minutes, however often its registrant signs in.
pub fn may_mail_confirmation(state: &Accord, account: &str) -> bool {
    state
        .auth
        .limits
        .take(&format!("mail:{account}"), 3.0, 0.1, now_ms(state))
}

/// A right one: the login's count starts again.
pub fn signed_in(state: &Accord, login: &str) {
    state.auth.limits.forgive(&sign_in_key(login));
}

fn sign_in_key(login: &str) -> String {
    let key = format!("login:name:{}", login.trim().to_lowercase());
    key.chars().take(300).collect()
}

/// The clock's time in milliseconds. Whole seconds: an injected clock then fixes every
/// bucket's level, and a second is fine enough for limits counted per minute.
fn now_ms(state: &Accord) -> i64 {
    state.auth.now() * 1000
}

/// Fails with 429 when the address (and the account, if any) has used up its allowance.
pub fn rate_limit(state: &Accord, kind: Limited, principal: &Principal) -> Result<(), Error> {
    let (burst, per_min) = kind.limits();
    let now_ms = now_ms(state);
    let by_address = format!("{kind:?}:ip:{}", principal.address);
    let mut ok = state.auth.limits.take(&by_address, burst, per_min, now_ms);
    if let Some(a) = principal.account_id() {
        ok &= state
            .auth
            .limits
            .take(&format!("{kind:?}:acct:{a}"), burst, per_min, now_ms);
    }
    if ok {
        Ok(())
    } else {
        Err(Refusal::TooManyRequests { kind: kind.key() }.into())
    }
}
