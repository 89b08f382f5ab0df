//! The consensus map: the whole document as a column of paragraphs, each drawn with its
//! support and objections and how every stakeholder group and region stands on it, with the
//! flags that point a chair at what needs a look; then the participation balance as charts.
//!
//! Everything is SVG and text rendered on the server, so the map reads without JavaScript; in
//! the browser it listens on the document's WebSocket and redraws a paragraph as soon as its
//! feedback changes. Every word, in the pictures too, is in the reader's language.

use accord_i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::feedback::get_feedback;
use super::parts::thread_href;
use super::words::{self, I18n};
use super::{get_document, NotFound};
use domain::api::{Balance, DocumentDetail, DocumentFeedback, ParagraphConsensus, ParagraphKind};
use domain::{
    charts,
    consensus::{Flag, Tally},
    profile::{Region, StakeholderGroup},
};

#[component]
pub fn ConsensusPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let doc = Resource::new(id, get_document);
    let feedback = Resource::new(id, |id| get_feedback(id, false));
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, consensus.map_loading)}</p> }>
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
    let i18n = use_i18n();
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
                charts::row_excerpt(&p.text),
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
        <Title text=move || t_string!(i18n, consensus.map_page_title, title = title.clone()).to_string() />
        <section class="map-page">
            <p class="crumbs"><a href=back>{t!(i18n, consensus.map_back)}</a></p>
            <h1 class="map-title">{t!(i18n, consensus.map_title)}</h1>
            <p class="map-doc"><bdi>{detail.title.clone()}</bdi> <span class="muted">" · " <bdi>{detail.group.clone()}</bdi></span></p>
            {(detail.your_role == domain::api::Role::Chair).then(|| {
                let bursts = format!("/documents/{doc_id}/bursts");
                view! {
                <p>
                    {t!(i18n, consensus.map_bursts,
                        link = move || view! { <a href=bursts.clone()>{t!(i18n, consensus.map_bursts_link)}</a> })}
                </p>
            }})}
            <ul class="map-summary" aria-label=move || t_string!(i18n, consensus.map_summary_aria).to_string()>
                {move || {
                    let (with, unanswered, flagged, open) = summary();
                    let total = figures.with(Vec::len);
                    let participants = balance.with(|b| b.participants.total);
                    // The figure stands out; the words around it agree with it.
                    view! {
                        <li>{t!(i18n, consensus.map_summary_with_stances, count = move || with, figure = move || view! { <strong>{with}</strong> }, total = move || total)}</li>
                        <li class={if flagged > 0 { "attention" } else { "" }}>{t!(i18n, consensus.map_summary_flagged, count = move || flagged, figure = move || view! { <strong>{flagged}</strong> })}</li>
                        <li class={if unanswered > 0 { "attention" } else { "" }}>{t!(i18n, consensus.map_summary_unanswered, count = move || unanswered, figure = move || view! { <strong>{unanswered}</strong> })}</li>
                        <li>{t!(i18n, consensus.map_summary_open_comments, count = move || open, figure = move || view! { <strong>{open}</strong> })}</li>
                        <li>{t!(i18n, consensus.map_summary_participants, count = move || participants, figure = move || view! { <strong>{participants}</strong> })}</li>
                    }
                }}
            </ul>
            <p class="map-help">{t!(i18n, consensus.map_help)}</p>
            {legend(i18n)}
            <div class="map-scroll" inner_html=move || figures.with(|f| map_svg(i18n, &doc_id, &rows, f))></div>
            <details class="map-table">
                <summary>{t!(i18n, consensus.map_table_summary)}</summary>
                {move || figures_tables(i18n, &figures.get(), &detail.paragraphs)}
            </details>
            <h2 class="section-title">{t!(i18n, consensus.participation_title)}</h2>
            <p class="muted small">{t!(i18n, consensus.participation_hint)}</p>
            {move || balance_view(i18n, &balance.get())}
        </section>
    }
}

/// How one stakeholder group or region stands: "Government: 1 support · …".
fn group_stances(i18n: I18n, name: &str, t: &Tally) -> String {
    t_string!(
        i18n,
        consensus.group_stances,
        name = name,
        stances = words::tally(i18n, t)
    )
    .to_string()
}

/// Short column heads for the stakeholder groups; the full name is in each head's tooltip.
fn group_short(i18n: I18n, g: StakeholderGroup) -> String {
    use StakeholderGroup::*;
    match g {
        Government => t_string!(i18n, consensus.map_group_short_government),
        PrivateSector => t_string!(i18n, consensus.map_group_short_private_sector),
        CivilSociety => t_string!(i18n, consensus.map_group_short_civil_society),
        TechnicalCommunity => t_string!(i18n, consensus.map_group_short_technical_community),
        Academia => t_string!(i18n, consensus.map_group_short_academia),
        Intergovernmental => t_string!(i18n, consensus.map_group_short_intergovernmental),
        Other => t_string!(i18n, consensus.map_group_short_other_group),
    }
    .to_string()
}

