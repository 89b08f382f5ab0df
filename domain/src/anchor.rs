//! Where feedback points in the text: a paragraph that may since have been deleted, and a span
//! of it held by automerge cursors, so that the span follows the text as drafters edit it.
//!
//! A span is two cursors: the first character of the span (moving to the next character if
//! that one is deleted) and its last character (moving to the previous one). Resolved against
//! the current document they give the span's current offsets, in the schema's UTF-16 code
//! units, and its current words.

use automerge::{Cursor, MoveCursor, ReadDoc, ROOT};

use super::document::{self, ModelError};

/// Longest cursor string accepted from a client (an actor id is at most 32 bytes, hex-encoded).
pub const MAX_CURSOR_LEN: usize = 100;

/// What a paragraph id names in a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParagraphState {
    Live,
    /// Deleted since: its feedback stays, but it takes no more.
    Deleted,
}

/// Whether `id` is a live paragraph, a deleted one, or unknown (`None`).
pub fn paragraph_state<D: ReadDoc>(doc: &D, id: &str) -> Option<ParagraphState> {
    if document::text_obj(doc, id).is_ok() {
        return Some(ParagraphState::Live);
    }
    let (_, map) = doc.get(ROOT, "paragraphs").ok().flatten()?;
    doc.get(&map, id)
        .ok()
        .flatten()
        .map(|_| ParagraphState::Deleted)
}

