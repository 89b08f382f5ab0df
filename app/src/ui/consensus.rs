//! The consensus map: the whole document as a column of paragraphs, each drawn with its
//! support and objections and how every stakeholder group and region stands on it, with the
//! flags that point a chair at what needs a look; then the participation balance as charts.
//!
//! Everything is SVG and text rendered on the server, so the map reads without JavaScript; in
//! the browser it listens on the document's WebSocket and redraws a paragraph as soon as its
//! feedback changes.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::feedback::{get_feedback, thread_href};
use super::{get_document, NotFound};
use crate::api::{
    Balance, DocumentDetail, DocumentFeedback, ParagraphConsensus, ParagraphKind, Tally,
};
use crate::model::profile::{Gender, Region, StakeholderGroup};

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

/// Short column heads for the stakeholder groups; the full name is in each head's tooltip and in
/// the table below the map.
fn group_short(g: Option<StakeholderGroup>) -> &'static str {
    match g {
        Some(StakeholderGroup::Government) => "Gov",
        Some(StakeholderGroup::PrivateSector) => "Private",
        Some(StakeholderGroup::CivilSociety) => "Civil",
        Some(StakeholderGroup::TechnicalCommunity) => "Tech",
        Some(StakeholderGroup::Academia) => "Acad",
        Some(StakeholderGroup::Intergovernmental) => "IGO",
        Some(StakeholderGroup::Other) => "Other",
        None => "n/s",
    }
}

fn region_short(r: Option<Region>) -> &'static str {
    match r {
        Some(Region::African) => "Africa",
        Some(Region::AsiaPacific) => "AsiaPac",
        Some(Region::EasternEuropean) => "E.Eur",
        Some(Region::LatinAmericanCaribbean) => "LatAm",
        Some(Region::WesternEuropeanOther) => "WEOG",
        None => "n/s",
    }
}

/// How a group stands, as a colour class: from all support to all objection.
fn lean(t: &Tally) -> &'static str {
    let total = t.total();
    if total == 0 {
        return "cell-none";
    }
    // Support counts fully, can-live-with half, an objection against.
    let net = (2.0 * f64::from(t.support) + f64::from(t.can_live_with) - 2.0 * f64::from(t.oppose))
        / (2.0 * f64::from(total));
    match net {
        n if n >= 0.75 => "cell-for2",
        n if n >= 0.25 => "cell-for1",
        n if n > -0.25 => "cell-mixed",
        n if n > -0.75 => "cell-against1",
        _ => "cell-against2",
    }
}

fn excerpt(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        out = out.trim_end().to_string();
        out.push('…');
    }
    out
}

const ROW: f64 = 26.0;
const FLAG_LINE: f64 = 16.0;
const CELL: f64 = 44.0;
const X_TEXT: f64 = 56.0;
const X_BAR: f64 = 300.0;
const BAR_W: f64 = 130.0;
const X_GROUPS: f64 = 530.0;

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
            <div class="map-scroll">
                {move || map_svg(&doc_id, &rows, &figures.get())}
            </div>
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

