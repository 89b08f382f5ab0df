//! What a chair publishes, read back by independent readers (python-docx and Python's HTML
//! parser, `e2e/read-export.py`): a version as DOCX with its numbered paragraphs, headings and
//! endorsements; the consultation report as DOCX and HTML with every comment's outcome. Also
//! who may export what, endorsements, and each bad input refused in words.

mod common;

use axum::http::{Method, StatusCode};
use common::{consultation::consultation, Fixture};
use domain::api::ParagraphKind;
use serde_json::{json, Value};

fn texts(blocks: &[Value]) -> Vec<String> {
    blocks
        .iter()
        .filter_map(|b| b["text"].as_str().map(str::to_string))
        .collect()
}

fn list_items(blocks: &[Value]) -> Vec<&str> {
    blocks
        .iter()
        .filter(|b| b["list"] == true)
        .filter_map(|b| b["text"].as_str())
        .collect()
}

fn tables(blocks: &[Value]) -> Vec<Vec<Vec<String>>> {
    blocks
        .iter()
        .filter_map(|b| serde_json::from_value(b["table"].clone()).ok())
        .collect()
}

#[tokio::test]
async fn a_closed_texts_endorsements_version_docx_and_report_read_back_independently() {
    let c = consultation().await;
    let (chair, participant) = (c.chair.clone(), c.participant.clone());

    // Endorsements: once each, for oneself or an organisation; bad input changes nothing.
    c.ok(
        Method::POST,
        "/endorsements",
        &participant,
        json!({ "on_behalf_of": "Internet Society" }),
    )
    .await;
    let (status, body) = c
        .call(Method::POST, "/endorsements", &participant, json!({}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    for bad in [
        json!({ "on_behalf_of": "A\u{7}B" }),
        json!({ "on_behalf_of": "x".repeat(201) }),
        json!({ "org": "x" }),
    ] {
        let (status, body) = c
            .call(Method::POST, "/endorsements", &chair, bad.clone())
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
    }
    let listed = c.ok(Method::POST, "/endorsements", &chair, json!({})).await;
    let lines: Vec<&str> = listed["endorsements"]
        .as_array()
        .expect("endorsements")
        .iter()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert_eq!(lines.len(), 2, "{listed}");
    assert_eq!(listed["yours"]["on_behalf_of"], Value::Null);

    // The final version as DOCX, anonymously: a published text.
    let (status, headers, docx) =
        common::call_raw(&c.app, &c.path("/export?format=docx&version=final"), None).await;
    assert_eq!(status, StatusCode::OK);
    // Named by the title, not the document's id (journeys: "dm7bzetyxnn3t-final.docx").
    let disposition = headers["content-disposition"].to_str().expect("header");
    assert!(
        disposition.contains(
            "filename=\"draft-recommendations-on-written-outputs-of-the-forum-final.docx\""
        ),
        "{disposition}"
    );
    let read = common::read_export("docx", &docx);
    assert_eq!(common::styled(&read, "Title"), vec![c.detail.title.trim()]);
    let headings: Vec<&str> = c
        .detail
        .paragraphs
        .iter()
        .filter(|p| p.kind == ParagraphKind::Heading)
        .map(|p| p.text.trim())
        .chain(["Endorsed by"])
        .collect();
    assert_eq!(common::styled(&read, "Heading 2"), headings);
    let numbered: Vec<String> = c
        .detail
        .paragraphs
        .iter()
        .filter(|p| p.kind != ParagraphKind::Heading)
        .map(|p| match &p.number {
            Some(n) => format!("{n}\t{}", p.text.trim()),
            None => p.text.trim().to_string(),
        })
        .collect();
    let body = texts(&read);
    let at = body
        .iter()
        .position(|t| *t == numbered[0])
        .unwrap_or_else(|| panic!("{:?} not in {body:?}", numbered[0]));
    let found: Vec<&String> = body[at..].iter().filter(|t| numbered.contains(t)).collect();
    assert_eq!(found.len(), numbered.len(), "every paragraph, in order");
    assert_eq!(list_items(&read).len(), 2, "both endorsements");
    assert!(list_items(&read)
        .iter()
        .any(|i| i.ends_with(", on behalf of Internet Society")));

    // The report as DOCX, anonymously once closed.
    let (status, _, docx) = common::call_raw(&c.app, &c.path("/report?format=docx"), None).await;
    assert_eq!(status, StatusCode::OK);
    let read = common::read_export("docx", &docx);
    let title = format!("Consultation report: {}", c.detail.title.trim());
    assert_eq!(common::styled(&read, "Title"), vec![title.as_str()]);
    assert_eq!(
        common::styled(&read, "Heading 2"),
        vec![
            "Participation",
            "Paragraph by paragraph",
            "Amendments",
            "Versions",
            "Decision record",
            "Endorsed by"
        ]
    );
    let items = list_items(&read);
    let comment = items
        .iter()
        .find(|i| i.contains("Name the <b>bodies</b> & their mandates."))
        .expect("the comment, as written");
    assert!(
        comment.contains("Partly accepted by") && comment.ends_with("Named in the annex."),
        "{comment}"
    );
    assert!(items.iter().any(|i| i.contains("Objection by")
        && i.contains("Too vague on funding.")
        && i.ends_with("not yet answered")));
    assert!(items.iter().any(|i| i.contains("Shorter is clearer.")
        && i.contains("Rejected by")
        && i.ends_with("It drops the mandate.")));
    let tables = tables(&read);
    let (_, record) = common::call_json(&c.app, Method::GET, &c.path("/record"), None, None).await;
    let record_table = tables
        .iter()
        .find(|t| t[0] == ["No.", "When", "Who", "What", "Why"])
        .expect("the decision record");
    assert_eq!(
        record_table.len() - 1,
        record.as_array().map(Vec::len).unwrap_or_default()
    );
    assert!(record_table.iter().any(|r| r[3] == "Cut version final"));
    let versions = tables
        .iter()
        .find(|t| t[0][0] == "Version")
        .expect("the versions");
    assert_eq!(versions[1][0], "final");
    let groups = &tables[0];
    assert_eq!(groups[0][0], "Stakeholder group");
    let total: u32 = groups[1..]
        .iter()
        .filter_map(|r| r[1].parse::<u32>().ok())
        .sum();
    let (_, feedback) =
        common::call_json(&c.app, Method::GET, &c.path("/feedback"), None, None).await;
    assert_eq!(
        Some(u64::from(total)),
        feedback["balance"]["participants"]["total"].as_u64()
    );

    // The same report as HTML, parsed: the same sections, the comment escaped on the way.
    let (status, headers, html) =
        common::call_raw(&c.app, &c.path("/report?format=html"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    // It opens in the browser, where nothing but its own styles may run.
    assert!(headers["content-disposition"]
        .to_str()
        .expect("header")
        .starts_with("inline"));
    assert_eq!(
        headers["content-security-policy"],
        "default-src 'none'; style-src 'unsafe-inline'"
    );
    assert!(!String::from_utf8_lossy(&html).contains("<b>bodies</b>"));
    let read = common::read_export("html", &html);
    assert_eq!(common::styled(&read, "h2").len(), 6);
    assert!(list_items(&read)
        .iter()
        .any(|i| i.contains("Name the <b>bodies</b> & their mandates.")));

    // Withdrawing an endorsement takes it out of the next export.
    c.ok(Method::DELETE, "/endorsements", &chair, Value::Null)
        .await;
    let (status, _) = c
        .call(Method::DELETE, "/endorsements", &chair, Value::Null)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, _, text) =
        common::call_raw(&c.app, &c.path("/export?format=text&version=final"), None).await;
    let text = String::from_utf8_lossy(&text);
    assert!(text.contains("Endorsed by") && text.contains("on behalf of Internet Society"));
    assert_eq!(text.matches("\n   - ").count(), 1, "{text}");
}

#[tokio::test]
async fn unpublished_text_and_the_working_report_are_the_chairs() {
    let fx = Fixture::start().await;
    let app = accord_server::router(fx.server.state.clone());
    let chair = common::session(&app, "chair@example.org").await;
    let participant = common::session(&app, "participant@example.org").await;
    let path = |tail: &str| format!("/api/v1/documents/{}{tail}", fx.doc);

    for (tail, who, expected) in [
        ("/export?format=docx", None, StatusCode::UNAUTHORIZED),
        (
            "/export?format=docx",
            Some(&participant),
            StatusCode::FORBIDDEN,
        ),
        ("/export?format=docx", Some(&chair), StatusCode::OK),
        ("/report?format=html", None, StatusCode::UNAUTHORIZED),
        (
            "/report?format=html",
            Some(&participant),
            StatusCode::FORBIDDEN,
        ),
        ("/report?format=docx", Some(&chair), StatusCode::OK),
        (
            "/report?format=text",
            Some(&chair),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("/report", Some(&chair), StatusCode::UNPROCESSABLE_ENTITY),
        (
            "/export?format=docx&version=final",
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            "/export?format=pdf&version=x",
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let (status, _, body) = common::call_raw(&app, &path(tail), who.map(String::as_str)).await;
        assert_eq!(
            status,
            expected,
            "{tail}: {}",
            String::from_utf8_lossy(&body)
        );
    }
    // The chair's working report already reads back, before anyone has taken part.
    let (_, _, docx) = common::call_raw(&app, &path("/report?format=docx"), Some(&chair)).await;
    let read = common::read_export("docx", &docx);
    assert!(texts(&read)
        .iter()
        .any(|t| t == "No version has been cut yet."));

    // Endorsing is for closed texts only, and only signed in.
    let (status, body) = common::call_json(
        &app,
        Method::POST,
        &path("/endorsements"),
        Some(&participant),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("drafting"),
        "{body}"
    );
    let (_, list) = common::call_json(&app, Method::GET, &path("/endorsements"), None, None).await;
    assert_eq!(list["endorsements"], json!([]));
    assert_eq!(list["you_may_endorse"], false);
}

#[tokio::test]
async fn a_closed_text_is_settled_and_reopening_lets_its_endorsements_lapse() {
    let c = consultation().await;
    let (chair, participant) = (c.chair.clone(), c.participant.clone());
    c.ok(
        Method::POST,
        "/endorsements",
        &participant,
        json!({ "on_behalf_of": "ISOC" }),
    )
    .await;
    // Closed: no more responses, no more versions.
    let (status, body) = c
        .call(
            Method::POST,
            "/versions",
            &chair,
            json!({ "name": "final-2", "summary": "After closing." }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "phase-forbids", "{body}");
    let p = c.paragraph.clone();
    let thread = c
        .ok(
            Method::GET,
            &format!("/paragraphs/{p}/feedback"),
            &chair,
            Value::Null,
        )
        .await;
    let comment = thread["comments"][0]["id"].as_i64().expect("comment");
    let (status, body) = c
        .call(
            Method::POST,
            &format!("/comments/{comment}/response"),
            &chair,
            json!({ "disposition": "answered", "reason": "Late." }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    // Reopened: the endorsement was of the closed text, and lapses, on the record.
    c.phase("consultation").await;
    let endorsements = c
        .ok(Method::GET, "/endorsements", &chair, Value::Null)
        .await;
    assert_eq!(endorsements["endorsements"], json!([]), "{endorsements}");
    let record = c.ok(Method::GET, "/record", &chair, Value::Null).await;
    let last = record.as_array().and_then(|r| r.last()).expect("entry");
    let summary = last["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains("endorsements") && summary.contains("ISOC"),
        "{summary}"
    );
}