/// A span of a paragraph as it is now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// UTF-16 offsets, `start <= end`.
    pub start: usize,
    pub end: usize,
    /// The span's words now; empty when all of them were deleted.
    pub quote: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AnchorError {
    #[error("the selection {start}..{end} is not within the paragraph")]
    OutOfRange { start: usize, end: usize },
    #[error("'{0}' is not a cursor in this paragraph")]
    BadCursor(String),
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// Cursors for the UTF-16 range `start..end` of a live paragraph (what the browser sends when a
/// participant comments on a selection).
pub fn span_cursors<D: ReadDoc>(
    doc: &D,
    id: &str,
    start: usize,
    end: usize,
) -> Result<(String, String), AnchorError> {
    let text = document::text_obj(doc, id)?;
    let len = doc.length(&text);
    if start >= end || end > len {
        return Err(AnchorError::OutOfRange { start, end });
    }
    let out_of_range = |_| AnchorError::OutOfRange { start, end };
    let first = doc
        .get_cursor_moving(&text, start, None, MoveCursor::After)
        .map_err(out_of_range)?;
    let last = doc
        .get_cursor_moving(&text, end - 1, None, MoveCursor::Before)
        .map_err(out_of_range)?;
    Ok((first.to_string(), last.to_string()))
}

fn parse_cursor(s: &str) -> Result<Cursor, AnchorError> {
    // automerge's parser slices the string by bytes; anything but short ASCII is refused first.
    if s.len() > MAX_CURSOR_LEN || !s.is_ascii() || s.len() < 2 {
        return Err(AnchorError::BadCursor(
            s.chars().take(MAX_CURSOR_LEN).collect(),
        ));
    }
    Cursor::try_from(s).map_err(|_| AnchorError::BadCursor(s.to_string()))
}

/// Where the span held by cursors `first` and `last` is now in live paragraph `id`.
///
/// The cursors must be ones [`check_span`] accepted for this paragraph: automerge asserts (and
/// panics) when a cursor names a character of another object.
pub fn resolve_span<D: ReadDoc>(
    doc: &D,
    id: &str,
    first: &str,
    last: &str,
) -> Result<Span, AnchorError> {
    let (first_c, last_c) = (parse_cursor(first)?, parse_cursor(last)?);
    let text = document::text_obj(doc, id)?;
    let start = doc
        .get_cursor_position(&text, &first_c, None)
        .map_err(|_| AnchorError::BadCursor(first.to_string()))?;
    let last_pos = doc
        .get_cursor_position(&text, &last_c, None)
        .map_err(|_| AnchorError::BadCursor(last.to_string()))?;
    let content = doc.text(&text).map_err(ModelError::from)?;
    // The last character's cursor resolves to where that character starts; the span ends after
    // it (two code units for a character outside the basic plane). When the whole span was
    // deleted the two cursors cross, and the span is empty.
    let end = last_pos + char_width_at(&content, last_pos);
    let end = end.min(utf16_len(&content)).max(start);
    Ok(Span {
        start,
        end,
        quote: utf16_slice(&content, start, end),
    })
}

/// Resolves cursors sent by a client: both must name characters of paragraph `id` that are in
/// its text now, the first not after the last.
pub fn check_span<D: ReadDoc>(
    doc: &D,
    id: &str,
    first: &str,
    last: &str,
) -> Result<Span, AnchorError> {
    let (first_c, last_c) = (parse_cursor(first)?, parse_cursor(last)?);
    let text = document::text_obj(doc, id)?;
    let op = |c: &Cursor| c.to_string().trim_start_matches('-').to_string();
    let (first_op, last_op) = (op(&first_c), op(&last_c));
    let (mut first_at, mut last_at) = (None, None);
    for (i, item) in doc.list_range(&text, ..).enumerate() {
        let here = item.id().to_string();
        if here == first_op {
            first_at = Some(i);
        }
        if here == last_op {
            last_at = Some(i);
        }
    }
    match (first_at, last_at) {
        (Some(a), Some(b)) if a <= b => resolve_span(doc, id, first, last),
        (None, _) => Err(AnchorError::BadCursor(first.to_string())),
        _ => Err(AnchorError::BadCursor(last.to_string())),
    }
}

/// How many UTF-16 code units the character starting at `pos` takes (0 past the end).
fn char_width_at(s: &str, pos: usize) -> usize {
    let mut at = 0;
    for c in s.chars() {
        if at >= pos {
            return if at == pos { c.len_utf16() } else { 0 };
        }
        at += c.len_utf16();
    }
    0
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// The characters of `s` between UTF-16 offsets `start` and `end` (a surrogate pair cut in half
/// is left out).
pub fn utf16_slice(s: &str, start: usize, end: usize) -> String {
    let mut at = 0;
    s.chars()
        .filter(|c| {
            let here = at;
            at += c.len_utf16();
            here >= start && at <= end
        })
        .collect()
}

/// Splits `text` into runs, each inside one of `spans` (UTF-16 offsets) or not, so that the
/// commented words can be highlighted. Overlapping spans make one marked run.
pub fn marked_runs(text: &str, spans: &[(usize, usize)]) -> Vec<(String, bool)> {
    let mut runs: Vec<(String, bool)> = Vec::new();
    let mut at = 0;
    for c in text.chars() {
        let marked = spans.iter().any(|&(a, b)| a <= at && at < b);
        at += c.len_utf16();
        match runs.last_mut() {
            Some((run, m)) if *m == marked => run.push(c),
            _ => runs.push((c.to_string(), marked)),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use automerge::AutoCommit;

    use super::*;
    use crate::document::{delete, new_document, read, splice};

    fn doc_with(text: &str) -> (AutoCommit, String) {
        let doc =
            new_document("T", &[(crate::ParagraphKind::Numbered, text.to_string())]).expect("doc");
        let id = read(&doc).expect("read").paragraphs[0].id.clone();
        (doc, id)
    }

    #[test]
    fn a_span_follows_its_words_when_text_is_inserted_before_and_inside_it() {
        let (mut doc, id) = doc_with("States should publish data.");
        let (a, b) = span_cursors(&doc, &id, 14, 26).expect("cursors");
        assert_eq!(
            resolve_span(&doc, &id, &a, &b).expect("span").quote,
            "publish data"
        );
        splice(&mut doc, &id, 0, 0, "All ").expect("edit");
        splice(&mut doc, &id, 26, 0, "open ").expect("edit");
        let s = resolve_span(&doc, &id, &a, &b).expect("span");
        assert_eq!(s.quote, "publish open data");
        assert_eq!((s.start, s.end), (18, 35));
    }

    #[test]
    fn a_span_shrinks_when_its_ends_are_deleted_and_empties_when_all_of_it_is() {
        let (mut doc, id) = doc_with("abcdefgh");
        let (a, b) = span_cursors(&doc, &id, 2, 6).expect("cursors");
        splice(&mut doc, &id, 2, 1, "").expect("edit"); // c
        splice(&mut doc, &id, 4, 1, "").expect("edit"); // f
        assert_eq!(resolve_span(&doc, &id, &a, &b).expect("span").quote, "de");
        splice(&mut doc, &id, 2, 2, "").expect("edit");
        let s = resolve_span(&doc, &id, &a, &b).expect("span");
        assert_eq!(s.quote, "");
        assert!(s.start <= s.end);
    }

    #[test]
    fn positions_are_utf16_so_they_match_the_browser() {
        let (doc, id) = doc_with("Emoji 🙂 ok");
        // "🙂" is two UTF-16 code units at 6..8.
        let (a, b) = span_cursors(&doc, &id, 6, 8).expect("cursors");
        assert_eq!(check_span(&doc, &id, &a, &b).expect("span").quote, "🙂");
    }

    #[test]
    fn bad_cursors_and_ranges_are_errors_not_panics() {
        let (doc, id) = doc_with("short");
        assert!(span_cursors(&doc, &id, 3, 3).is_err());
        assert!(span_cursors(&doc, &id, 2, 99).is_err());
        for bad in [
            "",
            "é@00",
            "ü",
            "1@zz",
            "-@",
            "x".repeat(500).as_str(),
            "5@abcd",
        ] {
            assert!(check_span(&doc, &id, bad, bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    // Regression: automerge asserts (and panics) when asked where a cursor of another object is.
    fn a_cursor_from_another_paragraph_is_refused() {
        let doc = new_document(
            "T",
            &[
                (crate::ParagraphKind::Numbered, "one".into()),
                (crate::ParagraphKind::Numbered, "two".into()),
            ],
        )
        .expect("doc");
        let o = read(&doc).expect("read");
        let (p1, p2) = (o.paragraphs[0].id.clone(), o.paragraphs[1].id.clone());
        let (a, b) = span_cursors(&doc, &p1, 0, 2).expect("cursors");
        assert!(check_span(&doc, &p2, &a, &b).is_err());
        assert!(check_span(&doc, &p1, &b, &a).is_err(), "reversed");
        assert_eq!(check_span(&doc, &p1, &a, &b).expect("span").quote, "on");
    }

    #[test]
    fn a_deleted_paragraph_is_told_apart_from_an_unknown_one() {
        let (mut doc, id) = doc_with("text");
        assert_eq!(paragraph_state(&doc, &id), Some(ParagraphState::Live));
        delete(&mut doc, &id).expect("delete");
        assert_eq!(paragraph_state(&doc, &id), Some(ParagraphState::Deleted));
        assert_eq!(paragraph_state(&doc, "pnothere"), None);
    }

    #[test]
    fn marked_runs_cover_the_text_once_and_merge_overlaps() {
        let runs = marked_runs("one 🙂 two three", &[(4, 10), (8, 9)]);
        let joined: String = runs.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(joined, "one 🙂 two three");
        assert_eq!(
            runs,
            vec![
                ("one ".to_string(), false),
                ("🙂 two".to_string(), true),
                (" three".to_string(), false)
            ]
        );
        assert_eq!(marked_runs("abc", &[]), vec![("abc".to_string(), false)]);
    }
}
