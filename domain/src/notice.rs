//! Notices: what a person is told about, under the bell, in their Atom feed and by mail.

use serde::{Deserialize, Serialize};

use crate::phase::Phase;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum NoticeKind {
    /// Someone replied to your comment.
    Reply,
    /// A chair responded to your comment or objection.
    Response,
    /// A chair decided your amendment.
    Decision,
    /// Someone objected to a paragraph of a document you chair.
    Objection,
    /// A document you took part in moved to another phase.
    Phase,
    /// Someone mentioned you (`@` and your name) in a comment.
    Mention,
    /// The phase of a document you take part in ends within a day.
    Deadline,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 7] = [
        NoticeKind::Reply,
        NoticeKind::Response,
        NoticeKind::Decision,
        NoticeKind::Objection,
        NoticeKind::Phase,
        NoticeKind::Mention,
        NoticeKind::Deadline,
    ];

    pub fn key(self) -> &'static str {
        match self {
            NoticeKind::Reply => "reply",
            NoticeKind::Response => "response",
            NoticeKind::Decision => "decision",
            NoticeKind::Objection => "objection",
            NoticeKind::Phase => "phase",
            NoticeKind::Mention => "mention",
            NoticeKind::Deadline => "deadline",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// One notice, as its person sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Notice {
    pub id: i64,
    pub kind: NoticeKind,
    pub document: String,
    pub document_title: String,
    /// Where on the document: a paragraph's label, an amendment's number, a phase's name.
    pub place: String,
    /// Who did it (a display name); empty when nobody did.
    pub by: String,
    /// The path on this site the notice leads to.
    pub link: String,
    /// Unix seconds.
    pub at: i64,
    pub read: bool,
}

impl Notice {
    /// What happened, in a sentence in English (mail and feeds say it in their reader's
    /// language from the message catalogue, with [`Notice::place`]).
    pub fn words(&self) -> String {
        let (by, place, title) = (&self.by, &self.place, &self.document_title);
        match self.kind {
            NoticeKind::Reply => format!("{by} replied to your comment on {place} of “{title}”"),
            NoticeKind::Response => {
                format!("{by} responded to your feedback on {place} of “{title}”")
            }
            NoticeKind::Decision => format!("{by} decided your {place} to “{title}”"),
            NoticeKind::Objection => format!("{by} objected to {place} of “{title}”"),
            NoticeKind::Phase => format!("“{title}” is now in {place}"),
            NoticeKind::Mention => format!("{by} mentioned you on {place} of “{title}”"),
            NoticeKind::Deadline => format!("The {place} of “{title}” ends within a day"),
        }
    }
}

impl Notice {
    /// Where it happened, read back from the words it was stored with.
    pub fn place(&self) -> Place<'_> {
        Place::read(&self.place)
    }
}

/// Where a notice happened, read back from the English words it is stored with (a paragraph as
/// [`crate::document::Outline::called`] names it, "amendment 4", a phase's name in lower case),
/// so that mail and feeds can say it in their reader's language. Words in no known shape are
/// kept as they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place<'a> {
    /// "paragraph 8(a)": the number.
    Paragraph(&'a str),
    /// "the heading “Scope”": its first words.
    Heading(&'a str),
    /// "the paragraph “Recalling…”": its first words.
    Unnumbered(&'a str),
    /// "a deleted paragraph (p-17)": its id.
    Deleted(&'a str),
    /// "amendment 4": the number.
    Amendment(&'a str),
    /// "public consultation".
    Phase(Phase),
    Other(&'a str),
}

impl<'a> Place<'a> {
    pub fn read(words: &'a str) -> Self {
        let quoted = |before: &str| {
            words
                .strip_prefix(before)
                .and_then(|rest| rest.strip_prefix('“'))
                .and_then(|rest| rest.strip_suffix('”'))
        };
        if let Some(number) = words.strip_prefix("paragraph ") {
            Place::Paragraph(number)
        } else if let Some(excerpt) = quoted("the heading ") {
            Place::Heading(excerpt)
        } else if let Some(excerpt) = quoted("the paragraph ") {
            Place::Unnumbered(excerpt)
        } else if let Some(id) = words
            .strip_prefix("a deleted paragraph (")
            .and_then(|rest| rest.strip_suffix(')'))
        {
            Place::Deleted(id)
        } else if let Some(number) = words.strip_prefix("amendment ") {
            Place::Amendment(number)
        } else if let Some(&phase) = Phase::ALL
            .iter()
            .find(|p| p.label().to_lowercase() == words)
        {
            Place::Phase(phase)
        } else {
            Place::Other(words)
        }
    }
}

/// Which of `names` the words `body` mention: `@` and the whole name, ignoring case, with no
/// letter or digit right before the `@` (an address is no mention) or right after the name
/// (`@Ann` does not mention Anna). Indexes into `names`.
pub fn mentioned(body: &str, names: &[String]) -> Vec<usize> {
    let body = body.to_lowercase();
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    names
        .iter()
        .enumerate()
        .filter(|(_, name)| {
            let needle = format!("@{}", name.trim().to_lowercase());
            needle.len() > 1
                && body.match_indices(&needle).any(|(at, m)| {
                    !word(body[..at].chars().next_back())
                        && !word(body[at + m.len()..].chars().next())
                })
        })
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{mentioned, Place};
    use crate::{
        document::{Outline, Paragraph, ParagraphKind},
        phase::Phase,
    };

    // Guards against the wording of a place drifting away from what mail and feeds read back:
    // the place would then be named in English whatever the reader's language.
    #[test]
    fn every_way_a_place_is_stored_is_read_back() {
        let paragraph = |id: &str, kind, number: Option<&str>, text: &str| Paragraph {
            id: id.to_string(),
            kind,
            number: number.map(String::from),
            text: text.to_string(),
        };
        let outline = Outline {
            title: "Draft".to_string(),
            paragraphs: vec![
                paragraph("p-1", ParagraphKind::Heading, None, "Scope"),
                paragraph("p-2", ParagraphKind::Sub, Some("8(a)"), "Recalling"),
                paragraph("p-3", ParagraphKind::Plain, None, "Noting"),
            ],
        };
        let called = |id| outline.called(id);
        assert_eq!(Place::read(&called("p-1")), Place::Heading("Scope"));
        assert_eq!(Place::read(&called("p-2")), Place::Paragraph("8(a)"));
        assert_eq!(Place::read(&called("p-3")), Place::Unnumbered("Noting"));
        assert_eq!(Place::read(&called("p-9")), Place::Deleted("p-9"));
        assert_eq!(Place::read("amendment 4"), Place::Amendment("4"));
        for &phase in Phase::ALL {
            let stored = phase.label().to_lowercase();
            assert_eq!(Place::read(&stored), Place::Phase(phase));
        }
        assert_eq!(Place::read("elsewhere"), Place::Other("elsewhere"));
    }

    #[test]
    fn a_mention_is_the_at_sign_and_the_whole_name() {
        let names = ["Amina Chair", "Ann", "Anna Lee"].map(String::from);
        assert_eq!(
            mentioned("Thanks @amina chair, and @Anna Lee.", &names),
            [0, 2]
        );
        assert_eq!(mentioned("(@Ann) agrees", &names), [1]);
        assert!(mentioned("mail ann@Ann.org", &names).is_empty());
        assert!(mentioned("@Annabel says", &names).is_empty());
        assert!(mentioned("no one", &names).is_empty());
    }
}
