//! (k) A live session of 1,000 participants on one server: every participant's screen follows
//! the session's event stream while 200 of them take a stance on one open check within 10
//! seconds; the time from each stance to its figure on every screen (each screen's first event
//! whose tally counts it), and the server's CPU and memory. Beside it, the same people on the
//! paragraph stance path: 1,000 readers watching the document's socket (`?watch=true`) while
//! 200 stances are taken on one paragraph, timed to the feedback news that counts them.
//!
//! The installation is built in-process (accounts and sessions written in bulk), then the real
//! server binary is started on it for each run.

use std::{
    path::Path,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use accord_core::{auth, documents, rooms::Rooms, seed, store::sessions::NewSession, store::Store};
use anyhow::{anyhow, Result};
use domain::api::CreateDocument;
use futures::StreamExt;
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
};

use super::{
    cpu_seconds,
    feedback::{participants, Http, Lcg},
    percentile, rss_kb, ServerProcess,
};

/// What one screen saw: when each event came and the tally total it showed.
type Seen = Arc<Mutex<Vec<(Instant, u32)>>>;

struct Built {
    doc: String,
    paragraph: String,
    live: String,
    check: String,
    tokens: Vec<String>,
}

async fn build(dir: &Path, people: usize) -> Result<Built> {
    let store = Store::open(dir).await?;
    let rooms = Rooms::new(store.clone());
    seed::seed_if_empty(&rooms)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let doc = documents::create(
        &rooms,
        CreateDocument {
            group: None,
            title: Some("Session".into()),
            markdown: Some("# Session\n\n1. The first paragraph.\n\n2. The second.\n".into()),
        },
        seed::DEMO_GROUP,
    )
    .await
    .map_err(|e| anyhow!("{e}"))?
    .id;
    let (outline, _) = rooms.outline(&doc).await?;
    let paragraph = outline
        .paragraphs
        .iter()
        .find(|p| p.kind != domain::api::ParagraphKind::Heading)
        .map(|p| p.id.clone())
        .ok_or_else(|| anyhow!("a paragraph"))?;
    let hash = auth::hash_password(seed::DEMO_PASSWORD).map_err(|e| anyhow!("{e}"))?;
    let mut tx = store.pool_for_tests().begin().await?;
    let tokens = participants(&mut tx, "live", people, &hash, &mut Lcg(11)).await?;
    // Confirmed addresses: a paragraph's figures count only those.
    sqlx::query("UPDATE accounts SET confirmed_at = 0 WHERE id LIKE 'live%'")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let chair = store
        .account_by_login("chair@example.org")
        .await?
        .ok_or_else(|| anyhow!("the chair"))?
        .0
        .id;
    let live = store
        .create_live_session(
            &NewSession {
                document_id: &doc,
                title: "Main session",
                starts_at: 0,
                created_by: &chair,
                items: &[("paragraph", paragraph.clone())],
                parts: &[],
            },
            0,
        )
        .await?;
    let item = store.session_items(&live).await?[0].id.clone();
    store.set_current_item(&live, &item).await?;
    let check = store
        .open_check(&live, &item, 0, None)
        .await?
        .ok_or_else(|| anyhow!("a check"))?;
    drop(rooms);
    store.pool_for_tests().close().await;
    Ok(Built {
        doc,
        paragraph,
        live,
        check,
        tokens,
    })
}

/// Follows the session's event stream as a signed-in screen; records every event's tally total.
async fn screen(addr: String, live: String, token: String, seen: Seen) -> Result<()> {
    let tcp = TcpStream::connect(&addr).await?;
    let mut s = BufReader::new(tcp);
    let req = format!(
        "GET /api/v1/live/{live}/events HTTP/1.1\r\nHost: {addr}\r\nCookie: {}={token}\r\nAccept: text/event-stream\r\n\r\n",
        auth::SESSION_COOKIE
    );
    s.get_mut().write_all(req.as_bytes()).await?;
    let mut line = String::new();
    // The head.
    loop {
        line.clear();
        if s.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        if line.trim_end().is_empty() {
            break;
        }
    }
    // Chunks, each holding whole events.
    let mut pending = String::new();
    loop {
        line.clear();
        if s.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let size = usize::from_str_radix(line.trim(), 16).unwrap_or(0);
        if size == 0 {
            continue;
        }
        let mut chunk = vec![0; size + 2];
        s.read_exact(&mut chunk).await?;
        pending.push_str(&String::from_utf8_lossy(&chunk[..size]));
        while let Some((event, rest)) = pending.split_once("\n\n") {
            let data: String = event
                .lines()
                .filter_map(|l| l.strip_prefix("data:"))
                .map(str::trim_start)
                .collect();
            if !data.is_empty() {
                let v: serde_json::Value = serde_json::from_str(&data)?;
                let t = &v["checks"][0]["figures"]["tally"];
                let total = ["support", "can_live_with", "oppose"]
                    .iter()
                    .map(|k| t[*k].as_u64().unwrap_or(0) as u32)
                    .sum();
                seen.lock().expect("lock").push((Instant::now(), total));
            }
            pending = rest.to_string();
        }
    }
}

