//! Every type that crosses the wire: JSON bodies of the HTTP API under `/api/v1` and the JSON
//! control frames of the sync WebSocket. Binary WebSocket frames are automerge sync messages in
//! the standard encoding and have no type here.

use serde::{Deserialize, Serialize};

pub use crate::policy::Role;
pub use crate::{Paragraph, ParagraphKind};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// A document in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DocumentSummary {
    pub id: String,
    pub title: String,
    /// The group that owns the document.
    pub group: String,
    pub paragraphs: usize,
    /// When the text last changed, RFC 3339 in UTC.
    pub updated_at: String,
    /// Its phase and the phase's deadline.
    pub schedule: crate::phase::Schedule,
}

/// What a search found: documents by title, paragraphs by their words, comments by theirs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SearchResults {
    pub query: String,
    pub documents: Vec<DocumentSummary>,
    pub paragraphs: Vec<SearchHit>,
    pub comments: Vec<SearchHit>,
    /// More matched than are listed.
    pub more: bool,
}

/// A paragraph or comment that matched, with the words around the match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SearchHit {
    pub document: String,
    pub title: String,
    pub paragraph: String,
    /// "Paragraph 3", "Heading".
    pub label: String,
    /// For a comment: its author's display name.
    #[serde(default)]
    pub author: Option<String>,
    /// The words before the match, the match, and the words after it.
    pub before: String,
    pub matched: String,
    pub after: String,
}

/// One document: metadata and numbered paragraphs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DocumentDetail {
    pub id: String,
    pub title: String,
    pub group: String,
    pub updated_at: String,
    /// The automerge heads (hex change hashes) this view was read at.
    pub heads: Vec<String>,
    pub paragraphs: Vec<Paragraph>,
    /// The caller's role in the owning group (`reader` when signed out or not a member).
    #[serde(default)]
    pub your_role: Role,
    /// Whether the caller may edit the text.
    #[serde(default)]
    pub you_may_edit: bool,
    /// Whether the caller is signed in (what the page offers depends on it in some phases).
    #[serde(default)]
    pub signed_in: bool,
    /// The phase in force and its deadline.
    #[serde(default)]
    pub schedule: Schedule,
    /// Seconds left before the deadline, when there is one.
    #[serde(default)]
    pub seconds_left: Option<i64>,
    /// Who endorsed the final text (once closed), and whether the caller may.
    #[serde(default)]
    pub endorsements: Endorsements,
    /// The language the text is written in (its chair says; else its group's).
    #[serde(default)]
    pub language: Language,
    /// The number of the series the closed text was published under, if it was: every page
    /// of the consultation links to it.
    #[serde(default)]
    pub published: Option<OutputRef>,
    /// Whether the caller may publish the text now (a chair, once closed, before it is).
    #[serde(default)]
    pub you_may_publish: bool,
}

/// A number of the series, as a consultation's pages link to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OutputRef {
    pub number: u32,
    /// The prefix and the number as cited: `IGF-O 12`.
    pub label: String,
}

pub use crate::phase::{Phase, Schedule};

/// The language a document is written in, as its chair sets it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetLanguage {
    pub language: Language,
}
pub use crate::record::Entry as RecordEntry;

/// Body of `POST /api/v1/documents/{id}/phase`: a chair moves the document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetPhase {
    pub phase: Phase,
    /// Unix seconds; only for the consultation and last call.
    #[serde(default)]
    pub deadline: Option<i64>,
    /// For the decision record.
    pub reason: String,
}

/// Body of `POST /api/v1/documents`: a blank document, or one imported from Markdown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateDocument {
    /// The owning group's id; when absent, the first group in which the caller drafts.
    #[serde(default)]
    pub group: Option<String>,
    /// Title; when absent, the Markdown's `# ` heading, else "Untitled draft".
    #[serde(default)]
    pub title: Option<String>,
    /// Markdown to import: `## ` headings, `1. ` numbered paragraphs, `(a) ` sub-paragraphs.
    #[serde(default)]
    pub markdown: Option<String>,
}

/// Answer to a successful create.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Created {
    pub id: String,
    /// Where the document is read and edited in the browser.
    pub url: String,
}

/// One of the signed-in person's sessions (a browser or device signed in), as they see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SessionView {
    /// Names the session for ending it (not its secret).
    pub id: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds, to the minute.
    pub last_seen: i64,
    /// The session this request came in.
    pub current: bool,
}

/// The body of every 4xx and 5xx answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ErrorBody {
    /// What went wrong, in words a user can act on.
    pub error: String,
    /// The case, stable across releases and languages (`text-too-long`, `phase-forbids`, …;
    /// `internal` for a failure of ours).
    #[serde(default)]
    pub code: String,
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
    /// The other end of their selection, if they have words selected.
    #[serde(default)]
    pub to: Option<u32>,
    /// Their colour's hue (0–359): the same for a person wherever and whenever they appear.
    #[serde(default)]
    pub hue: u16,
}

