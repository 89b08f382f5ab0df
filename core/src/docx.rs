//! DOCX: the printable blocks of a text or a report ([`domain::export::Block`]) as a Word
//! document, made with the `docx-rs` crate. Headings use the built-in heading styles (so Word
//! and LibreOffice list them in their navigation panes), paragraphs keep the text's own numbers
//! hanging in front (the numbers people cite, not Word's renumbering), lists are real bulleted
//! lists and tables real tables.

use docx_rs::{
    AbstractNumbering, AlignmentType, BreakType, Docx, IndentLevel, Level, LevelJc, LevelText,
    LineSpacing, NumberFormat, Numbering, NumberingId, Paragraph, Run, RunFonts, SpecialIndentType,
    Start, Style, StyleType, Table, TableCell, TableRow,
};
use domain::{export::Block, profile::Language};

use crate::error::Error;

const BULLETS: usize = 1;
/// Twentieths of a point: where numbered paragraphs' text starts, and sub-paragraphs' indent.
const HANG: i32 = 720;
const SUB: i32 = 720;

/// A run of `text`, line breaks kept.
fn run(text: &str) -> Run {
    let mut r = Run::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            r = r.add_break(BreakType::TextWrapping);
        }
        r = r.add_text(line);
    }
    r
}

fn styles(doc: Docx) -> Docx {
    let heading = |id: &str, name: &str, size: usize, level: usize| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .bold()
            .size(size)
            .outline_lvl(level)
            .line_spacing(LineSpacing::new().before(240).after(120))
    };
    doc.add_style(
        Style::new("Title", StyleType::Paragraph)
            .name("Title")
            .based_on("Normal")
            .next("Normal")
            .size(40)
            .line_spacing(LineSpacing::new().after(160)),
    )
    .add_style(heading("Heading2", "heading 2", 28, 1))
    .add_style(heading("Heading3", "heading 3", 24, 2))
    .add_style(
        Style::new("Quote", StyleType::Paragraph)
            .name("Quote")
            .based_on("Normal")
            .italic(),
    )
    .add_style(
        Style::new("Meta", StyleType::Paragraph)
            .name("Meta")
            .based_on("Normal")
            .color("555555")
            .size(18),
    )
    .add_abstract_numbering(
        AbstractNumbering::new(BULLETS).add_level(
            Level::new(
                0,
                Start::new(1),
                NumberFormat::new("bullet"),
                LevelText::new("•"),
                LevelJc::new("left"),
            )
            .indent(
                Some(HANG),
                Some(SpecialIndentType::Hanging(360)),
                None,
                None,
            ),
        ),
    )
    .add_numbering(Numbering::new(BULLETS, BULLETS))
}

/// `p`, marked right to left when `rtl`.
fn directed(p: Paragraph, rtl: bool) -> Paragraph {
    let mut p = p;
    if rtl {
        p.property = p.property.bidi(true);
    }
    p
}

fn cell(text: &str, bold: bool, rtl: bool) -> TableCell {
    let r = run(text).size(18);
    TableCell::new().add_paragraph(directed(
        Paragraph::new().add_run(if bold { r.bold() } else { r }),
        rtl,
    ))
}

/// The blocks as a DOCX file, in `language`: every paragraph of a right-to-left language is
/// marked right to left (`w:bidi`), so that Word and LibreOffice open it so, numbers hanging
/// on the right.
pub fn render(title: &str, blocks: &[Block], language: Language) -> Result<Vec<u8>, Error> {
    let rtl = language.right_to_left();
    let mut doc = styles(Docx::new())
        .default_fonts(
            RunFonts::new()
                .ascii("Georgia")
                .hi_ansi("Georgia")
                .cs("Arial")
                .east_asia("SimSun"),
        )
        .default_size(22)
        .default_line_spacing(LineSpacing::new().after(120))
        .custom_property("title", title);
    let add = |doc: Docx, p: Paragraph| doc.add_paragraph(directed(p, rtl));
    for b in blocks {
        doc = match b {
            Block::Meta(t) => add(doc, Paragraph::new().style("Meta").add_run(run(t))),
            Block::Title(t) => add(doc, Paragraph::new().style("Title").add_run(run(t))),
            Block::Heading { level, text } => {
                let style = if *level <= 2 { "Heading2" } else { "Heading3" };
                add(
                    doc,
                    Paragraph::new()
                        .style(style)
                        .keep_next(true)
                        .add_run(run(text)),
                )
            }
            Block::Numbered { number, text, sub } => {
                let left = HANG + if *sub { SUB } else { 0 };
                let mut p = Paragraph::new().indent(
                    Some(left),
                    Some(SpecialIndentType::Hanging(HANG)),
                    None,
                    None,
                );
                // A right-to-left paragraph keeps its natural start (the right).
                if !rtl {
                    p = p.align(AlignmentType::Left);
                }
                if !number.is_empty() {
                    p = p.add_run(Run::new().add_text(number.as_str()).add_tab());
                }
                add(doc, p.add_run(run(text)))
            }
            Block::Para(t) => add(doc, Paragraph::new().add_run(run(t))),
            Block::Quote(t) => add(
                doc,
                Paragraph::new()
                    .style("Quote")
                    .indent(Some(HANG), None, None, None)
                    .add_run(run(t)),
            ),
            Block::Item(t) => add(
                doc,
                Paragraph::new()
                    .numbering(NumberingId::new(BULLETS), IndentLevel::new(0))
                    .add_run(run(t)),
            ),
            Block::Table { head, rows } => {
                let mut all = vec![TableRow::new(
                    head.iter().map(|h| cell(h, true, rtl)).collect(),
                )];
                all.extend(
                    rows.iter()
                        .map(|r| TableRow::new(r.iter().map(|c| cell(c, false, rtl)).collect())),
                );
                add(doc.add_table(Table::new(all)), Paragraph::new())
            }
        };
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| Error::Internal(format!("writing the DOCX file: {e}")))?;
    Ok(out.into_inner())
}
