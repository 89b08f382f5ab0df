//! Endorsements: once a document is closed, anyone signed in may endorse its final text for
//! themselves or on behalf of an organisation they name, and withdraw that again. The list is
//! shown on the document page and printed in every export and the report.

use domain::{
    api::{Endorse, Endorsements},
    limits,
    phase::Phase,
    policy::{self, Action, Standing},
    refusal::{Field, Refusal},
    rules::{self, Lines},
};

use crate::{
    auth::{rate_limit, Limited, Principal},
    documents,
    error::Error,
    Accord,
};

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
    rate_limit(state, Limited::Write, who).await?;
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
