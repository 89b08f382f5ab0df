//! The server-rendered pages against hostile words: every form that comes prefilled with
//! stored text (a paragraph, a comment, a reason, an amendment's wording) is parsed as a
//! browser would, and the words stay words.

mod common;

use axum::http::{Method, StatusCode};
use scraper::{Html, Selector};
use serde_json::{json, Value};

/// What a hostile participant writes, everywhere they may.
const HOSTILE: &str = r#"</textarea><meta http-equiv="refresh" content="0;url=https://evil.example/"><b id="xss">&amp;</b><script>alert(1)</script>"#;

/// Parses a page and checks that nothing of [`HOSTILE`] became markup; returns how many of its
/// textareas hold the hostile words exactly.
fn parse(page: &str, html: &[u8]) -> usize {
    let html = Html::parse_document(&String::from_utf8_lossy(html));
    let found = |css: &str| {
        html.select(&Selector::parse(css).expect("selector"))
            .count()
    };
    assert_eq!(
        found("meta[http-equiv]"),
        0,
        "{page}: a meta refresh was injected"
    );
    assert_eq!(found("#xss"), 0, "{page}: an element was injected");
    let inline = Selector::parse("script:not([src])").expect("selector");
    // The hostile words may sit inside the page's own data scripts, as a string; a script of
    // their own would be an injection.
    for s in html.select(&inline) {
        assert_ne!(
            s.inner_html().trim(),
            "alert(1)",
            "{page}: a script was injected"
        );
    }
    let textareas = Selector::parse("textarea").expect("selector");
    html.select(&textareas)
        .filter(|t| t.text().collect::<String>().trim() == HOSTILE)
        .count()
}

#[tokio::test]
async fn every_prefilled_form_keeps_hostile_words_as_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = common::Server::start(dir.path()).await;
    let app = accord_server::router(server.state.clone());
    let drafter = common::session(&app, "drafter@example.org").await;
    let participant = common::session(&app, "participant@example.org").await;
    let chair = common::session(&app, "chair@example.org").await;
    let call = |method: Method, path: String, cookie: &str, body: Value| {
        let (app, cookie) = (app.clone(), cookie.to_string());
        async move {
            let (status, body) =
                common::call_json(&app, method, &path, Some(&cookie), Some(body)).await;
            assert!(status.is_success(), "{path}: {status} {body}");
            body
        }
    };

    let created = call(
        Method::POST,
        "/api/v1/documents".into(),
        &drafter,
        json!({ "title": "Hostile", "markdown": format!("1. {HOSTILE}\n") }),
    )
    .await;
    let doc = created["id"].as_str().expect("id").to_string();
    let detail = call(
        Method::GET,
        format!("/api/v1/documents/{doc}"),
        &drafter,
        Value::Null,
    )
    .await;
    let p = detail["paragraphs"][0]["id"]
        .as_str()
        .expect("paragraph")
        .to_string();
    assert_eq!(
        detail["paragraphs"][0]["text"], HOSTILE,
        "the words are stored as written"
    );
    let heads = detail["heads"].clone();
    let base = format!("/api/v1/documents/{doc}");
    call(
        Method::POST,
        format!("{base}/paragraphs/{p}/comments"),
        &participant,
        json!({ "body": HOSTILE }),
    )
    .await;
    call(
        Method::PUT,
        format!("{base}/paragraphs/{p}/stance"),
        &participant,
        json!({ "stance": "oppose", "reason": HOSTILE }),
    )
    .await;
    let amendment = call(
        Method::POST,
        format!("{base}/amendments"),
        &participant,
        json!({ "base": heads, "rationale": HOSTILE,
                "edits": [{ "kind": "replace", "paragraph": p, "text": format!("{HOSTILE} Amended.") }] }),
    )
    .await;
    let id = amendment["id"].as_i64().expect("amendment");
    call(
        Method::PUT,
        format!("{base}/amendments/{id}/stance"),
        &participant,
        json!({ "stance": "oppose", "reason": HOSTILE }),
    )
    .await;

    let mut prefilled = 0;
    for (page, cookie) in [
        (format!("/documents/{doc}?p={p}"), &participant),
        (format!("/documents/{doc}/amendments"), &participant),
        (format!("/documents/{doc}/amendments"), &chair),
        (format!("/documents/{doc}"), &drafter),
        (format!("/documents/{doc}/consensus"), &chair),
    ] {
        let (status, _, html) = common::call_raw(&app, &page, Some(cookie)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        prefilled += parse(&page, &html);
    }
    // The comment to reword, the stance's reason, the proposal's paragraph, the amendment
    // stance's reason: each form shows the words as they were written.
    assert!(prefilled >= 4, "{prefilled} prefilled forms held the words");
}
