//! Versions: a chair cuts a named, immutable version of the text (its heads and its text then,
//! with a change summary, written to the decision record); anyone who may read the document
//! opens any version and compares any two, or a version with the text now.

use domain::{
    api::{AmendmentFilter, Comparison, NewVersion, ParagraphHistory, Version, VersionSummary},
    compare,
    document::Outline,
    export, limits, markdown,
    policy::Action,
    refusal::{quote, Field, Refusal, Thing},
    rules, time,
};

use accord_i18n::td_string;

use crate::{
    auth::Principal, documents, docx, endorsements, error::Error, feedback::required_text, record,
    words, Accord,
};

/// The name that stands for the text as it is now in a comparison.
pub const CURRENT: &str = rules::CURRENT_VERSION;

/// A chair cuts a version of the text as it is now.
pub async fn cut(
    state: &Accord,
    who: &Principal,
    doc: &str,
    v: NewVersion,
) -> Result<VersionSummary, Error> {
    let (_, schedule) = documents::require(state, who, doc, Action::RunConsultation).await?;
    // A closed text is settled, and so are its versions.
    if schedule.phase == domain::phase::Phase::Closed {
        return Err(Refusal::PhaseForbids {
            phase: schedule.phase,
        }
        .into());
    }
    let me = who.signed_in()?;
    let name = rules::version_name(v.name.trim())?.to_string();
    let summary = required_text(Field::ChangeSummary, &v.summary, limits::MAX_REASON_CHARS)?;
    let (outline, heads) = state.rooms.outline(doc).await?;
    let v = NewVersion { name, summary };
    let stored = state
        .rooms
        .store()
        .insert_version(doc, &v, &heads, &outline, me, state.auth.now())
        .await?;
    if !stored {
        return Err(Refusal::VersionExists { name: v.name }.into());
    }
    let entry = format!("Cut version {}", v.name);
    record::append(
        state,
        doc,
        record::actor(who),
        "version",
        &entry,
        &v.summary,
    )
    .await?;
    Ok(open(state, doc, &v.name).await?.about)
}

/// Every version of a document, oldest first.
pub async fn list(
    state: &Accord,
    who: &Principal,
    doc: &str,
) -> Result<Vec<VersionSummary>, Error> {
    documents::require(state, who, doc, Action::ReadDocument).await?;
    Ok(state
        .rooms
        .store()
        .read_versions(doc, None)
        .await?
        .into_iter()
        .map(|(v, _)| v)
        .collect())
}

async fn open(state: &Accord, doc: &str, name: &str) -> Result<Version, Error> {
    let (about, outline) = state
        .rooms
        .store()
        .read_versions(doc, Some(name))
        .await?
        .pop()
        .ok_or_else(|| Error::unknown(Thing::Version, name))?;
    let outline: Outline = serde_json::from_str(&outline)
        .map_err(|e| Error::Internal(format!("stored version {name}: {e}")))?;
    Ok(Version {
        about,
        title: outline.title,
        paragraphs: outline.paragraphs,
    })
}

/// One version with its text.
pub async fn get(state: &Accord, who: &Principal, doc: &str, name: &str) -> Result<Version, Error> {
    documents::require(state, who, doc, Action::ReadDocument).await?;
    open(state, doc, name).await
}

/// The text of a version, or of the document now for [`CURRENT`].
async fn text_of(state: &Accord, doc: &str, name: &str) -> Result<Outline, Error> {
    if name == CURRENT {
        return Ok(state.rooms.outline(doc).await?.0);
    }
    let v = open(state, doc, name).await?;
    Ok(Outline {
        title: v.title,
        paragraphs: v.paragraphs,
    })
}

/// Two versions (or a version and the text now) compared paragraph by paragraph.
pub async fn compare(
    state: &Accord,
    who: &Principal,
    doc: &str,
    from: &str,
    to: &str,
) -> Result<Comparison, Error> {
    documents::require(state, who, doc, Action::ReadDocument).await?;
    let (old, new) = (
        text_of(state, doc, from).await?,
        text_of(state, doc, to).await?,
    );
    Ok(Comparison {
        from: from.to_string(),
        to: to.to_string(),
        rows: compare::compare(&old, &new),
    })
}