fn region_short(i18n: I18n, r: Region) -> String {
    use Region::*;
    match r {
        African => t_string!(i18n, consensus.map_region_short_african),
        AsiaPacific => t_string!(i18n, consensus.map_region_short_asia_pacific),
        EasternEuropean => t_string!(i18n, consensus.map_region_short_eastern_european),
        LatinAmericanCaribbean => {
            t_string!(i18n, consensus.map_region_short_latin_american_caribbean)
        }
        WesternEuropeanOther => {
            t_string!(
                i18n,
                consensus.map_region_short_western_european_other_states
            )
        }
    }
    .to_string()
}

/// A paragraph's accessible name on the map: its number and first words as the row shows
/// them, then its figures and flags in words.
fn row_label(i18n: I18n, number: &str, excerpt: &str, f: &ParagraphConsensus) -> String {
    let mut label = t_string!(
        i18n,
        consensus.map_row_label,
        number = number,
        excerpt = excerpt,
        stances = words::tally(i18n, &f.tally),
        count = f.comments
    )
    .to_string();
    for flag in &f.flags {
        label.push_str("; ");
        label.push_str(&words::flag(i18n, flag));
    }
    label
}

/// The map's words in the reader's language; `domain::charts` lays them out.
struct MapWords(I18n);

impl charts::MapWords for MapWords {
    fn name(&self) -> String {
        t_string!(self.0, consensus.map_aria).to_string()
    }
    fn heads(&self) -> [String; 5] {
        let i18n = self.0;
        [
            t_string!(i18n, consensus.map_head_paragraph).to_string(),
            t_string!(i18n, consensus.map_head_stances).to_string(),
            t_string!(i18n, consensus.map_head_bar).to_string(),
            t_string!(i18n, consensus.map_head_by_group).to_string(),
            t_string!(i18n, consensus.map_head_by_region).to_string(),
        ]
    }
    fn no_stances(&self) -> String {
        t_string!(self.0, consensus.map_no_stances).to_string()
    }
    fn row_label(&self, number: &str, excerpt: &str, f: &ParagraphConsensus) -> String {
        row_label(self.0, number, excerpt, f)
    }
    fn flag(&self, flag: &Flag) -> String {
        words::flag(self.0, flag)
    }
    fn cell(&self, name: &str, t: &Tally) -> String {
        group_stances(self.0, name, t)
    }
    fn group(&self, g: StakeholderGroup) -> (String, String) {
        (words::group(self.0, g), group_short(self.0, g))
    }
    fn region(&self, r: Region) -> (String, String) {
        (words::region(self.0, r), region_short(self.0, r))
    }
}

/// The map as SVG text (hundreds of shapes are cheaper to ship as one string than as a view
/// tree): a row per paragraph, each linking to its thread. Drawn twice, wide and stacked; the
/// stylesheet shows the one that fits its box, so a phone never scrolls it sideways, with or
/// without JavaScript.
fn map_svg(
    i18n: I18n,
    doc: &str,
    rows: &[(String, String, String)],
    figures: &[ParagraphConsensus],
) -> String {
    let hrefs: Vec<String> = rows.iter().map(|(id, ..)| thread_href(doc, id)).collect();
    let rows: Vec<charts::MapRow> = rows
        .iter()
        .zip(hrefs)
        .filter_map(|((id, number, excerpt), href)| {
            Some(charts::MapRow {
                number,
                excerpt,
                href,
                figures: figures.iter().find(|f| &f.paragraph == id)?,
            })
        })
        .collect();
    let words = MapWords(i18n);
    [charts::Layout::Wide, charts::Layout::Stacked]
        .map(|layout| charts::consensus_map(&rows, &words, layout))
        .concat()
}

/// How a lean reads in words.
fn lean_words(i18n: I18n, lean: charts::Lean) -> String {
    use charts::Lean::*;
    match lean {
        AllSupport => t_string!(i18n, consensus.lean_all_support),
        MostlySupport => t_string!(i18n, consensus.lean_mostly_support),
        Divided => t_string!(i18n, consensus.lean_divided),
        MostlyOppose => t_string!(i18n, consensus.lean_mostly_oppose),
        AllOppose => t_string!(i18n, consensus.lean_all_oppose),
        None => t_string!(i18n, consensus.lean_none),
    }
    .to_string()
}

