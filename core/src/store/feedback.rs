//! Comments, their edits, stances and chairs' responses, and the cache of each document's
//! feedback facts.
//!
//! Nothing is deleted: an edited comment keeps its earlier wording in `comment_edits`, a hidden
//! one keeps its text, a new stance is appended to `stance_history` and becomes the one that
//! counts (`stances.rs`, the design amendments share), and a new response supersedes the
//! previous one. Times are unix seconds from the caller.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
};

use domain::{
    api::{Disposition, Response, Stance},
    consensus::{CommentFact, StanceFact},
};

pub use super::stances::StanceChange;
use super::{
    accounts::ProfileRow,
    stances::{state_in, Subject},
    Store, StoreError,
};

/// A comment as stored, with its author's names and what happened to it.
#[derive(Clone, Debug)]
pub struct StoredComment {
    pub id: i64,
    pub paragraph: String,
    pub parent: Option<i64>,
    pub author_id: String,
    pub author: String,
    pub affiliation: String,
    pub body: String,
    pub anchor: Option<(String, String)>,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    /// Reason, moderator's name, time.
    pub hidden: Option<(String, String, i64)>,
    pub replies: i64,
    pub response: Option<Response>,
}

/// A current objection as stored.
#[derive(Clone, Debug)]
pub struct StoredObjection {
    pub id: i64,
    pub paragraph: String,
    pub author: String,
    pub affiliation: String,
    pub reason: String,
    pub at: i64,
    pub response: Option<Response>,
    /// Whether it counts (`COUNTED`).
    pub counted: bool,
}

/// What a response is to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Comment(i64),
    /// A stance entry (an objection).
    Objection(i64),
}

/// Every current stance and every comment of a document, as the aggregation takes them.
pub type Facts = (Vec<StanceFact>, Vec<CommentFact>);

/// Each document's [`Facts`], so that a page view does not read ten thousand rows again. A
/// write of feedback forgets its document's entry; a profile change forgets them all. A read
/// that raced a write does not store what it read (the generation moved on meanwhile).
#[derive(Default)]
pub struct FactsCache {
    entries: Mutex<HashMap<String, Arc<Facts>>>,
    generation: AtomicU64,
}

impl FactsCache {
    pub fn forget(&self, doc: Option<&str>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        match doc {
            Some(d) => {
                entries.remove(d);
            }
            None => entries.clear(),
        }
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn get(&self, doc: &str) -> Option<Arc<Facts>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(doc).cloned()
    }

    fn keep(&self, doc: &str, facts: Arc<Facts>, read_at: u64) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if self.generation.load(Ordering::SeqCst) == read_at {
            entries.insert(doc.to_string(), facts);
        }
    }
}

#[derive(sqlx::FromRow)]
struct CommentRow {
    id: i64,
    paragraph_id: String,
    parent_id: Option<i64>,
    author_id: String,
    display_name: String,
    affiliation: String,
    body: String,
    anchor_first: Option<String>,
    anchor_last: Option<String>,
    created_at: i64,
    edited_at: Option<i64>,
    hidden_reason: Option<String>,
    moderator: Option<String>,
    hidden_at: Option<i64>,
    replies: i64,
}

impl CommentRow {
    fn with(self, response: Option<Response>) -> StoredComment {
        StoredComment {
            id: self.id,
            paragraph: self.paragraph_id,
            parent: self.parent_id,
            author_id: self.author_id,
            author: self.display_name,
            affiliation: self.affiliation,
            body: self.body,
            anchor: self.anchor_first.zip(self.anchor_last),
            created_at: self.created_at,
            edited_at: self.edited_at,
            hidden: self.hidden_reason.map(|reason| {
                (
                    reason,
                    self.moderator.unwrap_or_default(),
                    self.hidden_at.unwrap_or_default(),
                )
            }),
            replies: self.replies,
            response,
        }
    }
}

#[derive(sqlx::FromRow)]
struct ObjectionRow {
    id: i64,
    paragraph_id: String,
    display_name: String,
    affiliation: String,
    reason: Option<String>,
    created_at: i64,
    #[sqlx(try_from = "super::Flag")]
    counted: bool,
}

