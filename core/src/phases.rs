//! Phases: the schedule in force (a phase past its deadline is moved on, recorded and told to
//! the document's room the first time anyone asks, or by the ticker), and a chair moving the
//! document from one phase to another.

use domain::{
    api::SetPhase,
    limits,
    notice::NoticeKind,
    phase::{Phase, Schedule},
    policy::Action,
    refusal::{Field, Refusal},
    rules, time,
};

use crate::{
    auth::Principal, error::Error, feedback::required_text, record, store::DocumentMeta, Accord,
};

/// The schedule in force for a document now. A phase whose deadline has passed is moved on
/// here, once: recorded, and told to the document's open room.
pub async fn current(state: &Accord, meta: &DocumentMeta) -> Result<Schedule, Error> {
    Ok(move_on(state, meta).await?.0)
}

/// [`current`], and whether this call moved the document on (another call, or another
/// process, may have been first).
async fn move_on(state: &Accord, meta: &DocumentMeta) -> Result<(Schedule, bool), Error> {
    let due = meta.schedule.at(state.auth.now());
    if due == meta.schedule {
        return Ok((due, false));
    }
    let moved = state
        .rooms
        .store()
        // It moved when its deadline passed, however late anyone asks.
        .move_phase(
            &meta.id,
            meta.schedule,
            due,
            meta.schedule.deadline.unwrap_or(state.auth.now()),
        )
        .await?;
    if moved {
        let summary = format!(
            "{} ended at its deadline: the document is in {}",
            meta.schedule.phase.label(),
            due.phase.label().to_lowercase()
        );
        record::append(
            state,
            &meta.id,
            record::SYSTEM_ACTOR,
            "phase",
            &summary,
            "The deadline passed.",
        )
        .await?;
        state.rooms.phase_changed(&meta.id, due.phase).await;
    }
    Ok((due, moved))
}

/// Moves every document whose deadline has passed; run by a ticker. Returns how many this call
/// moved: with several processes ticking, each deadline is moved, recorded and told once.
pub async fn advance_due(state: &Accord) -> Result<usize, Error> {
    let due = state.rooms.store().documents_due(state.auth.now()).await?;
    let mut moved = 0;
    for doc in &due {
        let meta = crate::documents::meta(state.rooms.store(), doc).await?;
        moved += usize::from(move_on(state, &meta).await?.1);
    }
    Ok(moved)
}

/// How long before a deadline those taking part are warned of it.
pub const WARN_AHEAD: i64 = 86_400;

/// Warns those taking part in each document whose phase ends within [`WARN_AHEAD`], once per
/// deadline. Returns how many documents were warned of.
pub async fn warn_due(state: &Accord) -> Result<usize, Error> {
    let now = state.auth.now();
    let store = state.rooms.store();
    let near = store.deadlines_to_warn(now, now + WARN_AHEAD).await?;
    for doc in &near {
        let meta = crate::documents::meta(store, doc).await?;
        let event = crate::notices::Event {
            kind: NoticeKind::Deadline,
            document: doc,
            place: crate::notices::Place::Named(meta.schedule.phase.label().to_lowercase()),
            by: None,
            link: format!("/documents/{doc}"),
        };
        let to = store.taking_part(doc).await?;
        crate::notices::notify(state, to, event).await;
    }
    Ok(near.len())
}

/// A chair moves the document to a phase (with a deadline where the phase has one), or sets a
/// new deadline for the phase it is in, with a reason for the record.
pub async fn set(
    state: &Accord,
    who: &Principal,
    doc: &str,
    s: SetPhase,
) -> Result<Schedule, Error> {
    let (_, now_in) = crate::documents::require(state, who, doc, Action::RunConsultation).await?;
    let reason = required_text(Field::Reason, &s.reason, limits::MAX_REASON_CHARS)?;
    let now = state.auth.now();
    let to = Schedule {
        phase: s.phase,
        deadline: s.deadline,
    };
    rules::phase_move(now_in, to, now)?;
    let store = state.rooms.store();
    // Who endorsed the closed text, for the record if reopening lets their endorsements lapse.
    let endorsers = match now_in.phase == Phase::Closed && to.phase != Phase::Closed {
        true => store.endorsements(doc).await?,
        false => Vec::new(),
    };
    if !store.move_phase(doc, now_in, to, now).await? {
        return Err(Refusal::PhaseChanged.into());
    }
    // An endorsement is of the closed text: once the text may change again, it lapses.
    if !endorsers.is_empty() {
        store.lapse_endorsements(doc).await?;
    }
    let until = to
        .deadline
        .map(|d| format!(" until {}", time::format(d)))
        .unwrap_or_default();
    let summary = match (now_in.phase == to.phase, to.phase) {
        (true, p) if to.deadline.is_none() => {
            format!("Removed the deadline of {}", p.label().to_lowercase())
        }
        (true, p) => format!("Set {} to run{until}", p.label().to_lowercase()),
        (false, Phase::Closed) => "Closed the document".to_string(),
        (false, p) => format!(
            "Moved the document from {} to {}{until}",
            now_in.phase.label().to_lowercase(),
            p.label().to_lowercase()
        ),
    };
    let summary = match endorsers.is_empty() {
        true => summary,
        false => {
            let names: Vec<String> = endorsers
                .iter()
                .map(|(_, e)| match &e.on_behalf_of {
                    Some(org) => format!("{} (for {org})", e.name),
                    None => e.name.clone(),
                })
                .collect();
            format!(
                "{summary}; the endorsements of the closed text lapsed ({})",
                names.join(", ")
            )
        }
    };
    record::append(state, doc, record::actor(who), "phase", &summary, &reason).await?;
    state.rooms.phase_changed(doc, to.phase).await;
    if now_in.phase != to.phase {
        let event = crate::notices::Event {
            kind: NoticeKind::Phase,
            document: doc,
            place: crate::notices::Place::Named(to.phase.label().to_lowercase()),
            by: who.account.as_ref(),
            link: format!("/documents/{doc}"),
        };
        let to = store.taking_part(doc).await?;
        crate::notices::notify(state, to, event).await;
    }
    Ok(to)
}
