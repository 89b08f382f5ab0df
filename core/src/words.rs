//! Accord's words outside the pages, from the message catalogue (`accord_i18n`): what mail,
//! notice feeds, exports and the consultation report say. In comes a language (a recipient's,
//! the request's, the document's), out come strings; what people wrote is never translated.

use std::str::FromStr;

use accord_i18n::td_string;
pub use accord_i18n::Locale;
use domain::{
    api::AmendmentStatus,
    consensus::{Disposition, Level, Tally},
    notice::{Notice, NoticeKind, Place},
    phase::Phase,
    profile::{Language, Region, StakeholderGroup},
    report::{self, Named, Phrase},
};

/// The catalogue's locale for a language Accord offers.
pub fn locale(language: Language) -> Locale {
    Locale::from_str(language.key()).unwrap_or(Locale::en)
}

/// The locale of a person's language; English when they chose none.
pub fn locale_of(language: Option<Language>) -> Locale {
    language.map(locale).unwrap_or(Locale::en)
}

/// A phase's name.
pub fn phase(l: Locale, phase: Phase) -> String {
    match phase {
        Phase::Drafting => td_string!(l, common.phase_drafting),
        Phase::Consultation => td_string!(l, common.phase_consultation),
        Phase::LastCall => td_string!(l, common.phase_last_call),
        Phase::Closed => td_string!(l, common.phase_closed),
    }
    .to_string()
}

/// A stakeholder group's name.
pub fn group(l: Locale, group: StakeholderGroup) -> String {
    use StakeholderGroup::*;
    match group {
        Government => td_string!(l, profile.stakeholder_government),
        PrivateSector => td_string!(l, profile.stakeholder_private_sector),
        CivilSociety => td_string!(l, profile.stakeholder_civil_society),
        TechnicalCommunity => td_string!(l, profile.stakeholder_technical_community),
        Academia => td_string!(l, profile.stakeholder_academia),
        Intergovernmental => td_string!(l, profile.stakeholder_intergovernmental),
        Other => td_string!(l, profile.stakeholder_other_group),
    }
    .to_string()
}

/// A UN regional group's name.
pub fn region(l: Locale, region: Region) -> String {
    use Region::*;
    match region {
        African => td_string!(l, profile.region_african),
        AsiaPacific => td_string!(l, profile.region_asia_pacific),
        EasternEuropean => td_string!(l, profile.region_eastern_european),
        LatinAmericanCaribbean => td_string!(l, profile.region_latin_american_caribbean),
        WesternEuropeanOther => td_string!(l, profile.region_western_european_other_states),
    }
    .to_string()
}

/// What became of a comment, in words.
pub fn disposition(l: Locale, disposition: Disposition) -> String {
    use Disposition::*;
    match disposition {
        Answered => td_string!(l, feedback.disposition_answered),
        Accepted => td_string!(l, feedback.disposition_accepted),
        PartlyAccepted => td_string!(l, feedback.disposition_partly_accepted),
        NotAccepted => td_string!(l, feedback.disposition_not_accepted),
    }
    .to_string()
}

/// How far a paragraph is agreed, in words.
pub fn level(l: Locale, level: Level) -> String {
    match level {
        Level::NoStances => td_string!(l, feedback.level_no_stances),
        Level::BroadSupport => td_string!(l, feedback.level_broad_support),
        Level::Accepted => td_string!(l, feedback.level_accepted),
        Level::Objections => td_string!(l, feedback.level_objections),
        Level::Opposed => td_string!(l, feedback.level_opposed),
    }
    .to_string()
}

/// An amendment's status.
pub fn status(l: Locale, status: AmendmentStatus) -> String {
    use AmendmentStatus::*;
    match status {
        Open => td_string!(l, amendments.status_open),
        Accepted => td_string!(l, amendments.status_accepted),
        AcceptedWithModification => td_string!(l, amendments.status_accepted_with_modification),
        Rejected => td_string!(l, amendments.status_rejected),
        Withdrawn => td_string!(l, amendments.status_withdrawn),
        Superseded => td_string!(l, amendments.status_superseded),
    }
    .to_string()
}

/// What happened, in a sentence in `l` (the English one is [`Notice::words`]'s).
pub fn notice(l: Locale, n: &Notice) -> String {
    let (person, document) = (n.by.as_str(), n.document_title.as_str());
    let place = || place(l, n.place());
    // A phase as a notice names it runs on in the sentence: in lower case.
    let phase = || match n.place() {
        Place::Phase(p) => phase(l, p).to_lowercase(),
        _ => n.place.clone(),
    };
    match n.kind {
        NoticeKind::Reply => td_string!(
            l,
            notices.notice_reply,
            person = person,
            place = place(),
            document = document
        )
        .to_string(),
        NoticeKind::Response => td_string!(
            l,
            notices.notice_response,
            person = person,
            place = place(),
            document = document
        )
        .to_string(),
        NoticeKind::Decision => td_string!(
            l,
            notices.notice_decision,
            person = person,
            amendment = place(),
            document = document
        )
        .to_string(),
        NoticeKind::Objection => td_string!(
            l,
            notices.notice_objection,
            person = person,
            place = place(),
            document = document
        )
        .to_string(),
        NoticeKind::Phase => td_string!(
            l,
            notices.notice_phase,
            document = document,
            phase = phase()
        )
        .to_string(),
        NoticeKind::Mention => td_string!(
            l,
            notices.notice_mention,
            person = person,
            place = place(),
            document = document
        )
        .to_string(),
        NoticeKind::Deadline => td_string!(
            l,
            notices.notice_deadline,
            phase = phase(),
            document = document
        )
        .to_string(),
    }
}