impl ObjectionRow {
    fn with(self, response: Option<Response>) -> StoredObjection {
        StoredObjection {
            id: self.id,
            paragraph: self.paragraph_id,
            author: self.display_name,
            affiliation: self.affiliation,
            reason: self.reason.unwrap_or_default(),
            at: self.created_at,
            response,
            counted: self.counted,
        }
    }
}

#[derive(sqlx::FromRow)]
struct ResponseRow {
    comment_id: Option<i64>,
    stance_id: Option<i64>,
    disposition: String,
    reason: String,
    created_at: i64,
    chair: String,
}

impl ResponseRow {
    fn target(&self) -> Option<Target> {
        match (self.comment_id, self.stance_id) {
            (Some(c), _) => Some(Target::Comment(c)),
            (_, Some(s)) => Some(Target::Objection(s)),
            _ => None,
        }
    }

    /// `None` for a disposition this version does not know.
    fn response(self) -> Option<Response> {
        Some(Response {
            disposition: Disposition::parse(&self.disposition)?,
            reason: self.reason,
            by: self.chair,
            at: self.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct StanceRow {
    stance: String,
    reason: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PlaceRow {
    paragraph_id: String,
    author_id: String,
    parent_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct StanceFactRow {
    paragraph_id: String,
    account_id: String,
    stance: String,
    #[sqlx(flatten)]
    profile: ProfileRow,
    #[sqlx(try_from = "super::Flag")]
    answered: bool,
}

/// The condition under which the stance `s` of account `a` on document `$1` counts: its author
/// has confirmed their address and the document's chairs have not set their stances aside.
pub(super) const COUNTED: &str = "a.confirmed_at IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM stances_set_aside x WHERE x.document_id = $1 AND x.account_id = a.id)";

impl StanceFactRow {
    /// `None` for a stance this version does not know.
    fn fact(self) -> Option<StanceFact> {
        Some(StanceFact {
            stance: Stance::parse(&self.stance)?,
            profile: self.profile.into(),
            paragraph: self.paragraph_id,
            account: self.account_id,
            answered: self.answered,
        })
    }
}

#[derive(sqlx::FromRow)]
struct CommentFactRow {
    paragraph_id: String,
    author_id: String,
    #[sqlx(flatten)]
    profile: ProfileRow,
    #[sqlx(try_from = "super::Flag")]
    hidden: bool,
    #[sqlx(try_from = "super::Flag")]
    reply: bool,
    #[sqlx(try_from = "super::Flag")]
    answered: bool,
}

impl From<CommentFactRow> for CommentFact {
    fn from(r: CommentFactRow) -> Self {
        CommentFact {
            profile: r.profile.into(),
            paragraph: r.paragraph_id,
            account: r.author_id,
            hidden: r.hidden,
            reply: r.reply,
            answered: r.answered,
        }
    }
}

/// A comment everyone can read, as a search looks at it.
#[derive(sqlx::FromRow)]
pub(crate) struct CommentWords {
    pub document: String,
    pub paragraph: String,
    pub body: String,
    pub author: String,
}

impl Store {
    /// The newest `limit` comments and replies that are not hidden.
    pub(crate) async fn recent_comments(
        &self,
        limit: i64,
    ) -> Result<Vec<CommentWords>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT c.document_id AS document, c.paragraph_id AS paragraph, c.body,
                a.display_name AS author
             FROM comments c JOIN accounts a ON a.id = c.author_id
             WHERE c.hidden_at IS NULL ORDER BY c.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Forgets the kept feedback facts of one document, or of all (`None`), here and in every
    /// other process sharing the database: after any write they are read from.
    pub fn forget_facts(&self, doc: Option<&str>) {
        self.facts.forget(doc);
        self.tell(super::News::Facts {
            doc: doc.map(str::to_string),
        });
    }

    /// Forgets kept feedback facts in this process only: another process said they changed.
    pub fn forget_facts_here(&self, doc: Option<&str>) {
        self.facts.forget(doc);
    }

    /// Stores a comment; returns its id.
    #[allow(clippy::too_many_arguments)]
    pub async fn insert_comment(
        &self,
        doc: &str,
        paragraph: &str,
        parent: Option<i64>,
        author: &str,
        body: &str,
        anchor: Option<(&str, &str)>,
        now: i64,
    ) -> Result<i64, StoreError> {
        let id = sqlx::query_scalar(
            "INSERT INTO comments (document_id, paragraph_id, parent_id, author_id, body,
                anchor_first, anchor_last, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(doc)
        .bind(paragraph)
        .bind(parent)
        .bind(author)
        .bind(body)
        .bind(anchor.map(|a| a.0))
        .bind(anchor.map(|a| a.1))
        .bind(now)
        .fetch_one(self.writer())
        .await?;
        self.forget_facts(Some(doc));
        Ok(id)
    }

    /// Replaces the wording of `author`'s comment, keeping the old one, unless someone has
    /// replied or it is hidden: `false` then, and nothing changed.
    pub async fn edit_comment(
        &self,
        id: i64,
        author: &str,
        body: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        const EDITABLE: &str = "id = $1 AND author_id = $2 AND hidden_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = comments.id)";
        let mut tx = self.writer().begin().await?;
        // Writing first takes SQLite's write lock, so no reply can slip in between the two
        // statements; the update asks again all the same, so that this holds on a database
        // that locks rows instead.
        let kept = sqlx::query(&format!(
            "INSERT INTO comment_edits (comment_id, body, replaced_at)
             SELECT id, body, $3 FROM comments WHERE {EDITABLE}"
        ))
        .bind(id)
        .bind(author)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if kept == 0 {
            return Ok(false);
        }
        let changed = sqlx::query(&format!(
            "UPDATE comments SET body = $3, edited_at = $4 WHERE {EDITABLE}"
        ))
        .bind(id)
        .bind(author)
        .bind(body)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Hides a comment of `doc` with a reason; `false` if it was hidden already.
    pub async fn hide_comment(
        &self,
        doc: &str,
        id: i64,
        reason: &str,
        by: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE comments SET hidden_reason = $1, hidden_by = $2, hidden_at = $3
             WHERE id = $4 AND document_id = $5 AND hidden_at IS NULL",
        )
        .bind(reason)
        .bind(by)
        .bind(now)
        .bind(id)
        .bind(doc)
        .execute(self.writer())
        .await?
        .rows_affected();
        self.forget_facts(Some(doc));
        Ok(n == 1)
    }

    /// Makes `stance` (with `reason`) the participant's stance on a paragraph. Stating the same
    /// stance with the same reason again writes nothing, so repeated or concurrent identical
    /// requests leave one entry.
    pub async fn set_stance(
        &self,
        doc: &str,
        paragraph: &str,
        account: &str,
        stance: Stance,
        reason: Option<&str>,
        now: i64,
    ) -> Result<StanceChange, StoreError> {
        let mut tx = self.writer().begin().await?;
        let subject = Subject::Paragraph { doc, paragraph };
        let change = state_in(&mut tx, subject, account, stance, reason, now).await?;
        tx.commit().await?;
        if let StanceChange::Stated(_) = change {
            self.forget_facts(Some(doc));
        }
        Ok(change)
    }

    /// How many stance entries a participant has made on a paragraph (the history).
    pub async fn stance_history_len(
        &self,
        doc: &str,
        paragraph: &str,
        account: &str,
    ) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM stance_history
             WHERE document_id = $1 AND paragraph_id = $2 AND account_id = $3",
        )
        .bind(doc)
        .bind(paragraph)
        .bind(account)
        .fetch_one(self.pool())
        .await?)
    }

    /// The participant's current stance and reason on a paragraph.
    pub async fn stance_of(
        &self,
        doc: &str,
        paragraph: &str,
        account: &str,
    ) -> Result<Option<(Stance, Option<String>)>, StoreError> {
        let row: Option<StanceRow> = sqlx::query_as(
            "SELECT h.stance, h.reason FROM stances s JOIN stance_history h ON h.id = s.entry_id
             WHERE s.document_id = $1 AND s.paragraph_id = $2 AND s.account_id = $3",
        )
        .bind(doc)
        .bind(paragraph)
        .bind(account)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.and_then(|r| Some((Stance::parse(&r.stance)?, r.reason))))
    }

    /// Records a chair's response.
    pub async fn respond(
        &self,
        doc: &str,
        target: Target,
        disposition: Disposition,
        reason: &str,
        chair: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let (comment, stance) = match target {
            Target::Comment(c) => (Some(c), None),
            Target::Objection(s) => (None, Some(s)),
        };
        sqlx::query(
            "INSERT INTO responses (document_id, comment_id, stance_id, disposition, reason, chair_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(doc)
        .bind(comment)
        .bind(stance)
        .bind(disposition.key())
        .bind(reason)
        .bind(chair)
        .bind(now)
        .execute(self.writer())
        .await?;
        self.forget_facts(Some(doc));
        Ok(())
    }

    /// The paragraph a comment of `doc` is on, its author and parent: `None` if there is no
    /// such comment in this document.
    pub async fn comment_place(
        &self,
        doc: &str,
        id: i64,
    ) -> Result<Option<(String, String, Option<i64>)>, StoreError> {
        let row: Option<PlaceRow> = sqlx::query_as(
            "SELECT paragraph_id, author_id, parent_id FROM comments WHERE id = $1 AND document_id = $2",
        )
        .bind(id)
        .bind(doc)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| (r.paragraph_id, r.author_id, r.parent_id)))
    }

    /// The paragraph and the author of an objection of `doc` that still counts (an oppose
    /// stance no newer stance replaced).
    pub async fn objection_place(
        &self,
        doc: &str,
        id: i64,
    ) -> Result<Option<(String, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT h.paragraph_id, h.account_id FROM stance_history h
             JOIN stances s ON s.entry_id = h.id
             WHERE h.id = $1 AND h.document_id = $2 AND h.stance = 'oppose'",
        )
        .bind(id)
        .bind(doc)
        .fetch_optional(self.pool())
        .await?)
    }

