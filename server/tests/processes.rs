//! Three server processes on one PostgreSQL database, each with its own rooms, replicas and
//! listener: what a person does through one reaches the people connected through the others.
//! (Three servers in this test process, each as separate as a process: its own store, node
//! name, connections and news; the kill -9 of a real process is in `processes_fault.rs`.)

mod common;

use std::{
    sync::{
        atomic::{AtomicI64, Ordering},
        Arc,
    },
    time::Duration,
};

use accord_core::store::Store;
use accord_server::AppState;
use axum::http::{Method, StatusCode};
use common::{Peer, Server};
use domain::{
    api::{ErrorCode, ServerFrame},
    document,
};
use serde_json::json;

const T0: i64 = 1_770_000_000;

/// Three servers on one new database; the first seeds it.
struct Three {
    servers: Vec<Server>,
    doc: String,
    url: String,
    now: Arc<AtomicI64>,
    _dir: tempfile::TempDir,
}

async fn three() -> Three {
    let url = common::new_database(&common::required_cluster()).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let now = Arc::new(AtomicI64::new(T0));
    let mut servers = Vec::new();
    for i in 0..3 {
        let store = Store::connect(&url, 4).await.expect("store");
        let clock = now.clone();
        let mut state = AppState::with_clock(
            store,
            common::leptos_options(),
            Arc::new(move || clock.load(Ordering::SeqCst)),
        );
        state.mail = accord_core::mail::Mailer::folder(
            dir.path().join(format!("mail{i}")),
            "Accord <accord@accord.test>",
        )
        .expect("mail folder");
        state.origin = "http://accord.test".into();
        if i == 0 {
            accord_core::seed::seed_if_empty(&state.rooms)
                .await
                .expect("seed");
        }
        servers.push(Server::serve(state).await);
    }
    let doc = servers[0].first_document().await;
    Three {
        servers,
        doc,
        url,
        now,
        _dir: dir,
    }
}

impl Three {
    async fn editor(&self, i: usize, login: &str) -> Peer {
        let cookie = common::login(self.servers[i].addr, login).await;
        let mut peer = Peer::connect_as(&self.servers[i].sync_url(&self.doc), Some(&cookie)).await;
        peer.settle(Duration::from_millis(300)).await;
        peer
    }

    async fn call(
        &self,
        i: usize,
        method: Method,
        path: &str,
        login: &str,
        body: Option<serde_json::Value>,
    ) -> (StatusCode, serde_json::Value) {
        let app = accord_server::router(self.servers[i].state.clone());
        let cookie = common::session(&app, login).await;
        common::call_json(&app, method, path, Some(&cookie), body).await
    }

    async fn paragraph(&self) -> String {
        self.servers[0].detail(&self.doc).await.paragraphs[1]
            .id
            .clone()
    }
}

