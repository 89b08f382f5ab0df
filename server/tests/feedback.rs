//! Paragraph feedback over the real server: comments, stances, responses and moderation, with
//! the role rules, every bad input, and the live announcement to connected viewers. The
//! database is a real SQLite file; live updates and deletions travel over real WebSockets.

mod common;

use std::time::Duration;

use axum::{
    http::{Method, StatusCode},
    Router,
};
use common::{Fixture, Peer};
use domain::{
    anchor,
    api::{Comment, DocumentFeedback, ParagraphConsensus, ServerFrame, Thread},
    document,
};
use serde_json::{json, Value};

struct World {
    fx: Fixture,
    app: Router,
    doc: String,
    /// Live paragraph ids, in order.
    paragraphs: Vec<String>,
    participant: String,
    chair: String,
    /// The chair of another group: a reader here.
    outsider: String,
}

async fn world() -> World {
    let fx = Fixture::start().await;
    let app = accord_server::router(fx.server.state.clone());
    let store = fx.server.state.rooms.store();
    common::add_member(
        store,
        "outsider@example.org",
        "bpf-outcomes",
        domain::api::Role::Reader,
    )
    .await;
    let participant = common::session(&app, "participant@example.org").await;
    let chair = common::session(&app, "chair@example.org").await;
    let outsider = common::session(&app, "outsider@example.org").await;
    let doc = fx.doc.clone();
    let paragraphs = fx
        .server
        .detail(&doc)
        .await
        .paragraphs
        .into_iter()
        .map(|p| p.id)
        .collect();
    World {
        fx,
        app,
        doc,
        paragraphs,
        participant,
        chair,
        outsider,
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

    fn para(&self, i: usize) -> String {
        format!(
            "/api/v1/documents/{}/paragraphs/{}",
            self.doc, self.paragraphs[i]
        )
    }

    async fn comment(&self, cookie: &str, i: usize, body: Value) -> (StatusCode, Value) {
        let path = format!("{}/comments", self.para(i));
        self.call(Method::POST, &path, Some(cookie), Some(body))
            .await
    }

    async fn stance(&self, cookie: &str, i: usize, body: Value) -> (StatusCode, Value) {
        let path = format!("{}/stance", self.para(i));
        self.call(Method::PUT, &path, Some(cookie), Some(body))
            .await
    }

    async fn thread(&self, cookie: Option<&str>, i: usize) -> Thread {
        let path = format!("{}/feedback", self.para(i));
        let (status, body) = self.call(Method::GET, &path, cookie, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value(body).expect("thread")
    }

    async fn map(&self) -> DocumentFeedback {
        let path = format!("/api/v1/documents/{}/feedback", self.doc);
        let (status, body) = self.call(Method::GET, &path, None, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value(body).expect("feedback")
    }

    /// Everything stored about feedback, to show a refused request changed nothing.
    async fn fingerprint(&self) -> Vec<i64> {
        let pool = self.fx.server.state.rooms.store().pool_for_tests();
        let mut out = Vec::new();
        for table in [
            "comments",
            "comment_edits",
            "stance_history",
            "stances",
            "responses",
        ] {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(pool)
                .await
                .expect("count");
            out.push(n);
        }
        let hidden: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM comments WHERE hidden_at IS NOT NULL")
                .fetch_one(pool)
                .await
                .expect("count");
        out.push(hidden);
        out
    }
}

fn error(body: &Value) -> String {
    body["error"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn a_participant_comments_and_everyone_reads_it_with_the_count() {
    let w = world().await;
    let (status, body) = w
        .comment(
            &w.participant,
            1,
            json!({ "body": "Please cite the 2023 report." }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let c: Comment = serde_json::from_value(body).expect("comment");
    assert!(c.editable, "its author may edit it");
    let t = w.thread(None, 1).await;
    assert_eq!(t.comments.len(), 1);
    assert_eq!(
        t.comments[0].body.as_deref(),
        Some("Please cite the 2023 report.")
    );
    assert!(!t.comments[0].editable, "a reader may not edit it");
    assert!(!t.you_may_comment);
    let map = w.map().await;
    assert_eq!(map.paragraphs.len(), w.paragraphs.len());
    assert_eq!(map.paragraphs[1].comments, 1);
    assert_eq!(map.paragraphs[1].open_comments, 1);
    assert_eq!(map.balance.participants.total, 1);
}

#[tokio::test]
async fn every_refusal_carries_its_stable_code_beside_its_words() {
    let w = world().await;
    let cases = [
        (
            w.comment(&w.participant, 1, json!({ "body": "x".repeat(5001) }))
                .await,
            "text-too-long",
        ),
        (
            w.comment(&w.participant, 1, json!({ "body": " " })).await,
            "text-empty",
        ),
        (
            w.stance(&w.participant, 1, json!({ "stance": "oppose" }))
                .await,
            "objection-needs-reason",
        ),
        (
            w.comment(&w.participant, 1, json!({ "body": "x", "parent": 999_999 }))
                .await,
            "unknown",
        ),
        (
            w.call(
                Method::POST,
                &format!("{}/comments", w.para(1)),
                None,
                Some(json!({ "body": "x" })),
            )
            .await,
            "sign-in",
        ),
    ];
    for ((status, body), code) in cases {
        assert!(status.is_client_error(), "{code}: {status}");
        assert_eq!(body["code"], code, "{body}");
        assert!(!error(&body).is_empty(), "{body}");
    }
}

#[tokio::test]
async fn a_reader_cannot_comment_or_state_a_stance_and_nothing_is_stored() {
    let w = world().await;
    let before = w.fingerprint().await;
    let path = format!("{}/comments", w.para(0));
    let (status, _) = w
        .call(Method::POST, &path, None, Some(json!({ "body": "hi" })))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = w.comment(&w.outsider, 0, json!({ "body": "hi" })).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a signed-in non-member reads"
    );
    let (status, _) = w
        .stance(&w.outsider, 0, json!({ "stance": "support" }))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(w.fingerprint().await, before);
}

#[tokio::test]
async fn bad_feedback_input_gets_a_4xx_that_says_what_is_wrong_and_changes_nothing() {
    let w = world().await;
    let (_, first) = w
        .comment(&w.participant, 0, json!({ "body": "first" }))
        .await;
    let first = first["id"].as_i64().expect("id");
    let before = w.fingerprint().await;
    let doc = &w.doc;
    let p = &w.paragraphs[0];
    let cases: Vec<(Method, String, Value, StatusCode, &str)> = vec![
        (
            Method::POST,
            format!("/api/v1/documents/{doc}/paragraphs/pnope/comments"),
            json!({"body": "x"}),
            StatusCode::NOT_FOUND,
            "unknown paragraph 'pnope'",
        ),
        (
            Method::POST,
            format!("/api/v1/documents/{doc}/paragraphs/%3Cscript%3E/comments"),
            json!({"body": "x"}),
            StatusCode::NOT_FOUND,
            "unknown paragraph",
        ),
        (
            Method::PUT,
            format!("/api/v1/documents/{doc}/paragraphs/pnope/stance"),
            json!({"stance": "support"}),
            StatusCode::NOT_FOUND,
            "unknown paragraph 'pnope'",
        ),
        (
            Method::POST,
            format!("/api/v1/documents/dnope/paragraphs/{p}/comments"),
            json!({"body": "x"}),
            StatusCode::NOT_FOUND,
            "unknown document 'dnope'",
        ),
        (
            Method::POST,
            format!("/api/v1/documents/{doc}/paragraphs/{p}/comments"),
            json!({"body": "   "}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "comment is empty",
        ),
        (
            Method::POST,
            format!("/api/v1/documents/{doc}/paragraphs/{p}/comments"),
            json!({"body": "x".repeat(5001)}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "the limit is 5000",
        ),
        (
            Method::POST,
            format!("/api/v1/documents/{doc}/paragraphs/{p}/comments"),
            json!({"body": "bell\u{7}"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "control characters",
        ),
        (
            Method::POST,
            format!("/api/v1/documents/{doc}/paragraphs/{p}/comments"),
            json!({"body": "x", "parent": 999_999}),
            StatusCode::NOT_FOUND,
            "unknown comment 999999",
        ),
        (
            Method::POST,
            format!(
                "/api/v1/documents/{doc}/paragraphs/{}/comments",
                w.paragraphs[2]
            ),
            json!({"body": "x", "parent": first}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "on another paragraph",
        ),
        (
            Method::POST,
            format!("/api/v1/documents/{doc}/paragraphs/{p}/comments"),
            json!({"body": "x", "anchor": {"first": "é@zz", "last": "1@00"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "select it again",
        ),
        (
            Method::POST,
            format!("/api/v1/documents/{doc}/paragraphs/{p}/comments"),
            json!({"body": "x", "surprise": true}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown field",
        ),
        (
            Method::PUT,
            format!("/api/v1/documents/{doc}/paragraphs/{p}/stance"),
            json!({"stance": "oppose"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "an objection needs a reason",
        ),
        (
            Method::PUT,
            format!("/api/v1/documents/{doc}/paragraphs/{p}/stance"),
            json!({"stance": "maybe"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown variant",
        ),
        (
            Method::PATCH,
            format!("/api/v1/documents/{doc}/comments/abc"),
            json!({"body": "x"}),
            StatusCode::NOT_FOUND,
            "unknown comment 'abc'",
        ),
        (
            Method::PATCH,
            format!("/api/v1/documents/{doc}/comments/{first}"),
            json!({"body": ""}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "comment is empty",
        ),
    ];
    for (method, path, body, status, words) in cases {
        let (got, answer) = w
            .call(
                method.clone(),
                &path,
                Some(&w.participant),
                Some(body.clone()),
            )
            .await;
        assert_eq!(got, status, "{method} {path} {body}: {answer}");
        assert!(
            error(&answer).contains(words),
            "{method} {path}: {answer} should say {words:?}"
        );
    }
    assert_eq!(w.fingerprint().await, before);
}

#[tokio::test]
async fn a_second_stance_replaces_the_first_and_the_history_is_kept() {
    let w = world().await;
    let (status, body) = w
        .stance(&w.participant, 0, json!({ "stance": "support" }))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = w
        .stance(
            &w.participant,
            0,
            json!({ "stance": "oppose", "reason": "Too vague on funding." }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let figures: ParagraphConsensus = serde_json::from_value(body).expect("figures");
    assert_eq!((figures.tally.support, figures.tally.oppose), (0, 1));
    assert_eq!(figures.unanswered_objections, 1);
    let store = w.fx.server.state.rooms.store();
    let account = store
        .account_by_login("participant@example.org")
        .await
        .expect("db")
        .expect("account")
        .0
        .id;
    assert_eq!(
        store
            .stance_history_len(&w.doc, &w.paragraphs[0], &account)
            .await
            .expect("history"),
        2
    );
    let t = w.thread(Some(&w.participant), 0).await;
    assert_eq!(
        t.your_stance.map(|s| s.reason),
        Some(Some("Too vague on funding.".to_string()))
    );
    assert_eq!(t.objections.len(), 1);
    assert_eq!(t.objections[0].reason, "Too vague on funding.");
}

#[tokio::test]
async fn a_hundred_identical_stances_in_parallel_leave_exactly_one() {
    let w = world().await;
    let body = json!({ "stance": "can-live-with", "reason": "fine" });
    let requests = (0..100).map(|_| w.stance(&w.participant, 3, body.clone()));
    let answers = futures::future::join_all(requests).await;
    for (status, body) in &answers {
        // The write allowance may turn some away; none may fail otherwise.
        assert!(
            *status == StatusCode::OK || *status == StatusCode::TOO_MANY_REQUESTS,
            "{status} {body}"
        );
    }
    assert!(answers.iter().any(|(s, _)| *s == StatusCode::OK));
    let pool = w.fx.server.state.rooms.store().pool_for_tests();
    let (current, history): (i64, i64) = (
        sqlx::query_scalar("SELECT COUNT(*) FROM stances")
            .fetch_one(pool)
            .await
            .expect("count"),
        sqlx::query_scalar("SELECT COUNT(*) FROM stance_history")
            .fetch_one(pool)
            .await
            .expect("count"),
    );
    assert_eq!((current, history), (1, 1));
    assert_eq!(w.map().await.paragraphs[3].tally.can_live_with, 1);
}

#[tokio::test]
async fn a_stance_on_a_paragraph_deleted_since_is_refused_in_words() {
    let w = world().await;
    let mut drafter = w.fx.drafter_peer().await;
    drafter.settle(Duration::from_millis(300)).await;
    let gone = w.paragraphs[2].clone();
    document::delete(&mut drafter.doc, &gone).expect("delete");
    drafter.doc.commit();
    drafter.settle(Duration::from_millis(300)).await;
    let before = w.fingerprint().await;
    let (status, body) = w
        .stance(&w.participant, 2, json!({ "stance": "support" }))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(error(&body).contains(&format!("paragraph '{gone}' was deleted since")));
    let (status, _) = w
        .comment(&w.participant, 2, json!({ "body": "late" }))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(w.fingerprint().await, before);
    // Its feedback stays readable.
    assert_eq!(w.thread(None, 2).await.comments.len(), 0);
}

#[tokio::test]
async fn a_hidden_comment_is_hidden_for_everyone_but_chairs_and_never_deleted() {
    let w = world().await;
    let (_, c) = w
        .comment(&w.participant, 0, json!({ "body": "spam spam" }))
        .await;
    let id = c["id"].as_i64().expect("id");
    let hide = format!("/api/v1/documents/{}/comments/{id}/hide", w.doc);
    let (status, _) = w
        .call(
            Method::POST,
            &hide,
            Some(&w.participant),
            Some(json!({ "reason": "no" })),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a participant does not moderate"
    );
    let (status, _) = w
        .call(
            Method::POST,
            &hide,
            Some(&w.chair),
            Some(json!({ "reason": " " })),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is needed"
    );
    let (status, body) = w
        .call(
            Method::POST,
            &hide,
            Some(&w.chair),
            Some(json!({ "reason": "Advertising." })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for viewer in [None, Some(w.participant.as_str())] {
        let t = w.thread(viewer, 0).await;
        assert_eq!(t.comments[0].body, None, "{viewer:?}");
        assert_eq!(
            t.comments[0].hidden.as_ref().map(|h| h.reason.as_str()),
            Some("Advertising.")
        );
    }
    let t = w.thread(Some(&w.chair), 0).await;
    assert_eq!(t.comments[0].body.as_deref(), Some("spam spam"));
    assert_eq!(
        w.map().await.paragraphs[0].comments,
        0,
        "hidden comments do not count"
    );
    let (status, _) = w
        .call(
            Method::POST,
            &hide,
            Some(&w.chair),
            Some(json!({ "reason": "again" })),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let pool = w.fx.server.state.rooms.store().pool_for_tests();
    let deleted = sqlx::query("DELETE FROM comments").execute(pool).await;
    assert!(deleted.is_err(), "the database refuses to delete comments");
}

#[tokio::test]
async fn an_author_edits_a_comment_until_someone_replies() {
    let w = world().await;
    let (_, c) = w
        .comment(&w.participant, 0, json!({ "body": "tyop" }))
        .await;
    let id = c["id"].as_i64().expect("id");
    let path = format!("/api/v1/documents/{}/comments/{id}", w.doc);
    let (status, body) = w
        .call(
            Method::PATCH,
            &path,
            Some(&w.participant),
            Some(json!({ "body": "typo" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["body"], "typo");
    assert!(body["edited_at"].is_i64());
    let (status, _) = w
        .call(
            Method::PATCH,
            &path,
            Some(&w.chair),
            Some(json!({ "body": "chair's words" })),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only its author edits a comment"
    );
    let (status, reply) = w
        .comment(&w.chair, 0, json!({ "body": "Thanks.", "parent": id }))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(reply["parent"], id);
    let (status, body) = w
        .call(
            Method::PATCH,
            &path,
            Some(&w.participant),
            Some(json!({ "body": "changed" })),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(error(&body).contains("has a reply"));
    // A reply to the reply joins the same thread.
    let reply_id = reply["id"].as_i64().expect("id");
    let (_, nested) = w
        .comment(
            &w.participant,
            0,
            json!({ "body": "ok", "parent": reply_id }),
        )
        .await;
    assert_eq!(nested["parent"], id);
}

#[tokio::test]
async fn a_chairs_response_answers_objections_and_comments() {
    let w = world().await;
    w.stance(
        &w.participant,
        1,
        json!({ "stance": "oppose", "reason": "Unclear." }),
    )
    .await;
    let (_, c) = w
        .comment(&w.participant, 1, json!({ "body": "Add a date." }))
        .await;
    let t = w.thread(None, 1).await;
    assert!(t
        .consensus
        .flags
        .iter()
        .any(|f| f.describe() == "1 objection not yet answered"));
    let objection = t.objections[0].id;
    let respond = json!({ "disposition": "partly-accepted", "reason": "Clarified in draft-01." });
    let path = format!(
        "/api/v1/documents/{}/objections/{objection}/response",
        w.doc
    );
    let (status, _) = w
        .call(
            Method::POST,
            &path,
            Some(&w.participant),
            Some(respond.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "responding is for chairs");
    let (status, body) = w
        .call(Method::POST, &path, Some(&w.chair), Some(respond.clone()))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let figures: ParagraphConsensus = serde_json::from_value(body).expect("figures");
    assert_eq!(figures.unanswered_objections, 0);
    let path = format!(
        "/api/v1/documents/{}/comments/{}/response",
        w.doc,
        c["id"].as_i64().expect("id")
    );
    let (status, _) = w
        .call(
            Method::POST,
            &path,
            Some(&w.chair),
            Some(json!({ "disposition": "answered", "reason": "" })),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a response needs a reason"
    );
    let (status, _) = w
        .call(
            Method::POST,
            &path,
            Some(&w.chair),
            Some(json!({ "disposition": "accepted", "reason": "Done." })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let t = w.thread(None, 1).await;
    assert_eq!(t.consensus.open_comments, 0);
    assert_eq!(
        t.comments[0].response.as_ref().map(|r| r.reason.as_str()),
        Some("Done.")
    );
    assert_eq!(
        t.objections[0].response.as_ref().map(|r| r.by.as_str()),
        Some("Amina Chair")
    );
    let missing = format!("/api/v1/documents/{}/objections/424242/response", w.doc);
    let (status, body) = w
        .call(Method::POST, &missing, Some(&w.chair), Some(respond))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(error(&body).contains("no current objection 424242"));
}

#[tokio::test]
async fn a_comment_on_a_span_follows_the_text_as_drafters_edit() {
    let w = world().await;
    let mut drafter = w.fx.drafter_peer().await;
    drafter.settle(Duration::from_millis(300)).await;
    let p = w.paragraphs[1].clone();
    let text = document::read(&drafter.doc).expect("read").paragraphs[1]
        .text
        .clone();
    let words: String = text.chars().take(10).collect();
    let (first, last) = anchor::span_cursors(&drafter.doc, &p, 0, 10).expect("cursors");
    let (status, body) = w
        .comment(
            &w.participant,
            1,
            json!({ "body": "This part.", "anchor": { "first": first, "last": last } }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["quote"], words.as_str());
    document::splice(&mut drafter.doc, &p, 0, 0, ">> ").expect("edit");
    drafter.doc.commit();
    drafter.settle(Duration::from_millis(300)).await;
    let t = w.thread(None, 1).await;
    assert_eq!(t.comments[0].quote.as_deref(), Some(words.as_str()));
    assert_eq!(t.comments[0].span, Some((3, 13)));
    // A cursor of another paragraph is refused rather than trusted.
    let (other_first, other_last) =
        anchor::span_cursors(&drafter.doc, &w.paragraphs[0], 0, 3).expect("cursors");
    let (status, body) = w
        .comment(
            &w.participant,
            1,
            json!({ "body": "x", "anchor": { "first": other_first, "last": other_last } }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

#[tokio::test]
async fn everyone_viewing_the_document_hears_of_new_feedback_at_once() {
    let w = world().await;
    let mut reader = Peer::connect(&w.fx.server.sync_url(&w.doc)).await;
    reader.settle(Duration::from_millis(300)).await;
    w.stance(&w.participant, 4, json!({ "stance": "support" }))
        .await;
    reader.settle(Duration::from_millis(300)).await;
    let heard = reader.controls.iter().find_map(|f| match f {
        ServerFrame::Feedback { consensus } => Some(consensus.clone()),
        _ => None,
    });
    let heard = heard.expect("a feedback frame");
    assert_eq!(heard.paragraph, w.paragraphs[4]);
    assert_eq!(heard.tally.support, 1);
}

#[tokio::test]
async fn the_demo_review_gives_the_map_a_block_objection_and_an_answered_one() {
    let w = world().await;
    accord_core::seed::demo_feedback(&w.fx.server.state.rooms, 1_000_000)
        .await
        .expect("demo feedback");
    let map = w.map().await;
    assert!(map.balance.participants.total >= 8);
    let flags: Vec<String> = map
        .paragraphs
        .iter()
        .flat_map(|p| p.flags.iter().map(|f| f.describe()))
        .collect();
    assert!(
        flags
            .iter()
            .any(|f| f.contains("objections come from private sector")),
        "{flags:?}"
    );
    let answered = map
        .paragraphs
        .iter()
        .any(|p| p.tally.oppose > p.unanswered_objections);
    assert!(answered, "one objection has a chair's response");
}

#[tokio::test]
async fn the_map_follows_feedback_and_profile_changes_at_once() {
    let w = world().await;
    let group_count = |map: &DocumentFeedback, key: &str| {
        map.paragraphs[0]
            .by_group
            .iter()
            .find(|g| g.group.map(|x| x.key()) == Some(key))
            .map(|g| g.tally.total())
    };
    // Read (and keep) the figures first, so that what follows must replace them.
    assert_eq!(group_count(&w.map().await, "government"), Some(0));
    w.stance(&w.participant, 0, json!({ "stance": "support" }))
        .await;
    assert_eq!(group_count(&w.map().await, "government"), Some(1));
    let (status, _) = w
        .call(
            Method::PATCH,
            "/api/v1/me",
            Some(&w.participant),
            Some(json!({ "stakeholder_group": "academia" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let map = w.map().await;
    assert_eq!(group_count(&map, "government"), Some(0));
    assert_eq!(group_count(&map, "academia"), Some(1));
}
