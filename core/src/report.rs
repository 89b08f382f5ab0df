//! The consultation report, gathered from the feedback, the amendments, the versions and the
//! decision record, and printed as standalone HTML or DOCX. A chair reads it at any time; once a
//! document is closed it is everyone's record of what became of every comment. Its own words
//! are in the document's language (what people wrote is as they wrote it).

use std::collections::BTreeSet;

use accord_i18n::td_string;

use domain::{
    api::AmendmentFilter,
    consensus,
    export::{self, About},
    policy::Action,
    report::{self, ParagraphReport, Report},
    time, Paragraph, ParagraphKind,
};

use crate::{
    amendments,
    auth::Principal,
    documents, docx, endorsements,
    error::Error,
    feedback, record,
    versions::{self, Exported},
    words, Accord,
};

/// Everything the report says about `doc`, as `who` may see it.
pub async fn gather(state: &Accord, who: &Principal, doc: &str) -> Result<Report, Error> {
    let (meta, schedule) = documents::require(state, who, doc, Action::ReadReport).await?;
    let (outline, _) = state.rooms.outline(doc).await?;
    let facts = state.rooms.store().feedback_facts(doc, None).await?;
    let (stances, comments) = &*facts;
    let live: BTreeSet<&str> = outline.paragraphs.iter().map(|p| p.id.as_str()).collect();
    let mut ids: Vec<&str> = outline.paragraphs.iter().map(|p| p.id.as_str()).collect();
    let with_feedback: BTreeSet<&str> = stances
        .iter()
        .map(|s| s.paragraph.as_str())
        .chain(comments.iter().map(|c| c.paragraph.as_str()))
        .collect();
    let deleted: Vec<&str> = with_feedback
        .iter()
        .copied()
        .filter(|p| !live.contains(p))
        .collect();
    ids.extend(&deleted);
    let figures = consensus::consensus(ids.iter().copied(), stances, comments);
    let mut paragraphs = Vec::with_capacity(ids.len());
    for (i, f) in figures.into_iter().enumerate() {
        let (paragraph, is_deleted) = match outline.paragraphs.get(i) {
            Some(p) => (p.clone(), false),
            None => (
                Paragraph {
                    id: f.paragraph.clone(),
                    kind: ParagraphKind::Plain,
                    number: None,
                    text: String::new(),
                },
                true,
            ),
        };
        // Only what was said is read: the figures are above, and hidden words are never printed.
        let (comments, objections) = if with_feedback.contains(paragraph.id.as_str()) {
            feedback::said_about(state, doc, &paragraph.id, None, false).await?
        } else {
            (vec![], vec![])
        };
        paragraphs.push(ParagraphReport {
            paragraph,
            deleted: is_deleted,
            consensus: f,
            comments,
            objections,
        });
    }
    // The report's small print is in the document's language, like its text.
    let l = words::locale(meta.language);
    Ok(Report {
        title: outline.title.clone(),
        about: About {
            group: meta.group_name.clone(),
            version: td_string!(l, report.about_report).to_string(),
            date: td_string!(l, report.drawn_up, date = time::format(state.auth.now())).to_string(),
            language: meta.language,
            endorsed_by: td_string!(l, report.endorsed_by).to_string(),
        },
        phase: words::phase(l, schedule.phase),
        balance: consensus::balance(stances, comments),
        paragraphs,
        amendments: amendments::list(state, who, doc, AmendmentFilter::default()).await?,
        versions: versions::list(state, who, doc).await?,
        record: record::read(state, who, doc).await?,
        endorsements: endorsements::lines(state, doc).await?,
        published: crate::outputs::reference(state, doc)
            .await?
            .map(|o| (o.label, crate::outputs::url(state, o.number))),
    })
}

/// The report as standalone HTML or DOCX.
pub async fn export(
    state: &Accord,
    who: &Principal,
    doc: &str,
    format: &str,
) -> Result<Exported, Error> {
    let (ext, content_type) = versions::format_of(format, &["html", "docx"])?;
    let report = gather(state, who, doc).await?;
    let words = words::ReportWords(words::locale(report.about.language));
    let title = report::title(&report, &words);
    let mut blocks = report::blocks(&report, &words);
    // The live sessions held on the text, each with its own report.
    blocks.extend(
        crate::sessions_report::sections(state, who, doc, words::locale(report.about.language))
            .await?,
    );
    let body = match ext {
        "html" => export::page(&title, &blocks, report.about.language).into_bytes(),
        _ => docx::render(&title, &blocks, report.about.language)?,
    };
    Ok(Exported {
        content_type,
        file_name: format!(
            "{}-report.{ext}",
            domain::rules::file_stem(&report.title, doc)
        ),
        body,
    })
}
