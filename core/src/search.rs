//! Search across documents and comments: titles, the words of every paragraph as they are now,
//! and the comments everyone can read (hidden ones never), case ignored in every script.
//!
//! Each search reads every document's current text through its room, so it is rate-limited per
//! person and address, and reads at most [`MAX_DOCUMENTS`] documents (the most recently changed)
//! and the newest [`MAX_COMMENTS`] comments; an installation that outgrows this wants an index.

use domain::{
    api::{SearchHit, SearchResults},
    refusal::Refusal,
    search::{excerpt, find},
};

use crate::{
    auth::{rate_limit, Principal},
    error::Error,
    limits::Limited,
    Accord,
};

pub const MIN_QUERY: usize = 2;
pub const MAX_QUERY: usize = 100;
/// How many documents a search reads.
pub const MAX_DOCUMENTS: usize = 200;
/// How many of the newest comments a search reads.
pub const MAX_COMMENTS: i64 = 5_000;
/// How many hits of each kind are listed.
pub const MAX_HITS: usize = 50;
/// How many characters of context are shown either side of a match.
const CONTEXT: usize = 60;

/// Finds `query` in what everyone may read.
pub async fn search(state: &Accord, who: &Principal, query: &str) -> Result<SearchResults, Error> {
    let query = query.trim();
    let chars = query.chars().count();
    if !(MIN_QUERY..=MAX_QUERY).contains(&chars) || query.chars().any(char::is_control) {
        return Err(Refusal::SearchWords {
            min: MIN_QUERY,
            max: MAX_QUERY,
        }
        .into());
    }
    rate_limit(state, Limited::Search, who).await?;
    let store = state.rooms.store();
    let listed = store.list_documents().await?;
    let mut out = SearchResults {
        query: query.to_string(),
        ..Default::default()
    };
    let hit = |document: &str, title: &str, paragraph: &str, label: String, words: &str| {
        find(words, query).map(|(s, e)| {
            let (before, matched, after) = excerpt(words, s, e, CONTEXT);
            SearchHit {
                document: document.to_string(),
                title: title.to_string(),
                paragraph: paragraph.to_string(),
                label,
                author: None,
                before,
                matched,
                after,
            }
        })
    };
    let mut outlines = std::collections::HashMap::new();
    for d in listed.iter().take(MAX_DOCUMENTS) {
        let Ok((outline, _)) = state.rooms.outline(&d.id).await else {
            continue;
        };
        if find(&outline.title, query).is_some() {
            out.documents.push(d.clone());
        }
        for p in &outline.paragraphs {
            if let Some(h) = hit(&d.id, &outline.title, &p.id, outline.called(&p.id), &p.text) {
                out.paragraphs.push(h);
            }
        }
        outlines.insert(d.id.clone(), outline);
    }
    for c in store.recent_comments(MAX_COMMENTS).await? {
        let Some(outline) = outlines.get(&c.document) else {
            continue;
        };
        if let Some(mut h) = hit(
            &c.document,
            &outline.title,
            &c.paragraph,
            outline.called(&c.paragraph),
            &c.body,
        ) {
            h.author = Some(c.author);
            out.comments.push(h);
        }
    }
    out.more = out.paragraphs.len() > MAX_HITS || out.comments.len() > MAX_HITS;
    out.paragraphs.truncate(MAX_HITS);
    out.comments.truncate(MAX_HITS);
    Ok(out)
}
