//! `weight`: what the document page costs to fetch and to serve.
//!
//! In Chromium (`e2e/bench/page-weight.mjs`), for a reader (not signed in) and a drafter, on a
//! slow phone link and unthrottled: bytes transferred by kind, first paint, text readable, live
//! and (for the drafter) the editor editable, and what a repeat visit transfers.
//!
//! Then the server's CPU for 500 first visits (the page and every file it loads, asking for
//! brotli as browsers do), against a peer run beside it: the same server on a copy of the site
//! without the precompressed files, which therefore compresses each download as it sends it.

use std::path::Path;

use anyhow::{bail, Context, Result};

use super::{cpu_seconds, feedback::Http, post_json, tempdir::Dir, ServerProcess};

const VISITS: usize = 500;
const AT_ONCE: usize = 25;

pub fn run() -> Result<()> {
    super::runtime()?.block_on(async {
        let site = std::env::var("LEPTOS_SITE_ROOT").context("LEPTOS_SITE_ROOT names the built site")?;
        let server = ServerProcess::start_with(&[]).await?;
        let addr = server.addr.clone();
        let doc = first_document(&addr).await?;

        browser(&addr, &doc);

        // The peer: the same files, no precompressed copies.
        let peer_site = std::env::temp_dir().join(format!("accord-bench-site-{}", std::process::id()));
        let _cleanup = Dir(peer_site.clone());
        copy_plain(Path::new(&site), &peer_site)?;
        let peer_root = peer_site.to_string_lossy().to_string();
        let peer = ServerProcess::start_with(&[("LEPTOS_SITE_ROOT", &peer_root)]).await?;
        println!();
        println!("| {VISITS} first visits, {AT_ONCE} at a time (page and every file it loads, brotli asked) | server CPU s | per visit ms | bytes sent per visit |");
        println!("|---|---|---|---|");
        let mut rows = Vec::new();
        for (who, signed_in) in [("reader", false), ("drafter (the app)", true)] {
            for (how, s) in [("precompressed at build", &server), ("peer: compressed per request", &peer)] {
                let (cpu, bytes) = first_visits(s, signed_in).await?;
                rows.push((who, how, cpu, bytes));
                println!(
                    "| {who}, {how} | {cpu:.2} | {:.1} | {bytes} |",
                    cpu * 1000.0 / VISITS as f64
                );
            }
        }
        for pair in rows.chunks(2) {
            if let [(who, _, ours, _), (_, _, theirs, _)] = pair {
                println!(
                    "{who}: the peer spends {:.1}x the CPU",
                    theirs / ours.max(0.001)
                );
            }
        }
        anyhow::Ok(())
    })
}

/// The id of the first document a server lists (each server seeds its own sample).
async fn first_document(addr: &str) -> Result<String> {
    let mut http = Http::connect(addr).await?;
    let (_, body) = http
        .call(
            &format!("GET /api/v1/documents HTTP/1.1\r\nHost: {addr}\r\n"),
            "",
        )
        .await?;
    let docs: serde_json::Value = serde_json::from_slice(&body)?;
    Ok(docs[0]["id"].as_str().context("a document")?.to_string())
}

/// Copies the built site without its `.br` and `.gz` files.
fn copy_plain(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_plain(&entry.path(), &target)?;
        } else if !matches!(
            entry.path().extension().and_then(|e| e.to_str()),
            Some("br" | "gz")
        ) {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// The server's CPU seconds for [`VISITS`] first visits of its sample document's page, and the
/// bytes one visit transfers.
async fn first_visits(server: &ServerProcess, signed_in: bool) -> Result<(f64, usize)> {
    let addr = server.addr.clone();
    let doc = first_document(&addr).await?;
    let cookie = match signed_in {
        true => {
            let body = r#"{"login":"drafter@example.org","password":"accord-demo-password"}"#;
            let (_, cookie) = post_json(&addr, "/api/v1/auth/login", body, None).await?;
            Some(cookie.context("a session cookie")?)
        }
        false => None,
    };
    let page = format!("/documents/{doc}");
    let head = |path: &str| {
        let cookie = cookie
            .as_deref()
            .map(|c| format!("Cookie: {c}\r\n"))
            .unwrap_or_default();
        format!(
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept-Encoding: gzip, deflate, br\r\n{cookie}"
        )
    };
    // What the page loads: its stylesheet and scripts, and the wasm the app's script fetches.
    let plain = head(&page).replace("Accept-Encoding: gzip, deflate, br\r\n", "");
    let (status, html) = Http::connect(&addr).await?.call(&plain, "").await?;
    if status != 200 {
        bail!("GET {page}: {status}");
    }
    let files = referenced(&String::from_utf8_lossy(&html));
    let mut paths = vec![page];
    paths.extend(files);
    let before = cpu_seconds(server.pid());
    let mut tasks = Vec::new();
    for lane in 0..AT_ONCE {
        let (paths, heads): (Vec<String>, Vec<String>) =
            paths.iter().map(|p| (p.clone(), head(p))).unzip();
        let addr = addr.clone();
        tasks.push(tokio::spawn(async move {
            let mut bytes = 0;
            for _ in (lane..VISITS).step_by(AT_ONCE) {
                // A first visit: a new connection, nothing cached.
                let mut http = Http::connect(&addr).await?;
                bytes = 0;
                for (path, head) in paths.iter().zip(&heads) {
                    let (status, body) = http.call(head, "").await?;
                    if status != 200 {
                        bail!("GET {path}: {status}");
                    }
                    bytes += body.len();
                }
            }
            anyhow::Ok(bytes)
        }));
    }
    let mut bytes = 0;
    for t in tasks {
        bytes = t.await??;
    }
    Ok((cpu_seconds(server.pid()) - before, bytes))
}

/// The `/pkg/…` files a page names (stylesheet, scripts, the wasm the app's script fetches).
fn referenced(html: &str) -> Vec<String> {
    let mut files: Vec<String> = html
        .split(['"', '\''])
        .filter(|s| s.starts_with("/pkg/") && !s.contains(' '))
        .map(str::to_string)
        .collect();
    files.sort();
    files.dedup();
    files
}

/// The browser part: runs `e2e/bench/page-weight.mjs` and prints its figures as tables.
fn browser(addr: &str, doc: &str) {
    let args = [
        format!("http://{addr}"),
        doc.to_string(),
        "drafter@example.org".into(),
        "accord-demo-password".into(),
    ];
    let Some(runs) = super::node_script("page-weight.mjs", &args, "Page weight") else {
        return;
    };
    let kb = |v: &serde_json::Value| match v.as_f64() {
        Some(n) => format!("{:.1}", n / 1024.0),
        None => "–".into(),
    };
    let ms = |v: &serde_json::Value| match v.as_f64() {
        Some(n) => format!("{n:.0}"),
        None => "–".into(),
    };
    println!("| document page | KB total | html | css | js | wasm | first paint ms | text readable ms | live ms | editable ms | repeat visit KB |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for r in &runs {
        let f = &r["first"];
        let b = &f["bytes"];
        println!(
            "| {} {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r["role"].as_str().unwrap_or(""),
            r["profile"].as_str().unwrap_or(""),
            kb(&f["total"]),
            kb(&b["html"]),
            kb(&b["css"]),
            kb(&b["js"]),
            kb(&b["wasm"]),
            ms(&f["paint"]),
            ms(&f["readable"]),
            ms(&f["live"]),
            ms(&f["editable"]),
            kb(&r["repeat"]["total"]),
        );
    }
    println!("(slow: 400 ms latency, 400 kbit/s each way, CPU slowed 4x, 360x740; fast: unthrottled, 1280x900)");
}
