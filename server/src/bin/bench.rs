//! `accord-bench`: figures from real runs, each against a peer run beside it.
//!
//! - `trace`: replays the automerge-paper editing trace (259,778 edits) into one paragraph
//!   through `domain`, and into a plain automerge Text in the same process; prints the time
//!   and saved-size ratios.
//! - `feedback`: a 300-paragraph document under 10,000 comments and stances: page render and
//!   size, aggregation time, and stances accepted per second with their latency (see
//!   `bench/feedback.rs`).
//! - `amendments`: 40 open amendments on the sample draft: listing them with the text standing
//!   still, right after it moved and after a restart, against reading the document; a chair's
//!   accept against a comment (see `bench/amendments.rs`).
//! - `load [N ...]`: starts the real server binary per round and lets N simulated editors type
//!   one keystroke per second each into one document; prints keystroke-to-remote-peer latency
//!   (measured by full automerge observers), server CPU and memory, and whether the load
//!   driver, rather than the server, was the limit.
//! - `readers [TYPISTS READERS]`: TYPISTS editors (100 by default) as in `load`, alone, then
//!   beside READERS (1,000) connections that only read: once as the app reads (a full sync
//!   peer acknowledging every broadcast), once as the page without the app does (`?watch=true`);
//!   prints what the readers added to the server's CPU and memory, and the typists' latency.
//! - `typists [N ...]`: N typists side by side against Yjs's reference server (y-websocket),
//!   driven from here through `yrs`: all in one paragraph and each in their own (see
//!   `bench/typists.rs`).
//! - `processes [N ...]`: N editors spread over 1, 2 and 3 server processes, on SQLite and on
//!   a shared PostgreSQL: latency within and across processes, durable writes a second, the
//!   servers' and the database's CPU (see `bench/processes.rs`).
//! - `session [PEOPLE STANCES]`: a live session with PEOPLE (1,000) screens following its event
//!   stream while STANCES (200) of them take a stance on one check within 10 seconds: stance to
//!   figure on a screen and on every screen, CPU and memory; beside the same load on the
//!   paragraph stance path with the screens watching the document's socket (see
//!   `bench/session.rs`).
//! - `saturate [OFFERED NORMAL]`: more typists than the server can serve, then a load it can;
//!   checks the memory ceiling, convergence and that nothing was lost, also across kill -9
//!   (see `bench/saturate.rs`).
//! - `signins [N]`: N editors typing (20 by default) as in `load`, once alone and once while 16
//!   connections sign in as fast as the server answers, each attempt from another address and
//!   for another login (what a botnet stuffing credentials does; every attempt costs one argon2
//!   check); prints keystroke latency in both and the sign-in rate.
//!
//! - `weight`: the document page in Chromium for a reader and a drafter, on a slow phone link
//!   and unthrottled: bytes by kind, first paint, text readable, live, editable, a repeat
//!   visit; and the server's CPU for 500 first visits against a peer that compresses per
//!   request (see `bench/weight.rs`).
//!
//! Simulated editors are thin: each has its own fork of the document and sends real automerge
//! changes and acknowledgements, but never applies the others' changes (that would make the
//! driver, not the server, the bottleneck on two cores). Two observers are full peers.
#![allow(clippy::print_stdout)]

use std::{
    collections::HashMap,
    io::Read,
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use anyhow::{anyhow, bail, Context, Result};
use automerge::{
    sync::{self, BloomFilter, ChunkList, MessageFlags, MessageVersion, SyncDoc},
    transaction::Transactable,
    AutoCommit, ChangeHash, ObjType, ReadDoc, ROOT,
};
use domain::{document, ParagraphKind};
use futures::{SinkExt, StreamExt};
use tokio::{io::AsyncReadExt, io::AsyncWriteExt, net::TcpStream};
use tokio_tungstenite::tungstenite::Message as WsMessage;

#[path = "bench/amendments.rs"]
mod amendments;
#[path = "bench/feedback.rs"]
mod feedback;
#[path = "bench/processes.rs"]
mod processes;
#[path = "bench/saturate.rs"]
mod saturate;
#[path = "bench/session.rs"]
mod session;
#[path = "bench/typists.rs"]
mod typists;
#[path = "bench/weight.rs"]
mod weight;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("trace") => trace(),
        Some("load") => load(&args[1..]),
        Some("readers") => readers(&args[1..]),
        Some("typists") => typists::run(&args[1..]),
        Some("saturate") => saturate::run(&args[1..]),
        Some("processes") => processes::run(&args[1..]),
        Some("session") => session::run_all(&args[1..]),
        Some("feedback") => feedback::run(),
        Some("amendments") => amendments::run(),
        Some("signins") => signins(&args[1..]),
        Some("weight") => weight::run(),
        _ => {
            trace()?;
            load(&[])?;
            feedback::run()?;
            amendments::run()?;
            weight::run()
        }
    }
}

/// The runtime the benchmarks drive their clients on (two threads, as this machine has cores).
fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

