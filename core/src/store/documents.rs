//! Groups, documents and each document's bytes: its latest compacted automerge save
//! (`document_snapshots`) plus the incremental chunks stored since (`document_changes`).

use automerge::Automerge;
use domain::{
    api::{DocumentSummary, Group, GroupKind},
    phase::{Phase, Schedule},
    profile::Language,
};

use super::{Companion, Store, StoreError};

/// A document's metadata.
#[derive(Debug, Clone)]
pub struct DocumentMeta {
    pub id: String,
    pub group_id: String,
    pub group_name: String,
    pub title: String,
    pub paragraphs: i64,
    pub updated_at: String,
    /// The phase as stored; `phases::current` moves it on past its deadline.
    pub schedule: Schedule,
    /// The language the text is written in: its own, else its group's.
    pub language: Language,
}

#[derive(sqlx::FromRow)]
struct MetaRow {
    id: String,
    group_id: String,
    group_name: String,
    title: String,
    paragraphs: i64,
    updated_at: String,
    phase: String,
    deadline: Option<i64>,
    language: String,
}

impl From<MetaRow> for DocumentMeta {
    fn from(r: MetaRow) -> Self {
        Self {
            id: r.id,
            group_id: r.group_id,
            group_name: r.group_name,
            title: r.title,
            paragraphs: r.paragraphs,
            updated_at: r.updated_at,
            schedule: Schedule {
                phase: Phase::parse(&r.phase).unwrap_or(Phase::Drafting),
                deadline: r.deadline,
            },
            language: Language::parse(&r.language).unwrap_or(Language::English),
        }
    }
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    title: String,
    group_name: String,
    paragraphs: i64,
    updated_at: String,
    phase: String,
    deadline: Option<i64>,
}

impl From<SummaryRow> for DocumentSummary {
    fn from(r: SummaryRow) -> Self {
        Self {
            id: r.id,
            title: r.title,
            group: r.group_name,
            paragraphs: r.paragraphs.max(0) as usize,
            updated_at: r.updated_at,
            schedule: Schedule {
                phase: Phase::parse(&r.phase).unwrap_or(Phase::Drafting),
                deadline: r.deadline,
            },
        }
    }
}

#[derive(sqlx::FromRow)]
struct GroupRow {
    id: String,
    name: String,
    kind: String,
}

impl From<GroupRow> for Group {
    fn from(r: GroupRow) -> Self {
        Self {
            kind: GroupKind::parse(&r.kind).unwrap_or(GroupKind::Other),
            id: r.id,
            name: r.name,
        }
    }
}

#[derive(sqlx::FromRow)]
struct ChunkRow {
    seq: i64,
    bytes: Vec<u8>,
}

