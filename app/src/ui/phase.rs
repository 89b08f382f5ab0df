//! The phase banner on a document: where the consultation stands, the time left and what the
//! phase allows; for chairs, the form that moves the document on (a plain post, so it works
//! without JavaScript). Once closed, the published outcome: the final text's downloads, the
//! report, and who endorsed the text.

use accord_i18n::{t, t_string, use_i18n};
use leptos::prelude::*;

use super::parts::{error_text, LocalTime};
use super::words::{self, I18n};
use domain::api::{Endorsement, Endorsements, Phase, Schedule};
use domain::time;

/// A chair moves the document to `phase`; `deadline` is a `datetime-local` value in the time
/// zone `zone` minutes east of UTC (the chair's, which the page fills in; UTC without
/// JavaScript).
#[server(prefix = "/_fn", endpoint = "set_phase")]
pub async fn set_phase(
    doc: String,
    phase: String,
    #[server(default)] deadline: String,
    #[server(default)] zone: String,
    reason: String,
) -> Result<(), ServerFnError> {
    let phase = Phase::parse(&phase).ok_or_else(|| {
        crate::serve::refused(domain::refusal::Refusal::NotAPhase {
            phase: domain::refusal::quote(&phase, 40),
        })
    })?;
    // The field keeps the current deadline; a phase without one ignores it.
    let deadline = match deadline.trim() {
        _ if !phase.has_deadline() => None,
        "" => None,
        d => {
            let refused = || {
                crate::serve::refused(domain::refusal::Refusal::NotADateTime {
                    value: domain::refusal::quote(d, 40),
                })
            };
            // Time zones lie within 14 hours of UTC.
            let east: i64 = match zone.trim() {
                "" => 0,
                z => z
                    .parse()
                    .ok()
                    .filter(|m: &i64| m.abs() <= 14 * 60)
                    .ok_or_else(refused)?,
            };
            Some(time::from_field(d).ok_or_else(refused)? - east * 60)
        }
    };
    let (core, who) = crate::serve::requester().await?;
    accord_core::phases::set(
        &core,
        &who,
        &doc,
        domain::api::SetPhase {
            phase,
            deadline,
            reason,
        },
    )
    .await
    .map(drop)
    .map_err(crate::serve::page_error)?;
    crate::serve::go(&format!("/documents/{doc}"));
    Ok(())
}

/// The signed-in person endorses the closed text (on behalf of `on_behalf_of` when not empty),
/// or withdraws their endorsement.
#[server(prefix = "/_fn", endpoint = "endorse_text")]
pub async fn endorse_text(
    doc: String,
    #[server(default)] on_behalf_of: String,
    #[server(default)] withdraw: String,
) -> Result<(), ServerFnError> {
    let endorse = withdraw.is_empty().then(|| domain::api::Endorse {
        on_behalf_of: Some(on_behalf_of).filter(|o| !o.trim().is_empty()),
    });
    let (core, who) = crate::serve::requester().await?;
    match endorse {
        Some(e) => accord_core::endorsements::endorse(&core, &who, &doc, e)
            .await
            .map(drop),
        None => accord_core::endorsements::withdraw(&core, &who, &doc)
            .await
            .map(drop),
    }
    .map_err(crate::serve::page_error)?;
    crate::serve::go(&format!("/documents/{doc}"));
    Ok(())
}

/// How an endorsement is listed: "Ana Silva, on behalf of ISOC" or "Ana Silva (ISOC),
/// personally".
fn endorsement_line(i18n: I18n, e: &Endorsement) -> String {
    match (&e.on_behalf_of, e.affiliation.is_empty()) {
        (Some(org), _) => t_string!(
            i18n,
            phase.endorsement_on_behalf,
            name = e.name.clone(),
            organisation = org.clone()
        )
        .to_string(),
        (None, false) => t_string!(
            i18n,
            phase.endorsement_personally,
            name = e.name.clone(),
            affiliation = e.affiliation.clone()
        )
        .to_string(),
        (None, true) => e.name.clone(),
    }
}

/// The time left before a deadline, in words: "2 hours, 5 minutes left".
fn time_left(i18n: I18n, seconds: i64) -> String {
    let (days, hours, minutes) = (
        seconds / 86_400,
        seconds % 86_400 / 3_600,
        seconds % 3_600 / 60,
    );
    match (days, hours, minutes) {
        (0, 0, 0) => t_string!(i18n, phase.time_left_under_a_minute).to_string(),
        (0, 0, m) => t_string!(i18n, phase.time_left_minutes, count = m).to_string(),
        (0, h, m) => t_string!(
            i18n,
            phase.time_left_hours,
            count = h,
            minutes = t_string!(i18n, phase.time_unit_minutes, count = m).to_string()
        )
        .to_string(),
        (d, h, _) => t_string!(
            i18n,
            phase.time_left_days,
            count = d,
            hours = t_string!(i18n, phase.time_unit_hours, count = h).to_string()
        )
        .to_string(),
    }
}

