//! What capabilities derive from an event's rows and keep in memory (the catalogue's
//! published listing), each entry with the version of the event it was read at. Entries are
//! keyed by their type, so a capability keeps its own types here and the application state
//! that holds the cache needs none of them.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use uuid::Uuid;

/// Entries kept (one per event and type); the least recently used goes first.
const ENTRIES: usize = 32;

struct Entry {
    version: i64,
    used: u64,
    value: Arc<dyn Any + Send + Sync>,
}

pub struct EventCache {
    entries: Mutex<HashMap<(TypeId, Uuid), Entry>>,
    clock: AtomicU64,
    capacity: usize,
}

impl Default for EventCache {
    fn default() -> Self {
        EventCache::new(ENTRIES)
    }
}

impl EventCache {
    pub fn new(capacity: usize) -> Self {
        EventCache {
            entries: Mutex::default(),
            clock: AtomicU64::new(0),
            capacity: capacity.max(1),
        }
    }

    /// The event's `T` as of `version`, if that is the version kept.
    pub fn get<T: Any + Send + Sync>(&self, event: Uuid, version: i64) -> Option<Arc<T>> {
        let tick = self.clock.fetch_add(1, Ordering::Relaxed);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get_mut(&(TypeId::of::<T>(), event))?;
        if entry.version != version {
            return None;
        }
        entry.used = tick;
        entry.value.clone().downcast().ok()
    }

    /// Keeps the event's `T` as read at `version`, replacing an older one.
    pub fn put<T: Any + Send + Sync>(&self, event: Uuid, version: i64, value: Arc<T>) {
        let tick = self.clock.fetch_add(1, Ordering::Relaxed);
        let key = (TypeId::of::<T>(), event);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            let oldest = entries.iter().min_by_key(|(_, e)| e.used).map(|(k, _)| *k);
            if let Some(oldest) = oldest {
                entries.remove(&oldest);
            }
        }
        entries.insert(
            key,
            Entry {
                version,
                used: tick,
                value,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_serves_only_its_version_and_type() {
        let cache = EventCache::default();
        let event = Uuid::now_v7();
        cache.put(event, 3, Arc::new(vec![1, 2, 3]));
        assert_eq!(
            cache.get::<Vec<i32>>(event, 3).as_deref(),
            Some(&vec![1, 2, 3])
        );
        assert_eq!(cache.get::<Vec<i32>>(event, 4), None, "a newer version");
        assert_eq!(cache.get::<String>(event, 3), None, "another type");
        assert_eq!(cache.get::<Vec<i32>>(Uuid::now_v7(), 3), None);
        cache.put(event, 3, Arc::new("listing".to_string()));
        assert_eq!(cache.get::<Vec<i32>>(event, 3).map(|v| v.len()), Some(3));
        cache.put(event, 4, Arc::new(vec![4]));
        assert_eq!(cache.get::<Vec<i32>>(event, 4).as_deref(), Some(&vec![4]));
    }

    #[test]
    fn the_least_recently_used_entry_goes_first() {
        let cache = EventCache::new(2);
        let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        cache.put(a, 1, Arc::new(1_u8));
        cache.put(b, 1, Arc::new(2_u8));
        assert!(cache.get::<u8>(a, 1).is_some());
        cache.put(c, 1, Arc::new(3_u8));
        assert!(cache.get::<u8>(a, 1).is_some());
        assert!(cache.get::<u8>(b, 1).is_none(), "b was used least recently");
        assert!(cache.get::<u8>(c, 1).is_some());
    }
}
