//! A consultation run through the API from first draft to closed text, for the tests of what
//! comes after: exports, the report, archives.

use axum::http::{Method, StatusCode};
use domain::api::{DocumentDetail, ParagraphKind};
use serde_json::{json, Value};

use super::Fixture;

pub struct Consultation {
    pub fx: Fixture,
    pub app: axum::Router,
    pub chair: String,
    pub participant: String,
    pub detail: DocumentDetail,
    pub paragraph: String,
}

impl Consultation {
    pub fn path(&self, tail: &str) -> String {
        format!("/api/v1/documents/{}{tail}", self.fx.doc)
    }

    pub async fn call(
        &self,
        method: Method,
        tail: &str,
        cookie: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let body = (!body.is_null()).then_some(body);
        super::call_json(&self.app, method, &self.path(tail), Some(cookie), body).await
    }

    pub async fn ok(&self, method: Method, tail: &str, cookie: &str, body: Value) -> Value {
        let (status, answer) = self.call(method, tail, cookie, body).await;
        assert!(status.is_success(), "{tail}: {status} {answer}");
        answer
    }

    pub async fn phase(&self, phase: &str) {
        let deadline = self.fx.server.state.auth.now() + 14 * 86_400;
        let deadline = (phase != "closed").then_some(deadline);
        let body = json!({ "phase": phase, "deadline": deadline, "reason": "On schedule." });
        self.ok(Method::POST, "/phase", &self.chair.clone(), body)
            .await;
    }
}

/// A consultation run from first draft to closed text: a comment answered, an objection, an
/// amendment rejected, the final version cut, the document closed.
pub async fn consultation() -> Consultation {
    let fx = Fixture::start().await;
    let app = accord_server::router(fx.server.state.clone());
    let chair = super::session(&app, "chair@example.org").await;
    let participant = super::session(&app, "participant@example.org").await;
    let detail = fx.server.detail(&fx.doc).await;
    let paragraph = detail
        .paragraphs
        .iter()
        .find(|p| p.kind == ParagraphKind::Numbered)
        .expect("a numbered paragraph")
        .id
        .clone();
    let c = Consultation {
        fx,
        app,
        chair,
        participant,
        detail,
        paragraph,
    };
    c.phase("consultation").await;
    let p = c.paragraph.clone();
    let (chair, participant) = (c.chair.clone(), c.participant.clone());
    let comment = c
        .ok(
            Method::POST,
            &format!("/paragraphs/{p}/comments"),
            &participant,
            json!({ "body": "Name the <b>bodies</b> & their mandates." }),
        )
        .await;
    let id = comment["id"].as_i64().expect("comment id");
    c.ok(
        Method::POST,
        &format!("/comments/{id}/response"),
        &chair,
        json!({ "disposition": "partly-accepted", "reason": "Named in the annex." }),
    )
    .await;
    c.ok(
        Method::PUT,
        &format!("/paragraphs/{p}/stance"),
        &participant,
        json!({ "stance": "oppose", "reason": "Too vague on funding." }),
    )
    .await;
    let amendment = c
        .ok(
            Method::POST,
            "/amendments",
            &participant,
            json!({
                "base": c.detail.heads,
                "edits": [{ "kind": "replace", "paragraph": p, "text": "A shorter paragraph." }],
                "rationale": "Shorter is clearer."
            }),
        )
        .await;
    let a = amendment["id"].as_i64().expect("amendment id");
    c.ok(
        Method::POST,
        &format!("/amendments/{a}/decision"),
        &chair,
        json!({ "decision": "reject", "reason": "It drops the mandate." }),
    )
    .await;
    c.ok(
        Method::POST,
        "/versions",
        &chair,
        json!({ "name": "final", "summary": "The text as adopted." }),
    )
    .await;
    c.phase("closed").await;
    c
}
