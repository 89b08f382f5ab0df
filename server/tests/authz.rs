//! The role × action matrix: every API route, asked by every kind of caller, gets exactly what
//! the policy table (`domain::policy::TABLE`) says: allowed callers succeed, everyone else
//! gets 401 or 403 and changes nothing.
//!
//! The routes are those of the OpenAPI document the server builds with its router: a route
//! added there fails this test until the matrix asks it or [`OUTSIDE`] says why it does not.

mod common;

use std::collections::BTreeSet;

use accord_core::{
    auth::{token_hash, Principal},
    seed,
    store::feedback::StanceChange,
    store::sessions::{NewSession, Raising},
    versions,
};
use accord_server::{router, AppState};
use axum::{
    body::Body,
    http::{Method, Request, StatusCode},
    Router,
};
use domain::{
    api::{NewVersion, Role, Stance},
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

/// The things of the world every case acts on, named the same in every copy.
#[derive(Clone)]
struct Ids {
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
    /// A live session on `doc` with its first item current, an open check on it, `member`'s
    /// hand up and the poll's first round open.
    live: String,
    check: String,
    hand: String,
    item: String,
    question: String,
    /// A signed-in session of every caller but the anonymous one: `(login, cookie)`.
    cookies: Vec<(&'static str, String)>,
}

/// A fresh copy of the template world, served by a server of its own.
struct World {
    app: Router,
    state: AppState,
    ids: Ids,
    /// Where the copy lives: its SQLite folder, or its PostgreSQL database (dropped once the
    /// case is done with it).
    _dir: Option<tempfile::TempDir>,
    database: Option<String>,
}

impl std::ops::Deref for World {
    type Target = Ids;
    fn deref(&self) -> &Ids {
        &self.ids
    }
}

impl World {
    /// Drops the copy's PostgreSQL database: a matrix of thousands would fill the disk.
    async fn drop(self) {
        let database = self.database.clone();
        drop(self);
        if let Some(url) = database {
            common::drop_database(&url).await;
        }
    }

    fn cookie(&self, login: &str) -> &str {
        self.cookies
            .iter()
            .find(|(l, _)| *l == login)
            .map(|(_, c)| c.as_str())
            .expect("a signed-in caller")
    }
}

/// The world, made once per test (seeding, hashing passwords and signing everyone in are most
/// of a case's cost) and copied for each case: by `VACUUM INTO` on SQLite, as a template
/// database on PostgreSQL.
struct Template {
    ids: Ids,
    /// SQLite: the template's store, copied from, and its folder.
    store: Option<(accord_core::store::Store, tempfile::TempDir)>,
    /// PostgreSQL: the cluster and the template database's name.
    postgres: Option<(String, String)>,
}

impl Template {
    async fn new() -> Self {
        let Some(cluster) = common::postgres_cluster() else {
            // A file: an in-memory database cannot be copied by `VACUUM INTO`.
            let dir = tempfile::tempdir().expect("folder");
            let store = accord_core::store::Store::open(dir.path())
                .await
                .expect("store");
            let ids = make_world(&AppState::new(store.clone(), common::leptos_options())).await;
            return Template {
                ids,
                store: Some((store, dir)),
                postgres: None,
            };
        };
        let url = common::new_database(&cluster).await;
        let store = accord_core::store::Store::connect(&url, 2)
            .await
            .expect("store");
        let state = AppState::new(store.clone(), common::leptos_options());
        let ids = make_world(&state).await;
        // Nobody may be connected to a database copied as a template.
        drop(state);
        store.pool_for_tests().close().await;
        let (cluster, name) = url.rsplit_once('/').expect("a database address");
        let mut admin = common::postgres_admin(cluster).await;
        for sql in [
            format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"),
            format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
            ),
        ] {
            sqlx::query(&sql)
                .execute(&mut admin)
                .await
                .expect("template");
        }
        Template {
            ids,
            store: None,
            postgres: Some((cluster.to_string(), name.to_string())),
        }
    }

    async fn world(&self) -> World {
        let (store, dir, database) = match (&self.store, &self.postgres) {
            (Some((template, _)), _) => {
                let dir = tempfile::tempdir().expect("folder");
                let file = dir.path().join("accord.db");
                sqlx::query(&format!("VACUUM INTO '{}'", file.display()))
                    .execute(template.pool_for_tests())
                    .await
                    .expect("copy the world");
                let store = accord_core::store::Store::open(dir.path())
                    .await
                    .expect("store");
                (store, Some(dir), None)
            }
            (None, Some((cluster, template))) => {
                let url = common::new_database_from(cluster, Some(template)).await;
                let store = accord_core::store::Store::connect(&url, 2)
                    .await
                    .expect("store");
                (store, None, Some(url))
            }
            (None, None) => unreachable!("a template is on one database or the other"),
        };
        let state = AppState::new(store, common::leptos_options());
        World {
            app: router(state.clone()),
            state,
            ids: self.ids.clone(),
            _dir: dir,
            database,
        }
    }

    async fn drop(self) {
        if let Some((cluster, name)) = self.postgres {
            common::drop_database(&format!("{cluster}/{name}")).await;
        }
    }
}

/// The secret of the open invitation's link.
const INVITATION_TOKEN: &str = "an-invitation-token";
/// A version of the demo document, cut before anyone asks.
const VERSION: &str = "v0";

impl World {
    /// `path`, whose parameters are named as in the OpenAPI document, naming this world's things.
    fn uri(&self, path: &str) -> String {
        let values = [
            ("{id}", self.doc.clone()),
            ("{paragraph}", self.paragraph.clone()),
            ("{comment}", self.comment.to_string()),
            ("{objection}", self.objection.to_string()),
            ("{amendment}", self.amendment.to_string()),
            ("{name}", VERSION.to_string()),
            ("{group}", seed::DEMO_GROUP.to_string()),
            ("{account}", self.member.clone()),
            ("{invitation}", self.invitation.clone()),
            ("{token}", INVITATION_TOKEN.to_string()),
            ("{live}", self.live.clone()),
            ("{check}", self.check.clone()),
            ("{hand}", self.hand.clone()),
        ];
        let uri = values.iter().fold(path.to_string(), |uri, (name, value)| {
            uri.replace(name, value)
        });
        assert!(
            !uri.contains('{'),
            "{path}: a parameter this world has no value for"
        );
        uri
    }
}

/// A fresh installation: the demo seed, a second group with its own chair, a plain member of
/// the demo group to act on, an open invitation and a version; everyone signed in.
async fn make_world(state: &AppState) -> Ids {
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
            &token_hash(INVITATION_TOKEN),
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
    let as_chair = Principal {
        account: Some(chair),
        session: None,
        address: "127.0.0.1".into(),
    };
    let version = NewVersion {
        name: VERSION.into(),
        summary: "First cut.".into(),
    };
    versions::cut(state, &as_chair, &doc, version)
        .await
        .expect("version");
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
    let live = store
        .create_live_session(
            &NewSession {
                document_id: &doc,
                title: "Main session",
                starts_at: 0,
                created_by: as_chair.account_id().expect("the chair"),
                items: &[
                    ("paragraph", paragraph.clone()),
                    ("question", "Why?".to_string()),
                ],
                parts: &[],
            },
            0,
        )
        .await
        .expect("session");
    store
        .add_poll_questions(&live, &["How far?".to_string()])
        .await
        .expect("poll");
    store
        .set_poll_round(&live, Some("before"))
        .await
        .expect("round");
    let items = store.session_items(&live).await.expect("items");
    let item = items[0].id.clone();
    assert!(store.set_current_item(&live, &item).await.expect("current"));
    let check = store
        .open_check(&live, &item, 0, None)
        .await
        .expect("check")
        .expect("opened");
    let raising = Raising {
        account: Some(&member),
        name: "Member",
        group: "academia",
        source: "online",
    };
    let hand = store
        .raise_hand(&live, &raising, 0)
        .await
        .expect("hand")
        .expect("raised");
    let question = store.poll_questions(&live).await.expect("poll")[0]
        .id
        .clone();
    let mut cookies = Vec::new();
    for login in CALLERS.iter().filter_map(|c| c.login()) {
        cookies.push((login, common::session(&app, login).await));
    }
    Ids {
        live,
        check,
        hand,
        item: items[1].id.clone(),
        question,
        doc,
        member,
        invitation,
        paragraph,
        comment,
        objection,
        amendment,
        heads,
        cookies,
    }
}

/// Everything a refused request must leave as it was.
async fn fingerprint(w: &World) -> String {
    let store = w.state.rooms.store();
    let amendments: Vec<(i64, String)> = sqlx::query_as("SELECT id, status FROM amendments")
        .fetch_all(store.pool_for_tests())
        .await
        .expect("amendments");
    let amendment_stances: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT s.amendment_id, s.account_id, h.stance FROM amendment_stances s
             JOIN amendment_stance_history h ON h.id = s.entry_id",
    )
    .fetch_all(store.pool_for_tests())
    .await
    .expect("amendment stances");
    let sponsors: Vec<(i64, String)> =
        sqlx::query_as("SELECT amendment_id, account_id FROM amendment_sponsors")
            .fetch_all(store.pool_for_tests())
            .await
            .expect("sponsors");
    let versions: Vec<(String, String)> = sqlx::query_as("SELECT document_id, name FROM versions")
        .fetch_all(store.pool_for_tests())
        .await
        .expect("versions");
    let phases: Vec<(String, String)> = sqlx::query_as("SELECT id, phase FROM documents")
        .fetch_all(store.pool_for_tests())
        .await
        .expect("phases");
    let series: Vec<(String, String, String)> =
        sqlx::query_as("SELECT name, prefix, statuses FROM series")
            .fetch_all(store.pool_for_tests())
            .await
            .expect("series");
    let thresholds: Vec<(String, String)> = sqlx::query_as("SELECT group_id, rule FROM thresholds")
        .fetch_all(store.pool_for_tests())
        .await
        .expect("thresholds");
    let outputs: Vec<(i64, String)> = sqlx::query_as("SELECT number, document_id FROM outputs")
        .fetch_all(store.pool_for_tests())
        .await
        .expect("outputs");
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        series,
        thresholds,
        outputs,
        versions,
        phases,
        amendments,
        amendment_stances,
        sponsors,
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
    /// As the OpenAPI document names it, `{id}` and all, then the query if any.
    path: &'static str,
    body: Option<String>,
    action: Action,
}

