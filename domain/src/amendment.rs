//! Amendments as branches of the document: a proposed change is made on a fork of the document
//! at the heads it was written against (its base), and kept apart as the automerge changes
//! that fork made. Accepting it merges those changes into the current document, the way a CRDT
//! merges a branch: edits drafters made elsewhere since, even in the same paragraph, survive.
//!
//! Within a paragraph the proposed wording is applied word by word ([`diff::splices`]), so that
//! the branch touches only the words it changes. [`fit`] says, before anyone accepts, whether
//! the words it changes were themselves changed since the base: then the chair sees the base,
//! the amendment and the current words side by side instead of a silent, garbled merge.

use automerge::{transaction::Transactable, ActorId, Automerge, ChangeHash, MoveCursor, ReadDoc};

use super::{
    anchor, diff,
    document::{self, ModelError, ParagraphKind},
};

/// One change an amendment proposes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// New wording for a paragraph.
    Replace { paragraph: String, text: String },
    /// A new paragraph after `after` (or at the top), of `kind` or else like the paragraph
    /// before it (a numbered one after a heading).
    Insert {
        after: Option<String>,
        kind: Option<ParagraphKind>,
        text: String,
    },
    /// Delete a paragraph.
    Delete { paragraph: String },
}

/// A proposed change: the heads it was written against and the changes its branch made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amendment {
    pub base: Vec<ChangeHash>,
    /// The branch's changes since `base`, as `Automerge::save_after` writes them.
    pub changes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum AmendmentError {
    #[error("the amendment changes nothing")]
    Empty,
    #[error("the document has no change {0}")]
    UnknownBase(String),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("the amendment does not load: {0}")]
    Corrupt(String),
}

/// Makes the branch for `edits` on the document as it was at `base`, writing as `actor`.
pub fn propose(
    doc: &Automerge,
    base: &[ChangeHash],
    edits: &[Edit],
    actor: ActorId,
) -> Result<Amendment, AmendmentError> {
    if let Some(h) = base.iter().find(|h| doc.get_change_by_hash(h).is_none()) {
        return Err(AmendmentError::UnknownBase(h.to_string()));
    }
    let mut fork = doc
        .fork_at(base)
        .map_err(|e| AmendmentError::Model(e.into()))?;
    fork.set_actor(actor);
    apply(&mut fork, edits)?;
    if fork.get_heads() == base {
        return Err(AmendmentError::Empty);
    }
    document::validate(&fork).map_err(ModelError::from)?;
    Ok(Amendment {
        base: base.to_vec(),
        changes: fork.save_after(base),
    })
}

/// Applies `edits` to `doc` in one change, each paragraph's new wording word by word.
fn apply(doc: &mut Automerge, edits: &[Edit]) -> Result<(), AmendmentError> {
    let mut tx = doc.transaction();
    for edit in edits {
        match edit {
            Edit::Replace { paragraph, text } => {
                let obj = document::text_obj(&tx, paragraph)?;
                let old = tx.text(&obj).map_err(ModelError::from)?;
                for (pos, del, ins) in diff::splices(&old, text) {
                    tx.splice_text(&obj, pos, del as isize, &ins)
                        .map_err(ModelError::from)?;
                }
            }
            Edit::Insert { after, kind, text } => {
                let kind = match kind {
                    Some(k) => *k,
                    None => like(&tx, after.as_deref())?,
                };
                document::insert_after(&mut tx, after.as_deref(), kind, text)?;
            }
            Edit::Delete { paragraph } => document::delete(&mut tx, paragraph)?,
        }
    }
    tx.commit();
    Ok(())
}

/// The kind a new paragraph after `after` takes when its proposer does not say.
fn like<D: ReadDoc>(doc: &D, after: Option<&str>) -> Result<ParagraphKind, AmendmentError> {
    let outline = document::read(doc).map_err(ModelError::from)?;
    Ok(
        match after.and_then(|a| outline.paragraphs.iter().find(|p| p.id == a)) {
            Some(p) if p.kind != ParagraphKind::Heading => p.kind,
            _ => ParagraphKind::Numbered,
        },
    )
}

