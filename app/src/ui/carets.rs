//! The other drafters' carets and selections in a paragraph, each in that person's colour: drawn
//! over the paragraph's textarea as a copy of its words laid out the same way, with the words
//! transparent and only the selections and carets visible.

use domain::api::PeerPresence;
use leptos::prelude::*;

/// A piece of the overlay: words (selected by someone of this hue, or by no one), or a caret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Words(String, Option<u16>),
    Caret { hue: u16, name: String },
}

/// The byte index of UTF-16 offset `at` in `text` (its end if beyond; never inside a character).
fn byte_at(text: &str, at: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        if units >= at {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

/// The overlay's pieces for `text`, with `peers` (those in this paragraph) placed on it.
pub fn pieces(text: &str, peers: &[PeerPresence]) -> Vec<Piece> {
    // Each peer's selection as byte ranges, and where their caret stands.
    let marks: Vec<(usize, usize, usize, &PeerPresence)> = peers
        .iter()
        .filter_map(|p| {
            let caret = byte_at(text, p.caret?);
            let other = p.to.map_or(caret, |to| byte_at(text, to));
            Some((caret.min(other), caret.max(other), other, p))
        })
        .collect();
    let mut cuts: Vec<usize> = marks
        .iter()
        .flat_map(|(a, b, c, _)| [*a, *b, *c])
        .chain([0, text.len()])
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    for (i, at) in cuts.iter().enumerate() {
        for (_, _, caret, p) in &marks {
            if caret == at {
                out.push(Piece::Caret {
                    hue: p.hue,
                    name: p.name.clone(),
                });
            }
        }
        let Some(next) = cuts.get(i + 1) else { break };
        let by = marks
            .iter()
            .find(|(a, b, _, _)| a <= at && next <= b && a < b)
            .map(|(_, _, _, p)| p.hue);
        out.push(Piece::Words(text[*at..*next].to_string(), by));
    }
    out
}

/// The overlay for a paragraph: nothing when no one else is in it.
pub fn overlay(text: &str, peers: &[PeerPresence]) -> Option<impl IntoView> {
    if peers.iter().all(|p| p.caret.is_none()) {
        return None;
    }
    let pieces = pieces(text, peers)
        .into_iter()
        .map(|piece| match piece {
            Piece::Words(words, None) => words.into_any(),
            Piece::Words(words, Some(hue)) => view! {
                <span class="peer-sel" style=format!("--hue: {hue}")>{words}</span>
            }
            .into_any(),
            Piece::Caret { hue, name } => view! {
                <span class="peer-caret" style=format!("--hue: {hue}") data-name=name></span>
            }
            .into_any(),
        })
        .collect_view();
    // A final line break keeps a trailing newline's height, as the textarea does.
    Some(view! { <div class="para-text carets" aria-hidden="true">{pieces}"\u{200b}"</div> })
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::api::Role;

    fn peer(name: &str, hue: u16, caret: u32, to: Option<u32>) -> PeerPresence {
        PeerPresence {
            peer: u64::from(hue),
            name: name.to_string(),
            role: Role::Drafter,
            paragraph: Some("p1".into()),
            caret: Some(caret),
            to,
            hue,
        }
    }

    #[test]
    fn a_caret_stands_between_the_words_and_a_selection_is_coloured() {
        let text = "Open data é matters";
        let got = pieces(
            text,
            &[peer("Ana", 10, 5, None), peer("Bo", 200, 12, Some(10))],
        );
        assert_eq!(
            got,
            [
                Piece::Words("Open ".into(), None),
                Piece::Caret {
                    hue: 10,
                    name: "Ana".into()
                },
                Piece::Words("data ".into(), None),
                Piece::Caret {
                    hue: 200,
                    name: "Bo".into()
                },
                Piece::Words("é ".into(), Some(200)),
                Piece::Words("matters".into(), None),
            ]
        );
    }

    #[test]
    fn offsets_past_the_end_or_inside_a_surrogate_pair_stay_on_a_character_boundary() {
        let text = "a😀b";
        // 2 is inside the emoji's surrogate pair: the caret goes after it.
        let got = pieces(text, &[peer("Ana", 1, 2, Some(99))]);
        assert_eq!(
            got.first(),
            Some(&Piece::Words("a😀".into(), None)),
            "{got:?}"
        );
        assert!(got.contains(&Piece::Words("b".into(), Some(1))));
    }
}
