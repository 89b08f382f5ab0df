//! Published outputs as a citable series, pure: a threshold rule evaluated against a
//! consultation's figures, the time a text was open to everyone, what a series' settings and a
//! publication may hold, and how a number is cited (plain text, BibTeX, CSL-JSON).

use std::collections::{BTreeMap, BTreeSet};

use crate::{
    api::{ConditionResult, Evaluation, OutputSummary, Publish, Series, Threshold},
    consensus::{CommentFact, Stance, StanceFact},
    phase::Phase,
    profile::StakeholderGroup,
    refusal::{quote, Choice, Field, Refusal},
    rules::{self, Lines},
};

choice!(
    /// A condition a threshold rule may ask.
    Condition {
        NoUnansweredObjections = "no-unanswered-objections" / "No unanswered objections",
        GroupsWithText = "groups-with-text" / "Stakeholder groups with the text",
        Participants = "participants" / "Participants",
        Regions = "regions" / "Regions",
        ConsultationDays = "consultation-days" / "Days open to everyone",
    }
);

/// The most a condition may ask: every stakeholder group, every region, and bounds no real
/// consultation reaches.
pub fn limit(c: Condition) -> u32 {
    match c {
        Condition::NoUnansweredObjections => 1,
        Condition::GroupsWithText => StakeholderGroup::ALL.len() as u32,
        Condition::Regions => crate::profile::Region::ALL.len() as u32,
        Condition::Participants => 1_000_000,
        Condition::ConsultationDays => 3_650,
    }
}

/// What a rule asks of `c` (0: nothing).
fn asked(rule: &Threshold, c: Condition) -> u32 {
    match c {
        Condition::NoUnansweredObjections => u32::from(rule.no_unanswered_objections),
        Condition::GroupsWithText => rule.groups_with_text,
        Condition::Participants => rule.participants,
        Condition::Regions => rule.regions,
        Condition::ConsultationDays => rule.consultation_days,
    }
}

/// A rule as a client sent it, or the refusal naming the condition that asks too much.
pub fn check_rule(rule: &Threshold) -> Result<(), Refusal> {
    for c in Condition::ALL {
        if asked(rule, *c) > limit(*c) {
            return Err(Refusal::ConditionTooHigh {
                condition: c.key(),
                limit: limit(*c),
            });
        }
    }
    Ok(())
}

/// What a consultation shows, as a threshold rule reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub unanswered_objections: u32,
    /// Stated stakeholder groups with a counted stance or a visible comment ...
    pub groups_took_part: u32,
    /// ... and those of them whose support and can-live-with outnumber their objections.
    pub groups_with_text: u32,
    /// People with a counted stance or a visible comment, and the stated regions among them.
    pub participants: u32,
    pub regions: u32,
    /// Seconds the text was open to everyone.
    pub open_secs: i64,
}

/// The figures of a consultation on the paragraphs `live` (the final text's), from its counted
/// stances and its comments, open to everyone for `open_secs`.
pub fn figures<'a>(
    live: impl IntoIterator<Item = &'a str>,
    stances: &[StanceFact],
    comments: &[CommentFact],
    open_secs: i64,
) -> Figures {
    let live: BTreeSet<&str> = live.into_iter().collect();
    let on_text = |p: &str| live.contains(p);
    let unanswered_objections = stances
        .iter()
        .filter(|s| on_text(&s.paragraph) && s.stance == Stance::Oppose && !s.answered)
        .count() as u32;
    // Per stated group: stances for the text (support, can live with) and against it.
    let mut lean: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    for s in stances.iter().filter(|s| on_text(&s.paragraph)) {
        if let Some(g) = s.profile.group {
            let e = lean.entry(g.key()).or_default();
            match s.stance {
                Stance::Oppose => e.1 += 1,
                _ => e.0 += 1,
            }
        }
    }
    let mut took_part: BTreeSet<&str> = lean.keys().copied().collect();
    let mut people = BTreeMap::new();
    for s in stances {
        people.insert(s.account.as_str(), s.profile.region);
    }
    for c in comments.iter().filter(|c| !c.hidden) {
        people.insert(c.account.as_str(), c.profile.region);
        if let Some(g) = c.profile.group {
            took_part.insert(g.key());
        }
    }
    let regions: BTreeSet<&str> = people.values().flatten().map(|r| r.key()).collect();
    Figures {
        unanswered_objections,
        groups_took_part: took_part.len() as u32,
        groups_with_text: lean
            .values()
            .filter(|(for_, against)| for_ > against)
            .count() as u32,
        participants: people.len() as u32,
        regions: regions.len() as u32,
        open_secs,
    }
}

