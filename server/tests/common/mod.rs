//! Helpers for the server tests: a real server on a loopback port over a real database, and a
//! minimal automerge client speaking the sync protocol over a real WebSocket.
//!
//! The database is a SQLite file in the test's folder or, when `ACCORD_TEST_DATABASE=postgres`
//! (the test command's second pass), a database of its own, created for the test, in the
//! PostgreSQL cluster `ACCORD_TEST_POSTGRES` names (`postgres://user@host:port`, which
//! `scripts/postgres start` prints): the whole suite runs against both. Tests of several
//! processes on one database need that cluster on either pass.
#![allow(dead_code)]

pub mod binary;
pub mod consultation;

use std::{net::SocketAddr, path::Path, time::Duration};

use accord_core::{seed, store::Store};
use accord_server::{router, AppState};
use automerge::{
    sync::{self, SyncDoc},
    AutoCommit,
};
use domain::api::ServerFrame;
use futures::{SinkExt, StreamExt};
use tokio::{net::TcpStream, task::JoinHandle};
use tokio_tungstenite::{tungstenite::Message, MaybeTlsStream, WebSocketStream};

pub fn leptos_options() -> leptos::config::LeptosOptions {
    leptos::config::get_configuration(None)
        .expect("leptos configuration")
        .leptos_options
}

pub async fn state_in(dir: &Path) -> AppState {
    state_with_clock(dir, accord_core::auth::system_clock()).await
}

/// The PostgreSQL cluster the suite runs against, if this pass runs on PostgreSQL.
pub fn postgres_cluster() -> Option<String> {
    let chosen = std::env::var("ACCORD_TEST_DATABASE").is_ok_and(|d| d == "postgres");
    chosen.then(required_cluster)
}

/// The PostgreSQL cluster the tests may create databases in; a test that needs one cannot
/// run without it.
pub fn required_cluster() -> String {
    std::env::var("ACCORD_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
        .map(|u| u.trim_end_matches('/').to_string())
        .expect(
            "ACCORD_TEST_POSTGRES names no PostgreSQL cluster: run ./scripts/test, or start one \
             with `scripts/postgres start DIR` and export the address it prints",
        )
}

/// A new, empty database in `cluster`; its address.
pub async fn new_database(cluster: &str) -> String {
    new_database_from(cluster, None).await
}

/// A new database in `cluster`, a copy of `template` if one is named (nobody may be connected
/// to it); its address.
pub async fn new_database_from(cluster: &str, template: Option<&str>) -> String {
    static MADE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let n = MADE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let name = format!("t{}_{n}_{nanos}", std::process::id());
    let copy = template.map_or(String::new(), |t| format!(" TEMPLATE {t}"));
    sqlx::query(&format!("CREATE DATABASE {name}{copy}"))
        .execute(&mut postgres_admin(cluster).await)
        .await
        .expect("a database for the test");
    format!("{cluster}/{name}")
}

/// A connection to `cluster`'s maintenance database, to make and drop databases.
pub async fn postgres_admin(cluster: &str) -> sqlx::PgConnection {
    use sqlx::Connection;
    sqlx::PgConnection::connect(&format!("{cluster}/postgres"))
        .await
        .expect("the test cluster")
}

/// The database address of the test folder `dir`: made once, so that a server restarted on
/// the same folder, or a second process, finds the same database. `None` on SQLite.
pub async fn database_url(dir: &Path) -> Option<String> {
    let cluster = postgres_cluster()?;
    let file = dir.join("database-url");
    if let Ok(url) = std::fs::read_to_string(&file) {
        return Some(url);
    }
    let url = new_database(&cluster).await;
    std::fs::create_dir_all(dir).expect("test folder");
    std::fs::write(&file, &url).expect("note the database");
    Some(url)
}

/// The store of the test folder `dir`: SQLite in it, or its PostgreSQL database.
pub async fn store_in(dir: &Path) -> Store {
    match database_url(dir).await {
        Some(url) => Store::connect(&url, 2).await.expect("store"),
        None => Store::open(dir).await.expect("store"),
    }
}

/// A store of its own for a test that needs no folder: in memory, or a new PostgreSQL database.
pub async fn private_store() -> Store {
    private_store_at().await.0
}

/// [`private_store`], with the PostgreSQL database's address (for [`drop_database`]).
pub async fn private_store_at() -> (Store, Option<String>) {
    match postgres_cluster() {
        Some(cluster) => {
            let url = new_database(&cluster).await;
            let store = Store::connect(&url, 2).await.expect("store");
            (store, Some(url))
        }
        None => (Store::memory().await.expect("store"), None),
    }
}

/// Drops a database a test made and is done with, closing what still connects to it: a suite
/// that makes thousands (the authorisation matrix) would otherwise fill the disk.
pub async fn drop_database(url: &str) {
    let Some((cluster, name)) = url.rsplit_once('/') else {
        return;
    };
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut postgres_admin(cluster).await)
        .await
        .expect("drop the test's database");
}

