//! Paragraph feedback on the document page: each paragraph's figures beside it, and the thread
//! panel of the paragraph named in the address (`?p=…`): stance, comments, replies, the
//! objections, and for chairs the response and moderation forms.
//!
//! Every form is a plain HTML form posting to a server function, so commenting and stating a
//! stance work without JavaScript; the server redirects back to the thread. With JavaScript
//! the same forms post in the background, and news of others' feedback arrives over the
//! document's WebSocket.

// A server function's arguments are its form's fields.
#![allow(clippy::too_many_arguments)]

use super::mentions::MentionArea;
use super::parts::format_time;
use super::parts::thread_href;
use super::parts::Linked;
use super::parts::StanceBar;
use super::parts::{cleared_on_success, kept_text, stance_options};
use super::words;
use accord_i18n::{t, t_string, use_i18n};
use leptos::prelude::*;

use super::amendments::{AmendmentState, Amendments};
use super::parts::error_text;
use super::state::EditorUi;
use domain::api::{
    Comment, Disposition, DocumentFeedback, Objection, ParagraphConsensus, Response, Thread,
};

#[cfg(feature = "ssr")]
fn number(what: domain::refusal::Thing, raw: &str) -> Result<i64, ServerFnError> {
    raw.trim()
        .parse()
        .map_err(|_| crate::serve::refused(domain::refusal::Refusal::unknown(what, raw)))
}

/// The figures of every paragraph; `brief` leaves out the breakdowns and the balance, which the
/// document page does not show (they are most of the weight of a long document's figures).
#[server(prefix = "/_fn", endpoint = "get_feedback")]
pub async fn get_feedback(doc: String, brief: bool) -> Result<DocumentFeedback, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    let mut feedback = accord_core::feedback::document_feedback(&core, &who, &doc)
        .await
        .map_err(crate::serve::page_error)?;
    if brief {
        for p in &mut feedback.paragraphs {
            p.by_group.clear();
            p.by_region.clear();
        }
        feedback.balance = Default::default();
    }
    Ok(feedback)
}

#[server(prefix = "/_fn", endpoint = "get_thread")]
pub async fn get_thread(doc: String, paragraph: String) -> Result<Thread, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    accord_core::feedback::thread(&core, &who, &doc, &paragraph)
        .await
        .map_err(crate::serve::page_error)
}

#[server(prefix = "/_fn", endpoint = "post_comment")]
pub async fn post_comment(
    doc: String,
    paragraph: String,
    body: String,
    #[server(default)] parent: Option<String>,
    #[server(default)] anchor_first: Option<String>,
    #[server(default)] anchor_last: Option<String>,
) -> Result<(), ServerFnError> {
    let parent = match parent.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => Some(number(domain::refusal::Thing::Comment, p)?),
    };
    let anchor = match (anchor_first, anchor_last) {
        (Some(first), Some(last)) if !first.is_empty() && !last.is_empty() => {
            Some(domain::api::Anchor { first, last })
        }
        _ => None,
    };
    let comment = domain::api::NewComment {
        body,
        parent,
        anchor,
    };
    crate::serve::write(&thread_href(&doc, &paragraph), async |core, who| {
        accord_core::feedback::comment(core, who, &doc, &paragraph, comment).await
    })
    .await
}

#[server(prefix = "/_fn", endpoint = "edit_comment")]
pub async fn edit_comment(
    doc: String,
    paragraph: String,
    comment: String,
    body: String,
) -> Result<(), ServerFnError> {
    let comment = number(domain::refusal::Thing::Comment, &comment)?;
    let edit = domain::api::EditComment { body };
    crate::serve::write(&thread_href(&doc, &paragraph), async |core, who| {
        accord_core::feedback::edit_comment(core, who, &doc, comment, edit).await
    })
    .await
}

#[server(prefix = "/_fn", endpoint = "set_stance")]
pub async fn set_stance(
    doc: String,
    paragraph: String,
    #[server(default)] stance: Option<String>,
    #[server(default)] reason: Option<String>,
) -> Result<(), ServerFnError> {
    let stance = super::parts::chosen_stance(stance)?;
    let stance = domain::api::SetStance { stance, reason };
    crate::serve::write(&thread_href(&doc, &paragraph), async |core, who| {
        accord_core::feedback::set_stance(core, who, &doc, &paragraph, stance).await
    })
    .await
}

