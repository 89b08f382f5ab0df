//! Accounts, sessions, memberships, invitations, the automerge actors assigned to accounts and
//! the audit log.
//!
//! Times are unix seconds passed in by the caller, so that expiry is tested with an injected
//! clock rather than by sleeping.

use domain::{
    api::{AuditEntry, Invitation, Me, Member, MembershipView, Register, Role},
    consensus::Profile,
    profile::{AgeBand, Gender, Language, Region, StakeholderGroup},
    refusal::{Refusal, Thing},
};

use sqlx::FromRow;

use super::{Store, StoreError};

/// A signed-in account, as the server needs it on every request.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Account {
    pub id: String,
    pub login: String,
    pub display_name: String,
    #[sqlx(rename = "is_admin", try_from = "super::Flag")]
    pub admin: bool,
    /// The language chosen for reading Accord (a tag; `None`: the browser's).
    pub language: Option<String>,
}

impl Account {
    /// The language chosen for reading Accord, if any.
    pub fn language(&self) -> Option<Language> {
        self.language.as_deref().and_then(Language::parse)
    }
}

#[derive(sqlx::FromRow)]
struct LoginRow {
    #[sqlx(flatten)]
    account: Account,
    password_hash: String,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    account: Account,
    created_at: i64,
    last_seen: i64,
}

#[derive(sqlx::FromRow)]
struct MeRow {
    id: String,
    login: String,
    display_name: String,
    affiliation: String,
    stakeholder_group: String,
    region: String,
    gender: Option<String>,
    age_band: Option<String>,
    #[sqlx(try_from = "super::Flag")]
    is_admin: bool,
    #[sqlx(try_from = "i64")]
    unread: u32,
    #[sqlx(try_from = "super::Flag")]
    mail_notices: bool,
    language: Option<String>,
}

impl MeRow {
    fn with(self, memberships: Vec<MembershipView>) -> Me {
        Me {
            id: self.id,
            login: self.login,
            display_name: self.display_name,
            affiliation: self.affiliation,
            stakeholder_group: StakeholderGroup::parse(&self.stakeholder_group)
                .unwrap_or(StakeholderGroup::Other),
            region: Region::parse(&self.region).unwrap_or(Region::WesternEuropeanOther),
            gender: self.gender.as_deref().and_then(Gender::parse),
            age_band: self.age_band.as_deref().and_then(AgeBand::parse),
            admin: self.is_admin,
            memberships,
            unread: self.unread,
            mail_notices: self.mail_notices,
            language: self.language.as_deref().and_then(Language::parse),
        }
    }
}

/// The columns of an account that the consensus figures are broken down by.
#[derive(sqlx::FromRow)]
pub(super) struct ProfileRow {
    stakeholder_group: String,
    region: String,
    gender: Option<String>,
}

impl From<ProfileRow> for Profile {
    fn from(r: ProfileRow) -> Self {
        Profile {
            group: StakeholderGroup::parse(&r.stakeholder_group),
            region: Region::parse(&r.region),
            gender: r.gender.as_deref().and_then(Gender::parse),
        }
    }
}

#[derive(sqlx::FromRow)]
struct MembershipRow {
    group_id: String,
    name: String,
    role: String,
}

impl MembershipRow {
    /// `None` for a role this version does not know.
    fn view(self) -> Option<MembershipView> {
        Some(MembershipView {
            role: Role::parse_member(&self.role)?,
            group: self.group_id,
            group_name: self.name,
        })
    }
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: String,
    display_name: String,
    login: String,
    role: String,
}

impl MemberRow {
    /// `None` for a role this version does not know.
    fn member(self) -> Option<Member> {
        Some(Member {
            role: Role::parse_member(&self.role)?,
            account: self.id,
            display_name: self.display_name,
            login: self.login,
        })
    }
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    id: String,
    group_id: String,
    role: String,
    expires_at: i64,
    #[sqlx(try_from = "super::Flag")]
    revoked: bool,
    accepted_by: Option<String>,
}

impl InvitationRow {
    fn role(&self) -> Role {
        Role::parse_member(&self.role).unwrap_or(Role::Participant)
    }
}

