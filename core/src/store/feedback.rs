//! Comments, their edits, stances and chairs' responses, and the cache of each document's
//! feedback facts.
//!
//! Nothing is deleted: an edited comment keeps its earlier wording in `comment_edits`, a hidden
//! one keeps its text, a new stance is appended to `stance_history` and becomes the one that
//! counts, and a new response supersedes the previous one. Times are unix seconds from the
//! caller.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
};

use domain::{
    api::{Disposition, Response, Stance},
    consensus::{CommentFact, Profile, StanceFact},
    profile::{Gender, Region, StakeholderGroup},
};
use sqlx::{sqlite::SqliteRow, Row};

use super::{Store, StoreError};

/// A comment as stored, with its author's names and what happened to it.
#[derive(Clone, Debug)]
pub struct CommentRow {
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
pub struct ObjectionRow {
    pub id: i64,
    pub paragraph: String,
    pub author: String,
    pub affiliation: String,
    pub reason: String,
    pub at: i64,
    pub response: Option<Response>,
}

/// What a response is to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Comment(i64),
    /// A stance entry (an objection).
    Objection(i64),
}

/// What storing a stance did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StanceChange {
    /// A new entry became the participant's stance.
    Stated(i64),
    /// The participant already stood exactly so: nothing was written.
    Unchanged(i64),
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

pub(crate) fn profile(r: &SqliteRow) -> Profile {
    Profile {
        group: StakeholderGroup::parse(r.get::<String, _>("stakeholder_group").as_str()),
        region: Region::parse(r.get::<String, _>("region").as_str()),
        gender: r
            .get::<Option<String>, _>("gender")
            .and_then(|g| Gender::parse(&g)),
    }
}

fn response(r: &SqliteRow) -> Option<Response> {
    Some(Response {
        disposition: Disposition::parse(r.get::<String, _>("disposition").as_str())?,
        reason: r.get("reason"),
        by: r.get("chair"),
        at: r.get("created_at"),
    })
}