/// The hue of a person's colour, from what identifies them (their account, or a guest's
/// session): stable across connections and documents.
pub fn hue_of(key: &str) -> u16 {
    // FNV-1a: a few lines, stable across platforms and releases (unlike the std hasher).
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (hash % 360) as u16
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
        /// Your colour's hue, as the others see it.
        #[serde(default)]
        hue: u16,
        peers: Vec<PeerPresence>,
        /// The automerge actor id (hex) this connection must write with; absent when the role
        /// may not edit. Changes by any other actor are refused.
        #[serde(default)]
        actor: Option<String>,
        /// The document's phase: with the role, whether this connection may edit.
        #[serde(default = "crate::phase::Phase::first")]
        phase: crate::phase::Phase,
    },
    /// The document moved to another phase.
    Phase { phase: crate::phase::Phase },
    /// Someone joined, moved their caret or renamed themselves.
    Presence(PeerPresence),
    /// Someone left.
    Left { peer: u64 },
    /// Feedback on a paragraph changed (a comment, a stance, a response or a moderation): its
    /// figures now. Viewers showing that paragraph's thread fetch it again.
    Feedback { consensus: ParagraphConsensus },
    /// The text changed. Sent only to watching connections (`?watch=true`), which hold no copy
    /// of the document and fetch the page again when they want the new words.
    Edited,
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
    /// The connection's role does not allow the write, or the change's actor is not the one
    /// assigned to it.
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
    /// Where I am. What others call me is my account's name, never what a client says.
    Presence {
        #[serde(default)]
        paragraph: Option<String>,
        #[serde(default)]
        caret: Option<u32>,
        /// The other end of my selection, if I have words selected.
        #[serde(default)]
        to: Option<u32>,
    },
}

pub use crate::profile::{AgeBand, Gender, Language, Region, StakeholderGroup};

/// Body of `POST /api/v1/auth/register`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Register {
    /// An email-like login name, e.g. `ana@example.org`.
    pub login: String,
    pub password: String,
    pub display_name: String,
    #[serde(default)]
    pub affiliation: String,
    pub stakeholder_group: StakeholderGroup,
    pub region: Region,
    #[serde(default)]
    pub gender: Option<Gender>,
    #[serde(default)]
    pub age_band: Option<AgeBand>,
    /// A path on this site to go to once the address is confirmed (the page the person was
    /// on, an invitation).
    #[serde(default)]
    pub next: Option<String>,
}

/// What `POST /api/v1/auth/register` answers, whether the login was free or not (which it does
/// not say): a link to confirm the address was mailed to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Registered {
    pub login: String,
}

/// Body of `POST /api/v1/auth/confirm`: the token of a confirmation link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConfirmAddress {
    pub token: String,
}

/// Body of `POST /api/v1/auth/login`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Login {
    pub login: String,
    pub password: String,
}

/// A group membership as its member sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MembershipView {
    pub group: String,
    pub group_name: String,
    pub role: Role,
}

/// The signed-in account (`GET /api/v1/me`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Me {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub affiliation: String,
    pub stakeholder_group: StakeholderGroup,
    pub region: Region,
    pub gender: Option<Gender>,
    pub age_band: Option<AgeBand>,
    pub admin: bool,
    pub memberships: Vec<MembershipView>,
    /// Notices not yet read (the bell's count).
    pub unread: u32,
    /// Whether notices are also mailed.
    pub mail_notices: bool,
    /// The language this person reads Accord in, once chosen (else the browser's).
    pub language: Option<Language>,
}

impl Me {
    /// The groups in which this person may start a document (they draft or chair there).
    pub fn drafting_groups(&self) -> impl Iterator<Item = &MembershipView> {
        self.memberships
            .iter()
            .filter(|m| m.role >= crate::policy::Role::Drafter)
    }
}

/// Body of `PATCH /api/v1/me`: the fields to change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProfileUpdate {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub affiliation: Option<String>,
    #[serde(default)]
    pub stakeholder_group: Option<StakeholderGroup>,
    #[serde(default)]
    pub region: Option<Region>,
    /// `null` clears it.
    #[serde(default)]
    pub gender: Option<Option<Gender>>,
    #[serde(default)]
    pub age_band: Option<Option<AgeBand>>,
    /// The language to read Accord in.
    #[serde(default)]
    pub language: Option<Language>,
}

/// Kinds of group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum GroupKind {
    /// A Best Practice Forum.
    Bpf,
    /// A Dynamic Coalition.
    Dc,
    Other,
}

impl GroupKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bpf => "bpf",
            Self::Dc => "dc",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Bpf, Self::Dc, Self::Other]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Group {
    pub id: String,
    pub name: String,
    pub kind: GroupKind,
}

/// Body of `POST /api/v1/groups`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateGroup {
    pub name: String,
    pub kind: GroupKind,
    /// The language its documents are written in unless their chair says otherwise (English
    /// when not said).
    #[serde(default)]
    pub language: Option<Language>,
}

