//! Archives of format 1 (`domain::api::archive::first`), the stored rows of each table, turned
//! into format 2 so that they are checked and restored as every archive is. Each table's rows
//! are read as the columns it had then; each row must belong to the archived document (its own
//! `document_id`, or a comment or an amendment of the archive's): a row of any other document is
//! refused, not written there. The people keep what format 2 carries of them; their gender and
//! age band are left behind.

use std::collections::{HashMap, HashSet};

use domain::{
    api::{
        archive::first::{self, Blob},
        Anchor, Archive, ArchivedAccount, ArchivedAmendment, ArchivedAmendmentStance,
        ArchivedComment, ArchivedDecision, ArchivedDocument, ArchivedEdit, ArchivedEndorsement,
        ArchivedGroup, ArchivedHiding, ArchivedModification, ArchivedResponse, ArchivedSponsor,
        ArchivedStance, ArchivedVersion, GroupKind, Region, Role, StakeholderGroup,
        ARCHIVE_VERSION,
    },
    document::Outline,
    phase::{Phase, Schedule},
    record::Entry,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{quote, refuse, typed};
use crate::{error::Error, store::split_heads};

/// The rows of `table` in `a`, each read as a `T`.
fn rows<T: DeserializeOwned>(a: &first::Archive, table: &str) -> Result<Vec<T>, Error> {
    let Some((_, rows)) = a.tables.iter().find(|(name, _)| name == table) else {
        return Ok(Vec::new());
    };
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            let what = format!("the archive's {table} row {}", i + 1);
            typed(&what, Value::Object(row.clone()))
        })
        .collect()
}

