//! The sync channel end to end: real server, real SQLite file, real WebSockets.

mod common;

use std::time::Duration;

use automerge::{transaction::Transactable, ROOT};
use common::{Fixture, Peer, Server};
use domain::{
    api::{ErrorCode, ServerFrame},
    document, limits,
};
use futures::SinkExt;
use tokio_tungstenite::tungstenite::Message;

const QUIET: Duration = Duration::from_millis(300);

#[tokio::test]
async fn two_peers_typing_in_one_paragraph_converge_over_websockets() {
    let fixture = Fixture::start().await;
    let mut a = fixture.drafter_peer().await;
    let mut b = fixture.drafter_peer().await;
    a.settle(QUIET).await;
    b.settle(QUIET).await;
    let first = document::read(&a.doc).expect("outline").paragraphs[2]
        .id
        .clone();
    document::splice(&mut a.doc, &first, 0, 0, "[A] ").expect("type");
    document::splice(&mut b.doc, &first, 4, 0, "[B] ").expect("type");
    for _ in 0..3 {
        a.settle(QUIET).await;
        b.settle(QUIET).await;
    }
    let (ta, tb) = (
        document::read(&a.doc).expect("a"),
        document::read(&b.doc).expect("b"),
    );
    assert_eq!(ta, tb);
    let text = &ta.paragraphs[2].text;
    assert!(text.contains("[A]") && text.contains("[B]"), "{text}");
    // Both learned about each other: from the other's arrival, or (when the server took the
    // second connection's join first) from the welcome that lists who is there.
    for p in [&a, &b] {
        assert!(p
            .controls
            .iter()
            .any(|f| matches!(f, ServerFrame::Welcome { .. })));
        assert!(p.controls.iter().any(|f| match f {
            ServerFrame::Presence(_) => true,
            ServerFrame::Welcome { peers, .. } => !peers.is_empty(),
            _ => false,
        }));
    }
}

#[tokio::test]
async fn acknowledged_edits_survive_a_crash_and_restart() {
    let fixture = Fixture::start().await;
    let Fixture {
        dir, server, doc, ..
    } = &fixture;
    let mut a = fixture.drafter_peer().await;
    a.settle(QUIET).await;
    let id = document::read(&a.doc).expect("outline").paragraphs[2]
        .id
        .clone();
    document::splice(&mut a.doc, &id, 0, 0, "Survives. ").expect("type");
    a.settle(QUIET).await;
    // The server acknowledged: its heads, as it told us, include our change.
    let ours = a.doc.get_heads();
    assert_eq!(a.state.their_heads.clone().unwrap_or_default(), ours);
    server.kill();

    let server = Server::start(dir.path()).await;
    let detail = server.detail(doc).await;
    assert!(detail.paragraphs[2].text.starts_with("Survives. "));
    let heads: Vec<String> = ours.iter().map(|h| h.to_string()).collect();
    assert_eq!(detail.heads, heads);
}

#[tokio::test]
async fn garbage_bytes_close_the_connection_with_a_reason_and_leave_others_alone() {
    let fixture = Fixture::start().await;
    let Fixture { server, doc, .. } = &fixture;
    let before = server.detail(doc).await;
    let mut good = fixture.drafter_peer().await;
    good.settle(QUIET).await;

    let mut bad = fixture.drafter_peer().await;
    bad.ws
        .send(Message::Binary(b"\x42not automerge".to_vec().into()))
        .await
        .expect("send");
    let message = bad.refused_with(ErrorCode::BadMessage).await;
    assert!(
        message.contains("not an automerge sync message"),
        "{message}"
    );
    // The good peer still edits.
    let id = document::read(&good.doc).expect("outline").paragraphs[2]
        .id
        .clone();
    document::splice(&mut good.doc, &id, 0, 0, "Still here. ").expect("type");
    good.settle(QUIET).await;
    let after = server.detail(doc).await;
    assert_eq!(
        after.paragraphs[2].text,
        format!("Still here. {}", before.paragraphs[2].text)
    );
}

