//! Versions over the real server: cut by a chair, immutable while drafters keep typing,
//! compared with each other and with the text now, and each bad input refused in words.

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::Fixture;
use domain::{
    api::{Change, Comparison, Version},
    document,
};
use serde_json::{json, Value};

fn error(body: &Value) -> String {
    body["error"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn a_chair_cuts_versions_that_stay_as_cut_and_compare_paragraph_by_paragraph() {
    let fx = Fixture::start().await;
    let app = accord_server::router(fx.server.state.clone());
    let chair = common::session(&app, "chair@example.org").await;
    let participant = common::session(&app, "participant@example.org").await;
    let path = |tail: &str| format!("/api/v1/documents/{}{tail}", fx.doc);
    let versions = path("/versions");
    let cut = |name: &str, cookie: &str| {
        let body = json!({ "name": name, "summary": "As discussed." });
        let (app, versions, cookie) = (app.clone(), versions.clone(), cookie.to_string());
        async move { common::call_json(&app, Method::POST, &versions, Some(&cookie), Some(body)).await }
    };
    let (status, body) = cut("draft-00", &chair).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let before = fx.server.detail(&fx.doc).await;

    // A drafter rewords a paragraph and deletes the last one.
    let mut drafter = fx.drafter_peer().await;
    drafter.settle(Duration::from_millis(300)).await;
    let p2 = before.paragraphs[2].id.clone();
    let last = before.paragraphs.last().expect("last").id.clone();
    let reworded = format!("{} Reworded since.", before.paragraphs[2].text);
    document::set_text(&mut drafter.doc, &p2, &reworded).expect("edit");
    document::delete(&mut drafter.doc, &last).expect("delete");
    drafter.doc.commit();
    drafter.settle(Duration::from_millis(300)).await;
    let (status, body) = cut("draft-01", &chair).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // draft-00 is the text as it was when cut.
    let (_, body) =
        common::call_json(&app, Method::GET, &path("/versions/draft-00"), None, None).await;
    let v: Version = serde_json::from_value(body).expect("version");
    assert_eq!(v.paragraphs, before.paragraphs);
    assert_eq!(v.about.heads, before.heads);

    let (_, body) = common::call_json(
        &app,
        Method::GET,
        &path("/compare?from=draft-00&to=draft-01"),
        None,
        None,
    )
    .await;
    let c: Comparison = serde_json::from_value(body).expect("comparison");
    let row = |id: &str| c.rows.iter().find(|r| r.paragraph == id).expect("row");
    assert_eq!(row(&p2).change, Change::Changed);
    assert!(
        row(&p2)
            .diff
            .iter()
            .any(|x| matches!(x, domain::api::Piece::Inserted(t) if t.contains("Reworded since."))),
        "{:?}",
        row(&p2).diff
    );
    assert_eq!(row(&last).change, Change::Deleted);
    assert_eq!(
        c.rows.iter().filter(|r| r.change == Change::Same).count(),
        before.paragraphs.len() - 2
    );

    // Against the text now, after more typing.
    document::splice(&mut drafter.doc, &p2, 0, 0, "Indeed, ").expect("type");
    drafter.doc.commit();
    drafter.settle(Duration::from_millis(300)).await;
    let (_, body) = common::call_json(
        &app,
        Method::GET,
        &path("/compare?from=draft-01&to=current"),
        None,
        None,
    )
    .await;
    let c: Comparison = serde_json::from_value(body).expect("comparison");
    let changed: Vec<&str> = c
        .rows
        .iter()
        .filter(|r| r.change != Change::Same)
        .map(|r| r.paragraph.as_str())
        .collect();
    assert_eq!(changed, vec![p2.as_str()]);

    let (_, list) = common::call_json(&app, Method::GET, &path("/versions"), None, None).await;
    let names: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|v| v["name"].as_str())
        .collect();
    assert_eq!(names, vec!["draft-00", "draft-01"]);
    let (_, record) = common::call_json(&app, Method::GET, &path("/record"), None, None).await;
    assert_eq!(record[1]["summary"], "Cut version draft-01");

    // Bad input, each refused in words; nothing is added.
    let (status, body) = cut("draft-00", &chair).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(error(&body).contains("never change"), "{body}");
    for name in ["Draft 2", "current", "", "../etc"] {
        let (status, body) = cut(name, &chair).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
    }
    let (status, _) = cut("draft-02", &participant).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = common::call_json(
        &app,
        Method::POST,
        &path("/versions"),
        Some(&chair),
        Some(json!({ "name": "draft-02", "summary": " " })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) =
        common::call_json(&app, Method::GET, &path("/versions/draft-99"), None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(error(&body).contains("draft-99"), "{body}");
    let (status, _) = common::call_json(
        &app,
        Method::GET,
        &path("/compare?from=draft-00&to=nope"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = common::call_json(
        &app,
        Method::GET,
        &path("/compare?from=draft-00"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, list) = common::call_json(&app, Method::GET, &path("/versions"), None, None).await;
    assert_eq!(list.as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn a_version_exports_as_markdown_html_and_rfc_style_text() {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let fx = Fixture::start().await;
    let app = accord_server::router(fx.server.state.clone());
    let chair = common::session(&app, "chair@example.org").await;
    let body = json!({ "name": "draft-00", "summary": "First." });
    let path = format!("/api/v1/documents/{}", fx.doc);
    let (status, _) = common::call_json(
        &app,
        Method::POST,
        &format!("{path}/versions"),
        Some(&chair),
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let get = |query: String| {
        let app = app.clone();
        async move {
            let req = axum::http::Request::get(query)
                .body(axum::body::Body::empty())
                .expect("request");
            let resp = app.oneshot(req).await.expect("response");
            let status = resp.status();
            let headers = resp.headers().clone();
            let body = resp.into_body().collect().await.expect("body").to_bytes();
            (status, headers, String::from_utf8_lossy(&body).into_owned())
        }
    };
    let detail = fx.server.detail(&fx.doc).await;
    let (status, headers, text) = get(format!("{path}/export?format=text&version=draft-00")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/plain; charset=utf-8");
    assert!(headers["content-disposition"]
        .to_str()
        .expect("header")
        .contains("draft-00.txt"));
    assert!(text.lines().all(|l| l.chars().count() <= 72), "{text}");
    assert!(
        text.contains("\n   1.   The mandate of the Forum"),
        "{text}"
    );
    let (_, headers, html) = get(format!("{path}/export?format=html&version=draft-00")).await;
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    assert!(html.contains("Version draft-00"));
    assert_eq!(
        html.matches("<div class=\"p").count(),
        detail
            .paragraphs
            .iter()
            .filter(|p| p.kind != domain::api::ParagraphKind::Heading)
            .count()
    );
    let (_, _, md) = get(format!("{path}/export?format=markdown&version=draft-00")).await;
    assert!(md.starts_with(&format!("# {}", detail.title)));
    // The text between versions is not published: only a chair exports it.
    let (status, _, _) = get(format!("{path}/export?format=markdown")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, md) = common::call_raw(
        &app,
        &format!("{path}/export?format=markdown"),
        Some(&chair),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&md).starts_with(&format!("# {}", detail.title)));
    let (status, _, body) = get(format!("{path}/export?format=pdf&version=draft-00")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("not an export format"), "{body}");
    let (status, _, _) = get(format!("{path}/export?format=html&version=draft-07")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = get(format!("{path}/export")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_paragraphs_history_shows_each_version_and_what_shaped_it() {
    let c = common::consultation::consultation().await;
    let p = c.paragraph.clone();
    let history = c
        .ok(
            Method::GET,
            &format!("/paragraphs/{p}/history"),
            &c.participant.clone(),
            Value::Null,
        )
        .await;
    let steps: Vec<(&str, &str)> = history["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            (
                s["version"].as_str().unwrap_or(""),
                s["change"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(steps, vec![("final", "new"), ("current", "same")]);
    let amendments = history["amendments"].as_array().expect("amendments");
    assert_eq!(amendments.len(), 1);
    assert_eq!(amendments[0]["status"], "rejected");
    assert_eq!(amendments[0]["decision"]["reason"], "It drops the mandate.");
    assert_eq!(
        history["answered"][0]["response"]["disposition"],
        "partly-accepted"
    );

    let (status, body) = c
        .call(
            Method::GET,
            "/paragraphs/no-such-paragraph/history",
            &c.participant.clone(),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(error(&body).contains("no-such-paragraph"), "{body}");
}
