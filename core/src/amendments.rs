//! Amendments: proposing (the branch is made on a fork of the live document at the proposal's
//! base heads, in the document's room), listing with their word-level differences and whether
//! they still apply cleanly, and a chair's decision (accepting merges the branch through the
//! room, stored before it returns, and reaches every open editor like any other change).

use std::collections::{hash_map::Entry, HashMap, HashSet};

use automerge::{ActorId, ChangeHash};
use domain::{
    amendment::{self, Amendment, AmendmentError, Edit, Fit, Inspection},
    api::{
        AmendedParagraph, AmendmentConflict, AmendmentEdit, AmendmentFilter, AmendmentStatus,
        AmendmentView, Decide, Involvement, NewAmendment, SetStance, Verdict,
    },
    consensus, diff,
    document::{hex_heads, is_valid_paragraph_id},
    limits,
    notice::NoticeKind,
    policy::Action,
    refusal::{quote, Field, Refusal, Thing},
    rules,
};

use crate::{
    auth::{rate_limit, Limited, Principal},
    documents,
    error::Error,
    feedback::required_text,
    notices, record,
    rooms::Unmerged,
    store::{
        amendments::{Decision, StoredAmendment as Stored},
        record::Draft,
        Store,
    },
    Accord,
};

/// Each amendment's inspection (what it changes, whether it fits, what accepting it would do)
/// at the document heads it was made at. Looking again costs a fork of the document's history,
/// and lists are asked for far more often than the text or an amendment changes; a change of
/// heads or of whether it is open makes an entry stale, so no write needs to forget anything.
/// One per server, in [`Accord`].
#[derive(Default)]
pub struct InspectionCache {
    /// (document, amendment) → (heads, open, inspection).
    entries: std::sync::Mutex<HashMap<(String, i64), Inspected>>,
}

type Inspected = (String, bool, Inspection);

impl InspectionCache {
    fn get(&self, doc: &str, id: i64, heads: &str, open: bool) -> Option<Inspection> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(&(doc.to_string(), id))
            .filter(|(h, o, _)| h == heads && *o == open)
            .map(|(_, _, i)| i.clone())
    }

    fn keep(&self, doc: &str, id: i64, heads: &str, open: bool, i: &Inspection) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.insert((doc.to_string(), id), (heads.to_string(), open, i.clone()));
    }
}

/// Most edits one amendment may carry.
const MAX_EDITS: usize = 50;

fn parse_heads(raw: &[String]) -> Result<Vec<ChangeHash>, Error> {
    raw.iter()
        .map(|h| {
            h.parse::<ChangeHash>()
                .map_err(|_| Error::from(Refusal::NotAChangeHash { hash: quote(h, 70) }))
        })
        .collect()
}

fn model_error(e: AmendmentError) -> Error {
    use domain::document::ModelError;
    match e {
        AmendmentError::Empty => Refusal::AmendmentEmpty.into(),
        AmendmentError::UnknownBase(h) => Refusal::UnknownBase {
            hash: h.to_string(),
        }
        .into(),
        AmendmentError::Model(ModelError::UnknownParagraph(p)) => {
            Error::unknown(Thing::Paragraph, &p)
        }
        AmendmentError::Model(ModelError::Schema(s)) => Refusal::TextNotAllowed {
            detail: s.to_string(),
        }
        .into(),
        AmendmentError::Corrupt(e) => {
            tracing::error!("an amendment cannot be read: {e}");
            Refusal::AmendmentUnreadable.into()
        }
        other => Error::Internal(other.to_string()),
    }
}

fn edits(raw: Vec<AmendmentEdit>) -> Result<Vec<Edit>, Error> {
    if raw.is_empty() || raw.len() > MAX_EDITS {
        return Err(Refusal::EditCount { limit: MAX_EDITS }.into());
    }
    let check = |p: &str| {
        if is_valid_paragraph_id(p) {
            Ok(())
        } else {
            Err(Error::unknown(Thing::Paragraph, p))
        }
    };
    raw.into_iter()
        .map(|e| {
            Ok(match e {
                AmendmentEdit::Replace { paragraph, text } => {
                    check(&paragraph)?;
                    Edit::Replace { paragraph, text }
                }
                AmendmentEdit::Insert {
                    after,
                    paragraph_kind,
                    text,
                } => {
                    if let Some(a) = &after {
                        check(a)?;
                    }
                    Edit::Insert {
                        after,
                        kind: paragraph_kind,
                        text,
                    }
                }
                AmendmentEdit::Delete { paragraph } => {
                    check(&paragraph)?;
                    Edit::Delete { paragraph }
                }
            })
        })
        .collect()
}

