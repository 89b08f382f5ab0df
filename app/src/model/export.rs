//! A text as a chair publishes it: standalone, printable HTML and plain text with numbered
//! paragraphs in the style of an RFC. (Markdown is [`super::markdown::export`]; DOCX is made by
//! the server.) Pure functions of the outline and a few facts about the version.

use super::{charts::esc, Outline, ParagraphKind};

/// What the header of an exported text says besides the title.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct About {
    /// The group that owns the document.
    pub group: String,
    /// The version's name, or "current text".
    pub version: String,
    /// When the version was cut (or the text read), as shown.
    pub date: String,
}

const PRINT_CSS: &str = "body{font-family:Georgia,'Times New Roman',serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.55;color:#1b1f24}\
header{border-bottom:1px solid #ccd;margin-bottom:1.5rem}header p{margin:.2rem 0;color:#555;font-family:system-ui,sans-serif;font-size:.9rem}\
h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.15rem;margin:1.6rem 0 .6rem;font-family:system-ui,sans-serif}\
.p{display:grid;grid-template-columns:3rem 1fr;gap:.4rem;margin:.6rem 0}.n{color:#555;text-align:right}.p p{margin:0;white-space:pre-wrap}\
.sub{margin-left:2rem}@media print{body{margin:0;max-width:none}a{color:inherit}h2{break-after:avoid}.p{break-inside:avoid}}";

/// A standalone HTML page: every piece of text escaped, the styles inline, fit to print.
pub fn html(outline: &Outline, about: &About) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", esc(outline.title.trim())));
    out.push_str(&format!(
        "<style>{PRINT_CSS}</style>\n</head>\n<body>\n<header>\n"
    ));
    out.push_str(&format!("<p>{}</p>\n", esc(&about.group)));
    out.push_str(&format!("<h1>{}</h1>\n", esc(outline.title.trim())));
    out.push_str(&format!(
        "<p>{} · {}</p>\n</header>\n<main>\n",
        esc(&about.version),
        esc(&about.date)
    ));
    for p in &outline.paragraphs {
        let text = esc(p.text.trim());
        let number = esc(p.number.as_deref().unwrap_or(""));
        match p.kind {
            ParagraphKind::Heading => out.push_str(&format!("<h2>{text}</h2>\n")),
            ParagraphKind::Sub => out.push_str(&format!(
                "<div class=\"p sub\"><span class=\"n\">{number}</span><p>{text}</p></div>\n"
            )),
            _ => out.push_str(&format!(
                "<div class=\"p\"><span class=\"n\">{number}</span><p>{text}</p></div>\n"
            )),
        }
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// Width of a line of plain text, as in an RFC.
const WIDTH: usize = 72;

/// `text` wrapped at [`WIDTH`], the first line after `first`, the others indented to match.
fn wrap(first: &str, text: &str) -> String {
    let indent = " ".repeat(first.chars().count());
    let mut out = String::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        let fits = line.chars().count() + 1 + word.chars().count() <= WIDTH;
        if !empty && !fits {
            out.push_str(line.trim_end());
            out.push('\n');
            line = indent.clone();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// Plain text: a header, the title, then every paragraph wrapped at 72 columns with its number
/// hanging in front, headings set apart. Reads the same in any editor or terminal.
pub fn text(outline: &Outline, about: &About) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{}\n{}\n{}\n\n",
        about.group, about.version, about.date
    ));
    let title = outline.title.trim();
    let pad = WIDTH.saturating_sub(title.chars().count()) / 2;
    out.push_str(&format!("{}{title}\n\n", " ".repeat(pad)));
    for p in &outline.paragraphs {
        let text = p.text.split_whitespace().collect::<Vec<_>>().join(" ");
        match p.kind {
            ParagraphKind::Heading => {
                out.push('\n');
                out.push_str(&wrap("", &text));
            }
            ParagraphKind::Sub => {
                let label = p
                    .number
                    .as_deref()
                    .and_then(|n| n.find('(').map(|i| &n[i..]))
                    .unwrap_or("");
                out.push_str(&wrap(&format!("        {label:<5} "), &text));
            }
            _ => {
                let n = p
                    .number
                    .as_deref()
                    .map(|n| format!("{n}."))
                    .unwrap_or_default();
                out.push_str(&wrap(&format!("   {n:<5}"), &text));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::model::Paragraph;

    fn sample() -> (Outline, About) {
        let p = |kind, number: Option<&str>, text: &str| Paragraph {
            id: "p0".into(),
            kind,
            number: number.map(str::to_string),
            text: text.into(),
        };
        (
            Outline {
                title: "Outputs <of> the Forum".into(),
                paragraphs: vec![
                    p(ParagraphKind::Heading, None, "I. Background"),
                    p(ParagraphKind::Numbered, Some("1"), "The mandate of the Forum asks it to identify emerging issues, to bring them to the attention of the relevant bodies and the general public."),
                    p(ParagraphKind::Sub, Some("1(a)"), "first & <script>alert(1)</script>;"),
                    p(ParagraphKind::Plain, None, "Closing words."),
                ],
            },
            About {
                group: "Best Practice Forum".into(),
                version: "draft-01".into(),
                date: "26 Nov 2026, 18:04 UTC".into(),
            },
        )
    }

    #[test]
    fn plain_text_numbers_and_wraps_like_an_rfc() {
        let (o, a) = sample();
        expect![[r#"
            Best Practice Forum
            draft-01
            26 Nov 2026, 18:04 UTC

                                     Outputs <of> the Forum


            I. Background

               1.   The mandate of the Forum asks it to identify emerging issues, to
                    bring them to the attention of the relevant bodies and the
                    general public.

                    (a)   first & <script>alert(1)</script>;

                    Closing words.

        "#]]
        .assert_eq(&text(&o, &a));
        assert!(text(&o, &a).lines().all(|l| l.chars().count() <= WIDTH));
    }

    #[test]
    fn html_is_standalone_and_escapes_every_text() {
        let (o, a) = sample();
        let page = html(&o, &a);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("<title>Outputs &lt;of&gt; the Forum</title>"));
        assert!(page.contains("<span class=\"n\">1(a)</span><p>first &amp; &lt;script&gt;alert(1)&lt;/script&gt;;</p>"));
        assert!(!page.contains("<script>"));
        assert!(page.contains("<h2>I. Background</h2>"));
        assert!(page.contains("@media print"));
        assert!(!page.contains("http"), "nothing is loaded from elsewhere");
    }
}
