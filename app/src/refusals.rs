//! A refusal in the words of the person refused: the same case and code in every language
//! (`Refusal::code`), the message in theirs. `Refusal::message` (English) stays what logs and
//! the record keep.
//!
//! Each variant has its message in the `refusals` namespace, and each name a message quotes
//! (a field, a thing, an action, a role, a phase …) has its own: the matches below have no
//! catch-all arm, so a new variant does not compile until it is translated. What a client
//! sent (ids, quoted text, a parser's detail) goes in as a placeholder and is never translated.

use accord_i18n::{td_string, Locale};
use domain::{
    api::AmendmentStatus,
    phase::Phase,
    policy::{Action, Role},
    refusal::{Choice, Field, Refusal, Thing},
};

/// "Something went wrong", in `locale`: all a person is told of a failure on the server.
pub fn went_wrong(locale: Locale) -> String {
    td_string!(locale, refusals.something_went_wrong).to_string()
}

/// What `r` says, in `locale`.
pub fn words(locale: Locale, r: &Refusal) -> String {
    use Refusal::*;
    match r {
        SignIn => td_string!(locale, refusals.sign_in).to_string(),
        WrongCredentials => td_string!(locale, refusals.wrong_credentials).to_string(),
        RoleForbids { action } => td_string!(
            locale,
            refusals.role_forbids,
            action = self::action(locale, *action)
        )
        .to_string(),
        RoleMayNotEditText { role } => td_string!(
            locale,
            refusals.role_may_not_edit_text,
            role = self::role(locale, *role)
        )
        .to_string(),
        PhaseForbids { phase } => td_string!(
            locale,
            refusals.phase_forbids,
            phase = self::phase(locale, *phase),
            rule = rule(locale, *phase)
        )
        .to_string(),
        DraftsInNoGroup => td_string!(locale, refusals.drafts_in_no_group).to_string(),
        NotAuthor => td_string!(locale, refusals.not_author).to_string(),
        NotProposer => td_string!(locale, refusals.not_proposer).to_string(),
        CrossSite => td_string!(locale, refusals.cross_site).to_string(),
        TooManyRequests { kind } => td_string!(
            locale,
            refusals.too_many_requests,
            kind = self::kind(locale, kind)
        )
        .to_string(),
        TooManyConnections { limit } => {
            td_string!(locale, refusals.too_many_connections, limit = *limit).to_string()
        }
        DocumentFull { limit } => {
            td_string!(locale, refusals.document_full, limit = *limit).to_string()
        }
        Unknown {
            thing: Thing::Version,
            id,
        } => td_string!(locale, refusals.unknown_version, id = id).to_string(),
        Unknown { thing, id } => {
            let thing = self::thing(locale, *thing);
            // A number is named bare (comment 42), anything else quoted, as in English.
            match id.parse::<i64>() {
                _ if id.is_empty() => {
                    td_string!(locale, refusals.unknown_bare, thing = thing).to_string()
                }
                Ok(_) => td_string!(locale, refusals.unknown_numbered, thing = thing, id = id)
                    .to_string(),
                Err(_) => {
                    td_string!(locale, refusals.unknown_quoted, thing = thing, id = id).to_string()
                }
            }
        }
        NoCurrentObjection { id } => {
            td_string!(locale, refusals.no_current_objection, id = *id).to_string()
        }
        NotEndorsed => td_string!(locale, refusals.not_endorsed).to_string(),
        SearchWords { min, max } => {
            td_string!(locale, refusals.search_words, min = *min, max = *max).to_string()
        }
        UnsubscribeLinkDead => td_string!(locale, refusals.unsubscribe_link_dead).to_string(),
        TextEmpty { field } => td_string!(
            locale,
            refusals.text_empty,
            field = self::field(locale, *field)
        )
        .to_string(),
        TextTooLong {
            field,
            length,
            limit,
        } => td_string!(
            locale,
            refusals.text_too_long,
            field = self::field(locale, *field),
            length = *length,
            limit = *limit
        )
        .to_string(),
        ControlCharacters { field } => td_string!(
            locale,
            refusals.control_characters,
            field = self::field(locale, *field)
        )
        .to_string(),
        ObjectionNeedsReason => td_string!(locale, refusals.objection_needs_reason).to_string(),
        AgendaSize { limit } => {
            td_string!(locale, refusals.agenda_size, limit = limit.to_string()).to_string()
        }
        TooManyHands { limit } => {
            td_string!(locale, refusals.too_many_hands, limit = limit.to_string()).to_string()
        }
        CheckClosed => td_string!(locale, refusals.check_closed).to_string(),
        CheckOpen => td_string!(locale, refusals.check_open).to_string(),
        NoCurrentItem => td_string!(locale, refusals.no_current_item).to_string(),
        HandUp => td_string!(locale, refusals.hand_up).to_string(),
        PollClosed => td_string!(locale, refusals.poll_closed).to_string(),
        PollScale { max } => {
            td_string!(locale, refusals.poll_scale, max = max.to_string()).to_string()
        }
        PollSize { limit } => {
            td_string!(locale, refusals.poll_size, limit = limit.to_string()).to_string()
        }
        CountdownLength { min, max } => td_string!(
            locale,
            refusals.countdown_length,
            min = min.to_string(),
            max = max.to_string()
        )
        .to_string(),
        ConditionTooHigh { condition, limit } => td_string!(
            locale,
            refusals.condition_too_high,
            condition = self::condition(locale, condition),
            limit = limit.to_string()
        )
        .to_string(),
        NotAPrefix { prefix } => {
            td_string!(locale, refusals.not_a_prefix, prefix = prefix).to_string()
        }
        StatusCount { limit } => {
            td_string!(locale, refusals.status_count, limit = limit.to_string()).to_string()
        }
        LinkCount { limit } => {
            td_string!(locale, refusals.link_count, limit = limit.to_string()).to_string()
        }
        ThresholdNotMet => td_string!(locale, refusals.threshold_not_met).to_string(),
        PublishedAlready { label } => {
            td_string!(locale, refusals.published_already, label = label).to_string()
        }
        Choose { what } => choose(locale, *what),
        NotAPhase { phase } => td_string!(locale, refusals.not_a_phase, phase = phase).to_string(),
        NotADateTime { value } => {
            td_string!(locale, refusals.not_a_date_time, value = value).to_string()
        }
        BadLogin { login } => td_string!(locale, refusals.bad_login, login = login).to_string(),
        PasswordTooLong { limit } => {
            td_string!(locale, refusals.password_too_long, limit = *limit).to_string()
        }
        PasswordTooShort { minimum } => {
            td_string!(locale, refusals.password_too_short, minimum = *minimum).to_string()
        }
        CredentialsTooLong => td_string!(locale, refusals.credentials_too_long).to_string(),
        InvitationRole => td_string!(locale, refusals.invitation_role).to_string(),
        InvitationDays { days, limit } => td_string!(
            locale,
            refusals.invitation_days,
            days = *days,
            limit = *limit
        )
        .to_string(),
        MemberRemovalByDelete => td_string!(locale, refusals.member_removal_by_delete).to_string(),
        BadVersionName { name } => {
            td_string!(locale, refusals.bad_version_name, name = name).to_string()
        }
        NotAnExportFormat { format, formats } => td_string!(
            locale,
            refusals.not_an_export_format,
            format = format,
            formats = formats
        )
        .to_string(),
        NotAStatus { status, statuses } => td_string!(
            locale,
            refusals.not_a_status,
            status = status,
            statuses = statuses
        )
        .to_string(),
        NotAParagraphId { id } => {
            td_string!(locale, refusals.not_a_paragraph_id, id = id).to_string()
        }
        NotAChangeHash { hash } => {
            td_string!(locale, refusals.not_a_change_hash, hash = hash).to_string()
        }
        CommentElsewhere { id } => {
            td_string!(locale, refusals.comment_elsewhere, id = *id).to_string()
        }
        SelectionLost => td_string!(locale, refusals.selection_lost).to_string(),
        EditCount { limit } => td_string!(locale, refusals.edit_count, limit = *limit).to_string(),
        AmendmentEmpty => td_string!(locale, refusals.amendment_empty).to_string(),
        AmendmentHeadsMissing => td_string!(locale, refusals.amendment_heads_missing).to_string(),
        AdjustmentHeadsMissing => td_string!(locale, refusals.adjustment_heads_missing).to_string(),
        AdjustmentNeedsAccept => td_string!(locale, refusals.adjustment_needs_accept).to_string(),
        UnknownBase { hash } => td_string!(locale, refusals.unknown_base, hash = hash).to_string(),
        TextNotAllowed { detail } => {
            td_string!(locale, refusals.text_not_allowed, detail = detail).to_string()
        }
        InvalidDocument { detail } => {
            td_string!(locale, refusals.invalid_document, detail = detail).to_string()
        }
        NoDeadline { phase } => no_deadline(locale, *phase),
        DeadlinePassed { at } => td_string!(
            locale,
            refusals.deadline_passed,
            at = crate::ui::parts::format_time_in(locale, *at)
        )
        .to_string(),
        DeadlineTooFar { days } => {
            td_string!(locale, refusals.deadline_too_far, days = *days).to_string()
        }
        ArchiveRefused { detail } => {
            td_string!(locale, refusals.archive_refused, detail = detail).to_string()
        }
        MarkdownTooLarge { bytes, limit } => td_string!(
            locale,
            refusals.markdown_too_large,
            bytes = *bytes,
            limit = *limit
        )
        .to_string(),
        LastCallObjectionsOnly => {
            td_string!(locale, refusals.last_call_objections_only).to_string()
        }
        ParagraphDeleted { id } => {
            td_string!(locale, refusals.paragraph_deleted, id = id).to_string()
        }
        CommentSettled { id } => td_string!(locale, refusals.comment_settled, id = *id).to_string(),
        HiddenAlready { id } => td_string!(locale, refusals.hidden_already, id = *id).to_string(),
        DecidedAlready { id, status } => td_string!(
            locale,
            refusals.decided_already,
            id = *id,
            status = self::status(locale, status)
        )
        .to_string(),
        CannotMerge { detail } => {
            td_string!(locale, refusals.cannot_merge, detail = detail).to_string()
        }
        ProposerSponsors => td_string!(locale, refusals.proposer_sponsors).to_string(),
        AmendmentUnreadable => td_string!(locale, refusals.amendment_unreadable).to_string(),
        SponsorAlready { id } => td_string!(locale, refusals.sponsor_already, id = *id).to_string(),
        EndorsedAlready => td_string!(locale, refusals.endorsed_already).to_string(),
        InPhaseAlready { phase } => td_string!(
            locale,
            refusals.in_phase_already,
            phase = self::phase(locale, *phase)
        )
        .to_string(),
        PhaseChanged => td_string!(locale, refusals.phase_changed).to_string(),
        ConfirmationLinkDead => td_string!(locale, refusals.confirmation_link_dead).to_string(),
        InvitationRevoked => td_string!(locale, refusals.invitation_revoked).to_string(),
        InvitationUsed => td_string!(locale, refusals.invitation_used).to_string(),
        InvitationExpired => td_string!(locale, refusals.invitation_expired).to_string(),
        VersionExists { name } => {
            td_string!(locale, refusals.version_exists, name = name).to_string()
        }
        DocumentExists { id } => td_string!(locale, refusals.document_exists, id = id).to_string(),
        BadJson { detail } => td_string!(locale, refusals.bad_json, detail = detail).to_string(),
        BadBody { detail } => td_string!(locale, refusals.bad_body, detail = detail).to_string(),
        BadQuery { detail } => td_string!(locale, refusals.bad_query, detail = detail).to_string(),
        BadRequest { detail } => {
            td_string!(locale, refusals.bad_request, detail = detail).to_string()
        }
        NotJson => td_string!(locale, refusals.not_json).to_string(),
        BodyUnreadable { detail } => {
            td_string!(locale, refusals.body_unreadable, detail = detail).to_string()
        }
    }
}

