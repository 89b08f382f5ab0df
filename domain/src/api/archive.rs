//! A document's archive: what a chair downloads (`GET /api/v1/documents/{id}/archive`) and an
//! admin restores in another installation (`POST /api/v1/archives`).
//!
//! Format 2 ([`Archive`]) is the domain as the API knows it, not the tables it is stored in: the
//! automerge document saved whole, the document's schedule, its comments (with their earlier
//! wordings, hidden state and responses), every stance ever stated on a paragraph (with the
//! responses to objections) or on an amendment, the amendments (their branch bytes, sponsors,
//! decisions and a chair's modification), the versions, the decision record and the
//! endorsements, and the people these name. A person is named by a key the archive's parts share
//! (their account id where it was written); a restore never looks that key up, it creates a new
//! account for each person, with nothing to sign in with. People carry their display name,
//! affiliation, stakeholder group and region, what the figures are broken down by and the pages
//! show; never their gender or age band, which registration promises to show only in aggregate.
//! Numbers (of comments, stance entries, amendments) are the ones the record's words use where
//! the archive was written; a restore gives new ones.
//!
//! A restore only ever creates: the archived document with its rows, an account per person, and
//! the group if this installation has none of that id, with the archive's members in their
//! roles. A group of that id that is here already takes the document and keeps its members as
//! they are: nobody here gains or loses a role by a restore. Restored people have stated no
//! gender, so the balance by gender of a restored document counts them as not stated; every
//! other figure is as it was.
//!
//! Format 1 ([`first`]) was a copy of the stored rows, table by table; a restore still reads it,
//! by turning it into format 2 first.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use super::{
    AmendmentStatus, Anchor, Disposition, GroupKind, Paragraph, RecordEntry, Region, Role,
    Schedule, StakeholderGroup, Stance,
};

/// What the archive format is called in every archive.
pub const ARCHIVE_FORMAT: &str = "accord-archive";
/// The archive format version this build writes; it reads this one and every earlier one.
/// Version 3 is version 2 with each account's [`ArchivedAccount::confirmed`] and
/// [`ArchivedAccount::set_aside`], which a version 2 archive reads as confirmed and not set
/// aside (everyone's stances counted before either existed). Version 4 adds the series:
/// [`Archive::threshold`], [`Archive::phase_moves`] and [`Archive::publication`], which an
/// earlier archive reads as none.
pub const ARCHIVE_VERSION: u32 = 4;

/// A document's complete archive, format 2. Lists are in the order things happened (oldest
/// first), which a restore keeps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Archive {
    /// Always [`ARCHIVE_FORMAT`].
    pub format: String,
    /// [`ARCHIVE_VERSION`] when written.
    pub version: u32,
    /// Unix seconds.
    pub exported_at: i64,
    pub group: ArchivedGroup,
    pub document: ArchivedDocument,
    /// The automerge document, saved whole, base64.
    pub automerge: String,
    /// Its heads (hex), to check the bytes on restore.
    pub heads: Vec<String>,
    /// Everyone the rest names, and the members of the document's group.
    pub accounts: Vec<ArchivedAccount>,
    pub comments: Vec<ArchivedComment>,
    /// Every stance ever stated on a paragraph; each person's latest on a paragraph counts.
    pub stances: Vec<ArchivedStance>,
    pub amendments: Vec<ArchivedAmendment>,
    pub versions: Vec<ArchivedVersion>,
    /// The decision record, hash-chained as written (a restore verifies the chain).
    pub record: Vec<RecordEntry>,
    pub endorsements: Vec<ArchivedEndorsement>,
    /// The threshold rule the consultation opened under.
    #[serde(default)]
    pub threshold: Option<super::Threshold>,
    /// Every phase the document entered, with when (how long it was open to everyone).
    #[serde(default)]
    pub phase_moves: Vec<ArchivedPhaseMove>,
    /// The number of the series the text was published as.
    #[serde(default)]
    pub publication: Option<ArchivedPublication>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchivedPhaseMove {
    pub phase: crate::phase::Phase,
    pub at: i64,
}

