//! (c) Feedback at scale: a 300-paragraph document under 10,000 comments and stances.
//!
//! Builds the installation in-process (the store's own SQLite file; accounts, sessions and the
//! feedback written in bulk), then starts the real server binary on it and measures, each beside
//! a peer: the server-rendered page (against the same text without feedback), the aggregation
//! (against reading its facts from SQLite), and stances accepted per second under an open-loop
//! offered load (against bare durable SQLite commits in the same folder).

use std::{
    path::Path,
    time::{Duration, Instant},
};

use accord_core::{auth, documents, rooms::Rooms, seed, store::Store};
use anyhow::{anyhow, bail, Result};
use domain::{api::CreateDocument, consensus, profile};
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
};

use super::{cpu_seconds, median, percentile, ServerProcess};

const PARAGRAPHS: usize = 300;
const ACCOUNTS: usize = 500;
const STANCES: usize = 7_000;
const COMMENTS: usize = 3_000;

/// A tiny deterministic generator, so that every run builds the same installation.
pub(super) struct Lcg(pub(super) u64);
impl Lcg {
    pub(super) fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn markdown(n: usize) -> String {
    let mut md = String::from("# Feedback benchmark\n\n");
    for i in 0..n {
        if i % 25 == 0 {
            md.push_str(&format!("## Part {}\n\n", i / 25 + 1));
        }
        md.push_str(&format!(
            "1. Paragraph {i}: the Forum should publish its outputs together with every comment \
             received and the response each one got, so that participants can see why the text \
             reads as it does.\n\n"
        ));
    }
    md
}

/// The installation: two documents (one to be reviewed, one peer without feedback), accounts
/// with sessions, and the feedback. Returns (reviewed doc, peer doc, session tokens).
async fn build(dir: &Path) -> Result<(String, String, Vec<String>)> {
    let store = Store::open(dir).await?;
    let rooms = Rooms::new(store.clone());
    seed::seed_if_empty(&rooms)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let mut ids = Vec::new();
    for title in ["Reviewed", "Peer without feedback"] {
        let created = documents::create(
            &rooms,
            CreateDocument {
                group: None,
                title: Some(title.into()),
                markdown: Some(markdown(PARAGRAPHS)),
            },
            seed::DEMO_GROUP,
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
        ids.push(created.id);
    }
    let doc = ids[0].clone();
    let (outline, _) = rooms.outline(&doc).await?;
    let paragraphs: Vec<String> = outline
        .paragraphs
        .iter()
        .filter(|p| p.kind != domain::api::ParagraphKind::Heading)
        .map(|p| p.id.clone())
        .collect();
    let hash = auth::hash_password(seed::DEMO_PASSWORD).map_err(|e| anyhow!("{e}"))?;
    let pool = store.pool_for_tests();
    let mut tx = pool.begin().await?;
    let mut rng = Lcg(7);
    let tokens = participants(&mut tx, "abench", ACCOUNTS, &hash, &mut rng).await?;
    let stances = ["support", "support", "support", "can-live-with", "oppose"];
    let mut written = std::collections::HashSet::new();
    while written.len() < STANCES {
        let (a, p) = (rng.next(ACCOUNTS), rng.next(paragraphs.len()));
        if !written.insert((a, p)) {
            continue;
        }
        let stance = stances[rng.next(stances.len())];
        let entry: i64 = sqlx::query_scalar(
            "INSERT INTO stance_history (document_id, paragraph_id, account_id, stance, reason, created_at)
             VALUES ($1, $2, $3, $4, $5, 0) RETURNING id",
        )
        .bind(&doc)
        .bind(&paragraphs[p])
        .bind(format!("abench{a:05}"))
        .bind(stance)
        .bind((stance == "oppose").then_some("Too vague."))
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO stances (document_id, paragraph_id, account_id, entry_id) VALUES ($1, $2, $3, $4)",
        )
        .bind(&doc)
        .bind(&paragraphs[p])
        .bind(format!("abench{a:05}"))
        .bind(entry)
        .execute(&mut *tx)
        .await?;
    }
    for c in 0..COMMENTS {
        let p = rng.next(paragraphs.len());
        sqlx::query(
            "INSERT INTO comments (document_id, paragraph_id, author_id, body, created_at, hidden_reason)
             VALUES ($1, $2, $3, $4, 0, $5)",
        )
        .bind(&doc)
        .bind(&paragraphs[p])
        .bind(format!("abench{:05}", rng.next(ACCOUNTS)))
        .bind(format!("Comment {c}: please say who publishes the record, and when."))
        .bind((c % 20 == 0).then_some("Off topic."))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok((doc, ids[1].clone(), tokens))
}

/// `n` participants of the demo group (ids `{prefix}00000`…, in stakeholder groups and regions
/// drawn from `rng`), each with a session that does not expire; returns their session tokens.
pub(super) async fn participants(
    tx: &mut sqlx::AnyConnection,
    prefix: &str,
    n: usize,
    password_hash: &str,
    rng: &mut Lcg,
) -> Result<Vec<String>> {
    let groups = profile::StakeholderGroup::ALL;
    let regions = profile::Region::ALL;
    let mut tokens = Vec::with_capacity(n);
    for a in 0..n {
        let id = format!("{prefix}{a:05}");
        sqlx::query(
            "INSERT INTO accounts (id, login, password_hash, display_name, affiliation,
             stakeholder_group, region, is_admin) VALUES ($1, $2, $3, $4, 'Bench', $5, $6, 0)",
        )
        .bind(&id)
        .bind(format!("{prefix}{a}@example.org"))
        .bind(password_hash)
        .bind(format!("Reviewer {a}"))
        .bind(groups[rng.next(groups.len())].key())
        .bind(regions[rng.next(regions.len())].key())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO memberships (group_id, account_id, role) VALUES ($1, $2, 'participant')",
        )
        .bind(seed::DEMO_GROUP)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
        tokens.push(session(&mut *tx, &id).await?);
    }
    Ok(tokens)
}