/// A chair's response; `target` is `comment-12` or `objection-5`.
#[server(prefix = "/_fn", endpoint = "respond")]
pub async fn respond(
    doc: String,
    paragraph: String,
    target: String,
    #[server(default)] disposition: Option<String>,
    reason: String,
) -> Result<(), ServerFnError> {
    use accord_core::feedback::Target;
    use domain::refusal::{Refusal, Thing};
    let disposition = disposition
        .as_deref()
        .and_then(Disposition::parse)
        .ok_or_else(|| {
            crate::serve::refused(Refusal::Choose {
                what: domain::refusal::Choice::Disposition,
            })
        })?;
    let respond = domain::api::Respond {
        disposition,
        reason,
    };
    let target = match target.split_once('-') {
        Some(("comment", id)) => Target::Comment(number(Thing::Comment, id)?),
        Some(("objection", id)) => Target::Objection(number(Thing::Objection, id)?),
        _ => {
            return Err(crate::serve::refused(Refusal::unknown(
                Thing::Target,
                &target,
            )))
        }
    };
    crate::serve::write(&thread_href(&doc, &paragraph), async |core, who| {
        accord_core::feedback::respond(core, who, &doc, target, respond).await
    })
    .await
}

#[server(prefix = "/_fn", endpoint = "hide_comment")]
pub async fn hide_comment(
    doc: String,
    paragraph: String,
    comment: String,
    reason: String,
) -> Result<(), ServerFnError> {
    let comment = number(domain::refusal::Thing::Comment, &comment)?;
    let hide = domain::api::Hide { reason };
    crate::serve::write(&thread_href(&doc, &paragraph), async |core, who| {
        accord_core::feedback::hide(core, who, &doc, comment, hide).await
    })
    .await
}

/// Whether the next thread shown should take the focus: set when a badge is followed (a thread
/// shown with the page leaves the focus where the browser puts it). Provided by the document page.
#[derive(Clone, Copy)]
pub struct FocusThread(pub RwSignal<bool>);

/// What the document page's polite live region says next: others' comments and comings and
/// goings, in the reader's language. Provided by the document page.
#[derive(Clone, Copy)]
pub struct Announce(pub RwSignal<String>);

/// The id of a paragraph's badge, where the focus goes back when its thread closes.
fn badge_id(paragraph: &str) -> String {
    format!("fb-{paragraph}")
}

/// A paragraph's figures beside it: comments and stances, a link to its thread. The link shows
/// the number of comments and its name says them all; the stance figures beside it are its
/// picture (hidden from screen readers, which hear them in the name), and clicking them follows
/// the link too.
#[component]
pub fn FeedbackBadge(
    doc: String,
    paragraph: String,
    figures: Signal<Option<ParagraphConsensus>>,
    label: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let href = thread_href(&doc, &paragraph);
    let words = move || {
        let f = figures.get();
        let comments = f.as_ref().map(|f| f.comments).unwrap_or(0);
        let tally = f.map(|f| f.tally).unwrap_or_default();
        t_string!(
            i18n,
            feedback.badge_discuss,
            count = comments,
            paragraph = label.get().to_lowercase(),
            stances = words::tally(i18n, &tally)
        )
        .to_string()
    };
    let class = move || {
        let flagged = figures.with(|f| f.as_ref().is_some_and(|f| !f.flags.is_empty()));
        if flagged {
            "fb-badge flagged"
        } else {
            "fb-badge"
        }
    };
    let focus = use_context::<FocusThread>();
    view! {
        <div class=class>
            <a class="fb-link" id=badge_id(&paragraph) href=href aria-label=words title=words
                on:click=move |_| {
                    if let Some(FocusThread(wanted)) = focus {
                        wanted.set(true);
                    }
                }>
                <span class="fb-count">
                    <svg class="icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
                        <path d="M2.5 2.5h11v8h-6l-3 3v-3h-2z" />
                    </svg>
                    " " {move || figures.with(|f| f.as_ref().map(|f| f.comments).unwrap_or(0))}
                </span>
            </a>
            {move || {
                let tally = figures.with(|f| f.as_ref().map(|f| f.tally).unwrap_or_default());
                (tally.total() > 0).then(|| view! {
                    <span class="fb-figures" aria-hidden="true">
                        <StanceBar tally width=48 />
                        <span class="fb-nums">
                            <span class="n-support">{tally.support}</span> "·"
                            <span class="n-live">{tally.can_live_with}</span> "·"
                            <span class="n-oppose">{tally.oppose}</span>
                        </span>
                    </span>
                })
            }}
        </div>
    }
}

