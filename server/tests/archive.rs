//! Archives: a whole consultation downloaded by its chair and restored by the admin of a fresh
//! installation exactly (text, heads, figures, record, versions, amendments, endorsements);
//! corrupt, altered or incompatible archives refused in words with nothing half-imported.

mod common;

use axum::http::{Method, StatusCode};
use common::consultation::consultation;
use serde_json::{json, Value};

/// What must be the same after a restore, as anyone reads it through the API.
async fn observed(app: &axum::Router, doc: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for tail in [
        "",
        "/feedback",
        "/record",
        "/versions",
        "/endorsements",
        "/compare?from=final&to=current",
    ] {
        let (status, mut body) = common::call_json(
            app,
            Method::GET,
            &format!("/api/v1/documents/{doc}{tail}"),
            None,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{tail}: {body}");
        if tail.is_empty() {
            // The listing time is the installation's own.
            body["updated_at"] = Value::Null;
        }
        out.push(body);
    }
    // Comments and objections, with their numbers (the installation's own) left out.
    let paragraph = out[0]["paragraphs"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["kind"] == "numbered")
        .and_then(|p| p["id"].as_str())
        .unwrap_or_default()
        .to_string();
    let (_, mut thread) = common::call_json(
        app,
        Method::GET,
        &format!("/api/v1/documents/{doc}/paragraphs/{paragraph}/feedback"),
        None,
        None,
    )
    .await;
    for list in ["comments", "objections"] {
        for item in thread[list].as_array_mut().into_iter().flatten() {
            item["id"] = Value::Null;
            item["parent"] = Value::Null;
        }
    }
    assert!(thread["comments"].as_array().is_some_and(|c| !c.is_empty()));
    out.push(thread);
    let (_, amendments) = common::call_json(
        app,
        Method::GET,
        &format!("/api/v1/documents/{doc}/amendments"),
        None,
        None,
    )
    .await;
    // Amendment numbers are the installation's own; everything else carries over.
    out.extend(
        amendments
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|mut a| {
                a["id"] = Value::Null;
                a
            }),
    );
    out
}

/// The participation balance by gender, taken out of what [`observed`] read (its entry for
/// `/feedback`): each part's counts, participants, comments and stances.
fn take_balance_by_gender(seen: &mut [Value]) -> Vec<Value> {
    ["participants", "comments", "stances"]
        .into_iter()
        .map(|part| seen[1]["balance"][part]["by_gender"].take())
        .collect()
}

