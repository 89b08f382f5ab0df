//! Amendments over the real server: proposed against the heads they were written for, merged
//! into a text that drafters kept editing, decided once, with each bad input refused in words.

mod common;

use std::time::Duration;

use axum::{
    http::{Method, StatusCode},
    Router,
};
use common::{Fixture, Peer};
use domain::{api::AmendmentView, document};
use serde_json::{json, Value};

struct World {
    fx: Fixture,
    app: Router,
    participant: String,
    chair: String,
}

async fn world() -> World {
    let fx = Fixture::start().await;
    let app = accord_server::router(fx.server.state.clone());
    let participant = common::session(&app, "participant@example.org").await;
    let chair = common::session(&app, "chair@example.org").await;
    World {
        fx,
        app,
        participant,
        chair,
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

    fn path(&self, tail: &str) -> String {
        format!("/api/v1/documents/{}/amendments{tail}", self.fx.doc)
    }

    async fn propose(&self, cookie: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, &self.path(""), Some(cookie), Some(body))
            .await
    }

    async fn decide(&self, cookie: &str, id: i64, decision: &str) -> (StatusCode, Value) {
        let path = self.path(&format!("/{id}/decision"));
        let body = json!({ "decision": decision, "reason": "As discussed in the session." });
        self.call(Method::POST, &path, Some(cookie), Some(body))
            .await
    }

    /// A drafter connected over a real WebSocket, caught up.
    async fn drafter(&self) -> Peer {
        let mut peer = self.fx.drafter_peer().await;
        peer.settle(Duration::from_millis(300)).await;
        peer
    }
}

fn error(body: &Value) -> String {
    body["error"].as_str().unwrap_or_default().to_string()
}

/// Heads and the first numbered paragraph (id, text) of the sample as the server has it now.
async fn now(w: &World) -> (Vec<String>, String, String) {
    let d = w.fx.server.detail(&w.fx.doc).await;
    let p = d
        .paragraphs
        .iter()
        .find(|p| p.number.as_deref() == Some("1"))
        .expect("paragraph 1");
    (d.heads.clone(), p.id.clone(), p.text.clone())
}

#[tokio::test]
async fn an_accepted_amendment_merges_with_what_a_drafter_typed_since_in_every_replica() {
    let w = world().await;
    let (heads, p, text) = now(&w).await;
    assert!(text.starts_with("The mandate of the Forum"), "{text}");
    let amended = text.replacen("The mandate", "The founding mandate", 1);
    let (status, body) = w
        .propose(
            &w.participant,
            json!({
                "base": heads,
                "edits": [{ "kind": "replace", "paragraph": p, "text": amended }],
                "rationale": "Say which mandate."
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let a: AmendmentView = serde_json::from_value(body).expect("amendment");
    assert!(a.applies_cleanly);
    // A drafter keeps typing at the end of the same paragraph.
    let mut drafter = w.drafter().await;
    let end = document::read(&drafter.doc)
        .expect("read")
        .paragraphs
        .iter()
        .find(|q| q.id == p)
        .map(|q| q.text.encode_utf16().count())
        .expect("p");
    document::splice(&mut drafter.doc, &p, end, 0, " Drafted meanwhile.").expect("edit");
    drafter.doc.commit();
    drafter.settle(Duration::from_millis(300)).await;
    let (status, body) = w.decide(&w.participant, a.id, "accept").await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "deciding is for chairs: {body}"
    );
    let (status, body) = w.decide(&w.chair, a.id, "accept").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let decided: AmendmentView = serde_json::from_value(body).expect("amendment");
    assert_eq!(
        decided.paragraphs[0].adopted.as_deref(),
        Some(amended.as_str())
    );
    let (_, _, merged) = now(&w).await;
    assert!(
        merged.starts_with("The founding mandate of the Forum"),
        "{merged}"
    );
    assert!(merged.ends_with(" Drafted meanwhile."), "{merged}");
    // The drafter's replica receives the merge like any other change.
    drafter.settle(Duration::from_millis(300)).await;
    let theirs = document::read(&drafter.doc)
        .expect("read")
        .paragraphs
        .into_iter()
        .find(|q| q.id == p)
        .expect("p")
        .text;
    assert_eq!(theirs, merged);
    // Accepting again merges nothing and says why.
    let heads = w.fx.server.detail(&w.fx.doc).await.heads;
    let (status, body) = w.decide(&w.chair, a.id, "accept").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        error(&body).contains("decided already (accepted)"),
        "{body}"
    );
    assert_eq!(w.fx.server.detail(&w.fx.doc).await.heads, heads);
}

#[tokio::test]
async fn words_changed_since_the_amendment_are_shown_as_a_conflict_and_rejecting_changes_nothing() {
    let w = world().await;
    let (heads, p, text) = now(&w).await;
    let amended = text.replacen("mandate", "charter", 1);
    let (_, body) = w
        .propose(
            &w.participant,
            json!({
                "base": heads,
                "edits": [{ "kind": "replace", "paragraph": p, "text": amended }],
                "rationale": "Clearer."
            }),
        )
        .await;
    let id = body["id"].as_i64().expect("id");
    let mut drafter = w.drafter().await;
    let changed = text.replacen("mandate", "remit", 1);
    document::set_text(&mut drafter.doc, &p, &changed).expect("edit");
    drafter.doc.commit();
    drafter.settle(Duration::from_millis(300)).await;
    let (_, list) = w.call(Method::GET, &w.path(""), None, None).await;
    let a: Vec<AmendmentView> = serde_json::from_value(list).expect("list");
    assert!(!a[0].applies_cleanly);
    assert_eq!(
        (
            a[0].conflicts[0].base.as_str(),
            a[0].conflicts[0].amended.as_str(),
            a[0].conflicts[0].current.as_str()
        ),
        ("mandate", "charter", "remit")
    );
    let before = w.fx.server.detail(&w.fx.doc).await.heads;
    let (status, body) = w.decide(&w.chair, id, "reject").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "rejected");
    assert_eq!(w.fx.server.detail(&w.fx.doc).await.heads, before);
}