/// The invitation (`None`: none has that token) if it can be used at `now`, or why not.
fn usable(row: Option<InvitationRow>, now: i64) -> Result<InvitationRow, Refusal> {
    match row {
        None => Err(Refusal::unknown(Thing::Invitation, "")),
        Some(r) if r.revoked => Err(Refusal::InvitationRevoked),
        Some(r) if r.accepted_by.is_some() => Err(Refusal::InvitationUsed),
        Some(r) if r.expires_at < now => Err(Refusal::InvitationExpired),
        Some(r) => Ok(r),
    }
}

impl From<InvitationRow> for Invitation {
    fn from(r: InvitationRow) -> Self {
        Invitation {
            role: r.role(),
            id: r.id,
            expires_at: r.expires_at,
            revoked: r.revoked,
            accepted: r.accepted_by.is_some(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    seq: i64,
    at: String,
    kind: String,
    actor: Option<String>,
    address: Option<String>,
    detail: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        AuditEntry {
            seq: r.seq,
            at: r.at,
            kind: r.kind,
            actor: r.actor,
            address: r.address,
            detail: r.detail,
        }
    }
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds an account's columns, in the order of the accounts INSERT, as `?1` to `?11`.
fn account_row<'q>(
    q: Query<'q>,
    id: &'q str,
    r: &'q Register,
    password_hash: &'q str,
    admin: bool,
    registered_from: Option<&'q str>,
) -> Query<'q> {
    q.bind(id)
        .bind(r.login.trim())
        .bind(password_hash)
        .bind(r.display_name.trim())
        .bind(r.affiliation.trim())
        .bind(r.stakeholder_group.key())
        .bind(r.region.key())
        .bind(r.gender.map(Gender::key))
        .bind(r.age_band.map(AgeBand::key))
        .bind(i64::from(admin))
        .bind(registered_from)
}

pub(super) fn random_id(prefix: &str) -> String {
    let bytes: [u8; 9] = rand::random();
    format!("{prefix}{}", hex::encode(bytes))
}

impl Store {
    /// Creates an account whose address counts as confirmed (an operator's admin, a demo or a
    /// test account); `Ok(None)` when the login is taken.
    pub async fn create_account(
        &self,
        r: &Register,
        password_hash: &str,
        admin: bool,
    ) -> Result<Option<Account>, StoreError> {
        self.insert_account(r, password_hash, admin, None).await
    }

