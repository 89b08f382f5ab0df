//! Creating and reading documents, shared by the HTTP API and the server-rendered pages.

use domain::{
    api::{CreateDocument, Created, DocumentDetail, DocumentSummary},
    document, limits, markdown,
    phase::{Phase, Schedule},
    policy::{self, Action},
    profile::Language,
    refusal::{Field, Refusal, Thing},
    rules::{self, Lines},
    ParagraphKind,
};

use crate::{
    auth::{rate_limit, Limited, Principal},
    error::Error,
    people,
    rooms::Rooms,
    store::{DocumentMeta, Store},
    Accord,
};

/// A fresh document id: `d` followed by 12 base-32 characters.
fn new_document_id() -> String {
    let mut id = document::new_paragraph_id();
    id.replace_range(0..1, "d");
    id
}

/// A document's metadata, or 404 naming the id (cut short: it may be anything a client sent).
pub async fn meta(store: &Store, id: &str) -> Result<DocumentMeta, Error> {
    let meta = match rules::is_document_id(id) {
        true => store.document_meta(id).await?,
        false => None,
    };
    meta.ok_or_else(|| Error::unknown(Thing::Document, id))
}

/// A document's metadata and the schedule in force, if `who` may do `action` on it in its
/// phase; else the refusal (404 for an unknown document).
pub async fn require(
    state: &Accord,
    who: &Principal,
    doc: &str,
    action: Action,
) -> Result<(DocumentMeta, Schedule), Error> {
    let meta = meta(state.rooms.store(), doc).await?;
    let schedule = crate::phases::current(state, &meta).await?;
    who.require_in(state, &meta.group_id, schedule.phase, action)
        .await?;
    Ok((meta, schedule))
}

/// Creates a document for `who`, in the group the request names (or the first one `who` drafts
/// in), if the policy lets them.
pub async fn create_as(
    state: &Accord,
    who: &Principal,
    req: CreateDocument,
) -> Result<Created, Error> {
    let group = match (&req.group, who.account_id()) {
        (Some(g), _) => g.clone(),
        (None, Some(a)) => match state.rooms.store().drafting_group(a).await? {
            Some(g) => g,
            None => return Err(Refusal::DraftsInNoGroup.into()),
        },
        (None, None) => return Err(Refusal::SignIn.into()),
    };
    people::require_group(state, &group).await?;
    who.require(state, Some(&group), Action::CreateDocument)
        .await?;
    rate_limit(state, Limited::Write, who).await?;
    let created = create(&state.rooms, req, &group).await?;
    state
        .rooms
        .store()
        .audit(
            "document-created",
            who.account_id(),
            Some(&who.address),
            &format!("{} in {group}", created.id),
        )
        .await?;
    Ok(created)
}

/// Creates a document, blank or from Markdown, in `group` (no permission check: callers check).
pub async fn create(rooms: &Rooms, req: CreateDocument, group: &str) -> Result<Created, Error> {
    let imported = match &req.markdown {
        Some(md) if md.len() > limits::MAX_MARKDOWN_BYTES => {
            return Err(Refusal::MarkdownTooLarge {
                bytes: md.len(),
                limit: limits::MAX_MARKDOWN_BYTES,
            }
            .into())
        }
        Some(md) => markdown::import(md),
        None => markdown::Imported {
            title: None,
            paragraphs: vec![(ParagraphKind::Numbered, String::new())],
        },
    };
    let title = rules::clean(
        Field::Title,
        req.title.as_deref().unwrap_or(""),
        Lines::One,
        limits::MAX_TITLE_LEN,
    )?
    .or(imported.title)
    .unwrap_or_else(|| "Untitled draft".to_string());
    let mut paragraphs = imported.paragraphs;
    if paragraphs.is_empty() {
        paragraphs.push((ParagraphKind::Numbered, String::new()));
    }
    let mut doc =
        document::new_document(&title, &paragraphs).map_err(|e| Error::Internal(e.to_string()))?;
    document::validate(&doc).map_err(|e| {
        Error::from(Refusal::InvalidDocument {
            detail: e.to_string(),
        })
    })?;
    let store = rooms.store();
    let id = new_document_id();
    store
        .create_document(&id, group, &title, paragraphs.len(), &doc.save())
        .await?;
    Ok(Created {
        url: format!("/documents/{id}"),
        id,
    })
}

pub async fn list(rooms: &Rooms) -> Result<Vec<DocumentSummary>, Error> {
    Ok(rooms.store().list_documents().await?)
}

/// A document as it is now, with what `who` may do with it.
pub async fn detail_for(
    state: &Accord,
    who: &Principal,
    id: &str,
) -> Result<DocumentDetail, Error> {
    let meta = meta(state.rooms.store(), id).await?;
    let standing = who.standing(state, Some(&meta.group_id)).await?;
    let schedule = crate::phases::current(state, &meta).await?;
    let mut d = detail_of(&state.rooms, meta).await?;
    d.your_role = standing.role;
    d.you_may_edit = policy::allows_in(standing, schedule.phase, Action::EditText);
    d.schedule = schedule;
    d.signed_in = standing.signed_in;
    d.seconds_left = schedule.left(state.auth.now());
    d.endorsements = crate::endorsements::view(state, who, standing, schedule.phase, id).await?;
    if schedule.phase == Phase::Closed {
        d.published = crate::outputs::reference(state, id).await?;
        d.you_may_publish =
            crate::outputs::may_publish(standing, schedule.phase, d.published.is_some());
    }
    Ok(d)
}

/// Says which language document `id` is written in (its chair's call): its exports and report
/// carry it, and an Arabic text opens right to left.
pub async fn set_language(
    state: &Accord,
    who: &Principal,
    id: &str,
    language: Language,
) -> Result<(), Error> {
    require(state, who, id, Action::RunConsultation).await?;
    rate_limit(state, Limited::Write, who).await?;
    state
        .rooms
        .store()
        .set_document_language(id, language)
        .await?;
    Ok(())
}

/// A document as it is now, including edits not yet in the listing mirrors.
pub async fn detail(rooms: &Rooms, id: &str) -> Result<DocumentDetail, Error> {
    detail_of(rooms, meta(rooms.store(), id).await?).await
}

async fn detail_of(rooms: &Rooms, meta: DocumentMeta) -> Result<DocumentDetail, Error> {
    let (outline, heads) = rooms.outline(&meta.id).await?;
    Ok(DocumentDetail {
        id: meta.id,
        title: outline.title,
        group: meta.group_name,
        updated_at: meta.updated_at,
        heads,
        paragraphs: outline.paragraphs,
        your_role: Default::default(),
        you_may_edit: false,
        signed_in: false,
        schedule: meta.schedule,
        seconds_left: None,
        endorsements: Default::default(),
        language: meta.language,
        published: None,
        you_may_publish: false,
    })
}

/// The document's current text as Markdown.
pub async fn markdown(rooms: &Rooms, id: &str) -> Result<(String, String), Error> {
    let detail = detail(rooms, id).await?;
    let outline = document::Outline {
        title: detail.title.clone(),
        paragraphs: detail.paragraphs,
    };
    Ok((detail.title, markdown::export(&outline)))
}
