//! Amendments: in a paragraph's thread, the ones that change it and the form that proposes new
//! wording for it and the paragraphs after it; on their own page, every amendment of a
//! document with filters by status and paragraph. Each amendment shows its word-level
//! difference against the text it was written for and, while open, against the current text;
//! its support by stakeholder group; whether it still applies; and the chair's decision, with
//! the form that accepts it (as it is or with adjusted wording), rejects or supersedes it.
//! Plain forms posting to server functions, like the rest of the thread, so they work without
//! JavaScript.

use super::parts::diff_view;
use super::state::Para;
use std::{collections::HashMap, sync::Arc};

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::parts::error_text;
use super::parts::excerpt;
use super::parts::{
    cleared_on_success, format_time, kept_text, stance_options, thread_href, StanceBar,
};
use super::{get_document, words, NotFound};
use accord_i18n::{t, t_string, use_i18n};
#[cfg(any(feature = "ssr", test))]
use domain::api::AmendmentEdit;
use domain::api::{
    AmendedParagraph, AmendmentStatus, AmendmentView, DocumentDetail, Flag, Involvement, Piece,
    Support, Tally,
};
use domain::diff;
use domain::policy::{self, Action};

/// Most consecutive paragraphs one proposal covers.
const MAX_SPAN: usize = 10;

#[cfg(feature = "ssr")]
/// Where a form's post returns to without JavaScript: the thread of the paragraph it names,
/// else (from the amendments page, which names none) that page.
fn back(doc: &str, paragraph: Option<&str>) -> String {
    match paragraph {
        Some(p) => thread_href(doc, p),
        None => format!("/documents/{doc}/amendments"),
    }
}

#[cfg(feature = "ssr")]
fn amendment_number(raw: &str) -> Result<i64, ServerFnError> {
    raw.trim().parse().map_err(|_| {
        crate::serve::refused(domain::refusal::Refusal::unknown(
            domain::refusal::Thing::Amendment,
            raw,
        ))
    })
}

#[cfg(feature = "ssr")]
fn heads_list(raw: &str) -> Vec<String> {
    raw.split(',')
        .filter(|h| !h.is_empty())
        .map(str::to_string)
        .collect()
}

#[server(prefix = "/_fn", endpoint = "get_amendments")]
pub async fn get_amendments(
    doc: String,
    #[server(default)] status: Option<String>,
    #[server(default)] paragraph: Option<String>,
) -> Result<Vec<AmendmentView>, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    accord_core::amendments::list(
        &core,
        &who,
        &doc,
        domain::api::AmendmentFilter { status, paragraph },
    )
    .await
    .map_err(crate::serve::page_error)
}

/// A paragraph's wording from a form field: emptied, it is deleted; else it reads `text`.
#[cfg(any(feature = "ssr", test))]
fn wording_edit(paragraph: String, text: &str) -> AmendmentEdit {
    let text = text.replace("\r\n", "\n");
    if text.trim().is_empty() {
        AmendmentEdit::Delete { paragraph }
    } else {
        AmendmentEdit::Replace { paragraph, text }
    }
}

/// The edits a proposal form asks for, in the order of `order` (the ids of the paragraphs it
/// covers): a paragraph left empty is deleted, every other one takes its text (one left as it
/// was changes nothing), and a paragraph written under one is inserted after it.
#[cfg(any(feature = "ssr", test))]
pub fn proposal_edits(
    order: &str,
    texts: &HashMap<String, String>,
    inserts: &HashMap<String, String>,
) -> Vec<AmendmentEdit> {
    let mut edits = Vec::new();
    for id in order.split(',').filter(|id| !id.is_empty()) {
        if let Some(text) = texts.get(id) {
            edits.push(wording_edit(id.to_string(), text));
        }
        if let Some(text) = inserts.get(id).filter(|t| !t.trim().is_empty()) {
            edits.push(AmendmentEdit::Insert {
                after: Some(id.to_string()),
                paragraph_kind: None,
                text: text.replace("\r\n", "\n").trim().to_string(),
            });
        }
    }
    edits
}

/// Proposes new wording for the paragraphs of `order`; `base` is the comma-separated heads
/// the form's copies were made from.
#[server(prefix = "/_fn", endpoint = "propose_amendment")]
pub async fn propose_amendment(
    doc: String,
    paragraph: String,
    base: String,
    rationale: String,
    #[server(default)] order: String,
    #[server(default)] texts: HashMap<String, String>,
    #[server(default)] inserts: HashMap<String, String>,
) -> Result<(), ServerFnError> {
    let n = domain::api::NewAmendment {
        base: heads_list(&base),
        edits: proposal_edits(&order, &texts, &inserts),
        rationale,
    };
    let back = thread_href(&doc, &paragraph);
    crate::serve::write(&back, async |core, who| {
        accord_core::amendments::propose(core, who, &doc, n).await
    })
    .await
}