/// Paragraph `i` of `doc` as the PostgreSQL database at `url` has it, read by a connection of
/// its own (no process's replica).
pub async fn stored_paragraph(url: &str, doc: &str, i: usize) -> String {
    let (stored, _) = Store::connect(url, 1)
        .await
        .expect("store")
        .load_document(doc)
        .await
        .expect("load")
        .expect("doc");
    domain::document::read(&stored).expect("outline").paragraphs[i]
        .text
        .clone()
}

/// [`state_with_clock`] on a clock that stands at `at` until the test moves it (the returned
/// seconds).
pub async fn state_at(
    dir: &Path,
    at: i64,
) -> (AppState, std::sync::Arc<std::sync::atomic::AtomicI64>) {
    use std::sync::{atomic::Ordering, Arc};
    let now = Arc::new(std::sync::atomic::AtomicI64::new(at));
    let clock = now.clone();
    let state = state_with_clock(dir, Arc::new(move || clock.load(Ordering::SeqCst))).await;
    (state, now)
}

pub async fn state_with_clock(dir: &Path, clock: accord_core::auth::Clock) -> AppState {
    let store = store_in(dir).await;
    let mut state = AppState::with_clock(store, leptos_options(), clock);
    state.mail = accord_core::mail::Mailer::folder(dir.join("mail"), "Accord <accord@accord.test>")
        .expect("mail folder");
    state.origin = "http://accord.test".into();
    seed::seed_if_empty(&state.rooms).await.expect("seed");
    state
}

/// The mail written to `login` into `dir`'s mail folder, oldest first, each with quoted-printable
/// line breaks joined. Mail is sent in the background: this waits up to five seconds for `n`.
pub async fn mail_to(dir: &Path, login: &str, n: usize) -> Vec<String> {
    raw_mail_to(dir, login, n)
        .await
        .into_iter()
        .map(|text| text.replace("=\r\n", "").replace("=3D", "="))
        .collect()
}

