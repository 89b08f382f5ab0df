//! Creating and reading documents, shared by the HTTP API and the server-rendered pages.

use app::{
    api::{CreateDocument, Created, DocumentDetail, DocumentSummary},
    model::{document, limits, markdown, ParagraphKind},
};

use crate::{error::ApiError, rooms::Rooms};

/// A fresh document id: `d` followed by 12 base-32 characters.
fn new_document_id() -> String {
    let mut id = document::new_paragraph_id();
    id.replace_range(0..1, "d");
    id
}

/// Whether `id` could be a document id (checked before any lookup, so that paths stay tame).
pub fn is_valid_document_id(id: &str) -> bool {
    (2..=40).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Creates a document, blank or from Markdown, in the default group.
pub async fn create(rooms: &Rooms, req: CreateDocument) -> Result<Created, ApiError> {
    let imported = match &req.markdown {
        Some(md) if md.len() > limits::MAX_MARKDOWN_BYTES => {
            return Err(ApiError::PayloadTooLarge(format!(
                "markdown of {} bytes exceeds the limit of {} bytes",
                md.len(),
                limits::MAX_MARKDOWN_BYTES
            )))
        }
        Some(md) => markdown::import(md),
        None => markdown::Imported {
            title: None,
            paragraphs: vec![(ParagraphKind::Numbered, String::new())],
        },
    };
    let title = req
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .or(imported.title)
        .unwrap_or_else(|| "Untitled draft".to_string());
    if title.chars().any(char::is_control) {
        return Err(ApiError::Unprocessable(
            "title may not contain control characters".into(),
        ));
    }
    let mut paragraphs = imported.paragraphs;
    if paragraphs.is_empty() {
        paragraphs.push((ParagraphKind::Numbered, String::new()));
    }
    let mut doc = document::new_document(&title, &paragraphs)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    document::validate(&doc).map_err(|e| ApiError::Unprocessable(e.to_string()))?;
    let store = rooms.store();
    let group = store
        .default_group()
        .await?
        .ok_or_else(|| ApiError::Internal("no group to own the document".into()))?;
    let id = new_document_id();
    store
        .create_document(&id, &group, &title, paragraphs.len(), &doc.save())
        .await?;
    Ok(Created {
        url: format!("/documents/{id}"),
        id,
    })
}

pub async fn list(rooms: &Rooms) -> Result<Vec<DocumentSummary>, ApiError> {
    Ok(rooms.store().list_documents().await?)
}

/// A document as it is now, including edits not yet in the listing mirrors.
pub async fn detail(rooms: &Rooms, id: &str) -> Result<DocumentDetail, ApiError> {
    if !is_valid_document_id(id) {
        return Err(ApiError::NotFound(format!(
            "unknown document '{}'",
            id.chars().take(40).collect::<String>()
        )));
    }
    let meta = rooms
        .store()
        .document_meta(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("unknown document '{id}'")))?;
    let (outline, heads) = rooms.outline(id).await?;
    Ok(DocumentDetail {
        id: meta.id,
        title: outline.title,
        group: meta.group_name,
        updated_at: meta.updated_at,
        heads,
        paragraphs: outline.paragraphs,
    })
}

/// The document's current text as Markdown.
pub async fn markdown(rooms: &Rooms, id: &str) -> Result<(String, String), ApiError> {
    let detail = detail(rooms, id).await?;
    let outline = document::Outline {
        title: detail.title.clone(),
        paragraphs: detail.paragraphs,
    };
    Ok((detail.title, markdown::export(&outline)))
}
