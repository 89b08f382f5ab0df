//! Notices over the real server: who is told of what (a reply, a chair's response, a decision
//! on one's amendment, an objection where one chairs, a phase change where one takes part),
//! never of their own doing; the unread count; the mail with its unsubscribe link, which stops
//! later mail; and the Atom feed its key names.

mod common;

use axum::{
    http::{Method, StatusCode},
    Router,
};
use common::Fixture;
use domain::notice::{Notice, NoticeKind};
use serde_json::{json, Value};

struct World {
    fx: Fixture,
    app: Router,
    paragraphs: Vec<String>,
    participant: String,
    drafter: String,
    chair: String,
}

async fn world() -> World {
    let fx = Fixture::start().await;
    let app = accord_server::router(fx.server.state.clone());
    let participant = common::session(&app, "participant@example.org").await;
    let drafter = common::session(&app, "drafter@example.org").await;
    let chair = common::session(&app, "chair@example.org").await;
    // The numbered paragraphs' ids: paragraph n is at n - 1.
    let paragraphs = fx
        .server
        .detail(&fx.doc)
        .await
        .paragraphs
        .into_iter()
        .filter(|p| {
            p.number
                .as_deref()
                .is_some_and(|n| n.parse::<u32>().is_ok())
        })
        .map(|p| p.id)
        .collect();
    World {
        fx,
        app,
        paragraphs,
        participant,
        drafter,
        chair,
    }
}

impl World {
    async fn ok(&self, method: Method, path: &str, cookie: &str, body: Option<Value>) -> Value {
        let (status, body) = common::call_json(&self.app, method, path, Some(cookie), body).await;
        assert!(status.is_success(), "{path}: {status} {body}");
        body
    }

    async fn notices(&self, cookie: &str) -> Vec<Notice> {
        let body = self
            .ok(Method::GET, "/api/v1/me/notices", cookie, None)
            .await;
        serde_json::from_value(body).expect("notices")
    }

    async fn unread(&self, cookie: &str) -> u64 {
        self.ok(Method::GET, "/api/v1/me", cookie, None).await["unread"]
            .as_u64()
            .expect("unread")
    }

    async fn comment(&self, cookie: &str, i: usize, body: Value) -> i64 {
        let path = format!(
            "/api/v1/documents/{}/paragraphs/{}/comments",
            self.fx.doc, self.paragraphs[i]
        );
        self.ok(Method::POST, &path, cookie, Some(body)).await["id"]
            .as_i64()
            .expect("id")
    }
}

