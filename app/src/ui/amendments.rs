//! Amendments in a paragraph's thread: the ones that change it, each as a word-level
//! difference with its status, conflicts and decision; the form that proposes new wording as an
//! edited copy of the paragraph; and, for chairs, the decision form. Plain forms posting to
//! server functions, like the rest of the thread, so they work without JavaScript.

use leptos::prelude::*;

use super::account::error_text;
use super::feedback::format_time;
use crate::api::{AmendmentStatus, AmendmentView, Piece};

#[cfg(feature = "ssr")]
async fn write(
    doc: String,
    paragraph: &str,
    w: crate::backend::AmendmentWrite,
) -> Result<(), ServerFnError> {
    super::backend()?
        .0
        .write_amendment(super::headers().await?, doc.clone(), w)
        .await
        .map_err(super::backend_error)?;
    leptos_axum::redirect(&super::feedback::thread_href(&doc, paragraph));
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "get_amendments")]
pub async fn get_amendments(doc: String) -> Result<Vec<AmendmentView>, ServerFnError> {
    super::backend()?
        .0
        .amendments(super::headers().await?, doc)
        .await
        .map_err(super::backend_error)
}

/// Proposes new wording for one paragraph; `base` is the comma-separated heads the copy was
/// made from.
#[server(prefix = "/_fn", endpoint = "propose_amendment")]
pub async fn propose_amendment(
    doc: String,
    paragraph: String,
    base: String,
    text: String,
    rationale: String,
) -> Result<(), ServerFnError> {
    let n = crate::api::NewAmendment {
        base: base
            .split(',')
            .filter(|h| !h.is_empty())
            .map(str::to_string)
            .collect(),
        edits: vec![crate::api::AmendmentEdit::Replace {
            paragraph: paragraph.clone(),
            text: text.replace("\r\n", "\n"),
        }],
        rationale,
    };
    write(doc, &paragraph, crate::backend::AmendmentWrite::Propose(n)).await
}

#[server(prefix = "/_fn", endpoint = "decide_amendment")]
pub async fn decide_amendment(
    doc: String,
    paragraph: String,
    amendment: String,
    #[server(default)] decision: Option<String>,
    reason: String,
) -> Result<(), ServerFnError> {
    use crate::api::Verdict;
    let decision = match decision.as_deref() {
        Some("accept") => Verdict::Accept,
        Some("reject") => Verdict::Reject,
        Some("supersede") => Verdict::Supersede,
        _ => return Err(ServerFnError::new("choose accept, reject or superseded")),
    };
    let amendment = amendment
        .trim()
        .parse()
        .map_err(|_| ServerFnError::new(format!("unknown amendment '{amendment}'")))?;
    let w = crate::backend::AmendmentWrite::Decide {
        amendment,
        decide: crate::api::Decide { decision, reason },
    };
    write(doc, &paragraph, w).await
}

#[server(prefix = "/_fn", endpoint = "sponsor_amendment")]
pub async fn sponsor_amendment(
    doc: String,
    paragraph: String,
    amendment: String,
) -> Result<(), ServerFnError> {
    let amendment = amendment
        .trim()
        .parse()
        .map_err(|_| ServerFnError::new(format!("unknown amendment '{amendment}'")))?;
    write(
        doc,
        &paragraph,
        crate::backend::AmendmentWrite::Sponsor { amendment },
    )
    .await
}

fn status_label(s: AmendmentStatus) -> &'static str {
    match s {
        AmendmentStatus::Open => "Open",
        AmendmentStatus::Accepted => "Accepted",
        AmendmentStatus::AcceptedWithModification => "Accepted with modification",
        AmendmentStatus::Rejected => "Rejected",
        AmendmentStatus::Withdrawn => "Withdrawn",
        AmendmentStatus::Superseded => "Superseded",
    }
}