fn map_svg(
    doc: &str,
    rows: &[(String, String, String)],
    figures: &[ParagraphConsensus],
) -> AnyView {
    let groups: Vec<Option<StakeholderGroup>> =
        StakeholderGroup::ALL.iter().copied().map(Some).collect();
    let regions: Vec<Option<Region>> = Region::ALL.iter().copied().map(Some).collect();
    let x_regions = X_GROUPS + CELL * groups.len() as f64 + 18.0;
    let width = x_regions + CELL * regions.len() as f64 + 4.0;
    let header = 48.0;
    let mut y = header;
    let mut body = Vec::new();
    for (id, number, text) in rows {
        let Some(f) = figures.iter().find(|f| &f.paragraph == id) else {
            continue;
        };
        let flags: Vec<String> = f.flags.iter().map(|x| x.describe()).collect();
        let height = ROW + if flags.is_empty() { 0.0 } else { FLAG_LINE };
        let total = f.tally.total();
        let mut x = X_BAR;
        let mut segs = Vec::new();
        for (n, class) in [
            (f.tally.support, "seg-support"),
            (f.tally.can_live_with, "seg-live"),
            (f.tally.oppose, "seg-oppose"),
        ] {
            if n > 0 {
                let w = BAR_W * f64::from(n) / f64::from(total);
                segs.push(view! { <rect class=class x=format!("{x:.1}") y="6" width=format!("{w:.1}") height="14" /> });
                x += w;
            }
        }
        let cells = |at: f64, tallies: Vec<(&'static str, Tally)>| {
            tallies
                .into_iter()
                .enumerate()
                .map(|(i, (name, t))| {
                    let cx = at + CELL * i as f64;
                    let n = t.total();
                    let tip = format!("{name}: {}", t.describe());
                    view! {
                        <g class=format!("cell {}", lean(&t))>
                            <title>{tip}</title>
                            <rect x=format!("{:.1}", cx + 1.0) y="3" width=format!("{:.1}", CELL - 3.0) height="20" rx="3" />
                            <text x=format!("{:.1}", cx + CELL / 2.0) y="17.5" text-anchor="middle">
                                {if n == 0 { "–".to_string() } else { n.to_string() }}
                            </text>
                        </g>
                    }
                })
                .collect_view()
        };
        let group_cells = cells(
            X_GROUPS,
            f.by_group
                .iter()
                .filter(|g| g.group.is_some())
                .map(|g| (g.group.map(|x| x.label()).unwrap_or("Not stated"), g.tally))
                .collect(),
        );
        let region_cells = cells(
            x_regions,
            f.by_region
                .iter()
                .filter(|r| r.region.is_some())
                .map(|r| (r.region.map(|x| x.label()).unwrap_or("Not stated"), r.tally))
                .collect(),
        );
        let figures_words = if total == 0 {
            "no stances".to_string()
        } else {
            format!(
                "{} · {} · {}",
                f.tally.support, f.tally.can_live_with, f.tally.oppose
            )
        };
        let label = format!(
            "Paragraph {number}: {}; {} {}{}",
            f.tally.describe(),
            f.comments,
            if f.comments == 1 {
                "comment"
            } else {
                "comments"
            },
            if flags.is_empty() {
                String::new()
            } else {
                format!("; {}", flags.join("; "))
            }
        );
        let flag_text = (!flags.is_empty()).then(|| {
            view! { <text class="flag-text" x=X_TEXT y=ROW + 10.0>{format!("⚑ {}", flags.join(" · "))}</text> }
        });
        let aria = label.clone();
        body.push(view! {
            <a href=thread_href(doc, id) aria-label=aria class=format!("map-row level-{}", f.level.key())>
                <g transform=format!("translate(0 {y})")>
                    <title>{label}</title>
                    <rect class="row-bg" x="0" y="0" width=format!("{width:.0}") height=format!("{:.0}", height - 2.0) rx="4" />
                    <text class="num" x="40" y="17.5" text-anchor="end">{number.clone()}</text>
                    <circle class="level-dot" cx="48" cy="13" r="3.5" />
                    <text class="excerpt" x=X_TEXT y="17.5">{text.clone()}</text>
                    <rect class="seg-empty" x=X_BAR y="6" width=BAR_W height="14" rx="2" />
                    {segs}
                    <text class="bar-figures" x=X_BAR + BAR_W + 8.0 y="17.5">{figures_words}</text>
                    {group_cells}
                    {region_cells}
                    {flag_text}
                </g>
            </a>
        });
        y += height;
    }
    let head_cells = |at: f64, names: Vec<(&'static str, &'static str)>| {
        names
            .into_iter()
            .enumerate()
            .map(|(i, (short, full))| {
                view! {
                    <text class="col-head" x=format!("{:.1}", at + CELL * i as f64 + CELL / 2.0) y="40" text-anchor="middle">
                        <title>{full}</title>
                        {short}
                    </text>
                }
            })
            .collect_view()
    };
    let group_heads = head_cells(
        X_GROUPS,
        groups
            .iter()
            .map(|g| (group_short(*g), g.map(|x| x.label()).unwrap_or("")))
            .collect(),
    );
    let region_heads = head_cells(
        x_regions,
        regions
            .iter()
            .map(|r| (region_short(*r), r.map(|x| x.label()).unwrap_or("")))
            .collect(),
    );
    let height = y + 4.0;
    view! {
        <svg class="map" role="group" aria-label="Consensus map: one row per paragraph"
            width=format!("{width:.0}") height=format!("{height:.0}") viewBox=format!("0 0 {width:.0} {height:.0}")>
            <text class="band-head" x=X_TEXT y="18">"Paragraph"</text>
            <text class="band-head" x=X_BAR y="18">"Stances"</text>
            <text class="col-head" x=X_BAR y="40">"support · live with · oppose"</text>
            <text class="band-head" x=X_GROUPS y="18">"By stakeholder group"</text>
            <text class="band-head" x=x_regions y="18">"By region"</text>
            {group_heads}
            {region_heads}
            {body}
        </svg>
    }
    .into_any()
}

fn figures_table(figures: &[ParagraphConsensus], paragraphs: &[crate::api::Paragraph]) -> AnyView {
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

/// A horizontal bar chart: one labelled bar per row, its number at its end.
fn bar_chart(title: &str, rows: Vec<(String, u32)>) -> AnyView {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let (label_w, bar_w, row_h) = (250.0, 190.0, 22.0);
    let height = row_h * rows.len() as f64 + 4.0;
    let width = label_w + bar_w + 40.0;
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, n))| {
            let y = row_h * i as f64;
            let w = bar_w * f64::from(n) / f64::from(max);
            view! {
                <g transform=format!("translate(0 {y:.0})")>
                    <text class="chart-label" x=label_w - 8.0 y="15" text-anchor="end">{label.clone()}</text>
                    <rect class="chart-track" x=label_w y="4" width=bar_w height="14" rx="2" />
                    <rect class="chart-bar" x=label_w y="4" width=format!("{w:.1}") height="14" rx="2" />
                    <text class="chart-num" x=format!("{:.1}", label_w + w + 6.0) y="15">{n}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <figcaption>{title.to_string()}</figcaption>
            <svg role="img" aria-label=title.to_string() width=format!("{width:.0}") height=format!("{height:.0}")
                viewBox=format!("0 0 {width:.0} {height:.0}")>
                {bars}
            </svg>
        </figure>
    }
    .into_any()
}

fn balance_view(b: &Balance) -> AnyView {
    let by_group = |bd: &crate::api::Breakdown| {
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
    let by_region = |bd: &crate::api::Breakdown| {
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
            {bar_chart(&format!("Participants by stakeholder group ({})", b.participants.total), by_group(&b.participants))}
            {bar_chart(&format!("Participants by region ({})", b.participants.total), by_region(&b.participants))}
            {bar_chart(&format!("Participants by gender ({})", b.participants.total), by_gender)}
            {bar_chart(&format!("Stances by stakeholder group ({})", b.stances.total), by_group(&b.stances))}
            {bar_chart(&format!("Comments by stakeholder group ({})", b.comments.total), by_group(&b.comments))}
            {bar_chart(&format!("Stances by region ({})", b.stances.total), by_region(&b.stances))}
        </div>
    }
    .into_any()
}
