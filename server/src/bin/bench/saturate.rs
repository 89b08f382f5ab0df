//! `saturate [OFFERED NORMAL]`: drives the server past what it can serve, then back to a load it
//! can, and checks what must hold whatever the load. Not timed: it fails (exit status 1) when
//! a check fails, and prints the figures either way.
//!
//! OFFERED typists (400 by default) type into one paragraph for 30 s; then all but NORMAL (50)
//! stop and those type on for 15 s. Typists and the two full observers whose connections the
//! server closes (`overloaded`, or broken) reconnect and go on; ten more full peers stop
//! reading for the 30 s, then read on. Then:
//! - the server's memory stayed under [`CEILING_MB`] at every sample (10 a second);
//! - the observers, stalled ones included, converged on what a fresh peer is given;
//! - every keystroke any typist sent is in the document (typists left disconnected at the end
//!   reconnect once, as the app does, so what they typed offline arrives too);
//! - after `kill -9` and a restart on the same data folder, a fresh peer is given the same
//!   document: nothing the server acknowledged was lost.

use std::{
    collections::BTreeSet,
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use anyhow::{anyhow, bail, Result};
use automerge::{
    sync::{self, SyncDoc},
    AutoCommit, ChangeHash,
};
use futures::StreamExt;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use super::{
    connect_editors, cpu_seconds, document, handshake, new_document, phase, rss_kb, runtime,
    type_until, Ended, Layout, ServerProcess, Shared, Typist, Ws,
};

/// The server's memory may not pass this, whatever the offered load.
const CEILING_MB: u64 = 256;
/// How long the offered load lasts.
const OVERLOAD: Duration = Duration::from_secs(30);
/// How long the normal load lasts after it.
const AFTER: Duration = Duration::from_secs(15);
/// Full peers reading throughout, and full peers that stop reading during the overload.
const OBSERVERS: usize = 2;
const STALLED: usize = 10;
/// How long the document may take to settle once the typing stopped.
const SETTLE: Duration = Duration::from_secs(60);

/// Connections closed by the server and connections opened again, across all peers.
#[derive(Default)]
struct Counts {
    overloaded: AtomicUsize,
    other_closes: AtomicUsize,
    reconnects: AtomicUsize,
}

impl Counts {
    fn closed(&self, how: &str) {
        if how == "Overloaded" {
            self.overloaded.fetch_add(1, Ordering::Relaxed);
        } else {
            self.other_closes.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Connects `doc` (again) until it succeeds or `until` passes.
async fn reconnect(
    url: &str,
    cookie: &str,
    doc: &mut AutoCommit,
    until: Instant,
) -> Option<(Ws, sync::State)> {
    while Instant::now() < until {
        match handshake(url, cookie, doc).await {
            Ok(connected) => return Some(connected),
            Err(_) => tokio::time::sleep(Duration::from_millis(500)).await,
        }
    }
    None
}

/// A typist that reconnects whenever its connection is closed, until `until`. Returns its
/// state and, when it ended connected, the connection (kept open until the checks are done,
/// so that the server reads everything it sent).
async fn typist(
    url: String,
    cookie: String,
    ws: Ws,
    mut t: Typist,
    until: Instant,
    shared: Arc<Mutex<Shared>>,
    counts: Arc<Counts>,
) -> Result<(Typist, Option<Ws>)> {
    let mut ws = ws;
    loop {
        let (next, _) = match type_until(ws, &mut t, until, &shared).await? {
            Ended::Done(ws) => return Ok((t, Some(*ws))),
            Ended::Closed(how) => {
                counts.closed(&how);
                match reconnect(&url, &cookie, &mut t.doc, until).await {
                    Some(connected) => {
                        counts.reconnects.fetch_add(1, Ordering::Relaxed);
                        connected
                    }
                    None => return Ok((t, None)),
                }
            }
        };
        t.next = t.next.max(Instant::now());
        ws = next;
    }
}

/// A full peer that applies everything until `until`, reconnecting whenever it is closed, and
/// publishes its heads after each message. A stalled one stops reading for the overload, as a
/// phone in a tunnel does, then reads on.
async fn observer(
    url: String,
    cookie: String,
    mut doc: AutoCommit,
    stalled_until: Option<Instant>,
    until: Instant,
    heads: Arc<Mutex<Vec<ChangeHash>>>,
    counts: Arc<Counts>,
) -> Result<()> {
    let mut first = true;
    'connections: while let Some((mut ws, mut state)) =
        reconnect(&url, &cookie, &mut doc, until).await
    {
        if !std::mem::take(&mut first) {
            counts.reconnects.fetch_add(1, Ordering::Relaxed);
        } else if let Some(stalled) = stalled_until {
            tokio::time::sleep_until(stalled.into()).await;
        }
        while Instant::now() < until {
            let Ok(frame) = tokio::time::timeout(Duration::from_millis(200), ws.next()).await
            else {
                continue;
            };
            let closed = match frame {
                Some(Ok(WsMessage::Binary(b))) => {
                    doc.sync()
                        .receive_sync_message(&mut state, sync::Message::decode(&b)?)?;
                    *heads.lock().map_err(|_| anyhow!("poisoned"))? = doc.get_heads();
                    match doc.sync().generate_sync_message(&mut state) {
                        Some(reply) => futures::SinkExt::send(
                            &mut ws,
                            WsMessage::Binary(reply.encode().into()),
                        )
                        .await
                        .err()
                        .map(|e| e.to_string()),
                        None => None,
                    }
                }
                Some(Ok(WsMessage::Text(t))) => {
                    match serde_json::from_str::<domain::api::ServerFrame>(&t) {
                        Ok(domain::api::ServerFrame::Error { code, .. }) => {
                            Some(format!("{code:?}"))
                        }
                        _ => None,
                    }
                }
                Some(Ok(_)) => None,
                Some(Err(e)) => Some(e.to_string()),
                None => Some("closed".into()),
            };
            if let Some(how) = closed {
                counts.closed(&how);
                continue 'connections;
            }
        }
        return Ok(());
    }
    Ok(())
}

/// What a fresh peer is given by the server now.
async fn fresh_heads(url: &str, cookie: &str) -> Result<(Vec<ChangeHash>, AutoCommit)> {
    let mut doc = document::empty_doc();
    handshake(url, cookie, &mut doc).await?;
    Ok((doc.get_heads(), doc))
}

pub fn run(args: &[String]) -> Result<()> {
    let offered: usize = args.first().map(|a| a.parse()).transpose()?.unwrap_or(400);
    let normal: usize = args.get(1).map(|a| a.parse()).transpose()?.unwrap_or(50);
    runtime()?.block_on(saturate(offered, normal.min(offered)))
}

async fn saturate(offered: usize, normal: usize) -> Result<()> {
    let layout = Layout::OneParagraph;
    let mut server = ServerProcess::start_with(&[]).await?;
    let (url, cookie) = new_document(&server, &layout.markdown(offered)).await?;
    let (_, mut base) = fresh_heads(&url, &cookie).await?;
    let ids: Vec<String> = document::read(&base)?
        .paragraphs
        .into_iter()
        .map(|p| p.id)
        .collect();
    let editors = connect_editors(&url, &cookie, &mut base, offered).await?;
    let (pid, addr) = (server.pid(), server.addr.clone());

    // Memory, ten times a second, until the end.
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let start = Instant::now();
            let mut samples = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                samples.push((start.elapsed(), rss_kb(pid)));
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            samples
        })
    };

    let start = Instant::now();
    let (overload_end, typing_end) = (start + OVERLOAD, start + OVERLOAD + AFTER);
    let settle_end = typing_end + SETTLE;
    let counts = Arc::new(Counts::default());
    let shared = Arc::new(Mutex::new(Shared::default()));
    let observed: Vec<Arc<Mutex<Vec<ChangeHash>>>> = (0..OBSERVERS + STALLED)
        .map(|_| Arc::new(Mutex::new(Vec::new())))
        .collect();
    let observers: Vec<_> = observed
        .iter()
        .enumerate()
        .map(|(i, heads)| {
            tokio::spawn(observer(
                url.clone(),
                cookie.clone(),
                base.fork(),
                (i >= OBSERVERS).then_some(overload_end),
                settle_end,
                heads.clone(),
                counts.clone(),
            ))
        })
        .collect();
    let cpu0 = cpu_seconds(pid);
    let typists: Vec<_> = editors
        .into_iter()
        .map(|(i, ws, doc)| {
            let (paragraph, pos) = layout.place(i, offered, &ids);
            let t = Typist {
                doc,
                paragraph,
                pos,
                next: Instant::now() + phase(i, offered),
            };
            let until = if i < normal { typing_end } else { overload_end };
            tokio::spawn(typist(
                url.clone(),
                cookie.clone(),
                ws,
                t,
                until,
                shared.clone(),
                counts.clone(),
            ))
        })
        .collect();
    let mut kept = Vec::new();
    let mut left_disconnected = Vec::new();
    for t in typists {
        match t.await?? {
            (t, Some(ws)) => kept.push((t, ws)),
            (t, None) => left_disconnected.push(t),
        }
    }
    let cpu_typing = (cpu_seconds(pid) - cpu0) / start.elapsed().as_secs_f64();
    // What a typist typed while disconnected arrives when it connects again, as in the app.
    let late: Vec<_> = left_disconnected
        .into_iter()
        .map(|mut t| {
            let (url, cookie, counts) = (url.clone(), cookie.clone(), counts.clone());
            tokio::spawn(async move {
                let ws = reconnect(&url, &cookie, &mut t.doc, settle_end).await;
                if ws.is_some() {
                    counts.reconnects.fetch_add(1, Ordering::Relaxed);
                }
                ws
            })
        })
        .collect();
    let mut reconnected = Vec::new();
    for l in late {
        reconnected.push(l.await?);
    }

    // Settle: the observers and a fresh peer agree, and the fresh peer has every keystroke.
    let sent: BTreeSet<ChangeHash> = shared
        .lock()
        .map_err(|_| anyhow!("poisoned"))?
        .sent_at
        .keys()
        .copied()
        .collect();
    let mut failures = Vec::new();
    let (settled, final_heads, missing) = loop {
        // The observers agreeing among themselves is cheap to see; only then is a fresh peer
        // (a whole document's sync) asked.
        let first = observed[0].lock().map_err(|_| anyhow!("poisoned"))?.clone();
        let agreed = observed
            .iter()
            .all(|o| o.lock().map(|o| *o == first).unwrap_or(false));
        let late = Instant::now() >= settle_end;
        if agreed || late {
            let (heads, mut doc) = fresh_heads(&url, &cookie).await?;
            let missing = sent
                .iter()
                .filter(|h| doc.get_change_by_hash(h).is_none())
                .count();
            if (heads == first && missing == 0) || late {
                break (heads == first && agreed, heads, missing);
            }
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let settle_took = typing_end.elapsed();
    if !settled {
        failures.push(format!(
            "the observers had not converged on the server's document {:.0} s after the typing stopped",
            SETTLE.as_secs_f64()
        ));
    }
    if missing > 0 {
        failures.push(format!(
            "{missing} of {} keystrokes sent never reached the document",
            sent.len()
        ));
    }
    stop.store(true, Ordering::Relaxed);
    for o in observers {
        o.abort();
    }
    drop((kept, reconnected));

    // kill -9, restart on the same data, and ask again.
    let dir = server
        ._dir
        .take()
        .ok_or_else(|| anyhow!("the server has no data folder of its own"))?;
    drop(server);
    let restarted = ServerProcess::start_in(&dir.0, &[("ACCORD_DEMO_FEEDBACK", "0")]).await?;
    let url_after = url.replacen(&addr, &restarted.addr, 1);
    let (after_restart, _) = fresh_heads(&url_after, &cookie).await?;
    if after_restart != final_heads {
        failures.push(
            "after kill -9 and a restart, the document is not what the server had acknowledged"
                .into(),
        );
    }
    drop(restarted);
    drop(dir);

    let samples = sampler.await?;
    let peak = samples.iter().map(|(_, kb)| *kb).max().unwrap_or(0);
    if peak > CEILING_MB * 1024 {
        failures.push(format!(
            "the server's memory reached {:.0} MB, over the ceiling of {CEILING_MB} MB",
            peak as f64 / 1024.0
        ));
    }

    println!(
        "## Saturation: {offered} typists in one paragraph for {} s, then {normal} for {} s",
        OVERLOAD.as_secs(),
        AFTER.as_secs()
    );
    println!();
    println!("| figure | value |");
    println!("|---|---|");
    println!("| keystrokes sent | {} |", sent.len());
    println!("| server CPU while typing | {:.0}% |", cpu_typing * 100.0);
    println!(
        "| server RSS peak (ceiling {CEILING_MB} MB) | {:.1} MB |",
        peak as f64 / 1024.0
    );
    for at in [5u64, 15, 30, 40, 45] {
        if let Some((_, kb)) = samples.iter().find(|(t, _)| t.as_secs() >= at) {
            println!("| server RSS at {at} s | {:.1} MB |", *kb as f64 / 1024.0);
        }
    }
    println!(
        "| connections closed as overloaded | {} |",
        counts.overloaded.load(Ordering::Relaxed)
    );
    println!(
        "| connections closed otherwise | {} |",
        counts.other_closes.load(Ordering::Relaxed)
    );
    println!(
        "| reconnections | {} |",
        counts.reconnects.load(Ordering::Relaxed)
    );
    println!(
        "| settled (observers = fresh peer, every keystroke in) after the typing stopped | {} |",
        if settled && missing == 0 {
            format!("{:.1} s", settle_took.as_secs_f64())
        } else {
            "no".into()
        }
    );
    println!(
        "| same document after kill -9 and restart | {} |",
        if after_restart == final_heads {
            "yes"
        } else {
            "no"
        }
    );
    if failures.is_empty() {
        println!();
        println!("Every check held.");
        Ok(())
    } else {
        for f in &failures {
            eprintln!("FAILED: {f}");
        }
        bail!("{} check(s) failed", failures.len())
    }
}
