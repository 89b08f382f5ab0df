//! One task per open document: it owns the document's [`Room`], takes frames from the
//! connections, stores each batch's chunks, and only then sends the batch's frames.
//!
//! A room drains everything that has arrived (up to [`BATCH`] inputs) before it stores and
//! flushes, so under load many keystrokes share one SQLite commit and one sync message per group
//! of peers. A room with no peers unloads itself after [`IDLE`].

use std::{
    collections::{BTreeSet, HashMap, HashSet},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use automerge::{ActorId, Automerge};
use bytes::Bytes;
use domain::{
    api::{ErrorCode, Role, ServerFrame},
    document::{self, Outline},
    limits,
    phase::Phase,
    refusal::Refusal as Refused,
};
use tokio::sync::{mpsc, oneshot};

pub use crate::relay::PeerInfo;
use crate::{
    auth::Principal,
    cluster,
    error::Error,
    places::{Place, Places},
    relay::{Frame, Outbox, PeerId, Refusal, Room},
    store::{Companion, News, Store, StoreError},
    Accord,
};

impl PeerInfo {
    /// Who a sync connection is. Every signed-in connection gets an actor of its own, so that a
    /// role raised while connected can edit at once. It is recorded for the account only when
    /// the account may edit text now (so that edits made offline under it are still the
    /// account's in a later session): a reader's or a participant's connections write nothing
    /// and leave no rows.
    pub async fn for_principal(
        state: &Accord,
        who: &Principal,
        standing: domain::policy::Standing,
        watch: bool,
    ) -> Result<Self, Error> {
        let Some(account) = &who.account else {
            return Ok(Self {
                account: None,
                name: String::new(),
                standing,
                actor: None,
                actors: Default::default(),
                session: None,
                watch,
            });
        };
        let mut peer = Self {
            account: Some(account.id.clone()),
            name: account.display_name.clone(),
            standing,
            actor: None,
            actors: Default::default(),
            session: who.session.clone(),
            watch,
        };
        // A watcher never syncs, so it writes as no one: it is spared the account's actors,
        // which grow by one with every connection that may edit (a thousand watchers of one
        // account each held the whole list: about 100 KB apiece).
        if watch {
            return Ok(peer);
        }
        let store = state.rooms.store();
        let actor = automerge::ActorId::random();
        if domain::policy::allows(standing, domain::policy::Action::EditText) {
            store
                .record_actor(&actor.to_hex_string(), &account.id)
                .await?;
        }
        let mut actors: HashSet<ActorId> = store
            .actors_of(&account.id)
            .await?
            .into_iter()
            .filter_map(|hex| hex::decode(hex).ok().map(automerge::ActorId::from))
            .collect();
        actors.insert(actor.clone());
        peer.actors = Arc::new(actors);
        peer.actor = Some(actor);
        Ok(peer)
    }
}

/// Most inputs handled between two flushes.
const BATCH: usize = 512;
/// How long a room without peers stays loaded.
const IDLE: Duration = Duration::from_secs(30);
/// Chunks stored after a snapshot before the room compacts them into a new one.
const COMPACT_AFTER: usize = 1000;
/// Frames queued for one connection before it is dropped as too slow.
pub const PEER_QUEUE: usize = 4096;

/// What the room sends to a connection's writer.
#[derive(Debug)]
pub enum Outgoing {
    Frame(Frame),
    /// Send this frame (if any), then close the connection.
    Close(Option<Frame>),
    /// This process is stopping: close the connection as going away (WebSocket 1001), which
    /// the client answers by reconnecting, to another process.
    GoingAway,
}

enum Input {
    Join {
        peer: PeerId,
        info: PeerInfo,
        out: mpsc::Sender<Outgoing>,
    },
    Role {
        account: String,
        role: Role,
    },
    /// The document moved to another phase.
    Phase(Phase),
    /// A session ended (its token's hash): its connections close.
    SessionEnded(String),
    Sync {
        peer: PeerId,
        bytes: Bytes,
    },
    Control {
        peer: PeerId,
        text: String,
    },
    Leave {
        peer: PeerId,
    },
    /// Runs a read-only look at the document in the room's task.
    Read(Box<dyn FnOnce(&Automerge) + Send>),
    /// Sends a frame to every connection.
    Announce(Frame),
    /// Merges changes made by the server (written by `actors`) and stores them with `rows` in
    /// one transaction; the reply, with the new heads, comes once both are stored.
    Merge(Merge),
    /// Another process stored these chunks of the document (see `cluster`).
    StoredElsewhere(Vec<i64>),
    /// News from the other processes may have been missed: reload from the database and take
    /// in whatever this replica lacks.
    CatchUp,
    /// The process is stopping: store what came in, then hand every connection back, and
    /// put its sender where the stopping process waits for the connection to have closed.
    HandBack(Handed),
}

/// The connections the rooms handed back, which the stopping process waits for.
type Handed = Arc<Mutex<Vec<mpsc::Sender<Outgoing>>>>;

/// A merge the server makes itself, and the rows that commit with it.
pub struct Merge {
    bytes: Vec<u8>,
    actors: Arc<HashSet<ActorId>>,
    rows: Box<dyn Companion>,
    reply: oneshot::Sender<Result<Vec<String>, Unmerged>>,
}

/// Why a merge the server asked for did not happen; nothing of it was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unmerged {
    /// The changes were refused (the schema, a limit, an actor); the words say why.
    Refused(String),
    /// The rows declined (an amendment decided meanwhile).
    Declined,
    /// The store failed; the room reloads from disk.
    Failed,
}

