//! The decision record: each chair action appended (`store::record`), hash-chained to the entry
//! before it (`domain::record`), with the document heads at that moment.

use domain::record::Entry;

use crate::{auth::Principal, error::Error, store::record::Draft, Accord};

/// Who the record names for what the server did by itself (a phase ending at its deadline).
pub const SYSTEM_ACTOR: &str = "Accord (deadline)";

/// Appends what `actor` did to `doc`'s record, with the document's heads now.
pub async fn append(
    state: &Accord,
    doc: &str,
    actor: &str,
    kind: &str,
    summary: &str,
    reason: &str,
) -> Result<Entry, Error> {
    let heads = state.rooms.heads(doc).await?;
    let draft = Draft {
        at: state.auth.now(),
        actor: actor.into(),
        kind: kind.into(),
        summary: summary.into(),
        reason: reason.into(),
    };
    Ok(state
        .rooms
        .store()
        .append_record(doc, &draft, heads)
        .await?)
}

/// The display name the record gives a signed-in principal.
pub fn actor(who: &Principal) -> &str {
    who.account
        .as_ref()
        .map(|a| a.display_name.as_str())
        .unwrap_or("someone")
}

/// A document's record, for anyone who may read the document.
pub async fn read(state: &Accord, who: &Principal, doc: &str) -> Result<Vec<Entry>, Error> {
    crate::documents::require(state, who, doc, domain::policy::Action::ReadDocument).await?;
    Ok(state.rooms.store().record(doc).await?)
}
