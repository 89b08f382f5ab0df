//! Signing in, registering and signing out: plain forms that work without JavaScript (each is a
//! server function the form posts to), enhanced by Leptos when the page is hydrated.

// A server function's arguments are its form's fields; the registration form has eight.
#![allow(clippy::too_many_arguments)]

use super::parts::{error_text, kept};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use domain::profile::{AgeBand, Gender, Region, StakeholderGroup};

#[cfg(feature = "ssr")]
fn set_cookie_and_go(cookie: &str, to: &str) {
    if let (Some(resp), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(cookie),
    ) {
        resp.append_header(http::header::SET_COOKIE, value);
    }
    crate::serve::go(to);
}

#[server(prefix = "/_fn", endpoint = "login")]
pub async fn login(login: String, password: String, next: String) -> Result<(), ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    let cookie = accord_core::people::login(&core, &who, domain::api::Login { login, password })
        .await
        .map(|(_, cookie)| cookie)
        .map_err(crate::serve::page_error)?;
    set_cookie_and_go(&cookie, &next);
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "logout")]
pub async fn logout() -> Result<(), ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    let cookie = accord_core::people::logout(&core, &who)
        .await
        .map(|()| core.auth.clear_cookie())
        .map_err(crate::serve::page_error)?;
    set_cookie_and_go(&cookie, "/");
    Ok(())
}

/// The stakeholder group and region a registration or profile form sent.
#[cfg(feature = "ssr")]
fn profile_choices(
    stakeholder_group: &str,
    region: &str,
) -> Result<(StakeholderGroup, Region), ServerFnError> {
    Ok((
        StakeholderGroup::parse(stakeholder_group).ok_or_else(|| {
            crate::serve::refused(domain::refusal::Refusal::Choose {
                what: domain::refusal::Choice::StakeholderGroup,
            })
        })?,
        Region::parse(region).ok_or_else(|| {
            crate::serve::refused(domain::refusal::Refusal::Choose {
                what: domain::refusal::Choice::Region,
            })
        })?,
    ))
}

#[server(prefix = "/_fn", endpoint = "register")]
pub async fn register(
    login: String,
    password: String,
    display_name: String,
    affiliation: String,
    stakeholder_group: String,
    region: String,
    gender: String,
    age_band: String,
    next: String,
) -> Result<(), ServerFnError> {
    let (stakeholder_group, region) = profile_choices(&stakeholder_group, &region)?;
    let r = domain::api::Register {
        login,
        password,
        display_name,
        affiliation,
        stakeholder_group,
        region,
        gender: Gender::parse(&gender),
        age_band: AgeBand::parse(&age_band),
        next: Some(next),
    };
    let (core, who) = crate::serve::requester().await?;
    accord_core::people::register(&core, &who, r)
        .await
        .map_err(crate::serve::page_error)?;
    crate::serve::go("/register?sent=1");
    Ok(())
}

/// Confirms the address a mailed link is for, signs its account in and goes on to `next`.
#[server(prefix = "/_fn", endpoint = "confirm_address")]
pub async fn confirm_address(token: String, next: String) -> Result<(), ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    let (_, cookie) = accord_core::people::confirm_address(&core, &who, &token)
        .await
        .map_err(crate::serve::page_error)?;
    set_cookie_and_go(&cookie, &next);
    Ok(())
}

