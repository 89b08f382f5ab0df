//! The decision record in SQLite: each chair action appended, hash-chained to the entry before
//! it (`domain::record`), with the document heads at that moment.

use domain::record::Entry;
use sqlx::Row;

use crate::{
    auth::Principal,
    error::Error,
    store::{split_heads, Store, StoreError},
    Accord,
};

/// An entry about to be appended: everything but its place in the chain and the heads.
#[derive(Clone, Debug)]
pub struct Draft {
    pub at: i64,
    pub actor: String,
    pub kind: String,
    pub summary: String,
    pub reason: String,
}

/// Appends `draft` after the document's last entry inside the caller's transaction, so that it
/// commits with whatever else the transaction writes.
pub(crate) async fn append_in(
    conn: &mut sqlx::SqliteConnection,
    doc: &str,
    draft: &Draft,
    heads: Vec<String>,
) -> Result<Entry, StoreError> {
    let last = sqlx::query(
        "SELECT * FROM decision_record WHERE document_id = ? ORDER BY seq DESC LIMIT 1",
    )
    .bind(doc)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| entry(&r));
    let Draft {
        at,
        actor,
        kind,
        summary,
        reason,
    } = draft;
    let e = Entry::next(last.as_ref(), *at, actor, kind, summary, reason, heads);
    sqlx::query(
        "INSERT INTO decision_record
            (document_id, seq, at, actor, kind, summary, reason, heads, prev, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(doc)
    .bind(e.seq)
    .bind(e.at)
    .bind(&e.actor)
    .bind(&e.kind)
    .bind(&e.summary)
    .bind(&e.reason)
    .bind(e.heads.join(","))
    .bind(&e.prev)
    .bind(&e.hash)
    .execute(&mut *conn)
    .await?;
    Ok(e)
}

/// Who the record names for what the server did by itself (a phase ending at its deadline).
pub const SYSTEM_ACTOR: &str = "Accord (deadline)";

impl Store {
    /// Appends an entry after the document's last one. The writer connection runs one
    /// transaction at a time, so two appends cannot both follow the same entry.
    pub async fn append_record(
        &self,
        doc: &str,
        draft: &Draft,
        heads: Vec<String>,
    ) -> Result<Entry, StoreError> {
        let mut tx = self.writer().begin().await?;
        let e = append_in(&mut tx, doc, draft, heads).await?;
        tx.commit().await?;
        Ok(e)
    }

    /// A document's record, oldest first.
    pub async fn record(&self, doc: &str) -> Result<Vec<Entry>, StoreError> {
        let rows = sqlx::query("SELECT * FROM decision_record WHERE document_id = ? ORDER BY seq")
            .bind(doc)
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(entry).collect())
    }
}

fn entry(r: &sqlx::sqlite::SqliteRow) -> Entry {
    Entry {
        seq: r.get("seq"),
        at: r.get("at"),
        actor: r.get("actor"),
        kind: r.get("kind"),
        summary: r.get("summary"),
        reason: r.get("reason"),
        heads: split_heads(&r.get::<String, _>("heads")),
        prev: r.get("prev"),
        hash: r.get("hash"),
    }
}

/// Appends what `actor` did to `doc`'s record, with the document's heads now.
pub async fn append(
    state: &Accord,
    doc: &str,
    actor: &str,
    kind: &str,
    summary: &str,
    reason: &str,
) -> Result<Entry, Error> {
    let heads = state.rooms.heads(doc).await?;
    let draft = Draft {
        at: state.auth.now(),
        actor: actor.into(),
        kind: kind.into(),
        summary: summary.into(),
        reason: reason.into(),
    };
    Ok(state
        .rooms
        .store()
        .append_record(doc, &draft, heads)
        .await?)
}

/// The display name the record gives a signed-in principal.
pub fn actor(who: &Principal) -> &str {
    who.account
        .as_ref()
        .map(|a| a.display_name.as_str())
        .unwrap_or("someone")
}

/// A document's record, for anyone who may read the document.
pub async fn read(state: &Accord, who: &Principal, doc: &str) -> Result<Vec<Entry>, Error> {
    crate::documents::require(state, who, doc, domain::policy::Action::ReadDocument).await?;
    Ok(state.rooms.store().record(doc).await?)
}