/// The messages written to `login` into `dir`'s mail folder, oldest first, as written. Mail
/// is sent in the background: this waits up to five seconds for `n`.
pub async fn raw_mail_to(dir: &Path, login: &str, n: usize) -> Vec<String> {
    for _ in 0..100 {
        let mut found: Vec<(std::time::SystemTime, String)> = std::fs::read_dir(dir.join("mail"))
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| {
                        let text = std::fs::read_to_string(e.path()).ok()?;
                        let when = e.metadata().ok()?.modified().ok()?;
                        text.contains(&format!("To: {login}"))
                            .then_some((when, text))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if found.len() >= n {
            found.sort();
            return found.into_iter().map(|(_, t)| t).collect();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("fewer than {n} mails to {login}");
}

/// The token of the last confirmation link mailed to `login`.
pub async fn confirmation_token(dir: &Path, login: &str, n: usize) -> String {
    let mails = mail_to(dir, login, n).await;
    let last = mails.last().expect("a mail");
    let start = last.find("/confirm/").expect("a confirmation link") + "/confirm/".len();
    last[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}

/// Confirms `login`'s address with the link mailed to it; returns the session cookie.
pub async fn confirm(app: &axum::Router, dir: &Path, login: &str) -> String {
    let token = confirmation_token(dir, login, 1).await;
    let body = serde_json::json!({ "token": token });
    session_from(
        app,
        "/api/v1/auth/confirm",
        body,
        &format!("confirming {login}"),
    )
    .await
}

/// Posts `body` to `path` (a route that starts a session) through `router(..).oneshot`; returns
/// the session cookie it set.
async fn session_from(
    app: &axum::Router,
    path: &str,
    body: serde_json::Value,
    what: &str,
) -> String {
    use tower::ServiceExt;
    let req = axum::http::Request::post(path)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .expect("request");
    let resp = app.clone().oneshot(req).await.expect("response");
    assert_eq!(resp.status(), 200, "{what}");
    resp.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .split(';')
        .next()
        .expect("cookie")
        .to_string()
}

pub struct Server {
    pub addr: SocketAddr,
    pub state: AppState,
    task: JoinHandle<()>,
}

impl Server {
    /// Changes of `doc` stored since its last compaction.
    pub async fn pending_chunks(&self, doc: &str) -> i64 {
        self.state
            .rooms
            .store()
            .pending_chunks(doc)
            .await
            .expect("count")
    }

    pub async fn start(dir: &Path) -> Self {
        Self::serve(state_in(dir).await).await
    }

    /// A server whose clock the test sets.
    pub async fn start_with_clock(dir: &Path, clock: accord_core::auth::Clock) -> Self {
        Self::serve(state_with_clock(dir, clock).await).await
    }

    pub async fn serve(state: AppState) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let app = router(state.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve");
        });
        Self { addr, state, task }
    }

    /// Stops the server as abruptly as a crash: the task is aborted, nothing is flushed.
    pub fn kill(&self) {
        self.task.abort();
    }

    pub async fn first_document(&self) -> String {
        self.state
            .rooms
            .store()
            .list_documents()
            .await
            .expect("list")[0]
            .id
            .clone()
    }

    /// The document as the server has it now.
    pub async fn detail(&self, doc: &str) -> domain::api::DocumentDetail {
        accord_core::documents::detail(&self.state.rooms, doc)
            .await
            .expect("detail")
    }

    pub fn sync_url(&self, doc: &str) -> String {
        format!("ws://{}/api/v1/documents/{doc}/sync", self.addr)
    }
}

/// A started server over a fresh data folder, its sample document, and a drafter's cookie.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub server: Server,
    pub doc: String,
    pub drafter: String,
}

impl Fixture {
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let server = Server::start(dir.path()).await;
        let doc = server.first_document().await;
        let drafter = login(server.addr, "drafter@example.org").await;
        Self {
            dir,
            server,
            doc,
            drafter,
        }
    }

    /// A drafter's connection to the sample document.
    pub async fn drafter_peer(&self) -> Peer {
        Peer::connect_as(&self.server.sync_url(&self.doc), Some(&self.drafter)).await
    }
}

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Adds an account (with the demo password) as `role` of `group`; returns its id.
pub async fn add_member(
    store: &Store,
    login: &str,
    group: &str,
    role: domain::api::Role,
) -> String {
    let register = domain::api::Register {
        login: login.into(),
        password: String::new(),
        display_name: login.into(),
        affiliation: String::new(),
        stakeholder_group: domain::api::StakeholderGroup::Academia,
        region: domain::api::Region::African,
        gender: None,
        age_band: None,
        next: None,
    };
    let hash = accord_core::auth::hash_password(seed::DEMO_PASSWORD).expect("hash");
    let account = store
        .create_account(&register, &hash, false)
        .await
        .expect("db")
        .expect("a new login");
    store
        .set_role(group, &account.id, role)
        .await
        .expect("role");
    account.id
}

/// Signs a demo account in through `router(..).oneshot`; returns the `Cookie` header value.
pub async fn session(app: &axum::Router, login: &str) -> String {
    let body = serde_json::json!({ "login": login, "password": seed::DEMO_PASSWORD });
    session_from(
        app,
        "/api/v1/auth/login",
        body,
        &format!("login of {login}"),
    )
    .await
}

/// Makes `req` look like it comes from this site's own pages, with `cookie`.
pub fn same_site(req: &mut axum::http::Request<axum::body::Body>, cookie: &str) {
    let h = req.headers_mut();
    h.insert("host", "accord.test".parse().expect("header"));
    h.insert("origin", "http://accord.test".parse().expect("header"));
    h.insert("cookie", cookie.parse().expect("header"));
}

