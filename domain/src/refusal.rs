//! Every way Accord says no to a request, as one typed value: a stable code per case with its
//! parameters. This file is the one place where a refusal gets its HTTP status
//! ([`Refusal::status`]) and its words ([`Refusal::message`]); the API sends both (the code
//! for programs, the words for people) and the pages show the words beside the form.
//!
//! A code is the variant's name in kebab case (`CommentTooLong` would be `comment-too-long`):
//! renaming a variant changes the wire, and a test lists them all.

use crate::{
    phase::Phase,
    policy::{Action, Role},
    time,
};

/// A field of a form, named in a refusal about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum Field {
    Comment,
    Reason,
    Rationale,
    ChangeSummary,
    Organisation,
    Title,
    Login,
    DisplayName,
    Affiliation,
    GroupName,
    Question,
    /// A series' name.
    SeriesName,
    /// A status of the series.
    Status,
}

impl Field {
    /// The stable key of the field (the form's own name for it).
    pub fn key(self) -> &'static str {
        self.into()
    }

    fn words(self) -> &'static str {
        match self {
            Field::Comment => "comment",
            Field::Reason => "reason",
            Field::Rationale => "the rationale",
            Field::ChangeSummary => "the change summary",
            Field::Organisation => "the organisation",
            Field::Title => "title",
            Field::Login => "login",
            Field::DisplayName => "display name",
            Field::Affiliation => "affiliation",
            Field::GroupName => "group name",
            Field::Question => "the question",
            Field::SeriesName => "the series' name",
            Field::Status => "a status",
        }
    }
}

/// What a refusal names that does not exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum Thing {
    Document,
    Paragraph,
    Comment,
    Amendment,
    Objection,
    Group,
    Account,
    Invitation,
    Session,
    /// An item of a live session's agenda.
    Item,
    /// A check of the sense of the room.
    Check,
    /// A hand in a session's speaking queue.
    Hand,
    Version,
    /// A person's feed of notices, named by its secret key.
    Feed,
    /// What a chair's response is to (a comment or an objection).
    Target,
    /// A number of the series of published outputs.
    Output,
}

/// A choice a form asks for, missing or not one of its options.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum Choice {
    Stance,
    Disposition,
    Verdict,
    StakeholderGroup,
    Region,
    GroupKind,
    Role,
    Accounts,
    Language,
    /// Earlier numbers a publication updates or obsoletes, each once.
    Links,
}

/// Why a request was refused. Parameters that quote what a client sent are cut short when the
/// refusal is made ([`quote`]).
#[derive(Clone, Debug, PartialEq, Eq, strum::IntoStaticStr, strum::EnumDiscriminants)]
#[strum(serialize_all = "kebab-case")]
#[strum_discriminants(derive(strum::EnumIter, strum::IntoStaticStr))]
#[strum_discriminants(strum(serialize_all = "kebab-case"))]
pub enum Refusal {
    // Who is asking.
    SignIn,
    WrongCredentials,
    RoleForbids {
        action: Action,
    },
    RoleMayNotEditText {
        role: Role,
    },
    PhaseForbids {
        phase: Phase,
    },
    DraftsInNoGroup,
    NotAuthor,
    NotProposer,
    CrossSite,
    TooManyRequests {
        kind: &'static str,
    },
    TooManyConnections {
        limit: usize,
    },
    DocumentFull {
        limit: usize,
    },

    // What does not exist.
    Unknown {
        thing: Thing,
        id: String,
    },
    NoCurrentObjection {
        id: i64,
    },
    NotEndorsed,
    /// Search words too short or too long.
    SearchWords {
        min: usize,
        max: usize,
    },
    /// An unsubscribe link whose key names nobody.
    UnsubscribeLinkDead,

