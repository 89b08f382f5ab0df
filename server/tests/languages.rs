//! Accord in the reader's language beyond the pages: an API refusal keeps its code and says it
//! in the asker's language; a person's language choice is kept in their profile and comes back
//! when they sign in elsewhere; a document's language (its chair's call) travels into its
//! exports, an Arabic text right to left as independent readers see it.

mod common;

use axum::{
    body::Body,
    http::{Method, Request, StatusCode},
};
use common::Fixture;
use domain::api::{DocumentDetail, Me};
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

/// Sends `body` to `path` as this site's pages would, with an `Accept-Language`.
async fn call_in(
    app: &axum::Router,
    method: Method,
    path: &str,
    cookie: &str,
    accept: &str,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json")
        .header("accept-language", accept)
        .body(Body::from(body.to_string()))
        .expect("request");
    common::same_site(&mut req, cookie);
    let resp = app.clone().oneshot(req).await.expect("response");
    let status = resp.status();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    (status, serde_json::from_slice(&bytes).expect("json"))
}

#[tokio::test]
async fn a_refusal_keeps_its_code_and_speaks_the_askers_language() {
    let fx = Fixture::start().await;
    let app = accord_server::router(fx.server.state.clone());
    let participant = common::session(&app, "participant@example.org").await;
    let detail = fx.server.detail(&fx.doc).await;
    let path = format!(
        "/api/v1/documents/{}/paragraphs/{}/comments",
        fx.doc, detail.paragraphs[1].id
    );
    let mut said = Vec::new();
    for accept in ["en", "fr-CH, fr;q=0.9", "ar", "zh-CN", "ru", "es-419"] {
        let (status, body) = call_in(
            &app,
            Method::POST,
            &path,
            &participant,
            accept,
            json!({ "body": "   " }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{accept}: {body}");
        assert_eq!(body["code"], "text-empty", "{accept}: the code is the same");
        let words = body["error"].as_str().expect("error").to_string();
        assert!(!words.is_empty());
        said.push(words);
    }
    // A request from another site is refused before anything else looks at it: in French too.
    let mut req = Request::post("/api/v1/documents")
        .header("content-type", "application/json")
        .header("accept-language", "fr")
        .body(Body::from(json!({ "title": "x" }).to_string()))
        .expect("request");
    common::same_site(&mut req, &participant);
    req.headers_mut()
        .insert("origin", "https://evil.example".parse().expect("header"));
    let resp = app.clone().oneshot(req).await.expect("response");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    let body: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(body["code"], "cross-site");
    let english = domain::refusal::Refusal::CrossSite.message();
    assert_ne!(body["error"].as_str(), Some(english.as_str()), "{body}");

    let distinct: std::collections::BTreeSet<&String> = said.iter().collect();
    assert_eq!(distinct.len(), 6, "one wording per language: {said:?}");
    assert!(
        said[2]
            .chars()
            .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "Arabic: {}",
        said[2]
    );
}

#[tokio::test]
async fn a_language_chosen_is_kept_in_the_profile_and_comes_back_at_sign_in() {
    let fx = Fixture::start().await;
    let app = accord_server::router(fx.server.state.clone());
    let cookie = common::session(&app, "participant@example.org").await;
    let me = |app: axum::Router, cookie: String| async move {
        let (status, me) =
            common::call_json(&app, Method::GET, "/api/v1/me", Some(&cookie), None).await;
        assert_eq!(status, StatusCode::OK);
        serde_json::from_value::<Me>(me).expect("me")
    };
    assert_eq!(me(app.clone(), cookie.clone()).await.language, None);

    // Choosing from the language menu (a link with ?lang=) while signed in keeps the choice.
    let (status, headers, _) = common::call_raw(&app, "/?lang=ru", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    let set: Vec<&str> = headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        set.iter().any(|c| c.starts_with("accord-lang=ru;")),
        "{set:?}"
    );
    assert_eq!(
        me(app.clone(), cookie.clone())
            .await
            .language
            .map(|l| l.key()),
        Some("ru")
    );

    // The profile form says it too; an unknown language is refused and changes nothing.
    let (status, body) = common::call_json(
        &app,
        Method::PATCH,
        "/api/v1/me",
        Some(&cookie),
        Some(json!({ "language": "tlh" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"].as_str().expect("error").contains("tlh"),
        "{body}"
    );
    let (status, body) = common::call_json(
        &app,
        Method::PATCH,
        "/api/v1/me",
        Some(&cookie),
        Some(json!({ "language": "ar" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["language"], "ar");

    // Signing in on another browser brings the language along.
    let req = Request::post("/api/v1/auth/login")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({ "login": "participant@example.org",
                    "password": accord_core::seed::DEMO_PASSWORD })
            .to_string(),
        ))
        .expect("request");
    let resp = app.clone().oneshot(req).await.expect("response");
    assert_eq!(resp.status(), StatusCode::OK);
    let set: Vec<String> = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    assert!(set[0].starts_with("accord_session="), "{set:?}");
    assert!(
        set.iter().any(|c| c.starts_with("accord-lang=ar;")),
        "{set:?}"
    );
}

#[tokio::test]
async fn an_arabic_documents_exports_open_right_to_left() {
    let fx = Fixture::start().await;
    let app = accord_server::router(fx.server.state.clone());
    let chair = common::session(&app, "chair@example.org").await;
    let drafter = common::session(&app, "drafter@example.org").await;
    let language = format!("/api/v1/documents/{}/language", fx.doc);

    // Only a chair says which language a text is in.
    let (status, body) = common::call_json(
        &app,
        Method::PUT,
        &language,
        Some(&drafter),
        Some(json!({ "language": "ar" })),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = common::call_json(
        &app,
        Method::PUT,
        &language,
        Some(&chair),
        Some(json!({ "language": "Arabic" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (_, detail) = common::call_json(
        &app,
        Method::GET,
        &format!("/api/v1/documents/{}", fx.doc),
        None,
        None,
    )
    .await;
    let detail: DocumentDetail = serde_json::from_value(detail).expect("detail");
    assert_eq!(
        detail.language.key(),
        "en",
        "the group's language until said"
    );

    let (status, _) = common::call_json(
        &app,
        Method::PUT,
        &language,
        Some(&chair),
        Some(json!({ "language": "ar" })),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let detail = fx.server.detail(&fx.doc).await;
    assert_eq!(detail.language.key(), "ar");

    let export = |format: &'static str| {
        let app = app.clone();
        let path = format!("/api/v1/documents/{}/export?format={format}", fx.doc);
        let chair = chair.clone();
        async move {
            let (status, _, bytes) = common::call_raw(&app, &path, Some(&chair)).await;
            assert_eq!(status, StatusCode::OK, "{format}");
            bytes
        }
    };
    let docx = common::read_export("docx", &export("docx").await);
    let paragraphs: Vec<&serde_json::Value> =
        docx.iter().filter(|b| b.get("rtl").is_some()).collect();
    assert!(paragraphs.len() > 3);
    assert!(
        paragraphs.iter().all(|p| p["rtl"] == true),
        "every paragraph right to left: {docx:?}"
    );
    let html = common::read_export("html", &export("html").await);
    assert!(
        html.iter().all(|b| b["lang"] == "ar" && b["dir"] == "rtl"),
        "{html:?}"
    );

    // An English text's are left to right.
    let (status, _) = common::call_json(
        &app,
        Method::PUT,
        &language,
        Some(&chair),
        Some(json!({ "language": "en" })),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let docx = common::read_export("docx", &export("docx").await);
    assert!(docx.iter().all(|b| b.get("rtl").is_none_or(|r| r == false)));
}

#[tokio::test]
async fn a_groups_language_is_its_new_documents_and_a_bad_one_is_refused() {
    let fx = Fixture::start().await;
    let app = accord_server::router(fx.server.state.clone());
    let admin = common::session(&app, "admin@example.org").await;
    let (status, body) = common::call_json(
        &app,
        Method::POST,
        "/api/v1/groups",
        Some(&admin),
        Some(json!({ "name": "Coalition on Access", "kind": "dc", "language": "xx" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, group) = common::call_json(
        &app,
        Method::POST,
        "/api/v1/groups",
        Some(&admin),
        Some(json!({ "name": "Coalition sur l'accès", "kind": "dc", "language": "fr" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{group}");
    let group = group["id"].as_str().expect("id").to_string();
    common::add_member(
        fx.server.state.rooms.store(),
        "redactrice@example.org",
        &group,
        domain::api::Role::Drafter,
    )
    .await;
    let drafter = common::session(&app, "redactrice@example.org").await;
    let (status, created) = common::call_json(
        &app,
        Method::POST,
        "/api/v1/documents",
        Some(&drafter),
        Some(json!({ "group": group, "markdown": "# Accès\n\n1. Pour tous.\n" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let detail = fx.server.detail(created["id"].as_str().expect("id")).await;
    assert_eq!(detail.language.key(), "fr");
}
