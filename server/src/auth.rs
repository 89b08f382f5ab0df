//! Who is asking, at the edge: the client's address (stamped into every request's extensions),
//! the principal extractor for API handlers, and the cross-site request forgery guard. Sessions,
//! passwords and rate limits are `accord_core::auth`'s.

use std::net::SocketAddr;

use accord_core::auth::{cookie_token, same_origin, ClientAddress, Principal};
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

/// The client's address, for rate limits and the audit log.
pub fn client_address(parts: &Parts, trust_proxy: bool) -> String {
    if trust_proxy {
        if let Some(first) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
        {
            return first.trim().chars().take(64).collect();
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

/// Refuses state-changing requests that carry a session cookie but come from another site.
///
/// Browsers send `Origin` with every cross-site (and same-site) POST, PUT, PATCH and DELETE;
/// a request with a session cookie must name this host there (or, failing `Origin`, in
/// `Referer`). Together with `SameSite=Lax` cookies this closes cross-site request forgery
/// without tokens in forms, so the plain HTML forms keep working without JavaScript.
pub async fn csrf_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && cookie_token(req.headers()).is_some() && !same_origin(req.headers()) {
        let address = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
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
