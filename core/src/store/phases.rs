//! A document's phase and deadline, moved with a compare-and-set update.

use domain::phase::{Phase, Schedule};

use super::{Store, StoreError};

impl Store {
    /// Moves a document from `from` to `to` at `at`; `false` if its schedule was not `from` any
    /// more. A move to another phase is remembered (`phase_moves`); the first move into the
    /// consultation fixes the group's threshold rule of that moment for the document.
    pub(crate) async fn move_phase(
        &self,
        doc: &str,
        from: Schedule,
        to: Schedule,
        at: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.writer().begin().await?;
        let n = sqlx::query(
            "UPDATE documents SET phase = $1, deadline = $2
             WHERE id = $3 AND phase = $4 AND deadline IS NOT DISTINCT FROM $5",
        )
        .bind(to.phase.key())
        .bind(to.deadline)
        .bind(doc)
        .bind(from.phase.key())
        .bind(from.deadline)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Ok(false);
        }
        if from.phase != to.phase {
            sqlx::query("INSERT INTO phase_moves (document_id, phase, at) VALUES ($1, $2, $3)")
                .bind(doc)
                .bind(to.phase.key())
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
        if to.phase == Phase::Consultation {
            sqlx::query(
                "INSERT INTO document_thresholds (document_id, rule, fixed_at)
                 SELECT d.id, t.rule, $2 FROM documents d JOIN thresholds t ON t.group_id = d.group_id
                 WHERE d.id = $1
                 ON CONFLICT DO NOTHING",
            )
            .bind(doc)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Every phase `doc` entered (since phases were remembered), with when, oldest first.
    pub async fn phase_moves(&self, doc: &str) -> Result<Vec<(Phase, i64)>, StoreError> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT phase, at FROM phase_moves WHERE document_id = $1 ORDER BY at")
                .bind(doc)
                .fetch_all(self.pool())
                .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(p, at)| Some((Phase::parse(&p)?, at)))
            .collect())
    }

    /// Documents whose phase deadline has passed.
    pub(crate) async fn documents_due(&self, now: i64) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM documents WHERE deadline IS NOT NULL AND deadline <= $1",
        )
        .bind(now)
        .fetch_all(self.pool())
        .await?)
    }

    /// Documents whose deadline falls in `now..=until` and that nobody was warned of yet,
    /// marked warned now.
    pub(crate) async fn deadlines_to_warn(
        &self,
        now: i64,
        until: i64,
    ) -> Result<Vec<String>, StoreError> {
        let near: Vec<(String, i64)> = sqlx::query_as(
            "SELECT d.id, d.deadline FROM documents d
             WHERE d.deadline IS NOT NULL AND d.deadline > $1 AND d.deadline <= $2
               AND NOT EXISTS (SELECT 1 FROM deadline_warnings w
                               WHERE w.document_id = d.id AND w.deadline = d.deadline)",
        )
        .bind(now)
        .bind(until)
        .fetch_all(self.pool())
        .await?;
        let mut claimed = Vec::with_capacity(near.len());
        for (doc, deadline) in near {
            // Claimed one by one: two processes ticking at once warn once.
            let done = sqlx::query(
                "INSERT INTO deadline_warnings (document_id, deadline, warned_at) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
            )
            .bind(&doc)
            .bind(deadline)
            .bind(now)
            .execute(self.writer())
            .await?;
            if done.rows_affected() == 1 {
                claimed.push(doc);
            }
        }
        Ok(claimed)
    }
}
