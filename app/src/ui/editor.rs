//! The live editor (browser only): the document as an automerge replica, synced with the server
//! over the sync WebSocket, bound to one textarea per paragraph.
//!
//! In: textarea events and WebSocket frames. Out: changes to the replica, sync messages, presence
//! frames, and updates to the page's signals and textareas.
//!
//! Typing is diffed against the replica and applied as a splice; changes are committed and sent
//! once per burst (every [`FLUSH_MS`]), not per keystroke, which keeps history small. Remote
//! changes update textareas in place, with the caret carried across by automerge cursors, and
//! through another drafter's split, merge, move or change of kind to where its words went, still
//! focused, so that the next keystroke lands there. The replica is also saved to `localStorage`, so edits made offline survive a closed tab and merge
//! on the next connection.

use std::{cell::RefCell, collections::HashMap};

use accord_i18n::t_string;
use automerge::{
    sync::{self, SyncDoc},
    AutoCommit, ReadDoc,
};
use base64::Engine;
use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{BinaryType, HtmlTextAreaElement, MessageEvent, WebSocket};

use super::state::{EditorUi, Row, Selection, Status};
use domain::{
    anchor,
    api::{ClientFrame, ErrorCode, Role, ServerFrame},
    document::{self, Direction},
    undo::{self, Way},
    ParagraphKind,
};

/// How long typing accumulates into one change before it is sent.
const FLUSH_MS: i32 = 60;
/// How often, at most, the replica is written to localStorage.
const BACKUP_MS: i32 = 1000;
const MAX_BACKOFF_MS: u32 = 10_000;
/// How often, at most, this drafter's caret is sent to the others.
const PRESENCE_MS: i32 = 150;
/// How long the acknowledgement of the server's changes waits, so that one answers everything
/// that arrives meanwhile. The server needs it once, to know this replica caught up; after
/// that it is a frame per broadcast per reader for nothing (BENCHMARKS.md (h)).
const ACK_MS: i32 = 250;

struct Socket {
    ws: WebSocket,
    // Kept alive as long as the socket; dropping them would detach the handlers.
    _handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

struct Session {
    doc_id: String,
    doc: AutoCommit,
    sync: sync::State,
    socket: Option<Socket>,
    open: bool,
    ui: EditorUi,
    rows: HashMap<String, Row>,
    attempt: u32,
    flush_pending: bool,
    backup_pending: bool,
    stopped: bool,
    focus: Option<(String, u32)>,
    /// This connection's role and the document's phase, as the server last said: whether it
    /// may edit.
    role: Role,
    phase: domain::phase::Phase,
    /// Whether the replica has everything the server had when it last told us its heads.
    synced: bool,
    /// This drafter's own edits, to undo and redo.
    history: undo::History,
    /// The end of the selection in the focused paragraph, if words are selected.
    focus_end: Option<u32>,
    /// Whether a presence frame is waiting to be sent (caret moves are sent at most every
    /// [`PRESENCE_MS`]).
    presence_pending: bool,
    /// Whether an acknowledgement is waiting to be sent ([`ACK_MS`]).
    ack_pending: bool,
}

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
    /// Saves the replica as the page goes away (a reload, a closed tab), whenever the last
    /// timed save was: the next load, perhaps without a network, starts from it.
    static ON_PAGEHIDE: Closure<dyn FnMut()> = Closure::new(|| {
        with(|s| s.save_backup());
    });
}

/// Runs `f` on the session, if there is one and it is not already in use (a focus event fired
/// by our own DOM update, say).
fn with<R>(f: impl FnOnce(&mut Session) -> R) -> Option<R> {
    SESSION.with(|s| match s.try_borrow_mut() {
        Ok(mut guard) => guard.as_mut().map(f),
        Err(_) => None,
    })
}

fn window() -> web_sys::Window {
    web_sys::window().expect("a browser window")
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn backup_key(doc_id: &str) -> String {
    format!("accord:doc:{doc_id}")
}

fn standing_key(doc_id: &str) -> String {
    format!("accord:who:{doc_id}")
}

/// What the server last said about this browser's connection to a document: enough to go on
/// editing the kept replica when the page was loaded without a network. The server judges the
/// changes again when they arrive (the role, the phase, and that the actor is the account's).
#[derive(serde::Serialize, serde::Deserialize)]
struct LastStanding {
    role: Role,
    phase: domain::phase::Phase,
    actor: String,
}

fn set_timeout(ms: i32, f: impl FnOnce() + 'static) {
    let cb = Closure::once_into_js(f);
    let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), ms);
}

