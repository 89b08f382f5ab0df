//! Named versions of a document: the heads they were cut at and the text then. Immutable by
//! trigger.

use domain::{
    api::{NewVersion, VersionSummary},
    document::Outline,
};
use sqlx::Row;

use super::{split_heads, Store, StoreError};

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
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
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
        let rows = sqlx::query(
            "SELECT v.*, a.display_name FROM versions v JOIN accounts a ON a.id = v.created_by
             WHERE v.document_id = ?1 AND (?2 IS NULL OR v.name = ?2) ORDER BY v.created_at, v.name",
        )
        .bind(doc)
        .bind(name)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    VersionSummary {
                        name: r.get("name"),
                        summary: r.get("summary"),
                        heads: split_heads(&r.get::<String, _>("heads")),
                        by: r.get("display_name"),
                        at: r.get("created_at"),
                    },
                    r.get("outline"),
                )
            })
            .collect())
    }
}