/// One stored amendment of `doc`, or 404.
async fn stored(store: &Store, doc: &str, id: i64) -> Result<Stored, Error> {
    store
        .stored_amendments(doc, Some(id))
        .await?
        .pop()
        .ok_or_else(|| Error::unknown(Thing::Amendment, &id.to_string()))
}

/// The actor an amendment's branch was written as.
fn stored_actor(s: &Stored) -> Result<ActorId, Error> {
    hex::decode(&s.actor)
        .map(ActorId::from)
        .map_err(|e| Error::Internal(format!("stored actor: {e}")))
}

/// Each stored amendment's inspection at the document's heads now (which it returns too),
/// kept in the cache; one that cannot be read is an error of its own, never the others'.
async fn inspections(
    state: &Accord,
    doc: &str,
    stored: &[Stored],
) -> Result<(Vec<String>, Vec<Result<Inspection, AmendmentError>>), Error> {
    let inputs: Vec<(i64, Amendment, bool, Option<ActorId>)> = stored
        .iter()
        .map(|s| {
            let modifier = s
                .modifier
                .as_deref()
                .filter(|_| s.status == AmendmentStatus::AcceptedWithModification)
                .and_then(|hex| hex::decode(hex).ok())
                .map(ActorId::from);
            (
                s.id,
                s.amendment.clone(),
                s.status == AmendmentStatus::Open,
                modifier,
            )
        })
        .collect();
    let cache = state.inspections.clone();
    let key = doc.to_string();
    let (heads, looked) = state
        .rooms
        .read(doc, move |d| {
            let heads = hex_heads(&d.get_heads());
            let at = heads.join(",");
            // Amendments written at the same heads share one look at the text there.
            let mut bases: HashMap<&[ChangeHash], amendment::Base> = HashMap::new();
            let looked = inputs
                .iter()
                .map(|(id, a, open, modifier)| {
                    if let Some(hit) = cache.get(&key, *id, &at, *open) {
                        return Ok(hit);
                    }
                    // One amendment that cannot be read (its base missing from the text, its
                    // branch not loading, automerge asserting) is marked alone; the rest of
                    // the list is still read.
                    let mut inspect = || {
                        let base = match bases.entry(&a.base) {
                            Entry::Occupied(b) => b.into_mut(),
                            Entry::Vacant(v) => v.insert(amendment::Base::of(d, &a.base)?),
                        };
                        let mut i = amendment::inspect_from(d, base, a, *open)?;
                        if let Some(modifier) = modifier {
                            i.adopted = Some(amendment::adopted(d, modifier)?);
                        }
                        Ok(i)
                    };
                    let i = std::panic::catch_unwind(std::panic::AssertUnwindSafe(&mut inspect))
                        .unwrap_or_else(|_| {
                            Err(AmendmentError::Corrupt("reading it panicked".into()))
                        })?;
                    cache.keep(&key, *id, &at, *open, &i);
                    Ok::<_, AmendmentError>(i)
                })
                .collect::<Vec<_>>();
            (heads, looked)
        })
        .await?;
    Ok((heads, looked))
}

/// Amendment `id` of `doc` as anyone sees it (no viewer's involvement), if it exists.
pub(crate) async fn views_of(
    state: &Accord,
    doc: &str,
    id: i64,
) -> Result<Vec<AmendmentView>, Error> {
    let stored = state.rooms.store().stored_amendments(doc, Some(id)).await?;
    views(state, doc, stored, None).await
}

