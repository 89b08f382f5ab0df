use super::*;
use automerge::{transaction::Transactable, AutoCommit, ReadDoc, ROOT};
use domain::{document, ParagraphKind};

fn server_doc() -> Automerge {
    let mut doc = document::new_document("T", &[(ParagraphKind::Numbered, "Hello world".into())])
        .expect("document");
    document::load(&doc.save()).expect("load")
}

struct Client {
    peer: PeerId,
    doc: AutoCommit,
    state: sync::State,
}

fn join(room: &mut Room, peer: PeerId, role: Role) -> Client {
    let info = PeerInfo::with_role(role);
    let mut doc = document::empty_doc();
    if let Some(actor) = &info.actor {
        doc.set_actor(actor.clone());
    }
    room.join(peer, info);
    Client {
        peer,
        doc,
        state: sync::State::new(),
    }
}

fn send(room: &mut Room, c: &mut Client) -> Option<Result<Applied, Refusal>> {
    let m = c.doc.sync().generate_sync_message(&mut c.state)?;
    Some(room.receive_sync(c.peer, Bytes::from(m.encode())))
}

/// Hands each binary frame to its client; returns how many there were.
fn deliver(clients: &mut [Client], frames: Outbox) -> usize {
    let mut n = 0;
    for (peer, frame) in frames {
        if let Frame::Binary(b) = frame {
            n += 1;
            let c = clients.iter_mut().find(|c| c.peer == peer).expect("client");
            let m = sync::Message::decode(&b).expect("decodes");
            c.doc
                .sync()
                .receive_sync_message(&mut c.state, m)
                .expect("receive");
        }
    }
    n
}

/// Runs the protocol until nobody has anything to send; returns the chunks the room stored.
fn settle(room: &mut Room, clients: &mut [Client]) -> Vec<Vec<u8>> {
    let mut chunks = Vec::new();
    for _ in 0..50 {
        let mut quiet = true;
        for c in clients.iter_mut() {
            if let Some(applied) = send(room, c) {
                quiet = false;
                chunks.extend(applied.expect("accepted").chunk);
            }
        }
        if deliver(clients, room.flush()) > 0 {
            quiet = false;
        }
        if quiet {
            return chunks;
        }
    }
    panic!("the protocol did not settle");
}

/// Exchanges messages with one client until the room refuses one (or nobody has more to say).
fn refusal(room: &mut Room, clients: &mut [Client]) -> Option<Refusal> {
    for _ in 0..20 {
        let Some(result) = send(room, &mut clients[0]) else {
            if deliver(clients, room.flush()) == 0 {
                return None;
            }
            continue;
        };
        if let Err(r) = result {
            return Some(r);
        }
        deliver(clients, room.flush());
    }
    None
}

/// Delivers `frames`, lets the protocol settle and checks that every client has the room's
/// document.
fn converge(room: &mut Room, clients: &mut [Client], frames: Outbox) {
    deliver(clients, frames);
    settle(room, clients);
    for c in clients.iter() {
        assert_eq!(
            document::read(&c.doc).expect("outline"),
            room.outline().expect("outline")
        );
    }
}

fn paragraph_id(room: &Room) -> String {
    room.outline().expect("outline").paragraphs[0].id.clone()
}

#[test]
fn peers_typing_in_one_paragraph_converge_through_the_relay() {
    let mut room = Room::new(server_doc());
    let mut clients = vec![
        join(&mut room, 1, Role::Drafter),
        join(&mut room, 2, Role::Drafter),
    ];
    settle(&mut room, &mut clients);
    let id = paragraph_id(&room);
    document::splice(&mut clients[0].doc, &id, 5, 0, ", dear").expect("type");
    document::splice(&mut clients[1].doc, &id, 11, 0, "!").expect("type");
    settle(&mut room, &mut clients);
    let server = room.outline().expect("outline");
    assert_eq!(server.paragraphs[0].text, "Hello, dear world!");
    for c in &clients {
        assert_eq!(document::read(&c.doc).expect("outline"), server);
    }
}

#[test]
fn stored_chunks_rebuild_the_document_exactly() {
    let initial = server_doc();
    let saved = initial.save();
    let mut room = Room::new(initial);
    let mut clients = vec![join(&mut room, 1, Role::Drafter)];
    settle(&mut room, &mut clients);
    let id = paragraph_id(&room);
    document::splice(&mut clients[0].doc, &id, 0, 0, "Well. ").expect("type");
    let chunks = settle(&mut room, &mut clients);
    assert_eq!(chunks.len(), 1);
    let mut reloaded = document::load(&saved).expect("load");
    for c in &chunks {
        reloaded.load_incremental(c).expect("chunk loads");
    }
    assert_eq!(reloaded.get_heads(), room.doc().get_heads());
}

