//! Published outputs: numbers given once each under parallel publications, a published text
//! that nothing changes (and whose hash the record keeps), the threshold rule evaluated on
//! consultations made by hand (met, not met, overridden with a reason), links between numbers
//! read both ways, and the series an admin names.

mod common;

use std::sync::{
    atomic::{AtomicI64, Ordering},
    Arc,
};

use accord_server::AppState;
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

const T0: i64 = 1_800_000_000;
const DAY: i64 = 86_400;

struct World {
    app: axum::Router,
    state: AppState,
    now: Arc<AtomicI64>,
    chair: String,
    participant: String,
    drafter: String,
    admin: String,
    _dir: tempfile::TempDir,
}

async fn world() -> World {
    let dir = tempfile::tempdir().expect("tempdir");
    let (state, now) = common::state_at(dir.path(), T0).await;
    let app = accord_server::router(state.clone());
    World {
        chair: common::session(&app, "chair@example.org").await,
        participant: common::session(&app, "participant@example.org").await,
        drafter: common::session(&app, "drafter@example.org").await,
        admin: common::session(&app, "admin@example.org").await,
        app,
        state,
        now,
        _dir: dir,
    }
}

impl World {
    async fn call(
        &self,
        method: Method,
        path: &str,
        cookie: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        common::call_json(&self.app, method, path, cookie, body).await
    }

