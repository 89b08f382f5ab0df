//! Live sessions: a chair schedules a facilitated session on a document (an agenda, a
//! facilitator and a rapporteur); whoever runs it moves the current item and opens and closes
//! checks of the sense of the room; everyone signed in takes one stance per check, online or
//! on a phone in the room; the rapporteur counts the hands of people without a device. The
//! rules of who may do what are `domain::session`'s and `domain::policy`'s; the figures are
//! `domain::session::tally`'s. Closing a check keeps the item's words and the figures of that
//! moment, and the decision record says so.

use domain::{
    api::{
        AgendaItem, AnswerPoll, Check, CheckStanceBody, ConsensusPoint, FloorComment, HandsBody,
        LiveSession, LiveSessionSummary, MarkPoint, Member, MoveToItem, NoteFloorComment,
        OpenCheck, Poll, PollQuestion, QueuedHand, RaiseHand, ScheduleSession, SetPollRound,
        SettleHand, YouInSession,
    },
    consensus::Stance,
    diff::Piece,
    document::Outline,
    limits,
    policy::{Action, Role},
    profile::{Region, StakeholderGroup},
    refusal::{Field, Refusal, Thing},
    rules::{self, Lines},
    session::{
        self, CheckFigures, CheckStance, Hands, ItemKind, Part, PollAnswer, PollRound, Source,
    },
};

use crate::{
    auth::{rate_limit, Limited, Principal},
    documents,
    error::Error,
    record,
    store::sessions::{CheckRow, CheckStanceRow, ItemRow, NewSession, Raising, SessionRow},
    Accord,
};

/// The session `id`, or a 404.
async fn session_row(state: &Accord, id: &str) -> Result<SessionRow, Error> {
    state
        .rooms
        .store()
        .session(id)
        .await?
        .ok_or_else(|| Refusal::unknown(Thing::Session, id).into())
}

/// `who`'s role in `group` (the session's document's) and part in the session.
async fn standing_in(
    state: &Accord,
    who: &Principal,
    s: &SessionRow,
    group: &str,
) -> Result<(Role, Option<Part>), Error> {
    let role = who.standing(state, Some(group)).await?.role;
    let part = match who.account_id() {
        Some(me) => state
            .rooms
            .store()
            .session_part(&s.id, me)
            .await?
            .and_then(|p| Part::parse(&p)),
        None => None,
    };
    Ok((role, part))
}

/// Reads the session as `who` may, and checks that they may do `action` in it: a chair (or
/// the session's facilitator) runs it, its rapporteur records for the room, anyone signed in
/// takes part.
async fn require(
    state: &Accord,
    who: &Principal,
    id: &str,
    action: Action,
) -> Result<SessionRow, Error> {
    let s = session_row(state, id).await?;
    let (meta, _) = documents::require(state, who, &s.document_id, Action::ReadDocument).await?;
    let (role, part) = standing_in(state, who, &s, &meta.group_id).await?;
    let allowed = match action {
        Action::RunSession => session::may_run(role, part),
        Action::RecordForRoom => session::may_record(role, part),
        _ => who.account_id().is_some(),
    };
    if allowed {
        return Ok(s);
    }
    if who.account_id().is_none() {
        return Err(Refusal::SignIn.into());
    }
    Err(Refusal::RoleForbids { action }.into())
}