/// Runs a measuring script of `e2e/bench` in Node (with Chromium, when the browser tests' tools
/// are installed); its JSON output, or `None` after printing why `what` was not measured.
fn node_script(script: &str, args: &[String], what: &str) -> Option<Vec<serde_json::Value>> {
    let e2e = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../e2e");
    let out = Command::new("node")
        .arg(e2e.join("bench").join(script))
        .args(args)
        .current_dir(&e2e)
        .output();
    match out {
        Ok(o) if o.status.success() => Some(serde_json::from_slice(&o.stdout).unwrap_or_default()),
        Ok(o) => {
            let why = String::from_utf8_lossy(&o.stderr);
            println!(
                "({what} not measured: {})",
                why.lines().last().unwrap_or("")
            );
            None
        }
        Err(e) => {
            println!("({what} not measured: {e}; run ./scripts/test once to install Chromium and playwright-core)");
            None
        }
    }
}

fn rand_suffix() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// (a) trace replay

fn traces_dir() -> PathBuf {
    std::env::var_os("ACCORD_TRACES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/traces"))
        })
}

struct Trace {
    start: String,
    end: String,
    patches: Vec<(usize, usize, String)>,
}

fn read_trace(name: &str) -> Result<Trace> {
    let path = traces_dir().join(name);
    let file = std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?;
    let mut json = String::new();
    flate2::read::GzDecoder::new(file).read_to_string(&mut json)?;
    let v: serde_json::Value = serde_json::from_str(&json)?;
    let mut patches = Vec::new();
    for txn in v["txns"].as_array().ok_or_else(|| anyhow!("no txns"))? {
        for p in txn["patches"]
            .as_array()
            .ok_or_else(|| anyhow!("no patches"))?
        {
            let pos = p[0].as_u64().ok_or_else(|| anyhow!("bad pos"))? as usize;
            let del = p[1].as_u64().ok_or_else(|| anyhow!("bad del"))? as usize;
            let ins = p[2].as_str().unwrap_or_default().to_string();
            patches.push((pos, del, ins));
        }
    }
    Ok(Trace {
        start: v["startContent"].as_str().unwrap_or_default().to_string(),
        end: v["endContent"].as_str().unwrap_or_default().to_string(),
        patches,
    })
}

/// Edits per commit: what the editor sends per burst of typing.
const BURST: usize = 64;

/// How the model is asked for each edit.
#[derive(Clone, Copy)]
enum Lookup {
    /// `document::splice(doc, id, ..)`: the paragraph is looked up by id for every edit.
    PerEdit,
    /// `ParagraphText::resolve` once, then `splice` per edit, as the editor does per burst.
    Resolved,
}

fn replay_model(t: &Trace, lookup: Lookup) -> Result<(Duration, usize, String)> {
    let started = Instant::now();
    let mut doc = document::new_document("Trace", &[(ParagraphKind::Numbered, t.start.clone())])?;
    let id = document::read(&doc)?.paragraphs[0].id.clone();
    let text = document::ParagraphText::resolve(&doc, &id)?;
    for (i, (pos, del, ins)) in t.patches.iter().enumerate() {
        match lookup {
            Lookup::PerEdit => document::splice(&mut doc, &id, *pos, *del, ins)?,
            Lookup::Resolved => text.splice(&mut doc, *pos, *del, ins)?,
        }
        if i % BURST == BURST - 1 {
            doc.commit();
        }
    }
    doc.commit();
    let elapsed = started.elapsed();
    let size = doc.save().len();
    let text = document::read(&doc)?.paragraphs[0].text.clone();
    Ok((elapsed, size, text))
}