    /// A new document of the demo group with two paragraphs; its id.
    async fn document(&self, title: &str) -> String {
        let markdown = format!(
            "# {title}\n\n1. Every stakeholder group takes part.\n\n2. The text is reviewed every two years.\n"
        );
        let (status, body) = self
            .call(
                Method::POST,
                "/api/v1/documents",
                Some(&self.chair),
                Some(json!({ "markdown": markdown })),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["id"].as_str().expect("id").to_string()
    }

    async fn phase(&self, doc: &str, phase: &str) {
        let (status, body) = self
            .call(
                Method::POST,
                &format!("/api/v1/documents/{doc}/phase"),
                Some(&self.chair),
                Some(json!({ "phase": phase, "reason": "As planned." })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    async fn closed(&self, title: &str) -> String {
        let doc = self.document(title).await;
        self.phase(&doc, "closed").await;
        doc
    }

    async fn publish(&self, doc: &str, body: Value) -> (StatusCode, Value) {
        self.call(
            Method::POST,
            &format!("/api/v1/documents/{doc}/publication"),
            Some(&self.chair),
            Some(body),
        )
        .await
    }

    async fn paragraphs(&self, doc: &str) -> Vec<String> {
        let (outline, _) = self.state.rooms.outline(doc).await.expect("outline");
        outline.paragraphs.into_iter().map(|p| p.id).collect()
    }

    async fn stance(&self, doc: &str, paragraph: &str, cookie: &str, body: Value) {
        let path = format!("/api/v1/documents/{doc}/paragraphs/{paragraph}/stance");
        let (status, answer) = self
            .call(Method::PUT, &path, Some(cookie), Some(body))
            .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }

    async fn output(&self, n: u32) -> Value {
        let (status, body) = self
            .call(Method::GET, &format!("/api/v1/outputs/{n}"), None, None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }
}

#[tokio::test]
async fn numbers_are_given_once_each_and_in_order_under_parallel_publications() {
    let w = world().await;
    let mut docs = Vec::new();
    for i in 0..12 {
        docs.push(w.closed(&format!("Output {i}")).await);
    }
    // Every document published at once, and the first twice over.
    let requests = docs
        .iter()
        .chain(std::iter::once(&docs[0]))
        .map(|d| w.publish(d, json!({ "status": "Informational" })));
    let answers = futures::future::join_all(requests).await;
    let mut numbers: Vec<u64> = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .map(|(_, b)| b["summary"]["number"].as_u64().expect("number"))
        .collect();
    let refused: Vec<&Value> = answers
        .iter()
        .filter(|(s, _)| *s != StatusCode::CREATED)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0]["code"], "published-already");
    numbers.sort();
    assert_eq!(
        numbers,
        (1..=12).collect::<Vec<u64>>(),
        "none skipped, none twice"
    );
    // Each document became one number, and says so.
    for doc in &docs {
        let (status, body) = w
            .call(
                Method::GET,
                &format!("/api/v1/documents/{doc}/publication"),
                None,
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body["published"]["number"].is_u64(), "{body}");
        assert_eq!(body["may_publish"], false);
    }
}

#[tokio::test]
async fn a_published_text_never_changes_and_the_record_keeps_its_hash() {
    let w = world().await;
    let doc = w.closed("Norms for a resilient Internet").await;
    let (status, published) = w.publish(&doc, json!({ "status": "Recommendation" })).await;
    assert_eq!(status, StatusCode::CREATED, "{published}");
    let hash = published["text_hash"].as_str().expect("hash").to_string();
    let (outline, _) = w.state.rooms.outline(&doc).await.expect("outline");
    assert_eq!(hash, domain::series::text_hash(&outline));
    let record = w
        .call(
            Method::GET,
            &format!("/api/v1/documents/{doc}/record"),
            None,
            None,
        )
        .await
        .1;
    let entry = record
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["kind"] == "published")
        .expect("a publication entry");
    assert!(
        entry["summary"].as_str().expect("summary").contains(&hash),
        "{entry}"
    );
    assert!(entry["summary"].as_str().unwrap_or("").contains("OUT 1"));

    // No route writes to a number ...
    for method in [Method::PUT, Method::PATCH, Method::DELETE, Method::POST] {
        let (status, _) = w
            .call(
                method.clone(),
                "/api/v1/outputs/1",
                Some(&w.admin),
                Some(json!({})),
            )
            .await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
    // ... the database refuses to ...
    let pool = w.state.rooms.store().pool_for_tests();
    for sql in [
        "UPDATE outputs SET title = 'Other' WHERE number = 1",
        "DELETE FROM outputs WHERE number = 1",
    ] {
        assert!(sqlx::query(sql).execute(pool).await.is_err(), "{sql}");
    }
    // ... and reopening the document (which lets its text change again) leaves the number as
    // it was: it holds its own copy of the text.
    w.phase(&doc, "drafting").await;
    let again = w.output(1).await;
    assert_eq!(again["text"], published["text"]);
    assert_eq!(again["text_hash"], published["text_hash"]);
    // Published once: closing it again does not make a second number.
    w.phase(&doc, "closed").await;
    let (status, body) = w.publish(&doc, json!({ "status": "Recommendation" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "published-already");
}

#[tokio::test]
async fn the_threshold_rule_is_evaluated_met_not_met_and_overridden_with_a_reason() {
    let mut w = world().await;
    let group = accord_core::seed::DEMO_GROUP;
    let rule = json!({
        "no_unanswered_objections": true, "participants": 2, "regions": 2, "consultation_days": 14
    });
    let path = format!("/api/v1/groups/{group}/threshold");
    // A drafter may not set it; a chair may; so may an admin; asking too much is refused.
    let (status, _) = w
        .call(Method::PUT, &path, Some(&w.drafter), Some(rule.clone()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = w
        .call(
            Method::PUT,
            &path,
            Some(&w.admin),
            Some(json!({ "regions": 9 })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "condition-too-high");
    let (status, body) = w
        .call(Method::PUT, &path, Some(&w.chair), Some(rule.clone()))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["rule"]["participants"], 2);

    // A consultation that meets it: 15 days open, two people from two regions, no objection.
    let good = w.document("Met").await;
    w.phase(&good, "consultation").await;
    let p = w.paragraphs(&good).await;
    w.stance(&good, &p[0], &w.participant, json!({ "stance": "support" }))
        .await;
    w.stance(
        &good,
        &p[1],
        &w.drafter,
        json!({ "stance": "can-live-with" }),
    )
    .await;
    // A second, opened at the same time, where the participant objects and nobody answers.
    let bad = w.document("Not met").await;
    w.phase(&bad, "consultation").await;
    let q = w.paragraphs(&bad).await;
    w.stance(
        &bad,
        &q[0],
        &w.participant,
        json!({ "stance": "oppose", "reason": "Two years is too long." }),
    )
    .await;
    // The rule changes after both opened: they keep the rule they opened under.
    let (status, _) = w
        .call(
            Method::PUT,
            &path,
            Some(&w.chair),
            Some(json!({ "participants": 50 })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    w.now.fetch_add(15 * DAY, Ordering::SeqCst);
    // Two weeks on, the chair signs in again.
    w.chair = common::session(&w.app, "chair@example.org").await;
    w.phase(&good, "closed").await;
    w.phase(&bad, "closed").await;

    let (status, body) = w
        .call(
            Method::GET,
            &format!("/api/v1/documents/{good}/publication"),
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["evaluation"]["met"], true, "{body}");
    assert_eq!(body["evaluation"]["rule"]["participants"], 2);
    let conditions = body["evaluation"]["conditions"]
        .as_array()
        .expect("conditions");
    assert_eq!(conditions.len(), 4);
    let days = conditions
        .iter()
        .find(|c| c["condition"] == "consultation-days")
        .expect("days");
    assert_eq!(
        (days["found"].as_u64(), days["met"].as_bool()),
        (Some(15), Some(true))
    );
    let (status, body) = w.publish(&good, json!({ "status": "Best Practice" })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["evaluation"]["met"], true);
    assert!(body["override_reason"].is_null());

    let (_, body) = w
        .call(
            Method::GET,
            &format!("/api/v1/documents/{bad}/publication"),
            None,
            None,
        )
        .await;
    assert_eq!(body["evaluation"]["met"], false, "{body}");
    let failed: Vec<&str> = body["evaluation"]["conditions"]
        .as_array()
        .expect("conditions")
        .iter()
        .filter(|c| c["met"] == false)
        .map(|c| c["condition"].as_str().expect("key"))
        .collect();
    assert_eq!(
        failed,
        vec!["no-unanswered-objections", "participants", "regions"]
    );
    // Not met: refused without a reason, and nothing is published.
    let (status, body) = w.publish(&bad, json!({ "status": "Best Practice" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "threshold-not-met");
    let (_, index) = w.call(Method::GET, "/api/v1/outputs", None, None).await;
    assert_eq!(index["outputs"].as_array().map(Vec::len), Some(1));
    // With the chair's reason it is published, and says so, as does the record.
    let reason = "The plenary heard the objection and agreed to publish.";
    let (status, body) = w
        .publish(
            &bad,
            json!({ "status": "Informational", "override_reason": reason }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["override_reason"], reason);
    assert_eq!(body["evaluation"]["met"], false);
    let record = w
        .call(
            Method::GET,
            &format!("/api/v1/documents/{bad}/record"),
            None,
            None,
        )
        .await
        .1;
    let entry = record
        .as_array()
        .and_then(|r| r.iter().find(|e| e["kind"] == "published"))
        .expect("entry")
        .clone();
    assert!(
        entry["reason"].as_str().unwrap_or("").contains(reason),
        "{entry}"
    );
    assert!(
        entry["summary"]
            .as_str()
            .unwrap_or("")
            .contains("Participants: 1 of 2 (not met)"),
        "{entry}"
    );
    // The text as published says it too, in every format.
    let (status, _, text) =
        common::call_raw(&w.app, "/api/v1/outputs/2/export?format=text", None).await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(text).expect("utf-8");
    assert!(text.contains(reason), "{text}");
    assert!(
        text.lines().next().unwrap_or("").ends_with("OUT 2"),
        "{text}"
    );
}

#[tokio::test]
async fn updates_and_obsoletes_are_read_both_ways() {
    let w = world().await;
    let first = w.closed("First").await;
    let second = w.closed("Second").await;
    let third = w.closed("Third").await;
    let (status, _) = w
        .publish(&first, json!({ "status": "Recommendation" }))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    // Unknown numbers, a number named twice, a status not in the series: refused.
    for (body, code) in [
        (
            json!({ "status": "Recommendation", "obsoletes": [7] }),
            "unknown",
        ),
        (
            json!({ "status": "Recommendation", "obsoletes": [1], "updates": [1] }),
            "choose",
        ),
        (json!({ "status": "Proposed Standard" }), "not-a-status"),
    ] {
        let (status, answer) = w.publish(&second, body).await;
        assert_eq!(status.as_u16() / 100, 4, "{answer}");
        assert_eq!(answer["code"], code, "{answer}");
    }
    let (status, body) = w
        .publish(
            &second,
            json!({ "status": "Recommendation", "obsoletes": [1] }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["summary"]["obsoletes"], json!([1]));
    let (status, _) = w
        .publish(&third, json!({ "status": "Informational", "updates": [2] }))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let one = w.output(1).await;
    assert_eq!(one["summary"]["obsoleted_by"], json!([2]));
    let two = w.output(2).await;
    assert_eq!(two["summary"]["obsoletes"], json!([1]));
    assert_eq!(two["summary"]["updated_by"], json!([3]));
    // The index, newest first, filtered by status and by words.
    let (_, index) = w.call(Method::GET, "/api/v1/outputs", None, None).await;
    let labels: Vec<&str> = index["outputs"]
        .as_array()
        .expect("outputs")
        .iter()
        .map(|o| o["label"].as_str().expect("label"))
        .collect();
    assert_eq!(labels, vec!["OUT 3", "OUT 2", "OUT 1"]);
    let (_, found) = w
        .call(
            Method::GET,
            "/api/v1/outputs?status=Informational",
            None,
            None,
        )
        .await;
    assert_eq!(found["outputs"].as_array().map(Vec::len), Some(1));
    let (_, found) = w
        .call(Method::GET, "/api/v1/outputs?q=secon", None, None)
        .await;
    assert_eq!(found["outputs"][0]["number"], 2);
    let (status, body) = w
        .call(Method::GET, "/api/v1/outputs?surprise=1", None, None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = w.call(Method::GET, "/api/v1/outputs/99", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The Markdown's front matter names the links both ways.
    let (_, _, md) =
        common::call_raw(&w.app, "/api/v1/outputs/2/export?format=markdown", None).await;
    let md = String::from_utf8(md).expect("utf-8");
    assert!(md.starts_with("---\ntitle: \"Second\"\n"), "{md}");
    assert!(md.contains("obsoletes: [\"OUT 1\"]"), "{md}");
    assert!(md.contains("updated_by: [\"OUT 3\"]"), "{md}");
    // Citations.
    let (status, _, bib) =
        common::call_raw(&w.app, "/api/v1/outputs/2/citation?format=bibtex", None).await;
    assert_eq!(status, StatusCode::OK);
    let bib = String::from_utf8(bib).expect("utf-8");
    assert!(bib.starts_with("@techreport{out-2,"), "{bib}");
    assert!(
        bib.contains("url = {http://accord.test/outputs/2}"),
        "{bib}"
    );
    let (_, _, csl) = common::call_raw(&w.app, "/api/v1/outputs/2/citation?format=csl", None).await;
    let csl: Value = serde_json::from_slice(&csl).expect("CSL-JSON");
    assert_eq!(csl[0]["number"], "OUT 2");
    assert_eq!(csl[0]["type"], "report");
}

#[tokio::test]
async fn the_consultation_names_the_number_it_became_and_the_feed_names_itself() {
    let w = world().await;
    let doc = w.closed("Named").await;
    let path = format!("/api/v1/documents/{doc}");
    let (_, before) = w.call(Method::GET, &path, Some(&w.chair), None).await;
    assert_eq!(before["published"], Value::Null);
    assert_eq!(before["you_may_publish"], true, "a chair may publish it");
    let (_, read) = w.call(Method::GET, &path, Some(&w.participant), None).await;
    assert_eq!(read["you_may_publish"], false, "a participant may not");
    let (status, _) = w.publish(&doc, json!({ "status": "Recommendation" })).await;
    assert_eq!(status, StatusCode::CREATED);
    // The document's detail (its page and its versions page read it) ...
    for cookie in [None, Some(w.chair.as_str())] {
        let (_, after) = w.call(Method::GET, &path, cookie, None).await;
        assert_eq!(after["published"], json!({ "number": 1, "label": "OUT 1" }));
        assert_eq!(after["you_may_publish"], false, "published once");
    }
    // ... and its report, under the title, with the permanent address.
    let (status, _, html) =
        common::call_raw(&w.app, &format!("{path}/report?format=html"), None).await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8(html).expect("utf-8");
    assert!(
        html.contains("Published as OUT 1: http://accord.test/outputs/1"),
        "{html}"
    );
    // The feed's link to itself is the address it is served at.
    let (status, _, feed) = common::call_raw(&w.app, "/outputs.atom", None).await;
    assert_eq!(status, StatusCode::OK);
    let feed = String::from_utf8(feed).expect("utf-8");
    assert!(
        feed.contains("href=\"http://accord.test/outputs.atom\" rel=\"self\""),
        "{feed}"
    );
}

#[tokio::test]
async fn only_an_admin_names_the_series_and_numbers_keep_what_they_were_published_under() {
    let w = world().await;
    let doc = w.closed("Before the rename").await;
    let (status, _) = w.publish(&doc, json!({ "status": "Historic" })).await;
    assert_eq!(status, StatusCode::CREATED);
    let series = json!({
        "name": "IGF Outputs", "prefix": "IGF-O",
        "statuses": ["Recommendation", "Best Practice", "Informational", "Historic"]
    });
    for cookie in [&w.chair, &w.participant] {
        let (status, _) = w
            .call(
                Method::PUT,
                "/api/v1/series",
                Some(cookie),
                Some(series.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, _) = w
        .call(Method::PUT, "/api/v1/series", None, Some(series.clone()))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = w
        .call(
            Method::PUT,
            "/api/v1/series",
            Some(&w.admin),
            Some(json!({ "name": "X", "prefix": "9 lives", "statuses": ["A"] })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "not-a-prefix");
    let (status, body) = w
        .call(
            Method::PUT,
            "/api/v1/series",
            Some(&w.admin),
            Some(series.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let next = w.closed("After the rename").await;
    let (status, body) = w
        .publish(&next, json!({ "status": "Recommendation" }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["summary"]["label"], "IGF-O 2");
    assert_eq!(w.output(1).await["summary"]["label"], "OUT 1");
    // Only a closed text, only by a chair.
    let open = w.document("Still drafting").await;
    let (status, body) = w
        .publish(&open, json!({ "status": "Recommendation" }))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "phase-forbids");
    let done = w.closed("Closed").await;
    let (status, _) = w
        .call(
            Method::POST,
            &format!("/api/v1/documents/{done}/publication"),
            Some(&w.drafter),
            Some(json!({ "status": "Recommendation" })),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
