//! The phase banner on a document: where the consultation stands, the time left and what the
//! phase allows; for chairs, the form that moves the document on (a plain post, so it works
//! without JavaScript). Once closed, the published outcome: the final text's downloads, the
//! report, and who endorsed the text.

use leptos::prelude::*;

use super::parts::{error_text, LocalTime};
use domain::api::{Endorsements, Phase, Schedule};
use domain::{phase::time_left, time};

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

/// A closed document's outcome: where to read it and who endorsed it.
#[component]
pub fn Outcome(doc: String, endorsements: Endorsements, signed_in: bool) -> impl IntoView {
    let action = ServerAction::<EndorseText>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            let _ = window().location().reload();
        }
    });
    let api = format!("/api/v1/documents/{doc}");
    let report = {
        let api = api.clone();
        move |format: &str| format!("{api}/report?format={format}")
    };
    let versions = format!("/documents/{doc}/versions");
    // The last version cut is the final text: offered for download here, in every format.
    let cut = {
        let doc = doc.clone();
        Resource::new(|| (), move |_| super::versions::get_versions(doc.clone()))
    };
    let downloads = move |name: String| {
        let link = |format: &str| format!("{api}/export?format={format}&version={name}");
        view! {
            <p class="small final-downloads">
                {format!("Download the final text ({name}): ")}
                <a href=link("docx") download>"Word"</a> " · "
                <a href=link("html") rel="external">"printable page"</a> " · "
                <a href=link("text") download>"plain text"</a> " · "
                <a href=link("markdown") download>"Markdown"</a>
            </p>
        }
    };
    let count = endorsements.endorsements.len();
    let list = endorsements
        .endorsements
        .iter()
        .map(|e| view! { <li>{e.line()}</li> })
        .collect_view();
    let form = match (endorsements.yours.map(|e| e.line()), endorsements.you_may_endorse) {
        (Some(mine), _) => Some(view! {
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="doc" value=doc.clone() />
                <input type="hidden" name="withdraw" value="yes" />
                <span class="small">{format!("You endorsed this text: {mine}. ")}</span>
                <button type="submit" class="button small">"Withdraw my endorsement"</button>
            </ActionForm>
        }.into_any()),
        (None, true) => Some(view! {
            <ActionForm action attr:class="stack small-form endorse-form">
                <input type="hidden" name="doc" value=doc.clone() />
                <label for="endorse-org">"On behalf of (leave empty to endorse personally)"</label>
                <input id="endorse-org" name="on_behalf_of" maxlength="200" placeholder="Organisation" />
                {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button type="submit" class="button small primary">"Endorse the final text"</button>
            </ActionForm>
        }.into_any()),
        (None, false) => (!signed_in).then(|| view! {
            <p class="small muted"><a href="/login">"Sign in"</a>" to endorse the final text."</p>
        }.into_any()),
    };
    view! {
        <section class="outcome" aria-label="Outcome">
            <p class="small">
                "The consultation is over. Read the "
                <a href=report("html") rel="external">"consultation report"</a>" ("<a href=report("docx") download>"Word"</a>"); "
                "every version is on "<a href=versions>"the versions page"</a>"."
            </p>
            <Suspense fallback=|| ()>
                {move || {
                    let downloads = downloads.clone();
                    Suspend::new(async move {
                        match cut.await.ok().and_then(|list| list.last().map(|v| v.name.clone())) {
                            Some(name) => downloads(name).into_any(),
                            None => view! {
                                <p class="small muted">"No version was cut before closing: the chairs cut the final text from the versions page."</p>
                            }.into_any(),
                        }
                    })
                }}
            </Suspense>
            <h2 class="subhead">{format!("Endorsed by {count} {}", if count == 1 { "person or organisation" } else { "people and organisations" })}</h2>
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
    let phase = schedule.phase;
    let when = schedule.deadline.map(|d| {
        view! {
            <span class="phase-remaining">
                {format!(" · {} (until ", time_left(seconds_left.unwrap_or(0)))}
                <LocalTime at=d />
                ")"
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
            Some(name) => format!("Deadline (your time, {name}; consultation and last call)"),
            None => "Deadline (UTC; consultation and last call)".to_string(),
        };
        view! {
            <details class="tool phase-tool">
                <summary>"Change the phase"</summary>
                <ActionForm action attr:class="stack small-form phase-form">
                    <input type="hidden" name="doc" value=doc.clone() />
                    <label for="phase-to">"Move to"</label>
                    <select id="phase-to" name="phase">
                        {Phase::ALL.iter().map(|p| view! {
                            <option value=p.key() selected=*p == phase>{p.label()}</option>
                        }).collect_view()}
                    </select>
                    <label for="phase-deadline">{label}</label>
                    <input id="phase-deadline" name="deadline" type="datetime-local" value=current
                        node_ref=field on:input=picked />
                    <input type="hidden" name="zone" value=move || east.get().to_string() />
                    {(phase == Phase::Closed && endorsed > 0).then(|| view! {
                        <p class="warning small" role="note">
                            {match endorsed {
                                1 => "Reopening lets the endorsement of the closed text lapse".to_string(),
                                n => format!("Reopening lets the {n} endorsements of the closed text lapse"),
                            }}
                            ": the decision record names who had endorsed it, and the text must be endorsed afresh once it closes again."
                        </p>
                    })}
                    <label for="phase-why">"Reason (for the decision record)"</label>
                    <textarea id="phase-why" name="reason" rows="2" required maxlength="2000">{super::parts::kept_text::<SetPhase>(&[], "reason", String::new())}</textarea>
                    {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <button type="submit" class="button small primary">"Move the document"</button>
                </ActionForm>
            </details>
        }
    });
    view! {
        <section class=format!("phase-banner phase-{}", phase.key()) aria-label="Where the consultation stands">
            <p>
                <strong class="phase-name">{phase.label()}</strong>
                {when}
            </p>
            <p class="small phase-rule">{phase.describe()}</p>
            {form}
        </section>
    }
}