/// A paragraph's figures in full: the bar, the words, the flags.
#[component]
pub fn Figures(figures: ParagraphConsensus) -> impl IntoView {
    let i18n = use_i18n();
    let level = figures.level;
    view! {
        <div class="figures">
            <p class=format!("level level-{}", level.key())>{words::level(i18n, level)}</p>
            <StanceBar tally=figures.tally width=220 />
            <p class="small">{words::tally(i18n, &figures.tally)}</p>
            {(!figures.flags.is_empty()).then(|| view! {
                <ul class="flags" aria-label=move || t_string!(i18n, feedback.figures_flags_label).to_string()>
                    {figures.flags.iter().map(|f| view! { <li class="flag">{words::flag(i18n, f)}</li> }).collect_view()}
                </ul>
            })}
        </div>
    }
}

fn response_view(i18n: words::I18n, r: Response) -> AnyView {
    let by = t_string!(
        i18n,
        feedback.response_by,
        name = r.by,
        time = format_time(i18n, r.at)
    )
    .to_string();
    view! {
        <p class=format!("response response-{}", r.disposition.key())>
            <strong>{words::disposition(i18n, r.disposition)}</strong>
            " — " {r.reason}
            <span class="muted small">" " {by}</span>
        </p>
    }
    .into_any()
}

/// The forms every thread uses, so that each page has one action per kind of write.
#[derive(Clone, Copy)]
struct Actions {
    comment: ServerAction<PostComment>,
    edit: ServerAction<EditComment>,
    stance: ServerAction<SetStance>,
    respond: ServerAction<Respond>,
    hide: ServerAction<HideComment>,
}

impl Actions {
    fn version(&self) -> usize {
        self.comment.version().get()
            + self.edit.version().get()
            + self.stance.version().get()
            + self.respond.version().get()
            + self.hide.version().get()
    }
}

/// The hidden fields that say which document and paragraph a form is about.
fn place(doc: &str, paragraph: &str) -> AnyView {
    view! {
        <input type="hidden" name="doc" value=doc.to_string() />
        <input type="hidden" name="paragraph" value=paragraph.to_string() />
    }
    .into_any()
}

fn error_line(
    value: impl Get<Value = Option<Result<(), ServerFnError>>> + Send + Sync + 'static,
) -> impl IntoView {
    move || error_text(value.get()).map(|e| view! { <p class="error" role="alert">{e}</p> })
}

/// A chair's response form for a comment or an objection.
fn respond_form(
    i18n: words::I18n,
    actions: Actions,
    doc: &str,
    paragraph: &str,
    target: String,
) -> AnyView {
    let (doc, paragraph) = (doc.to_string(), paragraph.to_string());
    let id = format!("respond-{target}");
    let reason = kept_text::<Respond>(&[("target", &target)], "reason", String::new());
    view! {
        <details class="tool">
            <summary>{t!(i18n, feedback.respond_summary)}</summary>
            <ActionForm action=actions.respond attr:class="stack small-form">
                {place(&doc, &paragraph)}
                <input type="hidden" name="target" value=target />
                <label for=format!("{id}-d")>{t!(i18n, feedback.respond_disposition)}</label>
                <select id=format!("{id}-d") name="disposition">
                    {Disposition::ALL.iter().map(|d| view! { <option value=d.key()>{words::disposition(i18n, *d)}</option> }).collect_view()}
                </select>
                <label for=format!("{id}-r")>{t!(i18n, feedback.respond_reason)}</label>
                <textarea id=format!("{id}-r") name="reason" rows="2" required maxlength="2000">{reason}</textarea>
                <button type="submit" class="button small">{t!(i18n, feedback.respond_submit)}</button>
            </ActionForm>
        </details>
    }
    .into_any()
}