/// Seconds a document spent open to everyone (the consultation and last call), from its phase
/// moves `(phase entered, when)` in order, up to `now`.
pub fn open_secs(moves: &[(Phase, i64)], now: i64) -> i64 {
    let open = |p: Phase| matches!(p, Phase::Consultation | Phase::LastCall);
    let mut total = 0;
    for (i, (phase, at)) in moves.iter().enumerate() {
        let until = moves.get(i + 1).map(|(_, t)| *t).unwrap_or(now);
        if open(*phase) {
            total += (until - at).max(0);
        }
    }
    total
}

/// `rule` against `f`: every condition it asks, met or not.
pub fn evaluate(rule: &Threshold, f: &Figures) -> Evaluation {
    let days = u32::try_from(f.open_secs.max(0) / 86_400).unwrap_or(u32::MAX);
    let conditions: Vec<ConditionResult> = Condition::ALL
        .iter()
        .filter(|c| asked(rule, **c) > 0)
        .map(|c| {
            let required = asked(rule, *c);
            let (required, found, met) = match c {
                Condition::NoUnansweredObjections => {
                    (0, f.unanswered_objections, f.unanswered_objections == 0)
                }
                Condition::GroupsWithText => {
                    (required, f.groups_with_text, f.groups_with_text >= required)
                }
                Condition::Participants => (required, f.participants, f.participants >= required),
                Condition::Regions => (required, f.regions, f.regions >= required),
                Condition::ConsultationDays => (required, days, days >= required),
            };
            ConditionResult {
                condition: *c,
                required,
                found,
                met,
            }
        })
        .collect();
    Evaluation {
        rule: rule.clone(),
        met: conditions.iter().all(|c| c.met),
        conditions,
    }
}

/// The most statuses a series offers, and the longest a status or a series' name may be.
pub const MAX_STATUSES: usize = 12;
pub const MAX_STATUS_CHARS: usize = 40;
pub const MAX_SERIES_NAME_CHARS: usize = 80;
/// The most earlier numbers one publication updates or obsoletes.
pub const MAX_LINKS: usize = 20;

