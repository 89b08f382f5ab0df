//! Undo and redo for one drafter. Each step holds the operations that reverse what the drafter
//! did, addressed by paragraph ids and automerge cursors rather than positions, so that a step
//! still applies after other drafters have typed, split or moved around it; and a step that
//! would remove words someone else wrote is refused rather than applied.
//!
//! Applying an operation returns its own inverse, which is what makes redo (and undoing a redo)
//! the same code as undo.

use automerge::{transaction::Transactable, Cursor, CursorPosition, ObjId, ReadDoc};

use crate::document::{self, ModelError, ParagraphKind};

/// One reversible operation on the document.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Insert `text` into a paragraph before the character `before` (at its end if `None`).
    Put {
        paragraph: String,
        before: Option<Cursor>,
        text: String,
    },
    /// Remove the characters from `first` to `last` (both included), which this drafter wrote,
    /// provided they are still exactly `text` with nothing written between them.
    Cut {
        paragraph: String,
        first: Cursor,
        last: Cursor,
        text: String,
    },
    /// Append `gone`'s words to `kept` and delete `gone` (the inverse of a split).
    Join { kept: String, gone: String },
    /// Move `kept`'s words from `at` on (none if `None`) back into the deleted `gone` (the inverse
    /// of a merge).
    Separate {
        kept: String,
        at: Option<Cursor>,
        gone: String,
    },
    /// Put a paragraph right after `after` (first if `None`).
    Place {
        paragraph: String,
        after: Option<String>,
    },
    Kind {
        paragraph: String,
        kind: ParagraphKind,
    },
    /// Delete a paragraph, or bring a deleted one back.
    Deleted { paragraph: String, deleted: bool },
}

/// Why a step cannot be applied any more.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Stale {
    #[error("a paragraph it needs is gone")]
    Gone,
    #[error("someone else has changed those words since")]
    Changed,
}

impl From<ModelError> for Stale {
    fn from(_: ModelError) -> Self {
        Stale::Gone
    }
}

impl From<automerge::AutomergeError> for Stale {
    fn from(_: automerge::AutomergeError) -> Self {
        Stale::Gone
    }
}

/// Where the caret goes after an operation: a paragraph and a UTF-16 offset.
pub type Caret = Option<(String, u32)>;

fn cursor_at<D: ReadDoc>(doc: &D, obj: &ObjId, pos: usize) -> Result<Option<Cursor>, Stale> {
    if pos >= doc.length(obj) {
        return Ok(None);
    }
    Ok(Some(doc.get_cursor(
        obj,
        CursorPosition::Index(pos),
        None,
    )?))
}

fn position<D: ReadDoc>(doc: &D, obj: &ObjId, c: &Option<Cursor>) -> Result<usize, Stale> {
    match c {
        None => Ok(doc.length(obj)),
        Some(c) => Ok(doc.get_cursor_position(obj, c, None)?),
    }
}

/// How many UTF-16 units the last character of `text` takes (where its cursor stands).
fn last_width(text: &str) -> usize {
    text.chars().last().map_or(1, char::len_utf16)
}

/// The operation that removes `text`, just inserted at `pos` in paragraph `id`.
fn cut_of<D: ReadDoc>(doc: &D, id: &str, obj: &ObjId, pos: usize, text: &str) -> Result<Op, Stale> {
    let len = text.encode_utf16().count();
    let first = cursor_at(doc, obj, pos)?.ok_or(Stale::Changed)?;
    let last = cursor_at(doc, obj, pos + len - last_width(text))?.ok_or(Stale::Changed)?;
    Ok(Op::Cut {
        paragraph: id.to_string(),
        first,
        last,
        text: text.to_string(),
    })
}

