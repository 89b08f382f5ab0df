//! The server's own accept loop against clients that hold connections for free: silent
//! sockets, dribbled headers, idle keep-alives, and one address opening too many.

mod common;

use std::time::Duration;

use accord_server::listen::{serve, Limits};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

const LIMITS: Limits = Limits {
    headers: Duration::from_millis(300),
    per_address: 4,
};

async fn start() -> (std::net::SocketAddr, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = common::state_in(dir.path()).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(serve(listener, accord_server::router(state), LIMITS));
    (addr, dir)
}

/// Whether the server closes `tcp` (reads to the end) within a few seconds.
async fn closed(tcp: &mut TcpStream) -> bool {
    let mut buf = vec![0u8; 64 * 1024];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        match tokio::time::timeout_at(deadline, tcp.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
            Err(_) => return false,
        }
    }
}

#[tokio::test]
async fn silent_dribbling_and_idle_connections_are_closed() {
    let (addr, _dir) = start().await;
    let mut silent = TcpStream::connect(addr).await.expect("connect");
    assert!(closed(&mut silent).await, "a silent connection");

    let mut dribbling = TcpStream::connect(addr).await.expect("connect");
    dribbling
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    assert!(closed(&mut dribbling).await, "a header that never ends");

    let mut idle = TcpStream::connect(addr).await.expect("connect");
    idle.write_all(b"GET /api/v1/documents HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    assert!(
        closed(&mut idle).await,
        "a keep-alive that asks nothing more"
    );
}

#[tokio::test]
async fn one_address_holds_only_so_many_connections() {
    let (addr, _dir) = start().await;
    let mut held = Vec::new();
    for _ in 0..LIMITS.per_address {
        let mut tcp = TcpStream::connect(addr).await.expect("connect");
        // A request keeps each one busy and known to be accepted.
        tcp.write_all(b"GET /api/v1/documents HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .expect("write");
        let mut first = [0u8; 12];
        tcp.read_exact(&mut first).await.expect("answer");
        assert_eq!(&first, b"HTTP/1.1 200");
        held.push(tcp);
    }
    let mut extra = TcpStream::connect(addr).await.expect("connect");
    let _ = extra
        .write_all(b"GET /api/v1/documents HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let mut buf = [0u8; 12];
    let answered = matches!(extra.read(&mut buf).await, Ok(n) if n > 0);
    assert!(
        !answered,
        "the connection over the cap is closed unanswered"
    );
}