/// An action a role does not allow (English: its name run together, as logs know it).
fn action(locale: Locale, action: Action) -> String {
    use Action::*;
    match action {
        ReadDocument => td_string!(locale, refusals.action_read_document),
        EditText => td_string!(locale, refusals.action_edit_text),
        CreateDocument => td_string!(locale, refusals.action_create_document),
        Register => td_string!(locale, refusals.action_register),
        ManageOwnAccount => td_string!(locale, refusals.action_manage_own_account),
        ManageMembers => td_string!(locale, refusals.action_manage_members),
        AcceptInvitation => td_string!(locale, refusals.action_accept_invitation),
        CreateGroup => td_string!(locale, refusals.action_create_group),
        AppointChair => td_string!(locale, refusals.action_appoint_chair),
        ReadAudit => td_string!(locale, refusals.action_read_audit),
        Comment => td_string!(locale, refusals.action_comment),
        StateStance => td_string!(locale, refusals.action_state_stance),
        Respond => td_string!(locale, refusals.action_respond),
        Moderate => td_string!(locale, refusals.action_moderate),
        ProposeAmendment => td_string!(locale, refusals.action_propose_amendment),
        DecideAmendment => td_string!(locale, refusals.action_decide_amendment),
        RunConsultation => td_string!(locale, refusals.action_run_consultation),
        ReadReport => td_string!(locale, refusals.action_read_report),
        Endorse => td_string!(locale, refusals.action_endorse),
        RestoreArchive => td_string!(locale, refusals.action_restore_archive),
        ReviewStances => td_string!(locale, refusals.action_review_stances),
        RunSession => td_string!(locale, refusals.action_run_session),
        RecordForRoom => td_string!(locale, refusals.action_record_for_room),
        TakePartInSession => td_string!(locale, refusals.action_take_part_in_session),
        Publish => td_string!(locale, refusals.action_publish),
        SetThreshold => td_string!(locale, refusals.action_set_threshold),
        SetSeries => td_string!(locale, refusals.action_set_series),
    }
    .to_string()
}