    /// Creates an account someone registered from `address`, which can sign in once it confirms
    /// its address. A login whose account never confirmed is registered afresh (its password
    /// and profile replaced, its earlier links dead), so that whoever typed an address first
    /// does not hold it: its owner, who receives the links, does. `Ok(None)` when the login
    /// belongs to a confirmed account.
    pub async fn register_account(
        &self,
        r: &Register,
        password_hash: &str,
        address: &str,
    ) -> Result<Option<Account>, StoreError> {
        if let Some(account) = self
            .insert_account(r, password_hash, false, Some(address))
            .await?
        {
            return Ok(Some(account));
        }
        let mut tx = self.writer().begin().await?;
        // The parameters are the INSERT's (`account_row`); the id and admin flag go unused.
        let row = account_row(
            sqlx::query(
                "UPDATE accounts SET password_hash = $3, display_name = $4, affiliation = $5,
                    stakeholder_group = $6, region = $7, gender = $8, age_band = $9,
                    registered_from = $11, created_at = $12
                 WHERE lower(login) = lower($2) AND confirmed_at IS NULL
                 RETURNING id, login, display_name, is_admin, language",
            ),
            "",
            r,
            password_hash,
            false,
            Some(address),
        )
        .bind(super::now_text())
        .fetch_optional(&mut *tx)
        .await?;
        let account = row.map(|row| Account::from_row(&row)).transpose()?;
        if let Some(account) = &account {
            sqlx::query("DELETE FROM address_confirmations WHERE account_id = $1")
                .bind(&account.id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(account)
    }

    /// `registered_from` is `None` for an account the installation made, which is confirmed.
    async fn insert_account(
        &self,
        r: &Register,
        password_hash: &str,
        admin: bool,
        registered_from: Option<&str>,
    ) -> Result<Option<Account>, StoreError> {
        let id = random_id("a");
        let result = account_row(
            sqlx::query(
                "INSERT INTO accounts (id, login, password_hash, display_name, affiliation,
                 stakeholder_group, region, gender, age_band, is_admin, registered_from,
                 confirmed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
                         CASE WHEN $11 IS NULL THEN $12 END)",
            ),
            &id,
            r,
            password_hash,
            admin,
            registered_from,
        )
        .bind(super::now_secs())
        .execute(self.writer())
        .await;
        match result {
            Ok(_) => Ok(Some(Account {
                id,
                login: r.login.trim().to_string(),
                display_name: r.display_name.trim().to_string(),
                admin,
                language: None,
            })),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Keeps a link's token (its hash) that confirms `account`'s address until `expires_at`.
    pub async fn add_confirmation(
        &self,
        token_hash: &str,
        account: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO address_confirmations (token_hash, account_id, expires_at) VALUES ($1, $2, $3)",
        )
        .bind(token_hash)
        .bind(account)
        .bind(expires_at)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// Confirms the address of the account a live token was sent to and spends the account's
    /// tokens; returns the account, or `None` for a token unknown or expired.
    pub async fn confirm_address(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<Account>, StoreError> {
        let mut tx = self.writer().begin().await?;
        let account: Option<(String,)> = sqlx::query_as(
            "SELECT account_id FROM address_confirmations WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((account,)) = account else {
            return Ok(None);
        };
        sqlx::query("UPDATE accounts SET confirmed_at = $1 WHERE id = $2 AND confirmed_at IS NULL")
            .bind(now)
            .bind(&account)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM address_confirmations WHERE account_id = $1")
            .bind(&account)
            .execute(&mut *tx)
            .await?;
        let row: LoginRow = sqlx::query_as(
            "SELECT id, login, display_name, is_admin, language, password_hash FROM accounts WHERE id = $1",
        )
        .bind(&account)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        // The account's stances count from now on, wherever it stated them.
        self.forget_facts(None);
        Ok(Some(row.account))
    }

    /// Whether `account` has confirmed its address.
    pub async fn confirmed(&self, account: &str) -> Result<bool, StoreError> {
        let row: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT confirmed_at FROM accounts WHERE id = $1")
                .bind(account)
                .fetch_optional(self.pool())
                .await?;
        Ok(matches!(row, Some((Some(_),))))
    }

    /// The account and its password hash, by login.
    pub async fn account_by_login(
        &self,
        login: &str,
    ) -> Result<Option<(Account, String)>, StoreError> {
        let row: Option<LoginRow> = sqlx::query_as(
            "SELECT id, login, display_name, is_admin, language, password_hash FROM accounts WHERE lower(login) = lower($1)",
        )
        .bind(login.trim())
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| (r.account, r.password_hash)))
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        account: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at, last_seen) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(account)
        .bind(now)
        .bind(now)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The account of a session seen within `idle` seconds; refreshes its last-seen time.
    pub async fn session_account(
        &self,
        token_hash: &str,
        now: i64,
        limits: domain::rules::SessionLimits,
    ) -> Result<Option<Account>, StoreError> {
        let row: Option<SessionRow> = sqlx::query_as(
            "SELECT a.id, a.login, a.display_name, a.is_admin, a.language, s.created_at, s.last_seen
             FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?;
        let Some(SessionRow {
            account,
            created_at,
            last_seen,
        }) = row
        else {
            return Ok(None);
        };
        if limits.ended(created_at, last_seen, now) {
            self.delete_session(token_hash).await?;
            return Ok(None);
        }
        // Writing on every request would serialise reads behind the WAL; a minute is precise
        // enough for an idle timeout counted in hours.
        if now - last_seen > 60 {
            sqlx::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
                .execute(self.writer())
                .await?;
        }
        Ok(Some(account))
    }

    /// An account's sessions: (token hash, begun, last seen), most recently used first.
    pub async fn sessions_of(&self, account: &str) -> Result<Vec<(String, i64, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT token_hash, created_at, last_seen FROM sessions
             WHERE account_id = $1 ORDER BY last_seen DESC, created_at DESC",
        )
        .bind(account)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    pub async fn me(&self, account: &str) -> Result<Option<Me>, StoreError> {
        let row: Option<MeRow> = sqlx::query_as(
            "SELECT id, login, display_name, affiliation, stakeholder_group, region, gender,
                age_band, is_admin, mail_notices, language,
                (SELECT COUNT(*) FROM notices n WHERE n.account_id = accounts.id
                 AND n.read_at IS NULL) AS unread
             FROM accounts WHERE id = $1",
        )
        .bind(account)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let memberships: Vec<MembershipRow> = sqlx::query_as(
            "SELECT m.group_id, g.name, m.role FROM memberships m JOIN groups g ON g.id = m.group_id
             WHERE m.account_id = $1 ORDER BY g.name",
        )
        .bind(account)
        .fetch_all(self.pool())
        .await?;
        let memberships = memberships
            .into_iter()
            .filter_map(MembershipRow::view)
            .collect();
        Ok(Some(row.with(memberships)))
    }

    pub async fn update_profile(&self, account: &str, me: &Me) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE accounts SET display_name = $1, affiliation = $2, stakeholder_group = $3, region = $4,
             gender = $5, age_band = $6, language = $7 WHERE id = $8",
        )
        .bind(&me.display_name)
        .bind(&me.affiliation)
        .bind(me.stakeholder_group.key())
        .bind(me.region.key())
        .bind(me.gender.map(Gender::key))
        .bind(me.age_band.map(AgeBand::key))
        .bind(me.language.map(Language::key))
        .bind(account)
        .execute(self.writer())
        .await?;
        // Balance is measured on profiles: every document's kept figures are out of date.
        self.forget_facts(None);
        Ok(())
    }

    /// Keeps the language `account` chose to read Accord in.
    pub async fn set_language(&self, account: &str, language: Language) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE accounts SET language = $1 WHERE id = $2 AND language IS DISTINCT FROM $3",
        )
        .bind(language.key())
        .bind(account)
        .bind(language.key())
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The language `account` chose to read Accord in, if any.
    pub async fn language_of(&self, account: &str) -> Result<Option<Language>, StoreError> {
        let tag: Option<Option<String>> =
            sqlx::query_scalar("SELECT language FROM accounts WHERE id = $1")
                .bind(account)
                .fetch_optional(self.pool())
                .await?;
        Ok(tag.flatten().as_deref().and_then(Language::parse))
    }

