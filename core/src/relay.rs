//! The sync relay of one document, sans I/O: state plus input gives output.
//!
//! A [`Room`] holds the server's copy of the document and one automerge sync state per connected
//! peer. Inputs are a peer joining, a binary frame (one automerge sync message), a text frame
//! (JSON control) and a peer leaving; outputs are frames to send, chunks to store, and peers to
//! close. The caller (see `rooms`) stores the chunks of a batch before it sends any frame of that
//! batch, which is how "stored before acknowledged or relayed" holds.
//!
//! A peer is in one of two modes:
//! - **Handshake**: a new connection (or one that said something irregular) is served by
//!   automerge's own sync state machine, one `sync::State` per peer, until it has everything.
//! - **Live**: a caught-up peer. When a batch adds changes, the room builds **one** standard sync
//!   message (the new changes, the new heads, and a `have` whose `last_sync` is the heads every
//!   live peer already has) and sends the same bytes to every live peer. Their acknowledgements
//!   carry no changes and name heads the room knows, so they are recognised and dropped without
//!   touching the document. Keystrokes from a live peer are applied directly.
//!
//! So the cost of a keystroke is one apply plus one encode, whatever the number of peers, and
//! per-peer state is a few bytes once a peer is live. Anything unusual from a live peer (a
//! `need`, heads the room does not know) sends it back to handshake mode with a fresh state,
//! which the sync protocol always recovers from.
//!
//! Every write is checked before it is kept: a message that does not decode, a writer whose role
//! may not edit, or a change that breaks the schema is refused, and the document is rolled back
//! to the heads it had before the message.

use std::{
    collections::{BTreeMap, BTreeSet, HashSet},
    sync::Arc,
    time::{Duration, Instant},
};

use automerge::{
    sync::{self, SyncDoc},
    ActorId, Automerge, ChangeHash, PatchLog, ReadDoc,
};
use bytes::Bytes;
use domain::{
    api::{ClientFrame, ErrorCode, PeerPresence, Role, ServerFrame},
    document::{self, Outline},
    limits,
    phase::Phase,
    policy::{self, Action, Standing},
};

pub type PeerId = u64;

/// A frame to send to one peer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frame {
    /// An encoded automerge sync message.
    Binary(Bytes),
    /// A JSON control frame.
    Text(Bytes),
}

impl Frame {
    pub fn control(frame: &ServerFrame) -> Self {
        // Serialising these plain structs cannot fail; an empty frame would be ignored anyway.
        Frame::Text(Bytes::from(serde_json::to_vec(frame).unwrap_or_default()))
    }
}

/// Why a peer's frame was refused; the peer is sent [`ServerFrame::Error`] and disconnected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: ErrorCode,
    pub message: String,
}

impl Refusal {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub fn frame(&self) -> Frame {
        Frame::control(&ServerFrame::Error {
            code: self.code,
            message: self.message.clone(),
        })
    }
}

enum Mode {
    Handshake(sync::State),
    Live,
    /// Holds no copy of the text: told that it changed (`ServerFrame::Edited`), never sent it.
    Watch,
}

struct Peer {
    mode: Mode,
    presence: PeerPresence,
    info: PeerInfo,
}

impl Peer {
    /// Whether others see this peer come, move and go. Anonymous readers are not announced:
    /// they have no name and no caret, and a crowd of them must cost the others nothing.
    fn announced(&self) -> bool {
        self.info.standing.signed_in
    }
}

/// Who a connection is, as the room needs it.
#[derive(Clone, Debug)]
pub struct PeerInfo {
    pub account: Option<String>,
    pub name: String,
    pub standing: Standing,
    /// The actor this connection must write with (announced in the welcome frame).
    pub actor: Option<ActorId>,
    /// Every actor whose changes this connection may push: its own, and those the server
    /// assigned to the same account before (edits made offline in an earlier session).
    pub actors: Arc<HashSet<ActorId>>,
    /// The session this connection was opened in (its token's hash): signing out closes it.
    pub session: Option<String>,
    /// Watches instead of syncing (see `domain::api::SyncQuery`).
    pub watch: bool,
}