fn textarea(id: &str) -> Option<HtmlTextAreaElement> {
    window()
        .document()?
        .get_element_by_id(&format!("ta-{id}"))?
        .dyn_into()
        .ok()
}

/// Starts the editor for a document: restores any local backup, then connects.
pub fn start(doc_id: String, ui: EditorUi) {
    // A backup holds edits that may never have reached the server; start from it.
    let backup = storage()
        .and_then(|s| s.get_item(&backup_key(&doc_id)).ok().flatten())
        .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
        .and_then(|bytes| document::load_autocommit(&bytes).ok())
        .filter(|doc| document::read(doc).is_ok());
    let restored = backup.is_some();
    let session = Session {
        doc_id,
        doc: backup.unwrap_or_else(document::empty_doc),
        sync: sync::State::new(),
        socket: None,
        open: false,
        ui,
        rows: ui
            .rows
            .get_untracked()
            .into_iter()
            .map(|r| (r.id.clone(), r))
            .collect(),
        attempt: 0,
        flush_pending: false,
        backup_pending: false,
        stopped: false,
        focus: None,
        role: Role::Reader,
        phase: domain::phase::Phase::Drafting,
        synced: false,
        history: undo::History::default(),
        focus_end: None,
        presence_pending: false,
        ack_pending: false,
    };
    SESSION.with(|s| *s.borrow_mut() = Some(session));
    // Adding the same listener again is a no-op, so one per page however many documents open.
    ON_PAGEHIDE.with(|f| {
        let _ = window().add_event_listener_with_callback("pagehide", f.as_ref().unchecked_ref());
    });
    with(|s| {
        if restored {
            // Show what this browser kept; editing waits for the server to say who we are.
            s.refresh();
        }
        s.connect();
    });
}

/// Leaves the page: closes the socket and forgets the session.
pub fn stop() {
    let old = SESSION.with(|s| s.try_borrow_mut().ok().and_then(|mut g| g.take()));
    if let Some(mut s) = old {
        s.stopped = true;
        s.save_backup();
        if let Some(sock) = s.socket.take() {
            super::live::close(&sock.ws);
        }
    }
}

