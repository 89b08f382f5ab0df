//! Published outputs as a citable series: the series' settings (an admin's), each group's
//! threshold rule (its chairs' or an admin's), the publication of a closed text under the next
//! number, the public index with its Atom feed, each number's text with its front matter in
//! four formats, and its citation in three.

use std::collections::BTreeMap;

use accord_i18n::td_string;
use atom_syndication::{Entry, Feed, Link, Person, Text};
use domain::{
    api::{
        Evaluation, Output, OutputRef, OutputSummary, Outputs, Publication, Publish, Series,
        Threshold, ThresholdView,
    },
    export::{self, Block},
    markdown,
    phase::Phase,
    policy::{self, Action, Standing},
    profile::Language,
    refusal::{Refusal, Thing},
    series::{self, Cited, Condition},
    time,
};

use crate::{
    auth::Principal,
    documents, docx, endorsements,
    error::Error,
    store::{
        outputs::{OutputRow, OutputSummaryRow},
        record::Draft,
    },
    versions::{format_of, Exported},
    words::{self, Locale},
    Accord,
};

/// The series as it stands.
pub async fn series(state: &Accord) -> Result<Series, Error> {
    Ok(state.rooms.store().series().await?)
}

/// An admin names the series, its prefix and its statuses. Numbers published before keep the
/// prefix and name they were published under.
pub async fn set_series(state: &Accord, who: &Principal, s: Series) -> Result<Series, Error> {
    who.require(state, None, Action::SetSeries).await?;
    let s = series::check_series(&s)?;
    let me = who.signed_in()?;
    let store = state.rooms.store();
    store.set_series(&s, me, state.auth.now()).await?;
    let detail = format!("{} ({}): {}", s.name, s.prefix, s.statuses.join(", "));
    store
        .audit("series-set", Some(me), Some(&who.address), &detail)
        .await?;
    Ok(s)
}

/// A group's threshold rule, and whether the reader may set it.
pub async fn threshold(
    state: &Accord,
    who: &Principal,
    group: &str,
) -> Result<ThresholdView, Error> {
    let store = state.rooms.store();
    if !store.groups().await?.iter().any(|g| g.id == group) {
        return Err(Error::unknown(Thing::Group, group));
    }
    let standing = who.standing(state, Some(group)).await?;
    let (rule, set_by, set_at) = match store.threshold(group).await? {
        Some((rule, by, at)) => (rule, Some(by), Some(at)),
        None => (Threshold::default(), None, None),
    };
    Ok(ThresholdView {
        rule,
        set_by,
        set_at,
        you_may_set: policy::allows(standing, Action::SetThreshold),
    })
}

/// A group's chairs (or an admin) set its rule. It applies to consultations that open from now
/// on: one that is open already keeps the rule it opened under.
pub async fn set_threshold(
    state: &Accord,
    who: &Principal,
    group: &str,
    rule: Threshold,
) -> Result<ThresholdView, Error> {
    let store = state.rooms.store();
    if !store.groups().await?.iter().any(|g| g.id == group) {
        return Err(Error::unknown(Thing::Group, group));
    }
    who.require(state, Some(group), Action::SetThreshold)
        .await?;
    series::check_rule(&rule)?;
    let me = who.signed_in()?;
    store
        .set_threshold(group, &rule, me, state.auth.now())
        .await?;
    let detail = format!(
        "{group}: {}",
        serde_json::to_string(&rule).unwrap_or_default()
    );
    store
        .audit("threshold-set", Some(me), Some(&who.address), &detail)
        .await?;
    threshold(state, who, group).await
}

/// The rule that applies to `doc`: the one its consultation opened under, else its group's now.
async fn rule_of(state: &Accord, doc: &str, group: &str) -> Result<Threshold, Error> {
    let store = state.rooms.store();
    if let Some(rule) = store.document_threshold(doc).await? {
        return Ok(rule);
    }
    Ok(store
        .threshold(group)
        .await?
        .map(|(rule, _, _)| rule)
        .unwrap_or_default())
}