impl PeerInfo {
    /// A connection with `role` writing as a fresh actor (for tests and tools).
    pub fn with_role(role: Role) -> Self {
        Self::with_actor(role, ActorId::random())
    }

    /// A connection with `role` writing as `actor` (for tests that replay recorded frames).
    pub fn with_actor(role: Role, actor: ActorId) -> Self {
        Self {
            account: None,
            name: String::new(),
            standing: Standing {
                signed_in: role != Role::Reader,
                admin: false,
                role,
            },
            actors: Arc::new(HashSet::from([actor.clone()])),
            actor: Some(actor),
            session: None,
            watch: false,
        }
    }
}

/// What one accepted sync message did to the document.
#[derive(Debug, Default)]
pub struct Applied {
    /// An incremental save of the new changes, to store before anything else is sent.
    pub chunk: Option<Vec<u8>>,
    /// The title or the set of paragraphs changed, not only paragraph texts.
    pub outline_changed: bool,
}

/// Frames a room wants sent, in order.
pub type Outbox = Vec<(PeerId, Frame)>;

pub struct Room {
    doc: Automerge,
    peers: BTreeMap<PeerId, Peer>,
    /// Handshake peers whose next sync message may differ from the last one.
    dirty: BTreeSet<PeerId>,
    /// The heads every live peer has been sent.
    broadcast_heads: Vec<ChangeHash>,
    /// The document's phase, which decides with each writer's role who may change the text.
    phase: Phase,
    /// Peers whose presence changed since the last flush: however many updates a peer sends
    /// in a batch, the others get its latest once.
    moved: BTreeSet<PeerId>,
    /// Whether watchers are owed an `edited` (the text changed since they were last told).
    watchers_owed: bool,
    /// When watchers were last told; they are told at most once per [`WATCH_NEWS_EVERY`].
    watchers_told: Option<Instant>,
}

/// How often watchers are told at most that the text changed: a page without the app fetches
/// itself again at most every ten seconds, so a crowd of them is not sent one frame per batch
/// of every typist.
pub const WATCH_NEWS_EVERY: Duration = Duration::from_secs(1);

impl Room {
    pub fn new(doc: Automerge) -> Self {
        let broadcast_heads = doc.get_heads();
        Self {
            doc,
            peers: BTreeMap::new(),
            dirty: BTreeSet::new(),
            broadcast_heads,
            phase: Phase::Drafting,
            moved: BTreeSet::new(),
            watchers_owed: false,
            watchers_told: None,
        }
    }

    /// Until when watchers are not told again: [`WATCH_NEWS_EVERY`] after they last were.
    fn watchers_quiet_until(&self) -> Option<Instant> {
        self.watchers_told.map(|told| told + WATCH_NEWS_EVERY)
    }

    /// When [`Room::watch_news`] has news to send, if it is owed.
    pub fn watch_news_due(&self) -> Option<Instant> {
        self.watchers_owed
            .then(|| self.watchers_quiet_until().unwrap_or_else(Instant::now))
    }

    /// Tells the watchers that the text changed, if it did since they were last told and
    /// that was [`WATCH_NEWS_EVERY`] ago by `now`.
    pub fn watch_news(&mut self, now: Instant) -> Outbox {
        if !self.watchers_owed || self.watchers_quiet_until().is_some_and(|quiet| now < quiet) {
            return Vec::new();
        }
        self.watchers_owed = false;
        self.watchers_told = Some(now);
        let edited = Frame::control(&ServerFrame::Edited);
        self.peers
            .iter()
            .filter(|(_, p)| matches!(p.mode, Mode::Watch))
            .map(|(id, _)| (*id, edited.clone()))
            .collect()
    }