/// A member of a group, as its chairs see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Member {
    pub account: String,
    pub display_name: String,
    pub login: String,
    pub role: Role,
}

/// Body of `PUT /api/v1/groups/{id}/members/{account}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetRole {
    pub role: Role,
}

/// What the group page shows to someone who runs the group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupPage {
    pub group: Group,
    /// Empty unless the viewer may manage members.
    pub members: Vec<Member>,
    pub invitations: Vec<Invitation>,
    /// A chair of the group: invites participants and drafters, changes their roles.
    pub may_manage: bool,
    /// The admin: appoints chairs.
    pub may_appoint: bool,
}

/// Body of `POST /api/v1/groups/{id}/invitations`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateInvitation {
    /// `participant` or `drafter` (a chair's invitations), or `chair` (the admin's).
    pub role: Role,
    /// How long the link stays valid (1 to 90 days; default 14).
    #[serde(default)]
    pub days: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Invitation {
    pub id: String,
    pub role: Role,
    /// Unix seconds.
    pub expires_at: i64,
    pub revoked: bool,
    pub accepted: bool,
}

/// What an invitation link offers, shown on the page it opens before anyone joins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct InvitationOffer {
    pub group: String,
    pub group_name: String,
    pub role: Role,
}

/// Answer to creating an invitation: the secret link, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct InvitationCreated {
    pub id: String,
    /// `https://…/invitations/{token}` (the installation's public address): whoever opens it
    /// signed in joins the group with the role.
    pub url: String,
    pub expires_at: i64,
}

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub kind: String,
    pub actor: Option<String>,
    pub address: Option<String>,
    pub detail: String,
}

// ---- Feedback: comments, stances, responses, moderation, the consensus map ----

pub use crate::consensus::{
    Balance, Breakdown, Disposition, Flag, GenderCount, GroupCount, GroupTally, Level,
    ParagraphConsensus, RegionCount, RegionTally, Stance, Tally,
};

/// A selected span of a paragraph: automerge cursors of its first and last character, as
/// `ReadDoc::get_cursor` prints them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Anchor {
    pub first: String,
    pub last: String,
}

/// Body of `POST /api/v1/documents/{id}/paragraphs/{paragraph}/comments`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    /// Plain text; links are made clickable when shown.
    pub body: String,
    /// The comment this replies to.
    #[serde(default)]
    pub parent: Option<i64>,
    /// The span commented on; absent for the whole paragraph.
    #[serde(default)]
    pub anchor: Option<Anchor>,
}

/// Body of `PATCH /api/v1/documents/{id}/comments/{comment}`: the author's new wording.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EditComment {
    pub body: String,
}

/// Body of `PUT /api/v1/documents/{id}/paragraphs/{paragraph}/stance`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetStance {
    pub stance: Stance,
    /// Why; required for an objection.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Body of a chair's response to a comment or an objection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Respond {
    pub disposition: Disposition,
    pub reason: String,
}

/// Body of `POST /api/v1/documents/{id}/comments/{comment}/hide`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Hide {
    /// Shown to everyone in the comment's place.
    pub reason: String,
}

/// A chair's response, as shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Response {
    pub disposition: Disposition,
    pub reason: String,
    /// The chair's display name.
    pub by: String,
    /// Unix seconds.
    pub at: i64,
}

/// Why a comment is hidden, as shown in its place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Hidden {
    pub reason: String,
    pub by: String,
    pub at: i64,
}

/// A comment or reply as a viewer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Comment {
    pub id: i64,
    pub paragraph: String,
    /// The top-level comment this replies to.
    pub parent: Option<i64>,
    pub author: String,
    pub affiliation: String,
    /// `None` when hidden and the viewer is not a chair.
    pub body: Option<String>,
    /// The commented span's words as the text is now (empty when they were all deleted).
    pub quote: Option<String>,
    /// The span's UTF-16 offsets in the paragraph now.
    pub span: Option<(u32, u32)>,
    pub anchor: Option<Anchor>,
    /// Unix seconds.
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub hidden: Option<Hidden>,
    pub response: Option<Response>,
    /// Whether the viewer wrote it and may still edit it (nobody has replied).
    pub editable: bool,
}

/// A current objection to a paragraph: who raised it, why, and how a chair answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Objection {
    /// The stance entry; responses are addressed to it.
    pub id: i64,
    pub paragraph: String,
    pub author: String,
    pub affiliation: String,
    pub reason: String,
    pub at: i64,
    pub response: Option<Response>,
    /// Whether it counts in the figures: not when the chairs set its author's stances on the
    /// document aside. It is shown either way, marked.
    pub counted: bool,
}

/// The viewer's own stance on a paragraph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct YourStance {
    pub stance: Stance,
    pub reason: Option<String>,
}

