//! Core's one error type: a refusal (the client's to fix, typed in `domain::refusal`, which
//! gives it its status and words), or an internal failure (ours, logged, never explained).

use domain::refusal::{Refusal, Thing};

use crate::{rooms::RoomError, store::StoreError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Refused(Refusal),
    #[error("internal: {0}")]
    Internal(String),
}

impl Error {
    /// The HTTP status that says whose fault it is.
    pub fn status(&self) -> u16 {
        match self {
            Self::Refused(r) => r.status(),
            Self::Internal(_) => 500,
        }
    }

    /// An unknown `thing`, quoting its id.
    pub fn unknown(thing: Thing, id: &str) -> Self {
        Self::Refused(Refusal::unknown(thing, id))
    }
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Self {
        Self::Refused(r)
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
            RoomError::NotFound(id) => Self::unknown(Thing::Document, &id),
            other => Self::Internal(other.to_string()),
        }
    }
}
