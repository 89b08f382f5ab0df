//! Feedback on paragraphs: the rules for commenting, stating stances, responding and
//! moderating, shared by the HTTP API and the server-rendered pages.
//!
//! Every write checks the caller against the policy, the paragraph against the live document
//! (unknown: 404; deleted since: 409) and the words against the limits (422), then stores, then
//! announces the paragraph's new figures to everyone connected to the document.

use domain::{
    anchor::{self, AnchorError, ParagraphState},
    api::{
        Anchor, Comment, DocumentFeedback, EditComment, Hidden, Hide, NewComment, Objection,
        ParagraphConsensus, Respond, ServerFrame, SetStance, Stance, Thread, YourStance,
    },
    consensus,
    document::is_valid_paragraph_id,
    limits,
    notice::{self, NoticeKind},
    policy::{self, Action},
    refusal::{Field, Refusal, Thing},
    rules::{self, Lines},
};

use crate::{
    auth::{rate_limit, Limited, Principal},
    documents,
    error::Error,
    notices, record,
    store::feedback::{StanceChange, StoredComment},
    Accord,
};

pub use crate::store::feedback::Target;

/// [`rules::required`] for a field of many lines, as core's error.
pub(crate) fn required_text(field: Field, value: &str, limit: usize) -> Result<String, Error> {
    Ok(rules::required(field, value, Lines::Many, limit)?)
}

/// What a paragraph id names in the document now; unknown ids are a 404 naming them.
async fn paragraph_state(
    state: &Accord,
    doc: &str,
    paragraph: &str,
) -> Result<ParagraphState, Error> {
    let unknown = || Error::unknown(Thing::Paragraph, paragraph);
    if !is_valid_paragraph_id(paragraph) {
        return Err(unknown());
    }
    let p = paragraph.to_string();
    state
        .rooms
        .read(doc, move |d| anchor::paragraph_state(d, &p))
        .await?
        .ok_or_else(unknown)
}

/// The refusal of feedback on a paragraph deleted since it was shown.
fn deleted_since(paragraph: &str) -> Error {
    Refusal::ParagraphDeleted {
        id: paragraph.to_string(),
    }
    .into()
}

/// A live paragraph, or 404 (unknown) or 409 (deleted since).
async fn live_paragraph(state: &Accord, doc: &str, paragraph: &str) -> Result<(), Error> {
    match paragraph_state(state, doc, paragraph).await? {
        ParagraphState::Live => Ok(()),
        ParagraphState::Deleted => Err(deleted_since(paragraph)),
    }
}

/// One paragraph's figures as they are now.
async fn figures(state: &Accord, doc: &str, paragraph: &str) -> Result<ParagraphConsensus, Error> {
    let facts = state
        .rooms
        .store()
        .feedback_facts(doc, Some(paragraph))
        .await?;
    let (stances, comments) = &*facts;
    consensus::consensus([paragraph], stances, comments)
        .pop()
        .ok_or_else(|| Error::Internal("no figures for a paragraph".into()))
}

/// Recomputes a paragraph's figures and tells everyone connected to the document.
pub(crate) async fn announce(
    state: &Accord,
    doc: &str,
    paragraph: &str,
) -> Result<ParagraphConsensus, Error> {
    let figures = figures(state, doc, paragraph).await?;
    state.rooms.announce(
        doc,
        &ServerFrame::Feedback {
            consensus: figures.clone(),
        },
    );
    Ok(figures)
}

/// The consensus map: every live paragraph's figures and the document's participation balance.
pub async fn document_feedback(
    state: &Accord,
    who: &Principal,
    doc: &str,
) -> Result<DocumentFeedback, Error> {
    documents::require(state, who, doc, Action::ReadDocument).await?;
    let (outline, _) = state.rooms.outline(doc).await?;
    let facts = state.rooms.store().feedback_facts(doc, None).await?;
    let (stances, comments) = &*facts;
    Ok(DocumentFeedback {
        paragraphs: consensus::consensus(
            outline.paragraphs.iter().map(|p| p.id.as_str()),
            stances,
            comments,
        ),
        balance: consensus::balance(stances, comments),
    })
}