/// Whether `prefix` may go before a number: 1 to 12 ASCII letters, digits and `-`, starting
/// with a letter (it appears in citations, file names and BibTeX keys).
pub fn is_prefix(prefix: &str) -> bool {
    (1..=12).contains(&prefix.len())
        && prefix.starts_with(|c: char| c.is_ascii_alphabetic())
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// A series' settings as an admin sent them, cleaned, or why not.
pub fn check_series(s: &Series) -> Result<Series, Refusal> {
    let name = rules::required(
        Field::SeriesName,
        &s.name,
        Lines::One,
        MAX_SERIES_NAME_CHARS,
    )?;
    let prefix = s.prefix.trim().to_string();
    if !is_prefix(&prefix) {
        return Err(Refusal::NotAPrefix {
            prefix: quote(&prefix, 20),
        });
    }
    let mut statuses: Vec<String> = Vec::new();
    for status in &s.statuses {
        if let Some(status) = rules::clean(Field::Status, status, Lines::One, MAX_STATUS_CHARS)? {
            if !statuses.contains(&status) {
                statuses.push(status);
            }
        }
    }
    if statuses.is_empty() || statuses.len() > MAX_STATUSES {
        return Err(Refusal::StatusCount {
            limit: MAX_STATUSES,
        });
    }
    Ok(Series {
        name,
        prefix,
        statuses,
    })
}

/// A publication as a chair sent it, against the series and the numbers there are: its status
/// one of the series', its links to numbers that exist (each once, none both updated and
/// obsoleted), and a reason whenever the rule is not met. Returns the override's reason.
pub fn check_publish(
    p: &Publish,
    series: &Series,
    exists: impl Fn(u32) -> bool,
    evaluation: &Evaluation,
) -> Result<Option<String>, Refusal> {
    if !series.statuses.contains(&p.status) {
        return Err(Refusal::NotAStatus {
            status: quote(&p.status, 40),
            statuses: series.statuses.join(", "),
        });
    }
    if p.updates.len() + p.obsoletes.len() > MAX_LINKS {
        return Err(Refusal::LinkCount { limit: MAX_LINKS });
    }
    let mut seen = BTreeSet::new();
    for n in p.updates.iter().chain(&p.obsoletes) {
        if !exists(*n) {
            return Err(Refusal::unknown(
                crate::refusal::Thing::Output,
                &n.to_string(),
            ));
        }
        if !seen.insert(*n) {
            return Err(Refusal::Choose {
                what: Choice::Links,
            });
        }
    }
    let reason = match &p.override_reason {
        Some(r) => rules::clean(
            Field::Reason,
            r,
            Lines::Many,
            crate::limits::MAX_REASON_CHARS,
        )?,
        None => None,
    };
    match (evaluation.met, reason) {
        (true, _) => Ok(None),
        (false, None) => Err(Refusal::ThresholdNotMet),
        (false, Some(r)) => Ok(Some(r)),
    }
}

/// The SHA-256 of a text as published, over its Markdown, in hex: what the record keeps and a
/// restore checks.
pub fn text_hash(outline: &crate::Outline) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(crate::markdown::export(outline).as_bytes()))
}

/// The prefix and number as cited: `IGF-O 12`.
pub fn label(prefix: &str, number: u32) -> String {
    format!("{prefix} {number}")
}

/// The labels of `numbers` in the series `label` is from (its prefix, before the last space).
pub fn labels_like(label: &str, numbers: &[u32]) -> Vec<String> {
    let prefix = label.rsplit_once(' ').map_or("", |(p, _)| p);
    numbers.iter().map(|n| self::label(prefix, *n)).collect()
}

/// What a citation names, besides the output itself.
pub struct Cited<'a> {
    pub output: &'a OutputSummary,
    /// The series' name when it was published.
    pub series: &'a str,
    /// The number's permanent address.
    pub url: &'a str,
    /// The document's language, as a BCP 47 tag.
    pub language: &'a str,
}

/// A citation in running text: `Group, "Title", Series IGF-O 12 (Status), 3 Dec 2026, URL.`
pub fn cite_text(c: &Cited) -> String {
    let o = c.output;
    let (year, month, day, _, _) = crate::time::civil_utc(o.published_at);
    let month = crate::time::MONTHS[(month - 1).clamp(0, 11) as usize];
    format!(
        "{}, \"{}\", {} {} ({}), {day} {month} {year}, {}.",
        o.group, o.title, c.series, o.label, o.status, c.url
    )
}