/// A chair's decision; `modify` accepts with the adjusted `wording` (paragraph id → text),
/// written at the heads `wording_base`.
#[server(prefix = "/_fn", endpoint = "decide_amendment")]
pub async fn decide_amendment(
    doc: String,
    #[server(default)] paragraph: Option<String>,
    amendment: String,
    #[server(default)] decision: Option<String>,
    reason: String,
    #[server(default)] wording: HashMap<String, String>,
    #[server(default)] wording_base: String,
) -> Result<(), ServerFnError> {
    use domain::api::{Verdict, Wording};
    let (decision, wording) = match decision.as_deref() {
        Some("accept") => (Verdict::Accept, None),
        Some("modify") => {
            let edits = wording
                .into_iter()
                .map(|(paragraph, text)| wording_edit(paragraph, &text))
                .collect();
            let base = heads_list(&wording_base);
            (Verdict::Accept, Some(Wording { base, edits }))
        }
        Some("reject") => (Verdict::Reject, None),
        Some("supersede") => (Verdict::Supersede, None),
        _ => {
            return Err(crate::serve::refused(domain::refusal::Refusal::Choose {
                what: domain::refusal::Choice::Verdict,
            }))
        }
    };
    let amendment = amendment_number(&amendment)?;
    let decide = domain::api::Decide {
        decision,
        reason,
        wording,
    };
    crate::serve::write(&back(&doc, paragraph.as_deref()), async |core, who| {
        accord_core::amendments::decide(core, who, &doc, amendment, decide).await
    })
    .await
}

#[server(prefix = "/_fn", endpoint = "sponsor_amendment")]
pub async fn sponsor_amendment(
    doc: String,
    #[server(default)] paragraph: Option<String>,
    amendment: String,
) -> Result<(), ServerFnError> {
    let amendment = amendment_number(&amendment)?;
    crate::serve::write(&back(&doc, paragraph.as_deref()), async |core, who| {
        accord_core::amendments::sponsor(core, who, &doc, amendment).await
    })
    .await
}

#[server(prefix = "/_fn", endpoint = "withdraw_amendment")]
pub async fn withdraw_amendment(
    doc: String,
    #[server(default)] paragraph: Option<String>,
    amendment: String,
) -> Result<(), ServerFnError> {
    let amendment = amendment_number(&amendment)?;
    crate::serve::write(&back(&doc, paragraph.as_deref()), async |core, who| {
        accord_core::amendments::withdraw(core, who, &doc, amendment).await
    })
    .await
}

#[server(prefix = "/_fn", endpoint = "amendment_stance")]
pub async fn amendment_stance(
    doc: String,
    #[server(default)] paragraph: Option<String>,
    amendment: String,
    #[server(default)] stance: Option<String>,
    #[server(default)] reason: Option<String>,
) -> Result<(), ServerFnError> {
    let stance = super::parts::chosen_stance(stance)?;
    let amendment = amendment_number(&amendment)?;
    let stance = domain::api::SetStance { stance, reason };
    crate::serve::write(&back(&doc, paragraph.as_deref()), async |core, who| {
        accord_core::amendments::set_stance(core, who, &doc, amendment, stance).await
    })
    .await
}

/// The text a difference ends with.
fn after(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Same(t) | Piece::Inserted(t) => Some(t.as_str()),
            Piece::Deleted(_) => None,
        })
        .collect()
}

/// Whether a difference only removes words: a deleted paragraph.
fn only_deletes(pieces: &[Piece]) -> bool {
    !pieces.is_empty() && pieces.iter().all(|p| matches!(p, Piece::Deleted(_)))
}

/// Every form the amendments use, and the list: one of each per page.
#[derive(Clone, Copy)]
pub struct AmendmentState {
    pub propose: ServerAction<ProposeAmendment>,
    pub decide: ServerAction<DecideAmendment>,
    pub sponsor: ServerAction<SponsorAmendment>,
    pub withdraw: ServerAction<WithdrawAmendment>,
    pub stance: ServerAction<AmendmentStance>,
    pub list: Resource<Result<Vec<AmendmentView>, ServerFnError>>,
}

impl AmendmentState {
    /// The list is fetched again when `refresh` moves or any form was used. A thread keeps
    /// its state outside the part of it rebuilt on every fetch, so nothing awaits a disposed
    /// resource.
    pub fn new(
        doc: impl Fn() -> String + Send + Sync + 'static,
        filter: impl Fn() -> (Option<String>, Option<String>) + Send + Sync + 'static,
        refresh: Signal<u64>,
    ) -> Self {
        let propose = ServerAction::<ProposeAmendment>::new();
        let decide = ServerAction::<DecideAmendment>::new();
        let sponsor = ServerAction::<SponsorAmendment>::new();
        let withdraw = ServerAction::<WithdrawAmendment>::new();
        let stance = ServerAction::<AmendmentStance>::new();
        let list = Resource::new(
            move || {
                let used = propose.version().get()
                    + decide.version().get()
                    + sponsor.version().get()
                    + withdraw.version().get()
                    + stance.version().get();
                (doc(), filter(), refresh.get(), used)
            },
            |(d, (status, paragraph), _, _)| get_amendments(d, status, paragraph),
        );
        Self {
            propose,
            decide,
            sponsor,
            withdraw,
            stance,
            list,
        }
    }

