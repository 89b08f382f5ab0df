//! Live sessions through the API: who may run one, one stance per person per check whatever
//! arrives at once, closed checks that take nothing more, and the rapporteur's counts marked as
//! recorded in every figure.

mod common;

use std::sync::{
    atomic::{AtomicI64, Ordering},
    Arc,
};

use accord_core::auth::{new_token, token_hash, SESSION_COOKIE};
use axum::{
    http::{Method, StatusCode},
    Router,
};
use serde_json::{json, Value};

const T0: i64 = 1_770_000_000;

struct World {
    app: Router,
    now: Arc<AtomicI64>,
    state: accord_server::AppState,
    doc: String,
    paragraphs: Vec<String>,
    chair: String,
    participant: String,
    _dir: tempfile::TempDir,
}

async fn world() -> World {
    let dir = tempfile::tempdir().expect("tempdir");
    let (state, now) = common::state_at(dir.path(), T0).await;
    let app = accord_server::router(state.clone());
    let doc = state.rooms.store().list_documents().await.expect("list")[0]
        .id
        .clone();
    let (outline, _) = state.rooms.outline(&doc).await.expect("outline");
    World {
        chair: common::session(&app, "chair@example.org").await,
        participant: common::session(&app, "participant@example.org").await,
        paragraphs: outline.paragraphs.into_iter().map(|p| p.id).collect(),
        app,
        now,
        state,
        doc,
        _dir: dir,
    }
}

impl World {
    async fn call(
        &self,
        method: Method,
        path: &str,
        cookie: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        common::call_json(&self.app, method, path, Some(cookie), body).await
    }

    /// A new account (no role in the group) signed in; its cookie and id.
    async fn person(&self, login: &str) -> (String, String) {
        let store = self.state.rooms.store();
        let register = domain::api::Register {
            login: login.into(),
            password: String::new(),
            display_name: login.into(),
            affiliation: String::new(),
            stakeholder_group: domain::api::StakeholderGroup::Government,
            region: domain::api::Region::AsiaPacific,
            gender: None,
            age_band: None,
            next: None,
        };
        let account = store
            .create_account(&register, "unused", false)
            .await
            .expect("db")
            .expect("a new login");
        let token = new_token();
        store
            .create_session(&token_hash(&token), &account.id, T0)
            .await
            .expect("session");
        (format!("{SESSION_COOKIE}={token}"), account.id)
    }

