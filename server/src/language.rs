//! The language a request is answered in, beyond the pages (which choose theirs in
//! `app::ui`): an API refusal keeps its `code` and says its `error` in the asker's language,
//! and a signed-in person's `?lang=` choice is kept in their profile, so that it follows them to
//! other browsers (signing in sets the language cookie from it).

use accord_core::auth::{cookie_token, Principal};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, Method},
    middleware::Next,
    response::Response,
};
use domain::{api::ErrorBody, profile::Language};

use crate::{error::Failure, AppState};

/// Passes every request on; answers its refusal in the asker's language and keeps a signed-in
/// person's language choice.
pub async fn speak_their_language(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let (parts, body) = req.into_parts();
    let locale = app::serve::locale(&parts);
    let chosen = app::serve::asked_language(parts.uri.query()).and_then(Language::parse);
    if let (Some(language), &Method::GET, Some(_)) =
        (chosen, &parts.method, cookie_token(&parts.headers))
    {
        remember(&state, &parts, language).await;
    }
    let resp = next.run(Request::from_parts(parts, body)).await;
    let Some(failure) = resp.extensions().get::<Failure>().cloned() else {
        return resp;
    };
    if locale == accord_i18n::Locale::en {
        return resp;
    }
    let body = match failure {
        Failure::Refused(r) => ErrorBody {
            error: app::refusals::words(locale, &r),
            code: r.code().to_string(),
        },
        Failure::Internal => ErrorBody {
            error: app::refusals::went_wrong(locale),
            code: "internal".to_string(),
        },
    };
    let Ok(json) = serde_json::to_vec(&body) else {
        return resp;
    };
    let (mut head, _) = resp.into_parts();
    head.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(head, Body::from(json))
}

/// Keeps `language` as the signed-in requester's choice (a failure is only logged: the page is
/// answered in the language asked for either way).
async fn remember(state: &AppState, parts: &axum::http::request::Parts, language: Language) {
    let Ok(who) = Principal::from_parts(&state.core, parts).await else {
        return;
    };
    if let Some(account) = who.account_id() {
        if let Err(e) = state
            .core
            .rooms
            .store()
            .set_language(account, language)
            .await
        {
            tracing::warn!("keeping a language choice: {e}");
        }
    }
}
