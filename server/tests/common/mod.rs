//! Helpers for the server tests: a real server on a loopback port over a real SQLite file, and a
//! minimal automerge client speaking the sync protocol over a real WebSocket.
#![allow(dead_code)]

use std::{net::SocketAddr, path::Path, time::Duration};

use accord_server::{router, seed, store::Store, AppState};
use app::api::ServerFrame;
use automerge::{
    sync::{self, SyncDoc},
    AutoCommit,
};
use futures::{SinkExt, StreamExt};
use tokio::{net::TcpStream, task::JoinHandle};
use tokio_tungstenite::{tungstenite::Message, MaybeTlsStream, WebSocketStream};

pub fn leptos_options() -> leptos::config::LeptosOptions {
    leptos::config::get_configuration(None)
        .expect("leptos configuration")
        .leptos_options
}

pub async fn state_in(dir: &Path) -> AppState {
    let store = Store::open(dir).await.expect("store");
    let state = AppState::new(store, leptos_options());
    seed::seed_if_empty(&state.rooms).await.expect("seed");
    state
}

pub struct Server {
    pub addr: SocketAddr,
    pub state: AppState,
    task: JoinHandle<()>,
}

impl Server {
    pub async fn start(dir: &Path) -> Self {
        let state = state_in(dir).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let app = router(state.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve");
        });
        Self { addr, state, task }
    }

    /// Stops the server as abruptly as a crash: the task is aborted, nothing is flushed.
    pub fn kill(self) {
        self.task.abort();
    }

    pub async fn first_document(&self) -> String {
        self.state
            .rooms
            .store()
            .list_documents()
            .await
            .expect("list")[0]
            .id
            .clone()
    }

    pub fn sync_url(&self, doc: &str) -> String {
        format!("ws://{}/api/v1/documents/{doc}/sync", self.addr)
    }
}

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A full automerge peer on a real WebSocket.
pub struct Peer {
    pub doc: AutoCommit,
    pub state: sync::State,
    pub ws: Ws,
    pub controls: Vec<ServerFrame>,
}

impl Peer {
    pub async fn connect(url: &str) -> Self {
        let (ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("connect");
        Self {
            doc: app::model::document::empty_doc(),
            state: sync::State::new(),
            ws,
            controls: Vec::new(),
        }
    }

    pub async fn send_sync(&mut self) -> bool {
        match self.doc.sync().generate_sync_message(&mut self.state) {
            Some(m) => {
                self.ws
                    .send(Message::Binary(m.encode().into()))
                    .await
                    .expect("send");
                true
            }
            None => false,
        }
    }

    /// Exchanges messages until the server has been quiet for `quiet`.
    pub async fn settle(&mut self, quiet: Duration) {
        self.send_sync().await;
        while let Ok(Some(msg)) = tokio::time::timeout(quiet, self.ws.next()).await {
            match msg.expect("frame") {
                Message::Binary(b) => {
                    let m = sync::Message::decode(&b).expect("sync message");
                    self.doc
                        .sync()
                        .receive_sync_message(&mut self.state, m)
                        .expect("receive");
                    self.send_sync().await;
                }
                Message::Text(t) => self
                    .controls
                    .push(serde_json::from_str(&t).expect("control")),
                Message::Close(_) => break,
                _ => {}
            }
        }
    }

    /// Reads frames until the connection closes; returns the error frame it closed with.
    pub async fn closed_with(&mut self) -> Option<ServerFrame> {
        let mut error = None;
        while let Ok(Some(msg)) = tokio::time::timeout(Duration::from_secs(5), self.ws.next()).await
        {
            match msg {
                Ok(Message::Text(t)) => {
                    let f: ServerFrame = serde_json::from_str(&t).expect("control");
                    if matches!(f, ServerFrame::Error { .. }) {
                        error = Some(f);
                    }
                }
                Ok(Message::Close(_)) | Err(_) => return error,
                Ok(_) => {}
            }
        }
        error
    }
}
