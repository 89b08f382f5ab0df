//! The sync relay of one document, sans I/O: state plus input gives output.
//!
//! A [`Room`] holds the server's copy of the document and one automerge sync state per connected
//! peer. Inputs are a peer joining, a binary frame (one automerge sync message), a text frame
//! (JSON control) and a peer leaving; outputs are frames to send, chunks to store, and peers to
//! close. The caller (see `rooms`) stores the chunks of a batch before it sends any frame of that
//! batch, which is how "stored before acknowledged or relayed" holds.
//!
//! Two facts keep the cost per keystroke flat as peers are added:
//! - `generate_sync_message` is a pure function of the document and the peer's sync state, and
//!   peers that are caught up have equal states. [`Room::flush`] groups peers by state, generates
//!   and encodes once per group, and hands every peer of the group the same bytes and the same
//!   next state.
//! - A reply that carries no changes leaves the document alone, so receiving it is a pure
//!   function of (sync state, message); the many identical acknowledgements that follow a
//!   broadcast are computed once and memoized until the document changes.
//!
//! Every write is checked before it is kept: a message that does not decode, a writer whose role
//! may not edit, or a change that breaks the schema is refused, and the document is rolled back
//! to the heads it had before the message.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use app::{
    api::{ClientFrame, ErrorCode, PeerPresence, Role, ServerFrame},
    model::{
        document::{self, Outline},
        limits,
        policy::{self, Action},
    },
};
use automerge::{
    sync::{self, SyncDoc},
    Automerge, ChangeHash, PatchLog,
};
use bytes::Bytes;

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
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
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

struct Peer {
    state: sync::State,
    presence: PeerPresence,
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
    /// Peers whose next sync message may differ from the last one.
    dirty: BTreeSet<PeerId>,
    /// (sync state before, message bytes) → sync state after, for change-free messages; valid
    /// while the document's heads are `memo_heads`.
    memo: HashMap<(sync::State, Bytes), sync::State>,
    memo_heads: Vec<ChangeHash>,
}

const MEMO_LIMIT: usize = 256;