/// What a confirmation link opens: one button, so that a mail scanner following the link does
/// not confirm anything by itself.
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let action = ServerAction::<ConfirmAddress>::new();
    let params = leptos_router::hooks::use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".into());
    view! {
        <Title text="Confirm your e-mail address" />
        <section class="form-page narrow">
            <h1>"Confirm your e-mail address"</h1>
            <p>"Confirming says this address is yours. From then on your stances count in the figures."</p>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="token" value=token />
                <input type="hidden" name="next" value=next />
                {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <div class="actions">
                    <button type="submit" class="button primary">"Confirm and sign in"</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let query = leptos_router::hooks::use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".into());
    view! {
        <Title text="Sign in" />
        <section class="form-page narrow">
            <h1>"Sign in"</h1>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="next" value=next />
                <label for="login">"Login (email)"</label>
                <input id="login" name="login" type="email" autocomplete="username" required maxlength="254" />
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024" />
                {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <div class="actions">
                    <button type="submit" class="button primary">"Sign in"</button>
                    <a href=move || match query.read().get("next") {
                        Some(next) => format!("/register?next={next}"),
                        None => "/register".to_string(),
                    }>"Create an account"</a>
                </div>
            </ActionForm>
        </section>
    }
}

fn options<T: Copy + 'static>(
    all: &'static [T],
    key: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> impl IntoView {
    all.iter()
        .map(|v| view! { <option value=key(*v)>{label(*v)}</option> })
        .collect_view()
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<Register>::new();
    let query = leptos_router::hooks::use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".into());
    let sent = move || {
        query.read().get("sent").is_some() || action.value().get().is_some_and(|r| r.is_ok())
    };
    // After a refusal without JavaScript, what was typed comes back (never the password).
    let typed = |name: &str| kept::<Register>(&[], name);
    view! {
        <Title text="Register" />
        <section class="form-page">
            <h1>"Create an account"</h1>
            <Show when=sent>
                <div role="status" class="sent">
                    <h2>"Check your mail"</h2>
                    <p>"We mailed a link to the address you gave. Open it to confirm the address and sign in; it works for two days."</p>
                    <p>"If the address has an account already, the mail says how to sign in instead."</p>
                </div>
            </Show>
            <p class="muted">
                "Your stakeholder group and region are how Accord shows whether support for a text is balanced. They are shown only in aggregate; gender and age band are optional."
            </p>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="next" value=next />
                <label for="r-login">"Login (email)"</label>
                <input id="r-login" name="login" type="email" autocomplete="username" required maxlength="254"
                    value=typed("login") />
                <label for="r-password">"Password (at least 10 characters)"</label>
                <input id="r-password" name="password" type="password" autocomplete="new-password" required minlength="10" maxlength="1024" />
                <label for="r-name">"Display name"</label>
                <input id="r-name" name="display_name" type="text" required maxlength="64"
                    value=typed("display_name") />
                <label for="r-affiliation">"Affiliation"</label>
                <input id="r-affiliation" name="affiliation" type="text" maxlength="200"
                    value=typed("affiliation") />
                <label for="r-group">"Stakeholder group"</label>
                <select id="r-group" name="stakeholder_group" required>
                    <option value="">"Choose…"</option>
                    {options(StakeholderGroup::ALL, StakeholderGroup::key, StakeholderGroup::label)}
                </select>
                <label for="r-region">"Region"</label>
                <select id="r-region" name="region" required>
                    <option value="">"Choose…"</option>
                    {options(Region::ALL, Region::key, Region::label)}
                </select>
                <label for="r-gender">"Gender (optional)"</label>
                <select id="r-gender" name="gender">
                    <option value="">"Prefer not to say"</option>
                    {options(Gender::ALL, Gender::key, Gender::label)}
                </select>
                <label for="r-age">"Age band (optional)"</label>
                <select id="r-age" name="age_band">
                    <option value="">"Prefer not to say"</option>
                    {options(AgeBand::ALL, AgeBand::key, AgeBand::label)}
                </select>
                {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <div class="actions">
                    <button type="submit" class="button primary">"Create account"</button>
                    <A href="/login">"I have an account"</A>
                </div>
            </ActionForm>
        </section>
    }
}

#[server(prefix = "/_fn", endpoint = "update_profile")]
pub async fn update_profile(
    display_name: String,
    affiliation: String,
    stakeholder_group: String,
    region: String,
    gender: String,
    age_band: String,
) -> Result<(), ServerFnError> {
    let (stakeholder_group, region) = profile_choices(&stakeholder_group, &region)?;
    let update = domain::api::ProfileUpdate {
        display_name: Some(display_name),
        affiliation: Some(affiliation),
        stakeholder_group: Some(stakeholder_group),
        region: Some(region),
        gender: Some(Gender::parse(&gender)),
        age_band: Some(AgeBand::parse(&age_band)),
    };
    let (core, who) = crate::serve::requester().await?;
    accord_core::people::update_profile(&core, &who, update)
        .await
        .map_err(crate::serve::page_error)?;
    crate::serve::go("/profile?saved=1");
    Ok(())
}

/// Where the signed-in person is signed in.
#[server(prefix = "/_fn", endpoint = "sessions")]
pub async fn get_sessions() -> Result<Vec<domain::api::SessionView>, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    accord_core::people::sessions(&core, &who)
        .await
        .map_err(crate::serve::page_error)
}

/// Signs one of one's other sessions out (a browser left signed in elsewhere).
#[server(prefix = "/_fn", endpoint = "end_session")]
pub async fn end_session(session: String) -> Result<(), ServerFnError> {
    crate::serve::write("/profile#sessions", async |core, who| {
        accord_core::people::end_session(core, who, &session).await
    })
    .await
}

/// The person's sessions, each but this one with a button that signs it out.
#[component]
fn Sessions(list: Vec<domain::api::SessionView>, end: ServerAction<EndSession>) -> impl IntoView {
    view! {
        <section class="stack" id="sessions" aria-labelledby="sessions-h">
            <h2 id="sessions-h">"Where you are signed in"</h2>
            <ul class="sessions">
                {list.into_iter().map(|s| {
                    let when = format!(
                        "Signed in {}, last used {}",
                        super::parts::format_time(s.created_at),
                        super::parts::format_time(s.last_seen)
                    );
                    view! {
                        <li>
                            <span>{when}</span>
                            {if s.current {
                                view! { <strong>" (this browser)"</strong> }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=end attr:class="inline-form">
                                        <input type="hidden" name="session" value=s.id.clone() />
                                        <button type="submit" class="button small">"Sign out there"</button>
                                    </ActionForm>
                                }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || error_text(end.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </section>
    }
}

fn selected_options<T: Copy + PartialEq + 'static>(
    all: &'static [T],
    current: Option<T>,
    key: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> impl IntoView {
    all.iter()
        .map(|v| view! { <option value=key(*v) selected=Some(*v) == current>{label(*v)}</option> })
        .collect_view()
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let action = ServerAction::<UpdateProfile>::new();
    let end = ServerAction::<EndSession>::new();
    let me = Resource::new(|| (), |_| super::whoami());
    let sessions = Resource::new(move || end.version().get(), |_| get_sessions());
    let query = leptos_router::hooks::use_query_map();
    let saved = move || {
        query.read().get("saved").is_some() || action.value().get().is_some_and(|r| r.is_ok())
    };
    view! {
        <Title text="Your profile" />
        <section class="form-page">
            <h1>"Your profile"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let signed_in_at = sessions.await.unwrap_or_default();
                    match me.await {
                        Ok(Some(me)) => view! {
                            <p class="muted">{format!("Signed in as {}.", me.login)}</p>
                            <ActionForm action attr:class="stack">
                                <label for="p-name">"Display name"</label>
                                <input id="p-name" name="display_name" type="text" required maxlength="64" value=me.display_name.clone() />
                                <label for="p-affiliation">"Affiliation"</label>
                                <input id="p-affiliation" name="affiliation" type="text" maxlength="200" value=me.affiliation.clone() />
                                <label for="p-group">"Stakeholder group"</label>
                                <select id="p-group" name="stakeholder_group">
                                    {selected_options(StakeholderGroup::ALL, Some(me.stakeholder_group), StakeholderGroup::key, StakeholderGroup::label)}
                                </select>
                                <label for="p-region">"Region"</label>
                                <select id="p-region" name="region">
                                    {selected_options(Region::ALL, Some(me.region), Region::key, Region::label)}
                                </select>
                                <label for="p-gender">"Gender (optional, shown only in aggregate)"</label>
                                <select id="p-gender" name="gender">
                                    <option value="">"Prefer not to say"</option>
                                    {selected_options(Gender::ALL, me.gender, Gender::key, Gender::label)}
                                </select>
                                <label for="p-age">"Age band (optional, shown only in aggregate)"</label>
                                <select id="p-age" name="age_band">
                                    <option value="">"Prefer not to say"</option>
                                    {selected_options(AgeBand::ALL, me.age_band, AgeBand::key, AgeBand::label)}
                                </select>
                                {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                                {move || saved().then(|| view! { <p class="saved" role="status">"Saved."</p> })}
                                <div class="actions"><button type="submit" class="button primary">"Save"</button></div>
                            </ActionForm>
                            <Sessions list=signed_in_at end />
                        }.into_any(),
                        _ => view! { <p>"Sign in to see your profile. " <A href="/login?next=/profile">"Sign in"</A></p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