/// Turns stored comments into what `who` sees: hidden words only for moderators, each span as
/// the text is now.
async fn comments_for(
    state: &Accord,
    doc: &str,
    paragraph: &str,
    rows: Vec<StoredComment>,
    viewer: Option<&str>,
    moderator: bool,
) -> Result<Vec<Comment>, Error> {
    let anchors: Vec<Option<(String, String)>> = rows.iter().map(|r| r.anchor.clone()).collect();
    let p = paragraph.to_string();
    let spans = state
        .rooms
        .read(doc, move |d| {
            anchors
                .iter()
                .map(|a| {
                    a.as_ref().and_then(|(first, last)| {
                        // A cursor automerge cannot place (it asserts on some) reads as
                        // words that were removed, never as a failed page.
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            anchor::resolve_span(d, &p, first, last).ok()
                        }))
                        .ok()
                        .flatten()
                    })
                })
                .collect::<Vec<_>>()
        })
        .await?;
    Ok(rows
        .into_iter()
        .zip(spans)
        .map(|(r, span)| {
            let hidden = r.hidden.map(|(reason, by, at)| Hidden { reason, by, at });
            Comment {
                id: r.id,
                paragraph: r.paragraph,
                parent: r.parent,
                editable: rules::editable(
                    viewer == Some(r.author_id.as_str()),
                    r.replies,
                    hidden.is_some(),
                ),
                body: rules::shows_words(hidden.is_some(), moderator).then_some(r.body),
                quote: span.as_ref().map(|s| s.quote.clone()),
                span: span.map(|s| (s.start as u32, s.end as u32)),
                anchor: r.anchor.map(|(first, last)| Anchor { first, last }),
                author: r.author,
                affiliation: r.affiliation,
                created_at: r.created_at,
                edited_at: r.edited_at,
                hidden,
                response: r.response,
            }
        })
        .collect())
}

/// What was said about a paragraph: its comments as `viewer` sees them (hidden words only for
/// a moderator), oldest first with replies after their comment, and its current objections
/// with their responses.
pub(crate) async fn said_about(
    state: &Accord,
    doc: &str,
    paragraph: &str,
    viewer: Option<&str>,
    moderator: bool,
) -> Result<(Vec<Comment>, Vec<Objection>), Error> {
    let (rows, objections) = state.rooms.store().thread(doc, paragraph).await?;
    let comments = comments_for(state, doc, paragraph, rows, viewer, moderator).await?;
    let objections = objections
        .into_iter()
        .map(|o| Objection {
            id: o.id,
            paragraph: o.paragraph,
            author: o.author,
            affiliation: o.affiliation,
            reason: o.reason,
            at: o.at,
            response: o.response,
            counted: o.counted,
        })
        .collect();
    Ok((comments, objections))
}

/// One paragraph's comments, objections and figures, and what the viewer may do there.
pub async fn thread(
    state: &Accord,
    who: &Principal,
    doc: &str,
    paragraph: &str,
) -> Result<Thread, Error> {
    let (meta, schedule) = documents::require(state, who, doc, Action::ReadDocument).await?;
    let standing = who.standing(state, Some(&meta.group_id)).await?;
    // A deleted paragraph's feedback stays readable.
    paragraph_state(state, doc, paragraph).await?;
    let store = state.rooms.store();
    let moderator = policy::allows(standing, Action::Moderate);
    let (comments, objections) =
        said_about(state, doc, paragraph, who.account_id(), moderator).await?;
    let figures = figures(state, doc, paragraph).await?;
    let your_stance = match who.account_id() {
        Some(a) => store
            .stance_of(doc, paragraph, a)
            .await?
            .map(|(stance, reason)| YourStance { stance, reason }),
        None => None,
    };
    Ok(Thread {
        consensus: figures,
        comments,
        objections,
        your_stance,
        you_may_comment: policy::allows_in(standing, schedule.phase, Action::Comment),
        you_may_state_stance: policy::allows_in(standing, schedule.phase, Action::StateStance),
        you_may_moderate: moderator,
        stances_taken: rules::stances_taken(schedule.phase),
        signed_in: who.account.is_some(),
    })
}

