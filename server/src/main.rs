//! `accord`: serves Accord on `ACCORD_ADDR` (default 127.0.0.1:3000) with its data in
//! `ACCORD_DATA` (default `./data`), seeding a demo group and the sample draft on first start.

use std::{net::SocketAddr, path::PathBuf};

use accord_server::{router, seed, store::Store, AppState};
use anyhow::Context;
use axum::serve::ListenerExt;
use leptos::config::get_configuration;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .init();
    let data = PathBuf::from(std::env::var("ACCORD_DATA").unwrap_or_else(|_| "data".into()));
    let mut leptos = get_configuration(None)
        .context("reading the Leptos configuration")?
        .leptos_options;
    let addr: SocketAddr = match std::env::var("ACCORD_ADDR") {
        Ok(a) => a
            .parse()
            .with_context(|| format!("ACCORD_ADDR '{a}' is not an address"))?,
        Err(_) => leptos.site_addr,
    };
    leptos.site_addr = addr;

    let store = Store::open(&data)
        .await
        .with_context(|| format!("opening the database in {}", data.display()))?;
    let state = AppState::new(store, leptos);
    if seed::seed_if_empty(&state.rooms).await? {
        tracing::info!("seeded a demo group and the sample draft");
    }
    // Keystrokes are small frames: send each at once rather than waiting to coalesce (Nagle).
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?
        .tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::warn!("TCP_NODELAY: {e}");
            }
        });
    tracing::info!("Accord is listening on http://{addr}");
    axum::serve(listener, router(state)).await?;
    Ok(())
}