impl Session {
    fn connect(&mut self) {
        if self.stopped {
            return;
        }
        let location = window().location();
        let proto = if location.protocol().ok().as_deref() == Some("https:") {
            "wss"
        } else {
            "ws"
        };
        let host = location.host().unwrap_or_default();
        let url = format!("{proto}://{host}/api/v1/documents/{}/sync", self.doc_id);
        let Ok(ws) = WebSocket::new(&url) else {
            self.schedule_reconnect();
            return;
        };
        ws.set_binary_type(BinaryType::Arraybuffer);
        let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(|_| {
            with(|s| s.on_open());
        });
        let on_message = Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| {
            if let Ok(m) = e.dyn_into::<MessageEvent>() {
                with(|s| s.on_message(m));
            }
        });
        let on_close = Closure::<dyn FnMut(web_sys::Event)>::new(|_| {
            with(|s| s.on_close());
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        self.socket = Some(Socket {
            ws,
            _handlers: vec![on_open, on_message, on_close],
        });
        self.ui.status.set(Status::Connecting);
    }

    fn on_open(&mut self) {
        self.open = true;
        self.attempt = 0;
        // A new connection is a new peer to the server; keep only what we know we share.
        self.sync = sync::State::decode(&self.sync.encode()).unwrap_or_default();
        self.ui.status.set(Status::Live);
        self.send_presence();
        self.flush_now();
    }

    fn on_close(&mut self) {
        self.open = false;
        self.socket = None;
        self.ui.peers.set(Vec::new());
        self.ui.me.set(None);
        self.edit_offline();
        if !matches!(self.ui.status.get_untracked(), Status::Refused(_)) {
            self.schedule_reconnect();
        }
    }

    /// A page loaded without a network (from the service worker's copy) with a kept replica:
    /// editing goes on as the server last allowed, under the actor it assigned then; what is
    /// typed is kept and sent when the connection comes back.
    fn edit_offline(&mut self) {
        if self.synced || document::read(&self.doc).is_err() {
            return;
        }
        let Some(last) = storage()
            .and_then(|s| s.get_item(&standing_key(&self.doc_id)).ok().flatten())
            .and_then(|json| serde_json::from_str::<LastStanding>(&json).ok())
        else {
            return;
        };
        if let Some(bytes) = hex_bytes(&last.actor) {
            self.doc.set_actor(automerge::ActorId::from(bytes));
            (self.role, self.phase) = (last.role, last.phase);
            self.synced = true;
            self.update_editable();
        }
    }

    fn schedule_reconnect(&mut self) {
        if self.stopped {
            return;
        }
        // Exponential backoff with jitter, so that a restarted server is not hit by everyone at once.
        let base = 500u32
            .saturating_mul(1 << self.attempt.min(5))
            .min(MAX_BACKOFF_MS);
        let jitter = (js_sys::Math::random() * f64::from(base) * 0.3) as u32;
        let delay = base + jitter;
        self.attempt += 1;
        self.ui.status.set(Status::Offline(delay.div_ceil(1000)));
        set_timeout(delay as i32, || {
            with(|s| {
                if s.socket.is_none() {
                    s.connect();
                }
            });
        });
    }

    fn on_message(&mut self, m: MessageEvent) {
        let data = m.data();
        if let Some(text) = data.as_string() {
            self.on_control(&text);
            return;
        }
        let bytes = js_sys::Uint8Array::new(&data).to_vec();
        let Ok(message) = sync::Message::decode(&bytes) else {
            return;
        };
        let before = self.doc.get_heads();
        let carets = self.capture_caret();
        if let Err(e) = self
            .doc
            .sync()
            .receive_sync_message(&mut self.sync, message)
        {
            leptos::logging::warn!("sync message refused: {e}");
            return;
        }
        if self.doc.get_heads() != before {
            let outline = self.refresh();
            if let (Some(caret), Some(outline)) = (carets, outline) {
                self.restore_caret(caret, &outline);
            }
            self.schedule_backup();
        }
        if !self.synced && document::read(&self.doc).is_ok() {
            let their = self.sync.their_heads.clone().unwrap_or_default();
            self.synced = their
                .iter()
                .all(|h| self.doc.get_change_by_hash(h).is_some());
        }
        self.update_editable();
        // When all there is to answer is "got it", it is said once for whatever arrives in the
        // next moments; anything else (what we have that the server lacks, what we need) goes
        // now.
        let only_acknowledging = self.sync.their_heads.as_deref() == Some(&self.doc.get_heads())
            && self.sync.their_need.as_ref().is_none_or(Vec::is_empty);
        if only_acknowledging {
            self.schedule_ack();
        } else {
            self.flush_now();
        }
    }

    /// Paragraphs become editable once the server has said this connection may edit and the
    /// replica has caught up with it.
    fn update_editable(&self) {
        let standing = domain::policy::Standing {
            signed_in: true,
            admin: false,
            role: self.role,
        };
        let may_edit =
            domain::policy::allows_in(standing, self.phase, domain::policy::Action::EditText);
        let editable = may_edit && self.synced;
        if self.ui.editable.get_untracked() != editable {
            self.ui.editable.set(editable);
        }
    }

    fn on_control(&mut self, text: &str) {
        let Ok(frame) = serde_json::from_str::<ServerFrame>(text) else {
            return;
        };
        match frame {
            ServerFrame::Welcome {
                peer,
                peers,
                name,
                hue,
                role,
                actor,
                phase,
            } => {
                // Changes are accepted only from the actor the server assigned; what was typed
                // before is committed under the previous one (also this account's).
                self.doc.commit();
                if let Some(bytes) = actor.as_deref().and_then(hex_bytes) {
                    self.doc.set_actor(automerge::ActorId::from(bytes));
                }
                (self.role, self.phase) = (role, phase);
                if let (Some(st), Some(actor)) = (storage(), actor) {
                    let last = LastStanding { role, phase, actor };
                    if let Ok(json) = serde_json::to_string(&last) {
                        let _ = st.set_item(&standing_key(&self.doc_id), &json);
                    }
                }
                self.update_editable();
                self.ui.me.set(Some(peer));
                let mut all = peers;
                all.push(domain::api::PeerPresence {
                    peer,
                    name,
                    role,
                    paragraph: None,
                    caret: None,
                    to: None,
                    hue,
                });
                self.ui.peers.set(all);
                self.send_presence();
            }
            ServerFrame::Presence(p) => {
                if Some(p.peer) == self.ui.me.get_untracked() {
                    // Our role changed while connected.
                    self.role = p.role;
                    self.update_editable();
                }
                self.ui
                    .peers
                    .update(|peers| match peers.iter_mut().find(|q| q.peer == p.peer) {
                        Some(q) => *q = p,
                        None => peers.push(p),
                    })
            }
            ServerFrame::Phase { phase } => {
                self.phase = phase;
                self.update_editable();
            }
            ServerFrame::Left { peer } => self
                .ui
                .peers
                .update(|peers| peers.retain(|p| p.peer != peer)),
            ServerFrame::Feedback { consensus } => {
                let paragraph = consensus.paragraph.clone();
                self.ui.figures.update(|f| {
                    f.insert(paragraph.clone(), consensus);
                });
                self.ui.news.update(|(p, n)| {
                    *p = paragraph;
                    *n += 1;
                });
            }
            // Sent only to watching connections; the editor syncs.
            ServerFrame::Edited => {}
            ServerFrame::Error { code, message } => {
                // The page says why in the reader's language; the server's words go to the log.
                leptos::logging::warn!("sync refused ({code:?}): {message}");
                if !matches!(code, ErrorCode::Overloaded | ErrorCode::Internal) {
                    self.ui.status.set(Status::Refused(code));
                }
            }
        }
    }

    fn send_presence(&mut self) {
        self.presence_pending = false;
        let Some(sock) = self.socket.as_ref().filter(|_| self.open) else {
            return;
        };
        let frame = ClientFrame::Presence {
            paragraph: self.focus.as_ref().map(|(id, _)| id.clone()),
            caret: self.focus.as_ref().map(|(_, c)| *c),
            to: self.focus.as_ref().and(self.focus_end),
        };
        if let Ok(json) = serde_json::to_string(&frame) {
            let _ = sock.ws.send_with_str(&json);
        }
    }

    /// Commits what was typed and sends whatever the server does not have yet.
    fn flush_now(&mut self) {
        self.flush_pending = false;
        self.doc.commit();
        let Some(sock) = self.socket.as_ref().filter(|_| self.open) else {
            return;
        };
        if let Some(msg) = self.doc.sync().generate_sync_message(&mut self.sync) {
            let _ = sock.ws.send_with_u8_array(&msg.encode());
        }
    }

    /// Sends where the caret is soon, once for any number of moves until then.
    fn schedule_presence(&mut self) {
        if !self.presence_pending {
            self.presence_pending = true;
            set_timeout(PRESENCE_MS, || {
                with(|s| s.send_presence());
            });
        }
    }

    fn schedule_ack(&mut self) {
        if !self.ack_pending {
            self.ack_pending = true;
            set_timeout(ACK_MS, || {
                with(|s| {
                    s.ack_pending = false;
                    s.flush_now();
                });
            });
        }
    }

    fn schedule_flush(&mut self) {
        if !self.flush_pending {
            self.flush_pending = true;
            set_timeout(FLUSH_MS, || {
                with(|s| s.flush_now());
            });
        }
        self.schedule_backup();
    }

    fn schedule_backup(&mut self) {
        if !self.backup_pending {
            self.backup_pending = true;
            set_timeout(BACKUP_MS, || {
                with(|s| s.save_backup());
            });
        }
    }

    fn save_backup(&mut self) {
        self.backup_pending = false;
        if let Some(st) = storage() {
            let b64 = base64::engine::general_purpose::STANDARD.encode(self.doc.save());
            let _ = st.set_item(&backup_key(&self.doc_id), &b64);
        }
    }

    /// The focused paragraph's selection, held by automerge cursors, with what is needed to
    /// follow its text if another drafter splits, merges or moves the paragraph.
    fn capture_caret(&self) -> Option<Caret> {
        let active = window().document()?.active_element()?;
        let id = active.id().strip_prefix("ta-")?.to_string();
        let ta: HtmlTextAreaElement = active.dyn_into().ok()?;
        let obj = document::text_obj(&self.doc, &id).ok()?;
        let len = self.doc.length(&obj);
        let cursor_at = |pos: u32| {
            let pos = pos as usize;
            if pos >= len {
                self.doc
                    .get_cursor(&obj, automerge::CursorPosition::End, None)
                    .ok()
            } else {
                self.doc.get_cursor(&obj, pos, None).ok()
            }
        };
        let at = ta.selection_start().ok()??;
        let to = ta.selection_end().ok()??;
        let prev = self.ui.rows.with_untracked(|rows| {
            let i = rows.iter().position(|r| r.id == id)?;
            rows.get(i.checked_sub(1)?).map(|r| r.id.clone())
        });
        Some(Caret {
            start: cursor_at(at)?,
            end: cursor_at(to)?,
            at,
            width: to.saturating_sub(at),
            text: self.doc.text(&obj).ok()?,
            prev,
            id,
        })
    }

    /// Where the caret's text is now: in its paragraph, or, if a split took the words after it
    /// into the next paragraph, there; if a merge took the paragraph into the one before, there.
    fn carried(&self, c: &Caret, outline: &document::Outline) -> Option<(String, u32, u32)> {
        let paragraphs = &outline.paragraphs;
        match paragraphs.iter().position(|p| p.id == c.id) {
            Some(i) => {
                let obj = document::text_obj(&self.doc, &c.id).ok()?;
                let start = self.doc.get_cursor_position(&obj, &c.start, None).ok()? as u32;
                let end = self.doc.get_cursor_position(&obj, &c.end, None).ok()? as u32;
                let now = &paragraphs[i].text;
                let kept = utf16_len(now);
                // Split before the caret: the paragraph kept the words before the split, and
                // the next one starts with the rest, the caret's place among them.
                let split = start == kept
                    && c.at > kept
                    && c.text.starts_with(now.as_str())
                    && paragraphs
                        .get(i + 1)
                        .is_some_and(|next| next.text.starts_with(&c.text[now.len()..]));
                match split {
                    true => {
                        let at = c.at - kept;
                        Some((paragraphs[i + 1].id.clone(), at, at + c.width))
                    }
                    false => Some((c.id.clone(), start, end.max(start))),
                }
            }
            // Merged into the paragraph before: that one now ends with this one's words.
            None => {
                let prev = paragraphs.iter().find(|p| Some(&p.id) == c.prev.as_ref())?;
                let joined = prev.text.strip_suffix(c.text.as_str())?;
                let at = utf16_len(joined) + c.at;
                Some((prev.id.clone(), at, at + c.width))
            }
        }
    }

    /// Puts the caret back where its text went after a remote change, focusing that paragraph
    /// again if the change re-rendered or moved it (the next keystroke must land there, not
    /// nowhere): now, once the page has re-rendered, and once more before it is painted.
    fn restore_caret(&self, caret: Caret, outline: &document::Outline) {
        let Some((id, start, end)) = self.carried(&caret, outline) else {
            return;
        };
        place_caret(&id, start, end);
        // Later, only while the words are as the change left them: once the person has typed
        // on, the caret is theirs again.
        let Some(words) = outline
            .paragraphs
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.text.clone())
        else {
            return;
        };
        let untouched = move |id: &str| textarea(id).is_some_and(|ta| ta.value() == words);
        let (again, later) = (id.clone(), untouched.clone());
        leptos::task::spawn_local(async move {
            if later(&again) {
                place_caret(&again, start, end);
            }
        });
        let _ = window().request_animation_frame(
            Closure::once_into_js(move || {
                if untouched(&id) {
                    place_caret(&id, start, end);
                }
            })
            .unchecked_ref(),
        );
    }