/// A role's name.
fn role(locale: Locale, role: Role) -> String {
    match role {
        Role::Reader => td_string!(locale, refusals.role_reader),
        Role::Participant => td_string!(locale, refusals.role_participant),
        Role::Drafter => td_string!(locale, refusals.role_drafter),
        Role::Chair => td_string!(locale, refusals.role_chair),
    }
    .to_string()
}

/// A phase's name within a sentence.
fn phase(locale: Locale, phase: Phase) -> String {
    match phase {
        Phase::Drafting => td_string!(locale, refusals.phase_drafting),
        Phase::Consultation => td_string!(locale, refusals.phase_consultation),
        Phase::LastCall => td_string!(locale, refusals.phase_last_call),
        Phase::Closed => td_string!(locale, refusals.phase_closed),
    }
    .to_string()
}

/// What happens in a phase, in a sentence (`Phase::describe`).
fn rule(locale: Locale, phase: Phase) -> String {
    match phase {
        Phase::Drafting => td_string!(locale, refusals.rule_drafting),
        Phase::Consultation => td_string!(locale, refusals.rule_consultation),
        Phase::LastCall => td_string!(locale, refusals.rule_last_call),
        Phase::Closed => td_string!(locale, refusals.rule_closed),
    }
    .to_string()
}

