//! Amendments (the branch of changes, its base and actor, the decision), their co-sponsors and
//! the stances on them (kept as stances on paragraphs are, `stances.rs`), and a decision as the
//! rows that commit with its merge ([`Decision`]).

use std::collections::HashMap;

use automerge::ChangeHash;
use domain::{
    amendment::Amendment,
    api::{AmendmentStatus, DecisionView, Stance, YourStance},
    consensus::StanceFact,
    document::hex_heads,
};
use futures::future::BoxFuture;

use super::{
    accounts::ProfileRow,
    feedback::COUNTED,
    record,
    stances::{state_in, StanceChange, Subject},
    Companion, Store, StoreError,
};

/// An amendment as stored.
pub(crate) struct StoredAmendment {
    pub id: i64,
    pub proposer_id: String,
    pub proposer: String,
    pub rationale: String,
    pub amendment: Amendment,
    pub actor: String,
    pub status: AmendmentStatus,
    pub created_at: i64,
    pub decision: Option<DecisionView>,
    /// The actor (hex) that wrote a chair's modification, when accepted with one.
    pub modifier: Option<String>,
}

#[derive(sqlx::FromRow)]
struct AmendmentRow {
    id: i64,
    proposer_id: String,
    proposer: String,
    rationale: String,
    base: String,
    changes: Vec<u8>,
    actor: String,
    status: String,
    created_at: i64,
    decided_at: Option<i64>,
    decider: Option<String>,
    decision_reason: Option<String>,
    modification_actor: Option<String>,
}

impl AmendmentRow {
    /// `None` for heads that do not parse or a status this version does not know.
    fn stored(self) -> Option<StoredAmendment> {
        let base = self
            .base
            .split(',')
            .filter(|h| !h.is_empty())
            .map(|h| h.parse().ok())
            .collect::<Option<Vec<ChangeHash>>>()?;
        Some(StoredAmendment {
            id: self.id,
            proposer_id: self.proposer_id,
            proposer: self.proposer,
            rationale: self.rationale,
            amendment: Amendment {
                base,
                changes: self.changes,
            },
            actor: self.actor,
            status: AmendmentStatus::parse(&self.status)?,
            created_at: self.created_at,
            decision: self.decided_at.map(|at| DecisionView {
                by: self.decider.unwrap_or_default(),
                reason: self.decision_reason.unwrap_or_default(),
                at,
            }),
            modifier: self.modification_actor,
        })
    }
}

#[derive(sqlx::FromRow)]
struct SponsorRow {
    amendment_id: i64,
    account_id: String,
    display_name: String,
}

#[derive(sqlx::FromRow)]
struct AmendmentStanceRow {
    amendment_id: i64,
    account_id: String,
    stance: String,
    reason: Option<String>,
    #[sqlx(flatten)]
    profile: ProfileRow,
    /// Whether the stance counts (`feedback::COUNTED`); one's own is shown to one either way.
    #[sqlx(try_from = "super::Flag")]
    counted: bool,
}

fn heads_text(heads: &[ChangeHash]) -> String {
    hex_heads(heads).join(",")
}