pub(super) fn convert(a: first::Archive) -> Result<Archive, Error> {
    for (name, _) in &a.tables {
        if !first::TABLES.contains(&name.as_str()) {
            return Err(refuse(format!(
                "the archive has a table '{}' this installation does not know",
                quote(name, 40)
            )));
        }
    }
    let documents: Vec<first::DocumentRow> = rows(&a, "documents")?;
    let [d] = documents.as_slice() else {
        return Err(refuse("the archive does not hold exactly one document"));
    };
    if d.group_id != a.group.id {
        return Err(refuse(
            "the archive's document is not in the archive's group",
        ));
    }
    let doc = d.id.as_str();
    let own = |table: &str, of: &str| match of == doc {
        true => Ok(()),
        false => Err(refuse(format!(
            "a row of {table} in the archive belongs to document '{}', not to the archived '{}'",
            quote(of, 40),
            quote(doc, 40)
        ))),
    };
    let lacks = |what: String| refuse(format!("the archive's {what}, which the archive lacks"));

    let comment_rows: Vec<first::CommentRow> = rows(&a, "comments")?;
    let edit_rows: Vec<first::CommentEditRow> = rows(&a, "comment_edits")?;
    let entry_rows: Vec<first::StanceEntryRow> = rows(&a, "stance_history")?;
    let current_rows: Vec<first::CurrentStanceRow> = rows(&a, "stances")?;
    let response_rows: Vec<first::ResponseRow> = rows(&a, "responses")?;
    let amendment_rows: Vec<first::AmendmentRow> = rows(&a, "amendments")?;
    let sponsor_rows: Vec<first::SponsorRow> = rows(&a, "amendment_sponsors")?;
    let said_rows: Vec<first::AmendmentStanceRow> = rows(&a, "amendment_stance_history")?;
    let held_rows: Vec<first::AmendmentStanceRow> = rows(&a, "amendment_stances")?;
    let record_rows: Vec<first::RecordRow> = rows(&a, "decision_record")?;
    let version_rows: Vec<first::VersionRow> = rows(&a, "versions")?;
    let endorsement_rows: Vec<first::EndorsementRow> = rows(&a, "endorsements")?;

    let comment_ids: HashSet<i64> = comment_rows.iter().map(|c| c.id).collect();
    let entry_ids: HashSet<i64> = entry_rows.iter().map(|s| s.id).collect();
    let amendment_ids: HashSet<i64> = amendment_rows.iter().map(|m| m.id).collect();

    let mut edits = HashMap::<i64, Vec<ArchivedEdit>>::new();
    for e in edit_rows {
        if !comment_ids.contains(&e.comment_id) {
            return Err(lacks(format!("edit is of comment {}", e.comment_id)));
        }
        edits.entry(e.comment_id).or_default().push(ArchivedEdit {
            body: e.body,
            replaced_at: e.replaced_at,
        });
    }
    let mut responses = HashMap::<(bool, i64), Vec<(i64, ArchivedResponse)>>::new();
    for r in response_rows {
        own("responses", &r.document_id)?;
        let target =
            match (r.comment_id, r.stance_id) {
                (Some(c), None) if comment_ids.contains(&c) => (true, c),
                (None, Some(s)) if entry_ids.contains(&s) => (false, s),
                (Some(c), None) => return Err(lacks(format!("response answers comment {c}"))),
                (None, Some(s)) => return Err(lacks(format!("response answers objection {s}"))),
                _ => return Err(refuse(
                    "a response in the archive answers both a comment and an objection, or neither",
                )),
            };
        let response = ArchivedResponse {
            disposition: r.disposition,
            reason: r.reason,
            by: r.chair_id,
            at: r.created_at,
        };
        responses.entry(target).or_default().push((r.id, response));
    }
    // In the order they were given, which is what "the latest counts" read.
    let mut responses_to = |target| {
        let mut list = responses.remove(&target).unwrap_or_default();
        list.sort_by_key(|(id, _)| *id);
        list.into_iter().map(|(_, r)| r).collect::<Vec<_>>()
    };

    let mut comments = Vec::with_capacity(comment_rows.len());
    for c in comment_rows {
        own("comments", &c.document_id)?;
        let hidden = match (c.hidden_reason, c.hidden_by, c.hidden_at) {
            (Some(reason), Some(by), Some(at)) => Some(ArchivedHiding { reason, by, at }),
            (None, _, None) => None,
            _ => {
                return Err(refuse(format!(
                    "comment {} in the archive is hidden without a reason, a moderator or a time",
                    c.id
                )))
            }
        };
        comments.push(ArchivedComment {
            edits: edits.remove(&c.id).unwrap_or_default(),
            responses: responses_to((true, c.id)),
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
            hidden,
        });
    }
    comments.sort_by_key(|c| c.id);

    // The stance that counts is each person's latest entry; a current stance must name one.
    for s in &current_rows {
        own("stances", &s.document_id)?;
        if !entry_ids.contains(&s.entry_id) {
            return Err(lacks(format!("stance names entry {}", s.entry_id)));
        }
    }
    let mut stances = Vec::with_capacity(entry_rows.len());
    for s in entry_rows {
        own("stance_history", &s.document_id)?;
        stances.push(ArchivedStance {
            responses: responses_to((false, s.id)),
            id: s.id,
            paragraph: s.paragraph_id,
            account: s.account_id,
            stance: s.stance,
            reason: s.reason,
            at: s.created_at,
        });
    }
    stances.sort_by_key(|s| s.id);

    let mut sponsors = HashMap::<i64, Vec<ArchivedSponsor>>::new();
    for s in sponsor_rows {
        if !amendment_ids.contains(&s.amendment_id) {
            return Err(lacks(format!("sponsor backs amendment {}", s.amendment_id)));
        }
        sponsors
            .entry(s.amendment_id)
            .or_default()
            .push(ArchivedSponsor {
                account: s.account_id,
                at: s.created_at,
            });
    }
    // The history in the order it was written, then each current stance its history does not
    // end with (as migrations/0012 does for a database): the stance that counted is the
    // person's latest entry.
    let mut said = HashMap::<i64, Vec<ArchivedAmendmentStance>>::new();
    let history = said_rows.into_iter().map(|s| (s, true));
    let current = held_rows.into_iter().map(|s| (s, false));
    for (s, in_history) in history.chain(current) {
        if !amendment_ids.contains(&s.amendment_id) {
            return Err(lacks(format!("stance is on amendment {}", s.amendment_id)));
        }
        let list = said.entry(s.amendment_id).or_default();
        let latest = list.iter().rev().find(|x| x.account == s.account_id);
        let ends_with = latest.is_some_and(|x| x.stance == s.stance && x.reason == s.reason);
        if in_history || !ends_with {
            list.push(ArchivedAmendmentStance {
                account: s.account_id,
                stance: s.stance,
                reason: s.reason,
                at: s.stated_at,
            });
        }
    }

    let mut amendments = Vec::with_capacity(amendment_rows.len());
    for m in amendment_rows {
        own("amendments", &m.document_id)?;
        let modification =
            m.modification
                .zip(m.modification_actor)
                .map(|(Blob { base64 }, actor)| ArchivedModification {
                    changes: base64,
                    actor,
                });
        amendments.push(ArchivedAmendment {
            sponsors: sponsors.remove(&m.id).unwrap_or_default(),
            stances: said.remove(&m.id).unwrap_or_default(),
            decision: m
                .decided_at
                .zip(m.decided_by)
                .map(|(at, by)| ArchivedDecision {
                    by,
                    at,
                    reason: m.decision_reason.unwrap_or_default(),
                    modification,
                }),
            id: m.id,
            proposer: m.proposer_id,
            rationale: m.rationale,
            base: split_heads(&m.base),
            changes: m.changes.base64,
            actor: m.actor,
            status: m.status,
            created_at: m.created_at,
        });
    }
    amendments.sort_by_key(|m| m.id);

    let mut record = Vec::with_capacity(record_rows.len());
    for e in record_rows {
        own("decision_record", &e.document_id)?;
        record.push(Entry {
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            kind: e.kind,
            summary: e.summary,
            reason: e.reason,
            heads: split_heads(&e.heads),
            prev: e.prev,
            hash: e.hash,
        });
    }
    record.sort_by_key(|e| e.seq);

    let mut versions = Vec::with_capacity(version_rows.len());
    for v in version_rows {
        own("versions", &v.document_id)?;
        let text: Outline = serde_json::from_str(&v.outline).map_err(|e| {
            refuse(format!(
                "a version in the archive has no readable text: {e}"
            ))
        })?;
        versions.push(ArchivedVersion {
            name: v.name,
            summary: v.summary,
            heads: split_heads(&v.heads),
            title: text.title,
            paragraphs: text.paragraphs,
            by: v.created_by,
            at: v.created_at,
        });
    }
    versions.sort_by(|a, b| (a.at, &a.name).cmp(&(b.at, &b.name)));

    let mut endorsements = Vec::with_capacity(endorsement_rows.len());
    for e in endorsement_rows {
        own("endorsements", &e.document_id)?;
        endorsements.push(ArchivedEndorsement {
            account: e.account_id,
            on_behalf_of: e.on_behalf_of,
            at: e.created_at,
        });
    }

    let unknown = |what: &str, value: &str| {
        refuse(format!(
            "the archive's {what} '{}' is not one this installation knows",
            quote(value, 40)
        ))
    };
    let mut accounts = Vec::with_capacity(a.accounts.len());
    for p in a.accounts {
        let role = match p.role.as_deref() {
            None => None,
            Some(r) => Some(Role::parse_member(r).ok_or_else(|| unknown("role", r))?),
        };
        accounts.push(ArchivedAccount {
            stakeholder_group: StakeholderGroup::parse(&p.stakeholder_group)
                .ok_or_else(|| unknown("stakeholder group", &p.stakeholder_group))?,
            region: Region::parse(&p.region).ok_or_else(|| unknown("region", &p.region))?,
            role,
            id: p.id,
            display_name: p.display_name,
            affiliation: p.affiliation,
            actors: p.actors,
            confirmed: true,
            set_aside: None,
        });
    }
    Ok(Archive {
        format: a.format,
        version: ARCHIVE_VERSION,
        exported_at: a.exported_at,
        group: ArchivedGroup {
            kind: GroupKind::parse(&a.group.kind)
                .ok_or_else(|| unknown("group kind", &a.group.kind))?,
            id: a.group.id,
            name: a.group.name,
        },
        document: ArchivedDocument {
            id: d.id.clone(),
            created_at: d.created_at.clone(),
            updated_at: d.updated_at.clone(),
            schedule: Schedule {
                phase: Phase::parse(&d.phase).ok_or_else(|| unknown("phase", &d.phase))?,
                deadline: d.deadline,
            },
        },
        automerge: a.automerge,
        heads: a.heads,
        threshold: None,
        phase_moves: Vec::new(),
        publication: None,
        accounts,
        comments,
        stances,
        amendments,
        versions,
        record,
        endorsements,
    })
}