/// A chair schedules a session on `doc`.
pub async fn schedule(
    state: &Accord,
    who: &Principal,
    doc: &str,
    req: ScheduleSession,
) -> Result<LiveSession, Error> {
    documents::require(state, who, doc, Action::RunSession).await?;
    rate_limit(state, Limited::Write, who).await?;
    let me = who.signed_in()?;
    let title = rules::clean(Field::Title, &req.title, Lines::One, limits::MAX_TITLE_LEN)?.ok_or(
        Refusal::TextEmpty {
            field: Field::Title,
        },
    )?;
    if req.items.is_empty() || req.items.len() > session::MAX_ITEMS {
        return Err(Refusal::AgendaSize {
            limit: session::MAX_ITEMS,
        }
        .into());
    }
    let (outline, _) = state.rooms.outline(doc).await?;
    let amendments = state.rooms.store().stored_amendments(doc, None).await?;
    let mut items = Vec::with_capacity(req.items.len());
    for item in &req.items {
        let target = match item.kind {
            ItemKind::Paragraph => {
                if !outline.paragraphs.iter().any(|p| p.id == item.target) {
                    return Err(Refusal::unknown(Thing::Paragraph, &item.target).into());
                }
                item.target.clone()
            }
            ItemKind::Amendment => {
                let known = item
                    .target
                    .parse::<i64>()
                    .is_ok_and(|id| amendments.iter().any(|a| a.id == id));
                if !known {
                    return Err(Refusal::unknown(Thing::Amendment, &item.target).into());
                }
                item.target.clone()
            }
            ItemKind::Question => rules::clean(
                Field::Question,
                &item.target,
                Lines::Many,
                session::MAX_QUESTION_CHARS,
            )?
            .ok_or(Refusal::TextEmpty {
                field: Field::Question,
            })?,
        };
        items.push((item.kind.key(), target));
    }
    if req.poll.len() > session::MAX_POLL_QUESTIONS {
        return Err(Refusal::PollSize {
            limit: session::MAX_POLL_QUESTIONS,
        }
        .into());
    }
    let mut poll = Vec::with_capacity(req.poll.len());
    for question in &req.poll {
        poll.push(
            rules::clean(
                Field::Question,
                question,
                Lines::Many,
                session::MAX_QUESTION_CHARS,
            )?
            .ok_or(Refusal::TextEmpty {
                field: Field::Question,
            })?,
        );
    }
    let mut parts = Vec::new();
    for (account, part) in [
        (&req.facilitator, Part::Facilitator),
        (&req.rapporteur, Part::Rapporteur),
    ] {
        if let Some(account) = account {
            if !state.rooms.store().account_exists(account).await? {
                return Err(Refusal::unknown(Thing::Account, account).into());
            }
            parts.push((account.clone(), part.key()));
        }
    }
    let now = state.auth.now();
    let id = state
        .rooms
        .store()
        .create_live_session(
            &NewSession {
                document_id: doc,
                title: &title,
                starts_at: req.starts_at.unwrap_or(now),
                created_by: me,
                items: &items,
                parts: &parts,
            },
            now,
        )
        .await?;
    if !poll.is_empty() {
        state.rooms.store().add_poll_questions(&id, &poll).await?;
    }
    view(state, who, &id).await
}

