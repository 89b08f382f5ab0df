//! The consultation report: who took part, and for every paragraph its support, its comments,
//! objections and amendments, each with what became of it and why; then every amendment, the
//! versions and the decision record. This is the disposition-of-comments annex chairs used to
//! write by hand. [`blocks`] lays it out once for every printed form (HTML here, DOCX in the
//! server), in the words of the document's language ([`ReportWords`], which the core fills from
//! the message catalogue).

use super::{
    consensus::{Balance, Breakdown, Disposition, Level, ParagraphConsensus, Tally},
    export::{About, Block},
    profile::{Region, StakeholderGroup},
    record::Entry,
    time, Paragraph, ParagraphKind,
};
use crate::api::{AmendmentStatus, AmendmentView, Comment, Objection, Response, VersionSummary};

/// Everything a report says, gathered by the server.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub title: String,
    /// The group, "Consultation report" and when it was drawn up, in the document's language.
    pub about: About,
    /// The phase the document is in, as shown.
    pub phase: String,
    pub balance: Balance,
    /// Every paragraph now, then paragraphs since deleted that had feedback.
    pub paragraphs: Vec<ParagraphReport>,
    /// Every amendment, oldest first.
    pub amendments: Vec<AmendmentView>,
    pub versions: Vec<VersionSummary>,
    pub record: Vec<Entry>,
    pub endorsements: Vec<String>,
    /// The number of the series the text became and its permanent address, once published.
    pub published: Option<(String, String)>,
}

/// One paragraph's feedback.
#[derive(Clone, Debug)]
pub struct ParagraphReport {
    /// For a deleted paragraph: its id, no number and its last words unknown (empty).
    pub paragraph: Paragraph,
    pub deleted: bool,
    pub consensus: ParagraphConsensus,
    /// Oldest first; replies follow their comment.
    pub comments: Vec<Comment>,
    pub objections: Vec<Objection>,
}

/// The words a report is written in, in the document's language: the core supplies them from
/// the message catalogue; [`blocks`] only lays them out. What people wrote (comments, reasons,
/// names) is never translated.
pub trait ReportWords {
    /// A word or sentence that takes no values.
    fn phrase(&self, p: Phrase) -> String;
    /// The report's title for the document titled `title`.
    fn title(&self, title: &str) -> String;
    /// The line under the title: the version, the date and the phase (in lower case, as it runs
    /// on in the line).
    fn heading_line(&self, version: &str, date: &str, phase: &str) -> String;
    /// How many took part: people, comments and stances.
    fn took_part(&self, people: u32, comments: u32, stances: u32) -> String;
    fn group(&self, g: StakeholderGroup) -> String;
    fn region(&self, r: Region) -> String;
    fn disposition(&self, d: Disposition) -> String;
    fn status(&self, s: AmendmentStatus) -> String;
    /// A paragraph's name, as its section heads it.
    fn paragraph(&self, name: Named<'_>) -> String;
    /// A paragraph's stances in a sentence, with how far it is agreed and by how many
    /// stakeholder groups.
    fn support(&self, t: &Tally, level: Level, groups: u32) -> String;
    /// A person with the organisation they gave.
    fn person(&self, name: &str, affiliation: &str) -> String;
    /// A comment (or a reply) by `person`, made at `date`, saying `words`.
    fn comment(&self, reply: bool, person: &str, date: &str, words: &str) -> String;
    /// What a hidden comment shows instead of its words.
    fn hidden(&self, by: &str, reason: &str) -> String;
    /// What became of something (`outcome`: a disposition's or a status's name), by whom, when
    /// and why.
    fn decided(&self, outcome: &str, by: &str, date: &str, reason: &str) -> String;
    /// An objection; `counted` is false when the chairs set its author's stances aside.
    fn objection(&self, person: &str, date: &str, counted: bool, reason: &str) -> String;
    /// An amendment to a paragraph, with its outcome.
    fn amendment(&self, number: i64, proposer: &str, rationale: &str, outcome: &str) -> String;
    /// The sentence over the decision record, naming its last hash.
    fn record_chained(&self, hash: &str) -> String;
    /// The line naming the number of the series the text was published under, and where.
    fn published_as(&self, label: &str, url: &str) -> String;
}

/// The words of a report that take no values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phrase {
    // Sections.
    Participation,
    ParagraphByParagraph,
    Amendments,
    Versions,
    DecisionRecord,
    // Table columns.
    StakeholderGroup,
    Region,
    Participants,
    Comments,
    Stances,
    Support,
    CanLiveWith,
    Oppose,
    /// "No." (a number).
    Number,
    ProposedBy,
    Paragraphs,
    Rationale,
    Outcome,
    Version,
    /// When a version was cut.
    Cut,
    By,
    Changes,
    When,
    Who,
    What,
    Why,
    // Cells and sentences.
    /// A group or region nobody gave.
    NotStated,
    /// A paragraph an amendment adds, in its list of paragraphs.
    NewParagraph,
    NotYetAnswered,
    NoFeedback,
    NoAmendments,
    NoVersions,
    NoRecord,
}

