//! Accounts, groups, memberships and invitations: the rules, shared by the HTTP API and the
//! server-rendered pages. Every function takes the caller's [`Principal`] and asks the policy.

use domain::{
    api::{
        CreateGroup, CreateInvitation, Group, GroupPage, InvitationCreated, InvitationOffer, Login,
        Me, MembershipView, ProfileUpdate, Register, Registered, Role, SessionView,
    },
    limits,
    policy::{self, Action},
    refusal::{quote, Field, Refusal, Thing},
    rules::{self, Lines},
};

use crate::{
    auth::{self, rate_limit, Limited, Principal},
    error::Error,
    mail,
    store::Account,
    words::{self, Locale},
    Accord,
};

/// Starts a session for `account`; returns the cookie to set.
async fn start_session(state: &Accord, account: &Account) -> Result<String, Error> {
    let token = auth::new_token();
    state
        .rooms
        .store()
        .create_session(&auth::token_hash(&token), &account.id, state.auth.now())
        .await?;
    Ok(state.auth.session_cookie(&token))
}

/// How long a link to confirm an address works.
const CONFIRMATION_SECONDS: i64 = 2 * 24 * 3600;

/// Registers an account, signed out: mails a link to confirm the address, and answers the same
/// whether or not the login had an account already (an account's owner is mailed instead), so
/// that registering tells nobody which addresses have accounts. The password is hashed either
/// way, so the time taken does not tell either. The mail is in `language`, the one the
/// registration page was read in.
pub async fn register(
    state: &Accord,
    who: &Principal,
    r: Register,
    language: Locale,
) -> Result<Registered, Error> {
    who.require(state, None, Action::Register).await?;
    rate_limit(state, Limited::Register, who).await?;
    let mut r = r;
    r.login = rules::login(&r.login)?;
    rules::password(&r.password)?;
    r.display_name = rules::required(
        Field::DisplayName,
        &r.display_name,
        Lines::One,
        limits::MAX_NAME_CHARS,
    )?;
    r.affiliation = rules::clean(
        Field::Affiliation,
        &r.affiliation,
        Lines::One,
        limits::MAX_AFFILIATION_CHARS,
    )?
    .unwrap_or_default();
    let next = r
        .next
        .as_deref()
        .map(rules::local_path)
        .filter(|p| *p != "/")
        .map(str::to_string);
    let hash = auth::hash_password_off(r.password.clone()).await?;
    let store = state.rooms.store();
    match store.register_account(&r, &hash, &who.address).await? {
        Some(account) => {
            store
                .audit(
                    "register",
                    Some(&account.id),
                    Some(&who.address),
                    &account.login,
                )
                .await?;
            send_confirmation(state, &account, next.as_deref(), language).await?;
        }
        None => {
            store
                .audit(
                    "register-existing",
                    None,
                    Some(&who.address),
                    &quote(&r.login, 100),
                )
                .await?;
            let sign_in = match &next {
                Some(next) => format!("{}/login?next={}", state.origin, encode(next)),
                None => format!("{}/login", state.origin),
            };
            state
                .mail
                .send(mail::registered_already(language, &r.login, &sign_in));
        }
    }
    Ok(Registered { login: r.login })
}

/// Mails `account` a new link that confirms its address (and then goes to `next`), in
/// `language`.
async fn send_confirmation(
    state: &Accord,
    account: &Account,
    next: Option<&str>,
    language: Locale,
) -> Result<(), Error> {
    let token = auth::new_token();
    state
        .rooms
        .store()
        .add_confirmation(
            &auth::token_hash(&token),
            &account.id,
            state.auth.now() + CONFIRMATION_SECONDS,
        )
        .await?;
    let link = match next {
        Some(next) => format!("{}/confirm/{token}?next={}", state.origin, encode(next)),
        None => format!("{}/confirm/{token}", state.origin),
    };
    state.mail.send(mail::confirm_address(
        language,
        &account.login,
        &account.display_name,
        &link,
    ));
    Ok(())
}

/// A local path as a query parameter's value.
fn encode(path: &str) -> String {
    url::form_urlencoded::byte_serialize(path.as_bytes()).collect()
}

/// Confirms the address a link was mailed to and signs its account in (a new session, whatever
/// cookie came in); returns the account and the session cookie.
pub async fn confirm_address(
    state: &Accord,
    who: &Principal,
    token: &str,
) -> Result<(Account, String), Error> {
    rate_limit(state, Limited::Login, who).await?;
    if token.len() > 128 {
        return Err(Refusal::ConfirmationLinkDead.into());
    }
    let store = state.rooms.store();
    let account = store
        .confirm_address(&auth::token_hash(token), state.auth.now())
        .await?
        .ok_or(Refusal::ConfirmationLinkDead)?;
    if let Some(old) = &who.session {
        store.delete_session(old).await?;
    }
    let cookie = start_session(state, &account).await?;
    store
        .audit(
            "address-confirmed",
            Some(&account.id),
            Some(&who.address),
            &account.login,
        )
        .await?;
    Ok((account, cookie))
}