/// What everyone sees of stored amendments: each one's differences, and for open ones whether
/// they still apply cleanly to the live text.
async fn views(
    state: &Accord,
    doc: &str,
    stored: Vec<Stored>,
    viewer: Option<&str>,
) -> Result<Vec<AmendmentView>, Error> {
    let store = state.rooms.store();
    let mut sponsors = store.sponsors(doc).await?;
    let (stances, mut yours) = store.amendment_stances(doc, viewer).await?;
    let keys: Vec<String> = stored.iter().map(|s| s.id.to_string()).collect();
    let support = consensus::consensus(keys.iter().map(String::as_str), &stances, &[]);
    let (heads, looked) = inspections(state, doc, &stored).await?;
    stored
        .into_iter()
        .zip(looked)
        .zip(support)
        .map(|((s, looked), support)| {
            let (
                Inspection {
                    changed,
                    fit,
                    preview,
                    adopted,
                },
                unreadable,
            ) = match looked {
                Ok(i) => (i, false),
                Err(e) => {
                    tracing::error!("amendment {} of {doc} cannot be read: {e}", s.id);
                    (Inspection::default(), true)
                }
            };
            let now_for = |id: &str| {
                preview
                    .iter()
                    .find(|(p, _, _)| p == id)
                    .map(|(_, current, merged)| diff::runs(current, merged))
            };
            let conflicts = match &fit {
                Some(Fit::Conflicts(c)) => c
                    .iter()
                    .map(|c| AmendmentConflict {
                        paragraph: c.paragraph.clone(),
                        base: c.base.clone(),
                        amended: c.amended.clone(),
                        current: c.current.clone(),
                    })
                    .collect(),
                _ => Vec::new(),
            };
            Ok(AmendmentView {
                id: s.id,
                proposer: s.proposer,
                rationale: s.rationale,
                status: s.status,
                base: hex_heads(&s.amendment.base),
                paragraphs: changed
                    .into_iter()
                    .map(|c| AmendedParagraph {
                        adopted: match (s.status, &adopted) {
                            (AmendmentStatus::Accepted, _) => Some(c.amended.clone()),
                            (AmendmentStatus::AcceptedWithModification, Some(texts)) => Some(
                                texts
                                    .iter()
                                    .find(|(p, _)| *p == c.paragraph)
                                    .map(|(_, t)| t.clone())
                                    .unwrap_or_default(),
                            ),
                            _ => None,
                        },
                        now: now_for(&c.paragraph),
                        diff: diff::runs(&c.base, &c.amended),
                        follows: c.follows,
                        paragraph: c.paragraph,
                    })
                    .collect(),
                applies_cleanly: matches!(fit, Some(Fit::Clean)),
                conflicts,
                created_at: s.created_at,
                decision: s.decision,
                you: match sponsors.get(&s.id) {
                    _ if viewer == Some(s.proposer_id.as_str()) => Some(Involvement::Proposer),
                    Some(them) if them.iter().any(|(id, _)| Some(id.as_str()) == viewer) => {
                        Some(Involvement::Sponsor)
                    }
                    _ => None,
                },
                sponsors: sponsors
                    .remove(&s.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(_, name)| name)
                    .collect(),
                support: support.into(),
                your_stance: yours.remove(&s.id),
                heads: heads.clone(),
                unreadable,
            })
        })
        .collect()
}

/// Proposes an amendment (participants and up); returns it as stored.
pub async fn propose(
    state: &Accord,
    who: &Principal,
    doc: &str,
    n: NewAmendment,
) -> Result<AmendmentView, Error> {
    documents::require(state, who, doc, Action::ProposeAmendment).await?;
    rate_limit(state, Limited::Write, who).await?;
    let proposer = who.signed_in()?;
    let rationale = required_text(Field::Rationale, &n.rationale, limits::MAX_REASON_CHARS)?;
    let base = parse_heads(&n.base)?;
    if base.is_empty() {
        return Err(Refusal::AmendmentHeadsMissing.into());
    }
    let edits = edits(n.edits)?;
    let actor = ActorId::random();
    let writer = actor.clone();
    let made = state
        .rooms
        .read(doc, move |d| amendment::propose(d, &base, &edits, writer))
        .await?
        .map_err(model_error)?;
    let id = state
        .rooms
        .store()
        .insert_amendment(
            doc,
            proposer,
            &rationale,
            &made,
            &actor.to_hex_string(),
            state.auth.now(),
        )
        .await?;
    one(state, who, doc, id).await
}