#[tokio::test]
async fn bad_amendments_are_refused_in_words_and_store_nothing() {
    let w = world().await;
    let (heads, p, text) = now(&w).await;
    let replace = |paragraph: &str, text: &str| json!([{ "kind": "replace", "paragraph": paragraph, "text": text }]);
    let cases = [
        (
            json!({ "base": heads, "edits": replace(&p, &text), "rationale": "x" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "changes nothing",
        ),
        (
            json!({ "base": ["00".repeat(32)], "edits": replace(&p, "New."), "rationale": "x" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "has no change",
        ),
        (
            json!({ "base": ["not a hash"], "edits": replace(&p, "New."), "rationale": "x" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "is not a change hash",
        ),
        (
            json!({ "base": heads, "edits": replace("pnothere", "New."), "rationale": "x" }),
            StatusCode::NOT_FOUND,
            "unknown paragraph 'pnothere'",
        ),
        (
            json!({ "base": heads, "edits": [], "rationale": "x" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "between 1 and 50 edits",
        ),
        (
            json!({ "base": heads, "edits": replace(&p, "New."), "rationale": " " }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "rationale",
        ),
        (
            json!({ "base": [], "edits": replace(&p, "New."), "rationale": "x" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "heads",
        ),
        (
            json!({ "base": heads, "edits": replace(&p, &"x".repeat(20_001)), "rationale": "x" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "not allowed",
        ),
    ];
    for (body, status, words) in cases {
        let (got, answer) = w.propose(&w.participant, body.clone()).await;
        assert_eq!(got, status, "{body}: {answer}");
        assert!(
            error(&answer).contains(words),
            "{answer} should say {words:?}"
        );
    }
    let (status, _) = w
        .call(
            Method::POST,
            &w.path(""),
            None,
            Some(json!({ "base": heads, "edits": replace(&p, "New."), "rationale": "x" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a reader cannot propose");
    let (_, list) = w.call(Method::GET, &w.path(""), None, None).await;
    assert_eq!(list, json!([]));
    let (status, _) = w.decide(&w.chair, 4242, "accept").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_its_proposer_withdraws_an_amendment_and_only_while_open() {
    let w = world().await;
    let (heads, p, _) = now(&w).await;
    let (_, body) = w
        .propose(
            &w.participant,
            json!({
                "base": heads,
                "edits": [{ "kind": "insert", "after": p, "text": "A new paragraph." },],
                "rationale": "Missing point."
            }),
        )
        .await;
    let id = body["id"].as_i64().expect("id");
    assert_eq!(
        body["paragraphs"][0]["diff"],
        json!([{ "kind": "inserted", "text": "A new paragraph." }])
    );
    let path = w.path(&format!("/{id}/withdraw"));
    let (status, _) = w.call(Method::POST, &path, Some(&w.chair), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = w
        .call(Method::POST, &path, Some(&w.participant), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "withdrawn");
    let (status, _) = w.decide(&w.chair, id, "accept").await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a withdrawn amendment is not accepted"
    );
}

#[tokio::test]
async fn participants_co_sponsor_an_open_amendment_once_and_not_their_own() {
    let w = world().await;
    let store = w.fx.server.state.rooms.store();
    common::add_member(
        store,
        "kofi@example.org",
        "bpf-outcomes",
        domain::api::Role::Participant,
    )
    .await;
    let kofi = common::session(&w.app, "kofi@example.org").await;
    let (heads, p, _) = now(&w).await;
    let (_, body) = w
        .propose(
            &w.participant,
            json!({
                "base": heads,
                "edits": [{ "kind": "replace", "paragraph": p, "text": "Shorter." }],
                "rationale": "Brevity."
            }),
        )
        .await;
    let id = body["id"].as_i64().expect("id");
    let path = w.path(&format!("/{id}/sponsors"));
    let (status, body) = w.call(Method::POST, &path, Some(&kofi), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["sponsors"], json!(["kofi@example.org"]));
    let (status, body) = w.call(Method::POST, &path, Some(&kofi), None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(error(&body).contains("already"), "{body}");
    let (status, _) = w
        .call(Method::POST, &path, Some(&w.participant), None)
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a proposer does not co-sponsor their own"
    );
    let (status, _) = w.call(Method::POST, &path, None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    w.decide(&w.chair, id, "reject").await;
    let (status, _) = w.call(Method::POST, &path, Some(&w.chair), None).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a decided amendment takes no more sponsors"
    );
}

impl World {
    /// Proposes "mandate" → `word` in paragraph 1; returns the amendment's id.
    async fn propose_word(&self, word: &str) -> i64 {
        let (heads, p, text) = now(self).await;
        let (status, body) = self
            .propose(
                &self.participant,
                json!({
                    "base": heads,
                    "edits": [{ "kind": "replace", "paragraph": p, "text": text.replacen("mandate", word, 1) }],
                    "rationale": "Clearer."
                }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["id"].as_i64().expect("id")
    }

    async fn stance(&self, cookie: &str, id: i64, body: Value) -> (StatusCode, Value) {
        let path = self.path(&format!("/{id}/stance"));
        self.call(Method::PUT, &path, Some(cookie), Some(body))
            .await
    }
}

#[tokio::test]
async fn stances_on_an_amendment_are_counted_by_stakeholder_group_and_kept_in_history() {
    let w = world().await;
    let id = w.propose_word("charter").await;
    // The chair speaks for civil society, the participant for a government.
    for (cookie, group) in [(&w.chair, "civil-society"), (&w.participant, "government")] {
        let (status, _) = w
            .call(
                Method::PATCH,
                "/api/v1/me",
                Some(cookie),
                Some(json!({ "stakeholder_group": group })),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, body) = w
        .stance(&w.participant, id, json!({ "stance": "support" }))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = w
        .stance(
            &w.chair,
            id,
            json!({ "stance": "oppose", "reason": "Charter means something else." }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let a: AmendmentView = serde_json::from_value(body).expect("amendment");
    assert_eq!((a.support.tally.support, a.support.tally.oppose), (1, 1));
    let by = |g: domain::api::StakeholderGroup| {
        a.support
            .by_group
            .iter()
            .find(|t| t.group == Some(g))
            .map(|t| t.tally)
            .expect("group")
    };
    assert_eq!(by(domain::api::StakeholderGroup::Government).support, 1);
    assert_eq!(by(domain::api::StakeholderGroup::CivilSociety).oppose, 1);
    assert_eq!(
        a.your_stance.map(|s| s.stance),
        Some(domain::api::Stance::Oppose)
    );
    // Changing one's mind replaces the stance that counts; both stay in the history.
    let (_, body) = w
        .stance(&w.chair, id, json!({ "stance": "can-live-with" }))
        .await;
    assert_eq!(
        body["support"]["tally"],
        json!({ "support": 1, "can_live_with": 1, "oppose": 0 })
    );
    let store = w.fx.server.state.rooms.store();
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM amendment_stance_history")
        .fetch_one(store.pool_for_tests())
        .await
        .expect("count");
    assert_eq!(kept, 3);
    // Bad stances, each refused in words, the figures untouched.
    let cases = [
        (
            json!({ "stance": "oppose" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "needs a reason",
        ),
        (
            json!({ "stance": "maybe" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "",
        ),
        (
            json!({ "stance": "support", "reason": "a\u{7}b" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "control characters",
        ),
    ];
    for (body, status, words) in cases {
        let (got, answer) = w.stance(&w.participant, id, body.clone()).await;
        assert_eq!(got, status, "{body}: {answer}");
        assert!(
            error(&answer).contains(words),
            "{answer} should say {words:?}"
        );
    }
    let (status, _) = w
        .stance(&w.participant, 4242, json!({ "stance": "support" }))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = w
        .call(
            Method::PUT,
            &w.path(&format!("/{id}/stance")),
            None,
            Some(json!({ "stance": "support" })),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a reader states no stance"
    );
    w.decide(&w.chair, id, "reject").await;
    let (status, body) = w
        .stance(
            &w.participant,
            id,
            json!({ "stance": "oppose", "reason": "Late." }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (_, list) = w.call(Method::GET, &w.path(""), None, None).await;
    assert_eq!(
        list[0]["support"]["tally"],
        json!({ "support": 1, "can_live_with": 1, "oppose": 0 })
    );
}

#[tokio::test]
async fn a_chair_resolves_a_conflict_by_accepting_with_modification_and_later_typing_survives() {
    let w = world().await;
    let id = w.propose_word("charter").await;
    let mut drafter = w.drafter().await;
    let (_, p, text) = now(&w).await;
    document::set_text(&mut drafter.doc, &p, &text.replacen("mandate", "remit", 1)).expect("edit");
    drafter.doc.commit();
    drafter.settle(Duration::from_millis(300)).await;
    // The chair reads the conflict, with the heads and the text accepting now would give.
    let (_, list) = w.call(Method::GET, &w.path(""), Some(&w.chair), None).await;
    let a: Vec<AmendmentView> = serde_json::from_value(list).expect("list");
    assert!(!a[0].applies_cleanly);
    let now_pieces = a[0].paragraphs[0]
        .now
        .clone()
        .expect("a difference against the text now");
    assert!(now_pieces
        .iter()
        .any(|x| matches!(x, domain::api::Piece::Deleted(t) if t.contains("remit"))));
    let read_at = a[0].heads.clone();
    let adopted = text.replacen("The mandate", "The charter and remit", 1);
    // Meanwhile the drafter adds a sentence to the next paragraph.
    let next =
        w.fx.server
            .detail(&w.fx.doc)
            .await
            .paragraphs
            .iter()
            .position(|q| q.id == p)
            .expect("p")
            + 1;
    let next_id = w.fx.server.detail(&w.fx.doc).await.paragraphs[next]
        .id
        .clone();
    document::splice(&mut drafter.doc, &next_id, 0, 0, "Meanwhile: ").expect("edit");
    drafter.doc.commit();
    drafter.settle(Duration::from_millis(300)).await;
    let decision = |wording: Value, verdict: &str| json!({ "decision": verdict, "reason": "Both words carry meaning.", "wording": wording });
    let wording = json!({ "base": read_at, "edits": [{ "kind": "replace", "paragraph": p, "text": adopted }] });
    let path = w.path(&format!("/{id}/decision"));
    // Bad wording is refused and leaves the amendment open.
    let bad = [
        (decision(wording.clone(), "reject"), "accepting only"),
        (
            decision(
                json!({ "base": ["00".repeat(32)], "edits": wording["edits"] }),
                "accept",
            ),
            "has no change",
        ),
        (
            decision(json!({ "base": read_at, "edits": [] }), "accept"),
            "between 1 and 50",
        ),
        (
            json!({ "decision": "accept", "reason": "\u{1b}[31m" }),
            "control characters",
        ),
    ];
    for (body, words) in bad {
        let (status, answer) = w
            .call(Method::POST, &path, Some(&w.chair), Some(body.clone()))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert!(
            error(&answer).contains(words),
            "{answer} should say {words:?}"
        );
    }
    let (status, body) = w
        .call(
            Method::POST,
            &path,
            Some(&w.chair),
            Some(decision(wording.clone(), "accept")),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "accepted-with-modification");
    // The decided amendment shows the wording the chair adopted, not only what was proposed.
    let decided: AmendmentView = serde_json::from_value(body).expect("amendment");
    assert_eq!(
        decided.paragraphs[0].adopted.as_deref(),
        Some(adopted.as_str())
    );
    drafter.settle(Duration::from_millis(500)).await;
    let server = w.fx.server.detail(&w.fx.doc).await;
    let texts: Vec<&str> = server.paragraphs.iter().map(|q| q.text.as_str()).collect();
    assert_eq!(texts[next - 1], adopted);
    assert!(texts[next].starts_with("Meanwhile: "), "{}", texts[next]);
    let mine = document::read(&drafter.doc).expect("read");
    assert_eq!(
        mine.paragraphs[next - 1].text,
        adopted,
        "the drafter's replica has it too"
    );
    let (status, _) = w
        .call(
            Method::POST,
            &path,
            Some(&w.chair),
            Some(decision(wording, "accept")),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "decided once");
    // The decision is in the document's record, with its reason.
    let (_, record) = common::call_json(
        &w.app,
        Method::GET,
        &format!("/api/v1/documents/{}/record", w.fx.doc),
        None,
        None,
    )
    .await;
    assert_eq!(
        record[0]["summary"],
        format!("Accepted amendment {id} with modification")
    );
    assert_eq!(record[0]["reason"], "Both words carry meaning.");
}

#[tokio::test]
async fn the_list_filters_by_status_and_paragraph_and_refuses_unknown_filters() {
    let w = world().await;
    let first = w.propose_word("charter").await;
    let second = w.propose_word("remit").await;
    w.decide(&w.chair, first, "reject").await;
    let ids = |v: &Value| -> Vec<i64> {
        v.as_array()
            .expect("list")
            .iter()
            .map(|a| a["id"].as_i64().expect("id"))
            .collect()
    };
    let (_, open) = w
        .call(Method::GET, &w.path("?status=open"), None, None)
        .await;
    assert_eq!(ids(&open), vec![second]);
    let (_, rejected) = w
        .call(Method::GET, &w.path("?status=rejected"), None, None)
        .await;
    assert_eq!(ids(&rejected), vec![first]);
    let (_, p, _) = now(&w).await;
    let (_, here) = w
        .call(Method::GET, &w.path(&format!("?paragraph={p}")), None, None)
        .await;
    assert_eq!(ids(&here), vec![first, second]);
    let other =
        w.fx.server
            .detail(&w.fx.doc)
            .await
            .paragraphs
            .last()
            .expect("last")
            .id
            .clone();
    let (_, none) = w
        .call(
            Method::GET,
            &w.path(&format!("?paragraph={other}&status=")),
            None,
            None,
        )
        .await;
    assert_eq!(ids(&none), Vec::<i64>::new());
    for (query, words) in [
        ("?status=pending", "not a status"),
        ("?paragraph=%3Cscript%3E", "not a paragraph id"),
        ("?colour=blue", "colour"),
    ] {
        let (status, body) = w.call(Method::GET, &w.path(query), None, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert!(error(&body).contains(words), "{body} should say {words:?}");
    }
}

/// An amendment whose stored branch no longer fits the text (here its base names a change the
/// document never had) failed the whole list with a 500; now it is marked alone, the others
/// are listed as before, and deciding it is refused in words.
#[tokio::test]
async fn an_amendment_that_cannot_be_read_is_marked_alone_and_the_list_still_answers() {
    let w = world().await;
    let (heads, p, _) = now(&w).await;
    let mut ids = Vec::new();
    for text in ["First wording.", "Second wording."] {
        let (status, body) = w
            .propose(
                &w.participant,
                json!({
                    "base": heads,
                    "edits": [{ "kind": "replace", "paragraph": p, "text": text }],
                    "rationale": "Clearer."
                }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        ids.push(body["id"].as_i64().expect("id"));
    }
    sqlx::query("UPDATE amendments SET base = $1 WHERE id = $2")
        .bind("ab".repeat(32))
        .bind(ids[0])
        .execute(w.fx.server.state.rooms.store().pool_for_tests())
        .await
        .expect("corrupt the first");
    // A fresh start on the same folder: nothing remembered of the amendments' inspections.
    let restarted = common::Server::start(w.fx.dir.path()).await;
    let w = World {
        app: accord_server::router(restarted.state.clone()),
        ..w
    };
    let (status, list) = w.call(Method::GET, &w.path(""), None, None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let list = list.as_array().expect("list");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["unreadable"], true, "{}", list[0]);
    assert_eq!(list[1]["unreadable"], false, "{}", list[1]);
    assert!(list[1]["paragraphs"][0]["diff"].is_array());
    let (status, body) = w.decide(&w.chair, ids[0], "accept").await;
    assert!(status.is_client_error(), "{status}: {body}");
    let page = common::call_raw(&w.app, &format!("/documents/{}/amendments", w.fx.doc), None).await;
    assert_eq!(page.0, StatusCode::OK);
    assert!(String::from_utf8_lossy(&page.2).contains("cannot be read any more"));
}