/// The amendment with a chair's adjustments on top ("accepted with modification"): its branch
/// merged into the document as it was at `at`, the heads the chair read it at, then `edits`
/// applied there as `actor`. The result holds the changes since `at`, the amendment's and the
/// adjustment's, so that typing drafters did after `at` survives its merge like any other.
/// `None` when the adjustment changes nothing: that is a plain acceptance.
pub fn modify(
    doc: &Automerge,
    a: &Amendment,
    at: &[ChangeHash],
    edits: &[Edit],
    actor: ActorId,
) -> Result<Option<Amendment>, AmendmentError> {
    if let Some(h) = at.iter().find(|h| doc.get_change_by_hash(h).is_none()) {
        return Err(AmendmentError::UnknownBase(h.to_string()));
    }
    let mut fork = doc
        .fork_at(at)
        .map_err(|e| AmendmentError::Model(e.into()))?;
    accept(&mut fork, a)?;
    let merged = fork.get_heads();
    fork.set_actor(actor);
    apply(&mut fork, edits)?;
    if fork.get_heads() == merged {
        return Ok(None);
    }
    document::validate(&fork).map_err(ModelError::from)?;
    Ok(Some(Amendment {
        base: at.to_vec(),
        changes: fork.save_after(at),
    }))
}

/// What accepting the amendment now would do: each paragraph it changes, with its id, its
/// current text (empty when the amendment adds it, or it was deleted since) and its text after
/// the merge (empty when deleted), in the merged order, deletions last.
pub fn preview(
    doc: &Automerge,
    a: &Amendment,
) -> Result<Vec<(String, String, String)>, AmendmentError> {
    let touched = changed(doc, a)?;
    let mut merged = doc.fork();
    accept(&mut merged, a)?;
    preview_with(doc, &merged, &touched)
}

fn preview_with(
    doc: &Automerge,
    merged: &Automerge,
    touched: &[Changed],
) -> Result<Vec<(String, String, String)>, AmendmentError> {
    let now = document::read(doc).map_err(ModelError::from)?;
    let after = document::read(merged).map_err(ModelError::from)?;
    let text_in = |o: &document::Outline, id: &str| {
        o.paragraphs
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.text.clone())
            .unwrap_or_default()
    };
    let mut order: Vec<&str> = after
        .paragraphs
        .iter()
        .map(|p| p.id.as_str())
        .filter(|id| touched.iter().any(|t| t.paragraph == *id))
        .collect();
    let gone: Vec<&str> = touched
        .iter()
        .map(|t| t.paragraph.as_str())
        .filter(|t| !order.contains(t))
        .collect();
    order.extend(gone);
    Ok(order
        .into_iter()
        .map(|id| (id.to_string(), text_in(&now, id), text_in(&after, id)))
        .collect())
}

/// The document as it was at some heads, and its text there: what every amendment written at
/// those heads starts from, so that amendments sharing a base share one look at it.
pub struct Base {
    at: Automerge,
    outline: document::Outline,
}

impl Base {
    pub fn of(doc: &Automerge, heads: &[ChangeHash]) -> Result<Self, AmendmentError> {
        let at = doc
            .fork_at(heads)
            .map_err(|e| AmendmentError::Model(e.into()))?;
        let outline = document::read(&at).map_err(ModelError::from)?;
        Ok(Self { at, outline })
    }
}

/// The document as it was at the amendment's base, and the text there and on its branch.
type Sides<'a> = (&'a Automerge, &'a document::Outline, document::Outline);

fn sides<'a>(base: &'a Base, a: &Amendment) -> Result<Sides<'a>, AmendmentError> {
    let mut branch = base.at.fork();
    branch
        .load_incremental(&a.changes)
        .map_err(|e| AmendmentError::Corrupt(e.to_string()))?;
    let amended = document::read(&branch).map_err(ModelError::from)?;
    Ok((&base.at, &base.outline, amended))
}

/// A paragraph an amendment changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changed {
    pub paragraph: String,
    /// Its text at the base; empty for a new paragraph.
    pub base: String,
    /// Its text as amended; empty for a deleted one.
    pub amended: String,
    /// The paragraph before it in the amended text (none at the top or for a deleted one).
    pub follows: Option<String>,
}

/// Each paragraph the amendment changes, in the amended order, deletions last.
pub fn changed(doc: &Automerge, a: &Amendment) -> Result<Vec<Changed>, AmendmentError> {
    let base = Base::of(doc, &a.base)?;
    let (_, at_base, amended) = sides(&base, a)?;
    Ok(changed_between(at_base, &amended))
}

