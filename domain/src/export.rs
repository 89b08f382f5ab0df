//! A text as a chair publishes it: standalone, printable HTML and plain text with numbered
//! paragraphs in the style of an RFC. (Markdown is [`super::markdown::export`]; DOCX is made by
//! the server.) Pure functions of the outline and a few facts about the version.

use super::{charts::esc, profile::Language, Outline, ParagraphKind};

/// What the header of an exported text says besides the title.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct About {
    /// The group that owns the document.
    pub group: String,
    /// The version's name, or "current text".
    pub version: String,
    /// When the version was cut (or the text read), as shown.
    pub date: String,
    /// The language the text is written in: the page's `lang` and direction.
    pub language: Language,
    /// The heading over who endorsed the text, in that language.
    pub endorsed_by: String,
}

const PRINT_CSS: &str = "body{font-family:Georgia,'Times New Roman',serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.55;color:#1b1f24}\
.meta{margin:.2rem 0;color:#555;font-family:system-ui,sans-serif;font-size:.9rem}h1+.meta{border-bottom:1px solid #ccd;padding-bottom:1rem;margin-bottom:1.5rem}\
h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.15rem;margin:1.6rem 0 .6rem;font-family:system-ui,sans-serif}\
.p{display:grid;grid-template-columns:3rem 1fr;gap:.4rem;margin:.6rem 0}.n{color:#555;text-align:end}.p p{margin:0;white-space:pre-wrap}\
.sub{margin-inline-start:2rem}blockquote{margin:.4rem 0 .6rem;padding-block:.1rem;padding-inline:1rem 0;border-inline-start:3px solid #ccd;white-space:pre-wrap}h3{font-size:1rem;margin:1.2rem 0 .4rem;font-family:system-ui,sans-serif}\
table{border-collapse:collapse;margin:.6rem 0;font-family:system-ui,sans-serif;font-size:.9rem}th,td{border:1px solid #ccd;padding:.25rem .5rem;text-align:start;vertical-align:top}th{background:#f2f3f6}\
@media print{body{margin:0;max-width:none}a{color:inherit}h2,h3{break-after:avoid}.p,tr{break-inside:avoid}}";

/// One piece of a printable document, whatever it is printed to: the standalone HTML page here
/// and DOCX in the server render the same blocks, so a text and its report read alike in both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A line of small print above or below the title (group, version, date).
    Meta(String),
    Title(String),
    /// A section heading (level 2) or a sub-section heading (level 3).
    Heading {
        level: u8,
        text: String,
    },
    /// A paragraph of the text with its number hanging in front; `sub` ones are indented.
    Numbered {
        number: String,
        text: String,
        sub: bool,
    },
    Para(String),
    /// Words quoted from the text, set apart from what is said about them.
    Quote(String),
    /// An item of a bulleted list.
    Item(String),
    /// A table with a header row; every row has as many cells as the header.
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// The blocks of a text as published: header, then every paragraph, then who endorsed it.
pub fn blocks(outline: &Outline, about: &About, endorsements: &[String]) -> Vec<Block> {
    let mut out = vec![
        Block::Meta(about.group.clone()),
        Block::Title(outline.title.trim().to_string()),
        Block::Meta(format!("{} · {}", about.version, about.date)),
    ];
    for p in &outline.paragraphs {
        let text = p.text.trim().to_string();
        let number = p.number.clone().unwrap_or_default();
        out.push(match p.kind {
            ParagraphKind::Heading => Block::Heading { level: 2, text },
            ParagraphKind::Sub => Block::Numbered {
                number,
                text,
                sub: true,
            },
            _ => Block::Numbered {
                number,
                text,
                sub: false,
            },
        });
    }
    if !endorsements.is_empty() {
        out.push(Block::Heading {
            level: 2,
            text: about.endorsed_by.clone(),
        });
        out.extend(endorsements.iter().cloned().map(Block::Item));
    }
    out
}