impl Store {
    /// Forgets the kept feedback facts of one document, or of all (`None`): after a write the
    /// store did not make itself, such as a profile change.
    pub fn forget_facts(&self, doc: Option<&str>) {
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
                anchor_first, anchor_last, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
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
        self.facts.forget(Some(doc));
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
        const EDITABLE: &str = "id = ? AND author_id = ? AND hidden_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = comments.id)";
        let mut tx = self.writer().begin().await?;
        // Writing first takes the write lock, so no reply can slip in between the two statements.
        let kept = sqlx::query(&format!(
            "INSERT INTO comment_edits (comment_id, body, replaced_at)
             SELECT id, body, ? FROM comments WHERE {EDITABLE}"
        ))
        .bind(now)
        .bind(id)
        .bind(author)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if kept == 0 {
            return Ok(false);
        }
        sqlx::query("UPDATE comments SET body = ?, edited_at = ? WHERE id = ?")
            .bind(body)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
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
            "UPDATE comments SET hidden_reason = ?, hidden_by = ?, hidden_at = ?
             WHERE id = ? AND document_id = ? AND hidden_at IS NULL",
        )
        .bind(reason)
        .bind(by)
        .bind(now)
        .bind(id)
        .bind(doc)
        .execute(self.writer())
        .await?
        .rows_affected();
        self.facts.forget(Some(doc));
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
        // An insert as the first statement takes the write lock before reading the current
        // stance, so two identical requests cannot both see "different" and both append.
        let entry: Option<i64> = sqlx::query_scalar(
            "INSERT INTO stance_history (document_id, paragraph_id, account_id, stance, reason, created_at)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE NOT EXISTS (
                SELECT 1 FROM stances s JOIN stance_history h ON h.id = s.entry_id
                WHERE s.document_id = ?1 AND s.paragraph_id = ?2 AND s.account_id = ?3
                  AND h.stance = ?4 AND h.reason IS ?5)
             RETURNING id",
        )
        .bind(doc)
        .bind(paragraph)
        .bind(account)
        .bind(stance.key())
        .bind(reason)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(entry) = entry else {
            let current = sqlx::query_scalar(
                "SELECT entry_id FROM stances
                 WHERE document_id = ? AND paragraph_id = ? AND account_id = ?",
            )
            .bind(doc)
            .bind(paragraph)
            .bind(account)
            .fetch_one(&mut *tx)
            .await?;
            return Ok(StanceChange::Unchanged(current));
        };
        sqlx::query(
            "INSERT INTO stances (document_id, paragraph_id, account_id, entry_id) VALUES (?, ?, ?, ?)
             ON CONFLICT (document_id, paragraph_id, account_id) DO UPDATE SET entry_id = excluded.entry_id",
        )
        .bind(doc)
        .bind(paragraph)
        .bind(account)
        .bind(entry)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.facts.forget(Some(doc));
        Ok(StanceChange::Stated(entry))
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
             WHERE document_id = ? AND paragraph_id = ? AND account_id = ?",
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
        let row = sqlx::query(
            "SELECT h.stance, h.reason FROM stances s JOIN stance_history h ON h.id = s.entry_id
             WHERE s.document_id = ? AND s.paragraph_id = ? AND s.account_id = ?",
        )
        .bind(doc)
        .bind(paragraph)
        .bind(account)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.and_then(|r| {
            Some((
                Stance::parse(r.get::<String, _>("stance").as_str())?,
                r.get("reason"),
            ))
        }))
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
             VALUES (?, ?, ?, ?, ?, ?, ?)",
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
        self.facts.forget(Some(doc));
        Ok(())
    }

    /// The paragraph a comment of `doc` is on, its author and parent: `None` if there is no
    /// such comment in this document.
    pub async fn comment_place(
        &self,
        doc: &str,
        id: i64,
    ) -> Result<Option<(String, String, Option<i64>)>, StoreError> {
        let row = sqlx::query(
            "SELECT paragraph_id, author_id, parent_id FROM comments WHERE id = ? AND document_id = ?",
        )
        .bind(id)
        .bind(doc)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| (r.get(0), r.get(1), r.get(2))))
    }

    /// The paragraph of an objection of `doc` that still counts (an oppose stance no newer
    /// stance replaced).
    pub async fn objection_place(&self, doc: &str, id: i64) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT h.paragraph_id FROM stance_history h JOIN stances s ON s.entry_id = h.id
             WHERE h.id = ? AND h.document_id = ? AND h.stance = 'oppose'",
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
        let rows = sqlx::query(
            "SELECT r.comment_id, r.stance_id, r.disposition, r.reason, r.created_at,
                    a.display_name AS chair
             FROM responses r JOIN accounts a ON a.id = r.chair_id
             WHERE r.document_id = ?1 AND (
                r.comment_id IN (SELECT id FROM comments WHERE document_id = ?1 AND paragraph_id = ?2)
                OR r.stance_id IN (SELECT id FROM stance_history WHERE document_id = ?1 AND paragraph_id = ?2))
             ORDER BY r.id",
        )
        .bind(doc)
        .bind(paragraph)
        .fetch_all(self.pool())
        .await?;
        let mut out = HashMap::new();
        for r in rows {
            let target = match (r.get::<Option<i64>, _>(0), r.get::<Option<i64>, _>(1)) {
                (Some(c), _) => Target::Comment(c),
                (_, Some(s)) => Target::Objection(s),
                _ => continue,
            };
            if let Some(resp) = response(&r) {
                out.insert(target, resp);
            }
        }
        Ok(out)
    }

    /// A paragraph's comments (oldest first) and current objections.
    pub async fn thread(
        &self,
        doc: &str,
        paragraph: &str,
    ) -> Result<(Vec<CommentRow>, Vec<ObjectionRow>), StoreError> {
        let mut responses = self.responses(doc, paragraph).await?;
        let comments = sqlx::query(
            "SELECT c.*, a.display_name, a.affiliation, m.display_name AS moderator,
                (SELECT COUNT(*) FROM comments r WHERE r.parent_id = c.id) AS replies
             FROM comments c JOIN accounts a ON a.id = c.author_id
             LEFT JOIN accounts m ON m.id = c.hidden_by
             WHERE c.document_id = ? AND c.paragraph_id = ? ORDER BY c.id",
        )
        .bind(doc)
        .bind(paragraph)
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .map(|r| {
            let id: i64 = r.get("id");
            CommentRow {
                id,
                paragraph: r.get("paragraph_id"),
                parent: r.get("parent_id"),
                author_id: r.get("author_id"),
                author: r.get("display_name"),
                affiliation: r.get("affiliation"),
                body: r.get("body"),
                anchor: match (r.get("anchor_first"), r.get("anchor_last")) {
                    (Some(a), Some(b)) => Some((a, b)),
                    _ => None,
                },
                created_at: r.get("created_at"),
                edited_at: r.get("edited_at"),
                hidden: r.get::<Option<String>, _>("hidden_reason").map(|reason| {
                    (
                        reason,
                        r.get::<Option<String>, _>("moderator").unwrap_or_default(),
                        r.get::<Option<i64>, _>("hidden_at").unwrap_or_default(),
                    )
                }),
                replies: r.get("replies"),
                response: responses.remove(&Target::Comment(id)),
            }
        })
        .collect();
        let objections = sqlx::query(
            "SELECT h.id, h.paragraph_id, h.reason, h.created_at, a.display_name, a.affiliation
             FROM stances s JOIN stance_history h ON h.id = s.entry_id
             JOIN accounts a ON a.id = s.account_id
             WHERE s.document_id = ? AND s.paragraph_id = ? AND h.stance = 'oppose' ORDER BY h.id",
        )
        .bind(doc)
        .bind(paragraph)
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .map(|r| {
            let id: i64 = r.get("id");
            ObjectionRow {
                id,
                paragraph: r.get("paragraph_id"),
                author: r.get("display_name"),
                affiliation: r.get("affiliation"),
                reason: r.get::<Option<String>, _>("reason").unwrap_or_default(),
                at: r.get("created_at"),
                response: responses.remove(&Target::Objection(id)),
            }
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
            Some(_) => ("AND s.paragraph_id = ?2", "AND c.paragraph_id = ?2"),
            None => ("AND ?2 IS NULL", "AND ?2 IS NULL"),
        };
        let stances = sqlx::query(&format!(
            "SELECT s.paragraph_id, s.account_id, h.stance, a.stakeholder_group, a.region, a.gender,
                EXISTS (SELECT 1 FROM responses r WHERE r.stance_id = h.id) AS answered
             FROM stances s JOIN stance_history h ON h.id = s.entry_id
             JOIN accounts a ON a.id = s.account_id
             WHERE s.document_id = ?1 {one_stance}"
        ))
        .bind(doc)
        .bind(paragraph)
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .filter_map(|r| {
            Some(StanceFact {
                stance: Stance::parse(r.get::<String, _>("stance").as_str())?,
                profile: profile(&r),
                paragraph: r.get("paragraph_id"),
                account: r.get("account_id"),
                answered: r.get("answered"),
            })
        })
        .collect();
        let comments = sqlx::query(&format!(
            "SELECT c.paragraph_id, c.author_id, a.stakeholder_group, a.region, a.gender,
                c.hidden_at IS NOT NULL AS hidden, c.parent_id IS NOT NULL AS reply,
                EXISTS (SELECT 1 FROM responses r WHERE r.comment_id = c.id) AS answered
             FROM comments c JOIN accounts a ON a.id = c.author_id
             WHERE c.document_id = ?1 {one_comment}"
        ))
        .bind(doc)
        .bind(paragraph)
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .map(|r| CommentFact {
            profile: profile(&r),
            paragraph: r.get("paragraph_id"),
            account: r.get("author_id"),
            hidden: r.get("hidden"),
            reply: r.get("reply"),
            answered: r.get("answered"),
        })
        .collect();
        Ok((stances, comments))
    }
}