/// Where a notice happened, inside its sentence ("paragraph 8(a)", "amendment 4"); words in
/// no known shape as they are.
fn place(l: Locale, place: Place<'_>) -> String {
    match place {
        Place::Paragraph(number) => {
            td_string!(l, notices.notice_place_paragraph, number = number).to_string()
        }
        Place::Heading(excerpt) => {
            td_string!(l, notices.notice_place_heading, excerpt = excerpt).to_string()
        }
        Place::Unnumbered(excerpt) => {
            td_string!(l, notices.notice_place_unnumbered, excerpt = excerpt).to_string()
        }
        Place::Deleted(id) => td_string!(l, notices.notice_place_deleted, id = id).to_string(),
        Place::Amendment(number) => {
            td_string!(l, notices.notice_amendment, number = number).to_string()
        }
        Place::Phase(p) => phase(l, p).to_lowercase(),
        Place::Other(words) => words.to_string(),
    }
}

/// The consultation report's words in a language.
#[derive(Clone, Copy, Debug)]
pub struct ReportWords(pub Locale);

impl report::ReportWords for ReportWords {
    fn phrase(&self, p: Phrase) -> String {
        let l = self.0;
        match p {
            Phrase::Participation => td_string!(l, report.section_participation),
            Phrase::ParagraphByParagraph => td_string!(l, report.section_paragraphs),
            Phrase::Amendments => td_string!(l, report.section_amendments),
            Phrase::Versions => td_string!(l, report.section_versions),
            Phrase::DecisionRecord => td_string!(l, report.section_record),
            Phrase::StakeholderGroup => td_string!(l, report.column_stakeholder_group),
            Phrase::Region => td_string!(l, report.column_region),
            Phrase::Participants => td_string!(l, report.column_participants),
            Phrase::Comments => td_string!(l, report.column_comments),
            Phrase::Stances => td_string!(l, report.column_stances),
            Phrase::Support => td_string!(l, report.column_support),
            Phrase::CanLiveWith => td_string!(l, report.column_can_live_with),
            Phrase::Oppose => td_string!(l, report.column_oppose),
            Phrase::Number => td_string!(l, report.column_number),
            Phrase::ProposedBy => td_string!(l, report.column_proposed_by),
            Phrase::Paragraphs => td_string!(l, report.column_paragraphs),
            Phrase::Rationale => td_string!(l, report.column_rationale),
            Phrase::Outcome => td_string!(l, report.column_outcome),
            Phrase::Version => td_string!(l, report.column_version),
            Phrase::Cut => td_string!(l, report.column_cut),
            Phrase::By => td_string!(l, report.column_by),
            Phrase::Changes => td_string!(l, report.column_changes),
            Phrase::When => td_string!(l, report.column_when),
            Phrase::Who => td_string!(l, report.column_who),
            Phrase::What => td_string!(l, report.column_what),
            Phrase::Why => td_string!(l, report.column_why),
            Phrase::NotStated => td_string!(l, report.not_stated),
            Phrase::NewParagraph => td_string!(l, report.new_paragraph),
            Phrase::NotYetAnswered => td_string!(l, report.not_yet_answered),
            Phrase::NoFeedback => td_string!(l, report.no_feedback),
            Phrase::NoAmendments => td_string!(l, report.no_amendments),
            Phrase::NoVersions => td_string!(l, report.no_versions),
            Phrase::NoRecord => td_string!(l, report.no_record),
        }
        .to_string()
    }

    fn title(&self, title: &str) -> String {
        td_string!(self.0, report.title, title = title).to_string()
    }

    fn heading_line(&self, version: &str, date: &str, phase: &str) -> String {
        td_string!(
            self.0,
            report.heading_line,
            version = version,
            date = date,
            phase = phase
        )
        .to_string()
    }

    fn took_part(&self, people: u32, comments: u32, stances: u32) -> String {
        let l = self.0;
        td_string!(
            l,
            report.took_part,
            count = people,
            comments = td_string!(l, report.comments, count = comments).to_string(),
            stances = td_string!(l, report.stances, count = stances).to_string()
        )
        .to_string()
    }

    fn group(&self, g: StakeholderGroup) -> String {
        group(self.0, g)
    }

    fn region(&self, r: Region) -> String {
        region(self.0, r)
    }

    fn disposition(&self, d: Disposition) -> String {
        disposition(self.0, d)
    }

    fn status(&self, s: AmendmentStatus) -> String {
        status(self.0, s)
    }