/// Everything about one paragraph's feedback: `GET .../paragraphs/{paragraph}/feedback`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Thread {
    pub consensus: ParagraphConsensus,
    /// Oldest first; replies follow their comment.
    pub comments: Vec<Comment>,
    pub objections: Vec<Objection>,
    pub your_stance: Option<YourStance>,
    /// Whether the viewer may comment in the document's phase.
    pub you_may_comment: bool,
    /// Whether the viewer may state a stance in the document's phase.
    #[serde(default)]
    pub you_may_state_stance: bool,
    /// Whether the viewer may respond and moderate (a chair).
    pub you_may_moderate: bool,
    /// The stances the document's phase takes (in last call, only an objection).
    #[serde(default)]
    pub stances_taken: Vec<Stance>,
    /// Whether the viewer is signed in (a signed-in person who may not take part is not asked
    /// to sign in).
    #[serde(default)]
    pub signed_in: bool,
}

/// The consensus map of a document: `GET /api/v1/documents/{id}/feedback`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DocumentFeedback {
    /// One entry per live paragraph, in document order.
    pub paragraphs: Vec<ParagraphConsensus>,
    pub balance: Balance,
}

// ---- Amendments ----

pub use crate::diff::Piece;

/// One change an amendment proposes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum AmendmentEdit {
    /// New wording for a paragraph.
    Replace { paragraph: String, text: String },
    /// A new paragraph after `after` (at the top when absent); of the kind of the paragraph
    /// before it (a numbered one after a heading) unless `paragraph_kind` says.
    Insert {
        #[serde(default)]
        after: Option<String>,
        #[serde(default)]
        paragraph_kind: Option<ParagraphKind>,
        text: String,
    },
    /// Delete a paragraph.
    Delete { paragraph: String },
}

/// Body of `POST /api/v1/documents/{id}/amendments`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAmendment {
    /// The document heads (hex) the amendment was written against.
    pub base: Vec<String>,
    pub edits: Vec<AmendmentEdit>,
    pub rationale: String,
}

/// Where an amendment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum AmendmentStatus {
    Open,
    Accepted,
    AcceptedWithModification,
    Rejected,
    Withdrawn,
    Superseded,
}

impl AmendmentStatus {
    pub const ALL: [AmendmentStatus; 6] = [
        Self::Open,
        Self::Accepted,
        Self::AcceptedWithModification,
        Self::Rejected,
        Self::Withdrawn,
        Self::Superseded,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Accepted => "accepted",
            Self::AcceptedWithModification => "accepted-with-modification",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
            Self::Superseded => "superseded",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The words shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Open",
            Self::Accepted => "Accepted",
            Self::AcceptedWithModification => "Accepted with modification",
            Self::Rejected => "Rejected",
            Self::Withdrawn => "Withdrawn",
            Self::Superseded => "Superseded",
        }
    }
}

/// What a chair decides on an amendment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Accept,
    Reject,
    Supersede,
}

/// Body of `POST /api/v1/documents/{id}/amendments/{amendment}/decision`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Decide {
    pub decision: Verdict,
    pub reason: String,
    /// Accepting with modification: the wording the chair adopts, merged on top of the
    /// amendment's own changes. Only with `accept`.
    #[serde(default)]
    pub wording: Option<Wording>,
}

/// A chair's adjusted wording, written against the heads (hex) the chair read the text at;
/// each edit's `replace` text is the paragraph as it should read after the merge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Wording {
    pub base: Vec<String>,
    pub edits: Vec<AmendmentEdit>,
}

/// Query of `GET /api/v1/documents/{id}/amendments`: both filters are optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema, utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct AmendmentFilter {
    /// Only amendments with this status (`open`, `accepted`, …).
    #[serde(default)]
    pub status: Option<String>,
    /// Only amendments that change this paragraph.
    #[serde(default)]
    pub paragraph: Option<String>,
}

/// How participants stand on an amendment: the figures, broken down as for paragraphs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Support {
    pub tally: Tally,
    pub level: Level,
    pub by_group: Vec<GroupTally>,
    pub by_region: Vec<RegionTally>,
    pub supporting_groups: u32,
    pub flags: Vec<Flag>,
}

impl From<ParagraphConsensus> for Support {
    fn from(c: ParagraphConsensus) -> Self {
        Self {
            tally: c.tally,
            level: c.level,
            by_group: c.by_group,
            by_region: c.by_region,
            supporting_groups: c.supporting_groups,
            flags: c.flags,
        }
    }
}

/// One paragraph an amendment changes, word by word against its text at the base.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AmendedParagraph {
    pub paragraph: String,
    pub diff: Vec<Piece>,
    /// For an open amendment: what accepting it now would do, word by word against the
    /// current text.
    #[serde(default)]
    pub now: Option<Vec<Piece>>,
    /// The paragraph before it in the amended text: where a new one goes.
    #[serde(default)]
    pub follows: Option<String>,
    /// For an accepted amendment: the wording adopted (as proposed, or as the chair modified
    /// it); empty when the paragraph was deleted.
    #[serde(default)]
    pub adopted: Option<String>,
}

/// Words an amendment changes that were changed since it was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AmendmentConflict {
    pub paragraph: String,
    pub base: String,
    pub amended: String,
    pub current: String,
}

