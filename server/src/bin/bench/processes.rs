//! `processes [N ...]`: N editors spread over 1, 2 and 3 server processes.
//!
//! Per N, four set-ups side by side: one process on SQLite (the embedded default, the peer the
//! others are read against), then one, two and three processes sharing one PostgreSQL database
//! (a throwaway cluster `./scripts/bench` starts; its address in `ACCORD_BENCH_POSTGRES`). The
//! workload is `load`'s: a document of 60 paragraphs, typist `i` at the start of paragraph
//! `i` mod 60, one keystroke a second each, typist `i` connected to process `i` mod P. Two full
//! observers, one on the first process and one on the last, time every keystroke from its
//! sending to its arrival; a keystroke typed through another process than the observer's has
//! crossed processes (stored by one, announced, read back and relayed by the other). Every
//! keystroke is stored before anyone is told of it, so keystrokes a second are durable writes
//! a second; on PostgreSQL the database's own count of commits is shown too. The CPU of the
//! servers and of the database's processes is read from `/proc`.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use anyhow::{anyhow, Context, Result};
use automerge::{sync, sync::SyncDoc, AutoCommit};
use futures::{SinkExt, StreamExt};
use sqlx::Connection;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use super::{
    connect_editors, cpu_seconds, handshake, ms, new_document, percentile, phase, rand_suffix,
    runtime, thin_editor, Layout, ServerProcess, Shared, Ws,
};

/// How many servers, on which database.
#[derive(Clone, Copy)]
struct Setup {
    processes: usize,
    postgres: bool,
}

const SETUPS: [Setup; 4] = [
    Setup {
        processes: 1,
        postgres: false,
    },
    Setup {
        processes: 1,
        postgres: true,
    },
    Setup {
        processes: 2,
        postgres: true,
    },
    Setup {
        processes: 3,
        postgres: true,
    },
];

/// What the observers measured: keystrokes typed through their own process, and through
/// another.
#[derive(Default)]
struct Arrivals {
    same: Vec<Duration>,
    across: Vec<Duration>,
}

/// The figures of one round.
struct Figures {
    p50: Option<Duration>,
    p99: Option<Duration>,
    across_p50: Option<Duration>,
    across_p99: Option<Duration>,
    keystrokes_per_second: f64,
    delivered: f64,
    servers_cpu: f64,
    database_cpu: f64,
    commits_per_second: Option<f64>,
    driver_cpu: f64,
    driver_limited: bool,
}

impl Figures {
    /// CPU (servers and database) per keystroke, in milliseconds.
    fn cpu_ms_per_keystroke(&self) -> f64 {
        (self.servers_cpu + self.database_cpu) * 1000.0 / self.keystrokes_per_second.max(1.0)
    }
}

/// A new database in the cluster at `cluster` (`postgres://user@host:port`); its address.
async fn new_database(cluster: &str) -> Result<String> {
    let name = format!("bench_{}_{}", std::process::id(), rand_suffix());
    let mut admin = sqlx::PgConnection::connect(&format!("{cluster}/postgres"))
        .await
        .context("the benchmark's PostgreSQL cluster")?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await?;
    Ok(format!("{cluster}/{name}"))
}

/// Transactions the database at `url` has committed so far.
async fn commits(url: &str) -> Result<i64> {
    let mut conn = sqlx::PgConnection::connect(url).await?;
    // Each backend reports its counts when idle for a moment; ask for a fresh snapshot.
    sqlx::query("SELECT pg_stat_clear_snapshot()")
        .execute(&mut conn)
        .await?;
    let (n,): (i64,) = sqlx::query_as(
        "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()",
    )
    .fetch_one(&mut conn)
    .await?;
    Ok(n)
}

/// CPU seconds used so far by every PostgreSQL process on this machine (the benchmark's
/// cluster is the only one it runs).
fn postgres_cpu() -> f64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|c| c.trim() == "postgres")
        })
        .map(cpu_seconds)
        .sum()
}