    /// The latest response to each target among a paragraph's comments and objections.
    async fn responses(
        &self,
        doc: &str,
        paragraph: &str,
    ) -> Result<HashMap<Target, Response>, StoreError> {
        let rows: Vec<ResponseRow> = sqlx::query_as(
            "SELECT r.comment_id, r.stance_id, r.disposition, r.reason, r.created_at,
                    a.display_name AS chair
             FROM responses r JOIN accounts a ON a.id = r.chair_id
             WHERE r.document_id = $1 AND (
                r.comment_id IN (SELECT id FROM comments WHERE document_id = $1 AND paragraph_id = $2)
                OR r.stance_id IN (SELECT id FROM stance_history WHERE document_id = $1 AND paragraph_id = $2))
             ORDER BY r.id",
        )
        .bind(doc)
        .bind(paragraph)
        .fetch_all(self.pool())
        .await?;
        let mut out = HashMap::new();
        for r in rows {
            if let Some(target) = r.target() {
                if let Some(response) = r.response() {
                    out.insert(target, response);
                }
            }
        }
        Ok(out)
    }

    /// A paragraph's comments (oldest first) and current objections.
    pub async fn thread(
        &self,
        doc: &str,
        paragraph: &str,
    ) -> Result<(Vec<StoredComment>, Vec<StoredObjection>), StoreError> {
        let mut responses = self.responses(doc, paragraph).await?;
        let comments: Vec<CommentRow> = sqlx::query_as(
            "SELECT c.id, c.paragraph_id, c.parent_id, c.author_id, c.body, c.anchor_first,
                c.anchor_last, c.created_at, c.edited_at, c.hidden_reason, c.hidden_at,
                a.display_name, a.affiliation, m.display_name AS moderator,
                (SELECT COUNT(*) FROM comments r WHERE r.parent_id = c.id) AS replies
             FROM comments c JOIN accounts a ON a.id = c.author_id
             LEFT JOIN accounts m ON m.id = c.hidden_by
             WHERE c.document_id = $1 AND c.paragraph_id = $2 ORDER BY c.id",
        )
        .bind(doc)
        .bind(paragraph)
        .fetch_all(self.pool())
        .await?;
        let comments = comments
            .into_iter()
            .map(|r| {
                let response = responses.remove(&Target::Comment(r.id));
                r.with(response)
            })
            .collect();
        let objections: Vec<ObjectionRow> = sqlx::query_as(&format!(
            "SELECT h.id, h.paragraph_id, h.reason, h.created_at, a.display_name, a.affiliation,
                {COUNTED} AS counted
             FROM stances s JOIN stance_history h ON h.id = s.entry_id
             JOIN accounts a ON a.id = s.account_id
             WHERE s.document_id = $1 AND s.paragraph_id = $2 AND h.stance = 'oppose'
             ORDER BY h.id"
        ))
        .bind(doc)
        .bind(paragraph)
        .fetch_all(self.pool())
        .await?;
        let objections = objections
            .into_iter()
            .map(|r| {
                let response = responses.remove(&Target::Objection(r.id));
                r.with(response)
            })
            .collect();
        Ok((comments, objections))
    }