    fn errors(self) -> impl IntoView {
        let line = |e: Option<String>| e.map(|e| view! { <p class="error" role="alert">{e}</p> });
        view! {
            {move || line(error_text(self.decide.value().get()))}
            {move || line(error_text(self.sponsor.value().get()))}
            {move || line(error_text(self.withdraw.value().get()))}
            {move || line(error_text(self.stance.value().get()))}
        }
    }
}

/// What a card needs besides its amendment: where it is shown and what the viewer may do.
#[derive(Clone)]
struct Card {
    i18n: words::I18n,
    doc: String,
    /// The thread's paragraph; none on the amendments page.
    paragraph: Option<String>,
    labels: Arc<HashMap<String, String>>,
    may_comment: bool,
    may_state: bool,
    may_decide: bool,
    state: AmendmentState,
}

/// The amendments that change `paragraph`, and the form to propose new wording for it.
#[component]
pub fn Amendments(
    doc: String,
    paragraph: String,
    /// The whole text in order, as copied at the heads `base`.
    paragraphs: Vec<Para>,
    base: Vec<String>,
    may_propose: bool,
    may_state: bool,
    may_decide: bool,
    state: AmendmentState,
) -> impl IntoView {
    let i18n = use_i18n();
    let labels: Arc<HashMap<String, String>> = Arc::new(
        paragraphs
            .iter()
            .map(|p| (p.id.clone(), p.label.clone()))
            .collect(),
    );
    let card = Card {
        i18n,
        doc: doc.clone(),
        paragraph: Some(paragraph.clone()),
        labels,
        may_comment: may_propose,
        may_state,
        may_decide,
        state,
    };
    let proposal =
        may_propose.then(|| proposal_form(i18n, &doc, &paragraph, paragraphs, base, state));
    let all_href = format!("/documents/{doc}/amendments");
    let para = paragraph.clone();
    view! {
        <h3 class="subhead">{t!(i18n, amendments.thread_heading)}</h3>
        <Transition fallback=|| ()>
            {move || {
                let (para, card) = (para.clone(), card.clone());
                Suspend::new(async move {
                    let all = state.list.await.unwrap_or_default();
                    let mine: Vec<AmendmentView> = all
                        .into_iter()
                        .filter(|a| a.paragraphs.iter().any(|x| x.paragraph == para))
                        .collect();
                    if mine.is_empty() {
                        return view! { <p class="muted small">{t!(i18n, amendments.thread_none)}</p> }.into_any();
                    }
                    mine.into_iter().map(|a| amendment_card(a, &card)).collect_view().into_any()
                })
            }}
        </Transition>
        {state.errors()}
        {proposal}
        <p class="small"><a href=all_href>{t!(i18n, amendments.thread_all_link)}</a></p>
    }
}

