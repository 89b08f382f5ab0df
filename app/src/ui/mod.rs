//! Pages and components. Everything renders on the server first (readable without JavaScript);
//! in the browser the document page hydrates into the live editor.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    ParamSegment, SsrMode, StaticSegment,
};

use domain::api::{Created, DocumentDetail, DocumentSummary};

mod account;
mod amendments;
mod bursts;
mod carets;
mod consensus;
mod document;
#[cfg(feature = "hydrate")]
mod editor;
mod feedback;
mod groups;
#[cfg(feature = "hydrate")]
mod live;
mod mentions;
mod notices;
mod parts;
mod phase;
mod search;
mod state;
mod versions;

pub use document::DocumentPage;

/// The HTML shell the server wraps every page in. On the server it also sets the page's
/// Content-Security-Policy: scripts only from this site or with this response's nonce (the
/// hydration script), no inline script otherwise.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(resp)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        let policy = format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
             object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
        );
        if let Ok(value) = http::HeaderValue::from_str(&policy) {
            resp.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The browser tab's title. leptos_meta writes a `<title>` without escaping it on the server,
/// so angle brackets (which could close the element) are swapped for look-alike quotation marks.
fn tab_title(title: String) -> String {
    let safe = title.replace('<', "‹").replace('>', "›");
    if safe.is_empty() {
        "Accord".to_string()
    } else {
        format!("{safe} · Accord")
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(notices::NoticesSeen::default());
    view! {
        <Stylesheet id="accord" href="/pkg/accord.css" />
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Title formatter=tab_title />
        <Router>
            <Top />
            <main id="main">
                <Routes fallback=|| view! { <NotFound what="page".to_string() /> }>
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async />
                    <Route path=StaticSegment("new") view=NewDocumentPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("login") view=account::LoginPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("register") view=account::RegisterPage ssr=SsrMode::Async />
                    <Route
                        path=(StaticSegment("confirm"), ParamSegment("token"))
                        view=account::ConfirmPage
                        ssr=SsrMode::Async
                    />
                    <Route path=StaticSegment("profile") view=account::ProfilePage ssr=SsrMode::Async />
                    <Route path=StaticSegment("notifications") view=notices::NoticesPageView ssr=SsrMode::Async />
                    <Route path=StaticSegment("search") view=search::SearchPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("unsubscribe") view=notices::UnsubscribePage ssr=SsrMode::Async />
                    <Route
                        path=(StaticSegment("groups"), ParamSegment("id"))
                        view=groups::GroupPageView
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("invitations"), ParamSegment("token"))
                        view=groups::InvitationPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("documents"), ParamSegment("id"))
                        view=DocumentPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("documents"), ParamSegment("id"), StaticSegment("consensus"))
                        view=consensus::ConsensusPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("documents"), ParamSegment("id"), StaticSegment("amendments"))
                        view=amendments::AmendmentsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("documents"), ParamSegment("id"), StaticSegment("bursts"))
                        view=bursts::BurstsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("documents"), ParamSegment("id"), StaticSegment("versions"))
                        view=versions::VersionsPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn NotFound(what: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found" />
        <section class="empty">
            <h1>"Not found"</h1>
            <p>{format!("There is no such {what} here.")}</p>
            <p><A href="/">"Back to the documents"</A></p>
        </section>
    }
}

/// The signed-in account, if any.
#[server(prefix = "/_fn", endpoint = "whoami")]
pub async fn whoami() -> Result<Option<domain::api::Me>, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    accord_core::people::whoami(&core, &who)
        .await
        .map_err(crate::serve::page_error)
}

/// The bar at the top of every page.
#[component]
fn Top() -> impl IntoView {
    // Asked again on every navigation, so that signing in or out shows at once, and every
    // minute, so that the bell counts what arrived meanwhile.
    let location = leptos_router::hooks::use_location();
    let minute = RwSignal::new(0u32);
    let seen = expect_context::<notices::NoticesSeen>().0;
    #[cfg(feature = "hydrate")]
    {
        let _ = set_interval_with_handle(
            move || minute.update(|m| *m = m.wrapping_add(1)),
            std::time::Duration::from_secs(60),
        );
    }
    let me = Resource::new(
        move || (location.pathname.get(), minute.get(), seen.get()),
        |_| whoami(),
    );
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"§"</span>
                "Accord"
            </A>
            <search::SearchForm compact=true />
            <nav aria-label="Main">
                <A href="/">"Documents"</A>
                <UserMenu me />
            </nav>
        </header>
    }
}

