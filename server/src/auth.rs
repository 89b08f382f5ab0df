//! Who is asking, at the edge: the client's address (stamped into every request's extensions),
//! the principal extractor for API handlers, and the cross-site request forgery guard. Sessions,
//! passwords and rate limits are `accord_core::auth`'s.

use std::net::SocketAddr;

use accord_core::auth::{from_another_site, ClientAddress, Principal};
use axum::{
    extract::{ConnectInfo, FromRequestParts, Request, State},
    http::{request::Parts, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::{error::ApiError, AppState};

/// Puts the client's address into the request's extensions ([`ClientAddress`]), where API
/// handlers and server-rendered pages alike find it.
pub async fn stamp_client_address(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = req.into_parts();
    let address = client_address(&parts, state.auth.trust_proxy);
    parts.extensions.insert(ClientAddress(address));
    next.run(Request::from_parts(parts, body)).await
}

/// The client's address, for rate limits and the audit log. Behind `trust_proxy` proxies of
/// ours, it is the address the outermost of them appended to `X-Forwarded-For` — counted from
/// the right, since whatever stands to the left of it the client wrote itself.
pub fn client_address(parts: &Parts, trust_proxy: usize) -> String {
    if trust_proxy > 0 {
        let appended = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .collect::<Vec<_>>();
        if let Some(client) = appended.iter().rev().nth(trust_proxy - 1) {
            return client.chars().take(64).collect();
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "local".into())
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    /// The address comes from [`stamp_client_address`], which the router runs on every
    /// request before any handler.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(Principal::from_parts(state, parts).await?)
    }
}

/// Refuses state-changing requests that a page of another site may have sent
/// ([`from_another_site`]: `Sec-Fetch-Site`, else `Origin` against the public origin).
///
/// Together with `SameSite=Lax` cookies this closes cross-site request forgery without tokens
/// in forms, so the plain HTML forms keep working without JavaScript; sign-in and registration
/// are guarded too (a foreign page cannot sign a visitor into the attacker's account).
pub async fn csrf_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let public = state.auth.public_origin.as_deref();
    if unsafe_method && from_another_site(req.headers(), public) {
        let address = req.extensions().get::<ClientAddress>().map(|a| a.0.clone());
        let path = req.uri().path().chars().take(200).collect::<String>();
        let _ = state
            .rooms
            .store()
            .audit(
                "refused",
                None,
                address.as_deref(),
                &format!("cross-site {path}"),
            )
            .await;
        return ApiError::from(domain::refusal::Refusal::CrossSite).into_response();
    }
    next.run(req).await
}