/// `doc`'s rule against its consultation's figures now.
async fn evaluate(state: &Accord, doc: &str, group: &str) -> Result<Evaluation, Error> {
    let rule = rule_of(state, doc, group).await?;
    let store = state.rooms.store();
    let (outline, _) = state.rooms.outline(doc).await?;
    let facts = store.feedback_facts(doc, None).await?;
    let (stances, comments) = &*facts;
    let open = series::open_secs(&store.phase_moves(doc).await?, state.auth.now());
    let figures = series::figures(
        outline.paragraphs.iter().map(|p| p.id.as_str()),
        stances,
        comments,
        open,
    );
    Ok(series::evaluate(&rule, &figures))
}

/// What a chair reads before publishing `doc`: the rule against the figures, the number it
/// became if it was published, the earlier numbers it may point to.
pub async fn publication(state: &Accord, who: &Principal, doc: &str) -> Result<Publication, Error> {
    let (meta, schedule) = documents::require(state, who, doc, Action::ReadDocument).await?;
    let store = state.rooms.store();
    let index = index(state).await?;
    let published = match store.output_of(doc).await? {
        Some(n) => index.iter().find(|o| i64::from(o.number) == n).cloned(),
        None => None,
    };
    let standing = who.standing(state, Some(&meta.group_id)).await?;
    Ok(Publication {
        series: store.series().await?,
        evaluation: evaluate(state, doc, &meta.group_id).await?,
        may_publish: may_publish(standing, schedule.phase, published.is_some()),
        published,
        earlier: index,
    })
}

/// A chair publishes the closed `doc` under the series' next number. The text is copied as it
/// stands, with its endorsements; the rule and its evaluation, the override's reason if any, and
/// the SHA-256 of the text go into the decision record in the same transaction.
pub async fn publish(
    state: &Accord,
    who: &Principal,
    doc: &str,
    p: Publish,
) -> Result<Output, Error> {
    let (meta, schedule) = documents::require(state, who, doc, Action::Publish).await?;
    debug_assert_eq!(schedule.phase, Phase::Closed);
    let store = state.rooms.store();
    if let Some(n) = store.output_of(doc).await? {
        let label = label_of(state, n).await?;
        return Err(Refusal::PublishedAlready { label }.into());
    }
    let s = store.series().await?;
    let numbers: Vec<i64> = store
        .output_summaries()
        .await?
        .iter()
        .map(|o| o.number)
        .collect();
    let evaluation = evaluate(state, doc, &meta.group_id).await?;
    let exists = |n: u32| numbers.contains(&i64::from(n));
    let override_reason = series::check_publish(&p, &s, exists, &evaluation)?;
    let (outline, _) = state.rooms.outline(doc).await?;
    let text = serde_json::to_string(&outline).map_err(|e| Error::Internal(e.to_string()))?;
    let text_hash = series::text_hash(&outline);
    let now = state.auth.now();
    let me = who
        .account
        .as_ref()
        .map(|a| a.display_name.clone())
        .unwrap_or_default();
    let row = OutputRow {
        number: 0,
        document_id: doc.to_string(),
        prefix: s.prefix.clone(),
        series_name: s.name.clone(),
        title: outline.title.trim().to_string(),
        status: p.status.clone(),
        group_id: meta.group_id.clone(),
        group_name: meta.group_name.clone(),
        language: meta.language.key().to_string(),
        published_at: now,
        published_by: me,
        text,
        text_hash: text_hash.clone(),
        evaluation: serde_json::to_string(&evaluation).unwrap_or_default(),
        override_reason: override_reason.clone(),
        endorsements: serde_json::to_string(&endorsements::lines(state, doc).await?)
            .unwrap_or_default(),
    };
    let links: Vec<(String, i64)> = p
        .updates
        .iter()
        .map(|n| ("updates".to_string(), i64::from(*n)))
        .chain(
            p.obsoletes
                .iter()
                .map(|n| ("obsoletes".to_string(), i64::from(*n))),
        )
        .collect();
    let conditions: Vec<String> = evaluation
        .conditions
        .iter()
        .map(|c| {
            format!(
                "{}: {} of {} ({})",
                c.condition.label(),
                c.found,
                c.required,
                if c.met { "met" } else { "not met" }
            )
        })
        .collect();
    let reason = match &override_reason {
        Some(r) => format!("Published though the threshold rule was not met: {r}"),
        None if conditions.is_empty() => "The group's threshold rule asks nothing.".to_string(),
        None => "Every condition of the threshold rule was met.".to_string(),
    };
    let actor = crate::record::actor(who).to_string();
    let prefix = s.prefix.clone();
    let status = p.status.clone();
    let draft = move |number: i64| Draft {
        at: now,
        actor,
        kind: "published".into(),
        summary: format!(
            "Published the text as {} ({status}); text SHA-256 {text_hash}; threshold: {}",
            series::label(&prefix, number as u32),
            if conditions.is_empty() {
                "none".to_string()
            } else {
                conditions.join("; ")
            }
        ),
        reason,
    };
    let heads = state.rooms.heads(doc).await?;
    let number = match store.publish(&row, &links, draft, heads).await? {
        Ok(n) => n,
        Err(n) => {
            let label = label_of(state, n).await?;
            return Err(Refusal::PublishedAlready { label }.into());
        }
    };
    get(state, number).await
}