/// A session for `account` that does not expire; returns its token.
pub(super) async fn session(tx: &mut sqlx::AnyConnection, account: &str) -> Result<String> {
    let token = auth::new_token();
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, created_at, last_seen) VALUES ($1, $2, $3, $4)",
    )
    .bind(auth::token_hash(&token))
    .bind(account)
    .bind(i64::MAX / 4)
    .bind(i64::MAX / 4)
    .execute(&mut *tx)
    .await?;
    Ok(token)
}

/// Minimal HTTP/1.1 over one kept-alive connection.
pub(super) struct Http {
    stream: BufReader<TcpStream>,
}

impl Http {
    pub(super) async fn connect(addr: &str) -> Result<Self> {
        let tcp = TcpStream::connect(addr).await?;
        tcp.set_nodelay(true)?;
        Ok(Self {
            stream: BufReader::new(tcp),
        })
    }

    /// Sends a request; returns the status and the body as sent (still compressed if it was).
    pub(super) async fn call(&mut self, head: &str, body: &str) -> Result<(u16, Vec<u8>)> {
        let req = format!("{head}Content-Length: {}\r\n\r\n{body}", body.len());
        self.stream.get_mut().write_all(req.as_bytes()).await?;
        let mut line = String::new();
        self.stream.read_line(&mut line).await?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| anyhow!("bad status line {line:?}"))?;
        let (mut length, mut chunked) = (None, false);
        loop {
            line.clear();
            self.stream.read_line(&mut line).await?;
            let l = line.trim_end().to_ascii_lowercase();
            if l.is_empty() {
                break;
            }
            if let Some(v) = l.strip_prefix("content-length:") {
                length = v.trim().parse::<usize>().ok();
            }
            if l.starts_with("transfer-encoding:") && l.contains("chunked") {
                chunked = true;
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.stream.read_line(&mut line).await?;
                let size = usize::from_str_radix(line.trim(), 16)?;
                let mut chunk = vec![0; size + 2];
                self.stream.read_exact(&mut chunk).await?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else if let Some(n) = length {
            body.resize(n, 0);
            self.stream.read_exact(&mut body).await?;
        }
        Ok((status, body))
    }
}

pub(super) fn get(addr: &str, path: &str, gzip: bool) -> String {
    let enc = if gzip {
        "Accept-Encoding: gzip\r\n"
    } else {
        ""
    };
    format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{enc}")
}

/// Median and 95th percentile of `n` timed GETs (after 3 untimed), and the last body's size.
pub(super) async fn time_get(
    addr: &str,
    path: &str,
    gzip: bool,
    n: usize,
) -> Result<(Duration, Duration, usize)> {
    let mut http = Http::connect(addr).await?;
    let mut times = Vec::new();
    let mut size = 0;
    for i in 0..n + 3 {
        let t = Instant::now();
        let (status, body) = http.call(&get(addr, path, gzip), "").await?;
        if status != 200 {
            bail!("GET {path}: {status}");
        }
        if i >= 3 {
            times.push(t.elapsed());
        }
        size = body.len();
    }
    let p95 = percentile(&mut times.clone(), 0.95).unwrap_or_default();
    Ok((median(times), p95, size))
}

/// Bare durable commits: one row per transaction, `synchronous=FULL` in WAL mode, as the store
/// does; the floor any durable write pays on this disk.
async fn raw_commits(dir: &Path, window: Duration) -> Result<f64> {
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
    let options = SqliteConnectOptions::new()
        .filename(dir.join("peer.db"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full);
    let pool = sqlx::SqlitePool::connect_with(options).await?;
    sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        .execute(&pool)
        .await?;
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < window {
        sqlx::query("INSERT INTO t (v) VALUES ('support')")
            .execute(&pool)
            .await?;
        n += 1;
    }
    Ok(n as f64 / start.elapsed().as_secs_f64())
}

/// Offers `rate` stance changes per second for `window`, spread over every session, each on its
/// own connection and (through a trusted proxy header) its own address. Latency is measured
/// from when each request was due, so a slow server cannot hide its queue.
async fn stance_load(
    addr: &str,
    doc: &str,
    paragraphs: &[String],
    tokens: &[String],
    rate: usize,
    window: Duration,
) -> Result<(usize, usize, Vec<Duration>)> {
    let clients = tokens.len().min(rate);
    let per_client = rate as f64 / clients as f64;
    let period = Duration::from_secs_f64(1.0 / per_client);
    // Every client connects and sends one untimed request first; the clock starts when all
    // have, so that the figures are of the steady state, not of 200 connections opening at once.
    let ready = std::sync::Arc::new(tokio::sync::Barrier::new(clients + 1));
    let (start_tx, start_rx) = tokio::sync::watch::channel(Instant::now());
    let mut tasks = Vec::new();
    for (c, token) in tokens.iter().take(clients).enumerate() {
        let (addr, doc, token) = (addr.to_string(), doc.to_string(), token.clone());
        let paragraphs = paragraphs.to_vec();
        let (ready, mut start_rx) = (ready.clone(), start_rx.clone());
        tasks.push(tokio::spawn(async move {
            let mut http = Http::connect(&addr).await?;
            let head = |p: &str| {
                format!(
                    "PUT /api/v1/documents/{doc}/paragraphs/{p}/stance HTTP/1.1\r\nHost: {addr}\r\n\
                     Origin: http://{addr}\r\nCookie: {}={token}\r\nX-Forwarded-For: 10.1.{}.{}\r\n\
                     Content-Type: application/json\r\n",
                    auth::SESSION_COOKIE,
                    c / 250,
                    c % 250
                )
            };
            let warm = head(&paragraphs[(c * 7 + 1) % paragraphs.len()]);
            http.call(&warm, r#"{"stance":"support"}"#).await?;
            ready.wait().await;
            start_rx.changed().await?;
            let start = *start_rx.borrow();
            let mut out = (0usize, 0usize, Vec::new());
            let offset = period.mul_f64(c as f64 / clients as f64);
            let mut k = 0u32;
            loop {
                let due = start + offset + period * k;
                if due > start + window {
                    break;
                }
                tokio::time::sleep_until(due.into()).await;
                let p = &paragraphs[(c * 7 + k as usize) % paragraphs.len()];
                // Alternate, so that every request is a real change to store.
                let body = if k.is_multiple_of(2) {
                    r#"{"stance":"support"}"#
                } else {
                    r#"{"stance":"can-live-with","reason":"Acceptable."}"#
                };
                let (status, _) = http.call(&head(p), body).await?;
                out.2.push(due.elapsed());

                if status == 200 {
                    out.0 += 1;
                } else {
                    out.1 += 1;
                }
                k += 1;
            }
            anyhow::Ok(out)
        }));
    }
    ready.wait().await;
    start_tx.send(Instant::now() + Duration::from_millis(100))?;
    let (mut ok, mut refused, mut latencies) = (0, 0, Vec::new());
    for t in tasks {
        let (o, r, l) = t.await??;
        ok += o;
        refused += r;
        latencies.extend(l);
    }
    Ok((ok, refused, latencies))
}

/// The pages in Chromium (when the browser tests' tools are installed): time until the text is
/// shown and until the editor is live, and the longest main-thread task, against the peer page.
fn browser_load(addr: &str, doc: &str, peer_doc: &str) {
    let urls = [doc, peer_doc].map(|d| format!("http://{addr}/documents/{d}"));
    let Some(runs) = super::node_script("page-load.mjs", &urls, "Browser load") else {
        return;
    };
    let [page, peer] = [&runs.first(), &runs.get(1)].map(|r| r.cloned().unwrap_or_default());
    let n = |v: &serde_json::Value, k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    println!("| in Chromium (median of 3 loads) | text shown ms | editor live ms | longest main-thread task ms | total blocking ms |");
    println!("|---|---|---|---|---|");
    for (name, v) in [
        ("document with feedback", &page),
        ("peer: same text without feedback", &peer),
    ] {
        println!(
            "| {name} | {:.0} | {:.0} | {:.0} | {:.0} |",
            n(v, "shown"),
            n(v, "live"),
            n(v, "longest"),
            n(v, "blocking")
        );
    }
    println!();
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

pub fn run() -> Result<()> {
    let rt = super::runtime()?;
    rt.block_on(async {
        let dir = std::env::temp_dir().join(format!("accord-bench-fb-{}", std::process::id()));
        let _cleanup = super::tempdir::Dir(dir.clone());
        let t = Instant::now();
        let (doc, peer_doc, tokens) = build(&dir).await?;
        println!("## (c) Feedback at scale: {PARAGRAPHS} paragraphs, {STANCES} stances and {COMMENTS} comments by {ACCOUNTS} participants");
        println!("Built in {:.1} s.", t.elapsed().as_secs_f64());
        println!();

        // Aggregation, in-process on the same file, against reading its facts.
        let store = Store::open(&dir).await?;
        let rooms = Rooms::new(store.clone());
        let (outline, _) = rooms.outline(&doc).await?;
        let ids: Vec<&str> = outline.paragraphs.iter().map(|p| p.id.as_str()).collect();
        let (mut reads, mut aggs) = (Vec::new(), Vec::new());
        for _ in 0..20 {
            store.forget_facts(None);
            let t = Instant::now();
            let facts = store.feedback_facts(&doc, None).await?;
            reads.push(t.elapsed());
            let (stances, comments) = &*facts;
            let t = Instant::now();
            let figures = consensus::consensus(ids.iter().copied(), stances, comments);
            let balance = consensus::balance(stances, comments);
            aggs.push(t.elapsed());
            std::hint::black_box((figures, balance));
        }
        let paragraph_ids: Vec<String> = outline
            .paragraphs
            .iter()
            .filter(|p| p.kind != domain::api::ParagraphKind::Heading)
            .map(|p| p.id.clone())
            .collect();
        drop(rooms);
        store.pool_for_tests().close().await;
        let (read, agg) = (median(reads), median(aggs));

        let server = ServerProcess::start_in(&dir, &[("ACCORD_TRUST_PROXY", "1")]).await?;
        let addr = server.addr.clone();
        let page = time_get(&addr, &format!("/documents/{doc}"), false, 20).await?;
        let page_gz = time_get(&addr, &format!("/documents/{doc}"), true, 5).await?;
        let peer = time_get(&addr, &format!("/documents/{peer_doc}"), false, 20).await?;
        let peer_gz = time_get(&addr, &format!("/documents/{peer_doc}"), true, 5).await?;
        let map = time_get(&addr, &format!("/documents/{doc}/consensus"), false, 10).await?;
        let map_gz = time_get(&addr, &format!("/documents/{doc}/consensus"), true, 3).await?;
        let api = time_get(&addr, &format!("/api/v1/documents/{doc}/feedback"), false, 20).await?;

        println!("| what | median ms | p95 ms | size | peer | ratio |");
        println!("|---|---|---|---|---|---|");
        println!(
            "| document page, server render | {} | {} | {:.0} KB ({:.0} KB gzipped) | same text without feedback: {} ms, {:.0} KB gzipped | {:.2}× |",
            ms(page.0), ms(page.1), page.2 as f64 / 1024.0, page_gz.2 as f64 / 1024.0,
            ms(peer.0), peer_gz.2 as f64 / 1024.0, page.0.as_secs_f64() / peer.0.as_secs_f64()
        );
        println!(
            "| consensus map page, server render | {} | {} | {:.0} KB ({:.0} KB gzipped) | document page: {} ms | {:.2}× |",
            ms(map.0), ms(map.1), map.2 as f64 / 1024.0, map_gz.2 as f64 / 1024.0,
            ms(page.0), map.0.as_secs_f64() / page.0.as_secs_f64()
        );
        println!(
            "| aggregation (figures of every paragraph + balance) | {} | | | reading its facts from SQLite: {} ms | {:.2}× |",
            ms(agg), ms(read), agg.as_secs_f64() / read.as_secs_f64()
        );
        println!(
            "| `GET /api/v1/documents/{{id}}/feedback` | {} | {} | {:.0} KB | | |",
            ms(api.0), ms(api.1), api.2 as f64 / 1024.0
        );
        println!();
        browser_load(&addr, &doc, &peer_doc);

        let peer_rate = raw_commits(&dir, Duration::from_secs(2)).await?;
        let window = Duration::from_secs(10);
        println!("| offered stances/s | accepted/s | refused | p50 ms | p99 ms | server CPU | driver CPU | peer: bare durable commits/s | accepted ÷ peer |");
        println!("|---|---|---|---|---|---|---|---|---|");
        for rate in [250, 500, 1000] {
            let (server0, driver0) = (cpu_seconds(server.pid()), cpu_seconds(std::process::id()));
            let t = Instant::now();
            let (ok, refused, mut lat) =
                stance_load(&addr, &doc, &paragraph_ids, &tokens, rate, window).await?;
            let secs = t.elapsed().as_secs_f64();
            let server_cpu = (cpu_seconds(server.pid()) - server0) / secs;
            let driver_cpu = (cpu_seconds(std::process::id()) - driver0) / secs;
            let accepted = ok as f64 / window.as_secs_f64();
            println!(
                "| {rate} | {accepted:.0} | {refused} | {} | {} | {:.0}% | {:.0}% | {peer_rate:.0} | {:.2}× |",
                ms(percentile(&mut lat, 0.5).unwrap_or_default()),
                ms(percentile(&mut lat, 0.99).unwrap_or_default()),
                server_cpu * 100.0,
                driver_cpu * 100.0,
                accepted / peer_rate
            );
        }
        drop(server);
        // Durability: what was acknowledged is in the file after the server is gone.
        let store = Store::open(&dir).await?;
        let entries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stance_history")
            .fetch_one(store.pool_for_tests())
            .await?;
        println!();
        println!("Stance entries in the file after the server stopped: {entries} ({STANCES} seeded, plus those accepted above and one warm-up request per client and round).");
        anyhow::Ok(())
    })
}
