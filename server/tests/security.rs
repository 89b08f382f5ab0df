//! Sessions, abuse limits, hostile text and the audit log.

mod common;

use std::sync::{
    atomic::{AtomicI64, Ordering},
    Arc,
};

use accord_core::seed;
use accord_server::{router, AppState};
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn app_with_clock(now: Arc<AtomicI64>) -> (Router, AppState) {
    let store = common::private_store().await;
    let clock = now.clone();
    let state = AppState::with_clock(
        store,
        common::leptos_options(),
        Arc::new(move || clock.load(Ordering::SeqCst)),
    );
    seed::seed_if_empty(&state.rooms).await.expect("seed");
    (router(state.clone()), state)
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, String) {
    let resp = app.clone().oneshot(req).await.expect("response");
    let status = resp.status();
    let body = resp.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn get_with(uri: &str, cookie: &str) -> Request<Body> {
    let mut req = Request::get(uri).body(Body::empty()).expect("request");
    common::same_site(&mut req, cookie);
    req
}

fn login_request(login: &str, password: &str) -> Request<Body> {
    Request::post("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::json!({ "login": login, "password": password }).to_string(),
        ))
        .expect("request")
}

#[tokio::test]
async fn a_session_ends_after_idling_and_at_logout() {
    let now = Arc::new(AtomicI64::new(1_000_000));
    let (app, state) = app_with_clock(now.clone()).await;
    let cookie = common::session(&app, "drafter@example.org").await;
    assert_eq!(
        send(&app, get_with("/api/v1/me", &cookie)).await.0,
        StatusCode::OK
    );

    // Idle for longer than the idle limit: the session is gone.
    now.fetch_add(state.auth.idle + 1, Ordering::SeqCst);
    assert_eq!(
        send(&app, get_with("/api/v1/me", &cookie)).await.0,
        StatusCode::UNAUTHORIZED
    );

    // Logout ends the session on the server, not only in the browser.
    let cookie = common::session(&app, "drafter@example.org").await;
    let mut logout = Request::post("/api/v1/auth/logout")
        .body(Body::empty())
        .expect("request");
    common::same_site(&mut logout, &cookie);
    assert_eq!(send(&app, logout).await.0, StatusCode::NO_CONTENT);
    assert_eq!(
        send(&app, get_with("/api/v1/me", &cookie)).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn signing_in_issues_a_new_session_id_with_safe_cookie_flags() {
    let now = Arc::new(AtomicI64::new(1_000_000));
    let (app, _) = app_with_clock(now).await;
    let first = common::session(&app, "drafter@example.org").await;
    let mut again = login_request("drafter@example.org", seed::DEMO_PASSWORD);
    common::same_site(&mut again, &first);
    let resp = app.clone().oneshot(again).await.expect("response");
    let cookie = resp.headers()[header::SET_COOKIE]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.starts_with(&first), "a fresh id on every sign-in");
    // The session the login replaced is over.
    assert_eq!(
        send(&app, get_with("/api/v1/me", &first)).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn repeated_failed_logins_are_slowed_down_with_a_429() {
    let now = Arc::new(AtomicI64::new(1_000_000));
    let (app, state) = app_with_clock(now).await;
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(send(&app, login_request("drafter@example.org", "wrong password")).await);
    }
    assert_eq!(statuses[0].0, StatusCode::UNAUTHORIZED);
    let (status, body) = statuses.last().expect("some").clone();
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(body.contains("too many login requests"), "{body}");
    let audit = state.rooms.store().audit_log(100).await.expect("audit");
    assert!(audit.iter().filter(|e| e.kind == "login-failed").count() >= 10);
}

#[tokio::test]
async fn oversized_and_malformed_profile_fields_get_a_422() {
    let now = Arc::new(AtomicI64::new(1_000_000));
    let (app, _) = app_with_clock(now).await;
    let cases = [
        (
            serde_json::json!({"login":"not-an-email","password":"long enough password","display_name":"X","stakeholder_group":"academia","region":"african"}),
            "email-like",
        ),
        (
            serde_json::json!({"login":"a@b.org","password":"short","display_name":"X","stakeholder_group":"academia","region":"african"}),
            "at least 10",
        ),
        (
            serde_json::json!({"login":"a@b.org","password":"long enough password","display_name":"x".repeat(65),"stakeholder_group":"academia","region":"african"}),
            "65 characters",
        ),
        (
            serde_json::json!({"login":"a@b.org","password":"long enough password","display_name":"X","stakeholder_group":"pirates","region":"african"}),
            "invalid body",
        ),
    ];
    for (body, words) in cases {
        let req = Request::post("/api/v1/auth/register")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .expect("request");
        let (status, text) = send(&app, req).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
        assert!(text.contains(words), "{words}: {text}");
    }
}

const PAYLOADS: [&str; 4] = [
    "</title><script>alert(2)</script>",
    "javascript:alert(1)",
    "\"><img src=x onerror=alert(1)>",
    "</textarea><svg onload=alert(1)>",
];

#[tokio::test]
async fn hostile_text_in_every_field_renders_as_text() {
    let now = Arc::new(AtomicI64::new(1_000_000));
    let (app, _) = app_with_clock(now).await;
    let cookie = common::session(&app, "drafter@example.org").await;
    let mut patch = Request::patch("/api/v1/me")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::json!({ "display_name": PAYLOADS[0], "affiliation": PAYLOADS[1] })
                .to_string(),
        ))
        .expect("request");
    common::same_site(&mut patch, &cookie);
    assert_eq!(send(&app, patch).await.0, StatusCode::OK);

    let markdown = format!(
        "# {}\n\n## {}\n\n1. {}\n\n   (a) {}\n",
        PAYLOADS[0], PAYLOADS[1], PAYLOADS[2], PAYLOADS[3]
    );
    let mut create = Request::post("/api/v1/documents")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::json!({ "markdown": markdown }).to_string(),
        ))
        .expect("request");
    common::same_site(&mut create, &cookie);
    let (status, body) = send(&app, create).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = serde_json::from_str::<serde_json::Value>(&body).expect("json")["id"]
        .as_str()
        .expect("id")
        .to_string();

    for page in ["/".to_string(), format!("/documents/{id}")] {
        let resp = app
            .clone()
            .oneshot(get_with(&page, &cookie))
            .await
            .expect("response");
        let csp = resp.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("ascii")
            .to_string();
        let script_src = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .expect("script-src");
        assert!(!script_src.contains("unsafe-inline"), "{csp}");
        assert!(script_src.contains("'nonce-"), "{csp}");
        let html = String::from_utf8(
            resp.into_body()
                .collect()
                .await
                .expect("body")
                .to_bytes()
                .to_vec(),
        )
        .expect("utf-8");
        for bad in ["<script>alert", "<img src=x", "<svg onload"] {
            if let Some(at) = html.find(bad) {
                let context = &html[at.saturating_sub(120)..(at + 60).min(html.len())];
                panic!("{page} renders '{bad}' as markup: …{context}…");
            }
        }
        // Every inline script the page has carries the response's nonce.
        let nonce = script_src
            .split("'nonce-")
            .nth(1)
            .and_then(|r| r.split('\'').next())
            .expect("nonce");
        for tag in html
            .match_indices("<script")
            .map(|(i, _)| &html[i..(i + 200).min(html.len())])
        {
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")) || tag.contains(" src="),
                "{page}: {tag}"
            );
        }
    }
    let md = send(
        &app,
        get_with(&format!("/api/v1/documents/{id}/markdown"), &cookie),
    )
    .await
    .1;
    // Markdown escapes what a renderer would take for markup (raw HTML, links), and reads
    // back as the words written.
    assert!(!md.contains(PAYLOADS[0]), "no raw markup in the Markdown");
    let back = domain::markdown::import(&md);
    assert_eq!(
        back.title.as_deref(),
        Some(PAYLOADS[0]),
        "the Markdown reads back as the words written"
    );
    assert!(back.paragraphs.iter().any(|(_, t)| t == PAYLOADS[3]));
}