/// A chair's decision as shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DecisionView {
    pub by: String,
    pub reason: String,
    pub at: i64,
}

/// How the viewer stands to an amendment they put their name to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Involvement {
    Proposer,
    Sponsor,
}

/// An amendment as everyone sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AmendmentView {
    pub id: i64,
    pub proposer: String,
    pub rationale: String,
    pub status: AmendmentStatus,
    pub base: Vec<String>,
    pub paragraphs: Vec<AmendedParagraph>,
    /// For an open amendment: whether the words it changes are as they were at its base.
    pub applies_cleanly: bool,
    pub conflicts: Vec<AmendmentConflict>,
    pub created_at: i64,
    pub decision: Option<DecisionView>,
    /// Display names of those who co-sponsor it, in the order they joined.
    #[serde(default)]
    pub sponsors: Vec<String>,
    /// Whether the viewer proposed it or co-sponsors it.
    #[serde(default)]
    pub you: Option<Involvement>,
    #[serde(default)]
    pub support: Support,
    /// The viewer's own stance on it.
    #[serde(default)]
    pub your_stance: Option<YourStance>,
    /// The document heads (hex) the `now` differences were computed at: what a chair's
    /// adjusted wording, written from them, is based on.
    #[serde(default)]
    pub heads: Vec<String>,
    /// The server could not read what the amendment changes (its stored branch does not fit
    /// the text): it is listed, marked, with nothing to compare, support or decide.
    #[serde(default)]
    pub unreadable: bool,
}

// ---- Versions ----

pub use crate::compare::{Aligned, Change};

/// Body of `POST /api/v1/documents/{id}/versions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewVersion {
    /// `draft-01`, `final`: lower-case letters, digits, `.` and `-`.
    pub name: String,
    /// What changed since the last version.
    pub summary: String,
}

/// Body of `POST /api/v1/documents/{id}/endorsements`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Endorse {
    /// The organisation endorsing through the signed-in person; absent or empty for oneself.
    #[serde(default)]
    pub on_behalf_of: Option<String>,
}

/// One endorsement of a closed document's final text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Endorsement {
    pub name: String,
    pub affiliation: String,
    pub on_behalf_of: Option<String>,
    /// Unix seconds.
    pub at: i64,
}

impl Endorsement {
    /// How it is listed: "Ana Silva, on behalf of ISOC" or "Ana Silva (ISOC)".
    pub fn line(&self) -> String {
        match (&self.on_behalf_of, self.affiliation.is_empty()) {
            (Some(org), _) => format!("{}, on behalf of {org}", self.name),
            (None, false) => format!("{} ({}), personally", self.name, self.affiliation),
            (None, true) => self.name.clone(),
        }
    }
}

/// The endorsements of a document and what the viewer may do: `GET …/endorsements`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Endorsements {
    /// Oldest first.
    pub endorsements: Vec<Endorsement>,
    pub you_may_endorse: bool,
    /// The viewer's own endorsement, if any.
    pub yours: Option<Endorsement>,
}

pub use crate::compare::Step;

/// One paragraph through the versions, and what shaped it: `GET
/// /api/v1/documents/{id}/paragraphs/{paragraph}/history`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ParagraphHistory {
    pub paragraph: String,
    /// Every version it was in (and the one that deleted it), then the text now; oldest first.
    pub steps: Vec<Step>,
    /// The amendments that changed or would have changed it, with their outcomes.
    pub amendments: Vec<AmendmentView>,
    /// The comments on it a chair responded to, with the response.
    pub answered: Vec<Comment>,
    /// The objections to it a chair responded to.
    pub objections: Vec<Objection>,
}

pub mod archive;
pub use archive::{
    Archive, ArchivedAccount, ArchivedAmendment, ArchivedAmendmentStance, ArchivedComment,
    ArchivedDecision, ArchivedDocument, ArchivedEdit, ArchivedEndorsement, ArchivedGroup,
    ArchivedHiding, ArchivedModification, ArchivedPhaseMove, ArchivedPublication, ArchivedResponse,
    ArchivedSetAside, ArchivedSponsor, ArchivedStance, ArchivedVersion, ARCHIVE_FORMAT,
    ARCHIVE_VERSION,
};

/// A version as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct VersionSummary {
    pub name: String,
    pub summary: String,
    pub heads: Vec<String>,
    /// Who cut it (display name) and when (Unix seconds).
    pub by: String,
    pub at: i64,
}

/// A version with its text: `GET /api/v1/documents/{id}/versions/{name}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Version {
    #[serde(flatten)]
    pub about: VersionSummary,
    pub title: String,
    pub paragraphs: Vec<Paragraph>,
}

/// Two versions compared: `GET /api/v1/documents/{id}/compare?from=&to=` (`current`: the
/// text now).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Comparison {
    pub from: String,
    pub to: String,
    pub rows: Vec<Aligned>,
}