/// Whether someone of `standing` may publish a text in `phase` now: as the policy says, and
/// only once.
pub fn may_publish(standing: Standing, phase: Phase, published: bool) -> bool {
    !published && policy::allows_in(standing, phase, Action::Publish)
}

/// The number `doc` was published under, as its pages link to it.
pub async fn reference(state: &Accord, doc: &str) -> Result<Option<OutputRef>, Error> {
    Ok(state
        .rooms
        .store()
        .output_ref(doc)
        .await?
        .map(|(number, prefix)| OutputRef {
            number: number as u32,
            label: series::label(&prefix, number as u32),
        }))
}

async fn label_of(state: &Accord, number: i64) -> Result<String, Error> {
    Ok(match state.rooms.store().output(number).await? {
        Some(o) => series::label(&o.prefix, number as u32),
        None => number.to_string(),
    })
}

/// Every number with its links both ways, in number order.
async fn index(state: &Accord) -> Result<Vec<OutputSummary>, Error> {
    let store = state.rooms.store();
    let rows = store.output_summaries().await?;
    let links = store.output_links().await?;
    let mut by: BTreeMap<i64, OutputSummary> =
        rows.iter().map(|o| (o.number, summary(o))).collect();
    for l in &links {
        let (from, to) = (l.number as u32, l.target as u32);
        let updates = l.kind == "updates";
        if let Some(o) = by.get_mut(&l.number) {
            match updates {
                true => o.updates.push(to),
                false => o.obsoletes.push(to),
            }
        }
        if let Some(o) = by.get_mut(&l.target) {
            match updates {
                true => o.updated_by.push(from),
                false => o.obsoleted_by.push(from),
            }
        }
    }
    Ok(by.into_values().collect())
}

fn summary(o: &OutputSummaryRow) -> OutputSummary {
    OutputSummary {
        number: o.number as u32,
        label: series::label(&o.prefix, o.number as u32),
        title: o.title.clone(),
        status: o.status.clone(),
        group: o.group_name.clone(),
        published_at: o.published_at,
        updates: vec![],
        obsoletes: vec![],
        updated_by: vec![],
        obsoleted_by: vec![],
    }
}

/// What the index is filtered by: words of the title, group or label; a status; a group's name.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub q: Option<String>,
    pub status: Option<String>,
    pub group: Option<String>,
}

/// The public index, newest first, filtered.
pub async fn list(state: &Accord, f: &Filter) -> Result<Outputs, Error> {
    let words = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let mut outputs: Vec<OutputSummary> = index(state)
        .await?
        .into_iter()
        .filter(|o| {
            f.status
                .as_deref()
                .is_none_or(|s| s.is_empty() || o.status == s)
        })
        .filter(|o| {
            f.group
                .as_deref()
                .is_none_or(|g| g.is_empty() || o.group == g)
        })
        .filter(|o| {
            words.is_none_or(|q| {
                [&o.title, &o.group, &o.label, &o.status]
                    .iter()
                    .any(|field| domain::search::find(field, q).is_some())
            })
        })
        .collect();
    outputs.reverse();
    Ok(Outputs {
        series: series(state).await?,
        outputs,
    })
}

