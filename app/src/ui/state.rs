//! The state the document page, the editor, the threads and the amendment forms share: one row
//! of signals per paragraph, the selection, the connection's status, and the copy of the text an
//! amendment is proposed from. Page files import it; they do not import each other for it.

use std::collections::HashMap;

use accord_i18n::t_string;
use domain::api::{Anchor, ParagraphConsensus, PeerPresence};
use domain::ParagraphKind;
use leptos::prelude::*;

use super::words::I18n;

/// A paragraph's reactive state; rows are keyed by paragraph id, so typing elsewhere or
/// renumbering never recreates a textarea that has the caret.
#[derive(Clone)]
pub struct Row {
    pub id: String,
    pub kind: RwSignal<ParagraphKind>,
    pub number: RwSignal<Option<String>>,
    pub text: RwSignal<String>,
}

impl Row {
    pub fn new(p: &domain::Paragraph) -> Self {
        Self {
            id: p.id.clone(),
            kind: RwSignal::new(p.kind),
            number: RwSignal::new(p.number.clone()),
            text: RwSignal::new(p.text.clone()),
        }
    }
}

/// Where the connection to the server stands. Only the browser's editor leaves `Loading`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub enum Status {
    /// The page is shown; the app is on its way (what the server renders).
    Loading,
    Connecting,
    Live,
    /// Disconnected; the next attempt is in this many seconds.
    Offline(u32),
    /// The server refused this client, for this reason (said in the reader's language).
    Refused(domain::api::ErrorCode),
}

/// Words selected in a paragraph, held by automerge cursors: what a new comment is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    pub paragraph: String,
    pub first: String,
    pub last: String,
    pub quote: String,
}

/// The spans commented on in one paragraph's thread: their cursors, and their UTF-16 offsets
/// when the server last resolved them.
pub type Marks = (String, Vec<(Anchor, (u32, u32))>);

/// The signals the editor drives.
#[derive(Clone, Copy)]
pub struct EditorUi {
    /// Each paragraph's feedback figures, updated live.
    pub figures: RwSignal<HashMap<String, ParagraphConsensus>>,
    /// The paragraph whose feedback was last announced, and a count of announcements.
    pub news: RwSignal<(String, u64)>,
    pub selection: RwSignal<Option<Selection>>,
    /// The spans commented on in the open thread: its paragraph, each span's cursors and where
    /// the server last saw it.
    pub marks: RwSignal<Marks>,
    pub rows: RwSignal<Vec<Row>>,
    pub title: RwSignal<String>,
    pub editable: RwSignal<bool>,
    pub status: RwSignal<Status>,
    pub peers: RwSignal<Vec<PeerPresence>>,
    pub me: RwSignal<Option<u64>>,
    /// Whether this drafter has something to undo, and to redo.
    pub undo: RwSignal<(bool, bool)>,
    /// What the last undo, redo or deletion did, said to screen readers and shown by the undo
    /// buttons (with an offer to undo a deletion).
    pub undo_note: RwSignal<Option<String>>,
    /// The reader's language, for the words the editor writes into these signals.
    pub i18n: I18n,
    /// The language the text is written in (its `lang`, for screen readers and hyphenation).
    pub text_language: &'static str,
}

/// The text as the rows hold it now, each paragraph with its label (in the reader's language):
/// the copy an amendment is proposed from.
pub fn copy_of(ui: EditorUi) -> Vec<Para> {
    ui.rows.with_untracked(|rows| {
        rows.iter()
            .map(|r| Para {
                id: r.id.clone(),
                label: row_label(ui.i18n, r),
                text: r.text.get_untracked(),
            })
            .collect()
    })
}

/// "Paragraph 8(a)", "Heading": what a paragraph is called in labels, in the reader's language.
pub fn paragraph_label(i18n: I18n, kind: ParagraphKind, number: Option<&str>) -> String {
    match (kind, number) {
        (ParagraphKind::Heading, _) => t_string!(i18n, document.label_heading).to_string(),
        (_, Some(n)) => t_string!(i18n, document.label_paragraph, number = n).to_string(),
        (_, None) => t_string!(i18n, document.label_unnumbered).to_string(),
    }
}

/// A row's [`paragraph_label`], following its kind and number.
pub fn row_label(i18n: I18n, row: &Row) -> String {
    let number = row.number.get();
    paragraph_label(i18n, row.kind.get(), number.as_deref())
}

/// A paragraph as the proposal form copies it: id, label ("Paragraph 3") and text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Para {
    pub id: String,
    pub label: String,
    pub text: String,
}