/// Checks a password and starts a new session (a fresh id, whatever cookie came in).
pub async fn login(state: &Accord, who: &Principal, l: Login) -> Result<(Account, String), Error> {
    rate_limit(state, Limited::Login, who).await?;
    if l.login.len() > limits::MAX_LOGIN_CHARS * 4 || l.password.len() > limits::MAX_PASSWORD_BYTES
    {
        return Err(Refusal::CredentialsTooLong.into());
    }
    auth::limit_sign_in_to(state, &l.login).await?;
    let store = state.rooms.store();
    let found = store.account_by_login(&l.login).await?;
    // An unknown login is checked against a dummy hash: the same time as a real check, so
    // that timing does not reveal which logins exist.
    let hash = found
        .as_ref()
        .map(|(_, hash)| hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.to_string());
    let ok = auth::verify_password_off(l.password.clone(), hash).await? && found.is_some();
    let confirmed = match &found {
        Some((account, _)) if ok => store.confirmed(&account.id).await?,
        _ => false,
    };
    if let (true, false, Some((account, _))) = (ok, confirmed, &found) {
        // The registrant knows the password but has not opened the link: it is mailed again,
        // and the answer is the one a wrong password gets, so that signing in with a password
        // of one's choosing tells nobody whether the address had an account before.
        if auth::may_mail_confirmation(state, &account.id).await {
            // In the language the account chose, if it has (English otherwise): signing in
            // says nothing of the page's.
            let language = words::locale_of(account.language());
            send_confirmation(state, account, None, language).await?;
        }
    }
    match (ok && confirmed, found) {
        (true, Some((account, _))) => {
            if let Some(old) = &who.session {
                store.delete_session(old).await?;
            }
            let cookie = start_session(state, &account).await?;
            auth::signed_in(state, &l.login).await;
            store
                .audit("login", Some(&account.id), Some(&who.address), "signed in")
                .await?;
            Ok((account, cookie))
        }
        _ => {
            auth::sign_in_failed(state, &l.login).await;
            let name: String = l.login.trim().chars().take(100).collect();
            store
                .audit("login-failed", None, Some(&who.address), &name)
                .await?;
            Err(Refusal::WrongCredentials.into())
        }
    }
}

/// An argon2id hash of a random password, for the timing of failed logins.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$5Qk8Nq9xdlHvJ4n4uUk0w8Ndf5dEmRQzZ8d0k1Sg1dA";

pub async fn logout(state: &Accord, who: &Principal) -> Result<(), Error> {
    if let Some(session) = &who.session {
        state.rooms.store().delete_session(session).await?;
        // Its open editors stop editing now, not at their next reconnect.
        state.rooms.session_ended(session).await;
    }
    Ok(())
}

/// What names a session to the person whose it is: a digest of its token's hash, so that
/// neither the token nor what the database keeps of it leaves the server.
fn session_id(token_hash: &str) -> String {
    auth::token_hash(token_hash)[..16].to_string()
}

/// The signed-in person's sessions, the one asking marked.
pub async fn sessions(state: &Accord, who: &Principal) -> Result<Vec<SessionView>, Error> {
    let me = who.signed_in()?;
    let current = who.session.as_deref();
    Ok(state
        .rooms
        .store()
        .sessions_of(me)
        .await?
        .into_iter()
        .map(|(hash, created_at, last_seen)| SessionView {
            id: session_id(&hash),
            created_at,
            last_seen,
            current: current == Some(hash.as_str()),
        })
        .collect())
}

/// Ends one of the signed-in person's sessions (a browser left signed in elsewhere): it is
/// signed out, and its open editors close.
pub async fn end_session(state: &Accord, who: &Principal, id: &str) -> Result<(), Error> {
    let me = who.signed_in()?;
    rate_limit(state, Limited::Write, who).await?;
    let store = state.rooms.store();
    let hash = store
        .sessions_of(me)
        .await?
        .into_iter()
        .map(|(hash, _, _)| hash)
        .find(|hash| session_id(hash) == id)
        .ok_or_else(|| Error::unknown(Thing::Session, id))?;
    store.delete_session(&hash).await?;
    state.rooms.session_ended(&hash).await;
    store
        .audit(
            "session-ended",
            Some(me),
            Some(&who.address),
            "by its owner",
        )
        .await?;
    Ok(())
}

/// The signed-in account's profile, or `None` for someone not signed in.
pub async fn whoami(state: &Accord, who: &Principal) -> Result<Option<Me>, Error> {
    match who.account_id() {
        None => Ok(None),
        Some(id) => Ok(state.rooms.store().me(id).await?),
    }
}

