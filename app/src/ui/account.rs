//! Signing in, registering and signing out: plain forms that work without JavaScript (each is a
//! server function the form posts to), enhanced by Leptos when the page is hydrated.

// A server function's arguments are its form's fields; the registration form has eight.
#![allow(clippy::too_many_arguments)]

use super::parts::{error_text, kept};
use super::words;
use accord_i18n::{t, t_string, use_i18n, Locale};
use leptos::prelude::*;
use leptos_i18n::Locale as _;
use leptos_meta::Title;
use leptos_router::components::A;

use domain::profile::{AgeBand, Gender, Language, Region, StakeholderGroup};

#[cfg(feature = "ssr")]
fn set_cookie(cookie: &str) {
    if let (Some(resp), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(cookie),
    ) {
        resp.append_header(http::header::SET_COOKIE, value);
    }
}

#[cfg(feature = "ssr")]
fn set_cookie_and_go(cookie: &str, to: &str) {
    set_cookie(cookie);
    crate::serve::go(to);
}

/// Signs in; answers the language the person chose to read Accord in, if any (the cookie is set
/// too), so that a page signed in from with JavaScript switches to it at once.
#[server(prefix = "/_fn", endpoint = "login")]
pub async fn login(
    login: String,
    password: String,
    next: String,
) -> Result<Option<String>, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    let (account, cookie) =
        accord_core::people::login(&core, &who, domain::api::Login { login, password })
            .await
            .map_err(crate::serve::page_error)?;
    // The language chosen on another browser comes along.
    let language = account.language();
    if let Some(language) = language {
        set_cookie(&core.auth.language_cookie(language));
    }
    set_cookie_and_go(&cookie, &next);
    Ok(language.map(|l| l.key().to_string()))
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
    // The mail speaks the language this page was read in.
    let language = use_context::<http::request::Parts>()
        .map(|parts| crate::serve::locale(&parts))
        .unwrap_or_default();
    accord_core::people::register(&core, &who, r, language)
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
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, account.confirm_title).to_string() />
        <section class="form-page narrow">
            <h1>{t!(i18n, account.confirm_title)}</h1>
            <p>{t!(i18n, account.confirm_intro)}</p>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="token" value=token />
                <input type="hidden" name="next" value=next />
                {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <div class="actions">
                    <button type="submit" class="button primary">{t!(i18n, account.confirm_submit)}</button>
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
    let i18n = use_i18n();
    Effect::new(move |_| {
        if let Some(Ok(Some(tag))) = action.value().get() {
            if let Ok(locale) = tag.parse::<Locale>() {
                i18n.set_locale(locale);
            }
        }
    });
    view! {
        <Title text=move || t_string!(i18n, account.login_title).to_string() />
        <section class="form-page narrow">
            <h1>{t!(i18n, account.login_title)}</h1>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="next" value=next />
                <label for="login">{t!(i18n, account.login_email_label)}</label>
                <input id="login" name="login" type="email" autocomplete="username" required maxlength="254" />
                <label for="password">{t!(i18n, account.login_password_label)}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024" />
                {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <div class="actions">
                    <button type="submit" class="button primary">{t!(i18n, account.login_submit)}</button>
                    <a href=move || match query.read().get("next") {
                        Some(next) => format!("/register?next={next}"),
                        None => "/register".to_string(),
                    }>{t!(i18n, account.login_create_account)}</a>
                </div>
            </ActionForm>
        </section>
    }
}

/// One `<option>` for each of a choice's values, named in the reader's language.
fn options<T: Copy + 'static>(
    i18n: words::I18n,
    all: &'static [T],
    key: fn(T) -> &'static str,
    label: fn(words::I18n, T) -> String,
) -> impl IntoView {
    all.iter()
        .map(|v| view! { <option value=key(*v)>{label(i18n, *v)}</option> })
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
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, account.register_page_title).to_string() />
        <section class="form-page">
            <h1>{t!(i18n, account.register_title)}</h1>
            <Show when=sent>
                <div role="status" class="sent">
                    <h2>{t!(i18n, account.register_sent_title)}</h2>
                    <p>{t!(i18n, account.register_sent_body)}</p>
                    <p>{t!(i18n, account.register_sent_existing)}</p>
                </div>
            </Show>
            <p class="muted">{t!(i18n, account.register_intro)}</p>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="next" value=next />
                <label for="r-login">{t!(i18n, account.register_email_label)}</label>
                <input id="r-login" name="login" type="email" autocomplete="username" required maxlength="254"
                    value=typed("login") />
                <label for="r-password">{t!(i18n, account.register_password_label)}</label>
                <input id="r-password" name="password" type="password" autocomplete="new-password" required minlength="10" maxlength="1024" />
                <label for="r-name">{t!(i18n, account.register_display_name_label)}</label>
                <input id="r-name" name="display_name" type="text" required maxlength="64"
                    value=typed("display_name") />
                <label for="r-affiliation">{t!(i18n, account.register_affiliation_label)}</label>
                <input id="r-affiliation" name="affiliation" type="text" maxlength="200"
                    value=typed("affiliation") />
                <label for="r-group">{t!(i18n, account.register_stakeholder_group_label)}</label>
                <select id="r-group" name="stakeholder_group" required>
                    <option value="">{t!(i18n, account.register_choose)}</option>
                    {options(i18n, StakeholderGroup::ALL, StakeholderGroup::key, words::group)}
                </select>
                <label for="r-region">{t!(i18n, account.register_region_label)}</label>
                <select id="r-region" name="region" required>
                    <option value="">{t!(i18n, account.register_choose)}</option>
                    {options(i18n, Region::ALL, Region::key, words::region)}
                </select>
                <label for="r-gender">{t!(i18n, account.register_gender_label)}</label>
                <select id="r-gender" name="gender">
                    <option value="">{t!(i18n, account.register_prefer_not_to_say)}</option>
                    {options(i18n, Gender::ALL, Gender::key, words::gender)}
                </select>
                <label for="r-age">{t!(i18n, account.register_age_band_label)}</label>
                <select id="r-age" name="age_band">
                    <option value="">{t!(i18n, account.register_prefer_not_to_say)}</option>
                    {options(i18n, AgeBand::ALL, AgeBand::key, words::age)}
                </select>
                {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <div class="actions">
                    <button type="submit" class="button primary">{t!(i18n, account.register_submit)}</button>
                    <A href="/login">{t!(i18n, account.register_have_account)}</A>
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
    #[server(default)] language: Option<String>,
) -> Result<(), ServerFnError> {
    let (stakeholder_group, region) = profile_choices(&stakeholder_group, &region)?;
    // Absent (an older form): the language kept stays.
    let language = language
        .as_deref()
        .and_then(domain::profile::Language::parse);
    let update = domain::api::ProfileUpdate {
        display_name: Some(display_name),
        affiliation: Some(affiliation),
        stakeholder_group: Some(stakeholder_group),
        region: Some(region),
        gender: Some(Gender::parse(&gender)),
        age_band: Some(AgeBand::parse(&age_band)),
        language,
    };
    let (core, who) = crate::serve::requester().await?;
    accord_core::people::update_profile(&core, &who, update)
        .await
        .map_err(crate::serve::page_error)?;
    if let Some(language) = language {
        set_cookie(&core.auth.language_cookie(language));
    }
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
    let i18n = use_i18n();
    view! {
        <section class="stack" id="sessions" aria-labelledby="sessions-h">
            <h2 id="sessions-h">{t!(i18n, account.sessions_title)}</h2>
            <ul class="sessions">
                {list.into_iter().map(|s| {
                    let when = t_string!(
                        i18n,
                        account.sessions_entry,
                        signed_in = super::parts::format_time(i18n, s.created_at),
                        last_used = super::parts::format_time(i18n, s.last_seen),
                    )
                    .to_string();
                    view! {
                        <li>
                            <span>{when}</span>
                            {if s.current {
                                view! { <strong>" " {t!(i18n, account.sessions_this_browser)}</strong> }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=end attr:class="inline-form">
                                        <input type="hidden" name="session" value=s.id.clone() />
                                        <button type="submit" class="button small">{t!(i18n, account.sessions_sign_out_there)}</button>
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

/// Like [`options`], with `current` selected.
fn selected_options<T: Copy + PartialEq + 'static>(
    i18n: words::I18n,
    all: &'static [T],
    current: Option<T>,
    key: fn(T) -> &'static str,
    label: fn(words::I18n, T) -> String,
) -> impl IntoView {
    all.iter()
        .map(|v| view! { <option value=key(*v) selected=Some(*v) == current>{label(i18n, *v)}</option> })
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
    let i18n = use_i18n();
    // The language being read now, offered until one is chosen.
    let reading = Language::parse(i18n.get_locale_untracked().as_str()).unwrap_or_default();
    let language = NodeRef::<leptos::html::Select>::new();
    // Saved with JavaScript, the page changes language at once (without, the next page does).
    Effect::new(move |_| {
        if action.value().get().is_some_and(|r| r.is_ok()) {
            let chosen = language
                .get_untracked()
                .map(|s| s.value())
                .unwrap_or_default();
            if let Ok(locale) = chosen.parse::<Locale>() {
                i18n.set_locale(locale);
            }
        }
    });
    view! {
        <Title text=move || t_string!(i18n, account.profile_title).to_string() />
        <section class="form-page">
            <h1>{t!(i18n, account.profile_title)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let signed_in_at = sessions.await.unwrap_or_default();
                    match me.await {
                        Ok(Some(me)) => view! {
                            <p class="muted">{t_string!(i18n, account.profile_signed_in_as, login = me.login.clone()).to_string()}</p>
                            <ActionForm action attr:class="stack">
                                <label for="p-name">{t!(i18n, account.profile_display_name_label)}</label>
                                <input id="p-name" name="display_name" type="text" required maxlength="64" value=me.display_name.clone() />
                                <label for="p-affiliation">{t!(i18n, account.profile_affiliation_label)}</label>
                                <input id="p-affiliation" name="affiliation" type="text" maxlength="200" value=me.affiliation.clone() />
                                <label for="p-group">{t!(i18n, account.profile_stakeholder_group_label)}</label>
                                <select id="p-group" name="stakeholder_group">
                                    {selected_options(i18n, StakeholderGroup::ALL, Some(me.stakeholder_group), StakeholderGroup::key, words::group)}
                                </select>
                                <label for="p-region">{t!(i18n, account.profile_region_label)}</label>
                                <select id="p-region" name="region">
                                    {selected_options(i18n, Region::ALL, Some(me.region), Region::key, words::region)}
                                </select>
                                <label for="p-gender">{t!(i18n, account.profile_gender_label)}</label>
                                <select id="p-gender" name="gender">
                                    <option value="">{t!(i18n, account.profile_prefer_not_to_say)}</option>
                                    {selected_options(i18n, Gender::ALL, me.gender, Gender::key, words::gender)}
                                </select>
                                <label for="p-age">{t!(i18n, account.profile_age_band_label)}</label>
                                <select id="p-age" name="age_band">
                                    <option value="">{t!(i18n, account.profile_prefer_not_to_say)}</option>
                                    {selected_options(i18n, AgeBand::ALL, me.age_band, AgeBand::key, words::age)}
                                </select>
                                <label for="p-language">{t!(i18n, common.language)}</label>
                                <select id="p-language" name="language" node_ref=language>
                                    {Language::ALL.iter().map(|l| {
                                        let chosen = me.language.unwrap_or(reading) == *l;
                                        view! { <option value=l.key() lang=l.key() selected=chosen>{l.label()}</option> }
                                    }).collect_view()}
                                </select>
                                {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                                {move || saved().then(|| view! { <p class="saved" role="status">{t!(i18n, account.profile_saved)}</p> })}
                                <div class="actions"><button type="submit" class="button primary">{t!(i18n, account.profile_save)}</button></div>
                            </ActionForm>
                            <Sessions list=signed_in_at end />
                        }.into_any(),
                        _ => view! {
                            <p>
                                {t!(i18n, account.profile_signed_out,
                                    link = move || view! { <A href="/login?next=/profile">{t!(i18n, account.profile_signed_out_link)}</A> })}
                            </p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
