//! Search over the real server: titles, paragraphs as they are now, and comments everyone can
//! read, case ignored in any script; hidden comments are never found; bad queries are refused
//! in words; the page works without JavaScript.

mod common;

use axum::http::{Method, StatusCode};
use common::Fixture;
use domain::api::SearchResults;
use serde_json::json;

#[tokio::test]
async fn search_finds_titles_paragraphs_and_comments_but_never_a_hidden_comment() {
    let fx = Fixture::start().await;
    let app = accord_server::router(fx.server.state.clone());
    let participant = common::session(&app, "participant@example.org").await;
    let chair = common::session(&app, "chair@example.org").await;
    let detail = fx.server.detail(&fx.doc).await;
    let p = detail
        .paragraphs
        .iter()
        .find(|p| p.number.as_deref() == Some("2"))
        .expect("paragraph 2")
        .clone();
    let comments = format!("/api/v1/documents/{}/paragraphs/{}/comments", fx.doc, p.id);
    for body in [
        "Кто ведёт ПРОТОКОЛ заседания?",
        "Zebra crossings are off topic.",
    ] {
        let (status, c) = common::call_json(
            &app,
            Method::POST,
            &comments,
            Some(&participant),
            Some(json!({ "body": body })),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{c}");
        if body.starts_with("Zebra") {
            let hide = format!("/api/v1/documents/{}/comments/{}/hide", fx.doc, c["id"]);
            let (status, _) = common::call_json(
                &app,
                Method::POST,
                &hide,
                Some(&chair),
                Some(json!({ "reason": "Off topic." })),
            )
            .await;
            assert!(status.is_success());
        }
    }
    let search = |q: &str| {
        let encoded: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
        let path = format!("/api/v1/search?q={encoded}");
        let app = app.clone();
        async move { common::call_json(&app, Method::GET, &path, None, None).await }
    };

    // A comment in Cyrillic, found in lower case, with the words around it.
    let (status, body) = search("протокол").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let found: SearchResults = serde_json::from_value(body).expect("results");
    assert_eq!(found.comments.len(), 1, "{found:?}");
    let hit = &found.comments[0];
    assert_eq!(hit.matched, "ПРОТОКОЛ");
    assert_eq!(hit.before, "Кто ведёт ");
    assert_eq!(hit.paragraph, p.id);
    assert_eq!(hit.label, "paragraph 2");
    assert_eq!(hit.author.as_deref(), Some("Priya Participant"));

    // A paragraph's words as they are now, and the title.
    let word: String = p
        .text
        .split_whitespace()
        .max_by_key(|w| w.len())
        .expect("a word")
        .to_uppercase();
    let (status, body) = search(&word).await;
    assert_eq!(status, StatusCode::OK, "{word}: {body}");
    let found: SearchResults = serde_json::from_value(body).expect("results");
    assert!(
        found.paragraphs.iter().any(|h| h.paragraph == p.id),
        "{found:?}"
    );
    let title_word: String = detail
        .title
        .split_whitespace()
        .next()
        .expect("a word")
        .to_lowercase();
    let (_, body) = search(&title_word).await;
    let found: SearchResults = serde_json::from_value(body).expect("results");
    assert_eq!(
        found.documents.first().map(|d| d.id.as_str()),
        Some(fx.doc.as_str())
    );

    // A hidden comment is found by nobody.
    let (_, body) = search("zebra").await;
    let found: SearchResults = serde_json::from_value(body).expect("results");
    assert!(found.comments.is_empty(), "{found:?}");

    // Too short, too long, control characters, no query: refused in words.
    for path in [
        "/api/v1/search?q=a".to_string(),
        format!("/api/v1/search?q={}", "x".repeat(101)),
        "/api/v1/search?q=ab%07".to_string(),
    ] {
        let (status, body) = common::call_json(&app, Method::GET, &path, None, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        assert!(
            body["error"]
                .as_str()
                .is_some_and(|e| e.contains("between 2 and 100 characters")),
            "{body}"
        );
    }
    let (status, _) = common::call_json(&app, Method::GET, "/api/v1/search", None, None).await;
    assert!(status.is_client_error());

    // The page, as a browser without JavaScript gets it.
    let page = "/search?q=%D0%BF%D1%80%D0%BE%D1%82%D0%BE%D0%BA%D0%BE%D0%BB";
    let (status, _, html) = common::call_raw(&app, page, None).await;
    let html = String::from_utf8_lossy(&html);
    assert_eq!(status, StatusCode::OK);
    // Leptos may put a hydration marker after the word, inside the mark.
    assert!(
        html.contains("<mark>ПРОТОКОЛ</mark>") || html.contains("<mark>ПРОТОКОЛ<!></mark>"),
        "{html}"
    );
}
