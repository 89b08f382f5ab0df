//! Who is asking: passwords (argon2id), sessions (an HttpOnly cookie holding a random token of
//! which only a hash is stored), the request's principal, cross-site request forgery checks, and
//! rate limits.

use std::sync::Arc;

use argon2::{
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use domain::{
    phase::Phase,
    policy::{self, Action, Role, Standing},
    profile::Language,
    refusal::Refusal,
};
use http::{header, request::Parts, HeaderMap};
use sha2::{Digest, Sha256};

pub use crate::limits::{Limited, RateLimits};
use crate::{error::Error, store::Account, Accord};

pub const SESSION_COOKIE: &str = "accord_session";
/// The cookie that keeps the language chosen, signed in or not (the pages read it too).
pub const LANGUAGE_COOKIE: &str = "accord-lang";

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
            limits: RateLimits::new(clock.clone()),
            clock,
            idle: 8 * 3600,
            lifetime: 30 * 86_400,
            secure_cookies: false,
            trust_proxy: 0,
            public_origin: None,
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

    /// The cookie that keeps the language a person reads Accord in (readable by the page, a
    /// year long: it says nothing about who they are).
    pub fn language_cookie(&self, language: Language) -> String {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        format!(
            "{LANGUAGE_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{secure}",
            language.key()
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

/// Sign-in attempts against one login, from wherever they come: past ten wrong passwords
/// each further one doubles the wait before the next is checked, so a botnet guessing one
/// account's password meets it whatever its addresses.
pub async fn limit_sign_in_to(state: &Accord, login: &str) -> Result<(), Error> {
    match state.auth.limits.sign_in_waits(login).await? {
        false => Ok(()),
        true => Err(Refusal::TooManyRequests {
            kind: Limited::Login.key(),
        }
        .into()),
    }
}

/// A wrong password for `login`.
pub async fn sign_in_failed(state: &Accord, login: &str) {
    state.auth.limits.sign_in_failed(login).await;
}

/// Whether `account` may be mailed another link to confirm its address now: 3 at once, then
/// one every ten minutes, however often its registrant signs in.
pub async fn may_mail_confirmation(state: &Accord, account: &str) -> bool {
    state.auth.limits.may_mail(account).await
}

/// A right one: the login's count starts again.
pub async fn signed_in(state: &Accord, login: &str) {
    state.auth.limits.signed_in(login).await;
}

/// Fails with 429 when the address (and the account, if any) has used up its allowance.
pub async fn rate_limit(state: &Accord, kind: Limited, principal: &Principal) -> Result<(), Error> {
    let limits = &state.auth.limits;
    let mut ok = limits
        .allows(kind, &format!("ip:{}", principal.address))
        .await?;
    if let Some(a) = principal.account_id() {
        ok &= limits.allows(kind, &format!("acct:{a}")).await?;
    }
    if ok {
        Ok(())
    } else {
        Err(Refusal::TooManyRequests { kind: kind.key() }.into())
    }
}