    /// The account's role in a group (`Reader` when not a member).
    pub async fn role_in(&self, account: &str, group: &str) -> Result<Role, StoreError> {
        let role: Option<String> = sqlx::query_scalar(
            "SELECT role FROM memberships WHERE account_id = $1 AND group_id = $2",
        )
        .bind(account)
        .bind(group)
        .fetch_optional(self.pool())
        .await?;
        Ok(role
            .as_deref()
            .and_then(Role::parse_member)
            .unwrap_or(Role::Reader))
    }

    /// Sets a member's role (`Reader` removes the membership).
    pub async fn set_role(&self, group: &str, account: &str, role: Role) -> Result<(), StoreError> {
        if role == Role::Reader {
            sqlx::query("DELETE FROM memberships WHERE group_id = $1 AND account_id = $2")
                .bind(group)
                .bind(account)
                .execute(self.writer())
                .await?;
        } else {
            sqlx::query(
                "INSERT INTO memberships (group_id, account_id, role) VALUES ($1, $2, $3)
                 ON CONFLICT (group_id, account_id) DO UPDATE SET role = excluded.role",
            )
            .bind(group)
            .bind(account)
            .bind(role.as_str())
            .execute(self.writer())
            .await?;
        }
        Ok(())
    }

    pub async fn account_exists(&self, account: &str) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE id = $1")
            .bind(account)
            .fetch_one(self.pool())
            .await?;
        Ok(n > 0)
    }

