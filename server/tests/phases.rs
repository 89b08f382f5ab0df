//! Phases over the real server with an injected clock: who may do what in each phase, the
//! deadline moving a document on (on the next request and by the ticker, reaching an open
//! sync connection), the decision record that logs it and verifies, and each bad input.

mod common;

use std::{
    sync::{
        atomic::{AtomicI64, Ordering},
        Arc,
    },
    time::Duration,
};

use axum::{
    http::{Method, StatusCode},
    Router,
};
use common::{Peer, Server};
use domain::{
    api::{ErrorCode, Phase},
    document, record,
};
use serde_json::{json, Value};

const T0: i64 = 1_800_000_000;
const DAY: i64 = 86_400;

struct World {
    _dir: tempfile::TempDir,
    server: Server,
    app: Router,
    now: Arc<AtomicI64>,
    doc: String,
    chair: String,
    participant: String,
    outsider: String,
}

async fn world() -> World {
    let dir = tempfile::tempdir().expect("tempdir");
    let now = Arc::new(AtomicI64::new(T0));
    let clock = now.clone();
    let server =
        Server::start_with_clock(dir.path(), Arc::new(move || clock.load(Ordering::SeqCst))).await;
    let app = accord_server::router(server.state.clone());
    let doc = server.first_document().await;
    let (status, _) = common::call_json(
        &app,
        Method::POST,
        "/api/v1/auth/register",
        None,
        Some(json!({
            "login": "outsider@example.org", "password": accord_core::seed::DEMO_PASSWORD,
            "display_name": "Olu Outsider", "stakeholder_group": "private-sector", "region": "african"
        })),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    World {
        chair: common::session(&app, "chair@example.org").await,
        participant: common::session(&app, "participant@example.org").await,
        outsider: common::confirm(&app, dir.path(), "outsider@example.org").await,
        _dir: dir,
        server,
        app,
        now,
        doc,
    }
}

fn error(body: &Value) -> String {
    body["error"].as_str().unwrap_or_default().to_string()
}

impl World {
    /// Signs everyone in again.
    async fn resume(&mut self) {
        self.chair = common::session(&self.app, "chair@example.org").await;
        self.participant = common::session(&self.app, "participant@example.org").await;
        self.outsider = common::session(&self.app, "outsider@example.org").await;
    }

    async fn call(
        &self,
        method: Method,
        tail: &str,
        cookie: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let path = format!("/api/v1/documents/{}{tail}", self.doc);
        common::call_json(&self.app, method, &path, Some(cookie), body).await
    }

    async fn move_to(
        &self,
        cookie: &str,
        phase: &str,
        deadline: Option<i64>,
    ) -> (StatusCode, Value) {
        let body = json!({ "phase": phase, "deadline": deadline, "reason": "As agreed at the open meeting." });
        self.call(Method::POST, "/phase", cookie, Some(body)).await
    }

    async fn paragraph(&self) -> String {
        self.server.detail(&self.doc).await.paragraphs[1].id.clone()
    }

    async fn comment(&self, cookie: &str) -> (StatusCode, Value) {
        let tail = format!("/paragraphs/{}/comments", self.paragraph().await);
        self.call(
            Method::POST,
            &tail,
            cookie,
            Some(json!({ "body": "A view from outside." })),
        )
        .await
    }

    async fn stance(&self, cookie: &str, stance: &str) -> (StatusCode, Value) {
        let tail = format!("/paragraphs/{}/stance", self.paragraph().await);
        let body = json!({ "stance": stance, "reason": "It says too little." });
        self.call(Method::PUT, &tail, cookie, Some(body)).await
    }

    async fn record(&self) -> Vec<record::Entry> {
        let (status, body) = self
            .call(Method::GET, "/record", &self.participant, None)
            .await;
        assert_eq!(status, StatusCode::OK);
        serde_json::from_value(body).expect("record")
    }
}

#[tokio::test]
async fn a_consultation_opens_feedback_then_last_call_takes_only_objections_and_closing_freezes() {
    let mut w = world().await;
    // Drafting: feedback is for the group's members.
    let (status, _) = w.comment(&w.outsider).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = w
        .move_to(&w.participant, "consultation", Some(T0 + DAY))
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only a chair moves the phase"
    );
    let (status, body) = w.move_to(&w.chair, "consultation", Some(T0 + DAY)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The consultation: anyone with an account.
    let (status, body) = w.comment(&w.outsider).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let d = w.server.detail(&w.doc).await;
    assert_eq!(d.schedule.phase, Phase::Consultation);
    let (_, page) = w.call(Method::GET, "", &w.outsider, None).await;
    assert_eq!(page["seconds_left"], json!(DAY));

    // The deadline passes: the next request finds the document in last call. (A day idle
    // ends sessions, so everyone signs in again.)
    w.now.store(T0 + DAY, Ordering::SeqCst);
    w.resume().await;
    let (_, page) = w.call(Method::GET, "", &w.outsider, None).await;
    assert_eq!(
        page["schedule"],
        json!({ "phase": "last-call", "deadline": null })
    );
    let (status, body) = w.comment(&w.outsider).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(error(&body).contains("last call"), "{body}");
    assert_eq!(body["code"], "phase-forbids", "{body}");
    let (status, body) = w.stance(&w.outsider, "support").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(error(&body).contains("only objections"), "{body}");
    assert_eq!(body["code"], "last-call-objections-only", "{body}");
    let (status, body) = w.stance(&w.outsider, "oppose").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let heads = w.server.detail(&w.doc).await.heads;
    let p = w.paragraph().await;
    let (status, _) = w
        .call(
            Method::POST,
            "/amendments",
            &w.participant,
            Some(json!({ "base": heads, "edits": [{ "kind": "replace", "paragraph": p, "text": "Late." }], "rationale": "Late." })),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no amendments in last call");

    // Closed: nothing more is written.
    let (status, body) = w.move_to(&w.chair, "closed", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = w.stance(&w.participant, "oppose").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(error(&body).contains("closed"), "{body}");
    assert_eq!(body["code"], "phase-forbids", "{body}");

    // Every move is in the record, which verifies; an altered copy does not.
    let r = w.record().await;
    let kinds: Vec<(&str, &str)> = r
        .iter()
        .map(|e| (e.actor.as_str(), e.summary.as_str()))
        .collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    assert_eq!(kinds[1].0, "Accord (deadline)");
    assert!(
        kinds[0]
            .1
            .starts_with("Moved the document from drafting to public consultation until"),
        "{kinds:?}"
    );
    assert_eq!(kinds[2].1, "Closed the document");
    assert_eq!(r[2].reason, "As agreed at the open meeting.");
    assert!(record::verify(&r).is_ok());
    let mut altered = r.clone();
    altered[0].reason = "Nobody agreed.".into();
    assert!(record::verify(&altered).is_err());
}

#[tokio::test]
async fn bad_phase_changes_are_refused_in_words_and_change_nothing() {
    let w = world().await;
    let cases = [
        (
            json!({ "phase": "consultation", "deadline": T0 - 1, "reason": "x" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "has passed",
        ),
        (
            json!({ "phase": "drafting", "deadline": T0 + DAY, "reason": "x" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "has no deadline",
        ),
        (
            json!({ "phase": "drafting", "reason": "x" }),
            StatusCode::CONFLICT,
            "already",
        ),
        (
            json!({ "phase": "consultation", "reason": "  " }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "reason",
        ),
        (
            json!({ "phase": "voting", "reason": "x" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "",
        ),
        (
            json!({ "phase": "closed", "reason": "x", "when": "now" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "when",
        ),
    ];
    for (body, status, words) in cases {
        let (got, answer) = w
            .call(Method::POST, "/phase", &w.chair, Some(body.clone()))
            .await;
        assert_eq!(got, status, "{body}: {answer}");
        assert!(
            error(&answer).contains(words),
            "{answer} should say {words:?}"
        );
    }
    let (status, _) = common::call_json(
        &w.app,
        Method::POST,
        "/api/v1/documents/dnothere/phase",
        Some(&w.chair),
        Some(json!({ "phase": "closed", "reason": "x" })),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        w.server.detail(&w.doc).await.schedule.phase,
        Phase::Drafting
    );
    assert!(w.record().await.is_empty());
}

#[tokio::test]
async fn when_the_consultation_ends_an_open_connection_stops_a_drafters_typing() {
    let w = world().await;
    let (status, body) = w.move_to(&w.chair, "consultation", Some(T0 + 60)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let drafter = common::login(w.server.addr, "drafter@example.org").await;
    let mut peer = Peer::connect_as(&w.server.sync_url(&w.doc), Some(&drafter)).await;
    peer.settle(Duration::from_millis(300)).await;
    let p = w.paragraph().await;
    document::splice(&mut peer.doc, &p, 0, 0, "During the consultation. ").expect("type");
    peer.settle(Duration::from_millis(300)).await;
    assert!(w.server.detail(&w.doc).await.paragraphs[1]
        .text
        .starts_with("During the consultation. "));
    // Nobody asks; the ticker finds the deadline passed and tells the room.
    w.now.store(T0 + 61, Ordering::SeqCst);
    assert_eq!(
        accord_core::phases::advance_due(&w.server.state)
            .await
            .expect("advance"),
        1
    );
    // The connection hears of the new phase (its editor stops offering to type).
    peer.settle(Duration::from_millis(300)).await;
    assert!(
        peer.controls.contains(&domain::api::ServerFrame::Phase {
            phase: Phase::LastCall
        }),
        "{:?}",
        peer.controls
    );
    document::splice(&mut peer.doc, &p, 0, 0, "Too late. ").expect("type");
    peer.send_sync().await;
    let message = peer.refused_with(ErrorCode::Forbidden).await;
    assert!(message.contains("last call"), "{message}");
    assert!(!w.server.detail(&w.doc).await.paragraphs[1]
        .text
        .starts_with("Too late."));
}