/// Routes of the OpenAPI document the matrix does not ask, and why; each is asked elsewhere.
const OUTSIDE: &[(&str, &str, &str)] = &[
    (
        "GET",
        "/api/v1/outputs/{number}",
        "a published number is public whoever asks; outputs.rs reads it signed out",
    ),
    (
        "GET",
        "/api/v1/outputs/{number}/export",
        "a published number is public whoever asks; outputs.rs reads it signed out",
    ),
    (
        "GET",
        "/api/v1/outputs/{number}/citation",
        "a published number is public whoever asks; outputs.rs reads it signed out",
    ),
    (
        "POST",
        "/api/v1/live/{live}/checks",
        "opening a check needs none open; who may open one, and the 409 beside an open one, are \
         live_sessions.rs's",
    ),
    (
        "DELETE",
        "/api/v1/me/sessions/{session}",
        "ends one of the caller's own sessions; another's is unknown whoever asks (security.rs)",
    ),
    (
        "POST",
        "/api/v1/auth/login",
        "signing in is how a caller comes to have a standing (security.rs)",
    ),
    (
        "POST",
        "/api/v1/auth/confirm",
        "takes the token of a link mailed at registration, whoever asks (security.rs)",
    ),
    (
        "POST",
        "/api/v1/auth/logout",
        "anyone may sign out, and signed out it does nothing (security.rs)",
    ),
    (
        "GET",
        "/api/v1/documents/{id}/sync",
        "a WebSocket handshake: sync.rs asks it as every role over a real socket",
    ),
    (
        "PATCH",
        "/api/v1/documents/{id}/comments/{comment}",
        "only its author rewords a comment, whatever the role (feedback.rs)",
    ),
    (
        "POST",
        "/api/v1/documents/{id}/amendments/{amendment}/withdraw",
        "only its proposer withdraws an amendment, whatever the role (amendments.rs)",
    ),
    (
        "DELETE",
        "/api/v1/documents/{id}/endorsements",
        "withdraws the caller's own endorsement, 404 without one whatever the role (exports.rs)",
    ),
    (
        "POST",
        "/api/v1/archives",
        "needs another installation's archive (this one holds its document: 409); archive.rs",
    ),
];

