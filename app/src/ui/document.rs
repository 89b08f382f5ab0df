//! The document page: title, numbered paragraphs with stable anchors, who is here, and, once the
//! editor has the document, a textarea per paragraph.
//!
//! The server renders the read view (fast, and complete without JavaScript). In the browser the
//! same markup hydrates, the editor connects to the sync WebSocket, and each paragraph switches to
//! its editable form when the document has arrived.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{get_document, NotFound};
use crate::api::{DocumentDetail, PeerPresence};
use crate::model::ParagraphKind;

/// A paragraph's reactive state; rows are keyed by paragraph id, so typing elsewhere or
/// renumbering never recreates a textarea that has the caret.
#[derive(Clone)]
pub struct Row {
    pub id: String,
    pub kind: RwSignal<ParagraphKind>,
    pub number: RwSignal<Option<String>>,
    pub text: RwSignal<String>,
}

impl Row {
    pub fn new(p: &crate::model::Paragraph) -> Self {
        Self {
            id: p.id.clone(),
            kind: RwSignal::new(p.kind),
            number: RwSignal::new(p.number.clone()),
            text: RwSignal::new(p.text.clone()),
        }
    }
}

/// Where the connection to the server stands. Only the browser's editor leaves `Connecting`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub enum Status {
    Connecting,
    Live,
    /// Disconnected; the next attempt is in this many seconds.
    Offline(u32),
    /// The server refused this client; the words say why.
    Refused(String),
}

/// The signals the editor drives.
#[derive(Clone, Copy)]
pub struct EditorUi {
    pub rows: RwSignal<Vec<Row>>,
    pub title: RwSignal<String>,
    pub editable: RwSignal<bool>,
    pub status: RwSignal<Status>,
    pub peers: RwSignal<Vec<PeerPresence>>,
    pub me: RwSignal<Option<u64>>,
    pub name: RwSignal<String>,
}

/// Runs `$body` only in the browser build, where the editor exists; elsewhere it only touches the
/// names the body would use, so that the handler has the same shape in both builds.
macro_rules! in_browser {
    ($($used:ident),+ => $body:expr) => {{
        #[cfg(feature = "hydrate")]
        {
            $body
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = ($(&$used),+);
        }
    }};
}

