//! Markdown in and out.
//!
//! The dialect is the one policy drafts are written in: `# Title`, `## Section` headings,
//! numbered paragraphs `1. …`, sub-paragraphs `(a) …` (usually indented under their number), and
//! plain paragraphs, separated by blank lines. Numbers in an imported file are ignored and derived
//! again, so a file whose numbering is off is repaired on import. On export, a plain paragraph
//! that would read back as something else is escaped with a backslash, and so is every
//! character that Markdown would read as markup rather than words ([`ESCAPED`]: raw HTML,
//! links, autolinks, entities), so that whatever renders the file shows the words and runs
//! nothing; import reads those escapes back.

/// Characters escaped with a backslash in exported words.
const ESCAPED: &[char] = &['\\', '<', '>', '[', ']', '&', '`'];

/// Words with Markdown's markup characters escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if ESCAPED.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Words with [`escape`]'s escapes read back; other backslashes stay.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(next) if c == '\\' && ESCAPED.contains(next) => {
                out.push(*next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

use super::document::{Outline, ParagraphKind};

/// A parsed Markdown file: its title (from the first `#` heading) and its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub title: Option<String>,
    pub paragraphs: Vec<(ParagraphKind, String)>,
}

fn strip_number(line: &str) -> Option<&str> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let rest = &line[digits..];
    rest.strip_prefix(". ")
        .or_else(|| rest.strip_prefix(") "))
        .or_else(|| (rest == "." || rest == ")").then_some(""))
}

fn strip_letter(line: &str) -> Option<&str> {
    let inner = line.strip_prefix('(')?;
    let close = inner.find(')')?;
    let label = &inner[..close];
    let is_letters =
        !label.is_empty() && label.len() <= 3 && label.bytes().all(|b| b.is_ascii_lowercase());
    if !is_letters {
        return None;
    }
    let rest = &inner[close + 1..];
    rest.strip_prefix(' ')
        .or_else(|| rest.is_empty().then_some(""))
}

/// Classifies one block (the lines between blank lines, joined).
fn classify(block: &str) -> (ParagraphKind, String) {
    let (kind, text) = classify_escaped(block);
    (kind, unescape(&text))
}

fn classify_escaped(block: &str) -> (ParagraphKind, String) {
    let trimmed = block.trim_start();
    if let Some(rest) = trimmed.strip_prefix('\\') {
        return (ParagraphKind::Plain, rest.to_string());
    }
    if trimmed.starts_with("##") {
        let text = trimmed.trim_start_matches('#').trim();
        return (ParagraphKind::Heading, text.to_string());
    }
    if let Some(rest) = strip_number(trimmed) {
        return (ParagraphKind::Numbered, rest.trim().to_string());
    }
    if let Some(rest) = strip_letter(trimmed) {
        return (ParagraphKind::Sub, rest.trim().to_string());
    }
    (ParagraphKind::Plain, trimmed.trim_end().to_string())
}

/// Parses Markdown into a title and paragraphs.
pub fn import(markdown: &str) -> Imported {
    let mut title = None;
    let mut paragraphs = Vec::new();
    let mut block: Vec<&str> = Vec::new();
    let mut flush = |block: &mut Vec<&str>, title: &mut Option<String>| {
        if block.is_empty() {
            return;
        }
        let first = block[0].trim_start();
        if title.is_none() && paragraphs.is_empty() && first.starts_with("# ") && block.len() == 1 {
            *title = Some(unescape(first[2..].trim()));
        } else {
            let joined = block
                .iter()
                .map(|l| l.trim())
                .collect::<Vec<_>>()
                .join("\n");
            paragraphs.push(classify(&joined));
        }
        block.clear();
    };
    for line in markdown.lines() {
        if line.trim().is_empty() {
            flush(&mut block, &mut title);
        } else if line.trim_start().starts_with('#') && !block.is_empty() {
            // A heading line always starts its own block.
            flush(&mut block, &mut title);
            block.push(line);
            flush(&mut block, &mut title);
        } else {
            block.push(line);
            if line.trim_start().starts_with('#') {
                flush(&mut block, &mut title);
            }
        }
    }
    flush(&mut block, &mut title);
    Imported { title, paragraphs }
}

/// Whether a plain paragraph's text would be read back as another kind.
fn needs_escape(text: &str) -> bool {
    text.starts_with('#')
        || text.starts_with('\\')
        || strip_number(text).is_some()
        || strip_letter(text).is_some()
}