/// Watches the document's socket as the consensus map does (signed in, `?watch=true`: news, no
/// text); records the paragraph's tally total at every feedback news.
async fn watcher(addr: String, doc: String, token: String, seen: Seen) -> Result<()> {
    let url = format!("ws://{addr}/api/v1/documents/{doc}/sync?watch=true");
    let cookie = format!("{}={token}", auth::SESSION_COOKIE);
    let mut req = super::signed_request(&url, &cookie)?;
    req.headers_mut()
        .insert("origin", format!("http://{addr}").parse()?);
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await?;
    while let Some(m) = ws.next().await {
        let Ok(tokio_tungstenite::tungstenite::Message::Text(text)) = m else {
            continue;
        };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        if v["type"] != "feedback" {
            continue;
        }
        let t = &v["consensus"]["tally"];
        let total = ["support", "can_live_with", "oppose"]
            .iter()
            .map(|k| t[*k].as_u64().unwrap_or(0) as u32)
            .sum();
        seen.lock().expect("lock").push((Instant::now(), total));
    }
    Ok(())
}

struct Run {
    /// Per stance and screen: from the stance sent to the screen's first event counting it.
    each: Vec<Duration>,
    /// Per stance: until the last screen counted it.
    every: Vec<Duration>,
    missed: usize,
    accepted: usize,
    cpu: f64,
    rss_mb: f64,
    rss_before_mb: f64,
}

