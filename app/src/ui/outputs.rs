//! Published outputs: the public index of the series (`/outputs`, searchable and filterable,
//! with its Atom feed), each number's permanent page (`/outputs/{n}`: front matter, the text,
//! how the threshold was met, downloads, citations, the consultation behind it), a chair's
//! publication form (`/documents/{id}/publish`) and the line on a closed document that says
//! what it became. Every form is a plain GET or POST: all of it works without JavaScript.

use accord_i18n::{t, t_string, use_i18n};
use domain::api::{DocumentDetail, Output, OutputSummary, Outputs, Publication};
use leptos::prelude::*;
use leptos_meta::{Link, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::parts::{error_text, LocalTime};
use super::words::I18n;
use super::NotFound;

#[server(prefix = "/_fn", endpoint = "outputs")]
pub async fn list_outputs(
    q: Option<String>,
    status: Option<String>,
    group: Option<String>,
) -> Result<Outputs, ServerFnError> {
    let (core, _) = crate::serve::requester().await?;
    let filter = accord_core::outputs::Filter { q, status, group };
    accord_core::outputs::list(&core, &filter)
        .await
        .map_err(crate::serve::page_error)
}

/// Number `number`; `None` if there is none.
#[server(prefix = "/_fn", endpoint = "output")]
pub async fn get_output(number: String) -> Result<Option<Output>, ServerFnError> {
    let (core, _) = crate::serve::requester().await?;
    let Ok(n) = number.parse::<i64>() else {
        return Ok(None);
    };
    match accord_core::outputs::get(&core, n).await {
        Ok(o) => Ok(Some(o)),
        Err(e) if e.status() == 404 => Ok(None),
        Err(e) => Err(crate::serve::page_error(e)),
    }
}

#[server(prefix = "/_fn", endpoint = "publication")]
pub async fn get_publication(doc: String) -> Result<Publication, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    accord_core::outputs::publication(&core, &who, &doc)
        .await
        .map_err(crate::serve::page_error)
}

/// Numbers as typed in a form ("3, 7"); refuses what is not a number.
#[cfg(feature = "ssr")]
fn numbers(typed: &str) -> Result<Vec<u32>, ServerFnError> {
    typed
        .split([',', ' ', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.rsplit(' ')
                .next()
                .unwrap_or(t)
                .parse::<u32>()
                .map_err(|_| {
                    crate::serve::refused(domain::refusal::Refusal::unknown(
                        domain::refusal::Thing::Output,
                        t,
                    ))
                })
        })
        .collect()
}

/// A chair publishes the document; the browser goes to the new number's page.
#[server(prefix = "/_fn", endpoint = "publish")]
pub async fn publish_output(
    doc: String,
    status: String,
    #[server(default)] updates: String,
    #[server(default)] obsoletes: String,
    #[server(default)] override_reason: String,
) -> Result<(), ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    let req = domain::api::Publish {
        status,
        updates: numbers(&updates)?,
        obsoletes: numbers(&obsoletes)?,
        override_reason: Some(override_reason).filter(|r| !r.trim().is_empty()),
    };
    let o = accord_core::outputs::publish(&core, &who, &doc, req)
        .await
        .map_err(crate::serve::page_error)?;
    crate::serve::go(&format!("/outputs/{}", o.summary.number));
    Ok(())
}

/// The labels of `numbers` as links to their pages, in the series of `label`.
fn number_links(label: &str, numbers: &[u32]) -> impl IntoView {
    numbers
        .iter()
        .zip(domain::series::labels_like(label, numbers))
        .enumerate()
        .map(|(i, (n, shown))| {
            let sep = (i > 0).then_some(", ");
            view! { {sep}<a href=format!("/outputs/{n}")>{shown}</a> }
        })
        .collect_view()
}