    fn paragraph(&self, name: Named<'_>) -> String {
        let l = self.0;
        match name {
            Named::Deleted => td_string!(l, report.paragraph_deleted).to_string(),
            Named::Heading(text) => {
                td_string!(l, report.paragraph_heading, text = text).to_string()
            }
            Named::Numbered(number) => {
                td_string!(l, report.paragraph_numbered, number = number).to_string()
            }
            Named::Unnumbered(excerpt) => {
                td_string!(l, report.paragraph_unnumbered, excerpt = excerpt).to_string()
            }
        }
    }

    fn support(&self, t: &Tally, lvl: Level, groups: u32) -> String {
        let l = self.0;
        td_string!(
            l,
            report.support,
            count = groups,
            support = t.support,
            can_live_with = t.can_live_with,
            oppose = t.oppose,
            level = level(l, lvl)
        )
        .to_string()
    }

    fn person(&self, name: &str, affiliation: &str) -> String {
        td_string!(
            self.0,
            report.person_of,
            person = name,
            affiliation = affiliation
        )
        .to_string()
    }

    fn comment(&self, reply: bool, person: &str, date: &str, words: &str) -> String {
        let l = self.0;
        match reply {
            true => td_string!(
                l,
                report.reply_by,
                person = person,
                date = date,
                words = words
            )
            .to_string(),
            false => td_string!(
                l,
                report.comment_by,
                person = person,
                date = date,
                words = words
            )
            .to_string(),
        }
    }

    fn hidden(&self, by: &str, reason: &str) -> String {
        td_string!(self.0, report.hidden_by, person = by, reason = reason).to_string()
    }

    fn decided(&self, outcome: &str, by: &str, date: &str, reason: &str) -> String {
        td_string!(
            self.0,
            report.decided_by,
            outcome = outcome,
            person = by,
            date = date,
            reason = reason
        )
        .to_string()
    }

    fn objection(&self, person: &str, date: &str, counted: bool, reason: &str) -> String {
        let l = self.0;
        match counted {
            true => td_string!(
                l,
                report.objection_by,
                person = person,
                date = date,
                reason = reason
            )
            .to_string(),
            false => td_string!(
                l,
                report.objection_set_aside_by,
                person = person,
                date = date,
                reason = reason
            )
            .to_string(),
        }
    }

    fn amendment(&self, number: i64, proposer: &str, rationale: &str, outcome: &str) -> String {
        td_string!(
            self.0,
            report.amendment_by,
            number = number,
            person = proposer,
            rationale = rationale,
            outcome = outcome
        )
        .to_string()
    }

    fn record_chained(&self, hash: &str) -> String {
        td_string!(self.0, report.record_chained, hash = hash).to_string()
    }

    fn published_as(&self, label: &str, url: &str) -> String {
        td_string!(self.0, report.published_as, label = label, url = url).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(kind: NoticeKind, place: &str) -> Notice {
        Notice {
            id: 1,
            kind,
            document: "d".into(),
            document_title: "Outputs of the Forum".into(),
            place: place.into(),
            by: "Ana".into(),
            link: "/documents/d".into(),
            at: 0,
            read: false,
        }
    }

    fn every_notice() -> Vec<Notice> {
        let mut all = Vec::new();
        for kind in NoticeKind::ALL {
            let places: &[&str] = match kind {
                NoticeKind::Decision => &["amendment 4"],
                NoticeKind::Phase | NoticeKind::Deadline => &["public consultation", "last call"],
                _ => &[
                    "paragraph 8(a)",
                    "the heading “Scope”",
                    "the paragraph “Recalling…”",
                    "a deleted paragraph (p-17)",
                ],
            };
            all.extend(places.iter().map(|p| notice(kind, p)));
        }
        all
    }

    // Guards English mail and feeds against the catalogue drifting from the sentences the
    // notices page and the tests read.
    #[test]
    fn a_notice_in_english_says_what_notice_words_says() {
        for n in every_notice() {
            assert_eq!(notice_words(Locale::en, &n), n.words(), "{:?}", n.kind);
        }
    }

    #[test]
    fn a_notice_in_french_names_its_place_in_french() {
        let said: Vec<String> = every_notice()
            .iter()
            .map(|n| notice_words(Locale::fr, n))
            .collect();
        assert!(said.iter().all(|s| !s.contains("paragraph ")), "{said:#?}");
        assert!(
            said.iter().any(|s| s.contains("paragraphe 8(a)")),
            "{said:#?}"
        );
        assert!(
            said.iter().any(|s| s.contains("consultation publique")),
            "{said:#?}"
        );
        assert!(said.iter().any(|s| s.contains("amendement 4")), "{said:#?}");
    }

    #[test]
    fn every_language_a_profile_offers_has_its_locale() {
        let locales: std::collections::BTreeSet<String> = Language::ALL
            .iter()
            .map(|&l| format!("{:?}", locale(l)))
            .collect();
        assert_eq!(locales.len(), Language::ALL.len(), "{locales:?}");
        assert_eq!(locale(Language::Arabic), Locale::ar);
        assert_eq!(locale_of(None), Locale::en);
    }

    fn notice_words(l: Locale, n: &Notice) -> String {
        super::notice(l, n)
    }
}
