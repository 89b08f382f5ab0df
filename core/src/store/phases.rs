//! A document's phase and deadline, moved with a compare-and-set update.

use domain::phase::Schedule;

use super::{Store, StoreError};

impl Store {
    /// Moves a document from `from` to `to`; `false` if its schedule was not `from` any more.
    pub(crate) async fn move_phase(
        &self,
        doc: &str,
        from: Schedule,
        to: Schedule,
    ) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE documents SET phase = ?, deadline = ?
             WHERE id = ? AND phase = ? AND deadline IS ?",
        )
        .bind(to.phase.key())
        .bind(to.deadline)
        .bind(doc)
        .bind(from.phase.key())
        .bind(from.deadline)
        .execute(self.writer())
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Documents whose phase deadline has passed.
    pub(crate) async fn documents_due(&self, now: i64) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM documents WHERE deadline IS NOT NULL AND deadline <= ?",
        )
        .bind(now)
        .fetch_all(self.pool())
        .await?)
    }
}
