//! How core's errors answer over HTTP, and the JSON and query extractors that reject bad bodies
//! and queries with the same shape.
//!
//! A 4xx says what to fix and quotes the bad value; a 5xx says only that something went wrong
//! and logs the cause.

use accord_core::Error;
use axum::{
    extract::rejection::{JsonRejection, QueryRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use domain::{api::ErrorBody, refusal::Refusal};

/// What went wrong, left in an error response's extensions for the language layer.
#[derive(Clone, Debug)]
pub enum Failure {
    Refused(Refusal),
    /// Something went wrong on the server (its cause is in the log, never in the answer).
    Internal,
}

/// Core's [`Error`] as an HTTP response.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl<E: Into<Error>> From<E> for ApiError {
    fn from(e: E) -> Self {
        Self(e.into())
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let (error, code, failure) = match self.0 {
            Error::Internal(cause) => {
                tracing::error!("internal error: {cause}");
                (
                    "something went wrong".to_string(),
                    "internal",
                    Failure::Internal,
                )
            }
            Error::Refused(r) => (r.message(), r.code(), Failure::Refused(r)),
        };
        let code = code.to_string();
        let mut resp = (status, Json(ErrorBody { error, code })).into_response();
        // The language layer (`crate::language`) says it again in the asker's language.
        resp.extensions_mut().insert(failure);
        resp
    }
}

impl ApiError {
    fn rejected(r: JsonRejection) -> Self {
        Self(
            match r {
                JsonRejection::JsonDataError(e) => Refusal::BadBody {
                    detail: e.body_text(),
                },
                JsonRejection::JsonSyntaxError(e) => Refusal::BadJson {
                    detail: e.body_text(),
                },
                JsonRejection::MissingJsonContentType(_) => Refusal::NotJson,
                JsonRejection::BytesRejection(e) => Refusal::BodyUnreadable {
                    detail: e.body_text(),
                },
                other => Refusal::BadRequest {
                    detail: other.body_text(),
                },
            }
            .into(),
        )
    }
}

/// `axum::Json`, rejecting with [`ApiError`] so that bad bodies get our error shape.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(Rejected))]
pub struct ApiJson<T>(pub T);

/// An optional body: none when the request names no content type, else as [`ApiJson`].
impl<T, S> axum::extract::OptionalFromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Rejected;

    async fn from_request(
        req: axum::extract::Request,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        let body =
            <Json<T> as axum::extract::OptionalFromRequest<S>>::from_request(req, state).await?;
        Ok(body.map(|Json(t)| Self(t)))
    }
}

/// `axum::extract::Query`, rejecting with [`ApiError`]: a query that does not parse is 422 and
/// says why.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(Rejected))]
pub struct ApiQuery<T>(pub T);

/// A body or query that did not parse, as [`ApiError`] answers it.
pub struct Rejected(pub ApiError);

impl From<JsonRejection> for Rejected {
    fn from(r: JsonRejection) -> Self {
        Self(ApiError::rejected(r))
    }
}

impl From<QueryRejection> for Rejected {
    fn from(r: QueryRejection) -> Self {
        Self(ApiError::from(Refusal::BadQuery {
            detail: r.body_text(),
        }))
    }
}

impl IntoResponse for Rejected {
    fn into_response(self) -> Response {
        self.0.into_response()
    }
}
