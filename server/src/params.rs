//! What a route's path names, as extractors: each parameter is read by its name in the route
//! (`{id}`, `{amendment}`, …) and checked once, here, so handlers take a `DocumentId` or an
//! `AmendmentId` instead of parsing `Path` text themselves.
//!
//! A number that cannot name anything answers 404 `unknown amendment '…'`, as if it named
//! nothing. Text parameters are passed on as they are: core refuses an unknown document, group
//! or paragraph with the same kind of 404, whatever the text looks like.

use accord_core::Error;
use axum::{
    extract::{FromRequestParts, RawPathParams},
    http::request::Parts,
};
use domain::refusal::{Refusal, Thing};

use crate::error::ApiError;

/// Declares a path parameter: its type, its name in the route, and how its text is read.
macro_rules! param {
    ($(#[$doc:meta])* $ty:ident($inner:ty) = $name:literal, $read:path) => {
        $(#[$doc])*
        pub struct $ty(pub $inner);

        impl<S: Send + Sync> FromRequestParts<S> for $ty {
            type Rejection = ApiError;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
                let raw = raw(parts, state, $name).await?;
                $read($name, raw).map(Self)
            }
        }
    };
}

param!(
    /// `{id}`: a document.
    DocumentId(String) = "id", text
);
param!(
    /// `{paragraph}`: a paragraph of the document.
    ParagraphId(String) = "paragraph", text
);
param!(
    /// `{amendment}`: an amendment's number.
    AmendmentId(i64) = "amendment", number
);
param!(
    /// `{comment}`: a comment's number.
    CommentId(i64) = "comment", number
);
param!(
    /// `{objection}`: an objection's number (the stance entry that states it).
    ObjectionId(i64) = "objection", number
);
param!(
    /// `{name}`: a version's name.
    VersionName(String) = "name", text
);
param!(
    /// `{group}`: a group.
    GroupId(String) = "group", text
);
param!(
    /// `{account}`: an account.
    AccountId(String) = "account", text
);
param!(
    /// `{invitation}`: an invitation's id, as its group's chairs see it.
    InvitationId(String) = "invitation", text
);
param!(
    /// `{token}`: the secret an invitation link carries.
    InvitationToken(String) = "token", text
);
param!(
    /// `{session}`: one of the signed-in person's sessions, as listed to them.
    SessionId(String) = "session", text
);

param!(
    /// `{live}`: a live session on a document.
    LiveSessionId(String) = "live", text
);
param!(
    /// `{check}`: a check of the sense of the room in a live session.
    CheckId(String) = "check", text
);
param!(
    /// `{hand}`: a hand in a live session's speaking queue.
    HandId(String) = "hand", text
);
param!(
    /// `{number}`: a number of the series of published outputs.
    OutputNumber(i64) = "number", number
);

/// The text of parameter `name` of the route that matched.
async fn raw<S: Send + Sync>(parts: &mut Parts, state: &S, name: &str) -> Result<String, ApiError> {
    let params = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|e| {
            ApiError::from(Refusal::BadRequest {
                detail: e.body_text(),
            })
        })?;
    let value = params.iter().find(|(key, _)| *key == name).map(|(_, v)| v);
    // A handler asking for a parameter its route does not name is our mistake, not the client's.
    value.map(str::to_string).ok_or_else(|| {
        ApiError(Error::Internal(format!(
            "the route has no path parameter '{name}'"
        )))
    })
}

fn text(_: &str, raw: String) -> Result<String, ApiError> {
    Ok(raw)
}

/// A positive number; anything else names nothing here.
fn number(name: &str, raw: String) -> Result<i64, ApiError> {
    let thing = match name {
        "amendment" => Thing::Amendment,
        "comment" => Thing::Comment,
        _ => Thing::Objection,
    };
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| Error::unknown(thing, &raw).into())
}