    /// Brings the page up to date with the replica: rows, numbers, kinds, texts and textareas.
    /// Returns the outline it read, for what follows the same change.
    fn refresh(&mut self) -> Option<document::Outline> {
        let Ok(outline) = document::read(&self.doc) else {
            return None;
        };
        if self.ui.title.get_untracked() != outline.title {
            self.ui.title.set(outline.title.clone());
            if let Some(input) = window()
                .document()
                .and_then(|d| d.get_element_by_id("doc-title-input"))
                .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok())
            {
                if input.value() != outline.title {
                    input.set_value(&outline.title);
                }
            }
        }
        let current: Vec<String> = self
            .ui
            .rows
            .with_untracked(|rows| rows.iter().map(|r| r.id.clone()).collect());
        let mut next = Vec::with_capacity(outline.paragraphs.len());
        for p in &outline.paragraphs {
            let row = self
                .rows
                .entry(p.id.clone())
                .or_insert_with(|| Row::new(p))
                .clone();
            if row.kind.get_untracked() != p.kind {
                row.kind.set(p.kind);
            }
            if row.number.get_untracked() != p.number {
                row.number.set(p.number.clone());
            }
            if row.text.get_untracked() != p.text {
                row.text.set(p.text.clone());
            }
            if let Some(ta) = textarea(&p.id) {
                if ta.value() != p.text {
                    ta.set_value(&p.text);
                }
            }
            next.push(row);
        }
        let ids: Vec<&String> = next.iter().map(|r| &r.id).collect();
        if ids.len() != current.len() || ids.iter().zip(&current).any(|(a, b)| *a != b) {
            self.ui.rows.set(next);
        }
        Some(outline)
    }

    /// Runs a structural edit, which returns where the caret goes and the operations that undo
    /// it; then records it, refreshes, sends, and puts the caret there.
    fn structural(
        &mut self,
        edit: impl FnOnce(&mut AutoCommit) -> Option<((String, u32), Vec<undo::Op>)>,
    ) {
        let done = edit(&mut self.doc);
        self.refresh();
        self.schedule_flush();
        if let Some(((id, pos), ops)) = done {
            self.remember(ops, None);
            focus_later(id, pos);
        }
    }

    /// Records an edit of this drafter's on the undo stack.
    fn remember(&mut self, ops: Vec<undo::Op>, typing: Option<&str>) {
        let now = js_sys::Date::now();
        self.history.done(ops, typing.map(|id| (id, now)));
        self.show_history();
    }

    fn show_history(&self) {
        let can = (self.history.can(Way::Undo), self.history.can(Way::Redo));
        if self.ui.undo.get_untracked() != can {
            self.ui.undo.set(can);
        }
    }

    /// Undoes or redoes this drafter's latest step; one that others' edits have made impossible
    /// is dropped, and the note says so.
    fn step(&mut self, way: Way) {
        self.doc.commit();
        let Some(result) = self.history.step(&mut self.doc, way) else {
            return;
        };
        let i18n = self.ui.i18n;
        let note = match (&result, way) {
            (Ok(_), Way::Undo) => t_string!(i18n, document.undo_note_undone).to_string(),
            (Ok(_), Way::Redo) => t_string!(i18n, document.undo_note_redone).to_string(),
            (Err(why), _) => {
                self.doc.rollback();
                let reason = match why {
                    undo::Stale::Gone => t_string!(i18n, document.undo_stale_gone),
                    undo::Stale::Changed => t_string!(i18n, document.undo_stale_changed),
                };
                t_string!(i18n, document.undo_note_impossible, reason = reason).to_string()
            }
        };
        self.refresh();
        self.schedule_flush();
        self.show_history();
        self.ui.undo_note.set(Some(note));
        if let Ok(Some((id, pos))) = result {
            focus_later(id, pos);
        }
    }
}

