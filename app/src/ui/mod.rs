//! Pages and components. Everything renders on the server first (readable without JavaScript);
//! in the browser the document page hydrates into the live editor.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    ParamSegment, SsrMode, StaticSegment,
};

use accord_i18n::{t, t_string, td_string, use_i18n, I18nContextProvider, Locale};
use domain::api::{Created, DocumentDetail, DocumentSummary};
use leptos_i18n::Locale as _;

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
mod outputs;
pub(crate) mod parts;
mod phase;
mod search;
mod session;
mod state;
mod versions;
mod words;

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
    // Someone not signed in gets the page without the app (see `serve::reads_without_app`).
    #[cfg(feature = "ssr")]
    let (app, stylesheet, reader) = {
        let without_app = use_context::<http::request::Parts>()
            .is_some_and(|parts| crate::serve::reads_without_app(&parts));
        (
            (!without_app).then(|| view! { <HydrationScripts options=options.clone() /> }),
            crate::serve::asset(&options, "css", "accord", "css"),
            without_app.then(|| crate::serve::asset(&options, "reader", "reader", "js")),
        )
    };
    #[cfg(not(feature = "ssr"))]
    let (app, stylesheet, reader) = (
        Some(view! { <HydrationScripts options /> }),
        String::new(),
        None::<String>,
    );
    view! {
        <!DOCTYPE html>
        // The language and its direction come from the i18n context (`<html lang dir>`).
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" id="accord" href=stylesheet />
                {app}
                {reader.map(|src| view! { <script type="module" src=src></script> })}
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
        <I18nContextProvider ssr_lang_header_getter=language_asked()>
            <Pages />
        </I18nContextProvider>
    }
}

/// What the server renders in: on the server, the language the request asks for (see
/// `accord_i18n::negotiate`), handed to the i18n context as if the browser had asked for it
/// first; a `?lang=` is also kept in the language cookie. In the browser the context reads the
/// language back from `<html lang>`.
fn language_asked() -> accord_i18n::UseLocalesOptions {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<http::request::Parts>() {
        let locale = crate::serve::locale(&parts);
        let asked = crate::serve::asked_language(parts.uri.query());
        if let (Some(core), true) = (
            use_context::<accord_core::Accord>(),
            asked == Some(locale.as_str()),
        ) {
            if let (Some(resp), Some(language)) = (
                use_context::<leptos_axum::ResponseOptions>(),
                domain::profile::Language::parse(locale.as_str()),
            ) {
                let cookie = core.auth.language_cookie(language);
                if let Ok(value) = http::HeaderValue::from_str(&cookie) {
                    resp.append_header(http::header::SET_COOKIE, value);
                }
            }
        }
        let tag = locale.as_str().to_string();
        return accord_i18n::UseLocalesOptions::default()
            .ssr_lang_header_getter(move || Some(tag.clone()));
    }
    accord_i18n::UseLocalesOptions::default()
}

#[component]
fn Pages() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Title formatter=tab_title />
        <Router>
            // The first stop for the keyboard: past the top bar to the page's own content (a
            // plain fragment link, left to the browser, which moves the focus to its target).
            <a class="skip-link" href="#main" rel="external">{t!(i18n, common.skip_to_content)}</a>
            <Top />
            <main id="main" tabindex="-1">
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
                    <Route
                        path=(StaticSegment("documents"), ParamSegment("id"), StaticSegment("sessions"))
                        view=session::SessionsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("documents"), ParamSegment("id"), StaticSegment("publish"))
                        view=outputs::PublishPage
                        ssr=SsrMode::Async
                    />
                    <Route path=StaticSegment("outputs") view=outputs::OutputsPage ssr=SsrMode::Async />
                    <Route
                        path=(StaticSegment("outputs"), ParamSegment("number"))
                        view=outputs::OutputPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("live"), ParamSegment("id"))
                        view=session::LiveSessionPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("live"), ParamSegment("id"), StaticSegment("projector"))
                        view=session::ProjectorPage
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
    let i18n = use_i18n();
    let words = move || match what.as_str() {
        "document" => t_string!(i18n, common.not_found_document),
        _ => t_string!(i18n, common.not_found_page),
    };
    view! {
        <Title text=move || t_string!(i18n, common.not_found_title).to_string() />
        <section class="empty">
            <h1>{t!(i18n, common.not_found_title)}</h1>
            <p>{words}</p>
            <p><A href="/">{t!(i18n, common.back_to_documents)}</A></p>
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
    let i18n = use_i18n();
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"§"</span>
                {t!(i18n, common.brand)}
            </A>
            <search::SearchForm compact=true />
            <nav aria-label=move || t_string!(i18n, common.nav_main)>
                <A href="/">{t!(i18n, common.nav_documents)}</A>
                <UserMenu me />
                <LanguageMenu />
            </nav>
        </header>
    }
}