#[test]
fn bytes_that_are_not_a_sync_message_are_refused_and_change_nothing() {
    let mut room = Room::new(server_doc());
    room.join(1, PeerInfo::with_role(Role::Drafter));
    let heads = room.doc().get_heads();
    for garbage in [&b""[..], b"hello", &[0x42, 0xff, 0xff, 0xff], &[0x43; 64]] {
        let refusal = room
            .receive_sync(1, Bytes::copy_from_slice(garbage))
            .expect_err("refused");
        assert_eq!(refusal.code, ErrorCode::BadMessage, "{garbage:?}");
    }
    assert_eq!(room.doc().get_heads(), heads);
}

#[test]
fn a_change_that_breaks_the_schema_is_refused_and_rolled_back() {
    let mut room = Room::new(server_doc());
    let mut clients = vec![
        join(&mut room, 1, Role::Drafter),
        join(&mut room, 2, Role::Drafter),
    ];
    settle(&mut room, &mut clients);
    let heads = room.doc().get_heads();
    clients[0].doc.put(ROOT, "paragraphs", "gone").expect("put");
    let refusal = refusal(&mut room, &mut clients).expect("refused");
    assert_eq!(refusal.code, ErrorCode::Schema);
    assert!(
        refusal.message.contains("paragraphs"),
        "{}",
        refusal.message
    );
    assert_eq!(room.doc().get_heads(), heads);
    assert!(room.doc().get(ROOT, "paragraphs").expect("get").is_some());
    // The other peer is told nothing new.
    room.leave(1);
    assert!(room.flush().iter().all(|(peer, _)| *peer == 2));
    document::validate(room.doc()).expect("still valid");
}

#[test]
fn an_oversized_paragraph_is_refused() {
    let mut room = Room::new(server_doc());
    let mut clients = vec![join(&mut room, 1, Role::Drafter)];
    settle(&mut room, &mut clients);
    let id = paragraph_id(&room);
    let long = "x".repeat(limits::MAX_PARAGRAPH_LEN + 1);
    document::splice(&mut clients[0].doc, &id, 0, 0, &long).expect("type");
    let refusal = refusal(&mut room, &mut clients).expect("refused");
    assert_eq!(refusal.code, ErrorCode::Schema);
    assert_eq!(
        room.outline().expect("outline").paragraphs[0].text,
        "Hello world"
    );
}

#[test]
fn a_reader_receives_the_document_but_cannot_change_it() {
    let mut room = Room::new(server_doc());
    let mut clients = vec![join(&mut room, 1, Role::Reader)];
    settle(&mut room, &mut clients);
    assert_eq!(
        document::read(&clients[0].doc).expect("outline"),
        room.outline().expect("outline")
    );
    let heads = room.doc().get_heads();
    let id = paragraph_id(&room);
    document::splice(&mut clients[0].doc, &id, 0, 0, "Hacked. ").expect("type");
    let refusal = refusal(&mut room, &mut clients).expect("refused");
    assert_eq!(refusal.code, ErrorCode::Forbidden);
    assert_eq!(room.doc().get_heads(), heads);
}

#[test]
fn a_frame_over_the_limit_is_refused_before_decoding() {
    let mut room = Room::new(server_doc());
    room.join(1, PeerInfo::with_role(Role::Drafter));
    let big = Bytes::from(vec![0x42; limits::MAX_SYNC_FRAME_BYTES + 1]);
    assert_eq!(
        room.receive_sync(1, big).expect_err("refused").code,
        ErrorCode::TooLarge
    );
}