    // Words and forms.
    TextEmpty {
        field: Field,
    },
    TextTooLong {
        field: Field,
        length: usize,
        limit: usize,
    },
    ControlCharacters {
        field: Field,
    },
    ObjectionNeedsReason,
    Choose {
        what: Choice,
    },
    NotAPhase {
        phase: String,
    },
    NotADateTime {
        value: String,
    },
    BadLogin {
        login: String,
    },
    PasswordTooLong {
        limit: usize,
    },
    PasswordTooShort {
        minimum: usize,
    },
    CredentialsTooLong,
    InvitationRole,
    InvitationDays {
        days: i64,
        limit: i64,
    },
    MemberRemovalByDelete,
    BadVersionName {
        name: String,
    },
    NotAnExportFormat {
        format: String,
        formats: String,
    },
    NotAStatus {
        status: String,
        statuses: String,
    },
    NotAParagraphId {
        id: String,
    },
    NotAChangeHash {
        hash: String,
    },
    CommentElsewhere {
        id: i64,
    },
    SelectionLost,
    EditCount {
        limit: usize,
    },
    AmendmentEmpty,
    AmendmentHeadsMissing,
    AdjustmentHeadsMissing,
    AdjustmentNeedsAccept,
    UnknownBase {
        hash: String,
    },
    TextNotAllowed {
        detail: String,
    },
    InvalidDocument {
        detail: String,
    },
    NoDeadline {
        phase: Phase,
    },
    DeadlinePassed {
        at: i64,
    },
    DeadlineTooFar {
        days: i64,
    },
    ArchiveRefused {
        detail: String,
    },
    MarkdownTooLarge {
        bytes: usize,
        limit: usize,
    },

    AgendaSize {
        limit: usize,
    },
    TooManyHands {
        limit: u32,
    },
    PollScale {
        max: u8,
    },
    PollSize {
        limit: usize,
    },
    CountdownLength {
        min: u32,
        max: u32,
    },
    /// A threshold rule asks more of a condition than there can be.
    ConditionTooHigh {
        condition: &'static str,
        limit: u32,
    },
    NotAPrefix {
        prefix: String,
    },
    StatusCount {
        limit: usize,
    },
    LinkCount {
        limit: usize,
    },
    /// A condition of the threshold rule is not met and no reason to publish anyway was given.
    ThresholdNotMet,

    // What the state of things rules out.
    LastCallObjectionsOnly,
    CheckClosed,
    CheckOpen,
    NoCurrentItem,
    HandUp,
    PollClosed,
    ParagraphDeleted {
        id: String,
    },
    CommentSettled {
        id: i64,
    },
    HiddenAlready {
        id: i64,
    },
    DecidedAlready {
        id: i64,
        status: &'static str,
    },
    CannotMerge {
        detail: String,
    },
    ProposerSponsors,
    AmendmentUnreadable,
    SponsorAlready {
        id: i64,
    },
    EndorsedAlready,
    PublishedAlready {
        label: String,
    },
    InPhaseAlready {
        phase: Phase,
    },
    PhaseChanged,
    ConfirmationLinkDead,
    InvitationRevoked,
    InvitationUsed,
    InvitationExpired,
    VersionExists {
        name: String,
    },
    DocumentExists {
        id: String,
    },

    // Requests that are not what the API takes.
    BadJson {
        detail: String,
    },
    BadBody {
        detail: String,
    },
    BadQuery {
        detail: String,
    },
    BadRequest {
        detail: String,
    },
    NotJson,
    BodyUnreadable {
        detail: String,
    },
}