    /// The document moved to `phase`: writers are checked against it from their next message,
    /// and every connection is told (editors stop offering what the phase no longer allows).
    pub fn set_phase(&mut self, phase: Phase) -> Outbox {
        self.phase = phase;
        let frame = Frame::control(&ServerFrame::Phase { phase });
        self.peers.keys().map(|to| (*to, frame.clone())).collect()
    }

    pub fn doc(&self) -> &Automerge {
        &self.doc
    }

    pub fn outline(&self) -> Result<Outline, document::SchemaError> {
        document::read(&self.doc)
    }

    pub fn peer_count(&self) -> usize {
        self.peers.len()
    }

    /// Adds a peer; it is greeted, and everyone else is told if it is announced.
    pub fn join(&mut self, peer: PeerId, info: PeerInfo) -> Outbox {
        let role = info.standing.role;
        let presence = PeerPresence {
            peer,
            name: clean_name(&info.name).unwrap_or_else(|| format!("Guest {peer}")),
            role,
            paragraph: None,
            caret: None,
            to: None,
            hue: domain::api::hue_of(
                info.account
                    .as_deref()
                    .or(info.session.as_deref())
                    .unwrap_or(&format!("peer {peer}")),
            ),
        };
        let mut out = Vec::with_capacity(self.peers.len() + 1);
        out.push((
            peer,
            Frame::control(&ServerFrame::Welcome {
                peer,
                role,
                name: presence.name.clone(),
                hue: presence.hue,
                peers: self
                    .peers
                    .values()
                    .filter(|p| p.announced())
                    .map(|p| p.presence.clone())
                    .collect(),
                actor: info.actor.as_ref().map(|a| a.to_hex_string()),
                phase: self.phase,
            }),
        ));
        let watch = info.watch;
        let joined = Peer {
            mode: match watch {
                true => Mode::Watch,
                false => Mode::Handshake(sync::State::new()),
            },
            presence,
            info,
        };
        if joined.announced() {
            let announce = Frame::control(&ServerFrame::Presence(joined.presence.clone()));
            out.extend(self.shown_people().map(|id| (id, announce.clone())));
        }
        self.peers.insert(peer, joined);
        if !watch {
            self.dirty.insert(peer);
        }
        out
    }

    /// The peers opened in `session`.
    pub fn peers_of_session(&self, session: &str) -> Vec<PeerId> {
        self.peers
            .iter()
            .filter(|(_, p)| p.info.session.as_deref() == Some(session))
            .map(|(id, _)| *id)
            .collect()
    }

    /// Removes a peer and tells the others.
    pub fn leave(&mut self, peer: PeerId) -> Outbox {
        self.dirty.remove(&peer);
        self.moved.remove(&peer);
        if !self.peers.remove(&peer).is_some_and(|p| p.announced()) {
            return Vec::new();
        }
        let frame = Frame::control(&ServerFrame::Left { peer });
        self.shown_people().map(|id| (id, frame.clone())).collect()
    }

