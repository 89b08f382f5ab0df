//! The role × action matrix: every API route, asked by every kind of caller, gets exactly what
//! the policy table (`domain::policy::TABLE`) says: allowed callers succeed, everyone else
//! gets 401 or 403 and changes nothing.

mod common;

use accord_core::{feedback_store::StanceChange, seed, store::Store};
use accord_server::{router, AppState};
use axum::{
    body::Body,
    http::{Method, Request, StatusCode},
    Router,
};
use domain::{
    api::{Role, Stance},
    phase::Phase,
    policy::{self, Action, Standing},
};
use tower::ServiceExt;

#[derive(Clone, Copy, Debug)]
enum Caller {
    Anonymous,
    Participant,
    Drafter,
    Chair,
    OtherChair,
    Admin,
}

const CALLERS: [Caller; 6] = [
    Caller::Anonymous,
    Caller::Participant,
    Caller::Drafter,
    Caller::Chair,
    Caller::OtherChair,
    Caller::Admin,
];

impl Caller {
    fn login(self) -> Option<&'static str> {
        match self {
            Caller::Anonymous => None,
            Caller::Participant => Some("participant@example.org"),
            Caller::Drafter => Some("drafter@example.org"),
            Caller::Chair => Some("chair@example.org"),
            Caller::OtherChair => Some("other-chair@example.org"),
            Caller::Admin => Some("admin@example.org"),
        }
    }

    /// Their standing on the demo group's things.
    fn standing(self) -> Standing {
        let (signed_in, admin, role) = match self {
            Caller::Anonymous => (false, false, Role::Reader),
            Caller::Participant => (true, false, Role::Participant),
            Caller::Drafter => (true, false, Role::Drafter),
            Caller::Chair => (true, false, Role::Chair),
            Caller::OtherChair => (true, false, Role::Reader),
            Caller::Admin => (true, true, Role::Reader),
        };
        Standing {
            signed_in,
            admin,
            role,
        }
    }
}

struct World {
    app: Router,
    state: AppState,
    doc: String,
    member: String,
    invitation: String,
    /// A live paragraph of `doc`, with a comment and an objection by `member` on it.
    paragraph: String,
    comment: i64,
    objection: i64,
    /// An open amendment by `member`.
    amendment: i64,
    heads: Vec<String>,
}

/// A fresh installation: the demo seed, a second group with its own chair, a plain member of
/// the demo group to act on, and an open invitation.
async fn world() -> World {
    let store = Store::memory().await.expect("store");
    let state = AppState::new(store, common::leptos_options());
    seed::seed_if_empty(&state.rooms).await.expect("seed");
    let store = state.rooms.store();
    store
        .create_group("dc-other", "Another coalition", "dc")
        .await
        .expect("group");
    common::add_member(store, "other-chair@example.org", "dc-other", Role::Chair).await;
    let member = common::add_member(
        store,
        "member@example.org",
        seed::DEMO_GROUP,
        Role::Participant,
    )
    .await;
    let chair = store
        .account_by_login("chair@example.org")
        .await
        .expect("db")
        .expect("chair")
        .0;
    let invitation = store
        .create_invitation(
            seed::DEMO_GROUP,
            Role::Participant,
            "0".repeat(64).as_str(),
            &chair.id,
            0,
            i64::MAX,
        )
        .await
        .expect("invitation");
    let doc = store.list_documents().await.expect("list")[0].id.clone();
    let paragraph = state
        .rooms
        .outline(&doc)
        .await
        .expect("outline")
        .0
        .paragraphs[0]
        .id
        .clone();
    let comment = store
        .insert_comment(&doc, &paragraph, None, &member, "A comment.", None, 0)
        .await
        .expect("comment");
    let objection = match store
        .set_stance(&doc, &paragraph, &member, Stance::Oppose, Some("Why."), 0)
        .await
        .expect("stance")
    {
        StanceChange::Stated(id) | StanceChange::Unchanged(id) => id,
    };
    let app = router(state.clone());
    let heads = state.rooms.outline(&doc).await.expect("outline").1;
    let amendment = {
        let body = serde_json::json!({
            "base": heads,
            "edits": [{ "kind": "replace", "paragraph": paragraph, "text": "Amended." }],
            "rationale": "Shorter."
        });
        let mut req = Request::post(format!("/api/v1/documents/{doc}/amendments"))
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .expect("request");
        let cookie = common::session(&app, "member@example.org").await;
        common::same_site(&mut req, &cookie);
        let resp = app.clone().oneshot(req).await.expect("response");
        assert_eq!(resp.status(), StatusCode::CREATED);
        1
    };
    World {
        app,
        state,
        doc,
        member,
        invitation,
        paragraph,
        comment,
        objection,
        amendment,
        heads,
    }
}