/// Starts the server on `dir`, connects `people` screens (session events, or document watchers
/// when `paragraph`), then sends `stances` stances over `window` from distinct people.
async fn run(
    dir: &Path,
    b: &Built,
    people: usize,
    stances: usize,
    window: Duration,
    paragraph: bool,
) -> Result<Run> {
    let env = [
        ("ACCORD_TRUST_PROXY", "1"),
        ("ACCORD_CONNECTIONS_PER_ADDRESS", "100000"),
    ];
    let server = ServerProcess::start_in(dir, &env).await?;
    let addr = server.addr.clone();
    let rss_before_mb = rss_kb(server.pid()) as f64 / 1024.0;
    let mut screens = Vec::new();
    for token in b.tokens.iter().take(people) {
        let seen: Seen = Arc::default();
        let task = match paragraph {
            true => tokio::spawn(watcher(
                addr.clone(),
                b.doc.clone(),
                token.clone(),
                seen.clone(),
            )),
            false => tokio::spawn(screen(
                addr.clone(),
                b.live.clone(),
                token.clone(),
                seen.clone(),
            )),
        };
        screens.push((seen, task));
    }
    // Every screen connected (the session's first event, or a moment for the sockets).
    let deadline = Instant::now() + Duration::from_secs(60);
    while !paragraph
        && Instant::now() < deadline
        && screens
            .iter()
            .any(|(s, _)| s.lock().expect("lock").is_empty())
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;

    let cpu_start = cpu_seconds(server.pid());
    let period = window / stances as u32;
    let start = Instant::now() + Duration::from_millis(100);
    let sent: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let mut senders = Vec::new();
    // Twenty kept-alive connections, each sending its share in turn.
    let lanes = 20;
    for lane in 0..lanes {
        let (addr, b_live, b_check, b_doc, b_par) = (
            addr.clone(),
            b.live.clone(),
            b.check.clone(),
            b.doc.clone(),
            b.paragraph.clone(),
        );
        let tokens: Vec<(usize, String)> = b.tokens[people - stances..]
            .iter()
            .cloned()
            .enumerate()
            .filter(|(i, _)| i % lanes == lane)
            .collect();
        let sent = sent.clone();
        senders.push(tokio::spawn(async move {
            let mut http = Http::connect(&addr).await?;
            let mut ok = 0;
            for (i, token) in tokens {
                let due = start + period * i as u32;
                tokio::time::sleep_until(due.into()).await;
                let path = match paragraph {
                    true => format!("/api/v1/documents/{b_doc}/paragraphs/{b_par}/stance"),
                    false => format!("/api/v1/live/{b_live}/checks/{b_check}/stance"),
                };
                let head = format!(
                    "PUT {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n\
                     Cookie: {}={token}\r\nX-Forwarded-For: 10.2.{}.{}\r\n\
                     Content-Type: application/json\r\n",
                    auth::SESSION_COOKIE,
                    i / 250,
                    i % 250
                );
                sent.lock().expect("lock").push(Instant::now());
                let (status, _) = http.call(&head, r#"{"stance":"support"}"#).await?;
                if status == 200 {
                    ok += 1;
                }
            }
            anyhow::Ok(ok)
        }));
    }
    let mut accepted = 0;
    for s in senders {
        accepted += s.await??;
    }
    // Time for the last news to arrive everywhere.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let cpu = cpu_seconds(server.pid()) - cpu_start;
    let rss_mb = rss_kb(server.pid()) as f64 / 1024.0;
    let mut sent = sent.lock().expect("lock").clone();
    sent.sort();
    // Each stance raises the total by one: the k-th sent is counted once a screen shows k.
    let (mut each, mut every, mut missed) = (Vec::new(), Vec::new(), 0);
    let seen: Vec<Vec<(Instant, u32)>> = screens
        .iter()
        .map(|(s, _)| s.lock().expect("lock").clone())
        .collect();
    for (k, at) in sent.iter().enumerate() {
        let want = k as u32 + 1;
        let mut slowest = Duration::ZERO;
        for events in &seen {
            match events.iter().find(|(_, total)| *total >= want) {
                Some((t, _)) => {
                    let d = t.saturating_duration_since(*at);
                    each.push(d);
                    slowest = slowest.max(d);
                }
                None => missed += 1,
            }
        }
        every.push(slowest);
    }
    let mut failed = 0;
    for (_, task) in screens {
        if task.is_finished() {
            failed += 1;
            if let Ok(Err(e)) = task.await {
                eprintln!("a screen stopped: {e}");
            }
        } else {
            task.abort();
        }
    }
    if failed > 0 {
        eprintln!("{failed} screens stopped before the end");
    }
    Ok(Run {
        each,
        every,
        missed,
        accepted,
        cpu,
        rss_mb,
        rss_before_mb,
    })
}

fn ms(d: Option<Duration>) -> String {
    d.map_or("–".into(), |d| format!("{:.0}", d.as_secs_f64() * 1000.0))
}

pub fn run_all(args: &[String]) -> Result<()> {
    let people: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let stances: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let window = Duration::from_secs(10);
    let rt = super::runtime()?;
    rt.block_on(async {
        let dir = std::env::temp_dir().join(format!("accord-bench-live-{}", std::process::id()));
        let _cleanup = super::tempdir::Dir(dir.clone());
        let b = build(&dir, people).await?;
        println!("## (k) A live session: {people} screens, {stances} stances in {} s", window.as_secs());
        println!();
        println!("| path | accepted | stance → a screen p50 / p99 ms | stance → every screen p50 / p99 ms | missed | server CPU s (share of the window) | RSS MB before → after |");
        println!("|---|---|---|---|---|---|---|");
        for (name, paragraph) in [("session check, event stream", false), ("paragraph stance, watching socket", true)] {
            let mut r = run(&dir, &b, people, stances, window, paragraph).await?;
            println!(
                "| {name} | {}/{stances} | {} / {} | {} / {} | {} | {:.2} ({:.0}%) | {:.0} → {:.0} |",
                r.accepted,
                ms(percentile(&mut r.each, 0.5)),
                ms(percentile(&mut r.each, 0.99)),
                ms(percentile(&mut r.every, 0.5)),
                ms(percentile(&mut r.every, 0.99)),
                r.missed,
                r.cpu,
                r.cpu * 100.0 / window.as_secs_f64(),
                r.rss_before_mb,
                r.rss_mb
            );
        }
        Ok(())
    })
}