#[tokio::test]
async fn a_schema_breaking_change_is_refused_and_never_stored() {
    let fixture = Fixture::start().await;
    let Fixture {
        dir, server, doc, ..
    } = &fixture;
    let before = server.detail(doc).await;
    let mut p = fixture.drafter_peer().await;
    p.settle(QUIET).await;
    p.doc.put(ROOT, "title", 42).expect("put");
    let message = p.push_until_refused(ErrorCode::Schema).await;
    assert!(message.contains("title"), "{message}");
    assert_eq!(server.pending_chunks(doc).await, 0);
    server.kill();
    let server = Server::start(dir.path()).await;
    let after = server.detail(doc).await;
    assert_eq!(after.title, before.title);
    assert_eq!(after.heads, before.heads);
}

#[tokio::test]
async fn a_frame_over_the_limit_is_refused_in_words() {
    let fixture = Fixture::start().await;
    let mut p = fixture.drafter_peer().await;
    let big = vec![0x42u8; limits::MAX_SYNC_FRAME_BYTES + 1];
    p.ws.send(Message::Binary(big.into())).await.expect("send");
    p.refused_with(ErrorCode::TooLarge).await;
}

#[tokio::test]
async fn a_bad_control_frame_is_refused_in_words() {
    let fixture = Fixture::start().await;
    let mut p = fixture.drafter_peer().await;
    p.ws.send(Message::Text("{\"type\":\"launch\"}".into()))
        .await
        .expect("send");
    let message = p.refused_with(ErrorCode::BadControl).await;
    assert!(message.contains("launch"), "{message}");
}

#[tokio::test]
async fn syncing_an_unknown_document_is_a_404() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path()).await;
    let err = tokio_tungstenite::connect_async(server.sync_url("dnothere"))
        .await
        .expect_err("refused");
    match err {
        tokio_tungstenite::tungstenite::Error::Http(resp) => assert_eq!(resp.status(), 404),
        other => panic!("expected an HTTP 404, got {other}"),
    }
}

#[tokio::test]
async fn compaction_keeps_every_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path()).await;
    let doc = server.first_document().await;
    let store = server.state.rooms.store().clone();
    let (mut loaded, mut folded) = store.load_document(&doc).await.expect("load").expect("doc");
    let typed = |words: &str| {
        let id = document::read(&loaded).expect("outline").paragraphs[2]
            .id
            .clone();
        let mut local = document::load_autocommit(&loaded.save()).expect("load");
        document::splice(&mut local, &id, 0, 0, words).expect("type");
        local.save_incremental()
    };
    let ours = typed("Compacted. ");
    // Another process (a second store on the same database) stores a change this copy never loads.
    let theirs = typed("Elsewhere. ");
    let other = common::store_in(dir.path()).await;
    let their_seqs = other
        .append_changes(&doc, std::slice::from_ref(&theirs), None)
        .await
        .expect("append elsewhere");
    let seqs = store
        .append_changes(&doc, std::slice::from_ref(&ours), None)
        .await
        .expect("append");
    assert!(seqs[0] > their_seqs[0]);
    folded.extend(&seqs);
    loaded.load_incremental(&ours).expect("chunk");
    store
        .compact(&doc, &loaded.save(), &folded)
        .await
        .expect("compact");
    // Only the other process's chunk is left, though it is numbered below ours.
    assert_eq!(store.pending_chunks(&doc).await.expect("count"), 1);
    let (reloaded, left) = store.load_document(&doc).await.expect("load").expect("doc");
    assert_eq!(left, their_seqs);
    let text = document::read(&reloaded).expect("outline").paragraphs[2]
        .text
        .clone();
    assert!(
        text.contains("Compacted. ") && text.contains("Elsewhere. "),
        "{text}"
    );
}

#[tokio::test]
async fn readers_participants_the_admin_and_other_chairs_receive_the_document_but_cannot_change_it()
{
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path()).await;
    let doc = server.first_document().await;
    let before = server.detail(&doc).await;
    let participant = common::login(server.addr, "participant@example.org").await;
    // The admin runs the installation but is no member of the group: a reader here.
    let admin = common::login(server.addr, "admin@example.org").await;
    // Neither is the chair of another group.
    let store = server.state.rooms.store();
    store
        .create_group("dc-other", "Another coalition", "dc")
        .await
        .expect("group");
    common::add_member(
        store,
        "other-chair@example.org",
        "dc-other",
        domain::api::Role::Chair,
    )
    .await;
    let other_chair = common::login(server.addr, "other-chair@example.org").await;
    for cookie in [
        None,
        Some(participant.as_str()),
        Some(admin.as_str()),
        Some(other_chair.as_str()),
    ] {
        let mut p = Peer::connect_as(&server.sync_url(&doc), cookie).await;
        p.settle(QUIET).await;
        assert_eq!(document::read(&p.doc).expect("outline").title, before.title);
        let id = document::read(&p.doc).expect("outline").paragraphs[2]
            .id
            .clone();
        document::splice(&mut p.doc, &id, 0, 0, "Vandalised. ").expect("type");
        let message = p.push_until_refused(ErrorCode::Forbidden).await;
        assert!(message.contains("may not change the text"), "{message}");
    }
    let after = server.detail(&doc).await;
    assert_eq!(after.heads, before.heads);
    assert_eq!(server.pending_chunks(&doc).await, 0);
}

