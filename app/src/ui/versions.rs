//! The versions page, `/documents/{id}/versions`: every version cut so far; for chairs, the
//! form that cuts the next one; any two versions (or a version and the text now) compared
//! paragraph by paragraph, with moved, new and deleted paragraphs shown as such; and any
//! version read on its own (`?v=draft-01`). Plain links and forms, so it reads without
//! JavaScript.

use accord_i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::parts::diff_view;
use super::parts::error_text;
use super::parts::format_time;
use super::words;
use super::{get_document, NotFound};
use domain::api::{
    Aligned, Change, Comparison, DocumentDetail, ParagraphHistory, Role, Version, VersionSummary,
};
use domain::profile::Language;

#[server(prefix = "/_fn", endpoint = "get_versions")]
pub async fn get_versions(doc: String) -> Result<Vec<VersionSummary>, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    accord_core::versions::list(&core, &who, &doc)
        .await
        .map_err(crate::serve::page_error)
}

#[server(prefix = "/_fn", endpoint = "get_version")]
pub async fn get_version(doc: String, name: String) -> Result<Version, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    accord_core::versions::get(&core, &who, &doc, &name)
        .await
        .map_err(crate::serve::page_error)
}

#[server(prefix = "/_fn", endpoint = "get_comparison")]
pub async fn get_comparison(
    doc: String,
    from: String,
    to: String,
) -> Result<Comparison, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    accord_core::versions::compare(&core, &who, &doc, &from, &to)
        .await
        .map_err(crate::serve::page_error)
}

#[server(prefix = "/_fn", endpoint = "get_history")]
pub async fn get_history(
    doc: String,
    paragraph: String,
) -> Result<ParagraphHistory, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    accord_core::versions::history(&core, &who, &doc, &paragraph)
        .await
        .map_err(crate::serve::page_error)
}

#[server(prefix = "/_fn", endpoint = "cut_version")]
pub async fn cut_version(doc: String, name: String, summary: String) -> Result<(), ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    accord_core::versions::cut(&core, &who, &doc, domain::api::NewVersion { name, summary })
        .await
        .map(drop)
        .map_err(crate::serve::page_error)?;
    crate::serve::go(&format!("/documents/{doc}/versions"));
    Ok(())
}

/// A chair says which language the text is written in: its exports and report carry it.
#[server(prefix = "/_fn", endpoint = "set_text_language")]
pub async fn set_text_language(doc: String, language: String) -> Result<(), ServerFnError> {
    let language = domain::profile::Language::parse(&language).ok_or_else(|| {
        crate::serve::refused(domain::refusal::Refusal::Choose {
            what: domain::refusal::Choice::Language,
        })
    })?;
    crate::serve::write(&format!("/documents/{doc}/versions"), async |core, who| {
        accord_core::documents::set_language(core, who, &doc, language).await
    })
    .await
}

/// The name the next version would take: `draft-00`, then one more than the highest
/// `draft-NN` so far.
fn next_name(versions: &[VersionSummary]) -> String {
    let next = versions
        .iter()
        .filter_map(|v| v.name.strip_prefix("draft-")?.parse::<u32>().ok())
        .max()
        .map_or(0, |n| n + 1);
    format!("draft-{next:02}")
}