/// What the marks and colours mean, each beside its words: the paragraph's standing, the bar,
/// and the squares' leans (colour and mark, so that no one needs to tell colours apart).
fn legend(i18n: I18n) -> impl IntoView {
    use domain::consensus::Level;
    let standing = [
        Level::BroadSupport,
        Level::Accepted,
        Level::Objections,
        Level::Opposed,
    ]
    .map(|level| {
        view! { <li><span inner_html=charts::level_swatch(level)></span>{words::level(i18n, level)}</li> }
    });
    let bar = [
        (
            "seg-support",
            t_string!(i18n, consensus.table_support).to_string(),
        ),
        (
            "seg-live",
            t_string!(i18n, consensus.table_can_live_with).to_string(),
        ),
        (
            "seg-oppose",
            t_string!(i18n, consensus.table_oppose).to_string(),
        ),
    ]
    .map(|(class, name)| {
        view! { <li><span inner_html=charts::bar_swatch(class)></span>{name}</li> }
    });
    let squares = charts::Lean::ALL.map(|lean| {
        view! { <li><span inner_html=charts::swatch(lean)></span>{lean_words(i18n, lean)}</li> }
    });
    view! {
        <div class="map-legend">
            <p id="legend-standing">{t!(i18n, consensus.map_legend_standing)}</p>
            <ul aria-labelledby="legend-standing">{standing.into_iter().collect_view()}</ul>
            <p id="legend-bar">{t!(i18n, consensus.map_legend_bar)}</p>
            <ul aria-labelledby="legend-bar">{bar.into_iter().collect_view()}</ul>
            <p id="legend-squares">{t!(i18n, consensus.map_legend_squares)}</p>
            <ul aria-labelledby="legend-squares">{squares.into_iter().collect_view()}</ul>
        </div>
    }
}