    pub async fn members(&self, group: &str) -> Result<Vec<Member>, StoreError> {
        let rows: Vec<MemberRow> = sqlx::query_as(
            "SELECT a.id, a.display_name, a.login, m.role FROM memberships m
             JOIN accounts a ON a.id = m.account_id WHERE m.group_id = $1 ORDER BY a.display_name",
        )
        .bind(group)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().filter_map(MemberRow::member).collect())
    }

    /// The first group in which the account may draft.
    pub async fn drafting_group(&self, account: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT group_id FROM memberships WHERE account_id = $1 AND role IN ('drafter', 'chair')
             ORDER BY group_id LIMIT 1",
        )
        .bind(account)
        .fetch_optional(self.pool())
        .await?)
    }

    pub async fn create_invitation(
        &self,
        group: &str,
        role: Role,
        token_hash: &str,
        by: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<String, StoreError> {
        let id = random_id("i");
        sqlx::query(
            "INSERT INTO invitations (id, token_hash, group_id, role, created_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(token_hash)
        .bind(group)
        .bind(role.as_str())
        .bind(by)
        .bind(now)
        .bind(expires_at)
        .execute(self.writer())
        .await?;
        Ok(id)
    }

    pub async fn invitations(&self, group: &str) -> Result<Vec<Invitation>, StoreError> {
        let rows: Vec<InvitationRow> = sqlx::query_as(
            "SELECT id, group_id, role, expires_at, revoked, accepted_by FROM invitations
             WHERE group_id = $1 ORDER BY created_at DESC",
        )
        .bind(group)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(Invitation::from).collect())
    }

    /// Revokes an invitation of `group`; false when there is none with that id.
    pub async fn revoke_invitation(&self, group: &str, id: &str) -> Result<bool, StoreError> {
        let done =
            sqlx::query("UPDATE invitations SET revoked = 1 WHERE id = $1 AND group_id = $2")
                .bind(id)
                .bind(group)
                .execute(self.writer())
                .await?;
        Ok(done.rows_affected() > 0)
    }

    /// What an invitation link offers, without using it: its group's id and name and the role,
    /// or why it cannot be used.
    pub async fn invitation_offer(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Result<(String, String, Role), Refusal>, StoreError> {
        let row: Option<InvitationRow> = sqlx::query_as(
            "SELECT id, group_id, role, expires_at, revoked, accepted_by FROM invitations
             WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?;
        let r = match usable(row, now) {
            Ok(r) => r,
            Err(why) => return Ok(Err(why)),
        };
        let name: String = sqlx::query_scalar("SELECT name FROM groups WHERE id = $1")
            .bind(&r.group_id)
            .fetch_one(self.pool())
            .await?;
        Ok(Ok((r.group_id.clone(), name, r.role())))
    }

    /// Accepts an invitation for `account`: returns the group and role, or why not.
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        account: &str,
        now: i64,
    ) -> Result<Result<(String, Role), Refusal>, StoreError> {
        let mut tx = self.writer().begin().await?;
        // The update claims the invitation only while it is still usable, so of two
        // acceptances at once one claims it and the other finds it used, whichever connection
        // each runs on: the row decides, not a read before the write.
        let claimed: Option<InvitationRow> = sqlx::query_as(
            "UPDATE invitations SET accepted_by = $1, accepted_at = $2
             WHERE token_hash = $3 AND revoked = 0 AND accepted_by IS NULL AND expires_at >= $2
             RETURNING id, group_id, role, expires_at, revoked, accepted_by",
        )
        .bind(account)
        .bind(now)
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(r) = claimed else {
            let row: Option<InvitationRow> = sqlx::query_as(
                "SELECT id, group_id, role, expires_at, revoked, accepted_by FROM invitations
                 WHERE token_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(&mut *tx)
            .await?;
            return Ok(Err(usable(row, now)
                .err()
                .unwrap_or(Refusal::InvitationExpired)));
        };
        let role = r.role();
        let group = r.group_id;
        // Joining never lowers a role someone already has.
        sqlx::query(
            "INSERT INTO memberships (group_id, account_id, role) VALUES ($1, $2, $3)
             ON CONFLICT (group_id, account_id) DO NOTHING",
        )
        .bind(&group)
        .bind(account)
        .bind(role.as_str())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Ok((group, role)))
    }

    /// Assigns an automerge actor to an account; an actor assigned already keeps its account.
    pub async fn record_actor(&self, actor: &str, account: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO account_actors (actor, account_id) VALUES ($1, $2)
             ON CONFLICT (actor) DO NOTHING",
        )
        .bind(actor)
        .bind(account)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    pub async fn actors_of(&self, account: &str) -> Result<Vec<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT actor FROM account_actors WHERE account_id = $1")
                .bind(account)
                .fetch_all(self.pool())
                .await?,
        )
    }

    pub async fn audit(
        &self,
        kind: &str,
        actor: Option<&str>,
        address: Option<&str>,
        detail: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO audit_log (kind, actor, address, detail) VALUES ($1, $2, $3, $4)")
            .bind(kind)
            .bind(actor)
            .bind(address)
            .bind(detail)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT seq, at, kind, actor, address, detail FROM audit_log ORDER BY seq DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(AuditEntry::from).collect())
    }

    /// Whether any account is an installation admin.
    pub async fn has_admin(&self) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE is_admin = 1")
            .fetch_one(self.pool())
            .await?;
        Ok(n > 0)
    }
}
