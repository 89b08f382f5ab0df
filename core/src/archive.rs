//! Archives (`domain::api::archive`): a chair downloads everything about a document (the
//! automerge document saved whole, its comments, stances, amendments, versions, record and
//! endorsements, and the people they name, without anything to sign in with and without their
//! gender or age band); an admin of another installation restores it: the same text and heads,
//! the same record, the same figures (but for the breakdown by gender, which the archive does
//! not carry: restored people have stated none).
//!
//! A restore reads the archive in its format (2, or 1 turned into 2 by [`first`]) and checks it
//! whole before it writes anything: format and version, every part's shape, the automerge bytes
//! against their heads and the schema and limits a peer is held to, every person and comment a
//! part names being in the archive, every amendment being a branch of the text, the record's
//! hash chain, and the document not being here already. Then it replays the archive through the
//! store's [`Restoring`] in one transaction: a refusal, or a failure halfway, leaves nothing
//! behind. What is written is only ever the archived document and its rows: every person
//! becomes a new account here (an archive's keys are never looked up as accounts), comments,
//! stance entries, responses and amendments get this installation's numbers, and stances are
//! stated in order as live ones are. The document joins the group of its archive's id: if the
//! restore creates that group, the archive's members become its members with their roles; if
//! a group of that id is here already, the document joins it and the group's members stay as
//! they are (nobody here gains or loses a role by a restore).

mod first;

use std::collections::{HashMap, HashSet};

use automerge::ChangeHash;
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use domain::{
    amendment,
    api::{AmendmentStatus, Archive, Created, Role, ARCHIVE_FORMAT, ARCHIVE_VERSION},
    document::{self, Outline},
    policy::Action,
    record,
    refusal::Refusal,
    rules, series,
};
use serde_json::Value;

use crate::{
    auth::Principal,
    documents,
    error::Error,
    store::{
        archive::{RestoredAmendment, RestoredDecision, Restoring},
        feedback::Target,
        stances::{StanceChange, Subject},
        StoreError,
    },
    Accord,
};

/// A chair's complete archive of a document.
pub async fn download(state: &Accord, who: &Principal, doc: &str) -> Result<Archive, Error> {
    let (meta, _) = documents::require(state, who, doc, Action::RunConsultation).await?;
    // The rows first, then the text: the text only grows, so every heads a row names (an
    // amendment's base, a version, a record entry) is in the bytes read after it.
    let parts = state.rooms.store().archived(doc, &meta.group_id).await?;
    let (bytes, heads) = state
        .rooms
        .read(doc, |d| (d.save(), document::hex_heads(&d.get_heads())))
        .await?;
    Ok(Archive {
        format: ARCHIVE_FORMAT.into(),
        version: ARCHIVE_VERSION,
        exported_at: state.auth.now(),
        group: parts.group,
        document: parts.document,
        automerge: B64.encode(bytes),
        heads,
        accounts: parts.accounts,
        comments: parts.comments,
        stances: parts.stances,
        amendments: parts.amendments,
        versions: parts.versions,
        record: parts.record,
        endorsements: parts.endorsements,
        threshold: parts.threshold,
        phase_moves: parts.phase_moves,
        publication: parts.publication,
    })
}

fn refuse(why: impl std::fmt::Display) -> Error {
    Refusal::ArchiveRefused {
        detail: why.to_string(),
    }
    .into()
}

/// At most `n` characters of what an archive said, for a refusal that quotes it.
fn quote(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// `value` as a `T`, or a refusal naming where in the archive (`what`) it does not fit.
fn typed<T: serde::de::DeserializeOwned>(what: &str, value: Value) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = quote(&e.path().to_string(), 120);
        let at = match path.as_str() {
            "." => what.to_string(),
            _ => format!("{what}'s {path}"),
        };
        refuse(format!(
            "{at} does not fit: {}",
            quote(&e.inner().to_string(), 300)
        ))
    })
}

