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
use domain::{api::ErrorBody, refusal::Refusal};

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
        let (error, code) = match self.0 {
            Error::Internal(cause) => {
                tracing::error!("internal error: {cause}");
                ("something went wrong".to_string(), "internal")
            }
            Error::Refused(r) => (r.message(), r.code()),
        };
        let code = code.to_string();
        (status, Json(ErrorBody { error, code })).into_response()
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