/// That a phase has no deadline: a message per phase, as English opens with its label.
fn no_deadline(locale: Locale, phase: Phase) -> String {
    match phase {
        Phase::Drafting => td_string!(locale, refusals.no_deadline_drafting),
        Phase::Consultation => td_string!(locale, refusals.no_deadline_consultation),
        Phase::LastCall => td_string!(locale, refusals.no_deadline_last_call),
        Phase::Closed => td_string!(locale, refusals.no_deadline_closed),
    }
    .to_string()
}

/// A field of a form.
fn field(locale: Locale, field: Field) -> String {
    use Field::*;
    match field {
        Comment => td_string!(locale, refusals.field_comment),
        Reason => td_string!(locale, refusals.field_reason),
        Rationale => td_string!(locale, refusals.field_rationale),
        ChangeSummary => td_string!(locale, refusals.field_change_summary),
        Organisation => td_string!(locale, refusals.field_organisation),
        Title => td_string!(locale, refusals.field_title),
        Login => td_string!(locale, refusals.field_login),
        DisplayName => td_string!(locale, refusals.field_display_name),
        Affiliation => td_string!(locale, refusals.field_affiliation),
        GroupName => td_string!(locale, refusals.field_group_name),
        Question => td_string!(locale, refusals.field_question),
        SeriesName => td_string!(locale, refusals.field_series_name),
        Status => td_string!(locale, refusals.field_status),
    }
    .to_string()
}

