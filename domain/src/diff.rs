//! Word-level differences between two texts: what an amendment or a new version inserted and
//! deleted, shown with insertions and deletions marked, and turned into the smallest splices so
//! that edits made elsewhere in the same paragraph are left alone.

/// A run of text in a comparison.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "text", rename_all = "lowercase")]
pub enum Piece {
    Same(String),
    Deleted(String),
    Inserted(String),
}

/// Above this many token pairs the comparison falls back to one changed block (common prefix
/// and suffix kept), so that a pathological paragraph cannot take quadratic time and memory.
const MAX_CELLS: usize = 4_000_000;

/// Words, runs of spaces, and single other characters: the units a reader sees change.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut kind = None;
    for (i, c) in s.char_indices() {
        let k = if c.is_alphanumeric() {
            1
        } else if c.is_whitespace() {
            2
        } else {
            3
        };
        if kind != Some(k) || k == 3 {
            if i > start {
                out.push(&s[start..i]);
            }
            start = i;
            kind = Some(k);
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

fn push(out: &mut Vec<Piece>, piece: Piece) {
    match (out.last_mut(), piece) {
        (Some(Piece::Same(a)), Piece::Same(b)) => a.push_str(&b),
        (Some(Piece::Deleted(a)), Piece::Deleted(b)) => a.push_str(&b),
        (Some(Piece::Inserted(a)), Piece::Inserted(b)) => a.push_str(&b),
        (_, p) => out.push(p),
    }
}

/// The word-level comparison of `old` and `new` (longest common subsequence of tokens). Deleted
/// runs come before the inserted runs that replace them.
pub fn words(old: &str, new: &str) -> Vec<Piece> {
    let (a, b) = (tokens(old), tokens(new));
    // Common prefix and suffix first: most edits touch a small part of a paragraph.
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let mut out = Vec::new();
    if pre > 0 {
        push(&mut out, Piece::Same(a[..pre].concat()));
    }
    if (ma.len() + 1) * (mb.len() + 1) > MAX_CELLS {
        if !ma.is_empty() {
            push(&mut out, Piece::Deleted(ma.concat()));
        }
        if !mb.is_empty() {
            push(&mut out, Piece::Inserted(mb.concat()));
        }
    } else {
        // lcs[i][j]: the longest common subsequence of ma[i..] and mb[j..].
        let w = mb.len() + 1;
        let mut lcs = vec![0u32; (ma.len() + 1) * w];
        for i in (0..ma.len()).rev() {
            for j in (0..mb.len()).rev() {
                lcs[i * w + j] = if ma[i] == mb[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < ma.len() || j < mb.len() {
            if i < ma.len() && j < mb.len() && ma[i] == mb[j] {
                push(&mut out, Piece::Same(ma[i].to_string()));
                i += 1;
                j += 1;
            } else if j == mb.len() || (i < ma.len() && lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])
            {
                push(&mut out, Piece::Deleted(ma[i].to_string()));
                i += 1;
            } else {
                push(&mut out, Piece::Inserted(mb[j].to_string()));
                j += 1;
            }
        }
    }
    if suf > 0 {
        push(&mut out, Piece::Same(a[a.len() - suf..].concat()));
    }
    out
}

/// [`words`], as a reader takes it in: a short stretch left alone between two changes (a
/// space, "the", "of") joins them, and each stretch of changes reads as its whole deleted
/// wording, then its whole inserted one, instead of alternating word by word.
pub fn runs(old: &str, new: &str) -> Vec<Piece> {
    let mut pieces = words(old, new);
    // An unchanged stretch between changes is absorbed when it is no longer than the changes
    // on either side of it: it then reads as part of them.
    loop {
        let mut absorbed = false;
        for i in 1..pieces.len().saturating_sub(1) {
            let Piece::Same(s) = &pieces[i] else { continue };
            let size = s.chars().count();
            let left = changed_size(pieces[..i].iter().rev());
            let right = changed_size(pieces[i + 1..].iter());
            if left > 0 && right > 0 && (s.trim().is_empty() || size <= left.min(right)) {
                let s = s.clone();
                pieces.splice(i..=i, [Piece::Deleted(s.clone()), Piece::Inserted(s)]);
                absorbed = true;
                break;
            }
        }
        if !absorbed {
            break;
        }
    }
    let mut out: Vec<Piece> = Vec::new();
    let (mut deleted, mut inserted) = (String::new(), String::new());
    let flush = |out: &mut Vec<Piece>, deleted: &mut String, inserted: &mut String| {
        if !deleted.is_empty() {
            out.push(Piece::Deleted(std::mem::take(deleted)));
        }
        if !inserted.is_empty() {
            out.push(Piece::Inserted(std::mem::take(inserted)));
        }
    };
    for piece in pieces {
        match piece {
            Piece::Same(s) => {
                flush(&mut out, &mut deleted, &mut inserted);
                push(&mut out, Piece::Same(s));
            }
            Piece::Deleted(s) => deleted.push_str(&s),
            Piece::Inserted(s) => inserted.push_str(&s),
        }
    }
    flush(&mut out, &mut deleted, &mut inserted);
    out
}

/// The characters changed in the stretch of changes `pieces` begins with (the larger of what
/// it deletes and what it inserts); 0 when it begins with unchanged text.
fn changed_size<'a>(pieces: impl Iterator<Item = &'a Piece>) -> usize {
    let (mut deleted, mut inserted) = (0, 0);
    for piece in pieces {
        match piece {
            Piece::Same(_) => break,
            Piece::Deleted(s) => deleted += s.chars().count(),
            Piece::Inserted(s) => inserted += s.chars().count(),
        }
    }
    deleted.max(inserted)
}

/// The splices (UTF-16 position in `old`, code units deleted, text inserted) that turn `old`
/// into `new` word by word, last first, so that each can be applied as it comes.
pub fn splices(old: &str, new: &str) -> Vec<(usize, usize, String)> {
    let mut out: Vec<(usize, usize, String)> = Vec::new();
    let mut at = 0;
    let mut open: Option<(usize, usize, String)> = None;
    for piece in words(old, new) {
        match piece {
            Piece::Same(s) => {
                out.extend(open.take());
                at += s.encode_utf16().count();
            }
            Piece::Deleted(s) => {
                let n = s.encode_utf16().count();
                let o = open.get_or_insert((at, 0, String::new()));
                o.1 += n;
                at += n;
            }
            Piece::Inserted(s) => {
                open.get_or_insert((at, 0, String::new())).2.push_str(&s);
            }
        }
    }
    out.extend(open);
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn apply(old: &str, splices: &[(usize, usize, String)]) -> String {
        let mut units: Vec<u16> = old.encode_utf16().collect();
        for (pos, del, ins) in splices {
            units.splice(*pos..pos + del, ins.encode_utf16());
        }
        String::from_utf16_lossy(&units)
    }

    #[test]
    fn a_changed_word_is_marked_as_deleted_and_inserted() {
        assert_eq!(
            words(
                "States should publish data.",
                "States must publish open data."
            ),
            vec![
                Piece::Same("States ".into()),
                Piece::Deleted("should".into()),
                Piece::Inserted("must".into()),
                Piece::Same(" publish".into()),
                Piece::Inserted(" open".into()),
                Piece::Same(" data.".into()),
            ]
        );
    }

    #[test]
    fn changes_read_as_runs_not_word_by_word() {
        let old = "Drafts should be developed in the open by the coalitions, so that no new body is needed.";
        let new = "Drafts are developed in the open (without a new body).";
        assert_eq!(
            runs(old, new),
            vec![
                Piece::Same("Drafts ".into()),
                Piece::Deleted("should be".into()),
                Piece::Inserted("are".into()),
                Piece::Same(" developed in the open ".into()),
                Piece::Deleted("by the coalitions, so that no new body is needed".into()),
                Piece::Inserted("(without a new body)".into()),
                Piece::Same(".".into()),
            ]
        );
        // A long stretch left alone between two changes stays shown as unchanged.
        assert_eq!(
            runs("one two three four five six", "1 two three four five 6"),
            vec![
                Piece::Deleted("one".into()),
                Piece::Inserted("1".into()),
                Piece::Same(" two three four five ".into()),
                Piece::Deleted("six".into()),
                Piece::Inserted("6".into()),
            ]
        );
    }

    #[test]
    fn two_separate_changes_make_two_splices_that_leave_the_middle_alone() {
        let old = "one two three four five";
        let new = "one 2 three four 5";
        let s = splices(old, new);
        assert_eq!(s, vec![(19, 4, "5".into()), (4, 3, "2".into())]);
        assert_eq!(apply(old, &s), new);
    }

    proptest! {
        #[test]
        fn splices_turn_the_old_text_into_the_new(
            old in "[a-c ,é🙂]{0,40}",
            new in "[a-c ,é🙂]{0,40}",
        ) {
            prop_assert_eq!(apply(&old, &splices(&old, &new)), new.clone());
            let pieces = words(&old, &new);
            let back: String = pieces.iter().filter_map(|p| match p {
                Piece::Same(s) | Piece::Deleted(s) => Some(s.as_str()),
                Piece::Inserted(_) => None,
            }).collect();
            prop_assert_eq!(back, old.clone());
            // Read as runs, the comparison still holds both texts.
            let runs = runs(&old, &new);
            let side = |keep: fn(&Piece) -> Option<&str>| runs.iter().filter_map(keep).collect::<String>();
            prop_assert_eq!(side(|p| match p {
                Piece::Same(s) | Piece::Deleted(s) => Some(s.as_str()),
                Piece::Inserted(_) => None,
            }), old);
            prop_assert_eq!(side(|p| match p {
                Piece::Same(s) | Piece::Inserted(s) => Some(s.as_str()),
                Piece::Deleted(_) => None,
            }), new);
        }
    }
}
