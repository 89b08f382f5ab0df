//! For the chairs of a document: the accounts with stances on it that were registered in bursts
//! (three or more from one address, minutes apart), and a form per burst that sets the chosen
//! accounts' stances aside, or counts them again, for a reason the decision record keeps. Plain
//! forms: it works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::parts::{error_text, format_time};
use domain::api::Burst;

#[server(prefix = "/_fn", endpoint = "get_bursts")]
pub async fn get_bursts(doc: String) -> Result<Vec<Burst>, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    accord_core::bursts::list(&core, &who, &doc)
        .await
        .map_err(crate::serve::page_error)
}

/// `what` is `aside` or `again`; the checkboxes send `accounts[]`.
#[server(prefix = "/_fn", endpoint = "set_stances_aside")]
pub async fn set_stances_aside(
    doc: String,
    accounts: Option<Vec<String>>,
    reason: String,
    what: String,
) -> Result<(), ServerFnError> {
    let back = format!("/documents/{doc}/bursts");
    let req = domain::api::SetStancesAside {
        accounts: accounts.unwrap_or_default(),
        reason,
        count_again: what == "again",
    };
    crate::serve::write(&back, async |core, who| {
        accord_core::bursts::set_aside(core, who, &doc, req).await
    })
    .await
}

#[component]
pub fn BurstsPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let action = ServerAction::<SetStancesAside>::new();
    let bursts = Resource::new(
        move || (id(), action.version().get()),
        |(id, _)| get_bursts(id),
    );
    view! {
        <Title text="Accounts registered together" />
        <section class="form-page wide">
            <p class="crumbs"><a href=move || format!("/documents/{}/consensus", id())>"← Back to the consensus map"</a></p>
            <h1>"Accounts registered together"</h1>
            <p>
                "These accounts took stances on this document and were registered from one address, three or more, each within ten minutes of the one before. That can be a workshop in one room; it can be one person with many accounts. Setting their stances aside leaves them out of every figure; the decision record keeps your reason, and you can count them again."
            </p>
            {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match bursts.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="muted">"No accounts with stances on this document were registered in bursts."</p>
                        }.into_any(),
                        Ok(list) => list
                            .into_iter()
                            .map(|b| view! { <BurstForm doc=id() burst=b action /> })
                            .collect_view()
                            .into_any(),
                        Err(e) => view! { <p class="error" role="alert">{error_text(Some(Err::<(), _>(e)))}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn BurstForm(doc: String, burst: Burst, action: ServerAction<SetStancesAside>) -> impl IntoView {
    let first = burst
        .accounts
        .first()
        .map(|a| a.registered_at)
        .unwrap_or_default();
    let last = burst
        .accounts
        .last()
        .map(|a| a.registered_at)
        .unwrap_or_default();
    let heading = format!(
        "Address {}: {} accounts, registered {} to {}",
        burst.address,
        burst.accounts.len(),
        format_time(first),
        format_time(last)
    );
    let h_id = format!("burst-{}", burst.address);
    let labelled_by = h_id.clone();
    let reason_id = format!("reason-{}", burst.address);
    let reason_for = reason_id.clone();
    view! {
        <section class="burst stack" aria-labelledby=labelled_by>
            <h2 id=h_id>{heading}</h2>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="doc" value=doc />
                <div class="table-scroll">
                    <table>
                        <caption>{format!("Accounts from address {}", burst.address)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Choose"</th>
                                <th scope="col">"Account"</th>
                                <th scope="col">"Registered"</th>
                                <th scope="col">"Counted"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {burst.accounts.into_iter().map(|a| {
                                let box_id = format!("pick-{}", a.id);
                                let label_for = box_id.clone();
                                let about = match a.stances {
                                    1 => "1 stance on this document".to_string(),
                                    n => format!("{n} stances on this document"),
                                };
                                view! {
                                    <tr>
                                        <td><input type="checkbox" id=box_id name="accounts[]" value=a.id.clone() /></td>
                                        <td>
                                            <label for=label_for>{a.display_name}</label>
                                            <span class="muted small who-line">{about}</span>
                                        </td>
                                        <td>{format_time(a.registered_at)}</td>
                                        <td>{if a.set_aside { "set aside" } else { "counted" }}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <fieldset>
                    <legend>"What to do with the chosen accounts' stances"</legend>
                    <label><input type="radio" name="what" value="aside" checked=true />" Set them aside"</label>
                    <label><input type="radio" name="what" value="again" />" Count them again"</label>
                </fieldset>
                <label for=reason_for>"Reason (for the decision record)"</label>
                <textarea id=reason_id name="reason" required maxlength="2000" rows="2"></textarea>
                <div class="actions"><button type="submit" class="button primary">"Apply"</button></div>
            </ActionForm>
        </section>
    }
}
