//! The JSON API through `router(state).oneshot(..)` on an in-memory SQLite database.

mod common;

use accord_core::seed;
use accord_server::{router, AppState};
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
    Router,
};
use domain::api::{Created, DocumentDetail, DocumentSummary, ErrorBody, ParagraphKind};
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn app() -> Router {
    let store = common::private_store().await;
    let state = AppState::new(store, common::leptos_options());
    seed::seed_if_empty(&state.rooms).await.expect("seed");
    router(state)
}

async fn call(app: &Router, req: Request<Body>) -> (StatusCode, Vec<u8>) {
    let resp = app.clone().oneshot(req).await.expect("response");
    let status = resp.status();
    let body = resp
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    (status, body)
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).expect("request")
}

fn post_json(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request")
}

/// A same-site POST by a signed-in drafter of the demo group.
async fn drafter_post(app: &Router, uri: &str, body: &str) -> (StatusCode, Vec<u8>) {
    let cookie = common::session(app, "drafter@example.org").await;
    let mut req = post_json(uri, body);
    common::same_site(&mut req, &cookie);
    call(app, req).await
}

fn error_of(body: &[u8]) -> String {
    serde_json::from_slice::<ErrorBody>(body)
        .expect("error body")
        .error
}

#[tokio::test]
async fn the_seeded_sample_is_listed_and_readable() {
    let app = app().await;
    let (status, body) = call(&app, get("/api/v1/documents")).await;
    assert_eq!(status, StatusCode::OK);
    let list: Vec<DocumentSummary> = serde_json::from_slice(&body).expect("json");
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0].title,
        "Draft recommendations on written outputs of the Forum"
    );
    assert_eq!(list[0].group, "Best Practice Forum on Forum Outcomes");

    let (status, body) = call(&app, get(&format!("/api/v1/documents/{}", list[0].id))).await;
    assert_eq!(status, StatusCode::OK);
    let detail: DocumentDetail = serde_json::from_slice(&body).expect("json");
    let numbers: Vec<_> = detail
        .paragraphs
        .iter()
        .filter_map(|p| p.number.clone())
        .collect();
    assert_eq!(numbers.first().map(String::as_str), Some("1"));
    assert!(numbers.contains(&"8(b)".to_string()));
    assert_eq!(numbers.last().map(String::as_str), Some("13"));
}

#[tokio::test]
async fn the_markdown_download_is_the_sample_itself() {
    let app = app().await;
    let (_, body) = call(&app, get("/api/v1/documents")).await;
    let list: Vec<DocumentSummary> = serde_json::from_slice(&body).expect("json");
    let resp = app
        .clone()
        .oneshot(get(&format!("/api/v1/documents/{}/markdown", list[0].id)))
        .await
        .expect("response");
    assert_eq!(resp.status(), StatusCode::OK);
    let disposition = resp.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(
        disposition.contains("draft-recommendations-on-written-outputs"),
        "{disposition}"
    );
    let body = resp.into_body().collect().await.expect("body").to_bytes();
    assert_eq!(
        std::str::from_utf8(&body).expect("utf-8"),
        accord_core::seed::SAMPLE_DRAFT
    );
}

#[tokio::test]
async fn a_document_imported_from_markdown_is_numbered() {
    let app = app().await;
    let md = "# Charter\n\n## Scope\n\n1. We meet.\n\n   (a) Online.\n\n2. We write.\n";
    let body = serde_json::json!({ "markdown": md }).to_string();
    let (status, body) = drafter_post(&app, "/api/v1/documents", &body).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&body)
    );
    let created: Created = serde_json::from_slice(&body).expect("json");
    assert_eq!(created.url, format!("/documents/{}", created.id));
    let (_, body) = call(&app, get(&format!("/api/v1/documents/{}", created.id))).await;
    let detail: DocumentDetail = serde_json::from_slice(&body).expect("json");
    assert_eq!(detail.title, "Charter");
    let shape: Vec<_> = detail
        .paragraphs
        .iter()
        .map(|p| (p.kind, p.number.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        shape,
        [
            (ParagraphKind::Heading, ""),
            (ParagraphKind::Numbered, "1"),
            (ParagraphKind::Sub, "1(a)"),
            (ParagraphKind::Numbered, "2"),
        ]
    );
}

