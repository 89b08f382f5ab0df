//! Keeping what was typed into a refused form, for pages without JavaScript.
//!
//! A plain form post to a server function (`/_fn/…`, accepting HTML) that is refused comes back
//! as a redirect to its page with the refusal in the address. This layer reads the posted
//! fields first, and on such a redirect keeps them ([`accord_core::kept`]) under a key it adds to
//! the address, so that the page shows the refusal beside the words typed, not an empty form.
//! Passwords are never kept. A post that succeeds drops any earlier key from the address.

use accord_core::kept::{self, PARAM};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::AppState;

/// Passes every request on; keeps the fields of a refused plain form post.
pub async fn keep_refused_forms(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if !is_plain_form_post(&req) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, kept::MAX_BYTES).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "this form holds too much").into_response();
    };
    let owner = kept::owner(&parts);
    let path = parts.uri.path().to_string();
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&bytes)
        .into_owned()
        .filter(|(name, _)| !name.contains("password"))
        .collect();
    let mut resp = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;

    let Some(location) = resp
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
    else {
        return resp;
    };
    let refused = location.contains("__err=");
    let key = refused.then(|| {
        state
            .core
            .kept
            .keep(&owner, &path, fields, state.core.auth.now())
    });
    if let Some(location) = with_key(location, key.as_deref()) {
        if let Ok(value) = HeaderValue::from_str(&location) {
            resp.headers_mut().insert(header::LOCATION, value);
        }
    }
    resp
}

fn is_plain_form_post(req: &Request) -> bool {
    let header = |name| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    req.method() == Method::POST
        && req.uri().path().starts_with("/_fn/")
        && header(header::ACCEPT).contains("text/html")
        && header(header::CONTENT_TYPE).starts_with("application/x-www-form-urlencoded")
}

/// `location` with its kept-fields key replaced by `key` (or removed); `None` when it has none
/// to remove and none to add.
fn with_key(location: &str, key: Option<&str>) -> Option<String> {
    if key.is_none() && !location.contains(PARAM) {
        return None;
    }
    let base = url::Url::parse("http://base.invalid/").ok()?;
    let mut url = base.join(location).ok()?;
    let others: Vec<(String, String)> = url
        .query_pairs()
        .into_owned()
        .filter(|(name, _)| name != PARAM)
        .collect();
    {
        let mut query = url.query_pairs_mut();
        query.clear();
        query.extend_pairs(others);
        if let Some(key) = key {
            query.append_pair(PARAM, key);
        }
    }
    if url.query() == Some("") {
        url.set_query(None);
    }
    Some(match url.origin() == base.origin() {
        true => url[url::Position::BeforePath..].to_string(),
        false => url.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::with_key;

    #[test]
    fn the_key_replaces_an_earlier_one_and_success_drops_it() {
        assert_eq!(
            with_key("http://h/documents/d1?__kept=old&p=x#x", Some("new")).as_deref(),
            Some("http://h/documents/d1?p=x&__kept=new#x")
        );
        assert_eq!(
            with_key("/documents/d1?__kept=old", None).as_deref(),
            Some("/documents/d1")
        );
        assert_eq!(with_key("/documents/d1?p=x", None), None);
    }
}