/// The map's figures as tables, every one the picture shows: each paragraph's stances,
/// comments, standing and flags; then, for each paragraph, each stakeholder group's and each
/// region's square (how many stated a stance, how they lean, and the three counts).
fn figures_tables(
    i18n: I18n,
    figures: &[ParagraphConsensus],
    paragraphs: &[domain::api::Paragraph],
) -> AnyView {
    let number = |id: &str| {
        paragraphs
            .iter()
            .find(|p| p.id == id)
            .and_then(|p| p.number.clone())
            .unwrap_or_else(|| "·".into())
    };
    // The paragraphs the map draws (headings have no stances), in the text's order.
    let figures: Vec<&ParagraphConsensus> = paragraphs
        .iter()
        .filter(|p| p.kind != ParagraphKind::Heading)
        .filter_map(|p| figures.iter().find(|f| f.paragraph == p.id))
        .collect();
    let rows = figures
        .iter()
        .map(|f| {
            let flags = f
                .flags
                .iter()
                .map(|x| words::flag(i18n, x))
                .collect::<Vec<_>>()
                .join("; ");
            view! {
                <tr>
                    <th scope="row">{number(&f.paragraph)}</th>
                    <td>{f.tally.support}</td>
                    <td>{f.tally.can_live_with}</td>
                    <td>{f.tally.oppose}</td>
                    <td>{f.comments}</td>
                    <td><span inner_html=charts::level_swatch(f.level)></span>" "{words::level(i18n, f.level)}</td>
                    <td>{flags}</td>
                </tr>
            }
        })
        .collect_view();
    let groups: Vec<(String, String)> = StakeholderGroup::ALL
        .iter()
        .map(|g| (words::group(i18n, *g), group_short(i18n, *g)))
        .collect();
    let regions: Vec<(String, String)> = Region::ALL
        .iter()
        .map(|r| (words::region(i18n, *r), region_short(i18n, *r)))
        .collect();
    // Each paragraph's tallies per stated group and region, in the order of the columns
    // (`ParagraphConsensus` lists every one of them, in the order of `ALL`, as the map reads them).
    let tallies = |pick: fn(&ParagraphConsensus) -> Vec<Tally>| -> Vec<(String, Vec<Tally>)> {
        figures
            .iter()
            .map(|f| (number(&f.paragraph), pick(f)))
            .collect()
    };
    let by_group = tallies(|f| {
        f.by_group
            .iter()
            .filter(|b| b.group.is_some())
            .map(|b| b.tally)
            .collect()
    });
    let by_region = tallies(|f| {
        f.by_region
            .iter()
            .filter(|b| b.region.is_some())
            .map(|b| b.tally)
            .collect()
    });
    let head = t_string!(i18n, consensus.map_head_paragraph).to_string();
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-labelledby="figures-paragraphs">
            <table class="figures-table">
                <caption id="figures-paragraphs">{t!(i18n, consensus.table_caption_paragraphs)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{head.clone()}</th>
                        <th scope="col">{t!(i18n, consensus.table_support)}</th>
                        <th scope="col">{t!(i18n, consensus.table_can_live_with)}</th>
                        <th scope="col">{t!(i18n, consensus.table_oppose)}</th>
                        <th scope="col">{t!(i18n, consensus.table_comments)}</th>
                        <th scope="col">{t!(i18n, consensus.table_standing)}</th>
                        <th scope="col">{t!(i18n, consensus.table_needs_look)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {breakdown_table(i18n, "figures-groups", t_string!(i18n, consensus.table_caption_groups).to_string(), &head, &groups, &by_group)}
        {breakdown_table(i18n, "figures-regions", t_string!(i18n, consensus.table_caption_regions).to_string(), &head, &regions, &by_region)}
    }
    .into_any()
}

/// One square of the map as a table cell: its mark and colour, how many stated a stance and
/// the three counts; in words for a screen reader, which reads the figures and the lean.
fn lean_cell(i18n: I18n, t: &Tally) -> impl IntoView {
    let lean = charts::Lean::of(t);
    let total = t.total();
    let said = if total == 0 {
        lean_words(i18n, lean)
    } else {
        t_string!(
            i18n,
            consensus.table_lean_cell,
            lean = lean_words(i18n, lean),
            stances = words::tally(i18n, t)
        )
        .to_string()
    };
    // The three counts under the number, to keep the columns narrow on a phone.
    let shown = if total == 0 {
        view! { <span aria-hidden="true">"–"</span> }.into_any()
    } else {
        let counts = format!("({} · {} · {})", t.support, t.can_live_with, t.oppose);
        view! { <span aria-hidden="true">{total}" "<small>{counts}</small></span> }.into_any()
    };
    view! {
        <td class="lean-cell">
            <span inner_html=charts::swatch(lean)></span>
            {shown}
            <span class="visually-hidden">{said}</span>
        </td>
    }
}

/// A table of the map's squares: a row per paragraph, a column per stakeholder group or region
/// (headed by its short name, as on the map, and named in full).
fn breakdown_table(
    i18n: I18n,
    id: &'static str,
    caption: String,
    head: &str,
    columns: &[(String, String)],
    rows: &[(String, Vec<Tally>)],
) -> impl IntoView {
    let heads = columns
        .iter()
        .map(|(full, short)| {
            view! {
                <th scope="col" title=full.clone()>
                    <span aria-hidden="true">{short.clone()}</span>
                    <span class="visually-hidden">{full.clone()}</span>
                </th>
            }
        })
        .collect_view();
    let rows = rows
        .iter()
        .map(|(number, tallies)| {
            view! {
                <tr>
                    <th scope="row">{number.clone()}</th>
                    {tallies.iter().map(|t| lean_cell(i18n, t)).collect_view()}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-labelledby=id>
            <table class="figures-table breakdown">
                <caption id=id>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{head.to_string()}</th>
                        {heads}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
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

fn balance_view(i18n: I18n, b: &Balance) -> AnyView {
    let not_stated = t_string!(i18n, consensus.not_stated).to_string();
    let named =
        |name: Option<String>, count: u32| (name.unwrap_or_else(|| not_stated.clone()), count);
    let by_group = |bd: &domain::api::Breakdown| {
        bd.by_group
            .iter()
            .map(|g| named(g.group.map(|x| words::group(i18n, x)), g.count))
            .collect::<Vec<_>>()
    };
    let by_region = |bd: &domain::api::Breakdown| {
        bd.by_region
            .iter()
            .map(|r| named(r.region.map(|x| words::region(i18n, x)), r.count))
            .collect::<Vec<_>>()
    };
    let by_gender = b
        .participants
        .by_gender
        .iter()
        .map(|g| named(g.gender.map(|x| words::gender(i18n, x)), g.count))
        .collect::<Vec<_>>();
    let (participants, stances, comments) =
        (b.participants.total, b.stances.total, b.comments.total);
    view! {
        <div class="charts">
            {chart(t_string!(i18n, consensus.chart_participants_by_group, total = participants).to_string(), by_group(&b.participants))}
            {chart(t_string!(i18n, consensus.chart_participants_by_region, total = participants).to_string(), by_region(&b.participants))}
            {chart(t_string!(i18n, consensus.chart_participants_by_gender, total = participants).to_string(), by_gender)}
            {chart(t_string!(i18n, consensus.chart_stances_by_group, total = stances).to_string(), by_group(&b.stances))}
            {chart(t_string!(i18n, consensus.chart_comments_by_group, total = comments).to_string(), by_group(&b.comments))}
            {chart(t_string!(i18n, consensus.chart_stances_by_region, total = stances).to_string(), by_region(&b.stances))}
        </div>
    }
    .into_any()
}