#[tokio::test]
async fn people_are_told_of_answers_decisions_objections_and_phases_but_not_of_their_own_doing() {
    let w = world().await;
    let doc = w.fx.doc.clone();
    let asked = w
        .comment(&w.participant, 2, json!({"body": "Who keeps the record?"}))
        .await;
    assert_eq!(w.unread(&w.participant).await, 0);

    // A reply and a chair's response to the participant's comment.
    w.comment(
        &w.drafter,
        2,
        json!({"body": "The secretariat.", "parent": asked}),
    )
    .await;
    let path = format!("/api/v1/documents/{doc}/comments/{asked}/response");
    let respond = json!({"disposition": "answered", "reason": "The secretariat keeps it."});
    w.ok(Method::POST, &path, &w.chair, Some(respond)).await;

    let told = w.notices(&w.participant).await;
    let kinds: Vec<NoticeKind> = told.iter().map(|n| n.kind).collect();
    assert_eq!(
        kinds,
        [NoticeKind::Response, NoticeKind::Reply],
        "newest first"
    );
    assert_eq!(
        told[0].words(),
        format!(
            "Amina Chair responded to your feedback on paragraph 3 of “{}”",
            told[0].document_title
        )
    );
    assert!(told[1]
        .words()
        .starts_with("Diego Drafter replied to your comment on paragraph 3"));
    let thread = format!("/documents/{doc}?p={}#{}", w.paragraphs[2], w.paragraphs[2]);
    assert_eq!(told[0].link, thread);
    assert_eq!(w.unread(&w.participant).await, 2);
    // Nobody is told of what they did themselves.
    assert!(w.notices(&w.drafter).await.is_empty());

    // An objection is told to the group's chairs.
    let path = format!(
        "/api/v1/documents/{doc}/paragraphs/{}/stance",
        w.paragraphs[4]
    );
    let oppose = json!({"stance": "oppose", "reason": "Say who decides."});
    w.ok(Method::PUT, &path, &w.participant, Some(oppose)).await;
    let chair_told = w.notices(&w.chair).await;
    assert_eq!(chair_told[0].kind, NoticeKind::Objection);
    assert!(chair_told[0]
        .words()
        .starts_with("Priya Participant objected to paragraph 5"));

    // A decision on one's amendment.
    let detail = w.fx.server.detail(&doc).await;
    let amend = json!({
        "base": detail.heads,
        "edits": [{"kind": "replace", "paragraph": w.paragraphs[3], "text": "Shorter."}],
        "rationale": "Shorter.",
    });
    let path = format!("/api/v1/documents/{doc}/amendments");
    let id = w.ok(Method::POST, &path, &w.participant, Some(amend)).await["id"]
        .as_i64()
        .expect("id");
    let path = format!("/api/v1/documents/{doc}/amendments/{id}/decision");
    let reject = json!({"decision": "reject", "reason": "Too short."});
    w.ok(Method::POST, &path, &w.chair, Some(reject)).await;
    let decided = &w.notices(&w.participant).await[0];
    assert_eq!(decided.kind, NoticeKind::Decision);
    assert_eq!(
        decided.link,
        format!("/documents/{doc}/amendments#amendment-{id}")
    );

    // A phase change, to everyone taking part but the chair who made it.
    let path = format!("/api/v1/documents/{doc}/phase");
    let in_ten_days = w.fx.server.state.auth.now() + 10 * 86_400;
    let last_call =
        json!({"phase": "last-call", "deadline": in_ten_days, "reason": "Nearly there."});
    w.ok(Method::POST, &path, &w.chair, Some(last_call)).await;
    for cookie in [&w.participant, &w.drafter] {
        let phase = &w.notices(cookie).await[0];
        assert_eq!(phase.kind, NoticeKind::Phase);
        assert!(
            phase.words().ends_with("is now in last call"),
            "{}",
            phase.words()
        );
    }
    assert_ne!(w.notices(&w.chair).await[0].kind, NoticeKind::Phase);

    // Reading them all empties the count.
    w.ok(
        Method::POST,
        "/api/v1/me/notices/read",
        &w.participant,
        None,
    )
    .await;
    assert_eq!(w.unread(&w.participant).await, 0);
    assert!(w.notices(&w.participant).await.iter().all(|n| n.read));
}