/// Signs a demo account in over HTTP; returns the `Cookie` header value.
pub async fn login(addr: SocketAddr, login: &str) -> String {
    let body = serde_json::json!({ "login": login, "password": seed::DEMO_PASSWORD }).to_string();
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let req = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    s.write_all(req.as_bytes()).await.expect("write");
    let mut resp = String::new();
    s.read_to_string(&mut resp).await.expect("read");
    resp.lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no session cookie in: {resp}"))
}

/// A full automerge peer on a real WebSocket.
pub struct Peer {
    pub doc: AutoCommit,
    pub state: sync::State,
    pub ws: Ws,
    pub controls: Vec<ServerFrame>,
}

impl Peer {
    /// Connects without an account (a reader).
    pub async fn connect(url: &str) -> Self {
        Self::connect_as(url, None).await
    }

    /// Connects with a session cookie (from [`login`]), if any.
    pub async fn connect_as(url: &str, cookie: Option<&str>) -> Self {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let mut req = url.into_client_request().expect("request");
        if let Some(c) = cookie {
            req.headers_mut()
                .insert("cookie", c.parse().expect("header"));
        }
        let (ws, _) = tokio_tungstenite::connect_async(req)
            .await
            .expect("connect");
        Self {
            doc: domain::document::empty_doc(),
            state: sync::State::new(),
            ws,
            controls: Vec::new(),
        }
    }

    pub async fn send_sync(&mut self) -> bool {
        match self.doc.sync().generate_sync_message(&mut self.state) {
            Some(m) => {
                self.ws
                    .send(Message::Binary(m.encode().into()))
                    .await
                    .expect("send");
                true
            }
            None => false,
        }
    }

    /// Applies one sync message from the server and answers it.
    async fn take_sync(&mut self, bytes: &[u8]) {
        let m = sync::Message::decode(bytes).expect("sync message");
        self.doc
            .sync()
            .receive_sync_message(&mut self.state, m)
            .expect("receive");
        self.send_sync().await;
    }

    /// Exchanges messages until the server has been quiet for `quiet`.
    pub async fn settle(&mut self, quiet: Duration) {
        self.send_sync().await;
        while let Ok(Some(msg)) = tokio::time::timeout(quiet, self.ws.next()).await {
            match msg.expect("frame") {
                Message::Binary(b) => self.take_sync(&b).await,
                Message::Text(t) => {
                    let frame: ServerFrame = serde_json::from_str(&t).expect("control");
                    // Write as the actor the server assigned, as the browser does.
                    if let ServerFrame::Welcome {
                        actor: Some(hex), ..
                    } = &frame
                    {
                        self.doc.commit();
                        let bytes = (0..hex.len())
                            .step_by(2)
                            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
                            .collect::<Vec<u8>>();
                        self.doc.set_actor(automerge::ActorId::from(bytes));
                    }
                    self.controls.push(frame);
                }
                Message::Close(_) => break,
                _ => {}
            }
        }
    }

    /// Sends its changes and keeps the exchange going until the server refuses them with an
    /// error frame of `code`; returns the frame's message. (The first message may leave a change
    /// out when a bloom filter's false positive makes the peer think the server has it; the
    /// server then asks for it.)
    pub async fn push_until_refused(&mut self, code: domain::api::ErrorCode) -> String {
        self.send_sync().await;
        while let Ok(Some(Ok(msg))) =
            tokio::time::timeout(Duration::from_secs(5), self.ws.next()).await
        {
            match msg {
                Message::Binary(b) => self.take_sync(&b).await,
                Message::Text(t) => {
                    if let Ok(ServerFrame::Error { code: got, message }) =
                        serde_json::from_str::<ServerFrame>(&t)
                    {
                        assert_eq!(got, code, "{message}");
                        return message;
                    }
                }
                Message::Close(_) => break,
                _ => {}
            }
        }
        panic!("the server did not refuse the change with {code:?}")
    }

    /// Reads until the connection closes and checks that it closed with an error frame of
    /// `code`; returns the frame's message.
    pub async fn refused_with(&mut self, code: domain::api::ErrorCode) -> String {
        match self.closed_with().await {
            Some(ServerFrame::Error { code: got, message }) => {
                assert_eq!(got, code, "{message}");
                message
            }
            other => panic!("expected an error frame, got {other:?}"),
        }
    }