/// The words of an item now: the paragraph's text (from `outline`, the document's now), the
/// amendment's proposed wording, or the question.
async fn item_text(
    state: &Accord,
    doc: &str,
    outline: &Outline,
    item: &ItemRow,
) -> Result<String, Error> {
    Ok(match ItemKind::parse(&item.kind) {
        Some(ItemKind::Paragraph) => outline
            .paragraphs
            .iter()
            .find(|p| p.id == item.target)
            .map(|p| p.text.clone())
            .unwrap_or_default(),
        Some(ItemKind::Amendment) => {
            let id = item.target.parse::<i64>().unwrap_or_default();
            let views = crate::amendments::views_of(state, doc, id).await?;
            views
                .iter()
                .flat_map(|a| &a.paragraphs)
                .map(|p| {
                    p.diff
                        .iter()
                        .filter_map(|piece| match piece {
                            Piece::Same(t) | Piece::Inserted(t) => Some(t.as_str()),
                            Piece::Deleted(_) => None,
                        })
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join("\n\n")
        }
        Some(ItemKind::Question) | None => item.target.clone(),
    })
}

/// The figures of a check as its stances and hands stand, and its stances as stored.
async fn figures(
    state: &Accord,
    doc: &str,
    check: &str,
) -> Result<(CheckFigures, Vec<CheckStanceRow>), Error> {
    let store = state.rooms.store();
    let rows = store.check_stances(doc, check).await?;
    let stances: Vec<CheckStance> = rows
        .iter()
        .filter_map(|r| {
            Some(CheckStance {
                stance: Stance::parse(&r.stance)?,
                source: Source::parse(&r.source)?,
                group: StakeholderGroup::parse(&r.stakeholder_group),
                region: Region::parse(&r.region),
                reason: r.reason.clone(),
            })
        })
        .collect();
    let hands: Vec<Hands> = store
        .check_hands(check)
        .await?
        .into_iter()
        .map(|h| Hands {
            group: StakeholderGroup::parse(&h.stakeholder_group),
            support: u32::try_from(h.support).unwrap_or(0),
            can_live_with: u32::try_from(h.can_live_with).unwrap_or(0),
            oppose: u32::try_from(h.oppose).unwrap_or(0),
        })
        .collect();
    Ok((session::tally(&stances, &hands), rows))
}

/// A check as shown: a closed one with the figures it closed with, an open one live, with its
/// stances as stored (none for a closed one: its figures are kept).
async fn check_view(
    state: &Accord,
    doc: &str,
    c: CheckRow,
) -> Result<(Check, Vec<CheckStanceRow>), Error> {
    let kept = c
        .figures
        .as_deref()
        .and_then(|f| serde_json::from_str::<CheckFigures>(f).ok());
    let (figures, rows) = match kept {
        Some(f) => (f, Vec::new()),
        None => figures(state, doc, &c.id).await?,
    };
    let check = Check {
        id: c.id,
        item: c.item_id,
        opened_at: c.opened_at,
        ends_at: c.ends_at,
        closed_at: c.closed_at,
        item_text: c.item_text,
        figures,
    };
    Ok((check, rows))
}

/// The session as `who` sees it.
pub async fn view(state: &Accord, who: &Principal, id: &str) -> Result<LiveSession, Error> {
    let s = session_row(state, id).await?;
    let (meta, _) = documents::require(state, who, &s.document_id, Action::ReadDocument).await?;
    let (role, part) = standing_in(state, who, &s, &meta.group_id).await?;
    let mut v = build(state, s, who.account_id()).await?;
    v.you = YouInSession {
        part,
        may_run: session::may_run(role, part),
        may_record: session::may_record(role, part),
        may_take_part: who.account_id().is_some(),
        stance: v.you.stance,
    };
    Ok(v)
}

/// The live sessions on document `doc`, soonest first.
pub async fn list(
    state: &Accord,
    who: &Principal,
    doc: &str,
) -> Result<Vec<LiveSessionSummary>, Error> {
    documents::require(state, who, doc, Action::ReadDocument).await?;
    Ok(state
        .rooms
        .store()
        .live_sessions_of(doc)
        .await?
        .into_iter()
        .map(|s| LiveSessionSummary {
            id: s.id,
            title: s.title,
            starts_at: s.starts_at,
        })
        .collect())
}

/// Whom a chair scheduling a session on `doc` may name facilitator or rapporteur: the members
/// of its group.
pub async fn people(state: &Accord, who: &Principal, doc: &str) -> Result<Vec<Member>, Error> {
    let (meta, _) = documents::require(state, who, doc, Action::RunSession).await?;
    Ok(state.rooms.store().members(&meta.group_id).await?)
}

/// A write to session `id` is done: every screen following it is sent it again, and the
/// writer gets their own view.
async fn changed(state: &Accord, who: &Principal, id: &str) -> Result<LiveSession, Error> {
    state.rooms.live_changed(id);
    view(state, who, id).await
}

/// The board of session `id` for `who` to follow, if they may read it (see [`crate::boards`]).
pub async fn follow(
    state: &Accord,
    who: &Principal,
    id: &str,
) -> Result<std::sync::Arc<crate::boards::Board>, Error> {
    let s = session_row(state, id).await?;
    documents::require(state, who, &s.document_id, Action::ReadDocument).await?;
    Ok(state.rooms.live_board(id))
}

/// Session `id` at `revision` of its board as everyone sees it (nobody's own stance, hand or
/// answers, no powers), as JSON: built once per revision for every screen that follows it.
pub async fn shown(
    state: &Accord,
    board: &crate::boards::Board,
    id: &str,
    revision: u64,
) -> Result<std::sync::Arc<str>, Error> {
    board
        .shown(revision, async || {
            let v = build(state, session_row(state, id).await?, None).await?;
            serde_json::to_string(&v).map_err(|e| Error::Internal(e.to_string()))
        })
        .await
}

/// Session `s` as `me` sees it, but for their powers (left at none).
async fn build(state: &Accord, s: SessionRow, me: Option<&str>) -> Result<LiveSession, Error> {
    let id = s.id.as_str();
    let store = state.rooms.store();
    let (outline, _) = state.rooms.outline(&s.document_id).await?;
    let mut items = Vec::new();
    for item in store.session_items(id).await? {
        let Some(kind) = ItemKind::parse(&item.kind) else {
            continue;
        };
        items.push(AgendaItem {
            text: item_text(state, &s.document_id, &outline, &item).await?,
            id: item.id,
            kind,
            target: item.target,
        });
    }
    let mut checks = Vec::new();
    // The viewer's stance in the open check, from the rows its live figures were read from.
    let mut stance = None;
    for c in store.checks_of(id).await? {
        let (check, rows) = check_view(state, &s.document_id, c).await?;
        if check.closed_at.is_none() {
            stance = rows
                .iter()
                .find(|r| Some(r.account_id.as_str()) == me)
                .and_then(|r| Stance::parse(&r.stance));
        }
        checks.push(check);
    }
    let queue: Vec<QueuedHand> = store
        .queue(id)
        .await?
        .into_iter()
        .filter_map(|h| {
            Some(QueuedHand {
                yours: me.is_some() && h.account_id.as_deref() == me,
                id: h.id,
                name: h.name,
                group: StakeholderGroup::parse(&h.stakeholder_group),
                source: Source::parse(&h.source)?,
                raised_at: h.raised_at,
                called_at: h.called_at,
                lowered_at: h.lowered_at,
            })
        })
        .collect();
    let suggested = suggested(&queue);
    let floor = store
        .floor_comments(id)
        .await?
        .into_iter()
        .map(|f| FloorComment {
            id: f.id,
            item: f.item_id,
            body: f.body,
            speaker: f.speaker,
            group: StakeholderGroup::parse(&f.stakeholder_group),
            at: f.at,
        })
        .collect();
    let points = store
        .points(id)
        .await?
        .into_iter()
        .map(|p| ConsensusPoint {
            item: p.item_id,
            reason: p.reason,
            at: p.at,
        })
        .collect();
    let poll = poll_view(state, id, me).await?;
    Ok(LiveSession {
        id: s.id,
        document: s.document_id,
        title: s.title,
        starts_at: s.starts_at,
        items,
        current: s.current_item,
        checks,
        queue,
        suggested,
        floor,
        points,
        poll,
        you: YouInSession {
            stance,
            ..Default::default()
        },
    })
}

/// Whoever runs the session puts `req.item` on every screen.
pub async fn move_to(
    state: &Accord,
    who: &Principal,
    id: &str,
    req: MoveToItem,
) -> Result<LiveSession, Error> {
    require(state, who, id, Action::RunSession).await?;
    if !state.rooms.store().set_current_item(id, &req.item).await? {
        return Err(Refusal::unknown(Thing::Item, &req.item).into());
    }
    changed(state, who, id).await
}

/// Whoever runs the session opens a check on the current item, with a countdown for the room
/// if `req` gives one.
pub async fn open_check(
    state: &Accord,
    who: &Principal,
    id: &str,
    req: OpenCheck,
) -> Result<LiveSession, Error> {
    let s = require(state, who, id, Action::RunSession).await?;
    if let Some(seconds) = req.seconds {
        if !session::COUNTDOWN_SECONDS.contains(&seconds) {
            return Err(session::countdown_refused().into());
        }
    }
    let item = s.current_item.ok_or(Refusal::NoCurrentItem)?;
    let now = state.auth.now();
    let opened = state
        .rooms
        .store()
        .open_check(id, &item, now, req.seconds.map(|s| now + i64::from(s)))
        .await?;
    if opened.is_none() {
        return Err(Refusal::CheckOpen.into());
    }
    changed(state, who, id).await
}

/// The check `check` of session `id`, or a 404.
async fn check_of(state: &Accord, id: &str, check: &str) -> Result<CheckRow, Error> {
    match state.rooms.store().check(check).await? {
        Some((session, row)) if session == id => Ok(row),
        _ => Err(Refusal::unknown(Thing::Check, check).into()),
    }
}

/// Whoever runs the session closes a check: from then on it takes nothing, and it keeps the
/// item's words and its figures; the decision record notes it.
pub async fn close_check(
    state: &Accord,
    who: &Principal,
    id: &str,
    check: &str,
) -> Result<LiveSession, Error> {
    let s = require(state, who, id, Action::RunSession).await?;
    let row = check_of(state, id, check).await?;
    let store = state.rooms.store();
    if !store.close_check(check, state.auth.now()).await? {
        return Err(Refusal::CheckClosed.into());
    }
    let item = store
        .session_items(id)
        .await?
        .into_iter()
        .find(|i| i.id == row.item_id);
    let text = match &item {
        Some(item) => {
            let (outline, _) = state.rooms.outline(&s.document_id).await?;
            item_text(state, &s.document_id, &outline, item).await?
        }
        None => String::new(),
    };
    let (f, _) = figures(state, &s.document_id, check).await?;
    let kept = serde_json::to_string(&f).unwrap_or_default();
    store.keep_check_result(check, &text, &kept).await?;
    let me = who.signed_in()?;
    record::append(
        state,
        &s.document_id,
        me,
        "session-check-closed",
        &format!("{}: {}", s.title, f.tally.describe()),
        &text,
    )
    .await?;
    changed(state, who, id).await
}

/// Someone signed in states their stance in the open check, online or in the room.
pub async fn take_stance(
    state: &Accord,
    who: &Principal,
    id: &str,
    check: &str,
    req: CheckStanceBody,
) -> Result<LiveSession, Error> {
    require(state, who, id, Action::TakePartInSession).await?;
    let me = who.signed_in()?;
    let reason = match req.reason.as_deref() {
        Some(r) => rules::clean(Field::Reason, r, Lines::Many, session::MAX_REASON_CHARS)?,
        None => None,
    };
    if req.stance == Stance::Oppose && reason.is_none() {
        return Err(Refusal::ObjectionNeedsReason.into());
    }
    check_of(state, id, check).await?;
    let source = if req.in_room {
        Source::Room
    } else {
        Source::Online
    };
    let taken = state
        .rooms
        .store()
        .state_check_stance(
            check,
            me,
            req.stance.key(),
            reason.as_deref(),
            source.key(),
            state.auth.now(),
        )
        .await?;
    if !taken {
        return Err(Refusal::CheckClosed.into());
    }
    changed(state, who, id).await
}

/// The rapporteur records a show of hands by one stakeholder group in the open check.
pub async fn record_hands(
    state: &Accord,
    who: &Principal,
    id: &str,
    check: &str,
    req: HandsBody,
) -> Result<LiveSession, Error> {
    require(state, who, id, Action::RecordForRoom).await?;
    let me = who.signed_in()?;
    let counts = [req.support, req.can_live_with, req.oppose];
    if counts.iter().any(|n| *n > session::MAX_HANDS) {
        return Err(Refusal::TooManyHands {
            limit: session::MAX_HANDS,
        }
        .into());
    }
    check_of(state, id, check).await?;
    let recorded = state
        .rooms
        .store()
        .record_hands(
            check,
            req.group.map_or("", StakeholderGroup::key),
            counts.map(i64::from),
            me,
            state.auth.now(),
        )
        .await?;
    if !recorded {
        return Err(Refusal::CheckClosed.into());
    }
    changed(state, who, id).await
}

/// The waiting hand to suggest next: `domain::session::suggested_speaker` over the queue.
fn suggested(queue: &[QueuedHand]) -> Option<String> {
    let waiting: Vec<&QueuedHand> = queue
        .iter()
        .filter(|h| h.called_at.is_none() && h.lowered_at.is_none())
        .collect();
    let spoken: Vec<Option<StakeholderGroup>> = queue
        .iter()
        .filter(|h| h.called_at.is_some())
        .map(|h| h.group)
        .collect();
    let raised: Vec<session::RaisedHand> = waiting
        .iter()
        .map(|h| session::RaisedHand {
            group: h.group,
            raised_at: h.raised_at,
        })
        .collect();
    session::suggested_speaker(&raised, &spoken).map(|i| waiting[i].id.clone())
}

/// Raises a hand: one's own (online or in the room, with one's profile's stakeholder group),
/// or, from the rapporteur, that of someone without a device, by name and group.
pub async fn raise_hand(
    state: &Accord,
    who: &Principal,
    id: &str,
    req: RaiseHand,
) -> Result<LiveSession, Error> {
    let for_someone = req.name.is_some();
    let action = match for_someone {
        true => Action::RecordForRoom,
        false => Action::TakePartInSession,
    };
    require(state, who, id, action).await?;
    let me = who.signed_in()?;
    let store = state.rooms.store();
    let (account, name, group, source) = match req.name.as_deref() {
        Some(name) => {
            let name = rules::clean(Field::DisplayName, name, Lines::One, limits::MAX_NAME_CHARS)?
                .ok_or(Refusal::TextEmpty {
                    field: Field::DisplayName,
                })?;
            (None, name, req.group, Source::Recorded)
        }
        None => {
            let profile = store
                .me(me)
                .await?
                .ok_or_else(|| Refusal::unknown(Thing::Account, me))?;
            let source = if req.in_room {
                Source::Room
            } else {
                Source::Online
            };
            (
                Some(me),
                profile.display_name,
                Some(profile.stakeholder_group),
                source,
            )
        }
    };
    let raising = Raising {
        account,
        name: &name,
        group: group.map_or("", StakeholderGroup::key),
        source: source.key(),
    };
    if store
        .raise_hand(id, &raising, state.auth.now())
        .await?
        .is_none()
    {
        return Err(Refusal::HandUp.into());
    }
    changed(state, who, id).await
}

/// Whoever runs the session calls a waiting hand to speak or lowers it; anyone lowers their
/// own.
pub async fn settle_hand(
    state: &Accord,
    who: &Principal,
    id: &str,
    hand: &str,
    req: SettleHand,
) -> Result<LiveSession, Error> {
    let store = state.rooms.store();
    let own = match who.account_id() {
        Some(me) => store
            .queue(id)
            .await?
            .iter()
            .any(|h| h.id == hand && h.account_id.as_deref() == Some(me)),
        None => false,
    };
    let action = match (req.call, own) {
        (false, true) => Action::TakePartInSession,
        _ => Action::RunSession,
    };
    require(state, who, id, action).await?;
    if !store
        .settle_hand(id, hand, req.call, state.auth.now())
        .await?
    {
        return Err(Refusal::unknown(Thing::Hand, hand).into());
    }
    changed(state, who, id).await
}

/// The rapporteur notes what someone said from the floor on an item of the agenda.
pub async fn note_floor_comment(
    state: &Accord,
    who: &Principal,
    id: &str,
    req: NoteFloorComment,
) -> Result<LiveSession, Error> {
    require(state, who, id, Action::RecordForRoom).await?;
    let me = who.signed_in()?;
    let body = rules::clean(
        Field::Comment,
        &req.body,
        Lines::Many,
        limits::MAX_COMMENT_CHARS,
    )?
    .ok_or(Refusal::TextEmpty {
        field: Field::Comment,
    })?;
    let speaker = match req.speaker.as_deref() {
        Some(s) => rules::clean(Field::DisplayName, s, Lines::One, limits::MAX_NAME_CHARS)?,
        None => None,
    };
    let store = state.rooms.store();
    if !store
        .session_items(id)
        .await?
        .iter()
        .any(|i| i.id == req.item)
    {
        return Err(Refusal::unknown(Thing::Item, &req.item).into());
    }
    store
        .note_floor_comment(
            id,
            &req.item,
            &body,
            speaker.as_deref(),
            req.group.map_or("", StakeholderGroup::key),
            me,
            state.auth.now(),
        )
        .await?;
    changed(state, who, id).await
}

/// A chair marks an item a point of consensus, with a reason citing the checks; the decision
/// record keeps it.
pub async fn mark_point(
    state: &Accord,
    who: &Principal,
    id: &str,
    req: MarkPoint,
) -> Result<LiveSession, Error> {
    let s = session_row(state, id).await?;
    documents::require(state, who, &s.document_id, Action::RunConsultation).await?;
    let me = who.signed_in()?;
    let reason = rules::clean(
        Field::Reason,
        &req.reason,
        Lines::Many,
        limits::MAX_REASON_CHARS,
    )?
    .ok_or(Refusal::TextEmpty {
        field: Field::Reason,
    })?;
    let store = state.rooms.store();
    let Some(item) = store
        .session_items(id)
        .await?
        .into_iter()
        .find(|i| i.id == req.item)
    else {
        return Err(Refusal::unknown(Thing::Item, &req.item).into());
    };
    store
        .mark_point(id, &item.id, &reason, me, state.auth.now())
        .await?;
    let (outline, _) = state.rooms.outline(&s.document_id).await?;
    let words = item_text(state, &s.document_id, &outline, &item).await?;
    record::append(
        state,
        &s.document_id,
        me,
        "session-point-of-consensus",
        &format!(
            "{}: rough consensus on {} {}",
            s.title, item.kind, item.target
        ),
        &format!("{reason}\n\n{words}"),
    )
    .await?;
    changed(state, who, id).await
}

/// The session's poll: the round open, and per question how the answers moved and what the
/// viewer (`me`) answered.
async fn poll_view(state: &Accord, id: &str, me: Option<&str>) -> Result<Poll, Error> {
    let store = state.rooms.store();
    let questions = store.poll_questions(id).await?;
    if questions.is_empty() {
        return Ok(Poll::default());
    }
    let answers = store.poll_answers(id).await?;
    let round = store
        .poll_round(id)
        .await?
        .and_then(|r| PollRound::parse(&r));
    let questions = questions
        .into_iter()
        .map(|q| {
            let of: Vec<PollAnswer> = answers
                .iter()
                .filter(|a| a.question_id == q.id)
                .filter_map(|a| {
                    Some(PollAnswer {
                        account: a.account_id.clone(),
                        group: StakeholderGroup::parse(&a.stakeholder_group),
                        round: PollRound::parse(&a.round)?,
                        value: u8::try_from(a.value).ok()?,
                    })
                })
                .collect();
            let yours = |round: PollRound| {
                of.iter()
                    .find(|a| Some(a.account.as_str()) == me && a.round == round)
                    .map(|a| a.value)
            };
            PollQuestion {
                yours_before: yours(PollRound::Before),
                yours_after: yours(PollRound::After),
                movement: session::movement(&of),
                id: q.id,
                text: q.question,
            }
        })
        .collect();
    Ok(Poll { round, questions })
}

/// Whoever runs the session opens a round of the poll (before, after) or closes it.
pub async fn set_poll_round(
    state: &Accord,
    who: &Principal,
    id: &str,
    req: SetPollRound,
) -> Result<LiveSession, Error> {
    require(state, who, id, Action::RunSession).await?;
    state
        .rooms
        .store()
        .set_poll_round(id, req.round.map(PollRound::key))
        .await?;
    changed(state, who, id).await
}

/// Someone signed in answers the poll's questions in the round open now.
pub async fn answer_poll(
    state: &Accord,
    who: &Principal,
    id: &str,
    req: AnswerPoll,
) -> Result<LiveSession, Error> {
    require(state, who, id, Action::TakePartInSession).await?;
    let me = who.signed_in()?;
    if req.answers.len() > session::MAX_POLL_QUESTIONS {
        return Err(Refusal::PollSize {
            limit: session::MAX_POLL_QUESTIONS,
        }
        .into());
    }
    if req
        .answers
        .iter()
        .any(|a| a.value < 1 || a.value > session::POLL_SCALE)
    {
        return Err(Refusal::PollScale {
            max: session::POLL_SCALE,
        }
        .into());
    }
    let answers: Vec<(String, i64)> = req
        .answers
        .into_iter()
        .map(|a| (a.question, i64::from(a.value)))
        .collect();
    let taken = state
        .rooms
        .store()
        .answer_poll(id, me, req.round.key(), &answers, state.auth.now())
        .await?;
    if !taken {
        return Err(Refusal::PollClosed.into());
    }
    changed(state, who, id).await
}