#[tokio::test]
async fn the_sync_handshake_refuses_a_foreign_origin() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path()).await;
    let doc = server.first_document().await;
    let mut req = server
        .sync_url(&doc)
        .into_client_request()
        .expect("request");
    req.headers_mut()
        .insert("origin", "https://evil.example".parse().expect("header"));
    match tokio_tungstenite::connect_async(req)
        .await
        .expect_err("refused")
    {
        tokio_tungstenite::tungstenite::Error::Http(resp) => assert_eq!(resp.status(), 403),
        other => panic!("expected an HTTP 403, got {other}"),
    }
}

/// The HTTP status a sync handshake was refused with.
async fn refused_status(url: &str, cookie: Option<&str>) -> u16 {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut req = url.into_client_request().expect("request");
    if let Some(c) = cookie {
        req.headers_mut()
            .insert("cookie", c.parse().expect("header"));
    }
    match tokio_tungstenite::connect_async(req)
        .await
        .expect_err("refused")
    {
        tokio_tungstenite::tungstenite::Error::Http(resp) => resp.status().as_u16(),
        other => panic!("expected an HTTP refusal, got {other}"),
    }
}

#[tokio::test]
async fn sync_connections_are_capped_per_account_and_per_anonymous_address() {
    let fixture = Fixture::start().await;
    let Fixture {
        server,
        doc,
        drafter,
        ..
    } = &fixture;
    let url = server.sync_url(doc);
    let mut open = Vec::new();
    for _ in 0..limits::MAX_SOCKETS_PER_ACCOUNT {
        open.push(Peer::connect_as(&url, Some(drafter)).await);
    }
    assert_eq!(refused_status(&url, Some(drafter)).await, 429);
    // Closing one frees its place.
    drop(open.pop());
    let mut again = None;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        if let Ok((ws, _)) = tokio_tungstenite::connect_async({
            use tokio_tungstenite::tungstenite::client::IntoClientRequest;
            let mut req = url.as_str().into_client_request().expect("request");
            req.headers_mut()
                .insert("cookie", drafter.parse().expect("header"));
            req
        })
        .await
        {
            again = Some(ws);
            break;
        }
    }
    assert!(again.is_some(), "a freed place is taken again");
    for _ in 0..limits::MAX_ANONYMOUS_SOCKETS_PER_ADDRESS {
        open.push(Peer::connect(&url).await);
    }
    assert_eq!(refused_status(&url, None).await, 429);
}

#[tokio::test]
async fn a_flood_of_presence_frames_closes_the_connection_in_words() {
    let fixture = Fixture::start().await;
    let mut p = fixture.drafter_peer().await;
    for _ in 0..(limits::CONTROL_FRAMES_PER_SECOND * 4) {
        let frame = r#"{"type":"presence"}"#;
        if p.ws.send(Message::Text(frame.into())).await.is_err() {
            break;
        }
    }
    let message = p.refused_with(ErrorCode::Overloaded).await;
    assert!(message.contains("too many frames"), "{message}");
}

#[tokio::test]
async fn signing_out_closes_that_sessions_open_editors() {
    let fixture = Fixture::start().await;
    let Fixture {
        server,
        doc,
        drafter,
        ..
    } = &fixture;
    let mut editor = fixture.drafter_peer().await;
    editor.settle(QUIET).await;
    // Another session of the same account stays.
    let other = common::login(server.addr, "drafter@example.org").await;
    let mut elsewhere = Peer::connect_as(&server.sync_url(doc), Some(&other)).await;
    elsewhere.settle(QUIET).await;
    common::binary::http(
        server.addr,
        "POST",
        "/api/v1/auth/logout",
        Some(drafter),
        None,
    )
    .await
    .expect("signed out");
    let message = editor.refused_with(ErrorCode::Forbidden).await;
    assert!(message.contains("signed out"), "{message}");
    // The other session's editor still edits.
    let id = document::read(&elsewhere.doc).expect("outline").paragraphs[2]
        .id
        .clone();
    document::splice(&mut elsewhere.doc, &id, 0, 0, "Still here. ").expect("type");
    elsewhere.settle(QUIET).await;
    assert!(server
        .detail(doc)
        .await
        .paragraphs
        .iter()
        .any(|p| p.text.starts_with("Still here.")));
}