/// The languages, each named in itself: plain links to this page with `?lang=` (the server
/// renders the page in it and keeps the choice in a cookie), so the menu works without
/// JavaScript; with it they load the page anew too (`rel="external"`), as the whole page changes.
#[component]
fn LanguageMenu() -> impl IntoView {
    let i18n = use_i18n();
    let location = leptos_router::hooks::use_location();
    let href = move |l: Locale| {
        let kept: Vec<String> = location
            .search
            .get()
            .trim_start_matches('?')
            .split('&')
            .filter(|kv| !kv.is_empty() && !kv.starts_with("lang="))
            .map(str::to_string)
            .chain([format!("lang={}", l.as_str())])
            .collect();
        format!("{}?{}", location.pathname.get(), kept.join("&"))
    };
    view! {
        <details class="languages">
            <summary>
                <span class="visually-hidden">{t!(i18n, common.language)} ": "</span>
                {t!(i18n, common.language_name)}
            </summary>
            <ul>
                {Locale::get_all()
                    .iter()
                    .map(|l| {
                        let l = *l;
                        let here = move || i18n.get_locale() == l;
                        view! {
                            <li>
                                <a href=move || href(l) rel="external" lang=l.as_str() hreflang=l.as_str()
                                    aria-current=move || here().then_some("true")>
                                    {td_string!(l, common.language_name)}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </details>
    }
}

#[component]
fn UserMenu(me: Resource<Result<Option<domain::api::Me>, ServerFnError>>) -> impl IntoView {
    let logout = ServerAction::<account::Logout>::new();
    let i18n = use_i18n();
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
                                <A href="/new" attr:class="button primary small">{t!(i18n, common.new_document)}</A>
                            })}
                            <Bell unread=me.unread />
                            <A href="/profile" attr:class="who" attr:title=me.login.clone()>{me.display_name.clone()}</A>
                            <ActionForm action=logout attr:class="inline-form">
                                <button type="submit" class="link-button">{t!(i18n, common.sign_out)}</button>
                            </ActionForm>
                        }
                        .into_any()
                    }
                    _ => view! {
                        <a href=move || format!("/login{}", here())>{t!(i18n, common.sign_in)}</a>
                        <a href=move || format!("/register{}", here()) class="button primary small">{t!(i18n, common.register)}</a>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The link to the notifications page, with the count of unread ones.
#[component]
fn Bell(unread: u32) -> impl IntoView {
    let i18n = use_i18n();
    let label = match unread {
        0 => t_string!(i18n, common.notifications_none).to_string(),
        n => t_string!(i18n, common.notifications_unread, count = n).to_string(),
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
    let i18n = use_i18n();
    view! {
        <Title text="" />
        <section class="hero">
            <h1>{t!(i18n, common.hero_title)}</h1>
            <p class="lede">{t!(i18n, common.hero_lede)}</p>
            <p><a href="/outputs">{t!(i18n, outputs.index_title)}</a></p>
        </section>
        <YourGroups me />
        <section class="doc-list" aria-labelledby="docs-heading">
            <div class="section-head">
                <h2 id="docs-heading">{t!(i18n, common.documents_heading)}</h2>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let drafts = matches!(me.await, Ok(Some(me)) if me.drafting_groups().next().is_some());
                        drafts.then(|| view! { <A href="/new" attr:class="button">{t!(i18n, common.new_document)}</A> })
                    })}
                </Suspense>
            </div>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading_documents)}</p> }>
                {move || Suspend::new(async move {
                    match docs.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="muted">{t!(i18n, common.no_documents)}</p>
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
    let i18n = use_i18n();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(me)) => view! {
                        <section class="your-groups" aria-labelledby="groups-heading">
                            <h2 id="groups-heading" class="section-title">{t!(i18n, common.your_groups)}</h2>
                            {me.memberships.is_empty().then(|| view! {
                                <p class="muted">{t!(i18n, common.in_no_group)}</p>
                            })}
                            <ul class="group-chips">
                                {me.memberships.iter().map(|m| view! {
                                    <li><a href=format!("/groups/{}", m.group)><bdi>{m.group_name.clone()}</bdi></a>
                                    <span class="muted small">" · " {words::role(i18n, m.role)}</span></li>
                                }).collect_view()}
                            </ul>
                            {me.admin.then(|| view! {
                                <groups::AllGroups />
                                <groups::CreateGroupForm />
                                <groups::RestoreForm />
                                <outputs::SeriesForm />
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
    let i18n = use_i18n();
    let href = format!("/documents/{}", doc.id);
    let count = t_string!(i18n, common.paragraphs, count = doc.paragraphs).to_string();
    let date = doc.updated_at.get(..10).unwrap_or_default().to_string();
    let updated_at = doc.updated_at.clone();
    let phase = doc.schedule.phase;
    let until = doc
        .schedule
        .deadline
        .map(|at| view! { " · " {t!(i18n, common.card_until, time = move || view! { <parts::LocalTime at /> })} });
    view! {
        <li class="card">
            <a href=href class="card-link">
                <span class="card-group"><bdi>{doc.group}</bdi></span>
                <span class="card-title" dir="auto">{doc.title}</span>
                <span class="card-phase">
                    <span class=format!("badge phase-badge phase-{}", phase.key())>{words::phase(i18n, phase)}</span>
                    {until}
                </span>
                <span class="card-meta">{count} " · " {t!(i18n, common.card_updated, date = move || view! { <time datetime=updated_at.clone()>{date.clone()}</time> })}</span>
            </a>
        </li>
    }
}

#[component]
fn NewDocumentPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| whoami());
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, common.new_document_title).to_string() />
        <section class="form-page">
            <h1>{t!(i18n, common.new_document_title)}</h1>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    let groups: Vec<domain::api::MembershipView> = match me.await {
                        Ok(Some(me)) => me.drafting_groups().cloned().collect(),
                        _ => {
                            return view! {
                                <p>
                                    {t!(i18n, common.new_document_sign_in,
                                        link = move || view! { <a href="/login?next=/new">{t!(i18n, common.new_document_sign_in_link)}</a> })}
                                </p>
                            }.into_any();
                        }
                    };
                    match groups.is_empty() {
                        true => view! {
                            <p>{t!(i18n, common.new_document_no_group)}</p>
                            <p><A href="/">{t!(i18n, common.back_to_documents)}</A></p>
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
    let i18n = use_i18n();
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
            <label for="new-group">{t!(i18n, common.group)}</label>
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
            {t!(i18n, common.new_document_intro,
                heading = move || view! { <code>{t!(i18n, common.markdown_heading)}</code> },
                numbered = move || view! { <code>{t!(i18n, common.markdown_numbered)}</code> },
                sub = move || view! { <code>{t!(i18n, common.markdown_sub)}</code> })}
        </p>
        <ActionForm action=create attr:class="stack">
            {group}
            <label for="new-title">{t!(i18n, common.title)}</label>
            <input id="new-title" name="title" type="text" maxlength="300" dir="auto"
                placeholder=move || t_string!(i18n, common.title_placeholder).to_string() value=kept_title />
            <label for="new-markdown">{t!(i18n, common.markdown_to_import)}</label>
            <textarea id="new-markdown" name="markdown" rows="14" dir="auto"
                placeholder="# Title\n\n## I. Background\n\n1. The first paragraph …">
                {kept_markdown}
            </textarea>
            {move || error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="actions">
                <button type="submit" class="button primary">{t!(i18n, common.create_document)}</button>
                <A href="/">{t!(i18n, common.cancel)}</A>
            </div>
        </ActionForm>
    }
}