#[test]
fn caught_up_peers_share_one_encoded_message() {
    let mut room = Room::new(server_doc());
    let mut clients: Vec<_> = (1..=6).map(|p| join(&mut room, p, Role::Drafter)).collect();
    settle(&mut room, &mut clients);
    let id = paragraph_id(&room);
    document::splice(&mut clients[0].doc, &id, 0, 0, "A").expect("type");
    let heads = room.doc().get_heads();
    // The typist's first message may leave the change out: a bloom filter's false positive (about
    // one in a hundred) lets it think the room has it, and the room then asks for it.
    let mut frames = Vec::new();
    for _ in 0..5 {
        send(&mut room, &mut clients[0])
            .expect("message")
            .expect("accepted");
        frames = room.flush();
        if room.doc().get_heads() != heads {
            break;
        }
        deliver(&mut clients, frames.clone());
    }
    let to_others: Vec<&Bytes> = frames
        .iter()
        .filter(|(p, _)| *p != 1)
        .filter_map(|(_, f)| match f {
            Frame::Binary(b) => Some(b),
            Frame::Text(_) => None,
        })
        .collect();
    assert_eq!(to_others.len(), 5);
    // One allocation serves all five: the message was generated and encoded once.
    assert!(to_others
        .iter()
        .all(|b| b.as_ptr() == to_others[0].as_ptr()));
    converge(&mut room, &mut clients, frames);
}

#[test]
fn presence_is_relayed_to_the_others_under_the_accounts_name() {
    let mut room = Room::new(server_doc());
    let mut ana = PeerInfo::with_role(Role::Drafter);
    ana.name = "  Ana\u{7} ".into();
    room.join(1, ana);
    room.join(2, PeerInfo::with_role(Role::Drafter));
    let id = paragraph_id(&room);
    for caret in [1, 2, 3] {
        let sent = room
            .receive_control(
                1,
                &format!(r#"{{"type":"presence","paragraph":"{id}","caret":{caret}}}"#),
            )
            .expect("accepted");
        assert!(sent.is_empty(), "presence waits for the flush");
    }
    // Three moves in one batch reach the other peer once, as the latest.
    let out: Outbox = room
        .flush()
        .into_iter()
        .filter(|(_, f)| matches!(f, Frame::Text(_)))
        .collect();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].0, 2);
    let Frame::Text(json) = &out[0].1 else {
        panic!("text frame")
    };
    let frame: ServerFrame = serde_json::from_slice(json).expect("json");
    let ServerFrame::Presence(p) = frame else {
        panic!("presence")
    };
    assert_eq!((p.name.as_str(), p.caret), ("Ana", Some(3)));
    // A client cannot call itself anything else: a name in its frame is refused.
    let renamed = format!(r#"{{"type":"presence","name":"Amina Chair","paragraph":"{id}"}}"#);
    let refusal = room.receive_control(1, &renamed).expect_err("refused");
    assert_eq!(refusal.code, ErrorCode::BadControl);
}

#[test]
fn malformed_control_frames_are_refused_with_a_reason() {
    let mut room = Room::new(server_doc());
    room.join(1, PeerInfo::with_role(Role::Drafter));
    for bad in [
        "not json",
        r#"{"type":"shout"}"#,
        r#"{"type":"presence","paragraph":"<script>"}"#,
    ] {
        let refusal = room.receive_control(1, bad).expect_err("refused");
        assert_eq!(refusal.code, ErrorCode::BadControl, "{bad}");
    }
    let huge = format!(
        r#"{{"type":"presence","paragraph":"{}"}}"#,
        "x".repeat(limits::MAX_CONTROL_FRAME_BYTES)
    );
    assert_eq!(
        room.receive_control(1, &huge).expect_err("refused").code,
        ErrorCode::TooLarge
    );
}

#[test]
fn a_change_by_an_actor_the_server_did_not_assign_is_refused() {
    let mut room = Room::new(server_doc());
    let mut clients = vec![join(&mut room, 1, Role::Drafter)];
    settle(&mut room, &mut clients);
    let heads = room.doc().get_heads();
    let id = paragraph_id(&room);
    clients[0].doc.set_actor(automerge::ActorId::random());
    document::splice(&mut clients[0].doc, &id, 0, 0, "Forged. ").expect("type");
    let refusal = refusal(&mut room, &mut clients).expect("refused");
    assert_eq!(refusal.code, ErrorCode::Forbidden);
    assert!(refusal.message.contains("actor"), "{}", refusal.message);
    assert_eq!(room.doc().get_heads(), heads);
}