/// The archive in format 2, whatever format it came in.
fn read(body: Value) -> Result<Archive, Error> {
    let format = body
        .get("format")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if format != ARCHIVE_FORMAT {
        return Err(refuse(format!(
            "this is not an Accord archive (its format is '{}')",
            quote(format, 40)
        )));
    }
    match body.get("version").and_then(Value::as_u64) {
        Some(1) => first::convert(typed("the archive", body)?),
        Some(2 | 3) => typed("the archive", body),
        Some(v) if v == u64::from(ARCHIVE_VERSION) => typed("the archive", body),
        Some(v) => Err(refuse(format!(
            "the archive is in format version {v}; this installation reads versions 1 to \
             {ARCHIVE_VERSION}"
        ))),
        None => Err(refuse("the archive names no format version")),
    }
}

/// What checking an archive found, for the replay.
struct Checked {
    /// The automerge document, and its text now.
    bytes: Vec<u8>,
    text: Outline,
    /// Each amendment's changes, and its modification's, decoded.
    changes: Vec<(Vec<u8>, Option<Vec<u8>>)>,
}

/// Every check that reads nothing of this installation, in the order a reader would look.
fn check(a: &Archive) -> Result<Checked, Error> {
    let bytes = B64.decode(&a.automerge).map_err(|e| {
        refuse(format!(
            "the archive's automerge document is not base64: {e}"
        ))
    })?;
    let doc = document::load(&bytes)
        .map_err(|e| refuse(format!("the archive's automerge document is corrupt: {e}")))?;
    // The same schema and limits a peer's changes are held to.
    let not_a_text = |e: document::SchemaError| {
        refuse(format!(
            "the archive's automerge document is not an Accord text: {e}"
        ))
    };
    document::validate(&doc).map_err(not_a_text)?;
    let text = document::read(&doc).map_err(not_a_text)?;
    if document::hex_heads(&doc.get_heads()) != a.heads {
        return Err(refuse(
            "the archive's automerge document is not at the heads the archive names",
        ));
    }
    if !rules::is_document_id(&a.document.id) {
        return Err(refuse("the archive's document has no usable id"));
    }

    let mut people = HashSet::new();
    for p in &a.accounts {
        if !people.insert(p.id.as_str()) {
            return Err(refuse(format!(
                "the archive has two accounts '{}'",
                quote(&p.id, 40)
            )));
        }
        if p.role == Some(Role::Reader) {
            return Err(refuse(format!(
                "the archive makes '{}' a member as a reader, which is no role in a group",
                quote(&p.id, 40)
            )));
        }
    }
    // Every person a part names is one of the archive's accounts.
    let named = |key: &str, as_what: &str| match people.contains(key) {
        true => Ok(()),
        false => Err(refuse(format!(
            "the archive names '{}' as {as_what}, an account the archive lacks",
            quote(key, 40)
        ))),
    };

    // Comments: numbered once each, a reply after the comment it answers, one level deep.
    let mut comments: HashMap<i64, (&str, bool)> = HashMap::new();
    for c in &a.comments {
        named(&c.author, "a comment's author")?;
        if let Some(h) = &c.hidden {
            named(&h.by, "a moderator")?;
        }
        for r in &c.responses {
            named(&r.by, "a responding chair")?;
        }
        if let Some(parent) = c.parent {
            match comments.get(&parent) {
                None => {
                    return Err(refuse(format!(
                        "a reply in the archive answers comment {parent}, which the archive lacks \
                         before it"
                    )))
                }
                Some((paragraph, reply)) if *reply || *paragraph != c.paragraph => {
                    return Err(refuse(format!(
                        "a reply in the archive answers comment {parent}, which is a reply itself \
                         or on another paragraph"
                    )))
                }
                Some(_) => {}
            }
        }
        if comments
            .insert(c.id, (c.paragraph.as_str(), c.parent.is_some()))
            .is_some()
        {
            return Err(refuse(format!("the archive has two comments {}", c.id)));
        }
    }

    let mut entries = HashSet::new();
    for s in &a.stances {
        named(&s.account, "a stance's holder")?;
        for r in &s.responses {
            named(&r.by, "a responding chair")?;
        }
        if !entries.insert(s.id) {
            return Err(refuse(format!(
                "the archive has two stance entries {}",
                s.id
            )));
        }
    }

    // Amendments: each a branch of the archived text, decided if and only if it is not open.
    let mut numbers = HashSet::new();
    let mut changes = Vec::with_capacity(a.amendments.len());
    for m in &a.amendments {
        if !numbers.insert(m.id) {
            return Err(refuse(format!("the archive has two amendments {}", m.id)));
        }
        named(&m.proposer, "an amendment's proposer")?;
        let base: Option<Vec<ChangeHash>> = m.base.iter().map(|h| h.parse().ok()).collect();
        let (Some(base), Ok(branch)) = (base, B64.decode(&m.changes)) else {
            return Err(refuse(
                "an amendment in the archive has no usable base or changes",
            ));
        };
        let candidate = amendment::Amendment {
            base,
            changes: branch,
        };
        let changed = amendment::changed(&doc, &candidate).map_err(|e| {
            refuse(format!(
                "an amendment in the archive does not apply to its document: {e}"
            ))
        })?;
        if changed.is_empty() {
            return Err(refuse(
                "an amendment in the archive does not apply to its document: it changes nothing",
            ));
        }
        let modification = match &m.decision {
            None if m.status == AmendmentStatus::Open => None,
            Some(d) if m.status != AmendmentStatus::Open => {
                named(&d.by, "a deciding chair")?;
                match &d.modification {
                    None => None,
                    Some(x) => Some(B64.decode(&x.changes).map_err(|_| {
                        refuse("a chair's modification in the archive is not base64")
                    })?),
                }
            }
            _ => {
                return Err(refuse(format!(
                    "amendment {} in the archive is {} but its decision says otherwise",
                    m.id,
                    m.status.key()
                )))
            }
        };
        let mut sponsors = HashSet::new();
        for s in &m.sponsors {
            named(&s.account, "a sponsor")?;
            if !sponsors.insert(s.account.as_str()) {
                return Err(refuse(format!(
                    "amendment {} in the archive has a sponsor twice",
                    m.id
                )));
            }
        }
        for s in &m.stances {
            named(&s.account, "a stance's holder")?;
        }
        changes.push((candidate.changes, modification));
    }

    let mut versions = HashSet::new();
    for v in &a.versions {
        named(&v.by, "whoever cut a version")?;
        if !rules::is_version_name(&v.name) || !versions.insert(v.name.as_str()) {
            return Err(refuse(format!(
                "the archive has a version named '{}' that cannot be one here, or two of them",
                quote(&v.name, 40)
            )));
        }
    }
    let mut endorsers = HashSet::new();
    for e in &a.endorsements {
        named(&e.account, "an endorser")?;
        if !endorsers.insert(e.account.as_str()) {
            return Err(refuse("the archive has someone endorse the text twice"));
        }
    }
    if let Some(p) = &a.publication {
        if p.number == 0 || !series::is_prefix(&p.prefix) {
            return Err(refuse(
                "the archive's publication has no number or a prefix that cannot be one",
            ));
        }
        if series::text_hash(&p.text) != p.text_hash {
            return Err(refuse(
                "the archive's published text was altered after it was published",
            ));
        }
    }
    record::verify(&a.record).map_err(|e| {
        refuse(format!(
            "the archive's decision record was altered after it was written ({e:?})"
        ))
    })?;
    Ok(Checked {
        bytes,
        text,
        changes,
    })
}

