//! The session report: a live session's agenda, who took part by stakeholder group, where the
//! stances came from (online, in the room, recorded by the rapporteur), every check with its
//! figures and the item's words when it closed, the speaking queue, the poll's movement and the
//! points of consensus; as standalone HTML or DOCX, and as a section of the consultation report.
//! Its own words are in the document's language.

use accord_i18n::{td_string, Locale};
use domain::{
    api::LiveSession,
    consensus::{Stance, Tally},
    export::{self, Block},
    profile::{Language, StakeholderGroup},
    session::ItemKind,
    time,
};

use crate::{
    auth::Principal,
    docx,
    error::Error,
    sessions,
    versions::{self, Exported},
    words, Accord,
};

/// Session `id` as `who` sees it, with its attendance per stakeholder group, and its document's
/// language and title.
async fn gather(
    state: &Accord,
    who: &Principal,
    id: &str,
) -> Result<(LiveSession, Vec<(String, i64)>, Language, String), Error> {
    let s = sessions::view(state, who, id).await?;
    let attendance = state.rooms.store().session_attendance(id).await?;
    let meta = state
        .rooms
        .store()
        .document_meta(&s.document)
        .await?
        .ok_or_else(|| Error::Internal(format!("the document of session {id} is gone")))?;
    let (outline, _) = state.rooms.outline(&s.document).await?;
    Ok((s, attendance, meta.language, outline.title))
}

/// The session report as standalone HTML or DOCX.
pub async fn export(
    state: &Accord,
    who: &Principal,
    id: &str,
    format: &str,
) -> Result<Exported, Error> {
    let (ext, content_type) = versions::format_of(format, &["html", "docx"])?;
    let (s, attendance, language, document) = gather(state, who, id).await?;
    let l = words::locale(language);
    let title = td_string!(l, session.report_title, title = s.title.clone()).to_string();
    let mut blocks = vec![
        Block::Title(title.clone()),
        Block::Meta(
            td_string!(
                l,
                session.report_about,
                document = document,
                date = time::format(s.starts_at)
            )
            .to_string(),
        ),
        Block::Meta(
            td_string!(
                l,
                session.report_drawn_up,
                date = time::format(state.auth.now())
            )
            .to_string(),
        ),
    ];
    blocks.extend(body(&s, &attendance, l, 2));
    let body = match ext {
        "html" => export::page(&title, &blocks, language).into_bytes(),
        _ => docx::render(&title, &blocks, language)?,
    };
    Ok(Exported {
        content_type,
        file_name: format!(
            "{}-session-report.{ext}",
            domain::rules::file_stem(&s.title, id)
        ),
        body,
    })
}

/// Every session on `doc`, for the consultation report: a heading per session and its report.
pub async fn sections(
    state: &Accord,
    who: &Principal,
    doc: &str,
    l: Locale,
) -> Result<Vec<Block>, Error> {
    let list = sessions::list(state, who, doc).await?;
    if list.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = vec![Block::Heading {
        level: 2,
        text: td_string!(l, session.list_heading).to_string(),
    }];
    for summary in list {
        let s = sessions::view(state, who, &summary.id).await?;
        let attendance = state.rooms.store().session_attendance(&s.id).await?;
        out.push(Block::Heading {
            level: 3,
            text: format!("{} · {}", s.title, time::format(s.starts_at)),
        });
        out.extend(body(&s, &attendance, l, 4));
    }
    Ok(out)
}

fn kind(l: Locale, kind: ItemKind) -> String {
    match kind {
        ItemKind::Paragraph => td_string!(l, session.kind_paragraph),
        ItemKind::Amendment => td_string!(l, session.kind_amendment),
        ItemKind::Question => td_string!(l, session.kind_question),
    }
    .to_string()
}

fn stance(l: Locale, s: Stance) -> String {
    match s {
        Stance::Support => td_string!(l, feedback.stance_support),
        Stance::CanLiveWith => td_string!(l, feedback.stance_can_live_with),
        Stance::Oppose => td_string!(l, feedback.stance_oppose),
    }
    .to_string()
}

/// A row of a tally table: its label and the three figures.
fn row(label: String, t: Tally) -> Vec<String> {
    vec![
        label,
        t.support.to_string(),
        t.can_live_with.to_string(),
        t.oppose.to_string(),
    ]
}