/// One paragraph through every version and the text now, with the amendments that touched it
/// and the chair's responses to what was said about it.
pub async fn history(
    state: &Accord,
    who: &Principal,
    doc: &str,
    paragraph: &str,
) -> Result<ParagraphHistory, Error> {
    // The thread checks the reader and the paragraph (deleted ones stay readable).
    let thread = crate::feedback::thread(state, who, doc, paragraph).await?;
    let stored = state.rooms.store().read_versions(doc, None).await?;
    let mut outlines = Vec::with_capacity(stored.len() + 1);
    for (v, outline) in stored {
        let outline: Outline = serde_json::from_str(&outline)
            .map_err(|e| Error::Internal(format!("stored version {}: {e}", v.name)))?;
        outlines.push((v.name, outline));
    }
    outlines.push((CURRENT.to_string(), state.rooms.outline(doc).await?.0));
    let steps = compare::history(
        paragraph,
        outlines.iter().map(|(name, o)| (name.as_str(), o)),
    );
    let filter = AmendmentFilter {
        status: None,
        paragraph: Some(paragraph.to_string()),
    };
    Ok(ParagraphHistory {
        paragraph: paragraph.to_string(),
        steps,
        amendments: crate::amendments::list(state, who, doc, filter).await?,
        answered: thread
            .comments
            .into_iter()
            .filter(|c| c.response.is_some())
            .collect(),
        objections: thread
            .objections
            .into_iter()
            .filter(|o| o.response.is_some())
            .collect(),
    })
}

/// An exported text: its media type, a file name and the body.
pub struct Exported {
    pub content_type: &'static str,
    pub file_name: String,
    pub body: Vec<u8>,
}

/// The formats a text is exported in: name, file extension, media type.
const FORMATS: [(&str, &str, &str); 4] = [
    ("markdown", "md", "text/markdown; charset=utf-8"),
    ("html", "html", "text/html; charset=utf-8"),
    ("text", "txt", "text/plain; charset=utf-8"),
    (
        "docx",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
];

/// The extension and media type of an export format, or a 422 naming the formats there are.
pub fn format_of(format: &str, allowed: &[&str]) -> Result<(&'static str, &'static str), Error> {
    FORMATS
        .iter()
        .find(|(name, ..)| *name == format && allowed.contains(name))
        .map(|(_, ext, mime)| (*ext, *mime))
        .ok_or_else(|| {
            Error::from(Refusal::NotAnExportFormat {
                format: quote(format, 20),
                formats: allowed.join(", "),
            })
        })
}

/// A version as Markdown, standalone HTML, RFC-style plain text or DOCX; with the endorsements
/// once there are any. The text between versions (`version` absent or [`CURRENT`]) is not
/// published: only a chair exports it.
pub async fn export(
    state: &Accord,
    who: &Principal,
    doc: &str,
    format: &str,
    version: Option<&str>,
) -> Result<Exported, Error> {
    let version = version.filter(|v| !v.is_empty() && *v != CURRENT);
    let action = match version {
        Some(_) => Action::ReadDocument,
        None => Action::RunConsultation,
    };
    let (meta, _) = documents::require(state, who, doc, action).await?;
    let (ext, content_type) = format_of(format, &["markdown", "html", "text", "docx"])?;
    // The small print is in the document's language, like its text.
    let l = words::locale(meta.language);
    let endorsed_by = td_string!(l, report.endorsed_by).to_string();
    let (outline, about) = match version {
        Some(name) => {
            let v = open(state, doc, name).await?;
            let about = export::About {
                group: meta.group_name.clone(),
                version: td_string!(l, report.about_version, name = &v.about.name).to_string(),
                date: time::format(v.about.at),
                language: meta.language,
                endorsed_by,
            };
            let outline = Outline {
                title: v.title,
                paragraphs: v.paragraphs,
            };
            (outline, about)
        }
        None => {
            let about = export::About {
                group: meta.group_name.clone(),
                version: td_string!(l, report.about_current).to_string(),
                date: time::format(state.auth.now()),
                language: meta.language,
                endorsed_by,
            };
            (state.rooms.outline(doc).await?.0, about)
        }
    };
    let endorsed = endorsements::lines(state, doc).await?;
    let body = match ext {
        "md" => {
            let mut md = markdown::export(&outline);
            if !endorsed.is_empty() {
                md.push_str(&format!("\n## {}\n\n", about.endorsed_by));
                for e in &endorsed {
                    md.push_str(&format!("- {e}\n"));
                }
            }
            md.into_bytes()
        }
        "html" => export::html(&outline, &about, &endorsed).into_bytes(),
        "txt" => export::text(&outline, &about, &endorsed).into_bytes(),
        _ => docx::render(
            &outline.title,
            &export::blocks(&outline, &about, &endorsed),
            about.language,
        )?,
    };
    Ok(Exported {
        content_type,
        file_name: format!(
            "{}-{}.{ext}",
            rules::file_stem(&outline.title, doc),
            version.unwrap_or(CURRENT)
        ),
        body,
    })
}
