//! Every type that crosses the wire: JSON bodies of the HTTP API under `/api/v1` and the JSON
//! control frames of the sync WebSocket. Binary WebSocket frames are automerge sync messages in
//! the standard encoding and have no type here.

use serde::{Deserialize, Serialize};

pub use crate::model::policy::Role;
pub use crate::model::{Paragraph, ParagraphKind};

#[cfg(feature = "ssr")]
use utoipa::ToSchema;

/// A document in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct DocumentSummary {
    pub id: String,
    pub title: String,
    /// The group that owns the document.
    pub group: String,
    pub paragraphs: usize,
    /// When the text last changed, RFC 3339 in UTC.
    pub updated_at: String,
}

/// One document: metadata and numbered paragraphs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct DocumentDetail {
    pub id: String,
    pub title: String,
    pub group: String,
    pub updated_at: String,
    /// The automerge heads (hex change hashes) this view was read at.
    pub heads: Vec<String>,
    pub paragraphs: Vec<Paragraph>,
}

/// Body of `POST /api/v1/documents`: a blank document, or one imported from Markdown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateDocument {
    /// Title; when absent, the Markdown's `# ` heading, else "Untitled draft".
    #[serde(default)]
    pub title: Option<String>,
    /// Markdown to import: `## ` headings, `1. ` numbered paragraphs, `(a) ` sub-paragraphs.
    #[serde(default)]
    pub markdown: Option<String>,
}

/// Answer to a successful create.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Created {
    pub id: String,
    /// Where the document is read and edited in the browser.
    pub url: String,
}

/// The body of every 4xx and 5xx answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ErrorBody {
    /// What went wrong, in words a user can act on.
    pub error: String,
}

/// Someone connected to a document, as others see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerPresence {
    /// Connection number, unique within the document while connected.
    pub peer: u64,
    pub name: String,
    pub role: Role,
    /// The paragraph they are in, if any.
    #[serde(default)]
    pub paragraph: Option<String>,
    /// Caret offset in that paragraph, in UTF-16 code units.
    #[serde(default)]
    pub caret: Option<u32>,
}

/// JSON text frames the server sends on the sync WebSocket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// First frame on every connection: who you are and who else is here.
    Welcome {
        peer: u64,
        role: Role,
        name: String,
        peers: Vec<PeerPresence>,
    },
    /// Someone joined, moved their caret or renamed themselves.
    Presence(PeerPresence),
    /// Someone left.
    Left { peer: u64 },
    /// The server refuses what this connection sent; it closes the connection after this frame.
    Error { code: ErrorCode, message: String },
}

/// Why the server closed a sync connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A binary frame is not an automerge sync message.
    BadMessage,
    /// The changes would break the document schema or its limits.
    Schema,
    /// A frame is larger than the documented limit.
    TooLarge,
    /// The connection's role does not allow the write.
    Forbidden,
    /// A text frame is not a control message this server understands.
    BadControl,
    /// The connection could not keep up with the document and was dropped; reconnect.
    Overloaded,
    /// The document does not exist.
    NotFound,
    /// Something went wrong on the server.
    Internal,
}

/// JSON text frames a client sends on the sync WebSocket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientFrame {
    /// Where I am and what to call me.
    Presence {
        name: String,
        #[serde(default)]
        paragraph: Option<String>,
        #[serde(default)]
        caret: Option<u32>,
    },
}