/// A sync connection counted against its cap until it drops.
pub type Admission = Place<String>;

/// A connection's handle on its room.
pub struct Connection {
    pub peer: PeerId,
    tx: mpsc::Sender<Input>,
}

impl Connection {
    /// Hands a binary frame to the room. Returns false if the room is gone.
    pub async fn sync(&self, bytes: Bytes) -> bool {
        self.tx
            .send(Input::Sync {
                peer: self.peer,
                bytes,
            })
            .await
            .is_ok()
    }

    pub async fn control(&self, text: String) -> bool {
        self.tx
            .send(Input::Control {
                peer: self.peer,
                text,
            })
            .await
            .is_ok()
    }
}

impl Drop for Connection {
    /// Tells the room, waiting for room in its queue if need be: a leave lost to a full queue
    /// would keep a peer that no longer listens.
    fn drop(&mut self) {
        let leave = Input::Leave { peer: self.peer };
        if let Err(mpsc::error::TrySendError::Full(leave)) = self.tx.try_send(leave) {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                let tx = self.tx.clone();
                runtime.spawn(async move {
                    let _ = tx.send(leave).await;
                });
            }
        }
    }
}

struct Handle {
    tx: mpsc::Sender<Input>,
    generation: u64,
    /// The group that owns the document, so that role changes reach its rooms.
    group: String,
}

#[derive(Clone)]
pub struct Rooms {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    store: Store,
    rooms: Mutex<HashMap<String, Handle>>,
    /// Live sync connections per account (`a:` id) or, for anonymous ones, per address (`ip:`).
    sockets: Places<String>,
    /// Sync connections one account may hold ([`limits::MAX_SOCKETS_PER_ACCOUNT`] unless the
    /// operator says otherwise).
    per_account: std::sync::atomic::AtomicUsize,
    next_peer: AtomicU64,
    next_generation: AtomicU64,
    /// The live sessions screens follow here.
    boards: crate::boards::Boards,
    /// Dropped with the rooms, which ends the task listening to the other processes.
    _listening: tokio::sync::watch::Sender<()>,
}

#[derive(Debug, thiserror::Error)]
pub enum RoomError {
    #[error("unknown document '{0}'")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the document's room stopped")]
    Gone,
    #[error("the stored document is damaged: {0}")]
    Schema(String),
}

impl Rooms {
    /// The rooms of this process. On a database several processes share (PostgreSQL), a task
    /// listens to the others for as long as the rooms live (`cluster`).
    pub fn new(store: Store) -> Self {
        let shared = store
            .shared_url()
            .map(|url| (url.to_string(), store.node().to_string()));
        let (listening, dropped) = tokio::sync::watch::channel(());
        let rooms = Self {
            inner: Arc::new(Inner {
                store,
                rooms: Mutex::new(HashMap::new()),
                sockets: Places::default(),
                per_account: limits::MAX_SOCKETS_PER_ACCOUNT.into(),
                next_peer: AtomicU64::new(1),
                next_generation: AtomicU64::new(1),
                boards: Default::default(),
                _listening: listening,
            }),
        };
        if let Some((url, node)) = shared {
            let weak = Arc::downgrade(&rooms.inner);
            tokio::spawn(async move {
                let mut dropped = dropped;
                tokio::select! {
                    () = cluster::listen(url, node, weak) => {}
                    _ = dropped.changed() => {}
                }
            });
        }
        rooms
    }

