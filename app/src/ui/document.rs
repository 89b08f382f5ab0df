//! The document page: title, numbered paragraphs with stable anchors, who is here, and, once the
//! editor has the document, a textarea per paragraph.
//!
//! The server renders the read view (fast, and complete without JavaScript). In the browser the
//! same markup hydrates, the editor connects to the sync WebSocket, and each paragraph switches to
//! its editable form when the document has arrived.

use super::state::Row;
use super::state::Status;
use super::state::{row_label, EditorUi};
use super::words;
use accord_i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::feedback::{get_feedback, Announce, FeedbackBadge, FocusThread, ThreadPanel};
use super::phase::{Outcome, PhaseBanner};
use super::{get_document, NotFound};
use domain::api::{DocumentDetail, DocumentFeedback, Phase, Role};
use domain::{anchor::marked_runs, ParagraphKind};

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
    let feedback = Resource::new(id, |id| get_feedback(id, true));
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, document.loading_document)}</p> }>
            {move || Suspend::new(async move {
                let (detail, feedback) = (doc.await, feedback.await);
                match detail {
                    Ok(Some(detail)) => {
                        let feedback = feedback.unwrap_or_default();
                        view! { <DocumentView detail feedback /> }.into_any()
                    }
                    Ok(None) => view! { <NotFound what="document".to_string() /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DocumentView(detail: DocumentDetail, feedback: DocumentFeedback) -> impl IntoView {
    let i18n = use_i18n();
    let ui = EditorUi {
        figures: RwSignal::new(
            feedback
                .paragraphs
                .into_iter()
                .map(|f| (f.paragraph.clone(), f))
                .collect(),
        ),
        news: RwSignal::new((String::new(), 0)),
        selection: RwSignal::new(None),
        marks: RwSignal::new((String::new(), Vec::new())),
        rows: RwSignal::new(detail.paragraphs.iter().map(Row::new).collect()),
        title: RwSignal::new(detail.title.clone()),
        editable: RwSignal::new(false),
        status: RwSignal::new(Status::Loading),
        peers: RwSignal::new(Vec::new()),
        me: RwSignal::new(None),
        undo: RwSignal::new((false, false)),
        undo_note: RwSignal::new(None),
        i18n,
        text_language: detail.language.key(),
    };
    let doc_id = detail.id.clone();
    provide_context(FocusThread(RwSignal::new(false)));
    let said = RwSignal::new(String::new());
    provide_context(Announce(said));
    #[cfg(feature = "hydrate")]
    {
        let doc_id = doc_id.clone();
        Effect::new(move |_| super::editor::start(doc_id.clone(), ui));
        on_cleanup(super::editor::stop);
    }
    let markdown_href = format!("/api/v1/documents/{doc_id}/markdown");
    let map_href = format!("/documents/{doc_id}/consensus");
    let amendments_href = format!("/documents/{doc_id}/amendments");
    let chair = detail.your_role == Role::Chair;
    let flagged = move || {
        ui.figures
            .with(|f| f.values().filter(|p| !p.flags.is_empty()).count())
    };
    let query = leptos_router::hooks::use_query_map();
    let open = move || {
        query
            .read()
            .get("p")
            .filter(|p| ui.rows.with(|r| r.iter().any(|x| &x.id == p)))
    };
    let thread = {
        let doc_id = doc_id.clone();
        let heads = detail.heads.clone();
        move || {
            open().map(|p| {
                let row = ui.rows.with(|r| r.iter().find(|x| x.id == p).cloned());
                let label = Signal::derive(move || {
                    row.as_ref()
                        .map(|r| row_label(i18n, r))
                        .unwrap_or_default()
                });
                view! { <ThreadPanel doc=doc_id.clone() paragraph=p label ui heads=heads.clone() /> }
            })
        }
    };
    let notice = (!detail.you_may_edit).then(|| {
        let login = format!("/login?next=/documents/{doc_id}");
        match detail.your_role {
            _ if detail.schedule.phase == domain::api::Phase::Closed => view! {
                <p class="notice">{t!(i18n, document.notice_closed)}</p>
            }
            .into_any(),
            domain::api::Role::Reader if detail.signed_in => view! {
                <p class="notice">{t!(i18n, document.notice_reader_signed_in)}</p>
            }
            .into_any(),
            domain::api::Role::Reader => view! {
                <p class="notice">
                    {t!(i18n, document.notice_reader,
                        link = move || view! { <a href=login.clone()>{t!(i18n, document.notice_reader_link)}</a> })}
                </p>
            }
            .into_any(),
            role => view! {
                <p class="notice">{t!(i18n, document.notice_role, role = move || words::role(i18n, role))}</p>
            }
            .into_any(),
        }
    });
    let title_text = move || ui.title.get();
    // The tab follows the title as drafters edit it. On the server the title is plain words:
    // the head is written after the page, when this view's signals may be gone already.
    #[cfg(feature = "hydrate")]
    let tab: leptos::prelude::TextProp = title_text.into();
    #[cfg(not(feature = "hydrate"))]
    let tab: leptos::prelude::TextProp = detail.title.clone().into();
    announce_news(ui, said, open);
    view! {
        <Title text=tab />
        // What others do, said to screen readers as it happens (see `announce_news`).
        <p class="visually-hidden" role="status" id="announcements">{move || said.get()}</p>
        <div class=move || if open().is_some() { "doc-layout with-thread" } else { "doc-layout" }>
            <article class="document" aria-labelledby="doc-title">
                <header class="doc-header">
                    <p class="doc-group" dir="auto">{detail.group.clone()}</p>
                    // The heading stays while the title is edited in its box (then unseen), so
                    // that every view of the page has its one level-one heading.
                    <h1 id="doc-title" dir="auto" lang=ui.text_language
                        class=move || if ui.editable.get() { "doc-title visually-hidden" } else { "doc-title" }>
                        {title_text}
                    </h1>
                    {move || {
                        ui.editable.get().then(|| {
                            view! {
                                <textarea
                                    id="doc-title-input" dir="auto" lang=ui.text_language
                                    class="doc-title-input"
                                    aria-label=move || t_string!(i18n, common.title).to_string()
                                    rows="1"
                                    maxlength="300"
                                    prop:value=ui.title.get_untracked()
                                    on:input=move |ev| in_browser!(ev => super::editor::set_title(&event_target_value(&ev)))
                                ></textarea>
                            }
                        })
                    }}
                    <div class="doc-actions">
                        <a class=if chair { "button small primary" } else { "button small" } href=map_href>
                            {t!(i18n, document.actions_consensus_map)}
                            {move || {
                                let n = flagged();
                                (chair && n > 0).then(|| {
                                    format!(" · {}", t_string!(i18n, document.actions_to_look_at, count = n))
                                })
                            }}
                        </a>
                        <a class="button small" href=amendments_href>{t!(i18n, document.actions_amendments)}</a>
                        <a class="button small" href=format!("/documents/{doc_id}/versions")>{t!(i18n, document.actions_versions)}</a>
                        <a class="button small" href=format!("/documents/{doc_id}/sessions")>{t!(i18n, session.list_heading)}</a>
                        <a class="button small" href=markdown_href download>{t!(i18n, document.actions_download_markdown)}</a>
                    </div>
                    <PhaseBanner doc=doc_id.clone() schedule=detail.schedule seconds_left=detail.seconds_left chair
                        endorsed=detail.endorsements.endorsements.len() />
                    {(detail.schedule.phase == Phase::Closed).then(|| view! {
                        <Outcome doc=doc_id.clone() endorsements=detail.endorsements.clone() signed_in=detail.signed_in />
                        <super::outputs::PublishedAs detail=detail.clone() />
                    })}
                    <p class="fb-legend small muted">
                        {t!(
                            i18n,
                            document.legend,
                            support = move || view! { <span class="n-support">{t!(i18n, document.legend_support)}</span> },
                            can_live_with = move || view! { <span class="n-live">{t!(i18n, document.legend_can_live_with)}</span> },
                            oppose = move || view! { <span class="n-oppose">{t!(i18n, document.legend_oppose)}</span> }
                        )}
                    </p>
                </header>
                {notice}
                <Show when=move || ui.editable.get()>
                    <UndoBar ui />
                </Show>
                <div class="paragraphs">
                    <For each=move || ui.rows.get() key=|r| r.id.clone() let:row>
                        <ParagraphRow row ui doc=doc_id.clone() />
                    </For>
                </div>
                <Show when=move || ui.editable.get()>
                    <button class="add-paragraph" on:click=move |_ev| in_browser!(_ev => super::editor::add_at_end())>
                        {t!(i18n, document.add_paragraph)}
                    </button>
                </Show>
            </article>
            <aside class="doc-side" aria-label=move || t_string!(i18n, document.side_label).to_string()>
                {thread}
                <PresencePanel ui may_edit=detail.you_may_edit />
            </aside>
        </div>
    }
}

/// Puts into the live region `said` who joined or left the document, who is editing which
/// paragraph (once per paragraph they move to, not per keystroke), and comments arriving on
/// paragraphs whose thread is not `open` (an open thread names their authors itself). What was
/// there when the page connected is not news.
fn announce_news(
    ui: EditorUi,
    said: RwSignal<String>,
    open: impl Fn() -> Option<String> + Send + Sync + 'static,
) {
    let i18n = ui.i18n;
    // Each connection: its number, name and the paragraph it is in.
    type Here = Vec<(u64, String, Option<String>)>;
    Effect::new(move |before: Option<Here>| {
        let me = ui.me.get_untracked();
        let now: Here = ui.peers.with(|peers| {
            peers
                .iter()
                .map(|p| (p.peer, p.name.clone(), p.paragraph.clone()))
                .collect()
        });
        // Empty before: the first list of a connection (or a reconnection), not arrivals.
        if let Some(before) = before.filter(|b| !b.is_empty()) {
            let came = now.iter().find(|p| !before.iter().any(|b| b.0 == p.0));
            let went = before.iter().find(|b| !now.iter().any(|p| p.0 == b.0));
            let moved = now.iter().find_map(|(peer, name, paragraph)| {
                let was = before.iter().find(|b| b.0 == *peer)?;
                let to = paragraph.as_ref().filter(|p| was.2.as_ref() != Some(*p))?;
                (Some(*peer) != me).then_some((name, to))
            });
            if let Some((_, name, _)) = came {
                said.set(
                    t_string!(i18n, document.announce_joined, name = name.clone()).to_string(),
                );
            } else if let Some((_, name, _)) = went.filter(|_| !now.is_empty()) {
                said.set(t_string!(i18n, document.announce_left, name = name.clone()).to_string());
            } else if let Some((name, to)) = moved {
                let row = ui
                    .rows
                    .with_untracked(|rows| rows.iter().find(|r| &r.id == to).cloned());
                if let Some(row) = row {
                    let paragraph = untrack(|| row_label(i18n, &row)).to_lowercase();
                    said.set(
                        t_string!(
                            i18n,
                            document.announce_editing,
                            name = name.clone(),
                            paragraph = paragraph
                        )
                        .to_string(),
                    );
                }
            }
        }
        now
    });
    Effect::new(move |before: Option<Vec<(String, u32)>>| {
        let now: Vec<(String, u32)> = ui
            .figures
            .with(|f| f.iter().map(|(p, c)| (p.clone(), c.comments)).collect());
        if let Some(before) = before {
            let more = now.iter().find(|(p, n)| {
                before.iter().any(|(q, m)| q == p && n > m) && open().as_ref() != Some(p)
            });
            let row = more.and_then(|(p, _)| {
                ui.rows
                    .with_untracked(|rows| rows.iter().find(|r| &r.id == p).cloned())
            });
            if let Some(row) = row {
                let paragraph = untrack(|| row_label(i18n, &row)).to_lowercase();
                said.set(
                    t_string!(i18n, document.announce_comment, paragraph = paragraph).to_string(),
                );
            }
        }
        now
    });
}

/// Undo and redo for this drafter's own edits (typing, split, merge, move, kind, delete and
/// add), with what the last one did. Ctrl+Z and Ctrl+Shift+Z (or Ctrl+Y) do the same in a
/// paragraph.
#[component]
fn UndoBar(ui: EditorUi) -> impl IntoView {
    let i18n = ui.i18n;
    view! {
        <div class="undo-bar" role="toolbar" aria-label=move || t_string!(i18n, document.undo_toolbar_label).to_string()>
            <button type="button" class="small" aria-keyshortcuts="Control+Z"
                disabled=move || !ui.undo.get().0
                on:click=move |_ev| in_browser!(_ev => super::editor::undo(false))>
                {t!(i18n, document.undo_button)}
            </button>
            <button type="button" class="small" aria-keyshortcuts="Control+Shift+Z Control+Y"
                disabled=move || !ui.undo.get().1
                on:click=move |_ev| in_browser!(_ev => super::editor::undo(true))>
                {t!(i18n, document.redo_button)}
            </button>
            <span class="undo-note small" role="status" aria-live="polite">
                {move || ui.undo_note.get()}
            </span>
        </div>
    }
}

/// What a person does in the group, beside their name where others see them: names come from
/// accounts, and the badge says who chairs and who drafts.
fn role_badge(i18n: words::I18n, role: Role) -> Option<impl IntoView> {
    matches!(role, Role::Chair | Role::Drafter).then(|| {
        view! {
            <span class=format!("badge role-badge role-{}", role.as_str())>{words::role(i18n, role)}</span>
        }
    })
}

/// The connection's state and who is here; `may_edit` says what is loading before the app runs.
#[component]
fn PresencePanel(ui: EditorUi, may_edit: bool) -> impl IntoView {
    let i18n = ui.i18n;
    let status_text = move || match ui.status.get() {
        Status::Loading if may_edit => t_string!(i18n, document.status_loading_editor).to_string(),
        Status::Loading => t_string!(i18n, document.status_loading).to_string(),
        Status::Connecting => t_string!(i18n, document.status_connecting).to_string(),
        Status::Live => t_string!(i18n, document.status_live).to_string(),
        Status::Offline(0) => t_string!(i18n, document.status_offline_reconnecting).to_string(),
        Status::Offline(s) => {
            t_string!(i18n, document.status_offline_reconnecting_in, seconds = s).to_string()
        }
        Status::Refused(code) => {
            use domain::api::ErrorCode::*;
            let why = match code {
                Forbidden => t_string!(i18n, document.refused_forbidden),
                Schema => t_string!(i18n, document.refused_schema),
                TooLarge => t_string!(i18n, document.refused_too_large),
                BadMessage | BadControl => t_string!(i18n, document.refused_not_understood),
                NotFound => t_string!(i18n, document.refused_not_found),
                Overloaded | Internal => t_string!(i18n, document.refused_server),
            }
            .to_string();
            t_string!(i18n, document.status_refused, reason = why).to_string()
        }
    };
    let status_class = move || match ui.status.get() {
        Status::Live => "status live",
        Status::Loading | Status::Connecting => "status connecting",
        Status::Offline(_) => "status offline",
        Status::Refused(_) => "status refused",
    };
    let offline_note = move || {
        matches!(ui.status.get(), Status::Offline(_)).then(|| {
            view! { <p class="muted small">{t!(i18n, document.offline_note)}</p> }
        })
    };
    // On a phone the panel comes after the text, and who is here folds away under a count
    // (without the app it stays open: it is below the text anyway).
    let here = NodeRef::<leptos::html::Details>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(details) = here.get() {
            if narrow_screen() {
                details.set_open(false);
            }
        }
    });
    view! {
        <div class="panel">
            // Without the app (not signed in), app/js/reader.js says "watching" once it is.
            <p
                class=status_class
                role="status"
                aria-live="polite"
                data-watching=t_string!(i18n, document.status_watching).to_string()
            >
                <span class="dot" aria-hidden="true"></span>
                <span class="status-words">{status_text}</span>
            </p>
            {offline_note}
            <noscript>
                <p class="muted small">{t!(i18n, document.noscript_note)}</p>
            </noscript>
            <details class="presence" open node_ref=here>
            <summary>
                <h2 class="panel-title">{t!(i18n, document.presence_title)}</h2>
                {move || {
                    let here = ui.peers.with(Vec::len);
                    (here > 0).then(|| view! { <span class="badge">{here}</span> })
                }}
            </summary>
            <ul class="peers" aria-label=move || t_string!(i18n, document.presence_list_label).to_string()>
                {move || {
                    let me = ui.me.get();
                    ui.peers
                        .get()
                        .into_iter()
                        .map(|p| {
                            let style = format!("--hue: {}", p.hue);
                            let mine = Some(p.peer) == me;
                            view! {
                                <li class="peer" style=style>
                                    <span class="avatar" aria-hidden="true">{p.name.chars().next().unwrap_or('?').to_string()}</span>
                                    <span class="peer-who">
                                        <span class="peer-name">{p.name.clone()}</span>
                                        " " {role_badge(i18n, p.role)}
                                        {mine.then(|| view! { <span class="muted small">" " {t!(i18n, document.presence_you)}</span> })}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            </details>
        </div>
    }
}

/// Whether the page is laid out for a phone: one column, as style/ lays it out below 900 px.
#[cfg(feature = "hydrate")]
fn narrow_screen() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(max-width: 900px)").ok().flatten())
        .is_some_and(|query| query.matches())
}

/// "Heading 2": a heading has no number, so headings are counted, which gives each its own
/// name in the editor and in the list of groups. `None` for a paragraph that is not a heading.
fn heading_label(ui: EditorUi, id: &str) -> Option<String> {
    let i18n = ui.i18n;
    ui.rows.with(|rows| {
        let mut headings = rows
            .iter()
            .filter(|r| r.kind.get() == ParagraphKind::Heading);
        let at = headings.position(|r| r.id == id)?;
        Some(t_string!(i18n, document.label_heading_numbered, number = at + 1).to_string())
    })
}

#[component]
fn ParagraphRow(row: Row, ui: EditorUi, doc: String) -> impl IntoView {
    let i18n = ui.i18n;
    let label_row = row.clone();
    let Row {
        id,
        kind,
        number,
        text,
    } = row;
    let anchor = format!("#{id}");
    let label = {
        let id = id.clone();
        Signal::derive(move || {
            heading_label(ui, &id).unwrap_or_else(|| row_label(i18n, &label_row))
        })
    };
    let figures = {
        let id = id.clone();
        Signal::derive(move || ui.figures.with(|f| f.get(&id).cloned()))
    };
    let query = leptos_router::hooks::use_query_map();
    let selected = {
        let id = id.clone();
        move || query.read().get("p").as_deref() == Some(id.as_str())
    };
    // The read view's words, with the spans the open thread comments on highlighted. In the
    // browser the spans are resolved against the live replica, so they follow the drafters.
    let runs = {
        let id = id.clone();
        move || {
            let t = text.get();
            let spans: Vec<(usize, usize)> = ui.marks.with(|(p, marks)| {
                if *p != id {
                    return Vec::new();
                }
                marks
                    .iter()
                    .map(|(_a, at)| {
                        #[cfg(feature = "hydrate")]
                        let at = super::editor::resolve(&id, &_a.first, &_a.last).unwrap_or(*at);
                        (at.0 as usize, at.1 as usize)
                    })
                    .collect()
            });
            marked_runs(&t, &spans)
                .into_iter()
                .map(|(run, marked)| {
                    if marked {
                        view! { <mark class="commented">{run}</mark> }.into_any()
                    } else {
                        run.into_any()
                    }
                })
                .collect_view()
        }
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
                    let style = format!("--hue: {}", p.hue);
                    let name = match p.role {
                        Role::Chair => {
                            t_string!(i18n, document.chip_chair, name = p.name).to_string()
                        }
                        _ => p.name,
                    };
                    view! { <span class="chip" style=style>{name}</span> }
                })
                .collect_view()
        }
    };
    let class = {
        let (selected, here) = (selected.clone(), here.clone());
        move || {
            let mut c = format!("para para-{}", kind.get().as_str());
            if !here().is_empty() {
                c.push_str(" has-peer");
            }
            if selected() {
                c.push_str(" selected");
            }
            c
        }
    };
    let body = {
        let id = id.clone();
        move || {
            if ui.editable.get() {
                let (i1, i2, i3, i4, i5, i6) = (
                    id.clone(),
                    id.clone(),
                    id.clone(),
                    id.clone(),
                    id.clone(),
                    id.clone(),
                );
                let here = here.clone();
                let carets = move || super::carets::overlay(&text.get(), &here());
                view! {
                    <div class="para-edit">
                    <textarea
                        id=format!("ta-{id}")
                        class="para-input" dir="auto" lang=ui.text_language
                        rows="1"
                        aria-label=label
                        prop:value=text.get_untracked()
                        on:input=move |ev| in_browser!(ev, i1 => super::editor::input(&i1, &ev))
                        on:keydown=move |ev| in_browser!(ev, i2 => super::editor::keydown(&i2, &ev))
                        on:focus=move |ev| in_browser!(ev, i3 => super::editor::caret(&i3, &ev))
                        on:keyup=move |ev| in_browser!(ev, i4 => super::editor::caret(&i4, &ev))
                        on:click=move |ev| in_browser!(ev, i5 => super::editor::caret(&i5, &ev))
                        on:select=move |ev| in_browser!(ev, i6 => super::editor::select_in_textarea(&i6, &ev))
                    ></textarea>
                    {carets}
                    </div>
                }
                .into_any()
            } else if kind.get() == ParagraphKind::Heading {
                view! { <h2 class="para-text" dir="auto" lang=ui.text_language>{move || text.get()}</h2> }.into_any()
            } else {
                let (i1, i2) = (id.clone(), id.clone());
                let runs = runs.clone();
                view! {
                    <p
                        class="para-text" dir="auto" lang=ui.text_language
                        on:mouseup=move |ev| in_browser!(ev, i1 => super::editor::select_in_text(&i1, &ev))
                        on:keyup=move |ev| in_browser!(ev, i2 => super::editor::select_in_text(&i2, &ev))
                    >
                        {runs}
                    </p>
                }
                .into_any()
            }
        }
    };
    let tools = {
        let id = id.clone();
        move || {
            ui.editable.get().then(|| {
                let (up, down, del, k) = (id.clone(), id.clone(), id.clone(), id.clone());
                let move_up = move || t_string!(i18n, document.para_move_up).to_string();
                let move_down = move || t_string!(i18n, document.para_move_down).to_string();
                let delete = move || t_string!(i18n, document.para_delete).to_string();
                view! {
                    <div class="para-tools" role="toolbar" aria-label=move || t_string!(i18n, document.para_tools_label).to_string()>
                        <select
                            aria-label=move || t_string!(i18n, document.para_kind_label).to_string()
                            on:change=move |ev| in_browser!(ev, k => super::editor::set_kind(&k, &event_target_value(&ev)))
                        >
                            {ParagraphKind::ALL
                                .into_iter()
                                .map(|option| {
                                    view! {
                                        <option value=option.as_str() selected=move || kind.get() == option>
                                            {words::kind(i18n, option)}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                        <button type="button" aria-label=move_up title=move_up
                            on:click=move |_ev| in_browser!(_ev, up => super::editor::move_paragraph(&up, true))>"↑"</button>
                        <button type="button" aria-label=move_down title=move_down
                            on:click=move |_ev| in_browser!(_ev, down => super::editor::move_paragraph(&down, false))>"↓"</button>
                        <button type="button" class="danger" aria-label=delete title=delete
                            on:click=move |_ev| in_browser!(_ev, del => super::editor::delete_paragraph(&del))>"✕"</button>
                    </div>
                }
            })
        }
    };
    // Words selected here while another thread (or none) is open: offer to comment on them
    // where they are; the link opens this paragraph's thread with them quoted, its box focused.
    let offer = {
        let (id, doc) = (id.clone(), doc.clone());
        move || {
            let here = ui
                .selection
                .with(|s| s.as_ref().is_some_and(|s| s.paragraph == id));
            (here && !selected()).then(|| {
                view! {
                    <a class="button small on-words" href=super::parts::thread_href(&doc, &id)
                        on:click=|_| {
                            set_timeout(
                                || {
                                    use leptos::wasm_bindgen::JsCast;
                                    if let Some(ta) = document()
                                        .get_element_by_id("new-comment")
                                        .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok())
                                    {
                                        let _ = ta.focus();
                                    }
                                },
                                std::time::Duration::from_millis(150),
                            )
                        }>
                        {t!(i18n, document.comment_on_words)}
                    </a>
                }
            })
        }
    };
    // Only a numbered paragraph links to itself: a link without a number would be a stop for
    // the keyboard with nothing to read.
    let link = move || {
        let anchor = anchor.clone();
        match (kind.get(), number.get()) {
            (ParagraphKind::Heading, _) | (_, None) => view! { <span class="para-num"></span> }.into_any(),
            (_, Some(n)) => view! {
                <a class="para-num" href=anchor title=move || t_string!(i18n, document.para_link_title).to_string()>{n}</a>
            }
            .into_any(),
        }
    };
    // A group, not a region: a landmark per paragraph would bury the page's own landmarks.
    view! {
        <section class=class id=id.clone() role="group" aria-label=label>
            {link}
            <div class="para-body">{body} {offer}</div>
            <div class="para-fb">
                {(kind.get_untracked() != ParagraphKind::Heading).then(|| {
                    view! { <FeedbackBadge doc=doc.clone() paragraph=id.clone() figures label /> }
                })}
            </div>
            <div class="para-side">
                <span class="chips">{chips}</span>
                {tools}
            </div>
        </section>
    }
}