#[component]
fn UserMenu(me: Resource<Result<Option<domain::api::Me>, ServerFnError>>) -> impl IntoView {
    let logout = ServerAction::<account::Logout>::new();
    let location = leptos_router::hooks::use_location();
    // Signing in or registering from a page comes back to it.
    let here = move || {
        let path = location.pathname.get();
        match path.as_str() {
            "/" | "/login" | "/register" => String::new(),
            _ => format!("?next={path}"),
        }
    };
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(me)) => {
                        let drafts = me.drafting_groups().next().is_some();
                        view! {
                            {drafts.then(|| view! {
                                <A href="/new" attr:class="button primary small">"New document"</A>
                            })}
                            <Bell unread=me.unread />
                            <A href="/profile" attr:class="who" attr:title=me.login.clone()>{me.display_name.clone()}</A>
                            <ActionForm action=logout attr:class="inline-form">
                                <button type="submit" class="link-button">"Sign out"</button>
                            </ActionForm>
                        }
                        .into_any()
                    }
                    _ => view! {
                        <a href=move || format!("/login{}", here())>"Sign in"</a>
                        <a href=move || format!("/register{}", here()) class="button primary small">"Register"</a>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The link to the notifications page, with the count of unread ones.
#[component]
fn Bell(unread: u32) -> impl IntoView {
    let label = match unread {
        0 => "Notifications, none unread".to_string(),
        n => format!("Notifications, {n} unread"),
    };
    view! {
        <A href="/notifications" attr:class="bell" attr:aria-label=label.clone() attr:title=label>
            <svg class="bell-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                <path d="M12 3a6 6 0 0 0-6 6v4l-2 3h16l-2-3V9a6 6 0 0 0-6-6zm-2 15a2 2 0 0 0 4 0z" fill="currentColor" />
            </svg>
            {(unread > 0).then(|| view! { <span class="count" aria-hidden="true">{unread}</span> })}
        </A>
    }
}

#[server(prefix = "/_fn", endpoint = "list_documents")]
pub async fn list_documents() -> Result<Vec<DocumentSummary>, ServerFnError> {
    let core = crate::serve::core()?;
    accord_core::documents::list(&core.rooms)
        .await
        .map_err(crate::serve::page_error)
}

/// `None` when there is no such document.
#[server(prefix = "/_fn", endpoint = "get_document")]
pub async fn get_document(id: String) -> Result<Option<DocumentDetail>, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    match accord_core::documents::detail_for(&core, &who, &id).await {
        Ok(d) => Ok(Some(d)),
        Err(e) if e.status() == 404 => Ok(None),
        Err(e) => Err(crate::serve::page_error(e)),
    }
}

/// The new-document form's target; works as a plain form post without JavaScript.
#[server(prefix = "/_fn", endpoint = "create_document")]
pub async fn create_document_form(
    title: String,
    markdown: String,
    group: String,
) -> Result<Created, ServerFnError> {
    let req = domain::api::CreateDocument {
        group: (!group.is_empty()).then_some(group),
        title: Some(title),
        markdown: (!markdown.trim().is_empty()).then_some(markdown),
    };
    let (core, who) = crate::serve::requester().await?;
    let created = accord_core::documents::create_as(&core, &who, req)
        .await
        .map_err(crate::serve::page_error)?;
    crate::serve::go(&created.url);
    Ok(created)
}