/// Number `number` with its text, or 404.
pub async fn get(state: &Accord, number: i64) -> Result<Output, Error> {
    let summary = index(state)
        .await?
        .into_iter()
        .find(|o| i64::from(o.number) == number);
    let (Some(summary), Some(row)) = (summary, state.rooms.store().output(number).await?) else {
        return Err(Error::unknown(Thing::Output, &number.to_string()));
    };
    Ok(Output {
        summary,
        series: row.series_name.clone(),
        document: row.document_id.clone(),
        language: Language::parse(&row.language).unwrap_or_default(),
        published_by: row.published_by.clone(),
        text_hash: row.text_hash.clone(),
        evaluation: serde_json::from_str(&row.evaluation).unwrap_or_default(),
        override_reason: row.override_reason.clone(),
        endorsements: serde_json::from_str(&row.endorsements).unwrap_or_default(),
        text: serde_json::from_str(&row.text).unwrap_or_default(),
    })
}

/// The permanent address of number `n`.
pub fn url(state: &Accord, n: u32) -> String {
    format!("{}/outputs/{n}", state.origin)
}

/// A condition's name in `l`.
pub fn condition(l: Locale, c: Condition) -> String {
    match c {
        Condition::NoUnansweredObjections => td_string!(l, outputs.condition_objections),
        Condition::GroupsWithText => td_string!(l, outputs.condition_groups),
        Condition::Participants => td_string!(l, outputs.condition_participants),
        Condition::Regions => td_string!(l, outputs.condition_regions),
        Condition::ConsultationDays => td_string!(l, outputs.condition_days),
    }
    .to_string()
}

/// The labels of `numbers`, joined: "IGF-O 3, IGF-O 7".
fn labels(o: &OutputSummary, numbers: &[u32]) -> String {
    series::labels_like(&o.label, numbers).join(", ")
}

/// The front matter's lines, label first: what a number is, in the text's language.
fn front_lines(o: &Output, l: Locale) -> Vec<(String, String)> {
    let s = &o.summary;
    let mut lines = vec![
        (
            td_string!(l, outputs.front_series).to_string(),
            o.series.clone(),
        ),
        (
            td_string!(l, outputs.front_number).to_string(),
            s.label.clone(),
        ),
        (
            td_string!(l, outputs.front_status).to_string(),
            s.status.clone(),
        ),
        (
            td_string!(l, outputs.front_group).to_string(),
            s.group.clone(),
        ),
        (
            td_string!(l, outputs.front_date).to_string(),
            time::format(s.published_at),
        ),
    ];
    for (key, numbers) in [
        (td_string!(l, outputs.updates).to_string(), &s.updates),
        (td_string!(l, outputs.obsoletes).to_string(), &s.obsoletes),
        (td_string!(l, outputs.updated_by).to_string(), &s.updated_by),
        (
            td_string!(l, outputs.obsoleted_by).to_string(),
            &s.obsoleted_by,
        ),
    ] {
        if !numbers.is_empty() {
            lines.push((key, labels(&o.summary, numbers)));
        }
    }
    lines
}

/// How the threshold was met, one line per condition, in `l`.
fn threshold_lines(o: &Output, l: Locale) -> Vec<String> {
    let mut out: Vec<String> = o
        .evaluation
        .conditions
        .iter()
        .map(|c| {
            let verdict = match c.met {
                true => td_string!(l, outputs.met),
                false => td_string!(l, outputs.not_met),
            };
            td_string!(
                l,
                outputs.condition_line,
                condition = condition(l, c.condition),
                found = c.found.to_string(),
                required = c.required.to_string(),
                verdict = verdict
            )
            .to_string()
        })
        .collect();
    if out.is_empty() {
        out.push(td_string!(l, outputs.no_threshold).to_string());
    }
    if let Some(r) = &o.override_reason {
        out.push(td_string!(l, outputs.overridden, reason = r.clone()).to_string());
    }
    out
}