/// Query of `GET /api/v1/documents/{id}/compare`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema, utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct CompareQuery {
    /// A version's name, or `current`.
    pub from: String,
    /// A version's name, or `current`.
    pub to: String,
}

/// Query of `GET /api/v1/search`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema, utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// The words to find (2 to 100 characters), case ignored.
    pub q: String,
}

/// Query of `GET /api/v1/documents/{id}/sync`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema, utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct SyncQuery {
    /// Watch instead of sync: the connection is sent no text, only news (`edited`, `feedback`,
    /// `phase`, people coming and going), and sends no sync messages. What a page that shows
    /// the text rendered by the server needs to stay current, at a few bytes per change.
    #[serde(default)]
    pub watch: bool,
}

/// Query of `GET /api/v1/documents/{id}/export`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema, utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `markdown`, `html`, `text` or `docx`.
    pub format: String,
    /// A version's name; the text now when absent (a chair's export: it is not published).
    #[serde(default)]
    pub version: Option<String>,
}

/// Query of `GET /api/v1/documents/{id}/report`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema, utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// `html` or `docx`.
    pub format: String,
}

/// Accounts with stances on a document that were registered from one address within minutes of
/// each other (`GET /api/v1/documents/{id}/bursts`, for the chairs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Burst {
    /// Which address, as a letter ("A", "B", …) that is the same across this answer; the
    /// address itself is not shown.
    pub address: String,
    pub accounts: Vec<BurstAccount>,
}

/// An account of a [`Burst`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BurstAccount {
    pub id: String,
    /// The name the account goes by; its stakeholder group and region are not shown, as
    /// registration promises them only in aggregate.
    pub display_name: String,
    /// When it was registered, seconds since the epoch.
    pub registered_at: i64,
    /// Whether the chairs set its stances on this document aside.
    pub set_aside: bool,
    /// Its current stances on the document's paragraphs and amendments.
    pub stances: i64,
}

/// Body of `POST /api/v1/documents/{id}/stances-aside`: set these accounts' stances on the
/// document aside (or, with `count_again`, count them again), for a reason the record keeps.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetStancesAside {
    pub accounts: Vec<String>,
    pub reason: String,
    #[serde(default)]
    pub count_again: bool,
}

/// One item of a new session's agenda.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAgendaItem {
    pub kind: crate::session::ItemKind,
    /// The paragraph's or the amendment's id, or the question's words.
    pub target: String,
}

/// Body of `POST /api/v1/documents/{id}/sessions`: a chair schedules a live session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScheduleSession {
    pub title: String,
    /// When it starts (seconds since the epoch); now when absent.
    #[serde(default)]
    pub starts_at: Option<i64>,
    pub items: Vec<NewAgendaItem>,
    /// The account that facilitates, besides the group's chairs.
    #[serde(default)]
    pub facilitator: Option<String>,
    /// The account that records what the room says and shows without a device.
    #[serde(default)]
    pub rapporteur: Option<String>,
    /// A deliberative poll's questions, asked before the session and again after it.
    #[serde(default)]
    pub poll: Vec<String>,
}

/// An agenda item as shown: what it is about, and its words now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AgendaItem {
    pub id: String,
    pub kind: crate::session::ItemKind,
    pub target: String,
    /// The paragraph's text or the amendment's proposed text as they stand, or the question.
    pub text: String,
}

/// A check of the sense of the room, open or closed, with its figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Check {
    pub id: String,
    pub item: String,
    pub opened_at: i64,
    /// When the countdown its facilitator gave it runs out, if one was given: the projector
    /// counts down to it; the facilitator still closes the check.
    pub ends_at: Option<i64>,
    pub closed_at: Option<i64>,
    /// The item's text when the check closed.
    pub item_text: Option<String>,
    pub figures: crate::session::CheckFigures,
}

/// What the viewer is and may do in a session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct YouInSession {
    pub part: Option<crate::session::Part>,
    pub may_run: bool,
    pub may_record: bool,
    pub may_take_part: bool,
    /// The viewer's stance in the open check, if any.
    pub stance: Option<crate::consensus::Stance>,
}

/// A live session as a document lists it: `GET /api/v1/documents/{id}/sessions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LiveSessionSummary {
    pub id: String,
    pub title: String,
    pub starts_at: i64,
}

/// A live session: `GET /api/v1/live/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LiveSession {
    pub id: String,
    pub document: String,
    pub title: String,
    pub starts_at: i64,
    pub items: Vec<AgendaItem>,
    /// The id of the item on every screen.
    pub current: Option<String>,
    /// Oldest first; at most one open, the last.
    pub checks: Vec<Check>,
    /// Every hand raised, in the order raised: waiting, called or lowered.
    pub queue: Vec<QueuedHand>,
    /// The waiting hand to call next for a balanced floor (its id): from the stakeholder
    /// group heard least, raised first.
    pub suggested: Option<String>,
    /// Comments from the floor, as the rapporteur noted them.
    pub floor: Vec<FloorComment>,
    /// The items a chair marked as points of consensus, in agenda order.
    pub points: Vec<ConsensusPoint>,
    pub poll: Poll,
    pub you: YouInSession,
}