#[tokio::test]
async fn role_changes_and_refusals_are_in_the_audit_log_for_the_admin() {
    let now = Arc::new(AtomicI64::new(1_000_000));
    let (app, state) = app_with_clock(now).await;
    let participant = state
        .rooms
        .store()
        .account_by_login("participant@example.org")
        .await
        .expect("db")
        .expect("account")
        .0;
    let chair = common::session(&app, "chair@example.org").await;
    let mut promote = Request::put(format!(
        "/api/v1/groups/{}/members/{}",
        seed::DEMO_GROUP,
        participant.id
    ))
    .header(header::CONTENT_TYPE, "application/json")
    .body(Body::from(r#"{"role":"drafter"}"#))
    .expect("request");
    common::same_site(&mut promote, &chair);
    assert_eq!(send(&app, promote).await.0, StatusCode::NO_CONTENT);
    let drafter = common::session(&app, "drafter@example.org").await;
    assert_eq!(
        send(&app, get_with("/api/v1/audit", &drafter)).await.0,
        StatusCode::FORBIDDEN
    );
    // Others know a person by their display name: renaming oneself is on the log.
    let mut rename = Request::patch("/api/v1/me")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"display_name":"Amina Chair"}"#))
        .expect("request");
    common::same_site(&mut rename, &drafter);
    assert_eq!(send(&app, rename).await.0, StatusCode::OK);

    let admin = common::session(&app, "admin@example.org").await;
    let (status, body) = send(&app, get_with("/api/v1/audit", &admin)).await;
    assert_eq!(status, StatusCode::OK);
    let entries: Vec<domain::api::AuditEntry> = serde_json::from_str(&body).expect("json");
    assert!(entries
        .iter()
        .any(|e| e.kind == "role-changed" && e.detail.contains("participant → drafter")));
    assert!(entries
        .iter()
        .any(|e| e.kind == "display-name-changed" && e.detail == "Diego Drafter → Amina Chair"));
    assert!(entries
        .iter()
        .any(|e| e.kind == "refused" && e.detail.contains("readaudit")));
    // Append-only: the database itself refuses to rewrite history.
    let rewrite = sqlx::query("DELETE FROM audit_log")
        .execute(state.rooms.store().pool_for_tests())
        .await;
    assert!(rewrite.is_err());
}

/// A page form's post, as a browser without JavaScript sends it: its answer's status and
/// where it sends the browser.
async fn post_form(app: &Router, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencoding(v)))
        .collect::<Vec<_>>()
        .join("&");
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "http://localhost")
        .header(header::HOST, "localhost")
        .header(header::ACCEPT, "text/html")
        .body(Body::from(body))
        .expect("request");
    let resp = app.clone().oneshot(req).await.expect("response");
    let to = resp
        .headers()
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (resp.status(), to)
}

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn signing_in_never_sends_anyone_to_another_site_or_breaks_on_a_hostile_next() {
    let (app, _) = app_with_clock(Arc::new(AtomicI64::new(1_000))).await;
    for next in [
        "/\t/evil.example/phish.html",
        "//evil.example/",
        "/\\evil.example/",
        "https://evil.example/",
        "/\u{b}x",
        "/\r\nSet-Cookie: stolen=1",
    ] {
        let (status, to) = post_form(
            &app,
            "/_fn/login",
            &[
                ("login", "chair@example.org"),
                ("password", seed::DEMO_PASSWORD),
                ("next", next),
            ],
        )
        .await;
        assert!(status.is_redirection(), "{next:?}: {status}");
        assert_eq!(to, "/", "{next:?}");
    }
    let (_, to) = post_form(
        &app,
        "/_fn/login",
        &[
            ("login", "chair@example.org"),
            ("password", seed::DEMO_PASSWORD),
            ("next", "/documents/x?p=y#y"),
        ],
    )
    .await;
    assert_eq!(to, "/documents/x?p=y#y", "a local path is followed");
}

