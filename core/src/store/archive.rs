//! A document's archive as the store reads and writes it. [`Store::archived`] reads everything
//! an archive holds about a document (its feedback, amendments, versions, record, endorsements
//! and the people they name) in one read transaction, as the archive's typed parts
//! (`domain::api::archive`). [`Restoring`] is a restore's one transaction: the rules module
//! (`crate::archive`) replays a checked archive through its methods, which write typed rows with
//! the ids this installation gives, and commits; dropped without a commit, nothing stays.

use std::{collections::HashMap, sync::Arc};

use base64::{engine::general_purpose::STANDARD as B64, Engine};
use domain::{
    api::{
        AmendmentStatus, Anchor, ArchivedAccount, ArchivedAmendment, ArchivedAmendmentStance,
        ArchivedComment, ArchivedDecision, ArchivedDocument, ArchivedEdit, ArchivedEndorsement,
        ArchivedGroup, ArchivedHiding, ArchivedModification, ArchivedPhaseMove,
        ArchivedPublication, ArchivedResponse, ArchivedSetAside, ArchivedSponsor, ArchivedStance,
        ArchivedVersion, Disposition, GroupKind, Region, Role, StakeholderGroup, Stance, Threshold,
    },
    document::Outline,
    phase::{Phase, Schedule},
    profile::Language,
    record::Entry,
};

use super::{
    accounts::random_id,
    feedback::{FactsCache, Target},
    outputs::{insert_output_in, LinkRow, OutputRow, OUTPUT_COLUMNS},
    record::EntryRow,
    split_heads,
    stances::{state_in, StanceChange, Subject},
    Store, StoreError,
};

/// Everything an archive holds about a document but its text.
pub struct Archived {
    pub group: ArchivedGroup,
    pub document: ArchivedDocument,
    pub accounts: Vec<ArchivedAccount>,
    pub comments: Vec<ArchivedComment>,
    pub stances: Vec<ArchivedStance>,
    pub amendments: Vec<ArchivedAmendment>,
    pub versions: Vec<ArchivedVersion>,
    pub record: Vec<Entry>,
    pub endorsements: Vec<ArchivedEndorsement>,
    pub threshold: Option<Threshold>,
    pub phase_moves: Vec<ArchivedPhaseMove>,
    pub publication: Option<ArchivedPublication>,
}

/// Everyone an archive names: authors, moderators, chairs, stance holders, proposers, deciders,
/// sponsors, whoever cut a version, endorsers, and the members of the document's group (`?1`
/// the document, `?2` its group).
const NAMED: &str = "WITH named(id) AS (
        SELECT author_id FROM comments WHERE document_id = $1
        UNION SELECT hidden_by FROM comments WHERE document_id = $1
        UNION SELECT chair_id FROM responses WHERE document_id = $1
        UNION SELECT account_id FROM stance_history WHERE document_id = $1
        UNION SELECT proposer_id FROM amendments WHERE document_id = $1
        UNION SELECT decided_by FROM amendments WHERE document_id = $1
        UNION SELECT s.account_id FROM amendment_sponsors s
            JOIN amendments m ON m.id = s.amendment_id WHERE m.document_id = $1
        UNION SELECT h.account_id FROM amendment_stance_history h
            JOIN amendments m ON m.id = h.amendment_id WHERE m.document_id = $1
        UNION SELECT created_by FROM versions WHERE document_id = $1
        UNION SELECT account_id FROM endorsements WHERE document_id = $1
        UNION SELECT account_id FROM memberships WHERE group_id = $2)";

