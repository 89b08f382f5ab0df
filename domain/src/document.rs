//! The document schema: how a text is laid out in one automerge document, and every operation a
//! drafter performs on it.
//!
//! ```text
//! ROOT
//! ├── schema: 1                      (scalar integer; the layout version)
//! ├── title: Text
//! └── paragraphs: Map
//!     └── <paragraph id>: Map        (ids are stable: `p` + 12 base-32 characters)
//!         ├── kind: "heading" | "numbered" | "sub" | "plain"   (scalar string, or Text)
//!         ├── order: "i4"            (scalar string, or Text: an order key, see `order`)
//!         ├── text: Text             (one Text per paragraph keeps every remote apply cheap)
//!         └── deleted: true          (optional boolean; a deleted paragraph is a tombstone)
//! ```
//!
//! Paragraphs live in a map keyed by id rather than a list, so moving one is a write of its
//! order key and never a delete-and-reinsert that would lose a co-drafter's concurrent typing;
//! deleting one leaves a tombstone, so text typed into it concurrently is not lost either.
//! Positions are counted in UTF-16 code units on every platform, matching browser textareas.

use automerge::{
    transaction::Transactable, ActorId, AutoCommit, AutomergeError, ObjId, ObjType, ReadDoc,
    ScalarValue, TextEncoding, Value, ROOT,
};
use std::collections::BTreeSet;

use super::{limits, numbering, order};

pub const SCHEMA_VERSION: i64 = 1;
pub const TEXT_ENCODING: TextEncoding = TextEncoding::Utf16CodeUnit;

/// What a paragraph is, which decides how it is numbered and rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ParagraphKind {
    /// A section heading; unnumbered.
    Heading,
    /// A numbered paragraph: 1, 2, 3 …
    Numbered,
    /// A sub-paragraph of the preceding numbered paragraph: 8(a), 8(b) …
    Sub,
    /// Body text without a number (a preamble, a note).
    Plain,
}

impl ParagraphKind {
    pub const ALL: [ParagraphKind; 4] = [Self::Heading, Self::Numbered, Self::Sub, Self::Plain];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Heading => "heading",
            Self::Numbered => "numbered",
            Self::Sub => "sub",
            Self::Plain => "plain",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The words a drafter sees in the kind menu.
    pub fn label(self) -> &'static str {
        match self {
            Self::Heading => "Heading",
            Self::Numbered => "Numbered paragraph",
            Self::Sub => "Sub-paragraph",
            Self::Plain => "Unnumbered text",
        }
    }
}

/// One paragraph as read from the document, with its display number.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Paragraph {
    pub id: String,
    pub kind: ParagraphKind,
    /// "8", "8(a)"; `None` for headings and unnumbered text.
    pub number: Option<String>,
    pub text: String,
}

/// The readable state of a document: its title and its live paragraphs in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outline {
    pub title: String,
    pub paragraphs: Vec<Paragraph>,
}