fn changed_between(base: &document::Outline, amended: &document::Outline) -> Vec<Changed> {
    let text_at_base = |id: &str| {
        base.paragraphs
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.text.clone())
    };
    let mut out: Vec<Changed> = amended
        .paragraphs
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match text_at_base(&p.id) {
            Some(old) if old == p.text => None,
            old => Some(Changed {
                paragraph: p.id.clone(),
                base: old.unwrap_or_default(),
                amended: p.text.clone(),
                follows: i.checked_sub(1).map(|j| amended.paragraphs[j].id.clone()),
            }),
        })
        .collect();
    out.extend(
        base.paragraphs
            .iter()
            .filter(|p| !amended.paragraphs.iter().any(|q| q.id == p.id))
            .map(|p| Changed {
                paragraph: p.id.clone(),
                base: p.text.clone(),
                amended: String::new(),
                follows: None,
            }),
    );
    out
}

/// Whether the amendment is merged into `doc` already.
pub fn is_applied(doc: &Automerge, a: &Amendment) -> bool {
    let mut probe = doc.fork();
    let before = probe.get_heads();
    probe.load_incremental(&a.changes).is_ok() && probe.get_heads() == before
}

/// Merges the amendment into `doc`. Accepting twice changes nothing the second time.
pub fn accept(doc: &mut Automerge, a: &Amendment) -> Result<(), AmendmentError> {
    if let Some(h) = a.base.iter().find(|h| doc.get_change_by_hash(h).is_none()) {
        return Err(AmendmentError::UnknownBase(h.to_string()));
    }
    doc.load_incremental(&a.changes)
        .map_err(|e| AmendmentError::Corrupt(e.to_string()))?;
    Ok(())
}

/// Where the words an amendment changes stand now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub paragraph: String,
    /// The words at the base that the amendment replaces (or, for an insertion, the words on
    /// either side of it).
    pub base: String,
    /// What the amendment puts there.
    pub amended: String,
    /// What is there now; empty when the paragraph or the words were deleted.
    pub current: String,
}

/// Whether an amendment still applies as it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fit {
    /// The words it changes are as they were at its base.
    Clean,
    /// It is merged already.
    Applied,
    /// Some of the words it changes were changed since.
    Conflicts(Vec<Conflict>),
}

/// Checks, paragraph by paragraph, that the words the amendment changes are unchanged in `doc`
/// since its base.
pub fn fit(doc: &Automerge, a: &Amendment) -> Result<Fit, AmendmentError> {
    if is_applied(doc, a) {
        return Ok(Fit::Applied);
    }
    fit_with(doc, &sides(&Base::of(doc, &a.base)?, a)?)
}

/// Everything shown about an amendment against the document now, from one look at its
/// sides: what it changes and, while it is open, whether it still fits and what accepting it
/// now would do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inspection {
    pub changed: Vec<Changed>,
    pub fit: Option<Fit>,
    pub preview: Vec<(String, String, String)>,
    /// For one accepted with a chair's modification: each paragraph's text as the chair
    /// adopted it (paragraph id, text).
    pub adopted: Option<Vec<(String, String)>>,
}

/// The text a chair's modification adopted: the document at the tips of what `modifier`
/// wrote (a modification is written by an actor of its own), read after the decision merged it.
pub fn adopted(
    doc: &Automerge,
    modifier: &automerge::ActorId,
) -> Result<Vec<(String, String)>, AmendmentError> {
    let mine: Vec<automerge::Change> = doc
        .get_changes(&[])
        .into_iter()
        .filter(|c| c.actor_id() == modifier)
        .collect();
    let depended: std::collections::HashSet<ChangeHash> =
        mine.iter().flat_map(|c| c.deps().to_vec()).collect();
    let tips: Vec<ChangeHash> = mine
        .iter()
        .map(|c| c.hash())
        .filter(|h| !depended.contains(h))
        .collect();
    if tips.is_empty() {
        return Err(AmendmentError::Empty);
    }
    let at = doc
        .fork_at(&tips)
        .map_err(|e| AmendmentError::Model(e.into()))?;
    let outline = document::read(&at).map_err(ModelError::from)?;
    Ok(outline
        .paragraphs
        .into_iter()
        .map(|p| (p.id, p.text))
        .collect())
}

pub fn inspect(doc: &Automerge, a: &Amendment, open: bool) -> Result<Inspection, AmendmentError> {
    inspect_from(doc, &Base::of(doc, &a.base)?, a, open)
}

