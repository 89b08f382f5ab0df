//! How core's errors answer over HTTP, and the JSON extractor that rejects bad bodies with the
//! same shape.
//!
//! A 4xx says what to fix and quotes the bad value; a 5xx says only that something went wrong
//! and logs the cause.

use accord_core::Error;
use axum::{
    extract::rejection::JsonRejection,
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use domain::api::ErrorBody;

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
        let error = match self.0 {
            Error::Internal(cause) => {
                tracing::error!("internal error: {cause}");
                "something went wrong".to_string()
            }
            other => other.to_string(),
        };
        (status, Json(ErrorBody { error })).into_response()
    }
}

impl ApiError {
    fn rejected(r: JsonRejection) -> Self {
        Self(match r {
            JsonRejection::JsonDataError(e) => {
                Error::Unprocessable(format!("invalid body: {}", e.body_text()))
            }
            JsonRejection::JsonSyntaxError(e) => {
                Error::BadRequest(format!("body is not valid JSON: {}", e.body_text()))
            }
            JsonRejection::MissingJsonContentType(_) => Error::UnsupportedMediaType(
                "send the body as JSON with content-type application/json".into(),
            ),
            JsonRejection::BytesRejection(e) => {
                Error::PayloadTooLarge(format!("body could not be read: {}", e.body_text()))
            }
            other => Error::BadRequest(other.body_text()),
        })
    }
}

/// `axum::Json`, rejecting with [`ApiError`] so that bad bodies get our error shape.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(BadJson))]
pub struct ApiJson<T>(pub T);

/// A body that did not parse, as [`ApiError`] answers it.
pub struct BadJson(ApiError);

impl From<JsonRejection> for BadJson {
    fn from(r: JsonRejection) -> Self {
        Self(ApiError::rejected(r))
    }
}

impl IntoResponse for BadJson {
    fn into_response(self) -> Response {
        self.0.into_response()
    }
}