/// How a paragraph is named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Named<'a> {
    /// Deleted since: neither its number nor its words are known.
    Deleted,
    /// A heading, by its words.
    Heading(&'a str),
    /// By its number.
    Numbered(&'a str),
    /// Neither: by its first words (with "…" when there are more).
    Unnumbered(&'a str),
}

/// How a paragraph is named in the report: its number, or its heading's words.
fn name(p: &ParagraphReport, w: &impl ReportWords) -> String {
    match (&p.paragraph.number, p.paragraph.kind) {
        _ if p.deleted => w.paragraph(Named::Deleted),
        (_, ParagraphKind::Heading) => w.paragraph(Named::Heading(p.paragraph.text.trim())),
        (Some(n), _) => w.paragraph(Named::Numbered(n)),
        (None, _) => {
            let words: Vec<&str> = p.paragraph.text.split_whitespace().collect();
            let more = if words.len() > 8 { "…" } else { "" };
            let excerpt = format!("{}{more}", words[..words.len().min(8)].join(" "));
            w.paragraph(Named::Unnumbered(&excerpt))
        }
    }
}

fn short_name(
    amendments: &AmendmentView,
    paragraphs: &[ParagraphReport],
    w: &impl ReportWords,
) -> String {
    amendments
        .paragraphs
        .iter()
        .map(|a| {
            paragraphs
                .iter()
                .find(|p| p.paragraph.id == a.paragraph)
                .and_then(|p| p.paragraph.number.clone())
                .unwrap_or_else(|| w.phrase(Phrase::NewParagraph))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn tally(t: &Tally) -> [String; 3] {
    [
        t.support.to_string(),
        t.can_live_with.to_string(),
        t.oppose.to_string(),
    ]
}

/// A chair's answer, set after what it answers.
fn answer(r: &Option<Response>, w: &impl ReportWords) -> String {
    let said = match r {
        Some(r) => w.decided(
            &w.disposition(r.disposition),
            &r.by,
            &time::format(r.at),
            &r.reason,
        ),
        None => w.phrase(Phrase::NotYetAnswered),
    };
    format!(" — {said}")
}

fn person(name: &str, affiliation: &str, w: &impl ReportWords) -> String {
    if affiliation.is_empty() {
        name.to_string()
    } else {
        w.person(name, affiliation)
    }
}

fn comment_line(c: &Comment, w: &impl ReportWords) -> String {
    let words = match &c.hidden {
        Some(h) => w.hidden(&h.by, &h.reason),
        None => c.body.clone().unwrap_or_default(),
    };
    let disposition = if c.parent.is_some() && c.response.is_none() {
        String::new()
    } else {
        answer(&c.response, w)
    };
    let said = w.comment(
        c.parent.is_some(),
        &person(&c.author, &c.affiliation, w),
        &time::format(c.created_at),
        &words,
    );
    format!("{said}{disposition}")
}

fn amendment_outcome(a: &AmendmentView, w: &impl ReportWords) -> String {
    let status = w.status(a.status);
    match &a.decision {
        Some(d) => w.decided(&status, &d.by, &time::format(d.at), &d.reason),
        None => status,
    }
}

/// Participation by one dimension: each row a group (or region) with its people, comments and
/// stances.
fn participation<K: PartialEq + Copy>(
    balance: &Balance,
    head: String,
    w: &impl ReportWords,
    keys: impl Fn(&Breakdown) -> Vec<(K, u32)>,
    label: impl Fn(K) -> String,
) -> Block {
    let people = keys(&balance.participants);
    let comments = keys(&balance.comments);
    let stances = keys(&balance.stances);
    let count = |list: &[(K, u32)], k: K| {
        list.iter()
            .find(|(x, _)| *x == k)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    Block::Table {
        head: vec![
            head,
            w.phrase(Phrase::Participants),
            w.phrase(Phrase::Comments),
            w.phrase(Phrase::Stances),
        ],
        rows: people
            .iter()
            .map(|&(k, n)| {
                vec![
                    label(k),
                    n.to_string(),
                    count(&comments, k).to_string(),
                    count(&stances, k).to_string(),
                ]
            })
            .collect(),
    }
}

/// A group's (or region's) name, or that none was given.
fn or_not_stated<'a, T: Copy>(
    w: &'a impl ReportWords,
    f: impl Fn(T) -> String + 'a,
) -> impl Fn(Option<T>) -> String + 'a {
    move |k| k.map(&f).unwrap_or_else(|| w.phrase(Phrase::NotStated))
}

/// The report's title, in its words.
pub fn title(r: &Report, w: &impl ReportWords) -> String {
    w.title(r.title.trim())
}

/// The report laid out as printable blocks, in `w`'s words.
pub fn blocks(r: &Report, w: &impl ReportWords) -> Vec<Block> {
    let h2 = |text: String| Block::Heading { level: 2, text };
    let head = |phrases: &[Phrase]| phrases.iter().map(|&p| w.phrase(p)).collect::<Vec<_>>();
    let mut out = vec![
        Block::Meta(r.about.group.clone()),
        Block::Title(title(r, w)),
        Block::Meta(w.heading_line(&r.about.version, &r.about.date, &r.phase.to_lowercase())),
    ];
    if let Some((label, url)) = &r.published {
        out.push(Block::Meta(w.published_as(label, url)));
    }

    out.push(h2(w.phrase(Phrase::Participation)));
    let b = &r.balance;
    out.push(Block::Para(w.took_part(
        b.participants.total,
        b.comments.total,
        b.stances.total,
    )));
    out.push(participation(
        b,
        w.phrase(Phrase::StakeholderGroup),
        w,
        |x| x.by_group.iter().map(|g| (g.group, g.count)).collect(),
        or_not_stated(w, |g: StakeholderGroup| w.group(g)),
    ));
    out.push(participation(
        b,
        w.phrase(Phrase::Region),
        w,
        |x| x.by_region.iter().map(|g| (g.region, g.count)).collect(),
        or_not_stated(w, |g: Region| w.region(g)),
    ));

    out.push(h2(w.phrase(Phrase::ParagraphByParagraph)));
    for p in &r.paragraphs {
        let amendments: Vec<&AmendmentView> = r
            .amendments
            .iter()
            .filter(|a| a.paragraphs.iter().any(|x| x.paragraph == p.paragraph.id))
            .collect();
        let quiet = p.consensus.tally == Tally::default()
            && p.comments.is_empty()
            && p.objections.is_empty()
            && amendments.is_empty();
        if quiet && p.paragraph.kind == ParagraphKind::Heading {
            continue;
        }
        out.push(Block::Heading {
            level: 3,
            text: name(p, w),
        });
        if !p.deleted && p.paragraph.kind != ParagraphKind::Heading {
            out.push(Block::Quote(p.paragraph.text.trim().to_string()));
        }
        if quiet {
            out.push(Block::Para(w.phrase(Phrase::NoFeedback)));
            continue;
        }
        out.push(Block::Para(w.support(
            &p.consensus.tally,
            p.consensus.level,
            p.consensus.supporting_groups,
        )));
        let group_name = or_not_stated(w, |g: StakeholderGroup| w.group(g));
        let rows: Vec<Vec<String>> = p
            .consensus
            .by_group
            .iter()
            .filter(|g| g.tally != Tally::default())
            .map(|g| {
                let mut row = vec![group_name(g.group)];
                row.extend(tally(&g.tally));
                row
            })
            .collect();
        if !rows.is_empty() {
            out.push(Block::Table {
                head: head(&[
                    Phrase::StakeholderGroup,
                    Phrase::Support,
                    Phrase::CanLiveWith,
                    Phrase::Oppose,
                ]),
                rows,
            });
        }
        out.extend(p.comments.iter().map(|c| Block::Item(comment_line(c, w))));
        out.extend(p.objections.iter().map(|o| {
            let said = w.objection(
                &person(&o.author, &o.affiliation, w),
                &time::format(o.at),
                o.counted,
                &o.reason,
            );
            Block::Item(format!("{said}{}", answer(&o.response, w)))
        }));
        out.extend(amendments.iter().map(|a| {
            Block::Item(w.amendment(a.id, &a.proposer, &a.rationale, &amendment_outcome(a, w)))
        }));
    }

    out.push(h2(w.phrase(Phrase::Amendments)));
    if r.amendments.is_empty() {
        out.push(Block::Para(w.phrase(Phrase::NoAmendments)));
    } else {
        out.push(Block::Table {
            head: head(&[
                Phrase::Number,
                Phrase::ProposedBy,
                Phrase::Paragraphs,
                Phrase::Rationale,
                Phrase::Outcome,
            ]),
            rows: r
                .amendments
                .iter()
                .map(|a| {
                    vec![
                        a.id.to_string(),
                        a.proposer.clone(),
                        short_name(a, &r.paragraphs, w),
                        a.rationale.clone(),
                        amendment_outcome(a, w),
                    ]
                })
                .collect(),
        });
    }

    out.push(h2(w.phrase(Phrase::Versions)));
    if r.versions.is_empty() {
        out.push(Block::Para(w.phrase(Phrase::NoVersions)));
    } else {
        out.push(Block::Table {
            head: head(&[Phrase::Version, Phrase::Cut, Phrase::By, Phrase::Changes]),
            rows: r
                .versions
                .iter()
                .map(|v| {
                    vec![
                        v.name.clone(),
                        time::format(v.at),
                        v.by.clone(),
                        v.summary.clone(),
                    ]
                })
                .collect(),
        });
    }

    out.push(h2(w.phrase(Phrase::DecisionRecord)));
    if let Some(last) = r.record.last() {
        out.push(Block::Para(w.record_chained(&last.hash)));
        out.push(Block::Table {
            head: head(&[
                Phrase::Number,
                Phrase::When,
                Phrase::Who,
                Phrase::What,
                Phrase::Why,
            ]),
            rows: r
                .record
                .iter()
                .map(|e| {
                    vec![
                        e.seq.to_string(),
                        time::format(e.at),
                        e.actor.clone(),
                        e.summary.clone(),
                        e.reason.clone(),
                    ]
                })
                .collect(),
        });
    } else {
        out.push(Block::Para(w.phrase(Phrase::NoRecord)));
    }

    if !r.endorsements.is_empty() {
        out.push(h2(r.about.endorsed_by.clone()));
        out.extend(r.endorsements.iter().cloned().map(Block::Item));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        api::{AmendedParagraph, AmendmentStatus, DecisionView, Hidden, Support},
        consensus::{self, CommentFact, Disposition, Profile, Stance, StanceFact},
        export::page,
        profile::{Region, StakeholderGroup},
    };

    /// The report's words as they were before the catalogue, which the English catalogue keeps.
    struct English;

    impl ReportWords for English {
        fn phrase(&self, p: Phrase) -> String {
            use Phrase::*;
            match p {
                Participation => "Participation",
                ParagraphByParagraph => "Paragraph by paragraph",
                Amendments => "Amendments",
                Versions => "Versions",
                DecisionRecord => "Decision record",
                Phrase::StakeholderGroup => "Stakeholder group",
                Phrase::Region => "Region",
                Participants => "Participants",
                Comments => "Comments",
                Stances => "Stances",
                Support => "Support",
                CanLiveWith => "Can live with",
                Oppose => "Oppose",
                Number => "No.",
                ProposedBy => "Proposed by",
                Paragraphs => "Paragraphs",
                Rationale => "Rationale",
                Outcome => "Outcome",
                Version => "Version",
                Cut => "Cut",
                By => "By",
                Changes => "Changes",
                When => "When",
                Who => "Who",
                What => "What",
                Why => "Why",
                NotStated => "Not stated",
                NewParagraph => "new",
                NotYetAnswered => "not yet answered",
                NoFeedback => "No feedback.",
                NoAmendments => "No amendments were proposed.",
                NoVersions => "No version has been cut yet.",
                NoRecord => "No chair action has been recorded yet.",
            }
            .into()
        }
        fn title(&self, title: &str) -> String {
            format!("Consultation report: {title}")
        }
        fn heading_line(&self, version: &str, date: &str, phase: &str) -> String {
            format!("{version} · {date} · phase: {phase}")
        }
        fn took_part(&self, people: u32, comments: u32, stances: u32) -> String {
            let count =
                |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
            format!(
                "{} took part: {} and {} (hidden comments not counted).",
                count(people, "person", "people"),
                count(comments, "comment", "comments"),
                count(stances, "stance", "stances"),
            )
        }
        fn group(&self, g: StakeholderGroup) -> String {
            g.label().into()
        }
        fn region(&self, r: Region) -> String {
            r.label().into()
        }
        fn disposition(&self, d: Disposition) -> String {
            d.label().into()
        }
        fn status(&self, s: AmendmentStatus) -> String {
            s.label().into()
        }
        fn paragraph(&self, name: Named<'_>) -> String {
            match name {
                Named::Deleted => "A paragraph since deleted".into(),
                Named::Heading(text) => format!("Heading “{text}”"),
                Named::Numbered(n) => format!("Paragraph {n}"),
                Named::Unnumbered(excerpt) => format!("Unnumbered paragraph “{excerpt}”"),
            }
        }
        fn support(&self, t: &Tally, level: Level, groups: u32) -> String {
            format!(
                "Support: {} support, {} can live with, {} oppose. {}; {groups} stakeholder group(s) in support.",
                t.support,
                t.can_live_with,
                t.oppose,
                level.label(),
            )
        }
        fn person(&self, name: &str, affiliation: &str) -> String {
            format!("{name} ({affiliation})")
        }
        fn comment(&self, reply: bool, person: &str, date: &str, words: &str) -> String {
            let kind = if reply { "Reply" } else { "Comment" };
            format!("{kind} by {person}, {date}: “{words}”")
        }
        fn hidden(&self, by: &str, reason: &str) -> String {
            format!("[hidden by {by}: {reason}]")
        }
        fn decided(&self, outcome: &str, by: &str, date: &str, reason: &str) -> String {
            format!("{outcome} by {by} ({date}): {reason}")
        }
        fn objection(&self, person: &str, date: &str, counted: bool, reason: &str) -> String {
            let aside = if counted {
                ""
            } else {
                " (set aside by the chairs: not counted)"
            };
            format!("Objection by {person}, {date}{aside}: “{reason}”")
        }
        fn amendment(&self, number: i64, proposer: &str, rationale: &str, outcome: &str) -> String {
            format!("Amendment {number} by {proposer}: “{rationale}” — {outcome}")
        }
        fn record_chained(&self, hash: &str) -> String {
            format!("Each entry is hash-chained to the one before it and to the document's state; the last hash is {hash}. `accord verify-record` checks an exported record against it.")
        }
        fn published_as(&self, label: &str, url: &str) -> String {
            format!("Published as {label}: {url}")
        }
    }

    fn para(id: &str, kind: ParagraphKind, number: Option<&str>, text: &str) -> Paragraph {
        Paragraph {
            id: id.into(),
            kind,
            number: number.map(str::to_string),
            text: text.into(),
        }
    }

    fn comment(id: i64, parent: Option<i64>, body: &str) -> Comment {
        Comment {
            id,
            paragraph: "p1".into(),
            parent,
            author: "Ana".into(),
            affiliation: "ISOC".into(),
            body: Some(body.into()),
            quote: None,
            span: None,
            anchor: None,
            created_at: 0,
            edited_at: None,
            hidden: None,
            response: None,
            editable: false,
        }
    }

    fn sample() -> Report {
        let profile = Profile {
            group: Some(StakeholderGroup::Government),
            region: Some(Region::African),
            gender: None,
        };
        let stances = vec![
            StanceFact {
                paragraph: "p1".into(),
                account: "a".into(),
                stance: Stance::Support,
                profile,
                answered: false,
            },
            StanceFact {
                paragraph: "p1".into(),
                account: "b".into(),
                stance: Stance::Oppose,
                profile: Profile::default(),
                answered: true,
            },
        ];
        let comments = vec![CommentFact {
            paragraph: "p1".into(),
            account: "a".into(),
            profile,
            hidden: false,
            reply: false,
            answered: true,
        }];
        let figures = consensus::consensus(["h", "p1"], &stances, &comments);
        let mut answered = comment(1, None, "Say <who>.");
        answered.response = Some(Response {
            disposition: Disposition::PartlyAccepted,
            reason: "Named in 2.".into(),
            by: "Chair".into(),
            at: 86_400,
        });
        let mut hidden = comment(2, None, "spam");
        hidden.hidden = Some(Hidden {
            reason: "advertising".into(),
            by: "Chair".into(),
            at: 0,
        });
        Report {
            title: "Outputs".into(),
            about: About {
                group: "BPF Cybersecurity".into(),
                version: "Consultation report".into(),
                date: "26 Nov 2026, 18:04 UTC".into(),
                language: crate::profile::Language::English,
                endorsed_by: "Endorsed by".into(),
            },
            phase: "Closed".into(),
            balance: consensus::balance(&stances, &comments),
            paragraphs: vec![
                ParagraphReport {
                    paragraph: para("h", ParagraphKind::Heading, None, "I. Scope"),
                    deleted: false,
                    consensus: figures[0].clone(),
                    comments: vec![],
                    objections: vec![],
                },
                ParagraphReport {
                    paragraph: para("p1", ParagraphKind::Numbered, Some("1"), "The text."),
                    deleted: false,
                    consensus: figures[1].clone(),
                    comments: vec![answered, hidden, comment(3, Some(1), "Thanks")],
                    objections: vec![
                        Objection {
                            id: 9,
                            paragraph: "p1".into(),
                            author: "Bo".into(),
                            affiliation: String::new(),
                            reason: "Too vague".into(),
                            at: 0,
                            response: None,
                            counted: true,
                        },
                        Objection {
                            id: 10,
                            paragraph: "p1".into(),
                            author: "Sock".into(),
                            affiliation: String::new(),
                            reason: "No".into(),
                            at: 0,
                            response: None,
                            counted: false,
                        },
                    ],
                },
            ],
            amendments: vec![AmendmentView {
                id: 4,
                proposer: "Bo".into(),
                rationale: "Clearer".into(),
                status: AmendmentStatus::Rejected,
                base: vec![],
                paragraphs: vec![AmendedParagraph {
                    paragraph: "p1".into(),
                    diff: vec![],
                    now: None,
                    follows: None,
                    adopted: None,
                }],
                applies_cleanly: true,
                conflicts: vec![],
                created_at: 0,
                decision: Some(DecisionView {
                    by: "Chair".into(),
                    reason: "Out of scope".into(),
                    at: 0,
                }),
                sponsors: vec![],
                you: None,
                support: Support::from(figures[1].clone()),
                your_stance: None,
                heads: vec![],
                unreadable: false,
            }],
            versions: vec![],
            record: vec![],
            endorsements: vec!["Ana, on behalf of ISOC".into()],
            published: Some(("IGF-O 3".into(), "https://accord.example/outputs/3".into())),
        }
    }

    #[test]
    fn every_comment_objection_and_amendment_has_its_outcome() {
        let blocks = blocks(&sample(), &English);
        let items: Vec<&str> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Item(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        expect_test::expect![[r#"
            [
                "Comment by Ana (ISOC), 1 Jan 1970, 00:00 UTC: “Say <who>.” — Partly accepted by Chair (2 Jan 1970, 00:00 UTC): Named in 2.",
                "Comment by Ana (ISOC), 1 Jan 1970, 00:00 UTC: “[hidden by Chair: advertising]” — not yet answered",
                "Reply by Ana (ISOC), 1 Jan 1970, 00:00 UTC: “Thanks”",
                "Objection by Bo, 1 Jan 1970, 00:00 UTC: “Too vague” — not yet answered",
                "Objection by Sock, 1 Jan 1970, 00:00 UTC (set aside by the chairs: not counted): “No” — not yet answered",
                "Amendment 4 by Bo: “Clearer” — Rejected by Chair (1 Jan 1970, 00:00 UTC): Out of scope",
                "Ana, on behalf of ISOC",
            ]
        "#]]
        .assert_debug_eq(&items);
        assert!(
            !blocks
                .iter()
                .any(|b| matches!(b, Block::Heading { text, .. } if text.contains("I. Scope"))),
            "a heading without feedback is left out"
        );
        assert!(!blocks.contains(&Block::Para("No amendments were proposed.".into())));
        assert!(blocks.contains(&Block::Para("No version has been cut yet.".into())));
        assert_eq!(
            blocks[3],
            Block::Meta("Published as IGF-O 3: https://accord.example/outputs/3".into()),
            "the number the text became is named under the title"
        );
    }

    #[test]
    fn participation_is_broken_down_by_group_and_region() {
        let blocks = blocks(&sample(), &English);
        let tables: Vec<&Vec<Vec<String>>> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table { rows, .. } => Some(rows),
                _ => None,
            })
            .collect();
        let government = &tables[0][0];
        assert_eq!(government, &["Government", "1", "1", "1"]);
        assert!(tables[0]
            .iter()
            .any(|r| r == &["Not stated", "1", "0", "1"]));
        assert_eq!(&tables[1][0], &["African States", "1", "1", "1"]);
        // The paragraph's own support table lists only groups with stances.
        assert_eq!(tables[2].len(), 2);
    }

    #[test]
    fn the_html_report_escapes_what_people_wrote() {
        let html = page(
            "Consultation report",
            &blocks(&sample(), &English),
            crate::profile::Language::English,
        );
        assert!(html.contains("“Say &lt;who&gt;.”"));
        assert!(!html.contains("<who>"));
        assert!(html.contains("<h3>Paragraph 1</h3>"));
        assert!(html.contains("<th>Stakeholder group</th>"));
    }
}
