//! The search page (`/search?q=`): documents whose titles match, paragraphs whose words match,
//! and comments, each with the words around the match and a link to where it is. A plain GET
//! form, in the top bar and on the page, so that it works without JavaScript.

use domain::api::{SearchHit, SearchResults};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::parts::{error_text, thread_href};

#[server(prefix = "/_fn", endpoint = "search")]
pub async fn search(q: String) -> Result<SearchResults, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    accord_core::search::search(&core, &who, &q)
        .await
        .map_err(crate::serve::page_error)
}

/// The search form: in the top bar (`compact`) and atop the results.
#[component]
pub fn SearchForm(
    #[prop(optional)] compact: bool,
    #[prop(optional)] value: String,
) -> impl IntoView {
    use accord_i18n::{t, t_string, use_i18n};
    let i18n = use_i18n();
    let id = if compact { "search-top" } else { "search-page" };
    view! {
        <form role="search" action="/search" method="get" class=if compact { "search top-search" } else { "search" }>
            <label for=id class=if compact { "visually-hidden" } else { "" }>{t!(i18n, common.search_label)}</label>
            <input id=id type="search" name="q" value=value minlength="2" maxlength="100" required
                placeholder=move || if compact { t_string!(i18n, common.search_placeholder).to_string() } else { String::new() } />
            <button type="submit" class="button small">{t!(i18n, common.search_button)}</button>
        </form>
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let results = Resource::new(q, |q| async move {
        match q.trim().is_empty() {
            true => None,
            false => Some(search(q).await),
        }
    });
    view! {
        <Title text="Search" />
        <section class="form-page search-page">
            <h1>"Search"</h1>
            {move || view! { <SearchForm value=q() /> }}
            <Suspense fallback=|| view! { <p class="muted">"Searching…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        None => view! { <p class="muted">"Find words in every document’s title and text, and in the comments."</p> }.into_any(),
                        Some(Ok(r)) => results_view(r).into_any(),
                        Some(Err(e)) => view! { <p class="error" role="alert">{error_text(Some(Err::<(), _>(e)))}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn results_view(r: SearchResults) -> impl IntoView {
    let counted = |n: usize, one: &str, many: &str| match n {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    };
    let found: Vec<String> = [
        counted(
            r.documents.len(),
            "document by its title",
            "documents by their titles",
        ),
        counted(r.paragraphs.len(), "paragraph", "paragraphs"),
        counted(r.comments.len(), "comment", "comments"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let more = if r.more {
        " (the first of each are listed)"
    } else {
        ""
    };
    let summary = match found.is_empty() {
        true => format!("Nothing found for “{}”.", r.query),
        false => format!("Found for “{}”: {}{more}.", r.query, found.join(", ")),
    };
    let documents = (!r.documents.is_empty()).then(|| {
        view! {
            <h2>"Documents"</h2>
            <ul class="hits">
                {r.documents.into_iter().map(|d| view! {
                    <li><a href=format!("/documents/{}", d.id)><bdi>{d.title}</bdi></a>
                        <span class="muted small">" · " <bdi>{d.group}</bdi></span></li>
                }).collect_view()}
            </ul>
        }
    });
    let paragraphs = (!r.paragraphs.is_empty()).then(|| {
        view! {
            <h2>"Paragraphs"</h2>
            <ul class="hits">{r.paragraphs.into_iter().map(|h| hit_view(h, false)).collect_view()}</ul>
        }
    });
    let comments = (!r.comments.is_empty()).then(|| {
        view! {
            <h2>"Comments"</h2>
            <ul class="hits">{r.comments.into_iter().map(|h| hit_view(h, true)).collect_view()}</ul>
        }
    });
    view! {
        <p role="status">{summary}</p>
        {documents}
        {paragraphs}
        {comments}
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|first| first.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn hit_view(h: SearchHit, comment: bool) -> impl IntoView {
    let href = match comment {
        true => thread_href(&h.document, &h.paragraph),
        false => format!("/documents/{}#{}", h.document, h.paragraph),
    };
    let place = match &h.author {
        Some(who) => format!("{who} on {}", h.label),
        None => capitalised(&h.label),
    };
    view! {
        <li class="hit">
            <a href=href>{place}</a>
            <span class="muted small">" · " <bdi>{h.title}</bdi></span>
            <p class="excerpt" dir="auto">{h.before}<mark>{h.matched}</mark>{h.after}</p>
        </li>
    }
}