/// A standalone HTML page of `blocks`: every piece of text escaped, the styles inline, fit to
/// print, nothing loaded from elsewhere.
pub fn page(title: &str, blocks: &[Block], language: Language) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\" dir=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
        language.key(),
        if language.right_to_left() {
            "rtl"
        } else {
            "ltr"
        }
    ));
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", esc(title.trim())));
    out.push_str(&format!(
        "<style>{PRINT_CSS}</style>\n</head>\n<body>\n<main>\n"
    ));
    let mut in_list = false;
    for b in blocks {
        let item = matches!(b, Block::Item(_));
        if in_list && !item {
            out.push_str("</ul>\n");
        }
        if item && !in_list {
            out.push_str("<ul>\n");
        }
        in_list = item;
        match b {
            Block::Meta(t) => out.push_str(&format!("<p class=\"meta\">{}</p>\n", esc(t))),
            Block::Title(t) => out.push_str(&format!("<h1>{}</h1>\n", esc(t))),
            Block::Heading { level, text } => {
                let h = (*level).clamp(2, 4);
                out.push_str(&format!("<h{h}>{}</h{h}>\n", esc(text)))
            }
            Block::Numbered { number, text, sub } => out.push_str(&format!(
                "<div class=\"p{}\"><span class=\"n\">{}</span><p>{}</p></div>\n",
                if *sub { " sub" } else { "" },
                esc(number),
                esc(text)
            )),
            Block::Para(t) => out.push_str(&format!("<p>{}</p>\n", esc(t))),
            Block::Quote(t) => out.push_str(&format!("<blockquote>{}</blockquote>\n", esc(t))),
            Block::Item(t) => out.push_str(&format!("<li>{}</li>\n", esc(t))),
            Block::Table { head, rows } => {
                out.push_str("<table>\n<thead><tr>");
                for h in head {
                    out.push_str(&format!("<th>{}</th>", esc(h)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    out.push_str("<tr>");
                    for cell in row {
                        out.push_str(&format!("<td>{}</td>", esc(cell)));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
        }
    }
    if in_list {
        out.push_str("</ul>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// A text as a standalone HTML page.
pub fn html(outline: &Outline, about: &About, endorsements: &[String]) -> String {
    page(
        &outline.title,
        &blocks(outline, about, endorsements),
        about.language,
    )
}

/// Width of a line of plain text, as in an RFC.
const WIDTH: usize = 72;

/// An RFC's header block: `left` lines flush left, `right` lines flush right, side by side in
/// [`WIDTH`] columns (a pair too long for one line is given two).
pub fn columns(left: &[String], right: &[String]) -> String {
    let mut out = String::new();
    for i in 0..left.len().max(right.len()) {
        let l = left.get(i).map_or("", String::as_str);
        let r = right.get(i).map_or("", String::as_str);
        let (lw, rw) = (l.chars().count(), r.chars().count());
        if lw + rw < WIDTH {
            out.push_str(&format!("{l}{}{r}\n", " ".repeat(WIDTH - lw - rw)));
        } else {
            out.push_str(&format!(
                "{l}\n{}{r}\n",
                " ".repeat(WIDTH.saturating_sub(rw))
            ));
        }
    }
    out
}

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
pub fn text(outline: &Outline, about: &About, endorsements: &[String]) -> String {
    let head = format!("{}\n{}\n{}\n\n", about.group, about.version, about.date);
    head + &body(outline, &about.endorsed_by, endorsements)
}

/// What [`text`] prints under its header: the title centred, the paragraphs, who endorsed it
/// (under the heading `endorsed_by`).
pub fn body(outline: &Outline, endorsed_by: &str, endorsements: &[String]) -> String {
    let mut out = String::new();
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
    if !endorsements.is_empty() {
        out.push_str(&format!("\n{endorsed_by}\n\n"));
        for e in endorsements {
            out.push_str(&wrap("   - ", e));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::Paragraph;

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
                language: Language::English,
                endorsed_by: "Endorsed by".into(),
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
        .assert_eq(&text(&o, &a, &[]));
        assert!(text(&o, &a, &[])
            .lines()
            .all(|l| l.chars().count() <= WIDTH));
    }

    #[test]
    fn html_is_standalone_and_escapes_every_text() {
        let (o, a) = sample();
        let page = html(&o, &a, &["Ana <Org>".to_string()]);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("<title>Outputs &lt;of&gt; the Forum</title>"));
        assert!(page.contains("<span class=\"n\">1(a)</span><p>first &amp; &lt;script&gt;alert(1)&lt;/script&gt;;</p>"));
        assert!(!page.contains("<script>"));
        assert!(page.contains("<h2>I. Background</h2>"));
        assert!(page.contains("<h2>Endorsed by</h2>\n<ul>\n<li>Ana &lt;Org&gt;</li>\n</ul>"));
        assert!(page.contains("@media print"));
        assert!(!page.contains("http"), "nothing is loaded from elsewhere");
        assert!(page.contains("<html lang=\"en\" dir=\"ltr\">"));
    }

    #[test]
    fn an_arabic_text_is_marked_right_to_left() {
        let (o, mut a) = sample();
        a.language = Language::Arabic;
        let page = html(&o, &a, &[]);
        assert!(page.contains("<html lang=\"ar\" dir=\"rtl\">"));
        // The print styles mirror with the page: no physical sides.
        assert!(!PRINT_CSS.contains("left") && !PRINT_CSS.contains("right"));
    }
}
