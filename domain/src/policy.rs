//! Who may do what: one table, asked by the server before every write (over HTTP and the sync
//! channel alike) and by the UI only to decide what to show.
//!
//! A request's [`Standing`] is who is asking: signed in or not, installation admin or not, and
//! their [`Role`] in the group that owns the thing acted on. [`TABLE`] says, for every
//! [`Action`], which standing it needs; [`PHASES`] how a document's phase changes that.

use super::phase::Phase;

/// A person's role in one group (and so on that group's documents).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Anyone, with or without an account, who is not a member.
    #[default]
    Reader,
    Participant,
    Drafter,
    Chair,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reader => "reader",
            Self::Participant => "participant",
            Self::Drafter => "drafter",
            Self::Chair => "chair",
        }
    }

    /// Roles a membership can have (a reader is not a member).
    pub fn parse_member(s: &str) -> Option<Self> {
        [Self::Participant, Self::Drafter, Self::Chair]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// Who is asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub signed_in: bool,
    /// Installation admin: creates groups and appoints chairs; no say over texts by itself.
    pub admin: bool,
    /// Role in the group that owns what is acted on (`Reader` when there is none).
    pub role: Role,
}

impl Standing {
    pub const ANONYMOUS: Standing = Standing {
        signed_in: false,
        admin: false,
        role: Role::Reader,
    };
}

/// Something someone may try to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, strum::EnumIter)]
pub enum Action {
    /// Read a document, its text and its metadata.
    ReadDocument,
    /// Push changes to a document's text (the sync channel's only write).
    EditText,
    /// Create a document in a group.
    CreateDocument,
    /// Create an account.
    Register,
    /// Read or edit one's own profile, sign out.
    ManageOwnAccount,
    /// Invite members with a role below chair, revoke invitations, change such roles, remove
    /// members.
    ManageMembers,
    /// Accept an invitation addressed by its secret link.
    AcceptInvitation,
    /// Create a group.
    CreateGroup,
    /// Make someone a chair of a group (or stop them being one).
    AppointChair,
    /// Read the security audit log.
    ReadAudit,
    /// Comment on a paragraph, reply, edit one's own comment.
    Comment,
    /// State a stance on a paragraph or an amendment.
    StateStance,
    /// Respond to a comment or an objection with a disposition and a reason.
    Respond,
    /// Hide a comment with a reason, and read hidden comments.
    Moderate,
    /// Propose an amendment, or withdraw one's own.
    ProposeAmendment,
    /// Accept, reject or supersede an amendment.
    DecideAmendment,
    /// Move a document from phase to phase, cut versions, export the text between versions,
    /// download the archive.
    RunConsultation,
    /// Read the consultation report: the chair's working view, everyone's once closed.
    ReadReport,
    /// Endorse a closed document's final text (or withdraw one's endorsement).
    Endorse,
    /// Restore a document from an archive into this installation.
    RestoreArchive,
    /// See the accounts registered in bursts that took stances on a document, and set their
    /// stances aside (or count them again).
    ReviewStances,
    /// Schedule a live session on a document, name its facilitator and rapporteur, and run it
    /// (a session's facilitator runs it too, whatever their role).
    RunSession,
    /// Record what the room says and shows without a device (a session's rapporteur does too).
    RecordForRoom,
    /// Take part in a live session's checks.
    TakePartInSession,
    /// Publish a closed document's text into the installation's series.
    Publish,
    /// Set a group's threshold rule (its chairs, or an admin).
    SetThreshold,
    /// Name the series, its prefix and its statuses.
    SetSeries,
}

/// What an action needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    Anyone,
    SignedOut,
    SignedIn,
    /// Signed in with at least this role in the owning group.
    AtLeast(Role),
    Admin,
    /// Signed in as an admin, or with at least this role in the owning group.
    AdminOrAtLeast(Role),
    /// Nobody: what a document's phase rules out.
    Nobody,
}

/// The policy: every action and what it needs. Tests on both sides are generated from it.
pub const TABLE: &[(Action, Need)] = &[
    (Action::ReadDocument, Need::Anyone),
    (Action::EditText, Need::AtLeast(Role::Drafter)),
    (Action::CreateDocument, Need::AtLeast(Role::Drafter)),
    (Action::Register, Need::SignedOut),
    (Action::ManageOwnAccount, Need::SignedIn),
    (Action::ManageMembers, Need::AtLeast(Role::Chair)),
    (Action::AcceptInvitation, Need::SignedIn),
    (Action::CreateGroup, Need::Admin),
    (Action::AppointChair, Need::Admin),
    (Action::ReadAudit, Need::Admin),
    (Action::Comment, Need::AtLeast(Role::Participant)),
    (Action::StateStance, Need::AtLeast(Role::Participant)),
    (Action::Respond, Need::AtLeast(Role::Chair)),
    (Action::Moderate, Need::AtLeast(Role::Chair)),
    (Action::ProposeAmendment, Need::AtLeast(Role::Participant)),
    (Action::DecideAmendment, Need::AtLeast(Role::Chair)),
    (Action::RunConsultation, Need::AtLeast(Role::Chair)),
    (Action::ReadReport, Need::AtLeast(Role::Chair)),
    (Action::Endorse, Need::Nobody),
    (Action::RestoreArchive, Need::Admin),
    (Action::ReviewStances, Need::AtLeast(Role::Chair)),
    (Action::RunSession, Need::AtLeast(Role::Chair)),
    (Action::RecordForRoom, Need::AtLeast(Role::Chair)),
    (Action::TakePartInSession, Need::SignedIn),
    // Only a closed text is published (see PHASES).
    (Action::Publish, Need::Nobody),
    (Action::SetThreshold, Need::AdminOrAtLeast(Role::Chair)),
    (Action::SetSeries, Need::Admin),
];

