//! How server functions reach the core (server build only): the core from the Leptos context
//! the server provides, who is asking from the request, and core's errors as page messages.

use accord_core::{auth::Principal, Accord, Error};
use leptos::prelude::*;

/// The core, for what anyone may ask without saying who they are.
pub fn core() -> Result<Accord, ServerFnError> {
    use_context::<Accord>().ok_or_else(|| ServerFnError::new("something went wrong"))
}

/// The core and the principal the current request names (its session cookie and the address
/// the server's edge stamped on it).
pub async fn requester() -> Result<(Accord, Principal), ServerFnError> {
    let core = core()?;
    let parts = use_context::<http::request::Parts>()
        .ok_or_else(|| ServerFnError::new("something went wrong"))?;
    let who = Principal::from_parts(&core, &parts)
        .await
        .map_err(page_error)?;
    Ok((core, who))
}

/// A refusal in the words a page shows beside its form; an internal failure only as
/// "something went wrong" (its cause goes to the log).
///
/// The answer carries the refusal's own status (a 422 for words over the limit, a 429 for too
/// many requests), not a blanket 500 — except for a plain form post from a page without
/// JavaScript, which the framework sends back to the form's page.
pub fn page_error(e: Error) -> ServerFnError {
    let status = e.status();
    let plain_post = use_context::<http::request::Parts>().is_some_and(|p| {
        p.headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if let (Some(response), false) = (use_context::<leptos_axum::ResponseOptions>(), plain_post) {
        if let Ok(status) = http::StatusCode::from_u16(status) {
            response.set_status(status);
        }
    }
    match e {
        Error::Internal(cause) => {
            tracing::error!("page: {cause}");
            ServerFnError::new(match use_context::<http::request::Parts>() {
                Some(parts) => crate::refusals::went_wrong(locale(&parts)),
                None => "something went wrong".to_string(),
            })
        }
        Error::Refused(r) => ServerFnError::new(match use_context::<http::request::Parts>() {
            Some(parts) => crate::refusals::words(locale(&parts), &r),
            None => r.message(),
        }),
    }
}

/// The language a request is answered in: `?lang=`, else the language cookie, else
/// `Accept-Language`, else English (see [`accord_i18n::negotiate`]).
pub fn locale(parts: &http::request::Parts) -> accord_i18n::Locale {
    let header = |name: http::header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    accord_i18n::negotiate(
        asked_language(parts.uri.query()),
        accord_i18n::from_cookie_header(header(http::header::COOKIE)),
        Some(header(http::header::ACCEPT_LANGUAGE)),
    )
}

/// The `lang` of a query string, if any.
pub fn asked_language(query: Option<&str>) -> Option<&str> {
    query?.split('&').find_map(|kv| kv.strip_prefix("lang="))
}

/// A refusal the page itself makes (a form's choice missing, an id that names nothing).
pub fn refused(r: domain::refusal::Refusal) -> ServerFnError {
    page_error(r.into())
}

/// Sends a plain form post on to `to`, a place on this site (anything else goes home: a
/// form's fields may say anything, and a redirect must neither leave the site nor carry a
/// character its header cannot).
pub fn go(to: &str) {
    leptos_axum::redirect(domain::rules::local_path(to));
}

/// Runs a form's write for the requester, then sends the plain post back to `back` (the page
/// the form was on), so that forms work without JavaScript.
pub async fn write<T>(
    back: &str,
    w: impl AsyncFnOnce(&Accord, &Principal) -> Result<T, Error>,
) -> Result<(), ServerFnError> {
    let (core, who) = requester().await?;
    w(&core, &who).await.map_err(page_error)?;
    go(back);
    Ok(())
}

/// Whether a page is sent without the app: to someone who is not signed in (no session cookie)
/// the server-rendered page is everything they can use, so they are spared the browser bundle
/// and get the few lines of `app/js/reader.js` that keep the page current.
pub fn reads_without_app(parts: &http::request::Parts) -> bool {
    accord_core::auth::cookie_token(&parts.headers).is_none()
}

/// The static files' names as built (`scripts/build` writes `hash.txt` beside the server binary,
/// where Leptos looks for it): `accord.css`, or with `LEPTOS_HASH_FILES=true`
/// `accord.<hash>.css`, so that the files can be cached for good.
pub fn asset(options: &leptos::config::LeptosOptions, kind: &str, stem: &str, ext: &str) -> String {
    static HASHES: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    let hashes = HASHES.get_or_init(|| {
        let file = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())));
        file.and_then(|f| std::fs::read_to_string(f).ok())
            .unwrap_or_default()
            .lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(k, h)| (k.trim().to_string(), h.trim().to_string()))
            .collect()
    });
    let pkg = &options.site_pkg_dir;
    match hashes.iter().find(|(k, _)| k == kind) {
        Some((_, hash)) if options.hash_files => format!("/{pkg}/{stem}.{hash}.{ext}"),
        _ => format!("/{pkg}/{stem}.{ext}"),
    }
}
