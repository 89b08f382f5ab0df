//! Storage, in one place: every SQL statement of core is in this folder, one file per family of
//! tables (`documents`, `accounts`, `feedback`, `stances`, `amendments`, `phases`, `record`,
//! `versions`, `endorsements`, `bursts`, `limits`, `sessions`), and `archive`, which reads a document's archive and writes a
//! restore's rows. In come ids, domain values and times; out come domain
//! values, or the rows a rule needs. The store decides nothing about who may do what: the rules
//! modules of core ask it.
//!
//! Two databases run the same SQL. SQLite, in a data folder, is the embedded default: WAL mode
//! with `synchronous = FULL`, so a commit returns only after the WAL is on disk and a chunk the
//! relay has stored survives a crash or a power cut before anyone is told about it; the relay
//! batches the chunks of many messages into one transaction, which keeps the fsync per commit
//! affordable. PostgreSQL, chosen by a `postgres://` address, is the store several server
//! processes share (see `ARCHITECTURE.md`, "Several processes").
//!
//! Queries go through sqlx's `Any` driver and are checked when they run: each row is read with
//! `sqlx::query_as` into a `#[derive(sqlx::FromRow)]` struct beside its query (named `…Row`,
//! its fields named as the columns) and turned into the domain's type there; no column is read
//! by a string at the call site. The compile-time macros are not used: they tie a crate to one
//! database. The SQL is the dialect both databases share: `$1` placeholders, `RETURNING`,
//! `IS [NOT] DISTINCT FROM`, `ON CONFLICT`; times come from Rust ([`now_text`], [`now_secs`]),
//! not from the database's clock; integers are 64-bit and flags are 0/1 integers in both, read
//! through [`Flag`] where a query computes one. Where the two must differ, the difference is a
//! method of [`Backend`]. Each database has its migrations: `core/migrations/` for SQLite,
//! `core/migrations-postgres/` for PostgreSQL, one schema kept in step.
//!
//! To add a table: a migration in `core/migrations/`, its twin in `core/migrations-postgres/`,
//! then its file here.

use std::{path::Path, str::FromStr};

use sqlx::{
    any::{AnyConnectOptions, AnyPoolOptions, AnyTypeInfo, AnyTypeInfoKind},
    sqlite::SqliteConnectOptions,
    AnyPool, ConnectOptions, Executor,
};

pub mod accounts;
pub mod amendments;
pub mod archive;
pub mod bursts;
pub mod documents;
pub mod endorsements;
pub mod feedback;
pub mod limits;
pub mod news;
pub mod notices;
pub mod outputs;
pub mod phases;
pub mod record;
pub mod sessions;
pub mod stances;
pub mod versions;

#[cfg(test)]
mod migration_tests;
#[cfg(test)]
mod tests;

pub use accounts::Account;
pub use documents::DocumentMeta;
pub use news::{News, StoredChunks, CHANGES_CHANNEL, EVENTS_CHANNEL};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored document '{0}' does not load: {1}")]
    Corrupt(String, automerge::AutomergeError),
    #[error("'{0}' is no PostgreSQL address (postgres://…)")]
    Address(String),
}

/// Which database a [`Store`] speaks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Integers as the JSON array [`Backend::json_integers`] reads back from one parameter.
fn json_array(numbers: &[i64]) -> String {
    serde_json::to_string(numbers).unwrap_or_else(|_| "[]".into())
}

impl Backend {
    /// The rows of a JSON array of integers bound as `param` ([`json_array`]), as a one-column
    /// `value` table.
    fn json_integers(self, param: &str) -> String {
        match self {
            Backend::Sqlite => format!("SELECT value FROM json_each({param})"),
            Backend::Postgres => {
                format!("SELECT value::bigint FROM json_array_elements_text({param}::json)")
            }
        }
    }

    /// The column that orders the rows of a table without a key (`comment_edits`) as they
    /// were written.
    fn insertion_order(self) -> &'static str {
        match self {
            Backend::Sqlite => "rowid",
            Backend::Postgres => "seq",
        }
    }

    /// What ends a `SELECT` that locks the rows it reads until the transaction ends (SQLite's
    /// one writer needs none).
    fn for_update(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }
}

