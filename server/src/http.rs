//! The JSON API under `/api/v1`, its OpenAPI description, and the sync WebSocket's handshake.
//!
//! Each route is declared once, by its handler's `#[utoipa::path]` and one `routes!` line in
//! [`api`]: axum's router and the OpenAPI document are both built from that list, so the
//! document cannot name a route the router lacks, or miss one it has.

use axum::{
    extract::{DefaultBodyLimit, FromRequest, State, WebSocketUpgrade},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use domain::api::{
    AmendmentFilter, AmendmentView, AnswerPoll, Archive, AuditEntry, Burst, CheckStanceBody,
    CitationQuery, Comment, CompareQuery, Comparison, ConfirmAddress, CreateDocument, CreateGroup,
    CreateInvitation, Created, Decide, DocumentDetail, DocumentFeedback, DocumentSummary,
    EditComment, Endorse, Endorsements, ErrorBody, ExportQuery, Group, HandsBody, Hide, Invitation,
    InvitationCreated, LiveSession, LiveSessionSummary, Login, MarkPoint, Me, Member, MoveToItem,
    NewAmendment, NewComment, NewVersion, NoteFloorComment, OpenCheck, Output, Outputs,
    OutputsQuery, ParagraphConsensus, ParagraphHistory, ProfileUpdate, Publication, Publish,
    RaiseHand, RecordEntry, Register, Registered, ReportQuery, Respond, Role, Schedule,
    ScheduleSession, SearchQuery, SearchResults, Series, SessionView, SetLanguage, SetPhase,
    SetPollRound, SetRole, SetStance, SetStancesAside, SettleHand, SyncQuery, Thread, Threshold,
    ThresholdView, Version, VersionSummary,
};
use domain::{
    limits,
    notice::Notice,
    policy::Action,
    refusal::{Refusal, Thing},
    rules,
};
use utoipa::OpenApi;
use utoipa_axum::{
    router::{OpenApiRouter, UtoipaMethodRouter},
    routes,
};

use accord_core::{
    amendments, archive, auth::Principal, bursts, documents, endorsements, feedback,
    feedback::Target, notices, outputs, people, phases, record, report, sessions, versions,
};

use crate::{
    error::{ApiError, ApiJson, ApiQuery},
    params::{
        AccountId, AmendmentId, CheckId, CommentId, DocumentId, GroupId, HandId, InvitationId,
        InvitationToken, LiveSessionId, ObjectionId, OutputNumber, ParagraphId, SessionId,
        VersionName,
    },
    AppState,
};

/// What the OpenAPI document says besides its routes and their bodies, which [`api`] adds.
/// The queries are parameters, not bodies, so no route names them as schemas; the document has
/// always listed them for clients generated from it.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Accord API",
        description = "Draft texts together and show how far a community agrees with them."
    ),
    components(schemas(
        AmendmentFilter,
        CompareQuery,
        ExportQuery,
        ReportQuery,
        OutputsQuery,
        CitationQuery,
        SearchQuery,
        SyncQuery
    ))
)]
pub struct ApiDoc;

/// Every API route with its handler; handlers of one path share a `routes!`.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(list_documents, create_document))
        .routes(routes!(get_document))
        .routes(routes!(get_markdown))
        .routes(routes!(sync))
        .routes(routes!(register))
        .routes(routes!(confirm_address))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(get_me, patch_me))
        .routes(routes!(list_sessions))
        .routes(routes!(end_session))
        .routes(routes!(list_notices))
        .routes(routes!(read_notices))
        .routes(routes!(search))
        .routes(routes!(list_groups, create_group))
        .routes(routes!(list_members))
        .routes(routes!(put_member, delete_member))
        .routes(routes!(list_invitations, post_invitation))
        .routes(routes!(delete_invitation))
        .routes(routes!(accept_invitation))
        .routes(routes!(audit_log))
        .routes(routes!(get_feedback))
        .routes(routes!(get_thread))
        .routes(routes!(post_comment))
        .routes(routes!(put_stance))
        .routes(routes!(patch_comment))
        .routes(routes!(respond_comment))
        .routes(routes!(hide_comment))
        .routes(routes!(list_bursts))
        .routes(routes!(set_stances_aside))
        .routes(routes!(respond_objection))
        .routes(routes!(list_amendments, post_amendment))
        .routes(routes!(decide_amendment))
        .routes(routes!(withdraw_amendment))
        .routes(routes!(sponsor_amendment))
        .routes(routes!(put_amendment_stance))
        .routes(routes!(post_phase))
        .routes(routes!(put_language))
        .routes(routes!(list_versions, post_version))
        .routes(routes!(get_version))
        .routes(routes!(get_comparison))
        .routes(routes!(get_export))
        .routes(routes!(get_report))
        .routes(routes!(get_history))
        .routes(routes!(get_archive))
        .routes(body_limit(routes!(post_archive), limits::MAX_ARCHIVE_BYTES))
        .routes(routes!(
            list_endorsements,
            post_endorsement,
            delete_endorsement
        ))
        .routes(routes!(get_record))
        .routes(routes!(post_live_session, list_live_sessions))
        .routes(routes!(get_live_session))
        .routes(routes!(follow_live_session))
        .routes(routes!(get_session_report))
        .routes(routes!(put_current_item))
        .routes(routes!(post_check))
        .routes(routes!(post_check_close))
        .routes(routes!(put_check_stance))
        .routes(routes!(put_check_hands))
        .routes(routes!(post_hand))
        .routes(routes!(post_hand_settled))
        .routes(routes!(post_floor_comment))
        .routes(routes!(put_point))
        .routes(routes!(put_poll_round))
        .routes(routes!(put_poll_answers))
        .routes(routes!(get_series, put_series))
        .routes(routes!(get_threshold, put_threshold))
        .routes(routes!(get_publication, post_publication))
        .routes(routes!(list_outputs))
        .routes(routes!(get_output))
        .routes(routes!(get_output_export))
        .routes(routes!(get_output_citation))
}

/// `routes` taking bodies of up to `max` bytes instead of axum's default 2 MB.
fn body_limit(
    (schemas, paths, router): UtoipaMethodRouter<AppState>,
    max: usize,
) -> UtoipaMethodRouter<AppState> {
    (schemas, paths, router.layer(DefaultBodyLimit::max(max)))
}

/// The API's router, and its OpenAPI document at `/api/v1/openapi.json`.
pub fn routes() -> Router<AppState> {
    let (router, doc) = api().split_for_parts();
    let doc = Json(doc);
    router
        .route(
            "/api/v1/openapi.json",
            get(move || std::future::ready(doc.clone())),
        )
        .route("/feeds/{file}", get(notice_feed))
        .route("/outputs.atom", get(outputs_feed))
}

