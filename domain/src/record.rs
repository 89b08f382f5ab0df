//! A document's decision record: every chair action (phase change, version, decision on an
//! amendment, response, moderation) appended with its time, actor, reason and the document
//! heads at that moment. Each entry's hash covers the previous entry's hash and its own
//! fields, so an exported record shows whether anything in it was altered afterwards:
//! [`verify`] recomputes the chain.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `prev` of a record's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry of the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entry {
    /// 1, 2, 3 … within the document.
    pub seq: i64,
    /// Unix seconds.
    pub at: i64,
    /// Who acted (display name at the time).
    pub actor: String,
    /// What kind of action: `phase`, `version`, `amendment`, `response`, `moderation`.
    pub kind: String,
    /// What was done, in words.
    pub summary: String,
    pub reason: String,
    /// The document heads (hex) when it was done.
    pub heads: Vec<String>,
    /// The previous entry's hash ([`GENESIS`] for the first).
    pub prev: String,
    /// SHA-256 (hex) of `prev` and this entry's fields.
    pub hash: String,
}

/// The hash of an entry: its `prev` and its fields (not its own `hash`). Each field is
/// length-prefixed, so no two different entries hash the same bytes.
pub fn digest(e: &Entry) -> String {
    let mut h = Sha256::new();
    let seq = e.seq.to_string();
    let at = e.at.to_string();
    let heads = e.heads.join(",");
    for field in [
        e.prev.as_str(),
        &seq,
        &at,
        &e.actor,
        &e.kind,
        &e.summary,
        &e.reason,
        &heads,
    ] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

impl Entry {
    /// The entry after `prev` (none for the first), with its hash.
    pub fn next(
        prev: Option<&Entry>,
        at: i64,
        actor: &str,
        kind: &str,
        summary: &str,
        reason: &str,
        heads: Vec<String>,
    ) -> Entry {
        let (seq, prev) = match prev {
            Some(p) => (p.seq + 1, p.hash.clone()),
            None => (1, GENESIS.to_string()),
        };
        let mut e = Entry {
            seq,
            at,
            actor: actor.into(),
            kind: kind.into(),
            summary: summary.into(),
            reason: reason.into(),
            heads,
            prev,
            hash: String::new(),
        };
        e.hash = digest(&e);
        e
    }
}

/// Why a record does not verify.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Broken {
    #[error("entry {seq} was altered: its hash does not match its fields")]
    Altered { seq: i64 },
    #[error(
        "entry {seq} does not follow the entry before it (one was removed, added or reordered)"
    )]
    Unlinked { seq: i64 },
}

/// Checks the chain from the first entry: each one's hash matches its fields, and each one
/// names the hash of the one before it. Returns the last hash (which a chair may publish).
pub fn verify(entries: &[Entry]) -> Result<String, Broken> {
    let mut prev = GENESIS.to_string();
    for (i, e) in entries.iter().enumerate() {
        if e.prev != prev || e.seq != i as i64 + 1 {
            return Err(Broken::Unlinked { seq: e.seq });
        }
        if e.hash != digest(e) {
            return Err(Broken::Altered { seq: e.seq });
        }
        prev = e.hash.clone();
    }
    Ok(prev)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Vec<Entry> {
        let a = Entry::next(
            None,
            100,
            "Amina Chair",
            "phase",
            "Opened the consultation",
            "Ready.",
            vec!["ab".into()],
        );
        let b = Entry::next(
            Some(&a),
            200,
            "Amina Chair",
            "amendment",
            "Accepted amendment 1",
            "Agreed.",
            vec!["cd".into()],
        );
        let c = Entry::next(
            Some(&b),
            300,
            "Amina Chair",
            "version",
            "Cut draft-01",
            "Milestone.",
            vec!["ef".into()],
        );
        vec![a, b, c]
    }

    #[test]
    fn an_untouched_record_verifies_and_names_its_last_hash() {
        let r = record();
        assert_eq!(verify(&r), Ok(r[2].hash.clone()));
        assert_eq!(verify(&[]), Ok(GENESIS.to_string()));
    }

    #[test]
    fn any_change_afterwards_is_found() {
        let mut altered = record();
        altered[1].reason = "Agreed by all.".into();
        assert_eq!(verify(&altered), Err(Broken::Altered { seq: 2 }));
        let mut removed = record();
        removed.remove(1);
        assert_eq!(verify(&removed), Err(Broken::Unlinked { seq: 3 }));
        let mut rehashed = record();
        rehashed[0].summary = "Closed the consultation".into();
        rehashed[0].hash = digest(&rehashed[0]);
        assert_eq!(
            verify(&rehashed),
            Err(Broken::Unlinked { seq: 2 }),
            "rehashing one entry breaks the next link"
        );
        // Moving text between fields changes the hash too (fields are length-prefixed).
        let a = Entry::next(None, 1, "ab", "c", "", "", vec![]);
        let b = Entry::next(None, 1, "a", "bc", "", "", vec![]);
        assert_ne!(a.hash, b.hash);
    }
}