/// The amendment as it is after a write, announced on the paragraphs it changes so that open
/// threads there fetch it again (and, after an accept, see whether the others still apply).
async fn one(state: &Accord, who: &Principal, doc: &str, id: i64) -> Result<AmendmentView, Error> {
    let stored = state.rooms.store().stored_amendments(doc, Some(id)).await?;
    let view = views(state, doc, stored, who.account_id())
        .await?
        .pop()
        .ok_or_else(|| Error::unknown(Thing::Amendment, &id.to_string()))?;
    for p in &view.paragraphs {
        crate::feedback::announce(state, doc, &p.paragraph).await?;
    }
    Ok(view)
}

/// A document's amendments, oldest first, those with the filter's status and changing its
/// paragraph when it names them.
pub async fn list(
    state: &Accord,
    who: &Principal,
    doc: &str,
    filter: AmendmentFilter,
) -> Result<Vec<AmendmentView>, Error> {
    documents::require(state, who, doc, Action::ReadDocument).await?;
    let status = match filter.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(AmendmentStatus::parse(s).ok_or_else(|| {
            Error::from(Refusal::NotAStatus {
                status: quote(s, 40),
                statuses: AmendmentStatus::ALL.map(AmendmentStatus::key).join(", "),
            })
        })?),
    };
    let paragraph = filter.paragraph.filter(|p| !p.is_empty());
    if let Some(p) = &paragraph {
        if !is_valid_paragraph_id(p) {
            return Err(Refusal::NotAParagraphId { id: quote(p, 40) }.into());
        }
    }
    let stored: Vec<Stored> = state
        .rooms
        .store()
        .stored_amendments(doc, None)
        .await?
        .into_iter()
        .filter(|s| status.is_none_or(|st| s.status == st))
        .collect();
    let all = views(state, doc, stored, who.account_id()).await?;
    Ok(match paragraph {
        None => all,
        Some(p) => all
            .into_iter()
            .filter(|a| a.paragraphs.iter().any(|x| x.paragraph == p))
            .collect(),
    })
}

/// A participant states a stance on an open amendment (an objection needs a reason).
pub async fn set_stance(
    state: &Accord,
    who: &Principal,
    doc: &str,
    id: i64,
    s: SetStance,
) -> Result<AmendmentView, Error> {
    let (_, schedule) = documents::require(state, who, doc, Action::StateStance).await?;
    rate_limit(state, Limited::Write, who).await?;
    let me = who.signed_in()?;
    let reason = rules::stance_reason(&s, schedule.phase)?;
    let store = state.rooms.store();
    let stored = stored(store, doc, id).await?;
    if stored.status != AmendmentStatus::Open {
        return Err(decided_already(&stored));
    }
    store
        .set_amendment_stance(id, me, s.stance, reason.as_deref(), state.auth.now())
        .await?;
    one(state, who, doc, id).await
}

fn decided_already(s: &Stored) -> Error {
    Refusal::DecidedAlready {
        id: s.id,
        status: s.status.key(),
    }
    .into()
}

