//! The consultation report: who took part, and for every paragraph its support, its comments,
//! objections and amendments, each with what became of it and why; then every amendment, the
//! versions and the decision record. This is the disposition-of-comments annex chairs used to
//! write by hand. [`blocks`] lays it out once for every printed form (HTML here, DOCX in the
//! server).

use super::{
    consensus::{Balance, Breakdown, ParagraphConsensus, Tally},
    export::{About, Block},
    record::Entry,
    time, Paragraph, ParagraphKind,
};
use crate::api::{AmendmentView, Comment, Objection, Response, VersionSummary};

/// Everything a report says, gathered by the server.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub title: String,
    /// The group, "Consultation report" and when it was drawn up.
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

/// How a paragraph is named in the report: its number, or its heading's words.
fn name(p: &ParagraphReport) -> String {
    match (&p.paragraph.number, p.paragraph.kind) {
        _ if p.deleted => "A paragraph since deleted".into(),
        (_, ParagraphKind::Heading) => format!("Heading “{}”", p.paragraph.text.trim()),
        (Some(n), _) => format!("Paragraph {n}"),
        (None, _) => {
            let words: Vec<&str> = p.paragraph.text.split_whitespace().collect();
            let more = if words.len() > 8 { "…" } else { "" };
            format!(
                "Unnumbered paragraph “{}{more}”",
                words[..words.len().min(8)].join(" ")
            )
        }
    }
}

