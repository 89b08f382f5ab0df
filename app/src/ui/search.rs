//! The search page (`/search?q=`): documents whose titles match, paragraphs whose words match,
//! and comments, each with the words around the match and a link to where it is. A plain GET
//! form, in the top bar and on the page, so that it works without JavaScript.

use accord_i18n::{t, t_string, use_i18n};
use domain::api::{SearchHit, SearchResults};
use domain::notice::Place;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    parts::{error_text, thread_href},
    words::I18n,
};

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
    let i18n = use_i18n();
    let id = if compact { "search-top" } else { "search-page" };
    view! {
        // Two searches on the search page: each named, so that their landmarks differ.
        <form role="search" action="/search" method="get" class=if compact { "search top-search" } else { "search" }
            aria-label=move || compact.then(|| t_string!(i18n, common.search_top_form).to_string())
            aria-labelledby=(!compact).then_some("search-title")>
            <label for=id class=if compact { "visually-hidden" } else { "" }>{t!(i18n, common.search_label)}</label>
            <input id=id type="search" name="q" value=value minlength="2" maxlength="100" required
                placeholder=move || if compact { t_string!(i18n, common.search_placeholder).to_string() } else { String::new() } />
            <button type="submit" class="button small">{t!(i18n, common.search_button)}</button>
        </form>
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let results = Resource::new(q, |q| async move {
        match q.trim().is_empty() {
            true => None,
            false => Some(search(q).await),
        }
    });
    view! {
        <Title text=move || t_string!(i18n, common.search_title).to_string() />
        <section class="form-page search-page">
            <h1 id="search-title">{t!(i18n, common.search_title)}</h1>
            {move || view! { <SearchForm value=q() /> }}
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.search_searching)}</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        None => view! { <p class="muted">{t!(i18n, common.search_intro)}</p> }.into_any(),
                        Some(Ok(r)) => results_view(i18n, r).into_any(),
                        Some(Err(e)) => view! { <p class="error" role="alert">{error_text(Some(Err::<(), _>(e)))}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn results_view(i18n: I18n, r: SearchResults) -> impl IntoView {
    let (documents, paragraphs, comments) =
        (r.documents.len(), r.paragraphs.len(), r.comments.len());
    let found: Vec<String> = [
        (documents > 0)
            .then(|| t_string!(i18n, common.search_documents, count = documents).to_string()),
        (paragraphs > 0)
            .then(|| t_string!(i18n, common.search_paragraphs, count = paragraphs).to_string()),
        (comments > 0)
            .then(|| t_string!(i18n, common.search_comments, count = comments).to_string()),
    ]
    .into_iter()
    .flatten()
    .collect();
    // A language joins a list its own way ("a, b et c", "a、b、c"), so each length has a message.
    let found = match found.as_slice() {
        [] => None,
        [first] => Some(first.clone()),
        [first, second] => Some(
            t_string!(
                i18n,
                common.search_found_pair,
                first = first,
                second = second
            )
            .to_string(),
        ),
        [first, second, third, ..] => Some(
            t_string!(
                i18n,
                common.search_found_triple,
                first = first,
                second = second,
                third = third
            )
            .to_string(),
        ),
    };
    let query = r.query.as_str();
    let summary = match (found, r.more) {
        (None, _) => t_string!(i18n, common.search_nothing_found, query = query).to_string(),
        (Some(found), false) => {
            t_string!(i18n, common.search_found, query = query, found = found).to_string()
        }
        (Some(found), true) => {
            t_string!(i18n, common.search_found_more, query = query, found = found).to_string()
        }
    };
    let documents = (!r.documents.is_empty()).then(|| {
        view! {
            <h2>{t!(i18n, common.search_heading_documents)}</h2>
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
            <h2>{t!(i18n, common.search_heading_paragraphs)}</h2>
            <ul class="hits">{r.paragraphs.into_iter().map(|h| hit_view(i18n, h, false)).collect_view()}</ul>
        }
    });
    let comments = (!r.comments.is_empty()).then(|| {
        view! {
            <h2>{t!(i18n, common.search_heading_comments)}</h2>
            <ul class="hits">{r.comments.into_iter().map(|h| hit_view(i18n, h, true)).collect_view()}</ul>
        }
    });
    view! {
        <p role="status">{summary}</p>
        {documents}
        {paragraphs}
        {comments}
    }
}

/// Where a paragraph hit is, as a link's words ("Paragraph 8(a)").
fn place(i18n: I18n, label: &str) -> String {
    match Place::read(label) {
        Place::Paragraph(number) => {
            t_string!(i18n, common.search_place_paragraph, number = number).to_string()
        }
        Place::Heading(excerpt) => {
            t_string!(i18n, common.search_place_heading, excerpt = excerpt).to_string()
        }
        Place::Unnumbered(excerpt) => {
            t_string!(i18n, common.search_place_unnumbered, excerpt = excerpt).to_string()
        }
        Place::Deleted(id) => t_string!(i18n, common.search_place_deleted, id = id).to_string(),
        _ => capitalised(label),
    }
}

/// Who commented where, as a link's words ("Amina on paragraph 8(a)").
fn commented_place(i18n: I18n, author: &str, label: &str) -> String {
    match Place::read(label) {
        Place::Paragraph(number) => t_string!(
            i18n,
            common.search_comment_paragraph,
            author = author,
            number = number
        )
        .to_string(),
        Place::Heading(excerpt) => t_string!(
            i18n,
            common.search_comment_heading,
            author = author,
            excerpt = excerpt
        )
        .to_string(),
        Place::Unnumbered(excerpt) => t_string!(
            i18n,
            common.search_comment_unnumbered,
            author = author,
            excerpt = excerpt
        )
        .to_string(),
        Place::Deleted(id) => t_string!(
            i18n,
            common.search_comment_deleted,
            author = author,
            id = id
        )
        .to_string(),
        _ => t_string!(
            i18n,
            common.search_comment_on,
            author = author,
            place = label
        )
        .to_string(),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|first| first.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn hit_view(i18n: I18n, h: SearchHit, comment: bool) -> impl IntoView {
    let href = match comment {
        true => thread_href(&h.document, &h.paragraph),
        false => format!("/documents/{}#{}", h.document, h.paragraph),
    };
    let place = match &h.author {
        Some(who) => commented_place(i18n, who, &h.label),
        None => place(i18n, &h.label),
    };
    view! {
        <li class="hit">
            <a href=href>{place}</a>
            <span class="muted small">" · " <bdi>{h.title}</bdi></span>
            <p class="excerpt" dir="auto">{h.before}<mark>{h.matched}</mark>{h.after}</p>
        </li>
    }
}