/// A chair decides: accepting merges the amendment's branch into the live text.
pub async fn decide(
    state: &Accord,
    who: &Principal,
    doc: &str,
    id: i64,
    d: Decide,
) -> Result<AmendmentView, Error> {
    documents::require(state, who, doc, Action::DecideAmendment).await?;
    let chair = who.signed_in()?;
    let reason = required_text(Field::Reason, &d.reason, limits::MAX_REASON_CHARS)?;
    let store = state.rooms.store();
    let stored = stored(store, doc, id).await?;
    if stored.status != AmendmentStatus::Open {
        return Err(decided_already(&stored));
    }
    // A chair decides only on what they could read.
    let (_, looked) = inspections(state, doc, std::slice::from_ref(&stored)).await?;
    if looked.first().is_none_or(Result::is_err) {
        return Err(Refusal::AmendmentUnreadable.into());
    }
    let modification = match d.wording {
        Some(_) if d.decision != Verdict::Accept => {
            return Err(Refusal::AdjustmentNeedsAccept.into())
        }
        Some(w) => {
            let at = parse_heads(&w.base)?;
            if at.is_empty() {
                return Err(Refusal::AdjustmentHeadsMissing.into());
            }
            let edits = edits(w.edits)?;
            let actor = ActorId::random();
            let (branch, writer) = (stored.amendment.clone(), actor.clone());
            state
                .rooms
                .read(doc, move |d| {
                    amendment::modify(d, &branch, &at, &edits, writer)
                })
                .await?
                .map_err(model_error)?
                .map(|m| (m, actor))
        }
        None => None,
    };
    let status = match (d.decision, &modification) {
        (Verdict::Accept, Some(_)) => AmendmentStatus::AcceptedWithModification,
        (Verdict::Accept, None) => AmendmentStatus::Accepted,
        (Verdict::Reject, _) => AmendmentStatus::Rejected,
        (Verdict::Supersede, _) => AmendmentStatus::Superseded,
    };
    let summary = match status {
        AmendmentStatus::AcceptedWithModification => {
            format!("Accepted amendment {id} with modification")
        }
        AmendmentStatus::Rejected => format!("Rejected amendment {id}"),
        AmendmentStatus::Superseded => format!("Marked amendment {id} superseded"),
        _ => format!("Accepted amendment {id}"),
    };
    let mut actors = HashSet::new();
    let changes = match (d.decision, &modification) {
        (Verdict::Accept, Some((m, actor))) => {
            actors.insert(stored_actor(&stored)?);
            actors.insert(actor.clone());
            m.changes.clone()
        }
        (Verdict::Accept, None) => {
            actors.insert(stored_actor(&stored)?);
            stored.amendment.changes.clone()
        }
        _ => Vec::new(),
    };
    let now = state.auth.now();
    // The claim, the merged text and the record entry commit in one transaction in the room:
    // a crash leaves the amendment either decided, merged and recorded, or none of these, and
    // two chairs deciding at once merge once.
    let decision = Decision {
        doc: doc.to_string(),
        amendment: id,
        status,
        by: chair.to_string(),
        modification: modification
            .as_ref()
            .map(|(m, a)| (m.changes.clone(), a.to_hex_string())),
        record: Draft {
            at: now,
            actor: record::actor(who).to_string(),
            kind: "amendment".into(),
            summary,
            reason,
        },
    };
    match state
        .rooms
        .merge(doc, changes, actors, Box::new(decision))
        .await?
    {
        Ok(_heads) => {}
        Err(Unmerged::Refused(why)) => {
            return Err(Refusal::CannotMerge {
                detail: why.to_string(),
            }
            .into())
        }
        Err(Unmerged::Declined) => {
            // Someone decided it between the read and the claim: say how.
            let now = self::stored(store, doc, id).await?;
            return Err(decided_already(&now));
        }
        Err(Unmerged::Failed) => return Err(Error::Internal("storing a decision failed".into())),
    }
    let event = notices::Event {
        kind: NoticeKind::Decision,
        document: doc,
        place: notices::Place::Named(format!("amendment {id}")),
        by: who.account.as_ref(),
        link: format!("/documents/{doc}/amendments#amendment-{id}"),
    };
    notices::notify(state, vec![stored.proposer_id.clone()], event).await;
    one(state, who, doc, id).await
}

/// The proposer withdraws an open amendment.
pub async fn withdraw(
    state: &Accord,
    who: &Principal,
    doc: &str,
    id: i64,
) -> Result<AmendmentView, Error> {
    documents::require(state, who, doc, Action::ProposeAmendment).await?;
    let me = who.signed_in()?;
    let store = state.rooms.store();
    let stored = stored(store, doc, id).await?;
    if stored.proposer_id != me {
        return Err(Refusal::NotProposer.into());
    }
    if !store.withdraw_amendment(id, me, state.auth.now()).await? {
        // Someone decided it between the read and the claim: say how.
        return Err(decided_already(&self::stored(store, doc, id).await?));
    }
    one(state, who, doc, id).await
}

/// A participant co-sponsors an open amendment that is not their own.
pub async fn sponsor(
    state: &Accord,
    who: &Principal,
    doc: &str,
    id: i64,
) -> Result<AmendmentView, Error> {
    documents::require(state, who, doc, Action::ProposeAmendment).await?;
    rate_limit(state, Limited::Write, who).await?;
    let me = who.signed_in()?;
    let store = state.rooms.store();
    let stored = stored(store, doc, id).await?;
    if stored.proposer_id == me {
        return Err(Refusal::ProposerSponsors.into());
    }
    if stored.status != AmendmentStatus::Open {
        return Err(decided_already(&stored));
    }
    if !store.sponsor(id, me, state.auth.now()).await? {
        return Err(Refusal::SponsorAlready { id }.into());
    }
    one(state, who, doc, id).await
}
