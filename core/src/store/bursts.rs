//! Who stated stances on a document, with when and from where their accounts were registered,
//! and the chairs' setting aside of some accounts' stances (with its record entry, in one
//! transaction).

use super::{
    record::{append_in, Draft},
    Store, StoreError,
};

/// An account with at least one stance on the document, as the burst view needs it.
#[derive(Clone, Debug)]
pub struct StancerRow {
    pub id: String,
    pub display_name: String,
    /// Seconds since the epoch.
    pub registered_at: i64,
    /// The address the registration came from; `None` for an account the installation made.
    pub registered_from: Option<String>,
    pub set_aside: bool,
    /// Current stances on the document's paragraphs and amendments.
    pub stances: i64,
}

/// A [`StancerRow`] as the database has it: the registration time as stored, in text.
#[derive(sqlx::FromRow)]
struct StancerDbRow {
    id: String,
    display_name: String,
    created_at: String,
    registered_from: Option<String>,
    #[sqlx(try_from = "super::Flag")]
    set_aside: bool,
    stances: i64,
}

impl From<StancerDbRow> for StancerRow {
    fn from(r: StancerDbRow) -> Self {
        StancerRow {
            registered_at: chrono::DateTime::parse_from_rfc3339(&r.created_at)
                .map(|t| t.timestamp())
                .unwrap_or(0),
            id: r.id,
            display_name: r.display_name,
            registered_from: r.registered_from,
            set_aside: r.set_aside,
            stances: r.stances,
        }
    }
}

/// Paragraph and amendment stances of one document, with their account.
const STANCES_OF_DOCUMENT: &str = "SELECT s.account_id FROM stances s WHERE s.document_id = $1
     UNION ALL
     SELECT s.account_id FROM amendment_stances s JOIN amendments m ON m.id = s.amendment_id
     WHERE m.document_id = $1";

impl Store {
    /// Every account with a current stance on `doc`, oldest registration first.
    pub async fn stancers(&self, doc: &str) -> Result<Vec<StancerRow>, StoreError> {
        let rows: Vec<StancerDbRow> = sqlx::query_as(&format!(
            "SELECT a.id, a.display_name, a.created_at, a.registered_from,
                EXISTS (SELECT 1 FROM stances_set_aside x
                        WHERE x.document_id = $1 AND x.account_id = a.id) AS set_aside,
                n.stances
             FROM (SELECT account_id, COUNT(*) AS stances FROM ({STANCES_OF_DOCUMENT}) s
                   GROUP BY account_id) n
             JOIN accounts a ON a.id = n.account_id
             ORDER BY a.created_at, a.id"
        ))
        .bind(doc)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(StancerRow::from).collect())
    }

    /// The paragraphs of `doc` on which any of `accounts` has a current stance.
    pub async fn paragraphs_stanced_by(
        &self,
        doc: &str,
        accounts: &[String],
    ) -> Result<Vec<String>, StoreError> {
        let mut paragraphs = Vec::new();
        for account in accounts {
            let rows: Vec<(String,)> = sqlx::query_as(
                "SELECT paragraph_id FROM stances WHERE document_id = $1 AND account_id = $2",
            )
            .bind(doc)
            .bind(account)
            .fetch_all(self.pool())
            .await?;
            paragraphs.extend(rows.into_iter().map(|(p,)| p));
        }
        paragraphs.sort();
        paragraphs.dedup();
        Ok(paragraphs)
    }

    /// Sets aside (or, with `aside` false, counts again) the stances of `accounts` on `doc`,
    /// and appends `draft` to the record in the same transaction. Returns how many accounts
    /// changed; with none, nothing is written.
    pub async fn set_stances_aside(
        &self,
        doc: &str,
        accounts: &[String],
        aside: bool,
        draft: &Draft,
        heads: Vec<String>,
    ) -> Result<u64, StoreError> {
        let mut tx = self.writer().begin().await?;
        let mut changed = 0;
        for account in accounts {
            let q = match aside {
                true => sqlx::query(
                    "INSERT INTO stances_set_aside (document_id, account_id, set_by, reason, at)
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(doc)
                .bind(account)
                .bind(&draft.actor)
                .bind(&draft.reason)
                .bind(draft.at),
                false => sqlx::query(
                    "DELETE FROM stances_set_aside WHERE document_id = $1 AND account_id = $2",
                )
                .bind(doc)
                .bind(account),
            };
            changed += q.execute(&mut *tx).await?.rows_affected();
        }
        if changed == 0 {
            return Ok(0);
        }
        append_in(&mut tx, doc, draft, heads).await?;
        tx.commit().await?;
        self.forget_facts(Some(doc));
        Ok(changed)
    }
}