/// Everything a refused request must leave as it was.
async fn fingerprint(w: &World) -> String {
    let store = w.state.rooms.store();
    let amendments: Vec<(i64, String)> = sqlx::query_as("SELECT id, status FROM amendments")
        .fetch_all(store.pool_for_tests())
        .await
        .expect("amendments");
    let amendment_stances: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT amendment_id, account_id, stance FROM amendment_stances")
            .fetch_all(store.pool_for_tests())
            .await
            .expect("amendment stances");
    let versions: Vec<(String, String)> = sqlx::query_as("SELECT document_id, name FROM versions")
        .fetch_all(store.pool_for_tests())
        .await
        .expect("versions");
    let phases: Vec<(String, String)> = sqlx::query_as("SELECT id, phase FROM documents")
        .fetch_all(store.pool_for_tests())
        .await
        .expect("phases");
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        versions,
        phases,
        amendments,
        amendment_stances,
        store.feedback_facts(&w.doc, None).await.expect("facts"),
        store.endorsements(&w.doc).await.expect("endorsements"),
        store
            .list_documents()
            .await
            .expect("docs")
            .iter()
            .map(|d| (&d.id, &d.title))
            .collect::<Vec<_>>(),
        store.groups().await.expect("groups"),
        store.members(seed::DEMO_GROUP).await.expect("members"),
        store
            .invitations(seed::DEMO_GROUP)
            .await
            .expect("invitations"),
        store
            .me(&w.member)
            .await
            .expect("me")
            .map(|m| m.affiliation),
    )
}

struct Route {
    method: Method,
    path: String,
    body: Option<String>,
    action: Action,
}

