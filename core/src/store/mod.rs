//! Storage, in one place: every SQL statement of core is in this folder, one file per family of
//! tables (`documents`, `accounts`, `feedback`, `stances`, `amendments`, `phases`, `record`,
//! `versions`, `endorsements`, `bursts`), and `archive`, which reads a document's archive and writes a
//! restore's rows. In come ids, domain values and times; out come domain
//! values, or the rows a rule needs. The store decides nothing about who may do what: the rules
//! modules of core ask it.
//!
//! The database is SQLite. It runs in WAL mode with `synchronous = FULL`: a commit returns only
//! after the WAL is on disk, so a chunk the relay has stored survives a crash or a power cut
//! before anyone is told about it. The relay batches the chunks of many messages into one
//! transaction, which is what keeps the fsync per commit affordable.
//!
//! Queries are checked when they run: each row is read with `sqlx::query_as` into a
//! `#[derive(sqlx::FromRow)]` struct beside its query (named `…Row`, its fields named as the
//! columns) and turned into the domain's type there; no column is read by a string at the call
//! site. The compile-time macros (`query!`, `query_as!`) are not used on purpose: they tie a
//! crate to one database's schema and committed query data, and PostgreSQL is to come as a
//! second implementation of these same methods, an addition beside this folder, with the rules
//! untouched because nothing outside it writes SQL. The SQL here is SQLite's (`?` placeholders,
//! `strftime`).
//!
//! To add a table: a migration in `core/migrations/`, then its file here.

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    SqlitePool,
};

pub mod accounts;
pub mod amendments;
pub mod archive;
pub mod bursts;
pub mod documents;
pub mod endorsements;
pub mod feedback;
pub mod notices;
pub mod phases;
pub mod record;
pub mod stances;
pub mod versions;

#[cfg(test)]
mod migration_tests;
#[cfg(test)]
mod tests;

pub use accounts::Account;
pub use documents::DocumentMeta;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored document '{0}' does not load: {1}")]
    Corrupt(String, automerge::AutomergeError),
}

/// Heads stored as comma-separated hex, back as a list.
pub fn split_heads(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .filter(|h| !h.is_empty())
        .map(str::to_string)
        .collect()
}

/// Appends `chunks` after a document's stored changes and updates the listing's mirrors (title
/// and paragraph count, when given) inside the caller's transaction; the chunks' sequence
/// numbers.
async fn insert_chunks(
    tx: &mut sqlx::SqliteConnection,
    id: &str,
    chunks: &[impl AsRef<[u8]>],
    mirrors: Option<(&str, usize)>,
) -> Result<Vec<i64>, StoreError> {
    let mut seqs = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        let seq = sqlx::query("INSERT INTO document_changes (document_id, bytes) VALUES (?, ?)")
            .bind(id)
            .bind(chunk.as_ref())
            .execute(&mut *tx)
            .await?
            .last_insert_rowid();
        seqs.push(seq);
    }
    sqlx::query(
        "UPDATE documents SET title = COALESCE(?, title), paragraphs = COALESCE(?, paragraphs),
         updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
    )
    .bind(mirrors.map(|(t, _)| t))
    .bind(mirrors.map(|(_, n)| n as i64))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Ok(seqs)
}

/// Rows that must commit in the same transaction as a change the server merges itself (a
/// decision on an amendment and its record entry), or not at all.
pub trait Companion: Send + Sync {
    /// Writes the rows inside `tx`, which will also hold the merged change at `heads`. `false`
    /// declines: the transaction is rolled back and the merge undone.
    fn write<'a>(
        &'a self,
        tx: &'a mut sqlx::SqliteConnection,
        heads: &'a [String],
    ) -> futures::future::BoxFuture<'a, Result<bool, StoreError>>;
}

/// The database: one connection that writes and a pool that reads.
///
/// All writes go through the one writer connection, so they queue in the process (without
/// blocking a thread) instead of meeting SQLite's lock, whose busy handler sleeps for up to
/// 100 ms at a time and made the slowest writes wait that long under load. In WAL mode the
/// readers never wait for the writer. The one writer is for latency, not for correctness:
/// whatever must be unique is held by a key or by the write's own condition, so that two
/// processes, or a database with many writers, keep it too (`tests.rs`).
#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    writer: SqlitePool,
    /// Each document's feedback facts, read once and kept until feedback on it changes.
    facts: std::sync::Arc<feedback::FactsCache>,
}

impl Store {
    /// Opens (creating if needed) the database file `accord.db` in `dir`, and migrates it.
    pub async fn open(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Db(sqlx::Error::Io(e)))?;
        let options = SqliteConnectOptions::new()
            .filename(dir.join("accord.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations").run(&writer).await?;
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Self {
            pool,
            writer,
            facts: Default::default(),
        })
    }

    /// A private in-memory database, for tests.
    pub async fn memory() -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        // One connection: every connection to `:memory:` is a database of its own.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self {
            writer: pool.clone(),
            pool,
            facts: Default::default(),
        })
    }

    /// The pool for reads; only the store's own files reach it.
    fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// The one connection for writes; only the store's own files reach it.
    fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    /// The writing connection, for tests that check what the database itself refuses and for
    /// the benchmark's bulk set-up.
    #[doc(hidden)]
    pub fn pool_for_tests(&self) -> &SqlitePool {
        &self.writer
    }
}