/// The blocks of a number as printed (HTML, DOCX): front matter, the text, how the threshold
/// was met, who endorsed it.
fn blocks(o: &Output, l: Locale) -> Vec<Block> {
    let mut out: Vec<Block> = front_lines(o, l)
        .into_iter()
        .map(|(k, v)| Block::Meta(format!("{k}: {v}")))
        .collect();
    let about = export::About {
        language: o.language,
        endorsed_by: td_string!(l, outputs.endorsed_by).to_string(),
        ..Default::default()
    };
    // The text's own blocks without their header (group, title, version line): the front matter
    // says all of it.
    let mut text = export::blocks(&o.text, &about, &o.endorsements);
    text.remove(0);
    let title = text.remove(0);
    text.remove(0);
    out.push(title);
    let endorsed_at = text
        .iter()
        .position(|b| matches!(b, Block::Heading { text, .. } if *text == about.endorsed_by))
        .unwrap_or(text.len());
    let endorsed = text.split_off(endorsed_at);
    out.extend(text);
    out.push(Block::Heading {
        level: 2,
        text: td_string!(l, outputs.threshold_heading).to_string(),
    });
    out.extend(threshold_lines(o, l).into_iter().map(Block::Item));
    out.push(Block::Meta(
        td_string!(l, outputs.text_hash, hash = o.text_hash.clone()).to_string(),
    ));
    out.extend(endorsed);
    out
}

/// Number `number` as standalone HTML, DOCX, RFC-style plain text (a header block, then the
/// text) or Markdown (YAML front matter, then the text).
pub async fn export(state: &Accord, number: i64, format: &str) -> Result<Exported, Error> {
    let (ext, content_type) = format_of(format, &["markdown", "html", "text", "docx"])?;
    let o = get(state, number).await?;
    let l = words::locale(o.language);
    let body = match ext {
        "md" => markdown_of(state, &o).into_bytes(),
        "txt" => text_of(state, &o, l).into_bytes(),
        "html" => export::page(&o.text.title, &blocks(&o, l), o.language).into_bytes(),
        _ => docx::render(&o.text.title, &blocks(&o, l), o.language)?,
    };
    Ok(Exported {
        content_type,
        file_name: format!("{}.{ext}", series::key(&o.summary.label)),
        body,
    })
}

fn text_of(state: &Accord, o: &Output, l: Locale) -> String {
    let s = &o.summary;
    let left = vec![o.series.clone(), s.group.clone()];
    let mut right = vec![s.label.clone()];
    right.extend(
        front_lines(o, l)
            .into_iter()
            .skip(5)
            .map(|(k, v)| format!("{k}: {v}")),
    );
    right.push(format!(
        "{}: {}",
        td_string!(l, outputs.front_status),
        s.status
    ));
    right.push(time::format(s.published_at));
    let mut out = export::columns(&left, &right);
    out.push('\n');
    out.push_str(&export::body(
        &o.text,
        td_string!(l, outputs.endorsed_by),
        &o.endorsements,
    ));
    out.push_str(&format!(
        "\n{}\n\n",
        td_string!(l, outputs.threshold_heading)
    ));
    for line in threshold_lines(o, l) {
        out.push_str(&format!("   - {line}\n"));
    }
    out.push_str(&format!(
        "\n{}\n{}\n",
        td_string!(l, outputs.text_hash, hash = o.text_hash.clone()),
        url(state, s.number)
    ));
    out
}