/// Adds a comment or reply; returns it as its author sees it.
pub async fn comment(
    state: &Accord,
    who: &Principal,
    doc: &str,
    paragraph: &str,
    c: NewComment,
) -> Result<Comment, Error> {
    documents::require(state, who, doc, Action::Comment).await?;
    rate_limit(state, Limited::Write, who).await?;
    let author = who.signed_in()?;
    let body = required_text(Field::Comment, &c.body, limits::MAX_COMMENT_CHARS)?;
    let store = state.rooms.store();
    let (parent, replied_to) = match c.parent {
        None => (None, None),
        Some(id) => {
            let (on, replied_to, parent) = store
                .comment_place(doc, id)
                .await?
                .ok_or_else(|| Error::unknown(Thing::Comment, &id.to_string()))?;
            if on != paragraph {
                return Err(Refusal::CommentElsewhere { id }.into());
            }
            (Some(rules::thread_of(id, parent)), Some(replied_to))
        }
    };
    match (&c.anchor, paragraph_state(state, doc, paragraph).await?) {
        (_, ParagraphState::Deleted) => return Err(deleted_since(paragraph)),
        (None, ParagraphState::Live) => {}
        (Some(a), ParagraphState::Live) => {
            let (p, first, last) = (paragraph.to_string(), a.first.clone(), a.last.clone());
            state
                .rooms
                .read(doc, move |d| anchor::check_span(d, &p, &first, &last))
                .await?
                .map_err(|e| match e {
                    AnchorError::Model(_) => deleted_since(paragraph),
                    _ => Refusal::SelectionLost.into(),
                })?;
        }
    }
    let anchor = c
        .anchor
        .as_ref()
        .map(|a| (a.first.as_str(), a.last.as_str()));
    let now = state.auth.now();
    let id = store
        .insert_comment(doc, paragraph, parent, author, &body, anchor, now)
        .await?;
    announce(state, doc, paragraph).await?;
    if let Some(replied_to) = &replied_to {
        let to = vec![replied_to.clone()];
        tell(state, who, NoticeKind::Reply, to, doc, paragraph).await;
    }
    // Those mentioned, but for one told of the reply already.
    if body.contains('@') {
        let people = store.mentionable(doc).await?;
        let names: Vec<String> = people.iter().map(|(_, name)| name.clone()).collect();
        let mentioned: Vec<String> = notice::mentioned(&body, &names)
            .into_iter()
            .map(|i| people[i].0.clone())
            .filter(|id| Some(id) != replied_to.as_ref())
            .collect();
        tell(state, who, NoticeKind::Mention, mentioned, doc, paragraph).await;
    }
    find_comment(state, who, doc, paragraph, id).await
}

async fn find_comment(
    state: &Accord,
    who: &Principal,
    doc: &str,
    paragraph: &str,
    id: i64,
) -> Result<Comment, Error> {
    thread(state, who, doc, paragraph)
        .await?
        .comments
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| Error::unknown(Thing::Comment, &id.to_string()))
}

/// The author rewords a comment nobody has replied to yet.
pub async fn edit_comment(
    state: &Accord,
    who: &Principal,
    doc: &str,
    id: i64,
    e: EditComment,
) -> Result<Comment, Error> {
    documents::require(state, who, doc, Action::Comment).await?;
    rate_limit(state, Limited::Write, who).await?;
    let me = who.signed_in()?;
    let body = required_text(Field::Comment, &e.body, limits::MAX_COMMENT_CHARS)?;
    let store = state.rooms.store();
    let (paragraph, author, _) = store
        .comment_place(doc, id)
        .await?
        .ok_or_else(|| Error::unknown(Thing::Comment, &id.to_string()))?;
    if author != me {
        return Err(Refusal::NotAuthor.into());
    }
    if !store.edit_comment(id, me, &body, state.auth.now()).await? {
        return Err(Refusal::CommentSettled { id }.into());
    }
    announce(state, doc, &paragraph).await?;
    find_comment(state, who, doc, &paragraph, id).await
}

/// States (or changes) the caller's stance on a live paragraph; returns its figures.
pub async fn set_stance(
    state: &Accord,
    who: &Principal,
    doc: &str,
    paragraph: &str,
    s: SetStance,
) -> Result<ParagraphConsensus, Error> {
    let (_, schedule) = documents::require(state, who, doc, Action::StateStance).await?;
    rate_limit(state, Limited::Write, who).await?;
    let account = who.signed_in()?;
    let reason = rules::stance_reason(&s, schedule.phase)?;
    live_paragraph(state, doc, paragraph).await?;
    let change = state
        .rooms
        .store()
        .set_stance(
            doc,
            paragraph,
            account,
            s.stance,
            reason.as_deref(),
            state.auth.now(),
        )
        .await?;
    match change {
        StanceChange::Stated(_) => {
            if s.stance == Stance::Oppose {
                let chairs = state.rooms.store().chairs_of(doc).await?;
                tell(state, who, NoticeKind::Objection, chairs, doc, paragraph).await;
            }
            announce(state, doc, paragraph).await
        }
        StanceChange::Unchanged(_) => figures(state, doc, paragraph).await,
    }
}