/// What happens in a phase, in a sentence.
fn rule(i18n: I18n, phase: Phase) -> String {
    match phase {
        Phase::Drafting => t_string!(i18n, phase.rule_drafting),
        Phase::Consultation => t_string!(i18n, phase.rule_consultation),
        Phase::LastCall => t_string!(i18n, phase.rule_last_call),
        Phase::Closed => t_string!(i18n, phase.rule_closed),
    }
    .to_string()
}

/// A closed document's outcome: where to read it and who endorsed it.
#[component]
pub fn Outcome(doc: String, endorsements: Endorsements, signed_in: bool) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<EndorseText>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            let _ = window().location().reload();
        }
    });
    let api = format!("/api/v1/documents/{doc}");
    let report_html = format!("{api}/report?format=html");
    let report_docx = format!("{api}/report?format=docx");
    let versions_page = format!("/documents/{doc}/versions");
    // The last version cut is the final text: offered for download here, in every format.
    let cut = {
        let doc = doc.clone();
        Resource::new(|| (), move |_| super::versions::get_versions(doc.clone()))
    };
    let downloads = move |name: String| {
        let link = {
            let (api, name) = (api.clone(), name.clone());
            move |format: &str| format!("{api}/export?format={format}&version={name}")
        };
        let version = name.clone();
        view! {
            <p class="small final-downloads">
                {t!(i18n, phase.outcome_download_final,
                    version = move || version.clone(),
                    formats = move || view! {
                        <a href=link("docx") download>{t!(i18n, phase.format_word)}</a> " · "
                        <a href=link("html") rel="external">{t!(i18n, phase.format_printable)}</a> " · "
                        <a href=link("text") download>{t!(i18n, phase.format_plain_text)}</a> " · "
                        <a href=link("markdown") download>{t!(i18n, phase.format_markdown)}</a>
                    })}
            </p>
        }
    };
    let count = endorsements.endorsements.len();
    let list = endorsements
        .endorsements
        .iter()
        .map(|e| view! { <li>{endorsement_line(i18n, e)}</li> })
        .collect_view();
    let form = match (
        endorsements.yours.map(|e| endorsement_line(i18n, &e)),
        endorsements.you_may_endorse,
    ) {
        (Some(mine), _) => Some(view! {
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="doc" value=doc.clone() />
                <input type="hidden" name="withdraw" value="yes" />
                <span class="small">{t!(i18n, phase.outcome_you_endorsed, endorsement = move || mine.clone())}</span> " "
                <button type="submit" class="button small">{t!(i18n, phase.outcome_withdraw)}</button>
            </ActionForm>
        }.into_any()),
        (None, true) => Some(view! {
            <ActionForm action attr:class="stack small-form endorse-form">
                <input type="hidden" name="doc" value=doc.clone() />
                <label for="endorse-org">{t!(i18n, phase.outcome_on_behalf_label)}</label>
                <input id="endorse-org" name="on_behalf_of" maxlength="200"
                    placeholder=move || t_string!(i18n, phase.outcome_on_behalf_placeholder).to_string() />
                {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button type="submit" class="button small primary">{t!(i18n, phase.outcome_endorse_submit)}</button>
            </ActionForm>
        }.into_any()),
        (None, false) => (!signed_in).then(|| view! {
            <p class="small muted">
                {t!(i18n, phase.outcome_sign_in,
                    link = move || view! { <a href="/login">{t!(i18n, phase.outcome_sign_in_link)}</a> })}
            </p>
        }.into_any()),
    };
    view! {
        <section class="outcome" aria-label=move || t_string!(i18n, phase.outcome_label).to_string()>
            <p class="small">
                {t!(i18n, phase.outcome_over,
                    report = move || view! { <a href=report_html.clone() rel="external">{t!(i18n, phase.outcome_report_link)}</a> },
                    word = move || view! { <a href=report_docx.clone() download>{t!(i18n, phase.format_word)}</a> },
                    versions = move || view! { <a href=versions_page.clone()>{t!(i18n, phase.outcome_versions_link)}</a> })}
            </p>
            <Suspense fallback=|| ()>
                {move || {
                    let downloads = downloads.clone();
                    Suspend::new(async move {
                        match cut.await.ok().and_then(|list| list.last().map(|v| v.name.clone())) {
                            Some(name) => downloads(name).into_any(),
                            None => view! {
                                <p class="small muted">{t!(i18n, phase.outcome_no_version)}</p>
                            }.into_any(),
                        }
                    })
                }}
            </Suspense>
            <h2 class="subhead">{t!(i18n, phase.outcome_endorsed_by, count = move || count)}</h2>
            {(count > 0).then(|| view! { <ul class="endorsements">{list}</ul> })}
            {form}
        </section>
    }
}