fn markdown_of(state: &Accord, o: &Output) -> String {
    let s = &o.summary;
    let q = |v: &str| serde_json::to_string(v).unwrap_or_default();
    let list = |numbers: &[u32]| {
        let all: Vec<String> = series::labels_like(&s.label, numbers)
            .iter()
            .map(|label| q(label))
            .collect();
        format!("[{}]", all.join(", "))
    };
    let (year, month, day, _, _) = time::civil_utc(s.published_at);
    let mut out = format!(
        "---\ntitle: {}\nseries: {}\nnumber: {}\nstatus: {}\ngroup: {}\ndate: {year:04}-{month:02}-{day:02}\n\
         updates: {}\nobsoletes: {}\nupdated_by: {}\nobsoleted_by: {}\nsha256: {}\nurl: {}\n---\n\n",
        q(&s.title),
        q(&o.series),
        q(&s.label),
        q(&s.status),
        q(&s.group),
        list(&s.updates),
        list(&s.obsoletes),
        list(&s.updated_by),
        list(&s.obsoleted_by),
        o.text_hash,
        q(&url(state, s.number)),
    );
    out.push_str(&markdown::export(&o.text));
    if !o.endorsements.is_empty() {
        let l = words::locale(o.language);
        out.push_str(&format!("\n## {}\n\n", td_string!(l, outputs.endorsed_by)));
        for e in &o.endorsements {
            out.push_str(&format!("- {e}\n"));
        }
    }
    out
}

/// Number `number`'s citation as plain text, BibTeX or CSL-JSON.
pub async fn citation(state: &Accord, number: i64, format: &str) -> Result<Exported, Error> {
    let o = get(state, number).await?;
    let url = url(state, o.summary.number);
    let cited = Cited {
        output: &o.summary,
        series: &o.series,
        url: &url,
        language: o.language.key(),
    };
    let stem = series::key(&o.summary.label);
    let (body, content_type, ext) = match format {
        "text" => (
            series::cite_text(&cited) + "\n",
            "text/plain; charset=utf-8",
            "txt",
        ),
        "bibtex" => (
            series::cite_bibtex(&cited),
            "application/x-bibtex; charset=utf-8",
            "bib",
        ),
        "csl" => (
            serde_json::to_string_pretty(&series::cite_csl(&cited)).unwrap_or_default(),
            "application/vnd.citationstyles.csl+json",
            "json",
        ),
        other => {
            return Err(Refusal::NotAnExportFormat {
                format: domain::refusal::quote(other, 20),
                formats: "text, bibtex, csl".into(),
            }
            .into())
        }
    };
    Ok(Exported {
        content_type,
        file_name: format!("{stem}.{ext}"),
        body: body.into_bytes(),
    })
}

/// The index as an Atom feed: one entry per number, newest first, in `l` for its own words.
pub async fn feed(state: &Accord, l: Locale) -> Result<String, Error> {
    let all = list(state, &Filter::default()).await?;
    let origin = &state.origin;
    let at = crate::notices::atom_time;
    let entries = all
        .outputs
        .iter()
        .map(|o| {
            let mut summary = format!("{} · {} · {}", o.label, o.status, o.group);
            for (words, numbers) in [
                (td_string!(l, outputs.updates), &o.updates),
                (td_string!(l, outputs.obsoletes), &o.obsoletes),
            ] {
                if !numbers.is_empty() {
                    summary.push_str(&format!(" · {words}: {}", labels(o, numbers)));
                }
            }
            Entry {
                id: url(state, o.number),
                title: Text::plain(format!("{}: {}", o.label, o.title)),
                updated: at(o.published_at),
                published: Some(at(o.published_at)),
                summary: Some(Text::plain(summary)),
                authors: vec![Person {
                    name: o.group.clone(),
                    ..Default::default()
                }],
                links: vec![Link {
                    href: url(state, o.number),
                    ..Default::default()
                }],
                ..Default::default()
            }
        })
        .collect();
    let feed = Feed {
        id: format!("{origin}/outputs"),
        title: Text::plain(all.series.name.clone()),
        updated: at(all.outputs.first().map_or(0, |o| o.published_at)),
        links: vec![
            Link {
                href: format!("{origin}/outputs"),
                ..Default::default()
            },
            Link {
                href: format!("{origin}/outputs.atom"),
                rel: "self".into(),
                ..Default::default()
            },
        ],
        entries,
        ..Default::default()
    };
    Ok(feed.to_string())
}
