//! For the chairs of a document: the accounts with stances on it that were registered in bursts
//! (three or more from one address, minutes apart), and a form per burst that sets the chosen
//! accounts' stances aside, or counts them again, for a reason the decision record keeps. Plain
//! forms: it works without JavaScript.

use accord_i18n::{t, t_string, use_i18n};
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
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let action = ServerAction::<SetStancesAside>::new();
    let bursts = Resource::new(
        move || (id(), action.version().get()),
        |(id, _)| get_bursts(id),
    );
    view! {
        <Title text=move || t_string!(i18n, versions.bursts_title).to_string() />
        <section class="form-page wide">
            <p class="crumbs"><a href=move || format!("/documents/{}/consensus", id())>{t!(i18n, versions.bursts_back)}</a></p>
            <h1>{t!(i18n, versions.bursts_title)}</h1>
            <p>{t!(i18n, versions.bursts_intro)}</p>
            {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match bursts.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="muted">{t!(i18n, versions.bursts_none)}</p>
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
    let i18n = use_i18n();
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
    let heading = t_string!(
        i18n,
        versions.burst_heading,
        address = burst.address.clone(),
        count = burst.accounts.len(),
        from = format_time(i18n, first),
        to = format_time(i18n, last)
    )
    .to_string();
    let caption = t_string!(
        i18n,
        versions.burst_caption,
        address = burst.address.clone()
    )
    .to_string();
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
                        <caption>{caption}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, versions.burst_col_choose)}</th>
                                <th scope="col">{t!(i18n, versions.burst_col_account)}</th>
                                <th scope="col">{t!(i18n, versions.burst_col_registered)}</th>
                                <th scope="col">{t!(i18n, versions.burst_col_counted)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {burst.accounts.into_iter().map(|a| {
                                let box_id = format!("pick-{}", a.id);
                                let label_for = box_id.clone();
                                let about = t_string!(i18n, versions.burst_stances, count = a.stances).to_string();
                                let counted = if a.set_aside {
                                    t_string!(i18n, versions.burst_set_aside)
                                } else {
                                    t_string!(i18n, versions.burst_counted)
                                }
                                .to_string();
                                view! {
                                    <tr>
                                        <td><input type="checkbox" id=box_id name="accounts[]" value=a.id.clone() /></td>
                                        <td>
                                            <label for=label_for>{a.display_name}</label>
                                            <span class="muted small who-line">{about}</span>
                                        </td>
                                        <td>{format_time(i18n, a.registered_at)}</td>
                                        <td>{counted}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <fieldset>
                    <legend>{t!(i18n, versions.burst_what_legend)}</legend>
                    <label><input type="radio" name="what" value="aside" checked=true />" "{t!(i18n, versions.burst_aside)}</label>
                    <label><input type="radio" name="what" value="again" />" "{t!(i18n, versions.burst_again)}</label>
                </fieldset>
                <label for=reason_for>{t!(i18n, versions.burst_reason)}</label>
                <textarea id=reason_id name="reason" required maxlength="2000" rows="2"></textarea>
                <div class="actions"><button type="submit" class="button primary">{t!(i18n, versions.burst_apply)}</button></div>
            </ActionForm>
        </section>
    }
}