#[component]
pub fn PhaseBanner(
    doc: String,
    schedule: Schedule,
    seconds_left: Option<i64>,
    /// Whether the viewer runs the consultation (a chair).
    chair: bool,
    /// How many endorsed the closed text (reopening lets their endorsements lapse).
    endorsed: usize,
) -> impl IntoView {
    let i18n = use_i18n();
    let phase = schedule.phase;
    let when = schedule.deadline.map(|d| {
        let left = seconds_left.unwrap_or(0);
        view! {
            <span class="phase-remaining">
                " · "
                {t!(i18n, phase.banner_remaining,
                    time_left = move || time_left(i18n, left),
                    deadline = move || view! { <LocalTime at=d /> })}
            </span>
        }
    });
    let form = chair.then(|| {
        let action = ServerAction::<SetPhase>::new();
        // A new phase changes what everyone on the page may do: load it afresh.
        #[cfg(feature = "hydrate")]
        Effect::new(move |_| {
            if matches!(action.value().get(), Some(Ok(()))) {
                let _ = window().location().reload();
            }
        });
        let deadline = schedule.deadline;
        let current = deadline.map(time::to_field).unwrap_or_default();
        // The chair picks the deadline on their own clock: the page says whose, shows the
        // current one in it and sends the zone along (without JavaScript, all is UTC).
        let field = NodeRef::<leptos::html::Input>::new();
        let east = RwSignal::new(0i64);
        let zone_name = RwSignal::new(None::<String>);
        #[cfg(feature = "hydrate")]
        Effect::new(move |_| {
            zone_name.set(Some(super::parts::zone::name()));
            if let (Some(at), Some(input)) = (deadline, field.get()) {
                let offset = super::parts::zone::offset_at(at);
                east.set(offset);
                input.set_value(&time::to_field(at + offset * 60));
            }
        });
        let picked = move |_ev: leptos::ev::Event| {
            #[cfg(feature = "hydrate")]
            if let Some(offset) = super::parts::zone::offset_at_field(&event_target_value(&_ev)) {
                east.set(offset);
            }
        };
        let label = move || match zone_name.get() {
            Some(name) => t_string!(i18n, phase.form_deadline_local, zone = name).to_string(),
            None => t_string!(i18n, phase.form_deadline_utc).to_string(),
        };
        view! {
            <details class="tool phase-tool">
                <summary>{t!(i18n, phase.form_summary)}</summary>
                <ActionForm action attr:class="stack small-form phase-form">
                    <input type="hidden" name="doc" value=doc.clone() />
                    <label for="phase-to">{t!(i18n, phase.form_move_to)}</label>
                    <select id="phase-to" name="phase">
                        {Phase::ALL.iter().map(|p| view! {
                            <option value=p.key() selected=*p == phase>{words::phase(i18n, *p)}</option>
                        }).collect_view()}
                    </select>
                    <label for="phase-deadline">{label}</label>
                    <input id="phase-deadline" name="deadline" type="datetime-local" value=current
                        node_ref=field on:input=picked />
                    <input type="hidden" name="zone" value=move || east.get().to_string() />
                    {(phase == Phase::Closed && endorsed > 0).then(|| view! {
                        <p class="warning small" role="note">
                            {t!(i18n, phase.form_reopen_warning, count = move || endorsed)}
                        </p>
                    })}
                    <label for="phase-why">{t!(i18n, phase.form_reason)}</label>
                    <textarea id="phase-why" name="reason" rows="2" required maxlength="2000">{super::parts::kept_text::<SetPhase>(&[], "reason", String::new())}</textarea>
                    {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <button type="submit" class="button small primary">{t!(i18n, phase.form_submit)}</button>
                </ActionForm>
            </details>
        }
    });
    view! {
        <section class=format!("phase-banner phase-{}", phase.key())
            aria-label=move || t_string!(i18n, phase.banner_label).to_string()>
            <p>
                <strong class="phase-name">{words::phase(i18n, phase)}</strong>
                {when}
            </p>
            <p class="small phase-rule">{rule(i18n, phase)}</p>
            {form}
        </section>
    }
}