/// A chair responds to a comment or to an objection.
pub async fn respond(
    state: &Accord,
    who: &Principal,
    doc: &str,
    target: Target,
    r: Respond,
) -> Result<ParagraphConsensus, Error> {
    documents::require(state, who, doc, Action::Respond).await?;
    let chair = who.signed_in()?;
    let reason = required_text(Field::Reason, &r.reason, limits::MAX_REASON_CHARS)?;
    let store = state.rooms.store();
    let (paragraph, author) = match target {
        Target::Comment(id) => store
            .comment_place(doc, id)
            .await?
            .map(|(p, author, _)| (p, author))
            .ok_or_else(|| Error::unknown(Thing::Comment, &id.to_string()))?,
        Target::Objection(id) => store
            .objection_place(doc, id)
            .await?
            .ok_or(Refusal::NoCurrentObjection { id })?,
    };
    store
        .respond(doc, target, r.disposition, &reason, chair, state.auth.now())
        .await?;
    let what = match target {
        Target::Comment(id) => format!("comment {id}"),
        Target::Objection(id) => format!("objection {id}"),
    };
    let called = state.rooms.outline(doc).await?.0.called(&paragraph);
    let summary = format!(
        "Responded to {what} on {called}: {}",
        r.disposition.label().to_lowercase()
    );
    record::append(
        state,
        doc,
        record::actor(who),
        "response",
        &summary,
        &reason,
    )
    .await?;
    tell(
        state,
        who,
        NoticeKind::Response,
        vec![author],
        doc,
        &paragraph,
    )
    .await;
    announce(state, doc, &paragraph).await
}

/// The names a comment on `doc` may mention (`@` and the name), for one who may comment on it.
pub async fn mention_names(
    state: &Accord,
    who: &Principal,
    doc: &str,
) -> Result<Vec<String>, Error> {
    documents::require(state, who, doc, Action::Comment).await?;
    let mut names: Vec<String> = state
        .rooms
        .store()
        .mentionable(doc)
        .await?
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    names.dedup();
    Ok(names)
}

/// Tells `to` that the requester did something of `kind` on `paragraph`, linking to its
/// thread.
async fn tell(
    state: &Accord,
    who: &Principal,
    kind: NoticeKind,
    to: Vec<String>,
    doc: &str,
    paragraph: &str,
) {
    let event = notices::Event {
        kind,
        document: doc,
        place: notices::Place::Paragraph(paragraph),
        by: who.account.as_ref(),
        link: notices::thread_link(doc, paragraph),
    };
    notices::notify(state, to, event).await;
}

/// A chair hides a comment; its place shows the reason.
pub async fn hide(
    state: &Accord,
    who: &Principal,
    doc: &str,
    id: i64,
    h: Hide,
) -> Result<ParagraphConsensus, Error> {
    documents::require(state, who, doc, Action::Moderate).await?;
    let chair = who.signed_in()?;
    let reason = required_text(Field::Reason, &h.reason, limits::MAX_REASON_CHARS)?;
    let store = state.rooms.store();
    let (paragraph, _, _) = store
        .comment_place(doc, id)
        .await?
        .ok_or_else(|| Error::unknown(Thing::Comment, &id.to_string()))?;
    if !store
        .hide_comment(doc, id, &reason, chair, state.auth.now())
        .await?
    {
        return Err(Refusal::HiddenAlready { id }.into());
    }
    store
        .audit(
            "moderation",
            Some(chair),
            Some(&who.address),
            &format!("hid comment {id} on {doc}: {reason}"),
        )
        .await?;
    let called = state.rooms.outline(doc).await?.0.called(&paragraph);
    let summary = format!("Hid comment {id} on {called}");
    record::append(
        state,
        doc,
        record::actor(who),
        "moderation",
        &summary,
        &reason,
    )
    .await?;
    announce(state, doc, &paragraph).await
}
