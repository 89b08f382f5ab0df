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
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 5] = [
        NoticeKind::Reply,
        NoticeKind::Response,
        NoticeKind::Decision,
        NoticeKind::Objection,
        NoticeKind::Phase,
    ];

    pub fn key(self) -> &'static str {
        match self {
            NoticeKind::Reply => "reply",
            NoticeKind::Response => "response",
            NoticeKind::Decision => "decision",
            NoticeKind::Objection => "objection",
            NoticeKind::Phase => "phase",
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
        }
    }
}