    pub(crate) fn from_inner(inner: Arc<Inner>) -> Self {
        Self { inner }
    }

    /// Sets how many sync connections one account may hold (`ACCORD_SOCKETS_PER_ACCOUNT`; the
    /// load benchmark runs many editors under one account).
    pub fn set_sockets_per_account(&self, n: usize) {
        self.inner.per_account.store(n, Ordering::Relaxed);
    }

    /// Counts a sync connection against its account's cap (or, anonymous, its address's),
    /// before anything is upgraded or loaded for it; the cap is freed when the admission drops.
    pub fn admit(&self, who: &Principal) -> Result<Admission, Refused> {
        let (key, limit) = match who.account_id() {
            Some(a) => (
                format!("a:{a}"),
                self.inner.per_account.load(Ordering::Relaxed),
            ),
            None => (
                format!("ip:{}", who.address),
                limits::MAX_ANONYMOUS_SOCKETS_PER_ADDRESS,
            ),
        };
        self.inner
            .sockets
            .take(key, limit)
            .ok_or(Refused::TooManyConnections { limit })
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The running room of a document, loading it if needed.
    async fn room(&self, doc_id: &str) -> Result<mpsc::Sender<Input>, RoomError> {
        if let Some(tx) = self.live(doc_id) {
            return Ok(tx);
        }
        let (doc, folded) = self
            .inner
            .store
            .load_document(doc_id)
            .await?
            .ok_or_else(|| RoomError::NotFound(doc_id.to_string()))?;
        let (group, phase) = self
            .inner
            .store
            .document_meta(doc_id)
            .await?
            .map(|m| (m.group_id, m.schedule.phase))
            .unwrap_or((String::new(), Phase::Drafting));
        let mut rooms = self.inner.rooms.lock().unwrap_or_else(|e| e.into_inner());
        // Another connection may have loaded it while we read from the store.
        if let Some(h) = rooms.get(doc_id).filter(|h| !h.tx.is_closed()) {
            return Ok(h.tx.clone());
        }
        let (tx, rx) = mpsc::channel(BATCH * 4);
        let generation = self.inner.next_generation.fetch_add(1, Ordering::Relaxed);
        rooms.insert(
            doc_id.to_string(),
            Handle {
                tx: tx.clone(),
                generation,
                group,
            },
        );
        // What another process stored between our read and our registering went unheard.
        if self.inner.store.shared_url().is_some() {
            let _ = tx.try_send(Input::CatchUp);
        }
        let mut room = Room::new(doc);
        // Nobody is connected yet: there is nobody to tell.
        let _ = room.set_phase(phase);
        let task = RoomTask {
            id: doc_id.to_string(),
            room,
            outs: HashMap::new(),
            rooms: self.clone(),
            generation,
            folded,
        };
        tokio::spawn(task.run(rx));
        Ok(tx)
    }

    fn live(&self, doc_id: &str) -> Option<mpsc::Sender<Input>> {
        let rooms = self.inner.rooms.lock().unwrap_or_else(|e| e.into_inner());
        rooms
            .get(doc_id)
            .filter(|h| !h.tx.is_closed())
            .map(|h| h.tx.clone())
    }

    /// Connects a peer to a document. Frames for it arrive on `out`.
    pub async fn join(
        &self,
        doc_id: &str,
        info: PeerInfo,
        out: mpsc::Sender<Outgoing>,
    ) -> Result<Connection, RoomError> {
        let peer = self.inner.next_peer.fetch_add(1, Ordering::Relaxed);
        // A room may be unloading just as we join; one retry reaches a freshly loaded one.
        for _ in 0..2 {
            let tx = self.room(doc_id).await?;
            let join = Input::Join {
                peer,
                info: info.clone(),
                out: out.clone(),
            };
            if tx.send(join).await.is_ok() {
                return Ok(Connection { peer, tx });
            }
        }
        Err(RoomError::Gone)
    }

    /// The live outline and heads of a document.
    /// A document's heads now, as hex.
    pub async fn heads(&self, doc_id: &str) -> Result<Vec<String>, RoomError> {
        self.read(doc_id, |doc| document::hex_heads(&doc.get_heads()))
            .await
    }

    pub async fn outline(&self, doc_id: &str) -> Result<(Outline, Vec<String>), RoomError> {
        self.read(doc_id, |doc| {
            let heads = document::hex_heads(&doc.get_heads());
            document::read(doc).map(|o| (o, heads))
        })
        .await?
        .map_err(|e| RoomError::Schema(e.to_string()))
    }

    /// Runs `look` on the document as it is now in its room (loading the room if needed).
    pub async fn read<T: Send + 'static>(
        &self,
        doc_id: &str,
        look: impl FnOnce(&Automerge) -> T + Send + 'static,
    ) -> Result<T, RoomError> {
        let tx = self.room(doc_id).await?;
        let (reply, rx) = oneshot::channel();
        let job: Box<dyn FnOnce(&Automerge) + Send> = Box::new(move |doc| {
            // A look that panics (automerge asserts on some damaged cursors) fails this
            // request only: the room, and every editor in it, goes on.
            let looked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| look(doc)));
            match looked {
                Ok(value) => {
                    let _ = reply.send(value);
                }
                Err(_) => tracing::error!("a read of the document panicked; the room goes on"),
            }
        });
        if tx.send(Input::Read(job)).await.is_err() {
            return Err(RoomError::Gone);
        }
        rx.await.map_err(|_| RoomError::Gone)
    }

    /// Merges changes the server made (an accepted amendment; empty bytes merge nothing) into
    /// a document and stores them with `rows` in one transaction, before this returns the new
    /// heads. Either the changes and the rows are both on disk, or neither is and the document
    /// is as it was.
    pub async fn merge(
        &self,
        doc_id: &str,
        bytes: Vec<u8>,
        actors: HashSet<ActorId>,
        rows: Box<dyn Companion>,
    ) -> Result<Result<Vec<String>, Unmerged>, RoomError> {
        let tx = self.room(doc_id).await?;
        let (reply, rx) = oneshot::channel();
        let actors = Arc::new(actors);
        let merge = Merge {
            bytes,
            actors,
            rows,
            reply,
        };
        if tx.send(Input::Merge(merge)).await.is_err() {
            return Err(RoomError::Gone);
        }
        rx.await.map_err(|_| RoomError::Gone)
    }

    /// Sends `frame` to everyone connected to a document, through every process; nobody
    /// connected, nothing to do.
    pub fn announce(&self, doc_id: &str, frame: &ServerFrame) {
        self.announce_here(doc_id, frame);
        self.inner.store.tell(News::Announce {
            doc: doc_id.to_string(),
            frame: frame.clone(),
        });
    }

    /// [`Rooms::announce`] to this process's connections only.
    pub(crate) fn announce_here(&self, doc_id: &str, frame: &ServerFrame) {
        if let Some(tx) = self.live(doc_id) {
            // A room too busy to take the news drops it; viewers catch up at their next fetch.
            let _ = tx.try_send(Input::Announce(Frame::control(frame)));
        }
    }

    /// Tells a document's open rooms, in every process, that it moved to `phase`.
    pub async fn phase_changed(&self, doc_id: &str, phase: Phase) {
        self.phase_changed_here(doc_id, phase).await;
        self.inner.store.tell(News::Phase {
            doc: doc_id.to_string(),
            phase,
        });
    }

    pub(crate) async fn phase_changed_here(&self, doc_id: &str, phase: Phase) {
        if let Some(tx) = self.live(doc_id) {
            let _ = tx.send(Input::Phase(phase)).await;
        }
    }

    /// A session ended: every connection opened in it, in every room of every process, closes.
    pub async fn session_ended(&self, session: &str) {
        self.session_ended_here(session).await;
        self.inner.store.tell(News::SessionEnded {
            session: session.to_string(),
        });
    }

    /// The board screens following live session `id` watch.
    pub fn live_board(&self, id: &str) -> Arc<crate::boards::Board> {
        self.inner.boards.board(id)
    }

    /// Live session `id` changed: every screen following it, in every process, is sent it again.
    pub fn live_changed(&self, id: &str) {
        self.live_changed_here(id);
        self.inner.store.tell(News::Live {
            live: id.to_string(),
        });
    }

    pub(crate) fn live_changed_here(&self, id: &str) {
        self.inner.boards.changed(id);
    }

    pub(crate) async fn session_ended_here(&self, session: &str) {
        for tx in self.senders(|_| true) {
            let _ = tx.send(Input::SessionEnded(session.to_string())).await;
        }
    }

    /// Tells the open rooms of `group`'s documents, in every process, that `account` now has
    /// `role`.
    pub async fn role_changed(&self, group: &str, account: &str, role: Role) {
        self.role_changed_here(group, account, role).await;
        self.inner.store.tell(News::Role {
            group: group.to_string(),
            account: account.to_string(),
            role,
        });
    }

    pub(crate) async fn role_changed_here(&self, group: &str, account: &str, role: Role) {
        for tx in self.senders(|h| h.group == group) {
            let _ = tx
                .send(Input::Role {
                    account: account.to_string(),
                    role,
                })
                .await;
        }
    }

    /// Another process stored chunks `seqs` of `doc_id`: its room here, if open, takes them in.
    pub(crate) async fn stored_elsewhere(&self, doc_id: &str, seqs: Vec<i64>) {
        if let Some(tx) = self.live(doc_id) {
            let _ = tx.send(Input::StoredElsewhere(seqs)).await;
        }
    }

    /// The process is stopping (SIGTERM): every open room stores what it received, hands its
    /// connections back (their clients reconnect, to another process behind the same
    /// address) and stops. Returns once every room has stopped and every connection has sent
    /// its close frame, or after `wait`.
    pub async fn hand_back(&self, wait: Duration) {
        let rooms = self.senders(|_| true);
        let handed = Handed::default();
        for tx in &rooms {
            let _ = tx.send(Input::HandBack(handed.clone())).await;
        }
        let stopped = async {
            futures::future::join_all(rooms.iter().map(|tx| tx.closed())).await;
            // A connection drops its end once its close frame is written.
            let outs = std::mem::take(&mut *handed.lock().unwrap_or_else(|e| e.into_inner()));
            futures::future::join_all(outs.iter().map(|out| out.closed())).await;
        };
        if tokio::time::timeout(wait, stopped).await.is_err() {
            tracing::warn!("some rooms or connections had not stopped after {wait:?}");
        }
    }

    /// Every open room reloads from the database what it may have missed.
    pub(crate) async fn catch_up_all(&self) {
        for tx in self.senders(|_| true) {
            let _ = tx.send(Input::CatchUp).await;
        }
    }

    /// The open rooms' senders that `pick` picks, taken out of the lock.
    fn senders(&self, pick: impl Fn(&Handle) -> bool) -> Vec<mpsc::Sender<Input>> {
        let rooms = self.inner.rooms.lock().unwrap_or_else(|e| e.into_inner());
        rooms
            .values()
            .filter(|h| pick(h))
            .map(|h| h.tx.clone())
            .collect()
    }

    fn unload(&self, doc_id: &str, generation: u64) {
        let mut rooms = self.inner.rooms.lock().unwrap_or_else(|e| e.into_inner());
        if rooms
            .get(doc_id)
            .is_some_and(|h| h.generation == generation)
        {
            rooms.remove(doc_id);
        }
    }
}