pub async fn me(state: &Accord, who: &Principal) -> Result<Me, Error> {
    who.require(state, None, Action::ManageOwnAccount).await?;
    let id = who.account_id().unwrap_or_default();
    state
        .rooms
        .store()
        .me(id)
        .await?
        .ok_or(Error::Refused(Refusal::SignIn))
}

pub async fn update_profile(
    state: &Accord,
    who: &Principal,
    u: ProfileUpdate,
) -> Result<Me, Error> {
    let mut me = me(state, who).await?;
    rate_limit(state, Limited::Write, who).await?;
    let was_called = me.display_name.clone();
    if let Some(name) = u.display_name {
        me.display_name = rules::required(
            Field::DisplayName,
            &name,
            Lines::One,
            limits::MAX_NAME_CHARS,
        )?;
    }
    if let Some(aff) = u.affiliation {
        me.affiliation = rules::clean(
            Field::Affiliation,
            &aff,
            Lines::One,
            limits::MAX_AFFILIATION_CHARS,
        )?
        .unwrap_or_default();
    }
    me.stakeholder_group = u.stakeholder_group.unwrap_or(me.stakeholder_group);
    me.region = u.region.unwrap_or(me.region);
    me.gender = u.gender.unwrap_or(me.gender);
    me.age_band = u.age_band.unwrap_or(me.age_band);
    me.language = u.language.or(me.language);
    let store = state.rooms.store();
    store.update_profile(&me.id, &me).await?;
    // Others know a person by this name: a change of it is on the audit log.
    if me.display_name != was_called {
        store
            .audit(
                "display-name-changed",
                Some(&me.id),
                Some(&who.address),
                &format!(
                    "{} → {}",
                    quote(&was_called, 100),
                    quote(&me.display_name, 100)
                ),
            )
            .await?;
    }
    Ok(me)
}

fn slug(name: &str) -> String {
    let s: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    s.split('-')
        .filter(|p| !p.is_empty())
        .take(6)
        .collect::<Vec<_>>()
        .join("-")
}

pub async fn create_group(state: &Accord, who: &Principal, g: CreateGroup) -> Result<Group, Error> {
    who.require(state, None, Action::CreateGroup).await?;
    let name = rules::required(
        Field::GroupName,
        &g.name,
        Lines::One,
        limits::MAX_GROUP_NAME_CHARS,
    )?;
    let base = slug(&name);
    let base = if base.is_empty() {
        "group".to_string()
    } else {
        base
    };
    let store = state.rooms.store();
    // The first free id of `base`, `base-2`, `base-3` …: the database's key says which is
    // free at the moment of the insert, so two groups of one name created at once both get one.
    let mut id = base.clone();
    let mut n = 1;
    while !store.create_group(&id, &name, g.kind.as_str()).await? {
        n += 1;
        id = format!("{base}-{n}");
    }
    if let Some(language) = g.language {
        store.set_group_language(&id, language).await?;
    }
    store
        .audit("group-created", who.account_id(), Some(&who.address), &id)
        .await?;
    Ok(Group {
        id,
        name,
        kind: g.kind,
    })
}

pub async fn require_group(state: &Accord, group: &str) -> Result<(), Error> {
    if group.len() > 100 || !state.rooms.store().group_exists(group).await? {
        return Err(Error::unknown(Thing::Group, group));
    }
    Ok(())
}

/// Sets `account`'s role in `group`. Chairs manage participants and drafters; making someone a
/// chair, or changing a chair, is the admin's.
pub async fn set_role(
    state: &Accord,
    who: &Principal,
    group: &str,
    account: &str,
    role: Role,
) -> Result<(), Error> {
    require_group(state, group).await?;
    let store = state.rooms.store();
    if account.len() > 100 || !store.account_exists(account).await? {
        return Err(Error::unknown(Thing::Account, account));
    }
    let current = store.role_in(account, group).await?;
    let action = if role == Role::Chair || current == Role::Chair {
        Action::AppointChair
    } else {
        Action::ManageMembers
    };
    who.require(state, Some(group), action).await?;
    rate_limit(state, Limited::Write, who).await?;
    store.set_role(group, account, role).await?;
    store
        .audit(
            "role-changed",
            who.account_id(),
            Some(&who.address),
            &format!(
                "{account} in {group}: {} → {}",
                current.as_str(),
                role.as_str()
            ),
        )
        .await?;
    state.rooms.role_changed(group, account, role).await;
    Ok(())
}