#[tokio::test]
async fn each_notice_is_mailed_with_a_link_that_stops_the_mail_and_names_the_feed() {
    let w = world().await;
    let doc = w.fx.doc.clone();
    let dir = w.fx.dir.path();
    let asked = w
        .comment(&w.participant, 1, json!({"body": "A question."}))
        .await;
    let reply = json!({"body": "An answer.", "parent": asked});
    w.comment(&w.drafter, 1, reply.clone()).await;

    let mails = common::mail_to(dir, "participant@example.org", 1).await;
    let mail = mails.last().expect("mail");
    assert!(mail.contains("Diego Drafter replied to your comment on paragraph 2"));
    assert!(mail.contains(&format!("http://accord.test/documents/{doc}?p=")));
    let start = mail.find("/unsubscribe?key=").expect("an unsubscribe link") + 17;
    let key: String = mail[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    assert_eq!(key.len(), 32);

    // The same key names the person's feed.
    let (status, headers, atom) =
        common::call_raw(&w.app, &format!("/feeds/{key}.atom"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let atom = String::from_utf8(atom).expect("utf-8");
    assert!(atom.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert_eq!(atom.matches("<entry>").count(), 1);
    assert!(atom.contains("Diego Drafter replied to your comment"));
    for wrong in [
        format!("/feeds/{}.atom", "0".repeat(32)),
        format!("/feeds/{key}"),
    ] {
        let (status, _, _) = common::call_raw(&w.app, &wrong, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{wrong}");
    }

    // The link stops the mail; the notices go on.
    let state = &w.fx.server.state;
    assert!(accord_core::notices::unsubscribe(state, &key)
        .await
        .expect("unsubscribe"));
    assert!(!accord_core::notices::unsubscribe(state, "not-a-key")
        .await
        .expect("unsubscribe"));
    w.comment(&w.drafter, 1, reply).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        common::mail_to(dir, "participant@example.org", 1)
            .await
            .len(),
        mails.len()
    );
    assert_eq!(w.notices(&w.participant).await.len(), 2);
}

#[tokio::test]
async fn a_mention_tells_the_person_named_and_completion_offers_the_documents_people() {
    let w = world().await;
    let doc = w.fx.doc.clone();
    // Whoever may comment is offered the names; an anonymous reader is asked to sign in.
    let (status, names) = mention_names(&w.app, &doc, Some(&w.participant)).await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<String> = serde_json::from_slice(&names).expect("names");
    assert!(names.contains(&"Amina Chair".to_string()), "{names:?}");
    assert!(names.contains(&"Diego Drafter".to_string()), "{names:?}");
    let (status, _) = mention_names(&w.app, &doc, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    w.comment(
        &w.participant,
        0,
        json!({"body": "@amina chair and @Diego Drafter: see the date. Mail me@Diego Drafter."}),
    )
    .await;
    for cookie in [&w.chair, &w.drafter] {
        let told = w.notices(cookie).await;
        assert_eq!(told.len(), 1, "one notice however often named");
        assert_eq!(told[0].kind, NoticeKind::Mention);
        assert!(told[0]
            .words()
            .starts_with("Priya Participant mentioned you on paragraph 1"));
    }
    // Naming oneself tells nobody.
    w.comment(&w.chair, 0, json!({"body": "Noted, @Amina Chair."}))
        .await;
    assert_eq!(w.notices(&w.chair).await.len(), 1);
}

/// Asks the page's server function for the names a comment on `doc` may mention, as the
/// comment box's script does.
async fn mention_names(app: &Router, doc: &str, cookie: Option<&str>) -> (StatusCode, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut req = axum::http::Request::post("/_fn/mention_names")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(format!("doc={doc}")))
        .expect("request");
    if let Some(c) = cookie {
        common::same_site(&mut req, c);
    }
    let resp = app.clone().oneshot(req).await.expect("response");
    let status = resp.status();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    (status, bytes.to_vec())
}

#[tokio::test]
async fn those_taking_part_are_warned_once_a_day_before_a_phase_ends() {
    let w = world().await;
    let doc = w.fx.doc.clone();
    w.comment(&w.participant, 0, json!({"body": "Count me in."}))
        .await;
    let state = &w.fx.server.state;
    let path = format!("/api/v1/documents/{doc}/phase");
    // Ten days ahead: nobody is warned yet.
    let in_ten_days = state.auth.now() + 10 * 86_400;
    let open = json!({"phase": "consultation", "deadline": in_ten_days, "reason": "Open."});
    w.ok(Method::POST, &path, &w.chair, Some(open)).await;
    assert_eq!(accord_core::phases::warn_due(state).await.expect("warn"), 0);
    // A new deadline within a day: warned, once.
    let soon = state.auth.now() + 3_600;
    let shorter = json!({"phase": "consultation", "deadline": soon, "reason": "Shortened."});
    w.ok(Method::POST, &path, &w.chair, Some(shorter)).await;
    assert_eq!(accord_core::phases::warn_due(state).await.expect("warn"), 1);
    assert_eq!(accord_core::phases::warn_due(state).await.expect("warn"), 0);
    let warned = &w.notices(&w.participant).await[0];
    assert_eq!(warned.kind, NoticeKind::Deadline);
    assert_eq!(
        warned.words(),
        format!(
            "The public consultation of “{}” ends within a day",
            warned.document_title
        )
    );
    assert_eq!(warned.link, format!("/documents/{doc}"));
}