struct RoomTask {
    id: String,
    room: Room,
    outs: HashMap<PeerId, mpsc::Sender<Outgoing>>,
    rooms: Rooms,
    generation: u64,
    /// The stored chunks this room's document holds: what its next compaction folds into a
    /// snapshot and deletes. Chunks loaded count, whichever room stored them, so a document
    /// reloaded often is still compacted; chunks another process stores are not among them.
    folded: Vec<i64>,
}

impl RoomTask {
    async fn run(mut self, mut rx: mpsc::Receiver<Input>) {
        // A document loaded with many chunks is compacted before it serves anyone: the next
        // load then reads one snapshot instead of replaying them all.
        self.compact_if_due().await;
        let mut batch = Vec::with_capacity(BATCH);
        loop {
            let received = if self.outs.is_empty() {
                tokio::time::timeout(IDLE, rx.recv_many(&mut batch, BATCH))
                    .await
                    .unwrap_or(0)
            } else if let Some(due) = self.room.watch_news_due() {
                let waited = rx.recv_many(&mut batch, BATCH);
                match tokio::time::timeout_at(due.into(), waited).await {
                    Ok(received) => received,
                    Err(_) => {
                        // Nothing arrived before the watchers' news was due.
                        let news = self.room.watch_news(std::time::Instant::now());
                        self.send(news);
                        continue;
                    }
                }
            } else {
                rx.recv_many(&mut batch, BATCH).await
            };
            if received == 0 {
                // Idle or every sender gone: unload, then serve whatever raced in meanwhile.
                self.rooms.unload(&self.id, self.generation);
                rx.close();
                while let Some(input) = rx.recv().await {
                    batch.push(input);
                }
                if batch.is_empty() {
                    break;
                }
            }
            if !self.handle_batch(&mut batch).await {
                break;
            }
        }
        tracing::debug!(doc = %self.id, "room unloaded");
    }