impl LiveSession {
    /// The session as everyone sees it now (`self`, from the stream all screens follow) with
    /// what only the viewer sees, from `mine`, their own last view: their powers, their hand,
    /// their poll answers, and their stance if the open check is still the one they took it in.
    pub fn seen_by(mut self, mine: &LiveSession) -> LiveSession {
        let open = |s: &LiveSession| {
            s.checks
                .iter()
                .find(|c| c.closed_at.is_none())
                .map(|c| c.id.clone())
        };
        let same_check = open(&self).is_some() && open(&self) == open(mine);
        self.you = YouInSession {
            stance: mine.you.stance.filter(|_| same_check),
            ..mine.you.clone()
        };
        for hand in &mut self.queue {
            hand.yours = mine.queue.iter().any(|h| h.id == hand.id && h.yours);
        }
        for q in &mut self.poll.questions {
            if let Some(m) = mine.poll.questions.iter().find(|m| m.id == q.id) {
                q.yours_before = m.yours_before;
                q.yours_after = m.yours_after;
            }
        }
        self
    }
}

/// A session's deliberative poll: the round open now, and per question how the answers of
/// those who answered both times moved (everyone, then each stakeholder group).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Poll {
    pub round: Option<crate::session::PollRound>,
    pub questions: Vec<PollQuestion>,
}

/// One poll question with its movement and the viewer's answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PollQuestion {
    pub id: String,
    pub text: String,
    pub movement: Vec<crate::session::Movement>,
    pub yours_before: Option<u8>,
    pub yours_after: Option<u8>,
}

/// Body of `PUT /api/v1/live/{id}/poll`: whoever runs the session opens a round of the poll,
/// or closes it (`null`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetPollRound {
    pub round: Option<crate::session::PollRound>,
}

/// One answer: a question's id and a value on the poll's scale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PollAnswerBody {
    pub question: String,
    pub value: u8,
}

/// Body of `PUT /api/v1/live/{id}/poll/answers`: one's answers in the open round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AnswerPoll {
    pub round: crate::session::PollRound,
    pub answers: Vec<PollAnswerBody>,
}

/// A hand in a session's speaking queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct QueuedHand {
    pub id: String,
    pub name: String,
    pub group: Option<crate::profile::StakeholderGroup>,
    pub source: crate::session::Source,
    pub raised_at: i64,
    /// When the facilitator gave them the floor; their time runs from here.
    pub called_at: Option<i64>,
    pub lowered_at: Option<i64>,
    /// Whether it is the viewer's own hand.
    pub yours: bool,
}

/// A comment from the floor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FloorComment {
    pub id: String,
    pub item: String,
    pub body: String,
    /// Who said it, as the rapporteur named them; none when anonymous.
    pub speaker: Option<String>,
    pub group: Option<crate::profile::StakeholderGroup>,
    pub at: i64,
}

/// An item on which a chair found rough consensus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ConsensusPoint {
    pub item: String,
    pub reason: String,
    pub at: i64,
}

/// Body of `POST /api/v1/live/{id}/queue`: one's own hand (no fields but `in_room`), or, from
/// the rapporteur, someone without a device by name and stakeholder group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RaiseHand {
    #[serde(default)]
    pub in_room: bool,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub group: Option<crate::profile::StakeholderGroup>,
}

/// Body of `POST /api/v1/live/{id}/queue/{hand}`: call the hand to speak, or lower it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SettleHand {
    pub call: bool,
}

/// Body of `POST /api/v1/live/{id}/floor`: the rapporteur notes a comment from the floor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NoteFloorComment {
    pub item: String,
    pub body: String,
    #[serde(default)]
    pub speaker: Option<String>,
    #[serde(default)]
    pub group: Option<crate::profile::StakeholderGroup>,
}

/// Body of `PUT /api/v1/live/{id}/points`: a chair marks an item a point of consensus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MarkPoint {
    pub item: String,
    pub reason: String,
}

/// Body of `PUT /api/v1/sessions/{id}/current`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MoveToItem {
    pub item: String,
}

/// Body of `POST /api/v1/live/{id}/checks` (optional): a countdown for the room, in seconds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OpenCheck {
    #[serde(default)]
    pub seconds: Option<u32>,
}

/// Body of `PUT /api/v1/sessions/{id}/checks/{check}/stance`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckStanceBody {
    pub stance: crate::consensus::Stance,
    /// Why, for an objection.
    #[serde(default)]
    pub reason: Option<String>,
    /// Given on a phone in the room rather than online.
    #[serde(default)]
    pub in_room: bool,
}

/// Body of `PUT /api/v1/sessions/{id}/checks/{check}/hands`: the rapporteur's count of one
/// stakeholder group's hands (none: people who did not say).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HandsBody {
    #[serde(default)]
    pub group: Option<crate::profile::StakeholderGroup>,
    pub support: u32,
    pub can_live_with: u32,
    pub oppose: u32,
}

