//! What the processes sharing one PostgreSQL database tell each other (see `cluster`, which
//! listens): the channels, what is said on them, and the saying. On SQLite nothing is said.

use domain::{api::ServerFrame, phase::Phase, policy::Role};
use serde::{Deserialize, Serialize};

use super::{Backend, Store, StoreError};

/// The channel on which PostgreSQL tells every server process of chunks one of them stored.
pub const CHANGES_CHANNEL: &str = "accord_changes";

/// What a process says on [`CHANGES_CHANNEL`] when it stored chunks of a document.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoredChunks {
    /// The process that stored them ([`Store::node`]).
    pub node: String,
    pub doc: String,
    pub seqs: Vec<i64>,
}

/// The channel for [`News`].
pub const EVENTS_CHANNEL: &str = "accord_events";

/// What one process tells the others.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum News {
    /// A frame for everyone connected to a document (feedback, amendments, versions…).
    Announce { doc: String, frame: ServerFrame },
    /// A document moved to another phase.
    Phase { doc: String, phase: Phase },
    /// An account's role in a group changed.
    Role {
        group: String,
        account: String,
        role: Role,
    },
    /// A session ended (its token's hash): its connections close wherever they are.
    SessionEnded { session: String },
    /// Feedback on a document (all documents: `None`) changed: cached figures are stale.
    Facts { doc: Option<String> },
    /// A live session changed: the screens following it are sent it again.
    Live { live: String },
}

/// [`News`] with the process that sent it.
#[derive(Serialize, Deserialize)]
pub struct Envelope {
    pub node: String,
    #[serde(flatten)]
    pub news: News,
}

impl Store {
    /// Tells the other processes sharing the database (PostgreSQL) of `news`, in the background:
    /// a process that misses it (its connection dropped) catches up from the database.
    pub fn tell(&self, news: News) {
        if self.backend != Backend::Postgres {
            return;
        }
        let payload = serde_json::to_string(&Envelope {
            node: self.node.to_string(),
            news,
        })
        .unwrap_or_default();
        // PostgreSQL refuses a notification of 8,000 bytes or more; news that large is not
        // sent, and the other processes' viewers see it at their next fetch.
        if payload.len() >= 8000 {
            tracing::warn!(
                "news of {} bytes too large to tell the other processes",
                payload.len()
            );
            return;
        }
        let pool = self.writer.clone();
        tokio::spawn(async move {
            let told = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(EVENTS_CHANNEL)
                .bind(payload)
                .execute(&pool)
                .await;
            if let Err(e) = told {
                tracing::warn!("telling the other processes: {e}");
            }
        });
    }

    /// Notifies `channel` with `what` as JSON inside the caller's transaction (PostgreSQL).
    pub(super) async fn notify_in(
        &self,
        tx: &mut sqlx::AnyConnection,
        channel: &str,
        what: &impl serde::Serialize,
    ) -> Result<(), StoreError> {
        let payload = serde_json::to_string(what).unwrap_or_default();
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(channel)
            .bind(payload)
            .execute(&mut *tx)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn news_reads_back_as_written() {
        let all = [
            News::Announce {
                doc: "d1".into(),
                frame: ServerFrame::Phase {
                    phase: Phase::Drafting,
                },
            },
            News::Phase {
                doc: "d1".into(),
                phase: Phase::Drafting,
            },
            News::Role {
                group: "g".into(),
                account: "a".into(),
                role: Role::Participant,
            },
            News::SessionEnded {
                session: "h".into(),
            },
            News::Facts { doc: None },
        ];
        for news in all {
            let text = serde_json::to_string(&Envelope {
                node: "n1".into(),
                news: news.clone(),
            })
            .expect("json");
            let back: Envelope = serde_json::from_str(&text).expect("reads back");
            assert_eq!((back.node.as_str(), back.news), ("n1", news));
        }
    }
}