    /// Handles one batch; false when the room must stop (its document could not be stored).
    async fn handle_batch(&mut self, batch: &mut Vec<Input>) -> bool {
        let mut outbox: Outbox = Vec::new();
        let mut chunks = Vec::new();
        let mut outline_changed = false;
        let mut refused: Vec<(PeerId, Refusal)> = Vec::new();
        let mut merges = Vec::new();
        let mut elsewhere = Vec::new();
        let mut catch_up = false;
        let mut handing_back: Option<Handed> = None;
        // Binary frames that follow one another are taken as a run (keystrokes of live peers
        // applied in one pass); anything else first takes the run before it, keeping the order.
        let mut run: Vec<(PeerId, Bytes)> = Vec::new();
        let mut take_run = |room: &mut Room,
                            run: &mut Vec<(PeerId, Bytes)>,
                            refused: &mut Vec<(PeerId, Refusal)>| {
            for (peer, result) in room.receive_sync_run(std::mem::take(run)) {
                match result {
                    Ok(applied) => {
                        outline_changed |= applied.outline_changed;
                        chunks.extend(applied.chunk);
                    }
                    Err(r) => refused.push((peer, r)),
                }
            }
        };
        for input in batch.drain(..) {
            if !matches!(input, Input::Sync { .. }) {
                take_run(&mut self.room, &mut run, &mut refused);
            }
            match input {
                Input::Join { peer, info, out } => {
                    if self.room.peer_count() >= limits::MAX_PEERS_PER_DOCUMENT {
                        let full = Refused::DocumentFull {
                            limit: limits::MAX_PEERS_PER_DOCUMENT,
                        };
                        let refusal = Refusal::new(ErrorCode::Overloaded, full.message());
                        let _ = out.try_send(Outgoing::Close(Some(refusal.frame())));
                        continue;
                    }
                    self.outs.insert(peer, out);
                    outbox.extend(self.room.join(peer, info));
                }
                Input::Role { account, role } => outbox.extend(self.room.set_role(&account, role)),
                Input::Phase(phase) => outbox.extend(self.room.set_phase(phase)),
                Input::SessionEnded(session) => {
                    for peer in self.room.peers_of_session(&session) {
                        refused.push((
                            peer,
                            Refusal::new(
                                ErrorCode::Forbidden,
                                "you signed out; sign in again to go on",
                            ),
                        ));
                    }
                }
                Input::Sync { peer, bytes } => run.push((peer, bytes)),
                Input::Control { peer, text } => match self.room.receive_control(peer, &text) {
                    Ok(frames) => outbox.extend(frames),
                    Err(r) => refused.push((peer, r)),
                },
                Input::Leave { peer } => {
                    self.outs.remove(&peer);
                    outbox.extend(self.room.leave(peer));
                }
                Input::Read(look) => look(self.room.doc()),
                Input::Announce(frame) => outbox.extend(self.room.announce(&frame)),
                Input::Merge(merge) => merges.push(merge),
                Input::StoredElsewhere(seqs) => elsewhere.extend(seqs),
                Input::CatchUp => catch_up = true,
                Input::HandBack(handed) => handing_back = Some(handed),
            }
        }
        take_run(&mut self.room, &mut run, &mut refused);
        for (peer, refusal) in refused {
            tracing::info!(doc = %self.id, peer, code = ?refusal.code, "refused: {}", refusal.message);
            if let Some(out) = self.outs.remove(&peer) {
                let _ = out.try_send(Outgoing::Close(Some(refusal.frame())));
            }
            outbox.extend(self.room.leave(peer));
        }
        if !chunks.is_empty() && !self.store(&chunks, outline_changed).await {
            // Nothing of this batch may be acknowledged: drop everyone and reload from disk.
            self.fail_all();
            return false;
        }
        if !elsewhere.is_empty() || catch_up {
            self.take_in_stored(elsewhere, catch_up).await;
        }
        // The server's own merges go one at a time after the peers' changes are stored, each
        // in its own transaction with its rows.
        for merge in merges {
            if !self.merge(merge).await {
                self.fail_all();
                return false;
            }
        }
        outbox.extend(self.room.flush());
        outbox.extend(self.room.watch_news(std::time::Instant::now()));
        self.send(outbox);
        if let Some(handed) = handing_back {
            // Everything acknowledged is stored (a chunk is stored before it is relayed).
            let mut handed = handed.lock().unwrap_or_else(|e| e.into_inner());
            for (_, out) in self.outs.drain() {
                let _ = out.try_send(Outgoing::GoingAway);
                handed.push(out);
            }
            return false;
        }
        true
    }

