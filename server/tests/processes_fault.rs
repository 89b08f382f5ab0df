//! Real server processes on one PostgreSQL database, one of them stopped while editors type:
//! killed (SIGKILL), or stopped as in a rolling restart (SIGTERM). Its editors reconnect to the
//! others, and every change any process acknowledged ends up in every replica and in the
//! database.

mod common;

use std::time::Duration;

use accord_core::store::Store;
use common::{
    binary::{free_address, Server},
    Peer,
};
use domain::document;

/// The text of paragraph `i` as `peer` has it.
fn text(peer: &mut Peer, i: usize) -> String {
    document::read(peer.doc.document())
        .expect("outline")
        .paragraphs[i]
        .text
        .clone()
}

#[tokio::test]
async fn a_process_killed_during_typing_loses_nothing_any_process_acknowledged() {
    let url = common::new_database(&common::required_cluster()).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let addrs = [free_address(), free_address(), free_address()];
    let mut servers = Vec::new();
    for (i, addr) in addrs.iter().enumerate() {
        // The first seeds the demo; the others find it there.
        let data = dir.path().join(format!("p{i}"));
        servers.push(Some(
            Server::start_on(Some(&url), &data, *addr, i == 0).await,
        ));
    }
    let store = Store::connect(&url, 1).await.expect("store");
    let doc = store.list_documents().await.expect("list")[0].id.clone();
    let sync_url = |addr: std::net::SocketAddr| format!("ws://{addr}/api/v1/documents/{doc}/sync");
    let mut peers = Vec::new();
    for addr in addrs {
        let cookie = common::login(addr, "drafter@example.org").await;
        let mut peer = Peer::connect_as(&sync_url(addr), Some(&cookie)).await;
        peer.settle(Duration::from_millis(300)).await;
        peers.push((peer, cookie));
    }
    let p = document::read(peers[0].0.doc.document())
        .expect("outline")
        .paragraphs[1]
        .id
        .clone();
    let mut acknowledged = Vec::new();
    let mut killed = false;
    for round in 0..20 {
        for (i, (peer, _)) in peers.iter_mut().enumerate() {
            let word = format!("w{i}r{round} ");
            document::splice(&mut peer.doc, &p, 0, 0, &word).expect("type");
            // The first process's editor types on, offline, until it reconnects.
            if !(killed && i == 0) {
                peer.send_sync().await;
            }
        }
        if round == 9 {
            // Everyone in sync: every word so far was stored and relayed by some process.
            for _ in 0..2 {
                for (peer, _) in &mut peers {
                    peer.settle(Duration::from_millis(300)).await;
                }
            }
            let now = text(&mut peers[1].0, 1);
            acknowledged = (0..3)
                .flat_map(|i| (0..10).map(move |r| format!("w{i}r{r} ")))
                .collect();
            for word in &acknowledged {
                assert!(
                    now.contains(word.as_str()),
                    "{word} missing before the kill"
                );
            }
        }
        if round == 14 {
            servers[0].take().expect("first process").kill();
            killed = true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The first process's editor reconnects to the second, with everything it typed.
    let (old, cookie) = peers.remove(0);
    let cookie = if common::binary::http(addrs[1], "GET", "/api/v1/documents", Some(&cookie), None)
        .await
        .is_some()
    {
        // The session is in the database: any process knows it.
        cookie
    } else {
        common::login(addrs[1], "drafter@example.org").await
    };
    let mut moved = Peer::connect_as(&sync_url(addrs[1]), Some(&cookie)).await;
    moved.doc = old.doc;
    peers.insert(0, (moved, cookie));
    for _ in 0..4 {
        for (peer, _) in &mut peers {
            peer.settle(Duration::from_millis(300)).await;
        }
    }
    let texts: Vec<String> = peers.iter_mut().map(|(peer, _)| text(peer, 1)).collect();
    assert!(texts.iter().all(|t| *t == texts[0]), "{texts:#?}");
    // Every word typed is there, those acknowledged before the kill first of all.
    for i in 0..3 {
        for round in 0..20 {
            let word = format!("w{i}r{round} ");
            assert!(texts[0].contains(&word), "{word} lost: {}", texts[0]);
        }
    }
    assert_eq!(acknowledged.len(), 30);
    // The survivors' replicas and the database read afresh hold the same text.
    for addr in &addrs[1..] {
        let (status, detail) = common::binary::http(
            *addr,
            "GET",
            &format!("/api/v1/documents/{doc}"),
            None,
            None,
        )
        .await
        .expect("answer");
        assert_eq!(status, 200);
        assert_eq!(detail["paragraphs"][1]["text"], texts[0].as_str());
    }
    assert_eq!(common::stored_paragraph(&url, &doc, 1).await, texts[0]);
    for server in servers.into_iter().flatten() {
        server.kill();
    }
}

#[tokio::test]
async fn a_process_stopped_for_a_rolling_restart_hands_its_editors_back_with_nothing_lost() {
    let url = common::new_database(&common::required_cluster()).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let addrs = [free_address(), free_address()];
    let first = Server::start_on(Some(&url), &dir.path().join("p0"), addrs[0], true).await;
    let second = Server::start_on(Some(&url), &dir.path().join("p1"), addrs[1], false).await;
    let store = Store::connect(&url, 1).await.expect("store");
    let doc = store.list_documents().await.expect("list")[0].id.clone();
    let cookie = common::login(addrs[0], "drafter@example.org").await;
    let sync_url = |addr: std::net::SocketAddr| format!("ws://{addr}/api/v1/documents/{doc}/sync");
    let mut peer = Peer::connect_as(&sync_url(addrs[0]), Some(&cookie)).await;
    peer.settle(Duration::from_millis(300)).await;
    let p = document::read(peer.doc.document())
        .expect("outline")
        .paragraphs[1]
        .id
        .clone();
    for round in 0..10 {
        document::splice(&mut peer.doc, &p, 0, 0, &format!("r{round} ")).expect("type");
        peer.send_sync().await;
    }
    // The last keystrokes are on their way as the process is asked to stop.
    let status = tokio::task::spawn_blocking(move || first.terminate())
        .await
        .expect("stopped");
    assert!(status.success(), "{status}");
    // The connection was handed back, not refused: no error frame, and it closed as going away.
    assert_eq!(peer.close_code().await, (Some(1001), None));
    // The editor's client reconnects to the other process, with its copy.
    let mut moved = Peer::connect_as(&sync_url(addrs[1]), Some(&cookie)).await;
    moved.doc = peer.doc;
    moved.settle(Duration::from_millis(500)).await;
    let text = common::stored_paragraph(&url, &doc, 1).await;
    for round in 0..10 {
        assert!(
            text.contains(&format!("r{round} ")),
            "r{round} lost: {text}"
        );
    }
    second.kill();
}