/// A published number with everything it holds; a restore writes it under the same number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchivedPublication {
    pub number: u32,
    pub prefix: String,
    pub series: String,
    pub status: String,
    pub group_name: String,
    pub language: crate::profile::Language,
    pub published_at: i64,
    /// Who published it, as named then.
    pub published_by: String,
    pub text: crate::Outline,
    /// SHA-256 of the text as Markdown (a restore checks it).
    pub text_hash: String,
    pub evaluation: super::Evaluation,
    pub override_reason: Option<String>,
    pub endorsements: Vec<String>,
    pub updates: Vec<u32>,
    pub obsoletes: Vec<u32>,
}

/// The group that owned the document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchivedGroup {
    pub id: String,
    pub name: String,
    pub kind: GroupKind,
}

/// The document itself, besides its text (which is in the automerge document).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchivedDocument {
    pub id: String,
    /// RFC 3339 in UTC.
    pub created_at: String,
    /// When the text last changed, RFC 3339 in UTC.
    pub updated_at: String,
    /// The phase it was in and its deadline.
    pub schedule: Schedule,
}

/// A person as an archive carries them: no login, no password, nothing to sign in with, and no
/// gender or age band.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchivedAccount {
    /// The key the archive's other parts name this person by. Never an account here: a restore
    /// makes a new account of each person.
    pub id: String,
    pub display_name: String,
    pub affiliation: String,
    pub stakeholder_group: StakeholderGroup,
    pub region: Region,
    /// Their role in the document's group, if a member.
    pub role: Option<Role>,
    /// The automerge actors that wrote as them.
    pub actors: Vec<String>,
    /// Whether their address was confirmed, so that their stances counted.
    #[serde(default = "counted")]
    pub confirmed: bool,
    /// Whether the chairs set their stances on the document aside, by whom, why and when.
    #[serde(default)]
    pub set_aside: Option<ArchivedSetAside>,
}

fn counted() -> bool {
    true
}

/// The chairs' setting aside of one person's stances.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchivedSetAside {
    /// The chair's name, as the record gives it.
    pub by: String,
    pub reason: String,
    /// Unix seconds.
    pub at: i64,
}

/// A comment or a reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchivedComment {
    /// Its number where the archive was written; a reply names its comment by it.
    pub id: i64,
    pub paragraph: String,
    /// The comment this replies to.
    pub parent: Option<i64>,
    /// An [`ArchivedAccount::id`].
    pub author: String,
    pub body: String,
    /// The words commented on, if a selection.
    pub anchor: Option<Anchor>,
    /// Unix seconds.
    pub created_at: i64,
    pub edited_at: Option<i64>,
    /// What it said before each of its author's edits, oldest first.
    pub edits: Vec<ArchivedEdit>,
    pub hidden: Option<ArchivedHiding>,
    /// Chairs' responses, oldest first; the last one counts.
    pub responses: Vec<ArchivedResponse>,
}

/// A comment's wording before an edit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchivedEdit {
    pub body: String,
    /// When the edit replaced it.
    pub replaced_at: i64,
}

/// A moderator hid a comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchivedHiding {
    pub reason: String,
    /// An [`ArchivedAccount::id`].
    pub by: String,
    pub at: i64,
}

/// A chair's response to a comment or an objection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchivedResponse {
    pub disposition: Disposition,
    pub reason: String,
    /// An [`ArchivedAccount::id`].
    pub by: String,
    pub at: i64,
}

/// A stance stated on a paragraph: an entry of the history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchivedStance {
    /// Its number where the archive was written (an objection is named by it).
    pub id: i64,
    pub paragraph: String,
    /// An [`ArchivedAccount::id`].
    pub account: String,
    pub stance: Stance,
    pub reason: Option<String>,
    pub at: i64,
    /// Chairs' responses to it as an objection, oldest first; the last one counts.
    pub responses: Vec<ArchivedResponse>,
}

