//! Vote stuffing, as it was tried: five fresh accounts from one address moved a paragraph's
//! support from 4 to 9 the minute they were made. Now an account signs in, and so takes a
//! stance, only once it confirmed its address with the link mailed to it (the mail folder under the data folder,
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

    /// Signs in with a password over the API.
    async fn sign_in(&self, login: &str, password: &str) -> (StatusCode, Value) {
        let body = json!({ "login": login, "password": password });
        call_json(
            &self.app,
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(body),
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
async fn fresh_accounts_take_no_stance_until_their_addresses_are_confirmed() {
    let w = world().await;
    let before = w.support_count().await;
    let logins: Vec<String> = (0..5).map(|i| format!("sock{i}@example.org")).collect();
    let (_, wrong) = w.sign_in("nobody@example.org", "not the password").await;
    for login in &logins {
        let (status, body) = w.register(login).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        assert_eq!(body, json!({ "login": login }));
        // The right password of an unconfirmed account is answered as a wrong one.
        let (status, body) = w.sign_in(login, accord_core::seed::DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(body, wrong);
    }
    assert_eq!(w.support_count().await, before);

    for login in &logins[..2] {
        let cookie = common::confirm(&w.app, w.dir.path(), login).await;
        w.support(&cookie).await;
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
    // Confirmed, the password signs in.
    common::session(&w.app, "ana@example.org").await;
}

#[tokio::test]
async fn signing_in_before_confirming_mails_the_link_again_and_the_new_one_confirms() {
    let w = world().await;
    w.register("lost@example.org").await;
    common::mail_to(w.dir.path(), "lost@example.org", 1).await;
    let (status, _) = w
        .sign_in("lost@example.org", accord_core::seed::DEMO_PASSWORD)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let token = common::confirmation_token(w.dir.path(), "lost@example.org", 2).await;
    let (status, body) = w.confirm(&token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // A wrong password mails nothing.
    w.register("other@example.org").await;
    w.sign_in("other@example.org", "a wrong password").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        common::mail_to(w.dir.path(), "other@example.org", 1)
            .await
            .len(),
        1
    );
}

/// Whoever types an address first must not hold it: its owner registers it afresh, the
/// squatter's links die and the squatter's password signs nobody in.
#[tokio::test]
async fn an_address_someone_else_registered_is_its_owners_once_they_register_it() {
    let w = world().await;
    let mut squatter = newcomer("owner@example.org");
    squatter["password"] = json!("the squatter's password");
    squatter["display_name"] = json!("Not the owner");
    let (status, _) = call_json(
        &w.app,
        Method::POST,
        "/api/v1/auth/register",
        None,
        Some(squatter),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let squatters_link = common::confirmation_token(w.dir.path(), "owner@example.org", 1).await;
    let (status, _) = w.register("owner@example.org").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let owners_link = common::confirmation_token(w.dir.path(), "owner@example.org", 2).await;
    assert_ne!(squatters_link, owners_link);
    assert_eq!(w.confirm(&squatters_link).await.0, StatusCode::CONFLICT);
    let (status, me) = w.confirm(&owners_link).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["display_name"], "owner@example.org");
    let (status, _) = w
        .sign_in("owner@example.org", "the squatter's password")
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    common::session(&w.app, "owner@example.org").await;
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
    // The owner was told of the consultation opening, then of the registration.
    let mails = common::mail_to(w.dir.path(), "participant@example.org", 2).await;
    let told = mails
        .iter()
        .find(|m| m.contains("has one already"))
        .expect("the owner is mailed");
    assert!(!told.contains("/confirm/"), "{told}");
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

/// Setting stances aside moves the figures everyone is looking at, now, and an objection set
/// aside stays in its thread, marked as not counted.
#[tokio::test]
async fn a_set_aside_is_heard_by_every_reader_and_marked_on_its_objection() {
    let w = world().await;
    w.register("sock@example.org").await;
    let sock = common::confirm(&w.app, w.dir.path(), "sock@example.org").await;
    let path = format!(
        "/api/v1/documents/{}/paragraphs/{}/stance",
        w.doc, w.paragraph
    );
    let objection = json!({ "stance": "oppose", "reason": "Strike it." });
    let (status, body) = call_json(&w.app, Method::PUT, &path, Some(&sock), Some(objection)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let thread = format!(
        "/api/v1/documents/{}/paragraphs/{}/feedback",
        w.doc, w.paragraph
    );
    let (_, before) = call_json(&w.app, Method::GET, &thread, None, None).await;
    assert_eq!(before["objections"][0]["counted"], true, "{before}");
    let opposing = before["consensus"]["tally"]["oppose"].as_u64().expect("n");

    let mut reader = common::Peer::connect(&w.server.sync_url(&w.doc)).await;
    reader.settle(std::time::Duration::from_millis(300)).await;
    let id = w
        .server
        .state
        .rooms
        .store()
        .account_by_login("sock@example.org")
        .await
        .expect("db")
        .expect("sock")
        .0
        .id;
    let (status, body) = w.set_aside(&[&id], false).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    reader.settle(std::time::Duration::from_millis(300)).await;
    let heard = reader.controls.iter().find_map(|f| match f {
        domain::api::ServerFrame::Feedback { consensus } => Some(consensus.clone()),
        _ => None,
    });
    let heard = heard.expect("a feedback frame");
    assert_eq!(heard.paragraph, w.paragraph);
    assert_eq!(u64::from(heard.tally.oppose), opposing - 1);
    let (_, after) = call_json(&w.app, Method::GET, &thread, None, None).await;
    assert_eq!(after["objections"][0]["counted"], false, "{after}");
    assert_eq!(after["objections"][0]["reason"], "Strike it.");
}
