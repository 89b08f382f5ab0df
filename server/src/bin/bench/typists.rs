//! `typists [N ...]`: Accord's relay beside Yjs's, with the same driver and the same workload.
//!
//! The peer is the reference Yjs server (`y-websocket`'s, in Node, installed from npm by
//! `./scripts/bench`); its clients are driven from this process through `yrs`, the Rust port of
//! Yjs, speaking y-websocket's protocol. Per N, interleaved: Yjs, then Accord with every typist
//! in one paragraph, then Accord with each typist in a paragraph of their own. In each, N thin
//! typists type one character a second into a seed of 5,000 characters (spread evenly along
//! it), and two full observers apply everything and time each keystroke from its sending to its
//! arrival. The Yjs server keeps the document in memory only; Accord stores every change in
//! SQLite before it acknowledges it.

use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use anyhow::{anyhow, bail, Context, Result};
use futures::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use yrs::{
    sync::{Message, SyncMessage},
    updates::{decoder::Decode, encoder::Encode},
    Doc, GetString, ReadTxn, Text, TextRef, Transact, Update,
};

use super::{
    measure, ms, phase, round_with, runtime, Layout, Readers, Round, Shared, Ws, SEED_CHARS,
};

/// A keystroke of Yjs: the typist's client id and the clock of the character it inserted.
type Key = (yrs::block::ClientID, u32);

/// The name of the shared text in the Yjs document.
const TEXT: &str = "text";

/// The y-websocket server, on a port of its own.
struct YjsServer {
    child: Child,
    url: String,
}

impl YjsServer {
    async fn start() -> Result<Self> {
        let script = std::env::var_os("ACCORD_YJS_SERVER").map(PathBuf::from).ok_or_else(|| {
            anyhow!("ACCORD_YJS_SERVER is unset: run this through ./scripts/bench, which installs y-websocket")
        })?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let child = Command::new("node")
            .arg(&script)
            .env("HOST", "127.0.0.1")
            .env("PORT", port.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting the y-websocket server")?;
        let addr = format!("127.0.0.1:{port}");
        for _ in 0..100 {
            if TcpStream::connect(&addr).await.is_ok() {
                return Ok(Self {
                    child,
                    url: format!("ws://{addr}/bench"),
                });
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("the y-websocket server did not start")
    }
}

impl Drop for YjsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn frame(message: Message) -> WsMessage {
    WsMessage::Binary(message.encode_v1().into())
}

/// Connects `doc` to the server and syncs it both ways: the server is sent what it lacks of
/// `doc`, and `doc` is given the server's state.
async fn connect(url: &str, doc: &Doc) -> Result<Ws> {
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await?;
    let ours = doc.transact().state_vector();
    ws.send(frame(Message::Sync(SyncMessage::SyncStep1(ours))))
        .await?;
    loop {
        let next = tokio::time::timeout(Duration::from_secs(30), ws.next())
            .await?
            .ok_or_else(|| anyhow!("closed during the handshake"))??;
        let WsMessage::Binary(b) = next else { continue };
        match Message::decode_v1(&b) {
            Ok(Message::Sync(SyncMessage::SyncStep1(theirs))) => {
                let update = doc.transact().encode_state_as_update_v1(&theirs);
                ws.send(frame(Message::Sync(SyncMessage::SyncStep2(update))))
                    .await?;
            }
            Ok(Message::Sync(SyncMessage::SyncStep2(update))) => {
                doc.transact_mut()
                    .apply_update(Update::decode_v1(&update)?)?;
                return Ok(ws);
            }
            _ => {}
        }
    }
}

/// A thin typist: inserts one character a second at its place and never applies the others'
/// updates (it reads them, so the server's writes never block).
async fn typist(
    mut ws: Ws,
    doc: Doc,
    mut pos: u32,
    phase: Duration,
    until: Instant,
    shared: Arc<Mutex<Shared<Key>>>,
) -> Result<()> {
    let text: TextRef = doc.get_or_insert_text(TEXT);
    let client = doc.client_id();
    let mut clock = doc.transact().state_vector().get(&client);
    let mut next = Instant::now() + phase;
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(next.into()) => {
                if Instant::now() >= until { return Ok(()); }
                let lag = Instant::now() - next;
                next += Duration::from_secs(1);
                let update = {
                    let mut txn = doc.transact_mut();
                    text.insert(&mut txn, pos, "x");
                    txn.encode_update_v1()
                };
                pos += 1;
                {
                    let mut s = shared.lock().map_err(|_| anyhow!("poisoned"))?;
                    s.sent_at.insert((client, clock), Instant::now());
                    if s.measuring { s.schedule_lag.push(lag); s.sent += 1; }
                }
                clock += 1;
                ws.send(frame(Message::Sync(SyncMessage::Update(update)))).await?;
            }
            next_frame = ws.next() => match next_frame {
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.into()),
                None => bail!("the Yjs server closed a typist's connection"),
            }
        }
    }
}

/// A full peer: applies every update and records how long each keystroke in it took.
async fn observer(
    mut ws: Ws,
    doc: Doc,
    until: Instant,
    shared: Arc<Mutex<Shared<Key>>>,
) -> Result<()> {
    while Instant::now() < until {
        let Ok(next) = tokio::time::timeout(Duration::from_millis(200), ws.next()).await else {
            continue;
        };
        let WsMessage::Binary(b) = next.ok_or_else(|| anyhow!("the Yjs server closed"))?? else {
            continue;
        };
        let arrived = Instant::now();
        let update = match Message::decode_v1(&b) {
            Ok(Message::Sync(SyncMessage::Update(u) | SyncMessage::SyncStep2(u))) => u,
            _ => continue,
        };
        let (before, after) = {
            let mut txn = doc.transact_mut();
            let before = txn.state_vector();
            txn.apply_update(Update::decode_v1(&update)?)?;
            (before, txn.state_vector())
        };
        let mut s = shared.lock().map_err(|_| anyhow!("poisoned"))?;
        if s.measuring {
            for (client, &clock) in after.iter() {
                for c in before.get(client)..clock {
                    if let Some(sent) = s.sent_at.get(&(*client, c)).copied() {
                        s.latencies.push(arrived - sent);
                    }
                }
            }
        }
    }
    Ok(())
}