    /// Applies one of the server's merges and stores it with its rows; on a refusal or a
    /// declining row the document goes back to where it was. False when the store failed.
    async fn merge(&mut self, m: Merge) -> bool {
        let before = self.room.doc().get_heads();
        let applied = match self.room.merge(&m.bytes, &m.actors) {
            Ok(applied) => applied,
            Err(r) => {
                let _ = m.reply.send(Err(Unmerged::Refused(r.message)));
                return true;
            }
        };
        let mirrors = self.mirrors(applied.outline_changed);
        let heads = document::hex_heads(&self.room.doc().get_heads());
        let stored = self
            .rooms
            .store()
            .append_change_with(
                &self.id,
                applied.chunk.as_deref(),
                mirrors.as_ref().map(|(t, n)| (t.as_str(), *n)),
                &heads,
                m.rows.as_ref(),
            )
            .await;
        match stored {
            Ok(Some(seqs)) => {
                self.folded.extend(seqs);
                let _ = m.reply.send(Ok(heads));
                true
            }
            Ok(None) => {
                if applied.chunk.is_some() {
                    self.room.undo(&before);
                }
                let _ = m.reply.send(Err(Unmerged::Declined));
                true
            }
            Err(e) => {
                tracing::error!(doc = %self.id, "storing a merge failed: {e}");
                let _ = m.reply.send(Err(Unmerged::Failed));
                false
            }
        }
    }

