//! Endorsements of a closed document's text, one per person and document.

use domain::api::Endorsement;
use sqlx::Row;

use super::{Store, StoreError};

impl Store {
    /// Every endorsement of `doc`, oldest first, with the account each belongs to.
    pub async fn endorsements(&self, doc: &str) -> Result<Vec<(String, Endorsement)>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.account_id, e.on_behalf_of, e.created_at, a.display_name, a.affiliation
             FROM endorsements e JOIN accounts a ON a.id = e.account_id
             WHERE e.document_id = ? ORDER BY e.created_at, a.display_name",
        )
        .bind(doc)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    r.get("account_id"),
                    Endorsement {
                        name: r.get("display_name"),
                        affiliation: r.get("affiliation"),
                        on_behalf_of: r.get("on_behalf_of"),
                        at: r.get("created_at"),
                    },
                )
            })
            .collect())
    }

    /// Records an endorsement; `false` if the account endorsed the document already.
    pub(crate) async fn endorse(
        &self,
        doc: &str,
        account: &str,
        on_behalf_of: Option<&str>,
        at: i64,
    ) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "INSERT INTO endorsements (document_id, account_id, on_behalf_of, created_at)
             VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(doc)
        .bind(account)
        .bind(on_behalf_of)
        .bind(at)
        .execute(self.writer())
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    pub(crate) async fn withdraw_endorsement(
        &self,
        doc: &str,
        account: &str,
    ) -> Result<bool, StoreError> {
        let n = sqlx::query("DELETE FROM endorsements WHERE document_id = ? AND account_id = ?")
            .bind(doc)
            .bind(account)
            .execute(self.writer())
            .await?
            .rows_affected();
        Ok(n == 1)
    }
}