/// How a document's phase changes [`TABLE`]: in the phase, the action needs this instead.
/// Drafting keeps the table as it is (the group's members comment); the consultation opens
/// comments, stances and amendments to every account; last call takes only stances (the rules
/// take only objections) and leaves the text to the chairs; a closed document is read-only.
pub const PHASES: &[(Phase, Action, Need)] = &[
    (Phase::Consultation, Action::Comment, Need::SignedIn),
    (Phase::Consultation, Action::StateStance, Need::SignedIn),
    (
        Phase::Consultation,
        Action::ProposeAmendment,
        Need::SignedIn,
    ),
    (
        Phase::LastCall,
        Action::EditText,
        Need::AtLeast(Role::Chair),
    ),
    (Phase::LastCall, Action::Comment, Need::Nobody),
    (Phase::LastCall, Action::StateStance, Need::SignedIn),
    (Phase::LastCall, Action::ProposeAmendment, Need::Nobody),
    (Phase::Closed, Action::EditText, Need::Nobody),
    (Phase::Closed, Action::Comment, Need::Nobody),
    (Phase::Closed, Action::StateStance, Need::Nobody),
    (Phase::Closed, Action::ProposeAmendment, Need::Nobody),
    (Phase::Closed, Action::DecideAmendment, Need::Nobody),
    // The report is final once closed: responses would change it after the fact.
    (Phase::Closed, Action::Respond, Need::Nobody),
    (Phase::Closed, Action::ReviewStances, Need::Nobody),
    (Phase::Closed, Action::ReadReport, Need::Anyone),
    (Phase::Closed, Action::Endorse, Need::SignedIn),
    (Phase::Closed, Action::Publish, Need::AtLeast(Role::Chair)),
];

/// What `action` needs, from [`TABLE`].
pub fn need(action: Action) -> Need {
    TABLE
        .iter()
        .find(|(a, _)| *a == action)
        .map(|(_, n)| *n)
        // Every action is in the table (a test checks); an unlisted one needs the most.
        .unwrap_or(Need::Admin)
}

/// What `action` needs on a document in `phase`: [`PHASES`], else [`TABLE`].
pub fn need_in(phase: Phase, action: Action) -> Need {
    PHASES
        .iter()
        .find(|(p, a, _)| *p == phase && *a == action)
        .map(|(_, _, n)| *n)
        .unwrap_or_else(|| need(action))
}

/// Whether someone in `standing` may perform `action`.
pub fn allows(standing: Standing, action: Action) -> bool {
    meets(standing, need(action))
}

/// Whether someone in `standing` may perform `action` on a document in `phase`.
pub fn allows_in(standing: Standing, phase: Phase, action: Action) -> bool {
    meets(standing, need_in(phase, action))
}

/// Whether the phase alone rules `action` out for `standing` (the role would allow it).
pub fn phase_forbids(standing: Standing, phase: Phase, action: Action) -> bool {
    allows(standing, action) && !allows_in(standing, phase, action)
}

/// Whether a document's phase is why `action` is refused to `standing`: it rules the action
/// out for everyone, or for this role (which would otherwise allow it).
pub fn phase_is_why(standing: Standing, phase: Phase, action: Action) -> bool {
    need_in(phase, action) == Need::Nobody || phase_forbids(standing, phase, action)
}

fn meets(standing: Standing, need: Need) -> bool {
    match need {
        Need::Anyone => true,
        Need::SignedOut => !standing.signed_in,
        Need::SignedIn => standing.signed_in,
        Need::AtLeast(role) => standing.signed_in && standing.role >= role,
        Need::Admin => standing.signed_in && standing.admin,
        Need::AdminOrAtLeast(role) => {
            standing.signed_in && (standing.admin || standing.role >= role)
        }
        Need::Nobody => false,
    }
}

/// Whether a refusal should say "sign in" (401) rather than "not allowed" (403).
pub fn needs_sign_in(standing: Standing, action: Action) -> bool {
    needs_sign_in_for(standing, need(action))
}

/// The same, on a document in `phase`.
pub fn needs_sign_in_in(standing: Standing, phase: Phase, action: Action) -> bool {
    needs_sign_in_for(standing, need_in(phase, action))
}