/// `cookie`'s account states a gender and an age band in its profile.
async fn state_gender_and_age(app: &axum::Router, cookie: &str) {
    let (status, body) = common::call_json(
        app,
        Method::PATCH,
        "/api/v1/me",
        Some(cookie),
        Some(json!({ "gender": "woman", "age_band": "25-39" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn counts(state: &accord_server::AppState) -> Vec<i64> {
    let mut out = Vec::new();
    for table in [
        "documents",
        "accounts",
        "groups",
        "comments",
        "stance_history",
        "amendments",
        "amendment_stance_history",
        "decision_record",
        "versions",
        "endorsements",
        "document_snapshots",
        "memberships",
    ] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(state.rooms.store().pool_for_tests())
            .await
            .expect("count");
        out.push(n);
    }
    out
}

#[tokio::test]
async fn a_restored_archive_is_the_same_consultation_in_a_fresh_installation() {
    let c = consultation().await;
    let (chair, participant) = (c.chair.clone(), c.participant.clone());
    c.ok(
        Method::POST,
        "/endorsements",
        &participant,
        json!({ "on_behalf_of": "ISOC" }),
    )
    .await;
    state_gender_and_age(&c.app, &participant).await;
    // A stance that does not count yet (its author's address is unconfirmed) and one the
    // chairs set aside, written to the store (the document is closed by now): both stay out of
    // the figures after a restore as before it.
    let store = c.fx.server.state.rooms.store();
    for login in ["quiet@example.org", "aside@example.org"] {
        let (status, _) = common::call_json(
            &c.app,
            Method::POST,
            "/api/v1/auth/register",
            None,
            Some(json!({
                "login": login, "password": accord_core::seed::DEMO_PASSWORD,
                "display_name": login.split('@').next(), "stakeholder_group": "academia",
                "region": "african"
            })),
        )
        .await;
        assert_eq!(status, StatusCode::ACCEPTED);
        let (account, _) = store
            .account_by_login(login)
            .await
            .expect("db")
            .expect("registered");
        store
            .set_stance(
                &c.fx.doc,
                &c.paragraph,
                &account.id,
                domain::api::Stance::Oppose,
                Some("No."),
                0,
            )
            .await
            .expect("stance");
    }
    common::confirm(&c.app, c.fx.dir.path(), "aside@example.org").await;
    let (aside, _) = store
        .account_by_login("aside@example.org")
        .await
        .expect("db")
        .expect("registered");
    let draft = accord_core::store::record::Draft {
        at: 0,
        actor: "Chair".into(),
        kind: "stances-set-aside".into(),
        summary: "Set aside the stances of aside".into(),
        reason: "Made to tip the balance.".into(),
    };
    let heads =
        c.fx.server
            .state
            .rooms
            .heads(&c.fx.doc)
            .await
            .expect("heads");
    store
        .set_stances_aside(&c.fx.doc, &[aside.id], true, &draft, heads)
        .await
        .expect("set aside");
    let mut before = observed(&c.app, &c.fx.doc).await;

    let (status, archive) = c
        .call(Method::GET, "/archive", &participant, Value::Null)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{archive}");
    let archive = c.ok(Method::GET, "/archive", &chair, Value::Null).await;
    assert_eq!(archive["format"], "accord-archive");
    assert!(archive["accounts"].as_array().is_some_and(|a| a.len() >= 2));
    let text = archive.to_string();
    assert!(
        !text.contains("password") && !text.contains("@example.org"),
        "no logins, no secrets"
    );

    // A fresh installation: its own demo document and comments, so numbers collide.
    let dir = tempfile::tempdir().expect("tempdir");
    let fresh = common::Server::start(dir.path()).await;
    let app = accord_server::router(fresh.state.clone());
    let admin = common::session(&app, "admin@example.org").await;
    let chair_there = common::session(&app, "chair@example.org").await;
    let (status, body) = restore(&app, Some(&chair_there), archive.clone()).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only an admin restores: {body}"
    );
    let (status, body) = restore(&app, Some(&admin), archive.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let doc = c.fx.doc.clone();
    assert_eq!(body["id"], json!(doc));
    let mut after = observed(&app, &doc).await;
    // The one difference on purpose: an archive carries nobody's gender (registration promises
    // it only in aggregate), so the restored balance by gender counts everyone as not stated.
    // Everything else, the figures by stakeholder group and region included, is the same.
    let (by_gender_before, by_gender_after) = (
        take_balance_by_gender(&mut before),
        take_balance_by_gender(&mut after),
    );
    assert_eq!(after, before);
    let stated = |counts: &Value| {
        counts
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| !c["gender"].is_null())
            .map(|c| c["count"].as_u64().unwrap_or_default())
            .sum::<u64>()
    };
    assert!(
        by_gender_before.iter().any(|c| stated(c) > 0),
        "{by_gender_before:?}"
    );
    assert!(
        by_gender_after.iter().all(|c| stated(c) == 0),
        "{by_gender_after:?}"
    );

    // Restoring it again would make two of one document.
    let (status, body) = restore(&app, Some(&admin), archive.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // The restored record still verifies.
    let (_, record) = common::call_json(
        &app,
        Method::GET,
        &format!("/api/v1/documents/{doc}/record"),
        None,
        None,
    )
    .await;
    let entries: Vec<domain::record::Entry> = serde_json::from_value(record).expect("record");
    assert!(domain::record::verify(&entries).is_ok());
}

/// Asks this installation to restore `archive`, as `cookie` (if any).
async fn restore(
    app: &axum::Router,
    cookie: Option<&String>,
    archive: Value,
) -> (StatusCode, Value) {
    common::call_json(
        app,
        Method::POST,
        "/api/v1/archives",
        cookie.map(String::as_str),
        Some(archive),
    )
    .await
}

/// An edit that sets `column` of the first row of `table` in an archive of format 1.
fn first_row(table: &'static str, column: &'static str, value: Value) -> impl Fn(&mut Value) {
    move |a: &mut Value| {
        let tables = a["tables"].as_array_mut().expect("tables");
        let t = tables.iter_mut().find(|t| t[0] == table).expect("table");
        t[1][0][column] = value.clone();
    }
}

#[tokio::test]
async fn a_bad_archive_is_refused_in_words_and_nothing_is_imported() {
    let c = consultation().await;
    let archive = c
        .ok(Method::GET, "/archive", &c.chair.clone(), Value::Null)
        .await;
    let first: Value =
        serde_json::from_str(include_str!("fixtures/archive-format-1.json")).expect("fixture");
    let dir = tempfile::tempdir().expect("tempdir");
    let fresh = common::Server::start(dir.path()).await;
    let app = accord_server::router(fresh.state.clone());
    let admin = common::session(&app, "admin@example.org").await;
    let before = counts(&fresh.state).await;

    let with = |f: &dyn Fn(&mut Value)| {
        let mut a = archive.clone();
        // Under a free id, so that only the fault is refused.
        a["document"]["id"] = json!("elsewhere");
        f(&mut a);
        a
    };
    // Format 1 carried tables of rows; a restore still reads it, and refuses its faults too.
    let with_first = |f: &dyn Fn(&mut Value)| {
        let mut a = first.clone();
        f(&mut a);
        a
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "another format",
            with(&|a| a["format"] = json!("zip")),
            "not an Accord archive",
        ),
        (
            "a later version",
            with(&|a| a["version"] = json!(5)),
            "format version 5",
        ),
        (
            "bytes that are not base64",
            with(&|a| a["automerge"] = json!("%%%")),
            "not base64",
        ),
        (
            "corrupt automerge bytes",
            with(&|a| a["automerge"] = json!("AAECAwQF")),
            "corrupt",
        ),
        (
            "heads that do not match",
            with(&|a| a["heads"] = json!(["00"])),
            "heads",
        ),
        (
            "an unknown part",
            with(&|a| a["sessions"] = json!([])),
            "unknown field `sessions`",
        ),
        (
            "an unknown field",
            with(&|a| a["comments"][0]["karma"] = json!(1)),
            "karma",
        ),
        (
            "a value of the wrong type",
            with(&|a| a["comments"][0]["created_at"] = json!("yesterday")),
            "does not fit",
        ),
        (
            "a stance no one can take",
            with(&|a| a["stances"][0]["stance"] = json!("maybe")),
            "unknown variant `maybe`",
        ),
        (
            "an altered record",
            with(&|a| a["record"][0]["reason"] = json!("Rewritten.")),
            "altered",
        ),
        (
            "an amendment that is not a branch of the text",
            with(&|a| a["amendments"][0]["changes"] = json!("AAEC")),
            "does not apply",
        ),
        (
            "a version without a readable text",
            with(&|a| a["versions"][0]["paragraphs"] = json!("{}")),
            "versions[0].paragraphs",
        ),
        (
            "a reply to a missing comment",
            with(&|a| a["comments"][0]["parent"] = json!(999_999)),
            "lacks",
        ),
        (
            "a response by someone the archive lacks",
            with(&|a| a["comments"][0]["responses"][0]["by"] = json!("a-stranger")),
            "lacks",
        ),
        (
            "format 1: an unknown table",
            with_first(&|a| {
                a["tables"]
                    .as_array_mut()
                    .expect("t")
                    .push(json!(["sessions", []]))
            }),
            "does not know",
        ),
        (
            "format 1: an unknown column",
            with_first(&first_row("comments", "karma", json!(1))),
            "karma",
        ),
        (
            "format 1: a stance no one can take",
            with_first(&first_row("stance_history", "stance", json!("maybe"))),
            "does not fit",
        ),
        (
            "format 1: an altered record",
            with_first(&first_row("decision_record", "reason", json!("Rewritten."))),
            "altered",
        ),
        (
            "format 1: a version without a readable text",
            with_first(&first_row("versions", "outline", json!("{}"))),
            "no readable text",
        ),
        (
            "format 1: a response to a missing comment",
            with_first(&first_row("responses", "comment_id", json!(999_999))),
            "lacks",
        ),
    ];
    for (what, bad, says) in cases {
        let (status, body) = restore(&app, Some(&admin), bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {body}");
        let error = body["error"].as_str().unwrap_or_default();
        assert!(
            error.contains(says) && error.contains("nothing was imported"),
            "{what}: {error}"
        );
        assert_eq!(
            counts(&fresh.state).await,
            before,
            "{what} left something behind"
        );
    }
    let (status, _) = restore(&app, Some(&admin), json!({ "format": "accord-archive" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = restore(&app, None, archive).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(counts(&fresh.state).await, before);
}

/// An archive written by the first archive format (`server/tests/fixtures`: the consultation
/// above, closed and endorsed, with what the API showed of it when it was written). Every later
/// release must restore it to the same consultation.
#[tokio::test]
async fn an_archive_written_by_the_first_format_restores_to_what_it_held() {
    let archive: Value =
        serde_json::from_str(include_str!("fixtures/archive-format-1.json")).expect("fixture");
    let seen: Vec<Value> =
        serde_json::from_str(include_str!("fixtures/archive-format-1.seen.json")).expect("seen");
    let dir = tempfile::tempdir().expect("tempdir");
    let fresh = common::Server::start(dir.path()).await;
    let app = accord_server::router(fresh.state.clone());
    let admin = common::session(&app, "admin@example.org").await;
    let (status, body) = restore(&app, Some(&admin), archive).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let doc = body["id"].as_str().expect("id").to_string();
    let now: Vec<Value> = observed(&app, &doc)
        .await
        .iter()
        .zip(&seen)
        .map(|(now, then)| spelled(&as_seen_then(now, then)))
        .collect();
    let seen: Vec<Value> = seen.iter().map(spelled).collect();
    assert_eq!(now, seen);
}

/// `v` with every word difference (`diff`) replaced by the two texts it spells: how a
/// difference is cut into pieces is how it is shown (in runs since the fixture was written),
/// not what the archive held.
fn spelled(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| match (k.as_str(), v) {
                    ("diff", Value::Array(pieces)) => {
                        let side = |skip: &str| -> String {
                            pieces
                                .iter()
                                .filter(|p| p["kind"] != skip)
                                .filter_map(|p| p["text"].as_str())
                                .collect()
                        };
                        (
                            k.clone(),
                            json!({ "old": side("inserted"), "new": side("deleted") }),
                        )
                    }
                    _ => (k.clone(), spelled(v)),
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(spelled).collect()),
        _ => v.clone(),
    }
}

/// `now` with only the fields `then` has, at every depth: what the API shows was added to
/// since the fixture was written (an amendment's `unreadable`), and the fixture says nothing of
/// fields that did not exist.
fn as_seen_then(now: &Value, then: &Value) -> Value {
    match (now, then) {
        (Value::Object(n), Value::Object(t)) => Value::Object(
            n.iter()
                .filter(|(k, _)| t.contains_key(*k))
                .map(|(k, v)| (k.clone(), as_seen_then(v, &t[k])))
                .collect(),
        ),
        (Value::Array(n), Value::Array(t)) if n.len() == t.len() => {
            Value::Array(n.iter().zip(t).map(|(a, b)| as_seen_then(a, b)).collect())
        }
        _ => now.clone(),
    }
}

/// Every key of every object in `v`.
fn keys(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                out.push(k.clone());
                keys(v, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

/// Regression (the chair's archive held each person's gender and age band, although
/// registration promises to show them only in aggregate): an archive names people by what the
/// pages show of them, and carries no one's gender or age band.
#[tokio::test]
async fn an_archive_holds_no_ones_gender_or_age_band() {
    let c = consultation().await;
    state_gender_and_age(&c.app, &c.participant).await;
    let archive = c
        .ok(Method::GET, "/archive", &c.chair.clone(), Value::Null)
        .await;
    let mut found = Vec::new();
    keys(&archive, &mut found);
    assert!(
        !found.iter().any(|k| k == "gender" || k == "age_band"),
        "{found:?}"
    );
    let people = archive["accounts"].to_string();
    assert!(people.contains("Priya Participant"), "{people}");
    assert!(
        !people.contains("woman") && !people.contains("25-39"),
        "{people}"
    );
}

/// What anyone reads of a document through the API: its feedback, record, versions,
/// endorsements and one paragraph's thread.
async fn everything_about(
    app: &axum::Router,
    cookie: &str,
    doc: &str,
    paragraph: &str,
) -> Vec<Value> {
    let mut out = Vec::new();
    for tail in [
        "/feedback".to_string(),
        "/record".to_string(),
        "/versions".to_string(),
        "/endorsements".to_string(),
        format!("/paragraphs/{paragraph}/feedback"),
    ] {
        let path = format!("/api/v1/documents/{doc}{tail}");
        let (status, body) = common::call_json(app, Method::GET, &path, Some(cookie), None).await;
        assert_eq!(status, StatusCode::OK, "{tail}: {body}");
        out.push(body);
    }
    out
}

/// Regression (a hostile archive wrote into other documents and granted roles): a forged
/// archive (format 1, whose rows each named their document) carried rows of this installation's
/// demo document, a comment in its chair's name, a "final" version of its own wording and an
/// endorsement, and was accepted; another named an account of this installation, who was no
/// member of the demo group, as its chair, and made them one. A restore only ever creates the
/// archived document and its rows: a row of another document is refused, every person becomes
/// a new account, and the members of a group that was here stay as they were.
#[tokio::test]
async fn a_forged_archive_writes_only_its_own_document_and_grants_no_role() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fresh = common::Server::start(dir.path()).await;
    let app = accord_server::router(fresh.state.clone());
    let admin = common::session(&app, "admin@example.org").await;
    let store = fresh.state.rooms.store();
    let demo = fresh.first_document().await;
    let group = store
        .document_meta(&demo)
        .await
        .expect("store")
        .expect("the demo document")
        .group_id;
    let paragraph = fresh
        .detail(&demo)
        .await
        .paragraphs
        .iter()
        .find(|p| p.kind == domain::api::ParagraphKind::Numbered)
        .expect("a numbered paragraph")
        .id
        .clone();
    let (chair, _) = store
        .account_by_login("chair@example.org")
        .await
        .expect("store")
        .expect("the demo chair");
    let newcomer = store
        .create_account(
            &domain::api::Register {
                login: "newcomer@example.org".into(),
                password: String::new(),
                display_name: "Nadia Newcomer".into(),
                affiliation: String::new(),
                stakeholder_group: domain::api::StakeholderGroup::Academia,
                region: domain::api::Region::African,
                gender: None,
                age_band: None,
                next: None,
            },
            "!",
            false,
        )
        .await
        .expect("store")
        .expect("a fresh login")
        .id;
    let role = |account: String| {
        let (store, group) = (store.clone(), group.clone());
        async move { store.role_in(&account, &group).await.expect("role") }
    };
    assert_eq!(role(newcomer.clone()).await, domain::api::Role::Reader);
    let before = everything_about(&app, &admin, &demo, &paragraph).await;

    // The committed archive of format 1, with rows of the demo document among its own.
    let fixture = include_str!("fixtures/archive-format-1.json");
    let mut planted: Value = serde_json::from_str(fixture).expect("fixture");
    let plant = |a: &mut Value, table: &str, row: Value| {
        let tables = a["tables"].as_array_mut().expect("tables");
        let t = tables.iter_mut().find(|t| t[0] == table).expect("table");
        t[1].as_array_mut().expect("rows").push(row);
    };
    plant(
        &mut planted,
        "comments",
        json!({
            "id": 2, "document_id": demo, "paragraph_id": paragraph, "parent_id": null,
            "author_id": chair.id, "body": "Planted in the chair's name.", "anchor_first": null,
            "anchor_last": null, "created_at": 1, "edited_at": null, "hidden_reason": null,
            "hidden_by": null, "hidden_at": null
        }),
    );
    plant(
        &mut planted,
        "versions",
        json!({
            "document_id": demo, "name": "final", "summary": "Forged.", "heads": "",
            "outline": "{\"title\":\"Forged\",\"paragraphs\":[]}",
            "created_by": "ac0347a75506861bb68", "created_at": 1
        }),
    );
    plant(
        &mut planted,
        "endorsements",
        json!({
            "document_id": demo, "account_id": "a022deaa2062bbf650e",
            "on_behalf_of": "Nobody", "created_at": 1
        }),
    );
    let (status, body) = restore(&app, Some(&admin), planted).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let error = body["error"].as_str().unwrap_or_default();
    assert!(error.contains("belongs to document"), "{error}");
    assert_eq!(
        everything_about(&app, &admin, &demo, &paragraph).await,
        before
    );

    // The same archive, under a document id of its own, naming the newcomer's account (as the
    // participant who commented) and making that account the group's chair.
    let text = fixture
        .replace("a022deaa2062bbf650e", &newcomer)
        .replace("d5h9kr72hyvk3", "forged-two");
    let mut named: Value = serde_json::from_str(&text).expect("fixture");
    for person in named["accounts"].as_array_mut().expect("accounts") {
        if person["id"] == json!(newcomer) {
            person["role"] = json!("chair");
        }
    }
    let (status, body) = restore(&app, Some(&admin), named).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        role(newcomer.clone()).await,
        domain::api::Role::Reader,
        "no role was granted in a group that was here"
    );
    assert_eq!(role(chair.id.clone()).await, domain::api::Role::Chair);
    // The archive's participant is a new account, not the newcomer it named.
    let (_, thread) = common::call_json(
        &app,
        Method::GET,
        "/api/v1/documents/forged-two/paragraphs/p48h944rgvavc/feedback",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(
        thread["comments"][0]["author"], "Priya Participant",
        "{thread}"
    );
    let me = store
        .me(&newcomer)
        .await
        .expect("store")
        .expect("the newcomer");
    assert_eq!(me.display_name, "Nadia Newcomer");
    assert!(me.memberships.is_empty(), "{:?}", me.memberships);
    assert_eq!(
        everything_about(&app, &admin, &demo, &paragraph).await,
        before
    );
}

/// Restoring is the admin's, and who asks is settled before the body is read: a stranger's
/// upload is refused in words without the server decoding a byte of it.
#[tokio::test]
async fn a_strangers_archive_is_refused_before_its_body_is_read() {
    use axum::body::Body;
    use futures::StreamExt;
    use tower::ServiceExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let server = common::Server::start(dir.path()).await;
    let app = accord_server::router(server.state.clone());
    // Not JSON at all, and never finished: a body that would fail if anyone read it.
    let never_ends =
        futures::stream::once(async { Ok::<_, std::io::Error>(b"{ not json".to_vec()) })
            .chain(futures::stream::pending());
    let req = axum::http::Request::post("/api/v1/archives")
        .header("content-type", "application/json")
        .body(Body::from_stream(never_ends))
        .expect("request");
    let resp = tokio::time::timeout(std::time::Duration::from_secs(5), app.oneshot(req))
        .await
        .expect("answered without reading the body")
        .expect("response");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_published_number_travels_with_its_archive_and_is_never_given_to_another_text() {
    let c = consultation().await;
    let chair = c.chair.clone();
    let published = c
        .ok(
            Method::POST,
            "/publication",
            &chair,
            json!({ "status": "Recommendation" }),
        )
        .await;
    assert_eq!(published["summary"]["number"], 1);
    let archive = c.ok(Method::GET, "/archive", &chair, Value::Null).await;
    assert_eq!(archive["version"], 4);
    assert_eq!(archive["publication"]["number"], 1);
    assert!(archive["phase_moves"]
        .as_array()
        .is_some_and(|m| m.len() == 2));

    // A fresh installation takes it back under its own number, its text and hash unchanged.
    let dir = tempfile::tempdir().expect("tempdir");
    let fresh = common::Server::start(dir.path()).await;
    let app = accord_server::router(fresh.state.clone());
    let admin = common::session(&app, "admin@example.org").await;
    // Altered after publication: refused, nothing imported.
    let mut altered = archive.clone();
    altered["publication"]["text"]["title"] = json!("Another title");
    let (status, body) = restore(&app, Some(&admin), altered).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"].as_str().unwrap_or("").contains("altered"),
        "{body}"
    );
    let (status, body) = restore(&app, Some(&admin), archive.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, again) =
        common::call_json(&app, Method::GET, "/api/v1/outputs/1", None, None).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    for key in [
        "text",
        "text_hash",
        "evaluation",
        "series",
        "published_by",
        "summary",
    ] {
        assert_eq!(again[key], published[key], "{key}");
    }
    let (_, publication) = common::call_json(
        &app,
        Method::GET,
        &format!("/api/v1/documents/{}/publication", c.fx.doc),
        None,
        None,
    )
    .await;
    assert_eq!(publication["published"]["number"], 1, "{publication}");

    // An installation whose number 1 is another text refuses it, and keeps its own.
    let dir = tempfile::tempdir().expect("tempdir");
    let other = common::Server::start(dir.path()).await;
    let app = accord_server::router(other.state.clone());
    let admin = common::session(&app, "admin@example.org").await;
    let chair_there = common::session(&app, "chair@example.org").await;
    let own = other.first_document().await;
    for (path, body) in [
        (
            format!("/api/v1/documents/{own}/phase"),
            json!({ "phase": "closed", "reason": "Done." }),
        ),
        (
            format!("/api/v1/documents/{own}/publication"),
            json!({ "status": "Informational" }),
        ),
    ] {
        let (status, answer) =
            common::call_json(&app, Method::POST, &path, Some(&chair_there), Some(body)).await;
        assert!(status.is_success(), "{answer}");
    }
    let (status, body) = restore(&app, Some(&admin), archive).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"].as_str().unwrap_or("").contains("number 1"),
        "{body}"
    );
    let (_, kept) = common::call_json(&app, Method::GET, "/api/v1/outputs/1", None, None).await;
    assert_eq!(kept["document"], json!(own));
}