    /// The facts the consensus figures are computed from: every current stance and every
    /// comment of a document, or of one paragraph of it.
    pub async fn feedback_facts(
        &self,
        doc: &str,
        paragraph: Option<&str>,
    ) -> Result<Arc<Facts>, StoreError> {
        if paragraph.is_some() {
            return Ok(Arc::new(self.read_facts(doc, paragraph).await?));
        }
        if let Some(facts) = self.facts.get(doc) {
            return Ok(facts);
        }
        let read_at = self.facts.generation.load(Ordering::SeqCst);
        let facts = Arc::new(self.read_facts(doc, None).await?);
        self.facts.keep(doc, facts.clone(), read_at);
        Ok(facts)
    }

    async fn read_facts(&self, doc: &str, paragraph: Option<&str>) -> Result<Facts, StoreError> {
        // Two spellings rather than `(?2 IS NULL OR s.paragraph_id = ?2)`, which kept SQLite
        // from using the paragraph index: one paragraph's figures scanned the whole document.
        let (one_stance, one_comment) = match paragraph {
            Some(_) => ("AND s.paragraph_id = $2", "AND c.paragraph_id = $2"),
            None => ("AND $2 IS NULL", "AND $2 IS NULL"),
        };
        let stances: Vec<StanceFactRow> = sqlx::query_as(&format!(
            "SELECT s.paragraph_id, s.account_id, h.stance, a.stakeholder_group, a.region, a.gender,
                EXISTS (SELECT 1 FROM responses r WHERE r.stance_id = h.id) AS answered
             FROM stances s JOIN stance_history h ON h.id = s.entry_id
             JOIN accounts a ON a.id = s.account_id
             WHERE s.document_id = $1 {one_stance} AND {COUNTED}"
        ))
        .bind(doc)
        .bind(paragraph)
        .fetch_all(self.pool())
        .await?;
        let comments: Vec<CommentFactRow> = sqlx::query_as(&format!(
            "SELECT c.paragraph_id, c.author_id, a.stakeholder_group, a.region, a.gender,
                c.hidden_at IS NOT NULL AS hidden, c.parent_id IS NOT NULL AS reply,
                EXISTS (SELECT 1 FROM responses r WHERE r.comment_id = c.id) AS answered
             FROM comments c JOIN accounts a ON a.id = c.author_id
             WHERE c.document_id = $1 {one_comment}"
        ))
        .bind(doc)
        .bind(paragraph)
        .fetch_all(self.pool())
        .await?;
        Ok((
            stances
                .into_iter()
                .filter_map(StanceFactRow::fact)
                .collect(),
            comments.into_iter().map(CommentFact::from).collect(),
        ))
    }
}