fn count(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn short_name(amendments: &AmendmentView, paragraphs: &[ParagraphReport]) -> String {
    amendments
        .paragraphs
        .iter()
        .map(|a| {
            paragraphs
                .iter()
                .find(|p| p.paragraph.id == a.paragraph)
                .and_then(|p| p.paragraph.number.clone())
                .unwrap_or_else(|| "new".into())
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

fn answer(r: &Option<Response>) -> String {
    match r {
        Some(r) => format!(
            " — {} by {} ({}): {}",
            r.disposition.label(),
            r.by,
            time::format(r.at),
            r.reason
        ),
        None => " — not yet answered".into(),
    }
}

fn comment_line(c: &Comment) -> String {
    let who = if c.affiliation.is_empty() {
        c.author.clone()
    } else {
        format!("{} ({})", c.author, c.affiliation)
    };
    let kind = if c.parent.is_some() {
        "Reply"
    } else {
        "Comment"
    };
    let words = match &c.hidden {
        Some(h) => format!("[hidden by {}: {}]", h.by, h.reason),
        None => c.body.clone().unwrap_or_default(),
    };
    let disposition = if c.parent.is_some() && c.response.is_none() {
        String::new()
    } else {
        answer(&c.response)
    };
    format!(
        "{kind} by {who}, {}: “{words}”{disposition}",
        time::format(c.created_at)
    )
}

fn amendment_outcome(a: &AmendmentView) -> String {
    match &a.decision {
        Some(d) => format!(
            "{} by {} ({}): {}",
            a.status.label(),
            d.by,
            time::format(d.at),
            d.reason
        ),
        None => a.status.label().to_string(),
    }
}

/// Participation by one dimension: each row a group (or region) with its people, comments and
/// stances.
fn participation<K: PartialEq + Copy>(
    balance: &Balance,
    head: &str,
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
            head.into(),
            "Participants".into(),
            "Comments".into(),
            "Stances".into(),
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

fn not_stated<T: Copy>(f: impl Fn(T) -> &'static str) -> impl Fn(Option<T>) -> String {
    move |k| k.map(&f).unwrap_or("Not stated").to_string()
}

/// The report laid out as printable blocks.
pub fn blocks(r: &Report) -> Vec<Block> {
    let h2 = |text: &str| Block::Heading {
        level: 2,
        text: text.into(),
    };
    let mut out = vec![
        Block::Meta(r.about.group.clone()),
        Block::Title(format!("Consultation report: {}", r.title.trim())),
        Block::Meta(format!(
            "{} · {} · phase: {}",
            r.about.version,
            r.about.date,
            r.phase.to_lowercase()
        )),
    ];

    out.push(h2("Participation"));
    let b = &r.balance;
    out.push(Block::Para(format!(
        "{} took part: {} and {} (hidden comments not counted).",
        count(b.participants.total, "person", "people"),
        count(b.comments.total, "comment", "comments"),
        count(b.stances.total, "stance", "stances"),
    )));
    out.push(participation(
        b,
        "Stakeholder group",
        |x| x.by_group.iter().map(|g| (g.group, g.count)).collect(),
        not_stated(|g: super::profile::StakeholderGroup| g.label()),
    ));
    out.push(participation(
        b,
        "Region",
        |x| x.by_region.iter().map(|g| (g.region, g.count)).collect(),
        not_stated(|g: super::profile::Region| g.label()),
    ));

    out.push(h2("Paragraph by paragraph"));
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
            text: name(p),
        });
        if !p.deleted && p.paragraph.kind != ParagraphKind::Heading {
            out.push(Block::Quote(p.paragraph.text.trim().to_string()));
        }
        if quiet {
            out.push(Block::Para("No feedback.".into()));
            continue;
        }
        let t = &p.consensus.tally;
        out.push(Block::Para(format!(
            "Support: {} support, {} can live with, {} oppose. {}; {} stakeholder group(s) in support.",
            t.support,
            t.can_live_with,
            t.oppose,
            p.consensus.level.label(),
            p.consensus.supporting_groups
        )));
        let rows: Vec<Vec<String>> = p
            .consensus
            .by_group
            .iter()
            .filter(|g| g.tally != Tally::default())
            .map(|g| {
                let mut row = vec![not_stated(|g: super::profile::StakeholderGroup| g.label())(
                    g.group,
                )];
                row.extend(tally(&g.tally));
                row
            })
            .collect();
        if !rows.is_empty() {
            out.push(Block::Table {
                head: vec![
                    "Stakeholder group".into(),
                    "Support".into(),
                    "Can live with".into(),
                    "Oppose".into(),
                ],
                rows,
            });
        }
        out.extend(p.comments.iter().map(|c| Block::Item(comment_line(c))));
        out.extend(p.objections.iter().map(|o| {
            Block::Item(format!(
                "Objection by {}{}, {}{}: “{}”{}",
                o.author,
                if o.affiliation.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", o.affiliation)
                },
                time::format(o.at),
                if o.counted {
                    ""
                } else {
                    " (set aside by the chairs: not counted)"
                },
                o.reason,
                answer(&o.response)
            ))
        }));
        out.extend(amendments.iter().map(|a| {
            Block::Item(format!(
                "Amendment {} by {}: “{}” — {}",
                a.id,
                a.proposer,
                a.rationale,
                amendment_outcome(a)
            ))
        }));
    }

    out.push(h2("Amendments"));
    if r.amendments.is_empty() {
        out.push(Block::Para("No amendments were proposed.".into()));
    } else {
        out.push(Block::Table {
            head: vec![
                "No.".into(),
                "Proposed by".into(),
                "Paragraphs".into(),
                "Rationale".into(),
                "Outcome".into(),
            ],
            rows: r
                .amendments
                .iter()
                .map(|a| {
                    vec![
                        a.id.to_string(),
                        a.proposer.clone(),
                        short_name(a, &r.paragraphs),
                        a.rationale.clone(),
                        amendment_outcome(a),
                    ]
                })
                .collect(),
        });
    }

    out.push(h2("Versions"));
    if r.versions.is_empty() {
        out.push(Block::Para("No version has been cut yet.".into()));
    } else {
        out.push(Block::Table {
            head: vec![
                "Version".into(),
                "Cut".into(),
                "By".into(),
                "Changes".into(),
            ],
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

    out.push(h2("Decision record"));
    if let Some(last) = r.record.last() {
        out.push(Block::Para(format!(
            "Each entry is hash-chained to the one before it and to the document's state; the last hash is {}. `accord verify-record` checks an exported record against it.",
            last.hash
        )));
        out.push(Block::Table {
            head: vec![
                "No.".into(),
                "When".into(),
                "Who".into(),
                "What".into(),
                "Why".into(),
            ],
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
        out.push(Block::Para("No chair action has been recorded yet.".into()));
    }

    if !r.endorsements.is_empty() {
        out.push(h2("Endorsed by"));
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
        }
    }

    #[test]
    fn every_comment_objection_and_amendment_has_its_outcome() {
        let blocks = blocks(&sample());
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
    }

    #[test]
    fn participation_is_broken_down_by_group_and_region() {
        let blocks = blocks(&sample());
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
            &blocks(&sample()),
            crate::profile::Language::English,
        );
        assert!(html.contains("“Say &lt;who&gt;.”"));
        assert!(!html.contains("<who>"));
        assert!(html.contains("<h3>Paragraph 1</h3>"));
        assert!(html.contains("<th>Stakeholder group</th>"));
    }
}
