//! Vote stuffing, as it was tried: five fresh accounts from one address moved a paragraph's
//! support from 4 to 9 the minute they were made. Now a stance counts only once its author
//! confirmed their address with the link mailed to it (the mail folder under the data folder,
//! as an installation without SMTP writes it), the chairs see accounts registered in bursts and
//! can set their stances aside for a reason the decision record keeps, and registering says
//! nothing about which addresses have accounts.

mod common;

use axum::{http::Method, http::StatusCode, Router};
use common::{call_json, Server};
use serde_json::{json, Value};

struct World {
    dir: tempfile::TempDir,
    app: Router,
    server: Server,
    doc: String,
    paragraph: String,
    chair: String,
}

async fn world() -> World {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path()).await;
    let app = accord_server::router(server.state.clone());
    let doc = server.first_document().await;
    let paragraph = server.detail(&doc).await.paragraphs[1].id.clone();
    let chair = common::session(&app, "chair@example.org").await;
    // The consultation opens stances to every account, members of the group or not.
    let (status, body) = call_json(
        &app,
        Method::POST,
        &format!("/api/v1/documents/{doc}/phase"),
        Some(&chair),
        Some(json!({ "phase": "consultation", "reason": "Open to all." })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    World {
        dir,
        app,
        server,
        doc,
        paragraph,
        chair,
    }
}

fn newcomer(login: &str) -> Value {
    json!({
        "login": login, "password": accord_core::seed::DEMO_PASSWORD, "display_name": login,
        "stakeholder_group": "private-sector", "region": "african"
    })
}

impl World {
    async fn register(&self, login: &str) -> (StatusCode, Value) {
        call_json(
            &self.app,
            Method::POST,
            "/api/v1/auth/register",
            None,
            Some(newcomer(login)),
        )
        .await
    }

    async fn support(&self, cookie: &str) {
        let path = format!(
            "/api/v1/documents/{}/paragraphs/{}/stance",
            self.doc, self.paragraph
        );
        let body = json!({ "stance": "support" });
        let (status, body) =
            call_json(&self.app, Method::PUT, &path, Some(cookie), Some(body)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    /// The paragraph's support as everyone sees it.
    async fn support_count(&self) -> u64 {
        let path = format!("/api/v1/documents/{}/feedback", self.doc);
        let (status, body) = call_json(&self.app, Method::GET, &path, None, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["paragraphs"]
            .as_array()
            .expect("paragraphs")
            .iter()
            .find(|p| p["paragraph"] == self.paragraph.as_str())
            .map(|p| p["tally"]["support"].as_u64().expect("support"))
            .expect("the paragraph")
    }

    /// Asks for a new confirmation link as `cookie`'s account.
    async fn mail_again(&self, cookie: &str) -> (StatusCode, Value) {
        call_json(
            &self.app,
            Method::POST,
            "/api/v1/me/confirmation",
            Some(cookie),
            None,
        )
        .await
    }

    async fn confirm(&self, token: &str) -> (StatusCode, Value) {
        let body = json!({ "token": token });
        call_json(
            &self.app,
            Method::POST,
            "/api/v1/auth/confirm",
            None,
            Some(body),
        )
        .await
    }

    /// The document's decision record, as anyone reads it.
    async fn record(&self) -> Vec<Value> {
        let path = format!("/api/v1/documents/{}/record", self.doc);
        let (status, body) = call_json(&self.app, Method::GET, &path, None, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value(body).expect("entries")
    }

    async fn bursts(&self, cookie: &str) -> (StatusCode, Value) {
        let path = format!("/api/v1/documents/{}/bursts", self.doc);
        call_json(&self.app, Method::GET, &path, Some(cookie), None).await
    }

    async fn set_aside(&self, accounts: &[&str], count_again: bool) -> (StatusCode, Value) {
        let path = format!("/api/v1/documents/{}/stances-aside", self.doc);
        let body = json!({
            "accounts": accounts, "reason": "Five accounts from one address in two minutes.",
            "count_again": count_again
        });
        call_json(
            &self.app,
            Method::POST,
            &path,
            Some(&self.chair),
            Some(body),
        )
        .await
    }
}

#[tokio::test]
async fn fresh_accounts_stances_count_only_once_their_addresses_are_confirmed() {
    let w = world().await;
    let before = w.support_count().await;
    let logins: Vec<String> = (0..5).map(|i| format!("sock{i}@example.org")).collect();
    for login in &logins {
        let (status, body) = w.register(login).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        assert_eq!(body, json!({ "login": login }));
        // An unconfirmed account signs in and states its stance: kept, not counted.
        let cookie = common::session(&w.app, login).await;
        let (_, me) = call_json(&w.app, Method::GET, "/api/v1/me", Some(&cookie), None).await;
        assert_eq!(me["confirmed"], false, "{me}");
        w.support(&cookie).await;
    }
    assert_eq!(
        w.support_count().await,
        before,
        "unconfirmed stances moved the figures"
    );

    for login in &logins[..2] {
        let cookie = common::confirm(&w.app, w.dir.path(), login).await;
        let (_, me) = call_json(&w.app, Method::GET, "/api/v1/me", Some(&cookie), None).await;
        assert_eq!(me["confirmed"], true, "{me}");
    }
    assert_eq!(w.support_count().await, before + 2);
}

#[tokio::test]
async fn a_confirmation_link_works_once_and_a_made_up_one_not_at_all() {
    let w = world().await;
    w.register("ana@example.org").await;
    let token = common::confirmation_token(w.dir.path(), "ana@example.org", 1).await;
    let (status, body) = w.confirm(&token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["login"], "ana@example.org");
    for dead in [token, "0".repeat(64), "x".repeat(5000)] {
        let (status, body) = w.confirm(&dead).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["code"], "confirmation-link-dead", "{body}");
    }
    // Asking for a new link once confirmed says so.
    let cookie = common::session(&w.app, "ana@example.org").await;
    let (status, body) = w.mail_again(&cookie).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "confirmed-already");
}

#[tokio::test]
async fn a_lost_link_is_mailed_again_and_the_new_one_confirms() {
    let w = world().await;
    w.register("lost@example.org").await;
    common::mail_to(w.dir.path(), "lost@example.org", 1).await;
    let cookie = common::session(&w.app, "lost@example.org").await;
    assert_eq!(w.mail_again(&cookie).await.0, StatusCode::ACCEPTED);
    let token = common::confirmation_token(w.dir.path(), "lost@example.org", 2).await;
    let (status, body) = w.confirm(&token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Finding 15: registration answered 409 "login … is taken", which told anyone which
/// addresses have accounts.
#[tokio::test]
async fn registering_a_taken_login_answers_as_a_new_one_and_mails_its_owner() {
    let w = world().await;
    let (new_status, new_body) = w.register("fresh@example.org").await;
    for taken in ["participant@example.org", "PARTICIPANT@example.org"] {
        let (status, body) = w.register(taken).await;
        assert_eq!(status, new_status, "{body}");
        assert_eq!(
            body.as_object().map(|o| o.len()),
            new_body.as_object().map(|o| o.len())
        );
    }
    let mails = common::mail_to(w.dir.path(), "participant@example.org", 1).await;
    assert!(mails[0].contains("has one already"), "{}", mails[0]);
    assert!(!mails[0].contains("/confirm/"), "{}", mails[0]);
    // The owner's account is as it was: the old password still signs in.
    common::session(&w.app, "participant@example.org").await;
    let audit = w
        .server
        .state
        .rooms
        .store()
        .audit_log(50)
        .await
        .expect("audit");
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.kind == "register-existing")
            .count(),
        2
    );
}

#[tokio::test]
async fn chairs_see_a_burst_of_accounts_and_set_their_stances_aside_on_the_record() {
    let w = world().await;
    let before = w.support_count().await;
    let logins: Vec<String> = (0..4).map(|i| format!("burst{i}@example.org")).collect();
    for login in &logins {
        w.register(login).await;
        let cookie = common::confirm(&w.app, w.dir.path(), login).await;
        w.support(&cookie).await;
    }
    assert_eq!(w.support_count().await, before + 4);

    // Only chairs see bursts.
    let participant = common::session(&w.app, "participant@example.org").await;
    assert_eq!(w.bursts(&participant).await.0, StatusCode::FORBIDDEN);
    let (status, bursts) = w.bursts(&w.chair).await;
    assert_eq!(status, StatusCode::OK, "{bursts}");
    let bursts = bursts.as_array().expect("bursts").clone();
    assert_eq!(bursts.len(), 1, "{bursts:?}");
    assert_eq!(bursts[0]["address"], "A");
    let (ids, names): (Vec<String>, Vec<String>) = bursts[0]["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .map(|a| {
            let text = |k: &str| a[k].as_str().expect(k).to_string();
            (text("id"), text("display_name"))
        })
        .unzip();
    assert_eq!(ids.len(), 4);
    // The address itself is never shown.
    assert!(!serde_json::to_string(&bursts)
        .expect("json")
        .contains("127.0.0.1"));

    let three: Vec<&str> = ids[..3].iter().map(String::as_str).collect();
    let (status, after) = w.set_aside(&three, false).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    let aside = after[0]["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .filter(|a| a["set_aside"] == true)
        .count();
    assert_eq!(aside, 3);
    assert_eq!(w.support_count().await, before + 1);

    let record = w.record().await;
    let last = record.last().expect("an entry").clone();
    assert_eq!(last["kind"], "stances-set-aside", "{last}");
    let summary = last["summary"].as_str().expect("summary");
    assert!(
        names[..3].iter().all(|n| summary.contains(n.as_str())) && !summary.contains(&names[3]),
        "{summary}"
    );
    assert_eq!(
        last["reason"],
        "Five accounts from one address in two minutes."
    );

    let (status, _) = w.set_aside(&three, true).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(w.support_count().await, before + 4);
}

#[tokio::test]
async fn setting_aside_names_only_the_documents_stance_takers() {
    let w = world().await;
    for (accounts, code) in [(vec!["a-nobody"], "unknown"), (vec![], "choose")] {
        let (status, body) = w.set_aside(&accounts, false).await;
        assert!(status.is_client_error(), "{body}");
        assert_eq!(body["code"], code, "{body}");
    }
    // The drafter has an account but no stance on the document.
    let drafter = w
        .server
        .state
        .rooms
        .store()
        .account_by_login("drafter@example.org")
        .await
        .expect("db")
        .expect("drafter")
        .0
        .id;
    let (status, body) = w.set_aside(&[&drafter], false).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let record = w.record().await;
    assert!(record.iter().all(|e| e["kind"] != "stances-set-aside"));
}
