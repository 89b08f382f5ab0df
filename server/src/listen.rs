//! Accepting connections: the server's own loop around hyper, so that a connection cannot be
//! held open for free. A client must send a request's headers within [`Limits::headers`] of
//! connecting or of its previous answer (a silent socket, a header dribbled byte by byte and an
//! idle keep-alive all end there), and one address holds at most [`Limits::per_address`]
//! connections. The router's own layer bounds how long answering one request may take.
//! WebSocket upgrades leave the loop's hands once upgraded; the rooms cap those.

use std::{
    net::{IpAddr, SocketAddr},
    sync::Arc,
    time::Duration,
};

use accord_core::places::Places;
use axum::{extract::ConnectInfo, Router};
use hyper::server::conn::http1::Builder;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tower::ServiceExt;

/// What one connection and one address may hold.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// How long a connection may take to send a request's headers, from when it opened or
    /// was last answered.
    pub headers: Duration,
    /// Connections one address may hold at once: a backstop against exhausting descriptors,
    /// generous because a venue's Wi-Fi puts a whole room behind one address, and a browser
    /// opens several connections (`ACCORD_CONNECTIONS_PER_ADDRESS`).
    pub per_address: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            headers: Duration::from_secs(10),
            per_address: 4096,
        }
    }
}

/// Serves `app` on `listener` until the process ends.
pub async fn serve(listener: TcpListener, app: Router, limits: Limits) -> std::io::Result<()> {
    // HTTP/1.1 only: guessing the version first would wait for a silent client's first byte
    // with no timer running (a TLS-terminating proxy in front speaks HTTP/2 to browsers).
    let mut builder = Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.headers);
    let builder = Arc::new(builder);
    let open = Places::<IpAddr>::default();
    loop {
        let (tcp, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of descriptors, say: wait a moment instead of spinning.
                tracing::warn!("accepting a connection: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Some(place) = open.take(peer.ip(), limits.per_address) else {
            tracing::info!(address = %peer.ip(), "too many connections from one address");
            continue;
        };
        // Keystrokes are small frames: send each at once rather than waiting to coalesce.
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!("TCP_NODELAY: {e}");
        }
        let (app, builder) = (app.clone(), builder.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |mut req: hyper::Request<_>| {
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                app.clone().oneshot(req.map(axum::body::Body::new))
            });
            let served = builder
                .serve_connection(TokioIo::new(tcp), service)
                .with_upgrades()
                .await;
            if let Err(e) = served {
                tracing::debug!(address = %peer.ip(), "connection ended: {e}");
            }
            drop(place);
        });
    }
}