/// The proposal form: an editable copy of the paragraph, to which the paragraphs after it can
/// be added one by one (the link works without JavaScript too), each with room to insert a
/// new paragraph after it; emptying one proposes to delete it.
fn proposal_form(
    i18n: words::I18n,
    doc: &str,
    paragraph: &str,
    paragraphs: Vec<Para>,
    base: Vec<String>,
    state: AmendmentState,
) -> AnyView {
    let query = use_query_map();
    // A refused proposal comes back covering the paragraphs it covered.
    let posted_span =
        super::parts::kept::<ProposeAmendment>(&[("doc", doc), ("paragraph", paragraph)], "order")
            .map(|order| order.split(',').count());
    let asked = query
        .read_untracked()
        .get("span")
        .and_then(|s| s.parse::<usize>().ok())
        .or(posted_span)
        .unwrap_or(1)
        .clamp(1, MAX_SPAN);
    let start = paragraphs
        .iter()
        .position(|p| p.id == paragraph)
        .unwrap_or(0);
    let room = paragraphs.len().saturating_sub(start).clamp(1, MAX_SPAN);
    let span = RwSignal::new(asked.min(room));
    // Open when asked for more than one paragraph, and after a refusal (without JavaScript the
    // page comes back with the error, which must be in view beside the form).
    let opened = asked > 1
        || state
            .propose
            .value()
            .with_untracked(|v| matches!(v, Some(Err(_))));
    let covered: Vec<Para> = paragraphs.into_iter().skip(start).take(room).collect();
    let shown = {
        let covered = covered.clone();
        move || covered.iter().take(span.get()).cloned().collect::<Vec<_>>()
    };
    let order = {
        let covered = covered.clone();
        move || {
            covered
                .iter()
                .take(span.get())
                .map(|p| p.id.clone())
                .collect::<Vec<_>>()
                .join(",")
        }
    };
    let (doc, paragraph) = (doc.to_string(), paragraph.to_string());
    // After a refusal without JavaScript, what was typed comes back into the fields.
    let kept = {
        let which = [("doc", doc.clone()), ("paragraph", paragraph.clone())];
        move |name: &str, default: String| {
            let which = which.each_ref().map(|(k, v)| (*k, v.as_str()));
            kept_text::<ProposeAmendment>(&which, name, default)
        }
    };
    let more = {
        let (doc, paragraph) = (doc.clone(), paragraph.clone());
        move || {
            let n = span.get();
            (n < room).then(|| {
                let href = format!("/documents/{doc}?p={paragraph}&span={}#{paragraph}", n + 1);
                view! {
                    <a class="link-button small" href=href on:click=move |ev| {
                        ev.prevent_default();
                        span.update(|s| *s = (*s + 1).min(room));
                    }>{t!(i18n, amendments.propose_more)}</a>
                }
            })
        }
    };
    let rationale = kept("rationale", String::new());
    view! {
        <details class="tool propose" id="propose" open=opened>
            <summary>{t!(i18n, amendments.propose_title)}</summary>
            <ActionForm action=state.propose node_ref=cleared_on_success(state.propose) attr:class="stack small-form">
                <input type="hidden" name="doc" value=doc.clone() />
                <input type="hidden" name="paragraph" value=paragraph.clone() />
                <input type="hidden" name="base" value=base.join(",") />
                <input type="hidden" name="order" value=order />
                <p class="small muted">{t!(i18n, amendments.propose_hint)}</p>
                <For each=shown key=|p| p.id.clone() let(p)>
                    <div class="amend-paragraph">
                        <label for=format!("amend-{}", p.id)>{t_string!(i18n, amendments.propose_paragraph_label, paragraph = &p.label).to_string()}</label>
                        <textarea id=format!("amend-{}", p.id) name=format!("texts[{}]", p.id) rows="5" maxlength="20000">{kept(&format!("texts[{}]", p.id), p.text.clone())}</textarea>
                        <details class="insert">
                            <summary class="small">{t_string!(i18n, amendments.propose_insert_summary, paragraph = &p.label).to_string()}</summary>
                            <label class="visually-hidden" for=format!("insert-{}", p.id)>{t_string!(i18n, amendments.propose_insert_label, paragraph = &p.label).to_string()}</label>
                            <textarea id=format!("insert-{}", p.id) name=format!("inserts[{}]", p.id) rows="3" maxlength="20000">{kept(&format!("inserts[{}]", p.id), String::new())}</textarea>
                        </details>
                    </div>
                </For>
                {more}
                {move || error_text(state.propose.value().get()).map(|e| view! { <p class="error" id="amend-error" role="alert">{e}</p> })}
                <label for="amend-why">{t!(i18n, amendments.propose_rationale)}</label>
                // After a refusal without JavaScript the page comes back at its top: focusing
                // the form's last field brings the refusal above it into view.
                <textarea id="amend-why" name="rationale" rows="2" required maxlength="2000"
                    autofocus=move || state.propose.value().with(|v| matches!(v, Some(Err(_))))>{rationale}</textarea>
                <button type="submit" class="button small primary">{t!(i18n, amendments.propose_submit)}</button>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// "5 support · 2 can live with · 1 opposes": the figures in words.
fn tally_words(i18n: words::I18n, tally: &Tally) -> String {
    if tally.total() == 0 {
        return t_string!(i18n, amendments.tally_none).to_string();
    }
    [
        t_string!(i18n, amendments.tally_support, count = tally.support).to_string(),
        t_string!(
            i18n,
            amendments.tally_can_live_with,
            count = tally.can_live_with
        )
        .to_string(),
        t_string!(i18n, amendments.tally_oppose, count = tally.oppose).to_string(),
    ]
    .join(" · ")
}

/// Something a chair should look at, in words.
fn flag_words(i18n: words::I18n, flag: &Flag) -> String {
    match flag {
        Flag::UnansweredObjections { count } => {
            t_string!(i18n, amendments.flag_unanswered_objections, count = *count).to_string()
        }
        Flag::ConcentratedObjections {
            group,
            objections,
            of,
        } => t_string!(
            i18n,
            amendments.flag_concentrated_objections,
            objections = objections,
            group = words::group(i18n, *group),
            count = *of
        )
        .to_string(),
        Flag::NarrowSupport { groups } => {
            t_string!(i18n, amendments.flag_narrow_support, count = *groups).to_string()
        }
    }
}

/// How participants stand on an amendment, by stakeholder group.
fn support_view(i18n: words::I18n, s: Support) -> AnyView {
    if s.tally.total() == 0 {
        return view! { <p class="small muted">{t!(i18n, amendments.support_none)}</p> }.into_any();
    }
    let groups = s
        .by_group
        .into_iter()
        .filter(|g| g.tally.total() > 0)
        .map(|g| {
            let name = match g.group {
                Some(group) => words::group(i18n, group),
                None => t_string!(i18n, amendments.support_not_stated).to_string(),
            };
            view! { <li><span class="group-name">{name}</span> " " <span class="muted">{tally_words(i18n, &g.tally)}</span></li> }
        })
        .collect_view();
    view! {
        <div class="support">
            <div class="support-line">
                <StanceBar tally=s.tally width=140 />
                <span class="small">{tally_words(i18n, &s.tally)}</span>
            </div>
            <ul class="breakdown small" aria-label=move || t_string!(i18n, amendments.support_by_group).to_string()>{groups}</ul>
            {(!s.flags.is_empty()).then(|| view! {
                <ul class="flags">{s.flags.iter().map(|f| view! { <li class="flag">{flag_words(i18n, f)}</li> }).collect_view()}</ul>
            })}
        </div>
    }
    .into_any()
}

/// The hidden fields every form on a card carries: the thread's paragraph says where to
/// return to (the amendments page names none).
fn card_fields(card: &Card, id: i64) -> AnyView {
    view! {
        <input type="hidden" name="doc" value=card.doc.clone() />
        {card.paragraph.clone().map(|p| view! { <input type="hidden" name="paragraph" value=p /> })}
        <input type="hidden" name="amendment" value=id.to_string() />
    }
    .into_any()
}

fn stance_form(card: &Card, a: &AmendmentView) -> AnyView {
    let id = a.id;
    let current = a.your_stance.as_ref().map(|s| s.stance);
    let reason = a
        .your_stance
        .as_ref()
        .and_then(|s| s.reason.clone())
        .unwrap_or_default();
    let (i18n, action, fields) = (card.i18n, card.state.stance, card_fields(card, id));
    let summary = match current {
        Some(_) => t_string!(i18n, amendments.stance_change),
        None => t_string!(i18n, amendments.stance_yours),
    }
    .to_string();
    view! {
        <details class="tool">
            <summary>{summary}</summary>
            <ActionForm action attr:class="stance-form">
                {fields}
                <fieldset>
                    <legend class="visually-hidden">{t_string!(i18n, amendments.stance_legend, number = id).to_string()}</legend>
                    {stance_options(current, domain::api::Stance::ALL)}
                </fieldset>
                <label for=format!("am-reason-{id}") class="small">{t!(i18n, amendments.stance_reason)}</label>
                <textarea id=format!("am-reason-{id}") name="reason" rows="2" maxlength="2000">{super::parts::textarea_text(reason)}</textarea>
                <button type="submit" class="button small">{t!(i18n, amendments.stance_save)}</button>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// The chair's decision form. With conflicts it opens on "accept with modification", the
/// wording prefilled with what accepting now would produce, for the chair to put right.
fn decide_form(card: &Card, a: &AmendmentView) -> AnyView {
    let id = a.id;
    let conflicted = !a.applies_cleanly;
    let wording: Vec<(String, String, String)> = a
        .paragraphs
        .iter()
        .filter_map(|p| {
            let text = after(p.now.as_ref()?);
            let label = paragraph_name(card, p);
            (!text.is_empty()).then(|| (p.paragraph.clone(), label, text))
        })
        .collect();
    let i18n = card.i18n;
    let choices = [
        ("accept", t_string!(i18n, amendments.decide_accept)),
        ("modify", t_string!(i18n, amendments.decide_modify)),
        ("reject", t_string!(i18n, amendments.decide_reject)),
        ("supersede", t_string!(i18n, amendments.decide_supersede)),
    ]
    .map(|(key, label)| (key, label.to_string()));
    let chosen = if conflicted { "modify" } else { "accept" };
    let summary = match conflicted {
        true => t_string!(i18n, amendments.decide_resolve_title),
        false => t_string!(i18n, amendments.decide_title),
    }
    .to_string();
    let (action, fields, heads) = (card.state.decide, card_fields(card, id), a.heads.join(","));
    view! {
        <details class="tool decide" open=conflicted>
            <summary>{summary}</summary>
            <ActionForm action attr:class="stack small-form">
                {fields}
                <fieldset class="choices">
                    <legend class="small">{t!(i18n, amendments.decide_legend)}</legend>
                    {choices.into_iter().map(|(key, label)| view! {
                        <label class="choice small">
                            <input type="radio" name="decision" value=key checked=key == chosen />
                            {label}
                        </label>
                    }).collect_view()}
                </fieldset>
                // Shown while "Accept with modification" is chosen (a CSS rule on the checked
                // choice, so it works without JavaScript too).
                <div class="wording">
                    <p class="small"><strong>{t!(i18n, amendments.decide_wording_title)}</strong>" "{t!(i18n, amendments.decide_wording_hint)}</p>
                    <input type="hidden" name="wording_base" value=heads />
                    {wording.into_iter().map(|(p, label, text)| view! {
                        <label for=format!("wording-{id}-{p}") class="small">{label}</label>
                        <textarea id=format!("wording-{id}-{p}") name=format!("wording[{p}]") rows="4" maxlength="20000">{kept_text::<DecideAmendment>(&[("amendment", &id.to_string())], &format!("wording[{p}]"), text)}</textarea>
                    }).collect_view()}
                </div>
                <label for=format!("decide-why-{id}")>{t!(i18n, amendments.decide_reason)}</label>
                <textarea id=format!("decide-why-{id}") name="reason" rows="2" required maxlength="2000">{kept_text::<DecideAmendment>(&[("amendment", &id.to_string())], "reason", String::new())}</textarea>
                <button type="submit" class="button small primary">{t!(i18n, amendments.decide_submit)}</button>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// "Paragraph 3", or for one the amendment adds, where it goes.
fn paragraph_name(card: &Card, p: &AmendedParagraph) -> String {
    match card.labels.get(&p.paragraph) {
        Some(label) => label.clone(),
        None => p
            .follows
            .as_ref()
            .and_then(|f| card.labels.get(f))
            .map(|l| {
                t_string!(
                    card.i18n,
                    amendments.card_new_paragraph_after,
                    paragraph = l
                )
                .to_string()
            })
            .unwrap_or_else(|| t_string!(card.i18n, amendments.card_new_paragraph).to_string()),
    }
}

fn amendment_card(a: AmendmentView, card: &Card) -> AnyView {
    let (i18n, id) = (card.i18n, a.id);
    let open = a.status == AmendmentStatus::Open;
    let changes = a
        .paragraphs
        .iter()
        .map(|p| {
            let label = match card.labels.contains_key(&p.paragraph) {
                true => view! { <a href=thread_href(&card.doc, &p.paragraph)>{paragraph_name(card, p)}</a> }.into_any(),
                false => paragraph_name(card, p).into_any(),
            };
            let what = only_deletes(&p.diff)
                .then(|| format!(" {}", t_string!(i18n, amendments.card_paragraph_deleted)));
            let now = p.now.clone().filter(|now| *now != p.diff).map(|now| {
                view! {
                    <p class="diff-label small muted">{t!(i18n, amendments.card_against_current)}</p>
                    <p class="amended-text" dir="auto">{diff_view(now)}</p>
                }
            });
            // Once accepted: the words adopted, and where the chair modified them, how.
            let adopted = p.adopted.clone().map(|text| {
                let proposed: String = p
                    .diff
                    .iter()
                    .filter_map(|piece| match piece {
                        Piece::Same(w) | Piece::Inserted(w) => Some(w.as_str()),
                        Piece::Deleted(_) => None,
                    })
                    .collect();
                let modified = proposed != text;
                let words = match text.is_empty() {
                    true => view! { <em>{t!(i18n, amendments.card_adopted_deleted)}</em> }.into_any(),
                    false => view! { <bdi>{text.clone()}</bdi> }.into_any(),
                };
                view! {
                    <div class="adopted">
                        <p class="diff-label small"><strong>{t!(i18n, amendments.card_adopted_wording)}</strong>
                            {modified.then(|| format!(" {}", t_string!(i18n, amendments.card_adopted_modified)))}</p>
                        <p class="amended-text" dir="auto">{words}</p>
                        {modified.then(|| view! {
                            <p class="diff-label small muted">{t!(i18n, amendments.card_chair_changes)}</p>
                            <p class="amended-text" dir="auto">{diff_view(diff::runs(&proposed, &text))}</p>
                        })}
                    </div>
                }
            });
            view! {
                <div class="amended">
                    <p class="diff-label small muted">
                        {label}
                        {what}
                        {(now.is_some() || adopted.is_some()).then(|| format!(" {}", t_string!(i18n, amendments.card_as_proposed)))}
                    </p>
                    <p class="amended-text" dir="auto">{diff_view(p.diff.clone())}</p>
                    {now}
                    {adopted}
                </div>
            }
        })
        .collect_view();
    let fit = open.then(|| {
        if a.applies_cleanly {
            view! { <p class="fit clean small">{t!(i18n, amendments.card_applies_cleanly)}</p> }.into_any()
        } else {
            view! {
                <div class="fit conflict small" role="note">
                    <p><strong>{t!(i18n, amendments.conflict_title)}</strong></p>
                    {a.conflicts.iter().cloned().map(|c| view! {
                        <dl class="conflict-words">
                            <dt>{t!(i18n, amendments.conflict_when_proposed)}</dt><dd>{c.base}</dd>
                            <dt>{t!(i18n, amendments.conflict_amendment)}</dt><dd>{c.amended}</dd>
                            <dt>{t!(i18n, amendments.conflict_now)}</dt>
                            <dd>{if c.current.is_empty() { t_string!(i18n, amendments.conflict_now_deleted).to_string() } else { c.current }}</dd>
                        </dl>
                    }).collect_view()}
                    <p>{t!(i18n, amendments.conflict_hint)}</p>
                </div>
            }
            .into_any()
        }
    });
    let decision = a.decision.clone().map(|d| {
        view! {
            <p class="response small">
                <strong>{words::amendment_status(i18n, a.status)}</strong> " — " {d.reason}
                <span class="muted">{format!(" {}", t_string!(i18n, amendments.card_decision_by, chair = d.by, time = format_time(i18n, d.at)))}</span>
            </p>
        }
    });
    let sponsors = (!a.sponsors.is_empty())
        .then(|| view! { <p class="small muted">{t_string!(i18n, amendments.card_cosponsored_by, names = a.sponsors.join(", ")).to_string()}</p> });
    let tools = open.then(|| {
        let stance = card.may_state.then(|| stance_form(card, &a));
        let sponsor = match a.you {
            Some(Involvement::Proposer) => {
                let (action, fields) = (card.state.withdraw, card_fields(card, id));
                Some(view! {
                    <p class="small you-involved">{t!(i18n, amendments.card_you_proposed)}</p>
                    <details class="withdraw">
                        <summary class="link-button small">{t!(i18n, amendments.card_withdraw_summary)}</summary>
                        <ActionForm action attr:class="inline-form">
                            {fields}
                            <p class="small">{t!(i18n, amendments.card_withdraw_hint)}</p>
                            <button type="submit" class="button small">{t_string!(i18n, amendments.card_withdraw_submit, number = id).to_string()}</button>
                        </ActionForm>
                    </details>
                }.into_any())
            }
            Some(Involvement::Sponsor) => {
                Some(view! { <p class="small you-involved">{t!(i18n, amendments.card_you_cosponsor)}</p> }.into_any())
            }
            None => card.may_comment.then(|| {
                let (action, fields) = (card.state.sponsor, card_fields(card, id));
                view! {
                    <ActionForm action attr:class="inline-form">
                        {fields}
                        <button type="submit" class="link-button small">{t!(i18n, amendments.card_cosponsor)}</button>
                    </ActionForm>
                }
                .into_any()
            }),
        };
        let decide = card.may_decide.then(|| decide_form(card, &a));
        view! { <div class="tools">{stance} {sponsor}</div> {decide} }
    });
    view! {
        <article id=format!("amendment-{id}") class=format!("amendment status-{}", a.status.key())
            aria-label=t_string!(i18n, amendments.card_aria_label, number = id, proposer = &a.proposer).to_string()>
            <header class="comment-head">
                <strong>{t_string!(i18n, amendments.card_title, number = id).to_string()}</strong>
                <span class="muted small">{t_string!(i18n, amendments.card_by, proposer = &a.proposer).to_string()}</span>
                <span class=format!("badge status-{}", a.status.key())>{words::amendment_status(i18n, a.status)}</span>
                <span class="muted small">{format_time(i18n, a.created_at)}</span>
            </header>
            {a.unreadable.then(|| view! {
                <p class="error">{t!(i18n, amendments.card_unreadable)}</p>
            })}
            {changes}
            <p class="small rationale"><em>{a.rationale.clone()}</em></p>
            {sponsors}
            {support_view(i18n, a.support.clone())}
            {fit}
            {decision}
            {tools}
        </article>
    }
    .into_any()
}

/// Every amendment of a document, filtered by status and paragraph: `/documents/{id}/amendments`.
#[component]
pub fn AmendmentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let filter = move || {
        let q = query.read();
        let pick = |k: &str| q.get(k).filter(|v| !v.is_empty());
        (pick("status"), pick("paragraph"))
    };
    let doc = Resource::new(id, get_document);
    let state = AmendmentState::new(id, filter, Signal::stored(0));
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, amendments.page_loading)}</p> }>
            {move || Suspend::new(async move {
                match doc.await {
                    Ok(Some(detail)) => view! { <AmendmentList detail state filter=filter() /> }.into_any(),
                    Ok(None) => view! { <NotFound what="document".to_string() /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn paragraph_label(i18n: words::I18n, p: &domain::api::Paragraph) -> String {
    match (p.kind, &p.number) {
        (domain::api::ParagraphKind::Heading, _) => t_string!(
            i18n,
            amendments.paragraph_heading,
            excerpt = excerpt(&p.text, 40)
        )
        .to_string(),
        (_, Some(n)) => t_string!(i18n, amendments.paragraph_numbered, number = n).to_string(),
        (_, None) => t_string!(
            i18n,
            amendments.paragraph_unnumbered,
            excerpt = excerpt(&p.text, 40)
        )
        .to_string(),
    }
}

/// "2 accepted": how many of the amendments shown have `status`.
fn status_count(i18n: words::I18n, status: AmendmentStatus, n: usize) -> String {
    use AmendmentStatus::*;
    match status {
        Open => t_string!(i18n, amendments.count_open, count = n),
        Accepted => t_string!(i18n, amendments.count_accepted, count = n),
        AcceptedWithModification => {
            t_string!(i18n, amendments.count_accepted_with_modification, count = n)
        }
        Rejected => t_string!(i18n, amendments.count_rejected, count = n),
        Withdrawn => t_string!(i18n, amendments.count_withdrawn, count = n),
        Superseded => t_string!(i18n, amendments.count_superseded, count = n),
    }
    .to_string()
}

#[component]
fn AmendmentList(
    detail: DocumentDetail,
    state: AmendmentState,
    filter: (Option<String>, Option<String>),
) -> impl IntoView {
    let i18n = use_i18n();
    let doc = detail.id.clone();
    let labels: Arc<HashMap<String, String>> = Arc::new(
        detail
            .paragraphs
            .iter()
            .map(|p| (p.id.clone(), paragraph_label(i18n, p)))
            .collect(),
    );
    // What the page offers; the server decides again on every write.
    let standing = policy::Standing {
        signed_in: detail.signed_in,
        admin: false,
        role: detail.your_role,
    };
    let card = Card {
        i18n,
        doc: doc.clone(),
        paragraph: None,
        labels,
        may_comment: policy::allows_in(standing, detail.schedule.phase, Action::ProposeAmendment),
        may_state: policy::allows_in(standing, detail.schedule.phase, Action::StateStance),
        may_decide: policy::allows_in(standing, detail.schedule.phase, Action::DecideAmendment),
        state,
    };
    let (status, paragraph) = filter;
    let status_options = AmendmentStatus::ALL
        .iter()
        .map(|s| {
            let selected = status.as_deref() == Some(s.key());
            view! { <option value=s.key() selected=selected>{words::amendment_status(i18n, *s)}</option> }
        })
        .collect_view();
    let paragraph_options = detail
        .paragraphs
        .iter()
        .map(|p| {
            let selected = paragraph.as_deref() == Some(p.id.as_str());
            view! { <option value=p.id.clone() selected=selected>{paragraph_label(i18n, p)}</option> }
        })
        .collect_view();
    let title = detail.title.clone();
    let doc_href = format!("/documents/{doc}");
    view! {
        <Title text=t_string!(i18n, amendments.page_title, title = &title).to_string() />
        <section class="page amendments-page">
            <p class="small"><a href=doc_href>{t_string!(i18n, amendments.page_back, title = &title).to_string()}</a></p>
            <h1>{t!(i18n, amendments.page_heading)}</h1>
            <form method="get" class="filters" action=format!("/documents/{doc}/amendments")>
                <label class="small">{t!(i18n, amendments.filter_status)}
                    <select name="status">
                        <option value="">{t!(i18n, amendments.filter_any_status)}</option>
                        {status_options}
                    </select>
                </label>
                <label class="small">{t!(i18n, amendments.filter_paragraph)}
                    <select name="paragraph">
                        <option value="">{t!(i18n, amendments.filter_any_paragraph)}</option>
                        {paragraph_options}
                    </select>
                </label>
                <button type="submit" class="button small">{t!(i18n, amendments.filter_show)}</button>
            </form>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || {
                    let card = card.clone();
                    Suspend::new(async move {
                        match state.list.await {
                            Ok(list) if list.is_empty() => view! { <p class="muted">{t!(i18n, amendments.page_none_match)}</p> }.into_any(),
                            Ok(list) => {
                                let counts = AmendmentStatus::ALL
                                    .iter()
                                    .filter_map(|s| {
                                        let n = list.iter().filter(|a| a.status == *s).count();
                                        (n > 0).then(|| status_count(i18n, *s, n))
                                    })
                                    .collect::<Vec<_>>()
                                    .join(" · ");
                                view! {
                                    <p class="muted small" role="status">{t_string!(i18n, amendments.page_shown, counts, count = list.len()).to_string()}</p>
                                    <div class="amendment-list">{list.into_iter().map(|a| amendment_card(a, &card)).collect_view()}</div>
                                }
                                .into_any()
                            }
                            Err(e) => view! { <p class="error" role="alert">{error_text(Some(Err::<(), _>(e)))}</p> }.into_any(),
                        }
                    })
                }}
            </Transition>
            {state.errors()}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proposal_form_becomes_edits_in_document_order() {
        let texts = HashMap::from([
            ("pa".to_string(), "First, reworded.\r\nMore.".to_string()),
            ("pb".to_string(), "  ".to_string()),
            ("pc".to_string(), "Third as it was.".to_string()),
        ]);
        let inserts = HashMap::from([
            ("pa".to_string(), " A new one. ".to_string()),
            ("pc".to_string(), String::new()),
        ]);
        assert_eq!(
            proposal_edits("pa,pb,pc", &texts, &inserts),
            vec![
                AmendmentEdit::Replace {
                    paragraph: "pa".into(),
                    text: "First, reworded.\nMore.".into()
                },
                AmendmentEdit::Insert {
                    after: Some("pa".into()),
                    paragraph_kind: None,
                    text: "A new one.".into()
                },
                AmendmentEdit::Delete {
                    paragraph: "pb".into()
                },
                AmendmentEdit::Replace {
                    paragraph: "pc".into(),
                    text: "Third as it was.".into()
                },
            ]
        );
        // Fields for paragraphs the form did not cover are ignored.
        assert!(proposal_edits("", &texts, &inserts).is_empty());
    }
}