pub use crate::series::Condition;

/// The installation's series of published outputs: `GET`/`PUT /api/v1/series` (an admin sets it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Series {
    /// What the series is called: "IGF Outputs".
    pub name: String,
    /// What goes before every number: `IGF-O` makes `IGF-O 12`.
    pub prefix: String,
    /// The statuses a chair may give a text, in the order they are offered.
    pub statuses: Vec<String>,
}

/// What a consultation must show before its text is published: a group's rule
/// (`GET`/`PUT /api/v1/groups/{group}/threshold`). A condition left at 0 (or false) is not asked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// No objection left without a chair's response.
    #[serde(default)]
    pub no_unanswered_objections: bool,
    /// At least this many of the stakeholder groups that took part stand with the text (their
    /// support and can-live-with outnumber their objections).
    #[serde(default)]
    pub groups_with_text: u32,
    /// At least this many participants (people with a counted stance or a comment) ...
    #[serde(default)]
    pub participants: u32,
    /// ... from at least this many regions.
    #[serde(default)]
    pub regions: u32,
    /// The text open to everyone (consultation and last call) at least this many days.
    #[serde(default)]
    pub consultation_days: u32,
}

/// A group's threshold rule with who set it last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ThresholdView {
    pub rule: Threshold,
    pub set_by: Option<String>,
    pub set_at: Option<i64>,
    pub you_may_set: bool,
}

/// One condition of a rule against a consultation's figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ConditionResult {
    pub condition: Condition,
    /// What the rule asks (for the objections: 0 left unanswered).
    pub required: u32,
    /// What the consultation shows.
    pub found: u32,
    pub met: bool,
}

/// A rule evaluated against a consultation: every condition it asks, met or not.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Evaluation {
    pub rule: Threshold,
    pub conditions: Vec<ConditionResult>,
    /// Every condition met (true for a rule that asks nothing).
    pub met: bool,
}

/// Body of `POST /api/v1/documents/{id}/publication`: a chair publishes the closed text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Publish {
    /// One of the series' statuses.
    pub status: String,
    /// Earlier numbers this text updates (corrects or adds to) ...
    #[serde(default)]
    pub updates: Vec<u32>,
    /// ... and earlier numbers it replaces.
    #[serde(default)]
    pub obsoletes: Vec<u32>,
    /// Why the text is published though a condition of the rule is not met; required then.
    #[serde(default)]
    pub override_reason: Option<String>,
}

/// A published output as the index lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OutputSummary {
    pub number: u32,
    /// The prefix and the number as cited: `IGF-O 12`.
    pub label: String,
    pub title: String,
    pub status: String,
    /// The publishing group's name.
    pub group: String,
    pub published_at: i64,
    pub updates: Vec<u32>,
    pub obsoletes: Vec<u32>,
    /// Later numbers that update this one ...
    pub updated_by: Vec<u32>,
    /// ... and later numbers that replace it.
    pub obsoleted_by: Vec<u32>,
}

/// One published output with its text: `GET /api/v1/outputs/{number}`. Never changes, but for
/// the later numbers that point back at it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Output {
    pub summary: OutputSummary,
    /// The series' name when it was published.
    pub series: String,
    /// The consultation it came from.
    pub document: String,
    pub language: Language,
    pub published_by: String,
    /// SHA-256 of the published text as Markdown, in hex; the decision record holds it too.
    pub text_hash: String,
    pub evaluation: Evaluation,
    /// Set when a chair published though the rule was not met.
    pub override_reason: Option<String>,
    /// Who endorsed the text when it was published.
    pub endorsements: Vec<String>,
    pub text: crate::Outline,
}

/// The index of published outputs: `GET /api/v1/outputs`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Outputs {
    pub series: Series,
    pub outputs: Vec<OutputSummary>,
}

/// What a chair reads before publishing: `GET /api/v1/documents/{id}/publication`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Publication {
    pub series: Series,
    /// The number the document became, once published.
    pub published: Option<OutputSummary>,
    /// The rule that applies (fixed when the consultation opened) against the figures now.
    pub evaluation: Evaluation,
    /// Whether the reader may publish it now (a chair, the document closed, not yet published).
    pub may_publish: bool,
    /// The numbers it may update or obsolete.
    pub earlier: Vec<OutputSummary>,
}

/// Query of `GET /api/v1/outputs`: every field optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema, utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct OutputsQuery {
    /// Words of the title, the group, the number or the status.
    #[serde(default)]
    pub q: Option<String>,
    /// One of the series' statuses.
    #[serde(default)]
    pub status: Option<String>,
    /// A group's name.
    #[serde(default)]
    pub group: Option<String>,
}

/// Query of `GET /api/v1/outputs/{number}/citation`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema, utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct CitationQuery {
    /// `text`, `bibtex` or `csl`.
    pub format: String,
}