/// The links of a number, each kind on its own line: "Obsoletes IGF-O 3".
fn links_view(i18n: I18n, o: &OutputSummary) -> impl IntoView {
    let label = o.label.clone();
    let line = |words: String, numbers: &[u32]| {
        (!numbers.is_empty()).then(|| {
            view! { <span class="output-link">{words}" "{number_links(&label, numbers)}</span> }
        })
    };
    view! {
        {line(t_string!(i18n, outputs.updates).to_string(), &o.updates)}
        {line(t_string!(i18n, outputs.obsoletes).to_string(), &o.obsoletes)}
        {line(t_string!(i18n, outputs.updated_by).to_string(), &o.updated_by)}
        {line(t_string!(i18n, outputs.obsoleted_by).to_string(), &o.obsoleted_by)}
    }
}

/// `/outputs`: every published number, newest first, with a search and filters.
#[component]
pub fn OutputsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let asked = move || {
        let q = query.read();
        (q.get("q"), q.get("status"), q.get("group"))
    };
    let list = Resource::new(asked, |(q, status, group)| list_outputs(q, status, group));
    view! {
        <Title text=move || t_string!(i18n, outputs.index_title).to_string() />
        <Link rel="alternate" type_="application/atom+xml" href="/outputs.atom" />
        <section class="form-page outputs-page">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(all) => index_view(i18n, all, asked()).into_any(),
                        Err(e) => view! { <p class="error" role="alert">{error_text(Some(Err::<(), _>(e)))}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn index_view(
    i18n: I18n,
    all: Outputs,
    (q, status, group): (Option<String>, Option<String>, Option<String>),
) -> impl IntoView {
    let filtered = q.is_some() || status.is_some() || group.is_some();
    let mut groups: Vec<String> = all.outputs.iter().map(|o| o.group.clone()).collect();
    groups.sort();
    groups.dedup();
    let (status, group) = (status.unwrap_or_default(), group.unwrap_or_default());
    let count = all.outputs.len();
    let empty = match filtered {
        true => t_string!(i18n, outputs.none_found).to_string(),
        false => t_string!(i18n, outputs.none_yet).to_string(),
    };
    view! {
        <h1><bdi>{all.series.name.clone()}</bdi></h1>
        <p class="muted">{t!(i18n, outputs.index_intro)}</p>
        <p><a href="/outputs.atom" class="small">{t!(i18n, outputs.feed)}</a></p>
        <form method="get" action="/outputs" class="filters outputs-filters" role="search">
            <label for="o-q">{t!(i18n, outputs.search_label)}</label>
            <input id="o-q" name="q" type="search" value=q.unwrap_or_default() maxlength="100" />
            <label for="o-status">{t!(i18n, outputs.status_label)}</label>
            <select id="o-status" name="status">
                <option value="">{t!(i18n, outputs.any)}</option>
                {all.series.statuses.iter().map(|s| view! {
                    <option value=s.clone() selected=*s == status>{s.clone()}</option>
                }).collect_view()}
            </select>
            <label for="o-group">{t!(i18n, outputs.group_label)}</label>
            <select id="o-group" name="group">
                <option value="">{t!(i18n, outputs.any)}</option>
                {groups.into_iter().map(|g| view! {
                    <option value=g.clone() selected=g == group>{g.clone()}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="button">{t!(i18n, outputs.filter)}</button>
        </form>
        <p class="muted small" role="status">{t!(i18n, outputs.count, count = count)}</p>
        {match all.outputs.is_empty() {
            true => view! { <p class="muted">{empty}</p> }.into_any(),
            false => view! {
                <div class="table-scroll">
                <table class="outputs">
                    <thead><tr>
                        <th scope="col">{t!(i18n, outputs.col_number)}</th>
                        <th scope="col">{t!(i18n, outputs.col_title)}</th>
                        <th scope="col">{t!(i18n, outputs.col_status)}</th>
                        <th scope="col">{t!(i18n, outputs.col_group)}</th>
                        <th scope="col">{t!(i18n, outputs.col_date)}</th>
                        <th scope="col">{t!(i18n, outputs.col_links)}</th>
                    </tr></thead>
                    <tbody>
                        {all.outputs.into_iter().map(|o| view! {
                            <tr>
                                <td class="nowrap"><a href=format!("/outputs/{}", o.number)>{o.label.clone()}</a></td>
                                <td><a href=format!("/outputs/{}", o.number)><bdi>{o.title.clone()}</bdi></a></td>
                                <td><bdi>{o.status.clone()}</bdi></td>
                                <td><bdi>{o.group.clone()}</bdi></td>
                                <td class="nowrap"><LocalTime at=o.published_at /></td>
                                <td class="output-links">{links_view(i18n, &o)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            }.into_any(),
        }}
    }
}

/// `/outputs/{n}`: one number, as permanent as its text.
#[component]
pub fn OutputPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let number = move || params.read().get("number").unwrap_or_default();
    let output = Resource::new(number, get_output);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match output.await {
                    Ok(Some(o)) => output_view(i18n, o).into_any(),
                    Ok(None) => view! { <NotFound what="output".to_string() /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{error_text(Some(Err::<(), _>(e)))}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn output_view(i18n: I18n, o: Output) -> impl IntoView {
    let s = o.summary.clone();
    let n = s.number;
    let api = format!("/api/v1/outputs/{n}");
    let doc = o.document.clone();
    let title = format!("{}: {}", s.label, s.title);
    let lang = o.language.key();
    let dir = if lang == "ar" { "rtl" } else { "auto" };
    let replaced = (!s.obsoleted_by.is_empty()).then(|| {
        view! { <p class="notice warn" role="note">{t!(i18n, outputs.obsoleted_by)}": "{number_links(&s.label, &s.obsoleted_by)}</p> }
    });
    let updated = (!s.updated_by.is_empty()).then(|| {
        view! { <p class="notice" role="note">{t!(i18n, outputs.updated_by)}": "{number_links(&s.label, &s.updated_by)}</p> }
    });
    let conditions = o.evaluation.conditions.clone();
    let paragraphs = o.text.paragraphs.clone();
    let endorsements = o.endorsements.clone();
    view! {
        <Title text=title.clone() />
        <article class="output-page">
            <p class="crumbs"><a href="/outputs">{t!(i18n, outputs.index_title)}</a></p>
            {replaced}
            {updated}
            <dl class="front-matter">
                <dt>{t!(i18n, outputs.front_series)}</dt><dd><bdi>{o.series.clone()}</bdi></dd>
                <dt>{t!(i18n, outputs.front_number)}</dt><dd><strong>{s.label.clone()}</strong></dd>
                <dt>{t!(i18n, outputs.front_status)}</dt><dd><bdi>{s.status.clone()}</bdi></dd>
                <dt>{t!(i18n, outputs.front_group)}</dt><dd><bdi>{s.group.clone()}</bdi></dd>
                <dt>{t!(i18n, outputs.front_date)}</dt><dd><LocalTime at=s.published_at /></dd>
                <dt>{t!(i18n, outputs.front_by)}</dt><dd><bdi>{o.published_by.clone()}</bdi></dd>
                {(!s.updates.is_empty()).then(|| view! {
                    <dt>{t!(i18n, outputs.updates)}</dt><dd>{number_links(&s.label, &s.updates)}</dd>
                })}
                {(!s.obsoletes.is_empty()).then(|| view! {
                    <dt>{t!(i18n, outputs.obsoletes)}</dt><dd>{number_links(&s.label, &s.obsoletes)}</dd>
                })}
            </dl>
            <div class="output-text" lang=lang dir=dir>
                <h1>{o.text.title.clone()}</h1>
                {paragraphs.into_iter().map(|p| match p.kind {
                    domain::ParagraphKind::Heading => view! { <h2>{p.text}</h2> }.into_any(),
                    kind => view! {
                        <div class=if kind == domain::ParagraphKind::Sub { "p sub" } else { "p" }>
                            <span class="n">{p.number.unwrap_or_default()}</span>
                            <p>{p.text}</p>
                        </div>
                    }.into_any(),
                }).collect_view()}
            </div>
            <section aria-labelledby="o-threshold">
                <h2 id="o-threshold">{t!(i18n, outputs.threshold_heading)}</h2>
                {match conditions.is_empty() {
                    true => view! { <p>{t!(i18n, outputs.no_threshold)}</p> }.into_any(),
                    false => conditions_table(i18n, conditions).into_any(),
                }}
                {o.override_reason.clone().map(|r| view! {
                    <p class="notice warn"><bdi>{t!(i18n, outputs.overridden, reason = r.clone())}</bdi></p>
                })}
                <p class="small muted hash">{t!(i18n, outputs.text_hash, hash = o.text_hash.clone())}</p>
            </section>
            {(!endorsements.is_empty()).then(|| view! {
                <section aria-labelledby="o-endorsed">
                    <h2 id="o-endorsed">{t!(i18n, outputs.endorsed_by)}</h2>
                    <ul>{endorsements.into_iter().map(|e| view! { <li><bdi>{e}</bdi></li> }).collect_view()}</ul>
                </section>
            })}
            <section aria-labelledby="o-download">
                <h2 id="o-download">{t!(i18n, outputs.download)}</h2>
                <ul class="downloads">
                    <li><a href=format!("{api}/export?format=html")>{t!(i18n, outputs.format_html)}</a></li>
                    <li><a href=format!("{api}/export?format=docx")>{t!(i18n, outputs.format_docx)}</a></li>
                    <li><a href=format!("{api}/export?format=text")>{t!(i18n, outputs.format_text)}</a></li>
                    <li><a href=format!("{api}/export?format=markdown")>{t!(i18n, outputs.format_markdown)}</a></li>
                </ul>
            </section>
            <section aria-labelledby="o-cite">
                <h2 id="o-cite">{t!(i18n, outputs.cite_heading)}</h2>
                <Citation number=n />
                <ul class="downloads">
                    <li><a href=format!("{api}/citation?format=bibtex")>{t!(i18n, outputs.cite_bibtex)}</a></li>
                    <li><a href=format!("{api}/citation?format=csl")>{t!(i18n, outputs.cite_csl)}</a></li>
                </ul>
            </section>
            <section aria-labelledby="o-consultation">
                <h2 id="o-consultation">{t!(i18n, outputs.consultation_heading)}</h2>
                <ul>
                    <li><a href=format!("/documents/{doc}")>{t!(i18n, outputs.consultation_document)}</a></li>
                    <li><a href=format!("/documents/{doc}/versions")>{t!(i18n, outputs.consultation_versions)}</a></li>
                    <li><a href=format!("/api/v1/documents/{doc}/report?format=html")>{t!(i18n, outputs.consultation_report)}</a></li>
                    <li><a href=format!("/api/v1/documents/{doc}/record")>{t!(i18n, outputs.consultation_record)}</a></li>
                </ul>
            </section>
        </article>
    }
}

/// The citation in running text, as the server writes it (with the permanent address).
#[server(prefix = "/_fn", endpoint = "output_citation")]
pub async fn output_citation(number: u32) -> Result<String, ServerFnError> {
    let (core, _) = crate::serve::requester().await?;
    let e = accord_core::outputs::citation(&core, i64::from(number), "text")
        .await
        .map_err(crate::serve::page_error)?;
    Ok(String::from_utf8_lossy(&e.body).trim().to_string())
}

#[component]
fn Citation(number: u32) -> impl IntoView {
    let text = Resource::new(move || number, output_citation);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                text.await.ok().map(|c| view! { <p class="citation"><code>{c}</code></p> })
            })}
        </Suspense>
    }
}

fn conditions_table(i18n: I18n, conditions: Vec<domain::api::ConditionResult>) -> impl IntoView {
    view! {
        <div class="table-scroll">
        <table class="conditions">
            <thead><tr>
                <th scope="col">{t!(i18n, outputs.col_condition)}</th>
                <th scope="col">{t!(i18n, outputs.col_asked)}</th>
                <th scope="col">{t!(i18n, outputs.col_found)}</th>
                <th scope="col">{t!(i18n, outputs.col_met)}</th>
            </tr></thead>
            <tbody>
                {conditions.into_iter().map(|c| {
                    let name = condition(i18n, c.condition);
                    view! {
                        <tr class=if c.met { "met" } else { "not-met" }>
                            <th scope="row">{name}</th>
                            <td>{c.required}</td>
                            <td>{c.found}</td>
                            <td>{match c.met {
                                true => view! { <span>"✓ "{t!(i18n, outputs.yes)}</span> }.into_any(),
                                false => view! { <strong>"✗ "{t!(i18n, outputs.no)}</strong> }.into_any(),
                            }}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}

fn condition(i18n: I18n, c: domain::series::Condition) -> String {
    use domain::series::Condition::*;
    match c {
        NoUnansweredObjections => t_string!(i18n, outputs.condition_objections),
        GroupsWithText => t_string!(i18n, outputs.condition_groups),
        Participants => t_string!(i18n, outputs.condition_participants),
        Regions => t_string!(i18n, outputs.condition_regions),
        ConsultationDays => t_string!(i18n, outputs.condition_days),
    }
    .to_string()
}

/// On every page of a closed consultation: the number it became, or a chair's way to publish
/// it. Read from the document's detail, which the pages load anyway.
#[component]
pub fn PublishedAs(detail: DocumentDetail) -> impl IntoView {
    let i18n = use_i18n();
    match (detail.published, detail.you_may_publish) {
        (Some(o), _) => view! {
            <p class="published-as"><a class="button small" href=format!("/outputs/{}", o.number)>
                {t!(i18n, outputs.published_as, label = o.label)}
            </a></p>
        }
        .into_any(),
        (None, true) => view! {
            <p class="published-as"><a class="button small primary" href=format!("/documents/{}/publish", detail.id)>
                {t!(i18n, outputs.publish_link)}
            </a></p>
        }
        .into_any(),
        (None, false) => ().into_any(),
    }
}

/// `/documents/{id}/publish`: the rule against the figures, and a chair's form.
#[component]
pub fn PublishPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let doc = Resource::new(id, super::get_document);
    let publication = Resource::new(id, get_publication);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match (doc.await, publication.await) {
                    (Ok(Some(d)), Ok(p)) => publish_view(i18n, d, p).into_any(),
                    (Ok(None), _) => view! { <NotFound what="document".to_string() /> }.into_any(),
                    (Err(e), _) | (_, Err(e)) => view! { <p class="error" role="alert">{error_text(Some(Err::<(), _>(e)))}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn publish_view(i18n: I18n, d: domain::api::DocumentDetail, p: Publication) -> impl IntoView {
    let action = ServerAction::<PublishOutput>::new();
    let back = format!("/documents/{}", d.id);
    let title = d.title.clone();
    let met = p.evaluation.met;
    let conditions = p.evaluation.conditions.clone();
    let series = p.series.name.clone();
    let form = match (&p.published, p.may_publish) {
        (Some(o), _) => view! {
            <p class="notice"><a href=format!("/outputs/{}", o.number)>{t!(i18n, outputs.published, label = o.label.clone())}</a></p>
        }.into_any(),
        (None, false) => view! { <p class="notice">{t!(i18n, outputs.not_closed)}</p> }.into_any(),
        (None, true) => {
            let statuses = p.series.statuses.clone();
            let earlier = p.earlier.clone();
            let doc = d.id.clone();
            view! {
                <ActionForm action attr:class="stack publish-form">
                    <input type="hidden" name="doc" value=doc />
                    <label for="p-status">{t!(i18n, outputs.choose_status)}</label>
                    <select id="p-status" name="status" required>
                        {statuses.into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                    </select>
                    <fieldset>
                        <legend>{t!(i18n, outputs.links_legend)}</legend>
                        <p class="small muted" id="p-earlier">
                            {earlier.iter().map(|o| format!("{} · {}", o.label, o.title)).collect::<Vec<_>>().join(" — ")}
                        </p>
                        <label for="p-updates">{t!(i18n, outputs.link_updates)}</label>
                        <input id="p-updates" name="updates" type="text" inputmode="numeric" aria-describedby="p-earlier" placeholder="3, 7" />
                        <label for="p-obsoletes">{t!(i18n, outputs.link_obsoletes)}</label>
                        <input id="p-obsoletes" name="obsoletes" type="text" inputmode="numeric" aria-describedby="p-earlier" placeholder="2" />
                    </fieldset>
                    {(!met).then(|| view! {
                        <label for="p-reason">{t!(i18n, outputs.override_label)}</label>
                        <textarea id="p-reason" name="override_reason" rows="3" required maxlength="2000"></textarea>
                    })}
                    {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <div class="actions"><button type="submit" class="button primary">{t!(i18n, outputs.publish_button)}</button></div>
                </ActionForm>
            }.into_any()
        }
    };
    view! {
        <Title text=move || t_string!(i18n, outputs.publish_link).to_string() />
        <section class="form-page publish-page">
            <p class="crumbs"><a href=back>{t!(i18n, outputs.consultation_document)}</a></p>
            <h1>{t!(i18n, outputs.publish_title, title = title.clone())}</h1>
            <p class="muted">{t!(i18n, outputs.publish_intro, series = series.clone())}</p>
            <h2>{t!(i18n, outputs.threshold_rule)}</h2>
            <p class="small muted">{t!(i18n, outputs.rule_fixed)}</p>
            {match conditions.is_empty() {
                true => view! { <p>{t!(i18n, outputs.no_threshold)}</p> }.into_any(),
                false => conditions_table(i18n, conditions).into_any(),
            }}
            <p class=if met { "notice" } else { "notice warn" } role="status">
                {match met {
                    true => t_string!(i18n, outputs.all_met).to_string(),
                    false => t_string!(i18n, outputs.not_all_met).to_string(),
                }}
            </p>
            {form}
        </section>
    }
}

#[server(prefix = "/_fn", endpoint = "series")]
pub async fn series_settings() -> Result<domain::api::Series, ServerFnError> {
    let (core, _) = crate::serve::requester().await?;
    accord_core::outputs::series(&core)
        .await
        .map_err(crate::serve::page_error)
}

/// An admin names the series; `statuses` holds one per line.
#[server(prefix = "/_fn", endpoint = "set_series")]
pub async fn set_series(
    name: String,
    prefix: String,
    statuses: String,
) -> Result<(), ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    let s = domain::api::Series {
        name,
        prefix,
        statuses: statuses.lines().map(String::from).collect(),
    };
    accord_core::outputs::set_series(&core, &who, s)
        .await
        .map_err(crate::serve::page_error)?;
    crate::serve::go("/outputs");
    Ok(())
}

/// The admin's form for the series, on the home page.
#[component]
pub fn SeriesForm() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetSeries>::new();
    let series = Resource::new(|| (), |_| series_settings());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let s = series.await.ok()?;
                Some(view! {
                    <ActionForm action attr:class="stack inline-stack series-form">
                        <h3>{t!(i18n, outputs.series_title)}</h3>
                        <label for="sr-name">{t!(i18n, outputs.series_name)}</label>
                        <input id="sr-name" name="name" type="text" required maxlength="80" value=s.name />
                        <label for="sr-prefix">{t!(i18n, outputs.series_prefix)}</label>
                        <input id="sr-prefix" name="prefix" type="text" required maxlength="12"
                            pattern="[A-Za-z][A-Za-z0-9\\-]*" value=s.prefix />
                        <label for="sr-statuses">{t!(i18n, outputs.series_statuses)}</label>
                        <textarea id="sr-statuses" name="statuses" rows="4" required>{s.statuses.join("\n")}</textarea>
                        {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                        <div class="actions"><button type="submit" class="button">{t!(i18n, outputs.series_save)}</button></div>
                    </ActionForm>
                })
            })}
        </Suspense>
    }
}

#[server(prefix = "/_fn", endpoint = "threshold")]
pub async fn get_threshold(group: String) -> Result<domain::api::ThresholdView, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    accord_core::outputs::threshold(&core, &who, &group)
        .await
        .map_err(crate::serve::page_error)
}

/// A condition's figure as typed (empty: not asked), or the refusal that names its limit.
#[cfg(feature = "ssr")]
fn asked(typed: &str, c: domain::series::Condition) -> Result<u32, ServerFnError> {
    match typed.trim() {
        "" => Ok(0),
        t => t.parse::<u32>().map_err(|_| {
            crate::serve::refused(domain::refusal::Refusal::ConditionTooHigh {
                condition: c.key(),
                limit: domain::series::limit(c),
            })
        }),
    }
}

/// A group's chairs (or an admin) set its threshold rule.
#[server(prefix = "/_fn", endpoint = "set_threshold")]
pub async fn set_threshold(
    group: String,
    #[server(default)] objections: Option<String>,
    #[server(default)] groups_with_text: String,
    #[server(default)] participants: String,
    #[server(default)] regions: String,
    #[server(default)] consultation_days: String,
) -> Result<(), ServerFnError> {
    use domain::series::Condition;
    let (core, who) = crate::serve::requester().await?;
    let rule = domain::api::Threshold {
        no_unanswered_objections: objections.is_some(),
        groups_with_text: asked(&groups_with_text, Condition::GroupsWithText)?,
        participants: asked(&participants, Condition::Participants)?,
        regions: asked(&regions, Condition::Regions)?,
        consultation_days: asked(&consultation_days, Condition::ConsultationDays)?,
    };
    accord_core::outputs::set_threshold(&core, &who, &group, rule)
        .await
        .map_err(crate::serve::page_error)?;
    crate::serve::go(&format!("/groups/{group}"));
    Ok(())
}

/// A group's threshold rule on its page: a form for whoever may set it, the rule for others.
#[component]
pub fn ThresholdForm(group: String) -> impl IntoView {
    use domain::series::{limit, Condition};
    let i18n = use_i18n();
    let action = ServerAction::<SetThreshold>::new();
    let id = group.clone();
    let view_of = Resource::new(
        move || (group.clone(), action.version().get()),
        |(g, _)| get_threshold(g),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let id = id.clone();
                Suspend::new(async move {
                let v = view_of.await.ok()?;
                let r = v.rule.clone();
                let number = move |id: &'static str, name: &'static str, label: String, value: u32, c: Condition| {
                    // 0 asks nothing: the field is left empty.
                    let shown = if value > 0 { value.to_string() } else { String::new() };
                    view! {
                        <label for=id>{label}</label>
                        <input id=id name=name type="number" min="0" max=limit(c).to_string()
                            value=shown disabled=!v.you_may_set />
                    }
                };
                let set_by = v.set_by.clone().zip(v.set_at).map(|(name, at)| view! {
                    <p class="small muted">{t!(i18n, outputs.rule_set_by, name = name.clone(), date = move || view! { <LocalTime at /> })}</p>
                });
                Some(view! {
                    <section class="threshold" aria-labelledby="th-heading">
                        <h2 id="th-heading">{t!(i18n, outputs.threshold_title)}</h2>
                        <p class="small muted">{t!(i18n, outputs.threshold_intro)}</p>
                        <ActionForm action attr:class="stack inline-stack threshold-form">
                            <input type="hidden" name="group" value=id />
                            <label class="check">
                                <input type="checkbox" name="objections" value="1" checked=r.no_unanswered_objections disabled=!v.you_may_set />
                                " " {t!(i18n, outputs.rule_objections)}
                            </label>
                            {number("th-groups", "groups_with_text", t_string!(i18n, outputs.rule_groups).to_string(), r.groups_with_text, Condition::GroupsWithText)}
                            {number("th-participants", "participants", t_string!(i18n, outputs.rule_participants).to_string(), r.participants, Condition::Participants)}
                            {number("th-regions", "regions", t_string!(i18n, outputs.rule_regions).to_string(), r.regions, Condition::Regions)}
                            {number("th-days", "consultation_days", t_string!(i18n, outputs.rule_days).to_string(), r.consultation_days, Condition::ConsultationDays)}
                            {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                            {v.you_may_set.then(|| view! {
                                <div class="actions"><button type="submit" class="button">{t!(i18n, outputs.rule_save)}</button></div>
                            })}
                        </ActionForm>
                        {set_by}
                    </section>
                })
            })}}
        </Suspense>
    }
}