/// Brings paragraph `id` to `new_text` by one splice (as [`document::set_text`]) and returns the
/// operations that reverse it, in the order they were done.
pub fn set_text<T: Transactable + ReadDoc>(
    tx: &mut T,
    id: &str,
    new_text: &str,
) -> Result<Vec<Op>, ModelError> {
    let obj = document::text_obj(tx, id)?;
    let mut ops = Vec::new();
    let Some(s) = document::splice_to(tx, &obj, new_text)? else {
        return Ok(ops);
    };
    if !s.removed.is_empty() {
        let after = s.pos + s.inserted.encode_utf16().count();
        ops.push(Op::Put {
            paragraph: id.to_string(),
            before: cursor_at(tx, &obj, after).unwrap_or(None),
            text: s.removed,
        });
    }
    if !s.inserted.is_empty() {
        if let Ok(cut) = cut_of(tx, id, &obj, s.pos, &s.inserted) {
            ops.push(cut);
        }
    }
    Ok(ops)
}

/// The operation that reverses splitting `kept` into `kept` and `gone`.
pub fn unsplit(kept: &str, gone: &str) -> Op {
    Op::Join {
        kept: kept.to_string(),
        gone: gone.to_string(),
    }
}

/// The operation that reverses merging `gone` into `kept`, their words meeting at `at`.
pub fn unmerge<D: ReadDoc>(doc: &D, kept: &str, at: usize, gone: &str) -> Result<Op, ModelError> {
    let obj = document::text_obj(doc, kept)?;
    Ok(Op::Separate {
        kept: kept.to_string(),
        at: cursor_at(doc, &obj, at).unwrap_or(None),
        gone: gone.to_string(),
    })
}

/// The operation that puts paragraph `id` back where it is now (taken before moving it).
pub fn unmove<D: ReadDoc>(doc: &D, id: &str) -> Result<Op, ModelError> {
    Ok(Op::Place {
        paragraph: id.to_string(),
        after: document::previous(doc, id)?,
    })
}

/// The operation that gives paragraph `id` back the kind it has now (taken before changing it).
pub fn unkind<D: ReadDoc>(doc: &D, id: &str) -> Result<Op, ModelError> {
    Ok(Op::Kind {
        paragraph: id.to_string(),
        kind: document::kind(doc, id)?,
    })
}

/// The operation that reverses deleting (`true`) or adding (`false`) paragraph `id`.
pub fn undelete(id: &str, deleted: bool) -> Op {
    Op::Deleted {
        paragraph: id.to_string(),
        deleted: !deleted,
    }
}

/// Applies one operation; returns its inverse and where the caret goes.
pub fn apply<T: Transactable + ReadDoc>(tx: &mut T, op: &Op) -> Result<(Op, Caret), Stale> {
    let at = |id: &str, pos: usize| Some((id.to_string(), pos as u32));
    match op {
        Op::Put {
            paragraph,
            before,
            text,
        } => {
            let obj = document::text_obj(tx, paragraph)?;
            let pos = position(tx, &obj, before)?;
            tx.splice_text(&obj, pos, 0, text)?;
            let inverse = cut_of(tx, paragraph, &obj, pos, text)?;
            Ok((inverse, at(paragraph, pos + text.encode_utf16().count())))
        }
        Op::Cut {
            paragraph,
            first,
            last,
            text,
        } => {
            let obj = document::text_obj(tx, paragraph)?;
            let from = tx.get_cursor_position(&obj, first, None)?;
            let to = tx.get_cursor_position(&obj, last, None)?;
            // Both ends still there (a cursor to a removed character lands on its neighbour).
            let here = |pos: usize, c: &Cursor| {
                tx.get_cursor(&obj, CursorPosition::Index(pos), None)
                    .ok()
                    .as_ref()
                    == Some(c)
            };
            if !here(from, first) || !here(to, last) {
                return Err(Stale::Changed);
            }
            let words: Vec<u16> = tx.text(&obj)?.encode_utf16().collect();
            let end = to + last_width(text);
            if end > words.len() || String::from_utf16_lossy(&words[from..end]) != *text {
                return Err(Stale::Changed);
            }
            tx.splice_text(&obj, from, (end - from) as isize, "")?;
            let inverse = Op::Put {
                paragraph: paragraph.clone(),
                before: cursor_at(tx, &obj, from)?,
                text: text.clone(),
            };
            Ok((inverse, at(paragraph, from)))
        }
        Op::Join { kept, gone } => {
            let meet = document::join(tx, kept, gone)?;
            Ok((unmerge(tx, kept, meet, gone)?, at(kept, meet)))
        }
        Op::Separate {
            kept,
            at: cut,
            gone,
        } => {
            let obj = document::text_obj(tx, kept)?;
            let pos = position(tx, &obj, cut)?;
            document::separate(tx, kept, pos, gone)?;
            Ok((unsplit(kept, gone), at(gone, 0)))
        }
        Op::Place { paragraph, after } => {
            let inverse = unmove(tx, paragraph)?;
            document::place_after(tx, paragraph, after.as_deref())?;
            Ok((inverse, at(paragraph, 0)))
        }
        Op::Kind { paragraph, kind } => {
            let inverse = unkind(tx, paragraph)?;
            document::set_kind(tx, paragraph, *kind)?;
            Ok((inverse, at(paragraph, 0)))
        }
        Op::Deleted { paragraph, deleted } => {
            if *deleted {
                document::delete(tx, paragraph)?;
                Ok((undelete(paragraph, true), None))
            } else {
                document::restore(tx, paragraph)?;
                Ok((undelete(paragraph, false), at(paragraph, 0)))
            }
        }
    }
}

