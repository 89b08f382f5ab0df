//! Notices and the settings that say where they go.

use domain::notice::{Notice, NoticeKind};

use super::{Store, StoreError};

/// A notice about to be stored, for each of its recipients.
#[derive(Clone, Debug)]
pub struct NewNotice {
    pub kind: NoticeKind,
    pub document: String,
    pub place: String,
    pub by: String,
    pub link: String,
    pub at: i64,
}

/// Where a recipient's notices also go.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Recipient {
    pub id: String,
    pub login: String,
    pub display_name: String,
    /// Mail only to a confirmed address whose owner has not turned it off.
    #[sqlx(try_from = "super::Flag")]
    pub mail: bool,
    /// The language chosen for reading Accord (a tag; `None`: not chosen), which mail speaks.
    pub language: Option<String>,
}

impl Recipient {
    /// The language mail to the recipient is written in, if they chose one.
    pub fn language(&self) -> Option<domain::profile::Language> {
        self.language
            .as_deref()
            .and_then(domain::profile::Language::parse)
    }
}

#[derive(sqlx::FromRow)]
struct NoticeRow {
    id: i64,
    kind: String,
    document_id: String,
    title: String,
    place: String,
    by_name: String,
    link: String,
    created_at: i64,
    read_at: Option<i64>,
}

impl NoticeRow {
    fn view(self) -> Option<Notice> {
        Some(Notice {
            id: self.id,
            kind: NoticeKind::parse(&self.kind)?,
            document: self.document_id,
            document_title: self.title,
            place: self.place,
            by: self.by_name,
            link: self.link,
            at: self.created_at,
            read: self.read_at.is_some(),
        })
    }
}

impl Store {
    /// Stores `notice` for each of `accounts`; returns where each also goes.
    pub(crate) async fn insert_notices(
        &self,
        accounts: &[String],
        notice: &NewNotice,
    ) -> Result<Vec<Recipient>, StoreError> {
        let mut tx = self.writer().begin().await?;
        let mut recipients = Vec::new();
        for account in accounts {
            let recipient: Option<Recipient> = sqlx::query_as(
                "SELECT id, login, display_name,
                        (mail_notices = 1 AND confirmed_at IS NOT NULL) AS mail, language
                 FROM accounts WHERE id = $1",
            )
            .bind(account)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(recipient) = recipient else {
                continue;
            };
            sqlx::query(
                "INSERT INTO notices (account_id, document_id, kind, place, by_name, link, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(account)
            .bind(&notice.document)
            .bind(notice.kind.key())
            .bind(&notice.place)
            .bind(&notice.by)
            .bind(&notice.link)
            .bind(notice.at)
            .execute(&mut *tx)
            .await?;
            recipients.push(recipient);
        }
        tx.commit().await?;
        Ok(recipients)
    }

    /// The latest `limit` notices of `account`, newest first.
    pub async fn notices(&self, account: &str, limit: i64) -> Result<Vec<Notice>, StoreError> {
        let rows: Vec<NoticeRow> = sqlx::query_as(
            "SELECT n.id, n.kind, n.document_id, d.title, n.place, n.by_name, n.link,
                    n.created_at, n.read_at
             FROM notices n JOIN documents d ON d.id = n.document_id
             WHERE n.account_id = $1 ORDER BY n.id DESC LIMIT $2",
        )
        .bind(account)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().filter_map(NoticeRow::view).collect())
    }

    /// Marks every notice of `account` read.
    pub(crate) async fn mark_notices_read(&self, account: &str, at: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE notices SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL")
            .bind(at)
            .bind(account)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// The secret naming `account`'s feed and unsubscribe link, made the first time it is asked
    /// for.
    pub(crate) async fn notice_key(&self, account: &str) -> Result<String, StoreError> {
        let fresh = hex::encode(rand::random::<[u8; 16]>());
        sqlx::query("UPDATE accounts SET notice_key = $1 WHERE id = $2 AND notice_key IS NULL")
            .bind(&fresh)
            .bind(account)
            .execute(self.writer())
            .await?;
        Ok(
            sqlx::query_scalar("SELECT notice_key FROM accounts WHERE id = $1")
                .bind(account)
                .fetch_optional(self.writer())
                .await?
                .flatten()
                .unwrap_or(fresh),
        )
    }

    /// The account a notice key names.
    pub(crate) async fn account_by_notice_key(
        &self,
        key: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT id FROM accounts WHERE notice_key = $1")
                .bind(key)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    /// Turns mailing notices to `account` on or off.
    pub(crate) async fn set_mail_notices(&self, account: &str, on: bool) -> Result<(), StoreError> {
        sqlx::query("UPDATE accounts SET mail_notices = $1 WHERE id = $2")
            .bind(i64::from(on))
            .bind(account)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// The chairs of the group `doc` belongs to.
    pub(crate) async fn chairs_of(&self, doc: &str) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT m.account_id FROM memberships m JOIN documents d ON d.group_id = m.group_id
             WHERE d.id = $1 AND m.role = 'chair'",
        )
        .bind(doc)
        .fetch_all(self.pool())
        .await?)
    }

    /// The people a comment on `doc` may mention, with their names: its group's members and
    /// whoever commented on it, by name.
    pub(crate) async fn mentionable(&self, doc: &str) -> Result<Vec<(String, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, display_name FROM accounts WHERE id IN (
                 SELECT m.account_id FROM memberships m JOIN documents d ON d.group_id = m.group_id
                 WHERE d.id = $1
                 UNION SELECT author_id FROM comments WHERE document_id = $1)
             ORDER BY display_name",
        )
        .bind(doc)
        .fetch_all(self.pool())
        .await?)
    }

    /// Everyone with a part in `doc`: its group's members and whoever commented on it or
    /// stated a stance.
    pub(crate) async fn taking_part(&self, doc: &str) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT m.account_id FROM memberships m JOIN documents d ON d.group_id = m.group_id
             WHERE d.id = $1
             UNION SELECT author_id FROM comments WHERE document_id = $1
             UNION SELECT account_id FROM stance_history WHERE document_id = $1",
        )
        .bind(doc)
        .fetch_all(self.pool())
        .await?)
    }
}