#[component]
fn HomePage() -> impl IntoView {
    let docs = Resource::new(|| (), |_| list_documents());
    let me = Resource::new(|| (), |_| whoami());
    view! {
        <Title text="" />
        <section class="hero">
            <h1>"Draft together. Show how far you agree."</h1>
            <p class="lede">
                "Accord is where a multi-stakeholder group co-writes a text, reviews it paragraph by paragraph and records what became of every comment."
            </p>
        </section>
        <YourGroups me />
        <section class="doc-list" aria-labelledby="docs-heading">
            <div class="section-head">
                <h2 id="docs-heading">"Documents"</h2>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let drafts = matches!(me.await, Ok(Some(me)) if me.drafting_groups().next().is_some());
                        drafts.then(|| view! { <A href="/new" attr:class="button">"New document"</A> })
                    })}
                </Suspense>
            </div>
            <Suspense fallback=|| view! { <p class="muted">"Loading documents…"</p> }>
                {move || Suspend::new(async move {
                    match docs.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="muted">"No documents yet. Create the first one."</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="cards">
                                {list.into_iter().map(|d| view! { <DocumentCard doc=d /> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The signed-in person's groups (links to each group's page) and, for the admin, the forms
/// that create a group and restore a document from an archive.
#[component]
fn YourGroups(me: Resource<Result<Option<domain::api::Me>, ServerFnError>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(me)) => view! {
                        <section class="your-groups" aria-labelledby="groups-heading">
                            <h2 id="groups-heading" class="section-title">"Your groups"</h2>
                            {me.memberships.is_empty().then(|| view! {
                                <p class="muted">"You are in no group yet. A chair can send you an invitation link."</p>
                            })}
                            <ul class="group-chips">
                                {me.memberships.iter().map(|m| view! {
                                    <li><a href=format!("/groups/{}", m.group)>{m.group_name.clone()}</a>
                                    <span class="muted small">{format!(" · {}", m.role.as_str())}</span></li>
                                }).collect_view()}
                            </ul>
                            {me.admin.then(|| view! {
                                <groups::AllGroups />
                                <groups::CreateGroupForm />
                                <groups::RestoreForm />
                            })}
                        </section>
                    }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DocumentCard(doc: DocumentSummary) -> impl IntoView {
    let href = format!("/documents/{}", doc.id);
    let count = match doc.paragraphs {
        1 => "1 paragraph".to_string(),
        n => format!("{n} paragraphs"),
    };
    let date = doc.updated_at.get(..10).unwrap_or_default().to_string();
    let phase = doc.schedule.phase;
    let until = doc
        .schedule
        .deadline
        .map(|at| view! { " · until " <parts::LocalTime at /> });
    view! {
        <li class="card">
            <a href=href class="card-link">
                <span class="card-group">{doc.group}</span>
                <span class="card-title">{doc.title}</span>
                <span class="card-phase">
                    <span class=format!("badge phase-badge phase-{}", phase.key())>{phase.label()}</span>
                    {until}
                </span>
                <span class="card-meta">{count} " · updated " <time datetime=doc.updated_at.clone()>{date}</time></span>
            </a>
        </li>
    }
}

#[component]
fn NewDocumentPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| whoami());
    view! {
        <Title text="New document" />
        <section class="form-page">
            <h1>"New document"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let groups: Vec<domain::api::MembershipView> = match me.await {
                        Ok(Some(me)) => me.drafting_groups().cloned().collect(),
                        _ => {
                            return view! {
                                <p>
                                    "Documents are started by their group's drafters. "
                                    <a href="/login?next=/new">"Sign in"</a>
                                    " to start one."
                                </p>
                            }.into_any();
                        }
                    };
                    match groups.is_empty() {
                        true => view! {
                            <p>
                                "Documents are started by their group's drafters, and you draft in no group yet. "
                                "A chair can invite you as a drafter; until then you can comment on the documents open for comment."
                            </p>
                            <p><A href="/">"Back to the documents"</A></p>
                        }.into_any(),
                        false => view! { <NewDocumentForm groups /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The form that starts a document, in one of `groups` (a choice when there are several).
#[component]
fn NewDocumentForm(groups: Vec<domain::api::MembershipView>) -> impl IntoView {
    let create = ServerAction::<CreateDocumentForm>::new();
    let error = move || {
        create.value().get().and_then(|r| r.err()).map(|e| {
            e.to_string()
                .trim_start_matches("error running server function: ")
                .to_string()
        })
    };
    let group = match groups.as_slice() {
        [one] => view! { <input type="hidden" name="group" value=one.group.clone() /> }.into_any(),
        _ => view! {
            <label for="new-group">"Group"</label>
            <select id="new-group" name="group">
                {groups.iter().map(|g| view! {
                    <option value=g.group.clone()>{g.group_name.clone()}</option>
                }).collect_view()}
            </select>
        }
        .into_any(),
    };
    // After a refusal without JavaScript, what was typed comes back.
    let kept_title = parts::kept::<CreateDocumentForm>(&[], "title");
    let kept_markdown = parts::kept_text::<CreateDocumentForm>(&[], "markdown", String::new());
    view! {
        <p class="muted">
            "Start blank, or paste a draft in Markdown: "
            <code>"## Heading"</code> ", " <code>"1. Numbered paragraph"</code> ", "
            <code>"(a) Sub-paragraph"</code> "."
        </p>
        <ActionForm action=create attr:class="stack">
            {group}
            <label for="new-title">"Title"</label>
            <input id="new-title" name="title" type="text" maxlength="300"
                placeholder="Draft recommendations on …" value=kept_title />
            <label for="new-markdown">"Markdown to import (optional)"</label>
            <textarea id="new-markdown" name="markdown" rows="14"
                placeholder="# Title\n\n## I. Background\n\n1. The first paragraph …">
                {kept_markdown}
            </textarea>
            {move || error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="actions">
                <button type="submit" class="button primary">"Create document"</button>
                <A href="/">"Cancel"</A>
            </div>
        </ActionForm>
    }
}