fn routes(w: &World) -> Vec<Route> {
    let g = seed::DEMO_GROUP;
    let amend = serde_json::json!({
        "base": w.heads,
        "edits": [{ "kind": "replace", "paragraph": w.paragraph, "text": "Other words." }],
        "rationale": "Clearer."
    })
    .to_string();
    let r = |method: Method, path: String, body: Option<&str>, action| Route {
        method,
        path,
        body: body.map(str::to_string),
        action,
    };
    vec![
        r(
            Method::GET,
            "/api/v1/documents".into(),
            None,
            Action::ReadDocument,
        ),
        r(
            Method::GET,
            format!("/api/v1/documents/{}", w.doc),
            None,
            Action::ReadDocument,
        ),
        r(
            Method::GET,
            format!("/api/v1/documents/{}/markdown", w.doc),
            None,
            Action::ReadDocument,
        ),
        r(
            Method::POST,
            "/api/v1/documents".into(),
            Some(r#"{"group":"bpf-outcomes","title":"New"}"#),
            Action::CreateDocument,
        ),
        r(
            Method::GET,
            "/api/v1/me".into(),
            None,
            Action::ManageOwnAccount,
        ),
        r(
            Method::PATCH,
            "/api/v1/me".into(),
            Some(r#"{"affiliation":"Changed"}"#),
            Action::ManageOwnAccount,
        ),
        r(
            Method::POST,
            "/api/v1/groups".into(),
            Some(r#"{"name":"Third","kind":"dc"}"#),
            Action::CreateGroup,
        ),
        r(
            Method::GET,
            format!("/api/v1/groups/{g}/members"),
            None,
            Action::ManageMembers,
        ),
        r(
            Method::PUT,
            format!("/api/v1/groups/{g}/members/{}", w.member),
            Some(r#"{"role":"drafter"}"#),
            Action::ManageMembers,
        ),
        r(
            Method::PUT,
            format!("/api/v1/groups/{g}/members/{}", w.member),
            Some(r#"{"role":"chair"}"#),
            Action::AppointChair,
        ),
        r(
            Method::DELETE,
            format!("/api/v1/groups/{g}/members/{}", w.member),
            None,
            Action::ManageMembers,
        ),
        r(
            Method::GET,
            format!("/api/v1/groups/{g}/invitations"),
            None,
            Action::ManageMembers,
        ),
        r(
            Method::POST,
            format!("/api/v1/groups/{g}/invitations"),
            Some(r#"{"role":"drafter"}"#),
            Action::ManageMembers,
        ),
        r(
            Method::DELETE,
            format!("/api/v1/groups/{g}/invitations/{}", w.invitation),
            None,
            Action::ManageMembers,
        ),
        r(Method::GET, "/api/v1/audit".into(), None, Action::ReadAudit),
        r(
            Method::GET,
            format!("/api/v1/documents/{}/feedback", w.doc),
            None,
            Action::ReadDocument,
        ),
        r(
            Method::GET,
            format!(
                "/api/v1/documents/{}/paragraphs/{}/feedback",
                w.doc, w.paragraph
            ),
            None,
            Action::ReadDocument,
        ),
        r(
            Method::POST,
            format!(
                "/api/v1/documents/{}/paragraphs/{}/comments",
                w.doc, w.paragraph
            ),
            Some(r#"{"body":"A view."}"#),
            Action::Comment,
        ),
        r(
            Method::PUT,
            format!(
                "/api/v1/documents/{}/paragraphs/{}/stance",
                w.doc, w.paragraph
            ),
            Some(r#"{"stance":"oppose","reason":"Too vague."}"#),
            Action::StateStance,
        ),
        r(
            Method::POST,
            format!(
                "/api/v1/documents/{}/comments/{}/response",
                w.doc, w.comment
            ),
            Some(r#"{"disposition":"answered","reason":"Because."}"#),
            Action::Respond,
        ),
        r(
            Method::POST,
            format!(
                "/api/v1/documents/{}/objections/{}/response",
                w.doc, w.objection
            ),
            Some(r#"{"disposition":"not-accepted","reason":"Because."}"#),
            Action::Respond,
        ),
        r(
            Method::POST,
            format!("/api/v1/documents/{}/comments/{}/hide", w.doc, w.comment),
            Some(r#"{"reason":"Off topic."}"#),
            Action::Moderate,
        ),
        r(
            Method::GET,
            format!("/api/v1/documents/{}/amendments", w.doc),
            None,
            Action::ReadDocument,
        ),
        r(
            Method::POST,
            format!("/api/v1/documents/{}/amendments", w.doc),
            Some(&amend),
            Action::ProposeAmendment,
        ),
        r(
            Method::POST,
            format!(
                "/api/v1/documents/{}/amendments/{}/decision",
                w.doc, w.amendment
            ),
            Some(r#"{"decision":"reject","reason":"Not now."}"#),
            Action::DecideAmendment,
        ),
        r(
            Method::PUT,
            format!(
                "/api/v1/documents/{}/amendments/{}/stance",
                w.doc, w.amendment
            ),
            Some(r#"{"stance":"oppose","reason":"Too vague."}"#),
            Action::StateStance,
        ),
        r(
            Method::POST,
            format!("/api/v1/documents/{}/phase", w.doc),
            Some(r#"{"phase":"consultation","reason":"Ready for comment."}"#),
            Action::RunConsultation,
        ),
        r(
            Method::GET,
            format!("/api/v1/documents/{}/record", w.doc),
            None,
            Action::ReadDocument,
        ),
        r(
            Method::POST,
            format!("/api/v1/documents/{}/versions", w.doc),
            Some(r#"{"name":"draft-00","summary":"First draft."}"#),
            Action::RunConsultation,
        ),
        r(
            Method::GET,
            format!(
                "/api/v1/documents/{}/compare?from=current&to=current",
                w.doc
            ),
            None,
            Action::ReadDocument,
        ),
        r(
            Method::GET,
            format!("/api/v1/documents/{}/export?format=docx", w.doc),
            None,
            Action::RunConsultation,
        ),
        r(
            Method::GET,
            format!("/api/v1/documents/{}/archive", w.doc),
            None,
            Action::RunConsultation,
        ),
        r(
            Method::GET,
            format!("/api/v1/documents/{}/report?format=html", w.doc),
            None,
            Action::ReadReport,
        ),
        r(
            Method::POST,
            format!("/api/v1/documents/{}/endorsements", w.doc),
            Some(r#"{"on_behalf_of":"An organisation"}"#),
            Action::Endorse,
        ),
        r(
            Method::POST,
            "/api/v1/auth/register".into(),
            Some(
                r#"{"login":"new@example.org","password":"long enough password","display_name":"New","stakeholder_group":"academia","region":"african"}"#,
            ),
            Action::Register,
        ),
    ]
}

/// Asks route `i` as `caller` on the demo document in `phase`, in a fresh world (so that one
/// allowed change cannot hide another's refusal), and checks the answer against the policy.
async fn answers_as_the_policy_says(i: usize, caller: Caller, phase: Phase) {
    let w = world().await;
    if phase != Phase::Drafting {
        sqlx::query("UPDATE documents SET phase = ? WHERE id = ?")
            .bind(phase.key())
            .bind(&w.doc)
            .execute(w.state.rooms.store().pool_for_tests())
            .await
            .expect("phase");
    }
    let route = routes(&w).remove(i);
    let mut req = Request::builder()
        .method(route.method.clone())
        .uri(&route.path);
    if route.body.is_some() {
        req = req.header("content-type", "application/json");
    }
    let mut req = req
        .body(
            route
                .body
                .clone()
                .map(Body::from)
                .unwrap_or_else(Body::empty),
        )
        .expect("request");
    if let Some(login) = caller.login() {
        let cookie = common::session(&w.app, login).await;
        common::same_site(&mut req, &cookie);
    }
    let before = fingerprint(&w).await;
    let resp = w.app.clone().oneshot(req).await.expect("response");
    let status = resp.status();
    let allowed = policy::allows_in(caller.standing(), phase, route.action);
    let what = format!("{caller:?} {} {} in {phase:?}", route.method, route.path);
    if allowed {
        assert!(
            status.is_success(),
            "{what}: expected success, got {status}"
        );
    } else {
        let expected = if policy::needs_sign_in_in(caller.standing(), phase, route.action) {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(status, expected, "{what}");
        assert_eq!(fingerprint(&w).await, before, "{what} changed something");
    }
}

#[tokio::test]
async fn every_route_answers_every_caller_as_the_policy_table_says() {
    let count = routes(&world().await).len();
    for i in 0..count {
        for caller in CALLERS {
            answers_as_the_policy_says(i, caller, Phase::Drafting).await;
        }
    }
}

#[tokio::test]
async fn in_every_phase_the_routes_it_changes_answer_as_the_phase_table_says() {
    let template = routes(&world().await);
    let mut checked = 0;
    for phase in [Phase::Consultation, Phase::LastCall, Phase::Closed] {
        for (i, route) in template.iter().enumerate() {
            if !policy::PHASES
                .iter()
                .any(|(p, a, _)| *p == phase && *a == route.action)
            {
                continue;
            }
            for caller in CALLERS {
                answers_as_the_policy_says(i, caller, phase).await;
                checked += 1;
            }
        }
    }
    // Comments, stances on paragraphs and amendments, proposals and decisions, in three phases.
    assert!(checked >= 13 * CALLERS.len(), "{checked}");
}

#[tokio::test]
async fn another_groups_private_data_cannot_be_read_by_id() {
    let w = world().await;
    let cookie = common::session(&w.app, "other-chair@example.org").await;
    for path in [
        "/api/v1/groups/bpf-outcomes/members",
        "/api/v1/groups/bpf-outcomes/invitations",
    ] {
        let mut req = Request::get(path).body(Body::empty()).expect("request");
        common::same_site(&mut req, &cookie);
        let resp = w.app.clone().oneshot(req).await.expect("response");
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{path}");
    }
}

#[tokio::test]
async fn a_state_changing_request_from_another_site_is_refused() {
    let w = world().await;
    let cookie = common::session(&w.app, "drafter@example.org").await;
    let before = fingerprint(&w).await;
    let mut req = Request::post("/api/v1/documents")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"title":"Forged"}"#))
        .expect("request");
    common::same_site(&mut req, &cookie);
    req.headers_mut()
        .insert("origin", "https://evil.example".parse().expect("header"));
    let resp = w.app.clone().oneshot(req).await.expect("response");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert_eq!(fingerprint(&w).await, before);
}
