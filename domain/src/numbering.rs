//! Display numbers: 1, 2, 3 for numbered paragraphs, 8(a), 8(b) for the sub-paragraphs that
//! follow paragraph 8; headings and unnumbered text get none. Numbers are derived from the order
//! every time, never stored, so they cannot disagree between replicas.

use super::document::{Paragraph, ParagraphKind};

/// Writes each paragraph's display number.
pub fn assign(paragraphs: &mut [Paragraph]) {
    let mut n = 0usize;
    let mut sub = 0usize;
    for p in paragraphs {
        p.number = match p.kind {
            ParagraphKind::Numbered => {
                n += 1;
                sub = 0;
                Some(n.to_string())
            }
            ParagraphKind::Sub => {
                sub += 1;
                let letter = letters(sub);
                Some(if n == 0 {
                    format!("({letter})")
                } else {
                    format!("{n}({letter})")
                })
            }
            ParagraphKind::Heading | ParagraphKind::Plain => None,
        };
    }
}

/// a, b, … z, aa, ab, … for the `i`-th sub-paragraph (1-based).
pub fn letters(mut i: usize) -> String {
    let mut out = Vec::new();
    while i > 0 {
        i -= 1;
        out.push(b'a' + (i % 26) as u8);
        i /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(kind: ParagraphKind) -> Paragraph {
        Paragraph {
            id: String::new(),
            kind,
            number: None,
            text: String::new(),
        }
    }

    #[test]
    fn sub_paragraphs_are_lettered_under_the_preceding_number() {
        use ParagraphKind::*;
        let mut ps: Vec<_> = [Heading, Numbered, Numbered, Sub, Sub, Plain, Numbered, Sub]
            .into_iter()
            .map(p)
            .collect();
        assign(&mut ps);
        let numbers: Vec<_> = ps.iter().map(|p| p.number.as_deref()).collect();
        assert_eq!(
            numbers,
            [
                None,
                Some("1"),
                Some("2"),
                Some("2(a)"),
                Some("2(b)"),
                None,
                Some("3"),
                Some("3(a)")
            ]
        );
    }

    #[test]
    fn a_sub_paragraph_before_any_number_is_lettered_alone() {
        let mut ps = vec![p(ParagraphKind::Sub)];
        assign(&mut ps);
        assert_eq!(ps[0].number.as_deref(), Some("(a)"));
    }

    #[test]
    fn letters_continue_past_z() {
        assert_eq!(letters(1), "a");
        assert_eq!(letters(26), "z");
        assert_eq!(letters(27), "aa");
        assert_eq!(letters(28), "ab");
    }
}