/// An admin restores an archive: checked whole, then replayed in one transaction.
pub async fn restore(state: &Accord, who: &Principal, body: Value) -> Result<Created, Error> {
    who.require(state, None, Action::RestoreArchive).await?;
    let a = read(body)?;
    let checked = check(&a)?;
    let id = a.document.id.clone();
    let store = state.rooms.store();
    if store.document_meta(&id).await?.is_some() {
        return Err(Refusal::DocumentExists { id }.into());
    }
    // A number, once given, is one text's: the archive's must be free here.
    if let Some(p) = &a.publication {
        if store.output(i64::from(p.number)).await?.is_some() {
            return Err(refuse(format!(
                "number {} of this installation's series is another text",
                p.number
            )));
        }
    }
    let restored = replay(store.restoring().await?, &a, &checked)
        .await
        .map_err(|e| match e {
            StoreError::Db(e) => refuse(format!("the archive's rows do not fit: {e}")),
            other => Error::from(other),
        })?;
    if !restored {
        // Another restore of the same document committed first.
        return Err(Refusal::DocumentExists { id }.into());
    }
    store
        .audit(
            "restore",
            who.account_id(),
            None,
            &format!(
                "restored document {id} ('{}') from an archive of {} accounts",
                quote(&checked.text.title, 80),
                a.accounts.len()
            ),
        )
        .await?;
    Ok(Created {
        url: format!("/documents/{id}"),
        id,
    })
}