#[derive(sqlx::FromRow)]
struct DocumentRow {
    created_at: String,
    updated_at: String,
    phase: String,
    deadline: Option<i64>,
    group_id: String,
    group_name: String,
    kind: String,
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: String,
    display_name: String,
    affiliation: String,
    stakeholder_group: String,
    region: String,
    role: Option<String>,
    #[sqlx(try_from = "super::Flag")]
    confirmed: bool,
    set_by: Option<String>,
    set_aside_reason: Option<String>,
    set_aside_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct ActorRow {
    account_id: String,
    actor: String,
}

#[derive(sqlx::FromRow)]
struct CommentRow {
    id: i64,
    paragraph_id: String,
    parent_id: Option<i64>,
    author_id: String,
    body: String,
    anchor_first: Option<String>,
    anchor_last: Option<String>,
    created_at: i64,
    edited_at: Option<i64>,
    hidden_reason: Option<String>,
    hidden_by: Option<String>,
    hidden_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct EditRow {
    comment_id: i64,
    body: String,
    replaced_at: i64,
}

#[derive(sqlx::FromRow)]
struct ResponseRow {
    comment_id: Option<i64>,
    stance_id: Option<i64>,
    disposition: String,
    reason: String,
    chair_id: String,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct StanceRow {
    id: i64,
    paragraph_id: String,
    account_id: String,
    stance: String,
    reason: Option<String>,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct AmendmentRow {
    id: i64,
    proposer_id: String,
    rationale: String,
    base: String,
    changes: Vec<u8>,
    actor: String,
    status: String,
    created_at: i64,
    decided_by: Option<String>,
    decided_at: Option<i64>,
    decision_reason: Option<String>,
    modification: Option<Vec<u8>>,
    modification_actor: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SponsorRow {
    amendment_id: i64,
    account_id: String,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct AmendmentStanceRow {
    amendment_id: i64,
    account_id: String,
    stance: String,
    reason: Option<String>,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    name: String,
    summary: String,
    heads: String,
    outline: String,
    created_by: String,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct EndorsementRow {
    account_id: String,
    on_behalf_of: Option<String>,
    created_at: i64,
}

impl Store {
    /// Everything an archive of `doc` (owned by `group`) holds but the text, read in one
    /// transaction so that every part names only what the others hold.
    pub(crate) async fn archived(&self, doc: &str, group: &str) -> Result<Archived, StoreError> {
        let mut tx = self.pool().begin().await?;
        let d: DocumentRow = sqlx::query_as(
            "SELECT d.created_at, d.updated_at, d.phase, d.deadline, g.id AS group_id,
                g.name AS group_name, g.kind
             FROM documents d JOIN groups g ON g.id = d.group_id WHERE d.id = $1",
        )
        .bind(doc)
        .fetch_one(&mut *tx)
        .await?;

        let people: Vec<PersonRow> = sqlx::query_as(&format!(
            "{NAMED} SELECT a.id, a.display_name, a.affiliation, a.stakeholder_group, a.region,
                m.role, a.confirmed_at IS NOT NULL AS confirmed, x.set_by,
                x.reason AS set_aside_reason, x.at AS set_aside_at
             FROM accounts a JOIN named n ON n.id = a.id
             LEFT JOIN memberships m ON m.account_id = a.id AND m.group_id = $2
             LEFT JOIN stances_set_aside x ON x.account_id = a.id AND x.document_id = $1
             ORDER BY a.id"
        ))
        .bind(doc)
        .bind(group)
        .fetch_all(&mut *tx)
        .await?;
        let actors: Vec<ActorRow> = sqlx::query_as(&format!(
            "{NAMED} SELECT x.account_id, x.actor FROM account_actors x
             JOIN named n ON n.id = x.account_id ORDER BY x.account_id, x.actor"
        ))
        .bind(doc)
        .bind(group)
        .fetch_all(&mut *tx)
        .await?;
        let mut actors_of = HashMap::<String, Vec<String>>::new();
        for a in actors {
            actors_of.entry(a.account_id).or_default().push(a.actor);
        }
        let accounts = people
            .into_iter()
            .map(|p| ArchivedAccount {
                actors: actors_of.remove(&p.id).unwrap_or_default(),
                id: p.id,
                display_name: p.display_name,
                affiliation: p.affiliation,
                stakeholder_group: StakeholderGroup::parse(&p.stakeholder_group)
                    .unwrap_or(StakeholderGroup::Other),
                region: Region::parse(&p.region).unwrap_or(Region::WesternEuropeanOther),
                role: p.role.as_deref().and_then(Role::parse_member),
                confirmed: p.confirmed,
                set_aside: match (p.set_by, p.set_aside_reason, p.set_aside_at) {
                    (Some(by), Some(reason), Some(at)) => Some(ArchivedSetAside { by, reason, at }),
                    _ => None,
                },
            })
            .collect();

        let responses: Vec<ResponseRow> = sqlx::query_as(
            "SELECT comment_id, stance_id, disposition, reason, chair_id, created_at
             FROM responses WHERE document_id = $1 ORDER BY id",
        )
        .bind(doc)
        .fetch_all(&mut *tx)
        .await?;
        let mut responses_to = HashMap::<Target, Vec<ArchivedResponse>>::new();
        for r in responses {
            let target = match (r.comment_id, r.stance_id) {
                (Some(c), _) => Target::Comment(c),
                (_, Some(s)) => Target::Objection(s),
                _ => continue,
            };
            let Some(disposition) = Disposition::parse(&r.disposition) else {
                continue;
            };
            responses_to
                .entry(target)
                .or_default()
                .push(ArchivedResponse {
                    disposition,
                    reason: r.reason,
                    by: r.chair_id,
                    at: r.created_at,
                });
        }

        let edits: Vec<EditRow> = sqlx::query_as(&format!(
            "SELECT e.comment_id, e.body, e.replaced_at FROM comment_edits e
             JOIN comments c ON c.id = e.comment_id WHERE c.document_id = $1 ORDER BY e.{}",
            self.backend.insertion_order()
        ))
        .bind(doc)
        .fetch_all(&mut *tx)
        .await?;
        let mut edits_of = HashMap::<i64, Vec<ArchivedEdit>>::new();
        for e in edits {
            edits_of
                .entry(e.comment_id)
                .or_default()
                .push(ArchivedEdit {
                    body: e.body,
                    replaced_at: e.replaced_at,
                });
        }
        let comments: Vec<CommentRow> = sqlx::query_as(
            "SELECT id, paragraph_id, parent_id, author_id, body, anchor_first, anchor_last,
                created_at, edited_at, hidden_reason, hidden_by, hidden_at
             FROM comments WHERE document_id = $1 ORDER BY id",
        )
        .bind(doc)
        .fetch_all(&mut *tx)
        .await?;
        let comments = comments
            .into_iter()
            .map(|c| ArchivedComment {
                edits: edits_of.remove(&c.id).unwrap_or_default(),
                responses: responses_to
                    .remove(&Target::Comment(c.id))
                    .unwrap_or_default(),
                id: c.id,
                paragraph: c.paragraph_id,
                parent: c.parent_id,
                author: c.author_id,
                body: c.body,
                anchor: c
                    .anchor_first
                    .zip(c.anchor_last)
                    .map(|(first, last)| Anchor { first, last }),
                created_at: c.created_at,
                edited_at: c.edited_at,
                hidden: match (c.hidden_reason, c.hidden_by, c.hidden_at) {
                    (Some(reason), Some(by), Some(at)) => Some(ArchivedHiding { reason, by, at }),
                    _ => None,
                },
            })
            .collect();

        let stances: Vec<StanceRow> = sqlx::query_as(
            "SELECT id, paragraph_id, account_id, stance, reason, created_at
             FROM stance_history WHERE document_id = $1 ORDER BY id",
        )
        .bind(doc)
        .fetch_all(&mut *tx)
        .await?;
        let stances = stances
            .into_iter()
            .filter_map(|s| {
                Some(ArchivedStance {
                    stance: Stance::parse(&s.stance)?,
                    responses: responses_to
                        .remove(&Target::Objection(s.id))
                        .unwrap_or_default(),
                    id: s.id,
                    paragraph: s.paragraph_id,
                    account: s.account_id,
                    reason: s.reason,
                    at: s.created_at,
                })
            })
            .collect();

        let sponsors: Vec<SponsorRow> = sqlx::query_as(
            "SELECT s.amendment_id, s.account_id, s.created_at FROM amendment_sponsors s
             JOIN amendments m ON m.id = s.amendment_id WHERE m.document_id = $1
             ORDER BY s.created_at, s.account_id",
        )
        .bind(doc)
        .fetch_all(&mut *tx)
        .await?;
        let mut sponsors_of = HashMap::<i64, Vec<ArchivedSponsor>>::new();
        for s in sponsors {
            sponsors_of
                .entry(s.amendment_id)
                .or_default()
                .push(ArchivedSponsor {
                    account: s.account_id,
                    at: s.created_at,
                });
        }
        let amendment_stances: Vec<AmendmentStanceRow> = sqlx::query_as(
            "SELECT h.amendment_id, h.account_id, h.stance, h.reason, h.created_at
             FROM amendment_stance_history h JOIN amendments m ON m.id = h.amendment_id
             WHERE m.document_id = $1 ORDER BY h.id",
        )
        .bind(doc)
        .fetch_all(&mut *tx)
        .await?;
        let mut stances_on = HashMap::<i64, Vec<ArchivedAmendmentStance>>::new();
        for s in amendment_stances {
            let Some(stance) = Stance::parse(&s.stance) else {
                continue;
            };
            stances_on
                .entry(s.amendment_id)
                .or_default()
                .push(ArchivedAmendmentStance {
                    account: s.account_id,
                    stance,
                    reason: s.reason,
                    at: s.created_at,
                });
        }
        let amendments: Vec<AmendmentRow> = sqlx::query_as(
            "SELECT id, proposer_id, rationale, base, changes, actor, status, created_at,
                decided_by, decided_at, decision_reason, modification, modification_actor
             FROM amendments WHERE document_id = $1 ORDER BY id",
        )
        .bind(doc)
        .fetch_all(&mut *tx)
        .await?;
        let amendments = amendments
            .into_iter()
            .filter_map(|a| {
                let modification = a.modification.zip(a.modification_actor).map(|(c, actor)| {
                    ArchivedModification {
                        changes: B64.encode(c),
                        actor,
                    }
                });
                Some(ArchivedAmendment {
                    status: AmendmentStatus::parse(&a.status)?,
                    sponsors: sponsors_of.remove(&a.id).unwrap_or_default(),
                    stances: stances_on.remove(&a.id).unwrap_or_default(),
                    decision: a
                        .decided_at
                        .zip(a.decided_by)
                        .map(|(at, by)| ArchivedDecision {
                            by,
                            at,
                            reason: a.decision_reason.unwrap_or_default(),
                            modification,
                        }),
                    id: a.id,
                    proposer: a.proposer_id,
                    rationale: a.rationale,
                    base: split_heads(&a.base),
                    changes: B64.encode(a.changes),
                    actor: a.actor,
                    created_at: a.created_at,
                })
            })
            .collect();

        let versions: Vec<VersionRow> = sqlx::query_as(
            "SELECT name, summary, heads, outline, created_by, created_at FROM versions
             WHERE document_id = $1 ORDER BY created_at, name",
        )
        .bind(doc)
        .fetch_all(&mut *tx)
        .await?;
        let versions = versions
            .into_iter()
            .map(|v| {
                // A version's text was written by this store from an `Outline`.
                let text: Outline = serde_json::from_str(&v.outline).unwrap_or_default();
                ArchivedVersion {
                    name: v.name,
                    summary: v.summary,
                    heads: split_heads(&v.heads),
                    title: text.title,
                    paragraphs: text.paragraphs,
                    by: v.created_by,
                    at: v.created_at,
                }
            })
            .collect();

        let record: Vec<EntryRow> = sqlx::query_as(
            "SELECT seq, at, actor, kind, summary, reason, heads, prev, hash FROM decision_record
             WHERE document_id = $1 ORDER BY seq",
        )
        .bind(doc)
        .fetch_all(&mut *tx)
        .await?;
        let endorsements: Vec<EndorsementRow> = sqlx::query_as(
            "SELECT account_id, on_behalf_of, created_at FROM endorsements WHERE document_id = $1
             ORDER BY created_at, account_id",
        )
        .bind(doc)
        .fetch_all(&mut *tx)
        .await?;
        let threshold: Option<String> =
            sqlx::query_scalar("SELECT rule FROM document_thresholds WHERE document_id = $1")
                .bind(doc)
                .fetch_optional(&mut *tx)
                .await?;
        let moves: Vec<(String, i64)> =
            sqlx::query_as("SELECT phase, at FROM phase_moves WHERE document_id = $1 ORDER BY at")
                .bind(doc)
                .fetch_all(&mut *tx)
                .await?;
        let output: Option<OutputRow> = sqlx::query_as(&format!(
            "SELECT {OUTPUT_COLUMNS} FROM outputs WHERE document_id = $1"
        ))
        .bind(doc)
        .fetch_optional(&mut *tx)
        .await?;
        let links: Vec<LinkRow> = match &output {
            Some(o) => sqlx::query_as(
                "SELECT number, kind, target FROM output_links WHERE number = $1 ORDER BY target",
            )
            .bind(o.number)
            .fetch_all(&mut *tx)
            .await?,
            None => Vec::new(),
        };
        tx.commit().await?;
        let publication = output.map(|o| {
            let linked = |kind: &str| {
                links
                    .iter()
                    .filter(|l| l.kind == kind)
                    .map(|l| l.target as u32)
                    .collect()
            };
            ArchivedPublication {
                number: o.number as u32,
                prefix: o.prefix,
                series: o.series_name,
                status: o.status,
                group_name: o.group_name,
                language: Language::parse(&o.language).unwrap_or_default(),
                published_at: o.published_at,
                published_by: o.published_by,
                text: serde_json::from_str(&o.text).unwrap_or_default(),
                text_hash: o.text_hash,
                evaluation: serde_json::from_str(&o.evaluation).unwrap_or_default(),
                override_reason: o.override_reason,
                endorsements: serde_json::from_str(&o.endorsements).unwrap_or_default(),
                updates: linked("updates"),
                obsoletes: linked("obsoletes"),
            }
        });

        Ok(Archived {
            threshold: threshold.map(|r| serde_json::from_str(&r).unwrap_or_default()),
            phase_moves: moves
                .into_iter()
                .filter_map(|(p, at)| {
                    Some(ArchivedPhaseMove {
                        phase: Phase::parse(&p)?,
                        at,
                    })
                })
                .collect(),
            publication,
            group: ArchivedGroup {
                id: d.group_id,
                name: d.group_name,
                kind: GroupKind::parse(&d.kind).unwrap_or(GroupKind::Other),
            },
            document: ArchivedDocument {
                id: doc.to_string(),
                created_at: d.created_at,
                updated_at: d.updated_at,
                schedule: Schedule {
                    phase: Phase::parse(&d.phase).unwrap_or(Phase::Drafting),
                    deadline: d.deadline,
                },
            },
            accounts,
            comments,
            stances,
            amendments,
            versions,
            record: record.into_iter().map(Entry::from).collect(),
            endorsements: endorsements
                .into_iter()
                .map(|e| ArchivedEndorsement {
                    account: e.account_id,
                    on_behalf_of: e.on_behalf_of,
                    at: e.created_at,
                })
                .collect(),
        })
    }

    /// Begins a restore's transaction.
    pub(crate) async fn restoring(&self) -> Result<Restoring, StoreError> {
        Ok(Restoring {
            tx: self.writer().begin().await?,
            facts: self.facts.clone(),
            doc: None,
        })
    }
}

/// An amendment as a restore writes it, with this installation's accounts.
pub(crate) struct RestoredAmendment<'a> {
    pub proposer: &'a str,
    pub rationale: &'a str,
    pub base: &'a [String],
    pub changes: &'a [u8],
    pub actor: &'a str,
    pub status: AmendmentStatus,
    pub created_at: i64,
    pub decision: Option<RestoredDecision<'a>>,
}

pub(crate) struct RestoredDecision<'a> {
    pub by: &'a str,
    pub at: i64,
    pub reason: &'a str,
    /// The chair's changes and their actor.
    pub modification: Option<(&'a [u8], &'a str)>,
}

/// A restore's one transaction. Every method writes rows for the document the restore creates
/// (or accounts and memberships it creates itself); nothing here updates a row that was there
/// before.
pub(crate) struct Restoring {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    facts: Arc<FactsCache>,
    /// The document written, whose feedback facts are forgotten on commit.
    doc: Option<String>,
}

impl Restoring {
    /// Creates the archive's group unless this installation has a group of that id; whether it
    /// created it.
    pub async fn group(&mut self, g: &ArchivedGroup) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "INSERT INTO groups (id, name, kind) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&g.id)
        .bind(&g.name)
        .bind(g.kind.as_str())
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// A new account for a person of the archive, with nothing to sign in with; its id.
    pub async fn account(&mut self, p: &ArchivedAccount) -> Result<String, StoreError> {
        let id = random_id("a");
        // '!' is no argon2 hash: no password signs in to it.
        sqlx::query(
            "INSERT INTO accounts (id, login, password_hash, display_name, affiliation,
                stakeholder_group, region, confirmed_at)
             VALUES ($1, 'archived-' || $1 || '@restored.invalid', '!', $2, $3, $4, $5,
                $6)",
        )
        .bind(&id)
        .bind(&p.display_name)
        .bind(&p.affiliation)
        .bind(p.stakeholder_group.key())
        .bind(p.region.key())
        .bind(p.confirmed.then(super::now_secs))
        .execute(&mut *self.tx)
        .await?;
        Ok(id)
    }

    /// Sets the restored `account`'s stances on the restored document aside, as the archive's
    /// chairs had.
    pub async fn set_aside(
        &mut self,
        doc: &str,
        account: &str,
        s: &ArchivedSetAside,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO stances_set_aside (document_id, account_id, set_by, reason, at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(doc)
        .bind(account)
        .bind(&s.by)
        .bind(&s.reason)
        .bind(s.at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Makes an account the restore created a member of a group it created.
    pub async fn member(
        &mut self,
        group: &str,
        account: &str,
        role: Role,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO memberships (group_id, account_id, role) VALUES ($1, $2, $3)")
            .bind(group)
            .bind(account)
            .bind(role.as_str())
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Assigns an automerge actor to an account the restore created, unless it is assigned
    /// here already (to whoever it is, it stays theirs).
    pub async fn actor(&mut self, actor: &str, account: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO account_actors (actor, account_id) VALUES ($1, $2)
             ON CONFLICT (actor) DO NOTHING",
        )
        .bind(actor)
        .bind(account)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// The document, with its text saved whole (`bytes`, whose outline is `text`); `false` if
    /// this installation has a document of that id, and then nothing was written.
    pub async fn document(
        &mut self,
        d: &ArchivedDocument,
        group: &str,
        text: &Outline,
        bytes: &[u8],
    ) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "INSERT INTO documents (id, group_id, title, paragraphs, created_at, updated_at,
                phase, deadline)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&d.id)
        .bind(group)
        .bind(&text.title)
        .bind(text.paragraphs.len() as i64)
        .bind(&d.created_at)
        .bind(&d.updated_at)
        .bind(d.schedule.phase.key())
        .bind(d.schedule.deadline)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Ok(false);
        }
        self.doc = Some(d.id.clone());
        sqlx::query(
            "INSERT INTO document_snapshots (document_id, bytes, last_seq) VALUES ($1, $2, 0)",
        )
        .bind(&d.id)
        .bind(bytes)
        .execute(&mut *self.tx)
        .await?;
        Ok(true)
    }

    /// A comment of `doc` by `author`, replying to `parent` and hidden by `hidden_by` (this
    /// installation's numbers and accounts); its number here.
    pub async fn comment(
        &mut self,
        doc: &str,
        c: &ArchivedComment,
        parent: Option<i64>,
        author: &str,
        hidden_by: Option<&str>,
    ) -> Result<i64, StoreError> {
        let hidden = c.hidden.as_ref();
        Ok(sqlx::query_scalar(
            "INSERT INTO comments (document_id, paragraph_id, parent_id, author_id, body,
                anchor_first, anchor_last, created_at, edited_at, hidden_reason, hidden_by,
                hidden_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(doc)
        .bind(&c.paragraph)
        .bind(parent)
        .bind(author)
        .bind(&c.body)
        .bind(c.anchor.as_ref().map(|a| a.first.as_str()))
        .bind(c.anchor.as_ref().map(|a| a.last.as_str()))
        .bind(c.created_at)
        .bind(c.edited_at)
        .bind(hidden.map(|h| h.reason.as_str()))
        .bind(hidden_by)
        .bind(hidden.map(|h| h.at))
        .fetch_one(&mut *self.tx)
        .await?)
    }

    /// A comment's wording before an edit.
    pub async fn comment_edit(&mut self, comment: i64, e: &ArchivedEdit) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO comment_edits (comment_id, body, replaced_at) VALUES ($1, $2, $3)",
        )
        .bind(comment)
        .bind(&e.body)
        .bind(e.replaced_at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// A chair's response (by `chair`) to a comment or an objection of `doc`.
    pub async fn response(
        &mut self,
        doc: &str,
        to: Target,
        r: &ArchivedResponse,
        chair: &str,
    ) -> Result<(), StoreError> {
        let (comment, stance) = match to {
            Target::Comment(c) => (Some(c), None),
            Target::Objection(s) => (None, Some(s)),
        };
        sqlx::query(
            "INSERT INTO responses (document_id, comment_id, stance_id, disposition, reason,
                chair_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(doc)
        .bind(comment)
        .bind(stance)
        .bind(r.disposition.key())
        .bind(&r.reason)
        .bind(chair)
        .bind(r.at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// A stance, stated as a live one is (`stances::state_in`): the next entry of its history.
    pub async fn stance(
        &mut self,
        subject: Subject<'_>,
        account: &str,
        stance: Stance,
        reason: Option<&str>,
        at: i64,
    ) -> Result<StanceChange, StoreError> {
        state_in(&mut self.tx, subject, account, stance, reason, at).await
    }

    /// An amendment of `doc`; its number here.
    pub async fn amendment(
        &mut self,
        doc: &str,
        a: &RestoredAmendment<'_>,
    ) -> Result<i64, StoreError> {
        let d = a.decision.as_ref();
        let modification = d.and_then(|d| d.modification);
        Ok(sqlx::query_scalar(
            "INSERT INTO amendments (document_id, proposer_id, rationale, base, changes, actor,
                status, created_at, decided_by, decided_at, decision_reason, modification,
                modification_actor)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(doc)
        .bind(a.proposer)
        .bind(a.rationale)
        .bind(a.base.join(","))
        .bind(a.changes)
        .bind(a.actor)
        .bind(a.status.key())
        .bind(a.created_at)
        .bind(d.map(|d| d.by))
        .bind(d.map(|d| d.at))
        .bind(d.map(|d| d.reason))
        .bind(modification.map(|(changes, _)| changes))
        .bind(modification.map(|(_, actor)| actor))
        .fetch_one(&mut *self.tx)
        .await?)
    }

    /// A co-sponsor of an amendment.
    pub async fn sponsor(
        &mut self,
        amendment: i64,
        account: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO amendment_sponsors (amendment_id, account_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(amendment)
        .bind(account)
        .bind(at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// An entry of `doc`'s decision record, as it was written (its chain was verified).
    pub async fn record_entry(&mut self, doc: &str, e: &Entry) -> Result<(), StoreError> {
        super::record::insert_in(&mut self.tx, doc, e).await
    }

    /// A version of `doc`, cut by `by`, with its text.
    pub async fn version(
        &mut self,
        doc: &str,
        v: &ArchivedVersion,
        text: &Outline,
        by: &str,
    ) -> Result<(), StoreError> {
        let text = serde_json::to_string(text).unwrap_or_default();
        sqlx::query(
            "INSERT INTO versions (document_id, name, summary, heads, outline, created_by,
                created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(doc)
        .bind(&v.name)
        .bind(&v.summary)
        .bind(v.heads.join(","))
        .bind(text)
        .bind(by)
        .bind(v.at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// An endorsement of `doc` by `account`.
    pub async fn endorsement(
        &mut self,
        doc: &str,
        account: &str,
        e: &ArchivedEndorsement,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO endorsements (document_id, account_id, on_behalf_of, created_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(doc)
        .bind(account)
        .bind(&e.on_behalf_of)
        .bind(e.at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// The threshold rule `doc`'s consultation opened under.
    pub async fn threshold(
        &mut self,
        doc: &str,
        rule: &Threshold,
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO document_thresholds (document_id, rule, fixed_at) VALUES ($1, $2, $3)",
        )
        .bind(doc)
        .bind(serde_json::to_string(rule).unwrap_or_default())
        .bind(at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn phase_move(&mut self, doc: &str, m: &ArchivedPhaseMove) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO phase_moves (document_id, phase, at) VALUES ($1, $2, $3)")
            .bind(doc)
            .bind(m.phase.key())
            .bind(m.at)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// `doc`'s publication under its own number, with its links to numbers this installation
    /// has (a link to one it lacks is left out).
    pub async fn publication(
        &mut self,
        doc: &str,
        group: &str,
        p: &ArchivedPublication,
    ) -> Result<(), StoreError> {
        let row = OutputRow {
            number: i64::from(p.number),
            document_id: doc.to_string(),
            prefix: p.prefix.clone(),
            series_name: p.series.clone(),
            title: p.text.title.trim().to_string(),
            status: p.status.clone(),
            group_id: group.to_string(),
            group_name: p.group_name.clone(),
            language: p.language.key().to_string(),
            published_at: p.published_at,
            published_by: p.published_by.clone(),
            text: serde_json::to_string(&p.text).unwrap_or_default(),
            text_hash: p.text_hash.clone(),
            evaluation: serde_json::to_string(&p.evaluation).unwrap_or_default(),
            override_reason: p.override_reason.clone(),
            endorsements: serde_json::to_string(&p.endorsements).unwrap_or_default(),
        };
        insert_output_in(&mut self.tx, row.number, &row).await?;
        let links = p
            .updates
            .iter()
            .map(|n| ("updates", n))
            .chain(p.obsoletes.iter().map(|n| ("obsoletes", n)));
        for (kind, target) in links {
            sqlx::query(
                "INSERT INTO output_links (number, kind, target)
                 SELECT $1, $2, number FROM outputs WHERE number = $3",
            )
            .bind(row.number)
            .bind(kind)
            .bind(i64::from(*target))
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(())
    }

    /// Commits everything the restore wrote.
    pub async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        // Whatever was kept about a document of that id (none was here) is not it.
        if let Some(doc) = &self.doc {
            self.facts.forget(Some(doc));
        }
        Ok(())
    }
}