    /// The chair schedules a session on two items (a paragraph and a question), with
    /// `facilitator` and `rapporteur`; its id and item ids.
    async fn schedule(
        &self,
        facilitator: Option<&str>,
        rapporteur: Option<&str>,
    ) -> (String, Vec<String>) {
        let (status, body) = self
            .call(
                Method::POST,
                &format!("/api/v1/documents/{}/sessions", self.doc),
                &self.chair,
                Some(json!({
                    "title": "Main session",
                    "items": [
                        { "kind": "paragraph", "target": self.paragraphs[1] },
                        { "kind": "question", "target": "Should section III recommend a review every two years?" }
                    ],
                    "facilitator": facilitator,
                    "rapporteur": rapporteur,
                })),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let items = body["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["id"].as_str().expect("id").to_string())
            .collect();
        (body["id"].as_str().expect("id").to_string(), items)
    }

    /// Makes `item` current and opens a check on it as `runner`; the check's id.
    async fn open_check(&self, session: &str, item: &str, runner: &str) -> String {
        let (status, body) = self
            .call(
                Method::PUT,
                &format!("/api/v1/live/{session}/current"),
                runner,
                Some(json!({ "item": item })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = self
            .call(
                Method::POST,
                &format!("/api/v1/live/{session}/checks"),
                runner,
                None,
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["checks"]
            .as_array()
            .and_then(|c| c.last())
            .and_then(|c| c["id"].as_str())
            .expect("a check")
            .to_string()
    }

    async fn stance(&self, session: &str, check: &str, cookie: &str, body: Value) -> StatusCode {
        let path = format!("/api/v1/live/{session}/checks/{check}/stance");
        self.call(Method::PUT, &path, cookie, Some(body)).await.0
    }

    async fn session(&self, session: &str, cookie: &str) -> Value {
        let (status, body) = self
            .call(
                Method::GET,
                &format!("/api/v1/live/{session}"),
                cookie,
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }
}

#[tokio::test]
async fn one_stance_per_person_per_check_whatever_arrives_at_once() {
    let w = world().await;
    let (session, items) = w.schedule(None, None).await;
    let check = w.open_check(&session, &items[0], &w.chair).await;

    // One person, a hundred requests at once (changing their mind as they go).
    let (me, _) = w.person("eager@example.org").await;
    let stances = ["support", "can-live-with"];
    let requests = (0..100).map(|i| {
        let body = json!({ "stance": stances[i % 2], "in_room": i % 3 == 0 });
        w.stance(&session, &check, &me, body)
    });
    for status in futures::future::join_all(requests).await {
        assert_eq!(status, StatusCode::OK);
    }
    // A hundred people, one request each, all at once.
    let mut people = Vec::new();
    for i in 0..100 {
        people.push(w.person(&format!("p{i}@example.org")).await.0);
    }
    let requests = people
        .iter()
        .map(|c| w.stance(&session, &check, c, json!({ "stance": "support" })));
    for status in futures::future::join_all(requests).await {
        assert_eq!(status, StatusCode::OK);
    }
    let pool = w.state.rooms.store().pool_for_tests();
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM check_stances WHERE check_id = $1")
        .bind(&check)
        .fetch_one(pool)
        .await
        .expect("count");
    assert_eq!(rows, 101, "one row per person");
    let body = w.session(&session, &me).await;
    let figures = &body["checks"][0]["figures"];
    assert_eq!(
        figures["tally"]["support"].as_u64().unwrap_or(0)
            + figures["tally"]["can_live_with"].as_u64().unwrap_or(0),
        101
    );
    assert!(body["you"]["stance"].is_string(), "{body}");
    let by_group = figures["by_group"].as_array().expect("groups");
    let government = by_group
        .iter()
        .find(|g| g["group"] == "government")
        .expect("government");
    assert_eq!(
        government["tally"]["support"].as_u64().unwrap_or(0)
            + government["tally"]["can_live_with"].as_u64().unwrap_or(0),
        101
    );
}

#[tokio::test]
async fn a_check_counts_down_when_its_facilitator_gives_it_time() {
    let w = world().await;
    let (session, items) = w.schedule(None, None).await;
    let (status, _) = w
        .call(
            Method::PUT,
            &format!("/api/v1/live/{session}/current"),
            &w.chair,
            Some(json!({ "item": items[0] })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let checks = format!("/api/v1/live/{session}/checks");
    // Too short, too long, not a number of seconds: refused, and no check is open.
    for (body, code) in [
        (json!({ "seconds": 5 }), "countdown-length"),
        (json!({ "seconds": 7_200 }), "countdown-length"),
        (json!({ "seconds": "soon" }), "bad-body"),
        (json!({ "minutes": 2 }), "bad-body"),
    ] {
        let (status, answer) = w.call(Method::POST, &checks, &w.chair, Some(body)).await;
        assert_eq!(status.as_u16() / 100, 4, "{answer}");
        assert_eq!(answer["code"], code, "{answer}");
    }
    assert_eq!(w.session(&session, &w.chair).await["checks"], json!([]));
    // Ninety seconds: the check runs out ninety seconds after it opened.
    let (status, body) = w
        .call(
            Method::POST,
            &checks,
            &w.chair,
            Some(json!({ "seconds": 90 })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let check = &body["checks"][0];
    assert_eq!(
        check["ends_at"].as_i64(),
        check["opened_at"].as_i64().map(|t| t + 90)
    );
    // Everyone sees the countdown; the facilitator still closes the check.
    let (reader, _) = w.person("reader@example.org").await;
    assert_eq!(
        w.session(&session, &reader).await["checks"][0]["ends_at"],
        check["ends_at"]
    );
    let id = check["id"].as_str().expect("id");
    let (status, _) = w
        .call(
            Method::POST,
            &format!("/api/v1/live/{session}/checks/{id}/close"),
            &w.chair,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // Without a body, a check has no countdown.
    w.now.fetch_add(120, Ordering::SeqCst);
    let next = w.open_check(&session, &items[1], &w.chair).await;
    let body = w.session(&session, &w.chair).await;
    let opened = body["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == next.as_str()))
        .expect("the second check");
    assert_eq!(opened["ends_at"], Value::Null);
}

#[tokio::test]
async fn a_closed_check_refuses_stances_and_keeps_its_figures_and_the_items_words() {
    let w = world().await;
    let (session, items) = w.schedule(None, None).await;
    let check = w.open_check(&session, &items[0], &w.chair).await;
    assert_eq!(
        w.stance(
            &session,
            &check,
            &w.participant,
            json!({ "stance": "oppose" })
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an objection needs its reason"
    );
    let objection = json!({ "stance": "oppose", "reason": "Two years is too short for a review." });
    assert_eq!(
        w.stance(&session, &check, &w.participant, objection.clone())
            .await,
        StatusCode::OK
    );
    // A second check cannot open beside it.
    let (status, body) = w
        .call(
            Method::POST,
            &format!("/api/v1/live/{session}/checks"),
            &w.chair,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "check-open");

    let close = format!("/api/v1/live/{session}/checks/{check}/close");
    let (status, body) = w.call(Method::POST, &close, &w.chair, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let closed = &body["checks"][0];
    assert_eq!(closed["figures"]["tally"]["oppose"], 1);
    assert_eq!(
        closed["figures"]["reasons"],
        json!(["Two years is too short for a review."])
    );
    let words = closed["item_text"].as_str().expect("the item's words");
    assert!(!words.is_empty());
    assert_eq!(body["items"][0]["text"], words);

    // Too late: refused, and nothing changes.
    let (me, _) = w.person("late@example.org").await;
    for cookie in [&me, &w.participant] {
        assert_eq!(
            w.stance(&session, &check, cookie, json!({ "stance": "support" }))
                .await,
            StatusCode::CONFLICT
        );
    }
    let (status, body) = w.call(Method::POST, &close, &w.chair, None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("check-closed"))
    );
    let after = w.session(&session, &w.chair).await;
    assert_eq!(after["checks"][0]["figures"], closed["figures"]);
    // The decision record says the check closed, with its figures.
    let record = w.state.rooms.store().record(&w.doc).await.expect("record");
    assert!(record
        .iter()
        .any(|e| e.kind == "session-check-closed" && e.summary.contains("1 oppose")));
}

#[tokio::test]
async fn stances_the_chairs_set_aside_leave_a_checks_figures_as_they_leave_a_paragraphs() {
    let w = world().await;
    let (session, items) = w.schedule(None, None).await;
    let check = w.open_check(&session, &items[0], &w.chair).await;
    let (honest, _) = w.person("honest@example.org").await;
    let (puppet, puppet_id) = w.person("puppet@example.org").await;
    for cookie in [&honest, &puppet] {
        let body = json!({ "stance": "support" });
        assert_eq!(
            w.stance(&session, &check, cookie, body).await,
            StatusCode::OK
        );
    }
    let support = |body: &Value| body["checks"][0]["figures"]["tally"]["support"].as_u64();
    assert_eq!(support(&w.session(&session, &w.chair).await), Some(2));
    // The puppet also took a stance on a paragraph in the consultation, so the chairs see it
    // among the stance-takers.
    let phase = format!("/api/v1/documents/{}/phase", w.doc);
    let open = json!({ "phase": "consultation", "reason": "Open to all." });
    let (status, body) = w.call(Method::POST, &phase, &w.chair, Some(open)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let paragraph = format!(
        "/api/v1/documents/{}/paragraphs/{}/stance",
        w.doc, w.paragraphs[1]
    );
    let (status, body) = w
        .call(
            Method::PUT,
            &paragraph,
            &puppet,
            Some(json!({ "stance": "support" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let aside = json!({
        "accounts": [puppet_id], "reason": "Opened in the same minute as forty others.",
        "count_again": false
    });
    let path = format!("/api/v1/documents/{}/stances-aside", w.doc);
    let (status, body) = w.call(Method::POST, &path, &w.chair, Some(aside)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The open check counts one now, and the closed check keeps that figure.
    assert_eq!(support(&w.session(&session, &w.chair).await), Some(1));
    let (status, body) = w
        .call(
            Method::POST,
            &format!("/api/v1/live/{session}/checks/{check}/close"),
            &w.chair,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(support(&body), Some(1));
}

#[tokio::test]
async fn only_whoever_runs_the_session_moves_its_items_and_opens_checks() {
    let w = world().await;
    let (facilitator, facilitator_id) = w.person("facilitator@example.org").await;
    let (session, items) = w.schedule(Some(&facilitator_id), None).await;
    let current = format!("/api/v1/live/{session}/current");
    let to = |i: usize| Some(json!({ "item": items[i] }));
    // A participant and a drafter of the group may not; nor may a stranger without a session.
    let drafter = common::session(&w.app, "drafter@example.org").await;
    for cookie in [&w.participant, &drafter] {
        let (status, body) = w.call(Method::PUT, &current, cookie, to(1)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    }
    let (status, _) = common::call_json(&w.app, Method::PUT, &current, None, to(1)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The facilitator the chair named may, though no member of the group; so may the chair.
    let (status, body) = w.call(Method::PUT, &current, &facilitator, to(1)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["current"], items[1].as_str());
    assert_eq!(body["you"]["part"], "facilitator");
    assert_eq!(body["you"]["may_run"], true);
    let (status, body) = w.call(Method::PUT, &current, &w.chair, to(0)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // An item of no agenda of this session is unknown.
    let (status, body) = w
        .call(
            Method::PUT,
            &current,
            &w.chair,
            Some(json!({ "item": "i-elsewhere" })),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    // Opening a check is theirs too.
    let checks = format!("/api/v1/live/{session}/checks");
    let (status, _) = w.call(Method::POST, &checks, &w.participant, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = w.call(Method::POST, &checks, &facilitator, None).await;
    assert_eq!(status, StatusCode::CREATED);
    // Scheduling is a chair's: not the facilitator's, not a participant's.
    for cookie in [&facilitator, &w.participant] {
        let (status, _) = w
            .call(
                Method::POST,
                &format!("/api/v1/documents/{}/sessions", w.doc),
                cookie,
                Some(
                    json!({ "title": "Mine", "items": [{ "kind": "question", "target": "Why?" }] }),
                ),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn the_rapporteurs_counts_are_marked_as_recorded() {
    let w = world().await;
    let (rapporteur, rapporteur_id) = w.person("rapporteur@example.org").await;
    let (session, items) = w.schedule(None, Some(&rapporteur_id)).await;
    let check = w.open_check(&session, &items[1], &w.chair).await;
    let hands = format!("/api/v1/live/{session}/checks/{check}/hands");
    let count = |group: &str, s: u32, c: u32, o: u32| {
        Some(json!({ "group": group, "support": s, "can_live_with": c, "oppose": o }))
    };
    // Counted twice for one group: the latest count stands.
    for body in [
        count("civil-society", 3, 1, 0),
        count("civil-society", 7, 2, 1),
    ] {
        let (status, body) = w.call(Method::PUT, &hands, &rapporteur, body).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    // The rapporteur cannot run the session; a participant cannot record.
    let (status, _) = w
        .call(
            Method::POST,
            &format!("/api/v1/live/{session}/checks"),
            &rapporteur,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = w
        .call(
            Method::PUT,
            &hands,
            &w.participant,
            count("government", 1, 0, 0),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = w
        .call(
            Method::PUT,
            &hands,
            &rapporteur,
            count("government", 10_001, 0, 0),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // One person online, one in the room.
    assert_eq!(
        w.stance(
            &session,
            &check,
            &w.participant,
            json!({ "stance": "support" })
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(
        w.stance(
            &session,
            &check,
            &w.chair,
            json!({ "stance": "can-live-with", "in_room": true })
        )
        .await,
        StatusCode::OK
    );
    let figures = &w.session(&session, &w.chair).await["checks"][0]["figures"];
    assert_eq!(
        figures["recorded"],
        json!({ "support": 7, "can_live_with": 2, "oppose": 1 })
    );
    assert_eq!(
        figures["online"],
        json!({ "support": 1, "can_live_with": 0, "oppose": 0 })
    );
    assert_eq!(
        figures["room"],
        json!({ "support": 0, "can_live_with": 1, "oppose": 0 })
    );
    assert_eq!(
        figures["tally"],
        json!({ "support": 8, "can_live_with": 3, "oppose": 1 })
    );
}

#[tokio::test]
async fn the_queue_suggests_the_group_heard_least_and_only_whoever_runs_it_calls() {
    let w = world().await;
    let (rapporteur, rapporteur_id) = w.person("rapporteur@example.org").await;
    let (session, items) = w.schedule(None, Some(&rapporteur_id)).await;
    let queue = format!("/api/v1/live/{session}/queue");
    // The participant (a government's, by the seed) raises a hand online; a second time is
    // refused.
    let (status, body) = w
        .call(Method::POST, &queue, &w.participant, Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = w
        .call(Method::POST, &queue, &w.participant, Some(json!({})))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("hand-up"))
    );
    // Another government delegate, in the room, on their phone, a second later.
    w.now.fetch_add(1, Ordering::SeqCst);
    let (delegate, _) = w.person("delegate@example.org").await;
    let (status, _) = w
        .call(
            Method::POST,
            &queue,
            &delegate,
            Some(json!({ "in_room": true })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    // Someone without a device, put in the queue by the rapporteur; a participant may not.
    let someone = json!({ "name": "Amina (floor microphone 2)", "group": "civil-society" });
    let (status, _) = w
        .call(Method::POST, &queue, &w.participant, Some(someone.clone()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    w.now.fetch_add(1, Ordering::SeqCst);
    let (status, body) = w
        .call(Method::POST, &queue, &rapporteur, Some(someone))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let hands = body["queue"].as_array().expect("queue").clone();
    assert_eq!(hands.len(), 3);
    assert_eq!(
        hands
            .iter()
            .map(|h| h["source"].as_str().unwrap_or(""))
            .collect::<Vec<_>>(),
        ["online", "room", "recorded"]
    );
    // Nobody spoke yet: the first hand raised is suggested. The chair calls it.
    assert_eq!(body["suggested"], hands[0]["id"]);
    let settle = |hand: &Value| format!("{queue}/{}", hand["id"].as_str().expect("id"));
    let (status, _) = w
        .call(
            Method::POST,
            &settle(&hands[1]),
            &w.participant,
            Some(json!({ "call": true })),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a participant calls nobody");
    let (status, body) = w
        .call(
            Method::POST,
            &settle(&hands[0]),
            &w.chair,
            Some(json!({ "call": true })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["queue"][0]["called_at"].is_number());
    // Governments were heard; civil society was not: its hand is suggested, though the
    // delegate's went up first. The delegate lowers their own hand; nobody else could but
    // whoever runs the session.
    assert_eq!(body["suggested"], hands[2]["id"]);
    let lower = Some(json!({ "call": false }));
    let (status, _) = w
        .call(
            Method::POST,
            &settle(&hands[1]),
            &w.participant,
            lower.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not someone else's hand");
    let (status, body) = w
        .call(Method::POST, &settle(&hands[1]), &delegate, lower)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["queue"][1]["lowered_at"].is_number());
    assert_eq!(body["suggested"], hands[2]["id"]);
    // A hand called or lowered is settled: calling it again finds no waiting hand.
    let (status, _) = w
        .call(
            Method::POST,
            &settle(&hands[1]),
            &w.chair,
            Some(json!({ "call": true })),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The participant may raise a hand again once called.
    let (status, _) = w
        .call(Method::POST, &queue, &w.participant, Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // The rapporteur notes a comment from the floor, anonymous; a participant may not.
    let floor = format!("/api/v1/live/{session}/floor");
    let said = json!({ "item": items[0], "body": "The review should include the regions.", "group": "government" });
    let (status, _) = w
        .call(Method::POST, &floor, &w.participant, Some(said.clone()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = w.call(Method::POST, &floor, &rapporteur, Some(said)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["floor"][0]["speaker"], Value::Null);
    assert_eq!(body["floor"][0]["group"], "government");
    let elsewhere = json!({ "item": "i-nowhere", "body": "Lost words." });
    let (status, _) = w
        .call(Method::POST, &floor, &rapporteur, Some(elsewhere))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_chair_marks_points_of_consensus_with_a_reason_the_record_keeps() {
    let w = world().await;
    let (facilitator, facilitator_id) = w.person("facilitator@example.org").await;
    let (session, items) = w.schedule(Some(&facilitator_id), None).await;
    let check = w.open_check(&session, &items[0], &facilitator).await;
    assert_eq!(
        w.stance(
            &session,
            &check,
            &w.participant,
            json!({ "stance": "support" })
        )
        .await,
        StatusCode::OK
    );
    let close = format!("/api/v1/live/{session}/checks/{check}/close");
    assert_eq!(
        w.call(Method::POST, &close, &facilitator, None).await.0,
        StatusCode::OK
    );
    let points = format!("/api/v1/live/{session}/points");
    let point =
        json!({ "item": items[0], "reason": "The check closed with support and no objection." });
    // The facilitator runs the session but recognising consensus is the chair's.
    let (status, _) = w
        .call(Method::PUT, &points, &facilitator, Some(point.clone()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = w
        .call(
            Method::PUT,
            &points,
            &w.chair,
            Some(json!({ "item": items[0], "reason": " " })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = w.call(Method::PUT, &points, &w.chair, Some(point)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["points"][0]["item"], items[0].as_str());
    let record = w.state.rooms.store().record(&w.doc).await.expect("record");
    let entry = record
        .iter()
        .find(|e| e.kind == "session-point-of-consensus")
        .expect("recorded");
    assert!(
        entry.reason.starts_with("The check closed with support"),
        "{}",
        entry.reason
    );
}

#[tokio::test]
async fn the_poll_asked_before_and_after_shows_how_opinions_moved() {
    let w = world().await;
    let (status, body) = w
        .call(
            Method::POST,
            &format!("/api/v1/documents/{}/sessions", w.doc),
            &w.chair,
            Some(json!({
                "title": "Main session",
                "items": [{ "kind": "question", "target": "A review every two years?" }],
                "poll": ["How far should reviews be regular?", "How far should regions lead them?"],
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let session = body["id"].as_str().expect("id").to_string();
    let questions: Vec<String> = body["poll"]["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|q| q["id"].as_str().expect("id").to_string())
        .collect();
    let answers = format!("/api/v1/live/{session}/poll/answers");
    let answer = |round: &str, value: u8| {
        Some(json!({ "round": round, "answers": [{ "question": questions[0], "value": value }] }))
    };
    // Not open yet.
    let (status, body) = w
        .call(Method::PUT, &answers, &w.participant, answer("before", 2))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("poll-closed"))
    );
    let round = format!("/api/v1/live/{session}/poll");
    let (status, _) = w
        .call(
            Method::PUT,
            &round,
            &w.participant,
            Some(json!({ "round": "before" })),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only whoever runs it opens a round"
    );
    let (status, _) = w
        .call(
            Method::PUT,
            &round,
            &w.chair,
            Some(json!({ "round": "before" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (other, _) = w.person("other@example.org").await;
    for (cookie, value) in [(&w.participant, 2), (&other, 6)] {
        let (status, body) = w
            .call(Method::PUT, &answers, cookie, answer("before", value))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) = w
        .call(Method::PUT, &answers, &w.participant, answer("before", 8))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("poll-scale"))
    );
    // The "after" round, once the session has deliberated: the participant moved, the other
    // did not answer again.
    let (status, _) = w
        .call(
            Method::PUT,
            &round,
            &w.chair,
            Some(json!({ "round": "after" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = w
        .call(Method::PUT, &answers, &w.participant, answer("before", 3))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, body) = w
        .call(Method::PUT, &answers, &w.participant, answer("after", 5))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let poll = &body["poll"];
    assert_eq!(poll["round"], "after");
    let q = &poll["questions"][0];
    assert_eq!(
        (q["yours_before"].as_u64(), q["yours_after"].as_u64()),
        (Some(2), Some(5))
    );
    let everyone = &q["movement"][0];
    assert_eq!(everyone["everyone"], true);
    assert_eq!(everyone["answered_both"], 1);
    assert_eq!(everyone["answered_before_only"], 1);
    assert_eq!(
        (
            everyone["mean_before"].as_f64(),
            everyone["mean_after"].as_f64()
        ),
        (Some(2.0), Some(5.0))
    );
    let government = q["movement"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|m| m["group"] == "government")
        .expect("the government row");
    assert_eq!(government["answered_both"], 1);
    assert_eq!(poll["questions"][1]["movement"][0]["answered_both"], 0);
}

/// The next `session` event of a followed session's stream: its data as JSON.
async fn next_event(body: &mut axum::body::Body) -> Value {
    use http_body_util::BodyExt;
    let mut text = String::new();
    loop {
        let frame = body
            .frame()
            .await
            .expect("the stream goes on")
            .expect("a frame");
        let Ok(bytes) = frame.into_data() else {
            continue;
        };
        text.push_str(std::str::from_utf8(&bytes).expect("text"));
        // An event ends at a blank line; keep-alive comments carry no data.
        while let Some((event, rest)) = text.split_once("\n\n") {
            let data: String = event
                .lines()
                .filter_map(|l| l.strip_prefix("data: ").or(l.strip_prefix("data:")))
                .collect();
            let rest = rest.to_string();
            if event.lines().any(|l| l == "event: session") {
                return serde_json::from_str(&data).expect("a session");
            }
            text = rest;
        }
    }
}

#[tokio::test]
async fn a_followed_session_is_sent_to_every_screen_at_each_change_without_anyones_own_part() {
    use tower::ServiceExt;
    let w = world().await;
    let (session, items) = w.schedule(None, None).await;
    let check = w.open_check(&session, &items[0], &w.chair).await;
    let (status, listed) = common::call_json(
        &w.app,
        Method::GET,
        &format!("/api/v1/documents/{}/sessions", w.doc),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed[0]["id"], session, "{listed}");
    let follow = |cookie: Option<&str>| {
        let mut req = axum::http::Request::get(format!("/api/v1/live/{session}/events"));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        w.app
            .clone()
            .oneshot(req.body(axum::body::Body::empty()).expect("request"))
    };
    // A projector nobody signed in on, and the chair's laptop.
    let projector = follow(None).await.expect("response");
    assert_eq!(projector.status(), StatusCode::OK);
    assert_eq!(
        projector.headers()["content-type"],
        "text/event-stream",
        "an event stream"
    );
    let mut projector = projector.into_body();
    let mut laptop = follow(Some(&w.chair)).await.expect("response").into_body();
    let now = next_event(&mut projector).await;
    assert_eq!(now["current"], items[0]);
    assert_eq!(now["checks"][0]["id"], check);
    next_event(&mut laptop).await;

    let status = w
        .stance(
            &session,
            &check,
            &w.participant,
            json!({ "stance": "oppose", "reason": "Too vague." }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    for screen in [&mut projector, &mut laptop] {
        let after = next_event(screen).await;
        let figures = &after["checks"][0]["figures"];
        assert_eq!(figures["tally"]["oppose"], 1, "{after}");
        assert_eq!(figures["reasons"][0], "Too vague.", "{after}");
        // Everyone's view: nobody's stance, nobody's powers.
        assert_eq!(after["you"]["may_run"], false);
        assert!(after["you"]["stance"].is_null());
    }
    w.call(
        Method::PUT,
        &format!("/api/v1/live/{session}/current"),
        &w.chair,
        Some(json!({ "item": items[1] })),
    )
    .await;
    assert_eq!(next_event(&mut projector).await["current"], items[1]);

    // A session nobody may see is not followed.
    let missing = w
        .app
        .clone()
        .oneshot(
            axum::http::Request::get("/api/v1/live/nothing/events")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_session_report_is_read_back_from_docx_and_html_and_joins_the_consultation_report() {
    let w = world().await;
    let (session, items) = w.schedule(None, None).await;
    let check = w.open_check(&session, &items[0], &w.chair).await;
    let (someone, _) = w.person("someone@example.org").await;
    let status = w
        .stance(
            &session,
            &check,
            &someone,
            json!({ "stance": "support", "in_room": true }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let status = w
        .stance(
            &session,
            &check,
            &w.participant,
            json!({ "stance": "oppose", "reason": "Too vague." }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let live = format!("/api/v1/live/{session}");
    let (status, _) = w
        .call(
            Method::POST,
            &format!("{live}/checks/{check}/close"),
            &w.chair,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = w
        .call(
            Method::PUT,
            &format!("{live}/points"),
            &w.chair,
            Some(json!({ "item": items[0], "reason": "Two stakeholder groups, one objection answered." })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let (status, headers, docx) = common::call_raw(
        &w.app,
        &format!("{live}/report?format=docx"),
        Some(&w.chair),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-disposition"]
        .to_str()
        .expect("header")
        .contains("session-report.docx"));
    let blocks = common::read_export("docx", &docx);
    assert_eq!(
        common::styled(&blocks, "Title"),
        ["Main session: session report"]
    );
    let headings = common::styled(&blocks, "Heading 2");
    for h in [
        "Agenda",
        "Attendance by stakeholder group",
        "Where the stances came from",
        "Checks of the sense of the room",
        "Speaking queue",
        "Points of consensus",
    ] {
        assert!(headings.contains(&h), "{h} in {headings:?}");
    }
    let tables: Vec<&Vec<Value>> = blocks
        .iter()
        .filter_map(|b| b["table"].as_array())
        .collect();
    // Where the stances came from: one in the room supports, one online opposes.
    let split = tables
        .iter()
        .find(|t| t[0][0] == "Source")
        .expect("the split");
    assert_eq!(split[1], json!(["online", "0", "0", "1"]));
    assert_eq!(split[2], json!(["in the room", "1", "0", "0"]));
    let text: Vec<&str> = blocks.iter().filter_map(|b| b["text"].as_str()).collect();
    assert!(text.contains(&"Too vague."), "{text:?}");
    assert!(
        text.iter()
            .any(|t| t.starts_with("Item 1: Two stakeholder groups")),
        "{text:?}"
    );

    // The consultation report has a section for it.
    let (status, _, html) = common::call_raw(
        &w.app,
        &format!("/api/v1/documents/{}/report?format=html", w.doc),
        Some(&w.chair),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let blocks = common::read_export("html", &html);
    assert!(common::styled(&blocks, "h2").contains(&"Live sessions"));
    assert!(common::styled(&blocks, "h3")
        .iter()
        .any(|h| h.starts_with("Main session · ")));
}
