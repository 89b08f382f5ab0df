//! Endorsements: once a document is closed, anyone signed in may endorse its final text for
//! themselves or on behalf of an organisation they name, and withdraw that again. The list is
//! shown on the document page and printed in every export and the report.

use domain::{
    api::{Endorse, Endorsement, Endorsements},
    limits,
    phase::Phase,
    policy::{self, Action, Standing},
    refusal::{Field, Refusal},
    rules::{self, Lines},
};
use sqlx::Row;

use crate::{
    auth::{rate_limit, Limited, Principal},
    documents,
    error::Error,
    store::{Store, StoreError},
    Accord,
};

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
    async fn endorse(
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

    async fn withdraw_endorsement(&self, doc: &str, account: &str) -> Result<bool, StoreError> {
        let n = sqlx::query("DELETE FROM endorsements WHERE document_id = ? AND account_id = ?")
            .bind(doc)
            .bind(account)
            .execute(self.writer())
            .await?
            .rows_affected();
        Ok(n == 1)
    }
}

/// How every endorsement of `doc` is printed, oldest first.
pub async fn lines(state: &Accord, doc: &str) -> Result<Vec<String>, Error> {
    Ok(state
        .rooms
        .store()
        .endorsements(doc)
        .await?
        .iter()
        .map(|(_, e)| e.line())
        .collect())
}

/// The endorsements of a document, and whether the viewer may endorse it.
pub async fn list(state: &Accord, who: &Principal, doc: &str) -> Result<Endorsements, Error> {
    let (meta, schedule) = documents::require(state, who, doc, Action::ReadDocument).await?;
    let standing = who.standing(state, Some(&meta.group_id)).await?;
    view(state, who, standing, schedule.phase, doc).await
}

/// The endorsements of `doc` as `who`, of `standing`, sees them while it is in `phase`.
pub(crate) async fn view(
    state: &Accord,
    who: &Principal,
    standing: Standing,
    phase: Phase,
    doc: &str,
) -> Result<Endorsements, Error> {
    let all = state.rooms.store().endorsements(doc).await?;
    let yours = who
        .account_id()
        .and_then(|me| all.iter().find(|(a, _)| a == me).map(|(_, e)| e.clone()));
    Ok(Endorsements {
        endorsements: all.into_iter().map(|(_, e)| e).collect(),
        you_may_endorse: policy::allows_in(standing, phase, Action::Endorse),
        yours,
    })
}

/// The signed-in person endorses the closed document's text.
pub async fn endorse(
    state: &Accord,
    who: &Principal,
    doc: &str,
    req: Endorse,
) -> Result<Endorsements, Error> {
    documents::require(state, who, doc, Action::Endorse).await?;
    rate_limit(state, Limited::Write, who)?;
    let me = who.signed_in()?;
    let org = rules::clean(
        Field::Organisation,
        req.on_behalf_of.as_deref().unwrap_or(""),
        Lines::One,
        limits::MAX_AFFILIATION_CHARS,
    )?;
    let stored = state
        .rooms
        .store()
        .endorse(doc, me, org.as_deref(), state.auth.now())
        .await?;
    if !stored {
        return Err(Refusal::EndorsedAlready.into());
    }
    list(state, who, doc).await
}

/// The signed-in person withdraws their endorsement.
pub async fn withdraw(state: &Accord, who: &Principal, doc: &str) -> Result<Endorsements, Error> {
    documents::require(state, who, doc, Action::Endorse).await?;
    let me = who.signed_in()?;
    if !state.rooms.store().withdraw_endorsement(doc, me).await? {
        return Err(Refusal::NotEndorsed.into());
    }
    list(state, who, doc).await
}