/// Renders the document as Markdown, numbering as the reader sees it.
pub fn export(outline: &Outline) -> String {
    let mut out = String::new();
    out.push_str("# ");
    out.push_str(&escape(outline.title.trim()));
    out.push_str("\n\n");
    for p in &outline.paragraphs {
        // Blank lines inside a paragraph would split it on the way back in.
        let text = p
            .text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(escape)
            .collect::<Vec<_>>()
            .join("\n");
        match p.kind {
            ParagraphKind::Heading => {
                out.push_str("## ");
                out.push_str(&text.replace('\n', " "));
            }
            ParagraphKind::Numbered => {
                let n = p.number.as_deref().unwrap_or("0");
                out.push_str(&format!("{n}. {}", text.replace('\n', "\n   ")));
            }
            ParagraphKind::Sub => {
                let label = p
                    .number
                    .as_deref()
                    .and_then(|n| n.find('(').map(|i| &n[i..]))
                    .unwrap_or("(a)");
                out.push_str(&format!("   {label} {}", text.replace('\n', "\n   ")));
            }
            ParagraphKind::Plain => {
                if needs_escape(&text) {
                    out.push('\\');
                }
                out.push_str(&text);
            }
        }
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{new_document, read, Paragraph};
    use proptest::prelude::*;

    const SAMPLE: &str = include_str!("../../samples/written-outputs-draft.md");

    #[test]
    fn sample_imports_with_headings_numbers_and_sub_paragraphs() {
        let imported = import(SAMPLE);
        assert_eq!(
            imported.title.as_deref(),
            Some("Draft recommendations on written outputs of the Forum")
        );
        let kinds: Vec<_> = imported.paragraphs.iter().map(|p| p.0).collect();
        assert_eq!(kinds[0], ParagraphKind::Plain);
        assert_eq!(kinds[1], ParagraphKind::Heading);
        assert_eq!(
            kinds
                .iter()
                .filter(|k| **k == ParagraphKind::Numbered)
                .count(),
            13
        );
        assert_eq!(
            kinds.iter().filter(|k| **k == ParagraphKind::Sub).count(),
            2
        );
        assert_eq!(
            kinds
                .iter()
                .filter(|k| **k == ParagraphKind::Heading)
                .count(),
            5
        );
    }

    #[test]
    fn sample_round_trips_through_the_document_exactly() {
        let imported = import(SAMPLE);
        let doc = new_document(
            imported.title.as_deref().unwrap_or(""),
            &imported.paragraphs,
        )
        .expect("document");
        let outline = read(&doc).expect("outline");
        let numbers: Vec<_> = outline
            .paragraphs
            .iter()
            .filter_map(|p| p.number.clone())
            .collect();
        assert!(numbers.contains(&"8(a)".to_string()) && numbers.contains(&"8(b)".to_string()));
        assert_eq!(export(&outline), SAMPLE);
    }

    #[test]
    fn export_snapshot_of_a_small_document() {
        let doc = new_document(
            "Title",
            &[
                (ParagraphKind::Heading, "Scope".into()),
                (ParagraphKind::Numbered, "First.".into()),
                (ParagraphKind::Sub, "A detail.".into()),
                (ParagraphKind::Plain, "1. looks like a number".into()),
            ],
        )
        .expect("document");
        let md = export(&read(&doc).expect("outline"));
        expect_test::expect![[r#"
            # Title

            ## Scope

            1. First.

               (a) A detail.

            \1. looks like a number
        "#]]
        .assert_eq(&md);
    }

    #[test]
    fn markup_in_the_words_is_exported_as_words() {
        let outline = Outline {
            title: "<b>T</b>".into(),
            paragraphs: vec![Paragraph {
                id: "pa".into(),
                kind: ParagraphKind::Numbered,
                number: Some("1".into()),
                text: "<img src=x onerror=alert(1)> [see](javascript:alert(1)) &amp; `x`".into(),
            }],
        };
        let md = export(&outline);
        assert_eq!(
            md,
            "# \\<b\\>T\\</b\\>\n\n1. \\<img src=x onerror=alert(1)\\> \\[see\\](javascript:alert(1)) \\&amp; \\`x\\`\n"
        );
        let back = import(&md);
        assert_eq!(back.title.as_deref(), Some("<b>T</b>"));
        assert_eq!(back.paragraphs[0].1, outline.paragraphs[0].text);
    }

    #[test]
    fn numbers_in_the_source_are_derived_again() {
        let imported = import("# T\n\n7. seven\n\n7. again\n");
        let doc = new_document("T", &imported.paragraphs).expect("document");
        let md = export(&read(&doc).expect("outline"));
        assert_eq!(md, "# T\n\n1. seven\n\n2. again\n");
    }

    fn kind() -> impl Strategy<Value = ParagraphKind> {
        prop_oneof![
            Just(ParagraphKind::Heading),
            Just(ParagraphKind::Numbered),
            Just(ParagraphKind::Sub),
            Just(ParagraphKind::Plain),
        ]
    }

    proptest! {
        // Normalised text: no blank lines or surrounding spaces inside a paragraph, which Markdown
        // cannot carry; headings on one line.
        #[test]
        fn markdown_round_trip_preserves_kinds_and_texts(
            paras in proptest::collection::vec((kind(), "[A-Za-z0-9#\\\\(). éü✓<>&`\\[\\]-]{1,30}"), 0..12)
        ) {
            let paras: Vec<(ParagraphKind, String)> = paras
                .into_iter()
                .map(|(k, t)| (k, t.trim().to_string()))
                .filter(|(k, t)| !(t.is_empty() || (*k == ParagraphKind::Heading && t.starts_with('#'))))
                .collect();
            let doc = new_document("A title", &paras).expect("document");
            let md = export(&read(&doc).expect("outline"));
            let back = import(&md);
            prop_assert_eq!(back.title.as_deref(), Some("A title"));
            prop_assert_eq!(back.paragraphs, paras);
        }
    }
}