/// One step: the operations that reverse it, in the order the step did them.
#[derive(Clone, Debug, Default, PartialEq)]
struct Step {
    ops: Vec<Op>,
    /// Typing that may still grow this step: its paragraph and when it was last added to (ms).
    typing: Option<(String, f64)>,
}

/// How long a pause ends a run of typing that undoes as one step.
pub const TYPING_PAUSE_MS: f64 = 1000.0;
/// How many steps are kept.
pub const MAX_STEPS: usize = 200;

/// One drafter's undo and redo stacks.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

/// Which stack a step is taken from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Way {
    Undo,
    Redo,
}

impl History {
    pub fn can(&self, way: Way) -> bool {
        match way {
            Way::Undo => !self.undo.is_empty(),
            Way::Redo => !self.redo.is_empty(),
        }
    }

    /// Records something done (a structural edit, or words typed into `typing`'s paragraph at
    /// `now` ms, which joins the typing before it unless there was a pause or a line break).
    pub fn done(&mut self, ops: Vec<Op>, typing: Option<(&str, f64)>) {
        if ops.is_empty() {
            return;
        }
        self.redo.clear();
        let breaks = ops.iter().any(|op| match op {
            Op::Cut { text, .. } => text.contains(char::is_whitespace),
            _ => false,
        });
        if let (Some((id, now)), Some(top)) = (typing, self.undo.last_mut()) {
            if let Some((was, then)) = &top.typing {
                if was == id && now - then < TYPING_PAUSE_MS && !breaks {
                    top.ops.extend(ops);
                    top.typing = Some((id.to_string(), now));
                    return;
                }
            }
        }
        self.undo.push(Step {
            ops,
            typing: typing.map(|(id, now)| (id.to_string(), now)),
        });
        if self.undo.len() > MAX_STEPS {
            self.undo.remove(0);
        }
    }

    /// Undoes or redoes the latest step on `way`'s stack. A step that no longer applies is
    /// dropped, the document left as it was (the caller rolls back what `tx` holds uncommitted).
    pub fn step<T: Transactable + ReadDoc>(
        &mut self,
        tx: &mut T,
        way: Way,
    ) -> Option<Result<Caret, Stale>> {
        let (from, to) = match way {
            Way::Undo => (&mut self.undo, &mut self.redo),
            Way::Redo => (&mut self.redo, &mut self.undo),
        };
        let step = from.pop()?;
        let mut inverses = Vec::with_capacity(step.ops.len());
        let mut caret = None;
        for op in step.ops.iter().rev() {
            match apply(tx, op) {
                Ok((inverse, c)) => {
                    inverses.push(inverse);
                    caret = c.or(caret);
                }
                Err(e) => return Some(Err(e)),
            }
        }
        to.push(Step {
            ops: inverses,
            typing: None,
        });
        Some(Ok(caret))
    }
}

#[cfg(test)]
#[path = "undo_tests.rs"]
mod tests;
