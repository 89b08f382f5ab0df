//! Accounts registered in bursts, for the chairs of a document: which of the document's
//! stance-takers were registered from one address within minutes of each other
//! (`domain::bursts`), and setting their stances aside, or counting them again, with a reason
//! the decision record keeps. A set-aside stance stays stored and is shown to its author; it
//! is left out of every figure.

use domain::{
    api::{Burst, BurstAccount, SetStancesAside},
    bursts::{self, Registered},
    limits,
    policy::Action,
    refusal::{Choice, Field, Refusal, Thing},
};

use crate::{
    auth::Principal, documents, error::Error, feedback, feedback::required_text, record,
    store::bursts::StancerRow, store::record::Draft, Accord,
};

impl Registered for StancerRow {
    fn registered_at(&self) -> i64 {
        self.registered_at
    }
    fn registered_from(&self) -> Option<&str> {
        self.registered_from.as_deref()
    }
}

/// The bursts among `doc`'s stance-takers, for its chairs.
pub async fn list(state: &Accord, who: &Principal, doc: &str) -> Result<Vec<Burst>, Error> {
    documents::require(state, who, doc, Action::ReviewStances).await?;
    let stancers = state.rooms.store().stancers(doc).await?;
    Ok(view(&stancers))
}

/// The bursts in `stancers`, each address named by a letter in the order its burst began.
fn view(stancers: &[StancerRow]) -> Vec<Burst> {
    let mut letters: Vec<&str> = Vec::new();
    let found = bursts::bursts(stancers);
    found
        .iter()
        .map(|burst| {
            let from = burst
                .first()
                .and_then(|a| a.registered_from.as_deref())
                .unwrap_or_default();
            let index = letters.iter().position(|l| *l == from).unwrap_or_else(|| {
                letters.push(from);
                letters.len() - 1
            });
            Burst {
                address: letter(index),
                accounts: burst
                    .iter()
                    .map(|a| BurstAccount {
                        id: a.id.clone(),
                        display_name: a.display_name.clone(),
                        registered_at: a.registered_at,
                        set_aside: a.set_aside,
                        stances: a.stances,
                    })
                    .collect(),
            }
        })
        .collect()
}

/// "A" … "Z", then "AA", "AB", …
fn letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8_lossy(&s).into_owned()
}

/// Sets aside (or counts again) the stances on `doc` of accounts among its stance-takers, for a
/// reason; one decision record entry names them all. Returns the bursts as they are now.
pub async fn set_aside(
    state: &Accord,
    who: &Principal,
    doc: &str,
    req: SetStancesAside,
) -> Result<Vec<Burst>, Error> {
    documents::require(state, who, doc, Action::ReviewStances).await?;
    let reason = required_text(Field::Reason, &req.reason, limits::MAX_REASON_CHARS)?;
    if req.accounts.is_empty() || req.accounts.len() > limits::MAX_SET_ASIDE {
        return Err(Refusal::Choose {
            what: Choice::Accounts,
        }
        .into());
    }
    let store = state.rooms.store();
    let stancers = store.stancers(doc).await?;
    let mut names = Vec::new();
    for id in &req.accounts {
        let a = stancers
            .iter()
            .find(|a| &a.id == id)
            .ok_or_else(|| Error::unknown(Thing::Account, id))?;
        names.push(a.display_name.as_str());
    }
    let (kind, summary) = match req.count_again {
        false => (
            "stances-set-aside",
            format!("Set aside the stances of {}", names.join(", ")),
        ),
        true => (
            "stances-counted-again",
            format!("Counted again the stances of {}", names.join(", ")),
        ),
    };
    let draft = Draft {
        at: state.auth.now(),
        actor: record::actor(who).into(),
        kind: kind.into(),
        summary,
        reason,
    };
    let heads = state.rooms.heads(doc).await?;
    let changed = store
        .set_stances_aside(doc, &req.accounts, !req.count_again, &draft, heads)
        .await?;
    if changed > 0 {
        // Everyone reading the document sees the figures move now.
        for paragraph in store.paragraphs_stanced_by(doc, &req.accounts).await? {
            feedback::announce(state, doc, &paragraph).await?;
        }
        // So do the rooms of its live sessions, whose open checks count by the same rule.
        for live in store.live_sessions_of(doc).await? {
            state.rooms.live_changed(&live.id);
        }
    }
    Ok(view(&store.stancers(doc).await?))
}

#[cfg(test)]
mod tests {
    use super::letter;

    #[test]
    fn addresses_are_lettered_like_spreadsheet_columns() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(letter(27), "AB");
    }
}