impl Store {
    pub async fn has_groups(&self) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM groups")
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// Creates a group; `false` if the id is taken. The primary key decides, so two requests
    /// naming the same id at once create one group, whichever connection each runs on.
    pub async fn create_group(&self, id: &str, name: &str, kind: &str) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "INSERT INTO groups (id, name, kind) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(name)
        .bind(kind)
        .execute(&self.writer)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Says which language group `id`'s documents are written in unless their chair says
    /// otherwise.
    pub async fn set_group_language(&self, id: &str, language: Language) -> Result<(), StoreError> {
        sqlx::query("UPDATE groups SET language = $1 WHERE id = $2")
            .bind(language.key())
            .bind(id)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    pub async fn groups(&self) -> Result<Vec<Group>, StoreError> {
        let rows: Vec<GroupRow> = sqlx::query_as("SELECT id, name, kind FROM groups ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(Group::from).collect())
    }

    pub async fn group_exists(&self, group: &str) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM groups WHERE id = $1")
            .bind(group)
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// Stores a new document whose first save is `bytes`.
    pub async fn create_document(
        &self,
        id: &str,
        group_id: &str,
        title: &str,
        paragraphs: usize,
        bytes: &[u8],
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO documents (id, group_id, title, paragraphs) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(group_id)
        .bind(title)
        .bind(paragraphs as i64)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO document_snapshots (document_id, bytes, last_seq) VALUES ($1, $2, 0)",
        )
        .bind(id)
        .bind(bytes)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn list_documents(&self) -> Result<Vec<DocumentSummary>, StoreError> {
        let rows: Vec<SummaryRow> = sqlx::query_as(
            "SELECT d.id, d.title, g.name AS group_name, d.paragraphs, d.updated_at, d.phase,
                d.deadline
             FROM documents d JOIN groups g ON g.id = d.group_id
             ORDER BY d.updated_at DESC, d.id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(DocumentSummary::from).collect())
    }

    pub async fn document_meta(&self, id: &str) -> Result<Option<DocumentMeta>, StoreError> {
        let row: Option<MetaRow> = sqlx::query_as(
            "SELECT d.id, d.group_id, g.name AS group_name, d.title, d.paragraphs, d.updated_at,
                d.phase, d.deadline, COALESCE(d.language, g.language) AS language
             FROM documents d JOIN groups g ON g.id = d.group_id WHERE d.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(DocumentMeta::from))
    }

    /// Says which language document `id` is written in.
    pub async fn set_document_language(
        &self,
        id: &str,
        language: Language,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE documents SET language = $1 WHERE id = $2")
            .bind(language.key())
            .bind(id)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// Loads a document: its snapshot, then every chunk stored beside it, in order. Returns the
    /// document and the sequence numbers of the chunks folded in, which are the only ones a
    /// compaction of this copy may delete (see [`Store::compact`]).
    ///
    /// One statement reads both, so both come from one moment of the database: a compaction
    /// by another process cannot fall between reading the old snapshot and reading the chunks
    /// it deleted.
    pub async fn load_document(
        &self,
        id: &str,
    ) -> Result<Option<(Automerge, Vec<i64>)>, StoreError> {
        let rows: Vec<ChunkRow> = sqlx::query_as(
            "SELECT 0 AS seq, bytes FROM document_snapshots WHERE document_id = $1
             UNION ALL
             SELECT seq, bytes FROM document_changes WHERE document_id = $1
             ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut rows = rows.into_iter();
        let Some(snapshot) = rows.next().filter(|r| r.seq == 0) else {
            return Ok(None);
        };
        let mut doc = domain::document::load(&snapshot.bytes)
            .map_err(|e| StoreError::Corrupt(id.into(), e))?;
        // Every chunk still stored: a compaction deletes only what it folded in, so a chunk
        // numbered below another process's snapshot may still be news to it (and loading a
        // change twice is harmless).
        let mut folded = Vec::with_capacity(rows.len());
        for chunk in rows {
            doc.load_incremental(&chunk.bytes)
                .map_err(|e| StoreError::Corrupt(id.into(), e))?;
            folded.push(chunk.seq);
        }
        Ok(Some((doc, folded)))
    }

    /// The chunks numbered `seqs` of document `id` that are still stored (a compaction may
    /// have folded some into the snapshot since), in order.
    pub async fn chunks_numbered(
        &self,
        id: &str,
        seqs: &[i64],
    ) -> Result<Vec<(i64, Vec<u8>)>, StoreError> {
        let numbers = super::json_array(seqs);
        let rows: Vec<ChunkRow> = sqlx::query_as(&format!(
            "SELECT seq, bytes FROM document_changes WHERE document_id = $1 AND seq IN ({})
             ORDER BY seq",
            self.backend.json_integers("$2")
        ))
        .bind(id)
        .bind(numbers)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| (r.seq, r.bytes)).collect())
    }

    /// Appends the chunks of one batch in one transaction, bumps the document's time and, when
    /// given, refreshes the listing mirrors (title, paragraph count). Returns the chunks'
    /// sequence numbers.
    pub async fn append_changes(
        &self,
        id: &str,
        chunks: &[Vec<u8>],
        mirrors: Option<(&str, usize)>,
    ) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.writer.begin().await?;
        let last = self.insert_chunks(&mut tx, id, chunks, mirrors).await?;
        tx.commit().await?;
        Ok(last)
    }

    /// Stores a merge's chunk (if it changed anything) together with `rows`, in one
    /// transaction: both commit or neither does. `None` when `rows` declined (nothing was
    /// written); else the chunk's sequence number (none without a chunk).
    pub async fn append_change_with(
        &self,
        id: &str,
        chunk: Option<&[u8]>,
        mirrors: Option<(&str, usize)>,
        heads: &[String],
        rows: &dyn Companion,
    ) -> Result<Option<Vec<i64>>, StoreError> {
        let mut tx = self.writer.begin().await?;
        if !rows.write(&mut tx, heads).await? {
            tx.rollback().await?;
            return Ok(None);
        }
        let seqs = match chunk {
            Some(chunk) => self.insert_chunks(&mut tx, id, &[chunk], mirrors).await?,
            None => Vec::new(),
        };
        tx.commit().await?;
        Ok(Some(seqs))
    }

    /// Replaces the snapshot with `bytes`, which must contain every chunk in `folded`, merged
    /// with the snapshot stored now, and deletes exactly those chunks, in one transaction: at
    /// every instant either the old snapshot and its chunks or the new snapshot is on disk. A
    /// chunk another process stored meanwhile is not in `folded`, so it stays, and the next
    /// load folds it in; a snapshot another process wrote meanwhile is merged in, not
    /// overwritten: no process can lose another's changes.
    pub async fn compact(&self, id: &str, bytes: &[u8], folded: &[i64]) -> Result<(), StoreError> {
        let numbers = super::json_array(folded);
        let mut tx = self.writer.begin().await?;
        let stored: Option<Vec<u8>> = sqlx::query_scalar(&format!(
            "SELECT bytes FROM document_snapshots WHERE document_id = $1{}",
            self.backend.for_update()
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let corrupt = |e| StoreError::Corrupt(id.into(), e);
        let mut merged = domain::document::load(bytes).map_err(corrupt)?;
        let before = merged.get_heads();
        if let Some(stored) = stored {
            merged.load_incremental(&stored).map_err(corrupt)?;
        }
        let bytes = if merged.get_heads() == before {
            bytes.to_vec()
        } else {
            merged.save()
        };
        sqlx::query(
            "UPDATE document_snapshots SET bytes = $1,
                last_seq = CASE WHEN last_seq > $2 THEN last_seq ELSE $2 END
             WHERE document_id = $3",
        )
        .bind(bytes)
        .bind(folded.iter().copied().max().unwrap_or(0))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(&format!(
            "DELETE FROM document_changes WHERE document_id = $1 AND seq IN ({})",
            self.backend.json_integers("$2")
        ))
        .bind(id)
        .bind(numbers)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many chunks are stored beside a document's snapshot (for tests).
    pub async fn pending_chunks(&self, id: &str) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM document_changes WHERE document_id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?,
        )
    }
}
