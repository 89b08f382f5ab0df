//! Two versions of a text side by side: paragraphs aligned by their stable ids, each marked as
//! unchanged, changed (with its word-level difference), new, deleted or moved. Ids make the
//! alignment exact: a paragraph keeps its id however much its words or its place change.

use serde::{Deserialize, Serialize};

use super::{diff, Outline, ParagraphKind};

/// What became of a paragraph between two versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    Same,
    Changed,
    New,
    Deleted,
}

/// One row of a comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Aligned {
    pub paragraph: String,
    pub kind: ParagraphKind,
    pub change: Change,
    /// It changed places relative to the paragraphs kept in both.
    pub moved: bool,
    /// Its number in the older and in the newer version.
    pub old_number: Option<String>,
    pub new_number: Option<String>,
    /// Word by word from the older text to the newer one (all deleted for a deleted paragraph,
    /// all inserted for a new one).
    pub diff: Vec<diff::Piece>,
}

/// Indexes (into `seq`) of a longest strictly increasing subsequence.
fn longest_increasing(seq: &[usize]) -> Vec<usize> {
    // Patience sorting with back links: O(n log n).
    let mut tails: Vec<usize> = Vec::new();
    let mut back: Vec<Option<usize>> = vec![None; seq.len()];
    for (i, &v) in seq.iter().enumerate() {
        let at = tails.partition_point(|&t| seq[t] < v);
        back[i] = at.checked_sub(1).map(|p| tails[p]);
        if at == tails.len() {
            tails.push(i);
        } else {
            tails[at] = i;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(i) = at {
        out.push(i);
        at = back[i];
    }
    out.reverse();
    out
}

/// The paragraphs of `new` in its order, with each paragraph of `old` that `new` no longer has
/// placed just before the next paragraph that kept its place (or at the end).
pub fn compare(old: &Outline, new: &Outline) -> Vec<Aligned> {
    let old_at: std::collections::HashMap<&str, usize> = old
        .paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    // Paragraphs in both, in the new order, by their old index: those outside a longest
    // increasing run are the ones that moved.
    let kept: Vec<(usize, usize)> = new
        .paragraphs
        .iter()
        .enumerate()
        .filter_map(|(j, p)| old_at.get(p.id.as_str()).map(|&i| (j, i)))
        .collect();
    let olds: Vec<usize> = kept.iter().map(|(_, i)| *i).collect();
    let steady: std::collections::HashSet<usize> = longest_increasing(&olds)
        .into_iter()
        .map(|k| kept[k].0)
        .collect();
    let new_ids: std::collections::HashSet<&str> =
        new.paragraphs.iter().map(|p| p.id.as_str()).collect();
    let mut rows: Vec<Aligned> = Vec::new();
    let deleted = |i: usize| {
        let p = &old.paragraphs[i];
        Aligned {
            paragraph: p.id.clone(),
            kind: p.kind,
            change: Change::Deleted,
            moved: false,
            old_number: p.number.clone(),
            new_number: None,
            diff: diff::runs(&p.text, ""),
        }
    };
    // Deleted paragraphs before the first old paragraph still present go first.
    let mut next_old = 0;
    let flush_deleted = |rows: &mut Vec<Aligned>, upto: usize, next_old: &mut usize| {
        while *next_old < upto {
            if !new_ids.contains(old.paragraphs[*next_old].id.as_str()) {
                rows.push(deleted(*next_old));
            }
            *next_old += 1;
        }
    };
    for (j, p) in new.paragraphs.iter().enumerate() {
        match old_at.get(p.id.as_str()) {
            Some(&i) => {
                let was = &old.paragraphs[i];
                let moved = !steady.contains(&j);
                if !moved {
                    flush_deleted(&mut rows, i, &mut next_old);
                    next_old = next_old.max(i + 1);
                }
                rows.push(Aligned {
                    paragraph: p.id.clone(),
                    kind: p.kind,
                    change: if was.text == p.text && was.kind == p.kind {
                        Change::Same
                    } else {
                        Change::Changed
                    },
                    moved,
                    old_number: was.number.clone(),
                    new_number: p.number.clone(),
                    diff: diff::runs(&was.text, &p.text),
                });
            }
            None => rows.push(Aligned {
                paragraph: p.id.clone(),
                kind: p.kind,
                change: Change::New,
                moved: false,
                old_number: None,
                new_number: p.number.clone(),
                diff: diff::words("", &p.text),
            }),
        }
    }
    flush_deleted(&mut rows, old.paragraphs.len(), &mut next_old);
    rows
}

/// A paragraph in one version of the text (or in the text now).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step {
    /// The version's name, or `current` for the text now.
    pub version: String,
    /// Its number then; `None` when it was not in that version.
    pub number: Option<String>,
    pub text: Option<String>,
    /// What became of it since the previous version it could have been in.
    pub change: Change,
    /// Word by word from the previous version's text.
    pub diff: Vec<diff::Piece>,
    /// The first version of all: nothing came before it to differ from.
    #[serde(default)]
    pub initial: bool,
}

/// One paragraph through every version, oldest first: where it was new, changed, the same or
/// gone. Versions before it existed are left out; a deletion is shown once.
pub fn history<'a>(
    paragraph: &str,
    versions: impl IntoIterator<Item = (&'a str, &'a Outline)>,
) -> Vec<Step> {
    let mut out = Vec::new();
    let mut last: Option<&str> = None;
    for (i, (name, outline)) in versions.into_iter().enumerate() {
        let here = outline.paragraphs.iter().find(|p| p.id == paragraph);
        let step = match (last, here) {
            // Not born yet, or its deletion shown already.
            (None, None) => continue,
            (Some(before), None) => Step {
                version: name.to_string(),
                number: None,
                text: None,
                change: Change::Deleted,
                diff: diff::words(before, ""),
                initial: false,
            },
            (before, Some(p)) => {
                let change = match before {
                    None => Change::New,
                    Some(b) if b == p.text => Change::Same,
                    Some(_) => Change::Changed,
                };
                Step {
                    version: name.to_string(),
                    number: p.number.clone(),
                    text: Some(p.text.clone()),
                    change,
                    diff: diff::words(before.unwrap_or(""), &p.text),
                    initial: i == 0,
                }
            }
        };
        last = here.map(|p| p.text.as_str());
        out.push(step);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Paragraph;

    fn outline(ps: &[(&str, &str)]) -> Outline {
        Outline {
            title: "T".into(),
            paragraphs: ps
                .iter()
                .enumerate()
                .map(|(i, (id, text))| Paragraph {
                    id: id.to_string(),
                    kind: ParagraphKind::Numbered,
                    number: Some((i + 1).to_string()),
                    text: text.to_string(),
                })
                .collect(),
        }
    }

    fn summary(rows: &[Aligned]) -> Vec<(String, Change, bool)> {
        rows.iter()
            .map(|r| (r.paragraph.clone(), r.change, r.moved))
            .collect()
    }

    #[test]
    fn paragraphs_are_aligned_by_id_whatever_happened_to_them() {
        let old = outline(&[
            ("pa", "One."),
            ("pb", "Two."),
            ("pc", "Three."),
            ("pd", "Four."),
        ]);
        let new = outline(&[
            ("pa", "One."),
            ("pd", "Four."),
            ("pc", "Three, reworded."),
            ("pe", "Five."),
        ]);
        assert_eq!(
            summary(&compare(&old, &new)),
            vec![
                ("pa".into(), Change::Same, false),
                ("pd".into(), Change::Same, true),
                ("pb".into(), Change::Deleted, false),
                ("pc".into(), Change::Changed, false),
                ("pe".into(), Change::New, false),
            ]
        );
        let rows = compare(&old, &new);
        assert_eq!(rows[3].old_number.as_deref(), Some("3"));
        assert!(
            rows[3]
                .diff
                .iter()
                .any(|p| matches!(p, diff::Piece::Inserted(t) if t.contains("reworded"))),
            "{:?}",
            rows[3].diff
        );
        assert_eq!(rows[2].diff, vec![diff::Piece::Deleted("Two.".into())]);
    }

    #[test]
    fn the_same_text_compares_as_unchanged_and_a_rewrite_as_all_new() {
        let v = outline(&[("pa", "One."), ("pb", "Two.")]);
        assert!(compare(&v, &v)
            .iter()
            .all(|r| r.change == Change::Same && !r.moved));
        let other = outline(&[("px", "Else.")]);
        assert_eq!(
            summary(&compare(&v, &other)),
            vec![
                ("px".into(), Change::New, false),
                ("pa".into(), Change::Deleted, false),
                ("pb".into(), Change::Deleted, false),
            ]
        );
    }

    #[test]
    fn the_longest_steady_run_decides_what_moved() {
        assert_eq!(longest_increasing(&[0, 3, 1, 2]), vec![0, 2, 3]);
        assert_eq!(longest_increasing(&[]), Vec::<usize>::new());
        let old = outline(&[("pa", "1"), ("pb", "2"), ("pc", "3"), ("pd", "4")]);
        let new = outline(&[("pd", "4"), ("pa", "1"), ("pb", "2"), ("pc", "3")]);
        let moved: Vec<String> = compare(&old, &new)
            .into_iter()
            .filter(|r| r.moved)
            .map(|r| r.paragraph)
            .collect();
        assert_eq!(moved, vec!["pd"]);
    }

    #[test]
    fn a_paragraphs_history_shows_its_birth_changes_and_deletion_once() {
        let v0 = outline(&[("a", "First words.")]);
        let v1 = outline(&[("a", "First words."), ("b", "New here.")]);
        let v2 = outline(&[("a", "First words."), ("b", "New and changed.")]);
        let v3 = outline(&[("a", "First words.")]);
        let now = outline(&[("a", "First words.")]);
        let steps = history(
            "b",
            [
                ("draft-00", &v0),
                ("draft-01", &v1),
                ("draft-02", &v2),
                ("draft-03", &v3),
                ("current", &now),
            ],
        );
        let seen: Vec<(&str, Change)> = steps
            .iter()
            .map(|s| (s.version.as_str(), s.change))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("draft-01", Change::New),
                ("draft-02", Change::Changed),
                ("draft-03", Change::Deleted)
            ]
        );
        assert!(
            steps[1].diff.contains(&diff::Piece::Deleted("here".into())),
            "{:?}",
            steps[1].diff
        );
        assert_eq!(steps[2].text, None);
        let same = history("a", [("draft-00", &v0), ("current", &now)]);
        assert_eq!(same[1].change, Change::Same);
        assert!(same[0].initial && !steps[0].initial);
    }
}