#[tokio::test]
async fn a_page_forms_refusal_answers_with_its_own_status_not_a_500() {
    let (app, _) = app_with_clock(Arc::new(AtomicI64::new(1_000))).await;
    // As the page's script posts it (no text/html in Accept).
    let req = Request::post("/_fn/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "http://localhost")
        .header(header::HOST, "localhost")
        .body(Body::from(
            "login=chair%40example.org&password=wrong-password&next=%2F",
        ))
        .expect("request");
    let (status, body) = send(&app, req).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(body.contains("wrong login or password"), "{body}");
}

#[tokio::test]
async fn a_foreign_page_cannot_sign_a_visitor_in_or_post_anything() {
    let (app, mut state) = app_with_clock(Arc::new(AtomicI64::new(1_000))).await;
    let login = |origin: Option<&'static str>, fetch_site: Option<&'static str>, host| {
        let mut req = Request::post("/_fn/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, host);
        if let Some(o) = origin {
            req = req.header(header::ORIGIN, o);
        }
        if let Some(s) = fetch_site {
            req = req.header("sec-fetch-site", s);
        }
        req.body(Body::from(format!(
            "login=participant%40example.org&password={}&next=%2F",
            seed::DEMO_PASSWORD
        )))
        .expect("request")
    };
    // Login CSRF: no session cookie, yet refused.
    let (status, _) = send(&app, login(Some("https://evil.example"), None, "localhost")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send(&app, login(None, Some("cross-site"), "localhost")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send(
        &app,
        login(Some("http://localhost"), Some("same-site"), "localhost"),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a sibling subdomain is another site's page"
    );
    let (status, _) = send(
        &app,
        login(Some("http://localhost"), Some("same-origin"), "localhost"),
    )
    .await;
    assert!(status.is_success() || status.is_redirection(), "{status}");
    // A script without a browser names no origin, and has no cookie to abuse.
    let (status, _) = send(&app, login(None, None, "localhost")).await;
    assert!(status.is_success() || status.is_redirection(), "{status}");

    // Behind a proxy that rewrites Host, the configured public origin decides.
    state.auth.public_origin = Some("https://accord.example.org".into());
    let app = router(state);
    let (status, _) = send(
        &app,
        login(Some("https://accord.example.org"), None, "10.0.0.5:3000"),
    )
    .await;
    assert!(status.is_success() || status.is_redirection(), "{status}");
    let (status, _) = send(
        &app,
        login(
            Some("http://accord.example.org"),
            None,
            "accord.example.org",
        ),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the scheme is part of the origin"
    );
}

#[tokio::test]
async fn behind_a_proxy_the_address_is_the_one_the_proxy_appended_not_the_clients_claim() {
    use accord_server::auth::client_address;
    let parts = |xff: &str| {
        Request::get("/")
            .header("x-forwarded-for", xff)
            .body(())
            .expect("request")
            .into_parts()
            .0
    };
    // The client wrote "1.2.3.4"; our one proxy appended the address it saw.
    assert_eq!(
        client_address(&parts("1.2.3.4, 203.0.113.9"), 1),
        "203.0.113.9"
    );
    // Two proxies of ours: the outer one appended the client's, the inner one the outer's.
    assert_eq!(
        client_address(&parts("1.2.3.4, 203.0.113.9, 10.0.0.2"), 2),
        "203.0.113.9"
    );
    // No proxy trusted: the header is the client's word, and ignored.
    assert_eq!(client_address(&parts("1.2.3.4"), 0), "local");
}

#[tokio::test]
async fn guessing_one_accounts_password_from_many_addresses_is_slowed_down() {
    let (_, mut state) = app_with_clock(Arc::new(AtomicI64::new(1_000))).await;
    // Each guess from another address, as a botnet's would be.
    state.auth.trust_proxy = 1;
    let app = router(state);
    let mut refused = 0;
    for i in 0..30 {
        let req = Request::post("/api/v1/auth/login")
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-forwarded-for", format!("198.51.100.{i}"))
            .body(Body::from(
                r#"{"login":"chair@example.org","password":"not-the-password"}"#,
            ))
            .expect("request");
        if send(&app, req).await.0 == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
        }
    }
    assert!(refused >= 15, "{refused} of 30 guesses refused");
}

/// Past ten wrong passwords for one login, each further one doubles the wait before the
/// next is even checked (one minute, two, four), wherever the guesses come from; the right
/// password, once let through, starts the count again.
#[tokio::test]
async fn each_wrong_password_past_ten_doubles_the_wait_for_the_next() {
    let now = Arc::new(AtomicI64::new(1_000));
    let (_, mut state) = app_with_clock(now.clone()).await;
    state.auth.trust_proxy = 1;
    let app = router(state);
    let mut n = 0;
    let mut guess = |password: &'static str| {
        n += 1;
        let app = app.clone();
        async move {
            let body = format!(r#"{{"login":"chair@example.org","password":"{password}"}}"#);
            let req = Request::post("/api/v1/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .header("x-forwarded-for", format!("203.0.113.{}", n % 250))
                .body(Body::from(body))
                .expect("request");
            send(&app, req).await.0
        }
    };
    for _ in 0..10 {
        assert_eq!(guess("wrong password").await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(guess("wrong password").await, StatusCode::TOO_MANY_REQUESTS);
    // The tenth wrong password sets a wait of 30 s before the 11th is checked; each further
    // one doubles it.
    now.fetch_add(30, Ordering::SeqCst);
    assert_eq!(guess("wrong password").await, StatusCode::UNAUTHORIZED);
    for wait in [60, 120, 240] {
        now.fetch_add(wait - 10, Ordering::SeqCst);
        assert_eq!(
            guess("wrong password").await,
            StatusCode::TOO_MANY_REQUESTS,
            "{wait} s less 10 is too early"
        );
        now.fetch_add(10, Ordering::SeqCst);
        assert_eq!(
            guess("wrong password").await,
            StatusCode::UNAUTHORIZED,
            "after {wait} s the next guess is checked"
        );
    }
    // The owner, once through, starts afresh: ten tries again before any wait.
    now.fetch_add(480, Ordering::SeqCst);
    assert_eq!(guess(seed::DEMO_PASSWORD).await, StatusCode::OK);
    for _ in 0..10 {
        assert_eq!(guess("wrong password").await, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn a_busy_session_still_ends_after_its_lifetime() {
    let now = Arc::new(AtomicI64::new(1_000_000));
    let (app, state) = app_with_clock(now.clone()).await;
    let cookie = common::session(&app, "drafter@example.org").await;
    let step = state.auth.idle / 2;
    let mut used = 0;
    while used + step <= state.auth.lifetime {
        now.fetch_add(step, Ordering::SeqCst);
        used += step;
        assert_eq!(
            send(&app, get_with("/api/v1/me", &cookie)).await.0,
            StatusCode::OK,
            "used within its lifetime"
        );
    }
    now.fetch_add(step, Ordering::SeqCst);
    assert_eq!(
        send(&app, get_with("/api/v1/me", &cookie)).await.0,
        StatusCode::UNAUTHORIZED,
        "past its lifetime, however busy"
    );
}

#[tokio::test]
async fn a_strangers_document_import_is_refused_before_its_body_is_read() {
    use futures::StreamExt;
    let (app, _) = app_with_clock(Arc::new(AtomicI64::new(1_000))).await;
    // Never finished: a body that would hang anyone who waited to read it.
    let never_ends =
        futures::stream::once(async { Ok::<_, std::io::Error>(b"{\"markdown\":\"".to_vec()) })
            .chain(futures::stream::pending());
    let req = Request::post("/api/v1/documents")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(never_ends))
        .expect("request");
    let answered = tokio::time::timeout(std::time::Duration::from_secs(5), send(&app, req))
        .await
        .expect("answered without reading the body");
    assert_eq!(answered.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_person_sees_their_sessions_and_ends_one_left_elsewhere() {
    let (app, _) = app_with_clock(Arc::new(AtomicI64::new(1_000))).await;
    let here = common::session(&app, "drafter@example.org").await;
    let elsewhere = common::session(&app, "drafter@example.org").await;
    let list = |cookie: String| {
        let app = app.clone();
        async move {
            let (status, body) = send(&app, get_with("/api/v1/me/sessions", &cookie)).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            serde_json::from_str::<Vec<domain::api::SessionView>>(&body).expect("sessions")
        }
    };
    let sessions = list(here.clone()).await;
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions.iter().filter(|s| s.current).count(), 1);
    let other = sessions
        .iter()
        .find(|s| !s.current)
        .expect("the other")
        .id
        .clone();
    // Someone else cannot end it: to them it names nothing.
    let chair = common::session(&app, "chair@example.org").await;
    let mut end = Request::delete(format!("/api/v1/me/sessions/{other}"))
        .body(Body::empty())
        .expect("request");
    common::same_site(&mut end, &chair);
    assert_eq!(send(&app, end).await.0, StatusCode::NOT_FOUND);
    // Its owner can, from here; it is signed out.
    let mut end = Request::delete(format!("/api/v1/me/sessions/{other}"))
        .body(Body::empty())
        .expect("request");
    common::same_site(&mut end, &here);
    assert_eq!(send(&app, end).await.0, StatusCode::NO_CONTENT);
    assert_eq!(
        send(&app, get_with("/api/v1/me", &elsewhere)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(list(here).await.len(), 1);
}