/// A value a client sent, cut to `n` characters for quoting back.
pub fn quote(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

impl Refusal {
    /// An unknown `thing`, quoting its id.
    pub fn unknown(thing: Thing, id: &str) -> Self {
        Self::Unknown {
            thing,
            id: quote(id, 60),
        }
    }

    /// The stable code of the case, such as `text-too-long`.
    pub fn code(&self) -> &'static str {
        self.into()
    }

    /// The HTTP status that says whose fault it is.
    pub fn status(&self) -> u16 {
        use Refusal::*;
        match self {
            SignIn | WrongCredentials => 401,
            RoleForbids { .. }
            | RoleMayNotEditText { .. }
            | PhaseForbids { .. }
            | DraftsInNoGroup
            | NotAuthor
            | NotProposer
            | CrossSite => 403,
            Unknown { .. } | NoCurrentObjection { .. } | NotEndorsed | UnsubscribeLinkDead => 404,
            LastCallObjectionsOnly
            | CheckClosed
            | CheckOpen
            | NoCurrentItem
            | HandUp
            | PollClosed
            | ParagraphDeleted { .. }
            | CommentSettled { .. }
            | HiddenAlready { .. }
            | DecidedAlready { .. }
            | CannotMerge { .. }
            | ProposerSponsors
            | AmendmentUnreadable
            | SponsorAlready { .. }
            | EndorsedAlready
            | PublishedAlready { .. }
            | InPhaseAlready { .. }
            | PhaseChanged
            | ConfirmationLinkDead
            | InvitationRevoked
            | InvitationUsed
            | InvitationExpired
            | VersionExists { .. }
            | DocumentExists { .. } => 409,
            MarkdownTooLarge { .. } | BodyUnreadable { .. } => 413,
            NotJson => 415,
            TooManyRequests { .. } | TooManyConnections { .. } | DocumentFull { .. } => 429,
            BadJson { .. } | BadRequest { .. } => 400,
            TextEmpty { .. }
            | TextTooLong { .. }
            | ControlCharacters { .. }
            | ObjectionNeedsReason
            | AgendaSize { .. }
            | TooManyHands { .. }
            | PollScale { .. }
            | PollSize { .. }
            | CountdownLength { .. }
            | ConditionTooHigh { .. }
            | NotAPrefix { .. }
            | StatusCount { .. }
            | LinkCount { .. }
            | ThresholdNotMet
            | Choose { .. }
            | NotAPhase { .. }
            | NotADateTime { .. }
            | BadLogin { .. }
            | PasswordTooLong { .. }
            | PasswordTooShort { .. }
            | CredentialsTooLong
            | InvitationRole
            | InvitationDays { .. }
            | MemberRemovalByDelete
            | BadVersionName { .. }
            | NotAnExportFormat { .. }
            | NotAStatus { .. }
            | NotAParagraphId { .. }
            | NotAChangeHash { .. }
            | CommentElsewhere { .. }
            | SelectionLost
            | EditCount { .. }
            | AmendmentEmpty
            | AmendmentHeadsMissing
            | AdjustmentHeadsMissing
            | AdjustmentNeedsAccept
            | UnknownBase { .. }
            | TextNotAllowed { .. }
            | InvalidDocument { .. }
            | NoDeadline { .. }
            | DeadlinePassed { .. }
            | DeadlineTooFar { .. }
            | ArchiveRefused { .. }
            | BadBody { .. }
            | BadQuery { .. }
            | SearchWords { .. } => 422,
        }
    }

    /// The refusal in words a person can act on.
    pub fn message(&self) -> String {
        use Refusal::*;
        match self {
            SignIn => "sign in first".into(),
            WrongCredentials => "wrong login or password (if you registered just now, open the \
                 link we mailed you first; signing in with the password you chose mails it again)"
                .into(),
            RoleForbids { action } => format!(
                "your role does not allow this ({})",
                format!("{action:?}").to_lowercase()
            ),
            RoleMayNotEditText { role } => format!(
                "a {} may not change the text of this document",
                role.as_str()
            ),
            PhaseForbids { phase } => format!(
                "not while the document is in {}: {}",
                phase.label().to_lowercase(),
                phase.describe()
            ),
            DraftsInNoGroup => "you draft in no group; ask a chair for an invitation".into(),
            NotAuthor => "only its author may edit a comment".into(),
            NotProposer => "only its proposer may withdraw an amendment".into(),
            CrossSite => "cross-site request refused".into(),
            TooManyRequests { kind } => {
                format!("too many {kind} requests; wait a minute and try again")
            }
            TooManyConnections { limit } => format!(
                "too many live connections from here (the limit is {limit}); close a tab and try again"
            ),
            DocumentFull { limit } => format!(
                "this document has {limit} live connections, as many as it takes; try again later"
            ),
            Unknown {
                thing: Thing::Version,
                id,
            } => format!("the document has no version '{id}'"),
            Unknown { thing, id } => {
                let thing: &str = thing.into();
                // A number is named bare (comment 42), anything else quoted.
                match id.parse::<i64>() {
                    _ if id.is_empty() => format!("unknown {thing}"),
                    Ok(_) => format!("unknown {thing} {id}"),
                    Err(_) => format!("unknown {thing} '{id}'"),
                }
            }
            NoCurrentObjection { id } => format!("no current objection {id}"),
            AgendaSize { limit } => format!("an agenda has between 1 and {limit} items"),
            ConditionTooHigh { condition, limit } => {
                let name = crate::series::Condition::parse(condition)
                    .map_or(condition.to_string(), |c| c.label().to_lowercase());
                format!("the condition '{name}' may ask at most {limit}")
            }
            NotAPrefix { prefix } => format!(
                "'{prefix}' cannot be a series' prefix: use 1 to 12 letters, digits and '-', starting with a letter"
            ),
            StatusCount { limit } => format!("a series has between 1 and {limit} statuses"),
            LinkCount { limit } => {
                format!("a publication updates or obsoletes at most {limit} earlier numbers")
            }
            ThresholdNotMet => "a condition of the threshold rule is not met: to publish anyway, give the reason".into(),
            PublishedAlready { label } => format!("this text is published already, as {label}"),
            TooManyHands { limit } => {
                format!("at most {limit} hands for one stakeholder group and stance")
            }
            CheckClosed => "this check is closed: its figures are final".into(),
            CheckOpen => "a check is open already: close it first".into(),
            NoCurrentItem => "no item is current: move to one first".into(),
            HandUp => "your hand is up already: wait to be called, or lower it".into(),
            PollClosed => "this round of the poll is not open".into(),
            PollScale { max } => format!("answer on the scale from 1 to {max}"),
            PollSize { limit } => format!("a poll has at most {limit} questions"),
            CountdownLength { min, max } => {
                format!("a check's countdown lasts from {min} to {max} seconds")
            }
            NotEndorsed => "you have not endorsed this text".into(),
            SearchWords { min, max } => {
                format!("search for between {min} and {max} characters")
            }
            UnsubscribeLinkDead => "this link names no account: copy the whole link from the \
                mail, or turn notification mail off on your notifications page"
                .into(),
            TextEmpty { field } => format!("{} is empty", field.words()),
            TextTooLong {
                field,
                length,
                limit,
            } => format!(
                "{} is {length} characters long (the limit is {limit})",
                field.words()
            ),
            ControlCharacters { field } => {
                format!("{} may not contain control characters", field.words())
            }
            ObjectionNeedsReason => {
                "an objection needs a reason: say what would have to change".into()
            }
            Choose { what } => match what {
                Choice::Stance => "choose support, can live with or oppose",
                Choice::Disposition => "choose a disposition",
                Choice::Verdict => "choose accept, accept with modification, reject or superseded",
                Choice::StakeholderGroup => "choose your stakeholder group",
                Choice::Region => "choose your region",
                Choice::GroupKind => "choose a kind of group",
                Choice::Role => "choose a role",
                Choice::Accounts => "choose at least one account",
                Choice::Language => "choose one of the six languages",
                Choice::Links => "name each earlier number once, as updated or as obsoleted",
            }
            .into(),
            NotAPhase { phase } => format!("'{phase}' is not a phase"),
            NotADateTime { value } => {
                format!("'{value}' is not a date and time (YYYY-MM-DDTHH:MM, UTC)")
            }
            BadLogin { login } => {
                format!("login '{login}' is not an email-like name such as ana@example.org")
            }
            PasswordTooLong { limit } => format!("password is longer than {limit} bytes"),
            PasswordTooShort { minimum } => {
                format!("password must be at least {minimum} characters long")
            }
            CredentialsTooLong => "login or password is too long".into(),
            InvitationRole => {
                "an invitation's role is participant, drafter or chair, not reader".into()
            }
            InvitationDays { days, limit } => {
                format!("days must be between 1 and {limit}, not {days}")
            }
            MemberRemovalByDelete => "to remove a member, DELETE the membership".into(),
            BadVersionName { name } => format!(
                "'{name}' cannot name a version: use 1 to 40 lower-case letters, digits, '.' and '-' (like draft-01 or final)"
            ),
            NotAnExportFormat { format, formats } => {
                format!("'{format}' is not an export format here: use {formats}")
            }
            NotAStatus { status, statuses } => {
                format!("'{status}' is not a status: use one of {statuses}")
            }
            NotAParagraphId { id } => format!("'{id}' is not a paragraph id"),
            NotAChangeHash { hash } => format!("'{hash}' is not a change hash"),
            CommentElsewhere { id } => format!("comment {id} is on another paragraph"),
            SelectionLost => {
                "the selection cannot be found in the paragraph; select it again".into()
            }
            EditCount { limit } => format!("an amendment has between 1 and {limit} edits"),
            AmendmentEmpty => "the amendment changes nothing".into(),
            AmendmentHeadsMissing => {
                "name the document heads the amendment was written against".into()
            }
            AdjustmentHeadsMissing => {
                "name the document heads the adjusted wording was written against".into()
            }
            AdjustmentNeedsAccept => "adjusted wording goes with accepting only".into(),
            UnknownBase { hash } => format!(
                "the document has no change {hash}: write the amendment against heads it has"
            ),
            TextNotAllowed { detail } => format!("the amended text is not allowed: {detail}"),
            InvalidDocument { detail } => detail.clone(),
            NoDeadline { phase } => format!("{} has no deadline", phase.label()),
            DeadlineTooFar { days } => {
                format!("a deadline is at most {days} days ahead")
            }
            DeadlinePassed { at } => {
                format!("the deadline ({}) has passed already", time::format(*at))
            }
            ArchiveRefused { detail } => format!("{detail}; nothing was imported"),
            MarkdownTooLarge { bytes, limit } => {
                format!("markdown of {bytes} bytes exceeds the limit of {limit} bytes")
            }
            LastCallObjectionsOnly => {
                "in last call only objections are taken: the text is settled".into()
            }
            ParagraphDeleted { id } => format!(
                "paragraph '{id}' was deleted since; its feedback is kept, but it takes no more"
            ),
            CommentSettled { id } => format!(
                "comment {id} has a reply (or was hidden), so it can no longer be edited"
            ),
            HiddenAlready { id } => format!("comment {id} is hidden already"),
            DecidedAlready { id, status } => {
                format!("amendment {id} was decided already ({status})")
            }
            CannotMerge { detail } => format!("the amendment cannot be merged: {detail}"),
            ProposerSponsors => {
                "you proposed this amendment: its proposer is its first sponsor".into()
            }
            SponsorAlready { id } => format!("you co-sponsor amendment {id} already"),
            AmendmentUnreadable => {
                "what this amendment changes cannot be read any more: nothing was done".into()
            }
            EndorsedAlready => {
                "you endorsed this text already: withdraw that endorsement to change it".into()
            }
            InPhaseAlready { phase } => {
                format!("the document is in {} already", phase.label().to_lowercase())
            }
            PhaseChanged => "the phase changed meanwhile: look again".into(),
            ConfirmationLinkDead => "this confirmation link was used already or has expired: \
                sign in and ask for a new one"
                .into(),
            InvitationRevoked => "this invitation was revoked".into(),
            InvitationUsed => "this invitation was already used".into(),
            InvitationExpired => "this invitation has expired".into(),
            VersionExists { name } => {
                format!("the document has a version '{name}' already: versions never change")
            }
            DocumentExists { id } => {
                format!("this installation has a document '{id}' already; nothing was imported")
            }
            BadJson { detail } => format!("body is not valid JSON: {detail}"),
            BadBody { detail } => format!("invalid body: {detail}"),
            BadQuery { detail } | BadRequest { detail } => detail.clone(),
            NotJson => "send the body as JSON with content-type application/json".into(),
            BodyUnreadable { detail } => format!("body could not be read: {detail}"),
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Refusal {}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn every_code_is_kebab_case_and_distinct() {
        let codes: Vec<&str> = RefusalDiscriminants::iter().map(<&str>::from).collect();
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
        for c in &codes {
            assert!(
                c.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{c}"
            );
        }
        assert!(codes.contains(&"objection-needs-reason"));
        assert!(codes.contains(&"phase-forbids"));
    }

    #[test]
    fn a_refusal_says_its_code_status_and_words() {
        let r = Refusal::TextTooLong {
            field: Field::Comment,
            length: 5001,
            limit: 5000,
        };
        assert_eq!(r.code(), "text-too-long");
        assert_eq!(r.status(), 422);
        assert_eq!(
            r.message(),
            "comment is 5001 characters long (the limit is 5000)"
        );
        let closed = Refusal::PhaseForbids {
            phase: Phase::Closed,
        };
        assert_eq!((closed.code(), closed.status()), ("phase-forbids", 403));
        assert!(closed
            .message()
            .starts_with("not while the document is in closed"));
        assert_eq!(
            Refusal::unknown(Thing::Comment, "42").message(),
            "unknown comment 42"
        );
    }

    #[test]
    fn every_status_is_a_client_error() {
        // Internal failures are not refusals: a refusal always says what to change.
        let samples = [
            Refusal::SignIn,
            Refusal::NotJson,
            Refusal::TooManyRequests { kind: "login" },
            Refusal::EndorsedAlready,
            Refusal::ArchiveRefused { detail: "x".into() },
        ];
        for r in samples {
            assert!((400..500).contains(&r.status()), "{r:?}");
        }
    }
}
