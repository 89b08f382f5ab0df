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
pub fn page_error(e: Error) -> ServerFnError {
    match e {
        Error::Internal(cause) => {
            tracing::error!("page: {cause}");
            ServerFnError::new("something went wrong")
        }
        other => ServerFnError::new(other.to_string()),
    }
}

/// A refusal the page itself makes (a form's choice missing, an id that names nothing).
pub fn refused(r: domain::refusal::Refusal) -> ServerFnError {
    page_error(r.into())
}

/// Runs a form's write for the requester, then sends the plain post back to `back` (the page
/// the form was on), so that forms work without JavaScript.
pub async fn write<T>(
    back: &str,
    w: impl AsyncFnOnce(&Accord, &Principal) -> Result<T, Error>,
) -> Result<(), ServerFnError> {
    let (core, who) = requester().await?;
    w(&core, &who).await.map_err(page_error)?;
    leptos_axum::redirect(back);
    Ok(())
}