/// A full peer on process `here` that applies everything and files each keystroke's time
/// under the process it was typed through (`typed`, one per process).
async fn observer(
    mut ws: Ws,
    mut doc: AutoCommit,
    mut state: sync::State,
    until: Instant,
    here: usize,
    typed: Vec<Arc<Mutex<Shared>>>,
    arrivals: Arc<Mutex<Arrivals>>,
) -> Result<()> {
    while Instant::now() < until {
        let Ok(frame) = tokio::time::timeout(Duration::from_millis(200), ws.next()).await else {
            continue;
        };
        let frame = frame.ok_or_else(|| anyhow!("the server closed an observer"))??;
        let WsMessage::Binary(b) = frame else {
            continue;
        };
        let arrived = Instant::now();
        let before = doc.get_heads();
        doc.sync()
            .receive_sync_message(&mut state, sync::Message::decode(&b)?)?;
        for change in doc.get_changes(&before) {
            for (k, shared) in typed.iter().enumerate() {
                let s = shared.lock().map_err(|_| anyhow!("poisoned"))?;
                if !s.measuring {
                    break;
                }
                if let Some(sent) = s.sent_at.get(&change.hash()) {
                    let mut a = arrivals.lock().map_err(|_| anyhow!("poisoned"))?;
                    let into = if k == here {
                        &mut a.same
                    } else {
                        &mut a.across
                    };
                    into.push(arrived - *sent);
                    break;
                }
            }
        }
        if let Some(reply) = doc.sync().generate_sync_message(&mut state) {
            ws.send(WsMessage::Binary(reply.encode().into())).await?;
        }
    }
    Ok(())
}

/// One round: `n` typists over `setup`'s processes, `warmup` then `window` measured.
async fn round(
    n: usize,
    setup: Setup,
    cluster: &str,
    warmup: Duration,
    window: Duration,
) -> Result<Figures> {
    let database = match setup.postgres {
        true => Some(new_database(cluster).await?),
        false => None,
    };
    let mut env = Vec::new();
    if let Some(url) = &database {
        env.push(("ACCORD_DATABASE_URL", url.as_str()));
    }
    // The first seeds the database; the others find it seeded.
    let mut servers = vec![ServerProcess::start_with(&env).await?];
    for _ in 1..setup.processes {
        servers.push(ServerProcess::start_with(&env).await?);
    }
    let layout = Layout::Sixty;
    let (first_url, cookie) = new_document(&servers[0], &layout.markdown(n)).await?;
    let doc_id = first_url
        .rsplit('/')
        .nth(1)
        .ok_or_else(|| anyhow!("no document in {first_url}"))?
        .to_string();
    let sync_url = |k: usize| format!("ws://{}/api/v1/documents/{doc_id}/sync", servers[k].addr);

    let p = setup.processes;
    let mut base = domain::document::empty_doc();
    let (ws0, st0) = handshake(&sync_url(0), &cookie, &mut base).await?;
    let mut second = base.fork();
    let (ws1, st1) = handshake(&sync_url(p - 1), &cookie, &mut second).await?;
    let ids: Vec<String> = domain::document::read(&base)?
        .paragraphs
        .into_iter()
        .map(|p| p.id)
        .collect();

    let mut editors = Vec::new();
    for k in 0..p {
        let count = (k..n).step_by(p).count();
        for (j, ws, doc) in connect_editors(&sync_url(k), &cookie, &mut base, count).await? {
            editors.push((j * p + k, k, ws, doc));
        }
    }
    let typed: Vec<Arc<Mutex<Shared>>> = (0..p).map(|_| Default::default()).collect();
    let arrivals = Arc::new(Mutex::new(Arrivals::default()));
    let until = Instant::now() + warmup + window;
    let mut tasks = Vec::new();
    for (i, k, ws, doc) in editors {
        let (paragraph, pos) = layout.place(i, n, &ids);
        tasks.push(tokio::spawn(thin_editor(
            ws,
            doc,
            paragraph,
            pos,
            phase(i, n),
            until,
            typed[k].clone(),
        )));
    }
    for (here, (ws, doc, st)) in [(0, (ws0, base, st0)), (p - 1, (ws1, second, st1))] {
        tasks.push(tokio::spawn(observer(
            ws,
            doc,
            st,
            until,
            here,
            typed.clone(),
            arrivals.clone(),
        )));
    }

    let pids: Vec<u32> = servers.iter().map(ServerProcess::pid).collect();
    let servers_cpu = || pids.iter().copied().map(cpu_seconds).sum::<f64>();
    tokio::time::sleep(warmup).await;
    let commits0 = match &database {
        Some(url) => Some(commits(url).await?),
        None => None,
    };
    let (cpu0, db0, self0) = (
        servers_cpu(),
        postgres_cpu(),
        cpu_seconds(std::process::id()),
    );
    let t0 = Instant::now();
    for shared in &typed {
        shared.lock().map_err(|_| anyhow!("poisoned"))?.measuring = true;
    }
    tokio::time::sleep(window).await;
    for shared in &typed {
        shared.lock().map_err(|_| anyhow!("poisoned"))?.measuring = false;
    }
    let seconds = t0.elapsed().as_secs_f64();
    let (cpu1, db1, self1) = (
        servers_cpu(),
        postgres_cpu(),
        cpu_seconds(std::process::id()),
    );
    let commits1 = match &database {
        Some(url) => Some(commits(url).await?),
        None => None,
    };
    for t in tasks {
        t.await??;
    }

    let mut sent = 0;
    let mut lag = Vec::new();
    for shared in &typed {
        let mut s = shared.lock().map_err(|_| anyhow!("poisoned"))?;
        sent += s.sent;
        lag.append(&mut s.schedule_lag);
    }
    let mut a = arrivals.lock().map_err(|_| anyhow!("poisoned"))?;
    let mut all: Vec<Duration> = a.same.iter().chain(&a.across).copied().collect();
    let keystrokes_per_second = sent as f64 / seconds;
    Ok(Figures {
        p50: percentile(&mut all, 0.5),
        p99: percentile(&mut all, 0.99),
        across_p50: percentile(&mut a.across, 0.5),
        across_p99: percentile(&mut a.across, 0.99),
        keystrokes_per_second,
        delivered: all.len() as f64 / (2.0 * sent.max(1) as f64),
        servers_cpu: (cpu1 - cpu0) / seconds,
        database_cpu: if setup.postgres {
            (db1 - db0) / seconds
        } else {
            0.0
        },
        commits_per_second: commits0
            .zip(commits1)
            .map(|(a, b)| (b - a) as f64 / seconds),
        driver_cpu: (self1 - self0) / seconds,
        driver_limited: percentile(&mut lag, 0.99).unwrap_or_default() > Duration::from_millis(50),
    })
}