/// A focused paragraph's selection before a remote change (see `Session::capture_caret`).
struct Caret {
    id: String,
    start: automerge::Cursor,
    end: automerge::Cursor,
    /// The selection's start, and its width, in UTF-16 units as the textarea counts.
    at: u32,
    width: u32,
    /// The paragraph's words then.
    text: String,
    /// The paragraph before it then, where a merge takes its words.
    prev: Option<String>,
}

fn utf16_len(s: &str) -> u32 {
    s.encode_utf16().count() as u32
}

/// Focuses paragraph `id` (if it is not focused already) with the selection `start..end`.
fn place_caret(id: &str, start: u32, end: u32) {
    let Some(ta) = textarea(id) else { return };
    let focused = window()
        .document()
        .and_then(|d| d.active_element())
        .is_some_and(|a| a.id() == ta.id());
    if !focused {
        let _ = ta.focus();
    }
    let _ = ta.set_selection_range(start, end);
}

fn hex_bytes(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) || hex.len() > 64 {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Focuses a paragraph's textarea once the page has rendered it.
fn focus_later(id: String, pos: u32) {
    let _ = window().request_animation_frame(
        Closure::once_into_js(move || {
            if let Some(ta) = textarea(&id) {
                let _ = ta.focus();
                let _ = ta.set_selection_range(pos, pos);
            }
        })
        .unchecked_ref(),
    );
}

fn target(ev: &web_sys::Event) -> Option<HtmlTextAreaElement> {
    ev.target()?.dyn_into().ok()
}

/// A paragraph's textarea changed: apply the difference to the replica.
pub fn input(id: &str, ev: &web_sys::Event) {
    let Some(ta) = target(ev) else { return };
    let typed = ta.value();
    let value = domain::rules::typed_words(&typed, domain::rules::Lines::Many);
    if value != typed {
        ta.set_value(&value);
    }
    with(|s| {
        if let Ok(ops) = undo::set_text(&mut s.doc, id, &value) {
            if let Some(row) = s.rows.get(id) {
                row.text.set(value);
            }
            s.remember(ops, Some(id));
            s.schedule_flush();
        }
        s.focus = Some((
            id.to_string(),
            ta.selection_start().ok().flatten().unwrap_or(0),
        ));
        s.focus_end = None;
        s.schedule_presence();
    });
}

/// Enter splits, Backspace at the start merges, arrows at the edges move between paragraphs.
pub fn keydown(id: &str, ev: &web_sys::KeyboardEvent) {
    let Some(ta) = ev
        .target()
        .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
    else {
        return;
    };
    if ev.is_composing() {
        return;
    }
    let start = ta.selection_start().ok().flatten().unwrap_or(0);
    let end = ta.selection_end().ok().flatten().unwrap_or(0);
    let len = ta.value().encode_utf16().count() as u32;
    let id = id.to_string();
    let command = ev.ctrl_key() || ev.meta_key();
    match ev.key().as_str() {
        "z" | "Z" if command => {
            ev.prevent_default();
            undo(ev.shift_key());
        }
        "y" | "Y" if command => {
            ev.prevent_default();
            undo(true);
        }
        "Enter" => {
            ev.prevent_default();
            with(|s| {
                s.structural(|doc| {
                    let mut ops = Vec::new();
                    if end > start {
                        let words: Vec<u16> = ta.value().encode_utf16().collect();
                        let mut left = words[..start as usize].to_vec();
                        left.extend_from_slice(&words[end as usize..]);
                        ops = undo::set_text(doc, &id, &String::from_utf16_lossy(&left)).ok()?;
                    }
                    let new_id = document::split(doc, &id, start as usize).ok()?;
                    ops.push(undo::unsplit(&id, &new_id));
                    Some(((new_id, 0), ops))
                })
            });
        }
        "Backspace" if start == 0 && end == 0 => {
            with(|s| {
                let first =
                    s.ui.rows
                        .with_untracked(|r| r.first().map(|r| r.id == id).unwrap_or(true));
                if !first {
                    ev.prevent_default();
                    s.structural(|doc| {
                        let (prev, join) = document::merge_with_previous(doc, &id).ok()??;
                        let ops = vec![undo::unmerge(doc, &prev, join, &id).ok()?];
                        Some(((prev, join as u32), ops))
                    });
                }
            });
        }
        "ArrowUp" if start == 0 && end == 0 => {
            if let Some((prev, len)) = neighbour(&id, -1) {
                ev.prevent_default();
                focus_later(prev, len);
            }
        }
        "ArrowDown" if start == len && end == len => {
            if let Some((next, _)) = neighbour(&id, 1) {
                ev.prevent_default();
                focus_later(next, 0);
            }
        }
        _ => {}
    }
}

/// The paragraph `step` places away from `id`, with its length.
fn neighbour(id: &str, step: isize) -> Option<(String, u32)> {
    with(|s| {
        s.ui.rows.with_untracked(|rows| {
            let i = rows.iter().position(|r| r.id == id)? as isize + step;
            let row = rows.get(usize::try_from(i).ok()?)?;
            Some((
                row.id.clone(),
                row.text.get_untracked().encode_utf16().count() as u32,
            ))
        })
    })
    .flatten()
}

/// The caret or the selection moved (or the paragraph got focus): tell the others where we are.
pub fn caret(id: &str, ev: &web_sys::Event) {
    let Some(ta) = target(ev) else { return };
    let pos = ta.selection_start().ok().flatten().unwrap_or(0);
    let end = ta.selection_end().ok().flatten().filter(|e| *e > pos);
    with(|s| {
        let changed = s.focus.as_ref().is_none_or(|(i, p)| i != id || *p != pos);
        if changed || s.focus_end != end {
            s.focus = Some((id.to_string(), pos));
            s.focus_end = end;
            s.schedule_presence();
        }
    });
}

/// Where the caret was in paragraph `id` when a toolbar control took the focus (its start if
/// it was elsewhere): the control gives it back there.
fn caret_in(s: &Session, id: &str) -> u32 {
    s.focus
        .as_ref()
        .filter(|(i, _)| i == id)
        .map_or(0, |(_, at)| *at)
}

/// Undoes (or, with `redo`, redoes) this drafter's latest step.
pub fn undo(redo: bool) {
    with(|s| s.step(if redo { Way::Redo } else { Way::Undo }));
}

pub fn set_kind(id: &str, kind: &str) {
    let Some(kind) = ParagraphKind::parse(kind) else {
        return;
    };
    with(|s| {
        let at = caret_in(s, id);
        s.structural(|doc| {
            let ops = vec![undo::unkind(doc, id).ok()?];
            document::set_kind(doc, id, kind).ok()?;
            Some(((id.to_string(), at), ops))
        })
    });
}

pub fn move_paragraph(id: &str, up: bool) {
    let dir = if up { Direction::Up } else { Direction::Down };
    with(|s| {
        let at = caret_in(s, id);
        s.structural(|doc| {
            let ops = vec![undo::unmove(doc, id).ok()?];
            document::move_paragraph(doc, id, dir)
                .ok()?
                .then(|| ((id.to_string(), at), ops))
        })
    });
}

pub fn delete_paragraph(id: &str) {
    with(|s| {
        let neighbour = s.ui.rows.with_untracked(|rows| {
            let i = rows.iter().position(|r| r.id == id)?;
            rows.get(i.checked_sub(1).unwrap_or(i + 1))
                .map(|r| r.id.clone())
        });
        let label = s
            .rows
            .get(id)
            .map(|r| untrack(|| super::state::row_label(s.ui.i18n, r)));
        s.structural(|doc| {
            document::delete(doc, id).ok()?;
            let at = neighbour.unwrap_or_else(|| id.to_string());
            Some(((at, 0), vec![undo::undelete(id, true)]))
        });
        // Deleting takes one click: it is said, with the way back beside it.
        if let Some(label) = label {
            let note = t_string!(s.ui.i18n, document.undo_note_deleted, paragraph = label);
            s.ui.undo_note.set(Some(note.to_string()));
        }
    });
}

pub fn add_at_end() {
    with(|s| {
        let last =
            s.ui.rows
                .with_untracked(|rows| rows.last().map(|r| r.id.clone()));
        s.structural(|doc| {
            let id =
                document::insert_after(doc, last.as_deref(), ParagraphKind::Numbered, "").ok()?;
            let ops = vec![undo::undelete(&id, false)];
            Some(((id, 0), ops))
        })
    });
}

pub fn set_title(title: &str) {
    // A title is one line: Enter or a pasted line break becomes a space.
    let title = domain::rules::typed_words(title, domain::rules::Lines::One);
    let title = title.as_str();
    with(|s| {
        if document::set_title(&mut s.doc, title).is_ok() {
            s.ui.title.set(title.to_string());
            s.schedule_flush();
        }
    });
}

/// Text was selected in a paragraph (its textarea or its read view): remember the selection,
/// held by cursors, as the span a new comment is about. A collapsed selection forgets it.
fn select(id: &str, start: u32, end: u32) {
    with(|s| {
        if start >= end {
            if s.ui
                .selection
                .with_untracked(|sel| sel.as_ref().is_some_and(|x| x.paragraph == id))
            {
                s.ui.selection.set(None);
            }
            return;
        }
        let Ok((first, last)) = anchor::span_cursors(&s.doc, id, start as usize, end as usize)
        else {
            return;
        };
        let Ok(span) = anchor::resolve_span(&s.doc, id, &first, &last) else {
            return;
        };
        s.ui.selection.set(Some(Selection {
            paragraph: id.to_string(),
            first,
            last,
            quote: span.quote,
        }));
    });
}

/// The selection in a paragraph's textarea changed.
pub fn select_in_textarea(id: &str, ev: &web_sys::Event) {
    let Some(ta) = target(ev) else { return };
    let start = ta.selection_start().ok().flatten().unwrap_or(0);
    let end = ta.selection_end().ok().flatten().unwrap_or(0);
    select(id, start, end);
}

/// The selection in a paragraph's read view changed: offsets are measured as the length of the
/// text from the start of the element, which JavaScript counts in UTF-16 code units.
pub fn select_in_text(id: &str, ev: &web_sys::Event) {
    let Some(element) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
    else {
        return;
    };
    let Some(sel) = window().get_selection().ok().flatten() else {
        return;
    };
    let (Some(a), Some(f)) = (sel.anchor_node(), sel.focus_node()) else {
        return;
    };
    if !element.contains(Some(&a)) || !element.contains(Some(&f)) {
        return;
    }
    let offset = |node: &web_sys::Node, at: u32| -> Option<u32> {
        let doc = window().document()?;
        let range = doc.create_range().ok()?;
        range.set_start(&element, 0).ok()?;
        range.set_end(node, at).ok()?;
        Some(String::from(range.to_string()).encode_utf16().count() as u32)
    };
    let (Some(x), Some(y)) = (
        offset(&a, sel.anchor_offset()),
        offset(&f, sel.focus_offset()),
    ) else {
        return;
    };
    select(id, x.min(y), x.max(y));
}

/// Where a span held by cursors is in the replica now (`None` before the replica has it).
pub fn resolve(id: &str, first: &str, last: &str) -> Option<(u32, u32)> {
    with(|s| {
        anchor::resolve_span(&s.doc, id, first, last)
            .ok()
            .map(|span| (span.start as u32, span.end as u32))
    })
    .flatten()
}

/// The replica's heads (hex), once it has the document.
pub fn heads() -> Option<Vec<String>> {
    with(|s| {
        s.synced
            .then(|| domain::document::hex_heads(&s.doc.get_heads()))
    })
    .flatten()
}