/// A word-level difference: deleted words struck through, inserted ones underlined.
fn diff_view(pieces: Vec<Piece>) -> AnyView {
    pieces
        .into_iter()
        .map(|p| match p {
            Piece::Same(t) => t.into_any(),
            Piece::Deleted(t) => view! { <del>{t}</del> }.into_any(),
            Piece::Inserted(t) => view! { <ins>{t}</ins> }.into_any(),
        })
        .collect_view()
        .into_any()
}

/// A thread's amendment state: kept by the thread panel, outside the part of it that is
/// rebuilt whenever the thread is fetched again, so that nothing awaits a disposed resource.
#[derive(Clone, Copy)]
pub struct AmendmentState {
    pub propose: ServerAction<ProposeAmendment>,
    pub decide: ServerAction<DecideAmendment>,
    pub sponsor: ServerAction<SponsorAmendment>,
    pub list: Resource<Result<Vec<AmendmentView>, ServerFnError>>,
}

impl AmendmentState {
    /// Fetched again when `news` moves or either form was used.
    pub fn new(doc: String, news: Memo<u64>) -> Self {
        let propose = ServerAction::<ProposeAmendment>::new();
        let decide = ServerAction::<DecideAmendment>::new();
        let sponsor = ServerAction::<SponsorAmendment>::new();
        let list = Resource::new(
            move || {
                (
                    doc.clone(),
                    news.get(),
                    propose.version().get() + decide.version().get() + sponsor.version().get(),
                )
            },
            |(d, _, _)| get_amendments(d),
        );
        Self {
            propose,
            decide,
            sponsor,
            list,
        }
    }
}