impl Room {
    pub fn new(doc: Automerge) -> Self {
        Self {
            doc,
            peers: BTreeMap::new(),
            dirty: BTreeSet::new(),
            memo: HashMap::new(),
            memo_heads: Vec::new(),
        }
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

    /// Adds a peer; it is greeted and everyone else is told.
    pub fn join(&mut self, peer: PeerId, role: Role, name: &str) -> Outbox {
        let presence = PeerPresence {
            peer,
            name: clean_name(name).unwrap_or_else(|| format!("Guest {peer}")),
            role,
            paragraph: None,
            caret: None,
        };
        let mut out = Vec::with_capacity(self.peers.len() + 1);
        out.push((
            peer,
            Frame::control(&ServerFrame::Welcome {
                peer,
                role,
                name: presence.name.clone(),
                peers: self.peers.values().map(|p| p.presence.clone()).collect(),
            }),
        ));
        let announce = Frame::control(&ServerFrame::Presence(presence.clone()));
        out.extend(self.peers.keys().map(|id| (*id, announce.clone())));
        self.peers.insert(
            peer,
            Peer {
                state: sync::State::new(),
                presence,
            },
        );
        self.dirty.insert(peer);
        out
    }

    /// Removes a peer and tells the others.
    pub fn leave(&mut self, peer: PeerId) -> Outbox {
        self.dirty.remove(&peer);
        if self.peers.remove(&peer).is_none() {
            return Vec::new();
        }
        let frame = Frame::control(&ServerFrame::Left { peer });
        self.peers.keys().map(|id| (*id, frame.clone())).collect()
    }

    /// Takes one binary frame from `peer`. On refusal the document is as it was before.
    pub fn receive_sync(&mut self, peer: PeerId, bytes: Bytes) -> Result<Applied, Refusal> {
        if bytes.len() > limits::MAX_SYNC_FRAME_BYTES {
            return Err(Refusal::new(
                ErrorCode::TooLarge,
                format!(
                    "sync frame of {} bytes exceeds the limit of {} bytes",
                    bytes.len(),
                    limits::MAX_SYNC_FRAME_BYTES
                ),
            ));
        }
        let message = sync::Message::decode(&bytes).map_err(|e| {
            Refusal::new(
                ErrorCode::BadMessage,
                format!("not an automerge sync message: {e}"),
            )
        })?;
        let Some(p) = self.peers.get_mut(&peer) else {
            return Ok(Applied::default());
        };
        self.dirty.insert(peer);

        if message.changes.is_empty() {
            if self.memo_heads != self.doc.get_heads() {
                self.memo.clear();
                self.memo_heads = self.doc.get_heads();
            }
            let key = (p.state.clone(), bytes);
            if let Some(next) = self.memo.get(&key) {
                p.state = next.clone();
                return Ok(Applied::default());
            }
            self.doc
                .receive_sync_message(&mut p.state, message)
                .map_err(|e| {
                    Refusal::new(ErrorCode::BadMessage, format!("sync message refused: {e}"))
                })?;
            if self.memo.len() >= MEMO_LIMIT {
                self.memo.clear();
            }
            self.memo.insert(key, p.state.clone());
            return Ok(Applied::default());
        }

        if !policy::allows(p.presence.role, Action::EditText) {
            return Err(Refusal::new(
                ErrorCode::Forbidden,
                format!(
                    "a {:?} may not change the text of this document",
                    p.presence.role
                )
                .to_lowercase(),
            ));
        }
        let before = self.doc.get_heads();
        let mut state = p.state.clone();
        // Patches made while applying say what changed, far cheaper than diffing heads later.
        let mut log = PatchLog::active();
        let received = self
            .doc
            .receive_sync_message_log_patches(&mut state, message, &mut log);
        let verdict = match received {
            Err(e) => Err(Refusal::new(
                ErrorCode::BadMessage,
                format!("changes do not decode: {e}"),
            )),
            Ok(()) if self.doc.get_heads() == before => Ok(Applied::default()),
            Ok(()) => {
                let touched = document::touched(&self.doc.make_patches(&mut log));
                document::validate_parts(&self.doc, &touched)
                    .map(|()| Applied {
                        chunk: Some(self.doc.save_after(&before)),
                        outline_changed: touched.outline,
                    })
                    .map_err(|e| Refusal::new(ErrorCode::Schema, format!("change refused: {e}")))
            }
        };
        match verdict {
            Ok(applied) => {
                p.state = state;
                if applied.chunk.is_some() {
                    self.dirty.extend(self.peers.keys().copied());
                }
                Ok(applied)
            }
            Err(refusal) => {
                self.rollback(&before);
                Err(refusal)
            }
        }
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

    /// Takes one text frame from `peer`.
    pub fn receive_control(&mut self, peer: PeerId, text: &str) -> Result<Outbox, Refusal> {
        if text.len() > limits::MAX_CONTROL_FRAME_BYTES {
            return Err(Refusal::new(
                ErrorCode::TooLarge,
                format!(
                    "control frame of {} bytes exceeds the limit of {} bytes",
                    text.len(),
                    limits::MAX_CONTROL_FRAME_BYTES
                ),
            ));
        }
        let frame: ClientFrame = serde_json::from_str(text)
            .map_err(|e| Refusal::new(ErrorCode::BadControl, format!("bad control frame: {e}")))?;
        let Some(p) = self.peers.get_mut(&peer) else {
            return Ok(Vec::new());
        };
        match frame {
            ClientFrame::Presence {
                name,
                paragraph,
                caret,
            } => {
                if let Some(id) = &paragraph {
                    if !document::is_valid_paragraph_id(id) {
                        return Err(Refusal::new(
                            ErrorCode::BadControl,
                            format!("'{}' is not a paragraph id", truncate(id, 40)),
                        ));
                    }
                }
                if let Some(name) = clean_name(&name) {
                    p.presence.name = name;
                }
                p.presence.paragraph = paragraph;
                p.presence.caret = caret.filter(|c| (*c as usize) <= limits::MAX_PARAGRAPH_LEN);
                let frame = Frame::control(&ServerFrame::Presence(p.presence.clone()));
                Ok(self
                    .peers
                    .keys()
                    .filter(|id| **id != peer)
                    .map(|id| (*id, frame.clone()))
                    .collect())
            }
        }
    }

    /// Sync messages for every peer that may need one, each group of peers in equal states
    /// served by one generated and encoded message.
    pub fn flush(&mut self) -> Outbox {
        let mut out = Vec::new();
        let mut groups: HashMap<sync::State, (Option<Bytes>, sync::State)> = HashMap::new();
        for id in std::mem::take(&mut self.dirty) {
            let Some(peer) = self.peers.get_mut(&id) else {
                continue;
            };
            let (bytes, next) = match groups.get(&peer.state) {
                Some(known) => known.clone(),
                None => {
                    let before = peer.state.clone();
                    let message = self.doc.generate_sync_message(&mut peer.state);
                    let bytes = message.map(|m| Bytes::from(m.encode()));
                    let entry = (bytes, peer.state.clone());
                    groups.insert(before, entry.clone());
                    entry
                }
            };
            peer.state = next;
            if let Some(bytes) = bytes {
                out.push((id, Frame::Binary(bytes)));
            }
        }
        out
    }
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