/// The report's sections, their headings at `level` (sub-headings one deeper, at most 3: the
/// exports know levels 2 and 3).
fn body(s: &LiveSession, attendance: &[(String, i64)], l: Locale, level: u8) -> Vec<Block> {
    let (h, sub) = (level.min(3), (level + 1).min(3));
    let heading = |text: String| Block::Heading { level: h, text };
    let none = || Block::Para(td_string!(l, session.report_none).to_string());
    let number = |item: &str| {
        s.items
            .iter()
            .position(|i| i.id == item)
            .map_or(0, |n| n + 1)
    };
    let group_name = |key: Option<StakeholderGroup>| {
        key.map_or_else(
            || td_string!(l, consensus.not_stated).to_string(),
            |g| words::group(l, g),
        )
    };
    let stance_head = |first: String| {
        vec![
            first,
            stance(l, Stance::Support),
            stance(l, Stance::CanLiveWith),
            stance(l, Stance::Oppose),
        ]
    };
    let mut out = Vec::new();

    out.push(heading(td_string!(l, session.agenda_heading).to_string()));
    for (n, item) in s.items.iter().enumerate() {
        out.push(Block::Item(format!(
            "{}. {}: {}",
            n + 1,
            kind(l, item.kind),
            item.text
        )));
    }

    out.push(heading(
        td_string!(l, session.report_attendance).to_string(),
    ));
    match attendance.is_empty() {
        true => out.push(none()),
        false => out.push(Block::Table {
            head: vec![
                td_string!(l, session.record_hands_group).to_string(),
                td_string!(l, session.report_people).to_string(),
            ],
            rows: attendance
                .iter()
                .map(|(key, n)| vec![group_name(StakeholderGroup::parse(key)), n.to_string()])
                .collect(),
        }),
    }

    let split = s.checks.iter().fold([Tally::default(); 3], |mut acc, c| {
        for (slot, t) in acc
            .iter_mut()
            .zip([c.figures.online, c.figures.room, c.figures.recorded])
        {
            slot.support += t.support;
            slot.can_live_with += t.can_live_with;
            slot.oppose += t.oppose;
        }
        acc
    });
    out.push(heading(td_string!(l, session.report_split).to_string()));
    out.push(Block::Table {
        head: stance_head(td_string!(l, session.report_source).to_string()),
        rows: vec![
            row(td_string!(l, session.source_online).to_string(), split[0]),
            row(td_string!(l, session.source_room).to_string(), split[1]),
            row(td_string!(l, session.source_recorded).to_string(), split[2]),
        ],
    });

    out.push(heading(td_string!(l, session.report_checks).to_string()));
    if s.checks.is_empty() {
        out.push(none());
    }
    for c in &s.checks {
        let item_kind = s
            .items
            .iter()
            .find(|i| i.id == c.item)
            .map_or(ItemKind::Question, |i| i.kind);
        let (n, k, opened) = (
            number(&c.item),
            kind(l, item_kind),
            time::format(c.opened_at),
        );
        let text = match c.closed_at {
            Some(closed) => td_string!(
                l,
                session.report_check,
                number = n,
                kind = k,
                opened = opened,
                closed = time::format(closed)
            )
            .to_string(),
            None => td_string!(
                l,
                session.report_check_open,
                number = n,
                kind = k,
                opened = opened
            )
            .to_string(),
        };
        out.push(Block::Heading { level: sub, text });
        if let Some(words) = &c.item_text {
            out.push(Block::Para(
                td_string!(l, session.report_words_then).to_string(),
            ));
            out.push(Block::Quote(words.clone()));
        }
        let f = &c.figures;
        let mut rows = vec![row(
            td_string!(l, session.poll_everyone).to_string(),
            f.tally,
        )];
        rows.extend(
            f.by_group
                .iter()
                .filter(|g| g.tally.total() > 0)
                .map(|g| row(group_name(g.group), g.tally)),
        );
        out.push(Block::Table {
            head: stance_head(td_string!(l, session.record_hands_group).to_string()),
            rows,
        });
        for reason in &f.reasons {
            out.push(Block::Item(reason.clone()));
        }
    }

    out.push(heading(td_string!(l, session.queue_heading).to_string()));
    if s.queue.is_empty() {
        out.push(none());
    }
    for hand in &s.queue {
        let mut about = vec![group_name(hand.group)];
        about.push(
            match hand.source {
                domain::session::Source::Online => td_string!(l, session.source_online),
                domain::session::Source::Room => td_string!(l, session.source_room),
                domain::session::Source::Recorded => td_string!(l, session.source_recorded),
            }
            .to_string(),
        );
        let who = format!("{} ({})", hand.name, about.join(", "));
        let raised = time::format(hand.raised_at);
        out.push(Block::Item(match hand.called_at {
            Some(called) => td_string!(
                l,
                session.report_called,
                who = who,
                raised = raised,
                called = time::format(called)
            )
            .to_string(),
            None => {
                td_string!(l, session.report_not_called, who = who, raised = raised).to_string()
            }
        }));
    }

    if !s.floor.is_empty() {
        out.push(heading(td_string!(l, session.floor_heading).to_string()));
        for f in &s.floor {
            let who = match &f.speaker {
                Some(name) => format!("{name} ({})", group_name(f.group)),
                None => format!(
                    "{} ({})",
                    td_string!(l, session.floor_anonymous),
                    group_name(f.group)
                ),
            };
            out.push(Block::Item(format!(
                "{} · {who}: {}",
                number(&f.item),
                f.body
            )));
        }
    }

    if !s.poll.questions.is_empty() {
        out.push(heading(td_string!(l, session.poll_heading).to_string()));
        let mean = |x: Option<f64>| x.map_or("–".to_string(), |v| format!("{v:.1}"));
        for q in &s.poll.questions {
            out.push(Block::Heading {
                level: sub,
                text: q.text.clone(),
            });
            out.push(Block::Table {
                head: vec![
                    td_string!(l, session.record_hands_group).to_string(),
                    td_string!(l, session.report_before).to_string(),
                    td_string!(l, session.report_after).to_string(),
                    td_string!(l, session.report_answered_both).to_string(),
                ],
                rows: q
                    .movement
                    .iter()
                    .map(|m| {
                        vec![
                            match m.everyone {
                                true => td_string!(l, session.poll_everyone).to_string(),
                                false => group_name(m.group),
                            },
                            mean(m.mean_before),
                            mean(m.mean_after),
                            m.answered_both.to_string(),
                        ]
                    })
                    .collect(),
            });
        }
    }

    out.push(heading(td_string!(l, session.points_heading).to_string()));
    if s.points.is_empty() {
        out.push(none());
    }
    for p in &s.points {
        out.push(Block::Item(
            td_string!(
                l,
                session.report_point,
                number = number(&p.item),
                reason = p.reason.clone()
            )
            .to_string(),
        ));
    }
    out
}
