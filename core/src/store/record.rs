//! The decision record: each chair action appended, hash-chained to the entry before it
//! (`domain::record`), with the document heads at that moment. Append-only by trigger.

use domain::record::Entry;

use super::{split_heads, Store, StoreError};

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
    conn: &mut sqlx::AnyConnection,
    doc: &str,
    draft: &Draft,
    heads: Vec<String>,
) -> Result<Entry, StoreError> {
    // Appends to one document's record take turns: the second reads the first's entry
    // instead of being refused by the key.
    super::take_turn(conn, &format!("decision_record:{doc}")).await?;
    let last: Option<EntryRow> = sqlx::query_as(
        "SELECT seq, at, actor, kind, summary, reason, heads, prev, hash FROM decision_record
         WHERE document_id = $1 ORDER BY seq DESC LIMIT 1",
    )
    .bind(doc)
    .fetch_optional(&mut *conn)
    .await?;
    let last = last.map(Entry::from);
    let Draft {
        at,
        actor,
        kind,
        summary,
        reason,
    } = draft;
    let e = Entry::next(last.as_ref(), *at, actor, kind, summary, reason, heads);
    insert_in(conn, doc, &e).await?;
    Ok(e)
}

/// Writes `e`, an entry already placed in `doc`'s chain, inside the caller's transaction: the
/// one statement that stores an entry, for an append and for an archive's replay alike.
pub(crate) async fn insert_in(
    conn: &mut sqlx::AnyConnection,
    doc: &str,
    e: &Entry,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO decision_record
            (document_id, seq, at, actor, kind, summary, reason, heads, prev, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
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
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// Appends an entry after the document's last one. The primary key (document, seq) is what
    /// keeps two appends from both following the same entry: the second is refused rather than
    /// forking the chain. (With the one writer connection they queue and never meet.)
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
        let rows: Vec<EntryRow> = sqlx::query_as(
            "SELECT seq, at, actor, kind, summary, reason, heads, prev, hash FROM decision_record
             WHERE document_id = $1 ORDER BY seq",
        )
        .bind(doc)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(Entry::from).collect())
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct EntryRow {
    seq: i64,
    at: i64,
    actor: String,
    kind: String,
    summary: String,
    reason: String,
    heads: String,
    prev: String,
    hash: String,
}

impl From<EntryRow> for Entry {
    fn from(r: EntryRow) -> Self {
        Entry {
            seq: r.seq,
            at: r.at,
            actor: r.actor,
            kind: r.kind,
            summary: r.summary,
            reason: r.reason,
            heads: split_heads(&r.heads),
            prev: r.prev,
            hash: r.hash,
        }
    }
}
