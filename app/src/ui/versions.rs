//! The versions page, `/documents/{id}/versions`: every version cut so far; for chairs, the
//! form that cuts the next one; any two versions (or a version and the text now) compared
//! paragraph by paragraph, with moved, new and deleted paragraphs shown as such; and any
//! version read on its own (`?v=draft-01`). Plain links and forms, so it reads without
//! JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::parts::diff_view;
use super::parts::error_text;
use super::parts::format_time;
use super::{get_document, NotFound};
use domain::api::{
    Aligned, Change, Comparison, DocumentDetail, ParagraphHistory, Role, Version, VersionSummary,
};

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
        <Suspense fallback=|| view! { <p class="muted">"Loading the versions…"</p> }>
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
fn history_view(h: ParagraphHistory) -> AnyView {
    let name = h
        .steps
        .iter()
        .rev()
        .find_map(|s| s.number.clone())
        .map(|n| format!("paragraph {n}"))
        .unwrap_or_else(|| "this paragraph".into());
    let steps = h
        .steps
        .into_iter()
        .map(|s| {
            let (label, class) = match s.change {
                Change::Same => ("unchanged", "same"),
                Change::Changed => ("changed", "changed"),
                // In the first version cut there is nothing before to be new against.
                Change::New if s.initial => ("first version", "new"),
                Change::New => ("new", "new"),
                Change::Deleted => ("deleted", "deleted"),
            };
            let version = if s.version == "current" { "now".to_string() } else { s.version };
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
    let none = |empty: bool, what: &'static str| {
        empty.then(|| view! { <p class="muted small">{what}</p> })
    };
    let no_amendments = none(h.amendments.is_empty(), "No amendment touched it.");
    let no_answers = none(
        h.answered.is_empty() && h.objections.is_empty(),
        "No comment on it has had a response yet.",
    );
    let amendments = h
        .amendments
        .into_iter()
        .map(|a| {
            let outcome = match a.decision {
                Some(d) => format!("{} by {}: {}", a.status.label(), d.by, d.reason),
                None => a.status.label().to_string(),
            };
            view! {
                <li>
                    <a href=format!("amendments#amendment-{}", a.id)>{format!("Amendment {}", a.id)}</a>
                    {format!(" by {}: “{}” — {outcome}", a.proposer, a.rationale)}
                </li>
            }
        })
        .collect_view();
    let answers = h
        .answered
        .into_iter()
        .filter_map(|c| {
            let r = c.response?;
            let said = c.body.unwrap_or_else(|| "(hidden)".into());
            Some(view! {
                <li>{format!("{}: “{said}” — {} by {}: {}", c.author, r.disposition.label(), r.by, r.reason)}</li>
            })
        })
        .chain(h.objections.into_iter().filter_map(|o| {
            let r = o.response?;
            Some(view! {
                <li>{format!("Objection by {}: “{}” — {} by {}: {}", o.author, o.reason, r.disposition.label(), r.by, r.reason)}</li>
            })
        }))
        .collect_view();
    view! {
        <h2 class="subhead">{format!("History of {name}")}</h2>
        <div class="comparison history" aria-label="Through the versions">{steps}</div>
        <h3 class="subhead">"Amendments"</h3>
        <ul class="history-list">{amendments}</ul>
        {no_amendments}
        <h3 class="subhead">"Chair's responses"</h3>
        <ul class="history-list">{answers}</ul>
        {no_answers}
    }
    .into_any()
}

fn row_view(r: Aligned) -> AnyView {
    let (label, class) = match r.change {
        Change::Same => ("", "same"),
        Change::Changed => ("changed", "changed"),
        Change::New => ("new", "new"),
        Change::Deleted => ("deleted", "deleted"),
    };
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
                {(!label.is_empty()).then(|| view! { <span class=format!("badge change-{class}")>{label}</span> })}
                {r.moved.then(|| view! { <span class="badge change-moved">"moved"</span> })}
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
                    "the text now".to_string()
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
                    <span class="muted small">{format!(" · {} · {}", v.by, format_time(v.at))}</span>
                    <p class="small">{v.summary.clone()}</p>
                    <p class="small exports" aria-label=format!("Download {}", v.name)>
                        "Download: "
                        <a href=export("html") download>"HTML (printable)"</a> " · "
                        <a href=export("text") download>"Text"</a> " · "
                        <a href=export("docx") download>"Word (DOCX)"</a> " · "
                        <a href=export("markdown") download>"Markdown"</a>
                    </p>
                </li>
            }
        })
        .collect_view();
    let cut_form = chair.then(|| {
        let doc = doc.clone();
        view! {
            <details class="tool">
                <summary>"Cut a version of the text as it is now"</summary>
                <ActionForm action=cut node_ref=super::parts::cleared_on_success(cut) attr:class="stack small-form">
                    <input type="hidden" name="doc" value=doc.clone() />
                    <label for="version-name">"Name"</label>
                    <input id="version-name" name="name" value=next required maxlength="40" pattern="[a-z0-9][a-z0-9.\\-]*" />
                    <label for="version-summary">"What changed since the last version"</label>
                    <textarea id="version-summary" name="summary" rows="3" required maxlength="2000">{super::parts::kept_text::<CutVersion>(&[], "summary", String::new())}</textarea>
                    {move || error_text(cut.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <button type="submit" class="button small primary">"Cut version"</button>
                </ActionForm>
            </details>
        }
    });
    let below = match shown {
        Ok(Some(Shown::Comparison(c))) => {
            let changes = c.rows.iter().filter(|r| r.change != Change::Same || r.moved).count();
            view! {
                <h2 class="subhead">{format!("From {} to {}", c.from, if c.to == "current" { "the text now".into() } else { c.to.clone() })}</h2>
                <p class="muted small" role="status">{format!("{changes} of {} paragraphs changed, new, deleted or moved", c.rows.len())}</p>
                <div class="comparison">{c.rows.into_iter().map(row_view).collect_view()}</div>
            }
            .into_any()
        }
        Ok(Some(Shown::Version(v))) => view! {
            <h2 class="subhead">{format!("Version {}", v.about.name)}</h2>
            <p class="muted small">{format!("Cut by {} on {}: {}", v.about.by, format_time(v.about.at), v.about.summary)}</p>
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
        Ok(Some(Shown::History(h))) => history_view(h),
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
                <p aria-label="Consultation report">
                    <strong>"Consultation report"</strong>
                    " (participation, every comment and amendment with its outcome, the decision record): "
                    <a href=report("html") rel="external">"HTML"</a> " · "
                    <a href=report("docx") download>"Word (DOCX)"</a>
                </p>
                {chair.then(|| view! {
                    <p aria-label="The text now">
                        <strong>"The text now"</strong>" (not a version; only chairs export it): "
                        <a href=now("html") download>"HTML"</a> " · "
                        <a href=now("text") download>"Text"</a> " · "
                        <a href=now("docx") download>"Word (DOCX)"</a> " · "
                        <a href=now("markdown") download>"Markdown"</a>
                    </p>
                    <p aria-label="Archive">
                        <strong>"Archive"</strong>" (the whole document with its feedback and decisions, to keep or restore elsewhere): "
                        <a href=format!("{api}/archive") download>"JSON"</a>
                    </p>
                })}
            </div>
        }
    });
    let title = detail.title.clone();
    let doc_href = format!("/documents/{doc}");
    view! {
        <Title text=format!("Versions · {title}") />
        <section class="page versions-page">
            <p class="small"><a href=doc_href>{format!("← {title}")}</a></p>
            <h1>"Versions"</h1>
            {if list.is_empty() {
                view! { <p class="muted">"No version has been cut yet."</p> }.into_any()
            } else {
                view! { <ol class="versions">{rows}</ol> }.into_any()
            }}
            {cut_form}
            {reports}
            <form method="get" action=base.clone() class="filters">
                <label class="small">"Compare"
                    <select name="from">{options(from_default)}</select>
                </label>
                <label class="small">"with"
                    <select name="to">{options(to_default)}</select>
                </label>
                <button type="submit" class="button small">"Compare"</button>
            </form>
            {below}
        </section>
    }
}
