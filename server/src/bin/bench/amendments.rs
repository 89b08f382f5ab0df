//! (d) Amendments: 40 open amendments on the sample draft, each listed with its word diffs and
//! whether it still applies (which means looking at the history at the amendment's base).
//!
//! Builds the installation in-process (the sample draft, participants and a chair with
//! sessions), starts the real server binary on it, proposes the amendments over HTTP, and
//! measures, each beside a peer in the same server: the list while the text stands still (each
//! amendment's inspection cached) and as the first request after a restart (every amendment
//! inspected), against reading the document; a chair's accept (claim, merge through the room,
//! stored, recorded) against the same chair posting a comment.

use std::{path::Path, time::Instant};

use accord_core::{auth, rooms::Rooms, seed, store::Store};
use anyhow::{anyhow, bail, Result};

use super::{
    feedback::{get, participants, session, time_get, Http, Lcg},
    median, ms, ServerProcess,
};

const AMENDMENTS: usize = 40;
const ACCEPTS: usize = 10;

/// The installation: the seeded sample draft, a participant per amendment and the chair, each
/// with a session. Returns (document, participants' tokens, the chair's token).
async fn build(dir: &Path) -> Result<(String, Vec<String>, String)> {
    let store = Store::open(dir).await?;
    let rooms = Rooms::new(store.clone());
    seed::seed_if_empty(&rooms)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let doc = store
        .list_documents()
        .await?
        .pop()
        .ok_or_else(|| anyhow!("no sample document"))?
        .id;
    let hash = auth::hash_password(seed::DEMO_PASSWORD).map_err(|e| anyhow!("{e}"))?;
    let mut tx = store.pool_for_tests().begin().await?;
    let tokens = participants(&mut tx, "aamend", AMENDMENTS, &hash, &mut Lcg(11)).await?;
    let chair: String =
        sqlx::query_scalar("SELECT id FROM accounts WHERE login = 'chair@example.org'")
            .fetch_one(&mut *tx)
            .await?;
    let chair_token = session(&mut tx, &chair).await?;
    tx.commit().await?;
    drop(rooms);
    store.pool_for_tests().close().await;
    Ok((doc, tokens, chair_token))
}

/// A POST as `token` from its own address (the server trusts the proxy header here).
fn post(addr: &str, path: &str, token: &str, client: usize) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nCookie: {}={token}\r\n\
         X-Forwarded-For: 10.2.{}.{}\r\nContent-Type: application/json\r\n",
        auth::SESSION_COOKIE,
        client / 250,
        client % 250
    )
}

/// The time of the first GET of `path` after a fresh start of the server, `n` times.
async fn first_after_restart(dir: &Path, path: &str, n: usize) -> Result<std::time::Duration> {
    let mut times = Vec::new();
    for _ in 0..n {
        let server = ServerProcess::start_in(dir, &[("ACCORD_TRUST_PROXY", "1")]).await?;
        let mut http = Http::connect(&server.addr).await?;
        let t = Instant::now();
        let (status, _) = http.call(&get(&server.addr, path, false), "").await?;
        times.push(t.elapsed());
        if status != 200 {
            bail!("GET {path}: {status}");
        }
    }
    Ok(median(times))
}