/// A name for this process, random, so that no two processes ever share one (a process
/// ignores news it sent itself).
fn new_node() -> std::sync::Arc<str> {
    accounts::random_id("n").into()
}

/// The time now as stored in text columns: `2026-12-03T01:02:03Z`.
pub fn now_text() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The time now in seconds since the epoch, as stored in integer columns.
pub fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A yes-or-no a query computes (`EXISTS …`, `x IS NOT NULL`, a 0/1 column): SQLite answers
/// with an integer, PostgreSQL with a boolean or an integer; both read as one. Row fields take it
/// with `#[sqlx(try_from = "Flag")]` and stay `bool`.
#[derive(Clone, Copy, Debug)]
pub struct Flag(pub bool);

impl From<Flag> for bool {
    fn from(f: Flag) -> bool {
        f.0
    }
}

impl sqlx::Type<sqlx::Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <i64 as sqlx::Type<sqlx::Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        ty.kind().is_integer() || ty.kind() == AnyTypeInfoKind::Bool
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Any> for Flag {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        match <bool as sqlx::Decode<sqlx::Any>>::decode(value.clone()) {
            Ok(b) => Ok(Flag(b)),
            Err(_) => Ok(Flag(<i64 as sqlx::Decode<sqlx::Any>>::decode(value)? != 0)),
        }
    }
}

/// Heads stored as comma-separated hex, back as a list.
pub fn split_heads(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .filter(|h| !h.is_empty())
        .map(str::to_string)
        .collect()
}

impl Store {
    /// Appends `chunks` after a document's stored changes and updates the listing's mirrors
    /// (title and paragraph count, when given) inside the caller's transaction; the chunks'
    /// sequence numbers. On PostgreSQL the other processes are told, by a notification that
    /// is delivered when (and only if) the transaction commits.
    async fn insert_chunks(
        &self,
        tx: &mut sqlx::AnyConnection,
        id: &str,
        chunks: &[impl AsRef<[u8]>],
        mirrors: Option<(&str, usize)>,
    ) -> Result<Vec<i64>, StoreError> {
        let mut seqs = Vec::with_capacity(chunks.len());
        for chunk in chunks {
            let seq = sqlx::query_scalar(
                "INSERT INTO document_changes (document_id, bytes) VALUES ($1, $2) RETURNING seq",
            )
            .bind(id)
            .bind(chunk.as_ref())
            .fetch_one(&mut *tx)
            .await?;
            seqs.push(seq);
        }
        sqlx::query(
            "UPDATE documents SET title = COALESCE($1, title),
                paragraphs = COALESCE($2, paragraphs), updated_at = $3
             WHERE id = $4",
        )
        .bind(mirrors.map(|(t, _)| t))
        .bind(mirrors.map(|(_, n)| n as i64))
        .bind(now_text())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if self.backend == Backend::Postgres && !seqs.is_empty() {
            let told = StoredChunks {
                node: self.node.to_string(),
                doc: id.to_string(),
                seqs: seqs.clone(),
            };
            self.notify_in(tx, CHANGES_CHANNEL, &told).await?;
        }
        Ok(seqs)
    }
}