#[test]
fn a_lowered_role_takes_effect_at_the_next_message() {
    let mut info = PeerInfo::with_role(Role::Drafter);
    info.account = Some("a1".into());
    let mut doc = document::empty_doc();
    doc.set_actor(info.actor.clone().expect("actor"));
    let mut room = Room::new(server_doc());
    room.join(1, info);
    let mut clients = vec![Client {
        peer: 1,
        doc,
        state: sync::State::new(),
    }];
    settle(&mut room, &mut clients);
    let id = paragraph_id(&room);
    document::splice(&mut clients[0].doc, &id, 0, 0, "Allowed. ").expect("type");
    settle(&mut room, &mut clients);
    assert!(room.outline().expect("outline").paragraphs[0]
        .text
        .starts_with("Allowed. "));

    room.set_role("a1", Role::Participant);
    let heads = room.doc().get_heads();
    document::splice(&mut clients[0].doc, &id, 0, 0, "Too late. ").expect("type");
    let refusal = refusal(&mut room, &mut clients).expect("refused");
    assert_eq!(refusal.code, ErrorCode::Forbidden);
    assert_eq!(room.doc().get_heads(), heads);
}

#[test]
fn anonymous_readers_are_not_announced_and_cost_the_others_nothing() {
    let mut room = Room::new(server_doc());
    room.join(1, PeerInfo::with_role(Role::Drafter));
    let mut frames = 0;
    for peer in 2..=500 {
        frames += room
            .join(peer, PeerInfo::with_role(Role::Reader))
            .iter()
            .filter(|(to, _)| *to != peer)
            .count();
    }
    assert_eq!(frames, 0, "nobody is told of a reader coming");
    let id = paragraph_id(&room);
    let moved = room
        .receive_control(3, &format!(r#"{{"type":"presence","paragraph":"{id}"}}"#))
        .expect("accepted");
    assert!(moved.is_empty());
    let gone: usize = (2..=500).map(|peer| room.leave(peer).len()).sum();
    assert_eq!(gone, 0, "nor of one going");
    assert_eq!(room.peer_count(), 1);
    // A signed-in peer is greeted with the drafter in the room, not the readers.
    let welcome = room.join(600, PeerInfo::with_role(Role::Participant));
    let Frame::Text(json) = &welcome[0].1 else {
        panic!("text frame")
    };
    let Ok(ServerFrame::Welcome { peers, .. }) = serde_json::from_slice(json) else {
        panic!("welcome")
    };
    assert_eq!(peers.len(), 1);
}

#[test]
fn a_watcher_is_told_of_each_change_but_never_sent_the_text() {
    let mut room = Room::new(server_doc());
    let mut clients = vec![join(&mut room, 1, Role::Drafter)];
    let watcher = PeerInfo {
        watch: true,
        ..PeerInfo::with_role(Role::Reader)
    };
    assert_eq!(room.join(2, watcher).len(), 1, "a welcome and nothing else");
    settle(&mut room, &mut clients);
    assert!(room.flush().is_empty(), "a watcher is not sent the text");
    let id = paragraph_id(&room);
    document::splice(&mut clients[0].doc, &id, 5, 0, ", dear").expect("type");
    document::splice(&mut clients[0].doc, &id, 0, 0, "Oh. ").expect("type");
    match send(&mut room, &mut clients[0]) {
        Some(Ok(_)) => {}
        other => panic!("the edit is accepted: {other:?}"),
    }
    assert!(room.flush().iter().all(|(to, _)| *to != 2));
    let due = room.watch_news_due().expect("news owed");
    let now = std::time::Instant::now();
    assert!(due <= now, "news due at once");
    let out = room.watch_news(now);
    let to_watcher: Vec<_> = out.iter().filter(|(to, _)| *to == 2).collect();
    assert_eq!(to_watcher.len(), 1, "one frame for the batch");
    let Frame::Text(json) = &to_watcher[0].1 else {
        panic!("the watcher gets no sync message")
    };
    assert_eq!(
        serde_json::from_slice::<ServerFrame>(json).expect("a server frame"),
        ServerFrame::Edited
    );
    // Nothing more until the text changes again.
    assert!(room.flush().iter().all(|(to, _)| *to != 2));
    assert_eq!(room.watch_news_due(), None);
    assert!(room.watch_news(now + WATCH_NEWS_EVERY).is_empty());
    // A change within the second is told when the second is over, once.
    document::splice(&mut clients[0].doc, &id, 0, 0, "So. ").expect("type");
    send(&mut room, &mut clients[0]);
    room.flush();
    assert!(room.watch_news(now).is_empty(), "not twice in a second");
    assert_eq!(room.watch_news_due(), Some(now + WATCH_NEWS_EVERY));
    assert_eq!(room.watch_news(now + WATCH_NEWS_EVERY).len(), 1);
    // Nor is it told who comes, moves or goes.
    let moved = format!(r#"{{"type":"presence","paragraph":"{id}"}}"#);
    let told = room.receive_control(1, &moved).expect("a caret move");
    let joined = room.join(3, PeerInfo::with_role(Role::Drafter));
    let flushed = room.flush();
    let left = room.leave(3);
    for (to, _) in told.iter().chain(&joined).chain(&flushed).chain(&left) {
        assert_ne!(*to, 2, "a watcher is told of people");
    }
    assert!(left.iter().any(|(to, _)| *to == 1), "others are told");
}

#[test]
fn a_paragraphs_text_is_made_once_and_never_replaced() {
    let mut room = Room::new(server_doc());
    let mut clients = vec![join(&mut room, 1, Role::Drafter)];
    settle(&mut room, &mut clients);
    let heads = room.doc().get_heads();
    let id = paragraph_id(&room);
    let c = &mut clients[0];
    let paragraphs = match c.doc.get(ROOT, "paragraphs").expect("get") {
        Some((_, obj)) => obj,
        None => panic!("paragraphs"),
    };
    let entry = match c.doc.get(&paragraphs, id.as_str()).expect("get") {
        Some((_, obj)) => obj,
        None => panic!("entry"),
    };
    let text = c
        .doc
        .put_object(&entry, "text", automerge::ObjType::Text)
        .expect("put");
    c.doc.splice_text(&text, 0, 0, "Replaced").expect("splice");
    let refusal = refusal(&mut room, &mut clients).expect("refused");
    assert_eq!(refusal.code, ErrorCode::Schema);
    assert!(
        refusal.message.contains("created once"),
        "{}",
        refusal.message
    );
    assert_eq!(room.doc().get_heads(), heads);
}

#[test]
fn the_paragraph_limit_holds_for_paragraphs_added_over_sync() {
    let mut room = Room::new(server_doc());
    let mut clients = vec![join(&mut room, 1, Role::Drafter)];
    settle(&mut room, &mut clients);
    let heads = room.doc().get_heads();
    let c = &mut clients[0];
    let paragraphs = match c.doc.get(ROOT, "paragraphs").expect("get") {
        Some((_, obj)) => obj,
        None => panic!("paragraphs"),
    };
    for i in 0..limits::MAX_PARAGRAPHS {
        let id = format!("p{i:012}");
        let entry = c
            .doc
            .put_object(&paragraphs, id.as_str(), automerge::ObjType::Map)
            .expect("entry");
        c.doc.put(&entry, "kind", "numbered").expect("kind");
        c.doc
            .put(&entry, "order", format!("a{i:08}"))
            .expect("order");
        c.doc
            .put_object(&entry, "text", automerge::ObjType::Text)
            .expect("text");
    }
    let refusal = refusal(&mut room, &mut clients).expect("refused");
    assert_eq!(refusal.code, ErrorCode::Schema);
    assert!(
        refusal.message.contains("paragraphs"),
        "{}",
        refusal.message
    );
    assert_eq!(room.doc().get_heads(), heads);
}

#[test]
fn control_characters_are_refused_over_sync_as_over_http() {
    for bad in ["NUL\u{0}", "bell\u{7}", "esc\u{1b}[2J", "vt\u{b}"] {
        let mut room = Room::new(server_doc());
        let mut clients = vec![join(&mut room, 1, Role::Drafter)];
        settle(&mut room, &mut clients);
        let heads = room.doc().get_heads();
        let id = paragraph_id(&room);
        document::splice(&mut clients[0].doc, &id, 0, 0, bad).expect("type");
        let refusal = refusal(&mut room, &mut clients).expect("refused");
        assert_eq!(refusal.code, ErrorCode::Schema, "{bad:?}");
        assert_eq!(room.doc().get_heads(), heads);
    }
    // Line breaks and tabs are words in a paragraph.
    let mut room = Room::new(server_doc());
    let mut clients = vec![join(&mut room, 1, Role::Drafter)];
    settle(&mut room, &mut clients);
    let id = paragraph_id(&room);
    document::splice(&mut clients[0].doc, &id, 0, 0, "a\n\tb ").expect("type");
    assert!(refusal(&mut room, &mut clients).is_none());
}

/// Frames a hostile drafter sent that once did harm, kept as `core/fuzz-fixtures/sync/*.bin`
/// and replayed here on every run, as automerge keeps its fuzzers' crashers: each is refused
/// or applied, and the room never panics and stays readable.
#[test]
fn recorded_hostile_frames_are_refused_or_applied_and_never_break_the_room() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz-fixtures/sync");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("bin") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read");
        let mut room = Room::new(fixture_doc());
        room.join(1, PeerInfo::with_actor(Role::Drafter, fixture_actor()));
        let heads = room.doc().get_heads();
        let result = room.receive_sync(1, Bytes::from(bytes));
        assert!(result.is_err(), "{} was taken", path.display());
        assert_eq!(room.doc().get_heads(), heads, "{}", path.display());
        assert!(room.outline().is_ok(), "{}", path.display());
        replayed += 1;
    }
    assert!(replayed >= 3, "{replayed} fixtures");
}