/// Reads until `pick` finds a frame or five seconds pass.
async fn heard(peer: &mut Peer, pick: impl Fn(&ServerFrame) -> bool) -> bool {
    for _ in 0..50 {
        if peer.controls.iter().any(&pick) {
            return true;
        }
        peer.settle(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn editors_on_three_processes_type_into_one_paragraph_and_converge() {
    let w = three().await;
    let p = w.paragraph().await;
    let mut peers = Vec::new();
    for i in 0..3 {
        peers.push(w.editor(i, "drafter@example.org").await);
    }
    let words = ["North. ", "Centre. ", "South. "];
    for round in 0..5 {
        for (peer, w) in peers.iter_mut().zip(words) {
            document::splice(&mut peer.doc, &p, 0, 0, &format!("{round}{w}")).expect("type");
            peer.send_sync().await;
        }
    }
    for _ in 0..3 {
        for peer in &mut peers {
            peer.settle(Duration::from_millis(300)).await;
        }
    }
    let texts: Vec<String> = peers
        .iter_mut()
        .map(|peer| {
            document::read(peer.doc.document())
                .expect("outline")
                .paragraphs[1]
                .text
                .clone()
        })
        .collect();
    for round in 0..5 {
        for w in words {
            assert!(texts[0].contains(&format!("{round}{w}")), "{}", texts[0]);
        }
    }
    assert!(texts.iter().all(|t| *t == texts[0]), "{texts:#?}");
    // Each process's replica, and the database read afresh, hold the same text.
    for server in &w.servers {
        assert_eq!(server.detail(&w.doc).await.paragraphs[1].text, texts[0]);
    }
    assert_eq!(common::stored_paragraph(&w.url, &w.doc, 1).await, texts[0]);
}

#[tokio::test]
async fn a_comment_posted_on_one_process_is_announced_on_the_others() {
    let w = three().await;
    let p = w.paragraph().await;
    let mut b = w.editor(1, "drafter@example.org").await;
    let mut c = w.editor(2, "chair@example.org").await;
    let (status, body) = w
        .call(
            0,
            Method::POST,
            &format!("/api/v1/documents/{}/paragraphs/{p}/comments", w.doc),
            "participant@example.org",
            Some(json!({ "body": "Said on the first process." })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    for peer in [&mut b, &mut c] {
        assert!(
            heard(peer, |f| matches!(
                f,
                ServerFrame::Feedback { consensus } if consensus.paragraph == p
            ))
            .await,
            "{:?}",
            peer.controls
        );
    }
    // The figures the other processes serve count the comment too (their caches were told).
    for server in &w.servers[1..] {
        let app = accord_server::router(server.state.clone());
        let (status, feedback) = common::call_json(
            &app,
            Method::GET,
            &format!("/api/v1/documents/{}/paragraphs/{p}/feedback", w.doc),
            None,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(feedback.to_string().contains("Said on the first process."));
    }
}

#[tokio::test]
async fn a_role_lowered_on_one_process_is_refused_on_the_others_at_the_next_message() {
    let w = three().await;
    let p = w.paragraph().await;
    let mut drafter = w.editor(2, "drafter@example.org").await;
    let store = w.servers[0].state.rooms.store();
    let group = store
        .document_meta(&w.doc)
        .await
        .expect("meta")
        .expect("doc")
        .group_id;
    let account = store
        .account_by_login("drafter@example.org")
        .await
        .expect("account")
        .expect("drafter")
        .0
        .id;
    let (status, body) = w
        .call(
            0,
            Method::PUT,
            &format!("/api/v1/groups/{group}/members/{account}"),
            "chair@example.org",
            Some(json!({ "role": "participant" })),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    // The third process hears of it and shows the drafter's new role to the room.
    assert!(
        heard(&mut drafter, |f| matches!(
            f,
            ServerFrame::Presence(who) if who.role == domain::policy::Role::Participant
        ))
        .await,
        "{:?}",
        drafter.controls
    );
    document::splice(&mut drafter.doc, &p, 0, 0, "No longer mine. ").expect("type");
    drafter.send_sync().await;
    drafter.refused_with(ErrorCode::Forbidden).await;
    assert!(!w.servers[0].detail(&w.doc).await.paragraphs[1]
        .text
        .starts_with("No longer mine."));
}

#[tokio::test]
async fn a_phase_deadline_ends_once_not_three_times() {
    let w = three().await;
    let (status, body) = w
        .call(
            0,
            Method::POST,
            &format!("/api/v1/documents/{}/phase", w.doc),
            "chair@example.org",
            Some(json!({
                "phase": "consultation", "deadline": T0 + 60,
                "reason": "As agreed at the open meeting."
            })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut watcher = w.editor(2, "participant@example.org").await;
    let before = w.servers[0]
        .state
        .rooms
        .store()
        .record(&w.doc)
        .await
        .expect("record")
        .len();
    w.now.store(T0 + 61, Ordering::SeqCst);
    // Every process's ticker finds the deadline passed at the same moment.
    let (a, b, c) = tokio::join!(
        accord_core::phases::advance_due(&w.servers[0].state),
        accord_core::phases::advance_due(&w.servers[1].state),
        accord_core::phases::advance_due(&w.servers[2].state),
    );
    let ended: usize = [a, b, c].into_iter().map(|n| n.expect("advance")).sum();
    assert_eq!(ended, 1);
    let record = w.servers[1]
        .state
        .rooms
        .store()
        .record(&w.doc)
        .await
        .expect("record");
    assert_eq!(record.len(), before + 1, "{record:#?}");
    assert!(
        heard(&mut watcher, |f| matches!(f, ServerFrame::Phase { .. })).await,
        "{:?}",
        watcher.controls
    );
}

/// A sign-in attempt through the router of server `i`, from `address` (the servers trust one
/// proxy, which names it).
async fn sign_in(w: &Three, i: usize, address: &str, password: &str) -> StatusCode {
    let mut state = w.servers[i].state.clone();
    state.auth.trust_proxy = 1;
    let req = axum::http::Request::post("/api/v1/auth/login")
        .header("content-type", "application/json")
        .header("x-forwarded-for", address)
        .body(axum::body::Body::from(
            json!({ "login": "chair@example.org", "password": password }).to_string(),
        ))
        .expect("request");
    let app = accord_server::router(state);
    tower::ServiceExt::oneshot(app, req)
        .await
        .expect("answer")
        .status()
}

#[tokio::test]
async fn an_allowance_spent_through_one_process_is_spent_on_all() {
    let w = three().await;
    // Ten sign-ins from one address, spread over the three: the eleventh is refused
    // wherever it lands.
    for n in 0..10 {
        let status = sign_in(&w, n % 3, "198.51.100.7", "wrong password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    for i in 0..3 {
        assert_eq!(
            sign_in(&w, i, "198.51.100.7", "wrong password").await,
            StatusCode::TOO_MANY_REQUESTS,
            "the address's allowance is spent on server {i} too"
        );
    }
    // Those ten were wrong passwords for one login: from a fresh address, on any server, the
    // login waits, as a botnet guessing it through three processes finds.
    for i in 0..3 {
        assert_eq!(
            sign_in(&w, i, &format!("203.0.113.{i}"), "wrong password").await,
            StatusCode::TOO_MANY_REQUESTS,
            "the login waits on server {i}"
        );
    }
    w.now.fetch_add(31, Ordering::SeqCst);
    let status = sign_in(&w, 2, "203.0.113.9", accord_core::seed::DEMO_PASSWORD).await;
    assert!(
        status.is_success(),
        "after the wait, the right password: {status}"
    );
}
