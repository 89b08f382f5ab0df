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
            prop_assert_eq!(back, old);
        }
    }
}