fn comment_view(
    i18n: words::I18n,
    c: Comment,
    replies: Vec<Comment>,
    actions: Actions,
    doc: &str,
    paragraph: &str,
    may_comment: bool,
    moderator: bool,
) -> AnyView {
    let id = c.id;
    let meta = format!(
        "{}{} · {}{}",
        if c.affiliation.is_empty() { "" } else { " · " },
        c.affiliation,
        format_time(i18n, c.created_at),
        match c.edited_at {
            Some(_) => format!(" {}", t_string!(i18n, feedback.comment_edited)),
            None => String::new(),
        }
    );
    let quote = c.quote.clone().map(|q| {
        if q.is_empty() {
            view! { <p class="quote gone">{t!(i18n, feedback.comment_quote_gone)}</p> }.into_any()
        } else {
            let q = t_string!(i18n, feedback.comment_quote, quote = q).to_string();
            view! { <blockquote class="quote" dir="auto">{q}</blockquote> }.into_any()
        }
    });
    let hidden = c.hidden.clone().map(|h| {
        let note = t_string!(
            i18n,
            feedback.comment_hidden_by,
            name = h.by,
            time = format_time(i18n, h.at),
            reason = h.reason
        )
        .to_string();
        view! { <p class="hidden-note">{note}</p> }
    });
    let body = c.body.clone().map(|b| {
        let class = if c.hidden.is_some() {
            "comment-body hidden-body"
        } else {
            "comment-body"
        };
        view! { <p class=class dir="auto"><Linked text=b /></p> }
    });
    let is_reply = c.parent.is_some();
    let reply_form = (may_comment && !is_reply && c.hidden.is_none()).then(|| {
        let here = place(doc, paragraph);
        let doc_id = doc.to_string();
        let typed = kept_text::<PostComment>(
            &[("paragraph", paragraph), ("parent", &id.to_string())],
            "body",
            String::new(),
        );
        view! {
            <details class="tool">
                <summary>{t!(i18n, feedback.reply_summary)}</summary>
                <ActionForm action=actions.comment node_ref=cleared_on_success(actions.comment) attr:class="stack small-form">
                    {here}
                    <input type="hidden" name="parent" value=id.to_string() />
                    <label for=format!("reply-{id}")>{t!(i18n, feedback.reply_label)}</label>
                    <MentionArea doc=doc_id id=format!("reply-{id}") name="body" rows=2 text=typed />
                    <button type="submit" class="button small">{t!(i18n, feedback.reply_submit)}</button>
                </ActionForm>
            </details>
        }
    });
    let edit_form = (c.editable && may_comment).then(|| {
        let here = place(doc, paragraph);
        let typed = kept_text::<EditComment>(
            &[("comment", &id.to_string())],
            "body",
            c.body.clone().unwrap_or_default(),
        );
        view! {
            <details class="tool">
                <summary>{t!(i18n, feedback.edit_summary)}</summary>
                <ActionForm action=actions.edit attr:class="stack small-form">
                    {here}
                    <input type="hidden" name="comment" value=id.to_string() />
                    <label for=format!("edit-{id}")>{t!(i18n, feedback.edit_label)}</label>
                    <textarea id=format!("edit-{id}") name="body" rows="3" required maxlength="5000">
                        {typed}
                    </textarea>
                    <button type="submit" class="button small">{t!(i18n, feedback.edit_submit)}</button>
                </ActionForm>
            </details>
        }
    });
    let chair_tools = (moderator && c.hidden.is_none()).then(|| {
        let here = place(doc, paragraph);
        view! {
            {(!is_reply).then(|| respond_form(i18n, actions, doc, paragraph, format!("comment-{id}")))}
            <details class="tool">
                <summary>{t!(i18n, feedback.hide_summary)}</summary>
                <ActionForm action=actions.hide attr:class="stack small-form">
                    {here}
                    <input type="hidden" name="comment" value=id.to_string() />
                    <label for=format!("hide-{id}")>{t!(i18n, feedback.hide_reason)}</label>
                    <input id=format!("hide-{id}") name="reason" required maxlength="2000" />
                    <button type="submit" class="button small danger">{t!(i18n, feedback.hide_submit)}</button>
                </ActionForm>
            </details>
        }
    });
    let replies = (!replies.is_empty()).then(|| {
        let doc = doc.to_string();
        let paragraph = paragraph.to_string();
        view! {
            <div class="replies">
                {replies
                    .into_iter()
                    .map(|r| comment_view(i18n, r, Vec::new(), actions, &doc, &paragraph, may_comment, moderator))
                    .collect_view()}
            </div>
        }
    });
    let class = if is_reply { "comment reply" } else { "comment" };
    let label = t_string!(i18n, feedback.comment_by, name = c.author.clone()).to_string();
    view! {
        <article class=class id=format!("c-{id}") aria-label=label>
            <header class="comment-head">
                <strong>{c.author.clone()}</strong>
                <span class="muted small">{meta}</span>
            </header>
            {quote}
            {hidden}
            {body}
            {c.response.clone().map(|r| response_view(i18n, r))}
            <div class="tools">{reply_form} {edit_form} {chair_tools}</div>
            {replies}
        </article>
    }
    .into_any()
}