/// Something that does not exist.
fn thing(locale: Locale, thing: Thing) -> String {
    use Thing::*;
    match thing {
        Document => td_string!(locale, refusals.thing_document),
        Paragraph => td_string!(locale, refusals.thing_paragraph),
        Comment => td_string!(locale, refusals.thing_comment),
        Amendment => td_string!(locale, refusals.thing_amendment),
        Objection => td_string!(locale, refusals.thing_objection),
        Group => td_string!(locale, refusals.thing_group),
        Account => td_string!(locale, refusals.thing_account),
        Invitation => td_string!(locale, refusals.thing_invitation),
        Session => td_string!(locale, refusals.thing_session),
        Version => td_string!(locale, refusals.thing_version),
        Feed => td_string!(locale, refusals.thing_feed),
        Target => td_string!(locale, refusals.thing_target),
        Item => td_string!(locale, refusals.thing_item),
        Check => td_string!(locale, refusals.thing_check),
        Hand => td_string!(locale, refusals.thing_hand),
        Output => td_string!(locale, refusals.thing_output),
    }
    .to_string()
}

/// A condition of a threshold rule, by its key (`domain::series::Condition`).
fn condition(locale: Locale, key: &str) -> String {
    use domain::series::Condition::*;
    match domain::series::Condition::parse(key) {
        Some(NoUnansweredObjections) => {
            td_string!(locale, refusals.condition_no_unanswered_objections).to_string()
        }
        Some(GroupsWithText) => td_string!(locale, refusals.condition_groups_with_text).to_string(),
        Some(Participants) => td_string!(locale, refusals.condition_participants).to_string(),
        Some(Regions) => td_string!(locale, refusals.condition_regions).to_string(),
        Some(ConsultationDays) => {
            td_string!(locale, refusals.condition_consultation_days).to_string()
        }
        None => key.to_string(),
    }
}

/// The choice a form asks for.
fn choose(locale: Locale, what: Choice) -> String {
    match what {
        Choice::Stance => td_string!(locale, refusals.choose_stance),
        Choice::Disposition => td_string!(locale, refusals.choose_disposition),
        Choice::Verdict => td_string!(locale, refusals.choose_verdict),
        Choice::StakeholderGroup => td_string!(locale, refusals.choose_stakeholder_group),
        Choice::Region => td_string!(locale, refusals.choose_region),
        Choice::GroupKind => td_string!(locale, refusals.choose_group_kind),
        Choice::Role => td_string!(locale, refusals.choose_role),
        Choice::Accounts => td_string!(locale, refusals.choose_accounts),
        Choice::Language => td_string!(locale, refusals.choose_language),
        Choice::Links => td_string!(locale, refusals.choose_links),
    }
    .to_string()
}