/// [`inspect`] from the amendment's base, looked at already (`base` must be at `a.base`).
pub fn inspect_from(
    doc: &Automerge,
    base: &Base,
    a: &Amendment,
    open: bool,
) -> Result<Inspection, AmendmentError> {
    let sides = sides(base, a)?;
    let changed = changed_between(sides.1, &sides.2);
    if !open {
        return Ok(Inspection {
            changed,
            fit: None,
            preview: Vec::new(),
            adopted: None,
        });
    }
    let mut merged = doc.fork();
    let before = merged.get_heads();
    accept(&mut merged, a)?;
    if merged.get_heads() == before {
        return Ok(Inspection {
            changed,
            fit: Some(Fit::Applied),
            preview: Vec::new(),
            adopted: None,
        });
    }
    Ok(Inspection {
        fit: Some(fit_with(doc, &sides)?),
        preview: preview_with(doc, &merged, &changed)?,
        changed,
        adopted: None,
    })
}

/// [`fit`] once the amendment is known not to be merged.
fn fit_with(doc: &Automerge, sides: &Sides) -> Result<Fit, AmendmentError> {
    // Cursors are taken on a copy of the document as it was at the base, not with automerge's
    // historical `at` heads: asked for a cursor at past heads for a character deleted since,
    // automerge 0.12 fails an internal assertion (and panics).
    let &(at_base, base, ref amended) = sides;
    let mut conflicts = Vec::new();
    for p in &base.paragraphs {
        let after = amended.paragraphs.iter().find(|q| q.id == p.id);
        let new_text = after.map(|q| q.text.as_str()).unwrap_or("");
        if after.is_some() && new_text == p.text {
            continue;
        }
        let now = match anchor::paragraph_state(doc, &p.id) {
            Some(anchor::ParagraphState::Live) => document::text_obj(doc, &p.id)?,
            _ => {
                conflicts.push(Conflict {
                    paragraph: p.id.clone(),
                    base: p.text.clone(),
                    amended: new_text.to_string(),
                    current: String::new(),
                });
                continue;
            }
        };
        let current_text = doc.text(&now).map_err(ModelError::from)?;
        if after.is_none() {
            // A deletion: it conflicts when the paragraph was reworded since.
            if current_text != p.text {
                conflicts.push(Conflict {
                    paragraph: p.id.clone(),
                    base: p.text.clone(),
                    amended: String::new(),
                    current: current_text,
                });
            }
            continue;
        }
        let base_obj = document::text_obj(at_base, &p.id)?;
        for (pos, del, ins) in diff::splices(&p.text, new_text) {
            // The base words the splice replaces, widened by one character on each side for a
            // pure insertion, so that a change right where it goes counts too.
            let len = p.text.encode_utf16().count();
            let (from, to) = if del > 0 {
                (pos, pos + del)
            } else {
                (pos.saturating_sub(1), (pos + 1).min(len))
            };
            if from >= to {
                continue;
            }
            let base_words = anchor::utf16_slice(&p.text, from, to);
            // What lies now between the characters that bordered the words at the base.
            let before = match from {
                0 => None,
                _ => Some(
                    at_base
                        .get_cursor_moving(&base_obj, from - 1, None, MoveCursor::Before)
                        .map_err(ModelError::from)?,
                ),
            };
            let after = match to < len {
                true => Some(
                    at_base
                        .get_cursor_moving(&base_obj, to, None, MoveCursor::After)
                        .map_err(ModelError::from)?,
                ),
                false => None,
            };
            let now_len = current_text.encode_utf16().count();
            let start = match &before {
                Some(c) => {
                    doc.get_cursor_position(&now, c, None)
                        .map_err(ModelError::from)?
                        + 1
                }
                None => 0,
            };
            let end = match &after {
                Some(c) => doc
                    .get_cursor_position(&now, c, None)
                    .map_err(ModelError::from)?,
                None => now_len,
            };
            let current_words = anchor::utf16_slice(&current_text, start, end.max(start));
            if current_words != base_words {
                let amended_words = if del > 0 {
                    ins.clone()
                } else {
                    format!(
                        "{}{ins}{}",
                        anchor::utf16_slice(&p.text, from, pos),
                        anchor::utf16_slice(&p.text, pos, to)
                    )
                };
                conflicts.push(Conflict {
                    paragraph: p.id.clone(),
                    base: base_words,
                    amended: amended_words,
                    current: current_words,
                });
            }
        }
    }
    Ok(if conflicts.is_empty() {
        Fit::Clean
    } else {
        Fit::Conflicts(conflicts)
    })
}

#[cfg(test)]
#[path = "amendment_tests.rs"]
mod tests;