/// The series' index as an Atom feed, newest first; public.
async fn outputs_feed(
    State(state): State<AppState>,
    parts: axum::http::request::Parts,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let l = app::serve::locale(&parts);
    let xml = outputs::feed(&state, l).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

/// A person's notices as an Atom feed, at the secret address their notifications page gives
/// (`/feeds/{key}.atom`); `404` for a key that names nobody.
async fn notice_feed(
    State(state): State<AppState>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let unknown = || ApiError::from(accord_core::Error::unknown(Thing::Feed, &file));
    let key = file.strip_suffix(".atom").ok_or_else(unknown)?;
    let xml = notices::feed(&state, key).await?.ok_or_else(unknown)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        xml,
    )
        .into_response())
}

/// The OpenAPI document the API serves: every route in it, with its parameters and bodies.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().into_openapi()
}

/// Every amendment of a document with its word-level differences and, while open, whether it
/// still applies cleanly (else the conflicting words: base, amended, current).
/// Filtered by `status` and by the `paragraph` they change when the query names them.
#[utoipa::path(get, path = "/api/v1/documents/{id}/amendments",
    params(("id" = String, Path), AmendmentFilter),
    responses((status = 200, body = [AmendmentView]), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_amendments(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    ApiQuery(filter): ApiQuery<AmendmentFilter>,
) -> Result<Json<Vec<AmendmentView>>, ApiError> {
    Ok(Json(amendments::list(&state, &who, &id, filter).await?))
}

/// States the caller's stance on an open amendment, replacing any earlier one (which stays in
/// the history). An objection needs a reason.
#[utoipa::path(put, path = "/api/v1/documents/{id}/amendments/{amendment}/stance",
    params(("id" = String, Path), ("amendment" = i64, Path)), request_body = SetStance,
    responses((status = 200, body = AmendmentView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_amendment_stance(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    AmendmentId(amendment): AmendmentId,
    ApiJson(s): ApiJson<SetStance>,
) -> Result<Json<AmendmentView>, ApiError> {
    Ok(Json(
        amendments::set_stance(&state, &who, &id, amendment, s).await?,
    ))
}

/// Proposes an amendment against the heads it was written for (participants and up).
#[utoipa::path(post, path = "/api/v1/documents/{id}/amendments", params(("id" = String, Path)),
    request_body = NewAmendment,
    responses((status = 201, body = AmendmentView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn post_amendment(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    ApiJson(n): ApiJson<NewAmendment>,
) -> Result<(StatusCode, Json<AmendmentView>), ApiError> {
    let a = amendments::propose(&state, &who, &id, n).await?;
    Ok((StatusCode::CREATED, Json(a)))
}

/// A chair accepts (merging the amendment into the live text), rejects or supersedes it, with
/// a reason. A decided amendment is not decided again: `409`.
#[utoipa::path(post, path = "/api/v1/documents/{id}/amendments/{amendment}/decision",
    params(("id" = String, Path), ("amendment" = i64, Path)), request_body = Decide,
    responses((status = 200, body = AmendmentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn decide_amendment(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    AmendmentId(amendment): AmendmentId,
    ApiJson(d): ApiJson<Decide>,
) -> Result<Json<AmendmentView>, ApiError> {
    Ok(Json(
        amendments::decide(&state, &who, &id, amendment, d).await?,
    ))
}

/// Its proposer withdraws an open amendment.
#[utoipa::path(post, path = "/api/v1/documents/{id}/amendments/{amendment}/withdraw",
    params(("id" = String, Path), ("amendment" = i64, Path)),
    responses((status = 200, body = AmendmentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
async fn withdraw_amendment(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    AmendmentId(amendment): AmendmentId,
) -> Result<Json<AmendmentView>, ApiError> {
    Ok(Json(
        amendments::withdraw(&state, &who, &id, amendment).await?,
    ))
}

/// A chair moves the document to a phase (with a deadline for the consultation and last call)
/// or sets a new deadline; the reason goes into the decision record.
#[utoipa::path(post, path = "/api/v1/documents/{id}/phase", params(("id" = String, Path)),
    request_body = SetPhase,
    responses((status = 200, body = Schedule), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn post_phase(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    ApiJson(s): ApiJson<SetPhase>,
) -> Result<Json<Schedule>, ApiError> {
    Ok(Json(phases::set(&state, &who, &id, s).await?))
}

/// A chair says which language the document is written in: `204`.
#[utoipa::path(put, path = "/api/v1/documents/{id}/language", params(("id" = String, Path)),
    request_body = SetLanguage,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_language(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    ApiJson(s): ApiJson<SetLanguage>,
) -> Result<StatusCode, ApiError> {
    documents::set_language(&state, &who, &id, s.language).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The document's decision record, oldest first: every chair action with its time, actor,
/// reason and the document heads, hash-chained (`accord verify-record` checks an export).
#[utoipa::path(get, path = "/api/v1/documents/{id}/record", params(("id" = String, Path)),
    responses((status = 200, body = [RecordEntry]), (status = 404, body = ErrorBody)))]
async fn get_record(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
) -> Result<Json<Vec<RecordEntry>>, ApiError> {
    Ok(Json(record::read(&state, &who, &id).await?))
}

/// A chair cuts a named, immutable version of the text as it is now, with a change summary.
#[utoipa::path(post, path = "/api/v1/documents/{id}/versions", params(("id" = String, Path)),
    request_body = NewVersion,
    responses((status = 201, body = VersionSummary), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn post_version(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    ApiJson(v): ApiJson<NewVersion>,
) -> Result<(StatusCode, Json<VersionSummary>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(versions::cut(&state, &who, &id, v).await?),
    ))
}

/// The document's versions, oldest first.
#[utoipa::path(get, path = "/api/v1/documents/{id}/versions", params(("id" = String, Path)),
    responses((status = 200, body = [VersionSummary]), (status = 404, body = ErrorBody)))]
async fn list_versions(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
) -> Result<Json<Vec<VersionSummary>>, ApiError> {
    Ok(Json(versions::list(&state, &who, &id).await?))
}

/// One version with its text.
#[utoipa::path(get, path = "/api/v1/documents/{id}/versions/{name}",
    params(("id" = String, Path), ("name" = String, Path)),
    responses((status = 200, body = Version), (status = 404, body = ErrorBody)))]
async fn get_version(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    VersionName(name): VersionName,
) -> Result<Json<Version>, ApiError> {
    Ok(Json(versions::get(&state, &who, &id, &name).await?))
}

/// Two versions (or a version and `current`, the text now) aligned paragraph by paragraph.
#[utoipa::path(get, path = "/api/v1/documents/{id}/compare", params(("id" = String, Path), CompareQuery),
    responses((status = 200, body = Comparison), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn get_comparison(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    ApiQuery(q): ApiQuery<CompareQuery>,
) -> Result<Json<Comparison>, ApiError> {
    Ok(Json(
        versions::compare(&state, &who, &id, &q.from, &q.to).await?,
    ))
}

/// A version as Markdown, standalone printable HTML, RFC-style plain text or DOCX, as a
/// download. Without a version: the text now, for a chair only.
#[utoipa::path(get, path = "/api/v1/documents/{id}/export", params(("id" = String, Path), ExportQuery),
    responses((status = 200, content_type = "text/html", body = String), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn get_export(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    Ok(download(
        versions::export(&state, &who, &id, &q.format, q.version.as_deref()).await?,
    ))
}

/// The consultation report (participation, every paragraph's support, comments, objections and
/// amendments with their outcomes, versions, decision record) as standalone HTML or DOCX: a
/// chair's at any time, everyone's once the document is closed.
#[utoipa::path(get, path = "/api/v1/documents/{id}/report", params(("id" = String, Path), ReportQuery),
    responses((status = 200, content_type = "text/html", body = String), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn get_report(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> Result<Response, ApiError> {
    Ok(download(
        report::export(&state, &who, &id, &q.format).await?,
    ))
}

/// A `Content-Disposition` for a file `name` in any script: an ASCII `filename` for old
/// clients, and the name itself as `filename*` (RFC 6266, UTF-8, percent-encoded).
fn disposition(how: &str, name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| match c.is_ascii_graphic() && c != '"' && c != '\\' {
            true => c,
            false => '_',
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(
            |b| match b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                true => (b as char).to_string(),
                false => format!("%{b:02X}"),
            },
        )
        .collect();
    format!("{how}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// An export as a file: HTML opens in the browser (a link's `download` attribute still saves
/// it), everything else downloads.
fn download(e: versions::Exported) -> Response {
    let html = e.content_type.starts_with("text/html");
    let how = if html { "inline" } else { "attachment" };
    // What people wrote is in it: nothing but its own inline styles may run or load.
    let policy = if html {
        "default-src 'none'; style-src 'unsafe-inline'"
    } else {
        "default-src 'none'"
    };
    (
        [
            (header::CONTENT_SECURITY_POLICY, policy.to_string()),
            (header::CONTENT_TYPE, e.content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition(how, &e.file_name)),
        ],
        e.body,
    )
        .into_response()
}

/// One paragraph through every version and the text now: new, changed, the same or deleted,
/// word by word; with the amendments that touched it and the chair's responses about it.
#[utoipa::path(get, path = "/api/v1/documents/{id}/paragraphs/{paragraph}/history",
    params(("id" = String, Path), ("paragraph" = String, Path)),
    responses((status = 200, body = ParagraphHistory), (status = 404, body = ErrorBody)))]
async fn get_history(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    ParagraphId(paragraph): ParagraphId,
) -> Result<Json<ParagraphHistory>, ApiError> {
    Ok(Json(
        versions::history(&state, &who, &id, &paragraph).await?,
    ))
}

/// A chair's complete archive of a document: the automerge document and its feedback,
/// amendments, versions, record and endorsements, as one JSON file.
#[utoipa::path(get, path = "/api/v1/documents/{id}/archive", params(("id" = String, Path)),
    responses((status = 200, body = Archive), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn get_archive(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
) -> Result<Response, ApiError> {
    let a = archive::download(&state, &who, &id).await?;
    let title = state
        .rooms
        .outline(&id)
        .await
        .map(|(o, _)| o.title)
        .unwrap_or_default();
    let name = format!("{}-archive.json", rules::file_stem(&title, &id));
    Ok((
        [(
            header::CONTENT_DISPOSITION,
            disposition("attachment", &name),
        )],
        Json(a),
    )
        .into_response())
}

/// An admin restores an archive into this installation: checked whole first, then written in
/// one transaction, so a corrupt or incompatible archive leaves nothing behind.
#[utoipa::path(post, path = "/api/v1/archives", request_body = Archive,
    responses((status = 201, body = Created), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn post_archive(
    State(state): State<AppState>,
    who: Principal,
    req: axum::extract::Request,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    // Who asks is settled before a byte of the body (up to 64 MiB) is read or decoded.
    who.require(&state, None, Action::RestoreArchive).await?;
    // Any JSON: core reads the archive by its format version (1 or 2), and says in words what
    // does not fit.
    let ApiJson(a) = ApiJson::<serde_json::Value>::from_request(req, &state)
        .await
        .map_err(|rejected| rejected.0)?;
    Ok((
        StatusCode::CREATED,
        Json(archive::restore(&state, &who, a).await?),
    ))
}

/// Who endorsed the document's final text, and whether the viewer may.
#[utoipa::path(get, path = "/api/v1/documents/{id}/endorsements", params(("id" = String, Path)),
    responses((status = 200, body = Endorsements), (status = 404, body = ErrorBody)))]
async fn list_endorsements(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
) -> Result<Json<Endorsements>, ApiError> {
    Ok(Json(endorsements::list(&state, &who, &id).await?))
}

/// Endorse a closed document's final text, personally or on behalf of an organisation.
#[utoipa::path(post, path = "/api/v1/documents/{id}/endorsements", params(("id" = String, Path)),
    request_body = Endorse,
    responses((status = 201, body = Endorsements), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn post_endorsement(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    ApiJson(e): ApiJson<Endorse>,
) -> Result<(StatusCode, Json<Endorsements>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(endorsements::endorse(&state, &who, &id, e).await?),
    ))
}

/// Withdraw one's endorsement.
#[utoipa::path(delete, path = "/api/v1/documents/{id}/endorsements", params(("id" = String, Path)),
    responses((status = 200, body = Endorsements), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn delete_endorsement(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
) -> Result<Json<Endorsements>, ApiError> {
    Ok(Json(endorsements::withdraw(&state, &who, &id).await?))
}

/// The consensus map: every live paragraph's figures, flags and breakdowns, and the document's
/// participation balance.
#[utoipa::path(get, path = "/api/v1/documents/{id}/feedback", params(("id" = String, Path)),
    responses((status = 200, body = DocumentFeedback), (status = 404, body = ErrorBody)))]
async fn get_feedback(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
) -> Result<Json<DocumentFeedback>, ApiError> {
    Ok(Json(feedback::document_feedback(&state, &who, &id).await?))
}

/// One paragraph's comments, objections, figures, and the caller's own stance.
#[utoipa::path(get, path = "/api/v1/documents/{id}/paragraphs/{paragraph}/feedback",
    params(("id" = String, Path), ("paragraph" = String, Path)),
    responses((status = 200, body = Thread), (status = 404, body = ErrorBody)))]
async fn get_thread(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    ParagraphId(paragraph): ParagraphId,
) -> Result<Json<Thread>, ApiError> {
    Ok(Json(feedback::thread(&state, &who, &id, &paragraph).await?))
}

/// Comments on a paragraph (or a span of it), or replies to a comment. Participants and up.
#[utoipa::path(post, path = "/api/v1/documents/{id}/paragraphs/{paragraph}/comments",
    params(("id" = String, Path), ("paragraph" = String, Path)), request_body = NewComment,
    responses((status = 201, body = Comment), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn post_comment(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    ParagraphId(paragraph): ParagraphId,
    ApiJson(c): ApiJson<NewComment>,
) -> Result<(StatusCode, Json<Comment>), ApiError> {
    let comment = feedback::comment(&state, &who, &id, &paragraph, c).await?;
    Ok((StatusCode::CREATED, Json(comment)))
}

/// Its author rewords a comment, until someone replies.
#[utoipa::path(patch, path = "/api/v1/documents/{id}/comments/{comment}",
    params(("id" = String, Path), ("comment" = i64, Path)), request_body = EditComment,
    responses((status = 200, body = Comment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn patch_comment(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    CommentId(comment): CommentId,
    ApiJson(e): ApiJson<EditComment>,
) -> Result<Json<Comment>, ApiError> {
    Ok(Json(
        feedback::edit_comment(&state, &who, &id, comment, e).await?,
    ))
}

/// States the caller's stance on a paragraph, replacing any earlier one (which stays in the
/// history). An objection needs a reason. Returns the paragraph's figures.
#[utoipa::path(put, path = "/api/v1/documents/{id}/paragraphs/{paragraph}/stance",
    params(("id" = String, Path), ("paragraph" = String, Path)), request_body = SetStance,
    responses((status = 200, body = ParagraphConsensus), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_stance(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    ParagraphId(paragraph): ParagraphId,
    ApiJson(s): ApiJson<SetStance>,
) -> Result<Json<ParagraphConsensus>, ApiError> {
    Ok(Json(
        feedback::set_stance(&state, &who, &id, &paragraph, s).await?,
    ))
}

/// A chair's response to a comment: answered, accepted, partly accepted or not, with a reason.
#[utoipa::path(post, path = "/api/v1/documents/{id}/comments/{comment}/response",
    params(("id" = String, Path), ("comment" = i64, Path)), request_body = Respond,
    responses((status = 200, body = ParagraphConsensus), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn respond_comment(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    CommentId(comment): CommentId,
    ApiJson(r): ApiJson<Respond>,
) -> Result<Json<ParagraphConsensus>, ApiError> {
    let target = Target::Comment(comment);
    Ok(Json(feedback::respond(&state, &who, &id, target, r).await?))
}

/// A chair's response to a current objection (an oppose stance, by its entry id).
#[utoipa::path(post, path = "/api/v1/documents/{id}/objections/{objection}/response",
    params(("id" = String, Path), ("objection" = i64, Path)), request_body = Respond,
    responses((status = 200, body = ParagraphConsensus), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn respond_objection(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    ObjectionId(objection): ObjectionId,
    ApiJson(r): ApiJson<Respond>,
) -> Result<Json<ParagraphConsensus>, ApiError> {
    let target = Target::Objection(objection);
    Ok(Json(feedback::respond(&state, &who, &id, target, r).await?))
}

/// For the chairs: the document's stance-takers that were registered in bursts (three or more
/// from one address, minutes apart), each address named by a letter.
#[utoipa::path(get, path = "/api/v1/documents/{id}/bursts", params(("id" = String, Path)),
    responses((status = 200, body = [Burst]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_bursts(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
) -> Result<Json<Vec<Burst>>, ApiError> {
    Ok(Json(bursts::list(&state, &who, &id).await?))
}

/// A chair sets aside the stances of some of the document's stance-takers (or counts them
/// again), for a reason the decision record keeps; the figures leave them out.
#[utoipa::path(post, path = "/api/v1/documents/{id}/stances-aside", params(("id" = String, Path)),
    request_body = SetStancesAside,
    responses((status = 200, body = [Burst]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn set_stances_aside(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    ApiJson(req): ApiJson<SetStancesAside>,
) -> Result<Json<Vec<Burst>>, ApiError> {
    Ok(Json(bursts::set_aside(&state, &who, &id, req).await?))
}

/// A chair hides a comment with a reason shown in its place; nothing is deleted.
#[utoipa::path(post, path = "/api/v1/documents/{id}/comments/{comment}/hide",
    params(("id" = String, Path), ("comment" = i64, Path)), request_body = Hide,
    responses((status = 200, body = ParagraphConsensus), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn hide_comment(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    CommentId(comment): CommentId,
    ApiJson(h): ApiJson<Hide>,
) -> Result<Json<ParagraphConsensus>, ApiError> {
    Ok(Json(feedback::hide(&state, &who, &id, comment, h).await?))
}

fn with_cookie<T: IntoResponse>(cookie: String, status: StatusCode, body: T) -> Response {
    (status, [(header::SET_COOKIE, cookie)], body).into_response()
}

/// Registers an account (signed out only): `202`, and a link to confirm the address is mailed
/// to the login. The answer is the same when the login has an account already (its owner is
/// mailed instead), so that registering tells nobody which addresses have accounts.
#[utoipa::path(post, path = "/api/v1/auth/register", request_body = Register,
    responses((status = 202, body = Registered), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn register(
    State(state): State<AppState>,
    who: Principal,
    parts: axum::http::request::Parts,
    ApiJson(r): ApiJson<Register>,
) -> Result<(StatusCode, Json<Registered>), ApiError> {
    // The mail speaks the asker's language (`?lang=`, the language cookie, `Accept-Language`).
    let language = app::serve::locale(&parts);
    let registered = people::register(&state, &who, r, language).await?;
    Ok((StatusCode::ACCEPTED, Json(registered)))
}

/// Confirms an address with the token of the link mailed to it, and signs its account in: a
/// new session cookie. Until then the account cannot sign in.
#[utoipa::path(post, path = "/api/v1/auth/confirm", request_body = ConfirmAddress,
    responses((status = 200, body = Me), (status = 409, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn confirm_address(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(c): ApiJson<ConfirmAddress>,
) -> Result<Response, ApiError> {
    let (account, cookie) = people::confirm_address(&state, &who, &c.token).await?;
    let me = state.rooms.store().me(&account.id).await?;
    Ok(with_cookie(cookie, StatusCode::OK, Json(me)))
}

/// Signs in: a new session id in an HttpOnly, SameSite cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", request_body = Login,
    responses((status = 200, body = Me), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(l): ApiJson<Login>,
) -> Result<Response, ApiError> {
    let (account, cookie) = people::login(&state, &who, l).await?;
    let me = state.rooms.store().me(&account.id).await?;
    let mut resp = with_cookie(cookie, StatusCode::OK, Json(me));
    // The language chosen on another browser comes along.
    if let Some(value) = account
        .language()
        .and_then(|l| HeaderValue::from_str(&state.auth.language_cookie(l)).ok())
    {
        resp.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(resp)
}

/// Signs out: the session ends on the server, the cookie is cleared.
#[utoipa::path(post, path = "/api/v1/auth/logout", responses((status = 204)))]
async fn logout(State(state): State<AppState>, who: Principal) -> Result<Response, ApiError> {
    people::logout(&state, &who).await?;
    Ok(with_cookie(
        state.auth.clear_cookie(),
        StatusCode::NO_CONTENT,
        (),
    ))
}

/// The signed-in account, with its memberships.
#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn get_me(State(state): State<AppState>, who: Principal) -> Result<Json<Me>, ApiError> {
    Ok(Json(people::me(&state, &who).await?))
}

/// Changes one's own profile.
#[utoipa::path(patch, path = "/api/v1/me", request_body = ProfileUpdate,
    responses((status = 200, body = Me), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn patch_me(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(u): ApiJson<ProfileUpdate>,
) -> Result<Json<Me>, ApiError> {
    Ok(Json(people::update_profile(&state, &who, u).await?))
}

/// The signed-in person's sessions (browsers and devices signed in), the current one marked.
#[utoipa::path(get, path = "/api/v1/me/sessions",
    responses((status = 200, body = [SessionView]), (status = 401, body = ErrorBody)))]
async fn list_sessions(
    State(state): State<AppState>,
    who: Principal,
) -> Result<Json<Vec<SessionView>>, ApiError> {
    Ok(Json(people::sessions(&state, &who).await?))
}

/// The signed-in person's latest notices (at most 100), newest first: answers to their
/// comments, decisions on their amendments, objections where they chair, phase changes where
/// they take part.
#[utoipa::path(get, path = "/api/v1/me/notices",
    responses((status = 200, body = [Notice]), (status = 401, body = ErrorBody)))]
async fn list_notices(
    State(state): State<AppState>,
    who: Principal,
) -> Result<Json<Vec<Notice>>, ApiError> {
    Ok(Json(notices::list(&state, &who).await?))
}

/// Marks all the signed-in person's notices read.
#[utoipa::path(post, path = "/api/v1/me/notices/read",
    responses((status = 204), (status = 401, body = ErrorBody)))]
async fn read_notices(
    State(state): State<AppState>,
    who: Principal,
) -> Result<StatusCode, ApiError> {
    notices::read_all(&state, &who).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Finds words in document titles, in every paragraph as it is now and in the comments
/// everyone can read (case ignored), with the words around each match.
#[utoipa::path(get, path = "/api/v1/search", params(SearchQuery),
    responses((status = 200, body = SearchResults), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn search(
    State(state): State<AppState>,
    who: Principal,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Json<SearchResults>, ApiError> {
    Ok(Json(accord_core::search::search(&state, &who, &q.q).await?))
}

/// Ends one of the signed-in person's sessions: it is signed out and its editors close.
#[utoipa::path(delete, path = "/api/v1/me/sessions/{session}", params(("session" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn end_session(
    State(state): State<AppState>,
    who: Principal,
    SessionId(id): SessionId,
) -> Result<StatusCode, ApiError> {
    people::end_session(&state, &who, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every group (public).
#[utoipa::path(get, path = "/api/v1/groups", responses((status = 200, body = [Group])))]
async fn list_groups(State(state): State<AppState>) -> Result<Json<Vec<Group>>, ApiError> {
    Ok(Json(state.rooms.store().groups().await?))
}

/// Creates a group (admin).
#[utoipa::path(post, path = "/api/v1/groups", request_body = CreateGroup,
    responses((status = 201, body = Group), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_group(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(g): ApiJson<CreateGroup>,
) -> Result<(StatusCode, Json<Group>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(people::create_group(&state, &who, g).await?),
    ))
}

/// A group's members (its chairs only).
#[utoipa::path(get, path = "/api/v1/groups/{group}/members", params(("group" = String, Path)),
    responses((status = 200, body = [Member]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_members(
    State(state): State<AppState>,
    who: Principal,
    GroupId(group): GroupId,
) -> Result<Json<Vec<Member>>, ApiError> {
    people::require_group(&state, &group).await?;
    who.require(&state, Some(&group), Action::ManageMembers)
        .await?;
    Ok(Json(state.rooms.store().members(&group).await?))
}

/// Sets a member's role: chairs set participant or drafter; only the admin makes or unmakes chairs.
#[utoipa::path(put, path = "/api/v1/groups/{group}/members/{account}", request_body = SetRole,
    params(("group" = String, Path), ("account" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn put_member(
    State(state): State<AppState>,
    who: Principal,
    GroupId(group): GroupId,
    AccountId(account): AccountId,
    ApiJson(r): ApiJson<SetRole>,
) -> Result<StatusCode, ApiError> {
    if r.role == Role::Reader {
        return Err(Refusal::MemberRemovalByDelete.into());
    }
    people::set_role(&state, &who, &group, &account, r.role).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a member.
#[utoipa::path(delete, path = "/api/v1/groups/{group}/members/{account}",
    params(("group" = String, Path), ("account" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_member(
    State(state): State<AppState>,
    who: Principal,
    GroupId(group): GroupId,
    AccountId(account): AccountId,
) -> Result<StatusCode, ApiError> {
    people::set_role(&state, &who, &group, &account, Role::Reader).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A group's invitations (its chairs only).
#[utoipa::path(get, path = "/api/v1/groups/{group}/invitations", params(("group" = String, Path)),
    responses((status = 200, body = [Invitation]), (status = 403, body = ErrorBody)))]
async fn list_invitations(
    State(state): State<AppState>,
    who: Principal,
    GroupId(group): GroupId,
) -> Result<Json<Vec<Invitation>>, ApiError> {
    people::require_group(&state, &group).await?;
    who.require(&state, Some(&group), Action::ManageMembers)
        .await?;
    Ok(Json(state.rooms.store().invitations(&group).await?))
}

/// Creates an invitation link with a role (participant or drafter) that expires.
#[utoipa::path(post, path = "/api/v1/groups/{group}/invitations", request_body = CreateInvitation,
    params(("group" = String, Path)),
    responses((status = 201, body = InvitationCreated), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn post_invitation(
    State(state): State<AppState>,
    who: Principal,
    GroupId(group): GroupId,
    ApiJson(i): ApiJson<CreateInvitation>,
) -> Result<(StatusCode, Json<InvitationCreated>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(people::create_invitation(&state, &who, &group, i).await?),
    ))
}

/// Revokes an invitation.
#[utoipa::path(delete, path = "/api/v1/groups/{group}/invitations/{invitation}",
    params(("group" = String, Path), ("invitation" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_invitation(
    State(state): State<AppState>,
    who: Principal,
    GroupId(group): GroupId,
    InvitationId(invitation): InvitationId,
) -> Result<StatusCode, ApiError> {
    people::revoke_invitation(&state, &who, &group, &invitation).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Accepts an invitation (signed in): joins its group with its role.
#[utoipa::path(post, path = "/api/v1/invitations/{token}/accept", params(("token" = String, Path)),
    responses((status = 200, body = domain::api::MembershipView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn accept_invitation(
    State(state): State<AppState>,
    who: Principal,
    InvitationToken(token): InvitationToken,
) -> Result<Json<domain::api::MembershipView>, ApiError> {
    Ok(Json(
        people::accept_invitation_view(&state, &who, &token).await?,
    ))
}

/// The security audit log, newest first (admin).
#[utoipa::path(get, path = "/api/v1/audit", responses((status = 200, body = [AuditEntry]), (status = 403, body = ErrorBody)))]
async fn audit_log(
    State(state): State<AppState>,
    who: Principal,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    who.require(&state, None, Action::ReadAudit).await?;
    Ok(Json(state.rooms.store().audit_log(500).await?))
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
    who: Principal,
    req: axum::extract::Request,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    // Only someone signed in may create: settled before the body (up to 2 MiB of Markdown) is
    // read; which group they may create in is core's to say, with the body.
    who.signed_in()?;
    let ApiJson(req) = ApiJson::<CreateDocument>::from_request(req, &state)
        .await
        .map_err(|rejected| rejected.0)?;
    let created = documents::create_as(&state, &who, req).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// A document's metadata and numbered paragraphs, as they are now.
#[utoipa::path(get, path = "/api/v1/documents/{id}", params(("id" = String, Path)),
    responses((status = 200, body = DocumentDetail), (status = 404, body = ErrorBody)))]
async fn get_document(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
) -> Result<Json<DocumentDetail>, ApiError> {
    Ok(Json(documents::detail_for(&state, &who, &id).await?))
}

/// The document's current text as Markdown (a download).
#[utoipa::path(get, path = "/api/v1/documents/{id}/markdown", params(("id" = String, Path)),
    responses((status = 200, content_type = "text/markdown", body = String), (status = 404, body = ErrorBody)))]
async fn get_markdown(
    State(state): State<AppState>,
    DocumentId(id): DocumentId,
) -> Result<Response, ApiError> {
    let (title, md) = documents::markdown(&state.rooms, &id).await?;
    let file = format!("{}.md", rules::file_stem(&title, &id));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                disposition("attachment", &file),
            ),
        ],
        md,
    )
        .into_response())
}

/// The sync WebSocket. Binary frames: automerge sync messages (standard encoding), at most
/// `MAX_SYNC_FRAME_BYTES`. Text frames: JSON control messages (`ServerFrame`, `ClientFrame`).
#[utoipa::path(get, path = "/api/v1/documents/{id}/sync", params(("id" = String, Path), SyncQuery),
    responses((status = 101, description = "switching to the sync protocol"), (status = 404, body = ErrorBody)))]
async fn sync(
    State(state): State<AppState>,
    who: Principal,
    headers: HeaderMap,
    DocumentId(id): DocumentId,
    ApiQuery(q): ApiQuery<SyncQuery>,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    // A browser always names the page's origin; a page on another site may not connect with
    // this visitor's cookie. Non-browser clients send no Origin and are judged by their cookie.
    let public = state.auth.public_origin.as_deref();
    if headers.contains_key(header::ORIGIN) && !accord_core::auth::same_origin(&headers, public) {
        state
            .rooms
            .store()
            .audit(
                "refused",
                who.account_id(),
                Some(&who.address),
                "sync from a foreign origin",
            )
            .await?;
        return Err(Refusal::CrossSite.into());
    }
    let meta = documents::meta(state.rooms.store(), &id).await?;
    let standing = who
        .require(&state, Some(&meta.group_id), Action::ReadDocument)
        .await?;
    let admission = state.rooms.admit(&who)?;
    let peer = accord_core::rooms::PeerInfo::for_principal(&state, &who, standing, q.watch).await?;
    let rooms = state.rooms.clone();
    let limit = domain::limits::MAX_SYNC_FRAME_BYTES;
    Ok(ws
        // Twice our own limit, so that the room can refuse an oversize frame in words.
        .max_message_size(limit * 2)
        .max_frame_size(limit * 2)
        // The socket library zero-fills its whole read buffer before every read and keeps it
        // for the connection's life: at its default of 128 KiB that was most of what an idle
        // reader cost, and a memset per acknowledgement. A sync message is a few hundred bytes;
        // a larger frame grows the buffer as it arrives.
        .read_buffer_size(SOCKET_READ_BUFFER)
        // Frames are written as they are sent, never gathered; a peer that stops reading holds
        // at most one frame here (its queue in the room is bounded, and then it is dropped).
        .write_buffer_size(0)
        .max_write_buffer_size(limit * 2)
        .on_upgrade(move |socket| crate::ws::serve(socket, rooms, id, peer, admission)))
}

/// Bytes a sync connection reads at a time (see `sync`).
const SOCKET_READ_BUFFER: usize = 4 * 1024;

/// A participant co-sponsors an open amendment (not their own).
#[utoipa::path(post, path = "/api/v1/documents/{id}/amendments/{amendment}/sponsors",
    params(("id" = String, Path), ("amendment" = i64, Path)),
    responses((status = 200, body = AmendmentView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn sponsor_amendment(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    AmendmentId(amendment): AmendmentId,
) -> Result<Json<AmendmentView>, ApiError> {
    Ok(Json(
        amendments::sponsor(&state, &who, &id, amendment).await?,
    ))
}

/// A chair schedules a live session on the document: its agenda (paragraphs, amendments,
/// questions), and optionally a facilitator and a rapporteur.
#[utoipa::path(post, path = "/api/v1/documents/{id}/sessions", params(("id" = String, Path)),
    request_body = ScheduleSession,
    responses((status = 201, body = LiveSession), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn post_live_session(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    ApiJson(req): ApiJson<ScheduleSession>,
) -> Result<(StatusCode, Json<LiveSession>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(sessions::schedule(&state, &who, &id, req).await?),
    ))
}

/// A live session: its agenda, the current item, its checks with their figures, and what the
/// viewer is and may do in it.
#[utoipa::path(get, path = "/api/v1/live/{live}", params(("live" = String, Path)),
    responses((status = 200, body = LiveSession), (status = 404, body = ErrorBody)))]
async fn get_live_session(
    State(state): State<AppState>,
    who: Principal,
    LiveSessionId(live): LiveSessionId,
) -> Result<Json<LiveSession>, ApiError> {
    Ok(Json(sessions::view(&state, &who, &live).await?))
}

/// The live sessions on a document, soonest first.
#[utoipa::path(get, path = "/api/v1/documents/{id}/sessions", params(("id" = String, Path)),
    responses((status = 200, body = [LiveSessionSummary]), (status = 404, body = ErrorBody)))]
async fn list_live_sessions(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
) -> Result<Json<Vec<LiveSessionSummary>>, ApiError> {
    Ok(Json(sessions::list(&state, &who, &id).await?))
}

/// The session as everyone sees it, sent again at every change (Server-Sent Events, each a
/// `session` event whose data is a `LiveSession` without the viewer's own part): what the
/// participant, facilitator and projector pages follow. Changes that come close together are
/// sent as one, at most one every [`FOLLOW_PAUSE`].
#[utoipa::path(get, path = "/api/v1/live/{live}/events", params(("live" = String, Path)),
    responses((status = 200, content_type = "text/event-stream", body = String), (status = 404, body = ErrorBody)))]
async fn follow_live_session(
    State(state): State<AppState>,
    who: Principal,
    LiveSessionId(live): LiveSessionId,
) -> Result<
    axum::response::sse::Sse<
        impl futures::Stream<Item = Result<axum::response::sse::Event, std::convert::Infallible>>,
    >,
    ApiError,
> {
    use axum::response::sse::{Event, KeepAlive, Sse};
    let board = sessions::follow(&state, &who, &live).await?;
    let followed = board.follow();
    // The first event is the session now: it may have changed since the page was made.
    let events = futures::stream::unfold((followed, true), move |(mut followed, first)| {
        let (state, board, live) = (state.clone(), board.clone(), live.clone());
        async move {
            if !first {
                followed.changed().await.ok()?;
                tokio::time::sleep(FOLLOW_PAUSE).await;
            }
            let revision = *followed.borrow_and_update();
            let shown = match sessions::shown(&state, &board, &live, revision).await {
                Ok(shown) => shown,
                Err(e) => {
                    // The screen reconnects and asks again.
                    tracing::warn!("following session {live}: {e}");
                    return None;
                }
            };
            let event = Event::default().event("session").data(&*shown);
            Some((Ok(event), (followed, false)))
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}

/// The session report (agenda, attendance by stakeholder group, where the stances came from,
/// every check with its figures and the item's words, the queue, the poll's movement, the
/// points of consensus) as standalone HTML or DOCX; also a section of the consultation report.
#[utoipa::path(get, path = "/api/v1/live/{live}/report", params(("live" = String, Path), ReportQuery),
    responses((status = 200, content_type = "text/html", body = String), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn get_session_report(
    State(state): State<AppState>,
    who: Principal,
    LiveSessionId(live): LiveSessionId,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> Result<Response, ApiError> {
    Ok(download(
        accord_core::sessions_report::export(&state, &who, &live, &q.format).await?,
    ))
}

/// How long a session's followers wait after a change for others to join it.
const FOLLOW_PAUSE: std::time::Duration = std::time::Duration::from_millis(200);

/// Whoever runs the session puts an item of its agenda on every screen.
#[utoipa::path(put, path = "/api/v1/live/{live}/current", params(("live" = String, Path)),
    request_body = MoveToItem,
    responses((status = 200, body = LiveSession), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn put_current_item(
    State(state): State<AppState>,
    who: Principal,
    LiveSessionId(live): LiveSessionId,
    ApiJson(req): ApiJson<MoveToItem>,
) -> Result<Json<LiveSession>, ApiError> {
    Ok(Json(sessions::move_to(&state, &who, &live, req).await?))
}

/// Whoever runs the session opens a check of the sense of the room on the current item; one
/// at a time (`409` while another is open). The body is optional: a countdown for the room.
#[utoipa::path(post, path = "/api/v1/live/{live}/checks", params(("live" = String, Path)),
    request_body(content = Option<OpenCheck>, description = "A countdown for the room, in seconds (optional)"),
    responses((status = 201, body = LiveSession), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn post_check(
    State(state): State<AppState>,
    who: Principal,
    LiveSessionId(live): LiveSessionId,
    body: Option<ApiJson<OpenCheck>>,
) -> Result<(StatusCode, Json<LiveSession>), ApiError> {
    let req = body.map(|ApiJson(b)| b).unwrap_or_default();
    Ok((
        StatusCode::CREATED,
        Json(sessions::open_check(&state, &who, &live, req).await?),
    ))
}

/// Whoever runs the session closes a check: its figures and the item's words are kept as
/// they are now, and it takes nothing more.
#[utoipa::path(post, path = "/api/v1/live/{live}/checks/{check}/close",
    params(("live" = String, Path), ("check" = String, Path)),
    responses((status = 200, body = LiveSession), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn post_check_close(
    State(state): State<AppState>,
    who: Principal,
    LiveSessionId(live): LiveSessionId,
    CheckId(check): CheckId,
) -> Result<Json<LiveSession>, ApiError> {
    Ok(Json(
        sessions::close_check(&state, &who, &live, &check).await?,
    ))
}

/// One's stance in an open check (the latest counts): support, can live with, or oppose with
/// a reason; online or in the room.
#[utoipa::path(put, path = "/api/v1/live/{live}/checks/{check}/stance",
    params(("live" = String, Path), ("check" = String, Path)), request_body = CheckStanceBody,
    responses((status = 200, body = LiveSession), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_check_stance(
    State(state): State<AppState>,
    who: Principal,
    LiveSessionId(live): LiveSessionId,
    CheckId(check): CheckId,
    ApiJson(req): ApiJson<CheckStanceBody>,
) -> Result<Json<LiveSession>, ApiError> {
    Ok(Json(
        sessions::take_stance(&state, &who, &live, &check, req).await?,
    ))
}

/// The rapporteur's count of one stakeholder group's raised hands in an open check (the
/// group's latest count replaces the one before); marked as recorded in every figure.
#[utoipa::path(put, path = "/api/v1/live/{live}/checks/{check}/hands",
    params(("live" = String, Path), ("check" = String, Path)), request_body = HandsBody,
    responses((status = 200, body = LiveSession), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_check_hands(
    State(state): State<AppState>,
    who: Principal,
    LiveSessionId(live): LiveSessionId,
    CheckId(check): CheckId,
    ApiJson(req): ApiJson<HandsBody>,
) -> Result<Json<LiveSession>, ApiError> {
    Ok(Json(
        sessions::record_hands(&state, &who, &live, &check, req).await?,
    ))
}

/// Raise a hand in the speaking queue: one's own, or (the rapporteur) someone's without a
/// device, by `name` and `group`. One hand up per person: `409`.
#[utoipa::path(post, path = "/api/v1/live/{live}/queue", params(("live" = String, Path)),
    request_body = RaiseHand,
    responses((status = 201, body = LiveSession), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn post_hand(
    State(state): State<AppState>,
    who: Principal,
    LiveSessionId(live): LiveSessionId,
    ApiJson(req): ApiJson<RaiseHand>,
) -> Result<(StatusCode, Json<LiveSession>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(sessions::raise_hand(&state, &who, &live, req).await?),
    ))
}

/// Whoever runs the session calls a waiting hand (`{"call": true}`) or lowers it; anyone
/// lowers their own.
#[utoipa::path(post, path = "/api/v1/live/{live}/queue/{hand}",
    params(("live" = String, Path), ("hand" = String, Path)), request_body = SettleHand,
    responses((status = 200, body = LiveSession), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn post_hand_settled(
    State(state): State<AppState>,
    who: Principal,
    LiveSessionId(live): LiveSessionId,
    HandId(hand): HandId,
    ApiJson(req): ApiJson<SettleHand>,
) -> Result<Json<LiveSession>, ApiError> {
    Ok(Json(
        sessions::settle_hand(&state, &who, &live, &hand, req).await?,
    ))
}

/// The rapporteur notes a comment from the floor on an agenda item, attributed or not.
#[utoipa::path(post, path = "/api/v1/live/{live}/floor", params(("live" = String, Path)),
    request_body = NoteFloorComment,
    responses((status = 201, body = LiveSession), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn post_floor_comment(
    State(state): State<AppState>,
    who: Principal,
    LiveSessionId(live): LiveSessionId,
    ApiJson(req): ApiJson<NoteFloorComment>,
) -> Result<(StatusCode, Json<LiveSession>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(sessions::note_floor_comment(&state, &who, &live, req).await?),
    ))
}

/// A chair marks an agenda item a point of consensus, with a reason citing the checks; the
/// decision record keeps it.
#[utoipa::path(put, path = "/api/v1/live/{live}/points", params(("live" = String, Path)),
    request_body = MarkPoint,
    responses((status = 200, body = LiveSession), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_point(
    State(state): State<AppState>,
    who: Principal,
    LiveSessionId(live): LiveSessionId,
    ApiJson(req): ApiJson<MarkPoint>,
) -> Result<Json<LiveSession>, ApiError> {
    Ok(Json(sessions::mark_point(&state, &who, &live, req).await?))
}

/// Whoever runs the session opens the poll's round (`before`, `after`) or closes it (`null`).
#[utoipa::path(put, path = "/api/v1/live/{live}/poll", params(("live" = String, Path)),
    request_body = SetPollRound,
    responses((status = 200, body = LiveSession), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn put_poll_round(
    State(state): State<AppState>,
    who: Principal,
    LiveSessionId(live): LiveSessionId,
    ApiJson(req): ApiJson<SetPollRound>,
) -> Result<Json<LiveSession>, ApiError> {
    Ok(Json(
        sessions::set_poll_round(&state, &who, &live, req).await?,
    ))
}

/// One's answers to the poll in the round open now, each from 1 to 7; an answer given again
/// in the same round replaces the first. `409` when that round is not open.
#[utoipa::path(put, path = "/api/v1/live/{live}/poll/answers", params(("live" = String, Path)),
    request_body = AnswerPoll,
    responses((status = 200, body = LiveSession), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_poll_answers(
    State(state): State<AppState>,
    who: Principal,
    LiveSessionId(live): LiveSessionId,
    ApiJson(req): ApiJson<AnswerPoll>,
) -> Result<Json<LiveSession>, ApiError> {
    Ok(Json(sessions::answer_poll(&state, &who, &live, req).await?))
}

/// The series of published outputs: its name, prefix and statuses.
#[utoipa::path(get, path = "/api/v1/series", responses((status = 200, body = Series)))]
async fn get_series(State(state): State<AppState>) -> Result<Json<Series>, ApiError> {
    Ok(Json(outputs::series(&state).await?))
}

/// An admin names the series, its prefix and the statuses a chair may give. Numbers published
/// before keep what they were published under.
#[utoipa::path(put, path = "/api/v1/series", request_body = Series,
    responses((status = 200, body = Series), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn put_series(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(req): ApiJson<Series>,
) -> Result<Json<Series>, ApiError> {
    Ok(Json(outputs::set_series(&state, &who, req).await?))
}

/// A group's threshold rule for publication, and whether the caller may set it.
#[utoipa::path(get, path = "/api/v1/groups/{group}/threshold", params(("group" = String, Path)),
    responses((status = 200, body = ThresholdView), (status = 404, body = ErrorBody)))]
async fn get_threshold(
    State(state): State<AppState>,
    who: Principal,
    GroupId(group): GroupId,
) -> Result<Json<ThresholdView>, ApiError> {
    Ok(Json(outputs::threshold(&state, &who, &group).await?))
}

/// The group's chairs (or an admin) set its threshold rule; consultations that open from now on
/// are held to it.
#[utoipa::path(put, path = "/api/v1/groups/{group}/threshold", params(("group" = String, Path)),
    request_body = Threshold,
    responses((status = 200, body = ThresholdView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_threshold(
    State(state): State<AppState>,
    who: Principal,
    GroupId(group): GroupId,
    ApiJson(req): ApiJson<Threshold>,
) -> Result<Json<ThresholdView>, ApiError> {
    Ok(Json(
        outputs::set_threshold(&state, &who, &group, req).await?,
    ))
}

/// What publishing the document would say: its rule against its figures, the number it became
/// if published, the earlier numbers it may point to.
#[utoipa::path(get, path = "/api/v1/documents/{id}/publication", params(("id" = String, Path)),
    responses((status = 200, body = Publication), (status = 404, body = ErrorBody)))]
async fn get_publication(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
) -> Result<Json<Publication>, ApiError> {
    Ok(Json(outputs::publication(&state, &who, &id).await?))
}

/// A chair publishes the closed text under the series' next number.
#[utoipa::path(post, path = "/api/v1/documents/{id}/publication", params(("id" = String, Path)),
    request_body = Publish,
    responses((status = 201, body = Output), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn post_publication(
    State(state): State<AppState>,
    who: Principal,
    DocumentId(id): DocumentId,
    ApiJson(req): ApiJson<Publish>,
) -> Result<(StatusCode, Json<Output>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(outputs::publish(&state, &who, &id, req).await?),
    ))
}

/// The public index of published outputs, newest first, filtered.
#[utoipa::path(get, path = "/api/v1/outputs", params(OutputsQuery),
    responses((status = 200, body = Outputs), (status = 422, body = ErrorBody)))]
async fn list_outputs(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<OutputsQuery>,
) -> Result<Json<Outputs>, ApiError> {
    let filter = outputs::Filter {
        q: q.q,
        status: q.status,
        group: q.group,
    };
    Ok(Json(outputs::list(&state, &filter).await?))
}

/// One published number with its text and front matter; public, and never changed.
#[utoipa::path(get, path = "/api/v1/outputs/{number}", params(("number" = i64, Path)),
    responses((status = 200, body = Output), (status = 404, body = ErrorBody)))]
async fn get_output(
    State(state): State<AppState>,
    OutputNumber(n): OutputNumber,
) -> Result<Json<Output>, ApiError> {
    Ok(Json(outputs::get(&state, n).await?))
}

/// A published number as HTML, DOCX, RFC-style plain text or Markdown, front matter first.
#[utoipa::path(get, path = "/api/v1/outputs/{number}/export", params(("number" = i64, Path), ReportQuery),
    responses((status = 200, content_type = "text/html", body = String), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn get_output_export(
    State(state): State<AppState>,
    OutputNumber(n): OutputNumber,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> Result<Response, ApiError> {
    Ok(download(outputs::export(&state, n, &q.format).await?))
}

/// How to cite a published number: plain text, BibTeX or CSL-JSON.
#[utoipa::path(get, path = "/api/v1/outputs/{number}/citation", params(("number" = i64, Path), CitationQuery),
    responses((status = 200, content_type = "text/plain", body = String), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn get_output_citation(
    State(state): State<AppState>,
    OutputNumber(n): OutputNumber,
    ApiQuery(q): ApiQuery<CitationQuery>,
) -> Result<Response, ApiError> {
    Ok(download(outputs::citation(&state, n, &q.format).await?))
}