    /// The peers told who comes, moves and goes: all but watchers, who show no one (a page
    /// read without the app, the map), so that a crowd of them costs nothing per caret move.
    fn shown_people(&self) -> impl Iterator<Item = PeerId> + '_ {
        self.peers
            .iter()
            .filter(|(_, p)| !matches!(p.mode, Mode::Watch))
            .map(|(id, _)| *id)
    }

    /// The same frame for every peer (news that is not the text's, such as feedback).
    pub fn announce(&self, frame: &Frame) -> Outbox {
        self.peers.keys().map(|id| (*id, frame.clone())).collect()
    }

    /// Takes one binary frame from `peer`. On refusal the document is as it was before.
    pub fn receive_sync(&mut self, peer: PeerId, bytes: Bytes) -> Result<Applied, Refusal> {
        let message = decode_sync(&bytes)?;
        self.receive_message(peer, message)
    }

    /// Takes a run of binary frames, in the order they arrived, with the same outcome for each
    /// as [`Room::receive_sync`] one by one, but the keystrokes of live peers that follow one
    /// another are applied to the document in one pass: automerge finds their places together,
    /// where one by one it walks the paragraph once per keystroke (BENCHMARKS.md (h)). When the
    /// pass is refused, each is applied alone, so that only the one at fault is refused.
    pub fn receive_sync_run(
        &mut self,
        frames: Vec<(PeerId, Bytes)>,
    ) -> Vec<(PeerId, Result<Applied, Refusal>)> {
        let mut results = Vec::with_capacity(frames.len());
        let mut group = Vec::new();
        for (peer, bytes) in frames {
            match decode_sync(&bytes) {
                Ok(message) if self.joins_a_pass(peer, &message) => group.push((peer, message)),
                decoded => {
                    results.extend(self.apply_together(std::mem::take(&mut group)));
                    results.push((peer, decoded.and_then(|m| self.receive_message(peer, m))));
                }
            }
        }
        results.extend(self.apply_together(group));
        results
    }

    /// Whether a message may be applied with others: changes from a live peer that may write.
    fn joins_a_pass(&self, peer: PeerId, message: &sync::Message) -> bool {
        !message.changes.is_empty()
            && self.peers.get(&peer).is_some_and(|p| {
                matches!(p.mode, Mode::Live)
                    && policy::allows_in(p.info.standing, self.phase, Action::EditText)
            })
    }

    /// Applies the changes of `group` (live peers' messages, see [`Room::joins_a_pass`]) in one
    /// pass; each change's actor is checked against its own sender's first.
    fn apply_together(
        &mut self,
        group: Vec<(PeerId, sync::Message)>,
    ) -> Vec<(PeerId, Result<Applied, Refusal>)> {
        let one_by_one = |room: &mut Self, group: Vec<(PeerId, sync::Message)>| {
            group
                .into_iter()
                .map(|(peer, m)| (peer, room.receive_message(peer, m)))
                .collect()
        };
        if group.len() < 2 {
            return one_by_one(self, group);
        }
        let mut joined = Vec::new();
        let mut actors = HashSet::new();
        let mut all_own = true;
        for (peer, message) in &group {
            let Some(p) = self.peers.get(peer) else {
                all_own = false;
                break;
            };
            all_own = message.changes.iter().all(|chunk| {
                joined.extend_from_slice(chunk);
                automerge::Change::from_bytes(chunk.to_vec())
                    .is_ok_and(|c| p.info.actors.contains(c.actor_id()))
            });
            if !all_own {
                break;
            }
            actors.extend(p.info.actors.iter().cloned());
        }
        if !all_own {
            return one_by_one(self, group);
        }
        let applied = self.apply_checked(&actors, |doc, log| {
            doc.load_incremental_log_patches(&joined, log).map(|_| ())
        });
        let Ok(applied) = applied else {
            // Rolled back: find the one at fault.
            return one_by_one(self, group);
        };
        let mut applied = Some(applied);
        group
            .into_iter()
            .map(|(peer, mut message)| {
                message.changes = sync::ChunkList::empty();
                let result = self
                    .answer_live(peer, message)
                    .map(|()| applied.take().unwrap_or_default());
                (peer, result)
            })
            .collect()
    }

    fn receive_message(
        &mut self,
        peer: PeerId,
        mut message: sync::Message,
    ) -> Result<Applied, Refusal> {
        let Some(p) = self.peers.get(&peer) else {
            return Ok(Applied::default());
        };
        if !message.changes.is_empty()
            && !policy::allows_in(p.info.standing, self.phase, Action::EditText)
        {
            let standing = p.info.standing;
            let why = match policy::phase_is_why(standing, self.phase, Action::EditText) {
                true => domain::refusal::Refusal::PhaseForbids { phase: self.phase },
                false => domain::refusal::Refusal::RoleMayNotEditText {
                    role: standing.role,
                },
            };
            return Err(Refusal::new(ErrorCode::Forbidden, why.message()));
        }
        let actors = p.info.actors.clone();

        let mut state = match &p.mode {
            Mode::Handshake(state) => state.clone(),
            // A watcher that syncs after all is served by the book from here on.
            Mode::Watch => sync::State::new(),
            Mode::Live => {
                let mut applied = Applied::default();
                if !message.changes.is_empty() {
                    let joined: Vec<u8> = message.changes.iter().flatten().copied().collect();
                    applied = self.apply_checked(&actors, |doc, log| {
                        doc.load_incremental_log_patches(&joined, log).map(|_| ())
                    })?;
                    message.changes = sync::ChunkList::empty();
                }
                self.answer_live(peer, message)?;
                return Ok(applied);
            }
        };
        let applied = if message.changes.is_empty() {
            self.doc
                .receive_sync_message(&mut state, message)
                .map_err(refused_sync)?;
            Applied::default()
        } else {
            self.apply_checked(&actors, |doc, log| {
                doc.receive_sync_message_log_patches(&mut state, message, log)
            })?
        };
        self.set_mode(peer, Mode::Handshake(state));
        Ok(applied)
    }

    /// What a live peer's message (its changes already applied) asks of us: most name heads
    /// we have and need nothing; anything else sends the peer back to the handshake.
    fn answer_live(&mut self, peer: PeerId, message: sync::Message) -> Result<(), Refusal> {
        // Most acknowledgements name the heads of the last broadcast: known, no lookup.
        let regular = message.need.is_empty()
            && (message.heads == self.broadcast_heads
                || self.doc.get_missing_deps(&message.heads).is_empty());
        if regular {
            // An acknowledgement, or a keystroke whose heads we now have: nothing to answer;
            // the next broadcast carries the new heads to everyone.
            return Ok(());
        }
        // Irregular: serve this peer by the book again, from a fresh state.
        let mut state = sync::State::new();
        self.doc
            .receive_sync_message(&mut state, message)
            .map_err(refused_sync)?;
        self.set_mode(peer, Mode::Handshake(state));
        Ok(())
    }

    fn set_mode(&mut self, peer: PeerId, mode: Mode) {
        if let Some(p) = self.peers.get_mut(&peer) {
            p.mode = mode;
            self.dirty.insert(peer);
        }
    }

    /// Applies changes with `apply`, then checks that each was made by one of `actors` and
    /// validates what they touched; on any failure the document goes back to the heads it had
    /// before.
    fn apply_checked(
        &mut self,
        actors: &HashSet<ActorId>,
        apply: impl FnOnce(&mut Automerge, &mut PatchLog) -> Result<(), automerge::AutomergeError>,
    ) -> Result<Applied, Refusal> {
        let before = self.doc.get_heads();
        // Patches made while applying say what changed, far cheaper than diffing heads later.
        let mut log = PatchLog::active();
        let verdict = match apply(&mut self.doc, &mut log) {
            Err(e) => Err(Refusal::new(
                ErrorCode::BadMessage,
                format!("changes do not decode: {e}"),
            )),
            Ok(()) if self.doc.get_heads() == before => Ok(Applied::default()),
            Ok(()) => match self
                .doc
                .get_changes(&before)
                .iter()
                .find(|c| !actors.contains(c.actor_id()))
            {
                Some(stranger) => Err(Refusal::new(
                    ErrorCode::Forbidden,
                    format!(
                        "change by actor {} refused: write as the actor this connection was given",
                        stranger.actor_id().to_hex_string()
                    ),
                )),
                None => {
                    let touched = document::touched(&self.doc.make_patches(&mut log));
                    document::check_made(&self.doc, &touched, &before)
                        .and_then(|()| document::validate_parts(&self.doc, &touched))
                        .map(|()| Applied {
                            chunk: Some(self.doc.save_after(&before)),
                            outline_changed: touched.outline,
                        })
                        .map_err(|e| {
                            Refusal::new(ErrorCode::Schema, format!("change refused: {e}"))
                        })
                }
            },
        };
        if verdict.is_err() {
            self.rollback(&before);
        }
        verdict
    }

    /// Merges changes the server made itself (an accepted amendment's branch), written by one of
    /// `actors`, with the same checks as a peer's changes. Live peers get them at the next flush.
    pub fn merge(&mut self, bytes: &[u8], actors: &HashSet<ActorId>) -> Result<Applied, Refusal> {
        self.apply_checked(actors, |doc, log| {
            doc.load_incremental_log_patches(bytes, log).map(|_| ())
        })
    }

    /// Takes in changes another server process accepted, checked and stored (`cluster`): a
    /// chunk or a whole saved document. Live peers get them at the next flush.
    pub fn receive_stored(&mut self, bytes: &[u8]) {
        if let Err(e) = self.doc.load_incremental(bytes) {
            tracing::error!("changes stored by another process do not load: {e}");
        }
    }

    /// Takes back a merge of the server's own whose rows could not be stored.
    pub fn undo(&mut self, heads: &[ChangeHash]) {
        self.rollback(heads);
    }

    /// Forgets everything applied after `heads` (only ever after a refused message).
    ///
    /// Forking at the old heads also drops changes that were queued for missing dependencies,
    /// so nothing from a refused message can surface later under another peer's name.
    fn rollback(&mut self, heads: &[ChangeHash]) {
        match self.doc.fork_at(heads) {
            Ok(doc) => self.doc = doc,
            Err(e) => tracing::error!("rollback failed: {e}"),
        }
    }

    /// An account's role changed: its open connections act on the new role from their next
    /// message, and everyone sees the new role.
    pub fn set_role(&mut self, account: &str, role: Role) -> Outbox {
        let mut out = Vec::new();
        let changed: Vec<PeerId> = self
            .peers
            .iter()
            .filter(|(_, p)| p.info.account.as_deref() == Some(account))
            .map(|(id, _)| *id)
            .collect();
        for id in changed {
            if let Some(p) = self.peers.get_mut(&id) {
                p.info.standing.role = role;
                p.presence.role = role;
                let frame = Frame::control(&ServerFrame::Presence(p.presence.clone()));
                out.extend(self.peers.keys().map(|to| (*to, frame.clone())));
            }
        }
        out
    }

    /// Takes one text frame from `peer`.
    pub fn receive_control(&mut self, peer: PeerId, text: &str) -> Result<Outbox, Refusal> {
        check_size("control", text.len(), limits::MAX_CONTROL_FRAME_BYTES)?;
        let frame: ClientFrame = serde_json::from_str(text)
            .map_err(|e| Refusal::new(ErrorCode::BadControl, format!("bad control frame: {e}")))?;
        let Some(p) = self.peers.get_mut(&peer) else {
            return Ok(Vec::new());
        };
        match frame {
            ClientFrame::Presence {
                paragraph,
                caret,
                to,
            } => {
                if let Some(id) = &paragraph {
                    if !document::is_valid_paragraph_id(id) {
                        return Err(Refusal::new(
                            ErrorCode::BadControl,
                            format!("'{}' is not a paragraph id", truncate(id, 40)),
                        ));
                    }
                }
                if !p.announced() {
                    return Ok(Vec::new());
                }
                p.presence.paragraph = paragraph;
                let within = |c: &u32| (*c as usize) <= limits::MAX_PARAGRAPH_LEN;
                p.presence.caret = caret.filter(within);
                p.presence.to = to.filter(within).filter(|_| p.presence.caret.is_some());
                self.moved.insert(peer);
                Ok(Vec::new())
            }
        }
    }

    /// Sync messages for every peer that needs one: one shared message with the batch's new
    /// changes for all live peers, and a message of its own for each handshake peer.
    pub fn flush(&mut self) -> Outbox {
        let mut out = Vec::new();
        for id in std::mem::take(&mut self.moved) {
            let Some(p) = self.peers.get(&id) else {
                continue;
            };
            let frame = Frame::control(&ServerFrame::Presence(p.presence.clone()));
            out.extend(
                self.shown_people()
                    .filter(|to| *to != id)
                    .map(|to| (to, frame.clone())),
            );
        }
        let heads = self.doc.get_heads();
        if heads != self.broadcast_heads {
            let mut live = Vec::new();
            for (id, p) in &self.peers {
                match p.mode {
                    Mode::Live => live.push(*id),
                    Mode::Handshake(_) => {
                        self.dirty.insert(*id);
                    }
                    // Told by `watch_news`, at most once a second.
                    Mode::Watch => self.watchers_owed = true,
                }
            }
            if !live.is_empty() {
                let frame = Frame::Binary(Bytes::from(self.broadcast(&heads).encode()));
                out.extend(live.into_iter().map(|id| (id, frame.clone())));
            }
            self.broadcast_heads = heads.clone();
        }
        for id in std::mem::take(&mut self.dirty) {
            let Some(Peer {
                mode: Mode::Handshake(state),
                ..
            }) = self.peers.get_mut(&id)
            else {
                continue;
            };
            if let Some(message) = self.doc.generate_sync_message(state) {
                out.push((id, Frame::Binary(Bytes::from(message.encode()))));
            }
            // Caught up: it has our heads and we know it; from now on it gets the broadcast.
            if state.their_heads.as_ref() == Some(&heads) && state.shared_heads == heads {
                if let Some(p) = self.peers.get_mut(&id) {
                    p.mode = Mode::Live;
                }
            }
        }
        out
    }

    /// The one message every live peer gets for the changes since the last broadcast.
    fn broadcast(&self, heads: &[ChangeHash]) -> sync::Message {
        let changes = self.doc.get_changes(&self.broadcast_heads);
        let mut flags = sync::MessageFlags::new();
        flags.set(sync::MessageFlags::SUPPORTS_SYNC_RESET);
        sync::Message {
            heads: heads.to_vec(),
            need: Vec::new(),
            // Every live peer has `broadcast_heads`; the filter names what is new since then.
            have: vec![sync::Have {
                last_sync: self.broadcast_heads.clone(),
                bloom: sync::BloomFilter::from_hashes(changes.iter().map(|c| c.hash())),
            }],
            changes: sync::ChunkList::from(
                changes
                    .iter()
                    .map(|c| c.raw_bytes().to_vec())
                    .collect::<Vec<_>>(),
            ),
            flags: Some(flags),
            version: sync::MessageVersion::V1,
        }
    }
}

fn check_size(kind: &str, len: usize, max: usize) -> Result<(), Refusal> {
    if len > max {
        return Err(Refusal::new(
            ErrorCode::TooLarge,
            format!("{kind} frame of {len} bytes exceeds the limit of {max} bytes"),
        ));
    }
    Ok(())
}

/// A binary frame as a sync message, within the size limit.
fn decode_sync(bytes: &[u8]) -> Result<sync::Message, Refusal> {
    check_size("sync", bytes.len(), limits::MAX_SYNC_FRAME_BYTES)?;
    sync::Message::decode(bytes).map_err(|e| {
        Refusal::new(
            ErrorCode::BadMessage,
            format!("not an automerge sync message: {e}"),
        )
    })
}

fn refused_sync(e: automerge::AutomergeError) -> Refusal {
    Refusal::new(ErrorCode::BadMessage, format!("sync message refused: {e}"))
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// A display name with control characters removed and its length capped, or `None` if blank.
fn clean_name(name: &str) -> Option<String> {
    let cleaned: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(limits::MAX_NAME_CHARS)
        .collect();
    let trimmed = cleaned.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

#[cfg(test)]
#[path = "relay_tests.rs"]
mod tests;