#[component]
pub fn DocumentPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let doc = Resource::new(id, get_document);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading the document…"</p> }>
            {move || Suspend::new(async move {
                match doc.await {
                    Ok(Some(detail)) => view! { <DocumentView detail /> }.into_any(),
                    Ok(None) => view! { <NotFound what="document".to_string() /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A colour for a peer, stable for the life of its connection.
pub fn peer_hue(peer: u64) -> u64 {
    (peer * 137) % 360
}

#[component]
fn DocumentView(detail: DocumentDetail) -> impl IntoView {
    let ui = EditorUi {
        rows: RwSignal::new(detail.paragraphs.iter().map(Row::new).collect()),
        title: RwSignal::new(detail.title.clone()),
        editable: RwSignal::new(false),
        status: RwSignal::new(Status::Connecting),
        peers: RwSignal::new(Vec::new()),
        me: RwSignal::new(None),
        name: RwSignal::new(String::new()),
    };
    let doc_id = detail.id.clone();
    #[cfg(feature = "hydrate")]
    {
        let doc_id = doc_id.clone();
        Effect::new(move |_| super::editor::start(doc_id.clone(), ui));
        on_cleanup(super::editor::stop);
    }
    let markdown_href = format!("/api/v1/documents/{doc_id}/markdown");
    let notice = (!detail.you_may_edit).then(|| {
        let login = format!("/login?next=/documents/{doc_id}");
        match detail.your_role {
            crate::api::Role::Reader => view! {
                <p class="notice">
                    "You are reading. Drafters and chairs of this group edit the text: "
                    <a href=login>"sign in"</a> " if you are one."
                </p>
            }
            .into_any(),
            role => view! {
                <p class="notice">{format!("You are a {} of this group: you read the text as it is drafted.", role.as_str())}</p>
            }
            .into_any(),
        }
    });
    let title_text = move || ui.title.get();
    view! {
        <Title text=title_text />
        <div class="doc-layout">
            <article class="document" aria-labelledby="doc-title">
                <header class="doc-header">
                    <p class="doc-group">{detail.group.clone()}</p>
                    {move || {
                        if ui.editable.get() {
                            view! {
                                <textarea
                                    id="doc-title"
                                    class="doc-title-input"
                                    aria-label="Title"
                                    rows="1"
                                    maxlength="300"
                                    prop:value=ui.title.get_untracked()
                                    on:input=move |ev| in_browser!(ev => super::editor::set_title(&event_target_value(&ev)))
                                ></textarea>
                            }
                                .into_any()
                        } else {
                            view! { <h1 id="doc-title" class="doc-title">{title_text}</h1> }.into_any()
                        }
                    }}
                    <div class="doc-actions">
                        <a class="button small" href=markdown_href download>"Download Markdown"</a>
                    </div>
                </header>
                {notice}
                <div class="paragraphs">
                    <For each=move || ui.rows.get() key=|r| r.id.clone() let:row>
                        <ParagraphRow row ui />
                    </For>
                </div>
                <Show when=move || ui.editable.get()>
                    <button class="add-paragraph" on:click=move |_ev| in_browser!(_ev => super::editor::add_at_end())>
                        "+ Add paragraph"
                    </button>
                </Show>
            </article>
            <aside class="doc-side" aria-label="Who is here">
                <PresencePanel ui />
            </aside>
        </div>
    }
}

#[component]
fn PresencePanel(ui: EditorUi) -> impl IntoView {
    let status_text = move || match ui.status.get() {
        Status::Connecting => "Connecting…".to_string(),
        Status::Live => "Live".to_string(),
        Status::Offline(0) => "Offline — reconnecting…".to_string(),
        Status::Offline(s) => format!("Offline — reconnecting in {s} s"),
        Status::Refused(why) => format!("Disconnected: {why}"),
    };
    let status_class = move || match ui.status.get() {
        Status::Live => "status live",
        Status::Connecting => "status connecting",
        Status::Offline(_) => "status offline",
        Status::Refused(_) => "status refused",
    };
    let offline_note = move || {
        matches!(ui.status.get(), Status::Offline(_)).then(|| {
            view! { <p class="muted small">"Keep typing: your edits are kept here and merge when the connection is back."</p> }
        })
    };
    view! {
        <div class="panel">
            <p class=status_class role="status" aria-live="polite">
                <span class="dot" aria-hidden="true"></span>
                {status_text}
            </p>
            {offline_note}
            <noscript>
                <p class="muted small">"You are reading without JavaScript. Turn it on to edit."</p>
            </noscript>
            <h2 class="panel-title">"Here now"</h2>
            <ul class="peers" aria-label="People here now">
                {move || {
                    let me = ui.me.get();
                    ui.peers
                        .get()
                        .into_iter()
                        .map(|p| {
                            let style = format!("--hue: {}", peer_hue(p.peer));
                            let mine = Some(p.peer) == me;
                            view! {
                                <li class="peer" style=style>
                                    <span class="avatar" aria-hidden="true">{p.name.chars().next().unwrap_or('?').to_string()}</span>
                                    <span class="peer-name">{p.name.clone()}</span>
                                    {mine.then(|| view! { <span class="muted small">" (you)"</span> })}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <Show when=move || ui.me.get().is_some()>
                <label class="small" for="my-name">"Your name"</label>
                <input
                    id="my-name"
                    class="name-input"
                    maxlength="64"
                    prop:value=move || ui.name.get()
                    on:change=move |ev| in_browser!(ev => super::editor::set_name(&event_target_value(&ev)))
                />
            </Show>
        </div>
    }
}

#[component]
fn ParagraphRow(row: Row, ui: EditorUi) -> impl IntoView {
    let Row {
        id,
        kind,
        number,
        text,
    } = row;
    let anchor = format!("#{id}");
    let label = move || match (kind.get(), number.get()) {
        (ParagraphKind::Heading, _) => "Heading".to_string(),
        (_, Some(n)) => format!("Paragraph {n}"),
        (_, None) => "Unnumbered paragraph".to_string(),
    };
    let here = {
        let id = id.clone();
        move || {
            let me = ui.me.get();
            ui.peers
                .get()
                .into_iter()
                .filter(|p| p.paragraph.as_deref() == Some(id.as_str()) && Some(p.peer) != me)
                .collect::<Vec<_>>()
        }
    };
    let chips = {
        let here = here.clone();
        move || {
            here()
                .into_iter()
                .map(|p| {
                    let style = format!("--hue: {}", peer_hue(p.peer));
                    view! { <span class="chip" style=style>{p.name}</span> }
                })
                .collect_view()
        }
    };
    let class = move || {
        let mut c = format!("para para-{}", kind.get().as_str());
        if !here().is_empty() {
            c.push_str(" has-peer");
        }
        c
    };
    let body = {
        let id = id.clone();
        move || {
            if ui.editable.get() {
                let (i1, i2, i3, i4, i5) =
                    (id.clone(), id.clone(), id.clone(), id.clone(), id.clone());
                view! {
                    <textarea
                        id=format!("ta-{id}")
                        class="para-input"
                        rows="1"
                        aria-label=label
                        prop:value=text.get_untracked()
                        on:input=move |ev| in_browser!(ev, i1 => super::editor::input(&i1, &ev))
                        on:keydown=move |ev| in_browser!(ev, i2 => super::editor::keydown(&i2, &ev))
                        on:focus=move |ev| in_browser!(ev, i3 => super::editor::caret(&i3, &ev))
                        on:keyup=move |ev| in_browser!(ev, i4 => super::editor::caret(&i4, &ev))
                        on:click=move |ev| in_browser!(ev, i5 => super::editor::caret(&i5, &ev))
                    ></textarea>
                }
                .into_any()
            } else if kind.get() == ParagraphKind::Heading {
                view! { <h2 class="para-text">{move || text.get()}</h2> }.into_any()
            } else {
                view! { <p class="para-text">{move || text.get()}</p> }.into_any()
            }
        }
    };
    let tools = {
        let id = id.clone();
        move || {
            ui.editable.get().then(|| {
                let (up, down, del, k) = (id.clone(), id.clone(), id.clone(), id.clone());
                view! {
                    <div class="para-tools" role="toolbar" aria-label="Paragraph tools">
                        <select
                            aria-label="Kind of paragraph"
                            on:change=move |ev| in_browser!(ev, k => super::editor::set_kind(&k, &event_target_value(&ev)))
                        >
                            {ParagraphKind::ALL
                                .into_iter()
                                .map(|option| {
                                    view! {
                                        <option value=option.as_str() selected=move || kind.get() == option>
                                            {option.label()}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                        <button type="button" aria-label="Move up" title="Move up"
                            on:click=move |_ev| in_browser!(_ev, up => super::editor::move_paragraph(&up, true))>"↑"</button>
                        <button type="button" aria-label="Move down" title="Move down"
                            on:click=move |_ev| in_browser!(_ev, down => super::editor::move_paragraph(&down, false))>"↓"</button>
                        <button type="button" class="danger" aria-label="Delete paragraph" title="Delete paragraph"
                            on:click=move |_ev| in_browser!(_ev, del => super::editor::delete_paragraph(&del))>"✕"</button>
                    </div>
                }
            })
        }
    };
    view! {
        <section class=class id=id.clone() aria-label=label>
            <a class="para-num" href=anchor title="Link to this paragraph">
                {move || number.get().unwrap_or_default()}
            </a>
            <div class="para-body">{body}</div>
            <div class="para-side">
                <span class="chips">{chips}</span>
                {tools}
            </div>
        </section>
    }
}