fn replay_raw(t: &Trace) -> Result<(Duration, usize, String)> {
    let started = Instant::now();
    let mut doc = AutoCommit::new_with_encoding(document::TEXT_ENCODING);
    let text = doc.put_object(ROOT, "text", ObjType::Text)?;
    doc.splice_text(&text, 0, 0, &t.start)?;
    doc.commit();
    for (i, (pos, del, ins)) in t.patches.iter().enumerate() {
        doc.splice_text(&text, *pos, *del as isize, ins)?;
        if i % BURST == BURST - 1 {
            doc.commit();
        }
    }
    doc.commit();
    let elapsed = started.elapsed();
    let size = doc.save().len();
    let out = doc.text(&text)?;
    Ok((elapsed, size, out))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn trace() -> Result<()> {
    let t = read_trace("automerge-paper.json.gz")?;
    println!(
        "## (a) automerge-paper trace: {} edits, one commit per {BURST} edits, median of 3",
        t.patches.len()
    );
    let (mut per_edit, mut resolved, mut raw) = (Vec::new(), Vec::new(), Vec::new());
    let mut sizes = (0, 0, 0);
    for _ in 0..3 {
        // Interleave the runs so that none always gets the warmer machine.
        let (a, sa, ta) = replay_model(&t, Lookup::PerEdit)?;
        let (b, sb, tb) = replay_model(&t, Lookup::Resolved)?;
        let (c, sc, tc) = replay_raw(&t)?;
        if [ta, tb, tc].iter().any(|text| *text != t.end) {
            bail!("a replay did not reach the trace's final text");
        }
        per_edit.push(a);
        resolved.push(b);
        raw.push(c);
        sizes = (sa, sb, sc);
    }
    let (a, b, c) = (median(per_edit), median(resolved), median(raw));
    println!("| run | time | ratio to raw | saved size | ratio to raw |");
    println!("|---|---|---|---|---|");
    let row = |name: &str, d: Duration, size: usize| {
        println!(
            "| {name} | {:.2} s | {:.2}× | {} KB | {:.2}× |",
            d.as_secs_f64(),
            d.as_secs_f64() / c.as_secs_f64(),
            size / 1024,
            size as f64 / sizes.2 as f64
        )
    };
    row(
        "domain, paragraph resolved once per burst (`ParagraphText`)",
        b,
        sizes.1,
    );
    row(
        "domain, paragraph looked up per edit (`document::splice`)",
        a,
        sizes.0,
    );
    row("raw automerge, one root Text (peer)", c, sizes.2);
    println!();
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// (b) simulated editors through the real server

fn server_binary() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("ACCORD_BIN") {
        return Ok(PathBuf::from(p));
    }
    Ok(std::env::current_exe()?.with_file_name("accord"))
}

struct ServerProcess {
    child: Child,
    addr: String,
    _dir: Option<tempdir::Dir>,
}

mod tempdir {
    /// A temporary folder removed on drop.
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl ServerProcess {
    /// The server on a fresh data folder of its own, removed when it stops, with extra
    /// environment variables.
    async fn start_with(env: &[(&str, &str)]) -> Result<Self> {
        let dir = std::env::temp_dir().join(format!(
            "accord-bench-{}-{}",
            std::process::id(),
            rand_suffix()
        ));
        let mut env = env.to_vec();
        env.push(("ACCORD_DEMO_FEEDBACK", "0"));
        let mut server = Self::start_in(&dir, &env).await?;
        server._dir = Some(tempdir::Dir(dir));
        Ok(server)
    }

    /// The server on an existing data folder, with extra environment variables.
    async fn start_in(dir: &std::path::Path, env: &[(&str, &str)]) -> Result<Self> {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0")?;
            l.local_addr()?.port()
        };
        let addr = format!("127.0.0.1:{port}");
        let child = Command::new(server_binary()?)
            .env("ACCORD_DEMO", "1")
            // N simulated editors share one drafter's account.
            .env("ACCORD_SOCKETS_PER_ACCOUNT", "100000")
            .env("ACCORD_DATA", dir)
            .env("ACCORD_ADDR", &addr)
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting the server (build it first: cargo build --release)")?;
        let server = Self {
            child,
            addr,
            _dir: None,
        };
        for _ in 0..100 {
            if TcpStream::connect(&server.addr).await.is_ok() {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("the server did not start")
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// CPU seconds (user + system) used so far by a process.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = stat.rsplit(')').next().unwrap_or_default();
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// Resident memory of a process, in KB.
fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// A POST with a JSON body; returns the JSON answer and the session cookie it set, if any.
async fn post_json(
    addr: &str,
    path: &str,
    body: &str,
    cookie: Option<&str>,
) -> Result<(serde_json::Value, Option<String>)> {
    let mut s = TcpStream::connect(addr).await?;
    let cookie = cookie
        .map(|c| format!("Cookie: {c}\r\nOrigin: http://{addr}\r\n"))
        .unwrap_or_default();
    let req = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\n{cookie}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await?;
    let mut resp = String::new();
    s.read_to_string(&mut resp).await?;
    let (head, json) = resp
        .split_once("\r\n\r\n")
        .ok_or_else(|| anyhow!("no body"))?;
    let set_cookie = head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .and_then(|c| c.split(';').next())
        .map(str::to_string);
    Ok((serde_json::from_str(json)?, set_cookie))
}

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

/// Full sync of `doc` over a fresh connection signed in with `cookie`, until both sides have
/// everything; the document then writes as the actor the server assigned to the connection.
/// A WebSocket request to `url` with the session `cookie`.
fn signed_request(
    url: &str,
    cookie: &str,
) -> Result<tokio_tungstenite::tungstenite::handshake::client::Request> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut req = url.into_client_request()?;
    req.headers_mut().insert("cookie", cookie.parse()?);
    Ok(req)
}

async fn handshake(url: &str, cookie: &str, doc: &mut AutoCommit) -> Result<(Ws, sync::State)> {
    let req = signed_request(url, cookie)?;
    let (mut ws, _) = tokio_tungstenite::connect_async_with_config(req, None, true).await?;
    let mut state = sync::State::new();
    if let Some(m) = doc.sync().generate_sync_message(&mut state) {
        ws.send(WsMessage::Binary(m.encode().into())).await?;
    }
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(30), ws.next())
            .await?
            .ok_or_else(|| anyhow!("closed during handshake"))??;
        if let WsMessage::Text(t) = &frame {
            if let Ok(domain::api::ServerFrame::Welcome {
                actor: Some(hex), ..
            }) = serde_json::from_str(t)
            {
                doc.commit();
                doc.set_actor(automerge::ActorId::from(hex::decode(hex)?));
            }
        }
        if let WsMessage::Binary(b) = frame {
            doc.sync()
                .receive_sync_message(&mut state, sync::Message::decode(&b)?)?;
            if let Some(m) = doc.sync().generate_sync_message(&mut state) {
                ws.send(WsMessage::Binary(m.encode().into())).await?;
            }
            // The server has what we have: whatever we just sent is only an acknowledgement,
            // which the server does not answer.
            if state.their_heads.as_deref() == Some(&doc.get_heads()[..]) {
                return Ok((ws, state));
            }
        }
    }
}

/// What a round's tasks record, keyed by what names a keystroke (an automerge change's hash, or
/// a Yjs client and clock).
struct Shared<K = ChangeHash> {
    sent_at: HashMap<K, Instant>,
    latencies: Vec<Duration>,
    schedule_lag: Vec<Duration>,
    measuring: bool,
    sent: u64,
    signins: u64,
}

impl<K> Default for Shared<K> {
    fn default() -> Self {
        Self {
            sent_at: HashMap::new(),
            latencies: Vec::new(),
            schedule_lag: Vec::new(),
            measuring: false,
            sent: 0,
            signins: 0,
        }
    }
}

struct Round {
    n: usize,
    keystrokes: u64,
    seconds: f64,
    p50: Option<Duration>,
    p99: Option<Duration>,
    samples: usize,
    server_cpu: f64,
    server_rss_kb: u64,
    per_editor_kb: f64,
    driver_cpu: f64,
    schedule_lag_p99: Duration,
    loop_lag_p99: Duration,
    /// Sign-in attempts answered per second during the window (0 without a burst).
    signins_per_second: f64,
    /// What each reader added to the server's memory (0 without readers).
    per_reader_kb: f64,
}

impl Round {
    /// Whether the driver, not the server, was the limit: its editors fell behind schedule or
    /// its event loop lagged.
    fn driver_limited(&self) -> bool {
        self.schedule_lag_p99 > Duration::from_millis(50)
            || self.loop_lag_p99 > Duration::from_millis(20)
    }
}

fn percentile(v: &mut [Duration], p: f64) -> Option<Duration> {
    if v.is_empty() {
        return None;
    }
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    Some(v[i])
}

fn ack(heads: Vec<ChangeHash>) -> sync::Message {
    let mut flags = MessageFlags::new();
    flags.set(MessageFlags::SUPPORTS_SYNC_RESET);
    sync::Message {
        have: vec![sync::Have {
            last_sync: heads.clone(),
            bloom: BloomFilter::from_hashes(std::iter::empty::<ChangeHash>()),
        }],
        heads,
        need: Vec::new(),
        changes: ChunkList::empty(),
        flags: Some(flags),
        version: MessageVersion::V1,
    }
}

/// How long the app waits to acknowledge the server's changes (`ACK_MS` in the editor).
const ACK: Duration = Duration::from_millis(250);

/// A thin editor's own state, kept across its connections.
struct Typist {
    doc: AutoCommit,
    paragraph: String,
    /// Where its next keystroke goes.
    pos: usize,
    /// When its next keystroke is due.
    next: Instant,
}

/// How a thin editor's connection ended.
enum Ended {
    /// It typed until it was told to stop; the connection is still open.
    Done(Box<Ws>),
    /// The server closed it (or it broke); the words say how.
    Closed(String),
}

/// One thin editor: types into its paragraph once a second, acknowledges what it receives.
async fn thin_editor(
    ws: Ws,
    doc: AutoCommit,
    paragraph: String,
    pos: usize,
    phase: Duration,
    until: Instant,
    shared: Arc<Mutex<Shared>>,
) -> Result<()> {
    let mut typist = Typist {
        doc,
        paragraph,
        pos,
        next: Instant::now() + phase,
    };
    match type_until(ws, &mut typist, until, &shared).await? {
        Ended::Done(_) => Ok(()),
        Ended::Closed(how) => bail!("the server closed an editor's connection: {how}"),
    }
}

/// Types over `ws` until `until` or until the connection ends.
async fn type_until(
    mut ws: Ws,
    t: &mut Typist,
    until: Instant,
    shared: &Mutex<Shared>,
) -> Result<Ended> {
    let mut server_heads = t.doc.get_heads();
    let mut ack_due: Option<Instant> = None;
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(ack_due.unwrap_or(until).into()), if ack_due.is_some() => {
                ack_due = None;
                if let Err(e) = ws.send(WsMessage::Binary(ack(server_heads.clone()).encode().into())).await {
                    return Ok(Ended::Closed(e.to_string()));
                }
            }
            _ = tokio::time::sleep_until(t.next.into()) => {
                if Instant::now() >= until { return Ok(Ended::Done(Box::new(ws))); }
                let lag = Instant::now() - t.next;
                t.next += Duration::from_secs(1);
                document::splice(&mut t.doc, &t.paragraph, t.pos, 0, "x")?;
                t.pos += 1;
                let Some(hash) = t.doc.commit() else { continue };
                let change = t.doc.get_last_local_change().ok_or_else(|| anyhow!("no change"))?;
                let deps = change.deps().to_vec();
                let mut heads: Vec<ChangeHash> = server_heads.iter().copied().filter(|h| !deps.contains(h)).collect();
                heads.push(hash);
                heads.sort();
                let mut message = ack(heads);
                message.have.clear();
                message.changes = ChunkList::from(change.raw_bytes().to_vec());
                {
                    let mut s = shared.lock().map_err(|_| anyhow!("poisoned"))?;
                    s.sent_at.insert(hash, Instant::now());
                    if s.measuring { s.schedule_lag.push(lag); s.sent += 1; }
                }
                // The keystroke names the heads it has: it acknowledges too.
                ack_due = None;
                if let Err(e) = ws.send(WsMessage::Binary(message.encode().into())).await {
                    return Ok(Ended::Closed(e.to_string()));
                }
            }
            frame = ws.next() => {
                match frame {
                    Some(Ok(WsMessage::Binary(b))) => {
                        let m = sync::Message::decode(&b)?;
                        server_heads = m.heads.clone();
                        // The app answers a message that brought changes, once for all that
                        // arrive within ACK_MS; so does this editor.
                        if !m.changes.is_empty() && ack_due.is_none() {
                            ack_due = Some(Instant::now() + ACK);
                        }
                    }
                    Some(Ok(WsMessage::Text(t))) => {
                        if let Ok(domain::api::ServerFrame::Error { code, .. }) = serde_json::from_str(&t) {
                            return Ok(Ended::Closed(format!("{code:?}")));
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => return Ok(Ended::Closed(e.to_string())),
                    None => return Ok(Ended::Closed("closed".into())),
                }
            }
        }
    }
}

/// A full peer that applies everything and records how long each change took to arrive.
async fn observer(
    mut ws: Ws,
    mut doc: AutoCommit,
    mut state: sync::State,
    until: Instant,
    shared: Arc<Mutex<Shared>>,
) -> Result<()> {
    while Instant::now() < until {
        let Ok(frame) = tokio::time::timeout(Duration::from_millis(200), ws.next()).await else {
            continue;
        };
        let Some(frame) = frame else {
            bail!("server closed the observer")
        };
        if let WsMessage::Binary(b) = frame? {
            let arrived = Instant::now();
            let m = sync::Message::decode(&b)?;
            let before = doc.get_heads();
            doc.sync().receive_sync_message(&mut state, m)?;
            // A message may carry many changes in one chunk; ask the document what is new.
            let new = doc.get_changes(&before);
            {
                let mut s = shared.lock().map_err(|_| anyhow!("poisoned"))?;
                if s.measuring {
                    for change in &new {
                        if let Some(sent) = s.sent_at.get(&change.hash()).copied() {
                            s.latencies.push(arrived - sent);
                        }
                    }
                }
            }
            if let Some(reply) = doc.sync().generate_sync_message(&mut state) {
                ws.send(WsMessage::Binary(reply.encode().into())).await?;
            }
        }
    }
    Ok(())
}

/// One attempt to sign in as `login` from `address` (told by the trusted proxy header); the
/// answer is read and dropped.
async fn sign_in_attempt(addr: &str, login: &str, address: &str) -> Result<()> {
    let body = serde_json::json!({ "login": login, "password": "a wrong password" }).to_string();
    let mut s = TcpStream::connect(addr).await?;
    let req = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {addr}\r\nX-Forwarded-For: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await?;
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).await?;
    Ok(())
}

/// `loops` connections signing in back to back until `until`, each attempt for another login
/// from another address; counts attempts answered while `shared` is measuring.
fn sign_in_burst(
    addr: String,
    loops: usize,
    until: Instant,
    shared: Arc<Mutex<Shared>>,
) -> Vec<tokio::task::JoinHandle<Result<()>>> {
    (0..loops)
        .map(|l| {
            let (addr, shared) = (addr.clone(), shared.clone());
            tokio::spawn(async move {
                let mut i = 0u32;
                while Instant::now() < until {
                    i += 1;
                    let address = format!("10.{}.{}.{}", l, (i >> 8) & 255, i & 255);
                    sign_in_attempt(&addr, &format!("guess{l}-{i}@example.org"), &address).await?;
                    let mut s = shared.lock().map_err(|_| anyhow!("poisoned"))?;
                    if s.measuring {
                        s.signins += 1;
                    }
                }
                Ok(())
            })
        })
        .collect()
}

/// The document a round's typists type into, and where each of them types.
#[derive(Clone, Copy, PartialEq)]
enum Layout {
    /// 60 paragraphs of about 330 characters; typist `i` at the start of paragraph `i` mod 60
    /// (the `load` workload).
    Sixty,
    /// One paragraph of 5,000 characters, the typists spread evenly along it.
    OneParagraph,
    /// The same 5,000 characters as one paragraph per typist.
    OwnParagraphs,
}

/// The seed text of the side-by-side rounds, in characters.
const SEED_CHARS: usize = 5_000;

impl Layout {
    fn markdown(self, n: usize) -> String {
        let sentence = "Stakeholders agree that the text should be drafted in the open. ";
        let text = |chars: usize| -> String { sentence.chars().cycle().take(chars).collect() };
        let paragraphs: Vec<String> = match self {
            Self::Sixty => std::iter::once("# Load".to_string())
                .chain((1..=60).map(|i| format!("{i}. {}", sentence.repeat(5))))
                .collect(),
            Self::OneParagraph => vec![text(SEED_CHARS)],
            Self::OwnParagraphs => (0..n.max(1)).map(|_| text(SEED_CHARS / n.max(1))).collect(),
        };
        format!("{}\n", paragraphs.join("\n\n"))
    }

    /// The paragraph (of the document's `ids`, in order) and the position where typist `i` of
    /// `n` types.
    fn place(self, i: usize, n: usize, ids: &[String]) -> (String, usize) {
        match self {
            Self::Sixty => (ids[i % ids.len()].clone(), 0),
            Self::OneParagraph => (ids[ids.len() - 1].clone(), i * SEED_CHARS / n.max(1)),
            Self::OwnParagraphs => (ids[ids.len() - n.max(1) + i].clone(), 0),
        }
    }
}

async fn round(n: usize, warmup: Duration, window: Duration, signins: usize) -> Result<Round> {
    round_with(
        n,
        warmup,
        window,
        signins,
        &[],
        Readers::None,
        Layout::Sixty,
    )
    .await
}

/// Connections that never type, beside the editors of a round.
#[derive(Clone, Copy, PartialEq)]
enum Readers {
    None,
    /// The app as someone signed in who does not type runs it: a full sync peer that
    /// acknowledges each broadcast.
    App(usize),
    /// The page without the app (`reader.js`): `?watch=true`, told only that the text changed.
    Watch(usize),
}

/// A connection that reads: acknowledges what it is sent, as the app does (once for all that
/// arrives within [`ACK`]), until `until`.
async fn idle_reader(mut ws: Ws, until: Instant) -> Result<()> {
    let mut owed: Option<(Instant, Vec<ChangeHash>)> = None;
    while Instant::now() < until {
        let wake = owed
            .as_ref()
            .map_or(Instant::now() + Duration::from_millis(200), |o| o.0);
        let Ok(frame) = tokio::time::timeout_at(wake.into(), ws.next()).await else {
            if let Some((_, heads)) = owed.take() {
                ws.send(WsMessage::Binary(ack(heads).encode().into()))
                    .await?;
            }
            continue;
        };
        match frame {
            Some(Ok(WsMessage::Binary(b))) => {
                let m = sync::Message::decode(&b)?;
                if !m.changes.is_empty() {
                    let due = owed.map_or(Instant::now() + ACK, |o| o.0);
                    owed = Some((due, m.heads));
                }
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(e.into()),
            None => bail!("server closed a reader's connection"),
        }
    }
    Ok(())
}

/// Signs in as the demo group's drafter and creates a document of `markdown`; returns its sync
/// address and the session cookie. The editors of a round share that account (every
/// connection gets an actor of its own).
async fn new_document(server: &ServerProcess, markdown: &str) -> Result<(String, String)> {
    let body = serde_json::json!({ "title": "Load", "markdown": markdown }).to_string();
    let login = serde_json::json!({ "login": "drafter@example.org", "password": accord_core::seed::DEMO_PASSWORD }).to_string();
    let (_, cookie) = post_json(&server.addr, "/api/v1/auth/login", &login, None).await?;
    let cookie = cookie.ok_or_else(|| anyhow!("signing in gave no session cookie"))?;
    let (created, _) = post_json(&server.addr, "/api/v1/documents", &body, Some(&cookie)).await?;
    let doc_id = created["id"]
        .as_str()
        .ok_or_else(|| anyhow!("no id: {created}"))?
        .to_string();
    Ok((
        format!("ws://{}/api/v1/documents/{doc_id}/sync", server.addr),
        cookie,
    ))
}

/// `n` editors, each a fork of `base` synced over a connection of its own, 50 connecting at a
/// time.
async fn connect_editors(
    url: &str,
    cookie: &str,
    base: &mut AutoCommit,
    n: usize,
) -> Result<Vec<(usize, Ws, AutoCommit)>> {
    let mut editors = Vec::with_capacity(n);
    for chunk in (0..n).collect::<Vec<_>>().chunks(50) {
        let mut set = Vec::new();
        for &i in chunk {
            let mut doc = base.fork();
            let (url, cookie) = (url.to_string(), cookie.to_string());
            set.push(tokio::spawn(async move {
                let (ws, _) = handshake(&url, &cookie, &mut doc).await?;
                Ok::<_, anyhow::Error>((i, ws, doc))
            }));
        }
        for h in set {
            editors.push(h.await??);
        }
    }
    Ok(editors)
}

/// [`round`] with extra environment variables for the server.
async fn round_with(
    n: usize,
    warmup: Duration,
    window: Duration,
    signins: usize,
    env: &[(&str, &str)],
    readers: Readers,
    layout: Layout,
) -> Result<Round> {
    // A burst comes through a proxy of ours, which names each attempt's address.
    let mut env = env.to_vec();
    if signins > 0 {
        env.push(("ACCORD_TRUST_PROXY", "1"));
    }
    let server = ServerProcess::start_with(&env).await?;
    let (url, cookie) = new_document(&server, &layout.markdown(n)).await?;

    let mut base = document::empty_doc();
    let (ws0, st0) = handshake(&url, &cookie, &mut base).await?;
    let mut obs2 = base.fork();
    let (ws1, st1) = handshake(&url, &cookie, &mut obs2).await?;
    let ids: Vec<String> = document::read(&base)?
        .paragraphs
        .into_iter()
        .map(|p| p.id)
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let rss_base = rss_kb(server.pid());

    let editors = connect_editors(&url, &cookie, &mut base, n).await?;

    // Then the readers, 50 at a time, and what they added to the server's memory.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let rss_before_readers = rss_kb(server.pid());
    let mut reading = Vec::new();
    let (count, watch) = match readers {
        Readers::None => (0, false),
        Readers::App(r) => (r, false),
        Readers::Watch(r) => (r, true),
    };
    for chunk in (0..count).collect::<Vec<_>>().chunks(50) {
        let mut set = Vec::new();
        for _ in chunk {
            let mut doc = base.fork();
            let (url, cookie) = (url.clone(), cookie.clone());
            set.push(tokio::spawn(async move {
                if watch {
                    let req = signed_request(&format!("{url}?watch=true"), &cookie)?;
                    let (ws, _) = tokio_tungstenite::connect_async(req).await?;
                    Ok::<_, anyhow::Error>(ws)
                } else {
                    Ok(handshake(&url, &cookie, &mut doc).await?.0)
                }
            }));
        }
        for h in set {
            reading.push(h.await??);
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let per_reader_kb = match count {
        0 => 0.0,
        r => rss_kb(server.pid()).saturating_sub(rss_before_readers) as f64 / r as f64,
    };

    let shared = Arc::new(Mutex::new(Shared::default()));
    let until = Instant::now() + warmup + window;
    let mut tasks = Vec::new();
    tasks.extend(
        reading
            .into_iter()
            .map(|ws| tokio::spawn(idle_reader(ws, until))),
    );
    tasks.push(tokio::spawn(observer(
        ws0,
        base,
        st0,
        until,
        shared.clone(),
    )));
    tasks.push(tokio::spawn(observer(
        ws1,
        obs2,
        st1,
        until,
        shared.clone(),
    )));
    for (i, ws, doc) in editors {
        let (paragraph, pos) = layout.place(i, n, &ids);
        tasks.push(tokio::spawn(thin_editor(
            ws,
            doc,
            paragraph,
            pos,
            phase(i, n),
            until,
            shared.clone(),
        )));
    }
    tasks.extend(sign_in_burst(
        server.addr.clone(),
        signins,
        until,
        shared.clone(),
    ));
    let mut r = measure(server.pid(), rss_base, n, warmup, window, &shared, tasks).await?;
    r.per_reader_kb = per_reader_kb;
    Ok(r)
}

/// Where in its second typist `i` of `n` types: the typists' keystrokes spread evenly.
fn phase(i: usize, n: usize) -> Duration {
    Duration::from_micros((i as u64 * 1_000_000 / n as u64) % 1_000_000)
}

/// Waits out the warm-up, measures the window while `tasks` run to their end, and reads the
/// figures of a round: the latencies the observers recorded in `shared`, the server's CPU and
/// memory (`rss_base`: before the `n` typists connected), the driver's own CPU and lag.
async fn measure<K>(
    pid: u32,
    rss_base: u64,
    n: usize,
    warmup: Duration,
    window: Duration,
    shared: &Mutex<Shared<K>>,
    tasks: Vec<tokio::task::JoinHandle<Result<()>>>,
) -> Result<Round> {
    let until = Instant::now() + warmup + window;
    // Event-loop lag: how late a 10 ms tick fires.
    let loop_lag = tokio::spawn(async move {
        let mut lags = Vec::new();
        let mut next = Instant::now();
        while Instant::now() < until {
            next += Duration::from_millis(10);
            tokio::time::sleep_until(next.into()).await;
            lags.push(Instant::now().saturating_duration_since(next));
        }
        lags
    });

    tokio::time::sleep(warmup).await;
    let (cpu0, self0) = (cpu_seconds(pid), cpu_seconds(std::process::id()));
    let t0 = Instant::now();
    shared.lock().map_err(|_| anyhow!("poisoned"))?.measuring = true;
    tokio::time::sleep(window).await;
    let seconds = t0.elapsed().as_secs_f64();
    let (cpu1, self1) = (cpu_seconds(pid), cpu_seconds(std::process::id()));
    let rss_end = rss_kb(pid);
    shared.lock().map_err(|_| anyhow!("poisoned"))?.measuring = false;
    for t in tasks {
        t.await??;
    }
    let mut loop_lags = loop_lag.await?;
    let mut s = shared.lock().map_err(|_| anyhow!("poisoned"))?;
    let keystrokes = s.sent;
    let samples = s.latencies.len();
    let p50 = percentile(&mut s.latencies, 0.5);
    let p99 = percentile(&mut s.latencies, 0.99);
    Ok(Round {
        n,
        keystrokes,
        seconds,
        p50,
        p99,
        samples,
        server_cpu: (cpu1 - cpu0) / seconds,
        server_rss_kb: rss_end,
        per_editor_kb: rss_end.saturating_sub(rss_base) as f64 / n as f64,
        driver_cpu: (self1 - self0) / seconds,
        schedule_lag_p99: percentile(&mut s.schedule_lag, 0.99).unwrap_or_default(),
        loop_lag_p99: percentile(&mut loop_lags, 0.99).unwrap_or_default(),
        signins_per_second: s.signins as f64 / seconds,
        per_reader_kb: 0.0,
    })
}

fn ms(d: Option<Duration>) -> String {
    d.map(|d| format!("{:.1}", d.as_secs_f64() * 1000.0))
        .unwrap_or_else(|| "–".into())
}

fn load(args: &[String]) -> Result<()> {
    let ns: Vec<usize> = if args.is_empty() {
        vec![10, 50, 200, 500]
    } else {
        args.iter().map(|a| a.parse()).collect::<Result<_, _>>()?
    };
    let rt = runtime()?;
    println!("## (b) N editors, one keystroke per second each, into one 60-paragraph document");
    println!("Latency: keystroke sent by an editor → change received by a full observer (2 observers). 10 s window after 3 s warm-up.");
    println!();
    println!("| N | keystrokes/s | p50 ms | p99 ms | samples | server CPU | server RSS | RSS per editor | driver CPU | editor lateness p99 | driver loop lag p99 | driver-limited |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for n in ns {
        let r = rt.block_on(round(n, Duration::from_secs(3), Duration::from_secs(10), 0))?;
        println!(
            "| {} | {:.0} | {} | {} | {} | {:.0}% | {:.1} MB | {:.0} KB | {:.0}% | {:.0} ms | {:.0} ms | {} |",
            r.n,
            r.keystrokes as f64 / r.seconds,
            ms(r.p50),
            ms(r.p99),
            r.samples,
            r.server_cpu * 100.0,
            r.server_rss_kb as f64 / 1024.0,
            r.per_editor_kb,
            r.driver_cpu * 100.0,
            r.schedule_lag_p99.as_secs_f64() * 1000.0,
            r.loop_lag_p99.as_secs_f64() * 1000.0,
            if r.driver_limited() { "yes" } else { "no" },
        );
    }
    Ok(())
}

/// What connected readers cost the server, against a round of the same typists without them.
fn readers(args: &[String]) -> Result<()> {
    let typists: usize = args.first().map(|a| a.parse()).transpose()?.unwrap_or(100);
    let count: usize = args.get(1).map(|a| a.parse()).transpose()?.unwrap_or(1000);
    let rt = runtime()?;
    let (warmup, window) = (Duration::from_secs(3), Duration::from_secs(10));
    println!("## Readers: {typists} typists, alone and beside {count} connections that only read");
    println!();
    println!("| round | p50 ms | p99 ms | server CPU | server RSS | RSS per reader | driver CPU | driver-limited |");
    println!("|---|---|---|---|---|---|---|---|");
    let mut alone = None;
    for (name, readers) in [
        ("typists alone (the peer)", Readers::None),
        (
            "+ readers with the app (full sync peers)",
            Readers::App(count),
        ),
        (
            "+ readers without the app (watching)",
            Readers::Watch(count),
        ),
    ] {
        let r = rt.block_on(round_with(
            typists,
            warmup,
            window,
            0,
            &[],
            readers,
            Layout::Sixty,
        ))?;
        println!(
            "| {name} | {} | {} | {:.0}% | {:.1} MB | {} | {:.0}% | {} |",
            ms(r.p50),
            ms(r.p99),
            r.server_cpu * 100.0,
            r.server_rss_kb as f64 / 1024.0,
            match readers {
                Readers::None => "–".to_string(),
                _ => format!("{:.1} KB", r.per_reader_kb),
            },
            r.driver_cpu * 100.0,
            if r.driver_limited() { "yes" } else { "no" },
        );
        match alone {
            None => alone = Some((r.server_cpu, r.server_rss_kb)),
            Some((cpu, rss)) => println!(
                "|  … added by the readers | | | {:+.1} points | {:+.1} MB | | | |",
                (r.server_cpu - cpu) * 100.0,
                (r.server_rss_kb as f64 - rss as f64) / 1024.0
            ),
        }
    }
    Ok(())
}

/// Keystroke latency with and without a burst of sign-ins beside it, three rounds of each,
/// interleaved.
fn signins(args: &[String]) -> Result<()> {
    let n: usize = match args.first() {
        Some(a) => a.parse()?,
        None => 20,
    };
    let rt = runtime()?;
    println!("## (e) {n} editors typing while 16 connections sign in back to back");
    println!("Each attempt is for another login from another address (so no limit stops it, and each costs one argon2 check). Latency as in (b); 10 s windows, three rounds each, interleaved.");
    println!();
    println!("| run | sign-ins/s | keystroke p50 ms | p99 ms | server CPU |");
    println!("|---|---|---|---|---|");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let every_core = cores.to_string();
    let (mut quiet, mut burst, mut all) = (Vec::new(), Vec::new(), Vec::new());
    let (warmup, window) = (Duration::from_secs(3), Duration::from_secs(10));
    for _ in 0..3 {
        quiet.push(rt.block_on(round(n, warmup, window, 0))?);
        burst.push(rt.block_on(round(n, warmup, window, 16))?);
        all.push(rt.block_on(round_with(
            n,
            warmup,
            window,
            16,
            &[("ACCORD_HASHING_AT_ONCE", &every_core)],
            Readers::None,
            Layout::Sixty,
        ))?);
    }
    let row = |name: &str, rounds: &[Round]| {
        let mid = |f: fn(&Round) -> f64| {
            let mut v: Vec<f64> = rounds.iter().map(f).collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let p50 = mid(|r| r.p50.map(|d| d.as_secs_f64() * 1000.0).unwrap_or(f64::NAN));
        let p99 = mid(|r| r.p99.map(|d| d.as_secs_f64() * 1000.0).unwrap_or(f64::NAN));
        println!(
            "| {name} | {:.0} | {p50:.1} | {p99:.1} | {:.0}% |",
            mid(|r| r.signins_per_second),
            mid(|r| r.server_cpu * 100.0),
        );
        (p50, p99)
    };
    let (q50, q99) = row("typing alone (peer)", &quiet);
    let (b50, b99) = row(
        "during the burst, hashing on one core fewer than the machine has (default)",
        &burst,
    );
    let (a50, a99) = row(
        &format!("during the burst, hashing on all {cores} cores"),
        &all,
    );
    println!();
    println!(
        "Ratios to typing alone (medians of three): default p50 {:.2}×, p99 {:.2}×; all cores p50 {:.2}×, p99 {:.2}×",
        b50 / q50,
        b99 / q99,
        a50 / q50,
        a99 / q99
    );
    Ok(())
}