/// BibTeX's special characters written so that BibTeX prints them as they are.
fn bib(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(ch);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The citation key of a number: its label in lower case, `-` for spaces (`igf-o-12`).
pub fn key(label: &str) -> String {
    label.to_lowercase().replace(' ', "-")
}

/// A BibTeX entry (`@techreport`, the group as a corporate author in double braces).
pub fn cite_bibtex(c: &Cited) -> String {
    let o = c.output;
    let (year, month, _, _, _) = crate::time::civil_utc(o.published_at);
    // BibTeX's own month macros: `dec`.
    let month = crate::time::MONTHS[(month - 1).clamp(0, 11) as usize].to_lowercase();
    format!(
        "@techreport{{{key},\n  title = {{{{{title}}}}},\n  author = {{{{{group}}}}},\n  \
         institution = {{{group}}},\n  type = {{{series}}},\n  number = {{{label}}},\n  \
         year = {{{year}}},\n  month = {month},\n  note = {{{status}}},\n  url = {{{url}}},\n  \
         language = {{{language}}}\n}}\n",
        key = key(&o.label),
        title = bib(&o.title),
        group = bib(&o.group),
        series = bib(c.series),
        label = bib(&o.label),
        status = bib(&o.status),
        url = bib(c.url),
        language = c.language,
    )
}

/// CSL-JSON (what Zotero, Pandoc and citeproc read): an array of one `report` item.
pub fn cite_csl(c: &Cited) -> serde_json::Value {
    let o = c.output;
    let (year, month, day, _, _) = crate::time::civil_utc(o.published_at);
    serde_json::json!([{
        "id": key(&o.label),
        "type": "report",
        "title": o.title,
        "author": [{ "literal": o.group }],
        "publisher": o.group,
        "collection-title": c.series,
        "number": o.label,
        "genre": o.status,
        "issued": { "date-parts": [[year, month, day]] },
        "URL": c.url,
        "language": c.language,
    }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consensus::Profile;
    use crate::profile::Region;

    fn stance(p: &str, who: &str, s: Stance, g: StakeholderGroup, r: Region) -> StanceFact {
        StanceFact {
            paragraph: p.into(),
            account: who.into(),
            stance: s,
            profile: Profile {
                group: Some(g),
                region: Some(r),
                gender: None,
            },
            answered: false,
        }
    }

    fn rule() -> Threshold {
        Threshold {
            no_unanswered_objections: true,
            groups_with_text: 2,
            participants: 3,
            regions: 2,
            consultation_days: 14,
        }
    }

    use Region::*;
    use StakeholderGroup::*;

    #[test]
    fn a_consultation_that_meets_every_condition() {
        let stances = vec![
            stance("p1", "a", Stance::Support, Government, African),
            stance("p1", "b", Stance::CanLiveWith, CivilSociety, AsiaPacific),
            stance("p2", "c", Stance::Support, CivilSociety, African),
        ];
        let f = figures(["p1", "p2"], &stances, &[], 15 * 86_400);
        assert_eq!(f.groups_took_part, 2);
        assert_eq!(f.groups_with_text, 2);
        assert_eq!((f.participants, f.regions), (3, 2));
        let e = evaluate(&rule(), &f);
        assert!(e.met, "{e:?}");
        assert_eq!(e.conditions.len(), 5);
    }

    #[test]
    fn an_unanswered_objection_and_a_short_consultation_are_not_met() {
        let mut stances = vec![
            stance("p1", "a", Stance::Support, Government, African),
            stance("p1", "b", Stance::Oppose, CivilSociety, AsiaPacific),
            stance("p2", "c", Stance::Support, Academia, African),
        ];
        let f = figures(["p1", "p2"], &stances, &[], 13 * 86_400 + 86_399);
        let e = evaluate(&rule(), &f);
        assert!(!e.met);
        let failed: Vec<Condition> = e
            .conditions
            .iter()
            .filter(|c| !c.met)
            .map(|c| c.condition)
            .collect();
        // Civil society objects more than it supports: two groups with the text still.
        assert_eq!(
            failed,
            vec![
                Condition::NoUnansweredObjections,
                Condition::ConsultationDays
            ]
        );
        let days = e.conditions.last().expect("days");
        assert_eq!((days.required, days.found), (14, 13));
        // Answered, the objection no longer stands in the way.
        stances[1].answered = true;
        let f = figures(["p1", "p2"], &stances, &[], 14 * 86_400);
        assert!(evaluate(&rule(), &f).met);
    }

    #[test]
    fn stances_on_paragraphs_no_longer_in_the_text_do_not_count_for_it() {
        let stances = vec![
            stance("gone", "a", Stance::Oppose, Government, African),
            stance("p1", "b", Stance::Support, Government, African),
        ];
        let f = figures(["p1"], &stances, &[], 0);
        assert_eq!(f.unanswered_objections, 0);
        assert_eq!(f.groups_with_text, 1);
        // Both took part all the same.
        assert_eq!(f.participants, 2);
    }

    #[test]
    fn a_rule_that_asks_nothing_is_met_and_lists_nothing() {
        let e = evaluate(&Threshold::default(), &Figures::default());
        assert!(e.met);
        assert!(e.conditions.is_empty());
    }

    #[test]
    fn time_open_counts_the_consultation_and_last_call_only() {
        let moves = [
            (Phase::Drafting, 0),
            (Phase::Consultation, 100),
            (Phase::LastCall, 400),
            (Phase::Drafting, 500),
            (Phase::Consultation, 1_000),
            (Phase::Closed, 1_050),
        ];
        assert_eq!(open_secs(&moves, 5_000), 450);
        assert_eq!(open_secs(&moves[..5], 1_200), 600);
    }

    #[test]
    fn rules_series_and_publications_are_checked() {
        let mut r = rule();
        r.regions = 6;
        assert_eq!(
            check_rule(&r),
            Err(Refusal::ConditionTooHigh {
                condition: "regions",
                limit: 5
            })
        );
        assert!(is_prefix("IGF-O") && !is_prefix("9X") && !is_prefix("A B") && !is_prefix(""));
        let series = check_series(&Series {
            name: " IGF Outputs ".into(),
            prefix: "IGF-O".into(),
            statuses: vec!["Recommendation".into(), " ".into(), "Recommendation".into()],
        })
        .expect("a series");
        assert_eq!(series.statuses, vec!["Recommendation"]);
        assert_eq!(series.name, "IGF Outputs");
        let not_met = evaluate(&rule(), &Figures::default());
        let publish = |status: &str, updates: Vec<u32>, reason: Option<&str>| Publish {
            status: status.into(),
            updates,
            obsoletes: vec![1],
            override_reason: reason.map(str::to_string),
        };
        let exists = |n: u32| n <= 2;
        let p = publish("Recommendation", vec![2], None);
        assert_eq!(
            check_publish(&p, &series, exists, &not_met),
            Err(Refusal::ThresholdNotMet)
        );
        let p = publish("Recommendation", vec![2], Some("The plenary agreed."));
        assert_eq!(
            check_publish(&p, &series, exists, &not_met),
            Ok(Some("The plenary agreed.".into()))
        );
        let p = publish("Historic", vec![], None);
        assert!(matches!(
            check_publish(&p, &series, exists, &not_met),
            Err(Refusal::NotAStatus { .. })
        ));
        let p = publish("Recommendation", vec![3], Some("x"));
        assert!(matches!(
            check_publish(&p, &series, exists, &not_met),
            Err(Refusal::Unknown { .. })
        ));
        let p = publish("Recommendation", vec![1], Some("x"));
        assert!(matches!(
            check_publish(&p, &series, exists, &not_met),
            Err(Refusal::Choose { .. })
        ));
    }

    #[test]
    fn citations_escape_what_their_formats_would_read() {
        let o = OutputSummary {
            number: 12,
            label: "IGF-O 12".into(),
            title: "Cyber {norms} & 100% of_it".into(),
            status: "Best Practice".into(),
            group: "BPF Cybersecurity".into(),
            published_at: 1_796_256_000, // 2026-12-03
            updates: vec![],
            obsoletes: vec![],
            updated_by: vec![],
            obsoleted_by: vec![],
        };
        let c = Cited {
            output: &o,
            series: "IGF Outputs",
            url: "https://accord.example.org/outputs/12",
            language: "en",
        };
        let bibtex = cite_bibtex(&c);
        assert!(bibtex.starts_with("@techreport{igf-o-12,\n"), "{bibtex}");
        assert!(bibtex.contains("title = {{Cyber \\{norms\\} \\& 100\\% of\\_it}}"));
        assert!(bibtex.contains("month = dec,"));
        assert!(bibtex.contains("year = {2026}"));
        let csl = cite_csl(&c);
        assert_eq!(
            csl[0]["issued"]["date-parts"][0],
            serde_json::json!([2026, 12, 3])
        );
        assert_eq!(csl[0]["number"], "IGF-O 12");
        assert_eq!(
            cite_text(&c),
            "BPF Cybersecurity, \"Cyber {norms} & 100% of_it\", IGF Outputs IGF-O 12 \
             (Best Practice), 3 Dec 2026, https://accord.example.org/outputs/12."
        );
    }
}