/// One round of N typists against the Yjs server.
async fn yjs_round(n: usize, warmup: Duration, window: Duration) -> Result<Round> {
    let server = YjsServer::start().await?;
    let pid = server.child.id();
    // The first observer brings the seed text.
    let seeded = Doc::with_client_id(1);
    {
        let text = seeded.get_or_insert_text(TEXT);
        let seed: String = "Stakeholders agree that the text should be drafted in the open. "
            .chars()
            .cycle()
            .take(SEED_CHARS)
            .collect();
        text.insert(&mut seeded.transact_mut(), 0, &seed);
    }
    let ws0 = connect(&server.url, &seeded).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let second = Doc::with_client_id(2);
    let ws1 = connect(&server.url, &second).await?;
    let seed_len = second
        .get_or_insert_text(TEXT)
        .get_string(&second.transact())
        .len();
    if seed_len != SEED_CHARS {
        bail!("the second observer was given {seed_len} characters of the seed, not {SEED_CHARS}");
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let rss_base = super::rss_kb(pid);

    let mut typists = Vec::with_capacity(n);
    for chunk in (0..n).collect::<Vec<_>>().chunks(50) {
        let mut set = Vec::new();
        for &i in chunk {
            let url = server.url.clone();
            set.push(tokio::spawn(async move {
                let doc = Doc::with_client_id(1000 + i as u64);
                let ws = connect(&url, &doc).await?;
                Ok::<_, anyhow::Error>((i, ws, doc))
            }));
        }
        for h in set {
            typists.push(h.await??);
        }
    }

    let shared = Arc::new(Mutex::new(Shared::<Key>::default()));
    let until = Instant::now() + warmup + window;
    let mut tasks = vec![
        tokio::spawn(observer(ws0, seeded, until, shared.clone())),
        tokio::spawn(observer(ws1, second, until, shared.clone())),
    ];
    for (i, ws, doc) in typists {
        let pos = (i * SEED_CHARS / n.max(1)) as u32;
        tasks.push(tokio::spawn(typist(
            ws,
            doc,
            pos,
            phase(i, n),
            until,
            shared.clone(),
        )));
    }
    measure(pid, rss_base, n, warmup, window, &shared, tasks).await
}

/// The share of keystrokes the two observers received within the window.
fn delivered(r: &Round) -> f64 {
    match r.keystrokes {
        0 => 0.0,
        k => r.samples as f64 / (2 * k) as f64,
    }
}

/// Rounds of each kind per N, interleaved; the row printed is the one with the median p99.
const REPEATS: usize = 3;

pub fn run(args: &[String]) -> Result<()> {
    let ns: Vec<usize> = if args.is_empty() {
        vec![50, 100, 200, 300]
    } else {
        args.iter().map(|a| a.parse()).collect::<Result<_, _>>()?
    };
    let rt = runtime()?;
    let (warmup, window) = (Duration::from_secs(3), Duration::from_secs(10));
    println!("## Typists side by side: Yjs (y-websocket) and Accord, one driver, one workload");
    println!("One keystroke per second per typist into a seed of {SEED_CHARS} characters; 2 full observers time each keystroke; 10 s window after 3 s warm-up; {REPEATS} rounds of each, interleaved; the round with the median p99 is shown, with the range of p99 over the rounds.");
    println!();
    println!("| N | server | p50 ms | p99 ms (range) | delivered | server CPU | CPU ms per keystroke | server RSS | RSS per typist | driver CPU | driver-limited |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let names = [
        "Yjs + y-websocket (peer)",
        "Accord, all in one paragraph",
        "Accord, each in a paragraph of their own",
    ];
    for n in ns {
        let mut rounds: [Vec<Round>; 3] = Default::default();
        for _ in 0..REPEATS {
            let accord = |layout| round_with(n, warmup, window, 0, &[], Readers::None, layout);
            rounds[0].push(rt.block_on(yjs_round(n, warmup, window))?);
            rounds[1].push(rt.block_on(accord(Layout::OneParagraph))?);
            rounds[2].push(rt.block_on(accord(Layout::OwnParagraphs))?);
        }
        for (name, mut kind) in names.into_iter().zip(rounds) {
            kind.sort_by_key(|r| r.p99);
            let (low, high) = (ms(kind[0].p99), ms(kind[kind.len() - 1].p99));
            let r = &kind[kind.len() / 2];
            let per_second = r.keystrokes as f64 / r.seconds;
            println!(
                "| {n} | {name} | {} | {} ({low}–{high}) | {:.1}% | {:.0}% | {:.2} | {:.1} MB | {:.0} KB | {:.0}% | {} |",
                ms(r.p50),
                ms(r.p99),
                delivered(r) * 100.0,
                r.server_cpu * 100.0,
                r.server_cpu * 1000.0 / per_second.max(1.0),
                r.server_rss_kb as f64 / 1024.0,
                r.per_editor_kb,
                r.driver_cpu * 100.0,
                if r.driver_limited() { "yes" } else { "no" },
            );
        }
    }
    Ok(())
}