/// An amendment: the branch a proposal made, and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchivedAmendment {
    /// Its number where the archive was written (the record's words name it so).
    pub id: i64,
    /// An [`ArchivedAccount::id`].
    pub proposer: String,
    pub rationale: String,
    /// The heads (hex) it was written against.
    pub base: Vec<String>,
    /// Its changes since the base (automerge `save_after`), base64.
    pub changes: String,
    /// The actor that wrote them (hex).
    pub actor: String,
    pub status: AmendmentStatus,
    pub created_at: i64,
    /// For any amendment that is not open: who decided (or withdrew), when and why.
    pub decision: Option<ArchivedDecision>,
    /// Co-sponsors besides the proposer.
    pub sponsors: Vec<ArchivedSponsor>,
    /// Every stance ever stated on it; each person's latest counts.
    pub stances: Vec<ArchivedAmendmentStance>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchivedDecision {
    /// An [`ArchivedAccount::id`].
    pub by: String,
    pub at: i64,
    pub reason: String,
    /// A chair's adjustment when accepting with modification.
    pub modification: Option<ArchivedModification>,
}

/// The changes a chair merged on top of an amendment's own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchivedModification {
    /// base64.
    pub changes: String,
    /// The actor that wrote them (hex).
    pub actor: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchivedSponsor {
    /// An [`ArchivedAccount::id`].
    pub account: String,
    pub at: i64,
}

/// A stance stated on an amendment: an entry of its history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchivedAmendmentStance {
    /// An [`ArchivedAccount::id`].
    pub account: String,
    pub stance: Stance,
    pub reason: Option<String>,
    pub at: i64,
}

/// A version as cut: its heads and the text then.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchivedVersion {
    pub name: String,
    pub summary: String,
    pub heads: Vec<String>,
    pub title: String,
    pub paragraphs: Vec<Paragraph>,
    /// An [`ArchivedAccount::id`].
    pub by: String,
    pub at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchivedEndorsement {
    /// An [`ArchivedAccount::id`].
    pub account: String,
    pub on_behalf_of: Option<String>,
    pub at: i64,
}

/// Format 1: the stored rows of each table, as JSON objects column by column (blobs as
/// `{"base64": …}`), with the people they name. Only read, to restore archives written before
/// format 2; each table's rows have the columns the schema had then.
pub mod first {
    use serde::Deserialize;

    use super::{AmendmentStatus, Disposition, Stance};

