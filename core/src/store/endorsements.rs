//! Endorsements of a closed document's text, one per person and document.

use domain::api::Endorsement;

use super::{Store, StoreError};

#[derive(sqlx::FromRow)]
struct EndorsementRow {
    account_id: String,
    display_name: String,
    affiliation: String,
    on_behalf_of: Option<String>,
    created_at: i64,
}

impl EndorsementRow {
    /// The endorsing account and the endorsement as it is shown.
    fn split(self) -> (String, Endorsement) {
        let shown = Endorsement {
            name: self.display_name,
            affiliation: self.affiliation,
            on_behalf_of: self.on_behalf_of,
            at: self.created_at,
        };
        (self.account_id, shown)
    }
}

impl Store {
    /// Every endorsement of `doc`, oldest first, with the account each belongs to.
    pub async fn endorsements(&self, doc: &str) -> Result<Vec<(String, Endorsement)>, StoreError> {
        let rows: Vec<EndorsementRow> = sqlx::query_as(
            "SELECT e.account_id, e.on_behalf_of, e.created_at, a.display_name, a.affiliation
             FROM endorsements e JOIN accounts a ON a.id = e.account_id
             WHERE e.document_id = $1 ORDER BY e.created_at, a.display_name",
        )
        .bind(doc)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(EndorsementRow::split).collect())
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
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
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
        let n = sqlx::query("DELETE FROM endorsements WHERE document_id = $1 AND account_id = $2")
            .bind(doc)
            .bind(account)
            .execute(self.writer())
            .await?
            .rows_affected();
        Ok(n == 1)
    }

    /// Forgets every endorsement of `doc` (its text is open to change again); how many there
    /// were.
    pub(crate) async fn lapse_endorsements(&self, doc: &str) -> Result<u64, StoreError> {
        Ok(
            sqlx::query("DELETE FROM endorsements WHERE document_id = $1")
                .bind(doc)
                .execute(self.writer())
                .await?
                .rows_affected(),
        )
    }
}
