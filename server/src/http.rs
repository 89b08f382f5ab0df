//! The JSON API under `/api/v1`, its OpenAPI description, and the sync WebSocket's handshake.

use app::api::{CreateDocument, Created, DocumentDetail, DocumentSummary, ErrorBody, Role};
use axum::{
    extract::{Path, State, WebSocketUpgrade},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use utoipa::OpenApi;

use crate::{
    documents,
    error::{ApiError, ApiJson},
    AppState,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Accord API",
        description = "Draft texts together and show how far a community agrees with them."
    ),
    paths(list_documents, create_document, get_document, get_markdown, sync),
    components(schemas(
        DocumentSummary,
        DocumentDetail,
        CreateDocument,
        Created,
        ErrorBody,
        app::api::Paragraph,
        app::api::ParagraphKind,
        Role
    ))
)]
pub struct ApiDoc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route(
            "/api/v1/documents",
            get(list_documents).post(create_document),
        )
        .route("/api/v1/documents/{id}", get(get_document))
        .route("/api/v1/documents/{id}/markdown", get(get_markdown))
        .route("/api/v1/documents/{id}/sync", get(sync))
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// Every document, most recently changed first.
#[utoipa::path(get, path = "/api/v1/documents", responses((status = 200, body = [DocumentSummary])))]
async fn list_documents(
    State(state): State<AppState>,
) -> Result<Json<Vec<DocumentSummary>>, ApiError> {
    Ok(Json(documents::list(&state.rooms).await?))
}

/// Creates a document, blank or imported from Markdown.
#[utoipa::path(post, path = "/api/v1/documents", request_body = CreateDocument,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_document(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<CreateDocument>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let created = documents::create(&state.rooms, req).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// A document's metadata and numbered paragraphs, as they are now.
#[utoipa::path(get, path = "/api/v1/documents/{id}", params(("id" = String, Path)),
    responses((status = 200, body = DocumentDetail), (status = 404, body = ErrorBody)))]
async fn get_document(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<DocumentDetail>, ApiError> {
    Ok(Json(documents::detail(&state.rooms, &id).await?))
}

/// The document's current text as Markdown (a download).
#[utoipa::path(get, path = "/api/v1/documents/{id}/markdown", params(("id" = String, Path)),
    responses((status = 200, content_type = "text/markdown", body = String), (status = 404, body = ErrorBody)))]
async fn get_markdown(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (title, md) = documents::markdown(&state.rooms, &id).await?;
    let file: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-");
    let file = if file.is_empty() { id } else { file };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}.md\""),
            ),
        ],
        md,
    )
        .into_response())
}

/// The sync WebSocket. Binary frames: automerge sync messages (standard encoding), at most
/// `MAX_SYNC_FRAME_BYTES`. Text frames: JSON control messages (`ServerFrame`, `ClientFrame`).
#[utoipa::path(get, path = "/api/v1/documents/{id}/sync", params(("id" = String, Path)),
    responses((status = 101, description = "switching to the sync protocol"), (status = 404, body = ErrorBody)))]
async fn sync(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    if !documents::is_valid_document_id(&id)
        || state.rooms.store().document_meta(&id).await?.is_none()
    {
        return Err(ApiError::NotFound(format!(
            "unknown document '{}'",
            id.chars().take(40).collect::<String>()
        )));
    }
    // Until accounts exist every visitor drafts; the connection carries its role from the start.
    let role = Role::Drafter;
    let rooms = state.rooms.clone();
    let limit = app::model::limits::MAX_SYNC_FRAME_BYTES;
    Ok(ws
        // Twice our own limit, so that the room can refuse an oversize frame in words.
        .max_message_size(limit * 2)
        .max_frame_size(limit * 2)
        .on_upgrade(move |socket| crate::ws::serve(socket, rooms, id, role, String::new())))
}
