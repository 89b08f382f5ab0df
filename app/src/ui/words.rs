//! The names of Accord's fixed choices (phases, roles, stances, stakeholder groups, regions …)
//! in the reader's language. Domain types keep English `label()`s for logs and exports; pages
//! show these instead.

use accord_i18n::{t_string, Locale};
use domain::{
    api::{AmendmentStatus, Role},
    consensus::{Disposition, Flag, Level, Stance, Tally},
    document::ParagraphKind,
    phase::Phase,
    profile::{AgeBand, Gender, Region, StakeholderGroup},
};

/// The i18n context a page reads its words from.
pub(crate) type I18n = leptos_i18n::I18nContext<Locale>;

/// A phase's name.
pub(crate) fn phase(i18n: I18n, phase: Phase) -> String {
    match phase {
        Phase::Drafting => t_string!(i18n, common.phase_drafting),
        Phase::Consultation => t_string!(i18n, common.phase_consultation),
        Phase::LastCall => t_string!(i18n, common.phase_last_call),
        Phase::Closed => t_string!(i18n, common.phase_closed),
    }
    .to_string()
}

/// A role's name (lower case, as badges show it).
pub(crate) fn role(i18n: I18n, role: Role) -> String {
    match role {
        Role::Reader => t_string!(i18n, common.role_reader),
        Role::Participant => t_string!(i18n, common.role_participant),
        Role::Drafter => t_string!(i18n, common.role_drafter),
        Role::Chair => t_string!(i18n, common.role_chair),
    }
    .to_string()
}

/// A stakeholder group's name.
pub(crate) fn group(i18n: I18n, group: StakeholderGroup) -> String {
    use StakeholderGroup::*;
    match group {
        Government => t_string!(i18n, profile.stakeholder_government),
        PrivateSector => t_string!(i18n, profile.stakeholder_private_sector),
        CivilSociety => t_string!(i18n, profile.stakeholder_civil_society),
        TechnicalCommunity => t_string!(i18n, profile.stakeholder_technical_community),
        Academia => t_string!(i18n, profile.stakeholder_academia),
        Intergovernmental => t_string!(i18n, profile.stakeholder_intergovernmental),
        Other => t_string!(i18n, profile.stakeholder_other_group),
    }
    .to_string()
}

/// A UN regional group's name.
pub(crate) fn region(i18n: I18n, region: Region) -> String {
    use Region::*;
    match region {
        African => t_string!(i18n, profile.region_african),
        AsiaPacific => t_string!(i18n, profile.region_asia_pacific),
        EasternEuropean => t_string!(i18n, profile.region_eastern_european),
        LatinAmericanCaribbean => t_string!(i18n, profile.region_latin_american_caribbean),
        WesternEuropeanOther => t_string!(i18n, profile.region_western_european_other_states),
    }
    .to_string()
}

/// A gender's name.
pub(crate) fn gender(i18n: I18n, gender: Gender) -> String {
    match gender {
        Gender::Woman => t_string!(i18n, profile.gender_woman),
        Gender::Man => t_string!(i18n, profile.gender_man),
        Gender::NonBinary => t_string!(i18n, profile.gender_non_binary),
        Gender::SelfDescribed => t_string!(i18n, profile.gender_self_described),
    }
    .to_string()
}

/// An age band's name.
pub(crate) fn age(i18n: I18n, age: AgeBand) -> String {
    match age {
        AgeBand::Under25 => t_string!(i18n, profile.age_under_25),
        AgeBand::From25To39 => t_string!(i18n, profile.age_25_39),
        AgeBand::From40To59 => t_string!(i18n, profile.age_40_59),
        AgeBand::Over60 => t_string!(i18n, profile.age_60_plus),
    }
    .to_string()
}

/// A stance's name.
pub(crate) fn stance(i18n: I18n, stance: Stance) -> String {
    match stance {
        Stance::Support => t_string!(i18n, feedback.stance_support),
        Stance::CanLiveWith => t_string!(i18n, feedback.stance_can_live_with),
        Stance::Oppose => t_string!(i18n, feedback.stance_oppose),
    }
    .to_string()
}