/// Makes the writers of `key` (one document's record, one account's stances) take turns
/// until the caller's transaction ends. SQLite's one writer already makes every write take
/// its turn; PostgreSQL's writers, in several processes, wait here on an advisory lock, so that
/// a write that reads before it appends reads what the previous one appended.
async fn take_turn(conn: &mut sqlx::AnyConnection, key: &str) -> Result<(), StoreError> {
    if conn.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind(key)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Rows that must commit in the same transaction as a change the server merges itself (a
/// decision on an amendment and its record entry), or not at all.
pub trait Companion: Send + Sync {
    /// Writes the rows inside `tx`, which will also hold the merged change at `heads`. `false`
    /// declines: the transaction is rolled back and the merge undone.
    fn write<'a>(
        &'a self,
        tx: &'a mut sqlx::AnyConnection,
        heads: &'a [String],
    ) -> futures::future::BoxFuture<'a, Result<bool, StoreError>>;
}

/// The database. On SQLite: one connection that writes and a pool that reads. On PostgreSQL:
/// one pool for both.
///
/// On SQLite all writes go through the one writer connection, so they queue in the process
/// (without blocking a thread) instead of meeting SQLite's lock, whose busy handler sleeps for
/// up to 100 ms at a time and made the slowest writes wait that long under load. In WAL mode
/// the readers never wait for the writer. The one writer is for latency, not for correctness:
/// whatever must be unique is held by a key or by the write's own condition, so that two
/// processes, or a database with many writers, keep it too (`tests.rs`, and the whole server
/// suite run against PostgreSQL).
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    writer: AnyPool,
    backend: Backend,
    /// This process, among those sharing the database: a random name made when it connects.
    node: std::sync::Arc<str>,
    /// The database's address, for listening to the other processes (PostgreSQL only).
    url: Option<std::sync::Arc<str>>,
    /// Each document's feedback facts, read once and kept until feedback on it changes.
    facts: std::sync::Arc<feedback::FactsCache>,
}

/// Connections a server process opens to PostgreSQL unless `ACCORD_DATABASE_CONNECTIONS` says.
pub const POSTGRES_CONNECTIONS: u32 = 16;

impl Store {
    /// Opens (creating if needed) the SQLite database file `accord.db` in `dir`, and migrates it.
    pub async fn open(dir: &Path) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Db(sqlx::Error::Io(e)))?;
        let file = SqliteConnectOptions::new()
            .filename(dir.join("accord.db"))
            .create_if_missing(true);
        let writer = AnyPoolOptions::new()
            .max_connections(1)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                    )
                    .await
                    .map(|_| ())
                })
            })
            .connect_with(AnyConnectOptions::from_url(&file.to_url_lossy())?)
            .await?;
        sqlx::migrate!("./migrations").run(&writer).await?;
        let pool = AnyPoolOptions::new()
            .max_connections(4)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
                        .await
                        .map(|_| ())
                })
            })
            .connect_with(AnyConnectOptions::from_url(
                &file.read_only(true).to_url_lossy(),
            )?)
            .await?;
        Ok(Self {
            pool,
            writer,
            backend: Backend::Sqlite,
            node: new_node(),
            url: None,
            facts: Default::default(),
        })
    }

    /// Connects to the PostgreSQL database at `url` (`postgres://…`) with up to `connections`
    /// connections, and migrates it. Several processes may do so at once: the migrations take
    /// a lock.
    pub async fn connect(url: &str, connections: u32) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(StoreError::Address(url.to_string()));
        }
        let pool = AnyPoolOptions::new()
            .max_connections(connections.max(1))
            .connect(url)
            .await?;
        sqlx::migrate!("./migrations-postgres").run(&pool).await?;
        Ok(Self {
            writer: pool.clone(),
            pool,
            backend: Backend::Postgres,
            node: new_node(),
            url: Some(url.into()),
            facts: Default::default(),
        })
    }

    /// A private in-memory SQLite database, for tests.
    pub async fn memory() -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        // One connection: every connection to `:memory:` is a database of its own.
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .after_connect(|conn, _| {
                Box::pin(async move { conn.execute("PRAGMA foreign_keys = ON;").await.map(|_| ()) })
            })
            .connect_with(AnyConnectOptions::from_str("sqlite::memory:")?)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self {
            writer: pool.clone(),
            pool,
            backend: Backend::Sqlite,
            node: new_node(),
            url: None,
            facts: Default::default(),
        })
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// This process's name among those sharing the database.
    pub fn node(&self) -> &str {
        &self.node
    }

    /// The PostgreSQL database's address, which the other processes' news comes through.
    pub fn shared_url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// The pool for reads; only the store's own files reach it.
    fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The pool for writes; only the store's own files reach it.
    fn writer(&self) -> &AnyPool {
        &self.writer
    }

    /// The writing pool, for tests that check what the database itself refuses and for the
    /// benchmark's bulk set-up.
    #[doc(hidden)]
    pub fn pool_for_tests(&self) -> &AnyPool {
        &self.writer
    }
}