/// The document the fixtures were recorded against: the same bytes every run.
fn fixture_doc() -> Automerge {
    let bytes = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz-fixtures/sync/document.automerge"),
    )
    .expect("fixture document");
    document::load(&bytes).expect("load")
}

fn fixture_actor() -> ActorId {
    ActorId::from(b"accord-fuzz-actor".as_slice())
}

/// Writes the fixtures (run once with `ACCORD_WRITE_FIXTURES=1`): the document, and frames
/// that replace a paragraph's text object, add paragraphs past the limit, and carry control
/// characters.
#[test]
fn write_sync_fixtures_when_asked() {
    if std::env::var("ACCORD_WRITE_FIXTURES").is_err() {
        return;
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz-fixtures/sync");
    let doc = server_doc();
    std::fs::write(dir.join("document.automerge"), doc.save()).expect("write");
    let frame = |edit: &dyn Fn(&mut AutoCommit)| {
        let mut c = AutoCommit::load(&doc.save()).expect("load");
        c.set_actor(fixture_actor());
        edit(&mut c);
        let mut state = sync::State::new();
        // What a client with the whole document sends first: its changes since the server's.
        let mut server_state = sync::State::new();
        let server = doc.clone();
        let hello = server
            .generate_sync_message(&mut server_state)
            .expect("hello");
        c.sync()
            .receive_sync_message(&mut state, hello)
            .expect("receive");
        let message = c.sync().generate_sync_message(&mut state).expect("message");
        message.encode()
    };
    let id = document::read(&doc).expect("outline").paragraphs[0]
        .id
        .clone();
    let replace_text = frame(&|c| {
        let paragraphs = c.get(ROOT, "paragraphs").expect("get").expect("map").1;
        let entry = c
            .get(&paragraphs, id.as_str())
            .expect("get")
            .expect("entry")
            .1;
        let text = c
            .put_object(&entry, "text", automerge::ObjType::Text)
            .expect("put");
        c.splice_text(&text, 0, 0, "Replaced").expect("splice");
    });
    let control = frame(&|c| {
        document::splice(c, &id, 0, 0, "\u{0}\u{7}\u{1b}[2J\u{b}").expect("type");
    });
    let too_many = frame(&|c| {
        let paragraphs = c.get(ROOT, "paragraphs").expect("get").expect("map").1;
        for i in 0..=limits::MAX_PARAGRAPHS {
            let pid = format!("p{i:012}");
            let entry = c
                .put_object(&paragraphs, pid.as_str(), automerge::ObjType::Map)
                .expect("entry");
            c.put(&entry, "kind", "numbered").expect("kind");
            c.put(&entry, "order", format!("a{i:08}")).expect("order");
            c.put_object(&entry, "text", automerge::ObjType::Text)
                .expect("text");
        }
    });
    for (name, bytes) in [
        ("replace-text", replace_text),
        ("control-characters", control),
        ("too-many-paragraphs", too_many),
    ] {
        std::fs::write(dir.join(format!("{name}.bin")), bytes).expect("write");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]

    /// The recorded frames, mutated (a byte changed, the frame cut short): whatever the room
    /// makes of them, it does not panic and its document stays readable.
    #[test]
    fn mutated_frames_never_panic_the_room(
        which in 0usize..2,
        at in 0usize..512,
        byte in proptest::prelude::any::<u8>(),
        keep in 0usize..512,
    ) {
        let name = ["replace-text.bin", "control-characters.bin"][which];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz-fixtures/sync");
        let mut bytes = std::fs::read(dir.join(name)).expect("fixture");
        let at = at % bytes.len();
        bytes[at] = byte;
        bytes.truncate(keep.max(1).min(bytes.len()));
        let mut room = Room::new(fixture_doc());
        room.join(1, PeerInfo::with_actor(Role::Drafter, fixture_actor()));
        let _ = room.receive_sync(1, Bytes::from(bytes));
        proptest::prop_assert!(room.outline().is_ok());
    }
}

/// What a typist that has everything sends after one local change: the change and its heads.
fn keystroke(c: &mut Client) -> (PeerId, Bytes) {
    let change = c.doc.get_last_local_change().expect("a change").clone();
    let message = sync::Message {
        heads: c.doc.get_heads(),
        need: Vec::new(),
        have: Vec::new(),
        changes: sync::ChunkList::from(vec![change.raw_bytes().to_vec()]),
        flags: None,
        version: sync::MessageVersion::V1,
    };
    (c.peer, Bytes::from(message.encode()))
}

#[test]
fn keystrokes_that_arrive_together_are_applied_in_one_pass() {
    let mut room = Room::new(server_doc());
    let mut clients: Vec<_> = (1..=4).map(|p| join(&mut room, p, Role::Drafter)).collect();
    settle(&mut room, &mut clients);
    let before = room.doc().get_heads();
    let id = paragraph_id(&room);
    let run: Vec<_> = clients
        .iter_mut()
        .map(|c| {
            document::splice(&mut c.doc, &id, 0, 0, &format!("<{}>", c.peer)).expect("type");
            c.doc.commit();
            keystroke(c)
        })
        .collect();
    let results = room.receive_sync_run(run);
    assert!(results.iter().all(|(_, r)| r.is_ok()));
    // One pass, one chunk to store, and it holds all four.
    let chunks: Vec<Vec<u8>> = results
        .into_iter()
        .filter_map(|(_, r)| r.expect("accepted").chunk)
        .collect();
    assert_eq!(chunks.len(), 1);
    let mut rebuilt = room.doc().fork_at(&before).expect("fork");
    rebuilt.load_incremental(&chunks[0]).expect("chunk loads");
    assert_eq!(rebuilt.get_heads(), room.doc().get_heads());
    let text = room.outline().expect("outline").paragraphs[0].text.clone();
    for p in 1..=4 {
        assert!(text.contains(&format!("<{p}>")), "{text}");
    }
    let frames = room.flush();
    converge(&mut room, &mut clients, frames);
}

#[test]
fn in_a_run_only_the_faulty_keystrokes_are_refused() {
    let mut room = Room::new(server_doc());
    let mut clients: Vec<_> = (1..=4).map(|p| join(&mut room, p, Role::Drafter)).collect();
    settle(&mut room, &mut clients);
    let id = paragraph_id(&room);
    let typed = |c: &mut Client, words: &str| {
        document::splice(&mut c.doc, &id, 0, 0, words).expect("type");
        c.doc.commit();
        keystroke(c)
    };
    // A schema breaker among good typists: the pass is refused, then each is taken alone.
    let good_1 = typed(&mut clients[0], "<one>");
    clients[1].doc.put(ROOT, "paragraphs", "gone").expect("put");
    clients[1].doc.commit();
    let breaker = keystroke(&mut clients[1]);
    let good_3 = typed(&mut clients[2], "<three>");
    let results = room.receive_sync_run(vec![good_1, breaker, good_3]);
    let codes: Vec<Option<ErrorCode>> = results
        .iter()
        .map(|(_, r)| r.as_ref().err().map(|e| e.code))
        .collect();
    assert_eq!(codes, vec![None, Some(ErrorCode::Schema), None]);
    // A forger beside a good typist: its change is never applied, the other's is.
    let good_1 = typed(&mut clients[0], "<again>");
    clients[3].doc.set_actor(automerge::ActorId::random());
    let forged = typed(&mut clients[3], "<forged>");
    let results = room.receive_sync_run(vec![forged, good_1]);
    assert_eq!(
        results[0].1.as_ref().err().map(|e| e.code),
        Some(ErrorCode::Forbidden)
    );
    assert!(results[1].1.is_ok());
    let text = room.outline().expect("outline").paragraphs[0].text.clone();
    for kept in ["<one>", "<three>", "<again>"] {
        assert!(text.contains(kept), "{text}");
    }
    assert!(!text.contains("<forged>"), "{text}");
    document::validate(room.doc()).expect("still valid");
}
