//! What a person typed into a form the server refused, kept for the page that shows the refusal.
//!
//! Without JavaScript a refused form post is sent back to its page with the refusal in the
//! address; the page is rendered afresh, and what was typed would be lost. The server's edge
//! keeps the posted fields here under a random key it adds to that address (`__kept`), and the
//! page fills its fields from them. Only the one who posted sees them: an entry names its owner
//! (the session, else the address), and a shared address shows nobody else anything. Entries
//! last a quarter of an hour; at most [`MAX_ENTRIES`] are kept, the oldest going first.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
};

use http::request::Parts;
use sha2::{Digest, Sha256};

use crate::auth::{cookie_token, ClientAddress};

/// The query parameter that names kept fields.
pub const PARAM: &str = "__kept";

/// How long kept fields last, in seconds.
const LIFETIME: i64 = 15 * 60;

/// Entries kept at once.
const MAX_ENTRIES: usize = 10_000;

/// The most a form's fields may hold to be kept (the longest form, an amendment of 50
/// paragraphs, is well under it).
pub const MAX_BYTES: usize = 2 * 1024 * 1024;

struct Entry {
    owner: String,
    /// The server function the form posted to.
    path: String,
    at: i64,
    fields: Vec<(String, String)>,
}

#[derive(Default)]
struct Kept {
    entries: HashMap<String, Entry>,
    order: VecDeque<String>,
}

/// Fields of refused forms, by key; clones share them.
#[derive(Clone, Default)]
pub struct KeptForms(Arc<Mutex<Kept>>);

impl KeptForms {
    /// Keeps `fields` that `owner` posted to `path` at `now`; returns the key that finds them
    /// again.
    pub fn keep(&self, owner: &str, path: &str, fields: Vec<(String, String)>, now: i64) -> String {
        let key = hex::encode(rand::random::<[u8; 16]>());
        let mut kept = self.lock();
        while kept.order.len() >= MAX_ENTRIES
            || kept
                .order
                .front()
                .and_then(|k| kept.entries.get(k))
                .is_some_and(|e| now - e.at > LIFETIME)
        {
            let Some(oldest) = kept.order.pop_front() else {
                break;
            };
            kept.entries.remove(&oldest);
        }
        kept.entries.insert(
            key.clone(),
            Entry {
                owner: owner.to_string(),
                path: path.to_string(),
                at: now,
                fields,
            },
        );
        kept.order.push_back(key.clone());
        key
    }

    /// The fields kept under `key` and the path they were posted to, if `owner` posted them
    /// within the last quarter of an hour.
    pub fn fields(
        &self,
        key: &str,
        owner: &str,
        now: i64,
    ) -> Option<(String, Vec<(String, String)>)> {
        let kept = self.lock();
        kept.entries
            .get(key)
            .filter(|e| e.owner == owner && now - e.at <= LIFETIME)
            .map(|e| (e.path.clone(), e.fields.clone()))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl KeptForms {
    /// The value of field `name` kept for the request `parts` (under the key its address
    /// names, if it is the one who posted them), when the form was the one posted to `path`
    /// whose fields `which` held (the hidden fields that tell one comment's reply form from
    /// another's; an empty value stands for a field the form does not have).
    pub fn field(
        &self,
        parts: &Parts,
        now: i64,
        path: &str,
        which: &[(&str, &str)],
        name: &str,
    ) -> Option<String> {
        let query = parts.uri.query()?;
        let (_, key) = url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == PARAM)?;
        let (posted_to, fields) = self.fields(&key, &owner(parts), now)?;
        let value = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        let same_form = posted_to == path
            && which
                .iter()
                .all(|(k, v)| value(k).map_or("", String::as_str) == *v);
        same_form.then(|| value(name).cloned()).flatten()
    }
}

/// Who kept fields belong to: the session the request carries, else the address it came from.
pub fn owner(parts: &Parts) -> String {
    match cookie_token(&parts.headers) {
        Some(token) => format!("session:{}", hex::encode(Sha256::digest(token.as_bytes()))),
        None => {
            let address = parts
                .extensions
                .get::<ClientAddress>()
                .map(|a| a.0.as_str());
            format!("address:{}", address.unwrap_or_default())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_owner_gets_fields_back_and_only_for_a_while() {
        let kept = KeptForms::default();
        let fields = vec![("rationale".to_string(), "Because.".to_string())];
        let key = kept.keep("session:a", "/_fn/f", fields.clone(), 1_000);
        assert_eq!(
            kept.fields(&key, "session:a", 1_000 + LIFETIME),
            Some(("/_fn/f".to_string(), fields))
        );
        assert_eq!(kept.fields(&key, "session:b", 1_000), None);
        assert_eq!(kept.fields("guessed", "session:a", 1_000), None);
        assert_eq!(kept.fields(&key, "session:a", 1_001 + LIFETIME), None);
    }

    #[test]
    fn the_oldest_go_first_when_full() {
        let kept = KeptForms::default();
        let first = kept.keep("address:x", "/_fn/f", vec![], 0);
        for _ in 0..MAX_ENTRIES {
            kept.keep("address:x", "/_fn/f", vec![], 1);
        }
        assert_eq!(kept.lock().entries.len(), MAX_ENTRIES);
        assert!(!kept.lock().entries.contains_key(&first));
    }
}