    /// Takes in chunks another process stored (`seqs`), which were checked there; live peers
    /// get them at the next flush. When some are gone (compacted into the snapshot meanwhile)
    /// or news may have been missed (`catch_up`), the whole document is read again instead.
    async fn take_in_stored(&mut self, seqs: Vec<i64>, catch_up: bool) {
        let store = self.rooms.store().clone();
        if !catch_up {
            match store.chunks_numbered(&self.id, &seqs).await {
                Ok(chunks) if chunks.len() == seqs.len() => {
                    for (seq, bytes) in chunks {
                        self.room.receive_stored(&bytes);
                        self.folded.push(seq);
                    }
                    return;
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(doc = %self.id, "reading another process's changes: {e}"),
            }
        }
        match store.load_document(&self.id).await {
            Ok(Some((doc, folded))) => {
                self.room.receive_stored(&doc.save());
                // Everything stored now is in this replica; nothing else was, since a
                // compaction may have deleted it.
                self.folded = folded;
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(doc = %self.id, "catching up from the database: {e}"),
        }
    }

    /// The listing's mirrors (title, paragraph count), when the outline changed.
    fn mirrors(&self, outline_changed: bool) -> Option<(String, usize)> {
        outline_changed
            .then(|| {
                let doc = self.room.doc();
                Some((document::title(doc).ok()?, document::live_count(doc).ok()?))
            })
            .flatten()
    }

    /// Stores a batch's chunks; compacts when enough have piled up. The listing's mirrors
    /// (title, paragraph count) are recomputed only when the outline changed.
    async fn store(&mut self, chunks: &[Vec<u8>], outline_changed: bool) -> bool {
        let mirrors = self.mirrors(outline_changed);
        let store = self.rooms.store().clone();
        match store
            .append_changes(
                &self.id,
                chunks,
                mirrors.as_ref().map(|(t, n)| (t.as_str(), *n)),
            )
            .await
        {
            Ok(seqs) => self.folded.extend(seqs),
            Err(e) => {
                tracing::error!(doc = %self.id, "storing changes failed: {e}");
                return false;
            }
        }
        self.compact_if_due().await;
        true
    }

    /// Folds the stored chunks into a new snapshot once [`COMPACT_AFTER`] have piled up.
    async fn compact_if_due(&mut self) {
        if self.folded.len() < COMPACT_AFTER {
            return;
        }
        let bytes = self.room.doc().save();
        let store = self.rooms.store().clone();
        match store.compact(&self.id, &bytes, &self.folded).await {
            Ok(()) => self.folded.clear(),
            Err(e) => tracing::warn!(doc = %self.id, "compaction failed (chunks kept): {e}"),
        }
    }

    /// Hands each frame to its connection's queue. A connection whose queue is full is dropped
    /// as too slow, and the frames its leaving causes join the same loop: a wave of slow peers
    /// costs a loop, never a call per peer (a recursion here once overflowed the stack when
    /// thousands of sockets went at once).
    fn send(&mut self, outbox: Outbox) {
        let mut pending = outbox;
        while !pending.is_empty() {
            let mut slow = BTreeSet::new();
            for (peer, frame) in pending.drain(..) {
                if let Some(out) = self.outs.get(&peer) {
                    if out.try_send(Outgoing::Frame(frame)).is_err() {
                        slow.insert(peer);
                    }
                }
            }
            for peer in slow {
                if let Some(out) = self.outs.remove(&peer) {
                    let refusal = Refusal {
                        code: ErrorCode::Overloaded,
                        message: "this connection fell too far behind; reconnect to catch up"
                            .into(),
                    };
                    let _ = out.try_send(Outgoing::Close(Some(refusal.frame())));
                }
                pending.extend(self.room.leave(peer));
            }
        }
    }

    fn fail_all(&mut self) {
        for (_, out) in self.outs.drain() {
            let refusal = Refusal {
                code: ErrorCode::Internal,
                message: "something went wrong; reconnect".into(),
            };
            let _ = out.try_send(Outgoing::Close(Some(refusal.frame())));
        }
        self.rooms.unload(&self.id, self.generation);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::ParagraphKind;

    /// Thousands of connections that stop reading, all dropped by one broadcast: each drop
    /// tells the others, who are slow too. This once recursed once per peer and overflowed the
    /// stack; the room must survive it and serve the next reader.
    #[test]
    fn a_wave_of_slow_peers_is_dropped_without_taking_the_room_down() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_stack_size(256 * 1024)
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let store = Store::memory().await.expect("store");
            store.create_group("g", "G", "bpf").await.expect("group");
            let mut doc = document::new_document("T", &[(ParagraphKind::Numbered, "Hi".into())])
                .expect("document");
            store
                .create_document("dwave", "g", "T", 1, &doc.save())
                .await
                .expect("create");
            let rooms = Rooms::new(store);
            let mut held = Vec::new();
            for _ in 0..2_000 {
                // A queue of one, never read: full after the welcome.
                let (tx, rx) = mpsc::channel(1);
                let info = PeerInfo {
                    name: "Reader".into(),
                    ..PeerInfo::with_role(Role::Participant)
                };
                let conn = rooms.join("dwave", info, tx).await.expect("join");
                held.push((conn, rx));
            }
            rooms.announce(
                "dwave",
                &ServerFrame::Phase {
                    phase: Phase::Drafting,
                },
            );
            let heads = rooms.heads("dwave").await.expect("the room still serves");
            assert!(!heads.is_empty());
        });
    }