pub async fn create_invitation(
    state: &Accord,
    who: &Principal,
    group: &str,
    inv: CreateInvitation,
) -> Result<InvitationCreated, Error> {
    require_group(state, group).await?;
    if inv.role == Role::Reader {
        return Err(Refusal::InvitationRole.into());
    }
    // Chairs invite participants and drafters; a chair is appointed by the admin, who may do so
    // by sending an invitation to the future chair.
    let action = if inv.role == Role::Chair {
        Action::AppointChair
    } else {
        Action::ManageMembers
    };
    who.require(state, Some(group), action).await?;
    rate_limit(state, Limited::Write, who).await?;
    let days = inv.days.unwrap_or(14);
    if !(1..=limits::MAX_INVITATION_DAYS).contains(&days) {
        return Err(Refusal::InvitationDays {
            days,
            limit: limits::MAX_INVITATION_DAYS,
        }
        .into());
    }
    let token = auth::new_token();
    let now = state.auth.now();
    let expires_at = now + days * 86_400;
    let by = who.account_id().unwrap_or_default();
    let id = state
        .rooms
        .store()
        .create_invitation(
            group,
            inv.role,
            &auth::token_hash(&token),
            by,
            now,
            expires_at,
        )
        .await?;
    state
        .rooms
        .store()
        .audit(
            "invited",
            Some(by),
            Some(&who.address),
            &format!("{group} as {}", inv.role.as_str()),
        )
        .await?;
    Ok(InvitationCreated {
        id,
        url: format!("{}/invitations/{token}", state.origin),
        expires_at,
    })
}

/// What the invitation with `token` offers (its group and role), for the page its link opens;
/// anyone holding the link may read it.
pub async fn invitation_offer(state: &Accord, token: &str) -> Result<InvitationOffer, Error> {
    if token.len() > 128 {
        return Err(Refusal::unknown(Thing::Invitation, "").into());
    }
    let (group, group_name, role) = state
        .rooms
        .store()
        .invitation_offer(&auth::token_hash(token), state.auth.now())
        .await??;
    Ok(InvitationOffer {
        group,
        group_name,
        role,
    })
}

pub async fn accept_invitation(
    state: &Accord,
    who: &Principal,
    token: &str,
) -> Result<(String, Role), Error> {
    who.require(state, None, Action::AcceptInvitation).await?;
    rate_limit(state, Limited::Write, who).await?;
    let account = who.account_id().unwrap_or_default();
    let store = state.rooms.store();
    match store
        .accept_invitation(&auth::token_hash(token), account, state.auth.now())
        .await?
    {
        Ok((group, role)) => {
            store
                .audit(
                    "joined",
                    Some(account),
                    Some(&who.address),
                    &format!("{group} as {}", role.as_str()),
                )
                .await?;
            let role = store.role_in(account, &group).await?;
            state.rooms.role_changed(&group, account, role).await;
            Ok((group, role))
        }
        Err(why) => Err(why.into()),
    }
}

/// What the group page shows `who`: the group, and its members and invitations if they may
/// manage it.
pub async fn group_page(state: &Accord, who: &Principal, group: &str) -> Result<GroupPage, Error> {
    require_group(state, group).await?;
    let store = state.rooms.store();
    let standing = who.standing(state, Some(group)).await?;
    let may_manage = policy::allows(standing, Action::ManageMembers);
    let may_appoint = policy::allows(standing, Action::AppointChair);
    let info = store
        .groups()
        .await?
        .into_iter()
        .find(|g| g.id == group)
        .ok_or_else(|| Error::unknown(Thing::Group, group))?;
    let (members, invitations) = if may_manage || may_appoint {
        (store.members(group).await?, store.invitations(group).await?)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(GroupPage {
        group: info,
        members,
        invitations,
        may_manage,
        may_appoint,
    })
}

/// Revokes one of `group`'s invitations.
pub async fn revoke_invitation(
    state: &Accord,
    who: &Principal,
    group: &str,
    invitation: &str,
) -> Result<(), Error> {
    require_group(state, group).await?;
    who.require(state, Some(group), Action::ManageMembers)
        .await?;
    let store = state.rooms.store();
    if !store.revoke_invitation(group, invitation).await? {
        return Err(Error::unknown(Thing::Invitation, invitation));
    }
    store
        .audit(
            "invitation-revoked",
            who.account_id(),
            Some(&who.address),
            invitation,
        )
        .await?;
    Ok(())
}

/// Accepts an invitation and says which group it joined.
pub async fn accept_invitation_view(
    state: &Accord,
    who: &Principal,
    token: &str,
) -> Result<MembershipView, Error> {
    let (group, role) = accept_invitation(state, who, token).await?;
    let group_name = state
        .rooms
        .store()
        .groups()
        .await?
        .into_iter()
        .find(|g| g.id == group)
        .map(|g| g.name)
        .unwrap_or_default();
    Ok(MembershipView {
        group,
        group_name,
        role,
    })
}