/// What became of a comment, in words.
pub(crate) fn disposition(i18n: I18n, disposition: Disposition) -> String {
    use Disposition::*;
    match disposition {
        Answered => t_string!(i18n, feedback.disposition_answered),
        Accepted => t_string!(i18n, feedback.disposition_accepted),
        PartlyAccepted => t_string!(i18n, feedback.disposition_partly_accepted),
        NotAccepted => t_string!(i18n, feedback.disposition_not_accepted),
    }
    .to_string()
}

/// How far a paragraph is agreed, in words.
pub(crate) fn level(i18n: I18n, level: Level) -> String {
    match level {
        Level::NoStances => t_string!(i18n, feedback.level_no_stances),
        Level::BroadSupport => t_string!(i18n, feedback.level_broad_support),
        Level::Accepted => t_string!(i18n, feedback.level_accepted),
        Level::Objections => t_string!(i18n, feedback.level_objections),
        Level::Opposed => t_string!(i18n, feedback.level_opposed),
    }
    .to_string()
}

/// An amendment's status.
pub(crate) fn amendment_status(i18n: I18n, status: AmendmentStatus) -> String {
    use AmendmentStatus::*;
    match status {
        Open => t_string!(i18n, amendments.status_open),
        Accepted => t_string!(i18n, amendments.status_accepted),
        AcceptedWithModification => t_string!(i18n, amendments.status_accepted_with_modification),
        Rejected => t_string!(i18n, amendments.status_rejected),
        Withdrawn => t_string!(i18n, amendments.status_withdrawn),
        Superseded => t_string!(i18n, amendments.status_superseded),
    }
    .to_string()
}

/// A paragraph kind's name, as the kind menu offers it.
pub(crate) fn kind(i18n: I18n, kind: ParagraphKind) -> String {
    match kind {
        ParagraphKind::Heading => t_string!(i18n, document.kind_heading),
        ParagraphKind::Numbered => t_string!(i18n, document.kind_numbered),
        ParagraphKind::Sub => t_string!(i18n, document.kind_sub),
        ParagraphKind::Plain => t_string!(i18n, document.kind_plain),
    }
    .to_string()
}

/// A paragraph's stances in words: "5 support · 2 can live with · 1 opposes", or "no stances
/// yet".
pub(crate) fn tally(i18n: I18n, tally: &Tally) -> String {
    if tally.total() == 0 {
        return t_string!(i18n, feedback.tally_none).to_string();
    }
    [
        t_string!(i18n, feedback.tally_support, count = tally.support).to_string(),
        t_string!(
            i18n,
            feedback.tally_can_live_with,
            count = tally.can_live_with
        )
        .to_string(),
        t_string!(i18n, feedback.tally_oppose, count = tally.oppose).to_string(),
    ]
    .join(" · ")
}

/// A flag on a paragraph in words, complete without a legend.
pub(crate) fn flag(i18n: I18n, flag: &Flag) -> String {
    match *flag {
        Flag::UnansweredObjections { count } => {
            t_string!(i18n, feedback.flag_unanswered_objections, count = count).to_string()
        }
        Flag::ConcentratedObjections {
            group: g,
            objections,
            of,
        } => t_string!(
            i18n,
            feedback.flag_concentrated_objections,
            count = of,
            objections = objections,
            group = group(i18n, g).to_lowercase()
        )
        .to_string(),
        Flag::NarrowSupport { groups } => {
            t_string!(i18n, feedback.flag_narrow_support, count = groups).to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use accord_i18n::Locale;
    use domain::profile::Language;
    use leptos_i18n::Locale as _;

    #[test]
    fn the_languages_a_profile_offers_are_the_catalogues() {
        let offered: Vec<&str> = Language::ALL.iter().map(|l| l.key()).collect();
        let mut spoken: Vec<&str> = Locale::get_all().iter().map(|l| l.as_str()).collect();
        spoken.sort();
        let mut sorted = offered.clone();
        sorted.sort();
        assert_eq!(sorted, spoken);
        for l in Language::ALL {
            let locale = Locale::from_str(l.key()).expect("a locale");
            assert_eq!(
                l.right_to_left(),
                locale.direction() == leptos_i18n::Direction::RightToLeft
            );
        }
    }
}