impl Store {
    pub(crate) async fn insert_amendment(
        &self,
        doc: &str,
        proposer: &str,
        rationale: &str,
        a: &Amendment,
        actor: &str,
        now: i64,
    ) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO amendments (document_id, proposer_id, rationale, base, changes, actor, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(doc)
        .bind(proposer)
        .bind(rationale)
        .bind(heads_text(&a.base))
        .bind(&a.changes)
        .bind(actor)
        .bind(now)
        .fetch_one(self.writer())
        .await?)
    }

    pub(crate) async fn stored_amendments(
        &self,
        doc: &str,
        id: Option<i64>,
    ) -> Result<Vec<StoredAmendment>, StoreError> {
        let rows: Vec<AmendmentRow> = sqlx::query_as(
            "SELECT m.id, m.proposer_id, m.rationale, m.base, m.changes, m.actor, m.status,
                m.created_at, m.decided_at, m.decision_reason, m.modification_actor,
                p.display_name AS proposer, d.display_name AS decider
             FROM amendments m JOIN accounts p ON p.id = m.proposer_id
             LEFT JOIN accounts d ON d.id = m.decided_by
             WHERE m.document_id = $1 AND ($2 IS NULL OR m.id = $2) ORDER BY m.id",
        )
        .bind(doc)
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().filter_map(AmendmentRow::stored).collect())
    }

    /// Marks an open amendment withdrawn by its proposer `by`; `false` if it was not open any
    /// more.
    pub(crate) async fn withdraw_amendment(
        &self,
        id: i64,
        by: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut conn = self.writer().acquire().await?;
        let (status, reason) = (AmendmentStatus::Withdrawn, "withdrawn by its proposer");
        claim_in(&mut conn, id, status, by, reason, now, None).await
    }

    /// Adds a co-sponsor; `false` if they were one already.
    pub(crate) async fn sponsor(
        &self,
        id: i64,
        account: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "INSERT INTO amendment_sponsors (amendment_id, account_id, created_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(account)
        .bind(now)
        .execute(self.writer())
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Co-sponsors (account id and display name) per amendment of a document.
    pub(crate) async fn sponsors(
        &self,
        doc: &str,
    ) -> Result<HashMap<i64, Vec<(String, String)>>, StoreError> {
        let rows: Vec<SponsorRow> = sqlx::query_as(
            "SELECT s.amendment_id, s.account_id, a.display_name FROM amendment_sponsors s
             JOIN amendments m ON m.id = s.amendment_id JOIN accounts a ON a.id = s.account_id
             WHERE m.document_id = $1 ORDER BY s.created_at, a.display_name",
        )
        .bind(doc)
        .fetch_all(self.pool())
        .await?;
        let mut out = HashMap::<i64, Vec<(String, String)>>::new();
        for r in rows {
            out.entry(r.amendment_id)
                .or_default()
                .push((r.account_id, r.display_name));
        }
        Ok(out)
    }

    /// States or changes a participant's stance on an amendment: a new entry of its history,
    /// unless it is the stance they hold already (`stances.rs`, as for paragraphs).
    pub(crate) async fn set_amendment_stance(
        &self,
        id: i64,
        account: &str,
        stance: Stance,
        reason: Option<&str>,
        now: i64,
    ) -> Result<StanceChange, StoreError> {
        let mut tx = self.writer().begin().await?;
        let subject = Subject::Amendment(id);
        let change = state_in(&mut tx, subject, account, stance, reason, now).await?;
        tx.commit().await?;
        Ok(change)
    }

    /// Every current stance on a document's amendments, keyed by amendment id as text, and
    /// `viewer`'s own.
    pub(crate) async fn amendment_stances(
        &self,
        doc: &str,
        viewer: Option<&str>,
    ) -> Result<(Vec<StanceFact>, HashMap<i64, YourStance>), StoreError> {
        let rows: Vec<AmendmentStanceRow> = sqlx::query_as(&format!(
            "SELECT s.amendment_id, s.account_id, h.stance, h.reason,
                a.stakeholder_group, a.region, a.gender, {COUNTED} AS counted
             FROM amendment_stances s JOIN amendment_stance_history h ON h.id = s.entry_id
             JOIN amendments m ON m.id = s.amendment_id
             JOIN accounts a ON a.id = s.account_id WHERE m.document_id = $1"
        ))
        .bind(doc)
        .fetch_all(self.pool())
        .await?;
        let mut facts = Vec::with_capacity(rows.len());
        let mut yours = HashMap::new();
        for r in rows {
            let Some(stance) = Stance::parse(&r.stance) else {
                continue;
            };
            if viewer == Some(r.account_id.as_str()) {
                let reason = r.reason;
                yours.insert(r.amendment_id, YourStance { stance, reason });
            }
            if !r.counted {
                continue;
            }
            facts.push(StanceFact {
                paragraph: r.amendment_id.to_string(),
                account: r.account_id,
                stance,
                profile: r.profile.into(),
                answered: false,
            });
        }
        Ok((facts, yours))
    }
}

/// Moves an open amendment to `status`, with the chair's adjustment (its changes and actor) if
/// any, inside the caller's connection or transaction; `false` if it was not open any more.
async fn claim_in(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    status: AmendmentStatus,
    by: &str,
    reason: &str,
    at: i64,
    modification: Option<(&[u8], String)>,
) -> Result<bool, StoreError> {
    let (changes, actor) = modification.unzip();
    let n = sqlx::query(
        "UPDATE amendments SET status = $1, decided_by = $2, decision_reason = $3, decided_at = $4,
            modification = $5, modification_actor = $6
         WHERE id = $7 AND status = 'open'",
    )
    .bind(status.key())
    .bind(by)
    .bind(reason)
    .bind(at)
    .bind(changes)
    .bind(actor)
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// A decision on an amendment as it is stored: the claim (only an open amendment can be
/// decided) and its record entry, written in the transaction that stores the merged text.
pub(crate) struct Decision {
    pub doc: String,
    pub amendment: i64,
    pub status: AmendmentStatus,
    /// The deciding chair's account; the record names them and carries the time and reason.
    pub by: String,
    /// The chair's adjustment: its changes and the actor that wrote them.
    pub modification: Option<(Vec<u8>, String)>,
    pub record: record::Draft,
}

impl Companion for Decision {
    fn write<'a>(
        &'a self,
        tx: &'a mut sqlx::AnyConnection,
        heads: &'a [String],
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            let modification = self
                .modification
                .as_ref()
                .map(|(c, a)| (c.as_slice(), a.clone()));
            let (at, by, reason) = (self.record.at, &self.by, &self.record.reason);
            if !claim_in(
                tx,
                self.amendment,
                self.status,
                by,
                reason,
                at,
                modification,
            )
            .await?
            {
                return Ok(false);
            }
            record::append_in(tx, &self.doc, &self.record, heads.to_vec()).await?;
            Ok(true)
        })
    }
}
