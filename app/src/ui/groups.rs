//! Groups: a chair's page to invite people and change their roles, the admin's form to create a
//! group and appoint its chair, and the page an invitation link opens. Plain forms throughout,
//! so they work without JavaScript; the server decides who may do what.

use accord_i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos_i18n::Locale as _;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{parts::error_text, words, words::I18n};
use domain::api::{GroupKind, GroupPage, InvitationCreated, Role};

#[server(prefix = "/_fn", endpoint = "group_page")]
pub async fn load_group_page(group: String) -> Result<GroupPage, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    accord_core::people::group_page(&core, &who, &group)
        .await
        .map_err(crate::serve::page_error)
}

#[server(prefix = "/_fn", endpoint = "create_group")]
pub async fn new_group(
    name: String,
    kind: String,
    #[server(default)] language: Option<String>,
) -> Result<(), ServerFnError> {
    let kind = GroupKind::parse(&kind).ok_or_else(|| {
        crate::serve::refused(domain::refusal::Refusal::Choose {
            what: domain::refusal::Choice::GroupKind,
        })
    })?;
    let language = match language.as_deref() {
        None => None,
        Some(tag) => Some(domain::profile::Language::parse(tag).ok_or_else(|| {
            crate::serve::refused(domain::refusal::Refusal::Choose {
                what: domain::refusal::Choice::Language,
            })
        })?),
    };
    let (core, who) = crate::serve::requester().await?;
    let new = domain::api::CreateGroup {
        name,
        kind,
        language,
    };
    let g = accord_core::people::create_group(&core, &who, new)
        .await
        .map_err(crate::serve::page_error)?;
    crate::serve::go(&format!("/groups/{}", g.id));
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "invite")]
pub async fn invite(
    group: String,
    role: String,
    days: i64,
) -> Result<InvitationCreated, ServerFnError> {
    let role = domain::api::Role::parse_member(&role).ok_or_else(|| {
        crate::serve::refused(domain::refusal::Refusal::Choose {
            what: domain::refusal::Choice::Role,
        })
    })?;
    let (core, who) = crate::serve::requester().await?;
    accord_core::people::create_invitation(
        &core,
        &who,
        &group,
        domain::api::CreateInvitation {
            role,
            days: Some(days),
        },
    )
    .await
    .map_err(crate::serve::page_error)
}

#[server(prefix = "/_fn", endpoint = "set_role")]
pub async fn set_member_role(
    group: String,
    account: String,
    role: String,
) -> Result<(), ServerFnError> {
    // "remove" takes the member out of the group.
    let role = match role.as_str() {
        "remove" => domain::api::Role::Reader,
        r => domain::api::Role::parse_member(r).ok_or_else(|| {
            crate::serve::refused(domain::refusal::Refusal::Choose {
                what: domain::refusal::Choice::Role,
            })
        })?,
    };
    let (core, who) = crate::serve::requester().await?;
    accord_core::people::set_role(&core, &who, &group, &account, role)
        .await
        .map_err(crate::serve::page_error)?;
    crate::serve::go(&format!("/groups/{group}"));
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "revoke")]
pub async fn revoke(group: String, invitation: String) -> Result<(), ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    accord_core::people::revoke_invitation(&core, &who, &group, &invitation)
        .await
        .map_err(crate::serve::page_error)?;
    crate::serve::go(&format!("/groups/{group}"));
    Ok(())
}

/// What an invitation link offers: its group and role, or why it cannot be used.
#[server(prefix = "/_fn", endpoint = "invitation_offer")]
pub async fn invitation_offer(
    token: String,
) -> Result<domain::api::InvitationOffer, ServerFnError> {
    let (core, _) = crate::serve::requester().await?;
    accord_core::people::invitation_offer(&core, &token)
        .await
        .map_err(crate::serve::page_error)
}

