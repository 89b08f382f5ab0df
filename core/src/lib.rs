//! Accord's core, native only: storage (sqlx, all of it in `store`), the rules that need state
//! or time, the rooms that hold open documents and their sans-IO relay, and authentication.
//! What it decides about a document's text or feedback it asks `domain`. It knows nothing of
//! HTTP routing, WebSocket framing or pages: the server crate and the app's server functions
//! call it.

pub mod amendments;
pub mod archive;
pub mod auth;
pub mod boards;
pub mod bursts;
pub mod cluster;
pub mod documents;
pub mod docx;
pub mod endorsements;
pub mod error;
pub mod feedback;
pub mod kept;
pub mod limits;
pub mod mail;
pub mod notices;
pub mod outputs;
pub mod people;
pub mod phases;
pub mod places;
pub mod record;
pub mod relay;
pub mod report;
pub mod rooms;
pub mod search;
pub mod seed;
pub mod sessions;
pub mod sessions_report;
pub mod store;
pub mod versions;
pub mod words;

pub use error::Error;

use std::sync::Arc;

use crate::{rooms::Rooms, store::Store};

/// Everything a request needs: the open documents (and through them the store) and the
/// authentication settings. Cheap to clone; one per server.
#[derive(Clone)]
pub struct Accord {
    pub rooms: Rooms,
    pub auth: auth::Auth,
    /// Where mail goes.
    pub mail: mail::Mailer,
    /// The origin links in mail start with (`ACCORD_PUBLIC_URL`, else the address served on).
    pub origin: String,
    /// Each amendment's inspection at the document heads it was made at.
    pub(crate) inspections: Arc<amendments::InspectionCache>,
    /// What was typed into refused forms, for pages without JavaScript.
    pub kept: kept::KeptForms,
}

impl Accord {
    pub fn new(store: Store) -> Self {
        Self::with_clock(store, auth::system_clock())
    }

    /// A core whose notion of "now" is `clock` (tests move time by hand).
    pub fn with_clock(store: Store, clock: auth::Clock) -> Self {
        let mut auth = auth::Auth::new(clock.clone());
        if store.backend() == store::Backend::Postgres {
            // Several processes may share the database: so do their rate limits.
            auth.limits = auth::RateLimits::shared(clock, store.clone());
        }
        Self {
            rooms: Rooms::new(store),
            auth,
            mail: mail::Mailer::Nowhere,
            origin: "http://127.0.0.1:3000".into(),
            inspections: Default::default(),
            kept: Default::default(),
        }
    }
}