/// The amendments that change `paragraph`, and the forms to propose and decide.
#[component]
pub fn Amendments(
    doc: String,
    paragraph: String,
    /// The heads the proposal form's copy of the text was read at, and that text.
    base: Vec<String>,
    text: String,
    may_propose: bool,
    may_decide: bool,
    state: AmendmentState,
) -> impl IntoView {
    let AmendmentState {
        propose,
        decide,
        sponsor,
        list,
    } = state;
    let (d, p) = (doc.clone(), paragraph.clone());
    let here = move || {
        view! {
            <input type="hidden" name="doc" value=d.clone() />
            <input type="hidden" name="paragraph" value=p.clone() />
        }
        .into_any()
    };
    let proposal = may_propose.then(|| {
        let here = here.clone();
        view! {
            <details class="tool propose">
                <summary>"Propose an amendment"</summary>
                <ActionForm action=propose attr:class="stack small-form">
                    {here()}
                    <input type="hidden" name="base" value=base.join(",") />
                    <label for="amend-text">"The paragraph as you propose it"</label>
                    <textarea id="amend-text" name="text" rows="5" required maxlength="20000">{text}</textarea>
                    <label for="amend-why">"Rationale"</label>
                    <textarea id="amend-why" name="rationale" rows="2" required maxlength="2000"></textarea>
                    {move || error_text(propose.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <button type="submit" class="button small primary">"Propose amendment"</button>
                </ActionForm>
            </details>
        }
    });
    let para = paragraph.clone();
    view! {
        <h3 class="subhead">"Amendments"</h3>
        <Transition fallback=|| ()>
            {move || {
                let (para, here) = (para.clone(), here.clone());
                Suspend::new(async move {
                    let all = list.await.unwrap_or_default();
                    let mine: Vec<AmendmentView> = all
                        .into_iter()
                        .filter(|a| a.paragraphs.iter().any(|x| x.paragraph == para))
                        .collect();
                    if mine.is_empty() {
                        return view! { <p class="muted small">"No amendments to this paragraph."</p> }.into_any();
                    }
                    mine.into_iter()
                        .map(|a| {
                            let tools = Tools { may_propose, may_decide, decide, sponsor };
                            amendment_view(a, &para, tools, here.clone())
                        })
                        .collect_view()
                        .into_any()
                })
            }}
        </Transition>
        {move || error_text(decide.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
        {move || error_text(sponsor.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
        {proposal}
    }
}

/// What the viewer may do with an amendment, and the forms' actions.
#[derive(Clone, Copy)]
struct Tools {
    may_propose: bool,
    may_decide: bool,
    decide: ServerAction<DecideAmendment>,
    sponsor: ServerAction<SponsorAmendment>,
}

fn amendment_view(
    a: AmendmentView,
    paragraph: &str,
    tools: Tools,
    here: impl Fn() -> AnyView + Send + Sync + 'static,
) -> AnyView {
    let Tools {
        may_propose,
        may_decide,
        decide,
        sponsor,
    } = tools;
    let open = a.status == AmendmentStatus::Open;
    let diff = a
        .paragraphs
        .into_iter()
        .find(|x| x.paragraph == paragraph)
        .map(|x| diff_view(x.diff));
    let fit = open.then(|| {
        if a.applies_cleanly {
            view! { <p class="fit clean small">"Applies cleanly to the current text."</p> }.into_any()
        } else {
            view! {
                <div class="fit conflict small" role="note">
                    <p><strong>"The words it changes were changed since it was proposed:"</strong></p>
                    {a.conflicts.into_iter().map(|c| view! {
                        <dl class="conflict-words">
                            <dt>"When proposed"</dt><dd>{c.base}</dd>
                            <dt>"Amendment"</dt><dd>{c.amended}</dd>
                            <dt>"Now"</dt><dd>{if c.current.is_empty() { "(deleted)".to_string() } else { c.current }}</dd>
                        </dl>
                    }).collect_view()}
                </div>
            }
            .into_any()
        }
    });
    let decision = a.decision.map(|d| {
        view! {
            <p class="response small">
                <strong>{status_label(a.status)}</strong> " — " {d.reason}
                <span class="muted">{format!(" ({}, {})", d.by, format_time(d.at))}</span>
            </p>
        }
    });
    let id = a.id;
    let (decide_here, sponsor_here) = (here(), here());
    let form = (open && may_decide).then(|| {
        view! {
            <details class="tool">
                <summary>"Decide"</summary>
                <ActionForm action=decide attr:class="stack small-form">
                    {decide_here}
                    <input type="hidden" name="amendment" value=id.to_string() />
                    <label for=format!("decide-{id}")>"Decision"</label>
                    <select id=format!("decide-{id}") name="decision">
                        <option value="accept">"Accept (merge into the text)"</option>
                        <option value="reject">"Reject"</option>
                        <option value="supersede">"Mark superseded"</option>
                    </select>
                    <label for=format!("decide-why-{id}")>"Reason (shown to everyone)"</label>
                    <textarea id=format!("decide-why-{id}") name="reason" rows="2" required maxlength="2000"></textarea>
                    <button type="submit" class="button small">"Record decision"</button>
                </ActionForm>
            </details>
        }
    });
    let sponsors = (!a.sponsors.is_empty())
        .then(|| view! { <p class="small muted">{format!("Co-sponsored by {}", a.sponsors.join(", "))}</p> });
    let sponsor_form = (open && may_propose).then(|| {
        view! {
            <ActionForm action=sponsor attr:class="inline-form">
                {sponsor_here}
                <input type="hidden" name="amendment" value=id.to_string() />
                <button type="submit" class="link-button small">"Co-sponsor"</button>
            </ActionForm>
        }
    });
    view! {
        <article class=format!("amendment status-{}", a.status.key()) aria-label=format!("Amendment {id} by {}", a.proposer)>
            <header class="comment-head">
                <strong>{a.proposer.clone()}</strong>
                <span class=format!("badge status-{}", a.status.key())>{status_label(a.status)}</span>
                <span class="muted small">{format_time(a.created_at)}</span>
            </header>
            <p class="amended-text">{diff}</p>
            <p class="small"><em>{a.rationale}</em></p>
            {sponsors}
            {fit}
            {decision}
            <div class="tools">{sponsor_form} {form}</div>
        </article>
    }
    .into_any()
}