pub fn run(args: &[String]) -> Result<()> {
    let ns: Vec<usize> = if args.is_empty() {
        vec![100, 200]
    } else {
        args.iter().map(|a| a.parse()).collect::<Result<_, _>>()?
    };
    let cluster = std::env::var("ACCORD_BENCH_POSTGRES").map_err(|_| {
        anyhow!("ACCORD_BENCH_POSTGRES is unset: run this through ./scripts/bench, which starts a PostgreSQL cluster")
    })?;
    let rt = runtime()?;
    let (warmup, window) = (Duration::from_secs(3), Duration::from_secs(15));
    println!("## Several processes: N editors over 1, 2 and 3 servers");
    println!("`load`'s workload (60 paragraphs, one keystroke per second per typist), typist i on process i mod P; 2 full observers (first and last process); {}-s window after {}-s warm-up. \"Across\": keystrokes typed through another process than the observer's. CPU in % of one core; the ratio is CPU per keystroke (servers + database) against one process on SQLite in the same run.", window.as_secs(), warmup.as_secs());
    println!();
    println!("| N | processes | database | p50 ms | p99 ms | across p50 | across p99 | stored/s | delivered | servers CPU | database CPU | commits/s | CPU ms per keystroke | vs 1 × SQLite | driver CPU | driver-limited |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for n in ns {
        let mut peer: Option<f64> = None;
        for setup in SETUPS {
            let f = rt.block_on(round(n, setup, &cluster, warmup, window))?;
            let per_keystroke = f.cpu_ms_per_keystroke();
            let peer = *peer.get_or_insert(per_keystroke);
            println!(
                "| {n} | {} | {} | {} | {} | {} | {} | {:.0} | {:.1}% | {:.0}% | {} | {} | {:.2} | {:.2}× | {:.0}% | {} |",
                setup.processes,
                if setup.postgres { "PostgreSQL" } else { "SQLite" },
                ms(f.p50),
                ms(f.p99),
                ms(f.across_p50),
                ms(f.across_p99),
                f.keystrokes_per_second,
                f.delivered * 100.0,
                f.servers_cpu * 100.0,
                if setup.postgres { format!("{:.0}%", f.database_cpu * 100.0) } else { "(in process)".into() },
                f.commits_per_second.map_or("–".into(), |c| format!("{c:.0}")),
                per_keystroke,
                per_keystroke / peer.max(f64::MIN_POSITIVE),
                f.driver_cpu * 100.0,
                if f.driver_limited { "yes" } else { "no" },
            );
        }
    }
    Ok(())
}
