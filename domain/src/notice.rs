//! Notices: what a person is told about, under the bell, in their Atom feed and by mail.

use serde::{Deserialize, Serialize};

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
    /// What happened, in a sentence.
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
    use super::mentioned;

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