    /// Chunks that piled up over many short room lifetimes are compacted when the document is
    /// next loaded, not only after a thousand within one lifetime.
    #[tokio::test]
    async fn a_document_reloaded_with_many_chunks_is_compacted_on_load() {
        let store = Store::memory().await.expect("store");
        store.create_group("g", "G", "bpf").await.expect("group");
        let mut doc = document::new_document("T", &[(ParagraphKind::Numbered, "Hi".into())])
            .expect("document");
        store
            .create_document("dmany", "g", "T", 1, &doc.save())
            .await
            .expect("create");
        let id = document::read(&doc).expect("outline").paragraphs[0]
            .id
            .clone();
        let mut heads = doc.get_heads();
        for i in 0..(COMPACT_AFTER + 10) {
            document::splice(&mut doc, &id, 0, 0, if i % 2 == 0 { "a" } else { "b" })
                .expect("type");
            let chunk = doc.save_after(&heads);
            heads = doc.get_heads();
            store
                .append_changes("dmany", &[chunk], None)
                .await
                .expect("chunk");
        }
        let rooms = Rooms::new(store.clone());
        let text = rooms.outline("dmany").await.expect("outline").0.paragraphs[0]
            .text
            .clone();
        assert_eq!(text.len(), 2 + COMPACT_AFTER + 10);
        assert_eq!(store.pending_chunks("dmany").await.expect("pending"), 0);
    }
}