    /// Reads frames until the connection closes; returns the close frame's code, and the
    /// error frame before it if any.
    pub async fn close_code(&mut self) -> (Option<u16>, Option<ServerFrame>) {
        let mut error = None;
        while let Ok(Some(msg)) = tokio::time::timeout(Duration::from_secs(5), self.ws.next()).await
        {
            match msg {
                Ok(Message::Text(t)) => {
                    let f: ServerFrame = serde_json::from_str(&t).expect("control");
                    if matches!(f, ServerFrame::Error { .. }) {
                        error = Some(f);
                    }
                }
                Ok(Message::Close(frame)) => return (frame.map(|f| u16::from(f.code)), error),
                // Sync goes on meanwhile: a change may need a second round trip (the server
                // asks for what it lacks) before the server sees, and refuses, it.
                Ok(Message::Binary(b)) => {
                    let m = sync::Message::decode(&b).expect("sync message");
                    self.doc
                        .sync()
                        .receive_sync_message(&mut self.state, m)
                        .expect("receive");
                    if let Some(m) = self.doc.sync().generate_sync_message(&mut self.state) {
                        // The server may be closing the connection already.
                        let _ = self.ws.send(Message::Binary(m.encode().into())).await;
                    }
                }
                Err(_) => return (None, error),
                Ok(_) => {}
            }
        }
        (None, error)
    }

    /// Reads frames until the connection closes; returns the error frame it closed with.
    pub async fn closed_with(&mut self) -> Option<ServerFrame> {
        self.close_code().await.1
    }
}

/// Sends a JSON request (as this site's own pages would, with `cookie` if any) through
/// `router(..).oneshot`; returns the status and the JSON answer (`null` when there is none).
pub async fn call_json(
    app: &axum::Router,
    method: axum::http::Method,
    path: &str,
    cookie: Option<&str>,
    body: Option<serde_json::Value>,
) -> (axum::http::StatusCode, serde_json::Value) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut req = axum::http::Request::builder().method(method).uri(path);
    if body.is_some() {
        req = req.header("content-type", "application/json");
    }
    let mut req = req
        .body(
            body.map(|b| axum::body::Body::from(b.to_string()))
                .unwrap_or_default(),
        )
        .expect("request");
    if let Some(c) = cookie {
        same_site(&mut req, c);
    }
    let resp = app.clone().oneshot(req).await.expect("response");
    let status = resp.status();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

/// Sends a request (with `cookie` if any) and returns the status, the headers and the raw body.
pub async fn call_raw(
    app: &axum::Router,
    path: &str,
    cookie: Option<&str>,
) -> (axum::http::StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut req = axum::http::Request::get(path)
        .body(axum::body::Body::empty())
        .expect("request");
    if let Some(c) = cookie {
        same_site(&mut req, c);
    }
    let resp = app.clone().oneshot(req).await.expect("response");
    let (status, headers) = (resp.status(), resp.headers().clone());
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    (status, headers, bytes.to_vec())
}

/// The texts of the blocks `read_export` found in `style` ("Title", "Heading 2", "h1" …).
pub fn styled<'a>(blocks: &'a [serde_json::Value], style: &str) -> Vec<&'a str> {
    blocks
        .iter()
        .filter(|b| b["style"] == style)
        .filter_map(|b| b["text"].as_str())
        .collect()
}

/// What an independent reader (python-docx, Python's HTML parser: `e2e/read-export.py`) finds
/// in an exported file: one JSON value per paragraph or table. `scripts/setup` installs it.
pub fn read_export(kind: &str, bytes: &[u8]) -> Vec<serde_json::Value> {
    let python = std::env::var("ACCORD_READER_PYTHON").unwrap_or_else(|_| {
        format!(
            "{}/.cache/accord/tools/py/bin/python",
            std::env::var("HOME").unwrap_or_default()
        )
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join(format!("export.{kind}"));
    std::fs::write(&file, bytes).expect("write export");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../e2e/read-export.py");
    let out = std::process::Command::new(&python)
        .arg(script)
        .arg(kind)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("{python} cannot run ({e}): ./scripts/setup installs it"));
    assert!(
        out.status.success(),
        "the reader refused the {kind} file: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("reader output")
}