fn needs_sign_in_for(standing: Standing, need: Need) -> bool {
    !standing.signed_in && !matches!(need, Need::Anyone | Need::SignedOut | Need::Nobody)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(role: Role) -> Standing {
        Standing {
            signed_in: true,
            admin: false,
            role,
        }
    }

    #[test]
    fn every_action_is_in_the_table_once() {
        use strum::IntoEnumIterator;
        for a in Action::iter() {
            assert_eq!(TABLE.iter().filter(|(b, _)| *b == a).count(), 1, "{a:?}");
        }
        assert_eq!(TABLE.len(), Action::iter().count());
    }

    #[test]
    fn only_drafters_and_chairs_edit_the_text() {
        let editors: Vec<_> = [Role::Reader, Role::Participant, Role::Drafter, Role::Chair]
            .into_iter()
            .filter(|r| allows(member(*r), Action::EditText))
            .collect();
        assert_eq!(editors, [Role::Drafter, Role::Chair]);
        assert!(!allows(Standing::ANONYMOUS, Action::EditText));
    }

    #[test]
    fn an_admin_runs_the_installation_but_does_not_edit_texts() {
        let admin = Standing {
            signed_in: true,
            admin: true,
            role: Role::Reader,
        };
        assert!(allows(admin, Action::CreateGroup));
        assert!(allows(admin, Action::AppointChair));
        assert!(allows(admin, Action::ReadAudit));
        assert!(!allows(admin, Action::EditText));
        assert!(!allows(admin, Action::ManageMembers));
    }

    #[test]
    fn a_chair_manages_members_but_appoints_no_chairs() {
        assert!(allows(member(Role::Chair), Action::ManageMembers));
        assert!(!allows(member(Role::Drafter), Action::ManageMembers));
        assert!(!allows(member(Role::Chair), Action::AppointChair));
    }

    #[test]
    fn everyone_reads_and_only_the_signed_out_register() {
        for s in [Standing::ANONYMOUS, member(Role::Participant)] {
            assert!(allows(s, Action::ReadDocument));
        }
        assert!(allows(Standing::ANONYMOUS, Action::Register));
        assert!(!allows(member(Role::Participant), Action::Register));
    }

    #[test]
    fn the_consultation_opens_feedback_to_every_account_and_closing_freezes_everything() {
        let outsider = Standing {
            signed_in: true,
            admin: false,
            role: Role::Reader,
        };
        assert!(!allows_in(outsider, Phase::Drafting, Action::Comment));
        assert!(allows_in(outsider, Phase::Consultation, Action::Comment));
        assert!(allows_in(
            outsider,
            Phase::Consultation,
            Action::ProposeAmendment
        ));
        assert!(!allows_in(
            Standing::ANONYMOUS,
            Phase::Consultation,
            Action::Comment
        ));
        assert!(needs_sign_in_in(
            Standing::ANONYMOUS,
            Phase::Consultation,
            Action::Comment
        ));
        // Last call: objections and decisions; the drafters stop, the chairs may still apply.
        assert!(!allows_in(
            member(Role::Drafter),
            Phase::LastCall,
            Action::EditText
        ));
        assert!(allows_in(
            member(Role::Chair),
            Phase::LastCall,
            Action::EditText
        ));
        assert!(!allows_in(
            member(Role::Participant),
            Phase::LastCall,
            Action::Comment
        ));
        assert!(allows_in(
            member(Role::Participant),
            Phase::LastCall,
            Action::StateStance
        ));
        for action in [
            Action::EditText,
            Action::Comment,
            Action::StateStance,
            Action::ProposeAmendment,
            Action::DecideAmendment,
        ] {
            assert!(
                !allows_in(member(Role::Chair), Phase::Closed, action),
                "{action:?}"
            );
            assert!(phase_forbids(member(Role::Chair), Phase::Closed, action));
            assert!(!needs_sign_in_in(
                Standing::ANONYMOUS,
                Phase::Closed,
                action
            ));
        }
        assert!(allows_in(
            Standing::ANONYMOUS,
            Phase::Closed,
            Action::ReadDocument
        ));
    }

    #[test]
    fn anonymous_refusals_ask_to_sign_in_and_members_are_told_no() {
        assert!(needs_sign_in(Standing::ANONYMOUS, Action::EditText));
        assert!(!needs_sign_in(member(Role::Participant), Action::EditText));
        assert!(!needs_sign_in(Standing::ANONYMOUS, Action::ReadDocument));
    }

    #[test]
    fn a_closed_text_is_everyones_to_read_in_full_and_to_endorse() {
        let outsider = Standing {
            signed_in: true,
            admin: false,
            role: Role::Reader,
        };
        for phase in [Phase::Drafting, Phase::Consultation, Phase::LastCall] {
            assert!(!allows_in(outsider, phase, Action::Endorse), "{phase:?}");
            assert!(!allows_in(outsider, phase, Action::ReadReport), "{phase:?}");
            assert!(allows_in(member(Role::Chair), phase, Action::ReadReport));
        }
        assert!(allows_in(outsider, Phase::Closed, Action::Endorse));
        assert!(!allows_in(
            Standing::ANONYMOUS,
            Phase::Closed,
            Action::Endorse
        ));
        assert!(allows_in(
            Standing::ANONYMOUS,
            Phase::Closed,
            Action::ReadReport
        ));
        assert!(!allows(member(Role::Chair), Action::RestoreArchive));
    }
}