#[tokio::test]
async fn only_connections_that_may_edit_leave_an_actor_on_record() {
    let fixture = Fixture::start().await;
    let Fixture { server, doc, .. } = &fixture;
    let store = server.state.rooms.store().clone();
    let id_of = |login: &'static str| {
        let store = store.clone();
        async move {
            store
                .account_by_login(login)
                .await
                .expect("db")
                .expect("account")
                .0
                .id
        }
    };
    let participant = common::login(server.addr, "participant@example.org").await;
    for _ in 0..5 {
        let mut p = Peer::connect_as(&server.sync_url(doc), Some(&participant)).await;
        p.settle(Duration::from_millis(50)).await;
    }
    let them = id_of("participant@example.org").await;
    assert!(store.actors_of(&them).await.expect("actors").is_empty());
    let mut d = fixture.drafter_peer().await;
    d.settle(Duration::from_millis(50)).await;
    let drafter_id = id_of("drafter@example.org").await;
    assert_eq!(store.actors_of(&drafter_id).await.expect("actors").len(), 1);
}

#[tokio::test]
async fn a_watcher_is_told_of_edits_and_never_sent_the_text() {
    use futures::StreamExt;
    let fixture = Fixture::start().await;
    let url = format!("{}?watch=true", fixture.server.sync_url(&fixture.doc));
    let mut watcher = Peer::connect(&url).await;
    let mut drafter = fixture.drafter_peer().await;
    drafter.settle(QUIET).await;
    let first = document::read(&drafter.doc).expect("outline").paragraphs[2]
        .id
        .clone();
    document::splice(&mut drafter.doc, &first, 0, 0, "Watched. ").expect("type");
    drafter.settle(QUIET).await;
    let mut frames = Vec::new();
    while let Ok(Some(Ok(m))) = tokio::time::timeout(QUIET, watcher.ws.next()).await {
        frames.push(m);
    }
    assert!(
        frames.iter().all(|m| !matches!(m, Message::Binary(_))),
        "a watcher is sent no sync message"
    );
    let controls: Vec<ServerFrame> = frames
        .iter()
        .filter_map(|m| match m {
            Message::Text(t) => serde_json::from_str(t).ok(),
            _ => None,
        })
        .collect();
    assert!(matches!(
        controls.first(),
        Some(ServerFrame::Welcome { .. })
    ));
    assert!(controls.contains(&ServerFrame::Edited), "{controls:?}");

    // A drafter's watching page writes as no one: it is given no actor, and none is recorded.
    let mut drafter_watching = Peer::connect_as(&url, Some(&fixture.drafter)).await;
    let Ok(Some(Ok(Message::Text(t)))) =
        tokio::time::timeout(QUIET, drafter_watching.ws.next()).await
    else {
        panic!("a welcome")
    };
    match serde_json::from_str::<ServerFrame>(&t) {
        Ok(ServerFrame::Welcome { actor, .. }) => assert_eq!(actor, None),
        other => panic!("a welcome first: {other:?}"),
    }

    // A query the server does not understand is refused in words before any upgrade.
    let bad = format!("{}?watch=maybe", fixture.server.sync_url(&fixture.doc))
        .replace("ws://", "http://");
    let resp = plain_get(&bad).await;
    assert!(resp.starts_with("HTTP/1.1 422"), "{resp}");
    assert!(
        resp.contains("watch"),
        "the refusal names the field: {resp}"
    );
}

/// A plain GET over TCP; returns the status line and what follows.
async fn plain_get(url: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_once('/').expect("path");
    let mut s = tokio::net::TcpStream::connect(host).await.expect("connect");
    s.write_all(
        format!("GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .expect("send");
    let mut out = String::new();
    s.read_to_string(&mut out).await.expect("read");
    out
}