/// Writes a checked archive through `r` and commits; `false` (nothing written) if the document
/// is here already.
async fn replay(mut r: Restoring, a: &Archive, c: &Checked) -> Result<bool, StoreError> {
    let doc = a.document.id.as_str();
    let created = r.group(&a.group).await?;
    let mut accounts = HashMap::with_capacity(a.accounts.len());
    for p in &a.accounts {
        let id = r.account(p).await?;
        // Memberships only in a group this restore created, and only of accounts it created.
        if let (true, Some(role)) = (created, p.role) {
            r.member(&a.group.id, &id, role).await?;
        }
        for actor in &p.actors {
            r.actor(actor, &id).await?;
        }
        accounts.insert(p.id.as_str(), id);
    }
    // Every key was checked to be one of the archive's accounts.
    let account = |key: &str| accounts.get(key).map(String::as_str).unwrap_or_default();
    if !r
        .document(&a.document, &a.group.id, &c.text, &c.bytes)
        .await?
    {
        return Ok(false);
    }

    let mut comments = HashMap::with_capacity(a.comments.len());
    for m in &a.comments {
        let parent = m.parent.and_then(|p| comments.get(&p).copied());
        let hidden_by = m.hidden.as_ref().map(|h| account(&h.by));
        let id = r
            .comment(doc, m, parent, account(&m.author), hidden_by)
            .await?;
        comments.insert(m.id, id);
        for e in &m.edits {
            r.comment_edit(id, e).await?;
        }
        for response in &m.responses {
            let to = Target::Comment(id);
            r.response(doc, to, response, account(&response.by)).await?;
        }
    }
    for s in &a.stances {
        let subject = Subject::Paragraph {
            doc,
            paragraph: &s.paragraph,
        };
        let reason = s.reason.as_deref();
        let (StanceChange::Stated(entry) | StanceChange::Unchanged(entry)) = r
            .stance(subject, account(&s.account), s.stance, reason, s.at)
            .await?;
        for response in &s.responses {
            let to = Target::Objection(entry);
            r.response(doc, to, response, account(&response.by)).await?;
        }
    }
    for (m, (changes, modification)) in a.amendments.iter().zip(&c.changes) {
        let decision = m.decision.as_ref().map(|d| RestoredDecision {
            by: account(&d.by),
            at: d.at,
            reason: &d.reason,
            modification: modification
                .as_deref()
                .zip(d.modification.as_ref().map(|x| x.actor.as_str())),
        });
        let restored = RestoredAmendment {
            proposer: account(&m.proposer),
            rationale: &m.rationale,
            base: &m.base,
            changes,
            actor: &m.actor,
            status: m.status,
            created_at: m.created_at,
            decision,
        };
        let id = r.amendment(doc, &restored).await?;
        for s in &m.sponsors {
            r.sponsor(id, account(&s.account), s.at).await?;
        }
        for s in &m.stances {
            let reason = s.reason.as_deref();
            let subject = Subject::Amendment(id);
            r.stance(subject, account(&s.account), s.stance, reason, s.at)
                .await?;
        }
    }
    for e in &a.record {
        r.record_entry(doc, e).await?;
    }
    for v in &a.versions {
        let text = Outline {
            title: v.title.clone(),
            paragraphs: v.paragraphs.clone(),
        };
        r.version(doc, v, &text, account(&v.by)).await?;
    }
    for e in &a.endorsements {
        r.endorsement(doc, account(&e.account), e).await?;
    }
    for p in &a.accounts {
        if let Some(aside) = &p.set_aside {
            r.set_aside(doc, account(&p.id), aside).await?;
        }
    }
    if let Some(rule) = &a.threshold {
        r.threshold(doc, rule, a.exported_at).await?;
    }
    for m in &a.phase_moves {
        r.phase_move(doc, m).await?;
    }
    if let Some(p) = &a.publication {
        r.publication(doc, &a.group.id, p).await?;
    }
    r.commit().await?;
    Ok(true)
}
