//! Named versions of a document: the heads they were cut at and the text then. Immutable by
//! trigger.

use domain::{
    api::{NewVersion, VersionSummary},
    document::Outline,
};

use super::{split_heads, Store, StoreError};

#[derive(sqlx::FromRow)]
struct VersionRow {
    name: String,
    summary: String,
    heads: String,
    outline: String,
    display_name: String,
    created_at: i64,
}

impl VersionRow {
    /// The version's summary and its outline as stored (JSON).
    fn split(self) -> (VersionSummary, String) {
        let about = VersionSummary {
            name: self.name,
            summary: self.summary,
            heads: split_heads(&self.heads),
            by: self.display_name,
            at: self.created_at,
        };
        (about, self.outline)
    }
}

impl Store {
    /// Stores a version; `false` if the document has one of that name already.
    pub(crate) async fn insert_version(
        &self,
        doc: &str,
        v: &NewVersion,
        heads: &[String],
        outline: &Outline,
        by: &str,
        at: i64,
    ) -> Result<bool, StoreError> {
        let outline = serde_json::to_string(outline).unwrap_or_default();
        let n = sqlx::query(
            "INSERT INTO versions (document_id, name, summary, heads, outline, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        )
        .bind(doc)
        .bind(&v.name)
        .bind(&v.summary)
        .bind(heads.join(","))
        .bind(outline)
        .bind(by)
        .bind(at)
        .execute(self.writer())
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    pub(crate) async fn read_versions(
        &self,
        doc: &str,
        name: Option<&str>,
    ) -> Result<Vec<(VersionSummary, String)>, StoreError> {
        let rows: Vec<VersionRow> = sqlx::query_as(
            "SELECT v.name, v.summary, v.heads, v.outline, v.created_at, a.display_name
             FROM versions v JOIN accounts a ON a.id = v.created_by
             WHERE v.document_id = $1 AND ($2 IS NULL OR v.name = $2) ORDER BY v.created_at, v.name",
        )
        .bind(doc)
        .bind(name)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(VersionRow::split).collect())
    }
}
