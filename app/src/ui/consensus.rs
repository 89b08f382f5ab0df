//! The consensus map: the whole document as a column of paragraphs, each drawn with its
//! support and objections and how every stakeholder group and region stands on it, with the
//! flags that point a chair at what needs a look; then the participation balance as charts.
//!
//! Everything is SVG and text rendered on the server, so the map reads without JavaScript; in
//! the browser it listens on the document's WebSocket and redraws a paragraph as soon as its
//! feedback changes.

use super::parts::excerpt;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::feedback::get_feedback;
use super::parts::thread_href;
use super::{get_document, NotFound};
use domain::api::{Balance, DocumentDetail, DocumentFeedback, ParagraphConsensus, ParagraphKind};
use domain::{
    charts::{self, MapRow},
    profile::Gender,
};

#[component]
pub fn ConsensusPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let doc = Resource::new(id, get_document);
    let feedback = Resource::new(id, |id| get_feedback(id, false));
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading the consensus map…"</p> }>
            {move || Suspend::new(async move {
                match (doc.await, feedback.await) {
                    (Ok(Some(detail)), Ok(feedback)) => view! { <MapView detail feedback /> }.into_any(),
                    (Ok(None), _) => view! { <NotFound what="document".to_string() /> }.into_any(),
                    (Err(e), _) | (_, Err(e)) => {
                        view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn MapView(detail: DocumentDetail, feedback: DocumentFeedback) -> impl IntoView {
    let doc_id = detail.id.clone();
    let figures = RwSignal::new(feedback.paragraphs);
    let balance = RwSignal::new(feedback.balance);
    #[cfg(feature = "hydrate")]
    {
        let doc_id = doc_id.clone();
        let stop = super::live::watch(doc_id.clone(), move |c| {
            figures.update(|all| {
                if let Some(slot) = all.iter_mut().find(|f| f.paragraph == c.paragraph) {
                    *slot = c;
                }
            });
            super::live::debounce("balance", 800, {
                let doc_id = doc_id.clone();
                move || {
                    leptos::task::spawn_local(async move {
                        if let Ok(f) = get_feedback(doc_id, false).await {
                            balance.set(f.balance);
                        }
                    })
                }
            });
        });
        on_cleanup(stop);
    }
    let rows: Vec<(String, String, String)> = detail
        .paragraphs
        .iter()
        .filter(|p| p.kind != ParagraphKind::Heading)
        .map(|p| {
            (
                p.id.clone(),
                p.number.clone().unwrap_or_else(|| "·".into()),
                excerpt(&p.text, 36),
            )
        })
        .collect();
    let title = detail.title.clone();
    let back = format!("/documents/{doc_id}");
    let summary = move || {
        figures.with(|all| {
            let with_stances = all.iter().filter(|f| f.tally.total() > 0).count();
            let unanswered: u32 = all.iter().map(|f| f.unanswered_objections).sum();
            let flagged = all.iter().filter(|f| !f.flags.is_empty()).count();
            let open: u32 = all.iter().map(|f| f.open_comments).sum();
            (with_stances, unanswered, flagged, open)
        })
    };
    view! {
        <Title text=format!("Consensus map — {title}") />
        <section class="map-page">
            <p class="crumbs"><a href=back>"← Back to the text"</a></p>
            <h1 class="map-title">"Consensus map"</h1>
            <p class="map-doc">{detail.title.clone()} <span class="muted">{format!(" · {}", detail.group)}</span></p>
            {(detail.your_role == domain::api::Role::Chair).then(|| view! {
                <p><a href=format!("/documents/{doc_id}/bursts")>"Accounts registered together"</a>" — stances from accounts made in bursts, which you can set aside"</p>
            })}
            <ul class="map-summary" aria-label="Summary">
                {move || {
                    let (with, unanswered, flagged, open) = summary();
                    let total = figures.with(Vec::len);
                    view! {
                        <li><strong>{with}</strong>{format!(" of {total} paragraphs have stances")}</li>
                        <li class={if flagged > 0 { "attention" } else { "" }}><strong>{flagged}</strong>" need a look (⚑)"</li>
                        <li class={if unanswered > 0 { "attention" } else { "" }}><strong>{unanswered}</strong>" objections not yet answered"</li>
                        <li><strong>{open}</strong>" comments without a response"</li>
                        <li><strong>{balance.with(|b| b.participants.total)}</strong>" participants"</li>
                    }
                }}
            </ul>
            <p class="map-help">
                "Each row is a paragraph; select one to open its comments. The bar shows support "
                <span class="key key-support">"green"</span>", can live with "<span class="key key-live">"amber"</span>
                " and objections "<span class="key key-oppose">"red"</span>
                ". Each square is one stakeholder group or region: its number is how many of them stated a stance, its colour how they lean, from "
                <span class="key cell-for2">"all support"</span>" to "<span class="key cell-against2">"all oppose"</span>"."
            </p>
            <div class="map-scroll" inner_html=move || figures.with(|f| map_svg(&doc_id, &rows, f))></div>
            <details class="map-table">
                <summary>"The same figures as a table"</summary>
                {move || figures_table(&figures.get(), &detail.paragraphs)}
            </details>
            <h2 class="section-title">"Participation balance"</h2>
            <p class="muted small">"Who took part, as they declared it in their profiles; shown in aggregate only. Hidden comments are not counted."</p>
            {move || balance_view(&balance.get())}
        </section>
    }
}

/// The map as SVG text (see `model::charts`): hundreds of shapes are cheaper to ship to the
/// browser as one string than as a view tree.
fn map_svg(doc: &str, rows: &[(String, String, String)], figures: &[ParagraphConsensus]) -> String {
    let rows: Vec<MapRow> = rows
        .iter()
        .filter_map(|(id, number, excerpt)| {
            Some(MapRow {
                number,
                excerpt,
                href: thread_href(doc, id),
                figures: figures.iter().find(|f| &f.paragraph == id)?,
            })
        })
        .collect();
    charts::consensus_map(&rows)
}

fn figures_table(figures: &[ParagraphConsensus], paragraphs: &[domain::api::Paragraph]) -> AnyView {
    let rows = figures
        .iter()
        .map(|f| {
            let number = paragraphs
                .iter()
                .find(|p| p.id == f.paragraph)
                .and_then(|p| p.number.clone())
                .unwrap_or_else(|| "·".into());
            let groups = f
                .by_group
                .iter()
                .filter(|g| g.tally.total() > 0)
                .map(|g| {
                    format!(
                        "{}: {}",
                        g.group.map(|x| x.label()).unwrap_or("Not stated"),
                        g.tally.describe()
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            view! {
                <tr>
                    <th scope="row">{number}</th>
                    <td>{f.tally.support}</td>
                    <td>{f.tally.can_live_with}</td>
                    <td>{f.tally.oppose}</td>
                    <td>{f.comments}</td>
                    <td>{f.level.label()}</td>
                    <td>{f.flags.iter().map(|x| x.describe()).collect::<Vec<_>>().join("; ")}</td>
                    <td class="small">{groups}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="figures-table">
            <thead>
                <tr>
                    <th scope="col">"¶"</th><th scope="col">"Support"</th><th scope="col">"Can live with"</th>
                    <th scope="col">"Oppose"</th><th scope="col">"Comments"</th><th scope="col">"Standing"</th>
                    <th scope="col">"Needs a look"</th><th scope="col">"By stakeholder group"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

fn chart(title: String, rows: Vec<(String, u32)>) -> AnyView {
    view! {
        <figure class="chart">
            <figcaption>{title.clone()}</figcaption>
            <div inner_html=charts::bar_chart(&title, &rows)></div>
        </figure>
    }
    .into_any()
}

fn balance_view(b: &Balance) -> AnyView {
    let by_group = |bd: &domain::api::Breakdown| {
        bd.by_group
            .iter()
            .map(|g| {
                (
                    g.group
                        .map(|x| x.label())
                        .unwrap_or("Not stated")
                        .to_string(),
                    g.count,
                )
            })
            .collect::<Vec<_>>()
    };
    let by_region = |bd: &domain::api::Breakdown| {
        bd.by_region
            .iter()
            .map(|r| {
                (
                    r.region
                        .map(|x| x.label())
                        .unwrap_or("Not stated")
                        .to_string(),
                    r.count,
                )
            })
            .collect::<Vec<_>>()
    };
    let by_gender = b
        .participants
        .by_gender
        .iter()
        .map(|g| {
            (
                g.gender
                    .map(Gender::label)
                    .unwrap_or("Not stated")
                    .to_string(),
                g.count,
            )
        })
        .collect::<Vec<_>>();
    view! {
        <div class="charts">
            {chart(format!("Participants by stakeholder group ({})", b.participants.total), by_group(&b.participants))}
            {chart(format!("Participants by region ({})", b.participants.total), by_region(&b.participants))}
            {chart(format!("Participants by gender ({})", b.participants.total), by_gender)}
            {chart(format!("Stances by stakeholder group ({})", b.stances.total), by_group(&b.stances))}
            {chart(format!("Comments by stakeholder group ({})", b.comments.total), by_group(&b.comments))}
            {chart(format!("Stances by region ({})", b.stances.total), by_region(&b.stances))}
        </div>
    }
    .into_any()
}
