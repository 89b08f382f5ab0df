//! Places held under a cap per key (connections per address, sync sockets per account): a
//! place is taken while there is room and given back when its holder drops it.

use std::{
    collections::HashMap,
    hash::Hash,
    sync::{Arc, Mutex},
};

/// How many places each key holds now; keys holding none are forgotten.
pub struct Places<K>(Arc<Mutex<HashMap<K, usize>>>);

impl<K> Clone for Places<K> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<K> Default for Places<K> {
    fn default() -> Self {
        Self(Arc::default())
    }
}

impl<K: Eq + Hash + Clone> Places<K> {
    /// A place for `key` if it holds fewer than `limit`.
    pub fn take(&self, key: K, limit: usize) -> Option<Place<K>> {
        let mut held = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = held.entry(key.clone()).or_default();
        if *n >= limit {
            return None;
        }
        *n += 1;
        Some(Place {
            places: self.clone(),
            key,
        })
    }
}

/// One place, given back when dropped.
pub struct Place<K: Eq + Hash> {
    places: Places<K>,
    key: K,
}

impl<K: Eq + Hash> Drop for Place<K> {
    fn drop(&mut self) {
        let mut held = self.places.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = held.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                held.remove(&self.key);
            }
        }
    }
}