    #[derive(Clone, Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Archive {
        pub format: String,
        pub version: u32,
        pub exported_at: i64,
        pub group: Group,
        pub automerge: String,
        pub heads: Vec<String>,
        pub accounts: Vec<Account>,
        /// Table name → rows.
        pub tables: Vec<(String, Vec<serde_json::Map<String, serde_json::Value>>)>,
    }

    #[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Group {
        pub id: String,
        pub name: String,
        pub kind: String,
    }

    /// A person as format 1 carried them: their account id here was their key, and their
    /// gender and age band came along (a restore leaves both behind).
    #[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Account {
        pub id: String,
        pub display_name: String,
        pub affiliation: String,
        pub stakeholder_group: String,
        pub region: String,
        pub gender: Option<String>,
        pub age_band: Option<String>,
        pub role: Option<String>,
        pub actors: Vec<String>,
    }

    /// A blob column's value.
    #[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Blob {
        pub base64: String,
    }

    /// The tables format 1 carried, in the order it wrote them.
    pub const TABLES: &[&str] = &[
        "documents",
        "comments",
        "comment_edits",
        "stance_history",
        "stances",
        "responses",
        "amendments",
        "amendment_sponsors",
        "amendment_stance_history",
        "amendment_stances",
        "decision_record",
        "versions",
        "endorsements",
    ];

    #[derive(Clone, Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct DocumentRow {
        pub id: String,
        pub group_id: String,
        pub title: String,
        pub paragraphs: i64,
        pub created_at: String,
        pub updated_at: String,
        pub phase: String,
        #[serde(default)]
        pub deadline: Option<i64>,
    }

    #[derive(Clone, Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct CommentRow {
        pub id: i64,
        pub document_id: String,
        pub paragraph_id: String,
        #[serde(default)]
        pub parent_id: Option<i64>,
        pub author_id: String,
        pub body: String,
        #[serde(default)]
        pub anchor_first: Option<String>,
        #[serde(default)]
        pub anchor_last: Option<String>,
        pub created_at: i64,
        #[serde(default)]
        pub edited_at: Option<i64>,
        #[serde(default)]
        pub hidden_reason: Option<String>,
        #[serde(default)]
        pub hidden_by: Option<String>,
        #[serde(default)]
        pub hidden_at: Option<i64>,
    }

    #[derive(Clone, Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct CommentEditRow {
        pub comment_id: i64,
        pub body: String,
        pub replaced_at: i64,
    }

    #[derive(Clone, Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct StanceEntryRow {
        pub id: i64,
        pub document_id: String,
        pub paragraph_id: String,
        pub account_id: String,
        pub stance: Stance,
        #[serde(default)]
        pub reason: Option<String>,
        pub created_at: i64,
    }

    #[derive(Clone, Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct CurrentStanceRow {
        pub document_id: String,
        pub paragraph_id: String,
        pub account_id: String,
        pub entry_id: i64,
    }

    #[derive(Clone, Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ResponseRow {
        pub id: i64,
        pub document_id: String,
        #[serde(default)]
        pub comment_id: Option<i64>,
        #[serde(default)]
        pub stance_id: Option<i64>,
        pub disposition: Disposition,
        pub reason: String,
        pub chair_id: String,
        pub created_at: i64,
    }

    #[derive(Clone, Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct AmendmentRow {
        pub id: i64,
        pub document_id: String,
        pub proposer_id: String,
        pub rationale: String,
        pub base: String,
        pub changes: Blob,
        pub actor: String,
        pub status: AmendmentStatus,
        pub created_at: i64,
        #[serde(default)]
        pub decided_by: Option<String>,
        #[serde(default)]
        pub decided_at: Option<i64>,
        #[serde(default)]
        pub decision_reason: Option<String>,
        #[serde(default)]
        pub modification: Option<Blob>,
        #[serde(default)]
        pub modification_actor: Option<String>,
    }

    #[derive(Clone, Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct SponsorRow {
        pub amendment_id: i64,
        pub account_id: String,
        pub created_at: i64,
    }

    /// A row of `amendment_stances` (the current stance) or of `amendment_stance_history`.
    #[derive(Clone, Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct AmendmentStanceRow {
        pub amendment_id: i64,
        pub account_id: String,
        pub stance: Stance,
        #[serde(default)]
        pub reason: Option<String>,
        pub stated_at: i64,
    }

    #[derive(Clone, Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct RecordRow {
        pub document_id: String,
        pub seq: i64,
        pub at: i64,
        pub actor: String,
        pub kind: String,
        pub summary: String,
        pub reason: String,
        /// Hex, comma-separated.
        pub heads: String,
        pub prev: String,
        pub hash: String,
    }

    #[derive(Clone, Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct VersionRow {
        pub document_id: String,
        pub name: String,
        pub summary: String,
        /// Hex, comma-separated.
        pub heads: String,
        /// The text then, as JSON (`document::Outline`).
        pub outline: String,
        pub created_by: String,
        pub created_at: i64,
    }

    #[derive(Clone, Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct EndorsementRow {
        pub document_id: String,
        pub account_id: String,
        #[serde(default)]
        pub on_behalf_of: Option<String>,
        pub created_at: i64,
    }
}
