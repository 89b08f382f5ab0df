//! Several server processes on one PostgreSQL database: what one process does that the others
//! must hear of, and the task that hears it.
//!
//! Each process keeps its own replica of every document open in it. A chunk one process
//! stores is announced on [`store::CHANGES_CHANNEL`] by a notification inside the storing
//! transaction, so it is delivered when, and only if, the chunk is durable; the other processes
//! with the document open read the chunk back and relay it to their own peers. Everything else
//! that reaches connections or caches (feedback announcements, phase and role changes, ended
//! sessions, the feedback facts) goes on [`EVENTS_CHANNEL`] as [`News`].
//!
//! A notification can be missed when the listening connection drops: on every reconnection,
//! and once when a room opens, a room reloads its document from the database and takes in
//! whatever it lacked (a change loaded twice is harmless). On SQLite (one process) nothing
//! here runs.

use std::sync::Weak;
use std::time::Duration;

use crate::{
    rooms::{Inner, Rooms},
    store::{self, news::Envelope, News, StoredChunks, EVENTS_CHANNEL},
};

/// Listens for the other processes' news until the rooms are dropped; reconnects (after a
/// second) whenever the connection to the database is lost.
pub(crate) async fn listen(url: String, node: String, rooms: Weak<Inner>) {
    loop {
        let mut listener = match sqlx::postgres::PgListener::connect(&url).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!("listening to the other processes: {e}; again in a second");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if let Err(e) = listener
            .listen_all([store::CHANGES_CHANNEL, EVENTS_CHANNEL])
            .await
        {
            tracing::warn!("listening to the other processes: {e}; again in a second");
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        }
        // Whatever was said while nobody listened is read back from the database.
        match rooms.upgrade().map(Rooms::from_inner) {
            Some(r) => r.catch_up_all().await,
            None => return,
        }
        loop {
            let heard = listener.try_recv().await;
            let Some(rooms) = rooms.upgrade().map(Rooms::from_inner) else {
                return;
            };
            match heard {
                Ok(Some(n)) => hear(&rooms, &node, n.channel(), n.payload()).await,
                // The connection dropped; the next call reconnects. Anything said meanwhile
                // is lost, so every open room catches up.
                Ok(None) => rooms.catch_up_all().await,
                Err(e) => {
                    tracing::warn!("listening to the other processes: {e}; reconnecting");
                    break;
                }
            }
        }
    }
}

/// Acts on one notification, unless this process sent it.
async fn hear(rooms: &Rooms, node: &str, channel: &str, payload: &str) {
    if channel == store::CHANGES_CHANNEL {
        match serde_json::from_str::<StoredChunks>(payload) {
            Ok(told) if told.node != node => rooms.stored_elsewhere(&told.doc, told.seqs).await,
            Ok(_) => {}
            Err(e) => tracing::warn!("unreadable news of stored changes: {e}"),
        }
        return;
    }
    let envelope = match serde_json::from_str::<Envelope>(payload) {
        Ok(e) => e,
        Err(e) => {
            tracing::warn!("unreadable news from another process: {e}");
            return;
        }
    };
    if envelope.node == node {
        return;
    }
    match envelope.news {
        News::Announce { doc, frame } => rooms.announce_here(&doc, &frame),
        News::Phase { doc, phase } => rooms.phase_changed_here(&doc, phase).await,
        News::Role {
            group,
            account,
            role,
        } => rooms.role_changed_here(&group, &account, role).await,
        News::SessionEnded { session } => rooms.session_ended_here(&session).await,
        News::Facts { doc } => rooms.store().forget_facts_here(doc.as_deref()),
        News::Live { live } => rooms.live_changed_here(&live),
    }
}
