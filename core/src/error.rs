//! Core's one error type: each case says whose fault it is; the server's edge turns it into
//! an HTTP status and the pages into a message.
//!
//! A 4xx says what to fix and quotes the bad value; a 5xx says only that something went wrong
//! and logs the cause.

use crate::{rooms::RoomError, store::StoreError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("{0}")]
    Unprocessable(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("internal: {0}")]
    Internal(String),
}

impl Error {
    /// The HTTP status that says whose fault it is.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound(_) => 404,
            Self::BadRequest(_) => 400,
            Self::Unauthorized(_) => 401,
            Self::Forbidden(_) => 403,
            Self::Conflict(_) => 409,
            Self::TooManyRequests(_) => 429,
            Self::Unprocessable(_) => 422,
            Self::PayloadTooLarge(_) => 413,
            Self::UnsupportedMediaType(_) => 415,
            Self::Internal(_) => 500,
        }
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        Self::Internal(e.to_string())
    }
}

impl From<RoomError> for Error {
    fn from(e: RoomError) -> Self {
        match e {
            RoomError::NotFound(id) => Self::NotFound(format!("unknown document '{id}'")),
            other => Self::Internal(other.to_string()),
        }
    }
}