#[server(prefix = "/_fn", endpoint = "accept")]
pub async fn accept(token: String) -> Result<(), ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    let joined = accord_core::people::accept_invitation_view(&core, &who, &token)
        .await
        .map_err(crate::serve::page_error)?;
    crate::serve::go(&format!("/groups/{}", joined.group));
    Ok(())
}

/// Every group of the installation.
#[server(prefix = "/_fn", endpoint = "all_groups")]
pub async fn all_groups() -> Result<Vec<domain::api::Group>, ServerFnError> {
    let (core, _) = crate::serve::requester().await?;
    core.rooms
        .store()
        .groups()
        .await
        .map_err(|e| crate::serve::page_error(e.into()))
}

/// For the admin's home page: every group, each linked to its page (where its chairs are
/// appointed).
#[component]
pub fn AllGroups() -> impl IntoView {
    let i18n = use_i18n();
    let groups = Resource::new(|| (), |_| all_groups());
    view! {
        <h3 class="subhead">{t!(i18n, groups.all_groups_title)}</h3>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match groups.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t!(i18n, groups.all_groups_empty)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="group-chips">
                            {list.into_iter().map(|g| view! {
                                <li><a href=format!("/groups/{}", g.id)>{g.name}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{error_text(Some(Err::<(), _>(e)))}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The admin's form for a new group (shown on the home page).
#[component]
pub fn CreateGroupForm() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<NewGroup>::new();
    // Offered: the language being read now.
    let reading = i18n.get_locale_untracked();
    view! {
        <ActionForm action attr:class="stack inline-stack">
            <label for="g-name">{t!(i18n, groups.create_group_name_label)}</label>
            <input id="g-name" name="name" type="text" required maxlength="200"
                placeholder=move || t_string!(i18n, groups.create_group_name_placeholder).to_string() />
            <label for="g-kind">{t!(i18n, groups.create_group_kind_label)}</label>
            <select id="g-kind" name="kind">
                <option value="bpf">{t!(i18n, groups.group_kind_bpf)}</option>
                <option value="dc">{t!(i18n, groups.group_kind_dc)}</option>
                <option value="other">{t!(i18n, groups.create_group_kind_other_option)}</option>
            </select>
            <label for="g-language">{t!(i18n, groups.create_group_language_label)}</label>
            <select id="g-language" name="language">
                {domain::profile::Language::ALL.iter().map(|l| view! {
                    <option value=l.key() lang=l.key() selected=l.key() == reading.as_str()>{l.label()}</option>
                }).collect_view()}
            </select>
            {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="actions"><button type="submit" class="button">{t!(i18n, groups.create_group_submit)}</button></div>
        </ActionForm>
    }
}

/// The admin's form that restores a document from an archive another installation (or this
/// one) made. It sends the chosen file to `POST /api/v1/archives` from the browser, so it needs
/// JavaScript; the API takes the same file without it.
#[component]
pub fn RestoreForm() -> impl IntoView {
    let i18n = use_i18n();
    let file = NodeRef::<leptos::html::Input>::new();
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some(chosen) = file.get().and_then(|i| i.files()).and_then(|f| f.get(0)) {
            busy.set(true);
            // The words of a failure are chosen now, in the language the page is read in.
            let locale = i18n.get_locale_untracked();
            leptos::task::spawn_local(async move {
                outcome.set(Some(send_archive(locale, chosen).await));
                busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (file, busy);
    };
    view! {
        <form class="stack inline-stack restore-form" on:submit=submit>
            <label for="archive-file">{t!(i18n, groups.restore_label)}</label>
            <input id="archive-file" type="file" accept=".json,application/json" required node_ref=file aria-describedby="archive-hint" />
            <p id="archive-hint" class="small muted">{t!(i18n, groups.restore_hint)}</p>
            {move || match outcome.get() {
                Some(Ok(url)) => Some(view! {
                    <p class="notice" role="status">
                        {t!(i18n, groups.restore_done,
                            link = move || view! { <a href=url.clone()>{t!(i18n, groups.restore_done_link)}</a> })}
                    </p>
                }.into_any()),
                Some(Err(e)) => Some(view! { <p class="error" role="alert">{e}</p> }.into_any()),
                None => None,
            }}
            <div class="actions">
                <button type="submit" class="button" disabled=move || busy.get()>{t!(i18n, groups.restore_submit)}</button>
            </div>
        </form>
    }
}

/// Posts an archive file; the restored document's address, or the server's words.
#[cfg(feature = "hydrate")]
async fn send_archive(locale: accord_i18n::Locale, file: web_sys::File) -> Result<String, String> {
    use accord_i18n::td_string;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    let failed = |e: JsValue| {
        td_string!(locale, groups.restore_send_failed, error = format!("{e:?}")).to_string()
    };
    let text = JsFuture::from(file.text()).await.map_err(failed)?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&text);
    let headers = web_sys::Headers::new().map_err(failed)?;
    headers
        .set("content-type", "application/json")
        .map_err(failed)?;
    init.set_headers(&headers);
    let response: web_sys::Response =
        JsFuture::from(window().fetch_with_str_and_init("/api/v1/archives", &init))
            .await
            .map_err(failed)?
            .dyn_into()
            .map_err(failed)?;
    let body = JsFuture::from(response.text().map_err(failed)?)
        .await
        .map_err(failed)?
        .as_string()
        .unwrap_or_default();
    let json: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    if response.ok() {
        Ok(json["url"].as_str().unwrap_or("/").to_string())
    } else {
        Err(json["error"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| {
                td_string!(
                    locale,
                    groups.restore_server_answered,
                    status = response.status()
                )
                .to_string()
            }))
    }
}

#[component]
pub fn GroupPageView() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let group = move || params.read().get("id").unwrap_or_default();
    let actions = GroupActions {
        invite: ServerAction::<Invite>::new(),
        role: ServerAction::<SetMemberRole>::new(),
        revoke: ServerAction::<Revoke>::new(),
    };
    // Read again after each form, so that the table shows what was applied.
    let page = Resource::new(
        move || {
            let used = actions.invite.version().get()
                + actions.role.version().get()
                + actions.revoke.version().get();
            (group(), used)
        },
        |(group, _)| load_group_page(group),
    );
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <GroupAdmin page=p actions /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{error_text(Some(Err::<(), _>(e)))}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The group page's forms, kept outside the part rebuilt when the page is read again.
#[derive(Clone, Copy)]
struct GroupActions {
    invite: ServerAction<Invite>,
    role: ServerAction<SetMemberRole>,
    revoke: ServerAction<Revoke>,
}

#[component]
fn GroupAdmin(page: GroupPage, actions: GroupActions) -> impl IntoView {
    let GroupActions {
        invite: invite_action,
        role: role_action,
        revoke: revoke_action,
    } = actions;
    let i18n = use_i18n();
    let group = page.group.id.clone();
    let roles: Vec<Role> = if page.may_appoint {
        vec![Role::Participant, Role::Drafter, Role::Chair]
    } else {
        vec![Role::Participant, Role::Drafter]
    };
    let invite_roles = roles.clone();
    let manage = page.may_manage || page.may_appoint;
    let members = page.members.clone();
    let invitations = page.invitations.clone();
    let link = move || {
        invite_action.value().get().and_then(|r| r.ok()).map(|created| {
            let expires = created.expires_at;
            let copied = RwSignal::new(false);
            let url = created.url.clone();
            let copy = move |_| {
                #[cfg(feature = "hydrate")]
                {
                    let _ = window().navigator().clipboard().write_text(&url);
                    copied.set(true);
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = &url;
            };
            let days = ((expires - now_secs()).max(0) + 3_600) / 86_400;
            view! {
                <div class="invite-link" role="status">
                    <p>{t!(i18n, groups.invite_link_hint, count = move || days)}</p>
                    <div class="copy-row">
                        <input type="text" readonly value=created.url.clone()
                            aria-label=move || t_string!(i18n, groups.invite_link_label).to_string() />
                        <button type="button" class="button small" on:click=copy>
                            {move || match copied.get() {
                                true => t_string!(i18n, groups.invite_link_copied).to_string(),
                                false => t_string!(i18n, groups.invite_link_copy).to_string(),
                            }}
                        </button>
                    </div>
                </div>
            }
        })
    };
    view! {
        <Title text=page.group.name.clone() />
        <section class="form-page wide">
            <p class="doc-group">{kind_name(i18n, page.group.kind)}</p>
            <h1>{page.group.name.clone()}</h1>
            {(!manage).then(|| view! { <p class="muted">{t!(i18n, groups.group_chairs_only)}</p> })}
            {manage.then(move || {
                let g1 = group.clone();
                let g2 = group.clone();
                let g3 = group.clone();
                view! {
                    <h2>{t!(i18n, groups.invite_title)}</h2>
                    <ActionForm action=invite_action attr:class="stack inline-stack">
                        <input type="hidden" name="group" value=g1 />
                        <label for="i-role">{t!(i18n, groups.invite_role_label)}</label>
                        <select id="i-role" name="role">
                            {invite_roles.iter().map(|r| view! { <option value=r.as_str()>{role_option(i18n, *r)}</option> }).collect_view()}
                        </select>
                        <label for="i-days">{t!(i18n, groups.invite_days_label)}</label>
                        <input id="i-days" name="days" type="number" min="1" max="90" value="14" />
                        {move || error_text(invite_action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                        <div class="actions"><button type="submit" class="button primary">{t!(i18n, groups.invite_submit)}</button></div>
                    </ActionForm>
                    {link}
                    <h2>{t!(i18n, groups.members_title)}</h2>
                    {move || error_text(role_action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <table class="members">
                        <thead>
                            <tr>
                                <th>{t!(i18n, groups.members_col_name)}</th>
                                <th>{t!(i18n, groups.members_col_login)}</th>
                                <th>{t!(i18n, groups.members_col_role)}</th>
                                <th>{t!(i18n, groups.members_col_change)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {members.into_iter().map(|m| {
                                let roles = roles.clone();
                                let current = m.role;
                                // A chair's role is the admin's to change.
                                let can_change = roles.contains(&current);
                                let g = g2.clone();
                                let label = t_string!(i18n, groups.members_new_role_for, name = &m.display_name).to_string();
                                view! {
                                    <tr>
                                        <td>{m.display_name}</td>
                                        <td>{m.login}</td>
                                        <td>{words::role(i18n, current)}</td>
                                        <td>
                                            {match can_change {
                                                false => view! { <span class="muted small">{t!(i18n, groups.members_admin_appoints_chairs)}</span> }.into_any(),
                                                true => view! {
                                                    <ActionForm action=role_action attr:class="row-form">
                                                        <input type="hidden" name="group" value=g />
                                                        <input type="hidden" name="account" value=m.account />
                                                        <select name="role" aria-label=label>
                                                            {roles.iter().map(|r| view! { <option value=r.as_str() selected=*r == current>{role_option(i18n, *r)}</option> }).collect_view()}
                                                            <option value="remove">{t!(i18n, groups.members_remove)}</option>
                                                        </select>
                                                        <button type="submit" class="button small">{t!(i18n, groups.members_apply)}</button>
                                                    </ActionForm>
                                                }.into_any(),
                                            }}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <h2>{t!(i18n, groups.invitations_title)}</h2>
                    <ul class="invitations">
                        {invitations.into_iter().map(|i| {
                            let state = if i.accepted {
                                t_string!(i18n, groups.invitations_state_used).to_string()
                            } else if i.revoked {
                                t_string!(i18n, groups.invitations_state_revoked).to_string()
                            } else {
                                t_string!(i18n, groups.invitations_state_open).to_string()
                            };
                            let item = t_string!(i18n, groups.invitations_item, role = words::role(i18n, i.role), state = state).to_string();
                            let open = !i.accepted && !i.revoked;
                            let g = g3.clone();
                            let id = i.id.clone();
                            view! {
                                <li>
                                    {item}
                                    {open.then(|| view! {
                                        <ActionForm action=revoke_action attr:class="row-form">
                                            <input type="hidden" name="group" value=g />
                                            <input type="hidden" name="invitation" value=id />
                                            <button type="submit" class="button small">{t!(i18n, groups.invitations_revoke)}</button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
            })}
            <super::outputs::ThresholdForm group=page.group.id.clone() />
        </section>
    }
}

/// A group kind's name, as the group page shows it above the group's name.
fn kind_name(i18n: I18n, kind: GroupKind) -> String {
    match kind {
        GroupKind::Bpf => t_string!(i18n, groups.group_kind_bpf),
        GroupKind::Dc => t_string!(i18n, groups.group_kind_dc),
        GroupKind::Other => t_string!(i18n, groups.group_kind_generic),
    }
    .to_string()
}

/// A role's name as a menu offers it: capitalised, where the language has capitals.
fn role_option(i18n: I18n, role: Role) -> String {
    let name = words::role(i18n, role);
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn now_secs() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        (js_sys::Date::now() / 1000.0) as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    }
}

/// Where an invitation link lands: which group it is for and with what role, then joining
/// (or signing in or registering first, and coming back).
#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let action = ServerAction::<Accept>::new();
    let me = Resource::new(|| (), |_| super::whoami());
    let offer = Resource::new(token, invitation_offer);
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, groups.invitation_page_title).to_string() />
        <section class="form-page narrow">
            <h1>{t!(i18n, groups.invitation_heading)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let offer = match offer.await {
                        Ok(offer) => offer,
                        Err(e) => {
                            return view! {
                                <p class="error" role="alert">{error_text(Some(Err::<(), _>(e)))}</p>
                                <p>{t!(i18n, groups.invitation_ask_new_link)}</p>
                            }
                            .into_any();
                        }
                    };
                    // With its article, or in the case the sentence needs: not the bare role name.
                    let as_role = match offer.role {
                        Role::Chair => t_string!(i18n, groups.invitation_role_chair),
                        Role::Drafter => t_string!(i18n, groups.invitation_role_drafter),
                        _ => t_string!(i18n, groups.invitation_role_participant),
                    }
                    .to_string();
                    let group_name = offer.group_name.clone();
                    let invited = view! {
                        <p>
                            {t!(
                                i18n,
                                groups.invitation_offer,
                                group = move || view! { <strong>{group_name.clone()}</strong> },
                                role = move || view! { <strong>{as_role.clone()}</strong> }
                            )}
                        </p>
                    };
                    let join = match me.await {
                        Ok(Some(me)) => view! {
                            <ActionForm action attr:class="stack">
                                <input type="hidden" name="token" value=token />
                                <p>{t!(i18n, groups.invitation_join_as, name = me.display_name)}</p>
                                {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                                <div class="actions"><button type="submit" class="button primary">{t!(i18n, groups.invitation_join_submit)}</button></div>
                            </ActionForm>
                        }.into_any(),
                        _ => {
                            let here = format!("/invitations/{}", token());
                            view! {
                                <p>{t!(i18n, groups.invitation_sign_in_or_register)}</p>
                                <p class="actions">
                                    <a class="button primary" href=format!("/login?next={here}")>{t!(i18n, common.sign_in)}</a>
                                    <a href=format!("/register?next={here}")>{t!(i18n, groups.invitation_create_account)}</a>
                                </p>
                            }.into_any()
                        }
                    };
                    view! { {invited} {join} }.into_any()
                })}
            </Suspense>
        </section>
    }
}
