//! The real server binary, started as an operator would, and plain HTTP/1.1 against it.

use std::{
    net::SocketAddr,
    path::Path,
    process::{Child, Command, Stdio},
    time::Duration,
};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One plain HTTP/1.1 request, as the site's own pages would send it; the status and the JSON
/// answer, or `None` when the server was not there to answer (it may be killed at any time).
pub async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<Value>,
) -> Option<(u16, Value)> {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let cookie = cookie
        .map(|c| format!("Cookie: {c}\r\n"))
        .unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n{cookie}\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut s = tokio::net::TcpStream::connect(addr).await.ok()?;
    s.write_all(req.as_bytes()).await.ok()?;
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).await.ok()?;
    let resp = String::from_utf8_lossy(&resp).to_string();
    let status = resp.split_whitespace().nth(1)?.parse().ok()?;
    let (_, body) = resp.split_once("\r\n\r\n")?;
    Some((status, serde_json::from_str(body).unwrap_or(Value::Null)))
}

pub struct Server {
    child: Child,
}

impl Server {
    /// Starts the binary on `data` at `addr`, with the demo accounts if `demo`.
    pub async fn start(data: &Path, addr: SocketAddr, demo: bool) -> Self {
        let url = super::database_url(data).await;
        Self::start_on(url.as_deref(), data, addr, demo).await
    }

    /// Starts the binary on the PostgreSQL database `url` (SQLite in `data` if `None`).
    pub async fn start_on(url: Option<&str>, data: &Path, addr: SocketAddr, demo: bool) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_accord"));
        if let Some(url) = url {
            command.env("ACCORD_DATABASE_URL", url);
        }
        let mut child = command
            .env("ACCORD_DEMO", if demo { "1" } else { "0" })
            .env("ACCORD_DATA", data)
            .env("ACCORD_ADDR", addr.to_string())
            .env("ACCORD_DEMO_FEEDBACK", "0")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        for _ in 0..300 {
            if http(addr, "GET", "/api/v1/documents", None, None)
                .await
                .is_some()
            {
                return Self { child };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the server did not answer on {addr}");
    }

    /// SIGTERM, as a service manager stops a process; waits up to 20 s for it to exit and
    /// returns how it exited.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(sent.success());
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        panic!("the server did not stop within 20 s of SIGTERM");
    }

    /// SIGKILL: nothing is flushed, nothing runs on the way out.
    pub fn kill(mut self) {
        self.child.kill().expect("kill -9");
        let _ = self.child.wait();
    }
}

pub fn free_address() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("address")
}
