//! The server binary as an operator starts it: a production start has no demo accounts (whose
//! password is published), only a start that asks for them does.

mod common;

use common::binary::{free_address, http, Server};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_start_without_the_demo_flag_has_no_demo_accounts_or_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let addr = free_address();
    let server = Server::start(dir.path(), addr, false).await;
    let login =
        json!({ "login": "admin@example.org", "password": accord_core::seed::DEMO_PASSWORD });
    let (status, _) = http(
        addr,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(login.clone()),
    )
    .await
    .expect("answer");
    assert_eq!(status, 401, "no admin with the published password");
    let (_, docs) = http(addr, "GET", "/api/v1/documents", None, None)
        .await
        .expect("answer");
    assert_eq!(docs, json!([]));
    server.kill();

    // A fresh installation started with the flag has them.
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path(), addr, true).await;
    let (status, _) = http(addr, "POST", "/api/v1/auth/login", None, Some(login))
        .await
        .expect("answer");
    assert_eq!(status, 200);
    server.kill();
}