fn objection_view(
    i18n: words::I18n,
    o: Objection,
    actions: Actions,
    doc: &str,
    paragraph: &str,
    moderator: bool,
) -> AnyView {
    let meta = format!(
        "{}{} · {}",
        if o.affiliation.is_empty() { "" } else { " · " },
        o.affiliation,
        format_time(i18n, o.at)
    );
    let label = t_string!(i18n, feedback.objection_by, name = o.author.clone()).to_string();
    let aside = (!o.counted).then(|| {
        view! { <span class="badge">{t!(i18n, feedback.objection_set_aside)}</span> }
    });
    view! {
        <li class="objection" aria-label=label>
            <p><strong>{o.author}</strong><span class="muted small">{meta}</span>" "{aside}</p>
            <p class="objection-reason"><Linked text=o.reason /></p>
            {o.response.map(|r| response_view(i18n, r))}
            {moderator.then(|| respond_form(i18n, actions, doc, paragraph, format!("objection-{}", o.id)))}
        </li>
    }
    .into_any()
}

/// The thread of one paragraph, in the document page's side column.
#[component]
pub fn ThreadPanel(
    doc: String,
    paragraph: String,
    label: Signal<String>,
    ui: EditorUi,
    /// The heads the page was rendered at: with the rows' text, the copy an amendment is
    /// proposed from (in the browser, the live replica's heads instead).
    heads: Vec<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let actions = Actions {
        comment: ServerAction::<PostComment>::new(),
        edit: ServerAction::<EditComment>::new(),
        stance: ServerAction::<SetStance>::new(),
        respond: ServerAction::<Respond>::new(),
        hide: ServerAction::<HideComment>::new(),
    };
    // Fetched again when someone's feedback on this paragraph is announced, or after our own.
    let news = {
        let paragraph = paragraph.clone();
        Memo::new(move |prev: Option<&u64>| {
            ui.news.with(|(p, n)| {
                if *p == paragraph {
                    *n
                } else {
                    prev.copied().unwrap_or(0)
                }
            })
        })
    };
    let thread = {
        let (doc, paragraph) = (doc.clone(), paragraph.clone());
        Resource::new(
            move || {
                (
                    doc.clone(),
                    paragraph.clone(),
                    news.get(),
                    actions.version(),
                )
            },
            |(d, p, _, _)| get_thread(d, p),
        )
    };
    let amendments = {
        let doc = doc.clone();
        AmendmentState::new(move || doc.clone(), || (None, None), news.into())
    };
    let close = format!("/documents/{doc}#{paragraph}");
    // Followed from a badge, the thread takes the focus (its heading); Escape or the close
    // button closes it and gives the focus back to the badge.
    let heading = NodeRef::<leptos::html::H2>::new();
    if let Some(FocusThread(wanted)) = use_context::<FocusThread>() {
        Effect::new(move |_| {
            if let Some(h) = heading.get() {
                // Tracked: the badge of the thread already open brings the focus back too.
                if wanted.get() {
                    wanted.set(false);
                    let _ = h.focus();
                }
            }
        });
    }
    let closing = {
        let (close, paragraph) = (close.clone(), paragraph.clone());
        let navigate = leptos_router::hooks::use_navigate();
        move || {
            if let Some(badge) = document()
                .get_element_by_id(&badge_id(&paragraph))
                .and_then(|e| {
                    leptos::wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::HtmlElement>(e).ok()
                })
            {
                let _ = badge.focus();
            }
            navigate(&close, Default::default());
        }
    };
    let on_escape = {
        let closing = closing.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            // A list that Escape closes first (the mention completion) has taken the key.
            if ev.key() == "Escape" && !ev.default_prevented() {
                ev.prevent_default();
                closing();
            }
        }
    };
    let on_close = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        closing();
    };
    let arrivals = Arrivals::new(label);
    let (d, p) = (doc.clone(), paragraph.clone());
    view! {
        <section class="panel thread" aria-labelledby="thread-title" on:keydown=on_escape
            on:focusin=|_ev| {
                #[cfg(feature = "hydrate")]
                keep_focus::remember(&_ev);
            }
            on:focusout=|_ev| {
                #[cfg(feature = "hydrate")]
                set_timeout(keep_focus::forget_if_left, std::time::Duration::ZERO);
            }>
            <div class="thread-head">
                <h2 id="thread-title" class="panel-title" tabindex="-1" node_ref=heading>
                    {t!(i18n, feedback.thread_title, paragraph = move || label.get().to_lowercase())}
                </h2>
                <a class="close" href=close on:click=on_close
                    aria-label=move || t_string!(i18n, feedback.thread_close).to_string()>"✕"</a>
            </div>
            <p class="small thread-links">
                <a href=format!("/documents/{doc}/versions?p={paragraph}")>{t!(i18n, feedback.thread_history)}</a>
            </p>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, feedback.thread_loading)}</p> }>
                {move || {
                    let (d, p, heads) = (d.clone(), p.clone(), heads.clone());
                    Suspend::new(async move {
                        match thread.await {
                            Ok(t) => {
                                arrivals.drawn(i18n, &t);
                                // Drawn again (after a post, or news from others), the thread
                                // gives the focus back to where it was, which this replaces.
                                #[cfg(feature = "hydrate")]
                                set_timeout(keep_focus::restore, std::time::Duration::ZERO);
                                ui.marks.set((
                                    p.clone(),
                                    t.comments
                                        .iter()
                                        .filter(|c| c.hidden.is_none())
                                        .filter_map(|c| Some((c.anchor.clone()?, c.span?)))
                                        .collect(),
                                ));
                                #[cfg(feature = "hydrate")]
                                let heads = super::editor::heads().unwrap_or(heads);
                                let copy = (heads, super::state::copy_of(ui));
                                thread_body(i18n, t, actions, &d, &p, ui, copy, amendments)
                            }
                            Err(e) => view! { <p class="error" role="alert">{error_text(Some(Err::<(), _>(e)))}</p> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

/// Where the focus was in the open thread, so that it can be put back when the thread is drawn
/// anew and the element that had it is gone.
#[cfg(feature = "hydrate")]
mod keep_focus {
    use std::cell::RefCell;

    use leptos::prelude::document;
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{Element, FocusEvent, HtmlElement};

    thread_local! {
        /// The element that had the focus, and the id of the field to go back to: its own, or
        /// for a button the first field of its form.
        static HAD: RefCell<Option<(Element, String)>> = const { RefCell::new(None) };
    }

    pub fn remember(ev: &FocusEvent) {
        let Some(el) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let id = match el.id() {
            id if !id.is_empty() => Some(id),
            _ => el
                .closest("form")
                .ok()
                .flatten()
                .and_then(|form| form.query_selector("[id]").ok().flatten())
                .map(|field| field.id()),
        };
        HAD.with(|had| *had.borrow_mut() = id.map(|id| (el, id)));
    }

    /// The focus left the thread for somewhere else the reader chose: nothing to put back.
    pub fn forget_if_left() {
        HAD.with(|had| {
            let mut had = had.borrow_mut();
            if had.as_ref().is_some_and(|(el, _)| el.is_connected()) && !in_thread() {
                *had = None;
            }
        });
    }

    fn in_thread() -> bool {
        document()
            .active_element()
            .and_then(|a| a.closest(".thread").ok().flatten())
            .is_some()
    }

    pub fn restore() {
        let lost = HAD.with(|had| {
            had.borrow()
                .as_ref()
                .filter(|(el, _)| !el.is_connected())
                .map(|(_, id)| id.clone())
        });
        let nowhere = document()
            .active_element()
            .is_none_or(|a| a.tag_name().eq_ignore_ascii_case("body"));
        let (Some(id), true) = (lost, nowhere) else {
            return;
        };
        // The field itself, else the summary of the closed tool it is in, else the heading.
        let doc = document();
        let field = doc.get_element_by_id(&id);
        let summary = field
            .as_ref()
            .and_then(|f| f.closest("details").ok().flatten())
            .and_then(|d| d.query_selector("summary").ok().flatten());
        for el in [field, summary, doc.get_element_by_id("thread-title")]
            .into_iter()
            .flatten()
        {
            if let Ok(el) = el.dyn_into::<HtmlElement>() {
                let _ = el.focus();
                if doc.active_element().is_some_and(|a| a == *el) {
                    break;
                }
            }
        }
    }
}

/// The comments of a thread seen so far: those that appear later are news, said in the page's
/// live region with their authors' names (not the reader's own, nor those there at first).
#[derive(Clone, Copy)]
struct Arrivals {
    seen: StoredValue<Option<Vec<i64>>>,
    said: Option<RwSignal<String>>,
    label: Signal<String>,
}

impl Arrivals {
    fn new(label: Signal<String>) -> Self {
        Self {
            seen: StoredValue::new(None),
            said: use_context::<Announce>().map(|Announce(said)| said),
            label,
        }
    }

    /// Called with the thread each time it is drawn.
    fn drawn(&self, i18n: words::I18n, t: &Thread) {
        let ids: Vec<i64> = t.comments.iter().map(|c| c.id).collect();
        let before = self
            .seen
            .try_update_value(|seen| seen.replace(ids))
            .flatten();
        let arrived = before.and_then(|before| {
            t.comments
                .iter()
                .find(|c| !c.editable && !before.contains(&c.id))
        });
        if let (Some(c), Some(said)) = (arrived, self.said) {
            said.set(
                t_string!(
                    i18n,
                    document.announce_comment_by,
                    paragraph = self.label.get_untracked().to_lowercase(),
                    name = c.author.clone()
                )
                .to_string(),
            );
        }
    }
}

fn thread_body(
    i18n: words::I18n,
    t: Thread,
    actions: Actions,
    doc: &str,
    paragraph: &str,
    ui: EditorUi,
    (heads, paragraphs): (Vec<String>, Vec<super::state::Para>),
    amendments: AmendmentState,
) -> AnyView {
    let Thread {
        consensus,
        comments,
        objections,
        your_stance,
        you_may_comment,
        you_may_state_stance,
        you_may_moderate,
        stances_taken,
        signed_in,
    } = t;
    let login = format!(
        "/login?next={}",
        thread_href(doc, paragraph).replace('#', "%23")
    );
    let stance_form = if you_may_state_stance {
        let current = your_stance.as_ref().map(|s| s.stance);
        let reason = your_stance.and_then(|s| s.reason).unwrap_or_default();
        let reason = kept_text::<SetStance>(&[("paragraph", paragraph)], "reason", reason);
        let here = place(doc, paragraph);
        view! {
            <ActionForm action=actions.stance attr:class="stance-form">
                {here}
                <fieldset>
                    <legend>{t!(i18n, feedback.stance_legend)}</legend>
                    {(stances_taken.len() == 1).then(|| view! {
                        <p class="small muted">{t!(i18n, feedback.stance_last_call_hint)}</p>
                    })}
                    {stance_options(current, &stances_taken)}
                </fieldset>
                <label for="stance-reason" class="small">{t!(i18n, feedback.stance_reason)}</label>
                <textarea id="stance-reason" name="reason" rows="2" maxlength="2000">{reason}</textarea>
                {error_line(actions.stance.value())}
                <button type="submit" class="button small primary">
                    {match current {
                        Some(_) => t_string!(i18n, feedback.stance_change),
                        None => t_string!(i18n, feedback.stance_save),
                    }}
                </button>
            </ActionForm>
        }
        .into_any()
    } else {
        match signed_in {
            true => view! {
                <p class="notice small">{t!(i18n, feedback.stance_members_only)}</p>
            }
            .into_any(),
            false => view! {
                <p class="notice small">
                    {t!(i18n, feedback.stance_sign_in,
                        link = move || view! { <a href=login.clone()>{t!(i18n, feedback.stance_sign_in_link)}</a> })}
                </p>
            }
            .into_any(),
        }
    };
    let selection = {
        let paragraph = paragraph.to_string();
        move || ui.selection.get().filter(|s| s.paragraph == paragraph)
    };
    let comment_form = you_may_comment.then(|| {
        let selection = selection.clone();
        let selection2 = selection.clone();
        let here = place(doc, paragraph);
        let doc_id = doc.to_string();
        let typed = kept_text::<PostComment>(
            &[("paragraph", paragraph), ("parent", "")],
            "body",
            String::new(),
        );
        view! {
            <ActionForm action=actions.comment node_ref=cleared_on_success(actions.comment) attr:class="stack comment-form">
                {here}
                {move || selection().map(|s| { let quote = s.quote.clone(); view! {
                    <input type="hidden" name="anchor_first" value=s.first.clone() />
                    <input type="hidden" name="anchor_last" value=s.last.clone() />
                    <p class="on-selection small">
                        {t!(i18n, feedback.comment_on_quote,
                            quote = move || view! { <q>{quote.clone()}</q> },
                            whole_paragraph = move || view! {
                                <button type="button" class="link-button" on:click=move |_| ui.selection.set(None)>
                                    {t!(i18n, feedback.comment_whole_paragraph)}
                                </button>
                            })}
                    </p>
                }})}
                <label for="new-comment">
                    {move || match selection2() {
                        Some(_) => t_string!(i18n, feedback.comment_label_selected),
                        None => t_string!(i18n, feedback.comment_label),
                    }}
                </label>
                <MentionArea doc=doc_id id="new-comment".to_string() name="body" rows=3
                    placeholder=t_string!(i18n, feedback.comment_placeholder).to_string()
                    text=typed />
                {error_line(actions.comment.value())}
                <button type="submit" class="button small primary">{t!(i18n, feedback.comment_submit)}</button>
            </ActionForm>
        }
    });
    let top: Vec<Comment> = comments
        .iter()
        .filter(|c| c.parent.is_none())
        .cloned()
        .collect();
    let count = comments.len();
    let thread = top
        .into_iter()
        .map(|c| {
            let replies: Vec<Comment> = comments
                .iter()
                .filter(|r| r.parent == Some(c.id))
                .cloned()
                .collect();
            comment_view(
                i18n,
                c,
                replies,
                actions,
                doc,
                paragraph,
                you_may_comment,
                you_may_moderate,
            )
        })
        .collect_view();
    let objections_view = (!objections.is_empty()).then(|| {
        view! {
            <h3 class="subhead">{t_string!(i18n, feedback.objections_heading, count = objections.len()).to_string()}</h3>
            <ul class="objections">
                {objections.into_iter().map(|o| objection_view(i18n, o, actions, doc, paragraph, you_may_moderate)).collect_view()}
            </ul>
        }
    });
    view! {
        <Figures figures=consensus />
        {stance_form}
        {objections_view}
        <h3 class="subhead">{t_string!(i18n, feedback.comments_heading, count = count).to_string()}</h3>
        {(count == 0).then(|| view! { <p class="muted small">{t!(i18n, feedback.no_comments)}</p> })}
        <div class="comments">{thread}</div>
        {error_line(actions.edit.value())}
        {error_line(actions.respond.value())}
        {error_line(actions.hide.value())}
        {comment_form}
        <Amendments
            doc=doc.to_string()
            paragraph=paragraph.to_string()
            base=heads
            paragraphs
            may_propose=you_may_comment
            may_state=you_may_state_stance
            may_decide=you_may_moderate
            state=amendments
        />
    }
    .into_any()
}