#[component]
pub fn VersionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let doc = Resource::new(id, get_document);
    let cut = ServerAction::<CutVersion>::new();
    let versions = Resource::new(
        move || (id(), cut.version().get()),
        |(d, _)| get_versions(d),
    );
    let asked = move || {
        let q = query.read();
        (q.get("from"), q.get("to"), q.get("v"), q.get("p"))
    };
    let shown = Resource::new(
        move || (id(), asked()),
        |(d, (from, to, v, p))| async move {
            match (from, to, v) {
                _ if p.is_some() => get_history(d, p.unwrap_or_default())
                    .await
                    .map(Shown::History)
                    .map(Some),
                (_, _, Some(v)) => get_version(d, v).await.map(Shown::Version).map(Some),
                (Some(from), Some(to), _) => get_comparison(d, from, to)
                    .await
                    .map(Shown::Comparison)
                    .map(Some),
                _ => Ok(None),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, versions.page_loading)}</p> }>
            {move || Suspend::new(async move {
                match (doc.await, versions.await) {
                    (Ok(Some(detail)), Ok(list)) => {
                        let shown = shown.await;
                        view! { <VersionsView detail list shown cut /> }.into_any()
                    }
                    (Ok(None), _) => view! { <NotFound what="document".to_string() /> }.into_any(),
                    (Err(e), _) | (_, Err(e)) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What the page shows below the list: one version, or a comparison.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum Shown {
    Version(Version),
    Comparison(Comparison),
    History(ParagraphHistory),
}

/// A paragraph's history: each version's text as changed from the one before, then what
/// shaped it.
fn history_view(i18n: words::I18n, h: ParagraphHistory) -> AnyView {
    let title = match h.steps.iter().rev().find_map(|s| s.number.clone()) {
        Some(number) => t_string!(i18n, versions.history_title_numbered, number).to_string(),
        None => t_string!(i18n, versions.history_title_unnumbered).to_string(),
    };
    let steps = h
        .steps
        .into_iter()
        .map(|s| {
            let (label, class) = match s.change {
                Change::Same => (t_string!(i18n, versions.change_unchanged), "same"),
                Change::Changed => (t_string!(i18n, versions.change_changed), "changed"),
                // In the first version cut there is nothing before to be new against.
                Change::New if s.initial => (t_string!(i18n, versions.change_first_version), "new"),
                Change::New => (t_string!(i18n, versions.change_new), "new"),
                Change::Deleted => (t_string!(i18n, versions.change_deleted), "deleted"),
            };
            let label = label.to_string();
            let version = if s.version == "current" {
                t_string!(i18n, versions.history_now).to_string()
            } else {
                s.version
            };
            // The first version of all differs from nothing: its words are shown as they are.
            let diff = match (s.initial, s.text) {
                (true, Some(text)) => vec![domain::api::Piece::Same(text)],
                _ => s.diff,
            };
            view! {
                <div class=format!("cmp-row cmp-{class}")>
                    <span class="cmp-number">{version}</span>
                    <p class="cmp-text">{diff_view(diff)}</p>
                    <span class="cmp-tags"><span class=format!("badge change-{class}")>{label}</span></span>
                </div>
            }
        })
        .collect_view();
    let none =
        |empty: bool, what: String| empty.then(|| view! { <p class="muted small">{what}</p> });
    let no_amendments = none(
        h.amendments.is_empty(),
        t_string!(i18n, versions.history_no_amendments).to_string(),
    );
    let no_answers = none(
        h.answered.is_empty() && h.objections.is_empty(),
        t_string!(i18n, versions.history_no_responses).to_string(),
    );
    let amendments = h
        .amendments
        .into_iter()
        .map(|a| {
            let status = words::amendment_status(i18n, a.status);
            let outcome = match a.decision {
                Some(d) => t_string!(
                    i18n,
                    versions.history_outcome,
                    status,
                    chair = d.by,
                    reason = d.reason
                )
                .to_string(),
                None => status,
            };
            let link = t_string!(i18n, versions.history_amendment_link, number = a.id).to_string();
            let line = t_string!(
                i18n,
                versions.history_amendment_line,
                proposer = a.proposer,
                rationale = a.rationale,
                outcome
            )
            .to_string();
            view! {
                <li>
                    <a href=format!("amendments#amendment-{}", a.id)>{link}</a>
                    " "{line}
                </li>
            }
        })
        .collect_view();
    let answers = h
        .answered
        .into_iter()
        .filter_map(|c| {
            let r = c.response?;
            let comment = c
                .body
                .unwrap_or_else(|| t_string!(i18n, versions.history_hidden).to_string());
            let line = t_string!(
                i18n,
                versions.history_comment_line,
                author = c.author,
                comment,
                disposition = words::disposition(i18n, r.disposition),
                chair = r.by,
                reason = r.reason
            )
            .to_string();
            Some(view! { <li>{line}</li> })
        })
        .chain(h.objections.into_iter().filter_map(|o| {
            let r = o.response?;
            let line = t_string!(
                i18n,
                versions.history_objection_line,
                author = o.author,
                objection = o.reason,
                disposition = words::disposition(i18n, r.disposition),
                chair = r.by,
                reason = r.reason
            )
            .to_string();
            Some(view! { <li>{line}</li> })
        }))
        .collect_view();
    view! {
        <h2 class="subhead">{title}</h2>
        <div class="comparison history" aria-label=t_string!(i18n, versions.history_aria).to_string()>{steps}</div>
        <h3 class="subhead">{t!(i18n, versions.history_amendments)}</h3>
        <ul class="history-list">{amendments}</ul>
        {no_amendments}
        <h3 class="subhead">{t!(i18n, versions.history_responses)}</h3>
        <ul class="history-list">{answers}</ul>
        {no_answers}
    }
    .into_any()
}

fn row_view(i18n: words::I18n, r: Aligned) -> AnyView {
    let (label, class) = match r.change {
        Change::Same => (None, "same"),
        Change::Changed => (Some(t_string!(i18n, versions.change_changed)), "changed"),
        Change::New => (Some(t_string!(i18n, versions.change_new)), "new"),
        Change::Deleted => (Some(t_string!(i18n, versions.change_deleted)), "deleted"),
    };
    let label = label.map(|l| l.to_string());
    let number = match (&r.old_number, &r.new_number) {
        (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
        (_, Some(b)) => b.clone(),
        (Some(a), None) => a.clone(),
        (None, None) => String::new(),
    };
    let heading = r.kind == domain::api::ParagraphKind::Heading;
    view! {
        <div class=format!("cmp-row cmp-{class}") class:moved=r.moved class:heading=heading>
            <span class="cmp-number">{number}</span>
            <p class="cmp-text">{diff_view(r.diff)}</p>
            <span class="cmp-tags">
                {label.map(|label| view! { <span class=format!("badge change-{class}")>{label}</span> })}
                {r.moved.then(|| view! { <span class="badge change-moved">{t!(i18n, versions.change_moved)}</span> })}
            </span>
        </div>
    }
    .into_any()
}

#[component]
fn VersionsView(
    detail: DocumentDetail,
    list: Vec<VersionSummary>,
    shown: Result<Option<Shown>, ServerFnError>,
    cut: ServerAction<CutVersion>,
) -> impl IntoView {
    let i18n = use_i18n();
    let doc = detail.id.clone();
    let base = format!("/documents/{doc}/versions");
    let chair = detail.your_role == Role::Chair;
    let next = next_name(&list);
    let names: Vec<String> = list.iter().map(|v| v.name.clone()).collect();
    let last = names.last().cloned();
    let options = move |selected: Option<String>| {
        let mut all = names.clone();
        all.push("current".into());
        all.into_iter()
            .map(|n| {
                let label = if n == "current" {
                    t_string!(i18n, versions.compare_text_now).to_string()
                } else {
                    n.clone()
                };
                let sel = selected.as_deref() == Some(n.as_str());
                view! { <option value=n selected=sel>{label}</option> }
            })
            .collect_view()
    };
    let (from_default, to_default) = match &shown {
        Ok(Some(Shown::Comparison(c))) => (Some(c.from.clone()), Some(c.to.clone())),
        _ => (last.clone(), Some("current".to_string())),
    };
    let rows = list
        .iter()
        .map(|v| {
            let href = format!("{base}?v={}", v.name);
            let export = |format: &str| format!("/api/v1/documents/{doc}/export?format={format}&version={}", v.name);
            view! {
                <li class="version">
                    <a href=href><strong>{v.name.clone()}</strong></a>
                    <span class="muted small">{format!(" · {} · {}", v.by, format_time(i18n, v.at))}</span>
                    <p class="small">{v.summary.clone()}</p>
                    <p class="small exports" role="group" aria-label=t_string!(i18n, versions.version_download_aria, version = v.name.clone()).to_string()>
                        {t!(i18n, versions.version_download)} " "
                        <a href=export("html") download>{t!(i18n, versions.format_html_printable)}</a> " · "
                        <a href=export("text") download>{t!(i18n, versions.format_text)}</a> " · "
                        <a href=export("docx") download>{t!(i18n, versions.format_docx)}</a> " · "
                        <a href=export("markdown") download>{t!(i18n, versions.format_markdown)}</a>
                    </p>
                </li>
            }
        })
        .collect_view();
    let language_form = chair.then(|| {
        let set = ServerAction::<SetTextLanguage>::new();
        let doc = doc.clone();
        let current = detail.language;
        view! {
            <details class="tool">
                <summary>{t!(i18n, versions.language_title)}</summary>
                <ActionForm action=set attr:class="stack small-form">
                    <input type="hidden" name="doc" value=doc />
                    <p class="small muted">{t!(i18n, versions.language_hint)}</p>
                    <label for="text-language">{t!(i18n, versions.language_label)}</label>
                    <select id="text-language" name="language">
                        {Language::ALL.iter().map(|l| view! {
                            <option value=l.key() lang=l.key() selected=*l == current>{l.label()}</option>
                        }).collect_view()}
                    </select>
                    {move || error_text(set.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    {move || set.value().get().is_some_and(|r| r.is_ok()).then(|| view! {
                        <p class="saved" role="status">{t!(i18n, versions.language_saved)}</p>
                    })}
                    <button type="submit" class="button small">{t!(i18n, versions.language_submit)}</button>
                </ActionForm>
            </details>
        }
    });
    let cut_form = chair.then(|| {
        let doc = doc.clone();
        view! {
            <details class="tool">
                <summary>{t!(i18n, versions.cut_title)}</summary>
                <ActionForm action=cut node_ref=super::parts::cleared_on_success(cut) attr:class="stack small-form">
                    <input type="hidden" name="doc" value=doc.clone() />
                    <label for="version-name">{t!(i18n, versions.cut_name)}</label>
                    <input id="version-name" name="name" value=next required maxlength="40" pattern="[a-z0-9][a-z0-9.\\-]*" />
                    <label for="version-summary">{t!(i18n, versions.cut_summary)}</label>
                    <textarea id="version-summary" name="summary" rows="3" required maxlength="2000">{super::parts::kept_text::<CutVersion>(&[], "summary", String::new())}</textarea>
                    {move || error_text(cut.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <button type="submit" class="button small primary">{t!(i18n, versions.cut_submit)}</button>
                </ActionForm>
            </details>
        }
    });
    let below = match shown {
        Ok(Some(Shown::Comparison(c))) => {
            let changes = c.rows.iter().filter(|r| r.change != Change::Same || r.moved).count();
            let to = if c.to == "current" {
                t_string!(i18n, versions.compare_text_now).to_string()
            } else {
                c.to.clone()
            };
            let heading = t_string!(i18n, versions.compare_heading, from = c.from.clone(), to).to_string();
            let summary = t_string!(i18n, versions.compare_summary, changes, count = c.rows.len()).to_string();
            view! {
                <h2 class="subhead">{heading}</h2>
                <p class="muted small" role="status">{summary}</p>
                <div class="comparison">{c.rows.into_iter().map(|r| row_view(i18n, r)).collect_view()}</div>
            }
            .into_any()
        }
        Ok(Some(Shown::Version(v))) => view! {
            <h2 class="subhead">{t_string!(i18n, versions.version_heading, name = v.about.name).to_string()}</h2>
            <p class="muted small">{t_string!(i18n, versions.version_cut_by, chair = v.about.by, time = format_time(i18n, v.about.at), summary = v.about.summary).to_string()}</p>
            <article class="version-text">
                <h3 class="doc-title">{v.title}</h3>
                {v.paragraphs.into_iter().map(|p| {
                    let heading = p.kind == domain::api::ParagraphKind::Heading;
                    view! {
                        <div class="cmp-row cmp-same" class:heading=heading>
                            <span class="cmp-number">{p.number.unwrap_or_default()}</span>
                            <p class="cmp-text">{p.text}</p>
                        </div>
                    }
                }).collect_view()}
            </article>
        }
        .into_any(),
        Ok(Some(Shown::History(h))) => history_view(i18n, h),
        Ok(None) => ().into_any(),
        Err(e) => view! { <p class="error" role="alert">{error_text(Some(Err::<(), _>(e)))}</p> }.into_any(),
    };
    let closed = detail.schedule.phase == domain::api::Phase::Closed;
    let reports = (chair || closed).then(|| {
        let api = format!("/api/v1/documents/{doc}");
        let now = |format: &str| format!("{api}/export?format={format}");
        let report = |format: &str| format!("{api}/report?format={format}");
        view! {
            <div class="tool-links small">
                <p>
                    <strong>{t!(i18n, versions.report_title)}</strong>
                    " " {t!(i18n, versions.report_hint)} " "
                    <a href=report("html") rel="external">{t!(i18n, versions.format_html)}</a> " · "
                    <a href=report("docx") download>{t!(i18n, versions.format_docx)}</a>
                </p>
                {chair.then(|| view! {
                    <p>
                        <strong>{t!(i18n, versions.export_now_title)}</strong>
                        " " {t!(i18n, versions.export_now_hint)} " "
                        <a href=now("html") download>{t!(i18n, versions.format_html)}</a> " · "
                        <a href=now("text") download>{t!(i18n, versions.format_text)}</a> " · "
                        <a href=now("docx") download>{t!(i18n, versions.format_docx)}</a> " · "
                        <a href=now("markdown") download>{t!(i18n, versions.format_markdown)}</a>
                    </p>
                    <p>
                        <strong>{t!(i18n, versions.archive_title)}</strong>
                        " " {t!(i18n, versions.archive_hint)} " "
                        <a href=format!("{api}/archive") download>{t!(i18n, versions.format_json)}</a>
                    </p>
                })}
            </div>
        }
    });
    let title = detail.title.clone();
    let doc_href = format!("/documents/{doc}");
    view! {
        <Title text=t_string!(i18n, versions.page_title, title = title.clone()).to_string() />
        <section class="page versions-page">
            <p class="small"><a href=doc_href>{t_string!(i18n, versions.page_back, title).to_string()}</a></p>
            <h1>{t!(i18n, versions.page_heading)}</h1>
            <super::outputs::PublishedAs detail=detail.clone() />
            {if list.is_empty() {
                view! { <p class="muted">{t!(i18n, versions.page_none)}</p> }.into_any()
            } else {
                view! { <ol class="versions">{rows}</ol> }.into_any()
            }}
            {cut_form}
            {language_form}
            {reports}
            <form method="get" action=base.clone() class="filters">
                <label class="small">{t!(i18n, versions.compare_label)}
                    <select name="from">{options(from_default)}</select>
                </label>
                <label class="small">{t!(i18n, versions.compare_with)}
                    <select name="to">{options(to_default)}</select>
                </label>
                <button type="submit" class="button small">{t!(i18n, versions.compare_submit)}</button>
            </form>
            {below}
        </section>
    }
}