pub fn run() -> Result<()> {
    super::runtime()?.block_on(async {
        let dir = std::env::temp_dir().join(format!("accord-bench-am-{}", std::process::id()));
        let _cleanup = super::tempdir::Dir(dir.clone());
        let (doc, tokens, chair) = build(&dir).await?;
        let server = ServerProcess::start_in(&dir, &[("ACCORD_TRUST_PROXY", "1")]).await?;
        let addr = server.addr.clone();
        let api = format!("/api/v1/documents/{doc}");
        let mut http = Http::connect(&addr).await?;
        let (_, body) = http.call(&get(&addr, &api, false), "").await?;
        let detail: serde_json::Value = serde_json::from_slice(&body)?;
        let heads = detail["heads"].clone();
        let numbered: Vec<(String, String)> = detail["paragraphs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["kind"] == "numbered")
            .filter_map(|p| Some((p["id"].as_str()?.to_string(), p["text"].as_str()?.to_string())))
            .collect();
        let mut ids = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            let (paragraph, text) = &numbered[i % numbered.len()];
            let body = serde_json::json!({
                "base": heads,
                "edits": [{ "kind": "replace", "paragraph": paragraph, "text": format!("{text} Amended by reviewer {i}.") }],
                "rationale": format!("Reviewer {i} would add a sentence."),
            })
            .to_string();
            let (status, answer) = http
                .call(&post(&addr, &format!("{api}/amendments"), token, i), &body)
                .await?;
            if status != 201 {
                bail!("proposing: {status} {}", String::from_utf8_lossy(&answer));
            }
            ids.push(serde_json::from_slice::<serde_json::Value>(&answer)?["id"].clone());
        }
        println!("## (d) Amendments: {AMENDMENTS} open amendments on the sample draft ({} paragraphs)", numbered.len());
        println!();

        let warm = time_get(&addr, &format!("{api}/amendments"), false, 20).await?;
        let read = time_get(&addr, &api, false, 20).await?;

        // A chair accepts amendments one after another; the peer is the same chair commenting.
        // After each accept the text has moved: the next list inspects every open amendment.
        let (mut accepts, mut comments, mut moved) = (Vec::new(), Vec::new(), Vec::new());
        for (i, id) in ids.iter().take(ACCEPTS).enumerate() {
            let body = r#"{"decision":"accept","reason":"Agreed."}"#;
            let t = Instant::now();
            let (status, answer) = http
                .call(&post(&addr, &format!("{api}/amendments/{id}/decision"), &chair, 1000), body)
                .await?;
            accepts.push(t.elapsed());
            if status != 200 {
                bail!("accepting: {status} {}", String::from_utf8_lossy(&answer));
            }
            let (paragraph, _) = &numbered[(i + 7) % numbered.len()];
            let t = Instant::now();
            let (status, _) = http
                .call(
                    &post(&addr, &format!("{api}/paragraphs/{paragraph}/comments"), &chair, 1000),
                    r#"{"body":"Noted in the session."}"#,
                )
                .await?;
            comments.push(t.elapsed());
            if status != 201 {
                bail!("commenting: {status}");
            }
            let t = Instant::now();
            let (status, _) = http.call(&get(&addr, &format!("{api}/amendments"), false), "").await?;
            moved.push(t.elapsed());
            if status != 200 {
                bail!("listing: {status}");
            }
        }
        let after_accepts = median(moved);
        drop(http);
        drop(server);
        let cold = first_after_restart(&dir, &format!("{api}/amendments"), 5).await?;
        let cold_peer = first_after_restart(&dir, &api, 5).await?;

        let ratio = |a: std::time::Duration, b: std::time::Duration| a.as_secs_f64() / b.as_secs_f64();
        let (accept, comment) = (median(accepts), median(comments));
        println!("| what | median ms | peer | peer ms | ratio |");
        println!("|---|---|---|---|---|");
        println!(
            "| list of amendments, text unchanged (inspections cached) | {} | the document (`GET …/{{id}}`) | {} | {:.2}× |",
            ms(Some(warm.0)), ms(Some(read.0)), ratio(warm.0, read.0)
        );
        println!(
            "| list of amendments right after an accept (the text moved: every open one inspected) | {} | the document | {} | {:.2}× |",
            ms(Some(after_accepts)), ms(Some(read.0)), ratio(after_accepts, read.0)
        );
        println!(
            "| list of amendments, first request after a restart (every one inspected) | {} | the document, first request after a restart | {} | {:.2}× |",
            ms(Some(cold)), ms(Some(cold_peer)), ratio(cold, cold_peer)
        );
        println!(
            "| a chair accepts an amendment (merged, stored, recorded) | {} | the chair posts a comment | {} | {:.2}× |",
            ms(Some(accept)), ms(Some(comment)), ratio(accept, comment)
        );
        println!();
        Ok(())
    })
}