fn routes(w: &Ids) -> Vec<Route> {
    let amend = serde_json::json!({
        "base": w.heads,
        "edits": [{ "kind": "replace", "paragraph": w.paragraph, "text": "Other words." }],
        "rationale": "Clearer."
    })
    .to_string();
    // Counting again stances never set aside changes nothing: the case can run in any order.
    let aside = serde_json::json!({
        "accounts": [w.member], "reason": "Registered together.", "count_again": true
    })
    .to_string();
    let schedule = serde_json::json!({
        "title": "Another session", "items": [{ "kind": "paragraph", "target": w.paragraph }]
    })
    .to_string();
    let current = serde_json::json!({ "item": w.item }).to_string();
    let floor = serde_json::json!({ "item": w.item, "body": "From the floor." }).to_string();
    let point =
        serde_json::json!({ "item": w.item, "reason": "Support, no objection." }).to_string();
    let answers = serde_json::json!({
        "round": "before", "answers": [{ "question": w.question, "value": 4 }]
    })
    .to_string();
    let r = |method: Method, path: &'static str, body: Option<&str>, action| Route {
        method,
        path,
        body: body.map(str::to_string),
        action,
    };
    vec![
        r(Method::GET, "/api/v1/documents", None, Action::ReadDocument),
        r(
            Method::GET,
            "/api/v1/documents/{id}",
            None,
            Action::ReadDocument,
        ),
        r(
            Method::GET,
            "/api/v1/documents/{id}/markdown",
            None,
            Action::ReadDocument,
        ),
        r(
            Method::POST,
            "/api/v1/documents",
            Some(r#"{"group":"bpf-outcomes","title":"New"}"#),
            Action::CreateDocument,
        ),
        r(Method::GET, "/api/v1/me", None, Action::ManageOwnAccount),
        r(
            Method::GET,
            "/api/v1/me/sessions",
            None,
            Action::ManageOwnAccount,
        ),
        r(
            Method::GET,
            "/api/v1/me/notices",
            None,
            Action::ManageOwnAccount,
        ),
        r(
            Method::POST,
            "/api/v1/me/notices/read",
            None,
            Action::ManageOwnAccount,
        ),
        r(
            Method::PATCH,
            "/api/v1/me",
            Some(r#"{"affiliation":"Changed"}"#),
            Action::ManageOwnAccount,
        ),
        // Public, as the documents' list is.
        r(Method::GET, "/api/v1/groups", None, Action::ReadDocument),
        r(Method::GET, "/api/v1/series", None, Action::ReadDocument),
        r(
            Method::PUT,
            "/api/v1/series",
            Some(r#"{"name":"IGF Outputs","prefix":"IGF-O","statuses":["Recommendation"]}"#),
            Action::SetSeries,
        ),
        r(Method::GET, "/api/v1/outputs", None, Action::ReadDocument),
        r(
            Method::GET,
            "/api/v1/groups/{group}/threshold",
            None,
            Action::ReadDocument,
        ),
        r(
            Method::PUT,
            "/api/v1/groups/{group}/threshold",
            Some(r#"{"participants":3}"#),
            Action::SetThreshold,
        ),
        r(
            Method::GET,
            "/api/v1/documents/{id}/publication",
            None,
            Action::ReadDocument,
        ),
        r(
            Method::POST,
            "/api/v1/documents/{id}/publication",
            Some(r#"{"status":"Recommendation"}"#),
            Action::Publish,
        ),
        r(
            Method::GET,
            "/api/v1/search?q=forum",
            None,
            Action::ReadDocument,
        ),
        r(
            Method::POST,
            "/api/v1/groups",
            Some(r#"{"name":"Third","kind":"dc"}"#),
            Action::CreateGroup,
        ),
        r(
            Method::GET,
            "/api/v1/groups/{group}/members",
            None,
            Action::ManageMembers,
        ),
        r(
            Method::PUT,
            "/api/v1/groups/{group}/members/{account}",
            Some(r#"{"role":"drafter"}"#),
            Action::ManageMembers,
        ),
        r(
            Method::PUT,
            "/api/v1/groups/{group}/members/{account}",
            Some(r#"{"role":"chair"}"#),
            Action::AppointChair,
        ),
        r(
            Method::DELETE,
            "/api/v1/groups/{group}/members/{account}",
            None,
            Action::ManageMembers,
        ),
        r(
            Method::GET,
            "/api/v1/groups/{group}/invitations",
            None,
            Action::ManageMembers,
        ),
        r(
            Method::POST,
            "/api/v1/groups/{group}/invitations",
            Some(r#"{"role":"drafter"}"#),
            Action::ManageMembers,
        ),
        r(
            Method::DELETE,
            "/api/v1/groups/{group}/invitations/{invitation}",
            None,
            Action::ManageMembers,
        ),
        r(
            Method::POST,
            "/api/v1/invitations/{token}/accept",
            None,
            Action::AcceptInvitation,
        ),
        r(Method::GET, "/api/v1/audit", None, Action::ReadAudit),
        r(
            Method::GET,
            "/api/v1/documents/{id}/feedback",
            None,
            Action::ReadDocument,
        ),
        r(
            Method::GET,
            "/api/v1/documents/{id}/paragraphs/{paragraph}/feedback",
            None,
            Action::ReadDocument,
        ),
        r(
            Method::POST,
            "/api/v1/documents/{id}/paragraphs/{paragraph}/comments",
            Some(r#"{"body":"A view."}"#),
            Action::Comment,
        ),
        r(
            Method::PUT,
            "/api/v1/documents/{id}/paragraphs/{paragraph}/stance",
            Some(r#"{"stance":"oppose","reason":"Too vague."}"#),
            Action::StateStance,
        ),
        r(
            Method::POST,
            "/api/v1/documents/{id}/comments/{comment}/response",
            Some(r#"{"disposition":"answered","reason":"Because."}"#),
            Action::Respond,
        ),
        r(
            Method::POST,
            "/api/v1/documents/{id}/objections/{objection}/response",
            Some(r#"{"disposition":"not-accepted","reason":"Because."}"#),
            Action::Respond,
        ),
        r(
            Method::POST,
            "/api/v1/documents/{id}/comments/{comment}/hide",
            Some(r#"{"reason":"Off topic."}"#),
            Action::Moderate,
        ),
        r(
            Method::GET,
            "/api/v1/documents/{id}/bursts",
            None,
            Action::ReviewStances,
        ),
        r(
            Method::POST,
            "/api/v1/documents/{id}/stances-aside",
            Some(&aside),
            Action::ReviewStances,
        ),
        r(
            Method::GET,
            "/api/v1/documents/{id}/amendments",
            None,
            Action::ReadDocument,
        ),
        r(
            Method::POST,
            "/api/v1/documents/{id}/amendments",
            Some(&amend),
            Action::ProposeAmendment,
        ),
        r(
            Method::POST,
            "/api/v1/documents/{id}/amendments/{amendment}/decision",
            Some(r#"{"decision":"reject","reason":"Not now."}"#),
            Action::DecideAmendment,
        ),
        r(
            Method::PUT,
            "/api/v1/documents/{id}/amendments/{amendment}/stance",
            Some(r#"{"stance":"oppose","reason":"Too vague."}"#),
            Action::StateStance,
        ),
        // Nobody asking is its proposer, who may not co-sponsor it.
        r(
            Method::POST,
            "/api/v1/documents/{id}/amendments/{amendment}/sponsors",
            None,
            Action::ProposeAmendment,
        ),
        r(
            Method::POST,
            "/api/v1/documents/{id}/phase",
            Some(r#"{"phase":"consultation","reason":"Ready for comment."}"#),
            Action::RunConsultation,
        ),
        r(
            Method::PUT,
            "/api/v1/documents/{id}/language",
            Some(r#"{"language":"ar"}"#),
            Action::RunConsultation,
        ),
        r(
            Method::GET,
            "/api/v1/documents/{id}/record",
            None,
            Action::ReadDocument,
        ),
        r(
            Method::POST,
            "/api/v1/documents/{id}/versions",
            Some(r#"{"name":"draft-00","summary":"First draft."}"#),
            Action::RunConsultation,
        ),
        r(
            Method::GET,
            "/api/v1/documents/{id}/versions",
            None,
            Action::ReadDocument,
        ),
        r(
            Method::GET,
            "/api/v1/documents/{id}/versions/{name}",
            None,
            Action::ReadDocument,
        ),
        r(
            Method::GET,
            "/api/v1/documents/{id}/paragraphs/{paragraph}/history",
            None,
            Action::ReadDocument,
        ),
        r(
            Method::GET,
            "/api/v1/documents/{id}/compare?from=current&to=current",
            None,
            Action::ReadDocument,
        ),
        r(
            Method::GET,
            "/api/v1/documents/{id}/export?format=docx",
            None,
            Action::RunConsultation,
        ),
        r(
            Method::GET,
            "/api/v1/documents/{id}/archive",
            None,
            Action::RunConsultation,
        ),
        r(
            Method::GET,
            "/api/v1/documents/{id}/report?format=html",
            None,
            Action::ReadReport,
        ),
        r(
            Method::GET,
            "/api/v1/documents/{id}/endorsements",
            None,
            Action::ReadDocument,
        ),
        r(
            Method::POST,
            "/api/v1/documents/{id}/endorsements",
            Some(r#"{"on_behalf_of":"An organisation"}"#),
            Action::Endorse,
        ),
        r(
            Method::POST,
            "/api/v1/documents/{id}/sessions",
            Some(schedule.as_str()),
            Action::RunSession,
        ),
        r(
            Method::GET,
            "/api/v1/live/{live}",
            None,
            Action::ReadDocument,
        ),
        r(
            Method::GET,
            "/api/v1/documents/{id}/sessions",
            None,
            Action::ReadDocument,
        ),
        r(
            Method::GET,
            "/api/v1/live/{live}/report?format=html",
            None,
            Action::ReadDocument,
        ),
        r(
            Method::GET,
            "/api/v1/live/{live}/events",
            None,
            Action::ReadDocument,
        ),
        r(
            Method::PUT,
            "/api/v1/live/{live}/current",
            Some(current.as_str()),
            Action::RunSession,
        ),
        r(
            Method::POST,
            "/api/v1/live/{live}/checks/{check}/close",
            None,
            Action::RunSession,
        ),
        r(
            Method::PUT,
            "/api/v1/live/{live}/checks/{check}/stance",
            Some(r#"{"stance":"support"}"#),
            Action::TakePartInSession,
        ),
        r(
            Method::PUT,
            "/api/v1/live/{live}/checks/{check}/hands",
            Some(r#"{"group":"academia","support":3,"can_live_with":1,"oppose":0}"#),
            Action::RecordForRoom,
        ),
        r(
            Method::POST,
            "/api/v1/live/{live}/queue",
            Some(r#"{"in_room":true}"#),
            Action::TakePartInSession,
        ),
        r(
            Method::POST,
            "/api/v1/live/{live}/queue/{hand}",
            Some(r#"{"call":true}"#),
            Action::RunSession,
        ),
        r(
            Method::POST,
            "/api/v1/live/{live}/floor",
            Some(floor.as_str()),
            Action::RecordForRoom,
        ),
        r(
            Method::PUT,
            "/api/v1/live/{live}/points",
            Some(point.as_str()),
            Action::RunConsultation,
        ),
        r(
            Method::PUT,
            "/api/v1/live/{live}/poll",
            Some(r#"{"round":"after"}"#),
            Action::RunSession,
        ),
        r(
            Method::PUT,
            "/api/v1/live/{live}/poll/answers",
            Some(answers.as_str()),
            Action::TakePartInSession,
        ),
        r(
            Method::POST,
            "/api/v1/auth/register",
            Some(
                r#"{"login":"new@example.org","password":"long enough password","display_name":"New","stakeholder_group":"academia","region":"african"}"#,
            ),
            Action::Register,
        ),
    ]
}

/// Asks route `i` as `caller` on the demo document in `phase`, in a fresh world (so that one
/// allowed change cannot hide another's refusal), and checks the answer against the policy.
async fn answers_as_the_policy_says(t: &Template, i: usize, caller: Caller, phase: Phase) {
    let w = t.world().await;
    if phase != Phase::Drafting {
        sqlx::query("UPDATE documents SET phase = $1 WHERE id = $2")
            .bind(phase.key())
            .bind(&w.doc)
            .execute(w.state.rooms.store().pool_for_tests())
            .await
            .expect("phase");
    }
    let route = routes(&w).remove(i);
    let mut req = Request::builder()
        .method(route.method.clone())
        .uri(w.uri(route.path));
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
        common::same_site(&mut req, w.cookie(login));
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
    w.drop().await;
}

#[tokio::test]
async fn every_route_answers_every_caller_as_the_policy_table_says() {
    let t = Template::new().await;
    let cases = (0..routes(&t.ids).len())
        .flat_map(|i| CALLERS.map(|caller| (i, caller, Phase::Drafting)))
        .collect();
    ask(&t, cases).await;
    t.drop().await;
}

/// Asks every case, a few at a time, each of its own copy of the world (on PostgreSQL most of
/// a case is waiting for its database to be made and dropped).
async fn ask(t: &Template, cases: Vec<(usize, Caller, Phase)>) {
    use futures::StreamExt;
    futures::stream::iter(cases)
        .for_each_concurrent(4, |(i, caller, phase)| {
            answers_as_the_policy_says(t, i, caller, phase)
        })
        .await;
}

#[tokio::test]
async fn every_route_of_the_openapi_document_is_in_the_matrix_or_said_to_be_outside_it() {
    let doc = serde_json::to_value(accord_server::http::openapi()).expect("openapi");
    let methods = [
        "get", "put", "post", "delete", "patch", "head", "options", "trace",
    ];
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            methods
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(|m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    let t = Template::new().await;
    let asked: BTreeSet<(String, String)> = routes(&t.ids)
        .iter()
        .map(|r| {
            let path = r.path.split_once('?').map_or(r.path, |(path, _)| path);
            (r.method.to_string(), path.to_string())
        })
        .collect();
    let outside: BTreeSet<(String, String)> = OUTSIDE
        .iter()
        .map(|(method, path, _)| (method.to_string(), path.to_string()))
        .collect();

    let unasked: Vec<_> = documented
        .iter()
        .filter(|r| !asked.contains(*r) && !outside.contains(*r))
        .collect();
    assert!(
        unasked.is_empty(),
        "routes neither in the matrix nor in OUTSIDE: {unasked:?}"
    );
    let undocumented: Vec<_> = asked
        .union(&outside)
        .filter(|r| !documented.contains(*r))
        .collect();
    assert!(
        undocumented.is_empty(),
        "routes the OpenAPI document does not have: {undocumented:?}"
    );
    let both: Vec<_> = asked.intersection(&outside).collect();
    assert!(both.is_empty(), "asked, yet said to be outside: {both:?}");
    t.drop().await;
}

#[tokio::test]
async fn in_every_phase_the_routes_it_changes_answer_as_the_phase_table_says() {
    let t = Template::new().await;
    let mut cases = Vec::new();
    for phase in [Phase::Consultation, Phase::LastCall, Phase::Closed] {
        for (i, route) in routes(&t.ids).iter().enumerate() {
            if policy::PHASES
                .iter()
                .any(|(p, a, _)| *p == phase && *a == route.action)
            {
                cases.extend(CALLERS.map(|caller| (i, caller, phase)));
            }
        }
    }
    // Comments, stances on paragraphs and amendments, proposals, co-sponsorships and decisions,
    // the report and endorsements, in three phases.
    assert!(cases.len() >= 18 * CALLERS.len(), "{}", cases.len());
    ask(&t, cases).await;
    t.drop().await;
}

#[tokio::test]
async fn another_groups_private_data_cannot_be_read_by_id() {
    let t = Template::new().await;
    let w = t.world().await;
    let cookie = w.cookie("other-chair@example.org");
    for path in [
        "/api/v1/groups/bpf-outcomes/members",
        "/api/v1/groups/bpf-outcomes/invitations",
    ] {
        let mut req = Request::get(path).body(Body::empty()).expect("request");
        common::same_site(&mut req, cookie);
        let resp = w.app.clone().oneshot(req).await.expect("response");
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{path}");
    }
    w.drop().await;
    t.drop().await;
}

#[tokio::test]
async fn a_state_changing_request_from_another_site_is_refused() {
    let t = Template::new().await;
    let w = t.world().await;
    let cookie = w.cookie("drafter@example.org").to_string();
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
    w.drop().await;
    t.drop().await;
}