#[tokio::test]
async fn a_blank_document_has_one_empty_paragraph() {
    let app = app().await;
    let (status, body) = drafter_post(&app, "/api/v1/documents", r#"{"title":"Blank"}"#).await;
    assert_eq!(status, StatusCode::CREATED);
    let created: Created = serde_json::from_slice(&body).expect("json");
    let (_, body) = call(&app, get(&format!("/api/v1/documents/{}", created.id))).await;
    let detail: DocumentDetail = serde_json::from_slice(&body).expect("json");
    assert_eq!(detail.title, "Blank");
    assert_eq!(detail.paragraphs.len(), 1);
    assert_eq!(detail.paragraphs[0].text, "");
}

#[tokio::test]
async fn bad_bodies_are_refused_in_words_and_create_nothing() {
    let app = app().await;
    let cases = [
        ("{not json", StatusCode::BAD_REQUEST, "not valid JSON"),
        (
            r#"{"title": 7}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid body",
        ),
        (
            r#"{"tittle": "x"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "tittle",
        ),
        (
            r#"{"title": "a\u0000b"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "control characters",
        ),
    ];
    for (body, status, words) in cases {
        let (got, resp) = drafter_post(&app, "/api/v1/documents", body).await;
        assert_eq!(got, status, "{body}");
        let error = error_of(&resp);
        assert!(error.contains(words), "{body}: {error}");
    }
    let long_title = serde_json::json!({ "title": "x".repeat(301) }).to_string();
    let (got, resp) = drafter_post(&app, "/api/v1/documents", &long_title).await;
    assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_of(&resp).contains("title is 301 characters long"));

    let long_paragraph =
        serde_json::json!({ "markdown": format!("1. {}", "y".repeat(20_001)) }).to_string();
    let (got, resp) = drafter_post(&app, "/api/v1/documents", &long_paragraph).await;
    assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error_of(&resp).contains("20001 characters long"),
        "{}",
        error_of(&resp)
    );

    let mut no_type = Request::post("/api/v1/documents")
        .body(Body::from("{}"))
        .expect("request");
    common::same_site(
        &mut no_type,
        &common::session(&app, "drafter@example.org").await,
    );
    let (got, _) = call(&app, no_type).await;
    assert_eq!(got, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let (_, body) = call(&app, get("/api/v1/documents")).await;
    let list: Vec<DocumentSummary> = serde_json::from_slice(&body).expect("json");
    assert_eq!(list.len(), 1, "nothing was created");
}

#[tokio::test]
async fn unknown_documents_are_404_naming_the_id() {
    let app = app().await;
    for uri in [
        "/api/v1/documents/dmissing",
        "/api/v1/documents/dmissing/markdown",
    ] {
        let (status, body) = call(&app, get(uri)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(error_of(&body), "unknown document 'dmissing'");
    }
    let (status, _) = call(&app, get("/api/v1/documents/..%2F..%2Fetc")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_openapi_document_describes_the_routes() {
    let app = app().await;
    let (status, body) = call(&app, get("/api/v1/openapi.json")).await;
    assert_eq!(status, StatusCode::OK);
    let spec: serde_json::Value = serde_json::from_slice(&body).expect("json");
    let built = serde_json::to_value(accord_server::http::openapi()).expect("openapi");
    assert_eq!(
        spec, built,
        "the document served is the one the matrix test walks"
    );
    for path in [
        "/api/v1/documents",
        "/api/v1/documents/{id}",
        "/api/v1/documents/{id}/markdown",
        "/api/v1/documents/{id}/sync",
        "/api/v1/auth/login",
        "/api/v1/groups/{group}/members/{account}",
        "/api/v1/documents/{id}/feedback",
        "/api/v1/documents/{id}/paragraphs/{paragraph}/feedback",
        "/api/v1/documents/{id}/paragraphs/{paragraph}/comments",
        "/api/v1/documents/{id}/paragraphs/{paragraph}/stance",
        "/api/v1/documents/{id}/comments/{comment}",
        "/api/v1/documents/{id}/comments/{comment}/response",
        "/api/v1/documents/{id}/comments/{comment}/hide",
        "/api/v1/documents/{id}/objections/{objection}/response",
        "/api/v1/documents/{id}/amendments",
        "/api/v1/documents/{id}/amendments/{amendment}/decision",
        "/api/v1/documents/{id}/amendments/{amendment}/withdraw",
        "/api/v1/documents/{id}/amendments/{amendment}/sponsors",
        "/api/v1/documents/{id}/amendments/{amendment}/stance",
        "/api/v1/documents/{id}/phase",
        "/api/v1/documents/{id}/record",
        "/api/v1/documents/{id}/versions",
        "/api/v1/documents/{id}/versions/{name}",
        "/api/v1/documents/{id}/compare",
        "/api/v1/documents/{id}/export",
        "/api/v1/documents/{id}/report",
        "/api/v1/documents/{id}/archive",
        "/api/v1/documents/{id}/endorsements",
        "/api/v1/archives",
    ] {
        assert!(spec["paths"][path].is_object(), "{path} missing");
    }
    for schema in [
        "DocumentDetail",
        "Thread",
        "ParagraphConsensus",
        "Flag",
        "Balance",
    ] {
        assert!(
            spec["components"]["schemas"][schema].is_object(),
            "{schema} missing"
        );
    }
}

#[tokio::test]
async fn the_document_page_is_rendered_on_the_server_with_anchors() {
    let app = app().await;
    let (_, body) = call(&app, get("/api/v1/documents")).await;
    let list: Vec<DocumentSummary> = serde_json::from_slice(&body).expect("json");
    let (status, body) = call(&app, get(&format!("/documents/{}", list[0].id))).await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8(body).expect("utf-8");
    assert!(html.contains("Draft recommendations on written outputs of the Forum"));
    assert!(html.contains("Every comment received during a consultation"));
    assert!(
        html.contains(">8(a)<"),
        "sub-paragraph numbers are rendered"
    );
    assert!(html.contains("href=\"#p"), "paragraphs have anchor links");

    let (status, _) = call(&app, get("/documents/dmissing")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