/// The kind of request a rate limit counts, by its key (`core::limits::Limited::key`); a key
/// this list lacks is shown as it is.
fn kind(locale: Locale, key: &str) -> String {
    match key {
        "login" => td_string!(locale, refusals.kind_login).to_string(),
        "register" => td_string!(locale, refusals.kind_register).to_string(),
        "write" => td_string!(locale, refusals.kind_write).to_string(),
        "search" => td_string!(locale, refusals.kind_search).to_string(),
        other => other.to_string(),
    }
}

/// An amendment's status, by its key (English: the key itself, as `Refusal::message` quotes
/// it); a key that names no status is shown as it is.
fn status(locale: Locale, key: &str) -> String {
    use AmendmentStatus::*;
    let Some(status) = AmendmentStatus::parse(key) else {
        return key.to_string();
    };
    match status {
        Open => td_string!(locale, refusals.status_open),
        Accepted => td_string!(locale, refusals.status_accepted),
        AcceptedWithModification => td_string!(locale, refusals.status_accepted_with_modification),
        Rejected => td_string!(locale, refusals.status_rejected),
        Withdrawn => td_string!(locale, refusals.status_withdrawn),
        Superseded => td_string!(locale, refusals.status_superseded),
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::refusal::RefusalDiscriminants as D;
    use strum::IntoEnumIterator;

    const OTHERS: [Locale; 5] = [Locale::fr, Locale::ar, Locale::zh, Locale::ru, Locale::es];

    /// A representative refusal of each case.
    fn sample(d: D) -> Refusal {
        use Refusal::*;
        let s = |s: &str| s.to_string();
        match d {
            D::SignIn => SignIn,
            D::WrongCredentials => WrongCredentials,
            D::RoleForbids => RoleForbids {
                action: Action::DecideAmendment,
            },
            D::RoleMayNotEditText => RoleMayNotEditText {
                role: Role::Participant,
            },
            D::PhaseForbids => PhaseForbids {
                phase: Phase::LastCall,
            },
            D::DraftsInNoGroup => DraftsInNoGroup,
            D::NotAuthor => NotAuthor,
            D::NotProposer => NotProposer,
            D::CrossSite => CrossSite,
            D::TooManyRequests => TooManyRequests { kind: "write" },
            D::TooManyConnections => TooManyConnections { limit: 8 },
            D::DocumentFull => DocumentFull { limit: 200 },
            D::Unknown => Refusal::unknown(Thing::Paragraph, "p-17"),
            D::NoCurrentObjection => NoCurrentObjection { id: 12 },
            D::NotEndorsed => NotEndorsed,
            D::SearchWords => SearchWords { min: 2, max: 100 },
            D::UnsubscribeLinkDead => UnsubscribeLinkDead,
            D::TextEmpty => TextEmpty {
                field: Field::Reason,
            },
            D::TextTooLong => TextTooLong {
                field: Field::Comment,
                length: 5001,
                limit: 5000,
            },
            D::ControlCharacters => ControlCharacters {
                field: Field::DisplayName,
            },
            D::ObjectionNeedsReason => ObjectionNeedsReason,
            D::AgendaSize => AgendaSize { limit: 100 },
            D::TooManyHands => TooManyHands { limit: 10_000 },
            D::CheckClosed => CheckClosed,
            D::CheckOpen => CheckOpen,
            D::NoCurrentItem => NoCurrentItem,
            D::HandUp => HandUp,
            D::PollClosed => PollClosed,
            D::PollScale => PollScale { max: 7 },
            D::PollSize => PollSize { limit: 20 },
            D::CountdownLength => CountdownLength { min: 10, max: 3600 },
            D::ConditionTooHigh => ConditionTooHigh {
                condition: "regions",
                limit: 5,
            },
            D::NotAPrefix => NotAPrefix { prefix: s("9 X") },
            D::StatusCount => StatusCount { limit: 12 },
            D::LinkCount => LinkCount { limit: 20 },
            D::ThresholdNotMet => ThresholdNotMet,
            D::PublishedAlready => PublishedAlready {
                label: s("IGF-O 12"),
            },
            D::Choose => Choose {
                what: Choice::Verdict,
            },
            D::NotAPhase => NotAPhase { phase: s("review") },
            D::NotADateTime => NotADateTime {
                value: s("tomorrow"),
            },
            D::BadLogin => BadLogin { login: s("ana") },
            D::PasswordTooLong => PasswordTooLong { limit: 1024 },
            D::PasswordTooShort => PasswordTooShort { minimum: 10 },
            D::CredentialsTooLong => CredentialsTooLong,
            D::InvitationRole => InvitationRole,
            D::InvitationDays => InvitationDays {
                days: 120,
                limit: 90,
            },
            D::MemberRemovalByDelete => MemberRemovalByDelete,
            D::BadVersionName => BadVersionName { name: s("Final!") },
            D::NotAnExportFormat => NotAnExportFormat {
                format: s("pdf"),
                formats: s("markdown, html, txt, docx"),
            },
            D::NotAStatus => NotAStatus {
                status: s("pending"),
                statuses: s("open, accepted, rejected"),
            },
            D::NotAParagraphId => NotAParagraphId { id: s("17") },
            D::NotAChangeHash => NotAChangeHash { hash: s("xyz") },
            D::CommentElsewhere => CommentElsewhere { id: 42 },
            D::SelectionLost => SelectionLost,
            D::EditCount => EditCount { limit: 50 },
            D::AmendmentEmpty => AmendmentEmpty,
            D::AmendmentHeadsMissing => AmendmentHeadsMissing,
            D::AdjustmentHeadsMissing => AdjustmentHeadsMissing,
            D::AdjustmentNeedsAccept => AdjustmentNeedsAccept,
            D::UnknownBase => UnknownBase {
                hash: s("ab12cd34"),
            },
            D::TextNotAllowed => TextNotAllowed {
                detail: s("a heading may not be empty"),
            },
            D::InvalidDocument => InvalidDocument {
                detail: s("paragraph 3 has no id"),
            },
            D::NoDeadline => NoDeadline {
                phase: Phase::Drafting,
            },
            D::DeadlinePassed => DeadlinePassed { at: 1_790_000_000 },
            D::DeadlineTooFar => DeadlineTooFar { days: 1098 },
            D::ArchiveRefused => ArchiveRefused {
                detail: s("the archive has no manifest"),
            },
            D::MarkdownTooLarge => MarkdownTooLarge {
                bytes: 3_000_000,
                limit: 2_000_000,
            },
            D::LastCallObjectionsOnly => LastCallObjectionsOnly,
            D::ParagraphDeleted => ParagraphDeleted { id: s("p-3") },
            D::CommentSettled => CommentSettled { id: 7 },
            D::HiddenAlready => HiddenAlready { id: 7 },
            D::DecidedAlready => DecidedAlready {
                id: 5,
                status: "accepted-with-modification",
            },
            D::CannotMerge => CannotMerge {
                detail: s("the paragraph was deleted"),
            },
            D::ProposerSponsors => ProposerSponsors,
            D::AmendmentUnreadable => AmendmentUnreadable,
            D::SponsorAlready => SponsorAlready { id: 5 },
            D::EndorsedAlready => EndorsedAlready,
            D::InPhaseAlready => InPhaseAlready {
                phase: Phase::Consultation,
            },
            D::PhaseChanged => PhaseChanged,
            D::ConfirmationLinkDead => ConfirmationLinkDead,
            D::InvitationRevoked => InvitationRevoked,
            D::InvitationUsed => InvitationUsed,
            D::InvitationExpired => InvitationExpired,
            D::VersionExists => VersionExists { name: s("final") },
            D::DocumentExists => DocumentExists { id: s("igf-2026") },
            D::BadJson => BadJson {
                detail: s("expected value at line 1 column 1"),
            },
            D::BadBody => BadBody {
                detail: s("missing field `text` at line 1 column 2"),
            },
            D::BadQuery => BadQuery {
                detail: s("Failed to deserialize query string: invalid digit found in string"),
            },
            D::BadRequest => BadRequest {
                detail: s("No paths parameters found for matched route"),
            },
            D::NotJson => NotJson,
            D::BodyUnreadable => BodyUnreadable {
                detail: s("length limit exceeded"),
            },
        }
    }

    #[test]
    fn every_refusal_reads_in_english_as_its_message() {
        for d in D::iter() {
            let r = sample(d);
            assert_eq!(D::from(&r), d);
            assert_eq!(words(Locale::en, &r), r.message(), "{}", r.code());
        }
    }

    #[test]
    fn every_refusal_is_translated_in_every_other_language() {
        for d in D::iter() {
            let r = sample(d);
            let english = words(Locale::en, &r);
            for locale in OTHERS {
                let theirs = words(locale, &r);
                assert_ne!(theirs, english, "{} in {locale:?}", r.code());
                assert!(!theirs.is_empty(), "{} in {locale:?}", r.code());
            }
        }
    }

    #[test]
    fn every_name_a_refusal_quotes_reads_in_english_as_its_message() {
        use Refusal::*;
        let roles = [Role::Reader, Role::Participant, Role::Drafter, Role::Chair];
        let fields = [
            Field::Comment,
            Field::Reason,
            Field::Rationale,
            Field::ChangeSummary,
            Field::Organisation,
            Field::Title,
            Field::Login,
            Field::DisplayName,
            Field::Affiliation,
            Field::GroupName,
            Field::Question,
        ];
        let things = [
            Thing::Document,
            Thing::Paragraph,
            Thing::Comment,
            Thing::Amendment,
            Thing::Objection,
            Thing::Group,
            Thing::Account,
            Thing::Invitation,
            Thing::Session,
            Thing::Version,
            Thing::Feed,
            Thing::Target,
            Thing::Item,
            Thing::Check,
            Thing::Hand,
        ];
        let choices = [
            Choice::Stance,
            Choice::Disposition,
            Choice::Verdict,
            Choice::StakeholderGroup,
            Choice::Region,
            Choice::GroupKind,
            Choice::Role,
            Choice::Accounts,
            Choice::Language,
        ];
        let mut all: Vec<Refusal> = Vec::new();
        all.extend(Action::iter().map(|action| RoleForbids { action }));
        all.extend(roles.map(|role| RoleMayNotEditText { role }));
        for &phase in Phase::ALL {
            all.extend([
                PhaseForbids { phase },
                NoDeadline { phase },
                InPhaseAlready { phase },
            ]);
        }
        for field in fields {
            all.extend([
                TextEmpty { field },
                TextTooLong {
                    field,
                    length: 81,
                    limit: 80,
                },
                ControlCharacters { field },
            ]);
        }
        for thing in things {
            for id in ["", "42", "-3", "p-17", "final"] {
                all.push(Refusal::unknown(thing, id));
            }
        }
        all.extend(choices.map(|what| Choose { what }));
        for kind in ["login", "register", "write", "search", "export"] {
            all.push(TooManyRequests { kind });
        }
        for status in AmendmentStatus::ALL
            .map(AmendmentStatus::key)
            .into_iter()
            .chain(["pending"])
        {
            all.push(DecidedAlready { id: 1, status });
        }
        for r in all {
            assert_eq!(words(Locale::en, &r), r.message(), "{r:?}");
            for locale in OTHERS {
                assert_ne!(words(locale, &r), r.message(), "{r:?} in {locale:?}");
            }
        }
    }

    #[test]
    fn what_a_client_sent_is_quoted_untranslated() {
        let r = Refusal::unknown(Thing::Comment, "seulement");
        for locale in OTHERS {
            assert!(words(locale, &r).contains("seulement"), "{locale:?}");
        }
        let r = Refusal::BadJson {
            detail: "expected `,` or `}` at line 3 column 9".into(),
        };
        for locale in OTHERS {
            assert!(
                words(locale, &r).ends_with("expected `,` or `}` at line 3 column 9"),
                "{locale:?}"
            );
        }
    }
}