impl Outline {
    /// How a record or a report names paragraph `id` to people: by its number ("paragraph 8(a)"),
    /// a heading or unnumbered text by its first words, one deleted since by its id.
    pub fn called(&self, id: &str) -> String {
        let Some(p) = self.paragraphs.iter().find(|p| p.id == id) else {
            return format!("a deleted paragraph ({id})");
        };
        let first: String = p.text.chars().take(40).collect();
        let first = match first.len() < p.text.len() {
            true => format!("{}…", first.trim_end()),
            false => first,
        };
        match (&p.number, p.kind) {
            (Some(n), _) => format!("paragraph {n}"),
            (None, ParagraphKind::Heading) => format!("the heading “{first}”"),
            (None, _) => format!("the paragraph “{first}”"),
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SchemaError {
    #[error("document has no '{0}' at its root")]
    MissingRoot(&'static str),
    #[error("root key '{0}' has the wrong type")]
    WrongRootType(&'static str),
    #[error("unknown root key '{0}'")]
    UnknownRootKey(String),
    #[error("schema version {0} is not supported (expected {SCHEMA_VERSION})")]
    Version(i64),
    #[error("paragraph '{0}' is not a map")]
    NotAMap(String),
    #[error("paragraph id '{0}' is malformed")]
    BadId(String),
    #[error("paragraph '{id}' has no valid '{field}'")]
    BadField { id: String, field: &'static str },
    #[error("paragraph '{id}' has an unknown key '{key}'")]
    UnknownKey { id: String, key: String },
    #[error("paragraph '{id}' is {len} characters long (the limit is {max})", max = limits::MAX_PARAGRAPH_LEN)]
    ParagraphTooLong { id: String, len: usize },
    #[error("title is {0} characters long (the limit is {max})", max = limits::MAX_TITLE_LEN)]
    TitleTooLong(usize),
    #[error("document has {0} paragraphs (the limit is {max})", max = limits::MAX_PARAGRAPHS)]
    TooManyParagraphs(usize),
    #[error("paragraph '{0}' exists already: its text is created once and only ever edited")]
    Recreated(String),
    #[error("the text may not contain control characters (other than line breaks and tabs in a paragraph)")]
    ControlCharacters,
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("unknown paragraph '{0}'")]
    UnknownParagraph(String),
    #[error(transparent)]
    Schema(#[from] SchemaError),
    #[error("automerge: {0}")]
    Automerge(#[from] AutomergeError),
}

/// A new empty document using the schema's text encoding.
pub fn empty_doc() -> AutoCommit {
    AutoCommit::new_with_encoding(TEXT_ENCODING)
}

/// Loads saved bytes (a save, or a save followed by incremental chunks) with the schema's encoding.
pub fn load(bytes: &[u8]) -> Result<automerge::Automerge, AutomergeError> {
    automerge::Automerge::load_with_options(
        bytes,
        automerge::LoadOptions::new().text_encoding(TEXT_ENCODING),
    )
}

/// Loads saved bytes into an [`AutoCommit`] with the schema's encoding.
pub fn load_autocommit(bytes: &[u8]) -> Result<AutoCommit, AutomergeError> {
    AutoCommit::load_with_options(
        bytes,
        automerge::LoadOptions::new().text_encoding(TEXT_ENCODING),
    )
}

/// A fresh paragraph id: `p` followed by 12 base-32 characters of randomness.
///
/// The randomness comes from automerge's own actor-id generator, which already works on every
/// target Accord builds for.
pub fn new_paragraph_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let actor = ActorId::random();
    let mut id = String::from("p");
    for b in actor.to_bytes().iter().take(12) {
        id.push(ALPHABET[usize::from(b % 32)] as char);
    }
    id
}

/// Whether `id` looks like a paragraph id (what a URL anchor or an API path may carry).
pub fn is_valid_paragraph_id(id: &str) -> bool {
    (2..=40).contains(&id.len())
        && id.starts_with('p')
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Heads as hex, as the wire and the database carry them.
pub fn hex_heads(heads: &[automerge::ChangeHash]) -> Vec<String> {
    heads.iter().map(|h| h.to_string()).collect()
}

/// Writes the root of a new document: schema version, title and the given paragraphs.
pub fn init<T: Transactable>(
    tx: &mut T,
    title: &str,
    paragraphs: &[(ParagraphKind, String)],
) -> Result<Vec<String>, ModelError> {
    tx.put(ROOT, "schema", SCHEMA_VERSION)?;
    let title_obj = tx.put_object(ROOT, "title", ObjType::Text)?;
    tx.splice_text(&title_obj, 0, 0, title)?;
    let map = tx.put_object(ROOT, "paragraphs", ObjType::Map)?;
    let keys = order::spread(paragraphs.len());
    let mut ids = Vec::with_capacity(paragraphs.len());
    for ((kind, text), key) in paragraphs.iter().zip(keys) {
        let id = new_paragraph_id();
        write_paragraph(tx, &map, &id, *kind, &key, text)?;
        ids.push(id);
    }
    Ok(ids)
}

/// A whole new document, committed as one change.
pub fn new_document(
    title: &str,
    paragraphs: &[(ParagraphKind, String)],
) -> Result<AutoCommit, ModelError> {
    let mut doc = empty_doc();
    init(&mut doc, title, paragraphs)?;
    doc.commit();
    Ok(doc)
}

fn write_paragraph<T: Transactable>(
    tx: &mut T,
    map: &ObjId,
    id: &str,
    kind: ParagraphKind,
    key: &str,
    text: &str,
) -> Result<ObjId, ModelError> {
    let obj = tx.put_object(map, id, ObjType::Map)?;
    tx.put(&obj, "kind", kind.as_str())?;
    tx.put(&obj, "order", key)?;
    let text_obj = tx.put_object(&obj, "text", ObjType::Text)?;
    tx.splice_text(&text_obj, 0, 0, text)?;
    Ok(text_obj)
}

/// Reads a string field that a Rust client writes as a scalar and a JavaScript client may write as
/// a Text object; both are accepted.
fn read_string<D: ReadDoc>(doc: &D, obj: &ObjId, key: &str) -> Option<String> {
    match doc.get(obj, key).ok()?? {
        (Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        (Value::Object(ObjType::Text), text) => doc.text(&text).ok(),
        _ => None,
    }
}

fn paragraphs_map<D: ReadDoc>(doc: &D) -> Result<ObjId, SchemaError> {
    match doc.get(ROOT, "paragraphs").ok().flatten() {
        Some((Value::Object(ObjType::Map), id)) => Ok(id),
        Some(_) => Err(SchemaError::WrongRootType("paragraphs")),
        None => Err(SchemaError::MissingRoot("paragraphs")),
    }
}

fn title_obj<D: ReadDoc>(doc: &D) -> Result<ObjId, SchemaError> {
    match doc.get(ROOT, "title").ok().flatten() {
        Some((Value::Object(ObjType::Text), id)) => Ok(id),
        Some(_) => Err(SchemaError::WrongRootType("title")),
        None => Err(SchemaError::MissingRoot("title")),
    }
}

/// How many live paragraphs the document has (cheaper than [`read`]: no texts are read).
pub fn live_count<D: ReadDoc>(doc: &D) -> Result<usize, SchemaError> {
    Ok(entries(doc)?.len())
}

/// The title of the document.
pub fn title<D: ReadDoc>(doc: &D) -> Result<String, SchemaError> {
    let obj = title_obj(doc)?;
    doc.text(&obj)
        .map_err(|_| SchemaError::WrongRootType("title"))
}

/// A paragraph's raw fields, before numbering.
struct Entry {
    id: String,
    kind: ParagraphKind,
    order: String,
    text_obj: ObjId,
    deleted: bool,
}

fn read_entry<D: ReadDoc>(doc: &D, map: &ObjId, id: &str) -> Result<Entry, SchemaError> {
    if !is_valid_paragraph_id(id) {
        return Err(SchemaError::BadId(id.to_string()));
    }
    let obj = match doc.get(map, id).ok().flatten() {
        Some((Value::Object(ObjType::Map), obj)) => obj,
        _ => return Err(SchemaError::NotAMap(id.to_string())),
    };
    let bad = |field| SchemaError::BadField {
        id: id.to_string(),
        field,
    };
    let kind = read_string(doc, &obj, "kind")
        .and_then(|s| ParagraphKind::parse(&s))
        .ok_or_else(|| bad("kind"))?;
    let order = read_string(doc, &obj, "order")
        .filter(|k| order::is_valid(k))
        .ok_or_else(|| bad("order"))?;
    let text_obj = match doc.get(&obj, "text").ok().flatten() {
        Some((Value::Object(ObjType::Text), t)) => t,
        _ => return Err(bad("text")),
    };
    let deleted = match doc.get(&obj, "deleted").ok().flatten() {
        None => false,
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Boolean(b) => *b,
            _ => return Err(bad("deleted")),
        },
        Some(_) => return Err(bad("deleted")),
    };
    Ok(Entry {
        id: id.to_string(),
        kind,
        order,
        text_obj,
        deleted,
    })
}

/// Live paragraphs in document order, without their texts.
fn entries<D: ReadDoc>(doc: &D) -> Result<Vec<Entry>, SchemaError> {
    let map = paragraphs_map(doc)?;
    let mut out = Vec::new();
    for id in doc.keys(&map) {
        let e = read_entry(doc, &map, &id)?;
        if !e.deleted {
            out.push(e);
        }
    }
    out.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
}

/// The title and numbered live paragraphs of a document.
pub fn read<D: ReadDoc>(doc: &D) -> Result<Outline, SchemaError> {
    let title = title(doc)?;
    let mut paragraphs = Vec::new();
    for e in entries(doc)? {
        let text = doc.text(&e.text_obj).map_err(|_| SchemaError::BadField {
            id: e.id.clone(),
            field: "text",
        })?;
        paragraphs.push(Paragraph {
            id: e.id,
            kind: e.kind,
            number: None,
            text,
        });
    }
    numbering::assign(&mut paragraphs);
    Ok(Outline { title, paragraphs })
}

/// What a validation has to look at: everything, or only what a change touched.
#[derive(Debug, Default, Clone)]
pub struct Touched {
    /// A root key or the title changed.
    pub root: bool,
    pub paragraphs: BTreeSet<String>,
    /// Paragraphs whose entry or whose text object was put (made anew): allowed only for a
    /// paragraph the document did not have before (a replaced text object would orphan every
    /// cursor into the old one — the comments' spans, the amendments' words).
    pub made: BTreeSet<String>,
    /// Words were inserted that hold a control character (a title takes none; a paragraph
    /// takes line breaks and tabs): exports and the report would not be well-formed.
    pub control_characters: bool,
    /// Something other than a paragraph's text changed: the listing (title, paragraph count)
    /// may need refreshing.
    pub outline: bool,
}

/// The parts of the document that `patches` (from applying changes) touched, for
/// [`validate_parts`].
pub fn touched(patches: &[automerge::Patch]) -> Touched {
    use automerge::{PatchAction, Prop};
    let mut t = Touched::default();
    for patch in patches {
        if let PatchAction::SpliceText { value, .. } = &patch.action {
            let in_paragraph = patch.path.len() > 1;
            let allowed = |c: char| in_paragraph && (c == '\n' || c == '\t');
            t.control_characters |= value
                .make_string()
                .chars()
                .any(|c| c.is_control() && !allowed(c));
        }
        let text_edit = matches!(
            patch.action,
            PatchAction::SpliceText { .. } | PatchAction::DeleteSeq { .. }
        );
        match patch.path.first() {
            Some((_, Prop::Map(key))) if key == "paragraphs" => match patch.path.get(1) {
                Some((_, Prop::Map(id))) => {
                    t.paragraphs.insert(id.clone());
                    if patch.path.len() == 2
                        && matches!(&patch.action, PatchAction::PutMap { key, .. } if key == "text")
                    {
                        t.made.insert(id.clone());
                    }
                    // Inside a paragraph, only an edit of its text leaves the outline alone.
                    let in_text =
                        matches!(patch.path.get(2), Some((_, Prop::Map(k))) if k == "text");
                    t.outline |= !(text_edit && in_text);
                }
                // A patch on the paragraphs map itself names the paragraph in its action.
                _ => {
                    t.outline = true;
                    match &patch.action {
                        PatchAction::PutMap { key, .. } => {
                            t.paragraphs.insert(key.clone());
                            t.made.insert(key.clone());
                        }
                        PatchAction::DeleteMap { key } => {
                            t.paragraphs.insert(key.clone());
                        }
                        _ => t.root = true,
                    }
                }
            },
            _ => {
                t.root = true;
                t.outline = true;
            }
        }
    }
    t
}

/// Checks the whole document against the schema and the limits.
pub fn validate<D: ReadDoc>(doc: &D) -> Result<(), SchemaError> {
    let map = paragraphs_map(doc)?;
    let ids: BTreeSet<String> = doc.keys(&map).collect();
    validate_parts(
        doc,
        &Touched {
            root: true,
            paragraphs: ids,
            outline: true,
            made: BTreeSet::new(),
            control_characters: false,
        },
    )
}

/// Checks what a change made anew against the document as it was at `before`: a paragraph it
/// had keeps its entry and its text object for good.
pub fn check_made<D: ReadDoc>(
    doc: &D,
    touched: &Touched,
    before: &[automerge::ChangeHash],
) -> Result<(), SchemaError> {
    if touched.made.is_empty() {
        return Ok(());
    }
    let Some((_, map)) = doc.get_at(ROOT, "paragraphs", before).ok().flatten() else {
        return Ok(());
    };
    match touched.made.iter().find(|id| {
        doc.get_at(&map, id.as_str(), before)
            .ok()
            .flatten()
            .is_some()
    }) {
        Some(id) => Err(SchemaError::Recreated(id.clone())),
        None => Ok(()),
    }
}

/// Checks the root (if touched) and the touched paragraphs against the schema and the limits.
pub fn validate_parts<D: ReadDoc>(doc: &D, touched: &Touched) -> Result<(), SchemaError> {
    if touched.control_characters {
        return Err(SchemaError::ControlCharacters);
    }
    let map = paragraphs_map(doc)?;
    // A change that adds paragraphs touches the map, not the root: count whenever the outline
    // moved.
    if touched.outline && !touched.root {
        let count = doc.length(&map);
        if count > limits::MAX_PARAGRAPHS {
            return Err(SchemaError::TooManyParagraphs(count));
        }
    }
    if touched.root {
        for key in doc.keys(ROOT) {
            if !matches!(key.as_str(), "schema" | "title" | "paragraphs") {
                return Err(SchemaError::UnknownRootKey(key));
            }
        }
        match doc.get(ROOT, "schema").ok().flatten() {
            Some((Value::Scalar(s), _)) => match s.as_ref() {
                ScalarValue::Int(SCHEMA_VERSION) | ScalarValue::Uint(1) => {}
                ScalarValue::Int(v) => return Err(SchemaError::Version(*v)),
                _ => return Err(SchemaError::WrongRootType("schema")),
            },
            Some(_) => return Err(SchemaError::WrongRootType("schema")),
            None => return Err(SchemaError::MissingRoot("schema")),
        }
        let title = title_obj(doc)?;
        let len = doc.length(&title);
        if len > limits::MAX_TITLE_LEN {
            return Err(SchemaError::TitleTooLong(len));
        }
        let count = doc.length(&map);
        if count > limits::MAX_PARAGRAPHS {
            return Err(SchemaError::TooManyParagraphs(count));
        }
    }
    for id in &touched.paragraphs {
        if doc.get(&map, id.as_str()).ok().flatten().is_none() {
            // Removed from the map entirely: allowed (a client may purge a tombstone).
            continue;
        }
        let entry = read_entry(doc, &map, id)?;
        let obj = match doc.get(&map, id.as_str()).ok().flatten() {
            Some((_, obj)) => obj,
            None => continue,
        };
        for key in doc.keys(&obj) {
            if !matches!(key.as_str(), "kind" | "order" | "text" | "deleted") {
                return Err(SchemaError::UnknownKey {
                    id: id.clone(),
                    key,
                });
            }
        }
        let len = doc.length(&entry.text_obj);
        if len > limits::MAX_PARAGRAPH_LEN {
            return Err(SchemaError::ParagraphTooLong {
                id: id.clone(),
                len,
            });
        }
    }
    Ok(())
}

fn live_entry<D: ReadDoc>(doc: &D, id: &str) -> Result<Entry, ModelError> {
    let map = paragraphs_map(doc)?;
    if doc.get(&map, id).ok().flatten().is_none() {
        return Err(ModelError::UnknownParagraph(id.to_string()));
    }
    let e = read_entry(doc, &map, id)?;
    if e.deleted {
        return Err(ModelError::UnknownParagraph(id.to_string()));
    }
    Ok(e)
}

/// The Text object holding a live paragraph's text.
///
/// This is on every keystroke's path, so it reads only what it must (four lookups) and leaves
/// the schema checks to [`validate`].
pub fn text_obj<D: ReadDoc>(doc: &D, id: &str) -> Result<ObjId, ModelError> {
    let unknown = || ModelError::UnknownParagraph(id.to_string());
    let map = paragraphs_map(doc)?;
    let obj = match doc.get(&map, id)? {
        Some((Value::Object(ObjType::Map), obj)) => obj,
        _ => return Err(unknown()),
    };
    if let Some((Value::Scalar(s), _)) = doc.get(&obj, "deleted")? {
        if matches!(s.as_ref(), ScalarValue::Boolean(true)) {
            return Err(unknown());
        }
    }
    match doc.get(&obj, "text")? {
        Some((Value::Object(ObjType::Text), text)) => Ok(text),
        _ => Err(SchemaError::BadField {
            id: id.to_string(),
            field: "text",
        }
        .into()),
    }
}

/// A paragraph's text, resolved once for a run of edits (a burst of typing stays in one
/// paragraph, so the editor need not look the paragraph up per keystroke).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParagraphText(ObjId);

impl ParagraphText {
    pub fn resolve<D: ReadDoc>(doc: &D, id: &str) -> Result<Self, ModelError> {
        text_obj(doc, id).map(Self)
    }

    /// Replaces `del` code units at `pos` with `insert`; positions past the end are an error.
    pub fn splice<T: Transactable>(
        &self,
        tx: &mut T,
        pos: usize,
        del: usize,
        insert: &str,
    ) -> Result<(), ModelError> {
        tx.splice_text(&self.0, pos, del as isize, insert)?;
        Ok(())
    }
}

/// The paragraph objects' map id, for callers that write paragraph fields.
fn paragraph_obj<D: ReadDoc>(doc: &D, id: &str) -> Result<ObjId, ModelError> {
    live_entry(doc, id)?;
    let map = paragraphs_map(doc)?;
    match doc.get(&map, id)? {
        Some((_, obj)) => Ok(obj),
        None => Err(ModelError::UnknownParagraph(id.to_string())),
    }
}

/// Replaces `del` code units at `pos` in a paragraph's text with `insert`.
pub fn splice<T: Transactable + ReadDoc>(
    tx: &mut T,
    id: &str,
    pos: usize,
    del: usize,
    insert: &str,
) -> Result<(), ModelError> {
    let obj = text_obj(tx, id)?;
    let len = tx.length(&obj);
    let pos = pos.min(len);
    let del = del.min(len - pos);
    tx.splice_text(&obj, pos, del as isize, insert)?;
    Ok(())
}

/// Brings a paragraph's text to `new_text` by replacing only the part that differs (the common
/// prefix and suffix stay untouched, so concurrent edits around the change survive).
pub fn set_text<T: Transactable + ReadDoc>(
    tx: &mut T,
    id: &str,
    new_text: &str,
) -> Result<(), ModelError> {
    let obj = text_obj(tx, id)?;
    splice_to(tx, &obj, new_text)?;
    Ok(())
}

/// What [`splice_to`] did: where, the words it removed and those it inserted.
pub struct Spliced {
    pub pos: usize,
    pub removed: String,
    pub inserted: String,
}

/// Brings the text object `obj` to `new_text` by one splice of the part that differs; `None`
/// when nothing did.
pub fn splice_to<T: Transactable + ReadDoc>(
    tx: &mut T,
    obj: &ObjId,
    new_text: &str,
) -> Result<Option<Spliced>, ModelError> {
    let old = tx.text(obj)?;
    let (pos, del, inserted) = utf16_diff(&old, new_text);
    if del == 0 && inserted.is_empty() {
        return Ok(None);
    }
    let removed: Vec<u16> = old.encode_utf16().skip(pos).take(del).collect();
    tx.splice_text(obj, pos, del as isize, &inserted)?;
    Ok(Some(Spliced {
        pos,
        removed: String::from_utf16_lossy(&removed),
        inserted,
    }))
}

/// The single splice (position, deleted count, inserted text), in UTF-16 code units, that turns
/// `old` into `new`.
pub fn utf16_diff(old: &str, new: &str) -> (usize, usize, String) {
    let a: Vec<u16> = old.encode_utf16().collect();
    let b: Vec<u16> = new.encode_utf16().collect();
    let mut prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    // Never cut a surrogate pair in two.
    if prefix > 0 && prefix < a.len() && (0xDC00..0xE000).contains(&a[prefix]) {
        prefix -= 1;
    }
    let max_suffix = (a.len() - prefix).min(b.len() - prefix);
    let mut suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    if suffix > 0 && suffix < a.len() && (0xD800..0xDC00).contains(&a[a.len() - suffix - 1]) {
        suffix -= 1;
    }
    let insert = String::from_utf16_lossy(&b[prefix..b.len() - suffix]);
    (prefix, a.len() - prefix - suffix, insert)
}

/// Sets the document title (by difference, like [`set_text`]).
pub fn set_title<T: Transactable + ReadDoc>(tx: &mut T, new_title: &str) -> Result<(), ModelError> {
    let obj = title_obj(tx)?;
    splice_to(tx, &obj, new_title)?;
    Ok(())
}

/// The order key for a paragraph placed right after `after` (or first, if `None`).
fn key_after<D: ReadDoc>(doc: &D, after: Option<&str>) -> Result<String, ModelError> {
    let list = entries(doc)?;
    let idx = match after {
        None => None,
        Some(id) => Some(
            list.iter()
                .position(|e| e.id == id)
                .ok_or_else(|| ModelError::UnknownParagraph(id.to_string()))?,
        ),
    };
    let lo = idx.map(|i| list[i].order.as_str());
    let hi = match idx {
        None => list.first(),
        Some(i) => list.get(i + 1),
    }
    .map(|e| e.order.as_str());
    Ok(order::between(lo, hi))
}

/// Inserts a new paragraph after `after` (or at the top) and returns its id.
pub fn insert_after<T: Transactable + ReadDoc>(
    tx: &mut T,
    after: Option<&str>,
    kind: ParagraphKind,
    text: &str,
) -> Result<String, ModelError> {
    let key = key_after(tx, after)?;
    let map = paragraphs_map(tx)?;
    let id = new_paragraph_id();
    write_paragraph(tx, &map, &id, kind, &key, text)?;
    Ok(id)
}

/// Splits a paragraph at `at` (UTF-16 units): the text after it moves into a new paragraph of
/// the same kind (a heading's continuation becomes a numbered paragraph). Returns the new id.
pub fn split<T: Transactable + ReadDoc>(
    tx: &mut T,
    id: &str,
    at: usize,
) -> Result<String, ModelError> {
    let entry = live_entry(tx, id)?;
    let text: Vec<u16> = tx.text(&entry.text_obj)?.encode_utf16().collect();
    let at = at.min(text.len());
    let tail = String::from_utf16_lossy(&text[at..]);
    let kind = match entry.kind {
        ParagraphKind::Heading => ParagraphKind::Numbered,
        k => k,
    };
    if at < text.len() {
        tx.splice_text(&entry.text_obj, at, (text.len() - at) as isize, "")?;
    }
    insert_after(tx, Some(id), kind, &tail)
}

/// Merges a paragraph into the one before it (Backspace at its start). Returns the previous
/// paragraph's id and the position where the two texts meet, or `None` for the first paragraph.
pub fn merge_with_previous<T: Transactable + ReadDoc>(
    tx: &mut T,
    id: &str,
) -> Result<Option<(String, usize)>, ModelError> {
    let list = entries(tx)?;
    let idx = list
        .iter()
        .position(|e| e.id == id)
        .ok_or_else(|| ModelError::UnknownParagraph(id.to_string()))?;
    if idx == 0 {
        return Ok(None);
    }
    let prev = &list[idx - 1];
    let text = tx.text(&list[idx].text_obj)?;
    let join = tx.length(&prev.text_obj);
    tx.splice_text(&prev.text_obj, join, 0, &text)?;
    delete(tx, id)?;
    Ok(Some((prev.id.clone(), join)))
}

/// Deletes a paragraph, leaving a tombstone that keeps its text.
pub fn delete<T: Transactable + ReadDoc>(tx: &mut T, id: &str) -> Result<(), ModelError> {
    let obj = paragraph_obj(tx, id)?;
    tx.put(&obj, "deleted", true)?;
    Ok(())
}

/// Which way a paragraph moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// Moves a paragraph one place up or down by giving it a new order key. Returns false when it is
/// already first or last.
pub fn move_paragraph<T: Transactable + ReadDoc>(
    tx: &mut T,
    id: &str,
    dir: Direction,
) -> Result<bool, ModelError> {
    let list = entries(tx)?;
    let idx = list
        .iter()
        .position(|e| e.id == id)
        .ok_or_else(|| ModelError::UnknownParagraph(id.to_string()))?;
    let (lo, hi) = match dir {
        Direction::Up if idx == 0 => return Ok(false),
        Direction::Up => (
            idx.checked_sub(2).map(|i| list[i].order.as_str()),
            Some(list[idx - 1].order.as_str()),
        ),
        Direction::Down if idx + 1 == list.len() => return Ok(false),
        Direction::Down => (
            Some(list[idx + 1].order.as_str()),
            list.get(idx + 2).map(|e| e.order.as_str()),
        ),
    };
    let key = order::between(lo, hi);
    let obj = paragraph_obj(tx, id)?;
    tx.put(&obj, "order", key.as_str())?;
    Ok(true)
}

/// Changes what kind of paragraph this is.
pub fn set_kind<T: Transactable + ReadDoc>(
    tx: &mut T,
    id: &str,
    kind: ParagraphKind,
) -> Result<(), ModelError> {
    let obj = paragraph_obj(tx, id)?;
    tx.put(&obj, "kind", kind.as_str())?;
    Ok(())
}

/// The paragraph before `id` in document order (`None` for the first), as undo puts a moved
/// paragraph back after it.
pub fn previous<D: ReadDoc>(doc: &D, id: &str) -> Result<Option<String>, ModelError> {
    let list = entries(doc)?;
    let i = list
        .iter()
        .position(|e| e.id == id)
        .ok_or_else(|| ModelError::UnknownParagraph(id.to_string()))?;
    Ok(i.checked_sub(1).map(|i| list[i].id.clone()))
}

/// A live paragraph's kind.
pub fn kind<D: ReadDoc>(doc: &D, id: &str) -> Result<ParagraphKind, ModelError> {
    Ok(live_entry(doc, id)?.kind)
}

/// Puts a paragraph right after `after` (first if `None`), wherever it is now.
pub fn place_after<T: Transactable + ReadDoc>(
    tx: &mut T,
    id: &str,
    after: Option<&str>,
) -> Result<(), ModelError> {
    let obj = paragraph_obj(tx, id)?;
    let list: Vec<Entry> = entries(tx)?.into_iter().filter(|e| e.id != id).collect();
    let idx = match after {
        None => None,
        Some(a) => Some(
            list.iter()
                .position(|e| e.id == a)
                .ok_or_else(|| ModelError::UnknownParagraph(a.to_string()))?,
        ),
    };
    let lo = idx.map(|i| list[i].order.as_str());
    let hi = idx.map_or(list.first(), |i| list.get(i + 1));
    let key = order::between(lo, hi.map(|e| e.order.as_str()));
    tx.put(&obj, "order", key.as_str())?;
    Ok(())
}

/// A deleted paragraph's entry (its tombstone), for undoing a deletion.
fn deleted_entry<D: ReadDoc>(doc: &D, id: &str) -> Result<(ObjId, Entry), ModelError> {
    let map = paragraphs_map(doc)?;
    let unknown = || ModelError::UnknownParagraph(id.to_string());
    let (_, obj) = doc.get(&map, id)?.ok_or_else(unknown)?;
    let e = read_entry(doc, &map, id)?;
    if !e.deleted {
        return Err(unknown());
    }
    Ok((obj, e))
}

/// Brings a deleted paragraph back where its order key puts it.
pub fn restore<T: Transactable + ReadDoc>(tx: &mut T, id: &str) -> Result<(), ModelError> {
    let (obj, _) = deleted_entry(tx, id)?;
    tx.put(&obj, "deleted", false)?;
    Ok(())
}

/// Appends the words of `gone` to `kept` and deletes `gone`; returns where they meet in `kept`.
pub fn join<T: Transactable + ReadDoc>(
    tx: &mut T,
    kept: &str,
    gone: &str,
) -> Result<usize, ModelError> {
    let into = text_obj(tx, kept)?;
    let from = text_obj(tx, gone)?;
    let words = tx.text(&from)?;
    let at = tx.length(&into);
    tx.splice_text(&into, at, 0, &words)?;
    delete(tx, gone)?;
    Ok(at)
}

/// Undoes a [`join`]: the words of `kept` from `at` on go back into the deleted paragraph `gone`
/// (keeping whatever of its old words still match, and with them what is anchored there), which
/// comes back right after `kept`.
pub fn separate<T: Transactable + ReadDoc>(
    tx: &mut T,
    kept: &str,
    at: usize,
    gone: &str,
) -> Result<(), ModelError> {
    let from = text_obj(tx, kept)?;
    let (_, entry) = deleted_entry(tx, gone)?;
    let words: Vec<u16> = tx.text(&from)?.encode_utf16().collect();
    let at = at.min(words.len());
    let tail = String::from_utf16_lossy(&words[at..]);
    tx.splice_text(&from, at, (words.len() - at) as isize, "")?;
    splice_to(tx, &entry.text_obj, &tail)?;
    restore(tx, gone)?;
    place_after(tx, gone, Some(kept))
}

#[cfg(test)]
#[path = "document_tests.rs"]
mod tests;
